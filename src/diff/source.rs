//! Where a version of a framework comes from: a project folder, a git revision of a
//! project, or an OSCAL catalog. Revisions and catalogs are written to a temporary folder
//! (removed when loaded), never into the user's files.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::markdown::CodeBlocks;
use crate::model::Framework;

/// A version to compare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A project folder (with `book.toml` and `content/`).
    Folder(PathBuf),
    /// A revision (tag, branch, commit) of the git repository holding a project folder:
    /// the project as it was then.
    Git {
        /// The project folder now (inside a git work tree).
        project: PathBuf,
        /// The revision.
        rev: String,
    },
    /// An OSCAL catalog in JSON, read as `framewright import oscal` reads it.
    Oscal(PathBuf),
}

impl Source {
    /// Reads a command-line argument: `git:REV` (a revision of `project`), a `.json` file
    /// (an OSCAL catalog), else a project folder.
    pub fn parse(arg: &str, project: &Path) -> Source {
        if let Some(rev) = arg.strip_prefix("git:") {
            return Source::Git {
                project: project.to_path_buf(),
                rev: rev.to_string(),
            };
        }
        let path = PathBuf::from(arg);
        if path.is_file() || arg.to_ascii_lowercase().ends_with(".json") {
            Source::Oscal(path)
        } else {
            Source::Folder(path)
        }
    }

    /// How the version is named in messages: the folder, `git:REV`, the catalog.
    pub fn describe(&self) -> String {
        match self {
            Source::Folder(path) | Source::Oscal(path) => path.display().to_string(),
            Source::Git { rev, .. } => format!("git:{rev}"),
        }
    }
}

/// Why a version could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The folder, file or revision is not there or cannot be read.
    #[error("cannot read {what}: {message}")]
    Unreadable {
        /// The version, as given.
        what: String,
        /// Why.
        message: String,
    },
    /// The version was read but its content has errors.
    #[error("{what} has {} error(s):{}", .errors.len(), list(.errors))]
    Content {
        /// The version, as given.
        what: String,
        /// The errors, each with its place in that version.
        errors: Vec<Diagnostic>,
    },
}

fn list(errors: &[Diagnostic]) -> String {
    let mut out = String::new();
    for error in errors.iter().take(10) {
        let place = error
            .span
            .as_ref()
            .map(|s| format!("{s}: "))
            .unwrap_or_default();
        out.push_str(&format!("\n  {place}{}", error.message));
    }
    if errors.len() > 10 {
        out.push_str(&format!("\n  … and {} more", errors.len() - 10));
    }
    out
}

/// Loads the framework of one version.
pub fn load(source: &Source) -> Result<Framework, SourceError> {
    let what = source.describe();
    let unreadable = |message: String| SourceError::Unreadable {
        what: what.clone(),
        message,
    };
    match source {
        Source::Folder(path) => {
            if !path.is_dir() {
                return Err(unreadable("no such project folder".into()));
            }
            load_project(path, &what)
        }
        Source::Git { project, rev } => {
            let temp = temp_dir().map_err(unreadable)?;
            export_revision(project, rev, temp.path()).map_err(unreadable)?;
            load_project(temp.path(), &what)
        }
        Source::Oscal(catalog) => {
            if !catalog.is_file() {
                return Err(unreadable("no such file".into()));
            }
            let temp = temp_dir().map_err(unreadable)?;
            write_catalog_as_project(catalog, temp.path()).map_err(unreadable)?;
            load_project(temp.path(), &what)
        }
    }
}

/// Writes the project that `framewright import oscal` makes of `catalog` into the empty
/// temporary folder `into`.
fn write_catalog_as_project(catalog: &Path, into: &Path) -> Result<(), String> {
    let request = crate::oscal::import::Request {
        file: Some(catalog),
        catalog: None,
        baselines: &[],
        into,
        force: true,
    };
    let planned = crate::oscal::import::plan_request(&request).map_err(|err| match err {
        crate::oscal::read::ReadError::Invalid(message)
        | crate::oscal::read::ReadError::Io(message) => message,
    })?;
    for (rel, text) in &planned.files {
        let path = into.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|err| err.to_string())?;
        }
        std::fs::write(&path, text)
            .map_err(|err| format!("cannot write {}: {err}", path.display()))?;
    }
    Ok(())
}

fn temp_dir() -> Result<tempfile::TempDir, String> {
    tempfile::Builder::new()
        .prefix("framewright-diff-")
        .tempdir()
        .map_err(|err| format!("cannot make a temporary folder: {err}"))
}

/// Reads a project's content. Problems in its book.toml do not matter here (an older
/// version may use keys this one no longer knows); errors in its content do.
fn load_project(root: &Path, what: &str) -> Result<Framework, SourceError> {
    let config = match Config::load_checked(root) {
        Ok((config, _)) => config,
        Err(errors) => {
            return Err(SourceError::Content {
                what: what.to_string(),
                errors,
            })
        }
    };
    let (framework, diagnostics) = crate::load::load_with(root, config, CodeBlocks::Plain);
    let errors: Vec<Diagnostic> = diagnostics
        .into_iter()
        .filter(Diagnostic::is_error)
        .collect();
    if errors.is_empty() {
        Ok(framework)
    } else {
        Err(SourceError::Content {
            what: what.to_string(),
            errors,
        })
    }
}

/// Writes the files of `project` as they were at `rev` into `into` (`git archive`, so the
/// repository and its work tree are left as they are).
fn export_revision(project: &Path, rev: &str, into: &Path) -> Result<(), String> {
    if rev.is_empty() || rev.starts_with('-') {
        return Err(format!("`{rev}` is not a revision"));
    }
    let git = |args: &[&str]| -> Result<String, String> {
        let output = Command::new("git")
            .arg("-C")
            .arg(project)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .map_err(|err| format!("cannot run git: {err}"))?;
        if output.status.success() {
            Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
        } else {
            Err(String::from_utf8_lossy(&output.stderr).trim().to_string())
        }
    };
    git(&["rev-parse", "--is-inside-work-tree"])
        .map_err(|_| format!("{} is not inside a git repository", project.display()))?;
    let commit = format!("{rev}^{{commit}}");
    git(&["rev-parse", "--verify", "--quiet", &commit]).map_err(|_| {
        format!(
            "the git repository at {} has no revision `{rev}` (see `git tag` for the tags it has)",
            project.display()
        )
    })?;
    let prefix = git(&["rev-parse", "--show-prefix"])?;
    // Run from the top: from a subfolder, `git archive` would keep only that subfolder's
    // part of the tree it is given.
    let top = git(&["rev-parse", "--show-toplevel"])?;
    let tree = format!("{rev}:{prefix}");
    git(&["rev-parse", "--verify", "--quiet", &tree])
        .map_err(|_| format!("the project folder `{prefix}` does not exist at revision `{rev}`"))?;
    let mut archive = Command::new("git")
        .arg("-C")
        .arg(&top)
        .args(["archive", "--format=tar", &tree])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|err| format!("cannot run git: {err}"))?;
    let tar_input = archive.stdout.take().ok_or("cannot read git's output")?;
    let unpacked = Command::new("tar")
        .arg("-x")
        .arg("-C")
        .arg(into)
        .stdin(tar_input)
        .output()
        .map_err(|err| format!("cannot run tar: {err}"))?;
    let archived = archive
        .wait_with_output()
        .map_err(|err| format!("git archive failed: {err}"))?;
    if !archived.status.success() {
        let message = String::from_utf8_lossy(&archived.stderr);
        return Err(format!("git archive failed: {}", message.trim()));
    }
    if !unpacked.status.success() {
        let message = String::from_utf8_lossy(&unpacked.stderr);
        return Err(format!(
            "cannot unpack revision `{rev}`: {}",
            message.trim()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_name_their_kind_of_version() {
        let here = Path::new("proj");
        assert_eq!(
            Source::parse("git:v1.0", here),
            Source::Git {
                project: here.into(),
                rev: "v1.0".into()
            }
        );
        assert_eq!(
            Source::parse("old/catalog.json", here),
            Source::Oscal("old/catalog.json".into())
        );
        assert_eq!(
            Source::parse("releases/0.9", here),
            Source::Folder("releases/0.9".into())
        );
    }

    #[test]
    fn a_missing_folder_is_a_clear_error() {
        let err = load(&Source::Folder("/nonexistent/framewright".into())).unwrap_err();
        assert!(err.to_string().contains("no such project folder"), "{err}");
    }
}
