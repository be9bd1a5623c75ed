//! Crosswalk pages (`crosswalk/` and `crosswalk/<name>/`) and the "maps to" cell of item rows.

use std::collections::HashMap;
use std::fmt::Write;

use serde::Serialize;

use super::{relative_url, Page, PageKind, Renderer};
use crate::crosswalk::{Crosswalk, Mapping, Relationship};
use crate::diagnostics::Diagnostic;
use crate::html::escape;
use crate::markdown::{self, Origin};
use crate::model::{item_text, Framework};

/// The key of the "maps to" column.
pub const MAPPINGS_COLUMN: &str = "mappings";

/// One side of a mapping, for templates.
#[derive(Debug, Serialize)]
struct ItemView {
    id: String,
    title: String,
    href: Option<String>,
}

#[derive(Debug, Serialize)]
struct RelationshipView {
    name: &'static str,
    label: &'static str,
}

impl From<Relationship> for RelationshipView {
    fn from(relationship: Relationship) -> RelationshipView {
        RelationshipView {
            name: relationship.name(),
            label: relationship.label(),
        }
    }
}

/// One row of a crosswalk table: `from` relates to `to`.
#[derive(Debug, Serialize)]
struct RowView {
    /// Element id of the first row of each `from` item.
    anchor: Option<String>,
    from: ItemView,
    relationship: RelationshipView,
    to: ItemView,
    /// `syntactic`, `semantic`, `functional` or empty.
    rationale: &'static str,
    /// `0` to `10`, or empty.
    strength: String,
    comment: Option<String>,
}

/// Our mappings under one concept.
#[derive(Debug, Serialize)]
struct SectionView {
    concept: ItemView,
    rows: Vec<RowView>,
}

impl Renderer<'_> {
    /// The crosswalk pages, when the project has mapping files.
    pub(super) fn crosswalk_pages(&self) -> Vec<Page> {
        let crosswalks = self.crosswalks;
        if crosswalks.is_empty() {
            return Vec::new();
        }
        let mut pages = vec![Page {
            path: "crosswalk/index.html".into(),
            kind: PageKind::CrosswalkIndex,
        }];
        pages.extend(crosswalks.iter().enumerate().map(|(c, crosswalk)| Page {
            path: format!("crosswalk/{}/index.html", crosswalk.slug),
            kind: PageKind::Crosswalk(c),
        }));
        pages
    }

    pub(super) fn render_crosswalk_index(&self, page: &Page) -> Result<String, Diagnostic> {
        let dir = page.dir();
        let mut context = self.base_context(page, "Crosswalks");
        let entries: Vec<_> = self
            .crosswalks
            .iter()
            .map(|c| {
                serde_json::json!({
                    "title": c.title,
                    "href": relative_url(dir, &format!("crosswalk/{}/", c.slug)),
                    "target": c.target.title,
                    "mappings": c.mappings.len(),
                })
            })
            .collect();
        context.insert("crosswalks", &entries);
        context.insert("crosswalk", &None::<()>);
        context.insert("breadcrumbs", &vec![self.link(0, dir)]);
        self.run("crosswalk.html", &context)
    }

    pub(super) fn render_crosswalk(&self, page: &Page, c: usize) -> Result<String, Diagnostic> {
        let crosswalk = &self.crosswalks[c];
        let dir = page.dir();
        let mut context = self.base_context(page, &crosswalk.title);
        let description = crosswalk.description.as_deref().map(|text| {
            let origin = Origin {
                path: &crosswalk.source,
                line: 1,
                column: 1,
            };
            let unsafe_html = self.framework.config.build.unsafe_html;
            let options =
                markdown::MarkdownOptions::new(markdown::CodeBlocks::Highlight, unsafe_html);
            markdown::to_html_with(text, origin, options).html
        });
        context.insert(
            "crosswalk",
            &serde_json::json!({
                "title": crosswalk.title,
                "name": crosswalk.name,
                "description": description,
                "target": crosswalk.target.title,
                "target_format": crosswalk.target.format,
                "target_path": crosswalk.target.path,
                "mappings": crosswalk.mappings.len(),
                "csv": relative_url(dir, "crosswalk/mappings.csv"),
                "oscal": relative_url(dir, "oscal/mapping-collection.json"),
            }),
        );
        context.insert("forward", &self.forward_sections(crosswalk, dir));
        context.insert("inverse", &self.inverse_rows(crosswalk, dir));
        context.insert("crosswalks", &Vec::<()>::new());
        let mut crumbs = vec![self.link(0, dir)];
        crumbs[0].title = "Overview".into();
        crumbs.push(super::LinkView {
            id: String::new(),
            title: "Crosswalks".into(),
            url: relative_url(dir, "crosswalk/"),
        });
        context.insert("breadcrumbs", &crumbs);
        self.run("crosswalk.html", &context)
    }

    fn ours(&self, id: &str, dir: &str) -> ItemView {
        let node = self.index.node(id);
        ItemView {
            id: id.to_string(),
            title: node.map_or_else(String::new, |n| item_text(&self.framework.nodes[n])),
            href: node.map(|n| relative_url(dir, &self.index.urls[n])),
        }
    }

    fn theirs(crosswalk: &Crosswalk, id: &str) -> ItemView {
        let item = crosswalk.target.item(id);
        ItemView {
            id: id.to_string(),
            title: item.and_then(|i| i.title.clone()).unwrap_or_default(),
            href: crosswalk.target.href(id),
        }
    }

    /// Our items in site order, grouped by concept, each with its mappings.
    fn forward_sections(&self, crosswalk: &Crosswalk, dir: &str) -> Vec<SectionView> {
        let order = site_positions(self.framework);
        let mut mappings: Vec<&Mapping> = crosswalk.mappings.iter().collect();
        let position = |m: &Mapping| self.index.node(&m.source).map_or(usize::MAX, |n| order[n]);
        mappings.sort_by_key(|m| position(m));
        let mut sections: Vec<SectionView> = Vec::new();
        let mut previous: Option<&str> = None;
        for mapping in mappings {
            let concept = self.concept_of(&mapping.source);
            if sections.last().is_none_or(|s| s.concept.id != concept.id) {
                sections.push(SectionView {
                    concept,
                    rows: Vec::new(),
                });
            }
            let first = previous != Some(mapping.source.as_str());
            previous = Some(&mapping.source);
            let row = RowView {
                anchor: first.then(|| format!("from-{}", mapping.source)),
                from: self.ours(&mapping.source, dir),
                relationship: mapping.relationship.into(),
                to: Self::theirs(crosswalk, &mapping.target),
                rationale: mapping.rationale.map_or("", |r| r.name()),
                strength: mapping.strength.map(|s| s.to_string()).unwrap_or_default(),
                comment: mapping.comment.clone(),
            };
            if let Some(section) = sections.last_mut() {
                section.rows.push(row);
            }
        }
        sections
    }

    /// The other direction: their items in their order, with the inverse relationships.
    fn inverse_rows(&self, crosswalk: &Crosswalk, dir: &str) -> Vec<RowView> {
        let order = site_positions(self.framework);
        let mut mappings: Vec<&Mapping> = crosswalk.mappings.iter().collect();
        mappings.sort_by_key(|m| {
            let ours = self.index.node(&m.source).map_or(usize::MAX, |n| order[n]);
            (crosswalk.target.position(&m.target), ours)
        });
        let mut previous: Option<&str> = None;
        mappings
            .into_iter()
            .map(|mapping| {
                let first = previous != Some(mapping.target.as_str());
                previous = Some(&mapping.target);
                RowView {
                    anchor: first.then(|| format!("to-{}", mapping.target)),
                    from: Self::theirs(crosswalk, &mapping.target),
                    relationship: mapping.relationship.inverse().into(),
                    to: self.ours(&mapping.source, dir),
                    rationale: mapping.rationale.map_or("", |r| r.name()),
                    strength: mapping.strength.map(|s| s.to_string()).unwrap_or_default(),
                    comment: mapping.comment.clone(),
                }
            })
            .collect()
    }

    /// The concept above one of our items (as a link), or the item itself at the top.
    fn concept_of(&self, id: &str) -> ItemView {
        let Some(mut node) = self.index.node(id) else {
            return ItemView {
                id: String::new(),
                title: "Unknown items".into(),
                href: None,
            };
        };
        while let Some(parent) = self.framework.nodes[node].parent.filter(|&p| p != 0) {
            node = parent;
        }
        let concept = &self.framework.nodes[node];
        ItemView {
            id: concept.id.clone(),
            title: concept.title_or_id().to_string(),
            href: None,
        }
    }
}

/// Each node's position in site order.
fn site_positions(framework: &Framework) -> Vec<usize> {
    let mut positions = vec![0; framework.nodes.len()];
    for (position, node) in framework.site_order().into_iter().enumerate() {
        positions[node] = position;
    }
    positions
}

/// The "maps to" cell of an item: each mapping's relationship and the item it maps to,
/// linked to the crosswalk page.
pub fn mappings_cell(crosswalks: &[Crosswalk], id: &str, dir: &str) -> String {
    let mut items = String::new();
    for crosswalk in crosswalks {
        for mapping in crosswalk.from_item(id) {
            let target = crosswalk.target.item(&mapping.target);
            let title = target.and_then(|t| t.title.as_deref()).unwrap_or("");
            let href = relative_url(dir, &format!("crosswalk/{}/#from-{id}", crosswalk.slug));
            let _ = write!(
                items,
                "<li><span class=\"strm strm-{}\">{}</span> <a href=\"{}\" title=\"{}\">{}</a></li>",
                mapping.relationship.name(),
                mapping.relationship.label(),
                escape(&href),
                escape(&format!("{}: {title}", crosswalk.target.title)),
                escape(&mapping.target),
            );
        }
    }
    if items.is_empty() {
        items
    } else {
        format!("<ul class=\"mappings\">{items}</ul>")
    }
}

/// True when any of these items has a mapping.
pub fn any_mapped<'a>(crosswalks: &[Crosswalk], mut ids: impl Iterator<Item = &'a str>) -> bool {
    if crosswalks.is_empty() {
        return false;
    }
    let sources: HashMap<&str, ()> = crosswalks
        .iter()
        .flat_map(|c| c.mappings.iter().map(|m| (m.source.as_str(), ())))
        .collect();
    ids.any(|id| sources.contains_key(id))
}
