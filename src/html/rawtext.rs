//! Script, style and SVG bodies dropped before parsing, when only the page's text is wanted.
//!
//! html5ever tokenizes the inside of `<script>` and `<style>` one character at a
//! time, and on the corpus pages those bodies are 37% of the bytes; none of it
//! reaches the text view. Dropping them first cut parsing by 9% of its
//! instructions on the readability pages (callgrind of the `html` bench; 2% of
//! the whole clean), less than their share of bytes: the tokenizer's cost is
//! mostly per tag. [`without_script_and_style`]
//! finds them with a small scanner that follows the tokenizer's states where
//! they decide what is markup: comments, bogus comments, CDATA, quoted attribute
//! values, and the elements whose content is not markup (`textarea`, `title`,
//! `xmp`, `iframe`, `noembed`, `noframes`, `plaintext`). It keeps the tags and
//! drops the bodies between them.
//!
//! The scanner only has to be safe in one direction: taking something for a
//! script or style body that html5ever would have parsed as markup could lose
//! text, while missing a body only costs time. So wherever it could disagree
//! with the tokenizer it stops stripping and copies the rest of the page as it
//! is: a script body holding `<!--` (the escaped states, where `</script>` may not
//! end the element), an unterminated comment, tag or body.
//!
//! SVG bodies (6% of the corpus bytes, mostly path data in attributes) go the
//! same way: the text view skips `<svg>` subtrees whole, so their content
//! (drawings, icon titles) never reaches it. The `<svg>` tag itself stays for
//! the selectors. A body holding a comment or CDATA is copied as it is.

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

/// `html` with the bodies of its `<script>`, `<style>` and `<svg>` elements removed
/// (their tags kept), or unchanged when it has none.
pub(crate) fn without_script_and_style(html: &str) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut out: Option<String> = None;
    // Bytes up to `copied` are in `out` (or need no change, while `out` is None).
    let mut copied = 0;
    let mut at = 0;
    while let Some(offset) = memchr::memchr(b'<', &bytes[at..]) {
        let open = at + offset;
        let rest = &bytes[open + 1..];
        let next = match rest.first() {
            Some(&b) => b,
            None => break,
        };
        at = if rest.starts_with(b"!--") {
            match find(bytes, open + 4, b"-->") {
                Some(end) => end + 3,
                None => break,
            }
        } else if starts_with_ignore_case(rest, b"![cdata[") {
            match find(bytes, open + 9, b"]]>") {
                Some(end) => end + 3,
                None => break,
            }
        } else if next == b'!' || next == b'?' {
            match memchr::memchr(b'>', &bytes[open..]) {
                Some(end) => open + end + 1,
                None => break,
            }
        } else if next == b'/' && rest.get(1).is_some_and(u8::is_ascii_alphabetic) {
            match tag_end(bytes, open + 2) {
                Some(end) => end,
                None => break,
            }
        } else if next.is_ascii_alphabetic() {
            let name_end = open
                + 1
                + rest
                    .iter()
                    .position(|&b| {
                        matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/' | b'>')
                    })
                    .unwrap_or(rest.len());
            let name = &bytes[open + 1..name_end];
            let Some(start_tag_end) = tag_end(bytes, name_end) else {
                break;
            };
            let stripped =
                name.eq_ignore_ascii_case(b"script") || name.eq_ignore_ascii_case(b"style");
            if name.eq_ignore_ascii_case(b"plaintext") {
                break;
            }
            if name.eq_ignore_ascii_case(b"svg") && bytes[start_tag_end - 2] != b'/' {
                let Some(close) = svg_end(bytes, start_tag_end) else {
                    break;
                };
                let out = out.get_or_insert_with(|| String::with_capacity(html.len()));
                out.push_str(&html[copied..start_tag_end]);
                copied = close;
                at = close;
                continue;
            }
            if stripped || OPAQUE.iter().any(|o| name.eq_ignore_ascii_case(o)) {
                let Some(close) = end_tag(bytes, start_tag_end, name) else {
                    break;
                };
                if stripped {
                    let body = &bytes[start_tag_end..close];
                    if name.eq_ignore_ascii_case(b"script") && find(body, 0, b"<!--").is_some() {
                        break;
                    }
                    let out = out.get_or_insert_with(|| String::with_capacity(html.len()));
                    out.push_str(&html[copied..start_tag_end]);
                    copied = close;
                }
                close
            } else {
                start_tag_end
            }
        } else {
            open + 1
        };
    }
    match out {
        None => Cow::Borrowed(html),
        Some(mut out) => {
            out.push_str(&html[copied..]);
            Cow::Owned(out)
        }
    }
}

/// The offset of the `</svg` that closes an `<svg>` whose content starts at `from`,
/// counting nested `<svg>`s and skipping quoted attribute values; `None` when there
/// is none, or when the content holds a comment, CDATA or other `<!`/`<?` markup
/// (where a tag may not be one: doubt stops the stripping).
fn svg_end(bytes: &[u8], from: usize) -> Option<usize> {
    let is_delimiter = |b: Option<&u8>| {
        b.is_some_and(|&b| matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/' | b'>'))
    };
    let mut depth = 1usize;
    let mut at = from;
    loop {
        let open = at + memchr::memchr(b'<', bytes.get(at..)?)?;
        let rest = &bytes[open + 1..];
        match rest.first() {
            Some(b'!' | b'?') => return None,
            Some(b'/') if rest.get(1).is_some_and(u8::is_ascii_alphabetic) => {
                if starts_with_ignore_case(&rest[1..], b"svg") && is_delimiter(rest.get(4)) {
                    depth -= 1;
                    if depth == 0 {
                        return Some(open);
                    }
                }
                at = tag_end(bytes, open + 2)?;
            }
            Some(b) if b.is_ascii_alphabetic() => {
                let end = tag_end(bytes, open + 1)?;
                if starts_with_ignore_case(rest, b"svg")
                    && is_delimiter(rest.get(3))
                    && bytes[end - 2] != b'/'
                {
                    depth += 1;
                }
                at = end;
            }
            _ => at = open + 1,
        }
    }
}

fn starts_with_ignore_case(bytes: &[u8], prefix: &[u8]) -> bool {
    bytes.len() >= prefix.len() && bytes[..prefix.len()].eq_ignore_ascii_case(prefix)
}

/// The first occurrence of `needle` in `bytes` at or after `from`.
fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(bytes.get(from..)?, needle).map(|i| from + i)
}

/// The offset after the `>` that ends a tag whose attributes start at `from`: a `>`
/// inside a quoted attribute value does not end it.
fn tag_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b'>' => return Some(i + 1),
            b'=' => {
                i += 1;
                while i < bytes.len() && matches!(bytes[i], b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
                {
                    i += 1;
                }
                if let Some(&quote @ (b'"' | b'\'')) = bytes.get(i) {
                    i += 1 + memchr::memchr(quote, bytes.get(i + 1..)?)?;
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
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
                .is_some_and(|&b| matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/' | b'>'))
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
                "<script src=\"a.js\"></script>",
                "<script src=\"a.js\"></script>",
            ),
            ("<p>no scripts</p>", "<p>no scripts</p>"),
            // `>` inside a quoted value does not end the tag.
            (
                "<script data-x=\"a>b\">code</script>",
                "<script data-x=\"a>b\"></script>",
            ),
            // A script start inside a comment, an attribute or a title is not one.
            (
                "<!-- <script> --><p>kept</p><script>x</script>",
                "<!-- <script> --><p>kept</p><script></script>",
            ),
            (
                "<div title=\"<script>\">kept</div></script>",
                "<div title=\"<script>\">kept</div></script>",
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
            assert_eq!(without_script_and_style(page), expected, "{page}");
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
            assert_eq!(without_script_and_style(page), page, "{page}");
        }
    }

    /// The text a page shows, as the text view renders it.
    fn shown_text(page: &str) -> String {
        let limits = crate::html::dom::TreeLimits {
            max_nodes: usize::MAX,
            max_depth: usize::MAX,
        };
        let tree = crate::html::dom::parse(page, limits).expect("parses");
        let marks = vec![crate::html::view::UNMARKED; tree.len()];
        crate::html::view::build(&tree, &marks).text
    }

    #[test]
    fn stripping_changes_no_shown_text() {
        let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/html");
        let mut pages: Vec<String> = std::fs::read_dir(&fixtures)
            .expect("fixtures folder")
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|e| e == "html"))
            .map(|path| std::fs::read_to_string(path).expect("UTF-8 fixture"))
            .collect();
        assert!(pages.len() >= 4);
        pages.extend(
            [
                "<p>a</p><script>if (a < b) { x = '</p><p>'; }</script><p>b</p>",
                "<svg><style>.a{}</style><text>drawn</text></svg><p>after</p>",
                "<p>a<svg><foreignObject><p>inside</p></foreignObject></svg>b</p><svg/><p>c</p>",
                "<div><svg><svg></svg><text>t</text></svg><span>after</span></div>",
                "<p>one<script>1</script>two<style>2</style>three</p>",
                "<noscript><p>shown to crawlers</p></noscript><script>x</script>",
                "<![CDATA[ <script> ]]><p>after cdata</p><script>x</script>",
                "<?xml version=\"1.0\"?><p>after</p><script>y</script>",
                "<a href='x>y'>link</a><script>z</script>",
            ]
            .map(String::from),
        );
        for page in &pages {
            let stripped = without_script_and_style(page);
            assert_eq!(
                shown_text(page),
                shown_text(&stripped),
                "{}",
                &page[..page.len().min(200)]
            );
        }
    }
}
