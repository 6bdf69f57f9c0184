//! Renderers: finding lines, JSON records and SARIF, all thin over
//! [`DocumentReport`] and [`Removal`].

use deboil::{Cleaned, DocumentReport, Engine, Removal, REPORT_VERSION};
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// Longest excerpt in a finding line, in characters.
const EXCERPT_CHARS: usize = 60;

/// One line of `--report json` output.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Record {
    /// A document's report.
    Document(DocumentReport),
    /// A document that could not be read or cleaned.
    Error {
        version: u32,
        path: Option<String>,
        message: String,
    },
}

impl Record {
    pub fn error(path: Option<&str>, error: &anyhow::Error) -> Record {
        Record::Error {
            version: REPORT_VERSION,
            path: path.map(str::to_string),
            message: format!("{error:#}"),
        }
    }

    pub fn to_line(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|error| {
            json!({ "type": "error", "version": REPORT_VERSION, "message": error.to_string() })
                .to_string()
        })
    }
}

/// The removal's first non-blank line, cut to [`EXCERPT_CHARS`], with `...` when shortened.
pub fn excerpt(text: &str) -> String {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.next().unwrap_or("");
    let mut short: String = first.chars().take(EXCERPT_CHARS).collect();
    if short.len() < first.len() || lines.next().is_some() {
        short.push_str("...");
    }
    short
}

/// `path:line:column: category rule-id "excerpt..."`
pub fn finding(path: &str, removal: &Removal) -> String {
    let (line, column) = (removal.line, removal.column);
    format!(
        "{path}:{line}:{column}: {} {} {:?}",
        removal.category.name(),
        removal.rule,
        excerpt(&removal.text)
    )
}

/// A diff of one file, headed `a/path` and `b/path` like git's.
pub fn file_diff(path: &str, cleaned: &Cleaned) -> String {
    cleaned.unified_diff_with_names(&format!("a/{path}"), &format!("b/{path}"))
}

/// Collects findings for one SARIF 2.1.0 log.
#[derive(Debug, Default)]
pub struct Sarif {
    results: Vec<Value>,
    rules: BTreeSet<String>,
}

impl Sarif {
    pub fn add(&mut self, path: &str, cleaned: &Cleaned) {
        let uri = path.replace('\\', "/");
        for removal in cleaned.removals() {
            let (start_line, start_column) = (removal.line, removal.column);
            let (end_line, end_column) = end_position(cleaned.raw(), removal);
            self.rules.insert(removal.rule.clone());
            self.results.push(json!({
                "ruleId": removal.rule,
                "level": "warning",
                "message": { "text": format!("{} boilerplate ({}): {}", removal.category.name(), removal.rule, excerpt(&removal.text)) },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri },
                        "region": {
                            "startLine": start_line,
                            "startColumn": start_column,
                            "endLine": end_line,
                            "endColumn": end_column,
                        }
                    }
                }],
                "properties": { "category": removal.category.name(), "scope": removal.scope.name() }
            }));
        }
    }

    pub fn render(&self, engine: &Engine) -> String {
        let rules: Vec<Value> = self
            .rules
            .iter()
            .map(|id| match engine.rule(id) {
                Some(rule) => json!({
                    "id": rule.id,
                    "shortDescription": { "text": rule.description },
                    "properties": { "category": rule.category.name(), "pack": rule.pack },
                }),
                None => json!({ "id": id }),
            })
            .collect();
        let log = json!({
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [{
                "tool": { "driver": {
                    "name": "deboil",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://crates.io/crates/deboil",
                    "rules": rules,
                }},
                "columnKind": "unicodeCodePoints",
                "results": self.results,
            }]
        });
        let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// The 1-based line and column just past the removal's last character that is not a line break.
fn end_position(raw: &str, removal: &Removal) -> (usize, usize) {
    let end = raw[..removal.end.min(raw.len())]
        .trim_end_matches(['\n', '\r'])
        .len()
        .max(removal.start);
    let before = &raw[..end];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_takes_the_first_non_blank_line_and_marks_cuts() {
        assert_eq!(excerpt("\n  Buy now  \n"), "Buy now");
        assert_eq!(excerpt("one\ntwo\n"), "one...");
        let long = "é".repeat(70);
        assert_eq!(excerpt(&long), format!("{}...", "é".repeat(EXCERPT_CHARS)));
    }
}
