//! Crosswalks: `content/mappings/<name>.yaml` maps items of this framework to items of
//! another one (a framewright project, a `framework.json`, or an OSCAL catalog), with the
//! set-theory relationships of NIST IR 8477 (STRM).
//!
//! ```yaml
//! title: Harbour framework and the Lighthouse catalog
//! target:
//!   path: ../lighthouse          # relative to the project folder
//!   title: Lighthouse catalog    # optional: the target's own title otherwise
//!   link: https://example.org/lighthouse/id/{id}/   # optional: where their items are
//! mappings:
//!   - source: PR.AC-01
//!     target: gv-1               # or a list of ids
//!     relationship: subset-of    # equal, subset-of, superset-of, intersects-with, not-related-to
//!     rationale: semantic        # optional: syntactic, semantic, functional
//!     strength: 7                # optional: 0 to 10
//!     comment: Free text.        # optional
//! ```
//!
//! Loading resolves the target and reports unknown ids on either side as errors; the
//! other direction is derived (`subset-of` ↔ `superset-of`).

mod target;

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use serde_yaml::Value as Yaml;

use crate::boundary::Boundary;
use crate::diagnostics::{Diagnostic, Span};
use crate::index::SiteIndex;
use crate::markdown::slugify;
use crate::model::Framework;
pub use target::{Target, TargetItem};

/// The folder of mapping files under the content folder.
pub const MAPPINGS_DIR: &str = "mappings";

/// A set-theory relationship (NIST IR 8477) between a source and a target item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Relationship {
    /// The two say the same.
    Equal,
    /// The source is contained in the target.
    SubsetOf,
    /// The source contains the target.
    SupersetOf,
    /// They overlap; neither contains the other.
    IntersectsWith,
    /// They have nothing in common.
    NotRelatedTo,
}

impl Relationship {
    /// Every relationship, in the order the README lists them.
    pub const ALL: [Relationship; 5] = [
        Relationship::Equal,
        Relationship::SubsetOf,
        Relationship::SupersetOf,
        Relationship::IntersectsWith,
        Relationship::NotRelatedTo,
    ];

    /// Parses the name used in mapping files (and OSCAL): `subset-of`.
    pub fn parse(name: &str) -> Option<Relationship> {
        let name = name.trim().to_ascii_lowercase().replace([' ', '_'], "-");
        Relationship::ALL.into_iter().find(|r| r.name() == name)
    }

    /// The name used in mapping files and OSCAL.
    pub fn name(self) -> &'static str {
        match self {
            Relationship::Equal => "equal",
            Relationship::SubsetOf => "subset-of",
            Relationship::SupersetOf => "superset-of",
            Relationship::IntersectsWith => "intersects-with",
            Relationship::NotRelatedTo => "not-related-to",
        }
    }

    /// The words shown on pages: `subset of`.
    pub fn label(self) -> &'static str {
        match self {
            Relationship::Equal => "equal to",
            Relationship::SubsetOf => "subset of",
            Relationship::SupersetOf => "superset of",
            Relationship::IntersectsWith => "intersects with",
            Relationship::NotRelatedTo => "not related to",
        }
    }

    /// The relationship seen from the other side.
    pub fn inverse(self) -> Relationship {
        match self {
            Relationship::SubsetOf => Relationship::SupersetOf,
            Relationship::SupersetOf => Relationship::SubsetOf,
            other => other,
        }
    }
}

/// Why two items were related (NIST IR 8477 rationale).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rationale {
    /// The wording matches.
    Syntactic,
    /// The meaning matches.
    Semantic,
    /// The effect matches.
    Functional,
}

impl Rationale {
    /// Parses `syntactic`, `semantic` or `functional`.
    pub fn parse(name: &str) -> Option<Rationale> {
        match name.trim().to_ascii_lowercase().as_str() {
            "syntactic" => Some(Rationale::Syntactic),
            "semantic" => Some(Rationale::Semantic),
            "functional" => Some(Rationale::Functional),
            _ => None,
        }
    }

    /// The lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            Rationale::Syntactic => "syntactic",
            Rationale::Semantic => "semantic",
            Rationale::Functional => "functional",
        }
    }
}

/// One mapping: an item of this framework related to an item of the target.
#[derive(Debug, Clone, PartialEq)]
pub struct Mapping {
    /// Id of our item.
    pub source: String,
    /// Id of their item.
    pub target: String,
    /// How the source relates to the target.
    pub relationship: Relationship,
    /// Why, when given.
    pub rationale: Option<Rationale>,
    /// How strong the relationship is, 0 to 10, when given.
    pub strength: Option<u8>,
    /// A free-text note.
    pub comment: Option<String>,
    /// Where the mapping is written.
    pub span: Span,
}

/// A crosswalk from one mapping file.
#[derive(Debug, Clone)]
pub struct Crosswalk {
    /// The file name without extension.
    pub name: String,
    /// URL segment of its page: `crosswalk/<slug>/`.
    pub slug: String,
    /// Title of the page.
    pub title: String,
    /// Markdown introduction, when given.
    pub description: Option<String>,
    /// The mapping file, relative to the project.
    pub source: String,
    /// The other framework.
    pub target: Target,
    /// Every mapping, in file order.
    pub mappings: Vec<Mapping>,
}

impl Crosswalk {
    /// Mappings of one of our items.
    pub fn from_item<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Mapping> + 'a {
        self.mappings.iter().filter(move |m| m.source == id)
    }
}

/// Reads every mapping file of the project; resolves targets and checks ids on both sides.
pub fn load(
    root: &Path,
    framework: &Framework,
    index: &SiteIndex,
) -> (Vec<Crosswalk>, Vec<Diagnostic>) {
    let content_rel = &framework.config.build.content_dir;
    let dir = root.join(content_rel).join(MAPPINGS_DIR);
    let mut diagnostics = Vec::new();
    let boundary = Boundary::new(root, framework.config.build.follow_symlinks);
    // A mappings folder leading out of the project was reported by the load.
    if !boundary.allows_reading(&dir) {
        return (Vec::new(), diagnostics);
    }
    let Ok(entries) = fs::read_dir(&dir) else {
        return (Vec::new(), diagnostics);
    };
    let mut files: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")))
        .collect();
    files.sort();
    let mut crosswalks = Vec::new();
    for file in files {
        let display = crate::load::display_path(
            &content_rel
                .join(MAPPINGS_DIR)
                .join(file.file_name().unwrap_or_default()),
        );
        if !boundary
            .check(&file, &display, "symbolic link")
            .allows(&mut diagnostics)
        {
            continue;
        }
        let reader = Reader {
            root,
            index,
            display: &display,
            diagnostics: &mut diagnostics,
        };
        if let Some(crosswalk) = reader.read(&file) {
            crosswalks.push(crosswalk);
        }
    }
    (crosswalks, diagnostics)
}

/// Reads one mapping file.
struct Reader<'a> {
    root: &'a Path,
    index: &'a SiteIndex,
    display: &'a str,
    diagnostics: &'a mut Vec<Diagnostic>,
}

impl Reader<'_> {
    fn error(&mut self, code: &'static str, message: String, span: Span) {
        self.diagnostics
            .push(Diagnostic::error(code, message).at(span));
    }

    fn read(mut self, file: &Path) -> Option<Crosswalk> {
        let text = match crate::load::read_regular_file(file, 64 << 20) {
            Ok(text) => text,
            Err(err) => {
                let span = Span::file(self.display);
                self.error("E0080", format!("cannot read mapping file: {err}"), span);
                return None;
            }
        };
        let yaml: Yaml = match serde_yaml::from_str(&text) {
            Ok(yaml) => yaml,
            Err(err) => {
                let (line, column) = err.location().map_or((1, 1), |l| (l.line(), l.column()));
                let span = Span::at(self.display, line, column);
                self.error("E0080", format!("invalid YAML: {err}"), span);
                return None;
            }
        };
        let locate = Locator::new(self.display, &text);
        let name = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let target = self.target(&yaml, &locate)?;
        let mappings = self.mappings(&yaml, &locate, &target);
        let field = |key: &str| yaml.get(key).and_then(scalar_text);
        Some(Crosswalk {
            slug: slugify(&name),
            title: field("title").unwrap_or_else(|| format!("Crosswalk to {}", target.title)),
            description: field("description"),
            name,
            source: self.display.to_string(),
            target,
            mappings,
        })
    }

    fn target(&mut self, yaml: &Yaml, locate: &Locator) -> Option<Target> {
        let section = yaml.get("target");
        let field = |key: &str| section.and_then(|s| s.get(key)).and_then(scalar_text);
        let Some(path) = field("path") else {
            let span = locate
                .find("target", 0)
                .unwrap_or_else(|| Span::at(self.display, 1, 1));
            let message = "mapping file has no `target: { path: … }`".to_string();
            self.error("E0081", message, span);
            return None;
        };
        match Target::load(self.root, &path) {
            Ok(mut target) => {
                target.title = field("title").unwrap_or(target.title);
                target.link = field("link");
                Some(target)
            }
            Err(message) => {
                let span = locate
                    .find(&path, 0)
                    .unwrap_or_else(|| Span::file(self.display));
                self.error(
                    "E0081",
                    format!("cannot read crosswalk target `{path}`: {message}"),
                    span,
                );
                None
            }
        }
    }

    fn mappings(&mut self, yaml: &Yaml, locate: &Locator, target: &Target) -> Vec<Mapping> {
        let entries = match yaml.get("mappings") {
            Some(Yaml::Sequence(entries)) => entries.as_slice(),
            None | Some(Yaml::Null) => &[],
            Some(_) => {
                let span = locate
                    .find("mappings", 0)
                    .unwrap_or_else(|| Span::file(self.display));
                self.error("E0087", "`mappings` must be a list".into(), span);
                &[]
            }
        };
        let mut out = Vec::new();
        let mut cursor = locate.find("mappings", 0).map_or(0, |s| s.line);
        for entry in entries {
            let source = entry.get("source").and_then(scalar_text);
            let span = source
                .as_deref()
                .and_then(|s| locate.find(s, cursor))
                .unwrap_or_else(|| Span::at(self.display, cursor.max(1), 1));
            cursor = span.line;
            out.extend(self.mapping(entry, source, span, locate, target));
        }
        out
    }

    /// The mappings of one entry (one per target id).
    fn mapping(
        &mut self,
        entry: &Yaml,
        source: Option<String>,
        span: Span,
        locate: &Locator,
        target: &Target,
    ) -> Vec<Mapping> {
        let targets: Vec<String> = match entry.get("target") {
            Some(Yaml::Sequence(ids)) => ids.iter().filter_map(scalar_text).collect(),
            Some(other) => scalar_text(other).into_iter().collect(),
            None => Vec::new(),
        };
        let (Some(source), false) = (source, targets.is_empty()) else {
            self.error(
                "E0087",
                "a mapping needs `source:` and `target:`".into(),
                span,
            );
            return Vec::new();
        };
        let source = source.trim().to_string();
        if self.index.node(&source).is_none() {
            let help = suggest(&source, self.index.ids.keys());
            self.unknown(
                "E0082",
                format!("crosswalk source `{source}` is not an id of this framework"),
                span.clone(),
                help,
            );
        }
        let relationship = self.relationship(entry, &span, locate);
        let rationale = self.rationale(entry, &span, locate);
        let strength = self.strength(entry, &span, locate);
        let comment = entry.get("comment").and_then(scalar_text);
        let mut out = Vec::new();
        for id in targets {
            let id = id.trim().to_string();
            if target.item(&id).is_none() {
                let at = locate.find(&id, span.line).unwrap_or_else(|| span.clone());
                let help = suggest(&id, target.items.iter().map(|i| &i.id));
                let message = format!("crosswalk target `{id}` is not an id of {}", target.title);
                self.unknown("E0083", message, at, help);
            }
            if let Some(relationship) = relationship {
                out.push(Mapping {
                    source: source.clone(),
                    target: id,
                    relationship,
                    rationale,
                    strength,
                    comment: comment.clone(),
                    span: span.clone(),
                });
            }
        }
        out
    }

    fn unknown(&mut self, code: &'static str, message: String, span: Span, help: Option<String>) {
        let diagnostic = Diagnostic::error(code, message).at(span);
        self.diagnostics.push(match help {
            Some(help) => diagnostic.help(help),
            None => diagnostic,
        });
    }

    fn relationship(
        &mut self,
        entry: &Yaml,
        span: &Span,
        locate: &Locator,
    ) -> Option<Relationship> {
        let names: Vec<&str> = Relationship::ALL.iter().map(|r| r.name()).collect();
        let Some(text) = entry.get("relationship").and_then(scalar_text) else {
            let message = "a mapping needs a `relationship:`".to_string();
            self.unknown(
                "E0084",
                message,
                span.clone(),
                Some(format!("use one of: {}", names.join(", "))),
            );
            return None;
        };
        let parsed = Relationship::parse(&text);
        if parsed.is_none() {
            let at = locate
                .find(&text, span.line)
                .unwrap_or_else(|| span.clone());
            let message = format!("unknown relationship `{text}`");
            self.unknown(
                "E0084",
                message,
                at,
                Some(format!("use one of: {}", names.join(", "))),
            );
        }
        parsed
    }

    fn rationale(&mut self, entry: &Yaml, span: &Span, locate: &Locator) -> Option<Rationale> {
        let text = entry.get("rationale").and_then(scalar_text)?;
        let parsed = Rationale::parse(&text);
        if parsed.is_none() {
            let at = locate
                .find(&text, span.line)
                .unwrap_or_else(|| span.clone());
            let help = Some("use syntactic, semantic or functional".to_string());
            self.unknown("E0085", format!("unknown rationale `{text}`"), at, help);
        }
        parsed
    }

    fn strength(&mut self, entry: &Yaml, span: &Span, locate: &Locator) -> Option<u8> {
        let value = entry.get("strength")?;
        match value.as_u64().filter(|s| *s <= 10) {
            Some(strength) => u8::try_from(strength).ok(),
            None => {
                let text = scalar_text(value).unwrap_or_default();
                let at = locate
                    .find(&format!("strength: {text}"), span.line)
                    .unwrap_or_else(|| span.clone());
                self.unknown(
                    "E0086",
                    format!("strength `{text}` is not a whole number from 0 to 10"),
                    at,
                    None,
                );
                None
            }
        }
    }
}

/// Finds text in a mapping file, for the spans of diagnostics.
struct Locator<'t> {
    path: &'t str,
    lines: Vec<&'t str>,
}

impl<'t> Locator<'t> {
    fn new(path: &'t str, text: &'t str) -> Locator<'t> {
        Locator {
            path,
            lines: text.lines().collect(),
        }
    }

    /// The first place of `needle` on or after line `from` (1-based; 0 means the start).
    fn find(&self, needle: &str, from: usize) -> Option<Span> {
        let skip = from.saturating_sub(1);
        self.lines
            .iter()
            .enumerate()
            .skip(skip)
            .find_map(|(n, line)| {
                line.find(needle).map(|at| {
                    let column = line[..at].chars().count() + 1;
                    Span::at(self.path, n + 1, column).with_len(needle.len())
                })
            })
    }
}

/// Text of a scalar YAML value (strings, numbers, booleans).
fn scalar_text(value: &Yaml) -> Option<String> {
    match value {
        Yaml::String(s) => Some(s.clone()),
        Yaml::Number(n) => Some(n.to_string()),
        Yaml::Bool(b) => Some(b.to_string()),
        Yaml::Tagged(tagged) => scalar_text(&tagged.value),
        _ => None,
    }
}

/// `did you mean …?` for an unknown id.
fn suggest<'a>(id: &str, candidates: impl Iterator<Item = &'a String>) -> Option<String> {
    let limit = (id.chars().count() / 3).max(2);
    candidates
        .map(|c| {
            (
                strsim::levenshtein(&id.to_lowercase(), &c.to_lowercase()),
                c,
            )
        })
        .filter(|(distance, _)| *distance <= limit)
        .min()
        .map(|(_, c)| format!("did you mean `{c}`?"))
}

/// Every mapping of every crosswalk by our item id: (crosswalk, mapping) indices.
pub fn by_source(crosswalks: &[Crosswalk]) -> HashMap<&str, Vec<(usize, usize)>> {
    let mut map: HashMap<&str, Vec<(usize, usize)>> = HashMap::new();
    for (c, crosswalk) in crosswalks.iter().enumerate() {
        for (m, mapping) in crosswalk.mappings.iter().enumerate() {
            map.entry(mapping.source.as_str()).or_default().push((c, m));
        }
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relationships_parse_and_invert() {
        assert_eq!(
            Relationship::parse("Subset of"),
            Some(Relationship::SubsetOf)
        );
        assert_eq!(
            Relationship::parse("intersects_with"),
            Some(Relationship::IntersectsWith)
        );
        assert_eq!(Relationship::parse("overlaps"), None);
        assert_eq!(Relationship::SubsetOf.inverse(), Relationship::SupersetOf);
        assert_eq!(Relationship::SupersetOf.inverse(), Relationship::SubsetOf);
        for r in Relationship::ALL {
            assert_eq!(r.inverse().inverse(), r);
            assert_eq!(Relationship::parse(r.name()), Some(r));
        }
        assert_eq!(Relationship::Equal.inverse(), Relationship::Equal);
        assert_eq!(
            Relationship::NotRelatedTo.inverse(),
            Relationship::NotRelatedTo
        );
    }

    #[test]
    fn rationales_parse() {
        assert_eq!(Rationale::parse("Semantic"), Some(Rationale::Semantic));
        assert_eq!(Rationale::parse("vibes"), None);
    }

    #[test]
    fn locator_finds_from_a_line() {
        let locate = Locator::new("m.yaml", "a: x\nb: y\nc: x\n");
        assert_eq!(locate.find("x", 0).unwrap().line, 1);
        assert_eq!(locate.find("x", 2).unwrap().line, 3);
        assert!(locate.find("z", 0).is_none());
    }
}
