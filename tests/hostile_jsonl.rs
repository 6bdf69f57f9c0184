//! The JSON Lines reader (`deboil --jsonl`) on hostile streams: random valid
//! records mixed with malformed lines, lone surrogate escapes, deep nesting and
//! huge strings. The binary never crashes, keeps one output line per input
//! line in order, cleans each record exactly as the library does, and passes
//! bad lines through byte for byte (`--skip-bad-records`).
#![cfg(feature = "cli")]

use deboil::{Engine, Format};
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence};
use std::io::Write;
use std::process::{Command, Stdio};

#[derive(Debug, Clone)]
enum Line {
    Record(String),
    Bad(String),
}

fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("Get the BTCC app to start your crypto journey".to_string()),
        Just("Share on Facebook | X | Telegram".to_string()),
        Just("Home / News / Markets".to_string()),
        Just("19".to_string()),
        Just("Markets rallied on Friday as inflation cooled.".to_string()),
        Just(String::new()),
        "[ -~\u{0600}-\u{06FF}\u{0300}-\u{036F}\u{200B}-\u{200F}\u{4E00}-\u{4E20}\r\t\0]{0,30}",
    ];
    prop::collection::vec(piece, 0..8).prop_map(|p| p.join("\n"))
}

fn line() -> impl Strategy<Value = Line> {
    prop_oneof![
        4 => text().prop_map(Line::Record),
        1 => prop::sample::select(vec![
            "{bad".to_string(),
            "[1,2]".to_string(),
            "\"just a string\"".to_string(),
            "{\"text\": 5}".to_string(),
            "{\"other\": \"no text field\"}".to_string(),
            "{\"text\": \"\\ud800 lone surrogate\"}".to_string(),
            format!("{{\"x\": {}1{}, \"text\": \"deep\"}}", "[".repeat(300), "]".repeat(300)),
            "[".repeat(100_000),
            format!("{{\"text\": \"{}\"}}", "a\\n".repeat(50_000)),
            String::new(),
            "   ".to_string(),
            "{\"text\": \"a\"} trailing".to_string(),
            "\u{FEFF}{\"text\": \"bom\"}".to_string(),
        ]).prop_map(Line::Bad),
    ]
}

proptest! {
    #![proptest_config(Config {
        cases: 24,
        failure_persistence: Some(Box::new(FileFailurePersistence::Off)),
        ..Config::default()
    })]

    #[test]
    fn jsonl_reader_survives_hostile_streams(lines in prop::collection::vec(line(), 0..40)) {
        let mut input = String::new();
        for (i, line) in lines.iter().enumerate() {
            match line {
                Line::Record(text) => input.push_str(
                    &serde_json::json!({ "id": i, "text": text }).to_string(),
                ),
                Line::Bad(raw) => input.push_str(raw),
            }
            input.push('\n');
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_deboil"))
            .args(["--jsonl", "--skip-bad-records"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let mut stdin = child.stdin.take().ok_or_else(|| TestCaseError::fail("no stdin"))?;
        let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
        let output = child
            .wait_with_output()
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let _ = writer.join();
        let stderr = String::from_utf8_lossy(&output.stderr);
        prop_assert!(!stderr.contains("panicked"), "{}", stderr);
        prop_assert_eq!(output.status.code(), Some(0), "{}", stderr);
        let stdout = String::from_utf8_lossy(&output.stdout);
        let out_lines: Vec<&str> = stdout.split_terminator('\n').collect();
        prop_assert_eq!(out_lines.len(), lines.len());
        let engine = Engine::builtin();
        for (line, out) in lines.iter().zip(&out_lines) {
            match line {
                Line::Record(text) => {
                    let record: serde_json::Value = serde_json::from_str(out)
                        .map_err(|e| TestCaseError::fail(format!("{e}: {out}")))?;
                    let expected = engine
                        .clean(text, Format::Text)
                        .map_err(|e| TestCaseError::fail(e.to_string()))?;
                    prop_assert_eq!(record["text"].as_str(), Some(expected.text()));
                }
                Line::Bad(raw) => {
                    // A bad line is passed through; a line that happens to be a valid
                    // record (e.g. with a BOM stripped) is cleaned instead.
                    // (Nesting deeper than serde_json's default limit in another field is
                    // passed through as a raw value, so only the report key is checked.)
                    if out != raw {
                        let head: String = out.chars().take(200).collect();
                        prop_assert!(out.contains("\"deboil\":{\"version\""), "{}", head);
                    }
                }
            }
        }
    }
}
