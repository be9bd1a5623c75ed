//! Mapping exports of the crosswalks: every mapping as CSV (`crosswalk/mappings.csv`) and as an OSCAL 1.2
//! mapping collection (`oscal/mapping-collection.json`).

use serde_json::{json, Map, Value};
use uuid::Uuid;

use crate::crosswalk::{Crosswalk, Mapping};
use crate::index::SiteIndex;
use crate::model::item_text;
use crate::model::Framework;
use crate::oscal::{item_id, json, last_modified, uuid_namespace};

/// The OSCAL version of the mapping collection.
pub const MAPPING_OSCAL_VERSION: &str = "1.2.0";

/// Every mapping of every crosswalk, one row each, with the derived inverse relationship.
pub fn mappings_csv(framework: &Framework, crosswalks: &[Crosswalk], index: &SiteIndex) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    let _ = writer.write_record([
        "crosswalk",
        "source",
        "source_title",
        "relationship",
        "target",
        "target_title",
        "inverse",
        "rationale",
        "strength",
        "comment",
    ]);
    for crosswalk in crosswalks {
        for mapping in &crosswalk.mappings {
            let source_title = index
                .node(&mapping.source)
                .map_or_else(String::new, |n| item_text(&framework.nodes[n]));
            let target_title = crosswalk
                .target
                .item(&mapping.target)
                .and_then(|i| i.title.as_deref())
                .unwrap_or("");
            let _ = writer.write_record([
                crosswalk.name.as_str(),
                &mapping.source,
                &source_title,
                mapping.relationship.name(),
                &mapping.target,
                target_title,
                mapping.relationship.inverse().name(),
                mapping.rationale.map_or("", |r| r.name()),
                &mapping.strength.map(|s| s.to_string()).unwrap_or_default(),
                mapping.comment.as_deref().unwrap_or(""),
            ]);
        }
    }
    writer.into_inner().unwrap_or_default()
}

/// The OSCAL mapping collection as JSON data: one `mapping` per crosswalk.
pub fn mapping_collection(
    framework: &Framework,
    crosswalks: &[Crosswalk],
    index: &SiteIndex,
) -> Value {
    let namespace = uuid_namespace(framework);
    let uuid = |name: &str| Uuid::new_v5(&namespace, name.as_bytes()).to_string();
    let book = &framework.config.book;
    let mappings: Vec<Value> = crosswalks
        .iter()
        .filter(|c| !c.mappings.is_empty())
        .map(|c| mapping(framework, index, c, &uuid))
        .collect();
    collection(Collection {
        uuid: uuid("mapping-collection"),
        title: format!("Crosswalks of {}", book.title),
        last_modified: last_modified(framework),
        version: book.version.as_deref().unwrap_or("draft"),
        rationale: main_rationale(crosswalks),
        description: format!(
            "Set-theory relationship mappings (NIST IR 8477) from {} to other frameworks.",
            book.title
        ),
        mappings,
    })
}

/// The parts of a mapping collection that differ from one collection to another.
pub struct Collection<'a> {
    /// The collection's UUID.
    pub uuid: String,
    /// `metadata.title`.
    pub title: String,
    /// `metadata.last-modified`.
    pub last_modified: String,
    /// `metadata.version`.
    pub version: &'a str,
    /// `provenance.matching-rationale`: `syntactic`, `semantic` or `functional`.
    pub rationale: &'a str,
    /// `provenance.mapping-description`.
    pub description: String,
    /// The `mapping` objects (see [`map`]).
    pub mappings: Vec<Value>,
}

/// An OSCAL 1.2 mapping collection (the one writer of them: crosswalks and version
/// comparisons both use it).
pub fn collection(parts: Collection) -> Value {
    json!({
        "mapping-collection": {
            "uuid": parts.uuid,
            "metadata": {
                "title": parts.title,
                "last-modified": parts.last_modified,
                "version": parts.version,
                "oscal-version": MAPPING_OSCAL_VERSION,
            },
            "provenance": {
                "method": "human",
                "matching-rationale": parts.rationale,
                "status": "draft",
                "mapping-description": parts.description,
            },
            "mappings": parts.mappings,
        }
    })
}

/// The mapping collection as pretty-printed bytes.
pub fn mapping_collection_json(
    framework: &Framework,
    crosswalks: &[Crosswalk],
    index: &SiteIndex,
) -> Vec<u8> {
    json::document(&mapping_collection(framework, crosswalks, index))
}

/// The rationale most mappings give (`semantic` when none does).
fn main_rationale(crosswalks: &[Crosswalk]) -> &'static str {
    let mut counts = [0usize; 3];
    let names = ["syntactic", "semantic", "functional"];
    for mapping in crosswalks.iter().flat_map(|c| &c.mappings) {
        if let Some(rationale) = mapping.rationale {
            let at = names
                .iter()
                .position(|n| *n == rationale.name())
                .unwrap_or(1);
            counts[at] += 1;
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], i == 1)).unwrap_or(1);
    names[best]
}

fn mapping(
    framework: &Framework,
    index: &SiteIndex,
    crosswalk: &Crosswalk,
    uuid: &dyn Fn(&str) -> String,
) -> Value {
    let target = &crosswalk.target;
    let target_type = if target.format == "OSCAL catalog" {
        "catalog"
    } else {
        "framework"
    };
    let maps: Vec<Value> = crosswalk
        .mappings
        .iter()
        .enumerate()
        .map(|(n, m)| {
            map(
                framework,
                index,
                m,
                &uuid(&format!("map:{}:{n}", crosswalk.name)),
            )
        })
        .collect();
    let mut out = Map::new();
    out.insert(
        "uuid".into(),
        json!(uuid(&format!("mapping:{}", crosswalk.name))),
    );
    out.insert(
        "source-resource".into(),
        json!({ "type": "catalog", "href": "catalog.json", "remarks": framework.config.book.title }),
    );
    out.insert(
        "target-resource".into(),
        json!({ "type": target_type, "href": target.path, "remarks": target.title }),
    );
    out.insert("maps".into(), Value::Array(maps));
    let description = crosswalk.description.as_deref().unwrap_or(&crosswalk.title);
    out.insert("mapping-description".into(), json!(description));
    Value::Object(out)
}

fn map(framework: &Framework, index: &SiteIndex, mapping: &Mapping, uuid: &str) -> Value {
    let source = index
        .node(&mapping.source)
        .map_or_else(|| mapping.source.clone(), |n| item_id(&framework.nodes[n]));
    let props: Vec<(&str, String)> = mapping
        .strength
        .map(|s| ("strength", s.to_string()))
        .into_iter()
        .collect();
    map_entry(MapEntry {
        uuid,
        rationale: mapping.rationale.map(|r| r.name()),
        relationship: mapping.relationship.name(),
        source: &source,
        target: &mapping.target,
        props: &props,
        remarks: mapping.comment.as_deref(),
    })
}

/// One `map` of a mapping: a source control, a relationship, a target control.
pub struct MapEntry<'a> {
    /// The map's UUID.
    pub uuid: &'a str,
    /// `matching-rationale`, when known.
    pub rationale: Option<&'a str>,
    /// The NIST IR 8477 relationship (`equivalent-to`, `subset-of`, …).
    pub relationship: &'a str,
    /// The source control's id.
    pub source: &'a str,
    /// The target control's id.
    pub target: &'a str,
    /// Properties (`name`, `value`).
    pub props: &'a [(&'a str, String)],
    /// Remarks (left out when blank).
    pub remarks: Option<&'a str>,
}

/// The JSON of one `map`.
pub fn map_entry(entry: MapEntry) -> Value {
    let mut out = Map::new();
    out.insert("uuid".into(), json!(entry.uuid));
    if let Some(rationale) = entry.rationale {
        out.insert("matching-rationale".into(), json!(rationale));
    }
    out.insert("relationship".into(), json!(entry.relationship));
    out.insert(
        "sources".into(),
        json!([{ "type": "control", "id-ref": entry.source }]),
    );
    out.insert(
        "targets".into(),
        json!([{ "type": "control", "id-ref": entry.target }]),
    );
    if !entry.props.is_empty() {
        let props: Vec<Value> = entry
            .props
            .iter()
            .map(|(name, value)| json!({ "name": name, "value": value }))
            .collect();
        out.insert("props".into(), Value::Array(props));
    }
    if let Some(remarks) = entry.remarks.filter(|c| !c.trim().is_empty()) {
        out.insert("remarks".into(), json!(remarks.trim()));
    }
    Value::Object(out)
}
