//! Validate: reads the model and the index and reports what is wrong; changes nothing.

pub mod conformance;

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

/// Drops the warnings about likely misspelt front-matter keys (`W0018`, written by the
/// load stage, which sees one file at a time) for keys the project declares as its own
/// fields: `[framework] fields`, and every custom key a `columns:` list names.
pub fn drop_declared_fields(diagnostics: &mut Vec<Diagnostic>, framework: &Framework) {
    let mut declared: HashSet<&str> = framework
        .config
        .framework
        .fields
        .iter()
        .map(String::as_str)
        .collect();
    for node in &framework.nodes {
        for column in node.columns.iter().flatten() {
            declared.insert(column.key.as_str());
        }
    }
    diagnostics.retain(|d| {
        d.code != crate::load::MISSPELLED_KEY
            || d.message
                .split('`')
                .nth(1)
                .is_none_or(|key| !declared.contains(key))
    });
}

/// Every check on a loaded framework.
pub fn validate(framework: &Framework, index: &SiteIndex) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    check_ids(framework, &mut out);
    check_links(framework, index, &mut out);
    check_structure(framework, &mut out);
    check_citations(framework, &mut out);
    out.extend(conformance::diagnostics(framework));
    out
}

/// Characters that are safe in a URL fragment and path segment without escaping.
fn id_is_url_safe(id: &str) -> bool {
    id.chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':' | '(' | ')'))
}

/// The longest id, in bytes: its permanent link is a folder named after it, and file
/// systems stop at 255 bytes a name.
const MAX_ID_BYTES: usize = 200;

/// Why `id` cannot name a folder on Windows, macOS or Linux (its permanent link is
/// `id/<ID>/`), if it cannot.
fn id_file_name_problem(id: &str) -> Option<String> {
    const RESERVED: [&str; 22] = [
        "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
        "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
    ];
    let stem = id.split('.').next().unwrap_or(id).to_ascii_lowercase();
    if id.chars().all(|c| c == '.') {
        Some("is made of dots only, which names no folder".into())
    } else if id.contains(':') {
        Some("holds `:`, which Windows and macOS do not allow in file names".into())
    } else if RESERVED.contains(&stem.as_str()) {
        Some(format!(
            "is `{stem}` to Windows, a name it reserves for a device"
        ))
    } else if id.ends_with('.') {
        Some("ends with `.`, which Windows drops from file names".into())
    } else if id.len() > MAX_ID_BYTES {
        Some(format!(
            "is {} bytes long; at most {MAX_ID_BYTES} fit in a file name",
            id.len()
        ))
    } else {
        None
    }
}

fn check_ids(framework: &Framework, out: &mut Vec<Diagnostic>) {
    let mut first: HashMap<&str, &Node> = HashMap::new();
    let mut folded: HashMap<String, &Node> = HashMap::new();
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
        } else if let Some(problem) = id_file_name_problem(&node.id) {
            let shown: String = node.id.chars().take(40).collect();
            out.push(
                Diagnostic::error("E0042", format!("id `{shown}` {problem}"))
                    .at(node.span.clone())
                    .help(
                        "the permanent link of an id is a folder named after it; choose another id",
                    ),
            );
        }
        if let Some(other) = folded.get(&node.id.to_lowercase()) {
            if other.id != node.id {
                out.push(
                    Diagnostic::error(
                        "E0041",
                        format!("ids `{}` and `{}` differ only in case", other.id, node.id),
                    )
                    .at(node.span.clone())
                    .also(other.span.clone(), "the other one")
                    .help("their permanent links would be one folder on Windows and macOS; rename one"),
                );
            }
        } else {
            folded.insert(node.id.to_lowercase(), node);
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

/// `text` cut to its first 80 characters (with `…`): a diagnostic quotes a cell, it does
/// not echo a megabyte of it.
fn shorten(text: &str) -> String {
    match text.char_indices().nth(80) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
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
                            format!("cannot parse citation `{}`", shorten(&citation.cite)),
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

#[cfg(test)]
mod tests {
    #[test]
    fn ids_that_cannot_name_a_folder() {
        for bad in [
            "..", ".", "CON", "con.1", "Lpt9", "NUL", "C:", "a:b", "AC-1.",
        ] {
            assert!(super::id_file_name_problem(bad).is_some(), "{bad}");
        }
        assert!(super::id_file_name_problem(&"a".repeat(201)).is_some());
        let longest = "a".repeat(200);
        for good in ["AC-1", "ac-2.1", "CONTROL", "CON-1", "ID.AM-01", &longest] {
            assert!(super::id_file_name_problem(good).is_none(), "{good}");
        }
    }
}
