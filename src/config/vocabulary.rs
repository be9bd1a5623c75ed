//! The publisher's words: what each level of the hierarchy is called (`[framework]
//! levels`) and how part sections are titled (`[framework.parts]`).
//!
//! Every heading, caption, breadcrumb, table title, search result and conformance line
//! asks these for its words, so that a site speaks as the framework's publisher does
//! ("Family", "Control", "Discussion") rather than in framewright's defaults.

use std::collections::BTreeMap;

use serde::Deserialize;

/// The name of one level of the hierarchy, singular and plural.
///
/// Written in `book.toml` as a string (`"Function"`, plural made by English rules) or as a
/// table (`{ singular = "Family", plural = "Families" }`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum LevelName {
    /// Only the singular; the plural follows English rules.
    Singular(String),
    /// Both forms, as the publisher writes them.
    Both {
        /// One of them (`Family`).
        singular: String,
        /// Several of them (`Families`).
        plural: String,
    },
}

impl LevelName {
    /// The name of one item of this level.
    pub fn singular(&self) -> &str {
        match self {
            LevelName::Singular(name) => name,
            LevelName::Both { singular, .. } => singular,
        }
    }

    /// The name of several items of this level.
    pub fn plural(&self) -> String {
        match self {
            LevelName::Singular(name) => pluralise(name),
            LevelName::Both { plural, .. } => plural.clone(),
        }
    }
}

/// The English plural of a level name: its last word takes `s`, `es` or `ies`
/// ("Control enhancement" → "Control enhancements", "Family" → "Families").
pub fn pluralise(name: &str) -> String {
    let name = name.trim();
    let lower = name.to_ascii_lowercase();
    let ends_in_consonant_y = lower.ends_with('y')
        && !lower[..lower.len() - 1].ends_with(['a', 'e', 'i', 'o', 'u'])
        && lower.len() > 1;
    if ends_in_consonant_y {
        format!("{}ies", &name[..name.len() - 1])
    } else if ["s", "x", "z", "ch", "sh"]
        .iter()
        .any(|e| lower.ends_with(e))
    {
        format!("{name}es")
    } else if name.is_empty() {
        String::new()
    } else {
        format!("{name}s")
    }
}

/// The levels framewright names when `book.toml` names none (the ISO/IEC TS 27110 terms).
pub const DEFAULT_LEVELS: [&str; 4] = ["Concept", "Category", "Subcategory", "Statement"];

/// Names the levels of a hierarchy: depth 1 (the top level below the framework) is
/// `levels[0]`; a level deeper than the list takes the list's last name.
pub fn level_name(levels: &[LevelName], depth: usize) -> LevelName {
    let at = depth.saturating_sub(1);
    match levels.get(at).or(levels.last()) {
        Some(name) => name.clone(),
        None => LevelName::Singular(DEFAULT_LEVELS[at.min(DEFAULT_LEVELS.len() - 1)].into()),
    }
}

/// The title of a section made from a part named `name` (`guidance`, `example`,
/// `assessment-objective`): the project's own word when `[framework.parts]` gives one,
/// else the name in words ("Assessment objective").
pub fn part_title(parts: &BTreeMap<String, String>, name: &str) -> String {
    let key = part_key(name);
    if let Some(title) = parts.iter().find(|(k, _)| part_key(k) == key) {
        return title.1.clone();
    }
    let words = name.trim().replace(['-', '_'], " ");
    let mut chars = words.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A part name or section heading compared as a key: lower case, words joined by `-`.
pub fn part_key(name: &str) -> String {
    name.split(|c: char| c.is_whitespace() || c == '_' || c == '-')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join("-")
}

/// The words `import oscal` should write to `book.toml` for a catalog with this title:
/// the levels and part titles of the NIST publications it recognises, or None.
///
/// Recognised: SP 800-53 (families, controls, control enhancements; "Discussion") and
/// the Cybersecurity Framework (functions, categories, subcategories; "Implementation
/// examples").
pub fn vocabulary_for_catalog(title: &str) -> Option<CatalogVocabulary> {
    let lower = title.to_lowercase();
    let words = |levels: [&str; 3], parts: &[(&str, &str)]| CatalogVocabulary {
        levels: levels.map(String::from).to_vec(),
        parts: parts
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    };
    if lower.contains("800-53") || lower.contains("security and privacy controls") {
        Some(words(
            ["Family", "Control", "Control enhancement"],
            &[
                ("guidance", "Discussion"),
                ("assessment-objective", "Assessment objective"),
                ("assessment-method", "Assessment methods"),
            ],
        ))
    } else if lower.contains("cybersecurity framework") || lower.contains("csf") {
        Some(words(
            ["Function", "Category", "Subcategory"],
            &[("example", "Implementation examples")],
        ))
    } else {
        None
    }
}

/// Level names and part titles for one catalog, as `book.toml` writes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogVocabulary {
    /// `[framework] levels`, top level first.
    pub levels: Vec<String>,
    /// `[framework.parts]`: part name → section title.
    pub parts: BTreeMap<String, String>,
}

impl CatalogVocabulary {
    /// The `book.toml` lines that set these words (inside `[framework]`, then the
    /// `[framework.parts]` table).
    pub fn to_toml(&self) -> String {
        let quote = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
        let levels: Vec<String> = self.levels.iter().map(|l| quote(l)).collect();
        let mut out = format!("levels = [{}]\n\n[framework.parts]\n", levels.join(", "));
        for (name, title) in &self.parts {
            out.push_str(&format!("{} = {}\n", quote(name), quote(title)));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals_follow_english_rules() {
        assert_eq!(pluralise("Family"), "Families");
        assert_eq!(pluralise("Control enhancement"), "Control enhancements");
        assert_eq!(pluralise("Subcategory"), "Subcategories");
        assert_eq!(pluralise("Key"), "Keys");
        assert_eq!(pluralise("Process"), "Processes");
    }

    #[test]
    fn levels_deeper_than_the_list_take_its_last_name() {
        let levels = vec![
            LevelName::Singular("Family".into()),
            LevelName::Both {
                singular: "Control".into(),
                plural: "Controls".into(),
            },
        ];
        assert_eq!(level_name(&levels, 1).singular(), "Family");
        assert_eq!(level_name(&levels, 2).plural(), "Controls");
        assert_eq!(level_name(&levels, 5).singular(), "Control");
        assert_eq!(level_name(&[], 2).plural(), "Categories");
        assert_eq!(level_name(&[], 9).singular(), "Statement");
    }

    #[test]
    fn part_titles_come_from_the_project_else_from_the_name() {
        let parts = BTreeMap::from([("guidance".to_string(), "Discussion".to_string())]);
        assert_eq!(part_title(&parts, "guidance"), "Discussion");
        assert_eq!(part_title(&parts, "Guidance"), "Discussion");
        assert_eq!(
            part_title(&parts, "assessment-objective"),
            "Assessment objective"
        );
    }

    #[test]
    fn nist_catalogs_get_their_publishers_words() {
        let sp = vocabulary_for_catalog("NIST SP 800-53 Rev 5 Controls").unwrap();
        assert_eq!(sp.levels, ["Family", "Control", "Control enhancement"]);
        assert_eq!(sp.parts["guidance"], "Discussion");
        let toml = sp.to_toml();
        let config = crate::config::Config::parse(&format!("[framework]\n{toml}")).unwrap();
        assert_eq!(config.framework.levels.len(), 3);
        assert_eq!(config.framework.parts["guidance"], "Discussion");
        let csf = vocabulary_for_catalog("The NIST Cybersecurity Framework (CSF) 2.0").unwrap();
        assert_eq!(csf.levels[0], "Function");
        assert!(vocabulary_for_catalog("Harbour controls").is_none());
    }
}
