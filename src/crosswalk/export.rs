//! Crosswalk exports: every mapping as CSV (`crosswalk/mappings.csv`) and as an OSCAL 1.2
//! mapping collection (`oscal/mapping-collection.json`).

use serde_json::{json, Map, Value};
use uuid::Uuid;

use super::{Crosswalk, Mapping};
use crate::index::SiteIndex;
use crate::model::Framework;
use crate::oscal::{item_id, json, last_modified, uuid_namespace};
use crate::render::item_text;

/// The OSCAL version of the mapping collection.
pub const MAPPING_OSCAL_VERSION: &str = "1.2.0";

/// Every mapping of every crosswalk, one row each, with the derived inverse relationship.
pub fn mappings_csv(framework: &Framework, index: &SiteIndex) -> Vec<u8> {
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
    for crosswalk in &framework.crosswalks {
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
pub fn mapping_collection(framework: &Framework, index: &SiteIndex) -> Value {
    let namespace = uuid_namespace(framework);
    let uuid = |name: &str| Uuid::new_v5(&namespace, name.as_bytes()).to_string();
    let book = &framework.config.book;
    let mappings: Vec<Value> = framework
        .crosswalks
        .iter()
        .filter(|c| !c.mappings.is_empty())
        .map(|c| mapping(framework, index, c, &uuid))
        .collect();
    json!({
        "mapping-collection": {
            "uuid": uuid("mapping-collection"),
            "metadata": {
                "title": format!("Crosswalks of {}", book.title),
                "last-modified": last_modified(framework),
                "version": book.version.as_deref().unwrap_or("draft"),
                "oscal-version": MAPPING_OSCAL_VERSION,
            },
            "provenance": {
                "method": "human",
                "matching-rationale": main_rationale(&framework.crosswalks),
                "status": "draft",
                "mapping-description": format!(
                    "Set-theory relationship mappings (NIST IR 8477) from {} to other frameworks.",
                    book.title
                ),
            },
            "mappings": mappings,
        }
    })
}

/// The mapping collection as pretty-printed bytes.
pub fn mapping_collection_json(framework: &Framework, index: &SiteIndex) -> Vec<u8> {
    json::document(&mapping_collection(framework, index))
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
    let mut out = Map::new();
    out.insert("uuid".into(), json!(uuid));
    if let Some(rationale) = mapping.rationale {
        out.insert("matching-rationale".into(), json!(rationale.name()));
    }
    out.insert("relationship".into(), json!(mapping.relationship.name()));
    out.insert(
        "sources".into(),
        json!([{ "type": "control", "id-ref": source }]),
    );
    out.insert(
        "targets".into(),
        json!([{ "type": "control", "id-ref": mapping.target }]),
    );
    if let Some(strength) = mapping.strength {
        out.insert(
            "props".into(),
            json!([{ "name": "strength", "value": strength.to_string() }]),
        );
    }
    if let Some(comment) = mapping.comment.as_deref().filter(|c| !c.trim().is_empty()) {
        out.insert("remarks".into(), json!(comment.trim()));
    }
    Value::Object(out)
}
