//! Per-node statistics and the choice of the main content.
//!
//! Statistics are summed bottom-up in one reverse pass over the pre-order
//! arena (children come after their parent, so a reverse loop sees every child
//! first): visible characters, characters inside links, commas, paragraphs,
//! list items, images and form inputs.
//!
//! The main content is chosen the way Readability does it: every paragraph-like
//! block with at least 25 characters scores `1 + commas + min(chars / 100, 3)`
//! and gives that score to its parent, half of it to its grandparent and a third
//! of a level's worth further up; a candidate's score is scaled by one minus its
//! link density and weighted by its tag and its class/id words (`article`,
//! `content`, `post` up; `comment`, `sidebar`, `footer` down). An `<article>`,
//! `<main>`, `[role=main]` or `[itemprop=articleBody]` element that holds the
//! best candidate and not much more is preferred to it. The winner's siblings
//! join when they score close to it or are real paragraphs. Inside the chosen
//! content, link lists, forms and blocks with mostly links are dropped
//! (Readability's conditional cleaning).

use super::dom::{NodeId, NodeKind, Tree, NONE};
use super::select::WordList;
use html5ever::local_name;

/// Summed statistics of a subtree.
#[derive(Debug, Clone, Copy, Default)]
pub struct Stats {
    /// Visible non-whitespace characters.
    pub chars: u32,
    /// Of which inside `<a>`.
    pub link_chars: u32,
    /// Commas (`,`, `，`, `、`, `،`).
    pub commas: u32,
    /// `<p>` elements.
    pub paragraphs: u32,
    /// `<li>` elements.
    pub items: u32,
    /// `<img>` elements.
    pub images: u32,
    /// `<input>`, `<select>`, `<textarea>`, `<button>` elements.
    pub inputs: u32,
    /// Whether a block-level element is inside (for "a div used as a paragraph").
    pub has_block: bool,
    /// Characters inside `<p>` elements.
    pub para_chars: u32,
    /// Of which inside `<a>`.
    pub para_link_chars: u32,
    /// Characters inside `<ul>` and `<ol>` elements.
    pub list_chars: u32,
}

impl Stats {
    /// Links' share of the characters.
    pub fn link_density(&self) -> f32 {
        if self.chars == 0 {
            0.0
        } else {
            self.link_chars as f32 / self.chars as f32
        }
    }

    /// Paragraph text outside links: what an article is made of.
    pub fn prose_chars(&self) -> u32 {
        self.para_chars.saturating_sub(self.para_link_chars)
    }

    /// Links' share of the characters inside paragraphs.
    pub fn paragraph_link_density(&self) -> f32 {
        if self.para_chars == 0 {
            0.0
        } else {
            self.para_link_chars as f32 / self.para_chars as f32
        }
    }
}

/// Elements whose contents are never text a reader sees.
pub fn is_skipped(tree: &Tree, id: NodeId) -> bool {
    let Some(tag) = tree.tag(id) else {
        return matches!(
            tree.kinds[id],
            NodeKind::Comment(_) | NodeKind::Pi(..) | NodeKind::Doctype(_)
        );
    };
    matches!(
        *tag,
        local_name!("head")
            | local_name!("script")
            | local_name!("style")
            | local_name!("template")
            | local_name!("svg")
            | local_name!("math")
            | local_name!("iframe")
            | local_name!("object")
            | local_name!("embed")
            | local_name!("canvas")
            | local_name!("select")
            | local_name!("datalist")
            | local_name!("audio")
            | local_name!("video")
            | local_name!("map")
            | local_name!("textarea")
            | local_name!("button")
            | local_name!("input")
            | local_name!("title")
    )
}

/// Block-level elements (they break lines).
pub fn is_block(tag: &html5ever::LocalName) -> bool {
    matches!(
        *tag,
        local_name!("p")
            | local_name!("div")
            | local_name!("h1")
            | local_name!("h2")
            | local_name!("h3")
            | local_name!("h4")
            | local_name!("h5")
            | local_name!("h6")
            | local_name!("ul")
            | local_name!("ol")
            | local_name!("li")
            | local_name!("dl")
            | local_name!("dt")
            | local_name!("dd")
            | local_name!("table")
            | local_name!("tr")
            | local_name!("thead")
            | local_name!("tbody")
            | local_name!("tfoot")
            | local_name!("caption")
            | local_name!("blockquote")
            | local_name!("pre")
            | local_name!("figure")
            | local_name!("figcaption")
            | local_name!("hr")
            | local_name!("address")
            | local_name!("article")
            | local_name!("section")
            | local_name!("header")
            | local_name!("footer")
            | local_name!("aside")
            | local_name!("nav")
            | local_name!("main")
            | local_name!("form")
            | local_name!("fieldset")
            | local_name!("legend")
            | local_name!("details")
            | local_name!("summary")
            | local_name!("center")
            | local_name!("body")
    )
}

/// Counts visible non-whitespace characters and commas of `text`.
///
/// All-ASCII blocks of 16 bytes are counted a block at a time (fixed-size loops
/// the compiler can vectorize: -8% instructions in this function on the
/// readability and scrapinghub pages, whose text nodes are mostly short); the
/// rest one character at a time.
pub fn count_text(text: &str) -> (u32, u32) {
    // `char::is_whitespace` on ASCII: tab, line feed, vertical tab, form feed,
    // carriage return and space.
    let ascii_space = |b: u8| b == b' ' || b.wrapping_sub(b'\t') <= b'\r' - b'\t';
    let mut chars = 0u32;
    let mut commas = 0u32;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if let Some(block) = bytes[i..].first_chunk::<16>() {
            if block.iter().all(u8::is_ascii) {
                let mut spaces = 0u32;
                let mut block_commas = 0u32;
                for &b in block {
                    spaces += u32::from(ascii_space(b));
                    block_commas += u32::from(b == b',');
                }
                chars += 16 - spaces;
                commas += block_commas;
                i += 16;
                continue;
            }
        }
        let b = bytes[i];
        if b.is_ascii() {
            if !ascii_space(b) {
                chars += 1;
                commas += u32::from(b == b',');
            }
            i += 1;
            continue;
        }
        let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        if !c.is_whitespace() {
            chars += 1;
            commas += u32::from(matches!(c, '，' | '、' | '،'));
        }
        i += c.len_utf8();
    }
    (chars, commas)
}

/// [`count_text`] of every active text node (zero for the others), for
/// [`compute_with`].
pub fn text_counts(tree: &Tree, active: &[bool]) -> Vec<(u32, u32)> {
    let mut counts = vec![(0, 0); tree.len()];
    for (id, kind) in tree.kinds.iter().enumerate() {
        if let NodeKind::Text(text) = kind {
            if active[id] {
                counts[id] = count_text(text);
            }
        }
    }
    counts
}

/// Computes the statistics of every node, skipping inactive subtrees.
pub fn compute(tree: &Tree, active: &[bool]) -> Vec<Stats> {
    compute_with(tree, active, &text_counts(tree, active))
}

/// [`compute`] with the text nodes' counts given (from [`text_counts`] with
/// these active nodes or more: the cleaning computes them once and the
/// statistics twice, before and after the structural rules).
pub fn compute_with(tree: &Tree, active: &[bool], counts: &[(u32, u32)]) -> Vec<Stats> {
    let n = tree.len();
    let mut stats = vec![Stats::default(); n];
    let mut in_link = vec![false; n];
    for id in 0..n {
        let parent = tree.parent[id];
        let parent_link = parent != NONE && in_link[parent];
        in_link[id] = parent_link || tree.is(id, &local_name!("a"));
    }
    for id in (0..n).rev() {
        if !active[id] {
            continue;
        }
        match &tree.kinds[id] {
            NodeKind::Text(_) => {
                let (chars, commas) = counts[id];
                stats[id].chars = chars;
                stats[id].commas = commas;
                if in_link[id] {
                    stats[id].link_chars = chars;
                }
            }
            NodeKind::Element { name, .. } => {
                let s = &mut stats[id];
                match name.local {
                    local_name!("p") => {
                        s.paragraphs += 1;
                        s.para_chars = s.chars;
                        s.para_link_chars = s.link_chars;
                    }
                    local_name!("li") => s.items += 1,
                    local_name!("ul") | local_name!("ol") => s.list_chars = s.chars,
                    local_name!("img") => s.images += 1,
                    local_name!("input") | local_name!("textarea") | local_name!("select") => {
                        s.inputs += 1
                    }
                    _ => {}
                }
            }
            _ => {}
        }
        let parent = tree.parent[id];
        if parent != NONE {
            let child = stats[id];
            let block = tree.tag(id).is_some_and(is_block);
            let p = &mut stats[parent];
            p.chars += child.chars;
            p.link_chars += child.link_chars;
            p.commas += child.commas;
            p.paragraphs += child.paragraphs;
            p.items += child.items;
            p.images += child.images;
            p.inputs += child.inputs;
            p.has_block |= child.has_block || block;
            p.para_chars += child.para_chars;
            p.para_link_chars += child.para_link_chars;
            p.list_chars += child.list_chars;
        }
    }
    stats
}

const POSITIVE: &[&str] = &[
    "article",
    "body",
    "content",
    "entry",
    "hentry",
    "h-entry",
    "main",
    "page",
    "post",
    "text",
    "blog",
    "story",
    "articlebody",
    "article-body",
    "story-body",
    "post-content",
    "entry-content",
];
const NEGATIVE: &[&str] = &[
    "hidden",
    "banner",
    "combx",
    "comment",
    "comments",
    "contact",
    "foot",
    "footer",
    "footnote",
    "gdpr",
    "masthead",
    "media",
    "meta",
    "outbrain",
    "promo",
    "related",
    "scroll",
    "share",
    "shoutbox",
    "sidebar",
    "skyscraper",
    "sponsor",
    "shopping",
    "tags",
    "tool",
    "widget",
    "nav",
    "menu",
    "social",
    "byline",
    "author",
    "dateline",
    "recommended",
    "newsletter",
    "subscribe",
    "breadcrumb",
    "breadcrumbs",
    "pagination",
    "popup",
    "modal",
    "cookie",
    "teaser",
    "caption",
];

/// Substrings that make an element an unlikely content holder (Readability's list).
const UNLIKELY: &[&str] = &[
    "-ad-",
    "ai2html",
    "banner",
    "breadcrumbs",
    "combx",
    "comment",
    "community",
    "cover-wrap",
    "disqus",
    "extra",
    "footer",
    "gdpr",
    "header",
    "legends",
    "menu",
    "related",
    "remark",
    "replies",
    "rss",
    "shoutbox",
    "sidebar",
    "skyscraper",
    "social",
    "sponsor",
    "supplemental",
    "ad-break",
    "agegate",
    "pagination",
    "pager",
    "popup",
    "yom-remote",
];
const MAYBE: &[&str] = &[
    "and", "article", "body", "column", "content", "main", "mathjax", "shadow",
];

/// The class/id weight: +25 for content-like words, -25 for chrome-like words.
pub fn class_weight(tree: &Tree, id: NodeId) -> f32 {
    let mut weight = 0.0;
    let lists = word_lists();
    for attr in ["class", "id"] {
        let Some(value) = tree.attr(id, attr) else {
            continue;
        };
        if lists.negative.any_word(value) {
            weight -= 25.0;
        }
        if lists.positive.any_word(value) {
            weight += 25.0;
        }
    }
    weight
}

/// Whether Readability would strip `id` before scoring (unlikely class/id or role).
pub fn is_unlikely(tree: &Tree, id: NodeId) -> bool {
    let Some(tag) = tree.tag(id) else {
        return false;
    };
    if matches!(
        *tag,
        local_name!("body")
            | local_name!("html")
            | local_name!("a")
            | local_name!("article")
            | local_name!("main")
    ) {
        return false;
    }
    if let Some(role) = tree.attr(id, "role") {
        if matches!(
            role.trim(),
            "menu"
                | "menubar"
                | "complementary"
                | "navigation"
                | "alert"
                | "alertdialog"
                | "dialog"
        ) {
            return true;
        }
    }
    let class = tree.attr(id, "class").unwrap_or_default();
    let id_value = tree.attr(id, "id").unwrap_or_default();
    let lists = word_lists();
    let has = |list: &WordList| list.any_substring(class) || list.any_substring(id_value);
    has(&lists.unlikely) && !has(&lists.maybe)
}

/// The class word lists, compiled once.
struct WordLists {
    unlikely: WordList,
    maybe: WordList,
    negative: WordList,
    positive: WordList,
}

fn word_lists() -> &'static WordLists {
    static LISTS: std::sync::LazyLock<WordLists> = std::sync::LazyLock::new(|| WordLists {
        unlikely: WordList::new(UNLIKELY),
        maybe: WordList::new(MAYBE),
        negative: WordList::new(NEGATIVE),
        positive: WordList::new(POSITIVE),
    });
    &LISTS
}

fn tag_base(tree: &Tree, id: NodeId) -> f32 {
    match tree.tag(id).map(|t| t.as_ref()) {
        Some("div") | Some("article") | Some("main") => 5.0,
        Some("pre") | Some("td") | Some("blockquote") => 3.0,
        Some("address") | Some("ol") | Some("ul") | Some("dl") | Some("dd") | Some("dt")
        | Some("li") | Some("form") => -3.0,
        Some("h1") | Some("h2") | Some("h3") | Some("h4") | Some("h5") | Some("h6")
        | Some("th") => -5.0,
        _ => 0.0,
    }
}

fn is_scorable(tree: &Tree, id: NodeId, stats: &[Stats]) -> bool {
    match tree.tag(id).map(|t| t.as_ref()) {
        Some("p") | Some("pre") | Some("td") | Some("h2") | Some("h3") | Some("h4")
        | Some("h5") | Some("h6") => true,
        Some("div") | Some("section") | Some("article") | Some("span") | Some("font")
        | Some("center") => !stats[id].has_block,
        _ => false,
    }
}

/// The chosen content: roots whose subtrees are kept.
#[derive(Debug, Clone, Default)]
pub struct MainContent {
    /// Content roots, in document order.
    pub roots: Vec<NodeId>,
    /// Elements inside the content that conditional cleaning drops.
    pub dropped: Vec<NodeId>,
}

/// Chooses the main content among `active` nodes.
pub fn main_content(
    tree: &Tree,
    active: &[bool],
    stats: &[Stats],
    strip_unlikely: bool,
    clean: bool,
) -> MainContent {
    let n = tree.len();
    let Some(body) = tree.body() else {
        return MainContent::default();
    };
    // Nodes considered: active, and (when stripping) not inside an unlikely element.
    let mut considered = active.to_vec();
    if strip_unlikely {
        let mut id = body + 1;
        let end = tree.end[body];
        while id < end {
            // An element holding most of the page is never unlikely (a wrapper's class says little).
            // Nor is one with many real paragraphs (malformed pages nest the article in the header).
            // A list is never one of these: paragraphs spread over list items are
            // captions or teasers (bug-1255978 in the readability set: a gallery's
            // `ul.legends` of 50 captioned items held more text than the article).
            let list = tree.is(id, &local_name!("ul")) || tree.is(id, &local_name!("ol"));
            let prose = !list && stats[id].paragraphs >= 5 && stats[id].link_density() < 0.3;
            if considered[id]
                && (list || (!prose && stats[id].chars * 2 <= stats[body].chars))
                && is_unlikely(tree, id)
            {
                for c in &mut considered[id..tree.end[id]] {
                    *c = false;
                }
                id = tree.end[id];
                continue;
            }
            id += 1;
        }
    }
    let mut score = vec![f32::NAN; n];
    let init = |score: &mut Vec<f32>, id: NodeId| {
        if score[id].is_nan() {
            score[id] = tag_base(tree, id) + class_weight(tree, id);
        }
    };
    // (paragraph-like block, the first ancestor it scores for, its characters and commas)
    let mut paragraphs: Vec<(NodeId, u32, u32)> = Vec::new();
    for id in body..tree.end[body] {
        if !considered[id] {
            continue;
        }
        if is_scorable(tree, id, stats) {
            paragraphs.push((tree.parent[id], stats[id].chars, stats[id].commas));
        } else if holds_phrasing_runs(tree, id, stats) {
            phrasing_runs(tree, id, &considered, stats, &mut paragraphs);
        }
    }
    for &(first, chars, commas) in &paragraphs {
        if chars < 25 {
            continue;
        }
        let points = 1.0 + commas as f32 + (chars as f32 / 100.0).floor().min(3.0);
        let mut ancestor = first;
        let mut level = 0;
        while ancestor != NONE && level < 5 && tree.tag(ancestor).is_some() {
            init(&mut score, ancestor);
            let divider = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f32 * 3.0,
            };
            score[ancestor] += points / divider;
            if ancestor == body {
                break;
            }
            ancestor = tree.parent[ancestor];
            level += 1;
        }
    }
    let mut best: Option<(NodeId, f32)> = None;
    let mut finals: Vec<(NodeId, f32)> = Vec::new();
    for id in body..tree.end[body] {
        if score[id].is_nan() || !considered[id] {
            continue;
        }
        let final_score = score[id] * (1.0 - stats[id].link_density());
        score[id] = final_score;
        finals.push((id, final_score));
        if best.is_none_or(|(_, b)| final_score > b) {
            best = Some((id, final_score));
        }
    }
    let Some((mut top, top_score)) = best else {
        return MainContent::default();
    };
    // Several strong candidates under one ancestor: that ancestor is the article.
    finals.sort_by(|a, b| b.1.total_cmp(&a.1));
    let alternatives: Vec<NodeId> = finals
        .iter()
        .skip(1)
        .take(4)
        .filter(|(_, s)| *s >= top_score * 0.75)
        .map(|(id, _)| *id)
        .collect();
    if alternatives.len() >= 3 && top != body {
        let mut ancestor = tree.parent[top];
        while ancestor != NONE && ancestor != body && tree.tag(ancestor).is_some() {
            let inside = alternatives
                .iter()
                .filter(|&&a| a > ancestor && a < tree.end[ancestor])
                .count();
            if inside >= 3 {
                top = ancestor;
                break;
            }
            ancestor = tree.parent[ancestor];
        }
    }
    // Climb while the parent scores higher (the scores should not get too low).
    let mut parent = if top == body { NONE } else { tree.parent[top] };
    let mut last = score[top];
    let threshold = last / 3.0;
    while parent != NONE && parent != body && tree.tag(parent).is_some() {
        if score[parent].is_nan() {
            parent = tree.parent[parent];
            continue;
        }
        if score[parent] < threshold {
            break;
        }
        if score[parent] > last {
            top = parent;
            break;
        }
        last = score[parent];
        parent = tree.parent[parent];
    }
    // An only child is as good as its parent.
    let mut parent = tree.parent[top];
    while top != body && parent != NONE && parent != body && tree.tag(parent).is_some() {
        let element_children = tree
            .children(parent)
            .filter(|&c| considered[c] && (tree.tag(c).is_some() || stats[c].chars > 0))
            .count();
        if element_children != 1 {
            break;
        }
        top = parent;
        parent = tree.parent[parent];
    }
    // A semantic article holding the winner, with not much more text, is the content.
    let mut ancestor = if top == body { NONE } else { tree.parent[top] };
    while ancestor != NONE && ancestor != body {
        let semantic = tree.is(ancestor, &local_name!("article"))
            || tree.is(ancestor, &local_name!("main"))
            || tree
                .attr(ancestor, "role")
                .is_some_and(|r| r.trim() == "main")
            || tree
                .attr(ancestor, "itemprop")
                .is_some_and(|r| r.trim().eq_ignore_ascii_case("articlebody"));
        if semantic && considered[ancestor] {
            let extra = stats[ancestor].chars.saturating_sub(stats[top].chars);
            let density = stats[ancestor].link_density();
            // An `<article>` (or `itemprop=articleBody`) is one piece of writing:
            // with few links it is taken whole, whatever its size (trafilatura
            // prefers it too); a `<main>` may hold a sidebar, so only when it
            // holds not much more. Measured on the corpus sets (aggressive,
            // text): trafilatura must-keep 90.8% -> 92.4%, wcxb F1 0.836 ->
            // 0.842, scrapinghub 0.960 -> 0.958; a limit of 0.2 kept less.
            let article = !(tree.is(ancestor, &local_name!("main"))
                || tree
                    .attr(ancestor, "role")
                    .is_some_and(|r| r.trim() == "main"));
            if density < 0.3 && (article || (extra as f32) < stats[top].chars as f32 * 0.25) {
                top = ancestor;
            }
            break;
        }
        ancestor = tree.parent[ancestor];
    }
    // Siblings.
    let top_score = if score[top].is_nan() { 0.0 } else { score[top] };
    let threshold = (top_score * 0.2).max(10.0);
    let top_class = tree.attr(top, "class").unwrap_or_default();
    let mut roots = Vec::new();
    let parent = tree.parent[top];
    if parent == NONE || top == body {
        roots.push(top);
    } else {
        for sibling in tree.children(parent) {
            if sibling == top {
                roots.push(sibling);
                continue;
            }
            if !considered[sibling] || tree.tag(sibling).is_none() {
                continue;
            }
            let mut bonus = 0.0;
            if !top_class.is_empty() && tree.attr(sibling, "class") == Some(top_class) {
                bonus = top_score * 0.2;
            }
            let s = &stats[sibling];
            let sibling_score = if score[sibling].is_nan() {
                None
            } else {
                Some(score[sibling])
            };
            let append = if sibling_score.is_some_and(|sc| sc + bonus >= threshold) {
                true
            } else if tree.is(sibling, &local_name!("p")) || is_scorable(tree, sibling, stats) {
                let density = s.link_density();
                (s.chars > 80 && density < 0.25)
                    || (s.chars > 0
                        && s.chars <= 80
                        && density == 0.0
                        && sentence_like(tree, sibling))
            } else {
                is_prose_section(s)
            };
            if append {
                roots.push(sibling);
            }
        }
    }
    let mut dropped = Vec::new();
    if clean {
        for &root in &roots {
            clean_conditionally(tree, root, &considered, stats, &mut dropped);
        }
    }
    if strip_unlikely {
        // Unlikely elements inside the content are dropped too.
        for &root in &roots {
            let mut id = root + 1;
            while id < tree.end[root] {
                if active[id] && !considered[id] {
                    dropped.push(id);
                    id = tree.end[id];
                    continue;
                }
                id += 1;
            }
        }
        dropped.sort_unstable();
    }
    MainContent { roots, dropped }
}

/// Whether `id` is a container whose text may sit directly in it, between its
/// blocks (`<div>text<div class="br"></div>more text</div>`).
fn holds_phrasing_runs(tree: &Tree, id: NodeId, stats: &[Stats]) -> bool {
    stats[id].has_block
        && matches!(
            tree.tag(id).map(|t| t.as_ref()),
            Some("div") | Some("section") | Some("article")
        )
}

/// Readability wraps each run of phrasing content (text and inline elements)
/// in a container that also holds blocks into a `<p>`, which scores like any
/// paragraph, its container being the parent. Pushes each run as
/// `(container, chars, commas)`.
fn phrasing_runs(
    tree: &Tree,
    id: NodeId,
    considered: &[bool],
    stats: &[Stats],
    out: &mut Vec<(NodeId, u32, u32)>,
) {
    let (mut chars, mut commas) = (0u32, 0u32);
    for child in tree.children(id) {
        if !considered[child] {
            continue;
        }
        let inline = match tree.tag(child) {
            Some(tag) => !is_block(tag) && !stats[child].has_block,
            None => matches!(tree.kinds[child], NodeKind::Text(_)),
        };
        if inline {
            chars += stats[child].chars;
            commas += stats[child].commas;
        } else if tree.tag(child).is_some() {
            if chars > 0 {
                out.push((id, chars, commas));
            }
            (chars, commas) = (0, 0);
        }
    }
    if chars > 0 {
        out.push((id, chars, commas));
    }
}

/// Readability's `_isDataTable`: a table that holds data, not layout, is never
/// cleaned away (trafilatura set: a platform table whose cells are check-mark
/// images looked like an image gallery). Data: a `summary`, a `caption`, a
/// `th`/`thead`/`tfoot`/`col`/`colgroup`, or at least 10 rows, more than 4
/// columns or more than 10 cells; layout: `role=presentation`,
/// `datatable=0`, or a table inside.
fn is_data_table(tree: &Tree, id: NodeId) -> bool {
    if tree.attr(id, "role") == Some("presentation") || tree.attr(id, "datatable") == Some("0") {
        return false;
    }
    if tree.attr(id, "summary").is_some() {
        return true;
    }
    let (mut rows, mut columns) = (0u32, 0u32);
    let mut header = false;
    for node in id + 1..tree.end[id] {
        let Some(tag) = tree.tag(node) else { continue };
        match *tag {
            local_name!("table") => return false,
            local_name!("caption")
            | local_name!("th")
            | local_name!("thead")
            | local_name!("tfoot")
            | local_name!("col")
            | local_name!("colgroup") => header = true,
            local_name!("tr") => {
                rows += 1;
                let cells = tree
                    .children(node)
                    .filter(|&c| tree.is(c, &local_name!("td")) || tree.is(c, &local_name!("th")))
                    .count() as u32;
                columns = columns.max(cells);
            }
            _ => {}
        }
    }
    header || rows >= 10 || columns > 4 || rows * columns > 10
}

/// Prose (Readability's candidate minimum): at least this many paragraphs (or
/// this many characters and commas when the text sits in `div`s), with links
/// under this share of the text.
pub(crate) const CANDIDATE_MIN_PARAGRAPHS: u32 = 3;
/// See [`CANDIDATE_MIN_PARAGRAPHS`].
pub(crate) const CANDIDATE_MIN_CHARS: u32 = 1000;
/// See [`CANDIDATE_MIN_PARAGRAPHS`].
pub(crate) const CANDIDATE_MIN_COMMAS: u32 = 10;
/// See [`CANDIDATE_MIN_PARAGRAPHS`].
pub(crate) const CANDIDATE_MAX_LINK_DENSITY: f32 = 0.25;

/// Words of [`NEGATIVE`] that name a byline (ours, not Readability's).
const BYLINE_WORDS: [&str; 3] = ["author", "byline", "dateline"];

/// A byline or author box is a line or a short bio; an element whose class
/// says `author` but that holds pages of prose is a text for authors
/// (trafilatura set: a journal's `author_guidelines`, 3,300 characters in 11
/// paragraphs). Long: Readability's 1,000-character, 3-paragraph, 10-comma
/// candidate minimum, and few links.
fn is_long_piece_by_author(tree: &Tree, id: NodeId, s: &Stats) -> bool {
    let long = s.chars >= CANDIDATE_MIN_CHARS
        && s.paragraphs >= CANDIDATE_MIN_PARAGRAPHS
        && s.commas >= CANDIDATE_MIN_COMMAS
        && s.link_density() < CANDIDATE_MAX_LINK_DENSITY;
    long && ["class", "id"]
        .iter()
        .filter_map(|name| tree.attr(id, name))
        .all(|value| {
            NEGATIVE
                .iter()
                .filter(|w| super::select::contains_word(value, w))
                .all(|w| BYLINE_WORDS.contains(w))
        })
}

/// A sibling section made of paragraphs (a heading and prose, few links):
/// pages that spread one text over sibling `<section>`s (event and company
/// pages of the trafilatura set) score each section low, yet each is part of
/// the text. At least this share of its characters sits in `<p>` outside links.
const PROSE_SECTION_MIN_SHARE: f32 = 0.6;
/// And it holds at least this many characters (Readability's sibling paragraph length).
const PROSE_SECTION_MIN_CHARS: u32 = 80;

fn is_prose_section(s: &Stats) -> bool {
    s.chars > PROSE_SECTION_MIN_CHARS
        && s.link_density() < CANDIDATE_MAX_LINK_DENSITY
        && s.prose_chars() as f32 >= s.chars as f32 * PROSE_SECTION_MIN_SHARE
}

fn sentence_like(tree: &Tree, id: NodeId) -> bool {
    let mut text = String::new();
    for node in id..tree.end[id] {
        if let NodeKind::Text(t) = &tree.kinds[node] {
            text.push_str(t);
        }
    }
    let trimmed = text.trim_end();
    trimmed.contains(". ") || trimmed.ends_with('.')
}

fn clean_conditionally(
    tree: &Tree,
    root: NodeId,
    considered: &[bool],
    stats: &[Stats],
    dropped: &mut Vec<NodeId>,
) {
    let mut id = root + 1;
    while id < tree.end[root] {
        let Some(tag) = tree.tag(id) else {
            id += 1;
            continue;
        };
        if !considered[id] {
            id = tree.end[id];
            continue;
        }
        let candidate = matches!(
            *tag,
            local_name!("table")
                | local_name!("ul")
                | local_name!("ol")
                | local_name!("div")
                | local_name!("section")
                | local_name!("form")
                | local_name!("fieldset")
                | local_name!("aside")
        );
        // A figure's caption describes a picture, it is not the article's text
        // (trafilatura's default leaves figures out). Measured on the corpus sets
        // (aggressive, text): trafilatura must-drop 12.1% -> 10.0%, scrapinghub
        // F1 0.960 -> 0.965, readability 0.970 -> 0.966, wcxb unchanged.
        if tree.is(id, &local_name!("figcaption")) {
            dropped.push(id);
            id = tree.end[id];
            continue;
        }
        if candidate && should_drop(tree, id, stats) {
            dropped.push(id);
            id = tree.end[id];
            continue;
        }
        id += 1;
    }
}

fn should_drop(tree: &Tree, id: NodeId, stats: &[Stats]) -> bool {
    if tree.is(id, &local_name!("table")) && is_data_table(tree, id) {
        return false;
    }
    let weight = class_weight(tree, id);
    // Readability's `_cleanConditionally` tests `weight + contentScore < 0`
    // with a content score it sets to 0 there: the class weight alone. The
    // node's own candidate score would carry the list tags' -3 and drop every
    // list that holds a paragraph (trafilatura set: a tax law's amendment list).
    if weight < 0.0 && !is_long_piece_by_author(tree, id, &stats[id]) {
        return true;
    }
    let s = &stats[id];
    if s.commas >= 10 {
        return false;
    }
    let is_list = tree.is(id, &local_name!("ul"))
        || tree.is(id, &local_name!("ol"))
        // Readability: a block whose text is more than 90 % inside lists is a list.
        || (s.chars > 0 && s.list_chars as f32 > s.chars as f32 * 0.9);
    let inside_figure = {
        let mut a = tree.parent[id];
        let mut found = false;
        while a != NONE {
            if tree.is(a, &local_name!("figure")) {
                found = true;
                break;
            }
            a = tree.parent[a];
        }
        found
    };
    let p = s.paragraphs as f32;
    let images = s.images as f32;
    let items = s.items as f32 - 100.0;
    let density = s.link_density();
    let is_table = tree.is(id, &local_name!("table"));
    (s.images > 1 && p / images < 0.5 && !inside_figure)
        || (!is_list && !is_table && items > p)
        || (s.inputs as f32 > (p / 3.0).floor())
        || (!is_list
            && s.chars < 25
            && (s.images == 0 || s.images > 2)
            && !inside_figure
            && s.chars > 0
            && density > 0.0)
        || (!is_list && weight < 25.0 && density > 0.2)
        || (weight >= 25.0 && density > 0.5)
        || (is_list && density > 0.5 && s.chars > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `count_text` as it was written first: `char::is_whitespace` on every character.
    fn count_text_by_chars(text: &str) -> (u32, u32) {
        let visible = text.chars().filter(|c| !c.is_whitespace());
        let commas = visible
            .clone()
            .filter(|c| matches!(c, ',' | '，' | '、' | '،'))
            .count();
        (visible.count() as u32, commas as u32)
    }

    #[test]
    fn text_counts_skip_unicode_whitespace_and_count_four_commas() {
        for text in [
            "",
            "a, b",
            " \t\n\x0b\x0c\r",
            "\u{85}\u{a0}\u{2003}\u{3000}x\u{1c}",
            "一，二、三، four,",
            "ça va — très bien",
        ] {
            assert_eq!(count_text(text), count_text_by_chars(text), "{text:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn text_counts_are_those_of_a_char_scan(text in "\\PC*|[ \t\n,\u{85}\u{a0}\u{3000}，、،a-z]*") {
            proptest::prop_assert_eq!(count_text(&text), count_text_by_chars(&text));
        }
    }
    use crate::html::dom::{parse, TreeLimits};

    const LIMITS: TreeLimits = TreeLimits {
        max_nodes: 100_000,
        max_depth: 1_000,
    };

    /// The first attempt's pick (unlikely elements stripped, conditional
    /// cleaning on): the paths of the roots and of the dropped blocks.
    fn pick(html: &str) -> (Vec<String>, Vec<String>) {
        let tree = parse(html, LIMITS).unwrap_or_else(|e| panic!("{e}"));
        let active: Vec<bool> = (0..tree.len()).map(|i| !is_skipped(&tree, i)).collect();
        let stats = compute(&tree, &active);
        let content = main_content(&tree, &active, &stats, true, true);
        let paths = |ids: &[NodeId]| ids.iter().map(|&i| tree.path(i)).collect();
        (paths(&content.roots), paths(&content.dropped))
    }

    fn paragraph(n: usize) -> String {
        format!(
            "<p>Paragraph {n} of the story, with a clause, another clause, and enough words \
             to be a real paragraph of prose that a reader reads.</p>"
        )
    }

    #[test]
    fn list_holding_a_paragraph_stays_in_the_content() {
        // The list tags' -3 candidate score once dropped such a list
        // (trafilatura set: a tax law's list of amendments).
        let story: String = (0..5).map(paragraph).collect();
        let html = format!(
            "<body><div class=\"story\">{story}<ol class=\"ol-lower-alpha\">\
             <li><p>a new tariff for water-pipe tobacco from 1 January,</p></li>\
             <li>a tariff for tobacco substitutes from 1 July,</li></ol></div></body>"
        );
        let (_, dropped) = pick(&html);
        assert!(dropped.is_empty(), "{dropped:?}");
    }

    #[test]
    fn data_table_of_icons_stays_in_the_content() {
        let story: String = (0..5).map(paragraph).collect();
        let rows: String = ["Mac", "Windows", "Linux"]
            .iter()
            .map(|os| format!("<tr><td>Desktop for {os}</td><td><img src=\"yes.svg\"></td><td><img src=\"yes.svg\"></td></tr>"))
            .collect();
        let html = format!(
            "<body><div class=\"story\">{story}<table><tr><th>Platform</th><th>x86_64</th>\
             <th>arm64</th></tr>{rows}</table></div></body>"
        );
        let (_, dropped) = pick(&html);
        assert!(dropped.is_empty(), "{dropped:?}");
    }

    #[test]
    fn long_text_in_an_author_class_stays_but_a_byline_goes() {
        let story: String = (0..5).map(paragraph).collect();
        let guidelines: String = (0..12).map(paragraph).collect();
        let html = format!(
            "<body><div class=\"page\">{story}\
             <div class=\"author_guidelines\">{guidelines}</div>\
             <div class=\"author-box\">By Jane Doe, staff writer</div></div></body>"
        );
        let (_, dropped) = pick(&html);
        assert_eq!(dropped, ["body > div.page > div.author-box"]);
    }

    #[test]
    fn sibling_section_of_prose_joins_the_content() {
        let story: String = (0..6).map(paragraph).collect();
        let html = format!(
            "<body><section id=\"story\">{story}</section>\
             <section id=\"travel\"><h2>Getting there</h2><p>The workshops take place at \
             the companies; the evening event is a short walk from the station.</p></section>\
             <section id=\"links\"><a href=\"/a\">Partners of the event and more links</a>\
             <a href=\"/b\">Universities</a></section></body>"
        );
        let (roots, _) = pick(&html);
        assert_eq!(roots, ["body > section#story", "body > section#travel"]);
    }

    #[test]
    fn caption_list_does_not_win_over_article() {
        let story: String = (0..6).map(paragraph).collect();
        let captions: String = (0..30)
            .map(|n| {
                format!(
                    "<li><h2>Picture {n}</h2><p>A caption of picture {n}, longer than a line, \
                     telling who, where, when and why the picture was taken.</p></li>"
                )
            })
            .collect();
        let html = format!(
            "<body><div class=\"story\">{story}<div class=\"gallery\">\
             <ul class=\"legends\">{captions}</ul></div></div></body>"
        );
        let (roots, dropped) = pick(&html);
        assert_eq!(roots, ["body > div.story"]);
        assert!(
            dropped.iter().any(|d| d.ends_with("ul.legends")),
            "{dropped:?}"
        );
    }

    #[test]
    fn block_of_mostly_lists_is_cleaned_as_a_list() {
        // Feature cards: a short blurb and a "learn more" link each, a link
        // density over 0.2, but a list (Readability's 90 % rule), so it stays.
        let story: String = (0..4).map(paragraph).collect();
        let cards: String = (0..5)
            .map(|n| {
                format!(
                    "<li><h2>Tool {n}</h2><p>Examine, change and debug the layout of any page with \
                     tool {n}.</p><a href=\"/tool{n}\">Learn more about tool {n}</a></li>"
                )
            })
            .collect();
        let html = format!(
            "<body><div class=\"page\"><div>{story}</div>\
             <div class=\"features\"><ul>{cards}</ul></div></div></body>"
        );
        let (_, dropped) = pick(&html);
        assert!(dropped.is_empty(), "{dropped:?}");
    }

    #[test]
    fn figure_captions_are_dropped_from_the_content() {
        let story: String = (0..5).map(paragraph).collect();
        let html = format!(
            "<body><div class=\"story\">{story}<figure><img src=\"a.jpg\">\
             <figcaption>The harbour at dawn (Photo: Agency)</figcaption></figure>\
             </div></body>"
        );
        let (roots, dropped) = pick(&html);
        assert_eq!(roots, ["body > div.story"]);
        assert_eq!(dropped, ["body > div.story > figure > figcaption"]);
    }

    #[test]
    fn semantic_container_is_taken_whole_by_kind() {
        // The winner holds the paragraphs; a list of facts beside it in the same
        // container has more text than a quarter of it. An article is one piece
        // of writing and is taken whole; a main may hold anything, so it is not.
        let story: String = (0..4).map(paragraph).collect();
        let facts: String = (0..12)
            .map(|n| format!("<li>Fact {n}: a measured value and where it comes from</li>"))
            .collect();
        for (container, expected) in [
            ("article", "body > article"),
            ("main", "body > main > div.text"),
        ] {
            let html = format!(
                "<body><{container}><div class=\"text\">{story}</div>\
                 <div class=\"facts\"><ul>{facts}</ul></div></{container}>\
                 <div class=\"more\"><a href=\"/1\">More</a></div></body>"
            );
            let (roots, _) = pick(&html);
            assert_eq!(roots, [expected], "{container}");
        }
    }
}
