//! Write: the only stage that touches the output folder. Everything is written into a
//! temporary folder beside the destination, which replaces the destination only when the
//! whole build succeeded, so a failed build never leaves a half-written site.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _, Result};

/// Writes a site into a staging folder and swaps it into place.
pub struct SiteWriter {
    destination: PathBuf,
    staging: tempfile::TempDir,
}

impl SiteWriter {
    /// Prepares a staging folder beside `destination` (same file system, so the swap is a rename).
    pub fn create(destination: &Path) -> Result<SiteWriter> {
        let parent = destination
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        let name = destination
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "site".into());
        let staging = tempfile::Builder::new()
            .prefix(&format!(".{name}.building-"))
            .tempdir_in(parent)
            .with_context(|| format!("cannot create a staging folder in {}", parent.display()))?;
        Ok(SiteWriter {
            destination: destination.to_path_buf(),
            staging,
        })
    }

    /// The folder being written.
    pub fn staging_dir(&self) -> &Path {
        self.staging.path()
    }

    /// Writes one file at `rel` (a `/`-separated path inside the site).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        if rel
            .split('/')
            .any(|part| part == ".." || part.is_empty() && rel.starts_with('/'))
        {
            bail!("refusing to write outside the site: {rel}");
        }
        let path = self.staging.path().join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        let mut file =
            fs::File::create(&path).with_context(|| format!("cannot write {}", path.display()))?;
        file.write_all(bytes)
            .with_context(|| format!("cannot write {}", path.display()))?;
        Ok(())
    }

    /// Copies a file into the site.
    pub fn copy(&self, from: &Path, rel: &str) -> Result<()> {
        let bytes = fs::read(from).with_context(|| format!("cannot read {}", from.display()))?;
        self.write(rel, &bytes)
    }

    /// Replaces the destination with the staging folder. The old site is moved aside first
    /// and removed only once the new one is in place.
    pub fn commit(self) -> Result<PathBuf> {
        let staging = self.staging.keep();
        let destination = self.destination;
        let old = if destination.exists() {
            let aside = staging.with_extension("old");
            fs::rename(&destination, &aside).with_context(|| {
                format!(
                    "cannot move the previous site {} aside",
                    destination.display()
                )
            })?;
            Some(aside)
        } else {
            None
        };
        if let Err(err) = fs::rename(&staging, &destination) {
            if let Some(old) = &old {
                let _ = fs::rename(old, &destination);
            }
            let _ = fs::remove_dir_all(&staging);
            return Err(err)
                .with_context(|| format!("cannot move the new site to {}", destination.display()));
        }
        if let Some(old) = old {
            // The new site is in place; a leftover of the old one is only untidy, not wrong.
            remove_tree(&old);
        }
        Ok(destination)
    }
}

/// Removes a folder tree, deleting files in parallel (large sites have many thousands).
fn remove_tree(root: &Path) {
    use rayon::prelude::*;
    let mut files = Vec::new();
    let mut folders = vec![root.to_path_buf()];
    let mut index = 0;
    while index < folders.len() {
        if let Ok(entries) = fs::read_dir(&folders[index]) {
            for entry in entries.flatten() {
                match entry.file_type() {
                    Ok(kind) if kind.is_dir() => folders.push(entry.path()),
                    _ => files.push(entry.path()),
                }
            }
        }
        index += 1;
    }
    files.par_iter().for_each(|file| {
        let _ = fs::remove_file(file);
    });
    // Children were found after their parents: remove in reverse.
    for folder in folders.iter().rev() {
        let _ = fs::remove_dir(folder);
    }
    if root.exists() {
        let _ = fs::remove_dir_all(root);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_replaces_and_drop_discards() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("book");
        fs::create_dir(&dest).unwrap();
        fs::write(dest.join("old.html"), "old").unwrap();

        let abandoned = SiteWriter::create(&dest).unwrap();
        abandoned.write("new.html", b"new").unwrap();
        drop(abandoned);
        assert!(
            dest.join("old.html").exists(),
            "an abandoned build must not touch the site"
        );

        let writer = SiteWriter::create(&dest).unwrap();
        writer.write("a/b/index.html", b"hi").unwrap();
        writer.commit().unwrap();
        assert_eq!(
            fs::read_to_string(dest.join("a/b/index.html")).unwrap(),
            "hi"
        );
        assert!(!dest.join("old.html").exists());
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "staging folders are cleaned up");
    }

    #[test]
    fn refuses_paths_outside_the_site() {
        let dir = tempfile::tempdir().unwrap();
        let writer = SiteWriter::create(&dir.path().join("book")).unwrap();
        assert!(writer.write("../escape.html", b"x").is_err());
    }
}
