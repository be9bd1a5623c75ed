//! The `framewright` command line: argument parsing and printing, nothing else.

mod cli_diff;
mod cli_interop;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};
use cli_interop::{ExportAs, ImportSource};
use framewright::diagnostics::{self, Diagnostic, Severity};
use framewright::{BuildError, BuildOptions};

/// mimalloc: a build allocates and frees millions of small strings on every core, where
/// the system allocator spent a tenth of the time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Publish a cybersecurity framework (ISO/IEC TS 27110 shape) as a fast, cross-linked website.
#[derive(Parser)]
#[command(name = "framewright", version, about, long_about = None)]
#[command(
    after_help = "Run `framewright <COMMAND> --help` for the options of a command.\n\
    Exit status: 0 success, 1 content errors, 2 usage or I/O errors."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a new framework project: book.toml, the five TS 27110 concepts, a Pages workflow.
    Init {
        /// Folder to create the project in (created when missing).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The framework's title.
        #[arg(long, default_value = "My Cybersecurity Framework")]
        title: String,
    },
    /// Build the site. All or nothing: a failed build leaves the previous output untouched.
    ///
    /// A rebuild updates the existing site in place: only files whose bytes changed are
    /// written, and files the new site no longer has are removed.
    Build {
        /// The project folder (where book.toml is).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Write the site here instead of `[build] build-dir`.
        #[arg(long, short = 'd', value_name = "DIR")]
        dest_dir: Option<PathBuf>,
        /// Override `[site] base-url` (e.g. `/repo/` or `https://org.github.io/repo/`).
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Print the time and peak memory of each stage, and how the render+write time
        /// divides between rendering, the link scan, writing and the exports.
        #[arg(long, short)]
        verbose: bool,
    },
    /// Preview the site: build into memory, serve it, rebuild on every save, reload the browser.
    Serve {
        /// The project folder.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Address to listen on (default `[serve] address` or 127.0.0.1; other addresses
        /// expose the preview to your network).
        #[arg(long, short = 'a')]
        address: Option<String>,
        /// Port to listen on (default `[serve] port` or 3000; the next free port is used when busy).
        #[arg(long, short = 'p')]
        port: Option<u16>,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
    },
    /// Check the project (front matter, ids, links, citations, TS 27110 concepts) without writing.
    Check {
        /// The project folder.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Treat warnings as errors (exit 1).
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Write the framework as data: framework.json, framework.csv, an OSCAL catalog, crosswalks.
    Export {
        /// The project folder.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// What to write.
        #[arg(long, value_enum, default_value_t = ExportAs::Json)]
        format: ExportAs,
        /// Only the controls of this baseline (`baselines:`), with --format oscal (the
        /// resolved catalog) or oscal-profile.
        #[arg(long, value_name = "NAME")]
        baseline: Option<String>,
        /// Write to this file instead of standard output.
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Turn another format (an OSCAL catalog) into a framework project.
    Import {
        #[command(subcommand)]
        source: ImportSource,
    },
    /// Compare two versions of a framework, item by item.
    ///
    /// Each item is reported as added, removed or withdrawn (with where its content went),
    /// renumbered, moved (another parent), renamed (title), reworded (statement, as a word
    /// diff), with citations or parameters added or removed, or unchanged. Items whose ids
    /// changed are paired by `replaces:` and `moved-to:` links; removed and added items
    /// that read much the same are listed as suggestions, never paired silently.
    /// Reformatting alone (YAML style, line wrapping, key order) is not a change.
    ///
    /// A version is a project folder, an OSCAL catalog (a `.json` file), or `git:REV`: the
    /// project as it was at a tag, branch or commit of its git repository.
    #[command(after_help = "Examples:\n  \
        framewright diff releases/0.9 .            two project folders\n  \
        framewright diff --rev v1.0                this project at tag v1.0 against its files now\n  \
        framewright diff rev4.json rev5.json --format csv -o changes.csv\n  \
        framewright diff git:v1.0 git:v2.0 --format oscal-mapping")]
    Diff {
        /// OLD then NEW (with `--rev`, only NEW, default `.`).
        #[arg(value_names = ["OLD", "NEW"], num_args = 0..=2)]
        versions: Vec<String>,
        /// Compare the project (NEW, default `.`) with its own git revision REV (a tag,
        /// branch or commit), as if OLD were `git:REV`.
        #[arg(long, value_name = "REV")]
        rev: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = cli_diff::DiffFormat::Human)]
        format: cli_diff::DiffFormat,
        /// Write to this file instead of standard output (whole or not at all).
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
        /// Print the time of each stage (reading both versions, comparing, formatting).
        #[arg(long, short)]
        verbose: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// Compiler-style messages with source excerpts.
    Human,
    /// One JSON document listing every diagnostic.
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if matches!(cli.command, Command::Build { .. } | Command::Check { .. }) {
        // One run, then exit: the system takes the memory back faster than freeing it.
        framewright::leave_memory_to_exit();
        // A template run that its own checks cannot stop ends the process, named.
        framewright::render::budget::exit_when_stuck(|message| {
            eprintln!("error[E0064]: {message}");
            eprintln!(" = help: look for loops and components that call themselves; raise `[build] render-timeout` in book.toml if the page is just large");
        });
    }
    if let Some(dir) = cli.command.project() {
        if !dir.join("book.toml").exists() {
            let format = if let Command::Check { format, .. } = cli.command {
                format
            } else {
                Format::Human
            };
            return not_a_project(dir, format);
        }
    }
    match cli.command {
        Command::Init { dir, title } => init(&dir, &title),
        Command::Build {
            dir,
            dest_dir,
            base_url,
            verbose,
        } => build(&dir, BuildOptions { dest_dir, base_url }, verbose),
        Command::Check {
            dir,
            format,
            deny_warnings,
        } => check(&dir, format, deny_warnings),
        Command::Export {
            dir,
            format,
            baseline,
            output,
        } => cli_interop::export(&dir, format, baseline.as_deref(), output.as_deref()),
        Command::Import { source } => cli_interop::import(source),
        Command::Diff {
            versions,
            rev,
            format,
            output,
            verbose,
        } => cli_diff::run(cli_diff::DiffArgs {
            versions,
            rev,
            format,
            output,
            verbose,
        }),
        Command::Serve {
            dir,
            address,
            port,
            open,
        } => {
            let options = framewright::serve::ServeOptions {
                address,
                port,
                open,
            };
            match framewright::serve::serve(&dir, options, color()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) => {
                    eprintln!("error: {err:#}");
                    ExitCode::from(2)
                }
            }
        }
    }
}

impl Command {
    /// The project folder a command reads, for the commands that need an existing project.
    fn project(&self) -> Option<&Path> {
        match self {
            Command::Build { dir, .. }
            | Command::Serve { dir, .. }
            | Command::Check { dir, .. }
            | Command::Export { dir, .. } => Some(dir),
            // diff compares versions that may be catalogs or folders: it says what it cannot read.
            Command::Init { .. } | Command::Import { .. } | Command::Diff { .. } => None,
        }
    }
}

/// The one answer of every command for a folder without book.toml: one line, exit 2.
fn not_a_project(dir: &Path, format: Format) -> ExitCode {
    let init = if dir == Path::new(".") {
        "framewright init".to_string()
    } else {
        format!("framewright init {}", dir.display())
    };
    let shown = if dir == Path::new(".") {
        std::env::current_dir().map_or(dir.to_path_buf(), |cwd| cwd)
    } else {
        dir.to_path_buf()
    };
    let message = format!(
        "`{}` is not a framewright project (it has no book.toml); to start one there, run `{init}`",
        shown.display()
    );
    check_failed(format, &message)
}

fn color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

fn print_diagnostics(diagnostics: &[Diagnostic], project: &Path) {
    if !diagnostics.is_empty() {
        eprint!(
            "{}",
            diagnostics::render_human(diagnostics, project, color())
        );
    }
}

fn summary(diagnostics: &[Diagnostic]) -> String {
    let count = |severity| {
        diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    };
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let notes = count(Severity::Note);
    format!(
        "{}, {}{}",
        plural(count(Severity::Error), "error"),
        plural(count(Severity::Warning), "warning"),
        if notes == 0 {
            String::new()
        } else {
            format!(", {}", plural(notes, "note"))
        }
    )
}

fn init(dir: &Path, title: &str) -> ExitCode {
    match framewright::init::init(dir, title) {
        Ok(files) => {
            eprintln!("Created a framework project in {}:", dir.display());
            for file in &files {
                eprintln!("  {}", file.display());
            }
            if files.iter().any(|file| file.starts_with("..")) {
                eprintln!(
                    "The Pages workflow is at the root of the git repository that holds the \
                     project (GitHub reads workflows only there); it builds in the project's folder."
                );
            }
            eprintln!(
                "\nNext: `framewright build {}` (or `serve`) to see the site.",
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn build(dir: &Path, options: BuildOptions, verbose: bool) -> ExitCode {
    let started = Instant::now();
    match framewright::build(dir, &options) {
        Ok(report) => {
            print_diagnostics(&report.diagnostics, dir);
            if verbose {
                for timing in &report.timings {
                    let memory = timing.peak_memory.map_or(String::new(), |bytes| {
                        format!("   peak memory {:>5} MB", bytes / 1_000_000)
                    });
                    eprintln!(
                        "  {:<13} {:>8.1} ms{memory}",
                        timing.stage,
                        timing.time.as_secs_f64() * 1000.0
                    );
                }
                let work: Vec<String> = report
                    .work
                    .iter()
                    .map(|(what, time)| format!("{what} {:.1} ms", time.as_secs_f64() * 1000.0))
                    .collect();
                eprintln!("  render+write, summed over threads: {}", work.join(", "));
            }
            let changes = &report.changes;
            let changed = if changes.changed == report.files {
                String::new()
            } else {
                let removed = match changes.removed {
                    0 => String::new(),
                    n => format!(", {n} removed"),
                };
                format!(", {} changed{removed}", changes.changed)
            };
            eprintln!(
                "Built {} pages ({} files{changed}) into {} in {:.2} s{}",
                report.pages,
                report.files,
                report.output.display(),
                started.elapsed().as_secs_f64(),
                if report.diagnostics.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", summary(&report.diagnostics))
                }
            );
            ExitCode::SUCCESS
        }
        // All or nothing: whether or not a site was there before, nothing was written.
        Err(err) => fail(err, dir, "build failed; nothing was written"),
    }
}

fn fail(err: BuildError, dir: &Path, what: &str) -> ExitCode {
    match err {
        BuildError::Content(diagnostics) => {
            print_diagnostics(&diagnostics, dir);
            eprintln!("error: {what} ({})", summary(&diagnostics));
            ExitCode::from(1)
        }
        BuildError::Io(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn check(dir: &Path, format: Format, deny_warnings: bool) -> ExitCode {
    let mut diagnostics = match framewright::check(dir) {
        Ok(diagnostics) | Err(BuildError::Content(diagnostics)) => diagnostics,
        Err(BuildError::Io(err)) => return check_failed(format, &format!("{err:#}")),
    };
    diagnostics::sort(&mut diagnostics);
    let failed = diagnostics.iter().any(|d| {
        d.severity == Severity::Error || (deny_warnings && d.severity == Severity::Warning)
    });
    // Printing stops quietly when the reader goes away (`| head`): no panic on a closed pipe.
    use std::io::Write;
    match format {
        Format::Human => {
            let mut err = std::io::stderr().lock();
            if !diagnostics.is_empty() {
                let text = diagnostics::render_human(&diagnostics, dir, color());
                let _ = err.write_all(text.as_bytes());
            }
            let _ = writeln!(err, "{}", summary(&diagnostics));
        }
        Format::Json => {
            let json = diagnostics::to_json(&diagnostics);
            let text = serde_json::to_string_pretty(&json).unwrap_or_default();
            let _ = writeln!(std::io::stdout().lock(), "{text}");
        }
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// A command could not run (not a project, unreadable files): exit status 2.
fn check_failed(format: Format, message: &str) -> ExitCode {
    use std::io::Write;
    match format {
        Format::Human => {
            let _ = writeln!(std::io::stderr().lock(), "error: {message}");
        }
        Format::Json => {
            let json = serde_json::json!({ "error": message, "diagnostics": [] });
            let _ = writeln!(std::io::stdout().lock(), "{json}");
        }
    }
    ExitCode::from(2)
}
