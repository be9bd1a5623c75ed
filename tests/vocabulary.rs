//! A framework published in its publisher's own words (issue 15): builds
//! `tests/fixtures/vocabulary/`, laid out as an imported NIST catalog, and reads its pages
//! as the publisher would: level names, labels, withdrawn items, order, parameters, parts.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::*;

/// The fixture built once for every test of this file.
fn site() -> &'static Path {
    static SITE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, out) = SITE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let output = build_into(&fixture("vocabulary"), &out, &[]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("warning["), "{stderr}");
        (dir, out)
    });
    out
}

fn page(path: &str) -> String {
    fs::read_to_string(site().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The HTML from the first `start` to the next `end` after it.
fn between<'h>(html: &'h str, start: &str, end: &str) -> &'h str {
    let from = html.find(start).unwrap_or_else(|| panic!("no {start}"));
    let to = html[from..].find(end).map_or(html.len(), |e| from + e);
    &html[from..to]
}

#[test]
fn headings_captions_and_breadcrumbs_use_the_level_names() {
    let control = page("ac/ac-2/index.html");
    assert!(
        control.contains(r#"<span class="kind">Control</span>"#),
        "{control}"
    );
    assert!(control.contains("<caption>Control enhancements of Account Handling</caption>"));
    assert!(
        control.contains(">AC Access Management</a>"),
        "breadcrumb with label"
    );
    let family = page("ac/index.html");
    assert!(family.contains(r#"<span class="kind">Family</span>"#));
    assert!(family.contains("<caption>Controls of Access Management</caption>"));
    let enhancement = page("ac/ac-2/ac-2.9/index.html");
    assert!(enhancement.contains(r#"<span class="kind">Control enhancement</span>"#));
    assert!(!enhancement.contains(">Subcategory<") && !control.contains(">Category<"));
    assert!(page("index.html").contains(r#"<h2 id="concepts-heading">Families</h2>"#));
    let print = page("print/index.html");
    assert!(print.contains(r#"<span class="kind">Control enhancement</span>"#));
    let search = page("search-index.js");
    assert!(search.contains(r#""levels":["Framework","Family","Control","Control enhancement","Control enhancement","Cited document"]"#), "{search}");
}

#[test]
fn part_sections_take_the_publishers_titles_and_examples_are_one_list() {
    let rules = page("ac/ac-1/index.html");
    assert!(
        rules.contains(r#"<h2 id="guidance">Discussion</h2>"#),
        "{rules}"
    );
    assert!(!rules.contains(">Guidance<"));
    // A part with a title of its own keeps it, with every labelled entry filled.
    let extra = between(
        &rules,
        "AC-1 Additional Harbour Authority Requirements</h2>",
        "</ul>",
    );
    assert!(extra.contains(r#"<ul class="part-items">"#), "{extra}");
    assert!(extra.contains("<li><strong>(a)</strong> The harbour authority keeps a copy"));
    assert!(extra.contains("<li><strong>(b)</strong> Changes are announced"));
    let account = page("ac/ac-2/index.html");
    assert_eq!(
        account.matches("Implementation examples</h2>").count(),
        1,
        "{account}"
    );
    let examples = between(&account, "Implementation examples</h2>", "</ul>");
    assert!(
        examples.contains("<li><p>Ex1: A monthly report"),
        "{examples}"
    );
    assert!(examples.contains(r#"<li id="example-2"><p>Ex2: Account requests"#));
    // The statement's items keep their source labels, in a lead that may hold a list.
    let lead = between(&account, r#"<div class="lead">"#, "</div>");
    assert!(lead.contains(r#"<ul class="part-items">"#), "{lead}");
    assert!(lead.contains("<li><strong>a.</strong> Name who approves"));
}

#[test]
fn labels_are_shown_where_ids_were() {
    let account = page("ac/ac-2/index.html");
    assert!(account.contains(r#"<span class="item-id">AC-2</span>"#));
    assert!(account.contains(r#"<a class="item-id" href="../../ac/ac-2/ac-2.9/">AC-2(9)</a>"#));
    let home = page("index.html");
    assert!(
        home.contains(r#"<span class="nav-id">AC-1</span>"#),
        "sidebar"
    );
    let search = page("search-index.js");
    assert!(
        search.contains(r#"["AC-2(9)","Shared Accounts""#),
        "{search}"
    );
    assert!(search.contains("ac-2.9 "), "the id stays searchable");
}

#[test]
fn a_title_that_repeats_the_label_is_no_column() {
    let risk = page("ra/index.html");
    let table = between(&risk, "<table", "</table>");
    assert!(!table.contains("col-title"), "{table}");
    assert!(table.contains(">RA-1</a>") && table.contains("col-description"));
    let access = page("ac/index.html");
    assert!(between(&access, "<table", "</table>").contains("col-title"));
}

#[test]
fn permalinks_answer_id_and_label_and_leave_id_to_the_framework() {
    let files = files(site());
    for path in [
        "_id/ac-2.9/index.html",
        "_id/AC-2(9)/index.html",
        "_id/ac-2.10/index.html",
        "_id/AC-2(10)/index.html",
    ] {
        assert!(files.contains(path), "{path} missing");
    }
    let by_label = page("_id/AC-2(9)/index.html");
    assert!(by_label.contains("../../ac/ac-2/ac-2.9/"), "{by_label}");
    // The family `ID` has `/id/`; no old-style permalinks are written into its folder.
    assert!(page("id/index.html").contains("<h1>IDENTIFY (ID)</h1>"));
    assert!(
        !files
            .iter()
            .any(|f| f.starts_with("id/") && f != "id/index.html" && !f.starts_with("id/id-1/")),
        "{files:?}"
    );
    assert!(page("ac/ac-1/index.html").contains(r#"href="../../_id/ac-1/""#));
}

#[test]
fn withdrawn_items_are_marked_linked_and_set_aside() {
    let withdrawn = page("ac/ac-2/ac-2.10/index.html");
    assert!(withdrawn.contains(r#"<span class="status status-withdrawn">"#));
    assert!(
        withdrawn.contains(r#"[Withdrawn: Incorporated into <a class="status-target" href="../../../ac/ac-2/">AC-2b</a>.]"#),
        "{withdrawn}"
    );
    let moved = page("ac/ac-2/ac-2.11/index.html");
    assert!(moved.contains(
        r#"Moved to <a class="status-target" href="../../../ac/ac-2/ac-2.9/">AC-2(9)</a>"#
    ));
    // The row stays, marked for the table's filter, and says where the item went.
    let account = page("ac/ac-2/index.html");
    assert!(account.contains(r#"data-withdrawn="2""#));
    let row = between(&account, r#"<tr id="ac-2.10""#, "</tr>");
    assert!(
        row.contains(r#"data-status="withdrawn""#) && row.contains("Incorporated into"),
        "{row}"
    );
    let tables_js = fs::read_to_string(site().join("static/tables.js")).unwrap();
    assert!(tables_js.contains("Show withdrawn"));
    // Search lists them apart, and the search page offers the switch.
    let search = page("search-index.js");
    let docs_before = |id: &str| search[..search.find(id).unwrap()].matches("\n[").count();
    let listed = between(&search, "\"withdrawn\":[", "]");
    let expected = format!(
        "\"withdrawn\":[{},{}",
        docs_before("[\"AC-2(10)\""),
        docs_before("[\"AC-2(11)\"")
    );
    assert_eq!(listed, expected);
    assert!(page("search/index.html").contains("data-search-withdrawn"));
    // Not counted: AC holds one current control enhancement.
    let conformance = page("conformance/index.html");
    let row = between(&conformance, r#"<tr id="concept-AC""#, "</tr>");
    assert_eq!(row.matches("<td>").map(|_| ()).count(), 5, "{row}");
    assert!(row.contains("<td>2</td>\n      <td>1</td>"), "{row}");
}

#[test]
fn order_decides_sibling_order() {
    let account = page("ac/ac-2/index.html");
    let at = |id: &str| account.find(&format!(r#"<tr id="{id}""#)).unwrap();
    assert!(at("ac-2.9") < at("ac-2.10") && at("ac-2.10") < at("ac-2.11"));
}

#[test]
fn parameters_read_as_nist_prints_them_and_set_values_are_marked() {
    let rules = page("ac/ac-1/index.html");
    let lead = between(&rules, r#"<p class="lead">"#, "</header>");
    assert!(lead.contains(r#"<span class="param" data-param="ac-1_prm_1">[Assignment: organization-defined frequency]</span>"#), "{lead}");
    assert!(lead.contains("[Selection (one or more): berth operators; port security officers]"));
    assert!(!lead.contains("{{"), "{lead}");
    assert!(rules.contains(r#"<ins class="param param-set" data-param="ac-1_prm_3" title="Value set for this framework">at least every two years</ins>."#));
    let table = between(&rules, r#"<table class="params-table">"#, "</table>");
    assert!(
        table.contains("organization-defined frequency<p class=\"param-guideline\">Pick a period")
    );
    assert!(table.contains("One or more of:<ul class=\"param-choices\"><li>berth operators</li>"));
    assert!(table.contains("Not set"));
}

#[test]
fn conformance_maps_concepts_and_reports_additions() {
    let conformance = page("conformance/index.html");
    assert!(conformance.contains(r#"<th scope="col">Family</th>"#));
    assert!(conformance.contains(r#"<th scope="col">Controls</th>"#));
    assert!(
        !conformance.contains(">Statements<"),
        "no level is named twice"
    );
    // Identify is met by the title "IDENTIFY (ID)", Protect through
    // [framework.concept-map]; Planning is an addition.
    let identify = between(&conformance, r#"<tr id="concept-ID""#, "</tr>");
    assert!(identify.contains("Yes, present"), "{identify}");
    let access = between(&conformance, r#"<tr id="concept-AC""#, "</tr>");
    assert!(access.contains("Yes, present"));
    let planning = between(&conformance, r#"<tr id="concept-PL""#, "</tr>");
    assert!(
        planning.contains("No: an addition of this framework"),
        "{planning}"
    );
    assert!(conformance.contains("conformance-meets"));
}
