//! Citations of standards, laws and other documents, as written in the reference cells of
//! framework tables.
//!
//! Published frameworks cite irregularly (SPEC §1), and mix schemes in one cell, so this is
//! a small hand-written scanner rather than a regular expression: it runs in linear time,
//! never panics and never drops text. [`parse_citations`] splits one cell into citations
//! with the built-in grammar; [`KnownDocuments::parse`] also knows the documents a project
//! declares (references.yaml, `[citations]` in book.toml); [`compare_clauses`] orders
//! clause numbers for the reference index (SPEC §6).
//!
//! One file per family of schemes ([`Scheme`]):
//! - `standards.rs`: standards bodies (`ISO/IEC 27002`, `ISA/IEC 62443-3-3`), NIST
//!   (`NIST SP 800-53 Rev. 5`, `SP 800-53 Rev 5.2.0`, `FIPS 199`, `NIST CSF v1.1`), CIS
//!   Controls and COBIT;
//! - `government.rs`: OMB circulars and memoranda, Executive Orders, the US Code and CFR,
//!   named laws and public laws, directives (CNSS, DoD, HSPD) and IETF RFCs;
//! - `named.rs`: documents the project declares, project prefixes, and the
//!   `<short name>: <element>` lines of NIST's reference tool exports;
//! - `clauses.rs`: what follows a document: edition, `(all parts)`, clauses.
//!
//! Decisions on ambiguous forms:
//! - A new citation starts wherever a document designation starts. Text around citations
//!   is a separator when it holds no letter or digit (or only the words `and` / `or`), and
//!   an unparsed citation otherwise. A cell with no citation at all is one unparsed
//!   citation.
//! - `document` and `series` are normalised: publishers in upper case, one space before
//!   the number, look-alike dashes, slashes and spaces made ASCII (`ISO/IEC27002` →
//!   `ISO/IEC 27002`, `27035–1` → `27035-1`, `NISTIR` → `NIST IR`, `SP 800-53` → `NIST SP
//!   800-53`, `Executive Order 13587` → `EO 13587`, `44 USC § 3552` → `44 U.S.C. 3552`).
//!   `cite` stays as written. A declared document keeps the name it is declared under.
//! - For the ISO-like publishers the hyphenated tail of the number is the part
//!   (`62443-2-1` → part `2-1`). For NIST it is not (`800-53` is the whole number). The US
//!   Code and the CFR group sections under their title (series `44 U.S.C.`, document
//!   `44 U.S.C. 3552`, part `3552`).
//! - `edition` is the year after the colon plus any amendments as written, whitespace
//!   collapsed (`2013/Amd 1:2014`, `2022+Amd1`); NIST revisions become `Rev. 5` (from
//!   `Rev. 5`, `Rev 5`, `Revision 5` or `800-53r5`; `Rev 5.2.0` → `Rev. 5.2.0`); versions
//!   become `v8`, `v1.1`.
//! - Clause lists are split on commas, spaces, `and` and `&`, and may be parenthesised
//!   (`ISO 9001:2015 (clause 7.5)`). A `;` ends a citation, so a bare clause after it is
//!   kept as unparsed text rather than guessed to belong to it. A publisher-less document
//!   after a comma (`ISO/IEC 27035-1:2016, 27035-2:2016`) is kept as unparsed text too,
//!   as is a dotted standards-body number (`IEEE 802.1X`).
//! - `Clause 6` → `6`, `Annex A.12` → `A.12`, `Annexes A and B` → `A`, `B`, `Annex A
//!   Controls: 5.20` → `A.5.20`, `Mandatory Clause: 4.2(a)` → `4.2(a)`, `Article 32` →
//!   `Art. 32`, `Appendix III` → `Appendix III`. Ranges (`Clauses 6 to 8`,
//!   `12.4.1-12.4.3`) are not expanded: each stays one clause, written `6 to 8`.
//! - Codes are kept whole: `SR 7.8` (and `SR 1.1 RE 1`), `AC-2(1)` (also from `AC-2 (1)`),
//!   `APO01.02`, `AU Family`. Repeated clauses of one citation are listed once.
//! - A line `<document>: <element>` (the reference tool's form) gives the element as the
//!   clause even when no clause grammar reads it (`SP 800-37 Rev 2: Task P-1`); so does
//!   the text after a declared document, up to the end of its line or a `;`.
//! - Publisher words of two letters (`EN`, `BS`, `TR`, `TS`, `SP`, `IR`, `EO`) must be
//!   upper case; longer ones and keywords (`Clause`, `Annex`, `all parts`, `Rev.`) may be
//!   any case.

mod clauses;
mod government;
mod input;
mod named;
mod order;
mod standards;
#[cfg(test)]
mod tests;

use input::Input;
pub use named::{looks_like_clauses, unreadable_help, KnownDocuments};
pub use order::compare_clauses;

/// The family of designations a citation was read as. Renderers and exporters may use it
/// to label or group documents; the index groups every scheme the same way (series →
/// document → clause).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scheme {
    /// A standards body's number: ISO, IEC, ISA, ANSI, IEEE, EN, BS, DIN, ...
    Standard,
    /// A NIST publication: SP, IR, FIPS, the Cybersecurity and Privacy Frameworks.
    Nist,
    /// The CIS Critical Security Controls.
    Cis,
    /// ISACA's COBIT.
    Cobit,
    /// An OMB circular (`OMB A-130`) or memorandum (`OMB M-22-09`).
    Omb,
    /// A US Executive Order (`EO 13587`).
    ExecutiveOrder,
    /// A section of the US Code (`44 U.S.C. 3552`).
    UsCode,
    /// A part of the Code of Federal Regulations (`32 CFR 2002`).
    Cfr,
    /// A law by name (`FISMA`, `Privacy Act`) or number (`P.L. 113-283`).
    Law,
    /// A directive, instruction or policy: CNSS, DoD, HSPD, PPD, CISA BOD.
    Directive,
    /// An IETF RFC.
    Rfc,
    /// A document declared in references.yaml or book.toml, read under its own name.
    Declared,
    /// A project-declared prefix followed by a number (book.toml `[citations] prefixes`).
    Prefixed,
    /// The short name of a `<document>: <element>` line of a reference tool export.
    ShortName,
}

impl Scheme {
    /// A human name for the scheme, for listings and `cargo run --example cite`.
    pub fn describe(self) -> &'static str {
        match self {
            Scheme::Standard => "standards body",
            Scheme::Nist => "NIST publication",
            Scheme::Cis => "CIS Controls",
            Scheme::Cobit => "COBIT",
            Scheme::Omb => "OMB circular or memorandum",
            Scheme::ExecutiveOrder => "Executive Order",
            Scheme::UsCode => "US Code",
            Scheme::Cfr => "Code of Federal Regulations",
            Scheme::Law => "law",
            Scheme::Directive => "directive or instruction",
            Scheme::Rfc => "IETF RFC",
            Scheme::Declared => "declared document",
            Scheme::Prefixed => "project prefix",
            Scheme::ShortName => "reference tool short name",
        }
    }
}

/// One parsed citation of a document (or the raw text when it could not be parsed).
///
/// Serialises with exactly these field names into `framework.json` (SPEC §6).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Citation {
    /// The citation's own text, trimmed, as written (for one of several run together:
    /// just its slice of the cell).
    pub cite: String,
    /// How it was read; `None` when unparseable.
    pub scheme: Option<Scheme>,
    /// The document without edition, e.g. `ISO/IEC 27033-2`; `None` when unparseable.
    pub document: Option<String>,
    /// The document without its part number, e.g. `ISO/IEC 27033`, `44 U.S.C.`.
    pub series: Option<String>,
    /// The part number, e.g. `2` or `2-1` (a section for the US Code), if any.
    pub part: Option<String>,
    /// The edition: a year (`2013`, with amendments as written), `Rev. 5` for NIST, or a
    /// version (`v8`).
    pub edition: Option<String>,
    /// True for a citation of every part: `ISO/IEC 27035 (all parts)`.
    pub all_parts: bool,
    /// Normalised clauses: `Clause 6` → `6`, `Annex A` → `A`, codes as written.
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
            scheme: None,
            document: None,
            series: None,
            part: None,
            edition: None,
            all_parts: false,
            clauses: Vec::new(),
        }
    }
}

/// Parses one reference cell with the built-in grammar; see [`KnownDocuments::parse`].
pub fn parse_citations(text: &str) -> Vec<Citation> {
    KnownDocuments::default().parse(text)
}

/// Parses one cell, which may hold several citations run together, knowing `known`.
///
/// Citations may be separated by `;`, newlines, commas or just a space. Never drops
/// text: whatever cannot be parsed comes back as a [`Citation`] with `document: None`
/// and `cite` holding that text. Empty or whitespace-only input gives an empty vector.
/// Runs in linear time and never panics, whatever the input.
fn parse_cell(text: &str, known: &KnownDocuments) -> Vec<Citation> {
    let inp = Input::new(text, known);
    let mut out = Vec::new();
    let mut gap_start = 0;
    let mut i = 0;
    while i < inp.len() {
        match parse_head(&inp, i) {
            Some(head) => {
                push_leftover(&inp, gap_start, i, &mut out);
                let (citation, end) = clauses::parse_body(&inp, head);
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
/// and the connectives `and` / `or` / `the` (`ISO 27001 and ISO 22301`, `the Privacy
/// Act`).
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

/// True when every word in `start..end` is `and`, `or` or `the` (also when there is none).
fn only_connectives(inp: &Input, start: usize, end: usize) -> bool {
    let mut i = start;
    while i < end {
        if !inp.at(i).is_alphanumeric() {
            i += 1;
            continue;
        }
        let word_end = inp.run(i, char::is_alphanumeric).min(end);
        if !["and", "or", "the"].iter().any(|w| inp.is(i, word_end, w)) {
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
    scheme: Scheme,
    /// The document, normalised (the series plus its part, for most schemes).
    document: String,
    series: String,
    part: Option<String>,
    edition: Option<String>,
    /// True when the text after the document, up to the end of its line, is its element
    /// even if no clause grammar reads it (declared documents, reference tool lines).
    free_element: bool,
    /// A clause read with the document (`3552(b)` of `44 U.S.C. § 3552(b)`).
    clause: Option<String>,
}

impl Head {
    /// A document with no part: it is its own series.
    fn whole(scheme: Scheme, start: usize, end: usize, document: String) -> Head {
        Head {
            start,
            end,
            scheme,
            series: document.clone(),
            document,
            part: None,
            edition: None,
            free_element: false,
            clause: None,
        }
    }

    /// A part of a series, joined to the series by `joiner` (`-` for ISO, ` ` for the
    /// US Code).
    fn part_of(
        scheme: Scheme,
        start: usize,
        end: usize,
        series: String,
        part: Option<String>,
    ) -> Head {
        let document = match &part {
            Some(p) if matches!(scheme, Scheme::UsCode | Scheme::Cfr) => format!("{series} {p}"),
            Some(p) => format!("{series}-{p}"),
            None => series.clone(),
        };
        Head {
            start,
            end,
            scheme,
            document,
            series,
            part,
            edition: None,
            free_element: false,
            clause: None,
        }
    }

    fn with_edition(mut self, edition: Option<String>) -> Head {
        self.edition = edition;
        self
    }
}

/// A document designation starting at `i`, of any scheme we know. When a declared name
/// is longer than what the built-in grammar reads there (`NIST SP 800-53 RES` against
/// `NIST SP 800-53`), the declared name wins.
fn parse_head(inp: &Input, i: usize) -> Option<Head> {
    if !inp.word_start(i) {
        return None;
    }
    let c = inp.at(i);
    let builtin = if c.is_ascii_alphabetic() {
        standards::parse(inp, i)
            .or_else(|| government::parse(inp, i))
            .or_else(|| named::prefixed(inp, i))
    } else if c.is_ascii_digit() {
        government::parse_numbered(inp, i)
    } else {
        None
    };
    let declared = named::declared(inp, i);
    match (builtin, declared) {
        (Some(b), Some(d)) if d.end > clauses::end_with_edition(inp, &b) => Some(d),
        (Some(b), _) => Some(b),
        (None, Some(d)) => Some(d),
        (None, None) => named::short_name(inp, i),
    }
}
