//! Reading back the Markdown an import wrote: statement items, `## ` sections, and the
//! placeholders of parameters and links, as OSCAL prose again.

use super::{is_token, part_heading, to_token};

/// A part name or label shortened to a token for ids (`assessment-objective` → `assessment-objective`,
/// `(a)` → `a`).
pub(crate) fn short_name(text: &str) -> String {
    let token: String = text
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .collect();
    if token.is_empty() {
        "part".into()
    } else {
        token
    }
}

/// A `## Heading` section of a body (or the text before the first heading).
pub(crate) struct Section<'t> {
    pub(crate) heading: Option<&'t str>,
    pub(crate) text: String,
}

impl Section<'_> {
    /// The part name: `guidance` for text before any heading, else the heading as a token.
    pub(crate) fn name(&self) -> String {
        let Some(heading) = self.heading else {
            return "guidance".into();
        };
        let slug = crate::markdown::slugify(heading);
        if is_token(&slug) {
            slug
        } else {
            to_token(&slug)
        }
    }

    /// A title when the heading says more than the part's name.
    pub(crate) fn title(&self) -> Option<&str> {
        let heading = self.heading?;
        (heading != part_heading(&self.name())).then_some(heading)
    }
}

/// Splits a body at its level-2 headings (outside code fences).
pub(crate) fn sections(body: &str) -> Vec<Section<'_>> {
    let mut sections = vec![Section {
        heading: None,
        text: String::new(),
    }];
    let mut fence = false;
    for line in body.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = !fence;
        }
        match line.strip_prefix("## ") {
            Some(heading) if !fence => sections.push(Section {
                heading: Some(heading.trim().trim_end_matches('#').trim()),
                text: String::new(),
            }),
            _ => {
                let last = sections.last_mut().expect("never empty");
                last.text.push_str(line);
                last.text.push('\n');
            }
        }
    }
    sections
        .into_iter()
        .filter(|s| s.heading.is_some() || !s.text.trim().is_empty())
        .collect()
}

/// One `- **label** text` item of a statement, with its nested items.
#[derive(Debug, Default, PartialEq)]
pub struct Item {
    /// The label, as written between the `**`.
    pub label: String,
    /// The item's text (continuation lines de-indented).
    pub text: String,
    /// Nested items.
    pub items: Vec<Item>,
}

/// Splits a statement's Markdown into lead prose and labelled items: a list whose entries
/// all start with `- **label**` (as `framewright import oscal` writes them). Anything else
/// stays prose.
pub fn statement_items(markdown: &str) -> (String, Vec<Item>) {
    let lines: Vec<&str> = markdown.lines().collect();
    let start = lines
        .iter()
        .position(|l| item_head(l, 0).is_some())
        .unwrap_or(lines.len());
    let rest = &lines[start..];
    let all_items = rest
        .iter()
        .all(|l| l.trim().is_empty() || l.starts_with("  ") || item_head(l, 0).is_some());
    if rest.is_empty() || !all_items {
        return (markdown.to_string(), Vec::new());
    }
    let lead = lines[..start].join("\n");
    (lead, parse_items(rest, 0))
}

/// `(label, text)` when the line is `- **label** text` at exactly `indent` spaces.
fn item_head(line: &str, indent: usize) -> Option<(&str, &str)> {
    let rest = line
        .strip_prefix(&" ".repeat(indent))?
        .strip_prefix("- **")?;
    let end = rest.find("**")?;
    let label = &rest[..end];
    (!label.is_empty() && !label.starts_with(' ')).then(|| (label, rest[end + 2..].trim_start()))
}

fn parse_items(lines: &[&str], indent: usize) -> Vec<Item> {
    let mut items: Vec<(Item, Vec<&str>)> = Vec::new();
    for &line in lines {
        match item_head(line, indent) {
            Some((label, text)) => items.push((
                Item {
                    label: label.to_string(),
                    text: text.to_string(),
                    items: Vec::new(),
                },
                Vec::new(),
            )),
            None => {
                if let Some((_, body)) = items.last_mut() {
                    body.push(line);
                }
            }
        }
    }
    let inner = indent + 2;
    items
        .into_iter()
        .map(|(mut item, body)| {
            let first_nested = body
                .iter()
                .position(|l| item_head(l, inner).is_some())
                .unwrap_or(body.len());
            for line in &body[..first_nested] {
                item.text.push('\n');
                item.text
                    .push_str(line.get(inner..).unwrap_or("").trim_end());
            }
            item.text = item.text.trim().to_string();
            item.items = parse_items(&body[first_nested..], inner);
            item
        })
        .collect()
}
