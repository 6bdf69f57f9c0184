//! Reads an HTML page on standard input and prints its main text (aggressive
//! mode, text output): the command `html_eval.py --cmd` measures. With
//! `--removals`, prints what was removed instead (length, rule, element, excerpt).
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
    let options = deboil::HtmlOptions::with_output(deboil::HtmlOutput::Text);
    let cleaned = engine.clean_html(&bytes, &options)?;
    let mut out = std::io::stdout().lock();
    if std::env::args().any(|a| a == "--removals") {
        for removal in cleaned.removals() {
            let excerpt: String = removal.text.chars().take(100).collect();
            let element = removal.element.as_deref().unwrap_or("");
            let rule = &removal.rule;
            writeln!(
                out,
                "{:5} {rule:24} {element:50} {excerpt:?}",
                removal.text.len()
            )?;
        }
    } else {
        out.write_all(cleaned.text().as_bytes())?;
    }
    Ok(())
}
