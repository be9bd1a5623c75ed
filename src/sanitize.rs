//! Raw HTML in Markdown, cleaned with ammonia against an allow-list fit for framework prose:
//! tables, `details`/`summary`, `abbr`, `sup`/`sub`, `kbd`, definition lists, headings with
//! ids, code with the highlighter's classes, task-list boxes, and links (`@ID` placeholders,
//! relative and http(s) URLs). No script, style, event handlers, `javascript:` URLs,
//! frames or forms.
//!
//! ammonia does the cleaning; [`stripped`] names, for the author, what it will take out of
//! one fragment of raw HTML, so that a warning can point at the line that wrote it.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// Elements kept.
const TAGS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "input",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "section",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    "var",
    "wbr",
];

/// Elements removed with everything inside them (not just their tags).
const REMOVED_WITH_CONTENT: &[&str] = &["script", "style"];

/// Attributes kept on every element.
const GENERIC_ATTRIBUTES: &[&str] = &["class", "id", "title", "lang", "dir"];

/// Attributes kept on some elements only.
const TAG_ATTRIBUTES: &[(&str, &[&str])] = &[
    // `data-href` and `data-param`: where OSCAL prose imported as a project keeps its links
    // and parameter insertions (src/oscal/prose.rs), so that the export gives them back.
    ("a", &["href", "hreflang", "data-href"]),
    ("span", &["data-param", "data-href"]),
    ("img", &["src", "alt", "width", "height", "loading"]),
    ("ol", &["start", "reversed", "type"]),
    ("li", &["value"]),
    ("td", &["colspan", "rowspan", "headers", "style"]),
    ("th", &["colspan", "rowspan", "headers", "scope", "style"]),
    ("col", &["span"]),
    ("colgroup", &["span"]),
    ("details", &["open"]),
    ("time", &["datetime"]),
    ("q", &["cite"]),
    ("blockquote", &["cite"]),
    ("del", &["cite", "datetime"]),
    ("ins", &["cite", "datetime"]),
    ("input", &["checked", "disabled"]),
];

/// Attributes every element of a kind gets, whatever the source said: a task-list box is
/// a checkbox, never a text field. (One only: ammonia adds them in hash order, and a page
/// must come out the same in every build.)
const FORCED_ATTRIBUTES: &[(&str, &str, &str)] = &[("input", "type", "checkbox")];

/// URL schemes kept in links and images (relative URLs and `@ID` placeholders are kept).
const URL_SCHEMES: &[&str] = &["http", "https", "mailto"];

/// Attributes that hold a URL.
const URL_ATTRIBUTES: &[&str] = &["href", "src", "cite"];

/// The one CSS property kept in `style` (tables' column alignment, which Markdown writes).
const STYLE_PROPERTIES: &[&str] = &["text-align"];

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::empty();
    let tag_attributes: HashMap<&str, HashSet<&str>> = TAG_ATTRIBUTES
        .iter()
        .map(|(tag, attributes)| (*tag, attributes.iter().copied().collect()))
        .collect();
    builder
        .tags(TAGS.iter().copied().collect())
        .clean_content_tags(REMOVED_WITH_CONTENT.iter().copied().collect())
        .generic_attributes(GENERIC_ATTRIBUTES.iter().copied().collect())
        .tag_attributes(tag_attributes)
        .url_schemes(URL_SCHEMES.iter().copied().collect())
        .url_relative(ammonia::UrlRelative::PassThrough)
        .filter_style_properties(STYLE_PROPERTIES.iter().copied().collect())
        .link_rel(None)
        .strip_comments(true);
    for (tag, attribute, value) in FORCED_ATTRIBUTES {
        builder.set_tag_attribute_value(*tag, *attribute, *value);
    }
    builder
});

/// `html` with everything outside the allow-list removed.
pub fn clean(html: &str) -> String {
    CLEANER.clean(html).to_string()
}

/// What cleaning takes out of one fragment of raw HTML as written in Markdown (a tag, an
/// attribute, a URL), described for a warning: `<script>`, `onerror` attribute on `<img>`,
/// `javascript:` URL. Empty when the fragment is kept whole (apart from comments). A
/// fragment is a tag or a few: a scan of tags and attributes, not a full HTML parse (ammonia
/// does that for the cleaning itself).
pub fn stripped(fragment: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = fragment;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        if let Some(comment) = rest.strip_prefix("!--") {
            rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
            continue;
        }
        let name_len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .unwrap_or(rest.len());
        if name_len == 0 || !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue; // a closing tag, a declaration, or a `<` in text
        }
        let tag = rest[..name_len].to_ascii_lowercase();
        rest = &rest[name_len..];
        if !TAGS.contains(&tag.as_str()) {
            let note = format!("`<{tag}>`");
            if !found.contains(&note) {
                found.push(note);
            }
            continue;
        }
        let (attributes, after) = attributes_of(rest);
        rest = after;
        for (name, value) in attributes {
            if let Some(problem) = attribute_problem(&tag, &name, value.as_deref()) {
                found.push(problem);
            }
        }
    }
    found
}

/// Why cleaning removes attribute `name` (with `value`) from element `tag`, if it does.
fn attribute_problem(tag: &str, name: &str, value: Option<&str>) -> Option<String> {
    let allowed = GENERIC_ATTRIBUTES.contains(&name)
        || TAG_ATTRIBUTES
            .iter()
            .any(|(t, attributes)| *t == tag && attributes.contains(&name))
        || FORCED_ATTRIBUTES
            .iter()
            .any(|(t, attribute, _)| *t == tag && *attribute == name);
    if !allowed {
        return Some(format!("`{name}` attribute on `<{tag}>`"));
    }
    let value = value.unwrap_or("");
    if URL_ATTRIBUTES.contains(&name) {
        if let Some(scheme) = url_scheme(value) {
            if !URL_SCHEMES.contains(&scheme.as_str()) {
                return Some(format!("`{scheme}:` URL in `{name}`"));
            }
        }
    }
    if name == "style" {
        let other = value
            .split(';')
            .filter_map(|declaration| declaration.split_once(':'))
            .map(|(property, _)| property.trim().to_ascii_lowercase())
            .find(|property| !STYLE_PROPERTIES.contains(&property.as_str()));
        if let Some(property) = other {
            return Some(format!("`{property}` in `style`"));
        }
    }
    None
}

/// The scheme of a URL (lower case, with the blanks and control characters browsers ignore
/// taken out), or None for a relative URL.
fn url_scheme(url: &str) -> Option<String> {
    let squeezed: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    let squeezed = squeezed.replace("&colon;", ":").replace("&#58;", ":");
    let end = squeezed.find([':', '/', '?', '#'])?;
    (squeezed.as_bytes()[end] == b':').then(|| squeezed[..end].to_ascii_lowercase())
}

/// The attributes at the start of `text` (just after a tag's name), and the text after the
/// tag's `>`.
fn attributes_of(text: &str) -> (Vec<(String, Option<String>)>, &str) {
    let mut attributes = Vec::new();
    let mut rest = text;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() || rest.starts_with('>') || rest.starts_with('<') {
            return (attributes, rest.strip_prefix('>').unwrap_or(rest));
        }
        let name_len = rest
            .find(|c: char| c.is_whitespace() || matches!(c, '=' | '>' | '/' | '<'))
            .unwrap_or(rest.len())
            .max(1);
        let name = rest[..name_len].to_ascii_lowercase();
        rest = rest[name_len..].trim_start();
        let Some(after_equals) = rest.strip_prefix('=') else {
            attributes.push((name, None));
            continue;
        };
        let after_equals = after_equals.trim_start();
        let (value, after) = match after_equals.chars().next() {
            Some(quote @ ('"' | '\'')) => {
                let inner = &after_equals[1..];
                let end = inner.find(quote).unwrap_or(inner.len());
                (&inner[..end], inner.get(end + 1..).unwrap_or(""))
            }
            _ => {
                let end = after_equals
                    .find(|c: char| c.is_whitespace() || c == '>')
                    .unwrap_or(after_equals.len());
                (&after_equals[..end], &after_equals[end..])
            }
        };
        attributes.push((name, Some(value.to_string())));
        rest = after;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_handlers_and_script_urls_are_removed() {
        let html = clean(concat!(
            "<p>a<script>alert(1)</script></p>",
            "<img src=\"x.png\" onerror=\"alert(2)\">",
            "<a href=\"javascript:alert(3)\">j</a>",
            "<a href=\" JaVaScRiPt:alert(4)\">k</a>",
            "<iframe src=\"https://example.org\"></iframe><form><input type=\"text\"></form>",
            "<style>body{}</style><p style=\"color:red\" onclick=\"x()\">s</p>",
        ));
        for gone in [
            "script",
            "alert(1)",
            "onerror",
            "javascript",
            "JaVaScRiPt",
            "iframe",
            "form",
            "type=\"text\"",
            "style",
            "onclick",
        ] {
            assert!(!html.contains(gone), "`{gone}` kept in {html}");
        }
        assert!(html.contains("<img src=\"x.png\">"), "{html}");
    }

    #[test]
    fn framework_prose_is_kept() {
        for kept in [
            "<table><thead><tr><th style=\"text-align:center\">H</th></tr></thead><tbody><tr><td>c</td></tr></tbody></table>",
            "<details open=\"\"><summary>More</summary><p>x</p></details>",
            "<p><abbr title=\"Information Security Management System\">ISMS</abbr> x<sup>2</sup> H<sub>2</sub>O <kbd>Ctrl</kbd></p>",
            "<dl><dt>Term</dt><dd>Meaning</dd></dl>",
            "<h2 id=\"scope\">Scope</h2>",
            "<pre class=\"code\"><code class=\"language-rust\"><span class=\"keyword\">fn</span></code></pre>",
            "<ul><li><input checked=\"\" disabled=\"\" type=\"checkbox\">done</li></ul>",
            "<ul><li><input disabled=\"\" checked=\"\" type=\"checkbox\">done</li></ul>",
            "<p><a href=\"@ID.AM-01\">item</a> <a href=\"../other/\">rel</a> <a href=\"https://example.org/x\">abs</a> <a href=\"#top\">top</a></p>",
        ] {
            assert_eq!(clean(kept), kept);
        }
    }

    #[test]
    fn what_is_stripped_is_named() {
        assert_eq!(stripped("<script>"), ["`<script>`"]);
        assert_eq!(
            stripped("<img src=x onerror='alert(1)'>"),
            ["`onerror` attribute on `<img>`"]
        );
        assert_eq!(
            stripped("<a href=\"java\tscript:alert(1)\">"),
            ["`javascript:` URL in `href`"]
        );
        assert_eq!(
            stripped("<td style=\"color: red\">"),
            ["`color` in `style`"]
        );
        for kept in [
            "<details open>",
            "</details>",
            "<abbr title=\"x\">",
            "<!-- a note -->",
            "<a href=\"@ID.AM-01\">",
            "<a href=\"../x/?a=b:c\">",
            "a < b",
            "<br/>",
        ] {
            assert!(stripped(kept).is_empty(), "{kept}: {:?}", stripped(kept));
        }
    }
}
