//! The framework as plain data: a flat list of nodes, parents before children.
//!
//! Built by `load`, read by every later stage, changed by none of them.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;

use crate::citation::Citation;
use crate::config::Config;
use crate::diagnostics::Span;

mod params;
pub use params::{fill_inserts, insert_target, Insertion, Param, Selection};

/// What a node is in the TS 27110 hierarchy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// The framework itself (`content/_index.md`).
    Framework,
    /// Identify, Protect, Detect, Respond, Recover, or one of the creator's own.
    Concept,
    /// A division of a concept.
    Category,
    /// A division of a category.
    Subcategory,
    /// The most detailed level: statements under a subcategory (and anything deeper).
    Statement,
}

impl Kind {
    /// The default kind at a depth below the content folder.
    pub fn from_depth(depth: usize) -> Kind {
        match depth {
            0 => Kind::Framework,
            1 => Kind::Concept,
            2 => Kind::Category,
            3 => Kind::Subcategory,
            _ => Kind::Statement,
        }
    }

    /// Parses `kind:` from front matter.
    pub fn parse(name: &str) -> Option<Kind> {
        Some(match name.trim().to_ascii_lowercase().as_str() {
            "framework" => Kind::Framework,
            "concept" => Kind::Concept,
            "category" => Kind::Category,
            "subcategory" => Kind::Subcategory,
            "statement" => Kind::Statement,
            _ => return None,
        })
    }

    /// The lower-case name used in exports and templates.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Framework => "framework",
            Kind::Concept => "concept",
            Kind::Category => "category",
            Kind::Subcategory => "subcategory",
            Kind::Statement => "statement",
        }
    }
}

/// Markdown converted to HTML once, at load time, with the id links it contains.
///
/// Links to ids are left in the HTML as `href="@ID"`; rendering replaces them with the
/// relative URL of the page that shows the id, which depends on where the HTML is placed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Markdown {
    /// The source text.
    pub source: String,
    /// The HTML, with `href="@ID"` placeholders for id links.
    pub html: String,
    /// Every `[text](@ID)` and `[[ID]]` in the source, with its place.
    pub links: Vec<IdLink>,
    /// The text without markup, for search and page descriptions. Kept for descriptions
    /// and table cells; a node's body drops it after loading (use [`Markdown::text`]).
    pub plain: String,
    /// Problems found while converting (a code block in an unknown language), to be
    /// reported with the file's other diagnostics.
    pub warnings: Vec<crate::diagnostics::Diagnostic>,
}

impl Markdown {
    /// The text without markup: `plain` when kept, else taken from the HTML.
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        if self.plain.is_empty() {
            crate::html::html_text(&self.html).into()
        } else {
            self.plain.as_str().into()
        }
    }
}

/// A link to an item by id, as written in Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdLink {
    /// The id linked to.
    pub id: String,
    /// Where the link is written.
    pub span: Span,
}

/// A value with the place it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub span: Span,
}

/// One entry of `references:`: a cell that may hold several citations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The text as written.
    pub cite: String,
    /// What the citation parser made of it (several when run together; unparsed text kept).
    pub citations: Vec<Citation>,
    /// A link given with `{cite, url}`.
    pub url: Option<String>,
    /// A note given with `{cite, note}`.
    pub note: Option<String>,
    /// Where it was written.
    pub span: Span,
}

/// A column of a node's children table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Column {
    /// `id`, `title`, `description`, `references`, `related`, or a custom field of the children.
    pub key: String,
    /// The header shown.
    pub title: String,
    /// Where it was declared.
    #[serde(skip)]
    pub span: Span,
}

/// One node of the framework: the framework itself, a concept, category, subcategory or statement.
#[derive(Debug, Clone)]
pub struct Node {
    /// Stable identifier, unique in the framework; empty for the root (and for a node whose
    /// author forgot it, which validation reports).
    pub id: String,
    /// Its level in the hierarchy.
    pub kind: Kind,
    /// Title, when given.
    pub title: Option<String>,
    /// Short text for the parent's table (Markdown, rendered inline).
    pub description: Option<Markdown>,
    /// True when the description's text is how the body begins (a description taken
    /// from the first paragraph, or one that repeats it): pages then do not show it twice.
    pub description_repeats_body: bool,
    /// The node's own prose. Its `plain` text is not kept (see [`Markdown::text`]).
    pub body: Markdown,
    /// Citations of standards.
    pub references: Vec<Reference>,
    /// Cross-links by id.
    pub related: Vec<Spanned<String>>,
    /// Columns of the children table, when the author chose them.
    pub columns: Option<Vec<Column>>,
    /// Any other front-matter key, as data.
    pub extra: BTreeMap<String, serde_json::Value>,
    /// The text-valued extra keys as inline Markdown (for custom table columns).
    pub extra_html: BTreeMap<String, Markdown>,
    /// Where each extra key is written (its key), for diagnostics about it.
    pub extra_spans: BTreeMap<String, Span>,
    /// `order:`, when given.
    pub order: Option<f64>,
    /// Index of the parent node (None for the root).
    pub parent: Option<usize>,
    /// Indices of the children, in site order.
    pub children: Vec<usize>,
    /// URL segment of the node's own page (folder or file name, slugged).
    pub slug: String,
    /// True when the node is shown on a page of its own, not only as a row.
    pub has_page: bool,
    /// The file it was read from, relative to the project (`content/identify/_index.md`).
    pub source: String,
    /// Where it is defined: its `id:` line, or the file's first line.
    pub span: Span,
    /// Depth below the root (0 for the root).
    pub depth: usize,
}

impl Node {
    /// The title when given, else the id.
    pub fn title_or_id(&self) -> &str {
        self.title.as_deref().unwrap_or(&self.id)
    }

    /// The publisher's label (`label:`, from OSCAL's `label` prop: `AC-2(1)`), when it
    /// has one that says something the id does not.
    pub fn label(&self) -> Option<&str> {
        self.extra
            .get("label")
            .and_then(serde_json::Value::as_str)
            .map(str::trim)
            .filter(|label| !label.is_empty())
    }

    /// What names the item where its id is shown: its label, else its id.
    pub fn shown_id(&self) -> &str {
        self.label().unwrap_or(&self.id)
    }

    /// Its `status:` (current when none is given). An unknown value counts as current
    /// here; validation reports it.
    pub fn status(&self) -> Status {
        self.extra
            .get("status")
            .and_then(serde_json::Value::as_str)
            .and_then(Status::parse)
            .unwrap_or(Status::Current)
    }

    /// True when the item is withdrawn: shown, marked, but not counted.
    pub fn is_withdrawn(&self) -> bool {
        self.status() == Status::Withdrawn
    }

    /// Where the item went (`incorporated-into`, `moved-to`, `withdrawn-to`), in that
    /// order of keys, each list in its written order.
    pub fn replaced_by(&self) -> Vec<Replacement<'_>> {
        let mut out = Vec::new();
        for relation in Relation::ALL {
            let targets = match self.extra.get(relation.key()) {
                Some(serde_json::Value::Array(list)) => list.iter().collect(),
                Some(single @ serde_json::Value::String(_)) => vec![single],
                Some(_) | None => Vec::new(),
            };
            for target in targets.into_iter().filter_map(serde_json::Value::as_str) {
                out.push(Replacement { relation, target });
            }
        }
        out
    }

    /// Its parameters (`params:`, in OSCAL's JSON shape); entries that are not mappings
    /// with an `id` are left out (validation reports them).
    pub fn params(&self) -> Vec<Param> {
        match self.extra.get("params") {
            Some(serde_json::Value::Array(list)) => list.iter().filter_map(Param::read).collect(),
            Some(_) | None => Vec::new(),
        }
    }

    /// The part skeleton (`parts:`, OSCAL's part tree without prose), as written.
    pub fn parts(&self) -> &[serde_json::Value] {
        match self.extra.get("parts") {
            Some(serde_json::Value::Array(list)) => list,
            Some(_) | None => &[],
        }
    }
}

/// Where an item stands in its life (`status:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// In force (no `status:`).
    Current,
    /// Withdrawn: kept for its links, left out of counts, conformance and default views.
    Withdrawn,
    /// Still in force but on its way out.
    Deprecated,
    /// Proposed, not yet in force.
    Draft,
}

impl Status {
    /// The values `status:` accepts.
    pub const NAMES: [&'static str; 4] = ["current", "withdrawn", "deprecated", "draft"];

    /// Parses a `status:` value (any case).
    pub fn parse(text: &str) -> Option<Status> {
        Some(match text.trim().to_ascii_lowercase().as_str() {
            "current" | "active" | "" => Status::Current,
            "withdrawn" => Status::Withdrawn,
            "deprecated" => Status::Deprecated,
            "draft" => Status::Draft,
            _ => return None,
        })
    }

    /// The lower-case name used in classes, exports and search.
    pub fn name(self) -> &'static str {
        match self {
            Status::Current => "current",
            Status::Withdrawn => "withdrawn",
            Status::Deprecated => "deprecated",
            Status::Draft => "draft",
        }
    }

    /// How a page shows it ("Withdrawn"); None for a current item, which is not marked.
    pub fn shown(self) -> Option<&'static str> {
        match self {
            Status::Current => None,
            Status::Withdrawn => Some("Withdrawn"),
            Status::Deprecated => Some("Deprecated"),
            Status::Draft => Some("Draft"),
        }
    }
}

/// How a withdrawn item relates to the item that took its place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// `incorporated-into`: its text now lives in another item.
    IncorporatedInto,
    /// `moved-to`: it is now another item.
    MovedTo,
    /// `withdrawn-to`: withdrawn in favour of another item.
    WithdrawnTo,
}

impl Relation {
    /// Every relation, in the order they are shown.
    pub const ALL: [Relation; 3] = [
        Relation::IncorporatedInto,
        Relation::MovedTo,
        Relation::WithdrawnTo,
    ];

    /// Its front-matter key.
    pub fn key(self) -> &'static str {
        match self {
            Relation::IncorporatedInto => "incorporated-into",
            Relation::MovedTo => "moved-to",
            Relation::WithdrawnTo => "withdrawn-to",
        }
    }

    /// How a page says it, before the targets ("Incorporated into").
    pub fn shown(self) -> &'static str {
        match self {
            Relation::IncorporatedInto => "Incorporated into",
            Relation::MovedTo => "Moved to",
            Relation::WithdrawnTo => "Withdrawn in favour of",
        }
    }
}

/// One link from a withdrawn item to where it went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Replacement<'a> {
    /// How the target replaces it.
    pub relation: Relation,
    /// The target's id: an item's id, or the id of a part of one (`ac-2_smt.k`).
    pub target: &'a str,
}

/// A document declared in `content/references.yaml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeclaredDocument {
    /// The document as cited, without edition (`ISO/IEC 27002`).
    pub document: String,
    /// Its title.
    pub title: Option<String>,
    /// Where to read or buy it.
    pub url: Option<String>,
    /// Where it was declared.
    #[serde(skip)]
    pub span: Span,
}

/// The whole framework as loaded.
#[derive(Debug, Clone)]
pub struct Framework {
    /// The project's configuration.
    pub config: Config,
    /// Every node, parents before children; `nodes[0]` is the root.
    pub nodes: Vec<Node>,
    /// Documents declared in `references.yaml` (empty when there is none).
    pub documents: Vec<DeclaredDocument>,
    /// True when `references.yaml` exists.
    pub has_bibliography: bool,
    /// Files under the content folder that are copied as they are (images, PDFs, …),
    /// relative to the content folder.
    pub assets: Vec<PathBuf>,
}

impl Framework {
    /// The root node.
    pub fn root(&self) -> &Node {
        &self.nodes[0]
    }

    /// Node indices in site order (depth first, parents before children).
    pub fn site_order(&self) -> Vec<usize> {
        let mut order = Vec::with_capacity(self.nodes.len());
        let mut stack = vec![0usize];
        while let Some(index) = stack.pop() {
            order.push(index);
            stack.extend(self.nodes[index].children.iter().rev());
        }
        order
    }
}

/// What names an item beside its id: its title, else its description as plain text.
pub fn item_text(node: &Node) -> String {
    match (&node.title, &node.description) {
        (Some(title), _) => title.clone(),
        (None, Some(description)) => description.plain.clone(),
        (None, None) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn node(extra: serde_json::Value) -> Node {
        Node {
            id: "ac-2.10".into(),
            kind: Kind::Subcategory,
            title: None,
            description: None,
            description_repeats_body: false,
            body: Markdown::default(),
            references: Vec::new(),
            related: Vec::new(),
            columns: None,
            extra: serde_json::from_value(extra).unwrap(),
            extra_html: BTreeMap::new(),
            extra_spans: BTreeMap::new(),
            order: None,
            parent: None,
            children: Vec::new(),
            slug: String::new(),
            has_page: true,
            source: String::new(),
            span: Span::file(""),
            depth: 3,
        }
    }

    #[test]
    fn the_publishers_metadata_is_read_from_front_matter() {
        let withdrawn = node(json!({
            "label": " AC-2(10) ",
            "status": "Withdrawn",
            "incorporated-into": ["ac-2_smt.k"],
            "moved-to": "ac-3",
        }));
        assert_eq!(withdrawn.label(), Some("AC-2(10)"));
        assert_eq!(withdrawn.shown_id(), "AC-2(10)");
        assert!(withdrawn.is_withdrawn());
        let targets: Vec<_> = withdrawn
            .replaced_by()
            .iter()
            .map(|r| (r.relation, r.target))
            .collect();
        assert_eq!(
            targets,
            [
                (Relation::IncorporatedInto, "ac-2_smt.k"),
                (Relation::MovedTo, "ac-3")
            ]
        );
        let plain = node(json!({"status": "retired", "label": ""}));
        assert_eq!(
            plain.status(),
            Status::Current,
            "validation reports the value"
        );
        assert_eq!(plain.shown_id(), "ac-2.10");
        assert_eq!(Status::parse("draft"), Some(Status::Draft));
        assert_eq!(Status::parse("retired"), None);
    }
}
