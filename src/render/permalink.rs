//! `_id/<ID>/`: the permalink of a node, a redirect to where the node is shown.
//!
//! The folder's name starts with `_`, which no item's URL segment can (see
//! `validate::RESERVED_SLUGS`), so a framework whose top level is called `ID` (the
//! Cybersecurity Framework's IDENTIFY) can have `/id/`. Each item also answers at
//! `_id/<label>/` (`_id/AC-2(1)/`), and at the older `id/<ID>/` whenever no page of the
//! framework lives in the `id/` folder.

use std::collections::HashSet;

use super::*;

/// The folder of permanent links.
pub const DIR: &str = "_id/";

/// The folder permanent links had before `_id/`, still written when free.
const OLD_DIR: &str = "id/";

impl Renderer<'_> {
    /// Every permanent link: by id, by label, and the old `id/` form when that folder is free.
    pub(super) fn permalink_pages(&self) -> Vec<Page> {
        let nodes = &self.framework.nodes;
        let old_free = !self
            .index
            .pages
            .iter()
            .any(|&p| self.index.urls[p] == OLD_DIR || self.index.urls[p].starts_with(OLD_DIR));
        let mut taken: HashSet<String> = HashSet::new();
        let mut pages = Vec::new();
        let mut push = |path: String, node: usize, taken: &mut HashSet<String>| {
            // Folders equal but for case are one folder on Windows and macOS.
            if taken.insert(path.to_lowercase()) {
                pages.push(Page {
                    path,
                    kind: PageKind::Permalink(node),
                });
            }
        };
        let owned = |i: usize, n: &Node| !n.id.is_empty() && self.index.ids.get(&n.id) == Some(&i);
        for (node, item) in nodes.iter().enumerate().filter(|&(i, n)| owned(i, n)) {
            push(format!("{DIR}{}/index.html", item.id), node, &mut taken);
            if old_free {
                push(format!("{OLD_DIR}{}/index.html", item.id), node, &mut taken);
            }
        }
        // Labels after every id, so that an id always wins a folder over a label.
        for (node, item) in nodes.iter().enumerate().filter(|&(i, n)| owned(i, n)) {
            if let Some(label) = item.label().filter(|l| label_names_a_folder(l)) {
                push(format!("{DIR}{label}/index.html"), node, &mut taken);
            }
        }
        pages
    }

    pub(super) fn render_permalink(
        &self,
        page: &Page,
        node_index: usize,
    ) -> Result<String, Diagnostic> {
        let node = &self.framework.nodes[node_index];
        let mut context = Context::new();
        context.insert("id", &node.id);
        context.insert("title", node.title_or_id());
        context.insert(
            "target",
            &relative_url(page.dir(), &self.index.urls[node_index]),
        );
        context.insert(
            "canonical",
            &self
                .site
                .absolute_base()
                .map(|b| format!("{b}{}", self.index.urls[node_index])),
        );
        self.run("redirect.html", &context)
    }
}

/// True when a label can name a folder and sit in a URL as it is: `AC-2(1)`, `GV.OC-01`.
fn label_names_a_folder(label: &str) -> bool {
    !label.is_empty()
        && label.len() <= 200
        && !label.starts_with('.')
        && !label.ends_with('.')
        && label
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '(' | ')'))
}
