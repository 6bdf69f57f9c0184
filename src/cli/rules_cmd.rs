//! `deboil explain`, `deboil rules list [--phrases | --patterns]` and `deboil rules test`.

use super::args::{ExplainArgs, RulesListArgs, RulesTestArgs};
use super::config::{build_engine, Config};
use super::output::Out;
use super::{setup, Status};
use anyhow::{bail, Result};
use deboil::normalize::normalize;
use deboil::{Engine, ExampleKind, Rule};
use std::collections::HashSet;
use std::fmt::Write as _;

pub fn explain(args: ExplainArgs) -> Result<Status> {
    let (_, engine) = setup(&args.rules)?;
    let Some(rule) = engine.rule(&args.id) else {
        bail!(
            "no loaded rule has the id `{}` (see `deboil rules list`)",
            args.id
        );
    };
    let active = engine.rules().iter().any(|r| r.id == rule.id);
    let mut out = Out::new();
    out.write(describe(rule, active))?;
    out.flush()?;
    Ok(Status::default())
}

fn describe(rule: &Rule, active: bool) -> String {
    let mut text = format!("{} ({})\n", rule.id, rule.category.name());
    if !rule.description.is_empty() {
        let _ = writeln!(text, "  {}", rule.description);
    }
    let _ = writeln!(
        text,
        "pack:       {} ({}:{})",
        rule.pack, rule.origin, rule.line
    );
    let _ = writeln!(
        text,
        "status:     {}",
        if active {
            "active"
        } else {
            "off (another mode, or outside --only/categories)"
        }
    );
    let _ = writeln!(text, "mode:       {}", rule.mode.name());
    let action = format!("{:?}", rule.action).to_lowercase();
    let _ = writeln!(text, "action:     {action}");
    let _ = writeln!(text, "scope:      {}", rule.scope.name());
    let _ = writeln!(text, "languages:  {}", languages(rule));
    let conditions = &rule.conditions;
    let mut limits = Vec::new();
    if let Some(v) = conditions.max_chars {
        limits.push(format!("max_chars = {v}"));
    }
    if let Some(v) = conditions.max_words {
        limits.push(format!("max_words = {v}"));
    }
    if let Some(v) = conditions.min_coverage {
        limits.push(format!("min_coverage = {v}"));
    }
    limits.push(format!("position = {:?}", conditions.position).to_lowercase());
    if let Some(v) = conditions.within {
        limits.push(format!("within = {v}"));
    }
    if let Some(v) = conditions.within_lines {
        limits.push(format!("within_lines = {v}"));
    }
    if conditions.allow_quoted {
        limits.push("allow_quoted = true".to_string());
    }
    let _ = writeln!(text, "conditions: {}", limits.join(", "));
    let lists: [(&str, &[String]); 6] = [
        ("phrases", &rule.phrases),
        ("regex", &rule.regex),
        ("unless", &rule.unless),
        ("unless_regex", &rule.unless_regex),
        ("examples to remove", &rule.examples.remove),
        ("examples to keep", &rule.examples.keep),
    ];
    if let Some(detector) = rule.detector {
        let _ = writeln!(text, "detector:   {}", detector.name());
    }
    for (title, items) in lists {
        if !items.is_empty() {
            let _ = writeln!(text, "{title}:");
            for item in items {
                let _ = writeln!(text, "  {item:?}");
            }
        }
    }
    text
}

fn languages(rule: &Rule) -> String {
    if rule.langs.is_empty() {
        "any".to_string()
    } else {
        rule.langs.join(",")
    }
}

pub fn list(args: RulesListArgs) -> Result<Status> {
    let (_, engine) = setup(&args.rules)?;
    let mut out = Out::new();
    if args.phrases {
        let mut seen = HashSet::new();
        for phrase in engine.rules().iter().flat_map(|r| &r.phrases) {
            let normalized = normalize(phrase);
            if seen.insert(normalized.clone()) {
                out.line(normalized)?;
            }
        }
    } else if args.patterns {
        for pattern in engine.scanned_patterns() {
            out.line(pattern)?;
        }
    } else {
        let id_width = engine.rules().iter().map(|r| r.id.len()).max().unwrap_or(2);
        for rule in engine.rules() {
            out.line(format!(
                "{:<id_width$}  {:<10}  {:<8}  {}",
                rule.id,
                rule.category.name(),
                languages(rule),
                rule.description
            ))?;
        }
    }
    out.flush()?;
    let dormant = engine.dormant_rules().len();
    if dormant > 0 && !args.phrases && !args.patterns {
        eprintln!("deboil: {dormant} more rules are off (--mode aggressive, --only or categories)");
    }
    Ok(Status::default())
}

pub fn test(args: RulesTestArgs) -> Result<Status> {
    let config = Config::load(&args.rules)?;
    let engine = build_engine(&args.rules, &config, &args.paths)?;
    let tested: Vec<&Rule> = if args.paths.is_empty() {
        all_rules(&engine).collect()
    } else {
        let before = build_engine(&args.rules, &config, &[])?;
        let old: HashSet<&str> = before.packs().iter().map(|p| p.origin.as_str()).collect();
        let new: HashSet<&str> = engine
            .packs()
            .iter()
            .map(|p| p.origin.as_str())
            .filter(|o| !old.contains(o))
            .collect();
        all_rules(&engine)
            .filter(|r| new.contains(r.origin.as_str()))
            .collect()
    };
    let ids: HashSet<&str> = tested.iter().map(|r| r.id.as_str()).collect();
    let examples: usize = tested
        .iter()
        .map(|r| r.examples.remove.len() + r.examples.keep.len())
        .sum();
    let failures: Vec<_> = engine
        .check_examples()
        .into_iter()
        .filter(|f| ids.contains(f.rule.as_str()))
        .collect();
    let mut out = Out::new();
    for failure in &failures {
        let kind = match failure.expected {
            ExampleKind::Remove => "remove",
            ExampleKind::Keep => "keep",
        };
        out.line(format!(
            "FAIL {} ({kind} example {:?}): {}",
            failure.rule, failure.example, failure.problem
        ))?;
    }
    out.line(format!(
        "{} rules, {} examples, {} failed",
        tested.len(),
        examples,
        failures.len()
    ))?;
    out.flush()?;
    Ok(Status {
        found: !failures.is_empty(),
        ..Status::default()
    })
}

fn all_rules(engine: &Engine) -> impl Iterator<Item = &Rule> {
    engine.rules().iter().chain(engine.dormant_rules())
}
