//! Reading an OSCAL document in any of its three formats, chosen by content: JSON (`{`),
//! XML (`<`), otherwise YAML. All three come out as the OSCAL JSON shape, and every
//! error names the file with a line (JSON, YAML, XML) or a JSON pointer.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// The largest OSCAL file read (NIST's biggest catalogs are under 20 MB).
const MAX_SIZE: u64 = 256 * 1024 * 1024;

/// OSCAL's document models (the top-level key of a JSON or YAML document).
pub const MODELS: [&str; 8] = [
    "catalog",
    "profile",
    "component-definition",
    "system-security-plan",
    "assessment-plan",
    "assessment-results",
    "plan-of-action-and-milestones",
    "mapping-collection",
];

/// One of OSCAL's three formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// JSON.
    Json,
    /// YAML.
    Yaml,
    /// XML.
    Xml,
}

impl Format {
    /// The format of a document's text: by its first character.
    pub fn of(text: &str) -> Format {
        match text
            .trim_start_matches('\u{feff}')
            .trim_start()
            .chars()
            .next()
        {
            Some('{') => Format::Json,
            Some('<') => Format::Xml,
            _ => Format::Yaml,
        }
    }

    /// The name used in messages.
    pub fn name(self) -> &'static str {
        match self {
            Format::Json => "JSON",
            Format::Yaml => "YAML",
            Format::Xml => "XML",
        }
    }
}

/// An OSCAL document read into the JSON shape.
#[derive(Debug)]
pub struct Source {
    /// The file.
    pub path: PathBuf,
    /// Its format.
    pub format: Format,
    /// `{ "<model>": { … } }`.
    pub value: Value,
    /// For XML: JSON pointer → line.
    lines: HashMap<String, u32>,
}

/// Why a document could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// The file is not (valid) OSCAL; the message names the place.
    Invalid(String),
    /// The file could not be read.
    Io(String),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Invalid(message) | ReadError::Io(message) => f.write_str(message),
        }
    }
}

impl Source {
    /// Reads and parses an OSCAL file.
    pub fn read(path: &Path) -> Result<Source, ReadError> {
        let io =
            |err: std::io::Error| ReadError::Io(format!("cannot read {}: {err}", path.display()));
        let size = std::fs::metadata(path).map_err(io)?.len();
        if size > MAX_SIZE {
            return Err(ReadError::Invalid(format!(
                "{}: {size} bytes is larger than the {MAX_SIZE} bytes an OSCAL file may have here",
                path.display()
            )));
        }
        let bytes = std::fs::read(path).map_err(io)?;
        let text = String::from_utf8(bytes).map_err(|err| {
            ReadError::Invalid(format!(
                "{}: not UTF-8 text (byte {}); OSCAL files are UTF-8",
                path.display(),
                err.utf8_error().valid_up_to()
            ))
        })?;
        Source::parse(path, &text)
    }

    /// Parses the text of an OSCAL file.
    pub fn parse(path: &Path, text: &str) -> Result<Source, ReadError> {
        let format = Format::of(text);
        let place = |line: usize, column: usize, message: String| {
            ReadError::Invalid(format!("{}:{line}:{column}: {message}", path.display()))
        };
        let mut lines = HashMap::new();
        let value = match format {
            Format::Json => serde_json::from_str::<Value>(text).map_err(|err| {
                let message = if err.is_eof() {
                    format!("the file ends in the middle of the JSON (truncated?): {err}")
                } else {
                    format!("not valid JSON: {err}")
                };
                place(err.line(), err.column(), message)
            })?,
            Format::Yaml => {
                let value = serde_yaml::from_str::<Value>(text).map_err(|err| {
                    let (line, column) = err.location().map_or((1, 1), |l| (l.line(), l.column()));
                    place(line, column, format!("not valid YAML: {err}"))
                })?;
                numbers_as_text(value)
            }
            Format::Xml => {
                let converted = super::xml::convert(text).map_err(|message| {
                    ReadError::Invalid(format!("{}:{message}", path.display()))
                })?;
                lines = converted.lines;
                converted.value
            }
        };
        Ok(Source {
            path: path.to_path_buf(),
            format,
            value,
            lines,
        })
    }

    /// A document made here (a resolved profile), named after the file it came from.
    pub fn resolved(path: &Path, value: Value) -> Source {
        Source {
            path: path.to_path_buf(),
            format: Format::Json,
            value,
            lines: HashMap::new(),
        }
    }

    /// The document's model (`catalog`, `profile`, …), when it is an OSCAL document.
    pub fn model(&self) -> Option<&str> {
        let map = self.value.as_object()?;
        let mut keys = map.keys().filter(|k| *k != "$schema");
        let key = keys.next()?;
        (keys.next().is_none() && MODELS.contains(&key.as_str())).then_some(key.as_str())
    }

    /// The document's root object when its model is `wanted`; else an error that says
    /// what the file is.
    pub fn expect(&self, wanted: &str, hint: &str) -> Result<&Value, ReadError> {
        match self.model() {
            Some(model) if model == wanted => Ok(&self.value[model]),
            Some(model) => Err(ReadError::Invalid(format!(
                "{}: wrong OSCAL model: this is a {model}, {hint}",
                self.path.display()
            ))),
            None => {
                let found = match self.value.as_object() {
                    Some(map) if map.is_empty() => "an empty object".to_string(),
                    Some(map) => {
                        let keys: Vec<&str> = map.keys().map(String::as_str).take(5).collect();
                        format!("top-level keys {}", keys.join(", "))
                    }
                    None => "no object at the top".to_string(),
                };
                Err(ReadError::Invalid(format!(
                    "{}: not OSCAL: expected one top-level `{wanted}` object ({} file), found {found}",
                    self.path.display(),
                    self.format.name()
                )))
            }
        }
    }

    /// Where a JSON pointer is, for messages: `file:LINE` in XML (the nearest enclosing
    /// object with a line), `file (at /pointer)` otherwise.
    pub fn at(&self, pointer: &str) -> String {
        let mut probe = pointer;
        loop {
            if let Some(line) = self.lines.get(probe) {
                return format!("{}:{line} (at {pointer})", self.path.display());
            }
            match probe.rfind('/') {
                Some(cut) if cut > 0 => probe = &probe[..cut],
                _ => return format!("{} (at {pointer})", self.path.display()),
            }
        }
    }
}

/// YAML reads `version: 1.1` as a number; OSCAL's scalars (but booleans) are text.
fn numbers_as_text(value: Value) -> Value {
    match value {
        Value::Number(n) => Value::String(n.to_string()),
        Value::Array(items) => Value::Array(items.into_iter().map(numbers_as_text).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, numbers_as_text(v)))
                .collect(),
        ),
        other => other,
    }
}
