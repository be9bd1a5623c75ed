//! Splitting a Markdown file into its YAML front matter and body, and finding where
//! values stand in the front matter so that later errors can name their line.

use serde_yaml::Value;

use crate::diagnostics::{Diagnostic, Span};

/// A file cut at its front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the `---` lines (None when the file has no front matter).
    pub front: Option<&'a str>,
    /// File line of the front matter's first line.
    pub front_line: usize,
    /// The Markdown after the closing `---`.
    pub body: &'a str,
    /// File line of the body's first line.
    pub body_line: usize,
}

/// Cuts `text` at its front matter: a `---` line at the very top, closed by `---` or `...`.
pub fn split<'a>(path: &str, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(rest) = strip_fence(text) else {
        return Ok(Split {
            front: None,
            front_line: 1,
            body: text,
            body_line: 1,
        });
    };
    let mut offset = text.len() - rest.len();
    for (line, raw_line) in (2..).zip(rest.split_inclusive('\n')) {
        let content = raw_line.trim_end();
        if content == "---" || content == "..." {
            let front_start = text.len() - rest.len();
            return Ok(Split {
                front: Some(&text[front_start..offset]),
                front_line: 2,
                body: &text[offset + raw_line.len()..],
                body_line: line + 1,
            });
        }
        offset += raw_line.len();
    }
    Err(Diagnostic::error("E0011", "front matter is not closed")
        .at(Span::at(path, 1, 1).with_len(3))
        .help("end the front matter with a line holding only `---`"))
}

/// The text after an opening `---` line, if the file starts with one.
fn strip_fence(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("---")?;
    let rest = rest.trim_start_matches([' ', '\t']);
    rest.strip_prefix("\r\n")
        .or_else(|| rest.strip_prefix('\n'))
}

/// Parses front matter YAML; errors carry the file line of the problem.
pub fn parse_yaml(path: &str, front: &str, front_line: usize) -> Result<Value, Diagnostic> {
    match serde_yaml::from_str::<Value>(front) {
        Ok(value) => Ok(value),
        Err(err) => {
            let span = match err.location() {
                Some(loc) => Span::at(path, loc.line() + front_line - 1, loc.column()),
                None => Span::at(path, front_line, 1),
            };
            let message = err.to_string();
            // serde_yaml appends " at line L column C": the span says it better.
            let message = message
                .split(" at line ")
                .next()
                .unwrap_or(&message)
                .to_string();
            Err(Diagnostic::error("E0010", format!("invalid YAML: {message}")).at(span))
        }
    }
}

/// Finds the lines of values inside front matter, moving forward through the text as
/// the nodes declared in it are read in order.
pub struct Locator<'a> {
    path: &'a str,
    lines: Vec<&'a str>,
    first_line: usize,
    /// Index into `lines` where the node being read starts.
    pub cursor: usize,
}

impl<'a> Locator<'a> {
    /// A locator over `front`, whose first line is file line `first_line`.
    pub fn new(path: &'a str, front: &'a str, first_line: usize) -> Locator<'a> {
        Locator {
            path,
            lines: front.lines().collect(),
            first_line,
            cursor: 0,
        }
    }

    /// The place of the first line at or after the cursor where `key:` is followed by `value`;
    /// moves the cursor there. Falls back to the cursor's line.
    pub fn key_value(&mut self, key: &str, value: &str) -> Span {
        let found = (self.cursor..self.lines.len()).find_map(|index| {
            let line = self.lines[index];
            let body = line.trim_start().trim_start_matches("- ").trim_start();
            let after = body.strip_prefix(key)?.trim_start().strip_prefix(':')?;
            let after = after.trim_start().trim_start_matches(['"', '\'']);
            let rest = after.strip_prefix(value)?;
            let ends_value = rest.is_empty()
                || rest.starts_with([' ', '\t', '"', '\'', '#', ',', '}', ']', '\r']);
            ends_value.then(|| {
                let column = line.len() - after.len();
                (index, column)
            })
        });
        match found {
            Some((index, column)) => {
                self.cursor = index;
                self.span(index, column, value.len())
            }
            None => self.span(self.cursor, 0, 0),
        }
    }

    /// The place of the first occurrence of `text` at or after line `from` (an index into the
    /// front matter's lines), without moving the cursor.
    pub fn text(&self, text: &str, from: usize) -> Span {
        let needle = text.lines().next().unwrap_or(text);
        for index in from..self.lines.len() {
            if let Some(column) = self.lines[index].find(needle) {
                return self.span(index, column, needle.len());
            }
        }
        self.span(from.min(self.lines.len().saturating_sub(1)), 0, 0)
    }

    fn span(&self, index: usize, byte_column: usize, len: usize) -> Span {
        let line = self.lines.get(index).copied().unwrap_or("");
        let byte_column = byte_column.min(line.len());
        let column = line
            .get(..byte_column)
            .map_or(byte_column, |s| s.chars().count())
            + 1;
        Span::at(self.path, self.first_line + index, column).with_len(len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let text = "---\nid: X\n---\nBody\n";
        let split = split("f.md", text).unwrap();
        assert_eq!(split.front, Some("id: X\n"));
        assert_eq!(split.body, "Body\n");
        assert_eq!(split.body_line, 4);
    }

    #[test]
    fn no_front_matter_is_all_body() {
        let split = split("f.md", "# Title\n").unwrap();
        assert_eq!(split.front, None);
        assert_eq!(split.body, "# Title\n");
    }

    #[test]
    fn crlf_bom_and_dots_close() {
        let text = "\u{feff}---\r\nid: X\r\n...\r\nBody";
        let split = split("f.md", text).unwrap();
        assert_eq!(split.front, Some("id: X\r\n"));
        assert_eq!(split.body, "Body");
    }

    #[test]
    fn unclosed_front_matter_is_an_error_on_line_one() {
        let err = split("f.md", "---\nid: X\nBody\n").unwrap_err();
        assert_eq!(err.code, "E0011");
        assert_eq!(err.span.unwrap().line, 1);
    }

    #[test]
    fn yaml_errors_are_mapped_to_file_lines() {
        let err = parse_yaml("f.md", "id: X\ntitle: [unclosed\n", 2).unwrap_err();
        let span = err.span.unwrap();
        assert!(span.line >= 3, "{span}");
        assert!(!err.message.contains(" at line "), "{}", err.message);
    }

    #[test]
    fn locator_walks_forward() {
        let front = "id: A\nitems:\n  - id: A-1\n    related: [B]\n  - id: A-2\n";
        let mut locator = Locator::new("f.md", front, 2);
        assert_eq!(locator.key_value("id", "A").line, 2);
        let second = locator.key_value("id", "A-2");
        assert_eq!((second.line, second.column), (6, 9));
        assert_eq!(locator.text("B", 0).line, 5);
    }
}
