//! The print edition: `print/index.html`, the whole framework on one page in reading order
//! (overview, then each concept, category and item with its prose and table, then the
//! reference index), for "Print to PDF".
//!
//! An item's section repeats neither the citations nor the related items that its parent's
//! table already shows.
//!
//! Its HTML fragments are made as for each node's own page, then every link is rebased:
//! links to anything shown on this page become in-page fragments (`#ID.AM-01`), links to
//! other files are made relative to `print/`. Ids that Markdown gave headings and footnotes
//! are prefixed with their node's id (`ID.AM--scope`), so that they stay unique on the page.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;
use serde_json::{json, Value};
use tera::Context;

use super::cells::TableBuilder;
use super::references::ReferenceViews;
use super::{resolve_links, Page, Renderer};
use crate::diagnostics::Diagnostic;
use crate::html::{push_escaped, unescape};
use crate::model::Node;

/// The page's folder.
pub const DIR: &str = "print/";

/// Anchor of the framework's own section (the root has no id).
const OVERVIEW: &str = "overview";

/// Where links on the print page go: site URL (`identify/x/#ID`) → element id on the page.
struct Anchors {
    targets: HashMap<String, String>,
    /// Ids of the nodes with a section of their own.
    sections: HashSet<String>,
}

/// What [`Anchors::html`] does to a piece of HTML.
#[derive(Clone, Copy)]
enum Pass<'a> {
    /// Markdown of the node with this anchor: prefix its element ids and its `#fragment`
    /// links, and mark links to items with `data-ref` (the print stylesheet shows the id
    /// after the link text). Other links are left for [`Pass::Rebase`].
    Markdown(&'a str),
    /// Rebase every `href` and `src`, and rename the ids of table rows whose node has a
    /// section of its own (`row-ID.AM`).
    Rebase,
}

/// Where a link leads on the print page.
enum Target<'a> {
    /// To an element of the page (and whether it is an item).
    Anchor(&'a str, bool),
    /// To another file of the site (its URL relative to the site root is in the scratch
    /// string given to [`Anchors::target`]).
    Elsewhere,
    /// Out of the site: leave it.
    Unchanged,
}

impl Anchors {
    fn new(renderer: &Renderer<'_>) -> Anchors {
        let (framework, index) = (renderer.framework, renderer.index);
        let mut targets = HashMap::with_capacity(framework.nodes.len() + 64);
        for (n, node) in framework.nodes.iter().enumerate() {
            let anchor = if n == 0 { OVERVIEW } else { node.id.as_str() };
            if !anchor.is_empty() && index.ids.get(&node.id).is_none_or(|&first| first == n) {
                targets.insert(index.urls[n].clone(), anchor.to_string());
            }
        }
        targets.insert("references/".into(), REFERENCE_INDEX.into());
        for series in &index.references.series {
            let page = format!("references/{}/", series.slug);
            targets.insert(page.clone(), format!("refs-{}", series.slug));
            for document in &series.documents {
                let page = format!("references/{}/", document.slug);
                let anchor = format!("ref-{}", document.slug);
                for clause in &document.clauses {
                    targets.insert(
                        format!("{page}#{}", clause.anchor),
                        format!("{anchor}--{}", clause.anchor),
                    );
                }
                targets.insert(page, anchor);
            }
        }
        let sections = index
            .pages
            .iter()
            .map(|&n| framework.nodes[n].id.clone())
            .collect();
        Anchors { targets, sections }
    }

    /// Where `link` (not a bare `#fragment`), written on a page in folder `from`, leads.
    /// `url` is scratch space; it holds the site URL when the answer is `Elsewhere`.
    fn target<'s>(&'s self, link: &str, from: &str, url: &mut String) -> Target<'s> {
        if !site_url(from, link, url) {
            return Target::Unchanged;
        }
        let page = url.split('#').next().unwrap_or("");
        let found = self
            .targets
            .get_key_value(url.as_str())
            .or_else(|| self.targets.get_key_value(page));
        match found {
            Some((url, anchor)) => Target::Anchor(anchor, !url.starts_with("references/")),
            None => Target::Elsewhere,
        }
    }

    /// Applies `pass` to the attributes of `html`, written for a page in folder `from`.
    fn html(&self, html: &str, from: &str, pass: Pass<'_>) -> String {
        let finder = memchr::memmem::Finder::new("=\"");
        let mut out = String::with_capacity(html.len() + html.len() / 16);
        let mut url = String::new();
        let mut rest = html;
        while let Some(at) = finder.find(rest.as_bytes()) {
            let value_start = at + 2;
            let value_end = memchr::memchr(b'"', &rest.as_bytes()[value_start..])
                .map_or(rest.len(), |i| value_start + i);
            let value = &rest[value_start..value_end];
            let before = &rest.as_bytes()[..at];
            let name = if before.ends_with(b" href") {
                Name::Href
            } else if before.ends_with(b" src") {
                Name::Src
            } else if before.ends_with(b" id") {
                Name::Id
            } else {
                Name::Other
            };
            out.push_str(&rest[..value_start]);
            match (name, pass) {
                (Name::Href, Pass::Markdown(prefix)) => match value.strip_prefix('#') {
                    // A link to an item shown on the same page (a row of its table).
                    Some(fragment) if self.targets.contains_key(&format!("{from}{value}")) => {
                        out.push_str(value);
                        out.push_str("\" data-ref=\"");
                        push_escaped(&mut out, fragment);
                    }
                    Some(fragment) if !fragment.is_empty() => {
                        push_prefixed(&mut out, prefix, fragment, "#");
                    }
                    Some(_) => out.push_str(value),
                    None => {
                        out.push_str(value);
                        let target = self.target(&unescape(value), from, &mut url);
                        if let Target::Anchor(anchor, true) = target {
                            out.push_str("\" data-ref=\"");
                            push_escaped(&mut out, anchor);
                        }
                    }
                },
                (Name::Id, Pass::Markdown(prefix)) => push_prefixed(&mut out, prefix, value, ""),
                (Name::Href | Name::Src, Pass::Rebase) if !value.starts_with('#') => {
                    match self.target(&unescape(value), from, &mut url) {
                        Target::Anchor(anchor, _) => {
                            out.push('#');
                            push_escaped(&mut out, anchor);
                        }
                        // The print page is one folder below the site root.
                        Target::Elsewhere => {
                            out.push_str("../");
                            push_escaped(&mut out, &url);
                        }
                        Target::Unchanged => out.push_str(value),
                    }
                }
                (Name::Id, Pass::Rebase)
                    if before.ends_with(b"<tr id") && self.sections.contains(value) =>
                {
                    out.push_str("row-");
                    out.push_str(value);
                }
                _ => out.push_str(value),
            }
            rest = &rest[value_end..];
        }
        out.push_str(rest);
        out
    }
}

/// The attributes [`Anchors::html`] changes.
#[derive(Clone, Copy)]
enum Name {
    Href,
    Src,
    Id,
    Other,
}

/// Writes `{lead}{prefix}--{value}`.
fn push_prefixed(out: &mut String, prefix: &str, value: &str, lead: &str) {
    out.push_str(lead);
    push_escaped(out, prefix);
    out.push_str("--");
    out.push_str(value);
}

/// True for a relative link (not `https://…`, not `/…`, not `mailto:…`).
fn is_local(link: &str) -> bool {
    !(link.starts_with('/')
        || link
            .split_once(':')
            .is_some_and(|(scheme, _)| !scheme.is_empty() && !scheme.contains('/')))
}

/// Writes to `url` the site URL (`identify/x/#ID`, relative to the site root) that a
/// relative link written on a page in folder `from` leads to; false for absolute links and
/// links that leave the site.
fn site_url(from: &str, link: &str, url: &mut String) -> bool {
    url.clear();
    if !is_local(link) {
        return false;
    }
    let (path, fragment) = match link.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (link, None),
    };
    // Leading `../` and `./` climb `from`; what remains is appended.
    let mut base = from.trim_end_matches('/');
    let mut rest = path;
    loop {
        if let Some(after) = rest.strip_prefix("../").or((rest == "..").then_some("")) {
            if base.is_empty() {
                return false;
            }
            base = base.rfind('/').map_or("", |i| &base[..i]);
            rest = after;
        } else if let Some(after) = rest.strip_prefix("./").or((rest == ".").then_some("")) {
            rest = after;
        } else {
            break;
        }
    }
    if memchr::memmem::find(rest.as_bytes(), b"/.").is_some() {
        return match site_url_slow(from, path) {
            Some(slow) => {
                url.push_str(&slow);
                push_fragment(url, fragment);
                true
            }
            None => false,
        };
    }
    url.push_str(base);
    if !base.is_empty() && !rest.is_empty() {
        url.push('/');
    }
    url.push_str(rest);
    if rest.is_empty() && !url.is_empty() {
        url.push('/');
    }
    push_fragment(url, fragment);
    true
}

fn push_fragment(url: &mut String, fragment: Option<&str>) {
    if let Some(fragment) = fragment {
        url.push('#');
        url.push_str(fragment);
    }
}

/// The path part of [`site_url`] for paths with `.` or `..` segments inside.
fn site_url_slow(from: &str, path: &str) -> Option<String> {
    let mut segments: Vec<&str> = from.split('/').filter(|s| !s.is_empty()).collect();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                segments.pop()?;
            }
            other => segments.push(other),
        }
    }
    let mut url = segments.join("/");
    let folder = path.is_empty() || path.ends_with('/') || path.ends_with("/.") || path == ".";
    if folder && !url.is_empty() {
        url.push('/');
    }
    Some(url)
}

impl Renderer<'_> {
    /// Renders `print/index.html`. Its sections (one per page of the site, rendered in
    /// parallel with `partials/print_section.html`) and its reference index
    /// (`partials/print_references.html`) go where `print.html` writes `sections` and
    /// `references`.
    pub(super) fn render_print(&self, page: &Page) -> Result<Vec<String>, Diagnostic> {
        let anchors = Anchors::new(self);
        let mut references = self.print_references(&anchors)?;
        let toc: Vec<Value> = self
            .index
            .pages
            .iter()
            .map(|&n| &self.framework.nodes[n])
            .filter(|node| matches!(node.depth, 1 | 2))
            .map(|node| json!({"anchor": node.id, "id": node.shown_id(), "title": node.title_or_id(), "depth": node.depth}))
            .collect();
        let mut context = self.base_context(page, "Print edition");
        context.insert("title", self.framework.nodes[0].title_or_id());
        context.insert("overview_anchor", OVERVIEW);
        context.insert("reference_index_anchor", REFERENCE_INDEX);
        context.insert("toc", &toc);
        context.insert("sections", SECTIONS_SLOT);
        context.insert("references", REFERENCES_SLOT);
        context.insert(
            "description",
            &self.framework.config.book.description.as_deref(),
        );
        let html = self.run("print.html", &context)?;
        // The sections are most of the page (tens of MB for a large framework): each batch
        // is rendered in parallel, and the page stays a list of parts.
        let nodes = &self.index.pages;
        let mut parts = Vec::with_capacity(nodes.len() + 8);
        let mut rest = html.as_str();
        loop {
            let next = [SECTIONS_SLOT, REFERENCES_SLOT]
                .into_iter()
                .filter_map(|slot| rest.find(slot).map(|at| (at, slot)))
                .min();
            let Some((at, slot)) = next else { break };
            parts.push(rest[..at].to_string());
            if slot == SECTIONS_SLOT {
                for batch in nodes.chunks(SECTION_BATCH) {
                    let sections = batch
                        .par_iter()
                        .map(|&n| self.print_section(n, &anchors))
                        .collect::<Result<Vec<String>, Diagnostic>>()?;
                    parts.extend(sections);
                }
            } else {
                parts.push(std::mem::take(&mut references));
            }
            rest = &rest[at + slot.len()..];
        }
        parts.push(rest.to_string());
        Ok(parts)
    }

    /// One node's section: heading, description, prose, citations, related items, table.
    fn print_section(&self, n: usize, anchors: &Anchors) -> Result<String, Diagnostic> {
        let node: &Node = &self.framework.nodes[n];
        let dir = self.index.urls[n].as_str();
        let anchor = if n == 0 { OVERVIEW } else { node.id.as_str() };
        let builder = TableBuilder::new(self.framework, self.crosswalks, self.index, dir);
        let params = super::params::lookup(self.framework, node);
        let section = &self.framework.config.framework;
        let markdown = |html: &str| {
            let html = resolve_links(html, dir, self.index);
            let html = super::params::fill(&html, &params);
            let html = super::item::retitle_parts(&html, section);
            let html = super::item::merge_repeated_sections(&html);
            anchors.html(&html, dir, Pass::Markdown(anchor))
        };
        let show_description = node
            .description
            .as_ref()
            .is_some_and(|_| !node.description_repeats_body);
        // Citations and related items that the parent's table shows are not repeated.
        let in_table = |key: &str| {
            node.parent
                .is_some_and(|p| match &self.framework.nodes[p].columns {
                    Some(columns) => columns.iter().any(|c| c.key == key),
                    None => key != "related",
                })
        };
        let references = if in_table("references") {
            String::new()
        } else {
            builder.citations(&node.references)
        };
        let related = if in_table("related") {
            String::new()
        } else {
            builder.related(node)
        };
        let description = node
            .description
            .as_ref()
            .filter(|_| show_description)
            .map(|d| markdown(&d.html));
        // The body (most of a section) skips the template engine: the template gets a
        // slot, and the body, rebased on its own, goes there afterwards.
        let level = (node.depth + 1).clamp(2, 4);
        // The body's own headings start at <h2>: below this section's heading they go
        // down with it, so that the page's outline skips no level.
        let body = markdown(&node.body.html);
        let body = anchors.html(
            &crate::html::demote_headings(&body, level - 1),
            dir,
            Pass::Rebase,
        );
        let level_name = section.level(node.depth);
        let status_note = super::item::status_note(self.framework, self.index, node, dir);
        let section = SectionView {
            anchor,
            id: &node.id,
            label: node.shown_id(),
            kind: node.kind.name(),
            level_name: level_name.singular(),
            status_note: &status_note,
            title: node.title_or_id(),
            level,
            depth: node.depth,
            description: description.as_deref(),
            body: if body.is_empty() { "" } else { BODY_SLOT },
            references: &references,
            related: &related,
        };
        let mut context = Context::new();
        context.insert("section", &section);
        context.insert("table", &builder.table(n));
        let html = self.run("partials/print_section.html", &context)?;
        let html = anchors.html(&html, dir, Pass::Rebase);
        Ok(match html.split_once(BODY_SLOT) {
            Some((before, after)) => [before, &body, after].concat(),
            None => html,
        })
    }

    /// The reference index: every cited document and clause with the items citing it,
    /// linked to their place on this page.
    fn print_references(&self, anchors: &Anchors) -> Result<String, Diagnostic> {
        let views = ReferenceViews {
            framework: self.framework,
            item_href: |n: usize| match anchors.targets.get(&self.index.urls[n]) {
                Some(anchor) => format!("#{anchor}"),
                None => format!("../{}", self.index.urls[n]),
            },
            document_href: |slug: &str| format!("#ref-{slug}"),
        };
        let mut context = Context::new();
        context.insert("series", &views.every_series(&self.index.references));
        context.insert("reference_index_anchor", REFERENCE_INDEX);
        self.run("partials/print_references.html", &context)
    }
}

/// One node's section, as `partials/print_section.html` sees it.
#[derive(serde::Serialize)]
struct SectionView<'a> {
    anchor: &'a str,
    id: &'a str,
    /// The publisher's label, else the id.
    label: &'a str,
    kind: &'a str,
    /// The project's word for the level.
    level_name: &'a str,
    /// Where a withdrawn item went, as HTML.
    status_note: &'a str,
    title: &'a str,
    level: usize,
    depth: usize,
    description: Option<&'a str>,
    body: &'a str,
    references: &'a str,
    related: &'a str,
}

/// Where `partials/print_section.html` puts the body, filled in after rendering.
const BODY_SLOT: &str = "<!--fw:print-body-->";

/// How many sections are rendered (in parallel) before they are appended to the page.
const SECTION_BATCH: usize = 512;

/// Where `print.html` puts the sections.
const SECTIONS_SLOT: &str = "<!--fw:print-sections-->";
/// Where `print.html` puts the reference index.
const REFERENCES_SLOT: &str = "<!--fw:print-references-->";
/// Anchor of the reference index.
const REFERENCE_INDEX: &str = "reference-index";

#[cfg(test)]
mod tests {
    use super::*;

    fn url(from: &str, link: &str) -> Option<String> {
        let mut url = String::new();
        site_url(from, link, &mut url).then_some(url)
    }

    #[test]
    fn site_urls() {
        assert_eq!(url("a/b/", "../"), Some("a/".into()));
        assert_eq!(url("a/b/", "../../"), Some("".into()));
        assert_eq!(url("a/", "../c/#X"), Some("c/#X".into()));
        assert_eq!(url("a/", "img.png"), Some("a/img.png".into()));
        assert_eq!(url("a/", "./img.png"), Some("a/img.png".into()));
        assert_eq!(url("a/b/", "../x/./y/../z.png"), Some("a/x/z.png".into()));
        assert_eq!(url("", "./"), Some("".into()));
        assert_eq!(url("a/", ".."), Some("".into()));
        assert_eq!(url("a/", "../../x"), None);
        assert_eq!(url("a/", "https://x.org/"), None);
        assert_eq!(url("a/", "mailto:x@y"), None);
        assert_eq!(url("a/", "/abs/"), None);
    }
}
