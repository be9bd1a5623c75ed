//! The reference index: cited series → documents (parts) → clauses → the nodes citing each.

use foldhash::HashMap;
use std::cmp::Ordering;

use crate::citation::compare_clauses;
use crate::markdown::slugify;
use crate::model::{DeclaredDocument, Framework};

/// Every cited series, in natural order (27001 before 27002 before 27035).
#[derive(Debug, Clone, Default)]
pub struct ReferenceIndex {
    /// The cited series.
    pub series: Vec<SeriesEntry>,
}

/// A cited series (`ISO/IEC 27035`) with its documents.
#[derive(Debug, Clone)]
pub struct SeriesEntry {
    /// The series as cited.
    pub series: String,
    /// URL segment under `references/`.
    pub slug: String,
    /// Title from references.yaml.
    pub title: Option<String>,
    /// Link from references.yaml.
    pub url: Option<String>,
    /// Nodes citing the whole series ("(all parts)").
    pub cited_by: Vec<usize>,
    /// Its documents: the parts, or the series itself when cited without a part.
    pub documents: Vec<DocumentEntry>,
}

/// A cited document (`ISO/IEC 27035-1`, or `ISO/IEC 27002` for a series without parts).
#[derive(Debug, Clone)]
pub struct DocumentEntry {
    /// The document as cited, without edition.
    pub document: String,
    /// Part number, when the document is a part.
    pub part: Option<String>,
    /// URL segment under `references/`.
    pub slug: String,
    /// Title from references.yaml.
    pub title: Option<String>,
    /// Link from references.yaml.
    pub url: Option<String>,
    /// Nodes citing the document without naming clauses.
    pub cited_by: Vec<usize>,
    /// Cited clauses in numeric order.
    pub clauses: Vec<ClauseEntry>,
}

/// A cited clause of one edition of a document.
#[derive(Debug, Clone)]
pub struct ClauseEntry {
    /// The clause, normalised (`6.1.2`, `A.8.1.1`).
    pub clause: String,
    /// The edition cited, when given.
    pub edition: Option<String>,
    /// Element id of the clause's row on the document's page.
    pub anchor: String,
    /// Nodes citing it.
    pub cited_by: Vec<usize>,
}

/// Orders names with numbers in them by value, so `27035-2` comes before `27035-10`
/// (letters compare without case).
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let mut a_chars = a.chars().peekable();
    let mut b_chars = b.chars().peekable();
    loop {
        match (a_chars.peek().copied(), b_chars.peek().copied()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let number = |chars: &mut std::iter::Peekable<std::str::Chars<'_>>| {
                    let mut digits = String::new();
                    while let Some(c) = chars.peek().copied().filter(char::is_ascii_digit) {
                        digits.push(c);
                        chars.next();
                    }
                    digits
                };
                let (x, y) = (number(&mut a_chars), number(&mut b_chars));
                let (xt, yt) = (x.trim_start_matches('0'), y.trim_start_matches('0'));
                let ordering = xt.len().cmp(&yt.len()).then_with(|| xt.cmp(yt));
                if ordering != Ordering::Equal {
                    return ordering;
                }
            }
            (Some(x), Some(y)) => {
                let ordering = x.to_lowercase().cmp(y.to_lowercase());
                if ordering != Ordering::Equal {
                    return ordering;
                }
                a_chars.next();
                b_chars.next();
            }
        }
    }
}

/// Collects citations: series → document → (clause, edition) → citing nodes. Names are
/// borrowed from the model (a large framework has tens of thousands of citations of a few
/// hundred documents), and the entries are put in order once, at the end.
#[derive(Default)]
struct Collector<'f> {
    series: HashMap<&'f str, (Vec<usize>, HashMap<&'f str, DocumentDraft<'f>>)>,
}

#[derive(Default)]
struct DocumentDraft<'f> {
    part: Option<&'f str>,
    cited_by: Vec<usize>,
    clauses: HashMap<(&'f str, Option<&'f str>), Vec<usize>>,
}

/// Adds `node` to `list` unless it is there. Nodes are collected one at a time, each with
/// all its citations: when a node is in a list, it is the last one.
fn push_once(list: &mut Vec<usize>, node: usize) {
    if list.last() != Some(&node) {
        list.push(node);
    }
}

impl ReferenceIndex {
    /// Builds the index from every node's citations, in site order.
    pub fn build(framework: &Framework) -> ReferenceIndex {
        let mut collector = Collector::default();
        for node_index in framework.site_order() {
            let node = &framework.nodes[node_index];
            for citation in node.references.iter().flat_map(|r| &r.citations) {
                let (Some(document), Some(series)) = (&citation.document, &citation.series) else {
                    continue;
                };
                let (series_cited_by, documents) =
                    collector.series.entry(series.as_str()).or_default();
                if citation.all_parts {
                    push_once(series_cited_by, node_index);
                    continue;
                }
                let draft = documents.entry(document.as_str()).or_default();
                draft.part = citation.part.as_deref();
                if citation.clauses.is_empty() {
                    push_once(&mut draft.cited_by, node_index);
                }
                for clause in &citation.clauses {
                    let key = (clause.as_str(), citation.edition.as_deref());
                    push_once(draft.clauses.entry(key).or_default(), node_index);
                }
            }
        }
        let declared = |name: &str| find_declared(&framework.documents, name);
        let mut series: Vec<SeriesEntry> = collector
            .series
            .into_iter()
            .map(|(name, (cited_by, documents))| {
                let mut documents: Vec<DocumentEntry> = documents
                    .into_iter()
                    .map(|(document, draft)| document_entry(document, draft, declared))
                    .collect();
                // natural_cmp is a total order: the map's order does not show.
                documents.sort_by(|a, b| natural_cmp(&a.document, &b.document));
                let own = declared(name);
                SeriesEntry {
                    slug: slugify(name),
                    title: own.and_then(|d| d.title.clone()),
                    url: own.and_then(|d| d.url.clone()),
                    series: name.to_string(),
                    cited_by,
                    documents,
                }
            })
            .collect();
        series.sort_by(|a, b| natural_cmp(&a.series, &b.series));
        ReferenceIndex { series }
    }

    /// The series and document entry of a cited document.
    pub fn document(&self, document: &str) -> Option<(&SeriesEntry, &DocumentEntry)> {
        self.series.iter().find_map(|series| {
            series
                .documents
                .iter()
                .find(|d| d.document == document)
                .map(|d| (series, d))
        })
    }

    /// The series entry of a cited series.
    pub fn series(&self, series: &str) -> Option<&SeriesEntry> {
        self.series.iter().find(|s| s.series == series)
    }
}

fn document_entry<'a>(
    document: &str,
    draft: DocumentDraft<'_>,
    declared: impl Fn(&str) -> Option<&'a DeclaredDocument>,
) -> DocumentEntry {
    let mut clauses: Vec<ClauseEntry> = draft
        .clauses
        .into_iter()
        .map(|((clause, edition), cited_by)| ClauseEntry {
            anchor: clause_anchor(clause, edition),
            clause: clause.to_string(),
            edition: edition.map(str::to_string),
            cited_by,
        })
        .collect();
    // A total order (compare_clauses ends on plain string order): the map's does not show.
    clauses.sort_by(|a, b| {
        compare_clauses(&a.clause, &b.clause).then_with(|| a.edition.cmp(&b.edition))
    });
    let own = declared(document);
    DocumentEntry {
        slug: slugify(document),
        title: own.and_then(|d| d.title.clone()),
        url: own.and_then(|d| d.url.clone()),
        part: draft.part.map(str::to_string),
        cited_by: draft.cited_by,
        clauses,
        document: document.to_string(),
    }
}

/// Element id of a clause row: `clause-6.1.2`, or `clause-6.1.2-2013` with an edition.
pub fn clause_anchor(clause: &str, edition: Option<&str>) -> String {
    match edition {
        Some(edition) => format!("clause-{}-{}", slugify(clause), slugify(edition)),
        None => format!("clause-{}", slugify(clause)),
    }
}

/// The declaration of a document in references.yaml (spacing and case ignored).
pub fn find_declared<'a>(
    documents: &'a [DeclaredDocument],
    name: &str,
) -> Option<&'a DeclaredDocument> {
    let key = normalise_name(name);
    documents
        .iter()
        .find(|d| normalise_name(&d.document) == key)
}

fn normalise_name(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order_compares_numbers_by_value() {
        let mut names = vec![
            "ISO/IEC 27035-10",
            "ISO/IEC 27035-2",
            "ISO/IEC 27002",
            "ISO/IEC 27001",
        ];
        names.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            names,
            [
                "ISO/IEC 27001",
                "ISO/IEC 27002",
                "ISO/IEC 27035-2",
                "ISO/IEC 27035-10"
            ]
        );
    }

    #[test]
    fn clause_anchors_are_stable() {
        assert_eq!(clause_anchor("16.1.5", Some("2013")), "clause-16.1.5-2013");
        assert_eq!(clause_anchor("A", None), "clause-a");
    }
}
