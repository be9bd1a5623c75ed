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
        SiteIndex {
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
