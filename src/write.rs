//! Write: the only stage that touches the output folder. Nothing reaches the destination
//! until the whole build has succeeded, so a failed build never leaves a half-written site.
//!
//! A first build writes into a staging folder beside the destination and renames it into
//! place. A rebuild over an existing site compares each file with the one already there:
//! only files that differ are staged, and at the end they are moved into place and files
//! the new site no longer has are removed. Unchanged files keep their bytes and their
//! modification times (deploy tools that compare times upload only what changed), and the
//! cost of deleting and recreating tens of thousands of files is gone.

use std::collections::HashSet;
use std::fs;
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{bail, Context as _, Result};
use rayon::prelude::*;

/// Writes a site so that it appears all at once, when the build has succeeded.
pub struct SiteWriter {
    destination: PathBuf,
    staging: tempfile::TempDir,
    /// Every file of the new site, and which of them were staged (new or changed).
    written: Mutex<Written>,
    /// The files and folders of the existing site, listed on a thread of its own while
    /// the build runs (the commit needs them to find what the new site no longer has).
    /// None when there is no site yet: then the staging folder becomes the site.
    existing: Option<SiteListing>,
}

/// A listing of an existing site, made on a thread of its own.
pub struct SiteListing {
    root: PathBuf,
    handle: std::thread::JoinHandle<Listing>,
}

impl SiteListing {
    /// Starts listing the site at `destination`, when there is one. A build starts this
    /// before it loads the content, so the listing is ready by the commit.
    pub fn start(destination: &Path) -> Option<SiteListing> {
        destination.is_dir().then(|| {
            let root = destination.to_path_buf();
            let walk = root.clone();
            SiteListing {
                root,
                handle: std::thread::spawn(move || list_tree(&walk)),
            }
        })
    }

    fn finish(self) -> Listing {
        self.handle.join().unwrap_or_else(|_| list_tree(&self.root))
    }
}

/// The files and folders under a folder, as `/`-separated relative paths; folders are
/// listed before what they hold.
#[derive(Debug, Default)]
struct Listing {
    files: Vec<String>,
    folders: Vec<String>,
}

#[derive(Default)]
struct Written {
    all: Vec<String>,
    staged: Vec<String>,
}

/// What a commit did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CommitSummary {
    /// Files in the new site.
    pub files: usize,
    /// Files written because they are new or their content changed.
    pub changed: usize,
    /// Files of the previous site that the new one no longer has, removed.
    pub removed: usize,
}

impl SiteWriter {
    /// Prepares a staging folder beside `destination` (same file system, so moving files
    /// into place is a rename).
    pub fn create(destination: &Path) -> Result<SiteWriter> {
        SiteWriter::create_with(destination, None)
    }

    /// Like [`SiteWriter::create`], with a listing of the destination already under way
    /// (one of another folder is ignored).
    pub fn create_with(destination: &Path, listing: Option<SiteListing>) -> Result<SiteWriter> {
        if destination.exists() && !destination.is_dir() {
            bail!(
                "{} exists and is not a folder; choose another destination or remove it",
                destination.display()
            );
        }
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
        let existing = match listing {
            Some(listing) if listing.root == destination => Some(listing),
            _ => SiteListing::start(destination),
        };
        Ok(SiteWriter {
            destination: destination.to_path_buf(),
            staging,
            written: Mutex::default(),
            existing,
        })
    }

    /// Writes one file at `rel` (a `/`-separated path inside the site).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.write_parts(rel, &[bytes])
    }

    /// Writes one file at `rel` made of `parts`, one after the other.
    pub fn write_parts(&self, rel: &str, parts: &[impl AsRef<[u8]>]) -> Result<()> {
        if rel
            .split('/')
            .any(|part| part == ".." || part.is_empty() && rel.starts_with('/'))
        {
            bail!("refusing to write outside the site: {rel}");
        }
        let update = self.existing.is_some();
        let unchanged = update && same_content(&self.destination.join(rel), parts);
        if !unchanged {
            let path = self.staging.path().join(rel);
            write_file(&path, parts)?;
        }
        let mut written = self.written.lock().unwrap_or_else(|e| e.into_inner());
        written.all.push(rel.to_string());
        if !unchanged {
            written.staged.push(rel.to_string());
        }
        Ok(())
    }

    /// Puts the new site in place: renames the staging folder over a first build's
    /// destination, or moves the changed files of a rebuild into the existing site and
    /// removes the files it no longer has.
    pub fn commit(self) -> Result<CommitSummary> {
        let written = self.written.into_inner().unwrap_or_else(|e| e.into_inner());
        let Some(listing) = self.existing else {
            let staging = self.staging.keep();
            fs::rename(&staging, &self.destination).with_context(|| {
                format!("cannot move the new site to {}", self.destination.display())
            })?;
            return Ok(CommitSummary {
                files: written.all.len(),
                changed: written.staged.len(),
                removed: 0,
            });
        };
        // The listing is of the site as it was: finish it before anything moves.
        let existing = listing.finish();
        let staging = self.staging.path();
        for rel in &written.staged {
            move_into_place(&staging.join(rel), &self.destination.join(rel))?;
        }
        let keep: HashSet<&str> = written.all.iter().map(String::as_str).collect();
        let removed = remove_stale(&self.destination, &keep, &existing)?;
        Ok(CommitSummary {
            files: written.all.len(),
            changed: written.staged.len(),
            removed,
        })
        // The staging folder, now holding only empty folders, goes when `self.staging` drops.
    }

    /// The destination folder.
    pub fn destination(&self) -> &Path {
        &self.destination
    }
}

/// Whether the file at `path` holds exactly `parts`, one after the other (false when it
/// cannot be read).
fn same_content(path: &Path, parts: &[impl AsRef<[u8]>]) -> bool {
    let Ok(mut file) = fs::File::open(path) else {
        return false;
    };
    if let [whole] = parts {
        let whole = whole.as_ref();
        if whole.len() < 1 << 20 {
            return same_small_file(&mut file, whole);
        }
    }
    let len: usize = parts.iter().map(|p| p.as_ref().len()).sum();
    match file.metadata() {
        Ok(meta) if meta.is_file() && meta.len() == len as u64 => {}
        _ => return false,
    }
    let mut chunk = vec![0u8; len.min(64 * 1024)];
    for part in parts {
        let mut rest = part.as_ref();
        while !rest.is_empty() {
            let want = rest.len().min(chunk.len());
            if file.read_exact(&mut chunk[..want]).is_err() || chunk[..want] != rest[..want] {
                return false;
            }
            rest = &rest[want..];
        }
    }
    // Nothing may follow (the file could have grown since its size was read).
    matches!(file.read(&mut [0u8; 1]), Ok(0))
}

/// [`same_content`] for a page of one part: a single read of one byte more than the page
/// tells both the content and the length, with no `stat` (most pages of a site take this
/// way: three system calls each).
fn same_small_file(file: &mut fs::File, bytes: &[u8]) -> bool {
    thread_local! {
        static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    BUFFER.with(|buffer| {
        let mut buffer = buffer.borrow_mut();
        if buffer.len() < bytes.len() + 1 {
            buffer.resize(bytes.len() + 1, 0);
        }
        let window = &mut buffer[..bytes.len() + 1];
        // A regular file reads short only at its end, so a short read ends the loop
        // without the extra read that would return 0.
        let mut filled = 0;
        while filled < window.len() {
            let asked = window.len() - filled;
            match file.read(&mut window[filled..]) {
                Ok(0) => break,
                Ok(n) => {
                    filled += n;
                    if n < asked {
                        break;
                    }
                }
                Err(err) if err.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => return false,
            }
        }
        filled == bytes.len() && window[..filled] == *bytes
    })
}

/// Writes a file made of `parts`, creating its folder.
fn write_file(path: &Path, parts: &[impl AsRef<[u8]>]) -> Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let file =
        fs::File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, file);
    for part in parts {
        out.write_all(part.as_ref())
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    out.flush()
        .with_context(|| format!("cannot write {}", path.display()))
}

/// Moves a staged file over its place in the site, clearing whatever is in the way (a
/// folder where the file goes, a file where one of its folders goes).
fn move_into_place(from: &Path, to: &Path) -> Result<()> {
    let parent = to.parent().unwrap_or(Path::new("."));
    if fs::create_dir_all(parent).is_err() {
        // A file of the old site stands where a folder of the new one goes.
        for ancestor in parent.ancestors() {
            if ancestor.is_file() {
                fs::remove_file(ancestor)
                    .with_context(|| format!("cannot remove {}", ancestor.display()))?;
            }
        }
        fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    if to.is_dir() {
        remove_tree(to);
    }
    fs::rename(from, to).with_context(|| format!("cannot write {}", to.display()))
}

/// Lists the files and folders under `root`.
fn list_tree(root: &Path) -> Listing {
    let mut listing = Listing::default();
    let mut pending = vec![String::new()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = fs::read_dir(root.join(&dir)) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let rel = if dir.is_empty() {
                name
            } else {
                format!("{dir}/{name}")
            };
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                listing.folders.push(rel.clone());
                pending.push(rel);
            } else {
                listing.files.push(rel);
            }
        }
    }
    listing
}

/// Removes the files and folders of the `existing` site under `root` that are not in the
/// new one: files not in `keep`, and folders that hold none of its files. Returns how
/// many files went.
fn remove_stale(root: &Path, keep: &HashSet<&str>, existing: &Listing) -> Result<usize> {
    let mut folders: HashSet<&str> = HashSet::with_capacity(keep.len());
    for rel in keep {
        let mut at = *rel;
        while let Some(slash) = at.rfind('/') {
            at = &at[..slash];
            if !folders.insert(at) {
                break;
            }
        }
    }
    // A file of the old site where the new one has a folder went when that folder moved in.
    let stale: Vec<&String> = existing
        .files
        .iter()
        .filter(|rel| !keep.contains(rel.as_str()) && !folders.contains(rel.as_str()))
        .collect();
    let mut removed = 0;
    for rel in stale {
        let path = root.join(rel);
        match fs::remove_file(&path) {
            Ok(()) => removed += 1,
            // Gone with a folder that a file of the new site replaced.
            Err(err)
                if matches!(
                    err.kind(),
                    std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
                ) => {}
            Err(err) => {
                return Err(err).with_context(|| format!("cannot remove {}", path.display()))
            }
        }
    }
    // Folders were listed before their contents: remove the deepest first.
    for rel in existing.folders.iter().rev() {
        if !folders.contains(rel.as_str()) {
            let _ = fs::remove_dir(root.join(rel));
        }
    }
    Ok(removed)
}

/// Removes a folder tree, deleting files in parallel (large sites have many thousands).
/// Returns how many files went.
fn remove_tree(root: &Path) -> usize {
    let listing = list_tree(root);
    listing.files.par_iter().for_each(|file| {
        let _ = fs::remove_file(root.join(file));
    });
    // Folders were listed before what they hold: remove in reverse.
    for folder in listing.folders.iter().rev() {
        let _ = fs::remove_dir(root.join(folder));
    }
    if fs::remove_dir(root).is_err() && root.exists() {
        let _ = fs::remove_dir_all(root);
    }
    listing.files.len()
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
    fn a_rebuild_writes_only_what_changed_and_removes_what_is_gone() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("book");
        let first = SiteWriter::create(&dest).unwrap();
        for (rel, text) in [
            ("index.html", "home"),
            ("a/index.html", "a"),
            ("gone/deep/index.html", "old"),
            ("becomes-folder", "file"),
            ("b/becomes-file/index.html", "folder"),
        ] {
            first.write(rel, text.as_bytes()).unwrap();
        }
        let summary = first.commit().unwrap();
        assert_eq!((summary.files, summary.changed, summary.removed), (5, 5, 0));
        fs::write(dest.join("stray.txt"), "not ours").unwrap();
        let home = dest.join("index.html");
        let old_time = fs::metadata(&home).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));

        let second = SiteWriter::create(&dest).unwrap();
        second.write("index.html", b"home").unwrap();
        second.write("a/index.html", b"a, changed").unwrap();
        second
            .write("becomes-folder/index.html", b"now a folder")
            .unwrap();
        second.write("b/becomes-file", b"now a file").unwrap();
        second.write("new/index.html", b"new").unwrap();
        let summary = second.commit().unwrap();

        assert_eq!(summary.files, 5);
        assert_eq!(summary.changed, 4, "all but the unchanged home page");
        assert_eq!(summary.removed, 2, "the old deep page and the stray file");
        let read = |rel: &str| fs::read_to_string(dest.join(rel)).unwrap();
        assert_eq!(read("index.html"), "home");
        assert_eq!(read("a/index.html"), "a, changed");
        assert_eq!(read("becomes-folder/index.html"), "now a folder");
        assert_eq!(read("b/becomes-file"), "now a file");
        assert_eq!(read("new/index.html"), "new");
        assert!(!dest.join("gone").exists() && !dest.join("stray.txt").exists());
        assert_eq!(
            fs::metadata(&home).unwrap().modified().unwrap(),
            old_time,
            "an unchanged file is not rewritten"
        );
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "staging folders are cleaned up");
    }

    #[test]
    fn a_failed_rebuild_leaves_the_site_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("book");
        let first = SiteWriter::create(&dest).unwrap();
        first.write("index.html", b"home").unwrap();
        first.commit().unwrap();
        let abandoned = SiteWriter::create(&dest).unwrap();
        abandoned.write("index.html", b"half-built").unwrap();
        abandoned.write("other.html", b"x").unwrap();
        drop(abandoned);
        assert_eq!(fs::read_to_string(dest.join("index.html")).unwrap(), "home");
        assert!(!dest.join("other.html").exists());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn refuses_a_destination_that_is_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("book");
        fs::write(&dest, "not a site").unwrap();
        let err = SiteWriter::create(&dest)
            .err()
            .expect("a file is no destination");
        assert!(err.to_string().contains("not a folder"), "{err}");
        assert_eq!(fs::read_to_string(&dest).unwrap(), "not a site");
    }

    #[test]
    fn refuses_paths_outside_the_site() {
        let dir = tempfile::tempdir().unwrap();
        let writer = SiteWriter::create(&dir.path().join("book")).unwrap();
        assert!(writer.write("../escape.html", b"x").is_err());
    }
}
