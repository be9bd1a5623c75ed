//! Content cannot reach past the project: symbolic links out of it (in content/, in the
//! theme, or as `content-dir`) are errors unless `[build] follow-symlinks = true`, copied
//! files get a fresh file's permissions, and diagnostics never print a file from outside.

#![cfg(unix)]

mod common;

use std::fs;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::Path;
use std::process::Output;

use common::*;

/// A line that must never reach the site or the terminal.
const SECRET: &str = "root:x:0:0:SECRET-LINE-7781:/root:/bin/bash";

/// A project copied from `minimal/` beside a folder `outside/` that holds secrets:
/// `outside/passwd` (not Markdown), `outside/page.md` (valid Markdown) and `outside/dir/`.
struct Setup {
    _dir: tempfile::TempDir,
    project: std::path::PathBuf,
    outside: std::path::PathBuf,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    copy_tree(&fixture("minimal"), &project);
    let outside = dir.path().join("outside");
    fs::create_dir_all(outside.join("dir")).unwrap();
    fs::write(outside.join("passwd"), format!("{SECRET}\n")).unwrap();
    fs::write(outside.join("dir/leaked.txt"), SECRET).unwrap();
    fs::write(
        outside.join("page.md"),
        format!("---\nid: ID.OUT\ntitle: Outside\n---\n{SECRET}\n"),
    )
    .unwrap();
    Setup {
        _dir: dir,
        project,
        outside,
    }
}

fn check(project: &Path) -> Output {
    framewright(&["check", project.to_str().unwrap()])
}

fn build(project: &Path, out: &Path) -> Output {
    let (project, out) = (project.to_str().unwrap(), out.to_str().unwrap());
    framewright(&["build", project, "--dest-dir", out])
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn follow_symlinks(project: &Path) {
    let toml = fs::read_to_string(project.join("book.toml")).unwrap();
    fs::write(
        project.join("book.toml"),
        format!("{toml}\n[build]\nfollow-symlinks = true\n"),
    )
    .unwrap();
}

/// Asserts that `check` and `build` refuse the project with E0033 at `place`, that nothing
/// of the secret is printed, and that no site is written.
fn assert_refused(project: &Path, place: &str) {
    let checked = check(project);
    let text = stderr(&checked);
    assert_eq!(checked.status.code(), Some(1), "{text}");
    assert!(text.contains("error[E0033]"), "{text}");
    assert!(text.contains(place), "E0033 not at {place}:\n{text}");
    assert!(text.contains("follow-symlinks"), "no hint:\n{text}");
    assert!(!text.contains("SECRET-LINE"), "secret printed:\n{text}");
    let out = project.parent().unwrap().join("site");
    let built = build(project, &out);
    assert_eq!(built.status.code(), Some(1), "{}", stderr(&built));
    assert!(!out.exists(), "a refused build wrote a site");
}

#[test]
fn a_markdown_file_linked_out_of_the_project_is_an_error() {
    let s = setup();
    let link = s.project.join("content/identify/leak.md");
    symlink(s.outside.join("passwd"), &link).unwrap();
    assert_refused(&s.project, "content/identify/leak.md");
}

#[test]
fn a_folder_and_an_asset_linked_out_of_the_project_are_errors() {
    let s = setup();
    symlink(
        s.outside.join("dir"),
        s.project.join("content/identify/etc"),
    )
    .unwrap();
    symlink(
        s.outside.join("passwd"),
        s.project.join("content/identify/notes.txt"),
    )
    .unwrap();
    assert_refused(&s.project, "content/identify/etc");
    assert_refused(&s.project, "content/identify/notes.txt");
}

#[test]
fn a_content_dir_outside_the_project_is_an_error_at_its_line() {
    let s = setup();
    fs::create_dir_all(s.outside.join("content")).unwrap();
    copy_tree(&s.project.join("content"), &s.outside.join("content"));
    fs::write(
        s.project.join("book.toml"),
        "[book]\ntitle = \"F\"\n[build]\ncontent-dir = \"../outside/content\"\n[framework]\nrequired-concepts = [\"Identify\"]\n",
    )
    .unwrap();
    assert_refused(&s.project, "book.toml:4");
}

#[test]
fn theme_static_files_and_folders_linked_out_are_errors() {
    let s = setup();
    let statics = s.project.join("themes/default/static");
    fs::create_dir_all(&statics).unwrap();
    symlink(s.outside.join("passwd"), statics.join("shadow.css")).unwrap();
    assert_refused(&s.project, "themes/default/static/shadow.css");
    fs::remove_file(statics.join("shadow.css")).unwrap();
    symlink(s.outside.join("dir"), statics.join("etc")).unwrap();
    assert_refused(&s.project, "themes/default/static/etc");
    fs::remove_file(statics.join("etc")).unwrap();
    // The whole static folder as a link out.
    fs::remove_dir(&statics).unwrap();
    symlink(s.outside.join("dir"), &statics).unwrap();
    assert_refused(&s.project, "themes/default/static");
}

#[test]
fn follow_symlinks_reads_links_out_with_a_warning() {
    let s = setup();
    symlink(
        s.outside.join("page.md"),
        s.project.join("content/identify/outside.md"),
    )
    .unwrap();
    let statics = s.project.join("themes/default/static");
    fs::create_dir_all(&statics).unwrap();
    symlink(s.outside.join("dir"), statics.join("extra")).unwrap();
    follow_symlinks(&s.project);
    let checked = check(&s.project);
    let text = stderr(&checked);
    assert_eq!(checked.status.code(), Some(0), "{text}");
    assert!(text.contains("warning[W0034]"), "{text}");
    assert!(text.contains("content/identify/outside.md"), "{text}");
    assert!(text.contains("themes/default/static/extra"), "{text}");
    let out = s.project.parent().unwrap().join("site");
    let built = build(&s.project, &out);
    assert!(built.status.success(), "{}", stderr(&built));
    assert!(stderr(&built).contains("W0034"), "{}", stderr(&built));
    let page = fs::read_to_string(out.join("identify/outside/index.html")).unwrap();
    assert!(
        page.contains("SECRET-LINE"),
        "the followed page is published"
    );
    assert!(out.join("static/extra/leaked.txt").is_file());
}

#[test]
fn diagnostics_never_print_a_file_from_outside_the_project() {
    // Followed on purpose, the file is read; its errors name it, but its lines (which are
    // not the author's) are not printed.
    let s = setup();
    symlink(
        s.outside.join("passwd"),
        s.project.join("content/identify/leak.md"),
    )
    .unwrap();
    follow_symlinks(&s.project);
    let checked = check(&s.project);
    let text = stderr(&checked);
    assert_eq!(checked.status.code(), Some(1), "{text}");
    assert!(text.contains("content/identify/leak.md"), "{text}");
    assert!(!text.contains("SECRET-LINE"), "secret printed:\n{text}");
}

#[test]
fn links_that_stay_inside_the_project_are_fine() {
    let s = setup();
    fs::write(s.project.join("notes.txt"), "inside").unwrap();
    symlink(
        "../../notes.txt",
        s.project.join("content/identify/notes.txt"),
    )
    .unwrap();
    fs::create_dir_all(s.project.join("shared")).unwrap();
    fs::write(s.project.join("shared/logo.svg"), "<svg/>").unwrap();
    let statics = s.project.join("themes/default/static");
    fs::create_dir_all(&statics).unwrap();
    symlink(s.project.join("shared"), statics.join("shared")).unwrap();
    let checked = check(&s.project);
    assert_eq!(checked.status.code(), Some(0), "{}", stderr(&checked));
    assert!(!stderr(&checked).contains("W0034"));
    let out = s.project.parent().unwrap().join("site");
    let built = build(&s.project, &out);
    assert!(built.status.success(), "{}", stderr(&built));
    assert_eq!(
        fs::read_to_string(out.join("identify/notes.txt")).unwrap(),
        "inside"
    );
    assert!(out.join("static/shared/logo.svg").is_file());
}

/// The permissions a file made now in `dir` gets (the process's umask applied).
fn fresh_mode(dir: &Path) -> u32 {
    let probe = dir.join("fresh-probe");
    fs::write(&probe, "").unwrap();
    let mode = fs::metadata(&probe).unwrap().permissions().mode() & 0o7777;
    fs::remove_file(probe).unwrap();
    mode
}

#[test]
fn copied_files_get_no_more_than_a_fresh_files_permissions() {
    let s = setup();
    let statics = s.project.join("themes/default/static");
    fs::create_dir_all(&statics).unwrap();
    let tool = statics.join("tool.js");
    fs::write(&tool, "run()").unwrap();
    // Executable, setuid and world-writable bits must not be carried into the site.
    fs::set_permissions(&tool, fs::Permissions::from_mode(0o4777)).unwrap();
    let asset = s.project.join("content/identify/data.csv");
    fs::write(&asset, "a,b\n").unwrap();
    fs::set_permissions(&asset, fs::Permissions::from_mode(0o777)).unwrap();
    let out = s.project.parent().unwrap().join("site");
    let built = build(&s.project, &out);
    assert!(built.status.success(), "{}", stderr(&built));
    let fresh = fresh_mode(s.project.parent().unwrap());
    for copied in ["static/tool.js", "identify/data.csv"] {
        let mode = fs::metadata(out.join(copied)).unwrap().permissions().mode() & 0o7777;
        assert_eq!(
            mode & !fresh,
            0,
            "{copied} has mode {mode:o}, fresh {fresh:o}"
        );
    }
}

/// A concept whose body, and an item whose description and body, carry script in every
/// form the issue found, beside markup that framework prose uses.
fn write_hostile_prose(project: &Path) {
    fs::write(
        project.join("content/identify/_index.md"),
        concat!(
            "---\nid: ID\ntitle: Identify\n---\n",
            "The Identify concept.\n\n",
            "<script>alert('concept')</script>\n\n",
            "<details><summary>Why</summary>\n\n",
            "Because <abbr title=\"Information Security Management System\">ISMS</abbr> ",
            "needs it; press <kbd>Ctrl</kbd>, x<sup>2</sup>.\n\n</details>\n",
        ),
    )
    .unwrap();
    fs::write(
        project.join("content/identify/asset-management.md"),
        concat!(
            "---\nid: ID.AM\ntitle: Asset management\nitems:\n",
            "  - id: ID.AM-01\n",
            "    description: Devices <img src=\"https://example.org/d.png\" onerror=\"alert('desc')\"> are inventoried.\n",
            "---\n",
            "Asset management prose.\n\n",
            "<a href=\"javascript:alert('link')\">inventory</a> and [the list](@ID.AM-01).\n\n",
            "<dl><dt>Asset</dt><dd>Anything of value</dd></dl>\n\n",
            "<iframe src=\"https://example.org/\"></iframe>\n\n",
            "A [Markdown link](javascript:alert('md')) and ![an image](data:text/html,alert('img')).\n",
        ),
    )
    .unwrap();
}

/// What must not be left of the hostile prose on any page (every script in it calls
/// `alert(`; the theme's own `<script>` tags are on every page).
const SCRIPT_MARKS: [&str; 4] = ["alert(", "onerror", "javascript:", "<iframe"];

#[test]
fn raw_html_is_sanitised_on_item_concept_and_print_pages() {
    let s = setup();
    write_hostile_prose(&s.project);
    let checked = check(&s.project);
    let text = stderr(&checked);
    assert_eq!(checked.status.code(), Some(0), "{text}");
    // Each removal is reported at its line.
    for place in [
        "content/identify/_index.md:7",
        "content/identify/asset-management.md:6",
        "content/identify/asset-management.md:10",
        "content/identify/asset-management.md:14",
        "content/identify/asset-management.md:16:3",
        "content/identify/asset-management.md:16:47",
    ] {
        assert!(text.contains(place), "no W0091 at {place}:\n{text}");
    }
    assert_eq!(text.matches("warning[W0091]").count(), 6, "{text}");
    let out = s.project.parent().unwrap().join("site");
    let built = build(&s.project, &out);
    assert!(built.status.success(), "{}", stderr(&built));
    let pages = [
        "identify/index.html",
        "identify/asset-management/index.html",
        "print/index.html",
    ];
    for page in pages {
        let html = fs::read_to_string(out.join(page)).unwrap();
        for mark in SCRIPT_MARKS {
            assert!(!html.contains(mark), "{page} keeps `{mark}`");
        }
    }
    let concept = fs::read_to_string(out.join("identify/index.html")).unwrap();
    for kept in [
        "<details><summary>Why</summary>",
        "<abbr title=\"Information Security Management System\">ISMS</abbr>",
        "<kbd>Ctrl</kbd>",
        "<sup>2</sup>",
    ] {
        assert!(concept.contains(kept), "concept page lost {kept}");
    }
    let category = fs::read_to_string(out.join("identify/asset-management/index.html")).unwrap();
    for kept in [
        "<dl><dt>Asset</dt><dd>Anything of value</dd></dl>",
        "<img src=\"https://example.org/d.png\">",
        ">inventory</a>",
        "href=\"#ID.AM-01\"",
    ] {
        assert!(
            category.contains(kept),
            "item page lost {kept}:\n{category}"
        );
    }
}

#[test]
fn unsafe_html_publishes_raw_html_as_written() {
    let s = setup();
    write_hostile_prose(&s.project);
    let toml = fs::read_to_string(s.project.join("book.toml")).unwrap();
    fs::write(
        s.project.join("book.toml"),
        format!("{toml}\n[build]\nunsafe-html = true\n"),
    )
    .unwrap();
    let out = s.project.parent().unwrap().join("site");
    let built = build(&s.project, &out);
    assert!(built.status.success(), "{}", stderr(&built));
    assert!(!stderr(&built).contains("W0091"));
    let concept = fs::read_to_string(out.join("identify/index.html")).unwrap();
    assert!(concept.contains("<script>alert('concept')</script>"));
}

/// A theme whose concept template runs `loops` (Tera) inside its content block.
fn theme_with_loops(project: &Path, loops: &str) {
    let templates = project.join("themes/default/templates");
    fs::create_dir_all(&templates).unwrap();
    fs::write(
        templates.join("concept.html"),
        format!(
            "{{% extends \"base.html\" %}}\n{{% block content %}}{loops}{{% endblock content %}}\n"
        ),
    )
    .unwrap();
    let toml = fs::read_to_string(project.join("book.toml")).unwrap();
    fs::write(
        project.join("book.toml"),
        format!("{toml}\n[build]\nrender-timeout = 1\n"),
    )
    .unwrap();
}

#[test]
fn a_template_loop_that_writes_nothing_is_stopped_by_the_watchdog() {
    // A billion silent iterations: no output and one call of `range`, so only the
    // watchdog sees it; it names the template and the page and ends with status 1.
    let s = setup();
    theme_with_loops(
        &s.project,
        "{% set xs = range(end=1000) %}{% for a in xs %}{% for b in xs %}{% for c in xs %}{% endfor %}{% endfor %}{% endfor %}",
    );
    for command in ["check", "build"] {
        let output = framewright(&[command, s.project.to_str().unwrap()]);
        let text = stderr(&output);
        assert_eq!(output.status.code(), Some(1), "{command}: {text}");
        assert!(text.contains("error[E0064]"), "{command}: {text}");
        assert!(text.contains("concept.html"), "{command}: {text}");
        assert!(text.contains("identify/index.html"), "{command}: {text}");
    }
}

fn set_build_key(project: &Path, line: &str) {
    let toml = fs::read_to_string(project.join("book.toml")).unwrap();
    fs::write(
        project.join("book.toml"),
        format!("{toml}\n[build]\n{line}\n"),
    )
    .unwrap();
}

#[test]
fn static_files_over_the_size_limit_are_errors_with_their_path() {
    let s = setup();
    let statics = s.project.join("themes/default/static");
    fs::create_dir_all(&statics).unwrap();
    fs::write(statics.join("big.bin"), vec![7u8; 300_000]).unwrap();
    fs::write(
        s.project.join("content/identify/big.pdf"),
        vec![7u8; 300_000],
    )
    .unwrap();
    fs::write(statics.join("small.css"), "a{}").unwrap();
    set_build_key(&s.project, "max-static-size = 200000");
    let checked = check(&s.project);
    let text = stderr(&checked);
    assert_eq!(checked.status.code(), Some(1), "{text}");
    for place in ["themes/default/static/big.bin", "content/identify/big.pdf"] {
        assert!(text.contains(place), "no E0065 at {place}:\n{text}");
    }
    assert_eq!(text.matches("error[E0065]").count(), 2, "{text}");
    assert!(text.contains("max-static-size"), "{text}");
    // Raised, the same files are copied whole.
    let toml = fs::read_to_string(s.project.join("book.toml")).unwrap();
    fs::write(
        s.project.join("book.toml"),
        toml.replace("200000", "400000"),
    )
    .unwrap();
    let out = s.project.parent().unwrap().join("site");
    let built = build(&s.project, &out);
    assert!(built.status.success(), "{}", stderr(&built));
    assert_eq!(
        fs::read(out.join("static/big.bin")).unwrap(),
        vec![7u8; 300_000]
    );
    assert_eq!(
        fs::read(out.join("identify/big.pdf")).unwrap().len(),
        300_000
    );
}

#[test]
fn static_files_are_copied_sparse_and_linked_when_unchanged() {
    use std::os::unix::fs::MetadataExt;
    let s = setup();
    let statics = s.project.join("themes/default/static");
    fs::create_dir_all(&statics).unwrap();
    // 64 MiB with a little data in the middle: a hole on file systems that have them.
    let sparse = statics.join("sparse.bin");
    {
        use std::io::{Seek, SeekFrom, Write};
        let mut file = fs::File::create(&sparse).unwrap();
        file.seek(SeekFrom::Start(32 << 20)).unwrap();
        file.write_all(b"data in the middle").unwrap();
        file.set_len(64 << 20).unwrap();
    }
    let out = s.project.parent().unwrap().join("site");
    let built = build(&s.project, &out);
    assert!(built.status.success(), "{}", stderr(&built));
    let copy = out.join("static/sparse.bin");
    let (source, copied) = (fs::metadata(&sparse).unwrap(), fs::metadata(&copy).unwrap());
    assert_eq!(copied.len(), 64 << 20);
    if source.blocks() * 512 < 1 << 20 {
        assert!(
            copied.blocks() * 512 < 1 << 20,
            "the copy was made dense: {} blocks",
            copied.blocks()
        );
    }
    let mut bytes = vec![0u8; 18];
    {
        use std::os::unix::fs::FileExt;
        fs::File::open(&copy)
            .unwrap()
            .read_exact_at(&mut bytes, 32 << 20)
            .unwrap();
    }
    assert_eq!(bytes, b"data in the middle");
    // A rebuild links the unchanged file from the old site rather than copying it again;
    // a changed one is copied.
    fs::write(statics.join("changing.css"), "a{}").unwrap();
    let built = build(&s.project, &out);
    assert!(built.status.success(), "{}", stderr(&built));
    let inode = fs::metadata(&copy).unwrap().ino();
    let changing = fs::metadata(out.join("static/changing.css")).unwrap().ino();
    fs::write(statics.join("changing.css"), "b{}").unwrap();
    let built = build(&s.project, &out);
    assert!(built.status.success(), "{}", stderr(&built));
    assert_eq!(fs::metadata(&copy).unwrap().ino(), inode, "not linked");
    assert_ne!(
        fs::metadata(out.join("static/changing.css")).unwrap().ino(),
        changing
    );
    assert_eq!(
        fs::read_to_string(out.join("static/changing.css")).unwrap(),
        "b{}"
    );
}
