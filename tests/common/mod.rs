//! Helpers shared by the integration tests: copying fixtures, running the binary,
//! reading the site that came out.

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The folder of a fixture project.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Copies a folder tree (a fixture) into `to`.
pub fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A temporary copy of a fixture project.
pub fn project_copy(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture(name), dir.path());
    dir
}

/// Runs the framewright binary.
pub fn framewright(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_framewright"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// Builds `project` into `out` with the binary; panics with its output on failure.
pub fn build_into(project: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "build",
        project.to_str().unwrap(),
        "--dest-dir",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let output = framewright(&args);
    assert!(
        output.status.success(),
        "build failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// Every file under `root`, relative, with `/` separators.
pub fn files(root: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(root).unwrap();
                out.insert(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out
}

/// Every file's bytes under `root`.
pub fn snapshot(root: &Path) -> BTreeMap<String, Vec<u8>> {
    files(root)
        .into_iter()
        .map(|rel| {
            let bytes = fs::read(root.join(&rel)).unwrap();
            (rel, bytes)
        })
        .collect()
}

/// Values of attribute `name` (double-quoted) in `html`. Written independently of the
/// product's own link checker, so that the two check each other.
pub fn attribute_values(html: &str, name: &str) -> Vec<String> {
    let needle = format!(" {name}=\"");
    html.match_indices(&needle)
        .map(|(at, _)| {
            let start = at + needle.len();
            let end = html[start..].find('"').unwrap() + start;
            html[start..end].replace("&amp;", "&")
        })
        .collect()
}

/// Resolves a relative link from a page to a site path (file) and fragment.
pub fn resolve_link(page: &str, href: &str) -> Option<(String, String)> {
    if href.contains("://") || href.starts_with("mailto:") || href.starts_with('/') {
        return None;
    }
    let (path, fragment) = href.split_once('#').unwrap_or((href, ""));
    let mut segments: Vec<&str> = page.split('/').collect();
    segments.pop();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                segments.pop().expect("link leaves the site");
            }
            other => segments.push(other),
        }
    }
    let mut file = segments.join("/");
    if path.is_empty() {
        file = page.to_string();
    } else if path.ends_with('/') || path == "." {
        file = if file.is_empty() {
            "index.html".into()
        } else {
            format!("{file}/index.html")
        };
    }
    Some((file, fragment.to_string()))
}

/// Asserts that every relative href and src of every HTML page under `site` reaches a file,
/// and every fragment an element id of that file.
pub fn assert_links_resolve(site: &Path) {
    let all = files(site);
    let mut broken = Vec::new();
    for page in all
        .iter()
        .filter(|f| f.ends_with(".html") && f.as_str() != "404.html")
    {
        let html = fs::read_to_string(site.join(page)).unwrap();
        let links = attribute_values(&html, "href")
            .into_iter()
            .chain(attribute_values(&html, "src"));
        for link in links {
            let Some((file, fragment)) = resolve_link(page, &link) else {
                continue;
            };
            if !all.contains(&file) {
                broken.push(format!("{page}: {link} -> missing {file}"));
                continue;
            }
            if !fragment.is_empty() {
                let target = fs::read_to_string(site.join(&file)).unwrap();
                if !attribute_values(&target, "id").contains(&fragment) {
                    broken.push(format!("{page}: {link} -> {file} has no id {fragment}"));
                }
            }
        }
    }
    assert!(
        broken.is_empty(),
        "{} broken links:\n{}",
        broken.len(),
        broken.join("\n")
    );
}
