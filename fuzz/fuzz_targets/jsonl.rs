//! The JSON Lines record logic of `deboil --jsonl` (the binary's own
//! `src/cli/jsonl/record.rs`, compiled here as is): never panics; a record it
//! accepts comes out as one line holding one JSON object with the input's
//! members in order, the field replaced by the cleaned text, every `deboil`
//! member replaced by the report (or one appended), and every other value
//! byte for byte; a record it refuses has a message. The first byte picks the
//! format (text, Markdown or HTML), the mode and the field name; the record is
//! the rest up to the first `\n`, as the reader splits lines.
#![no_main]

use deboil::{Cleaned, Engine, Format, HtmlOptions, HtmlOutput};
use libfuzzer_sys::fuzz_target;
use std::borrow::Cow;

#[path = "../../src/cli/jsonl/record.rs"]
mod record;

use record::{clean_record, Members, KEY};

#[path = "common.rs"]
mod common;

use common::builtin_engines as engines;

/// What the binary does with the field's value (`input::clean` / `input::clean_str`).
fn clean(engine: &Engine, format: Format, document: String) -> Result<Cleaned<'static>, String> {
    if format == Format::Html {
        let options = HtmlOptions::with_output(HtmlOutput::Text);
        return engine
            .clean_html(document.as_bytes(), &options)
            .map_err(|e| e.to_string());
    }
    let (text, removals) = {
        let cleaned = engine.clean(&document, format).map_err(|e| e.to_string())?;
        let removals = cleaned.removals().to_vec();
        (cleaned.into_text(), removals)
    };
    Ok(Cleaned::from_parts(
        Cow::Owned(document),
        text,
        removals,
        format,
    ))
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let raw = rest.split(|&b| b == b'\n').next().unwrap_or_default();
    let format = match selector % 3 {
        0 => Format::Text,
        1 => Format::Markdown,
        _ => Format::Html,
    };
    let engine = &engines()[usize::from((selector >> 2) & 1)];
    let field = match (selector >> 3) & 3 {
        0 | 1 => "text",
        2 => "body",
        _ => KEY,
    };
    let (line, cleaned) = match clean_record(raw, field, |document| clean(engine, format, document))
    {
        Ok(done) => done,
        Err(problem) => {
            assert!(!problem.is_empty());
            return;
        }
    };
    assert!(!line.contains('\n'), "one output line per record");
    let text = std::str::from_utf8(raw).expect("an accepted record is UTF-8");
    let text = text.strip_suffix('\r').unwrap_or(text);
    let input: Members = serde_json::from_str(text).expect("an accepted record is an object");
    let output: Members = serde_json::from_str(&line).expect("the output line is a JSON object");
    let report = serde_json::to_string(&cleaned.report(None)).expect("the report serializes");
    let has_key = input.0.iter().any(|(key, _)| key == KEY && key != field);
    let appended = usize::from(!has_key);
    assert_eq!(output.0.len(), input.0.len() + appended);
    for ((key, before), (out_key, after)) in input.0.iter().zip(&output.0) {
        assert_eq!(key, out_key, "member order and names are kept");
        if key == field {
            let value: String =
                serde_json::from_str(after.get()).expect("the field is still a string");
            assert_eq!(value, cleaned.text());
        } else if key == KEY {
            assert_eq!(after.get(), report);
        } else {
            assert_eq!(after.get(), before.get(), "other members pass through");
        }
    }
    if appended == 1 {
        let (key, value) = output.0.last().expect("the appended report");
        assert_eq!(key, KEY);
        assert_eq!(value.get(), report);
    }
});
