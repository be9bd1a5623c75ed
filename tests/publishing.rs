//! Publishing (issue 5): search index, syntax highlighting, GitHub Pages (workflow, CNAME,
//! base URL), the print edition and page metadata. Builds fixture projects with the binary
//! and reads the files written.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

fn build(project: &Path, extra: &[&str]) -> (tempfile::TempDir, PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let output = build_into(project, &out, extra);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned()
        + &String::from_utf8_lossy(&output.stdout);
    (dir, out, stderr)
}

fn read(site: &Path, rel: &str) -> String {
    fs::read_to_string(site.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn framework_items(site: &Path) -> Vec<Value> {
    let json: Value = serde_json::from_str(&read(site, "framework.json")).unwrap();
    json["items"].as_array().unwrap().clone()
}

/// The object that `search-index.js` assigns to its global.
fn search_index(site: &Path) -> Value {
    let js = read(site, "search-index.js");
    let start = js
        .find("window.FRAMEWRIGHT_SEARCH=")
        .expect("the index assigns window.FRAMEWRIGHT_SEARCH");
    let json = js[start + "window.FRAMEWRIGHT_SEARCH=".len()..]
        .trim_end()
        .trim_end_matches(';');
    serde_json::from_str(json).expect("the index is JSON")
}

fn project_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let project = project_copy("basic");
    for (rel, text) in files {
        let path = project.path().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    project
}

// ---- search -----------------------------------------------------------------------------

#[test]
fn search_index_holds_every_item_with_its_title_url_and_citations() {
    let (_dir, site, _) = build(&fixture("basic"), &[]);
    let index = search_index(&site);
    let kinds: Vec<&str> = index["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap())
        .collect();
    let docs = index["docs"].as_array().unwrap();
    for item in framework_items(&site) {
        let id = item["id"].as_str().unwrap();
        let doc = docs
            .iter()
            .find(|d| d[0] == id)
            .unwrap_or_else(|| panic!("{id} is not in the search index"));
        assert_eq!(doc[4], item["url"], "url of {id}");
        assert_eq!(kinds[doc[2].as_u64().unwrap() as usize], item["kind"]);
        if let Some(title) = item["title"].as_str() {
            assert_eq!(doc[1], title);
        }
        let cites: Vec<&str> = item["references"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["cite"].as_str().unwrap())
            .collect();
        for cite in cites {
            assert!(
                doc[8].as_str().unwrap().contains(cite),
                "{id}: citation {cite} missing from {}",
                doc[8]
            );
        }
        let concept = doc[3].as_i64().unwrap();
        assert!(concept >= 0, "{id} has no concept");
        assert_eq!(docs[concept as usize][2], 1, "concept of {id} is a concept");
    }
    // Words from descriptions and citations of documents are searchable text.
    let text = index.to_string();
    assert!(text.contains("Devices are inventoried."));
    assert!(text.contains("ISO/IEC 27035"));
    // Cited documents are documents of their own.
    assert!(docs
        .iter()
        .any(|d| d[0] == "ISO/IEC 27002" && d[4] == "references/iso-iec-27002/"));
}

#[test]
fn search_scripts_and_page_are_reachable_from_every_page_under_a_sub_path() {
    let (_dir, site, _) = build(&fixture("basic"), &["--base-url", "/some/sub/path/"]);
    let all = files(&site);
    for file in [
        "search/index.html",
        "search-index.js",
        "static/search.js",
        "static/tables.js",
        "static/vendor/minisearch.js",
        "static/vendor/minisearch.LICENSE.txt",
        "static/highlight.css",
        "print/index.html",
    ] {
        assert!(all.contains(file), "missing {file}");
    }
    let search_js = read(&site, "static/search.js");
    assert!(search_js.contains("root + \"search-index.js\""));
    assert!(search_js.contains("root + \"static/vendor/minisearch.js\""));
    // search.js loads the index from the page's data-root: it must lead to the site root.
    for page in all.iter().filter(|f| f.ends_with(".html")) {
        let html = read(&site, page);
        if !html.contains("static/search.js") {
            continue;
        }
        let root = attribute_values(&html, "data-root")
            .pop()
            .unwrap_or_else(|| panic!("{page} has no data-root"));
        let target = format!("{root}search-index.js");
        let file = if let Some(absolute) = target.strip_prefix("/some/sub/path/") {
            absolute.to_string()
        } else {
            resolve_link(page, &target).unwrap().0
        };
        assert_eq!(file, "search-index.js", "{page}: data-root {root}");
        for link in attribute_values(&html, "href")
            .into_iter()
            .chain(attribute_values(&html, "src"))
        {
            let absolute = link.starts_with('/') || link.contains("://");
            assert!(
                !absolute || link.starts_with("/some/sub/path/") || link.starts_with("https://"),
                "{page}: {link} leaves the base path"
            );
        }
    }
    let search = read(&site, "search/index.html");
    assert!(search.contains("data-search-page"));
    assert!(search.contains("data-search-input"));
    assert_links_resolve(&site);
}

#[test]
fn table_rows_carry_the_documents_they_cite_and_the_table_names_them() {
    let (_dir, site, _) = build(&fixture("basic"), &[]);
    let html = read(&site, "identify/asset-management/index.html");
    let names = attribute_values(&html, "data-document-names");
    assert_eq!(names.len(), 1, "one table");
    let names: Value = serde_json::from_str(&names[0].replace("&quot;", "\"")).unwrap();
    let slugs: Vec<String> = attribute_values(&html, "data-documents")
        .iter()
        .flat_map(|d| d.split_whitespace().map(String::from).collect::<Vec<_>>())
        .collect();
    assert!(!slugs.is_empty());
    for slug in slugs {
        let entry = &names[&slug];
        assert!(entry.is_array(), "{slug} not named in {names}");
        assert_eq!(entry[1].as_str().unwrap(), "iso-iec-27002");
    }
}

// ---- syntax highlighting ------------------------------------------------------------------

const CODE_PAGE: &str = "---\nid: ID.CODE\ntitle: Code samples\n---\nA policy as data.\n\n```yaml\npolicy:\n  review: yearly\n```\n\nA check in Rust.\n\n```rust\nfn main() { let n = 1; }\n```\n\nAn unknown language.\n\n```klingon\nqapla'\n```\n";

#[test]
fn fenced_code_is_highlighted_and_unknown_languages_warn() {
    let project = project_with(&[("content/identify/code-samples.md", CODE_PAGE)]);
    let (_dir, site, output) = build(project.path(), &[]);
    let html = read(&site, "identify/code-samples/index.html");
    for language in ["yaml", "rust"] {
        let start = html
            .find(&format!(
                "<pre class=\"hl-code\"><code class=\"language-{language}\">"
            ))
            .unwrap_or_else(|| panic!("no highlighted {language} block in\n{html}"));
        let block = &html[start..start + html[start..].find("</pre>").unwrap()];
        assert!(
            block.contains("<span class=\"hl-source hl-"),
            "{language}: {block}"
        );
    }
    assert!(html.contains("<span class=\"hl-keyword"), "rust keywords");
    assert!(html.contains("<pre><code class=\"language-klingon\">qapla'"));
    // The warning names the file and the fence's line (line 20 of the file).
    assert!(output.contains("W0090"), "{output}");
    assert!(
        output.contains("content/identify/code-samples.md:20"),
        "{output}"
    );
    // Both colour schemes style the classes.
    let css = read(&site, "static/highlight.css");
    assert!(css.contains("@media screen and (prefers-color-scheme: dark)"));
    assert!(css.contains("@media print, (prefers-color-scheme: light)"));
    assert!(css.matches(".hl-keyword").count() >= 2);
    let base = read(&site, "index.html");
    assert!(base.contains("static/highlight.css"));
}

#[test]
fn check_reports_unknown_languages_as_warnings_only() {
    let project = project_with(&[("content/identify/code-samples.md", CODE_PAGE)]);
    let output = framewright(&[
        "check",
        project.path().to_str().unwrap(),
        "--format",
        "json",
    ]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{text}");
    // `check` leaves code unhighlighted, but warns as a build does: once, for the unknown
    // language only, at its fence.
    assert_eq!(text.matches("W0090").count(), 1, "{text}");
    assert!(text.contains("klingon"), "{text}");
    assert!(
        text.contains("\"line\": 20") || text.contains("\"line\":20"),
        "{text}"
    );
}

/// Regenerates `themes/default/static/highlight.css` from syntect's themes when
/// `FRAMEWRIGHT_UPDATE_HIGHLIGHT_CSS=1`, and otherwise checks that the committed file is
/// what they give.
#[test]
fn highlight_css_is_generated_from_the_syntect_themes() {
    let generated = highlight_css();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static/highlight.css");
    if std::env::var_os("FRAMEWRIGHT_UPDATE_HIGHLIGHT_CSS").is_some() {
        fs::write(&path, &generated).unwrap();
    }
    let committed = fs::read_to_string(&path).unwrap();
    assert!(
        committed == generated,
        "highlight.css is out of date: run FRAMEWRIGHT_UPDATE_HIGHLIGHT_CSS=1 cargo test --test publishing highlight_css"
    );
}

fn highlight_css() -> String {
    use syntect::highlighting::ThemeSet;
    use syntect::html::css_for_theme_with_class_style;
    let themes = ThemeSet::load_defaults();
    let css = |name: &str| {
        let css = css_for_theme_with_class_style(
            &themes.themes[name],
            framewright::highlight::CLASS_STYLE,
        )
        .unwrap();
        // Code blocks keep the page's own background (var(--surface)); only colours change.
        let start = css.find(".hl-code {").unwrap();
        let end = start + css[start..].find('}').unwrap();
        let rule: String = css[start..end]
            .lines()
            .filter(|line| !line.trim_start().starts_with("background-color"))
            .map(|line| format!("{line}\n"))
            .collect();
        let css = format!("{}{}{}", &css[..start], rule, &css[end..]);
        let css = with_contrast(&css, background(name));
        css.lines()
            .map(|line| {
                let line = line.trim();
                if line.is_empty() {
                    String::new()
                } else if line.starts_with('*') {
                    format!("   {line}")
                } else if line.ends_with('{') || line == "}" || line.starts_with("/*") {
                    format!("  {line}")
                } else {
                    format!("    {line}")
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    format!(
        "/*\n * framewright default theme: syntax highlighting of code blocks (classes `hl-…`).\n \
         * Generated from syntect's themes by tests/publishing.rs; do not edit by hand:\n \
         * FRAMEWRIGHT_UPDATE_HIGHLIGHT_CSS=1 cargo test --test publishing highlight_css\n \
         * Light (and on paper): InspiredGitHub. Dark: base16-ocean.dark. Colours are\n \
         * darkened (light) or lightened (dark) to a contrast of at least 4.5:1 (WCAG 2.1 AA).\n */\n\n\
         @media print, (prefers-color-scheme: light) {{\n{}\n}}\n\n\
         @media screen and (prefers-color-scheme: dark) {{\n{}\n}}\n",
        css("InspiredGitHub").trim_end(),
        css("base16-ocean.dark").trim_end()
    )
}

/// The background of code blocks (`var(--surface)` in framewright.css) under each theme.
fn background(theme: &str) -> [u8; 3] {
    match theme {
        "InspiredGitHub" => [0xf4, 0xf6, 0xf9],
        _ => [0x16, 0x1d, 0x26],
    }
}

/// `css` with every text colour moved towards black or white (whichever needs the smaller
/// step) until it has a contrast of 4.5:1, WCAG 2.1 AA for text, against its rule's
/// `background-color`, or against the code block's `background` when the rule sets none.
fn with_contrast(css: &str, background: [u8; 3]) -> String {
    css.split_inclusive('}')
        .map(|rule| {
            let hex = |property: &str| {
                rule.lines()
                    .filter_map(|line| line.trim().strip_prefix(property))
                    .find_map(|value| parse_hex(value.trim().trim_end_matches(';')))
            };
            let (Some(colour), under) = (hex("color:"), hex("background-color:")) else {
                return rule.to_string();
            };
            let fixed = to_hex(readable(colour, under.unwrap_or(background)));
            rule.split_inclusive('\n')
                .map(|line| match line.trim().strip_prefix("color:") {
                    Some(_) => {
                        format!("{}color: {fixed};\n", &line[..line.find("color:").unwrap()])
                    }
                    None => line.to_string(),
                })
                .collect()
        })
        .collect()
}

/// The colour nearest to `colour` on its way to black or to white that reaches 4.5:1
/// against `under` (with a little margin for rounding in the browser).
fn readable(colour: [u8; 3], under: [u8; 3]) -> [u8; 3] {
    let mix = |toward: f64, step: u32| {
        colour.map(|c| {
            (f64::from(c) + (toward - f64::from(c)) * f64::from(step) / 100.0).round() as u8
        })
    };
    (0..=100)
        .flat_map(|step| [mix(0.0, step), mix(255.0, step)])
        .find(|&c| contrast(c, under) >= 4.6)
        .expect("black or white reaches 4.6:1 against any background")
}

/// The WCAG 2.1 contrast ratio of two sRGB colours.
fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let luminance = |c: [u8; 3]| {
        let [r, g, b] = c.map(|v| {
            let v = f64::from(v) / 255.0;
            if v <= 0.03928 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        });
        0.2126 * r + 0.7152 * g + 0.0722 * b
    };
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

fn parse_hex(value: &str) -> Option<[u8; 3]> {
    let hex = value.strip_prefix('#')?;
    if hex.len() != 6 {
        return None;
    }
    let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([channel(0)?, channel(2)?, channel(4)?])
}

fn to_hex(c: [u8; 3]) -> String {
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

#[test]
fn highlight_colours_reach_aa_contrast() {
    // The two colours the audit found: a YAML key in light mode, red in dark mode.
    assert!(contrast([0x63, 0xa3, 0x5c], background("InspiredGitHub")) < 4.5);
    assert!(contrast([0xbf, 0x61, 0x6a], background("base16-ocean.dark")) < 4.5);
    let css = highlight_css();
    let (light, dark) = css.split_at(css.find("prefers-color-scheme: dark").unwrap());
    for (half, theme) in [(light, "InspiredGitHub"), (dark, "base16-ocean.dark")] {
        for rule in half.split_inclusive('}') {
            let hex = |property: &str| {
                rule.lines()
                    .filter_map(|line| line.trim().strip_prefix(property))
                    .find_map(|value| parse_hex(value.trim().trim_end_matches(';')))
            };
            if let Some(colour) = hex("color:") {
                let under = hex("background-color:").unwrap_or(background(theme));
                assert!(contrast(colour, under) >= 4.5, "{theme}: {rule}");
            }
        }
    }
}

// ---- GitHub Pages -------------------------------------------------------------------------

#[test]
fn init_writes_a_pages_workflow_with_the_official_actions() {
    let dir = tempfile::tempdir().unwrap();
    let output = framewright(&["init", dir.path().to_str().unwrap()]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = fs::read_to_string(dir.path().join(".github/workflows/pages.yml")).unwrap();
    let workflow: serde_yaml::Value = serde_yaml::from_str(&text).expect("valid YAML");
    let permissions = &workflow["permissions"];
    assert_eq!(permissions["pages"].as_str(), Some("write"));
    assert_eq!(permissions["id-token"].as_str(), Some("write"));
    let jobs = workflow["jobs"].as_mapping().unwrap();
    let uses: Vec<String> = jobs
        .values()
        .flat_map(|job| job["steps"].as_sequence().unwrap().clone())
        .filter_map(|step| step["uses"].as_str().map(String::from))
        .collect();
    for action in [
        "actions/configure-pages@",
        "actions/upload-pages-artifact@",
        "actions/deploy-pages@",
    ] {
        assert!(
            uses.iter().any(|u| u.starts_with(action)),
            "{action} not used: {uses:?}"
        );
    }
    let deploy = &workflow["jobs"]["deploy"];
    assert_eq!(deploy["needs"].as_str(), Some("build"));
    assert_eq!(deploy["environment"]["name"].as_str(), Some("github-pages"));
    // The artifact is the folder the project builds into, built for the Pages URL.
    let steps = workflow["jobs"]["build"]["steps"].as_sequence().unwrap();
    let upload = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/upload-pages-artifact@"))
        })
        .unwrap();
    let book = fs::read_to_string(dir.path().join("book.toml")).unwrap();
    let path = upload["with"]["path"].as_str().unwrap();
    assert!(book.contains(&format!("build-dir = \"{path}\"")), "{book}");
    assert!(text.contains("--base-url \"${{ steps.pages.outputs.base_url }}/\""));
    // Outside a git repository the project is the repository: no working directory.
    assert!(workflow["jobs"]["build"]["defaults"].is_null(), "{text}");
    // framewright is installed from its repository at this version's tag, once per
    // version: the cache holds the binary.
    let cache = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/cache@"))
        })
        .expect("a cache step");
    assert_eq!(
        cache["with"]["path"].as_str(),
        Some("~/.cargo/bin/framewright")
    );
    assert!(cache["with"]["key"]
        .as_str()
        .unwrap()
        .contains("${{ env.FRAMEWRIGHT_VERSION }}"));
    assert_eq!(
        workflow["env"]["FRAMEWRIGHT_VERSION"].as_str(),
        Some(env!("CARGO_PKG_VERSION"))
    );
    assert!(text.contains(&format!("--git {} --tag", env!("CARGO_PKG_REPOSITORY"))));
    assert!(!text.contains("\n        run: cargo install framewright --locked"));
    // The new project builds as it is.
    build(dir.path(), &[]);
}

#[cfg(unix)]
/// Runs git in `dir` with a fixed identity and no user configuration.
fn git(dir: &Path, args: &[&str]) {
    let output = std::process::Command::new("git")
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.org"])
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[cfg(unix)]
/// The value of a `${{ … }}` expression of the Pages workflow, as GitHub would give it.
fn expression(expr: &str, env: &BTreeMap<String, String>, cache_hit: bool) -> String {
    match expr.trim() {
        "steps.pages.outputs.base_url" => PAGES_URL.to_string(),
        "steps.framewright-cache.outputs.cache-hit" => cache_hit.to_string(),
        "runner.os" => "Linux".to_string(),
        "runner.arch" => "X64".to_string(),
        other => match other.strip_prefix("env.") {
            Some(name) => env.get(name).cloned().unwrap_or_default(),
            None => panic!("the test does not know the expression `{other}`"),
        },
    }
}

#[cfg(unix)]
fn expand(text: &str, env: &BTreeMap<String, String>, cache_hit: bool) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${{") {
        let end = rest[start..].find("}}").expect("closed expression") + start;
        out.push_str(&rest[..start]);
        out.push_str(&expression(&rest[start + 3..end], env, cache_hit));
        rest = &rest[end + 2..];
    }
    out + rest
}

#[cfg(unix)]
/// What `actions/configure-pages` gives a project site.
const PAGES_URL: &str = "https://example.github.io/repo";

#[cfg(unix)]
/// Runs the build job of a Pages workflow in `workspace` as far as it can run without
/// GitHub: `run` steps in bash with the workflow's environment and working directory, the
/// actions by what they would do. `cargo` is a stand-in that records its arguments and
/// "installs" the framewright under test. Returns the upload step's folder.
fn run_pages_job(workspace: &Path, home: &Path, cache_hit: bool) -> PathBuf {
    let text = fs::read_to_string(workspace.join(".github/workflows/pages.yml")).unwrap();
    let workflow: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let job = &workflow["jobs"]["build"];
    let strings = |value: &serde_yaml::Value| -> BTreeMap<String, String> {
        value
            .as_mapping()
            .into_iter()
            .flatten()
            .map(|(k, v)| {
                (
                    k.as_str().unwrap().to_string(),
                    v.as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let env = strings(&workflow["env"]);
    let fake_bin = home.join("fake-bin");
    fs::create_dir_all(&fake_bin).unwrap();
    let cargo = fake_bin.join("cargo");
    fs::write(
        &cargo,
        "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$FAKE_CARGO_ARGS\"\n\
         mkdir -p \"$HOME/.cargo/bin\" && cp \"$FRAMEWRIGHT_UNDER_TEST\" \"$HOME/.cargo/bin/framewright\"\n",
    )
    .unwrap();
    let executable = std::os::unix::fs::PermissionsExt::from_mode(0o755);
    fs::set_permissions(&cargo, executable).unwrap();
    let path = format!(
        "{}:{}:{}",
        fake_bin.display(),
        home.join(".cargo/bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let folder = job["defaults"]["run"]["working-directory"]
        .as_str()
        .map_or(workspace.to_path_buf(), |dir| workspace.join(dir));
    let mut artifact = None;
    for step in job["steps"].as_sequence().unwrap() {
        if let Some(action) = step["uses"].as_str() {
            if action.starts_with("actions/cache@") {
                assert_eq!(
                    step["with"]["path"].as_str(),
                    Some("~/.cargo/bin/framewright")
                );
                let key = expand(step["with"]["key"].as_str().unwrap(), &env, cache_hit);
                assert!(key.contains(framewright::init::VERSION), "{key}");
            } else if action.starts_with("actions/upload-pages-artifact@") {
                let with = expand(step["with"]["path"].as_str().unwrap(), &env, cache_hit);
                artifact = Some(workspace.join(with));
            }
            continue;
        }
        if let Some(condition) = step["if"].as_str() {
            assert_eq!(
                condition, "steps.framewright-cache.outputs.cache-hit != 'true'",
                "the test knows only the cache's condition"
            );
            if cache_hit {
                continue;
            }
        }
        let script = expand(step["run"].as_str().unwrap(), &env, cache_hit);
        let mut step_env = env.clone();
        step_env.extend(strings(&step["env"]));
        let output = std::process::Command::new("bash")
            .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", &script])
            .current_dir(&folder)
            .env_clear()
            .envs(&step_env)
            .env("HOME", home)
            .env("PATH", &path)
            .env("NO_COLOR", "1")
            .env("FAKE_CARGO_ARGS", home.join("cargo-args"))
            .env("FRAMEWRIGHT_UNDER_TEST", env!("CARGO_BIN_EXE_framewright"))
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "step {:?} failed:\n{}{}",
            step["name"],
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    artifact.expect("an upload-pages-artifact step")
}

/// `init` in a subfolder of a git repository: the workflow goes to the repository's root,
/// runs in the project's folder, installs framewright from Cargo.toml's repository at this
/// version's tag (once: a cached binary skips it), builds for the Pages URL and uploads
/// the site.
#[cfg(unix)]
#[test]
fn the_pages_workflow_runs_for_a_project_in_a_subfolder_of_a_repository() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    git(root, &["init", "--bare", "remote.git"]);
    git(root, &["clone", "remote.git", "work"]);
    let work = root.join("work");
    let output = framewright(&["init", work.join("frameworks/harbour").to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("../../.github/workflows/pages.yml"),
        "{stderr}"
    );
    assert!(!work.join("frameworks/harbour/.github").exists());
    git(&work, &["add", "-A"]);
    git(&work, &["commit", "-qm", "A framework"]);
    git(&work, &["push", "-q", "origin", "HEAD:main"]);
    // What actions/checkout does: a fresh clone of the pushed branch.
    git(
        root,
        &["clone", "-q", "--branch", "main", "remote.git", "workspace"],
    );
    let workspace = root.join("workspace");
    let home = root.join("home");
    let workflow = fs::read_to_string(workspace.join(".github/workflows/pages.yml")).unwrap();
    assert!(
        workflow.contains("working-directory: frameworks/harbour\n"),
        "{workflow}"
    );

    // The first deploy: no cached binary, so framewright is installed.
    let artifact = run_pages_job(&workspace, &home, false);
    let args = fs::read_to_string(home.join("cargo-args")).expect("cargo install ran");
    let args: Vec<&str> = args.lines().collect();
    let tag = format!("v{}", env!("CARGO_PKG_VERSION"));
    assert_eq!(
        args,
        [
            "install",
            "framewright",
            "--git",
            env!("CARGO_PKG_REPOSITORY"),
            "--tag",
            tag.as_str(),
            "--locked"
        ]
    );
    assert_eq!(artifact, workspace.join("frameworks/harbour/book"));
    assert!(artifact.join("index.html").is_file());
    let sitemap = read(&artifact, "sitemap.xml");
    assert!(
        sitemap.contains(&format!("{PAGES_URL}/identify/")),
        "{sitemap}"
    );
    // The site is not committed by mistake: the project's .gitignore covers it.
    let status = std::process::Command::new("git")
        .args(["status", "--porcelain"])
        .current_dir(&workspace)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&status.stdout), "");

    // Every later deploy: the cached binary is restored, nothing is compiled.
    fs::remove_file(home.join("cargo-args")).unwrap();
    fs::remove_dir_all(&artifact).unwrap();
    run_pages_job(&workspace, &home, true);
    assert!(!home.join("cargo-args").exists(), "installed again");
    assert!(artifact.join("index.html").is_file());
}

#[test]
fn cname_is_written_only_when_configured() {
    let (_dir, site, _) = build(&fixture("basic"), &[]);
    assert!(!site.join("CNAME").exists());
    let project = project_copy("basic");
    let book = project.path().join("book.toml");
    let text = fs::read_to_string(&book)
        .unwrap()
        .replace("[site]\n", "[site]\ncname = \"framework.example.org\"\n");
    fs::write(&book, text).unwrap();
    let (_dir, site, _) = build(project.path(), &[]);
    assert_eq!(read(&site, "CNAME"), "framework.example.org\n");
}

#[test]
fn project_site_base_url_keeps_every_link_under_the_sub_path() {
    let (_dir, site, _) = build(&fixture("basic"), &["--base-url", "/some/sub/path/"]);
    for page in files(&site).iter().filter(|f| f.ends_with(".html")) {
        let html = read(&site, page);
        for link in attribute_values(&html, "href")
            .into_iter()
            .chain(attribute_values(&html, "src"))
        {
            if link.starts_with('/') {
                assert!(
                    link.starts_with("/some/sub/path/"),
                    "{page}: {link} is outside the base path"
                );
            }
        }
    }
    let not_found = read(&site, "404.html");
    assert!(not_found.contains("href=\"/some/sub/path/static/framewright.css\""));
    assert_links_resolve(&site);
}

// ---- print edition -------------------------------------------------------------------------

const PROSE_PAGE: &str = "---\nid: ID.PROSE\ntitle: Prose\nitems:\n  - id: ID.PROSE-01\n    description: A row.\n---\nSee the diagram: ![diagram](../diagram.svg)\n\n## Scope\n\nBack to [the scope](#scope), [[ID.AM-01]] and [[ID.PROSE-01]], with a note[^1].\n\n[^1]: A footnote.\n";

#[test]
fn print_edition_shows_every_item_once_with_in_page_links() {
    let project = project_with(&[
        ("content/identify/code-samples.md", CODE_PAGE),
        ("content/identify/prose.md", PROSE_PAGE),
        (
            "content/identify/diagram.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        ),
    ]);
    let (_dir, site, _) = build(project.path(), &[]);
    let html = read(&site, "print/index.html");
    let ids = attribute_values(&html, "id");
    for item in framework_items(&site) {
        let id = item["id"].as_str().unwrap();
        assert_eq!(
            ids.iter().filter(|i| *i == id).count(),
            1,
            "print page: id {id} must appear exactly once"
        );
    }
    let mut sorted = ids.clone();
    sorted.sort();
    let before = sorted.len();
    sorted.dedup();
    assert_eq!(before, sorted.len(), "duplicate ids on the print page");
    // Links between items stay on the page; the reference index is on it too.
    assert!(html.contains("href=\"#ID.AM-01\""), "in-page item links");
    assert!(html.contains("id=\"reference-index\""));
    assert!(html.contains("href=\"#ref-iso-iec-27002"));
    // Reading order: concepts in order, the reference index last.
    let at = |needle: &str| html.find(needle).unwrap_or_else(|| panic!("{needle}"));
    assert!(at("id=\"ID\"") < at("id=\"ID.AM\""));
    assert!(at("id=\"ID.AM\"") < at("id=\"PR\""));
    assert!(at("id=\"PR\"") < at("id=\"reference-index\""));
    // Code is highlighted here too; Markdown ids are prefixed with their item's id, and
    // relative links and images are rebased to the print page's folder.
    assert!(html.contains("hl-code"));
    assert!(
        html.contains("id=\"ID.PROSE--scope\""),
        "heading ids are prefixed"
    );
    assert!(
        html.contains("href=\"#ID.PROSE--scope\""),
        "in-page links follow"
    );
    assert!(
        html.contains("src=\"../identify/diagram.svg\""),
        "images are rebased"
    );
    assert!(html.contains("href=\"#ID.AM-01\" data-ref=\"ID.AM-01\""));
    assert!(html.contains("href=\"#ID.PROSE-01\" data-ref=\"ID.PROSE-01\""));
    // Header links lead to it from every page.
    let home = read(&site, "index.html");
    assert!(home.contains("href=\"print/\""));
    let print_css = read(&site, "static/print.css");
    assert!(print_css.contains("break-before: page"));
    assert!(print_css.contains("table-header-group"));
    assert_links_resolve(&site);
}

// ---- page metadata -------------------------------------------------------------------------

#[test]
fn pages_carry_open_graph_and_canonical_metadata() {
    let (_dir, site, _) = build(
        &fixture("basic"),
        &["--base-url", "https://org.github.io/repo/"],
    );
    let html = read(&site, "identify/asset-management/index.html");
    let meta = |property: &str| -> Option<String> {
        let needle = format!("<meta property=\"{property}\" content=\"");
        let start = html.find(&needle)? + needle.len();
        Some(html[start..start + html[start..].find('"').unwrap()].to_string())
    };
    assert_eq!(meta("og:title").as_deref(), Some("Asset management"));
    assert_eq!(meta("og:type").as_deref(), Some("website"));
    assert_eq!(
        meta("og:site_name").as_deref(),
        Some("Basic Test Framework")
    );
    assert_eq!(
        meta("og:url").as_deref(),
        Some("https://org.github.io/repo/identify/asset-management/")
    );
    assert_eq!(
        meta("og:description").as_deref(),
        Some("Assets are known and owned.")
    );
    assert!(html.contains(
        "<link rel=\"canonical\" href=\"https://org.github.io/repo/identify/asset-management/\">"
    ));
    assert!(html.contains("<meta name=\"description\" content=\"Assets are known and owned.\">"));
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("rel=\"icon\""));
    // Pages without a description of their own fall back to the book's.
    let references = read(&site, "references/index.html");
    assert!(references.contains("<meta property=\"og:description\" content=\"A minimal framework"));

    // Without an absolute base URL there is no URL to give.
    let (_dir, site, _) = build(&fixture("basic"), &["--base-url", "/repo/"]);
    let html = read(&site, "identify/index.html");
    assert!(!html.contains("og:url"));
    assert!(!html.contains("rel=\"canonical\""));
    assert!(html.contains("og:title"));
}

/// The release workflow's archives are where `[package.metadata.binstall]` tells
/// `cargo binstall` to look: its Archive step, run here for Linux, writes the file that
/// the `pkg-url` names, with the binary at `bin-dir`, and a checksum that verifies.
#[cfg(unix)]
#[test]
fn release_archives_are_where_cargo_binstall_looks() {
    let repository = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = fs::read_to_string(repository.join(".github/workflows/release.yml")).unwrap();
    let workflow: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let build = &workflow["jobs"]["build"];
    let targets: Vec<&str> = build["strategy"]["matrix"]["include"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|entry| entry["target"].as_str().unwrap())
        .collect();
    for target in [
        "x86_64-unknown-linux-gnu",
        "aarch64-unknown-linux-gnu",
        "aarch64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ] {
        assert!(targets.contains(&target), "no {target} in {targets:?}");
    }
    let tag = format!("v{}", env!("CARGO_PKG_VERSION"));
    assert_eq!(workflow["on"]["push"]["tags"][0].as_str(), Some("v*"));

    // The Archive step, for Linux x86_64, on a stand-in of the release build.
    let target = "x86_64-unknown-linux-gnu";
    let dir = tempfile::tempdir().unwrap();
    for file in ["README.md", "LICENSE-MIT", "LICENSE-APACHE"] {
        assert!(repository.join(file).is_file(), "{file} is missing");
        fs::write(dir.path().join(file), "a stand-in").unwrap();
    }
    let release = dir.path().join(format!("target/{target}/release"));
    fs::create_dir_all(&release).unwrap();
    fs::write(
        release.join("framewright"),
        "a stand-in for the release binary",
    )
    .unwrap();
    let step = build["steps"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|step| step["name"].as_str() == Some("Archive"))
        .expect("an Archive step");
    let script = step["run"]
        .as_str()
        .unwrap()
        .replace("${{ matrix.target }}", target)
        .replace("${{ runner.os }}", "Linux");
    assert!(!script.contains("${{"), "{script}");
    let output = std::process::Command::new("bash")
        .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", &script])
        .current_dir(dir.path())
        .env("GITHUB_REF_NAME", &tag)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    // Where cargo-binstall looks, from Cargo.toml.
    let manifest: toml::Value =
        toml::from_str(&fs::read_to_string(repository.join("Cargo.toml")).unwrap()).unwrap();
    let binstall = &manifest["package"]["metadata"]["binstall"];
    let fill = |template: &str| {
        template
            .replace("{ repo }", env!("CARGO_PKG_REPOSITORY"))
            .replace("{ name }", "framewright")
            .replace("{ version }", env!("CARGO_PKG_VERSION"))
            .replace("{ target }", target)
            .replace("{ bin }", "framewright")
            .replace("{ binary-ext }", "")
    };
    let url = fill(binstall["pkg-url"].as_str().unwrap());
    let prefix = format!("{}/releases/download/{tag}/", env!("CARGO_PKG_REPOSITORY"));
    let file = url.strip_prefix(&prefix).unwrap_or_else(|| panic!("{url}"));
    let dist = dir.path().join("dist");
    assert!(
        dist.join(file).is_file(),
        "{file} not in {:?}",
        files(&dist)
    );
    let listing = std::process::Command::new("tar")
        .arg("-tzf")
        .arg(dist.join(file))
        .output()
        .unwrap();
    let listing = String::from_utf8_lossy(&listing.stdout);
    let bin_dir = fill(binstall["bin-dir"].as_str().unwrap());
    assert!(
        listing.lines().any(|l| l == bin_dir),
        "{bin_dir} not in\n{listing}"
    );
    let check = std::process::Command::new("sha256sum")
        .args(["--check", &format!("{file}.sha256")])
        .current_dir(&dist)
        .output()
        .unwrap();
    assert!(check.status.success(), "{check:?}");
    // Windows gets a zip of the same name.
    let windows = &binstall["overrides"]["x86_64-pc-windows-msvc"];
    assert_eq!(windows["pkg-fmt"].as_str(), Some("zip"));
    assert!(windows["pkg-url"]
        .as_str()
        .unwrap()
        .ends_with("{ name }-v{ version }-{ target }.zip"));
    assert!(script.contains("\"$name.zip\""));
}

/// The README and the documents link only to files inside the repository, and every such
/// file exists (a fresh clone has nothing beside it); the install command in the
/// publishing guide names Cargo.toml's repository.
#[test]
fn documentation_links_stay_inside_the_repository() {
    let repository = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = repository.canonicalize().unwrap();
    let mut documents = vec![
        repository.join("README.md"),
        repository.join("ARCHITECTURE.md"),
        repository.join("tests/fixtures/README.md"),
    ];
    for entry in fs::read_dir(repository.join("docs")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            documents.push(path);
        }
    }
    let mut checked = 0;
    for document in &documents {
        let text = fs::read_to_string(document).unwrap();
        // The document's links as Markdown reads them (not text in code spans).
        let links: Vec<String> = pulldown_cmark::Parser::new(&text)
            .filter_map(|event| match event {
                pulldown_cmark::Event::Start(
                    pulldown_cmark::Tag::Link { dest_url, .. }
                    | pulldown_cmark::Tag::Image { dest_url, .. },
                ) => Some(dest_url.to_string()),
                _ => None,
            })
            .collect();
        for link in &links {
            let link = link.as_str();
            let target = link.split('#').next().unwrap();
            let external = ["http://", "https://", "mailto:", "@"]
                .iter()
                .any(|scheme| link.starts_with(scheme));
            if external || target.is_empty() || target.contains(' ') {
                continue;
            }
            let path = document.parent().unwrap().join(target);
            let resolved = path
                .canonicalize()
                .unwrap_or_else(|_| panic!("{}: link to missing {link}", document.display()));
            assert!(
                resolved.starts_with(&root),
                "{}: {link} is outside the repository",
                document.display()
            );
            checked += 1;
        }
    }
    assert!(checked > 10, "only {checked} links found");
    let guide = fs::read_to_string(repository.join("docs/publishing.md")).unwrap();
    assert!(guide.contains(&format!("--git {} --tag", env!("CARGO_PKG_REPOSITORY"))));
}
