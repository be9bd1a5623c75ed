//! HTML fragments that Rust writes for templates: table cells, citation lists, related
//! links, and the resolution of `@ID` links to relative URLs.

use std::borrow::Cow;
use std::fmt::Write;

use serde::Serialize;

use super::relative_url;
use crate::crosswalk::Crosswalk;
use crate::html::{escape, push_escaped};
use crate::index::references::clause_anchor;
use crate::index::SiteIndex;
use crate::markdown::slugify;
use crate::model::{Column, Framework, Node, Reference};

/// Replaces `href="@ID"` placeholders in HTML with the URL of the id, relative to `dir`.
pub fn resolve_links<'h>(html: &'h str, dir: &str, index: &SiteIndex) -> Cow<'h, str> {
    const MARK: &str = "href=\"@";
    if !html.contains(MARK) {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    while let Some(at) = rest.find(MARK) {
        out.push_str(&rest[..at + MARK.len() - 1]);
        let after = &rest[at + MARK.len()..];
        let end = after.find('"').unwrap_or(after.len());
        let id = &after[..end];
        match index.node(id) {
            Some(node) => out.push_str(&relative_url(dir, &index.urls[node])),
            None => {
                out.push('@');
                out.push_str(id);
            }
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// A table of a node's children, ready for `partials/table.html`.
#[derive(Debug, Serialize)]
pub struct TableView {
    caption: String,
    columns: Vec<ColumnView>,
    rows: Vec<RowView>,
    /// The documents the rows cite, for the filter: JSON, slug → [name, series slug, series].
    documents: String,
    /// The versions the "changed since" filter offers: JSON (empty without releases).
    since: String,
    /// The baselines the rows are in (space-separated), for the filter.
    baselines: String,
    /// How many items below the table's node each baseline has.
    baseline_counts: Vec<BaselineCount>,
}

/// The number of items of one baseline below a node.
#[derive(Debug, Serialize)]
struct BaselineCount {
    name: String,
    count: usize,
}

#[derive(Debug, Serialize)]
struct ColumnView {
    key: String,
    title: String,
}

#[derive(Debug, Serialize)]
struct RowView {
    id: String,
    /// Slugs of the documents the row cites, for filtering.
    documents: String,
    /// The baselines the row is in (space-separated), for filtering.
    baselines: String,
    cells: Vec<CellView>,
    statements: Vec<StatementView>,
    /// The row's history line (HTML; empty without releases or changes).
    history: String,
    /// The release steps in which it changed, for the "changed since" filter.
    changed: String,
}

#[derive(Debug, Serialize)]
struct CellView {
    key: String,
    title: String,
    html: String,
}

#[derive(Debug, Serialize)]
struct StatementView {
    id: String,
    html: String,
}

/// Writes the HTML fragments of one page.
pub struct TableBuilder<'a> {
    framework: &'a Framework,
    crosswalks: &'a [Crosswalk],
    index: &'a SiteIndex,
    dir: &'a str,
    history: Option<&'a crate::diff::history::History>,
}

impl<'a> TableBuilder<'a> {
    /// A builder for the page in folder `dir`.
    pub fn new(
        framework: &'a Framework,
        crosswalks: &'a [Crosswalk],
        index: &'a SiteIndex,
        dir: &'a str,
    ) -> TableBuilder<'a> {
        TableBuilder {
            framework,
            crosswalks,
            index,
            dir,
            history: None,
        }
    }

    /// Rows with the items' history lines and the "changed since" filter's data.
    pub fn with_history(mut self, history: &'a crate::diff::history::History) -> TableBuilder<'a> {
        self.history = Some(history);
        self
    }

    /// The table of a node's children, or None when it has none.
    pub fn table(&self, node_index: usize) -> Option<TableView> {
        let node = &self.framework.nodes[node_index];
        if node.children.is_empty() {
            return None;
        }
        let children: Vec<&Node> = node
            .children
            .iter()
            .map(|&c| &self.framework.nodes[c])
            .collect();
        let columns = node.columns.clone().unwrap_or_else(|| {
            let mut columns = default_columns(&children);
            let ids = children.iter().map(|c| c.id.as_str());
            if super::crosswalk::any_mapped(self.crosswalks, ids) {
                columns.push(Column {
                    key: super::crosswalk::MAPPINGS_COLUMN.into(),
                    title: "Maps to".into(),
                    span: crate::diagnostics::Span::file(""),
                });
            }
            columns
        });
        let rows = node
            .children
            .iter()
            .map(|&child| self.row(child, &columns))
            .collect();
        let kinds = children[0].kind.name();
        let plural = match kinds {
            "category" => "Categories".to_string(),
            "subcategory" => "Subcategories".to_string(),
            other => format!("{}s", capitalise(other)),
        };
        Some(TableView {
            caption: format!("{plural} of {}", node.label()),
            columns: columns
                .iter()
                .map(|c| ColumnView {
                    key: slugify(&c.key),
                    title: c.title.clone(),
                })
                .collect(),
            rows,
            documents: document_names(&children),
            since: self
                .history
                .map(super::changes::since_versions)
                .unwrap_or_default(),
            baselines: baseline_names(&children).join(" "),
            baseline_counts: self.baseline_counts(node_index),
        })
    }

    /// Items per baseline among a node's descendants, baselines in order of appearance.
    fn baseline_counts(&self, node_index: usize) -> Vec<BaselineCount> {
        let mut counts: Vec<BaselineCount> = Vec::new();
        let mut stack: Vec<usize> = self.framework.nodes[node_index].children.clone();
        while let Some(next) = stack.pop() {
            let node = &self.framework.nodes[next];
            for name in baselines(node) {
                match counts.iter_mut().find(|c| c.name == name) {
                    Some(count) => count.count += 1,
                    None => counts.push(BaselineCount {
                        name: name.to_string(),
                        count: 1,
                    }),
                }
            }
            stack.extend(node.children.iter().rev());
        }
        counts
    }

    fn row(&self, child_index: usize, columns: &[Column]) -> RowView {
        let child = &self.framework.nodes[child_index];
        let cells = columns
            .iter()
            .map(|column| CellView {
                key: slugify(&column.key),
                title: column.title.clone(),
                html: self.cell(child_index, &column.key),
            })
            .collect();
        let statements = if child.has_page {
            Vec::new()
        } else {
            child.children.iter().map(|&s| self.statement(s)).collect()
        };
        let mut documents: Vec<String> = child
            .references
            .iter()
            .flat_map(|r| &r.citations)
            .filter_map(|c| c.document.as_deref().map(slugify))
            .collect();
        documents.dedup();
        let (history, changed) = match self.history {
            Some(history) => (
                super::changes::history_html(history, &child.id, self.dir),
                super::changes::changed_steps(history, &child.id),
            ),
            None => (String::new(), String::new()),
        };
        RowView {
            id: child.id.clone(),
            documents: documents.join(" "),
            baselines: baselines(child).collect::<Vec<_>>().join(" "),
            cells,
            statements,
            history,
            changed,
        }
    }

    fn statement(&self, node_index: usize) -> StatementView {
        let node = &self.framework.nodes[node_index];
        let mut html = String::new();
        if let Some(title) = &node.title {
            let _ = write!(html, "<strong>{}</strong> ", escape(title));
        }
        if let Some(description) = &node.description {
            html.push_str(&resolve_links(&description.html, self.dir, self.index));
        }
        let citations = self.citations(&node.references);
        if !citations.is_empty() {
            html.push_str(&citations);
        }
        StatementView {
            id: node.id.clone(),
            html,
        }
    }

    fn cell(&self, node_index: usize, key: &str) -> String {
        let node = &self.framework.nodes[node_index];
        let link = |class: &str, text: &str| {
            let url = relative_url(self.dir, &self.index.urls[node_index]);
            let mut html = String::with_capacity(url.len() + text.len() + 40);
            html.push_str("<a");
            html.push_str(class);
            html.push_str(" href=\"");
            push_escaped(&mut html, &url);
            html.push_str("\">");
            push_escaped(&mut html, text);
            html.push_str("</a>");
            html
        };
        match key {
            "id" => link(" class=\"item-id\"", &node.id),
            "title" if node.has_page => link("", node.label()),
            "title" => escape(node.title.as_deref().unwrap_or("")),
            "description" => node
                .description
                .as_ref()
                .map(|d| resolve_links(&d.html, self.dir, self.index).into_owned())
                .unwrap_or_default(),
            "references" => self.citations(&node.references),
            "related" => self.related(node),
            "kind" => node.kind.name().to_string(),
            BASELINES => {
                let mut html = String::new();
                for name in baselines(node) {
                    html.push_str("<span class=\"baseline-mark\">");
                    push_escaped(&mut html, name);
                    html.push_str("</span> ");
                }
                html.trim_end().to_string()
            }
            super::crosswalk::MAPPINGS_COLUMN => {
                super::crosswalk::mappings_cell(self.crosswalks, &node.id, self.dir)
            }
            custom => match (node.extra_html.get(custom), node.extra.get(custom)) {
                (Some(markdown), _) => {
                    resolve_links(&markdown.html, self.dir, self.index).into_owned()
                }
                (None, Some(value)) => escape(&value_text(value)),
                (None, None) => String::new(),
            },
        }
    }

    /// The citations of a node as a list, each linked to its reference-index entry.
    pub fn citations(&self, references: &[Reference]) -> String {
        if references.is_empty() {
            return String::new();
        }
        let mut html = String::from("<ul class=\"citations\">");
        for reference in references {
            for citation in &reference.citations {
                html.push_str("<li>");
                self.citation(citation, &mut html);
                html.push_str("</li>");
            }
            if reference.url.is_some() || reference.note.is_some() {
                html.push_str("<li class=\"cite-extra\">");
                if let Some(url) = &reference.url {
                    let _ = write!(
                        html,
                        "<a class=\"external\" href=\"{}\" rel=\"external\">source</a> ",
                        escape(url)
                    );
                }
                if let Some(note) = &reference.note {
                    let _ = write!(html, "<span class=\"cite-note\">{}</span>", escape(note));
                }
                html.push_str("</li>");
            }
        }
        html.push_str("</ul>");
        html
    }

    fn citation(&self, citation: &crate::citation::Citation, html: &mut String) {
        let (Some(document), Some(series)) = (&citation.document, &citation.series) else {
            html.push_str("<span class=\"cite-unparsed\">");
            push_escaped(html, &citation.cite);
            html.push_str("</span>");
            return;
        };
        let target = if citation.all_parts { series } else { document };
        // The reference page from here. Slugs need no escaping (letters, digits, `.`, `_`
        // and `-` only), and neither do clause anchors, made of slugs.
        let mut page_url = super::root_prefix(self.dir);
        page_url.push_str("references/");
        page_url.push_str(&slugify(target));
        page_url.push('/');
        html.push_str("<a class=\"cite-doc\" href=\"");
        html.push_str(&page_url);
        html.push_str("\">");
        push_escaped(html, target);
        if let Some(edition) = &citation.edition {
            // `ISO/IEC 27001:2022`, but `NIST SP 800-53 Rev. 5` and `CIS Controls v8`.
            let year = edition.starts_with(|c: char| c.is_ascii_digit());
            html.push(if year { ':' } else { ' ' });
            push_escaped(html, edition);
        }
        if citation.all_parts {
            html.push_str(" (all parts)");
        }
        html.push_str("</a>");
        for clause in &citation.clauses {
            html.push_str(", <a class=\"cite-clause\" href=\"");
            html.push_str(&page_url);
            html.push('#');
            html.push_str(&clause_anchor(clause, citation.edition.as_deref()));
            html.push_str("\">");
            push_escaped(html, clause);
            html.push_str("</a>");
        }
    }

    /// The `related` links of a node.
    pub fn related(&self, node: &Node) -> String {
        let links: Vec<String> = node
            .related
            .iter()
            .filter_map(|r| {
                let target = self.index.node(&r.value)?;
                let target_node = &self.framework.nodes[target];
                Some(format!(
                    "<a href=\"{}\" title=\"{}\">{}</a>",
                    escape(&relative_url(self.dir, &self.index.urls[target])),
                    escape(target_node.label()),
                    escape(&target_node.id)
                ))
            })
            .collect();
        if links.is_empty() {
            String::new()
        } else {
            format!(
                "<ul class=\"related\"><li>{}</li></ul>",
                links.join("</li><li>")
            )
        }
    }
}

/// The columns shown when a node does not choose: id, then title, description and
/// references when any child has them.
fn default_columns(children: &[&Node]) -> Vec<Column> {
    let mut keys = vec!["id"];
    if children.iter().any(|c| c.title.is_some()) {
        keys.push("title");
    }
    if children.iter().any(|c| c.description.is_some()) {
        keys.push("description");
    }
    if children.iter().any(|c| !c.references.is_empty()) {
        keys.push("references");
    }
    if children.iter().any(|c| baselines(c).next().is_some()) {
        keys.push(BASELINES);
    }
    keys.into_iter()
        .map(|key| Column {
            key: key.to_string(),
            title: match key {
                BASELINES => "Baselines".to_string(),
                _ => crate::load::default_column_title(key),
            },
            span: crate::diagnostics::Span::file(""),
        })
        .collect()
}

/// The front-matter field (and table column) of baseline membership, as an OSCAL import
/// with `--baseline` writes it.
const BASELINES: &str = "baselines";

/// The baselines a node is in (`baselines: [LOW, MODERATE]`).
fn baselines(node: &Node) -> impl Iterator<Item = &str> {
    node.extra
        .get(BASELINES)
        .and_then(serde_json::Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(serde_json::Value::as_str)
        .filter(|name| !name.trim().is_empty() && !name.contains(char::is_whitespace))
}

/// The baselines of the rows, in order of appearance.
fn baseline_names<'n>(children: &[&'n Node]) -> Vec<&'n str> {
    let mut names: Vec<&str> = Vec::new();
    for name in children.iter().flat_map(|c| baselines(c)) {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

fn value_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        serde_json::Value::Array(items) => {
            items.iter().map(value_text).collect::<Vec<_>>().join(", ")
        }
        other => other.to_string(),
    }
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The documents cited by `children`, as JSON for the table filter: each document's slug
/// (as in the rows' `data-documents`) → `[document, series slug, series]`.
fn document_names(children: &[&Node]) -> String {
    let mut names: std::collections::BTreeMap<String, [String; 3]> = Default::default();
    let citations = children
        .iter()
        .flat_map(|c| &c.references)
        .flat_map(|r| &r.citations);
    for citation in citations {
        if let (Some(document), Some(series)) = (&citation.document, &citation.series) {
            names
                .entry(slugify(document))
                .or_insert_with(|| [document.clone(), slugify(series), series.clone()]);
        }
    }
    if names.is_empty() {
        String::new()
    } else {
        serde_json::to_string(&names).unwrap_or_default()
    }
}
