//! The reference pages (`references/`, `references/<series>/`, `references/<document>/`)
//! and the reference index as template data, shared by those pages and the print
//! edition; they differ only in where a citing item and a cited document link to.

use serde::Serialize;

use super::{relative_url, LinkView, Page, Renderer};
use crate::diagnostics::Diagnostic;
use crate::index::references::{DocumentEntry, ReferenceIndex, SeriesEntry};
use crate::model::Framework;

/// An item citing a series, document or clause.
#[derive(Debug, Serialize)]
pub struct CiteView<'a> {
    id: &'a str,
    title: &'a str,
    href: String,
}

/// A cited clause.
#[derive(Debug, Serialize)]
pub struct ClauseView<'a> {
    clause: &'a str,
    edition: Option<&'a str>,
    anchor: &'a str,
    cited_by: Vec<CiteView<'a>>,
}

/// A cited document with its clauses.
#[derive(Debug, Serialize)]
pub struct DocumentView<'a> {
    document: &'a str,
    part: Option<&'a str>,
    title: Option<&'a str>,
    slug: &'a str,
    href: String,
    cited_by: Vec<CiteView<'a>>,
    clauses: Vec<ClauseView<'a>>,
}

/// A cited series with (some of) its documents.
#[derive(Debug, Serialize)]
pub struct SeriesView<'a> {
    series: &'a str,
    slug: &'a str,
    title: Option<&'a str>,
    url: Option<&'a str>,
    href: String,
    cited_by: Vec<CiteView<'a>>,
    documents: Vec<DocumentView<'a>>,
}

/// Builds views with the page's own way of linking: `item_href` for a citing node,
/// `document_href` for a series or document by its slug.
pub struct ReferenceViews<'a, I, D> {
    /// The framework whose nodes cite.
    pub framework: &'a Framework,
    /// Where a citing node links to.
    pub item_href: I,
    /// Where a series or document (by slug) links to.
    pub document_href: D,
}

impl<'a, I, D> ReferenceViews<'a, I, D>
where
    I: Fn(usize) -> String,
    D: Fn(&str) -> String,
{
    fn cited_by(&self, nodes: &[usize]) -> Vec<CiteView<'a>> {
        nodes
            .iter()
            .map(|&n| {
                let node = &self.framework.nodes[n];
                CiteView {
                    // Shown as the publisher labels it.
                    id: node.shown_id(),
                    title: node.title_or_id(),
                    href: (self.item_href)(n),
                }
            })
            .collect()
    }

    /// One document with its clauses.
    pub fn document(&self, document: &'a DocumentEntry) -> DocumentView<'a> {
        let clauses = document
            .clauses
            .iter()
            .map(|clause| ClauseView {
                clause: &clause.clause,
                edition: clause.edition.as_deref(),
                anchor: &clause.anchor,
                cited_by: self.cited_by(&clause.cited_by),
            })
            .collect();
        DocumentView {
            document: &document.document,
            part: document.part.as_deref(),
            title: document.title.as_deref(),
            slug: &document.slug,
            href: (self.document_href)(&document.slug),
            cited_by: self.cited_by(&document.cited_by),
            clauses,
        }
    }

    /// Every cited series of the reference index, each with its documents.
    pub fn every_series(&self, index: &'a ReferenceIndex) -> Vec<SeriesView<'a>> {
        index
            .series
            .iter()
            .map(|entry| self.series(entry, true))
            .collect()
    }

    /// A series; with its documents only when `with_documents` (they are large).
    pub fn series(&self, entry: &'a SeriesEntry, with_documents: bool) -> SeriesView<'a> {
        let documents = if with_documents {
            entry.documents.iter().map(|d| self.document(d)).collect()
        } else {
            Vec::new()
        };
        SeriesView {
            series: &entry.series,
            slug: &entry.slug,
            title: entry.title.as_deref(),
            url: entry.url.as_deref(),
            href: (self.document_href)(&entry.slug),
            cited_by: self.cited_by(&entry.cited_by),
            documents,
        }
    }
}

// The reference pages: `references/` (the whole index), `references/<series>/` and
// `references/<document>/`.
impl<'a> Renderer<'a> {
    /// Reference-index views whose links are relative to the page folder `dir`.
    pub(super) fn reference_views<'d>(
        &'d self,
        dir: &'d str,
    ) -> ReferenceViews<'a, impl Fn(usize) -> String + 'd, impl Fn(&str) -> String + 'd> {
        ReferenceViews {
            framework: self.framework,
            item_href: move |n: usize| relative_url(dir, &self.index.urls[n]),
            document_href: move |slug: &str| relative_url(dir, &format!("references/{slug}/")),
        }
    }

    pub(super) fn render_reference_index(&self, page: &Page) -> Result<String, Diagnostic> {
        let dir = page.dir();
        let mut context = self.base_context(page, "Reference index");
        let views = self.reference_views(dir);
        context.insert("series", &views.every_series(&self.index.references));
        let mut home = self.link(0, dir);
        home.title = "Overview".into();
        context.insert("breadcrumbs", &vec![home]);
        self.run("references.html", &context)
    }

    pub(super) fn render_reference_page(
        &self,
        page: &Page,
        series: usize,
        document: Option<usize>,
    ) -> Result<String, Diagnostic> {
        let dir = page.dir();
        let entry = &self.index.references.series[series];
        let (title, doc_title, doc_url) = match document.map(|d| &entry.documents[d]) {
            Some(doc) => (
                &doc.document,
                doc.title.as_ref().or(entry.title.as_ref()),
                &doc.url,
            ),
            None => (&entry.series, entry.title.as_ref(), &entry.url),
        };
        let mut context = self.base_context(page, title);
        let mut crumbs = vec![self.link(0, dir)];
        crumbs[0].title = "Overview".into();
        crumbs.push(LinkView {
            id: String::new(),
            title: "Reference index".into(),
            url: relative_url(dir, "references/"),
        });
        if document.is_some() {
            crumbs.push(LinkView {
                id: String::new(),
                title: entry.series.clone(),
                url: relative_url(dir, &format!("references/{}/", entry.slug)),
            });
        }
        context.insert("breadcrumbs", &crumbs);
        let views = self.reference_views(dir);
        context.insert("entry", &views.series(entry, false));
        let documents: Vec<_> = match document {
            Some(d) => vec![views.document(&entry.documents[d])],
            None => entry.documents.iter().map(|d| views.document(d)).collect(),
        };
        context.insert("documents", &documents);
        context.insert("single", &document.is_some());
        context.insert("doc_title", &doc_title);
        context.insert("doc_url", doc_url);
        self.run("reference.html", &context)
    }
}
