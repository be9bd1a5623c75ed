//! `framewright init`: a new framework project with the five TS 27110 concepts.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

/// The five concepts of ISO/IEC TS 27110: folder, id, title, a placeholder sentence of our own.
const CONCEPTS: [(&str, &str, &str, &str); 5] = [
    (
        "identify",
        "ID",
        "Identify",
        "Know what the organisation has, what it depends on and which risks matter most.",
    ),
    (
        "protect",
        "PR",
        "Protect",
        "Put safeguards in place so that essential services keep running.",
    ),
    (
        "detect",
        "DE",
        "Detect",
        "Notice cybersecurity events quickly and tell them apart from normal activity.",
    ),
    (
        "respond",
        "RS",
        "Respond",
        "Act on a detected incident to contain it and limit its effects.",
    ),
    (
        "recover",
        "RC",
        "Recover",
        "Restore what an incident affected and learn from it.",
    ),
];

/// The files a new project starts with, relative to its folder (the Pages workflow is
/// placed by [`init`], which knows where the git repository's root is).
pub fn scaffold(title: &str) -> Vec<(PathBuf, String)> {
    let mut files = vec![
        (PathBuf::from("book.toml"), book_toml(title)),
        (PathBuf::from(".gitignore"), "/book/\n".to_string()),
        (
            PathBuf::from("content/_index.md"),
            format!(
                "---\ntitle: {title}\ndescription: What this framework is for, in one sentence.\n---\n\
                 Say here who the framework is for and how to read it. Each concept below is split into\n\
                 categories and subcategories, and each item cites the clauses of standards that help to\n\
                 implement it.\n"
            ),
        ),
    ];
    for (order, (folder, id, name, summary)) in CONCEPTS.iter().enumerate() {
        files.push((
            PathBuf::from(format!("content/{folder}/_index.md")),
            format!(
                "---\nid: {id}\ntitle: {name}\norder: {}\ndescription: {summary}\n---\n\
                 Describe the {name} concept here, then add its categories as files or folders beside\n\
                 this one (for example `{folder}/first-category.md` with `id: {id}.XX`).\n",
                order + 1
            ),
        ));
    }
    files
}

fn book_toml(title: &str) -> String {
    format!(
        "[book]\ntitle = {title:?}\ndescription = \"\"\nauthors = []\nlanguage = \"en\"\nversion = \"0.1\"\n\n\
         [build]\ncontent-dir = \"content\"\nbuild-dir = \"{BUILD_DIR}\"\n\n\
         [site]\n# \"https://org.github.io/repo/\" for a GitHub Pages project site\nbase-url = \"/\"\n\n\
         [framework]\nrequired-concepts = [\"Identify\", \"Protect\", \"Detect\", \"Respond\", \"Recover\"]\nstrict = false\n"
    )
}

/// The build folder of a new project (`[build] build-dir`), which the workflow uploads.
const BUILD_DIR: &str = "book";

/// Where the workflow goes, relative to the git repository's root.
const WORKFLOW: &str = ".github/workflows/pages.yml";

/// framewright's git repository (Cargo.toml's `repository`): the Pages workflow installs
/// framewright from there.
pub const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

/// The release the Pages workflow installs: this framewright's own version, whose tag is
/// `v` + version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// A GitHub Actions workflow that installs framewright (compiled once per version, then
/// restored from the cache), builds the site for its Pages address and publishes it with
/// the official Pages actions. `folder` is the project's folder relative to the
/// repository's root (`None` when the project is the root).
pub fn pages_workflow(folder: Option<&str>) -> String {
    let (defaults, artifact) = match folder {
        Some(folder) => (
            format!(
                "    defaults:\n      run:\n        # The project's folder in the repository.\n        \
                 working-directory: {}\n",
                yaml_string(folder)
            ),
            yaml_string(&format!("{folder}/{BUILD_DIR}")),
        ),
        None => (String::new(), BUILD_DIR.to_string()),
    };
    format!(
        r#"# Builds the framework with framewright and publishes it on GitHub Pages.
# Once, in the repository's Settings -> Pages, set Source to "GitHub Actions"; then every
# push to main deploys.
name: Publish framework
on:
  push:
    branches: [main]
  workflow_dispatch:
permissions:
  contents: read
  pages: write
  id-token: write
concurrency:
  group: pages
  cancel-in-progress: false
env:
  # The framewright release that builds the site (its git tag is "v" + this). To upgrade,
  # change it here: the next deploy compiles that release once and caches it.
  FRAMEWRIGHT_VERSION: "{VERSION}"
jobs:
  build:
    runs-on: ubuntu-latest
{defaults}    steps:
      - uses: actions/checkout@v4
      - id: pages
        uses: actions/configure-pages@v5
      # framewright is compiled on the first deploy of a version only; later deploys
      # restore the binary from this cache in seconds.
      - id: framewright-cache
        uses: actions/cache@v4
        with:
          path: ~/.cargo/bin/framewright
          key: framewright-${{{{ env.FRAMEWRIGHT_VERSION }}}}-${{{{ runner.os }}}}-${{{{ runner.arch }}}}
      - name: Install framewright
        if: steps.framewright-cache.outputs.cache-hit != 'true'
        env:
          # Without link-time optimisation: compiles in a fraction of the time, and a
          # site builds only slightly slower.
          CARGO_PROFILE_RELEASE_LTO: "false"
          CARGO_PROFILE_RELEASE_CODEGEN_UNITS: "16"
        # From framewright's git repository at the release's tag. From crates.io instead,
        # replace the `run:` line with
        #   run: cargo install framewright --version "$FRAMEWRIGHT_VERSION" --locked
        # or, for the release's prebuilt binary in seconds, add the step
        # `- uses: cargo-bins/cargo-binstall@main` before this one and replace it with
        #   run: cargo binstall framewright --version "$FRAMEWRIGHT_VERSION" --no-confirm
        run: cargo install framewright --git {REPOSITORY} --tag "v$FRAMEWRIGHT_VERSION" --locked
      - name: Build
        run: framewright build --base-url "${{{{ steps.pages.outputs.base_url }}}}/"
      - uses: actions/upload-pages-artifact@v4
        with:
          path: {artifact}
  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{{{ steps.deployment.outputs.page_url }}}}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"#
    )
}

/// A YAML string for a path: plain when it is only safe characters, else single-quoted.
fn yaml_string(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_' | '.'))
        && !text.starts_with(['-', '.']);
    if plain {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "''"))
    }
}

/// The root of the git repository that `dir` is in (a folder with `.git`), as an absolute
/// path, together with `dir` made absolute the same way. `dir` need not exist yet.
fn git_root(dir: &Path) -> Option<(PathBuf, PathBuf)> {
    let absolute = std::path::absolute(dir).ok()?;
    // Resolve symbolic links in the part that exists, so that the two paths compare.
    let existing = absolute.ancestors().find(|a| a.exists())?;
    let rest = absolute.strip_prefix(existing).ok()?;
    let dir = existing.canonicalize().ok()?.join(rest);
    let root = dir.ancestors().find(|a| a.join(".git").exists())?;
    Some((root.to_path_buf(), dir))
}

/// Where the workflow is written, relative to the project's folder, and the project's
/// folder relative to the repository's root: at the root of the enclosing git repository
/// when there is one above the project (GitHub reads workflows only there), else in the
/// project.
fn workflow_place(dir: &Path) -> (PathBuf, Option<String>) {
    let Some((root, dir)) = git_root(dir) else {
        return (PathBuf::from(WORKFLOW), None);
    };
    let Ok(folder) = dir.strip_prefix(&root) else {
        return (PathBuf::from(WORKFLOW), None);
    };
    let parts: Vec<String> = folder
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.is_empty() {
        return (PathBuf::from(WORKFLOW), None);
    }
    let up: PathBuf = parts.iter().map(|_| "..").collect();
    (up.join(WORKFLOW), Some(parts.join("/")))
}

/// Writes a new project into `dir`, and its Pages workflow (at the git repository's root
/// when `dir` is inside one); refuses, writing nothing, when any file already exists.
/// Returns the files written, relative to `dir`.
pub fn init(dir: &Path, title: &str) -> Result<Vec<PathBuf>> {
    let mut files = scaffold(title);
    let (workflow, folder) = workflow_place(dir);
    files.push((workflow, pages_workflow(folder.as_deref())));
    let existing: Vec<String> = files
        .iter()
        .map(|(rel, _)| dir.join(rel))
        .filter(|path| path.exists())
        .map(|path| path.display().to_string())
        .collect();
    if !existing.is_empty() {
        bail!(
            "refusing to overwrite existing files:\n  {}\nchoose an empty folder, or move these away",
            existing.join("\n  ")
        );
    }
    let mut written = Vec::new();
    for (rel, text) in files {
        let path = dir.join(&rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
        written.push(rel);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_project_in_a_subfolder_of_a_repository_gets_the_workflow_at_the_root() {
        let repo = tempfile::tempdir().unwrap();
        fs::create_dir(repo.path().join(".git")).unwrap();
        let (path, folder) = workflow_place(&repo.path().join("docs/my framework"));
        assert_eq!(path, Path::new("../../.github/workflows/pages.yml"));
        assert_eq!(folder.as_deref(), Some("docs/my framework"));
        let text = pages_workflow(folder.as_deref());
        assert!(
            text.contains("working-directory: 'docs/my framework'\n"),
            "{text}"
        );
        assert!(text.contains("path: 'docs/my framework/book'\n"), "{text}");
        let (path, folder) = workflow_place(repo.path());
        assert_eq!((path.to_str(), folder), (Some(WORKFLOW), None));
    }
}
