//! deboil finds boilerplate and disclaimers in text, Markdown and HTML, strips
//! them, and reports exactly what it removed.
//!
//! Scraped pages and committed content carry inserts that are not the content:
//! sign-up bonuses, "get the app" banners, breadcrumb trails, view counters,
//! share rows, newsletter and cookie prompts, related-link lists and long
//! repost disclaimers. deboil describes them with rules loaded from TOML packs
//! (the built-in ones are embedded; see `rules/README.md` for the format) and
//! removes what they match, in any language.
//!
//! # Data flow
//!
//! Every document takes one path, and no stage reaches back:
//!
//! 1. [`document`]: the input is cut into lines and blocks for its format;
//!    code, front matter and suppressed regions are marked protected.
//! 2. [`normalize`]: the visible text is folded (NFKC, case, spaces, quotes,
//!    zero-width characters) into one normalized view, with a map back to raw
//!    byte offsets.
//! 3. [`matcher`]: one Aho-Corasick automaton holds every phrase of every rule
//!    and the literals the regexes need; one scan of the view finds the phrases
//!    and marks the lines each regex runs on.
//! 4. [`decide`]: each hit's conditions are checked (length, coverage, position,
//!    vetoes, quotation marks), `keep` rules and detectors run, and accepted
//!    hits widen to their scope (line, block, tail, or one sentence).
//! 5. [`report`]: the removals, the cleaned text (the raw input minus exactly
//!    those byte ranges), a unified diff and a per-rule summary.
//!
//! # Main types
//!
//! [`Engine`] is built once from rule packs ([`EngineBuilder`]) and is
//! `Send + Sync`: share it between threads. [`Engine::clean`] returns a
//! [`Cleaned`] document.
//!
//! ```
//! use deboil::{Engine, Format};
//!
//! let engine = Engine::builtin();
//! let page = "Markets rallied on Friday as inflation cooled.\n\nGet $50 free to trade crypto when you sign up to Bybit now\n";
//! let cleaned = engine.clean(page, Format::Text)?;
//! assert_eq!(cleaned.text(), "Markets rallied on Friday as inflation cooled.\n");
//! assert_eq!(cleaned.removals()[0].rule, "promo.signup-bonus");
//! # Ok::<(), deboil::Error>(())
//! ```
//!
//! # The key trade-off
//!
//! Losing content is worse than leaving a crumb. Rules are lines-first and
//! conditional: a phrase that would be boilerplate on a short line is content
//! inside a long paragraph or between quotation marks, so every rule states the
//! unit it may remove and how much of that unit its match must be. Inline
//! removal (`span`) is reserved for sentences that are boilerplate on their own.
//! The default mode is precise; `aggressive` adds page-chrome heuristics for
//! whole-page text dumps.

#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod decide;
pub mod document;
pub mod error;
pub mod html;
pub mod matcher;
pub mod normalize;
pub mod report;
pub mod rules;

/// The README's examples run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/builtin_packs.rs"));
}

pub use document::Format;
pub use error::{Error, Location, PackError, PackErrorKind};
pub use html::{HtmlOptions, HtmlOutput};
pub use report::{Cleaned, DocumentReport, Removal, RuleSummary, REPORT_VERSION};
pub use rules::{Category, Mode, PackLimits, Rule, Scope};

use matcher::{Hit, Matcher};
use normalize::DocumentView;
use rules::{Action, RuleSet};
use std::borrow::Cow;
use std::ops::Range;
use std::path::Path;

/// Limits on input and rule packs, so hostile input costs bounded time and memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest input accepted by [`Engine::clean`], in bytes.
    pub max_input_bytes: usize,
    /// Lines longer than this (in bytes) are not matched (they pass through unchanged).
    pub max_line_bytes: usize,
    /// Texts larger than this (in bytes) are cleaned in blocks of about this size,
    /// cut between paragraphs ([`document::blocks`]): working memory stays one
    /// block's. Position conditions still measure the whole text; what a block
    /// cannot see is the rest of the text (a line repeated in another block, the
    /// page chrome around the whole).
    pub block_bytes: usize,
    /// Limits on rule packs.
    pub packs: PackLimits,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: usize::MAX,
            max_line_bytes: 1 << 20,
            block_bytes: BLOCK_BYTES,
            packs: PackLimits::default(),
        }
    }
}

/// A block of a large text, cleaned: where it lies, the lines before it (counted
/// for position, and all of them) and where its text and removals start in the
/// stitched result.
struct CleanedBlock {
    range: Range<usize>,
    lines_before: usize,
    newlines_before: usize,
    text_start: usize,
    removals_start: usize,
}

/// Default [`Limits::block_bytes`]: 1 MiB, ten times the largest document of the
/// development set and the corpus cases (104 KB), so none of them is cut. On the
/// benchmark's 200 MB single document, peak memory was 3.10x its size with 4 MiB
/// blocks, 2.95x with 1 MiB, 8.7x uncut (`--memory-child`).
const BLOCK_BYTES: usize = 1 << 20;

/// Most cleaning passes over one document (see `Engine::clean_parsed`).
const FIXPOINT_MAX_PASSES: usize = 64;
/// The passes after the first scan at most this many times the input's size in all.
const FIXPOINT_WORK_FACTOR: usize = 8;
/// Texts up to this many bytes are cleaned to a fixpoint (within the budget above);
/// every document of the development set and of the corpus cases is smaller.
const FIXPOINT_FULL_BYTES: usize = 256 * 1024;
/// A larger text gets a third or later pass only if the previous pass removed at
/// least this share of it (per mille). On the benchmark's 100 MB single document
/// (the corpus concatenated) the fixpoint took fifteen passes, the later ones each
/// removing a few counters or titles of one page inside it at the cost of a whole
/// pass: 27x the time of the 10 MB document. With 1 per mille it still took six
/// passes (14x); with 10, three (10x, `--clean-file` of the throughput bench).
const FIXPOINT_MIN_REMOVED_PER_MILLE: usize = 10;

/// Most words of a two-line paragraph matched again as one line: notices and
/// calls are a sentence or two (109 of the 138 built-in `max_words` limits lie
/// between 12 and 40 words; the longer ones are cookie notices and long
/// disclaimers).
const WRAPPED_NOTICE_MAX_WORDS: usize = 40;

/// Whether the fixpoint loop runs another pass over `text_len` bytes, after `passes`
/// passes of which the last removed `removed` bytes.
fn worth_another_pass(passes: usize, text_len: usize, removed: usize) -> bool {
    passes < 2
        || text_len <= FIXPOINT_FULL_BYTES
        || removed.saturating_mul(1000) >= text_len.saturating_mul(FIXPOINT_MIN_REMOVED_PER_MILLE)
}

/// The embedded rule packs: `(path under rules/, TOML text)`.
pub fn builtin_packs() -> &'static [(&'static str, &'static str)] {
    builtin::BUILTIN_PACKS
}

/// A compiled rule set, ready to clean documents. Cheap to share between threads.
#[derive(Debug, Clone)]
pub struct Engine {
    packs: Vec<rules::PackInfo>,
    rules: Vec<Rule>,
    dormant: Vec<Rule>,
    matcher: Matcher,
    mode: Mode,
    limits: Limits,
    html: std::sync::OnceLock<html::Prepared>,
}

/// Builds an [`Engine`] from the built-in packs and the caller's own.
///
/// ```
/// let engine = deboil::Engine::builder()
///     .add_pack("mine.toml", r#"
/// name = "mine"
/// [[rule]]
/// id = "promo.course"
/// category = "promo"
/// phrases = ["buy my course"]
/// max_words = 12
/// "#)
///     .disable("meta.bare-counter")
///     .build()?;
/// let cleaned = engine.clean("Hello.\nBuy my course today!\n", deboil::Format::Text)?;
/// assert_eq!(cleaned.text(), "Hello.\n");
/// # Ok::<(), deboil::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct EngineBuilder {
    builtin: bool,
    packs: Vec<(String, String)>,
    mode: Mode,
    disabled: Vec<String>,
    only: Option<Vec<Category>>,
    keep_phrases: Vec<String>,
    limits: Limits,
}

impl Default for EngineBuilder {
    fn default() -> Self {
        EngineBuilder {
            builtin: true,
            packs: Vec::new(),
            mode: Mode::Default,
            disabled: Vec::new(),
            only: None,
            keep_phrases: Vec::new(),
            limits: Limits::default(),
        }
    }
}

impl EngineBuilder {
    /// Whether to load the built-in packs first (default: yes).
    pub fn builtin(mut self, yes: bool) -> Self {
        self.builtin = yes;
        self
    }

    /// Adds a pack from its TOML text; `origin` names it in errors.
    pub fn add_pack(mut self, origin: &str, source: &str) -> Self {
        self.packs.push((origin.to_string(), source.to_string()));
        self
    }

    /// Adds a pack file, or every `*.toml` file directly inside a folder (sorted by name).
    pub fn add_path(mut self, path: impl AsRef<Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        let io_error = |source| Error::Io {
            path: path.display().to_string(),
            source,
        };
        let metadata = std::fs::metadata(path).map_err(io_error)?;
        let mut files = Vec::new();
        if metadata.is_dir() {
            for entry in std::fs::read_dir(path).map_err(io_error)? {
                let entry = entry.map_err(io_error)?;
                let file = entry.path();
                if file.extension().is_some_and(|e| e == "toml") && file.is_file() {
                    files.push(file);
                }
            }
            files.sort();
        } else {
            files.push(path.to_path_buf());
        }
        for file in files {
            let source = std::fs::read_to_string(&file).map_err(|source| Error::Io {
                path: file.display().to_string(),
                source,
            })?;
            self.packs.push((file.display().to_string(), source));
        }
        Ok(self)
    }

    /// The cleaning mode (default: [`Mode::Default`]).
    pub fn mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }

    /// Disables a rule by id; building fails if no pack defines it.
    pub fn disable(mut self, id: &str) -> Self {
        self.disabled.push(id.to_string());
        self
    }

    /// Keeps only removal rules of these categories.
    pub fn only(mut self, categories: &[Category]) -> Self {
        self.only = Some(categories.to_vec());
        self
    }

    /// Lines containing this phrase (normalized) are never removed.
    pub fn keep_phrase(mut self, phrase: &str) -> Self {
        self.keep_phrases.push(phrase.to_string());
        self
    }

    /// Sets the limits.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Loads, validates and compiles everything.
    pub fn build(self) -> Result<Engine, Error> {
        let mut set = RuleSet::with_limits(self.limits.packs);
        if self.builtin {
            for (name, source) in builtin_packs() {
                set.add_builtin_pack(&format!("builtin:{name}"), source)?;
            }
        }
        for (origin, source) in &self.packs {
            set.add_pack(origin, source)?;
        }
        for id in &self.disabled {
            if !set.disable(id) {
                return Err(PackError {
                    location: error::Location::file("--disable"),
                    rule: Some(id.clone()),
                    kind: PackErrorKind::UnknownRule,
                    message: "no pack defines this rule".to_string(),
                }
                .into());
            }
        }
        if !self.keep_phrases.is_empty() {
            let phrases: Vec<String> = self.keep_phrases.iter().map(|p| format!("{p:?}")).collect();
            let pack = format!(
                "name = \"config\"\n[[rule]]\nid = \"config.keep\"\ncategory = \"meta\"\naction = \"keep\"\nallow_quoted = true\ndescription = \"Lines with a configured keep phrase\"\nphrases = [{}]\n",
                phrases.join(", ")
            );
            set.add_pack("config:keep", &pack)?;
        }
        let (packs, all) = set.into_parts();
        let (rules, dormant): (Vec<Rule>, Vec<Rule>) = all.into_iter().partition(|rule| {
            let in_mode = rule.mode == Mode::Default || self.mode == Mode::Aggressive;
            let in_categories = rule.action == Action::Keep
                || self
                    .only
                    .as_ref()
                    .is_none_or(|only| only.contains(&rule.category));
            in_mode && in_categories
        });
        let mut engine = Engine::from_rules(rules, dormant, self.mode, self.limits)?;
        engine.packs = packs;
        Ok(engine)
    }
}

impl Engine {
    /// The engine with the built-in packs, default mode.
    ///
    /// The built-in packs are validated by the test suite, so this cannot fail
    /// in a released build.
    pub fn builtin() -> Engine {
        Engine::builder()
            .build()
            .expect("the built-in rule packs are valid (checked by the test suite)")
    }

    /// A builder, with the built-in packs enabled.
    pub fn builder() -> EngineBuilder {
        EngineBuilder::default()
    }

    fn from_rules(
        rules: Vec<Rule>,
        dormant: Vec<Rule>,
        mode: Mode,
        limits: Limits,
    ) -> Result<Engine, Error> {
        let matcher = Matcher::new(&rules).map_err(|e| {
            Error::from(PackError {
                location: error::Location::file("rules"),
                rule: None,
                kind: PackErrorKind::Limit,
                message: format!("the phrase automaton could not be built: {e}"),
            })
        })?;
        Ok(Engine {
            packs: Vec::new(),
            rules,
            dormant,
            matcher,
            mode,
            limits,
            html: std::sync::OnceLock::new(),
        })
    }

    /// The rules' HTML selectors and attribute filter, prepared on first use.
    pub(crate) fn html_prepared(&self) -> &html::Prepared {
        self.html.get_or_init(|| html::Prepared::new(&self.rules))
    }

    /// The packs loaded, in order.
    pub fn packs(&self) -> &[rules::PackInfo] {
        &self.packs
    }

    /// The active rules, in load order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The normalized phrases of the active rules, each once, in load order (what the
    /// phrase automaton searches for, `unless` phrases left out).
    ///
    /// ```
    /// let engine = deboil::Engine::builtin();
    /// assert!(engine.phrases().iter().all(|p| *p == deboil::normalize::normalize(p)));
    /// ```
    pub fn phrases(&self) -> Vec<&str> {
        let mut seen = std::collections::HashSet::new();
        self.rules
            .iter()
            .flat_map(|rule| rule.normalized_phrases.iter().map(String::as_str))
            .filter(|phrase| seen.insert(*phrase))
            .collect()
    }

    /// Every pattern the one automaton scans for, each once: the normalized phrases
    /// and `unless` phrases of the active rules and the literals that trigger their
    /// regexes (what a multi-pattern search tool would be given to find the same
    /// candidate lines). A pattern that is not whole UTF-8 is left out.
    ///
    /// ```
    /// let engine = deboil::Engine::builtin();
    /// let patterns = engine.scanned_patterns();
    /// assert!(patterns.len() >= engine.phrases().len());
    /// assert!(engine.phrases().iter().all(|phrase| patterns.contains(phrase)));
    /// ```
    pub fn scanned_patterns(&self) -> Vec<&str> {
        self.matcher
            .patterns()
            .iter()
            .filter_map(|pattern| std::str::from_utf8(pattern).ok())
            .collect()
    }

    /// Compiles every regex of the active rules now. Built-in regexes otherwise
    /// compile the first time a line could match them (about half a second for
    /// all of them, spread over the first documents); a long-lived engine, such
    /// as a scraper's, can call this once so that no document pays for it.
    ///
    /// ```
    /// let engine = deboil::Engine::builtin();
    /// engine.compile_all();
    /// assert!(engine.clean("Share this article\n", deboil::Format::Text).is_ok());
    /// ```
    pub fn compile_all(&self) {
        for rule in &self.rules {
            for regex in rule.regexes.iter().chain(&rule.unless_regexes) {
                regex.regex();
            }
            for regex in &rule.regexes {
                regex.required_bytes();
            }
        }
        self.matcher.compile_filters();
    }

    /// Rules that were loaded but are off (another mode, or outside `only`).
    pub fn dormant_rules(&self) -> &[Rule] {
        &self.dormant
    }

    /// A loaded rule (active or dormant) by id.
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().chain(&self.dormant).find(|r| r.id == id)
    }

    /// The mode this engine cleans in.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The limits in force.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Cleans one document.
    ///
    /// ```
    /// let engine = deboil::Engine::builtin();
    /// let cleaned = engine.clean("# Title\n\nText.\n\nShare on Facebook | X | Telegram\n", deboil::Format::Markdown)?;
    /// assert_eq!(cleaned.text(), "# Title\n\nText.\n");
    /// # Ok::<(), deboil::Error>(())
    /// ```
    pub fn clean<'a>(&self, input: &'a str, format: Format) -> Result<Cleaned<'a>, Error> {
        if input.len() > self.limits.max_input_bytes {
            return Err(Error::Limit {
                what: "input size in bytes",
                actual: input.len(),
                limit: self.limits.max_input_bytes,
            });
        }
        if format == Format::Html {
            let options = HtmlOptions {
                encoding: Some("utf-8".to_string()),
                ..HtmlOptions::default()
            };
            return self.clean_html(input.as_bytes(), &options);
        }
        Ok(self.clean_parsed(Cow::Borrowed(input), format, format))
    }

    /// Runs the text rules on an HTML page's text view.
    pub(crate) fn clean_view<'a>(&self, view: &'a str) -> Cleaned<'a> {
        self.clean_parsed(Cow::Borrowed(view), Format::Text, Format::Html)
    }

    /// Cleans to a fixpoint: removing lines can bring others into a head or tail
    /// window, join two short runs, or leave a paragraph that now repeats, so
    /// each pass runs on the previous pass's output until one removes nothing.
    /// Position windows shrink with the document, so the passes' sizes fall
    /// geometrically; the budget below bounds the total work anyway, and a large
    /// text stops once a pass removes next to nothing ([`worth_another_pass`]).
    fn clean_document(
        &self,
        input: &str,
        format: Format,
        source: Format,
        place: decide::Place,
    ) -> (String, Vec<Removal>) {
        let (mut text, mut removals, mut previous) =
            self.clean_pass(input, format, source, place, None);
        // The text the last pass cleaned (`None`: the input).
        let mut previous_text: Option<String> = None;
        let mut passes = 1;
        let mut budget = input.len().saturating_mul(FIXPOINT_WORK_FACTOR);
        let mut last_removed = input.len().saturating_sub(text.len());
        while passes < FIXPOINT_MAX_PASSES
            && text.len() < input.len()
            && text.len() <= budget
            && worth_another_pass(passes, text.len(), last_removed)
        {
            budget -= text.len();
            let cleaned_by_previous = previous_text.as_deref().unwrap_or(input);
            let (next_text, next_removals, next_previous) = self.clean_pass(
                &text,
                format,
                source,
                place,
                Some((previous, cleaned_by_previous)),
            );
            if next_removals.is_empty() {
                break;
            }
            removals = report::compose(input, removals, &next_removals);
            last_removed = text.len().saturating_sub(next_text.len());
            previous_text = Some(std::mem::replace(&mut text, next_text));
            previous = next_previous;
            passes += 1;
        }
        (text, removals)
    }

    /// Cleans `input`: at once up to [`Limits::block_bytes`], and beyond that block
    /// by block ([`document::blocks`]), each block's removals shifted to the
    /// input's offsets and lines, so a large text's working memory is one block's.
    fn clean_parsed<'a>(&self, input: Cow<'a, str>, format: Format, source: Format) -> Cleaned<'a> {
        if input.len() <= self.limits.block_bytes {
            let (text, removals) =
                self.clean_document(&input, format, source, decide::Place::default());
            return Cleaned::from_parts(input, text, removals, format);
        }
        let blocks = document::blocks(&input, format, self.limits.block_bytes);
        let counted: Vec<usize> = blocks
            .iter()
            .map(|block| {
                let parsed = document::Document::parse(&input[block.clone()], format);
                parsed
                    .lines
                    .iter()
                    .filter(|line| decide::counts_for_position(line.kind))
                    .count()
            })
            .collect();
        let total: usize = counted.iter().sum();
        let clean_block = |block: Range<usize>, lines_before: usize, newlines_before: usize| {
            let count: usize = blocks
                .iter()
                .zip(&counted)
                .filter(|(other, _)| other.start >= block.start && other.end <= block.end)
                .map(|(_, &count)| count)
                .sum();
            let place = decide::Place {
                lines_before,
                lines_after: total - lines_before - count,
                text_follows: block.end < input.len(),
            };
            let (text, mut removals) =
                self.clean_document(&input[block.clone()], format, source, place);
            for removal in &mut removals {
                removal.start += block.start;
                removal.end += block.start;
                removal.line += newlines_before;
            }
            (text, removals, count)
        };
        let mut text = String::with_capacity(input.len());
        let mut removals: Vec<Removal> = Vec::new();
        let mut done: Vec<CleanedBlock> = Vec::new();
        let (mut lines_before, mut newlines_before) = (0, 0);
        for block in &blocks {
            let (block_text, block_removals, count) =
                clean_block(block.clone(), lines_before, newlines_before);
            done.push(CleanedBlock {
                range: block.clone(),
                lines_before,
                newlines_before,
                text_start: text.len(),
                removals_start: removals.len(),
            });
            text.push_str(&block_text);
            removals.extend(block_removals);
            lines_before += count;
            newlines_before += memchr::memchr_iter(b'\n', input[block.clone()].as_bytes()).count();
        }
        // Blank lines trail only where the whole text ends: when the last block
        // keeps nothing, it is cleaned again with the one before it.
        while done.len() >= 2
            && done
                .last()
                .is_some_and(|last| last.text_start == text.len())
        {
            let (Some(last), Some(previous)) = (done.pop(), done.pop()) else {
                break;
            };
            text.truncate(previous.text_start);
            removals.truncate(previous.removals_start);
            let range = previous.range.start..last.range.end;
            let (block_text, block_removals, _) = clean_block(
                range.clone(),
                previous.lines_before,
                previous.newlines_before,
            );
            done.push(CleanedBlock { range, ..previous });
            text.push_str(&block_text);
            removals.extend(block_removals);
        }
        // A run of lines one rule removes across a cut reads as one removal, as uncut.
        let removals = report::merge_touching(removals);
        Cleaned::from_parts(input, text, removals, format)
    }

    /// One pass of the pipeline over `input` (parsed as `format`, from `source`). After
    /// the first pass, `previous` is the last pass and the text it cleaned: the lines it
    /// left as they were keep its normalized view and its hits. It is dropped once this
    /// pass has its hits, before the decisions and the output need memory.
    fn clean_pass(
        &self,
        input: &str,
        format: Format,
        source: Format,
        place: decide::Place,
        previous: Option<(PreviousPass, &str)>,
    ) -> (String, Vec<Removal>, PreviousPass) {
        let parsed = document::Document::parse(input, format);
        let same = previous
            .as_ref()
            .and_then(|(pass, raw)| pass.same_lines(raw, &parsed));
        let reuse = previous
            .as_ref()
            .zip(same.as_deref())
            .map(|((pass, _), same)| normalize::Reuse {
                view: &pass.view,
                lines: &pass.lines,
                same,
            });
        let view = DocumentView::reusing(&parsed, self.limits.max_line_bytes, reuse);
        let hits = match (&previous, &same) {
            (Some((pass, _)), Some(same)) => {
                pass.reuse_hits(&self.matcher, &self.rules, &view, same)
            }
            _ => self
                .matcher
                .find(&self.rules, &view.normalized, &view.lines),
        };
        drop(previous);
        drop(same);
        let mut outcome = {
            let context = decide::Context::new(&parsed, &view.normalized, &view.lines, &self.rules)
                .with_source(source)
                .with_place(place);
            decide::decide(&context, hits.clone())
        };
        if source != Format::Html {
            let wrapped = self.wrapped_notices(&parsed, &outcome, source);
            outcome.decisions.extend(wrapped);
        }
        let (text, removals) = report::assemble(&parsed, &outcome, &self.rules, place.text_follows);
        let removed = removals.iter().map(Removal::range).collect();
        let pass = PreviousPass::new(parsed, view, hits, removed);
        (text, removals, pass)
    }

    /// Removals of notices and calls wrapped over a paragraph of two lines neither
    /// of which a rule finds alone ("This article does not constitute" /
    /// "investment advice."): the two lines are matched again as one, and go
    /// when a line or span rule that holds anywhere in a document removes all of
    /// it. Only two-line paragraphs of plain text are tried where nothing else
    /// removed either line, or the second went whole (the first goes with it), the first stopping on a word and the second going on in lower case
    /// (or both in capitals), both together at most [`WRAPPED_NOTICE_MAX_WORDS`]
    /// words.
    fn wrapped_notices(
        &self,
        parsed: &document::Document,
        outcome: &decide::Outcome,
        source: Format,
    ) -> Vec<decide::Decision> {
        use document::LineKind;
        let lines = &parsed.lines;
        let mut touched = vec![false; lines.len()];
        let mut gone = vec![false; lines.len()];
        for decision in &outcome.decisions {
            match &decision.target {
                decide::Target::Lines(range) => {
                    let lines = range.start.min(lines.len())..range.end.min(lines.len());
                    for flag in &mut touched[lines.clone()] {
                        *flag = true;
                    }
                    for flag in &mut gone[lines] {
                        *flag = true;
                    }
                }
                decide::Target::Span { line, .. } => {
                    if let Some(flag) = touched.get_mut(*line) {
                        *flag = true;
                    }
                }
            }
        }
        let blank = |i: usize| i >= lines.len() || lines[i].kind == LineKind::Blank;
        // `outcome.protected` starts from the document's own protected lines.
        let text = |i: usize| {
            lines[i].kind == LineKind::Text && !outcome.protected.get(i).copied().unwrap_or(true)
        };
        let plain = |i: usize| text(i) && !touched[i];
        // The second line may already go whole: "INVESTMENT ADVICE." is found
        // alone, its opening "THIS ARTICLE DOES NOT CONSTITUTE" only with it. (A
        // fragment after a removed line is the continuations' to judge.)
        let taken = |i: usize| text(i) && gone[i];
        let mut found = Vec::new();
        for first in 0..lines.len().saturating_sub(1) {
            let second = first + 1;
            let pair = plain(first) && (plain(second) || taken(second));
            if !pair || !(first == 0 || blank(first - 1)) || !blank(second + 1) {
                continue;
            }
            let (above, below) = (
                parsed.line_text(first).trim(),
                parsed.line_text(second).trim(),
            );
            // The break is visibly inside a sentence: the second line goes on in
            // lower case (or a script without case), or both lines are capitals.
            let shouting = |text: &str| !text.chars().any(char::is_lowercase);
            let goes_on = below
                .chars()
                .find(|c| c.is_alphabetic())
                .is_some_and(|c| c.is_lowercase() || !c.is_uppercase())
                || (shouting(above) && shouting(below));
            if !goes_on
                || !above.chars().last().is_some_and(char::is_alphanumeric)
                || decide::count_words(above) + decide::count_words(below)
                    > WRAPPED_NOTICE_MAX_WORDS
            {
                continue;
            }
            let joined = format!("{above} {below}");
            let document = document::Document::parse(&joined, Format::Text);
            let view = DocumentView::new(&document, self.limits.max_line_bytes);
            let hits = self
                .matcher
                .find(&self.rules, &view.normalized, &view.lines);
            if hits.is_empty() {
                continue;
            }
            let context =
                decide::Context::new(&document, &view.normalized, &view.lines, &self.rules)
                    .with_source(source);
            let whole = decide::decide(&context, hits)
                .decisions
                .into_iter()
                .find(|decision| {
                    let rule = &self.rules[decision.rule];
                    let anywhere = rule.detector.is_none()
                        && rule.conditions.position == rules::Position::Anywhere
                        && rule.conditions.min_document_lines.is_none()
                        && matches!(rule.scope, rules::Scope::Line | rules::Scope::Span);
                    let all = match &decision.target {
                        decide::Target::Lines(range) => range.contains(&0),
                        decide::Target::Span { range, .. } => {
                            range.start == 0 && range.end >= joined.trim_end().len()
                        }
                    };
                    anywhere && all
                });
            if let Some(decision) = whole {
                let end = if gone[second] { second } else { second + 1 };
                found.push(decide::Decision {
                    rule: decision.rule,
                    target: decide::Target::Lines(first..end),
                });
            }
        }
        found
    }

    /// Cleans an HTML page given as bytes (decoded by its declared charset unless
    /// `options.encoding` says otherwise).
    ///
    /// In [`Mode::Default`] the structural rules (navigation, share bars, cookie
    /// banners, hidden elements, ...) and the text rules remove elements; in
    /// [`Mode::Aggressive`] everything outside the main content goes too.
    /// Removal offsets refer to the page's text view ([`Cleaned::text_view`]).
    ///
    /// ```
    /// use deboil::{Engine, HtmlOptions, HtmlOutput, Mode};
    ///
    /// let engine = Engine::builder().mode(Mode::Aggressive).build()?;
    /// let page = br#"<html><body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
    /// <article><h1>Rates hold</h1><p>The central bank kept rates unchanged on Friday, citing cooling inflation and a steady labour market.</p>
    /// <p>Get the BTCC app to start your crypto journey</p></article>
    /// <footer>(c) 2026 Example News</footer></body></html>"#;
    /// let options = HtmlOptions { output: HtmlOutput::Text, ..HtmlOptions::default() };
    /// let cleaned = engine.clean_html(page, &options)?;
    /// assert!(cleaned.text().contains("kept rates unchanged"));
    /// assert!(!cleaned.text().contains("BTCC"));
    /// assert!(!cleaned.text().contains("Home"));
    /// # Ok::<(), deboil::Error>(())
    /// ```
    pub fn clean_html(
        &self,
        bytes: &[u8],
        options: &HtmlOptions,
    ) -> Result<Cleaned<'static>, Error> {
        html::clean(self, bytes, options)
    }

    /// Runs every rule's `examples` (each rule alone, in its own mode) and
    /// returns the failures; empty means every example behaves.
    ///
    /// ```
    /// assert!(deboil::Engine::builtin().check_examples().is_empty());
    /// ```
    pub fn check_examples(&self) -> Vec<ExampleFailure> {
        let mut failures = Vec::new();
        for rule in self.rules.iter().chain(&self.dormant) {
            if rule.examples.remove.is_empty() && rule.examples.keep.is_empty() {
                continue;
            }
            let single =
                match Engine::from_rules(vec![rule.clone()], Vec::new(), rule.mode, self.limits) {
                    Ok(engine) => engine,
                    Err(error) => {
                        failures.push(ExampleFailure {
                            rule: rule.id.clone(),
                            example: String::new(),
                            expected: ExampleKind::Remove,
                            problem: error.to_string(),
                        });
                        continue;
                    }
                };
            let cases = rule
                .examples
                .remove
                .iter()
                .map(|e| (e, ExampleKind::Remove))
                .chain(rule.examples.keep.iter().map(|e| (e, ExampleKind::Keep)));
            for (example, expected) in cases {
                let text = if example.ends_with('\n') {
                    example.clone()
                } else {
                    format!("{example}\n")
                };
                let fired = if rule.selector.is_some() {
                    // A selector rule's examples are HTML snippets.
                    let options = HtmlOptions {
                        output: HtmlOutput::Text,
                        encoding: Some("utf-8".to_string()),
                        ..HtmlOptions::default()
                    };
                    single
                        .clean_html(example.as_bytes(), &options)
                        .map(|c| c.removals().iter().any(|r| r.rule == rule.id))
                        .unwrap_or(false)
                } else {
                    let cleaned =
                        single.clean_parsed(Cow::Borrowed(&text), Format::Text, Format::Text);
                    cleaned.removals().iter().any(|r| r.rule == rule.id)
                };
                let problem = match (expected, fired) {
                    (ExampleKind::Remove, false) => Some("the rule did not fire".to_string()),
                    (ExampleKind::Keep, true) => Some("the rule removed something".to_string()),
                    _ => None,
                };
                if let Some(problem) = problem {
                    failures.push(ExampleFailure {
                        rule: rule.id.clone(),
                        example: example.clone(),
                        expected,
                        problem,
                    });
                }
            }
        }
        failures
    }
}

/// What a cleaning pass hands the next one: its document's lines, its normalized
/// view and hits, and the byte ranges it removed. The next pass's input is this
/// pass's minus those ranges, so most of its lines are lines of this one, unchanged.
struct PreviousPass {
    lines: Vec<document::Line>,
    pieces: Vec<document::Piece>,
    view: DocumentView,
    /// Sorted by line; within a line, in the matcher's order.
    hits: Vec<Hit>,
    /// `hits[first_hit[line]..first_hit[line + 1]]` are the line's hits.
    first_hit: Vec<usize>,
    /// Raw byte ranges this pass removed, by start.
    removed: Vec<Range<usize>>,
}

impl PreviousPass {
    fn new(
        parsed: document::Document,
        view: DocumentView,
        mut hits: Vec<Hit>,
        mut removed: Vec<Range<usize>>,
    ) -> PreviousPass {
        hits.sort_by_key(|h| h.line);
        removed.sort_by_key(|r| r.start);
        let line_count = view.lines.len();
        let mut first_hit = Vec::with_capacity(line_count + 1);
        let mut next = 0;
        for line in 0..=line_count {
            while next < hits.len() && hits[next].line < line {
                next += 1;
            }
            first_hit.push(next);
        }
        PreviousPass {
            lines: parsed.lines,
            pieces: parsed.pieces,
            view,
            hits,
            first_hit,
            removed,
        }
    }

    /// For each line of `document` (this pass's input `raw` less what it removed), the
    /// line of this pass it repeats: same raw text, kind, protection and visible
    /// pieces, so the same normalized text and hits. `None` when the lines do not
    /// line up (then nothing is reused).
    fn same_lines(&self, raw: &str, document: &document::Document) -> Option<Vec<Option<usize>>> {
        let removed = &self.removed;
        // The lines of this pass that survive, and whether their text is untouched.
        let mut survivors = Vec::with_capacity(document.lines.len());
        let mut next_range = 0;
        for (index, line) in self.lines.iter().enumerate() {
            while removed.get(next_range).is_some_and(|r| r.end <= line.start) {
                next_range += 1;
            }
            let range = removed.get(next_range);
            let gone = range.is_some_and(|r| r.start <= line.start && r.end >= line.next);
            if !gone {
                survivors.push((index, range.is_none_or(|r| r.start >= line.end)));
            }
        }
        if survivors.len() != document.lines.len() {
            return None;
        }
        let same = document
            .lines
            .iter()
            .zip(survivors)
            .map(|(line, (old_index, untouched))| {
                let old = &self.lines[old_index];
                let shift = |at: usize| (at - line.start) as isize;
                let pieces_match = {
                    let new_pieces = &document.pieces[line.pieces.clone()];
                    let old_pieces = &self.pieces[old.pieces.clone()];
                    new_pieces.len() == old_pieces.len()
                        && new_pieces.iter().zip(old_pieces).all(|(a, b)| {
                            a.break_before == b.break_before
                                && shift(a.range.start) == (b.range.start - old.start) as isize
                                && a.range.len() == b.range.len()
                        })
                };
                let repeats = untouched
                    && line.kind == old.kind
                    && line.protected == old.protected
                    && pieces_match
                    && raw.get(old.start..old.end) == document.raw.get(line.start..line.end);
                repeats.then_some(old_index)
            })
            .collect();
        Some(same)
    }

    /// The hits in `view`: a line that repeats a line of this pass (`same`) takes its
    /// hits from here (a line's hits depend on its text alone), the others are matched.
    fn reuse_hits(
        &self,
        matcher: &Matcher,
        rules: &[Rule],
        view: &DocumentView,
        same: &[Option<usize>],
    ) -> Vec<Hit> {
        let selected: Vec<bool> = view
            .lines
            .iter()
            .zip(same)
            .map(|(range, old)| old.is_none() && !range.is_empty())
            .collect();
        let mut fresh =
            matcher.find_selected(rules, &view.normalized, &view.lines, Some(&selected));
        fresh.sort_by_key(|h| h.line);
        let mut fresh = fresh.into_iter().peekable();
        let mut hits = Vec::with_capacity(self.hits.len());
        for (line, (range, old)) in view.lines.iter().zip(same).enumerate() {
            match *old {
                Some(old) if !range.is_empty() => {
                    let (old_start, new_start) = (self.view.lines[old].start, range.start);
                    let found = &self.hits[self.first_hit[old]..self.first_hit[old + 1]];
                    hits.extend(found.iter().map(|h| Hit {
                        line,
                        range: h.range.start - old_start + new_start
                            ..h.range.end - old_start + new_start,
                        ..h.clone()
                    }));
                }
                _ => {
                    while let Some(hit) = fresh.next_if(|h| h.line == line) {
                        hits.push(hit);
                    }
                }
            }
        }
        hits
    }
}

/// Whether an example is one to remove or one to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ExampleKind {
    /// The rule must fire.
    Remove,
    /// The rule must not fire.
    Keep,
}

/// A rule example that did not behave.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ExampleFailure {
    /// The rule's id.
    pub rule: String,
    /// The example text.
    pub example: String,
    /// What was expected.
    pub expected: ExampleKind,
    /// What happened instead.
    pub problem: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A text of `paragraphs` paragraphs, every fifth a call to action, none repeated.
    fn long_text(paragraphs: usize) -> String {
        let mut text = String::from("Accept all cookies\n\n");
        for i in 0..paragraphs {
            if i % 5 == 4 {
                text.push_str(&format!(
                    "Get the BTCC app to start your crypto journey {i}\n\n"
                ));
            } else {
                text.push_str(&format!(
                    "Paragraph {i} of the report says the harbour reopened after the storm.\n\n"
                ));
            }
            if i == paragraphs / 2 {
                // An edge rule's line in the middle stays: position is the whole text's.
                text.push_str("Accept all cookies\n\n");
            }
        }
        text.push_str("Accept all cookies\n");
        text
    }

    #[test]
    fn a_text_cleaned_in_blocks_gives_what_it_gives_at_once() {
        let limits = Limits {
            block_bytes: 500,
            ..Limits::default()
        };
        let engine = Engine::builder().limits(limits).build().expect("engine");
        let text = long_text(200);
        // Without a last terminator, the last kept line's goes with the removed end.
        let unterminated = text.trim_end().to_string();
        for (text, format) in [
            (&text, Format::Text),
            (&unterminated, Format::Text),
            (&text, Format::Markdown),
        ] {
            assert!(crate::document::blocks(text, format, 500).len() > 10);
            let at_once = Engine::builtin().clean(text, format).expect("clean");
            let in_blocks = engine.clean(text, format).expect("clean");
            assert_eq!(in_blocks.text(), at_once.text());
            assert_eq!(in_blocks.removals(), at_once.removals());
            // The edge rule took the first and last lines, not the middle one.
            assert_eq!(at_once.removals().len(), 40 + 2, "{:?}", at_once.removals());
            assert!(!at_once.text().starts_with("Accept all cookies"));
            assert!(at_once.text().contains("\nAccept all cookies\n"));
            for removal in in_blocks.removals() {
                assert_eq!(&text[removal.range()], removal.text);
                // A blank line tidied away before the removed text does not count.
                let tidied =
                    removal.text.len() - removal.text.trim_start_matches(['\r', '\n']).len();
                let line = text[..removal.start + tidied].matches('\n').count() + 1;
                assert_eq!(removal.line, line, "{removal:?}");
            }
        }
    }

    #[test]
    fn engine_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Engine>();
    }

    #[test]
    fn a_notice_wrapped_over_two_lines_neither_of_which_matches_alone_goes() {
        let engine = Engine::builtin();
        let cases = [
            // (document, expected)
            (
                "Prices fell on Monday.\n\nThis article does not constitute\ninvestment advice.\n\nThe end.\n",
                "Prices fell on Monday.\n\nThe end.\n",
            ),
            (
                "Prices fell on Monday.\n\nTHIS ARTICLE DOES NOT CONSTITUTE\nINVESTMENT ADVICE.\n\nThe end.\n",
                "Prices fell on Monday.\n\nThe end.\n",
            ),
            // A second line that starts a sentence of its own is not a wrap.
            (
                "Prices fell on Monday.\n\nThis article does not constitute\nInvestment advice is what the fund sells.\n",
                "Prices fell on Monday.\n\nThis article does not constitute\nInvestment advice is what the fund sells.\n",
            ),
            // Two lines inside a longer paragraph are not a paragraph of two lines.
            (
                "The fund said this article does not constitute\ninvestment advice, a claim\nthe court rejected.\n",
                "The fund said this article does not constitute\ninvestment advice, a claim\nthe court rejected.\n",
            ),
        ];
        for (document, expected) in cases {
            let cleaned = engine.clean(document, Format::Text).expect("clean");
            assert_eq!(cleaned.text(), expected, "{document}");
        }
    }

    /// A pass that takes the previous pass's hits gives what a pass from scratch gives.
    #[test]
    fn reused_hits_change_nothing() {
        for mode in [Mode::Default, Mode::Aggressive] {
            let engine = Engine::builder().mode(mode).build().expect("engine");
            let phrases = engine.phrases();
            let mut documents = matcher::tests::documents();
            for seed in 1..=12 {
                documents.push((matcher::tests::generated(seed, &phrases), Format::Text));
            }
            for (raw, format) in &documents {
                let (mut text, _, mut previous) =
                    engine.clean_pass(raw, *format, *format, decide::Place::default(), None);
                let mut cleaned_by_previous = raw.clone();
                for _ in 0..3 {
                    let (fresh_text, fresh_removals, _) =
                        engine.clean_pass(&text, *format, *format, decide::Place::default(), None);
                    let (reused_text, reused_removals, next) = engine.clean_pass(
                        &text,
                        *format,
                        *format,
                        decide::Place::default(),
                        Some((previous, &cleaned_by_previous)),
                    );
                    assert_eq!(fresh_text, reused_text, "{raw}");
                    assert_eq!(fresh_removals, reused_removals, "{raw}");
                    cleaned_by_previous = std::mem::replace(&mut text, reused_text);
                    previous = next;
                }
            }
        }
    }

    /// The one large document of the scaling benchmark took fifteen passes, one counter
    /// at a time; small documents still go to their fixpoint.
    #[test]
    fn large_text_stops_when_a_pass_removes_next_to_nothing() {
        let small = FIXPOINT_FULL_BYTES;
        let large = 100 * FIXPOINT_FULL_BYTES;
        let cases = [
            // (passes so far, text bytes, bytes the last pass removed, another pass?)
            (1, large, 0, true),
            (2, small, 1, true),
            (2, large, large / 100, true),
            (2, large, large / 100 - 1, false),
            (5, large, 10, false),
        ];
        for (passes, text, removed, expected) in cases {
            assert_eq!(
                worth_another_pass(passes, text, removed),
                expected,
                "{passes} passes, {text} bytes, {removed} removed"
            );
        }
    }
}
