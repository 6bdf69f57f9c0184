//! Library behaviour: scopes, conditions, keep rules, tidying and the report invariant.

mod common;

use common::assert_report_is_the_diff;
use deboil::{Engine, Format, Mode, Scope};

fn engine(pack: &str) -> Engine {
    Engine::builder()
        .builtin(false)
        .add_pack(
            "test.toml",
            &format!("name = \"test\"\ncategory = \"promo\"\n{pack}"),
        )
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
}

fn clean(engine: &Engine, raw: &str, format: Format) -> String {
    let cleaned = engine.clean(raw, format).unwrap();
    assert_report_is_the_diff(raw, &cleaned);
    cleaned.text().to_string()
}

#[test]
fn each_scope_removes_what_it_says() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "[[rule]]\nid = \"r\"\nphrases = [\"buy now\"]\nscope = \"line\"\n",
            "Intro.\nBuy now!\nOutro.\n",
            "Intro.\nOutro.\n",
        ),
        (
            "[[rule]]\nid = \"r\"\nphrases = [\"sponsored\"]\nscope = \"block\"\n",
            "Intro.\n\nSponsored\nA paid line\nAnother\n\nOutro.\n",
            "Intro.\n\nOutro.\n",
        ),
        (
            "[[rule]]\nid = \"r\"\nphrases = [\"subscribe to our telegram\"]\nscope = \"span\"\nmax_words = 12\n",
            "The vote passed 7 to 2. Subscribe to our Telegram channel for more.\n",
            "The vote passed 7 to 2.\n",
        ),
        (
            "[[rule]]\nid = \"r\"\nphrases = [\"follow us\"]\nscope = \"span\"\nmax_words = 12\n",
            "Follow us on X for updates. The vote passed 7 to 2.\n",
            "The vote passed 7 to 2.\n",
        ),
        (
            "[[rule]]\nid = \"r\"\nphrases = [\"disclaimer:\"]\nscope = \"tail\"\n",
            "Body.\n\nDisclaimer: not advice.\nMore legal text.\n",
            "Body.\n",
        ),
    ];
    for (pack, raw, expected) in cases {
        assert_eq!(
            clean(&engine(pack), raw, Format::Text),
            *expected,
            "pack {pack}"
        );
    }
}

#[test]
fn conditions_limit_where_a_rule_fires() {
    let cases: &[(&str, &str, bool)] = &[
        ("max_words = 4", "Buy now please", true),
        (
            "max_words = 4",
            "You should never buy now because prices will fall soon",
            false,
        ),
        ("max_chars = 10", "Buy now!", true),
        ("max_chars = 10", "Buy now, really, today", false),
        ("min_coverage = 0.5", "Buy now!", true),
        (
            "min_coverage = 0.5",
            "Buy now if you like long lines",
            false,
        ),
        ("unless = [\"scam\"]", "Buy now, said the scam", false),
        ("unless_regex = ['^quote']", "Quote: buy now", false),
        ("", "He wrote \"buy now\" on the wall", false),
        (
            "allow_quoted = true",
            "He wrote \"buy now\" on the wall",
            true,
        ),
        ("position = \"head\"\nwithin_lines = 1", "Buy now", true),
    ];
    for (condition, line, fires) in cases {
        let pack = format!("[[rule]]\nid = \"r\"\nphrases = [\"buy now\"]\n{condition}\n");
        let raw = format!("{line}\n");
        let cleaned = clean(&engine(&pack), &raw, Format::Text);
        assert_eq!(cleaned.is_empty(), *fires, "{condition:?} on {line:?}");
    }
}

#[test]
fn position_counts_non_blank_lines() {
    let pack =
        "[[rule]]\nid = \"r\"\nphrases = [\"buy now\"]\nposition = \"tail\"\nwithin_lines = 1\n";
    let e = engine(pack);
    assert_eq!(
        clean(&e, "Buy now\nText\n\nBuy now\n", Format::Text),
        "Buy now\nText\n"
    );
}

#[test]
fn keep_rules_beat_removal_rules() {
    let pack = "[[rule]]\nid = \"r\"\nphrases = [\"sign up\"]\n[[rule]]\nid = \"k\"\naction = \"keep\"\nphrases = [\"our scam report\"]\n";
    let e = engine(pack);
    assert_eq!(
        clean(
            &e,
            "Sign up now\nSign up, says our scam report\n",
            Format::Text
        ),
        "Sign up, says our scam report\n"
    );
    let e = Engine::builder()
        .builtin(false)
        .add_pack(
            "t.toml",
            "name = \"t\"\n[[rule]]\nid = \"r\"\ncategory = \"promo\"\nphrases = [\"sign up\"]\n",
        )
        .keep_phrase("Sign up, says")
        .build()
        .unwrap();
    assert_eq!(
        clean(&e, "Sign up now\nSign up, says our report\n", Format::Text),
        "Sign up, says our report\n"
    );
}

#[test]
fn blank_lines_are_tidied_without_touching_others() {
    let e = engine("[[rule]]\nid = \"r\"\nphrases = [\"advert\"]\n");
    let cases = [
        ("A\n\nAdvert\n\nB\n", "A\n\nB\n"),
        ("Advert\n\nA\n", "A\n"),
        ("A\n\nAdvert\n", "A\n"),
        ("A\n\n\nB\n", "A\n\n\nB\n"),
        ("A\n\nAdvert\n\nAdvert\n\nB\n", "A\n\nB\n"),
        ("A\r\n\r\nAdvert\r\n\r\nB\r\n", "A\r\n\r\nB\r\n"),
        ("A\nAdvert", "A"),
        ("Advert", ""),
        ("", ""),
    ];
    for (raw, expected) in cases {
        assert_eq!(clean(&e, raw, Format::Text), expected, "raw {raw:?}");
    }
}

#[test]
fn markdown_code_and_front_matter_are_never_touched() {
    let e = engine("[[rule]]\nid = \"r\"\nphrases = [\"subscribe\"]\n");
    let raw = "---\ntitle: Subscribe\n---\n\n```\nsubscribe\n```\n\n    subscribe\n\nSubscribe\n";
    assert_eq!(
        clean(&e, raw, Format::Markdown),
        "---\ntitle: Subscribe\n---\n\n```\nsubscribe\n```\n\n    subscribe\n"
    );
}

#[test]
fn markdown_heading_block_removes_its_section() {
    let e = engine("[[rule]]\nid = \"r\"\ncategory = \"related\"\nphrases = [\"related posts\"]\nscope = \"block\"\nmax_words = 4\n");
    let raw = "# Post\n\nBody.\n\n## Related posts\n\n- [One](/one)\n- [Two](/two)\n\n## Next section\n\nMore.\n";
    assert_eq!(
        clean(&e, raw, Format::Markdown),
        "# Post\n\nBody.\n\n## Next section\n\nMore.\n"
    );
}

#[test]
fn markdown_links_count_as_text_and_spans_take_their_markup() {
    let e = engine("[[rule]]\nid = \"r\"\ncategory = \"newsletter\"\nphrases = [\"join the newsletter\"]\nscope = \"span\"\nmax_words = 12\n");
    let raw = "The chicken chars fast. *Want more? [Join the newsletter](https://x.example/n).*\n";
    assert_eq!(
        clean(&e, raw, Format::Markdown),
        "The chicken chars fast.\n"
    );
}

#[test]
fn removals_report_rule_category_scope_and_position() {
    let e = engine("[[rule]]\nid = \"promo.r\"\nphrases = [\"buy now\"]\nscope = \"span\"\n");
    let raw = "Ünïcode first line\nReal text here. Buy now!\n";
    let cleaned = e.clean(raw, Format::Text).unwrap();
    let removal = &cleaned.removals()[0];
    assert_eq!(
        (removal.rule.as_str(), removal.scope, removal.line),
        ("promo.r", Scope::Span, 2)
    );
    assert_eq!(removal.column, 16);
    assert_eq!(removal.text, " Buy now!");
    assert_eq!(cleaned.summary()[0].hits, 1);
    let diff = cleaned.unified_diff();
    assert!(
        diff.contains("-Real text here. Buy now!") && diff.contains("+Real text here."),
        "{diff}"
    );
}

#[test]
fn aggressive_rules_wait_for_aggressive_mode() {
    let pack = "name = \"t\"\n[[rule]]\nid = \"r\"\ncategory = \"nav\"\nphrases = [\"menu\"]\nmode = \"aggressive\"\n";
    let default = Engine::builder()
        .builtin(false)
        .add_pack("t.toml", pack)
        .build()
        .unwrap();
    let aggressive = Engine::builder()
        .builtin(false)
        .add_pack("t.toml", pack)
        .mode(Mode::Aggressive)
        .build()
        .unwrap();
    assert_eq!(
        clean(&default, "Menu\nText\n", Format::Text),
        "Menu\nText\n"
    );
    assert_eq!(clean(&aggressive, "Menu\nText\n", Format::Text), "Text\n");
    assert!(default.rule("r").is_some());
}

#[test]
fn unknown_disable_is_an_error() {
    let error = Engine::builder()
        .disable("no.such.rule")
        .build()
        .unwrap_err();
    assert!(error.to_string().contains("no.such.rule"), "{error}");
}

#[test]
fn input_limit_is_a_clear_error() {
    let e = Engine::builder()
        .limits(deboil::Limits {
            max_input_bytes: 4,
            ..deboil::Limits::default()
        })
        .build()
        .unwrap();
    let error = e.clean("too long", Format::Text).unwrap_err();
    assert!(error.to_string().contains("limit is 4"), "{error}");
}

#[test]
fn every_builtin_example_behaves() {
    let failures = Engine::builtin().check_examples();
    assert!(failures.is_empty(), "{failures:#?}");
    let aggressive = Engine::builder().mode(Mode::Aggressive).build().unwrap();
    assert!(aggressive.check_examples().is_empty());
}

#[test]
fn every_builtin_rule_has_remove_and_keep_examples() {
    let engine = Engine::builder().mode(Mode::Aggressive).build().unwrap();
    for rule in engine.rules() {
        assert!(
            !rule.examples.remove.is_empty() && !rule.examples.keep.is_empty(),
            "{} ({}) needs remove and keep examples",
            rule.id,
            rule.origin
        );
    }
}

#[test]
fn engine_is_shared_across_threads() {
    let engine = std::sync::Arc::new(Engine::builtin());
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let engine = engine.clone();
            std::thread::spawn(move || {
                engine
                    .clean(
                        "Text.\n\nGet the BTCC app to start your crypto journey\n",
                        Format::Text,
                    )
                    .unwrap()
                    .into_text()
            })
        })
        .collect();
    for handle in handles {
        assert_eq!(handle.join().unwrap(), "Text.\n");
    }
}

/// `rules/README.md` lists the built-in rules that run in aggressive mode only;
/// the list must name exactly the rules whose pack says `mode = "aggressive"`.
#[test]
fn readme_lists_exactly_the_aggressive_only_rules() {
    let mut aggressive: Vec<String> = Vec::new();
    for (path, text) in deboil::builtin_packs() {
        let pack: toml::Table = text.parse().unwrap_or_else(|e| panic!("{path}: {e}"));
        let pack_mode = pack.get("mode").and_then(|m| m.as_str());
        let rules = pack.get("rule").and_then(|r| r.as_array());
        for rule in rules.into_iter().flatten() {
            let mode = rule.get("mode").and_then(|m| m.as_str()).or(pack_mode);
            if mode == Some("aggressive") {
                let id = rule.get("id").and_then(|i| i.as_str()).unwrap_or_default();
                aggressive.push(id.to_string());
            }
        }
    }
    aggressive.sort();
    let readme = include_str!("../rules/README.md");
    let section = &readme[readme
        .find("## Modes: which rules run")
        .expect("the modes section")..];
    let mut listed: Vec<String> = section
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|rest| rest.split('`').next())
        .map(str::to_string)
        .collect();
    listed.sort();
    assert_eq!(listed, aggressive);
}

/// Regression: a removed line that takes the blank line before it with it
/// (tidying) was reported at the blank line, so `check` pointed one line early.
#[test]
fn removal_line_is_the_removed_text_not_a_tidied_blank_line() {
    let engine = engine(
        r#"
[[rule]]
id = "test.bonus"
phrases = ["claim $50 free"]
"#,
    );
    let raw = "Body one.\n\nBody two.\n\nClaim $50 free when you sign up today\n";
    let cleaned = engine.clean(raw, Format::Text).unwrap();
    assert_eq!(cleaned.text(), "Body one.\n\nBody two.\n");
    let removal = &cleaned.removals()[0];
    assert!(removal.text.starts_with('\n'), "{removal:?}");
    assert_eq!((removal.line, removal.column), (5, 1));
    assert_report_is_the_diff(raw, &cleaned);
}

/// A rule restricted to some formats does not run on the others, and an
/// unknown format is a load error that names the file and line.
#[test]
fn formats_restrict_a_rule_and_unknown_formats_are_errors() {
    let markdown_only = engine(
        r#"
[[rule]]
id = "test.app"
phrases = ["get the app"]
formats = ["markdown"]
"#,
    );
    let raw = "Body.\nGet the app\n";
    assert_eq!(clean(&markdown_only, raw, Format::Text), raw);
    assert_eq!(clean(&markdown_only, raw, Format::Markdown), "Body.\n");
    let error = Engine::builder()
        .builtin(false)
        .add_pack(
            "bad.toml",
            "name = \"bad\"\ncategory = \"promo\"\n[[rule]]\nid = \"test.app\"\nphrases = [\"get the app\"]\nformats = [\"pdf\"]\n",
        )
        .build()
        .unwrap_err()
        .to_string();
    assert!(error.contains("bad.toml:6"), "{error}");
}
