//! What an item's page shows from the publisher's metadata: its status and where a
//! withdrawn item went ("Withdrawn: incorporated into AC-2k."), and the part sections of
//! its prose titled in the publisher's words (`[framework.parts]`).

use std::borrow::Cow;

use super::relative_url;
use crate::config::{part_key, FrameworkSection};
use crate::html::push_escaped;
use crate::index::SiteIndex;
use crate::model::{Framework, Node, Relation};

/// The status line of an item (`<p class="status-note status-withdrawn">…`), empty for a
/// current item. A withdrawn item names, with links, the items it went to.
pub fn status_note(framework: &Framework, index: &SiteIndex, node: &Node, dir: &str) -> String {
    let Some(shown) = node.status().shown() else {
        return String::new();
    };
    let mut html = format!(
        "<p class=\"status-note status-{}\"><strong>[{shown}",
        node.status().name()
    );
    let replacements = node.replaced_by();
    let mut relation: Option<Relation> = None;
    for (n, replacement) in replacements.iter().enumerate() {
        if relation == Some(replacement.relation) {
            html.push_str(", ");
        } else {
            html.push_str(if n == 0 { ": " } else { "; " });
            html.push_str(replacement.relation.shown());
            html.push(' ');
            relation = Some(replacement.relation);
        }
        target_link(framework, index, replacement.target, dir, &mut html);
    }
    html.push_str(if replacements.is_empty() { "]" } else { ".]" });
    html.push_str("</strong></p>");
    html
}

/// A link to where a withdrawn item went: `AC-2` for an item, `AC-2k` for its part `k.`.
fn target_link(framework: &Framework, index: &SiteIndex, id: &str, dir: &str, html: &mut String) {
    let Some(target) = index.target(id) else {
        push_escaped(html, id);
        return;
    };
    let mut shown = framework.nodes[target.node].shown_id().to_string();
    if let Some(label) = &target.label {
        shown.push_str(label.trim_end_matches('.'));
    }
    html.push_str("<a class=\"status-target\" href=\"");
    push_escaped(html, &relative_url(dir, &index.urls[target.node]));
    html.push_str("\">");
    push_escaped(html, &shown);
    html.push_str("</a>");
}

/// The body's section headings (`<h2 id="guidance">Guidance</h2>`, as the OSCAL import
/// writes a part, or as an author writes one) retitled where `[framework.parts]` names the
/// part: `guidance = "Discussion"`. Anchors are kept, so links to them still work.
pub fn retitle_parts<'h>(html: &'h str, section: &FrameworkSection) -> Cow<'h, str> {
    if section.parts.is_empty() || !html.contains("<h") {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len() + 32);
    let mut rest = html;
    while let Some(at) = rest.find("<h") {
        let level = rest.as_bytes().get(at + 2).copied();
        let is_heading = matches!(level, Some(b'2'..=b'6'))
            && matches!(rest.as_bytes().get(at + 3), Some(b' ' | b'>'));
        let Some(open_end) = rest[at..]
            .find('>')
            .map(|e| at + e + 1)
            .filter(|_| is_heading)
        else {
            out.push_str(&rest[..at + 2]);
            rest = &rest[at + 2..];
            continue;
        };
        let close = format!("</h{}>", char::from(level.unwrap_or(b'2')));
        let Some(close_at) = rest[open_end..].find(&close).map(|c| open_end + c) else {
            out.push_str(&rest[..open_end]);
            rest = &rest[open_end..];
            continue;
        };
        out.push_str(&rest[..open_end]);
        let text = &rest[open_end..close_at];
        let key = part_key(text);
        let title = (!text.contains('<'))
            .then(|| section.parts.iter().find(|(k, _)| part_key(k) == key))
            .flatten();
        match title {
            Some((_, title)) => push_escaped(&mut out, title),
            None => out.push_str(text),
        }
        out.push_str(&close);
        rest = &rest[close_at + close.len()..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// One section of a body: its heading and what follows up to the next heading.
struct Section<'h> {
    /// The heading's level (2 to 6), 0 for the text before the first heading.
    level: u8,
    /// The heading's `id`, when it has one.
    id: Option<&'h str>,
    /// The heading's inner HTML.
    title: &'h str,
    /// The whole heading element.
    heading: &'h str,
    /// The HTML after the heading.
    content: &'h str,
}

/// Splits HTML at its `<h2>`…`<h6>` headings.
fn sections(html: &str) -> Vec<Section<'_>> {
    let mut out = Vec::new();
    let mut starts = Vec::new();
    let mut from = 0;
    while let Some(at) = html[from..].find("<h").map(|a| a + from) {
        from = at + 2;
        let bytes = html.as_bytes();
        let level = bytes.get(at + 2).copied().unwrap_or(0);
        if !(b'2'..=b'6').contains(&level) || !matches!(bytes.get(at + 3), Some(b' ' | b'>')) {
            continue;
        }
        let close = format!("</h{}>", char::from(level));
        let (Some(open_end), Some(close_at)) = (
            html[at..].find('>').map(|e| at + e + 1),
            html[at..].find(&close).map(|c| at + c),
        ) else {
            continue;
        };
        starts.push((at, level - b'0', open_end, close_at, close_at + close.len()));
        from = close_at + close.len();
    }
    let first = starts.first().map_or(html.len(), |s| s.0);
    out.push(Section {
        level: 0,
        id: None,
        title: "",
        heading: "",
        content: &html[..first],
    });
    for (n, &(at, level, open_end, close_at, end)) in starts.iter().enumerate() {
        let next = starts.get(n + 1).map_or(html.len(), |s| s.0);
        let open = &html[at..open_end];
        let id = open
            .split_once("id=\"")
            .and_then(|(_, rest)| rest.split_once('"'))
            .map(|(id, _)| id);
        out.push(Section {
            level,
            id,
            title: &html[open_end..close_at],
            heading: &html[at..end],
            content: &html[end..next],
        });
    }
    out
}

/// Runs of sections with the same heading at the same level (one `## Example` per
/// implementation example, as OSCAL has one part each) as one section whose entries are
/// a list, each keeping its anchor and its own label ("Ex1: …").
pub fn merge_repeated_sections(html: &str) -> Cow<'_, str> {
    let sections = sections(html);
    let repeated = sections
        .windows(2)
        .any(|w| w[0].level > 0 && w[0].level == w[1].level && w[0].title == w[1].title);
    if !repeated {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len() + 64);
    let mut at = 0;
    while at < sections.len() {
        let section = &sections[at];
        let run = sections[at..]
            .iter()
            .take_while(|s| {
                section.level > 0 && s.level == section.level && s.title == section.title
            })
            .count();
        if run < 2 {
            out.push_str(section.heading);
            out.push_str(section.content);
            at += 1;
            continue;
        }
        out.push_str(section.heading);
        out.push_str("\n<ul class=\"part-items\">\n");
        for (n, entry) in sections[at..at + run].iter().enumerate() {
            out.push_str("<li");
            if let Some(id) = entry.id.filter(|_| n > 0) {
                out.push_str(" id=\"");
                out.push_str(id);
                out.push('"');
            }
            out.push('>');
            out.push_str(entry.content.trim());
            out.push_str("</li>\n");
        }
        out.push_str("</ul>\n");
        at += run;
    }
    Cow::Owned(out)
}

/// Lists whose items start with their source labels (`- **a.** …`, `- **(1)** …`, as the
/// OSCAL import writes labelled parts) marked `part-items`, so they show those labels
/// instead of bullets.
pub fn mark_labelled_lists(html: &str) -> Cow<'_, str> {
    const OPEN: &str = "<ul>\n<li><strong>";
    if !html.contains(OPEN) {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    while let Some(at) = rest.find(OPEN) {
        let after = &rest[at + OPEN.len()..];
        let label = after.split_once("</strong>").map(|(label, _)| label);
        let labelled = label.is_some_and(|l| !l.is_empty() && l.len() <= 8 && !l.contains('<'));
        out.push_str(&rest[..at]);
        out.push_str(if labelled {
            "<ul class=\"part-items\">\n<li><strong>"
        } else {
            OPEN
        });
        rest = after;
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_headings_take_the_publishers_words() {
        let mut section = FrameworkSection::default();
        section.parts.insert("guidance".into(), "Discussion".into());
        section
            .parts
            .insert("assessment-objective".into(), "Determine if".into());
        let html = "<p>x</p><h2 id=\"guidance\">Guidance</h2><p>y</p><h3 id=\"a\">Assessment objective</h3><h2>Other</h2><hr>";
        assert_eq!(
            retitle_parts(html, &section),
            "<p>x</p><h2 id=\"guidance\">Discussion</h2><p>y</p><h3 id=\"a\">Determine if</h3><h2>Other</h2><hr>"
        );
    }

    #[test]
    fn repeated_sections_become_one_list() {
        let html = "<p>a</p>\n<h2 id=\"guidance\">Discussion</h2>\n<p>g</p>\n<h2 id=\"example\">Implementation examples</h2>\n<p>Ex1: one</p>\n<h2 id=\"example-2\">Implementation examples</h2>\n<p>Ex2: two</p>\n";
        assert_eq!(
            merge_repeated_sections(html),
            "<p>a</p>\n<h2 id=\"guidance\">Discussion</h2>\n<p>g</p>\n<h2 id=\"example\">Implementation examples</h2>\n<ul class=\"part-items\">\n<li><p>Ex1: one</p></li>\n<li id=\"example-2\"><p>Ex2: two</p></li>\n</ul>\n"
        );
        assert!(matches!(
            merge_repeated_sections("<h2>A</h2><p>x</p><h2>B</h2>"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn lists_keep_their_source_labels() {
        let html = "<ul>\n<li><strong>(a)</strong> one</li>\n</ul><ul>\n<li><strong>A long bold opening</strong> x</li>\n</ul>";
        assert_eq!(
            mark_labelled_lists(html),
            "<ul class=\"part-items\">\n<li><strong>(a)</strong> one</li>\n</ul><ul>\n<li><strong>A long bold opening</strong> x</li>\n</ul>"
        );
    }

    #[test]
    fn without_part_words_nothing_is_copied() {
        let section = FrameworkSection::default();
        assert!(matches!(
            retitle_parts("<h2>Guidance</h2>", &section),
            Cow::Borrowed(_)
        ));
    }
}
