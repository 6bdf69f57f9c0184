//! Byte sets: the cheap first test of a line for the regexes without literals.
//!
//! A regex with no literal every match holds (dates and counters in digits,
//! say) would run on every line. Most of them still need one of a few bytes:
//! a digit, a separator, the lead byte of a symbol. [`required_bytes`] finds
//! such a set in the regex's syntax tree, and a line whose bytes miss it is
//! skipped without running anything.

use regex_syntax::hir::{Class, Hir, HirKind};

/// Lines at least this long get their byte set from a flag table (see [`ByteSet::of`]);
/// below it, clearing and packing the table costs more than the chained updates.
const FLAG_TABLE_MIN_LEN: usize = 64;

/// A set of byte values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct ByteSet([u64; 4]);

impl ByteSet {
    /// The bytes of `text`.
    ///
    /// Setting bits one byte at a time chains each byte's update to the last one's
    /// (most bytes of a line fall in the same word of 64 byte values): on lines of at
    /// least [`FLAG_TABLE_MIN_LEN`] bytes, independent stores into a flag per byte value,
    /// packed into bits at the end, took the text stream's `find_selected` from 18%
    /// to 15% of the time, `ByteSet::of` included, and the stream from 16.8 to 18.4 MB/s
    /// (perf and three alternating runs, `--stream-only --warm --mb 30`).
    pub(crate) fn of(text: &[u8]) -> ByteSet {
        if text.len() < FLAG_TABLE_MIN_LEN {
            let mut set = ByteSet::default();
            for &byte in text {
                set.insert(byte);
            }
            return set;
        }
        let mut flags = [0u8; 256];
        for &byte in text {
            flags[usize::from(byte)] = 1;
        }
        let mut set = ByteSet::default();
        for (word, flags) in set.0.iter_mut().zip(flags.chunks_exact(64)) {
            for (shift, eight) in flags.chunks_exact(8).enumerate() {
                let mut bytes = [0u8; 8];
                bytes.copy_from_slice(eight);
                // Eight 0/1 bytes to eight bits, the first byte the lowest bit.
                let packed = u64::from_le_bytes(bytes).wrapping_mul(0x0102_0408_1020_4080) >> 56;
                *word |= packed << (shift * 8);
            }
        }
        set
    }

    fn insert(&mut self, byte: u8) {
        self.0[usize::from(byte >> 6)] |= 1 << (byte & 63);
    }

    fn insert_range(&mut self, low: u8, high: u8) {
        for byte in low..=high {
            self.insert(byte);
        }
    }

    fn union(mut self, other: ByteSet) -> ByteSet {
        for (word, other) in self.0.iter_mut().zip(other.0) {
            *word |= other;
        }
        self
    }

    /// Whether the two sets share a byte.
    pub(crate) fn intersects(self, other: ByteSet) -> bool {
        self.0.iter().zip(other.0).any(|(a, b)| a & b != 0)
    }

    /// How likely a line of normalized text is to hold one of the bytes, as the sum
    /// of [`BYTE_WEIGHTS`] over them (taking the bytes as independent, the sum orders
    /// sets as the chance that a line holds none of them does).
    fn weight(self) -> u32 {
        let mut total = 0;
        for (index, &word) in self.0.iter().enumerate() {
            let mut bits = word;
            while bits != 0 {
                let byte = index * 64 + bits.trailing_zeros() as usize;
                total += u32::from(BYTE_WEIGHTS[byte]);
                bits &= bits - 1;
            }
        }
        total
    }
}

/// Per byte, `-ln(1 - p) * 100` for a guess `p` of the chance that a line of
/// normalized text holds it: the space 0.9 and lower-case letters and `.` 0.5 (in
/// most lines), `,` 0.3, `-` 0.15, `'` and `:` 0.1, a digit, `/`, `"`, a parenthesis
/// or a UTF-8 continuation byte 0.05 (the corpus this is tuned on,
/// `shared/corpus`, is mostly English), a lead byte 0.02 (its script's lines
/// only), any other byte 0.01.
static BYTE_WEIGHTS: [u16; 256] = {
    let mut weights = [1u16; 256];
    let mut byte = 0;
    while byte < 256 {
        weights[byte] = match byte as u8 {
            b' ' => 230,
            b'a'..=b'z' | b'.' => 69,
            b',' => 36,
            b'-' => 16,
            b'\'' | b':' => 11,
            b'0'..=b'9' | b'/' | b'"' | b'(' | b')' | 0x80..=0xBF => 5,
            0xC0..=0xFF => 2,
            _ => 1,
        };
        byte += 1;
    }
    weights
};

/// Most byte sets a line is tested against for one regex.
const MAX_REQUIRED_SETS: usize = 4;

/// Byte sets every match of `hir` holds a byte of each of (all of them), the least
/// likely ones found, at most [`MAX_REQUIRED_SETS`]; empty when there are none (a
/// match may be empty, say).
pub(crate) fn required_bytes(hir: &Hir) -> Vec<ByteSet> {
    least_likely(required_sets(hir))
}

/// The distinct sets of `sets`, least likely first, at most [`MAX_REQUIRED_SETS`].
fn least_likely(mut sets: Vec<ByteSet>) -> Vec<ByteSet> {
    sets.sort_by_cached_key(|set| set.weight());
    let mut distinct: Vec<ByteSet> = Vec::with_capacity(MAX_REQUIRED_SETS);
    for set in sets {
        if distinct.len() == MAX_REQUIRED_SETS {
            break;
        }
        if !distinct.contains(&set) {
            distinct.push(set);
        }
    }
    distinct
}

fn required_sets(hir: &Hir) -> Vec<ByteSet> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Vec::new(),
        // Every byte of the literal is in every match.
        HirKind::Literal(literal) => literal.0.iter().map(|&byte| ByteSet::of(&[byte])).collect(),
        HirKind::Class(Class::Bytes(class)) => {
            let mut set = ByteSet::default();
            for range in class.ranges() {
                set.insert_range(range.start(), range.end());
            }
            vec![set]
        }
        HirKind::Class(Class::Unicode(class)) => {
            // UTF-8 lead bytes grow with the code point: a range of characters
            // starts with the lead bytes from its first character's to its last's.
            let mut set = ByteSet::default();
            for range in class.ranges() {
                set.insert_range(lead_byte(range.start()), lead_byte(range.end()));
            }
            vec![set]
        }
        HirKind::Repetition(repetition) if repetition.min > 0 => required_sets(&repetition.sub),
        HirKind::Repetition(_) => Vec::new(),
        HirKind::Capture(capture) => required_sets(&capture.sub),
        HirKind::Concat(parts) => parts.iter().flat_map(required_sets).collect(),
        // A match holds a match of one branch: for a set of each branch, their union
        // is required; the least likely unions of pairs are kept, branch by branch.
        HirKind::Alternation(branches) => {
            let mut unions: Vec<ByteSet> = Vec::new();
            for (index, branch) in branches.iter().enumerate() {
                let sets = required_bytes(branch);
                if sets.is_empty() {
                    return Vec::new();
                }
                unions = if index == 0 {
                    sets
                } else {
                    least_likely(
                        unions
                            .iter()
                            .flat_map(|a| sets.iter().map(move |b| a.union(*b)))
                            .collect(),
                    )
                };
            }
            unions
        }
    }
}

/// The bytes a match of `hir` can start with; `None` when a match may be empty.
pub(crate) fn first_bytes(hir: &Hir) -> Option<ByteSet> {
    let (set, may_be_empty) = first_sets(hir);
    (!may_be_empty).then_some(set)
}

/// The first bytes of the non-empty matches of `hir`, and whether a match may be empty.
fn first_sets(hir: &Hir) -> (ByteSet, bool) {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => (ByteSet::default(), true),
        HirKind::Literal(literal) => match literal.0.first() {
            Some(&byte) => (ByteSet::of(&[byte]), false),
            None => (ByteSet::default(), true),
        },
        HirKind::Class(class) => (
            required_sets(hir).pop().unwrap_or_default(),
            class_is_empty(class),
        ),
        HirKind::Repetition(repetition) => {
            let (set, empty) = first_sets(&repetition.sub);
            (set, empty || repetition.min == 0)
        }
        HirKind::Capture(capture) => first_sets(&capture.sub),
        HirKind::Concat(parts) => {
            let mut set = ByteSet::default();
            for part in parts {
                let (first, empty) = first_sets(part);
                set = set.union(first);
                if !empty {
                    return (set, false);
                }
            }
            (set, true)
        }
        HirKind::Alternation(branches) => branches.iter().map(first_sets).fold(
            (ByteSet::default(), false),
            |(set, empty), (first, may_be_empty)| (set.union(first), empty || may_be_empty),
        ),
    }
}

/// A class that matches nothing (`[^\s\S]`) has no first byte, and no match.
fn class_is_empty(class: &Class) -> bool {
    match class {
        Class::Unicode(class) => class.ranges().is_empty(),
        Class::Bytes(class) => class.ranges().is_empty(),
    }
}

fn lead_byte(c: char) -> u8 {
    let mut buffer = [0; 4];
    c.encode_utf8(&mut buffer).as_bytes()[0]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn required(pattern: &str) -> Vec<ByteSet> {
        required_bytes(&regex_syntax::parse(pattern).expect("test regex"))
    }

    fn holds_all(sets: &[ByteSet], text: &str) -> bool {
        let bytes = ByteSet::of(text.as_bytes());
        sets.iter().all(|set| set.intersects(bytes))
    }

    #[test]
    fn the_flag_table_gives_the_byte_set_of_the_simple_loop() {
        let mut texts: Vec<Vec<u8>> = vec![
            Vec::new(),
            b"short".to_vec(),
            (0..=255u8).collect(),
            (0..=255u8).rev().cycle().take(1000).collect(),
            "Подпишитесь на наш канал в Telegram, 12.03.2025 | 1,2K просмотров · 5 мин"
                .repeat(3)
                .into_bytes(),
        ];
        // Every length around the switch, with bytes from all four words.
        for length in FLAG_TABLE_MIN_LEN - 2..FLAG_TABLE_MIN_LEN + 10 {
            texts.push((0..length).map(|i| (i * 37 % 256) as u8).collect());
        }
        for text in &texts {
            let mut expected = ByteSet::default();
            for &byte in text {
                expected.insert(byte);
            }
            assert_eq!(ByteSet::of(text), expected, "{} bytes", text.len());
        }
    }

    /// Every match of the regex holds a byte of each of its sets (checked on samples),
    /// and the sets rule out the lines a reader would expect.
    #[test]
    fn required_bytes_are_held_by_every_match() {
        let cases = [
            (
                r"(?:^|[·|•] )\d{1,2}\s?(?:h|min)\b",
                "· 5 min",
                "read the full story",
            ),
            (r"\d{4}-\d{1,2}-\d{1,2}", "on 2025-01-02", "pages 12 to 14"),
            (r"\d+", "٣٤", "阅读全文"),
            (r"[·|•] (?:jan|feb) \d", "| jan 5", "jan 5"),
            (
                r"^(?:copyright\s?)?(?:©|\(c\))\s?.{0,80}$",
                "© 2025 acme",
                "2025 acme",
            ),
            (r"^(?:share|tweet)$", "share", "12"),
        ];
        for (pattern, sample, ruled_out) in cases {
            let sets = required(pattern);
            assert!(!sets.is_empty(), "{pattern}: no set");
            let regex = regex::Regex::new(pattern).expect("test regex");
            let found = regex.find(sample).expect("sample matches");
            assert!(holds_all(&sets, found.as_str()), "{pattern} on {sample:?}");
            assert!(
                !holds_all(&sets, ruled_out),
                "{pattern} should rule out {ruled_out:?}"
            );
        }
        // Digits: a line of letters alone is ruled out, in any script.
        let digits = required(r"\b\d{1,2}\s?(?:h|min)\b");
        for line in ["read the full story", "читать далее", "阅读全文"] {
            assert!(!holds_all(&digits, line), "{line}");
        }
        assert!(required(r"(?:x)?y*").is_empty());
        let first = |pattern: &str| first_bytes(&regex_syntax::parse(pattern).expect("regex"));
        let starts = first(r"^(?:[•·]\s?){0,2}(?:accept|reject) all$").expect("first bytes");
        for (text, expected) in [("accept all", true), ("• reject all", true), ("x", false)] {
            let byte = ByteSet::of(&text.as_bytes()[..1]);
            assert_eq!(starts.intersects(byte), expected, "{text}");
        }
        assert!(first(r"^(?:ok)?").is_none());
        assert!(required(r"\b").is_empty());
    }
}
