//! Citations of standards clauses, as written in the reference cells of framework tables.
//!
//! Published frameworks cite standards irregularly (SPEC §1), so this is a small hand-written
//! scanner rather than a regular expression: it runs in linear time, never panics and never
//! drops text. [`parse_citations`] splits one cell into citations; [`compare_clauses`] orders
//! clause numbers for the reference index (SPEC §6).
//!
//! Decisions on ambiguous forms:
//! - A new citation starts wherever a document designation starts: a publisher prefix
//!   (`ISO/IEC`, `ISO`, `IEC`, `ISA`, `ANSI`, `IEEE`, `SAE`, `EN`, `BS`, `DIN`, `CEN`,
//!   `CENELEC`, joined by `/` or spaces, optionally with `TR`, `TS` or `PAS`) followed by a
//!   number; or `NIST SP`/`NIST IR`/`NISTIR`/`FIPS` with a number; or `COBIT [version]`;
//!   or `CIS CSC`/`CCS CSC`/`CIS Controls [vN]`. Text around citations is a separator
//!   when it holds no letter or digit (or only the words `and` / `or`), and an unparsed
//!   citation otherwise. A cell with no citation at all is one unparsed citation.
//! - `document` and `series` are normalised: publishers in upper case, one space before
//!   the number, look-alike dashes, slashes and spaces made ASCII (`ISO/IEC27002` →
//!   `ISO/IEC 27002`, `27035–1` → `27035-1`, `NISTIR` → `NIST IR`, `NIST Special
//!   Publication` → `NIST SP`, `FIPS PUB 199` → `FIPS 199`). `cite` stays as written.
//! - For the ISO-like publishers the hyphenated tail of the number is the part
//!   (`62443-2-1` → part `2-1`). For NIST it is not (`800-53` is the whole number).
//! - `edition` is the year after the colon plus any amendments as written, whitespace
//!   collapsed (`2013/Amd 1:2014`, `2022+Amd1`); NIST revisions become `Rev. 5`
//!   (from `Rev. 5`, `Rev 5`, `Revision 5` or `800-53r5`); `CIS Controls v8` gives `v8`.
//! - Clause lists are split on commas, spaces, `and` and `&`, and may be parenthesised
//!   (`ISO 9001:2015 (clause 7.5)`). A `;` ends a citation, so a bare clause after it is
//!   kept as unparsed text rather than guessed to belong to it. A publisher-less document
//!   after a comma (`ISO/IEC 27035-1:2016, 27035-2:2016`) is kept as unparsed text too,
//!   as is a dotted document number (`IEEE 802.1X`).
//! - `Clause 6` → `6`, `Annex A.12` → `A.12`, `Annexes A and B` → `A`, `B`.
//!   Ranges (`Clauses 6 to 8`, `12.4.1-12.4.3`) are not expanded: each stays one clause,
//!   written `6 to 8`.
//! - Codes are kept whole: `SR 7.8` (and `SR 1.1 RE 1`), `AC-2(1)` (also from `AC-2 (1)`),
//!   `APO01.02`, `AU Family`. Repeated clauses of one citation are listed once.
//! - Publisher words of two letters (`EN`, `BS`, `TR`, `TS`, `SP`, `IR`) must be upper case;
//!   longer ones and keywords (`Clause`, `Annex`, `all parts`, `Rev.`) may be any case.

use std::cmp::Ordering;
use std::collections::HashSet;

/// One parsed citation of a standard (or the raw text when it could not be parsed).
///
/// Serialises with exactly these field names into `framework.json` (SPEC §6).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Citation {
    /// The citation's own text, trimmed, as written (for one of several run together:
    /// just its slice of the cell).
    pub cite: String,
    /// The document without edition, e.g. `ISO/IEC 27033-2`; `None` when unparseable.
    pub document: Option<String>,
    /// The document without its part number, e.g. `ISO/IEC 27033`.
    pub series: Option<String>,
    /// The part number, e.g. `2` or `2-1`, if the document has one.
    pub part: Option<String>,
    /// The edition: a year (`2013`, with amendments as written), or `Rev. 5` for NIST.
    pub edition: Option<String>,
    /// True for a citation of every part: `ISO/IEC 27035 (all parts)`.
    pub all_parts: bool,
    /// Normalised clauses: `Clause 6` → `6`, `Annex A` → `A`, numbers as written.
    pub clauses: Vec<String>,
}

impl Citation {
    /// True when a document was recognised; false for text kept only as written.
    pub fn is_parsed(&self) -> bool {
        self.document.is_some()
    }

    /// Text that is not a citation we understand, kept so that nothing is lost.
    fn unparsed(cite: &str) -> Self {
        Citation {
            cite: cite.to_string(),
            document: None,
            series: None,
            part: None,
            edition: None,
            all_parts: false,
            clauses: Vec::new(),
        }
    }
}

/// Parses one reference cell, which may hold several citations run together.
///
/// Citations may be separated by `;`, newlines, commas or just a space. Never drops
/// text: whatever cannot be parsed comes back as a [`Citation`] with `document: None`
/// and `cite` holding that text. Empty or whitespace-only input gives an empty vector.
/// Runs in linear time and never panics, whatever the input.
pub fn parse_citations(text: &str) -> Vec<Citation> {
    let inp = Input::new(text);
    let mut out = Vec::new();
    let mut gap_start = 0;
    let mut i = 0;
    while i < inp.len() {
        match parse_head(&inp, i) {
            Some(head) => {
                push_leftover(&inp, gap_start, i, &mut out);
                let (citation, end) = parse_body(&inp, head);
                out.push(citation);
                i = end;
                gap_start = end;
            }
            None => i = next_candidate(&inp, i),
        }
    }
    if out.is_empty() {
        // Nothing recognised: the whole cell is one unparsed citation, trimmed only.
        let trimmed = text.trim();
        return if trimmed.is_empty() {
            Vec::new()
        } else {
            vec![Citation::unparsed(trimmed)]
        };
    }
    push_leftover(&inp, gap_start, inp.len(), &mut out);
    out
}

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

// ---------------------------------------------------------------------------------------
// Clause ordering

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

// ---------------------------------------------------------------------------------------
// Input normalisation

/// The input after per-character normalisation, with each kept char's byte span in the
/// original, so that grammar code sees plain ASCII punctuation while `cite` can still be
/// sliced from the text exactly as written.
struct Input<'a> {
    src: &'a str,
    chars: Vec<char>,
    spans: Vec<(usize, usize)>,
}

impl<'a> Input<'a> {
    fn new(src: &'a str) -> Self {
        let mut chars = Vec::with_capacity(src.len());
        let mut spans = Vec::with_capacity(src.len());
        for (at, ch) in src.char_indices() {
            if let Some(n) = normalise_char(ch) {
                chars.push(n);
                spans.push((at, at + ch.len_utf8()));
            }
        }
        Input { src, chars, spans }
    }

    fn len(&self) -> usize {
        self.chars.len()
    }

    /// The char at `i`, or NUL past the end. Input NULs are normalised to spaces, so a
    /// NUL here always means "end", and it matches no grammar rule.
    fn at(&self, i: usize) -> char {
        self.chars.get(i).copied().unwrap_or('\0')
    }

    /// The original text of chars `start..end`, exactly as written.
    fn original(&self, start: usize, end: usize) -> &'a str {
        if start < end && end <= self.len() {
            &self.src[self.spans[start].0..self.spans[end - 1].1]
        } else {
            ""
        }
    }

    /// The normalised chars `start..end` (callers pass ASCII token ranges).
    fn collect(&self, start: usize, end: usize) -> String {
        self.chars[start..end].iter().collect()
    }

    /// Like `collect`, in upper case: publisher names are normalised to their usual form.
    fn upper(&self, start: usize, end: usize) -> String {
        self.collect(start, end).to_ascii_uppercase()
    }

    /// Like `collect`, with every run of spaces reduced to one.
    fn collapsed(&self, start: usize, end: usize) -> String {
        let mut s = String::new();
        for (i, &c) in self.chars[start..end].iter().enumerate() {
            if c != ' ' || self.chars[start + i + 1..end].first() != Some(&' ') {
                s.push(c);
            }
        }
        s
    }

    /// End of the run of chars satisfying `pred` that starts at `i`.
    fn run(&self, i: usize, pred: impl Fn(char) -> bool) -> usize {
        let mut j = i;
        while j < self.len() && pred(self.chars[j]) {
            j += 1;
        }
        j
    }

    fn skip_ws(&self, i: usize) -> usize {
        self.run(i, |c| c == ' ')
    }

    fn letters(&self, i: usize) -> usize {
        self.run(i, |c| c.is_ascii_alphabetic())
    }

    fn digits(&self, i: usize) -> usize {
        self.run(i, |c| c.is_ascii_digit())
    }

    /// True when `i` is not inside a word (any script counts as a word character).
    fn word_start(&self, i: usize) -> bool {
        i == 0 || !self.at(i - 1).is_alphanumeric()
    }

    /// True when a word ending at `i` is not glued to further letters or digits.
    fn word_end(&self, i: usize) -> bool {
        !self.at(i).is_alphanumeric()
    }

    /// Case-insensitive comparison of chars `start..end` with an ASCII word.
    fn is(&self, start: usize, end: usize, word: &str) -> bool {
        end - start == word.len()
            && self.chars[start..end]
                .iter()
                .zip(word.chars())
                .all(|(a, b)| a.eq_ignore_ascii_case(&b))
    }

    /// Case-sensitive comparison, for short words that could be ordinary English.
    fn is_exact(&self, start: usize, end: usize, word: &str) -> bool {
        end - start == word.len() && self.chars[start..end].iter().copied().eq(word.chars())
    }

    /// A whole word at `i` equal (ignoring case) to one of `words`: returns its end.
    fn keyword(&self, i: usize, words: &[&str]) -> Option<usize> {
        let end = self.letters(i);
        let found = end > i && self.word_start(i) && self.word_end(end);
        (found && words.iter().any(|w| self.is(i, end, w))).then_some(end)
    }
}

/// Maps look-alike characters to the ASCII the grammar expects; `None` drops invisible
/// characters (zero-width spaces, soft hyphens, byte-order marks).
fn normalise_char(ch: char) -> Option<char> {
    match ch {
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => None,
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => Some('-'),
        '\u{2044}' | '\u{2215}' | '\u{FF0F}' => Some('/'),
        '\u{FF1A}' => Some(':'),
        '\u{FF0C}' => Some(','),
        '\u{FF1B}' => Some(';'),
        c if c.is_whitespace() || c.is_control() => Some(' '),
        c => Some(c),
    }
}

/// Where to try the next document start after a failed attempt at `i`: skipping the
/// whole word keeps the scan linear (a document never starts inside a word).
fn next_candidate(inp: &Input, i: usize) -> usize {
    if inp.at(i).is_alphanumeric() {
        inp.run(i, char::is_alphanumeric)
    } else {
        i + 1
    }
}

/// Keeps the text between two citations unless it only separates them: punctuation
/// and the connectives `and` / `or` (`ISO 27001 and ISO 22301`).
fn push_leftover(inp: &Input, start: usize, end: usize, out: &mut Vec<Citation>) {
    let is_sep = |c: char| matches!(c, ' ' | ',' | ';');
    let (mut s, mut e) = (start, end);
    while s < e && is_sep(inp.at(s)) {
        s += 1;
    }
    while e > s && is_sep(inp.at(e - 1)) {
        e -= 1;
    }
    if !only_connectives(inp, s, e) {
        out.push(Citation::unparsed(inp.original(s, e).trim()));
    }
}

/// True when every word in `start..end` is `and` or `or` (also when there is none).
fn only_connectives(inp: &Input, start: usize, end: usize) -> bool {
    let mut i = start;
    while i < end {
        if !inp.at(i).is_alphanumeric() {
            i += 1;
            continue;
        }
        let word_end = inp.run(i, char::is_alphanumeric).min(end);
        if !(inp.is(i, word_end, "and") || inp.is(i, word_end, "or")) {
            return false;
        }
        i = word_end;
    }
    true
}

// ---------------------------------------------------------------------------------------
// Document designations ("heads")

/// A recognised document designation: where a citation starts.
struct Head {
    start: usize,
    end: usize,
    series: String,
    part: Option<String>,
    edition: Option<String>,
}

impl Head {
    fn document(&self) -> String {
        match &self.part {
            Some(part) => format!("{}-{}", self.series, part),
            None => self.series.clone(),
        }
    }
}

/// Standards bodies whose numbers read `NNNNN-P-P`, the hyphenated tail being the part.
const ORGS: &[&str] = &[
    "ISO", "IEC", "ISA", "ANSI", "IEEE", "SAE", "EN", "BS", "DIN", "CEN", "CENELEC",
];

/// Document types that sit between the publisher and the number.
const DOC_TYPES: &[&str] = &["TR", "TS", "PAS"];

/// At most this many publishers in one prefix (`BS EN ISO/IEC` is four); the bound keeps
/// a failed attempt cheap on text like `ISO/ISO/ISO/...`.
const MAX_ORGS: usize = 4;

/// A document designation starting at `i`, of any family we know.
fn parse_head(inp: &Input, i: usize) -> Option<Head> {
    if !inp.at(i).is_ascii_alphabetic() || !inp.word_start(i) {
        return None;
    }
    parse_org_head(inp, i)
        .or_else(|| parse_nist_head(inp, i))
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
    Some(Head {
        start,
        end,
        series: format!("{prefix} {number}"),
        part,
        edition: None,
    })
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

/// `NIST SP 800-53 Rev. 5`, `NIST SP 800-61r2`, `NISTIR 8259`, `FIPS 140-3`: the hyphen
/// is part of the number here, never a part separator.
fn parse_nist_head(inp: &Input, start: usize) -> Option<Head> {
    let e = inp.letters(start);
    let (prefix, after) = if inp.is(start, e, "NISTIR") {
        ("NIST IR".to_string(), e)
    } else if inp.is(start, e, "FIPS") {
        ("FIPS".to_string(), skip_word(inp, e, "PUB"))
    } else if inp.is(start, e, "NIST") {
        nist_series(inp, e)
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
    Some(Head {
        start,
        end,
        series: format!("{prefix} {number}"),
        part: None,
        edition,
    })
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
    } else {
        ("NIST".to_string(), after_nist)
    }
}

/// Skips an optional word (after spaces) such as `PUB` in `FIPS PUB 199`.
fn skip_word(inp: &Input, i: usize, word: &str) -> usize {
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
        let digits_end = inp.digits(end + 1);
        edition = Some(format!("Rev. {}", inp.collect(end + 1, digits_end)));
        end = digits_end;
    }
    inp.word_end(end).then_some((number, end, edition))
}

/// A separate revision: ` Rev. 5`, ` Rev 5`, `, Revision 5` → `Rev. 5`.
fn nist_revision(inp: &Input, j: usize) -> Option<(String, usize)> {
    let mut k = inp.skip_ws(j);
    if inp.at(k) == ',' {
        k = inp.skip_ws(k + 1);
    }
    let e = inp.keyword(k, &["rev", "revision"])?;
    let m = inp.skip_ws(if inp.at(e) == '.' { e + 1 } else { e });
    let d = inp.digits(m);
    (d > m && inp.word_end(d)).then(|| (format!("Rev. {}", inp.collect(m, d)), d))
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
    inp.word_end(end).then_some(Head {
        start,
        end,
        series,
        part: None,
        edition: None,
    })
}

/// `CIS CSC`, `CCS CSC`, `CIS Controls`, with an optional `v8` edition.
fn cis_head(inp: &Input, start: usize, e: usize) -> Option<Head> {
    let k = inp.skip_ws(e);
    let w = inp.letters(k);
    let name = if inp.is_exact(k, w, "CSC") {
        "CSC"
    } else if inp.keyword(k, &["controls"]).is_some() {
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
    Some(Head {
        start,
        end,
        series,
        part: None,
        edition,
    })
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

// ---------------------------------------------------------------------------------------
// What follows a head: edition, "(all parts)", clauses

/// Completes a citation from its head; returns it and where it ends.
fn parse_body(inp: &Input, head: Head) -> (Citation, usize) {
    let mut end = head.end;
    let mut edition = head.edition.clone();
    let mut all_parts = false;
    // Edition and "(all parts)" may come in either order.
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
    let (clauses, end) = parse_clause_list(inp, end, false);
    let citation = Citation {
        cite: inp.original(head.start, end).trim().to_string(),
        document: Some(head.document()),
        series: Some(head.series),
        part: head.part,
        edition,
        all_parts,
        clauses,
    };
    (citation, end)
}

/// `:2013`, `:2013/Amd 1:2014`, `:2022+Amd1`, `:2013/Cor.1:2014`: year and amendments,
/// kept as written with spaces collapsed.
fn parse_edition(inp: &Input, j: usize) -> Option<(String, usize)> {
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
fn parse_clause_list(inp: &Input, start: usize, nested: bool) -> (Vec<String>, usize) {
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
fn skip_separators(inp: &Input, mut j: usize, first: bool) -> usize {
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
    if let Some(e) = inp.keyword(k, &["annex", "annexes", "appendix"]) {
        let (clause, e) = ranged(inp, inp.skip_ws(e), annex_ref)?;
        return Some((clause, e, true));
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

/// `Clause`, `Clauses`, `Cl.`, `Section`, `Sec.`, `§`: returns where the number may start.
fn clause_keyword(inp: &Input, k: usize) -> Option<usize> {
    if inp.at(k) == '§' {
        return Some(inp.run(k, |c| c == '§'));
    }
    let words = ["clause", "clauses", "cl", "section", "sections", "sec"];
    let e = inp.keyword(k, &words)?;
    Some(if inp.at(e) == '.' { e + 1 } else { e })
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
fn clause_token(inp: &Input, k: usize) -> Option<(String, usize)> {
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
fn enhancements(inp: &Input, mut end: usize, spaced: bool, clause: &mut String) -> usize {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Expected citation, compactly: cite, document, series, part, edition, all parts, clauses.
    type Want<'a> = (
        &'a str,
        Option<&'a str>,
        Option<&'a str>,
        Option<&'a str>,
        Option<&'a str>,
        bool,
        &'a [&'a str],
    );

    fn citation(w: Want) -> Citation {
        Citation {
            cite: w.0.to_string(),
            document: w.1.map(str::to_string),
            series: w.2.map(str::to_string),
            part: w.3.map(str::to_string),
            edition: w.4.map(str::to_string),
            all_parts: w.5,
            clauses: w.6.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// A parsed citation without part or "(all parts)", the most common shape.
    fn simple<'a>(cite: &'a str, doc: &'a str, ed: Option<&'a str>, cl: &'a [&'a str]) -> Want<'a> {
        (cite, Some(doc), Some(doc), None, ed, false, cl)
    }

    fn unparsed(cite: &str) -> Want<'_> {
        (cite, None, None, None, None, false, &[])
    }

    fn check(cases: Vec<(&str, Vec<Want>)>) {
        for (input, want) in cases {
            let want: Vec<Citation> = want.into_iter().map(citation).collect();
            assert_eq!(parse_citations(input), want, "input: {input:?}");
        }
    }

    #[test]
    fn spec_forms() {
        let y13 = Some("2013");
        check(vec![
            (
                "ISO/IEC 27002:2013, 16.1.5",
                vec![simple(
                    "ISO/IEC 27002:2013, 16.1.5",
                    "ISO/IEC 27002",
                    y13,
                    &["16.1.5"],
                )],
            ),
            (
                "ISO/IEC 27002:2013, 12.4.1, 14.2.7, 15.2.1",
                vec![simple(
                    "ISO/IEC 27002:2013, 12.4.1, 14.2.7, 15.2.1",
                    "ISO/IEC 27002",
                    y13,
                    &["12.4.1", "14.2.7", "15.2.1"],
                )],
            ),
            (
                "ISO/IEC 27035 (all parts)",
                vec![(
                    "ISO/IEC 27035 (all parts)",
                    Some("ISO/IEC 27035"),
                    Some("ISO/IEC 27035"),
                    None,
                    None,
                    true,
                    &[],
                )],
            ),
            (
                "ISO/IEC 27001:2013, Clause 6",
                vec![simple(
                    "ISO/IEC 27001:2013, Clause 6",
                    "ISO/IEC 27001",
                    y13,
                    &["6"],
                )],
            ),
            (
                "ISO/IEC 27002:2013, Clauses 6 and 7",
                vec![simple(
                    "ISO/IEC 27002:2013, Clauses 6 and 7",
                    "ISO/IEC 27002",
                    y13,
                    &["6", "7"],
                )],
            ),
            (
                "ISO/IEC 27033-2",
                vec![(
                    "ISO/IEC 27033-2",
                    Some("ISO/IEC 27033-2"),
                    Some("ISO/IEC 27033"),
                    Some("2"),
                    None,
                    false,
                    &[],
                )],
            ),
            (
                "ISO/IEC TR 27103:2018",
                vec![simple(
                    "ISO/IEC TR 27103:2018",
                    "ISO/IEC TR 27103",
                    Some("2018"),
                    &[],
                )],
            ),
            (
                "ISO/IEC 27001:2013, 6.1.3, 8.3,9.3",
                vec![simple(
                    "ISO/IEC 27001:2013, 6.1.3, 8.3,9.3",
                    "ISO/IEC 27001",
                    y13,
                    &["6.1.3", "8.3", "9.3"],
                )],
            ),
            (
                "ISO/IEC 27002:2013 8.2.3, 8.3.1",
                vec![simple(
                    "ISO/IEC 27002:2013 8.2.3, 8.3.1",
                    "ISO/IEC 27002",
                    y13,
                    &["8.2.3", "8.3.1"],
                )],
            ),
        ]);
    }

    #[test]
    fn clause_keywords_and_annexes() {
        let y13 = Some("2013");
        let d1 = "ISO/IEC 27001";
        check(vec![
            (
                "ISO/IEC 27001:2013, Clauses 6, 7 and 8",
                vec![simple(
                    "ISO/IEC 27001:2013, Clauses 6, 7 and 8",
                    d1,
                    y13,
                    &["6", "7", "8"],
                )],
            ),
            (
                "ISO/IEC 27001:2013, Clauses 6 to 8",
                vec![simple(
                    "ISO/IEC 27001:2013, Clauses 6 to 8",
                    d1,
                    y13,
                    &["6 to 8"],
                )],
            ),
            (
                "ISO/IEC 27002:2013, 12.4.1-12.4.3",
                vec![simple(
                    "ISO/IEC 27002:2013, 12.4.1-12.4.3",
                    "ISO/IEC 27002",
                    y13,
                    &["12.4.1 to 12.4.3"],
                )],
            ),
            (
                "ISO/IEC 27001:2013, Annex A",
                vec![simple("ISO/IEC 27001:2013, Annex A", d1, y13, &["A"])],
            ),
            (
                "ISO/IEC 27001:2013, Annex A.12",
                vec![simple("ISO/IEC 27001:2013, Annex A.12", d1, y13, &["A.12"])],
            ),
            (
                "ISO/IEC 27001:2013 A.8.1.1, A.8.1.2",
                vec![simple(
                    "ISO/IEC 27001:2013 A.8.1.1, A.8.1.2",
                    d1,
                    y13,
                    &["A.8.1.1", "A.8.1.2"],
                )],
            ),
            (
                "ISO/IEC 27001:2013, Annexes A and B",
                vec![simple(
                    "ISO/IEC 27001:2013, Annexes A and B",
                    d1,
                    y13,
                    &["A", "B"],
                )],
            ),
            (
                "ISO/IEC 27001:2013, clause 6.1.2, Section 7, § 8.1",
                vec![simple(
                    "ISO/IEC 27001:2013, clause 6.1.2, Section 7, § 8.1",
                    d1,
                    y13,
                    &["6.1.2", "7", "8.1"],
                )],
            ),
            (
                "ISO/IEC 27002, 12.4.1",
                vec![simple(
                    "ISO/IEC 27002, 12.4.1",
                    "ISO/IEC 27002",
                    None,
                    &["12.4.1"],
                )],
            ),
            (
                "ISO/IEC 27002:2013, 12.4.1, 12.4.1",
                vec![simple(
                    "ISO/IEC 27002:2013, 12.4.1, 12.4.1",
                    "ISO/IEC 27002",
                    y13,
                    &["12.4.1"],
                )],
            ),
            (
                "ISO/IEC 27002:2013 – 12.4.1",
                vec![simple(
                    "ISO/IEC 27002:2013 – 12.4.1",
                    "ISO/IEC 27002",
                    y13,
                    &["12.4.1"],
                )],
            ),
            (
                "ISO 27001: A.12",
                vec![simple("ISO 27001: A.12", "ISO 27001", None, &["A.12"])],
            ),
        ]);
    }

    #[test]
    fn several_citations_in_one_cell() {
        check(vec![
            (
                "ISO/IEC 27002:2013, 12.6.1, 18.2.3 ISO/IEC 27019:2017, 9.2.1",
                vec![
                    simple(
                        "ISO/IEC 27002:2013, 12.6.1, 18.2.3",
                        "ISO/IEC 27002",
                        Some("2013"),
                        &["12.6.1", "18.2.3"],
                    ),
                    simple(
                        "ISO/IEC 27019:2017, 9.2.1",
                        "ISO/IEC 27019",
                        Some("2017"),
                        &["9.2.1"],
                    ),
                ],
            ),
            (
                "ISO/IEC 27035-1; ISO/IEC 27035-2 ISO/IEC 27031",
                vec![
                    (
                        "ISO/IEC 27035-1",
                        Some("ISO/IEC 27035-1"),
                        Some("ISO/IEC 27035"),
                        Some("1"),
                        None,
                        false,
                        &[],
                    ),
                    (
                        "ISO/IEC 27035-2",
                        Some("ISO/IEC 27035-2"),
                        Some("ISO/IEC 27035"),
                        Some("2"),
                        None,
                        false,
                        &[],
                    ),
                    simple("ISO/IEC 27031", "ISO/IEC 27031", None, &[]),
                ],
            ),
            (
                "ISO/IEC 27001:2013, 6.1\nISO/IEC 27002:2013, 5.1.1",
                vec![
                    simple(
                        "ISO/IEC 27001:2013, 6.1",
                        "ISO/IEC 27001",
                        Some("2013"),
                        &["6.1"],
                    ),
                    simple(
                        "ISO/IEC 27002:2013, 5.1.1",
                        "ISO/IEC 27002",
                        Some("2013"),
                        &["5.1.1"],
                    ),
                ],
            ),
            (
                "ISO/IEC 27001:2013, 6.1, ISO/IEC 27002:2013, 5.1.1",
                vec![
                    simple(
                        "ISO/IEC 27001:2013, 6.1",
                        "ISO/IEC 27001",
                        Some("2013"),
                        &["6.1"],
                    ),
                    simple(
                        "ISO/IEC 27002:2013, 5.1.1",
                        "ISO/IEC 27002",
                        Some("2013"),
                        &["5.1.1"],
                    ),
                ],
            ),
            (
                "COBIT 5 APO01.02; NIST SP 800-53 Rev. 4 AC-2 CIS CSC 4",
                vec![
                    simple("COBIT 5 APO01.02", "COBIT 5", None, &["APO01.02"]),
                    simple(
                        "NIST SP 800-53 Rev. 4 AC-2",
                        "NIST SP 800-53",
                        Some("Rev. 4"),
                        &["AC-2"],
                    ),
                    simple("CIS CSC 4", "CIS CSC", None, &["4"]),
                ],
            ),
        ]);
    }

    #[test]
    fn publishers() {
        check(vec![
            (
                "ISA 62443-2-1:2009 4.3.2.3.3",
                vec![(
                    "ISA 62443-2-1:2009 4.3.2.3.3",
                    Some("ISA 62443-2-1"),
                    Some("ISA 62443"),
                    Some("2-1"),
                    Some("2009"),
                    false,
                    &["4.3.2.3.3"],
                )],
            ),
            (
                "ISA 62443-3-3:2013 SR 7.8",
                vec![(
                    "ISA 62443-3-3:2013 SR 7.8",
                    Some("ISA 62443-3-3"),
                    Some("ISA 62443"),
                    Some("3-3"),
                    Some("2013"),
                    false,
                    &["SR 7.8"],
                )],
            ),
            (
                "IEC 62443-2-1",
                vec![(
                    "IEC 62443-2-1",
                    Some("IEC 62443-2-1"),
                    Some("IEC 62443"),
                    Some("2-1"),
                    None,
                    false,
                    &[],
                )],
            ),
            (
                "ANSI/ISA-62443-3-3 SR 1.1 RE 1, SR 2.6",
                vec![(
                    "ANSI/ISA-62443-3-3 SR 1.1 RE 1, SR 2.6",
                    Some("ANSI/ISA 62443-3-3"),
                    Some("ANSI/ISA 62443"),
                    Some("3-3"),
                    None,
                    false,
                    &["SR 1.1 RE 1", "SR 2.6"],
                )],
            ),
            (
                "ISO/TS 22317; IEC TR 62443-2-3; ISO/IEC TS 27110",
                vec![
                    simple("ISO/TS 22317", "ISO/TS 22317", None, &[]),
                    (
                        "IEC TR 62443-2-3",
                        Some("IEC TR 62443-2-3"),
                        Some("IEC TR 62443"),
                        Some("2-3"),
                        None,
                        false,
                        &[],
                    ),
                    simple("ISO/IEC TS 27110", "ISO/IEC TS 27110", None, &[]),
                ],
            ),
            (
                "BS EN ISO/IEC 27001:2017, 6.1.2",
                vec![simple(
                    "BS EN ISO/IEC 27001:2017, 6.1.2",
                    "BS EN ISO/IEC 27001",
                    Some("2017"),
                    &["6.1.2"],
                )],
            ),
            (
                "ISO 22301:2019, 8.4",
                vec![simple(
                    "ISO 22301:2019, 8.4",
                    "ISO 22301",
                    Some("2019"),
                    &["8.4"],
                )],
            ),
        ]);
    }

    #[test]
    fn nist_cobit_cis() {
        let sp53 = "NIST SP 800-53";
        check(vec![
            (
                "NIST SP 800-53 Rev. 5",
                vec![simple("NIST SP 800-53 Rev. 5", sp53, Some("Rev. 5"), &[])],
            ),
            (
                "NIST SP 800-53 Rev. 4 AC-2, CM-8",
                vec![simple(
                    "NIST SP 800-53 Rev. 4 AC-2, CM-8",
                    sp53,
                    Some("Rev. 4"),
                    &["AC-2", "CM-8"],
                )],
            ),
            (
                "NIST SP 800-53 Rev 4 AC-2 (1), SI-4(24), AU Family",
                vec![simple(
                    "NIST SP 800-53 Rev 4 AC-2 (1), SI-4(24), AU Family",
                    sp53,
                    Some("Rev. 4"),
                    &["AC-2(1)", "SI-4(24)", "AU Family"],
                )],
            ),
            (
                "NIST SP 800-61r2",
                vec![simple(
                    "NIST SP 800-61r2",
                    "NIST SP 800-61",
                    Some("Rev. 2"),
                    &[],
                )],
            ),
            (
                "NIST Special Publication 800-53A",
                vec![simple(
                    "NIST Special Publication 800-53A",
                    "NIST SP 800-53A",
                    None,
                    &[],
                )],
            ),
            (
                "NISTIR 8286; FIPS 140-3",
                vec![
                    simple("NISTIR 8286", "NIST IR 8286", None, &[]),
                    simple("FIPS 140-3", "FIPS 140-3", None, &[]),
                ],
            ),
            (
                "COBIT 5 APO01.02, BAI09.01",
                vec![simple(
                    "COBIT 5 APO01.02, BAI09.01",
                    "COBIT 5",
                    None,
                    &["APO01.02", "BAI09.01"],
                )],
            ),
            (
                "CIS CSC 4",
                vec![simple("CIS CSC 4", "CIS CSC", None, &["4"])],
            ),
            (
                "CCS CSC 1, 2, 3",
                vec![simple("CCS CSC 1, 2, 3", "CCS CSC", None, &["1", "2", "3"])],
            ),
            (
                "CIS Controls v8 4.1",
                vec![simple(
                    "CIS Controls v8 4.1",
                    "CIS Controls",
                    Some("v8"),
                    &["4.1"],
                )],
            ),
        ]);
    }

    #[test]
    fn editions_and_all_parts() {
        let d = "ISO/IEC 27001";
        let all = |cite, doc, ed| (cite, Some(doc), Some(doc), None, ed, true, &[][..]);
        check(vec![
            (
                "ISO/IEC 27001:2013/Amd 1:2014, 6.1",
                vec![simple(
                    "ISO/IEC 27001:2013/Amd 1:2014, 6.1",
                    d,
                    Some("2013/Amd 1:2014"),
                    &["6.1"],
                )],
            ),
            (
                "ISO/IEC 27001:2022+Amd1",
                vec![simple("ISO/IEC 27001:2022+Amd1", d, Some("2022+Amd1"), &[])],
            ),
            (
                "ISO/IEC 27001:2013/Cor.1:2014 A.5",
                vec![simple(
                    "ISO/IEC 27001:2013/Cor.1:2014 A.5",
                    d,
                    Some("2013/Cor.1:2014"),
                    &["A.5"],
                )],
            ),
            (
                "ISO/IEC 27035:2016 (all parts)",
                vec![all(
                    "ISO/IEC 27035:2016 (all parts)",
                    "ISO/IEC 27035",
                    Some("2016"),
                )],
            ),
            (
                "ISO/IEC 27035 ( All Parts ):2016",
                vec![all(
                    "ISO/IEC 27035 ( All Parts ):2016",
                    "ISO/IEC 27035",
                    Some("2016"),
                )],
            ),
            (
                "ISO/IEC 27000 series",
                vec![all("ISO/IEC 27000 series", "ISO/IEC 27000", None)],
            ),
        ]);
    }

    #[test]
    fn tolerated_typography() {
        check(vec![
            (
                "ISO/IEC\u{a0}27002:2013,\u{a0}16.1.5",
                vec![simple(
                    "ISO/IEC\u{a0}27002:2013,\u{a0}16.1.5",
                    "ISO/IEC 27002",
                    Some("2013"),
                    &["16.1.5"],
                )],
            ),
            (
                "ISO/IEC 27035–1",
                vec![(
                    "ISO/IEC 27035–1",
                    Some("ISO/IEC 27035-1"),
                    Some("ISO/IEC 27035"),
                    Some("1"),
                    None,
                    false,
                    &[],
                )],
            ),
            (
                "  ISO/IEC 27002:2013, 16.1.5.  ",
                vec![simple(
                    "ISO/IEC 27002:2013, 16.1.5",
                    "ISO/IEC 27002",
                    Some("2013"),
                    &["16.1.5"],
                )],
            ),
            (
                "ISO/IEC27002:2013,  12.4.1 ;",
                vec![simple(
                    "ISO/IEC27002:2013,  12.4.1",
                    "ISO/IEC 27002",
                    Some("2013"),
                    &["12.4.1"],
                )],
            ),
            (
                "iso/iec 27002 : 2013 , 5.1",
                vec![simple(
                    "iso/iec 27002 : 2013 , 5.1",
                    "ISO/IEC 27002",
                    Some("2013"),
                    &["5.1"],
                )],
            ),
            (
                "ISO/IEC\u{200b} 27001:2013",
                vec![simple(
                    "ISO/IEC\u{200b} 27001:2013",
                    "ISO/IEC 27001",
                    Some("2013"),
                    &[],
                )],
            ),
        ]);
    }

    #[test]
    fn unparseable_text_is_kept() {
        check(vec![
            ("", vec![]),
            ("   \n\t ", vec![]),
            (
                "see the vendor manual",
                vec![unparsed("see the vendor manual")],
            ),
            ("  Clause 5  ", vec![unparsed("Clause 5")]),
            ("-", vec![unparsed("-")]),
            (
                "en 1234 is not a standard",
                vec![unparsed("en 1234 is not a standard")],
            ),
            ("ISO/IEC 27001A", vec![unparsed("ISO/IEC 27001A")]),
            (
                "ISO/IEC 27001:2013, 6.1.2 and the vendor manual",
                vec![
                    simple(
                        "ISO/IEC 27001:2013, 6.1.2",
                        "ISO/IEC 27001",
                        Some("2013"),
                        &["6.1.2"],
                    ),
                    unparsed("and the vendor manual"),
                ],
            ),
            (
                "Vendor manual; ISO/IEC 27002:2013, 12.4.1",
                vec![
                    unparsed("Vendor manual"),
                    simple(
                        "ISO/IEC 27002:2013, 12.4.1",
                        "ISO/IEC 27002",
                        Some("2013"),
                        &["12.4.1"],
                    ),
                ],
            ),
            (
                "ISO/IEC 27002:2013, 12.4.1 (logging), 12.4.2",
                vec![
                    simple(
                        "ISO/IEC 27002:2013, 12.4.1",
                        "ISO/IEC 27002",
                        Some("2013"),
                        &["12.4.1"],
                    ),
                    unparsed("(logging), 12.4.2"),
                ],
            ),
            (
                "ISO/IEC 27002:2013, 12.4.1; 14.2.7",
                vec![
                    simple(
                        "ISO/IEC 27002:2013, 12.4.1",
                        "ISO/IEC 27002",
                        Some("2013"),
                        &["12.4.1"],
                    ),
                    unparsed("14.2.7"),
                ],
            ),
            (
                "ISO/IEC 27001, Clause",
                vec![
                    simple("ISO/IEC 27001", "ISO/IEC 27001", None, &[]),
                    unparsed("Clause"),
                ],
            ),
            ("IEEE 802.1X", vec![unparsed("IEEE 802.1X")]),
            ("SP 800-53", vec![unparsed("SP 800-53")]),
            (
                "ISO/IEC 27035-1:2016, 27035-2:2016",
                vec![
                    (
                        "ISO/IEC 27035-1:2016",
                        Some("ISO/IEC 27035-1"),
                        Some("ISO/IEC 27035"),
                        Some("1"),
                        Some("2016"),
                        false,
                        &[],
                    ),
                    unparsed("27035-2:2016"),
                ],
            ),
            (
                "ISO 27001, 27002",
                vec![simple("ISO 27001, 27002", "ISO 27001", None, &["27002"])],
            ),
        ]);
    }

    #[test]
    fn connectives_and_parentheses() {
        check(vec![
            (
                "ISO 27001 and ISO 22301, or ISO 31000",
                vec![
                    simple("ISO 27001", "ISO 27001", None, &[]),
                    simple("ISO 22301", "ISO 22301", None, &[]),
                    simple("ISO 31000", "ISO 31000", None, &[]),
                ],
            ),
            (
                "ISO 9001:2015 (clause 7.5)",
                vec![simple(
                    "ISO 9001:2015 (clause 7.5)",
                    "ISO 9001",
                    Some("2015"),
                    &["7.5"],
                )],
            ),
            (
                "ISO/IEC 27002:2013 (12.4.1, 12.4.3), 16.1.5",
                vec![simple(
                    "ISO/IEC 27002:2013 (12.4.1, 12.4.3), 16.1.5",
                    "ISO/IEC 27002",
                    Some("2013"),
                    &["12.4.1", "12.4.3", "16.1.5"],
                )],
            ),
            (
                "ISO/IEC 27002:2013 (12.4.1 (a))",
                vec![
                    simple("ISO/IEC 27002:2013", "ISO/IEC 27002", Some("2013"), &[]),
                    unparsed("(12.4.1 (a))"),
                ],
            ),
        ]);
    }

    #[test]
    fn is_parsed_and_serialised_names() {
        let cits = parse_citations("ISO/IEC 27019:2017, 9.2.1; vendor manual");
        assert!(cits[0].is_parsed());
        assert!(!cits[1].is_parsed());
        let json = serde_json::to_value(&cits[0]).unwrap();
        let want = serde_json::json!({
            "cite": "ISO/IEC 27019:2017, 9.2.1",
            "document": "ISO/IEC 27019",
            "series": "ISO/IEC 27019",
            "part": null,
            "edition": "2017",
            "all_parts": false,
            "clauses": ["9.2.1"]
        });
        assert_eq!(json, want);
    }

    #[test]
    fn clause_order_pairs() {
        use Ordering::*;
        let cases = [
            ("6.1.2", "6.1.10", Less),
            ("6.1.10", "12.4.1", Less),
            ("6", "6.1", Less),
            ("18", "A.5", Less),
            ("A.5", "A.12", Less),
            ("A.12.4.1", "A.12.4.1", Equal),
            ("9", "10", Less),
            ("AC-2", "AC-10", Less),
            ("SR 7.8", "SR 1.13", Greater),
            ("6.01", "6.1", Less),
            ("6.1", "6.01", Greater),
            ("", "1", Less),
            ("99999999999999999999999", "100000000000000000000000", Less),
            ("5.1", "5.1a", Less),
            ("6 to 8", "6.1", Less),
        ];
        for (a, b, want) in cases {
            assert_eq!(compare_clauses(a, b), want, "{a:?} vs {b:?}");
            assert_eq!(compare_clauses(b, a), want.reverse(), "{b:?} vs {a:?}");
        }
    }

    #[test]
    fn clause_sort() {
        let mut clauses = vec![
            "A.12", "12.4.1", "6.1.10", "A.5", "6", "SR 7.8", "6.1.2", "6.1", "A", "18",
        ];
        clauses.sort_by(|a, b| compare_clauses(a, b));
        let want = [
            "6", "6.1", "6.1.2", "6.1.10", "12.4.1", "18", "A", "A.5", "A.12", "SR 7.8",
        ];
        assert_eq!(clauses, want);
    }

    /// xorshift64*: deterministic, dependency-free randomness for property tests.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    /// Random text biased towards the grammar's own pieces, plus arbitrary unicode.
    fn random_text(rng: &mut Rng) -> String {
        const PIECES: &[&str] = &[
            "ISO/IEC ",
            "ISO",
            "IEC",
            "/",
            " ",
            "27002",
            "-",
            "–",
            ":",
            "2013",
            ",",
            ";",
            ".",
            "(",
            ")",
            "all parts",
            "Clause ",
            "Clauses ",
            "and ",
            "Annex ",
            "A",
            "A.",
            "12",
            "\u{a0}",
            "\u{200b}",
            "NIST SP 800-53",
            " Rev. ",
            "r",
            "SR ",
            "RE",
            "COBIT ",
            "CIS CSC ",
            "to",
            "§",
            "\n",
            "é",
            "🙂",
            "Amd",
            "+",
            "series",
            "AC-",
            "0",
            "(1)",
            "or",
        ];
        let mut s = String::new();
        for _ in 0..rng.below(40) {
            match rng.below(4) {
                0 => s.extend(char::from_u32(rng.below(0x11_0000) as u32)),
                _ => s.push_str(PIECES[rng.below(PIECES.len())]),
            }
        }
        s
    }

    /// The words of a text: its maximal runs of letters and digits.
    fn words(s: &str) -> Vec<&str> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect()
    }

    /// Every word of the input, in order, must be found in the cites, except the
    /// connectives `and` / `or` between citations: nothing meaningful is ever dropped.
    fn assert_nothing_dropped(input: &str) {
        let cits = parse_citations(input);
        let kept: Vec<&str> = cits.iter().flat_map(|c| words(&c.cite)).collect();
        let mut next = kept.iter().peekable();
        for word in words(input) {
            if next.peek() == Some(&&word) {
                next.next();
            } else {
                let connective =
                    word.eq_ignore_ascii_case("and") || word.eq_ignore_ascii_case("or");
                assert!(connective, "{word:?} dropped from {input:?} -> {cits:?}");
            }
        }
        assert!(next.peek().is_none(), "{input:?} -> {cits:?}");
        for c in &cits {
            assert!(
                !c.cite.is_empty() && input.contains(&c.cite),
                "{input:?}: {c:?}"
            );
            assert_eq!(c.cite, c.cite.trim());
            assert!(c.document.as_ref().is_none_or(|d| !d.is_empty()));
        }
    }

    #[test]
    fn random_text_never_panics_or_drops_text() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for _ in 0..20_000 {
            assert_nothing_dropped(&random_text(&mut rng));
        }
        for _ in 0..2_000 {
            let bytes: Vec<u8> = (0..rng.below(64)).map(|_| rng.next() as u8).collect();
            assert_nothing_dropped(&String::from_utf8_lossy(&bytes));
        }
    }

    #[test]
    fn random_clauses_are_totally_ordered() {
        const PIECES: &[&str] = &["0", "1", "2", "10", "007", ".", "A", "a", "-", " ", "SR"];
        let mut rng = Rng(42);
        let words: Vec<String> = (0..60)
            .map(|_| {
                (0..rng.below(6))
                    .map(|_| PIECES[rng.below(PIECES.len())])
                    .collect()
            })
            .collect();
        for a in &words {
            for b in &words {
                let ab = compare_clauses(a, b);
                assert_eq!(ab, compare_clauses(b, a).reverse(), "{a:?} {b:?}");
                assert_eq!(ab == Ordering::Equal, a == b, "{a:?} {b:?}");
                for c in &words {
                    if ab != Ordering::Greater && compare_clauses(b, c) != Ordering::Greater {
                        assert_ne!(
                            compare_clauses(a, c),
                            Ordering::Greater,
                            "{a:?} {b:?} {c:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn long_inputs_are_linear() {
        let pieces = [
            "ISO/IEC 27002:2013, 12.4.1, ".repeat(20_000),
            "ISO/".repeat(50_000),
            "ISO ".repeat(50_000) + "x",
            format!("ISO{}27001", " ".repeat(200_000)),
            "Clause ".repeat(50_000),
            "1.".repeat(100_000),
            "(".repeat(100_000),
            "A-".repeat(100_000),
            "ISO/IEC 27001:2013 ".to_string() + &"6, ".repeat(50_000),
            "ISO 1 (".to_string() + &"1, ".repeat(50_000),
            "ISO 1 ".to_string() + &"(1 ".repeat(50_000),
            "ISO 1 and ".repeat(50_000),
            "Annex ".repeat(50_000) + "A",
        ];
        let start = std::time::Instant::now();
        for text in &pieces {
            assert_nothing_dropped(text);
        }
        // Generous bound for debug builds: quadratic behaviour would take minutes.
        assert!(start.elapsed().as_secs() < 20, "took {:?}", start.elapsed());
    }
}
