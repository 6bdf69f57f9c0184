//! Text and Markdown cleaning with the built-in packs: never panics, the report
//! is exactly the diff, and (with `DEBOIL_FUZZ_CONVERGE=1`) a second pass
//! removes nothing. The first byte picks the format, the mode and the line limit.
#![no_main]

use deboil::{Engine, Format, Limits, Mode};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

#[path = "common.rs"]
mod common;

fn engines() -> &'static [Engine; 4] {
    static ENGINES: OnceLock<[Engine; 4]> = OnceLock::new();
    ENGINES.get_or_init(|| {
        let build = |mode: Mode, max_line_bytes: usize| {
            Engine::builder()
                .mode(mode)
                .limits(Limits {
                    max_line_bytes,
                    ..Limits::default()
                })
                .build()
                .expect("the built-in packs load")
        };
        [
            build(Mode::Default, 1 << 20),
            build(Mode::Aggressive, 1 << 20),
            build(Mode::Default, 40),
            build(Mode::Aggressive, 40),
        ]
    })
}

fn converge() -> bool {
    static CONVERGE: OnceLock<bool> = OnceLock::new();
    *CONVERGE.get_or_init(|| std::env::var_os("DEBOIL_FUZZ_CONVERGE").is_some_and(|v| v == "1"))
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let format = if selector & 1 == 0 {
        Format::Text
    } else {
        Format::Markdown
    };
    let engine = &engines()[usize::from(selector >> 1) % 4];
    common::clean_and_check(engine, &text, format, converge());
});
