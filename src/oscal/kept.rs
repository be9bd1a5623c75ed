//! What the export reads back from an imported catalog's front matter: the parts' tree
//! with the prose found in the Markdown, props and links as written, the catalog's
//! metadata lists and back matter, and `last-modified` kept or refreshed.

use std::collections::HashMap;

use serde_json::{json, Map, Value};

use super::import::title_text;
use super::layout::Layout;
use super::prose::from_site;
use super::{digest, resources};
use crate::model::{Framework, Node};

/// The kept OSCAL of an imported project's root, when the project was imported.
pub struct Imported {
    /// The back matter's resources, as written.
    pub resources: Vec<Value>,
    /// Resource UUID by the text the import cites it with.
    pub by_cite: HashMap<String, String>,
    /// The digest of the catalog as imported.
    pub digest: String,
}

impl Imported {
    /// What the root of an imported project keeps (none for a project written by hand).
    pub fn of(framework: &Framework) -> Option<Imported> {
        let root = framework.root();
        let digest = root.extra.get("oscal-digest")?.as_str()?.to_string();
        let resources: Vec<Value> = root
            .extra
            .get("back-matter")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let mut by_cite = HashMap::new();
        for resource in &resources {
            if let (Some(cite), Some(uuid)) = (
                resources::cite(resource),
                resource.get("uuid").and_then(Value::as_str),
            ) {
                by_cite.entry(cite).or_insert_with(|| uuid.to_string());
            }
        }
        Some(Imported {
            resources,
            by_cite,
            digest,
        })
    }
}

/// A node's `parts:` with the prose found in its description and body; `None` when the
/// node keeps no parts or its Markdown no longer has their layout (edited by hand).
pub fn parts(node: &Node, oscal_id: &dyn Fn(&str) -> String) -> Option<Vec<Value>> {
    let skeleton = node.extra.get("parts")?.as_array()?;
    let layout = Layout::of(skeleton, &title_text);
    let description = node.description.as_ref().map_or("", |d| d.source.as_str());
    let has_statement = Layout::walk(skeleton)
        .first()
        .is_some_and(|p| p.get("name").and_then(Value::as_str) == Some("statement"));
    let description = if has_statement { description } else { "" };
    let proses = layout.find(description, &node.body.source)?;
    let mut proses = proses.into_iter().map(|p| from_site(&p, oscal_id));
    // `walk` gives the parts in slot order; fill a copy of the tree in that order.
    let mut tree: Vec<Value> = skeleton.clone();
    let order = slot_paths(skeleton);
    for path in order {
        let prose = proses.next().unwrap_or_default();
        if prose.trim().is_empty() {
            continue;
        }
        if let Some(part) = at_path(&mut tree, &path).and_then(Value::as_object_mut) {
            insert_prose(part, prose);
        }
    }
    Some(tree)
}

/// True when a node without `parts:` still has nothing in its Markdown (so it has no parts).
pub fn has_no_text(node: &Node) -> bool {
    node.body.source.trim().is_empty()
        && node
            .description
            .as_ref()
            .is_none_or(|d| d.source.trim().is_empty())
}

/// The index paths of the parts in slot order (the order of `Layout::walk`).
fn slot_paths(parts: &[Value]) -> Vec<Vec<usize>> {
    let walked = Layout::walk(parts);
    let mut paths = Vec::with_capacity(walked.len());
    for target in walked {
        if let Some(path) = find_path(parts, target) {
            paths.push(path);
        }
    }
    paths
}

/// Where a part (by address) is in the tree.
fn find_path(parts: &[Value], target: &Value) -> Option<Vec<usize>> {
    for (n, part) in parts.iter().enumerate() {
        if std::ptr::eq(part, target) {
            return Some(vec![n]);
        }
        if let Some(children) = part.get("parts").and_then(Value::as_array) {
            if let Some(mut path) = find_path(children, target) {
                path.insert(0, n);
                return Some(path);
            }
        }
    }
    None
}

fn at_path<'v>(parts: &'v mut [Value], path: &[usize]) -> Option<&'v mut Value> {
    let (first, rest) = path.split_first()?;
    let part = parts.get_mut(*first)?;
    if rest.is_empty() {
        return Some(part);
    }
    let children = part.get_mut("parts")?.as_array_mut()?;
    at_path(children, rest)
}

/// Puts `prose` where OSCAL's JSON has it: after the title, props and links, before parts.
fn insert_prose(part: &mut Map<String, Value>, prose: String) {
    let parts = part.shift_remove("parts");
    part.insert("prose".into(), Value::String(prose));
    if let Some(parts) = parts {
        part.insert("parts".into(), parts);
    }
}

/// An imported node's props: `label`, the kept `props`, then `status`.
pub fn props(node: &Node) -> Vec<Value> {
    let kept = node.extra.get("props").and_then(Value::as_array);
    let label = text(node, "label");
    let status = text(node, "status");
    let mut props = Vec::new();
    if let Some(label) = label {
        props.push(json!({ "name": "label", "value": label }));
    }
    props.extend(
        kept.into_iter()
            .flatten()
            .filter(|p| p.is_object())
            .cloned(),
    );
    if let Some(status) = status {
        props.push(json!({ "name": "status", "value": status }));
    }
    props
}

/// `incorporated-into:` and `moved-to:` as links (their ids are OSCAL ids).
pub fn moved_links(node: &Node) -> Vec<Value> {
    let mut links = Vec::new();
    for rel in ["incorporated-into", "moved-to"] {
        let ids = node.extra.get(rel).and_then(Value::as_array);
        for id in ids.into_iter().flatten().filter_map(Value::as_str) {
            links.push(json!({ "href": format!("#{}", id.trim()), "rel": rel }));
        }
    }
    links
}

/// `metadata.last-modified`: kept when the catalog digests as it did on import, else now.
pub fn last_modified(catalog_json: &[u8], imported: &Imported, kept: &str) -> Option<String> {
    let value: Value = serde_json::from_slice(catalog_json).ok()?;
    let same = digest::of_catalog(value.get("catalog")?) == imported.digest;
    (!same).then(now).filter(|n| n != kept)
}

/// The current time as an OSCAL date-time (UTC).
fn now() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = (seconds / 86_400) as i64;
    let (y, m, d) = civil_from_days(days);
    let rest = seconds % 86_400;
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
}

/// Days since 1970-01-01 as a date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn text<'n>(node: &'n Node, key: &str) -> Option<&'n str> {
    node.extra
        .get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    #[test]
    fn days_become_dates() {
        assert_eq!(super::civil_from_days(0), (1970, 1, 1));
        assert_eq!(super::civil_from_days(20_513), (2026, 3, 1));
        assert_eq!(super::civil_from_days(-1), (1969, 12, 31));
    }
}
