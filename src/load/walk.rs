//! Walking the content folder: folders, Markdown files and assets, with symbolic-link
//! loops, depth and unknown file kinds guarded.

use super::*;
use crate::config::static_too_large;

/// A content folder as found on disk.
#[derive(Debug, Default)]
pub(super) struct Folder {
    /// Path relative to the content folder.
    pub(super) rel: PathBuf,
    pub(super) index: Option<PathBuf>,
    pub(super) files: Vec<PathBuf>,
    pub(super) folders: Vec<Folder>,
    /// Not read (a symbolic link loop, or too deep): not a node either.
    pub(super) skipped: bool,
}

/// What a walk of the content folder carries from folder to folder.
pub(super) struct Walk<'a> {
    /// The content folder.
    pub(super) content: &'a Path,
    /// Real folders read so far (symbolic links may lead back up the tree).
    pub(super) visited: HashSet<PathBuf>,
    pub(super) diagnostics: &'a mut Vec<Diagnostic>,
    /// Files copied into the site as they are, relative to the content folder.
    pub(super) assets: &'a mut Vec<PathBuf>,
    /// A content-relative path as diagnostics show it.
    pub(super) display: &'a dyn Fn(&Path) -> String,
    /// Where the project ends.
    pub(super) boundary: &'a Boundary,
    /// `[build] max-static-size`: larger assets are errors.
    pub(super) max_asset: u64,
}

impl Walk<'_> {
    /// Reads the folder at `rel` (relative to the content folder), `depth` levels down.
    pub(super) fn scan(&mut self, rel: PathBuf, depth: usize) -> Folder {
        let (content, display, boundary) = (self.content, self.display, self.boundary);
        let mut folder = Folder {
            rel: rel.clone(),
            ..Folder::default()
        };
        let dir = content.join(&rel);
        // Symbolic links may point back up the tree: read each real folder once.
        if let Ok(real) = dir.canonicalize() {
            if !self.visited.insert(real) {
                self.diagnostics.push(
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
            self.diagnostics.push(
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
                self.diagnostics.push(
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
            let is_link = kind.is_none_or(|kind| kind.is_symlink());
            let kind = match kind {
                Some(kind) if !kind.is_symlink() => {
                    Some(EntryKind::of(kind.is_dir(), kind.is_file()))
                }
                _ => fs::metadata(content.join(&child_rel))
                    .ok()
                    .map(|meta| EntryKind::of(meta.is_dir(), meta.is_file())),
            };
            let Some(meta) = kind else {
                self.diagnostics.push(
                    Diagnostic::warning("W0024", "broken symbolic link; skipped")
                        .at(Span::file(display(&child_rel))),
                );
                continue;
            };
            if !meta.is_dir() && !meta.is_file() {
                // A pipe, socket or device (or a link to one) would block or never end.
                self.diagnostics.push(
                    Diagnostic::warning("W0032", "not a regular file or folder; skipped")
                        .at(Span::file(display(&child_rel)))
                        .help("pipes, sockets and devices cannot be published; remove it"),
                );
                continue;
            }
            // (A device is skipped above, outside or not: nothing is read from it.)
            // A link out of the project is not read (nor copied) unless the author allows it.
            if is_link
                && !boundary
                    .check(
                        &content.join(&child_rel),
                        &display(&child_rel),
                        "symbolic link",
                    )
                    .allows(self.diagnostics)
            {
                continue;
            }
            let is_markdown = name_text.ends_with(".md");
            if meta.is_dir() && is_markdown {
                self.diagnostics.push(
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
                let child = self.scan(child_rel, depth + 1);
                if !child.skipped {
                    folder.folders.push(child);
                }
            } else if name_text == INDEX_FILE {
                folder.index = Some(child_rel);
            } else if is_markdown {
                folder.files.push(child_rel);
            } else if !(depth == 0 && name_text == REFERENCES_FILE) {
                if let Some(warning) = unknown_file_kind(&name_text, depth) {
                    self.diagnostics
                        .push(warning.at(Span::file(display(&child_rel))));
                }
                self.asset(child_rel);
            }
        }
        folder
    }

    /// Adds a file to copy into the site, unless it is larger than the limit.
    fn asset(&mut self, rel: PathBuf) {
        let path = self.content.join(&rel);
        let len = fs::metadata(&path).map_or(0, |meta| meta.len());
        if len > self.max_asset {
            self.diagnostics
                .push(static_too_large(&(self.display)(&rel), len, self.max_asset));
            return;
        }
        self.assets.push(rel);
    }
}

/// What a folder entry is (after following a symbolic link).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum EntryKind {
    Folder,
    File,
    /// A pipe, socket or device.
    Other,
}

impl EntryKind {
    pub(super) fn of(is_dir: bool, is_file: bool) -> EntryKind {
        match (is_dir, is_file) {
            (true, _) => EntryKind::Folder,
            (_, true) => EntryKind::File,
            _ => EntryKind::Other,
        }
    }

    pub(super) fn is_dir(self) -> bool {
        self == EntryKind::Folder
    }

    pub(super) fn is_file(self) -> bool {
        self == EntryKind::File
    }
}

/// Extensions of files that belong in a site as they are (images, documents, data, media).
pub(super) const ASSET_EXTENSIONS: [&str; 40] = [
    "png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "ico", "bmp", "tif", "tiff", "pdf", "txt",
    "csv", "tsv", "json", "xml", "xlsx", "xls", "ods", "docx", "doc", "odt", "pptx", "ppt", "odp",
    "rtf", "zip", "css", "js", "mp4", "webm", "mp3", "ogg", "wav", "woff", "woff2", "ttf", "otf",
    "html",
];

/// A warning for a file in the content folder that is neither Markdown nor a known kind of
/// asset (it is still copied into the site as it is).
pub(super) fn unknown_file_kind(name: &str, depth: usize) -> Option<Diagnostic> {
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

pub(super) fn collect_files(folder: &Folder, out: &mut Vec<PathBuf>) {
    out.extend(folder.index.iter().cloned());
    out.extend(folder.files.iter().cloned());
    for child in &folder.folders {
        collect_files(child, out);
    }
}
