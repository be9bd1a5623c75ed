//! Parameters on an item's page: the insertion points of its statement read as NIST
//! prints them ("[Assignment: organization-defined frequency]", "[Selection (one or
//! more): …]") or, when a value is set, as that value marked as set; and the table of
//! parameters beside the statement (label, guideline, choices, value).

use std::borrow::Cow;
use std::fmt::Write;

use crate::html::{escape, push_escaped};
use crate::model::{Framework, Node, Param};

/// The class the OSCAL import gives the placeholder of an insertion point
/// (`<span class="oscal-param" data-param="ID">…</span>`); kept as written so the export
/// finds it again.
const IMPORTED: &str = "<span class=\"oscal-param\" data-param=\"";

/// The parameters an item's prose may insert: its own, then its ancestors' (an
/// enhancement may use its control's).
pub fn lookup<'f>(framework: &'f Framework, node: &'f Node) -> impl Fn(&str) -> Option<Param> + 'f {
    move |id: &str| {
        let mut at = Some(node);
        while let Some(n) = at {
            if let Some(param) = n.params().into_iter().find(|p| p.id == id) {
                return Some(param);
            }
            at = n.parent.map(|p| &framework.nodes[p]);
        }
        None
    }
}

/// One insertion point as HTML: the publisher's blank, or the set value marked as set.
pub fn insertion_html(id: &str, lookup: &dyn Fn(&str) -> Option<Param>) -> String {
    let (text, set) = match lookup(id) {
        Some(param) => {
            let shown = param.insertion(lookup);
            (shown.text, shown.set)
        }
        None => (format!("[Assignment: {id}]"), false),
    };
    let mut html = String::with_capacity(text.len() + 80);
    if set {
        html.push_str("<ins class=\"param param-set\" data-param=\"");
        push_escaped(&mut html, id);
        html.push_str("\" title=\"Value set for this framework\">");
        push_escaped(&mut html, &text);
        html.push_str("</ins>");
    } else {
        html.push_str("<span class=\"param\" data-param=\"");
        push_escaped(&mut html, id);
        html.push_str("\">");
        push_escaped(&mut html, &text);
        html.push_str("</span>");
    }
    html
}

/// HTML with every insertion point (`{{ insert: param, id }}` as written by hand, or the
/// import's placeholder) replaced by [`insertion_html`].
pub fn fill<'h>(html: &'h str, lookup: &dyn Fn(&str) -> Option<Param>) -> Cow<'h, str> {
    if !html.contains("{{") && !html.contains(IMPORTED) {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    loop {
        let braces = rest.find("{{");
        let imported = rest.find(IMPORTED);
        let at = match (braces, imported) {
            (Some(b), Some(i)) => b.min(i),
            (Some(at), None) | (None, Some(at)) => at,
            (None, None) => break,
        };
        out.push_str(&rest[..at]);
        let here = &rest[at..];
        match placeholder(here) {
            Some((id, len)) => {
                out.push_str(&insertion_html(&crate::html::unescape(id), lookup));
                rest = &here[len..];
            }
            None => {
                out.push_str(&here[..2]);
                rest = &here[2..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The parameter id and length of the insertion point at the start of `text`.
fn placeholder(text: &str) -> Option<(&str, usize)> {
    if let Some(after) = text.strip_prefix("{{") {
        let end = after.find("}}")?;
        let id = crate::model::insert_target(&after[..end])?;
        return Some((id, end + 4));
    }
    let after = text.strip_prefix(IMPORTED)?;
    let id = &after[..after.find('"')?];
    let inner = IMPORTED.len() + after.find('>')? + 1;
    let end = closing_span(text, inner)?;
    Some((id, end + "</span>".len()))
}

/// Where the `</span>` closing a span whose content starts at `from` stands (nested spans
/// counted: a selection's choices may insert other parameters).
fn closing_span(text: &str, from: usize) -> Option<usize> {
    let mut depth = 1usize;
    let mut at = from;
    loop {
        let open = text[at..].find("<span").map(|o| o + at);
        let close = text[at..].find("</span>").map(|c| c + at)?;
        match open {
            Some(open) if open < close => {
                depth += 1;
                at = open + 5;
            }
            Some(_) | None => {
                depth -= 1;
                if depth == 0 {
                    return Some(close);
                }
                at = close + 7;
            }
        }
    }
}

/// The table of an item's parameters, or an empty string when it has none.
pub fn table(node: &Node, lookup: &dyn Fn(&str) -> Option<Param>) -> String {
    let params = node.params();
    if params.is_empty() {
        return String::new();
    }
    let mut html = String::from(
        "<div class=\"table-wrap\"><table class=\"params-table\"><caption>Parameters of ",
    );
    push_escaped(&mut html, node.shown_id());
    html.push_str(
        "</caption><thead><tr><th scope=\"col\">Parameter</th><th scope=\"col\">Defines</th>\
         <th scope=\"col\">Choices</th><th scope=\"col\">Value</th></tr></thead><tbody>",
    );
    for param in &params {
        let _ = write!(
            html,
            "<tr id=\"param-{0}\"><th scope=\"row\"><code>{0}</code></th><td>",
            escape(&param.id)
        );
        if let Some(label) = &param.label {
            push_escaped(&mut html, &crate::model::fill_inserts(label, lookup, 1));
        }
        for guideline in &param.guidelines {
            html.push_str("<p class=\"param-guideline\">");
            push_escaped(&mut html, guideline.trim());
            html.push_str("</p>");
        }
        html.push_str("</td><td>");
        if let Some(select) = &param.select {
            html.push_str(if select.one_or_more {
                "One or more of:"
            } else {
                "One of:"
            });
            html.push_str("<ul class=\"param-choices\">");
            for choice in &select.choices {
                html.push_str("<li>");
                push_escaped(&mut html, &crate::model::fill_inserts(choice, lookup, 1));
                html.push_str("</li>");
            }
            html.push_str("</ul>");
        }
        html.push_str("</td><td>");
        if param.values.is_empty() {
            html.push_str("<span class=\"param-unset\">Not set</span>");
        } else {
            html.push_str(&insertion_html(&param.id, lookup));
        }
        html.push_str("</td></tr>");
    }
    html.push_str("</tbody></table></div>");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(id: &str) -> Option<Param> {
        match id {
            "freq" => Some(Param {
                id: "freq".into(),
                label: Some("organization-defined frequency".into()),
                ..Param::default()
            }),
            "set" => Some(Param {
                id: "set".into(),
                label: Some("frequency".into()),
                values: vec!["at least every 3 years".into()],
                ..Param::default()
            }),
            _ => None,
        }
    }

    #[test]
    fn hand_written_insertion_points_read_as_nist_prints_them() {
        let html = fill(
            "<p>Review {{ insert: param, freq }} and {{ other }}.</p>",
            &params,
        );
        assert_eq!(
            html,
            "<p>Review <span class=\"param\" data-param=\"freq\">[Assignment: organization-defined frequency]</span> and {{ other }}.</p>"
        );
    }

    #[test]
    fn imported_placeholders_are_replaced_whole_even_when_nested() {
        let html = "<p>a <span class=\"oscal-param\" data-param=\"set\">[Assignment: <span class=\"oscal-param\" data-param=\"freq\">x</span>]</span> b</p>";
        let filled = fill(html, &params);
        assert_eq!(
            filled,
            "<p>a <ins class=\"param param-set\" data-param=\"set\" title=\"Value set for this framework\">at least every 3 years</ins> b</p>"
        );
    }

    #[test]
    fn text_without_insertion_points_is_not_copied() {
        assert!(matches!(fill("<p>plain</p>", &params), Cow::Borrowed(_)));
        assert_eq!(fill("{{ unclosed", &params), "{{ unclosed");
    }
}
