//! Suggested pairings of removed and added items that read much the same (an id changed
//! without a `replaces:` link). Reported to the reader, never applied.
//!
//! Only the leftovers are looked at, and only pairs that share a word few of them use, so
//! the work stays near linear: no comparison of every item with every other.

use std::collections::{HashMap, HashSet};

use super::compare::Suggestion;
use super::item::Item;

/// Below this share of common words, no pairing is suggested.
const MIN_SCORE: f64 = 0.5;
/// A word used by more leftover items than this does not make them candidates.
const MAX_POSTING: usize = 24;
/// Words of an item looked at (title first, then the statement).
const MAX_WORDS: usize = 200;
/// With more leftovers than this on either side, no suggestions are made.
const MAX_LEFTOVERS: usize = 20_000;

/// Pairings of `old` (removed) with `new` (added) items, best first, each item in at most one.
pub fn suggest(old: &[&Item], new: &[&Item]) -> Vec<Suggestion> {
    if old.is_empty() || new.is_empty() || old.len() > MAX_LEFTOVERS || new.len() > MAX_LEFTOVERS {
        return Vec::new();
    }
    let old_words: Vec<HashSet<String>> = old.iter().map(|i| words(i)).collect();
    let new_words: Vec<HashSet<String>> = new.iter().map(|i| words(i)).collect();
    // Word → (old items, new items) using it.
    let mut postings: HashMap<&str, (Vec<usize>, Vec<usize>)> = HashMap::new();
    for (o, set) in old_words.iter().enumerate() {
        for word in set {
            postings.entry(word).or_default().0.push(o);
        }
    }
    for (n, set) in new_words.iter().enumerate() {
        for word in set {
            postings.entry(word).or_default().1.push(n);
        }
    }
    let mut candidates = HashSet::new();
    for (olds, news) in postings.values() {
        if olds.len() + news.len() > MAX_POSTING {
            continue;
        }
        for &o in olds {
            for &n in news {
                candidates.insert((o, n));
            }
        }
    }
    let mut scored: Vec<(f64, usize, usize)> = candidates
        .into_iter()
        .map(|(o, n)| (jaccard(&old_words[o], &new_words[n]), o, n))
        .filter(|(score, _, _)| *score >= MIN_SCORE)
        .collect();
    // Best first; ties broken by the two ids in an order that does not depend on which
    // version is old, so that the suggestions read the same both ways.
    let key = |o: usize, n: usize| {
        let (a, b) = (old[o].id.as_str(), new[n].id.as_str());
        if a <= b {
            (a, b)
        } else {
            (b, a)
        }
    };
    scored.sort_by(|x, y| {
        y.0.total_cmp(&x.0)
            .then_with(|| key(x.1, x.2).cmp(&key(y.1, y.2)))
    });
    let mut used_old = vec![false; old.len()];
    let mut used_new = vec![false; new.len()];
    let mut out = Vec::new();
    for (score, o, n) in scored {
        if used_old[o] || used_new[n] {
            continue;
        }
        used_old[o] = true;
        used_new[n] = true;
        out.push(Suggestion {
            old: old[o].id.clone(),
            new: new[n].id.clone(),
            score: (score * 100.0).round() / 100.0,
        });
    }
    out
}

/// The distinct lower-case words (three letters or more) of an item's title and statement.
fn words(item: &Item) -> HashSet<String> {
    item.title
        .split(|c: char| !c.is_alphanumeric())
        .chain(item.statement.split(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.chars().count() >= 3)
        .take(MAX_WORDS)
        .map(str::to_lowercase)
        .collect()
}

/// Shared words over all words of the two.
fn jaccard(a: &HashSet<String>, b: &HashSet<String>) -> f64 {
    let shared = a.intersection(b).count();
    let all = a.len() + b.len() - shared;
    if all == 0 {
        0.0
    } else {
        shared as f64 / all as f64
    }
}
