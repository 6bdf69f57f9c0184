//! Pages per second of `clean_html` (aggressive mode, text output), single
//! thread, HTML already in memory, regexes compiled before timing
//! ([`deboil::Engine::compile_all`]) and one untimed warm-up call on the first
//! page: the way the baselines in `../shared/eval/BASELINES.md` were timed
//! (their regexes compile at import, and `benches/html_trafilatura.py` makes
//! the same warm-up call). The figure with regexes compiling on first use is
//! printed too (not with `--warm-only`, which times the compiled engine alone:
//! for profilers, whose collection can be limited to `html::timed_pass`).
//!
//! ```sh
//! cargo bench --bench html -- ../shared/corpus/{scrapinghub,readability,wcxb,trafilatura}
//! ```
//!
//! Each argument is a dataset folder holding `html/*.html`; `benches/html_trafilatura.py`
//! times trafilatura on the same folders.

use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `--warm-only`: only the compiled-engine pass (for profilers).
    let warm_only = args.iter().any(|a| a == "--warm-only");
    let folders: Vec<String> = args.into_iter().filter(|a| !a.starts_with('-')).collect();
    if folders.is_empty() {
        eprintln!("usage: cargo bench --bench html -- DATASET_DIR...");
        return Ok(());
    }
    let mut pages: Vec<Vec<u8>> = Vec::new();
    for folder in &folders {
        let mut files: Vec<_> = std::fs::read_dir(std::path::Path::new(folder).join("html"))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "html"))
            .collect();
        files.sort();
        for file in files {
            pages.push(std::fs::read(file)?);
        }
    }
    let engine = deboil::Engine::builder()
        .mode(deboil::Mode::Aggressive)
        .build()?;
    let options = deboil::HtmlOptions::with_output(deboil::HtmlOutput::Text);
    let bytes: usize = pages.iter().map(Vec::len).sum();
    let time = |engine: &deboil::Engine| timed_pass(engine, &pages, &options);
    // First pass: regexes compile as the pages need them (a short-lived process).
    let cold = if warm_only {
        f64::NAN
    } else {
        time(&engine)?.0
    };
    // Then a fresh engine compiled before timing, as a long-lived scraper's engine is
    // (trafilatura's regexes compile when it is imported, outside its timing too).
    let engine = deboil::Engine::builder()
        .mode(deboil::Mode::Aggressive)
        .build()?;
    engine.compile_all();
    if let Some(first) = pages.first() {
        engine.clean_html(first, &options)?;
    }
    let (seconds, out) = time(&engine)?;
    println!(
        "deboil {}: {} pages, {:.1} MB in {:.2} s: {:.1} pages/s, {:.2} MB/s ({} bytes of text); \
         {:.1} pages/s with regexes compiling on first use",
        env!("CARGO_PKG_VERSION"),
        pages.len(),
        bytes as f64 / 1e6,
        seconds,
        pages.len() as f64 / seconds,
        bytes as f64 / 1e6 / seconds,
        out,
        pages.len() as f64 / cold,
    );
    Ok(())
}

/// Cleans every page once: seconds taken and bytes of text produced.
#[inline(never)]
fn timed_pass(
    engine: &deboil::Engine,
    pages: &[Vec<u8>],
    options: &deboil::HtmlOptions,
) -> Result<(f64, usize), deboil::Error> {
    let start = Instant::now();
    let mut out = 0usize;
    for page in pages {
        out += engine.clean_html(page, options)?.text().len();
    }
    Ok((start.elapsed().as_secs_f64(), out))
}
