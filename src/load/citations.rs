//! Citations read again once the declared documents are known: references.yaml is read
//! after the content files (which are parsed in parallel), so a cell is first read with the
//! built-in grammar and, where that leaves text unread, again with the declared names.

use crate::citation::KnownDocuments;
use crate::config::Config;
use crate::model::{DeclaredDocument, Node};

/// The documents and prefixes the project declares (references.yaml, book.toml
/// `[citations]`), for the citation parser.
pub fn known_documents(documents: &[DeclaredDocument], config: &Config) -> KnownDocuments {
    let names = documents.iter().map(|d| d.document.as_str());
    let configured = config.citations.documents.iter().map(String::as_str);
    let prefixes = config.citations.prefixes.iter().map(String::as_str);
    KnownDocuments::new(names.chain(configured), prefixes)
}

/// Reads again, knowing the declared documents, every reference cell the built-in
/// grammar left (partly) unread. Cells read whole are not touched: a declared name only
/// matters where the grammar alone fails or reads less.
pub(super) fn read_declared_citations<'n>(
    nodes: impl IntoIterator<Item = &'n mut Node>,
    known: &KnownDocuments,
) {
    if known.is_empty() {
        return;
    }
    for node in nodes {
        for reference in &mut node.references {
            if reference.citations.iter().any(|c| !c.is_parsed()) {
                reference.citations = known.parse(&reference.cite);
            }
        }
    }
}
