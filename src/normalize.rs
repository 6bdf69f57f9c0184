//! The normalized view: text folded for matching, with a map back to raw bytes.
//!
//! Rules are written once and must match however a page spells its text, so
//! both rule phrases and documents are folded the same way:
//!
//! - Unicode NFKC (full-width forms, ligatures, compatibility digits);
//! - full case folding (`ß` → `ss`, final sigma, Turkish dotted and dotless `i`
//!   both to `i`);
//! - zero-width and format characters dropped (U+200B..U+200F, U+2060, U+FEFF,
//!   soft hyphen, bidi controls, Arabic tatweel, variation selectors such as
//!   the emoji presentation selector U+FE0F that follows many emoji); ZWNJ is dropped rather than
//!   turned into a space, so a Persian word written with or without it stays
//!   one word;
//! - every run of whitespace (no-break, thin, figure, ideographic spaces
//!   included) becomes one ASCII space, trimmed at line ends;
//! - typographic quotes, apostrophes and dashes become `"`, `'` and `-`
//!   (guillemets stay: they are also breadcrumb separators);
//! - Arabic-script letter variants (Arabic yeh and kaf) fold to their Persian
//!   forms, and Arabic-Indic, Persian and Devanagari digits to ASCII digits.
//!
//! The [`OffsetMap`] records, for every stretch of normalized text, which raw
//! bytes produced it. Where a character folds to one of the same byte length
//! (ASCII and Cyrillic case, most letters of every script) the map is an
//! identity stretch and costs nothing per byte; elsewhere a stretch maps as a
//! whole to its raw characters, so a mapped range never splits a UTF-8
//! character.

use std::ops::Range;
use std::sync::atomic::{AtomicU32, Ordering};
use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::UnicodeNormalization;

/// One stretch of normalized text and the raw bytes it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Segment {
    norm_start: usize,
    raw_start: usize,
    raw_end: usize,
    /// Byte `i` of the stretch corresponds to raw byte `raw_start + i`.
    identity: bool,
}

/// Maps byte offsets of normalized text back to byte offsets of the raw input.
#[derive(Debug, Clone, Default)]
pub struct OffsetMap {
    segments: Vec<Segment>,
    norm_len: usize,
}

impl OffsetMap {
    fn segment_index(&self, norm: usize) -> Option<usize> {
        let index = self.segments.partition_point(|s| s.norm_start <= norm);
        index.checked_sub(1)
    }

    /// The raw offset where the character at normalized offset `norm` begins.
    pub fn raw_start(&self, norm: usize) -> usize {
        match self.segment_index(norm) {
            None => 0,
            Some(i) => {
                let s = self.segments[i];
                if s.identity {
                    (s.raw_start + (norm - s.norm_start)).min(s.raw_end)
                } else {
                    s.raw_start
                }
            }
        }
    }

    /// The raw offset just after the character that ends at normalized offset `norm_end`.
    pub fn raw_end(&self, norm_end: usize) -> usize {
        if norm_end == 0 {
            return self.segments.first().map_or(0, |s| s.raw_start);
        }
        match self.segment_index(norm_end - 1) {
            None => 0,
            Some(i) => {
                let s = self.segments[i];
                if s.identity {
                    (s.raw_start + (norm_end - s.norm_start)).min(s.raw_end)
                } else {
                    s.raw_end
                }
            }
        }
    }

    /// The raw byte range that produced the normalized range.
    pub fn raw_range(&self, norm: Range<usize>) -> Range<usize> {
        if norm.is_empty() {
            let at = self.raw_start(norm.start);
            return at..at;
        }
        self.raw_start(norm.start)..self.raw_end(norm.end)
    }

    /// Length of the normalized text this map covers.
    pub fn norm_len(&self) -> usize {
        self.norm_len
    }
}

/// How one character folds.
enum Fold {
    /// Kept with the same byte length (maybe a different character, e.g. lower case).
    Same(char),
    /// Replaced by a character of another byte length.
    Char(char),
    /// Dropped.
    Skip,
    /// Part of a whitespace run.
    Space,
    /// Needs the general NFKC + case folding path.
    Slow,
}

/// Characters that carry no visible text: zero-width spaces and joiners, word
/// joiner, BOM, soft hyphen, directional marks and embeddings, Arabic tatweel,
/// variation selectors (`📱\u{FE0F}` and `📱` are the same emoji to a reader).
pub fn is_ignorable(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{0640}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}')
}

/// The ASCII characters that fold to a space.
fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0b' | b'\x0c')
}

/// Whether `text` starts with a combining mark (which folds with the character before it).
fn starts_with_mark(text: &str) -> bool {
    text.chars()
        .next()
        .is_some_and(|c| !c.is_ascii() && canonical_combining_class(c) != 0)
}

fn fold_char(c: char) -> Fold {
    if c.is_ascii() {
        return if c.is_ascii_whitespace() || c == '\x0b' {
            Fold::Space
        } else {
            Fold::Same(c.to_ascii_lowercase())
        };
    }
    match c {
        // Lower-case Cyrillic and CJK ideographs are stable: the commonest non-ASCII letters.
        '\u{0430}'..='\u{044F}' | '\u{4E00}'..='\u{9FFF}' => Fold::Same(c),
        '\u{0410}'..='\u{042F}' => Fold::Same(char::from_u32(c as u32 + 0x20).unwrap_or(c)),
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}' => {
            Fold::Char('\'')
        }
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{300C}'
        | '\u{300D}' | '\u{300E}' | '\u{300F}' => Fold::Char('"'),
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => {
            Fold::Char('-')
        }
        '\u{0130}' | '\u{0131}' => Fold::Char('i'),
        '\u{064A}' | '\u{0649}' => Fold::Same('\u{06CC}'),
        '\u{0643}' => Fold::Same('\u{06A9}'),
        '\u{0660}'..='\u{0669}' => Fold::Char(char::from(b'0' + (c as u32 - 0x0660) as u8)),
        '\u{06F0}'..='\u{06F9}' => Fold::Char(char::from(b'0' + (c as u32 - 0x06F0) as u8)),
        '\u{0966}'..='\u{096F}' => Fold::Char(char::from(b'0' + (c as u32 - 0x0966) as u8)),
        _ if is_ignorable(c) => Fold::Skip,
        _ if c.is_whitespace() => Fold::Space,
        _ => {
            let mut decomposed = 0;
            let mut same = true;
            unicode_normalization::char::decompose_compatible(c, |d| {
                decomposed += 1;
                same &= d == c;
            });
            if decomposed == 1 && same && !c.is_uppercase() && c != 'ς' && c != 'ß' {
                Fold::Same(c)
            } else {
                Fold::Slow
            }
        }
    }
}

/// [`fold_char`] settled: what a character on its own (no combining mark after it)
/// adds to the view. `Slow` only for a character that folds to several
/// (`ß` to `ss`); a one-character result of the general path is `Same` or `Char`,
/// an empty one `Space` or `Skip`, exactly as [`Normalizer::push_slow`] would push it.
fn resolve(c: char) -> Fold {
    match fold_char(c) {
        Fold::Slow => {}
        fold => return fold,
    }
    let mut buffer = [0u8; 4];
    let raw = c.encode_utf8(&mut buffer);
    let (folded, out) = fold_slow_piece(raw);
    let mut chars = out.chars();
    match (chars.next(), chars.next()) {
        (None, _) if folded.chars().any(char::is_whitespace) => Fold::Space,
        (None, _) => Fold::Skip,
        (Some(single), None) if out.len() == raw.len() => Fold::Same(single),
        (Some(single), None) => Fold::Char(single),
        _ => Fold::Slow,
    }
}

/// How one character of the Basic Multilingual Plane folds, and whether it is a
/// starter (combining class 0), cached on first sight: a page holds few distinct
/// non-ASCII characters, each many times, and the general path (NFKC, case
/// folding, NFKC) costs a thousand instructions a character. An entry is 0
/// until known; then `char | kind << 21 | starter << 24`.
static FOLD_CACHE: [AtomicU32; 0x10000] = [const { AtomicU32::new(0) }; 0x10000];

const KIND_SAME: u32 = 1;
const KIND_CHAR: u32 = 2;
const KIND_SKIP: u32 = 3;
const KIND_SPACE: u32 = 4;
const KIND_SLOW: u32 = 5;

/// [`resolve`] of `c` and whether `c` is a starter, from the cache when `c` is in the
/// Basic Multilingual Plane.
fn resolve_cached(c: char) -> (Fold, bool) {
    let compute = |c: char| (resolve(c), canonical_combining_class(c) == 0);
    let Some(slot) = FOLD_CACHE.get(c as usize) else {
        return compute(c);
    };
    let entry = slot.load(Ordering::Relaxed);
    if entry == 0 {
        let (fold, starter) = compute(c);
        let (kind, out) = match fold {
            Fold::Same(out) => (KIND_SAME, out),
            Fold::Char(out) => (KIND_CHAR, out),
            Fold::Skip => (KIND_SKIP, '\0'),
            Fold::Space => (KIND_SPACE, '\0'),
            Fold::Slow => (KIND_SLOW, '\0'),
        };
        slot.store(
            out as u32 | kind << 21 | u32::from(starter) << 24,
            Ordering::Relaxed,
        );
        return (fold, starter);
    }
    let out = char::from_u32(entry & 0x1F_FFFF).unwrap_or('\0');
    let fold = match (entry >> 21) & 7 {
        KIND_SAME => Fold::Same(out),
        KIND_CHAR => Fold::Char(out),
        KIND_SKIP => Fold::Skip,
        KIND_SPACE => Fold::Space,
        _ => Fold::Slow,
    };
    (fold, entry >> 24 & 1 == 1)
}

/// NFKC, then full case folding, then NFKC again (the NFKC_Casefold recipe).
fn fold_slow(text: &str) -> String {
    let composed: String = text.nfkc().collect();
    let folded = caseless::default_case_fold_str(&composed);
    folded.nfkc().collect()
}

/// The general path's fold of `raw` (NFKC, case folding, NFKC), and that folded text
/// with each character folded once more (spaces collapsed, trailing ones dropped).
fn fold_slow_piece(raw: &str) -> (String, String) {
    let folded = fold_slow(raw);
    let mut out = String::with_capacity(folded.len());
    for c in folded.chars() {
        match fold_char(c) {
            Fold::Same(d) | Fold::Char(d) => out.push(d),
            Fold::Slow => out.push(c),
            Fold::Skip => {}
            Fold::Space => {
                if !out.is_empty() && !out.ends_with(' ') {
                    out.push(' ');
                }
            }
        }
    }
    let trimmed = out.trim_end_matches(' ').len();
    out.truncate(trimmed);
    (folded, out)
}

/// Builds a normalized view piece by piece, line by line.
#[derive(Debug, Default)]
pub struct Normalizer {
    text: String,
    segments: Vec<Segment>,
    pending_space: Option<Range<usize>>,
}

impl Normalizer {
    /// A normalizer whose output buffer is sized for about `capacity` bytes.
    pub fn with_capacity(capacity: usize) -> Normalizer {
        Normalizer {
            text: String::with_capacity(capacity),
            segments: Vec::with_capacity(capacity / 64 + 4),
            pending_space: None,
        }
    }

    /// The normalized text so far.
    pub fn text(&self) -> &str {
        &self.text
    }

    fn push_mapped(&mut self, raw: Range<usize>, out: &str, identity: bool) {
        if out.is_empty() {
            return;
        }
        let norm_start = self.text.len();
        self.text.push_str(out);
        self.add_segment(raw, norm_start, identity);
    }

    /// Maps the normalized text from `norm_start` to the end onto the raw range `raw`.
    fn add_segment(&mut self, raw: Range<usize>, norm_start: usize, identity: bool) {
        if let Some(last) = self.segments.last_mut() {
            let last_norm_end = norm_start;
            if identity
                && last.identity
                && last.raw_end == raw.start
                && last.norm_start + (last.raw_end - last.raw_start) == last_norm_end
            {
                last.raw_end = raw.end;
                return;
            }
        }
        self.segments.push(Segment {
            norm_start,
            raw_start: raw.start,
            raw_end: raw.end,
            identity,
        });
    }

    fn flush_space(&mut self) {
        if let Some(range) = self.pending_space.take() {
            if !self.text.is_empty() && !self.text.ends_with('\n') && !self.text.ends_with(' ') {
                let identity = range.len() == 1;
                self.push_mapped(range, " ", identity);
            }
        }
    }

    fn add_space(&mut self, range: Range<usize>) {
        self.pending_space = Some(match self.pending_space.take() {
            Some(pending) => pending.start..range.end,
            None => range,
        });
    }

    /// Appends the normalized form of `raw`, a piece of the input that starts at raw offset `base`.
    pub fn push(&mut self, raw: &str, base: usize) {
        if raw.is_ascii() {
            self.push_ascii(raw, base);
            return;
        }
        let bytes = raw.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if !bytes[i].is_ascii() {
                i = self.push_unit(raw, i, base);
                continue;
            }
            let run = bytes[i..]
                .iter()
                .position(|b| !b.is_ascii())
                .map_or(bytes.len(), |n| i + n);
            // An ASCII letter followed by combining marks folds with them, on the general path.
            let end = if starts_with_mark(&raw[run..]) {
                run - 1
            } else {
                run
            };
            if end > i {
                self.push_ascii(&raw[i..end], base + i);
                i = end;
            }
            if i < run {
                i = self.push_unit(raw, i, base);
            }
        }
    }

    /// [`Normalizer::push`] for ASCII text: lower case, whitespace runs as one space,
    /// a word and the single spaces between words copied and mapped at once.
    fn push_ascii(&mut self, raw: &str, base: usize) {
        let bytes = raw.as_bytes();
        // Most pieces are words and single spaces, neither starting nor ending with a
        // space: copied, lower-cased and mapped as one stretch.
        // Bitwise folds without early exits: loops the compiler vectorizes.
        let control_space = bytes
            .iter()
            .fold(false, |found, &b| found | (b.wrapping_sub(b'\t') < 5));
        let double_space = bytes
            .iter()
            .zip(bytes.get(1..).unwrap_or_default())
            .fold(false, |found, (&a, &b)| found | ((a == b' ') & (b == b' ')));
        if !control_space
            && !double_space
            && bytes.first().is_some_and(|&b| b != b' ')
            && bytes.last().is_some_and(|&b| b != b' ')
        {
            self.flush_space();
            let norm_start = self.text.len();
            self.text.push_str(raw);
            self.text[norm_start..].make_ascii_lowercase();
            self.add_segment(base..base + raw.len(), norm_start, true);
            return;
        }
        let mut i = 0;
        while i < bytes.len() {
            let start = i;
            if is_ascii_space(bytes[i]) {
                while i < bytes.len() && is_ascii_space(bytes[i]) {
                    i += 1;
                }
                self.add_space(base + start..base + i);
                continue;
            }
            loop {
                while i < bytes.len() && !is_ascii_space(bytes[i]) {
                    i += 1;
                }
                let single_space = bytes.get(i) == Some(&b' ')
                    && bytes.get(i + 1).is_some_and(|&b| !is_ascii_space(b));
                if !single_space {
                    break;
                }
                i += 1;
            }
            self.flush_space();
            let norm_start = self.text.len();
            self.text.push_str(&raw[start..i]);
            self.text[norm_start..].make_ascii_lowercase();
            self.add_segment(base + start..base + i, norm_start, true);
        }
    }

    /// Folds the character at byte `i` of `raw` together with the combining marks after
    /// it; returns the offset after them.
    fn push_unit(&mut self, raw: &str, i: usize, base: usize) -> usize {
        let mut chars = raw[i..].chars();
        let Some(c) = chars.next() else {
            return raw.len();
        };
        // A starter followed by combining marks folds as one unit.
        let mut end = i + c.len_utf8();
        for next in chars {
            if next.is_ascii() || resolve_cached(next).1 {
                break;
            }
            end += next.len_utf8();
        }
        let raw_range = base + i..base + end;
        if end != i + c.len_utf8() {
            self.push_slow(&raw[i..end], raw_range);
            return end;
        }
        let mut buffer = [0u8; 4];
        match resolve_cached(c).0 {
            Fold::Same(out) => {
                self.flush_space();
                self.push_mapped(raw_range, out.encode_utf8(&mut buffer), true);
            }
            Fold::Char(out) => {
                self.flush_space();
                self.push_mapped(raw_range, out.encode_utf8(&mut buffer), false);
            }
            Fold::Skip => {}
            Fold::Space => self.add_space(raw_range),
            Fold::Slow => self.push_slow(&raw[i..end], raw_range),
        }
        end
    }

    fn push_slow(&mut self, raw: &str, raw_range: Range<usize>) {
        let (folded, out) = fold_slow_piece(raw);
        let out = out.as_str();
        if out.is_empty() {
            if folded.chars().any(char::is_whitespace) {
                self.add_space(raw_range);
            }
            return;
        }
        self.flush_space();
        let identity = out.len() == raw_range.len() && out.chars().count() == 1;
        self.push_mapped(raw_range, out, identity);
    }

    /// Marks a boundary between two pieces that must not run together (like a space).
    pub fn word_break(&mut self, at: usize) {
        self.add_space(at..at);
    }

    /// Ends the current line: drops trailing space and appends `\n` (mapped to `at..at`).
    /// Returns the normalized range of the line that just ended.
    pub fn end_line(&mut self, line_start: usize, at: usize) -> Range<usize> {
        self.end_line_at(line_start, at..at)
    }

    /// [`Normalizer::end_line`] with the `\n` mapped to `terminator`, the raw terminator
    /// when it is one `\n` byte: then the map runs on through the line break in one
    /// segment, instead of two segments per line.
    fn end_line_at(&mut self, line_start: usize, terminator: Range<usize>) -> Range<usize> {
        self.pending_space = None;
        let end = self.text.len();
        let identity = terminator.len() == 1;
        self.push_mapped(terminator, "\n", identity);
        line_start..end
    }

    /// Appends the normalized line `norm` of `from` as it stands (its text, and its map
    /// with raw offsets moved by `raw_shift`): the same line of raw text, found again
    /// `raw_shift` bytes later or earlier in another document, folds the same way.
    fn push_copied(&mut self, from: &Normalized, norm: Range<usize>, raw_shift: isize) {
        let shift = |raw: usize| raw.saturating_add_signed(raw_shift);
        let norm_start = self.text.len();
        self.text.push_str(&from.text[norm.clone()]);
        let segments = &from.map.segments;
        let first = segments
            .partition_point(|s| s.norm_start <= norm.start)
            .saturating_sub(1);
        for (index, segment) in segments.iter().enumerate().skip(first) {
            if segment.norm_start >= norm.end {
                break;
            }
            let segment_end = segments
                .get(index + 1)
                .map_or(from.map.norm_len, |next| next.norm_start);
            let start = segment.norm_start.max(norm.start);
            let end = segment_end.min(norm.end);
            if start >= end {
                continue;
            }
            let raw = if segment.identity {
                let raw_start = segment.raw_start + (start - segment.norm_start);
                shift(raw_start)..shift(raw_start + (end - start))
            } else {
                shift(segment.raw_start)..shift(segment.raw_end)
            };
            self.add_segment(raw, norm_start + (start - norm.start), segment.identity);
        }
    }

    /// Finishes the view.
    pub fn finish(self) -> Normalized {
        let norm_len = self.text.len();
        Normalized {
            text: self.text,
            map: OffsetMap {
                segments: self.segments,
                norm_len,
            },
        }
    }
}

/// Normalized text and its map back to the raw input.
#[derive(Debug, Clone, Default)]
pub struct Normalized {
    /// The folded text.
    pub text: String,
    /// Normalized offsets to raw offsets.
    pub map: OffsetMap,
}

/// The normalized view of a whole document: one line of normalized text per
/// document line, joined by `\n`, and each line's normalized range.
#[derive(Debug, Clone, Default)]
pub struct DocumentView {
    /// The folded text and its offset map.
    pub normalized: Normalized,
    /// Normalized range of each document line; empty for protected lines and
    /// lines longer than the matching limit, which rules never see.
    pub lines: Vec<Range<usize>>,
}

/// Lines of an earlier document whose normalized view a new view can copy: the
/// earlier view and lines, and for each line of the new document the earlier line
/// it repeats (same raw text, kind and visible pieces).
pub struct Reuse<'p> {
    /// The earlier document's view.
    pub view: &'p DocumentView,
    /// The earlier document's lines.
    pub lines: &'p [crate::document::Line],
    /// For each line of the new document, the earlier line it repeats.
    pub same: &'p [Option<usize>],
}

impl DocumentView {
    /// Normalizes the visible pieces of every line of `document`; lines longer
    /// than `max_line_bytes` are left out of matching.
    pub fn new(document: &crate::document::Document, max_line_bytes: usize) -> DocumentView {
        DocumentView::reusing(document, max_line_bytes, None)
    }

    /// [`DocumentView::new`], copying the lines `reuse` says repeat a line of an
    /// earlier view instead of normalizing them again (the cleaning passes after the
    /// first see mostly the lines the first one saw).
    pub fn reusing(
        document: &crate::document::Document,
        max_line_bytes: usize,
        reuse: Option<Reuse>,
    ) -> DocumentView {
        let mut normalizer = Normalizer::with_capacity(document.raw.len() + document.lines.len());
        let mut lines = Vec::with_capacity(document.lines.len());
        for (index, line) in document.lines.iter().enumerate() {
            let start = normalizer.text().len();
            // A `\n` terminator maps onto itself; `\r\n` or none, onto the line's end.
            let terminator = if line.next == line.end + 1 {
                line.end..line.next
            } else {
                line.end..line.end
            };
            if line.protected || line.end - line.start > max_line_bytes {
                lines.push(normalizer.end_line_at(start, terminator).start..start);
                continue;
            }
            let earlier = reuse
                .as_ref()
                .and_then(|r| Some((r, r.same.get(index).copied().flatten()?)));
            if let Some((reuse, old)) = earlier {
                let old_range = reuse.view.lines[old].clone();
                let shift = line.start as isize - reuse.lines[old].start as isize;
                normalizer.push_copied(&reuse.view.normalized, old_range, shift);
                lines.push(normalizer.end_line_at(start, terminator));
                continue;
            }
            for piece in document.line_pieces(index) {
                if piece.break_before {
                    normalizer.word_break(piece.range.start);
                }
                normalizer.push(&document.raw[piece.range.clone()], piece.range.start);
            }
            lines.push(normalizer.end_line_at(start, terminator));
        }
        DocumentView {
            normalized: normalizer.finish(),
            lines,
        }
    }
}

/// Normalizes a whole string (a rule phrase, say), without a map.
///
/// ```
/// assert_eq!(deboil::normalize::normalize("  Get\u{00A0}THE “App”  "), "get the \"app\"");
/// ```
pub fn normalize(text: &str) -> String {
    let mut normalizer = Normalizer::with_capacity(text.len());
    normalizer.push(text, 0);
    let mut view = normalizer.finish();
    let trimmed = view.text.trim_end_matches(' ').len();
    view.text.truncate(trimmed);
    view.text
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A small seeded generator for test input: `next(n)` is in `0..n`.
    pub(crate) fn random(seed: u64) -> impl FnMut(usize) -> usize {
        let mut state = seed | 1;
        move |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n.max(1) as u64) as usize
        }
    }

    fn view(raw: &str) -> Normalized {
        let mut n = Normalizer::with_capacity(raw.len());
        n.push(raw, 0);
        n.finish()
    }

    /// Every normalized range maps back onto raw character boundaries, and the
    /// raw text of a word maps onto exactly that word.
    fn assert_maps(raw: &str, word_raw: &str, word_norm: &str) {
        let v = view(raw);
        let norm_at = v
            .text
            .find(word_norm)
            .unwrap_or_else(|| panic!("{word_norm:?} not in {:?}", v.text));
        let range = v.map.raw_range(norm_at..norm_at + word_norm.len());
        assert_eq!(&raw[range.clone()], word_raw, "normalized {:?}", v.text);
        for i in 0..=v.text.len() {
            if v.text.is_char_boundary(i) {
                assert!(raw.is_char_boundary(v.map.raw_start(i)));
                assert!(raw.is_char_boundary(v.map.raw_end(i)));
            }
        }
    }

    #[test]
    fn folds_case_width_quotes_dashes_and_spaces() {
        let cases = [
            ("Get The APP", "get the app"),
            ("ＡＢＣ１２３", "abc123"),
            ("Straße", "strasse"),
            (
                "“quoted” ‘single’ — dash – en",
                "\"quoted\" 'single' - dash - en",
            ),
            ("a\u{00A0}\u{2009}\u{3000}b\t\tc", "a b c"),
            ("ZERO\u{200B}WIDTH\u{FEFF}", "zerowidth"),
            ("\u{1F4F1}\u{FE0F} Get the app", "\u{1F4F1} get the app"),
            ("soft\u{00AD}hyphen", "softhyphen"),
            ("ﬁne", "fine"),
            ("ΟΔΌΣ", "οδόσ"),
            ("İSTANBUL ılık", "istanbul ilik"),
            ("ПОДПИСЫВАЙТЕСЬ на канал", "подписывайтесь на канал"),
            ("ۀ يك ك ي ٣٤ ۵", "ۀ یک ک ی 34 5"),
            ("डाउनलोड करें ९", "डाउनलोड करें 9"),
            ("关注我们的微信公众号", "关注我们的微信公众号"),
            ("e\u{0301}te\u{0301}", "été"),
        ];
        for (raw, expected) in cases {
            assert_eq!(normalize(raw), expected, "raw {raw:?}");
        }
    }

    #[test]
    fn persian_zwnj_does_not_split_words() {
        assert_eq!(normalize("می\u{200C}خواهم"), normalize("میخواهم"));
        assert!(!normalize("می\u{200C}خواهم").contains(' '));
    }

    #[test]
    fn offsets_survive_multibyte_rtl_zero_width_and_crlf() {
        assert_maps("Hello  WORLD", "WORLD", "world");
        assert_maps("Скачайте ПРИЛОЖЕНИЕ сейчас", "ПРИЛОЖЕНИЕ", "приложение");
        assert_maps("برای دانلود اپلیکیشن کلیک کنید", "اپلیکیشن", "اپلیکیشن");
        assert_maps("می\u{200C}خواهم دانلود", "می\u{200C}خواهم", "میخواهم");
        assert_maps("zero\u{200B}width here", "zero\u{200B}width", "zerowidth");
        assert_maps("ＡＰＰ now", "ＡＰＰ", "app");
        assert_maps("Straße frei", "Straße", "strasse");
        assert_maps("关注我们的微信公众号", "微信", "微信");
        assert_maps("one\r\nLINE two", "LINE", "line");
        assert_maps("e\u{0301}te\u{0301} x", "e\u{0301}te\u{0301}", "été");
    }

    /// Generated text: ASCII words and every kind of space, combining marks after ASCII
    /// and other letters, case and width variants, ignorables, quotes, other scripts.
    fn generated(seed: u64) -> String {
        let mut next = random(seed);
        let fragments = [
            "Get",
            "THE",
            "app",
            " ",
            " ",
            " ",
            "  ",
            "\t",
            "\r\n",
            "\n",
            "\x0b",
            "\x0c",
            "\u{0301}",
            "e",
            "E\u{0301}",
            "a\u{0308}\u{0301}",
            "ß",
            "İ",
            "ı",
            "ﬁ",
            "Ａ",
            "\u{200B}",
            "\u{200C}",
            "\u{00A0}",
            "\u{3000}",
            "“",
            "”",
            "—",
            "Привет",
            "МИР",
            "关注",
            "ي",
            "٣",
            "ΟΔΌΣ",
            "x",
            ".",
            "-",
            "'",
            "\u{00AD}",
            "ｶ",
            "①",
            "\u{FEFF}",
        ];
        (0..next(40))
            .map(|_| fragments[next(fragments.len())])
            .collect()
    }

    /// The ASCII fast path gives the same text and the same map as folding every
    /// character on its own.
    #[test]
    fn ascii_fast_path_is_equivalent_to_char_by_char() {
        for seed in 1..=3000 {
            let raw = generated(seed);
            let split = raw
                .char_indices()
                .map(|(i, _)| i)
                .nth(raw.chars().count() / 2)
                .unwrap_or(0);
            let (mut fast, mut slow) = (Normalizer::default(), Normalizer::default());
            for (piece, base) in [(&raw[..split], 0), (&raw[split..], split)] {
                fast.push(piece, base);
                let mut i = 0;
                while i < piece.len() {
                    i = slow.push_unit(piece, i, base);
                }
                fast.word_break(base);
                slow.word_break(base);
            }
            fast.end_line(0, raw.len());
            slow.end_line(0, raw.len());
            let (fast, slow) = (fast.finish(), slow.finish());
            assert_eq!(fast.text, slow.text, "{raw:?}");
            for i in (0..=fast.text.len()).filter(|&i| fast.text.is_char_boundary(i)) {
                assert_eq!(
                    fast.map.raw_start(i),
                    slow.map.raw_start(i),
                    "{raw:?} at {i}"
                );
                assert_eq!(fast.map.raw_end(i), slow.map.raw_end(i), "{raw:?} at {i}");
            }
        }
    }

    /// The cache gives for every character of the Basic Multilingual Plane what folding
    /// it afresh gives, once it is filled and before.
    #[test]
    fn cached_folds_are_the_folds() {
        let same = |a: Fold, b: Fold| match (a, b) {
            (Fold::Same(x), Fold::Same(y)) | (Fold::Char(x), Fold::Char(y)) => x == y,
            (Fold::Skip, Fold::Skip) | (Fold::Space, Fold::Space) | (Fold::Slow, Fold::Slow) => {
                true
            }
            _ => false,
        };
        for round in 0..2 {
            for c in (0x80..=0xFFFF).filter_map(char::from_u32) {
                let (fold, starter) = resolve_cached(c);
                assert!(same(fold, resolve(c)), "U+{:04X}, round {round}", c as u32);
                assert_eq!(
                    starter,
                    canonical_combining_class(c) == 0,
                    "U+{:04X}",
                    c as u32
                );
            }
        }
        // A character that folds to two goes the general way.
        assert!(matches!(resolve_cached('ß').0, Fold::Slow));
        assert!(matches!(resolve_cached('é').0, Fold::Same('é')));
        assert!(matches!(resolve_cached('É').0, Fold::Same('é')));
    }

    /// In a document view, a line break maps onto the raw `\n`, so plain lines share one
    /// segment, and offsets inside lines map as they do line by line.
    #[test]
    fn document_lines_share_segments() {
        let raw = "First line here\nSecond  LINE\r\nthird\n\nlast";
        let document = crate::document::Document::parse(raw, crate::document::Format::Text);
        let view = DocumentView::new(&document, usize::MAX);
        assert_eq!(
            view.normalized.text,
            "first line here\nsecond line\nthird\n\nlast\n"
        );
        assert_eq!(view.normalized.map.segments.len(), 6);
        for (index, line) in view.lines.iter().enumerate() {
            let raw_line = document.line_text(index);
            let alone = normalize(raw_line);
            assert_eq!(&view.normalized.text[line.clone()], alone);
            for i in (0..alone.len()).filter(|&i| alone.is_char_boundary(i)) {
                let mut n = Normalizer::default();
                n.push(raw_line, document.lines[index].start);
                let map = n.finish().map;
                assert_eq!(
                    view.normalized.map.raw_start(line.start + i),
                    map.raw_start(i)
                );
                assert_eq!(
                    view.normalized.map.raw_end(line.start + i + 1),
                    map.raw_end(i + 1)
                );
            }
        }
    }

    #[test]
    fn whitespace_runs_map_to_the_whole_run() {
        let v = view("a \u{00A0} b");
        assert_eq!(v.text, "a b");
        assert_eq!(v.map.raw_range(1..2), 1..5);
    }

    #[test]
    fn lines_and_word_breaks() {
        let raw = "One  two\nthree";
        let mut n = Normalizer::with_capacity(raw.len());
        n.push(&raw[..8], 0);
        let first = n.end_line(0, 8);
        let second_start = n.text().len();
        n.push(&raw[9..], 9);
        n.word_break(14);
        n.push("X", 14);
        let second = n.end_line(second_start, 15);
        let v = n.finish();
        assert_eq!(&v.text[first], "one two");
        assert_eq!(&v.text[second], "three x");
    }
}
