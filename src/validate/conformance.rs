//! ISO/IEC TS 27110 conformance: which of the required concepts the framework contains,
//! what each concept holds, and what is missing. Read by `validate` (diagnostics) and by
//! `render` (the site's conformance page).

use foldhash::{HashSet, HashSetExt};

use serde::Serialize;

use crate::diagnostics::{Diagnostic, Severity, Span};
use crate::index::SiteIndex;
use crate::model::{Framework, Kind, Node};

/// The conformance of a framework to its `[framework] required-concepts`.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// True when every required concept is present.
    pub meets: bool,
    /// True when a missing concept is an error (`strict = true`).
    pub strict: bool,
    /// The required concepts, in the order configured, with what meets each.
    pub required: Vec<Requirement>,
    /// Every concept of the framework, in site order.
    pub concepts: Vec<ConceptSummary>,
    /// Totals over the whole framework.
    pub totals: Counts,
}

/// One required concept and the concept that meets it, if any.
#[derive(Debug, Clone, Serialize)]
pub struct Requirement {
    /// The name configured (`Identify`).
    pub name: String,
    /// Index of the concept node that meets it.
    pub node: Option<usize>,
}

/// What one concept contains.
#[derive(Debug, Clone, Serialize)]
pub struct ConceptSummary {
    /// The concept's node index.
    pub node: usize,
    /// The required concept it meets, when it meets one.
    pub meets: Option<String>,
    /// What it holds.
    pub counts: Counts,
    /// Its categories without subcategories.
    pub empty_categories: Vec<usize>,
}

/// Numbers of items and citations.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Counts {
    /// Categories.
    pub categories: usize,
    /// Subcategories.
    pub subcategories: usize,
    /// Statements.
    pub statements: usize,
    /// Citations (a reference cell may hold several).
    pub citations: usize,
    /// Citations that could not be parsed.
    pub unparsed: usize,
    /// Distinct documents cited.
    pub documents: usize,
    /// Items (below the concept) in branches that cite nothing at all.
    pub unreferenced: usize,
}

/// The concepts of a framework: children of the root that are concepts (all of them when
/// none is marked a concept, as the site shows them).
fn concepts(framework: &Framework) -> Vec<usize> {
    SiteIndex::concepts(framework)
}

/// True when `node` meets the required concept `name`: by id, title or folder name, in
/// any case; a title may carry its code after it ("IDENTIFY (ID)", as CSF 2.0 prints it).
fn matches(node: &Node, name: &str) -> bool {
    let wanted = name.trim().to_lowercase();
    let title_matches = |title: &str| {
        let title = title.trim().to_lowercase();
        let bare = match title.rsplit_once(" (") {
            Some((bare, code)) if code.ends_with(')') => bare.trim(),
            Some(_) | None => title.as_str(),
        };
        title == wanted || bare == wanted
    };
    !wanted.is_empty()
        && (node.id.trim().to_lowercase() == wanted
            || node.title.as_deref().is_some_and(title_matches)
            || node.slug == crate::markdown::slugify(&wanted))
}

/// Builds the conformance report of a framework.
pub fn report(framework: &Framework) -> Report {
    let section = &framework.config.framework;
    let concept_nodes = concepts(framework);
    let required: Vec<Requirement> = section
        .required_concepts
        .iter()
        .map(|name| {
            // An explicit mapping (`[framework.concept-map] Identify = "ID"`) wins over
            // the name itself.
            let wanted = section
                .concept_map
                .iter()
                .find(|(k, _)| k.trim().eq_ignore_ascii_case(name.trim()))
                .map_or(name.as_str(), |(_, v)| v.as_str());
            Requirement {
                name: name.clone(),
                node: concept_nodes
                    .iter()
                    .copied()
                    .filter(|&c| !framework.nodes[c].is_withdrawn())
                    .find(|&c| matches(&framework.nodes[c], wanted)),
            }
        })
        .collect();
    let mut totals = Counts::default();
    // Counted, never listed: no order needed, and no copies of the names.
    let mut all_documents = HashSet::new();
    let concepts: Vec<ConceptSummary> = concept_nodes
        .iter()
        .map(|&c| {
            // Everything below the concept, listed once for the counts and the lists.
            let below = descendants(framework, c);
            let mut documents = HashSet::new();
            let mut counts = count(framework, c, &below, &mut documents);
            counts.documents = documents.len();
            all_documents.extend(documents);
            totals.categories += counts.categories;
            totals.subcategories += counts.subcategories;
            totals.statements += counts.statements;
            totals.citations += counts.citations;
            totals.unparsed += counts.unparsed;
            totals.unreferenced += counts.unreferenced;
            ConceptSummary {
                node: c,
                meets: required
                    .iter()
                    .find(|r| r.node == Some(c))
                    .map(|r| r.name.clone()),
                counts,
                empty_categories: below
                    .into_iter()
                    .filter(|&n| {
                        let node = &framework.nodes[n];
                        node.kind == Kind::Category && node.children.is_empty()
                    })
                    .collect(),
            }
        })
        .collect();
    // Citations of the root itself count in the totals.
    let root = framework.root();
    for reference in &root.references {
        for citation in &reference.citations {
            totals.citations += 1;
            match &citation.document {
                Some(document) => {
                    all_documents.insert(document.as_str());
                }
                None => totals.unparsed += 1,
            }
        }
    }
    totals.documents = all_documents.len();
    Report {
        meets: required.iter().all(|r| r.node.is_some()),
        strict: section.strict,
        required,
        concepts,
        totals,
    }
}

/// Every node below `node` (not itself), parents before children.
fn descendants(framework: &Framework, node: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut stack: Vec<usize> = framework.nodes[node]
        .children
        .iter()
        .rev()
        .copied()
        .collect();
    while let Some(n) = stack.pop() {
        out.push(n);
        stack.extend(framework.nodes[n].children.iter().rev());
    }
    out
}

/// The counts of `concept`, whose descendants are `below`.
fn count<'f>(
    framework: &'f Framework,
    concept: usize,
    below: &[usize],
    documents: &mut HashSet<&'f str>,
) -> Counts {
    let mut counts = Counts::default();
    let mut cite = |node: &'f Node, counts: &mut Counts| {
        for citation in node.references.iter().flat_map(|r| &r.citations) {
            counts.citations += 1;
            match &citation.document {
                Some(document) => {
                    documents.insert(document.as_str());
                }
                None => counts.unparsed += 1,
            }
        }
    };
    cite(&framework.nodes[concept], &mut counts);
    for &n in below {
        let node = &framework.nodes[n];
        // A withdrawn item keeps its page but is no longer part of the framework's content.
        if node.is_withdrawn() {
            continue;
        }
        match node.kind {
            Kind::Category => counts.categories += 1,
            Kind::Subcategory => counts.subcategories += 1,
            Kind::Statement => counts.statements += 1,
            Kind::Framework | Kind::Concept => {}
        }
        cite(node, &mut counts);
    }
    counts.unreferenced = unreferenced_among(framework, concept, below).len();
    counts
}

/// The items below `concept` that cite nothing, with nothing cited above them (below the
/// concept) or below them: the topmost node of each such branch.
fn unreferenced(framework: &Framework, concept: usize) -> Vec<usize> {
    unreferenced_among(framework, concept, &descendants(framework, concept))
}

/// [`unreferenced`], given the concept's descendants (`below`, parents before children).
fn unreferenced_among(framework: &Framework, concept: usize, below: &[usize]) -> Vec<usize> {
    let nodes = &framework.nodes;
    // cites_below[n]: n or a descendant cites something (computed children first).
    let mut cites_below = std::collections::HashMap::with_capacity(below.len());
    for &n in below.iter().rev() {
        let node = &nodes[n];
        let any = !node.references.is_empty()
            || node
                .children
                .iter()
                .any(|c| cites_below.get(c).copied().unwrap_or(false));
        cites_below.insert(n, any);
    }
    // Walk down from the concept, stopping at branches that cite something above.
    let mut out = Vec::new();
    let mut stack: Vec<usize> = nodes[concept].children.iter().rev().copied().collect();
    while let Some(n) = stack.pop() {
        if !cites_below.get(&n).copied().unwrap_or(true) {
            out.push(n); // this branch cites nothing: report its top only
        } else if nodes[n].references.is_empty() {
            stack.extend(nodes[n].children.iter().rev());
        }
    }
    out
}

/// The diagnostics of conformance: missing required concepts (W0050, or E0050 under
/// `strict`), concepts without categories (N0051) and categories without subcategories
/// (N0052) when `report-empty`, branches citing nothing (N0053) when
/// `report-missing-references`.
pub fn diagnostics(framework: &Framework) -> Vec<Diagnostic> {
    let section = &framework.config.framework;
    let report = report(framework);
    let mut out = Vec::new();
    let root_span = || {
        let root = framework.root();
        if root.span.path.is_empty() {
            Span::file(root.source.clone())
        } else {
            root.span.clone()
        }
    };
    let present: Vec<String> = report
        .concepts
        .iter()
        .map(|c| framework.nodes[c.node].title_or_id().to_string())
        .collect();
    for requirement in report.required.iter().filter(|r| r.node.is_none()) {
        let (code, severity) = if section.strict {
            ("E0050", Severity::Error)
        } else {
            ("W0050", Severity::Warning)
        };
        let mut diagnostic = Diagnostic::warning(
            code,
            format!(
                "the framework has no `{}` concept (ISO/IEC TS 27110)",
                requirement.name
            ),
        )
        .at(root_span());
        diagnostic.severity = severity;
        let close = crate::config::did_you_mean(&requirement.name, &present);
        let help = match close {
            Some(near) => format!(
                "did you mean `{near}`? Concepts are matched by title, id or folder name, in any case"
            ),
            None => format!(
                "add a folder `content/{}/` with an `_index.md` titled `{}`, or list the concepts you need in `[framework] required-concepts`",
                crate::markdown::slugify(&requirement.name),
                requirement.name
            ),
        };
        out.push(diagnostic.help(help));
    }
    if section.report_empty {
        for concept in &report.concepts {
            let node = &framework.nodes[concept.node];
            if node.children.is_empty() {
                out.push(
                    note(
                        "N0051",
                        format!(
                            "{} `{}` has no {}",
                            section.level(1).singular().to_lowercase(),
                            node.title_or_id(),
                            section.level(2).plural().to_lowercase()
                        ),
                        node,
                    )
                    .help("TS 27110 lets concepts be split into categories (this note is on with `[framework] report-empty = true`)"),
                );
            }
            for &category in &concept.empty_categories {
                let node = &framework.nodes[category];
                out.push(note(
                    "N0052",
                    format!(
                        "{} `{}` has no {}",
                        section.level(2).singular().to_lowercase(),
                        node.title_or_id(),
                        section.level(3).plural().to_lowercase()
                    ),
                    node,
                ));
            }
        }
    }
    if section.report_missing_references {
        for concept in &report.concepts {
            for n in unreferenced(framework, concept.node) {
                let node = &framework.nodes[n];
                let below = descendants(framework, n).len();
                let what = if below == 0 {
                    format!(
                        "{} `{}` cites no reference",
                        level_word(section, node),
                        node.title_or_id()
                    )
                } else {
                    format!(
                        "{} `{}` and the {below} item{} below it cite no reference",
                        level_word(section, node),
                        node.title_or_id(),
                        if below == 1 { "" } else { "s" }
                    )
                };
                out.push(note("N0053", what, node).help(
                    "add `references:` with the clauses of standards that help to implement it",
                ));
            }
        }
    }
    out
}

fn note(code: &'static str, message: String, node: &Node) -> Diagnostic {
    let mut diagnostic = Diagnostic::warning(code, message).at(node.span.clone());
    diagnostic.severity = Severity::Note;
    diagnostic
}

/// The project's word for the level of `node`, lower case ("control enhancement").
fn level_word(section: &crate::config::FrameworkSection, node: &Node) -> String {
    section.level(node.depth).singular().to_lowercase()
}
