//! Render: turns the model and index into HTML pages with Tera, one page at a time so that
//! pages can be rendered in parallel. Reads the model; never changes it.

pub mod budget;
mod cells;
mod changes;
mod conformance;
mod crosswalk;
mod item;
mod node;
mod not_found;
mod params;
mod permalink;
mod print;
mod references;
mod search;
mod sidebar;
mod sitemap;
pub mod theme;

use serde::Serialize;
use std::time::Duration;

use tera::{Context, Tera};

use crate::config::{Config, SiteSection};
use crate::crosswalk::Crosswalk;
use crate::diagnostics::{Diagnostic, Span};
use crate::index::SiteIndex;
use crate::model::{Framework, Kind, Node};
pub use cells::resolve_links;
use cells::TableBuilder;
use sidebar::{Marks, Sidebar};
pub use theme::Theme;

/// What a page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    /// A node's own page (home, concept, category, item).
    Node(usize),
    /// `_id/<ID>/` (and `_id/<label>/`, and the older `id/<ID>/` when no item took
    /// that folder): a redirect to where the node is shown.
    Permalink(usize),
    /// `references/`: the whole reference index.
    ReferenceIndex,
    /// `references/<series>/`: a cited series with its documents.
    ReferenceSeries(usize),
    /// `references/<document>/`: one part of a series.
    ReferenceDocument(usize, usize),
    /// `print/`: the whole framework on one page, for printing.
    Print,
    /// `search/`: the search page.
    Search,
    /// `conformance/`: what the framework contains, concept by concept (ISO/IEC TS 27110).
    Conformance,
    /// `404.html`.
    NotFound,
    /// `sitemap.xml`.
    Sitemap,
    /// `crosswalk/`: the list of crosswalks.
    CrosswalkIndex,
    /// `crosswalk/<name>/`: one crosswalk, both directions.
    Crosswalk(usize),
    /// `changes/`: the releases named in book.toml, newest first.
    Changes,
    /// `changes/<version>/`: what one release changed.
    Release(usize),
    /// `id/<OLD-ID>/`: an id of an earlier release that is gone, with where it went.
    FormerId(usize),
}

/// A file of the site to render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Output path relative to the site root (`identify/index.html`).
    pub path: String,
    /// What it shows.
    pub kind: PageKind,
}

impl Page {
    /// The page's folder URL relative to the site root (`identify/`; empty for the home page).
    pub fn dir(&self) -> &str {
        self.path.strip_suffix("index.html").unwrap_or("")
    }
}

/// The theme's templates, compiled once and reused by every render (and every rebuild of
/// the preview server).
pub struct Templates {
    tera: Tera,
}

impl Templates {
    /// Compiles a theme's templates, with the book's settings as the global `site` value.
    pub fn compile(theme: &Theme, config: &Config) -> Result<Templates, Diagnostic> {
        let mut tera = Tera::new();
        // Within the page's allowance of numbers and time (Tera's own makes up to 100,000
        // per call, in loops as deep as a theme likes).
        tera.register_function("range", budget::range);
        tera.add_raw_templates(
            theme
                .templates
                .iter()
                .map(|(n, t)| (n.as_str(), t.as_str())),
        )
        .map_err(|err| template_error(&err, "", &config.build.theme))?;
        let book = &config.book;
        tera.global_context().insert(
            "site",
            &serde_json::json!({
                "title": book.title,
                "description": book.description,
                "language": book.language,
                "version": book.version,
                "authors": book.authors,
                "base_url": config.site.base_url,
                "releases": !config.releases.is_empty(),
            }),
        );
        Ok(Templates { tera })
    }
}

/// Renders pages of one framework with one set of templates.
pub struct Renderer<'a> {
    framework: &'a Framework,
    /// The crosswalks loaded beside the framework.
    crosswalks: &'a [Crosswalk],
    index: &'a SiteIndex,
    tera: &'a Tera,
    site: &'a SiteSection,
    /// The sidebar, rendered once per folder depth (its links are relative) and per
    /// variant (which concept it opens, see `sidebar_variant`): `sidebars[depth][variant]`.
    sidebars: Vec<Vec<Sidebar>>,
    /// Whether every concept lists its categories in the sidebar (small frameworks), or
    /// only the concept of the page at hand (large ones, where listing everything on every
    /// page would make the sidebar most of the site's bytes).
    sidebar_lists_all: bool,
    /// The framework's concepts, as [`SiteIndex::concepts`] lists them.
    concepts: Vec<usize>,
    /// The sidebar of 404.html, whose links start from the base path.
    not_found_sidebar: Sidebar,
    /// What the releases named in book.toml changed (see [`Renderer::with_history`]).
    history: Option<&'a crate::diff::history::History>,
}

/// A node as its page's template sees it (`node.…`).
#[derive(Serialize)]
struct NodeView<'a> {
    id: &'a str,
    kind: &'a str,
    /// What names it beside its title: the publisher's label, else the id.
    label: &'a str,
    /// The project's word for its level ("Control enhancement").
    level: &'a str,
    /// `current`, `withdrawn`, `deprecated` or `draft`.
    status: &'a str,
    /// The status line with where a withdrawn item went, as HTML (empty when current).
    status_note: &'a str,
    /// Its parameters' table, as HTML (empty when it has none).
    params: &'a str,
    /// Its permanent link, from the site root.
    permalink: String,
    title: &'a str,
    /// Its description as HTML.
    description: Option<&'a str>,
    /// False when the description merely repeats the body's first paragraph.
    show_description: bool,
    /// True when the description holds paragraphs or lists (a statement with labelled
    /// items), which cannot sit inside a `<p>`.
    description_is_block: bool,
    /// Its prose as HTML.
    body: &'a str,
    /// Its citations as HTML.
    references: &'a str,
    /// Its related items as HTML.
    related: &'a str,
    /// Its crosswalk mappings as HTML.
    mappings: &'a str,
    url: &'a str,
    source: &'a str,
    /// Its other front-matter keys.
    extra: &'a std::collections::BTreeMap<String, serde_json::Value>,
}

/// A link for templates: where and what.
#[derive(Debug, Clone, Serialize)]
struct LinkView {
    id: String,
    title: String,
    url: String,
}

impl<'a> Renderer<'a> {
    /// Prepares rendering of `framework`: renders what every page shares (the sidebar).
    pub fn new(
        framework: &'a Framework,
        crosswalks: &'a [Crosswalk],
        index: &'a SiteIndex,
        templates: &'a Templates,
    ) -> Result<Renderer<'a>, Diagnostic> {
        let tera = &templates.tera;
        let site = &framework.config.site;
        let mut renderer = Renderer {
            framework,
            crosswalks,
            index,
            tera,
            site,
            sidebars: Vec::new(),
            not_found_sidebar: Sidebar::default(),
            sidebar_lists_all: true,
            concepts: SiteIndex::concepts(framework),
            history: None,
        };
        let listed: usize = renderer
            .concepts
            .iter()
            .map(|&c| renderer.sidebar_children(c).count())
            .sum();
        renderer.sidebar_lists_all = listed <= SIDEBAR_FULL_LIMIT;
        let variants: Vec<Option<usize>> = if renderer.sidebar_lists_all {
            vec![None]
        } else {
            std::iter::once(None)
                .chain(renderer.concepts.iter().copied().map(Some))
                .collect()
        };
        let deepest = index
            .urls
            .iter()
            .map(|u| u.split('#').next().unwrap_or("").matches('/').count())
            .max()
            .unwrap_or(0)
            .max(2);
        for depth in 0..=deepest {
            let root = "../".repeat(depth);
            let sidebars = variants
                .iter()
                .map(|&open| renderer.make_sidebar(&root, open))
                .collect::<Result<_, _>>()?;
            renderer.sidebars.push(sidebars);
        }
        renderer.not_found_sidebar = renderer.make_sidebar(&site.base_path(), None)?;
        Ok(renderer)
    }

    /// Shows the changes of the releases named in book.toml: the "What changed" pages,
    /// pages for ids that are gone, history lines on items and table rows.
    pub fn with_history(mut self, history: &'a crate::diff::history::History) -> Renderer<'a> {
        self.history = Some(history);
        self
    }

    /// The HTML that many pages share (the sidebars of each folder depth), each with the
    /// path of a page at that depth. The link check verifies these once, not on every page.
    pub fn shared_fragments(&self) -> Vec<(String, &str)> {
        self.sidebars
            .iter()
            .enumerate()
            .flat_map(|(depth, sidebars)| {
                let path = format!("{}index.html", "_/".repeat(depth));
                sidebars
                    .iter()
                    .map(move |s| (path.clone(), s.html.as_str()))
            })
            .collect()
    }

    /// Every page of the site: the reference pages first (large, each rendered on one
    /// core, so best started early), then the others in reading order, the print edition
    /// last.
    pub fn pages(&self) -> Vec<Page> {
        let mut pages = Vec::with_capacity(self.index.pages.len() * 2 + 16);
        pages.push(Page {
            path: "references/index.html".into(),
            kind: PageKind::ReferenceIndex,
        });
        for (s, series) in self.index.references.series.iter().enumerate() {
            pages.push(Page {
                path: format!("references/{}/index.html", series.slug),
                kind: PageKind::ReferenceSeries(s),
            });
            for (d, document) in series.documents.iter().enumerate() {
                if document.slug != series.slug {
                    pages.push(Page {
                        path: format!("references/{}/index.html", document.slug),
                        kind: PageKind::ReferenceDocument(s, d),
                    });
                }
            }
        }
        for &node in &self.index.pages {
            pages.push(Page {
                path: format!("{}index.html", self.index.urls[node]),
                kind: PageKind::Node(node),
            });
        }
        pages.extend(self.permalink_pages());
        pages.extend(self.crosswalk_pages());
        pages.extend(self.change_pages());
        pages.push(Page {
            path: format!("{}index.html", search::DIR),
            kind: PageKind::Search,
        });
        pages.push(Page {
            path: format!("{}index.html", conformance::DIR),
            kind: PageKind::Conformance,
        });
        pages.push(Page {
            path: "404.html".into(),
            kind: PageKind::NotFound,
        });
        // A sitemap lists absolute URLs: without a public address there is none (the
        // build warns, see `no_sitemap_warning`).
        if self.site.absolute_base().is_some() {
            pages.push(Page {
                path: "sitemap.xml".into(),
                kind: PageKind::Sitemap,
            });
        }
        // The print edition last: it renders its own sections in parallel, so it keeps
        // every core busy however late it starts, and by then the exports (made beside the
        // pages) are done, so the two largest pieces of work are not in memory together.
        pages.push(Page {
            path: format!("{}index.html", print::DIR),
            kind: PageKind::Print,
        });
        pages
    }

    /// Renders one page.
    pub fn render(&self, page: &Page) -> Result<String, Diagnostic> {
        let html = budget::on_page(&page.path, || self.render_template(page))?;
        Ok(self.place_sidebar(html, page))
    }

    /// Renders one page as parts to be written one after the other: one for most pages,
    /// many for the print edition (tens of MB for a large framework, never copied into
    /// one string). Without `sidebar`, the sidebar's slot is left empty: for a check,
    /// which reads a page's own links and checks the shared sidebars once on their own.
    pub fn render_parts(&self, page: &Page, sidebar: bool) -> Result<Vec<String>, Diagnostic> {
        let mut parts = budget::on_page(&page.path, || self.render_kind_parts(page))?;
        if sidebar {
            if let Some(first) = parts.first_mut() {
                *first = self.place_sidebar(std::mem::take(first), page);
            }
        }
        Ok(parts)
    }

    /// The parts of one page, without its sidebar.
    fn render_kind_parts(&self, page: &Page) -> Result<Vec<String>, Diagnostic> {
        Ok(match page.kind {
            PageKind::Print => self.render_print(page)?,
            PageKind::Node(_)
            | PageKind::Permalink(_)
            | PageKind::ReferenceIndex
            | PageKind::ReferenceSeries(_)
            | PageKind::ReferenceDocument(..)
            | PageKind::Search
            | PageKind::Conformance
            | PageKind::NotFound
            | PageKind::Sitemap
            | PageKind::CrosswalkIndex
            | PageKind::Crosswalk(_)
            | PageKind::Changes
            | PageKind::Release(_)
            | PageKind::FormerId(_) => vec![self.render_template(page)?],
        })
    }

    fn render_template(&self, page: &Page) -> Result<String, Diagnostic> {
        match page.kind {
            PageKind::Node(node) => self.render_node(page, node),
            PageKind::Permalink(node) => self.render_permalink(page, node),
            PageKind::ReferenceIndex => self.render_reference_index(page),
            PageKind::ReferenceSeries(s) => self.render_reference_page(page, s, None),
            PageKind::ReferenceDocument(s, d) => self.render_reference_page(page, s, Some(d)),
            PageKind::Print => Ok(self.render_print(page)?.concat()),
            PageKind::Search => self.render_search(page),
            PageKind::Conformance => self.render_conformance(page),
            PageKind::NotFound => self.render_not_found(),
            PageKind::Sitemap => self.render_sitemap(),
            PageKind::CrosswalkIndex => self.render_crosswalk_index(page),
            PageKind::Crosswalk(c) => self.render_crosswalk(page, c),
            PageKind::Changes => self.render_changes_index(page),
            PageKind::Release(step) => self.render_release(page, step),
            PageKind::FormerId(former) => self.render_former_id(page, former),
        }
    }

    fn run(&self, template: &str, context: &Context) -> Result<String, Diagnostic> {
        let build = &self.framework.config.build;
        let limit = Duration::from_secs(build.render_timeout);
        let rendered = budget::run(limit, template, || {
            let mut writer = budget::BudgetWriter::new();
            self.tera
                .render_to(template, context, &mut writer)
                .map(|()| writer.bytes)
        });
        match rendered {
            Ok(bytes) => Ok(String::from_utf8(bytes)
                .unwrap_or_else(|err| String::from_utf8_lossy(err.as_bytes()).into_owned())),
            Err(err) if is_out_of_time(&err) => Err(Diagnostic::error(
                "E0064",
                budget::out_of_time_message(template, &budget::current_page(), limit),
            )
            .at(Span::file(format!("themes/{}/templates/{template}", build.theme)))
            .help("look for loops and components that call themselves; raise `[build] render-timeout` in book.toml if the page is just large")),
            Err(err) => Err(template_error(&err, template, &build.theme)),
        }
    }

    /// The children of a concept that the sidebar lists: those with a page of their own.
    fn sidebar_children(&self, concept: usize) -> impl Iterator<Item = usize> + '_ {
        let nodes = &self.framework.nodes;
        nodes[concept]
            .children
            .iter()
            .copied()
            .filter(|&k| nodes[k].has_page)
    }

    /// Renders the sidebar for pages `root` away from the site root. Lists the categories
    /// of every concept, or when the sidebar is too large for that, of `open` only.
    fn render_sidebar(&self, root: &str, open: Option<usize>) -> Result<String, Diagnostic> {
        let concepts: Vec<_> = self
            .concepts
            .iter()
            .map(|&c| {
                let node = &self.framework.nodes[c];
                let listed = self.sidebar_lists_all || open == Some(c);
                let children: Vec<LinkView> = self
                    .sidebar_children(c)
                    .filter(|_| listed)
                    .map(|k| self.link(k, ""))
                    .collect();
                serde_json::json!({
                    "id": node.shown_id(), "title": node.title_or_id(), "url": self.index.urls[c], "children": children,
                })
            })
            .collect();
        let mut context = Context::new();
        context.insert("root", root);
        context.insert("home", if root.is_empty() { "./" } else { root });
        context.insert("concepts", &concepts);
        self.run("partials/sidebar.html", &context)
    }

    /// Renders the sidebar for pages `root` away from the site root, and finds where
    /// each page's marks go.
    fn make_sidebar(&self, root: &str, open: Option<usize>) -> Result<Sidebar, Diagnostic> {
        let html = self.render_sidebar(root, open)?;
        let wrapped = format!("{SHARED_START}{html}{SHARED_END}");
        let concept_urls = self.concepts.iter().map(|&c| self.index.urls[c].as_str());
        Ok(Sidebar::new(wrapped, root, concept_urls))
    }

    /// Puts the sidebar, marked for this page, where the template left its slot.
    fn place_sidebar(&self, html: String, page: &Page) -> String {
        let Some(at) = memchr::memmem::find(html.as_bytes(), SIDEBAR_SLOT.as_bytes()) else {
            return html;
        };
        let dir = page.dir();
        let sidebar = match page.kind {
            PageKind::NotFound => &self.not_found_sidebar,
            _ => {
                let depth = dir.matches('/').count();
                let variants = self.sidebars.get(depth).or(self.sidebars.last());
                match variants.and_then(|v| v.get(self.sidebar_variant(page)).or(v.first())) {
                    Some(sidebar) => sidebar,
                    None => return html,
                }
            }
        };
        let marks = self.marks(page);
        let mut out = String::with_capacity(html.len() + sidebar.html.len() + 64);
        out.push_str(&html[..at]);
        sidebar.write_for_page(marks, &mut out);
        out.push_str(&html[at + SIDEBAR_SLOT.len()..]);
        out
    }

    /// Which of a depth's sidebars a page shows: 0 lists no concept's categories (or all of
    /// them, for small frameworks), `i + 1` lists those of the `i`th concept, the page's own.
    fn sidebar_variant(&self, page: &Page) -> usize {
        if self.sidebar_lists_all {
            return 0;
        }
        let PageKind::Node(mut node) = page.kind else {
            return 0;
        };
        let nodes = &self.framework.nodes;
        while let Some(parent) = nodes[node].parent.filter(|&p| p != 0) {
            node = parent;
        }
        self.concepts
            .iter()
            .position(|&c| c == node)
            .map_or(0, |i| i + 1)
    }

    /// Which sidebar entries a page marks: itself, its nearest listed ancestor, its concept.
    fn marks(&self, page: &Page) -> Marks<'_> {
        let urls = &self.index.urls;
        match page.kind {
            PageKind::Node(node) => {
                let mut marks = Marks::default();
                let mut at = Some(node);
                while let Some(n) = at {
                    let sidebar_lists = n == 0 || self.framework.nodes[n].depth <= 2;
                    if sidebar_lists && marks.current.is_none() && marks.ancestor.is_none() {
                        if n == node {
                            marks.current = Some(urls[n].as_str());
                        } else {
                            marks.ancestor = Some(urls[n].as_str());
                        }
                    }
                    if self.framework.nodes[n].parent == Some(0) {
                        marks.open = Some(urls[n].as_str());
                    }
                    at = self.framework.nodes[n].parent;
                }
                marks
            }
            PageKind::ReferenceIndex => Marks {
                current: Some("references/"),
                ..Marks::default()
            },
            PageKind::ReferenceSeries(_) | PageKind::ReferenceDocument(..) => Marks {
                ancestor: Some("references/"),
                ..Marks::default()
            },
            _ => Marks::default(),
        }
    }

    /// A link to a node, relative to the page folder `from`.
    fn link(&self, node: usize, from: &str) -> LinkView {
        let target = &self.framework.nodes[node];
        LinkView {
            // Shown beside the title: the publisher's label when there is one.
            id: target.shown_id().to_string(),
            title: target.title_or_id().to_string(),
            url: relative_url(from, &self.index.urls[node]),
        }
    }

    fn base_context(&self, page: &Page, title: &str) -> Context {
        let dir = page.dir();
        let mut context = Context::new();
        context.insert("root", &root_prefix(dir));
        context.insert("page_title", title);
        context.insert("sidebar", SIDEBAR_SLOT);
        context.insert(
            "canonical",
            &self.site.absolute_base().map(|b| format!("{b}{dir}")),
        );
        context.insert("description", &None::<String>);
        context.insert("breadcrumbs", &Vec::<LinkView>::new());
        context.insert("prev", &None::<LinkView>);
        context.insert("next", &None::<LinkView>);
        context.insert("history", "");
        context
    }
}

/// The most categories the sidebar lists for all concepts at once; beyond it, a page's
/// sidebar lists only its own concept's categories (the others are a link each).
pub const SIDEBAR_FULL_LIMIT: usize = 80;

/// Where a template's `{{ sidebar | safe }}` puts the sidebar; replaced after rendering,
/// so the large shared sidebar never passes through the template engine.
pub const SIDEBAR_SLOT: &str = "<!--fw:sidebar-->";

/// Marks the start of HTML shared by many pages (see [`Renderer::shared_fragments`]).
pub const SHARED_START: &str = "<!--fw:shared-->";
/// Marks the end of HTML shared by many pages.
pub const SHARED_END: &str = "<!--/fw:shared-->";

/// `../` once per folder of `dir`: the way from a page back to the site root.
pub fn root_prefix(dir: &str) -> String {
    "../".repeat(dir.matches('/').count())
}

/// The URL of `target` (relative to the site root) as seen from the page folder `from`.
pub fn relative_url(from: &str, target: &str) -> String {
    if let Some(fragment) = target
        .strip_prefix(from)
        .filter(|rest| rest.starts_with('#'))
    {
        return fragment.to_string();
    }
    let mut url = root_prefix(from);
    url.push_str(target);
    if url.is_empty() {
        "./".into()
    } else {
        url
    }
}

fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// True when a template run stopped because it ran out of time.
fn is_out_of_time(err: &tera::Error) -> bool {
    let mut current: Option<&dyn std::error::Error> = Some(err);
    while let Some(error) = current {
        if error.to_string().contains(budget::OUT_OF_TIME) {
            return true;
        }
        current = error.source();
    }
    false
}

fn template_error(err: &tera::Error, template: &str, theme: &str) -> Diagnostic {
    let mut message = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(inner) = source {
        message.push_str(&format!(": {inner}"));
        source = inner.source();
    }
    // Tera shows the place as ` --> NAME:LINE:COLUMN` with an excerpt: keep the first line
    // as the message and point at the place (a file when the theme overrides the template).
    let place = message.split(" --> ").nth(1).and_then(|rest| {
        let mut parts = rest.split_whitespace().next()?.rsplitn(3, ':');
        let column = parts.next()?.parse::<usize>().ok()?;
        let line = parts.next()?.parse::<usize>().ok()?;
        Some((parts.next()?.to_string(), line, column))
    });
    let summary = message.lines().next().unwrap_or("").trim();
    let summary = summary.strip_prefix("error: ").unwrap_or(summary);
    // Without a place, the template the message names (a circular include or extends:
    // "… for template 'NAME'"), else the one that was run (none when compiling them all).
    let named = summary
        .split("template '")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .filter(|name| !name.is_empty());
    let (template, span) = match (place, named) {
        (Some((name, line, column)), _) => {
            let span = Span::at(format!("themes/{theme}/templates/{name}"), line, column);
            (name, span)
        }
        (None, Some(name)) => (
            name.to_string(),
            Span::file(format!("themes/{theme}/templates/{name}")),
        ),
        (None, None) if template.is_empty() => {
            let span = Span::file(format!("themes/{theme}/templates/"));
            return Diagnostic::error("E0062", format!("template error: {summary}")).at(span);
        }
        (None, None) => (
            template.to_string(),
            Span::file(format!("themes/{theme}/templates/{template}")),
        ),
    };
    Diagnostic::error("E0062", format!("template error in {template}: {summary}")).at(span)
}
