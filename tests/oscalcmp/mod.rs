//! Compares two OSCAL catalogs (JSON) field by field, the way `oscalcmp.py` of the
//! project's reference tools does: every group and control (kind, parent, order, title,
//! class, props, links, params, the part tree with prose), back-matter resources by UUID
//! (title, citation, links) and metadata (title, version, published; the number of roles,
//! parties, responsible parties, props and links). Timestamps, `oscal-version` and the
//! catalog's UUID are not compared; text is compared with runs of white space as one
//! space; props and links are compared as sets.

use std::collections::BTreeMap;

use serde_json::Value;

/// The fields that differ, each with a few examples; empty when the catalogs agree.
pub fn differences(a: &Value, b: &Value) -> BTreeMap<String, Vec<String>> {
    let (a, b) = (&a["catalog"], &b["catalog"]);
    let mut diffs: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut add = |field: &str, detail: String| diffs.entry(field.into()).or_default().push(detail);
    let (na, nb) = (nodes(a), nodes(b));
    let ids_a: Vec<&String> = na.iter().map(|n| &n.0).collect();
    let ids_b: Vec<&String> = nb.iter().map(|n| &n.0).collect();
    for id in &ids_a {
        if !ids_b.contains(id) {
            add("nodes missing", id.to_string());
        }
    }
    for id in &ids_b {
        if !ids_a.contains(id) {
            add("nodes added", id.to_string());
        }
    }
    let common_a: Vec<&&String> = ids_a.iter().filter(|i| ids_b.contains(i)).collect();
    let common_b: Vec<&&String> = ids_b.iter().filter(|i| ids_a.contains(i)).collect();
    if common_a != common_b {
        add("node order", "order differs".into());
    }
    let by_id: BTreeMap<&String, &(String, &str, Option<String>, &Value)> =
        nb.iter().map(|n| (&n.0, n)).collect();
    for (id, kind, parent, n) in &na {
        let Some((_, kb, pb, m)) = by_id.get(id).map(|x| (*x).clone()) else {
            continue;
        };
        let checks: [(&str, Value, Value); 8] = [
            ("kind", (*kind).into(), kb.into()),
            ("parent", parent.clone().into(), pb.clone().into()),
            ("title", ws(&n["title"]).into(), ws(&m["title"]).into()),
            ("class", text(&n["class"]).into(), text(&m["class"]).into()),
            ("props", props(&n["props"]), props(&m["props"])),
            ("links", links(&n["links"]), links(&m["links"])),
            ("params", params(&n["params"]), params(&m["params"])),
            ("parts", parts(&n["parts"]), parts(&m["parts"])),
        ];
        for (field, x, y) in checks {
            if x != y {
                add(field, format!("{id}: {x} ≠ {y}"));
            }
        }
    }
    let resources = |c: &Value| -> BTreeMap<String, Value> {
        c["back-matter"]["resources"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|r| (text(&r["uuid"]), r.clone()))
            .collect()
    };
    let (ra, rb) = (resources(a), resources(b));
    let kept = ra.keys().filter(|u| rb.contains_key(*u)).count();
    if kept != ra.len() {
        add("back-matter uuids", format!("{kept}/{} kept", ra.len()));
    }
    for (uuid, x) in &ra {
        let Some(y) = rb.get(uuid) else { continue };
        let summary = |r: &Value| {
            let mut hrefs: Vec<String> = list(&r["rlinks"]).map(|l| text(&l["href"])).collect();
            hrefs.sort();
            (ws(&r["title"]), ws(&r["citation"]["text"]), hrefs)
        };
        if summary(x) != summary(y) {
            add(
                "back-matter content",
                format!("{uuid}: {:?} ≠ {:?}", summary(x), summary(y)),
            );
        }
    }
    let (ma, mb) = (&a["metadata"], &b["metadata"]);
    for key in ["title", "version", "published"] {
        if ws(&ma[key]) != ws(&mb[key]) {
            add(
                &format!("metadata {key}"),
                format!("{} ≠ {}", ma[key], mb[key]),
            );
        }
    }
    for key in ["roles", "parties", "responsible-parties", "props", "links"] {
        let (x, y) = (list(&ma[key]).count(), list(&mb[key]).count());
        if x != y {
            add(&format!("metadata {key}"), format!("{x} ≠ {y}"));
        }
    }
    diffs
}

/// Every group and control in document order: id, kind, parent id, the object.
fn nodes(catalog: &Value) -> Vec<(String, &'static str, Option<String>, &Value)> {
    fn walk<'v>(
        container: &'v Value,
        parent: Option<&str>,
        out: &mut Vec<(String, &'static str, Option<String>, &'v Value)>,
    ) {
        for (key, kind) in [("groups", "group"), ("controls", "control")] {
            for node in list(&container[key]) {
                let id = text(&node["id"]);
                out.push((id.clone(), kind, parent.map(str::to_string), node));
                walk(node, Some(&id), out);
            }
        }
    }
    let mut out = Vec::new();
    walk(catalog, None, &mut out);
    out
}

fn list(value: &Value) -> impl Iterator<Item = &Value> {
    value.as_array().into_iter().flatten()
}

fn text(value: &Value) -> String {
    value.as_str().unwrap_or("").to_string()
}

fn ws(value: &Value) -> String {
    value
        .as_str()
        .unwrap_or("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn props(value: &Value) -> Value {
    let mut out: Vec<Value> = list(value)
        .map(|p| {
            serde_json::json!([
                text(&p["name"]),
                text(&p["value"]),
                text(&p["ns"]),
                text(&p["class"]),
                text(&p["remarks"]).trim()
            ])
        })
        .collect();
    out.sort_by_key(|v| v.to_string());
    Value::Array(out)
}

fn links(value: &Value) -> Value {
    let mut out: Vec<Value> = list(value)
        .map(|l| {
            serde_json::json!([
                text(&l["href"]),
                text(&l["rel"]),
                text(&l["media-type"]),
                text(&l["text"]).trim()
            ])
        })
        .collect();
    out.sort_by_key(|v| v.to_string());
    Value::Array(out)
}

fn parts(value: &Value) -> Value {
    Value::Array(
        list(value)
            .map(|p| {
                serde_json::json!([
                    text(&p["name"]),
                    text(&p["id"]),
                    ws(&p["title"]),
                    ws(&p["prose"]),
                    props(&p["props"]),
                    links(&p["links"]),
                    parts(&p["parts"])
                ])
            })
            .collect(),
    )
}

fn params(value: &Value) -> Value {
    Value::Array(
        list(value)
            .map(|p| {
                let select = &p["select"];
                serde_json::json!([
                    text(&p["id"]),
                    ws(&p["label"]),
                    ws(&p["usage"]),
                    text(&p["class"]),
                    p["values"].clone(),
                    text(&select["how-many"]),
                    list(&select["choice"]).map(ws).collect::<Vec<_>>(),
                    list(&p["guidelines"])
                        .map(|g| ws(&g["prose"]))
                        .collect::<Vec<_>>(),
                    props(&p["props"]),
                    links(&p["links"]),
                    list(&p["constraints"])
                        .map(|c| ws(&c["description"]))
                        .collect::<Vec<_>>()
                ])
            })
            .collect(),
    )
}
