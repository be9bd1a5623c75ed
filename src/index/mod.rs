//! Index: read-only views derived from the model that rendering and exports need:
//! ids to nodes, every node's URL, page order, and the reference index.

pub mod references;
pub mod search;

use std::collections::HashMap;

use crate::model::{Framework, Kind};
pub use references::{natural_cmp, ClauseEntry, DocumentEntry, ReferenceIndex, SeriesEntry};

/// Everything derived from the model that is not stored in a node.
#[derive(Debug, Clone)]
pub struct SiteIndex {
    /// Id to node index (the first node with that id, when duplicated).
    pub ids: HashMap<String, usize>,
    /// Each node's URL relative to the site root: `identify/` or `identify/asset-management/#ID.AM-01`.
    pub urls: Vec<String>,
    /// For each node, the node whose page shows it (itself when it has a page).
    pub page_of: Vec<usize>,
    /// Nodes with a page of their own, in reading order.
    pub pages: Vec<usize>,
    /// Position of each page node in `pages`.
    pub page_position: HashMap<usize, usize>,
    /// Cited series, documents and clauses, with the nodes citing them.
    pub references: ReferenceIndex,
    /// Ids that name a part of an item (`ac-2_smt.k`, from `parts:`) or an item by its
    /// `oscal-id`, with the item and the part's label: where a withdrawn item's
    /// `incorporated-into` may point.
    pub part_ids: HashMap<String, PartTarget>,
    /// Label to node, for labels that are not also some node's id (`AC-2(1)`).
    pub labels: HashMap<String, usize>,
}

/// An id that names a part of an item, or an item by another name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartTarget {
    /// The item.
    pub node: usize,
    /// The part's label (`k.`), when it is a labelled part.
    pub label: Option<String>,
}

impl SiteIndex {
    /// Builds the index of a framework.
    pub fn build(framework: &Framework) -> SiteIndex {
        // The reference index is the larger half: build it beside the rest.
        let (mut index, references) = rayon::join(
            || SiteIndex::build_nodes(framework),
            || ReferenceIndex::build(framework),
        );
        index.references = references;
        index
    }

    /// Everything but the reference index.
    fn build_nodes(framework: &Framework) -> SiteIndex {
        let nodes = &framework.nodes;
        let mut ids = HashMap::with_capacity(nodes.len());
        for (index, node) in nodes.iter().enumerate() {
            if !node.id.is_empty() {
                ids.entry(node.id.clone()).or_insert(index);
            }
        }
        let mut urls = vec![String::new(); nodes.len()];
        let mut page_of = vec![0; nodes.len()];
        // Parents come before children, so one forward pass sees every parent first.
        for (index, node) in nodes.iter().enumerate() {
            let Some(parent) = node.parent else { continue };
            let parent_page = page_of[parent];
            let page_dir = &urls[parent_page];
            if node.has_page {
                urls[index] = format!("{page_dir}{}/", node.slug);
                page_of[index] = index;
            } else {
                urls[index] = format!("{page_dir}#{}", node.id);
                page_of[index] = parent_page;
            }
        }
        let pages: Vec<usize> = framework
            .site_order()
            .into_iter()
            .filter(|&i| nodes[i].has_page)
            .collect();
        let page_position = pages.iter().enumerate().map(|(pos, &i)| (i, pos)).collect();
        let (part_ids, labels) = other_names(framework, &ids);
        SiteIndex {
            part_ids,
            labels,
            ids,
            urls,
            page_of,
            pages,
            page_position,
            references: ReferenceIndex::default(),
        }
    }

    /// The node with this id.
    pub fn node(&self, id: &str) -> Option<usize> {
        self.ids.get(id).copied()
    }

    /// Where a link from a withdrawn item points: an item by id, else a part of one (or an
    /// item by its `oscal-id`), with the part's label, else an item by its label.
    pub fn target(&self, id: &str) -> Option<PartTarget> {
        let by_label = || {
            self.labels
                .get(id)
                .map(|&node| PartTarget { node, label: None })
        };
        match self.node(id) {
            Some(node) => Some(PartTarget { node, label: None }),
            None => self.part_ids.get(id).cloned().or_else(by_label),
        }
    }

    /// The concepts (children of the root that are concepts, or all of them when none is).
    pub fn concepts(framework: &Framework) -> Vec<usize> {
        let children = &framework.root().children;
        let concepts: Vec<usize> = children
            .iter()
            .copied()
            .filter(|&i| framework.nodes[i].kind == Kind::Concept)
            .collect();
        if concepts.is_empty() {
            children.clone()
        } else {
            concepts
        }
    }

    /// The previous and next pages of a page node, in reading order.
    pub fn neighbours(&self, node: usize) -> (Option<usize>, Option<usize>) {
        let Some(&pos) = self.page_position.get(&node) else {
            return (None, None);
        };
        let prev = pos.checked_sub(1).map(|p| self.pages[p]);
        let next = self.pages.get(pos + 1).copied();
        (prev, next)
    }
}

/// The ids of parts (and `oscal-id`s) and the labels of the framework, each with its node;
/// names that are already some node's id are left out (the id wins).
fn other_names(
    framework: &Framework,
    ids: &HashMap<String, usize>,
) -> (HashMap<String, PartTarget>, HashMap<String, usize>) {
    let mut parts = HashMap::new();
    let mut labels = HashMap::new();
    for (index, node) in framework.nodes.iter().enumerate() {
        if let Some(label) = node.label().filter(|l| !ids.contains_key(*l)) {
            labels.entry(label.to_string()).or_insert(index);
        }
        if let Some(oscal_id) = node.extra.get("oscal-id").and_then(|v| v.as_str()) {
            if !oscal_id.is_empty() && !ids.contains_key(oscal_id) {
                let target = PartTarget {
                    node: index,
                    label: None,
                };
                parts.entry(oscal_id.to_string()).or_insert(target);
            }
        }
        let mut stack: Vec<&serde_json::Value> = node.parts().iter().collect();
        while let Some(part) = stack.pop() {
            if let Some(id) = part.get("id").and_then(|v| v.as_str()) {
                if !ids.contains_key(id) {
                    let target = PartTarget {
                        node: index,
                        label: part_label(part),
                    };
                    parts.entry(id.to_string()).or_insert(target);
                }
            }
            if let Some(serde_json::Value::Array(children)) = part.get("parts") {
                stack.extend(children);
            }
        }
    }
    (parts, labels)
}

/// The `label` prop of a part (OSCAL's shape: `props: [{name: label, value: k.}]`).
pub fn part_label(part: &serde_json::Value) -> Option<String> {
    part.get("props")?
        .as_array()?
        .iter()
        .find(|p| p.get("name").and_then(|n| n.as_str()) == Some("label"))
        .and_then(|p| p.get("value")?.as_str())
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
}
