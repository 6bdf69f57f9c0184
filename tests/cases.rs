//! Labeled `.case` fixtures (format: `shared/eval/FORMAT.md`) must come out as labeled.

use deboil::{Engine, Format};

struct Case {
    raw: String,
    expected: String,
    format: Format,
}

fn parse_case(text: &str) -> Case {
    let mut format = Format::Text;
    let mut raw = Vec::new();
    let mut expected = Vec::new();
    let mut in_header = true;
    for line in text.lines() {
        if in_header && line.starts_with('#') {
            if let Some(value) = line.strip_prefix("# format:") {
                format = if value.trim() == "markdown" {
                    Format::Markdown
                } else {
                    Format::Text
                };
            }
            continue;
        }
        in_header = false;
        let (label, body) = line.split_once('\t').unwrap_or((line, ""));
        raw.push(body.replace(['⟦', '⟧'], ""));
        match label {
            "K" => expected.push(body.to_string()),
            "M" => {
                let mut kept = String::new();
                let mut inside = false;
                for c in body.chars() {
                    match c {
                        '⟦' => inside = true,
                        '⟧' => inside = false,
                        _ if !inside => kept.push(c),
                        _ => {}
                    }
                }
                expected.push(kept);
            }
            _ => {}
        }
    }
    Case {
        raw: raw.join("\n") + "\n",
        expected: expected.join("\n"),
        format,
    }
}

fn tokens(text: &str) -> Vec<&str> {
    text.split_whitespace().collect()
}

#[test]
fn seed_page_comes_out_perfect() {
    let case = parse_case(include_str!("fixtures/en-seed-btcc.case"));
    let cleaned = Engine::builtin().clean(&case.raw, case.format).unwrap();
    assert_eq!(tokens(cleaned.text()), tokens(&case.expected));
    let rules: Vec<&str> = cleaned.removals().iter().map(|r| r.rule.as_str()).collect();
    for expected in [
        "nav.breadcrumb",
        "meta.repeated-title",
        "promo.signup-bonus",
        "app-banner.get-the-app",
        "disclaimer.repost",
    ] {
        assert!(
            rules.contains(&expected),
            "{expected} missing from {rules:?}"
        );
    }
}
