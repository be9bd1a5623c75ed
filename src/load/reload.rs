//! Single-file reload for the preview server: one changed file re-read into an
//! existing framework.

use super::*;

/// The outcome of re-reading one changed Markdown file into an existing framework.
#[derive(Debug)]
pub enum Reload {
    /// The file's nodes were updated in place; their indices, and the file's warnings.
    Updated {
        /// Indices of the nodes defined by the file.
        nodes: Vec<usize>,
        /// Warnings found in the file.
        diagnostics: Vec<Diagnostic>,
    },
    /// The file has errors; the framework was left as it was.
    Failed(Vec<Diagnostic>),
    /// The change alters the tree (ids, titles, kinds, order, items added or removed):
    /// the whole project must be loaded again.
    Structural,
}

/// Re-reads one Markdown file (a path relative to the project) and, when only its content
/// changed and not the tree's shape, updates its nodes in place. This is what makes the
/// preview server's rebuilds cost one file instead of the whole project.
pub fn reload_file(framework: &mut Framework, project: &Path, file: &Path) -> Reload {
    let display = display_path(file);
    let old: Vec<usize> = (0..framework.nodes.len())
        .filter(|&i| framework.nodes[i].source == display)
        .collect();
    if old.is_empty() {
        return Reload::Structural;
    }
    let path = project.join(file);
    let boundary = Boundary::new(project, framework.config.build.follow_symlinks);
    if let crate::boundary::Crossing::Refused(error) =
        boundary.check(&path, &display, "symbolic link")
    {
        return Reload::Failed(vec![error]);
    }
    let options = MarkdownOptions::new(CodeBlocks::Highlight, framework.config.build.unsafe_html);
    let parsed = parse_file(&path, &display, options);
    if parsed.diagnostics.iter().any(Diagnostic::is_error) {
        return Reload::Failed(parsed.diagnostics);
    }
    let mut fresh = Vec::new();
    flatten(parsed.node, None, &mut fresh);
    if fresh.len() != old.len() {
        return Reload::Structural;
    }
    let by_id: std::collections::HashMap<&str, usize> = old
        .iter()
        .map(|&i| (framework.nodes[i].id.as_str(), i))
        .collect();
    let mut targets = Vec::with_capacity(fresh.len());
    for (raw, parent_id) in &fresh {
        let id = raw.id.as_deref().unwrap_or("").trim();
        let Some(&index) = by_id.get(id) else {
            return Reload::Structural;
        };
        let node = &framework.nodes[index];
        let parent_matches = match (parent_id, node.parent) {
            (Some(parent), Some(p)) => framework.nodes[p].id == *parent,
            (None, _) => true,
            (Some(_), None) => false,
        };
        let title = raw.title.clone().or_else(|| {
            // The root's title falls back to the book's.
            node.parent
                .is_none()
                .then(|| framework.config.book.title.clone())
        });
        let same_shape = parent_matches
            && raw.kind.is_none_or(|k| k == node.kind)
            && title == node.title
            && raw.order == node.order;
        if !same_shape {
            return Reload::Structural;
        }
        targets.push(index);
    }
    // The same ids in the same places: not two items given one id, nor items swapped
    // (the file's nodes are consecutive, in declaration order).
    if targets != old {
        return Reload::Structural;
    }
    let known = super::known_documents(&framework.documents, &framework.config);
    for ((raw, _), &index) in fresh.into_iter().zip(&targets) {
        let node = &mut framework.nodes[index];
        node.description = raw.description;
        node.description_repeats_body = raw.description_repeats_body;
        node.body = raw.body;
        node.references = raw.references;
        super::read_declared_citations(std::iter::once(&mut *node), &known);
        node.related = raw.related;
        node.columns = raw.columns;
        node.extra = raw.extra;
        node.extra_html = raw.extra_html;
        node.span = raw.span;
    }
    Reload::Updated {
        nodes: targets,
        diagnostics: parsed.diagnostics,
    }
}

/// A file's node and its inline items, in declaration order, each with its parent's id.
fn flatten(mut raw: RawNode, parent: Option<String>, out: &mut Vec<(RawNode, Option<String>)>) {
    let items = std::mem::take(&mut raw.items);
    let id = raw.id.clone().map(|id| id.trim().to_string());
    out.push((raw, parent));
    for item in items {
        flatten(item, id.clone(), out);
    }
}
