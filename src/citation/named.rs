//! Documents read by name rather than by grammar: those a project declares
//! (references.yaml, book.toml `[citations] documents`), project prefixes (`[citations]
//! prefixes`), and the short names of reference tool lines (`CCMv4.0: BCR-01`). Also the
//! help for text that still cannot be read.

use std::collections::HashMap;

use super::clauses::{parse_clause_list, parse_edition, skip_separators};
use super::input::{normalise_char, Input};
use super::{parse_cell, Citation, Head, Scheme};

/// What a project declares beyond the built-in grammar: document names and prefixes.
///
/// Names are matched ignoring case and the spaces between words (`OMB  a-130` matches a
/// declared `OMB A-130`), and the longest declared name wins. A name is matched from its
/// first letter or digit.
#[derive(Debug, Clone, Default)]
pub struct KnownDocuments {
    /// Declared names by their first word (lower case), longest first.
    names: HashMap<String, Vec<Name>>,
    /// Declared prefixes by their first word (lower case).
    prefixes: HashMap<String, Vec<Name>>,
}

/// A declared name: as declared, and as the tokens that must be found in the text.
#[derive(Debug, Clone)]
struct Name {
    text: String,
    tokens: Vec<String>,
}

impl KnownDocuments {
    /// The declared `documents` (names read as written) and `prefixes` (each followed by
    /// a number in citations: `CNSSI` → `CNSSI 1253`).
    pub fn new<'a>(
        documents: impl IntoIterator<Item = &'a str>,
        prefixes: impl IntoIterator<Item = &'a str>,
    ) -> KnownDocuments {
        KnownDocuments {
            names: by_first_word(documents),
            prefixes: by_first_word(prefixes),
        }
    }

    /// True when nothing is declared: the built-in grammar alone applies.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty() && self.prefixes.is_empty()
    }

    /// Parses one reference cell, which may hold several citations run together.
    ///
    /// Citations may be separated by `;`, newlines, commas or just a space. Never drops
    /// text: whatever cannot be parsed comes back as a [`Citation`] with `document: None`
    /// and `cite` holding that text. Empty or whitespace-only input gives an empty vector.
    /// Runs in linear time (times the number of declared names sharing a first word) and
    /// never panics, whatever the input.
    pub fn parse(&self, text: &str) -> Vec<Citation> {
        parse_cell(text, self)
    }
}

/// Groups names by their first token, longest first; empty names are left out.
fn by_first_word<'a>(names: impl IntoIterator<Item = &'a str>) -> HashMap<String, Vec<Name>> {
    let mut map: HashMap<String, Vec<Name>> = HashMap::new();
    for text in names {
        // Matching starts at the first word: leading quotes or marks are skipped (the
        // text before a citation is only a separator when it holds no word).
        let mut tokens = tokens(text);
        let words_from = tokens
            .iter()
            .position(|t| t.chars().all(char::is_alphanumeric));
        tokens.drain(..words_from.unwrap_or(tokens.len()));
        let Some(first) = tokens.first() else {
            continue;
        };
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        map.entry(first.clone())
            .or_default()
            .push(Name { text, tokens });
    }
    for names in map.values_mut() {
        names.sort_by_key(|name| std::cmp::Reverse(name.tokens.len()));
        names.dedup_by(|a, b| a.tokens == b.tokens);
    }
    map
}

/// A name's tokens: runs of letters and digits (lower case) and single other chars,
/// spaces left out.
fn tokens(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut in_word = false;
    for c in text.chars().filter_map(normalise_char) {
        if c.is_alphanumeric() {
            let lower = c.to_lowercase();
            match (in_word, out.last_mut()) {
                (true, Some(word)) => word.extend(lower),
                _ => out.push(lower.collect()),
            }
            in_word = true;
        } else {
            in_word = false;
            if c != ' ' {
                out.push(c.to_string());
            }
        }
    }
    out
}

/// Where `name` ends when its tokens are found at `i` (spaces between them allowed).
fn match_name(inp: &Input, i: usize, name: &Name) -> Option<usize> {
    let mut j = i;
    for (n, token) in name.tokens.iter().enumerate() {
        if n > 0 {
            j = inp.skip_ws(j);
        }
        if token.chars().all(char::is_alphanumeric) {
            let end = inp.run(j, char::is_alphanumeric);
            let word = inp.chars[j..end].iter().flat_map(|c| c.to_lowercase());
            if end == j || !word.eq(token.chars()) {
                return None;
            }
            j = end;
        } else if token.chars().eq([inp.at(j)]) {
            j += 1;
        } else {
            return None;
        }
    }
    Some(j)
}

/// The longest declared name among `candidates` found at `i`.
fn longest<'n>(inp: &Input, i: usize, candidates: &'n [Name]) -> Option<(&'n Name, usize)> {
    candidates
        .iter()
        .filter_map(|name| match_name(inp, i, name).map(|end| (name, end)))
        .max_by_key(|&(_, end)| end)
}

/// The first word at `i`, in lower case: the key of the declared names.
fn first_word(inp: &Input, i: usize) -> String {
    let end = inp.run(i, char::is_alphanumeric);
    inp.chars[i..end]
        .iter()
        .flat_map(|c| c.to_lowercase())
        .collect()
}

/// A declared document at `i`: indexed under the name it is declared with.
pub(super) fn declared(inp: &Input, i: usize) -> Option<Head> {
    if inp.known.names.is_empty() || !inp.at(i).is_alphanumeric() {
        return None;
    }
    let candidates = inp.known.names.get(&first_word(inp, i))?;
    let (name, end) = longest(inp, i, candidates)?;
    let mut head = Head::whole(Scheme::Declared, i, end, name.text.clone());
    head.free_element = true;
    Some(head)
}

/// A declared prefix and a number: `CNSSI 1253`, `CNSSI-1253`, `DoDI 8510.01`.
pub(super) fn prefixed(inp: &Input, i: usize) -> Option<Head> {
    if inp.known.prefixes.is_empty() {
        return None;
    }
    let candidates = inp.known.prefixes.get(&first_word(inp, i))?;
    let (name, after) = longest(inp, i, candidates)?;
    let k = match inp.at(after) {
        '-' => after + 1,
        _ => inp.skip_ws(after),
    };
    let mut end = inp.digits(k);
    if end == k {
        return None;
    }
    while matches!(inp.at(end), '.' | '-') && inp.at(end + 1).is_ascii_digit() {
        end = inp.digits(end + 1);
    }
    if inp.at(end).is_ascii_uppercase() {
        end += 1;
    }
    if !inp.word_end(end) {
        return None;
    }
    let document = format!("{} {}", name.text, inp.collect(k, end));
    Some(Head::whole(Scheme::Prefixed, i, end, document))
}

/// At most this many chars in a reference tool short name.
const MAX_SHORT_NAME: usize = 60;

/// At most this many words in a reference tool short name.
const MAX_SHORT_NAME_WORDS: usize = 6;

/// A reference tool line `<short name>: <element>` whose name no grammar knows
/// (`CCMv4.0: BCR-01`, `CRI Profile v2.0: GV.OC-01`): the name, as written, is the
/// document. The name must start its line and look like a designation: a digit, or a
/// word of two capitals or more (`PCI DSS`), so that `Note: …` is not read as one.
pub(super) fn short_name(inp: &Input, i: usize) -> Option<Head> {
    if !inp.at(i).is_ascii_alphabetic() || !inp.line_start(i) {
        return None;
    }
    let limit = inp.line_end(i).min(i + MAX_SHORT_NAME + 1);
    let allowed =
        |c: char| c.is_alphanumeric() || matches!(c, ' ' | '.' | '-' | '/' | '&' | '+' | '\'');
    let colon = inp.run_max(i, limit - i, allowed);
    if inp.at(colon) != ':' || colon - i > MAX_SHORT_NAME {
        return None;
    }
    let mut end = colon;
    while end > i && inp.at(end - 1) == ' ' {
        end -= 1;
    }
    let name = inp.collapsed(i, end);
    let words: Vec<&str> = name.split(' ').collect();
    let designation = name.chars().any(|c| c.is_ascii_digit())
        || words
            .iter()
            .any(|w| w.chars().filter(char::is_ascii_uppercase).count() >= 2);
    let element = inp.skip_ws(colon + 1);
    let has_element = element < inp.line_end(i) && inp.at(element).is_alphanumeric();
    if words.len() > MAX_SHORT_NAME_WORDS || !designation || !has_element {
        return None;
    }
    let mut head = Head::whole(Scheme::ShortName, i, end, name);
    head.free_element = true;
    Some(head)
}

/// True when the whole text is a list of clauses with no document (`12.4.1, 14.2.7`,
/// `A.5.1`, `Clause 6`): what YAML leaves of a citation split at its comma.
pub fn looks_like_clauses(text: &str) -> bool {
    let known = KnownDocuments::default();
    let inp = Input::new(text, &known);
    let start = inp.skip_ws(0);
    let (clauses, end) = parse_clause_list(&inp, start, false);
    let rest = skip_separators(&inp, end, false);
    !clauses.is_empty() && (rest..inp.len()).all(|i| matches!(inp.at(i), ' ' | '.' | ';'))
}

/// The help for a W0046 warning: why `text` cannot be read and what to write instead.
/// `previous` is the citation written just before it in the same `references:` list, when
/// that one was read: YAML splits an unquoted `ISO/IEC 27002:2013, 12.4.1` in a flow
/// list into two entries.
pub fn unreadable_help(text: &str, previous: Option<&str>) -> String {
    let known = KnownDocuments::default();
    let inp = Input::new(text, &known);
    if looks_like_clauses(text) {
        return match previous {
            Some(previous) => format!(
                "quote the whole citation: YAML split it at the comma (write \"{previous}, {text}\")"
            ),
            None => format!(
                "these clauses name no document: write the document first (`ISO/IEC 27002:2013, {text}`)"
            ),
        };
    }
    let start = inp.skip_ws(0);
    let number_end = inp.run(start, |c| c.is_ascii_digit() || c == '-');
    if number_end > start && parse_edition(&inp, number_end).is_some() {
        return format!(
            "name the publisher: `ISO/IEC {text}`, or declare the document in references.yaml"
        );
    }
    if let Some(example) = scheme_example(text) {
        return format!("write it as the scheme does, e.g. `{example}`, or declare the document in references.yaml");
    }
    let name = text.split(':').next().unwrap_or(text).trim();
    if text.contains(':') && !name.is_empty() && name.len() <= MAX_SHORT_NAME {
        return format!(
            "declare `{name}` in references.yaml or in book.toml (`[citations] documents`) to index it under its own name"
        );
    }
    "declare the document in references.yaml or in book.toml (`[citations] documents` or `prefixes`), \
     or write a known form such as `ISO/IEC 27002:2013, 12.6.1`, `NIST SP 800-53 Rev. 5 AC-2`, \
     `OMB A-130` or `44 U.S.C. 3552`; it is kept as written"
        .to_string()
}

/// An example of the scheme whose name starts `text` (`OMB Circular` lacks its number).
fn scheme_example(text: &str) -> Option<&'static str> {
    const EXAMPLES: &[(&str, &str)] = &[
        ("omb", "OMB A-130"),
        ("executive", "Executive Order 13587"),
        ("eo", "EO 13587"),
        ("nist", "NIST SP 800-53 Rev. 5 AC-2"),
        ("sp", "SP 800-53 Rev 5.2.0: PM-11"),
        ("fips", "FIPS 199"),
        ("iso", "ISO/IEC 27001:2022, A.5.1"),
        ("iec", "IEC 62443-2-1:2010 4.3.3.2.1"),
        ("isa", "ISA/IEC 62443-3-3:2013 SR 1.1"),
        ("cis", "CIS Controls v8 4.1"),
        ("cnss", "CNSSI 1253"),
        ("rfc", "RFC 4949"),
        ("title", "44 U.S.C. 3552"),
    ];
    let first = text
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty())?;
    let first = first.to_ascii_lowercase();
    let by_word = EXAMPLES.iter().find(|(word, _)| *word == first);
    let code = if text.contains("U.S.C") || text.contains("USC") {
        Some("44 U.S.C. 3552")
    } else if text.contains("CFR") || text.contains("C.F.R") {
        Some("32 CFR 2002.4")
    } else {
        None
    };
    by_word.map(|(_, example)| *example).or(code)
}
