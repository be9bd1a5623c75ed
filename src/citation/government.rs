//! US government documents: OMB circulars and memoranda, Executive Orders, the US Code
//! and the CFR, laws by name or number, directives and instructions (CNSS, DoD, HSPD),
//! and IETF RFCs.

use super::clauses::enhancements;
use super::input::Input;
use super::{Head, Scheme};

/// A government document starting at a letter (`i` is a word start).
pub(super) fn parse(inp: &Input, i: usize) -> Option<Head> {
    omb(inp, i)
        .or_else(|| executive_order(inp, i))
        .or_else(|| titled_code(inp, i))
        .or_else(|| public_law(inp, i))
        .or_else(|| directive(inp, i))
        .or_else(|| rfc(inp, i))
        .or_else(|| law(inp, i))
}

/// A government document starting at a digit: `44 U.S.C. 3552`, `32 CFR 2002`.
pub(super) fn parse_numbered(inp: &Input, i: usize) -> Option<Head> {
    code_section(inp, i, i)
}

/// `OMB A-130`, `OMB Circular A-130`, `OMB Circular No. A-130`, `OMB M-22-09`,
/// `OMB Memorandum M-22-09` → `OMB A-130`, `OMB M-22-09`.
fn omb(inp: &Input, start: usize) -> Option<Head> {
    let e = inp.letters(start);
    if !inp.is(start, e, "OMB") {
        return None;
    }
    let mut k = inp.skip_ws(e);
    if let Some(w) = inp.keyword(k, &["circular", "memorandum", "memo", "bulletin"]) {
        k = inp.skip_ws(w);
    }
    k = skip_number_word(inp, k);
    let letter = inp.at(k);
    if !matches!(letter, 'A' | 'M' | 'B') || inp.at(k + 1) != '-' {
        return None;
    }
    let end = hyphenated_digits(inp, k + 2)?;
    let document = format!("OMB {}", inp.collect(k, end));
    Some(Head::whole(Scheme::Omb, start, end, document))
}

/// `No.` or `Number` before a number, skipped with the spaces after it.
fn skip_number_word(inp: &Input, k: usize) -> usize {
    match inp.keyword(k, &["no", "number"]) {
        Some(e) => inp.skip_ws(if inp.at(e) == '.' { e + 1 } else { e }),
        None => k,
    }
}

/// Digits joined by hyphens (`22-09`, `130`), ending a word: returns the end.
fn hyphenated_digits(inp: &Input, k: usize) -> Option<usize> {
    let mut end = inp.digits(k);
    if end == k {
        return None;
    }
    while inp.at(end) == '-' && inp.at(end + 1).is_ascii_digit() {
        end = inp.digits(end + 1);
    }
    inp.word_end(end).then_some(end)
}

/// `EO 13587`, `E.O. 13587`, `Executive Order 13587`, `Executive Order No. 14028`,
/// `Exec. Order 14028` → `EO 13587`.
fn executive_order(inp: &Input, start: usize) -> Option<Head> {
    let e = inp.letters(start);
    let after = if inp.is_exact(start, e, "EO") {
        e
    } else if inp.is_exact(start, e, "E") && inp.at(e) == '.' && inp.at(e + 1) == 'O' {
        if inp.at(e + 2) == '.' {
            e + 3
        } else {
            e + 2
        }
    } else if inp.keyword(start, &["executive", "exec"]).is_some() {
        let m = inp.skip_ws(if inp.at(e) == '.' { e + 1 } else { e });
        inp.keyword(m, &["order"])?
    } else {
        return None;
    };
    let k = skip_number_word(inp, inp.skip_ws(after));
    let end = inp.digits(k);
    if end == k || !inp.word_end(end) {
        return None;
    }
    let document = format!("EO {}", inp.collect(k, end));
    Some(Head::whole(Scheme::ExecutiveOrder, start, end, document))
}

/// `Title 44 U.S.C. 3552`, `Title 32 CFR Part 2002`.
fn titled_code(inp: &Input, start: usize) -> Option<Head> {
    let e = inp.keyword(start, &["title"])?;
    let k = inp.skip_ws(e);
    if k == e || !inp.at(k).is_ascii_digit() {
        return None;
    }
    code_section(inp, start, k)
}

/// `44 U.S.C. 3552`, `44 USC § 3552(b)(3)`, `44 U.S. Code § 3552`, `5 U.S.C. 552a`,
/// `32 CFR 2002`, `32 C.F.R. Part 2002`, `32 CFR 2002.4(a)`. The title is the series; a
/// section of the US Code or a part of the CFR is the document.
fn code_section(inp: &Input, start: usize, k: usize) -> Option<Head> {
    let title_end = inp.digits(k);
    if title_end == k || !inp.word_end(title_end) {
        return None;
    }
    let m = inp.skip_ws(title_end);
    let (scheme, marker_end) = code_marker(inp, m)?;
    if m == title_end {
        return None;
    }
    let title = inp.collect(k, title_end);
    let series = match scheme {
        Scheme::Cfr => format!("{title} CFR"),
        _ => format!("{title} U.S.C."),
    };
    let Some((part, clause, end)) = code_number(inp, marker_end, scheme) else {
        return Some(Head::whole(scheme, start, marker_end, series));
    };
    let mut head = Head::part_of(scheme, start, end, series, Some(part));
    head.clause = clause;
    Some(head)
}

/// `U.S.C.`, `USC`, `U.S. Code`, `CFR`, `C.F.R.`: which code, and where the marker ends.
fn code_marker(inp: &Input, m: usize) -> Option<(Scheme, usize)> {
    if let Some(e) = abbreviation(inp, m, "USC") {
        return Some((Scheme::UsCode, e));
    }
    if let Some(e) = abbreviation(inp, m, "CFR") {
        return Some((Scheme::Cfr, e));
    }
    let e = abbreviation(inp, m, "US")?;
    let c = inp.skip_ws(e);
    let end = inp.keyword(c, &["code"])?;
    Some((Scheme::UsCode, end))
}

/// Capital letters written together or each followed by a dot (`USC`, `U.S.C.`).
fn abbreviation(inp: &Input, m: usize, letters: &str) -> Option<usize> {
    if !inp.word_start(m) {
        return None;
    }
    let mut j = m;
    for letter in letters.chars() {
        if inp.at(j) != letter {
            return None;
        }
        j += 1;
        if inp.at(j) == '.' {
            j += 1;
        }
    }
    (!inp.at(j).is_ascii_alphanumeric()).then_some(j)
}

/// The number after a code marker: `§ 3552(b)`, `Sec. 3552`, `Part 2002`, `2002.4(a)`.
/// Returns the part (US Code section, CFR part), a clause (the subsection or CFR
/// section), and the end.
fn code_number(inp: &Input, j: usize, scheme: Scheme) -> Option<(String, Option<String>, usize)> {
    let mut k = inp.skip_ws(j);
    if inp.at(k) == '§' {
        k = inp.skip_ws(inp.run(k, |c| c == '§'));
    } else if let Some(e) = inp.keyword(k, &["section", "sec", "part", "pt"]) {
        k = inp.skip_ws(if inp.at(e) == '.' { e + 1 } else { e });
    }
    let digits_end = inp.digits(k);
    if digits_end == k {
        return None;
    }
    // `552a`: a section may end in letters.
    let number_end = inp.run(digits_end, |c| c.is_ascii_lowercase());
    let part = inp.collect(k, number_end);
    let mut end = number_end;
    let mut clause = part.clone();
    if scheme == Scheme::Cfr && inp.at(end) == '.' && inp.at(end + 1).is_ascii_digit() {
        end = inp.run(end + 1, |c| c.is_ascii_alphanumeric());
        clause = inp.collect(k, end);
    }
    end = enhancements(inp, end, false, &mut clause);
    if !inp.word_end(end) {
        return None;
    }
    let clause = (end > number_end).then_some(clause);
    Some((part, clause, end))
}

/// `P.L. 113-283`, `Pub. L. 113-283`, `Public Law 113-283`, `PL 113-283` →
/// `P.L. 113-283`.
fn public_law(inp: &Input, start: usize) -> Option<Head> {
    let after = if let Some(e) = abbreviation(inp, start, "PL") {
        e
    } else if let Some(e) = inp.keyword(start, &["public", "pub"]) {
        let m = inp.skip_ws(if inp.at(e) == '.' { e + 1 } else { e });
        match inp.keyword(m, &["law"]) {
            Some(l) => l,
            None if inp.at(m) == 'L' && inp.at(m + 1) == '.' => m + 2,
            None => return None,
        }
    } else {
        return None;
    };
    let k = skip_number_word(inp, inp.skip_ws(after));
    let end = hyphenated_digits(inp, k)?;
    if !inp.chars[k..end].contains(&'-') {
        return None;
    }
    let document = format!("P.L. {}", inp.collect(k, end));
    Some(Head::whole(Scheme::Law, start, end, document))
}

/// Directive families written `<prefix> <number>`, as they are usually written.
const DIRECTIVES: &[&str] = &[
    "CNSSI", "CNSSP", "CNSSD", "CNSSAM", "HSPD", "PPD", "NSPM", "NSD", "DODI", "DODD", "DODM",
    "BOD", "DCID", "ICD",
];

/// `CNSSI 1253`, `CNSSI No. 1253`, `CNSS Instruction 1253`, `HSPD-12`, `DoDI 8510.01`,
/// `DoD Instruction 8510.01`, `CISA BOD 22-01` → `CNSSI 1253`, `HSPD 12`, `DODI 8510.01`,
/// `BOD 22-01`.
fn directive(inp: &Input, start: usize) -> Option<Head> {
    let mut s = start;
    let mut e = inp.letters(s);
    // `CISA BOD 22-01`, `DHS BOD 18-01`: the issuer is not part of the number.
    if inp.is_exact(s, e, "CISA") || inp.is_exact(s, e, "DHS") {
        s = inp.skip_ws(e);
        e = inp.letters(s);
    }
    if !(3..=6).contains(&(e - s)) {
        return None;
    }
    let upper = inp.upper(s, e);
    let prefix = if DIRECTIVES.contains(&upper.as_str()) && e - s > 2 || upper == "BOD" {
        upper
    } else if upper == "CNSS" || upper == "DOD" {
        let m = inp.skip_ws(e);
        let w = inp.letters(m);
        let kind = ["instruction", "policy", "directive", "manual", "advisory"]
            .into_iter()
            .find(|k| inp.is(m, w, k))?;
        let letter = match (upper.as_str(), kind) {
            ("CNSS", "advisory") => "AM",
            (_, kind) => &kind[..1],
        };
        e = w;
        format!("{upper}{}", letter.to_ascii_uppercase())
    } else {
        return None;
    };
    let k = skip_number_word(
        inp,
        if inp.at(e) == '-' {
            e + 1
        } else {
            inp.skip_ws(e)
        },
    );
    let mut end = inp.digits(k);
    if end == k {
        return None;
    }
    while matches!(inp.at(end), '.' | '-') && inp.at(end + 1).is_ascii_digit() {
        end = inp.digits(end + 1);
    }
    if !inp.word_end(end) {
        return None;
    }
    let document = format!("{prefix} {}", inp.collect(k, end));
    Some(Head::whole(Scheme::Directive, start, end, document))
}

/// `RFC 4949`, `RFC4949`, `IETF RFC 4949`, `IETF 4949` → `IETF RFC 4949`.
fn rfc(inp: &Input, start: usize) -> Option<Head> {
    let e = inp.letters(start);
    let after = if inp.is_exact(start, e, "IETF") {
        let m = inp.skip_ws(e);
        let r = inp.letters(m);
        if inp.is_exact(m, r, "RFC") {
            r
        } else {
            e
        }
    } else if inp.is_exact(start, e, "RFC") {
        e
    } else {
        return None;
    };
    let k = inp.skip_ws(after);
    let end = inp.digits(k);
    if end == k || !inp.word_end(end) {
        return None;
    }
    let document = format!("IETF RFC {}", inp.collect(k, end));
    Some(Head::whole(Scheme::Rfc, start, end, document))
}

/// Laws known by an acronym, written in capitals.
const LAW_ACRONYMS: &[&str] = &[
    "FISMA", "HIPAA", "GLBA", "SOX", "GDPR", "CCPA", "CPRA", "FERPA", "COPPA", "FOIA", "CFAA",
    "ECPA", "DORA", "PIPEDA", "CIRCIA", "FITARA", "HITECH",
];

/// Long names of laws cited under their acronym.
const LAW_NAMES: &[(&str, &str)] = &[
    ("Federal Information Security Modernization Act", "FISMA"),
    ("Federal Information Security Management Act", "FISMA"),
    (
        "Health Insurance Portability and Accountability Act",
        "HIPAA",
    ),
    ("Gramm-Leach-Bliley Act", "GLBA"),
    ("Sarbanes-Oxley Act", "SOX"),
    ("General Data Protection Regulation", "GDPR"),
    ("California Consumer Privacy Act", "CCPA"),
    ("Freedom of Information Act", "FOIA"),
    ("Computer Fraud and Abuse Act", "CFAA"),
    ("Family Educational Rights and Privacy Act", "FERPA"),
    ("Digital Operational Resilience Act", "DORA"),
];

/// Capitalised words that start sentences rather than names of laws.
const NOT_A_NAME: &[&str] = &[
    "See", "The", "Also", "Per", "Under", "In", "As", "By", "And", "Or", "Note", "This", "That",
    "Each", "Refer", "With", "For", "Of", "To", "An", "A",
];

/// Small words allowed inside the name of a law (`Freedom of Information Act`).
const NAME_JOINERS: &[&str] = &["of", "and", "the", "for", "on", "to", "in"];

/// At most this many words before `Act`: bounds each attempt, keeping the scan linear.
const MAX_LAW_WORDS: usize = 12;

/// A law: an acronym (`FISMA`), a long name cited under one (`Federal Information
/// Security Modernization Act`), or any capitalised name ending in `Act` (`Privacy Act`,
/// `E-Government Act`). An optional `of 1974` or `2014` is the edition, and a following
/// `(FISMA)` is part of the citation.
fn law(inp: &Input, start: usize) -> Option<Head> {
    let e = inp.letters(start);
    let (document, mut end) = if LAW_ACRONYMS.iter().any(|a| inp.is_exact(start, e, a)) {
        (inp.collect(start, e), e)
    } else {
        named_act(inp, start)?
    };
    if !inp.word_end(end) {
        return None;
    }
    end = acronym_in_parentheses(inp, end).unwrap_or(end);
    let mut edition = None;
    let k = inp.skip_ws(end);
    let y = match inp.keyword(k, &["of"]) {
        Some(of) => inp.skip_ws(of),
        None => k,
    };
    let year_end = inp.digits(y);
    let is_year = year_end - y == 4
        && inp.word_end(year_end)
        && matches!(&inp.collect(y, y + 2)[..], "19" | "20");
    if k > end && is_year {
        edition = Some(inp.collect(y, year_end));
        end = year_end;
    }
    end = acronym_in_parentheses(inp, end).unwrap_or(end);
    Some(Head::whole(Scheme::Law, start, end, document).with_edition(edition))
}

/// A capitalised name ending in `Act` (or a listed long name): the document and its end.
fn named_act(inp: &Input, start: usize) -> Option<(String, usize)> {
    if !inp.at(start).is_ascii_uppercase() {
        return None;
    }
    let first = name_word(inp, start)?;
    if NOT_A_NAME.iter().any(|w| inp.is_exact(start, first, w)) {
        return None;
    }
    let mut words = vec![(start, first)];
    let mut j = first;
    while words.len() <= MAX_LAW_WORDS {
        let (s, e) = *words.last()?;
        // Every long name ends in `Act` or `Regulation`: compare only there.
        if inp.is_exact(s, e, "Act") || inp.is_exact(s, e, "Regulation") {
            let name = inp.collect(start, e);
            let long = LAW_NAMES
                .iter()
                .find(|(long, _)| name.eq_ignore_ascii_case(long));
            if let Some((_, acronym)) = long {
                return Some((acronym.to_string(), e));
            }
        }
        if inp.is_exact(s, e, "Act") && words.len() > 1 {
            return Some((words_text(inp, &words), e));
        }
        let k = inp.skip_ws(j);
        if k == j || inp.is_break(j) {
            return None;
        }
        let w = name_word(inp, k)?;
        let capital = inp.at(k).is_ascii_uppercase();
        if w == k || !(capital || NAME_JOINERS.iter().any(|n| inp.is_exact(k, w, n))) {
            return None;
        }
        words.push((k, w));
        j = w;
    }
    None
}

/// At most this many chars in one word of a law's name.
const MAX_NAME_WORD: usize = 40;

/// A word of a law's name at `k` (`Gramm-Leach-Bliley`, `Children's`): its end.
fn name_word(inp: &Input, k: usize) -> Option<usize> {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '\'';
    let end = inp.run_max(k, MAX_NAME_WORD + 1, word);
    (end - k <= MAX_NAME_WORD).then_some(end)
}

/// The words of a name joined by single spaces.
fn words_text(inp: &Input, words: &[(usize, usize)]) -> String {
    let parts: Vec<String> = words.iter().map(|&(s, e)| inp.collect(s, e)).collect();
    parts.join(" ")
}

/// ` (FISMA)` after a law's long name: returns its end.
fn acronym_in_parentheses(inp: &Input, j: usize) -> Option<usize> {
    let k = inp.skip_ws(j);
    if inp.at(k) != '(' {
        return None;
    }
    let e = inp.run(k + 1, |c| {
        c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-'
    });
    (e > k + 2 && inp.at(e) == ')').then_some(e + 1)
}
