//! The comparison of two versions: items paired by id, then by explicit links, then (as
//! suggestions only) by similarity; each pair compared field by field.
//!
//! Everything is built on maps by id, so the work grows with the number of items; only the
//! similarity suggestions look at pairs of items, and only among the leftovers, bounded.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use super::item::{Item, SharedItem, Status};

/// One way an item changed. Every change has a mirror image (see [`Change::mirror`]): the
/// change read from the new version back to the old.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// New in the new version.
    Added,
    /// Gone from the new version without a trace.
    Removed,
    /// Withdrawn in the new version; its content went to `into` (when said).
    Withdrawn {
        /// `incorporated-into` / `moved-to` targets.
        into: Vec<String>,
    },
    /// Withdrawn in the old version and in force again in the new (the mirror of `Withdrawn`).
    Reinstated {
        /// Where the old version said its content had gone.
        from: Vec<String>,
    },
    /// Another status (draft, deprecated, active).
    Status {
        /// The old status.
        from: Status,
        /// The new status.
        to: Status,
    },
    /// The item's id changed (paired by `replaces:` or `moved-to:`).
    Renumbered {
        /// The old id.
        from: String,
        /// The new id.
        to: String,
    },
    /// The item sits under another parent.
    Moved {
        /// The old parent's id.
        from: String,
        /// The new parent's id.
        to: String,
    },
    /// The title changed.
    Renamed {
        /// The old title.
        from: String,
        /// The new title.
        to: String,
    },
    /// The statement changed.
    Reworded {
        /// The old statement.
        from: String,
        /// The new statement.
        to: String,
    },
    /// Citations (document and clause) added or removed.
    Citations {
        /// Cited in the new version only.
        added: Vec<String>,
        /// Cited in the old version only.
        removed: Vec<String>,
    },
    /// Parameters added, removed or changed (by parameter id).
    Params {
        /// Parameters of the new version only.
        added: Vec<String>,
        /// Parameters of the old version only.
        removed: Vec<String>,
        /// Parameters of both whose content differs.
        changed: Vec<String>,
    },
}

impl Change {
    /// The short name of the kind of change (`added`, `reworded`, …), used in every output.
    pub fn name(&self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Withdrawn { .. } => "withdrawn",
            Change::Reinstated { .. } => "reinstated",
            Change::Status { .. } => "status",
            Change::Renumbered { .. } => "renumbered",
            Change::Moved { .. } => "moved",
            Change::Renamed { .. } => "renamed",
            Change::Reworded { .. } => "reworded",
            Change::Citations { .. } => "citations",
            Change::Params { .. } => "parameters",
        }
    }

    /// The same change seen from the new version back to the old.
    pub fn mirror(&self) -> Change {
        match self.clone() {
            Change::Added => Change::Removed,
            Change::Removed => Change::Added,
            Change::Withdrawn { into } => Change::Reinstated { from: into },
            Change::Reinstated { from } => Change::Withdrawn { into: from },
            Change::Status { from, to } => Change::Status { from: to, to: from },
            Change::Renumbered { from, to } => Change::Renumbered { from: to, to: from },
            Change::Moved { from, to } => Change::Moved { from: to, to: from },
            Change::Renamed { from, to } => Change::Renamed { from: to, to: from },
            Change::Reworded { from, to } => Change::Reworded { from: to, to: from },
            Change::Citations { added, removed } => Change::Citations {
                added: removed,
                removed: added,
            },
            Change::Params {
                added,
                removed,
                changed,
            } => Change::Params {
                added: removed,
                removed: added,
                changed,
            },
        }
    }
}

/// Every kind of change, in the order reports list them.
pub const CHANGE_KINDS: [&str; 11] = [
    "added",
    "removed",
    "withdrawn",
    "reinstated",
    "status",
    "renumbered",
    "moved",
    "renamed",
    "reworded",
    "citations",
    "parameters",
];

/// One item of either version (or a pair, one of each), with what changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The item in the old version, if it is there.
    pub old: Option<SharedItem>,
    /// The item in the new version, if it is there.
    pub new: Option<SharedItem>,
    /// What changed; empty for an unchanged item.
    pub changes: Vec<Change>,
}

impl Entry {
    /// The item as it is now, else as it was.
    pub fn item(&self) -> &Item {
        match (&self.new, &self.old) {
            (Some(item), _) | (None, Some(item)) => item,
            (None, None) => unreachable!("an entry holds at least one item"),
        }
    }

    /// The id it has now, else the one it had.
    pub fn id(&self) -> &str {
        &self.item().id
    }

    /// The change of the given kind, if any.
    pub fn change(&self, name: &str) -> Option<&Change> {
        self.changes.iter().find(|c| c.name() == name)
    }
}

/// A pairing of a removed item with an added one that reads much the same: offered to the
/// reader, never applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// The id in the old version.
    pub old: String,
    /// The id in the new version.
    pub new: String,
    /// How alike they are, 0 to 1 (shared words of title and statement).
    pub score: f64,
}

/// The difference between two versions.
#[derive(Debug, Clone, PartialEq)]
pub struct Diff {
    /// Every item of either version, in the new version's reading order (removed items
    /// after those they followed).
    pub entries: Vec<Entry>,
    /// Possible pairings of removed and added items, best first.
    pub suggestions: Vec<Suggestion>,
}

impl Diff {
    /// The entries that changed.
    pub fn changed(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| !e.changes.is_empty())
    }

    /// True when nothing changed.
    pub fn is_empty(&self) -> bool {
        self.changed().next().is_none()
    }

    /// How many items changed in each way (kinds with none left out), in [`CHANGE_KINDS`] order.
    pub fn counts(&self) -> Vec<(&'static str, usize)> {
        let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
        for change in self.entries.iter().flat_map(|e| &e.changes) {
            *counts.entry(change.name()).or_default() += 1;
        }
        CHANGE_KINDS
            .iter()
            .filter_map(|k| counts.get(k).map(|&n| (*k, n)))
            .collect()
    }

    /// The same difference read from the new version back to the old.
    pub fn mirror(&self) -> Diff {
        let entries = self
            .entries
            .iter()
            .map(|e| Entry {
                old: e.new.clone(),
                new: e.old.clone(),
                changes: e.changes.iter().map(Change::mirror).collect(),
            })
            .collect();
        let suggestions = self
            .suggestions
            .iter()
            .map(|s| Suggestion {
                old: s.new.clone(),
                new: s.old.clone(),
                score: s.score,
            })
            .collect();
        Diff {
            entries,
            suggestions,
        }
    }
}

/// Compares two versions' items (as [`super::item::items`] gives them).
pub fn compare(old: &[SharedItem], new: &[SharedItem]) -> Diff {
    let old_by_id = ids(old);
    let new_by_id = ids(new);
    let new_exact: HashMap<&str, usize> = new
        .iter()
        .enumerate()
        .map(|(n, item)| (item.id.as_str(), n))
        .collect();
    // Pairs (old index, new index): same id first, then explicit links.
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut old_paired = vec![false; old.len()];
    let mut new_paired = vec![false; new.len()];
    for (o, item) in old.iter().enumerate() {
        if let Some(&n) = new_exact.get(item.id.as_str()) {
            pairs.push((o, n));
            old_paired[o] = true;
            new_paired[n] = true;
        }
    }
    for (o, n) in linked_pairs(old, new, &old_by_id, &new_by_id) {
        if !old_paired[o] && !new_paired[n] {
            pairs.push((o, n));
            old_paired[o] = true;
            new_paired[n] = true;
        }
    }
    // An old parent id stands for the new one it was paired with.
    let renamed_ids: HashMap<&str, &str> = pairs
        .iter()
        .map(|&(o, n)| (old[o].id.as_str(), new[n].id.as_str()))
        .collect();
    let mut entries: Vec<(f64, Entry)> = Vec::with_capacity(old.len().max(new.len()));
    for &(o, n) in &pairs {
        let changes = changes(&old[o], &new[n], &renamed_ids);
        entries.push((
            new[n].position as f64,
            Entry {
                old: Some(old[o].clone()),
                new: Some(new[n].clone()),
                changes,
            },
        ));
    }
    for (n, item) in new.iter().enumerate().filter(|(n, _)| !new_paired[*n]) {
        let entry = Entry {
            old: None,
            new: Some(item.clone()),
            changes: vec![Change::Added],
        };
        entries.push((n as f64, entry));
    }
    for (o, item) in old.iter().enumerate().filter(|(o, _)| !old_paired[*o]) {
        let entry = Entry {
            old: Some(item.clone()),
            new: None,
            changes: vec![Change::Removed],
        };
        entries.push((
            removed_position(old, o, &renamed_ids, &new_by_id, new),
            entry,
        ));
    }
    entries.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.id().cmp(b.1.id())));
    let leftovers_old: Vec<&Item> = (0..old.len())
        .filter(|&o| !old_paired[o])
        .map(|o| &*old[o])
        .collect();
    let leftovers_new: Vec<&Item> = (0..new.len())
        .filter(|&n| !new_paired[n])
        .map(|n| &*new[n])
        .collect();
    Diff {
        entries: entries.into_iter().map(|(_, e)| e).collect(),
        suggestions: super::suggest::suggest(&leftovers_old, &leftovers_new),
    }
}

fn ids(items: &[SharedItem]) -> HashMap<&str, usize> {
    let mut map = HashMap::with_capacity(items.len() * 2);
    for (i, item) in items.iter().enumerate() {
        map.entry(item.id.as_str()).or_insert(i);
    }
    // OSCAL links name the catalog's ids; they reach the item too, unless an id is taken.
    for (i, item) in items.iter().enumerate() {
        map.entry(item.oscal_id.as_str()).or_insert(i);
    }
    map
}

/// Pairs named by `replaces:` / `moved-to:` on either side (so that the comparison reads
/// the same both ways), in a fixed order.
fn linked_pairs(
    old: &[SharedItem],
    new: &[SharedItem],
    old_by_id: &HashMap<&str, usize>,
    new_by_id: &HashMap<&str, usize>,
) -> Vec<(usize, usize)> {
    let mut pairs = BTreeSet::new();
    for (n, item) in new.iter().enumerate() {
        for id in &item.life.replaces {
            if let Some(&o) = old_by_id.get(id.as_str()) {
                pairs.insert((o, n));
            }
        }
        for id in &item.life.moved_to {
            if let Some(&o) = old_by_id.get(id.as_str()) {
                pairs.insert((o, n));
            }
        }
    }
    for (o, item) in old.iter().enumerate() {
        for id in item.life.replaces.iter().chain(&item.life.moved_to) {
            if let Some(&n) = new_by_id.get(id.as_str()) {
                pairs.insert((o, n));
            }
        }
    }
    pairs.into_iter().collect()
}

/// Where a removed item is listed: just after the new place of the item it followed.
fn removed_position(
    old: &[SharedItem],
    at: usize,
    renamed_ids: &HashMap<&str, &str>,
    new_by_id: &HashMap<&str, usize>,
    new: &[SharedItem],
) -> f64 {
    let before = old[..at]
        .iter()
        .rev()
        .find_map(|item| renamed_ids.get(item.id.as_str()))
        .and_then(|id| new_by_id.get(id));
    let base = before.map_or(-1.0, |&n| new[n].position as f64);
    // Between that item and the next, in the old order.
    base + 0.5 + (at as f64 / (old.len() as f64 + 1.0)) * 0.4
}

/// What changed between two paired items.
fn changes(old: &Item, new: &Item, renamed_ids: &HashMap<&str, &str>) -> Vec<Change> {
    let mut changes = Vec::new();
    match (old.status(), new.status()) {
        (from, to) if from == to => {}
        (_, Status::Withdrawn) => changes.push(Change::Withdrawn {
            into: withdrawn_targets(new),
        }),
        (Status::Withdrawn, _) => changes.push(Change::Reinstated {
            from: withdrawn_targets(old),
        }),
        (from, to) => changes.push(Change::Status { from, to }),
    }
    if old.id != new.id {
        changes.push(Change::Renumbered {
            from: old.id.clone(),
            to: new.id.clone(),
        });
    }
    // A parent paired with another id counts as the same parent.
    // A withdrawn item is a placeholder: what its title and text say now is no news.
    let withdrawn_now = (old.status() == Status::Withdrawn) != (new.status() == Status::Withdrawn);
    let old_parent = renamed_ids
        .get(old.parent.as_str())
        .copied()
        .unwrap_or(old.parent.as_str());
    if old_parent != new.parent {
        changes.push(Change::Moved {
            from: old.parent.clone(),
            to: new.parent.clone(),
        });
    }
    if withdrawn_now {
        return changes;
    }
    if old.title != new.title {
        changes.push(Change::Renamed {
            from: old.title.clone(),
            to: new.title.clone(),
        });
    }
    if old.statement != new.statement {
        changes.push(Change::Reworded {
            from: old.statement.clone(),
            to: new.statement.clone(),
        });
    }
    let added: Vec<String> = new.citations.difference(&old.citations).cloned().collect();
    let removed: Vec<String> = old.citations.difference(&new.citations).cloned().collect();
    if !added.is_empty() || !removed.is_empty() {
        changes.push(Change::Citations { added, removed });
    }
    if old.params != new.params {
        let only = |a: &BTreeMap<String, String>, b: &BTreeMap<String, String>| -> Vec<String> {
            a.keys().filter(|k| !b.contains_key(*k)).cloned().collect()
        };
        let changed = old
            .params
            .iter()
            .filter(|(k, v)| new.params.get(*k).is_some_and(|w| w != *v))
            .map(|(k, _)| k.clone())
            .collect();
        changes.push(Change::Params {
            added: only(&new.params, &old.params),
            removed: only(&old.params, &new.params),
            changed,
        });
    }
    changes
}

/// Where a withdrawn item's content went, as its links say.
pub fn withdrawn_targets(item: &Item) -> Vec<String> {
    let mut seen = HashSet::new();
    item.life
        .incorporated_into
        .iter()
        .chain(&item.life.moved_to)
        .filter(|id| seen.insert(id.as_str()))
        .cloned()
        .collect()
}
