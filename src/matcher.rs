//! One compiled matcher for all phrases and regexes of all rules.
//!
//! Every phrase of every rule (and every `unless` phrase) goes into a single
//! Aho-Corasick automaton, so a document is scanned once however many rules
//! there are; each automaton pattern carries the list of rules it belongs to.
//! Phrases match on word boundaries (except next to CJK characters, which have
//! none). Regexes are checked per line with one `RegexSet` pass, and only the
//! regexes the set reports are run again to find positions.

use crate::normalize::Normalized;
use crate::rules::Rule;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::RegexSet;
use std::collections::HashMap;
use std::ops::Range;

/// A match of one rule, in normalized coordinates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Index of the rule in the engine's rule list.
    pub rule: usize,
    /// Index of the document line.
    pub line: usize,
    /// Normalized byte range.
    pub range: Range<usize>,
    /// An `unless` phrase of the rule (a veto), not a match.
    pub veto: bool,
}

#[derive(Debug, Clone, Copy)]
struct Target {
    rule: usize,
    veto: bool,
}

/// The compiled matcher.
#[derive(Debug, Clone)]
pub struct Matcher {
    automaton: Option<AhoCorasick>,
    targets: Vec<Vec<Target>>,
    regex_set: Option<RegexSet>,
    /// For each regex in the set: (rule, index of the regex in the rule).
    regex_owners: Vec<(usize, usize)>,
}

/// Whether `c` counts as part of a word for phrase boundaries.
pub fn is_word_char(c: char) -> bool {
    (c.is_alphanumeric() || is_mark(c)) && !is_unspaced_script(c)
}

fn is_mark(c: char) -> bool {
    !c.is_ascii() && unicode_normalization::char::is_combining_mark(c)
}

/// Scripts written without spaces between words: CJK, kana, Thai, Lao, Khmer, Myanmar.
pub fn is_unspaced_script(c: char) -> bool {
    matches!(c,
        '\u{0E00}'..='\u{0EFF}' | '\u{1000}'..='\u{109F}' | '\u{1780}'..='\u{17FF}'
        | '\u{2E80}'..='\u{2FDF}' | '\u{3000}'..='\u{303F}' | '\u{3040}'..='\u{30FF}'
        | '\u{3100}'..='\u{31FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}'
        | '\u{AC00}'..='\u{D7AF}' | '\u{F900}'..='\u{FAFF}' | '\u{FF00}'..='\u{FFEF}'
        | '\u{20000}'..='\u{2FA1F}')
}

impl Matcher {
    /// Compiles the phrases and regexes of `rules`.
    pub fn new(rules: &[Rule]) -> Result<Matcher, aho_corasick::BuildError> {
        let mut index_of: HashMap<&str, usize> = HashMap::new();
        let mut patterns: Vec<&str> = Vec::new();
        let mut targets: Vec<Vec<Target>> = Vec::new();
        for (rule_index, rule) in rules.iter().enumerate() {
            let all = rule
                .normalized_phrases
                .iter()
                .map(|p| (p, false))
                .chain(rule.normalized_unless.iter().map(|p| (p, true)));
            for (phrase, veto) in all {
                let index = *index_of.entry(phrase.as_str()).or_insert_with(|| {
                    patterns.push(phrase.as_str());
                    targets.push(Vec::new());
                    patterns.len() - 1
                });
                targets[index].push(Target {
                    rule: rule_index,
                    veto,
                });
            }
        }
        let automaton = if patterns.is_empty() {
            None
        } else {
            Some(
                AhoCorasickBuilder::new()
                    .match_kind(MatchKind::Standard)
                    .build(&patterns)?,
            )
        };
        let mut regex_owners = Vec::new();
        let mut regex_patterns = Vec::new();
        for (rule_index, rule) in rules.iter().enumerate() {
            for (i, regex) in rule.regexes.iter().enumerate() {
                regex_owners.push((rule_index, i));
                regex_patterns.push(regex.as_str().to_string());
            }
        }
        // Each regex already compiled alone within its size limit; should the set exceed the
        // default limit, the regexes run one by one instead (slower, same result).
        let regex_set = if regex_patterns.is_empty() {
            None
        } else {
            RegexSet::new(&regex_patterns).ok()
        };
        Ok(Matcher {
            automaton,
            targets,
            regex_set,
            regex_owners,
        })
    }

    /// Finds every hit in the normalized view; `lines` gives each line's normalized range
    /// (empty for lines that are not matched).
    pub fn find(&self, rules: &[Rule], view: &Normalized, lines: &[Range<usize>]) -> Vec<Hit> {
        let text = view.text.as_str();
        let mut hits = Vec::new();
        if let Some(automaton) = &self.automaton {
            let mut line = 0usize;
            for m in automaton.find_overlapping_iter(text) {
                let (start, end) = (m.start(), m.end());
                if !at_word_boundaries(text, start, end) {
                    continue;
                }
                while line < lines.len() && lines[line].end < end {
                    line += 1;
                }
                // Overlapping matches arrive by end position, so the cursor only moves forward,
                // but a protected line has an empty range and must not capture a hit.
                if line >= lines.len() || start < lines[line].start {
                    continue;
                }
                for target in &self.targets[m.pattern().as_usize()] {
                    hits.push(Hit {
                        rule: target.rule,
                        line,
                        range: start..end,
                        veto: target.veto,
                    });
                }
            }
        }
        if !self.regex_owners.is_empty() {
            for (line_index, line) in lines.iter().enumerate() {
                if line.is_empty() {
                    continue;
                }
                let line_text = &text[line.clone()];
                let mut run = |owner: (usize, usize)| {
                    let (rule_index, regex_index) = owner;
                    let regex = &rules[rule_index].regexes[regex_index];
                    for m in regex.find_iter(line_text) {
                        hits.push(Hit {
                            rule: rule_index,
                            line: line_index,
                            range: line.start + m.start()..line.start + m.end(),
                            veto: false,
                        });
                    }
                };
                match &self.regex_set {
                    Some(set) => {
                        for index in set.matches(line_text).iter() {
                            run(self.regex_owners[index]);
                        }
                    }
                    None => self.regex_owners.iter().for_each(|&owner| run(owner)),
                }
            }
        }
        hits
    }
}

fn at_word_boundaries(text: &str, start: usize, end: usize) -> bool {
    let first = text[start..].chars().next();
    let last = text[..end].chars().next_back();
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let joins = |a: Option<char>, b: Option<char>| match (a, b) {
        (Some(a), Some(b)) => is_word_char(a) && is_word_char(b),
        _ => false,
    };
    !joins(before, first) && !joins(last, after)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_boundaries_apply_except_in_unspaced_scripts() {
        let cases = [
            ("download the app", 13, 16, true),
            ("downloads", 0, 8, false),
            ("add to cart", 0, 2, false),
            ("广告内容", 0, 6, true),
            ("ad: sale", 0, 2, true),
            ("تبلیغات ویژه", 0, "تبلیغات".len(), true),
        ];
        for (text, start, end, expected) in cases {
            assert_eq!(
                at_word_boundaries(text, start, end),
                expected,
                "{text:?} {start}..{end}"
            );
        }
    }
}
