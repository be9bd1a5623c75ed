//! Watching the project for changes with notify, debounced so that an editor's
//! save-rename-delete dance becomes one rebuild.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::{RecommendedWatcher, RecursiveMode, Watcher};

/// How long the files must stay quiet before a rebuild starts.
const QUIET: Duration = Duration::from_millis(12);
/// How long without changes before deferred work runs.
const IDLE: Duration = Duration::from_millis(400);
/// The longest a burst of events may delay a rebuild.
const MAX_DELAY: Duration = Duration::from_millis(250);

/// Watches the paths a build reads: the content folder, themes/, book.toml.
pub struct ProjectWatcher {
    _watcher: RecommendedWatcher,
    events: Receiver<notify::Result<notify::Event>>,
    root: PathBuf,
}

impl ProjectWatcher {
    /// Starts watching `root` (the project folder) recursively.
    pub fn start(root: &Path) -> notify::Result<ProjectWatcher> {
        let (sender, events) = channel();
        let mut watcher = notify::recommended_watcher(move |event| {
            let _ = sender.send(event);
        })?;
        watcher.watch(root, RecursiveMode::Recursive)?;
        Ok(ProjectWatcher {
            _watcher: watcher,
            events,
            root: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
        })
    }

    /// Waits for the next burst of relevant changes and returns the changed paths, relative
    /// to the project. `is_relevant` filters out the build's own output and editor files;
    /// `idle` runs whenever nothing has changed for a while (for deferred work).
    /// Returns None when the watcher has stopped.
    pub fn next_changes(
        &self,
        is_relevant: &dyn Fn(&Path) -> bool,
        idle: &mut dyn FnMut(),
    ) -> Option<BTreeSet<PathBuf>> {
        let mut changed = BTreeSet::new();
        let mut first: Option<Instant> = None;
        loop {
            let timeout = match first {
                None => IDLE,
                Some(start) => QUIET.min(MAX_DELAY.saturating_sub(start.elapsed())),
            };
            match self.events.recv_timeout(timeout) {
                Ok(Ok(event)) => {
                    if matches!(event.kind, notify::EventKind::Access(_)) {
                        continue;
                    }
                    for path in event.paths {
                        let rel = path.strip_prefix(&self.root).unwrap_or(&path).to_path_buf();
                        if is_relevant(&rel) {
                            changed.insert(rel);
                            first.get_or_insert_with(Instant::now);
                        }
                    }
                }
                Ok(Err(_)) => {}
                Err(RecvTimeoutError::Timeout) if !changed.is_empty() => return Some(changed),
                Err(RecvTimeoutError::Timeout) => idle(),
                Err(RecvTimeoutError::Disconnected) => return None,
            }
        }
    }
}

/// True for files whose change can alter the site: book.toml, the content folder and
/// themes/, but not hidden or editor temporary files.
pub fn is_source_path(rel: &Path, content_dir: &Path) -> bool {
    let Some(name) = rel.file_name().map(|n| n.to_string_lossy()) else {
        return false;
    };
    let hidden = rel
        .components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
    let temporary = name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.starts_with('#');
    let watched =
        rel == Path::new("book.toml") || rel.starts_with(content_dir) || rel.starts_with("themes");
    watched && !hidden && !temporary
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_and_editor_files_are_ignored() {
        let content = Path::new("content");
        assert!(is_source_path(
            Path::new("content/identify/_index.md"),
            content
        ));
        assert!(is_source_path(Path::new("book.toml"), content));
        assert!(is_source_path(
            Path::new("themes/default/templates/base.html"),
            content
        ));
        assert!(!is_source_path(Path::new("book/index.html"), content));
        assert!(!is_source_path(Path::new("content/.x.md.swp"), content));
        assert!(!is_source_path(Path::new("content/x.md~"), content));
        assert!(!is_source_path(Path::new(".git/index"), content));
        assert!(!is_source_path(Path::new("target/debug/x"), content));
    }
}
