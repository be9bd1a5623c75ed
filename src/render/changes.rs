//! The "What changed" pages: `changes/` (every release), `changes/<version>/` (what one
//! release changed, grouped by concept, with word diffs), `id/<OLD-ID>/` for ids that are
//! gone (a note and a redirect to where the content went), and the history line of items.

use std::fmt::Write as _;

use serde::Serialize;

use super::{relative_url, LinkView, Page, PageKind, Renderer};
use crate::diagnostics::Diagnostic;
use crate::diff::history::History;
use crate::diff::{report, words, Change, Entry};
use crate::html::{escape, push_escaped};

/// The folder of the "What changed" pages.
pub const DIR: &str = "changes/";

/// Seconds a former id's page shows its note before going on to where the content is.
const REDIRECT_DELAY: u32 = 3;

#[derive(Serialize)]
struct CountView {
    kind: &'static str,
    /// How the kind reads ("citations changed").
    label: &'static str,
    count: usize,
}

#[derive(Serialize)]
struct ReleaseView {
    version: String,
    previous: String,
    url: String,
    counts: Vec<CountView>,
    changed: usize,
    unchanged: usize,
}

#[derive(Serialize)]
struct GroupView {
    id: String,
    title: String,
    url: Option<String>,
    items: Vec<ItemView>,
}

#[derive(Serialize)]
struct ItemView {
    anchor: String,
    id: String,
    old_id: Option<String>,
    title: String,
    url: Option<String>,
    /// Each change but rewording, as HTML.
    changes: Vec<String>,
    /// The statement's word diff, as HTML.
    words: Option<String>,
}

#[derive(Serialize)]
struct SuggestionView {
    old: String,
    new: String,
    new_url: Option<String>,
    percent: u32,
}

impl Renderer<'_> {
    /// The history this renderer shows, when book.toml names releases.
    fn releases(&self) -> Option<&History> {
        self.history.filter(|h| !h.steps.is_empty())
    }

    /// `changes/`, a page per release, and a page per former id.
    pub(super) fn change_pages(&self) -> Vec<Page> {
        let Some(history) = self.releases() else {
            return Vec::new();
        };
        let mut pages = vec![Page {
            path: format!("{DIR}index.html"),
            kind: PageKind::Changes,
        }];
        pages.extend(history.steps.iter().enumerate().map(|(s, step)| Page {
            path: format!("{DIR}{}/index.html", step.slug),
            kind: PageKind::Release(s),
        }));
        pages.extend(
            history
                .former_ids
                .iter()
                .enumerate()
                .filter(|(_, former)| is_path_segment(&former.id))
                .map(|(f, former)| Page {
                    path: format!("id/{}/index.html", former.id),
                    kind: PageKind::FormerId(f),
                }),
        );
        pages
    }

    /// The site folders of the release pages, for the sitemap.
    pub(super) fn change_dirs(&self) -> Vec<String> {
        let Some(history) = self.releases() else {
            return Vec::new();
        };
        std::iter::once(DIR.to_string())
            .chain(history.steps.iter().map(|s| format!("{DIR}{}/", s.slug)))
            .collect()
    }

    fn overview_crumbs(&self, dir: &str, with_changes: bool) -> Vec<LinkView> {
        let mut home = self.link(0, dir);
        home.title = "Overview".into();
        let mut crumbs = vec![home];
        if with_changes {
            crumbs.push(LinkView {
                id: String::new(),
                title: "What changed".into(),
                url: relative_url(dir, DIR),
            });
        }
        crumbs
    }

    fn release_view(&self, step: usize, dir: &str) -> Option<ReleaseView> {
        let step = self.releases()?.steps.get(step)?;
        let diff = &step.diff;
        let counts = diff
            .counts()
            .into_iter()
            .map(|(kind, count)| CountView {
                kind,
                label: phrase(kind),
                count,
            })
            .collect();
        let changed = diff.changed().count();
        Some(ReleaseView {
            version: step.version.clone(),
            previous: step.previous.clone(),
            url: relative_url(dir, &format!("{DIR}{}/", step.slug)),
            counts,
            changed,
            unchanged: diff.entries.len() - changed,
        })
    }

    pub(super) fn render_changes_index(&self, page: &Page) -> Result<String, Diagnostic> {
        let dir = page.dir();
        let mut context = self.base_context(page, "What changed");
        let steps = self.releases().map_or(0, |h| h.steps.len());
        let releases: Vec<ReleaseView> = (0..steps)
            .rev()
            .filter_map(|s| self.release_view(s, dir))
            .collect();
        context.insert("releases", &releases);
        context.insert("breadcrumbs", &self.overview_crumbs(dir, false));
        self.run("changes.html", &context)
    }

    pub(super) fn render_release(&self, page: &Page, step: usize) -> Result<String, Diagnostic> {
        let dir = page.dir();
        // Release pages exist only with releases (see `change_pages`).
        let Some(history) = self.releases() else {
            return self.render_changes_index(page);
        };
        let found = &history.steps[step];
        let title = format!("What changed in {}", found.version);
        let mut context = self.base_context(page, &title);
        context.insert("release", &self.release_view(step, dir));
        let groups: Vec<GroupView> = report::by_concept(&found.diff)
            .into_iter()
            .map(|(concept, entries)| self.group_view(concept, &entries, dir))
            .collect();
        context.insert("groups", &groups);
        let suggestions: Vec<SuggestionView> = found
            .diff
            .suggestions
            .iter()
            .map(|s| SuggestionView {
                old: s.old.clone(),
                new: s.new.clone(),
                new_url: self.item_url(&s.new, dir),
                percent: (s.score * 100.0).round() as u32,
            })
            .collect();
        context.insert("suggestions", &suggestions);
        context.insert("breadcrumbs", &self.overview_crumbs(dir, true));
        self.run("release.html", &context)
    }

    /// The URL of the page showing a current id, relative to `dir`.
    fn item_url(&self, id: &str, dir: &str) -> Option<String> {
        self.index
            .node(id)
            .map(|n| relative_url(dir, &self.index.urls[n]))
    }

    fn group_view(&self, concept: &str, entries: &[&Entry], dir: &str) -> GroupView {
        let node = self.index.node(concept).map(|n| &self.framework.nodes[n]);
        GroupView {
            id: concept.to_string(),
            title: node.map_or(concept, |n| n.label()).to_string(),
            url: self.item_url(concept, dir),
            items: entries.iter().map(|e| self.item_view(e, dir)).collect(),
        }
    }

    fn item_view(&self, entry: &Entry, dir: &str) -> ItemView {
        let item = entry.item();
        let old_id = entry
            .old
            .as_ref()
            .filter(|old| old.id != item.id)
            .map(|old| old.id.clone());
        let mut changes = Vec::new();
        let mut word_diff = None;
        for change in &entry.changes {
            match change {
                Change::Reworded { from, to } => word_diff = Some(word_diff_html(from, to)),
                other => changes.push(change_html(other, self, dir)),
            }
        }
        ItemView {
            anchor: item.id.clone(),
            id: item.id.clone(),
            old_id,
            title: item.label().to_string(),
            url: self.item_url(&item.id, dir),
            changes,
            words: word_diff,
        }
    }

    pub(super) fn render_former_id(
        &self,
        page: &Page,
        former: usize,
    ) -> Result<String, Diagnostic> {
        let dir = page.dir();
        // Release pages exist only with releases (see `change_pages`).
        let Some(history) = self.releases() else {
            return self.render_changes_index(page);
        };
        let gone = &history.former_ids[former];
        let step = &history.steps[gone.step];
        let mut context = self.base_context(page, &gone.id);
        let target = gone.target.as_deref().and_then(|t| {
            let n = self.index.node(t)?;
            Some(LinkView {
                id: t.to_string(),
                title: self.framework.nodes[n].label().to_string(),
                url: relative_url(dir, &self.index.urls[n]),
            })
        });
        context.insert("former_id", &gone.id);
        context.insert("note", &gone.note);
        context.insert("target", &target);
        context.insert("delay", &REDIRECT_DELAY);
        context.insert(
            "release_url",
            &relative_url(
                dir,
                &format!("{DIR}{}/#{}", step.slug, anchor_in(step, &gone.id)),
            ),
        );
        context.insert("release", &step.version);
        context.insert("breadcrumbs", &self.overview_crumbs(dir, true));
        self.run("former_id.html", &context)
    }
}

/// The anchor of an old id on its release page: the entry that holds it.
fn anchor_in(step: &crate::diff::history::Step, old_id: &str) -> String {
    step.diff
        .entries
        .iter()
        .find(|e| e.old.as_ref().is_some_and(|o| o.id == old_id))
        .map_or_else(|| old_id.to_string(), |e| e.id().to_string())
}

/// True for an id that can name a folder of the site (old releases are not validated).
fn is_path_segment(id: &str) -> bool {
    !id.is_empty()
        && id != "."
        && id != ".."
        && id
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

/// A change other than rewording, as HTML; ids of the project link to their pages.
fn change_html(change: &Change, renderer: &Renderer, dir: &str) -> String {
    let link = |id: &str| match renderer.item_url(id, dir) {
        Some(url) => format!("<a href=\"{}\">{}</a>", escape(&url), escape(id)),
        None => escape(id),
    };
    let links = |ids: &[String]| ids.iter().map(|id| link(id)).collect::<Vec<_>>().join(", ");
    match change {
        Change::Withdrawn { into } if !into.is_empty() => {
            format!("Withdrawn: incorporated into {}", links(into))
        }
        Change::Moved { from, to } => {
            let parent = |id: &str| {
                if id.is_empty() {
                    "the top level".to_string()
                } else {
                    link(id)
                }
            };
            format!("Moved from {} to {}", parent(from), parent(to))
        }
        other => {
            let text = report::describe(other);
            let mut html = String::new();
            let mut chars = text.chars();
            if let Some(first) = chars.next() {
                push_escaped(&mut html, &first.to_uppercase().collect::<String>());
            }
            push_escaped(&mut html, chars.as_str());
            html
        }
    }
}

/// A statement's word diff as HTML: `<del>` and `<ins>` around the changed words.
pub fn word_diff_html(old: &str, new: &str) -> String {
    let mut out = String::new();
    for piece in words::diff(old, new) {
        match piece {
            words::Piece::Same(text) => push_escaped(&mut out, &text),
            words::Piece::Deleted(text) => marked(&mut out, "del", &text),
            words::Piece::Inserted(text) => marked(&mut out, "ins", &text),
        }
    }
    out
}

/// Changed words in a `<del>` or `<ins>`, white space at their end left outside.
fn marked(out: &mut String, tag: &str, text: &str) {
    let words = text.trim_end();
    let _ = write!(out, "<{tag}>");
    push_escaped(out, words);
    let _ = write!(out, "</{tag}>");
    out.push_str(&text[words.len()..]);
}

/// An item's history as HTML ("Added in 1.1 · reworded in 2.0"), each part linking to the
/// release page's entry; empty for items unchanged since the oldest release.
pub fn history_html(history: &History, id: &str, dir: &str) -> String {
    let Some(events) = history.events.get(id) else {
        return String::new();
    };
    let mut html = String::new();
    for (n, event) in events.iter().enumerate() {
        let step = &history.steps[event.step];
        if n > 0 {
            html.push_str(" · ");
        }
        let kinds: Vec<&str> = event.changes.iter().map(|k| phrase(k)).collect();
        let mut text = format!("{} in {}", kinds.join(", "), step.version);
        if n == 0 {
            text = capitalise(&text);
        }
        let url = relative_url(dir, &format!("{DIR}{}/#{}", step.slug, event.id));
        html.push_str("<a href=\"");
        push_escaped(&mut html, &url);
        html.push_str("\">");
        push_escaped(&mut html, &text);
        html.push_str("</a>");
    }
    html
}

/// The steps in which an item changed, as numbers for the tables' "changed since" filter.
pub fn changed_steps(history: &History, id: &str) -> String {
    let mut out = String::new();
    for event in history.events.get(id).into_iter().flatten() {
        if !out.is_empty() {
            out.push(' ');
        }
        let _ = write!(out, "{}", event.step);
    }
    out
}

/// The versions a "changed since" filter offers, as JSON (the oldest release and every
/// later one but the project's own); empty without releases.
pub fn since_versions(history: &History) -> String {
    if history.steps.is_empty() {
        return String::new();
    }
    let versions: Vec<&str> = history.steps.iter().map(|s| s.previous.as_str()).collect();
    serde_json::to_string(&versions).unwrap_or_default()
}

/// How a kind of change reads in a history line.
fn phrase(kind: &'static str) -> &'static str {
    match kind {
        "citations" => "citations changed",
        "parameters" => "parameters changed",
        "status" => "status changed",
        "renumbered" => "id changed",
        other => other,
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_diffs_escape_and_mark() {
        assert_eq!(
            word_diff_html("a <b> c", "a <x> c"),
            "a <del>&lt;b&gt;</del><ins>&lt;x&gt;</ins> c"
        );
    }

    #[test]
    fn only_safe_ids_name_folders() {
        assert!(is_path_segment("ID.AM-01"));
        assert!(!is_path_segment(".."));
        assert!(!is_path_segment("a/b"));
        assert!(!is_path_segment(""));
    }
}
