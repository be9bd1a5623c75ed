//! The releases named in book.toml (`[[releases]]`, oldest first), compared each with the
//! next and the last with the project as it is: what each release changed, each item's
//! history, and where the ids that are gone went.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use rayon::prelude::*;

use super::compare::{Change, Diff};
use super::item::{items, SharedItem, Status};
use super::source::{load, Source};
use crate::config::{Config, Release, CONFIG_FILE};
use crate::diagnostics::{Diagnostic, Span};
use crate::model::Framework;

/// What one release changed from the one before it.
#[derive(Debug, Clone)]
pub struct Step {
    /// The version this release brought (the project's own version for the last step).
    pub version: String,
    /// The version before it.
    pub previous: String,
    /// The URL segment of its page (`changes/<slug>/`).
    pub slug: String,
    /// The comparison of the version before with this one.
    pub diff: Diff,
}

/// A change of an item in one step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// The step (index into [`History::steps`]).
    pub step: usize,
    /// The item's id in the version that step brought (its anchor on the release page).
    pub id: String,
    /// The kinds of change (`added`, `reworded`, …).
    pub changes: Vec<&'static str>,
}

/// An id of an earlier release that the project no longer has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormerId {
    /// The id.
    pub id: String,
    /// The step in which it went.
    pub step: usize,
    /// What happened, in a sentence (`Withdrawn in 1.0: incorporated into ID.AM-02.`).
    pub note: String,
    /// The id (of the project as it is) that holds its content now, when there is one.
    pub target: Option<String>,
}

/// Every release's changes, every item's history.
#[derive(Debug, Clone, Default)]
pub struct History {
    /// One step per release after the oldest, then the project as it is; oldest first.
    pub steps: Vec<Step>,
    /// Per id of the project, its changes, oldest first (items unchanged since the oldest
    /// release have none).
    pub events: HashMap<String, Vec<Event>>,
    /// Ids of earlier releases the project no longer has, by id.
    pub former_ids: Vec<FormerId>,
}

/// The name of the project's own version in histories: `[book] version`, else "current".
pub fn current_version(config: &Config) -> String {
    config
        .book
        .version
        .clone()
        .unwrap_or_else(|| "current".to_string())
}

/// Where a release named in book.toml is read from.
pub fn release_source(release: &Release, root: &Path) -> Source {
    match (&release.path, &release.git, &release.oscal) {
        (Some(path), _, _) => Source::Folder(root.join(path)),
        (None, Some(rev), _) => Source::Git {
            project: root.to_path_buf(),
            rev: rev.clone(),
        },
        (None, None, Some(catalog)) => Source::Oscal(root.join(catalog)),
        (None, None, None) => Source::Folder(root.to_path_buf()),
    }
}

/// Loads the releases that `current`'s book.toml names and compares them. One release at
/// a time (each load is parallel in itself), keeping only its items: a release's whole
/// model is never in memory beside another's. A release that cannot be read is an error
/// at its `[[releases]]` line.
pub fn load_history(root: &Path, current: &Framework) -> Result<History, Vec<Diagnostic>> {
    let releases = &current.config.releases;
    if releases.is_empty() {
        return Ok(History::default());
    }
    let mut versions: Vec<(String, Vec<SharedItem>)> = Vec::with_capacity(releases.len());
    let mut errors = Vec::new();
    for (n, release) in releases.iter().enumerate() {
        match load(&release_source(release, root)) {
            Ok(framework) => versions.push((release.version.clone(), items(&framework))),
            Err(err) => errors.push(
                Diagnostic::error("E0006", format!("release `{}`: {err}", release.version))
                    .at(release_span(root, n))
                    .help("check the release's `path`, `git` or `oscal` in book.toml"),
            ),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(History::build(
        versions,
        (current_version(&current.config), items(current)),
    ))
}

/// The line of the `n`th `[[releases]]` header of book.toml.
fn release_span(root: &Path, n: usize) -> Span {
    let text = std::fs::read_to_string(root.join(CONFIG_FILE)).unwrap_or_default();
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.trim_start().starts_with("[[releases]]"))
        .nth(n)
        .map_or_else(
            || Span::file(CONFIG_FILE),
            |(i, _)| Span::at(CONFIG_FILE, i + 1, 1),
        )
}

/// A version's name as a URL segment.
pub fn slug(version: &str) -> String {
    let slug: String = version
        .trim()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let slug = slug.trim_matches(|c| c == '.' || c == '-').to_string();
    if slug.is_empty() {
        "version".to_string()
    } else {
        slug
    }
}

impl History {
    /// Compares each version with the next (`releases` oldest first, then `current`).
    pub fn build(
        releases: Vec<(String, Vec<SharedItem>)>,
        current: (String, Vec<SharedItem>),
    ) -> History {
        let mut versions = releases;
        versions.push(current);
        let pairs: Vec<(usize, usize)> = (1..versions.len()).map(|i| (i - 1, i)).collect();
        let diffs: Vec<Diff> = pairs
            .par_iter()
            .map(|&(a, b)| super::compare::compare(&versions[a].1, &versions[b].1))
            .collect();
        let mut taken = HashSet::new();
        let steps: Vec<Step> = pairs
            .iter()
            .zip(diffs)
            .map(|(&(a, b), diff)| {
                let mut slug = slug(&versions[b].0);
                while !taken.insert(slug.clone()) {
                    slug.push('_');
                }
                Step {
                    version: versions[b].0.clone(),
                    previous: versions[a].0.clone(),
                    slug,
                    diff,
                }
            })
            .collect();
        let current_items = &versions.last().map(|v| &v.1[..]).unwrap_or(&[]);
        let mut history = History {
            steps,
            events: HashMap::new(),
            former_ids: Vec::new(),
        };
        history.events = history.item_events(current_items);
        history.former_ids = history.former(&versions, current_items);
        history
    }

    /// Each current item's changes, found by walking back from the last step.
    fn item_events(&self, current: &[SharedItem]) -> HashMap<String, Vec<Event>> {
        let by_new: Vec<HashMap<&str, usize>> = self
            .steps
            .iter()
            .map(|s| {
                s.diff
                    .entries
                    .iter()
                    .enumerate()
                    .filter_map(|(i, e)| e.new.as_ref().map(|n| (n.id.as_str(), i)))
                    .collect()
            })
            .collect();
        let mut events = HashMap::new();
        for item in current {
            let mut id = item.id.as_str();
            let mut found = Vec::new();
            for step in (0..self.steps.len()).rev() {
                let Some(&at) = by_new[step].get(id) else {
                    break;
                };
                let entry = &self.steps[step].diff.entries[at];
                if !entry.changes.is_empty() {
                    found.push(Event {
                        step,
                        id: id.to_string(),
                        changes: entry.changes.iter().map(Change::name).collect(),
                    });
                }
                match &entry.old {
                    Some(old) => id = old.id.as_str(),
                    None => break,
                }
            }
            if !found.is_empty() {
                found.reverse();
                events.insert(item.id.clone(), found);
            }
        }
        events
    }

    /// Ids of earlier versions that the project does not have, with where they went.
    fn former(
        &self,
        versions: &[(String, Vec<SharedItem>)],
        current: &[SharedItem],
    ) -> Vec<FormerId> {
        let current_ids: HashSet<&str> = current.iter().map(|i| i.id.as_str()).collect();
        let oscal_ids: HashMap<&str, &str> = current
            .iter()
            .map(|i| (i.oscal_id.as_str(), i.id.as_str()))
            .collect();
        let resolve = |id: &str| -> Option<String> {
            if current_ids.contains(id) {
                Some(id.to_string())
            } else {
                oscal_ids.get(id).map(|s| s.to_string())
            }
        };
        let by_old: Vec<HashMap<&str, usize>> = self
            .steps
            .iter()
            .map(|s| {
                s.diff
                    .entries
                    .iter()
                    .enumerate()
                    .filter_map(|(i, e)| e.old.as_ref().map(|o| (o.id.as_str(), i)))
                    .collect()
            })
            .collect();
        let mut seen = HashSet::new();
        let mut former = Vec::new();
        // Release `r` is the old side of step `r`.
        for (r, (_, items)) in versions.iter().enumerate().take(self.steps.len()) {
            for item in items {
                let id = item.id.as_str();
                if current_ids.contains(id) || !seen.insert(id.to_string()) {
                    continue;
                }
                if let Some(gone) = self.follow(id, r, &by_old, &resolve) {
                    former.push(gone);
                }
            }
        }
        former.sort_by(|a, b| a.id.cmp(&b.id));
        former
    }

    /// Follows an id forward from step `from` to where it went.
    fn follow(
        &self,
        id: &str,
        from: usize,
        by_old: &[HashMap<&str, usize>],
        resolve: &dyn Fn(&str) -> Option<String>,
    ) -> Option<FormerId> {
        let mut at_id = id.to_string();
        for (step, old_ids) in by_old.iter().enumerate().skip(from) {
            let found = &self.steps[step];
            let entry = &found.diff.entries[*old_ids.get(at_id.as_str())?];
            let version = &found.version;
            let Some(new) = &entry.new else {
                return Some(FormerId {
                    id: id.to_string(),
                    step,
                    note: format!("{id} was removed in {version}."),
                    target: None,
                });
            };
            if new.status() == Status::Withdrawn {
                let into: Vec<&String> = new
                    .life
                    .incorporated_into
                    .iter()
                    .chain(&new.life.moved_to)
                    .collect();
                let target = into.iter().find_map(|t| resolve(t));
                let note = if into.is_empty() {
                    format!("{id} was withdrawn in {version}.")
                } else {
                    let list: Vec<&str> = into.iter().map(|s| s.as_str()).collect();
                    format!(
                        "{id} was withdrawn in {version}: incorporated into {}.",
                        list.join(", ")
                    )
                };
                return Some(FormerId {
                    id: id.to_string(),
                    step,
                    note,
                    target,
                });
            }
            if new.id != at_id {
                let target = resolve(&new.id);
                if step + 1 == self.steps.len() || target.is_some() {
                    return Some(FormerId {
                        id: id.to_string(),
                        step,
                        note: format!("{id} became {} in {version}.", new.id),
                        target,
                    });
                }
                at_id = new.id.clone();
            }
        }
        None
    }

    /// The versions in which the item with this (current) id changed.
    pub fn changed_in(&self, id: &str) -> Vec<&str> {
        self.events
            .get(id)
            .into_iter()
            .flatten()
            .map(|e| self.steps[e.step].version.as_str())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::item::{Item, Lifecycle};
    use crate::model::Kind;

    fn item(id: &str, statement: &str, replaces: &[&str]) -> SharedItem {
        SharedItem::new(Item {
            id: id.into(),
            kind: Kind::Subcategory,
            title: String::new(),
            statement: statement.into(),
            parent: "P".into(),
            concept: "P".into(),
            citations: Default::default(),
            params: Default::default(),
            life: Lifecycle {
                replaces: replaces.iter().map(|s| s.to_string()).collect(),
                ..Lifecycle::default()
            },
            oscal_id: id.into(),
            position: 0,
        })
    }

    #[test]
    fn histories_follow_ids_across_releases() {
        let v1 = vec![item("A-1", "keep a list", &[]), item("GONE", "old", &[])];
        let v2 = vec![item("B-1", "keep a list", &["A-1"])];
        let v3 = vec![
            item("B-1", "keep a full list", &[]),
            item("NEW", "new", &[]),
        ];
        let history = History::build(vec![("1".into(), v1), ("2".into(), v2)], ("3".into(), v3));
        assert_eq!(history.steps.len(), 2);
        assert_eq!(history.steps[1].slug, "3");
        let events = &history.events["B-1"];
        assert_eq!(events.len(), 2);
        assert_eq!((events[0].step, events[0].id.as_str()), (0, "B-1"));
        assert_eq!(events[0].changes, ["renumbered"]);
        assert_eq!(events[1].changes, ["reworded"]);
        assert_eq!(history.changed_in("NEW"), ["3"]);
        assert!(history.changed_in("nothing").is_empty());
        let former: Vec<(&str, Option<&str>, &str)> = history
            .former_ids
            .iter()
            .map(|f| (f.id.as_str(), f.target.as_deref(), f.note.as_str()))
            .collect();
        assert_eq!(
            former,
            [
                ("A-1", Some("B-1"), "A-1 became B-1 in 2."),
                ("GONE", None, "GONE was removed in 2."),
            ]
        );
    }

    #[test]
    fn version_slugs_are_safe_path_segments() {
        assert_eq!(slug("1.0"), "1.0");
        assert_eq!(slug(" Rev 5 / final "), "Rev-5---final");
        assert_eq!(slug("../"), "version");
    }
}
