//! Reads an HTML page on standard input and prints its main text (aggressive
//! mode, text output): the command `html_eval.py --cmd` measures.
//!
//! ```sh
//! cargo build --release --example html_to_text
//! target/release/examples/html_to_text < page.html
//! ```

use std::io::{Read, Write};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut bytes = Vec::new();
    std::io::stdin().read_to_end(&mut bytes)?;
    let engine = deboil::Engine::builder()
        .mode(deboil::Mode::Aggressive)
        .build()?;
    let options = deboil::HtmlOptions {
        output: deboil::HtmlOutput::Text,
        ..deboil::HtmlOptions::default()
    };
    let cleaned = engine.clean_html(&bytes, &options)?;
    std::io::stdout().write_all(cleaned.text().as_bytes())?;
    Ok(())
}
