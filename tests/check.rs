//! `framewright check` against broken projects: every fixture under `tests/fixtures/invalid/`
//! (one defect each, described by its `expect.toml`) and hostile inputs generated here
//! (huge lines, symbolic link loops, pipes, folders named like files). Each must give the
//! expected exit status, name the expected file and line, never panic or hang, and print
//! the same diagnostics as JSON as in the human form. A failed `build` of any of them must
//! leave the previous site byte for byte unchanged.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{fixture, snapshot};
use serde_json::Value;

/// What a fixture's `expect.toml` says.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    exit: i32,
    code: Option<String>,
    path: Option<String>,
    line: Option<usize>,
    /// Text the diagnostic's message or help contains.
    message: Option<String>,
}

/// The output of one run.
struct Run {
    status: i32,
    stdout: String,
    stderr: String,
}

/// Runs the binary with a time limit and a memory limit (address space, 4 GiB), so that a
/// hang or runaway allocation fails the test instead of the machine.
fn run(args: &[&str], limit: Duration) -> Run {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 4194304 2>/dev/null; exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_framewright"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read the pipes on threads so that a large output cannot block the child.
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut text).ok();
        text
    });
    let err = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut text).ok();
        text
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > limit {
            child.kill().ok();
            child.wait().ok();
            panic!("framewright {args:?} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        status: status.code().unwrap_or(-1),
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

const LIMIT: Duration = Duration::from_secs(120);

/// Checks `project` in both formats against `expect`; returns a description of what is
/// wrong, or None.
fn check_project(project: &Path, expect: &Expect) -> Result<(), String> {
    let dir = project.to_str().unwrap();
    let human = run(&["check", dir], LIMIT);
    let json = run(&["check", dir, "--format", "json"], LIMIT);
    for (form, out) in [("human", &human), ("json", &json)] {
        if out.stderr.contains("panicked") || out.stdout.contains("panicked") {
            return Err(format!("{form}: panicked:\n{}", out.stderr));
        }
        if out.status != expect.exit {
            return Err(format!(
                "{form}: exit {} (expected {}):\n{}{}",
                out.status, expect.exit, out.stdout, out.stderr
            ));
        }
    }
    let parsed: Value = serde_json::from_str(&json.stdout)
        .map_err(|e| format!("JSON output does not parse ({e}):\n{}", json.stdout))?;
    let diagnostics = parsed["diagnostics"]
        .as_array()
        .ok_or("no `diagnostics` array")?;
    // Every diagnostic is flat and complete.
    for d in diagnostics {
        for key in [
            "severity", "code", "message", "path", "line", "column", "help",
        ] {
            if d.get(key).is_none() {
                return Err(format!("diagnostic without `{key}`: {d}"));
            }
        }
        if !d["related"].is_array() {
            return Err(format!("diagnostic without `related` list: {d}"));
        }
    }
    // The human form carries the same diagnostics: as many headers, each code, each place.
    let headers = human
        .stderr
        .lines()
        .filter(|l| {
            ["error[", "warning[", "note["]
                .iter()
                .any(|kind| l.starts_with(kind))
        })
        .count();
    if headers != diagnostics.len() {
        return Err(format!(
            "{headers} diagnostics in the human form, {} in JSON:\n{}\n{}",
            diagnostics.len(),
            human.stderr,
            json.stdout
        ));
    }
    for d in diagnostics {
        let code = d["code"].as_str().unwrap();
        let header = format!("[{code}]: {}", d["message"].as_str().unwrap());
        if !human.stderr.contains(header.lines().next().unwrap()) {
            return Err(format!(
                "`{header}` is not in the human form:\n{}",
                human.stderr
            ));
        }
        if let (Some(path), Some(line)) = (d["path"].as_str(), d["line"].as_u64()) {
            // Columns are 1-based, as in the human form's `path:line:column`.
            let column = d["column"].as_u64().unwrap_or(0);
            if column == 0 {
                return Err(format!("diagnostic with a line but no 1-based column: {d}"));
            }
            let place = format!("{path}:{line}:{column}");
            if !human.stderr.contains(&place) {
                return Err(format!(
                    "{place} is not in the human form:\n{}",
                    human.stderr
                ));
            }
        }
    }
    if !human.stderr.trim_end().ends_with(" warnings")
        && !human.stderr.trim_end().ends_with(" warning")
        && !human.stderr.trim_end().ends_with(" notes")
        && !human.stderr.trim_end().ends_with(" note")
    {
        return Err(format!("no summary at the end:\n{}", human.stderr));
    }
    let Some(code) = &expect.code else {
        return Ok(());
    };
    let found = diagnostics.iter().any(|d| {
        d["code"] == code.as_str()
            && expect.path.as_deref().is_none_or(|p| d["path"] == p)
            && expect.line.is_none_or(|l| d["line"] == l)
            && expect.message.as_deref().is_none_or(|m| {
                d["message"].as_str().unwrap_or("").contains(m)
                    || d["help"].as_str().unwrap_or("").contains(m)
            })
    });
    if !found {
        return Err(format!(
            "no {code} at {:?}:{:?} ({:?}) among:\n{}",
            expect.path,
            expect.line,
            expect.message,
            serde_json::to_string_pretty(diagnostics).unwrap()
        ));
    }
    Ok(())
}

/// A failed build must leave the previous site as it was.
fn check_build_keeps_site(project: &Path) -> Result<(), String> {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    fs::create_dir_all(site.join("a")).unwrap();
    fs::write(site.join("index.html"), "previous site").unwrap();
    fs::write(site.join("a/b.html"), [0u8, 159, 146, 150]).unwrap();
    // A site framewright built: its manifest lists the files it wrote.
    fs::write(
        site.join(framewright::write::MANIFEST),
        "# framewright: the files of this site that framewright wrote; it removes no others\nindex.html\na/b.html\n",
    )
    .unwrap();
    let before = snapshot(&site);
    let result = run(
        &[
            "build",
            project.to_str().unwrap(),
            "--dest-dir",
            site.to_str().unwrap(),
        ],
        LIMIT,
    );
    if result.stderr.contains("panicked") {
        return Err(format!("build panicked:\n{}", result.stderr));
    }
    if result.status != 1 {
        return Err(format!(
            "build exited {}:\n{}",
            result.status, result.stderr
        ));
    }
    if snapshot(&site) != before {
        return Err("a failed build changed the previous site".into());
    }
    let leftovers: Vec<_> = fs::read_dir(out.path()).unwrap().flatten().collect();
    if leftovers.len() != 1 {
        return Err(format!(
            "a failed build left files beside the site: {leftovers:?}"
        ));
    }
    Ok(())
}

fn invalid_fixtures() -> Vec<(String, PathBuf, Expect)> {
    let root = fixture("invalid");
    let mut out = Vec::new();
    for entry in fs::read_dir(&root).unwrap() {
        let path = entry.unwrap().path();
        if !path.is_dir() {
            continue;
        }
        let text = fs::read_to_string(path.join("expect.toml"))
            .unwrap_or_else(|e| panic!("{}: no expect.toml ({e})", path.display()));
        let expect: Expect = toml::from_str(&text)
            .unwrap_or_else(|e| panic!("{}: bad expect.toml ({e})", path.display()));
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        out.push((name, path, expect));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn every_invalid_fixture_gives_its_diagnostic() {
    let fixtures = invalid_fixtures();
    assert!(fixtures.len() >= 40, "only {} fixtures", fixtures.len());
    let failures: Vec<String> = fixtures
        .iter()
        .filter_map(|(name, path, expect)| {
            let mut result = check_project(path, expect);
            if result.is_ok() && expect.exit == 1 {
                result = check_build_keeps_site(path);
            }
            result.err().map(|e| format!("--- {name}: {e}"))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} fixtures failed:\n{}",
        failures.len(),
        fixtures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_fixtures_cover_every_check() {
    let covered: std::collections::BTreeSet<String> = invalid_fixtures()
        .into_iter()
        .filter_map(|(_, _, e)| e.code)
        .collect();
    for code in [
        "E0001", "E0002", "E0003", "E0004", "E0010", "E0011", "E0012", "E0013", "E0014", "E0015",
        "E0016", "E0017", "E0020", "E0022", "E0025", "E0026", "E0028", "E0030", "E0031", "E0040",
        "E0041", "E0042", "E0043", "E0044", "E0045", "E0048", "E0049", "E0050", "E0062", "E0070",
        "W0029", "W0046", "W0047", "W0050", "N0051", "N0053",
    ] {
        assert!(covered.contains(code), "no fixture for {code}");
    }
}

/// A copy of the smallest valid project, to break in one way.
fn minimal_copy() -> tempfile::TempDir {
    common::project_copy("minimal")
}

fn expect(exit: i32, code: &str, path: &str, line: Option<usize>) -> Expect {
    Expect {
        exit,
        code: Some(code.to_string()),
        path: Some(path.to_string()),
        line,
        message: None,
    }
}

fn assert_checks(project: &Path, expect: &Expect) {
    if let Err(problem) = check_project(project, expect) {
        panic!("{problem}");
    }
    if expect.exit == 1 {
        check_build_keeps_site(project).unwrap();
    }
}

#[test]
fn a_valid_project_prints_only_the_summary() {
    let project = fixture("minimal");
    let human = run(&["check", project.to_str().unwrap()], LIMIT);
    assert_eq!(human.status, 0, "{}", human.stderr);
    assert_eq!(human.stdout, "");
    assert_eq!(human.stderr, "0 errors, 0 warnings\n");
    let json = run(
        &["check", project.to_str().unwrap(), "--format", "json"],
        LIMIT,
    );
    assert_eq!(json.status, 0);
    assert_eq!(json.stderr, "");
    let parsed: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(parsed["diagnostics"], serde_json::json!([]));
    assert_eq!(parsed["errors"], 0);
    for clean in ["basic", "crosswalk"] {
        let out = run(&["check", fixture(clean).to_str().unwrap()], LIMIT);
        assert_eq!(out.status, 0, "{clean}: {}", out.stderr);
        assert_eq!(out.stderr, "0 errors, 0 warnings\n", "{clean}");
    }
}

#[test]
fn usage_and_io_errors_exit_2() {
    let missing = run(&["check", "/no/such/framewright/project"], LIMIT);
    assert_eq!(missing.status, 2, "{}", missing.stderr);
    let json = run(
        &["check", "/no/such/framewright/project", "--format", "json"],
        LIMIT,
    );
    assert_eq!(json.status, 2);
    let parsed: Value = serde_json::from_str(&json.stdout).unwrap();
    assert!(parsed["error"].is_string());
    let bad_flag = run(&["check", "--format", "xml"], LIMIT);
    assert_eq!(bad_flag.status, 2);
}

#[test]
fn deny_warnings_turns_warnings_into_exit_1() {
    let project = fixture("invalid/citation-unparseable");
    let dir = project.to_str().unwrap();
    assert_eq!(run(&["check", dir], LIMIT).status, 0);
    assert_eq!(run(&["check", dir, "--deny-warnings"], LIMIT).status, 1);
    // Notes never fail a check.
    let notes = fixture("invalid/concept-without-categories");
    let out = run(
        &["check", notes.to_str().unwrap(), "--deny-warnings"],
        LIMIT,
    );
    assert_eq!(out.status, 0, "{}", out.stderr);
}

#[test]
fn ten_megabyte_lines_are_handled() {
    let project = minimal_copy();
    let file = project.path().join("content/identify/asset-management.md");
    let mut text = fs::read_to_string(&file).unwrap();
    text.push_str(&"x".repeat(10 << 20));
    text.push('\n');
    fs::write(&file, text).unwrap();
    // A 10 MB line of front matter, with an error after it.
    let other = project.path().join("content/identify/governance.md");
    let front = format!(
        "---\nid: ID.GV\ntitle: Governance\nnote: \"{}\"\nrelated: [NOPE]\n---\n",
        "y".repeat(10 << 20)
    );
    fs::write(&other, front).unwrap();
    let out = run(&["check", project.path().to_str().unwrap()], LIMIT);
    assert_eq!(out.status, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("content/identify/governance.md:5:"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.len() < 100_000, "the 10 MB line was printed");
    assert_checks(
        project.path(),
        &expect(1, "E0044", "content/identify/governance.md", Some(5)),
    );
}

#[test]
fn files_over_the_size_limit_are_refused() {
    let project = minimal_copy();
    let file = project.path().join("content/identify/huge.md");
    let mut text = "---\nid: ID.HUGE\n---\n".to_string();
    text.push_str(&"z\n".repeat(9 << 20));
    fs::write(&file, text).unwrap();
    assert_checks(
        project.path(),
        &expect(1, "E0027", "content/identify/huge.md", None),
    );
}

#[test]
fn symbolic_link_loops_are_walked_once() {
    let project = minimal_copy();
    let content = project.path().join("content");
    std::os::unix::fs::symlink("..", content.join("identify/up")).unwrap();
    std::os::unix::fs::symlink(".", content.join("identify/here")).unwrap();
    std::os::unix::fs::symlink("self", content.join("identify/self")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", content.join("identify/zero.md")).unwrap();
    let out = run(&["check", project.path().to_str().unwrap()], LIMIT);
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    assert_checks(
        project.path(),
        &Expect {
            exit: 0,
            code: Some("W0021".into()),
            path: Some("content/identify/here".into()),
            line: None,
            message: None,
        },
    );
    for warning in ["W0024", "W0032"] {
        assert!(out.stderr.contains(warning), "{warning}: {}", out.stderr);
    }
}

#[test]
fn pipes_are_not_read() {
    let project = minimal_copy();
    let status = Command::new("mkfifo")
        .arg(project.path().join("content/identify/pipe.md"))
        .status();
    if !status.is_ok_and(|s| s.success()) {
        eprintln!("mkfifo unavailable; skipped");
        return;
    }
    Command::new("mkfifo")
        .arg(project.path().join("content/references.yaml"))
        .status()
        .unwrap();
    let out = run(&["check", project.path().to_str().unwrap()], LIMIT);
    assert!(out.stderr.contains("W0032"), "{}", out.stderr);
}

#[test]
fn folders_named_like_pages_are_errors() {
    let project = minimal_copy();
    let content = project.path().join("content");
    // The home page's own file is an (empty) folder.
    fs::remove_file(content.join("_index.md")).unwrap();
    fs::create_dir(content.join("_index.md")).unwrap();
    assert_checks(
        project.path(),
        &expect(1, "E0025", "content/_index.md", None),
    );
}

#[test]
fn odd_file_names_are_published() {
    let project = minimal_copy();
    let content = project.path().join("content/identify");
    let names: [&[u8]; 3] = [b"caf\xe9 menu.md", b" spaced out .md", b"tab\tname.md"];
    for (n, name) in names.iter().enumerate() {
        let name = <std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(name);
        let text = format!("---\nid: ID.ODD-{n}\ntitle: Odd {n}\n---\n");
        fs::write(content.join(name), text).unwrap();
    }
    let out = run(&["check", project.path().to_str().unwrap()], LIMIT);
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    assert!(!out.stderr.contains("error["), "{}", out.stderr);
    let site = tempfile::tempdir().unwrap();
    let dest = site.path().join("site");
    common::build_into(project.path(), &dest, &[]);
    common::assert_links_resolve(&dest);
}

#[test]
fn deep_inline_items_and_many_files_stay_bounded() {
    let project = minimal_copy();
    let content = project.path().join("content/identify");
    // Inline items nested as deep as YAML allows.
    let mut front = String::from("---\nid: ID.NEST\ntitle: Nested\n");
    for depth in 0..50 {
        // Each level's `items:` is a key of the item above it.
        let pad = " ".repeat(4 * depth);
        front.push_str(&format!(
            "{pad}items:\n{pad}  - id: N-{depth}\n{pad}    description: d\n"
        ));
    }
    front.push_str("---\n");
    fs::write(content.join("nest.md"), &front).unwrap();
    // Pathological Markdown: unmatched brackets and deep quotes.
    let body = format!(
        "---\nid: ID.MD\ntitle: Marks\n---\n{}\n{}\n{}\n",
        "[[".repeat(200_000),
        "](@".repeat(100_000),
        ">".repeat(50_000)
    );
    fs::write(content.join("marks.md"), body).unwrap();
    let out = run(&["check", project.path().to_str().unwrap()], LIMIT);
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    assert!(matches!(out.status, 0 | 1), "{}", out.stderr);
}

#[test]
fn book_toml_problems_do_not_stop_the_content_check() {
    let project = minimal_copy();
    fs::write(
        project.path().join("book.toml"),
        "[book]\ntitel = \"Fixture\"\nauthors = [\n  \"a\",\n]\nautors = []\n\n[framework]\nrequired-concepts = [\"Identify\"]\n",
    )
    .unwrap();
    let file = project.path().join("content/identify/_index.md");
    fs::write(
        &file,
        "---\nid: ID\ntitle: Identify\nrelated: [NOPE]\n---\n",
    )
    .unwrap();
    let out = run(
        &[
            "check",
            project.path().to_str().unwrap(),
            "--format",
            "json",
        ],
        LIMIT,
    );
    assert_eq!(out.status, 1);
    let parsed: Value = serde_json::from_str(&out.stdout).unwrap();
    let found: Vec<(String, String, u64)> = parsed["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["path"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected = [
        ("E0003", "book.toml", 2),
        ("E0003", "book.toml", 6),
        ("E0044", "content/identify/_index.md", 4),
    ];
    for (code, path, line) in expected {
        assert!(
            found.contains(&(code.into(), path.into(), line)),
            "{code} {path}:{line} not in {found:?}"
        );
    }
}

#[test]
fn the_conformance_page_shows_each_concept() {
    let site = tempfile::tempdir().unwrap();
    let dest = site.path().join("site");
    common::build_into(
        &fixture("basic"),
        &dest,
        &["--base-url", "https://fw.example.org/"],
    );
    let page = fs::read_to_string(dest.join("conformance/index.html")).unwrap();
    assert!(page.contains("Meets the guideline"), "{page}");
    for concept in ["Identify", "Protect", "Detect", "Respond", "Recover"] {
        assert!(page.contains(&format!(">{concept}</a>")), "{concept}");
    }
    // Every page links to it (from the footer), and its links resolve.
    let home = fs::read_to_string(dest.join("index.html")).unwrap();
    assert!(home.contains("href=\"conformance/\""));
    common::assert_links_resolve(&dest);
    let sitemap = fs::read_to_string(dest.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("/conformance/"));

    // A framework missing concepts says so, concept by concept.
    let project = common::project_copy("basic");
    let book = project.path().join("book.toml");
    let text = fs::read_to_string(&book)
        .unwrap()
        .replace("\"Recover\"]", "\"Recover\", \"Govern\"]");
    fs::write(&book, text).unwrap();
    let dest = site.path().join("other");
    common::build_into(project.path(), &dest, &[]);
    let page = fs::read_to_string(dest.join("conformance/index.html")).unwrap();
    assert!(page.contains("Does not meet the guideline yet"), "{page}");
    assert!(
        page.contains("1 of 6 required concepts is missing"),
        "{page}"
    );
    assert!(page.contains("<th scope=\"row\">Govern</th>"), "{page}");
}

#[test]
fn conformance_counts_follow_the_content() {
    use framewright::validate::conformance::report;
    let project = framewright::Project::open(&fixture("basic"), None).unwrap();
    let report = report(&project.framework);
    assert!(report.meets);
    let nodes = &project.framework.nodes;
    let identify = report
        .concepts
        .iter()
        .find(|c| nodes[c.node].id == "ID")
        .expect("the Identify concept");
    assert_eq!(identify.meets.as_deref(), Some("Identify"));
    assert_eq!(
        (
            identify.counts.categories,
            identify.counts.subcategories,
            identify.counts.statements
        ),
        (2, 4, 2)
    );
    let totals = &report.totals;
    assert_eq!(
        (totals.categories, totals.subcategories, totals.statements),
        (7, 12, 2)
    );
    assert_eq!(totals.unparsed, 0);
    assert!(totals.documents >= 5, "{totals:?}");
    assert!(totals.citations >= totals.documents);
}

/// Every command that reads a project gives the same one line, exit status 2, for a folder
/// without book.toml (an empty folder, a missing one, the current folder), naming the
/// folder and how to start a project; none claims a previous site.
#[test]
fn every_command_gives_one_answer_for_a_folder_that_is_not_a_project() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty");
    fs::create_dir(&empty).unwrap();
    let missing = dir.path().join("missing");
    for folder in [&empty, &missing] {
        let path = folder.to_str().unwrap();
        let expected = format!(
            "error: `{path}` is not a framewright project (it has no book.toml); to start one \
             there, run `framewright init {path}`\n"
        );
        for args in [
            vec!["build", path],
            vec!["check", path],
            vec!["export", path, "--format", "json"],
            vec!["serve", path, "--port", "0"],
        ] {
            let out = run(&args, Duration::from_secs(30));
            assert_eq!(out.status, 2, "{args:?}: {}", out.stderr);
            assert_eq!(out.stderr, expected, "{args:?}");
            assert_eq!(out.stdout, "", "{args:?}");
        }
        let json = run(
            &["check", path, "--format", "json"],
            Duration::from_secs(30),
        );
        assert_eq!(json.status, 2);
        let report: Value = serde_json::from_str(&json.stdout).unwrap();
        assert_eq!(
            report["error"].as_str(),
            Some(expected["error: ".len()..].trim_end())
        );
    }
    assert!(!empty.join("book").exists() && !missing.exists());
    // In the current folder: the folder's full path, and plain `framewright init`.
    let output = Command::new(env!("CARGO_BIN_EXE_framewright"))
        .arg("build")
        .current_dir(&empty)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2));
    let here = empty.canonicalize().unwrap();
    assert!(
        stderr.contains(&format!("`{}`", here.display()))
            && stderr.ends_with("run `framewright init`\n"),
        "{stderr}"
    );
}

/// A likely misspelt front-matter key is a warning with did-you-mean, in a file of its own
/// and in an inline item; a key the project declares as its own field (`[framework]
/// fields`, or a custom key of a `columns:` list) is not reported.
#[test]
fn misspelt_front_matter_keys_are_warned_unless_declared() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path();
    common::copy_tree(&fixture("minimal"), project);
    let category = project.join("content/identify/asset-management.md");
    fs::write(
        &category,
        "---\nid: ID.AM\ntitle: Asset management\nTitle: shouting\nordr: 2\nowner: the IT team\n\
         items:\n  - id: ID.AM-01\n    description: Devices are inventoried.\n    refrences: [\"ISO/IEC 27002:2013, 8.1.1\"]\n---\nProse.\n",
    )
    .unwrap();
    let check = |project: &Path| {
        let out = run(
            &["check", project.to_str().unwrap(), "--format", "json"],
            Duration::from_secs(30),
        );
        assert_eq!(out.status, 0, "{}", out.stdout);
        let report: Value = serde_json::from_str(&out.stdout).unwrap();
        let found: Vec<(String, u64, String)> = report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["code"] == "W0018")
            .map(|d| {
                (
                    d["message"]
                        .as_str()
                        .unwrap()
                        .split('`')
                        .nth(1)
                        .unwrap()
                        .to_string(),
                    d["line"].as_u64().unwrap(),
                    d["help"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        found
    };
    let found = check(project);
    let keys: Vec<(&str, u64)> = found.iter().map(|(k, l, _)| (k.as_str(), *l)).collect();
    assert_eq!(
        keys,
        [("Title", 4), ("ordr", 5), ("refrences", 10)],
        "{found:?}"
    );
    assert!(
        found[2].2.starts_with("did you mean `references`?"),
        "{found:?}"
    );
    // Declared: `ordr` in book.toml, `Title` as a column of the concept's table.
    let book = project.join("book.toml");
    let text = fs::read_to_string(&book).unwrap();
    fs::write(
        &book,
        text.replace("[framework]\n", "[framework]\nfields = [\"ordr\"]\n"),
    )
    .unwrap();
    let concept = project.join("content/identify/_index.md");
    let text = fs::read_to_string(&concept).unwrap();
    fs::write(
        &concept,
        text.replace(
            "title: Identify\n",
            "title: Identify\ncolumns: [id, Title]\n",
        ),
    )
    .unwrap();
    let keys: Vec<String> = check(project).into_iter().map(|(k, _, _)| k).collect();
    assert_eq!(keys, ["refrences"]);
}
