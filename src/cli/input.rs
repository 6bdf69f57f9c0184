//! Reading one document: bytes, format, UTF-8, and cleaning it.

use super::args::FormatArg;
use anyhow::{anyhow, Result};
use deboil::{Cleaned, Engine, Format, HtmlOptions};
use std::borrow::Cow;
use std::path::Path;

/// How many leading bytes are looked at to tell a binary file (a NUL byte among them).
const BINARY_PROBE: usize = 8 * 1024;

/// The format of a document: the one asked for, or by extension with `auto`
/// (`.md`/`.markdown`, `.html`/`.htm`, otherwise text; standard input is text).
pub fn format_for(path: Option<&Path>, choice: FormatArg) -> Format {
    match choice {
        FormatArg::Text => Format::Text,
        FormatArg::Markdown => Format::Markdown,
        FormatArg::Html => Format::Html,
        FormatArg::Auto => {
            let extension = path
                .and_then(Path::extension)
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase);
            match extension.as_deref() {
                Some("md" | "markdown") => Format::Markdown,
                Some("html" | "htm") => Format::Html,
                _ => Format::Text,
            }
        }
    }
}

/// Whether the bytes look binary (a NUL byte near the start, as git and ripgrep judge).
pub fn is_binary(bytes: &[u8]) -> bool {
    memchr::memchr(0, &bytes[..bytes.len().min(BINARY_PROBE)]).is_some()
}

/// Decodes UTF-8, or fails naming the document and the first bad byte's offset;
/// with `lossy`, bad bytes become U+FFFD.
pub fn decode(name: &str, bytes: Vec<u8>, lossy: bool) -> Result<String> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(error) if lossy => Ok(String::from_utf8_lossy(error.as_bytes()).into_owned()),
        Err(error) => Err(anyhow!(
            "{name}: invalid UTF-8 at byte {} (use --lossy to replace bad bytes)",
            error.utf8_error().valid_up_to()
        )),
    }
}

/// Cleans one document given as bytes. HTML goes to `Engine::clean_html` (which
/// decodes by the page's charset); text and Markdown must be UTF-8.
pub fn clean(
    engine: &Engine,
    name: &str,
    bytes: Vec<u8>,
    format: Format,
    lossy: bool,
    html: &HtmlOptions,
) -> Result<Cleaned<'static>> {
    if format == Format::Html {
        return engine
            .clean_html(&bytes, html)
            .map_err(|e| anyhow!("{name}: {e}"));
    }
    let raw = decode(name, bytes, lossy)?;
    clean_str(engine, name, raw, format)
}

/// Cleans a decoded text or Markdown document, keeping the raw text with the result.
pub fn clean_str(
    engine: &Engine,
    name: &str,
    raw: String,
    format: Format,
) -> Result<Cleaned<'static>> {
    let (text, removals) = engine
        .clean(&raw, format)
        .map_err(|e| anyhow!("{name}: {e}"))?
        .into_parts();
    Ok(Cleaned::from_parts(Cow::Owned(raw), text, removals, format))
}
