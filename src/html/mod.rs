//! HTML front end: decoding, parsing, structural rules and the text view.
//!
//! Not built yet: [`Engine::clean_html`](crate::Engine::clean_html) returns an
//! error until this module lands.

/// What `clean_html` returns as the cleaned text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HtmlOutput {
    /// The cleaned page, serialized as HTML.
    #[default]
    Html,
    /// Readable text: one line per block, blank lines between paragraphs.
    Text,
    /// Markdown.
    Markdown,
}

/// Options for cleaning HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HtmlOptions {
    /// The output form.
    pub output: HtmlOutput,
    /// An encoding label (`windows-1251`, `gbk`, ...) that overrides the page's declaration.
    pub encoding: Option<String>,
    /// Most element nodes accepted.
    pub max_nodes: usize,
    /// Deepest element nesting accepted.
    pub max_depth: usize,
}

impl Default for HtmlOptions {
    fn default() -> Self {
        HtmlOptions {
            output: HtmlOutput::Html,
            encoding: None,
            max_nodes: 2_000_000,
            max_depth: 100_000,
        }
    }
}
