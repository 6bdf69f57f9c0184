//! Hostile input and untrusted rule packs: limits fail with clear errors,
//! pathological documents are cleaned correctly (no timing assertions here:
//! how time grows is a benchmark figure), and a pack is data only.

mod common;

use common::assert_report_is_the_diff;
use deboil::{Engine, Error, Format, Limits, Mode, PackErrorKind, PackLimits};

fn engines() -> Vec<Engine> {
    vec![
        Engine::builtin(),
        Engine::builder()
            .mode(Mode::Aggressive)
            .build()
            .unwrap_or_else(|e| panic!("{e}")),
    ]
}

fn clean_all(raw: &str) -> Vec<String> {
    let mut outputs = Vec::new();
    for engine in engines() {
        for format in [Format::Text, Format::Markdown] {
            let cleaned = engine.clean(raw, format).unwrap_or_else(|e| panic!("{e}"));
            assert_report_is_the_diff(raw, &cleaned);
            outputs.push(cleaned.text().to_string());
        }
    }
    outputs
}

fn pack_error(result: Result<Engine, Error>) -> deboil::PackError {
    match result {
        Err(Error::Pack(error)) => *error,
        Err(other) => panic!("expected a pack error, got {other}"),
        Ok(_) => panic!("expected a pack error, the pack loaded"),
    }
}

/// The error of loading `pack` alone under the pack limits `packs`.
fn pack_error_under(packs: PackLimits, name: &str, pack: &str) -> deboil::PackError {
    let limits = Limits {
        packs,
        ..Limits::default()
    };
    pack_error(
        Engine::builder()
            .builtin(false)
            .limits(limits)
            .add_pack(name, pack)
            .build(),
    )
}

fn custom_pack(body: &str) -> String {
    format!("name = \"hostile\"\ncategory = \"promo\"\n{body}")
}

#[test]
fn one_megabyte_single_line_is_cleaned_whole() {
    // Just under the default line limit, so the whole line is matched.
    let mut raw = "Subscribe to our channel. Words of a long line. ".repeat(20_000);
    raw.truncate(1_000_000);
    assert!(raw.len() < Limits::default().max_line_bytes);
    for text in clean_all(&raw) {
        assert!(!text.is_empty());
    }
}

#[test]
fn lines_over_the_line_limit_pass_through_unchanged() {
    let engine = Engine::builder()
        .limits(Limits {
            max_line_bytes: 64,
            ..Limits::default()
        })
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let long = format!(
        "Get the BTCC app to start your crypto journey {}",
        "x".repeat(100)
    );
    let raw = format!("Body text.\n{long}\nGet the BTCC app to start your crypto journey\n");
    let cleaned = engine
        .clean(&raw, Format::Text)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_report_is_the_diff(&raw, &cleaned);
    assert_eq!(cleaned.text(), format!("Body text.\n{long}\n"));
}

#[test]
fn a_million_tiny_lines() {
    let engine = Engine::builtin();
    let raw = "a\n".repeat(1_000_000);
    let cleaned = engine
        .clean(&raw, Format::Text)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_report_is_the_diff(&raw, &cleaned);
    assert_eq!(cleaned.text(), raw, "nothing there is boilerplate");
    // A page of nothing but counters: whatever goes, the report is the diff, in every mode.
    let counters = "19\n\n1.2k\r\n".repeat(10_000);
    clean_all(&counters);
}

#[test]
fn pathological_markup_and_separators() {
    let inputs = [
        "[".repeat(100_000),
        "](".repeat(50_000),
        "```\n".repeat(10_000),
        "<!--\n".repeat(10_000),
        "\"".repeat(100_000),
        " » ".repeat(30_000),
        "Home / ".repeat(10_000) + "\n",
        "# Related posts\n".repeat(5_000),
        "Related posts\nA short title\n".repeat(2_000),
        "Home\nNews\n\n".repeat(5_000),
        "\u{200B}\u{202E}\u{0301}".repeat(30_000),
        "\0\r".repeat(50_000),
        "(a+)+$ ".repeat(30_000),
        "Subscribe. ".repeat(20_000),
    ];
    for raw in inputs {
        clean_all(&raw);
    }
}

#[test]
fn input_size_limit_is_a_clear_error() {
    let engine = Engine::builder()
        .limits(Limits {
            max_input_bytes: 100,
            ..Limits::default()
        })
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let raw = "x".repeat(101);
    match engine.clean(&raw, Format::Text) {
        Err(error @ Error::Limit { actual, limit, .. }) => {
            assert_eq!((actual, limit), (101, 100));
            let message = error.to_string();
            assert!(
                message.contains("101") && message.contains("100"),
                "{message}"
            );
        }
        other => panic!("expected a limit error, got {other:?}"),
    }
    assert!(engine.clean(&raw[..100], Format::Text).is_ok());
}

#[test]
fn phrase_count_limit_is_a_clear_error() {
    let phrases: Vec<String> = (0..50).map(|i| format!("\"phrase number {i}\"")).collect();
    let pack = custom_pack(&format!(
        "[[rule]]\nid = \"many\"\nphrases = [{}]\n",
        phrases.join(", ")
    ));
    let limits = PackLimits {
        max_phrases: 49,
        ..PackLimits::default()
    };
    let error = pack_error_under(limits, "many.toml", &pack);
    assert_eq!(error.kind, PackErrorKind::Limit);
    assert!(error.to_string().contains("49"), "{error}");
    assert!(error.to_string().contains("many.toml"), "{error}");
}

#[test]
fn regex_size_limit_is_a_clear_error() {
    // A bounded repetition compiles to a large program: over a small size limit it is refused.
    let pack = custom_pack("[[rule]]\nid = \"big\"\nregex = ['\\w{1000}x']\n");
    let limits = PackLimits {
        regex_size_limit: 10_000,
        ..PackLimits::default()
    };
    let error = pack_error_under(limits, "big.toml", &pack);
    assert_eq!(error.kind, PackErrorKind::InvalidRegex);
    assert!(error.to_string().contains("size limit"), "{error}");
    // With the default limits the same regex may also be too big, but never hangs.
    let _ = Engine::builder()
        .builtin(false)
        .add_pack("big.toml", &pack)
        .build();
}

#[test]
fn regexes_are_linear_time_backreferences_and_lookaround_are_refused() {
    // The regex crate guarantees matching in time linear in the input; the
    // constructs that would need backtracking do not compile at all.
    for pattern in ["(a)\\1", "(?=a)b", "(?<=a)b", "(?!a)b"] {
        let pack = custom_pack(&format!("[[rule]]\nid = \"r\"\nregex = ['{pattern}']\n"));
        let error = pack_error(
            Engine::builder()
                .builtin(false)
                .add_pack("r.toml", &pack)
                .build(),
        );
        assert_eq!(
            error.kind,
            PackErrorKind::InvalidRegex,
            "{pattern}: {error}"
        );
    }
    // The classic catastrophic-backtracking pattern is fine: linear here.
    let pack = custom_pack("[[rule]]\nid = \"r\"\nregex = ['^(a+)+$']\n");
    let engine = Engine::builder()
        .builtin(false)
        .add_pack("r.toml", &pack)
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let raw = format!("{}!\n", "a".repeat(100_000));
    let cleaned = engine
        .clean(&raw, Format::Text)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_report_is_the_diff(&raw, &cleaned);
    assert!(cleaned.removals().is_empty());
}

#[test]
fn a_pack_is_data_only() {
    // Keys that would point elsewhere are unknown keys, refused; strings that look
    // like paths or commands are only phrases.
    for key in [
        "include = \"/etc/passwd\"",
        "import = [\"other.toml\"]",
        "exec = \"rm -rf /\"",
    ] {
        let pack = custom_pack(&format!("{key}\n[[rule]]\nid = \"r\"\nphrases = [\"x\"]\n"));
        let error = pack_error(
            Engine::builder()
                .builtin(false)
                .add_pack("p.toml", &pack)
                .build(),
        );
        assert_eq!(error.kind, PackErrorKind::Syntax, "{key}: {error}");
    }
    let pack = custom_pack("[[rule]]\nid = \"r\"\nphrases = [\"/etc/passwd\", \"$(rm -rf /)\"]\n");
    let engine = Engine::builder()
        .builtin(false)
        .add_pack("p.toml", &pack)
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let cleaned = engine
        .clean("Body.\n$(rm -rf /)\n", Format::Text)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(cleaned.text(), "Body.\n");
}

#[test]
fn a_huge_pack_within_limits_loads() {
    // 20,000 phrases in one rule: one automaton, built in bounded time and memory.
    let phrases: Vec<String> = (0..20_000)
        .map(|i| format!("\"buy item {i} now\""))
        .collect();
    let pack = custom_pack(&format!(
        "[[rule]]\nid = \"many\"\nmax_words = 8\nphrases = [{}]\n",
        phrases.join(", ")
    ));
    let engine = Engine::builder()
        .builtin(false)
        .add_pack("many.toml", &pack)
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let cleaned = engine
        .clean("Body text.\nBuy item 19999 now\n", Format::Text)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(cleaned.text(), "Body text.\n");
}
