//! Import: turns another format into a framework project. Writes content files and
//! book.toml only, never HTML; the normal pipeline builds the site from them.

pub use crate::oscal::import as oscal;

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Context;

/// Why an import failed.
#[derive(Debug)]
pub enum ImportError {
    /// The input is not what the importer reads (exit status 1): the message says why.
    Invalid(String),
    /// Files of the project already exist and `--force` was not given (exit status 2).
    Exists(Vec<PathBuf>),
    /// Reading or writing failed (exit status 2).
    Io(anyhow::Error),
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportError::Invalid(message) => write!(f, "{message}"),
            ImportError::Exists(paths) => {
                write!(f, "{} file(s) already exist:", paths.len())?;
                for path in paths.iter().take(10) {
                    write!(f, "\n  {}", path.display())?;
                }
                if paths.len() > 10 {
                    write!(f, "\n  … and {} more", paths.len() - 10)?;
                }
                Ok(())
            }
            ImportError::Io(err) => write!(f, "{err:#}"),
        }
    }
}

/// What an import wrote.
#[derive(Debug)]
pub struct ImportReport {
    /// The project folder.
    pub into: PathBuf,
    /// Files written, relative to it.
    pub files: Vec<PathBuf>,
    /// Framework items (groups and controls) created.
    pub items: usize,
    /// What the import decided that the user should know (a catalog found under another
    /// name, a directive read another way).
    pub notes: Vec<String>,
}

/// A file to write: path relative to the project, and its text.
pub type PlannedFile = (PathBuf, String);

/// Writes planned files under `into`. Writes nothing when any of them exists, unless `force`.
pub fn write_files(into: &Path, files: &[PlannedFile], force: bool) -> Result<(), ImportError> {
    if !force {
        let existing: Vec<PathBuf> = files
            .iter()
            .map(|(rel, _)| into.join(rel))
            .filter(|path| path.exists())
            .collect();
        if !existing.is_empty() {
            return Err(ImportError::Exists(existing));
        }
    }
    for (rel, text) in files {
        let path = into.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))
                .map_err(ImportError::Io)?;
        }
        fs::write(&path, text)
            .with_context(|| format!("cannot write {}", path.display()))
            .map_err(ImportError::Io)?;
    }
    Ok(())
}
