//! The order of clause numbers in the reference index.

use std::cmp::Ordering;

/// Orders clause strings for the reference index: `6` < `6.1` < `6.1.2` < `6.1.10` <
/// `12.4.1` < `A.5` < `A.12` < `SR 7.8`.
///
/// Clauses starting with a digit come before the others (annexes, codes). Within that,
/// strings are compared run by run: digit runs by numeric value (of any length), other
/// runs as text, a digit run before a text run, and a prefix before its extensions.
/// Strings equal under that rule (`6.01` and `6.1`) fall back to plain string order, so
/// this is a total order and `Equal` means the strings are equal.
pub fn compare_clauses(a: &str, b: &str) -> Ordering {
    clause_class(a)
        .cmp(&clause_class(b))
        .then_with(|| compare_runs(a, b))
        .then_with(|| a.cmp(b))
}

/// Numeric clauses (and the empty string) first, everything else after.
fn clause_class(s: &str) -> u8 {
    match s.chars().next() {
        Some(c) if !c.is_ascii_digit() => 1,
        _ => 0,
    }
}

/// Lexicographic comparison of the digit / non-digit runs of two strings.
fn compare_runs(a: &str, b: &str) -> Ordering {
    let (mut ra, mut rb) = (Runs(a), Runs(b));
    loop {
        match (ra.next(), rb.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => match compare_run(x, y) {
                Ordering::Equal => {}
                other => return other,
            },
        }
    }
}

/// Digit runs by value (compared as strings without leading zeros, so no overflow),
/// digits before text, text by plain string order.
fn compare_run(x: &str, y: &str) -> Ordering {
    let digits = |s: &str| s.starts_with(|c: char| c.is_ascii_digit());
    match (digits(x), digits(y)) {
        (true, true) => {
            let (x, y) = (x.trim_start_matches('0'), y.trim_start_matches('0'));
            x.len().cmp(&y.len()).then_with(|| x.cmp(y))
        }
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        (false, false) => x.cmp(y),
    }
}

/// Splits a string into maximal runs of ASCII digits and of everything else.
struct Runs<'a>(&'a str);

impl<'a> Iterator for Runs<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let first = self.0.chars().next()?;
        let digit = first.is_ascii_digit();
        let end = self
            .0
            .find(|c: char| c.is_ascii_digit() != digit)
            .unwrap_or(self.0.len());
        let (run, rest) = self.0.split_at(end);
        self.0 = rest;
        Some(run)
    }
}
