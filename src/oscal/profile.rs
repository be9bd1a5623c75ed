//! OSCAL profile resolution: a profile and the catalogs (or profiles) it imports become
//! one catalog, following NIST's profile resolution specification:
//! - import: `include-all`, or `include-controls` by `with-ids` and `matching` patterns
//!   (`*` and `?`), with `with-child-controls: yes` taking the selected controls'
//!   descendants too; then `exclude-controls` the same way. An id that no imported
//!   catalog has is an error;
//! - merge: `as-is: true` keeps the catalog's groups and nesting (a selected control whose
//!   parent control is not selected moves up to the nearest kept container); `flat` (and
//!   no merge at all) lists the controls without groups; `custom` is read as `as-is`,
//!   with a note. A control selected twice is kept once (`combine: use-first`);
//! - modify: `set-parameters` change the parameters they name (values, select, label,
//!   usage replace; props, links, constraints, guidelines are added), and `alters`
//!   remove (by name, class, id, item name or namespace) and add (title, params, props,
//!   links, parts at the start or end, or before or after an item by id);
//! - the resolved catalog keeps the back-matter resources its content cites, takes the
//!   profile's metadata and links back to the profile with `rel="resolution-source"`.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

use super::read::Source;

/// A resolved profile: the catalog document, and what the resolver had to decide.
pub struct Resolved {
    /// `{ "catalog": { … } }`.
    pub document: Value,
    /// Notes for the user (a catalog found under another name, unsupported directives).
    pub notes: Vec<String>,
}

/// How deep profiles may import profiles (a guard against cycles).
const MAX_DEPTH: usize = 8;

/// Resolves a profile. `catalog`, when given, is used for every import instead of its
/// `href`.
pub fn resolve(profile: &Source, catalog: Option<&Path>) -> Result<Resolved, String> {
    let mut notes = Vec::new();
    let document = resolve_at(profile, catalog, 0, &mut notes)?;
    Ok(Resolved { document, notes })
}

fn resolve_at(
    source: &Source,
    catalog: Option<&Path>,
    depth: usize,
    notes: &mut Vec<String>,
) -> Result<Value, String> {
    let profile = source
        .expect("profile", "expected a profile")
        .map_err(|e| e.to_string())?;
    let imports: Vec<&Value> = list(profile, "imports").collect();
    if imports.is_empty() {
        return Err(format!(
            "{}: the profile imports nothing",
            source.at("/profile/imports")
        ));
    }
    let mut selected: Vec<Selected> = Vec::new();
    let mut seen = HashSet::new();
    let mut resources: Vec<Value> = Vec::new();
    let mut catalog_params: Vec<Value> = Vec::new();
    for (n, import) in imports.iter().enumerate() {
        let pointer = format!("/profile/imports/{n}");
        let imported = load_import(source, import, &pointer, catalog, depth, notes)?;
        let root = &imported["catalog"];
        resources
            .extend(list(root.get("back-matter").unwrap_or(&Value::Null), "resources").cloned());
        catalog_params.extend(list(root, "params").cloned());
        for control in select(root, import, &pointer, source)? {
            if seen.insert(control.id.clone()) {
                selected.push(control);
            }
        }
    }
    resources.extend(
        list(
            profile.get("back-matter").unwrap_or(&Value::Null),
            "resources",
        )
        .cloned(),
    );
    let merge = profile.get("merge");
    let as_is = match merge {
        Some(m) if m.get("as-is") == Some(&Value::Bool(true)) => true,
        Some(m) if m.get("custom").is_some() => {
            notes.push("`merge: custom` is not supported: the catalog's own structure is kept (as `as-is`)".into());
            true
        }
        _ => false,
    };
    let mut catalog = Map::new();
    let uuid = profile
        .get("uuid")
        .and_then(Value::as_str)
        .unwrap_or("profile");
    catalog.insert("uuid".into(), json!(resolved_uuid(uuid)));
    catalog.insert("metadata".into(), metadata(profile, source));
    if !catalog_params.is_empty() {
        catalog.insert("params".into(), Value::Array(catalog_params));
    }
    let (groups, controls) = if as_is {
        structured(&selected)
    } else {
        (Vec::new(), flat(&selected))
    };
    if !groups.is_empty() {
        catalog.insert("groups".into(), Value::Array(groups));
    }
    if !controls.is_empty() {
        catalog.insert("controls".into(), Value::Array(controls));
    }
    let mut catalog = Value::Object(catalog);
    if let Some(modify) = profile.get("modify") {
        super::profile_modify::apply(&mut catalog, modify, source, notes)?;
    }
    let cited = cited_resources(&catalog, resources);
    if !cited.is_empty() {
        catalog["back-matter"] = json!({ "resources": cited });
    }
    Ok(json!({ "catalog": catalog }))
}

/// A name-based UUID for the resolution of a profile.
fn resolved_uuid(profile_uuid: &str) -> String {
    let name = format!("framewright:resolved:{profile_uuid}");
    uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, name.as_bytes()).to_string()
}

/// The profile's metadata with a link back to the profile.
fn metadata(profile: &Value, source: &Source) -> Value {
    let mut metadata = profile
        .get("metadata")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let name = source
        .path
        .file_name()
        .map_or(String::new(), |n| n.to_string_lossy().into_owned());
    let link = json!({ "href": name, "rel": "resolution-source" });
    let mut links = metadata
        .remove("links")
        .and_then(|l| l.as_array().cloned())
        .unwrap_or_default();
    links.push(link);
    // `links` stands after `props` in OSCAL's order; rebuild the map to keep it so.
    let mut out = Map::new();
    for (key, value) in metadata {
        if matches!(
            key.as_str(),
            "roles" | "locations" | "parties" | "responsible-parties" | "actions" | "remarks"
        ) && !out.contains_key("links")
        {
            out.insert("links".into(), Value::Array(std::mem::take(&mut links)));
        }
        out.insert(key, value);
    }
    if !links.is_empty() {
        out.insert("links".into(), Value::Array(links));
    }
    Value::Object(out)
}

/// The document an import names: `--catalog` when given, else its `href` (a file beside
/// the profile, or a back-matter resource's link), a profile resolved in turn.
fn load_import(
    source: &Source,
    import: &Value,
    pointer: &str,
    catalog: Option<&Path>,
    depth: usize,
    notes: &mut Vec<String>,
) -> Result<Value, String> {
    let href = import.get("href").and_then(Value::as_str).unwrap_or("");
    let path = match catalog {
        Some(path) => path.to_path_buf(),
        None => find_href(source, href, pointer, notes)?,
    };
    let imported =
        Source::read(&path).map_err(|e| format!("{e} (imported at {})", source.at(pointer)))?;
    match imported.model() {
        Some("catalog") => Ok(imported.value),
        Some("profile") if depth < MAX_DEPTH => resolve_at(&imported, None, depth + 1, notes),
        Some("profile") => Err(format!(
            "{}: profiles import profiles more than {MAX_DEPTH} deep (a cycle?)",
            source.at(pointer)
        )),
        _ => Err(format!(
            "{}: `{href}` is not an OSCAL catalog or profile",
            source.at(&format!("{pointer}/href"))
        )),
    }
}

/// The file an `href` names, relative to the profile. A missing file is looked for
/// under the same name in OSCAL's other formats (NIST's profiles name the XML catalog
/// where the JSON one sits beside them); what was used is noted.
fn find_href(
    source: &Source,
    href: &str,
    pointer: &str,
    notes: &mut Vec<String>,
) -> Result<PathBuf, String> {
    let here = format!("{pointer}/href");
    let href = match href.strip_prefix('#') {
        Some(uuid) => resource_href(source, uuid).ok_or_else(|| {
            format!(
                "{}: `#{uuid}` names no back-matter resource with a link",
                source.at(&here)
            )
        })?,
        None => href.to_string(),
    };
    if href.contains("://") {
        return Err(format!(
            "{}: `{href}` is on the web; download it and give it with --catalog FILE",
            source.at(&here)
        ));
    }
    let base = source.path.parent().unwrap_or(Path::new(""));
    let wanted = base.join(&href);
    if wanted.is_file() {
        return Ok(wanted);
    }
    for extension in ["json", "yaml", "yml", "xml"] {
        let other = wanted.with_extension(extension);
        if other != wanted && other.is_file() {
            notes.push(format!(
                "the profile imports `{href}`, which is not there; {} (the same catalog in another format) was used instead",
                other.display()
            ));
            return Ok(other);
        }
    }
    Err(format!(
        "{}: the imported file `{href}` is missing (looked for {} and the same name as .json, .yaml and .xml); give the catalog with --catalog FILE",
        source.at(&here),
        wanted.display()
    ))
}

/// The first link of a back-matter resource of the profile.
fn resource_href(source: &Source, uuid: &str) -> Option<String> {
    let profile = &source.value["profile"];
    list(profile.get("back-matter")?, "resources")
        .find(|r| r.get("uuid").and_then(Value::as_str) == Some(uuid))
        .and_then(|r| list(r, "rlinks").find_map(|l| l.get("href")?.as_str()))
        .map(str::to_string)
}

/// A control of an imported catalog with where it stood.
#[derive(Clone)]
struct Selected {
    id: String,
    /// The control, without its child controls.
    control: Value,
    /// Its ancestors, outermost first: groups (without controls or sub-groups) and controls.
    ancestors: Vec<Ancestor>,
}

#[derive(Clone)]
struct Ancestor {
    id: String,
    group: bool,
    value: Value,
}

/// The controls an import selects, in catalog order.
fn select(
    catalog: &Value,
    import: &Value,
    pointer: &str,
    source: &Source,
) -> Result<Vec<Selected>, String> {
    let mut all = Vec::new();
    walk(catalog, &mut Vec::new(), &mut all);
    let index: HashMap<&str, usize> = all
        .iter()
        .enumerate()
        .map(|(n, s)| (s.id.as_str(), n))
        .collect();
    let mut chosen = vec![false; all.len()];
    if import.get("include-all").is_some() {
        chosen.iter_mut().for_each(|c| *c = true);
    }
    for (n, rule) in list(import, "include-controls").enumerate() {
        let here = format!("{pointer}/include-controls/{n}");
        for at in matches(rule, &all, &index, &here, source)? {
            chosen[at] = true;
        }
    }
    for (n, rule) in list(import, "exclude-controls").enumerate() {
        let here = format!("{pointer}/exclude-controls/{n}");
        for at in matches(rule, &all, &index, &here, source)? {
            chosen[at] = false;
        }
    }
    Ok(all
        .into_iter()
        .zip(chosen)
        .filter_map(|(s, c)| c.then_some(s))
        .collect())
}

/// The controls one `include-controls` or `exclude-controls` rule names.
fn matches(
    rule: &Value,
    all: &[Selected],
    index: &HashMap<&str, usize>,
    pointer: &str,
    source: &Source,
) -> Result<Vec<usize>, String> {
    let mut found = Vec::new();
    for (n, id) in list(rule, "with-ids").enumerate() {
        let id = id.as_str().unwrap_or("").trim();
        match index.get(id) {
            Some(&at) => found.push(at),
            None => {
                return Err(format!(
                    "{}: the profile selects `{id}`, which the imported catalog does not have",
                    source.at(&format!("{pointer}/with-ids/{n}"))
                ))
            }
        }
    }
    for pattern in list(rule, "matching").filter_map(|m| m.get("pattern")?.as_str()) {
        found.extend((0..all.len()).filter(|&at| glob(pattern, &all[at].id)));
    }
    if rule.get("with-child-controls").and_then(Value::as_str) == Some("yes") {
        let roots: Vec<String> = found.iter().map(|&at| all[at].id.clone()).collect();
        for (at, control) in all.iter().enumerate() {
            if control
                .ancestors
                .iter()
                .any(|a| !a.group && roots.contains(&a.id))
            {
                found.push(at);
            }
        }
    }
    Ok(found)
}

/// Every control of a catalog in document order, with its ancestors.
fn walk(container: &Value, ancestors: &mut Vec<Ancestor>, out: &mut Vec<Selected>) {
    for (key, group) in [("groups", true), ("controls", false)] {
        for item in list(container, key) {
            let id = item
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let mut bare = item.clone();
            if let Some(map) = bare.as_object_mut() {
                map.remove("controls");
                map.remove("groups");
            }
            if !group {
                out.push(Selected {
                    id: id.clone(),
                    control: bare.clone(),
                    ancestors: ancestors.clone(),
                });
            }
            ancestors.push(Ancestor {
                id,
                group,
                value: bare,
            });
            walk(item, ancestors, out);
            ancestors.pop();
        }
    }
}

/// `*` (any run) and `?` (any one character) patterns of `matching`.
fn glob(pattern: &str, text: &str) -> bool {
    fn go(p: &[char], t: &[char]) -> bool {
        match p.split_first() {
            None => t.is_empty(),
            Some(('*', rest)) => (0..=t.len()).any(|skip| go(rest, &t[skip..])),
            Some(('?', rest)) => !t.is_empty() && go(rest, &t[1..]),
            Some((c, rest)) => t.first() == Some(c) && go(rest, &t[1..]),
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    go(&p, &t)
}

/// `flat`: the selected controls, without groups or nesting.
fn flat(selected: &[Selected]) -> Vec<Value> {
    selected.iter().map(|s| s.control.clone()).collect()
}

/// `as-is`: the selected controls in their groups, nested under their selected parents.
fn structured(selected: &[Selected]) -> (Vec<Value>, Vec<Value>) {
    let chosen: HashSet<&str> = selected.iter().map(|s| s.id.as_str()).collect();
    let mut root = Node::default();
    for control in selected {
        // The kept ancestors: every group, and the controls that are selected themselves.
        let mut node = &mut root;
        for ancestor in &control.ancestors {
            if !ancestor.group && !chosen.contains(ancestor.id.as_str()) {
                continue;
            }
            node = node.child(ancestor);
        }
        node.child(&Ancestor {
            id: control.id.clone(),
            group: false,
            value: control.control.clone(),
        });
    }
    root.into_lists()
}

/// A tree of kept groups and controls, children in first-seen order.
#[derive(Default)]
struct Node {
    value: Value,
    group: bool,
    children: Vec<(String, Node)>,
}

impl Node {
    fn child(&mut self, ancestor: &Ancestor) -> &mut Node {
        let key = format!("{}:{}", if ancestor.group { "g" } else { "c" }, ancestor.id);
        let at = match self.children.iter().position(|(k, _)| *k == key) {
            Some(at) => at,
            None => {
                self.children.push((
                    key,
                    Node {
                        value: ancestor.value.clone(),
                        group: ancestor.group,
                        children: Vec::new(),
                    },
                ));
                self.children.len() - 1
            }
        };
        &mut self.children[at].1
    }

    /// The children as OSCAL `groups` and `controls`.
    fn into_lists(self) -> (Vec<Value>, Vec<Value>) {
        let mut groups = Vec::new();
        let mut controls = Vec::new();
        for (_, child) in self.children {
            let group = child.group;
            let mut value = child.value.clone();
            let (sub_groups, sub_controls) = child.into_lists();
            if let Some(map) = value.as_object_mut() {
                if !sub_groups.is_empty() {
                    map.insert("groups".into(), Value::Array(sub_groups));
                }
                if !sub_controls.is_empty() {
                    map.insert("controls".into(), Value::Array(sub_controls));
                }
            }
            if group {
                groups.push(value);
            } else {
                controls.push(value);
            }
        }
        (groups, controls)
    }
}

/// The resources whose UUID the catalog's content names (`#uuid` in a link or prose).
fn cited_resources(catalog: &Value, resources: Vec<Value>) -> Vec<Value> {
    let mut text = String::new();
    collect_text(catalog, &mut text);
    let mut seen = HashSet::new();
    resources
        .into_iter()
        .filter(|r| {
            let uuid = r.get("uuid").and_then(Value::as_str).unwrap_or("");
            !uuid.is_empty() && text.contains(&format!("#{uuid}")) && seen.insert(uuid.to_string())
        })
        .collect()
}

fn collect_text(value: &Value, out: &mut String) {
    match value {
        Value::String(s) => {
            out.push_str(s);
            out.push('\n');
        }
        Value::Array(items) => items.iter().for_each(|v| collect_text(v, out)),
        Value::Object(map) => map.values().for_each(|v| collect_text(v, out)),
        _ => {}
    }
}

/// A catalog document with only the controls `ids` names (and their groups), laid out as
/// `merge: as-is` lays out a resolved profile, with the resources they cite.
pub fn restrict(document: &Value, ids: &HashSet<String>) -> Value {
    let catalog = &document["catalog"];
    let mut all = Vec::new();
    walk(catalog, &mut Vec::new(), &mut all);
    let chosen: Vec<Selected> = all.into_iter().filter(|s| ids.contains(&s.id)).collect();
    let (groups, controls) = structured(&chosen);
    let mut out = Map::new();
    for key in ["uuid", "metadata", "params"] {
        if let Some(value) = catalog.get(key) {
            out.insert(key.into(), value.clone());
        }
    }
    if !groups.is_empty() {
        out.insert("groups".into(), Value::Array(groups));
    }
    if !controls.is_empty() {
        out.insert("controls".into(), Value::Array(controls));
    }
    let mut restricted = Value::Object(out);
    let resources: Vec<Value> = list(
        catalog.get("back-matter").unwrap_or(&Value::Null),
        "resources",
    )
    .cloned()
    .collect();
    let cited = cited_resources(&restricted, resources);
    if !cited.is_empty() {
        restricted["back-matter"] = json!({ "resources": cited });
    }
    json!({ "catalog": restricted })
}

/// The ids of a catalog's controls in document order.
pub fn control_order(container: &Value, out: &mut Vec<String>) {
    for key in ["groups", "controls"] {
        for item in list(container, key) {
            if key == "controls" {
                if let Some(id) = item.get("id").and_then(Value::as_str) {
                    out.push(id.to_string());
                }
            }
            control_order(item, out);
        }
    }
}

/// The entries of a list field (none when missing or not a list).
pub(super) fn list<'v>(value: &'v Value, key: &str) -> impl Iterator<Item = &'v Value> {
    value
        .get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}
