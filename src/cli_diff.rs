//! The `diff` command of the command line: reading the two versions, printing the result.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::ValueEnum;
use framewright::diff::{self, report, Source, SourceError, VersionName};

/// The formats of `framewright diff`.
#[derive(Clone, Copy, ValueEnum)]
pub enum DiffFormat {
    /// Text for people: counts, then every changed item grouped by concept, statements as
    /// word diffs (`[-old-]{+new+}`).
    Human,
    /// One JSON document: both versions, counts, every changed item with its changes.
    Json,
    /// One row per item of either version, unchanged ones included (like the comparison
    /// workbooks published beside framework revisions).
    Csv,
    /// An OSCAL 1.2 mapping collection from the old version to the new one.
    OscalMapping,
}

/// The arguments of `framewright diff`.
pub struct DiffArgs {
    /// The positional arguments (OLD NEW, or NEW with --rev).
    pub versions: Vec<String>,
    /// `--rev`.
    pub rev: Option<String>,
    /// `--format`.
    pub format: DiffFormat,
    /// `-o`.
    pub output: Option<PathBuf>,
    /// `-v`: print the time of each stage.
    pub verbose: bool,
}

/// `framewright diff`.
pub fn run(args: DiffArgs) -> ExitCode {
    let (old, new) = match sources(&args) {
        Ok(pair) => pair,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let started = Instant::now();
    let (old_framework, new_framework) =
        rayon::join(|| diff::source::load(&old), || diff::source::load(&new));
    let (old_framework, new_framework) = match (old_framework, new_framework) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(err), _) | (_, Err(err)) => {
            eprintln!("error: {err}");
            return match err {
                SourceError::Content { .. } => ExitCode::from(1),
                SourceError::Unreadable { .. } => ExitCode::from(2),
            };
        }
    };
    let old_name = VersionName::of(&old_framework, &old.describe());
    let new_name = VersionName::of(&new_framework, &new.describe());
    let loaded = started.elapsed();
    let started = Instant::now();
    let found = diff::diff(&old_framework, &new_framework);
    let compared = started.elapsed();
    let started = Instant::now();
    let bytes = match args.format {
        DiffFormat::Human => report::human(&found, &old_name, &new_name).into_bytes(),
        DiffFormat::Json => pretty(&report::json(&found, &old_name, &new_name)),
        DiffFormat::Csv => report::csv(&found),
        DiffFormat::OscalMapping => pretty(&framewright::export::changes::changes_mapping(
            &found, &old_name, &new_name,
        )),
    };
    let formatted = started.elapsed();
    if args.verbose {
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
        eprintln!(
            "  load {:.1} ms, compare {:.1} ms, output {:.1} ms ({} and {} items)",
            ms(loaded),
            ms(compared),
            ms(formatted),
            found.entries.iter().filter(|e| e.old.is_some()).count(),
            found.entries.iter().filter(|e| e.new.is_some()).count(),
        );
    }
    let summary = report::summary(&found);
    // One run, then exit: the system takes the memory back faster than freeing two
    // frameworks item by item.
    std::mem::forget((old_framework, new_framework, found));
    let written = match &args.output {
        Some(path) => write_whole(path, &bytes),
        None => {
            // A reader that goes away (`| head`) ends the output quietly.
            let _ = std::io::stdout().lock().write_all(&bytes);
            Ok(())
        }
    };
    match written {
        Ok(()) => {
            if let Some(path) = &args.output {
                eprintln!("Wrote {} ({summary})", path.display());
            }
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// The two versions the arguments name.
fn sources(args: &DiffArgs) -> Result<(Source, Source), String> {
    let versions = &args.versions;
    let (old_arg, new_arg) = match (&args.rev, versions.as_slice()) {
        (Some(rev), []) => (format!("git:{rev}"), ".".to_string()),
        (Some(rev), [new]) => (format!("git:{rev}"), new.clone()),
        (Some(_), _) => return Err("with --rev, give only the NEW version (default: `.`)".into()),
        (None, [old, new]) => (old.clone(), new.clone()),
        (None, _) => {
            return Err("give two versions, OLD and NEW, or `--rev REV` to compare the project with one of its git revisions".into())
        }
    };
    // A git revision is one of the project that the other argument names (or `.`).
    let project_of = |other: &str| -> PathBuf {
        let path = Path::new(other);
        if !other.starts_with("git:") && path.is_dir() {
            path.to_path_buf()
        } else {
            PathBuf::from(".")
        }
    };
    let old = Source::parse(&old_arg, &project_of(&new_arg));
    let new = Source::parse(&new_arg, &project_of(&old_arg));
    Ok((old, new))
}

fn pretty(value: &serde_json::Value) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// Writes `bytes` to `path` whole or not at all: into a temporary file beside it, renamed
/// into place at the end.
fn write_whole(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)
        .map_err(|err| anyhow::anyhow!("cannot create {}: {err}", dir.display()))?;
    let mut file = tempfile::NamedTempFile::new_in(dir)
        .map_err(|err| anyhow::anyhow!("cannot write in {}: {err}", dir.display()))?;
    file.write_all(bytes)
        .map_err(|err| anyhow::anyhow!("cannot write {}: {err}", path.display()))?;
    file.persist(path)
        .map_err(|err| anyhow::anyhow!("cannot write {}: {}", path.display(), err.error))?;
    Ok(())
}
