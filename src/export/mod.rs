//! Exports: the framework as data (SPEC §6), beside rendering; reads the model, writes no HTML.

pub mod changes;
pub mod mapping;
pub use crate::oscal::catalog as oscal;

use serde::Serialize;

use crate::citation::Citation;
use crate::crosswalk::Crosswalk;
use crate::index::SiteIndex;
use crate::model::Framework;

/// `framework.json`.
#[derive(Debug, Serialize)]
pub struct FrameworkExport<'a> {
    /// The framework's title.
    pub title: &'a str,
    /// Its version, when set.
    pub version: Option<&'a str>,
    /// Every node but the root, parents before children, in site order.
    pub items: Vec<ItemExport<'a>>,
    /// The reference index.
    pub references: Vec<SeriesExport<'a>>,
}

/// One node in `framework.json`.
#[derive(Debug, Serialize)]
pub struct ItemExport<'a> {
    /// Identifier.
    pub id: &'a str,
    /// `concept`, `category`, …
    pub kind: &'static str,
    /// Id of the parent (null under the root).
    pub parent: Option<&'a str>,
    /// Title, when given.
    pub title: Option<&'a str>,
    /// Description as Markdown, when given or taken from the body.
    pub description: Option<&'a str>,
    /// URL relative to the site root.
    pub url: &'a str,
    /// Source file relative to the project.
    pub source: &'a str,
    /// Related ids.
    pub related: Vec<&'a str>,
    /// Citations, one entry per citation (a cell may hold several).
    pub references: Vec<&'a Citation>,
}

/// A series in the reference index.
#[derive(Debug, Serialize)]
pub struct SeriesExport<'a> {
    /// The series.
    pub series: &'a str,
    /// Title from references.yaml.
    pub title: Option<&'a str>,
    /// Ids citing the whole series.
    pub cited_by: Vec<&'a str>,
    /// Its documents.
    pub documents: Vec<DocumentExport<'a>>,
}

/// A document in the reference index.
#[derive(Debug, Serialize)]
pub struct DocumentExport<'a> {
    /// The document.
    pub document: &'a str,
    /// Part number.
    pub part: Option<&'a str>,
    /// Title from references.yaml.
    pub title: Option<&'a str>,
    /// Ids citing the document without clauses.
    pub cited_by: Vec<&'a str>,
    /// Cited clauses in numeric order.
    pub clauses: Vec<ClauseExport<'a>>,
}

/// A clause in the reference index.
#[derive(Debug, Serialize)]
pub struct ClauseExport<'a> {
    /// The clause.
    pub clause: &'a str,
    /// The edition cited.
    pub edition: Option<&'a str>,
    /// Ids citing it.
    pub cited_by: Vec<&'a str>,
}

/// Builds the `framework.json` data.
pub fn framework_export<'a>(framework: &'a Framework, index: &'a SiteIndex) -> FrameworkExport<'a> {
    let nodes = &framework.nodes;
    let ids = |list: &[usize]| {
        list.iter()
            .map(|&n| nodes[n].id.as_str())
            .collect::<Vec<_>>()
    };
    let items = framework
        .site_order()
        .into_iter()
        .skip(1)
        .map(|n| {
            let node = &nodes[n];
            ItemExport {
                id: &node.id,
                kind: node.kind.name(),
                parent: node
                    .parent
                    .filter(|&p| p != 0)
                    .map(|p| nodes[p].id.as_str()),
                title: node.title.as_deref(),
                description: node.description.as_ref().map(|d| d.source.as_str()),
                url: &index.urls[n],
                source: &node.source,
                related: node.related.iter().map(|r| r.value.as_str()).collect(),
                references: node.references.iter().flat_map(|r| &r.citations).collect(),
            }
        })
        .collect();
    let references = index
        .references
        .series
        .iter()
        .map(|series| SeriesExport {
            series: &series.series,
            title: series.title.as_deref(),
            cited_by: ids(&series.cited_by),
            documents: series
                .documents
                .iter()
                .map(|document| DocumentExport {
                    document: &document.document,
                    part: document.part.as_deref(),
                    title: document.title.as_deref(),
                    cited_by: ids(&document.cited_by),
                    clauses: document
                        .clauses
                        .iter()
                        .map(|clause| ClauseExport {
                            clause: &clause.clause,
                            edition: clause.edition.as_deref(),
                            cited_by: ids(&clause.cited_by),
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    FrameworkExport {
        title: &framework.config.book.title,
        version: framework.config.book.version.as_deref(),
        items,
        references,
    }
}

/// `framework.json` as pretty-printed bytes.
pub fn framework_json(framework: &Framework, index: &SiteIndex) -> Vec<u8> {
    // Serialising strings, numbers and lists into memory cannot fail.
    let mut bytes =
        serde_json::to_vec_pretty(&framework_export(framework, index)).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// `framework.csv`: one row per item; citations and related ids joined with `; `.
pub fn framework_csv(framework: &Framework, index: &SiteIndex) -> Vec<u8> {
    let export = framework_export(framework, index);
    let mut writer = csv::Writer::from_writer(Vec::new());
    let header = [
        "id",
        "kind",
        "parent",
        "title",
        "description",
        "url",
        "references",
        "related",
    ];
    // Writing to a Vec cannot fail.
    let _ = writer.write_record(header);
    for item in &export.items {
        let references: Vec<&str> = item.references.iter().map(|c| c.cite.as_str()).collect();
        let _ = writer.write_record([
            item.id,
            item.kind,
            item.parent.unwrap_or(""),
            item.title.unwrap_or(""),
            item.description.unwrap_or(""),
            item.url,
            &references.join("; "),
            &item.related.join("; "),
        ]);
    }
    writer.into_inner().unwrap_or_default()
}

/// A machine-readable form of the framework (`framewright export --format …`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// `framework.json` (SPEC §6).
    Json,
    /// `framework.csv`.
    Csv,
    /// `oscal/catalog.json`: an OSCAL 1.1 catalog.
    Oscal,
    /// `crosswalk/mappings.csv`: every crosswalk mapping.
    Crosswalk,
    /// `oscal/mapping-collection.json`: the crosswalks as an OSCAL 1.2 mapping collection.
    Mapping,
}

impl ExportFormat {
    /// The file every build writes in this format, relative to the site root.
    pub fn file(self) -> &'static str {
        match self {
            ExportFormat::Json => "framework.json",
            ExportFormat::Csv => "framework.csv",
            ExportFormat::Oscal => "oscal/catalog.json",
            ExportFormat::Crosswalk => "crosswalk/mappings.csv",
            ExportFormat::Mapping => "oscal/mapping-collection.json",
        }
    }

    /// The export's bytes.
    pub fn render(
        self,
        framework: &Framework,
        crosswalks: &[Crosswalk],
        index: &SiteIndex,
    ) -> Vec<u8> {
        match self {
            ExportFormat::Json => framework_json(framework, index),
            ExportFormat::Csv => framework_csv(framework, index),
            ExportFormat::Oscal => oscal::catalog_json(framework, index),
            ExportFormat::Crosswalk => mapping::mappings_csv(framework, crosswalks, index),
            ExportFormat::Mapping => mapping::mapping_collection_json(framework, crosswalks, index),
        }
    }

    /// True for the exports of crosswalks (which need `content/mappings/` files).
    pub fn is_crosswalk(self) -> bool {
        matches!(self, ExportFormat::Crosswalk | ExportFormat::Mapping)
    }
}
