//! Segmentation of an input into lines and blocks, per format.
//!
//! A [`Document`] is the raw text cut into [`Line`]s, each with its byte span,
//! its terminator, a [`LineKind`] and the pieces of it that are visible text
//! (for Markdown, the link targets, emphasis markers and inline tags are left
//! out of the pieces, so rules see what a reader sees). Lines that must never
//! be touched (front matter, code, inline `deboil: keep` / `deboil: off`
//! regions) are marked `protected` here, before any rule looks at them.
//!
//! Blocks are derived from lines: a paragraph is a run of non-blank lines; in
//! Markdown a heading's block is its whole section.

use std::ops::Range;

/// The input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Plain text: lines and blank-line separated paragraphs.
    Text,
    /// Markdown (CommonMark-ish): front matter and code are never touched.
    Markdown,
    /// HTML.
    Html,
}

impl Format {
    /// The format's name as used on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Html => "html",
        }
    }
}

/// What a line is, as far as the rules care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// Empty or whitespace only.
    Blank,
    /// Ordinary text.
    Text,
    /// A Markdown heading of the given level.
    Heading(u8),
    /// A bulleted or numbered list item.
    ListItem,
    /// A block quote line.
    Quote,
    /// A table row.
    TableRow,
    /// Code (fenced or indented).
    Code,
    /// YAML or TOML front matter.
    FrontMatter,
    /// Markup with no visible text (HTML comment, thematic break, setext underline).
    Markup,
}

/// A visible piece of a line's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// Raw byte range.
    pub range: Range<usize>,
    /// Whether a word boundary separates it from the previous piece.
    pub break_before: bool,
}

/// One line of the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// Raw byte offset of the first byte.
    pub start: usize,
    /// Raw byte offset of the end of the text, before the terminator.
    pub end: usize,
    /// Raw byte offset of the next line (after `\n` or `\r\n`).
    pub next: usize,
    /// What the line is.
    pub kind: LineKind,
    /// Never removed, whatever the rules say.
    pub protected: bool,
    /// Index range into [`Document::pieces`].
    pub pieces: Range<usize>,
}

impl Line {
    /// Whether the line ends with a terminator.
    pub fn has_terminator(&self) -> bool {
        self.next > self.end
    }
}

/// A segmented input.
#[derive(Debug, Clone)]
pub struct Document<'a> {
    /// The raw input.
    pub raw: &'a str,
    /// The format it was segmented as.
    pub format: Format,
    /// Its lines, in order.
    pub lines: Vec<Line>,
    /// Visible text pieces of all lines.
    pub pieces: Vec<Piece>,
}

const KEEP_MARKER: &str = "deboil: keep";
const OFF_MARKER: &str = "deboil: off";
const ON_MARKER: &str = "deboil: on";

impl<'a> Document<'a> {
    /// Segments `raw` as `format` (HTML is segmented by the caller from its text view, as text).
    pub fn parse(raw: &'a str, format: Format) -> Document<'a> {
        // Counting the lines first (memchr, a small share of the parse) sizes both
        // vectors once: an estimate from the byte count that falls short doubles
        // them, the largest allocation of a large document.
        let line_count = memchr::memchr_iter(b'\n', raw.as_bytes()).count() + 1;
        let mut document = Document {
            raw,
            format,
            lines: Vec::with_capacity(line_count),
            pieces: Vec::with_capacity(line_count),
        };
        let mut start = 0;
        while start < raw.len() {
            let (end, next) = match memchr::memchr(b'\n', &raw.as_bytes()[start..]) {
                Some(i) => {
                    let newline = start + i;
                    let end = if newline > start && raw.as_bytes()[newline - 1] == b'\r' {
                        newline - 1
                    } else {
                        newline
                    };
                    (end, newline + 1)
                }
                None => (raw.len(), raw.len()),
            };
            let blank = raw[start..end].trim().is_empty();
            document.lines.push(Line {
                start,
                end,
                next,
                kind: if blank {
                    LineKind::Blank
                } else {
                    LineKind::Text
                },
                protected: false,
                pieces: 0..0,
            });
            start = next;
        }
        match format {
            Format::Markdown => document.classify_markdown(),
            Format::Text | Format::Html => document.classify_text(),
        }
        document.mark_suppressions();
        document
    }

    /// The raw text of line `index`, without its terminator.
    pub fn line_text(&self, index: usize) -> &'a str {
        let line = &self.lines[index];
        &self.raw[line.start..line.end]
    }

    /// The visible pieces of line `index`.
    pub fn line_pieces(&self, index: usize) -> &[Piece] {
        &self.pieces[self.lines[index].pieces.clone()]
    }

    fn push_whole_line_piece(&mut self, index: usize, from: usize) {
        let line = &self.lines[index];
        let first = self.pieces.len();
        if from < line.end {
            self.pieces.push(Piece {
                range: from..line.end,
                break_before: false,
            });
        }
        self.lines[index].pieces = first..self.pieces.len();
    }

    fn classify_text(&mut self) {
        for index in 0..self.lines.len() {
            if self.lines[index].kind == LineKind::Blank {
                continue;
            }
            let text = self.line_text(index).trim_start();
            if list_marker_len(text).is_some() {
                self.lines[index].kind = LineKind::ListItem;
            }
            let start = self.lines[index].start;
            self.push_whole_line_piece(index, start);
        }
    }

    fn classify_markdown(&mut self) {
        let count = self.lines.len();
        let mut index = 0;
        // Front matter: YAML between `---` lines or TOML between `+++` lines, at the very top.
        if let Some(fence) = self.lines.first().map(|_| self.line_text(0).trim_end()) {
            if fence == "---" || fence == "+++" {
                if let Some(close) = (1..count).find(|&i| {
                    let t = self.line_text(i).trim_end();
                    t == fence || (fence == "---" && t == "...")
                }) {
                    for line in &mut self.lines[..=close] {
                        line.kind = LineKind::FrontMatter;
                        line.protected = true;
                    }
                    index = close + 1;
                }
            }
        }
        let mut previous_kind = LineKind::Blank;
        let mut previous_content_kind = LineKind::Blank;
        while index < count {
            let text = self.line_text(index);
            let trimmed = text.trim_start();
            let indent = text.len() - trimmed.len();
            if self.lines[index].kind == LineKind::Blank {
                previous_kind = LineKind::Blank;
                index += 1;
                continue;
            }
            // Fenced code.
            if indent <= 3 && (trimmed.starts_with("```") || trimmed.starts_with("~~~")) {
                let fence_char = trimmed.as_bytes()[0];
                let fence_len = trimmed.bytes().take_while(|&b| b == fence_char).count();
                let mut close = index + 1;
                while close < count {
                    let t = self.line_text(close).trim();
                    if t.len() >= fence_len && t.bytes().all(|b| b == fence_char) {
                        break;
                    }
                    close += 1;
                }
                let last = close.min(count - 1);
                for line in &mut self.lines[index..=last] {
                    line.kind = LineKind::Code;
                    line.protected = true;
                }
                previous_kind = LineKind::Code;
                previous_content_kind = LineKind::Code;
                index = last + 1;
                continue;
            }
            // Indented code: after a blank line, not continuing a list.
            let indented = text.starts_with('\t') || text.starts_with("    ");
            if indented
                && (previous_kind == LineKind::Blank || previous_kind == LineKind::Code)
                && !matches!(previous_content_kind, LineKind::ListItem)
            {
                self.lines[index].kind = LineKind::Code;
                self.lines[index].protected = true;
                previous_kind = LineKind::Code;
                previous_content_kind = LineKind::Code;
                index += 1;
                continue;
            }
            // HTML comments (possibly over several lines) are invisible.
            if trimmed.starts_with("<!--") {
                let mut close = index;
                while close < count && !self.line_text(close).contains("-->") {
                    close += 1;
                }
                let last = close.min(count - 1);
                for line in &mut self.lines[index..=last] {
                    line.kind = LineKind::Markup;
                }
                previous_kind = LineKind::Markup;
                index = last + 1;
                continue;
            }
            let stripped = trimmed.trim_end();
            let is_rule_line = stripped.len() >= 3
                && (stripped.bytes().all(|b| b == b'-' || b == b' ')
                    || stripped.bytes().all(|b| b == b'=' || b == b' ')
                    || stripped.bytes().all(|b| b == b'*' || b == b' ')
                    || stripped.bytes().all(|b| b == b'_' || b == b' '));
            if is_rule_line && indent <= 3 {
                // A setext underline turns the paragraph line above into a heading.
                if previous_kind == LineKind::Text
                    && !stripped.starts_with('*')
                    && !stripped.starts_with('_')
                {
                    let level = if stripped.starts_with('=') { 1 } else { 2 };
                    if let Some(above) = index.checked_sub(1) {
                        self.lines[above].kind = LineKind::Heading(level);
                    }
                }
                self.lines[index].kind = LineKind::Markup;
                previous_kind = LineKind::Markup;
                index += 1;
                continue;
            }
            let line_start = self.lines[index].start;
            let content_offset = line_start + indent;
            let (kind, skip) = classify_markdown_line(trimmed);
            self.lines[index].kind = kind;
            let first = self.pieces.len();
            let content_start = content_offset + skip;
            let mut content_end = self.lines[index].end;
            if let LineKind::Heading(_) = kind {
                // Closing `#`s of an ATX heading are not text.
                let content = &self.raw[content_start..content_end];
                let without = content.trim_end().trim_end_matches('#');
                if without.ends_with(' ') || without.is_empty() {
                    content_end = content_start + without.len();
                }
            }
            inline_pieces(self.raw, content_start..content_end, &mut self.pieces);
            self.lines[index].pieces = first..self.pieces.len();
            previous_kind = LineKind::Text;
            if kind != LineKind::Text {
                previous_kind = kind;
            }
            // A paragraph continuation of a list item stays part of it.
            if !(indent > 0
                && previous_content_kind == LineKind::ListItem
                && kind == LineKind::Text)
            {
                previous_content_kind = kind;
            }
            if kind == LineKind::Text && previous_content_kind == LineKind::ListItem {
                previous_kind = LineKind::Text;
            }
            index += 1;
        }
    }

    fn mark_suppressions(&mut self) {
        // One scan of the whole input: most have no marker at all.
        if memchr::memmem::find(self.raw.as_bytes(), b"deboil:").is_none() {
            return;
        }
        let mut off = false;
        for index in 0..self.lines.len() {
            let text = self.line_text(index);
            if text.contains("deboil:") {
                if text.contains(OFF_MARKER) {
                    off = true;
                }
                if text.contains(KEEP_MARKER) || text.contains(ON_MARKER) {
                    self.lines[index].protected = true;
                }
                if text.contains(ON_MARKER) {
                    off = false;
                }
            }
            if off {
                self.lines[index].protected = true;
            }
        }
    }

    /// Index of the first non-blank line before `index`, if any.
    pub fn previous_non_blank(&self, index: usize) -> Option<usize> {
        (0..index)
            .rev()
            .find(|&i| self.lines[i].kind != LineKind::Blank)
    }

    /// Index of the first non-blank line after `index`, if any.
    pub fn next_non_blank(&self, index: usize) -> Option<usize> {
        (index + 1..self.lines.len()).find(|&i| self.lines[i].kind != LineKind::Blank)
    }

    /// The block (paragraph, or in Markdown a heading's section) that contains line `index`.
    pub fn block(&self, index: usize) -> Range<usize> {
        if self.format == Format::Markdown {
            if let LineKind::Heading(level) = self.lines[index].kind {
                let end = (index + 1..self.lines.len())
                    .find(|&i| matches!(self.lines[i].kind, LineKind::Heading(l) if l <= level))
                    .unwrap_or(self.lines.len());
                return index..end;
            }
        }
        let is_blank = |i: usize| self.lines[i].kind == LineKind::Blank;
        let mut start = index;
        while start > 0 && !is_blank(start - 1) {
            start -= 1;
        }
        let mut end = index + 1;
        while end < self.lines.len() && !is_blank(end) {
            end += 1;
        }
        start..end
    }
}

/// Where a text may be cut into blocks that are cleaned one at a time: after a
/// blank line, before a line that is not indented, where no `deboil: off`
/// region and (in Markdown) no front matter, code fence or HTML comment is open.
/// A block is a run of whole paragraphs, so a block parses as its part of the
/// whole text did, lines protected or not.
#[derive(Debug, Default)]
struct CutPoints {
    off: bool,
    /// The fence's character and length, while a code fence is open.
    fence: Option<(u8, usize)>,
    front_matter: Option<&'static str>,
    comment: bool,
    after_blank: bool,
}

impl CutPoints {
    /// Whether the text may be cut before `line` (without its terminator).
    fn may_cut_before(&self, line: &str, format: Format) -> bool {
        let indented = format == Format::Markdown && line.starts_with([' ', '\t']);
        self.after_blank
            && !line.trim().is_empty()
            && !indented
            && !self.off
            && self.fence.is_none()
            && self.front_matter.is_none()
            && !self.comment
    }

    /// Takes in `line`, the `first` of the text or not.
    fn pass(&mut self, line: &str, format: Format, first: bool) {
        if line.contains("deboil:") {
            if line.contains(OFF_MARKER) {
                self.off = true;
            }
            if line.contains(ON_MARKER) {
                self.off = false;
            }
        }
        self.after_blank = line.trim().is_empty();
        if format != Format::Markdown {
            return;
        }
        let trimmed = line.trim();
        if let Some(fence) = self.front_matter {
            if trimmed == fence || (fence == "---" && trimmed == "...") {
                self.front_matter = None;
            }
            return;
        }
        if first && (trimmed == "---" || trimmed == "+++") {
            self.front_matter = Some(if trimmed == "---" { "---" } else { "+++" });
            return;
        }
        if let Some((fence_char, fence_len)) = self.fence {
            if trimmed.len() >= fence_len && trimmed.bytes().all(|b| b == fence_char) {
                self.fence = None;
            }
            return;
        }
        let unindented = line.trim_start();
        if line.len() - unindented.len() <= 3
            && (unindented.starts_with("```") || unindented.starts_with("~~~"))
        {
            let fence_char = unindented.as_bytes()[0];
            let fence_len = unindented.bytes().take_while(|&b| b == fence_char).count();
            self.fence = Some((fence_char, fence_len));
            return;
        }
        if let Some(open) = line.rfind("<!--") {
            self.comment = !line[open..].contains("-->");
        } else if self.comment && line.contains("-->") {
            self.comment = false;
        }
    }
}

/// Cuts `raw` into consecutive byte ranges that cover it, each of at least `size`
/// bytes but the last, at points where the text is a run of whole paragraphs on
/// either side (see the rules of `CutPoints`): a text too large to clean at once
/// is cleaned block by block. A text without such a point is one block.
///
/// ```
/// use deboil::document::blocks;
/// use deboil::Format;
///
/// let text = "One.\n\nTwo.\n\nThree.\n";
/// assert_eq!(blocks(text, Format::Text, 4), vec![0..6, 6..12, 12..19]);
/// assert_eq!(blocks(text, Format::Text, 100), vec![0..19]);
/// ```
pub fn blocks(raw: &str, format: Format, size: usize) -> Vec<Range<usize>> {
    let mut blocks = Vec::new();
    let mut cuts = CutPoints::default();
    let mut block_start = 0;
    let mut start = 0;
    while start < raw.len() {
        let next =
            memchr::memchr(b'\n', &raw.as_bytes()[start..]).map_or(raw.len(), |i| start + i + 1);
        let line = raw[start..next].trim_end_matches(['\n', '\r']);
        if start - block_start >= size && cuts.may_cut_before(line, format) {
            blocks.push(block_start..start);
            block_start = start;
        }
        cuts.pass(line, format, start == 0);
        start = next;
    }
    blocks.push(block_start..raw.len());
    blocks
}

/// The length of a list marker (`- `, `* `, `+ `, `• `, `1. `, `1) `) at the start of `text`.
pub fn list_marker_len(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    for bullet in ["- ", "* ", "+ ", "• ", "· ", "– "] {
        if text.starts_with(bullet) {
            return Some(bullet.len());
        }
    }
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    if (1..=3).contains(&digits)
        && matches!(bytes.get(digits), Some(b'.') | Some(b')'))
        && matches!(bytes.get(digits + 1), Some(b' ') | Some(b'\t'))
    {
        return Some(digits + 2);
    }
    None
}

fn classify_markdown_line(trimmed: &str) -> (LineKind, usize) {
    let hashes = trimmed.bytes().take_while(|&b| b == b'#').count();
    if (1..=6).contains(&hashes)
        && matches!(
            trimmed.as_bytes().get(hashes),
            Some(b' ') | Some(b'\t') | None
        )
    {
        let skip = hashes + usize::from(trimmed.len() > hashes);
        return (LineKind::Heading(hashes as u8), skip);
    }
    if let Some(rest) = trimmed.strip_prefix('>') {
        let skip = 1 + usize::from(rest.starts_with(' '));
        return (LineKind::Quote, skip);
    }
    if trimmed.starts_with('|') {
        return (LineKind::TableRow, 0);
    }
    if let Some(len) = list_marker_len(trimmed) {
        let rest = &trimmed[len..];
        // Task list checkbox.
        let extra =
            if rest.starts_with("[ ] ") || rest.starts_with("[x] ") || rest.starts_with("[X] ") {
                4
            } else {
                0
            };
        return (LineKind::ListItem, len + extra);
    }
    (LineKind::Text, 0)
}

/// Cuts Markdown inline text into visible pieces: drops link targets, emphasis
/// and code markers and inline tags.
fn inline_pieces(raw: &str, range: Range<usize>, pieces: &mut Vec<Piece>) {
    let bytes = raw.as_bytes();
    let mut piece_start = range.start;
    let mut break_next = false;
    let mut i = range.start;
    let flush = |pieces: &mut Vec<Piece>, from: usize, to: usize, break_before: bool| {
        if from < to {
            pieces.push(Piece {
                range: from..to,
                break_before,
            });
        }
    };
    while i < range.end {
        let b = bytes[i];
        match b {
            b'*' | b'`' | b'~' | b'[' => {
                flush(pieces, piece_start, i, break_next);
                break_next = false;
                i += 1;
                piece_start = i;
            }
            b'_' => {
                let before = i.checked_sub(1).map(|j| bytes[j]);
                let after = bytes.get(i + 1).copied();
                let edge = !before.is_some_and(|c| c.is_ascii_alphanumeric())
                    || !after.is_some_and(|c| c.is_ascii_alphanumeric());
                if edge {
                    flush(pieces, piece_start, i, break_next);
                    break_next = false;
                    piece_start = i + 1;
                }
                i += 1;
            }
            b'!' if bytes.get(i + 1) == Some(&b'[') => {
                flush(pieces, piece_start, i, break_next);
                break_next = false;
                i += 2;
                piece_start = i;
            }
            b']' => {
                flush(pieces, piece_start, i, break_next);
                break_next = false;
                i += 1;
                // `](target)` or `][ref]`: the target is not text.
                if i < range.end && (bytes[i] == b'(' || bytes[i] == b'[') {
                    let close = if bytes[i] == b'(' { b')' } else { b']' };
                    let mut depth = 0usize;
                    let mut j = i;
                    while j < range.end {
                        if bytes[j] == b'(' && close == b')' {
                            depth += 1;
                        } else if bytes[j] == close {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                break;
                            }
                        }
                        j += 1;
                    }
                    i = (j + 1).min(range.end);
                }
                piece_start = i;
            }
            b'<' if bytes
                .get(i + 1)
                .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'/' || *c == b'!') =>
            {
                match raw[i..range.end].find('>') {
                    Some(close) => {
                        flush(pieces, piece_start, i, break_next);
                        break_next = true;
                        i += close + 1;
                        piece_start = i;
                    }
                    None => i += 1,
                }
            }
            _ => i += 1,
        }
    }
    flush(pieces, piece_start, range.end, break_next);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_cut_only_between_whole_paragraphs() {
        // (text, format, size, expected block texts)
        let cases: &[(&str, Format, usize, &[&str])] = &[
            ("a\n\nb\n\nc\n", Format::Text, 1, &["a\n\n", "b\n\n", "c\n"]),
            // Not inside a paragraph, not before a blank line.
            ("a\nb\n\n\nc", Format::Text, 1, &["a\nb\n\n\n", "c"]),
            // Blocks reach the size first.
            (
                "aaaa\n\nb\n\nc\n",
                Format::Text,
                7,
                &["aaaa\n\nb\n\n", "c\n"],
            ),
            ("a\r\n\r\nb", Format::Text, 1, &["a\r\n\r\n", "b"]),
            // Not inside a `deboil: off` region.
            (
                "<!-- deboil: off -->\n\na\n\n<!-- deboil: on -->\n\nb\n",
                Format::Text,
                1,
                &[
                    "<!-- deboil: off -->\n\na\n\n<!-- deboil: on -->\n\n",
                    "b\n",
                ],
            ),
            // Markdown: not inside a code fence, front matter or HTML comment, not
            // before an indented line.
            (
                "```\na\n\nb\n```\n\nc\n",
                Format::Markdown,
                1,
                &["```\na\n\nb\n```\n\n", "c\n"],
            ),
            (
                "---\nt: 1\n\nu: 2\n---\n\nc\n",
                Format::Markdown,
                1,
                &["---\nt: 1\n\nu: 2\n---\n\n", "c\n"],
            ),
            (
                "<!--\na\n\n-->\n\nc\n",
                Format::Markdown,
                1,
                &["<!--\na\n\n-->\n\n", "c\n"],
            ),
            (
                "- a\n\n    b\n\nc\n",
                Format::Markdown,
                1,
                &["- a\n\n    b\n\n", "c\n"],
            ),
            // In text, a fence is just text.
            ("```\na\n\nb\n", Format::Text, 1, &["```\na\n\n", "b\n"]),
            ("", Format::Text, 1, &[""]),
        ];
        for &(text, format, size, expected) in cases {
            let blocks = blocks(text, format, size);
            let pieces: Vec<&str> = blocks.iter().map(|block| &text[block.clone()]).collect();
            assert_eq!(pieces, expected, "{text:?}");
        }
    }

    fn kinds(doc: &Document) -> Vec<LineKind> {
        doc.lines.iter().map(|l| l.kind).collect()
    }

    fn visible(doc: &Document, index: usize) -> String {
        doc.line_pieces(index)
            .iter()
            .map(|p| &doc.raw[p.range.clone()])
            .collect()
    }

    #[test]
    fn text_lines_keep_crlf_and_missing_final_newline() {
        let doc = Document::parse("a\r\n\r\nb", Format::Text);
        assert_eq!(doc.lines.len(), 3);
        assert_eq!(
            (doc.lines[0].start, doc.lines[0].end, doc.lines[0].next),
            (0, 1, 3)
        );
        assert_eq!(doc.lines[1].kind, LineKind::Blank);
        assert_eq!(
            (doc.lines[2].start, doc.lines[2].end, doc.lines[2].next),
            (5, 6, 6)
        );
        assert!(!doc.lines[2].has_terminator());
        assert_eq!(doc.block(0), 0..1);
    }

    #[test]
    fn markdown_front_matter_code_and_blocks() {
        let raw = "---\ntitle: Get the app\n---\n# Title\n\nText line\nmore\n\n```\nGet the app\n```\n\n    indented code\n\n- item\n> quote\n| a | b |\n\n## Related posts\n\n- [One](https://x)\n";
        let doc = Document::parse(raw, Format::Markdown);
        use LineKind::*;
        assert_eq!(
            kinds(&doc),
            vec![
                FrontMatter,
                FrontMatter,
                FrontMatter,
                Heading(1),
                Blank,
                Text,
                Text,
                Blank,
                Code,
                Code,
                Code,
                Blank,
                Code,
                Blank,
                ListItem,
                Quote,
                TableRow,
                Blank,
                Heading(2),
                Blank,
                ListItem
            ]
        );
        assert!(doc.lines[1].protected && doc.lines[9].protected && doc.lines[12].protected);
        assert_eq!(visible(&doc, 3), "Title");
        assert_eq!(visible(&doc, 20), "One");
        assert_eq!(doc.block(5), 5..7);
        assert_eq!(doc.block(18), 18..21);
        assert_eq!(doc.block(3), 3..21);
    }

    #[test]
    fn markdown_inline_markup_is_not_text() {
        let doc = Document::parse(
            "**Enjoyed this? [Subscribe](https://x.example/a_(b)) now**<br>ok snake_case ![alt](i.png)\n",
            Format::Markdown,
        );
        assert_eq!(
            visible(&doc, 0),
            "Enjoyed this? Subscribe nowok snake_case alt"
        );
        assert!(doc.line_pieces(0).iter().any(|p| p.break_before));
    }

    #[test]
    fn setext_headings_and_list_continuations() {
        let doc = Document::parse("Title\n=====\n\n- item\n    continued\n", Format::Markdown);
        assert_eq!(doc.lines[0].kind, LineKind::Heading(1));
        assert_eq!(doc.lines[1].kind, LineKind::Markup);
        assert_eq!(doc.lines[4].kind, LineKind::Text);
        assert!(!doc.lines[4].protected);
    }

    #[test]
    fn inline_suppression_markers_protect_lines() {
        let raw = "Subscribe now <!-- deboil: keep -->\n<!-- deboil: off -->\nSubscribe\n<!-- deboil: on -->\nSubscribe\n";
        let doc = Document::parse(raw, Format::Markdown);
        let protected: Vec<bool> = doc.lines.iter().map(|l| l.protected).collect();
        assert_eq!(protected, vec![true, true, true, true, false]);
    }
}
