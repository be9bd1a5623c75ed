//! Import: turns another format into a framework project. Writes content files and
//! book.toml only, never HTML; the normal pipeline builds the site from them.

pub use crate::oscal::import::{PlannedFile, Request as OscalRequest};
use crate::oscal::read::ReadError;

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

/// `framewright import oscal`: plans the import (`oscal::import`), then writes its files
/// all or nothing.
pub fn oscal(request: &OscalRequest) -> Result<ImportReport, ImportError> {
    let planned = crate::oscal::import::plan_request(request).map_err(|err| match err {
        ReadError::Invalid(message) => ImportError::Invalid(message),
        ReadError::Io(message) => ImportError::Io(anyhow::anyhow!(message)),
    })?;
    write_files(
        request.into,
        &planned.files,
        request.force || planned.changes,
    )?;
    Ok(ImportReport {
        into: request.into.to_path_buf(),
        files: planned.files.into_iter().map(|(path, _)| path).collect(),
        items: planned.items,
        notes: planned.notes,
    })
}

/// Writes planned files under `into`, all or nothing. Writes nothing when any of them
/// exists, unless `force`.
///
/// Every file is first written into a staging folder inside `into`, then renamed into
/// place; a failure before the renames leaves `into` as it was (a folder created for the
/// import is removed again), and a failed rename takes back the files already moved that
/// did not exist before.
pub fn write_files(into: &Path, files: &[PlannedFile], force: bool) -> Result<(), ImportError> {
    let existing: Vec<PathBuf> = files
        .iter()
        .map(|(rel, _)| into.join(rel))
        .filter(|path| path.exists())
        .collect();
    if !force && !existing.is_empty() {
        return Err(ImportError::Exists(existing));
    }
    let created = !into.exists();
    fs::create_dir_all(into)
        .with_context(|| format!("cannot create {}", into.display()))
        .map_err(ImportError::Io)?;
    let result = stage_and_move(into, files);
    if result.is_err() && created {
        // Only what this import made is there: the folder it created.
        let _ = fs::remove_dir_all(into);
    }
    result.map_err(ImportError::Io)
}

fn stage_and_move(into: &Path, files: &[PlannedFile]) -> anyhow::Result<()> {
    let staging = tempfile::Builder::new()
        .prefix(".framewright-import-")
        .tempdir_in(into)
        .with_context(|| format!("cannot create a staging folder in {}", into.display()))?;
    for (rel, text) in files {
        let path = staging.path().join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    let mut moved: Vec<PathBuf> = Vec::new();
    let mut made_dirs: Vec<PathBuf> = Vec::new();
    for (rel, _) in files {
        let target = into.join(rel);
        let fresh = !target.exists();
        let step = (|| -> anyhow::Result<()> {
            if let Some(parent) = target.parent() {
                let mut missing: Vec<PathBuf> = parent
                    .ancestors()
                    .take_while(|a| !a.exists())
                    .map(Path::to_path_buf)
                    .collect();
                fs::create_dir_all(parent)
                    .with_context(|| format!("cannot create {}", parent.display()))?;
                made_dirs.append(&mut missing);
            }
            fs::rename(staging.path().join(rel), &target)
                .with_context(|| format!("cannot move {} into place", target.display()))
        })();
        if let Err(err) = step {
            for path in moved.iter().rev() {
                let _ = fs::remove_file(path);
            }
            for dir in &made_dirs {
                let _ = fs::remove_dir(dir);
            }
            return Err(err);
        }
        if fresh {
            moved.push(target);
        }
    }
    Ok(())
}
