//! framewright: a static-site generator for cybersecurity frameworks.
//!
//! The pipeline runs one way: [`load`] (into the [`model`]) → [`index`] → [`validate`] →
//! [`crosswalk`] → [`render`] → [`linkcheck`] → [`write`](mod@write), with [`export`]
//! beside the pages. [`build`] and [`check`] run it for the command line and for tests.
//! A module imports only modules below it; ARCHITECTURE.md declares the order and
//! `tests/architecture.rs` keeps it.

// A Diagnostic is the error of most stages; it is rare and carries what the user needs
// (span, help, related places), so it is returned by value rather than boxed.
#![allow(clippy::result_large_err)]

pub mod boundary;
pub mod citation;
pub mod config;
pub mod crosswalk;
pub mod diagnostics;
pub mod diff;
pub mod export;
pub mod highlight;
pub mod html;
pub mod import;
pub mod index;
pub mod init;
pub mod linkcheck;
pub mod load;
pub mod markdown;
pub mod model;
pub mod oscal;
pub mod render;
pub mod sanitize;
pub mod serve;
pub mod validate;
pub mod write;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use config::Config;
use diagnostics::Diagnostic;
use index::SiteIndex;
use markdown::CodeBlocks;
use model::Framework;
use render::theme::StaticFile;
use render::{Renderer, Templates, Theme};
use write::SiteWriter;

/// What `build` may change from book.toml.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Write here instead of `[build] build-dir`.
    pub dest_dir: Option<PathBuf>,
    /// Use this instead of `[site] base-url`.
    pub base_url: Option<String>,
}

/// Why a build failed.
#[derive(Debug)]
pub enum BuildError {
    /// The content has errors (exit status 1). Holds every diagnostic, warnings included.
    Content(Vec<Diagnostic>),
    /// Reading or writing failed (exit status 2).
    Io(anyhow::Error),
}

impl From<anyhow::Error> for BuildError {
    fn from(err: anyhow::Error) -> BuildError {
        BuildError::Io(err)
    }
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    /// Where the site was written.
    pub output: PathBuf,
    /// Number of files written.
    pub files: usize,
    /// Number of HTML pages among them.
    pub pages: usize,
    /// Files written because they were new or changed (the others were already in place),
    /// and files of the previous site removed.
    pub changes: write::CommitSummary,
    /// Warnings found.
    pub diagnostics: Vec<Diagnostic>,
    /// Time per stage, in pipeline order.
    pub timings: Vec<StageTiming>,
    /// Time per kind of work during render+write, summed over threads.
    pub work: Vec<(&'static str, Duration)>,
}

/// A framework read and checked, ready to render.
pub struct Project {
    /// The project folder.
    pub root: PathBuf,
    /// The model.
    pub framework: Framework,
    /// Crosswalks to other frameworks (`content/mappings/*.yaml`), read after the content
    /// is checked; beside the model, not in it.
    pub crosswalks: Vec<crosswalk::Crosswalk>,
    /// What is derived from it.
    pub index: SiteIndex,
    /// Every diagnostic found, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// What the releases named in book.toml changed (empty when it names none).
    pub history: diff::history::History,
    /// Time per stage so far.
    pub timings: Vec<StageTiming>,
}

impl Project {
    /// Runs load, index and validate. Content errors are in `diagnostics`; only an
    /// unreadable book.toml stops here.
    pub fn open(root: &Path, base_url: Option<&str>) -> Result<Project, BuildError> {
        Project::open_with(root, base_url, CodeBlocks::Highlight)
    }

    /// [`Project::open`], doing with code blocks as `code` says (a project opened to be
    /// checked need not highlight them).
    pub fn open_with(
        root: &Path,
        base_url: Option<&str>,
        code: CodeBlocks,
    ) -> Result<Project, BuildError> {
        let mut timer = Timer::new();
        // Problems in book.toml are reported with the content's (checked with the defaults
        // for the entries in error); only a file that is not TOML at all stops here.
        let (mut config, mut config_problems) =
            Config::load_checked(root).map_err(BuildError::Content)?;
        if let Some(base_url) = base_url {
            if let Some(problem) = config::base_url_problem(base_url) {
                config_problems.push(
                    Diagnostic::error("E0004", format!("`--base-url` {problem}"))
                        .help("use a path such as \"/repo/\" or a full http(s) address"),
                );
            }
            config.site.base_url = base_url.to_string();
        }
        let (framework, mut diagnostics) = load::load_with(root, config, code);
        validate::drop_declared_fields(&mut diagnostics, &framework);
        diagnostics.extend(config_problems);
        timer.lap("load");
        let index = SiteIndex::build(&framework);
        timer.lap("index");
        diagnostics.extend(validate::validate(&framework, &index));
        let (crosswalks, found) = crosswalk::load(root, &framework, &index);
        diagnostics.extend(found);
        diagnostics::drop_consequences(&mut diagnostics);
        diagnostics::sort(&mut diagnostics);
        timer.lap("validate");
        let history = match diff::history::load_history(root, &framework) {
            Ok(history) => history,
            Err(errors) => {
                diagnostics.extend(errors);
                diff::history::History::default()
            }
        };
        if !framework.config.releases.is_empty() {
            timer.lap("releases");
        }
        Ok(Project {
            root: root.to_path_buf(),
            framework,
            crosswalks,
            index,
            diagnostics,
            history,
            timings: timer.laps,
        })
    }

    /// True when any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// How long one stage of a run took, and the process's peak memory at its end.
#[derive(Debug, Clone, Copy)]
pub struct StageTiming {
    /// The stage: load, index, validate, render+write, commit.
    pub stage: &'static str,
    /// Wall time of the stage.
    pub time: Duration,
    /// Peak resident memory of the process so far, in bytes (where the system tells).
    pub peak_memory: Option<u64>,
}

/// Time spent on each kind of work while the pages render, summed over the threads that
/// share it (render and write are interleaved page by page, so wall time cannot split them).
#[derive(Debug, Default)]
pub struct WorkTimes {
    render: AtomicU64,
    links: AtomicU64,
    write: AtomicU64,
    exports: AtomicU64,
}

impl WorkTimes {
    fn add(counter: &AtomicU64, since: Instant) {
        let nanos = u64::try_from(since.elapsed().as_nanos()).unwrap_or(u64::MAX);
        counter.fetch_add(nanos, Ordering::Relaxed);
    }

    /// Each kind of work with its summed time: render, link scan, write, exports.
    pub fn summary(&self) -> Vec<(&'static str, Duration)> {
        [
            ("render", &self.render),
            ("link scan", &self.links),
            ("write", &self.write),
            ("exports", &self.exports),
        ]
        .into_iter()
        .map(|(name, nanos)| (name, Duration::from_nanos(nanos.load(Ordering::Relaxed))))
        .collect()
    }
}

/// The process's peak resident memory so far (Linux: `VmHWM` of /proc/self/status).
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Measures the stages of a run.
struct Timer {
    start: Instant,
    laps: Vec<StageTiming>,
}

impl Timer {
    fn new() -> Timer {
        Timer {
            start: Instant::now(),
            laps: Vec::new(),
        }
    }

    fn lap(&mut self, stage: &'static str) {
        self.laps.push(StageTiming {
            stage,
            time: self.start.elapsed(),
            peak_memory: peak_memory(),
        });
        self.start = Instant::now();
    }
}

/// Renders every page, handing each to `sink`, and checks the links of the whole output.
/// Returns the ids of every page, and the links whose check needed another page's ids.
pub fn render_all(
    project: &Project,
    theme: &Theme,
    templates: &Templates,
    sink: &dyn SiteSink,
    work: &WorkTimes,
) -> Result<linkcheck::ScannedPages, BuildError> {
    let framework = &project.framework;
    let site = &framework.config.site;
    let base_path = site.base_path();
    let renderer = Renderer::new(framework, &project.crosswalks, &project.index, templates)
        .map_err(|d| BuildError::Content(vec![d]))?
        .with_history(&project.history);
    let pages = renderer.pages();
    let mut files: linkcheck::Paths = other_files(project, theme).into_iter().collect();
    files.extend(pages.iter().map(|p| p.path.clone()));
    let site_files = linkcheck::SiteFiles::new(files);
    let results: Vec<Result<Option<(String, linkcheck::PageLinks)>, BuildError>> = pages
        .par_iter()
        .with_max_len(load::PARALLEL_PIECE)
        .map(|page| {
            let started = Instant::now();
            let parts = renderer
                .render_parts(page, sink.keeps_pages())
                .map_err(|d| BuildError::Content(vec![d]))?;
            WorkTimes::add(&work.render, started);
            let started = Instant::now();
            // Keep only the links that need other pages' ids: half a million otherwise.
            let links = page
                .path
                .ends_with(".html")
                .then(|| linkcheck::scan_unsettled(&parts, &page.path, &site_files, &base_path));
            WorkTimes::add(&work.links, started);
            let started = Instant::now();
            sink.put_parts(&page.path, parts).map_err(BuildError::Io)?;
            WorkTimes::add(&work.write, started);
            Ok(links.map(|links| (page.path.clone(), links)))
        })
        .collect();
    let mut diagnostics = Vec::new();
    let mut scanned =
        linkcheck::ScannedPages::with_capacity_and_hasher(pages.len(), Default::default());
    for result in results {
        match result {
            Ok(Some((path, links))) => {
                scanned.insert(path, links);
            }
            Ok(None) => {}
            Err(BuildError::Content(mut d)) => diagnostics.append(&mut d),
            Err(io) => return Err(io),
        }
    }
    // Shared fragments are checked once each, as if on a page at their depth.
    for (path, html) in renderer.shared_fragments() {
        let mut links = linkcheck::scan(html.replace(render::SHARED_START, "").as_str());
        links.ids.clear();
        scanned.entry(path).or_insert(links);
    }
    if diagnostics.is_empty() {
        diagnostics = linkcheck::verify(&scanned, &site_files.files, &base_path);
        linkcheck::locate_sources(&mut diagnostics, &pages, framework, &project.root);
    }
    if !diagnostics.is_empty() {
        diagnostics.dedup();
        return Err(BuildError::Content(diagnostics));
    }
    Ok(scanned)
}

/// Files of the site that are not rendered pages: theme assets, content assets, exports.
pub fn other_files(project: &Project, theme: &Theme) -> Vec<String> {
    let statics = theme
        .statics
        .iter()
        .map(|(path, _)| format!("static/{path}"));
    let assets = project
        .framework
        .assets
        .iter()
        .map(|a| load::display_path(a));
    // EXPORT_FILES must list every file that `write_exports` writes (a test checks it).
    let exports = EXPORT_FILES.iter().map(|f| f.to_string());
    let cname = project
        .framework
        .config
        .site
        .cname()
        .map(|_| "CNAME".to_string());
    statics.chain(assets).chain(exports).chain(cname).collect()
}

/// Files every build writes beside the pages.
const EXPORT_FILES: [&str; 7] = [
    "framework.json",
    "framework.csv",
    "oscal/catalog.json",
    "crosswalk/mappings.csv",
    "oscal/mapping-collection.json",
    ".nojekyll",
    index::search::FILE,
];

/// Where a build's files go: a folder on disk ([`SiteWriter`]) or memory (the preview server).
pub trait SiteSink: Sync {
    /// Stores one file at `rel`, a `/`-separated path inside the site.
    fn put(&self, rel: &str, bytes: Vec<u8>) -> anyhow::Result<()>;

    /// Stores one file made of `parts`, one after the other (a page rendered in pieces).
    fn put_parts(&self, rel: &str, parts: Vec<String>) -> anyhow::Result<()> {
        self.put(rel, parts.concat().into_bytes())
    }

    /// Stores a copy of the file at `from` at `rel`: at most `limit` bytes, a larger file
    /// is an error naming it. This default reads the file into memory and [`put`]s it (the
    /// preview server keeps its files there); [`SiteWriter`] copies it on disk instead.
    ///
    /// [`put`]: SiteSink::put
    fn put_file(&self, rel: &str, from: &Path, limit: u64) -> anyhow::Result<()> {
        self.put(rel, read_static(from, limit)?)
    }

    /// False for a sink that keeps nothing: pages for it need not be assembled whole.
    fn keeps_pages(&self) -> bool {
        true
    }
}

/// The bytes of the file at `from`, refused when it holds more than `limit`.
fn read_static(from: &Path, limit: u64) -> anyhow::Result<Vec<u8>> {
    use std::io::Read;
    let file = std::fs::File::open(from)
        .map_err(|err| anyhow::anyhow!("cannot read {}: {err}", from.display()))?;
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|err| anyhow::anyhow!("cannot read {}: {err}", from.display()))?;
    if bytes.len() as u64 > limit {
        anyhow::bail!(
            "{} is larger than `[build] max-static-size` ({limit} bytes)",
            from.display()
        );
    }
    Ok(bytes)
}

impl SiteSink for SiteWriter {
    fn put(&self, rel: &str, bytes: Vec<u8>) -> anyhow::Result<()> {
        self.write(rel, &bytes)
    }

    fn put_file(&self, rel: &str, from: &Path, limit: u64) -> anyhow::Result<()> {
        self.copy_file(rel, from, limit)
    }

    fn put_parts(&self, rel: &str, parts: Vec<String>) -> anyhow::Result<()> {
        self.write_parts(rel, &parts)
    }
}

/// Renders the whole site of a checked project into `sink`: pages, theme assets, content
/// assets and exports. Returns the ids and links of every page (for later link checks).
pub fn produce(
    project: &Project,
    theme: &Theme,
    templates: &Templates,
    sink: &dyn SiteSink,
    work: &WorkTimes,
) -> Result<linkcheck::ScannedPages, BuildError> {
    let framework = &project.framework;
    // The exports need no page: make them while the pages render.
    let (pages, exported) = rayon::join(
        || render_all(project, theme, templates, sink, work),
        || {
            let started = Instant::now();
            let exported = write_exports(project, sink);
            WorkTimes::add(&work.exports, started);
            exported
        },
    );
    let pages = pages?;
    exported?;
    // Copied, not read whole: a theme's or the content's files may be large.
    let limit = framework.config.build.max_static_size;
    for (path, file) in &theme.statics {
        let rel = format!("static/{path}");
        match file {
            StaticFile::Embedded(bytes) => sink.put(&rel, bytes.to_vec())?,
            StaticFile::File(from) => sink.put_file(&rel, from, limit)?,
        }
    }
    let content = project.root.join(&framework.config.build.content_dir);
    for asset in &framework.assets {
        sink.put_file(&load::display_path(asset), &content.join(asset), limit)?;
    }
    Ok(pages)
}

/// Writes the export files of a project into `sink`, one at a time: each (tens of MB for a
/// large framework) is dropped before the next is made, which keeps the build's peak memory
/// down.
pub fn write_exports(project: &Project, sink: &dyn SiteSink) -> anyhow::Result<()> {
    let (framework, index) = (&project.framework, &project.index);
    sink.put("framework.json", export::framework_json(framework, index))?;
    sink.put("framework.csv", export::framework_csv(framework, index))?;
    sink.put(
        "oscal/catalog.json",
        export::oscal::catalog_json(framework, index),
    )?;
    sink.put(".nojekyll", Vec::new())?;
    sink.put(
        index::search::FILE,
        index::search::index_js(framework, index),
    )?;
    if let Some(cname) = framework.config.site.cname() {
        sink.put("CNAME", format!("{cname}\n").into_bytes())?;
    }
    let crosswalks = &project.crosswalks;
    if !crosswalks.is_empty() {
        use export::mapping::{mapping_collection_json, mappings_csv};
        let csv = mappings_csv(framework, crosswalks, index);
        sink.put("crosswalk/mappings.csv", csv)?;
        let collection = mapping_collection_json(framework, crosswalks, index);
        sink.put("oscal/mapping-collection.json", collection)?;
    }
    Ok(())
}

/// Checks a project without writing anything: every diagnostic, sorted.
pub fn check(root: &Path) -> Result<Vec<Diagnostic>, BuildError> {
    // Code is not highlighted: the problems found are the same, sooner.
    let mut project = Project::open_with(root, None, CodeBlocks::Plain)?;
    let has_errors = project.has_errors();
    let mut diagnostics = std::mem::take(&mut project.diagnostics);
    // The theme's files are checked whatever the content's state (links out, sizes).
    let theme = match Theme::load(root, &project.framework.config.build) {
        Ok(theme) => {
            diagnostics.extend(theme.warnings.iter().cloned());
            Some(theme)
        }
        Err(found) => {
            diagnostics.extend(found);
            None
        }
    };
    diagnostics::sort(&mut diagnostics);
    if let (false, Some(theme)) = (has_errors, theme) {
        // Rendering finds template errors and broken output links; render without writing.
        let templates = Templates::compile(&theme, &project.framework.config)
            .map_err(|d| BuildError::Content(vec![d]))?;
        match render_all(
            &project,
            &theme,
            &templates,
            &Discard,
            &WorkTimes::default(),
        ) {
            Ok(scanned) => dispose(scanned),
            Err(BuildError::Content(found)) => diagnostics.extend(found),
            Err(io) => return Err(io),
        }
        dispose((theme, templates));
    }
    dispose(project);
    Ok(diagnostics)
}

/// Whether runs leave their large data for the end of the process to take back.
static FREE_AT_EXIT: AtomicBool = AtomicBool::new(false);

/// Tells [`build`] and [`check`] not to free the framework and the site's pages at the end:
/// for a program that exits right after one run (the command-line tool), where the system
/// takes the memory back at once. Freeing a large framework's millions of allocations one
/// by one takes tens of milliseconds. A program that runs many builds leaves this off.
pub fn leave_memory_to_exit() {
    FREE_AT_EXIT.store(true, Ordering::Relaxed);
}

/// Lets go of `value` without making the caller wait for it to be freed: left to the end
/// of the process ([`leave_memory_to_exit`]), or freed on a thread of its own.
fn dispose<T: Send + 'static>(value: T) {
    if FREE_AT_EXIT.load(Ordering::Relaxed) {
        std::mem::forget(value);
        return;
    }
    // Should the thread not start, the value is freed here, as usual.
    let _ = std::thread::Builder::new()
        .name("free".into())
        .spawn(move || drop(value));
}

/// A sink that keeps nothing (for `check`).
struct Discard;

impl SiteSink for Discard {
    fn put(&self, _: &str, _: Vec<u8>) -> anyhow::Result<()> {
        Ok(())
    }

    fn put_parts(&self, _: &str, _: Vec<String>) -> anyhow::Result<()> {
        Ok(())
    }

    fn put_file(&self, _: &str, _: &Path, _: u64) -> anyhow::Result<()> {
        Ok(())
    }

    fn keeps_pages(&self) -> bool {
        false
    }
}

/// The warning for a build without `sitemap.xml`: a sitemap needs absolute URLs, and the
/// site's public address is not configured (see [`config::SiteSection::absolute_base`]).
fn no_sitemap_warning(config: &Config) -> Option<Diagnostic> {
    config.site.absolute_base().is_none().then(|| {
        Diagnostic::warning(
            "W0063",
            format!(
                "no sitemap.xml written: base-url `{}` is not the site's public address",
                config.site.base_url.trim()
            ),
        )
        .at(diagnostics::Span::file(config::CONFIG_FILE))
        .help(
            "set `[site] base-url = \"https://…/\"` in book.toml (or pass `--base-url`) \
             to get a sitemap and canonical links",
        )
    })
}

/// Builds the site of the project at `root`: all or nothing.
pub fn build(root: &Path, options: &BuildOptions) -> Result<BuildReport, BuildError> {
    // The commit needs to know what the existing site holds: list it while the content
    // loads (the destination is read from book.toml again below, with all its checks).
    let early_output = options.dest_dir.clone().or_else(|| {
        let (config, _) = Config::load_checked(root).ok()?;
        Some(root.join(&config.build.build_dir))
    });
    let listing = early_output.as_deref().and_then(write::SiteListing::start);
    let mut project = Project::open(root, options.base_url.as_deref())?;
    if project.has_errors() {
        return Err(BuildError::Content(project.diagnostics));
    }
    let mut timer = Timer::new();
    let config = &project.framework.config;
    let output = options
        .dest_dir
        .clone()
        .unwrap_or_else(|| root.join(&config.build.build_dir));
    if let Some(problem) = config::check_output_dir(root, &output, &config.build.content_dir) {
        return Err(BuildError::Content(vec![problem]));
    }
    let theme = Theme::load(root, &config.build).map_err(BuildError::Content)?;
    let theme_warnings = theme.warnings.clone();
    let templates = Templates::compile(&theme, config).map_err(|d| BuildError::Content(vec![d]))?;
    let writer = SiteWriter::create_with(&output, listing)?;
    let work = WorkTimes::default();
    let scanned = produce(&project, &theme, &templates, &writer, &work)?;
    let pages = scanned.len();
    dispose((scanned, theme, templates));
    timer.lap("render+write");
    let output = writer.destination().to_path_buf();
    let changes = writer.commit()?;
    timer.lap("commit");
    let mut timings = std::mem::take(&mut project.timings);
    timings.extend(timer.laps);
    let mut diagnostics = std::mem::take(&mut project.diagnostics);
    diagnostics.extend(no_sitemap_warning(&project.framework.config));
    diagnostics.extend(theme_warnings);
    dispose(project);
    Ok(BuildReport {
        output,
        files: changes.files,
        pages,
        changes,
        diagnostics,
        timings,
        work: work.summary(),
    })
}
