//! Golden files: one page of each kind and the diagnostics (human and JSON) of a few
//! broken fixtures, compared byte for byte with `tests/snapshots/`. A refactor then shows
//! every byte it changes. When a change is meant, run
//! `UPDATE_SNAPSHOTS=1 cargo test --test snapshots` and review the diff of the golden files.

mod common;

use std::fs;
use std::path::Path;

use common::*;

/// Compares `actual` with the golden file `name`, or writes it when UPDATE_SNAPSHOTS is set.
/// Returns a description of the difference, if any.
fn check_snapshot(name: &str, actual: &str) -> Option<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, actual).unwrap();
        return None;
    }
    let expected = match fs::read_to_string(&path) {
        Ok(text) => text,
        Err(_) => {
            return Some(format!(
                "{name}: no golden file (run with UPDATE_SNAPSHOTS=1)"
            ))
        }
    };
    if expected == actual {
        return None;
    }
    let line = expected
        .lines()
        .zip(actual.lines())
        .position(|(e, a)| e != a)
        .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
    Some(format!(
        "{name}: differs from line {}\n  expected: {:?}\n  actual:   {:?}",
        line + 1,
        expected.lines().nth(line).unwrap_or("<end>"),
        actual.lines().nth(line).unwrap_or("<end>"),
    ))
}

/// Builds `project` and compares the pages `pages` (site paths) with their golden files,
/// stored under `<prefix>/<page path>`.
fn check_pages(project: &Path, prefix: &str, pages: &[&str]) -> Vec<String> {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    // A public address, so that the sitemap and canonical links are written too.
    build_into(
        project,
        &site,
        &["--base-url", "https://fixture.example.org/"],
    );
    pages
        .iter()
        .filter_map(|page| {
            let html = fs::read_to_string(site.join(page))
                .unwrap_or_else(|e| panic!("{page} was not built: {e}"));
            check_snapshot(&format!("{prefix}/{page}"), &html)
        })
        .collect()
}

#[test]
fn one_page_of_each_kind_matches_its_golden_file() {
    let mut problems = check_pages(
        &fixture("basic"),
        "pages/basic",
        &[
            "index.html",                          // Node: home
            "identify/index.html",                 // Node: concept
            "identify/risk-assessment/index.html", // Node: category with its own page
            "id/ID.RA-01/index.html",              // Permalink
            "references/index.html",               // ReferenceIndex
            "references/iso-iec-27005/index.html", // ReferenceSeries
            "print/index.html",                    // Print
            "search/index.html",                   // Search
            "conformance/index.html",              // Conformance
            "404.html",                            // NotFound
            "sitemap.xml",                         // Sitemap
        ],
    );
    problems.extend(check_pages(
        &fixture("crosswalk"),
        "pages/crosswalk",
        &[
            "crosswalk/index.html",            // CrosswalkIndex
            "crosswalk/lighthouse/index.html", // Crosswalk
        ],
    ));
    problems.extend(check_pages(
        &fixture("references"),
        "pages/references",
        &[
            "references/iso-iec-27033/index.html", // ReferenceSeries with documents
            "references/iso-iec-27033-2/index.html", // ReferenceDocument
        ],
    ));
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n\n"));
}

/// The broken fixtures whose diagnostics are kept as golden files.
const BROKEN: [&str; 5] = [
    "duplicate-id",
    "citation-undeclared",
    "link-unknown-id",
    "yaml-bad-indentation",
    "missing-concept",
];

/// `framewright check` on a broken fixture: exit status, standard error and output.
fn check_output(fixture_dir: &Path, format: &str) -> String {
    let output = framewright(&["check", fixture_dir.to_str().unwrap(), "--format", format]);
    let text = format!(
        "exit: {:?}\n--- stdout\n{}--- stderr\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    // The fixture's absolute place differs between machines.
    text.replace(fixture_dir.to_str().unwrap(), "<project>")
}

#[test]
fn diagnostics_of_broken_fixtures_match_their_golden_files() {
    let mut problems = Vec::new();
    for name in BROKEN {
        let dir = fixture("invalid").join(name);
        for format in ["human", "json"] {
            let actual = check_output(&dir, format);
            // Each has an error or a warning to show (not an empty report).
            assert!(
                actual.contains("E0") || actual.contains("W0"),
                "{name} reports nothing:\n{actual}"
            );
            problems.extend(check_snapshot(
                &format!("diagnostics/{name}.{format}.txt"),
                &actual,
            ));
        }
    }
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n\n"));
}

#[test]
fn a_changed_byte_is_reported_with_its_line() {
    // The comparison itself: a golden file that differs in one byte is caught.
    let name = "diagnostics/duplicate-id.human.txt";
    let golden = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/snapshots")
            .join(name),
    );
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        return;
    }
    let golden = golden.expect("the golden file exists");
    let mut changed = golden.clone().into_bytes();
    let at = changed.iter().position(|b| b.is_ascii_lowercase()).unwrap();
    changed[at] = changed[at].to_ascii_uppercase();
    let report = check_snapshot(name, &String::from_utf8(changed).unwrap()).expect("a difference");
    assert!(report.contains("differs from line"), "{report}");
}
