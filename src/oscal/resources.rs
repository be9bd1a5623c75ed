//! Back-matter resources as citations: the import cites a resource by the text this module
//! makes of it, and the export finds the resource (and its UUID) again by that text.

use super::{one_line, value_text as text};
use std::collections::HashMap;

use serde_json::Value;

use crate::citation::parse_citations;

/// A back-matter resource as a citation.
#[derive(Debug, Clone)]
pub struct Resource {
    /// How the project cites it (`NIST SP 800-37`, `32 CFR 2002`).
    pub cite: String,
    /// The document the reference index files it under.
    pub document: String,
    /// The citation text, as the document's title in `references.yaml`.
    pub title: Option<String>,
    /// Its first link.
    pub url: Option<String>,
}

/// The citable resources of a back matter, by UUID.
pub fn read(resources: &[Value]) -> HashMap<String, Resource> {
    let mut out = HashMap::new();
    for resource in resources {
        let Some(uuid) = text(resource, "uuid") else {
            continue;
        };
        let Some(cite) = cite(resource) else {
            continue;
        };
        let citation = resource
            .get("citation")
            .and_then(|c| text(c, "text"))
            .map(one_line);
        let document = match parse_citations(&cite).as_slice() {
            [single] => single.document.clone().unwrap_or_else(|| cite.clone()),
            _ => cite.clone(),
        };
        let url = resource
            .get("rlinks")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find_map(|l| text(l, "href"))
            .map(str::to_string);
        out.insert(
            uuid.to_string(),
            Resource {
                cite,
                document,
                title: citation,
                url,
            },
        );
    }
    out
}

/// How a resource is cited: its title (or citation text), NIST's own publications with
/// the publisher in front.
pub fn cite(resource: &Value) -> Option<String> {
    let citation = resource
        .get("citation")
        .and_then(|c| text(c, "text"))
        .map(one_line);
    let title = text(resource, "title").map(one_line).or(citation.clone())?;
    Some(nist_designation(&title, citation.as_deref()).unwrap_or(title))
}

/// NIST's catalogs name their own publications `SP 800-37` or `IR 8011-1`; with the
/// publisher the citation parser recognises them (`NIST SP 800-37`).
fn nist_designation(title: &str, citation: Option<&str>) -> Option<String> {
    let series = ["SP ", "IR "];
    let starts = series.iter().any(|s| {
        title
            .strip_prefix(s)
            .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
    });
    let by_nist = citation.is_some_and(|c| {
        c.contains("National Institute of Standards and Technology") || c.contains("NIST")
    });
    (starts && by_nist).then(|| format!("NIST {title}"))
}
