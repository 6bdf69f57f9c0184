//! The literals a regex's matches must hold, for the matcher's prefilter.
//!
//! This file depends on `regex-syntax` and `memchr` alone: the build script
//! includes it too and runs it on the built-in packs' regexes, so that an
//! engine with the built-in packs gets their literals without parsing them
//! (parsing and extraction were most of the engine's build time).

use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Hir, HirKind, Look};

/// Literals shorter than this (in bytes) would mark too many lines to be worth it.
pub(crate) const MIN_LITERAL_LEN: usize = 3;
/// Literals are cut to this many bytes.
pub(crate) const MAX_LITERAL_LEN: usize = 10;
/// Most literals taken for one regex.
pub(crate) const MAX_LITERALS: usize = 200;

/// Literals one of which every match of `hir` holds: those it starts with, or
/// else ends with, or else those of a part every match goes through; `None`
/// when there is no small finite set of them of useful length.
///
/// The regex then runs on the whole line, so a literal in the middle of a match
/// marks the line as well as one at its start: `(?:^|[·|] )\d{1,2} (?:may|june)
/// \d{4}` has no literals at either end (the digits are too many and too
/// short) but every match holds `may` or `june`. Without them such a regex
/// joins the set of regexes that run on every line.
pub(crate) fn required_literals(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    literals_at_either_end(hir).or_else(|| inner_literals(hir))
}

/// Most literal sets [`required_literal_sets`] gives for one regex.
const MAX_LITERAL_SETS: usize = 4;

/// Literals one of which every match of a regex holds, and where in the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LiteralSet {
    pub(crate) literals: Vec<Vec<u8>>,
    /// For a regex anchored at the line's start: the literal lies within this many
    /// bytes of it.
    pub(crate) from_start: Option<usize>,
    /// For a regex anchored at the line's end: within this many bytes of the end.
    pub(crate) from_end: Option<usize>,
}

impl LiteralSet {
    /// Whether `line` holds one of the literals where a match would hold it.
    pub(crate) fn found_in(&self, line: &[u8]) -> bool {
        let end = self.from_start.map_or(line.len(), |n| n.min(line.len()));
        let start = self.from_end.map_or(0, |n| line.len().saturating_sub(n));
        let Some(line) = line.get(start..end) else {
            return false;
        };
        self.literals
            .iter()
            .any(|literal| memchr::memmem::find(line, literal).is_some())
    }
}

/// Literal sets every match of `hir` holds a literal of each of: the
/// [`required_literals`] of each part of its concatenations (a line that misses
/// one set cannot match), the most selective ones first, at most
/// [`MAX_LITERAL_SETS`]. `\b(?:assine|inscreva-se)\b[^.!?]{0,40}\b(?:newsletter|boletim)\b`
/// gives two sets, where [`required_literals`] gives one. For a regex anchored at
/// the line's start (end), a set after (before) parts of bounded length says how
/// far into the line its literal can lie: `^оставить (?:комментарий|отзыв)$` holds
/// `оставить` at the line's start, not anywhere.
pub(crate) fn required_literal_sets(hir: &Hir) -> Vec<LiteralSet> {
    let looks = hir.properties();
    let mut sets = Vec::new();
    literal_sets(
        hir,
        looks.look_set_prefix().contains(Look::Start).then_some(0),
        looks.look_set_suffix().contains(Look::End).then_some(0),
        &mut sets,
    );
    sets.sort_by_key(|set| std::cmp::Reverse(selectivity(&set.literals)));
    let mut distinct: Vec<LiteralSet> = Vec::with_capacity(MAX_LITERAL_SETS);
    for set in sets {
        if distinct.len() < MAX_LITERAL_SETS && !distinct.contains(&set) {
            distinct.push(set);
        }
    }
    distinct
}

/// Adds the literal sets of `hir`, whose matches start at most `before` bytes
/// after the line's start and end at most `after` bytes before its end (`None`:
/// anywhere).
fn literal_sets(
    hir: &Hir,
    before: Option<usize>,
    after: Option<usize>,
    sets: &mut Vec<LiteralSet>,
) {
    let plus =
        |a: Option<usize>, part: &Hir| a.zip(part.properties().maximum_len()).map(|(a, b)| a + b);
    match hir.kind() {
        HirKind::Capture(capture) => literal_sets(&capture.sub, before, after, sets),
        // Every copy holds the sub's literals, the first one near the start and the
        // last one near the end.
        HirKind::Repetition(repetition) if repetition.min > 0 => {
            if repetition.max == Some(1) || (before.is_none() && after.is_none()) {
                literal_sets(&repetition.sub, before, after, sets);
            } else {
                literal_sets(&repetition.sub, before, None, sets);
                literal_sets(&repetition.sub, None, after, sets);
            }
        }
        HirKind::Concat(parts) => {
            // Bytes the parts after each one can take, back to front.
            let mut afters = vec![after; parts.len()];
            for index in (0..parts.len().saturating_sub(1)).rev() {
                afters[index] = plus(afters[index + 1], &parts[index + 1]);
            }
            let mut before = before;
            for (part, after) in parts.iter().zip(afters) {
                literal_sets(part, before, after, sets);
                before = plus(before, part);
            }
        }
        _ => {
            if let Some(literals) = required_literals(hir) {
                sets.push(LiteralSet {
                    literals,
                    from_start: plus(before, hir),
                    from_end: plus(after, hir),
                });
            }
        }
    }
}

/// [`required_literals`] of the parts of `hir` (not of its ends).
fn inner_literals(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    match hir.kind() {
        HirKind::Capture(capture) => required_literals(&capture.sub),
        HirKind::Repetition(repetition) if repetition.min > 0 => required_literals(&repetition.sub),
        HirKind::Alternation(branches) => {
            let mut all = Vec::new();
            for branch in branches {
                all.extend(required_literals(branch)?);
            }
            let all = without_redundant(all.into_iter());
            (all.len() <= MAX_LITERALS).then_some(all)
        }
        // A match of the concatenation holds a match of each tail of it (an optional
        // leading decoration left out, say) and of each part.
        HirKind::Concat(parts) => (1..parts.len())
            .filter_map(|start| literals_at_either_end(&Hir::concat(parts[start..].to_vec())))
            .chain(parts.iter().filter_map(inner_literals))
            .reduce(|best, next| {
                if selectivity(&next) > selectivity(&best) {
                    next
                } else {
                    best
                }
            }),
        _ => None,
    }
}

/// How few lines a literal set is likely to mark: longer shortest literal first,
/// then fewer literals.
fn selectivity(literals: &[Vec<u8>]) -> (usize, std::cmp::Reverse<usize>) {
    let shortest = literals.iter().map(Vec::len).min().unwrap_or(0);
    (shortest, std::cmp::Reverse(literals.len()))
}

/// The literals every match of `hir` starts with, or else ends with.
fn literals_at_either_end(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    let mut best: Option<Vec<Vec<u8>>> = None;
    for suffix in [false, true] {
        let kind = if suffix {
            ExtractKind::Suffix
        } else {
            ExtractKind::Prefix
        };
        let seq = Extractor::new().kind(kind).extract(hir);
        let Some(literals) = seq.literals() else {
            continue;
        };
        let shortest = literals.iter().map(|l| l.as_bytes().len()).min();
        if literals.is_empty()
            || literals.len() > MAX_LITERALS
            || shortest.is_none_or(|n| n < MIN_LITERAL_LEN)
        {
            continue;
        }
        // Every match starts with a prefix of a prefix literal (ends with a suffix of a
        // suffix literal), so literals are cut to `MAX_LITERAL_LEN` to share more.
        let cut = |bytes: &[u8]| match suffix {
            true => bytes[bytes.len().saturating_sub(MAX_LITERAL_LEN)..].to_vec(),
            false => bytes[..bytes.len().min(MAX_LITERAL_LEN)].to_vec(),
        };
        let candidate = without_redundant(literals.iter().map(|l| cut(l.as_bytes())));
        if best
            .as_ref()
            .is_none_or(|b| selectivity(&candidate).0 > selectivity(b).0)
        {
            best = Some(candidate);
        }
    }
    best
}

/// The literals none of the others is part of: a line holding a longer one holds the
/// shorter one too, so the shorter one alone marks the same lines.
fn without_redundant(literals: impl Iterator<Item = Vec<u8>>) -> Vec<Vec<u8>> {
    let mut all: Vec<Vec<u8>> = literals.collect();
    all.sort_by_key(Vec::len);
    let mut kept: Vec<Vec<u8>> = Vec::new();
    for literal in all {
        let covered = kept
            .iter()
            .any(|k| memchr::memmem::find(&literal, k).is_some());
        if !covered {
            kept.push(literal);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn literals_of(pattern: &str) -> Option<Vec<Vec<u8>>> {
        required_literals(&regex_syntax::parse(pattern).expect("test regex"))
    }

    #[test]
    fn literals_are_found_after_an_optional_leading_decoration() {
        // Neither end has literals until the optional decoration goes.
        let pattern = r"^(?:[\p{So}•]\x{fe0f}?\s?){0,4}(?:join|follow) (?:our|my) \p{L}+";
        let literals = literals_of(pattern).unwrap_or_else(|| panic!("no literals"));
        assert!(
            literals.iter().any(|l| l.starts_with(b"join")),
            "{literals:?}"
        );
        // A required decoration does not hide the words after it either.
        let literals = literals_of(r"^(?:[\p{So}•]\s?){1,4}(?:join|follow) \p{L}+").expect("");
        assert!(literals
            .iter()
            .all(|l| l.starts_with(b"join") || l.starts_with(b"follow")));
        assert!(literals_of(r"^(?:[\p{So}•]\s?){0,4}(?:join|follow)? \p{L}+").is_none());
    }

    #[test]
    fn literals_are_taken_from_a_part_every_match_holds() {
        let holds = |literal: &[u8], word: &[u8]| memchr::memmem::find(literal, word).is_some();
        let literals = literals_of(r"(?:^|[·|] )\d{1,2} (?:may|june) \d{4}").expect("literals");
        assert!(literals.len() == 2, "{literals:?}");
        assert!(literals.iter().any(|l| holds(l, b"may")), "{literals:?}");
        assert!(literals.iter().any(|l| holds(l, b"june")), "{literals:?}");
        // Each branch of an alternation must hold one.
        let literals = literals_of(r"\d+ (?:views|(?:read|seen) \d+ times) \d+").expect("");
        assert!(literals.len() == 3, "{literals:?}");
        assert!(literals_of(r"\d+ (?:views|\d+)").is_none());
        // An optional part holds nothing required.
        assert!(literals_of(r"\d+ (?:views)? ?\d+").is_none());
    }

    #[test]
    fn literals_are_extracted_only_when_useful() {
        let literals = literals_of(r"\b(?:get|download) the app\b").expect("literals");
        assert!(literals.iter().any(|l| l.starts_with(b"get")));
        assert!(literals_of(r"^\d+ views$").is_some());
        assert!(literals_of(r"\d+").is_none());
        assert!(literals_of(r"x{2,}").is_none());
        assert!(literals_of(r"[a-z]+@[a-z]+\.com").is_some());
        let literals = literals_of(r"\b(?:get|open) (?:the |our )?(?:free )?app").expect("");
        assert!(literals.iter().all(|l| l.len() <= MAX_LITERAL_LEN));
        assert!(literals
            .iter()
            .all(|l| l.starts_with(b"get ") || l.starts_with(b"open ")));
        let literals =
            literals_of(r"\bscan\b (?:the |our )?(?:qr ?code |code )?to \w+").expect("literals");
        assert!(literals.len() <= 10, "{literals:?}");
    }

    /// Table: a regex, a line it matches (which holds a literal of each set) and a
    /// line that holds its prefilter's literal but misses a set, or holds it too
    /// far from an anchored end.
    #[test]
    fn literal_sets_turn_away_lines_that_cannot_match() {
        let cases = [
            (
                r"\b(?:assine|inscreva-se)\b[^.!?]{0,40}\b(?:newsletter|boletim)\b",
                "assine a nossa newsletter",
                "assine o contrato hoje",
            ),
            (
                r"^оставить (?:свой )?(?:комментарий|отзыв)$",
                "оставить свой отзыв",
                "вы всегда можете оставить комментарий",
            ),
            (
                r"\bбез спама\b[.!]?$",
                "подпишитесь на рассылку, без спама!",
                "без спама и рекламы мы пишем о городе каждый день",
            ),
            (
                r"^(?:[\p{So}•]\s?){0,4}(?:join|follow) (?:our|my) channel\b",
                "🔥 join our channel",
                "if you read the news every morning before work, join our channel",
            ),
            (
                r"^(?:accept all|reject all)(?: (?:accept all|reject all))+$",
                "accept all reject all",
                "we accept all cards and reject all excuses here, accept all",
            ),
        ];
        for (pattern, matching, turned_away) in cases {
            let sets = required_literal_sets(&regex_syntax::parse(pattern).expect("test regex"));
            let holds = |line: &str| sets.iter().all(|set| set.found_in(line.as_bytes()));
            let regex = regex::Regex::new(pattern).expect("test regex");
            assert!(regex.is_match(matching), "{pattern}");
            assert!(holds(matching), "{pattern} on {matching:?}: {sets:?}");
            assert!(!regex.is_match(turned_away), "{pattern}");
            assert!(
                !holds(turned_away),
                "{pattern} on {turned_away:?}: {sets:?}"
            );
        }
        // Without literals, nothing is turned away.
        let sets = required_literal_sets(&regex_syntax::parse(r"^\d+$").expect("test regex"));
        assert!(sets.is_empty(), "{sets:?}");
    }
}
