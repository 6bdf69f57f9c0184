//! The `page-chrome` detector: main-content extraction for whole-page text
//! dumps, on lines (a line-level cousin of jusText and Readability).
//!
//! A scraper's text dump of a web page holds the article as a run of long,
//! sentence-like lines, and the page around it (menus, widget titles,
//! buttons, footers) as short lines. Every non-blank line gets a score: its
//! word count when it reads like a sentence, a fixed penalty when it is short.
//! The article region is the span of lines with the largest total score (a
//! maximum-sum run). Outside it, short lines are page chrome; after it, so are
//! the footer paragraphs (legal notes, "about us" blurbs) up to a length.
//!
//! The thresholds come from the whole-page dumps of the shared corpus
//! (`scrapinghub`, `readability` and `wcxb` cases, labels from the article
//! truth), tuned with content loss first: a long line is one of at least 15
//! words, a sentence one of at least 6 words ending in sentence punctuation;
//! a short line costs 3 (a penalty of 2 leaves menus inside the region, 4 or
//! more cuts the article at its subheadings). Pages whose best region is weak
//! (under 100 words) or holds under a fifth of the page's words are listings,
//! shops or forums rather than articles, where short lines are the content:
//! the detector does not fire there. The three lines just above the region
//! (title, byline, standfirst) are spared.

use super::{count_words, passes_whole, Context};
use crate::document::LineKind;
use crate::rules::Rule;
use std::ops::Range;

/// A line of at least this many words reads as prose whatever its ending.
const LONG_LINE_WORDS: usize = 15;
/// A line of at least this many words ending in sentence punctuation is a sentence.
const SENTENCE_WORDS: usize = 6;
/// What a short (non-sentence) text line costs the region it falls into.
const SHORT_LINE_PENALTY: i64 = 3;
/// The region must score at least this much (about 100 words of prose).
const MIN_REGION_SCORE: i64 = 100;
/// The region must hold at least this share of the page's words.
const MIN_REGION_SHARE: f64 = 0.2;
/// Lines just above the region that are spared (title, byline, standfirst).
const SPARED_ABOVE: usize = 3;
/// Longest short line removed outside the region, in words.
const CHROME_MAX_WORDS: usize = 20;
/// Longest line removed after the region (a footer paragraph), in words.
const FOOTER_MAX_WORDS: usize = 40;

fn ends_sentence(text: &str) -> bool {
    text.ends_with([
        '.', '!', '?', ':', ';', '"', '\'', ')', '。', '！', '？', '؟', '।', '…',
    ])
}

fn is_sentence_like(text: &str, words: usize) -> bool {
    words >= LONG_LINE_WORDS || (words >= SENTENCE_WORDS && ends_sentence(text))
}

/// The line ranges the `page-chrome` detector removes under `rule`.
pub(super) fn page_chrome(context: &Context, rule: &Rule, out: &mut Vec<Range<usize>>) {
    let document = context.document;
    // Non-blank lines in order, with their word counts.
    let lines: Vec<(usize, usize)> = document
        .lines
        .iter()
        .enumerate()
        .filter(|(_, line)| !matches!(line.kind, LineKind::Blank | LineKind::Markup))
        .map(|(index, _)| (index, count_words(context.text(index))))
        .collect();
    if lines.is_empty() || !context.in_position(&rule.conditions, lines[0].0) {
        return;
    }
    // Text and quote lines are scored; structure (lists, tables, code,
    // headings) is neutral, so it neither starts nor breaks a region.
    let score = |&(index, words): &(usize, usize)| -> i64 {
        let kind = document.lines[index].kind;
        if !matches!(kind, LineKind::Text | LineKind::Quote) {
            return 0;
        }
        if is_sentence_like(context.text(index), words) {
            i64::try_from(words).unwrap_or(i64::MAX)
        } else {
            -SHORT_LINE_PENALTY
        }
    };
    let (mut best, mut best_start, mut best_end) = (0i64, 0usize, 0usize);
    let (mut current, mut start) = (0i64, 0usize);
    for (position, line) in lines.iter().enumerate() {
        let value = score(line);
        if current <= 0 {
            current = value;
            start = position;
        } else {
            current = current.saturating_add(value);
        }
        if current > best {
            (best, best_start, best_end) = (current, start, position);
        }
    }
    if best < MIN_REGION_SCORE {
        return;
    }
    let total: usize = lines.iter().map(|&(_, words)| words).sum();
    let inside: usize = lines[best_start..=best_end]
        .iter()
        .map(|&(_, words)| words)
        .sum();
    if (inside as f64) < MIN_REGION_SHARE * total as f64 {
        return;
    }
    let spared_from = best_start.saturating_sub(SPARED_ABOVE);
    for (position, &(index, words)) in lines.iter().enumerate() {
        if (spared_from..=best_end).contains(&position) {
            continue;
        }
        let line = &document.lines[index];
        if line.kind != LineKind::Text || line.protected {
            continue;
        }
        let text = context.text(index);
        let chrome = !is_sentence_like(text, words) && words <= CHROME_MAX_WORDS;
        let footer = position > best_end && words <= FOOTER_MAX_WORDS;
        if (chrome || footer) && passes_whole(rule, text) {
            out.push(index..index + 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_and_short_lines() {
        assert!(is_sentence_like(
            "the council met on tuesday to discuss it.",
            8
        ));
        assert!(!is_sentence_like("call center services", 3));
        assert!(!is_sentence_like("a headline of seven words here", 6));
    }
}
