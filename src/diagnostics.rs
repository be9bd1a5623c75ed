//! Diagnostics: what went wrong, where, and how to fix it, printed like a compiler's.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor};
use serde::Serialize;

/// A place in a source file: `path:line:column` (1-based; line 0 means "the whole file").
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    /// Path relative to the project folder, with `/` separators.
    pub path: String,
    /// 1-based line, or 0 when the problem concerns the file as a whole.
    pub line: usize,
    /// 1-based column in characters.
    pub column: usize,
    /// Length in bytes of the offending text on that line (0: point at the column).
    #[serde(skip)]
    pub len: usize,
}

impl Span {
    /// A span for a whole file.
    pub fn file(path: impl Into<String>) -> Span {
        Span {
            path: path.into(),
            line: 0,
            column: 0,
            len: 0,
        }
    }

    /// A span at `line:column`.
    pub fn at(path: impl Into<String>, line: usize, column: usize) -> Span {
        Span {
            path: path.into(),
            line,
            column,
            len: 0,
        }
    }

    /// The span of byte `offset` in `text` (the whole file's text).
    pub fn from_offset(path: impl Into<String>, text: &str, offset: usize) -> Span {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = text[line_start..offset].chars().count() + 1;
        Span::at(path, line, column)
    }

    /// The same span, marking `len` bytes.
    pub fn with_len(mut self, len: usize) -> Span {
        self.len = len;
        self
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.path)
        } else {
            write!(f, "{}:{}:{}", self.path, self.line, self.column)
        }
    }
}

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The build fails.
    Error,
    /// Reported; the build goes on.
    Warning,
    /// Information (for example TS 27110 observations).
    Note,
}

/// One problem found in a project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// How bad it is.
    pub severity: Severity,
    /// Stable code, e.g. `E0003`.
    pub code: &'static str,
    /// What is wrong, in one sentence.
    pub message: String,
    /// Where; `None` for problems that concern the whole project.
    pub span: Option<Span>,
    /// A likely fix.
    pub help: Option<String>,
    /// Other places worth showing (the first definition of a duplicate, …).
    pub related: Vec<(Span, String)>,
}

impl Diagnostic {
    /// An error with a stable code.
    pub fn error(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Error, code, message)
    }

    /// A warning with a stable code.
    pub fn warning(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Warning, code, message)
    }

    fn new(severity: Severity, code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity,
            code,
            message: message.into(),
            span: None,
            help: None,
            related: Vec::new(),
        }
    }

    /// Sets where the problem is.
    pub fn at(mut self, span: Span) -> Diagnostic {
        self.span = Some(span);
        self
    }

    /// Adds a help line.
    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Adds another place to show.
    pub fn also(mut self, span: Span, label: impl Into<String>) -> Diagnostic {
        self.related.push((span, label.into()));
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        write!(f, "{kind}[{}]: {}", self.code, self.message)?;
        if let Some(span) = &self.span {
            write!(f, "\n  --> {span}")?;
        }
        Ok(())
    }
}

/// Drops what merely follows from a file that could not be read: a file whose front matter
/// is broken (or that is empty, or not UTF-8) has a node without `id` or `title`, which
/// says nothing the first error does not.
pub fn drop_consequences(diagnostics: &mut Vec<Diagnostic>) {
    const UNREADABLE: [&str; 7] = [
        "E0010", "E0011", "E0012", "E0023", "E0026", "E0027", "E0028",
    ];
    const CONSEQUENCES: [&str; 2] = ["E0040", "E0043"];
    // Observations about a node read from a broken file are not worth a word either.
    const NOTES: [&str; 3] = ["N0051", "N0052", "N0053"];
    // A title of the wrong shape is reported; that the node then has no title is not news.
    let bad_title: std::collections::HashSet<String> = diagnostics
        .iter()
        .filter(|d| d.code == "E0014" && d.message.starts_with("`title`"))
        .filter_map(|d| d.span.as_ref().map(|s| s.path.clone()))
        .collect();
    diagnostics.retain(|d| {
        !(d.code == "E0043" && d.span.as_ref().is_some_and(|s| bad_title.contains(&s.path)))
    });
    if diagnostics.iter().any(|d| d.code == "E0020") {
        // No content at all: every concept is missing, which says nothing more.
        diagnostics.retain(|d| !matches!(d.code, "W0050" | "E0050"));
    }
    let broken: std::collections::HashSet<String> = diagnostics
        .iter()
        .filter(|d| UNREADABLE.contains(&d.code))
        .filter_map(|d| d.span.as_ref().map(|s| s.path.clone()))
        .collect();
    if broken.is_empty() {
        return;
    }
    diagnostics.retain(|d| {
        let Some(span) = d.span.as_ref().filter(|s| broken.contains(&s.path)) else {
            return true;
        };
        !(NOTES.contains(&d.code) || (CONSEQUENCES.contains(&d.code) && span.line <= 1))
    });
}

/// Sorts diagnostics by file, line and column, then errors before warnings.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.span.as_ref(), a.severity, &a.message).cmp(&(b.span.as_ref(), b.severity, &b.message))
    });
}

/// One diagnostic as a flat JSON object, for CI annotations and editors:
/// `{severity, code, message, path, line, column, help, related: [{path, line, column, label}]}`.
/// `path` is null for problems of the whole project; `line` and `column` are null for
/// problems of a whole file or folder.
pub fn diagnostic_json(diagnostic: &Diagnostic) -> serde_json::Value {
    let place = |span: Option<&Span>| {
        let span = span.filter(|s| !s.path.is_empty());
        let line = span.filter(|s| s.line > 0);
        (
            span.map(|s| s.path.clone()),
            line.map(|s| s.line),
            line.map(|s| s.column.max(1)),
        )
    };
    let (path, line, column) = place(diagnostic.span.as_ref());
    let related: Vec<_> = diagnostic
        .related
        .iter()
        .map(|(span, label)| {
            let (path, line, column) = place(Some(span));
            serde_json::json!({ "path": path, "line": line, "column": column, "label": label })
        })
        .collect();
    serde_json::json!({
        "severity": diagnostic.severity,
        "code": diagnostic.code,
        "message": diagnostic.message,
        "path": path,
        "line": line,
        "column": column,
        "help": diagnostic.help,
        "related": related,
    })
}

/// Every diagnostic as JSON, with the counts: `{diagnostics: [...], errors, warnings, notes}`.
pub fn to_json(diagnostics: &[Diagnostic]) -> serde_json::Value {
    let count = |severity| {
        diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    };
    serde_json::json!({
        "diagnostics": diagnostics.iter().map(diagnostic_json).collect::<Vec<_>>(),
        "errors": count(Severity::Error),
        "warnings": count(Severity::Warning),
        "notes": count(Severity::Note),
    })
}

/// Renders diagnostics as rustc does: message, `--> path:line:col`, the line with a caret,
/// help. Source lines are read from the files under `project`.
pub fn render_human(diagnostics: &[Diagnostic], project: &Path, color: bool) -> String {
    let mut sources = Sources {
        project,
        files: SimpleFiles::new(),
        ids: HashMap::new(),
    };
    let reports: Vec<_> = diagnostics.iter().map(|d| sources.report(d)).collect();
    let mut out = if color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    let config = term::Config::default();
    for report in &reports {
        if term::emit(&mut out, &config, &sources.files, report).is_err() {
            // The file changed under us: fall back to the one-line form.
            use std::io::Write;
            let _ = writeln!(out, "{}", report.message);
        }
    }
    String::from_utf8_lossy(out.as_slice()).into_owned()
}

/// Files larger than this are not read to show their lines.
const MAX_SHOWN_FILE_BYTES: u64 = 16 * 1024 * 1024;
/// Lines longer than this are named but not printed.
const MAX_SHOWN_LINE_BYTES: usize = 4096;

/// The source files that diagnostics point into, read once each.
struct Sources<'a> {
    project: &'a Path,
    files: SimpleFiles<String, String>,
    ids: HashMap<String, Option<usize>>,
}

impl Sources<'_> {
    fn file_id(&mut self, path: &str) -> Option<usize> {
        if let Some(id) = self.ids.get(path) {
            return *id;
        }
        // Source lines are shown from files of a sensible size only (a diagnostic may be
        // about a file too large to read).
        let path_on_disk = self.project.join(path);
        // Nor from a file outside the project (a link followed with `follow-symlinks`):
        // its lines are not the author's to print.
        let inside = match (path_on_disk.canonicalize(), self.project.canonicalize()) {
            (Ok(real), Ok(project)) => real.starts_with(project),
            _ => false,
        };
        let readable = inside
            && std::fs::metadata(&path_on_disk)
                .is_ok_and(|m| m.is_file() && m.len() <= MAX_SHOWN_FILE_BYTES);
        let bytes = readable
            .then(|| std::fs::read(&path_on_disk).ok())
            .flatten();
        let id = bytes.map(|bytes| {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            self.files.add(path.to_string(), text)
        });
        self.ids.insert(path.to_string(), id);
        id
    }

    /// Maps a span to a file id and byte range, when its line exists in the file.
    fn locate(&mut self, span: &Span) -> Option<(usize, std::ops::Range<usize>)> {
        if span.line == 0 {
            return None;
        }
        let id = self.file_id(&span.path)?;
        let text = self.files.get(id).ok()?.source();
        let line_start = if span.line == 1 {
            0
        } else {
            text.match_indices('\n').nth(span.line - 2)?.0 + 1
        };
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i);
        let line = &text[line_start..line_end];
        if line.len() > MAX_SHOWN_LINE_BYTES {
            return None; // a minified or generated line: named, not printed
        }
        let column_offset = line
            .char_indices()
            .nth(span.column.saturating_sub(1))
            .map_or(line.len(), |(i, _)| i);
        let start = line_start + column_offset;
        let end = floor_char_boundary(text, (start + span.len).min(line_end)).max(start);
        Some((id, start..end))
    }

    fn report(&mut self, diagnostic: &Diagnostic) -> Report<usize> {
        let mut labels = Vec::new();
        let mut notes = Vec::new();
        let places = diagnostic.span.iter().map(|span| (span, "", true)).chain(
            diagnostic
                .related
                .iter()
                .map(|(s, l)| (s, l.as_str(), false)),
        );
        for (span, label, primary) in places {
            match (self.locate(span), primary) {
                (Some((id, range)), true) => {
                    labels.push(Label::primary(id, range).with_message(label))
                }
                (Some((id, range)), false) => {
                    labels.push(Label::secondary(id, range).with_message(label))
                }
                (None, true) => notes.push(format!("in {span}")),
                (None, false) => notes.push(format!("{label}: {span}")),
            }
        }
        if let Some(help) = &diagnostic.help {
            notes.push(format!("help: {help}"));
        }
        let report = match diagnostic.severity {
            Severity::Error => Report::error(),
            Severity::Warning => Report::warning(),
            Severity::Note => Report::note(),
        };
        report
            .with_code(diagnostic.code)
            .with_message(&diagnostic.message)
            .with_labels(labels)
            .with_notes(notes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn span_from_offset_counts_lines_and_characters() {
        let text = "a\nbé: x\n";
        let span = Span::from_offset("f.md", text, text.find('x').unwrap());
        assert_eq!((span.line, span.column), (2, 5));
        assert_eq!(span.to_string(), "f.md:2:5");
    }

    #[test]
    fn human_rendering_shows_the_line_and_a_caret() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("a.md"),
            "---\nid: X\nrelated: [NOPE]\n---\n",
        )
        .unwrap();
        let diagnostic = Diagnostic::error("E0100", "unknown id `NOPE`")
            .at(Span::at("a.md", 3, 11).with_len(4))
            .help("did you mean `X`?");
        let text = render_human(&[diagnostic], dir.path(), false);
        assert!(text.contains("error[E0100]: unknown id `NOPE`"), "{text}");
        assert!(text.contains("a.md:3:11"), "{text}");
        assert!(text.contains("related: [NOPE]"), "{text}");
        assert!(text.contains("^^^^"), "{text}");
        assert!(text.contains("help: did you mean `X`?"), "{text}");
    }
}
