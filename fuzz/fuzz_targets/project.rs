//! A whole project: load, validate and render (everything `check` does), then, when `check`
//! finds no error, `build` must succeed too.
//!
//! The input is a small archive: chunks separated by NUL bytes, taken in pairs (path,
//! content). Paths are put under `content/` (except `book.toml`), cleaned of `..` and capped
//! in depth and length; a content starting with `->` makes a symbolic link to the
//! (relative) path after it, kept inside the project. The tree is written to a fresh
//! folder on a tmpfs (/dev/shm) per input: the loader runs unchanged, file system walk
//! included (symbolic links, folders named like files, unreadable names), at a cost of
//! a few hundred microseconds per input.
#![no_main]

use std::path::{Component, Path, PathBuf};

use libfuzzer_sys::fuzz_target;

fn clean(path: &str) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for component in Path::new(path).components().take(6) {
        if let Component::Normal(name) = component {
            let name = name.to_string_lossy();
            let name: String = name.chars().take(48).collect();
            out.push(name);
        }
    }
    (!out.as_os_str().is_empty()).then_some(out)
}

fn write_tree(root: &Path, data: &[u8]) {
    let mut chunks = data.split(|&b| b == 0);
    while let (Some(path), Some(content)) = (chunks.next(), chunks.next()) {
        let path = String::from_utf8_lossy(path);
        let Some(rel) = clean(&path) else { continue };
        let rel = if rel == Path::new("book.toml") {
            rel
        } else {
            Path::new("content").join(rel)
        };
        let target = root.join(&rel);
        if let Some(parent) = target.parent() {
            if std::fs::create_dir_all(parent).is_err() {
                continue;
            }
        }
        if let Some(link) = content.strip_prefix(b"->") {
            // Up to as many `..` as the link is deep, so that it stays in the project.
            let link = String::from_utf8_lossy(link);
            let depth = rel.components().count() - 1;
            let ups = link.matches("..").count().min(depth);
            let mut to = PathBuf::new();
            for _ in 0..ups {
                to.push("..");
            }
            if let Some(rest) = clean(&link) {
                to.push(rest);
            }
            if to.as_os_str().is_empty() {
                to.push(".");
            }
            let _ = std::os::unix::fs::symlink(to, &target);
        } else if content == b"/" {
            let _ = std::fs::create_dir_all(&target);
        } else {
            let _ = std::fs::write(&target, content);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let shm = Path::new("/dev/shm");
    let dir = if shm.is_dir() {
        tempfile::tempdir_in(shm)
    } else {
        tempfile::tempdir()
    }
    .unwrap();
    let root = dir.path().join("p");
    std::fs::create_dir_all(root.join("content")).unwrap();
    write_tree(&root, data);
    let diagnostics = match framewright::check(&root) {
        Ok(diagnostics) => diagnostics,
        Err(framewright::BuildError::Content(diagnostics)) => diagnostics,
        Err(framewright::BuildError::Io(_)) => return,
    };
    for diagnostic in &diagnostics {
        if let Some(span) = &diagnostic.span {
            // Places are project-relative: the temporary folder never leaks into messages.
            let tmp = dir.path().to_string_lossy();
            assert!(!span.path.contains(tmp.as_ref()), "{diagnostic}");
        }
    }
    if !diagnostics.iter().any(|d| d.is_error()) {
        let options = framewright::BuildOptions {
            dest_dir: Some(dir.path().join("out")),
            base_url: None,
        };
        if let Err(framewright::BuildError::Content(found)) = framewright::build(&root, &options) {
            let text: Vec<String> = found.iter().map(ToString::to_string).collect();
            panic!("check found no error, build failed:\n{}", text.join("\n"));
        }
    }
});
