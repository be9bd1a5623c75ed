//! Standards bodies (ISO, IEC, ISA, ...), NIST, CIS Controls and COBIT.

use super::input::Input;
use super::{Head, Scheme};

/// Standards bodies whose numbers read `NNNNN-P-P`, the hyphenated tail being the part.
const ORGS: &[&str] = &[
    "ISO", "IEC", "ISA", "ANSI", "IEEE", "SAE", "EN", "BS", "DIN", "CEN", "CENELEC",
];

/// Document types that sit between the publisher and the number.
const DOC_TYPES: &[&str] = &["TR", "TS", "PAS"];

/// At most this many publishers in one prefix (`BS EN ISO/IEC` is four); the bound keeps
/// a failed attempt cheap on text like `ISO/ISO/ISO/...`.
const MAX_ORGS: usize = 4;

/// A standards body's, NIST's, CIS's or ISACA's document starting at `i` (a word start).
pub(super) fn parse(inp: &Input, i: usize) -> Option<Head> {
    parse_org_head(inp, i)
        .or_else(|| parse_nist_head(inp, i))
        .or_else(|| parse_framework_head(inp, i))
        .or_else(|| parse_named_head(inp, i))
}

/// A publisher word at `i`; two-letter ones must be upper case (`en` is not `EN`).
fn org_word(inp: &Input, i: usize) -> Option<usize> {
    let end = inp.letters(i);
    let found = ORGS.iter().any(|w| match w.len() {
        2 => inp.is_exact(i, end, w),
        _ => inp.is(i, end, w),
    });
    found.then_some(end)
}

fn doc_type_word(inp: &Input, i: usize) -> Option<usize> {
    let end = inp.letters(i);
    DOC_TYPES
        .iter()
        .any(|w| inp.is_exact(i, end, w))
        .then_some(end)
}

/// `ISO/IEC 27033-2`, `ISO/IEC TR 27103`, `BS EN ISO 22301`, `ANSI/ISA-62443-2-1`.
fn parse_org_head(inp: &Input, start: usize) -> Option<Head> {
    let mut end = org_word(inp, start)?;
    let mut prefix = inp.upper(start, end);
    let (mut orgs, mut typed) = (1, false);
    // More publishers, then at most one document type, each after '/' or spaces.
    while !typed {
        let (sep, k) = match inp.at(end) {
            '/' => ('/', end + 1),
            ' ' => (' ', inp.skip_ws(end)),
            _ => break,
        };
        let word_end = if let Some(e) = org_word(inp, k).filter(|_| orgs < MAX_ORGS) {
            orgs += 1;
            e
        } else if let Some(e) = doc_type_word(inp, k) {
            typed = true;
            e
        } else {
            break;
        };
        prefix.push(sep);
        prefix.push_str(&inp.upper(k, word_end));
        end = word_end;
    }
    // The number follows a space, a hyphen (`ISA-62443`) or nothing (`ISO/IEC27002`).
    let k = match inp.at(end) {
        ' ' => inp.skip_ws(end),
        '-' => end + 1,
        _ => end,
    };
    let (number, part, end) = org_number(inp, k)?;
    let series = format!("{prefix} {number}");
    Some(Head::part_of(Scheme::Standard, start, end, series, part))
}

/// `27033` or `62443-2-1`: the number and its part (all after the first hyphen).
fn org_number(inp: &Input, k: usize) -> Option<(String, Option<String>, usize)> {
    let number_end = inp.digits(k);
    if number_end == k {
        return None;
    }
    let mut end = number_end;
    while inp.at(end) == '-' && inp.at(end + 1).is_ascii_digit() {
        end = inp.digits(end + 1);
    }
    let part = (end > number_end).then(|| inp.collect(number_end + 1, end));
    // `IEEE 802.1X`, `ISA-99.02.01`: a dotted number is not one we can split safely.
    let dotted = inp.at(end) == '.' && inp.at(end + 1).is_ascii_alphanumeric();
    (inp.word_end(end) && !dotted).then(|| (inp.collect(k, number_end), part, end))
}

/// `NIST SP 800-53 Rev. 5`, `NIST SP 800-61r2`, `NISTIR 8259`, `FIPS 140-3`, and the
/// reference tool's `SP 800-53 Rev 5.2.0`, `IR 8286`: the hyphen is part of the number
/// here, never a part separator.
fn parse_nist_head(inp: &Input, start: usize) -> Option<Head> {
    let e = inp.letters(start);
    let (prefix, after) = if inp.is(start, e, "NISTIR") {
        ("NIST IR".to_string(), e)
    } else if inp.is(start, e, "FIPS") {
        ("FIPS".to_string(), skip_word(inp, e, "PUB"))
    } else if inp.is(start, e, "NIST") {
        nist_series(inp, e)
    } else if inp.is_exact(start, e, "SP") || inp.is_exact(start, e, "IR") {
        // Without `NIST` only with NIST's numbering: `SP 800-…`, `SP 1800-…`, `IR 8286`.
        let k = inp.skip_ws(e);
        let d = inp.digits(k);
        let fits = match inp.collect(start, e).as_str() {
            "SP" => {
                matches!(inp.collect(k, d).as_str(), "500" | "800" | "1800") && inp.at(d) == '-'
            }
            _ => d - k == 4,
        };
        if k == e || !fits {
            return None;
        }
        (format!("NIST {}", inp.collect(start, e)), e)
    } else {
        return None;
    };
    let (number, mut end, mut edition) = nist_number(inp, inp.skip_ws(after))?;
    if edition.is_none() {
        if let Some((rev, e)) = nist_revision(inp, end) {
            edition = Some(rev);
            end = e;
        }
    }
    // `NIST 800-53` is the SP.
    let prefix = if prefix == "NIST" && number.starts_with("800-") {
        "NIST SP".to_string()
    } else {
        prefix
    };
    let head = Head::whole(Scheme::Nist, start, end, format!("{prefix} {number}"));
    Some(head.with_edition(edition))
}

/// After `NIST`: `SP`, `IR`, `FIPS` or `Special Publication`, else plain `NIST`.
fn nist_series(inp: &Input, after_nist: usize) -> (String, usize) {
    let k = inp.skip_ws(after_nist);
    let e = inp.letters(k);
    if k == after_nist {
        ("NIST".to_string(), after_nist)
    } else if inp.is_exact(k, e, "SP") || inp.is_exact(k, e, "IR") {
        (format!("NIST {}", inp.collect(k, e)), e)
    } else if inp.is(k, e, "FIPS") {
        ("FIPS".to_string(), skip_word(inp, e, "PUB"))
    } else if inp.is(k, e, "Special") {
        let m = inp.skip_ws(e);
        let p = inp.letters(m);
        if inp.is(m, p, "Publication") {
            ("NIST SP".to_string(), p)
        } else {
            ("NIST".to_string(), after_nist)
        }
    } else if inp.is(k, e, "Interagency") || inp.is(k, e, "Internal") {
        // `NIST Interagency Report 8286`, `NIST Internal Report 8286`.
        let m = inp.skip_ws(e);
        match inp.keyword(m, &["report"]) {
            Some(p) => ("NIST IR".to_string(), p),
            None => ("NIST".to_string(), after_nist),
        }
    } else {
        ("NIST".to_string(), after_nist)
    }
}

/// Skips an optional word (after spaces) such as `PUB` in `FIPS PUB 199`.
pub(super) fn skip_word(inp: &Input, i: usize, word: &str) -> usize {
    let k = inp.skip_ws(i);
    inp.keyword(k, &[word]).unwrap_or(i)
}

/// `800-53`, `800-53A`, `800-61r2`: number, optional letter suffix, attached revision.
fn nist_number(inp: &Input, k: usize) -> Option<(String, usize, Option<String>)> {
    let mut end = inp.digits(k);
    if end == k {
        return None;
    }
    while inp.at(end) == '-' && inp.at(end + 1).is_ascii_digit() {
        end = inp.digits(end + 1);
    }
    let rev_mark = |i: usize| matches!(inp.at(i), 'r' | 'R') && inp.at(i + 1).is_ascii_digit();
    if !rev_mark(end) && inp.at(end).is_ascii_uppercase() {
        end += 1;
    }
    let number = inp.collect(k, end);
    let mut edition = None;
    if rev_mark(end) {
        let digits_end = dotted_number(inp, end + 1);
        edition = Some(format!("Rev. {}", inp.collect(end + 1, digits_end)));
        end = digits_end;
    }
    inp.word_end(end).then_some((number, end, edition))
}

/// Digits with dotted sub-numbers: `5`, `5.2.0`.
fn dotted_number(inp: &Input, k: usize) -> usize {
    let mut end = inp.digits(k);
    while end > k && inp.at(end) == '.' && inp.at(end + 1).is_ascii_digit() {
        end = inp.digits(end + 1);
    }
    end
}

/// A separate revision: ` Rev. 5`, ` Rev 5.2.0`, `, Revision 5` → `Rev. 5`.
fn nist_revision(inp: &Input, j: usize) -> Option<(String, usize)> {
    let mut k = inp.skip_ws(j);
    if inp.at(k) == ',' {
        k = inp.skip_ws(k + 1);
    }
    let e = inp.keyword(k, &["rev", "revision"])?;
    let m = inp.skip_ws(if inp.at(e) == '.' { e + 1 } else { e });
    let d = dotted_number(inp, m);
    (d > m && inp.word_end(d)).then(|| (format!("Rev. {}", inp.collect(m, d)), d))
}

/// NIST's frameworks by name: `NIST CSF`, `CSF v1.1`, `CSF 2.0`, `NIST Cybersecurity
/// Framework v1.1`, `NIST Privacy Framework v1.0`. Plain `CSF` needs a version.
fn parse_framework_head(inp: &Input, start: usize) -> Option<Head> {
    let e = inp.letters(start);
    let nist = inp.is_exact(start, e, "NIST");
    let k = if nist { inp.skip_ws(e) } else { start };
    if nist && k == e {
        return None;
    }
    let w = inp.letters(k);
    let (name, after) = if inp.is_exact(k, w, "CSF") {
        ("NIST CSF", w)
    } else if nist && inp.keyword(k, &["cybersecurity", "privacy"]).is_some() {
        let m = inp.skip_ws(w);
        let f = inp.keyword(m, &["framework"])?;
        let name = match inp.is(k, w, "privacy") {
            true => "NIST Privacy Framework",
            false => "NIST CSF",
        };
        (name, f)
    } else {
        return None;
    };
    if !inp.word_end(after) {
        return None;
    }
    let (edition, end) = match framework_version(inp, after) {
        Some((v, end)) => (Some(v), end),
        None if nist => (None, after),
        None => return None,
    };
    Some(Head::whole(Scheme::Nist, start, end, name.to_string()).with_edition(edition))
}

/// ` v1.1`, ` 2.0`, ` Version 2.0` after a framework's name → `v1.1`, `v2.0`.
fn framework_version(inp: &Input, j: usize) -> Option<(String, usize)> {
    let k = inp.skip_ws(j);
    if k == j {
        return None;
    }
    let m = match inp.keyword(k, &["version"]) {
        Some(e) => inp.skip_ws(e),
        None if matches!(inp.at(k), 'v' | 'V') => k + 1,
        None => k,
    };
    let d = dotted_number(inp, m);
    let dotted = inp.chars[m..d].contains(&'.');
    // A bare number must be dotted (`2.0`): `CSF 2` could start a clause list.
    (d > m && inp.word_end(d) && (m > k || dotted)).then(|| (format!("v{}", inp.collect(m, d)), d))
}

/// Documents known by name: `COBIT 5`, `COBIT 2019`, `CIS CSC`, `CIS Controls v8`.
fn parse_named_head(inp: &Input, start: usize) -> Option<Head> {
    let e = inp.letters(start);
    if inp.is(start, e, "COBIT") {
        cobit_head(inp, start, e)
    } else if inp.is(start, e, "CIS") || inp.is(start, e, "CCS") {
        cis_head(inp, start, e)
    } else {
        None
    }
}

/// `COBIT`, `COBIT 5`, `COBIT5`, `COBIT 2019`: the version belongs to the document name.
fn cobit_head(inp: &Input, start: usize, e: usize) -> Option<Head> {
    let k = inp.skip_ws(e);
    let (series, end) = match version(inp, k) {
        Some(v) => (format!("COBIT {}", inp.collect(k, v)), v),
        None => ("COBIT".to_string(), e),
    };
    inp.word_end(end)
        .then(|| Head::whole(Scheme::Cobit, start, end, series))
}

/// `CIS CSC`, `CCS CSC`, `CIS Controls`, `CIS Control`, `CIS Safeguard`, `CIS Critical
/// Security Controls`, with an optional `v8` edition. All but `CSC` are `CIS Controls`.
fn cis_head(inp: &Input, start: usize, e: usize) -> Option<Head> {
    let k = inp.skip_ws(e);
    let mut w = inp.letters(k);
    let name = if inp.is_exact(k, w, "CSC") {
        "CSC"
    } else if inp
        .keyword(k, &["controls", "control", "safeguard", "safeguards"])
        .is_some()
    {
        "Controls"
    } else if inp.keyword(k, &["critical"]).is_some() {
        let m = inp.skip_ws(w);
        let s = inp.keyword(m, &["security"])?;
        let c = inp.skip_ws(s);
        w = inp.keyword(c, &["controls", "control"])?;
        "Controls"
    } else {
        return None;
    };
    if k == e || !inp.word_end(w) {
        return None;
    }
    let series = format!("{} {}", inp.upper(start, e), name);
    let m = inp.skip_ws(w);
    let v = (m > w && matches!(inp.at(m), 'v' | 'V'))
        .then(|| version(inp, m + 1))
        .flatten();
    let (edition, end) = match v {
        Some(v) => (Some(format!("v{}", inp.collect(m + 1, v))), v),
        None => (None, w),
    };
    Some(Head::whole(Scheme::Cis, start, end, series).with_edition(edition))
}

/// A version number `5`, `2019` or `4.1` ending a word.
fn version(inp: &Input, k: usize) -> Option<usize> {
    let mut end = inp.digits(k);
    if end == k {
        return None;
    }
    if inp.at(end) == '.' && inp.at(end + 1).is_ascii_digit() {
        end = inp.digits(end + 1);
    }
    inp.word_end(end).then_some(end)
}
