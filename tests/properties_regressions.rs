//! Regressions found by the properties (`tests/properties.rs`) and the fuzzers
//! (`fuzz/`): each test is named after what broke, and checks the report
//! invariant and convergence on the input that broke it.

mod common;

use common::assert_report_is_the_diff;
use deboil::{Engine, Format, Mode};

/// Cleans `raw`, checks that the report is exactly the diff, and that a second
/// pass removes nothing; returns the cleaned text.
fn clean_checked(engine: &Engine, raw: &str, format: Format) -> String {
    let cleaned = engine.clean(raw, format).unwrap_or_else(|e| panic!("{e}"));
    assert_report_is_the_diff(raw, &cleaned);
    let again = engine
        .clean(cleaned.text(), format)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        again.removals().is_empty(),
        "second pass removed {:?} from {:?}",
        again.removals(),
        cleaned.text()
    );
    cleaned.text().to_string()
}

fn aggressive() -> Engine {
    Engine::builder()
        .mode(Mode::Aggressive)
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn removed_unterminated_last_line_after_another_removal_does_not_overlap_it() {
    // The last line (no terminator) and the line before it are removed by different
    // rules: cutting the last kept line's terminator used to start the last removal
    // before the previous one, and building the text panicked.
    let raw = "## Related posts\n0\nArtikel teilen: Facebook · WhatsApp · E-Mail";
    for format in [Format::Text, Format::Markdown] {
        let text = clean_checked(&Engine::builtin(), raw, format);
        assert!(!text.ends_with('\n'), "{text:?}");
        clean_checked(&aggressive(), raw, format);
    }
}

#[test]
fn removing_repeated_titles_that_brings_a_breadcrumb_into_the_edge_window_converges() {
    // The first pass removed repeated titles; that moved `一«` into the head
    // window of the breadcrumb rule, so a second pass removed more.
    let raw = "## Related posts\n## Related posts\n## Related posts\n# \n## Related posts\n## Related posts\n## Related posts\n## Related posts\n## Related posts\n## Related posts\n一«\n## Related posts\n## Related posts\n## Related posts\n## Related posts\n## Related posts\n## Related posts\n## Related posts\n## Related posts\n## Related posts\n## Related posts";
    for format in [Format::Text, Format::Markdown] {
        clean_checked(&Engine::builtin(), raw, format);
        clean_checked(&aggressive(), raw, format);
    }
}

#[test]
fn edge_counters_beyond_the_position_window_converge_in_one_clean() {
    // Thirty counter lines: the edge window (10 lines) used to take ten per pass.
    let mut raw = "19\n".repeat(30);
    raw.push_str("The council approved the budget on Tuesday after a long debate.\n");
    raw.push_str("Residents will see the new bus lines from March onwards.\n");
    let text = clean_checked(&Engine::builtin(), &raw, Format::Text);
    assert!(text.starts_with("The council"), "{text:?}");
}

#[test]
fn span_taking_a_whole_line_before_removed_last_lines_keeps_the_missing_final_newline_missing() {
    // A date line taken whole by a span rule, then the rest removed by line rules, the
    // last line without a terminator: the line rules cut the date line's terminator,
    // and the output ended with the title's newline although the input had none.
    let raw = "طريقة عمل الكنافة النابلسية بالجبن في البيت\n14.10.2025 · 👁 4 512 · 💬 12\nاخبار مرتبط\nArtikel teilen: Facebook · WhatsApp · E-Mail\nCricket › County Championship › Division One\n## Related posts";
    for format in [Format::Text, Format::Markdown] {
        let text = clean_checked(&Engine::builtin(), raw, format);
        assert_eq!(text, "طريقة عمل الكنافة النابلسية بالجبن في البيت");
        let text = clean_checked(&aggressive(), raw, format);
        assert!(!text.ends_with('\n'), "{text:?}");
    }
}
