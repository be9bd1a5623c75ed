//! Load: walks the content folder, reads every Markdown file's front matter and body,
//! and assembles the framework's tree of nodes.

mod citations;
mod frontmatter;
mod node;

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Span};
use crate::markdown::{self, slugify, CodeBlocks, Origin};
use crate::model::{DeclaredDocument, Framework, Kind, Node};
use citations::{known_documents, read_declared_citations};
pub use frontmatter::{split, Split};
pub use node::{default_column_title, KNOWN_KEYS};
use node::{NodeReader, RawNode};

/// The page file of a folder node.
pub const INDEX_FILE: &str = "_index.md";
/// The bibliography file at the top of the content folder.
pub const REFERENCES_FILE: &str = "references.yaml";
/// Folders nested deeper than this are not read (a guard against runaway trees).
const MAX_DEPTH: usize = 24;
/// Files larger than this are refused rather than read.
const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// A content folder as found on disk.
#[derive(Debug, Default)]
struct Folder {
    /// Path relative to the content folder.
    rel: PathBuf,
    index: Option<PathBuf>,
    files: Vec<PathBuf>,
    folders: Vec<Folder>,
    /// Not read (a symbolic link loop, or too deep): not a node either.
    skipped: bool,
}

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

/// [`load`], doing with the bodies' code blocks as `code` says.
pub fn load_with(project: &Path, config: Config, code: CodeBlocks) -> (Framework, Vec<Diagnostic>) {
    let content_rel = config.build.content_dir.clone();
    let content = project.join(&content_rel);
    let mut diagnostics = Vec::new();
    let mut assets = Vec::new();
    let display = |rel: &Path| display_path(&content_rel.join(rel));
    let root_folder = if content.is_dir() {
        let mut visited = HashSet::new();
        scan(
            &content,
            PathBuf::new(),
            0,
            &mut visited,
            &mut diagnostics,
            &mut assets,
            &display,
        )
    } else {
        // Point at `content-dir` in book.toml when it is set there.
        let setting = fs::read_to_string(project.join(crate::config::CONFIG_FILE))
            .ok()
            .and_then(|text| {
                let line = text.lines().position(|l| {
                    l.trim_start()
                        .strip_prefix("content-dir")
                        .is_some_and(|r| r.trim_start().starts_with('='))
                })?;
                Some(Span::at(crate::config::CONFIG_FILE, line + 1, 1))
            });
        let diagnostic = Diagnostic::error(
            "E0020",
            format!("content folder `{}` not found", display_path(&content_rel)),
        )
        .help("create it, or set `[build] content-dir` in book.toml");
        diagnostics.push(match setting {
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
        .map(|rel| parse_file(&content.join(rel), &display(rel), code))
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

    let (documents, has_bibliography) = read_bibliography(
        &content.join(REFERENCES_FILE),
        &display(Path::new(REFERENCES_FILE)),
        &mut diagnostics,
    );
    let known = known_documents(&documents, &config);
    read_declared_citations(&mut tree.nodes, &known);
    let framework = Framework {
        config,
        nodes: tree.nodes,
        documents,
        has_bibliography,
        assets,
        crosswalks: Vec::new(),
    };
    (framework, diagnostics)
}

/// Reads a regular file of at most `limit` bytes as text. Pipes, devices and folders are
/// refused (reading them could block or never end), and so are larger files.
pub fn read_regular_file(path: &Path, limit: u64) -> std::io::Result<String> {
    use std::io::{Error, ErrorKind};
    let bytes = read_limited(path, limit).map_err(|failure| match failure {
        ReadFailure::Io(err) => err,
        ReadFailure::TooLarge => {
            Error::new(ErrorKind::InvalidData, format!("larger than {limit} bytes"))
        }
    })?;
    String::from_utf8(bytes).map_err(|_| Error::new(ErrorKind::InvalidData, "not valid UTF-8"))
}

/// Why a file was not read.
enum ReadFailure {
    Io(std::io::Error),
    /// It holds more than the limit.
    TooLarge,
}

/// The bytes of the regular file at `path`, refused when it holds more than `limit`.
fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, ReadFailure> {
    let (file, len) = open_regular_file(path).map_err(ReadFailure::Io)?;
    if len > limit {
        return Err(ReadFailure::TooLarge);
    }
    // Read at most one byte past the limit, in case the file grows meanwhile.
    let bytes = read_open_file(file, len, limit).map_err(ReadFailure::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadFailure::TooLarge);
    }
    Ok(bytes)
}

/// Reads an open file whose metadata gave `len` (at most `limit`) to its end, or to one byte
/// past `limit` should it have grown. One `read` when it still has that length: asked for
/// a byte more, it gives `len` bytes and so shows its end (where reading to the end
/// would take a second call that reads nothing, for each of thousands of files).
fn read_open_file(mut file: fs::File, len: u64, limit: u64) -> std::io::Result<Vec<u8>> {
    use std::io::{ErrorKind, Read};
    let mut bytes = vec![0; usize::try_from(len.min(limit)).unwrap_or(0) + 1];
    let read = match file.read(&mut bytes) {
        Ok(read) => read,
        Err(err) if err.kind() == ErrorKind::Interrupted => 0,
        Err(err) => return Err(err),
    };
    bytes.truncate(read);
    if read as u64 != len {
        // Shorter or longer than it was: read on to the end (or just past the limit).
        file.take((limit + 1).saturating_sub(read as u64))
            .read_to_end(&mut bytes)?;
    }
    Ok(bytes)
}

/// Opens `path` for reading if it is a regular file, with its length. Pipes, devices and
/// folders are refused: reading them could block or never end.
fn open_regular_file(path: &Path) -> std::io::Result<(fs::File, u64)> {
    use std::io::{Error, ErrorKind};
    let not_regular = || Error::new(ErrorKind::InvalidInput, "not a regular file");
    // Open first and ask the open file what it is: one path lookup instead of two (a
    // large framework has thousands of files). Without blocking, opening a pipe returns
    // at once instead of waiting for a writer.
    #[cfg(unix)]
    let file = {
        use std::os::unix::fs::OpenOptionsExt;
        fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(path)?
    };
    #[cfg(not(unix))]
    let file = {
        if !fs::metadata(path)?.is_file() {
            return Err(not_regular());
        }
        fs::File::open(path)?
    };
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_regular());
    }
    Ok((file, meta.len()))
}

/// A project-relative path with `/` separators, as diagnostics show it.
pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

fn scan(
    content: &Path,
    rel: PathBuf,
    depth: usize,
    visited: &mut HashSet<PathBuf>,
    diagnostics: &mut Vec<Diagnostic>,
    assets: &mut Vec<PathBuf>,
    display: &dyn Fn(&Path) -> String,
) -> Folder {
    let mut folder = Folder {
        rel: rel.clone(),
        ..Folder::default()
    };
    let dir = content.join(&rel);
    // Symbolic links may point back up the tree: read each real folder once.
    if let Ok(real) = dir.canonicalize() {
        if !visited.insert(real) {
            diagnostics.push(
                Diagnostic::warning(
                    "W0021",
                    "folder visited twice (symbolic link loop); skipped",
                )
                .at(Span::file(display(&rel))),
            );
            folder.skipped = true;
            return folder;
        }
    }
    if depth > MAX_DEPTH {
        diagnostics.push(
            Diagnostic::error(
                "E0022",
                format!("folders nested deeper than {MAX_DEPTH} levels"),
            )
            .at(Span::file(display(&rel))),
        );
        folder.skipped = true;
        return folder;
    }
    let entries = match fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(err) => {
            diagnostics.push(
                Diagnostic::error("E0023", format!("cannot read folder: {err}"))
                    .at(Span::file(display(&rel))),
            );
            return folder;
        }
    };
    // The kind of each entry comes with the listing; only symbolic links need a look at
    // what they point to (a stat per file would cost more than the listing itself).
    let mut names: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| (e.file_name(), e.file_type().ok()))
        .collect();
    names.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, kind) in names {
        let name_text = name.to_string_lossy();
        if name_text.starts_with('.') {
            continue;
        }
        let child_rel = rel.join(&name);
        let kind = match kind {
            Some(kind) if !kind.is_symlink() => Some(EntryKind::of(kind.is_dir(), kind.is_file())),
            _ => fs::metadata(content.join(&child_rel))
                .ok()
                .map(|meta| EntryKind::of(meta.is_dir(), meta.is_file())),
        };
        let Some(meta) = kind else {
            diagnostics.push(
                Diagnostic::warning("W0024", "broken symbolic link; skipped")
                    .at(Span::file(display(&child_rel))),
            );
            continue;
        };
        if !meta.is_dir() && !meta.is_file() {
            // A pipe, socket or device (or a link to one) would block or never end.
            diagnostics.push(
                Diagnostic::warning("W0032", "not a regular file or folder; skipped")
                    .at(Span::file(display(&child_rel)))
                    .help("pipes, sockets and devices cannot be published; remove it"),
            );
            continue;
        }
        let is_markdown = name_text.ends_with(".md");
        if meta.is_dir() && is_markdown {
            diagnostics.push(
                Diagnostic::error(
                    "E0025",
                    format!("`{name_text}` is a folder, not a Markdown file"),
                )
                .at(Span::file(display(&child_rel))),
            );
        } else if meta.is_dir() {
            if depth == 0 && name_text == "mappings" {
                continue; // crosswalk mappings, not framework nodes
            }
            let child = scan(
                content,
                child_rel,
                depth + 1,
                visited,
                diagnostics,
                assets,
                display,
            );
            if !child.skipped {
                folder.folders.push(child);
            }
        } else if name_text == INDEX_FILE {
            folder.index = Some(child_rel);
        } else if is_markdown {
            folder.files.push(child_rel);
        } else if !(depth == 0 && name_text == REFERENCES_FILE) {
            if let Some(warning) = unknown_file_kind(&name_text, depth) {
                diagnostics.push(warning.at(Span::file(display(&child_rel))));
            }
            assets.push(child_rel);
        }
    }
    folder
}

/// What a folder entry is (after following a symbolic link).
#[derive(Clone, Copy, PartialEq, Eq)]
enum EntryKind {
    Folder,
    File,
    /// A pipe, socket or device.
    Other,
}

impl EntryKind {
    fn of(is_dir: bool, is_file: bool) -> EntryKind {
        match (is_dir, is_file) {
            (true, _) => EntryKind::Folder,
            (_, true) => EntryKind::File,
            _ => EntryKind::Other,
        }
    }

    fn is_dir(self) -> bool {
        self == EntryKind::Folder
    }

    fn is_file(self) -> bool {
        self == EntryKind::File
    }
}

/// Extensions of files that belong in a site as they are (images, documents, data, media).
const ASSET_EXTENSIONS: [&str; 40] = [
    "png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "ico", "bmp", "tif", "tiff", "pdf", "txt",
    "csv", "tsv", "json", "xml", "xlsx", "xls", "ods", "docx", "doc", "odt", "pptx", "ppt", "odp",
    "rtf", "zip", "css", "js", "mp4", "webm", "mp3", "ogg", "wav", "woff", "woff2", "ttf", "otf",
    "html",
];

/// A warning for a file in the content folder that is neither Markdown nor a known kind of
/// asset (it is still copied into the site as it is).
fn unknown_file_kind(name: &str, depth: usize) -> Option<Diagnostic> {
    let extension = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if ASSET_EXTENSIONS.contains(&extension.as_str()) {
        return None;
    }
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let help = match extension.as_str() {
        "md" | "markdown" | "mdown" | "mkd" | "mdx" => {
            format!(
                "only files ending in `.md` (lower case) are read as pages: rename it `{stem}.md`"
            )
        }
        "yml" | "yaml" if depth == 0 && stem.eq_ignore_ascii_case("references") => {
            format!("the bibliography must be named `{REFERENCES_FILE}`")
        }
        "yml" | "yaml" => format!(
            "YAML files are read only as `content/{REFERENCES_FILE}` and in `content/mappings/`"
        ),
        _ => "remove it if it is not meant to be published".to_string(),
    };
    Some(
        Diagnostic::warning(
            "W0029",
            format!("`{name}` is neither Markdown nor a known kind of asset; copied as it is"),
        )
        .help(help),
    )
}

fn collect_files(folder: &Folder, out: &mut Vec<PathBuf>) {
    out.extend(folder.index.iter().cloned());
    out.extend(folder.files.iter().cloned());
    for child in &folder.folders {
        collect_files(child, out);
    }
}

/// Reads one Markdown file: front matter fields, inline items and the body's HTML.
fn parse_file(path: &Path, display: &str, code: CodeBlocks) -> ParsedFile {
    match read_text(path, display) {
        Ok(text) => parse_text(&text, display, code),
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
    parse_text(text, display, CodeBlocks::Highlight).diagnostics
}

/// Reads the text of one Markdown file: front matter fields, inline items and the body's HTML.
fn parse_text(text: &str, display: &str, code: CodeBlocks) -> ParsedFile {
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
    };
    let mut node = reader.read(&value, fallback);
    node.body = markdown::to_html_with(
        split.body,
        Origin {
            path: display,
            line: split.body_line,
            column: 1,
        },
        code,
    );
    reader.diagnostics.append(&mut node.body.warnings);
    if node.description.is_none() {
        node.description = first_paragraph(split.body).map(|(offset, paragraph)| {
            let line = split.body_line + split.body[..offset].matches('\n').count();
            markdown::to_inline_html(
                paragraph,
                Origin {
                    path: display,
                    line,
                    column: 1,
                },
            )
        });
    }
    node.settle_text();
    ParsedFile {
        node,
        diagnostics: reader.diagnostics,
    }
}

fn read_text(path: &Path, display: &str) -> Result<String, Diagnostic> {
    let bytes = read_limited(path, MAX_FILE_BYTES).map_err(|failure| match failure {
        ReadFailure::Io(err) => {
            Diagnostic::error("E0023", format!("cannot read file: {err}")).at(Span::file(display))
        }
        ReadFailure::TooLarge => Diagnostic::error(
            "E0027",
            format!("file is larger than {} MiB", MAX_FILE_BYTES / 1024 / 1024),
        )
        .at(Span::file(display)),
    })?;
    String::from_utf8(bytes).map_err(|err| {
        let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
        let valid = std::str::from_utf8(valid).unwrap_or("");
        Diagnostic::error("E0028", "file is not valid UTF-8")
            .at(Span::from_offset(display, valid, valid.len()))
            .help("save the file as UTF-8")
    })
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

/// Builds the flat node list from folders, files and inline items.
struct Tree<'a> {
    nodes: Vec<Node>,
    display: &'a dyn Fn(&Path) -> String,
}

/// `text` without surrounding white space, copied only when it has some.
fn trimmed(text: String) -> String {
    if text.trim().len() == text.len() {
        text
    } else {
        text.trim().to_string()
    }
}

impl Tree<'_> {
    /// Adds a node and, recursively, its inline items; returns its index.
    fn add(
        &mut self,
        raw: RawNode,
        parent: Option<usize>,
        depth: usize,
        slug: String,
        has_page: bool,
        source: String,
    ) -> usize {
        let index = self.nodes.len();
        let kind = raw.kind.unwrap_or_else(|| Kind::from_depth(depth));
        self.nodes.push(Node {
            id: trimmed(raw.id.unwrap_or_default()),
            kind,
            title: raw.title,
            description: raw.description,
            description_repeats_body: raw.description_repeats_body,
            body: raw.body,
            references: raw.references,
            related: raw.related,
            columns: raw.columns,
            extra: raw.extra,
            extra_html: raw.extra_html,
            order: raw.order,
            parent,
            children: Vec::new(),
            slug,
            has_page,
            source: source.clone(),
            span: raw.span,
            depth,
        });
        if let Some(parent) = parent {
            self.nodes[parent].children.push(index);
        }
        for item in raw.items {
            let item_kind = item.kind.unwrap_or_else(|| Kind::from_depth(depth + 1));
            let slug = slugify(item.id.as_deref().unwrap_or("item"));
            // Concepts and categories always get a page: their table lives there.
            let page = item_kind <= Kind::Category;
            self.add(item, Some(index), depth + 1, slug, page, source.clone());
        }
        self.sort_children(index);
        index
    }

    fn add_folder_children(
        &mut self,
        folder: &Folder,
        parent: usize,
        parsed: &mut ParsedFiles<'_>,
    ) {
        let depth = self.nodes[parent].depth + 1;
        for file in &folder.files {
            let Some(parsed_file) = parsed.remove(file.as_os_str()) else {
                continue;
            };
            let stem = file
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let source = (self.display)(file);
            self.add(
                parsed_file.node,
                Some(parent),
                depth,
                slugify(&stem),
                true,
                source,
            );
        }
        for child in &folder.folders {
            let name = child
                .rel
                .file_name()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let source = (self.display)(&child.rel.join(INDEX_FILE));
            let raw = match child
                .index
                .as_deref()
                .and_then(|p| parsed.remove(p.as_os_str()))
            {
                Some(file) => file.node,
                None => RawNode {
                    span: Span::file((self.display)(&child.rel)),
                    title: Some(name.clone()),
                    ..RawNode::default()
                },
            };
            let index = self.add(raw, Some(parent), depth, slugify(&name), true, source);
            self.add_folder_children(child, index, parsed);
        }
        self.sort_children(parent);
    }

    /// Orders children by `order:`, then by source (file name or declaration order).
    fn sort_children(&mut self, parent: usize) {
        let mut children = std::mem::take(&mut self.nodes[parent].children);
        let nodes = &self.nodes;
        children.sort_by(|&a, &b| {
            let key = |i: usize| nodes[i].order.unwrap_or(f64::INFINITY);
            key(a).total_cmp(&key(b)).then_with(|| {
                // Inline items keep their declaration order; files go by name.
                if nodes[a].source == nodes[b].source {
                    a.cmp(&b)
                } else {
                    nodes[a].slug.cmp(&nodes[b].slug)
                }
            })
        });
        self.nodes[parent].children = children;
    }
}

fn read_bibliography(
    path: &Path,
    display: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<DeclaredDocument>, bool) {
    if !path.exists() {
        return (Vec::new(), false);
    }
    let text = match read_text(path, display) {
        Ok(text) => text,
        Err(diagnostic) => {
            diagnostics.push(diagnostic);
            return (Vec::new(), false);
        }
    };
    // A broken bibliography counts as none: its errors are reported, and the citations
    // are not all reported again as undeclared.
    let value = match frontmatter::parse_yaml(display, &text, 1) {
        Ok(value) => value,
        Err(diagnostic) => {
            diagnostics.push(diagnostic);
            return (Vec::new(), false);
        }
    };
    let locator = frontmatter::Locator::new(display, &text, 1);
    let entries = match value {
        serde_yaml::Value::Sequence(entries) => entries,
        serde_yaml::Value::Null => Vec::new(),
        _ => {
            diagnostics.push(
                Diagnostic::error("E0030", "references.yaml must be a list of documents")
                    .at(Span::at(display, 1, 1))
                    .help("write each document as a list entry: `- document: ISO/IEC 27002`"),
            );
            return (Vec::new(), false);
        }
    };
    // Where each entry of the top-level list starts (a line beginning with `-`).
    let starts: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, line)| line.starts_with('-') && !line.starts_with("---"))
        .map(|(index, _)| index + 1)
        .collect();
    let mut documents = Vec::new();
    for (number, entry) in entries.iter().enumerate() {
        let field = |key: &str| entry.get(key).and_then(node::scalar_text);
        let Some(document) = field("document") else {
            let line = starts.get(number).copied().unwrap_or(1);
            diagnostics.push(
                Diagnostic::error("E0031", "a references.yaml entry has no `document:`")
                    .at(Span::at(display, line, 1))
                    .help("each entry is a mapping: `- document: ISO/IEC 27002`, with optional `title:` and `url:`"),
            );
            continue;
        };
        let span = locator.text(&document, 0);
        documents.push(DeclaredDocument {
            document: document.trim().to_string(),
            title: field("title"),
            url: field("url"),
            span,
        });
    }
    (documents, true)
}

/// The outcome of re-reading one changed Markdown file into an existing framework.
#[derive(Debug)]
pub enum Reload {
    /// The file's nodes were updated in place; their indices, and the file's warnings.
    Updated {
        /// Indices of the nodes defined by the file.
        nodes: Vec<usize>,
        /// Warnings found in the file.
        diagnostics: Vec<Diagnostic>,
    },
    /// The file has errors; the framework was left as it was.
    Failed(Vec<Diagnostic>),
    /// The change alters the tree (ids, titles, kinds, order, items added or removed):
    /// the whole project must be loaded again.
    Structural,
}

/// Re-reads one Markdown file (a path relative to the project) and, when only its content
/// changed and not the tree's shape, updates its nodes in place. This is what makes the
/// preview server's rebuilds cost one file instead of the whole project.
pub fn reload_file(framework: &mut Framework, project: &Path, file: &Path) -> Reload {
    let display = display_path(file);
    let old: Vec<usize> = (0..framework.nodes.len())
        .filter(|&i| framework.nodes[i].source == display)
        .collect();
    if old.is_empty() {
        return Reload::Structural;
    }
    let parsed = parse_file(&project.join(file), &display, CodeBlocks::Highlight);
    if parsed.diagnostics.iter().any(Diagnostic::is_error) {
        return Reload::Failed(parsed.diagnostics);
    }
    let mut fresh = Vec::new();
    flatten(parsed.node, None, &mut fresh);
    if fresh.len() != old.len() {
        return Reload::Structural;
    }
    let by_id: std::collections::HashMap<&str, usize> = old
        .iter()
        .map(|&i| (framework.nodes[i].id.as_str(), i))
        .collect();
    let mut targets = Vec::with_capacity(fresh.len());
    for (raw, parent_id) in &fresh {
        let id = raw.id.as_deref().unwrap_or("").trim();
        let Some(&index) = by_id.get(id) else {
            return Reload::Structural;
        };
        let node = &framework.nodes[index];
        let parent_matches = match (parent_id, node.parent) {
            (Some(parent), Some(p)) => framework.nodes[p].id == *parent,
            (None, _) => true,
            (Some(_), None) => false,
        };
        let title = raw.title.clone().or_else(|| {
            // The root's title falls back to the book's.
            node.parent
                .is_none()
                .then(|| framework.config.book.title.clone())
        });
        let same_shape = parent_matches
            && raw.kind.is_none_or(|k| k == node.kind)
            && title == node.title
            && raw.order == node.order;
        if !same_shape {
            return Reload::Structural;
        }
        targets.push(index);
    }
    let known = known_documents(&framework.documents, &framework.config);
    for ((raw, _), &index) in fresh.into_iter().zip(&targets) {
        let node = &mut framework.nodes[index];
        node.description = raw.description;
        node.description_repeats_body = raw.description_repeats_body;
        node.body = raw.body;
        node.references = raw.references;
        read_declared_citations(std::iter::once(&mut *node), &known);
        node.related = raw.related;
        node.columns = raw.columns;
        node.extra = raw.extra;
        node.extra_html = raw.extra_html;
        node.span = raw.span;
    }
    Reload::Updated {
        nodes: targets,
        diagnostics: parsed.diagnostics,
    }
}

/// A file's node and its inline items, in declaration order, each with its parent's id.
fn flatten(mut raw: RawNode, parent: Option<String>, out: &mut Vec<(RawNode, Option<String>)>) {
    let items = std::mem::take(&mut raw.items);
    let id = raw.id.clone().map(|id| id.trim().to_string());
    out.push((raw, parent));
    for item in items {
        flatten(item, id.clone(), out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_files_are_read_whole_whatever_length_they_were_said_to_have() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.md");
        fs::write(&path, "0123456789").unwrap();
        let read = |len: u64, limit: u64| {
            read_open_file(fs::File::open(&path).unwrap(), len, limit).unwrap()
        };
        // As stated; grown since (stated shorter); shrunk since (stated longer).
        for len in [10, 4, 0, 15] {
            assert_eq!(read(len, 100), b"0123456789", "stated {len}");
        }
        // Longer than the limit: one byte past it, for the caller to refuse.
        assert_eq!(read(4, 6), b"0123456");
        assert_eq!(read_regular_file(&path, 100).unwrap(), "0123456789");
        assert!(read_regular_file(&path, 9).is_err());
        assert!(read_regular_file(dir.path(), 100).is_err(), "a folder");
    }
}
