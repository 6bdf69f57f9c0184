//! One compiled matcher for all phrases and regexes of all rules.
//!
//! Every phrase of every rule (and every `unless` phrase) goes into a single
//! Aho-Corasick automaton, so a document is scanned once however many rules
//! there are; each automaton pattern carries the list of rules it belongs to.
//! Phrases match on word boundaries (except next to CJK characters, which have
//! none).
//!
//! Regexes run per line, but only on the lines that can hold a match. The
//! literals that every match of a regex must start (or end) with are
//! extracted from its syntax tree (module `literals`; for the built-in packs by the
//! build script, once) and added to the same automaton, so the one
//! scan that finds the phrases also marks, line by line, the regexes worth
//! running. The regexes without such literals are relaxed (see `relaxed`)
//! into one lazy DFA set run on every line, whose matches mark the lines worth
//! running them on; before that, a line must hold a byte of each set the
//! regex needs (a digit for a date, say; module `bytes`) and, for a regex
//! anchored at the line's start, begin with a byte a match can begin with. A rule whose
//! unit is the whole line and that has `max_chars` never fires on a longer
//! line, so its regexes skip those lines. A regex not yet compiled first asks
//! the line for a literal of each set every match holds (module `literals`), so
//! a line that holds only its trigger literal does not make it compile. What a regex finds on a line it runs
//! on is exactly what it would find anyway: the prefilter only saves runs that
//! cannot match.

use crate::normalize::Normalized;
use crate::rules::{Action, Prefilter, Rule, Scope};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
pub(crate) use bytes::{first_bytes, required_bytes, ByteSet};
pub(crate) use literals::{required_literal_sets, required_literals, LiteralSet};
use regex_automata::{meta, nfa::thompson::WhichCaptures, Anchored, Input, PatternSet};
use regex_syntax::hir::{Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Look, Repetition};
use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

mod bytes;
mod literals;

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

/// What an automaton pattern stands for.
#[derive(Debug, Clone, Copy)]
enum Target {
    /// A phrase (or `unless` phrase) of a rule; matches on word boundaries.
    Phrase { rule: usize, veto: bool },
    /// A literal that every match of regex `index` starts or ends with.
    Regex(usize),
}

/// One regex of one rule, with what it takes for a line to be worth running it on.
#[derive(Debug, Clone)]
struct RegexEntry {
    rule: usize,
    /// Index of the regex in the rule.
    index: usize,
    /// Lines of more characters than this cannot fire the rule.
    max_chars: Option<usize>,
}

/// The phrase and literal automaton: a contiguous NFA of the built-in packs' ~7,300
/// patterns, built with the engine (16.5 ms for the whole engine).
///
/// A DFA of the same patterns took 40% of the NFA's instructions per byte
/// (callgrind, 2 MB of the corpus: 41M against 107M) but 42 MB of memory and 40 ms
/// to build, and at that size it misses the processor's caches: in wall time it was
/// no faster, so there is none. The
/// throughput bench's text stream (50 MB, one core, alternating runs) ran at 19.2 /
/// 14.9 / 20.1 / 15.4 / 15.7 MB/s with the DFA built after the first 4 MB and 18.8 /
/// 17.3 / 22.6 / 18.8 / 18.9 with the NFA alone; the `html` bench's short texts, at
/// 233 / 245 / 254 pages/s against 280 / 286 / 262; `--jsonl` on 50 MB took the
/// same time (1.87-2.06 s against 1.79-2.01 s) and 217 MB peak against 176 MB.
#[derive(Debug, Clone)]
struct Automaton {
    nfa: AhoCorasick,
    patterns: Arc<Vec<Vec<u8>>>,
}

impl Automaton {
    fn new(patterns: Vec<Vec<u8>>) -> Result<Automaton, aho_corasick::BuildError> {
        let nfa = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .build(&patterns)?;
        Ok(Automaton {
            nfa,
            patterns: Arc::new(patterns),
        })
    }
}

/// The compiled matcher.
#[derive(Debug, Clone)]
pub struct Matcher {
    automaton: Option<Automaton>,
    targets: Vec<Vec<Target>>,
    regexes: Vec<RegexEntry>,
    /// Regexes without literals, anchored at the line's start or not: checked on every line.
    filters: [FilterSet; 2],
}

/// Regexes without literals, relaxed into one set that says on which lines they may match.
#[derive(Debug, Clone, Default)]
struct FilterSet {
    /// The matcher's regex index of each pattern of the set.
    ids: Vec<usize>,
    /// For each pattern, byte sets a line needs a byte of each of to be matched, and
    /// the set its first byte must be in (anchored patterns).
    required: Vec<(Vec<ByteSet>, Option<ByteSet>)>,
    relaxed: Vec<Hir>,
    /// Every pattern matches only at the start of the line.
    anchored: bool,
    /// Built on first use; absent if it would exceed the size limit, and then every
    /// regex of the set runs on every line (slower, same result).
    set: OnceLock<Option<meta::Regex>>,
}

impl FilterSet {
    fn set(&self) -> Option<&meta::Regex> {
        self.set
            .get_or_init(|| {
                let config = meta::Config::new()
                    .match_kind(regex_automata::MatchKind::All)
                    .which_captures(WhichCaptures::None)
                    .nfa_size_limit(Some(crate::rules::PackLimits::default().regex_size_limit))
                    .onepass(false)
                    .backtrack(false);
                meta::Regex::builder()
                    .configure(config)
                    .build_many_from_hir(&self.relaxed)
                    .ok()
            })
            .as_ref()
    }

    /// Adds `(line, regex)` for each regex of the set that may match `text`.
    fn candidates(
        &self,
        line: usize,
        text: &str,
        found: &mut PatternSet,
        out: &mut Vec<(usize, usize)>,
    ) {
        let Some(set) = self.set() else {
            out.extend(self.ids.iter().map(|&id| (line, id)));
            return;
        };
        let anchored = if self.anchored {
            Anchored::Yes
        } else {
            Anchored::No
        };
        found.clear();
        set.which_overlapping_matches(&Input::new(text).anchored(anchored), found);
        out.extend(found.iter().map(|p| (line, self.ids[p.as_usize()])));
    }
}

/// A regex that matches wherever `hir` does, and maybe elsewhere, but is cheaper to
/// compile and to run as a lazy DFA: Unicode word boundaries (which stop the lazy DFA
/// on non-ASCII text) are dropped, large Unicode classes (`\w`, `\d`)
/// take in every non-ASCII character, and repetitions of more than a few take no
/// upper bound.
pub(crate) fn relaxed(hir: &Hir) -> Hir {
    /// Classes of more ranges than this are widened to every non-ASCII character.
    const MAX_CLASS_RANGES: usize = 32;
    /// Repetitions bounded above this lose their upper bound.
    const MAX_BOUND: u32 = 4;
    match hir.kind() {
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(Class::Bytes(_)) => hir.clone(),
        HirKind::Class(Class::Unicode(class)) if class.ranges().len() > MAX_CLASS_RANGES => {
            let mut wide = class.clone();
            wide.intersect(&ClassUnicode::new([ClassUnicodeRange::new('\0', '\x7f')]));
            wide.union(&ClassUnicode::new([ClassUnicodeRange::new(
                '\u{80}',
                char::MAX,
            )]));
            Hir::class(Class::Unicode(wide))
        }
        HirKind::Class(Class::Unicode(_)) => hir.clone(),
        HirKind::Look(
            Look::WordUnicode
            | Look::WordUnicodeNegate
            | Look::WordStartUnicode
            | Look::WordEndUnicode
            | Look::WordStartHalfUnicode
            | Look::WordEndHalfUnicode,
        ) => Hir::empty(),
        HirKind::Look(_) => hir.clone(),
        HirKind::Repetition(repetition) => Hir::repetition(Repetition {
            min: repetition.min,
            max: repetition.max.filter(|&max| max <= MAX_BOUND),
            greedy: repetition.greedy,
            sub: Box::new(relaxed(&repetition.sub)),
        }),
        HirKind::Capture(capture) => relaxed(&capture.sub),
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(relaxed).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.iter().map(relaxed).collect()),
    }
}

/// Bytes of an anchored regex's beginning kept by [`anchored_prefix`]: enough to tell
/// a line's first words apart, few enough that the set's scan of a line stops
/// within a dozen bytes.
const ANCHORED_PREFIX_BYTES: usize = 8;
/// An optional repetition of at most this many copies stays in an anchored prefix.
const MAX_OPTIONAL_COPIES: u32 = 4;

/// A regex that matches a beginning of every match of `hir` (which is anchored at
/// the line's start): its first parts up to about [`ANCHORED_PREFIX_BYTES`], a
/// repetition cut to its least count, a literal to its first characters. Run as
/// part of a set over every line, the set's scan ends where the beginnings do,
/// not where the longest pattern could.
pub(crate) fn anchored_prefix(hir: &Hir) -> Hir {
    prefix_within(hir, ANCHORED_PREFIX_BYTES).0
}

/// [`anchored_prefix`] with `budget` bytes left, and whether it was cut (then
/// nothing may follow it in a concatenation).
fn prefix_within(hir: &Hir, budget: usize) -> (Hir, bool) {
    match hir.kind() {
        HirKind::Literal(literal) => {
            let bytes = &literal.0;
            let mut end = bytes.len().min(budget.max(1));
            // Cut at a character boundary (a continuation byte never starts one).
            while end < bytes.len() && (bytes[end] & 0xC0) == 0x80 {
                end += 1;
            }
            (Hir::literal(bytes[..end].to_vec()), end < bytes.len())
        }
        HirKind::Repetition(repetition) => {
            if repetition.min == 0 {
                // A short optional part (a leading emoji or two) stays, and so does
                // one at the very start (dropped, it would leave the prefix empty); a
                // long one after a word (`.{0,80}$`) would run the scan on: it ends
                // the prefix instead.
                let short = repetition.max.is_some_and(|max| max <= MAX_OPTIONAL_COPIES);
                return if short || budget >= ANCHORED_PREFIX_BYTES {
                    (hir.clone(), false)
                } else {
                    (Hir::empty(), true)
                };
            }
            let (sub, cut) = prefix_within(&repetition.sub, budget);
            if cut {
                // Nothing follows a cut copy, not even another copy.
                return (sub, true);
            }
            let per_copy = repetition
                .sub
                .properties()
                .minimum_len()
                .unwrap_or(0)
                .max(1);
            let copies = u32::try_from(budget.div_ceil(per_copy)).unwrap_or(u32::MAX);
            let min = repetition.min.min(copies.max(1));
            let prefix = Hir::repetition(Repetition {
                min,
                max: Some(min),
                greedy: repetition.greedy,
                sub: Box::new(sub),
            });
            (prefix, repetition.max != Some(min))
        }
        HirKind::Capture(capture) => prefix_within(&capture.sub, budget),
        HirKind::Concat(parts) => {
            let mut kept = Vec::new();
            let mut left = budget;
            for (index, part) in parts.iter().enumerate() {
                if left == 0 {
                    return (Hir::concat(kept), true);
                }
                let (prefix, cut) = prefix_within(part, left);
                kept.push(prefix);
                if cut {
                    return (Hir::concat(kept), true);
                }
                left = left.saturating_sub(part.properties().minimum_len().unwrap_or(0));
                if left == 0 && index + 1 < parts.len() {
                    return (Hir::concat(kept), true);
                }
            }
            (Hir::concat(kept), false)
        }
        HirKind::Alternation(branches) => {
            let (prefixes, cuts): (Vec<Hir>, Vec<bool>) =
                branches.iter().map(|b| prefix_within(b, budget)).unzip();
            (Hir::alternation(prefixes), cuts.contains(&true))
        }
        HirKind::Empty | HirKind::Class(_) | HirKind::Look(_) => (hir.clone(), false),
    }
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

/// The longest line (in characters) on which `rule` can fire, when its unit is the line.
fn line_char_limit(rule: &Rule) -> Option<usize> {
    if rule.action == Action::Keep || rule.scope != Scope::Span {
        rule.conditions.max_chars
    } else {
        None
    }
}

/// Whether `text` has at most `max` characters (without counting them when the bytes tell).
fn within_chars(text: &str, max: Option<usize>) -> bool {
    match max {
        None => true,
        Some(max) if text.len() <= max => true,
        Some(max) if text.len() > max.saturating_mul(4) => false,
        Some(max) => text.chars().count() <= max,
    }
}

impl Matcher {
    /// Compiles the phrases and regexes of `rules`.
    pub fn new(rules: &[Rule]) -> Result<Matcher, aho_corasick::BuildError> {
        let mut index_of: HashMap<Vec<u8>, usize> = HashMap::new();
        let mut patterns: Vec<Vec<u8>> = Vec::new();
        let mut targets: Vec<Vec<Target>> = Vec::new();
        let mut add = |pattern: &[u8], target: Target| {
            let index = *index_of.entry(pattern.to_vec()).or_insert_with(|| {
                patterns.push(pattern.to_vec());
                targets.push(Vec::new());
                patterns.len() - 1
            });
            targets[index].push(target);
        };
        for (rule_index, rule) in rules.iter().enumerate() {
            let all = rule
                .normalized_phrases
                .iter()
                .map(|p| (p, false))
                .chain(rule.normalized_unless.iter().map(|p| (p, true)));
            for (phrase, veto) in all {
                add(
                    phrase.as_bytes(),
                    Target::Phrase {
                        rule: rule_index,
                        veto,
                    },
                );
            }
        }
        let mut regexes = Vec::new();
        let mut filters = [
            FilterSet {
                anchored: true,
                ..FilterSet::default()
            },
            FilterSet::default(),
        ];
        for (rule_index, rule) in rules.iter().enumerate() {
            for (i, regex) in rule.regexes.iter().enumerate() {
                let id = regexes.len();
                regexes.push(RegexEntry {
                    rule: rule_index,
                    index: i,
                    max_chars: line_char_limit(rule),
                });
                match &regex.prefilter {
                    Some(Prefilter::Literals(literals)) => {
                        for literal in literals {
                            add(literal, Target::Regex(id));
                        }
                    }
                    Some(Prefilter::Relaxed {
                        hir,
                        anchored,
                        required,
                        starts,
                    }) => {
                        let filter = &mut filters[usize::from(!anchored)];
                        filter.ids.push(id);
                        filter.required.push((required.clone(), *starts));
                        filter.relaxed.push(hir.clone());
                    }
                    None => {
                        let filter = &mut filters[1];
                        filter.ids.push(id);
                        filter.required.push((Vec::new(), None));
                        filter
                            .relaxed
                            .push(Hir::dot(regex_syntax::hir::Dot::AnyChar));
                    }
                }
            }
        }
        let automaton = if patterns.is_empty() {
            None
        } else {
            Some(Automaton::new(patterns)?)
        };
        Ok(Matcher {
            automaton,
            targets,
            regexes,
            filters,
        })
    }

    /// Every pattern the automaton scans for, in normalized form: the phrases of the
    /// rules, their `unless` phrases and the literals that trigger their regexes.
    pub fn patterns(&self) -> &[Vec<u8>] {
        self.automaton
            .as_ref()
            .map_or(&[][..], |automaton| automaton.patterns.as_slice())
    }

    /// Builds what is otherwise built on first use: the filter sets of regexes without
    /// literals.
    pub fn compile_filters(&self) {
        for filter in self.filters.iter().filter(|f| !f.ids.is_empty()) {
            filter.set();
        }
    }

    /// Finds every hit in the normalized view; `lines` gives each line's normalized range
    /// (empty for lines that are not matched).
    pub fn find(&self, rules: &[Rule], view: &Normalized, lines: &[Range<usize>]) -> Vec<Hit> {
        self.find_selected(rules, view, lines, None)
    }

    /// [`Matcher::find`] on the lines `selected` marks (all lines if `None`). A line's
    /// hits depend on its normalized text alone: phrases must lie inside the line, each
    /// line is followed by `\n` and preceded by `\n` or nothing (no word characters), and
    /// regexes run on the line's text.
    pub fn find_selected(
        &self,
        rules: &[Rule],
        view: &Normalized,
        lines: &[Range<usize>],
        selected: Option<&[bool]>,
    ) -> Vec<Hit> {
        let text = view.text.as_str();
        let is_selected =
            |line: usize| selected.is_none_or(|s| s.get(line).copied().unwrap_or(false));
        let mut hits = Vec::new();
        // (line, regex) pairs whose regex has a literal on the line, in line order.
        let mut candidates: Vec<(usize, usize)> = Vec::new();
        let mut marked_line = vec![usize::MAX; self.regexes.len()];
        if let Some(automaton) = &self.automaton {
            let spans: Vec<(usize, Range<usize>)> = match selected {
                None => vec![(0, 0..text.len())],
                Some(_) => (0..lines.len())
                    .filter(|&line| is_selected(line) && !lines[line].is_empty())
                    .map(|line| (line, lines[line].clone()))
                    .collect(),
            };
            for (first_line, span) in spans {
                let mut line = first_line;
                for m in automaton
                    .nfa
                    .find_overlapping_iter(aho_corasick::Input::new(text).span(span))
                {
                    let (start, end) = (m.start(), m.end());
                    while line < lines.len() && lines[line].end < end {
                        line += 1;
                    }
                    // Overlapping matches arrive by end position, so the cursor only moves forward,
                    // but a protected line has an empty range and must not capture a hit.
                    if line >= lines.len() || start < lines[line].start {
                        continue;
                    }
                    let mut bounded = None;
                    for target in &self.targets[m.pattern().as_usize()] {
                        match *target {
                            Target::Phrase { rule, veto } => {
                                if *bounded
                                    .get_or_insert_with(|| at_word_boundaries(text, start, end))
                                {
                                    hits.push(Hit {
                                        rule,
                                        line,
                                        range: start..end,
                                        veto,
                                    });
                                }
                            }
                            Target::Regex(id) => {
                                if marked_line[id] != line {
                                    marked_line[id] = line;
                                    candidates.push((line, id));
                                }
                            }
                        }
                    }
                }
            }
        }
        if self.regexes.is_empty() {
            return hits;
        }
        // Regexes without literals join the candidates of the non-empty lines their
        // relaxed form matches, among the lines that hold one of their required bytes.
        let filters: Vec<&FilterSet> = self.filters.iter().filter(|f| !f.ids.is_empty()).collect();
        if !filters.is_empty() {
            let mut found: Vec<PatternSet> = filters
                .iter()
                .map(|f| PatternSet::new(f.ids.len()))
                .collect();
            for (line_index, line) in lines.iter().enumerate() {
                if line.is_empty() || !is_selected(line_index) {
                    continue;
                }
                let line_text = &text[line.clone()];
                let line_bytes = ByteSet::of(line_text.as_bytes());
                let first_byte = ByteSet::of(&line_text.as_bytes()[..1]);
                for (filter, found) in filters.iter().zip(&mut found) {
                    let eligible =
                        |(id, (required, starts)): (&usize, &(Vec<ByteSet>, Option<ByteSet>))| {
                            starts.is_none_or(|s| s.intersects(first_byte))
                                && required.iter().all(|r| r.intersects(line_bytes))
                                && within_chars(line_text, self.regexes[*id].max_chars)
                        };
                    if filter.ids.iter().zip(&filter.required).any(eligible) {
                        filter.candidates(line_index, line_text, found, &mut candidates);
                    }
                }
            }
        }
        // No pair comes twice: a regex has literals or is in a set, not both, and a
        // literal marks a regex once per line. The pairs come in line order twice over
        // (the literals' lines, then the sets'), which the byte sets below rely on.
        // The bytes of the line the last candidate was on.
        let mut line_bytes: Option<(usize, ByteSet)> = None;
        for (line_index, id) in candidates {
            let line = lines[line_index].clone();
            let line_text = &text[line.clone()];
            let entry = &self.regexes[id];
            if !within_chars(line_text, entry.max_chars) {
                continue;
            }
            let rule_regex = &rules[entry.rule].regexes[entry.index];
            let required = rule_regex.required_bytes();
            if !required.is_empty() {
                let bytes = match line_bytes {
                    Some((known, bytes)) if known == line_index => bytes,
                    _ => {
                        let bytes = ByteSet::of(line_text.as_bytes());
                        line_bytes = Some((line_index, bytes));
                        bytes
                    }
                };
                if !required.iter().all(|r| r.intersects(bytes)) {
                    continue;
                }
            }
            if !rule_regex.may_match_before_compiling(line_text) {
                continue;
            }
            let Some(regex) = rule_regex.regex() else {
                continue;
            };
            regex.for_each_match(line_text, |range| {
                hits.push(Hit {
                    rule: entry.rule,
                    line: line_index,
                    range: line.start + range.start..line.start + range.end,
                    veto: false,
                })
            });
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
pub(crate) mod tests {
    use super::*;
    use crate::document::{Document, Format};
    use crate::normalize::DocumentView;
    use crate::{decide, Engine, Mode};

    /// The matcher without prefilters: every phrase by its own automaton, every regex on
    /// every non-empty line. Returns the phrase hits and the regex hits.
    fn reference_hits(
        rules: &[Rule],
        view: &Normalized,
        lines: &[Range<usize>],
    ) -> (Vec<Hit>, Vec<Hit>) {
        let mut patterns = Vec::new();
        let mut owners = Vec::new();
        for (rule_index, rule) in rules.iter().enumerate() {
            for p in &rule.normalized_phrases {
                patterns.push(p.clone());
                owners.push((rule_index, false));
            }
            for p in &rule.normalized_unless {
                patterns.push(p.clone());
                owners.push((rule_index, true));
            }
        }
        let text = view.text.as_str();
        let mut hits = Vec::new();
        if !patterns.is_empty() {
            let automaton = AhoCorasick::new(&patterns).expect("test automaton");
            for m in automaton.find_overlapping_iter(text) {
                let (start, end) = (m.start(), m.end());
                let line = lines.partition_point(|l| l.end < end);
                let inside = lines.get(line).is_some_and(|l| l.start <= start);
                if inside && at_word_boundaries(text, start, end) {
                    let (rule, veto) = owners[m.pattern().as_usize()];
                    hits.push(Hit {
                        rule,
                        line,
                        range: start..end,
                        veto,
                    });
                }
            }
        }
        let mut regex_hits = Vec::new();
        for (line_index, line) in lines.iter().enumerate() {
            if line.is_empty() {
                continue;
            }
            for (rule_index, rule) in rules.iter().enumerate() {
                for regex in &rule.regexes {
                    let regex = regex.regex().expect("built-in and test regexes compile");
                    regex.for_each_match(&text[line.clone()], |range| {
                        regex_hits.push(Hit {
                            rule: rule_index,
                            line: line_index,
                            range: line.start + range.start..line.start + range.end,
                            veto: false,
                        })
                    });
                }
            }
        }
        (hits, regex_hits)
    }

    fn sorted(mut hits: Vec<Hit>) -> Vec<(usize, usize, usize, usize, bool)> {
        let mut keys: Vec<_> = hits
            .drain(..)
            .map(|h| (h.line, h.rule, h.range.start, h.range.end, h.veto))
            .collect();
        keys.sort_unstable();
        keys
    }

    const TEST_PACK: &str = r#"
name = "prefilter-test"
category = "promo"

[[rule]]
id = "promo.t-anchored"
regex = ['^\d+ (?:views|likes)$', '(?i)SUBSCRIBE\s+now', '^\w+ \d{4}$']
max_chars = 30

[[rule]]
id = "promo.t-span"
scope = "span"
max_chars = 40
regex = ['\bjoin (?:our|the) \w+ channel\b', '关注我们的公众号', 'скачайте приложение', '\bthe\b']

[[rule]]
id = "promo.t-keep"
action = "keep"
regex = ['\bquote\b', 'said:?$']
max_chars = 60

[[rule]]
id = "promo.t-short"
phrases = ["the", "read more", "主页"]
regex = ['\bad\b', 'x{2,}', '[a-z]+@[a-z]+\.com', '(?:first|last)(?: |-)?\w{0,3}']
max_words = 8
"#;

    fn engines() -> Vec<Engine> {
        let build = |mode: Mode, extra: bool| {
            let mut builder = Engine::builder().mode(mode);
            if extra {
                builder = builder.add_pack("prefilter-test.toml", TEST_PACK);
            }
            builder.build().expect("test engine")
        };
        vec![
            build(Mode::Default, false),
            build(Mode::Aggressive, false),
            build(Mode::Aggressive, true),
        ]
    }

    /// Raw documents: the fixtures, the development set, and a sample of the shared corpus.
    pub(crate) fn documents() -> Vec<(String, Format)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        let mut folders = vec![root.join("tests/fixtures"), root.join("../shared/eval/dev")];
        if let Ok(entries) = std::fs::read_dir(root.join("../shared/corpus")) {
            folders.extend(entries.flatten().map(|e| e.path().join("cases")));
        }
        for folder in folders {
            let Ok(entries) = std::fs::read_dir(&folder) else {
                continue;
            };
            let mut found: Vec<_> = entries.flatten().map(|e| e.path()).collect();
            found.sort();
            let step = if folder.ends_with("cases") { 10 } else { 1 };
            files.extend(found.into_iter().step_by(step));
        }
        let mut documents = Vec::new();
        for file in files {
            let Ok(case) = std::fs::read_to_string(&file) else {
                continue;
            };
            let format = if case.contains("# format: markdown") {
                Format::Markdown
            } else {
                Format::Text
            };
            let raw: String = case
                .lines()
                .skip_while(|l| l.starts_with('#'))
                .map(|l| {
                    l.split_once('\t')
                        .map_or("", |(_, t)| t)
                        .replace(['⟦', '⟧'], "")
                        + "\n"
                })
                .collect();
            documents.push((raw, format));
        }
        documents
    }

    /// Generated lines mixing phrases, regex literals, numbers, long prose and other scripts.
    pub(crate) fn generated(seed: u64, phrases: &[&str]) -> String {
        let mut next = crate::normalize::tests::random(seed);
        let words = [
            "get",
            "the",
            "app",
            "scan",
            "qr code",
            "to download",
            "12",
            "2024-05-01",
            "views",
            "not",
            "investment advice",
            "disclaimer:",
            "published",
            "on",
            "«",
            "»",
            "\"",
            "关注",
            "我们的",
            "公众号",
            "скачайте",
            "приложение",
            "join",
            "our",
            "telegram",
            "channel",
            "quote",
            "said",
            "first",
            "x",
            "xxx",
            "ad",
            "a@b.com",
            "€50",
            "free",
            "bonus",
            "sign up",
            "register",
            ".",
            "!",
            "?",
            "|",
            "·",
            "-",
            "read more",
            "word",
            "lorem",
            "ipsum",
            "content",
            "reposted",
            "is",
            "subscribe",
            "now",
            "Ünïcödé",
            "ß",
        ];
        let mut text = String::new();
        for _ in 0..400 {
            let long = next(5) == 0;
            let count = 1 + next(if long { 60 } else { 12 });
            let mut line = Vec::new();
            for _ in 0..count {
                let from_phrases = next(4) == 0 && !phrases.is_empty();
                line.push(if from_phrases {
                    phrases[next(phrases.len())]
                } else {
                    words[next(words.len())]
                });
            }
            let glue = if next(6) == 0 { "" } else { " " };
            text.push_str(&line.join(glue));
            text.push('\n');
            if next(5) == 0 {
                text.push('\n');
            }
        }
        text
    }

    fn decisions(context: &decide::Context, hits: Vec<Hit>) -> (Vec<String>, Vec<bool>) {
        let outcome = decide::decide(context, hits);
        let mut decisions: Vec<String> =
            outcome.decisions.iter().map(|d| format!("{d:?}")).collect();
        decisions.sort();
        (decisions, outcome.protected)
    }

    /// The prefiltered matcher finds exactly the reference hits, less the regex hits on
    /// lines too long for their rule; and dropping those changes no decision.
    #[test]
    fn prefilter_is_equivalent_to_running_every_regex_on_every_line() {
        let mut documents = documents();
        for engine in engines() {
            let phrases = engine.phrases();
            for seed in 1..=12 {
                documents.push((generated(seed, &phrases), Format::Text));
            }
            for (raw, format) in &documents {
                let parsed = Document::parse(raw, *format);
                let view = DocumentView::new(&parsed, engine.limits.max_line_bytes);
                let rules = &engine.rules;
                let fast = engine.matcher.find(rules, &view.normalized, &view.lines);
                let (phrase_hits, regex_hits) =
                    reference_hits(rules, &view.normalized, &view.lines);
                let mut reference = phrase_hits.clone();
                reference.extend(regex_hits.iter().cloned());
                let mut gated = phrase_hits;
                gated.extend(regex_hits.into_iter().filter(|h| {
                    let text = &view.normalized.text[view.lines[h.line].clone()];
                    within_chars(text, line_char_limit(&rules[h.rule]))
                }));
                assert_eq!(sorted(fast.clone()), sorted(gated), "{raw}");
                let context = decide::Context::new(&parsed, &view.normalized, &view.lines, rules);
                assert_eq!(
                    decisions(&context, fast),
                    decisions(&context, reference),
                    "{raw}"
                );
            }
        }
    }

    /// A built-in regex with no literals and no `^` runs over every line of every
    /// document: the few below are known and kept. A new one fails here; give it a
    /// word every match holds (or a `^`), or add it to the list with its reason.
    #[test]
    fn built_in_regexes_without_literals_or_anchor_are_few_and_known() {
        const KNOWN: [&str; 8] = [
            // Dates and durations in digits: no word to hold on to (the Arabic
            // one: a Hijri date marked by one letter, `هـ`).
            "meta.datetime-clause",
            "meta.counter-clause",
            "meta.ar.date-and-counters",
            "meta.es.date-and-counters",
            "meta.de.date-and-counters",
            "meta.pt.date-and-counters",
            "meta.zh.date-and-counters",
            // Month abbreviations of three letters or fewer after a separator.
            "meta.date-clause",
        ];
        let mut unfiltered = Vec::new();
        for mode in [Mode::Default, Mode::Aggressive] {
            let engine = Engine::builder()
                .mode(mode)
                .build()
                .expect("built-in packs");
            for rule in engine.rules() {
                for regex in &rule.regexes {
                    let anchored = match &regex.prefilter {
                        Some(crate::rules::Prefilter::Literals(_)) => continue,
                        Some(crate::rules::Prefilter::Relaxed { anchored, .. }) => *anchored,
                        None => false,
                    };
                    if !anchored && !KNOWN.contains(&rule.id.as_str()) {
                        unfiltered.push(rule.id.clone());
                    }
                }
            }
        }
        assert!(
            unfiltered.is_empty(),
            "regexes that run on every line: {unfiltered:?}"
        );
    }

    /// A relaxed regex matches every line the regex matches.
    #[test]
    fn relaxed_regexes_match_at_least_where_the_regex_does() {
        let cases = [
            (
                r"^[\w ]{2,30}, \d{1,2}/\d{1,2}/\d{4}$",
                "martes, 12/03/2024",
            ),
            (r"\b\d[\d ]*\s?просмотр\w*\b", "читать 12 просмотров"),
            (r"^[^.!?]{1,40}$", "главная страница"),
            (r"(?:^|[·|•] )\d{1,2}\s?(?:h|min)\b", "news · 5 min"),
            (r"\d{4}年\d{1,2}月", "发布于2024年5月"),
        ];
        for (pattern, text) in cases {
            let hir = regex_syntax::parse(pattern).expect("test regex");
            let relaxed = meta::Regex::builder()
                .build_from_hir(&relaxed(&hir))
                .expect("relaxed regex");
            assert!(
                regex::Regex::new(pattern).expect("").is_match(text),
                "{pattern}"
            );
            assert!(relaxed.is_match(text), "{pattern} on {text:?}");
        }
    }

    /// An anchored regex's prefix matches a beginning of every line the regex matches,
    /// and its matches stay short.
    #[test]
    fn anchored_prefixes_match_where_the_regex_does() {
        let cases = [
            (
                r"^(?:accept all|reject all|manage (?:cookies|preferences))$",
                "manage preferences",
            ),
            (
                r"^[\w ]{2,30}, \d{1,2}/\d{1,2}/\d{4}$",
                "valència, 18/11/2025",
            ),
            (
                r"^(?:[\p{So}•]\s?){0,4}(?:advertisement|sponsored)\b",
                "🔥 sponsored",
            ),
            (
                r"^(?:copyright\s?)?(?:©|\(c\))\s?.{0,80}$",
                "copyright © 2025 acme corp",
            ),
            (r"^подпишитесь на наш канал", "подпишитесь на наш канал"),
            (r"^(?:accept all|ok)$", "accept all"),
            (
                r"^(?:(?:accept all|manage preferences)\s?){2,3}$",
                "accept all manage preferences",
            ),
            (r"^(?:\d+ (?:views|likes)|x)$", "12 views"),
        ];
        for (pattern, text) in cases {
            let hir = regex_syntax::parse(pattern).expect("test regex");
            let prefix = meta::Regex::builder()
                .build_from_hir(&anchored_prefix(&relaxed(&hir)))
                .expect("prefix regex");
            assert!(
                regex::Regex::new(pattern).expect("").is_match(text),
                "{pattern}"
            );
            let found = prefix
                .search(&Input::new(text).anchored(Anchored::Yes))
                .unwrap_or_else(|| panic!("{pattern} on {text:?}"));
            assert!(
                found.end() <= 3 * ANCHORED_PREFIX_BYTES,
                "{pattern}: {found:?}"
            );
        }
    }

    #[test]
    fn char_limits_count_characters_only_when_needed() {
        assert!(within_chars("abc", Some(3)));
        assert!(!within_chars("abcd", Some(3)));
        assert!(within_chars("ééé", Some(3)));
        assert!(!within_chars("éééé", Some(3)));
        assert!(within_chars("anything", None));
    }

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
