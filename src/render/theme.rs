//! The theme: Tera templates and static assets, embedded in the binary and overridable file
//! by file from the project's `themes/<name>/` folder.

use std::path::{Path, PathBuf};

use crate::boundary::Boundary;
use crate::config::{static_too_large, BuildSection};
use crate::diagnostics::{Diagnostic, Span};

macro_rules! embed {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/", $name)) as &[u8])),*]
    };
}

/// The default theme's templates, by name.
const TEMPLATES: &[(&str, &[u8])] = embed![
    "templates/base.html",
    "templates/home.html",
    "templates/concept.html",
    "templates/category.html",
    "templates/item.html",
    "templates/references.html",
    "templates/reference.html",
    "templates/redirect.html",
    "templates/404.html",
    "templates/sitemap.xml",
    "templates/crosswalk.html",
    "templates/print.html",
    "templates/partials/print_section.html",
    "templates/partials/print_references.html",
    "templates/search.html",
    "templates/conformance.html",
    "templates/partials/sidebar.html",
    "templates/partials/table.html",
    "templates/partials/node.html",
    "templates/partials/document_clauses.html",
    "templates/changes.html",
    "templates/release.html",
    "templates/former_id.html",
];

/// The default theme's static files, copied under `static/` in the site.
const STATIC: &[(&str, &[u8])] = embed![
    "static/framewright.css",
    "static/print.css",
    "static/framewright.js",
    "static/favicon.svg",
    "static/highlight.css",
    "static/tools.css",
    "static/search.js",
    "static/tables.js",
    "static/vendor/minisearch.js",
    "static/vendor/minisearch.LICENSE.txt",
];

/// A theme's files after overrides: template name → source, static path → file.
#[derive(Debug, Clone, Default)]
pub struct Theme {
    /// Templates by name (`base.html`, `partials/table.html`).
    pub templates: Vec<(String, String)>,
    /// Static files by path under `static/`.
    pub statics: Vec<(String, StaticFile)>,
    /// Warnings found while reading the project's theme folder (links followed out of the
    /// project with `follow-symlinks`).
    pub warnings: Vec<Diagnostic>,
}

/// Where a theme's static file comes from. The project's own are copied from disk when the
/// site is written, never read whole (they may be large).
#[derive(Debug, Clone)]
pub enum StaticFile {
    /// Part of the default theme, in the binary.
    Embedded(&'static [u8]),
    /// A file of the project's theme folder.
    File(PathBuf),
}

impl Theme {
    /// The embedded default theme with the files of `project/themes/<name>/` laid over it
    /// (`build` names the theme and says whether links out of the project are followed).
    /// Every problem at once when it cannot be read.
    pub fn load(project: &Path, build: &BuildSection) -> Result<Theme, Vec<Diagnostic>> {
        let name = build.theme.as_str();
        let mut theme = Theme::default();
        for (path, bytes) in TEMPLATES {
            let name = path.trim_start_matches("templates/");
            theme.templates.push((
                name.to_string(),
                String::from_utf8_lossy(bytes).into_owned(),
            ));
        }
        for (path, bytes) in STATIC {
            theme.statics.push((
                path.trim_start_matches("static/").to_string(),
                StaticFile::Embedded(bytes),
            ));
        }
        let folder = project.join("themes").join(name);
        if !folder.is_dir() {
            if name != "default" {
                return Err(vec![Diagnostic::error(
                    "E0060",
                    format!("theme `{name}` not found: there is no folder themes/{name}/"),
                )
                .at(Span::file("book.toml"))
                .help("set `[build] theme = \"default\"` or create the folder")]);
            }
            return Ok(theme);
        }
        let boundary = Boundary::new(project, build.follow_symlinks);
        let mut found = Vec::new();
        let templates = files_under(project, &folder.join("templates"), &boundary, &mut found);
        let statics = files_under(project, &folder.join("static"), &boundary, &mut found);
        for (rel, path) in templates {
            match std::fs::read_to_string(&path) {
                Ok(text) => replace_or_push(&mut theme.templates, rel, text),
                Err(err) => found.push(cannot_read(project, &path, "template", &err)),
            }
        }
        for (rel, path) in statics {
            match std::fs::metadata(&path) {
                Ok(meta) if meta.len() > build.max_static_size => {
                    let display = project_relative(project, &path);
                    found.push(static_too_large(
                        &display,
                        meta.len(),
                        build.max_static_size,
                    ));
                }
                Ok(_) => replace_or_push(&mut theme.statics, rel, StaticFile::File(path)),
                Err(err) => found.push(cannot_read(project, &path, "theme file", &err)),
            }
        }
        if found.iter().any(Diagnostic::is_error) {
            return Err(found);
        }
        theme.warnings = found;
        Ok(theme)
    }
}

/// E0061 for a theme file that cannot be read.
fn cannot_read(project: &Path, path: &Path, what: &str, err: &std::io::Error) -> Diagnostic {
    Diagnostic::error("E0061", format!("cannot read {what}: {err}"))
        .at(Span::file(project_relative(project, path)))
}

fn replace_or_push<T>(list: &mut Vec<(String, T)>, name: String, value: T) {
    match list.iter_mut().find(|(n, _)| *n == name) {
        Some(entry) => entry.1 = value,
        None => list.push((name, value)),
    }
}

/// `path` relative to the project folder, as diagnostics name files.
fn project_relative(project: &Path, path: &Path) -> String {
    crate::load::display_path(path.strip_prefix(project).unwrap_or(path))
}

/// Every file below `dir`, with its path relative to `dir` (`/`-separated). A link (or
/// `dir` itself) leading out of the project is read only as `boundary` allows.
fn files_under(
    project: &Path,
    dir: &Path,
    boundary: &Boundary,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    let crosses = |path: &Path, diagnostics: &mut Vec<Diagnostic>| {
        let display = project_relative(project, path);
        !boundary
            .check(path, &display, "symbolic link")
            .allows(diagnostics)
    };
    if !dir.exists() || crosses(dir, diagnostics) {
        return out;
    }
    let mut stack = vec![dir.to_path_buf()];
    // Each real folder once: a symbolic link back up the tree must not loop forever.
    let mut seen = std::collections::HashSet::new();
    while let Some(current) = stack.pop() {
        if !current.canonicalize().is_ok_and(|real| seen.insert(real)) {
            continue;
        }
        let Ok(entries) = std::fs::read_dir(&current) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let is_link = entry.file_type().map_or(true, |kind| kind.is_symlink());
            if is_link && crosses(&path, diagnostics) {
                continue;
            }
            if path.is_dir() {
                if out.len() < 10_000 && stack.len() < 1_000 {
                    stack.push(path);
                }
            } else if !path.is_file() {
                // Pipes and devices are not theme files (and reading one could block).
            } else if let Ok(rel) = path.strip_prefix(dir) {
                out.push((rel.to_string_lossy().replace('\\', "/"), path));
            }
        }
    }
    out.sort();
    out
}
