//! What the text view cannot show, dropped before parsing when only the page's
//! text is wanted: script, style and SVG bodies, and the attributes nothing reads.
//!
//! html5ever tokenizes the inside of `<script>` and `<style>` one character at a
//! time, and on the corpus pages those bodies are 37% of the bytes; none of it
//! reaches the text view. Dropping them first cut parsing by 9% of its
//! instructions on the readability pages (callgrind of the `html` bench; 2% of
//! the whole clean), less than their share of bytes: the tokenizer's cost is
//! mostly per tag. [`for_text`] finds them with a small scanner that follows the
//! tokenizer's states where they decide what is markup: tags and their
//! attributes (quoted, unquoted, self-closing), comments (`-->`, `--!>` and the
//! abrupt `<!-->`), bogus comments and doctypes, and the elements whose content
//! is not markup (`textarea`, `title`, `xmp`, `iframe`, `noembed`, `noframes`,
//! `plaintext`). It keeps the tags and drops the bodies between them.
//!
//! The scanner only has to be safe in one direction: taking something for a
//! script or style body that html5ever would have parsed as markup could lose
//! text, while missing a body only costs time. So wherever it could disagree
//! with the tokenizer it stops stripping and copies the rest of the page as it
//! is: a script body holding `<!--` (the escaped states, where `</script>` may not
//! end the element), an unterminated comment, tag or body, a `<math>` element
//! (foreign content, which the scanner does not follow). A page
//! with a `<frameset>` start tag is returned unchanged (see [`svg_end`]).
//!
//! SVG bodies (6% of the corpus bytes, mostly path data in attributes) go the
//! same way: the text view skips `<svg>` subtrees whole, so their content
//! (drawings, icon titles) never reaches it. The `<svg>` tag itself stays for
//! the selectors. A body is dropped only when the tree builder is sure to keep
//! all of it inside the `<svg>` element: see [`svg_end`].
//!
//! Attributes that neither the cleaning nor a selector rule reads are dropped from
//! the start tags the scanner reads as markup ([`AttrFilter`]): the tree is the
//! same less those attributes, and the whole clean takes 13% fewer instructions
//! (callgrind, readability and scrapinghub pages).
//!
//! Up to the first `<pre>` or `<listing>` start tag (after it, text may be
//! preformatted, and the tree builder drops a line feed right after those tags),
//! each run of whitespace in text becomes its first character, a line break as a
//! tab. The tokenizer hands each line feed to the tree builder as a token of its
//! own (the page's indentation is most of them), a tab goes with the text around
//! it; and 13% of the bytes left after the script, style and SVG bodies are such
//! runs. Outside preformatted text nothing tells them apart: the view splits on
//! whitespace, the character counts skip it, and the `sentence_like` test looks
//! for `. ` with a space (which a run keeps when it starts with one, and neither a
//! line feed nor a tab makes). Line breaks as tabs: -2.5% instructions in the
//! whole clean; shrinking the runs too: a further -2.1% (callgrind, readability
//! and scrapinghub pages).

use std::borrow::Cow;

/// Elements whose content the tokenizer does not read as markup, other than script
/// and style: their content is copied as it is, and scanning goes on after them.
const OPAQUE: &[&[u8]] = &[
    b"textarea",
    b"title",
    b"xmp",
    b"iframe",
    b"noembed",
    b"noframes",
];

/// The tag names that end foreign (SVG) content: the tree builder pops the SVG
/// elements and handles them as HTML ("a start tag whose tag name is one of",
/// html5ever's `step_foreign`; `font` only with `color`, `face` or `size`, taken
/// here whatever its attributes). `br` and `p` end tags do it too.
const BREAKOUT: &[&[u8]] = &[
    b"b",
    b"big",
    b"blockquote",
    b"body",
    b"br",
    b"center",
    b"code",
    b"dd",
    b"div",
    b"dl",
    b"dt",
    b"em",
    b"embed",
    b"h1",
    b"h2",
    b"h3",
    b"h4",
    b"h5",
    b"h6",
    b"head",
    b"hr",
    b"i",
    b"img",
    b"li",
    b"listing",
    b"menu",
    b"meta",
    b"nobr",
    b"ol",
    b"p",
    b"pre",
    b"ruby",
    b"s",
    b"small",
    b"span",
    b"strong",
    b"strike",
    b"sub",
    b"sup",
    b"table",
    b"tt",
    b"u",
    b"ul",
    b"var",
    b"font",
];

/// What a comment becomes.
const EMPTY_COMMENT: &[u8] = b"<!---->";

/// SVG's HTML integration points: start tags and text inside them are parsed as HTML.
const INTEGRATION_POINTS: &[&[u8]] = &[b"foreignobject", b"desc", b"title"];

/// Attributes that some part of the cleaning reads, whatever the rules: the
/// text view and main-content code (`class`, `id`, `style`, `hidden`,
/// `aria-hidden`, `role`, `itemprop`, `datatable`, `summary`) and html5ever's
/// tree builder (`type` of `<input>`, `form`, `color`/`face`/`size` of `<font>`
/// in foreign content, `encoding` of `<annotation-xml>`; `shadowroot*` of
/// `<template>` is kept by [`AttrFilter::keeps`]). A new `Tree::attr` lookup in
/// `src/html` must add its name here.
const ALWAYS_KEPT: &[&str] = &[
    "class",
    "id",
    "style",
    "hidden",
    "aria-hidden",
    "role",
    "itemprop",
    "datatable",
    "summary",
    "type",
    "form",
    "color",
    "face",
    "size",
    "encoding",
];

/// Which attributes the parse for text output keeps: [`ALWAYS_KEPT`] and those
/// the selector rules name. The others (`href`, `src`, `srcset`, `data-*`, `on*`,
/// `content`, ...: half the attributes of the corpus pages and two thirds of their
/// value bytes) are dropped from start tags before parsing; the tokenizer reads an
/// attribute name one character at a time and interns it, and each attribute is
/// copied twice more on the way into the tree.
#[derive(Debug, Clone)]
pub(crate) struct AttrFilter {
    /// Kept names, lower-case, by length.
    by_len: Vec<Vec<Vec<u8>>>,
}

impl AttrFilter {
    /// [`ALWAYS_KEPT`] and `names`.
    pub(crate) fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> AttrFilter {
        let mut by_len: Vec<Vec<Vec<u8>>> = Vec::new();
        for name in ALWAYS_KEPT.iter().copied().chain(names) {
            let name = name.to_ascii_lowercase().into_bytes();
            if by_len.len() <= name.len() {
                by_len.resize(name.len() + 1, Vec::new());
            }
            if !by_len[name.len()].contains(&name) {
                by_len[name.len()].push(name);
            }
        }
        AttrFilter { by_len }
    }

    /// Whether an attribute named `name` (as written in the page) is kept: a
    /// listed name in any case, or one whose part after a `:` is (html5ever
    /// names `xlink:href` on an SVG element `href`), a `shadowroot*` name, or a
    /// name with a NUL (read as U+FFFD).
    pub(crate) fn keeps(&self, name: &[u8]) -> bool {
        if self.listed(name) || starts_with_ignore_case(name, b"shadowroot") {
            return true;
        }
        let mut colon = None;
        for (i, &b) in name.iter().enumerate() {
            match b {
                0 => return true,
                b':' => colon = Some(i),
                _ => {}
            }
        }
        colon.is_some_and(|colon| self.listed(&name[colon + 1..]))
    }

    fn listed(&self, name: &[u8]) -> bool {
        self.by_len
            .get(name.len())
            .is_some_and(|names| names.iter().any(|k| name.eq_ignore_ascii_case(k)))
    }
}

/// `html` with the bodies of its `<script>`, `<style>` and `<svg>` elements removed
/// (their tags kept), the attributes `filter` does not keep dropped from its start
/// tags and each whitespace run of its text before any `<pre>` or `<listing>`
/// made its first character (a line break a tab), or unchanged when there is
/// nothing to change.
pub(crate) fn for_text<'h>(html: &'h str, filter: &AttrFilter) -> Cow<'h, str> {
    let bytes = html.as_bytes();
    let mut out = Out::new(html);
    let mut attrs: Vec<AttrSpan> = Vec::new();
    let mut svg_dropped = false;
    let mut at = 0;
    // Where the scanner stopped following the page (its length when it did not).
    // Where the text since the last markup starts, and whether its whitespace
    // runs still shrink (until the first `<pre>` or `<listing>`).
    let mut text_from = 0;
    let mut shrink = true;
    let stop = 'scan: {
        while let Some(offset) = memchr::memchr(b'<', &bytes[at..]) {
            let open = at + offset;
            let rest = &bytes[open + 1..];
            let Some(&next) = rest.first() else {
                break 'scan open;
            };
            // A `<` that opens nothing is text.
            let markup = matches!(next, b'!' | b'?' | b'/') || next.is_ascii_alphabetic();
            if markup && shrink {
                out.shrink_whitespace(text_from, open);
            }
            at = if rest.starts_with(b"!--") {
                let Some(end) = comment_end(bytes, open) else {
                    break 'scan open;
                };
                // What a comment says is not text: an empty one keeps its place.
                if end - open > EMPTY_COMMENT.len() {
                    out.replace(open, end, EMPTY_COMMENT);
                }
                end
            } else if next == b'!' || next == b'?' {
                // Doctypes and bogus comments end at the first `>`; so does
                // `<![CDATA[` in HTML content (CDATA only in foreign content, which
                // the scanner never reads here: SVG bodies are read by `svg_end`,
                // and `<math>` stops the scanning).
                match memchr::memchr(b'>', &bytes[open..]) {
                    Some(end) => open + end + 1,
                    None => break 'scan open,
                }
            } else if next == b'/' {
                match rest.get(1) {
                    Some(b) if b.is_ascii_alphabetic() => {
                        match scan_tag(bytes, open + 2, &mut attrs) {
                            Some(tag) => tag.end,
                            None => break 'scan open,
                        }
                    }
                    // `</>` is dropped.
                    Some(b'>') => open + 3,
                    // A bogus comment, to the first `>`.
                    Some(_) => match memchr::memchr(b'>', &bytes[open..]) {
                        Some(end) => open + end + 1,
                        None => break 'scan open,
                    },
                    None => break 'scan open,
                }
            } else if next.is_ascii_alphabetic() {
                let Some(tag) = scan_tag(bytes, open + 1, &mut attrs) else {
                    break 'scan open;
                };
                let name = &bytes[open + 1..tag.name_end];
                let count = attrs.len();
                attrs.retain(|a| filter.keeps(&bytes[a.name.0..a.name.1]));
                if attrs.len() < count {
                    out.rewrite_tag(open, &tag, &attrs);
                }
                let is = |n: &[u8]| name.eq_ignore_ascii_case(n);
                if is(b"frameset") {
                    return Cow::Borrowed(html);
                }
                if is(b"pre") || is(b"listing") {
                    shrink = false;
                }
                if is(b"plaintext") || is(b"math") {
                    break 'scan open;
                }
                if is(b"svg") && !tag.self_closing {
                    let Some(close) = svg_end(bytes, tag.end, &mut attrs) else {
                        break 'scan open;
                    };
                    out.drop(tag.end, close);
                    svg_dropped = true;
                    close
                } else if is(b"script") || is(b"style") || OPAQUE.iter().any(|o| is(o)) {
                    let Some(close) = end_tag(bytes, tag.end, name) else {
                        break 'scan open;
                    };
                    if is(b"script") || is(b"style") {
                        let body = &bytes[tag.end..close];
                        if is(b"script") && find(body, 0, b"<!--").is_some() {
                            break 'scan open;
                        }
                        out.drop(tag.end, close);
                    }
                    close
                } else {
                    tag.end
                }
            } else {
                open + 1
            };
            if markup {
                text_from = at;
            }
        }
        if shrink {
            out.shrink_whitespace(text_from, bytes.len());
        }
        bytes.len()
    };
    // A `<frameset>` after the point the scanner stopped following could replace the
    // body if dropped SVG text was all that cleared the frameset-ok flag.
    if svg_dropped && has_frameset_tag(&bytes[stop..]) {
        return Cow::Borrowed(html);
    }
    out.finish()
}

/// The output being built: `html` up to `copied`, with edits, once there is one.
/// It is built as bytes: every cut is at an ASCII delimiter and every edit
/// writes ASCII, so it stays UTF-8 (checked once at the end). Edits come in
/// page order; one that did not (a scanner bug) would leave the page unchanged.
struct Out<'h> {
    html: &'h str,
    out: Option<Vec<u8>>,
    copied: usize,
    out_of_order: bool,
}

impl<'h> Out<'h> {
    fn new(html: &'h str) -> Out<'h> {
        Out {
            html,
            out: None,
            copied: 0,
            out_of_order: false,
        }
    }

    /// The output, with `html[copied..upto]` copied to it.
    fn copy_to(&mut self, upto: usize) -> &mut Vec<u8> {
        let bytes = self.html.as_bytes();
        let out = self
            .out
            .get_or_insert_with(|| Vec::with_capacity(bytes.len()));
        match bytes.get(self.copied..upto) {
            Some(piece) => out.extend_from_slice(piece),
            None => self.out_of_order = true,
        }
        self.copied = upto;
        out
    }

    /// Drops `html[from..to]` (`from` at or after `copied`).
    fn drop(&mut self, from: usize, to: usize) {
        self.copy_to(from);
        self.copied = to;
    }

    /// Replaces `html[from..to]` (`from` at or after `copied`) by `with`.
    fn replace(&mut self, from: usize, to: usize, with: &[u8]) {
        self.copy_to(from).extend_from_slice(with);
        self.copied = to;
    }

    /// Turns each run of spaces, tabs, line feeds and carriage returns in the text
    /// `html[from..to]` (`from` at or after `copied`) into its first character, a
    /// line break as a tab.
    fn shrink_whitespace(&mut self, from: usize, to: usize) {
        let html = self.html;
        let Some(text) = html.as_bytes().get(from..to) else {
            self.out_of_order = true;
            return;
        };
        let is_space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
        // The first byte to change: a line break, or whitespace after whitespace.
        let first = text.iter().enumerate().position(|(i, &b)| {
            matches!(b, b'\n' | b'\r') || (is_space(b) && i > 0 && is_space(text[i - 1]))
        });
        let Some(first) = first else {
            return;
        };
        if self.copied > from {
            self.out_of_order = true;
            self.copied = from;
        }
        let out = self.copy_to(from + first);
        let mut after_space = first > 0 && is_space(text[first - 1]);
        for &b in &text[first..] {
            if !is_space(b) {
                out.push(b);
                after_space = false;
            } else if !after_space {
                out.push(if b == b' ' { b' ' } else { b'\t' });
                after_space = true;
            }
        }
        self.copied = to;
    }

    /// Replaces the start tag at `open` by its name and the attributes `kept`, in
    /// their source form (`name`, `name=value`, `name="value"`), separated by
    /// spaces, then ` />` or `>` as the tag ended.
    fn rewrite_tag(&mut self, open: usize, tag: &TagScan, kept: &[AttrSpan]) {
        let bytes = self.html.as_bytes();
        let out = self.copy_to(open);
        let mut whole = true;
        let name = std::iter::once((open, tag.name_end));
        for (i, (from, to)) in name
            .chain(kept.iter().map(|a| (a.name.0, a.end)))
            .enumerate()
        {
            if i > 0 {
                out.push(b' ');
            }
            match bytes.get(from..to) {
                Some(piece) => out.extend_from_slice(piece),
                None => whole = false,
            }
        }
        out.extend_from_slice(if tag.self_closing { b" />" } else { b">" });
        self.out_of_order |= !whole;
        self.copied = tag.end;
    }

    fn finish(mut self) -> Cow<'h, str> {
        if self.out.is_none() || self.out_of_order {
            return Cow::Borrowed(self.html);
        }
        let end = self.html.len();
        let out = std::mem::take(self.copy_to(end));
        match String::from_utf8(out) {
            Ok(out) => Cow::Owned(out),
            Err(_) => Cow::Borrowed(self.html),
        }
    }
}

/// One attribute of a tag, as byte offsets: its name, and where its `name=value`
/// text ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct AttrSpan {
    name: (usize, usize),
    end: usize,
}

/// A tag as the tokenizer reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct TagScan {
    /// The end of the tag name.
    name_end: usize,
    /// The offset after the `>` that ends the tag.
    end: usize,
    /// Whether it ends with `/>` (the self-closing flag).
    self_closing: bool,
}

/// HTML's ASCII whitespace; a carriage return is a line feed after the
/// tokenizer's preprocessing.
fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// Reads a start or end tag whose name starts at `from` (just after `<` or `</`)
/// through the tokenizer's tag states: tag name, before/after attribute name,
/// attribute name, before attribute value, the three value states, after a
/// quoted value and self-closing start tag. `attrs` receives the attributes in
/// source order (duplicates too: the tokenizer keeps the first). `None` at the
/// end of the input inside the tag (the tokenizer then emits no tag).
fn scan_tag(bytes: &[u8], from: usize, attrs: &mut Vec<AttrSpan>) -> Option<TagScan> {
    attrs.clear();
    let len = bytes.len();
    let name_char = |b: u8| !is_space(b) && b != b'/' && b != b'>';
    let mut i = from;
    while i < len && name_char(bytes[i]) {
        i += 1;
    }
    let name_end = i;
    loop {
        // Before attribute name.
        while i < len && is_space(bytes[i]) {
            i += 1;
        }
        match *bytes.get(i)? {
            b'>' => {
                return Some(TagScan {
                    name_end,
                    end: i + 1,
                    self_closing: false,
                })
            }
            b'/' => {
                // Self-closing start tag: anything but `>` is taken again as
                // before an attribute name.
                i += 1;
                if *bytes.get(i)? == b'>' {
                    return Some(TagScan {
                        name_end,
                        end: i + 1,
                        self_closing: true,
                    });
                }
                continue;
            }
            _ => {}
        }
        // Attribute name: its first character whatever it is (even `=`), then up
        // to whitespace, `/`, `>` or `=`.
        let start = i;
        i += 1;
        while i < len && name_char(bytes[i]) && bytes[i] != b'=' {
            i += 1;
        }
        let name = (start, i);
        // After attribute name.
        while i < len && is_space(bytes[i]) {
            i += 1;
        }
        if *bytes.get(i)? != b'=' {
            // `/`, `>` or the next attribute: as before an attribute name.
            attrs.push(AttrSpan { name, end: name.1 });
            continue;
        }
        i += 1;
        // Before attribute value.
        while i < len && is_space(bytes[i]) {
            i += 1;
        }
        match *bytes.get(i)? {
            quote @ (b'"' | b'\'') => {
                let close = i + 1 + memchr::memchr(quote, &bytes[i + 1..])?;
                attrs.push(AttrSpan {
                    name,
                    end: close + 1,
                });
                // After a quoted value, anything is taken as before an attribute name.
                i = close + 1;
            }
            b'>' => {
                // A missing value: the attribute has an empty one.
                attrs.push(AttrSpan { name, end: name.1 });
                return Some(TagScan {
                    name_end,
                    end: i + 1,
                    self_closing: false,
                });
            }
            _ => {
                // Unquoted, to whitespace or `>` (a `/` is part of the value).
                while i < len && !is_space(bytes[i]) && bytes[i] != b'>' {
                    i += 1;
                }
                if i == len {
                    return None;
                }
                attrs.push(AttrSpan { name, end: i });
            }
        }
    }
}

/// The offset after the end of the comment that starts at `open` (`<!--`): the
/// first `-->` or `--!>` after the opening, or right after it for the abrupt
/// `<!-->` and `<!--->`; `None` when the comment runs to the end of the input.
fn comment_end(bytes: &[u8], open: usize) -> Option<usize> {
    let body = open + 4;
    let rest = bytes.get(body..)?;
    if rest.starts_with(b">") {
        return Some(body + 1);
    }
    if rest.starts_with(b"->") {
        return Some(body + 2);
    }
    let mut at = body;
    loop {
        let dashes = find(bytes, at, b"--")?;
        let mut j = dashes + 2;
        while bytes.get(j) == Some(&b'-') {
            j += 1;
        }
        match bytes.get(j..)? {
            [b'>', ..] => return Some(j + 1),
            [b'!', b'>', ..] => return Some(j + 2),
            _ => at = j,
        }
    }
}

/// The offset of the `</svg` that closes an `<svg>` whose content starts at `from`,
/// when the tree builder keeps everything up to it inside the `<svg>` element;
/// `None` otherwise (doubt stops the stripping).
///
/// Inside an SVG element, tags are SVG elements and their content is markup (no
/// raw text states), so the scanner can mirror the stack of open elements: an end
/// tag closes the innermost open element of its name, or the `<svg>` itself.
/// What could put content outside it, or parse it as HTML, is doubt: a
/// [`BREAKOUT`] tag, an end tag of no open element (the tree builder hands it to
/// the HTML rules), markup in an HTML integration point (`<title>`, `<desc>`,
/// `<foreignObject>` holding anything but text), a comment, CDATA, `<!` or `<?`
/// markup (where a tag may not be one), an unterminated tag.
///
/// Text in the body is characters of the `<svg>` element; non-space characters
/// clear the tree builder's frameset-ok flag, which removing them would leave set,
/// so that a later `<frameset>` would replace the body: [`for_text`] leaves pages
/// with a `<frameset>` start tag unchanged.
fn svg_end(bytes: &[u8], from: usize, attrs: &mut Vec<AttrSpan>) -> Option<usize> {
    // Names (byte ranges) of the elements open inside the `<svg>`.
    let mut open_elements: Vec<(usize, usize)> = Vec::new();
    let mut at = from;
    loop {
        let open = at + memchr::memchr(b'<', bytes.get(at..)?)?;
        let rest = &bytes[open + 1..];
        match rest.first() {
            Some(b'!' | b'?') => return None,
            Some(b'/') => {
                if !rest.get(1).is_some_and(u8::is_ascii_alphabetic) {
                    return None;
                }
                let tag = scan_tag(bytes, open + 2, attrs)?;
                let name = &bytes[open + 2..tag.name_end];
                if name.eq_ignore_ascii_case(b"br") || name.eq_ignore_ascii_case(b"p") {
                    return None;
                }
                match open_elements
                    .iter()
                    .rposition(|&(s, e)| bytes[s..e].eq_ignore_ascii_case(name))
                {
                    Some(k) => open_elements.truncate(k),
                    None if name.eq_ignore_ascii_case(b"svg") => return Some(open),
                    None => return None,
                }
                at = tag.end;
            }
            Some(b) if b.is_ascii_alphabetic() => {
                let tag = scan_tag(bytes, open + 1, attrs)?;
                let name = &bytes[open + 1..tag.name_end];
                if BREAKOUT.iter().any(|n| name.eq_ignore_ascii_case(n)) {
                    return None;
                }
                if !tag.self_closing {
                    if INTEGRATION_POINTS
                        .iter()
                        .any(|n| name.eq_ignore_ascii_case(n))
                    {
                        // Text only, then its own end tag.
                        let next = tag.end + memchr::memchr(b'<', &bytes[tag.end..])?;
                        let after = &bytes[next..];
                        if !(after.starts_with(b"</")
                            && starts_with_ignore_case(&after[2..], name)
                            && after
                                .get(2 + name.len())
                                .is_some_and(|&b| is_space(b) || b == b'/' || b == b'>'))
                        {
                            return None;
                        }
                    }
                    open_elements.push((open + 1, tag.name_end));
                }
                at = tag.end;
            }
            _ => at = open + 1,
        }
    }
}

/// Whether `bytes` holds `<frameset` in any case, followed by a tag name's end.
fn has_frameset_tag(bytes: &[u8]) -> bool {
    memchr::memchr_iter(b'<', bytes).any(|open| {
        let rest = &bytes[open + 1..];
        starts_with_ignore_case(rest, b"frameset")
            && rest
                .get(8)
                .is_none_or(|&b| is_space(b) || b == b'/' || b == b'>')
    })
}

fn starts_with_ignore_case(bytes: &[u8], prefix: &[u8]) -> bool {
    bytes.len() >= prefix.len() && bytes[..prefix.len()].eq_ignore_ascii_case(prefix)
}

/// The first occurrence of `needle` in `bytes` at or after `from`.
fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(bytes.get(from..)?, needle).map(|i| from + i)
}

/// The offset of the `</name` that ends an element's text content starting at `from`:
/// the name followed by whitespace, `/` or `>`, in any case.
fn end_tag(bytes: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut at = from;
    loop {
        let close = find(bytes, at, b"</")?;
        let after = &bytes[close + 2..];
        if starts_with_ignore_case(after, name)
            && after
                .get(name.len())
                .is_some_and(|&b| is_space(b) || b == b'/' || b == b'>')
        {
            return Some(close);
        }
        at = close + 2;
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_go_and_tags_stay() {
        let cases = [
            // (page, expected)
            (
                "<p>a</p><script>var x = '<p>';</script><p>b</p>",
                "<p>a</p><script></script><p>b</p>",
            ),
            (
                "<STYLE type=\"text/css\">p { color: red }</Style >x",
                "<STYLE type=\"text/css\"></Style >x",
            ),
            (
                "<script type=\"module\" src=\"a.js\"></script>",
                "<script type=\"module\"></script>",
            ),
            ("<p>no scripts</p>", "<p>no scripts</p>"),
            // `>` inside a quoted value does not end the tag.
            (
                "<script class=\"a>b\">code</script>",
                "<script class=\"a>b\"></script>",
            ),
            // A script start inside a comment, an attribute or a title is not one.
            (
                "<!-- <script> --><p>kept</p><script>x</script>",
                "<!----><p>kept</p><script></script>",
            ),
            (
                "<div id=\"<script>\">kept</div></script>",
                "<div id=\"<script>\">kept</div></script>",
            ),
            (
                "<title><script>kept</script></title>",
                "<title><script>kept</script></title>",
            ),
            (
                "<textarea><style>kept</style></textarea>",
                "<textarea><style>kept</style></textarea>",
            ),
            // `</scripts>` does not end a script.
            ("<script>a</scripts>b</script>c", "<script></script>c"),
            // SVG bodies go, nested ones with them; a self-closing svg has none.
            (
                "<svg class=\"icon\"><path d=\"M0 0h24\"/><svg><g/></svg><title>x</title></svg><p>t</p>",
                "<svg class=\"icon\"></svg><p>t</p>",
            ),
            ("<svg/><p>kept</p>", "<svg/><p>kept</p>"),
            (
                "<svg><a href=\"</svg>\">x</a></svg>y",
                "<svg></svg>y",
            ),
        ];
        for (page, expected) in cases {
            assert_eq!(for_text(page, &filter()), expected, "{page}");
        }
    }

    /// The filter of the built-in rules.
    fn filter() -> AttrFilter {
        static FILTER: std::sync::OnceLock<AttrFilter> = std::sync::OnceLock::new();
        FILTER
            .get_or_init(|| crate::html::attr_filter(crate::Engine::builtin().rules()))
            .clone()
    }

    #[test]
    fn unread_attributes_go_and_read_ones_stay_as_written() {
        let cases = [
            // (page, expected)
            (
                "<a href=\"/x\" class=\"more\" data-track='{\"a\":1}'>More</a>",
                "<a class=\"more\">More</a>",
            ),
            (
                "<img src=x.png alt=\"A > B\" style = \"display:none\"/>",
                "<img style = \"display:none\" />",
            ),
            // An unquoted value takes a `/`: no self-closing flag to keep.
            ("<br data-x=1/>", "<br>"),
            ("<input type=hidden value=x><p>", "<input type=hidden><p>"),
            // Valueless, empty, duplicate and glued attributes keep their form.
            (
                "<div hidden data-a id=\"\" id=b class=\"c\"role=main>",
                "<div hidden id=\"\" id=b class=\"c\" role=main>",
            ),
            ("<div onclick=x =y>", "<div>"),
            ("<div ID=A Href=b>", "<div ID=A>"),
            ("<svg xlink:href=\"#i\" viewBox=\"0 0 1 1\"/>", "<svg />"),
            (
                "<template shadowrootmode=open>",
                "<template shadowrootmode=open>",
            ),
            // A tag with nothing to drop is left alone.
            ("<p class=a  id=b >", "<p class=a  id=b >"),
            // End tags and raw text are not rewritten.
            (
                "</div href=x><title><a href=x></title><textarea><b onclick=y></textarea>",
                "</div href=x><title><a href=x></title><textarea><b onclick=y></textarea>",
            ),
            ("<!-- <a href=x> --><a href=x>", "<!----><a>"),
        ];
        for (page, expected) in cases {
            assert_eq!(for_text(page, &filter()), expected, "{page}");
        }
        // A selector's attribute is kept.
        let filter = AttrFilter::new(["data-widget"]);
        assert_eq!(
            for_text("<div data-widget=share data-id=1>", &filter),
            "<div data-widget=share>"
        );
        assert!(
            filter.keeps(b"DATA-WIDGET") && filter.keeps(b"xlink:id") && !filter.keeps(b"data")
        );
    }

    #[test]
    fn comments_are_emptied() {
        let cases = [
            // (page, expected)
            ("<p>a<!-- note -->b</p>", "<p>a<!---->b</p>"),
            ("<!-- a --!> b -->", "<!----> b -->"),
            ("<!--><!---><!---->", "<!--><!---><!---->"),
            ("<!--[if IE]><p>old</p><![endif]-->x", "<!---->x"),
            ("<!-- never closed <p>", "<!-- never closed <p>"),
        ];
        for (page, expected) in cases {
            assert_eq!(for_text(page, &filter()), expected, "{page:?}");
        }
    }

    #[test]
    fn whitespace_runs_shrink_and_line_breaks_become_tabs_until_the_first_pre() {
        let cases = [
            // (page, expected)
            ("<p>a\nb</p>\r\n<p>c</p>", "<p>a\tb</p>\t<p>c</p>"),
            // A run of whitespace is its first character.
            (
                "<p>a. \n  b</p>\n\t <p>c  d\t\te</p>",
                "<p>a. b</p>\t<p>c d\te</p>",
            ),
            (
                "<p class=\"x\ny\">a\n<!--\n-->b</p>\n<pre>\nc</pre>\n",
                "<p class=\"x\ny\">a\t<!---->b</p>\t<pre>\nc</pre>\n",
            ),
            (
                "<title>\nt</title>\n<LISTING>\n",
                "<title>\nt</title>\t<LISTING>\n",
            ),
            ("a < b\nc", "a < b\tc"),
        ];
        for (page, expected) in cases {
            assert_eq!(for_text(page, &filter()), expected, "{page:?}");
        }
    }

    #[test]
    fn anything_doubtful_is_copied_as_it_is() {
        let cases = [
            // The escaped states: `</script>` inside may not end the element.
            "<script><!-- document.write('<script></script>'); --></script><p>text</p>",
            // Unterminated comment, tag, body.
            "<!-- never closed <script>x</script>",
            "<script>never closed",
            "<div class=\"x><script>a</script>",
            "<plaintext><script>a</script>",
            // A comment or CDATA inside an svg, an svg never closed.
            "<svg><!-- </svg> --></svg><p>t</p>",
            "<svg><![CDATA[ </svg> ]]></svg><p>t</p>",
            "<svg><path d=\"M0\"/><p>t</p>",
        ];
        for page in cases {
            assert_eq!(for_text(page, &filter()), page, "{page}");
        }
    }

    /// The parsed tree as far as the text output can see it: one line per node
    /// (depth, kind, element names with their attributes, text), with nothing
    /// below a script, style or SVG element.
    /// Attributes are those `filter` keeps.
    pub(super) fn signature(page: &str, filter: &AttrFilter) -> String {
        use crate::html::dom::{NodeKind, TreeLimits};
        use std::fmt::Write;
        let limits = TreeLimits {
            max_nodes: usize::MAX,
            max_depth: usize::MAX,
        };
        let tree = crate::html::dom::parse(page, limits).expect("parses");
        let mut out = String::new();
        let mut id = 0;
        while id < tree.len() {
            let depth = tree.depth[id];
            match &tree.kinds[id] {
                NodeKind::Element { name, attrs } => {
                    let _ = write!(out, "{depth} <{:?} {}", name.ns, name.local);
                    for a in attrs {
                        let written = match &a.name.prefix {
                            Some(prefix) => format!("{prefix}:{}", a.name.local),
                            None => a.name.local.to_string(),
                        };
                        if filter.keeps(written.as_bytes()) {
                            let _ =
                                write!(out, " {:?}:{}={:?}", a.name.ns, a.name.local, &*a.value);
                        }
                    }
                    out.push_str(">\n");
                    if matches!(&*name.local, "script" | "style" | "svg") {
                        id = tree.end[id];
                        continue;
                    }
                }
                NodeKind::Text(text) => {
                    // Outside preformatted elements, what reads text sees a run of
                    // whitespace as its first character, and line breaks and tabs
                    // alike (the view splits on whitespace, the character counts
                    // skip it, `sentence_like` looks for `. `): each run is its
                    // first character here, a line break as a tab.
                    let mut ancestor = tree.parent[id];
                    let mut preformatted = false;
                    while ancestor != crate::html::dom::NONE {
                        preformatted |= tree.tag(ancestor).is_some_and(|t| {
                            matches!(&**t, "pre" | "listing" | "textarea" | "xmp" | "plaintext")
                        });
                        ancestor = tree.parent[ancestor];
                    }
                    let text = if preformatted {
                        text.to_string()
                    } else {
                        let mut runs = String::new();
                        let mut after_space = false;
                        for c in text.chars() {
                            let space = matches!(c, ' ' | '\t' | '\n' | '\r');
                            if !space {
                                runs.push(c);
                            } else if !after_space {
                                runs.push(if c == ' ' { ' ' } else { '\t' });
                            }
                            after_space = space;
                        }
                        runs
                    };
                    let _ = writeln!(out, "{depth} {text:?}");
                }
                NodeKind::Comment(_) => {
                    let _ = writeln!(out, "{depth} <!---->");
                }
                other => {
                    let _ = writeln!(out, "{depth} {other:?}");
                }
            }
            id += 1;
        }
        out
    }

    /// Whether `for_text` leaves the parse of `page` the same, as [`signature`] sees it.
    fn assert_same_parse(page: &str) {
        let filter = filter();
        let stripped = for_text(page, &filter);
        assert_eq!(
            signature(page, &filter),
            signature(&stripped, &filter),
            "{}\n->\n{}",
            &page[..page.len().min(300)],
            &stripped[..stripped.len().min(300)]
        );
    }

    /// Tricky markup around what the scanner drops.
    const TRICKY: &[&str] = &[
        "<p>a</p><script>if (a < b) { x = '</p><p>'; }</script><p>b</p>",
        "<svg><style>.a{}</style><text>drawn</text></svg><p>after</p>",
        "<p>a<svg><foreignObject><p>inside</p></foreignObject></svg>b</p><svg/><p>c</p>",
        "<div><svg><svg></svg><text>t</text></svg><span>after</span></div>",
        "<p>one<script>1</script>two<style>2</style>three</p>",
        "<noscript><p>shown to crawlers</p></noscript><script>x</script>",
        "<![CDATA[ <script> ]]><p>after cdata</p><script>x</script>",
        "<?xml version=\"1.0\"?><p>after</p><script>y</script>",
        "<a href='x>y'>link</a><script>z</script>",
        // Breakout tags and stray end tags end an SVG element early.
        "<svg><path/><p>visible</p></svg><p>after</p>",
        "<div><svg><g></div><p>visible</p></svg>",
        "<a href=x><svg></a>visible</svg>",
        "<svg><g></p>visible</g></svg>",
        "<svg><font color=red>visible</font></svg>",
        "<svg><script>if (a<b) {}</script></svg><p>after</p>",
        // HTML integration points.
        "<svg><title><textarea></svg><p>x</p></textarea></title></svg><p>y</p>",
        "<svg><foreignObject><p>t</p></svg><p>more</p></foreignObject></svg>",
        "<svg><desc>text <b>bold</b></desc></svg><p>after</p>",
        "<table><svg><title>X</title><path/></svg><tr><td>cell</td></tr></table>",
        "<select><svg><path/>text</svg></select><p>after</p>",
        // Comments: `--!>` and the abrupt forms end them.
        "<!-- a --!> <p>text</p> --> <script>x</script><p>b</p>",
        "<!--> <p>text</p> --> <script>x</script>",
        "<!---> <p>text</p> --> <script>x</script>",
        "<!-- <!-- --> <script>y</script> -->",
        "<!-- a --- b ---> <script>x</script><p>c</p>",
        // Bogus comments and `</` forms.
        "</ <script>x</script> ><p>y</p>",
        "</><script>x</script>",
        "<! <script> ><p>a</p><script>b</script>",
        "<![CDATA[ x > <script>visible?</script> ]]><p>c</p>",
        // Attribute forms around `>`, quotes and `/`.
        "<div a=\"x\"=\">\"><script>s</script>visible</div>",
        "<div a= =\">\"><script>s</script></div>",
        "<div a=b/><script>s</script><p>c</p>",
        "<svg a=b/>text</svg><p>after</p>",
        "<div class\"x>y\"><script>s</script></div>",
        // Raw text elements.
        "<title><script>kept</script></title><p>a</p>",
        "<textarea><style>kept</style></textarea>",
        "<xmp><script>shown</script></xmp>",
        "<script>a</scripts>b</script>c",
        "<math><script></math><p>visible</p></script>",
        "<svg>drawn</svg><frameset><frame></frameset>",
        // Whitespace runs shrink, line breaks as tabs, up to the first `<pre>` or
        // `<listing>`.
        "<p>One.\nTwo.\r\nThree.\rFour</p>\n<ul>\n  <li>a\n  <li>b\n</ul>",
        "<p>a.<b>\n</b>b</p><pre>\nkept\n line</pre>\n<p>c\nd</p>",
        "<div>x</div>\n<listing>\nl\n</listing>",
        "<table>\n<tr>\n<td>a.\n</td></tr>\n</table>",
        "<textarea>\nt\n</textarea><p>x\ny</p><pre>\np</pre>",
        "<p>a < b\n c</p>",
        "<p>a.  \n  b</p>\n \t<p> c   d <b> e</b>\t\tf</p>",
        "<table>  \n  <tr> \t <td>a  b</td>  </tr>\n\n</table>  x  ",
        "<head>\n<title>t</title>\n</head>\n<body>\n<p>x</p>",
        "<svg>drawn</svg><math></math><frameset><frame></frameset>",
    ];

    #[test]
    fn the_parse_is_the_same_on_tricky_markup() {
        for page in TRICKY {
            assert_same_parse(page);
        }
    }

    #[test]
    fn the_parse_is_the_same_on_the_fixtures() {
        let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/html");
        let pages: Vec<String> = std::fs::read_dir(&fixtures)
            .expect("fixtures folder")
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|e| e == "html"))
            .map(|path| std::fs::read_to_string(path).expect("UTF-8 fixture"))
            .collect();
        assert!(pages.len() >= 4);
        assert!(pages
            .iter()
            .all(|page| for_text(page, &filter()) != page.as_str()));
        for page in &pages {
            assert_same_parse(page);
        }
    }

    /// The same over real pages: `DEBOIL_HTML_CORPUS` names dataset folders
    /// (holding `html/*.html`), separated by `:`. For instance
    /// `DEBOIL_HTML_CORPUS=../shared/corpus/readability:../shared/corpus/wcxb
    /// cargo test --release --lib rawtext -- --ignored`.
    #[test]
    #[ignore]
    fn the_parse_is_the_same_on_a_corpus() {
        let folders = std::env::var("DEBOIL_HTML_CORPUS").expect("DEBOIL_HTML_CORPUS");
        let filter = filter();
        let mut pages = 0;
        for folder in folders.split(':') {
            let html = std::path::Path::new(folder).join("html");
            for entry in std::fs::read_dir(&html).expect("an html folder") {
                let path = entry.expect("entry").path();
                let bytes = std::fs::read(&path).expect("readable");
                let (page, _) = crate::html::decode::decode(&bytes, None).expect("decodes");
                let stripped = for_text(&page, &filter);
                assert!(
                    signature(&page, &filter) == signature(&stripped, &filter),
                    "{}",
                    path.display()
                );
                pages += 1;
            }
        }
        assert!(pages > 0);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(400))]
        /// Pages put together from pieces of the tricky markup.
        #[test]
        fn the_parse_is_the_same_on_generated_markup(
            pieces in proptest::collection::vec(proptest::prelude::any::<proptest::sample::Index>(), 1..12)
        ) {
            const PIECES: &[&str] = &[
                "<p>", "</p>", "text ", "<div class=a>", "</div>", "<svg>", "</svg>", "<svg/>",
                "<path d=\"M0\"/>", "<g>", "</g>", "<title>", "</title>", "<script>", "</script>",
                "<style>", "</style>", "<!--", "-->", "--!>", "<!-->", "<textarea>", "</textarea>",
                "<table>", "<tr>", "<td>", "</table>", "<a href=x>", "</a>", "<b>", "</b>",
                "<select>", "</select>", "<math>", "<frameset>", "<![CDATA[", "]]>", ">", "<",
                "\"", "'", "=", "/", "<br/>", "</br>", "<foreignObject>", "<desc>", " x=\"<p>\" ",
                "<template>", "</template>", "<noscript>", "</noscript>", "<xmp>", "</xmp>",
                "<a href=x class=y>", "<div data-x=\"a>b\" id=c>", "<img src=x/>", " onclick=",
                "<input type=hidden name=q>", "<p hidden role=note title='t'>", "<font color=red face=x>",
                "<svg viewBox=\"0 0 1 1\" xlink:href=#a>",
                "\n", "\r\n", "\r", ".", "a.\n", "&#46;\n", "<pre>", "</pre>", "<listing>", "\t",
            ];
            let page: String = pieces.iter().map(|i| PIECES[i.index(PIECES.len())]).collect();
            assert_same_parse(&page);
        }
    }
}
