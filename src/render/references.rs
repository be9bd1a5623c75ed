//! The reference index as template data, shared by the reference pages and the print
//! edition; they differ only in where a citing item and a cited document link to.

use serde::Serialize;

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
                    id: &node.id,
                    title: node.label(),
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
