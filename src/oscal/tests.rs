//! Unit tests of the OSCAL vocabulary and of reading back imported Markdown.

use super::markdown::*;
use super::*;

#[test]
fn tokens() {
    for ok in ["ac-2", "ID.AM-01", "_x", "s1.1.1"] {
        assert!(is_token(ok), "{ok}");
    }
    assert!(is_token("ké-1"));
    for bad in ["", "1.2", "-a", "a b", "AC-2(1)", "²"] {
        assert!(!is_token(bad), "{bad}");
    }
    assert_eq!(to_token("AC-2(1)"), "AC-2-1-");
    assert_eq!(to_token("1.2"), "fw-1.2");
}

#[test]
fn statement_items_nest_and_keep_lead() {
    let md = "Do this:\n\n- **a.** First;\n- **b.** Second:\n  - **1.** Deep;\n    more\n  - **2.** Deeper.\n";
    let (lead, items) = statement_items(md);
    assert_eq!(lead.trim(), "Do this:");
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].label, "a.");
    assert_eq!(items[1].items[0].text, "Deep;\nmore");
    assert_eq!(items[1].items[1].label, "2.");
}

#[test]
fn ordinary_lists_stay_prose() {
    let md = "Lead.\n\n- plain item\n- **bold** but then\nnot indented\n";
    let (lead, items) = statement_items(md);
    assert_eq!(lead, md);
    assert!(items.is_empty());
}

#[test]
fn sections_split_on_level_two_headings_outside_fences() {
    let body = "Intro.\n\n## Guidance\n\nText.\n\n```\n## not a heading\n```\n\n## Assessment objective\n\nMore.\n";
    let found = sections(body);
    let names: Vec<String> = found.iter().map(Section::name).collect();
    assert_eq!(names, ["guidance", "guidance", "assessment-objective"]);
    assert!(found[1].text.contains("## not a heading"));
    assert_eq!(found[2].title(), None);
}

#[test]
fn timestamps() {
    assert_eq!(timestamp("2024-02-01").unwrap(), "2024-02-01T00:00:00Z");
    assert!(timestamp("2024-02-01T13:57:28.355446-04:00").is_some());
    assert!(timestamp("2024-02-01T13:57:28").is_none());
    assert!(timestamp("yesterday").is_none());
}

/// NIST's basic catalog in XML and YAML reads as the same JSON as its JSON edition.
#[test]
fn basic_catalog_is_the_same_in_three_formats() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/oscal/nist");
    let read = |name: &str| read::Source::read(&dir.join(name)).unwrap();
    let json = read("basic-catalog.json");
    assert_eq!(json.format, read::Format::Json);
    for other in ["basic-catalog.xml", "basic-catalog.yaml"] {
        let other = read(other);
        let (a, b) = (&json.value["catalog"], &other.value["catalog"]);
        for key in ["metadata", "groups", "back-matter"] {
            assert_eq!(
                a[key],
                b[key],
                "{key} differs ({:?}):\n{}\n{}",
                other.format,
                serde_json::to_string_pretty(&a[key]).unwrap(),
                serde_json::to_string_pretty(&b[key]).unwrap()
            );
        }
    }
}

/// A catalog of three items, one resource with a URL and two parameters.
struct Catalog;

impl prose::Targets for Catalog {
    fn item(&self, oscal_id: &str) -> Option<&str> {
        ["ac-1", "ac-2", "s1.2"]
            .into_iter()
            .find(|i| *i == oscal_id)
    }
    fn resource_url(&self, uuid: &str) -> Option<&str> {
        (uuid == "r1").then_some("https://example.org/r1")
    }
    fn param_text(&self, id: &str) -> String {
        markup::escape_text(&format!("[Assignment: {id} <b>*x*</b>]"))
    }
}

fn same_id(id: &str) -> String {
    id.to_string()
}

/// Strings that are syntax to the site's Markdown, OSCAL's or both.
const HOSTILE: [&str; 16] = [
    "AC-3(3)[6](a) and AC-3(3)[6][b]",
    "a <script>alert(1)</script> & b &amp; c &lt; d &#91; &#95; e &copy;",
    "[[ac-1]] and [^1] and [x]: https://example.org",
    "_under_ snake_case *star* **strong** `code <b>` ``a ` b``",
    "see [the policy](#ac-1), [a doc](#r1), [gone](#zz), [web](https://example.org/a_b?x=1&amp;y)",
    "{{ insert: param, ac-1_prm_1 }} and {{ insert: other, x }} and {{ not an insert }}",
    "[nested [link](#ac-2)] and [link with `code]`](#s1.2)",
    "\\[escaped\\] \\_ \\< \\& trailing \\",
    "# heading\n\n1. one\n- two\n> quote\n| a | b |\n|---|---|",
    "[](#ac-1) [x]( #ac-1) [x](#ac-1 \"t\") ![img](pic.png) [x](@ac-1)",
    "<span class=\"oscal-param\" data-param=\"p\">fake</span> ](@x) [[",
    "unclosed [bracket and (paren and ` tick and {{ brace",
    "ünïcödé_ß_ and 中文_字 and emoji 🦀_",
    "&#x41; &; & ; &a b; &&&lt;",
    "[a](#ac-1)[b](#r1)[c](#zz)",
    "",
];

#[test]
fn prose_survives_the_round_trip_through_the_site() {
    for text in HOSTILE {
        let site = prose::to_site(text, &Catalog);
        assert_eq!(prose::from_site(&site, &same_id), text, "via {site:?}");
    }
}

#[test]
fn prose_placeholders_and_escapes() {
    let site = prose::to_site(HOSTILE[0], &Catalog);
    // `[6](a)` names no file: text, not a link (the label of an assessment objective).
    assert!(
        site.starts_with("AC-3(3)&#91;6](a) and AC-3(3)[6][b]"),
        "{site}"
    );
    let site = prose::to_site(HOSTILE[1], &Catalog);
    assert!(site.starts_with("a &lt;script>"), "{site}");
    assert!(
        site.contains("&amp;amp;") && site.contains("&amp;copy;"),
        "{site}"
    );
    let site = prose::to_site(HOSTILE[2], &Catalog);
    assert!(site.starts_with("&#91;[ac-1]] and &#91;^1]"), "{site}");
    let site = prose::to_site(HOSTILE[4], &Catalog);
    assert!(site.contains("[the policy](@ac-1)"), "{site}");
    assert!(
        site.contains(
            "<a class=\"oscal-ref\" data-href=\"#r1\" href=\"https://example.org/r1\">a doc</a>"
        ),
        "{site}"
    );
    let site = prose::to_site(HOSTILE[5], &Catalog);
    assert!(
        site.starts_with(
            "<span class=\"oscal-param\" data-param=\"ac-1_prm_1\">\\[Assignment: ac-1_prm_1 \\<b>"
        ),
        "{site}"
    );
}

/// A small catalog: a group with a control that has two enhancements, and a second control.
const CATALOG: &str = r##"{"catalog": {"uuid": "u", "metadata": {"title": "T"},
  "groups": [{"id": "g", "title": "G", "controls": [
    {"id": "c-1", "title": "One",
     "params": [{"id": "c-1_prm_1", "label": "a period"}],
     "parts": [{"id": "c-1_smt", "name": "statement", "prose": "Do it every {{ insert: param, c-1_prm_1 }}.",
                "parts": [{"id": "c-1_smt.a", "name": "item", "prose": "first"}]},
               {"id": "c-1_gdn", "name": "guidance", "prose": "Why; see [r](#r1)."}],
     "controls": [{"id": "c-1.1", "title": "One, more"}, {"id": "c-1.2", "title": "One, most"}]},
    {"id": "c-2", "title": "Two", "links": [{"href": "#r2", "rel": "reference"}]}]}],
  "back-matter": {"resources": [{"uuid": "r1", "title": "R1"}, {"uuid": "r2", "title": "R2"}, {"uuid": "r3", "title": "R3"}]}}}"##;

/// Resolves a profile (its `imports` pointing at [`CATALOG`]) and returns the catalog.
fn resolve_profile(profile: &str) -> Result<(serde_json::Value, Vec<String>), String> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("catalog.json"), CATALOG).unwrap();
    let path = dir.path().join("profile.json");
    std::fs::write(&path, profile).unwrap();
    let source = read::Source::read(&path).unwrap();
    let resolved = profile::resolve(&source, None)?;
    Ok((resolved.document["catalog"].clone(), resolved.notes))
}

fn ids(catalog: &serde_json::Value) -> Vec<String> {
    let mut set = std::collections::HashSet::new();
    baseline::control_ids(catalog, &mut set);
    let mut list: Vec<String> = set.into_iter().collect();
    list.sort();
    list
}

#[test]
fn profiles_select_with_children_patterns_and_exclusions() {
    let (catalog, _) = resolve_profile(
        r#"{"profile": {"uuid": "p", "metadata": {"title": "P"}, "imports": [{"href": "catalog.json",
           "include-controls": [{"with-ids": ["c-1"], "with-child-controls": "yes"}],
           "exclude-controls": [{"matching": [{"pattern": "c-1.?"}]}]}],
           "merge": {"as-is": true}}}"#,
    )
    .unwrap();
    assert_eq!(ids(&catalog), ["c-1"]);
    // as-is keeps the group; only cited resources stay.
    assert_eq!(catalog["groups"][0]["id"], "g");
    let resources: Vec<&str> = catalog["back-matter"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["uuid"].as_str().unwrap())
        .collect();
    assert_eq!(resources, ["r1"]);
    let (catalog, _) = resolve_profile(
        r#"{"profile": {"uuid": "p", "metadata": {"title": "P"}, "imports": [{"href": "catalog.json",
           "include-all": {}, "exclude-controls": [{"with-ids": ["c-1"]}]}], "merge": {"flat": {}}}}"#,
    )
    .unwrap();
    // flat: no groups; enhancements whose parent is excluded stand on their own.
    assert!(catalog.get("groups").is_none());
    assert_eq!(ids(&catalog), ["c-1.1", "c-1.2", "c-2"]);
}

#[test]
fn profiles_set_parameters_and_alter_controls() {
    let (catalog, notes) = resolve_profile(
        r#"{"profile": {"uuid": "p", "metadata": {"title": "P"}, "imports": [{"href": "catalog.json", "include-all": {}}],
           "merge": {"as-is": true},
           "modify": {
             "set-parameters": [{"param-id": "c-1_prm_1", "values": ["week"], "props": [{"name": "x", "value": "y"}]},
                                {"param-id": "nowhere", "values": ["z"]}],
             "alters": [{"control-id": "c-1",
                         "removes": [{"by-name": "guidance"}],
                         "adds": [{"position": "after", "by-id": "c-1_smt.a", "parts": [{"id": "c-1_smt.b", "name": "item", "prose": "added"}]},
                                  {"position": "starting", "props": [{"name": "status", "value": "tailored"}]}]}]}}}"#,
    )
    .unwrap();
    let c1 = &catalog["groups"][0]["controls"][0];
    assert_eq!(c1["params"][0]["values"][0], "week");
    assert_eq!(c1["params"][0]["props"][0]["name"], "x");
    assert_eq!(c1["props"][0]["value"], "tailored");
    let parts: Vec<&str> = c1["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(parts, ["c-1_smt"]);
    let items: Vec<&str> = c1["parts"][0]["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(items, ["c-1_smt.a", "c-1_smt.b"]);
    assert!(notes.iter().any(|n| n.contains("`nowhere`")), "{notes:?}");
}

#[test]
fn profiles_that_select_what_the_catalog_lacks_are_errors() {
    let err = resolve_profile(
        r#"{"profile": {"uuid": "p", "metadata": {"title": "P"}, "imports": [{"href": "catalog.json",
           "include-controls": [{"with-ids": ["c-1", "zz-9"]}]}]}}"#,
    )
    .err()
    .unwrap();
    assert!(
        err.contains("`zz-9`") && err.contains("/profile/imports/0/include-controls/0/with-ids/1"),
        "{err}"
    );
    let err = resolve_profile(
        r#"{"profile": {"uuid": "p", "metadata": {"title": "P"}, "imports": [{"href": "gone.xml", "include-all": {}}]}}"#,
    )
    .err()
    .unwrap();
    assert!(
        err.contains("`gone.xml` is missing") && err.contains("/profile/imports/0/href"),
        "{err}"
    );
}

#[test]
fn part_layout_finds_the_prose_it_wrote_and_refuses_other_shapes() {
    let parts: Vec<serde_json::Value> = serde_json::from_str(
        r#"[{"id": "s", "name": "statement", "parts": [
              {"id": "s.a", "name": "item", "props": [{"name": "label", "value": "a."}],
               "parts": [{"id": "s.a.1", "name": "item", "props": [{"name": "label", "value": "1."}]}]},
              {"id": "s.b", "name": "item", "props": [{"name": "label", "value": "b."}]}]},
            {"id": "g", "name": "guidance", "parts": [{"id": "g.1", "name": "objective", "title": "Why"}]}]"#,
    )
    .unwrap();
    let layout = layout::Layout::of(&parts, &|t| t.to_string());
    let proses: Vec<String> = [
        "Lead:",
        "first\n\nsecond paragraph",
        "",
        "last",
        "",
        "Because.",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let (description, body) = layout.fill(&proses);
    assert_eq!(
        description,
        "Lead:\n\n- **a.** first\n\n  second paragraph\n  - **1.**\n- **b.** last"
    );
    assert_eq!(body, "## Guidance\n\n### Why\n\nBecause.");
    assert_eq!(layout.find(&description, &body), Some(proses));
    // An item added by hand is another shape: not read as these parts.
    let edited = format!("{description}\n- **c.** new");
    assert_eq!(layout.find(&edited, &body), None);
}

#[test]
fn file_names_avoid_reserved_and_duplicate_names() {
    let mut used = std::collections::HashSet::new();
    assert_eq!(import::file_name("id", &mut used, true), "id-group");
    assert_eq!(import::file_name("AC", &mut used, true), "ac");
    assert_eq!(import::file_name("ac", &mut used, true), "ac-2");
    assert_eq!(import::file_name("_index", &mut used, false), "item_index");
}

#[test]
fn xml_rich_text_becomes_oscal_markdown() {
    let xml = r##"<catalog xmlns="http://csrc.nist.gov/ns/oscal/1.0" uuid="u"><metadata><title>T</title></metadata>
      <control id="c"><title>A <em>b</em> [c]</title>
        <part id="c_smt" name="statement">
          <p>Use <strong>strong</strong>, <code>a*b</code>, <insert type="param" id-ref="c_prm"/> and <a href="#d">d</a>.</p>
          <p>1. not a list, * not a bullet, AC-3(3)[6](a)</p>
          <ul><li>one<ol><li>nested</li></ol></li><li>two</li></ul>
        </part></control></catalog>"##;
    let source = read::Source::parse(std::path::Path::new("c.xml"), xml).unwrap();
    let control = &source.value["catalog"]["controls"][0];
    assert_eq!(control["title"], "A *b* \\[c\\]");
    assert_eq!(
        control["parts"][0]["prose"],
        "Use **strong**, `a*b`, {{ insert: param, c_prm }} and [d](#d).\n\n\
         1\\. not a list, \\* not a bullet, AC-3(3)\\[6\\](a)\n\n\
         - one\n  1. nested\n- two\n"
    );
}
