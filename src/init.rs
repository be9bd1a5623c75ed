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

/// The files a new project starts with, relative to its folder.
pub fn scaffold(title: &str) -> Vec<(PathBuf, String)> {
    let mut files = vec![
        (PathBuf::from("book.toml"), book_toml(title)),
        (PathBuf::from(".gitignore"), "/book/\n".to_string()),
        (PathBuf::from(".github/workflows/pages.yml"), PAGES_WORKFLOW.to_string()),
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
         [build]\ncontent-dir = \"content\"\nbuild-dir = \"book\"\n\n\
         [site]\n# \"https://org.github.io/repo/\" for a GitHub Pages project site\nbase-url = \"/\"\n\n\
         [framework]\nrequired-concepts = [\"Identify\", \"Protect\", \"Detect\", \"Respond\", \"Recover\"]\nstrict = false\n"
    )
}

/// A GitHub Actions workflow that builds the site and publishes it with the official Pages actions.
pub const PAGES_WORKFLOW: &str = r#"name: Publish framework
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
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - id: pages
        uses: actions/configure-pages@v5
      - name: Install framewright
        run: cargo install framewright --locked
      - name: Build
        run: framewright build --base-url "${{ steps.pages.outputs.base_url }}/"
      - uses: actions/upload-pages-artifact@v4
        with:
          path: book
  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"#;

/// Writes a new project into `dir`; refuses, writing nothing, when any file already exists.
pub fn init(dir: &Path, title: &str) -> Result<Vec<PathBuf>> {
    let files = scaffold(title);
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
