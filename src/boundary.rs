//! The project's edge: paths and symbolic links that lead out of the project folder.
//!
//! Nothing outside the project is read unless the author opts in with
//! `[build] follow-symlinks = true`: a path that resolves outside is an error by default
//! and a warning with the opt-in. A link that stays inside the project is fine.

use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Span};

/// Where the project ends, and whether paths beyond it may be read.
#[derive(Debug, Clone)]
pub struct Boundary {
    /// The project folder, with every symbolic link resolved.
    root: PathBuf,
    /// `[build] follow-symlinks`: read what lies outside, with a warning.
    follow: bool,
}

/// What to do with a path checked against the boundary.
#[derive(Debug)]
pub enum Crossing {
    /// It stays inside the project (or does not exist): read it.
    Inside,
    /// It leads outside and the author allowed it: read it, and report the warning.
    Followed(Diagnostic),
    /// It leads outside: do not read it, and report the error.
    Refused(Diagnostic),
}

impl Boundary {
    /// The boundary of the project folder `project`.
    pub fn new(project: &Path, follow: bool) -> Boundary {
        let root = project
            .canonicalize()
            .unwrap_or_else(|_| project.to_path_buf());
        Boundary { root, follow }
    }

    /// True when `path` (resolved, links and `..` included) lies inside the project, or
    /// cannot be resolved (a missing or broken path reads nothing outside).
    pub fn contains(&self, path: &Path) -> bool {
        path.canonicalize()
            .map_or(true, |real| real.starts_with(&self.root))
    }

    /// True when `path` may be read: inside the project, or outside with the opt-in.
    pub fn allows_reading(&self, path: &Path) -> bool {
        self.follow || self.contains(path)
    }

    /// Checks `path`, shown as `display` in diagnostics. `what` names it in the message
    /// ("symbolic link", "content folder").
    pub fn check(&self, path: &Path, display: &str, what: &str) -> Crossing {
        if self.contains(path) {
            return Crossing::Inside;
        }
        self.crossing(Span::file(display), what)
    }

    /// The crossing for a path known to lead outside, reported at `span`.
    pub fn crossing(&self, span: Span, what: &str) -> Crossing {
        // The target is not named: the message must not tell what lies outside either.
        if self.follow {
            Crossing::Followed(
                Diagnostic::warning(
                    "W0034",
                    format!(
                        "{what} leads outside the project; read because `follow-symlinks = true`"
                    ),
                )
                .at(span)
                .help("files outside the project are published as if they were part of it"),
            )
        } else {
            Crossing::Refused(
                Diagnostic::error("E0033", format!("{what} leads outside the project; not read"))
                    .at(span)
                    .help("copy the file into the project, or set `[build] follow-symlinks = true` in book.toml to read it anyway"),
            )
        }
    }
}

impl Crossing {
    /// Pushes the diagnostic (if any) to `diagnostics`; true when the path may be read.
    pub fn allows(self, diagnostics: &mut Vec<Diagnostic>) -> bool {
        match self {
            Crossing::Inside => true,
            Crossing::Followed(warning) => {
                diagnostics.push(warning);
                true
            }
            Crossing::Refused(error) => {
                diagnostics.push(error);
                false
            }
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn links_out_are_refused_unless_followed_and_links_in_are_fine() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("project");
        std::fs::create_dir_all(project.join("content")).unwrap();
        std::fs::write(dir.path().join("secret"), "s").unwrap();
        std::fs::write(project.join("content/a.md"), "a").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret"), project.join("out")).unwrap();
        std::os::unix::fs::symlink(project.join("content/a.md"), project.join("in")).unwrap();
        let strict = Boundary::new(&project, false);
        assert!(matches!(
            strict.check(&project.join("in"), "in", "x"),
            Crossing::Inside
        ));
        let Crossing::Refused(error) = strict.check(&project.join("out"), "out", "symbolic link")
        else {
            panic!("a link out of the project must be refused");
        };
        assert_eq!(error.code, "E0033");
        assert!(!error.message.contains("secret"));
        let lenient = Boundary::new(&project, true);
        assert!(matches!(
            lenient.check(&project.join("out"), "out", "symbolic link"),
            Crossing::Followed(_)
        ));
        assert!(matches!(
            strict.check(&project.join("../secret"), "x", "content folder"),
            Crossing::Refused(_)
        ));
    }
}
