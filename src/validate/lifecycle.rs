//! The publisher's metadata of items: `status:`, where withdrawn items went
//! (`incorporated-into`, `moved-to`, `withdrawn-to`), `label:` and `params:`.

use crate::diagnostics::{Diagnostic, Span};
use crate::index::SiteIndex;
use crate::model::{Framework, Node, Relation, Status};

/// Reports unknown statuses (E0054), links from withdrawn items to unknown ids (E0055),
/// and labels, parameters and targets of the wrong shape (E0056).
pub fn check(framework: &Framework, index: &SiteIndex, out: &mut Vec<Diagnostic>) {
    for node in &framework.nodes {
        check_status(node, out);
        check_targets(node, index, out);
        check_shapes(node, out);
    }
}

/// Where an extra key is written, else where the node is.
fn place(node: &Node, key: &str) -> Span {
    node.extra_spans
        .get(key)
        .cloned()
        .unwrap_or_else(|| node.span.clone())
}

fn check_status(node: &Node, out: &mut Vec<Diagnostic>) {
    let Some(value) = node.extra.get("status") else {
        return;
    };
    let known = value.as_str().and_then(Status::parse).is_some();
    if !known {
        let shown = value
            .as_str()
            .map_or_else(|| value.to_string(), str::to_string);
        out.push(
            Diagnostic::error("E0054", format!("unknown status `{shown}`"))
                .at(place(node, "status"))
                .help(format!("use one of: {}", Status::NAMES.join(", "))),
        );
    }
}

fn check_targets(node: &Node, index: &SiteIndex, out: &mut Vec<Diagnostic>) {
    for replacement in node.replaced_by() {
        if index.target(replacement.target).is_none() {
            let key = replacement.relation.key();
            out.push(
                Diagnostic::error(
                    "E0055",
                    format!("`{key}` names unknown id `{}`", replacement.target),
                )
                .at(place(node, key))
                .help("name the id of an item, or of a part listed in an item's `parts:`"),
            );
        }
    }
}

fn check_shapes(node: &Node, out: &mut Vec<Diagnostic>) {
    let mut wrong = |key: &str, what: &str| {
        out.push(
            Diagnostic::error("E0056", format!("`{key}` must be {what}")).at(place(node, key)),
        );
    };
    if node.extra.get("label").is_some_and(|v| !v.is_string()) {
        wrong("label", "text");
    }
    for relation in Relation::ALL {
        let key = relation.key();
        let fine = match node.extra.get(key) {
            None | Some(serde_json::Value::String(_)) => true,
            Some(serde_json::Value::Array(list)) => list.iter().all(|v| v.is_string()),
            Some(_) => false,
        };
        if !fine {
            wrong(key, "an id or a list of ids");
        }
    }
    match node.extra.get("params") {
        None => {}
        Some(serde_json::Value::Array(list)) => {
            let bad = list
                .iter()
                .any(|p| p.get("id").and_then(|v| v.as_str()).is_none());
            if bad {
                wrong("params", "a list of mappings, each with an `id`");
            }
        }
        Some(_) => wrong("params", "a list of mappings, each with an `id`"),
    }
}
