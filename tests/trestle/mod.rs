#![allow(dead_code)]

//! An independent OSCAL validator for the tests: compliance-trestle from PyPI, installed on
//! first use into a virtual environment under `target/tmp/` and reused afterwards.
//!
//! Set-up is safe to run from parallel tests and parallel `cargo test` runs: within a test
//! binary one thread installs while the others wait; between processes each installs into
//! a folder of its own and the first to finish renames it into place. Without python3 or
//! a reachable package registry the validation is skipped with one line on standard error
//! that says what is missing; under CI (`CI=true`, as GitHub Actions and `.ci/run` set it)
//! the set-up panics with pip's message instead: CI never skips.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The pinned validator: the OSCAL models (1.1.x catalogs, 1.2 mapping collections) it
/// enforces change between releases.
const PACKAGE: &str = "compliance-trestle==5.2.0";

/// Written into the environment once trestle is installed and importable.
const READY: &str = "framewright-trestle-ready";

/// The Python that has trestle installed, or `None` (after one line on standard error)
/// when it cannot be set up outside CI.
pub fn python() -> Option<&'static Path> {
    static PYTHON: OnceLock<Option<PathBuf>> = OnceLock::new();
    PYTHON
        .get_or_init(|| match install() {
            Ok(python) => Some(python),
            Err(message) if in_ci() => panic!("{message}"),
            Err(message) => {
                skip(&message);
                None
            }
        })
        .as_deref()
}

/// CI sets `CI=true` (GitHub Actions, `.ci/run`): there a validator that cannot be set
/// up is a failure, not a skip.
fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|value| !value.is_empty() && value != "false" && value != "0")
}

/// One line, written past the test harness's capture so that it shows in a passing run.
fn skip(message: &str) {
    // What failed and the first line of why (pip's messages run to many lines).
    let lines: Vec<&str> = message
        .lines()
        .map(|line| line.trim().trim_end_matches(':'))
        .filter(|line| !line.is_empty())
        .take(2)
        .collect();
    let reason = lines.join(": ");
    let _ = writeln!(
        std::io::stderr(),
        "skipping OSCAL validation by compliance-trestle ({reason}): install python3 with \
         venv and let pip reach PyPI, then run `cargo test` again (with CI=true this fails)"
    );
}

fn interpreter(venv: &Path) -> PathBuf {
    if cfg!(windows) {
        venv.join("Scripts/python.exe")
    } else {
        venv.join("bin/python")
    }
}

fn install() -> Result<PathBuf, String> {
    let base = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let venv = base.join("trestle-venv");
    if venv.join(READY).is_file() {
        return Ok(interpreter(&venv));
    }
    let staging = base.join(format!("trestle-venv.{}", std::process::id()));
    let _ = fs::remove_dir_all(&staging);
    run(
        Command::new("python3").arg("-m").arg("venv").arg(&staging),
        "create a virtual environment (is python3 with venv installed?)",
    )?;
    run(
        Command::new(interpreter(&staging)).args([
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "--quiet",
            PACKAGE,
        ]),
        "install compliance-trestle from PyPI (is the package registry reachable?)",
    )?;
    run(
        Command::new(interpreter(&staging)).args(["-c", "import trestle.oscal.catalog"]),
        "import trestle",
    )?;
    fs::write(staging.join(READY), PACKAGE).unwrap();
    if fs::rename(&staging, &venv).is_err() {
        // Another run finished first (its environment is used), or a broken one is in the way.
        if !venv.join(READY).is_file() {
            let _ = fs::remove_dir_all(&venv);
            if fs::rename(&staging, &venv).is_ok() {
                return Ok(interpreter(&venv));
            }
        }
        let _ = fs::remove_dir_all(&staging);
    }
    if !venv.join(READY).is_file() {
        return Err(format!(
            "trestle set-up left no environment at {}",
            venv.display()
        ));
    }
    Ok(interpreter(&venv))
}

fn run(command: &mut Command, what: &str) -> Result<(), String> {
    let output = command
        .output()
        .map_err(|err| format!("cannot {what}: {err}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "cannot {what}:\n{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

const VALIDATE: &str = r#"
import pathlib, sys
from trestle.oscal.catalog import Catalog
from trestle.oscal.mapping import MappingCollection
from trestle.oscal.profile import Profile
models = {"catalog": Catalog, "mapping": MappingCollection, "profile": Profile}
failed = 0
for arg in sys.argv[1:]:
    kind, path = arg.split("=", 1)
    try:
        models[kind].oscal_read(pathlib.Path(path))
        print("valid", kind, path)
    except Exception as err:
        failed += 1
        print("INVALID", kind, path, err, file=sys.stderr)
sys.exit(1 if failed else 0)
"#;

/// Reads each file with trestle's model of its kind (`catalog`, `mapping` or `profile`); the
/// error holds trestle's messages when any is invalid. `None` when trestle is not available
/// (outside CI only; see [`python`]).
pub fn check(files: &[(&str, &Path)]) -> Option<Result<(), String>> {
    for (_, path) in files {
        assert!(path.is_file(), "{} was not written", path.display());
    }
    let mut command = Command::new(python()?);
    command.arg("-c").arg(VALIDATE);
    for (kind, path) in files {
        command.arg(format!("{kind}={}", path.display()));
    }
    let output = command.output().expect("trestle runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let valid = stdout.lines().filter(|l| l.starts_with("valid ")).count();
    Some(if output.status.success() && valid == files.len() {
        Ok(())
    } else {
        Err(format!(
            "{}\n{stdout}",
            String::from_utf8_lossy(&output.stderr)
        ))
    })
}

/// Like [`check`], panicking when any file is invalid; does nothing when trestle is not
/// available (outside CI only).
pub fn validate(files: &[(&str, &Path)]) {
    if let Some(Err(message)) = check(files) {
        panic!("trestle rejects OSCAL written by framewright:\n{message}");
    }
}

/// Validates OSCAL catalogs.
pub fn validate_catalogs(files: &[PathBuf]) {
    let files: Vec<(&str, &Path)> = files.iter().map(|f| ("catalog", f.as_path())).collect();
    validate(&files);
}
