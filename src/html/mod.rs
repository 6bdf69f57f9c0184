//! HTML front end: decoding, parsing, structural rules, main content, the text
//! view and the output.
//!
//! [`Engine::clean_html`](crate::Engine::clean_html) takes a page's bytes
//! through these stages, each in its own module:
//!
//! 1. [`decode`]: the declared charset (or an explicit one) to text.
//! 2. [`dom`]: html5ever parses into `markup5ever_rcdom`, which is copied into a
//!    flat pre-order arena and torn down iteratively (no recursion anywhere, so
//!    deep nesting cannot overflow the stack); node and depth limits are checked.
//! 3. [`structure`]: `selector` rules from the packs remove elements (navigation,
//!    share bars, cookie banners, ...) and `keep` selectors protect them.
//! 4. [`extract`]: in [`crate::Mode::Aggressive`], the main content
//!    is chosen and everything outside it is page chrome.
//! 5. [`view`]: the text view, one line per block, with a map back to the tree;
//!    the ordinary text rules run on its kept lines, and each removed line takes
//!    out the smallest element whose text it covers.
//! 6. [`render`]: the cleaned HTML (html5ever's serializer), text or Markdown.
//!
//! Removal offsets (`start`, `end`, `line`) refer to the text view, which
//! [`Cleaned::text_view`](crate::Cleaned::text_view) returns with its cleaned
//! form; `element` names the removed element.

pub mod decode;
pub mod dom;
pub mod extract;
mod rawtext;
pub mod render;
pub mod select;
pub mod structure;
pub mod view;

use crate::error::Error;
use crate::report::{Cleaned, Removal};
use crate::rules::{Category, Mode, Scope};
use crate::{Engine, Format};
use dom::{NodeId, NodeKind, Tree, NONE};
use std::borrow::Cow;
use std::ops::Range;
use view::UNMARKED;

/// What `clean_html` returns as the cleaned text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HtmlOutput {
    /// The cleaned page, serialized as HTML.
    #[default]
    Html,
    /// Readable text: one line per block, blank lines between paragraphs.
    Text,
    /// Markdown.
    Markdown,
}

/// Options for cleaning HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HtmlOptions {
    /// The output form.
    pub output: HtmlOutput,
    /// An encoding label (`windows-1251`, `gbk`, ...) that overrides the page's declaration.
    pub encoding: Option<String>,
    /// Most element nodes accepted.
    pub max_nodes: usize,
    /// Deepest element nesting accepted.
    pub max_depth: usize,
}

impl Default for HtmlOptions {
    fn default() -> Self {
        HtmlOptions {
            output: HtmlOutput::Html,
            encoding: None,
            max_nodes: 2_000_000,
            max_depth: 100_000,
        }
    }
}

impl HtmlOptions {
    /// Default options with the given output.
    ///
    /// ```
    /// let options = deboil::HtmlOptions::with_output(deboil::HtmlOutput::Text);
    /// assert_eq!(options.max_depth, 100_000);
    /// ```
    pub fn with_output(output: HtmlOutput) -> Self {
        HtmlOptions {
            output,
            ..HtmlOptions::default()
        }
    }
}

/// Rule id of page chrome: what lies outside the main content (aggressive mode).
pub const CHROME_RULE: &str = "html.page-chrome";
/// Rule id of blocks inside the main content dropped as link lists, forms or widgets.
pub const BLOCK_RULE: &str = "html.boilerplate-block";

struct Mark {
    rule: String,
    category: Category,
    element: NodeId,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Owner {
    Kept,
    Mark(u32),
    Text(usize),
}

fn deactivate(active: &mut [bool], tree: &Tree, id: NodeId) {
    for a in &mut active[id..tree.end[id]] {
        *a = false;
    }
}

/// The characters of the content's roots less those of its dropped blocks
/// (a block inside another dropped block counts once).
fn content_chars(tree: &Tree, content: &extract::MainContent, stats: &[extract::Stats]) -> u32 {
    let total: u32 = content.roots.iter().map(|&r| stats[r].chars).sum();
    let mut dropped = content.dropped.clone();
    dropped.sort_unstable();
    let mut covered_until = 0;
    let mut removed = 0u32;
    for d in dropped {
        if d < covered_until {
            continue;
        }
        removed = removed.saturating_add(stats[d].chars);
        covered_until = tree.end[d];
    }
    total.saturating_sub(removed)
}

/// Readability's attempts: strict first, then without stripping unlikely
/// elements, then without conditional cleaning; the first with 500 characters
/// wins, else the longest. When even that is a crumb of the page (see
/// [`is_crumb`]), the whole body is the content.
fn choose_content(tree: &Tree, active: &[bool], stats: &[extract::Stats]) -> extract::MainContent {
    let mut best: Option<(u32, extract::MainContent)> = None;
    for (strip, clean) in [(true, true), (false, true), (false, false)] {
        let content = extract::main_content(tree, active, stats, strip, clean);
        let chars = content_chars(tree, &content, stats);
        if chars >= 500 {
            return content;
        }
        if best.as_ref().is_none_or(|(b, _)| chars > *b) {
            best = Some((chars, content));
        }
    }
    let (chars, best) = best.unwrap_or_default();
    if let Some(body) = tree.body() {
        if is_crumb(chars, stats[body].chars) {
            return extract::MainContent {
                roots: vec![body],
                dropped: Vec::new(),
            };
        }
    }
    best
}

/// Whether content of `content` characters is a crumb of a page of `page`
/// characters (after the structural rules): under 1000 characters and under a
/// tenth of the page. Listings, shops and forums (the page is its list of
/// items, all links) leave Readability only a teaser or a comment; the whole
/// page, less what the structural rules took, is then a better answer. Measured
/// on the wcxb set (aggressive, text): F1 0.836 -> 0.853 (20 such pages);
/// ratio 0.05 and 0.1 gave the same, 0.2 cost scrapinghub 0.005 F1; a
/// 500-character limit the same as 1000.
fn is_crumb(content: u32, page: u32) -> bool {
    content < 1000 && (content as u64) * 10 < page as u64
}

/// What cleaning HTML needs of an engine's rules, built once per engine: the
/// indexed selectors and the attribute filter.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    selectors: structure::Selectors,
    attrs: rawtext::AttrFilter,
}

impl Prepared {
    pub(crate) fn new(rules: &[crate::rules::Rule]) -> Prepared {
        Prepared {
            selectors: structure::Selectors::new(rules),
            attrs: attr_filter(rules),
        }
    }
}

/// The attributes the parse for text output keeps: those the cleaning itself
/// reads and those any selector rule names.
pub(crate) fn attr_filter(rules: &[crate::rules::Rule]) -> rawtext::AttrFilter {
    rawtext::AttrFilter::new(
        rules
            .iter()
            .filter_map(|rule| rule.selectors.as_ref())
            .flat_map(|list| list.selectors())
            .flat_map(|selector| &selector.compounds)
            .flat_map(|compound| &compound.attrs)
            .map(|attr| attr.name.as_str()),
    )
}

pub(crate) fn clean(
    engine: &Engine,
    bytes: &[u8],
    options: &HtmlOptions,
) -> Result<Cleaned<'static>, Error> {
    let limits = engine.limits();
    if bytes.len() > limits.max_input_bytes {
        return Err(Error::Limit {
            what: "input size in bytes",
            actual: bytes.len(),
            limit: limits.max_input_bytes,
        });
    }
    let (decoded, _) = decode::decode(bytes, options.encoding.as_deref())?;
    // Text output shows no script, style or SVG body, and reads few attributes:
    // the rest need not be tokenized.
    let page = match options.output {
        HtmlOutput::Html => Cow::Borrowed(decoded.as_ref()),
        HtmlOutput::Text | HtmlOutput::Markdown => {
            rawtext::for_text(&decoded, &engine.html_prepared().attrs)
        }
    };
    let tree = dom::parse(
        &page,
        dom::TreeLimits {
            max_nodes: options.max_nodes,
            max_depth: options.max_depth,
        },
    )?;
    let n = tree.len();
    let mut active = vec![true; n];
    for id in 0..n {
        let parent = tree.parent[id];
        active[id] = (parent == NONE || active[parent]) && !extract::is_skipped(&tree, id);
    }
    let rules = engine.rules();
    let counts = extract::text_counts(&tree, &active);
    let stats = extract::compute_with(&tree, &active, &counts);
    let structural = structure::apply_with(&tree, rules, &engine.html_prepared().selectors, &stats);
    let mut marks: Vec<Mark> = Vec::new();
    let mut mark_of = vec![UNMARKED; n];
    for &(node, rule) in &structural.removed {
        mark_of[node] = marks.len() as u32;
        marks.push(Mark {
            rule: rules[rule].id.clone(),
            category: rules[rule].category,
            element: node,
        });
        deactivate(&mut active, &tree, node);
    }
    if engine.mode() == Mode::Aggressive {
        let stats = extract::compute_with(&tree, &active, &counts);
        let content = choose_content(&tree, &active, &stats);
        mark_chrome(
            &tree,
            &active,
            &structural,
            &content,
            &mut marks,
            &mut mark_of,
        );
    }
    let view = view::build(&tree, &mark_of);

    // The text rules run on the lines no element rule took.
    let mut owner: Vec<Owner> = view
        .lines
        .iter()
        .map(|l| {
            if l.mark == UNMARKED {
                Owner::Kept
            } else {
                Owner::Mark(l.mark)
            }
        })
        .collect();
    let mut subset = String::with_capacity(view.text.len());
    let mut sub_lines: Vec<(usize, usize, usize)> = Vec::new();
    // Preformatted text is code or data, like a Markdown code block: no text rule sees it.
    for (index, line) in view.lines.iter().enumerate() {
        if line.mark == UNMARKED && line.kind != view::ViewKind::Pre {
            let start = subset.len();
            subset.push_str(&view.text[line.start..line.next]);
            sub_lines.push((start, start + (line.end - line.start), index));
        }
    }
    let text_pass = engine.clean_view(&subset);
    let mut spans: Vec<(Range<usize>, usize)> = Vec::new();
    for (r, removal) in text_pass.removals().iter().enumerate() {
        let first = sub_lines.partition_point(|&(_, text_end, _)| text_end <= removal.start);
        for &(start, text_end, index) in &sub_lines[first..] {
            if start >= removal.end {
                break;
            }
            if removal.scope == Scope::Span {
                let line = &view.lines[index];
                let from = line.start + (removal.start - start);
                let to = line.start + (removal.end.min(text_end) - start);
                if from < to {
                    spans.push((from..to, r));
                }
                break;
            }
            if text_end > start && owner[index] == Owner::Kept {
                owner[index] = Owner::Text(r);
            }
        }
    }

    // Removals, in view order, and what leaves the tree.
    let mut removed_nodes = vec![false; n];
    for mark in &marks {
        removed_nodes[mark.element] = true;
    }
    let mut removals: Vec<Removal> = Vec::new();
    let mut line_no = vec![0usize; view.lines.len()];
    let mut running = 1;
    for (index, line) in view.lines.iter().enumerate() {
        line_no[index] = running;
        running += line.next - line.end;
    }
    let mut index = 0;
    while index < view.lines.len() {
        let current = owner[index];
        if current == Owner::Kept {
            index += 1;
            continue;
        }
        let first = index;
        while index + 1 < view.lines.len() && owner[index + 1] == current {
            index += 1;
        }
        let last = index;
        index += 1;
        let start = view.lines[first].start;
        let end = view.lines[last].next;
        let (rule, category, scope, element) = match current {
            Owner::Mark(m) => {
                let mark = &marks[m as usize];
                (mark.rule.clone(), mark.category, Scope::Block, mark.element)
            }
            Owner::Text(r) => {
                let removal = &text_pass.removals()[r];
                let element =
                    remove_lines(&tree, &view, first..last + 1, &owner, &mut removed_nodes);
                (
                    removal.rule.clone(),
                    removal.category,
                    removal.scope,
                    element,
                )
            }
            Owner::Kept => continue,
        };
        removals.push(Removal {
            rule,
            category,
            scope,
            start,
            end,
            line: line_no[first],
            column: 1,
            text: view.text[start..end].to_string(),
            element: Some(tree.path(element)),
        });
    }
    // Removals after the last kept line take its blank separator with them.
    if let Some(kept) = owner.iter().rposition(|o| *o == Owner::Kept) {
        let line = &view.lines[kept];
        if line.next > line.end + 1 {
            if let Some(removal) = removals.iter_mut().find(|r| r.start == line.next) {
                removal.start = line.end + 1;
                removal.text = view.text[removal.start..removal.end].to_string();
            }
        }
    }
    let html_output = options.output == HtmlOutput::Html;
    if !html_output {
        for (range, r) in &spans {
            let removal = &text_pass.removals()[*r];
            let index = view.lines.partition_point(|l| l.next <= range.start);
            let Some(line) = view.lines.get(index) else {
                continue;
            };
            if owner[index] != Owner::Kept {
                continue;
            }
            let column = view.text[line.start..range.start].chars().count() + 1;
            removals.push(Removal {
                rule: removal.rule.clone(),
                category: removal.category,
                scope: Scope::Span,
                start: range.start,
                end: range.end,
                line: line_no[index],
                column,
                text: view.text[range.clone()].to_string(),
                element: Some(tree.path(if line.block == NONE { 0 } else { line.block })),
            });
        }
        removals.sort_by_key(|r| r.start);
    }
    let ranges: Vec<Range<usize>> = removals.iter().map(|r| r.start..r.end).collect();
    let cleaned_view = render::text(&view, &ranges);
    let output = match options.output {
        HtmlOutput::Html => render::html(&tree, &removed_nodes)?,
        HtmlOutput::Text => cleaned_view.clone(),
        HtmlOutput::Markdown => {
            let kept: Vec<bool> = owner.iter().map(|o| *o == Owner::Kept).collect();
            render::markdown(&view, &kept, |i| {
                let line = &view.lines[i];
                let mut text = String::new();
                let mut cursor = line.start;
                for (range, _) in spans
                    .iter()
                    .filter(|(r, _)| r.start >= line.start && r.end <= line.end)
                {
                    text.push_str(&view.text[cursor..range.start]);
                    cursor = range.end;
                }
                text.push_str(&view.text[cursor..line.end]);
                // Keep the list marker offset meaningful for the renderer.
                text
            })
        }
    };
    Ok(Cleaned::from_parts(
        Cow::Owned(decoded.into_owned()),
        output,
        removals,
        Format::Html,
    )
    .with_text_view(view.text, cleaned_view))
}

/// Marks everything outside the main content (and the blocks dropped inside it) as removed.
fn mark_chrome(
    tree: &Tree,
    active: &[bool],
    structural: &structure::Structural,
    content: &extract::MainContent,
    marks: &mut Vec<Mark>,
    mark_of: &mut [u32],
) {
    let Some(body) = tree.body() else {
        return;
    };
    if content.roots.is_empty() || content.roots.contains(&body) {
        return;
    }
    let n = tree.len();
    let mut holds = vec![false; n];
    for &root in &content.roots {
        let mut a = tree.parent[root];
        while a != NONE && !holds[a] {
            holds[a] = true;
            a = tree.parent[a];
        }
    }
    let mut is_root = vec![false; n];
    for &root in &content.roots {
        is_root[root] = true;
    }
    let push = |marks: &mut Vec<Mark>,
                mark_of: &mut [u32],
                node: NodeId,
                rule: &str,
                category: Category| {
        mark_of[node] = marks.len() as u32;
        marks.push(Mark {
            rule: rule.to_string(),
            category,
            element: node,
        });
    };
    let mut id = body + 1;
    while id < tree.end[body] {
        if !active[id] || is_root[id] || structural.kept[id] {
            id = tree.end[id];
            continue;
        }
        if holds[id] || structural.holds_kept[id] {
            id += 1;
            continue;
        }
        let visible = match &tree.kinds[id] {
            NodeKind::Element { .. } => true,
            NodeKind::Text(t) => !t.trim().is_empty(),
            _ => false,
        };
        if visible {
            push(marks, mark_of, id, CHROME_RULE, Category::Nav);
        }
        id = tree.end[id];
    }
    for &node in &content.dropped {
        if structural.kept[node] || structural.holds_kept[node] || mark_of[node] != UNMARKED {
            continue;
        }
        push(marks, mark_of, node, BLOCK_RULE, Category::Nav);
    }
}

/// Takes the lines `lines` (removed by one text rule) out of the tree: the
/// smallest element that holds them goes if they are all of its remaining text,
/// else only their text nodes. Returns the element the removal dominates (for
/// the report: the smallest holding element whose text is at least 80 % theirs).
fn remove_lines(
    tree: &Tree,
    view: &view::View,
    lines: Range<usize>,
    owner: &[Owner],
    removed: &mut [bool],
) -> NodeId {
    let first_line = &view.lines[lines.start];
    let last_node = view.lines[lines.end - 1].last;
    let removed_chars: u32 = view.lines[lines.clone()].iter().map(|l| l.chars).sum();
    let html = tree.body().map_or(0, |b| tree.parent[b]);
    let mut element = if first_line.block == NONE {
        html
    } else {
        first_line.block
    };
    while element != NONE && element != html && tree.end[element] <= last_node {
        element = tree.parent[element];
    }
    let remaining = |e: NodeId| -> u32 {
        let from = view.lines.partition_point(|l| l.first < e);
        view.lines[from..]
            .iter()
            .zip(&owner[from..])
            .take_while(|(l, _)| l.first < tree.end[e])
            .filter(|(_, o)| !matches!(o, Owner::Mark(_)))
            .map(|(l, _)| l.chars)
            .sum()
    };
    let covered = element != html && element != NONE && remaining(element) <= removed_chars;
    if covered {
        removed[element] = true;
    } else {
        for index in lines.clone() {
            let line = &view.lines[index];
            let nodes = line.first..line.last + 1;
            for (node, slot) in removed[nodes.clone()].iter_mut().enumerate() {
                if view.text_line[nodes.start + node] == index as u32 {
                    *slot = true;
                }
            }
        }
    }
    let mut dominated = element;
    loop {
        let parent = tree.parent[dominated];
        if parent == NONE || parent == html || tree.tag(parent).is_none() {
            break;
        }
        if tree.is(parent, &html5ever::local_name!("body")) {
            break;
        }
        if (remaining(parent) as f32) > removed_chars as f32 * 1.25 {
            break;
        }
        dominated = parent;
    }
    dominated
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_chars_counts_nested_drops_once() {
        let tree = dom::parse(
            "<body><div id=\"a\"><p>Kept text.</p><div id=\"b\">Dropped \
             <span id=\"c\">twice?</span></div></div></body>",
            dom::TreeLimits {
                max_nodes: 1_000,
                max_depth: 100,
            },
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let find = |id: &str| (0..tree.len()).find(|&i| tree.attr(i, "id") == Some(id));
        let (Some(a), Some(b), Some(c)) = (find("a"), find("b"), find("c")) else {
            panic!("ids not found");
        };
        let active = vec![true; tree.len()];
        let stats = extract::compute(&tree, &active);
        let content = extract::MainContent {
            roots: vec![a],
            // The unlikely pass appends inner blocks after the cleaned ones.
            dropped: vec![c, b],
        };
        assert_eq!(
            content_chars(&tree, &content, &stats),
            stats[a].chars - stats[b].chars
        );
    }

    #[test]
    fn crumb_is_short_and_a_small_share_of_the_page() {
        for (content, page, crumb) in [
            (200, 10_000, true),
            (999, 10_000, true),
            (1_000, 100_000, false),
            (200, 1_500, false),
            (0, 0, false),
            (0, 50, true),
        ] {
            assert_eq!(is_crumb(content, page), crumb, "{content} of {page}");
        }
    }

    #[test]
    fn listing_page_keeps_its_list_when_the_pick_is_a_crumb() {
        let items: String = (0..60)
            .map(|n| format!("<li><a href=\"/item/{n}\">Product number {n}, blue, large</a></li>"))
            .collect();
        let html = format!(
            "<body><div class=\"intro\"><p>Our best sellers, updated every hour of the day, \
             in every department.</p></div><div class=\"grid\"><ul>{items}</ul></div></body>"
        );
        let engine = Engine::builder()
            .mode(Mode::Aggressive)
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        let text = engine
            .clean_html(html.as_bytes(), &HtmlOptions::with_output(HtmlOutput::Text))
            .unwrap_or_else(|e| panic!("{e}"))
            .into_text();
        assert!(text.contains("Our best sellers"), "{text}");
        assert!(text.contains("Product number 59"), "{text}");
    }
}
