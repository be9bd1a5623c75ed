//! Write: the only stage that touches the output folder.
//!
//! A build writes the whole new site into a staging folder beside the destination, then
//! puts it in place in one step: an atomic exchange of the two folders where the system
//! has one (Linux's `renameat2(RENAME_EXCHANGE)`), a rename of a folder over an empty one
//! otherwise. A build that fails, is killed or runs out of space at any instant leaves
//! either the old site or the new one, never a mix.
//!
//! - Files whose bytes did not change are hard-linked from the old site into the new one,
//!   so they keep their modification times (deploy tools that compare times upload only
//!   what changed) and cost no space or inode.
//! - Every site carries a manifest, [`MANIFEST`], of the files framewright wrote. A build
//!   writes only into a folder that is new, empty, or holds such a manifest, and files the
//!   manifest does not list (a user's own) are carried into the new site untouched: a
//!   build never deletes what it did not write.
//! - Staging folders left by killed builds are removed by the next build.

use std::collections::HashSet;
use std::fs;
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use anyhow::{bail, Context as _, Result};
use rayon::prelude::*;

/// The file in every built site that lists the files framewright wrote there, one
/// `/`-separated path a line after a header line.
pub const MANIFEST: &str = ".framewright-manifest";

/// The first line of a [`MANIFEST`]; a folder whose manifest does not start with it is
/// not taken for a site of ours.
const MANIFEST_HEADER: &str =
    "# framewright: the files of this site that framewright wrote; it removes no others";

/// The file in a staging folder that names the process building into it (its pid), so
/// that a later build knows whether the folder was abandoned.
const STAGING_MARK: &str = ".framewright-staging";

/// How old a staging folder without a mark must be before a build takes it for abandoned
/// (a build running beside this one writes its mark right after creating the folder).
const UNMARKED_GRACE: Duration = Duration::from_secs(60);

/// Writes a site so that it appears all at once, when the build has succeeded.
pub struct SiteWriter {
    destination: PathBuf,
    staging: tempfile::TempDir,
    /// Every file of the new site, and which of them were written (new or changed) rather
    /// than linked from the old site.
    written: Mutex<Written>,
    /// The site already at the destination, when there is one.
    existing: Option<ExistingSite>,
}

/// A site of ours already at the destination.
struct ExistingSite {
    /// The files its manifest lists: the only ones a build may replace or drop.
    ours: HashSet<String>,
    /// All its files and folders, listed on a thread of its own while the build runs (the
    /// commit needs them to carry over what is not ours).
    listing: SiteListing,
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
    /// Prepares a staging folder beside `destination` (same file system, so putting the
    /// site in place is a rename).
    pub fn create(destination: &Path) -> Result<SiteWriter> {
        SiteWriter::create_with(destination, None)
    }

    /// Like [`SiteWriter::create`], with a listing of the destination already under way
    /// (one of another folder is ignored).
    ///
    /// Fails, changing nothing, when the destination is a file, or a folder that holds
    /// files but no [`MANIFEST`]: framewright did not build it.
    pub fn create_with(destination: &Path, listing: Option<SiteListing>) -> Result<SiteWriter> {
        // A destination that is a link to a folder is built where it points.
        let destination = match fs::symlink_metadata(destination) {
            Ok(meta) if meta.file_type().is_symlink() => destination
                .canonicalize()
                .with_context(|| format!("cannot follow {}", destination.display()))?,
            _ => destination.to_path_buf(),
        };
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
        let prefix = format!(".{name}.building-");
        remove_abandoned_staging(parent, &prefix);
        let ours = previous_site(&destination)?;
        let staging = tempfile::Builder::new()
            .prefix(&prefix)
            .tempdir_in(parent)
            .with_context(|| format!("cannot create a staging folder in {}", parent.display()))?;
        mark_staging(staging.path())?;
        let existing = ours.map(|ours| ExistingSite {
            ours,
            listing: match listing {
                Some(listing) if listing.root == destination => listing,
                _ => SiteListing::start(&destination).expect("the destination is a folder"),
            },
        });
        Ok(SiteWriter {
            destination,
            staging,
            written: Mutex::default(),
            existing,
        })
    }

    /// Writes one file at `rel` (a `/`-separated path inside the site).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.write_parts(rel, &[bytes])
    }

    /// Writes one file at `rel` made of `parts`, one after the other. A file of the old
    /// site with the same bytes is linked instead of written.
    pub fn write_parts(&self, rel: &str, parts: &[impl AsRef<[u8]>]) -> Result<()> {
        let (path, old) = self.places(rel)?;
        let linked =
            self.was_ours(rel) && same_content(&old, parts) && link_file(&old, &path).is_ok();
        if !linked {
            write_file(&path, parts)?;
        }
        self.record(rel, linked);
        Ok(())
    }

    /// Copies the file at `from` to `rel`, streaming it (never whole in memory), holes
    /// kept as holes, with a fresh file's permissions (the source's mode bits are not
    /// carried over). A file of the old site with the same bytes is linked instead. Fails
    /// naming `from` when it holds more than `limit` bytes.
    pub fn copy_file(&self, rel: &str, from: &Path, limit: u64) -> Result<()> {
        let (path, old) = self.places(rel)?;
        let source =
            fs::File::open(from).with_context(|| format!("cannot read {}", from.display()))?;
        let len = source
            .metadata()
            .with_context(|| format!("cannot read {}", from.display()))?
            .len();
        if len > limit {
            bail!(
                "{} is larger than `[build] max-static-size` ({limit} bytes)",
                from.display()
            );
        }
        let linked = self.was_ours(rel)
            && same_file_content(&old, from, len)
            && link_file(&old, &path).is_ok();
        if !linked {
            copy_contents(&source, &path, len)
                .with_context(|| format!("cannot copy {} to {}", from.display(), path.display()))?;
        }
        self.record(rel, linked);
        Ok(())
    }

    /// Where `rel` is staged and where the old site has it; an error for a path that
    /// would leave the site.
    fn places(&self, rel: &str) -> Result<(PathBuf, PathBuf)> {
        if rel.is_empty()
            || rel == MANIFEST
            || rel
                .split('/')
                .any(|part| part == ".." || part.is_empty() && rel.starts_with('/'))
        {
            bail!("refusing to write outside the site: {rel}");
        }
        Ok((self.staging.path().join(rel), self.destination.join(rel)))
    }

    /// Whether the old site has `rel` from framewright (and so may be linked).
    fn was_ours(&self, rel: &str) -> bool {
        self.existing
            .as_ref()
            .is_some_and(|site| site.ours.contains(rel))
    }

    /// Notes that `rel` is in the new site, staged or `linked` from the old one.
    fn record(&self, rel: &str, linked: bool) {
        let mut written = self.written.lock().unwrap_or_else(|e| e.into_inner());
        written.all.push(rel.to_string());
        if !linked {
            written.staged.push(rel.to_string());
        }
    }

    /// Puts the new site in place in one step. Files of the old site that framewright
    /// did not write are carried over first; if one stands where the new site has a file,
    /// nothing changes and the commit fails.
    pub fn commit(self) -> Result<CommitSummary> {
        let written = self.written.into_inner().unwrap_or_else(|e| e.into_inner());
        let staging = self.staging.path();
        let mut removed = 0;
        let mut old_site = None;
        if let Some(site) = self.existing {
            let listing = site.listing.finish();
            let new: HashSet<&str> = written.all.iter().map(String::as_str).collect();
            carry_over_others(&self.destination, staging, &listing, &site.ours, &new)?;
            removed = site
                .ours
                .iter()
                .filter(|rel| !new.contains(rel.as_str()))
                .count();
            old_site = Some(listing);
        }
        write_manifest(staging, &written.all)?;
        fs::remove_file(staging.join(STAGING_MARK))
            .with_context(|| format!("cannot write {}", staging.display()))?;
        let staging = self.staging.keep();
        if let Err(err) = put_in_place(&staging, &self.destination, old_site) {
            remove_staging(&staging);
            return Err(err);
        }
        Ok(CommitSummary {
            files: written.all.len(),
            changed: written.staged.len(),
            removed,
        })
    }

    /// The destination folder.
    pub fn destination(&self) -> &Path {
        &self.destination
    }
}

/// The files the manifest of the site at `destination` lists; None when there is no site
/// there (no folder, or an empty one). Fails when the folder holds files but no manifest.
fn previous_site(destination: &Path) -> Result<Option<HashSet<String>>> {
    let Ok(mut entries) = fs::read_dir(destination) else {
        return Ok(None);
    };
    if entries.next().is_none() {
        return Ok(None);
    }
    let manifest = fs::read_to_string(destination.join(MANIFEST)).unwrap_or_default();
    let mut lines = manifest.lines();
    if lines.next() != Some(MANIFEST_HEADER) {
        bail!(
            "{} is not empty and was not built by framewright (it has no {MANIFEST}); a build \
             never deletes files it did not write. Choose a new or empty folder with --dest-dir \
             or `[build] build-dir`, or empty this one yourself",
            destination.display()
        );
    }
    Ok(Some(lines.map(str::to_string).collect()))
}

/// Writes the manifest of a site whose files are `files`.
fn write_manifest(staging: &Path, files: &[String]) -> Result<()> {
    let mut sorted: Vec<&str> = files.iter().map(String::as_str).collect();
    sorted.sort_unstable();
    let mut text = String::with_capacity(files.len() * 48 + MANIFEST_HEADER.len());
    text.push_str(MANIFEST_HEADER);
    text.push('\n');
    for rel in sorted {
        text.push_str(rel);
        text.push('\n');
    }
    write_file(&staging.join(MANIFEST), &[text])
}

/// Links the files and folders of the old site that are not in its manifest (a user's
/// own) into the staging folder, so the new site keeps them. Fails when one stands where
/// the new site has a file or a folder of its own.
fn carry_over_others(
    destination: &Path,
    staging: &Path,
    listing: &Listing,
    ours: &HashSet<String>,
    new: &HashSet<&str>,
) -> Result<()> {
    let in_the_way = |rel: &str| {
        anyhow::anyhow!(
            "{} was not written by framewright and the new site needs its place; move it \
             away and build again (the site was not changed)",
            destination.join(rel).display()
        )
    };
    // Folders that hold files of the new site or of the old one are the sites'; the
    // others (empty, or holding only the user's files) are carried over.
    let new_folders = folders_of(new.iter().copied());
    let our_folders = folders_of(ours.iter().map(String::as_str));
    for rel in &listing.folders {
        let folder = rel.as_str();
        if new_folders.contains(folder) || our_folders.contains(folder) {
            continue;
        }
        if new.contains(folder) {
            return Err(in_the_way(rel));
        }
        fs::create_dir_all(staging.join(rel)).map_err(|_| in_the_way(rel))?;
    }
    for rel in &listing.files {
        if rel == MANIFEST || ours.contains(rel) {
            continue;
        }
        if new.contains(rel.as_str()) || staging.join(rel).is_dir() {
            return Err(in_the_way(rel));
        }
        link_file(&destination.join(rel), &staging.join(rel)).map_err(|_| in_the_way(rel))?;
    }
    Ok(())
}

/// The folders that hold the `/`-separated `files`, at any depth.
fn folders_of<'a>(files: impl ExactSizeIterator<Item = &'a str>) -> HashSet<&'a str> {
    let mut folders = HashSet::with_capacity(files.len());
    for rel in files {
        let mut at = rel;
        while let Some(slash) = at.rfind('/') {
            at = &at[..slash];
            if !folders.insert(at) {
                break;
            }
        }
    }
    folders
}

/// Hard-links `from` at `to`, creating `to`'s folder.
fn link_file(from: &Path, to: &Path) -> std::io::Result<()> {
    if let Some(parent) = to.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::hard_link(from, to)
}

/// Makes the staging folder the site: exchanged with the old site in one step, or
/// renamed into place when there is none; then the old site (now at `staging`) is removed.
fn put_in_place(staging: &Path, destination: &Path, old_site: Option<Listing>) -> Result<()> {
    let moved = || format!("cannot move the new site to {}", destination.display());
    if !destination.exists() {
        return fs::rename(staging, destination).with_context(moved);
    }
    match exchange(staging, destination) {
        Ok(()) => {}
        // No atomic exchange here: move the old site aside and the new one in. A crash
        // between the two renames leaves the old site at `staging`, which the next build
        // finds abandoned and removes.
        Err(_) => {
            let mut aside = staging.as_os_str().to_owned();
            aside.push("-old");
            let aside = PathBuf::from(aside);
            fs::rename(destination, &aside).with_context(moved)?;
            if let Err(err) = fs::rename(staging, destination) {
                let _ = fs::rename(&aside, destination);
                return Err(err).with_context(moved);
            }
            fs::rename(&aside, staging).with_context(moved)?;
        }
    }
    // The old site, now at `staging`: marked as this build's, so that a later build
    // removes it should this one be stopped while removing it.
    let _ = mark_staging(staging);
    match old_site {
        // Listed while the build ran: no second walk of tens of thousands of folders.
        Some(listing) => remove_listed(staging, listing),
        None => remove_staging(staging),
    }
    Ok(())
}

/// Exchanges two folders in one atomic step.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt as _;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both paths are NUL-terminated strings that outlive the call.
    let result = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if result == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// Exchanges two folders in one atomic step (not available: the caller falls back).
#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// Writes this process's mark into a new staging folder.
fn mark_staging(staging: &Path) -> Result<()> {
    fs::write(staging.join(STAGING_MARK), std::process::id().to_string())
        .with_context(|| format!("cannot write in {}", staging.display()))
}

/// Removes the staging folders named `prefix…` in `parent` that builds which no longer
/// run left behind (killed, or out of space).
fn remove_abandoned_staging(parent: &Path, prefix: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let is_staging = entry
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with(prefix))
            && entry.file_type().is_ok_and(|t| t.is_dir());
        if is_staging && is_abandoned(&entry.path()) {
            remove_staging(&entry.path());
        }
    }
}

/// Whether the staging folder at `path` belongs to no running build.
fn is_abandoned(path: &Path) -> bool {
    match fs::read_to_string(path.join(STAGING_MARK)) {
        Ok(mark) => mark
            .trim()
            .parse::<u32>()
            .map_or(true, |pid| !process_runs(pid)),
        // A build beside this one may not have marked its folder yet; a folder whose
        // removal was stopped lost its mark last, and holds no file.
        Err(_) => {
            list_tree(path).files.is_empty()
                || fs::metadata(path)
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|time| SystemTime::now().duration_since(time).ok())
                    .is_none_or(|age| age > UNMARKED_GRACE)
        }
    }
}

/// Whether a process with this id runs (0: none).
#[cfg(unix)]
fn process_runs(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    if pid <= 0 {
        return false;
    }
    // SAFETY: signal 0 only asks whether the process exists.
    let result = unsafe { libc::kill(pid, 0) };
    result == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// Whether a process with this id runs: only this one is known to.
#[cfg(not(unix))]
fn process_runs(pid: u32) -> bool {
    pid == std::process::id()
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

/// Whether the files at `a` and `b` hold the same bytes, `len` of them (read in chunks).
fn same_file_content(a: &Path, b: &Path, len: u64) -> bool {
    let (Ok(mut a), Ok(mut b)) = (fs::File::open(a), fs::File::open(b)) else {
        return false;
    };
    if !a
        .metadata()
        .is_ok_and(|meta| meta.is_file() && meta.len() == len)
    {
        return false;
    }
    let (mut chunk_a, mut chunk_b) = (vec![0u8; 64 * 1024], vec![0u8; 64 * 1024]);
    let mut left = len;
    while left > 0 {
        let want = usize::try_from(left.min(chunk_a.len() as u64)).unwrap_or(chunk_a.len());
        if a.read_exact(&mut chunk_a[..want]).is_err()
            || b.read_exact(&mut chunk_b[..want]).is_err()
            || chunk_a[..want] != chunk_b[..want]
        {
            return false;
        }
        left -= want as u64;
    }
    true
}

/// Copies the first `len` bytes of `source` into a new file at `path` (made with the
/// permissions any new file gets), creating its folder. On Linux only the data is copied,
/// segment by segment (`SEEK_DATA`/`SEEK_HOLE`, `copy_file_range`): a sparse file stays
/// sparse, and a copy-on-write file system shares the blocks.
fn copy_contents(source: &fs::File, path: &Path, len: u64) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    let target = fs::File::create(path)?;
    copy_data(source, &target, len)?;
    // The holes at the end (and the length, should the source have shrunk).
    target.set_len(len)
}

#[cfg(target_os = "linux")]
fn copy_data(source: &fs::File, target: &fs::File, len: u64) -> std::io::Result<()> {
    use std::os::unix::io::AsRawFd as _;
    let end = i64::try_from(len).unwrap_or(i64::MAX);
    let mut offset = 0i64;
    while offset < end {
        // SAFETY: lseek on an open descriptor; no memory is passed.
        let data = unsafe { libc::lseek(source.as_raw_fd(), offset, libc::SEEK_DATA) };
        if data < 0 {
            let err = std::io::Error::last_os_error();
            return match err.raw_os_error() {
                Some(libc::ENXIO) => Ok(()), // only a hole is left
                Some(libc::EINVAL) => copy_range(source, target, offset, end), // no SEEK_DATA here
                _ => Err(err),
            };
        }
        // SAFETY: as above.
        let hole = unsafe { libc::lseek(source.as_raw_fd(), data, libc::SEEK_HOLE) };
        let stop = if hole < 0 { end } else { hole.min(end) };
        copy_range(source, target, data, stop)?;
        offset = stop;
    }
    Ok(())
}

#[cfg(not(target_os = "linux"))]
fn copy_data(source: &fs::File, target: &fs::File, len: u64) -> std::io::Result<()> {
    let copied = std::io::copy(&mut source.take(len), &mut &*target)?;
    if copied < len {
        target.set_len(copied)?;
    }
    Ok(())
}

/// Copies bytes `start..stop` of `source` to the same place in `target`: in the kernel
/// where it can (`copy_file_range`), else through a buffer.
#[cfg(target_os = "linux")]
fn copy_range(source: &fs::File, target: &fs::File, start: i64, stop: i64) -> std::io::Result<()> {
    use std::os::unix::fs::FileExt as _;
    use std::os::unix::io::AsRawFd as _;
    let (mut from, mut to) = (start, start);
    while from < stop {
        let want = usize::try_from(stop - from)
            .unwrap_or(usize::MAX)
            .min(1 << 30);
        // SAFETY: both descriptors are open; the offsets are this function's own locals.
        let copied = unsafe {
            libc::copy_file_range(
                source.as_raw_fd(),
                &mut from,
                target.as_raw_fd(),
                &mut to,
                want,
                0,
            )
        };
        if copied > 0 {
            continue;
        }
        if copied == 0 {
            return Ok(()); // the source ended early
        }
        let err = std::io::Error::last_os_error();
        if !matches!(
            err.raw_os_error(),
            Some(libc::EXDEV | libc::ENOSYS | libc::EINVAL | libc::EOPNOTSUPP | libc::EPERM)
        ) {
            return Err(err);
        }
        // Not possible between these files: copy the rest of the range through a buffer.
        let mut buffer = vec![0u8; 256 * 1024];
        while from < stop {
            let want = usize::try_from(stop - from)
                .unwrap_or(usize::MAX)
                .min(buffer.len());
            let read = source.read_at(&mut buffer[..want], from as u64)?;
            if read == 0 {
                return Ok(());
            }
            target.write_all_at(&buffer[..read], from as u64)?;
            from += read as i64;
        }
    }
    Ok(())
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

/// Removes a staging folder, deleting files in parallel (large sites have many thousands)
/// and its mark last: a removal stopped half-way leaves a folder that a later build still
/// knows for abandoned.
fn remove_staging(path: &Path) {
    remove_listed(path, list_tree(path));
}

/// [`remove_staging`] of a folder whose files and folders are already listed (the old
/// site, listed while the build ran): files in parallel, then folders deepest first, each
/// depth in parallel.
fn remove_listed(path: &Path, mut listing: Listing) {
    listing.files.retain(|rel| rel != STAGING_MARK);
    listing.files.par_iter().for_each(|file| {
        let _ = fs::remove_file(path.join(file));
    });
    let _ = fs::remove_file(path.join(STAGING_MARK));
    let depth = |rel: &String| rel.bytes().filter(|&b| b == b'/').count();
    listing
        .folders
        .sort_unstable_by_key(|rel| std::cmp::Reverse(depth(rel)));
    for level in listing.folders.chunk_by(|a, b| depth(a) == depth(b)) {
        level.par_iter().for_each(|folder| {
            let _ = fs::remove_dir(path.join(folder));
        });
    }
    if fs::remove_dir(path).is_err() && path.exists() {
        let _ = fs::remove_dir_all(path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A site built by a writer at `dest` with `files`.
    fn built(dest: &Path, files: &[(&str, &str)]) -> CommitSummary {
        let writer = SiteWriter::create(dest).unwrap();
        for (rel, text) in files {
            writer.write(rel, text.as_bytes()).unwrap();
        }
        writer.commit().unwrap()
    }

    /// The names in `dir` other than `keep`.
    fn others(dir: &Path, keep: &str) -> Vec<String> {
        fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n != keep)
            .collect()
    }

    #[test]
    fn commit_replaces_and_drop_discards() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("book");
        built(&dest, &[("old.html", "old")]);

        let abandoned = SiteWriter::create(&dest).unwrap();
        abandoned.write("new.html", b"new").unwrap();
        drop(abandoned);
        assert!(
            dest.join("old.html").exists(),
            "an abandoned build must not touch the site"
        );

        built(&dest, &[("a/b/index.html", "hi")]);
        assert_eq!(
            fs::read_to_string(dest.join("a/b/index.html")).unwrap(),
            "hi"
        );
        assert!(!dest.join("old.html").exists());
        assert!(
            others(dir.path(), "book").is_empty(),
            "staging folders are cleaned up"
        );
    }

    #[test]
    fn refuses_a_folder_it_did_not_build() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("userdir");
        fs::create_dir_all(dest.join("photos")).unwrap();
        fs::write(dest.join("thesis.docx"), "years of work").unwrap();
        fs::write(dest.join("photos/a.jpg"), "jpg").unwrap();
        let err = SiteWriter::create(&dest)
            .err()
            .expect("a user's folder is refused");
        assert!(
            err.to_string().contains("was not built by framewright"),
            "{err}"
        );
        assert_eq!(
            fs::read_to_string(dest.join("thesis.docx")).unwrap(),
            "years of work"
        );
        assert!(dest.join("photos/a.jpg").exists());
        assert!(
            others(dir.path(), "userdir").is_empty(),
            "no staging folder is left"
        );
    }

    #[test]
    fn files_it_did_not_write_are_carried_over() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("book");
        built(&dest, &[("index.html", "home"), ("old/index.html", "old")]);
        fs::write(dest.join("notes.txt"), "mine").unwrap();
        fs::create_dir_all(dest.join("old/mine/empty")).unwrap();
        fs::write(dest.join("old/mine.txt"), "also mine").unwrap();

        let summary = built(&dest, &[("index.html", "home 2")]);
        assert_eq!(summary.removed, 1, "only old/index.html was ours to remove");
        assert_eq!(fs::read_to_string(dest.join("notes.txt")).unwrap(), "mine");
        assert_eq!(
            fs::read_to_string(dest.join("old/mine.txt")).unwrap(),
            "also mine"
        );
        assert!(dest.join("old/mine/empty").is_dir());
        assert!(!dest.join("old/index.html").exists());
        let manifest = fs::read_to_string(dest.join(MANIFEST)).unwrap();
        assert_eq!(manifest.lines().skip(1).collect::<Vec<_>>(), ["index.html"]);
    }

    #[test]
    fn a_user_file_in_the_way_stops_the_commit() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("book");
        built(&dest, &[("index.html", "home")]);
        fs::write(dest.join("extra.html"), "mine").unwrap();
        let writer = SiteWriter::create(&dest).unwrap();
        writer.write("index.html", b"home 2").unwrap();
        writer.write("extra.html", b"framewright's").unwrap();
        let err = writer.commit().expect_err("the user's file is in the way");
        assert!(err.to_string().contains("extra.html"), "{err}");
        assert_eq!(fs::read_to_string(dest.join("extra.html")).unwrap(), "mine");
        assert_eq!(fs::read_to_string(dest.join("index.html")).unwrap(), "home");
        assert!(
            others(dir.path(), "book").is_empty(),
            "no staging folder is left"
        );
    }

    #[test]
    fn abandoned_staging_folders_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("book");
        let dead = dir.path().join(".book.building-dead");
        let alive = dir.path().join(".book.building-alive");
        for (folder, pid) in [(&dead, 0), (&alive, std::process::id())] {
            fs::create_dir_all(folder.join("a")).unwrap();
            fs::write(folder.join("a/index.html"), "x").unwrap();
            fs::write(folder.join(STAGING_MARK), pid.to_string()).unwrap();
        }
        built(&dest, &[("index.html", "home")]);
        assert!(!dead.exists(), "a killed build's folder goes");
        assert!(alive.exists(), "a running build's folder stays");
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
        assert_eq!(
            summary.removed, 3,
            "the old deep page and the two that became others"
        );
        let read = |rel: &str| fs::read_to_string(dest.join(rel)).unwrap();
        assert_eq!(read("index.html"), "home");
        assert_eq!(read("a/index.html"), "a, changed");
        assert_eq!(read("becomes-folder/index.html"), "now a folder");
        assert_eq!(read("b/becomes-file"), "now a file");
        assert_eq!(read("new/index.html"), "new");
        assert!(!dest.join("gone").exists());
        assert_eq!(
            read("stray.txt"),
            "not ours",
            "a file framewright did not write stays"
        );
        assert_eq!(
            fs::metadata(&home).unwrap().modified().unwrap(),
            old_time,
            "an unchanged file is not rewritten"
        );
        assert!(
            others(dir.path(), "book").is_empty(),
            "staging folders are cleaned up"
        );
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
