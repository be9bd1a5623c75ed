//! One item of one version as the comparison sees it: the parts that carry meaning, with
//! the form they were written in taken out (white space folded, Markdown reduced to its
//! text, citations reduced to document and clause, lists put in a fixed order), so that
//! reformatting alone never reads as a change.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::model::{Framework, Kind, Node};

/// The life-cycle status of an item (`status:` in front matter).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// In force (no `status:`, or any value not listed below).
    Active,
    /// Still listed, but on its way out.
    Deprecated,
    /// Proposed, not yet in force.
    Draft,
    /// No longer part of the framework; its id is kept so that links to it can be answered.
    Withdrawn,
}

impl Status {
    /// Parses `status:`; anything unknown counts as active.
    pub fn parse(text: &str) -> Status {
        match text.trim().to_ascii_lowercase().as_str() {
            "withdrawn" => Status::Withdrawn,
            "deprecated" => Status::Deprecated,
            "draft" => Status::Draft,
            _ => Status::Active,
        }
    }

    /// The lower-case name used in reports.
    pub fn name(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Deprecated => "deprecated",
            Status::Draft => "draft",
            Status::Withdrawn => "withdrawn",
        }
    }
}

/// An item's life-cycle fields: its status and the ids it points to or stands in for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lifecycle {
    /// `status:`.
    pub status: Option<Status>,
    /// Where a withdrawn item's content went: `incorporated-into`, `withdrawn-to`.
    pub incorporated_into: Vec<String>,
    /// `moved-to`: the id the item lives under now.
    pub moved_to: Vec<String>,
    /// `replaces`: ids of an earlier version that this item takes the place of.
    pub replaces: Vec<String>,
}

/// Reads an item's life-cycle fields. The one place that knows where they are kept: today
/// front-matter keys the loader leaves in `extra` (and, for imported OSCAL catalogs, `links`
/// entries whose `rel` is `incorporated-into` or `moved-to`).
pub fn lifecycle(node: &Node) -> Lifecycle {
    let extra = &node.extra;
    let mut life = Lifecycle {
        status: extra
            .get("status")
            .and_then(Value::as_str)
            .map(Status::parse),
        incorporated_into: ids(extra.get("incorporated-into")),
        moved_to: ids(extra.get("moved-to")),
        replaces: ids(extra.get("replaces")),
    };
    life.incorporated_into
        .extend(ids(extra.get("withdrawn-to")));
    for link in extra
        .get("links")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let target = link.get("href").and_then(Value::as_str).unwrap_or("");
        let Some(target) = target.strip_prefix('#').filter(|t| !t.is_empty()) else {
            continue;
        };
        match link.get("rel").and_then(Value::as_str) {
            Some("incorporated-into") => life.incorporated_into.push(target.to_string()),
            Some("moved-to") => life.moved_to.push(target.to_string()),
            _ => {}
        }
    }
    life
}

/// An item's parameters (`params:`, a list of maps with `id`, `label`, `values`, …), each
/// reduced to one comparable line of text, by parameter id.
pub fn params(node: &Node) -> BTreeMap<String, String> {
    let list = node.extra.get("params").and_then(Value::as_array);
    list.into_iter()
        .flatten()
        .filter_map(|param| {
            let id = param.get("id").and_then(Value::as_str)?;
            Some((id.to_string(), canonical_json(param)))
        })
        .collect()
}

/// Ids given as one string or a list of strings (a leading `#` dropped).
fn ids(value: Option<&Value>) -> Vec<String> {
    let one = |v: &Value| {
        v.as_str()
            .map(|s| s.trim().trim_start_matches('#').to_string())
            .filter(|s| !s.is_empty())
    };
    match value {
        Some(Value::Array(list)) => list.iter().filter_map(one).collect(),
        Some(value) => one(value).into_iter().collect(),
        None => Vec::new(),
    }
}

/// JSON with object keys sorted and strings' white space folded: the same data written in
/// another YAML style or key order gives the same text.
fn canonical_json(value: &Value) -> String {
    fn canonical(value: &Value) -> Value {
        match value {
            Value::Object(map) => {
                let sorted: BTreeMap<&String, Value> =
                    map.iter().map(|(k, v)| (k, canonical(v))).collect();
                Value::Object(sorted.into_iter().map(|(k, v)| (k.clone(), v)).collect())
            }
            Value::Array(list) => Value::Array(list.iter().map(canonical).collect()),
            Value::String(text) => Value::String(fold_space(text)),
            other => other.clone(),
        }
    }
    canonical(value).to_string()
}

/// Runs of white space as one space, none at either end.
pub fn fold_space(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The most characters of a statement that stand in for a missing title.
const LABEL_LENGTH: usize = 60;

/// One item of one version, as compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// Its id.
    pub id: String,
    /// Its level.
    pub kind: Kind,
    /// Its title (white space folded; empty when it has none).
    pub title: String,
    /// Its statement: the description's text, then the body's (white space folded).
    pub statement: String,
    /// The id of its parent (empty under the root).
    pub parent: String,
    /// The id of its concept (itself for a concept).
    pub concept: String,
    /// Each cited document with each cited clause (`ISO/IEC 27002 5.9`), or the text as
    /// written when the citation parser could not read it.
    pub citations: BTreeSet<String>,
    /// Parameters by id, each as canonical text.
    pub params: BTreeMap<String, String>,
    /// Status and links to other versions' ids.
    pub life: Lifecycle,
    /// The id of the OSCAL catalog it came from (`oscal-id`), else its id.
    pub oscal_id: String,
    /// Its position in the version's site order (to list changes in reading order).
    pub position: usize,
}

impl Item {
    /// The item's status (active when none is given).
    pub fn status(&self) -> Status {
        self.life.status.unwrap_or(Status::Active)
    }

    /// The title, else the statement's first words, else the id.
    pub fn label(&self) -> &str {
        if !self.title.is_empty() {
            return &self.title;
        }
        if self.statement.is_empty() {
            return &self.id;
        }
        match self.statement.char_indices().nth(LABEL_LENGTH) {
            Some((at, _)) => {
                let cut = self.statement[..at].rfind(' ').unwrap_or(at);
                &self.statement[..cut]
            }
            None => &self.statement,
        }
    }
}

/// An item shared by the versions' lists and the comparison's entries (never copied).
pub type SharedItem = std::sync::Arc<Item>;

/// Every item of a version with an id, in site order (the root and id-less nodes are left
/// out; of two nodes with the same id, the first is kept). Read in parallel.
pub fn items(framework: &Framework) -> Vec<SharedItem> {
    use rayon::prelude::*;
    let nodes = &framework.nodes;
    let mut seen = std::collections::HashSet::with_capacity(nodes.len());
    let order: Vec<usize> = framework
        .site_order()
        .into_iter()
        .filter(|&n| !nodes[n].id.is_empty() && seen.insert(nodes[n].id.as_str()))
        .collect();
    order
        .par_iter()
        .enumerate()
        .map(|(position, &n)| SharedItem::new(item(framework, n, position)))
        .collect()
}

fn item(framework: &Framework, index: usize, position: usize) -> Item {
    let nodes = &framework.nodes;
    let node = &nodes[index];
    let parent = node.parent.map_or("", |p| nodes[p].id.as_str());
    let mut concept = index;
    while let Some(up) = nodes[concept].parent.filter(|&p| p != 0) {
        concept = up;
    }
    Item {
        id: node.id.clone(),
        kind: node.kind,
        title: node.title.as_deref().map(fold_space).unwrap_or_default(),
        statement: statement(node),
        parent: parent.to_string(),
        concept: nodes[concept].id.clone(),
        citations: citations(node),
        params: params(node),
        life: lifecycle(node),
        oscal_id: node
            .extra
            .get("oscal-id")
            .and_then(Value::as_str)
            .filter(|id| !id.is_empty())
            .unwrap_or(&node.id)
            .to_string(),
        position,
    }
}

/// The description's text (unless the body begins with it), then the body's.
fn statement(node: &Node) -> String {
    let mut text = String::new();
    if let Some(description) = node.description.as_ref() {
        if !node.description_repeats_body {
            text.push_str(&description.text());
            text.push(' ');
        }
    }
    text.push_str(&node.body.text());
    fold_space(&text)
}

/// Each citation as `document clause` (one entry per clause), or as written when unparsed.
fn citations(node: &Node) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for citation in node.references.iter().flat_map(|r| &r.citations) {
        let Some(document) = citation.document.as_deref() else {
            out.insert(fold_space(&citation.cite));
            continue;
        };
        let document = match citation.edition.as_deref() {
            Some(edition) if edition.starts_with(|c: char| c.is_ascii_digit()) => {
                format!("{document}:{edition}")
            }
            Some(edition) => format!("{document} {edition}"),
            None => document.to_string(),
        };
        if citation.clauses.is_empty() {
            out.insert(document.clone());
        }
        for clause in &citation.clauses {
            out.insert(format!("{document} {clause}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_parses_known_words_and_defaults_to_active() {
        assert_eq!(Status::parse(" Withdrawn "), Status::Withdrawn);
        assert_eq!(Status::parse("deprecated"), Status::Deprecated);
        assert_eq!(Status::parse("draft"), Status::Draft);
        assert_eq!(Status::parse("operational"), Status::Active);
    }

    #[test]
    fn canonical_json_ignores_key_order_and_wrapping() {
        let a = serde_json::json!({"id": "p1", "label": "a  value\nwrapped", "values": ["x"]});
        let b = serde_json::json!({"values": ["x"], "label": "a value wrapped", "id": "p1"});
        assert_eq!(canonical_json(&a), canonical_json(&b));
        let c = serde_json::json!({"values": ["y"], "label": "a value wrapped", "id": "p1"});
        assert_ne!(canonical_json(&a), canonical_json(&c));
    }

    #[test]
    fn ids_accept_one_or_many_and_drop_hashes() {
        assert_eq!(ids(Some(&serde_json::json!("#ac-2"))), ["ac-2"]);
        assert_eq!(ids(Some(&serde_json::json!(["A", " ", "B"]))), ["A", "B"]);
        assert!(ids(None).is_empty());
    }
}
