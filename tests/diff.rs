//! `framewright diff` (issue 18): two versions compared item by item, from folders, git
//! revisions and OSCAL catalogs, in every output format.

mod common;
mod trestle;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::*;

fn fixture_dir(version: &str) -> String {
    fixture("diff").join(version).to_string_lossy().into_owned()
}

fn run_ok(args: &[&str]) -> String {
    let output = framewright(args);
    assert!(
        output.status.success(),
        "framewright {args:?} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn json(args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&run_ok(args)).unwrap()
}

/// The changes of one item in the JSON report, as kind names.
fn kinds(report: &serde_json::Value, id: &str) -> Vec<String> {
    let items = report["items"].as_array().unwrap();
    let item = items
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("{id} not in the report"));
    item["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn folders_are_compared_item_by_item() {
    let (old, new) = (fixture_dir("old"), fixture_dir("new"));
    let report = json(&["diff", &old, &new, "--format", "json"]);
    assert_eq!(report["old"]["version"], "1.0");
    assert_eq!(report["new"]["version"], "2.0");
    assert_eq!(kinds(&report, "ID.AM-01"), ["reworded", "citations"]);
    assert_eq!(kinds(&report, "ID.AM-02"), ["renamed"]);
    assert_eq!(kinds(&report, "ID.AM-03"), ["moved"]);
    assert_eq!(kinds(&report, "ID.AM-04"), ["added"]);
    assert_eq!(kinds(&report, "ID.AM-05"), ["removed"]);
    assert_eq!(kinds(&report, "PR.AC-01"), ["parameters"]);
    assert_eq!(kinds(&report, "PR.AC-02"), ["withdrawn"]);
    assert_eq!(
        kinds(&report, "PR.AC-04"),
        ["renumbered", "renamed", "reworded"]
    );
    let items = report["items"].as_array().unwrap();
    let withdrawn = items.iter().find(|i| i["id"] == "PR.AC-02").unwrap();
    assert_eq!(withdrawn["changes"][0]["into"][0], "PR.AC-01");
    let reworded = items.iter().find(|i| i["id"] == "ID.AM-01").unwrap();
    let words = reworded["changes"][0]["words"].as_array().unwrap();
    assert!(words
        .contains(&serde_json::json!({"op": "inserted", "text": "and on the vessels in port "})));
    assert_eq!(reworded["changes"][1]["added"][0], "ISO/IEC 27002:2022 5.9");
    // The concept descriptions are rewrapped and reordered, not changed.
    assert!(items.iter().all(|i| i["id"] != "ID"));
    assert_eq!(report["counts"]["unchanged"], 4);
    // The look-alike under a new id is a suggestion, not a pairing.
    assert_eq!(report["suggestions"][0]["old"], "ID.AM-05");
    assert_eq!(report["suggestions"][0]["new"], "PR.AC-05");
    assert_eq!(kinds(&report, "PR.AC-05"), ["added"]);
}

#[test]
fn human_output_groups_by_concept_with_word_diffs() {
    let text = run_ok(&["diff", &fixture_dir("old"), &fixture_dir("new")]);
    assert!(text.contains("1.0 ("), "{text}");
    assert!(
        text.contains("2 added, 1 removed, 1 withdrawn, 1 renumbered, 1 moved"),
        "{text}"
    );
    assert!(
        text.contains("{+and on the vessels in port+} is listed"),
        "{text}"
    );
    assert!(
        text.contains("withdrawn: incorporated into PR.AC-01"),
        "{text}"
    );
    assert!(text.contains("PR.AC-03 → PR.AC-04"), "{text}");
    assert!(text.contains("ID.AM-05 → PR.AC-05"), "{text}");
    let identify = text.find("\nID\n").unwrap();
    let protect = text.find("\nPR\n").unwrap();
    let removed = text.find("ID.AM-05  Paper records").unwrap();
    assert!(identify < removed && removed < protect, "{text}");
}

#[test]
fn a_version_against_itself_is_empty() {
    let new = fixture_dir("new");
    let report = json(&["diff", &new, &new, "--format", "json"]);
    assert_eq!(report["items"].as_array().unwrap().len(), 0);
    assert_eq!(report["counts"], serde_json::json!({"unchanged": 12}));
    let text = run_ok(&["diff", &new, &new]);
    assert!(text.contains("no changes; 12 unchanged"), "{text}");
}

#[test]
fn both_directions_are_mirror_images() {
    let (old, new) = (fixture_dir("old"), fixture_dir("new"));
    let forward = json(&["diff", &old, &new, "--format", "json"]);
    let backward = json(&["diff", &new, &old, "--format", "json"]);
    fn mirror(kind: &str) -> &str {
        match kind {
            "added" => "removed",
            "removed" => "added",
            "withdrawn" => "reinstated",
            other => other,
        }
    }
    for item in forward["items"].as_array().unwrap() {
        let id = item["old-id"].as_str().or(item["new-id"].as_str()).unwrap();
        let expected: Vec<String> = kinds(&forward, item["id"].as_str().unwrap())
            .iter()
            .map(|k| mirror(k).to_string())
            .collect();
        assert_eq!(kinds(&backward, id), expected, "{id}");
    }
    assert_eq!(
        forward["items"].as_array().unwrap().len(),
        backward["items"].as_array().unwrap().len()
    );
}

#[test]
fn csv_has_one_row_per_item() {
    let csv = run_ok(&[
        "diff",
        &fixture_dir("old"),
        &fixture_dir("new"),
        "--format",
        "csv",
    ]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header[..3], ["old_id", "new_id", "kind"]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    // 12 items in the new version (the renumbered one pairs two ids), and the one removed.
    assert_eq!(rows.len(), 13);
    let row = |id: &str| {
        rows.iter()
            .find(|r| &r[0] == id || &r[1] == id)
            .unwrap_or_else(|| panic!("no row for {id}"))
    };
    assert_eq!(&row("PR.AC-04")[0], "PR.AC-03");
    assert_eq!(&row("PR.AC-04")[6], "renumbered; renamed; reworded");
    assert_eq!(&row("ID.AM-05")[1], "");
    assert_eq!(&row("ID.AM-05")[6], "removed");
    assert_eq!(&row("PR")[6], "unchanged");
    assert!(row("ID.AM-01")[10].contains("{+and on the vessels in port+}"));
}

#[test]
fn oscal_mapping_maps_old_items_to_new_ones() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out/mapping.json");
    let args = [
        "diff",
        &fixture_dir("old"),
        &fixture_dir("new"),
        "--format",
        "oscal-mapping",
        "-o",
        out.to_str().unwrap(),
    ];
    run_ok(&args);
    let collection: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&out).unwrap()).unwrap();
    let maps = collection["mapping-collection"]["mappings"][0]["maps"]
        .as_array()
        .unwrap();
    let relation = |source: &str| -> Vec<(String, String)> {
        maps.iter()
            .filter(|m| m["sources"][0]["id-ref"] == source)
            .map(|m| {
                (
                    m["relationship"].as_str().unwrap().to_string(),
                    m["targets"][0]["id-ref"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    assert_eq!(
        relation("PR.AC-02"),
        [("subset-of".into(), "PR.AC-01".into())]
    );
    assert_eq!(
        relation("PR.AC-03"),
        [("intersects-with".into(), "PR.AC-04".into())]
    );
    assert_eq!(
        relation("ID.AM-03"),
        [("equivalent-to".into(), "ID.AM-03".into())]
    );
    assert!(relation("ID.AM-05").is_empty());
    assert_eq!(
        collection["mapping-collection"]["metadata"]["oscal-version"],
        "1.2.0"
    );
    trestle::validate(&[("mapping", &out)]);
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.org",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&status.stderr)
    );
}

/// A git repository whose project folder `fw/` was the old fixture at tag v1.0 and is the
/// new one now (committed), with an uncommitted edit on top.
fn repository() -> tempfile::TempDir {
    let repo = tempfile::tempdir().unwrap();
    git(repo.path(), &["init", "-q"]);
    let project = repo.path().join("fw");
    copy_tree(&fixture("diff").join("old"), &project);
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "-qm", "1.0"]);
    git(repo.path(), &["tag", "v1.0"]);
    fs::remove_dir_all(&project).unwrap();
    copy_tree(&fixture("diff").join("new"), &project);
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "-qm", "2.0"]);
    repo
}

#[test]
fn a_git_revision_is_compared_with_the_project() {
    let repo = repository();
    let project = repo.path().join("fw");
    let project = project.to_str().unwrap();
    let report = json(&["diff", "--rev", "v1.0", project, "--format", "json"]);
    assert_eq!(report["old"]["source"], "git:v1.0");
    assert_eq!(report["old"]["version"], "1.0");
    assert_eq!(kinds(&report, "PR.AC-02"), ["withdrawn"]);
    assert_eq!(kinds(&report, "ID.AM-04"), ["added"]);
    // `git:REV` on both sides, run in the project folder: the tag against the last commit,
    // which an uncommitted edit is not part of.
    fs::write(
        repo.path().join("fw/content/identify/assets.md"),
        "---\nid: ID.AM\n---\n",
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_framewright"))
        .args(["diff", "git:v1.0", "git:HEAD", "--format", "json"])
        .current_dir(repo.path().join("fw"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let head: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(head["new"]["source"], "git:HEAD");
    assert_eq!(kinds(&head, "ID.AM-02"), ["renamed"]);
    // Nothing in the repository changed but the edit made above.
    git(repo.path(), &["checkout", "-q", "--", "."]);
    let status = Command::new("git")
        .arg("-C")
        .arg(repo.path())
        .args(["status", "--porcelain"])
        .output()
        .unwrap();
    assert!(
        status.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&status.stdout)
    );
}

#[test]
fn a_missing_tag_is_a_clear_error_and_nothing_is_written() {
    let repo = repository();
    let project = repo.path().join("fw");
    let out = repo.path().join("changes.csv");
    let output = framewright(&[
        "diff",
        "--rev",
        "v9.9",
        project.to_str().unwrap(),
        "--format",
        "csv",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no revision `v9.9`"), "{stderr}");
    assert!(!out.exists());
}

#[test]
fn an_unreadable_version_is_a_clear_error() {
    let output = framewright(&["diff", "/nonexistent/old-release", &fixture_dir("new")]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("/nonexistent/old-release") && stderr.contains("no such project folder"),
        "{stderr}"
    );
    let broken = tempfile::tempdir().unwrap();
    copy_tree(&fixture("diff").join("old"), broken.path());
    fs::write(
        broken.path().join("content/identify/assets.md"),
        "---\nid: [unclosed\n---\n",
    )
    .unwrap();
    let output = framewright(&["diff", broken.path().to_str().unwrap(), &fixture_dir("new")]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("content/identify/assets.md:"), "{stderr}");
}

#[test]
fn oscal_catalogs_are_compared() {
    let dir = tempfile::tempdir().unwrap();
    let old = fixture("diff").join("catalog-1.json");
    let mut catalog: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&old).unwrap()).unwrap();
    let controls = &mut catalog["catalog"]["groups"][0]["controls"];
    controls[0]["title"] = "Lamp and Lens Inspection".into();
    controls[1]["props"] = serde_json::json!([
        {"name": "label", "value": "LK-2"},
        {"name": "status", "value": "withdrawn"}
    ]);
    controls[1]["links"] = serde_json::json!([{"href": "#lk-1", "rel": "incorporated-into"}]);
    let new = dir.path().join("catalog-2.json");
    fs::write(&new, serde_json::to_string_pretty(&catalog).unwrap()).unwrap();
    let (old, new) = (old.to_str().unwrap(), new.to_str().unwrap());
    let report = json(&["diff", old, new, "--format", "json"]);
    assert_eq!(kinds(&report, "lk-1"), ["renamed"]);
    assert_eq!(kinds(&report, "lk-2"), ["withdrawn"]);
    let items = report["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{items:?}");
    let withdrawn = items.iter().find(|i| i["id"] == "lk-2").unwrap();
    assert_eq!(withdrawn["changes"][0]["into"][0], "lk-1");
    let same = json(&["diff", old, old, "--format", "json"]);
    assert!(same["items"].as_array().unwrap().is_empty());
}

// ---- the site: [[releases]] in book.toml ---------------------------------------------

/// The new fixture with the old one as its release 1.0 (`path`), in a temporary folder.
fn project_with_release(release: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture("diff").join("new"), dir.path());
    copy_tree(
        &fixture("diff").join("old"),
        &dir.path().join("releases/1.0"),
    );
    let book = dir.path().join("book.toml");
    let mut text = fs::read_to_string(&book).unwrap();
    text.push_str(&format!("\n[[releases]]\nversion = \"1.0\"\n{release}\n"));
    fs::write(book, text).unwrap();
    dir
}

fn page(site: &Path, path: &str) -> String {
    fs::read_to_string(site.join(path)).unwrap_or_else(|err| panic!("{path}: {err}"))
}

#[test]
fn the_site_shows_what_each_release_changed() {
    let project = project_with_release("path = \"releases/1.0\"");
    let site = project.path().join("site");
    build_into(project.path(), &site, &[]);
    let index = page(&site, "changes/index.html");
    assert!(index.contains("href=\"../changes/2.0/\""), "{index}");
    assert!(index.contains("since 1.0"), "{index}");
    let release = page(&site, "changes/2.0/index.html");
    assert!(release.contains("Changes from 1.0 to 2.0: 9 items changed, 4 unchanged."));
    assert!(release.contains(
        "<tr class=\"change-withdrawn\"><th scope=\"row\">withdrawn</th><td>1</td></tr>"
    ));
    assert!(
        release.contains("<ins>and on the vessels in port</ins> is listed"),
        "{release}"
    );
    assert!(release.contains(
        "Withdrawn: incorporated into <a href=\"../../protect/access/#PR.AC-01\">PR.AC-01</a>"
    ));
    assert!(release.contains("<span class=\"item-id\">PR.AC-03</span> → <a class=\"item-id\" href=\"../../protect/access/#PR.AC-04\">PR.AC-04</a>"));
    // Grouped by concept, each group linking to its concept.
    let identify = release
        .find("<a href=\"../../identify/\">Identify</a>")
        .unwrap();
    let protect = release
        .find("<a href=\"../../protect/\">Protect</a>")
        .unwrap();
    let removed = release.find("id=\"ID.AM-05\"").unwrap();
    assert!(identify < removed && removed < protect);
    // Every page links to the release pages.
    assert!(page(&site, "index.html").contains("href=\"changes/\">What changed</a>"));
}

#[test]
fn rows_carry_history_lines_and_the_changed_since_filter_data() {
    let project = project_with_release("path = \"releases/1.0\"");
    let site = project.path().join("site");
    build_into(project.path(), &site, &[]);
    let assets = page(&site, "identify/assets/index.html");
    assert!(
        assets.contains("data-since=\"[&quot;1.0&quot;]\""),
        "{assets}"
    );
    assert!(
        assets.contains("<tr id=\"ID.AM-01\" data-documents=\"iso-iec-27002\" data-changed=\"0\">")
    );
    assert!(assets.contains(
        "<span class=\"history\"><a href=\"../../changes/2.0/#ID.AM-01\">Reworded, citations changed in 2.0</a></span>"
    ));
    let access = page(&site, "protect/access/index.html");
    assert!(
        access.contains(
            "<a href=\"../../changes/2.0/#PR.AC-04\">Id changed, renamed, reworded in 2.0</a>"
        ),
        "{access}"
    );
    // Unchanged rows have no history line and no step.
    let protect = page(&site, "protect/index.html");
    assert!(
        protect.contains("<tr id=\"PR.AC\" data-documents=\"\" data-changed=\"\">"),
        "{protect}"
    );
    assert!(!protect.contains("class=\"history\""));
    // Without releases, nothing of this is written.
    let plain = tempfile::tempdir().unwrap();
    build_into(&fixture("diff").join("new"), plain.path(), &[]);
    assert!(!plain.path().join("changes").exists());
    assert!(!page(plain.path(), "identify/assets/index.html").contains("data-changed"));
}

#[test]
fn ids_that_are_gone_redirect_with_a_note() {
    let project = project_with_release("path = \"releases/1.0\"");
    let site = project.path().join("site");
    build_into(project.path(), &site, &[]);
    let renumbered = page(&site, "id/PR.AC-03/index.html");
    assert!(
        renumbered.contains("PR.AC-03 became PR.AC-04 in 2.0."),
        "{renumbered}"
    );
    assert!(renumbered.contains(
        "<meta http-equiv=\"refresh\" content=\"3; url=../../protect/access/#PR.AC-04\">"
    ));
    let removed = page(&site, "id/ID.AM-05/index.html");
    assert!(
        removed.contains("ID.AM-05 was removed in 2.0."),
        "{removed}"
    );
    assert!(!removed.contains("http-equiv=\"refresh\""));
    assert!(removed.contains("href=\"../../changes/2.0/#ID.AM-05\""));
    // An id that is still there keeps its own permanent link.
    assert!(page(&site, "id/PR.AC-02/index.html").contains("url=../../protect/access/#PR.AC-02"));
}

#[test]
fn a_release_can_be_a_git_tag_and_a_missing_tag_fails_the_build() {
    let repo = repository();
    let project = repo.path().join("fw");
    let book = project.join("book.toml");
    let text = fs::read_to_string(&book).unwrap();
    fs::write(
        &book,
        format!("{text}\n[[releases]]\nversion = \"1.0\"\ngit = \"v1.0\"\n"),
    )
    .unwrap();
    let site = repo.path().join("site");
    build_into(&project, &site, &[]);
    assert!(page(&site, "changes/2.0/index.html").contains("id=\"PR.AC-02\""));
    assert!(page(&site, "id/PR.AC-03/index.html").contains("became PR.AC-04"));
    // A tag that is not there: an error at its [[releases]] line, and no site written.
    fs::write(
        &book,
        format!("{text}\n[[releases]]\nversion = \"1.0\"\ngit = \"v0.1\"\n"),
    )
    .unwrap();
    let other = repo.path().join("other-site");
    let output = framewright(&[
        "build",
        project.to_str().unwrap(),
        "-d",
        other.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("release `1.0`") && stderr.contains("no revision `v0.1`"),
        "{stderr}"
    );
    assert!(stderr.contains("book.toml:8:1"), "{stderr}");
    assert!(!other.exists());
}

#[test]
fn a_release_must_name_one_source() {
    let project = project_with_release("path = \"releases/1.0\"\ngit = \"v1.0\"");
    let output = framewright(&["check", project.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("must name exactly one of `path`, `git` and `oscal` (2 given)"),
        "{stderr}"
    );
    let outside = project_with_release("path = \"../elsewhere\"");
    let stderr =
        String::from_utf8_lossy(&framewright(&["check", outside.path().to_str().unwrap()]).stderr)
            .into_owned();
    assert!(
        stderr.contains("is not a path inside the project"),
        "{stderr}"
    );
}

#[test]
fn the_example_framework_shows_its_release_0_9() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    build_into(root, dir.path(), &[]);
    let release = page(dir.path(), "changes/1.0/index.html");
    for id in [
        "ID.GV-03", "ID.GV-04", "ID.RA-03", "ID.RA-05", "ID.RA-06", "PR.AT-05", "DE.CM-05",
    ] {
        assert!(release.contains(&format!("id=\"{id}\"")), "{id} missing");
    }
    let item = page(dir.path(), "identify/risk-assessment/id.ra-05/index.html");
    assert!(item.contains("<p class=\"history\"><a href=\"../../../changes/1.0/#ID.RA-05\">Reworded in 1.0</a></p>"), "{item}");
    assert!(page(dir.path(), "id/ID.GV-05/index.html").contains("ID.GV-05 became ID.GV-04 in 1.0."));
    assert!(page(dir.path(), "id/PR.AT-05/index.html").contains("PR.AT-05 was removed in 1.0."));
}
