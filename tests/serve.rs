//! Runs `framewright serve` on a free port over a copy of a fixture and talks HTTP to it:
//! pages, redirects, 404, refused traversal, live rebuild, error overlay and recovery.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// The server process; killed when the test ends, however it ends.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(project: &std::path::Path) -> Server {
    let mut command = Command::new(env!("CARGO_BIN_EXE_framewright"));
    command.args(["serve", project.to_str().unwrap(), "--port", "0"]);
    spawn_server(command)
}

/// Runs `command` (a `serve` on port 0) and waits for the port it announces; its other
/// output is read on, so that it never blocks on a full pipe.
fn spawn_server(mut command: Command) -> Server {
    let mut child = command
        .env("NO_COLOR", "1")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = sender.send(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Ok(line) = receiver.recv_timeout(Duration::from_millis(200)) {
            if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
                let port = rest.split('/').next().unwrap().parse().unwrap();
                return Server { child, port };
            }
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("the server did not start");
}

/// A raw HTTP/1.1 exchange: (status, headers, body).
fn request(port: u16, method: &str, path: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let text = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head.to_string(), body.to_string())
}

fn get(port: u16, path: &str) -> (u16, String) {
    let (status, _, body) = request(port, "GET", path);
    (status, body)
}

/// An open Server-Sent Events stream.
struct Events(BufReader<TcpStream>);

impl Events {
    fn open(port: u16) -> Events {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        write!(
            stream,
            "GET /__framewright/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
        )
        .unwrap();
        let mut events = Events(BufReader::new(stream));
        assert_eq!(events.next().0, "hello");
        events
    }

    /// The next event that ends a rebuild (`reload` or `error-report`): the `refresh`
    /// events of files made when the project is idle come whenever it is.
    fn next_rebuild(&mut self) -> (String, String) {
        loop {
            let event = self.next();
            if event.0 != "refresh" {
                return event;
            }
        }
    }

    /// The next event's name and data (keep-alive comments are skipped, for 30 s at most).
    fn next(&mut self) -> (String, String) {
        let (mut name, mut data) = (String::new(), String::new());
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            assert!(Instant::now() < deadline, "no event within 30 s");
            let mut line = String::new();
            if self.0.read_line(&mut line).unwrap() == 0 {
                panic!("event stream closed");
            }
            let line = line.trim_end();
            if let Some(value) = line.strip_prefix("event: ") {
                name = value.to_string();
            } else if let Some(value) = line.strip_prefix("data: ") {
                data = value.to_string();
            } else if line.is_empty() && !name.is_empty() {
                return (name, data);
            }
        }
    }
}

#[test]
fn serves_pages_from_memory_with_the_reload_script() {
    let project = project_copy("basic");
    let server = start(project.path());
    let (status, body) = get(server.port, "/");
    assert_eq!(status, 200);
    assert!(
        body.contains("/__framewright/livereload.js"),
        "script injected when served"
    );
    let (status, head, _) = request(server.port, "GET", "/identify");
    assert_eq!(status, 301);
    assert!(head.contains("Location: /identify/"), "{head}");
    let (status, head, body) = request(server.port, "HEAD", "/identify/");
    assert_eq!(status, 200);
    assert!(head.contains("text/html"), "{head}");
    assert!(body.is_empty(), "HEAD has no body");
    let (status, head, _) = request(server.port, "GET", "/static/framewright.css");
    assert_eq!(status, 200);
    assert!(head.contains("Content-Type: text/css"), "{head}");
    let (status, body) = get(server.port, "/no/such/page/");
    assert_eq!(status, 404);
    assert!(body.contains("Page not found"), "the theme's 404 page");
    assert!(
        !project.path().join("book").exists(),
        "serve never writes the build-dir"
    );
    // The build output never carries the script.
    let out = tempfile::tempdir().unwrap();
    build_into(project.path(), out.path(), &[]);
    let built = std::fs::read_to_string(out.path().join("index.html")).unwrap();
    assert!(!built.contains("livereload"));
}

#[test]
fn refuses_every_path_outside_the_site() {
    let project = project_copy("basic");
    std::fs::write(project.path().join("secret.txt"), "TOP-SECRET").unwrap();
    let server = start(project.path());
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/..%2fsecret.txt",
        "/identify/../../secret.txt",
        "/identify/%2e%2e/%2e%2e/secret.txt",
        "/..%5csecret.txt",
        "/identify\\..\\..\\secret.txt",
        "//secret.txt",
        "/secret.txt%00.html",
        "../secret.txt",
        "/content/_index.md",
        "/book.toml",
    ] {
        let (status, body) = get(server.port, path);
        assert!(status == 400 || status == 404, "{path}: status {status}");
        assert!(
            !body.contains("TOP-SECRET") && !body.contains("[book]"),
            "{path} leaked a file"
        );
    }
    let long = format!("/{}", "a/".repeat(3000));
    assert_eq!(get(server.port, &long).0, 400);
}

#[test]
fn edits_rebuild_reload_and_show_errors_until_fixed() {
    let project = project_copy("basic");
    let server = start(project.path());
    let mut events = Events::open(server.port);
    let page = project.path().join("content/identify/asset-management.md");
    let original = std::fs::read_to_string(&page).unwrap();

    std::fs::write(
        &page,
        original.replace(
            "Devices are inventoried.",
            "Every crane controller is listed.",
        ),
    )
    .unwrap();
    assert_eq!(events.next_rebuild().0, "reload");
    let (_, body) = get(server.port, "/identify/asset-management/");
    assert!(
        body.contains("Every crane controller is listed."),
        "new text served"
    );

    std::fs::write(
        &page,
        original.replace("related: [PR.DS-01]", "related: [PR.DS-99]"),
    )
    .unwrap();
    let (name, data) = events.next_rebuild();
    assert_eq!(name, "error-report");
    assert!(
        data.contains("content/identify/asset-management.md:20:15"),
        "{data}"
    );
    let (_, status) = get(server.port, "/__framewright/status");
    assert!(
        status.contains("PR.DS-99"),
        "new pages learn of the error: {status}"
    );
    let (code, body) = get(server.port, "/identify/asset-management/");
    assert_eq!(code, 200, "the last good site is still served");
    assert!(body.contains("Every crane controller is listed."));

    std::fs::write(&page, &original).unwrap();
    assert_eq!(events.next_rebuild().0, "reload");
    let (_, status) = get(server.port, "/__framewright/status");
    assert!(status.contains("\"error\":null"), "{status}");
    let (_, body) = get(server.port, "/identify/asset-management/");
    assert!(body.contains("Devices are inventoried."));
}

#[test]
fn files_made_after_the_reload_are_announced_when_current() {
    let project = project_copy("basic");
    let server = start(project.path());
    let mut events = Events::open(server.port);
    let page = project.path().join("content/identify/asset-management.md");
    let original = std::fs::read_to_string(&page).unwrap();
    let edited = original.replace(
        "Devices are inventoried.",
        "Every crane controller is listed.",
    );
    std::fs::write(&page, edited).unwrap();
    assert_eq!(events.next_rebuild().0, "reload");
    // The exports, the search index and the print edition are made once the project is
    // idle; a second event names them when they are.
    let (name, data) = events.next();
    assert_eq!(name, "refresh", "{data}");
    for path in ["framework.json", "search-index.js", "print/index.html"] {
        assert!(
            data.contains(&format!("\"{path}\"")),
            "{path} not in {data}"
        );
        let (status, body) = get(server.port, &format!("/{path}"));
        assert_eq!(status, 200);
        assert!(
            body.contains("Every crane controller is listed."),
            "{path} is stale"
        );
    }
    // A page says which refresh it was served after, so that one it missed before it
    // listened is found in the next stream's hello.
    let (_, print) = get(server.port, "/print/");
    assert!(print.contains("data-refreshed=\"1\""), "the first refresh");
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(
        stream,
        "GET /__framewright/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
    )
    .unwrap();
    let mut hello = String::new();
    let mut reader = BufReader::new(stream);
    while !hello.contains("data: ") {
        hello.clear();
        reader.read_line(&mut hello).unwrap();
    }
    assert!(hello.contains("\"refreshed\":1"), "{hello}");
    assert!(hello.contains("print/index.html"), "{hello}");
}

#[test]
fn the_page_of_a_document_no_longer_cited_is_not_found() {
    let project = project_copy("basic");
    let server = start(project.path());
    let mut events = Events::open(server.port);
    let item = project
        .path()
        .join("content/identify/risk-assessment/ID.RA-01.md");
    let original = std::fs::read_to_string(&item).unwrap();
    let cited = original.replace(
        "  - \"ISO/IEC 27001:2013, 6.1.3, 8.3,9.3\"\n",
        "  - \"ISO/IEC 27001:2013, 6.1.3, 8.3,9.3\"\n  - \"ISO 28000:2022, 4.1\"\n",
    );
    assert_ne!(cited, original);
    std::fs::write(&item, &cited).unwrap();
    assert_eq!(events.next_rebuild().0, "reload");
    assert_eq!(get(server.port, "/references/iso-28000/").0, 200);
    std::fs::write(&item, &original).unwrap();
    assert_eq!(events.next_rebuild().0, "reload");
    assert_eq!(get(server.port, "/references/iso-28000/").0, 404);
}

#[test]
fn structural_changes_rebuild_everything() {
    let project = project_copy("basic");
    let server = start(project.path());
    let mut events = Events::open(server.port);
    let new_page = project.path().join("content/detect/monitoring.md");
    std::fs::write(
        &new_page,
        "---\nid: DE.CM\ntitle: Continuous monitoring\nitems:\n  - id: DE.CM-01\n    description: Networks are watched.\n---\nWatching.\n",
    )
    .unwrap();
    assert_eq!(events.next_rebuild().0, "reload");
    let (status, body) = get(server.port, "/detect/monitoring/");
    assert_eq!(status, 200);
    assert!(body.contains("id=\"DE.CM-01\""));
    let (_, home) = get(server.port, "/detect/");
    assert!(
        home.contains("Continuous monitoring"),
        "the concept's table has the new row"
    );
}

/// Starts `serve` on `project` through `sh`, with `limit` run first (`ulimit -n 64`).
fn start_limited(project: &std::path::Path, limit: &str) -> Server {
    let script = format!(
        "{limit}; exec '{}' serve '{}' --port 0",
        env!("CARGO_BIN_EXE_framewright"),
        project.display()
    );
    let mut command = Command::new("sh");
    command.args(["-c", &script]);
    spawn_server(command)
}

#[test]
fn slow_clients_are_answered_503_and_timed_out() {
    let project = project_copy("basic");
    let server = start(project.path());
    // 300 clients that send half a request head and then nothing.
    let slow: Vec<TcpStream> = (0..300)
        .map(|_| {
            let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
            stream.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").unwrap();
            stream
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    // A new client is answered at once (503 while the slow ones hold every place), not
    // left waiting: the server may answer before it has read the request.
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let _ = stream.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        answer.starts_with("HTTP/1.1 503") || answer.starts_with("HTTP/1.1 200"),
        "{answer}"
    );
    // The slow ones lose their place when their time to send a head runs out.
    std::thread::sleep(Duration::from_secs(11));
    assert_eq!(request(server.port, "GET", "/").0, 200);
    let mut first = &slow[0];
    let mut answer = String::new();
    let _ = first.read_to_string(&mut answer);
    assert!(
        answer.starts_with("HTTP/1.1 408") || answer.starts_with("HTTP/1.1 503"),
        "{answer}"
    );
}

#[test]
fn the_listener_survives_running_out_of_file_descriptors() {
    let project = project_copy("basic");
    let server = start_limited(project.path(), "ulimit -n 64");
    assert_eq!(request(server.port, "GET", "/").0, 200);
    // Far more connections than the server has descriptors for.
    let held: Vec<TcpStream> = (0..150)
        .filter_map(|_| TcpStream::connect(("127.0.0.1", server.port)).ok())
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    drop(held);
    // Once they are gone, the server accepts again.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if request(server.port, "GET", "/").0 == 200 {
            break;
        }
        assert!(Instant::now() < deadline, "the server no longer answers");
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Every file the live site holds, by path (the reload script is injected when a page is
/// served, not stored, so these are the bytes before it).
fn live_files(shared: &framewright::serve::Shared) -> std::collections::BTreeMap<String, Vec<u8>> {
    let files = shared.files.read().unwrap();
    files
        .iter()
        .map(|(path, bytes)| (path.clone(), bytes.as_ref().clone()))
        .collect()
}

/// Compares the live site with a build of the same content (at the root, as served), and
/// names every file that differs or is missing on one side.
fn assert_live_site_equals_build(
    project: &std::path::Path,
    shared: &framewright::serve::Shared,
    step: &str,
) {
    let out = tempfile::tempdir().unwrap();
    let options = framewright::BuildOptions {
        dest_dir: Some(out.path().join("site")),
        base_url: Some("/".into()),
    };
    framewright::build(project, &options).unwrap_or_else(|e| panic!("{step}: build failed: {e:?}"));
    let mut built = snapshot(&out.path().join("site"));
    // The manifest of what a build wrote belongs to the folder on disk, not to the site.
    built.remove(framewright::write::MANIFEST);
    let live = live_files(shared);
    let mut differences = Vec::new();
    for (path, bytes) in &built {
        match live.get(path) {
            None => differences.push(format!("{path}: built, not served")),
            Some(served) if served != bytes => differences.push(format!("{path}: differs")),
            Some(_) => {}
        }
    }
    for path in live.keys().filter(|p| !built.contains_key(*p)) {
        differences.push(format!("{path}: served, not built"));
    }
    assert!(
        differences.is_empty(),
        "after {step}:\n{}",
        differences.join("\n")
    );
}

/// A file (relative to the project) and its new text, or None to delete it.
type Edit<'a> = (&'a str, Option<String>);

#[test]
fn after_a_sequence_of_edits_every_served_file_equals_what_build_writes() {
    use std::collections::BTreeSet;
    use std::path::PathBuf;

    let project = project_copy("basic");
    let root = project.path();
    let (shared, mut site) = live_site(root);
    assert_live_site_equals_build(root, &shared, "the first build");

    let item = "content/identify/risk-assessment/ID.RA-01.md";
    let original = std::fs::read_to_string(root.join(item)).unwrap();
    let added = "content/identify/risk-assessment/ID.RA-03.md";
    let new_file = "---\nid: ID.RA-03\ntitle: Threats\ndescription: Threats are listed.\n---\n";
    // Each step: what the files become, and which paths the watcher reports.
    let steps: [(&str, Vec<Edit>); 6] = [
        (
            "a citation added (a new series)",
            vec![(item, Some(original.replace(
                "    description: Unfixed vulnerabilities have a compensating measure.\n",
                "    description: Unfixed vulnerabilities have a compensating measure.\n    references:\n      - \"NIST SP 800-30 Rev. 1, 3.2\"\n",
            )))],
        ),
        ("the citation removed", vec![(item, Some(original.clone()))]),
        (
            "a related id changed",
            vec![(item, Some(original.replace("related: [DE.AE-01]", "related: [PR.DS-01]")))],
        ),
        (
            "a description changed",
            vec![(item, Some(original.replace("Vulnerabilities of assets are recorded.", "Asset weaknesses are written down.")))],
        ),
        ("a file added", vec![(added, Some(new_file.to_string()))]),
        ("the file deleted", vec![(added, None)]),
    ];
    for (step, edits) in steps {
        let mut changes = BTreeSet::new();
        for (path, text) in edits {
            match text {
                Some(text) => std::fs::write(root.join(path), text).unwrap(),
                None => std::fs::remove_file(root.join(path)).unwrap(),
            }
            changes.insert(PathBuf::from(path));
        }
        let changes = site.relevant_changes(changes);
        let report = site
            .rebuild(&changes)
            .unwrap_or_else(|e| panic!("{step}: rebuild failed: {e:?}"));
        // Edits of one file's content take the reload path; adding or deleting a file
        // rebuilds everything.
        assert_eq!(
            report.full,
            step.starts_with("a file") || step.starts_with("the file"),
            "{step}"
        );
        // What the server does once the project is idle (exports, print edition).
        let refreshed = site.refresh_exports();
        if !report.full {
            assert!(
                refreshed.contains(&"framework.json".to_string()),
                "{step}: {refreshed:?}"
            );
        }
        assert_live_site_equals_build(root, &shared, step);
    }
}

#[test]
fn a_mapped_item_edited_through_serve_equals_what_build_writes() {
    // The crosswalk pages and the mapping exports name items by their descriptions.
    let project = project_copy("crosswalk");
    let root = project.path();
    let (shared, mut site) = live_site(root);
    let file = "content/protect/access-control.md";
    let text = std::fs::read_to_string(root.join(file)).unwrap();
    let edited = text.replace("Visitors are escorted.", "Guests are accompanied.");
    assert_ne!(text, edited);
    let report = save_and_rebuild(&mut site, root, file, &edited).unwrap();
    assert!(!report.full, "a description edit takes the reload path");
    site.refresh_exports();
    assert_live_site_equals_build(root, &shared, "a mapped item's description changed");
}

/// The live site of the project at `root` after its first full build, with what it serves.
fn live_site(
    root: &std::path::Path,
) -> (
    std::sync::Arc<framewright::serve::Shared>,
    framewright::serve::LiveSite,
) {
    let shared = std::sync::Arc::new(framewright::serve::Shared::default());
    let mut site = framewright::serve::LiveSite::new(root, shared.clone());
    site.full_rebuild().unwrap();
    (shared, site)
}

/// Writes `text` to `file` (relative to the project) and rebuilds the live site as the
/// watcher would after that save.
fn save_and_rebuild(
    site: &mut framewright::serve::LiveSite,
    root: &std::path::Path,
    file: &str,
    text: &str,
) -> Result<framewright::serve::RebuildReport, framewright::BuildError> {
    std::fs::write(root.join(file), text).unwrap();
    let changes = std::collections::BTreeSet::from([std::path::PathBuf::from(file)]);
    let changes = site.relevant_changes(changes);
    site.rebuild(&changes)
}

#[test]
fn a_save_that_fixes_the_one_error_of_a_failed_save_publishes_the_rest_of_it() {
    let project = project_copy("basic");
    let root = project.path();
    let (shared, mut site) = live_site(root);
    let item = "content/identify/risk-assessment/ID.RA-01.md";
    let original = std::fs::read_to_string(root.join(item)).unwrap();
    let cited = original.replace(
        "  - \"ISO/IEC 27001:2013, 6.1.3, 8.3,9.3\"\n",
        "  - \"ISO/IEC 27001:2013, 6.1.3, 8.3,9.3\"\n  - \"ISO 28000:2022, 4.1\"\n",
    );
    assert_ne!(cited, original);
    // One save: a citation of a new document, and a related id that does not exist.
    let broken = cited.replace("related: [DE.AE-01]", "related: [DE.AE-77]");
    assert_ne!(broken, cited);
    let error = save_and_rebuild(&mut site, root, item, &broken).unwrap_err();
    let framewright::BuildError::Content(diagnostics) = error else {
        panic!("a content error was expected")
    };
    assert!(
        diagnostics.iter().any(|d| d.message.contains("DE.AE-77")),
        "{diagnostics:?}"
    );
    assert!(
        !live_files(&shared).contains_key("references/iso-28000/index.html"),
        "nothing of the failed save is published"
    );
    // The next save fixes only the related id: the citation is published with it.
    save_and_rebuild(&mut site, root, item, &cited)
        .unwrap_or_else(|e| panic!("the fixed save still fails: {e:?}"));
    assert!(framewright::check(root)
        .unwrap()
        .iter()
        .all(|d| !d.is_error()));
    let live = live_files(&shared);
    assert!(live.contains_key("references/iso-28000/index.html"));
    site.refresh_exports();
    assert_live_site_equals_build(root, &shared, "the related id fixed");
    // Later edits of that file are published too.
    let reworded = cited.replace(
        "Vulnerabilities of assets are recorded.",
        "Asset weaknesses are written down.",
    );
    save_and_rebuild(&mut site, root, item, &reworded).unwrap();
    site.refresh_exports();
    assert_live_site_equals_build(root, &shared, "a later description edit");
    // The citation removed again: the document's page is gone (404), as in a build.
    save_and_rebuild(&mut site, root, item, &original).unwrap();
    let live = live_files(&shared);
    assert!(!live.contains_key("references/iso-28000/index.html"));
    // The preview serves at "/", which is no public address: no sitemap, as in a build.
    assert!(!live.contains_key("sitemap.xml"));
    site.refresh_exports();
    assert_live_site_equals_build(root, &shared, "the citation removed");
}

/// The random edit sequences of the serve ≡ build property: what an author does to the
/// `basic` fixture between saves. Numbers pick among what exists when the edit is made
/// (modulo the count), so that every sequence is meaningful however it shrinks.
mod edits {
    use proptest::prelude::*;
    use serde_yaml::{Mapping, Value};
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::{Path, PathBuf};

    /// Citations an edit may add: known documents and one the bibliography lacks.
    const CITATIONS: [&str; 5] = [
        "ISO 28000:2022, 4.1",
        "NIST SP 800-30 Rev. 1, 3.2",
        "ISO/IEC 27002:2013, 8.1.1",
        "ISO/IEC 27001:2013, 6.1.3",
        "ISO/IEC 27035-1:2016, 5.2",
    ];
    /// Ids an edit may give a node (one of them already taken in the fixture).
    const IDS: [&str; 4] = ["ID.RA-05", "PR.AC-09", "DE.AE-07", "ID.AM-01"];
    const TITLES: [&str; 3] = ["Threat intelligence", "Weak points: a list", "Zones"];
    const DESCRIPTIONS: [&str; 3] = [
        "Owners are named.",
        "Each *risk* has a **treatment**.",
        "Logs are kept: 90 days.",
    ];
    /// Text fields an edit may set: the description and columns of the fixture's tables.
    const FIELDS: [&str; 3] = ["description", "activities", "outputs"];
    /// Where a new file may go: a folder of item files, and a concept's folder.
    const FOLDERS: [&str; 2] = ["content/identify/risk-assessment", "content/detect"];

    /// One change to the sources.
    #[derive(Debug, Clone)]
    pub enum Edit {
        AddCitation {
            file: usize,
            node: usize,
            citation: usize,
        },
        RemoveCitation {
            file: usize,
            node: usize,
        },
        /// Renames an id and every `related` entry and `[[id]]` link that names it.
        RenameId {
            file: usize,
            node: usize,
            id: usize,
        },
        /// A related entry to an existing id, or (`to` past the ids) to an unknown one.
        Relate {
            file: usize,
            node: usize,
            to: usize,
        },
        /// A text field (the description, or a column such as `activities`) set.
        Describe {
            file: usize,
            node: usize,
            field: usize,
            text: usize,
        },
        Retitle {
            file: usize,
            node: usize,
            title: usize,
        },
        Reorder {
            file: usize,
            order: u8,
        },
        AddFile {
            folder: usize,
            id: usize,
        },
        DeleteFile {
            file: usize,
        },
        /// New prose, linking to an existing id (or, past the ids, to an unknown one).
        Prose {
            file: usize,
            to: usize,
        },
        /// A title for a document of the bibliography (`references.yaml`), or the file put
        /// back as it was.
        Bibliography {
            title: usize,
        },
        BreakYaml {
            file: usize,
        },
        FixYaml,
        /// Puts a fixture file back as it was (or back where it was deleted).
        Restore {
            file: usize,
        },
    }

    pub fn edit() -> impl Strategy<Value = Edit> {
        let n = || 0..64usize;
        prop_oneof![
            3 => (n(), n(), n()).prop_map(|(file, node, citation)| Edit::AddCitation { file, node, citation }),
            2 => (n(), n()).prop_map(|(file, node)| Edit::RemoveCitation { file, node }),
            1 => (n(), n(), n()).prop_map(|(file, node, id)| Edit::RenameId { file, node, id }),
            2 => (n(), n(), n()).prop_map(|(file, node, to)| Edit::Relate { file, node, to }),
            2 => (n(), n(), n(), n()).prop_map(|(file, node, field, text)| Edit::Describe { file, node, field, text }),
            1 => (n(), n(), n()).prop_map(|(file, node, title)| Edit::Retitle { file, node, title }),
            1 => (n(), 1..6u8).prop_map(|(file, order)| Edit::Reorder { file, order }),
            1 => (n(), n()).prop_map(|(folder, id)| Edit::AddFile { folder, id }),
            1 => n().prop_map(|file| Edit::DeleteFile { file }),
            2 => (n(), n()).prop_map(|(file, to)| Edit::Prose { file, to }),
            1 => n().prop_map(|title| Edit::Bibliography { title }),
            1 => n().prop_map(|file| Edit::BreakYaml { file }),
            2 => Just(Edit::FixYaml),
            1 => n().prop_map(|file| Edit::Restore { file }),
        ]
    }

    /// One content file as front matter and body, and whether its YAML is broken now.
    #[derive(Clone)]
    struct Source {
        front: Mapping,
        body: String,
        broken: bool,
    }

    /// The content files of a project, kept as data and written out after each edit.
    pub struct Sources {
        root: PathBuf,
        fixture: BTreeMap<String, String>,
        bibliography: String,
        files: BTreeMap<String, Source>,
    }

    fn parse(text: &str) -> Source {
        let rest = text.strip_prefix("---\n").expect("front matter");
        let (yaml, body) = rest.split_once("\n---\n").expect("end of front matter");
        Source {
            front: serde_yaml::from_str(yaml).expect("fixture YAML"),
            body: body.to_string(),
            broken: false,
        }
    }

    fn text(source: &Source) -> String {
        let yaml = serde_yaml::to_string(&source.front).unwrap();
        let broken = if source.broken {
            "title: [unclosed\n"
        } else {
            ""
        };
        format!("---\n{yaml}{broken}---\n{}", source.body)
    }

    fn key(name: &str) -> Value {
        Value::String(name.to_string())
    }

    /// The mapping of node `node` of a file: the file's own (0) or one of its items.
    fn node(front: &mut Mapping, node: usize) -> &mut Mapping {
        let items = front
            .get(key("items"))
            .and_then(Value::as_sequence)
            .map_or(0, Vec::len);
        match node % (items + 1) {
            0 => front,
            i => front
                .get_mut(key("items"))
                .and_then(Value::as_sequence_mut)
                .and_then(|items| items[i - 1].as_mapping_mut())
                .expect("an item is a mapping"),
        }
    }

    fn list<'a>(mapping: &'a mut Mapping, name: &str) -> &'a mut Vec<Value> {
        let entry = mapping
            .entry(key(name))
            .or_insert_with(|| Value::Sequence(Vec::new()));
        if !entry.is_sequence() {
            *entry = Value::Sequence(Vec::new());
        }
        entry.as_sequence_mut().unwrap()
    }

    /// Every id of every file, in file order.
    fn ids(files: &BTreeMap<String, Source>) -> Vec<String> {
        fn collect(mapping: &Mapping, out: &mut Vec<String>) {
            if let Some(id) = mapping.get(key("id")).and_then(Value::as_str) {
                out.push(id.to_string());
            }
            let items = mapping.get(key("items")).and_then(Value::as_sequence);
            for item in items.into_iter().flatten().filter_map(Value::as_mapping) {
                collect(item, out);
            }
        }
        let mut out = Vec::new();
        for source in files.values() {
            collect(&source.front, &mut out);
        }
        out
    }

    /// Replaces `from` by `to` in every `related` list of a mapping and its items.
    fn rename_related(mapping: &mut Mapping, from: &str, to: &str) {
        if let Some(related) = mapping
            .get_mut(key("related"))
            .and_then(Value::as_sequence_mut)
        {
            for entry in related.iter_mut().filter(|e| e.as_str() == Some(from)) {
                *entry = key(to);
            }
        }
        let items = mapping
            .get_mut(key("items"))
            .and_then(Value::as_sequence_mut);
        for item in items
            .into_iter()
            .flatten()
            .filter_map(Value::as_mapping_mut)
        {
            rename_related(item, from, to);
        }
    }

    impl Sources {
        /// The Markdown files of the project at `root`.
        pub fn read(root: &Path) -> Sources {
            let mut fixture = BTreeMap::new();
            for path in super::files(&root.join("content")) {
                if path.ends_with(".md") {
                    let rel = format!("content/{path}");
                    fixture.insert(
                        rel.clone(),
                        std::fs::read_to_string(root.join(&rel)).unwrap(),
                    );
                }
            }
            let files = fixture.iter().map(|(p, t)| (p.clone(), parse(t))).collect();
            let bibliography =
                std::fs::read_to_string(root.join("content/references.yaml")).unwrap();
            Sources {
                root: root.to_path_buf(),
                fixture,
                bibliography,
                files,
            }
        }

        fn pick(&self, file: usize) -> Option<String> {
            let count = self.files.len();
            (count > 0).then(|| self.files.keys().nth(file % count).unwrap().clone())
        }

        /// Makes `edit` on disk and returns the paths it changed.
        pub fn apply(&mut self, edit: &Edit) -> BTreeSet<PathBuf> {
            let mut changed: BTreeSet<String> = BTreeSet::new();
            match *edit {
                Edit::AddCitation {
                    file,
                    node: n,
                    citation,
                } => {
                    let path = self.pick(file).unwrap();
                    let front = &mut self.files.get_mut(&path).unwrap().front;
                    let citation = CITATIONS[citation % CITATIONS.len()];
                    list(node(front, n), "references").push(key(citation));
                    changed.insert(path);
                }
                Edit::RemoveCitation { file, node: n } => {
                    let path = self.pick(file).unwrap();
                    let front = &mut self.files.get_mut(&path).unwrap().front;
                    list(node(front, n), "references").pop();
                    changed.insert(path);
                }
                Edit::RenameId { file, node: n, id } => {
                    let path = self.pick(file).unwrap();
                    let front = &mut self.files.get_mut(&path).unwrap().front;
                    let mapping = node(front, n);
                    let Some(old) = mapping.get(key("id")).and_then(Value::as_str) else {
                        return BTreeSet::new();
                    };
                    let (old, new) = (old.to_string(), IDS[id % IDS.len()]);
                    mapping.insert(key("id"), key(new));
                    for (path, source) in &mut self.files {
                        let link = format!("[[{old}]]");
                        let before = (source.front.clone(), source.body.clone());
                        rename_related(&mut source.front, &old, new);
                        source.body = source.body.replace(&link, &format!("[[{new}]]"));
                        if before != (source.front.clone(), source.body.clone()) {
                            changed.insert(path.clone());
                        }
                    }
                    changed.insert(path);
                }
                Edit::Relate { file, node: n, to } => {
                    let ids = ids(&self.files);
                    let target = ids.get(to % (ids.len() + 1)).map_or("ZZ.UNKNOWN-1", |s| s);
                    let target = key(target);
                    let path = self.pick(file).unwrap();
                    let front = &mut self.files.get_mut(&path).unwrap().front;
                    list(node(front, n), "related").push(target);
                    changed.insert(path);
                }
                Edit::Describe {
                    file,
                    node: n,
                    field,
                    text,
                } => {
                    let path = self.pick(file).unwrap();
                    let front = &mut self.files.get_mut(&path).unwrap().front;
                    let text = DESCRIPTIONS[text % DESCRIPTIONS.len()];
                    let field = FIELDS[field % FIELDS.len()];
                    node(front, n).insert(key(field), key(text));
                    changed.insert(path);
                }
                Edit::Retitle {
                    file,
                    node: n,
                    title,
                } => {
                    let path = self.pick(file).unwrap();
                    let front = &mut self.files.get_mut(&path).unwrap().front;
                    let title = TITLES[title % TITLES.len()];
                    node(front, n).insert(key("title"), key(title));
                    changed.insert(path);
                }
                Edit::Reorder { file, order } => {
                    let path = self.pick(file).unwrap();
                    let front = &mut self.files.get_mut(&path).unwrap().front;
                    front.insert(key("order"), Value::Number(order.into()));
                    changed.insert(path);
                }
                Edit::AddFile { folder, id } => {
                    let folder = FOLDERS[folder % FOLDERS.len()];
                    let id = IDS[id % IDS.len()];
                    let path = format!("{folder}/{id}.md");
                    if self.files.contains_key(&path) {
                        return BTreeSet::new();
                    }
                    let text = if folder.ends_with("detect") {
                        format!("---\nid: {id}\ntitle: Added {id}\nitems:\n  - id: {id}.a\n    description: An added item.\n---\nAdded.\n")
                    } else {
                        format!(
                            "---\nid: {id}\ntitle: Added {id}\ndescription: An added item.\n---\n"
                        )
                    };
                    self.files.insert(path.clone(), parse(&text));
                    changed.insert(path);
                }
                Edit::DeleteFile { file } => {
                    // Not a folder's `_index.md`: the folder's other files would be orphans.
                    let Some(path) = self.pick(file).filter(|p| !p.ends_with("_index.md")) else {
                        return BTreeSet::new();
                    };
                    self.files.remove(&path);
                    std::fs::remove_file(self.root.join(&path)).unwrap();
                    return BTreeSet::from([PathBuf::from(path)]);
                }
                Edit::Prose { file, to } => {
                    let ids = ids(&self.files);
                    let target = ids.get(to % (ids.len() + 1)).map_or("ZZ.UNKNOWN-1", |s| s);
                    let path = self.pick(file).unwrap();
                    let source = self.files.get_mut(&path).unwrap();
                    source.body = format!("\nNew prose, see [[{target}]].\n\n## A heading\n");
                    changed.insert(path);
                }
                Edit::Bibliography { title } => {
                    let path = "content/references.yaml";
                    let original = std::fs::read_to_string(self.root.join(path)).unwrap();
                    let text = match TITLES.get(title % (TITLES.len() + 1)) {
                        Some(title) => {
                            original.replace(
                                "title: Information security risk management",
                                &format!("title: {title:?}"),
                            ) + "- document: ISO 28000\n  title: Supply chain security\n"
                        }
                        None => self.bibliography.clone(),
                    };
                    std::fs::write(self.root.join(path), text).unwrap();
                    return BTreeSet::from([PathBuf::from(path)]);
                }
                Edit::BreakYaml { file } => {
                    let path = self.pick(file).unwrap();
                    self.files.get_mut(&path).unwrap().broken = true;
                    changed.insert(path);
                }
                Edit::FixYaml => {
                    for (path, source) in &mut self.files {
                        if std::mem::take(&mut source.broken) {
                            changed.insert(path.clone());
                        }
                    }
                }
                Edit::Restore { file } => {
                    let path = self.fixture.keys().nth(file % self.fixture.len()).unwrap();
                    self.files.insert(path.clone(), parse(&self.fixture[path]));
                    changed.insert(path.clone());
                }
            }
            for path in &changed {
                std::fs::write(self.root.join(path), text(&self.files[path])).unwrap();
            }
            changed.into_iter().map(PathBuf::from).collect()
        }
    }
}

/// The site `build` writes for the project (served at the root, as serve does), or its
/// errors.
fn built_site(
    project: &std::path::Path,
) -> Result<std::collections::BTreeMap<String, Vec<u8>>, Vec<framewright::diagnostics::Diagnostic>>
{
    let out = tempfile::tempdir().unwrap();
    let options = framewright::BuildOptions {
        dest_dir: Some(out.path().join("site")),
        base_url: Some("/".into()),
    };
    match framewright::build(project, &options) {
        Ok(_) => {}
        Err(framewright::BuildError::Content(diagnostics)) => return Err(diagnostics),
        Err(err) => panic!("build failed: {err:?}"),
    }
    let mut site = snapshot(&out.path().join("site"));
    site.remove(framewright::write::MANIFEST);
    Ok(site)
}

/// The paths of `a` and `b` whose bytes differ or that only one has.
fn differences(
    a: &std::collections::BTreeMap<String, Vec<u8>>,
    b: &std::collections::BTreeMap<String, Vec<u8>>,
) -> Vec<String> {
    let paths: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    paths
        .into_iter()
        .filter(|p| a.get(*p) != b.get(*p))
        .map(|p| match (a.contains_key(p), b.contains_key(p)) {
            (true, false) => format!("{p}: served, not built"),
            (false, true) => format!("{p}: built, not served"),
            _ => format!("{p}: differs"),
        })
        .collect()
}

/// A site made from scratch in memory for the project as it is now, as serve's first build
/// makes it: the reference that each save's incremental rebuild must equal.
fn fresh_site(
    project: &std::path::Path,
) -> Result<std::collections::BTreeMap<String, Vec<u8>>, framewright::BuildError> {
    let shared = std::sync::Arc::new(framewright::serve::Shared::default());
    framewright::serve::LiveSite::new(project, shared.clone()).full_rebuild()?;
    Ok(live_files(&shared))
}

/// The files that serve makes when the project is idle, after the reload event.
const MADE_WHEN_IDLE: [&str; 7] = [
    "framework.json",
    "framework.csv",
    "oscal/catalog.json",
    "crosswalk/mappings.csv",
    "oscal/mapping-collection.json",
    "search-index.js",
    "print/index.html",
];

/// The codes of the errors among `diagnostics`.
fn error_codes(diagnostics: &[framewright::diagnostics::Diagnostic]) -> Vec<&str> {
    let codes: std::collections::BTreeSet<&str> = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.code)
        .collect();
    codes.into_iter().collect()
}

proptest::proptest! {
    // Few cases, for a quick `cargo test`; PROPTEST_CASES=500 searches longer.
    #![proptest_config(proptest::prelude::ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(16),
        max_shrink_iters: 100,
        failure_persistence: None,
        ..proptest::prelude::ProptestConfig::default()
    })]

    /// After every save of a random sequence the live site equals one made from scratch
    /// for the same files, or, when that fails, the save is reported with the same errors
    /// and the last good site stays served; at the end of the sequence the live site
    /// equals what `build` writes (or both refuse the content).
    #[test]
    fn serve_equals_build_after_random_edit_sequences(
        saves in proptest::collection::vec(proptest::collection::vec(edits::edit(), 1..3), 1..8)
    ) {
        use framewright::BuildError;
        use proptest::{prop_assert, prop_assert_eq};

        let project = project_copy("basic");
        let root = project.path();
        let mut sources = edits::Sources::read(root);
        let (shared, mut site) = live_site(root);
        let mut last_error = None;
        for (step, save) in saves.iter().enumerate() {
            let mut changes = std::collections::BTreeSet::new();
            for edit in save {
                changes.extend(sources.apply(edit));
            }
            let changes = site.relevant_changes(changes);
            let before = live_files(&shared);
            // A save that serve finds irrelevant leaves it showing what it showed.
            if !changes.is_empty() {
                last_error = match site.rebuild(&changes) {
                    Ok(_) => None,
                    Err(BuildError::Content(reported)) => Some(error_codes(&reported).join(" ")),
                    Err(err) => return Err(proptest::test_runner::TestCaseError::fail(format!("save {step}: {err:?}"))),
                };
            }
            // At the reload event every page is current but those made when idle.
            let at_reload = live_files(&shared);
            // What the server does once the project is idle, before its `refresh` event.
            let refreshed = site.refresh_exports();
            let live = live_files(&shared);
            match (fresh_site(root), &last_error) {
                (Ok(fresh), None) => {
                    let differ = differences(&live, &fresh);
                    prop_assert!(differ.is_empty(), "after save {} {:?}:\n{}", step, save, differ.join("\n"));
                    let mut stale = differences(&at_reload, &fresh);
                    stale.retain(|d| !MADE_WHEN_IDLE.iter().any(|p| d.starts_with(&format!("{p}: "))));
                    prop_assert!(stale.is_empty(), "at the reload after save {} {:?}:\n{}", step, save, stale.join("\n"));
                    for path in &refreshed {
                        prop_assert!(MADE_WHEN_IDLE.contains(&path.as_str()), "{} refreshed", path);
                    }
                }
                (Err(BuildError::Content(expected)), Some(reported)) => {
                    prop_assert_eq!(reported, &error_codes(&expected).join(" "), "save {} {:?}", step, save);
                    prop_assert!(live == before, "save {}: a failed save changed the served site", step);
                }
                (fresh, reported) => prop_assert!(
                    false,
                    "save {} {:?}: from scratch {:?}, serve's error {:?}",
                    step, save, fresh.map(|_| ()), reported
                ),
            }
        }
        match (built_site(root), last_error) {
            (Ok(built), None) => {
                let differ = differences(&live_files(&shared), &built);
                prop_assert!(differ.is_empty(), "after {:?}:\n{}", saves, differ.join("\n"));
            }
            (Err(errors), Some(reported)) => prop_assert_eq!(error_codes(&errors).join(" "), reported),
            (built, reported) => prop_assert!(
                false,
                "after {:?}: build {:?}, serve's error {:?}",
                saves, built.map(|_| ()), reported
            ),
        }
    }
}

#[test]
fn items_given_one_id_or_swapped_in_one_save_are_served_as_build_sees_them() {
    let project = project_copy("basic");
    let root = project.path();
    let (shared, mut site) = live_site(root);
    let file = "content/identify/asset-management.md";
    let original = std::fs::read_to_string(root.join(file)).unwrap();
    // The second item takes the first one's id: an error, as in a build.
    let duplicate = original.replace("  - id: ID.AM-02\n", "  - id: ID.AM-01\n");
    assert_ne!(duplicate, original);
    let error = save_and_rebuild(&mut site, root, file, &duplicate).unwrap_err();
    let framewright::BuildError::Content(diagnostics) = error else {
        panic!("a content error was expected")
    };
    assert!(
        diagnostics.iter().any(|d| d.code == "E0041"),
        "{diagnostics:?}"
    );
    // The two items swapped: their rows change places, as in a build.
    let (head, items) = original.split_once("items:\n").unwrap();
    let (items, tail) = items.split_once("---\n").unwrap();
    let (first, second) = items.split_at(items.find("  - id: ID.AM-02").unwrap());
    let swapped = format!("{head}items:\n{second}{first}---\n{tail}");
    save_and_rebuild(&mut site, root, file, &swapped).unwrap();
    site.refresh_exports();
    assert_live_site_equals_build(root, &shared, "the items swapped");
}

#[test]
fn deleting_a_broken_new_file_clears_its_error() {
    use std::collections::BTreeSet;
    use std::path::PathBuf;

    let project = project_copy("basic");
    let root = project.path();
    let (shared, mut site) = live_site(root);
    let folder = "content/identify/spare";
    let file = "content/identify/spare/_index.md";
    std::fs::create_dir(root.join(folder)).unwrap();
    // A new file whose id is taken: the save fails.
    let taken = "---\nid: ID.AM\ntitle: Spare\n---\n";
    assert!(save_and_rebuild(&mut site, root, file, taken).is_err());
    // The folder is deleted: the watcher names the folder and the file, both gone.
    std::fs::remove_dir_all(root.join(folder)).unwrap();
    for deleted in [folder, file] {
        let changes = site.relevant_changes(BTreeSet::from([PathBuf::from(deleted)]));
        assert!(
            !changes.is_empty(),
            "{deleted}: a path the failed save read matters"
        );
    }
    let changes = site.relevant_changes(BTreeSet::from([PathBuf::from(folder)]));
    site.rebuild(&changes).unwrap();
    assert_live_site_equals_build(root, &shared, "the broken folder deleted");
}

/// `--open` without a working browser: the opener's noise is not shown, one note says
/// where the site is, and the server keeps serving.
#[cfg(target_os = "linux")]
#[test]
fn open_without_a_browser_is_one_quiet_note() {
    let project = project_copy("basic");
    let bin = tempfile::tempdir().unwrap();
    let opener = bin.path().join("xdg-open");
    std::fs::write(
        &opener,
        "#!/bin/sh\necho 'xdg-open: no method available for opening' >&2\necho noise\nexit 3\n",
    )
    .unwrap();
    let executable = std::os::unix::fs::PermissionsExt::from_mode(0o755);
    std::fs::set_permissions(&opener, executable).unwrap();
    let path = format!(
        "{}:{}",
        bin.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_framewright"))
        .args([
            "serve",
            project.path().to_str().unwrap(),
            "--port",
            "0",
            "--open",
        ])
        .env("NO_COLOR", "1")
        .env("PATH", path)
        .stderr(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = sender.send(line);
        }
    });
    let mut lines = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline && !lines.iter().any(|l: &String| l.starts_with("note:")) {
        if let Ok(line) = receiver.recv_timeout(Duration::from_millis(200)) {
            lines.push(line);
        }
    }
    let port: u16 = lines
        .iter()
        .find_map(|l| l.split("http://127.0.0.1:").nth(1))
        .and_then(|rest| rest.split('/').next()?.parse().ok())
        .expect("the server started");
    let server = Server { child, port };
    let note = format!("note: could not open a browser; visit http://127.0.0.1:{port}/");
    assert!(lines.contains(&note), "{lines:#?}");
    assert_eq!(get(server.port, "/").0, 200);
    assert!(
        !lines
            .iter()
            .any(|l| l.contains("xdg-open") || l.contains("noise")),
        "{lines:#?}"
    );
}

/// A project whose first build fails: the error is shown, and nothing claims a "last good
/// build" that never existed.
#[test]
fn a_first_build_that_fails_claims_no_previous_build() {
    let project = project_copy("basic");
    let file = project
        .path()
        .join("content/identify/risk-assessment/ID.RA-02.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replacen("id: ID.RA-02", "id: ID.RA-01", 1)).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_framewright"))
        .args(["serve", project.path().to_str().unwrap(), "--port", "0"])
        .env("NO_COLOR", "1")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = sender.send(line);
        }
    });
    let mut lines = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline && !lines.iter().any(|l: &String| l.contains("http://")) {
        if let Ok(line) = receiver.recv_timeout(Duration::from_millis(200)) {
            lines.push(line);
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        lines.iter().any(|l| l.contains("duplicate id")),
        "{lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("the site is shown once they are fixed")),
        "{lines:#?}"
    );
    assert!(
        !lines.iter().any(|l| l.contains("last good build")),
        "{lines:#?}"
    );
}
