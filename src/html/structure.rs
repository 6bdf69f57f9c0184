//! Structural rules: which elements `selector` rules remove or keep.
//!
//! `keep` selectors win: an element inside a kept element, or holding one, is
//! never removed. A remove selector never takes `html` or `body`, nor an
//! element that holds more than half of the page's text (a `class` word on a
//! page wrapper is not a reason to drop the page), nor an element that
//! Readability would call a content candidate: a `class`/`id` with a content
//! word (`content-with-sidebar-wrp`) around paragraphs of prose.

use super::dom::{ElementRef, NodeId, NodeKind, Tree, NONE};
use super::extract::{
    is_skipped, Stats, CANDIDATE_MAX_LINK_DENSITY, CANDIDATE_MIN_CHARS, CANDIDATE_MIN_COMMAS,
    CANDIDATE_MIN_PARAGRAPHS,
};
use super::select::{Index, SelectorList};
use crate::rules::{Action, Category, Rule};
use html5ever::local_name;

/// The outcome of the structural rules.
#[derive(Debug, Clone, Default)]
pub struct Structural {
    /// Removed elements (outermost only) and the index of the rule that removed each.
    pub removed: Vec<(NodeId, usize)>,
    /// `kept[i]`: node `i` is inside an element a keep selector matched.
    pub kept: Vec<bool>,
    /// `holds_kept[i]`: a kept element is inside node `i`.
    pub holds_kept: Vec<bool>,
}

/// The keep and remove selectors of a rule set, indexed (once per engine).
#[derive(Debug, Clone, Default)]
pub(crate) struct Selectors {
    any_keep: bool,
    any_remove: bool,
    keep: Index,
    remove: Index,
}

impl Selectors {
    /// Indexes the selector rules among `rules`.
    pub(crate) fn new(rules: &[Rule]) -> Selectors {
        let with = |action: Action| -> Vec<(usize, &SelectorList)> {
            rules
                .iter()
                .enumerate()
                .filter(|(_, rule)| rule.action == action)
                .filter_map(|(r, rule)| rule.selectors.as_ref().map(|l| (r, l)))
                .collect()
        };
        let (keep, remove) = (with(Action::Keep), with(Action::Remove));
        Selectors {
            any_keep: !keep.is_empty(),
            any_remove: !remove.is_empty(),
            keep: Index::new(keep),
            remove: Index::new(remove),
        }
    }
}

/// Applies the selector rules among `rules` to `tree`; `stats` are the page's
/// statistics before any removal.
pub fn apply(tree: &Tree, rules: &[Rule], stats: &[Stats]) -> Structural {
    apply_with(tree, rules, &Selectors::new(rules), stats)
}

/// [`apply`] with the selectors of `rules` already indexed.
pub(crate) fn apply_with(
    tree: &Tree,
    rules: &[Rule],
    selectors: &Selectors,
    stats: &[Stats],
) -> Structural {
    let n = tree.len();
    let mut result = Structural {
        removed: Vec::new(),
        kept: vec![false; n],
        holds_kept: vec![false; n],
    };
    if !selectors.any_keep && !selectors.any_remove {
        return result;
    }
    let page_chars = tree.body().map_or(0, |b| stats[b].chars);
    let page_prose = tree.body().map_or(0, |b| stats[b].prose_chars());
    let list_of = |r: usize| rules.get(r).and_then(|rule| rule.selectors.as_ref());
    let keep_index = &selectors.keep;
    let remove_index = &selectors.remove;
    let mut scratch = String::new();
    if selectors.any_keep {
        let mut id = 0;
        while id < n {
            if !matches!(tree.kinds[id], NodeKind::Element { .. }) || is_skipped(tree, id) {
                id = if tree.tag(id).is_some() {
                    tree.end[id]
                } else {
                    id + 1
                };
                continue;
            }
            let element = ElementRef { tree, id };
            if keep_index
                .first_match(element, list_of, &mut scratch)
                .is_some()
            {
                for k in &mut result.kept[id..tree.end[id]] {
                    *k = true;
                }
                let mut a = tree.parent[id];
                while a != NONE && !result.holds_kept[a] {
                    result.holds_kept[a] = true;
                    a = tree.parent[a];
                }
                id = tree.end[id];
                continue;
            }
            id += 1;
        }
    }
    let mut id = 0;
    while id < n {
        let Some(tag) = tree.tag(id) else {
            id += 1;
            continue;
        };
        if is_skipped(tree, id) || result.kept[id] {
            id = tree.end[id];
            continue;
        }
        if matches!(*tag, local_name!("html") | local_name!("body")) || result.holds_kept[id] {
            id += 1;
            continue;
        }
        let big = page_chars > 0 && stats[id].chars > 500 && stats[id].chars * 2 > page_chars;
        let prose = stats[id].prose_chars();
        let holds_prose =
            prose >= MIN_PROSE_CHARS && prose * 2 > page_prose && !is_hidden(tree, id);
        if !big && !holds_prose && !is_content_candidate(tree, id, &stats[id]) {
            let element = ElementRef { tree, id };
            if let Some(rule) = remove_index.first_match(element, list_of, &mut scratch) {
                if !(rules[rule].category == Category::Ad && is_prose(&stats[id])) {
                    result.removed.push((id, rule));
                    id = tree.end[id];
                    continue;
                }
            }
        }
        id += 1;
    }
    result
}

/// Paragraph text outside links: what an article is made of. An element
/// holding more than half of the page's (and at least Readability's
/// `charThreshold`, 500 characters) is the article or wraps it, whatever its
/// class says (scrapinghub corpus: `and-w-sidebar`, `content-with-sidebar-wrp`
/// around the article, whose paragraphs' inline hover cards are links).
const MIN_PROSE_CHARS: u32 = 500;

/// Whether `id` is marked as never shown (`hidden`, `aria-hidden=true`, an
/// inline `display:none` or `visibility:hidden`): such an element holds no
/// article, however much prose it has (popups, dialogs).
fn is_hidden(tree: &Tree, id: NodeId) -> bool {
    if tree.attr(id, "hidden").is_some()
        || tree
            .attr(id, "aria-hidden")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    {
        return true;
    }
    tree.attr(id, "style").is_some_and(|style| {
        let style: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        style.contains("display:none") || style.contains("visibility:hidden")
    })
}

/// Paragraph prose with few links: an article section, not an ad slot,
/// whatever a class word says (trafilatura set: chip.de marks its review's
/// sections `TestReport__Section--Ads`, sections that may hold an ad; each is
/// one to seven paragraphs of 400 to 1,700 characters). Ad slots hold iframes,
/// images and short labels. Comment sections and cookie dialogs do hold prose,
/// so the guard is for ad selectors only.
fn is_prose(stats: &Stats) -> bool {
    stats.prose_chars() >= AD_GUARD_MIN_PROSE_CHARS
        && stats.link_density() < CANDIDATE_MAX_LINK_DENSITY
}

/// Three lines of a paragraph: more than an ad's label or teaser.
const AD_GUARD_MIN_PROSE_CHARS: u32 = 300;

/// Words of a `class` or `id` that mark a content container, from Readability's
/// `okMaybeItsACandidate` (`and|article|body|column|content|main|shadow`,
/// without `and`, which would match `brand` or `standard`).
const CONTENT_WORDS: [&str; 6] = ["article", "body", "column", "content", "main", "shadow"];

/// Whether element `id` is named like a content container and holds prose,
/// so a class word such as `sidebar` in `content-with-sidebar-wrp` must not
/// drop the article (scrapinghub corpus: an article inside such a wrapper).
fn is_content_candidate(tree: &Tree, id: NodeId, stats: &Stats) -> bool {
    let prose = stats.paragraphs >= CANDIDATE_MIN_PARAGRAPHS
        || (stats.chars >= CANDIDATE_MIN_CHARS && stats.commas >= CANDIDATE_MIN_COMMAS);
    if !prose || stats.link_density() >= CANDIDATE_MAX_LINK_DENSITY {
        return false;
    }
    ["class", "id"].iter().any(|name| {
        tree.attr(id, name).is_some_and(|value| {
            let value = value.to_ascii_lowercase();
            CONTENT_WORDS.iter().any(|word| value.contains(word))
        })
    })
}
