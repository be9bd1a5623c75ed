//! OSCAL, read and written in one place: the vocabulary both directions share, the JSON
//! writer of every OSCAL export, the catalog writer (`catalog`), the catalog reader for
//! JSON, YAML and XML (`read`, `xml`), the import of a catalog as a project (`import`) and
//! profile resolution (`profile`).
//!
//! The other modules reach OSCAL only through here: `export/` and `import/` are thin entry
//! points, and the crosswalks' mapping collection is written with [`json`]'s helpers.

pub mod baseline;
pub mod catalog;
pub mod digest;
pub mod import;
pub mod json;
pub mod kept;
pub mod layout;
pub mod markdown;
pub mod markup;
pub mod profile;
mod profile_modify;
pub mod prose;
pub mod read;
pub mod resources;
pub mod xml;

use uuid::Uuid;

use crate::model::{Framework, Node};

/// The OSCAL version the catalog conforms to.
pub const OSCAL_VERSION: &str = "1.1.2";
/// `last-modified` when the root's front matter gives none (kept fixed for reproducibility).
pub const DEFAULT_LAST_MODIFIED: &str = "1970-01-01T00:00:00Z";
/// The HTML class of an imported parameter placeholder in Markdown.
pub const PARAM_CLASS: &str = "oscal-param";
/// The HTML class of an imported link whose target is not in the framework.
pub const LINK_CLASS: &str = "oscal-link";
/// Front-matter keys that carry OSCAL structure rather than props.
pub const STRUCTURAL_KEYS: [&str; 26] = [
    "class",
    "params",
    "links",
    "oscal-id",
    "oscal-type",
    "last-modified",
    "published",
    "oscal-version",
    "remarks",
    "status",
    "props",
    "parts",
    "incorporated-into",
    "moved-to",
    "baselines",
    "oscal-uuid",
    "oscal-digest",
    "back-matter",
    "revisions",
    "document-ids",
    "roles",
    "locations",
    "parties",
    "responsible-parties",
    "actions",
    "label",
];

/// The list members of a catalog's metadata kept in the root's front matter on import,
/// in OSCAL's order.
pub const METADATA_LISTS: [&str; 9] = [
    "revisions",
    "document-ids",
    "props",
    "links",
    "roles",
    "locations",
    "parties",
    "responsible-parties",
    "actions",
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

/// A front-matter field's text.
pub(crate) fn text_field<'n>(node: &'n Node, key: &str) -> Option<&'n str> {
    node.extra
        .get(key)
        .and_then(serde_json::Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// A date or date-time from front matter as an OSCAL date-time with time zone.
pub(crate) fn timestamp(text: &str) -> Option<String> {
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

/// The heading written for a part name: `assessment-objective` → `Assessment objective`.
pub fn part_heading(name: &str) -> String {
    let words = name.replace(['-', '_'], " ");
    let mut chars = words.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A text field of an OSCAL object, trimmed, when present and not empty.
pub(crate) fn value_text<'v>(value: &'v serde_json::Value, key: &str) -> Option<&'v str> {
    value
        .get(key)
        .and_then(serde_json::Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Text on one line, runs of white space made one space.
pub(crate) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests;
