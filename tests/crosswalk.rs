//! Crosswalks (issue 6, part 4): mapping files render both directions with the inverse
//! relationships, item rows show what they map to, exports are CSV and a valid OSCAL 1.2
//! mapping collection, and unknown ids on either side are `check` errors.

mod common;
mod trestle;

use std::fs;
use std::path::Path;

use common::*;

fn built() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    build_into(&fixture("crosswalk"), &site, &[]);
    (dir, site)
}

fn read(site: &Path, page: &str) -> String {
    fs::read_to_string(site.join(page)).unwrap_or_else(|e| panic!("{page}: {e}"))
}

/// The HTML of the table row with this element id.
fn row<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("<tr id=\"{id}\""))
        .unwrap_or_else(|| panic!("no row {id}"));
    let end = html[start..].find("</tr>").unwrap() + start;
    &html[start..end]
}

/// The text of a section of the page, from its heading id to the end of the section.
fn section<'a>(html: &'a str, heading: &str) -> &'a str {
    let start = html.find(&format!("id=\"{heading}\"")).unwrap();
    let end = html[start..].find("</section>").unwrap() + start;
    &html[start..end]
}

#[test]
fn crosswalk_pages_render_both_directions_with_inverse_relationships() {
    let (_dir, site) = built();
    let index = read(&site, "crosswalk/index.html");
    assert!(index.contains("crosswalk/lighthouse/\"") && index.contains("crosswalk/catalog/\""));
    let page = read(&site, "crosswalk/lighthouse/index.html");
    let forward = section(&page, "forward-heading");
    let inverse = section(&page, "inverse-heading");
    // Forward: our item, relationship, their item, rationale, strength.
    let am01 = row(forward, "from-ID.AM-01");
    for expected in [
        "ID.AM-01",
        "subset of",
        "KP.LA-1",
        "semantic",
        ">7<",
        "Listing lamps",
    ] {
        assert!(am01.contains(expected), "{expected} missing in {am01}");
    }
    let ac01 = row(forward, "from-PR.AC-01");
    assert!(
        ac01.contains("superset of") && ac01.contains("KP.LA-2"),
        "{ac01}"
    );
    // Concepts are the tables' captions.
    assert!(forward.contains("<caption>Identify</caption>"));
    assert!(forward.contains("<caption>Protect</caption>"));
    // Inverse: their items first, relationships inverted.
    let la1 = row(inverse, "to-KP.LA-1");
    assert!(
        la1.contains("superset of") && la1.contains("ID.AM-01"),
        "{la1}"
    );
    let la2 = row(inverse, "to-KP.LA-2");
    assert!(
        la2.contains("intersects with") && la2.contains("ID.AM-02"),
        "{la2}"
    );
    assert!(inverse.contains("subset of</span></td>\n        <td data-label=\"Our item\"><a class=\"item-id\" href=\"../../protect/access-control/#PR.AC-01\""));
    let la = row(inverse, "to-KP.LA");
    assert!(la.contains("equal to") && la.contains("PR.AC-02"), "{la}");
    // Their items are listed in their framework's order.
    let positions: Vec<usize> = ["to-KP.LA\"", "to-KP.LA-1\"", "to-KP.LA-2\""]
        .iter()
        .map(|anchor| inverse.find(anchor).unwrap())
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
    // An OSCAL target with a link template links their items.
    let catalog = read(&site, "crosswalk/catalog/index.html");
    assert!(catalog.contains("href=\"https://example.org/catalog/ac-2/\""));
    let ac1 = row(section(&catalog, "inverse-heading"), "to-ac-1");
    assert!(
        ac1.contains("not related to") && ac1.contains(">0<"),
        "{ac1}"
    );
    assert_links_resolve(&site);
}

#[test]
fn item_rows_and_pages_show_what_they_map_to() {
    let (_dir, site) = built();
    // Default columns gain "Maps to" when a child is mapped.
    let assets = read(&site, "identify/asset-management/index.html");
    assert!(assets.contains(">Maps to</th>"));
    let am01 = row(&assets, "ID.AM-01");
    assert!(am01.contains("subset of"), "{am01}");
    assert!(
        am01.contains("href=\"../../crosswalk/lighthouse/#from-ID.AM-01\""),
        "{am01}"
    );
    // Chosen columns may include `mappings`.
    let access = read(&site, "protect/access-control/index.html");
    let ac01 = row(&access, "PR.AC-01");
    for expected in ["subset of", "ac-2<", "superset of", "ac-2.1<", "KP.LA-2<"] {
        assert!(ac01.contains(expected), "{expected} missing in {ac01}");
    }
    // A mapped item with a page of its own lists its mappings there.
    assert!(assets.contains("id=\"mappings-heading\""));
    assert!(assets.contains("not related to"));
}

#[test]
fn crosswalks_are_exported_as_csv_and_as_a_valid_oscal_mapping_collection() {
    let (_dir, site) = built();
    let csv = read(&site, "crosswalk/mappings.csv");
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "crosswalk,source,source_title,relationship,target,target_title,inverse,rationale,strength,comment"
    );
    assert!(csv.contains("lighthouse,ID.AM-01,Devices are listed with an owner.,subset-of,KP.LA-1,Every lamp and lens is on the station list.,superset-of,semantic,7,"));
    assert_eq!(csv.lines().count(), 1 + 5 + 3);
    let collection: serde_json::Value =
        serde_json::from_str(&read(&site, "oscal/mapping-collection.json")).unwrap();
    let mappings = collection["mapping-collection"]["mappings"]
        .as_array()
        .unwrap();
    assert_eq!(mappings.len(), 2);
    let maps = mappings.iter().flat_map(|m| m["maps"].as_array().unwrap());
    let relationships: Vec<&str> = maps.map(|m| m["relationship"].as_str().unwrap()).collect();
    assert!(
        relationships.contains(&"intersects-with") && relationships.contains(&"not-related-to")
    );
    trestle::validate(&[
        ("mapping", &site.join("oscal/mapping-collection.json")),
        ("catalog", &site.join("oscal/catalog.json")),
    ]);
    // The same bytes from `framewright export`.
    let out = site.parent().unwrap().join("collection.json");
    let project = fixture("crosswalk");
    let status = framewright(&[
        "export",
        project.to_str().unwrap(),
        "--format",
        "mapping",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    assert_eq!(
        fs::read(&out).unwrap(),
        fs::read(site.join("oscal/mapping-collection.json")).unwrap()
    );
}

#[test]
fn a_framework_json_can_be_the_target() {
    let project = project_copy("crosswalk");
    let root = project.path();
    let json = root.join("data/other.json");
    let export = framewright(&[
        "export",
        root.join("other").to_str().unwrap(),
        "--format",
        "json",
        "-o",
        json.to_str().unwrap(),
    ]);
    assert!(export.status.success());
    let file = root.join("content/mappings/lighthouse.yaml");
    let text = fs::read_to_string(&file).unwrap();
    fs::write(&file, text.replace("path: other", "path: data/other.json")).unwrap();
    let site = root.join("site");
    build_into(root, &site, &[]);
    let page = read(&site, "crosswalk/lighthouse/index.html");
    assert!(page.contains("(framework.json)"));
    assert!(row(&page, "to-KP.LA-1").contains("superset of"));
}

#[test]
fn unknown_ids_and_bad_values_are_check_errors() {
    let project = project_copy("crosswalk");
    let root = project.path();
    let file = root.join("content/mappings/lighthouse.yaml");
    let mut text = fs::read_to_string(&file).unwrap();
    text.push_str(
        "  - source: ID.AM-99\n    target: KP.LA-1\n    relationship: equal\n\
         \x20 - source: PR.AC-01\n    target: KP.XX-1\n    relationship: equal\n\
         \x20 - source: PR.AC-02\n    target: KP.LA-1\n    relationship: overlaps\n    strength: 11\n    rationale: gut\n",
    );
    fs::write(&file, text).unwrap();
    let output = framewright(&["check", root.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    for expected in [
        "E0082",
        "`ID.AM-99` is not an id of this framework",
        "did you mean `ID.AM-01`?",
        "E0083",
        "`KP.XX-1` is not an id of Lighthouse Keeping Framework",
        "E0084",
        "unknown relationship `overlaps`",
        "E0085",
        "E0086",
        "content/mappings/lighthouse.yaml:25:13",
        "content/mappings/lighthouse.yaml:33:19",
    ] {
        assert!(stderr.contains(expected), "{expected} missing in\n{stderr}");
    }
    // A missing target is an error too, and so is a build.
    fs::write(&file, "target:\n  path: nowhere\nmappings: []\n").unwrap();
    let output = framewright(&["build", root.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("cannot read crosswalk target `nowhere`")
    );
}

#[test]
fn projects_without_mappings_write_no_crosswalk_files() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    build_into(&fixture("basic"), &site, &[]);
    assert!(!site.join("crosswalk").exists());
    assert!(!site.join("oscal/mapping-collection.json").exists());
}
