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
fn inserts_and_links_are_restored() {
    let md = "Use <span class=\"oscal-param\" data-param=\"ac-1_prm_1\">[Assignment: x]</span> and [[ID.AM]] or [see](@ID.RA).";
    let text = restore_inserts(md);
    assert_eq!(
        text,
        "Use {{ insert: param, ac-1_prm_1 }} and [[ID.AM]] or [see](@ID.RA)."
    );
    let text = rewrite_wiki_links(&text, |id| format!("x-{id}"));
    let text = rewrite_id_links(&text, |id| format!("x-{id}"));
    assert!(
        text.ends_with("[ID.AM](#x-ID.AM) or [see](#x-ID.RA)."),
        "{text}"
    );
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
