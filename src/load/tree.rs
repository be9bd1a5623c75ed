//! Tree building: the flat node list from folders, files and inline items.

use super::*;

/// Builds the flat node list from folders, files and inline items.
pub(super) struct Tree<'a> {
    pub(super) nodes: Vec<Node>,
    pub(super) display: &'a dyn Fn(&Path) -> String,
}

/// `text` without surrounding white space, copied only when it has some.
pub(super) fn trimmed(text: String) -> String {
    if text.trim().len() == text.len() {
        text
    } else {
        text.trim().to_string()
    }
}

impl Tree<'_> {
    /// Adds a node and, recursively, its inline items; returns its index.
    pub(super) fn add(
        &mut self,
        raw: RawNode,
        parent: Option<usize>,
        depth: usize,
        slug: String,
        has_page: bool,
        source: String,
    ) -> usize {
        let index = self.nodes.len();
        let kind = raw.kind.unwrap_or_else(|| Kind::from_depth(depth));
        self.nodes.push(Node {
            id: trimmed(raw.id.unwrap_or_default()),
            kind,
            title: raw.title,
            description: raw.description,
            description_repeats_body: raw.description_repeats_body,
            body: raw.body,
            references: raw.references,
            related: raw.related,
            columns: raw.columns,
            extra: raw.extra,
            extra_html: raw.extra_html,
            extra_spans: raw.extra_spans,
            order: raw.order,
            parent,
            children: Vec::new(),
            slug,
            has_page,
            source: source.clone(),
            span: raw.span,
            depth,
        });
        if let Some(parent) = parent {
            self.nodes[parent].children.push(index);
        }
        for item in raw.items {
            let item_kind = item.kind.unwrap_or_else(|| Kind::from_depth(depth + 1));
            let slug = slugify(item.id.as_deref().unwrap_or("item"));
            // Concepts and categories always get a page: their table lives there.
            let page = item_kind <= Kind::Category;
            self.add(item, Some(index), depth + 1, slug, page, source.clone());
        }
        self.sort_children(index);
        index
    }

    pub(super) fn add_folder_children(
        &mut self,
        folder: &Folder,
        parent: usize,
        parsed: &mut ParsedFiles<'_>,
    ) {
        let depth = self.nodes[parent].depth + 1;
        for file in &folder.files {
            let Some(parsed_file) = parsed.remove(file.as_os_str()) else {
                continue;
            };
            let stem = file
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let source = (self.display)(file);
            self.add(
                parsed_file.node,
                Some(parent),
                depth,
                slugify(&stem),
                true,
                source,
            );
        }
        for child in &folder.folders {
            let name = child
                .rel
                .file_name()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let source = (self.display)(&child.rel.join(INDEX_FILE));
            let raw = match child
                .index
                .as_deref()
                .and_then(|p| parsed.remove(p.as_os_str()))
            {
                Some(file) => file.node,
                None => RawNode {
                    span: Span::file((self.display)(&child.rel)),
                    title: Some(name.clone()),
                    ..RawNode::default()
                },
            };
            let index = self.add(raw, Some(parent), depth, slugify(&name), true, source);
            self.add_folder_children(child, index, parsed);
        }
        self.sort_children(parent);
    }

    /// Orders children by `order:`, then by source (file name or declaration order).
    pub(super) fn sort_children(&mut self, parent: usize) {
        let mut children = std::mem::take(&mut self.nodes[parent].children);
        let nodes = &self.nodes;
        children.sort_by(|&a, &b| {
            let key = |i: usize| nodes[i].order.unwrap_or(f64::INFINITY);
            key(a).total_cmp(&key(b)).then_with(|| {
                // Inline items keep their declaration order; files go by name.
                if nodes[a].source == nodes[b].source {
                    a.cmp(&b)
                } else {
                    nodes[a].slug.cmp(&nodes[b].slug)
                }
            })
        });
        self.nodes[parent].children = children;
    }
}
