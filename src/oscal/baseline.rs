//! Baseline membership: which controls a profile selects, marked on the controls of an
//! imported catalog as `baselines: [LOW, MODERATE, …]`.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde_json::Value;
use serde_yaml::{Mapping, Value as Yaml};

use super::import::PlannedFile;
use super::profile;
use super::read::Source;
use crate::index::SiteIndex;
use crate::model::{Framework, Node};

/// A baseline: its name and the OSCAL ids of the controls its profile selects.
pub struct Baseline {
    /// The name shown (`LOW`).
    pub name: String,
    /// The ids of the controls selected.
    pub controls: HashSet<String>,
}

/// Resolves `NAME=PROFILE` against `catalog` (or the profile's own `href`).
pub fn read(
    spec: &str,
    catalog: Option<&Path>,
    notes: &mut Vec<String>,
) -> Result<Baseline, String> {
    let (name, path) = spec
        .split_once('=')
        .filter(|(n, p)| !n.trim().is_empty() && !p.trim().is_empty())
        .ok_or_else(|| {
            format!(
                "--baseline `{spec}`: write it as NAME=PROFILE, for example LOW=low-profile.json"
            )
        })?;
    let source = Source::read(Path::new(path.trim())).map_err(|e| e.to_string())?;
    let resolved = profile::resolve(&source, catalog)?;
    notes.extend(resolved.notes);
    let mut controls = HashSet::new();
    control_ids(&resolved.document["catalog"], &mut controls);
    Ok(Baseline {
        name: name.trim().to_string(),
        controls,
    })
}

/// The ids of every control (at any depth).
pub fn control_ids(container: &Value, out: &mut HashSet<String>) {
    for key in ["groups", "controls"] {
        for item in profile::list(container, key) {
            if key == "controls" {
                if let Some(id) = item.get("id").and_then(Value::as_str) {
                    out.insert(id.to_string());
                }
            }
            control_ids(item, out);
        }
    }
}

/// The baselines of each control id, in the order the baselines were given.
pub fn by_control(baselines: &[Baseline]) -> HashMap<String, Vec<String>> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for baseline in baselines {
        for id in &baseline.controls {
            out.entry(id.clone())
                .or_default()
                .push(baseline.name.clone());
        }
    }
    out
}

/// The files of an existing project whose `baselines:` change. Every control a baseline
/// selects must be in the project; nothing is planned otherwise.
pub fn mark(project: &Path, baselines: &[Baseline]) -> Result<Vec<PlannedFile>, String> {
    let content = project.join("content");
    let mut files = Vec::new();
    markdown_files(&content, &mut files)
        .map_err(|e| format!("cannot read {}: {e}", content.display()))?;
    files.sort();
    let names: Vec<&str> = baselines.iter().map(|b| b.name.as_str()).collect();
    let mut found = HashSet::new();
    let mut planned = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let Some((mut front, body)) = split(&text) else {
            continue;
        };
        let id = ["oscal-id", "id"]
            .iter()
            .find_map(|k| {
                front
                    .get(*k)
                    .and_then(Yaml::as_str)
                    .filter(|s| !s.is_empty())
            })
            .map(str::to_string);
        let Some(id) = id else { continue };
        let selects = |name: &str| {
            baselines
                .iter()
                .any(|b| b.name == name && b.controls.contains(&id))
        };
        // Names kept in their place: others as they were, ours while still selected.
        let mut list: Vec<String> = match front.get("baselines") {
            Some(Yaml::Sequence(items)) => items
                .iter()
                .filter_map(Yaml::as_str)
                .filter(|n| !names.contains(n) || selects(n))
                .map(str::to_string)
                .collect(),
            _ => Vec::new(),
        };
        for baseline in baselines {
            if baseline.controls.contains(&id) {
                found.insert(id.clone());
                if !list.contains(&baseline.name) {
                    list.push(baseline.name.clone());
                }
            }
        }
        let old = front.get("baselines").cloned();
        if list.is_empty() {
            front.remove("baselines");
        } else {
            front.insert(
                "baselines".into(),
                Yaml::Sequence(list.into_iter().map(Yaml::String).collect()),
            );
        }
        if front.get("baselines").cloned() != old {
            let yaml = serde_yaml::to_string(&front).unwrap_or_default();
            let rel = path.strip_prefix(project).unwrap_or(&path).to_path_buf();
            planned.push((rel, format!("---\n{yaml}---\n{body}")));
        }
    }
    let missing: BTreeSet<&String> = baselines
        .iter()
        .flat_map(|b| &b.controls)
        .filter(|id| !found.contains(*id))
        .collect();
    if !missing.is_empty() {
        let list: Vec<&str> = missing.iter().take(10).map(|s| s.as_str()).collect();
        return Err(format!(
            "{}: {} control(s) the baselines select are not in the project: {}{}; import the catalog the profiles were written for",
            project.display(),
            missing.len(),
            list.join(", "),
            if missing.len() > 10 { ", …" } else { "" }
        ));
    }
    Ok(planned)
}

/// Front matter and body of a Markdown file written with `---` fences.
fn split(text: &str) -> Option<(Mapping, &str)> {
    let rest = text.strip_prefix("---\n")?;
    let (yaml, body) = if let Some(body) = rest.strip_prefix("---\n") {
        ("", body)
    } else {
        let end = rest.find("\n---\n")?;
        (&rest[..=end], &rest[end + 5..])
    };
    let front: Mapping = serde_yaml::from_str(yaml).ok()?;
    Some((front, body))
}

fn markdown_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        let kind = entry.file_type()?;
        if hidden || kind.is_symlink() {
            continue;
        }
        if kind.is_dir() {
            markdown_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
    Ok(())
}

/// The baselines marked in a framework, in order of first appearance.
pub fn names(framework: &Framework) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for node in &framework.nodes {
        for name in marks(node) {
            if !names.iter().any(|n| n == name) {
                names.push(name.to_string());
            }
        }
    }
    names
}

/// The baselines a node is marked with (`baselines:`).
pub fn marks(node: &Node) -> impl Iterator<Item = &str> {
    node.extra
        .get("baselines")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
}

/// The framework's catalog restricted to one baseline's controls, as a resolved profile
/// would give it: their groups kept, the resources they cite.
pub fn catalog_json(
    framework: &Framework,
    index: &SiteIndex,
    name: &str,
) -> Result<Vec<u8>, String> {
    let (catalog, selected) = catalog_and_selection(framework, index, name)?;
    let restricted = profile::restrict(&catalog, &selected);
    Ok(super::json::document(&restricted))
}

/// An OSCAL profile that selects exactly one baseline's controls from the framework's
/// catalog (`oscal/catalog.json`, as every build writes it).
pub fn profile_json(
    framework: &Framework,
    index: &SiteIndex,
    name: &str,
) -> Result<Vec<u8>, String> {
    let (catalog, selected) = catalog_and_selection(framework, index, name)?;
    let mut order = Vec::new();
    profile::control_order(&catalog["catalog"], &mut order);
    let with_ids: Vec<&String> = order.iter().filter(|id| selected.contains(*id)).collect();
    let book = &framework.config.book;
    let namespace = super::uuid_namespace(framework);
    let uuid = uuid::Uuid::new_v5(&namespace, format!("profile:{name}").as_bytes());
    let profile = serde_json::json!({
        "profile": {
            "uuid": uuid.to_string(),
            "metadata": {
                "title": format!("{} — {name} baseline", book.title.split_whitespace().collect::<Vec<_>>().join(" ")),
                "last-modified": super::last_modified(framework),
                "version": book.version.as_deref().unwrap_or("draft"),
                "oscal-version": super::OSCAL_VERSION,
            },
            "imports": [{
                "href": "catalog.json",
                "include-controls": [{ "with-ids": with_ids }],
            }],
            "merge": { "as-is": true },
        }
    });
    Ok(super::json::document(&profile))
}

/// The framework's catalog and the OSCAL ids of the controls marked with `name`.
fn catalog_and_selection(
    framework: &Framework,
    index: &SiteIndex,
    name: &str,
) -> Result<(Value, HashSet<String>), String> {
    let known = names(framework);
    if !known.iter().any(|n| n == name) {
        return Err(if known.is_empty() {
            "no control is marked with a baseline (`baselines:`); mark them with `framewright import oscal --baseline NAME=PROFILE`".to_string()
        } else {
            format!(
                "no baseline `{name}`; the framework marks {}",
                known.join(", ")
            )
        });
    }
    let selected: HashSet<String> = framework
        .nodes
        .iter()
        .filter(|node| marks(node).any(|n| n == name))
        .map(super::item_id)
        .collect();
    let catalog: Value = serde_json::from_slice(&super::catalog::catalog_json(framework, index))
        .map_err(|e| format!("the catalog export is not JSON: {e}"))?;
    Ok((catalog, selected))
}
