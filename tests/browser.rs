//! The built site in a real browser (issue 17), with the tools in tests/browser/:
//!
//! - `check.mjs`: search (id, word, body text, cited standard; keyboard and mouse), the
//!   table filters, the sidebar by keyboard, links from `file://`, highlighting in both
//!   colour schemes, the print media and console errors, over HTTP under a sub-path and
//!   from the file system;
//! - the Nu Html Checker (vnu-jar) on every page of the example, the crosswalk fixture and
//!   a site imported from NIST SP 800-53 LOW: no error;
//! - `audit.mjs`: axe-core (WCAG 2.1 A and AA) on the key pages of those three sites, light
//!   and dark, 1280 px and 390 px wide: no serious or critical violation, no console error;
//! - `live.mjs`: the real `framewright serve`: an edit reloads the page at the same scroll
//!   position, a broken edit shows the overlay naming `path:line`, fixing it clears it.
//!
//! They need Node.js, `npm ci` in tests/browser/ (playwright-core, axe-core, vnu-jar),
//! Chromium (`CHROMIUM`, default /usr/bin/chromium) and a Java runtime; `.ci/run` installs
//! them. Without them the tests say so in one line and pass, except under `CI=true`, where
//! they fail. Screenshots of failures go to target/browser-artifacts/.

mod common;

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use common::*;

/// How to get the tools, for the one line a local run without them prints.
const HOW_TO_RUN: &str = "apt-get install chromium default-jre-headless nodejs npm && \
                          (cd tests/browser && npm ci) && cargo test --test browser";

/// The NIST catalog the import test site is made from (public domain).
const NIST_LOW: &str = "oscal/NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog.json";

fn repository() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn tools_dir() -> PathBuf {
    repository().join("tests/browser")
}

fn vnu_jar() -> PathBuf {
    tools_dir().join("node_modules/vnu-jar/build/dist/vnu.jar")
}

fn chromium() -> PathBuf {
    std::env::var_os("CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from)
}

/// Where failures leave their screenshots (kept by CI as artefacts); emptied once per run,
/// so that what it holds is from this run.
fn artifacts() -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = repository().join("target/browser-artifacts");
        if dir.exists() {
            fs::remove_dir_all(&dir).unwrap();
        }
        fs::create_dir_all(&dir).unwrap();
        dir
    })
    .clone()
}

fn runs(program: &str, arg: &str) -> bool {
    Command::new(program)
        .arg(arg)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The tools that are missing, named as a user would install them.
fn missing_tools() -> Vec<&'static str> {
    let modules = tools_dir().join("node_modules");
    let mut missing = Vec::new();
    if !runs("node", "--version") {
        missing.push("node");
    }
    if ["playwright-core", "axe-core", "vnu-jar"]
        .iter()
        .any(|m| !modules.join(m).is_dir())
    {
        missing.push("tests/browser/node_modules (npm ci)");
    }
    if !chromium().is_file() {
        missing.push("chromium");
    }
    if !runs("java", "-version") {
        missing.push("java");
    }
    missing
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// Whether the browser tests can run. Without the tools they fail in CI, and elsewhere
/// print one line (once per run, past the test harness's capture) and are skipped.
fn tools_ready() -> bool {
    static MISSING: OnceLock<Vec<&'static str>> = OnceLock::new();
    static SAID: std::sync::Once = std::sync::Once::new();
    let missing = MISSING.get_or_init(missing_tools);
    if missing.is_empty() {
        return true;
    }
    assert!(
        !in_ci(),
        "CI=true but the browser tests cannot run: missing {}; .ci/run installs them",
        missing.join(", ")
    );
    SAID.call_once(|| {
        let line = format!(
            "browser tests skipped: missing {}. To run them: {HOW_TO_RUN}\n",
            missing.join(", ")
        );
        let _ = std::io::stderr().write_all(line.as_bytes());
    });
    false
}

/// One browser at a time: each test starts its own Chromium, and two at once on a small
/// machine only make both slow.
fn one_at_a_time() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Runs one of the Node scripts in tests/browser/; panics with its report when it fails.
fn node(script: &str, args: &[&Path]) {
    let output = Command::new("node")
        .arg(tools_dir().join(script))
        .args(args)
        .output()
        .expect("node runs");
    report(&format!("node {script}"), &output);
}

fn report(what: &str, output: &Output) {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    // The report goes to the test's output, which the harness shows when it fails.
    println!("{stdout}");
    assert!(
        output.status.success(),
        "{what} failed, see its report above (screenshots in target/browser-artifacts/)\n{stderr}"
    );
}

/// The basic fixture, plus a code page and a category whose rows cite several documents.
fn write_project(dir: &Path) {
    copy_tree(&fixture("basic"), dir);
    let content = dir.join("content");
    fs::remove_file(content.join("protect/data-security.md")).unwrap();
    let files = [
        (
            "protect/data-security/_index.md",
            "---\nid: PR.DS\ntitle: Data security\ndescription: Data is protected.\norder: 2\nitems:\n  \
             - id: PR.DS-01\n    description: Stored data is protected.\n    references: [\"ISO/IEC 27002:2013 8.2.3, 8.3.1\"]\n  \
             - id: PR.DS-02\n    description: Data in transit is protected.\n    references: [\"ISO/IEC 27035-1:2016, 6.2\"]\n  \
             - id: PR.DS-91\n    description: Backups are tested.\n    references: [\"ISO/IEC 27035-2:2016, 7.1\", \"ISO/IEC 27002:2013, 12.3.1\"]\n  \
             - id: PR.DS-92\n    description: Media are disposed of securely.\n    references: [\"ISO/IEC 27002:2013, 8.3.2\"]\n  \
             - id: PR.DS-93\n    description: Leaks are detected.\n    references: [\"ISO/IEC 27035 (all parts)\"]\n---\n\nData security prose.\n",
        ),
        (
            "protect/data-security/PR.DS-90.md",
            "---\nid: PR.DS-90\ntitle: Records\ndescription: Records are kept as long as needed.\norder: 0\nreferences: [\"ISO/IEC 27001:2013, 7.5.3\"]\n---\n\
             Each record has an owner and a retention period, and it is destroyed when that period ends.\n",
        ),
        (
            "identify/code-samples.md",
            "---\nid: ID.CODE\ntitle: Code samples\n---\nA policy as data.\n\n```yaml\npolicy:\n  review: yearly\n  owners: [security, it]\n```\n\n\
             A check in Rust.\n\n```rust\nfn main() {\n    let reviewed = true; // a comment\n    println!(\"{reviewed}\");\n}\n```\n",
        ),
    ];
    for (rel, text) in files {
        let path = content.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
}

#[test]
fn site_works_in_headless_chromium() {
    if !tools_ready() {
        return;
    }
    let _browser = one_at_a_time();
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    let site = dir.path().join("site");
    write_project(&project);
    build_into(&project, &site, &["--base-url", "/some/sub/path/"]);
    node(
        "check.mjs",
        &[&site, Path::new("/some/sub/path/"), &artifacts()],
    );
}

/// The three sites the HTML and accessibility checks run on, built once per test run.
struct Sites {
    example: PathBuf,
    crosswalk: PathBuf,
    nist: PathBuf,
}

fn sites() -> &'static Sites {
    static SITES: OnceLock<Sites> = OnceLock::new();
    SITES.get_or_init(|| {
        let root = repository().join("target/browser-sites");
        if root.exists() {
            fs::remove_dir_all(&root).unwrap();
        }
        let sites = Sites {
            example: root.join("example"),
            crosswalk: root.join("crosswalk"),
            nist: root.join("nist-low"),
        };
        build_into(repository(), &sites.example, &[]);
        build_into(&fixture("crosswalk"), &sites.crosswalk, &[]);
        let nist_project = root.join("nist-low-project");
        fs::create_dir_all(&nist_project).unwrap();
        let import = framewright(&[
            "import",
            "oscal",
            fixture(NIST_LOW).to_str().unwrap(),
            "--into",
            nist_project.to_str().unwrap(),
        ]);
        report("framewright import oscal", &import);
        build_into(&nist_project, &sites.nist, &[]);
        sites
    })
}

#[test]
fn every_page_is_valid_html() {
    if !tools_ready() {
        return;
    }
    let sites = sites();
    let _browser = one_at_a_time();
    let output = Command::new("java")
        .arg("-jar")
        .arg(vnu_jar())
        .args(["--errors-only", "--skip-non-html"])
        .args([&sites.example, &sites.crosswalk, &sites.nist])
        .output()
        .expect("java runs");
    let errors = String::from_utf8_lossy(&output.stderr);
    let shown: Vec<&str> = errors.lines().take(40).collect();
    assert!(
        output.status.success() && errors.trim().is_empty(),
        "the Nu Html Checker found {} error(s):\n{}",
        errors.lines().count(),
        shown.join("\n")
    );
    // It did read the pages: a broken page is caught.
    let broken = sites.example.join("broken-on-purpose.html");
    fs::write(
        &broken,
        "<!DOCTYPE html><html lang=en><title>x</title><p id=a><p id=a>",
    )
    .unwrap();
    let output = Command::new("java")
        .arg("-jar")
        .arg(vnu_jar())
        .args(["--errors-only", "--skip-non-html"])
        .arg(&broken)
        .output()
        .expect("java runs");
    fs::remove_file(&broken).unwrap();
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("Duplicate ID"),
        "the checker runs"
    );
}

#[test]
fn key_pages_pass_axe_in_both_schemes_on_desktop_and_phone() {
    if !tools_ready() {
        return;
    }
    let sites = sites();
    let _browser = one_at_a_time();
    let example = [
        "",
        "identify/",
        "identify/asset-management/",
        "identify/risk-assessment/id.ra-01/",
        "references/",
        "references/iso-iec-27035/",
        "references/iso-iec-27035-1/",
        "search/?q=asset",
        "print/",
        "conformance/",
        "respond/improvements/",
    ];
    let crosswalk = [
        "",
        "crosswalk/",
        "crosswalk/lighthouse/",
        "crosswalk/catalog/",
    ];
    let nist = [
        "",
        "ac/",
        "ac/ac-2/",
        "references/",
        "references/fips-199/",
        "search/?q=ac-2",
        "conformance/",
        "print/",
    ];
    // The example covers the theme in all four variants; the other two sites add shapes
    // of content (crosswalks, a large imported catalog), audited light on a desktop and
    // dark on a phone (`:2`) to keep the run short.
    let arg = |site: &Path, pages: &[&str], variants: &str| {
        let pages: Vec<String> = pages.iter().map(|p| format!("{p}{variants}")).collect();
        format!("{}={}", site.display(), pages.join(","))
    };
    let args = [
        arg(&sites.example, &example, ""),
        arg(&sites.crosswalk, &crosswalk, ":2"),
        arg(&sites.nist, &nist, ":2"),
    ];
    let mut all: Vec<&Path> = vec![];
    let artifacts = artifacts();
    all.push(&artifacts);
    all.extend(args.iter().map(Path::new));
    node("audit.mjs", &all);
}

/// `framewright serve` on a free port; killed when the test ends, however it ends.
struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(project: &Path) -> Server {
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
            if let Some(at) = line.find("http://127.0.0.1:") {
                let url = line[at..].split_whitespace().next().unwrap().to_string();
                return Server { child, url };
            }
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("the server did not start");
}

#[test]
fn serve_reloads_in_place_and_shows_errors_until_fixed() {
    if !tools_ready() {
        return;
    }
    let _browser = one_at_a_time();
    let project = project_copy("basic");
    let server = serve(project.path());
    node(
        "live.mjs",
        &[Path::new(&server.url), project.path(), &artifacts()],
    );
}
