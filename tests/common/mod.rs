//! Checks shared by the integration tests.

use deboil::Cleaned;

/// The report invariant: the cleaned text is the raw input with exactly the
/// reported byte ranges (sorted, disjoint, non-empty, on char boundaries) cut.
pub fn assert_report_is_the_diff(raw: &str, cleaned: &Cleaned) {
    assert_eq!(cleaned.raw(), raw);
    let mut rebuilt = String::with_capacity(raw.len());
    let mut cursor = 0;
    for removal in cleaned.removals() {
        assert!(
            removal.start >= cursor,
            "overlapping removals: {:?}",
            cleaned.removals()
        );
        assert!(removal.start < removal.end, "empty removal");
        assert!(raw.is_char_boundary(removal.start) && raw.is_char_boundary(removal.end));
        assert_eq!(&raw[removal.range()], removal.text);
        rebuilt.push_str(&raw[cursor..removal.start]);
        cursor = removal.end;
    }
    rebuilt.push_str(&raw[cursor..]);
    assert_eq!(rebuilt, cleaned.text());
}
