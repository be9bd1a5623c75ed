//! Reading `book.toml` for `check`: every problem at once, each with its line and a likely
//! fix, and a configuration to go on with whenever the file's syntax allows it.
//!
//! serde stops at the first unknown key or wrong value. To report them all, and still check
//! the content, the offending entry is blanked out (its bytes turned into spaces, so that
//! every offset stays valid) and the text parsed again, up to a bound.

use std::path::{Component, Path, PathBuf};

use super::{Config, CONFIG_FILE};
use crate::diagnostics::{Diagnostic, Span};

/// At most this many problems are reported from one `book.toml`.
const MAX_PROBLEMS: usize = 64;

/// Parses `text` (the whole of book.toml). `Ok` holds a configuration and the problems found
/// (entries with problems take their defaults); `Err` when the file is not TOML at all.
pub fn parse_checked(text: &str) -> Result<(Config, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let mut working = text.to_string();
    for _ in 0..MAX_PROBLEMS {
        let err = match toml::from_str::<Config>(&working) {
            Ok(config) => {
                problems.extend(check_values(&config, text));
                crate::diagnostics::sort(&mut problems);
                return Ok((config, problems));
            }
            Err(err) => err,
        };
        let syntax = toml::from_str::<toml::Table>(&working).is_err();
        problems.push(diagnostic(text, &err, syntax));
        let Some(range) = err.span().filter(|_| !syntax) else {
            return Err(problems);
        };
        if !blank_entry(&mut working, range.start) {
            return Err(problems);
        }
    }
    Err(problems)
}

/// The diagnostic for one TOML error, with did-you-mean for unknown keys.
fn diagnostic(text: &str, err: &toml::de::Error, syntax: bool) -> Diagnostic {
    let span = err.span().map_or_else(
        || Span::file(CONFIG_FILE),
        |range| {
            let len = range.len().min(text.len().saturating_sub(range.start));
            Span::from_offset(CONFIG_FILE, text, range.start).with_len(len)
        },
    );
    let message = err.message().trim().to_string();
    if syntax {
        return Diagnostic::error("E0002", format!("book.toml is not valid TOML: {message}"))
            .at(span);
    }
    let Some(unknown) = backticked(&message)
        .into_iter()
        .next()
        .filter(|_| message.starts_with("unknown field") || message.starts_with("unknown variant"))
    else {
        let section = err.span().and_then(|r| section_at(text, r.start));
        let message = match section {
            Some(section) => format!("invalid value in `[{section}]`: {message}"),
            None => format!("invalid value in book.toml: {message}"),
        };
        return Diagnostic::error("E0002", message).at(span);
    };
    let expected: Vec<String> = message
        .split_once("expected")
        .map(|(_, rest)| backticked(rest))
        .unwrap_or_default();
    let section = err.span().and_then(|r| section_at(text, r.start));
    let (what, message) = match &section {
        Some(section) if !is_header(text, err.span().map_or(0, |r| r.start)) => (
            format!("`[{section}]`"),
            format!("unknown key `{unknown}` in `[{section}]`"),
        ),
        _ => (
            "book.toml".to_string(),
            format!("unknown section `[{unknown}]` in book.toml"),
        ),
    };
    let diagnostic = Diagnostic::error("E0003", message).at(span);
    let help = match did_you_mean(&unknown, &expected) {
        Some(best) => format!("did you mean `{best}`?"),
        None if expected.is_empty() => "remove it".to_string(),
        None => format!("{what} takes: {}", expected.join(", ")),
    };
    diagnostic.help(help)
}

/// The texts between backticks in `text`.
fn backticked(text: &str) -> Vec<String> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// The closest of `candidates` to `word`, when close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, candidates: &'a [String]) -> Option<&'a str> {
    let word = word.to_lowercase();
    candidates
        .iter()
        .map(|c| (strsim::damerau_levenshtein(&word, &c.to_lowercase()), c))
        .filter(|(distance, c)| {
            *distance <= (c.chars().count() / 3).max(1)
                || c.replace('-', "_") == word.replace('-', "_")
        })
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c.as_str())
}

/// The name of the `[section]` whose body holds byte `offset`.
fn section_at(text: &str, offset: usize) -> Option<String> {
    let before = text.get(..offset)?;
    before.lines().rev().find_map(|line| {
        let line = line.trim();
        let name = line.strip_prefix('[')?.split(']').next()?;
        Some(name.trim_matches(['[', ']', ' ']).to_string())
    })
}

/// True when byte `offset` stands on a `[header]` line.
fn is_header(text: &str, offset: usize) -> bool {
    let start = text
        .get(..offset)
        .and_then(|b| b.rfind('\n'))
        .map_or(0, |i| i + 1);
    text[start..].trim_start().starts_with('[')
}

/// Turns the entry at byte `offset` into spaces: a `[header]` line with its whole section,
/// or a `key = value` line with however many following lines its value takes. False when
/// nothing could be blanked into valid TOML.
fn blank_entry(text: &mut String, offset: usize) -> bool {
    let offset = offset.min(text.len());
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end =
        |from: usize, text: &str| text[from..].find('\n').map_or(text.len(), |i| from + i);
    if text[line_start..].trim_start().starts_with('[') {
        // A section: up to the next header.
        let mut end = line_end(line_start, text);
        while end < text.len() {
            let next = end + 1;
            if text[next..].trim_start().starts_with('[') {
                break;
            }
            end = line_end(next, text);
        }
        blank(text, line_start, end);
        return toml::from_str::<toml::Table>(text).is_ok();
    }
    // The line at the offset may hold the whole entry or the start (or a part) of a
    // multi-line value: blank lines until the text is valid TOML again.
    let mut end = line_end(line_start, text);
    for _ in 0..MAX_PROBLEMS {
        let mut attempt = text.clone();
        blank(&mut attempt, line_start, end);
        if toml::from_str::<toml::Table>(&attempt).is_ok() {
            *text = attempt;
            return true;
        }
        if end >= text.len() {
            return false;
        }
        end = line_end(end + 1, text);
    }
    false
}

/// Replaces the bytes `start..end` (not newlines) with spaces, keeping every offset.
fn blank(text: &mut String, start: usize, end: usize) {
    let blanked: String = text[start..end]
        .bytes()
        .map(|b| {
            if b == b'\n' || b == b'\r' {
                b as char
            } else {
                ' '
            }
        })
        .collect();
    text.replace_range(start..end, &blanked);
}

/// Checks of values serde accepts but the build cannot use.
fn check_values(config: &Config, text: &str) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let at_key = |key: &str| {
        text.lines()
            .position(|l| {
                l.trim_start()
                    .strip_prefix(key)
                    .is_some_and(|r| r.trim_start().starts_with('='))
            })
            .map_or_else(
                || Span::file(CONFIG_FILE),
                |i| Span::at(CONFIG_FILE, i + 1, 1),
            )
    };
    if let Some(problem) = overlap(&config.build.build_dir, &config.build.content_dir) {
        problems.push(
            Diagnostic::error("E0004", format!("`build-dir` {problem}"))
                .at(at_key("build-dir"))
                .help("building replaces that folder entirely; choose a folder of its own, such as \"book\""),
        );
    }
    if let Some(problem) = base_url_problem(&config.site.base_url) {
        problems.push(
            Diagnostic::error("E0004", format!("`base-url` {problem}"))
                .at(at_key("base-url"))
                .help("use a path such as \"/\" or \"/repo/\", or a full http(s) address such as \"https://org.github.io/repo/\""),
        );
    }
    problems.extend(check_releases(&config.releases, text));
    if config.build.render_timeout == 0 {
        problems.push(
            Diagnostic::error("E0004", "`render-timeout` is 0: no page could be rendered")
                .at(at_key("render-timeout"))
                .help("give the seconds a page may take to render; the default is 10"),
        );
    }
    if config.build.content_dir.as_os_str().is_empty() {
        problems.push(
            Diagnostic::error("E0004", "`content-dir` is empty")
                .at(at_key("content-dir"))
                .help("the default is \"content\""),
        );
    }
    problems
}

/// Why a base URL cannot be used in the site's links, if it cannot: only a path or an
/// http(s) address may be (not `javascript:` or `data:`, which would run or carry content).
pub fn base_url_problem(url: &str) -> Option<&'static str> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        let host = &url[url.find("://")? + 3..];
        return host
            .starts_with(|c: char| c.is_ascii_alphanumeric() || c == '[')
            .then_some(())
            .map_or(Some("has no host after its scheme"), |()| None);
    }
    if !url.starts_with('/') || url.starts_with("//") {
        return Some("must be a path starting with `/` or an http(s) address");
    }
    if url.contains(['"', '<', '>', '\\', ' ']) {
        return Some("holds characters that cannot stand in a link");
    }
    None
}

/// Each `[[releases]]` names exactly one source, inside the project, and a version of its own.
fn check_releases(releases: &[super::Release], text: &str) -> Vec<Diagnostic> {
    let headers: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim_start().starts_with("[[releases]]"))
        .map(|(i, _)| i + 1)
        .collect();
    let mut problems = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (n, release) in releases.iter().enumerate() {
        let span = headers.get(n).map_or_else(
            || Span::file(CONFIG_FILE),
            |&line| Span::at(CONFIG_FILE, line, 1),
        );
        let given = [
            release.path.is_some(),
            release.git.is_some(),
            release.oscal.is_some(),
        ];
        let count = given.iter().filter(|g| **g).count();
        if count != 1 {
            problems.push(
                Diagnostic::error(
                    "E0005",
                    format!(
                        "release `{}` must name exactly one of `path`, `git` and `oscal` ({count} given)",
                        release.version
                    ),
                )
                .at(span.clone())
                .help("`path = \"releases/0.9\"` (a project folder), `git = \"v0.9\"` (a tag of this repository) or `oscal = \"catalog-0.9.json\"`"),
            );
        }
        for path in [&release.path, &release.oscal].into_iter().flatten() {
            if normalize(path).is_none_or(|p| p.as_os_str().is_empty() || p.starts_with("..")) {
                problems.push(
                    Diagnostic::error(
                        "E0005",
                        format!(
                            "release `{}`: `{}` is not a path inside the project",
                            release.version,
                            path.display()
                        ),
                    )
                    .at(span.clone())
                    .help(
                        "give a relative path below the project folder, such as \"releases/0.9\"",
                    ),
                );
            }
        }
        if release.version.trim().is_empty() || !seen.insert(release.version.trim()) {
            problems.push(
                Diagnostic::error(
                    "E0005",
                    format!(
                        "release version `{}` is empty or given twice",
                        release.version
                    ),
                )
                .at(span)
                .help("give each release its own `version`"),
            );
        }
    }
    problems
}

/// Why an output folder would destroy sources, if it would: it is the project folder, a
/// folder above it, the content folder or the themes, or it holds or lies in the content.
fn overlap(build_dir: &Path, content_dir: &Path) -> Option<&'static str> {
    let build = normalize(build_dir)?;
    let content = normalize(content_dir);
    if build.as_os_str().is_empty() {
        return Some("is the project folder itself");
    }
    if build.starts_with("..") {
        return Some("is outside the project, or above it");
    }
    if build == Path::new("themes") || build.starts_with("themes") {
        return Some("is the themes folder");
    }
    let content = content?;
    if content.starts_with(&build) {
        return Some("holds the content folder");
    }
    if build.starts_with(&content) {
        return Some("is inside the content folder");
    }
    None
}

/// A relative path with `.` and `name/..` folded away; `..` kept at the start. None for
/// absolute paths (the user chose a place outside the project on purpose).
fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out: Vec<&std::ffi::OsStr> = Vec::new();
    let mut ups = 0;
    for component in path.components() {
        match component {
            Component::Normal(name) => out.push(name),
            Component::CurDir => {}
            Component::ParentDir => {
                if out.pop().is_none() {
                    ups += 1;
                }
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    let mut result = PathBuf::new();
    for _ in 0..ups {
        result.push("..");
    }
    result.extend(out);
    Some(result)
}

/// Checks an output folder chosen on the command line (`build --dest-dir`) the same way.
pub fn check_output_dir(project: &Path, output: &Path, content_dir: &Path) -> Option<Diagnostic> {
    let project = project.canonicalize().ok()?;
    let output = absolute(output)?;
    let content = project.join(content_dir);
    let home = std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .and_then(|h| PathBuf::from(h).canonicalize().ok());
    let problem = if project.starts_with(&output) {
        Some("is the project folder or a folder above it")
    } else if output.components().any(|c| c.as_os_str() == ".git") {
        Some("is inside a git repository's own folder (.git)")
    } else if output.join(".git").exists() {
        Some("is the root of a git repository")
    } else if home.is_some_and(|home| home.starts_with(&output)) {
        Some("is your home folder or a folder above it")
    } else if content.starts_with(&output) || output.starts_with(&content) {
        Some("overlaps the content folder")
    } else if output.starts_with(project.join("themes")) {
        Some("is inside the themes folder")
    } else {
        None
    };
    problem.map(|problem| {
        Diagnostic::error(
            "E0004",
            format!("the output folder {} {problem}", output.display()),
        )
        .help("building replaces that folder entirely; choose a folder of its own")
    })
}

/// `path` made absolute and folded lexically (it may not exist yet).
fn absolute(path: &Path) -> Option<PathBuf> {
    let path = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().ok()?.join(path)
    };
    // Fold against the longest existing ancestor, which canonicalize resolves.
    let mut existing = path.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        rest.push(existing.file_name()?.to_os_string());
        existing = existing.parent()?;
    }
    let mut out = existing.canonicalize().ok()?;
    for name in rest.into_iter().rev() {
        if name == ".." {
            out.pop();
        } else if name != "." {
            out.push(name);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_unknown_key_is_reported_with_a_suggestion() {
        let text = "[book]\ntitel = \"T\"\nautors = [\n  \"a\",\n]\n[serve]\nport = \"x\"\n[bulid]\ntheme = \"y\"\n";
        let (config, problems) = parse_checked(text).unwrap();
        let found: Vec<_> = problems
            .iter()
            .map(|p| (p.code, p.span.as_ref().unwrap().line, p.help.clone()))
            .collect();
        assert_eq!(found.len(), 4, "{problems:#?}");
        assert_eq!(found[0], ("E0003", 2, Some("did you mean `title`?".into())));
        assert_eq!(
            found[1],
            ("E0003", 3, Some("did you mean `authors`?".into()))
        );
        assert_eq!((found[2].0, found[2].1), ("E0002", 7));
        assert_eq!(found[3], ("E0003", 8, Some("did you mean `build`?".into())));
        assert_eq!(config.serve.port, 3000);
        assert!(
            problems[3].message.contains("section"),
            "{}",
            problems[3].message
        );
    }

    #[test]
    fn broken_syntax_cannot_be_recovered() {
        let problems = parse_checked("[book]\ntitle = \"x\n").unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].code, "E0002");
        assert_eq!(problems[0].span.as_ref().unwrap().line, 2);
    }

    #[test]
    fn build_dir_must_not_replace_sources() {
        for bad in [".", "", "..", "content", "content/site", "themes", "a/../."] {
            let text = format!("[build]\nbuild-dir = {bad:?}\n");
            let (_, problems) = parse_checked(&text).unwrap();
            assert_eq!(problems.len(), 1, "{bad}: {problems:?}");
            assert_eq!(problems[0].code, "E0004");
            assert_eq!(problems[0].span.as_ref().unwrap().line, 2);
        }
        for good in ["book", "site/out", "/tmp/elsewhere", "./public"] {
            let text = format!("[build]\nbuild-dir = {good:?}\n");
            assert!(parse_checked(&text).unwrap().1.is_empty(), "{good}");
        }
    }

    #[test]
    fn base_urls_are_paths_or_web_addresses() {
        for good in [
            "/",
            "/repo/",
            "https://org.github.io/repo/",
            "http://localhost:3000/",
        ] {
            assert!(base_url_problem(good).is_none(), "{good}");
        }
        for bad in [
            "javascript:alert(1)",
            "data:text/html,x",
            "repo/",
            "//evil.example/",
            "https://",
            "/a\"b",
        ] {
            assert!(base_url_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn output_dir_on_the_command_line_is_checked() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path();
        std::fs::create_dir(project.join("content")).unwrap();
        let content = Path::new("content");
        assert!(check_output_dir(project, project, content).is_some());
        assert!(check_output_dir(project, &project.join("content"), content).is_some());
        assert!(check_output_dir(project, &project.join("content/x"), content).is_some());
        assert!(check_output_dir(project, project.parent().unwrap(), content).is_some());
        assert!(check_output_dir(project, &project.join("book"), content).is_none());
        assert!(check_output_dir(project, &project.join(".git"), content).is_some());
        assert!(check_output_dir(project, &project.join(".git/x"), content).is_some());
        std::fs::create_dir_all(project.join("vendored/.git")).unwrap();
        assert!(check_output_dir(project, &project.join("vendored"), content).is_some());
        assert!(check_output_dir(project, &project.join("a/../book"), content).is_none());
    }
}
