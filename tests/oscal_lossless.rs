//! OSCAL in all three formats, lossless round trips, Markdown-safe import, profiles and
//! baselines (issue 14). NIST's files used here are copies in `tests/fixtures/oscal/nist/`.

mod common;

#[allow(unused_imports)]
use std::fs;
use std::path::{Path, PathBuf};

use common::*;

fn nist(name: &str) -> PathBuf {
    fixture(&format!("oscal/nist/{name}"))
}

fn path_str(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn run_ok(args: &[&str]) -> std::process::Output {
    let output = framewright(args);
    assert!(
        output.status.success(),
        "framewright {args:?} failed ({:?}):\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// Imports an OSCAL file (and any extra arguments) into a new temporary project.
fn import(file: &Path, extra: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec![
        "import",
        "oscal",
        path_str(file),
        "--into",
        path_str(dir.path()),
    ];
    args.extend_from_slice(extra);
    run_ok(&args);
    dir
}

#[test]
fn the_basic_catalog_in_json_yaml_and_xml_gives_identical_projects() {
    let json = snapshot(import(&nist("basic-catalog.json"), &[]).path());
    assert_eq!(json.len(), 10, "{:?}", json.keys());
    for other in ["basic-catalog.yaml", "basic-catalog.xml"] {
        let project = snapshot(import(&nist(other), &[]).path());
        assert_eq!(
            json.keys().collect::<Vec<_>>(),
            project.keys().collect::<Vec<_>>(),
            "{other}"
        );
        for (path, bytes) in &json {
            assert!(
                project[path] == *bytes,
                "{other}: {path} differs:\n{}\n---\n{}",
                String::from_utf8_lossy(bytes),
                String::from_utf8_lossy(&project[path])
            );
        }
    }
}
