//! Baseline membership: which controls a profile selects, marked on the controls of an
//! imported catalog as `baselines: [LOW, MODERATE, …]`.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde_json::Value;
use serde_yaml::{Mapping, Value as Yaml};

use super::profile;
use super::read::Source;
use crate::import::PlannedFile;

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
