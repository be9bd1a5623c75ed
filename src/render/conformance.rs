//! The conformance page, `conformance/index.html`: concept by concept, what the framework
//! contains and whether it meets ISO/IEC TS 27110's guidance (see [`crate::validate::conformance`]).

use serde_json::json;

use super::{relative_url, Page, Renderer};
use crate::diagnostics::Diagnostic;
use crate::validate::conformance;

/// The page's folder.
pub const DIR: &str = "conformance/";

impl Renderer<'_> {
    /// Renders `conformance/index.html`.
    pub(super) fn render_conformance(&self, page: &Page) -> Result<String, Diagnostic> {
        let dir = page.dir();
        let framework = self.framework;
        let report = conformance::report(framework);
        let link = |node: usize| {
            let n = &framework.nodes[node];
            json!({
                "id": n.id,
                "title": n.title_or_id(),
                "href": relative_url(dir, &self.index.urls[node]),
            })
        };
        // One row per concept: the required ones in the configured order (present or
        // not), then the creator's own.
        let mut rows = Vec::new();
        for requirement in &report.required {
            let concept = requirement
                .node
                .and_then(|n| report.concepts.iter().find(|c| c.node == n));
            rows.push(match concept {
                Some(c) => {
                    let mut row = link(c.node);
                    row["required"] = json!(true);
                    row["counts"] = json!(c.counts);
                    row
                }
                None => json!({
                    "id": null, "title": requirement.name, "href": null,
                    "required": true, "counts": null,
                }),
            });
        }
        // The creator's own top-level items are additions, not faults; withdrawn ones are
        // no longer part of the framework.
        let additions = report
            .concepts
            .iter()
            .filter(|c| c.meets.is_none() && !framework.nodes[c.node].is_withdrawn());
        for concept in additions {
            let mut row = link(concept.node);
            row["required"] = json!(false);
            row["counts"] = json!(concept.counts);
            rows.push(row);
        }
        let empty_concepts: Vec<_> = report
            .concepts
            .iter()
            .filter(|c| framework.nodes[c.node].children.is_empty())
            .map(|c| link(c.node))
            .collect();
        let empty_categories: Vec<_> = report
            .concepts
            .iter()
            .flat_map(|c| c.empty_categories.iter().map(|&n| link(n)))
            .collect();
        let missing = report.required.iter().filter(|r| r.node.is_none()).count();
        let mut context = self.base_context(page, "TS 27110 conformance");
        context.insert(
            "description",
            &format!(
                "How {} meets the ISO/IEC TS 27110 guidance for cybersecurity frameworks.",
                framework.config.book.title
            ),
        );
        let mut home = self.link(0, dir);
        home.title = "Overview".into();
        context.insert("breadcrumbs", &vec![home]);
        context.insert("report", &report);
        context.insert("required", &report.required);
        context.insert("missing", &missing);
        context.insert("present", &(report.required.len() - missing));
        context.insert("rows", &rows);
        // A framework named in fewer than four levels has no statements column unless it
        // has statements.
        let show_statements = !(1..4).contains(&framework.config.framework.levels.len())
            || report.totals.statements > 0;
        context.insert("show_statements", &show_statements);
        let section = &framework.config.framework;
        let level = |depth: usize| section.level(depth);
        context.insert(
            "words",
            &json!({
                "concept": level(1).singular(),
                "concepts": level(1).plural(),
                "category": level(2).singular(),
                "categories": level(2).plural(),
                "subcategories": level(3).plural(),
                // With fewer than four level names, the deepest would be named twice.
                "statements": if (1..4).contains(&section.levels.len()) {
                    crate::config::LevelName::Singular(crate::config::DEFAULT_LEVELS[3].into()).plural()
                } else {
                    level(4).plural()
                },
            }),
        );
        context.insert("empty_concepts", &empty_concepts);
        context.insert("empty_categories", &empty_categories);
        self.run("conformance.html", &context)
    }
}
