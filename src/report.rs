//! Output: the cleaned text, the list of removals, the diff and the summary.
//!
//! The cleaned text is always the raw input with exactly the reported byte
//! ranges cut out. Removing lines may widen a removal over the blank line
//! that would otherwise double up (never more than one blank line where
//! something was removed, never a new blank line at the start or end), and
//! over the previous line's terminator when the removed last line had none,
//! so the final newline's presence is preserved. Those bytes are part of the
//! reported range.

use crate::decide::{Outcome, Target};
use crate::document::{Document, Format, LineKind};
use crate::rules::{Category, Rule, Scope};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;

/// Version of the JSON report schema (see README, "Reports").
pub const REPORT_VERSION: u32 = 1;

/// One removal: what was cut, where, and which rule did it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Removal {
    /// The rule's id.
    pub rule: String,
    /// The rule's category.
    pub category: Category,
    /// What the removal covers.
    pub scope: Scope,
    /// Raw byte offset where the removal starts.
    pub start: usize,
    /// Raw byte offset where it ends (exclusive).
    pub end: usize,
    /// 1-based line of the first removed character; for removed lines, the
    /// first removed line of text (a blank line tidied away before it does not
    /// count).
    pub line: usize,
    /// 1-based column, in characters, of the first removed character on `line`
    /// (1 when the removal starts before `line`).
    pub column: usize,
    /// The removed text.
    pub text: String,
    /// For HTML, the removed element's path (`body > div.sidebar > ul`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub element: Option<String>,
}

impl Removal {
    /// The raw byte range.
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }
}

/// Hits and bytes removed by one rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleSummary {
    /// The rule's id.
    pub rule: String,
    /// Its category.
    pub category: Category,
    /// Number of removals.
    pub hits: usize,
    /// Bytes removed.
    pub bytes: usize,
}

/// The result of cleaning one document.
#[derive(Debug, Clone)]
pub struct Cleaned<'a> {
    raw: Cow<'a, str>,
    text: String,
    removals: Vec<Removal>,
    format: Format,
    text_view: Option<Box<(String, String)>>,
}

impl<'a> Cleaned<'a> {
    /// A result from parts (used by format front ends such as HTML).
    pub fn from_parts(
        raw: Cow<'a, str>,
        text: String,
        removals: Vec<Removal>,
        format: Format,
    ) -> Self {
        Cleaned {
            raw,
            text,
            removals,
            format,
            text_view: None,
        }
    }

    /// Attaches the text view the removals refer to (HTML): the view and its cleaned form.
    pub fn with_text_view(mut self, view: String, cleaned: String) -> Self {
        self.text_view = Some(Box::new((view, cleaned)));
        self
    }

    /// For HTML input, the text view the rules saw and its cleaned form; removal
    /// offsets and lines refer to the view.
    pub fn text_view(&self) -> Option<(&str, &str)> {
        self.text_view
            .as_deref()
            .map(|(view, cleaned)| (view.as_str(), cleaned.as_str()))
    }

    /// The cleaned text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The cleaned text, owned.
    pub fn into_text(self) -> String {
        self.text
    }

    /// The cleaned text and the removals, owned (the input stays with its owner).
    ///
    /// ```
    /// use deboil::{Engine, Format};
    ///
    /// let raw = String::from("Body.\n\nGet the BTCC app to start your crypto journey\n");
    /// let (text, removals) = Engine::builtin().clean(&raw, Format::Text)?.into_parts();
    /// assert_eq!(text, "Body.\n");
    /// assert_eq!(removals.len(), 1);
    /// # Ok::<(), deboil::Error>(())
    /// ```
    pub fn into_parts(self) -> (String, Vec<Removal>) {
        (self.text, self.removals)
    }

    /// The input as given (decoded, for HTML).
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// The format the input was cleaned as.
    pub fn format(&self) -> Format {
        self.format
    }

    /// What was removed, in input order.
    pub fn removals(&self) -> &[Removal] {
        &self.removals
    }

    /// Whether anything was removed.
    pub fn is_changed(&self) -> bool {
        !self.removals.is_empty()
    }

    /// A unified diff from the raw input to the cleaned text (3 lines of context).
    pub fn unified_diff(&self) -> String {
        self.unified_diff_with_names("raw", "cleaned")
    }

    /// A unified diff with the given file names in its header (for HTML, of the text view).
    pub fn unified_diff_with_names(&self, old: &str, new: &str) -> String {
        let (before, after) = self
            .text_view()
            .unwrap_or((self.raw.as_ref(), self.text.as_str()));
        if !self.is_changed() && before == after {
            return String::new();
        }
        similar::TextDiff::from_lines(before, after)
            .unified_diff()
            .context_radius(3)
            .header(old, new)
            .to_string()
    }

    /// Hits and bytes per rule, by rule id.
    pub fn summary(&self) -> Vec<RuleSummary> {
        let mut by_rule: BTreeMap<&str, RuleSummary> = BTreeMap::new();
        for removal in &self.removals {
            let entry = by_rule.entry(&removal.rule).or_insert_with(|| RuleSummary {
                rule: removal.rule.clone(),
                category: removal.category,
                hits: 0,
                bytes: 0,
            });
            entry.hits += 1;
            entry.bytes += removal.end - removal.start;
        }
        by_rule.into_values().collect()
    }

    /// The serializable report of this document.
    pub fn report(&self, path: Option<&str>) -> DocumentReport {
        DocumentReport {
            version: REPORT_VERSION,
            path: path.map(str::to_string),
            format: self.format,
            bytes_in: self.raw.len(),
            bytes_out: self.text.len(),
            removals: self.removals.clone(),
        }
    }
}

/// The report of one document, as serialized by `--report json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentReport {
    /// Schema version ([`REPORT_VERSION`]).
    pub version: u32,
    /// The input's path, if it came from a file.
    pub path: Option<String>,
    /// The format it was cleaned as.
    pub format: Format,
    /// Input size in bytes.
    pub bytes_in: usize,
    /// Output size in bytes.
    pub bytes_out: usize,
    /// What was removed.
    pub removals: Vec<Removal>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Kept,
    Removed(usize, Scope),
    Tidy,
}

/// Turns decisions into the cleaned text and the removals.
///
/// `text_follows`: the document is a block of a larger text that goes on after
/// it, so its end is not where blank lines would trail.
pub(crate) fn assemble(
    document: &Document,
    outcome: &Outcome,
    rules: &[Rule],
    text_follows: bool,
) -> (String, Vec<Removal>) {
    let lines = &document.lines;
    let mut status = vec![Status::Kept; lines.len()];
    let mut order: Vec<&crate::decide::Decision> = outcome.decisions.iter().collect();
    let width = |target: &Target| match target {
        Target::Lines(range) => range.len(),
        Target::Span { .. } => usize::MAX,
    };
    order.sort_by_key(|d| (width(&d.target), d.rule));
    let mut spans: Vec<(Range<usize>, usize, usize)> = Vec::new();
    for decision in &order {
        match &decision.target {
            Target::Lines(range) => {
                let rule = &rules[decision.rule];
                let scope = if rule.scope == Scope::Span {
                    Scope::Line
                } else {
                    rule.scope
                };
                for index in range.clone() {
                    if !outcome.protected[index] && status[index] == Status::Kept {
                        status[index] = Status::Removed(decision.rule, scope);
                    }
                }
            }
            Target::Span { line, range } => spans.push((range.clone(), *line, decision.rule)),
        }
    }
    // A span that takes a line's whole text removes the line, terminator included: else
    // the line would stay as a stray blank, or as the document's new last line, whose
    // terminator the next rule would cut while the output kept the line before.
    for (range, line, rule) in &spans {
        let line_range = &lines[*line];
        let whole = document.raw[line_range.start..range.start.max(line_range.start)]
            .trim()
            .is_empty()
            && document.raw[range.end.min(line_range.end)..line_range.end]
                .trim()
                .is_empty();
        if whole && status[*line] == Status::Kept && !outcome.protected[*line] {
            status[*line] = Status::Removed(*rule, Scope::Span);
        }
    }
    tidy_blank_lines(document, &mut status, text_follows);

    let mut removals: Vec<Removal> = Vec::new();
    let mut index = 0;
    let last_kept = status.iter().rposition(|s| *s == Status::Kept);
    // When the removed lines at the end include the last one and it has no terminator, the
    // last kept line's terminator goes too (so the output still ends without one). It is
    // cut by the first removal after that line, whichever rule owns it.
    let cut_kept_terminator = lines.last().is_some_and(|line| !line.has_terminator())
        && last_kept.is_some_and(|k| k + 1 < lines.len());
    while index < lines.len() {
        if status[index] == Status::Kept {
            index += 1;
            continue;
        }
        // A run of removed lines, cut where the rule changes; tidied blank lines join the run.
        let owner = (index..lines.len())
            .take_while(|&i| status[i] != Status::Kept)
            .find_map(|i| match status[i] {
                Status::Removed(rule, scope) => Some((rule, scope)),
                _ => None,
            });
        let Some((rule, scope)) = owner else {
            index += 1;
            continue;
        };
        let first = index;
        let mut last = index;
        while last + 1 < lines.len() {
            match status[last + 1] {
                Status::Tidy => last += 1,
                Status::Removed(r, s) if r == rule && s == scope => last += 1,
                _ => break,
            }
        }
        let mut start = lines[first].start;
        let end = lines[last].next;
        if let Some(kept) = last_kept.filter(|&k| cut_kept_terminator && k + 1 == first) {
            start = lines[kept].end;
        }
        // Findings point at the first removed text line, not a blank line tidied with it.
        let shown = (first..=last)
            .find(|&i| matches!(status[i], Status::Removed(..)))
            .unwrap_or(first);
        removals.push(make_removal(
            document,
            rules,
            rule,
            scope,
            shown,
            start..end,
        ));
        index = last + 1;
    }
    spans.sort_by_key(|(range, _, _)| range.start);
    let mut last_end = 0;
    for (range, line, rule) in spans {
        if status[line] != Status::Kept || range.start < last_end {
            continue;
        }
        last_end = range.end;
        removals.push(make_removal(
            document,
            rules,
            rule,
            Scope::Span,
            line,
            range,
        ));
    }
    removals.sort_by_key(|r| r.start);
    let raw_text = document.raw;
    let mut text = String::with_capacity(raw_text.len());
    let mut cursor = 0;
    for removal in &removals {
        text.push_str(&raw_text[cursor..removal.start]);
        cursor = removal.end;
    }
    text.push_str(&raw_text[cursor..]);
    (text, removals)
}

fn make_removal(
    document: &Document,
    rules: &[Rule],
    rule: usize,
    scope: Scope,
    line: usize,
    range: Range<usize>,
) -> Removal {
    let rule = &rules[rule];
    let line_start = document.lines[line].start;
    let column = if range.start > line_start {
        document.raw[line_start..range.start].chars().count() + 1
    } else {
        1
    };
    Removal {
        rule: rule.id.clone(),
        category: rule.category,
        scope,
        start: range.start,
        end: range.end,
        line: line + 1,
        column,
        text: document.raw[range].to_string(),
        element: None,
    }
}

/// Drops blank lines that removals would leave doubled, or leading, or trailing
/// (unless `text_follows`).
fn tidy_blank_lines(document: &Document, status: &mut [Status], text_follows: bool) {
    let lines = &document.lines;
    let mut output_started = false;
    let mut last_output_blank = false;
    let mut removed_since_output = false;
    for index in 0..lines.len() {
        match status[index] {
            Status::Removed(..) => removed_since_output = true,
            Status::Tidy => {}
            Status::Kept => {
                let blank = lines[index].kind == LineKind::Blank;
                if blank && removed_since_output && (!output_started || last_output_blank) {
                    status[index] = Status::Tidy;
                } else {
                    output_started = true;
                    last_output_blank = blank;
                    if !blank {
                        removed_since_output = false;
                    }
                }
            }
        }
    }
    if removed_since_output && !text_follows {
        // The document ends in removed lines: blank lines left before them would now trail.
        for index in (0..lines.len()).rev() {
            match status[index] {
                Status::Kept if lines[index].kind == LineKind::Blank => {
                    status[index] = Status::Tidy
                }
                Status::Kept => break,
                _ => {}
            }
        }
    }
}

/// Composes two passes: `earlier` are removals from `raw`, `later` are removals
/// from the text that `earlier` left, in that text's offsets. Returns all of
/// them in `raw` offsets, sorted and disjoint: a later removal that spans a cut
/// made earlier becomes one removal per stretch of `raw` it covers.
pub(crate) fn compose(raw: &str, earlier: Vec<Removal>, later: &[Removal]) -> Vec<Removal> {
    // Stretches of `raw` that the earlier pass kept: (raw start, raw end, offset in its output).
    let mut kept: Vec<(usize, usize, usize)> = Vec::with_capacity(earlier.len() + 1);
    let mut cursor = 0;
    let mut out_offset = 0;
    for removal in &earlier {
        if removal.start > cursor {
            kept.push((cursor, removal.start, out_offset));
            out_offset += removal.start - cursor;
        }
        cursor = removal.end;
    }
    if raw.len() > cursor {
        kept.push((cursor, raw.len(), out_offset));
    }
    let mut pieces: Vec<Removal> = Vec::with_capacity(later.len());
    let mut index = 0;
    for removal in later {
        while index < kept.len() && kept[index].2 + (kept[index].1 - kept[index].0) <= removal.start
        {
            index += 1;
        }
        let mut i = index;
        while i < kept.len() && kept[i].2 < removal.end {
            let (raw_start, raw_end, offset) = kept[i];
            let from = raw_start + removal.start.saturating_sub(offset);
            let to = (raw_start + (removal.end - offset)).min(raw_end);
            if from < to {
                pieces.push(Removal {
                    start: from,
                    end: to,
                    text: raw[from..to].to_string(),
                    ..removal.clone()
                });
            }
            i += 1;
        }
    }
    let mut all = earlier;
    all.extend(pieces);
    all.sort_by_key(|r| r.start);
    // Lines and columns of the later pass's pieces are recounted in `raw`.
    let mut line = 1;
    let mut line_start = 0;
    let mut counted = 0;
    for removal in &mut all {
        let bytes = raw.as_bytes();
        // A removal that starts with the previous line's terminator is on the next line.
        let mut first = removal.start;
        if bytes.get(first) == Some(&b'\r') && bytes.get(first + 1) == Some(&b'\n') {
            first += 1;
        }
        if bytes.get(first) == Some(&b'\n') && first + 1 < removal.end {
            first += 1;
        } else {
            first = removal.start;
        }
        for (i, &b) in bytes[counted..first].iter().enumerate() {
            if b == b'\n' {
                line += 1;
                line_start = counted + i + 1;
            }
        }
        counted = first;
        removal.line = line;
        removal.column = raw[line_start..first].chars().count() + 1;
    }
    merge_touching(all)
}

/// Joins removals (sorted) that touch and come from the same rule and scope:
/// they read as one. In place: a large text's removals are not held twice.
pub(crate) fn merge_touching(mut removals: Vec<Removal>) -> Vec<Removal> {
    removals.dedup_by(|removal, last| {
        let touching =
            last.end == removal.start && last.rule == removal.rule && last.scope == removal.scope;
        if touching {
            last.end = removal.end;
            last.text.push_str(&removal.text);
        }
        touching
    });
    removals
}
