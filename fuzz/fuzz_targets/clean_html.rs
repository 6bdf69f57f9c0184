//! HTML cleaning with the built-in packs: never panics, errors render, and the
//! report is exactly the text-view diff (sorted, disjoint removals whose text
//! is the view's; the view minus them is the cleaned view, and the text output
//! is that cleaned view). The first byte picks the output (HTML, text or
//! Markdown), the mode, and whether small node and depth limits apply.
#![no_main]

use deboil::{HtmlOptions, HtmlOutput};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

use common::builtin_engines as engines;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, page)) = data.split_first() else {
        return;
    };
    let output = match selector % 3 {
        0 => HtmlOutput::Html,
        1 => HtmlOutput::Text,
        _ => HtmlOutput::Markdown,
    };
    let engine = &engines()[usize::from((selector >> 2) & 1)];
    let small = selector & 0x08 != 0;
    let options = HtmlOptions {
        output,
        // Mostly the page's own declaration; sometimes forced UTF-8.
        encoding: (selector & 0x10 != 0).then(|| "utf-8".to_string()),
        max_nodes: if small { 64 } else { 2_000_000 },
        max_depth: if small { 12 } else { 100_000 },
    };
    let cleaned = match engine.clean_html(page, &options) {
        Ok(cleaned) => cleaned,
        Err(error) => {
            let _ = error.to_string();
            return;
        }
    };
    let (view, cleaned_view) = cleaned
        .text_view()
        .expect("an HTML result carries its text view");
    let mut rebuilt = String::with_capacity(view.len());
    let mut cursor = 0;
    for removal in cleaned.removals() {
        assert!(removal.start >= cursor, "overlapping or unsorted removals");
        assert!(removal.start < removal.end, "empty removal");
        assert!(view.is_char_boundary(removal.start) && view.is_char_boundary(removal.end));
        assert_eq!(&view[removal.range()], removal.text);
        assert!(removal.line >= 1 && removal.column >= 1);
        assert!(
            removal.element.is_some(),
            "an HTML removal names its element"
        );
        rebuilt.push_str(&view[cursor..removal.start]);
        cursor = removal.end;
    }
    rebuilt.push_str(&view[cursor..]);
    assert_eq!(rebuilt, cleaned_view, "the view minus the removals");
    if output == HtmlOutput::Text {
        assert_eq!(cleaned.text(), cleaned_view);
    }
    let _ = cleaned.summary();
    let _ = cleaned.unified_diff();
});
