//! The search page, `search/index.html`: the search box with room for many results. The
//! search itself runs in the browser (`static/search.js` over `search-index.js`).

use super::{Page, Renderer};
use crate::diagnostics::Diagnostic;

/// The page's folder.
pub const DIR: &str = "search/";

impl Renderer<'_> {
    /// Renders `search/index.html`.
    pub(super) fn render_search(&self, page: &Page) -> Result<String, Diagnostic> {
        let mut context = self.base_context(page, "Search");
        context.insert(
            "description",
            &format!(
                "Search the items, descriptions and citations of {}.",
                self.framework.config.book.title
            ),
        );
        let withdrawn = self
            .framework
            .nodes
            .iter()
            .filter(|n| n.is_withdrawn())
            .count();
        context.insert("withdrawn", &withdrawn);
        self.run("search.html", &context)
    }
}
