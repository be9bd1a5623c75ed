//! OSCAL prose (the Markdown of OSCAL's JSON format) to the site's Markdown and back.
//!
//! [`to_site`] keeps OSCAL's own Markdown (emphasis, lists, tables, code, web links) and
//! changes what the site would read differently:
//! - `{{ insert: param, x }}` → a `<span class="oscal-param" data-param="x">` placeholder
//!   showing the parameter;
//! - `[text](#id)` → an id link `[text](@id)` when the id is an imported item; to a
//!   back-matter resource with a URL → `<a class="oscal-ref" data-href="#uuid" href="URL">`;
//!   any other link to a file → `<span class="oscal-link" data-href="…">` (it would be a
//!   broken link in the site); brackets before a parenthesis that names no file, as in the
//!   label `AC-3(3)[6](a)`, are text;
//! - text the site's Markdown reads as syntax but OSCAL does not: `<` (raw HTML),
//!   `[[` (wiki links), `[^` (footnotes), `](@` (an id link), `_` at a word's edge, and `&`
//!   when it starts an entity, written as the entities `&lt;`, `&#91;`, `&#93;`, `&#95;`,
//!   `&amp;`.
//!
//! [`from_site`] undoes exactly these, so `from_site(to_site(x)) == x` for every x (the
//! unit tests check hostile strings), and also turns the site's own links (`[text](@ID)`,
//! `[[ID]]`) written by hand into OSCAL fragment links.

use super::{LINK_CLASS, PARAM_CLASS};

/// The HTML class of an imported link to a back-matter resource.
pub const REF_CLASS: &str = "oscal-ref";

/// What [`to_site`] needs to know about the catalog.
pub trait Targets {
    /// The framework id of an imported item with this OSCAL id.
    fn item(&self, oscal_id: &str) -> Option<&str>;
    /// The URL of a back-matter resource.
    fn resource_url(&self, uuid: &str) -> Option<&str>;
    /// How a parameter is shown, as site Markdown.
    fn param_text(&self, id: &str) -> String;
}

/// OSCAL prose as the site's Markdown.
pub fn to_site(prose: &str, targets: &dyn Targets) -> String {
    let bytes = prose.as_bytes();
    let mut out = String::with_capacity(prose.len() + 16);
    let mut at = 0;
    let mut copied = 0;
    while at < bytes.len() {
        let replaced: Option<(String, usize)> = match bytes[at] {
            b'\\' if bytes.get(at + 1).is_some_and(u8::is_ascii_punctuation) => {
                at += 2;
                continue;
            }
            b'`' => {
                at = code_span_end(bytes, at);
                continue;
            }
            b'{' if prose[at..].starts_with("{{") => insert(prose, at, targets),
            b'[' if matches!(bytes.get(at + 1), Some(b'[' | b'^')) => Some(("&#91;".into(), 1)),
            b'[' => link(prose, at, targets),
            b']' if prose[at..].starts_with("](@") => Some(("&#93;".into(), 1)),
            b'<' => Some(("&lt;".into(), 1)),
            b'&' if entity_len(&bytes[at..]).is_some() => Some(("&amp;".into(), 1)),
            b'_' if !intraword(prose, at) => Some(("&#95;".into(), 1)),
            _ => None,
        };
        match replaced {
            Some((text, len)) => {
                out.push_str(&prose[copied..at]);
                out.push_str(&text);
                at += len;
                copied = at;
            }
            None => at += 1,
        }
    }
    out.push_str(&prose[copied..]);
    out
}

/// The site's Markdown as OSCAL prose; `oscal_id` maps a framework id to its OSCAL id.
pub fn from_site(markdown: &str, oscal_id: &dyn Fn(&str) -> String) -> String {
    let bytes = markdown.as_bytes();
    let mut out = String::with_capacity(markdown.len());
    let mut at = 0;
    let mut copied = 0;
    while at < bytes.len() {
        // Every byte matched below is ASCII, so `at` is then on a character boundary.
        let rest = markdown.get(at..).unwrap_or("");
        let replaced: Option<(String, usize)> = match bytes[at] {
            b'\\' if bytes.get(at + 1).is_some_and(u8::is_ascii_punctuation) => {
                at += 2;
                continue;
            }
            b'`' => {
                at = code_span_end(bytes, at);
                continue;
            }
            b'&' => ["&lt;", "&amp;", "&#91;", "&#93;", "&#95;"]
                .iter()
                .zip(["<", "&", "[", "]", "_"])
                .find(|(entity, _)| rest.starts_with(**entity))
                .map(|(entity, plain)| (plain.to_string(), entity.len())),
            b'<' => placeholder(rest, oscal_id),
            b'[' if rest.starts_with("[[") => wiki_link(rest, oscal_id),
            b']' if rest.starts_with("](@") => rest.find(')').map(|end| {
                let id = rest[3..end].trim();
                (format!("](#{})", oscal_id(id)), end + 1)
            }),
            // A link destination is copied as it is.
            b']' if rest.starts_with("](") => {
                at = matching(bytes, at + 1, b'(', b')').map_or(at + 2, |end| end + 1);
                continue;
            }
            _ => None,
        };
        match replaced {
            Some((text, len)) => {
                out.push_str(&markdown[copied..at]);
                out.push_str(&text);
                at += len;
                copied = at;
            }
            None => at += 1,
        }
    }
    out.push_str(&markdown[copied..]);
    out
}

/// The end of a code span starting at a backtick run (or of the run alone when it is not
/// closed): code is copied as it is in both directions.
fn code_span_end(bytes: &[u8], start: usize) -> usize {
    let run = bytes[start..].iter().take_while(|&&b| b == b'`').count();
    let mut at = start + run;
    while at < bytes.len() {
        if bytes[at] == b'`' {
            let close = bytes[at..].iter().take_while(|&&b| b == b'`').count();
            if close == run {
                return at + close;
            }
            at += close;
        } else {
            at += 1;
        }
    }
    start + run
}

/// The length of an entity-like `&name;` or `&#123;` at the start.
fn entity_len(bytes: &[u8]) -> Option<usize> {
    let body = bytes[1..]
        .iter()
        .take(32)
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'#')
        .count();
    (body > 0 && bytes.get(1 + body) == Some(&b';')).then_some(body + 2)
}

/// True when the `_` at `at` stands between two letters or digits (never emphasis).
fn intraword(text: &str, at: usize) -> bool {
    let before = text[..at].chars().next_back();
    let after = text[at + 1..].chars().next();
    before.is_some_and(char::is_alphanumeric) && after.is_some_and(char::is_alphanumeric)
}

/// `{{ insert: param, id }}` as a placeholder; other `{{ … }}` stay as they are.
fn insert(prose: &str, at: usize, targets: &dyn Targets) -> Option<(String, usize)> {
    let end = prose[at..].find("}}")?;
    let inner = prose[at + 2..at + end].trim();
    let (kind, id) = inner.strip_prefix("insert:")?.split_once(',')?;
    let (kind, id) = (kind.trim(), id.trim());
    if kind != "param" || id.is_empty() || id.contains(['"', '<', '>', '&']) {
        return None;
    }
    let shown = targets.param_text(id);
    let span = format!("<span class=\"{PARAM_CLASS}\" data-param=\"{id}\">{shown}</span>");
    Some((span, end + 2))
}

/// `[text](href)` at `at`, rewritten for the site (see the module comment).
fn link(prose: &str, at: usize, targets: &dyn Targets) -> Option<(String, usize)> {
    let bytes = prose.as_bytes();
    let close = matching(bytes, at, b'[', b']')?;
    if bytes.get(close + 1) != Some(&b'(') {
        return None;
    }
    let end = matching(bytes, close + 1, b'(', b')')?;
    let href = &prose[close + 2..end];
    if href.contains(['"', '<', '>', ' ', '\n']) {
        return None;
    }
    // `[6](a)` in an assessment label is text, not a link to a file named `a`.
    let fragment = href.strip_prefix('#');
    let external = href.contains("://") || href.starts_with("mailto:");
    if fragment.is_none() && !external && !href.contains(['.', '/']) {
        return Some(("&#91;".into(), 1));
    }
    let text = to_site(&prose[at + 1..close], targets);
    let len = end + 1 - at;
    if external {
        return Some((format!("[{text}]({href})"), len));
    }
    let fragment = fragment.unwrap_or("");
    if let Some(id) = targets.item(fragment) {
        return Some((format!("[{text}](@{id})"), len));
    }
    if let Some(url) = targets.resource_url(fragment).filter(|u| !u.contains('"')) {
        let a = format!("<a class=\"{REF_CLASS}\" data-href=\"{href}\" href=\"{url}\">{text}</a>");
        return Some((a, len));
    }
    let span = format!("<span class=\"{LINK_CLASS}\" data-href=\"{href}\">{text}</span>");
    Some((span, len))
}

/// The index of the bracket closing the one at `open` (nesting and escapes counted).
fn matching(bytes: &[u8], open: usize, left: u8, right: u8) -> Option<usize> {
    let mut depth = 0usize;
    let mut at = open;
    while at < bytes.len() {
        match bytes[at] {
            b'\\' => at += 1,
            b if b == left => depth += 1,
            b if b == right => {
                depth -= 1;
                if depth == 0 {
                    return Some(at);
                }
            }
            _ => {}
        }
        at += 1;
    }
    None
}

/// A placeholder of [`to_site`] (`<span class="oscal-param" …>`, `<span class="oscal-link"
/// …>`, `<a class="oscal-ref" …>`) back as OSCAL.
fn placeholder(rest: &str, oscal_id: &dyn Fn(&str) -> String) -> Option<(String, usize)> {
    let param = format!("<span class=\"{PARAM_CLASS}\" data-param=\"");
    let link = format!("<span class=\"{LINK_CLASS}\" data-href=\"");
    let reference = format!("<a class=\"{REF_CLASS}\" data-href=\"");
    let (open, tag) = if rest.starts_with(&param) {
        (param, "span")
    } else if rest.starts_with(&link) {
        (link, "span")
    } else if rest.starts_with(&reference) {
        (reference, "a")
    } else {
        return None;
    };
    let after = &rest[open.len()..];
    let value = &after[..after.find('"')?];
    let inner_start = open.len() + after.find('>')? + 1;
    let inner_end = closing_tag(rest, inner_start, tag)?;
    let len = inner_end + tag.len() + 3;
    if open.contains(PARAM_CLASS) {
        return Some((format!("{{{{ insert: param, {value} }}}}"), len));
    }
    let text = from_site(&rest[inner_start..inner_end], oscal_id);
    Some((format!("[{text}]({value})"), len))
}

/// Where the `</tag>` that closes an element whose content starts at `from` stands.
fn closing_tag(text: &str, from: usize, tag: &str) -> Option<usize> {
    let open = format!("<{tag}");
    let close = format!("</{tag}>");
    let mut depth = 1;
    let mut at = from;
    loop {
        let next_close = text[at..].find(&close)? + at;
        let next_open = text[at..].find(&open).map(|o| o + at);
        match next_open {
            Some(o) if o < next_close => {
                depth += 1;
                at = o + open.len();
            }
            _ => {
                depth -= 1;
                if depth == 0 {
                    return Some(next_close);
                }
                at = next_close + close.len();
            }
        }
    }
}

/// `[[ID]]` written by hand as an OSCAL fragment link.
fn wiki_link(rest: &str, oscal_id: &dyn Fn(&str) -> String) -> Option<(String, usize)> {
    let end = rest.find("]]")?;
    let id = rest[2..end].trim();
    if id.is_empty() || id.contains(['[', '\n']) {
        return None;
    }
    Some((format!("[{id}](#{})", oscal_id(id)), end + 2))
}
