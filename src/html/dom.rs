//! Parsing with html5ever and a flat, pre-order arena of the tree.
//!
//! html5ever builds a `markup5ever_rcdom` tree; it is copied once into a
//! [`Tree`]: nodes in document (pre-order) order, so that an element's subtree
//! is the index range `i..end[i]` and every walk is a loop, never a recursion.
//! The copy moves each node's children and attributes out of it (no clones).
//! `markup5ever_rcdom` drops its nodes iteratively (its `Node` takes the
//! children of its descendants in a loop), so dropping a 100,000-level nesting
//! cannot overflow the stack, whether the copy ran to its end or stopped at a
//! limit, and so does this arena (flat vectors).

use crate::error::Error;
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::{local_name, ns, Attribute, LocalName, QualName};
use markup5ever_rcdom::{Handle, NodeData, RcDom};

/// Index of a node in a [`Tree`].
pub type NodeId = usize;

/// What a node is.
#[derive(Debug, Clone)]
pub enum NodeKind {
    /// The document root.
    Document,
    /// `<!DOCTYPE name>`.
    Doctype(String),
    /// An element.
    Element {
        /// Qualified name.
        name: QualName,
        /// Attributes, in source order.
        attrs: Vec<Attribute>,
    },
    /// Text, as the parser made it (moved out of the parser's tree, not copied).
    Text(StrTendril),
    /// A comment.
    Comment(String),
    /// A processing instruction (target, data).
    Pi(String, String),
}

/// A parsed page as a flat pre-order arena.
#[derive(Debug, Clone)]
pub struct Tree {
    /// Node data.
    pub kinds: Vec<NodeKind>,
    /// Parent of each node (`usize::MAX` for the root).
    pub parent: Vec<NodeId>,
    /// End (exclusive) of each node's subtree.
    pub end: Vec<NodeId>,
    /// Element nesting depth.
    pub depth: Vec<u32>,
}

/// No parent.
pub const NONE: NodeId = usize::MAX;

/// Limits checked while copying the tree.
#[derive(Debug, Clone, Copy)]
pub struct TreeLimits {
    /// Most element nodes.
    pub max_nodes: usize,
    /// Deepest nesting.
    pub max_depth: usize,
}

/// Parses `html` into a [`Tree`], enforcing `limits`.
pub fn parse(html: &str, limits: TreeLimits) -> Result<Tree, Error> {
    // Scripting off: `<noscript>` content is parsed as HTML, as a crawler sees it
    // (forums and single-page apps put their text there).
    let opts = html5ever::ParseOpts {
        tree_builder: html5ever::tree_builder::TreeBuilderOpts {
            scripting_enabled: false,
            ..Default::default()
        },
        ..Default::default()
    };
    let dom: RcDom = html5ever::parse_document(RcDom::default(), opts).one(html);
    // Each `<` opens at most one element, and text nodes lie between tags: about
    // one node per `<`, so the arena's vectors are allocated once.
    let nodes = memchr::memchr_iter(b'<', html.as_bytes()).count() + 8;
    Tree::from_rcdom(&dom.document, limits, nodes.min(limits.max_nodes))
}

enum Step {
    Enter(Handle, NodeId, u32),
    Exit(NodeId),
}

impl Tree {
    /// Copies the tree under `root`, moving each node's children and attributes
    /// out of it on the way; `capacity` is the expected number of nodes.
    fn from_rcdom(root: &Handle, limits: TreeLimits, capacity: usize) -> Result<Tree, Error> {
        let mut tree = Tree {
            kinds: Vec::with_capacity(capacity),
            parent: Vec::with_capacity(capacity),
            end: Vec::with_capacity(capacity),
            depth: Vec::with_capacity(capacity),
        };
        let mut elements = 0usize;
        let mut stack = vec![Step::Enter(root.clone(), NONE, 0)];
        while let Some(step) = stack.pop() {
            let (handle, parent, depth) = match step {
                Step::Exit(id) => {
                    tree.end[id] = tree.kinds.len();
                    continue;
                }
                Step::Enter(handle, parent, depth) => (handle, parent, depth),
            };
            let kind = match &handle.data {
                NodeData::Document => NodeKind::Document,
                NodeData::Doctype { name, .. } => NodeKind::Doctype(String::from(&**name)),
                // Adjacent text nodes are merged by the parser; keep them as given.
                NodeData::Text { contents } => {
                    NodeKind::Text(std::mem::take(&mut *contents.borrow_mut()))
                }
                NodeData::Comment { contents } => NodeKind::Comment(String::from(&**contents)),
                NodeData::ProcessingInstruction { target, contents } => {
                    NodeKind::Pi(String::from(&**target), String::from(&**contents))
                }
                NodeData::Element { name, attrs, .. } => {
                    elements += 1;
                    if elements > limits.max_nodes {
                        return Err(Error::Limit {
                            what: "HTML element count",
                            actual: elements,
                            limit: limits.max_nodes,
                        });
                    }
                    if depth as usize > limits.max_depth {
                        return Err(Error::Limit {
                            what: "HTML nesting depth",
                            actual: depth as usize,
                            limit: limits.max_depth,
                        });
                    }
                    NodeKind::Element {
                        name: name.clone(),
                        attrs: std::mem::take(&mut *attrs.borrow_mut()),
                    }
                }
            };
            let id = tree.kinds.len();
            let is_element = matches!(kind, NodeKind::Element { .. });
            tree.kinds.push(kind);
            tree.parent.push(parent);
            tree.end.push(id + 1);
            tree.depth.push(depth);
            let children = std::mem::take(&mut *handle.children.borrow_mut());
            if !children.is_empty() {
                stack.push(Step::Exit(id));
                let child_depth = depth + u32::from(is_element);
                for child in children.into_iter().rev() {
                    stack.push(Step::Enter(child, id, child_depth));
                }
            }
        }
        Ok(tree)
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.kinds.len()
    }

    /// Whether the tree has no nodes.
    pub fn is_empty(&self) -> bool {
        self.kinds.is_empty()
    }

    /// The element's local name, if `id` is an element.
    pub fn tag(&self, id: NodeId) -> Option<&LocalName> {
        match &self.kinds[id] {
            NodeKind::Element { name, .. } => Some(&name.local),
            _ => None,
        }
    }

    /// Whether `id` is an HTML element named `tag`.
    pub fn is(&self, id: NodeId, tag: &LocalName) -> bool {
        matches!(&self.kinds[id], NodeKind::Element { name, .. } if name.local == *tag && name.ns == ns!(html))
    }

    /// An attribute's value.
    pub fn attr(&self, id: NodeId, attr: &str) -> Option<&str> {
        match &self.kinds[id] {
            NodeKind::Element { attrs, .. } => attrs
                .iter()
                .find(|a| &*a.name.local == attr)
                .map(|a| a.value.as_ref()),
            _ => None,
        }
    }

    /// The children of `id`, in order.
    pub fn children(&self, id: NodeId) -> Children<'_> {
        Children {
            tree: self,
            next: id + 1,
            end: self.end[id],
        }
    }

    /// The `body` element, if any.
    pub fn body(&self) -> Option<NodeId> {
        (0..self.len()).find(|&i| self.is(i, &local_name!("body")))
    }

    /// A short CSS-like path to `id`: `body > div.sidebar > ul`.
    pub fn path(&self, id: NodeId) -> String {
        // Each part as (tag, marker, word), innermost first.
        let mut parts: Vec<(&str, &str, &str)> = Vec::new();
        let mut current = id;
        while current != NONE {
            if let Some(tag) = self.tag(current) {
                if tag == &local_name!("html") {
                    break;
                }
                let mut part = (&**tag, "", "");
                if let Some(element_id) = self.attr(current, "id").filter(|v| !v.trim().is_empty())
                {
                    part.1 = "#";
                    part.2 = element_id.split_whitespace().next().unwrap_or_default();
                } else if let Some(class) = self.attr(current, "class") {
                    if let Some(first) = class.split_whitespace().next() {
                        part.1 = ".";
                        part.2 = first;
                    }
                }
                parts.push(part);
            }
            current = self.parent[current];
        }
        let mut path = String::new();
        for (i, (tag, marker, word)) in parts.iter().rev().enumerate() {
            if i > 0 {
                path.push_str(" > ");
            }
            path.push_str(tag);
            path.push_str(marker);
            path.push_str(word);
        }
        path
    }
}

/// Iterator over a node's children.
pub struct Children<'t> {
    tree: &'t Tree,
    next: NodeId,
    end: NodeId,
}

impl Iterator for Children<'_> {
    type Item = NodeId;

    fn next(&mut self) -> Option<NodeId> {
        if self.next >= self.end {
            return None;
        }
        let id = self.next;
        self.next = self.tree.end[id];
        Some(id)
    }
}

/// An element of a tree, for selector matching.
#[derive(Debug, Clone, Copy)]
pub struct ElementRef<'t> {
    /// The tree.
    pub tree: &'t Tree,
    /// The element.
    pub id: NodeId,
}

impl crate::html::select::ElementView for ElementRef<'_> {
    fn tag(&self) -> &str {
        self.tree.tag(self.id).map_or("", |t| &**t)
    }

    fn attr(&self, name: &str) -> Option<&str> {
        self.tree.attr(self.id, name)
    }

    fn parent(&self) -> Option<Self> {
        let mut current = self.tree.parent[self.id];
        while current != NONE {
            if self.tree.tag(current).is_some() {
                return Some(ElementRef {
                    tree: self.tree,
                    id: current,
                });
            }
            current = self.tree.parent[current];
        }
        None
    }
}
