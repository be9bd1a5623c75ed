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

mod oscalcmp;

fn read_json(path: &Path) -> serde_json::Value {
    let bytes = fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_slice(&bytes).unwrap()
}

/// Imports a catalog, exports it again and compares the two field by field.
fn assert_round_trip(catalog: &Path) -> tempfile::TempDir {
    let project = import(catalog, &[]);
    let out = run_ok(&["export", path_str(project.path()), "--format", "oscal"]).stdout;
    let exported: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let source = match catalog.extension().and_then(|e| e.to_str()) {
        Some("json") => read_json(catalog),
        _ => read_json(&catalog.with_extension("json")),
    };
    let diffs = oscalcmp::differences(&source, &exported);
    assert!(
        diffs.is_empty(),
        "{}: the round trip changed {} field(s):\n{}",
        catalog.display(),
        diffs.len(),
        diffs
            .iter()
            .map(|(field, list)| format!(
                "  {field}: {}\n    {}",
                list.len(),
                list.iter()
                    .take(3)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("\n    ")
            ))
            .collect::<Vec<_>>()
            .join("\n")
    );
    project
}

#[test]
fn round_trip_of_nist_catalogs_is_lossless() {
    assert_round_trip(&nist("basic-catalog.json"));
    assert_round_trip(&nist("basic-catalog.xml"));
    assert_round_trip(&nist("NIST_SP-800-53_rev5_catalog.json"));
    assert_round_trip(&nist(
        "NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog.json",
    ));
}
