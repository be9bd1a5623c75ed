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

use crate::index::SiteIndex;
use crate::model::{Framework, Kind, Node};

/// The OSCAL version the catalog conforms to.
pub const OSCAL_VERSION: &str = "1.1.2";
/// `last-modified` when the root's front matter gives none (kept fixed for reproducibility).
pub const DEFAULT_LAST_MODIFIED: &str = "1970-01-01T00:00:00Z";
/// The HTML class of an imported parameter placeholder in Markdown.
pub const PARAM_CLASS: &str = "oscal-param";
/// The HTML class of an imported link whose target is not in the framework.
pub const LINK_CLASS: &str = "oscal-link";
/// Front-matter keys that carry OSCAL structure rather than props.
pub const STRUCTURAL_KEYS: [&str; 9] = [
    "class",
    "params",
    "links",
    "oscal-id",
    "oscal-type",
    "last-modified",
    "published",
    "oscal-version",
    "remarks",
];

/// True when `text` is an OSCAL token (an XML NCName): a letter or `_`, then letters,
/// digits, `.`, `-` or `_`. Letters beyond ASCII are accepted from U+00C0 on.
pub fn is_token(text: &str) -> bool {
    let letter = |c: char| c.is_ascii_alphabetic() || (c >= '\u{C0}' && c.is_alphabetic());
    let mut chars = text.chars();
    chars.next().is_some_and(|c| letter(c) || c == '_')
        && chars.all(|c| letter(c) || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'))
}

/// Makes a token of any text: unsafe characters become `-`, and a `fw-` prefix is added
/// when it would not start with a letter.
pub fn to_token(text: &str) -> String {
    let body: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '-'
            }
        })
        .collect();
    if is_token(&body) {
        body
    } else {
        format!("fw-{body}")
    }
}

/// The OSCAL id of a node: `oscal-id:` when it is a token, else the id made a token.
pub fn item_id(node: &Node) -> String {
    text_field(node, "oscal-id")
        .filter(|id| is_token(id))
        .map_or_else(|| to_token(&node.id), str::to_string)
}

/// `metadata.last-modified` of every OSCAL export: the root's `last-modified:` or a fixed date.
pub fn last_modified(framework: &Framework) -> String {
    text_field(framework.root(), "last-modified")
        .and_then(timestamp)
        .unwrap_or_else(|| DEFAULT_LAST_MODIFIED.to_string())
}

/// The namespace of a framework's name-based UUIDs.
pub fn uuid_namespace(framework: &Framework) -> Uuid {
    let name = format!("framewright:{}", framework.config.book.title);
    Uuid::new_v5(&Uuid::NAMESPACE_URL, name.as_bytes())
}

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
    out
}

/// Writes the members of a pretty-printed JSON object, each value serialised on its own,
/// at a given indentation.
struct JsonObjectWriter<'o> {
    out: &'o mut Vec<u8>,
    indent: usize,
    empty: bool,
}

impl<'o> JsonObjectWriter<'o> {
    fn new(out: &'o mut Vec<u8>, indent: usize) -> JsonObjectWriter<'o> {
        JsonObjectWriter {
            out,
            indent,
            empty: true,
        }
    }

    fn key(&mut self, key: &str) {
        self.out
            .extend_from_slice(if self.empty { b"\n" } else { b",\n" });
        self.empty = false;
        self.out.resize(self.out.len() + self.indent, b' ');
        // Serialising a string into memory cannot fail.
        let _ = serde_json::to_writer(&mut *self.out, key);
        self.out.extend_from_slice(b": ");
    }

    fn member(&mut self, key: &str, value: &impl Serialize) {
        self.key(key);
        write_indented(self.out, value, self.indent);
    }

    /// An array member, unless the array is empty (OSCAL arrays hold at least one entry).
    fn array(&mut self, key: &str, array: JsonArrayWriter) {
        if array.items == 0 {
            return;
        }
        self.key(key);
        self.out.push(b'[');
        self.out.extend_from_slice(&array.bytes);
        self.close_array();
    }

    /// Ends an array member whose items were written straight after its key.
    fn close_array(&mut self) {
        self.out.push(b'\n');
        self.out.resize(self.out.len() + self.indent, b' ');
        self.out.push(b']');
    }

    fn finish(self, outer_indent: usize) {
        if self.empty {
            self.out.extend_from_slice(b"}");
        } else {
            self.out.push(b'\n');
            self.out.resize(self.out.len() + outer_indent, b' ');
            self.out.push(b'}');
        }
    }
}

/// The items of a pretty-printed JSON array, serialised one at a time.
#[derive(Default)]
struct JsonArrayWriter {
    bytes: Vec<u8>,
    items: usize,
}

impl JsonArrayWriter {
    fn push(&mut self, value: &impl Serialize, indent: usize) {
        push_item(&mut self.bytes, self.items == 0, value, indent);
        self.items += 1;
    }
}

/// Appends one item of a pretty-printed array whose items stand `indent` spaces deep.
fn push_item(out: &mut Vec<u8>, first: bool, value: &impl Serialize, indent: usize) {
    out.extend_from_slice(if first { b"\n" } else { b",\n" });
    out.resize(out.len() + indent, b' ');
    write_indented(out, value, indent);
}

/// Appends `value` pretty-printed (two spaces) as if it stood `indent` spaces deep.
fn write_indented(out: &mut Vec<u8>, value: &impl Serialize, indent: usize) {
    let formatter = NestedPretty {
        level: indent / 2,
        has_value: false,
    };
    let mut serializer = serde_json::Serializer::with_formatter(out, formatter);
    // Serialising JSON values into memory cannot fail.
    let _ = value.serialize(&mut serializer);
}

/// serde_json's pretty format (two spaces per level), starting `level` levels deep: the
/// same bytes as pretty-printing the value where it stands in the whole document.
struct NestedPretty {
    level: usize,
    has_value: bool,
}

impl NestedPretty {
    fn indent<W: ?Sized + std::io::Write>(&self, out: &mut W) -> std::io::Result<()> {
        for _ in 0..self.level {
            out.write_all(b"  ")?;
        }
        Ok(())
    }

    fn open<W: ?Sized + std::io::Write>(
        &mut self,
        out: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.level += 1;
        self.has_value = false;
        out.write_all(bracket)
    }

    fn close<W: ?Sized + std::io::Write>(
        &mut self,
        out: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.level -= 1;
        if self.has_value {
            out.write_all(b"\n")?;
            self.indent(out)?;
        }
        out.write_all(bracket)
    }

    fn item<W: ?Sized + std::io::Write>(&self, out: &mut W, first: bool) -> std::io::Result<()> {
        out.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(out)
    }
}

impl serde_json::ser::Formatter for NestedPretty {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.open(out, b"[")
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.close(out, b"]")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        out: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(out, first)
    }

    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.open(out, b"{")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.close(out, b"}")
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        out: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(out, first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(
        &mut self,
        out: &mut W,
    ) -> std::io::Result<()> {
        out.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
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
    class: String,
    title: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    params: Vec<Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    props: Vec<Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    links: Vec<Link>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    parts: Vec<Part>,
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
        put(&mut metadata, "props", extra_props(root));
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
        let class = text_field(node, "class")
            .filter(|c| is_token(c))
            .unwrap_or(node.kind.name());
        let title = node.title.as_deref().unwrap_or(&node.id);
        let mut entry = Entry {
            id: (!idless).then(|| self.ids[index].clone()),
            class: class.to_string(),
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
        let mut props = Vec::new();
        let has_label = text_field(node, "label").is_some();
        if !has_label {
            props.push(json!({ "name": "label", "value": single_line(&node.id) }));
        } else if self.ids[index] != node.id {
            props.push(json!({ "name": "label", "class": "framewright-id", "value": single_line(&node.id) }));
        }
        props.extend(extra_props(node));
        props
    }

    fn links(&mut self, node: &Node) -> Vec<Link> {
        let mut links = Vec::new();
        for reference in &node.references {
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

    fn parts(&mut self, index: usize) -> Vec<Part> {
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
        let text = restore_inserts(markdown);
        let text = rewrite_wiki_links(&text, |id| self.oscal_id(id));
        rewrite_id_links(&text, |id| self.oscal_id(id))
    }

    fn oscal_id(&self, id: &str) -> String {
        self.index
            .node(id)
            .map_or_else(|| to_token(id), |n| self.ids[n].clone())
    }
}

/// A front-matter field's text.
fn text_field<'n>(node: &'n Node, key: &str) -> Option<&'n str> {
    node.extra
        .get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
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

/// A date or date-time from front matter as an OSCAL date-time with time zone.
fn timestamp(text: &str) -> Option<String> {
    let text = text.trim();
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    let date = text.get(..10)?;
    let (y, m, d) = (date.get(..4)?, date.get(5..7)?, date.get(8..10)?);
    if !(digits(y) && digits(m) && digits(d) && &date[4..5] == "-" && &date[7..8] == "-") {
        return None;
    }
    if text.len() == 10 {
        return Some(format!("{date}T00:00:00Z"));
    }
    let zoned = text.ends_with('Z') || text[10..].contains(['+', '-']);
    (text.as_bytes()[10] == b'T' && zoned).then(|| text.to_string())
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

/// `links:` from front matter (imported OSCAL links other than references and related).
fn kept_links(node: &Node) -> Vec<Value> {
    let Some(Value::Array(links)) = node.extra.get("links") else {
        return Vec::new();
    };
    links
        .iter()
        .filter_map(|link| {
            let href = link.get("href")?.as_str()?.trim();
            if href.is_empty() {
                return None;
            }
            let mut out = Map::new();
            out.insert("href".into(), json!(href));
            if let Some(rel) = link
                .get("rel")
                .and_then(Value::as_str)
                .filter(|r| is_token(r))
            {
                out.insert("rel".into(), json!(rel));
            }
            if let Some(text) = link.get("text").and_then(Value::as_str) {
                out.insert("text".into(), json!(single_line(text)));
            }
            Some(Value::Object(out))
        })
        .collect()
}

/// A part name or label shortened to a token for ids (`assessment-objective` → `assessment-objective`,
/// `(a)` → `a`).
fn short_name(text: &str) -> String {
    let token: String = text
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .collect();
    if token.is_empty() {
        "part".into()
    } else {
        token
    }
}

/// A `## Heading` section of a body (or the text before the first heading).
struct Section<'t> {
    heading: Option<&'t str>,
    text: String,
}

impl Section<'_> {
    /// The part name: `guidance` for text before any heading, else the heading as a token.
    fn name(&self) -> String {
        let Some(heading) = self.heading else {
            return "guidance".into();
        };
        let slug = crate::markdown::slugify(heading);
        if is_token(&slug) {
            slug
        } else {
            to_token(&slug)
        }
    }

    /// A title when the heading says more than the part's name.
    fn title(&self) -> Option<&str> {
        let heading = self.heading?;
        (heading != part_heading(&self.name())).then_some(heading)
    }
}

/// The heading written for a part name: `assessment-objective` → `Assessment objective`.
pub fn part_heading(name: &str) -> String {
    let words = name.replace(['-', '_'], " ");
    let mut chars = words.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Splits a body at its level-2 headings (outside code fences).
fn sections(body: &str) -> Vec<Section<'_>> {
    let mut sections = vec![Section {
        heading: None,
        text: String::new(),
    }];
    let mut fence = false;
    for line in body.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = !fence;
        }
        match line.strip_prefix("## ") {
            Some(heading) if !fence => sections.push(Section {
                heading: Some(heading.trim().trim_end_matches('#').trim()),
                text: String::new(),
            }),
            _ => {
                let last = sections.last_mut().expect("never empty");
                last.text.push_str(line);
                last.text.push('\n');
            }
        }
    }
    sections
        .into_iter()
        .filter(|s| s.heading.is_some() || !s.text.trim().is_empty())
        .collect()
}

/// One `- **label** text` item of a statement, with its nested items.
#[derive(Debug, Default, PartialEq)]
pub struct Item {
    /// The label, as written between the `**`.
    pub label: String,
    /// The item's text (continuation lines de-indented).
    pub text: String,
    /// Nested items.
    pub items: Vec<Item>,
}

/// Splits a statement's Markdown into lead prose and labelled items: a list whose entries
/// all start with `- **label**` (as `framewright import oscal` writes them). Anything else
/// stays prose.
pub fn statement_items(markdown: &str) -> (String, Vec<Item>) {
    let lines: Vec<&str> = markdown.lines().collect();
    let start = lines
        .iter()
        .position(|l| item_head(l, 0).is_some())
        .unwrap_or(lines.len());
    let rest = &lines[start..];
    let all_items = rest
        .iter()
        .all(|l| l.trim().is_empty() || l.starts_with("  ") || item_head(l, 0).is_some());
    if rest.is_empty() || !all_items {
        return (markdown.to_string(), Vec::new());
    }
    let lead = lines[..start].join("\n");
    (lead, parse_items(rest, 0))
}

/// `(label, text)` when the line is `- **label** text` at exactly `indent` spaces.
fn item_head(line: &str, indent: usize) -> Option<(&str, &str)> {
    let rest = line
        .strip_prefix(&" ".repeat(indent))?
        .strip_prefix("- **")?;
    let end = rest.find("**")?;
    let label = &rest[..end];
    (!label.is_empty() && !label.starts_with(' ')).then(|| (label, rest[end + 2..].trim_start()))
}

fn parse_items(lines: &[&str], indent: usize) -> Vec<Item> {
    let mut items: Vec<(Item, Vec<&str>)> = Vec::new();
    for &line in lines {
        match item_head(line, indent) {
            Some((label, text)) => items.push((
                Item {
                    label: label.to_string(),
                    text: text.to_string(),
                    items: Vec::new(),
                },
                Vec::new(),
            )),
            None => {
                if let Some((_, body)) = items.last_mut() {
                    body.push(line);
                }
            }
        }
    }
    let inner = indent + 2;
    items
        .into_iter()
        .map(|(mut item, body)| {
            let first_nested = body
                .iter()
                .position(|l| item_head(l, inner).is_some())
                .unwrap_or(body.len());
            for line in &body[..first_nested] {
                item.text.push('\n');
                item.text
                    .push_str(line.get(inner..).unwrap_or("").trim_end());
            }
            item.text = item.text.trim().to_string();
            item.items = parse_items(&body[first_nested..], inner);
            item
        })
        .collect()
}

/// Turns the placeholders of an import back into OSCAL prose:
/// `<span class="oscal-param" data-param="ID">…</span>` into `{{ insert: param, ID }}`, and
/// `<span class="oscal-link" data-href="#X">text</span>` into `[text](#X)`.
pub fn restore_inserts(markdown: &str) -> String {
    let param = format!("<span class=\"{PARAM_CLASS}\" data-param=\"");
    let link = format!("<span class=\"{LINK_CLASS}\" data-href=\"");
    let mut out = String::with_capacity(markdown.len());
    let mut rest = markdown;
    loop {
        let next = [(&param, true), (&link, false)]
            .into_iter()
            .filter_map(|(open, is_param)| find(rest, open).map(|at| (at, open, is_param)))
            .min();
        let Some((at, open, is_param)) = next else {
            break;
        };
        let after = &rest[at + open.len()..];
        let (Some(quote), Some(close)) = (after.find('"'), find(after, "</span>")) else {
            break;
        };
        let value = crate::html::unescape(&after[..quote]);
        out.push_str(&rest[..at]);
        if is_param {
            out.push_str(&format!("{{{{ insert: param, {value} }}}}"));
        } else {
            let text = after[..close].split_once('>').map_or("", |(_, t)| t);
            out.push_str(&format!("[{text}]({value})"));
        }
        rest = &after[close + "</span>".len()..];
    }
    out.push_str(rest);
    out
}

/// Where `needle` first stands in `text` (memchr's search: these run over every body).
fn find(text: &str, needle: &str) -> Option<usize> {
    memchr::memmem::find(text.as_bytes(), needle.as_bytes())
}

/// Rewrites `[text](@ID)` links with `map(ID)` as the fragment: `[text](#OSCAL-ID)`.
fn rewrite_id_links(text: &str, map: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = find(rest, "](@") {
        let after = &rest[at + 3..];
        let Some(end) = after.find(')') else { break };
        out.push_str(&rest[..at]);
        out.push_str(&format!("](#{})", map(after[..end].trim())));
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Rewrites `[[ID]]` as `[ID](#OSCAL-ID)`.
fn rewrite_wiki_links(text: &str, map: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = find(rest, "[[") {
        let after = &rest[at + 2..];
        let Some(end) = find(after, "]]").filter(|&e| !after[..e].contains(['[', '\n'])) else {
            out.push_str(&rest[..at + 2]);
            rest = after;
            continue;
        };
        let id = after[..end].trim();
        out.push_str(&rest[..at]);
        out.push_str(&format!("[{id}](#{})", map(id)));
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens() {
        for ok in ["ac-2", "ID.AM-01", "_x", "s1.1.1"] {
            assert!(is_token(ok), "{ok}");
        }
        assert!(is_token("ké-1"));
        for bad in ["", "1.2", "-a", "a b", "AC-2(1)", "²"] {
            assert!(!is_token(bad), "{bad}");
        }
        assert_eq!(to_token("AC-2(1)"), "AC-2-1-");
        assert_eq!(to_token("1.2"), "fw-1.2");
    }

    #[test]
    fn statement_items_nest_and_keep_lead() {
        let md = "Do this:\n\n- **a.** First;\n- **b.** Second:\n  - **1.** Deep;\n    more\n  - **2.** Deeper.\n";
        let (lead, items) = statement_items(md);
        assert_eq!(lead.trim(), "Do this:");
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].label, "a.");
        assert_eq!(items[1].items[0].text, "Deep;\nmore");
        assert_eq!(items[1].items[1].label, "2.");
    }

    #[test]
    fn ordinary_lists_stay_prose() {
        let md = "Lead.\n\n- plain item\n- **bold** but then\nnot indented\n";
        let (lead, items) = statement_items(md);
        assert_eq!(lead, md);
        assert!(items.is_empty());
    }

    #[test]
    fn inserts_and_links_are_restored() {
        let md = "Use <span class=\"oscal-param\" data-param=\"ac-1_prm_1\">[Assignment: x]</span> and [[ID.AM]] or [see](@ID.RA).";
        let text = restore_inserts(md);
        assert_eq!(
            text,
            "Use {{ insert: param, ac-1_prm_1 }} and [[ID.AM]] or [see](@ID.RA)."
        );
        let text = rewrite_wiki_links(&text, |id| format!("x-{id}"));
        let text = rewrite_id_links(&text, |id| format!("x-{id}"));
        assert!(
            text.ends_with("[ID.AM](#x-ID.AM) or [see](#x-ID.RA)."),
            "{text}"
        );
    }

    #[test]
    fn sections_split_on_level_two_headings_outside_fences() {
        let body = "Intro.\n\n## Guidance\n\nText.\n\n```\n## not a heading\n```\n\n## Assessment objective\n\nMore.\n";
        let found = sections(body);
        let names: Vec<String> = found.iter().map(Section::name).collect();
        assert_eq!(names, ["guidance", "guidance", "assessment-objective"]);
        assert!(found[1].text.contains("## not a heading"));
        assert_eq!(found[2].title(), None);
    }

    #[test]
    fn timestamps() {
        assert_eq!(timestamp("2024-02-01").unwrap(), "2024-02-01T00:00:00Z");
        assert!(timestamp("2024-02-01T13:57:28.355446-04:00").is_some());
        assert!(timestamp("2024-02-01T13:57:28").is_none());
        assert!(timestamp("yesterday").is_none());
    }
}
