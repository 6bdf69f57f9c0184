//! The text view: one line per block element, with a map back to the tree.
//!
//! Inline text is whitespace-collapsed into the line of its innermost block;
//! block elements break lines, paragraph-level ones (`p`, headings, lists,
//! tables, quotes, `pre`) leave a blank line. List items start with `- `.
//! Table cells are separated by a space, rows are lines. A marked element
//! (one a structural rule or the main-content choice removes) always starts and
//! ends its own lines, so every line belongs wholly to one owner or to none.
//!
//! Each [`ViewLine`]'s byte range `start..next` covers its text, its newline and
//! the blank line after it, if any: the view is exactly the concatenation of its
//! lines, and removing a line removes its separator with it.

use super::dom::{NodeId, NodeKind, Tree, NONE};
use super::extract::{is_block, is_skipped};
use html5ever::local_name;
use std::ops::Range;

/// No mark on a node.
pub const UNMARKED: u32 = u32::MAX;

/// What a line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViewKind {
    /// A paragraph or other text.
    Text,
    /// A heading of level 1 to 6.
    Heading(u8),
    /// The first line of a list item (it starts with `- ` in the view).
    ListItem,
    /// A line inside a block quote.
    Quote,
    /// A line of preformatted text.
    Pre,
}

/// One line of the view.
#[derive(Debug, Clone)]
pub struct ViewLine {
    /// Byte offset of the line's first character.
    pub start: usize,
    /// Byte offset of the end of the text (before the newline).
    pub end: usize,
    /// Byte offset of the next line (after the newline and any blank separator).
    pub next: usize,
    /// Where the text starts after a list marker.
    pub content_start: usize,
    /// The innermost block element holding the line.
    pub block: NodeId,
    /// What it is.
    pub kind: ViewKind,
    /// The mark index of the removed element that owns it, or [`UNMARKED`].
    pub mark: u32,
    /// First text node on the line.
    pub first: NodeId,
    /// Last text node on the line.
    pub last: NodeId,
    /// Non-whitespace characters.
    pub chars: u32,
}

/// The text view of a page.
#[derive(Debug, Clone, Default)]
pub struct View {
    /// The text.
    pub text: String,
    /// Its lines.
    pub lines: Vec<ViewLine>,
    /// For each text node, the line its first word went to (`u32::MAX`: none).
    pub text_line: Vec<u32>,
}

struct Block {
    id: NodeId,
    item_started: bool,
}

struct Builder<'t> {
    tree: &'t Tree,
    marks: &'t [u32],
    view: View,
    blocks: Vec<Block>,
    owners: Vec<u32>,
    pending: u8,
    space: bool,
    line_open: bool,
    pre: u32,
    quote: u32,
    heading: u8,
}

impl Builder<'_> {
    fn brk(&mut self, kind: u8) {
        if self.line_open {
            let end = self.view.text.len();
            if let Some(line) = self.view.lines.last_mut() {
                line.end = end;
            }
            self.view.text.push('\n');
            if let Some(line) = self.view.lines.last_mut() {
                line.next = end + 1;
            }
            self.line_open = false;
        }
        self.pending = self.pending.max(kind);
        self.space = false;
    }

    fn open_line(&mut self, node: NodeId) {
        if self.pending == 2 && !self.view.lines.is_empty() {
            self.view.text.push('\n');
            if let Some(line) = self.view.lines.last_mut() {
                line.next += 1;
            }
        }
        self.pending = 0;
        self.space = false;
        let start = self.view.text.len();
        let mut kind = if self.heading > 0 {
            ViewKind::Heading(self.heading)
        } else if self.pre > 0 {
            ViewKind::Pre
        } else if self.quote > 0 {
            ViewKind::Quote
        } else {
            ViewKind::Text
        };
        for block in self.blocks.iter_mut().rev() {
            match self.tree.tag(block.id) {
                Some(&local_name!("li")) => {
                    if !block.item_started {
                        block.item_started = true;
                        if kind == ViewKind::Text || kind == ViewKind::Quote {
                            kind = ViewKind::ListItem;
                        }
                    }
                    break;
                }
                Some(&local_name!("ul")) | Some(&local_name!("ol")) => break,
                _ => {}
            }
        }
        if kind == ViewKind::ListItem {
            self.view.text.push_str("- ");
        }
        let content_start = self.view.text.len();
        self.view.lines.push(ViewLine {
            start,
            end: content_start,
            next: content_start,
            content_start,
            block: self.blocks.last().map_or(NONE, |b| b.id),
            kind,
            mark: self.owners.last().copied().unwrap_or(UNMARKED),
            first: node,
            last: node,
            chars: 0,
        });
        self.line_open = true;
    }

    /// Notes that `node` put text of `chars` non-whitespace characters on the
    /// open line.
    fn record(&mut self, node: NodeId, chars: u32) {
        let line_index = self.view.lines.len().saturating_sub(1);
        if self.view.text_line[node] == u32::MAX {
            self.view.text_line[node] = line_index as u32;
        }
        if let Some(line) = self.view.lines.last_mut() {
            line.last = node;
            line.chars += chars;
        }
    }

    fn text(&mut self, node: NodeId, text: &str) {
        if self.pre > 0 {
            for (i, segment) in text.split('\n').enumerate() {
                if i > 0 {
                    self.brk(1);
                }
                let segment = segment.trim_end_matches('\r');
                if !segment.trim().is_empty() {
                    if !self.line_open {
                        self.open_line(node);
                    }
                    self.view.text.push_str(segment);
                    let chars = segment.chars().filter(|c| !c.is_whitespace()).count();
                    self.record(node, chars as u32);
                }
            }
            return;
        }
        if text.starts_with(char::is_whitespace) && self.line_open {
            self.space = true;
        }
        // The words go out joined by single spaces; words the page already
        // separates by one space are copied as one run.
        let mut run: Option<Range<usize>> = None;
        let mut chars = 0;
        let mut at = 0;
        while let Some((word, word_chars)) = next_word(text, at) {
            chars += word_chars;
            at = word.end;
            match &mut run {
                None => {
                    if !self.line_open {
                        self.open_line(node);
                    } else if self.space {
                        self.view.text.push(' ');
                    }
                    run = Some(word);
                }
                Some(current) => {
                    if word.start == current.end + 1
                        && text.as_bytes().get(current.end) == Some(&b' ')
                    {
                        current.end = word.end;
                    } else {
                        self.view.text.push_str(&text[current.clone()]);
                        self.view.text.push(' ');
                        *current = word;
                    }
                }
            }
        }
        if let Some(run) = run {
            self.view.text.push_str(&text[run]);
            self.space = false;
            self.record(node, chars);
        }
        if text.ends_with(char::is_whitespace) && self.line_open {
            self.space = true;
        }
    }

    fn enter(&mut self, id: NodeId) {
        let mark = self.marks[id];
        if mark != UNMARKED {
            self.brk(1);
            self.owners.push(mark);
        }
        let Some(tag) = self.tree.tag(id) else {
            return;
        };
        match *tag {
            local_name!("br") => self.brk(1),
            local_name!("td") | local_name!("th") if self.line_open => self.space = true,
            _ => {}
        }
        if is_block(tag) {
            // The first block of a list item stays on the item's line.
            let fresh_item = self
                .blocks
                .last()
                .is_some_and(|b| !b.item_started && self.tree.is(b.id, &local_name!("li")));
            self.brk(if fresh_item { 1 } else { block_break(tag) });
            match *tag {
                local_name!("pre") => self.pre += 1,
                local_name!("blockquote") => self.quote += 1,
                local_name!("h1") => self.heading = 1,
                local_name!("h2") => self.heading = 2,
                local_name!("h3") => self.heading = 3,
                local_name!("h4") => self.heading = 4,
                local_name!("h5") => self.heading = 5,
                local_name!("h6") => self.heading = 6,
                _ => {}
            }
            self.blocks.push(Block {
                id,
                item_started: false,
            });
        }
    }

    fn exit(&mut self, id: NodeId) {
        if let Some(tag) = self.tree.tag(id) {
            if is_block(tag) {
                self.brk(block_break(tag));
                match *tag {
                    local_name!("pre") => self.pre = self.pre.saturating_sub(1),
                    local_name!("blockquote") => self.quote = self.quote.saturating_sub(1),
                    local_name!("h1")
                    | local_name!("h2")
                    | local_name!("h3")
                    | local_name!("h4")
                    | local_name!("h5")
                    | local_name!("h6") => self.heading = 0,
                    _ => {}
                }
                self.blocks.pop();
            }
        }
        if self.marks[id] != UNMARKED {
            self.brk(1);
            self.owners.pop();
        }
    }
}

/// The first word of `text` at or after byte `from`, as `split_whitespace`
/// splits it, and its character count (all of them: a word holds no whitespace).
fn next_word(text: &str, from: usize) -> Option<(Range<usize>, u32)> {
    // `char::is_whitespace` on ASCII: tab, line feed, vertical tab, form feed,
    // carriage return and space.
    let ascii_space = |b: u8| b == b' ' || b.wrapping_sub(b'\t') <= b'\r' - b'\t';
    let bytes = text.as_bytes();
    let mut i = from;
    let start = loop {
        let &b = bytes.get(i)?;
        if b.is_ascii() {
            if !ascii_space(b) {
                break i;
            }
            i += 1;
        } else {
            let c = text.get(i..)?.chars().next()?;
            if !c.is_whitespace() {
                break i;
            }
            i += c.len_utf8();
        }
    };
    let mut chars = 0;
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii() {
            if ascii_space(b) {
                break;
            }
            i += 1;
        } else {
            match text.get(i..).and_then(|rest| rest.chars().next()) {
                Some(c) if !c.is_whitespace() => i += c.len_utf8(),
                _ => break,
            }
        }
        chars += 1;
    }
    Some((start..i, chars))
}

fn block_break(tag: &html5ever::LocalName) -> u8 {
    match *tag {
        local_name!("div")
        | local_name!("li")
        | local_name!("tr")
        | local_name!("dt")
        | local_name!("dd")
        | local_name!("caption")
        | local_name!("figcaption")
        | local_name!("legend")
        | local_name!("summary")
        | local_name!("thead")
        | local_name!("tbody")
        | local_name!("tfoot") => 1,
        _ => 2,
    }
}

/// Builds the view of `tree`. `marks[node]` is the mark of a removed node
/// (structural rule or page chrome) or [`UNMARKED`]; inactive (skipped) nodes
/// are not rendered.
pub fn build(tree: &Tree, marks: &[u32]) -> View {
    let n = tree.len();
    let mut builder = Builder {
        tree,
        marks,
        view: View {
            text: String::new(),
            lines: Vec::new(),
            text_line: vec![u32::MAX; n],
        },
        blocks: Vec::new(),
        owners: Vec::new(),
        pending: 0,
        space: false,
        line_open: false,
        pre: 0,
        quote: 0,
        heading: 0,
    };
    let mut open: Vec<NodeId> = Vec::new();
    let mut id = 0;
    loop {
        while let Some(&top) = open.last() {
            if id >= tree.end[top] {
                builder.exit(top);
                open.pop();
            } else {
                break;
            }
        }
        if id >= n {
            break;
        }
        match &tree.kinds[id] {
            NodeKind::Element { .. } => {
                if is_skipped(tree, id) {
                    id = tree.end[id];
                    continue;
                }
                builder.enter(id);
                open.push(id);
            }
            NodeKind::Text(text) => {
                let marked = marks[id] != UNMARKED;
                if marked {
                    builder.brk(1);
                    builder.owners.push(marks[id]);
                }
                builder.text(id, text);
                if marked {
                    builder.brk(1);
                    builder.owners.pop();
                }
            }
            _ => {}
        }
        id += 1;
    }
    builder.brk(1);
    builder.view
}

#[cfg(test)]
mod tests {
    use super::next_word;

    /// `next_word` splits as `split_whitespace` does, ASCII and Unicode spaces
    /// alike, and counts every character of each word.
    #[test]
    fn next_word_splits_as_split_whitespace() {
        let cases = [
            "",
            "  ",
            "one",
            " one  two\tthree\n",
            "a\u{0B}b\u{0C}c\rd",
            "non\u{A0}breaking",
            "ideo\u{3000}graphic",
            "  привет  мир ",
            "emoji 🔥fire\u{2003}em",
            "\u{85}next\u{2028}line",
        ];
        for text in cases {
            let mut words = Vec::new();
            let mut at = 0;
            while let Some((range, chars)) = next_word(text, at) {
                assert_eq!(
                    chars as usize,
                    text[range.clone()].chars().count(),
                    "{text:?}"
                );
                at = range.end;
                words.push(&text[range]);
            }
            assert_eq!(
                words,
                text.split_whitespace().collect::<Vec<_>>(),
                "{text:?}"
            );
        }
    }
}
