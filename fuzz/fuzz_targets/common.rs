//! Checks and engines shared by the fuzz targets (each target uses part of them).
#![allow(dead_code)]

use deboil::{Engine, Format, Mode};
use std::sync::OnceLock;

/// The report invariant, shared with the integration tests.
#[path = "../../tests/common/mod.rs"]
mod report;
pub use report::assert_report_is_the_diff;

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

/// The built-in packs in the default and the aggressive mode, built once.
pub fn builtin_engines() -> &'static [Engine; 2] {
    static ENGINES: OnceLock<[Engine; 2]> = OnceLock::new();
    ENGINES.get_or_init(|| {
        let build = |mode: Mode| {
            Engine::builder()
                .mode(mode)
                .build()
                .expect("the built-in packs load")
        };
        [build(Mode::Default), build(Mode::Aggressive)]
    })
}
