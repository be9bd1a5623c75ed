//! `id/<ID>/`: the permalink of a node, a redirect to where the node is shown.

use super::*;

impl Renderer<'_> {
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
