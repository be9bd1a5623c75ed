//! Markdown to HTML with pulldown-cmark: tables, footnotes, strikethrough, task lists,
//! heading anchors, and links to items by id (`[text](@ID)`, `[[ID]]`).

use std::collections::HashSet;

use pulldown_cmark::{html, CodeBlockKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

use crate::diagnostics::{Diagnostic, Span};
use crate::highlight::{self, Highlighted};
use crate::model::{IdLink, Markdown};
use crate::sanitize;

/// Where a piece of Markdown sits in its file, so that link errors name the right line.
#[derive(Debug, Clone, Copy)]
pub struct Origin<'a> {
    /// The file, relative to the project.
    pub path: &'a str,
    /// The file line on which the Markdown's first line stands (1-based).
    pub line: usize,
    /// The column of the Markdown's first character on that line (1-based).
    pub column: usize,
}

fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_WIKILINKS
}

/// What becomes of fenced code blocks that name a language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CodeBlocks {
    /// Highlighted with syntect, for pages.
    #[default]
    Highlight,
    /// Left plain, with the same warning for a language the highlighter does not know: for
    /// runs that only look for problems (`check`). Highlighted code has no links, ids or
    /// errors of its own, and highlighting can be most of the time spent loading content.
    Plain,
}

/// What becomes of raw HTML written in Markdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RawHtml {
    /// Cleaned against the allow-list of [`crate::sanitize`], with a warning where something
    /// is removed (the default: contributions and imported catalogs must not run script).
    #[default]
    Sanitize,
    /// Kept as written (`[build] unsafe-html = true`).
    Keep,
}

/// How Markdown is converted, beyond the Markdown itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MarkdownOptions {
    /// Fenced code blocks: highlighted or plain.
    pub code: CodeBlocks,
    /// Raw HTML: cleaned or kept.
    pub raw_html: RawHtml,
}

impl MarkdownOptions {
    /// The options for a run that does with code as `code` says, and with raw HTML as
    /// book.toml's `[build] unsafe-html` says.
    pub fn new(code: CodeBlocks, unsafe_html: bool) -> MarkdownOptions {
        let raw_html = if unsafe_html {
            RawHtml::Keep
        } else {
            RawHtml::Sanitize
        };
        MarkdownOptions { code, raw_html }
    }
}

/// Converts a block of Markdown (a body) to HTML.
pub fn to_html(source: &str, origin: Origin<'_>) -> Markdown {
    convert(source, origin, false, MarkdownOptions::default())
}

/// Converts a body with the given options.
pub fn to_html_with(source: &str, origin: Origin<'_>, options: MarkdownOptions) -> Markdown {
    convert(source, origin, false, options)
}

/// Converts a short piece of Markdown (a description or table cell) to HTML without the
/// paragraph that would wrap it, when it is a single paragraph.
pub fn to_inline_html(source: &str, origin: Origin<'_>) -> Markdown {
    convert(source, origin, true, MarkdownOptions::default())
}

/// [`to_inline_html`] with the given options.
pub fn to_inline_html_with(source: &str, origin: Origin<'_>, options: MarkdownOptions) -> Markdown {
    convert(source, origin, true, options)
}

fn convert(source: &str, origin: Origin<'_>, inline: bool, options: MarkdownOptions) -> Markdown {
    let code_blocks = options.code;
    // Raw HTML was met (and is to be cleaned): documents without it skip the cleaning.
    let mut raw_html = false;
    let mut links = Vec::new();
    let mut plain = String::new();
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut heading: Option<usize> = None;
    let mut used_anchors = HashSet::new();
    let mut warnings = Vec::new();
    // A fenced code block being read: where its start event is, and where it is written.
    let mut code: Option<(usize, usize)> = None;
    for (event, range) in Parser::new_ext(source, parser_options()).into_offset_iter() {
        let event = match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let target = link_target(link_type, &dest_url);
                let dest_url = match target {
                    Some(target) => {
                        links.push(IdLink {
                            id: target.to_string(),
                            span: span_of(source, origin, range.start).with_len(range.len()),
                        });
                        CowStr::from(format!("@{target}"))
                    }
                    None => dest_url,
                };
                if options.raw_html == RawHtml::Sanitize {
                    let at = || span_of(source, origin, range.start);
                    raw_html |= unsafe_url(&dest_url, "a link", at, &mut warnings);
                }
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image { ref dest_url, .. })
                if options.raw_html == RawHtml::Sanitize =>
            {
                let at = || span_of(source, origin, range.start);
                raw_html |= unsafe_url(dest_url, "an image", at, &mut warnings);
                event
            }
            Event::Text(ref text) | Event::Code(ref text) => {
                plain.push_str(text);
                event
            }
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_)
                | TagEnd::FootnoteDefinition,
            ) => {
                if !plain.is_empty() && !plain.ends_with(' ') {
                    plain.push(' ');
                }
                if let Event::End(TagEnd::Heading(_)) = event {
                    if let Some(start) = heading.take() {
                        add_heading_anchor(&mut events, start, &mut used_anchors);
                    }
                }
                if let (Event::End(TagEnd::CodeBlock), Some((start, offset))) = (&event, code) {
                    code = None;
                    let at = || span_of(source, origin, offset);
                    let block = &events[start..];
                    if let Some(html) = highlight_code_block(block, at, code_blocks, &mut warnings)
                    {
                        events.truncate(start);
                        events.push(Event::Html(CowStr::from(html)));
                        continue;
                    }
                }
                event
            }
            Event::Start(Tag::Heading { .. }) => {
                heading = Some(events.len());
                event
            }
            Event::Html(ref text) | Event::InlineHtml(ref text)
                if options.raw_html == RawHtml::Sanitize =>
            {
                raw_html = true;
                let removed = sanitize::stripped(text);
                if !removed.is_empty() {
                    warnings.push(raw_html_removed(
                        &removed,
                        span_of(source, origin, range.start),
                    ));
                }
                event
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_))) => {
                code = Some((events.len(), range.start));
                event
            }
            // A marker rather than a disabled <input>: a form control needs a label, and
            // a task list is read, not filled in (nor printed as a control).
            Event::TaskListMarker(done) => Event::InlineHtml(CowStr::from(if done {
                "<span class=\"task-marker task-done\" role=\"img\" aria-label=\"Done:\">\u{2611}</span> "
            } else {
                "<span class=\"task-marker\" role=\"img\" aria-label=\"To do:\">\u{2610}</span> "
            })),
            other => other,
        };
        events.push(event);
    }
    let mut html_out = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut html_out, events.into_iter());
    if raw_html {
        html_out = sanitize::clean(&html_out);
    }
    if inline {
        html_out = strip_single_paragraph(html_out);
    }
    Markdown {
        source: source.to_string(),
        html: html_out,
        links,
        plain: plain.trim_end().to_string(),
        warnings,
    }
}

/// Whether the URL of a Markdown link or image (`what`) has a scheme that cleaning removes
/// (`javascript:`, `data:`): then it warns, at the place `at` gives, and the document is to
/// be cleaned (which drops the URL).
fn unsafe_url(
    url: &str,
    what: &str,
    at: impl Fn() -> Span,
    warnings: &mut Vec<Diagnostic>,
) -> bool {
    let removed = sanitize::stripped(&format!("<a href=\"{}\">", url.replace('"', "")));
    if removed.is_empty() {
        return false;
    }
    let scheme = removed
        .join(", ")
        .replace("in `href`", &format!("in {what}"));
    warnings.push(raw_html_removed(&[scheme], at()));
    true
}

/// W0091: raw HTML that cleaning removes, at the place that wrote it.
fn raw_html_removed(removed: &[String], at: Span) -> Diagnostic {
    Diagnostic::warning(
        "W0091",
        format!("removed from the page: {}", removed.join(", ")),
    )
    .at(at)
    .help("pages keep only HTML fit for prose (no script, event handlers, styles, frames or forms); set `[build] unsafe-html = true` in book.toml to publish raw HTML as written")
}

/// The HTML of a fenced code block (`block` holds its events, from its start) highlighted
/// for its language, or None to render it as usual: no language, plain text, or a language
/// that is not known (which adds a warning placed by `at`).
fn highlight_code_block(
    block: &[Event<'_>],
    at: impl Fn() -> Span,
    code_blocks: CodeBlocks,
    warnings: &mut Vec<Diagnostic>,
) -> Option<String> {
    let Some(Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))) = block.first() else {
        return None;
    };
    let language = highlight::language(info);
    if highlight::is_plain(&language) {
        return None;
    }
    // The block's text: the events after its start.
    let code = || -> String {
        block[1..]
            .iter()
            .filter_map(|event| match event {
                Event::Text(text) => Some(text.as_ref()),
                _ => None,
            })
            .collect()
    };
    let highlighted = match code_blocks {
        CodeBlocks::Highlight => highlight::highlight(&language, &code()),
        CodeBlocks::Plain if highlight::is_known(&language) => Highlighted::Plain,
        CodeBlocks::Plain => Highlighted::Unknown,
    };
    match highlighted {
        Highlighted::Html(html) => Some(html),
        Highlighted::Plain => None,
        Highlighted::Unknown => {
            warnings.push(
                Diagnostic::warning(
                    "W0090",
                    format!("unknown language `{language}` in a code block; it is shown without highlighting"),
                )
                .at(at())
                .help("name a language the highlighter knows (rust, yaml, json, sh, python, …), or `text` for none"),
            );
            None
        }
    }
}

/// The id a link points to, for `(@ID)` links and `[[ID]]` wiki links.
fn link_target(link_type: LinkType, dest: &str) -> Option<&str> {
    match link_type {
        LinkType::WikiLink { .. } => Some(dest.trim()),
        _ => dest.strip_prefix('@').map(str::trim),
    }
}

fn span_of(source: &str, origin: Origin<'_>, offset: usize) -> Span {
    let relative = Span::from_offset(origin.path, source, offset);
    let column = if relative.line == 1 {
        relative.column + origin.column - 1
    } else {
        relative.column
    };
    Span::at(origin.path, relative.line + origin.line - 1, column)
}

/// Gives a heading without an explicit `{#id}` an id made from its text, unique in the page.
fn add_heading_anchor(events: &mut [Event<'_>], start: usize, used: &mut HashSet<String>) {
    let text: String = events[start + 1..]
        .iter()
        .filter_map(|event| match event {
            Event::Text(text) | Event::Code(text) => Some(text.as_ref()),
            _ => None,
        })
        .collect();
    if let Event::Start(Tag::Heading { id, .. }) = &mut events[start] {
        if id.is_none() {
            let base = slugify(&text);
            let base = if base.is_empty() {
                "section".into()
            } else {
                base
            };
            let mut anchor = base.clone();
            let mut n = 1;
            while !used.insert(anchor.clone()) {
                n += 1;
                anchor = format!("{base}-{n}");
            }
            *id = Some(CowStr::from(anchor));
        }
    }
}

fn strip_single_paragraph(html: String) -> String {
    let trimmed = html.trim_end();
    if let Some(inner) = trimmed
        .strip_prefix("<p>")
        .and_then(|rest| rest.strip_suffix("</p>"))
    {
        if !inner.contains("<p>") {
            return inner.to_string();
        }
    }
    html
}

/// Turns a name into a URL segment: lower case, letters, digits, `.`, `_` and `-`.
pub fn slugify(text: &str) -> String {
    let text = text.trim();
    if text.is_ascii() {
        slugify_ascii(text)
    } else {
        slugify_chars(text)
    }
}

/// [`slugify`] of any text, character by character.
fn slugify_chars(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '.' || c == '_' {
            slug.push(c);
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_matches('-').to_string()
}

/// [`slugify`] of ASCII text (ids, standard numbers, file names: nearly every call),
/// byte by byte.
fn slugify_ascii(text: &str) -> String {
    let mut slug = Vec::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b == b'.' || b == b'_' {
            slug.push(b.to_ascii_lowercase());
        } else if slug.last().is_some_and(|&last| last != b'-') {
            slug.push(b'-');
        }
    }
    if slug.last() == Some(&b'-') {
        slug.pop();
    }
    // Only ASCII bytes were pushed.
    String::from_utf8(slug).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn origin() -> Origin<'static> {
        Origin {
            path: "content/x.md",
            line: 10,
            column: 1,
        }
    }

    #[test]
    fn ascii_slugs_match_the_general_rule() {
        for text in [
            "ID.AM-01",
            "  ISO/IEC 27001:2022 ",
            "--a--b--",
            "Category 1 (all parts)",
            "x_y.z",
            "!!!",
            "",
            "A  B",
        ] {
            assert_eq!(
                slugify_ascii(text.trim()),
                slugify_chars(text.trim()),
                "{text:?}"
            );
        }
        assert_eq!(slugify(" ISO/IEC 27001:2022 "), "iso-iec-27001-2022");
        assert_eq!(slugify("Über Maß"), "über-maß");
    }

    #[test]
    fn id_links_are_kept_as_placeholders_and_located() {
        let md = to_html(
            "Intro.\n\nSee [assets](@ID.AM) and [[ID.AM-01]].\n",
            origin(),
        );
        assert!(
            md.html.contains(r#"<a href="@ID.AM">assets</a>"#),
            "{}",
            md.html
        );
        assert!(
            md.html.contains(r#"<a href="@ID.AM-01">ID.AM-01</a>"#),
            "{}",
            md.html
        );
        let found: Vec<_> = md
            .links
            .iter()
            .map(|l| (l.id.as_str(), l.span.line, l.span.column))
            .collect();
        assert_eq!(found, vec![("ID.AM", 12, 5), ("ID.AM-01", 12, 26)]);
    }

    #[test]
    fn extensions_are_on() {
        let md = to_html(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~\n\n- [x] done\n\nNote[^1].\n\n[^1]: A footnote.\n",
            origin(),
        );
        assert!(md.html.contains("<table>"));
        assert!(md.html.contains("<del>old</del>"));
        assert!(
            md.html.contains(r#"<li><span class="task-marker task-done" role="img" aria-label="Done:">☑</span> done</li>"#),
            "{}",
            md.html
        );
        assert!(!md.html.contains("<input"), "{}", md.html);
        assert!(md.html.contains("footnote-definition"));
    }

    #[test]
    fn headings_get_unique_anchors() {
        let md = to_html("## Scope\n\n## Scope\n\n## Own {#mine}\n", origin());
        assert!(md.html.contains(r#"<h2 id="scope">"#), "{}", md.html);
        assert!(md.html.contains(r#"<h2 id="scope-2">"#), "{}", md.html);
        assert!(md.html.contains(r#"<h2 id="mine">"#), "{}", md.html);
    }

    #[test]
    fn inline_html_drops_the_paragraph() {
        let md = to_inline_html("Devices are *listed*.", origin());
        assert_eq!(md.html, "Devices are <em>listed</em>.");
        assert_eq!(md.plain, "Devices are listed.");
    }

    #[test]
    fn slugs() {
        assert_eq!(slugify("Asset management"), "asset-management");
        assert_eq!(slugify("ID.RA-01"), "id.ra-01");
        assert_eq!(slugify("ISO/IEC 27002"), "iso-iec-27002");
        assert_eq!(slugify("  Réponse & reprise "), "réponse-reprise");
    }
}

#[cfg(test)]
mod highlight_tests {
    use super::*;

    use super::tests::origin;

    #[test]
    fn fenced_code_is_highlighted_with_classes() {
        let md = to_html(
            "Intro.\n\n```yaml\npolicy:\n  review: yearly\n```\n\n```rust\nfn main() {}\n```\n",
            origin(),
        );
        assert!(
            md.html
                .contains("<pre class=\"hl-code\"><code class=\"language-yaml\">"),
            "{}",
            md.html
        );
        assert!(
            md.html.contains("<code class=\"language-rust\">"),
            "{}",
            md.html
        );
        assert!(md.html.contains("<span class=\"hl-"), "{}", md.html);
        assert!(md.warnings.is_empty());
        assert!(md.plain.contains("review: yearly"), "{}", md.plain);
    }

    #[test]
    fn plain_code_blocks_warn_as_highlighted_ones_do() {
        let source =
            "```yaml\nkey: \"<a href=x>\"\n```\n\n```klingon\nqapla'\n```\n\n```\nnone\n```\n";
        let highlighted = to_html(source, origin());
        let plain = to_html_with(
            source,
            origin(),
            MarkdownOptions::new(CodeBlocks::Plain, false),
        );
        assert!(highlighted.html.contains("hl-code"), "{}", highlighted.html);
        assert!(!plain.html.contains("hl-"), "{}", plain.html);
        assert!(
            plain
                .html
                .contains("<pre><code class=\"language-yaml\">key: \"&lt;a href=x&gt;\""),
            "{}",
            plain.html
        );
        assert_eq!(plain.warnings, highlighted.warnings);
        assert_eq!(plain.warnings.len(), 1, "only klingon is unknown");
        assert_eq!(plain.plain, highlighted.plain);
        assert_eq!(plain.links, highlighted.links);
    }

    #[test]
    fn unknown_language_is_plain_with_a_warning_at_its_line() {
        let md = to_html("Intro.\n\n```klingon\nqapla'\n```\n", origin());
        assert!(
            md.html
                .contains("<pre><code class=\"language-klingon\">qapla'"),
            "{}",
            md.html
        );
        assert_eq!(md.warnings.len(), 1);
        let warning = &md.warnings[0];
        assert_eq!(warning.code, "W0090");
        let span = warning.span.as_ref().unwrap();
        assert_eq!((span.path.as_str(), span.line), ("content/x.md", 12));
    }

    #[test]
    fn plain_and_indented_code_are_left_alone() {
        let md = to_html("```\nx\n```\n\n```text\ny\n```\n\n    z\n", origin());
        assert!(!md.html.contains("hl-code"), "{}", md.html);
        assert!(md.warnings.is_empty());
    }

    #[test]
    fn the_text_of_html_matches_the_plain_text_of_its_markdown() {
        use crate::html::html_text;
        let source = "Assets *are* listed.\n\n- one & two\n- `x < y`\n\n| a | b |\n|---|---|\n| c | d |\n\n```yaml\nkey: value\n```\n";
        let md = to_html(source, origin());
        let folded = md.plain.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(html_text(&md.html), folded);
        assert_eq!(html_text("<p>a&amp;b</p><p>c</p>"), "a&b c");
    }
}
