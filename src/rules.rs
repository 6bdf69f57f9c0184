//! Rule packs: the TOML format, its validation, and the ordered rule set.
//!
//! A pack is one TOML file with a header and `[[rule]]` tables; the format is
//! documented key by key in `rules/README.md`. Loading checks everything a
//! rule author can get wrong and reports it with the file, line, column and
//! rule id ([`PackError`]): a pack either loads whole or not at all.

use crate::document::Format;
use crate::error::{Location, PackError, PackErrorKind};
use crate::normalize::normalize;
use regex_syntax::hir::Hir;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use toml::Spanned;

mod line_regex;
pub(crate) use line_regex::{LineRegex, Use};

/// What kind of boilerplate a rule finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// Sign-up bonuses, referral offers, sponsored calls to action.
    Promo,
    /// Repost, copyright, not-investment-advice and liability notices.
    Disclaimer,
    /// "Get the app", "scan to download", store badges.
    AppBanner,
    /// Subscribe, join our channel, follow us.
    Newsletter,
    /// Share buttons and rows.
    Share,
    /// Breadcrumbs, menus, pagination.
    Nav,
    /// Counters, read times, dates and byline boilerplate.
    Meta,
    /// "Read more", "Related articles" and their link titles.
    Related,
    /// Cookie and consent notices.
    Cookie,
    /// Advertisement markers.
    Ad,
    /// Comment counters, reply forms, login prompts.
    Comments,
}

impl Category {
    /// Every category, in documentation order.
    pub const ALL: [Category; 11] = [
        Category::Promo,
        Category::Disclaimer,
        Category::AppBanner,
        Category::Newsletter,
        Category::Share,
        Category::Nav,
        Category::Meta,
        Category::Related,
        Category::Cookie,
        Category::Ad,
        Category::Comments,
    ];

    /// The category's name as written in packs and reports.
    pub fn name(self) -> &'static str {
        match self {
            Category::Promo => "promo",
            Category::Disclaimer => "disclaimer",
            Category::AppBanner => "app-banner",
            Category::Newsletter => "newsletter",
            Category::Share => "share",
            Category::Nav => "nav",
            Category::Meta => "meta",
            Category::Related => "related",
            Category::Cookie => "cookie",
            Category::Ad => "ad",
            Category::Comments => "comments",
        }
    }

    /// Parses a category name.
    pub fn from_name(name: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// What goes when a rule fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// The whole line.
    #[default]
    Line,
    /// The paragraph (in Markdown, a heading's whole section).
    Block,
    /// Only the sentence or clause around the match.
    Span,
    /// This line and everything after it.
    Tail,
}

impl Scope {
    /// The scope's name as written in packs and reports.
    pub fn name(self) -> &'static str {
        match self {
            Scope::Line => "line",
            Scope::Block => "block",
            Scope::Span => "span",
            Scope::Tail => "tail",
        }
    }
}

/// Whether a rule removes what it matches or protects it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// Remove.
    #[default]
    Remove,
    /// Protect: no removal touches a line a keep rule matched.
    Keep,
}

/// Where in the document a rule may fire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Position {
    /// Anywhere.
    #[default]
    Anywhere,
    /// Within the first `within` fraction (or `within_lines` lines) of the document.
    Head,
    /// Within the last `within` fraction (or `within_lines` lines) of the document.
    Tail,
    /// In the head or the tail.
    Edges,
}

/// Which cleaning modes enable a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// Precision first: what a content repository wants. Rules marked `default` run in both modes.
    #[default]
    Default,
    /// Whole-page text dumps: also page chrome. Rules marked `aggressive` run only in this mode.
    Aggressive,
}

impl Mode {
    /// The mode's name.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Default => "default",
            Mode::Aggressive => "aggressive",
        }
    }
}

/// Detectors: matchers written in code, for what a phrase or regex cannot see
/// (a line's neighbours, repetition, structure). Each is documented in
/// `rules/README.md`; a rule names one with `detector = "..."`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Detector {
    /// A short line of items joined by `/ | › » > · •` (a breadcrumb or menu row).
    Breadcrumb,
    /// A line that repeats the document's first line (the title printed twice).
    RepeatedTitle,
    /// A line or paragraph printed again later in the document.
    RepeatedLine,
    /// A line that is only a number or counter (`19`, `1.2K`, `👁 3,482`).
    BareCounter,
    /// The short link-title lines that follow a "Related / Read also" header.
    RelatedList,
    /// A run of short title-less lines (menus, footers) in the head or tail.
    MenuRun,
    /// A mega-menu group: a short header line echoed by the line after it
    /// with a prefix the rule's `regex` finds (`Tents` / `All Tents`), and
    /// the short lines that follow.
    MenuGroup,
    /// Short lines outside a whole page's article region (its densest run of prose),
    /// and what follows a related or comments header that ends the article.
    PageChrome,
}

impl Detector {
    /// Whether the rule's phrase and regex hits only mark candidates for the
    /// detector (which decides what goes), rather than removing their unit
    /// themselves.
    pub fn takes_hits(self) -> bool {
        matches!(self, Detector::MenuGroup)
    }

    /// The detector's name as written in packs.
    pub fn name(self) -> &'static str {
        match self {
            Detector::Breadcrumb => "breadcrumb",
            Detector::RepeatedTitle => "repeated-title",
            Detector::RepeatedLine => "repeated-line",
            Detector::BareCounter => "bare-counter",
            Detector::RelatedList => "related-list",
            Detector::MenuRun => "menu-run",
            Detector::MenuGroup => "menu-group",
            Detector::PageChrome => "page-chrome",
        }
    }
}

/// Examples a rule must (not) fire on; checked by `deboil rules test` and the test suite.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    /// Inputs the rule must remove something from.
    #[serde(default)]
    pub remove: Vec<String>,
    /// Inputs the rule must leave alone.
    #[serde(default)]
    pub keep: Vec<String>,
}

/// Conditions under which a match counts.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Conditions {
    /// The longest unit (line, or sentence for `span`) the rule fires on, in normalized characters.
    pub max_chars: Option<usize>,
    /// The longest unit the rule fires on, in words (each CJK character counts as one).
    pub max_words: Option<usize>,
    /// The share of the unit's characters the matches must cover (0..=1).
    pub min_coverage: Option<f64>,
    /// Where in the document.
    pub position: Position,
    /// Fraction of the document's non-blank lines that counts as head or tail.
    pub within: Option<f64>,
    /// Number of non-blank lines that counts as head or tail.
    pub within_lines: Option<usize>,
    /// Fire only in documents with at least this many non-blank lines (page
    /// chrome needs a page around it).
    pub min_document_lines: Option<usize>,
    /// Fire even inside quotation marks (by default a quoted match is not removed).
    pub allow_quoted: bool,
}

/// A validated rule.
#[derive(Debug, Clone, Serialize)]
pub struct Rule {
    /// Unique dotted id, e.g. `promo.signup-bonus`.
    pub id: String,
    /// Its category.
    pub category: Category,
    /// What it finds, for people.
    pub description: String,
    /// The pack it came from (the pack's `name`).
    pub pack: String,
    /// The file it came from.
    pub origin: String,
    /// Its line in that file.
    pub line: usize,
    /// Literal phrases as written.
    pub phrases: Vec<String>,
    /// Regexes as written.
    pub regex: Vec<String>,
    /// A code detector.
    pub detector: Option<Detector>,
    /// A structural selector (HTML only; text documents ignore the rule).
    pub selector: Option<String>,
    /// What goes when it fires.
    pub scope: Scope,
    /// Remove or keep.
    pub action: Action,
    /// When a match counts.
    pub conditions: Conditions,
    /// Phrases that veto the rule on a unit.
    pub unless: Vec<String>,
    /// Regexes that veto the rule on a unit.
    pub unless_regex: Vec<String>,
    /// Which mode enables it.
    pub mode: Mode,
    /// The input formats it runs on (empty: every format; an HTML page's text
    /// view counts as `html`).
    pub formats: Vec<Format>,
    /// Languages it is written for (empty: any).
    pub langs: Vec<String>,
    /// Its examples.
    pub examples: Examples,
    #[serde(skip)]
    pub(crate) normalized_phrases: Vec<String>,
    #[serde(skip)]
    pub(crate) regexes: Vec<RuleRegex>,
    #[serde(skip)]
    pub(crate) normalized_unless: Vec<String>,
    #[serde(skip)]
    pub(crate) unless_regexes: Vec<RuleRegex>,
    #[serde(skip)]
    pub(crate) selectors: Option<crate::html::select::SelectorList>,
}

/// What the matcher needs to skip the lines a regex cannot match.
#[derive(Debug, Clone)]
pub(crate) enum Prefilter {
    /// Every match starts (or ends) with one of these literals.
    Literals(Vec<Vec<u8>>),
    /// No useful literals: a cheaper regex that matches wherever this one does
    /// (see `matcher::relaxed`), whether every match starts at the line's start,
    /// and a set of bytes one of which every match holds (see `matcher::bytes`).
    Relaxed {
        hir: Hir,
        anchored: bool,
        required: Vec<crate::matcher::ByteSet>,
        /// For an anchored regex, the bytes a match can start with.
        starts: Option<crate::matcher::ByteSet>,
    },
}

/// A rule's regex. The caller's packs are compiled when they load, so that an
/// error names the pack; the built-in ones on first use (the test suite
/// compiles each of them), as most documents need only a few of them.
#[derive(Debug, Clone)]
pub(crate) struct RuleRegex {
    pattern: String,
    /// What the engine asks of it: a removal rule's matches, or an
    /// `unless_regex`'s yes or no.
    use_: Use,
    compiled: OnceLock<Option<LineRegex>>,
    /// Only for the regexes the matcher runs (not `unless_regex`).
    pub(crate) prefilter: Option<Prefilter>,
    /// What a line must hold for the regex to match on it, found on first use.
    needs: OnceLock<LineNeeds>,
}

/// What a line must hold for a regex to match on it; found from its syntax tree.
#[derive(Debug, Clone, Default)]
struct LineNeeds {
    /// Byte sets every match holds a byte of each of (see `matcher::bytes`).
    bytes: Vec<crate::matcher::ByteSet>,
    /// Literal sets every match holds a literal of each of (see `matcher::literals`).
    literals: Vec<crate::matcher::LiteralSet>,
}

impl RuleRegex {
    /// The compiled regex; `None` only for a built-in regex that does not compile,
    /// which the test suite rules out.
    pub(crate) fn regex(&self) -> Option<&LineRegex> {
        self.compiled
            .get_or_init(|| {
                LineRegex::new(
                    &self.pattern,
                    PackLimits::default().regex_size_limit,
                    self.use_,
                )
                .ok()
            })
            .as_ref()
    }

    /// Byte sets every match holds a byte of each of (see `matcher::bytes`): a line
    /// that misses one cannot match. Found from the syntax tree on first use.
    pub(crate) fn required_bytes(&self) -> &[crate::matcher::ByteSet] {
        &self.needs().bytes
    }

    fn needs(&self) -> &LineNeeds {
        self.needs.get_or_init(|| {
            let Ok(hir) = regex_syntax::parse(&self.pattern) else {
                return LineNeeds::default();
            };
            LineNeeds {
                bytes: match &self.prefilter {
                    Some(Prefilter::Relaxed { required, .. }) => required.clone(),
                    _ => crate::matcher::required_bytes(&hir),
                },
                literals: crate::matcher::required_literal_sets(&hir),
            }
        })
    }

    /// Whether `line` may hold a match, asked before the regex is first compiled:
    /// `false` when it misses a literal set every match holds one of, so a line
    /// that merely holds the prefilter's literal does not make it compile. Once
    /// compiled, the regex itself answers.
    pub(crate) fn may_match_before_compiling(&self, line: &str) -> bool {
        self.compiled.get().is_some() || self.literals_found_in(line)
    }

    /// Whether `line` holds a literal of each set every match holds one of.
    fn literals_found_in(&self, line: &str) -> bool {
        self.needs()
            .literals
            .iter()
            .all(|set| set.found_in(line.as_bytes()))
    }

    /// Whether the regex matches somewhere in `text`.
    pub(crate) fn is_match(&self, text: &str) -> bool {
        self.may_match_before_compiling(text) && self.regex().is_some_and(|r| r.is_match(text))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PackToml {
    name: String,
    #[serde(default)]
    description: String,
    category: Option<Category>,
    #[serde(default)]
    langs: Vec<String>,
    #[serde(default)]
    disable: Vec<Spanned<String>>,
    #[serde(default)]
    rule: Vec<Spanned<RuleToml>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleToml {
    id: Spanned<String>,
    category: Option<Category>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    phrases: Vec<Spanned<String>>,
    #[serde(default)]
    regex: Vec<Spanned<String>>,
    detector: Option<Detector>,
    selector: Option<Spanned<String>>,
    #[serde(default)]
    scope: Scope,
    #[serde(default)]
    action: Action,
    max_chars: Option<usize>,
    max_words: Option<usize>,
    min_coverage: Option<Spanned<f64>>,
    #[serde(default)]
    position: Position,
    within: Option<Spanned<f64>>,
    within_lines: Option<usize>,
    min_document_lines: Option<usize>,
    #[serde(default)]
    unless: Vec<Spanned<String>>,
    #[serde(default)]
    unless_regex: Vec<Spanned<String>>,
    #[serde(default)]
    allow_quoted: bool,
    #[serde(default)]
    mode: Mode,
    #[serde(default)]
    formats: Vec<Format>,
    langs: Option<Vec<String>>,
    #[serde(default)]
    examples: Examples,
    #[serde(default, rename = "override")]
    replace: bool,
}

/// Limits that keep an untrusted pack from exhausting time or memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PackLimits {
    /// Compiled size limit of one regex, in bytes (its NFA's, `meta::Config::nfa_size_limit`).
    pub regex_size_limit: usize,
    /// Total number of phrases over all packs.
    pub max_phrases: usize,
}

impl Default for PackLimits {
    fn default() -> Self {
        PackLimits {
            regex_size_limit: 2 * 1024 * 1024,
            max_phrases: 200_000,
        }
    }
}

/// A loaded pack's header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PackInfo {
    /// The pack's `name`.
    pub name: String,
    /// Its `description`.
    pub description: String,
    /// Where it came from.
    pub origin: String,
    /// Its default languages.
    pub langs: Vec<String>,
}

/// An ordered set of rules, built from packs in order.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    packs: Vec<PackInfo>,
    rules: Vec<Rule>,
    phrase_count: usize,
    limits: PackLimits,
}

struct PackContext<'s> {
    origin: &'s str,
    source: &'s str,
    /// Compile the regexes on first use (built-in packs).
    lazy: bool,
}

impl PackContext<'_> {
    fn error(
        &self,
        offset: usize,
        rule: Option<&str>,
        kind: PackErrorKind,
        message: String,
    ) -> PackError {
        PackError {
            location: Location::at(self.origin, self.source, offset),
            rule: rule.map(str::to_string),
            kind,
            message,
        }
    }
}

/// Checks a regex, rejecting ones that can match the empty string, and compiles it
/// with the pack limits unless `lazy`; `prefilter` for the regexes the matcher runs.
fn compile_regex(
    pattern: &str,
    limits: &PackLimits,
    lazy: bool,
    prefilter: bool,
) -> Result<RuleRegex, (PackErrorKind, String)> {
    let use_ = if prefilter { Use::Find } else { Use::Test };
    let compiled = OnceLock::new();
    if !lazy {
        let regex = LineRegex::new(pattern, limits.regex_size_limit, use_).map_err(|e| {
            (
                PackErrorKind::InvalidRegex,
                format!("invalid regex {pattern:?}: {e}"),
            )
        })?;
        compiled.get_or_init(|| Some(regex));
    }
    let parse = || {
        regex_syntax::parse(pattern).map_err(|e| {
            (
                PackErrorKind::InvalidRegex,
                format!("invalid regex {pattern:?}: {e}"),
            )
        })
    };
    // A built-in regex was checked, and its literals taken, when the crate was built.
    let built_in = if lazy {
        built_in_literals(pattern)
    } else {
        None
    };
    let prefilter = match built_in {
        Some(_) if !prefilter => None,
        Some(Some(literals)) => Some(Prefilter::Literals(
            literals.iter().map(|literal| literal.to_vec()).collect(),
        )),
        Some(None) => Some(relaxed_prefilter(&parse()?)),
        None => {
            let hir = parse()?;
            if hir.properties().minimum_len() == Some(0) {
                return Err((
                    PackErrorKind::EmptyMatchRegex,
                    format!(
                        "regex {pattern:?} can match the empty string, so it would fire everywhere"
                    ),
                ));
            }
            prefilter.then(|| match crate::matcher::required_literals(&hir) {
                Some(literals) => Prefilter::Literals(literals),
                None => relaxed_prefilter(&hir),
            })
        }
    };
    Ok(RuleRegex {
        pattern: pattern.to_string(),
        use_,
        compiled,
        prefilter,
        needs: OnceLock::new(),
    })
}

/// The prefilter literals the build script found for a built-in regex (`Some(None)`:
/// it has none); `None` if `pattern` is not one of the built-in packs' regexes.
fn built_in_literals(pattern: &str) -> Option<Option<&'static [&'static [u8]]>> {
    let regexes = crate::builtin::BUILTIN_REGEXES;
    let index = regexes
        .binary_search_by(|(built_in, _)| (*built_in).cmp(pattern))
        .ok()?;
    Some(regexes[index].1)
}

/// The prefilter of a regex without literals: its relaxed form.
fn relaxed_prefilter(hir: &regex_syntax::hir::Hir) -> Prefilter {
    let anchored = hir
        .properties()
        .look_set_prefix()
        .contains(regex_syntax::hir::Look::Start);
    Prefilter::Relaxed {
        anchored,
        hir: if anchored {
            crate::matcher::anchored_prefix(&crate::matcher::relaxed(hir))
        } else {
            crate::matcher::relaxed(hir)
        },
        required: crate::matcher::required_bytes(hir),
        starts: crate::matcher::first_bytes(hir).filter(|_| anchored),
    }
}

fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'))
        && !id.starts_with('.')
        && !id.ends_with('.')
}

impl RuleSet {
    /// An empty set with the given limits.
    pub fn with_limits(limits: PackLimits) -> RuleSet {
        RuleSet {
            packs: Vec::new(),
            rules: Vec::new(),
            phrase_count: 0,
            limits,
        }
    }

    /// The rules, in load order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The packs loaded, in order.
    pub fn packs(&self) -> &[PackInfo] {
        &self.packs
    }

    /// Consumes the set, giving its packs and rules.
    pub fn into_parts(self) -> (Vec<PackInfo>, Vec<Rule>) {
        (self.packs, self.rules)
    }

    /// Removes a rule by id; `false` if there is none.
    pub fn disable(&mut self, id: &str) -> bool {
        let before = self.rules.len();
        self.rules.retain(|r| r.id != id);
        before != self.rules.len()
    }

    /// Parses and validates one pack and adds its rules; `origin` names it in errors.
    ///
    /// ```
    /// let mut set = deboil::rules::RuleSet::default();
    /// set.add_pack("mine.toml", r#"
    /// name = "mine"
    /// [[rule]]
    /// id = "promo.mine"
    /// category = "promo"
    /// phrases = ["buy my course"]
    /// "#).unwrap();
    /// assert_eq!(set.rules()[0].id, "promo.mine");
    /// ```
    pub fn add_pack(&mut self, origin: &str, source: &str) -> Result<(), PackError> {
        self.add(origin, source, false)
    }

    /// [`RuleSet::add_pack`] for a built-in pack: its regexes are checked now and
    /// compiled on first use.
    pub(crate) fn add_builtin_pack(&mut self, origin: &str, source: &str) -> Result<(), PackError> {
        self.add(origin, source, true)
    }

    fn add(&mut self, origin: &str, source: &str, lazy: bool) -> Result<(), PackError> {
        let context = PackContext {
            origin,
            source,
            lazy,
        };
        let pack: PackToml = toml::from_str(source).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            let message = e.message().trim().to_string();
            context.error(offset, None, PackErrorKind::Syntax, message)
        })?;
        for id in &pack.disable {
            if !self.disable(id.get_ref()) {
                return Err(context.error(
                    id.span().start,
                    Some(id.get_ref()),
                    PackErrorKind::UnknownRule,
                    "`disable` names a rule that no earlier pack defines".to_string(),
                ));
            }
        }
        let mut added: Vec<Rule> = Vec::with_capacity(pack.rule.len());
        for spanned in pack.rule {
            let offset = spanned.span().start;
            let rule_toml = spanned.into_inner();
            let replace = rule_toml.replace;
            let id_offset = rule_toml.id.span().start;
            let rule = self.validate(
                &context,
                &pack.name,
                pack.category,
                &pack.langs,
                rule_toml,
                offset,
            )?;
            let id = rule.id.clone();
            if added.iter().any(|r| r.id == id) {
                return Err(context.error(
                    id_offset,
                    Some(&id),
                    PackErrorKind::DuplicateId,
                    "this id is used twice in the same pack".to_string(),
                ));
            }
            let existing = self.rules.iter().position(|r| r.id == id);
            match (existing, replace) {
                (Some(index), true) => {
                    self.phrase_count -= self.rules[index].normalized_phrases.len();
                    self.rules[index] = rule;
                    continue;
                }
                (Some(index), false) => {
                    let earlier = &self.rules[index];
                    return Err(context.error(
                        id_offset,
                        Some(&id),
                        PackErrorKind::DuplicateId,
                        format!(
                            "id already defined at {}:{}; write `override = true` to replace it",
                            earlier.origin, earlier.line
                        ),
                    ));
                }
                (None, true) => {
                    return Err(context.error(
                        id_offset,
                        Some(&id),
                        PackErrorKind::UnknownRule,
                        "`override = true` but no earlier pack defines this id".to_string(),
                    ));
                }
                (None, false) => added.push(rule),
            }
        }
        self.rules.extend(added);
        self.packs.push(PackInfo {
            name: pack.name,
            description: pack.description,
            origin: origin.to_string(),
            langs: pack.langs,
        });
        Ok(())
    }

    fn validate(
        &mut self,
        context: &PackContext,
        pack_name: &str,
        pack_category: Option<Category>,
        pack_langs: &[String],
        rule: RuleToml,
        offset: usize,
    ) -> Result<Rule, PackError> {
        let id = rule.id.get_ref().clone();
        let fail = |offset: usize, kind: PackErrorKind, message: String| {
            context.error(offset, Some(&id), kind, message)
        };
        if !is_valid_id(&id) {
            return Err(fail(
                rule.id.span().start,
                PackErrorKind::InvalidValue,
                "an id is lower-case ASCII letters, digits, `.`, `-` and `_`".to_string(),
            ));
        }
        let category = rule.category.or(pack_category).ok_or_else(|| {
            fail(
                offset,
                PackErrorKind::InvalidValue,
                "no `category` (set it on the rule or the pack)".to_string(),
            )
        })?;
        let has_text_matcher =
            !rule.phrases.is_empty() || !rule.regex.is_empty() || rule.detector.is_some();
        if !has_text_matcher && rule.selector.is_none() {
            return Err(fail(
                offset,
                PackErrorKind::NoMatcher,
                "a rule needs `phrases`, `regex`, `detector` or `selector`".to_string(),
            ));
        }
        let selectors = match &rule.selector {
            Some(_) if has_text_matcher => {
                return Err(fail(
                    offset,
                    PackErrorKind::InvalidValue,
                    "a `selector` rule cannot also have `phrases`, `regex` or `detector`"
                        .to_string(),
                ))
            }
            Some(selector) => {
                let parsed =
                    crate::html::select::SelectorList::parse(selector.get_ref()).map_err(|e| {
                        // The span starts at the opening quote of a basic string.
                        fail(
                            selector.span().start + 1 + e.offset,
                            PackErrorKind::InvalidSelector,
                            format!("invalid selector {:?}: {}", selector.get_ref(), e.message),
                        )
                    })?;
                Some(parsed)
            }
            None => None,
        };
        let mut normalized_phrases = Vec::with_capacity(rule.phrases.len());
        for phrase in &rule.phrases {
            let normalized = normalize(phrase.get_ref());
            if normalized.is_empty() {
                return Err(fail(
                    phrase.span().start,
                    PackErrorKind::EmptyPhrase,
                    format!("phrase {:?} is empty once normalized", phrase.get_ref()),
                ));
            }
            normalized_phrases.push(normalized);
        }
        self.phrase_count += normalized_phrases.len();
        if self.phrase_count > self.limits.max_phrases {
            return Err(fail(
                offset,
                PackErrorKind::Limit,
                format!("more than {} phrases in all packs", self.limits.max_phrases),
            ));
        }
        let compile_all =
            |patterns: &[Spanned<String>], prefilter: bool| -> Result<Vec<RuleRegex>, PackError> {
                patterns
                    .iter()
                    .map(|p| {
                        compile_regex(p.get_ref(), &self.limits, context.lazy, prefilter)
                            .map_err(|(kind, message)| fail(p.span().start, kind, message))
                    })
                    .collect()
            };
        let regexes = compile_all(&rule.regex, true)?;
        let unless_regexes = compile_all(&rule.unless_regex, false)?;
        let mut normalized_unless = Vec::with_capacity(rule.unless.len());
        for phrase in &rule.unless {
            let normalized = normalize(phrase.get_ref());
            if normalized.is_empty() {
                return Err(fail(
                    phrase.span().start,
                    PackErrorKind::EmptyPhrase,
                    format!(
                        "`unless` phrase {:?} is empty once normalized",
                        phrase.get_ref()
                    ),
                ));
            }
            normalized_unless.push(normalized);
        }
        let fraction =
            |value: &Option<Spanned<f64>>, key: &str| -> Result<Option<f64>, PackError> {
                match value {
                    Some(v) if !(0.0..=1.0).contains(v.get_ref()) => Err(fail(
                        v.span().start,
                        PackErrorKind::InvalidValue,
                        format!("`{key}` is a fraction between 0 and 1"),
                    )),
                    Some(v) => Ok(Some(*v.get_ref())),
                    None => Ok(None),
                }
            };
        let conditions = Conditions {
            max_chars: rule.max_chars,
            max_words: rule.max_words,
            min_coverage: fraction(&rule.min_coverage, "min_coverage")?,
            position: rule.position,
            within: fraction(&rule.within, "within")?,
            within_lines: rule.within_lines,
            min_document_lines: rule.min_document_lines,
            allow_quoted: rule.allow_quoted,
        };
        if conditions.position != Position::Anywhere
            && conditions.within.is_none()
            && conditions.within_lines.is_none()
        {
            return Err(fail(
                offset,
                PackErrorKind::InvalidValue,
                "`position` needs `within` (a fraction) or `within_lines`".to_string(),
            ));
        }
        Ok(Rule {
            id: id.clone(),
            category,
            description: rule.description,
            pack: pack_name.to_string(),
            origin: context.origin.to_string(),
            line: Location::at(context.origin, context.source, rule.id.span().start).line,
            phrases: rule.phrases.into_iter().map(Spanned::into_inner).collect(),
            regex: rule.regex.into_iter().map(Spanned::into_inner).collect(),
            detector: rule.detector,
            selector: rule.selector.map(Spanned::into_inner),
            scope: rule.scope,
            action: rule.action,
            conditions,
            unless: rule.unless.into_iter().map(Spanned::into_inner).collect(),
            unless_regex: rule
                .unless_regex
                .into_iter()
                .map(Spanned::into_inner)
                .collect(),
            mode: rule.mode,
            formats: rule.formats,
            langs: rule.langs.unwrap_or_else(|| pack_langs.to_vec()),
            examples: rule.examples,
            normalized_phrases,
            regexes,
            normalized_unless,
            unless_regexes,
            selectors,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(source: &str) -> Result<RuleSet, PackError> {
        let mut set = RuleSet::default();
        set.add_pack("user/pack.toml", source)?;
        Ok(set)
    }

    const HEADER: &str = "name = \"test\"\ncategory = \"promo\"\n";

    #[test]
    fn loads_a_complete_rule() {
        let set = load(&format!(
            "{HEADER}[[rule]]\nid = \"promo.x\"\ndescription = \"d\"\nphrases = [\"Sign Up\"]\nregex = ['\\d+ free']\nscope = \"span\"\nmax_words = 20\nposition = \"tail\"\nwithin = 0.3\nunless = [\"scam\"]\nexamples = {{ remove = [\"sign up\"], keep = [\"x\"] }}\n"
        ))
        .unwrap();
        let rule = &set.rules()[0];
        assert_eq!(rule.category, Category::Promo);
        assert_eq!(rule.normalized_phrases, vec!["sign up"]);
        assert_eq!(rule.scope, Scope::Span);
        assert_eq!(rule.conditions.position, Position::Tail);
        assert_eq!(rule.line, 4);
    }

    /// Each loading error names the file, the line and (where there is one) the rule.
    #[test]
    fn loading_errors_name_file_line_and_rule() {
        let cases: &[(&str, PackErrorKind, &str, Option<&str>)] = &[
            ("name = \"x\"\n[[rule]\n", PackErrorKind::Syntax, "user/pack.toml:2:", None),
            (
                "name = \"x\"\n[[rule]]\nid = \"a\"\ncategory = \"promo\"\nphrases = [\"p\"]\ncolour = 1\n",
                PackErrorKind::Syntax,
                "user/pack.toml:6:",
                None,
            ),
            (
                "name = \"x\"\n[[rule]]\nid = \"a\"\ncategory = \"spam\"\nphrases = [\"p\"]\n",
                PackErrorKind::Syntax,
                "user/pack.toml:4:",
                None,
            ),
            (
                "name = \"x\"\n[[rule]]\nid = \"a\"\ncategory = \"promo\"\nphrases = [\"p\"]\nscope = \"page\"\n",
                PackErrorKind::Syntax,
                "user/pack.toml:6:",
                None,
            ),
            (
                "name = \"x\"\n[[rule]]\nid = \"bad.regex\"\ncategory = \"promo\"\nregex = [\"(unclosed\"]\n",
                PackErrorKind::InvalidRegex,
                "user/pack.toml:5:",
                Some("bad.regex"),
            ),
            (
                "name = \"x\"\n[[rule]]\nid = \"empty.regex\"\ncategory = \"promo\"\nregex = [\"a*\"]\n",
                PackErrorKind::EmptyMatchRegex,
                "user/pack.toml:5:",
                Some("empty.regex"),
            ),
            (
                "name = \"x\"\n[[rule]]\nid = \"empty.phrase\"\ncategory = \"promo\"\nphrases = [\"ok\", \" \\u200B \"]\n",
                PackErrorKind::EmptyPhrase,
                "user/pack.toml:5:",
                Some("empty.phrase"),
            ),
            (
                "name = \"x\"\n[[rule]]\nid = \"dup\"\ncategory = \"promo\"\nphrases = [\"a\"]\n[[rule]]\nid = \"dup\"\ncategory = \"promo\"\nphrases = [\"b\"]\n",
                PackErrorKind::DuplicateId,
                "user/pack.toml:7:",
                Some("dup"),
            ),
            (
                "name = \"x\"\n[[rule]]\nid = \"none\"\ncategory = \"promo\"\n",
                PackErrorKind::NoMatcher,
                "user/pack.toml:2:",
                Some("none"),
            ),
            (
                "name = \"x\"\n[[rule]]\nid = \"pos\"\ncategory = \"promo\"\nphrases = [\"a\"]\nposition = \"head\"\n",
                PackErrorKind::InvalidValue,
                "user/pack.toml:2:",
                Some("pos"),
            ),
            (
                "name = \"x\"\n[[rule]]\nid = \"cov\"\ncategory = \"promo\"\nphrases = [\"a\"]\nmin_coverage = 1.5\n",
                PackErrorKind::InvalidValue,
                "user/pack.toml:6:",
                Some("cov"),
            ),
            (
                "name = \"x\"\ndisable = [\"no.such.rule\"]\n",
                PackErrorKind::UnknownRule,
                "user/pack.toml:2:",
                Some("no.such.rule"),
            ),
        ];
        for (source, kind, location, rule) in cases {
            let error = load(source)
                .err()
                .unwrap_or_else(|| panic!("no error for {source:?}"));
            let message = error.to_string();
            assert_eq!(error.kind, *kind, "{message}");
            assert!(
                message.starts_with(location),
                "{message:?} should start with {location:?}"
            );
            assert_eq!(error.rule.as_deref(), *rule, "{message}");
            if let Some(rule) = rule {
                assert!(message.contains(rule), "{message}");
            }
        }
    }

    #[test]
    fn invalid_regex_error_carries_the_regex_crate_message() {
        let error =
            load("name = \"x\"\n[[rule]]\nid = \"r\"\ncategory = \"ad\"\nregex = [\"[z-a]\"]\n")
                .unwrap_err();
        assert!(
            error.message.contains("invalid character class range"),
            "{}",
            error.message
        );
    }

    #[test]
    fn later_packs_override_or_disable() {
        let base = "name = \"base\"\n[[rule]]\nid = \"ad.marker\"\ncategory = \"ad\"\nphrases = [\"advertisement\"]\n[[rule]]\nid = \"ad.other\"\ncategory = \"ad\"\nphrases = [\"sponsored\"]\n";
        let mut set = RuleSet::default();
        set.add_pack("base.toml", base).unwrap();
        let duplicate = set
            .clone()
            .add_pack("user.toml", "name = \"u\"\n[[rule]]\nid = \"ad.marker\"\ncategory = \"ad\"\nphrases = [\"x\"]\n")
            .unwrap_err();
        assert_eq!(duplicate.kind, PackErrorKind::DuplicateId);
        assert!(
            duplicate.message.contains("base.toml:3"),
            "{}",
            duplicate.message
        );
        set.add_pack(
            "user.toml",
            "name = \"u\"\ndisable = [\"ad.other\"]\n[[rule]]\nid = \"ad.marker\"\noverride = true\ncategory = \"ad\"\nphrases = [\"anzeige\"]\n",
        )
        .unwrap();
        assert_eq!(set.rules().len(), 1);
        assert_eq!(set.rules()[0].phrases, vec!["anzeige"]);
        let unknown = set
            .add_pack("u2.toml", "name = \"u\"\n[[rule]]\nid = \"nope\"\noverride = true\ncategory = \"ad\"\nphrases = [\"x\"]\n")
            .unwrap_err();
        assert_eq!(unknown.kind, PackErrorKind::UnknownRule);
    }

    /// Every built-in pack, loaded as the engine loads them.
    fn built_in_set() -> RuleSet {
        let mut set = RuleSet::default();
        for (name, source) in crate::builtin_packs() {
            set.add_builtin_pack(name, source).unwrap();
        }
        set
    }

    /// The built-in regexes compile on first use: here each of them compiles, within
    /// the default size limit, as it would when the matcher first needs it.
    #[test]
    fn every_builtin_regex_compiles() {
        let set = built_in_set();
        let mut count = 0;
        for rule in set.rules() {
            for regex in rule.regexes.iter().chain(&rule.unless_regexes) {
                if let Err(error) = LineRegex::new(
                    &regex.pattern,
                    PackLimits::default().regex_size_limit,
                    regex.use_,
                ) {
                    panic!("{} ({}:{}): {error}", rule.id, rule.origin, rule.line);
                }
                assert!(regex.regex().is_some(), "{}", rule.id);
                count += 1;
            }
        }
        assert!(count > 100, "{count} regexes");
    }

    /// The literal sets a regex is checked against before it first compiles never
    /// turn away a line it matches: every line of every built-in rule's examples
    /// that one of the rule's regexes matches holds a literal of each of its sets.
    #[test]
    fn literal_sets_hold_on_every_example_line_a_built_in_regex_matches() {
        let set = built_in_set();
        let mut matched = 0;
        for rule in set.rules() {
            let examples = rule.examples.remove.iter().chain(&rule.examples.keep);
            let lines: Vec<String> = examples
                .flat_map(|example| example.lines())
                .map(crate::normalize::normalize)
                .collect();
            for regex in rule.regexes.iter().chain(&rule.unless_regexes) {
                for line in &lines {
                    if regex.regex().is_some_and(|r| r.is_match(line)) {
                        assert!(
                            regex.literals_found_in(line),
                            "{}: {} on {line:?}",
                            rule.id,
                            regex.pattern
                        );
                        matched += 1;
                    }
                }
            }
        }
        assert!(matched > 1000, "{matched} matching lines");
    }

    /// The build script's literals for the built-in regexes are the ones the loader
    /// would take from each regex itself, and a built-in pack loaded as a caller's
    /// pack (parsed at load) gets the same prefilters.
    #[test]
    fn built_in_literals_from_the_build_script_match_the_regexes() {
        let mut built_in = RuleSet::default();
        let mut parsed = RuleSet::default();
        for (name, source) in crate::builtin_packs() {
            built_in.add_builtin_pack(name, source).unwrap();
            parsed.add_pack(name, source).unwrap();
        }
        let literals = |regex: &RuleRegex| match &regex.prefilter {
            Some(Prefilter::Literals(literals)) => Some(literals.clone()),
            _ => None,
        };
        let mut count = 0;
        for (fast, slow) in built_in.rules().iter().zip(parsed.rules()) {
            for (a, b) in fast.regexes.iter().zip(&slow.regexes) {
                assert!(built_in_literals(&a.pattern).is_some(), "{}", fast.id);
                assert_eq!(literals(a), literals(b), "{}: {}", fast.id, a.pattern);
                assert_eq!(a.prefilter.is_some(), b.prefilter.is_some());
                count += 1;
            }
        }
        assert!(count > 100, "{count} regexes");
        assert!(built_in_literals("not a built-in (regex)").is_none());
    }

    #[test]
    fn phrase_limit_is_enforced() {
        let mut set = RuleSet::with_limits(PackLimits {
            max_phrases: 2,
            ..PackLimits::default()
        });
        let error = set
            .add_pack("p.toml", "name = \"x\"\n[[rule]]\nid = \"r\"\ncategory = \"ad\"\nphrases = [\"a\", \"b\", \"c\"]\n")
            .unwrap_err();
        assert_eq!(error.kind, PackErrorKind::Limit);
    }
}
