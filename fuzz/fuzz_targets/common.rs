//! Checks shared by the fuzz targets.

use deboil::{Cleaned, Engine, Format};

/// The report invariant: the cleaned text is the raw input with exactly the
/// reported byte ranges (sorted, disjoint, non-empty, on char boundaries) cut.
pub fn assert_report_is_the_diff(raw: &str, cleaned: &Cleaned) {
    assert_eq!(cleaned.raw(), raw);
    let mut rebuilt = String::with_capacity(raw.len());
    let mut cursor = 0;
    for removal in cleaned.removals() {
        assert!(removal.start >= cursor, "overlapping removals");
        assert!(removal.start < removal.end, "empty removal");
        assert!(raw.is_char_boundary(removal.start) && raw.is_char_boundary(removal.end));
        assert_eq!(&raw[removal.range()], removal.text);
        rebuilt.push_str(&raw[cursor..removal.start]);
        cursor = removal.end;
    }
    rebuilt.push_str(&raw[cursor..]);
    assert_eq!(rebuilt, cleaned.text());
}

/// Cleans `raw`, checks the report, and checks that a second pass removes nothing.
pub fn clean_and_check(engine: &Engine, raw: &str, format: Format, converge: bool) {
    let cleaned = match engine.clean(raw, format) {
        Ok(cleaned) => cleaned,
        Err(error) => {
            let _ = error.to_string();
            return;
        }
    };
    assert_report_is_the_diff(raw, &cleaned);
    let _ = cleaned.summary();
    if converge {
        let again = engine
            .clean(cleaned.text(), format)
            .expect("the cleaned text is no larger than the input");
        assert!(
            again.removals().is_empty(),
            "second pass removed {:?}",
            again.removals()
        );
    }
}
