//! Bytes to text: the page's declared charset, or an explicit one.
//!
//! Order: an explicit label (`--encoding`), then a byte order mark, then a
//! `<meta charset>` or `<meta http-equiv="Content-Type" content="...;
//! charset=...">` in the first 4 KiB (unless the bytes are non-ASCII and
//! valid UTF-8 throughout), then UTF-8. Decoding is done by
//! `encoding_rs`, which replaces malformed sequences with U+FFFD.
//!
//! ```
//! use deboil::html::decode::decode;
//!
//! let bytes = b"<meta charset=windows-1251><p>\xcf\xf0\xe8\xe2\xe5\xf2</p>";
//! let (text, encoding) = decode(bytes, None).unwrap();
//! assert_eq!(encoding, "windows-1251");
//! assert!(text.contains("Привет"));
//! ```

use crate::error::Error;
use encoding_rs::{Encoding, UTF_8};
use std::borrow::Cow;

/// How far into the page to look for a `<meta>` declaration.
const PRESCAN_BYTES: usize = 4096;

/// Decodes `bytes`; returns the text and the name of the encoding used.
///
/// An unknown `label` is an error; an unknown declared charset falls back to UTF-8.
pub fn decode<'b>(
    bytes: &'b [u8],
    label: Option<&str>,
) -> Result<(Cow<'b, str>, &'static str), Error> {
    let encoding = match label {
        Some(label) => Encoding::for_label(label.trim().as_bytes())
            .ok_or_else(|| Error::Input(format!("unknown encoding {label:?}")))?,
        None => match Encoding::for_bom(bytes) {
            Some((encoding, _)) => encoding,
            None => match declared(&bytes[..bytes.len().min(PRESCAN_BYTES)]) {
                // Non-ASCII bytes that are all valid UTF-8 are UTF-8, whatever
                // the page declares: legacy encodings almost never produce
                // valid multi-byte sequences throughout, while pages re-saved
                // as UTF-8 often keep their old declaration (readability
                // corpus: a `gb2312` page stored as UTF-8).
                Some(encoding)
                    if encoding != UTF_8
                        && !bytes.is_ascii()
                        && std::str::from_utf8(bytes).is_ok() =>
                {
                    UTF_8
                }
                Some(encoding) => encoding,
                None => UTF_8,
            },
        },
    };
    // `decode` strips a BOM of the same encoding and replaces malformed input.
    let (text, used, _) = encoding.decode(bytes);
    Ok((text, used.name()))
}

/// The charset declared by a `<meta>` tag in `head`, if any.
fn declared(head: &[u8]) -> Option<&'static Encoding> {
    let mut i = 0;
    while let Some(offset) = memchr::memmem::find(&head[i..], b"<") {
        i += offset + 1;
        if head.len() < i + 4 || !head[i..i + 4].eq_ignore_ascii_case(b"meta") {
            continue;
        }
        let end = memchr::memchr(b'>', &head[i..]).map_or(head.len(), |e| i + e);
        let tag = &head[i + 4..end];
        if let Some(label) = charset_in(tag) {
            if let Some(encoding) = Encoding::for_label(label) {
                // A page that says UTF-16 in ASCII-compatible bytes is not UTF-16 (HTML spec).
                if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE {
                    return Some(UTF_8);
                }
                // x-user-defined means windows-1252 in a meta declaration.
                if encoding == encoding_rs::X_USER_DEFINED {
                    return Some(encoding_rs::WINDOWS_1252);
                }
                return Some(encoding);
            }
        }
        i = end;
    }
    None
}

/// The value after `charset=` in a tag's attributes (covers `charset=` and `content="...; charset=..."`).
fn charset_in(tag: &[u8]) -> Option<&[u8]> {
    let lower: Vec<u8> = tag.to_ascii_lowercase();
    let at = memchr::memmem::find(&lower, b"charset")?;
    let mut j = at + 7;
    while j < tag.len() && tag[j].is_ascii_whitespace() {
        j += 1;
    }
    if tag.get(j) != Some(&b'=') {
        return None;
    }
    j += 1;
    while j < tag.len() && (tag[j].is_ascii_whitespace() || tag[j] == b'"' || tag[j] == b'\'') {
        j += 1;
    }
    let start = j;
    while j < tag.len()
        && !matches!(tag[j], b'"' | b'\'' | b';' | b' ' | b'/' | b'>')
        && !tag[j].is_ascii_whitespace()
    {
        j += 1;
    }
    (j > start).then(|| &tag[start..j])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declarations_and_overrides() {
        let cases: &[(&[u8], Option<&str>, &str)] = &[
            (b"<p>plain", None, "UTF-8"),
            (b"\xef\xbb\xbf<p>bom", None, "UTF-8"),
            (b"\xff\xfe<\x00p\x00", None, "UTF-16LE"),
            (b"<meta charset=\"GBK\">", None, "GBK"),
            (
                b"<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=Shift_JIS\">",
                None,
                "Shift_JIS",
            ),
            (b"<meta charset='windows-1256'/>", None, "windows-1256"),
            (b"<meta charset=utf-16>", None, "UTF-8"),
            (b"<meta charset=nonsense>", None, "UTF-8"),
            (
                b"<meta charset=gb2312><p>\xe8\xb0\xb7\xe6\xad\x8c",
                None,
                "UTF-8",
            ),
            (b"<meta charset=gb2312><p>\xb9\xc8\xb8\xe8", None, "GBK"),
            (
                b"<meta charset=utf-8>",
                Some("windows-1251"),
                "windows-1251",
            ),
        ];
        for (bytes, label, expected) in cases {
            let (_, used) = decode(bytes, *label).unwrap();
            assert_eq!(used, *expected, "{:?}", String::from_utf8_lossy(bytes));
        }
        assert!(decode(b"x", Some("no-such-charset")).is_err());
    }
}
