//! The house stays one-way: every `crate::`/`super::` path between the top-level modules of
//! `src/` must run down the layer order that ARCHITECTURE.md declares (its ```layers block,
//! highest layer first), and no top-level modules may import each other in a circle.
//!
//! Cargo refuses a cycle between crates; inside one crate nothing does, so this test reads
//! the source and plays that role.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The most lines a source file may hold before its unit tests.
const MAX_LINES: usize = 900;

/// The crate root's name in the layer order (the items of lib.rs: `Project`, `build`, …).
const ROOT: &str = "lib";

/// One path from one top-level module into another.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Import {
    /// `src/…` path of the importing file.
    file: String,
    /// 1-based line of the path.
    line: usize,
    /// The importing top-level module.
    from: String,
    /// The imported top-level module ([`ROOT`] for the crate root's own items).
    to: String,
}

/// The layer order from ARCHITECTURE.md, lowest first.
fn declared_layers(architecture: &str) -> Vec<String> {
    let block = architecture
        .split("```layers")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("ARCHITECTURE.md has a ```layers block");
    let mut layers: Vec<String> = block
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_string)
        .collect();
    layers.reverse();
    layers
}

/// The code of a Rust file with comments, strings and character literals blanked out
/// (new lines kept), so that only real paths and braces remain.
fn code_only(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if c == 'r'
            && matches!(next, Some('"') | Some('#'))
            && !chars[..i]
                .last()
                .is_some_and(|p| p.is_alphanumeric() || *p == '_')
        {
            // A raw string: r"…", r#"…"#, …
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            let closing: String = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            let rest: String = chars[j..].iter().collect();
            let len = rest
                .find(&closing)
                .map_or(rest.len(), |at| at + closing.len());
            let end = j + rest[..len].chars().count();
            out.extend(chars[i..end.min(chars.len())].iter().map(|&c| blank(c)));
            i = end;
        } else if c == '"' {
            out.push(' ');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if i < chars.len() {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
            out.push(' ');
            i += 1;
        } else if c == '\'' {
            // A character literal ('x', '\n', '\u{..}'), not a lifetime ('a).
            let end = if next == Some('\\') {
                chars[i + 2..]
                    .iter()
                    .position(|&c| c == '\'')
                    .map(|at| i + 2 + at + 1)
            } else if chars.get(i + 2) == Some(&'\'') {
                Some(i + 3)
            } else {
                None
            };
            match end {
                Some(end) => {
                    out.extend(std::iter::repeat_n(' ', end - i));
                    i = end;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// The module path of a file under `src/` (`load/node.rs` → `["load", "node"]`).
fn module_path(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" {
        parts.push(stem.to_string());
    }
    parts
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The identifier at the start of `text` (after white space), if any.
fn ident_at(text: &str) -> Option<&str> {
    let text = text.trim_start();
    let end = text.find(|c: char| !is_ident(c)).unwrap_or(text.len());
    (end > 0).then(|| &text[..end])
}

/// The first segments that a path continuing at `rest` (just after `crate::`) names: one,
/// or several for a `{a, b::c}` group.
fn first_segments(rest: &str) -> Vec<String> {
    let rest = rest.trim_start();
    if let Some(group) = rest.strip_prefix('{') {
        let mut depth = 0;
        let mut names = Vec::new();
        let mut at_start = true;
        let mut word = String::new();
        for c in group.chars() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => break,
                '}' => depth -= 1,
                ',' if depth == 0 => at_start = true,
                _ => {}
            }
            if at_start && is_ident(c) {
                word.push(c);
            } else if !word.is_empty() {
                names.push(std::mem::take(&mut word));
                at_start = c == ',' && depth == 0;
            }
        }
        if !word.is_empty() {
            names.push(word);
        }
        return names;
    }
    ident_at(rest).map(str::to_string).into_iter().collect()
}

/// Every path in one file that leaves its top-level module for another.
fn imports_of(
    file: &str,
    module: &[String],
    source: &str,
    modules: &BTreeSet<String>,
) -> Vec<Import> {
    let code = code_only(source);
    let from = module.first().cloned().unwrap_or_else(|| ROOT.to_string());
    let resolve = |path: &str| -> String {
        if modules.contains(path) {
            path.to_string()
        } else {
            ROOT.to_string()
        }
    };
    // Inline modules (`mod tests { … }`) deepen what `super::` means.
    let mut inline: Vec<usize> = Vec::new(); // brace depth at which each inline module opened
    let mut depth = 0usize;
    let mut found = Vec::new();
    let mut line = 1;
    let mut i = 0;
    while let Some(c) = code[i..].chars().next() {
        let before_ok = i == 0 || {
            let p = code[..i].chars().next_back().unwrap_or(' ');
            !is_ident(p) && p != ':'
        };
        match c {
            '\n' => line += 1,
            '{' => depth += 1,
            '}' => {
                depth = depth.saturating_sub(1);
                if inline.last() == Some(&depth) {
                    inline.pop();
                }
            }
            'm' if before_ok && code[i..].starts_with("mod ") => {
                let rest = &code[i + 4..];
                if let Some(name) = ident_at(rest) {
                    let after = rest.trim_start()[name.len()..].trim_start();
                    if after.starts_with('{') {
                        inline.push(depth);
                    }
                }
            }
            'c' if before_ok && code[i..].starts_with("crate") => {
                let rest = code[i + 5..].trim_start();
                if let Some(rest) = rest.strip_prefix("::") {
                    for name in first_segments(rest) {
                        let to = resolve(&name);
                        if to != from {
                            found.push(Import {
                                file: file.into(),
                                line,
                                from: from.clone(),
                                to,
                            });
                        }
                    }
                }
            }
            's' if before_ok && code[i..].starts_with("super") => {
                // Count the `super::` in a row, then see where they lead.
                let mut rest = &code[i..];
                let mut ups = 0;
                while let Some(after) = rest.strip_prefix("super") {
                    match after.trim_start().strip_prefix("::") {
                        Some(after) => {
                            ups += 1;
                            rest = after.trim_start();
                        }
                        None => break,
                    }
                }
                let inner = module.len() + inline.len();
                if ups > 0 && ups >= inner {
                    // Up to the crate root: the next segment names the module reached.
                    for name in first_segments(rest) {
                        let to = resolve(&name);
                        if to != from {
                            found.push(Import {
                                file: file.into(),
                                line,
                                from: from.clone(),
                                to,
                            });
                        }
                    }
                }
                if ups > 0 {
                    i += code[i..].len() - rest.len();
                    continue;
                }
            }
            _ => {}
        }
        i += c.len_utf8();
    }
    // The crate root names its modules without `crate::` (`load::load_with`, `use write::…`).
    if module.is_empty() {
        for (n, text) in code.lines().enumerate() {
            let text = text.trim_start();
            if text.starts_with("pub mod ") || text.starts_with("mod ") {
                continue;
            }
            for (at, _) in text.match_indices("::") {
                let start = text[..at]
                    .rfind(|c: char| !is_ident(c))
                    .map_or(0, |s| s + 1);
                let name = &text[start..at];
                let preceded = text[..start].ends_with(':');
                if !preceded && modules.contains(name) {
                    found.push(Import {
                        file: file.into(),
                        line: n + 1,
                        from: ROOT.into(),
                        to: name.into(),
                    });
                }
            }
        }
    }
    found
}

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(&folder).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The top-level modules that lib.rs declares.
fn top_level_modules(lib: &str) -> BTreeSet<String> {
    code_only(lib)
        .lines()
        .filter_map(|l| {
            let l = l.trim();
            l.strip_prefix("pub mod ")
                .or_else(|| l.strip_prefix("mod "))
                .and_then(|rest| rest.strip_suffix(';'))
                .map(str::to_string)
        })
        .collect()
}

/// The imports of the library crate in `src` (the binary's files, main.rs and the modules
/// it declares, use the library from outside and are left out).
fn library_imports(src: &Path) -> (BTreeSet<String>, Vec<Import>) {
    let lib = fs::read_to_string(src.join("lib.rs")).unwrap();
    let modules = top_level_modules(&lib);
    let mut imports = Vec::new();
    for path in rust_files(src) {
        let relative = path.strip_prefix(src).unwrap();
        let module = module_path(relative);
        let top = module.first().map(String::as_str).unwrap_or(ROOT);
        if top != ROOT && !modules.contains(top) {
            continue; // main.rs and the binary's own modules
        }
        if relative == Path::new("main.rs") {
            continue;
        }
        let file = format!("src/{}", relative.to_string_lossy().replace('\\', "/"));
        let source = fs::read_to_string(&path).unwrap();
        imports.extend(imports_of(&file, &module, &source, &modules));
    }
    imports.sort();
    (modules, imports)
}

/// What runs against `layers` (lowest first): modules missing from it, and imports of a
/// module that is not below the importer.
fn violations(layers: &[String], modules: &BTreeSet<String>, imports: &[Import]) -> Vec<String> {
    let rank: BTreeMap<&str, usize> = layers
        .iter()
        .enumerate()
        .map(|(i, m)| (m.as_str(), i))
        .collect();
    let mut problems: Vec<String> = modules
        .iter()
        .chain(std::iter::once(&ROOT.to_string()))
        .filter(|m| !rank.contains_key(m.as_str()))
        .map(|m| format!("module `{m}` is not in the layer order of ARCHITECTURE.md: add it there"))
        .collect();
    for import in imports {
        let (Some(&from), Some(&to)) =
            (rank.get(import.from.as_str()), rank.get(import.to.as_str()))
        else {
            continue;
        };
        if to >= from {
            problems.push(format!(
                "{}:{}: `{}` imports `{}`, which is not below it in the layer order",
                import.file, import.line, import.from, import.to
            ));
        }
    }
    problems
}

/// Circles between top-level modules, each as the modules in it.
fn cycles(imports: &[Import]) -> Vec<Vec<String>> {
    let mut graph: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for import in imports {
        graph.entry(&import.from).or_default().insert(&import.to);
    }
    // A module is in a circle when it reaches itself; group modules that reach each other.
    let reach = |start: &str| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<&str> = graph.get(start).into_iter().flatten().copied().collect();
        while let Some(m) = stack.pop() {
            if seen.insert(m.to_string()) {
                stack.extend(graph.get(m).into_iter().flatten().copied());
            }
        }
        seen
    };
    let reaches: BTreeMap<&str, BTreeSet<String>> = graph.keys().map(|&m| (m, reach(m))).collect();
    let mut circles: BTreeSet<Vec<String>> = BTreeSet::new();
    for (&m, reached) in &reaches {
        if reached.contains(m) {
            let circle: Vec<String> = reached
                .iter()
                .filter(|o| reaches.get(o.as_str()).is_some_and(|r| r.contains(m)))
                .cloned()
                .collect();
            circles.insert(circle);
        }
    }
    circles.into_iter().collect()
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn layers() -> Vec<String> {
    let text =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("ARCHITECTURE.md")).unwrap();
    declared_layers(&text)
}

#[test]
fn every_import_between_top_level_modules_runs_down_the_layer_order() {
    let (modules, imports) = library_imports(&src());
    assert!(
        imports.len() > 40,
        "the scan found too few imports: {imports:?}"
    );
    let problems = violations(&layers(), &modules, &imports);
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

#[test]
fn no_top_level_modules_import_each_other_in_a_circle() {
    let (_, imports) = library_imports(&src());
    let circles = cycles(&imports);
    assert!(circles.is_empty(), "circles between modules: {circles:?}");
}

#[test]
fn the_layer_order_names_each_module_once() {
    let layers = layers();
    let unique: BTreeSet<&String> = layers.iter().collect();
    assert_eq!(unique.len(), layers.len(), "{layers:?}");
    // Modules reserved for work in progress need not exist yet.
    assert!(layers.iter().any(|l| l == "oscal") && layers.iter().any(|l| l == "diff"));
}

#[test]
fn source_files_stay_under_the_size_limit() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut large = Vec::new();
    for path in rust_files(&src()) {
        let file = path
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        // A module's unit tests moved to a `tests.rs` beside it do not count either.
        if file.ends_with("/tests.rs") {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        // Unit tests at the end of a file do not count.
        let lines = text.lines().take_while(|l| *l != "#[cfg(test)]").count();
        if lines > MAX_LINES {
            large.push(format!("{file}: {lines} lines"));
        }
    }
    assert!(large.is_empty(), "split these files: {large:?}");
}

/// Writes a small crate into a temporary folder and returns its `src`.
fn scratch_crate(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("framewright-arch-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    for (path, text) in files {
        let path = dir.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    dir
}

#[test]
fn a_back_import_is_reported_with_its_file_and_line() {
    let src = scratch_crate(
        "back",
        &[
            ("lib.rs", "pub mod model;\npub mod render;\npub mod serve;\nuse render::Page;\n"),
            ("model.rs", "// crate::render in a comment is no import\nconst S: &str = \"crate::serve\";\nuse crate::render::escape;\n"),
            ("render/mod.rs", "use crate::model::Node;\nmod page;\n"),
            ("render/page.rs", "use super::super::model::Node;\nuse crate::{model, Project};\n"),
            ("serve/mod.rs", "use crate::{render::Page, model};\n#[cfg(test)]\nmod tests {\n    use super::super::render;\n}\n"),
        ],
    );
    let (modules, imports) = library_imports(&src);
    let layers: Vec<String> = ["model", "render", "lib", "serve", "oscal"]
        .map(String::from)
        .to_vec();
    let problems = violations(&layers, &modules, &imports);
    assert_eq!(
        problems,
        [
            "src/model.rs:3: `model` imports `render`, which is not below it in the layer order",
            "src/render/page.rs:2: `render` imports `lib`, which is not below it in the layer order",
        ],
        "{imports:#?}"
    );
    // serve's group import and its test module's super::super:: are seen too.
    let serve: Vec<(&str, usize)> = imports
        .iter()
        .filter(|i| i.from == "serve")
        .map(|i| (i.to.as_str(), i.line))
        .collect();
    assert_eq!(serve, [("model", 1), ("render", 1), ("render", 4)]);
    // model → render → lib → render → model: one circle of three.
    assert_eq!(
        cycles(&imports),
        [["lib", "model", "render"].map(String::from).to_vec()]
    );
    let _ = fs::remove_dir_all(src);
}

#[test]
fn a_module_missing_from_the_layer_order_is_reported() {
    let src = scratch_crate(
        "missing",
        &[
            ("lib.rs", "pub mod model;\npub mod extra;\n"),
            ("model.rs", ""),
            ("extra.rs", ""),
        ],
    );
    let (modules, imports) = library_imports(&src);
    let layers: Vec<String> = ["model", "lib"].map(String::from).to_vec();
    assert_eq!(
        violations(&layers, &modules, &imports),
        ["module `extra` is not in the layer order of ARCHITECTURE.md: add it there"]
    );
    let _ = fs::remove_dir_all(src);
}
