//! Rule-pack loading from arbitrary TOML: never panics, errors render, and a
//! pack that loads cleans a sample document with a truthful report.
#![no_main]

use deboil::{Engine, Format, Limits, PackLimits};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

const SAMPLE: &str = "Home / News / Markets\n# Title\n\nBody text here. Subscribe now!\nGet the app\n\n19\nRead more »\n- one\n- two\n";

fuzz_target!(|data: &[u8]| {
    let source = String::from_utf8_lossy(data);
    let limits = Limits {
        packs: PackLimits {
            regex_size_limit: 256 * 1024,
            max_phrases: 10_000,
        },
        ..Limits::default()
    };
    let built = Engine::builder()
        .builtin(false)
        .limits(limits)
        .add_pack("fuzz.toml", &source)
        .build();
    match built {
        Err(error) => {
            let _ = error.to_string();
        }
        Ok(engine) => {
            let _ = engine.check_examples();
            for format in [Format::Text, Format::Markdown] {
                common::clean_and_check(&engine, SAMPLE, format, false);
            }
        }
    }
});
