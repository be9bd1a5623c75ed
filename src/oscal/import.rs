//! `framewright import oscal`: an OSCAL catalog (JSON, YAML or XML) as a framework project.
//!
//! Layout of the project written (docs/interoperability.md has the full table):
//! - `book.toml` with the catalog's title and version, and `required-concepts = []`: a
//!   catalog is organised by its own groups, not by the five TS 27110 concepts;
//! - `content/_index.md`: the catalog's metadata (`remarks` as the body; roles, parties,
//!   responsible parties, props, links, the catalog's params and its whole back matter in
//!   front matter, so that the export gives them back);
//! - a group becomes a folder with `_index.md` (top-level groups are concepts, nested ones
//!   categories marked `oscal-type: group`);
//! - a control becomes `<id>.md`, or a folder `<id>/_index.md` when it has nested controls
//!   (enhancements), which become its children one level deeper;
//! - the prose of the parts is the Markdown (`layout.rs`: the statement is the
//!   `description`, other parts `## Heading` sections), the parts' tree without prose is
//!   `parts:`; `label`, `status`, `incorporated-into`, `moved-to`, `params`, `props` (the
//!   others, whole) and `links` (those not shown as `related` or `references`) are front
//!   matter. Prose goes through `prose::to_site`, which keeps it Markdown-safe.

use super::{one_line, value_text as text};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use serde_yaml::{Mapping, Value as Yaml};

use super::baseline;
use super::layout::Layout;
use super::markup::escape_text;
use super::profile;
use super::prose::{to_site, Targets};
use super::read::{ReadError, Source};
use super::resources::{self, Resource};
use crate::markdown::slugify;
use crate::validate::RESERVED_SLUGS;

/// A file to write: path relative to the project, and its text.
pub type PlannedFile = (PathBuf, String);

/// The files of a project made from a catalog.
#[derive(Debug)]
pub struct Plan {
    /// Files relative to the project folder, with their text.
    pub files: Vec<PlannedFile>,
    /// Groups and controls turned into framework items.
    pub items: usize,
}

/// What `framewright import oscal` is asked to do.
pub struct Request<'a> {
    /// A catalog, or a profile to resolve; none to mark baselines on an existing project.
    pub file: Option<&'a Path>,
    /// The catalog a profile's imports are resolved against (instead of their `href`).
    pub catalog: Option<&'a Path>,
    /// `NAME=PROFILE` baselines to mark on the controls.
    pub baselines: &'a [String],
    /// The project folder.
    pub into: &'a Path,
    /// Overwrite files that exist.
    pub force: bool,
}

/// The files an import writes, and what it has to say.
#[derive(Debug)]
pub struct Planned {
    /// Files relative to the project folder, with their text.
    pub files: Vec<PlannedFile>,
    /// Groups and controls made.
    pub items: usize,
    /// What the import decided that the user should know (a catalog found under another
    /// name, a directive read another way).
    pub notes: Vec<String>,
    /// True when the files are changes to an existing project (baselines marked on it),
    /// which may replace files that exist.
    pub changes: bool,
}

/// Plans an import: a catalog or a resolved profile as a new project, with the controls
/// of the baselines given marked; or, without a file, the baselines marked on the project
/// already in `into`. Reads everything before anything is planned; writes nothing.
pub fn plan_request(request: &Request) -> Result<Planned, ReadError> {
    let invalid = ReadError::Invalid;
    let mut notes = Vec::new();
    let baselines = request
        .baselines
        .iter()
        .map(|spec| baseline::read(spec, request.catalog, &mut notes))
        .collect::<Result<Vec<_>, _>>()
        .map_err(invalid)?;
    let Some(file) = request.file else {
        if baselines.is_empty() {
            return Err(invalid(
                "nothing to import: give a catalog or profile, or --baseline NAME=PROFILE to mark an imported project".into(),
            ));
        }
        let files = baseline::mark(request.into, &baselines).map_err(invalid)?;
        return Ok(Planned {
            files,
            items: 0,
            notes,
            changes: true,
        });
    };
    let source = Source::read(file)?;
    let source = match source.model() {
        Some("profile") => {
            let resolved = profile::resolve(&source, request.catalog).map_err(invalid)?;
            notes.extend(resolved.notes);
            Source::resolved(file, resolved.document)
        }
        _ => {
            let hint = "import reads a catalog, or a profile (resolved against its catalog)";
            source.expect("catalog", hint)?;
            source
        }
    };
    let plan = plan(&source, &baseline::by_control(&baselines)).map_err(invalid)?;
    Ok(Planned {
        files: plan.files,
        items: plan.items,
        notes,
        changes: false,
    })
}

/// The project files for an OSCAL catalog document (`{"catalog": {…}}`). Errors name the
/// place (XML line or JSON pointer).
pub fn plan(source: &Source, baselines: &HashMap<String, Vec<String>>) -> Result<Plan, String> {
    let catalog = source
        .value
        .get("catalog")
        .filter(|c| c.is_object())
        .ok_or_else(|| format!("{}: not an OSCAL catalog", source.at("")))?;
    let metadata = catalog
        .get("metadata")
        .filter(|m| m.is_object())
        .ok_or_else(|| {
            format!(
                "{}: not an OSCAL catalog: `metadata` is missing",
                source.at("/catalog")
            )
        })?;
    let mut ids = Ids::default();
    let entries = read_entries(catalog, "/catalog", false, source, &mut ids)?;
    let mut params = HashMap::new();
    collect_params(catalog, "/catalog", source, &mut params)?;
    let back_matter: Vec<Value> = list(
        catalog.get("back-matter").unwrap_or(&Value::Null),
        "resources",
    )
    .cloned()
    .collect();
    let context = Context {
        ids: ids.map,
        params,
        resources: resources::read(&back_matter),
        cited: Vec::new(),
    };
    let mut writer = Writer {
        baselines,
        context,
        files: Vec::new(),
        items: 0,
    };
    let content = PathBuf::from("content");
    writer.emit_children(&entries, &content, 1);
    let mut files = vec![
        (PathBuf::from("book.toml"), book_toml(metadata)),
        (
            content.join("_index.md"),
            writer.root_page(catalog, metadata, &back_matter),
        ),
    ];
    if let Some(references) = writer.references_yaml() {
        files.push((content.join("references.yaml"), references));
    }
    files.append(&mut writer.files);
    Ok(Plan {
        files,
        items: writer.items,
    })
}

/// A group or control of the catalog with the framework id it gets.
struct Entry<'c> {
    value: &'c Value,
    group: bool,
    oscal_id: Option<&'c str>,
    id: String,
    children: Vec<Entry<'c>>,
}

/// OSCAL ids to framework ids, unique.
#[derive(Default)]
struct Ids {
    used: HashSet<String>,
    map: HashMap<String, String>,
    /// Where each OSCAL id (of a group, control or part) was first seen.
    seen: HashMap<String, String>,
}

impl Ids {
    /// Records an OSCAL id; a second one is an error naming both places.
    fn record(&mut self, id: &str, pointer: &str, source: &Source) -> Result<(), String> {
        if let Some(first) = self.seen.get(id) {
            return Err(format!(
                "{}: duplicate id `{id}`: it is already used at {}; ids must be unique in a catalog",
                source.at(pointer),
                source.at(first)
            ));
        }
        self.seen.insert(id.to_string(), pointer.to_string());
        Ok(())
    }

    /// A framework id for an entry: its OSCAL id with unsafe characters replaced, or its
    /// title; a suffix only when two different OSCAL ids make the same safe id.
    fn assign(&mut self, oscal_id: Option<&str>, title: &str) -> String {
        let source = oscal_id.filter(|s| !s.trim().is_empty()).unwrap_or(title);
        let mut base: String = source
            .trim()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        if base.is_empty() {
            base = "item".into();
        }
        let mut id = base.clone();
        let mut n = 2;
        while !self.used.insert(id.clone()) {
            id = format!("{base}_{n}");
            n += 1;
        }
        if let Some(oscal_id) = oscal_id {
            self.map.entry(oscal_id.to_string()).or_insert(id.clone());
        }
        id
    }
}

/// The groups (unless inside a control) and controls of a catalog, group or control.
fn read_entries<'c>(
    container: &'c Value,
    pointer: &str,
    in_control: bool,
    source: &Source,
    ids: &mut Ids,
) -> Result<Vec<Entry<'c>>, String> {
    record_parts(container, pointer, source, ids)?;
    let mut entries = Vec::new();
    let kinds: &[(&str, bool)] = if in_control {
        &[("controls", false)]
    } else {
        &[("groups", true), ("controls", false)]
    };
    for &(key, group) in kinds {
        let Some(list) = container.get(key) else {
            continue;
        };
        let here = format!("{pointer}/{key}");
        let list = list
            .as_array()
            .ok_or_else(|| format!("{}: `{key}` is not a list", source.at(&here)))?;
        for (n, value) in list.iter().enumerate() {
            let here = format!("{here}/{n}");
            if !value.is_object() {
                return Err(format!("{}: not an object", source.at(&here)));
            }
            let oscal_id = value.get("id").and_then(Value::as_str);
            match oscal_id {
                Some(oscal_id) => ids.record(oscal_id, &here, source)?,
                None if !group => {
                    return Err(format!("{}: the control has no `id`", source.at(&here)))
                }
                None => {}
            }
            let id = ids.assign(oscal_id, text(value, "title").unwrap_or("group"));
            let children = read_entries(value, &here, !group, source, ids)?;
            entries.push(Entry {
                value,
                group,
                oscal_id,
                id,
                children,
            });
        }
    }
    Ok(entries)
}

/// Records the ids of an entry's parts, at any depth.
fn record_parts(
    value: &Value,
    pointer: &str,
    source: &Source,
    ids: &mut Ids,
) -> Result<(), String> {
    for (n, part) in list(value, "parts").enumerate() {
        let here = format!("{pointer}/parts/{n}");
        if let Some(id) = part.get("id").and_then(Value::as_str) {
            ids.record(id, &here, source)?;
        }
        record_parts(part, &here, source, ids)?;
    }
    Ok(())
}

/// Every parameter of the catalog by id (inserts may name a parameter of an ancestor).
fn collect_params<'c>(
    container: &'c Value,
    pointer: &str,
    source: &Source,
    params: &mut HashMap<String, &'c Value>,
) -> Result<(), String> {
    for (n, param) in list(container, "params").enumerate() {
        if let Some(id) = text(param, "id") {
            if params.insert(id.to_string(), param).is_some() {
                let here = format!("{pointer}/params/{n}");
                return Err(format!(
                    "{}: duplicate parameter id `{id}`; ids must be unique in a catalog",
                    source.at(&here)
                ));
            }
        }
    }
    for key in ["groups", "controls"] {
        for (n, child) in list(container, key).enumerate() {
            collect_params(child, &format!("{pointer}/{key}/{n}"), source, params)?;
        }
    }
    Ok(())
}

/// What prose conversion needs: ids, parameters and citations of the whole catalog.
struct Context<'c> {
    ids: HashMap<String, String>,
    params: HashMap<String, &'c Value>,
    resources: HashMap<String, Resource>,
    /// Resources cited so far, in order of first citation.
    cited: Vec<String>,
}

impl Targets for Context<'_> {
    fn item(&self, oscal_id: &str) -> Option<&str> {
        self.ids.get(oscal_id).map(String::as_str)
    }

    fn resource_url(&self, uuid: &str) -> Option<&str> {
        self.resources.get(uuid)?.url.as_deref()
    }

    fn param_text(&self, id: &str) -> String {
        self.shown_param(id, 0)
    }
}

impl Context<'_> {
    /// How a parameter is shown, as site Markdown: its values, its choices (with the
    /// parameters they insert, a few levels deep), or its label.
    fn shown_param(&self, id: &str, depth: usize) -> String {
        let assignment = |text: &str| format!("\\[Assignment: {text}\\]");
        let Some(param) = self.params.get(id).filter(|_| depth < 4) else {
            return assignment(&escape_text(id));
        };
        let values: Vec<&str> = list(param, "values").filter_map(Value::as_str).collect();
        if !values.is_empty() {
            return escape_text(&values.join(", "));
        }
        let nested = Nested {
            context: self,
            depth: depth + 1,
        };
        if let Some(select) = param.get("select") {
            let how = match text(select, "how-many") {
                Some("one-or-more") => "Selection (one or more)",
                _ => "Selection",
            };
            let choices: Vec<String> = list(select, "choice")
                .filter_map(Value::as_str)
                .map(|c| to_site(c, &nested))
                .collect();
            return format!("\\[{how}: {}\\]", choices.join("; "));
        }
        let label = text(param, "label").unwrap_or(id);
        assignment(&to_site(&one_line(label), &nested))
    }
}

/// The text of a parameter shown inside another's: parameters only, no links.
struct Nested<'a, 'c> {
    context: &'a Context<'c>,
    depth: usize,
}

impl Targets for Nested<'_, '_> {
    fn item(&self, _: &str) -> Option<&str> {
        None
    }
    fn resource_url(&self, _: &str) -> Option<&str> {
        None
    }
    fn param_text(&self, id: &str) -> String {
        self.context.shown_param(id, self.depth)
    }
}

/// A heading's text from a part's title: OSCAL's Markdown, with nothing resolved (the
/// export computes the same text from the title alone).
pub fn title_text(title: &str) -> String {
    to_site(title, &NoTargets)
}

/// Targets of a text that resolves nothing.
struct NoTargets;

impl Targets for NoTargets {
    fn item(&self, _: &str) -> Option<&str> {
        None
    }
    fn resource_url(&self, _: &str) -> Option<&str> {
        None
    }
    fn param_text(&self, id: &str) -> String {
        format!("\\[Assignment: {}\\]", escape_text(id))
    }
}

/// Writes the files of the entries.
struct Writer<'c> {
    /// The baselines of each control (by OSCAL id).
    baselines: &'c HashMap<String, Vec<String>>,
    context: Context<'c>,
    files: Vec<PlannedFile>,
    items: usize,
}

impl<'c> Writer<'c> {
    fn emit_children(&mut self, entries: &[Entry<'c>], dir: &Path, depth: usize) {
        let mut names = HashSet::new();
        for (order, entry) in entries.iter().enumerate() {
            let name = file_name(&entry.id, &mut names, depth == 1);
            let folder = entry.group || !entry.children.is_empty();
            let path = if folder {
                dir.join(&name).join("_index.md")
            } else {
                dir.join(format!("{name}.md"))
            };
            let page = self.page(entry, order + 1, depth);
            self.files.push((path, page));
            self.items += 1;
            if folder {
                self.emit_children(&entry.children, &dir.join(&name), depth + 1);
            }
        }
    }

    /// The Markdown file of one group or control.
    fn page(&mut self, entry: &Entry<'c>, order: usize, depth: usize) -> String {
        let value = entry.value;
        let mut front = Mapping::new();
        let mut set = |key: &str, value: Yaml| {
            front.insert(Yaml::String(key.into()), value);
        };
        set("id", Yaml::String(entry.id.clone()));
        let title = text(value, "title")
            .map(one_line)
            .unwrap_or(entry.id.clone());
        set("title", Yaml::String(title));
        set("order", Yaml::Number(order.into()));
        if entry.group && depth > 1 {
            set("oscal-type", Yaml::String("group".into()));
        } else if !entry.group && depth == 1 {
            set("oscal-type", Yaml::String("control".into()));
        }
        match entry.oscal_id {
            Some(oscal_id) if oscal_id != entry.id => {
                set("oscal-id", Yaml::String(oscal_id.into()))
            }
            None => set("oscal-id", Yaml::String(String::new())),
            Some(_) => {}
        }
        if let Some(class) = text(value, "class") {
            set("class", Yaml::String(class.into()));
        }
        let props = Props::split(value);
        if let Some(label) = props.label {
            set("label", Yaml::String(label.into()));
        }
        if let Some(status) = props.status {
            set("status", Yaml::String(status.into()));
        }
        let mut links = Links::default();
        self.links(value, &mut links);
        for (key, ids) in [
            ("incorporated-into", &links.incorporated_into),
            ("moved-to", &links.moved_to),
        ] {
            if !ids.is_empty() {
                set(
                    key,
                    Yaml::Sequence(ids.iter().cloned().map(Yaml::String).collect()),
                );
            }
        }
        let baselines = entry.oscal_id.and_then(|id| self.baselines.get(id));
        if let Some(names) = baselines.filter(|_| !entry.group) {
            set(
                "baselines",
                Yaml::Sequence(names.iter().cloned().map(Yaml::String).collect()),
            );
        }
        if !props.rest.is_empty() {
            set("props", to_yaml(&Value::Array(props.rest)));
        }
        let parts: Vec<Value> = list(value, "parts").cloned().collect();
        let layout = Layout::of(&parts, &title_text);
        let proses: Vec<String> = Layout::walk(&parts)
            .iter()
            .map(|part| text(part, "prose").map_or_else(String::new, |p| to_site(p, &self.context)))
            .collect();
        let (description, body) = layout.fill(&proses);
        if !description.is_empty() {
            front.insert("description".into(), Yaml::String(description));
        }
        for (key, values) in [
            ("references", links.references),
            ("related", links.related),
            ("links", links.kept),
        ] {
            if !values.is_empty() {
                front.insert(key.into(), Yaml::Sequence(values));
            }
        }
        if let Some(params) = value.get("params").filter(|p| p.is_array()) {
            front.insert("params".into(), to_yaml(params));
        }
        if !parts.is_empty() {
            let skeleton: Vec<Value> = parts.iter().map(without_prose).collect();
            front.insert("parts".into(), to_yaml(&Value::Array(skeleton)));
        }
        markdown_file(&front, &body)
    }

    /// An entry's links, sorted into what the site shows and what front matter keeps.
    fn links(&mut self, value: &Value, links: &mut Links) {
        for link in list(value, "links") {
            let href = text(link, "href").unwrap_or("");
            let fragment = href.strip_prefix('#').filter(|_| plain_link(link));
            match (text(link, "rel"), fragment) {
                (Some("reference"), Some(uuid)) if self.context.resources.contains_key(uuid) => {
                    let reference = self.reference(uuid);
                    links.references.push(reference);
                }
                (Some("related"), Some(target)) if self.context.ids.contains_key(target) => {
                    let id = self.context.ids[target].clone();
                    links.related.push(Yaml::String(id));
                }
                (Some("incorporated-into"), Some(target)) => {
                    links.incorporated_into.push(target.to_string())
                }
                (Some("moved-to"), Some(target)) => links.moved_to.push(target.to_string()),
                _ => links.kept.push(to_yaml(link)),
            }
        }
    }

    /// A `references:` entry for a cited resource, recording it for references.yaml.
    fn reference(&mut self, uuid: &str) -> Yaml {
        if !self.context.cited.iter().any(|c| c == uuid) {
            self.context.cited.push(uuid.to_string());
        }
        let resource = &self.context.resources[uuid];
        match &resource.url {
            Some(url) => {
                let mut map = Mapping::new();
                map.insert("cite".into(), Yaml::String(resource.cite.clone()));
                map.insert("url".into(), Yaml::String(url.clone()));
                Yaml::Mapping(map)
            }
            None => Yaml::String(resource.cite.clone()),
        }
    }

    /// `content/_index.md`: the catalog's metadata, its params and back matter in front
    /// matter, its remarks as the body.
    fn root_page(&self, catalog: &Value, metadata: &Value, back_matter: &[Value]) -> String {
        let mut front = Mapping::new();
        let title = text(metadata, "title").map(one_line);
        front.insert(
            "title".into(),
            Yaml::String(title.unwrap_or("Imported catalog".into())),
        );
        if let Some(uuid) = text(catalog, "uuid") {
            front.insert("oscal-uuid".into(), Yaml::String(uuid.into()));
        }
        for key in ["published", "last-modified", "oscal-version"] {
            if let Some(value) = text(metadata, key) {
                front.insert(key.into(), Yaml::String(value.into()));
            }
        }
        front.insert(
            "oscal-digest".into(),
            Yaml::String(super::digest::of_catalog(catalog)),
        );
        for key in super::METADATA_LISTS {
            if let Some(list) = metadata.get(key).filter(|l| l.is_array()) {
                front.insert(key.into(), to_yaml(list));
            }
        }
        if let Some(params) = catalog.get("params").filter(|p| p.is_array()) {
            front.insert("params".into(), to_yaml(params));
        }
        if !back_matter.is_empty() {
            front.insert(
                "back-matter".into(),
                to_yaml(&Value::Array(back_matter.to_vec())),
            );
        }
        let body = text(metadata, "remarks")
            .map(|r| to_site(r, &self.context))
            .unwrap_or_default();
        markdown_file(&front, body.trim())
    }

    /// `references.yaml`: every cited resource, in order of first citation.
    fn references_yaml(&self) -> Option<String> {
        let entries: Vec<Yaml> = self
            .context
            .cited
            .iter()
            .map(|uuid| {
                let resource = &self.context.resources[uuid];
                let mut map = Mapping::new();
                map.insert("document".into(), Yaml::String(resource.document.clone()));
                if let Some(title) = &resource.title {
                    map.insert("title".into(), Yaml::String(title.clone()));
                }
                if let Some(url) = &resource.url {
                    map.insert("url".into(), Yaml::String(url.clone()));
                }
                Yaml::Mapping(map)
            })
            .collect();
        if entries.is_empty() {
            return None;
        }
        let yaml = serde_yaml::to_string(&Yaml::Sequence(entries)).unwrap_or_default();
        Some(format!(
            "# Documents cited by the imported catalog (its back matter).\n{yaml}"
        ))
    }
}

/// An entry's links by where they go.
#[derive(Default)]
struct Links {
    references: Vec<Yaml>,
    related: Vec<Yaml>,
    incorporated_into: Vec<String>,
    moved_to: Vec<String>,
    kept: Vec<Yaml>,
}

/// True for a link with only `href` and `rel` (one the site can show without loss).
fn plain_link(link: &Value) -> bool {
    link.as_object()
        .is_some_and(|map| map.keys().all(|k| k == "href" || k == "rel"))
}

/// An entry's props: the label and status the site shows, and the others kept whole.
pub struct Props<'v> {
    /// The `label` prop (without `ns` or `class`).
    pub label: Option<&'v str>,
    /// The `status` prop (without `ns` or `class`).
    pub status: Option<&'v str>,
    /// Every other prop, as written.
    pub rest: Vec<Value>,
}

impl<'v> Props<'v> {
    /// Splits the props of a group or control.
    pub fn split(value: &'v Value) -> Props<'v> {
        let mut props = Props {
            label: None,
            status: None,
            rest: Vec::new(),
        };
        for prop in list(value, "props") {
            let simple = prop
                .as_object()
                .is_some_and(|map| map.keys().all(|k| k == "name" || k == "value"));
            let value = prop.get("value").and_then(Value::as_str);
            match (prop.get("name").and_then(Value::as_str), value) {
                (Some("label"), Some(v)) if simple && props.label.is_none() => {
                    props.label = Some(v)
                }
                (Some("status"), Some(v)) if simple && props.status.is_none() => {
                    props.status = Some(v)
                }
                _ => props.rest.push(prop.clone()),
            }
        }
        props
    }
}

/// A part and its sub-parts without their prose.
fn without_prose(part: &Value) -> Value {
    let Some(map) = part.as_object() else {
        return part.clone();
    };
    let mut out = Map::new();
    for (key, value) in map {
        match key.as_str() {
            "prose" => {}
            "parts" => {
                let parts = value
                    .as_array()
                    .map(|l| l.iter().map(without_prose).collect());
                out.insert(key.clone(), parts.map_or(Value::Null, Value::Array));
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    Value::Object(out)
}

/// The file or folder name of an entry: its id as a slug, unique among its siblings and
/// clear of the names the site uses at the top.
pub(super) fn file_name(id: &str, used: &mut HashSet<String>, top: bool) -> String {
    let mut base = slugify(id);
    if base.is_empty() || base.starts_with(['_', '.']) {
        base = format!("item{base}");
    }
    if top && (RESERVED_SLUGS.contains(&base.as_str()) || base == "mappings") {
        base.push_str("-group");
    }
    let mut name = base.clone();
    let mut n = 2;
    while !used.insert(name.clone()) {
        name = format!("{base}-{n}");
        n += 1;
    }
    name
}

/// A Markdown file with front matter.
fn markdown_file(front: &Mapping, body: &str) -> String {
    let yaml = serde_yaml::to_string(front).unwrap_or_default();
    let body = body.trim();
    if body.is_empty() {
        format!("---\n{yaml}---\n")
    } else {
        format!("---\n{yaml}---\n{body}\n")
    }
}

/// `book.toml` for the imported framework.
fn book_toml(metadata: &Value) -> String {
    let quote = |s: &str| toml::Value::String(s.to_string()).to_string();
    let title = text(metadata, "title").map_or("Imported catalog".into(), one_line);
    let mut book = format!("[book]\ntitle = {}\nlanguage = \"en\"\n", quote(&title));
    if let Some(version) = text(metadata, "version") {
        book.push_str(&format!("version = {}\n", quote(version)));
    }
    book.push_str(
        "\n[framework]\n\
         # An OSCAL catalog is organised by its own groups (for example control families),\n\
         # not by the five concepts of ISO/IEC TS 27110, so they are not required here. List\n\
         # them again if you reorganise the framework around Identify, Protect, Detect,\n\
         # Respond and Recover.\n\
         required-concepts = []\n",
    );
    // NIST's catalogs in NIST's words: "Family", "Control", "Discussion", ….
    if let Some(words) = crate::config::vocabulary_for_catalog(&title) {
        book.push_str(&words.to_toml());
    }
    book
}

/// The entries of a list field (none when missing or not a list).
fn list<'v>(value: &'v Value, key: &str) -> impl Iterator<Item = &'v Value> {
    value
        .get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

fn to_yaml(value: &Value) -> Yaml {
    serde_yaml::to_value(value).unwrap_or(Yaml::Null)
}
