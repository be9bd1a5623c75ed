//! What changed between two versions of a framework, as an OSCAL 1.2 mapping collection
//! (`framewright diff --format oscal-mapping`), written by the crosswalks' mapping writer.

use serde_json::{json, Value};

use super::mapping::{collection, map_entry, Collection, MapEntry};
use crate::diff::compare::withdrawn_targets;
use crate::diff::report::describe;
use crate::diff::{Diff, Status, VersionName};
use crate::oscal::{is_token, to_token, DEFAULT_LAST_MODIFIED};

/// The comparison as an OSCAL 1.2 mapping collection from the old version to the new one
/// (written by the crosswalks' mapping writer). Each item of the old version that lives on
/// maps to what holds it now: `equivalent-to` when its title, statement and parameters are
/// the same, `intersects-with` when they changed, `subset-of` the items a withdrawn one was
/// incorporated into. Removed and added items have no counterpart and no map.
pub fn changes_mapping(diff: &Diff, old: &VersionName, new: &VersionName) -> Value {
    let namespace = uuid::Uuid::new_v5(
        &uuid::Uuid::NAMESPACE_URL,
        format!(
            "framewright:diff:{}:{}:{}",
            new.title, old.version, new.version
        )
        .as_bytes(),
    );
    let uuid = |name: &str| uuid::Uuid::new_v5(&namespace, name.as_bytes()).to_string();
    let token = |id: &str| {
        if is_token(id) {
            id.to_string()
        } else {
            to_token(id)
        }
    };
    let mut maps = Vec::new();
    for entry in &diff.entries {
        let Some(from) = &entry.old else { continue };
        let source = token(&from.oscal_id);
        let remarks: Vec<String> = entry.changes.iter().map(describe).collect();
        let remarks = remarks.join("; ");
        let mut targets: Vec<(String, &str)> = Vec::new();
        match &entry.new {
            Some(to) if to.status() == Status::Withdrawn && from.status() != to.status() => {
                for id in withdrawn_targets(to) {
                    targets.push((token(&id), "subset-of"));
                }
            }
            Some(to) => {
                let same = ["renamed", "reworded", "parameters"]
                    .iter()
                    .all(|kind| entry.change(kind).is_none());
                let relationship = if same {
                    "equivalent-to"
                } else {
                    "intersects-with"
                };
                targets.push((token(&to.oscal_id), relationship));
            }
            None => {}
        }
        for (target, relationship) in targets {
            maps.push(map_entry(MapEntry {
                uuid: &uuid(&format!("map:{}:{target}", from.id)),
                rationale: Some("semantic"),
                relationship,
                source: &source,
                target: &target,
                props: &[],
                remarks: Some(&remarks),
            }));
        }
    }
    let resource = |v: &VersionName| json!({ "type": "catalog", "href": v.source, "remarks": format!("{} {}", v.title, v.version) });
    let mapping = json!({
        "uuid": uuid("mapping"),
        "source-resource": resource(old),
        "target-resource": resource(new),
        "maps": maps,
        "mapping-description": format!("{} {} to {}: each item of {} and what holds it in {}.",
            new.title, old.version, new.version, old.version, new.version),
    });
    collection(Collection {
        uuid: uuid("mapping-collection"),
        title: format!("{}: {} to {}", new.title, old.version, new.version),
        last_modified: DEFAULT_LAST_MODIFIED.to_string(),
        version: &new.version,
        rationale: "semantic",
        description: format!(
            "Set-theory relationship mappings (NIST IR 8477) from version {} of {} to version {}.",
            old.version, new.title, new.version
        ),
        mappings: vec![mapping],
    })
}
