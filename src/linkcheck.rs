//! Output link check: every internal `href`/`src` in the rendered pages must reach a file
//! that the build writes, and every `#fragment` an element id on that page.

use std::collections::{HashMap, HashSet};

use crate::diagnostics::{Diagnostic, Span};
use crate::render::{SHARED_END, SHARED_START};

/// The ids and links found in one rendered page.
#[derive(Debug, Clone, Default)]
pub struct PageLinks {
    /// Values of `id="…"` attributes.
    pub ids: HashSet<String>,
    /// Values of `href="…"` and `src="…"` attributes.
    pub links: Vec<String>,
}

/// Scans HTML for `id`, `href` and `src` attributes (as the theme writes them: double quotes).
/// Shared fragments (between the render module's markers) are skipped: they are checked
/// once on their own.
pub fn scan(html: &str) -> PageLinks {
    let mut page = PageLinks::default();
    let mut from = 0;
    for range in shared_ranges(html) {
        scan_part(html, from..range.start, &mut page);
        from = range.end;
    }
    scan_part(html, from..html.len(), &mut page);
    page
}

fn scan_part(html: &str, range: std::ops::Range<usize>, page: &mut PageLinks) {
    let part = &html[range];
    let bytes = part.as_bytes();
    let finder = memchr::memmem::Finder::new("=\"");
    let mut skip_to = 0;
    for eq in finder.find_iter(bytes) {
        if eq < skip_to {
            continue;
        }
        let value_start = eq + 2;
        let value_end =
            memchr::memchr(b'"', &bytes[value_start..]).map_or(bytes.len(), |i| value_start + i);
        skip_to = value_end;
        let name_start = bytes[..eq]
            .iter()
            .rposition(|b| !(b.is_ascii_alphanumeric() || *b == b'-'))
            .map_or(0, |i| i + 1);
        if name_start == 0 || !bytes[name_start - 1].is_ascii_whitespace() {
            continue;
        }
        let value = || unescape(&part[value_start..value_end]);
        match &bytes[name_start..eq] {
            b"id" => {
                page.ids.insert(value());
            }
            b"href" | b"src" => page.links.push(value()),
            _ => {}
        }
    }
}

fn shared_ranges(html: &str) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    let mut from = 0;
    while let Some(start) = html[from..].find(SHARED_START) {
        let start = from + start;
        let end = html[start..]
            .find(SHARED_END)
            .map_or(html.len(), |e| start + e);
        ranges.push(start..end);
        from = end;
    }
    ranges
}

fn unescape(value: &str) -> String {
    if !value.contains('&') {
        return value.to_string();
    }
    value
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(byte) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Where a link from the page at `page_path` leads: the site file and the fragment.
/// None for external links and links that leave the site.
pub fn resolve(page_path: &str, link: &str, base_path: &str) -> Option<(String, Option<String>)> {
    let link = link.trim();
    if link.is_empty()
        || link.starts_with("//")
        || link.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        })
    {
        return None;
    }
    let (path, fragment) = match link.split_once('#') {
        Some((path, fragment)) => (path, Some(percent_decode(fragment))),
        None => (link, None),
    };
    let path = path.split('?').next().unwrap_or("");
    let mut parts: Vec<String> = if let Some(absolute) = path.strip_prefix('/') {
        // Absolute paths (used by 404.html) start at the site's base path.
        let inside = format!("/{absolute}");
        vec![inside.strip_prefix(base_path)?.to_string()]
    } else if path.is_empty() {
        return Some((page_path.to_string(), fragment));
    } else {
        let dir = page_path.rsplit_once('/').map_or("", |(dir, _)| dir);
        vec![dir.to_string(), path.to_string()]
    };
    parts.retain(|p| !p.is_empty());
    let joined = parts.join("/");
    let mut resolved: Vec<&str> = Vec::new();
    for segment in joined.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                resolved.pop()?;
            }
            other => resolved.push(other),
        }
    }
    let mut file = percent_decode(&resolved.join("/"));
    if path.ends_with('/') || file.is_empty() {
        if !file.is_empty() {
            file.push('/');
        }
        file.push_str("index.html");
    }
    Some((file, fragment))
}

/// Checks every page's links against the files written and the ids of each page.
pub fn verify(
    pages: &HashMap<String, PageLinks>,
    files: &HashSet<String>,
    base_path: &str,
) -> Vec<Diagnostic> {
    let all: Vec<&str> = pages.keys().map(String::as_str).collect();
    verify_pages(&all, pages, files, base_path)
}

/// Checks the links of the pages named in `which` (after a partial re-render), looking
/// their targets up among all `pages`.
pub fn verify_pages(
    which: &[&str],
    pages: &HashMap<String, PageLinks>,
    files: &HashSet<String>,
    base_path: &str,
) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    let mut sorted: Vec<_> = which
        .iter()
        .filter_map(|path| pages.get_key_value(*path))
        .collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    sorted
        .par_iter()
        .flat_map_iter(|(page_path, page)| {
            page.links
                .iter()
                .filter_map(|link| broken(page_path, link, pages, files, base_path))
                .map(|message| {
                    Diagnostic::error("E0070", message)
                        .at(Span::file(page_path.to_string()))
                        .help("the theme or the content produced this link; check the template or the link's target")
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Why a link is broken, or None when it is fine (or leaves the site).
fn broken(
    page_path: &str,
    link: &str,
    pages: &HashMap<String, PageLinks>,
    files: &HashSet<String>,
    base_path: &str,
) -> Option<String> {
    let (file, fragment) = resolve(page_path, link, base_path)?;
    let Some(target) = pages.get(&file) else {
        return (!files.contains(&file))
            .then(|| format!("broken link `{link}` in {page_path}: no file {file}"));
    };
    let fragment = fragment.filter(|f| !f.is_empty())?;
    (!target.ids.contains(&fragment)).then(|| {
        format!("broken link `{link}` in {page_path}: {file} has no element with id `{fragment}`")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_attributes() {
        let page = scan(
            r#"<a href="../x/#A.1" id="top"><tr id="ID.AM-01" data-id="no"><img src="a.png">"#,
        );
        assert!(page.ids.contains("top") && page.ids.contains("ID.AM-01"));
        assert_eq!(page.ids.len(), 2);
        assert_eq!(page.links, ["../x/#A.1", "a.png"]);
    }

    #[test]
    fn resolves_relative_and_absolute_links() {
        let r = |page: &str, link: &str| resolve(page, link, "/repo/");
        assert_eq!(
            r("a/b/index.html", "../"),
            Some(("a/index.html".into(), None))
        );
        assert_eq!(
            r("a/b/index.html", "../../"),
            Some(("index.html".into(), None))
        );
        assert_eq!(r("index.html", "./"), Some(("index.html".into(), None)));
        assert_eq!(
            r("a/index.html", "#X"),
            Some(("a/index.html".into(), Some("X".into())))
        );
        assert_eq!(
            r("a/index.html", "../static/s.css"),
            Some(("static/s.css".into(), None))
        );
        assert_eq!(
            r("404.html", "/repo/identify/"),
            Some(("identify/index.html".into(), None))
        );
        assert_eq!(r("404.html", "/elsewhere/"), None);
        assert_eq!(r("a/index.html", "https://iso.org/"), None);
        assert_eq!(r("a/index.html", "mailto:x@y"), None);
        assert_eq!(r("index.html", "../../up"), None);
    }

    #[test]
    fn reports_missing_files_and_fragments() {
        let mut pages = HashMap::new();
        pages.insert("index.html".to_string(), scan(r##"<a href="a/">a</a><a href="a/#x">x</a><a href="a/#nope">n</a><a href="b/">b</a>"##));
        pages.insert(
            "a/index.html".to_string(),
            scan(r#"<p id="x"></p><a href="../">up</a>"#),
        );
        let problems = verify(&pages, &HashSet::new(), "/");
        let messages: Vec<_> = problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].contains("nope") || messages[1].contains("nope"));
        assert!(messages.iter().any(|m| m.contains("no file b/index.html")));
    }
}
