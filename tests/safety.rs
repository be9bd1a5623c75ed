//! A build never hurts the user's files: it writes only into a folder that is new, empty
//! or one it built (with its manifest), refuses the project, `.git` and home folders, and
//! puts a site in place whole or not at all, even when killed or out of space.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use common::*;

/// A project of `categories` categories with 20 inline items each; `version` goes into
/// every title and description, so that two versions differ on every page.
fn write_project(dir: &Path, categories: usize, version: &str) {
    let content = dir.join("content");
    let _ = fs::remove_dir_all(&content);
    fs::create_dir_all(content.join("identify")).unwrap();
    fs::write(
        dir.join("book.toml"),
        "[book]\ntitle = \"Safety\"\n[framework]\nrequired-concepts = [\"Identify\"]\n",
    )
    .unwrap();
    fs::write(
        content.join("_index.md"),
        "---\ntitle: Safety\n---\nHome.\n",
    )
    .unwrap();
    fs::write(
        content.join("identify/_index.md"),
        "---\nid: ID\ntitle: Identify\n---\nThe concept.\n",
    )
    .unwrap();
    for c in 0..categories {
        let mut text = format!("---\nid: ID.C{c}\ntitle: Category {c} {version}\nitems:\n");
        for i in 0..20 {
            text.push_str(&format!(
                "  - id: ID.C{c}-{i}\n    description: Item {i} of category {c}, {version}.\n"
            ));
        }
        text.push_str("---\nProse.\n");
        fs::write(content.join(format!("identify/c{c}.md")), text).unwrap();
    }
}

/// Names in `dir` other than `keep` (staging folders left behind, for one).
fn beside(dir: &Path, keep: &str) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != keep)
        .collect()
}

#[test]
fn a_folder_of_the_users_is_never_built_into() {
    let project = project_copy("minimal");
    let out = tempfile::tempdir().unwrap();
    let userdir = out.path().join("userdir");
    fs::create_dir_all(userdir.join("photos")).unwrap();
    fs::write(userdir.join("thesis.docx"), "years of work").unwrap();
    fs::write(userdir.join("photos/1.jpg"), "a photo").unwrap();
    let before = snapshot(&userdir);
    let output = framewright(&[
        "build",
        project.path().to_str().unwrap(),
        "--dest-dir",
        userdir.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("was not built by framewright"), "{stderr}");
    assert_eq!(snapshot(&userdir), before, "the user's files are untouched");
    assert_eq!(beside(out.path(), "userdir"), Vec::<String>::new());
}

#[test]
fn the_project_its_git_folder_and_home_are_refused() {
    let project = project_copy("minimal");
    fs::create_dir_all(project.path().join(".git/objects")).unwrap();
    fs::write(project.path().join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    let home = tempfile::tempdir().unwrap();
    let root = project.path().to_str().unwrap();
    for (dest, why) in [
        (project.path().join(".git"), ".git"),
        (project.path().to_path_buf(), "project folder"),
        (project.path().join("content"), "content folder"),
        (home.path().to_path_buf(), "home folder"),
    ] {
        let before = snapshot(project.path());
        let output = Command::new(env!("CARGO_BIN_EXE_framewright"))
            .args(["build", root, "--dest-dir", dest.to_str().unwrap()])
            .env("HOME", home.path())
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_ne!(output.status.code(), Some(0), "{dest:?}: {stderr}");
        assert!(stderr.contains(why), "{dest:?}: {stderr}");
        assert_eq!(
            snapshot(project.path()),
            before,
            "{dest:?} changed the project"
        );
    }
}

#[test]
fn a_rebuild_keeps_the_users_files_in_the_site() {
    let project = project_copy("minimal");
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    build_into(project.path(), &site, &[]);
    fs::write(site.join("google1234.html"), "verification").unwrap();
    build_into(project.path(), &site, &[]);
    assert_eq!(
        fs::read_to_string(site.join("google1234.html")).unwrap(),
        "verification"
    );
}

#[test]
fn a_build_killed_at_any_instant_leaves_the_old_site_or_the_new_one() {
    let project = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let expected_new = out.path().join("expected-new");
    write_project(project.path(), 60, "v2");
    build_into(project.path(), &expected_new, &[]);
    let new = snapshot(&expected_new);
    fs::remove_dir_all(&expected_new).unwrap();
    write_project(project.path(), 60, "v1");
    build_into(project.path(), &site, &[]);
    let old = snapshot(&site);
    write_project(project.path(), 60, "v2");

    // How long a build of the new version takes here: the kills spread over it.
    let started = Instant::now();
    let probe = out.path().join("probe");
    build_into(project.path(), &probe, &[]);
    let full = started.elapsed();
    fs::remove_dir_all(&probe).unwrap();

    let (mut saw_old, mut saw_new) = (false, false);
    let kills = 16;
    for i in 0..kills {
        let delay = full.mul_f64(1.2 * f64::from(i) / f64::from(kills));
        let mut child = Command::new(env!("CARGO_BIN_EXE_framewright"))
            .args(["build", project.path().to_str().unwrap(), "--dest-dir"])
            .arg(&site)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();
        let state = snapshot(&site);
        if state == old {
            saw_old = true;
        } else if state == new {
            saw_new = true;
            // Back to the old site for the next kill.
            write_project(project.path(), 60, "v1");
            build_into(project.path(), &site, &[]);
            write_project(project.path(), 60, "v2");
        } else {
            panic!("kill after {delay:?} left a site that is neither the old nor the new one");
        }
    }
    assert!(saw_old, "no kill landed before the commit");
    // Whatever the kills left beside the site, the next build takes away.
    build_into(project.path(), &site, &[]);
    assert_eq!(snapshot(&site), new);
    assert_eq!(
        beside(out.path(), "site"),
        Vec::<String>::new(),
        "{saw_new}"
    );
}

/// Runs `script` (sh) in a private user and mount namespace, where it may mount a small
/// tmpfs; None when this system does not allow that.
fn in_namespace(script: &str) -> Option<std::process::Output> {
    let probe = Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount", "true"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        if std::env::var_os("CI").is_some() {
            panic!("unshare --user --mount is needed for the out-of-space tests in CI");
        }
        eprintln!("skipped: needs `unshare --user --mount` (util-linux, user namespaces) to mount a small tmpfs");
        return None;
    }
    Some(
        Command::new("unshare")
            .args(["--user", "--map-root-user", "--mount", "sh", "-c", script])
            .env("NO_COLOR", "1")
            .output()
            .unwrap(),
    )
}

#[test]
fn running_out_of_inodes_or_bytes_leaves_the_old_site() {
    let project = tempfile::tempdir().unwrap();
    write_project(project.path(), 30, "v1");
    // The tmpfs gets room for the first site and a little more: too little for a rebuild
    // that changes every category page (by inodes: the staging folder's own folders).
    for limit in ["size=$((used + 96))k", "nr_inodes=$((iused + 24))"] {
        let mount = tempfile::tempdir().unwrap();
        let bin = env!("CARGO_BIN_EXE_framewright");
        let dir = project.path().display();
        let at = mount.path().display();
        let script = format!(
            "set -e; mount -t tmpfs -o size=64m none {at}; \
             {bin} build {dir} --dest-dir {at}/site >/dev/null; \
             used=$(df --output=used -k {at} | tail -n 1); iused=$(df --output=iused {at} | tail -n 1); \
             mount -o remount,{limit} {at}; \
             for f in {dir}/content/identify/c*.md; do sed -i 's/v1/v2/' $f; done; \
             if {bin} build {dir} --dest-dir {at}/site 2>{at}/err; then echo BUILT; else echo FAILED $?; fi; \
             cat {at}/err; \
             find {at} -maxdepth 1 | sort; \
             grep -rl 'v2' {at}/site | wc -l; \
             for f in {dir}/content/identify/c*.md; do sed -i 's/v2/v1/' $f; done"
        );
        let Some(output) = in_namespace(&script) else {
            return;
        };
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{limit}: {stdout}\n{stderr}");
        assert!(
            stdout.contains("FAILED 2"),
            "{limit}: the rebuild must fail: {stdout}"
        );
        assert!(stdout.contains("No space left"), "{limit}: {stdout}");
        let listed: Vec<&str> = stdout.lines().filter(|l| l.starts_with('/')).collect();
        assert_eq!(
            listed.len(),
            3,
            "{limit}: only the site and the error file: {listed:?}"
        );
        assert_eq!(
            stdout.lines().last(),
            Some("0"),
            "{limit}: no page of v2 reached the site"
        );
    }
}

#[test]
fn a_killed_builds_staging_folder_is_removed_by_the_next_build() {
    let project = project_copy("minimal");
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let left = out.path().join(".site.building-left");
    fs::create_dir_all(left.join("deep")).unwrap();
    fs::write(left.join("deep/page.html"), "half a site").unwrap();
    fs::write(left.join(".framewright-staging"), "0").unwrap();
    build_into(project.path(), &site, &[]);
    assert!(!left.exists());
}
