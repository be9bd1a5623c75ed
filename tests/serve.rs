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
    let mut child = Command::new(env!("CARGO_BIN_EXE_framewright"))
        .args(["serve", project.to_str().unwrap(), "--port", "0"])
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
    assert_eq!(events.next().0, "reload");
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
    let (name, data) = events.next();
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
    assert_eq!(events.next().0, "reload");
    let (_, status) = get(server.port, "/__framewright/status");
    assert!(status.contains("\"error\":null"), "{status}");
    let (_, body) = get(server.port, "/identify/asset-management/");
    assert!(body.contains("Devices are inventoried."));
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
    assert_eq!(events.next().0, "reload");
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
    let mut child = Command::new("sh")
        .args(["-c", &script])
        .env("NO_COLOR", "1")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let port = loop {
        let line = lines.next().expect("the server did not start").unwrap();
        if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
            break rest.split('/').next().unwrap().parse().unwrap();
        }
    };
    // Keep reading its warnings, so it never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    Server { child, port }
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
    use framewright::serve::{LiveSite, Shared};
    use std::collections::BTreeSet;
    use std::path::PathBuf;
    use std::sync::Arc;

    let project = project_copy("basic");
    let root = project.path();
    let shared = Arc::new(Shared::default());
    let mut site = LiveSite::new(root, shared.clone());
    site.full_rebuild().unwrap();
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
        site.refresh_exports();
        assert_live_site_equals_build(root, &shared, step);
    }
}

#[test]
fn a_mapped_item_edited_through_serve_equals_what_build_writes() {
    use framewright::serve::{LiveSite, Shared};
    use std::collections::BTreeSet;
    use std::path::PathBuf;
    use std::sync::Arc;

    // The crosswalk pages and the mapping exports name items by their descriptions.
    let project = project_copy("crosswalk");
    let root = project.path();
    let shared = Arc::new(Shared::default());
    let mut site = LiveSite::new(root, shared.clone());
    site.full_rebuild().unwrap();
    let file = "content/protect/access-control.md";
    let text = std::fs::read_to_string(root.join(file)).unwrap();
    let edited = text.replace("Visitors are escorted.", "Guests are accompanied.");
    assert_ne!(text, edited);
    std::fs::write(root.join(file), edited).unwrap();
    let changes = site.relevant_changes(BTreeSet::from([PathBuf::from(file)]));
    let report = site.rebuild(&changes).unwrap();
    assert!(!report.full, "a description edit takes the reload path");
    site.refresh_exports();
    assert_live_site_equals_build(root, &shared, "a mapped item's description changed");
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
