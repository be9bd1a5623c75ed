//! OSCAL export and import (issue 6): the exported catalogs are checked by an independent
//! validator, NIST's catalogs are imported, checked and built, and a round trip keeps ids,
//! titles, hierarchy and statement prose.
//!
//! The validator is compliance-trestle from PyPI (its `Catalog.oscal_read` enforces NIST's
//! OSCAL models). The first run creates a virtual environment under `target/tmp/` and
//! installs it there; later runs reuse it. Without python3 or a reachable package registry
//! the validation is skipped with one line saying what to install; with `CI=true` (GitHub
//! Actions, `.ci/run`) the tests fail with pip's own message instead.

mod common;
mod trestle;

use std::fs;
use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

/// One of NIST's OSCAL catalogs, copied into `tests/fixtures/oscal/nist/`.
fn nist_catalog(name: &str) -> PathBuf {
    fixture("oscal/nist").join(name)
}

const NIST_LOW: &str = "NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog.json";
const NIST_BASIC: &str = "basic-catalog.json";

fn edge_catalog() -> PathBuf {
    fixture("oscal/edge-catalog.json")
}

fn repository() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
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

fn read_json(path: &Path) -> Value {
    let bytes = fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_slice(&bytes).unwrap()
}

fn path_str(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Imports a catalog into a new temporary project.
fn import(catalog: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    run_ok(&[
        "import",
        "oscal",
        path_str(catalog),
        "--into",
        path_str(dir.path()),
    ]);
    dir
}

/// One group or control of a catalog, as compared by the round trip.
#[derive(Debug, PartialEq)]
struct Entry {
    id: String,
    group: bool,
    title: String,
    parent: Option<String>,
    statement: String,
    related: Vec<String>,
}

/// Every group and control of a catalog in document order.
fn outline(catalog: &Value) -> Vec<Entry> {
    let mut out = Vec::new();
    walk(&catalog["catalog"], None, &mut out);
    out
}

fn walk(container: &Value, parent: Option<&str>, out: &mut Vec<Entry>) {
    for (key, group) in [("groups", true), ("controls", false)] {
        for entry in container[key].as_array().into_iter().flatten() {
            let id = entry["id"].as_str().unwrap_or("").to_string();
            let mut related: Vec<String> = entry["links"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|l| l["rel"] == "related")
                .map(|l| l["href"].as_str().unwrap().to_string())
                .collect();
            related.sort();
            out.push(Entry {
                id: id.clone(),
                group,
                title: entry["title"].as_str().unwrap().to_string(),
                parent: parent.map(str::to_string),
                statement: statement_text(entry),
                related,
            });
            walk(entry, Some(&id), out);
        }
    }
}

/// The statement part's prose and items (labels included), white space normalised.
fn statement_text(control: &Value) -> String {
    fn collect(part: &Value, out: &mut Vec<String>) {
        let label = part["props"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|p| p["name"] == "label")
            .and_then(|p| p["value"].as_str());
        let prose = part["prose"].as_str().unwrap_or("");
        let text = format!("{} {prose}", label.unwrap_or(""));
        out.push(text.split_whitespace().collect::<Vec<_>>().join(" "));
        for child in part["parts"].as_array().into_iter().flatten() {
            collect(child, out);
        }
    }
    let mut out = Vec::new();
    for part in control["parts"].as_array().into_iter().flatten() {
        if part["name"] == "statement" {
            collect(part, &mut out);
        }
    }
    out.retain(|s| !s.is_empty());
    out.join("\n")
}

/// The framework id of an OSCAL id: characters unsafe in URLs become `_`.
fn framework_id(oscal_id: &str) -> String {
    oscal_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn control_ids(catalog: &Value) -> Vec<String> {
    outline(catalog)
        .into_iter()
        .filter(|e| !e.group)
        .map(|e| e.id)
        .collect()
}

#[test]
fn every_build_writes_the_oscal_catalog_and_export_gives_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    build_into(&fixture("basic"), &site, &[]);
    let project = path_str(&fixture("basic")).to_string();
    for (format, file) in [
        ("json", "framework.json"),
        ("csv", "framework.csv"),
        ("oscal", "oscal/catalog.json"),
    ] {
        let out = dir.path().join(format!("export-{format}"));
        run_ok(&["export", &project, "--format", format, "-o", path_str(&out)]);
        assert_eq!(
            fs::read(&out).unwrap(),
            fs::read(site.join(file)).unwrap(),
            "`export --format {format}` differs from the build's {file}"
        );
    }
    // Standard output when no file is given; the same bytes on every run.
    let first = run_ok(&["export", &project, "--format", "oscal"]).stdout;
    let second = run_ok(&["export", &project, "--format", "oscal"]).stdout;
    assert_eq!(first, second);
    assert_eq!(first, fs::read(site.join("oscal/catalog.json")).unwrap());
}

#[test]
fn the_catalog_maps_concepts_categories_and_citations() {
    let project = fixture("basic");
    let out = run_ok(&["export", path_str(&project), "--format", "oscal"]).stdout;
    let catalog: Value = serde_json::from_slice(&out).unwrap();
    let catalog = &catalog["catalog"];
    assert_eq!(catalog["metadata"]["oscal-version"], "1.1.2");
    let groups = catalog["groups"].as_array().unwrap();
    assert!(groups.iter().all(|g| g["class"] == "concept"));
    let identify = groups.iter().find(|g| g["title"] == "Identify").unwrap();
    let asset = identify["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "ID.AM")
        .unwrap();
    assert_eq!(asset["class"], "category");
    assert!(asset["props"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["name"] == "label" && p["value"] == "ID.AM"));
    let sub = &asset["controls"][0];
    assert_eq!(sub["id"], "ID.AM-01");
    assert_eq!(sub["class"], "subcategory");
    assert_eq!(sub["parts"][0]["name"], "statement");
    // Citations are back-matter resources linked with rel="reference".
    let resources = catalog["back-matter"]["resources"].as_array().unwrap();
    let link = sub["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["rel"] == "reference")
        .unwrap();
    let uuid = link["href"].as_str().unwrap().trim_start_matches('#');
    assert!(resources.iter().any(|r| r["uuid"] == uuid));
    // `related` ids are links with rel="related" to controls that exist.
    let ids: Vec<String> = control_ids(&serde_json::json!({ "catalog": catalog }));
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("\"rel\": \"related\""));
    for href in text.split("\"href\": \"#").skip(1) {
        let target = &href[..href.find('"').unwrap()];
        let known =
            ids.iter().any(|i| i == target) || resources.iter().any(|r| r["uuid"] == target);
        assert!(known, "link to unknown #{target}");
    }
}

#[test]
fn exported_catalogs_are_valid_oscal_according_to_trestle() {
    let dir = tempfile::tempdir().unwrap();
    let mut catalogs = Vec::new();
    // The repository's own example and the basic fixture.
    for (name, project) in [
        ("example", repository().to_path_buf()),
        ("basic", fixture("basic")),
    ] {
        let out = dir.path().join(format!("{name}.json"));
        run_ok(&[
            "export",
            path_str(&project),
            "--format",
            "oscal",
            "-o",
            path_str(&out),
        ]);
        catalogs.push(out);
    }
    // Catalogs imported from OSCAL and exported again.
    for (name, source) in [
        ("nist-low", nist_catalog(NIST_LOW)),
        ("nist-basic", nist_catalog(NIST_BASIC)),
        ("edge", edge_catalog()),
    ] {
        let project = import(&source);
        let out = dir.path().join(format!("{name}.json"));
        run_ok(&[
            "export",
            path_str(project.path()),
            "--format",
            "oscal",
            "-o",
            path_str(&out),
        ]);
        catalogs.push(out);
    }
    trestle::validate_catalogs(&catalogs);
}

#[test]
fn the_validator_rejects_an_invalid_catalog() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("catalog.json");
    run_ok(&[
        "export",
        path_str(&fixture("basic")),
        "--format",
        "oscal",
        "-o",
        path_str(&out),
    ]);
    let mut catalog = read_json(&out);
    catalog["catalog"]["groups"][0]["controls"][0]
        .as_object_mut()
        .unwrap()
        .remove("title");
    let broken = dir.path().join("broken.json");
    fs::write(&broken, serde_json::to_vec(&catalog).unwrap()).unwrap();
    let Some(result) = trestle::check(&[("catalog", &broken)]) else {
        return; // trestle is not available (outside CI only)
    };
    let message = result.unwrap_err();
    assert!(message.contains("title"), "{message}");
}

#[test]
fn framework_json_follows_its_schema() {
    let schema = read_json(&repository().join("schema/framework.schema.json"));
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let edge = import(&edge_catalog());
    for project in [repository(), fixture("basic").as_path(), edge.path()] {
        let out = run_ok(&["export", path_str(project), "--format", "json"]).stdout;
        let json: Value = serde_json::from_slice(&out).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&json)
            .map(|e| format!("{} at {}", e, e.instance_path))
            .collect();
        assert!(
            errors.is_empty(),
            "{}:\n{}",
            project.display(),
            errors.join("\n")
        );
    }
    // The schema is not vacuous.
    let broken = serde_json::json!({ "title": "x", "version": null, "items": [{ "id": "A" }], "references": [] });
    assert!(!validator.is_valid(&broken));
}

/// Imports, checks (no errors) and builds a catalog; every control is a row with its id
/// anchor on its parent's page, and has a permanent link.
fn import_check_build(catalog: &Path) {
    let project = import(catalog);
    let root = path_str(project.path());
    let check = framewright(&["check", root, "--format", "json"]);
    let report: Value = serde_json::from_slice(&check.stdout).unwrap();
    assert_eq!(
        report["errors"],
        0,
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    assert!(check.status.success());
    let site = project.path().join("site");
    build_into(project.path(), &site, &[]);
    let items = read_json(&site.join("framework.json"));
    let items = items["items"].as_array().unwrap();
    let source = read_json(catalog);
    let controls = control_ids(&source);
    assert!(!controls.is_empty());
    for oscal_id in &controls {
        let id = &framework_id(oscal_id);
        let item = items
            .iter()
            .find(|i| i["id"] == id.as_str())
            .unwrap_or_else(|| panic!("control {id} was not imported"));
        assert!(site.join(format!("id/{id}/index.html")).is_file());
        let Some(parent) = items.iter().find(|i| i["id"] == item["parent"]) else {
            // A control outside every group is a concept: a page of its own, not a row.
            let page = item["url"].as_str().unwrap();
            assert!(
                site.join(page).join("index.html").is_file(),
                "no page for {id}"
            );
            continue;
        };
        let page = parent["url"].as_str().unwrap().split('#').next().unwrap();
        let html = fs::read_to_string(site.join(page).join("index.html")).unwrap();
        assert!(
            html.contains(&format!("<tr id=\"{id}\"")),
            "no row with id {id} on {page}"
        );
    }
    assert_links_resolve(&site);
}

#[test]
fn nist_sp_800_53_low_baseline_imports_checks_and_builds() {
    let catalog = nist_catalog(NIST_LOW);
    import_check_build(&catalog);
    assert!(control_ids(&read_json(&catalog)).len() > 140);
}

#[test]
fn nist_example_catalog_imports_checks_and_builds() {
    import_check_build(&nist_catalog(NIST_BASIC));
}

#[test]
fn a_catalog_with_every_corner_case_imports_checks_and_builds() {
    import_check_build(&edge_catalog());
}

/// Import, export: ids, titles, hierarchy, statement prose and related links come back.
fn round_trip(catalog: &Path) {
    let project = import(catalog);
    let out = run_ok(&["export", path_str(project.path()), "--format", "oscal"]).stdout;
    let exported: Value = serde_json::from_slice(&out).unwrap();
    let before = outline(&read_json(catalog));
    let after = outline(&exported);
    assert_eq!(before.len(), after.len());
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(b, a);
    }
}

#[test]
fn round_trip_keeps_ids_titles_hierarchy_and_statements() {
    round_trip(&nist_catalog(NIST_LOW));
    round_trip(&nist_catalog(NIST_BASIC));
}

#[test]
fn round_trip_of_the_corner_cases() {
    round_trip(&edge_catalog());
}

#[test]
fn imported_project_keeps_props_params_and_citations() {
    let project = import(&edge_catalog());
    let content = project.path().join("content");
    let control = fs::read_to_string(content.join("gv/gv-1/_index.md")).unwrap();
    for expected in [
        "label: GV-1",
        // Other props are kept whole (name, value, class, ns, remarks).
        "- name: label\n  class: zero-padded\n  value: GV-01",
        "- name: title\n  value: a prop that collides",
        // Placeholder text is escaped Markdown: brackets never become links.
        "\\[Assignment: keepers or roles\\]",
        "every season",
        "\\[Selection: the head keeper; the harbour board after <span",
        "\\[Assignment: review period\\]</span>\\]",
        "- **b.** the list of holders",
        "  - **1.** changes are written down;",
        "[night watches](@gv-2)",
        "related:\n- gv-2",
        "href: '#zz-9'",
        "cite: Keeper's Handbook",
        "## Guidance",
    ] {
        assert!(
            control.contains(expected),
            "missing {expected:?} in\n{control}"
        );
    }
    let references = fs::read_to_string(content.join("references.yaml")).unwrap();
    assert!(
        references.contains("document: ISO/IEC 27002"),
        "{references}"
    );
    assert!(!references.contains("nobody cites"), "{references}");
    let book = fs::read_to_string(project.path().join("book.toml")).unwrap();
    assert!(book.contains("required-concepts = []"), "{book}");
    // Reserved and unsafe names are avoided; the OSCAL id is kept beside a safe one.
    assert!(content.join("id-group/mappings.md").is_file());
    let odd = fs::read_to_string(content.join("family_without_an_identifier/k_-1.md")).unwrap();
    assert!(odd.contains("oscal-id: ké-1"), "{odd}");
    // Statements may nest under statements (a control enhancement of an enhancement).
    assert!(content.join("op/op.lamp/op-1/op-1.1/op-1.1.1.md").is_file());
}

#[test]
fn import_never_overwrites_without_force() {
    let project = import(&edge_catalog());
    let root = path_str(project.path());
    let index = project.path().join("content/gv/_index.md");
    fs::write(&index, "---\nid: gv\ntitle: Edited by hand\n---\n").unwrap();
    let catalog = edge_catalog();
    let again = framewright(&["import", "oscal", path_str(&catalog), "--into", root]);
    assert_eq!(again.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(
        stderr.contains("already exist") && stderr.contains("--force"),
        "{stderr}"
    );
    assert!(fs::read_to_string(&index)
        .unwrap()
        .contains("Edited by hand"));
    run_ok(&[
        "import",
        "oscal",
        path_str(&catalog),
        "--into",
        root,
        "--force",
    ]);
    assert!(fs::read_to_string(&index)
        .unwrap()
        .contains("title: Governance"));
}

#[test]
fn malformed_catalogs_give_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let into = dir.path().join("project");
    let cases = [
        ("broken.json", "{\"catalog\": {\n  \"metadata\": ,\n}}", "broken.json:2:"),
        ("profile.json", "{\"profile\": {}}", "the profile imports nothing"),
        (
            "groups.json",
            "{\"catalog\": {\"metadata\": {}, \"groups\": [{\"title\": \"G\", \"controls\": [{\"title\": \"no id\"}]}]}}",
            "has no `id`",
        ),
    ];
    for (name, text, expected) in cases {
        let path = dir.path().join(name);
        fs::write(&path, text).unwrap();
        let output = framewright(&[
            "import",
            "oscal",
            path_str(&path),
            "--into",
            path_str(&into),
        ]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{name}: {stderr}");
        assert!(stderr.contains(expected), "{name}: {stderr}");
        assert!(!into.exists(), "{name}: wrote files");
    }
    let missing = dir.path().join("missing.json");
    let output = framewright(&[
        "import",
        "oscal",
        path_str(&missing),
        "--into",
        path_str(&into),
    ]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn export_refuses_a_project_with_errors() {
    let project = project_copy("basic");
    let file = project
        .path()
        .join("content/identify/risk-assessment/ID.RA-02.md");
    let text = fs::read_to_string(&file).unwrap();
    fs::write(&file, text.replacen("id: ID.RA-02", "id: ID.RA-01", 1)).unwrap();
    let output = framewright(&["export", path_str(project.path()), "--format", "oscal"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    assert!(String::from_utf8_lossy(&output.stderr).contains("duplicate id"));
}

/// Without `--into`, import makes a folder named after the catalog file in the current
/// folder, and never writes into the current folder itself.
#[test]
fn import_without_into_makes_a_folder_named_after_the_catalog() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = dir.path().join("harbour-catalog.json");
    fs::copy(edge_catalog(), &catalog).unwrap();
    let work = dir.path().join("work");
    fs::create_dir(&work).unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_framewright"))
        .args(["import", "oscal", path_str(&catalog)])
        .current_dir(&work)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(work.join("harbour-catalog/book.toml").is_file(), "{stderr}");
    assert!(stderr.contains("into harbour-catalog"), "{stderr}");
    let written: Vec<_> = fs::read_dir(&work)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(written, ["harbour-catalog"]);
    // Again: the folder exists now, so nothing is overwritten.
    let again = std::process::Command::new(env!("CARGO_BIN_EXE_framewright"))
        .args(["import", "oscal", path_str(&catalog)])
        .current_dir(&work)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
}
