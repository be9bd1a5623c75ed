//! What follows a document designation: edition, "(all parts)", clauses.

use std::cmp::Ordering;
use std::collections::HashSet;

use super::input::Input;
use super::order::compare_clauses;
use super::{only_connectives, parse_head, Citation, Head};

/// Completes a citation from its head; returns it and where it ends.
pub(super) fn parse_body(inp: &Input, head: Head) -> (Citation, usize) {
    let (edition, all_parts, end) = edition_and_parts(inp, &head);
    let (mut clauses, mut end) = parse_clause_list(inp, end, false);
    if let Some(clause) = &head.clause {
        clauses.insert(0, clause.clone());
    }
    // `<document>: <element>` on a line of its own, or a declared document: the rest of
    // the line is the element even when no clause grammar reads it.
    let line_form = inp.line_start(head.start) && followed_by_colon(inp, head.end);
    if line_form || head.free_element {
        if let Some((element, e)) = free_element(inp, end) {
            if let Some(element) = element.filter(|el| !clauses.contains(el)) {
                clauses.push(element);
            }
            end = e;
        }
    }
    let citation = Citation {
        cite: inp.original(head.start, end).trim().to_string(),
        scheme: Some(head.scheme),
        document: Some(head.document),
        series: Some(head.series),
        part: head.part,
        edition,
        all_parts,
        clauses,
    };
    (citation, end)
}

/// Where a head's citation would end with its edition and "(all parts)" only: what a
/// declared name must be longer than to be preferred.
pub(super) fn end_with_edition(inp: &Input, head: &Head) -> usize {
    edition_and_parts(inp, head).2
}

/// The edition and "(all parts)" after a head, in either order, and where they end.
fn edition_and_parts(inp: &Input, head: &Head) -> (Option<String>, bool, usize) {
    let mut end = head.end;
    let mut edition = head.edition.clone();
    let mut all_parts = false;
    for _ in 0..2 {
        if edition.is_none() {
            if let Some((ed, e)) = parse_edition(inp, end) {
                edition = Some(ed);
                end = e;
            }
        }
        if !all_parts {
            if let Some(e) = parse_all_parts(inp, end) {
                all_parts = true;
                end = e;
            }
        }
    }
    (edition, all_parts, end)
}

/// True when a `:` follows the document (after its edition, if any): `CCMv4.0: BCR-01`,
/// `ISO/IEC 27001:2022: Annex A Controls: 5.20`.
fn followed_by_colon(inp: &Input, end: usize) -> bool {
    // `ISO/IEC 27001:2022: …`: the edition's colon is not the one.
    let end = parse_edition(inp, end).map_or(end, |(_, e)| e);
    inp.at(inp.skip_ws(end)) == ':'
}

/// At most this many chars make a free element; longer text is more likely prose.
const MAX_FREE_ELEMENT: usize = 80;

/// The rest of the line after `j` (up to a line break, `;` or the next document), trimmed
/// of separators, as one clause, and where it ends; `None` when there is nothing there.
/// The clause is `None` when the line says there is none (`Mandatory Clause: None`).
fn free_element(inp: &Input, j: usize) -> Option<(Option<String>, usize)> {
    let line_end = inp.line_end(j);
    let is_sep = |c: char| matches!(c, ' ' | ',' | ':');
    let mut s = j;
    while s < line_end && is_sep(inp.at(s)) {
        s += 1;
    }
    // Stop at the next document; bounded, so the scan stays linear.
    let limit = line_end.min(s + MAX_FREE_ELEMENT + 1);
    let mut e = s;
    while e < limit && (e == s || !inp.word_start(e) || parse_head(inp, e).is_none()) {
        e += 1;
    }
    if e - s > MAX_FREE_ELEMENT {
        return None;
    }
    let end = e;
    while e > s && is_sep(inp.at(e - 1)) {
        e -= 1;
    }
    if e == s || only_connectives(inp, s, e) {
        return None;
    }
    // `Mandatory Clause: None`: a qualifier, then no element at all.
    let qualifier_end = inp.run(s, |c| c.is_ascii_alphabetic() || c == ' ');
    let k = if inp.at(qualifier_end) == ':' {
        inp.skip_ws(qualifier_end + 1)
    } else {
        s
    };
    let element = inp.collapsed(k.min(e), e);
    let none = ["", "none", "n/a", "-"].contains(&element.to_ascii_lowercase().as_str());
    Some((
        if none {
            None
        } else {
            Some(inp.collapsed(s, e))
        },
        end,
    ))
}

/// `:2013`, `:2013/Amd 1:2014`, `:2022+Amd1`, `:2013/Cor.1:2014`: year and amendments,
/// kept as written with spaces collapsed.
pub(super) fn parse_edition(inp: &Input, j: usize) -> Option<(String, usize)> {
    let colon = inp.skip_ws(j);
    if inp.at(colon) != ':' {
        return None;
    }
    let k = inp.skip_ws(colon + 1);
    let mut end = year(inp, k)?;
    while let Some(e) = parse_amendment(inp, end) {
        end = e;
    }
    Some((inp.collapsed(k, end), end))
}

/// Four digits not glued to further letters or digits.
fn year(inp: &Input, k: usize) -> Option<usize> {
    let end = inp.digits(k);
    (end - k == 4 && inp.word_end(end)).then_some(end)
}

/// `/Amd 1:2014`, `+Amd1`, `/Cor.1:2014`, `+A1:2020` after an edition year.
fn parse_amendment(inp: &Input, j: usize) -> Option<usize> {
    let sep = inp.skip_ws(j);
    if !matches!(inp.at(sep), '/' | '+') {
        return None;
    }
    let k = inp.skip_ws(sep + 1);
    let w = inp.letters(k);
    let named = inp.is(k, w, "amd") || inp.is(k, w, "cor") || inp.is(k, w, "add");
    // "A" (EN style) only with digits right after, so "/A.5" is not an amendment.
    let m = match (named, inp.is_exact(k, w, "A")) {
        (true, _) => inp.skip_ws(if inp.at(w) == '.' { w + 1 } else { w }),
        (false, true) => w,
        (false, false) => return None,
    };
    let mut end = inp.digits(m);
    if end == m {
        return None;
    }
    if inp.at(end) == ':' {
        end = year(inp, end + 1).unwrap_or(end);
    }
    inp.word_end(end).then_some(end)
}

/// `(all parts)` in any case and spacing, or the word `series`.
fn parse_all_parts(inp: &Input, j: usize) -> Option<usize> {
    let k = inp.skip_ws(j);
    if let Some(e) = inp.keyword(k, &["series"]) {
        return (k > j).then_some(e);
    }
    if inp.at(k) != '(' {
        return None;
    }
    let all = inp.skip_ws(k + 1);
    let all_end = inp.keyword(all, &["all"])?;
    let parts = inp.skip_ws(all_end);
    let parts_end = inp.keyword(parts, &["parts", "part"])?;
    let close = inp.skip_ws(parts_end);
    (parts > all_end && inp.at(close) == ')').then_some(close + 1)
}

/// The clauses after a head, up to the first thing that is not a clause (or the next
/// head). Returns the deduplicated clauses and the end of the last one consumed.
/// Outside parentheses (`nested` false), a parenthesised list `(clause 7.5)` is accepted
/// too; one level only, which keeps the scan linear.
pub(super) fn parse_clause_list(inp: &Input, start: usize, nested: bool) -> (Vec<String>, usize) {
    let mut clauses = Vec::new();
    let mut seen = HashSet::new();
    let mut end = start;
    let mut annex = false;
    loop {
        let k = skip_separators(inp, end, clauses.is_empty());
        let (items, e) = if !nested && inp.at(k) == '(' {
            let (inner, e) = parse_clause_list(inp, k + 1, true);
            let close = inp.skip_ws(e);
            if inner.is_empty() || inp.at(close) != ')' {
                break;
            }
            annex = false;
            (inner, close + 1)
        } else {
            if parse_head(inp, k).is_some() {
                break;
            }
            let Some((clause, e, is_annex)) = parse_clause_item(inp, k, annex) else {
                break;
            };
            annex = is_annex;
            (vec![clause], e)
        };
        // `27035-2:2016` after a comma is another document of the same publisher, not
        // a clause: leave it (unparsed) rather than misread it.
        if parse_edition(inp, e).is_some() {
            break;
        }
        for clause in items {
            if seen.insert(clause.clone()) {
                clauses.push(clause);
            }
        }
        end = e;
    }
    (clauses, end)
}

/// Skips list separators: spaces, commas, `and`, `&`; before the first clause also `:`
/// and `-` (`ISO 27001: A.12`, `ISO/IEC 27002:2013 – 12.4.1`). Never `;`, which ends a
/// citation.
pub(super) fn skip_separators(inp: &Input, mut j: usize, first: bool) -> usize {
    loop {
        match inp.at(j) {
            ' ' | ',' | '&' => j += 1,
            ':' | '-' if first => j += 1,
            _ => match inp.keyword(j, &["and"]) {
                Some(e) => j = e,
                None => return j,
            },
        }
    }
}

/// One clause of a list. Returns the clause, its end, and whether it was an annex, so
/// that the bare letter in `Annexes A and B` is accepted.
fn parse_clause_item(inp: &Input, k: usize, annex_ctx: bool) -> Option<(String, usize, bool)> {
    if let Some(e) = clause_keyword(inp, k) {
        let (clause, e) = ranged(inp, inp.skip_ws(e), clause_token)?;
        return Some((clause, e, false));
    }
    if let Some(found) = annex_controls(inp, k) {
        return Some((found.0, found.1, false));
    }
    if let Some(e) = inp.keyword(k, &["annex", "annexes"]) {
        let (clause, e) = ranged(inp, after_colon(inp, e), annex_ref)?;
        return Some((clause, e, true));
    }
    if let Some(e) = inp.keyword(k, &["appendix", "appendices"]) {
        let (clause, e) = ranged(inp, after_colon(inp, e), appendix_ref)?;
        return Some((format!("Appendix {clause}"), e, false));
    }
    if let Some(e) = inp.keyword(k, &["article", "articles", "art"]) {
        let m = after_colon(inp, if inp.at(e) == '.' { e + 1 } else { e });
        let (clause, e) = ranged(inp, m, clause_token)?;
        return Some((format!("Art. {clause}"), e, false));
    }
    if annex_ctx {
        if let Some((clause, e)) = ranged(inp, k, annex_ref) {
            return Some((clause, e, true));
        }
    }
    let (clause, e) = family(inp, k)
        .or_else(|| prefixed_clause(inp, k))
        .or_else(|| ranged(inp, k, clause_token))?;
    Some((clause, e, false))
}

/// Spaces and an optional `:` after a keyword (`Mandatory Clause: 4.2`).
fn after_colon(inp: &Input, e: usize) -> usize {
    let k = inp.skip_ws(e);
    if inp.at(k) == ':' {
        inp.skip_ws(k + 1)
    } else {
        k
    }
}

/// The reference tool's `Annex A Controls: 5.20` (also `Annex A Control 5.20`) → `A.5.20`.
fn annex_controls(inp: &Input, k: usize) -> Option<(String, usize)> {
    let e = inp.keyword(k, &["annex"])?;
    let m = inp.skip_ws(e);
    let letter = inp.at(m);
    if m == e || !letter.is_ascii_uppercase() || !inp.word_end(m + 1) {
        return None;
    }
    let n = inp.skip_ws(m + 1);
    let c = inp.keyword(n, &["controls", "control"])?;
    // `Annex A Controls:` with no number cites the annex.
    let m = after_colon(inp, c);
    match clause_token(inp, m) {
        Some((token, end)) => Some((format!("{letter}.{token}"), end)),
        None => Some((letter.to_string(), m)),
    }
}

/// `Clause`, `Clauses`, `Cl.`, `Section`, `Sec.`, `§`, `Mandatory Clause`, each with an
/// optional `:`: returns where the number may start.
fn clause_keyword(inp: &Input, k: usize) -> Option<usize> {
    if inp.at(k) == '§' {
        return Some(inp.run(k, |c| c == '§'));
    }
    let k = match inp.keyword(k, &["mandatory"]) {
        Some(e) => inp.skip_ws(e),
        None => k,
    };
    let words = ["clause", "clauses", "cl", "section", "sections", "sec"];
    let e = inp.keyword(k, &words)?;
    Some(after_colon(inp, if inp.at(e) == '.' { e + 1 } else { e }))
}

/// A clause followed by an optional range (`6 to 8`, `12.4.1-12.4.3`, `A through C`).
/// Ranges are not expanded: they stay one clause, written `a to b`.
fn ranged(
    inp: &Input,
    k: usize,
    single: fn(&Input, usize) -> Option<(String, usize)>,
) -> Option<(String, usize)> {
    let (a, e) = single(inp, k)?;
    let j = inp.skip_ws(e);
    let connector = match inp.at(j) {
        '-' => Some(j + 1),
        _ => inp.keyword(j, &["to", "through"]),
    };
    let second = connector
        .map(|c| inp.skip_ws(c))
        .filter(|&m| parse_head(inp, m).is_none())
        .and_then(|m| single(inp, m));
    let glued = j == e && inp.at(j) == '-';
    match second {
        // A glued descending "range" such as `27035-2` is a document number: no clause.
        Some((b, _)) if glued && compare_clauses(&a, &b) != Ordering::Less => None,
        Some((b, end)) => Some((format!("{a} to {b}"), end)),
        None => Some((a, e)),
    }
}

/// An annex: a capital letter alone (`A`) or with dotted sub-clauses (`A.12`).
fn annex_ref(inp: &Input, k: usize) -> Option<(String, usize)> {
    if !inp.at(k).is_ascii_uppercase() || !inp.word_start(k) {
        return None;
    }
    if inp.at(k + 1) == '.' && inp.at(k + 2).is_ascii_alphanumeric() {
        return clause_token(inp, k);
    }
    inp.word_end(k + 1).then(|| (inp.at(k).to_string(), k + 1))
}

/// An appendix: a capital letter or a Roman numeral (`III`), possibly with dotted
/// sub-clauses.
fn appendix_ref(inp: &Input, k: usize) -> Option<(String, usize)> {
    let e = inp.run(k, |c| matches!(c, 'I' | 'V' | 'X'));
    if e > k + 1 && inp.word_start(k) && inp.word_end(e) {
        return Some((inp.collect(k, e), e));
    }
    annex_ref(inp, k)
}

/// NIST control families: `AU Family` (two or three capitals, then `family`).
fn family(inp: &Input, k: usize) -> Option<(String, usize)> {
    let e = capitals(inp, k, 2..=3)?;
    let m = inp.skip_ws(e);
    let end = inp.keyword(m, &["family", "families"])?;
    (m > e).then(|| (format!("{} Family", inp.collect(k, e)), end))
}

/// A whole word of `len` capital letters at `k`: returns its end.
fn capitals(inp: &Input, k: usize, len: std::ops::RangeInclusive<usize>) -> Option<usize> {
    let e = inp.run(k, |c| c.is_ascii_uppercase());
    let whole = inp.word_start(k) && !inp.at(e).is_ascii_alphabetic();
    (whole && len.contains(&(e - k))).then_some(e)
}

/// ISA 62443 style requirements: `SR 7.8`, `CR 2.1`, `SR 1.1 RE 1` (capitals, a space,
/// then a number).
fn prefixed_clause(inp: &Input, k: usize) -> Option<(String, usize)> {
    let e = capitals(inp, k, 2..=4)?;
    let m = inp.skip_ws(e);
    if m == e || !inp.at(m).is_ascii_digit() {
        return None;
    }
    let (number, mut end) = clause_token(inp, m)?;
    let mut clause = format!("{} {}", inp.collect(k, e), number);
    if let Some((re, e)) = requirement_enhancement(inp, end) {
        clause.push_str(" RE ");
        clause.push_str(&re);
        end = e;
    }
    Some((clause, end))
}

/// ` RE 1` or ` RE(1)` after an ISA requirement: returns the enhancement number.
fn requirement_enhancement(inp: &Input, j: usize) -> Option<(String, usize)> {
    let k = inp.skip_ws(j);
    let e = inp.letters(k);
    if k == j || !inp.is_exact(k, e, "RE") {
        return None;
    }
    if inp.at(e) == '(' {
        let d = inp.digits(e + 1);
        return (d > e + 1 && inp.at(d) == ')').then(|| (inp.collect(e + 1, d), d + 1));
    }
    let m = inp.skip_ws(e);
    let d = inp.digits(m);
    (m > e && d > m && inp.word_end(d)).then(|| (inp.collect(m, d), d))
}

/// A clause number or code: `16.1.5`, `A.8.1.1`, `APO01.02`, `AC-2(1)`, `ID.AM-1`.
/// Starts with a digit or a capital and holds a digit. Hyphens join only codes that
/// start with a letter, so `6-8` is a range, not a clause.
pub(super) fn clause_token(inp: &Input, k: usize) -> Option<(String, usize)> {
    let first = inp.at(k);
    if !(first.is_ascii_digit() || first.is_ascii_uppercase()) || !inp.word_start(k) {
        return None;
    }
    let numeric = first.is_ascii_digit();
    let mut end = k;
    loop {
        let c = inp.at(end);
        let joiner = c == '.' || (c == '-' && !numeric);
        if c.is_ascii_alphanumeric() || (joiner && inp.at(end + 1).is_ascii_alphanumeric()) {
            end += 1;
        } else {
            break;
        }
    }
    if !inp.chars[k..end].iter().any(char::is_ascii_digit) {
        return None;
    }
    let mut clause = inp.collect(k, end);
    let end = enhancements(inp, end, clause.contains('-'), &mut clause);
    inp.word_end(end).then_some((clause, end))
}

/// Parenthesised enhancements: `AC-2(1)`, `6.1.2(a)`; for hyphenated codes also with a
/// space (`AC-2 (1)`, digits only), normalised to no space.
pub(super) fn enhancements(
    inp: &Input,
    mut end: usize,
    spaced: bool,
    clause: &mut String,
) -> usize {
    loop {
        let open = if spaced { inp.skip_ws(end) } else { end };
        if inp.at(open) != '(' {
            return end;
        }
        let close = inp.run(open + 1, |c| c.is_ascii_alphanumeric());
        let inner = &inp.chars[open + 1..close];
        // Glued: short letters or digits (`(a)`, `(13)`); spaced: digits only, so a
        // note like `A.12.4.1 (logging)` is not mistaken for an enhancement.
        let fits = if open == end {
            (1..=4).contains(&inner.len())
        } else {
            !inner.is_empty() && inner.iter().all(char::is_ascii_digit)
        };
        if !fits || inp.at(close) != ')' {
            return end;
        }
        clause.push('(');
        clause.extend(inner);
        clause.push(')');
        end = close + 1;
    }
}
