//! What changed between two versions of a framework, item by item.
//!
//! Sits above load/model/index/validate and below render: it reads two loaded
//! [`Framework`]s and compares them; `render` shows the result on release pages and item
//! histories, `main` prints it. Nothing here writes files.
//!
//! - [`item`]: an item reduced to what carries meaning, so reformatting is no change;
//! - [`compare`]: pairing by id, by `replaces:`/`moved-to:` links, and the comparison;
//! - [`suggest`]: likely pairings of leftovers, reported and never applied;
//! - [`words`]: word-level differences of statements;
//! - [`source`]: versions from folders, git revisions and OSCAL catalogs;
//! - [`report`]: the outputs (text, JSON, CSV);
//! - [`history`]: the releases named in book.toml, each item's history across them.

pub mod compare;
pub mod history;
pub mod item;
pub mod report;
pub mod source;
pub mod suggest;
pub mod words;

#[cfg(test)]
mod properties;

pub use compare::{Change, Diff, Entry, Suggestion, CHANGE_KINDS};
pub use item::{Item, Status};
pub use source::{Source, SourceError};

use crate::model::Framework;

/// Compares two loaded versions.
pub fn diff(old: &Framework, new: &Framework) -> Diff {
    compare::compare(&item::items(old), &item::items(new))
}

/// A version as reports name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionName {
    /// The framework's version (`[book] version`), else the source as given.
    pub version: String,
    /// Where it was read from, as given (`releases/0.9`, `git:v0.9`, a catalog).
    pub source: String,
    /// The framework's title.
    pub title: String,
}

impl VersionName {
    /// The name of `framework`, read from `source`.
    pub fn of(framework: &Framework, source: &str) -> VersionName {
        let book = &framework.config.book;
        VersionName {
            version: book.version.clone().unwrap_or_else(|| source.to_string()),
            source: source.to_string(),
            title: book.title.clone(),
        }
    }
}
