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
        let Some(open_end) = rest[at..].find('>').map(|e| at + e + 1).filter(|_| is_heading)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_headings_take_the_publishers_words() {
        let mut section = FrameworkSection::default();
        section
            .parts
            .insert("guidance".into(), "Discussion".into());
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
    fn without_part_words_nothing_is_copied() {
        let section = FrameworkSection::default();
        assert!(matches!(
            retitle_parts("<h2>Guidance</h2>", &section),
            Cow::Borrowed(_)
        ));
    }
}
