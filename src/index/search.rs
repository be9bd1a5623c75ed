//! The search index: `search-index.js`, a script that assigns the documents of the site's
//! client-side search to a global, so that it loads with a `<script>` tag (which, unlike
//! `fetch`, also works when the site is opened from the file system).
//!
//! The browser builds the full-text index from these documents with MiniSearch (vendored
//! in the theme), on the first use of the search box. Each document is an array:
//!
//! ```text
//! [id, title, kind, concept, url, description, lead, words, citations]
//! ```
//!
//! - `kind`: position in `kinds`; `concept`: position in `docs` of the item's concept (-1
//!   for none); `url`: relative to the site root.
//! - `description`: the item's description as text; `lead`: the start of its prose when it
//!   has no description (for result snippets); `words`: every other distinct word of its
//!   prose, sorted (found by search, not shown). Bodies are not shipped whole: that keeps
//!   the index of a 10,000-item framework small (W10k: about 0.5 MB gzip-compressed).
//! - `citations`: the item's citations as written, `; `-separated.
//!
//! Cited documents of the reference index are documents too (kind `document`).

use std::borrow::Cow;
use std::io::Write;

use rayon::prelude::*;

use super::SiteIndex;
use crate::model::{Framework, Kind, Node};

/// The file name of the index, at the site root.
pub const FILE: &str = "search-index.js";

/// The global the script assigns.
pub const GLOBAL: &str = "FRAMEWRIGHT_SEARCH";

/// Kinds of search documents, by position.
const KINDS: [&str; 6] = [
    "framework",
    "concept",
    "category",
    "subcategory",
    "statement",
    "document",
];

/// Characters of prose shipped for snippets beyond the description.
const LEAD_CHARS: usize = 160;
/// Characters of a description shipped.
const DESCRIPTION_CHARS: usize = 320;
/// Most distinct words shipped per item beyond the lead.
const MAX_WORDS: usize = 400;
/// Items per parallel chunk.
const CHUNK: usize = 512;

fn kind_number(kind: Kind) -> usize {
    match kind {
        Kind::Framework => 0,
        Kind::Concept => 1,
        Kind::Category => 2,
        Kind::Subcategory => 3,
        Kind::Statement => 4,
    }
}

/// The whole `search-index.js`.
pub fn index_js(framework: &Framework, index: &SiteIndex) -> Vec<u8> {
    let nodes = &framework.nodes;
    let order: Vec<usize> = framework
        .site_order()
        .into_iter()
        .filter(|&n| !nodes[n].id.is_empty() && nodes[n].parent.is_some())
        .collect();
    // Position of each node's document, and of its concept's.
    let mut position = vec![usize::MAX; nodes.len()];
    for (at, &node) in order.iter().enumerate() {
        position[node] = at;
    }
    let concept_of = |mut node: usize| -> i64 {
        loop {
            match nodes[node].parent {
                Some(0) | None => {
                    return if position[node] == usize::MAX {
                        -1
                    } else {
                        position[node] as i64
                    }
                }
                Some(parent) => node = parent,
            }
        }
    };
    let chunks: Vec<Vec<u8>> = order
        .par_chunks(CHUNK)
        .map(|chunk| {
            let mut out = Vec::with_capacity(chunk.len() * 400);
            for &node in chunk {
                write_node(&mut out, &nodes[node], &index.urls[node], concept_of(node));
            }
            out
        })
        .collect();
    let mut out = Vec::with_capacity(chunks.iter().map(Vec::len).sum::<usize>() + 4096);
    let _ = write!(
        out,
        "/* framewright search index: documents for MiniSearch; see static/search.js */\nwindow.{GLOBAL}={{\"version\":1,\"kinds\":"
    );
    let _ = serde_json::to_writer(&mut out, &KINDS);
    out.extend_from_slice(b",\"docs\":[\n");
    for chunk in &chunks {
        out.extend_from_slice(chunk);
    }
    for series in &index.references.series {
        write_document(
            &mut out,
            &series.series,
            series.title.as_deref(),
            &format!("references/{}/", series.slug),
        );
        for document in series.documents.iter().filter(|d| d.slug != series.slug) {
            write_document(
                &mut out,
                &document.document,
                document.title.as_deref().or(series.title.as_deref()),
                &format!("references/{}/", document.slug),
            );
        }
    }
    // Every document ends with ",\n": drop the last comma.
    if out.ends_with(b",\n") {
        out.truncate(out.len() - 2);
        out.push(b'\n');
    }
    out.extend_from_slice(b"]};\n");
    out
}

fn write_node(out: &mut Vec<u8>, node: &Node, url: &str, concept: i64) {
    let description = node
        .description
        .as_ref()
        .map_or("", |d| d.plain.as_str())
        .trim();
    let body = node.body.text();
    let body = body.trim();
    // The description often is the body's first paragraph: do not ship it twice.
    let rest = body
        .strip_prefix(description)
        .filter(|_| !description.is_empty())
        .unwrap_or(body)
        .trim_start();
    // Result snippets show the description; prose is shipped as text only without one.
    let lead_chars = if description.is_empty() {
        LEAD_CHARS
    } else {
        0
    };
    let (lead, after) = split_at_word(rest, lead_chars);
    let mut shown = Vec::new();
    for text in [description, lead, node.title.as_deref().unwrap_or("")] {
        words(text, &mut shown);
    }
    shown.sort_unstable();
    let mut hidden = Vec::new();
    words(after, &mut hidden);
    hidden.sort_unstable();
    hidden.dedup();
    hidden.retain(|w| shown.binary_search(w).is_err());
    hidden.truncate(MAX_WORDS);
    let mut hidden_text = String::with_capacity(hidden.iter().map(|w| w.text.len() + 1).sum());
    for word in &hidden {
        if !hidden_text.is_empty() {
            hidden_text.push(' ');
        }
        hidden_text.push_str(&word.text);
    }
    let citations: Vec<&str> = node.references.iter().map(|r| r.cite.as_str()).collect();
    let lead = if after.is_empty() || lead.is_empty() {
        lead.to_string()
    } else {
        format!("{lead}…")
    };
    let record = (
        &node.id,
        node.title.as_deref().unwrap_or(""),
        kind_number(node.kind),
        concept,
        url,
        split_at_word(description, DESCRIPTION_CHARS).0,
        lead,
        hidden_text,
        citations.join("; "),
    );
    // Baselines (`baselines:` of an imported catalog), for narrowing results: a tenth
    // field only on the items that have them.
    let baselines: Vec<&str> = node
        .extra
        .get("baselines")
        .and_then(serde_json::Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(serde_json::Value::as_str)
        .filter(|name| !name.is_empty() && !name.contains(char::is_whitespace))
        .collect();
    let _ = if baselines.is_empty() {
        serde_json::to_writer(&mut *out, &record)
    } else {
        let (a, b, c, d, e, f, g, h, i) = record;
        serde_json::to_writer(&mut *out, &(a, b, c, d, e, f, g, h, i, baselines.join(" ")))
    };
    out.extend_from_slice(b",\n");
}

fn write_document(out: &mut Vec<u8>, name: &str, title: Option<&str>, url: &str) {
    let record = (
        name,
        title.unwrap_or(""),
        KINDS.len() - 1,
        -1,
        url,
        "",
        "",
        "",
        name,
    );
    let _ = serde_json::to_writer(&mut *out, &record);
    out.extend_from_slice(b",\n");
}

/// `text` cut at the last word boundary before `max` characters, and the rest.
fn split_at_word(text: &str, max: usize) -> (&str, &str) {
    let Some((cut, _)) = text.char_indices().nth(max) else {
        return (text, "");
    };
    let at = text[..cut]
        .rfind(char::is_whitespace)
        .filter(|&i| i > cut / 2)
        .unwrap_or(cut);
    (text[..at].trim_end(), text[at..].trim_start())
}

/// A word of an item's text, in lower case, ordered as its text is (the key holds its
/// first eight bytes, so that most comparisons are one integer comparison).
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Word<'t> {
    key: u64,
    text: Cow<'t, str>,
}

impl<'t> Word<'t> {
    fn new(text: Cow<'t, str>) -> Word<'t> {
        let mut prefix = [0u8; 8];
        let n = text.len().min(8);
        prefix[..n].copy_from_slice(&text.as_bytes()[..n]);
        Word {
            key: u64::from_be_bytes(prefix),
            text,
        }
    }
}

/// Adds to `out` the words of three characters or more in `text`, in lower case.
fn words<'t>(text: &'t str, out: &mut Vec<Word<'t>>) {
    let mut add = |word: &'t str| {
        if word
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        {
            out.push(Word::new(Cow::Borrowed(word)));
        } else {
            out.push(Word::new(Cow::Owned(word.to_lowercase())));
        }
    };
    if text.is_ascii() {
        for word in text.split(|c: char| !c.is_ascii_alphanumeric()) {
            if word.len() >= 3 {
                add(word);
            }
        }
    } else {
        for word in text.split(|c: char| !c.is_alphanumeric()) {
            if word.chars().nth(2).is_some() {
                add(word);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_at_words() {
        assert_eq!(split_at_word("short", 10), ("short", ""));
        assert_eq!(
            split_at_word("one two three four", 10),
            ("one two", "three four")
        );
    }

    #[test]
    fn words_are_lower_case_and_long_enough() {
        let mut found = Vec::new();
        words("An Asset-inventory of 27035 is OK. Écoute", &mut found);
        let found: Vec<&str> = found.iter().map(|w| w.text.as_ref()).collect();
        assert_eq!(found, ["asset", "inventory", "27035", "écoute"]);
        let mut ascii = Vec::new();
        words("Zebra, apple; applesauce app", &mut ascii);
        ascii.sort_unstable();
        let sorted: Vec<&str> = ascii.iter().map(|w| w.text.as_ref()).collect();
        assert_eq!(sorted, ["app", "apple", "applesauce", "zebra"]);
    }
}
