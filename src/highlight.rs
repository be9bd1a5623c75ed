//! Syntax highlighting of fenced code blocks with syntect.
//!
//! Code is marked up with CSS classes (`hl-…`), never inline colours, so that one
//! stylesheet (`themes/default/static/highlight.css`, generated from two syntect themes)
//! gives the light and the dark colour scheme. The syntax set is loaded once, on the first
//! code block that names a language; a site without code never loads it.

use std::sync::OnceLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

/// How token classes are named: `hl-source hl-yaml`, `hl-keyword`, …
pub const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// The class of a highlighted `<pre>`: what the theme's background and default colour apply to.
pub const CODE_CLASS: &str = "hl-code";

/// Info strings that ask for no highlighting (and are never warned about).
const PLAIN: &[&str] = &[
    "text",
    "txt",
    "plain",
    "plaintext",
    "none",
    "nohighlight",
    "output",
    "console",
    "log",
];

/// Common names that syntect's default set knows under another token.
const ALIASES: &[(&str, &str)] = &[
    ("shell", "sh"),
    ("zsh", "sh"),
    ("shellscript", "sh"),
    ("csharp", "cs"),
    ("c#", "cs"),
    ("c++", "cpp"),
    ("golang", "go"),
    ("jsonc", "json"),
    ("python3", "py"),
];

/// What became of one code block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Highlighted {
    /// The block as HTML (`<pre class="hl-code">…</pre>`).
    Html(String),
    /// The language asks for plain text: render as usual.
    Plain,
    /// The language is not known: render as plain text and warn.
    Unknown,
}

/// The syntax set, loaded on first use.
fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// The language named by a fence's info string (`rust`, `yaml title="x"`, `{.rust}`,
/// `rust,ignore`), lower-cased; empty when there is none.
pub fn language(info: &str) -> String {
    info.trim()
        .trim_start_matches('{')
        .trim_start_matches('.')
        .split(|c: char| c.is_whitespace() || c == ',' || c == '}' || c == '{')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// True when a language token asks for no highlighting.
pub fn is_plain(language: &str) -> bool {
    language.is_empty() || PLAIN.contains(&language)
}

fn find_syntax<'s>(set: &'s SyntaxSet, language: &str) -> Option<&'s SyntaxReference> {
    let token = ALIASES
        .iter()
        .find(|(alias, _)| *alias == language)
        .map_or(language, |(_, token)| token);
    set.find_syntax_by_token(token)
        .or_else(|| set.find_syntax_by_extension(token))
        .filter(|syntax| syntax.name != "Plain Text")
}

/// True when `language` (as returned by [`language`], and not plain) is one the
/// highlighter knows.
pub fn is_known(language: &str) -> bool {
    find_syntax(syntaxes(), language).is_some()
}

/// Highlights `code` written in `language` (as returned by [`language`]).
pub fn highlight(language: &str, code: &str) -> Highlighted {
    if is_plain(language) {
        return Highlighted::Plain;
    }
    let set = syntaxes();
    let Some(syntax) = find_syntax(set, language) else {
        return Highlighted::Unknown;
    };
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, set, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        if generator
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            return Highlighted::Plain;
        }
    }
    let body = generator.finalize();
    let mut html = String::with_capacity(body.len() + 80);
    html.push_str("<pre class=\"");
    html.push_str(CODE_CLASS);
    html.push_str("\"><code class=\"language-");
    html.push_str(&crate::html::escape(language));
    html.push_str("\">");
    html.push_str(&body);
    html.push_str("</code></pre>\n");
    Highlighted::Html(html)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_strings_name_a_language() {
        assert_eq!(language("rust"), "rust");
        assert_eq!(language(" YAML title=\"x\""), "yaml");
        assert_eq!(language("rust,ignore"), "rust");
        assert_eq!(language("{.python}"), "python");
        assert_eq!(language(""), "");
    }

    #[test]
    fn known_languages_get_class_spans() {
        for (language, code) in [
            ("yaml", "policy:\n  name: example\n"),
            ("yml", "a: 1\n"),
            ("rust", "fn main() { let x = 1; }\n"),
            ("json", "{\"a\": [1, 2]}\n"),
            ("sh", "echo hi\n"),
            ("shell", "echo hi\n"),
        ] {
            let Highlighted::Html(html) = highlight(language, code) else {
                panic!("{language} not highlighted");
            };
            assert!(html.starts_with("<pre class=\"hl-code\">"), "{html}");
            assert!(html.contains("<span class=\"hl-"), "{language}: {html}");
        }
    }

    #[test]
    fn code_is_escaped() {
        let Highlighted::Html(html) = highlight("rust", "let s = \"<script>\";\n") else {
            panic!()
        };
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn plain_and_unknown_languages() {
        assert_eq!(highlight("text", "x"), Highlighted::Plain);
        assert_eq!(highlight("", "x"), Highlighted::Plain);
        assert_eq!(highlight("no-such-language", "x"), Highlighted::Unknown);
    }
}
