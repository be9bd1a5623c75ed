//! Validate: reads the model and the index and reports what is wrong; changes nothing.

use std::collections::{HashMap, HashSet};

use crate::diagnostics::{Diagnostic, Span};
use crate::index::references::find_declared;
use crate::index::SiteIndex;
use crate::model::{Framework, Kind, Node};

/// Top-level folder names the site itself uses; a concept cannot take them.
pub const RESERVED_SLUGS: [&str; 9] = [
    "id",
    "references",
    "search",
    "static",
    "print",
    "crosswalk",
    "oscal",
    "conformance",
    "404.html",
];

/// Built-in table columns; any other key must be a field of some child.
pub const BUILTIN_COLUMNS: [&str; 7] = [
    "id",
    "title",
    "description",
    "references",
    "related",
    "kind",
    "mappings",
];

/// Every check on a loaded framework.
pub fn validate(framework: &Framework, index: &SiteIndex) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    check_ids(framework, &mut out);
    check_links(framework, index, &mut out);
    check_structure(framework, &mut out);
    check_citations(framework, &mut out);
    out.extend(crate::conformance::diagnostics(framework));
    out
}

/// Characters that are safe in a URL fragment and path segment without escaping.
fn id_is_url_safe(id: &str) -> bool {
    id.chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':' | '(' | ')'))
}

fn check_ids(framework: &Framework, out: &mut Vec<Diagnostic>) {
    let mut first: HashMap<&str, &Node> = HashMap::new();
    for node in framework.nodes.iter().skip(1) {
        if node.id.is_empty() {
            out.push(
                Diagnostic::error("E0040", format!("{} has no `id`", node.kind.name()))
                    .at(node.span.clone())
                    .help(
                        "add `id: …` to its front matter; ids are the framework's permanent links",
                    ),
            );
            continue;
        }
        if !id_is_url_safe(&node.id) {
            out.push(
                Diagnostic::error(
                    "E0042",
                    format!("id `{}` has characters that are unsafe in URLs", node.id),
                )
                .at(node.span.clone())
                .help("use letters, digits, `.`, `-` and `_`"),
            );
        }
        match first.get(node.id.as_str()) {
            Some(original) => out.push(
                Diagnostic::error("E0041", format!("duplicate id `{}`", node.id))
                    .at(node.span.clone())
                    .also(original.span.clone(), "first defined here"),
            ),
            None => {
                first.insert(&node.id, node);
            }
        }
    }
}

fn suggestion(id: &str, index: &SiteIndex) -> Option<String> {
    let limit = (id.chars().count() / 3).max(2);
    index
        .ids
        .keys()
        .map(|candidate| {
            (
                strsim::levenshtein(&id.to_lowercase(), &candidate.to_lowercase()),
                candidate,
            )
        })
        .filter(|(distance, _)| *distance <= limit)
        .min()
        .map(|(_, candidate)| format!("did you mean `{candidate}`?"))
}

fn unknown_id(id: &str, span: &Span, what: &str, index: &SiteIndex) -> Diagnostic {
    let diagnostic =
        Diagnostic::error("E0044", format!("{what} to unknown id `{id}`")).at(span.clone());
    match suggestion(id, index) {
        Some(help) => diagnostic.help(help),
        None => diagnostic,
    }
}

fn check_links(framework: &Framework, index: &SiteIndex, out: &mut Vec<Diagnostic>) {
    for node in &framework.nodes {
        let markdown = std::iter::once(&node.body)
            .chain(node.description.iter())
            .chain(node.extra_html.values());
        // A description taken from the body's first paragraph holds the body's links again.
        let mut seen = HashSet::new();
        for link in markdown.flat_map(|m| &m.links) {
            if index.node(&link.id).is_none() && seen.insert((&link.id, &link.span)) {
                out.push(unknown_id(&link.id, &link.span, "link", index));
            }
        }
        for related in &node.related {
            if index.node(&related.value).is_none() {
                out.push(unknown_id(
                    &related.value,
                    &related.span,
                    "`related` entry",
                    index,
                ));
            }
        }
        for column in node.columns.iter().flatten() {
            let builtin = BUILTIN_COLUMNS.contains(&column.key.as_str());
            let provided = node
                .children
                .iter()
                .any(|&c| framework.nodes[c].extra.contains_key(&column.key));
            if !builtin && !provided {
                out.push(
                    Diagnostic::error(
                        "E0045",
                        format!("no child provides column `{}`", column.key),
                    )
                    .at(column.span.clone())
                    .help(format!(
                        "give the children a `{}:` field, or use one of: {}",
                        column.key,
                        BUILTIN_COLUMNS.join(", ")
                    )),
                );
            }
        }
    }
}

fn check_structure(framework: &Framework, out: &mut Vec<Diagnostic>) {
    for node in &framework.nodes {
        if matches!(node.kind, Kind::Concept | Kind::Category) && node.title.is_none() {
            out.push(
                Diagnostic::error(
                    "E0043",
                    format!("{} `{}` has no `title`", node.kind.name(), node.id),
                )
                .at(node.span.clone()),
            );
        }
        if let Some(parent) = node.parent.map(|p| &framework.nodes[p]) {
            // Statements may nest (the model's deepest level takes "anything deeper").
            let nested_statement = node.kind == Kind::Statement && parent.kind == Kind::Statement;
            if node.kind <= parent.kind && !nested_statement {
                out.push(
                    Diagnostic::error(
                        "E0049",
                        format!(
                            "a {} cannot be placed under a {}",
                            node.kind.name(),
                            parent.kind.name()
                        ),
                    )
                    .at(node.span.clone())
                    .help("move it up, or set `kind:` to what it is"),
                );
            }
        }
        let mut slugs: HashMap<&str, &Node> = HashMap::new();
        for child in node.children.iter().map(|&c| &framework.nodes[c]) {
            if !child.has_page {
                continue;
            }
            if node.parent.is_none() && RESERVED_SLUGS.contains(&child.slug.as_str()) {
                out.push(
                    Diagnostic::error(
                        "E0048",
                        format!("`{}` is a name the site itself uses", child.slug),
                    )
                    .at(child.span.clone())
                    .help("rename the folder or file"),
                );
            }
            if child.slug.is_empty() {
                out.push(
                    Diagnostic::error("E0048", "this name gives an empty URL segment")
                        .at(child.span.clone()),
                );
            } else if let Some(other) = slugs.insert(&child.slug, child) {
                out.push(
                    Diagnostic::error(
                        "E0048",
                        format!("two pages would be written to `{}/`", child.slug),
                    )
                    .at(child.span.clone())
                    .also(other.span.clone(), "the other one"),
                );
            }
        }
    }
}

fn check_citations(framework: &Framework, out: &mut Vec<Diagnostic>) {
    let mut reported: HashSet<&str> = HashSet::new();
    for node in &framework.nodes {
        let mut previous: Option<&str> = None;
        for reference in &node.references {
            for citation in &reference.citations {
                match &citation.document {
                    None => out.push(
                        Diagnostic::warning(
                            "W0046",
                            format!("cannot parse citation `{}`", citation.cite),
                        )
                        .at(reference.span.clone())
                        .help(crate::citation::unreadable_help(&citation.cite, previous)),
                    ),
                    // Read under the name book.toml or references.yaml declares.
                    Some(_) if citation.scheme == Some(crate::citation::Scheme::Declared) => {}
                    Some(document) if framework.has_bibliography => {
                        let declared = find_declared(&framework.documents, document).is_some()
                            || citation
                                .series
                                .as_deref()
                                .is_some_and(|s| find_declared(&framework.documents, s).is_some());
                        if !declared && reported.insert(document) {
                            out.push(
                                Diagnostic::warning(
                                    "W0047",
                                    format!("`{document}` is not declared in references.yaml"),
                                )
                                .at(reference.span.clone()),
                            );
                        }
                    }
                    Some(_) => {}
                }
            }
            // A following entry that is only clauses was probably split from this one.
            previous = match reference.citations.last() {
                Some(last) if last.is_parsed() => Some(reference.cite.as_str()),
                _ => None,
            };
        }
    }
}
