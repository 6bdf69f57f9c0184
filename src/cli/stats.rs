//! `--stats`: per-rule counts and bytes removed over the whole run.

use deboil::{Category, Cleaned};
use std::collections::BTreeMap;
use std::fmt::Write as _;

#[derive(Debug, Default)]
pub struct Stats {
    documents: usize,
    changed: usize,
    bytes_in: usize,
    bytes_out: usize,
    by_rule: BTreeMap<String, (Category, usize, usize)>,
    /// Binary files skipped by `check`/`fix`.
    pub binary: usize,
    /// Bad JSON Lines records passed through by `--skip-bad-records`.
    pub bad_records: usize,
}

impl Stats {
    pub fn add(&mut self, cleaned: &Cleaned) {
        self.documents += 1;
        self.changed += usize::from(cleaned.is_changed());
        self.bytes_in += cleaned.raw().len();
        self.bytes_out += cleaned.text().len();
        for summary in cleaned.summary() {
            let entry = self
                .by_rule
                .entry(summary.rule)
                .or_insert((summary.category, 0, 0));
            entry.1 += summary.hits;
            entry.2 += summary.bytes;
        }
    }

    /// The table printed on standard error.
    pub fn render(&self) -> String {
        let mut out = format!(
            "deboil: {} documents, {} changed, {} bytes in, {} bytes out, {} removed\n",
            self.documents,
            self.changed,
            self.bytes_in,
            self.bytes_out,
            self.bytes_in.saturating_sub(self.bytes_out)
        );
        if self.binary > 0 {
            let _ = writeln!(out, "deboil: {} binary files skipped", self.binary);
        }
        if self.bad_records > 0 {
            let _ = writeln!(
                out,
                "deboil: {} bad records passed through",
                self.bad_records
            );
        }
        if !self.by_rule.is_empty() {
            let width = self
                .by_rule
                .keys()
                .map(String::len)
                .max()
                .unwrap_or(4)
                .max(4);
            let _ = writeln!(
                out,
                "{:<width$}  {:<10}  {:>6}  {:>8}",
                "rule", "category", "hits", "bytes"
            );
            for (rule, (category, hits, bytes)) in &self.by_rule {
                let _ = writeln!(
                    out,
                    "{rule:<width$}  {:<10}  {hits:>6}  {bytes:>8}",
                    category.name()
                );
            }
        }
        out
    }
}
