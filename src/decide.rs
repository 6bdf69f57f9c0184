//! Decisions: which hits count, and what each one removes.
//!
//! The matcher says where rules match; this module applies each rule's
//! conditions (unit length, coverage, position, `unless` vetoes, quotation
//! marks), lets `keep` rules and protected lines win, runs the code detectors,
//! and widens every accepted match to its scope: a line, a block, the tail, or
//! one sentence of a longer line. Items of a numbered list that is content
//! (some of its items stay) are not emptied.

mod continuation;
mod detectors;
mod page;

use crate::document::{Document, Format, LineKind};
use crate::matcher::{is_unspaced_script, Hit};
use crate::normalize::Normalized;
use crate::rules::{Action, Conditions, Position, Rule, Scope};
use std::ops::Range;

/// What one accepted rule application removes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Whole lines (indices), e.g. a line, a block or the tail.
    Lines(Range<usize>),
    /// A raw byte range inside one line.
    Span {
        /// The line index.
        line: usize,
        /// Raw byte range.
        range: Range<usize>,
    },
}

/// An accepted rule application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// Index of the rule.
    pub rule: usize,
    /// What it removes.
    pub target: Target,
}

/// Everything the decisions are made from.
pub struct Context<'d, 'a> {
    /// The segmented input.
    pub document: &'d Document<'a>,
    /// Its normalized view.
    pub view: &'d Normalized,
    /// Each line's place in the view.
    pub lines: &'d [Range<usize>],
    /// The engine's rules.
    pub rules: &'d [Rule],
    /// Rank of each line among the non-blank lines (`usize::MAX` for blank lines).
    rank: Vec<usize>,
    /// Number of non-blank lines.
    non_blank: usize,
    /// The format the text came from (an HTML page's text view is parsed as text).
    source: Format,
    /// Where the document sits in a larger text cleaned block by block.
    place: Place,
}

/// Where a block sits in the text it was cut from: position conditions (head,
/// tail, `within`) measure the whole text, not the block.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Place {
    /// Lines that count for position before the block.
    pub lines_before: usize,
    /// Lines that count for position after the block.
    pub lines_after: usize,
    /// Whether more text follows the block (its end is not the text's end).
    pub text_follows: bool,
}

/// Whether a line of `kind` counts for position (head, tail, `within`).
pub fn counts_for_position(kind: LineKind) -> bool {
    kind != LineKind::Blank && kind != LineKind::Markup
}

impl<'d, 'a> Context<'d, 'a> {
    /// Prepares the context for one document.
    pub fn new(
        document: &'d Document<'a>,
        view: &'d Normalized,
        lines: &'d [Range<usize>],
        rules: &'d [Rule],
    ) -> Self {
        let mut rank = Vec::with_capacity(document.lines.len());
        let mut non_blank = 0;
        for line in &document.lines {
            if counts_for_position(line.kind) {
                rank.push(non_blank);
                non_blank += 1;
            } else {
                rank.push(usize::MAX);
            }
        }
        Context {
            document,
            view,
            lines,
            rules,
            rank,
            non_blank,
            source: document.format,
            place: Place::default(),
        }
    }

    /// Says where the document sits in a larger text cleaned block by block.
    pub fn with_place(mut self, place: Place) -> Self {
        self.place = place;
        self
    }

    /// Says that the text came from `source` (an HTML page's text view).
    pub fn with_source(mut self, source: Format) -> Self {
        self.source = source;
        self
    }

    /// Whether `rule` runs on this document's source format.
    pub fn applies(&self, rule: &Rule) -> bool {
        rule.formats.is_empty() || rule.formats.contains(&self.source)
    }

    /// The normalized text of line `index`.
    pub fn text(&self, index: usize) -> &'d str {
        &self.view.text[self.lines[index].clone()]
    }

    fn in_position(&self, conditions: &Conditions, line: usize) -> bool {
        let rank = self.rank[line];
        let total = self.place.lines_before + self.non_blank + self.place.lines_after;
        if rank == usize::MAX || total < conditions.min_document_lines.unwrap_or(0) {
            return false;
        }
        let rank = self.place.lines_before + rank;
        let by_fraction = conditions
            .within
            .map_or(0, |f| (f * total as f64).ceil() as usize);
        let window = by_fraction.max(conditions.within_lines.unwrap_or(0));
        let head = rank < window;
        let tail = total - rank <= window;
        match conditions.position {
            Position::Anywhere => true,
            Position::Head => head,
            Position::Tail => tail,
            Position::Edges => head || tail,
        }
    }
}

/// Counts words the way the scorer counts tokens: whitespace-separated, with
/// every CJK (or other unspaced-script) character a word of its own.
pub fn count_words(text: &str) -> usize {
    count_words_up_to(text, usize::MAX)
}

/// [`count_words`], but stops counting at `cap`: the smaller of the two.
pub(crate) fn count_words_up_to(text: &str, cap: usize) -> usize {
    if text.is_ascii() {
        return ascii_words_up_to(text.as_bytes(), cap);
    }
    let mut words = 0;
    for token in text.split_whitespace() {
        if words >= cap {
            return cap;
        }
        if token.is_ascii() {
            words += 1;
            continue;
        }
        let unspaced = token.chars().filter(|&c| is_unspaced_script(c)).count();
        let rest = token
            .chars()
            .any(|c| !is_unspaced_script(c) && c.is_alphanumeric());
        words += unspaced + usize::from(rest || unspaced == 0);
    }
    words.min(cap)
}

/// [`count_words_up_to`] of ASCII text, where a token is one word: the starts of
/// runs of non-space bytes, counted a chunk at a time (a loop the compiler
/// vectorizes: the detectors count the words of every line of every pass).
fn ascii_words_up_to(bytes: &[u8], cap: usize) -> usize {
    /// Bytes per chunk between checks against `cap`.
    const CHUNK: usize = 64;
    // Bitwise, not short-circuit, operators: no branch per byte.
    let space = |b: u8| (b == b' ') | (b.wrapping_sub(b'\t') < 5);
    let mut words = usize::from(bytes.first().is_some_and(|&b| !space(b)));
    let mut start = 1;
    while start < bytes.len() && words < cap {
        let end = (start + CHUNK).min(bytes.len());
        let starts: u8 = bytes[start - 1..end - 1]
            .iter()
            .zip(&bytes[start..end])
            .map(|(&before, &byte)| u8::from(space(before) & !space(byte)))
            .fold(0, u8::wrapping_add);
        words += usize::from(starts);
        start = end;
    }
    words.min(cap)
}

/// Whether normalized range `hit` (relative to `unit`) sits inside quotation marks.
fn is_quoted(unit: &str, hit: Range<usize>) -> bool {
    let (Some(before), Some(after)) = (unit.get(..hit.start), unit.get(hit.end..)) else {
        return false;
    };
    let straight = before.matches('"').count() % 2 == 1 && after.contains('"');
    let guillemets =
        before.matches('«').count() > before.matches('»').count() && after.contains('»');
    straight || guillemets
}

/// Checks length, coverage and quotation conditions of `rule` on `unit`,
/// where `hits` are the rule's match ranges relative to the unit.
fn passes(rule: &Rule, unit: &str, hits: &[Range<usize>]) -> bool {
    let conditions = &rule.conditions;
    if let Some(max) = conditions.max_chars {
        if unit.len() > max && unit.chars().count() > max {
            return false;
        }
    }
    if let Some(max) = conditions.max_words {
        if count_words_up_to(unit, max.saturating_add(1)) > max {
            return false;
        }
    }
    if let Some(min) = conditions.min_coverage {
        let mut covered = 0;
        let mut last_end = 0;
        for hit in hits {
            let start = hit.start.max(last_end);
            if hit.end > start {
                covered += hit.end - start;
            }
            last_end = last_end.max(hit.end);
        }
        let visible = unit.len().max(1);
        if (covered as f64) < min * visible as f64 {
            return false;
        }
    }
    passes_guards(rule, unit, hits)
}

/// The guards of [`passes`] without its size conditions: for a line that holds
/// a call glued to content, whose length is the content's. [`decide_span`] then
/// measures each of the call's sentences with all of [`passes`].
fn passes_guards(rule: &Rule, unit: &str, hits: &[Range<usize>]) -> bool {
    (rule.conditions.allow_quoted || !hits.iter().all(|h| is_quoted(unit, h.clone())))
        && !rule.unless_regexes.iter().any(|r| r.is_match(unit))
}

/// Whether every hit lies in the last clause of `text` and the clause before it
/// ends a sentence: a call appended to a paragraph ("... rose 18%. Sign up by
/// my referral link and get 20% cashback"). A paragraph longer than the rule's
/// `max_words` gives up only such a closing sentence: a call-like sentence
/// that opens or runs through a long paragraph ("You can download it from the
/// App Store; the iPad version is included...") is the paragraph's own.
fn all_in_closing_sentence(text: &str, hits: &[Range<usize>]) -> bool {
    let parts = clauses(text);
    let [.., before, last] = parts.as_slice() else {
        return false;
    };
    text[before.clone()]
        .trim_end()
        .ends_with(['.', '!', '?', '。', '！', '？', '।', '؟'])
        && hits.iter().all(|hit| hit.start >= last.start)
}

/// [`passes`] for a unit the rule matched as a whole (detectors).
fn passes_whole(rule: &Rule, unit: &str) -> bool {
    passes(rule, unit, std::slice::from_ref(&(0..unit.len())))
}

/// Consumes the characters of `closing` that follow a sentence end at `end`,
/// and returns the new end.
fn absorb(
    chars: &mut std::iter::Peekable<std::str::CharIndices>,
    mut end: usize,
    closing: &[char],
) -> usize {
    while let Some(&(j, next)) = chars.peek() {
        if !closing.contains(&next) {
            break;
        }
        end = j + next.len_utf8();
        chars.next();
    }
    end
}

/// Whether the parenthesis `rest` opens closes at the end of its sentence:
/// the line ends after it, or sentence punctuation and a space follow it.
fn ends_sentence(rest: &str) -> bool {
    let mut depth = 0usize;
    for (i, c) in rest.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    let tail = &rest[i + 1..];
                    let after = tail.trim_start_matches(['.', '!', '?', '…', ';', '"', '\'']);
                    return after.trim_end().is_empty()
                        || (after.len() < tail.len() && after.starts_with(' '));
                }
            }
            _ => {}
        }
    }
    false
}

/// A sentence or clause of a line, in normalized offsets relative to the line.
fn clauses(text: &str) -> Vec<Range<usize>> {
    split_text(text, true)
}

/// The sentences of a line, in normalized offsets relative to the line: the
/// [`clauses`] without the splits at separators and closing parentheses.
fn sentences(text: &str) -> Vec<Range<usize>> {
    split_text(text, false)
}

fn split_text(text: &str, at_separators: bool) -> Vec<Range<usize>> {
    let mut result = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let after = i + c.len_utf8();
        let split_at = match c {
            '.' | '!' | '?' | '…' | '؟' | '।' | ';' => {
                // Close quotes and brackets stay with the sentence they end.
                let end = absorb(&mut chars, after, &['"', '\'', ')', ']', '.', '!', '?']);
                match chars.peek() {
                    Some(&(_, ' ')) => Some(end),
                    _ => None,
                }
            }
            // A CJK full stop ends its sentence without a space, with the
            // closing quote that may follow it.
            '。' | '！' | '？' | '；' => Some(absorb(
                &mut chars,
                after,
                &['"', '\'', ')', '）', '」', '』', '》'],
            )),
            ' ' if at_separators => match chars.peek() {
                Some(&(j, '·' | '|' | '•')) if text[j..].chars().nth(1) == Some(' ') => {
                    Some(after)
                }
                // A parenthesis that closes the sentence is a clause of its own
                // ("... al alquiler (síguenos en Telegram)."): a call inside it
                // goes without the sentence it is glued to.
                Some(&(j, '(')) if ends_sentence(&text[j..]) => Some(after),
                _ => None,
            },
            _ => None,
        };
        if let Some(end) = split_at {
            if end > start {
                result.push(start..end);
            }
            start = end;
        }
    }
    if start < text.len() {
        result.push(start..text.len());
    }
    result
}

fn trimmed(text: &str, range: Range<usize>) -> Range<usize> {
    let piece = &text[range.clone()];
    let start = range.start + (piece.len() - piece.trim_start().len());
    let end = range.end - (piece.len() - piece.trim_end().len());
    start..end.max(start)
}

fn is_markup_byte(b: u8) -> bool {
    matches!(
        b,
        b'*' | b'_' | b'[' | b']' | b'(' | b')' | b'<' | b'>' | b'~' | b'`'
    )
}

/// Words of a sentence, beside a call that a line rule matches, that make the
/// line a content paragraph with the call glued to it. Ten: with 7, a promo
/// line of the dev set made of two sales sentences was cut to its first
/// (recall 1.000 -> 0.998); with 10 the dev set and the project cases come out
/// as before, and the blind German release note keeps its 13-word sentence.
const GLUED_CONTENT_MIN_WORDS: usize = 10;

/// Whether a call to action (promo, app banner, newsletter) that a line rule
/// matches shares its line with a sentence of content the matches do not
/// touch: then only the call's sentences go, as a span ("We recommend a full
/// backup before updating. Get 3 months free when you sign up today!"). The
/// caller asks only for paragraphs and list items: a quoted callout is a box
/// of its own ("> Quillstack is supported by **Pagewell** — deploy your docs
/// site in one click. [Start a free trial →]"). Notices (disclaimers, cookie
/// banners) run over several sentences of their own, so they keep their line
/// scope.
fn holds_call_and_content(rule: &Rule, text: &str, hits: &[Range<usize>]) -> bool {
    use crate::rules::Category;
    if !matches!(
        rule.category,
        Category::Promo | Category::AppBanner | Category::Newsletter
    ) {
        return false;
    }
    clauses(text).into_iter().any(|part| {
        let clause = text[part.clone()].trim();
        !hits
            .iter()
            .any(|h| h.start < part.end && h.end > part.start)
            && clause.ends_with(['.', '!', '?', '。', '！', '？', '।', '؟'])
            && count_words_up_to(clause, GLUED_CONTENT_MIN_WORDS) >= GLUED_CONTENT_MIN_WORDS
    })
}

/// Words of description after a list item's bold title that make the title
/// the item's name rather than a call: a sentence's worth (the six words the
/// detectors take for a sentence, `detectors::SENTENCE_MIN_WORDS`).
const LIST_TITLE_DESCRIPTION_MIN_WORDS: usize = 6;

/// Whether the raw `span` of `line` is the bold title a list item opens with,
/// followed by its description ("- **Subscribe to alerts by email.** Users can
/// subscribe to a saved query..." in a changelog): the title names the item
/// the rest describes, so it stays with it.
fn is_list_item_title(document: &Document, line: usize, span: Range<usize>) -> bool {
    let info = &document.lines[line];
    if info.kind != LineKind::ListItem {
        return false;
    }
    let raw = document.line_text(line);
    let after_indent = raw.trim_start();
    let marker = crate::document::list_marker_len(after_indent).unwrap_or(0);
    let item = after_indent[marker..].trim_start();
    let item_start = info.start + (raw.len() - item.len());
    let Some(delimiter) = ["**", "__"].into_iter().find(|d| item.starts_with(*d)) else {
        return false;
    };
    let Some(title_len) = item[2..].find(delimiter).map(|i| i + 4) else {
        return false;
    };
    let title_end = item_start + title_len;
    let description = &document.raw[title_end.min(info.end)..info.end];
    span.start <= item_start
        && span.end <= title_end + 1
        && span.end + 1 >= title_end
        && count_words_up_to(description, LIST_TITLE_DESCRIPTION_MIN_WORDS)
            >= LIST_TITLE_DESCRIPTION_MIN_WORDS
}

/// The decisions for one document, and the lines nothing may remove.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Accepted rule applications, in no particular order.
    pub decisions: Vec<Decision>,
    /// Per line: protected by the document (code, front matter, markers) or by a `keep` rule.
    pub protected: Vec<bool>,
}

/// Makes decisions for all hits and detectors.
pub fn decide(context: &Context, mut hits: Vec<Hit>) -> Outcome {
    let document = context.document;
    let rules = context.rules;
    hits.retain(|h| context.applies(&rules[h.rule]));
    hits.sort_by_key(|h| (h.line, h.rule, h.range.start));
    let mut protected: Vec<bool> = document.lines.iter().map(|l| l.protected).collect();
    let mut decisions = Vec::new();
    let mut keeps: Vec<(usize, usize)> = Vec::new();

    let mut group_start = 0;
    while group_start < hits.len() {
        let (line, rule_index) = (hits[group_start].line, hits[group_start].rule);
        let mut group_end = group_start;
        while group_end < hits.len()
            && hits[group_end].line == line
            && hits[group_end].rule == rule_index
        {
            group_end += 1;
        }
        let group = &hits[group_start..group_end];
        group_start = group_end;
        let rule = &rules[rule_index];
        if group.iter().any(|h| h.veto)
            || !context.in_position(&rule.conditions, line)
            || rule.detector.is_some_and(|d| d.takes_hits())
        {
            continue;
        }
        let line_start = context.lines[line].start;
        let ranges: Vec<Range<usize>> = group
            .iter()
            .map(|h| h.range.start - line_start..h.range.end - line_start)
            .collect();
        let text = context.text(line);
        match (rule.action, rule.scope) {
            (Action::Keep, _) => {
                if passes(rule, text, &ranges) {
                    keeps.push((line, rule_index));
                }
            }
            (Action::Remove, Scope::Span) => {
                decide_span(context, rule_index, line, &ranges, &mut decisions);
            }
            (Action::Remove, Scope::Line)
                if matches!(
                    document.lines[line].kind,
                    LineKind::Text | LineKind::ListItem
                ) && (passes(rule, text, &ranges)
                    || (passes_guards(rule, text, &ranges)
                        && all_in_closing_sentence(text, &ranges)))
                    && holds_call_and_content(rule, text, &ranges) =>
            {
                decide_span(context, rule_index, line, &ranges, &mut decisions);
            }
            (Action::Remove, scope) => {
                if !passes(rule, text, &ranges) {
                    continue;
                }
                let lines = match scope {
                    Scope::Block => document.block(line),
                    Scope::Tail => line..document.lines.len(),
                    _ => line..line + 1,
                };
                decisions.push(Decision {
                    rule: rule_index,
                    target: Target::Lines(lines),
                });
            }
        }
    }
    for (line, rule_index) in keeps {
        let range = match rules[rule_index].scope {
            Scope::Block => document.block(line),
            _ => line..line + 1,
        };
        for flag in &mut protected[range] {
            *flag = true;
        }
    }
    detectors::run(context, &hits, &mut decisions);
    continuation::extend(context, &mut decisions);
    spare_content_lists(document, &decisions, &mut protected);
    decisions.retain_mut(|decision| match &mut decision.target {
        Target::Lines(range) => {
            // A block or tail that starts on a protected line does not fire; otherwise
            // protected lines inside it are spared when the removals are assembled.
            !protected[range.start]
        }
        Target::Span { line, .. } => !protected[*line],
    });
    let delimiters = orphaned_table_delimiters(document, &decisions, &protected);
    decisions.extend(delimiters);
    merge_touching_spans(&mut decisions);
    Outcome {
        decisions,
        protected,
    }
}

/// Which lines the decisions empty: a line a line decision covers, or one a span
/// takes from its list marker (if any) to its end.
fn emptied_lines(document: &Document, decisions: &[Decision]) -> Vec<bool> {
    let count = document.lines.len();
    // Where each line's text starts after its list marker.
    let text_start = |line: usize| {
        let raw = document.line_text(line);
        let indent = raw.len() - raw.trim_start().len();
        let marker = crate::document::list_marker_len(raw.trim_start()).unwrap_or(0);
        document.lines[line].start + indent + marker
    };
    let mut emptied = vec![false; count];
    for decision in decisions {
        match &decision.target {
            Target::Lines(range) => {
                for flag in &mut emptied[range.start.min(count)..range.end.min(count)] {
                    *flag = true;
                }
            }
            Target::Span { line, range } => {
                if let Some(flag) = emptied.get_mut(*line) {
                    let text_end =
                        document.lines[*line].start + document.line_text(*line).trim_end().len();
                    if range.start <= text_start(*line) && range.end >= text_end {
                        *flag = true;
                    }
                }
            }
        }
    }
    emptied
}

/// A Markdown table's delimiter row (`|---|---|`).
fn is_table_delimiter(document: &Document, line: usize) -> bool {
    document.lines[line].kind == LineKind::TableRow
        && document
            .line_text(line)
            .chars()
            .all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
}

/// The runs of consecutive table rows, each as a range of line indices.
fn table_runs(document: &Document) -> Vec<Range<usize>> {
    let count = document.lines.len();
    let mut runs = Vec::new();
    let mut line = 0;
    while line < count {
        if document.lines[line].kind != LineKind::TableRow {
            line += 1;
            continue;
        }
        let start = line;
        while line < count && document.lines[line].kind == LineKind::TableRow {
            line += 1;
        }
        runs.push(start..line);
    }
    runs
}

/// The delimiter rows of tables all of whose other rows go: a lone `|---|---|`
/// is no content. Each goes with the rule that removed the row above it (the
/// header), or else the table's first removed row.
fn orphaned_table_delimiters(
    document: &Document,
    decisions: &[Decision],
    protected: &[bool],
) -> Vec<Decision> {
    let emptied = emptied_lines(document, decisions);
    let gone = |line: usize| emptied[line] && !protected[line];
    let rule_of = |line: usize| {
        decisions.iter().find_map(|d| match &d.target {
            Target::Lines(range) if range.contains(&line) => Some(d.rule),
            Target::Span { line: at, .. } if *at == line => Some(d.rule),
            _ => None,
        })
    };
    let mut found = Vec::new();
    for run in table_runs(document) {
        let (delimiters, rows): (Vec<usize>, Vec<usize>) = run
            .clone()
            .partition(|&line| is_table_delimiter(document, line));
        if rows.is_empty() || delimiters.is_empty() || !rows.iter().all(|&row| gone(row)) {
            continue;
        }
        for delimiter in delimiters.into_iter().filter(|&d| !gone(d)) {
            let above = (run.start..delimiter).next_back();
            let rule = above
                .and_then(rule_of)
                .or_else(|| rows.iter().find_map(|&row| rule_of(row)));
            if let Some(rule) = rule {
                found.push(Decision {
                    rule,
                    target: Target::Lines(delimiter..delimiter + 1),
                });
            }
        }
    }
    found
}

/// Protects the items of a numbered list that is content, one some of whose items
/// nothing empties: steps, rankings and tips come as numbered lists, and an item
/// among them that reads like a prompt ("2. Subscribe only to newsletters you
/// trust.") is still one of them. A numbered list of boilerplate (related links, a
/// menu) is emptied whole, and a span glued to an item's content still goes. A list
/// here is a run of numbered items with only blank or indented lines between them;
/// one item alone is no list. The rows of a table are spared the same way (a row
/// "| primary | Download our app |" in a table of button labels), spans and all,
/// so a table is never left with a hole.
fn spare_content_lists(document: &Document, decisions: &[Decision], protected: &mut [bool]) {
    let count = document.lines.len();
    let emptied = emptied_lines(document, decisions);
    // Members of a group of two or more, some of which stay, are not emptied.
    let spare = |members: &[usize], protected: &mut [bool]| {
        if members.len() >= 2 && members.iter().any(|&member| !emptied[member]) {
            for &member in members.iter().filter(|&&member| emptied[member]) {
                protected[member] = true;
            }
        }
    };
    let is_numbered = |line: usize| {
        document.lines[line].kind == LineKind::ListItem
            && document
                .line_text(line)
                .trim_start()
                .starts_with(|c: char| c.is_ascii_digit())
    };
    let mut line = 0;
    while line < count {
        if !is_numbered(line) {
            line += 1;
            continue;
        }
        let mut items = vec![line];
        let mut next = line + 1;
        while next < count {
            if is_numbered(next) {
                items.push(next);
            } else if document.lines[next].kind != LineKind::Blank
                && !document.line_text(next).starts_with([' ', '\t'])
            {
                break;
            }
            next += 1;
        }
        spare(&items, protected);
        line = next;
    }
    // A table's rows, its delimiter row (`|---|`) aside. Unlike a list item's, a
    // row's spans are spared too: in a table of rate decisions, "| 6 июня 2025 | 20% |"
    // holds a date a meta rule would take, and that date is the table's data.
    for run in table_runs(document) {
        let rows: Vec<usize> = run
            .filter(|&line| !is_table_delimiter(document, line))
            .collect();
        if rows.len() >= 2 && rows.iter().any(|&row| !emptied[row]) {
            for row in rows {
                protected[row] = true;
            }
        }
    }
}

/// Two spans on one line that overlap (each takes the spaces beside it, so
/// neighbouring clauses such as "· Dec 9, 2025 · 4 min read" share one)
/// become one span, credited to the one that starts first; otherwise the
/// assembly would keep only the first of them.
fn merge_touching_spans(decisions: &mut Vec<Decision>) {
    let mut spans: Vec<Decision> = Vec::new();
    decisions.retain(|d| {
        if matches!(d.target, Target::Span { .. }) {
            spans.push(d.clone());
            false
        } else {
            true
        }
    });
    let key = |d: &Decision| match &d.target {
        Target::Span { line, range } => (*line, range.start),
        Target::Lines(range) => (range.start, 0),
    };
    spans.sort_by_key(key);
    for span in spans {
        if let (
            Some(Decision {
                target:
                    Target::Span {
                        line: last_line,
                        range: last_range,
                    },
                ..
            }),
            Target::Span { line, range },
        ) = (decisions.last_mut(), &span.target)
        {
            if *last_line == *line && range.start <= last_range.end {
                last_range.end = last_range.end.max(range.end);
                continue;
            }
        }
        decisions.push(span);
    }
}

fn decide_span(
    context: &Context,
    rule_index: usize,
    line: usize,
    hits: &[Range<usize>],
    decisions: &mut Vec<Decision>,
) {
    let rule = &context.rules[rule_index];
    let text = context.text(line);
    let parts = clauses(text);
    let mut chosen: Vec<usize> = Vec::new();
    // A hit starts in the clause of its first letter or digit: a regex that
    // opens on the end of the sentence before (`(?:^|[.!?] )subscribe now$`)
    // takes the call, not that sentence.
    let starts: Vec<usize> = hits
        .iter()
        .map(|h| {
            text[h.clone()]
                .char_indices()
                .find(|(_, c)| c.is_alphanumeric())
                .map_or(h.start, |(i, _)| h.start + i)
        })
        .collect();
    for (index, part) in parts.iter().enumerate() {
        let inside: Vec<Range<usize>> = hits
            .iter()
            .zip(&starts)
            .filter(|(_, &start)| start >= part.start && start < part.end)
            .map(|(h, _)| h.start.max(part.start) - part.start..h.end.min(part.end) - part.start)
            .collect();
        if inside.is_empty() {
            continue;
        }
        let unit = &text[part.clone()];
        let unit_trimmed = unit.trim_end();
        // A match may end in the clause's trailing space or run on into the
        // next clause: measure it within the trimmed clause.
        let len = unit_trimmed.len();
        let inside: Vec<Range<usize>> = inside
            .into_iter()
            .map(|h| h.start.min(len)..h.end.min(len))
            .collect();
        if passes(rule, unit_trimmed, &inside) && !chosen.contains(&index) {
            chosen.push(index);
        }
    }
    if chosen.is_empty() {
        return;
    }
    // A short question that leads into the removed sentence goes with it
    // ("Want more recipes? Join the newsletter."), and so does a remainder of
    // the line too short to be content.
    let mut first = chosen[0];
    let mut last = *chosen.last().unwrap_or(&first);
    // A match that runs on over the following clauses takes them too
    // ("Read more: What is a blob? Ethereum's upgrade explained" is one link).
    while last + 1 < parts.len() {
        let next = trimmed(text, parts[last + 1].clone());
        let covered = hits
            .iter()
            .any(|h| h.start < parts[last].end && h.end >= next.end);
        if !covered {
            break;
        }
        last += 1;
    }
    if first > 0 {
        let lead = &text[parts[first - 1].clone()];
        if lead.trim_end().ends_with('?') && count_words(lead) <= 8 {
            first -= 1;
        }
    }
    if last + 1 < parts.len() {
        let rest = &text[parts[last + 1].start..];
        if count_words(rest) <= 1 && !rest.chars().any(|c| c.is_alphanumeric()) {
            last = parts.len() - 1;
        }
    }
    let whole_line = first == 0 && last == parts.len() - 1;
    if whole_line {
        decisions.push(Decision {
            rule: rule_index,
            target: Target::Lines(line..line + 1),
        });
        return;
    }
    let document = context.document;
    let raw = document.raw.as_bytes();
    let line_info = &document.lines[line];
    let line_start = context.lines[line].start;
    // A removal that opens the line takes the separator the rest starts with
    // ("⭐ 4.8 (520 votes) | Prep: 45 min" keeps "Prep: 45 min", not "| Prep"),
    // unless one word hangs on it (`| Android`, a trail item for the detectors).
    let mut end_norm = parts[last].end;
    if first == 0 {
        let next = &text[parts[last + 1].clone()];
        if let Some(sep) = ["· ", "| ", "• "].iter().find(|sep| next.starts_with(*sep)) {
            if count_words_up_to(&text[parts[last + 1].start + sep.len()..], 2) >= 2 {
                end_norm = parts[last + 1].start + sep.len();
            }
        }
    }
    let norm = trimmed(text, parts[first].start..end_norm);
    let mut start = context.view.map.raw_start(line_start + norm.start);
    let mut end = if last == parts.len() - 1 {
        line_info.end
    } else {
        context.view.map.raw_end(line_start + norm.end)
    };
    while start > line_info.start && is_markup_byte(raw[start - 1]) {
        start -= 1;
    }
    while end < line_info.end && is_markup_byte(raw[end]) && last != parts.len() - 1 {
        end += 1;
    }
    if end == line_info.end {
        while start > line_info.start && (raw[start - 1] == b' ' || raw[start - 1] == b'\t') {
            start -= 1;
        }
    } else {
        while end < line_info.end && (raw[end] == b' ' || raw[end] == b'\t') {
            end += 1;
        }
    }
    if is_list_item_title(document, line, start..end) {
        return;
    }
    if start < end && document.raw.is_char_boundary(start) && document.raw.is_char_boundary(end) {
        decisions.push(Decision {
            rule: rule_index,
            target: Target::Span {
                line,
                range: start..end,
            },
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clauses_split_sentences_and_separators() {
        let text = "real sentence here. subscribe to our channel! ok";
        let parts: Vec<&str> = clauses(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(
            parts,
            vec!["real sentence here.", " subscribe to our channel!", " ok"]
        );
        let text = "by tom becker · dec 9, 2025 · 4 min read";
        let parts: Vec<&str> = clauses(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(
            parts,
            vec!["by tom becker ", "· dec 9, 2025 ", "· 4 min read"]
        );
        let text = "第一句。关注我们的公众号！";
        assert_eq!(clauses(text).len(), 2);
        let text = "他说\"很直观。\" 关注我们的公众号";
        let parts: Vec<&str> = clauses(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(parts, vec!["他说\"很直观。\"", " 关注我们的公众号"]);
        let text = "it said \"stop.\" then more";
        assert_eq!(clauses(text).len(), 2);
        // A parenthesis that ends the sentence stands apart; one inside it does not.
        let text = "rents rose again (follow us on telegram). next sentence";
        let parts: Vec<&str> = clauses(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(
            parts,
            vec![
                "rents rose again ",
                "(follow us on telegram).",
                " next sentence"
            ]
        );
        let text = "we loved it (psst: grab our map!)";
        assert_eq!(clauses(text).len(), 2);
        let text = "the law (passed in 2021) applies to all sites.";
        assert_eq!(clauses(text).len(), 1);
        let text = "an aside (unclosed. then more";
        assert_eq!(clauses(text).len(), 2);
    }

    fn clean(text: &str) -> String {
        clean_as(text, crate::Format::Text)
    }

    fn clean_markdown(text: &str) -> String {
        clean_as(text, crate::Format::Markdown)
    }

    fn clean_as(text: &str, format: crate::Format) -> String {
        crate::Engine::builtin()
            .clean(text, format)
            .expect("clean")
            .text()
            .to_string()
    }

    #[test]
    fn a_span_that_opens_on_a_sentence_end_leaves_that_sentence() {
        let out = clean(
            "Intro paragraph of the article.\n\nConstruction begins in April. Subscribe now.\n",
        );
        assert!(out.contains("Construction begins in April."), "{out:?}");
        assert!(!out.contains("Subscribe now"), "{out:?}");
    }

    #[test]
    fn a_span_that_opens_the_line_takes_the_separator_after_it() {
        let out = clean("Intro paragraph of the recipe.\n\n⭐ 4,5 (320 oy) · Hazırlama: 20 dk\n");
        assert!(out.contains("\nHazırlama: 20 dk"), "{out:?}");
        // One word hanging on the separator stays for the trail detector.
        let out =
            clean("Intro.\n\nMobil uygulamamızı indirmek için tıklayın: iOS | Android\n\nMore.\n");
        assert!(!out.contains("Android"), "{out:?}");
    }

    #[test]
    fn words_are_counted_like_the_scorer() {
        assert_eq!(count_words("get the app"), 3);
        assert_eq!(count_words("关注我们"), 4);
        assert_eq!(count_words("app下载 now"), 4);
        assert_eq!(count_words("👍 👎"), 2);
    }

    /// The ASCII shortcuts count like the general rule.
    #[test]
    fn ascii_word_counts_match_the_general_rule() {
        let general = |text: &str| -> usize {
            text.split_whitespace()
                .map(|token| {
                    let unspaced = token.chars().filter(|&c| is_unspaced_script(c)).count();
                    let rest = token
                        .chars()
                        .any(|c| !is_unspaced_script(c) && c.is_alphanumeric());
                    unspaced + usize::from(rest || unspaced == 0)
                })
                .sum()
        };
        let pieces = [
            "a", "word", " ", "  ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "-", "42", "!",
            "关注", "é", "\u{00A0}", "\u{3000}", "👍", "x下载",
        ];
        let mut next = crate::normalize::tests::random(7);
        for _ in 0..5000 {
            let text: String = (0..next(12)).map(|_| pieces[next(pieces.len())]).collect();
            assert_eq!(count_words(&text), general(&text), "{text:?}");
            let cap = next(5);
            assert_eq!(
                count_words_up_to(&text, cap),
                general(&text).min(cap),
                "{text:?}"
            );
        }
    }

    #[test]
    fn a_prompt_like_item_of_a_numbered_content_list_stays() {
        let cases = [
            // (document, expected)
            (
                "Stay safe online:\n\n1. Never scan a QR code from an unknown sender.\n2. Subscribe only to newsletters you trust.\n",
                "Stay safe online:\n\n1. Never scan a QR code from an unknown sender.\n2. Subscribe only to newsletters you trust.\n",
            ),
            // Items may be apart, with blank or indented lines between them.
            (
                "Tips:\n\n1. Read the terms first.\n   They change often.\n\n2. Subscribe only to newsletters you trust.\n",
                "Tips:\n\n1. Read the terms first.\n   They change often.\n\n2. Subscribe only to newsletters you trust.\n",
            ),
            // A span glued to an item's content still goes.
            (
                "Steps:\n\n1. Chop the onions.\n2. Fry them gently. Subscribe to our newsletter for more recipes!\n",
                "Steps:\n\n1. Chop the onions.\n2. Fry them gently.\n",
            ),
            // One numbered line alone is no list, and a list the rules empty whole goes.
            (
                "The plan works.\n\n2. Subscribe to our newsletter for daily updates.\n",
                "The plan works.\n",
            ),
            (
                "The plan works.\n\n1. Subscribe to our newsletter\n2. Follow us on Telegram\n",
                "The plan works.\n",
            ),
        ];
        for (document, expected) in cases {
            assert_eq!(clean(document), expected, "{document}");
        }
    }

    #[test]
    fn a_prompt_like_row_of_a_content_table_stays() {
        let table = "Labels:\n\n| Button | Text |\n|---|---|\n| primary | Download our app |\n";
        assert_eq!(clean_markdown(table), table);
        // A date in a cell is the table's data, not a dateline.
        let dates = "Decisions:\n\n| Date | Rate |\n|---|---|\n| 6 June 2025 | 20% |\n| 25 July 2025 | 18% |\n";
        assert_eq!(clean_markdown(dates), dates);
        // The rows of a table the rules empty whole go (the delimiter row is no content).
        let out = clean_markdown(
            "Body text of the page.\n\n| Subscribe to our newsletter |\n|---|\n| Follow us on Telegram |\n",
        );
        assert_eq!(out, "Body text of the page.\n", "{out:?}");
    }

    #[test]
    fn a_content_sentence_keeps_its_line_when_a_call_is_glued_to_it() {
        let cases = [
            (
                "Before updating we recommend, as always, a full backup of the database and all files. Get 3 months free when you sign up today!\n",
                "Before updating we recommend, as always, a full backup of the database and all files.\n",
            ),
            (
                "Vor dem Update empfehlen wir wie immer eine vollständige Sicherung von Datenbank und Dateien. Jetzt Heimdall Pro 30 Tage kostenlos testen!\n",
                "Vor dem Update empfehlen wir wie immer eine vollständige Sicherung von Datenbank und Dateien.\n",
            ),
            // A call with only a short sentence beside it still takes its line.
            ("Get 3 months free when you sign up today! Terms apply.\n", ""),
        ];
        for (text, expected) in cases {
            assert_eq!(clean(text), expected, "{text}");
        }
    }

    #[test]
    fn a_call_closing_a_paragraph_longer_than_the_rule_allows_goes_alone() {
        // The paragraph is over the rule's `max_words`; its closing call is not.
        let paragraph = "Часть трейдеров при этом видит в снижении возможность для покупки: объём переводов на холодные кошельки за неделю вырос на 18%, а число активных адресов достигло максимума с января.";
        let call = " Регистрируйся по реферальной ссылке и получи кешбэк 20% 🚀";
        assert_eq!(
            clean(&format!("{paragraph}{call}\n")),
            format!("{paragraph}\n")
        );
        // A call-like sentence that opens a long paragraph is the paragraph's own.
        let review = "You can download it from the App Store or Google Play; the iPad version is included in the same purchase, and there is a web dashboard for people who prefer a bigger screen. Linking my bank took about four minutes.\n";
        assert_eq!(clean(review), review);
    }

    #[test]
    fn the_bold_title_of_a_changelog_item_stays() {
        let item = "- **Subscribe to alerts by email.** Users can subscribe to a saved query and get a digest.\n";
        assert_eq!(clean_markdown(item), item);
        // A call with no description after it is no title: it still goes.
        let call = "Body text.\n\n- **Subscribe to our newsletter.**\n";
        assert_eq!(clean_markdown(call), "Body text.\n");
    }

    #[test]
    fn a_table_whose_rows_all_go_leaves_no_delimiter_row() {
        let engine = crate::Engine::builtin();
        let page = "Body text.\n\n| Download our app | Subscribe to our newsletter |\n|---|---|\n\nMore body text.\n";
        let cleaned = engine.clean(page, crate::Format::Markdown).expect("clean");
        assert_eq!(cleaned.text(), "Body text.\n\nMore body text.\n");
        let rules: Vec<&str> = cleaned.removals().iter().map(|r| r.rule.as_str()).collect();
        assert_eq!(rules, ["app-banner.get-the-app"]);
    }

    #[test]
    fn quotation_marks_shield_a_match() {
        assert!(is_quoted("the ad said \"sign up now\" loudly", 13..20));
        assert!(!is_quoted("sign up now", 0..7));
    }
}
