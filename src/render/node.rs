//! Pages of nodes: the home page, concepts, categories and items, with their
//! breadcrumbs and the home page's concept cards.

use super::*;

impl Renderer<'_> {
    pub(super) fn render_node(&self, page: &Page, node_index: usize) -> Result<String, Diagnostic> {
        let node = &self.framework.nodes[node_index];
        let dir = page.dir();
        let mut context = self.base_context(page, node.label());
        let mut builder = TableBuilder::new(self.framework, self.crosswalks, self.index, dir);
        if let Some(history) = self.history {
            builder = builder.with_history(history);
            context.insert(
                "history",
                &super::changes::history_html(history, &node.id, dir),
            );
        }
        let description = node
            .description
            .as_ref()
            .map(|d| resolve_links(&d.html, dir, self.index));
        context.insert(
            "description",
            &node.description.as_ref().map(|d| truncate(&d.plain, 300)),
        );
        let body = resolve_links(&node.body.html, dir, self.index);
        let (references, related) = (builder.citations(&node.references), builder.related(node));
        let mappings = crosswalk::mappings_cell(self.crosswalks, &node.id, dir);
        context.insert(
            "node",
            &NodeView {
                id: &node.id,
                kind: node.kind.name(),
                title: node.label(),
                description: description.as_deref(),
                // A description that merely repeats the body's first paragraph is not shown twice.
                show_description: node.description.is_some() && !node.description_repeats_body,
                body: &body,
                references: &references,
                related: &related,
                mappings: &mappings,
                url: &self.index.urls[node_index],
                source: &node.source,
                extra: &node.extra,
            },
        );
        context.insert("table", &builder.table(node_index));
        context.insert("breadcrumbs", &self.breadcrumbs(node, dir));
        let (prev, next) = self.index.neighbours(node_index);
        context.insert("prev", &prev.map(|p| self.link(p, dir)));
        context.insert("next", &next.map(|n| self.link(n, dir)));
        let template = match node.kind {
            _ if node.parent.is_none() => {
                context.insert("concepts", &self.concept_cards(dir));
                "home.html"
            }
            Kind::Concept => "concept.html",
            Kind::Category => "category.html",
            _ => "item.html",
        };
        self.run(template, &context)
    }

    pub(super) fn breadcrumbs(&self, node: &Node, dir: &str) -> Vec<LinkView> {
        let mut crumbs = Vec::new();
        let mut parent = node.parent;
        while let Some(p) = parent {
            let mut link = self.link(self.index.page_of[p], dir);
            if p == 0 {
                link.title = "Overview".into();
            }
            crumbs.push(link);
            parent = self.framework.nodes[p].parent;
        }
        crumbs.reverse();
        crumbs
    }

    pub(super) fn concept_cards(&self, dir: &str) -> Vec<serde_json::Value> {
        SiteIndex::concepts(self.framework)
            .into_iter()
            .map(|c| {
                let node = &self.framework.nodes[c];
                let children: Vec<_> = node
                    .children
                    .iter()
                    .map(|&k| {
                        let child = self.link(k, dir);
                        serde_json::json!({"id": child.id, "title": child.title, "href": child.url})
                    })
                    .collect();
                serde_json::json!({
                    "id": node.id,
                    "title": node.label(),
                    "href": relative_url(dir, &self.index.urls[c]),
                    "description": node.description.as_ref().map(|d| resolve_links(&d.html, dir, self.index)),
                    "children": children,
                })
            })
            .collect()
    }
}
