//! Output link check: every internal `href`/`src` in the rendered pages must reach a file
//! that the build writes, and every `#fragment` an element id on that page.

use std::path::Path;

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use crate::diagnostics::{Diagnostic, Span};
use crate::model::Framework;
use crate::render::{root_prefix, SHARED_END, SHARED_START};

/// Every page's ids and the links that still need checking, by page path.
pub type ScannedPages = HashMap<String, PageLinks>;

/// A set of paths (or ids) of the site.
pub type Paths = HashSet<String>;

/// The ids and links found in one rendered page.
#[derive(Debug, Clone, Default)]
pub struct PageLinks {
    /// Values of `id="…"` attributes.
    pub ids: HashSet<String>,
    /// Values of `href="…"` and `src="…"` attributes.
    pub links: Vec<String>,
}

impl PageLinks {
    /// Drops the links of the page at `page_path` that are settled without looking at any
    /// other page: those that leave the site, those to a file of the site without a
    /// fragment, and those to an id of this page. What stays is checked by [`verify`],
    /// which still finds every broken link (one to a missing file stays, too).
    pub fn drop_settled(&mut self, page_path: &str, site: &SiteFiles, base_path: &str) {
        self.drop_settled_from(&root_prefix(page_path), page_path, site, base_path);
    }

    /// [`PageLinks::drop_settled`] with the page's way back to the site root (`root`).
    fn drop_settled_from(
        &mut self,
        root: &str,
        page_path: &str,
        site: &SiteFiles,
        base_path: &str,
    ) {
        let ids = &self.ids;
        self.links.retain(|link| {
            if let Some(settled) = settled_fast(link, root, site) {
                return !settled;
            }
            match resolve(page_path, link, base_path) {
                None => false,
                Some((file, None)) => !site.files.contains(&file),
                Some((file, Some(fragment))) => {
                    let settled = fragment.is_empty() && site.files.contains(&file)
                        || file == page_path && ids.contains(&fragment);
                    !settled
                }
            }
        });
        self.links.shrink_to_fit();
    }
}

/// The files of a site, and the folders whose `index.html` is among them, for looking up
/// links without building paths.
#[derive(Debug, Default)]
pub struct SiteFiles {
    /// Every file, as a `/`-separated path inside the site.
    pub files: HashSet<String>,
    /// `a/b/` for every `a/b/index.html` in `files` (`` for the home page).
    folders: HashSet<String>,
}

impl SiteFiles {
    /// Indexes `files`.
    pub fn new(files: HashSet<String>) -> SiteFiles {
        let folders = files
            .iter()
            .filter_map(|f| {
                (f == "index.html")
                    .then_some("")
                    .or_else(|| f.strip_suffix("/index.html"))
            })
            .map(|dir| {
                if dir.is_empty() {
                    String::new()
                } else {
                    format!("{dir}/")
                }
            })
            .collect();
        SiteFiles { files, folders }
    }
}

/// Whether a link written the way the theme writes most of them (the page's way back to
/// the site root, then a plain site path) is settled: true when it reaches a file without
/// naming a fragment, false when its fragment needs the target's ids or its file is
/// missing. None for any other shape, which [`resolve`] handles.
fn settled_fast(link: &str, root: &str, site: &SiteFiles) -> Option<bool> {
    let rest = link.strip_prefix(root)?;
    // One pass for what only `resolve` handles: escapes, queries, schemes, `.` segments.
    let mut previous = b'/';
    for &byte in rest.as_bytes() {
        if matches!(byte, b'%' | b'&' | b'?' | b':') || previous == b'/' && byte == b'.' {
            return None;
        }
        previous = byte;
    }
    if rest.starts_with(['/', '#']) {
        return None;
    }
    let (path, fragment) = match rest.split_once('#') {
        Some((path, fragment)) => (path, fragment),
        None => (rest, ""),
    };
    let exists = if path.is_empty() || path.ends_with('/') {
        site.folders.contains(path)
    } else {
        site.files.contains(path)
    };
    Some(exists && fragment.is_empty())
}

/// Scans HTML for `id`, `href` and `src` attributes (as the theme writes them: double quotes).
/// Shared fragments (between the render module's markers) are skipped: they are checked
/// once on their own.
pub fn scan(html: &str) -> PageLinks {
    let mut page = PageLinks::default();
    scan_into(html, &mut page);
    page
}

/// Like [`scan`] followed by [`PageLinks::drop_settled`], for a page made of `parts`
/// (whole elements each), but a link that is settled at once (most are) is never copied
/// out of the page.
pub fn scan_unsettled(
    parts: &[impl AsRef<str>],
    page_path: &str,
    site: &SiteFiles,
    base_path: &str,
) -> PageLinks {
    let root = root_prefix(page_path);
    let mut found = Unsettled {
        page: PageLinks::default(),
        root: &root,
        site,
        fragments: Vec::new(),
    };
    for part in parts {
        scan_into(part.as_ref(), &mut found);
    }
    let Unsettled {
        mut page,
        fragments,
        ..
    } = found;
    // Now that all the page's ids are known, its links to them are settled.
    for fragment in fragments {
        if !page.ids.contains(fragment) {
            page.links.push(format!("#{fragment}"));
        }
    }
    page.drop_settled_from(&root, page_path, site, base_path);
    page
}

/// What a scan of HTML that lives for `'h` does with the attributes it finds.
trait Found<'h> {
    /// An `id` attribute's value, unescaped.
    fn id(&mut self, value: String);
    /// An `href` or `src` attribute's value, as written (escaped).
    fn link(&mut self, raw: &'h str);
}

impl Found<'_> for PageLinks {
    fn id(&mut self, value: String) {
        self.ids.insert(value);
    }

    fn link(&mut self, raw: &str) {
        self.links.push(unescape(raw).into_owned());
    }
}

/// Keeps the links that [`settled_fast`] does not settle.
struct Unsettled<'a, 'h> {
    page: PageLinks,
    root: &'a str,
    site: &'a SiteFiles,
    /// Links to an id of the page itself (`#x`), left in the page until its ids are all
    /// known: the print edition has a hundred thousand of them.
    fragments: Vec<&'h str>,
}

impl<'h> Found<'h> for Unsettled<'_, 'h> {
    fn id(&mut self, value: String) {
        self.page.ids.insert(value);
    }

    fn link(&mut self, raw: &'h str) {
        // A plain `#id` (nothing escaped or encoded, no spaces) means that id as written.
        if let Some(fragment) = raw.strip_prefix('#').filter(|f| {
            !f.is_empty()
                && !f
                    .bytes()
                    .any(|b| matches!(b, b'&' | b'%') || b.is_ascii_whitespace())
        }) {
            self.fragments.push(fragment);
            return;
        }
        let value = unescape(raw);
        if settled_fast(&value, self.root, self.site) != Some(true) {
            self.page.links.push(value.into_owned());
        }
    }
}

fn scan_into<'h>(html: &'h str, found: &mut impl Found<'h>) {
    let mut from = 0;
    for range in shared_ranges(html) {
        scan_part(html, from..range.start, found);
        from = range.end;
    }
    scan_part(html, from..html.len(), found);
}

fn scan_part<'h>(html: &'h str, range: std::ops::Range<usize>, found: &mut impl Found<'h>) {
    let part = &html[range];
    // Raw HTML in Markdown may quote with apostrophes; the theme never does.
    let apostrophes = memchr::memmem::find(part.as_bytes(), b"='").is_some();
    let mut values = Vec::new();
    scan_quoted(part, b'"', &[], apostrophes.then_some(&mut values), found);
    if apostrophes {
        scan_quoted(part, b'\'', &values, None, found);
    }
}

/// Collects `id`, `href` and `src` attributes whose values are quoted with `quote`, except
/// inside the `skip` ranges (sorted); records where every value stands in `values`.
fn scan_quoted<'h>(
    part: &'h str,
    quote: u8,
    skip: &[std::ops::Range<usize>],
    mut values: Option<&mut Vec<std::ops::Range<usize>>>,
    found: &mut impl Found<'h>,
) {
    let bytes = part.as_bytes();
    let mut skip = skip.iter().peekable();
    let needle = [b'=', quote];
    let finder = memchr::memmem::Finder::new(&needle);
    let mut skip_to = 0;
    for eq in finder.find_iter(bytes) {
        if eq < skip_to {
            continue;
        }
        let value_start = eq + 2;
        while skip.next_if(|r| r.end <= eq).is_some() {}
        if skip.peek().is_some_and(|r| r.contains(&eq)) {
            continue;
        }
        let value_end =
            memchr::memchr(quote, &bytes[value_start..]).map_or(bytes.len(), |i| value_start + i);
        skip_to = value_end;
        if let Some(values) = values.as_deref_mut() {
            values.push(value_start..value_end);
        }
        let name_start = bytes[..eq]
            .iter()
            .rposition(|b| !(b.is_ascii_alphanumeric() || *b == b'-'))
            .map_or(0, |i| i + 1);
        if name_start == 0 || !bytes[name_start - 1].is_ascii_whitespace() {
            continue;
        }
        let raw = &part[value_start..value_end];
        match &bytes[name_start..eq] {
            b"id" => found.id(unescape(raw).into_owned()),
            b"href" | b"src" => found.link(raw),
            _ => {}
        }
    }
}

fn shared_ranges(html: &str) -> Vec<std::ops::Range<usize>> {
    let bytes = html.as_bytes();
    let mut ranges = Vec::new();
    let mut from = 0;
    while let Some(start) = memchr::memmem::find(&bytes[from..], SHARED_START.as_bytes()) {
        let start = from + start;
        let end = memchr::memmem::find(&bytes[start..], SHARED_END.as_bytes())
            .map_or(html.len(), |e| start + e);
        ranges.push(start..end);
        from = end;
    }
    ranges
}

/// An attribute value as text. Raw HTML written by hand in Markdown may use the hex
/// form of the apostrophe too.
fn unescape(value: &str) -> std::borrow::Cow<'_, str> {
    crate::html::unescape_with(value, &[("&#x27;", "'")])
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
        Some((path, fragment)) => (path, Some(decode_if_needed(fragment))),
        None => (link, None),
    };
    let path = path.split('?').next().unwrap_or("");
    // Segments of the folder the link starts from, then of the link itself.
    let (start, path) = if let Some(absolute) = path.strip_prefix('/') {
        // Absolute paths (used by 404.html) start at the site's base path.
        let within = base_path.strip_prefix('/').unwrap_or(base_path);
        ("", absolute.strip_prefix(within)?)
    } else if path.is_empty() {
        return Some((page_path.to_string(), fragment));
    } else {
        (page_path.rsplit_once('/').map_or("", |(dir, _)| dir), path)
    };
    let mut resolved: Vec<&str> = Vec::with_capacity(8);
    for segment in start.split('/').chain(path.split('/')) {
        match segment {
            "" | "." => {}
            ".." => {
                resolved.pop()?;
            }
            other => resolved.push(other),
        }
    }
    let mut file = resolved.join("/");
    if file.contains('%') {
        file = percent_decode(&file);
    }
    if path.ends_with('/') || file.is_empty() {
        if !file.is_empty() {
            file.push('/');
        }
        file.push_str("index.html");
    }
    Some((file, fragment))
}

/// Percent-decodes text that holds a `%`; other text is taken as it is.
fn decode_if_needed(text: &str) -> String {
    if text.contains('%') {
        percent_decode(text)
    } else {
        text.to_string()
    }
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

/// Points broken-link diagnostics at the Markdown that wrote the link, where it can be
/// found: a link on a node's page whose destination is written in the node's source file
/// (or a child's, whose descriptions the page's table shows) is reported at that line.
/// Links made by the theme keep the page's path. Duplicates (one link shown on several
/// pages) are reported once.
pub fn locate_sources(
    diagnostics: &mut Vec<Diagnostic>,
    pages: &[crate::render::Page],
    framework: &Framework,
    root: &Path,
) {
    use crate::render::PageKind;
    if !diagnostics.iter().any(|d| d.code == "E0070") {
        return;
    }
    let by_path: HashMap<&str, usize> = pages
        .iter()
        .filter_map(|p| {
            let PageKind::Node(n) = p.kind else {
                return None;
            };
            Some((p.path.as_str(), n))
        })
        .collect();
    let mut texts: HashMap<String, Option<String>> = HashMap::new();
    let mut seen = HashSet::new();
    diagnostics.retain_mut(|diagnostic| {
        if diagnostic.code != "E0070" {
            return true;
        }
        let Some(page) = diagnostic.span.as_ref().map(|s| s.path.clone()) else {
            return true;
        };
        let Some(&node) = by_path.get(page.as_str()) else {
            return true;
        };
        let Some(link) = diagnostic.message.split('`').nth(1).map(str::to_string) else {
            return true;
        };
        let node = &framework.nodes[node];
        let mut sources: Vec<&str> = vec![node.source.as_str()];
        for &child in &node.children {
            let source = framework.nodes[child].source.as_str();
            if !sources.contains(&source) {
                sources.push(source);
            }
        }
        for source in sources {
            let text = texts.entry(source.to_string()).or_insert_with(|| {
                std::fs::read_to_string(root.join(source)).ok()
            });
            let Some(text) = text.as_deref() else {
                continue;
            };
            if let Some(offset) = find_destination(text, &link) {
                let span = Span::from_offset(source, text, offset).with_len(link.len());
                if !seen.insert((span.clone(), link.clone())) {
                    return false;
                }
                diagnostic.span = Some(span);
                diagnostic.help = Some(
                    "nothing in the site is at that address: fix the link, or add the file under the content folder".into(),
                );
                return true;
            }
        }
        true
    });
    // The same broken target seen again on a page that gathers content (the print
    // edition, the home page's cards) is the same mistake: report it once, where written.
    let tail = |d: &Diagnostic| d.message.rsplit_once(": ").map(|(_, t)| t.to_string());
    let located: HashSet<String> = diagnostics
        .iter()
        .filter(|d| d.code == "E0070" && d.span.as_ref().is_some_and(|s| s.line > 0))
        .filter_map(tail)
        .collect();
    diagnostics.retain(|d| {
        d.code != "E0070"
            || d.span.as_ref().is_some_and(|s| s.line > 0)
            || tail(d).is_none_or(|t| !located.contains(&t))
    });
}

/// Where `link` is written as a link destination in Markdown or HTML source.
fn find_destination(text: &str, link: &str) -> Option<usize> {
    if link.is_empty() {
        return None;
    }
    for before in ["](", "](<", "href=\"", "src=\"", "href='", "src='", "]: "] {
        let needle = format!("{before}{link}");
        if let Some(at) = text.find(&needle) {
            return Some(at + before.len());
        }
    }
    None
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
    fn scans_apostrophe_quoted_attributes_of_raw_html() {
        let page = scan(r#"<a href='x.pdf' title="it's"><span id='here'></span><img src="a.png">"#);
        assert_eq!(page.links, ["a.png", "x.pdf"]);
        assert!(page.ids.contains("here"));
        // An apostrophe inside a double-quoted value is not an attribute.
        let page = scan(r#"<a title="a href='no'" href="yes">"#);
        assert_eq!(page.links, ["yes"]);
    }

    #[test]
    fn finds_where_a_link_was_written() {
        let text = "---\nid: X\n---\nSee [a](missing.pdf) and <a href=\"gone/\">b</a>.\n";
        assert_eq!(
            find_destination(text, "missing.pdf"),
            text.find("missing.pdf")
        );
        assert_eq!(find_destination(text, "gone/"), text.find("gone/"));
        assert_eq!(find_destination(text, "X"), None);
    }

    #[test]
    fn percent_and_entity_escapes_are_decoded() {
        assert_eq!(
            resolve("a/index.html", "../b%20c/#x%2Ey", "/"),
            Some(("b c/index.html".into(), Some("x.y".into())))
        );
        let page = scan(r#"<a href="?q=1&amp;r=2#top">"#);
        assert_eq!(page.links, ["?q=1&r=2#top"]);
        assert_eq!(
            resolve("a/index.html", "?q=1&r=2#top", "/"),
            Some(("a/index.html".into(), Some("top".into())))
        );
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

    #[test]
    fn settled_links_are_dropped_and_the_rest_still_verified() {
        let html = r##"<p id="here"></p><a href="https://x.org/">out</a><a href="a/">a</a>
            <a href="#here">self</a><a href="#gone">self, broken</a><a href="a/#x">there</a>
            <a href="missing/">missing</a><img src="static/i.png">"##;
        let files: HashSet<String> = ["index.html", "a/index.html", "static/i.png"]
            .map(String::from)
            .into_iter()
            .collect();
        let mut page = scan(html);
        page.drop_settled("index.html", &SiteFiles::new(files.clone()), "/");
        assert_eq!(page.links, ["#gone", "a/#x", "missing/"]);
        let mut pages = HashMap::new();
        pages.insert("index.html".to_string(), page);
        pages.insert("a/index.html".to_string(), scan(r#"<p id="y"></p>"#));
        let problems = verify(&pages, &files, "/");
        assert_eq!(problems.len(), 3, "{problems:?}");
    }

    #[test]
    fn links_to_the_page_itself_are_settled_by_its_ids_wherever_they_stand() {
        // Links before and after their ids, a missing id, an empty, an encoded and an
        // escaped fragment, split over two parts as the print edition is.
        let parts = [
            r##"<a href="#later">x</a><a href="#gone">x</a><a href="#">top</a><p id="a b"></p>"##,
            r##"<a href="#a%20b">x</a><a href="#q&amp;a">x</a><h2 id="later"></h2><h2 id="q&amp;a"></h2>"##,
        ];
        let files: HashSet<String> = ["index.html".to_string()].into_iter().collect();
        let site = SiteFiles::new(files);
        let kept = scan_unsettled(&parts, "index.html", &site, "/");
        let mut reference = scan(&parts.concat());
        reference.drop_settled("index.html", &site, "/");
        assert_eq!(kept.links, ["#gone"]);
        assert_eq!(kept.links, reference.links);
        assert_eq!(kept.ids, reference.ids);
    }

    #[test]
    fn links_back_through_the_root_are_settled_or_kept() {
        let files: HashSet<String> = [
            "index.html",
            "a/index.html",
            "a/b/index.html",
            "static/x.css",
        ]
        .map(String::from)
        .into_iter()
        .collect();
        let site = SiteFiles::new(files);
        let mut page = scan(
            r##"<a href="../../">home</a><a href="../../a/">a</a><link href="../../static/x.css">
            <a href="../../a/#row">row</a><a href="../../nope/">nope</a><a href="../../static/y.css">y</a>
            <a href="../../a/?q=1">query</a><a href="./">self</a>"##,
        );
        page.drop_settled("a/b/index.html", &site, "/");
        assert_eq!(
            page.links,
            ["../../a/#row", "../../nope/", "../../static/y.css"]
        );
    }
}
