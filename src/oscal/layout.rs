//! Where the prose of an imported entry's parts stands in its Markdown, both ways.
//!
//! The parts' tree (ids, names, classes, titles, props, links, nesting) is kept in front
//! matter (`parts:`), without prose; the prose is what the reader sees and edits: the
//! first `statement` part is the `description` (its sub-parts as `- **a.** …` list items,
//! nested two spaces a level), every other part a `## Heading` section of the body, whose
//! labelled sub-parts are list items again and other sub-parts deeper headings.
//!
//! [`Layout`] is that arrangement as text pieces with one slot per part. The import fills
//! the slots; the export finds them again in the (maybe edited) Markdown, and accepts what
//! it found only when filling the layout with it gives the same Markdown back, so an
//! edit that changes the arrangement falls back to reading the Markdown as written.

use super::one_line;
use serde_json::Value;

use super::markup::escape_text;
use super::part_heading;

/// A piece of the Markdown of an entry.
#[derive(Debug)]
enum Piece {
    /// Text the layout writes itself.
    Text(String),
    /// The prose of one part: written after `prefix`, with continuation lines indented.
    Slot {
        prefix: &'static str,
        suffix: &'static str,
        indent: usize,
    },
}

/// The arrangement of one entry's parts: the description's pieces and the body's.
#[derive(Debug, Default)]
pub struct Layout {
    description: Vec<Piece>,
    body: Vec<Piece>,
}

/// The text of a heading made from a part's title (OSCAL markup, one line).
pub type TitleText<'a> = &'a dyn Fn(&str) -> String;

impl Layout {
    /// The layout of `parts` (their prose is not read).
    pub fn of(parts: &[Value], title: TitleText) -> Layout {
        let mut layout = Layout::default();
        let statement = statement_index(parts);
        if let Some(at) = statement {
            let part = &parts[at];
            let children = children(part);
            let suffix = if children.is_empty() { "" } else { "\n\n" };
            layout.description.push(Piece::Slot {
                prefix: "",
                suffix,
                indent: 0,
            });
            items(&children, 0, &mut layout.description);
        }
        for (n, part) in parts.iter().enumerate() {
            if Some(n) != statement {
                heading(part, 2, title, &mut layout.body);
            }
        }
        layout
    }

    /// The parts in the order of their slots (the statement's first).
    pub fn walk(parts: &[Value]) -> Vec<&Value> {
        let mut out = Vec::new();
        let statement = statement_index(parts);
        if let Some(at) = statement {
            out.push(&parts[at]);
            walk_items(&children(&parts[at]), &mut out);
        }
        for (n, part) in parts.iter().enumerate() {
            if Some(n) != statement {
                walk_heading(part, 2, &mut out);
            }
        }
        out
    }

    /// The description and body with these proses (site Markdown, in [`Layout::walk`]
    /// order) in the slots.
    pub fn fill(&self, proses: &[String]) -> (String, String) {
        let mut proses = proses.iter();
        let description = fill(&self.description, &mut proses);
        let body = fill(&self.body, &mut proses);
        (description, body)
    }

    /// The proses found in a description and body, when they have this layout.
    pub fn find(&self, description: &str, body: &str) -> Option<Vec<String>> {
        let mut proses = find(&self.description, description)?;
        proses.extend(find(&self.body, body)?);
        let (d, b) = self.fill(&proses);
        (d.trim() == description.trim() && b.trim() == body.trim()).then_some(proses)
    }
}

/// The first `statement` part, which is the description.
fn statement_index(parts: &[Value]) -> Option<usize> {
    parts
        .iter()
        .position(|p| p.get("name").and_then(Value::as_str) == Some("statement"))
}

fn children(part: &Value) -> Vec<&Value> {
    part.get("parts")
        .and_then(Value::as_array)
        .map(|list| list.iter().collect())
        .unwrap_or_default()
}

/// The `label` prop of a part.
pub fn label(part: &Value) -> Option<&str> {
    part.get("props")?
        .as_array()?
        .iter()
        .find(|p| p.get("name").and_then(Value::as_str) == Some("label") && p.get("ns").is_none())
        .and_then(|p| p.get("value")?.as_str())
        .map(str::trim)
        .filter(|l| !l.is_empty())
}

/// True when a sub-part is shown as a list item rather than under a heading.
fn is_item(part: &Value, level: usize) -> bool {
    level > 6 || label(part).is_some() || part.get("name").and_then(Value::as_str) == Some("item")
}

/// Parts as list items `- **label** prose`, nested two spaces a level.
fn items(parts: &[&Value], indent: usize, out: &mut Vec<Piece>) {
    for part in parts {
        let mut head = format!("{}-", " ".repeat(indent));
        if let Some(label) = label(part) {
            head.push_str(&format!(" **{}**", escape_text(&one_line(label))));
        }
        text(out, &head);
        out.push(Piece::Slot {
            prefix: " ",
            suffix: "",
            indent: indent + 2,
        });
        text(out, "\n");
        items(&children(part), indent + 2, out);
    }
}

fn walk_items<'v>(parts: &[&'v Value], out: &mut Vec<&'v Value>) {
    for part in parts {
        out.push(part);
        walk_items(&children(part), out);
    }
}

/// A part as a section: its heading, label, prose, then its sub-parts.
fn heading(part: &Value, level: usize, title: TitleText, out: &mut Vec<Piece>) {
    let shown = match part.get("title").and_then(Value::as_str) {
        Some(t) if !t.trim().is_empty() => title(&one_line(t)),
        _ => part_heading(part.get("name").and_then(Value::as_str).unwrap_or("part")),
    };
    let mut head = format!("{} {shown}\n\n", "#".repeat(level));
    if let Some(label) = label(part) {
        head.push_str(&format!("**{}**\n\n", escape_text(&one_line(label))));
    }
    text(out, &head);
    out.push(Piece::Slot {
        prefix: "",
        suffix: "\n\n",
        indent: 0,
    });
    let children = children(part);
    let mut run: Vec<&Value> = Vec::new();
    for child in children {
        if is_item(child, level + 1) {
            run.push(child);
            continue;
        }
        flush(&mut run, out);
        heading(child, level + 1, title, out);
    }
    flush(&mut run, out);
}

fn flush(run: &mut Vec<&Value>, out: &mut Vec<Piece>) {
    if !run.is_empty() {
        items(run, 0, out);
        text(out, "\n");
        run.clear();
    }
}

fn walk_heading<'v>(part: &'v Value, level: usize, out: &mut Vec<&'v Value>) {
    out.push(part);
    let children = children(part);
    let mut run: Vec<&Value> = Vec::new();
    for child in children {
        if is_item(child, level + 1) {
            run.push(child);
            continue;
        }
        walk_items(&run, out);
        run.clear();
        walk_heading(child, level + 1, out);
    }
    walk_items(&run, out);
}

/// Appends text, joined to the text before it.
fn text(out: &mut Vec<Piece>, text: &str) {
    if let Some(Piece::Text(last)) = out.last_mut() {
        last.push_str(text);
    } else {
        out.push(Piece::Text(text.to_string()));
    }
}

fn fill<'p>(pieces: &[Piece], proses: &mut impl Iterator<Item = &'p String>) -> String {
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Slot {
                prefix,
                suffix,
                indent,
            } => {
                let prose = proses.next().map_or("", |p| p.trim());
                if prose.is_empty() {
                    continue;
                }
                out.push_str(prefix);
                for (n, line) in prose.lines().enumerate() {
                    if n > 0 {
                        out.push('\n');
                        if !line.trim().is_empty() {
                            out.push_str(&" ".repeat(*indent));
                        }
                    }
                    out.push_str(line.trim_end());
                }
                out.push_str(suffix);
            }
        }
    }
    out.trim_end().to_string()
}

/// The proses in the slots of `pieces` within `text`; none when the text has another shape.
fn find(pieces: &[Piece], text: &str) -> Option<Vec<String>> {
    // The layout's own text may end in line breaks that the file's trimmed text lacks.
    let text = format!("{}\n\n", text.trim());
    let mut proses = Vec::new();
    let mut cursor = 0;
    let mut open: Option<usize> = None;
    for piece in pieces {
        match piece {
            // Only the layout's last piece is blank: the end of the text.
            Piece::Text(t) if t.trim().is_empty() => {}
            Piece::Text(t) => {
                let at = match open {
                    Some(_) => text[cursor..].find(t.as_str())? + cursor,
                    None if text[cursor..].starts_with(t.as_str()) => cursor,
                    None => return None,
                };
                if let Some(indent) = open.take() {
                    proses.push(unindent(&text[cursor..at], indent)?);
                }
                cursor = at + t.len();
            }
            Piece::Slot { indent, .. } => {
                // A layout never has two slots without text between them.
                if open.replace(*indent).is_some() {
                    return None;
                }
            }
        }
    }
    if let Some(indent) = open {
        proses.push(unindent(&text[cursor..], indent)?);
    } else if !text[cursor..].trim().is_empty() {
        return None;
    }
    Some(proses)
}

/// A slot's text as prose: trimmed, continuation lines without their indentation.
fn unindent(raw: &str, indent: usize) -> Option<String> {
    let pad = " ".repeat(indent);
    let mut out = String::with_capacity(raw.len());
    for (n, line) in raw.trim().lines().enumerate() {
        if n > 0 {
            out.push('\n');
            if !line.is_empty() {
                out.push_str(line.strip_prefix(&pad)?);
            }
        } else {
            out.push_str(line);
        }
    }
    Some(out)
}
