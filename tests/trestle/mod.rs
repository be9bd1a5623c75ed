#![allow(dead_code)]

//! An independent OSCAL validator for the tests: compliance-trestle from PyPI, installed on
//! first use into a virtual environment under `target/tmp/` and reused afterwards.
//!
//! Set-up is safe to run from parallel tests and parallel `cargo test` runs: within a test
//! binary one thread installs while the others wait; between processes each installs into
//! a folder of its own and the first to finish renames it into place. Without python3 or
//! a reachable package registry the set-up panics with pip's message; it never skips.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The pinned validator: the OSCAL models (1.1.x catalogs, 1.2 mapping collections) it
/// enforces change between releases.
const PACKAGE: &str = "compliance-trestle==5.2.0";

/// Written into the environment once trestle is installed and importable.
const READY: &str = "framewright-trestle-ready";

/// The Python that has trestle installed.
pub fn python() -> &'static Path {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON.get_or_init(install)
}

fn interpreter(venv: &Path) -> PathBuf {
    if cfg!(windows) {
        venv.join("Scripts/python.exe")
    } else {
        venv.join("bin/python")
    }
}

fn install() -> PathBuf {
    let base = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let venv = base.join("trestle-venv");
    if venv.join(READY).is_file() {
        return interpreter(&venv);
    }
    let staging = base.join(format!("trestle-venv.{}", std::process::id()));
    let _ = fs::remove_dir_all(&staging);
    run(
        Command::new("python3").arg("-m").arg("venv").arg(&staging),
        "create a virtual environment (is python3 with venv installed?)",
    );
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
    );
    run(
        Command::new(interpreter(&staging)).args(["-c", "import trestle.oscal.catalog"]),
        "import trestle",
    );
    fs::write(staging.join(READY), PACKAGE).unwrap();
    if fs::rename(&staging, &venv).is_err() {
        // Another run finished first (its environment is used), or a broken one is in the way.
        if !venv.join(READY).is_file() {
            let _ = fs::remove_dir_all(&venv);
            if fs::rename(&staging, &venv).is_ok() {
                return interpreter(&venv);
            }
        }
        let _ = fs::remove_dir_all(&staging);
    }
    assert!(
        venv.join(READY).is_file(),
        "trestle set-up left no environment at {}",
        venv.display()
    );
    interpreter(&venv)
}

fn run(command: &mut Command, what: &str) {
    let output = command
        .output()
        .unwrap_or_else(|err| panic!("cannot {what}: {err}"));
    assert!(
        output.status.success(),
        "cannot {what}:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
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

/// Reads each file with trestle's model of its kind (`catalog`, `mapping` or `profile`); the error
/// holds trestle's messages when any is invalid.
pub fn check(files: &[(&str, &Path)]) -> Result<(), String> {
    for (_, path) in files {
        assert!(path.is_file(), "{} was not written", path.display());
    }
    let mut command = Command::new(python());
    command.arg("-c").arg(VALIDATE);
    for (kind, path) in files {
        command.arg(format!("{kind}={}", path.display()));
    }
    let output = command.output().expect("trestle runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let valid = stdout.lines().filter(|l| l.starts_with("valid ")).count();
    if output.status.success() && valid == files.len() {
        Ok(())
    } else {
        Err(format!(
            "{}\n{stdout}",
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// Like [`check`], panicking when any file is invalid.
pub fn validate(files: &[(&str, &Path)]) {
    if let Err(message) = check(files) {
        panic!("trestle rejects OSCAL written by framewright:\n{message}");
    }
}

/// Validates OSCAL catalogs.
pub fn validate_catalogs(files: &[PathBuf]) {
    let files: Vec<(&str, &Path)> = files.iter().map(|f| ("catalog", f.as_path())).collect();
    validate(&files);
}
