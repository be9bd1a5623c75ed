//! Headless Chromium checks of a built site (tests/browser/check.mjs): search finds ids,
//! words and citations and is keyboard-driven; table filters hide the rows that do not
//! cite the chosen document; code is highlighted in both colour schemes; no page logs a
//! console error; all of it from the file system and over HTTP under a sub-path.
//!
//! Ignored by default: it needs Node.js, `npm install` in tests/browser/ (playwright-core)
//! and Chromium (`CHROMIUM`, default /usr/bin/chromium). Run it with
//!
//! ```text
//! (cd tests/browser && npm ci) && cargo test --test browser -- --ignored
//! ```

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::*;

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
#[ignore = "needs Node.js, playwright-core (npm ci in tests/browser) and Chromium"]
fn site_works_in_headless_chromium() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    let site = dir.path().join("site");
    write_project(&project);
    build_into(&project, &site, &["--base-url", "/some/sub/path/"]);
    let browser = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    assert!(
        browser.join("node_modules/playwright-core").is_dir(),
        "run `npm ci` in tests/browser first"
    );
    let output = Command::new("node")
        .arg(browser.join("check.mjs"))
        .arg(&site)
        .arg("/some/sub/path/")
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    assert!(output.status.success(), "{stdout}\n{stderr}");
}

/// Writes the browser test's project into `FRAMEWRIGHT_BROWSER_PROJECT` (for trying the
/// checks by hand).
#[test]
#[ignore = "writes a project for manual browser checks"]
fn write_browser_project() {
    let Some(dir) = std::env::var_os("FRAMEWRIGHT_BROWSER_PROJECT") else {
        return;
    };
    write_project(Path::new(&dir));
}
