//! `404.html`, served at any depth.

use super::*;

impl Renderer<'_> {
    pub(super) fn render_not_found(&self) -> Result<String, Diagnostic> {
        // 404.html is served at any depth, so its links start from the site's base path.
        let page = Page {
            path: "404.html".into(),
            kind: PageKind::NotFound,
        };
        let mut context = self.base_context(&page, "Page not found");
        context.insert("root", &self.site.base_path());
        context.insert("canonical", &None::<String>);
        self.run("404.html", &context)
    }
}
