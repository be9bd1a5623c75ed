//! Word-level differences of two texts (the `similar` crate's word diff).

use similar::{ChangeTag, TextDiff};

/// One run of a word diff.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "op", content = "text", rename_all = "lowercase")]
pub enum Piece {
    /// Text in both.
    Same(String),
    /// Text of the old version only.
    Deleted(String),
    /// Text of the new version only.
    Inserted(String),
}

/// The word diff of `old` and `new`, adjacent runs of one kind joined, and the spaces
/// between changed words made part of the change (`[-a b-]{+c d+}`, not
/// `[-a-]{+c+} [-b-]{+d+}`).
pub fn diff(old: &str, new: &str) -> Vec<Piece> {
    coalesce(raw_diff(old, new))
}

fn raw_diff(old: &str, new: &str) -> Vec<Piece> {
    if !alike(old, new) {
        // A text written anew: one deletion and one insertion says it best, and the
        // word-by-word search (quadratic in the words changed) is not worth running.
        let mut pieces = Vec::new();
        if !old.is_empty() {
            pieces.push(Piece::Deleted(old.to_string()));
        }
        if !new.is_empty() {
            pieces.push(Piece::Inserted(new.to_string()));
        }
        return pieces;
    }
    let diff = TextDiff::configure().diff_words(old, new);
    let mut pieces: Vec<Piece> = Vec::new();
    for change in diff.iter_all_changes() {
        let text = change.value();
        match (change.tag(), pieces.last_mut()) {
            (ChangeTag::Equal, Some(Piece::Same(run)))
            | (ChangeTag::Delete, Some(Piece::Deleted(run)))
            | (ChangeTag::Insert, Some(Piece::Inserted(run))) => run.push_str(text),
            (ChangeTag::Equal, _) => pieces.push(Piece::Same(text.to_string())),
            (ChangeTag::Delete, _) => pieces.push(Piece::Deleted(text.to_string())),
            (ChangeTag::Insert, _) => pieces.push(Piece::Inserted(text.to_string())),
        }
    }
    pieces
}

/// Texts shorter than this many words together are always compared word by word.
const SMALL: usize = 64;
/// Below this share of common word pairs, a text counts as written anew.
const ALIKE: f64 = 0.4;

/// True when two texts share enough of their word pairs (bigrams) to be an edit of one
/// another rather than a new text. Linear in their length.
fn alike(old: &str, new: &str) -> bool {
    let old_words: Vec<&str> = old.split_whitespace().collect();
    let new_words: Vec<&str> = new.split_whitespace().collect();
    if old_words.len() + new_words.len() < SMALL {
        return true;
    }
    let (a, b) = (word_pairs(&old_words), word_pairs(&new_words));
    let shared = a.intersection(&b).count();
    let most = a.len().max(b.len()).max(1);
    shared as f64 / most as f64 >= ALIKE
}

fn word_pairs<'t>(words: &[&'t str]) -> std::collections::HashSet<(&'t str, &'t str)> {
    words.windows(2).map(|w| (w[0], w[1])).collect()
}

/// Folds white space that separates two changes into them, so that a rewritten phrase
/// reads as one deletion and one insertion.
fn coalesce(pieces: Vec<Piece>) -> Vec<Piece> {
    let mut out = Vec::with_capacity(pieces.len());
    let (mut deleted, mut inserted) = (String::new(), String::new());
    let mut in_change = false;
    let mut iter = pieces.into_iter().peekable();
    while let Some(piece) = iter.next() {
        match piece {
            Piece::Deleted(text) => {
                deleted.push_str(&text);
                in_change = true;
            }
            Piece::Inserted(text) => {
                inserted.push_str(&text);
                in_change = true;
            }
            Piece::Same(text)
                if in_change
                    && text.trim().is_empty()
                    && matches!(iter.peek(), Some(Piece::Deleted(_) | Piece::Inserted(_))) =>
            {
                deleted.push_str(&text);
                inserted.push_str(&text);
            }
            Piece::Same(text) => {
                flush(&mut out, &mut deleted, &mut inserted);
                in_change = false;
                out.push(Piece::Same(text));
            }
        }
    }
    flush(&mut out, &mut deleted, &mut inserted);
    out
}

fn flush(out: &mut Vec<Piece>, deleted: &mut String, inserted: &mut String) {
    if !deleted.is_empty() {
        out.push(Piece::Deleted(std::mem::take(deleted)));
    }
    if !inserted.is_empty() {
        out.push(Piece::Inserted(std::mem::take(inserted)));
    }
}

/// The word diff as one line of text: `[-old words-]{+new words+}`, as `git diff
/// --word-diff` writes it.
pub fn plain(old: &str, new: &str) -> String {
    let mut out = String::new();
    for piece in diff(old, new) {
        match piece {
            Piece::Same(text) => out.push_str(&text),
            Piece::Deleted(text) => marked(&mut out, "[-", &text, "-]"),
            Piece::Inserted(text) => marked(&mut out, "{+", &text, "+}"),
        }
    }
    out
}

/// Changed words between markers, white space at their end left outside.
fn marked(out: &mut String, open: &str, text: &str, close: &str) {
    let words = text.trim_end();
    out.push_str(open);
    out.push_str(words);
    out.push_str(close);
    out.push_str(&text[words.len()..]);
}

/// [`plain`], with long unchanged runs cut to `context` words on each side of a change
/// (`…` where text was left out): for terminals, where whole statements are too long.
pub fn compact(old: &str, new: &str, context: usize) -> String {
    let pieces = diff(old, new);
    let last = pieces.len().saturating_sub(1);
    let mut out = String::new();
    for (n, piece) in pieces.into_iter().enumerate() {
        match piece {
            Piece::Same(text) => out.push_str(&shorten(&text, context, n == 0, n == last)),
            Piece::Deleted(text) => marked(&mut out, "[-", &text, "-]"),
            Piece::Inserted(text) => marked(&mut out, "{+", &text, "+}"),
        }
    }
    out
}

/// An unchanged run with only `context` words kept next to the changes around it.
fn shorten(text: &str, context: usize, first: bool, last: bool) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let keep_start = if first { 0 } else { context };
    let keep_end = if last { 0 } else { context };
    if words.len() <= keep_start + keep_end + 1 {
        return text.to_string();
    }
    let mut out = String::new();
    if text.starts_with(char::is_whitespace) {
        out.push(' ');
    }
    for word in &words[..keep_start] {
        out.push_str(word);
        out.push(' ');
    }
    out.push('…');
    for word in &words[words.len() - keep_end..] {
        out.push(' ');
        out.push_str(word);
    }
    if text.ends_with(char::is_whitespace) {
        out.push(' ');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewritten_phrases_read_as_one_change() {
        let (old, new) = ("we use the list daily", "we check a register daily");
        assert_eq!(
            plain(old, new),
            "we [-use the list-]{+check a register+} daily"
        );
        let pieces = diff(old, new);
        let rebuilt = |keep_deleted: bool| -> String {
            pieces
                .iter()
                .filter_map(|p| match p {
                    Piece::Same(t) => Some(t.as_str()),
                    Piece::Deleted(t) if keep_deleted => Some(t.as_str()),
                    Piece::Inserted(t) if !keep_deleted => Some(t.as_str()),
                    Piece::Deleted(_) | Piece::Inserted(_) => None,
                })
                .collect()
        };
        assert_eq!(rebuilt(true), old);
        assert_eq!(rebuilt(false), new);
    }

    #[test]
    fn texts_written_anew_are_one_replacement() {
        let old = (0..40)
            .map(|n| format!("w{n}"))
            .collect::<Vec<_>>()
            .join(" ");
        let new = (0..40)
            .map(|n| format!("w{}", (n * 7) % 40))
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(
            diff(&old, &new),
            [Piece::Deleted(old.clone()), Piece::Inserted(new)]
        );
        let edited = old.replace("w20", "w20 and more");
        assert!(diff(&old, &edited).contains(&Piece::Inserted("and more ".into())));
    }

    #[test]
    fn compact_keeps_words_next_to_changes_only() {
        let old = "one two three four five six seven eight nine ten";
        let new = "one two three four five SIX seven eight nine ten";
        assert_eq!(
            compact(old, new, 2),
            "… four five [-six-]{+SIX+} seven eight …"
        );
        assert_eq!(compact(old, new, 20), plain(old, new));
    }

    #[test]
    fn changed_words_are_marked_and_the_rest_kept() {
        let pieces = diff("keep an asset inventory", "keep a complete asset inventory");
        let old: String = pieces
            .iter()
            .filter_map(|p| match p {
                Piece::Same(t) | Piece::Deleted(t) => Some(t.as_str()),
                Piece::Inserted(_) => None,
            })
            .collect();
        assert_eq!(old, "keep an asset inventory");
        assert!(pieces.contains(&Piece::Deleted("an".into())), "{pieces:?}");
        assert_eq!(
            plain("keep an asset inventory", "keep a complete asset inventory"),
            "keep [-an-]{+a complete+} asset inventory"
        );
    }
}
