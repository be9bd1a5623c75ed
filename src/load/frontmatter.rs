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
            let place = |line: usize, column: usize| {
                let (line, column) = yaml_position(front, line, column);
                Span::at(path, line + front_line - 1, column)
            };
            let mut span = match err.location() {
                Some(loc) => place(loc.line(), loc.column()),
                None => Span::at(path, front_line, 1),
            };
            let message = err.to_string();
            // A duplicate key is reported at its mapping's start: point at the repeat.
            if let Some(key) = message
                .strip_prefix("duplicate entry with key \"")
                .and_then(|rest| rest.split('"').next())
            {
                let lines: Vec<&str> = front.lines().collect();
                let from = span.line.saturating_sub(front_line);
                let indent = span.column.saturating_sub(1);
                let mut repeats = (from..lines.len()).filter(|&i| {
                    key_column(lines[i], key).is_some_and(|c| c == indent || i == from)
                });
                if let Some(second) = repeats.nth(1) {
                    let column = key_column(lines[second], key).unwrap_or(0);
                    span = Span::at(path, front_line + second, column + 1).with_len(key.len());
                }
            }
            // serde_yaml appends " at line L column C": the span says it better.
            let problem = message
                .split(" at line ")
                .next()
                .unwrap_or(&message)
                .to_string();
            // A quote or bracket left open is noticed far below it (often at the end): the
            // opening is the place to fix, the place it was noticed the secondary one.
            if let Some((what, line, column)) = unclosed_context(&message) {
                let opened = place(line, column).with_len(1);
                let noticed = span;
                return Err(Diagnostic::error(
                    "E0010",
                    format!("invalid YAML: {problem}: this {what} is not closed"),
                )
                .at(opened)
                .also(noticed, "noticed here")
                .help(match what {
                    "quoted text" => "close the quotes on the same value, or use a `>` block for long text",
                    _ => "close the list with `]` or the mapping with `}`, or write it as indented lines",
                }));
            }
            Err(Diagnostic::error("E0010", format!("invalid YAML: {problem}")).at(span))
        }
    }
}

/// Where the YAML parser's 1-based `line` and `column` are in our terms: the parser also
/// breaks lines at a lone `\r` (and NEL, LS, PS); our lines end at `\n` only.
fn yaml_position(text: &str, line: usize, column: usize) -> (usize, usize) {
    let mut current = 1;
    let mut chars = text.char_indices().peekable();
    let mut offset = text.len();
    if line > 1 {
        while let Some((_, c)) = chars.next() {
            let is_break = match c {
                '\r' => {
                    chars.next_if(|&(_, next)| next == '\n');
                    true
                }
                '\n' | '\u{85}' | '\u{2028}' | '\u{2029}' => true,
                _ => false,
            };
            if is_break {
                current += 1;
                if current == line {
                    break;
                }
            }
        }
    }
    if current == line {
        let start = chars.peek().map_or(text.len(), |&(i, _)| i);
        offset = text[start..]
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(text.len(), |(i, _)| start + i);
    }
    let span = Span::from_offset("", text, offset);
    (span.line, span.column)
}

/// The opening a YAML error says was left open: `, while scanning a quoted scalar at line
/// L column C` (or a flow sequence or mapping), as what, line and column.
fn unclosed_context(message: &str) -> Option<(&'static str, usize, usize)> {
    let (_, context) = message.split_once(", while ")?;
    let what = if context.contains("quoted scalar") {
        "quoted text"
    } else if context.contains("flow sequence") {
        "`[` list"
    } else if context.contains("flow mapping") {
        "`{` mapping"
    } else {
        return None;
    };
    let (_, place) = context.split_once(" at line ")?;
    let (line, column) = place.split_once(" column ")?;
    let column: String = column.chars().take_while(char::is_ascii_digit).collect();
    Some((what, line.trim().parse().ok()?, column.parse().ok()?))
}

/// Finds the lines of values inside front matter, moving forward through the text as
/// the nodes declared in it are read in order.
pub struct Locator<'a> {
    path: &'a str,
    lines: Vec<&'a str>,
    first_line: usize,
    /// Index into `lines` where the node being read starts.
    pub cursor: usize,
    /// Index into `lines` where the node being read ends (exclusive): searches stop there,
    /// so a file of many inline items is read in linear time.
    pub end: usize,
}

impl<'a> Locator<'a> {
    /// A locator over `front`, whose first line is file line `first_line`.
    pub fn new(path: &'a str, front: &'a str, first_line: usize) -> Locator<'a> {
        let lines: Vec<&str> = front.lines().collect();
        Locator {
            path,
            end: lines.len(),
            lines,
            first_line,
            cursor: 0,
        }
    }

    /// The place of the first line at or after the cursor where `key:` is followed by `value`;
    /// moves the cursor there. Falls back to the cursor's line.
    pub fn key_value(&mut self, key: &str, value: &str) -> Span {
        let found = (self.cursor..self.end).find_map(|index| {
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
        // Called for every citation of every file: one searcher for all the lines.
        let finder = memchr::memmem::Finder::new(needle.as_bytes());
        for index in from..self.end {
            if let Some(column) = finder.find(self.lines[index].as_bytes()) {
                return self.span(index, column, needle.len());
            }
        }
        self.span(from.min(self.lines.len().saturating_sub(1)), 0, 0)
    }

    /// The index of the first line at or after `from` that holds `key:` (also as the first
    /// key of a list entry, `- key:`); `from` when there is none.
    pub fn key_line(&self, key: &str, from: usize) -> usize {
        (from..self.end)
            .find(|&index| key_column(self.lines[index], key).is_some())
            .unwrap_or(from)
    }

    /// The entries of the block list under the first `key:` at or after line `from`: the
    /// line index and byte column of each entry's `-`. Empty for flow lists (`[a, b]`).
    pub fn list_entries(&self, key: &str, from: usize) -> Vec<(usize, usize)> {
        let Some((key_index, key_indent)) = (from..self.end).find_map(|index| {
            let column = key_column(self.lines[index], key)?;
            let after = self.lines[index][column + key.len()..].trim_start();
            let rest = after.strip_prefix(':')?.trim();
            (rest.is_empty() || rest.starts_with('#')).then_some((index, column))
        }) else {
            return Vec::new();
        };
        let mut entries = Vec::new();
        let mut dash_indent = None;
        for index in key_index + 1..self.end {
            let line = self.lines[index].trim_end();
            let trimmed = line.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let indent = line.len() - trimmed.len();
            let is_dash = trimmed == "-" || trimmed.starts_with("- ") || trimmed.starts_with("-\t");
            match dash_indent {
                None if is_dash && indent >= key_indent => {
                    dash_indent = Some(indent);
                    entries.push((index, indent));
                }
                None => break,
                Some(dash) if indent < dash || (indent == dash && !is_dash) => break,
                Some(dash) if indent == dash => entries.push((index, indent)),
                Some(_) => {}
            }
        }
        entries
    }

    /// The place of byte `byte_column` on front-matter line `index`, marking `len` bytes.
    pub fn span(&self, index: usize, byte_column: usize, len: usize) -> Span {
        let line = self.lines.get(index).copied().unwrap_or("");
        let byte_column = byte_column.min(line.len());
        let column = line
            .get(..byte_column)
            .map_or(byte_column, |s| s.chars().count())
            + 1;
        Span::at(self.path, self.first_line + index, column).with_len(len)
    }
}

/// The byte column of `key` when `line` holds `key:` (after any `- ` list markers).
fn key_column(line: &str, key: &str) -> Option<usize> {
    let mut body = line.trim_start();
    while let Some(rest) = body.strip_prefix("- ") {
        body = rest.trim_start();
    }
    let after = body.strip_prefix(key)?;
    after
        .trim_start()
        .starts_with(':')
        .then(|| line.len() - body.len())
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
    fn unclosed_quotes_and_brackets_point_at_their_opening() {
        let err = parse_yaml("f.md", "id: X\ntitle: \"Open\nrelated: [a]\n", 2).unwrap_err();
        let span = err.span.as_ref().unwrap();
        assert_eq!((span.line, span.column), (3, 8), "{err}");
        assert_eq!(err.related.len(), 1);
        let err = parse_yaml("f.md", "id: X\nrelated: [a\nfoo: bar\n", 2).unwrap_err();
        let span = err.span.as_ref().unwrap();
        assert_eq!((span.line, span.column), (3, 10), "{err}");
        assert!(err.message.contains("`[` list"), "{}", err.message);
    }

    #[test]
    fn yaml_positions_count_lines_as_we_do() {
        assert_eq!(yaml_position("a: 1\nb: [\n", 2, 4), (2, 4));
        assert_eq!(yaml_position("a\rb\r\nc\nd", 4, 1), (3, 1));
        assert_eq!(yaml_position("a\rb\r\nc\nd", 2, 1), (1, 3));
        assert_eq!(yaml_position("é: [\n", 1, 4), (1, 4));
        assert_eq!(yaml_position("x\n", 9, 9), (2, 1));
        let err = parse_yaml("f.md", "a: 1\r\r\rb: [x\n", 2).unwrap_err();
        assert_eq!(err.span.unwrap().line, 2);
    }

    #[test]
    fn duplicate_keys_point_at_the_repeat() {
        let err =
            parse_yaml("f.md", "id: X\ntitle: A\nitems:\n  - id: Y\ntitle: B\n", 2).unwrap_err();
        assert_eq!(err.span.unwrap().line, 6);
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

    #[test]
    fn list_entries_are_found_at_their_dash() {
        let front = "id: A\nitems:\n  - id: A-1\n    items:\n      - id: A-1-a\n  # c\n\n  - plain\n  - id: A-2\nnext: 1\n";
        let locator = Locator::new("f.md", front, 2);
        assert_eq!(locator.list_entries("items", 0), [(2, 2), (7, 2), (8, 2)]);
        assert_eq!(locator.list_entries("items", 3), [(4, 6)]);
        assert_eq!(locator.key_line("next", 0), 9);
        let flow = Locator::new("f.md", "items: [a, b]\n", 2);
        assert!(flow.list_entries("items", 0).is_empty());
    }
}
