//! OSCAL XML rich text (markup-line and markup-multiline) as the Markdown that OSCAL's
//! JSON format holds: `<em>` → `*…*`, `<strong>` → `**…**`, `<a href>` → `[…](…)`,
//! `<insert type="param" id-ref="x"/>` → `{{ insert: param, x }}`, lists, tables, code.
//!
//! Text is escaped where Markdown would read it as syntax, so a label such as
//! `AC-3(3)[6](a)` in XML stays text in JSON and in the site.

use roxmltree::Node;

use super::xml::is_block;

/// Block elements as Markdown blocks separated by blank lines.
pub fn blocks(elements: &[Node]) -> String {
    let mut out: Vec<String> = Vec::new();
    for element in elements {
        let block = block(*element);
        if !block.is_empty() {
            out.push(block);
        }
    }
    let mut text = out.join("\n\n");
    // OSCAL's converter ends prose that ends with a list with a line break.
    if elements
        .last()
        .is_some_and(|e| matches!(e.tag_name().name(), "ul" | "ol"))
    {
        text.push('\n');
    }
    text
}

fn block(element: Node) -> String {
    let tag = element.tag_name().name();
    match tag {
        "p" => escape_line_start(inline(element).trim()),
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
            let level = usize::from(tag.as_bytes()[1] - b'0');
            format!("{} {}", "#".repeat(level), inline(element).trim())
        }
        "ul" | "ol" => list(element, 0),
        "pre" => {
            let code: String = element
                .descendants()
                .filter(Node::is_text)
                .filter_map(|t| t.text())
                .collect();
            format!("```\n{}\n```", code.trim_matches('\n'))
        }
        "blockquote" => {
            let inner: Vec<Node> = element.children().filter(Node::is_element).collect();
            let text = if inner.iter().any(|c| is_block(c.tag_name().name())) {
                blocks(&inner)
            } else {
                inline(element).trim().to_string()
            };
            text.lines()
                .map(|l| {
                    if l.is_empty() {
                        ">".into()
                    } else {
                        format!("> {l}")
                    }
                })
                .collect::<Vec<_>>()
                .join("\n")
        }
        "table" => table(element),
        "hr" => "---".into(),
        _ => inline(element).trim().to_string(),
    }
}

/// A list: `- ` or `1. ` items; nested lists indented under their item.
fn list(element: Node, indent: usize) -> String {
    let marker = if element.tag_name().name() == "ol" {
        "1. "
    } else {
        "- "
    };
    let pad = " ".repeat(indent);
    let mut lines = Vec::new();
    for item in element
        .children()
        .filter(|c| c.is_element() && c.tag_name().name() == "li")
    {
        let mut text = String::new();
        let mut nested = Vec::new();
        for child in item.children() {
            match child.tag_name().name() {
                "ul" | "ol" if child.is_element() => {
                    nested.push(list(child, indent + marker.len()))
                }
                "p" if child.is_element() => {
                    if !text.trim().is_empty() {
                        text.push(' ');
                    }
                    text.push_str(inline(child).trim());
                }
                _ => text.push_str(&inline_node(child)),
            }
        }
        lines.push(format!("{pad}{marker}{}", escape_line_start(text.trim())));
        lines.extend(nested);
    }
    lines.join("\n")
}

/// A table as a GitHub-style Markdown table (first row as the header).
fn table(element: Node) -> String {
    let rows: Vec<Vec<String>> = element
        .descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == "tr")
        .map(|row| {
            row.children()
                .filter(|c| c.is_element() && matches!(c.tag_name().name(), "td" | "th"))
                .map(|cell| inline(cell).trim().to_string())
                .collect()
        })
        .collect();
    let Some(width) = rows.iter().map(Vec::len).max().filter(|&w| w > 0) else {
        return String::new();
    };
    let line = |cells: &[String]| {
        let mut cells = cells.to_vec();
        cells.resize(width, String::new());
        format!("| {} |", cells.join(" | "))
    };
    let mut out = vec![line(&rows[0]), line(&vec!["---".to_string(); width])];
    out.extend(rows[1..].iter().map(|r| line(r)));
    out.join("\n")
}

/// An element's inline content as Markdown.
pub fn inline(element: Node) -> String {
    element.children().map(inline_node).collect()
}

fn inline_node(node: Node) -> String {
    if node.is_text() {
        return escape_text(&collapse(node.text().unwrap_or("")));
    }
    if !node.is_element() {
        return String::new();
    }
    let inner = || inline(node);
    match node.tag_name().name() {
        "em" | "i" => format!("*{}*", inner()),
        "strong" | "b" => format!("**{}**", inner()),
        "code" => {
            let code: String = node
                .descendants()
                .filter(Node::is_text)
                .filter_map(|t| t.text())
                .collect();
            let fence = if code.contains('`') { "`` " } else { "`" };
            let close = if code.contains('`') { " ``" } else { "`" };
            format!("{fence}{code}{close}")
        }
        "q" => format!("\"{}\"", inner()),
        "sub" => format!("~{}~", inner()),
        "sup" => format!("^{}^", inner()),
        "a" => {
            let href = node.attribute("href").unwrap_or("");
            format!("[{}]({href})", inner())
        }
        "img" => {
            let alt = node.attribute("alt").unwrap_or("");
            let src = node.attribute("src").unwrap_or("");
            format!("![{}]({src})", escape_text(alt))
        }
        "insert" => {
            let kind = node.attribute("type").unwrap_or("param");
            let id = node.attribute("id-ref").unwrap_or("");
            format!("{{{{ insert: {kind}, {id} }}}}")
        }
        "br" => "\n".into(),
        _ => inner(),
    }
}

/// Runs of white space (XML indentation) as one space.
fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
    out
}

/// Plain text as Markdown text: the characters Markdown reads as inline syntax get a
/// backslash.
pub fn escape_text(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (at, &c) in chars.iter().enumerate() {
        let word = |n: Option<&char>| n.is_some_and(|c| c.is_alphanumeric());
        let intraword = at > 0 && word(chars.get(at - 1)) && word(chars.get(at + 1));
        let syntax = matches!(c, '\\' | '*' | '`' | '[' | ']' | '<' | '~' | '^' | '|')
            || (c == '_' && !intraword)
            || (c == '{' && chars.get(at + 1) == Some(&'{'));
        if syntax {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A block's text with a backslash before what would start a heading, list or quote.
pub fn escape_line_start(text: &str) -> String {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let after_digits = text.as_bytes().get(digits).copied();
    let ordered = digits > 0 && matches!(after_digits, Some(b'.' | b')'));
    if ordered {
        return format!("{}\\{}", &text[..digits], &text[digits..]);
    }
    let bullet = text.starts_with(['#', '-', '+', '=', '>']) || text.starts_with("* ");
    if bullet {
        format!("\\{text}")
    } else {
        text.to_string()
    }
}
