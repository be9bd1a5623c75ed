//! The bibliography: the documents declared in `references.yaml`.

use super::*;

pub(super) fn read_bibliography(
    path: &Path,
    display: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<DeclaredDocument>, bool) {
    if !path.exists() {
        return (Vec::new(), false);
    }
    let text = match read_text(path, display) {
        Ok(text) => text,
        Err(diagnostic) => {
            diagnostics.push(diagnostic);
            return (Vec::new(), false);
        }
    };
    // A broken bibliography counts as none: its errors are reported, and the citations
    // are not all reported again as undeclared.
    let value = match frontmatter::parse_yaml(display, &text, 1) {
        Ok(value) => value,
        Err(diagnostic) => {
            diagnostics.push(diagnostic);
            return (Vec::new(), false);
        }
    };
    let locator = frontmatter::Locator::new(display, &text, 1);
    let entries = match value {
        serde_yaml::Value::Sequence(entries) => entries,
        serde_yaml::Value::Null => Vec::new(),
        _ => {
            diagnostics.push(
                Diagnostic::error("E0030", "references.yaml must be a list of documents")
                    .at(Span::at(display, 1, 1))
                    .help("write each document as a list entry: `- document: ISO/IEC 27002`"),
            );
            return (Vec::new(), false);
        }
    };
    // Where each entry of the top-level list starts (a line beginning with `-`).
    let starts: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, line)| line.starts_with('-') && !line.starts_with("---"))
        .map(|(index, _)| index + 1)
        .collect();
    let mut documents = Vec::new();
    for (number, entry) in entries.iter().enumerate() {
        let field = |key: &str| entry.get(key).and_then(node::scalar_text);
        let Some(document) = field("document") else {
            let line = starts.get(number).copied().unwrap_or(1);
            diagnostics.push(
                Diagnostic::error("E0031", "a references.yaml entry has no `document:`")
                    .at(Span::at(display, line, 1))
                    .help("each entry is a mapping: `- document: ISO/IEC 27002`, with optional `title:` and `url:`"),
            );
            continue;
        };
        let span = locator.text(&document, 0);
        documents.push(DeclaredDocument {
            document: document.trim().to_string(),
            title: field("title"),
            url: field("url"),
            span,
        });
    }
    (documents, true)
}
