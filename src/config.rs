//! `book.toml`: the project's configuration (docs/format.md, "book.toml").

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Span};

mod recover;
mod vocabulary;
pub use recover::{base_url_problem, check_output_dir, did_you_mean};
pub use vocabulary::{
    part_key, pluralise, vocabulary_for_catalog, CatalogVocabulary, LevelName, DEFAULT_LEVELS,
};

/// The whole of `book.toml`, with every default filled in.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// `[book]`: what the framework is.
    #[serde(default)]
    pub book: BookSection,
    /// `[build]`: where sources are read and the site is written.
    #[serde(default)]
    pub build: BuildSection,
    /// `[site]`: how the site is hosted.
    #[serde(default)]
    pub site: SiteSection,
    /// `[framework]`: TS 27110 conformance settings.
    #[serde(default)]
    pub framework: FrameworkSection,
    /// `[serve]`: the live-preview server.
    #[serde(default)]
    pub serve: ServeSection,
    /// `[[releases]]`: earlier versions of the framework, oldest first, for the "What
    /// changed" pages and each item's history.
    #[serde(default)]
    pub releases: Vec<Release>,
    /// `[citations]`: documents and prefixes the citation parser should know.
    #[serde(default)]
    pub citations: CitationsSection,
}

/// `[[releases]]`: an earlier version of the framework. Exactly one of `path`, `git` and
/// `oscal` says where it is.
#[derive(Debug, Clone, Deserialize, Default, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Release {
    /// The version's name, as pages show it (`0.9`).
    pub version: String,
    /// A project folder holding that version (book.toml and content), relative to this
    /// project.
    pub path: Option<PathBuf>,
    /// A revision (tag, branch, commit) of the git repository this project is in.
    pub git: Option<String>,
    /// An OSCAL catalog (JSON) of that version, relative to this project.
    pub oscal: Option<PathBuf>,
}

/// `[book]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct BookSection {
    /// The framework's title, shown on every page.
    pub title: String,
    /// A one-line summary for the home page and page metadata.
    pub description: Option<String>,
    /// Who wrote it.
    pub authors: Vec<String>,
    /// The `lang` attribute of every page.
    pub language: String,
    /// The framework's own version, shown in the footer and exported.
    pub version: Option<String>,
}

impl Default for BookSection {
    fn default() -> Self {
        BookSection {
            title: "Untitled framework".into(),
            description: None,
            authors: Vec::new(),
            language: "en".into(),
            version: None,
        }
    }
}

/// `[build]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct BuildSection {
    /// Folder of the Markdown sources, relative to the project.
    pub content_dir: PathBuf,
    /// Folder the site is written to, relative to the project.
    pub build_dir: PathBuf,
    /// `default` (embedded) or the name of a folder under `themes/`.
    pub theme: String,
    /// Read files that symbolic links (or `content-dir`) lead to outside the project, with a
    /// warning; off by default, when they are errors and nothing outside is read.
    pub follow_symlinks: bool,
    /// Publish raw HTML in Markdown as written; off by default, when it is cleaned against
    /// an allow-list for prose (no script) with a warning where something is removed.
    pub unsafe_html: bool,
    /// Seconds one template run may take before the build stops with an error naming the
    /// template and the page (a guard against loops without end in a theme).
    pub render_timeout: u64,
    /// Largest file, in bytes, copied into the site as it is (theme static files, content
    /// assets); larger ones are errors.
    pub max_static_size: u64,
}

impl Default for BuildSection {
    fn default() -> Self {
        BuildSection {
            content_dir: "content".into(),
            build_dir: "book".into(),
            theme: "default".into(),
            follow_symlinks: false,
            unsafe_html: false,
            render_timeout: 10,
            max_static_size: DEFAULT_MAX_STATIC_SIZE,
        }
    }
}

/// `[build] max-static-size` unless book.toml says otherwise: 100 MiB.
pub const DEFAULT_MAX_STATIC_SIZE: u64 = 100 * 1024 * 1024;

/// E0065: a file to copy into the site (shown as `display`) of `len` bytes, over `limit`.
pub fn static_too_large(display: &str, len: u64, limit: u64) -> Diagnostic {
    let mib = |bytes: u64| bytes as f64 / 1024.0 / 1024.0;
    Diagnostic::error(
        "E0065",
        format!(
            "file of {:.1} MiB is larger than the {:.1} MiB a static file may have",
            mib(len),
            mib(limit)
        ),
    )
    .at(Span::file(display))
    .help(format!(
        "raise `[build] max-static-size` in book.toml (bytes; now {limit}) if the site should carry it"
    ))
}

/// `[site]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct SiteSection {
    /// `/`, `/repo/` or `https://org.github.io/repo/`: used where an absolute URL is required.
    pub base_url: String,
    /// A custom domain for GitHub Pages (`framework.example.org`): written to `CNAME`.
    pub cname: Option<String>,
}

impl Default for SiteSection {
    fn default() -> Self {
        SiteSection {
            base_url: "/".into(),
            cname: None,
        }
    }
}

impl SiteSection {
    /// The custom domain, when one is set: without scheme, path or surrounding space.
    pub fn cname(&self) -> Option<&str> {
        let name = self.cname.as_deref()?.trim();
        let name = name
            .strip_prefix("https://")
            .or_else(|| name.strip_prefix("http://"))
            .unwrap_or(name);
        let name = name.split('/').next().unwrap_or("").trim();
        (!name.is_empty()).then_some(name)
    }

    /// The base URL's path, always starting and ending with `/` (for 404.html, which is
    /// served at arbitrary depths and so cannot use relative links).
    pub fn base_path(&self) -> String {
        let url = self.base_url.trim();
        let path = match url.find("://") {
            Some(scheme_end) => {
                let rest = &url[scheme_end + 3..];
                rest.find('/').map_or("/", |slash| &rest[slash..])
            }
            None => url,
        };
        let path = path.trim_matches('/');
        if path.is_empty() {
            "/".to_string()
        } else {
            format!("/{path}/")
        }
    }

    /// The site's public address (`https://…/`), for the sitemap and canonical links: the
    /// base URL when it is absolute, else the custom domain with the base URL's path, else
    /// none (a sitemap and canonical links need absolute URLs).
    pub fn absolute_base(&self) -> Option<String> {
        let url = self.base_url.trim();
        if url.starts_with("http://") || url.starts_with("https://") {
            Some(format!("{}/", url.trim_end_matches('/')))
        } else {
            self.cname()
                .map(|name| format!("https://{name}{}", self.base_path()))
        }
    }
}

/// `[framework]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct FrameworkSection {
    /// Concepts a conforming framework contains (matched by title or id, ignoring case).
    pub required_concepts: Vec<String>,
    /// When true, a missing required concept is an error rather than a warning.
    pub strict: bool,
    /// Report concepts without categories and categories without subcategories (notes; off
    /// by default: TS 27110 leaves the depth to the creator). The conformance page lists
    /// them either way.
    pub report_empty: bool,
    /// Report items that cite no reference at all (notes; off by default).
    pub report_missing_references: bool,
    /// The project's own front-matter fields: never reported as misspelt known keys.
    pub fields: Vec<String>,
    /// What each level is called, top level first (`["Family", "Control", "Control
    /// enhancement"]`); empty for the TS 27110 terms (concept, category, subcategory,
    /// statement).
    pub levels: Vec<LevelName>,
    /// Titles of part sections by part name (`guidance = "Discussion"`).
    pub parts: std::collections::BTreeMap<String, String>,
    /// Which top-level item meets each required concept, when titles do not say it
    /// (`Identify = "ID"`): required concept → id or title.
    pub concept_map: std::collections::BTreeMap<String, String>,
}

impl FrameworkSection {
    /// The name of the level at `depth` below the framework (1 is the top level).
    pub fn level(&self, depth: usize) -> LevelName {
        vocabulary::level_name(&self.levels, depth)
    }

    /// The title of a section made from a part named `name`.
    pub fn part_title(&self, name: &str) -> String {
        vocabulary::part_title(&self.parts, name)
    }
}

impl Default for FrameworkSection {
    fn default() -> Self {
        FrameworkSection {
            required_concepts: ["Identify", "Protect", "Detect", "Respond", "Recover"]
                .map(String::from)
                .to_vec(),
            strict: false,
            report_empty: false,
            report_missing_references: false,
            fields: Vec::new(),
            levels: Vec::new(),
            parts: Default::default(),
            concept_map: Default::default(),
        }
    }
}

/// `[citations]`: what the project cites beyond the built-in schemes (standards bodies,
/// NIST, CIS, COBIT, OMB, Executive Orders, US Code, CFR, laws, directives, RFCs).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct CitationsSection {
    /// Document names read as written, whatever follows them (`CCMv4.0`, `DHS NIPP`),
    /// like the documents of references.yaml.
    pub documents: Vec<String>,
    /// Prefixes followed by a number (`CNSSD` reads `CNSSD 505` as a document).
    pub prefixes: Vec<String>,
}

/// `[serve]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct ServeSection {
    /// Address to bind; loopback unless the user says otherwise.
    pub address: String,
    /// Port to bind.
    pub port: u16,
}

impl Default for ServeSection {
    fn default() -> Self {
        ServeSection {
            address: "127.0.0.1".into(),
            port: 3000,
        }
    }
}

/// Name of the configuration file in a project folder.
pub const CONFIG_FILE: &str = "book.toml";

impl Config {
    /// Reads `book.toml` from `project`; a missing file gives the defaults.
    pub fn load(project: &Path) -> Result<Config, Diagnostic> {
        let path = project.join(CONFIG_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(err) => {
                return Err(Diagnostic::error(
                    "E0001",
                    format!("cannot read {}: {err}", CONFIG_FILE),
                )
                .at(Span::file(CONFIG_FILE)))
            }
        };
        Self::parse(&text)
    }

    /// Reads `book.toml` reporting every problem, not just the first: `Ok` holds a
    /// configuration to go on with (entries with problems left at their defaults) and the
    /// problems; `Err` when the file cannot be read or is not TOML at all.
    pub fn load_checked(project: &Path) -> Result<(Config, Vec<Diagnostic>), Vec<Diagnostic>> {
        let path = project.join(CONFIG_FILE);
        // A folder, pipe or device named book.toml, or one of absurd size, is not read.
        if let Ok(meta) = std::fs::metadata(&path) {
            if !meta.is_file() || meta.len() > 1024 * 1024 {
                let what = if meta.is_file() {
                    "is larger than 1 MiB"
                } else {
                    "is not a regular file"
                };
                let message = format!("{CONFIG_FILE} {what}");
                return Err(vec![
                    Diagnostic::error("E0001", message).at(Span::file(CONFIG_FILE))
                ]);
            }
        }
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                return Ok((Config::default(), Vec::new()))
            }
            Err(err) => {
                let message = format!("cannot read {CONFIG_FILE}: {err}");
                return Err(vec![
                    Diagnostic::error("E0001", message).at(Span::file(CONFIG_FILE))
                ]);
            }
        };
        match String::from_utf8(bytes) {
            Ok(text) => recover::parse_checked(&text),
            Err(err) => {
                let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
                let valid = std::str::from_utf8(valid).unwrap_or("");
                Err(vec![Diagnostic::error(
                    "E0001",
                    format!("{CONFIG_FILE} is not valid UTF-8"),
                )
                .at(Span::from_offset(CONFIG_FILE, valid, valid.len()))
                .help("save the file as UTF-8")])
            }
        }
    }

    /// Parses the text of a `book.toml`.
    pub fn parse(text: &str) -> Result<Config, Diagnostic> {
        toml::from_str(text).map_err(|err| {
            let span = err.span().map_or_else(
                || Span::file(CONFIG_FILE),
                |range| Span::from_offset(CONFIG_FILE, text, range.start),
            );
            Diagnostic::error("E0002", format!("invalid book.toml: {}", err.message())).at(span)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_fill_missing_sections() {
        let config = Config::parse("[book]\ntitle = \"T\"\n").unwrap();
        assert_eq!(config.book.title, "T");
        assert_eq!(config.build.build_dir, PathBuf::from("book"));
        assert_eq!(config.framework.required_concepts.len(), 5);
        assert_eq!(config.serve.port, 3000);
    }

    #[test]
    fn unknown_key_is_reported_with_its_line() {
        let err = Config::parse("[book]\ntitle = \"T\"\ntitel = \"x\"\n").unwrap_err();
        assert!(err.message.contains("titel"), "{}", err.message);
        assert_eq!(err.span.unwrap().line, 3);
    }

    #[test]
    fn citations_section_declares_documents_and_prefixes() {
        let config =
            Config::parse("[citations]\ndocuments = [\"CCMv4.0\"]\nprefixes = [\"CNSSD\"]\n")
                .unwrap();
        assert_eq!(config.citations.documents, ["CCMv4.0"]);
        assert_eq!(config.citations.prefixes, ["CNSSD"]);
        let err = Config::parse("[citations]\ndocument = [\"CCMv4.0\"]\n").unwrap_err();
        assert!(err.message.contains("document"), "{}", err.message);
        assert_eq!(err.span.unwrap().line, 2);
    }

    #[test]
    fn base_path_handles_every_form() {
        let site = |u: &str| SiteSection {
            base_url: u.into(),
            ..SiteSection::default()
        };
        assert_eq!(site("/").base_path(), "/");
        assert_eq!(site("").base_path(), "/");
        assert_eq!(site("/repo").base_path(), "/repo/");
        assert_eq!(site("https://org.github.io/repo/").base_path(), "/repo/");
        assert_eq!(site("https://example.org").base_path(), "/");
        assert_eq!(
            site("https://org.github.io/repo").absolute_base().unwrap(),
            "https://org.github.io/repo/"
        );
        assert!(site("/repo/").absolute_base().is_none());
        let with_domain = SiteSection {
            base_url: "/docs/".into(),
            cname: Some("fw.example.org".into()),
        };
        assert_eq!(
            with_domain.absolute_base().as_deref(),
            Some("https://fw.example.org/docs/")
        );
    }

    #[test]
    fn cname_is_a_bare_host_name() {
        let site = |c: &str| SiteSection {
            cname: Some(c.into()),
            ..SiteSection::default()
        };
        assert_eq!(site("fw.example.org").cname(), Some("fw.example.org"));
        assert_eq!(
            site(" https://fw.example.org/ ").cname(),
            Some("fw.example.org")
        );
        assert_eq!(site("  ").cname(), None);
        assert_eq!(SiteSection::default().cname(), None);
        let config = Config::parse("[site]\ncname = \"fw.example.org\"\n").unwrap();
        assert_eq!(config.site.cname(), Some("fw.example.org"));
    }
}
