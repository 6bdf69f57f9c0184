//! Prints the removals of an HTML page (aggressive mode): rule, element, excerpt.

use std::io::Read;

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
    for removal in cleaned.removals() {
        let excerpt: String = removal.text.chars().take(100).collect();
        println!(
            "{:5} {:24} {:50} {:?}",
            removal.text.len(),
            removal.rule,
            removal.element.as_deref().unwrap_or(""),
            excerpt
        );
    }
    Ok(())
}
