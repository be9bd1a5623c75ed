//! Builds fixture projects with the binary and asserts on the site written (SPEC §5, §6).

mod common;

use std::fs;

use common::*;
use serde_json::Value;

fn built_basic() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    build_into(&fixture("basic"), &out, &[]);
    (dir, out)
}

fn framework_json(site: &std::path::Path) -> Value {
    serde_json::from_slice(&fs::read(site.join("framework.json")).unwrap()).unwrap()
}

#[test]
fn writes_every_page_of_the_spec() {
    let (_dir, site) = built_basic();
    let files = files(&site);
    for expected in [
        "index.html",
        "identify/index.html",
        "identify/asset-management/index.html",
        "identify/risk-assessment/index.html",
        "identify/risk-assessment/id.ra-01/index.html",
        "protect/access-control/index.html",
        "id/ID.AM-01/index.html",
        "id/ID.RA-01.a/index.html",
        "references/index.html",
        "references/iso-iec-27002/index.html",
        "references/iso-iec-27033-2/index.html",
        "references/iso-iec-27033/index.html",
        "404.html",
        ".nojekyll",
        "framework.json",
        "framework.csv",
        "static/framewright.css",
    ] {
        assert!(
            files.contains(expected),
            "missing {expected}; have {files:#?}"
        );
    }
    // One permanent link per id.
    let json = framework_json(&site);
    for item in json["items"].as_array().unwrap() {
        let id = item["id"].as_str().unwrap();
        assert!(
            files.contains(&format!("id/{id}/index.html")),
            "no permalink for {id}"
        );
    }
}

#[test]
fn every_internal_link_and_anchor_resolves() {
    let (_dir, site) = built_basic();
    assert_links_resolve(&site);
}

#[test]
fn every_item_is_an_element_id_at_its_url() {
    let (_dir, site) = built_basic();
    let json = framework_json(&site);
    for item in json["items"].as_array().unwrap() {
        let id = item["id"].as_str().unwrap();
        let url = item["url"].as_str().unwrap();
        let (path, fragment) = url.split_once('#').unwrap_or((url, ""));
        let html = fs::read_to_string(site.join(path).join("index.html")).unwrap();
        if !fragment.is_empty() {
            assert_eq!(fragment, id);
            assert!(
                html.contains(&format!("id=\"{id}\"")),
                "{url} has no id {id}"
            );
        }
        // Rows in the parent's table carry the id too.
        if let Some(parent) = item["parent"].as_str() {
            let parent_url = json["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|i| i["id"] == parent)
                .unwrap()["url"]
                .as_str()
                .unwrap();
            let parent_page = parent_url.split('#').next().unwrap();
            let html = fs::read_to_string(site.join(parent_page).join("index.html")).unwrap();
            assert!(
                html.contains(&format!("id=\"{id}\"")),
                "{parent_page} has no row {id}"
            );
        }
    }
}

#[test]
fn custom_columns_render_in_the_concept_table() {
    let (_dir, site) = built_basic();
    let html = fs::read_to_string(site.join("identify/index.html")).unwrap();
    assert!(
        html.contains("Example of activities"),
        "custom column header"
    );
    assert!(
        html.contains("<strong>inventory</strong>"),
        "custom cells are Markdown"
    );
    assert!(html.contains("<th scope=\"col\""));
    assert!(html.contains("<caption>"));
}

#[test]
fn framework_json_follows_the_spec() {
    let (_dir, site) = built_basic();
    let json = framework_json(&site);
    assert!(json["title"].is_string());
    let items = json["items"].as_array().unwrap();
    let mut seen = std::collections::HashSet::new();
    for item in items {
        for key in [
            "id",
            "kind",
            "parent",
            "title",
            "description",
            "url",
            "source",
            "related",
            "references",
        ] {
            assert!(item.get(key).is_some(), "item lacks {key}: {item}");
        }
        if let Some(parent) = item["parent"].as_str() {
            assert!(
                seen.contains(parent),
                "parent {parent} must come before {}",
                item["id"]
            );
        }
        seen.insert(item["id"].as_str().unwrap().to_string());
        for citation in item["references"].as_array().unwrap() {
            for key in [
                "cite",
                "scheme",
                "document",
                "series",
                "part",
                "edition",
                "all_parts",
                "clauses",
            ] {
                assert!(
                    citation.get(key).is_some(),
                    "citation lacks {key}: {citation}"
                );
            }
        }
    }
    let find = |id: &str| items.iter().find(|i| i["id"] == id).unwrap();
    assert_eq!(find("ID.AM-01")["kind"], "subcategory");
    assert_eq!(
        find("ID.AM-01")["url"],
        "identify/asset-management/#ID.AM-01"
    );
    assert_eq!(find("ID.RA-01.a")["kind"], "statement");
    let pr_ac_02 = &find("PR.AC-02")["references"][0];
    assert_eq!(pr_ac_02["document"], "ISO/IEC 27033-2");
    assert_eq!(pr_ac_02["series"], "ISO/IEC 27033");
    assert_eq!(pr_ac_02["part"], "2");
    let id_am = &find("ID.AM")["references"][0];
    assert_eq!(id_am["clauses"], serde_json::json!(["6", "7"]));

    // The reference index: clauses in numeric order, each with its citing ids.
    let references = json["references"].as_array().unwrap();
    let series_27002 = references
        .iter()
        .find(|s| s["series"] == "ISO/IEC 27002")
        .unwrap();
    let clauses: Vec<&str> = series_27002["documents"][0]["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["clause"].as_str().unwrap())
        .collect();
    let mut sorted = clauses.clone();
    sorted.sort_by(|a, b| framewright::citation::compare_clauses(a, b));
    assert_eq!(clauses, sorted);
    let all_parts = references
        .iter()
        .find(|s| s["series"] == "ISO/IEC 27035")
        .unwrap();
    assert_eq!(all_parts["cited_by"], serde_json::json!(["RS.MI-01"]));
}

#[test]
fn citations_link_to_the_reference_index_and_back() {
    let (_dir, site) = built_basic();
    let category = fs::read_to_string(site.join("identify/asset-management/index.html")).unwrap();
    assert!(
        category.contains("href=\"../../references/iso-iec-27002/#clause-8.1.1-2013\""),
        "citation links to its clause entry"
    );
    let reference = fs::read_to_string(site.join("references/iso-iec-27002/index.html")).unwrap();
    assert!(reference.contains("id=\"clause-8.1.1-2013\""));
    assert!(
        reference.contains("href=\"../../identify/asset-management/#ID.AM-01\""),
        "clause entry links back to the citing row"
    );
}

#[test]
fn id_links_in_markdown_become_relative_links() {
    let (_dir, site) = built_basic();
    let home = fs::read_to_string(site.join("index.html")).unwrap();
    assert!(
        home.contains("href=\"identify/asset-management/#ID.AM-01\""),
        "[text](@ID)"
    );
    assert!(
        home.contains("href=\"protect/access-control/#PR.AC-02\">PR.AC-02</a>"),
        "[[ID]]"
    );
}

#[test]
fn permalinks_redirect_to_the_item() {
    let (_dir, site) = built_basic();
    let html = fs::read_to_string(site.join("id/ID.AM-01/index.html")).unwrap();
    assert!(
        html.contains("url=../../identify/asset-management/#ID.AM-01"),
        "{html}"
    );
}

#[test]
fn sub_path_base_url_keeps_links_relative_and_sitemap_absolute() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    build_into(
        &fixture("basic"),
        &out,
        &["--base-url", "https://org.github.io/repo/"],
    );
    assert_links_resolve(&out);
    let sitemap = fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("<loc>https://org.github.io/repo/identify/asset-management/</loc>"));
    let page = fs::read_to_string(out.join("identify/index.html")).unwrap();
    assert!(page.contains("<link rel=\"canonical\" href=\"https://org.github.io/repo/identify/\">"));
    for href in attribute_values(&page, "href") {
        assert!(
            !href.starts_with('/') || href.starts_with("//"),
            "root-relative link {href} breaks under a sub-path"
        );
    }
    let not_found = fs::read_to_string(out.join("404.html")).unwrap();
    assert!(
        not_found.contains("href=\"/repo/static/framewright.css\""),
        "404 uses the base path"
    );
}

/// With a base URL that is only a path, nothing absolute can be written: no sitemap (one
/// warning says what to set) and no canonical links, on pages or on redirects; a custom
/// domain is enough to make them.
#[test]
fn a_site_without_a_public_address_has_no_sitemap_and_no_empty_canonical() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let output = build_into(&fixture("basic"), &out, &["--base-url", "/repo/"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.matches("W0063").count(), 1, "{stderr}");
    assert!(stderr.contains("base-url"), "{stderr}");
    assert!(!out.join("sitemap.xml").exists());
    let redirect = fs::read_to_string(out.join("id/ID.AM-01/index.html")).unwrap();
    let page = fs::read_to_string(out.join("identify/index.html")).unwrap();
    for html in [&redirect, &page] {
        assert!(!html.contains("rel=\"canonical\""), "{html}");
        assert!(!html.contains("href=\"\""), "{html}");
    }

    let project = project_copy("basic");
    let book = project.path().join("book.toml");
    let config = fs::read_to_string(&book).unwrap();
    let config = config.replace("[site]\n", "[site]\ncname = \"fw.example.org\"\n");
    fs::write(&book, config).unwrap();
    let out = dir.path().join("domain");
    let output = build_into(project.path(), &out, &[]);
    assert!(!String::from_utf8_lossy(&output.stderr).contains("W0063"));
    let sitemap = fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("<loc>https://fw.example.org/identify/</loc>"),
        "{sitemap}"
    );
    let redirect = fs::read_to_string(out.join("id/ID.AM-01/index.html")).unwrap();
    assert!(
        redirect.contains(
            "<link rel=\"canonical\" href=\"https://fw.example.org/identify/asset-management/#ID.AM-01\">"
        ),
        "{redirect}"
    );
}

#[test]
fn failed_build_leaves_previous_output_untouched() {
    let project = project_copy("basic");
    let out = project.path().join("book");
    build_into(project.path(), &out, &[]);
    let before = snapshot(&out);
    let page = project.path().join("content/identify/asset-management.md");
    let text = fs::read_to_string(&page).unwrap();
    fs::write(
        &page,
        text.replace("related: [PR.DS-01]", "related: [PR.DS-99]"),
    )
    .unwrap();
    let output = framewright(&["build", project.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("unknown id `PR.DS-99`"), "{stderr}");
    assert!(
        stderr.contains("content/identify/asset-management.md:20:15"),
        "{stderr}"
    );
    assert_eq!(
        snapshot(&out),
        before,
        "the previous site must be byte-for-byte unchanged"
    );
    let leftovers: Vec<_> = fs::read_dir(project.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("building"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "staging folders left behind: {leftovers:?}"
    );
}

#[test]
fn all_errors_are_reported_at_once() {
    let project = project_copy("basic");
    let am = project.path().join("content/identify/asset-management.md");
    let text = fs::read_to_string(&am).unwrap();
    fs::write(
        &am,
        text.replace("related: [PR.DS-01]", "related: [NOPE-1]"),
    )
    .unwrap();
    let ds = project.path().join("content/protect/data-security.md");
    let text = fs::read_to_string(&ds).unwrap();
    fs::write(&ds, text.replacen("id: PR.DS-01", "id: ID.AM-01", 1)).unwrap();
    let output = framewright(&["build", project.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("error[E0044]"), "{stderr}");
    assert!(
        stderr.contains("error[E0041]: duplicate id `ID.AM-01`"),
        "{stderr}"
    );
    assert!(stderr.contains("first defined here"), "{stderr}");
}

#[test]
fn the_repository_example_builds_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let output = build_into(std::path::Path::new(env!("CARGO_MANIFEST_DIR")), &out, &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !stderr.contains("warning"),
        "the example should have no warnings:\n{stderr}"
    );
    assert_links_resolve(&out);
}

#[test]
fn the_link_check_knows_every_export_file() {
    use std::sync::Mutex;
    /// Records the names of the files written.
    struct Names(Mutex<Vec<String>>);
    impl framewright::SiteSink for Names {
        fn put(&self, rel: &str, _: Vec<u8>) -> anyhow::Result<()> {
            self.0.lock().unwrap().push(rel.to_string());
            Ok(())
        }
    }
    // The crosswalk fixture writes the optional exports too; a cname adds CNAME.
    let project = project_copy("crosswalk");
    let toml = project.path().join("book.toml");
    let text = fs::read_to_string(&toml).unwrap();
    let text = if text.contains("[site]") {
        text.replace("[site]", "[site]\ncname = \"framework.example.org\"")
    } else {
        format!("{text}\n[site]\ncname = \"framework.example.org\"\n")
    };
    fs::write(&toml, text).unwrap();
    let opened = framewright::Project::open(project.path(), None).unwrap();
    assert!(!opened.has_errors(), "{:?}", opened.diagnostics);
    let names = Names(Mutex::new(Vec::new()));
    framewright::write_exports(&opened, &names).unwrap();
    let theme = framewright::render::Theme::load(project.path(), &Default::default()).unwrap();
    let known = framewright::other_files(&opened, &theme);
    let written = names.0.into_inner().unwrap();
    assert!(written.contains(&"CNAME".to_string()));
    assert!(written.contains(&"oscal/mapping-collection.json".to_string()));
    for name in written {
        assert!(
            known.contains(&name),
            "{name} is written but unknown to the link check"
        );
    }
}

#[test]
fn no_page_keeps_a_placeholder_of_the_renderer() {
    let (_dir, site) = built_basic();
    let print = fs::read_to_string(site.join("print/index.html")).unwrap();
    assert!(
        print.contains("class=\"nav-tree\""),
        "the print edition has its sidebar"
    );
    for file in files(&site).iter().filter(|f| f.ends_with(".html")) {
        let html = fs::read_to_string(site.join(file)).unwrap();
        for slot in ["<!--fw:sidebar-->", "<!--fw:print-"] {
            assert!(!html.contains(slot), "{file} still holds {slot}");
        }
    }
}

#[test]
fn a_rebuild_over_a_site_equals_a_fresh_build_and_rewrites_only_changes() {
    let project = project_copy("basic");
    let out = project.path().join("book");
    build_into(project.path(), &out, &[]);
    let untouched = out.join("protect/access-control/index.html");
    let time = |p: &std::path::Path| fs::metadata(p).unwrap().modified().unwrap();
    let before = time(&untouched);
    std::thread::sleep(std::time::Duration::from_millis(20));

    // Change one description and remove one item with its own page.
    let page = project.path().join("content/identify/asset-management.md");
    let text = fs::read_to_string(&page).unwrap();
    let changed = text.replacen("description:", "description: Changed.", 1);
    assert_ne!(changed, text);
    fs::write(&page, changed).unwrap();
    fs::remove_file(
        project
            .path()
            .join("content/identify/risk-assessment/ID.RA-01.md"),
    )
    .unwrap();
    let output = build_into(project.path(), &out, &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("changed") && stderr.contains("removed"),
        "{stderr}"
    );

    let fresh = project.path().join("fresh");
    build_into(project.path(), &fresh, &[]);
    assert_eq!(
        snapshot(&out),
        snapshot(&fresh),
        "rebuilt site differs from a fresh one"
    );
    assert!(!out.join("identify/risk-assessment/id.ra-01").exists());
    assert_eq!(
        time(&untouched),
        before,
        "an unchanged page is not rewritten"
    );
}

#[test]
fn a_large_sidebar_lists_only_the_current_concept() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("book.toml"), "[book]\ntitle = \"Wide\"\n").unwrap();
    let content = root.join("content");
    fs::create_dir_all(&content).unwrap();
    fs::write(
        content.join("_index.md"),
        "---\ntitle: Wide\n---\nA wide framework.\n",
    )
    .unwrap();
    // 5 concepts of 20 categories: more than the sidebar lists for all concepts at once.
    for (concept, prefix) in ["Identify", "Protect", "Detect", "Respond", "Recover"]
        .iter()
        .zip(["ID", "PR", "DE", "RS", "RC"])
    {
        let folder = content.join(concept.to_lowercase());
        fs::create_dir_all(&folder).unwrap();
        fs::write(
            folder.join("_index.md"),
            format!("---\nid: {prefix}\ntitle: {concept}\n---\nThe {concept} concept.\n"),
        )
        .unwrap();
        for n in 1..=20 {
            fs::write(
                folder.join(format!("c{n:02}.md")),
                format!("---\nid: {prefix}.C{n:02}\ntitle: Category {n}\n---\nCategory {n} of {concept}.\n"),
            )
            .unwrap();
        }
    }
    let out = root.join("book");
    let output = build_into(root, &out, &[]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let page = fs::read_to_string(out.join("protect/c07/index.html")).unwrap();
    assert!(
        page.contains("href=\"../../protect/c01/\""),
        "own concept listed"
    );
    assert!(page.contains("aria-current=\"page\" href=\"../../protect/c07/\""));
    assert!(
        !page.contains("href=\"../../identify/c01/\""),
        "other concepts collapsed"
    );
    assert!(page.contains("class=\"nav-concept-link\"><a href=\"../../identify/\""));
    let home = fs::read_to_string(out.join("index.html")).unwrap();
    let start = home.find("class=\"nav-tree\"").unwrap();
    let sidebar = &home[start..start + home[start..].find("</ul>\n").unwrap()];
    assert!(
        !sidebar.contains("/c01/"),
        "no concept open on the home page"
    );
    assert_links_resolve(&out);
}
