//! Detectors: matchers in code for what phrases and regexes cannot see.
//!
//! Each one is enabled by a rule (`detector = "..."`) that gives it an id, a
//! category and conditions, so its removals are attributed like any other.
//! They never fire on list items, table rows, code or markup lines: those are
//! content structure, and a heuristic must not guess about them. The
//! thresholds below come from the development set's boilerplate lines
//! (`shared/eval/dev`): breadcrumbs there have at most 5 words per item and 110
//! characters; repeated titles at least 3 words; related-link titles at most 14
//! words.

use super::{count_words, count_words_up_to, passes_whole, Context, Decision, Target};
use crate::document::LineKind;
use crate::matcher::Hit;
use crate::rules::{Action, Detector, Rule};
use rustc_hash::FxHashSet;

/// Longest breadcrumb line, in characters.
const BREADCRUMB_MAX_CHARS: usize = 120;
/// Most words in one breadcrumb item.
const BREADCRUMB_MAX_ITEM_WORDS: usize = 6;
/// A repeated title has at least this many words (or `REPEATED_TITLE_MIN_CHARS`).
const REPEATED_TITLE_MIN_WORDS: usize = 3;
const REPEATED_TITLE_MIN_CHARS: usize = 15;
/// A repeated line or paragraph elsewhere has at least this many words (or
/// chars). Headlines reach 15 words and come back in related lists and
/// whole-page dumps (`shared/corpus`), where the later copy is often the
/// article's own title; the disclaimers printed twice are longer.
const REPEATED_LINE_MIN_WORDS: usize = 16;
const REPEATED_LINE_MIN_CHARS: usize = 110;
/// Link titles under a related header: at most this many words, at most this many lines.
const RELATED_TITLE_MAX_WORDS: usize = 14;
const RELATED_MAX_ITEMS: usize = 10;
/// A menu run: at least this many consecutive lines of at most `MENU_MAX_WORDS` words.
const MENU_MIN_LINES: usize = 4;
const MENU_MAX_WORDS: usize = 4;
/// A mega-menu group's lines (header, echo, items) have at most this many
/// words; from the whole-page cases (`shared/corpus/wcxb`): 4 took a tenth
/// less of the menus, 8 the same menus and 8 content tokens of scrapinghub.
const MENU_GROUP_MAX_WORDS: usize = 6;

fn is_plain(kind: LineKind) -> bool {
    matches!(kind, LineKind::Text | LineKind::Quote)
}

pub(super) fn run(context: &Context, hits: &[Hit], decisions: &mut Vec<Decision>) {
    // Shared by the two repeat detectors: one hash of each line per pass.
    let repeats = std::cell::OnceCell::new();
    for (rule_index, rule) in context.rules.iter().enumerate() {
        let Some(detector) = rule.detector else {
            continue;
        };
        if rule.action != Action::Remove || !context.applies(rule) {
            continue;
        }
        let mut lines: Vec<std::ops::Range<usize>> = Vec::new();
        match detector {
            Detector::Breadcrumb => per_line(context, rule, &mut lines, |index, text| {
                is_breadcrumb(text) && !continues_sentence(context, index)
            }),
            Detector::BareCounter => per_line(context, rule, &mut lines, |index, text| {
                is_bare_counter(text) && !in_label_block(context, index)
            }),
            Detector::RepeatedTitle => repeated(
                context,
                rule,
                repeats.get_or_init(|| repeats_of_earlier_lines(context)),
                REPEATED_TITLE_MIN_WORDS,
                REPEATED_TITLE_MIN_CHARS,
                &mut lines,
            ),
            Detector::RepeatedLine => repeated(
                context,
                rule,
                repeats.get_or_init(|| repeats_of_earlier_lines(context)),
                REPEATED_LINE_MIN_WORDS,
                REPEATED_LINE_MIN_CHARS,
                &mut lines,
            ),
            Detector::RelatedList => related_list(context, rule_index, hits, &mut lines),
            Detector::MenuRun => menu_runs(context, rule, &mut lines),
            Detector::MenuGroup => {
                let candidates = hits.iter().filter(|h| h.rule == rule_index && !h.veto);
                menu_groups(context, rule, candidates, &mut lines)
            }
            // Runs last, after every other rule has decided (below).
            Detector::PageChrome => continue,
        }
        decisions.extend(lines.into_iter().map(|range| Decision {
            rule: rule_index,
            target: Target::Lines(range),
        }));
    }
    // The page-chrome detector reads the other rules' line removals: a related
    // or comments header marks where the article ends.
    for (rule_index, rule) in context.rules.iter().enumerate() {
        if rule.detector != Some(Detector::PageChrome)
            || rule.action != Action::Remove
            || !context.applies(rule)
        {
            continue;
        }
        let markers = super::page::end_markers(context, &decisions[..]);
        let mut lines: Vec<std::ops::Range<usize>> = Vec::new();
        super::page::page_chrome(context, rule, &markers, &mut lines);
        decisions.extend(lines.into_iter().map(|range| Decision {
            rule: rule_index,
            target: Target::Lines(range),
        }));
    }
}

/// Fewer words than this before a closing colon make a label ("Share:"), not
/// a sentence.
const SENTENCE_MIN_WORDS: usize = 6;

/// Whether the line directly above `index` (no blank line between) is a
/// sentence that ends with a colon: then this line is what it announces, as
/// in "...a link that says:" / "Read more »" (development set:
/// `en-forum-01`).
fn continues_sentence(context: &Context, index: usize) -> bool {
    if index == 0 || context.document.lines[index - 1].kind == LineKind::Blank {
        return false;
    }
    let above = context.text(index - 1);
    above.ends_with([':', '：']) && count_words(above) >= SENTENCE_MIN_WORDS
}

/// Most words of a label line that makes a number beside it content.
const LABEL_MAX_WORDS: usize = 6;

/// Whether the line directly above or below `index` (no blank line between)
/// is a short worded label, as in a score block ("Riverside United" / "3") or
/// a table turned into lines: then the number belongs to it. Counters under a
/// title stand apart or next to other counters and dates (development set:
/// `en-sports-01` against the seed page).
fn in_label_block(context: &Context, index: usize) -> bool {
    let lines = &context.document.lines;
    let is_label = |i: usize| {
        let text = context.text(i);
        lines[i].kind != LineKind::Blank
            && !text.is_empty()
            && text.chars().any(char::is_alphabetic)
            && !text.chars().any(|c| c.is_ascii_digit())
            && count_words_up_to(text, LABEL_MAX_WORDS + 1) <= LABEL_MAX_WORDS
            && !is_bare_counter(text)
    };
    (index > 0 && is_label(index - 1)) || (index + 1 < lines.len() && is_label(index + 1))
}

fn per_line(
    context: &Context,
    rule: &Rule,
    out: &mut Vec<std::ops::Range<usize>>,
    test: impl Fn(usize, &str) -> bool,
) {
    for (index, line) in context.document.lines.iter().enumerate() {
        if !is_plain(line.kind) || line.protected {
            continue;
        }
        let text = context.text(index);
        if text.is_empty() || !context.in_position(&rule.conditions, index) {
            continue;
        }
        if test(index, text) && passes_whole(rule, text) {
            out.push(index..index + 1);
        }
    }
}

fn is_separator(c: char) -> bool {
    matches!(
        c,
        '|' | '›' | '»' | '·' | '•' | '→' | '←' | '«' | '‹' | '/' | '>' | '\\'
    )
}

/// Whether `text` may hold a separator: it has an ASCII one, or the lead byte
/// of `» · «` (U+00xx) or of `• › ‹ → ←` (U+2xxx). The detector runs on every
/// line; most lines are ruled out by two vectorized scans.
fn may_hold_separator(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() <= BREADCRUMB_MAX_CHARS * 4
        && (memchr::memchr3(b'|', b'/', b'>', bytes).is_some()
            || memchr::memchr3(b'\\', 0xC2, 0xE2, bytes).is_some())
}

/// `/` and `>` separate only when they stand alone (not `1/2`, `and/or`, `a>b`).
fn needs_spaces(c: char) -> bool {
    matches!(c, '/' | '>' | '\\')
}

/// A short line of short items joined by separators, or a lone item hanging on one.
pub(crate) fn is_breadcrumb(text: &str) -> bool {
    if !may_hold_separator(text)
        || text.chars().count() > BREADCRUMB_MAX_CHARS
        || is_not_a_trail(text)
    {
        return false;
    }
    let chars: Vec<char> = text.chars().collect();
    let mut items: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut separators = 0;
    for (i, &c) in chars.iter().enumerate() {
        let standalone =
            (i == 0 || chars[i - 1] == ' ') && (i + 1 == chars.len() || chars[i + 1] == ' ');
        // A dot between two letters is part of a unit or a name (`мА·ч`).
        let inside_word = i > 0
            && i + 1 < chars.len()
            && chars[i - 1].is_alphanumeric()
            && chars[i + 1].is_alphanumeric();
        if is_separator(c) && (!needs_spaces(c) || standalone) && !inside_word {
            separators += 1;
            items.push(std::mem::take(&mut current));
        } else {
            current.push(c);
        }
    }
    items.push(current);
    let items: Vec<&str> = items
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect();
    if separators == 0 || items.is_empty() {
        return false;
    }
    if items.len() == 1 && count_words(items[0]) > 3 {
        return false;
    }
    let with_digits = items
        .iter()
        .filter(|i| i.chars().any(|c| c.is_ascii_digit()))
        .count();
    if with_digits > 1 && with_digits * 2 > items.len() {
        return false;
    }
    let sentence_end = |s: &str| s.ends_with(['.', '!', '?', ',', ';', ':']);
    items.iter().all(|item| {
        count_words(item) <= BREADCRUMB_MAX_ITEM_WORDS
            && item.chars().count() <= 40
            && !sentence_end(item)
    })
}

/// Precision guards for [`is_breadcrumb`]: a quoted line (`"Read more »"`), a
/// byline (`By Owen Prescott | Updated 2 hours ago`), a timestamped line
/// (`lenamarsh · June 3, 2025 at 2:14 pm`) and a contact line with an e-mail
/// address are joined by the same separators but are not trails. Seen in the
/// development set's forum, press-release and news bylines; the Arabic, Persian,
/// Turkish, Hindi and Chinese byline words from the project's own cases
/// (`tests/fixtures/cases`, a Hindi byline with a date and a view count).
fn is_not_a_trail(text: &str) -> bool {
    const BYLINE: [&str; 16] = [
        "by ",
        "par ",
        "por ",
        "von ",
        "автор",
        "от ",
        "توسط",
        "بقلم",
        "كتب",
        "نویسنده",
        "yazar",
        "yazan",
        "लेखक",
        "द्वारा",
        "作者",
        "记者",
    ];
    let bytes = text.as_bytes();
    let has_time = bytes.windows(4).any(|w| {
        w[0].is_ascii_digit() && w[1] == b':' && w[2].is_ascii_digit() && w[3].is_ascii_digit()
    });
    let has_email = text
        .split_whitespace()
        .any(|t| t.contains('@') && t.contains('.') && !t.starts_with('@'));
    text.contains('"')
        || text.contains('«')
        || has_time
        || has_email
        || BYLINE.iter().any(|b| text.starts_with(b))
}

/// Only numbers (`19`, `1.2k`, `3,482`) and symbols or emoji, no words.
pub(crate) fn is_bare_counter(text: &str) -> bool {
    let mut numbers = 0;
    for token in text.split_whitespace() {
        let core = token.trim_matches(|c: char| !c.is_alphanumeric());
        if core.is_empty() {
            continue;
        }
        let digits_end = core.trim_end_matches(['k', 'm', 'b', '%']);
        let numeric = !digits_end.is_empty()
            && digits_end.starts_with(|c: char| c.is_ascii_digit())
            && digits_end
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
            && core.len() - digits_end.len() <= 1;
        if !numeric {
            return false;
        }
        numbers += 1;
    }
    (1..=4).contains(&numbers) && !text.contains(['#', '$', '€', '£', '¥', '№'])
}

/// The lines (text, quote or heading) whose normalized text an earlier such line has.
fn repeats_of_earlier_lines(context: &Context) -> Vec<usize> {
    let lines = &context.document.lines;
    let mut seen: FxHashSet<&str> = FxHashSet::default();
    seen.reserve(lines.len());
    (0..lines.len())
        .filter(|&index| {
            matches!(
                lines[index].kind,
                LineKind::Text | LineKind::Quote | LineKind::Heading(_)
            ) && !seen.insert(context.text(index))
        })
        .collect()
}

/// The `repeats` (see [`repeats_of_earlier_lines`]) long enough to be a title or a
/// paragraph printed twice. Whether a line is long enough depends on its text
/// alone, so every line can go into the set of texts seen, and only repeats
/// are measured.
fn repeated(
    context: &Context,
    rule: &Rule,
    repeats: &[usize],
    min_words: usize,
    min_chars: usize,
    out: &mut Vec<std::ops::Range<usize>>,
) {
    for &index in repeats {
        let text = context.text(index);
        let words = count_words_up_to(text, min_words.max(2));
        // One word is a name or a label (a forum user posting twice), not a title.
        if words < 2 || (words < min_words && text.chars().count() < min_chars) {
            continue;
        }
        if !context.document.lines[index].protected
            && context.in_position(&rule.conditions, index)
            && passes_whole(rule, text)
        {
            out.push(index..index + 1);
        }
    }
}

/// Longest related-link title in a script written without spaces (Chinese),
/// in characters: the development set's longest is 31.
const RELATED_TITLE_MAX_UNSPACED_CHARS: usize = 36;

/// A link title is short: at most [`RELATED_TITLE_MAX_WORDS`] words, or, when
/// a quarter or more of it is in an unspaced script (where every character counts as a
/// word), at most [`RELATED_TITLE_MAX_UNSPACED_CHARS`] characters.
fn fits_related_title(title: &str) -> bool {
    let chars = title.chars().count();
    let unspaced = title
        .chars()
        .filter(|&c| crate::matcher::is_unspaced_script(c))
        .count();
    count_words(title) <= RELATED_TITLE_MAX_WORDS
        || (unspaced * 4 >= chars && chars <= RELATED_TITLE_MAX_UNSPACED_CHARS)
}

fn related_list(
    context: &Context,
    rule_index: usize,
    hits: &[Hit],
    out: &mut Vec<std::ops::Range<usize>>,
) {
    let rule = &context.rules[rule_index];
    let document = context.document;
    let mut headers: Vec<usize> = hits
        .iter()
        .filter(|h| h.rule == rule_index && !h.veto)
        .map(|h| h.line)
        .collect();
    headers.dedup();
    for header in headers {
        let text = context.text(header);
        if !context.in_position(&rule.conditions, header) || !passes_whole(rule, text) {
            continue;
        }
        let mut last = header;
        let mut items = 0;
        let mut next = document.next_non_blank(header);
        while let Some(index) = next {
            let line = &document.lines[index];
            let title = context.text(index);
            let fits = matches!(line.kind, LineKind::Text | LineKind::ListItem)
                && !line.protected
                && !title.is_empty()
                && fits_related_title(title)
                && !title.ends_with(['.', ':', ';']);
            if !fits || items == RELATED_MAX_ITEMS {
                break;
            }
            last = index;
            items += 1;
            next = document.next_non_blank(index);
        }
        out.push(header..last + 1);
    }
}

fn menu_runs(context: &Context, rule: &Rule, out: &mut Vec<std::ops::Range<usize>>) {
    let document = context.document;
    let is_menu_item = |index: usize| {
        let line = &document.lines[index];
        let text = context.text(index);
        matches!(line.kind, LineKind::Text | LineKind::ListItem)
            && !line.protected
            && !text.is_empty()
            && !text.ends_with(['.', '!', '?', ':', ';', ','])
            && count_words_up_to(text, MENU_MAX_WORDS + 1) <= MENU_MAX_WORDS
            && text.chars().count() <= 40
            && context.in_position(&rule.conditions, index)
    };
    let mut index = 0;
    while index < document.lines.len() {
        if document.lines[index].kind == LineKind::Blank || !is_menu_item(index) {
            index += 1;
            continue;
        }
        let start = index;
        let mut end = index;
        let mut count = 1;
        let mut next = document.next_non_blank(index);
        while let Some(candidate) = next {
            // At most one blank line between menu items.
            if candidate > end + 2 || !is_menu_item(candidate) {
                break;
            }
            end = candidate;
            count += 1;
            next = document.next_non_blank(candidate);
        }
        if count >= MENU_MIN_LINES {
            out.push(start..end + 1);
        }
        index = end + 1;
    }
}

/// Whether line `index` can belong to a mega-menu group: a text or list
/// line of at most [`MENU_GROUP_MAX_WORDS`] words that does not end a
/// sentence.
fn is_menu_group_line(context: &Context, index: usize) -> bool {
    let line = &context.document.lines[index];
    let text = context.text(index);
    matches!(line.kind, LineKind::Text | LineKind::ListItem)
        && !line.protected
        && !text.is_empty()
        && !text.ends_with(['.', '!', '?', ';'])
        && count_words_up_to(text, MENU_GROUP_MAX_WORDS + 1) <= MENU_GROUP_MAX_WORDS
}

/// `menu-group`: a mega-menu prints each group's header, then the header
/// again as the group's first link with a prefix (`Tents` / `All Tents`,
/// `Seating` / `Shop all seating`). The rule's regex finds the prefix at the
/// start of a line; when the rest of that line is the line above, the
/// header, the echo and the short lines after them (the group's links, and
/// the groups that follow) go, up to the first longer line or sentence.
fn menu_groups<'h>(
    context: &Context,
    rule: &Rule,
    candidates: impl Iterator<Item = &'h Hit>,
    out: &mut Vec<std::ops::Range<usize>>,
) {
    let document = context.document;
    let mut covered = 0;
    for hit in candidates {
        let echo = hit.line;
        if echo < covered || !is_menu_group_line(context, echo) {
            continue;
        }
        let Some(line_range) = context.lines.get(echo) else {
            continue;
        };
        let rest = context
            .view
            .text
            .get(hit.range.end..line_range.end)
            .unwrap_or("")
            .trim();
        let Some(header) = document.previous_non_blank(echo) else {
            continue;
        };
        if rest.is_empty()
            || context.text(header) != rest
            || !is_menu_group_line(context, header)
            || !context.in_position(&rule.conditions, header)
            || !passes_whole(rule, context.text(header))
        {
            continue;
        }
        let mut last = echo;
        while let Some(next) = document.next_non_blank(last) {
            if !is_menu_group_line(context, next) {
                break;
            }
            last = next;
        }
        out.push(header..last + 1);
        covered = last + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn breadcrumbs() {
        let yes = [
            "btcc / btcc square / cryptopolitan /",
            "|square",
            "home » recipes » soups & stews",
            "help center > release notes > ios & android",
            "jump to recipe · print recipe",
            "translate this page | español | tiếng việt | 中文",
            "docs / changelog / 3.x",
            "← 3.1.4 3.2.1 →",
            "business / retail",
        ];
        let no = [
            "use 1/2 cup of flour and/or sugar",
            "by tom becker · dec 9, 2025 · 4 min read",
            "this is a sentence / with a slash that goes on for many many words in a row here",
            "published 10 april 2025 · 4 min read",
            "plain text without separators",
            "ok, so | what.",
            "\"read more »\"",
            "by owen prescott | updated 2 hours ago",
            "lenamarsh · june 3, 2025 at 2:14 pm",
            "(555) 014-2290 | press@county.example.gov",
            "— аккумулятор на 6 000 ма·ч",
        ];
        for text in yes {
            assert!(is_breadcrumb(text), "{text:?}");
        }
        for text in no {
            assert!(!is_breadcrumb(text), "{text:?}");
        }
    }

    #[test]
    fn bare_counters() {
        for text in ["19", "3", "1,914", "👁 3,482 ♥ 27", "1.2k", "45%"] {
            assert!(is_bare_counter(text), "{text:?}");
        }
        for text in ["#1234", "$50", "2025-12-06", "19 views", "", "1 2 3 4 5"] {
            assert!(!is_bare_counter(text), "{text:?}");
        }
    }
}
