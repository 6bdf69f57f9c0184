//! Output: the cleaned page as HTML (html5ever's serializer), text or Markdown.

use super::dom::{NodeId, NodeKind, Tree};
use super::view::{View, ViewKind};
use crate::error::Error;
use html5ever::serialize::{Serialize, SerializeOpts, Serializer, TraversalScope};
use std::io;
use std::ops::Range;

/// A tree with some subtrees left out, serializable by html5ever.
pub struct Pruned<'t> {
    /// The tree.
    pub tree: &'t Tree,
    /// Nodes whose whole subtree is left out.
    pub removed: &'t [bool],
}

impl Serialize for Pruned<'_> {
    fn serialize<S: Serializer>(
        &self,
        serializer: &mut S,
        _scope: TraversalScope,
    ) -> io::Result<()> {
        let tree = self.tree;
        let mut open: Vec<NodeId> = Vec::new();
        let mut id = 0;
        loop {
            while let Some(&top) = open.last() {
                if id >= tree.end[top] {
                    if let NodeKind::Element { name, .. } = &tree.kinds[top] {
                        serializer.end_elem(name.clone())?;
                    }
                    open.pop();
                } else {
                    break;
                }
            }
            if id >= tree.len() {
                return Ok(());
            }
            if self.removed[id] {
                id = tree.end[id];
                continue;
            }
            match &tree.kinds[id] {
                NodeKind::Document => {}
                NodeKind::Doctype(name) => serializer.write_doctype(name)?,
                NodeKind::Text(text) => serializer.write_text(text)?,
                NodeKind::Comment(text) => serializer.write_comment(text)?,
                NodeKind::Pi(target, data) => {
                    serializer.write_processing_instruction(target, data)?
                }
                NodeKind::Element { name, attrs } => {
                    serializer
                        .start_elem(name.clone(), attrs.iter().map(|a| (&a.name, &a.value[..])))?;
                    open.push(id);
                }
            }
            id += 1;
        }
    }
}

/// Serializes `tree` without the `removed` subtrees.
pub fn html(tree: &Tree, removed: &[bool]) -> Result<String, Error> {
    let mut out = Vec::with_capacity(tree.len() * 16);
    let opts = SerializeOpts {
        traversal_scope: TraversalScope::ChildrenOnly(None),
        ..Default::default()
    };
    html5ever::serialize::serialize(&mut out, &Pruned { tree, removed }, opts)
        .map_err(|e| Error::Input(format!("HTML serialization failed: {e}")))?;
    String::from_utf8(out).map_err(|e| Error::Input(format!("HTML serialization failed: {e}")))
}

/// The view without the removed ranges (sorted, disjoint).
pub fn text(view: &View, removed: &[Range<usize>]) -> String {
    let mut out = String::with_capacity(view.text.len());
    let mut cursor = 0;
    for range in removed {
        out.push_str(&view.text[cursor..range.start]);
        cursor = range.end;
    }
    out.push_str(&view.text[cursor..]);
    out
}

/// Markdown from the kept lines (`kept[i]`), with span cuts already applied in `line_text`.
pub fn markdown(view: &View, kept: &[bool], line_text: impl Fn(usize) -> String) -> String {
    let mut out = String::with_capacity(view.text.len());
    let mut previous_blank = true;
    for (index, line) in view.lines.iter().enumerate() {
        if !kept[index] {
            continue;
        }
        let text = line_text(index);
        let body = text[line.content_start - line.start..].trim_end();
        match line.kind {
            ViewKind::Heading(level) => {
                if !previous_blank {
                    out.push('\n');
                }
                for _ in 0..level {
                    out.push('#');
                }
                out.push(' ');
                out.push_str(body);
            }
            ViewKind::ListItem => {
                out.push_str("- ");
                out.push_str(body);
            }
            ViewKind::Quote => {
                out.push_str("> ");
                out.push_str(body);
            }
            ViewKind::Pre => {
                out.push_str("    ");
                out.push_str(body);
            }
            ViewKind::Text => out.push_str(body),
        }
        out.push('\n');
        previous_blank = false;
        if line.next > line.end + 1 || matches!(line.kind, ViewKind::Heading(_)) {
            out.push('\n');
            previous_blank = true;
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}
