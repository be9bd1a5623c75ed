//! Load: walks the content folder, reads every Markdown file's front matter and body,
//! and assembles the framework's tree of nodes.
//!
//! This file runs the load; its parts: `io` (safe file reading), `walk` (the content
//! folder), `frontmatter` and `node` (one file's fields), `tree` (the node list),
//! `bibliography` (`references.yaml`), `reload` (one file again, for the preview server).

mod bibliography;
mod citations;
mod frontmatter;
mod io;
mod node;
mod reload;
mod tree;
mod walk;

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::boundary::Boundary;
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Span};
use crate::markdown::{self, slugify, CodeBlocks, MarkdownOptions, Origin};
use crate::model::{DeclaredDocument, Framework, Kind, Node};
use bibliography::*;
use citations::{known_documents, read_declared_citations};
pub use frontmatter::{split, Split};
pub use io::read_regular_file;
use io::*;
pub use node::{default_column_title, KNOWN_KEYS, MISSPELLED_KEY};
use node::{NodeReader, RawNode};
pub use reload::{reload_file, Reload};
use tree::*;
use walk::*;

/// The page file of a folder node.
pub const INDEX_FILE: &str = "_index.md";
/// The bibliography file at the top of the content folder.
pub const REFERENCES_FILE: &str = "references.yaml";
/// Folders nested deeper than this are not read (a guard against runaway trees).
const MAX_DEPTH: usize = 24;
/// Files larger than this are refused rather than read.
const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// What was read from one Markdown file.
struct ParsedFile {
    node: RawNode,
    diagnostics: Vec<Diagnostic>,
}

/// The files read, by path. Keyed by the path's bytes: the paths all come from one scan,
/// spelled the same way, and hashing a `Path` walks its components (slow for thousands).
type ParsedFiles<'a> = foldhash::HashMap<&'a std::ffi::OsStr, ParsedFile>;

/// Most files (or pages) one parallel task takes at a time.
pub const PARALLEL_PIECE: usize = 32;

/// Reads the project at `project` into a framework. Returns the framework (as complete as
/// the sources allow) and every problem found on the way.
pub fn load(project: &Path, config: Config) -> (Framework, Vec<Diagnostic>) {
    load_with(project, config, CodeBlocks::Highlight)
}

/// [`load`], doing with the bodies' code blocks as `code` says (raw HTML as book.toml says).
pub fn load_with(project: &Path, config: Config, code: CodeBlocks) -> (Framework, Vec<Diagnostic>) {
    let options = MarkdownOptions::new(code, config.build.unsafe_html);
    let content_rel = config.build.content_dir.clone();
    let content = project.join(&content_rel);
    let mut diagnostics = Vec::new();
    let mut assets = Vec::new();
    let display = |rel: &Path| display_path(&content_rel.join(rel));
    let boundary = Boundary::new(project, config.build.follow_symlinks);
    let content_inside = match boundary.contains(&content) {
        true => true,
        false => {
            // At the setting in book.toml, or at the folder (a link named `content`).
            let span = content_dir_setting(project)
                .unwrap_or_else(|| Span::file(display_path(&content_rel)));
            boundary
                .crossing(span, "the content folder")
                .allows(&mut diagnostics)
        }
    };
    let root_folder = if !content_inside {
        Folder::default()
    } else if content.is_dir() {
        Walk {
            content: &content,
            visited: HashSet::new(),
            diagnostics: &mut diagnostics,
            assets: &mut assets,
            display: &display,
            boundary: &boundary,
            max_asset: config.build.max_static_size,
        }
        .scan(PathBuf::new(), 0)
    } else {
        let diagnostic = Diagnostic::error(
            "E0020",
            format!("content folder `{}` not found", display_path(&content_rel)),
        )
        .help("create it, or set `[build] content-dir` in book.toml");
        diagnostics.push(match content_dir_setting(project) {
            Some(span) => diagnostic.at(span),
            None => diagnostic,
        });
        Folder::default()
    };

    let mut files = Vec::new();
    collect_files(&root_folder, &mut files);
    let parsed: Vec<ParsedFile> = files
        .par_iter()
        // Small pieces, so that neither thread waits at the end for the other's last
        // quarter of the files (rayon splits in a few large pieces by default).
        .with_max_len(PARALLEL_PIECE)
        .map(|rel| parse_file(&content.join(rel), &display(rel), options))
        .collect();
    let mut parsed: ParsedFiles<'_> = files.iter().map(|f| f.as_os_str()).zip(parsed).collect();
    for file in parsed.values_mut() {
        diagnostics.append(&mut file.diagnostics);
    }

    let mut tree = Tree {
        // One node per file, and more for inline items: room for the files at least
        // (copying a growing list of ten thousand nodes shows in the profile).
        nodes: Vec::with_capacity(files.len() + 1),
        display: &display,
    };
    let root = match root_folder
        .index
        .as_deref()
        .and_then(|p| parsed.remove(p.as_os_str()))
    {
        Some(file) => file.node,
        None => RawNode {
            span: Span::file(display(Path::new(INDEX_FILE))),
            ..RawNode::default()
        },
    };
    let root_index = tree.add(
        root,
        None,
        0,
        String::new(),
        true,
        display(Path::new(INDEX_FILE)),
    );
    if tree.nodes[root_index].title.is_none() {
        tree.nodes[root_index].title = Some(config.book.title.clone());
    }
    tree.add_folder_children(&root_folder, root_index, &mut parsed);

    // A references.yaml leading out of the project was reported by the scan.
    let references = content.join(REFERENCES_FILE);
    let (documents, has_bibliography) = if content_inside && boundary.allows_reading(&references) {
        read_bibliography(
            &references,
            &display(Path::new(REFERENCES_FILE)),
            &mut diagnostics,
        )
    } else {
        (Vec::new(), false)
    };
    let known = known_documents(&documents, &config);
    read_declared_citations(&mut tree.nodes, &known);
    let framework = Framework {
        config,
        nodes: tree.nodes,
        documents,
        has_bibliography,
        assets,
    };
    (framework, diagnostics)
}

/// Where book.toml sets `content-dir` (its line), when it does.
fn content_dir_setting(project: &Path) -> Option<Span> {
    let file = crate::config::CONFIG_FILE;
    let text = fs::read_to_string(project.join(file)).ok()?;
    let line = text.lines().position(|l| {
        l.trim_start()
            .strip_prefix("content-dir")
            .is_some_and(|r| r.trim_start().starts_with('='))
    })?;
    Some(Span::at(file, line + 1, 1))
}

/// A project-relative path with `/` separators, as diagnostics show it.
pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Reads one Markdown file: front matter fields, inline items and the body's HTML.
fn parse_file(path: &Path, display: &str, options: MarkdownOptions) -> ParsedFile {
    match read_text(path, display) {
        Ok(text) => parse_text(&text, display, options),
        Err(diagnostic) => ParsedFile {
            node: RawNode {
                span: Span::at(display, 1, 1),
                ..RawNode::default()
            },
            diagnostics: vec![diagnostic],
        },
    }
}

/// Reads one Markdown file's text (for fuzzing: everything `load` does with one file,
/// without the file system). Returns the problems found.
#[doc(hidden)]
pub fn check_markdown_text(text: &str, display: &str) -> Vec<Diagnostic> {
    parse_text(text, display, MarkdownOptions::default()).diagnostics
}

/// Reads the text of one Markdown file: front matter fields, inline items and the body's HTML.
fn parse_text(text: &str, display: &str, options: MarkdownOptions) -> ParsedFile {
    let mut diagnostics = Vec::new();
    let fallback = Span::at(display, 1, 1);
    if text.trim().is_empty() {
        diagnostics.push(
            Diagnostic::error("E0026", "file is empty")
                .at(Span::at(display, 1, 1))
                .help("give it front matter with at least an `id:`, or delete it"),
        );
    }
    let split = match frontmatter::split(display, text) {
        Ok(split) => split,
        Err(diagnostic) => {
            return ParsedFile {
                node: RawNode {
                    span: fallback,
                    ..RawNode::default()
                },
                diagnostics: vec![diagnostic],
            }
        }
    };
    let front = split.front.unwrap_or("");
    let value = match frontmatter::parse_yaml(display, front, split.front_line) {
        Ok(value) => value,
        Err(diagnostic) => {
            diagnostics.push(diagnostic);
            serde_yaml::Value::Null
        }
    };
    let mut reader = NodeReader {
        path: display,
        locator: frontmatter::Locator::new(display, front, split.front_line),
        diagnostics,
        markdown: options,
    };
    let mut node = reader.read(&value, fallback);
    node.body = markdown::to_html_with(
        split.body,
        Origin {
            path: display,
            line: split.body_line,
            column: 1,
        },
        options,
    );
    reader.diagnostics.append(&mut node.body.warnings);
    if node.description.is_none() {
        node.description = first_paragraph(split.body).map(|(offset, paragraph)| {
            let line = split.body_line + split.body[..offset].matches('\n').count();
            let origin = Origin {
                path: display,
                line,
                column: 1,
            };
            let mut description = markdown::to_inline_html_with(paragraph, origin, options);
            // The body's conversion reported them already.
            description.warnings.clear();
            description
        });
    }
    node.settle_text();
    ParsedFile {
        node,
        diagnostics: reader.diagnostics,
    }
}

/// The first paragraph of a body (skipping headings, fences, tables and HTML), with its offset.
fn first_paragraph(body: &str) -> Option<(usize, &str)> {
    let mut offset = 0;
    for block in body.split("\n\n") {
        let trimmed = block.trim();
        let skip = trimmed.is_empty()
            || trimmed.starts_with(['#', '`', '~', '|', '<', '>', '-', '*', '['])
            || trimmed.starts_with("    ");
        if !skip {
            let lead = block.len() - block.trim_start().len();
            return Some((offset + lead, trimmed));
        }
        offset += block.len() + 2;
    }
    None
}

#[cfg(test)]
mod tests;
