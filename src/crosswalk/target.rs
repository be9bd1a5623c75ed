//! The other side of a crosswalk: a framewright project, a `framework.json`, or an OSCAL
//! catalog, read only for its ids, titles and hierarchy.

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;

use crate::config::Config;

/// An item of the target framework.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetItem {
    /// Its id (for an OSCAL catalog, the control or group id).
    pub id: String,
    /// Its title (or, lacking one, its description), when it has one.
    pub title: Option<String>,
    /// Id of its parent, when it has one.
    pub parent: Option<String>,
}

/// The framework a crosswalk maps to.
#[derive(Debug, Clone, Default)]
pub struct Target {
    /// Its title (from the mapping file, or its own).
    pub title: String,
    /// The path as written in the mapping file.
    pub path: String,
    /// What it is: `framewright project`, `framework.json` or `OSCAL catalog`.
    pub format: &'static str,
    /// URL template of its items (`…/{id}/`), when the mapping file gives one.
    pub link: Option<String>,
    /// Its items in document order.
    pub items: Vec<TargetItem>,
    by_id: HashMap<String, usize>,
}

impl Target {
    /// Reads the target at `path` (relative to the project folder `root`).
    pub fn load(root: &Path, path: &str) -> Result<Target, String> {
        let full = root.join(path);
        let (title, format, items) = if full.is_dir() {
            read_project(&full)?
        } else if full.is_file() {
            read_json(&full)?
        } else {
            return Err("no such file or folder".into());
        };
        let by_id = items
            .iter()
            .enumerate()
            .map(|(n, item)| (item.id.clone(), n))
            .rev()
            .collect();
        Ok(Target {
            title,
            path: path.to_string(),
            format,
            link: None,
            items,
            by_id,
        })
    }

    /// The item with this id.
    pub fn item(&self, id: &str) -> Option<&TargetItem> {
        self.by_id.get(id).map(|&n| &self.items[n])
    }

    /// Position of an item in document order (for sorting the reverse direction).
    pub fn position(&self, id: &str) -> usize {
        self.by_id.get(id).copied().unwrap_or(usize::MAX)
    }

    /// The URL of an item on the target's own site, when a link template is given.
    pub fn href(&self, id: &str) -> Option<String> {
        self.link.as_ref().map(|link| {
            if link.contains("{id}") {
                link.replace("{id}", id)
            } else {
                format!("{}/id/{id}/", link.trim_end_matches('/'))
            }
        })
    }
}

type Read = (String, &'static str, Vec<TargetItem>);

/// Another framewright project: its nodes with ids, in site order.
fn read_project(dir: &Path) -> Result<Read, String> {
    let config = Config::load(dir).map_err(|d| d.message)?;
    if !dir.join(&config.build.content_dir).is_dir() {
        return Err("a folder without a content folder is no framewright project".into());
    }
    let title = config.book.title.clone();
    // Only its ids are needed: its code blocks need no highlighting.
    let (framework, _) = crate::load::load_with(dir, config, crate::markdown::CodeBlocks::Plain);
    let nodes = &framework.nodes;
    let items = framework
        .site_order()
        .into_iter()
        .skip(1)
        .filter(|&n| !nodes[n].id.is_empty())
        .map(|n| TargetItem {
            id: nodes[n].id.clone(),
            title: Some(crate::model::item_text(&nodes[n])).filter(|t| !t.is_empty()),
            parent: nodes[n]
                .parent
                .filter(|&p| p != 0)
                .map(|p| nodes[p].id.clone()),
        })
        .collect();
    Ok((title, "framewright project", items))
}

/// A `framework.json` or an OSCAL catalog.
fn read_json(file: &Path) -> Result<Read, String> {
    let text = crate::load::read_regular_file(file, 256 << 20).map_err(|e| e.to_string())?;
    let json: Value = serde_json::from_str(&text).map_err(|e| format!("not valid JSON ({e})"))?;
    let text_of = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_string);
    if let Some(catalog) = json.get("catalog") {
        let title = catalog.get("metadata").and_then(|m| text_of(m, "title"));
        let mut items = Vec::new();
        walk_catalog(catalog, None, &mut items);
        return Ok((title.unwrap_or_default(), "OSCAL catalog", items));
    }
    let Some(list) = json.get("items").and_then(Value::as_array) else {
        return Err("neither an OSCAL catalog nor a framework.json".into());
    };
    let items = list
        .iter()
        .filter_map(|item| {
            Some(TargetItem {
                id: text_of(item, "id")?,
                title: text_of(item, "title").or_else(|| text_of(item, "description")),
                parent: text_of(item, "parent"),
            })
        })
        .collect();
    Ok((
        text_of(&json, "title").unwrap_or_default(),
        "framework.json",
        items,
    ))
}

fn walk_catalog(container: &Value, parent: Option<&str>, out: &mut Vec<TargetItem>) {
    for key in ["groups", "controls"] {
        for entry in container
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(id) = entry.get("id").and_then(Value::as_str) else {
                walk_catalog(entry, parent, out);
                continue;
            };
            out.push(TargetItem {
                id: id.to_string(),
                title: entry
                    .get("title")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                parent: parent.map(str::to_string),
            });
            walk_catalog(entry, Some(id), out);
        }
    }
}
