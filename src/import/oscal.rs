//! `framewright import oscal`: an OSCAL catalog (JSON) as a framework project.
//!
//! Layout of the project written:
//! - `book.toml` with the catalog's title and version, and `required-concepts = []`: a
//!   catalog is organised by its own groups, not by the five TS 27110 concepts;
//! - `content/_index.md`: the catalog's metadata (`remarks` as the body);
//! - a group becomes a folder with `_index.md` (top-level groups are concepts, nested ones
//!   categories marked `oscal-type: group`);
//! - a control becomes `<id>.md`, or a folder `<id>/_index.md` when it has nested controls
//!   (enhancements), which become its children one level deeper;
//! - the `statement` part is the `description` (items as `- **a.** …` list entries), the
//!   other parts `## Heading` sections of the body; `{{ insert: param, … }}` becomes a
//!   visible placeholder (`[Assignment: …]`) that the OSCAL export turns back into the insert;
//! - props become front-matter fields (`label`, `sort-id`; a prop with a class becomes
//!   `name-class`), parameters are kept as `params`, `links rel="related"` become `related`,
//!   links to back-matter citations `references`, and the cited resources `references.yaml`.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use serde_json::Value;
use serde_yaml::{Mapping, Value as Yaml};

use super::{write_files, ImportError, ImportReport, PlannedFile};
use crate::citation::parse_citations;
use crate::export::oscal::{part_heading, LINK_CLASS, PARAM_CLASS, STRUCTURAL_KEYS};
use crate::html::escape;
use crate::markdown::slugify;
use crate::validate::RESERVED_SLUGS;

/// Front-matter keys the loader reads itself; a prop with one of these names gets a `prop-` prefix.
use crate::load::KNOWN_KEYS as MODEL_KEYS;

/// The files of a project made from a catalog.
#[derive(Debug)]
pub struct Plan {
    /// Files relative to the project folder, with their text.
    pub files: Vec<PlannedFile>,
    /// Groups and controls turned into framework items.
    pub items: usize,
}

/// Reads the catalog at `catalog` and writes a project into `into`. Writes nothing when a
/// file it would write exists, unless `force`.
pub fn import(catalog: &Path, into: &Path, force: bool) -> Result<ImportReport, ImportError> {
    let text = fs::read_to_string(catalog)
        .with_context(|| format!("cannot read {}", catalog.display()))
        .map_err(ImportError::Io)?;
    let document: Value = serde_json::from_str(&text).map_err(|err| {
        ImportError::Invalid(format!(
            "{}:{}:{}: not valid JSON: {err}",
            catalog.display(),
            err.line(),
            err.column()
        ))
    })?;
    let plan = plan(&document)
        .map_err(|message| ImportError::Invalid(format!("{}: {message}", catalog.display())))?;
    write_files(into, &plan.files, force)?;
    Ok(ImportReport {
        into: into.to_path_buf(),
        files: plan.files.into_iter().map(|(path, _)| path).collect(),
        items: plan.items,
    })
}

/// The project files for an OSCAL catalog document (`{"catalog": {…}}`).
pub fn plan(document: &Value) -> Result<Plan, String> {
    let catalog = document
        .get("catalog")
        .filter(|c| c.is_object())
        .ok_or_else(|| {
            let found = match document.as_object() {
                Some(map) => map.keys().cloned().collect::<Vec<_>>().join(", "),
                None => "no object".into(),
            };
            format!("not an OSCAL catalog: expected a `catalog` object at the top (found: {found})")
        })?;
    let metadata = catalog
        .get("metadata")
        .filter(|m| m.is_object())
        .ok_or("not an OSCAL catalog: `catalog.metadata` is missing")?;
    let mut ids = Ids::default();
    let entries = read_entries(catalog, false, "catalog", &mut ids)?;
    let mut params = HashMap::new();
    collect_params(catalog, &mut params);
    let context = Prose {
        ids: ids.map,
        params,
        resources: read_resources(catalog),
        cited: Default::default(),
    };
    let mut writer = Writer {
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
            writer.root_page(catalog, metadata),
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
}

impl Ids {
    /// A framework id for an entry: its OSCAL id with unsafe characters replaced, or its title.
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
    in_control: bool,
    place: &str,
    ids: &mut Ids,
) -> Result<Vec<Entry<'c>>, String> {
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
        let list = list
            .as_array()
            .ok_or_else(|| format!("`{key}` of {place} is not a list"))?;
        for (n, value) in list.iter().enumerate() {
            if !value.is_object() {
                return Err(format!(
                    "entry {} of `{key}` in {place} is not an object",
                    n + 1
                ));
            }
            let oscal_id = value.get("id").and_then(Value::as_str);
            if !group && oscal_id.is_none() {
                return Err(format!("control {} of {place} has no `id`", n + 1));
            }
            let id = ids.assign(oscal_id, text(value, "title").unwrap_or("group"));
            let here = format!("{} `{id}`", if group { "group" } else { "control" });
            let children = read_entries(value, !group, &here, ids)?;
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

/// Every parameter of the catalog by id (inserts may name a parameter of an ancestor).
fn collect_params<'c>(container: &'c Value, params: &mut HashMap<String, &'c Value>) {
    for param in list(container, "params") {
        if let Some(id) = text(param, "id") {
            params.entry(id.to_string()).or_insert(param);
        }
    }
    for child in list(container, "groups").chain(list(container, "controls")) {
        collect_params(child, params);
    }
}

/// A back-matter resource as a citation.
struct Resource {
    cite: String,
    document: String,
    title: Option<String>,
    url: Option<String>,
}

fn read_resources(catalog: &Value) -> HashMap<String, Resource> {
    let resources = catalog
        .get("back-matter")
        .map(|b| list(b, "resources"))
        .into_iter()
        .flatten();
    let mut out = HashMap::new();
    for resource in resources {
        let Some(uuid) = text(resource, "uuid") else {
            continue;
        };
        let citation = resource
            .get("citation")
            .and_then(|c| text(c, "text"))
            .map(one_line);
        let Some(title) = text(resource, "title").map(one_line).or(citation.clone()) else {
            continue;
        };
        let cite = nist_designation(&title, citation.as_deref()).unwrap_or(title);
        let document = match parse_citations(&cite).as_slice() {
            [single] => single.document.clone().unwrap_or_else(|| cite.clone()),
            _ => cite.clone(),
        };
        let url = list(resource, "rlinks")
            .find_map(|l| text(l, "href"))
            .map(str::to_string);
        out.insert(
            uuid.to_string(),
            Resource {
                cite,
                document,
                title: citation,
                url,
            },
        );
    }
    out
}

/// NIST's catalogs name their own publications `SP 800-37` or `IR 8011-1`; with the
/// publisher the citation parser recognises them (`NIST SP 800-37`).
fn nist_designation(title: &str, citation: Option<&str>) -> Option<String> {
    let series = ["SP ", "IR "];
    let starts = series.iter().any(|s| {
        title
            .strip_prefix(s)
            .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
    });
    let by_nist = citation.is_some_and(|c| {
        c.contains("National Institute of Standards and Technology") || c.contains("NIST")
    });
    (starts && by_nist).then(|| format!("NIST {title}"))
}

/// What prose conversion needs: ids, parameters and citations of the whole catalog.
struct Prose<'c> {
    ids: HashMap<String, String>,
    params: HashMap<String, &'c Value>,
    resources: HashMap<String, Resource>,
    /// Resources cited so far, in order of first citation.
    cited: Vec<String>,
}

impl Prose<'_> {
    /// OSCAL prose as framework Markdown.
    fn prose(&self, prose: &str) -> String {
        let text = self.replace_links(prose);
        self.replace_inserts(&text, true)
    }

    /// `{{ insert: param, ID }}` as a visible placeholder; inside a span when `marked`, so
    /// that the OSCAL export can restore the insert.
    fn replace_inserts(&self, text: &str, marked: bool) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(at) = rest.find("{{") {
            let Some(end) = rest[at..].find("}}").map(|e| at + e) else {
                break;
            };
            out.push_str(&rest[..at]);
            let inner = rest[at + 2..end].trim();
            match inner.strip_prefix("insert:").map(parse_insert) {
                Some(Some(("param", id))) if marked => {
                    let shown = escape(&self.param_text(id));
                    out.push_str(&format!(
                        "<span class=\"{PARAM_CLASS}\" data-param=\"{}\">{shown}</span>",
                        escape(id)
                    ));
                }
                Some(Some(("param", id))) => out.push_str(&self.param_text(id)),
                Some(Some((_, id))) => out.push_str(&format!("[{id}]")),
                _ => out.push_str(&rest[at..end + 2]),
            }
            rest = &rest[end + 2..];
        }
        out.push_str(rest);
        out
    }

    /// How a parameter is shown: its values, its choices, or its label.
    fn param_text(&self, id: &str) -> String {
        let Some(param) = self.params.get(id) else {
            return format!("[Assignment: {id}]");
        };
        let values: Vec<&str> = list(param, "values").filter_map(Value::as_str).collect();
        if !values.is_empty() {
            return values.join(", ");
        }
        if let Some(select) = param.get("select") {
            let how = match text(select, "how-many") {
                Some("one-or-more") => "Selection (one or more)",
                _ => "Selection",
            };
            let choices: Vec<String> = list(select, "choice")
                .filter_map(Value::as_str)
                .map(|c| unlink(&self.replace_inserts(c, false)))
                .collect();
            return format!("[{how}: {}]", choices.join("; "));
        }
        let label = text(param, "label").unwrap_or(id);
        format!("[Assignment: {}]", unlink(&one_line(label)))
    }

    /// Links: `[text](#id)` to an imported item as an id link, to a cited resource as its
    /// URL; web and mail links as they are; anything else (a fragment or relative path no
    /// page of the site has would be a broken link) as marked text that the OSCAL export
    /// turns back into the link.
    fn replace_links(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(at) = rest.find("](") {
            let after = &rest[at + 2..];
            let Some(end) = after.find(')') else { break };
            let href = after[..end].trim();
            let before = &rest[..at];
            let fragment = href.strip_prefix('#');
            let external = href.contains("://") || href.starts_with("mailto:");
            match fragment.map(|f| (self.ids.get(f), self.resources.get(f))) {
                Some((Some(id), _)) => out.push_str(&format!("{before}](@{id})")),
                Some((None, Some(Resource { url: Some(url), .. }))) => {
                    out.push_str(&format!("{before}]({url})"))
                }
                _ if external => out.push_str(&format!("{before}]({href})")),
                _ => match before.rfind('[') {
                    Some(open) => out.push_str(&format!(
                        "{}<span class=\"{LINK_CLASS}\" data-href=\"{}\">{}</span>",
                        &before[..open],
                        escape(href),
                        &before[open + 1..]
                    )),
                    None => out.push_str(&format!("{before}]({href})")),
                },
            }
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        out
    }
}

/// Fragment links as their text (`[AU-2a.](#au-2_smt.a)` → `AU-2a.`), for the text of a
/// parameter placeholder.
fn unlink(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("](#") {
        let after = &rest[at + 3..];
        let (Some(open), Some(end)) = (rest[..at].rfind('['), after.find(')')) else {
            break;
        };
        out.push_str(&rest[..open]);
        out.push_str(&rest[open + 1..at]);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// `param, ID` (or `param,ID`) of an insert: its type and id.
fn parse_insert(text: &str) -> Option<(&str, &str)> {
    let (kind, id) = text.split_once(',')?;
    Some((kind.trim(), id.trim()))
}

/// Writes the files of the entries.
struct Writer<'c> {
    context: Prose<'c>,
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
        for (key, prop) in props(value) {
            front.insert(Yaml::String(key), prop);
        }
        let parts: Vec<&Value> = list(value, "parts").collect();
        let statement = parts
            .iter()
            .position(|p| text(p, "name") == Some("statement"));
        if let Some(at) = statement {
            let description = self.statement(parts[at]);
            if !description.is_empty() {
                front.insert("description".into(), Yaml::String(description));
            }
        }
        self.links(value, &mut front);
        if let Some(params) = value.get("params").filter(|p| p.is_array()) {
            front.insert("params".into(), to_yaml(params));
        }
        let mut body = String::new();
        for (n, part) in parts.iter().enumerate() {
            if Some(n) != statement {
                self.part(part, 2, &mut body);
            }
        }
        markdown_file(&front, &body)
    }

    /// `references`, `related` and other links of an entry, into its front matter.
    fn links(&mut self, value: &Value, front: &mut Mapping) {
        let mut references = Vec::new();
        let mut related = Vec::new();
        let mut kept = Vec::new();
        for link in list(value, "links") {
            let href = text(link, "href").unwrap_or("");
            let target = href.strip_prefix('#').unwrap_or("");
            match text(link, "rel") {
                Some("reference") if self.context.resources.contains_key(target) => {
                    references.push(self.reference(target));
                }
                Some("related") if self.context.ids.contains_key(target) => {
                    related.push(Yaml::String(self.context.ids[target].clone()));
                }
                _ if !href.is_empty() => kept.push(to_yaml(link)),
                _ => {}
            }
        }
        for (key, values) in [
            ("references", references),
            ("related", related),
            ("links", kept),
        ] {
            if !values.is_empty() {
                front.insert(key.into(), Yaml::Sequence(values));
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

    /// The statement part as Markdown: its prose, then its items as a labelled list.
    fn statement(&self, part: &Value) -> String {
        let mut out = text(part, "prose")
            .map(|p| self.context.prose(p).trim().to_string())
            .unwrap_or_default();
        let items: Vec<&Value> = list(part, "parts").collect();
        if !items.is_empty() {
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            self.items(&items, 0, &mut out);
        }
        out.trim_end().to_string()
    }

    /// Parts as list entries `- **label** prose`, nested two spaces per level.
    fn items(&self, parts: &[&Value], indent: usize, out: &mut String) {
        let pad = " ".repeat(indent);
        for part in parts {
            out.push_str(&pad);
            out.push('-');
            if let Some(label) = label(part) {
                out.push_str(&format!(" **{}**", one_line(label)));
            }
            let prose = text(part, "prose")
                .map(|p| self.context.prose(p))
                .unwrap_or_default();
            for (n, line) in prose.trim().lines().enumerate() {
                if n == 0 {
                    out.push(' ');
                } else {
                    out.push('\n');
                    if !line.trim().is_empty() {
                        out.push_str(&pad);
                        out.push_str("  ");
                    }
                }
                out.push_str(line.trim_end());
            }
            out.push('\n');
            let children: Vec<&Value> = list(part, "parts").collect();
            self.items(&children, indent + 2, out);
        }
    }

    /// A part other than the statement as a section of the body.
    fn part(&self, part: &Value, level: usize, out: &mut String) {
        let heading = text(part, "title")
            .map(one_line)
            .unwrap_or_else(|| part_heading(text(part, "name").unwrap_or("part")));
        out.push_str(&format!("{} {heading}\n\n", "#".repeat(level.min(6))));
        if let Some(label) = label(part) {
            out.push_str(&format!("**{}**\n\n", one_line(label)));
        }
        if let Some(prose) = text(part, "prose") {
            out.push_str(self.context.prose(prose).trim());
            out.push_str("\n\n");
        }
        let children: Vec<&Value> = list(part, "parts").collect();
        let mut run = Vec::new();
        for child in children {
            if label(child).is_some() || text(child, "name") == Some("item") {
                run.push(child);
                continue;
            }
            self.flush_items(&mut run, out);
            self.part(child, level + 1, out);
        }
        self.flush_items(&mut run, out);
    }

    fn flush_items(&self, run: &mut Vec<&Value>, out: &mut String) {
        if !run.is_empty() {
            self.items(run, 0, out);
            out.push('\n');
            run.clear();
        }
    }

    /// `content/_index.md`: the catalog's title and dates, its remarks as the body.
    fn root_page(&self, catalog: &Value, metadata: &Value) -> String {
        let mut front = Mapping::new();
        let title = text(metadata, "title").map(one_line);
        front.insert(
            "title".into(),
            Yaml::String(title.unwrap_or("Imported catalog".into())),
        );
        for key in ["published", "last-modified", "oscal-version"] {
            if let Some(value) = text(metadata, key) {
                front.insert(key.into(), Yaml::String(value.into()));
            }
        }
        for (key, prop) in props(metadata) {
            front.insert(Yaml::String(key), prop);
        }
        if let Some(params) = catalog.get("params").filter(|p| p.is_array()) {
            front.insert("params".into(), to_yaml(params));
        }
        let body = text(metadata, "remarks")
            .map(|r| self.context.prose(r))
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

/// Props as front-matter fields: `name` (or `name-class` for a prop with a class); a name
/// the loader reads itself gets a `prop-` prefix; repeated names become lists.
fn props(value: &Value) -> Vec<(String, Yaml)> {
    let mut fields: Vec<(String, Vec<String>)> = Vec::new();
    for prop in list(value, "props") {
        let (Some(name), Some(value)) = (text(prop, "name"), text(prop, "value")) else {
            continue;
        };
        let mut key = match text(prop, "class") {
            Some(class) => format!("{name}-{class}"),
            None => name.to_string(),
        };
        if MODEL_KEYS.contains(&key.as_str()) || STRUCTURAL_KEYS.contains(&key.as_str()) {
            key = format!("prop-{key}");
        }
        match fields.iter_mut().find(|(k, _)| *k == key) {
            Some((_, values)) if !values.iter().any(|v| v == value) => {
                values.push(value.to_string())
            }
            Some(_) => {}
            None => fields.push((key, vec![value.to_string()])),
        }
    }
    fields
        .into_iter()
        .map(|(key, mut values)| {
            let value = if values.len() == 1 {
                Yaml::String(values.remove(0))
            } else {
                Yaml::Sequence(values.into_iter().map(Yaml::String).collect())
            };
            (key, value)
        })
        .collect()
}

/// The file or folder name of an entry: its id as a slug, unique among its siblings and
/// clear of the names the site uses at the top.
fn file_name(id: &str, used: &mut HashSet<String>, top: bool) -> String {
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
    book
}

/// The `label` prop of a part.
fn label(part: &Value) -> Option<&str> {
    list(part, "props")
        .find(|p| text(p, "name") == Some("label"))
        .and_then(|p| text(p, "value"))
}

/// The entries of a list field (none when missing or not a list).
fn list<'v>(value: &'v Value, key: &str) -> impl Iterator<Item = &'v Value> {
    value
        .get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

/// A text field, trimmed, when present and not empty.
fn text<'v>(value: &'v Value, key: &str) -> Option<&'v str> {
    value
        .get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Text on one line, runs of white space made one space.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn to_yaml(value: &Value) -> Yaml {
    serde_yaml::to_value(value).unwrap_or(Yaml::Null)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn context() -> Prose<'static> {
        let param: &'static Value = Box::leak(Box::new(json!({"id": "p1", "label": "a duration"})));
        let select: &'static Value = Box::leak(Box::new(json!({
            "id": "p2",
            "select": {"how-many": "one-or-more", "choice": ["after {{ insert: param, p1 }}", "never"]}
        })));
        Prose {
            ids: HashMap::from([("s1.2".to_string(), "s1.2".to_string())]),
            params: HashMap::from([("p1".to_string(), param), ("p2".to_string(), select)]),
            resources: HashMap::new(),
            cited: Vec::new(),
        }
    }

    #[test]
    fn inserts_become_marked_placeholders() {
        let text = context().prose("Lock after {{ insert: param, p1 }}; {{insert: param,p2}}.");
        assert_eq!(
            text,
            "Lock after <span class=\"oscal-param\" data-param=\"p1\">[Assignment: a duration]</span>; \
             <span class=\"oscal-param\" data-param=\"p2\">[Selection (one or more): after [Assignment: a duration]; never]</span>."
        );
    }

    #[test]
    fn placeholder_text_has_no_links() {
        assert_eq!(
            unlink("types in [AU-2a.](#au-2_smt.a) and [x](#y)."),
            "types in AU-2a. and x."
        );
    }

    #[test]
    fn fragment_links_resolve_or_become_text() {
        let text = context().prose(
            "See [(choppy)](#s1.2) and [gone](#nowhere), [web](https://example.org) or [file](notes.html).",
        );
        assert_eq!(
            text,
            "See [(choppy)](@s1.2) and <span class=\"oscal-link\" data-href=\"#nowhere\">gone</span>, \
             [web](https://example.org) or <span class=\"oscal-link\" data-href=\"notes.html\">file</span>."
        );
    }

    #[test]
    fn ids_are_made_safe_and_unique() {
        let mut ids = Ids::default();
        assert_eq!(ids.assign(Some("ac-2.1"), "x"), "ac-2.1");
        assert_eq!(ids.assign(Some("ac-2.1"), "x"), "ac-2.1_2");
        assert_eq!(ids.assign(Some("é1"), "x"), "_1");
        assert_eq!(ids.assign(None, "Access control"), "Access_control");
    }

    #[test]
    fn file_names_avoid_reserved_and_duplicate_names() {
        let mut used = HashSet::new();
        // `id/` is free for an item since permanent links moved to `_id/`.
        assert_eq!(file_name("id", &mut used, true), "id");
        assert_eq!(file_name("search", &mut used, true), "search-group");
        assert_eq!(file_name("AC", &mut used, true), "ac");
        assert_eq!(file_name("ac", &mut used, true), "ac-2");
        assert_eq!(file_name("_index", &mut used, false), "item_index");
    }

    #[test]
    fn props_flatten_with_classes_and_prefixes() {
        let control = json!({"props": [
            {"name": "label", "value": "AC-2"},
            {"name": "label", "class": "zero-padded", "value": "AC-02"},
            {"name": "title", "value": "x"},
            {"name": "alt", "value": "a"}, {"name": "alt", "value": "b"}
        ]});
        let fields = props(&control);
        let keys: Vec<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["label", "label-zero-padded", "prop-title", "alt"]);
        assert!(matches!(&fields[3].1, Yaml::Sequence(v) if v.len() == 2));
    }

    #[test]
    fn a_document_without_catalog_is_refused() {
        let err = plan(&json!({"profile": {}})).unwrap_err();
        assert!(err.contains("not an OSCAL catalog"), "{err}");
        assert!(err.contains("profile"), "{err}");
        let err = plan(&json!({"catalog": {"metadata": {}, "groups": {}}})).unwrap_err();
        assert!(err.contains("not a list"), "{err}");
    }
}
