//! A small CSS selector subset for structural rules.
//!
//! Supported: a tag (`nav`), `#id`, `.class`, `[attr]`, `[attr=value]`,
//! `[attr*=value]`, `[attr^=value]`, `[attr$=value]`, compounds of them
//! (`div.share[role=toolbar]`), the descendant combinator (`article aside`) and
//! comma-separated lists (`nav, .breadcrumb`). Names and values are matched
//! ASCII case-insensitively.
//!
//! `.class` and `#id` match on word boundaries inside a token, not whole tokens
//! only: `.share` hits `class="share-bar"` and `class="post_share"`, but `.ad`
//! misses `add-to-cart` and `header`. A word boundary is the start or end of the
//! token, any character that is not an ASCII letter or digit, or a lower-to-upper
//! case change (`shareBar`). A word right after `has`, `with`, `without` or `no`
//! in the same token names a state, not the element, and does not match:
//! `.sharing` misses `has-sharing`, `.sidebar` misses `content-with-sidebar`.
//! Attribute operators compare the whole value as CSS
//! does (`[class*=ad]` does hit `header`: use it knowingly).
//!
//! ```
//! use deboil::html::select::SelectorList;
//!
//! let list = SelectorList::parse("nav, div.ad-slot, [aria-hidden=true]").unwrap();
//! assert_eq!(list.selectors().len(), 3);
//! assert!(SelectorList::parse("div > p").is_err());
//! ```

use std::fmt;

/// How an attribute selector compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttrOp {
    /// `[attr]`: present.
    Exists,
    /// `[attr=value]`: equal.
    Equals,
    /// `[attr*=value]`: contains.
    Contains,
    /// `[attr^=value]`: starts with.
    Prefix,
    /// `[attr$=value]`: ends with.
    Suffix,
}

/// One attribute condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttrSelector {
    /// Attribute name, lower-case.
    pub name: String,
    /// The operator.
    pub op: AttrOp,
    /// The value, lower-case (empty for `Exists`).
    pub value: String,
}

/// A compound selector: conditions on one element.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Compound {
    /// Tag name, lower-case (`None`: any).
    pub tag: Option<String>,
    /// `#id` words.
    pub ids: Vec<String>,
    /// `.class` words.
    pub classes: Vec<String>,
    /// Attribute conditions.
    pub attrs: Vec<AttrSelector>,
}

/// A chain of compounds joined by the descendant combinator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selector {
    /// Outermost first.
    pub compounds: Vec<Compound>,
}

/// A comma-separated list of selectors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectorList {
    selectors: Vec<Selector>,
}

/// Why a selector does not parse: a message and the byte offset in the selector text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectorError {
    /// Byte offset of the problem in the selector text.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for SelectorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte {})", self.message, self.offset)
    }
}

impl std::error::Error for SelectorError {}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_' || !c.is_ascii()
}

struct Parser<'s> {
    text: &'s str,
    pos: usize,
}

impl<'s> Parser<'s> {
    fn error(&self, message: impl Into<String>) -> SelectorError {
        SelectorError {
            offset: self.pos,
            message: message.into(),
        }
    }

    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    fn skip_spaces(&mut self) -> bool {
        let start = self.pos;
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
        self.pos > start
    }

    fn name(&mut self, what: &str) -> Result<String, SelectorError> {
        let start = self.pos;
        while let Some(c) = self.peek().filter(|&c| is_name_char(c)) {
            self.pos += c.len_utf8();
        }
        if self.pos == start {
            return Err(self.error(format!("expected {what}")));
        }
        Ok(self.text[start..self.pos].to_ascii_lowercase())
    }

    fn value(&mut self) -> Result<String, SelectorError> {
        match self.peek() {
            Some(quote @ ('"' | '\'')) => {
                self.pos += 1;
                let start = self.pos;
                match self.text[start..].find(quote) {
                    Some(len) => {
                        self.pos = start + len + 1;
                        Ok(self.text[start..start + len].to_ascii_lowercase())
                    }
                    None => Err(self.error("unclosed quote")),
                }
            }
            _ => {
                let start = self.pos;
                while let Some(c) = self.peek().filter(|&c| c != ']' && !c.is_whitespace()) {
                    self.pos += c.len_utf8();
                }
                if self.pos == start {
                    return Err(self.error("expected a value"));
                }
                Ok(self.text[start..self.pos].to_ascii_lowercase())
            }
        }
    }

    fn attr(&mut self) -> Result<AttrSelector, SelectorError> {
        self.skip_spaces();
        let name = self.name("an attribute name")?;
        self.skip_spaces();
        let op = match self.peek() {
            Some(']') => {
                self.pos += 1;
                return Ok(AttrSelector {
                    name,
                    op: AttrOp::Exists,
                    value: String::new(),
                });
            }
            Some('=') => AttrOp::Equals,
            Some('*') => AttrOp::Contains,
            Some('^') => AttrOp::Prefix,
            Some('$') => AttrOp::Suffix,
            _ => return Err(self.error("expected `]`, `=`, `*=`, `^=` or `$=`")),
        };
        self.pos += 1;
        if op != AttrOp::Equals {
            if self.peek() != Some('=') {
                return Err(self.error("expected `=`"));
            }
            self.pos += 1;
        }
        self.skip_spaces();
        let value = self.value()?;
        if value.is_empty() {
            return Err(self.error("an empty value matches everything"));
        }
        self.skip_spaces();
        if self.peek() != Some(']') {
            return Err(self.error("expected `]`"));
        }
        self.pos += 1;
        Ok(AttrSelector { name, op, value })
    }

    fn compound(&mut self) -> Result<Compound, SelectorError> {
        let mut compound = Compound::default();
        let start = self.pos;
        if self.peek() == Some('*') {
            self.pos += 1;
        } else if self.peek().is_some_and(is_name_char) {
            compound.tag = Some(self.name("a tag name")?);
        }
        loop {
            match self.peek() {
                Some('#') => {
                    self.pos += 1;
                    compound.ids.push(self.name("an id after `#`")?);
                }
                Some('.') => {
                    self.pos += 1;
                    compound.classes.push(self.name("a class after `.`")?);
                }
                Some('[') => {
                    self.pos += 1;
                    compound.attrs.push(self.attr()?);
                }
                _ => break,
            }
        }
        if self.pos == start {
            return Err(self.error("expected a tag, `*`, `#id`, `.class` or `[attr]`"));
        }
        Ok(compound)
    }

    fn selector(&mut self) -> Result<Selector, SelectorError> {
        let mut compounds = Vec::new();
        self.skip_spaces();
        loop {
            compounds.push(self.compound()?);
            self.skip_spaces();
            match self.peek() {
                None | Some(',') => break,
                Some(c @ ('>' | '+' | '~')) => {
                    return Err(self.error(format!(
                        "the `{c}` combinator is not supported (only the descendant combinator, a space)"
                    )))
                }
                Some(':') => return Err(self.error("pseudo-classes are not supported")),
                _ => {}
            }
        }
        Ok(Selector { compounds })
    }
}

impl SelectorList {
    /// Parses a comma-separated selector list in the supported subset.
    pub fn parse(text: &str) -> Result<SelectorList, SelectorError> {
        let mut parser = Parser { text, pos: 0 };
        let mut selectors = Vec::new();
        loop {
            selectors.push(parser.selector()?);
            match parser.peek() {
                Some(',') => parser.pos += 1,
                None => break,
                Some(_) => return Err(parser.error("unexpected character")),
            }
        }
        Ok(SelectorList { selectors })
    }

    /// The selectors of the list.
    pub fn selectors(&self) -> &[Selector] {
        &self.selectors
    }
}

/// What a selector needs to know about an element.
pub trait ElementView: Copy {
    /// The tag name, lower-case.
    fn tag(&self) -> &str;
    /// An attribute's value.
    fn attr(&self, name: &str) -> Option<&str>;
    /// The parent element, if any.
    fn parent(&self) -> Option<Self>;
}

/// Whether `word` (lower-case) occurs in `value` on word boundaries (see the module docs).
pub fn contains_word(value: &str, word: &str) -> bool {
    let bytes = value.as_bytes();
    let w = word.as_bytes();
    if w.is_empty() || bytes.len() < w.len() {
        return false;
    }
    (0..=bytes.len() - w.len()).any(|start| {
        bytes[start..start + w.len()].eq_ignore_ascii_case(w)
            && is_word_at(bytes, start, start + w.len())
    })
}

/// Whether the match `start..end` of `bytes` is a word in the sense of
/// [`contains_word`].
fn is_word_at(bytes: &[u8], start: usize, end: usize) -> bool {
    let is_alnum = |b: u8| b.is_ascii_alphanumeric() || b >= 0x80;
    let before_ok = start == 0 || {
        let b = bytes[start - 1];
        !is_alnum(b) || (b.is_ascii_lowercase() && bytes[start].is_ascii_uppercase())
    };
    let after_ok = end == bytes.len() || {
        let a = bytes[end];
        !is_alnum(a) || (bytes[end - 1].is_ascii_lowercase() && a.is_ascii_uppercase())
    };
    before_ok && after_ok && !follows_state_word(bytes, start)
}

/// A fixed list of class words, searched in one pass: [`WordList::any_word`]
/// is [`contains_word`] for any of them, [`WordList::any_substring`] is
/// [`contains_ci`] for any of them.
///
/// ```
/// use deboil::html::select::WordList;
///
/// let list = WordList::new(&["share", "ad"]);
/// assert!(list.any_word("post-share-buttons"));
/// assert!(!list.any_word("add-to-cart"));
/// assert!(list.any_substring("header-add"));
/// ```
#[derive(Debug)]
pub struct WordList {
    automaton: aho_corasick::AhoCorasick,
}

impl WordList {
    /// Compiles `words` (ASCII, matched case-insensitively).
    ///
    /// # Panics
    ///
    /// When the automaton cannot be built: only for lists far larger than
    /// any fixed list of class words.
    pub fn new(words: &[&str]) -> WordList {
        let automaton = aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(words)
            .unwrap_or_else(|e| panic!("class word list: {e}"));
        WordList { automaton }
    }

    /// Whether any word of the list occurs in `value` on word boundaries.
    pub fn any_word(&self, value: &str) -> bool {
        let bytes = value.as_bytes();
        self.automaton
            .find_overlapping_iter(value)
            .any(|m| is_word_at(bytes, m.start(), m.end()))
    }

    /// Whether any word of the list occurs in `value` anywhere.
    pub fn any_substring(&self, value: &str) -> bool {
        self.automaton.is_match(value)
    }
}

/// Words that make the next one a state of the element, not what it is:
/// `has-sharing` is a header with share buttons in it, `content-with-sidebar`
/// a wrapper beside a sidebar, `no-ads` a page without ads (trafilatura set:
/// `header.has-sharing` held an article's title and lead).
const STATE_WORDS: [&str; 4] = ["has", "with", "without", "no"];

/// Whether the word of the same class token just before `start` is one of [`STATE_WORDS`].
fn follows_state_word(bytes: &[u8], start: usize) -> bool {
    if start == 0 {
        return false;
    }
    let end = if bytes[start - 1].is_ascii_alphanumeric() {
        start // a case change: `hasSharing`
    } else if bytes[start - 1].is_ascii_whitespace() {
        return false; // another token
    } else {
        start - 1
    };
    let mut begin = end;
    while begin > 0 && bytes[begin - 1].is_ascii_alphanumeric() {
        begin -= 1;
        if bytes[begin].is_ascii_uppercase() {
            break;
        }
    }
    let previous = &bytes[begin..end];
    STATE_WORDS
        .iter()
        .any(|w| previous.eq_ignore_ascii_case(w.as_bytes()))
}

fn starts_with_ci(value: &str, prefix: &str) -> bool {
    value.len() >= prefix.len()
        && value.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// ASCII case-insensitive substring test.
pub fn contains_ci(value: &str, needle: &str) -> bool {
    value.len() >= needle.len()
        && value
            .as_bytes()
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

impl Compound {
    /// Whether `element` meets every condition.
    pub fn matches<E: ElementView>(&self, element: E) -> bool {
        if let Some(tag) = &self.tag {
            if element.tag() != tag {
                return false;
            }
        }
        if !self.ids.is_empty() {
            let Some(id) = element.attr("id") else {
                return false;
            };
            if !self.ids.iter().all(|w| contains_word(id, w)) {
                return false;
            }
        }
        if !self.classes.is_empty() {
            let Some(class) = element.attr("class") else {
                return false;
            };
            if !self.classes.iter().all(|w| contains_word(class, w)) {
                return false;
            }
        }
        self.attrs.iter().all(|a| {
            let Some(value) = element.attr(&a.name) else {
                return false;
            };
            let value = value.trim();
            match a.op {
                AttrOp::Exists => true,
                AttrOp::Equals => value.eq_ignore_ascii_case(&a.value),
                AttrOp::Contains => contains_ci(value, &a.value),
                AttrOp::Prefix => starts_with_ci(value, &a.value),
                AttrOp::Suffix => {
                    value.len() >= a.value.len()
                        && value.as_bytes()[value.len() - a.value.len()..]
                            .eq_ignore_ascii_case(a.value.as_bytes())
                }
            }
        })
    }
}

impl Selector {
    /// Whether `element` matches (the last compound on it, the others on ancestors, in order).
    pub fn matches<E: ElementView>(&self, element: E) -> bool {
        let Some((last, rest)) = self.compounds.split_last() else {
            return false;
        };
        if !last.matches(element) {
            return false;
        }
        let mut remaining = rest.len();
        let mut current = element.parent();
        while remaining > 0 {
            let Some(ancestor) = current else {
                return false;
            };
            if rest[remaining - 1].matches(ancestor) {
                remaining -= 1;
            }
            current = ancestor.parent();
        }
        true
    }

    /// The tag the last compound requires, if any (for indexing).
    pub fn key_tag(&self) -> Option<&str> {
        self.compounds.last().and_then(|c| c.tag.as_deref())
    }
}

/// Splits a class or id value into lower-case words, as [`contains_word`] sees them.
pub fn words(value: &str, out: &mut Vec<String>) {
    for_each_word(value, &mut String::new(), |word| out.push(word.to_string()));
}

/// Calls `f` with each lower-case word of `value`, as [`words`] splits it;
/// a word with upper-case letters is lowered in `buffer`, the others are
/// slices of `value` (no allocation).
fn for_each_word(value: &str, buffer: &mut String, mut f: impl FnMut(&str)) {
    let bytes = value.as_bytes();
    let mut start = None;
    for i in 0..=bytes.len() {
        let b = bytes.get(i).copied();
        let alnum = b.is_some_and(|b| b.is_ascii_alphanumeric() || b >= 0x80);
        let camel =
            i > 0 && b.is_some_and(|b| b.is_ascii_uppercase()) && bytes[i - 1].is_ascii_lowercase();
        if let Some(s) = start {
            if !alnum || camel {
                let word = &value[s..i];
                if word.bytes().any(|b| b.is_ascii_uppercase()) {
                    buffer.clear();
                    buffer.push_str(word);
                    buffer.make_ascii_lowercase();
                    f(buffer);
                } else {
                    f(word);
                }
                start = None;
            }
        }
        if alnum && start.is_none() && value.is_char_boundary(i) {
            start = Some(i);
        }
    }
}

/// FNV-1a: the index's keys are short words and tag names, hashed once or a
/// few times per element; SipHash's resistance to chosen keys buys nothing
/// here (the keys come from the rule packs) and costs twice the instructions.
#[derive(Debug, Clone, Copy)]
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

type FnvMap<V> = std::collections::HashMap<String, V, std::hash::BuildHasherDefault<Fnv>>;

/// Selectors indexed by what their last compound needs, so an element is
/// checked only against selectors that can match it: a class or id word, else
/// a tag, else the name of an attribute it must have.
#[derive(Debug, Clone, Default)]
pub struct Index {
    by_word: FnvMap<Vec<(usize, usize)>>,
    by_tag: FnvMap<Vec<(usize, usize)>>,
    by_attr: Vec<(String, Vec<(usize, usize)>)>,
    others: Vec<(usize, usize)>,
}

impl Index {
    /// Indexes `(key, list)` pairs; matches report the key.
    pub fn new<'l>(lists: impl IntoIterator<Item = (usize, &'l SelectorList)>) -> Index {
        let mut index = Index::default();
        for (key, list) in lists {
            for (i, selector) in list.selectors.iter().enumerate() {
                let Some(last) = selector.compounds.last() else {
                    continue;
                };
                let word = last.classes.first().or(last.ids.first()).and_then(|w| {
                    let mut parts = Vec::new();
                    words(w, &mut parts);
                    parts.into_iter().next()
                });
                if let Some(word) = word {
                    index.by_word.entry(word).or_default().push((key, i));
                } else if let Some(tag) = &last.tag {
                    index.by_tag.entry(tag.clone()).or_default().push((key, i));
                } else if let Some(attr) = last.attrs.first() {
                    match index
                        .by_attr
                        .iter_mut()
                        .find(|(name, _)| *name == attr.name)
                    {
                        Some((_, list)) => list.push((key, i)),
                        None => index.by_attr.push((attr.name.clone(), vec![(key, i)])),
                    }
                } else {
                    index.others.push((key, i));
                }
            }
        }
        index
    }

    /// The smallest key whose list matches `element`; `lists[key]` gives each list.
    pub fn first_match<'l, E: ElementView>(
        &self,
        element: E,
        lists: impl Fn(usize) -> Option<&'l SelectorList>,
        scratch: &mut String,
    ) -> Option<usize> {
        let mut best: Option<usize> = None;
        let mut check = |candidates: &[(usize, usize)]| {
            for &(key, i) in candidates {
                if best.is_some_and(|b| b <= key) {
                    continue;
                }
                if let Some(selector) = lists(key).and_then(|l| l.selectors.get(i)) {
                    if selector.matches(element) {
                        best = Some(key);
                    }
                }
            }
        };
        check(&self.others);
        for (name, list) in &self.by_attr {
            if element.attr(name).is_some() {
                check(list);
            }
        }
        if let Some(list) = self.by_tag.get(element.tag()) {
            check(list);
        }
        if !self.by_word.is_empty() {
            for attr in ["class", "id"] {
                if let Some(value) = element.attr(attr) {
                    for_each_word(value, scratch, |word| {
                        if let Some(list) = self.by_word.get(word) {
                            check(list);
                        }
                    });
                }
            }
        }
        best
    }
}

impl SelectorList {
    /// Whether any selector of the list matches `element`.
    pub fn matches<E: ElementView>(&self, element: E) -> bool {
        self.selectors.iter().any(|s| s.matches(element))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_boundaries() {
        let cases: &[(&str, &str, bool)] = &[
            ("ad", "ad", true),
            ("ad-slot", "ad", true),
            ("top_ad", "ad", true),
            ("add-to-cart", "ad", false),
            ("header", "ad", false),
            ("shareBar", "share", true),
            ("post-share-buttons", "share", true),
            ("sharepoint", "share", false),
            ("Ad-Banner", "ad", true),
            ("has-sharing", "sharing", false),
            ("hasSharing", "sharing", false),
            ("content-with-sidebar-wrp", "sidebar", false),
            ("no-ads", "ads", false),
            ("post-sharing has", "sharing", true),
            ("has sharing", "sharing", true),
            ("phase-sharing", "sharing", true),
        ];
        for (value, word, expected) in cases {
            assert_eq!(contains_word(value, word), *expected, "{word} in {value}");
        }
    }

    /// A node of a small test tree: tag, attributes, parent.
    type MockNode<'t> = (&'t str, &'t [(&'t str, &'t str)], Option<usize>);

    /// An element of a small test tree.
    #[derive(Clone, Copy)]
    struct Mock<'t> {
        nodes: &'t [MockNode<'t>],
        id: usize,
    }

    impl ElementView for Mock<'_> {
        fn tag(&self) -> &str {
            self.nodes[self.id].0
        }
        fn attr(&self, name: &str) -> Option<&str> {
            let attrs = self.nodes[self.id].1;
            attrs.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
        }
        fn parent(&self) -> Option<Self> {
            self.nodes[self.id].2.map(|id| Mock { id, ..*self })
        }
    }

    #[test]
    fn the_index_finds_the_first_matching_list_as_a_scan_does() {
        let lists: Vec<SelectorList> = [
            "[hidden], [aria-hidden=true], [style*='display:none']",
            "nav, [role=navigation], .breadcrumb, #crumbs",
            "div.share[role=toolbar], [data-x][role=note]",
            "article aside, footer",
            "*",
            "[id^=ad-], .ad",
        ]
        .iter()
        .map(|text| SelectorList::parse(text).unwrap())
        .collect();
        let nodes: &[MockNode] = &[
            ("body", &[], None),
            (
                "div",
                &[("role", "toolbar"), ("class", "share-bar")],
                Some(0),
            ),
            ("div", &[("role", "note"), ("data-x", "")], Some(0)),
            ("span", &[("role", "note")], Some(0)),
            ("p", &[("style", "color: red; display:none")], Some(0)),
            ("article", &[], Some(0)),
            ("aside", &[("hidden", "")], Some(5)),
            ("aside", &[], Some(5)),
            ("ul", &[("id", "crumbs")], Some(0)),
            ("li", &[("id", "ad-top")], Some(8)),
            ("nav", &[("aria-hidden", "false")], Some(0)),
            ("section", &[("role", "navigation")], Some(0)),
            ("div", &[("data-x", "1")], Some(0)),
        ];
        for skip_star in [false, true] {
            let keyed: Vec<(usize, &SelectorList)> = lists
                .iter()
                .enumerate()
                .filter(|&(key, _)| !(skip_star && key == 4))
                .collect();
            let index = Index::new(keyed.iter().copied());
            let list_of = |key: usize| keyed.iter().find(|(k, _)| *k == key).map(|(_, l)| *l);
            for id in 0..nodes.len() {
                let element = Mock { nodes, id };
                let scan = keyed
                    .iter()
                    .filter(|(_, list)| list.matches(element))
                    .map(|(key, _)| *key)
                    .min();
                let found = index.first_match(element, list_of, &mut String::new());
                assert_eq!(found, scan, "node {id}, without * {skip_star}");
            }
        }
    }

    #[test]
    fn parse_errors_carry_offsets() {
        let cases: &[(&str, usize)] = &[
            ("div > p", 4),
            ("a:hover", 1),
            ("[class", 6),
            ("[x~=y]", 2),
            (".", 1),
            ("div,", 4),
            ("[x='y]", 4),
        ];
        for (text, offset) in cases {
            let error = SelectorList::parse(text).unwrap_err();
            assert_eq!(error.offset, *offset, "{text}: {error}");
        }
    }
}
