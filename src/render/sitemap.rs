//! `sitemap.xml`: every page of the site.

use super::*;

impl Renderer<'_> {
    pub(super) fn render_sitemap(&self) -> Result<String, Diagnostic> {
        // `pages` lists no sitemap without a public address; should one be asked for
        // anyway, it is empty rather than made of relative URLs (which are invalid there).
        let Some(base) = self.site.absolute_base() else {
            return Ok(String::new());
        };
        let mut urls: Vec<String> = self
            .index
            .pages
            .iter()
            .map(|&n| format!("{base}{}", self.index.urls[n]))
            .collect();
        urls.push(format!("{base}references/"));
        urls.push(format!("{base}{}", conformance::DIR));
        for series in &self.index.references.series {
            urls.push(format!("{base}references/{}/", series.slug));
            for document in series.documents.iter().filter(|d| d.slug != series.slug) {
                urls.push(format!("{base}references/{}/", document.slug));
            }
        }
        for page in self.crosswalk_pages() {
            urls.push(format!("{base}{}", page.dir()));
        }
        for dir in self.change_dirs() {
            urls.push(format!("{base}{dir}"));
        }
        let mut context = Context::new();
        context.insert("urls", &urls);
        self.run("sitemap.xml", &context)
    }
}
