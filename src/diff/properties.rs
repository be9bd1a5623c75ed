//! Tests of the comparison: pairing and change kinds on small hand-made versions, and
//! property tests of the three promises: a version against itself is empty, diff(A, B)
//! is the mirror image of diff(B, A), and reformatting alone is never a change.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use proptest::prelude::*;

use super::compare::{compare, Change, Diff, Entry};
use super::item::{items, Item, Lifecycle, SharedItem, Status};
use crate::config::Config;
use crate::markdown::CodeBlocks;
use crate::model::Kind;

fn item(id: &str, parent: &str, title: &str, statement: &str) -> Item {
    Item {
        id: id.into(),
        kind: Kind::Subcategory,
        title: title.into(),
        statement: statement.into(),
        parent: parent.into(),
        concept: parent.into(),
        citations: BTreeSet::new(),
        params: BTreeMap::new(),
        life: Lifecycle::default(),
        oscal_id: id.into(),
        position: 0,
    }
}

fn positioned(mut list: Vec<Item>) -> Vec<SharedItem> {
    for (n, item) in list.iter_mut().enumerate() {
        item.position = n;
    }
    list.into_iter().map(SharedItem::new).collect()
}

fn changes_of<'d>(diff: &'d Diff, id: &str) -> &'d [Change] {
    &diff
        .entries
        .iter()
        .find(|e| e.id() == id)
        .unwrap_or_else(|| panic!("no entry for {id}"))
        .changes
}

#[test]
fn each_kind_of_change_is_found() {
    let mut cited = item("A-3", "A", "Cited", "text");
    cited.citations.insert("ISO/IEC 27002:2013 8.1.1".into());
    let mut with_param = item("A-4", "A", "Param", "text");
    with_param
        .params
        .insert("p1".into(), "{\"id\":\"p1\"}".into());
    let old = positioned(vec![
        item("A-1", "A", "Inventory", "Keep an asset list."),
        item("A-2", "A", "Owners", "Name an owner."),
        cited,
        with_param,
        item("A-5", "A", "Gone", "Not kept."),
        item("A-6", "A", "Moving", "Moves to B."),
    ]);
    let mut cited = item("A-3", "A", "Cited", "text");
    cited.citations.insert("ISO/IEC 27002:2022 5.9".into());
    let mut with_param = item("A-4", "A", "Param", "text");
    with_param
        .params
        .insert("p1".into(), "{\"id\":\"p1\",\"values\":[\"x\"]}".into());
    with_param
        .params
        .insert("p2".into(), "{\"id\":\"p2\"}".into());
    let new = positioned(vec![
        item("A-1", "A", "Inventory", "Keep a complete asset list."),
        item("A-2", "A", "Asset owners", "Name an owner."),
        cited,
        with_param,
        item("A-6", "B", "Moving", "Moves to B."),
        item("A-7", "A", "New", "Brand new."),
    ]);
    let diff = compare(&old, &new);
    assert!(matches!(
        changes_of(&diff, "A-1"),
        [Change::Reworded { .. }]
    ));
    assert_eq!(
        changes_of(&diff, "A-2"),
        [Change::Renamed {
            from: "Owners".into(),
            to: "Asset owners".into()
        }]
    );
    assert_eq!(
        changes_of(&diff, "A-3"),
        [Change::Citations {
            added: vec!["ISO/IEC 27002:2022 5.9".into()],
            removed: vec!["ISO/IEC 27002:2013 8.1.1".into()],
        }]
    );
    assert_eq!(
        changes_of(&diff, "A-4"),
        [Change::Params {
            added: vec!["p2".into()],
            removed: vec![],
            changed: vec!["p1".into()],
        }]
    );
    assert_eq!(changes_of(&diff, "A-5"), [Change::Removed]);
    assert_eq!(
        changes_of(&diff, "A-6"),
        [Change::Moved {
            from: "A".into(),
            to: "B".into()
        }]
    );
    assert_eq!(changes_of(&diff, "A-7"), [Change::Added]);
    let counts = diff.counts();
    assert!(counts.contains(&("reworded", 1)) && counts.contains(&("added", 1)));
}

#[test]
fn withdrawn_items_say_where_their_content_went() {
    let old = positioned(vec![
        item("A-1", "A", "Old", "x"),
        item("A-2", "A", "Kept", "y"),
    ]);
    let mut stub = item("A-1", "A", "Old", "x");
    stub.life.status = Some(Status::Withdrawn);
    stub.life.incorporated_into = vec!["A-2".into()];
    let new = positioned(vec![stub, item("A-2", "A", "Kept", "y")]);
    let diff = compare(&old, &new);
    assert_eq!(
        changes_of(&diff, "A-1"),
        [Change::Withdrawn {
            into: vec!["A-2".into()]
        }]
    );
    let back = compare(&new, &old);
    assert!(matches!(
        changes_of(&back, "A-1"),
        [Change::Reinstated { .. }]
    ));
}

#[test]
fn replaces_links_pair_new_ids_and_parents_follow_them() {
    let old = positioned(vec![
        item("OLD", "", "Concept", ""),
        item("OLD-1", "OLD", "Inventory", "Keep a list."),
    ]);
    let mut concept = item("NEW", "", "Concept", "");
    concept.life.replaces = vec!["OLD".into()];
    let mut child = item("NEW-1", "NEW", "Inventory", "Keep a list.");
    child.life.replaces = vec!["OLD-1".into()];
    let new = positioned(vec![concept, child]);
    let diff = compare(&old, &new);
    assert_eq!(diff.entries.len(), 2, "{:?}", diff.entries);
    // The child's parent was paired too: renumbered, not moved.
    assert_eq!(
        changes_of(&diff, "NEW-1"),
        [Change::Renumbered {
            from: "OLD-1".into(),
            to: "NEW-1".into()
        }]
    );
    assert!(diff.suggestions.is_empty());
}

#[test]
fn look_alikes_are_suggested_not_paired() {
    let old = positioned(vec![item(
        "X-1",
        "A",
        "Backups tested",
        "Restore backups every quarter from offline copies.",
    )]);
    let new = positioned(vec![item(
        "Y-9",
        "A",
        "Backups tested",
        "Restore backups every quarter from offline copies kept.",
    )]);
    let diff = compare(&old, &new);
    assert_eq!(changes_of(&diff, "X-1"), [Change::Removed]);
    assert_eq!(changes_of(&diff, "Y-9"), [Change::Added]);
    assert_eq!(diff.suggestions.len(), 1);
    assert_eq!(
        (
            diff.suggestions[0].old.as_str(),
            diff.suggestions[0].new.as_str()
        ),
        ("X-1", "Y-9")
    );
    assert!(diff.suggestions[0].score > 0.8);
}

// ---- property tests -------------------------------------------------------------------

const WORDS: [&str; 12] = [
    "asset", "owner", "backup", "record", "review", "access", "network", "incident", "plan",
    "supplier", "training", "log",
];

/// A small random version: ids from a shared pool, so that two versions overlap.
fn version() -> impl Strategy<Value = Vec<SharedItem>> {
    let one = (
        0usize..24,
        0usize..3,
        proptest::collection::vec(0usize..WORDS.len(), 1..4),
        proptest::collection::vec(0usize..WORDS.len(), 0..8),
        proptest::collection::btree_set(0usize..4, 0..3),
        0usize..6,
        proptest::option::of(0usize..24),
    );
    proptest::collection::vec(one, 0..16).prop_map(|raw| {
        let mut seen = BTreeSet::new();
        let mut list = Vec::new();
        for (id, parent, title, statement, cites, status, replaces) in raw {
            if !seen.insert(id) {
                continue;
            }
            let text = |w: &[usize]| w.iter().map(|&i| WORDS[i]).collect::<Vec<_>>().join(" ");
            let mut it = item(
                &format!("I-{id}"),
                &format!("C{parent}"),
                &text(&title),
                &text(&statement),
            );
            it.citations = cites
                .iter()
                .map(|c| format!("ISO/IEC 2700{c} 5.{c}"))
                .collect();
            it.life.status = match status {
                0 => Some(Status::Withdrawn),
                1 => Some(Status::Draft),
                _ => None,
            };
            it.life.replaces = replaces.map(|r| format!("I-{r}")).into_iter().collect();
            list.push(it);
        }
        positioned(list)
    })
}

/// Entries as a set that does not depend on their order.
fn entry_set(diff: &Diff) -> BTreeSet<String> {
    diff.entries
        .iter()
        .map(|e: &Entry| {
            format!(
                "{:?}|{:?}|{:?}",
                e.old.as_ref().map(|i| &i.id),
                e.new.as_ref().map(|i| &i.id),
                e.changes
            )
        })
        .collect()
}

fn suggestion_set(diff: &Diff) -> BTreeSet<String> {
    diff.suggestions
        .iter()
        .map(|s| format!("{}>{}:{}", s.old, s.new, s.score))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn a_version_against_itself_is_empty(version in version()) {
        let diff = compare(&version, &version);
        prop_assert!(diff.is_empty());
        prop_assert!(diff.suggestions.is_empty());
        prop_assert_eq!(diff.entries.len(), version.len());
    }

    #[test]
    fn diff_both_ways_are_mirror_images(a in version(), b in version()) {
        let forward = compare(&a, &b);
        let backward = compare(&b, &a);
        let mirrored = backward.mirror();
        prop_assert_eq!(entry_set(&forward), entry_set(&mirrored));
        prop_assert_eq!(suggestion_set(&forward), suggestion_set(&mirrored));
        prop_assert_eq!(forward.changed().count(), backward.changed().count());
    }
}

/// An item to write: id, then word numbers of its title and body, and clause numbers.
type WrittenItem = (String, Vec<usize>, Vec<usize>, Vec<usize>);

/// A framework's items written as files, in one of two styles that say the same thing.
#[derive(Debug, Clone)]
struct Written {
    items: Vec<WrittenItem>,
}

fn written() -> impl Strategy<Value = Written> {
    proptest::collection::vec(
        (
            proptest::collection::vec(0usize..WORDS.len(), 1..4),
            proptest::collection::vec(0usize..WORDS.len(), 1..30),
            proptest::collection::vec(1usize..9, 0..3),
        ),
        1..6,
    )
    .prop_map(|raw| Written {
        items: raw
            .into_iter()
            .enumerate()
            .map(|(n, (title, body, cites))| (format!("ID.AM-0{n}"), title, body, cites))
            .collect(),
    })
}

fn words_of(list: &[usize]) -> String {
    list.iter().map(|&i| WORDS[i]).collect::<Vec<_>>().join(" ")
}

/// Words joined into lines of at most `width` characters.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = 0;
    for word in text.split(' ') {
        if line > 0 && line + word.len() + 1 > width {
            out.push('\n');
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += word.len();
    }
    out
}

/// Writes the project: `style` 0 is block YAML with wrapped text; 1 flow YAML, other key
/// order, other wrapping; each item in a file of its own either way.
fn write_project(root: &Path, written: &Written, style: usize) {
    let content = root.join("content/identify/asset-management");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::write(root.join("content/_index.md"), "---\ntitle: T\n---\n").unwrap();
    std::fs::write(
        root.join("content/identify/_index.md"),
        "---\nid: ID\ntitle: Identify\n---\n",
    )
    .unwrap();
    std::fs::write(
        content.join("_index.md"),
        "---\nid: ID.AM\ntitle: Asset management\n---\n",
    )
    .unwrap();
    for (id, title, body, cites) in &written.items {
        let cites: Vec<String> = cites
            .iter()
            .map(|c| format!("ISO/IEC 27002:2013, 8.{c}"))
            .collect();
        let text = match style {
            0 => {
                let mut front = format!("id: {id}\ntitle: {}\n", words_of(title));
                if !cites.is_empty() {
                    front.push_str("references:\n");
                    for cite in &cites {
                        front.push_str(&format!("  - \"{cite}\"\n"));
                    }
                }
                format!("---\n{front}---\n\n{}\n", wrap(&words_of(body), 24))
            }
            _ => {
                let quoted: Vec<String> = cites.iter().map(|c| format!("'{c}'")).collect();
                format!(
                    "---\nreferences: [{}]\ntitle: \"{}\"\nid: '{id}'\n---\n{}\n\n",
                    quoted.join(", "),
                    words_of(title),
                    wrap(&words_of(body), 70)
                )
            }
        };
        std::fs::write(content.join(format!("{id}.md")), text).unwrap();
    }
}

fn load_items(root: &Path) -> Vec<SharedItem> {
    let (framework, diagnostics) =
        crate::load::load_with(root, Config::default(), CodeBlocks::Plain);
    assert!(!diagnostics.iter().any(|d| d.is_error()), "{diagnostics:?}");
    items(&framework)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn reformatting_alone_is_no_change(written in written()) {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        write_project(a.path(), &written, 0);
        write_project(b.path(), &written, 1);
        let (old, new) = (load_items(a.path()), load_items(b.path()));
        prop_assert_eq!(old.len(), written.items.len() + 2);
        let diff = compare(&old, &new);
        prop_assert!(diff.is_empty(), "{:?}", diff.changed().collect::<Vec<_>>());
    }
}
