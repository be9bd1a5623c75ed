//! The framework as an OSCAL 1.1 catalog (`oscal/catalog.json`).
//!
//! Mapping (README, "Interoperability"):
//! - concepts become groups (`class: concept`), categories controls (`class: category`),
//!   subcategories and statements nested controls; a node keeps its OSCAL `class` when it
//!   has one in front matter, and `oscal-type: group | control` overrides the choice;
//! - the id is the OSCAL `id` where it is a valid OSCAL token (else `fw-…`), and a `label`
//!   prop (the node's own `label:` field when it has one, else the id);
//! - the description is the `statement` part (`- **a.** …` list items become `item` parts),
//!   the body the `guidance` part, and every `## Heading` section of the body a part of its own;
//! - citations are back-matter resources linked with `rel="reference"`, `related` ids links
//!   with `rel="related"`; other text fields become props (multi-line text: parts).
//!
//! Everything derives from the sources: UUIDs are version 5 (name-based) from the
//! framework's title and the item, and `last-modified` comes from the root's front matter
//! (or a fixed date), so the same sources always give the same bytes.

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;
use serde_json::{json, Map, Value};
use uuid::Uuid;

use super::json::{push_item, JsonArrayWriter, JsonObjectWriter};
use super::kept::{self, Imported};
use super::markdown::sections;
use super::markdown::{short_name, statement_items, Item};
use super::prose::from_site;
use super::{
    is_token, item_id, last_modified, text_field, timestamp, to_token, uuid_namespace,
    METADATA_LISTS, OSCAL_VERSION, STRUCTURAL_KEYS,
};
use crate::index::SiteIndex;
use crate::model::{Framework, Kind, Node};

/// The catalog as pretty-printed JSON bytes.
///
/// Written one top-level group at a time: a large framework's catalog as one JSON value
/// tree takes several times the memory of its text, so each group's tree is serialised
/// and dropped before the next is made.
pub fn catalog_json(framework: &Framework, index: &SiteIndex) -> Vec<u8> {
    let mut exporter = Exporter::new(framework, index);
    let root = framework.root();
    let mut out = Vec::with_capacity(framework.nodes.len() * 2048);
    out.extend_from_slice(b"{\n  \"catalog\": {");
    let mut catalog = JsonObjectWriter::new(&mut out, 4);
    catalog.member("uuid", &json!(exporter.uuid("catalog")));
    catalog.member("metadata", &exporter.metadata());
    let params = params(root);
    if !params.is_empty() {
        catalog.member("params", &Value::Array(params));
    }
    // Groups are written as they are made; controls (rare at the top) are kept for after.
    let mut groups = 0;
    let mut controls = JsonArrayWriter::default();
    for &child in &root.children {
        if exporter.is_group(child) {
            if groups == 0 {
                catalog.key("groups");
                catalog.out.push(b'[');
            }
            push_item(catalog.out, groups == 0, &exporter.entry(child, true), 6);
            groups += 1;
        } else {
            controls.push(&exporter.entry(child, false), 6);
        }
    }
    if groups > 0 {
        catalog.close_array();
    }
    catalog.array("controls", controls);
    let resources = exporter.back_matter();
    if !resources.is_empty() {
        catalog.member("back-matter", &json!({ "resources": resources }));
    }
    catalog.finish(2);
    out.extend_from_slice(b"\n}\n");
    match &exporter.imported {
        Some(imported) => refresh_last_modified(out, imported, &last_modified(framework)),
        None => out,
    }
}

/// An imported catalog changed since its import gets the current time as `last-modified`.
fn refresh_last_modified(out: Vec<u8>, imported: &Imported, kept: &str) -> Vec<u8> {
    let Some(now) = kept::last_modified(&out, imported, kept) else {
        return out;
    };
    let old = format!("\"last-modified\": \"{kept}\"");
    let new = format!("\"last-modified\": \"{now}\"");
    let text = String::from_utf8_lossy(&out);
    text.replacen(&old, &new, 1).into_bytes()
}

/// Inserts a list only when it is not empty (OSCAL arrays hold at least one entry).
fn put(map: &mut Map<String, Value>, key: &str, values: Vec<Value>) {
    if !values.is_empty() {
        map.insert(key.into(), Value::Array(values));
    }
}

/// A group or control, its keys in OSCAL's order; empty lists are left out (OSCAL arrays
/// hold at least one entry).
#[derive(Serialize)]
struct Entry {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    class: Option<String>,
    title: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    params: Vec<Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    props: Vec<Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    links: Vec<Link>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    parts: Vec<PartOut>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    groups: Vec<Entry>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    controls: Vec<Entry>,
}

/// A part of a control (statement, item, guidance, …), its keys in OSCAL's order.
#[derive(Serialize)]
struct Part {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    props: Vec<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    prose: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    parts: Vec<Part>,
}

impl Part {
    fn named(name: String) -> Part {
        Part {
            id: None,
            name,
            title: None,
            props: Vec::new(),
            prose: None,
            parts: Vec::new(),
        }
    }
}

/// A part made from Markdown, or one kept from an imported catalog (with its prose).
#[derive(Serialize)]
#[serde(untagged)]
enum PartOut {
    Made(Part),
    Kept(Value),
}

/// A link of a control: to a cited document's resource or a related control, or one
/// kept from an imported catalog as it was.
#[derive(Serialize, PartialEq)]
#[serde(untagged)]
enum Link {
    Made {
        href: String,
        rel: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        text: Option<String>,
    },
    Kept(Value),
}

/// A back-matter resource collected from citations.
struct Resource {
    title: String,
    text: Option<String>,
    url: Option<String>,
}

struct Exporter<'a> {
    framework: &'a Framework,
    index: &'a SiteIndex,
    namespace: Uuid,
    /// The OSCAL id of each node.
    ids: Vec<String>,
    /// Ids given out so far (controls, groups, parts).
    used: HashSet<String>,
    /// Cited documents by key (document, or the citation text when unparsed).
    resources: BTreeMap<String, Resource>,
    /// What an imported project keeps of its catalog.
    imported: Option<Imported>,
}

impl<'a> Exporter<'a> {
    fn new(framework: &'a Framework, index: &'a SiteIndex) -> Exporter<'a> {
        let namespace = uuid_namespace(framework);
        let mut exporter = Exporter {
            framework,
            index,
            namespace,
            ids: Vec::with_capacity(framework.nodes.len()),
            used: HashSet::new(),
            resources: BTreeMap::new(),
            imported: Imported::of(framework),
        };
        exporter.assign_ids();
        exporter
    }

    /// Gives every node its OSCAL id: `oscal-id:` when valid, else the id when it is a
    /// token, else a token made of it; unique in the catalog.
    fn assign_ids(&mut self) {
        for node in &self.framework.nodes {
            let id = self.unique(item_id(node));
            self.ids.push(id);
        }
    }

    fn unique(&mut self, wanted: String) -> String {
        let mut id = wanted.clone();
        let mut n = 2;
        while !self.used.insert(id.clone()) {
            id = format!("{wanted}_{n}");
            n += 1;
        }
        id
    }

    fn uuid(&self, name: &str) -> String {
        Uuid::new_v5(&self.namespace, name.as_bytes()).to_string()
    }

    fn metadata(&self) -> Value {
        let root = self.framework.root();
        let book = &self.framework.config.book;
        let mut metadata = Map::new();
        metadata.insert("title".into(), json!(single_line(&book.title)));
        if let Some(published) = text_field(root, "published").and_then(timestamp) {
            metadata.insert("published".into(), json!(published));
        }
        metadata.insert("last-modified".into(), json!(last_modified(self.framework)));
        let version = book.version.as_deref().unwrap_or("draft");
        metadata.insert("version".into(), json!(single_line(version)));
        metadata.insert("oscal-version".into(), json!(OSCAL_VERSION));
        let mut props = extra_props(root);
        if self.imported.is_some() {
            props.splice(0..0, kept_list(root, "props"));
        }
        for key in METADATA_LISTS {
            match key {
                "props" => put(&mut metadata, "props", std::mem::take(&mut props)),
                _ if self.imported.is_some() => put(&mut metadata, key, kept_list(root, key)),
                _ => {}
            }
        }
        let remarks = self.prose(root.body.source.trim());
        if !remarks.is_empty() {
            metadata.insert("remarks".into(), json!(remarks));
        }
        Value::Object(metadata)
    }

    /// The groups and controls made of a node's children.
    fn children(&mut self, node: &Node, in_control: bool) -> (Vec<Entry>, Vec<Entry>) {
        let mut groups = Vec::new();
        let mut controls = Vec::new();
        for &child in &node.children {
            if !in_control && self.is_group(child) {
                groups.push(self.entry(child, true));
            } else {
                controls.push(self.entry(child, false));
            }
        }
        (groups, controls)
    }

    fn is_group(&self, node: usize) -> bool {
        let node = &self.framework.nodes[node];
        match text_field(node, "oscal-type") {
            Some("group") => true,
            Some("control") => false,
            _ => node.kind == Kind::Concept,
        }
    }

    /// A group or control for a node, with its descendants.
    fn entry(&mut self, index: usize, group: bool) -> Entry {
        let framework = self.framework;
        let node = &framework.nodes[index];
        // A group imported without an id (`oscal-id: ""`) stays without one.
        let idless = group && node.extra.get("oscal-id").and_then(Value::as_str) == Some("");
        let imported = self.imported.is_some();
        let class = text_field(node, "class")
            .filter(|c| is_token(c))
            .or((!imported).then_some(node.kind.name()));
        let title = node.title.as_deref().unwrap_or(&node.id);
        let mut entry = Entry {
            id: (!idless).then(|| self.ids[index].clone()),
            class: class.map(str::to_string),
            title: single_line(title),
            params: params(node),
            props: self.props(index),
            links: self.links(node),
            parts: self.parts(index),
            groups: Vec::new(),
            controls: Vec::new(),
        };
        (entry.groups, entry.controls) = self.children(node, !group);
        entry
    }

    fn props(&self, index: usize) -> Vec<Value> {
        let node = &self.framework.nodes[index];
        if self.imported.is_some() {
            let mut props = kept::props(node);
            props.extend(extra_props(node));
            return props;
        }
        let mut props = Vec::new();
        match text_field(node, "label") {
            None => props.push(json!({ "name": "label", "value": single_line(&node.id) })),
            Some(label) => {
                props.push(json!({ "name": "label", "value": single_line(label) }));
                if self.ids[index] != node.id {
                    props.push(json!({ "name": "label", "class": "framewright-id", "value": single_line(&node.id) }));
                }
            }
        }
        if let Some(status) = text_field(node, "status") {
            props.push(json!({ "name": "status", "value": single_line(status) }));
        }
        props.extend(extra_props(node));
        props
    }

    fn links(&mut self, node: &Node) -> Vec<Link> {
        let mut links = Vec::new();
        for reference in &node.references {
            // A citation of an imported resource links to that resource, as it did.
            let kept = self
                .imported
                .as_ref()
                .and_then(|i| i.by_cite.get(&reference.cite));
            if let Some(uuid) = kept {
                links.push(Link::Kept(
                    json!({ "href": format!("#{uuid}"), "rel": "reference" }),
                ));
                continue;
            }
            for citation in &reference.citations {
                let key = citation
                    .document
                    .clone()
                    .unwrap_or_else(|| citation.cite.clone());
                let url = reference.url.clone();
                let link = Link::Made {
                    href: format!("#{}", self.resource(&key, url)),
                    rel: "reference",
                    text: Some(single_line(&citation.cite)),
                };
                if !links.contains(&link) {
                    links.push(link);
                }
            }
        }
        for related in &node.related {
            if let Some(target) = self.index.node(&related.value) {
                let link = Link::Made {
                    href: format!("#{}", self.ids[target]),
                    rel: "related",
                    text: None,
                };
                if !links.contains(&link) {
                    links.push(link);
                }
            }
        }
        links.extend(kept::moved_links(node).into_iter().map(Link::Kept));
        links.extend(kept_links(node).into_iter().map(Link::Kept));
        links
    }

    /// The UUID of the resource for a cited document, recording it.
    fn resource(&mut self, key: &str, url: Option<String>) -> String {
        let declared = crate::index::references::find_declared(&self.framework.documents, key);
        let entry = self
            .resources
            .entry(key.to_string())
            .or_insert_with(|| Resource {
                title: key.to_string(),
                text: declared.and_then(|d| d.title.clone()),
                url: declared.and_then(|d| d.url.clone()),
            });
        if entry.url.is_none() {
            entry.url = url;
        }
        self.uuid(&format!("resource:{key}"))
    }

    fn back_matter(&self) -> Vec<Value> {
        let kept = self
            .imported
            .iter()
            .flat_map(|i| i.resources.iter().cloned());
        kept.chain(self.made_resources()).collect()
    }

    /// The resources made for citations written in the project.
    fn made_resources(&self) -> Vec<Value> {
        self.resources
            .iter()
            .map(|(key, resource)| {
                let mut map = Map::new();
                map.insert("uuid".into(), json!(self.uuid(&format!("resource:{key}"))));
                map.insert("title".into(), json!(single_line(&resource.title)));
                let text = resource.text.as_deref().unwrap_or(&resource.title);
                map.insert("citation".into(), json!({ "text": single_line(text) }));
                if let Some(url) = resource.url.as_deref().filter(|u| !u.trim().is_empty()) {
                    map.insert("rlinks".into(), json!([{ "href": url.trim() }]));
                }
                Value::Object(map)
            })
            .collect()
    }

    fn parts(&mut self, index: usize) -> Vec<PartOut> {
        let node = &self.framework.nodes[index];
        if self.imported.is_some() {
            if let Some(parts) = kept::parts(node, &|id| self.oscal_id(id)) {
                return parts.into_iter().map(PartOut::Kept).collect();
            }
            if !node.extra.contains_key("parts") && kept::has_no_text(node) {
                return Vec::new();
            }
        }
        self.made_parts(index)
            .into_iter()
            .map(PartOut::Made)
            .collect()
    }

    /// Parts read from the Markdown as written: the description as the statement, the
    /// body's sections as parts.
    fn made_parts(&mut self, index: usize) -> Vec<Part> {
        let node = &self.framework.nodes[index];
        let base = self.ids[index].clone();
        let mut parts = Vec::new();
        let mut body = node.body.source.trim();
        let description = node
            .description
            .as_ref()
            .map(|d| d.source.trim())
            .filter(|d| !d.is_empty());
        // A description taken from the body's first paragraph is the statement and is not
        // repeated as guidance; one taken from a paragraph further down is no statement.
        let statement = match description {
            Some(first) if body.starts_with(first) => {
                body = body[first.len()..].trim_start();
                Some(first)
            }
            Some(later) if body.contains(later) => None,
            other => other,
        };
        if let Some(statement) = statement {
            let id = self.unique(format!("{base}_smt"));
            parts.push(self.statement(&id, statement));
        }
        for section in sections(body) {
            let name = section.name();
            let id = self.unique(format!("{base}_{}", short_name(&name)));
            parts.push(Part {
                id: Some(id),
                title: section.title().map(single_line),
                prose: Some(self.prose(section.text.trim())).filter(|p| !p.is_empty()),
                ..Part::named(name)
            });
        }
        parts.extend(self.text_parts(node));
        parts
    }

    /// Multi-line text fields, which cannot be props, as parts named after the field.
    fn text_parts(&self, node: &Node) -> Vec<Part> {
        node.extra
            .iter()
            .filter(|(key, _)| !STRUCTURAL_KEYS.contains(&key.as_str()) && is_token(key))
            .filter_map(|(key, value)| {
                let text = value.as_str()?.trim();
                text.contains('\n').then(|| Part {
                    prose: Some(self.prose(text)),
                    ..Part::named(key.clone())
                })
            })
            .collect()
    }

    /// The `statement` part: lead prose, then `- **label** text` items as `item` parts.
    fn statement(&mut self, id: &str, markdown: &str) -> Part {
        let (lead, items) = statement_items(markdown);
        Part {
            id: Some(id.to_string()),
            prose: Some(self.prose(lead.trim())).filter(|p| !p.is_empty()),
            parts: items.iter().map(|item| self.item(id, item)).collect(),
            ..Part::named("statement".into())
        }
    }

    fn item(&mut self, parent: &str, item: &Item) -> Part {
        let label = item.label.trim_end_matches('.');
        let id = self.unique(format!("{parent}.{}", short_name(label)));
        let props = if item.label.is_empty() {
            Vec::new()
        } else {
            vec![json!({ "name": "label", "value": single_line(&item.label) })]
        };
        Part {
            props,
            prose: Some(self.prose(item.text.trim())).filter(|p| !p.is_empty()),
            parts: item.items.iter().map(|c| self.item(&id, c)).collect(),
            id: Some(id),
            ..Part::named("item".into())
        }
    }

    /// Markdown as OSCAL prose: id links point at OSCAL ids, parameter placeholders become
    /// `{{ insert: param, … }}` again.
    fn prose(&self, markdown: &str) -> String {
        from_site(markdown, &|id| self.oscal_id(id))
    }

    fn oscal_id(&self, id: &str) -> String {
        self.index
            .node(id)
            .map_or_else(|| to_token(id), |n| self.ids[n].clone())
    }
}

/// OSCAL's single-line strings: no line breaks, no surrounding space, never empty.
fn single_line(text: &str) -> String {
    let mut joined = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !joined.is_empty() {
            joined.push(' ');
        }
        joined.push_str(word);
    }
    if joined.is_empty() {
        "-".into()
    } else {
        joined
    }
}

/// Props made of a node's other front-matter fields.
fn extra_props(node: &Node) -> Vec<Value> {
    let mut props = Vec::new();
    for (key, value) in &node.extra {
        if STRUCTURAL_KEYS.contains(&key.as_str()) || !is_token(key) {
            continue;
        }
        for text in prop_values(value) {
            props.push(json!({ "name": key, "value": text }));
        }
    }
    props
}

/// The values of a front-matter field that make props: one-line text, numbers, booleans,
/// and lists of them.
fn prop_values(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() && !s.trim().contains('\n') => {
            vec![single_line(s)]
        }
        Value::Number(n) => vec![n.to_string()],
        Value::Bool(b) => vec![b.to_string()],
        Value::Array(items) => items
            .iter()
            .filter(|v| !v.is_array())
            .flat_map(prop_values)
            .collect(),
        _ => Vec::new(),
    }
}

/// `params:` from front matter (imported OSCAL parameters), kept when each has an id.
fn params(node: &Node) -> Vec<Value> {
    let Some(Value::Array(params)) = node.extra.get("params") else {
        return Vec::new();
    };
    params
        .iter()
        .filter(|p| p.get("id").and_then(Value::as_str).is_some_and(is_token))
        .cloned()
        .collect()
}

/// `links:` from front matter (imported OSCAL links other than references and related),
/// as written, when each has an `href`.
fn kept_links(node: &Node) -> Vec<Value> {
    let Some(Value::Array(links)) = node.extra.get("links") else {
        return Vec::new();
    };
    links
        .iter()
        .filter(|link| {
            link.get("href")
                .and_then(Value::as_str)
                .is_some_and(|h| !h.trim().is_empty())
        })
        .cloned()
        .collect()
}

/// A list kept in front matter (imported metadata), its entries as written.
fn kept_list(node: &Node, key: &str) -> Vec<Value> {
    match node.extra.get(key) {
        Some(Value::Array(items)) => items.iter().filter(|i| i.is_object()).cloned().collect(),
        _ => Vec::new(),
    }
}
