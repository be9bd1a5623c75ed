//! The outputs of a comparison: text for people, JSON, and CSV with one row per item (the
//! shape of the comparison workbooks readers use today). The OSCAL mapping collection is
//! written by the mapping export (`crosswalk::export::diff_mapping_collection`).

use serde_json::{json, Value};

use super::compare::{Change, Diff, Entry};
use super::words;
use super::VersionName;

/// One change in a few words: `title "A" → "B"`, `moved from X to Y`.
pub fn describe(change: &Change) -> String {
    let ids = |ids: &[String]| ids.join(", ");
    match change {
        Change::Added => "added".into(),
        Change::Removed => "removed".into(),
        Change::Withdrawn { into } if into.is_empty() => "withdrawn".into(),
        Change::Withdrawn { into } => format!("withdrawn: incorporated into {}", ids(into)),
        Change::Reinstated { from } if from.is_empty() => "reinstated".into(),
        Change::Reinstated { from } => {
            format!("reinstated (had been incorporated into {})", ids(from))
        }
        Change::Status { from, to } => format!("status {} → {}", from.name(), to.name()),
        Change::Renumbered { from, to } => format!("id {from} → {to}"),
        Change::Moved { from, to } => format!("moved from {} to {}", parent(from), parent(to)),
        Change::Renamed { from, to } => format!("title “{from}” → “{to}”"),
        Change::Reworded { from, to } => format!("reworded: {}", words::plain(from, to)),
        Change::Citations { added, removed } => {
            let mut parts = Vec::new();
            if !added.is_empty() {
                parts.push(format!("cites {}", added.join("; ")));
            }
            if !removed.is_empty() {
                parts.push(format!("no longer cites {}", removed.join("; ")));
            }
            parts.join("; ")
        }
        Change::Params {
            added,
            removed,
            changed,
        } => {
            let mut parts = Vec::new();
            for (what, list) in [("added", added), ("removed", removed), ("changed", changed)] {
                if !list.is_empty() {
                    parts.push(format!("parameters {what}: {}", list.join(", ")));
                }
            }
            parts.join("; ")
        }
    }
}

fn parent(id: &str) -> &str {
    if id.is_empty() {
        "the top level"
    } else {
        id
    }
}

/// `3 added, 1 withdrawn; 40 unchanged`.
pub fn summary(diff: &Diff) -> String {
    let counts: Vec<String> = diff
        .counts()
        .iter()
        .map(|(kind, n)| format!("{n} {kind}"))
        .collect();
    let unchanged = diff.entries.len() - diff.changed().count();
    if counts.is_empty() {
        format!("no changes; {unchanged} unchanged")
    } else {
        format!("{}; {unchanged} unchanged", counts.join(", "))
    }
}

/// Unchanged words kept on each side of a change in the text output.
const HUMAN_CONTEXT: usize = 6;

/// The comparison as text for a terminal.
pub fn human(diff: &Diff, old: &VersionName, new: &VersionName) -> String {
    let mut out = format!(
        "{} {} ({}) → {} ({})\n{}\n",
        new.title,
        old.version,
        old.source,
        new.version,
        new.source,
        summary(diff)
    );
    for (concept, entries) in by_concept(diff) {
        out.push_str(&format!(
            "\n{}\n",
            if concept.is_empty() {
                "(top level)"
            } else {
                concept
            }
        ));
        for entry in entries {
            let item = entry.item();
            let id = match (&entry.old, &entry.new) {
                (Some(old), Some(new)) if old.id != new.id => format!("{} → {}", old.id, new.id),
                _ => entry.id().to_string(),
            };
            out.push_str(&format!("  {id}  {}\n", item.label()));
            for change in &entry.changes {
                let line = match change {
                    Change::Reworded { from, to } => {
                        format!("reworded: {}", words::compact(from, to, HUMAN_CONTEXT))
                    }
                    _ => describe(change),
                };
                out.push_str(&format!("      {line}\n"));
            }
        }
    }
    if !diff.suggestions.is_empty() {
        out.push_str("\nPossibly the same item under a new id (not applied; add `replaces: OLD-ID` to the new item to pair them):\n");
        for s in &diff.suggestions {
            out.push_str(&format!(
                "  {} → {}  ({:.0}% alike)\n",
                s.old,
                s.new,
                s.score * 100.0
            ));
        }
    }
    out
}

/// The changed entries grouped by concept, concepts in the order they first appear.
pub fn by_concept(diff: &Diff) -> Vec<(&str, Vec<&Entry>)> {
    let mut groups: Vec<(&str, Vec<&Entry>)> = Vec::new();
    let mut at: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for entry in diff.changed() {
        let concept = entry.item().concept.as_str();
        let slot = *at.entry(concept).or_insert_with(|| {
            groups.push((concept, Vec::new()));
            groups.len() - 1
        });
        groups[slot].1.push(entry);
    }
    groups
}

/// One change as JSON data.
fn change_json(change: &Change) -> Value {
    let kind = change.name();
    match change {
        Change::Added | Change::Removed => json!({ "kind": kind }),
        Change::Withdrawn { into } => json!({ "kind": kind, "into": into }),
        Change::Reinstated { from } => json!({ "kind": kind, "from": from }),
        Change::Status { from, to } => {
            json!({ "kind": kind, "from": from.name(), "to": to.name() })
        }
        Change::Renumbered { from, to }
        | Change::Moved { from, to }
        | Change::Renamed { from, to } => {
            json!({ "kind": kind, "from": from, "to": to })
        }
        Change::Reworded { from, to } => json!({
            "kind": kind, "from": from, "to": to, "words": words::diff(from, to),
        }),
        Change::Citations { added, removed } => {
            json!({ "kind": kind, "added": added, "removed": removed })
        }
        Change::Params {
            added,
            removed,
            changed,
        } => json!({ "kind": kind, "added": added, "removed": removed, "changed": changed }),
    }
}

fn entry_json(entry: &Entry) -> Value {
    let item = entry.item();
    json!({
        "id": item.id,
        "old-id": entry.old.as_ref().map(|i| &i.id),
        "new-id": entry.new.as_ref().map(|i| &i.id),
        "kind": item.kind.name(),
        "title": item.title,
        "concept": item.concept,
        "changes": entry.changes.iter().map(change_json).collect::<Vec<_>>(),
    })
}

/// The comparison as JSON: both versions, counts per kind of change, every changed item
/// with its changes, and the suggested pairings.
pub fn json(diff: &Diff, old: &VersionName, new: &VersionName) -> Value {
    let version =
        |v: &VersionName| json!({ "version": v.version, "source": v.source, "title": v.title });
    let mut counts = serde_json::Map::new();
    for (kind, n) in diff.counts() {
        counts.insert(kind.into(), json!(n));
    }
    counts.insert(
        "unchanged".into(),
        json!(diff.entries.len() - diff.changed().count()),
    );
    json!({
        "old": version(old),
        "new": version(new),
        "counts": counts,
        "items": diff.changed().map(entry_json).collect::<Vec<_>>(),
        "suggestions": diff.suggestions.iter().map(|s| json!({
            "old": s.old, "new": s.new, "score": s.score,
        })).collect::<Vec<_>>(),
    })
}

/// The CSV header.
pub const CSV_COLUMNS: [&str; 11] = [
    "old_id",
    "new_id",
    "kind",
    "concept",
    "old_title",
    "new_title",
    "changes",
    "details",
    "old_statement",
    "new_statement",
    "word_diff",
];

/// The comparison as CSV: one row per item of either version, unchanged ones included.
pub fn csv(diff: &Diff) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    let _ = writer.write_record(CSV_COLUMNS);
    for entry in &diff.entries {
        let item = entry.item();
        let field = |side: &Option<super::item::SharedItem>, get: fn(&super::Item) -> &str| {
            side.as_ref().map_or(String::new(), |i| get(i).to_string())
        };
        let changes = if entry.changes.is_empty() {
            "unchanged".to_string()
        } else {
            let names: Vec<&str> = entry.changes.iter().map(Change::name).collect();
            names.join("; ")
        };
        let details: Vec<String> = entry
            .changes
            .iter()
            .filter(|c| !matches!(c, Change::Reworded { .. }))
            .map(describe)
            .collect();
        let word_diff = match entry.change("reworded") {
            Some(Change::Reworded { from, to }) => words::plain(from, to),
            _ => String::new(),
        };
        let _ = writer.write_record([
            field(&entry.old, |i| &i.id),
            field(&entry.new, |i| &i.id),
            item.kind.name().to_string(),
            item.concept.clone(),
            field(&entry.old, |i| &i.title),
            field(&entry.new, |i| &i.title),
            changes,
            details.join("; "),
            field(&entry.old, |i| &i.statement),
            field(&entry.new, |i| &i.statement),
            word_diff,
        ]);
    }
    writer.into_inner().unwrap_or_default()
}
