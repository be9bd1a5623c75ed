//! The sidebar: rendered once per folder depth (its links are relative), then marked for
//! each page by splicing two small attributes in at offsets found once, so a page costs
//! one copy of the sidebar and no template work.

use std::collections::HashMap;

/// One depth's sidebar with the places where per-page marks go.
#[derive(Debug, Clone, Default)]
pub struct Sidebar {
    /// The HTML, wrapped in the shared-fragment markers.
    pub html: String,
    /// Site URL of a linked page → offset just after its `<a`.
    links: HashMap<String, usize>,
    /// Site URL of a concept → offset just after the `<details` that holds its categories.
    groups: HashMap<String, usize>,
}

/// What to mark on one page.
#[derive(Debug, Clone, Copy, Default)]
pub struct Marks<'a> {
    /// The link to this URL is the current page.
    pub current: Option<&'a str>,
    /// The link to this URL is an ancestor of the current page.
    pub ancestor: Option<&'a str>,
    /// The group of this concept URL is open.
    pub open: Option<&'a str>,
}

impl Sidebar {
    /// Indexes `html` (the sidebar rendered with `root` as the way back to the site root):
    /// every `<a href="…">` in it, and the `<details` that holds each concept's categories.
    /// One pass over the HTML, whatever the number of pages; URLs the theme's sidebar does
    /// not link simply get no mark.
    pub fn new<'u>(html: String, root: &str, concepts: impl Iterator<Item = &'u str>) -> Sidebar {
        const OPEN: &str = "<a href=\"";
        let mut links = HashMap::new();
        for (at, _) in html.match_indices(OPEN) {
            let start = at + OPEN.len();
            let Some(len) = html[start..].find('"') else {
                continue;
            };
            let href = &html[start..start + len];
            let url = match href.strip_prefix(root) {
                Some(url) => url,
                None if root.is_empty() => href,
                None => continue,
            };
            let url = if url == "./" { "" } else { url };
            links.entry(url.to_string()).or_insert(at + 2);
        }
        let mut groups = HashMap::new();
        for url in concepts {
            let details = links.get(url).and_then(|&at| group_of(&html, at));
            if let Some(at) = details {
                groups.insert(url.to_string(), at + "<details".len());
            }
        }
        Sidebar {
            html,
            links,
            groups,
        }
    }

    /// The sidebar with this page's marks.
    #[cfg(test)]
    pub fn for_page(&self, marks: Marks<'_>) -> String {
        let mut out = String::new();
        self.write_for_page(marks, &mut out);
        out
    }

    /// Appends the sidebar with this page's marks to `out`.
    pub fn write_for_page(&self, marks: Marks<'_>, out: &mut String) {
        let mut inserts: Vec<(usize, &str)> = Vec::with_capacity(3);
        let mut add = |url: Option<&str>, table: &HashMap<String, usize>, text| {
            if let Some(&at) = url.and_then(|u| table.get(u)) {
                inserts.push((at, text));
            }
        };
        add(marks.current, &self.links, " aria-current=\"page\"");
        add(marks.ancestor, &self.links, " class=\"nav-ancestor\"");
        add(marks.open, &self.groups, " open");
        inserts.sort_unstable();
        let mut from = 0;
        for (at, text) in inserts {
            out.push_str(&self.html[from..at]);
            out.push_str(text);
            from = at;
        }
        out.push_str(&self.html[from..]);
    }
}

/// Where the `<details` of the concept whose link starts just before `link` is: right
/// after the link (`<a …>…</a><details>`, the default theme) or, in a theme that puts the
/// link inside the `<summary>`, around it. Never past a neighbouring link.
fn group_of(html: &str, link: usize) -> Option<usize> {
    let after = &html[link..];
    let next_link = after.find("<a ").unwrap_or(after.len());
    if let Some(at) = after[..next_link].find("<details") {
        return Some(link + at);
    }
    let before = &html[..link.saturating_sub(2)];
    let at = before.rfind("<details")?;
    (!before[at..].contains("<a ")).then_some(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_are_spliced_at_the_right_places() {
        let html = r#"<ul><li><a href="../">Home</a></li><li><details><summary><a href="../id/">ID</a></summary><ul><li><a href="../id/am/">AM</a></li></ul></details></li></ul>"#;
        let sidebar = Sidebar::new(html.to_string(), "../", ["id/"].into_iter());
        let page = sidebar.for_page(Marks {
            current: Some("id/am/"),
            ancestor: Some("id/"),
            open: Some("id/"),
        });
        assert!(
            page.contains(r#"<a aria-current="page" href="../id/am/">"#),
            "{page}"
        );
        assert!(
            page.contains(r#"<a class="nav-ancestor" href="../id/">"#),
            "{page}"
        );
        assert!(page.contains("<details open>"), "{page}");
        let plain = sidebar.for_page(Marks::default());
        assert_eq!(plain, html);
    }

    #[test]
    fn a_group_after_its_concept_link_is_opened() {
        let html = r#"<ul><li><a href="../de/">DE</a></li><li><a href="../id/">ID</a><details><summary>Categories</summary><ul><li><a href="../id/am/">AM</a></li></ul></details></li></ul>"#;
        let sidebar = Sidebar::new(html.to_string(), "../", ["de/", "id/"].into_iter());
        let page = sidebar.for_page(Marks {
            current: Some("id/am/"),
            ancestor: Some("id/"),
            open: Some("id/"),
        });
        assert!(page.contains("</a><details open><summary>"), "{page}");
        // A concept without categories opens nothing, not its neighbour's group.
        let page = sidebar.for_page(Marks {
            open: Some("de/"),
            ..Marks::default()
        });
        assert!(!page.contains("open"), "{page}");
    }

    #[test]
    fn home_link_at_the_root_is_dot_slash() {
        let html = r#"<a href="./">Home</a><a href="id/">ID</a>"#;
        let sidebar = Sidebar::new(html.into(), "", std::iter::empty());
        let page = sidebar.for_page(Marks {
            current: Some(""),
            ..Marks::default()
        });
        assert!(
            page.starts_with(r#"<a aria-current="page" href="./">"#),
            "{page}"
        );
    }
}
