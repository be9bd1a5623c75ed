//! OSCAL XML as the OSCAL JSON shape (roxmltree), so that everything after reading sees
//! one form whatever the file's format.
//!
//! The conversion follows the OSCAL XML-to-JSON mapping: attributes become members,
//! repeated elements become plural arrays (`<control>` → `controls`), and rich text
//! (`<p>`, `<em>`, `<insert type="param" id-ref="…"/>`, lists, tables, links) becomes the
//! Markdown that OSCAL's JSON format holds. Every object's XML line is recorded under its
//! JSON pointer, so later errors can name the line.

use std::collections::HashMap;

use roxmltree::{Document, Node, ParsingOptions};
use serde_json::{Map, Value};

/// The OSCAL XML namespace.
pub const NAMESPACE: &str = "http://csrc.nist.gov/ns/oscal/1.0";

/// An XML document read as OSCAL JSON, with the line of each object.
pub struct Converted {
    /// `{ "<model>": { … } }`.
    pub value: Value,
    /// JSON pointer → line in the XML file.
    pub lines: HashMap<String, u32>,
}

/// How an element's content is carried in JSON.
#[derive(Clone, Copy)]
enum Shape {
    /// An object in an array under the plural key.
    Objects(&'static str),
    /// One object.
    Object,
    /// An object in an array whose element text is kept under the given member.
    TextObjects(&'static str, &'static str),
    /// One object whose element text is kept under the given member.
    TextObject(&'static str),
    /// A string in an array under the plural key.
    Strings(&'static str),
    /// Markup (one line) in an array under the plural key.
    Lines(&'static str),
    /// A plain string.
    Text,
    /// Inline markup as Markdown.
    Line,
    /// Block markup as Markdown.
    Multiline,
    /// `true` or `false`.
    Boolean,
    /// An object whose prose is its own block content (`guideline`).
    ProseObjects(&'static str),
    /// A wrapper whose children are listed under the wrapper's own name (`revisions`).
    Wrapper,
}

/// The shape of each OSCAL element of the catalog and profile models.
fn shape(tag: &str) -> Shape {
    match tag {
        "group" => Shape::Objects("groups"),
        "control" => Shape::Objects("controls"),
        "param" => Shape::Objects("params"),
        "prop" => Shape::Objects("props"),
        "link" => Shape::Objects("links"),
        "part" => Shape::Objects("parts"),
        "role" => Shape::Objects("roles"),
        "location" => Shape::Objects("locations"),
        "party" => Shape::Objects("parties"),
        "responsible-party" => Shape::Objects("responsible-parties"),
        "responsible-role" => Shape::Objects("responsible-roles"),
        "action" => Shape::Objects("actions"),
        "revision" => Shape::Objects("revisions"),
        "resource" => Shape::Objects("resources"),
        "rlink" => Shape::Objects("rlinks"),
        "address" => Shape::Objects("addresses"),
        "constraint" => Shape::Objects("constraints"),
        "test" => Shape::Objects("tests"),
        "import" => Shape::Objects("imports"),
        "include-controls" => Shape::Objects("include-controls"),
        "exclude-controls" => Shape::Objects("exclude-controls"),
        "matching" => Shape::Objects("matching"),
        "set-parameter" => Shape::Objects("set-parameters"),
        "alter" => Shape::Objects("alters"),
        "remove" => Shape::Objects("removes"),
        "add" => Shape::Objects("adds"),
        "insert-controls" => Shape::Objects("insert-controls"),
        "guideline" => Shape::ProseObjects("guidelines"),
        "document-id" => Shape::TextObjects("document-ids", "identifier"),
        "hash" => Shape::TextObjects("hashes", "value"),
        "external-id" => Shape::TextObjects("external-ids", "id"),
        "telephone-number" => Shape::TextObjects("telephone-numbers", "number"),
        "base64" => Shape::TextObject("value"),
        "metadata"
        | "back-matter"
        | "select"
        | "citation"
        | "merge"
        | "modify"
        | "include-all"
        | "flat"
        | "custom"
        | "combine"
        | "responsible-party-uuid" => Shape::Object,
        "with-id" => Shape::Strings("with-ids"),
        "value" => Shape::Strings("values"),
        "email-address" => Shape::Strings("email-addresses"),
        "addr-line" => Shape::Strings("addr-lines"),
        "location-uuid" => Shape::Strings("location-uuids"),
        "party-uuid" => Shape::Strings("party-uuids"),
        "member-of-organization" => Shape::Strings("member-of-organizations"),
        "keep" => Shape::Strings("keeps"),
        "choice" => Shape::Lines("choice"),
        "title" | "label" | "usage" | "text" => Shape::Line,
        "remarks" | "description" | "prose" => Shape::Multiline,
        "as-is" => Shape::Boolean,
        "revisions" => Shape::Wrapper,
        _ => Shape::Text,
    }
}

/// Reads OSCAL XML. Errors carry the line and column.
pub fn convert(text: &str) -> Result<Converted, String> {
    let options = ParsingOptions {
        allow_dtd: false,
        ..ParsingOptions::default()
    };
    let document = Document::parse_with_options(text, options).map_err(|err| {
        let pos = err.pos();
        format!("{}:{}: not well-formed XML: {err}", pos.row, pos.col)
    })?;
    let root = document.root_element();
    let model = root.tag_name().name();
    if root.tag_name().namespace() != Some(NAMESPACE) {
        return Err(format!(
            "{}: not OSCAL: the root element <{model}> is not in OSCAL's namespace {NAMESPACE}",
            line(&root)
        ));
    }
    let mut lines = HashMap::new();
    let pointer = format!("/{model}");
    let value = object(root, &pointer, &mut lines);
    let mut top = Map::new();
    top.insert(model.to_string(), value);
    Ok(Converted {
        value: Value::Object(top),
        lines,
    })
}

/// The line of a node.
fn line(node: &Node) -> u32 {
    node.document().text_pos_at(node.range().start).row
}

/// An element as a JSON object: attributes, then children in order.
fn object(element: Node, pointer: &str, lines: &mut HashMap<String, u32>) -> Value {
    lines.insert(pointer.to_string(), line(&element));
    let mut map = Map::new();
    for attribute in element.attributes() {
        map.insert(
            attribute.name().into(),
            Value::String(attribute.value().into()),
        );
    }
    let mut prose = Vec::new();
    for child in element.children().filter(Node::is_element) {
        let tag = child.tag_name().name();
        if is_block(tag) {
            prose.push(child);
            continue;
        }
        member(&mut map, child, pointer, lines);
    }
    if !prose.is_empty() {
        let markdown = super::markup::blocks(&prose);
        // `prose` comes after title, params, props and links in OSCAL's JSON order.
        insert_prose(&mut map, markdown);
    }
    Value::Object(map)
}

/// Inserts `prose` before `parts` (the place OSCAL's JSON gives it).
fn insert_prose(map: &mut Map<String, Value>, markdown: String) {
    let parts = map.shift_remove("parts");
    let links = map.shift_remove("links");
    map.insert("prose".into(), Value::String(markdown));
    if let Some(parts) = parts {
        map.insert("parts".into(), parts);
    }
    if let Some(links) = links {
        map.insert("links".into(), links);
    }
}

/// Adds one child element to its parent's object.
fn member(
    map: &mut Map<String, Value>,
    child: Node,
    pointer: &str,
    lines: &mut HashMap<String, u32>,
) {
    let tag = child.tag_name().name();
    let mut push = |key: &str, make: &mut dyn FnMut(&str) -> Value| {
        let list = map
            .entry(key.to_string())
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(items) = list {
            let here = format!("{pointer}/{key}/{}", items.len());
            items.push(make(&here));
        }
    };
    match shape(tag) {
        Shape::Objects(key) => push(key, &mut |here| object(child, here, lines)),
        Shape::ProseObjects(key) => push(key, &mut |here| {
            lines.insert(here.to_string(), line(&child));
            let mut object = Map::new();
            object.insert("prose".into(), Value::String(multiline(child)));
            Value::Object(object)
        }),
        Shape::TextObjects(key, text_key) => push(key, &mut |here| {
            let mut value = object(child, here, lines);
            if let Value::Object(object) = &mut value {
                object.insert(text_key.into(), Value::String(plain(child)));
            }
            value
        }),
        Shape::Strings(key) => push(key, &mut |_| Value::String(plain(child))),
        Shape::Lines(key) => push(key, &mut |_| {
            Value::String(super::markup::inline(child).trim().to_string())
        }),
        Shape::Object => {
            let here = format!("{pointer}/{tag}");
            map.insert(tag.into(), object(child, &here, lines));
        }
        Shape::TextObject(text_key) => {
            let here = format!("{pointer}/{tag}");
            let mut value = object(child, &here, lines);
            if let Value::Object(object) = &mut value {
                object.insert(text_key.into(), Value::String(plain(child)));
            }
            map.insert(tag.into(), value);
        }
        Shape::Text => {
            map.insert(tag.into(), Value::String(plain(child)));
        }
        Shape::Line => {
            let text = super::markup::inline(child).trim().to_string();
            map.insert(tag.into(), Value::String(text));
        }
        Shape::Multiline => {
            map.insert(tag.into(), Value::String(multiline(child)));
        }
        Shape::Boolean => {
            map.insert(tag.into(), Value::Bool(plain(child) == "true"));
        }
        Shape::Wrapper => {
            for grandchild in child.children().filter(Node::is_element) {
                member(map, grandchild, pointer, lines);
            }
        }
    }
}

/// Block content as Markdown; text straight inside the element counts as one paragraph.
fn multiline(element: Node) -> String {
    let blocks: Vec<Node> = element
        .children()
        .filter(|c| c.is_element() && is_block(c.tag_name().name()))
        .collect();
    if blocks.is_empty() {
        super::markup::inline(element).trim().to_string()
    } else {
        super::markup::blocks(&blocks)
    }
}

/// The text of an element, trimmed.
fn plain(element: Node) -> String {
    element
        .descendants()
        .filter(Node::is_text)
        .filter_map(|t| t.text())
        .collect::<String>()
        .trim()
        .to_string()
}

/// Block-level rich-text elements (the content of prose).
pub(super) fn is_block(tag: &str) -> bool {
    matches!(
        tag,
        "p" | "ul"
            | "ol"
            | "table"
            | "pre"
            | "blockquote"
            | "hr"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
    )
}
