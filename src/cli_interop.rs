//! The `export` and `import` commands of the command line (printing and exit codes only).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Subcommand, ValueEnum};
use framewright::export::ExportFormat;
use framewright::import::{self, ImportError, OscalRequest};
use framewright::oscal::baseline;
use framewright::{BuildError, Project};

/// The formats of `framewright export`.
#[derive(Clone, Copy, ValueEnum)]
pub enum ExportAs {
    /// framework.json: every item with its citations, and the reference index.
    Json,
    /// framework.csv: one row per item.
    Csv,
    /// An OSCAL 1.1 catalog (JSON), as `oscal/catalog.json` of every build.
    Oscal,
    /// The crosswalks' mappings as CSV (`crosswalk/mappings.csv`).
    Crosswalk,
    /// The crosswalks as an OSCAL 1.2 mapping collection (`oscal/mapping-collection.json`).
    Mapping,
    /// An OSCAL profile selecting the controls of one baseline (needs --baseline NAME).
    OscalProfile,
}

impl ExportAs {
    /// The export every build also writes, for the formats that are one.
    fn build_format(self) -> Option<ExportFormat> {
        match self {
            ExportAs::Json => Some(ExportFormat::Json),
            ExportAs::Csv => Some(ExportFormat::Csv),
            ExportAs::Oscal => Some(ExportFormat::Oscal),
            ExportAs::Crosswalk => Some(ExportFormat::Crosswalk),
            ExportAs::Mapping => Some(ExportFormat::Mapping),
            ExportAs::OscalProfile => None,
        }
    }
}

/// What `framewright import` reads.
#[derive(Subcommand)]
pub enum ImportSource {
    /// An OSCAL catalog or profile in JSON, YAML or XML (the format is read from the
    /// content), such as NIST SP 800-53: groups become concepts, controls categories,
    /// control enhancements subcategories. A profile is resolved against its catalog into a
    /// new project. `--baseline LOW=low-profile.json` (repeatable) marks which controls each
    /// baseline selects, on the new project or, without FILE, on the project in --into.
    /// Never overwrites a file unless --force; writes nothing when anything fails.
    Oscal {
        /// The catalog or profile (`catalog.json`, `.yaml` or `.xml`).
        #[arg(required_unless_present = "baseline")]
        file: Option<PathBuf>,
        /// The catalog a profile imports (default: the file its `href` names, beside it).
        #[arg(long, value_name = "CATALOG")]
        catalog: Option<PathBuf>,
        /// A baseline to mark on the controls: NAME=PROFILE (repeat for each baseline).
        #[arg(long, value_name = "NAME=PROFILE")]
        baseline: Vec<String>,
        /// The project folder to write (created when missing). Default: a folder named
        /// after the file (`catalog.json` -> `catalog/`) in the current folder; with
        /// --baseline and no FILE, the project in the current folder.
        #[arg(long, value_name = "DIR")]
        into: Option<PathBuf>,
        /// Overwrite files that already exist.
        #[arg(long)]
        force: bool,
    },
}

/// `framewright export`: writes one export of a project that has no errors; with a
/// baseline, the OSCAL catalog or profile of that baseline's controls.
pub fn export(
    dir: &Path,
    format: ExportAs,
    baseline: Option<&str>,
    output: Option<&Path>,
) -> ExitCode {
    let usage = match (format, baseline) {
        (ExportAs::OscalProfile, None) => Some("--format oscal-profile needs --baseline NAME"),
        (ExportAs::Json | ExportAs::Csv | ExportAs::Crosswalk | ExportAs::Mapping, Some(_)) => {
            Some("--baseline goes with --format oscal or --format oscal-profile")
        }
        (ExportAs::Oscal | ExportAs::OscalProfile, Some(_))
        | (ExportAs::Json | ExportAs::Csv | ExportAs::Oscal | ExportAs::Crosswalk, None)
        | (ExportAs::Mapping, None) => None,
    };
    if let Some(message) = usage {
        eprintln!("error: {message}");
        return ExitCode::from(2);
    }
    let project = match Project::open(dir, None) {
        Ok(project) => project,
        Err(err) => return crate::fail(err, dir, "export failed"),
    };
    if project.has_errors() {
        let diagnostics = project.diagnostics;
        return crate::fail(BuildError::Content(diagnostics), dir, "export failed");
    }
    crate::print_diagnostics(&project.diagnostics, dir);
    let (framework, index) = (&project.framework, &project.index);
    let bytes = match (format.build_format(), baseline) {
        (Some(format), None) => {
            if format.is_crosswalk() && project.crosswalks.is_empty() {
                eprintln!("error: the project has no crosswalks (content/mappings/*.yaml)");
                return ExitCode::from(1);
            }
            Ok(format.render(framework, &project.crosswalks, index))
        }
        (Some(_), Some(name)) => baseline::catalog_json(framework, index, name),
        (None, Some(name)) => baseline::profile_json(framework, index, name),
        (None, None) => Err("--format oscal-profile needs --baseline NAME".into()),
    };
    let bytes = match bytes {
        Ok(bytes) => bytes,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(1);
        }
    };
    let written = match output {
        Some(path) => write_file(path, &bytes),
        None => std::io::stdout().write_all(&bytes).map_err(Into::into),
    };
    match written {
        Ok(()) => {
            if let Some(path) = output {
                eprintln!("Wrote {}", path.display());
            }
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn write_file(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, bytes)
        .map_err(|err| anyhow::anyhow!("cannot write {}: {err}", path.display()))
}

/// `framewright import …`.
pub fn import(source: ImportSource) -> ExitCode {
    let ImportSource::Oscal {
        file,
        catalog,
        baseline,
        into,
        force,
    } = source;
    // A new project goes into a folder of its own, never into the current folder; marking
    // baselines (no FILE) changes the project named, by default the current one.
    let into = match (into, &file) {
        (Some(into), _) => into,
        (None, None) => PathBuf::from("."),
        (None, Some(file)) => match folder_named_after(file) {
            Some(folder) => folder,
            None => {
                eprintln!(
                    "error: cannot name a folder after `{}`; choose one with --into DIR",
                    file.display()
                );
                return ExitCode::from(2);
            }
        },
    };
    let request = OscalRequest {
        file: file.as_deref(),
        catalog: catalog.as_deref(),
        baselines: &baseline,
        into: &into,
        force,
    };
    match import::oscal(&request) {
        Ok(report) if file.is_none() => {
            for note in &report.notes {
                eprintln!("note: {note}");
            }
            eprintln!(
                "Marked baselines {} in {} ({} files changed).",
                baseline.join(", "),
                report.into.display(),
                report.files.len()
            );
            ExitCode::SUCCESS
        }
        Ok(report) => {
            for note in &report.notes {
                eprintln!("note: {note}");
            }
            eprintln!(
                "Imported {} items into {} ({} files).\n\nNext: `framewright check {}`, then `build` or `serve`.",
                report.items,
                report.into.display(),
                report.files.len(),
                report.into.display()
            );
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            match err {
                ImportError::Invalid(_) => ExitCode::from(1),
                ImportError::Exists(_) => {
                    eprintln!("nothing was written; use --force to overwrite");
                    ExitCode::from(2)
                }
                ImportError::Io(_) => ExitCode::from(2),
            }
        }
    }
}

/// The default project folder of an import: the catalog file's name without its extension,
/// in the current folder (never the current folder itself).
fn folder_named_after(catalog: &Path) -> Option<PathBuf> {
    let stem = catalog.file_stem()?.to_str()?;
    let plain = !stem.is_empty() && !stem.starts_with('.');
    plain.then(|| PathBuf::from(stem))
}
