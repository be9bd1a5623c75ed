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
mod trestle;

fn read_json(path: &Path) -> serde_json::Value {
    let bytes = fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_slice(&bytes).unwrap()
}

/// Imports a catalog, exports it again and compares the two field by field.
fn assert_round_trip(catalog: &Path) -> tempfile::TempDir {
    let project = import(catalog, &[]);
    let out = run_ok(&["export", path_str(project.path()), "--format", "oscal"]).stdout;
    let exported: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let file = project.path().join("exported-catalog.json");
    fs::write(&file, &out).unwrap();
    trestle::validate(&[("catalog", &file)]);
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
fn round_trip_of_nist_and_our_own_catalogs_is_lossless() {
    assert_round_trip(&nist("basic-catalog.json"));
    assert_round_trip(&nist("basic-catalog.xml"));
    // Our own corner cases: groups without ids, reserved names, non-ASCII ids, nesting.
    assert_round_trip(&fixture("oscal/edge-catalog.json"));
    assert_round_trip(&nist("NIST_SP-800-53_rev5_catalog.json"));
    assert_round_trip(&nist(
        "NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog.json",
    ));
}

/// Imports, checks (no errors) and builds a catalog (the build's own link check fails on
/// a broken link).
fn import_check_build(file: &Path) -> (tempfile::TempDir, tempfile::TempDir) {
    let project = import(file, &[]);
    let check = run_ok(&["check", path_str(project.path())]);
    let summary = String::from_utf8_lossy(&check.stdout).to_string()
        + &String::from_utf8_lossy(&check.stderr);
    assert!(
        summary.contains("0 errors"),
        "{}: {summary}",
        file.display()
    );
    let site = tempfile::tempdir().unwrap();
    build_into(project.path(), site.path(), &[]);
    (project, site)
}

#[test]
fn hostile_prose_imports_checks_builds_and_round_trips() {
    for name in ["hostile-catalog.json", "hostile-catalog.xml"] {
        let (_project, site) = import_check_build(&fixture(&format!("oscal/{name}")));
        assert_links_resolve(site.path());
        let page = fs::read_to_string(site.path().join("hx/index.html")).unwrap();
        for raw in ["<script>alert", "<img src=x", "<label>", "<tag "] {
            assert!(
                !page.contains(raw),
                "{name}: raw HTML {raw:?} reached the page"
            );
        }
        // Text that looks like syntax is shown as text.
        assert!(page.contains("AC-3(3)[6](a)"), "{name}");
        assert!(page.contains("[[wiki"), "{name}");
    }
    // The JSON catalog comes back unchanged, syntax and all.
    assert_round_trip(&fixture("oscal/hostile-catalog.json"));
}

#[test]
fn nist_sp_800_53_imports_checks_and_builds() {
    let (project, site) = import_check_build(&nist("NIST_SP-800-53_rev5_catalog.json"));
    // 1,189 controls and enhancements and 20 families.
    let pages = files(&project.path().join("content"))
        .into_iter()
        .filter(|f| f.ends_with(".md"))
        .count();
    assert_eq!(pages, 1189 + 20 + 1);
    let ac2 = fs::read_to_string(project.path().join("content/ac/ac-2/_index.md")).unwrap();
    for expected in [
        "label: AC-2",
        "- id: ac-2_smt.a",
        "name: guidance",
        "- name: sort-id",
    ] {
        assert!(ac2.contains(expected), "{expected:?} in\n{ac2}");
    }
    let withdrawn = fs::read_to_string(project.path().join("content/ac/ac-2/ac-2.10.md")).unwrap();
    assert!(withdrawn.contains("status: withdrawn"), "{withdrawn}");
    assert!(
        withdrawn.contains("incorporated-into:\n- ac-2_smt.k"),
        "{withdrawn}"
    );
    assert!(site.path().join("ac/index.html").is_file());
}

const LOW_PROFILE: &str = "NIST_SP-800-53_rev5_LOW-baseline_profile.json";
const LOW_RESOLVED: &str = "NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog.json";

/// Resolves a profile into a project and exports that as a catalog.
fn resolve_and_export(profile: &Path, extra: &[&str]) -> (serde_json::Value, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec![
        "import",
        "oscal",
        path_str(profile),
        "--into",
        path_str(dir.path()),
    ];
    args.extend_from_slice(extra);
    let output = run_ok(&args);
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    let out = run_ok(&["export", path_str(dir.path()), "--format", "oscal"]).stdout;
    (serde_json::from_slice(&out).unwrap(), stderr)
}

/// NIST's LOW profile of SP 800-53 5.0.1, resolved against the 5.0.1 catalog, gives what
/// NIST's own resolver gave: the same 149 controls and their groups, in the same order,
/// with the same parameters, prose, props and links, and the same 135 of the catalog's
/// 192 resources. The comparison leaves out only what differs by design: timestamps,
/// `oscal-version` and the catalog's UUID (a resolution is a new document).
#[test]
fn resolving_nists_low_profile_gives_nists_resolved_catalog() {
    let expected = read_json(&nist(LOW_RESOLVED));
    // The profile's href names the XML catalog; only the JSON one is beside it.
    let (resolved, stderr) = resolve_and_export(&nist(LOW_PROFILE), &[]);
    assert!(
        stderr.contains("NIST_SP-800-53_rev5_catalog.xml") && stderr.contains("was used instead"),
        "{stderr}"
    );
    let diffs = oscalcmp::differences(&expected, &resolved);
    assert!(diffs.is_empty(), "{diffs:#?}");
    // The same with the catalog given on the command line, and no note.
    let catalog = nist("NIST_SP-800-53_rev5_catalog.json");
    let (resolved, stderr) =
        resolve_and_export(&nist(LOW_PROFILE), &["--catalog", path_str(&catalog)]);
    assert!(!stderr.contains("note:"), "{stderr}");
    assert!(oscalcmp::differences(&expected, &resolved).is_empty());
}

/// Ids of every control of a catalog document.
fn control_ids(catalog: &serde_json::Value) -> Vec<String> {
    fn walk(container: &serde_json::Value, out: &mut Vec<String>) {
        for key in ["groups", "controls"] {
            for item in container[key].as_array().into_iter().flatten() {
                if key == "controls" {
                    out.push(item["id"].as_str().unwrap().to_string());
                }
                walk(item, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(&catalog["catalog"], &mut out);
    out
}

#[test]
fn baselines_are_marked_on_an_imported_catalog() {
    let project = import(&nist("NIST_SP-800-53_rev5_catalog.json"), &[]);
    let low = format!("LOW={}", path_str(&nist(LOW_PROFILE)));
    let moderate = format!(
        "MODERATE={}",
        path_str(&nist("NIST_SP-800-53_rev5_MODERATE-baseline_profile.json"))
    );
    let catalog = nist("NIST_SP-800-53_rev5_catalog.json");
    run_ok(&[
        "import",
        "oscal",
        "--catalog",
        path_str(&catalog),
        "--baseline",
        &low,
        "--baseline",
        &moderate,
        "--into",
        path_str(project.path()),
    ]);
    let content = project.path().join("content");
    let read = |rel: &str| fs::read_to_string(content.join(rel)).unwrap();
    assert!(read("ac/ac-2/_index.md").contains("baselines:\n- LOW\n- MODERATE\n"));
    assert!(read("ac/ac-2/ac-2.1.md").contains("baselines:\n- MODERATE\n"));
    assert!(!read("ac/ac-2/ac-2.11.md").contains("baselines:"));
    // Membership equals NIST's resolution of LOW: exactly its controls are marked LOW.
    let expected: std::collections::BTreeSet<String> = control_ids(&read_json(&nist(LOW_RESOLVED)))
        .into_iter()
        .collect();
    let mut marked = std::collections::BTreeSet::new();
    for file in files(&content).into_iter().filter(|f| f.ends_with(".md")) {
        let text = read(&file);
        if text.contains("\n- LOW\n") {
            let id = text.lines().find_map(|l| l.strip_prefix("id: ")).unwrap();
            marked.insert(id.to_string());
        }
    }
    assert_eq!(marked, expected);
    // Marking again changes nothing; the project still checks.
    let again = run_ok(&[
        "import",
        "oscal",
        "--catalog",
        path_str(&catalog),
        "--baseline",
        &low,
        "--into",
        path_str(project.path()),
    ]);
    assert!(String::from_utf8_lossy(&again.stderr).contains("0 files changed"));
    let check = framewright(&["check", path_str(project.path())]);
    assert_eq!(check.status.code(), Some(0));
    baseline_exports(project.path(), &expected);
}

/// `export --format oscal --baseline LOW` is NIST's resolved LOW catalog again (all but its
/// metadata, which is the project's own), `--format oscal-profile --baseline LOW` selects
/// exactly its controls, and trestle reads both and the full export as valid OSCAL.
fn baseline_exports(project: &Path, low: &std::collections::BTreeSet<String>) {
    let out = tempfile::tempdir().unwrap();
    let export = |args: &[&str], name: &str| -> PathBuf {
        let file = out.path().join(name);
        let mut all = vec!["export", path_str(project), "-o", path_str(&file)];
        all.extend_from_slice(args);
        run_ok(&all);
        file
    };
    let full = export(&["--format", "oscal"], "catalog.json");
    let catalog = export(
        &["--format", "oscal", "--baseline", "LOW"],
        "low-catalog.json",
    );
    let profile = export(
        &["--format", "oscal-profile", "--baseline", "LOW"],
        "low-profile.json",
    );
    let diffs = oscalcmp::differences(&read_json(&nist(LOW_RESOLVED)), &read_json(&catalog));
    assert!(
        diffs.keys().all(|field| field.starts_with("metadata")),
        "{diffs:#?}"
    );
    let selected: std::collections::BTreeSet<String> = read_json(&profile)["profile"]["imports"][0]
        ["include-controls"][0]["with-ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| id.as_str().unwrap().to_string())
        .collect();
    assert_eq!(&selected, low);
    trestle::validate(&[
        ("catalog", &full),
        ("catalog", &catalog),
        ("profile", &profile),
    ]);
    // A baseline the project does not have is refused with the names it has.
    let output = framewright(&[
        "export",
        path_str(project),
        "--format",
        "oscal-profile",
        "--baseline",
        "HIGH",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("LOW, MODERATE"));
}

/// Each bad input: a file name, its text, and what the error must say.
fn bad_inputs() -> Vec<(&'static str, String, Vec<&'static str>)> {
    let basic = fs::read_to_string(nist("basic-catalog.json")).unwrap();
    let basic_xml = fs::read_to_string(nist("basic-catalog.xml")).unwrap();
    let cut = |text: &str| text[..text.len() / 2].to_string();
    vec![
        ("plain.json", "{\"animals\": [\"cat\"]}".into(), vec!["not OSCAL", "top-level keys animals"]),
        ("list.yaml", "- just\n- a list\n".into(), vec!["not OSCAL", "YAML"]),
        ("html.xml", "<html><body/></html>".into(), vec!["html.xml:1", "not OSCAL", "namespace"]),
        (
            "component.json",
            "{\"component-definition\": {\"uuid\": \"x\"}}".into(),
            vec!["wrong OSCAL model", "component-definition"],
        ),
        ("truncated.json", cut(&basic), vec!["truncated.json:", "truncated"]),
        ("truncated.xml", cut(&basic_xml), vec!["truncated.xml:", "not well-formed XML"]),
        (
            "duplicate.json",
            basic.replacen("\"id\": \"s1.1.2\"", "\"id\": \"s1.1.1\"", 1),
            vec!["duplicate id `s1.1.1`", "/catalog/groups/0/groups/0/controls/1", "/catalog/groups/0/groups/0/controls/0"],
        ),
        (
            "duplicate.xml",
            basic_xml.replacen("<control id=\"s1.1.2\"", "<control id=\"s1.1.1\"", 1),
            vec!["duplicate id `s1.1.1`", "duplicate.xml:"],
        ),
        (
            "profile.json",
            r#"{"profile": {"uuid": "p", "metadata": {"title": "P"}, "imports": [{"href": "missing-catalog.xml", "include-all": {}}]}}"#.into(),
            vec!["profile.json (at /profile/imports/0/href)", "`missing-catalog.xml` is missing", "--catalog"],
        ),
    ]
}

#[test]
fn bad_oscal_gives_a_clear_error_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text, expected) in bad_inputs() {
        let path = dir.path().join(name);
        fs::write(&path, &text).unwrap();
        let into = dir.path().join(format!("project-{name}"));
        let output = framewright(&[
            "import",
            "oscal",
            path_str(&path),
            "--into",
            path_str(&into),
        ]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{name}: {stderr}");
        for part in expected {
            assert!(stderr.contains(part), "{name}: {part:?} not in {stderr}");
        }
        assert!(!into.exists(), "{name}: wrote {into:?}");
    }
    // A profile that selects a control the catalog lacks.
    let profile = dir.path().join("low.json");
    let text = fs::read_to_string(nist(LOW_PROFILE))
        .unwrap()
        .replacen("\"ac-1\"", "\"ac-999\"", 1);
    fs::write(&profile, text).unwrap();
    let catalog = nist("NIST_SP-800-53_rev5_catalog.json");
    let output = framewright(&[
        "import",
        "oscal",
        path_str(&profile),
        "--catalog",
        path_str(&catalog),
        "--into",
        path_str(&dir.path().join("low")),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("`ac-999`") && stderr.contains("with-ids/0"),
        "{stderr}"
    );
    // An existing project is left as it was when a baseline cannot be marked.
    let project = import(&nist("basic-catalog.json"), &[]);
    let before = snapshot(project.path());
    let low = format!("LOW={}", path_str(&nist(LOW_PROFILE)));
    let output = framewright(&[
        "import",
        "oscal",
        "--catalog",
        path_str(&catalog),
        "--baseline",
        &low,
        "--into",
        path_str(project.path()),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("not in the project"), "{stderr}");
    assert_eq!(snapshot(project.path()), before);
}

#[test]
fn last_modified_is_kept_until_the_content_changes() {
    let source = read_json(&nist("basic-catalog.json"));
    let kept = source["catalog"]["metadata"]["last-modified"]
        .as_str()
        .unwrap();
    let project = import(&nist("basic-catalog.json"), &[]);
    let export = |project: &Path| -> serde_json::Value {
        let out = run_ok(&["export", path_str(project), "--format", "oscal"]).stdout;
        serde_json::from_slice(&out).unwrap()
    };
    assert_eq!(
        export(project.path())["catalog"]["metadata"]["last-modified"],
        kept
    );
    // An edit to a statement: the export carries it and a new time.
    let file = project.path().join("content/s1/s1.1/s1.1.1.md");
    let text = fs::read_to_string(&file).unwrap();
    fs::write(
        &file,
        text.replacen("should be defined", "must be defined", 1),
    )
    .unwrap();
    let edited = export(project.path());
    let modified = edited["catalog"]["metadata"]["last-modified"]
        .as_str()
        .unwrap();
    assert_ne!(modified, kept);
    assert!(
        modified.ends_with('Z') && modified.len() == 20,
        "{modified}"
    );
    let statement = &edited["catalog"]["groups"][0]["groups"][0]["controls"][0]["parts"][1];
    assert_eq!(statement["id"], "s1.1.1_stm");
    assert!(statement["prose"]
        .as_str()
        .unwrap()
        .contains("must be defined"));
}

#[test]
fn baselines_show_in_tables_counts_and_search() {
    let core = format!(
        "CORE={}",
        path_str(&fixture("oscal/basic-core-profile.json"))
    );
    let project = import(&nist("basic-catalog.json"), &["--baseline", &core]);
    let control = fs::read_to_string(project.path().join("content/s1/s1.1/s1.1.1.md")).unwrap();
    assert!(control.contains("baselines:\n- CORE\n"), "{control}");
    let site = tempfile::tempdir().unwrap();
    build_into(project.path(), site.path(), &[]);
    let page = fs::read_to_string(site.path().join("s1/s1.1/index.html")).unwrap();
    // A column with one mark per baseline, the names for the filter, the count.
    assert!(
        page.contains("<th scope=\"col\" class=\"col-baselines\">Baselines</th>"),
        "{page}"
    );
    assert!(page.contains("data-baselines=\"CORE\""), "{page}");
    assert!(
        page.contains("<span class=\"baseline-mark\">CORE</span>"),
        "{page}"
    );
    assert!(
        page.contains("<span class=\"baseline-mark\">CORE</span> 1</span>"),
        "{page}"
    );
    let home = fs::read_to_string(site.path().join("index.html")).unwrap();
    assert!(
        home.contains("<span class=\"baseline-mark\">CORE</span> 2</span>"),
        "{home}"
    );
    let search = fs::read_to_string(site.path().join("search-index.js")).unwrap();
    assert_eq!(search.matches(",\"CORE\"]").count(), 2, "{search}");
    // Sites without baselines keep their tables as they were.
    let plain = tempfile::tempdir().unwrap();
    let bare = import(&nist("basic-catalog.json"), &[]);
    build_into(bare.path(), plain.path(), &[]);
    let page = fs::read_to_string(plain.path().join("s1/s1.1/index.html")).unwrap();
    assert!(!page.contains("baseline"), "{page}");
}

/// NIST's 5.1.1 LOW profile in XML selects the same 149 controls as the 5.0.1 one in JSON
/// (resolved here against the 5.0.1 catalog, the only full catalog in the fixtures).
#[test]
fn an_xml_profile_selects_what_its_json_edition_selects() {
    let catalog = nist("NIST_SP-800-53_rev5_catalog.json");
    let args = ["--catalog", path_str(&catalog)];
    let (xml, _) = resolve_and_export(
        &nist("NIST_SP-800-53_rev5.1.1_LOW-baseline_profile.xml"),
        &args,
    );
    let expected = read_json(&nist(LOW_RESOLVED));
    assert_eq!(control_ids(&xml), control_ids(&expected));
    assert_eq!(control_ids(&xml).len(), 149);
}
