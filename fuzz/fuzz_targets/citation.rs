//! The citation parser: never panics, never drops text, clause order is a total order.
#![no_main]

use std::cmp::Ordering;

use framewright::citation::{compare_clauses, parse_citations};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let citations = parse_citations(text);
    if text.trim().is_empty() {
        assert!(citations.is_empty());
    }
    let mut clauses = Vec::new();
    for citation in &citations {
        assert!(!citation.cite.trim().is_empty(), "{citation:?}");
        assert!(text.contains(citation.cite.as_str()), "{citation:?}");
        if citation.document.is_none() {
            assert!(citation.clauses.is_empty() && citation.edition.is_none());
        }
        clauses.extend(citation.clauses.iter().map(String::as_str));
    }
    // compare_clauses: antisymmetric, Equal only for equal strings, sorting works.
    for a in &clauses {
        for b in &clauses {
            let ab = compare_clauses(a, b);
            assert_eq!(ab, compare_clauses(b, a).reverse(), "{a:?} {b:?}");
            assert_eq!(ab == Ordering::Equal, a == b, "{a:?} {b:?}");
        }
    }
    clauses.sort_by(|a, b| compare_clauses(a, b));
    // Also the raw input cut into words, as clauses.
    let mut words: Vec<&str> = text.split([',', ' ']).collect();
    words.sort_by(|a, b| compare_clauses(a, b));
});
