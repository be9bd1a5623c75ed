//! `framewright serve`: builds the site into memory, serves it on loopback, watches the
//! sources, rebuilds only what a change touches, and tells open pages to reload.

mod http;
mod server;
mod watch;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::{bail, Context as _, Result};

use crate::diagnostics::{self, Diagnostic};
use crate::index::references::ReferenceIndex;
use crate::linkcheck;
use crate::load::{self, Reload};
use crate::model::{Kind, Node, Reference};
use crate::render::{PageKind, Renderer, Templates, Theme};
use crate::{BuildError, Project, SiteSink};
pub use http::{content_type, site_path, Shared, PREFIX};

/// What the command line may set.
#[derive(Debug, Clone, Default)]
pub struct ServeOptions {
    /// Address to bind (default: `[serve] address`, else 127.0.0.1).
    pub address: Option<String>,
    /// Port (default: `[serve] port`, else 3000); the next free one is used when busy.
    pub port: Option<u16>,
    /// Open the site in the default browser.
    pub open: bool,
}

/// Files kept in memory, shared with the HTTP threads.
type Files = HashMap<String, Arc<Vec<u8>>>;

/// Collects a build's files in memory.
#[derive(Default)]
struct MemorySink(Mutex<Files>);

impl SiteSink for MemorySink {
    fn put(&self, rel: &str, bytes: Vec<u8>) -> Result<()> {
        if let Ok(mut files) = self.0.lock() {
            files.insert(rel.to_string(), Arc::new(bytes));
        }
        Ok(())
    }
}

/// The last good build, kept to rebuild from.
struct Built {
    project: Project,
    theme: Theme,
    templates: Templates,
    links: linkcheck::ScannedPages,
}

/// What one rebuild did, for the terminal line.
#[derive(Debug)]
pub struct RebuildReport {
    /// Pages rendered.
    pub pages: usize,
    /// True when the whole site was rebuilt.
    pub full: bool,
    /// Warnings.
    pub diagnostics: Vec<Diagnostic>,
}

/// The live site: the last good build and the shared state the server reads.
pub struct LiveSite {
    root: PathBuf,
    shared: Arc<Shared>,
    built: Option<Built>,
    /// Changes that the last good build does not have, because their rebuild failed: read
    /// again with the next change, so that a save of another file cannot hide their error.
    unpublished: BTreeSet<PathBuf>,
    /// True when an incremental rebuild changed content that the exports show.
    exports_stale: bool,
}

/// What an incremental rebuild changed in the last good build, to put back when it fails:
/// the model and the index then stay those of the files being served.
#[derive(Default)]
struct Undo {
    /// The changed files' nodes as they were.
    nodes: Vec<(usize, Node)>,
    /// The reference index as it was, when it was rebuilt.
    references: Option<ReferenceIndex>,
    /// Scanned links of pages as they were (None: the page was not there).
    links: Vec<(String, Option<linkcheck::PageLinks>)>,
}

impl Undo {
    fn apply(self, built: &mut Built) {
        let nodes = &mut built.project.framework.nodes;
        for (index, node) in self.nodes {
            nodes[index] = node;
        }
        if let Some(references) = self.references {
            built.project.index.references = references;
        }
        for (path, links) in self.links.into_iter().rev() {
            match links {
                Some(links) => built.links.insert(path, links),
                None => built.links.remove(&path),
            };
        }
    }
}

impl LiveSite {
    /// A live site for the project at `root`, publishing into `shared`.
    pub fn new(root: &Path, shared: Arc<Shared>) -> LiveSite {
        LiveSite {
            root: root.to_path_buf(),
            shared,
            built: None,
            unpublished: BTreeSet::new(),
            exports_stale: false,
        }
    }

    /// Rebuilds everything. On failure the previous files stay published.
    pub fn full_rebuild(&mut self) -> Result<RebuildReport, BuildError> {
        // Served at the root of a local server, whatever the published base URL is.
        let project = Project::open(&self.root, Some("/"))?;
        if project.has_errors() {
            return Err(BuildError::Content(project.diagnostics));
        }
        let config = &project.framework.config;
        let theme = Theme::load(&self.root, &config.build).map_err(BuildError::Content)?;
        let templates =
            Templates::compile(&theme, config).map_err(|d| BuildError::Content(vec![d]))?;
        let sink = MemorySink::default();
        let links = crate::produce(
            &project,
            &theme,
            &templates,
            &sink,
            &crate::WorkTimes::default(),
        )?;
        let files = sink.0.into_inner().unwrap_or_default();
        self.shared.replace_all(files);
        let report = RebuildReport {
            pages: links.len(),
            full: true,
            diagnostics: [&project.diagnostics[..], &theme.warnings[..]].concat(),
        };
        self.built = Some(Built {
            project,
            theme,
            templates,
            links,
        });
        self.unpublished.clear();
        self.exports_stale = false;
        Ok(report)
    }

    /// Rebuilds after `changes` (paths relative to the project): incrementally when only
    /// Markdown content changed, in full otherwise. An incremental rebuild that fails is
    /// retried in full before its error is reported: it patches the last good build, and
    /// only the whole project, read afresh as `build` reads it, says whether the error is
    /// real.
    pub fn rebuild(&mut self, changes: &BTreeSet<PathBuf>) -> Result<RebuildReport, BuildError> {
        let mut all = std::mem::take(&mut self.unpublished);
        all.extend(changes.iter().cloned());
        let result = match self.try_incremental(&all) {
            Some(Ok(report)) => Ok(report),
            Some(Err(_)) | None => self.full_rebuild(),
        };
        if result.is_err() {
            self.unpublished = all;
        }
        result
    }

    /// The changes that can matter: paths that exist now, that the last build read (a
    /// deleted page), or that a failed rebuild read (a broken new file, deleted). An
    /// editor's vanished temporary files are dropped.
    pub fn relevant_changes(&self, changes: BTreeSet<PathBuf>) -> BTreeSet<PathBuf> {
        let Some(built) = &self.built else {
            return changes;
        };
        let framework = &built.project.framework;
        let content_dir = &framework.config.build.content_dir;
        changes
            .into_iter()
            .filter(|path| {
                let read_by_failed = self.unpublished.iter().any(|p| p.starts_with(path));
                if self.root.join(path).exists() || read_by_failed {
                    return true;
                }
                let display = load::display_path(path);
                let in_content = path.strip_prefix(content_dir).ok();
                framework
                    .nodes
                    .iter()
                    .any(|n| n.source.starts_with(&display))
                    || in_content.is_some_and(|rel| {
                        framework.assets.iter().any(|a| a.starts_with(rel))
                            || rel == Path::new(load::REFERENCES_FILE)
                    })
                    || !path.starts_with(content_dir)
            })
            .collect()
    }

    /// None when the change needs a full rebuild. Whatever it returns but success, the
    /// last good build is left as it was.
    fn try_incremental(
        &mut self,
        changes: &BTreeSet<PathBuf>,
    ) -> Option<Result<RebuildReport, BuildError>> {
        let mut undo = Undo::default();
        let result = self.patch(changes, &mut undo);
        if !matches!(result, Some(Ok(_))) {
            if let Some(built) = self.built.as_mut() {
                undo.apply(built);
            }
        }
        result
    }

    /// Reads the changed files into the last good build and re-renders what they show,
    /// noting in `undo` what it changed.
    fn patch(
        &mut self,
        changes: &BTreeSet<PathBuf>,
        undo: &mut Undo,
    ) -> Option<Result<RebuildReport, BuildError>> {
        let built = self.built.as_mut()?;
        let content_dir = built.project.framework.config.build.content_dir.clone();
        let only_markdown = changes.iter().all(|path| {
            path.starts_with(&content_dir)
                && path.extension().is_some_and(|e| e == "md")
                && self.root.join(path).is_file()
        });
        if !only_markdown {
            return None;
        }
        let framework = &mut built.project.framework;
        let mut changed_nodes = Vec::new();
        let mut old_references: Vec<Vec<Reference>> = Vec::new();
        let mut warnings = Vec::new();
        for path in changes {
            let display = load::display_path(path);
            let before: Vec<(usize, Node)> = (0..framework.nodes.len())
                .filter(|&i| framework.nodes[i].source == display)
                .map(|i| (i, framework.nodes[i].clone()))
                .collect();
            let result = load::reload_file(framework, &self.root, path);
            match result {
                Reload::Updated { nodes, diagnostics } => {
                    old_references.extend(nodes.iter().filter_map(|n| {
                        let old = before.iter().find(|(i, _)| i == n)?;
                        Some(old.1.references.clone())
                    }));
                    undo.nodes.extend(before);
                    changed_nodes.extend(nodes);
                    warnings.extend(diagnostics);
                }
                Reload::Failed(diagnostics) => {
                    return Some(Err(BuildError::Content(diagnostics)));
                }
                Reload::Structural => return None,
            }
        }
        let new_references: Vec<&Vec<Reference>> = changed_nodes
            .iter()
            .map(|&n| &framework.nodes[n].references)
            .collect();
        let citations_changed = old_references.iter().ne(new_references.iter().copied());
        let mut touched_series: HashSet<String> = HashSet::new();
        if citations_changed {
            let all = old_references.iter().chain(new_references.iter().copied());
            for citation in all.flatten().flat_map(|r| &r.citations) {
                touched_series.extend(citation.series.clone());
            }
            let rebuilt = ReferenceIndex::build(framework);
            undo.references = Some(std::mem::replace(
                &mut built.project.index.references,
                rebuilt,
            ));
        }
        let mut diagnostics = crate::validate::validate(framework, &built.project.index);
        crate::validate::drop_declared_fields(&mut warnings, framework);
        diagnostics.extend(warnings);
        diagnostics::sort(&mut diagnostics);
        if diagnostics.iter().any(Diagnostic::is_error) {
            return Some(Err(BuildError::Content(diagnostics)));
        }
        Some(
            self.render_incremental(&changed_nodes, citations_changed, &touched_series, undo)
                .map(|pages| RebuildReport {
                    pages,
                    full: false,
                    diagnostics,
                }),
        )
    }

    /// Re-renders the pages that show the changed nodes (and reference pages when
    /// citations changed), checks their links, and publishes them.
    fn render_incremental(
        &mut self,
        changed: &[usize],
        citations_changed: bool,
        touched_series: &HashSet<String>,
        undo: &mut Undo,
    ) -> Result<usize, BuildError> {
        let Some(built) = self.built.as_mut() else {
            return Ok(0);
        };
        let project = &built.project;
        let (framework, index) = (&project.framework, &project.index);
        let mut nodes: HashSet<usize> = HashSet::new();
        for &node in changed {
            nodes.insert(index.page_of[node]);
            if let Some(parent) = framework.nodes[node].parent {
                nodes.insert(index.page_of[parent]);
            }
            if framework.nodes[node].kind == Kind::Concept {
                nodes.insert(0); // the home page shows concept descriptions
            }
        }
        // The history is the one of the last full build: an edit that changes what an
        // item's history line says shows after the next full rebuild.
        let renderer = Renderer::new(framework, &project.crosswalks, index, &built.templates)
            .map_err(|d| BuildError::Content(vec![d]))?
            .with_history(&project.history);
        let series = &index.references.series;
        // Every kind is named, so that a new kind is placed here, not forgotten. A reload
        // never changes ids, titles, kinds or order (that is `Reload::Structural`, a full
        // rebuild), so pages that show only those stay as they are.
        let wanted = |kind: &PageKind| match *kind {
            PageKind::Node(node) => nodes.contains(&node),
            // The reference pages list the citing items (by id and title) with their
            // citations.
            PageKind::ReferenceIndex => citations_changed,
            PageKind::ReferenceSeries(s) | PageKind::ReferenceDocument(s, _) => {
                citations_changed && touched_series.contains(&series[s].series)
            }
            // Small pages whose content follows any change of content: the conformance
            // counts, the crosswalks (which show descriptions), and the sitemap (which
            // lists the cited series and documents).
            PageKind::Conformance
            | PageKind::CrosswalkIndex
            | PageKind::Crosswalk(_)
            | PageKind::Sitemap => true,
            // A redirect with the node's id and title; the search page, the 404 page
            // (book title and sidebar): none shows what a reload can change.
            PageKind::Permalink(_) | PageKind::Search | PageKind::NotFound => false,
            // The print edition shows every node; it is large, so it is re-rendered when
            // the project is idle (see `refresh_exports`), never on the reload path.
            PageKind::Print => false,
            // The releases' pages show the history read at the last full rebuild, which
            // an edit of the current content does not re-read.
            PageKind::Changes | PageKind::Release(_) | PageKind::FormerId(_) => false,
        };
        let all_pages = renderer.pages();
        // Pages of series or documents no longer cited go away, as in a build.
        let gone: Vec<String> = if citations_changed {
            let now: HashSet<&str> = all_pages.iter().map(|p| p.path.as_str()).collect();
            built
                .links
                .keys()
                .filter(|path| path.starts_with("references/") && !now.contains(path.as_str()))
                .cloned()
                .collect()
        } else {
            Vec::new()
        };
        let pages: Vec<_> = all_pages.into_iter().filter(|p| wanted(&p.kind)).collect();
        let mut rendered = Vec::with_capacity(pages.len());
        {
            use rayon::prelude::*;
            let results: Vec<_> = pages
                .par_iter()
                .map(|page| renderer.render(page).map(|html| (page.path.clone(), html)))
                .collect();
            for result in results {
                rendered.push(result.map_err(|d| BuildError::Content(vec![d]))?);
            }
        }
        // Pages that went away first, so that no re-rendered page may link to them.
        for path in &gone {
            undo.links.push((path.clone(), built.links.remove(path)));
        }
        for (path, html) in &rendered {
            let before = built.links.insert(path.clone(), linkcheck::scan(html));
            undo.links.push((path.clone(), before));
        }
        let files: linkcheck::Paths = crate::other_files(project, &built.theme)
            .into_iter()
            .collect();
        let which: Vec<&str> = rendered.iter().map(|(p, _)| p.as_str()).collect();
        let site = &framework.config.site;
        let broken = linkcheck::verify_pages(&which, &built.links, &files, &site.base_path());
        if !broken.is_empty() {
            return Err(BuildError::Content(broken));
        }
        let count = rendered.len();
        let files: Files = rendered
            .into_iter()
            .map(|(path, html)| (path, Arc::new(html.into_bytes())))
            .collect();
        self.shared.remove(&gone);
        self.shared.extend(files);
        self.exports_stale = true;
        Ok(count)
    }

    /// Regenerates the export files, the search index and the print edition when content
    /// changed since they were made, and announces those that changed (a `refresh` event
    /// after the `reload`). Called when the project is idle, so that it never delays a
    /// reload. Returns the paths that changed.
    pub fn refresh_exports(&mut self) -> Vec<String> {
        if !std::mem::take(&mut self.exports_stale) {
            return Vec::new();
        }
        let Some(built) = &self.built else {
            return Vec::new();
        };
        let sink = MemorySink::default();
        if crate::write_exports(&built.project, &sink).is_err() {
            return Vec::new();
        }
        let mut files = sink.0.into_inner().unwrap_or_default();
        if let Some((path, html)) = render_print(built) {
            files.insert(path, Arc::new(html.into_bytes()));
        }
        let changed: Files = match self.shared.files.read() {
            Ok(current) => files
                .into_iter()
                .filter(|(path, bytes)| current.get(path) != Some(bytes))
                .collect(),
            Err(_) => return Vec::new(),
        };
        let mut paths: Vec<String> = changed.keys().cloned().collect();
        paths.sort();
        if !paths.is_empty() {
            self.shared.extend(changed);
            self.shared.publish_refresh(paths.clone());
        }
        paths
    }
}

/// The print edition of the last good build: its path and HTML.
fn render_print(built: &Built) -> Option<(String, String)> {
    let project = &built.project;
    let (framework, index) = (&project.framework, &project.index);
    let renderer = Renderer::new(framework, &project.crosswalks, index, &built.templates)
        .ok()?
        .with_history(&project.history);
    let page = renderer
        .pages()
        .into_iter()
        .find(|p| p.kind == PageKind::Print)?;
    let html = renderer.render(&page).ok()?;
    Some((page.path, html))
}

/// Binds the first free port from `port` on (trying ten), and says which it took.
fn bind(address: &str, port: u16) -> Result<(server::Server, SocketAddr)> {
    let mut last_error = None;
    for candidate in port..port.saturating_add(10) {
        let addr = (address, candidate)
            .to_socket_addrs()
            .with_context(|| format!("cannot resolve address `{address}`"))?
            .next()
            .with_context(|| format!("no address found for `{address}`"))?;
        match server::Server::bind(addr, server::Limits::default()) {
            Ok(server) => {
                let bound = server.local_addr().unwrap_or(addr);
                return Ok((server, bound));
            }
            Err(err) => last_error = Some(err),
        }
        if port == 0 {
            break;
        }
    }
    bail!(
        "cannot listen on {address}:{port} or the nine ports after it: {}",
        last_error.map_or_else(String::new, |e| e.to_string())
    )
}

/// Opens `url` in the default browser. The opener's own output is not shown (without a
/// browser, xdg-open prints several lines of noise): when it fails, one note says where
/// the site is. It is waited for on a thread of its own, as some openers run the browser.
fn open_browser(url: &str) {
    let command = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(target_os = "windows") {
        ("cmd", vec!["/C", "start", url])
    } else {
        ("xdg-open", vec![url])
    };
    let note = format!("note: could not open a browser; visit {url}");
    let child = std::process::Command::new(command.0)
        .args(command.1)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    match child {
        Ok(mut child) => {
            std::thread::spawn(move || {
                if !child.wait().is_ok_and(|status| status.success()) {
                    eprintln!("{note}");
                }
            });
        }
        Err(_) => eprintln!("{note}"),
    }
}

/// Prints a failed build's diagnostics; returns them for the page's overlay. `built` tells
/// whether a good build exists to keep serving (none when the first build failed).
fn print_failure(err: &BuildError, root: &Path, color: bool, built: bool) -> String {
    match err {
        BuildError::Content(diagnostics) => {
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            eprint!("{}", diagnostics::render_human(diagnostics, root, color));
            if built {
                eprintln!("  ✗ {errors} error(s); still serving the last good build");
            } else {
                eprintln!("  ✗ {errors} error(s); the site is shown once they are fixed");
            }
            diagnostics::render_human(diagnostics, root, false)
        }
        BuildError::Io(err) => {
            eprintln!("error: {err:#}");
            format!("{err:#}")
        }
    }
}

/// A page shown when the very first build fails (there is no good build to show yet).
fn placeholder_files() -> Files {
    let page = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>framewright</title></head>\
                <body><p>The site has not been built yet: see the error.</p></body></html>";
    let mut files = Files::new();
    files.insert("index.html".into(), Arc::new(page.as_bytes().to_vec()));
    files.insert("404.html".into(), Arc::new(page.as_bytes().to_vec()));
    files
}

/// Runs the preview server until Ctrl-C.
pub fn serve(root: &Path, options: ServeOptions, color: bool) -> Result<()> {
    let config = crate::config::Config::load(root).unwrap_or_default();
    let shared = Arc::new(Shared::default());
    let mut live = LiveSite::new(root, Arc::clone(&shared));
    // Watch before the first build, so that no change made from now on can be missed.
    let watcher =
        watch::ProjectWatcher::start(root).context("cannot watch the project for changes")?;
    let started = Instant::now();
    match live.full_rebuild() {
        Ok(report) => {
            eprint!(
                "{}",
                diagnostics::render_human(&report.diagnostics, root, color)
            );
            eprintln!(
                "Built {} pages in {} ms",
                report.pages,
                started.elapsed().as_millis()
            );
            shared.publish(None);
        }
        Err(err) => {
            let text = print_failure(&err, root, color, false);
            shared.replace_all(placeholder_files());
            shared.publish(Some(text));
        }
    }
    let address = options.address.unwrap_or(config.serve.address.clone());
    let port = options.port.unwrap_or(config.serve.port);
    let (server, bound) = bind(&address, port)?;
    if bound.port() != port && port != 0 {
        eprintln!("note: port {port} is busy; using {} instead", bound.port());
    }
    let loopback = match address.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => address == "localhost",
    };
    if !loopback {
        eprintln!("warning: serving on {address}, which other machines may reach; the preview server is meant for loopback");
    }
    let url = format!("http://{bound}/");
    eprintln!("Serving {} at {url} (Ctrl-C to stop)", config.book.title);
    {
        let shared = Arc::clone(&shared);
        std::thread::spawn(move || server.run(move |request| http::handle(request, &shared)));
    }
    {
        let shared = Arc::clone(&shared);
        let _ = ctrlc::set_handler(move || {
            if let Ok(mut status) = shared.status.lock() {
                status.stopping = true;
            }
            shared.changed.notify_all();
            eprintln!("\nStopped.");
            std::process::exit(0);
        });
    }
    if options.open {
        open_browser(&url);
    }
    watch_loop(root, &watcher, &mut live, &shared, color)
}

fn watch_loop(
    root: &Path,
    watcher: &watch::ProjectWatcher,
    live: &mut LiveSite,
    shared: &Shared,
    color: bool,
) -> Result<()> {
    loop {
        let content_dir = crate::config::Config::load(root)
            .map(|c| c.build.content_dir)
            .unwrap_or_else(|_| PathBuf::from("content"));
        let relevant = |path: &Path| watch::is_source_path(path, &content_dir);
        let mut idle = || {
            live.refresh_exports();
        };
        let Some(changes) = watcher.next_changes(&relevant, &mut idle) else {
            return Ok(());
        };
        let changes = live.relevant_changes(changes);
        if changes.is_empty() {
            continue;
        }
        let started = Instant::now();
        let names: Vec<String> = changes.iter().map(|p| load::display_path(p)).collect();
        match live.rebuild(&changes) {
            Ok(report) => {
                shared.publish(None);
                let took = started.elapsed();
                eprint!(
                    "{}",
                    diagnostics::render_human(&report.diagnostics, root, color)
                );
                eprintln!(
                    "  ✓ {}: {} {} page{} in {:.1} ms",
                    names.join(", "),
                    if report.full {
                        "rebuilt all,"
                    } else {
                        "re-rendered"
                    },
                    report.pages,
                    if report.pages == 1 { "" } else { "s" },
                    took.as_secs_f64() * 1000.0
                );
            }
            Err(err) => {
                eprintln!("  ✗ {}", names.join(", "));
                let text = print_failure(&err, root, color, live.built.is_some());
                shared.publish(Some(text));
            }
        }
    }
}
