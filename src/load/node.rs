//! Reading one node's front matter (and its inline `items:`) into typed fields, reporting
//! every value of the wrong shape with its line.

use std::collections::BTreeMap;

use serde_yaml::{Mapping, Value};

use super::frontmatter::Locator;
use crate::citation::parse_citations;
use crate::diagnostics::{Diagnostic, Span};
use crate::markdown::{self, Origin};
use crate::model::{Column, Kind, Markdown, Reference, Spanned};

/// A node as written, before it has a place in the tree.
#[derive(Debug, Clone, Default)]
pub struct RawNode {
    pub id: Option<String>,
    pub kind: Option<Kind>,
    pub title: Option<String>,
    pub description: Option<Markdown>,
    pub body: Markdown,
    pub references: Vec<Reference>,
    pub related: Vec<Spanned<String>>,
    pub order: Option<f64>,
    pub columns: Option<Vec<Column>>,
    pub items: Vec<RawNode>,
    pub extra: BTreeMap<String, serde_json::Value>,
    pub extra_html: BTreeMap<String, Markdown>,
    /// Where each extra key is written (its key's line).
    pub extra_spans: BTreeMap<String, Span>,
    pub span: Span,
    /// Whether the description's text is how the body begins (see [`RawNode::settle_text`]).
    pub description_repeats_body: bool,
}

impl RawNode {
    /// Notes whether the description merely repeats the body's beginning, then drops the
    /// body's plain text (the largest part of the model that no stage needs any more:
    /// search reads the body's HTML), for this node and its inline items.
    pub fn settle_text(&mut self) {
        self.description_repeats_body = self
            .description
            .as_ref()
            .is_some_and(|d| self.body.plain.starts_with(&d.plain));
        self.body.plain = String::new();
        for item in &mut self.items {
            item.settle_text();
        }
    }
}

/// Reads the fields of one node from its front-matter mapping.
pub struct NodeReader<'a> {
    pub path: &'a str,
    pub locator: Locator<'a>,
    pub diagnostics: Vec<Diagnostic>,
    /// How descriptions and custom fields are converted.
    pub markdown: markdown::MarkdownOptions,
}

/// Keys the model knows; every other key is kept in `extra`.
pub const KNOWN_KEYS: [&str; 9] = [
    "id",
    "kind",
    "title",
    "description",
    "references",
    "related",
    "order",
    "columns",
    "items",
];

/// The code of the warning for a front-matter key that looks like a misspelt known key.
pub const MISSPELLED_KEY: &str = "W0018";

/// The known key that `key` is likely a misspelling of: within edit distance 2 of it and
/// close for its length, by the rule book.toml's keys follow (`refrences`, `Title`,
/// `decription`; not `owner` for `order`).
fn misspelling_of(key: &str) -> Option<&'static str> {
    let known: Vec<String> = KNOWN_KEYS.iter().map(|k| k.to_string()).collect();
    let best = crate::config::did_you_mean(key, &known)?;
    let distance = strsim::damerau_levenshtein(&key.to_lowercase(), best);
    let best = KNOWN_KEYS.iter().find(|k| **k == best)?;
    (distance <= 2).then_some(*best)
}

/// The warning for `key`, a likely misspelling of `known`. The key stands between the
/// message's first backticks: [`crate::validate::drop_declared_fields`] reads it there.
fn misspelled_key(key: &str, known: &str) -> Diagnostic {
    Diagnostic::warning(
        MISSPELLED_KEY,
        format!("unknown front-matter key `{key}`, kept as a custom field"),
    )
    .help(format!(
        "did you mean `{known}`? If `{key}` is a field of your own, declare it in book.toml: \
         `[framework] fields = [\"{key}\"]`"
    ))
}

impl NodeReader<'_> {
    /// Reads a node; `value` is its mapping (null is an empty node).
    pub fn read(&mut self, value: &Value, fallback: Span) -> RawNode {
        let empty = Mapping::new();
        let map = match value {
            Value::Mapping(map) => map,
            Value::Null => &empty,
            _ => {
                self.diagnostics.push(
                    Diagnostic::error("E0012", "front matter must be a mapping of keys to values")
                        .at(fallback.clone()),
                );
                &empty
            }
        };
        let start = self.locator.cursor;
        let mut node = RawNode {
            span: fallback,
            ..RawNode::default()
        };
        if let Some(id) = self.scalar(map, "id", start) {
            node.span = self.locator.key_value("id", &id);
            node.id = Some(id);
        }
        let start = self.locator.cursor.max(start);
        node.kind = self.scalar(map, "kind", start).and_then(|name| {
            let kind = Kind::parse(&name);
            if kind.is_none() {
                let span = self.locator.text(&name, start);
                self.diagnostics.push(
                    Diagnostic::error("E0013", format!("unknown kind `{name}`"))
                        .at(span)
                        .help("use concept, category, subcategory or statement"),
                );
            }
            kind
        });
        node.title = self.scalar(map, "title", start);
        node.description = self.scalar(map, "description", start).map(|text| {
            let span = self.locator.text(text.trim(), start);
            self.inline_markdown(&text, &span)
        });
        node.order = self.order(map, start);
        node.references = self.references(map, start);
        node.related = self.related(map, start);
        node.columns = self.columns(map, start);
        self.extras(map, start, &mut node);
        node.items = self.items(map, start);
        node
    }

    fn inline_markdown(&mut self, text: &str, span: &Span) -> Markdown {
        let origin = Origin {
            path: self.path,
            line: span.line.max(1),
            column: span.column.max(1),
        };
        let mut converted = markdown::to_inline_html_with(text.trim(), origin, self.markdown);
        self.diagnostics.append(&mut converted.warnings);
        converted
    }

    fn error_at(&mut self, code: &'static str, message: String, key: &str, start: usize) {
        let line = self.locator.key_line(key, start);
        let span = self.locator.text(key, line);
        self.diagnostics
            .push(Diagnostic::error(code, message).at(span));
    }

    /// A text-like value: strings, numbers and booleans become text; null is absent.
    fn scalar(&mut self, map: &Mapping, key: &str, start: usize) -> Option<String> {
        let value = map.get(key)?;
        match scalar_text(value) {
            Some(text) => Some(text),
            None if value.is_null() => None,
            None => {
                self.error_at("E0014", format!("`{key}` must be text"), key, start);
                None
            }
        }
    }

    fn order(&mut self, map: &Mapping, start: usize) -> Option<f64> {
        let value = map.get("order")?;
        match value.as_f64() {
            Some(order) if order.is_finite() => Some(order),
            _ if value.is_null() => None,
            _ => {
                self.error_at("E0014", "`order` must be a number".into(), "order", start);
                None
            }
        }
    }

    /// A list, or a single value standing for a list of one.
    fn list<'v>(&mut self, map: &'v Mapping, key: &str, start: usize) -> Vec<&'v Value> {
        match map.get(key) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Sequence(items)) => items.iter().collect(),
            Some(Value::Mapping(_)) if key == "items" || key == "columns" => {
                self.error_at("E0014", format!("`{key}` must be a list"), key, start);
                Vec::new()
            }
            Some(other) => vec![other],
        }
    }

    fn references(&mut self, map: &Mapping, start: usize) -> Vec<Reference> {
        let mut references = Vec::new();
        for value in self.list(map, "references", start) {
            let (cite, url, note) = match value {
                Value::Mapping(entry) => (
                    entry.get("cite").and_then(scalar_text),
                    entry.get("url").and_then(scalar_text),
                    entry.get("note").and_then(scalar_text),
                ),
                other => (scalar_text(other), None, None),
            };
            let Some(cite) = cite.filter(|c| !c.trim().is_empty()) else {
                self.error_at(
                    "E0015",
                    "a reference must be a citation text or a mapping with `cite:`".into(),
                    "references",
                    start,
                );
                continue;
            };
            let from = self.locator.key_line("references", start);
            let span = self.locator.text(cite.trim(), from);
            references.push(Reference {
                citations: parse_citations(&cite),
                cite: cite.trim().to_string(),
                url,
                note,
                span,
            });
        }
        references
    }

    fn related(&mut self, map: &Mapping, start: usize) -> Vec<Spanned<String>> {
        let mut related = Vec::new();
        for value in self.list(map, "related", start) {
            match scalar_text(value) {
                Some(id) => {
                    let from = self.locator.key_line("related", start);
                    let span = self.locator.text(&id, from);
                    related.push(Spanned { value: id, span });
                }
                None => self.error_at("E0014", "`related` must list ids".into(), "related", start),
            }
        }
        related
    }

    fn columns(&mut self, map: &Mapping, start: usize) -> Option<Vec<Column>> {
        map.get("columns")?;
        let mut columns = Vec::new();
        for value in self.list(map, "columns", start) {
            let (key, title) = match value {
                Value::Mapping(entry) => (
                    entry.get("key").and_then(scalar_text),
                    entry.get("title").and_then(scalar_text),
                ),
                other => (scalar_text(other), None),
            };
            let Some(key) = key else {
                self.error_at(
                    "E0016",
                    "a column must be a key or a mapping with `key:`".into(),
                    "columns",
                    start,
                );
                continue;
            };
            let from = self.locator.key_line("columns", start);
            let span = self.locator.text(&key, from);
            let title = title.unwrap_or_else(|| default_column_title(&key));
            columns.push(Column { key, title, span });
        }
        Some(columns)
    }

    fn extras(&mut self, map: &Mapping, start: usize, node: &mut RawNode) {
        for (key, value) in map {
            let Some(key) = scalar_text(key) else {
                continue;
            };
            if KNOWN_KEYS.contains(&key.as_str()) {
                continue;
            }
            if let Some(known) = misspelling_of(&key) {
                let from = self.locator.key_line(&key, start);
                let span = self.locator.text(&key, from);
                self.diagnostics.push(misspelled_key(&key, known).at(span));
            }
            let line = self.locator.key_line(&key, start);
            node.extra_spans
                .insert(key.clone(), self.locator.text(&key, line));
            if let Value::String(text) = value {
                let span = self.locator.text(text.trim(), start);
                node.extra_html
                    .insert(key.clone(), self.inline_markdown(text, &span));
            }
            node.extra.insert(key, yaml_to_json(value));
        }
    }

    fn items(&mut self, map: &Mapping, start: usize) -> Vec<RawNode> {
        let values = self.list(map, "items", start);
        if values.is_empty() {
            return Vec::new();
        }
        // Where each entry's `-` stands, so that each item is read from its own lines
        // (and searches for its keys stop at the next entry).
        let entries = self.locator.list_entries("items", start);
        let parent_end = self.locator.end;
        let mut items = Vec::with_capacity(values.len());
        for (number, value) in values.into_iter().enumerate() {
            self.locator.end = entries
                .get(number + 1)
                .map_or(parent_end, |&(line, _)| line);
            let fallback = match entries.get(number) {
                Some(&(line, column)) => {
                    self.locator.cursor = line;
                    self.locator.span(line, column, 1)
                }
                None => self.locator.text("- ", self.locator.cursor),
            };
            if !matches!(value, Value::Mapping(_)) {
                self.diagnostics.push(
                    Diagnostic::error("E0017", "each entry of `items` must be a mapping")
                        .at(fallback)
                        .help("give the entry its fields: `- id: …` with `description: …`"),
                );
                continue;
            }
            if entries.get(number).is_none() {
                self.locator.cursor += usize::from(!items.is_empty());
            }
            items.push(self.read(value, fallback));
        }
        self.locator.end = parent_end;
        items
    }
}

/// The header of a built-in column.
pub fn default_column_title(key: &str) -> String {
    match key {
        "id" => "ID".into(),
        "references" => "References".into(),
        "description" => "Description".into(),
        "title" => "Title".into(),
        "related" => "Related".into(),
        "mappings" => "Maps to".into(),
        other => {
            let mut title = other.replace(['-', '_'], " ");
            if let Some(first) = title.get(..1) {
                title.replace_range(..1, &first.to_uppercase());
            }
            title
        }
    }
}

/// Text of a scalar value; None for sequences, mappings and null.
pub fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Tagged(tagged) => scalar_text(&tagged.value),
        _ => None,
    }
}

/// YAML data as JSON data, for templates and exports.
pub fn yaml_to_json(value: &Value) -> serde_json::Value {
    use serde_json::Value as Json;
    match value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Number(n) => n
            .as_i64()
            .map(Json::from)
            .or_else(|| n.as_u64().map(Json::from))
            .or_else(|| {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map(Json::Number)
            })
            .unwrap_or(Json::Null),
        Value::String(s) => Json::String(s.clone()),
        Value::Sequence(items) => Json::Array(items.iter().map(yaml_to_json).collect()),
        Value::Mapping(map) => Json::Object(
            map.iter()
                .map(|(k, v)| {
                    let key = scalar_text(k).unwrap_or_else(|| format!("{k:?}"));
                    (key, yaml_to_json(v))
                })
                .collect(),
        ),
        Value::Tagged(tagged) => yaml_to_json(&tagged.value),
    }
}
