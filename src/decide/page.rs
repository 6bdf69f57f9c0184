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
//!
//! `article-end`: the maximum-sum region runs on over comment sections and
//! teaser lists with summaries, whose long lines outweigh their short ones.
//! Where another rule has removed a short related or comments header
//! ("Related articles", "12 comments") inside the region,
//! after at least half of the region's prose, and short lines follow it, the
//! article ends there: every text line from the header on goes. Measured on
//! the shared corpus cases (aggressive F1 / content loss, scrapinghub,
//! readability, wcxb): 0.662/2.1%, 0.594/0.6%, 0.606/2.7% before, about
//! 0.755/2.5%, 0.709/1.3%, 0.663/2.9% with it. Half the prose: 30% lost 1.4
//! points of content on all three sets for +0.02 F1 (inline "Read more"
//! teasers), 70% lost 0.03 F1. Share prompts and `Read also: <title>` lines
//! are no markers: they sit inside articles (they cost 3% content on wcxb).
//!
//! `repeated-meta`: a comment section or teaser list with no header has its
//! own mark, a short line with a number that comes back with other numbers
//! ("2 days ago at 07:52 am", "Rating: 36 Votes", "October 21, 2025",
//! "8 comments"). Such a line ends the article like a header when its shape
//! (digits folded) occurs at least 5 times in the region and nowhere on the
//! page before it: on a forum page the same dates run from the first post
//! on; and the records must run to the region's end (at most 200 prose words
//! after the last). Measured like `article-end`: scrapinghub +0.014 F1, wcxb
//! +0.02, content loss unchanged; 3 repeats cost 1 point of content on wcxb,
//! without the nowhere-before condition forum threads lost 7 points; a line
//! of only numbers and units ("13.4 MB (-81%)", table cells) is no mark.
//!
//! `teaser-tail`: a teaser list or comment section with neither header nor
//! repeated dates still has a shape: records of a few short lines (kicker,
//! title, source, author) around one prose line (summary, comment), no two
//! prose lines in a row. From the first short line after which the rest of
//! the region is such a list (at least 4 prose lines, 2 short lines per
//! prose line), after half of the region's prose and after a run of 5
//! paragraphs holding 150 words, the article ends. Measured like
//! `article-end` (aggressive F1 / recall / content loss): scrapinghub
//! 0.772/0.649/2.5% before, 0.785/0.667/2.5% with it; readability
//! 0.709/0.569/1.4%, 0.714/0.575/1.4%; wcxb 0.679/0.540/2.9%,
//! 0.688/0.552/2.96%. Records with 1.5 short lines each, or 3 records, gain 1 more
//! point of recall on wcxb or scrapinghub but cost wcxb 0.07 to 0.11 points
//! of content (landing pages: a title, a blurb and "Learn more", over and
//! over, are content there); letting two prose lines in a row into a record
//! cost 0.7 points.
//!
//! Words of unspaced scripts: the engine counts every CJK character (kana,
//! Hangul syllable) as a word, which makes a 20-character headline a long
//! line of prose, so teaser lists and comment threads of Chinese, Japanese
//! and Korean pages scored as article and the region ran over the whole
//! page. The page detectors count two such characters to a word (a Chinese
//! word is one to two characters; a Korean syllable is about a third of a
//! word). Measured on the corpus cases (aggressive F1 / recall / content
//! loss): readability 0.714/0.575/1.4% -> 0.800/0.696/1.7% (one Japanese
//! page whose truth keeps its whole sidebar lost 0.25 points), scrapinghub
//! 0.785/0.667/2.5% -> 0.792/0.677/2.5%, wcxb (English only) unchanged;
//! three characters to a word gained a third as much.
//!
//! A related or comments header before half of the region's prose ends the
//! article too when a run of paragraphs (5 lines, 150 words) comes before
//! it and at least half of the prose words after it stand alone between
//! short lines: a comment thread or teaser list that outweighs the story.
//! Measured (aggressive F1 / content loss): scrapinghub 0.792/2.5% ->
//! 0.804/2.6%, readability 0.800/1.7% -> 0.830/1.8% (a bug-tracker page
//! whose "Read more" header sits above its last paragraphs lost 181
//! tokens), wcxb 0.689/2.96% -> 0.696/2.96%.

use super::{count_words, count_words_up_to, passes_whole, Context, Decision, Target};
use crate::document::LineKind;
use crate::rules::{Category, Rule};
use std::collections::{HashMap, HashSet};
use std::ops::Range;

/// Characters of an unspaced script (CJK, kana, Thai, and Hangul syllables,
/// which the engine counts one a word) per word for the page detectors (see
/// the module notes); 3 measured worse than 2 on both sets with such pages.
const UNSPACED_CHARS_PER_WORD: usize = 2;
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
/// `article-end`: longest header line that ends the article, in words
/// (related-list headers have at most 6; 10 let long link titles end
/// articles and cost 0.7 points of content on wcxb).
const END_MARKER_MAX_WORDS: usize = 6;
/// `article-end`: share of the region's prose words that must come before
/// the header (see the module notes).
const END_MIN_PROSE_SHARE: f64 = 0.5;
/// `article-end`: a header before half of the region's prose still ends the
/// article when a run of paragraphs (as for `teaser-tail`) comes before it
/// and at least this share of the prose words after it stand alone between
/// short lines (teasers, comments), as on pages whose comment thread
/// outweighs the story.
const END_EARLY_MIN_ALONE: f64 = 0.5;
/// `article-end`: of this many lines after the header, at least
/// `END_CONFIRM_SHORT` must be short (a list of titles or a comment's name and
/// date); an inline "Read more" followed by prose does not end the article.
/// 4 and 2 measured best among 4/2, 4/3, 6/3, 6/4, 8/4, 8/5.
const END_CONFIRM_WINDOW: usize = 4;
const END_CONFIRM_SHORT: usize = 2;
/// `article-end`: the engine cleans to a fixpoint, so the next pass finds the
/// region again in what is left. When the best run before the header stops
/// short of it, with more than this many prose words between (a table or a
/// list of short lines inside the article), that pass would drop them as
/// footer: such a header does not end the article. Without the check wcxb
/// lost 0.6 more points of content (a Wikipedia list page); 20 to 200 words
/// measure the same, 100 leaves room.
const END_STABLE_MAX_WORDS: usize = 100;
/// `repeated-meta`: longest marking line, in words (dates with a time and
/// "Rating: 36 Votes" lines have at most 6; 5 lost a third of the gain).
const REPEATED_META_MAX_WORDS: usize = 8;
/// `repeated-meta`: times the line's shape occurs in the region (see the
/// module notes).
const REPEATED_META_MIN_COUNT: usize = 5;
/// `repeated-meta`: most prose words in the region after the shape's last
/// occurrence (a comment's text; a teaser list inside an article is followed
/// by the rest of the article). Without it wcxb lost 0.13 points of content
/// on a guide with a dated teaser list in the middle; 100 lost all of
/// scrapinghub's gain, 200 and 300 measured the same.
const REPEATED_META_MAX_AFTER_WORDS: usize = 200;

/// `teaser-tail`: share of the region's prose words that must come before
/// the cut (as for `article-end`).
const TAIL_MIN_PROSE_SHARE: f64 = 0.5;
/// `teaser-tail`: the article before the cut must hold a run of at least
/// this many consecutive prose lines (no short line between) and this many
/// words: a story runs paragraph after paragraph. Runs of 3 or 4 lines cost
/// wcxb 0.07 points more content (landing pages whose sections are a title
/// and one paragraph); without the words, so did a landing page whose
/// one-line blurbs became a run once the repeated ones between them were
/// removed (150 and 200 words measure the same).
const TAIL_MIN_ARTICLE_RUN: usize = 5;
const TAIL_MIN_ARTICLE_WORDS: usize = 150;
/// `teaser-tail`: fewest prose lines after the cut, each alone between short
/// lines (a summary under its title, a comment under its author); 3 cost
/// wcxb 0.11 points of content for +1 point of scrapinghub recall.
const TAIL_MIN_RECORDS: usize = 4;
/// `teaser-tail`: short lines after the cut per prose line, at least; 1.5
/// cost wcxb 0.07 points of content for +1 point of its recall.
const TAIL_MIN_SHORT_PER_RECORD: usize = 2;

/// A product grid: a page with at least this many lines that are only a
/// price above its region is a shop listing with a blurb under it, whose
/// short lines (names, prices, specifications) are the content. Measured on
/// the whole-page cases: without the guard a collection page of wcxb lost
/// 849 tokens of its listing once `nav.menu-group` had taken the mega-menu
/// above it (the region then held a fifth of what was left).
const GRID_MIN_PRICES: usize = 12;

/// Whether a line is only a price or a price range (`$973.93 - $1999.00`,
/// `from £12`, `49,90 €`).
fn is_price(text: &str) -> bool {
    let text = ["from ", "now ", "sale ", "was "]
        .iter()
        .find_map(|lead| text.strip_prefix(lead))
        .unwrap_or(text);
    let mut currency = false;
    let mut digits = false;
    for c in text.chars() {
        match c {
            '$' | '€' | '£' | '¥' | '₹' => currency = true,
            '0'..='9' => digits = true,
            '.' | ',' | ' ' | '-' => {}
            _ => return false,
        }
    }
    currency && digits
}

/// Words of a line for the page detectors: [`count_words`], with characters
/// of scripts written without spaces (each a word there) counted
/// `UNSPACED_CHARS_PER_WORD` to a word.
fn page_words(text: &str) -> usize {
    let words = count_words(text);
    if text.is_ascii() {
        return words;
    }
    let unspaced = text
        .chars()
        .filter(|&c| crate::matcher::is_unspaced_script(c))
        .count();
    if unspaced == 0 {
        return words;
    }
    words.saturating_sub(unspaced) + unspaced.div_ceil(UNSPACED_CHARS_PER_WORD)
}

fn ends_sentence(text: &str) -> bool {
    text.ends_with([
        '.', '!', '?', ':', ';', '"', '\'', ')', '。', '！', '？', '؟', '।', '…',
    ])
}

fn is_sentence_like(text: &str, words: usize) -> bool {
    words >= LONG_LINE_WORDS || (words >= SENTENCE_WORDS && ends_sentence(text))
}

/// Per line: whether another rule removed it as a short header of the kind
/// that follows an article (related, comments), for `article-end`.
/// Newsletter lines are no markers: "Follow" buttons sit between the answers
/// of forum pages (with them wcxb lost 0.3 more points of content for +0.007
/// F1).
pub(super) fn end_markers(context: &Context, decisions: &[Decision]) -> Vec<bool> {
    let mut markers = vec![false; context.document.lines.len()];
    for decision in decisions {
        let Target::Lines(range) = &decision.target else {
            continue;
        };
        let Some(rule) = context.rules.get(decision.rule) else {
            continue;
        };
        if !matches!(rule.category, Category::Related | Category::Comments) {
            continue;
        }
        for index in range.clone() {
            if let Some(flag) = markers.get_mut(index) {
                *flag |= count_words_up_to(context.text(index), END_MARKER_MAX_WORDS + 1)
                    <= END_MARKER_MAX_WORDS;
            }
        }
    }
    markers
}

/// How a non-blank line counts towards the article region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Weight {
    /// A sentence-like text line: its words.
    Prose(usize),
    /// A short text line: a penalty.
    Short,
    /// Structure (lists, tables, code, headings): neutral.
    Neutral,
}

impl Weight {
    fn score(self) -> i64 {
        match self {
            Weight::Prose(words) => i64::try_from(words).unwrap_or(i64::MAX),
            Weight::Short => -SHORT_LINE_PENALTY,
            Weight::Neutral => 0,
        }
    }
}

/// The maximum-sum run of `weights` inside `range`: (score, first, last).
fn best_run(weights: &[Weight], range: Range<usize>) -> (i64, usize, usize) {
    let (mut best, mut best_start, mut best_end) = (0i64, range.start, range.start);
    let (mut current, mut start) = (0i64, range.start);
    for position in range {
        let value = weights.get(position).map_or(0, |w| w.score());
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
    (best, best_start, best_end)
}

fn prose_words(weight: &Weight) -> usize {
    match weight {
        Weight::Prose(words) => *words,
        _ => 0,
    }
}

/// The position (among `weights`) where `article-end` cuts the region
/// `start..=end`, if a marked header there ends the article.
fn article_end(
    weights: &[Weight],
    marked: impl Fn(usize) -> bool,
    start: usize,
    end: usize,
) -> Option<usize> {
    let total: usize = weights.get(start..=end)?.iter().map(prose_words).sum();
    let runs = prose_runs(weights);
    // Prose words after a position, and those in no run (a summary or a
    // comment alone between short lines).
    let fragmented = |position: usize| {
        let (mut all, mut alone) = (0usize, 0usize);
        for (weight, run) in weights.iter().zip(&runs).take(end + 1).skip(position + 1) {
            all += prose_words(weight);
            if run.0 <= 1 {
                alone += prose_words(weight);
            }
        }
        alone as f64 >= END_EARLY_MIN_ALONE * all as f64
    };
    let (mut before, mut article_run) = (0usize, false);
    for position in start..=end {
        let late = before as f64 >= END_MIN_PROSE_SHARE * total as f64;
        if marked(position) && (late || (article_run && fragmented(position))) {
            let short = weights
                .iter()
                .skip(position + 1)
                .take(END_CONFIRM_WINDOW)
                .filter(|w| !matches!(w, Weight::Prose(_)))
                .count();
            let (_, _, run_end) = best_run(weights, start..position);
            let stranded: usize = weights
                .get(run_end + 1..position)
                .map_or(0, |between| between.iter().map(prose_words).sum());
            if short >= END_CONFIRM_SHORT && stranded <= END_STABLE_MAX_WORDS {
                return Some(position);
            }
        }
        before += weights.get(position).map_or(0, prose_words);
        let (lines, words) = runs.get(position).copied().unwrap_or_default();
        article_run |= lines >= TAIL_MIN_ARTICLE_RUN && words >= TAIL_MIN_ARTICLE_WORDS;
    }
    None
}

/// Per position: the run of consecutive prose lines it is in, as (lines,
/// prose words); (0, 0) for a line that is not prose.
fn prose_runs(weights: &[Weight]) -> Vec<(usize, usize)> {
    let mut runs = vec![(0usize, 0usize); weights.len()];
    let mut position = 0;
    while position < weights.len() {
        let end = weights[position..]
            .iter()
            .position(|w| !matches!(w, Weight::Prose(_)))
            .map_or(weights.len(), |offset| position + offset);
        let words = weights[position..end].iter().map(prose_words).sum();
        for run in runs.iter_mut().take(end).skip(position) {
            *run = (end - position, words);
        }
        position = end.max(position + 1);
    }
    runs
}

/// `teaser-tail`: the position (among `weights`) of the first short line of
/// the region `start..=end` from which the rest of the region is a list of
/// records (no two prose lines in a row, at least `TAIL_MIN_RECORDS` of
/// them, `TAIL_MIN_SHORT_PER_RECORD` short lines per prose line), after at
/// least half of the region's prose and a run of `TAIL_MIN_ARTICLE_RUN`
/// paragraphs.
fn teaser_tail(weights: &[Weight], start: usize, end: usize) -> Option<usize> {
    let region = weights.get(start..=end)?;
    let runs = prose_runs(region);
    let total: usize = region.iter().map(prose_words).sum();
    // Suffix figures: longest prose run, prose lines, short lines.
    let mut suffix = vec![(0usize, 0usize, 0usize); region.len() + 1];
    for offset in (0..region.len()).rev() {
        let (run, prose, short) = suffix[offset + 1];
        suffix[offset] = (
            run.max(runs[offset].0),
            prose + usize::from(matches!(region[offset], Weight::Prose(_))),
            short + usize::from(region[offset] == Weight::Short),
        );
    }
    let (mut before, mut article_run) = (0usize, false);
    for (offset, weight) in region.iter().enumerate() {
        if *weight == Weight::Short
            && before as f64 >= TAIL_MIN_PROSE_SHARE * total as f64
            && article_run
        {
            let (run, prose, short) = suffix[offset];
            if run <= 1 && prose >= TAIL_MIN_RECORDS && short >= TAIL_MIN_SHORT_PER_RECORD * prose {
                // The next pass must find the same article in what is left:
                // starting where this region starts, ending near the cut.
                let cut = start + offset;
                let (_, run_start, run_end) = best_run(weights, 0..cut);
                let stranded: usize = weights
                    .get(run_end + 1..cut)
                    .map_or(0, |between| between.iter().map(prose_words).sum());
                return (run_start == start && stranded <= END_STABLE_MAX_WORDS).then_some(cut);
            }
        }
        before += prose_words(weight);
        let (lines, words) = runs[offset];
        article_run |= lines >= TAIL_MIN_ARTICLE_RUN && words >= TAIL_MIN_ARTICLE_WORDS;
    }
    None
}

/// A line's shape for `repeated-meta`: every run of digits folded to `#`.
fn shape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_number = false;
    for c in text.chars() {
        if c.is_numeric() {
            if !in_number {
                out.push('#');
            }
            in_number = true;
        } else {
            out.push(c);
            in_number = false;
        }
    }
    out
}

/// Whether a short line can mark a comment or teaser record: a number and a
/// word of at least three letters (not a bare count or a table cell of units).
fn is_meta_like(text: &str) -> bool {
    let mut letters = 0usize;
    let mut has_word = false;
    for c in text.chars() {
        if c.is_alphabetic() {
            letters += 1;
            has_word |= letters >= 3;
        } else {
            letters = 0;
        }
    }
    has_word && text.chars().any(char::is_numeric)
}

/// Per position (among `lines`): whether the line is a `repeated-meta` mark
/// of the region `start..=end`.
fn repeated_meta(
    lines: &[(&str, usize)],
    weights: &[Weight],
    start: usize,
    end: usize,
) -> Vec<bool> {
    let mut marks = vec![false; lines.len()];
    let candidate = |position: usize| -> Option<String> {
        let &(text, words) = lines.get(position)?;
        (weights.get(position) == Some(&Weight::Short)
            && words <= REPEATED_META_MAX_WORDS
            && is_meta_like(text))
        .then(|| shape(text))
    };
    // Per shape: occurrences in the region and the last one's position.
    let mut in_region: HashMap<String, (usize, usize)> = HashMap::new();
    for position in start..=end {
        if let Some(key) = candidate(position) {
            let entry = in_region.entry(key).or_default();
            *entry = (entry.0 + 1, position);
        }
    }
    let prose_after = |position: usize| -> usize {
        weights
            .get(position + 1..=end)
            .map_or(0, |rest| rest.iter().map(prose_words).sum())
    };
    in_region.retain(|_, &mut (count, last)| {
        count >= REPEATED_META_MIN_COUNT && prose_after(last) <= REPEATED_META_MAX_AFTER_WORDS
    });
    if in_region.is_empty() {
        return marks;
    }
    let mut seen: HashSet<String> = HashSet::new();
    for (position, &(text, _)) in lines.iter().enumerate().take(end + 1) {
        if position >= start {
            if let Some(key) = candidate(position) {
                if in_region.contains_key(&key) && !seen.contains(&key) {
                    if let Some(mark) = marks.get_mut(position) {
                        *mark = true;
                    }
                }
            }
        }
        seen.insert(shape(text));
    }
    marks
}

/// Hard-wrapped prose: every line of a paragraph but its last has at least
/// this many words. A text dump wrapped at a fixed width (78 columns) cuts
/// sentences into lines of 9 to 14 words that end mid-sentence, so none of
/// them read as a sentence alone; menus and link lists have shorter lines.
/// From the whole-page cases: a wcxb page wrapped so lost its whole article
/// region (2,600 boilerplate tokens kept); 8 words took no line of the other
/// pages' menus.
const WRAPPED_MIN_WORDS: usize = 8;

/// Per position of `lines` (the non-blank lines, with their words): whether
/// the line belongs to a hard-wrapped paragraph of prose: at least two text
/// lines with no blank line between, each but the last of at least
/// [`WRAPPED_MIN_WORDS`] words, together at least [`LONG_LINE_WORDS`], the
/// last ending a sentence.
fn wrapped_prose(context: &Context, lines: &[(usize, usize)]) -> Vec<bool> {
    let document = context.document;
    let mut wrapped = vec![false; lines.len()];
    let is_text = |index: usize| document.lines[index].kind == LineKind::Text;
    let mut start = 0;
    while start < lines.len() {
        let mut end = start + 1;
        while end < lines.len()
            && is_text(lines[start].0)
            && is_text(lines[end].0)
            && lines[end].0 == lines[end - 1].0 + 1
        {
            end += 1;
        }
        let paragraph = &lines[start..end];
        if let [body @ .., (last, _)] = paragraph {
            let total: usize = paragraph.iter().map(|&(_, words)| words).sum();
            if !body.is_empty()
                && body.iter().all(|&(_, words)| words >= WRAPPED_MIN_WORDS)
                && total >= LONG_LINE_WORDS
                && ends_sentence(context.text(*last))
            {
                for flag in &mut wrapped[start..end] {
                    *flag = true;
                }
            }
        }
        start = end;
    }
    wrapped
}

/// The line ranges the `page-chrome` detector removes under `rule`;
/// `markers` are [`end_markers`].
pub(super) fn page_chrome(
    context: &Context,
    rule: &Rule,
    markers: &[bool],
    out: &mut Vec<Range<usize>>,
) {
    let document = context.document;
    // Non-blank lines in order, with their word counts.
    let lines: Vec<(usize, usize)> = document
        .lines
        .iter()
        .enumerate()
        .filter(|(_, line)| !matches!(line.kind, LineKind::Blank | LineKind::Markup))
        .map(|(index, _)| (index, page_words(context.text(index))))
        .collect();
    if lines.is_empty() || !context.in_position(&rule.conditions, lines[0].0) {
        return;
    }
    // Text and quote lines are scored; structure (lists, tables, code,
    // headings) is neutral, so it neither starts nor breaks a region.
    let wrapped = wrapped_prose(context, &lines);
    let weights: Vec<Weight> = lines
        .iter()
        .zip(&wrapped)
        .map(|(&(index, words), &wrapped)| {
            if !matches!(document.lines[index].kind, LineKind::Text | LineKind::Quote) {
                Weight::Neutral
            } else if wrapped || is_sentence_like(context.text(index), words) {
                Weight::Prose(words)
            } else {
                Weight::Short
            }
        })
        .collect();
    let (best, best_start, best_end) = best_run(&weights, 0..weights.len());
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
    let texts: Vec<(&str, usize)> = lines
        .iter()
        .map(|&(index, words)| (context.text(index), words))
        .collect();
    let prices =
        |range: &[(&str, usize)]| range.iter().filter(|&&(text, _)| is_price(text)).count();
    if prices(&texts[..best_start]) + prices(&texts[best_end + 1..]) >= GRID_MIN_PRICES {
        return;
    }
    let meta = repeated_meta(&texts, &weights, best_start, best_end);
    let marked = |position: usize| {
        meta.get(position).copied().unwrap_or(false)
            || lines
                .get(position)
                .is_some_and(|&(index, _)| markers.get(index).copied().unwrap_or(false))
    };
    let cut = [
        article_end(&weights, marked, best_start, best_end),
        teaser_tail(&weights, best_start, best_end),
    ]
    .into_iter()
    .flatten()
    .min();
    let spared_from = best_start.saturating_sub(SPARED_ABOVE);
    for (position, &(index, words)) in lines.iter().enumerate() {
        let after_end = cut.is_some_and(|cut| position >= cut);
        if (spared_from..=best_end).contains(&position) && !after_end {
            continue;
        }
        let line = &document.lines[index];
        if line.kind != LineKind::Text || line.protected {
            continue;
        }
        let text = context.text(index);
        let prose =
            wrapped.get(position).copied().unwrap_or(false) || is_sentence_like(text, words);
        let chrome = !prose && words <= CHROME_MAX_WORDS;
        let footer = position > best_end && words <= FOOTER_MAX_WORDS;
        if (chrome || footer || after_end) && passes_whole(rule, text) {
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

    /// Regression: a Wikipedia list page lost its table. The header after
    /// the table cut the article; the next pass found the region ending
    /// above the table and dropped it as footer.
    #[test]
    fn article_end_spares_a_table_the_next_pass_would_drop() {
        let with_rows = |rows: usize| {
            let mut weights = vec![Weight::Prose(200)];
            for _ in 0..rows {
                weights.extend([Weight::Short; 4]);
                weights.push(Weight::Prose(10));
            }
            let header = weights.len();
            weights.extend([Weight::Short; 4]);
            (weights, header)
        };
        let (weights, header) = with_rows(12);
        let last = weights.len() - 1;
        assert_eq!(article_end(&weights, |p| p == header, 0, last), None);
        let (weights, header) = with_rows(5);
        let last = weights.len() - 1;
        assert_eq!(
            article_end(&weights, |p| p == header, 0, last),
            Some(header)
        );
    }

    #[test]
    fn prices() {
        for yes in [
            "$973.93 - $1999.00",
            "$699.00",
            "from £12",
            "49,90 €",
            "¥ 1,200",
        ] {
            assert!(is_price(yes), "{yes:?}");
        }
        for no in [
            "$150 sam's cash offer",
            "13.4 mb",
            "1,914",
            "",
            "$",
            "price: $5",
        ] {
            assert!(!is_price(no), "{no:?}");
        }
    }

    #[test]
    fn meta_lines_and_shapes() {
        assert_eq!(shape("2 days ago at 07:52 am"), "# days ago at #:# am");
        assert_eq!(shape("rating: 36 votes"), "rating: # votes");
        for yes in [
            "october 21, 2025",
            "8 comments",
            "rating: 36 votes",
            "3 дня назад",
        ] {
            assert!(is_meta_like(yes), "{yes:?}");
        }
        for no in ["13.4 mb (-81%)", "1,914", "see all comments", "$499.00"] {
            assert!(!is_meta_like(no), "{no:?}");
        }
    }

    /// Weights and lines of a little page: `P` prose of 30 words, anything
    /// else a short line.
    fn page(lines: &[&'static str]) -> (Vec<(&'static str, usize)>, Vec<Weight>) {
        let texts = lines
            .iter()
            .map(|&t| (t, if t == "P" { 30 } else { count_words(t) }))
            .collect();
        let weights = lines
            .iter()
            .map(|&t| {
                if t == "P" {
                    Weight::Prose(30)
                } else {
                    Weight::Short
                }
            })
            .collect();
        (texts, weights)
    }

    #[test]
    fn repeated_meta_marks_the_first_record_of_a_comment_section() {
        let mut lines = vec!["P", "P", "P", "P"];
        for _ in 0..5 {
            lines.extend(["jane says", "2 days ago at 07:52 am", "P"]);
        }
        let (texts, weights) = page(&lines);
        let marks = repeated_meta(&texts, &weights, 0, lines.len() - 1);
        let marked: Vec<usize> = (0..marks.len()).filter(|&p| marks[p]).collect();
        assert_eq!(marked, vec![5]);
    }

    #[test]
    fn repeated_meta_spares_forums_and_lists_inside_articles() {
        // A forum: the dates run from the first post (one before the region).
        let mut forum = vec!["3 days ago at 09:00 am", "P"];
        for _ in 0..5 {
            forum.extend(["2 days ago at 07:52 am", "P"]);
        }
        let (texts, weights) = page(&forum);
        assert!(!repeated_meta(&texts, &weights, 1, forum.len() - 1).contains(&true));
        // Regression: a dated teaser list in the middle of a guide, with
        // more than 200 prose words of the guide after it.
        let mut guide = vec!["P", "P", "P"];
        for _ in 0..5 {
            guide.extend(["a guide title", "october 21, 2025"]);
        }
        guide.extend(["P"; 8]);
        let (texts, weights) = page(&guide);
        assert!(!repeated_meta(&texts, &weights, 0, guide.len() - 1).contains(&true));
        // Too few repeats.
        let mut few = vec!["P", "P"];
        for _ in 0..4 {
            few.extend(["8 comments", "P"]);
        }
        let (texts, weights) = page(&few);
        assert!(!repeated_meta(&texts, &weights, 0, few.len() - 1).contains(&true));
    }

    #[test]
    fn prose_runs_count_lines_and_words() {
        use Weight::{Neutral as N, Prose as P, Short as S};
        assert_eq!(
            prose_runs(&[P(10), P(20), S, P(5), N, P(1), P(2), P(3)]),
            vec![
                (2, 30),
                (2, 30),
                (0, 0),
                (1, 5),
                (0, 0),
                (3, 6),
                (3, 6),
                (3, 6)
            ]
        );
        assert!(prose_runs(&[]).is_empty());
    }

    #[test]
    fn teaser_tail_cases() {
        use Weight::{Prose as P, Short as S};
        let article = [P(40), P(35), P(30), P(45), P(40), P(30)];
        let teaser = [S, S, S, P(20)];
        let with = |parts: &[&[Weight]]| parts.concat();
        // (weights, expected cut)
        let cases: Vec<(Vec<Weight>, Option<usize>)> = vec![
            // An article, then four teasers (kicker, title, source, summary).
            (
                with(&[&article, &teaser, &teaser, &teaser, &teaser]),
                Some(6),
            ),
            // Three teasers are too few.
            (with(&[&article, &teaser, &teaser, &teaser]), None),
            // One short line per summary: subheadings and paragraphs.
            (
                with(&[&article, &[S, P(20), S, P(20), S, P(20), S, P(20)]]),
                None,
            ),
            // Two paragraphs in a row after the cut: the article goes on.
            (
                with(&[&article, &teaser, &teaser, &[S, P(30), P(30)], &teaser]),
                None,
            ),
            // No run of five paragraphs: a landing page of blurbs.
            (
                with(&[
                    &[P(40), P(35), S, P(30), P(45), S, P(40), P(30)],
                    &teaser,
                    &teaser,
                    &teaser,
                    &teaser,
                ]),
                None,
            ),
            // A run of five one-line blurbs (under 150 words) is no article.
            (
                with(&[&[P(20); 5], &teaser, &teaser, &teaser, &teaser]),
                None,
            ),
        ];
        for (weights, expected) in &cases {
            let last = weights.len() - 1;
            assert_eq!(teaser_tail(weights, 0, last), *expected, "{weights:?}");
        }
    }

    /// Precision: an article whose last sections are a subheading and one
    /// paragraph each keeps them (one short line per paragraph).
    #[test]
    fn teaser_tail_spares_an_article_with_short_sections() {
        use Weight::{Prose as P, Short as S};
        let mut weights = vec![P(60); 6];
        for _ in 0..6 {
            weights.extend([S, P(45)]);
        }
        let last = weights.len() - 1;
        assert_eq!(teaser_tail(&weights, 0, last), None);
    }

    /// Regression: on a landing page the cut made the next pass find the
    /// region elsewhere; a cut must leave the region's start where it is.
    #[test]
    fn teaser_tail_keeps_the_region_start() {
        use Weight::{Prose as P, Short as S};
        let mut weights = vec![P(60); 6];
        for _ in 0..4 {
            weights.extend([S, S, S, P(20)]);
        }
        let last = weights.len() - 1;
        assert_eq!(teaser_tail(&weights, 0, last), Some(6));
        // The same tail, in a region that starts after a stronger run.
        let mut page = vec![P(500), S, S, S, S, S, S, S, S, S, S];
        let start = page.len();
        page.extend(weights);
        let last = page.len() - 1;
        assert_eq!(teaser_tail(&page, start, last), None);
    }

    #[test]
    fn page_words_count_two_unspaced_characters_to_a_word() {
        // (text, words)
        let cases = [
            ("the council met on tuesday", 5),
            ("玉峰道路一路上雲氣山嵐", 6),
            ("トレンドマイクロ、公衆無線lanを安全に使う", 11),
            ("gps: n24 39 16.4", 4),
            ("", 0),
        ];
        for (text, words) in cases {
            assert_eq!(page_words(text), words, "{text:?}");
        }
    }

    /// Regression: on a Chinese blog page (readability `pixnet`) every
    /// headline of the sidebar and every comment of 15 characters counted as
    /// prose, and the region ran over the whole page.
    #[test]
    fn cjk_headlines_are_short_lines() {
        for text in [
            "[新竹新埔一日遊]新竹觀光&旅遊景點~~~柿餅加工廠",
            "日立グループとホンダが手を組んだev用中核部品の今後",
        ] {
            assert!(!is_sentence_like(text, page_words(text)), "{text:?}");
        }
    }

    /// Precision: a paragraph of a Chinese or Japanese article is still prose.
    #[test]
    fn cjk_paragraphs_are_prose() {
        for text in [
            "玉峰道路一路上雲氣山嵐滯留山頭，順路下切蜿蜒道路，來到美樹營地已是中午時分。",
            "トレンドマイクロは3月9日、wi-fi利用時の通信を暗号化し保護するアプリを発表した。",
        ] {
            assert!(is_sentence_like(text, page_words(text)), "{text:?}");
        }
    }

    /// A header before half of the prose ends the article when a run of
    /// paragraphs precedes it and the rest is records; not otherwise.
    #[test]
    fn article_end_early_header_cases() {
        use Weight::{Prose as P, Short as S};
        let article = [P(60); 6];
        let mut thread = vec![S];
        for _ in 0..12 {
            thread.extend([S, S, P(40)]);
        }
        let story = |first: &[Weight], rest: &[Weight]| [first, rest].concat();
        // (weights, header, expected cut)
        let cases: Vec<(Vec<Weight>, usize, Option<usize>)> = vec![
            // A comment thread that outweighs the story: the header ends it.
            (story(&article, &thread), 6, Some(6)),
            // No run of paragraphs before the header.
            (
                story(&[P(60), S, P(60), S, P(60), S, P(60), S, P(60)], &thread),
                9,
                None,
            ),
            // After the header, paragraphs run on: the article goes on.
            (
                story(
                    &article,
                    &[S, S, S, P(60), P(60), P(60), P(60), P(60), P(60), P(60)],
                ),
                6,
                None,
            ),
        ];
        for (weights, header, expected) in &cases {
            let last = weights.len() - 1;
            let cut = article_end(weights, |p| p == *header, 0, last);
            assert_eq!(cut, *expected, "{weights:?}");
        }
    }

    #[test]
    fn article_end_cases() {
        use Weight::{Neutral as N, Prose as P, Short as S};
        // (weights, marked positions, expected cut)
        let cases: &[(&[Weight], &[usize], Option<usize>)] = &[
            // A header after the article, then titles and dates: the end.
            (&[P(40), P(30), P(30), S, S, S, P(20), S], &[3], Some(3)),
            // No marker, no end.
            (&[P(40), P(30), P(30), S, S, S, P(20), S], &[], None),
            // A header before half of the prose: an inline teaser box.
            (&[P(20), S, S, S, P(40), P(40)], &[1], None),
            // "Read more" followed by prose: the article goes on.
            (
                &[P(40), P(30), P(30), S, P(30), P(40), P(25), S],
                &[3],
                None,
            ),
            // Lists count as short lines after the header.
            (&[P(60), P(50), S, N, N, P(10)], &[2], Some(2)),
            // The first confirmed marker wins.
            (
                &[P(60), P(50), S, P(40), P(30), P(20), S, S, S],
                &[2, 6],
                Some(6),
            ),
        ];
        for (weights, marks, expected) in cases {
            let last = weights.len() - 1;
            let cut = article_end(weights, |p| marks.contains(&p), 0, last);
            assert_eq!(cut, *expected, "{weights:?} marked {marks:?}");
        }
    }
}
