//! Table tests of the citation parser.

use super::*;
use std::cmp::Ordering;

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
        scheme: w.1.map(scheme_of),
        document: w.1.map(str::to_string),
        series: w.2.map(str::to_string),
        part: w.3.map(str::to_string),
        edition: w.4.map(str::to_string),
        all_parts: w.5,
        clauses: w.6.iter().map(|s| s.to_string()).collect(),
    }
}

/// The scheme of the built-in documents the older tables cite, by publisher.
fn scheme_of(document: &str) -> Scheme {
    let publisher = document.split([' ', '/']).next().unwrap_or("");
    match publisher {
        "NIST" | "FIPS" => Scheme::Nist,
        "COBIT" => Scheme::Cobit,
        "CIS" | "CCS" => Scheme::Cis,
        _ => Scheme::Standard,
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
        ("SP 12", vec![unparsed("SP 12")]),
        (
            "Note: see the manual",
            vec![unparsed("Note: see the manual")],
        ),
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
        "scheme": "standard",
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
/// connectives `and` / `or` / `the` between citations: nothing meaningful is ever dropped.
fn assert_nothing_dropped(input: &str) {
    let cits = parse_citations(input);
    let kept: Vec<&str> = cits.iter().flat_map(|c| words(&c.cite)).collect();
    let mut next = kept.iter().peekable();
    for word in words(input) {
        if next.peek() == Some(&&word) {
            next.next();
        } else {
            let connective = ["and", "or", "the"]
                .iter()
                .any(|c| word.eq_ignore_ascii_case(c));
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

// ---------------------------------------------------------------------------------------
// Schemes beyond ISO: each cell is read document by document and clause by clause.

/// A parsed citation, compactly: scheme, document, series, edition, clauses.
type Read<'a> = (Scheme, &'a str, &'a str, Option<&'a str>, &'a [&'a str]);

/// Parses each cell with `known` and compares every citation (none may stay unparsed).
fn check_reads(known: &KnownDocuments, cases: &[(&str, Vec<Read>)]) {
    for (cell, want) in cases {
        let got: Vec<_> = known
            .parse(cell)
            .into_iter()
            .map(|c| (c.scheme, c.document, c.series, c.edition, c.clauses))
            .collect();
        let want: Vec<_> = want
            .iter()
            .map(|(scheme, document, series, edition, clauses)| {
                (
                    Some(*scheme),
                    Some(document.to_string()),
                    Some(series.to_string()),
                    edition.map(str::to_string),
                    clauses.iter().map(|c| c.to_string()).collect::<Vec<_>>(),
                )
            })
            .collect();
        assert_eq!(got, want, "cell: {cell:?}");
    }
}

/// A citation whose document is its own series.
fn read<'a>(
    scheme: Scheme,
    document: &'a str,
    edition: Option<&'a str>,
    clauses: &'a [&'a str],
) -> Read<'a> {
    (scheme, document, document, edition, clauses)
}

#[test]
fn printed_framework_cells_mix_five_schemes() {
    use Scheme::*;
    let r4 = Some("Rev. 4");
    let cases = vec![
        (
            "CIS CSC 1\nCOBIT 5 BAI09.01, BAI09.02\nISA 62443-2-1:2009 4.2.3.4\n\
             ISA 62443-3-3:2013 SR 7.8\nISO/IEC 27001:2013 A.8.1.1, A.8.1.2\n\
             NIST SP 800-53 Rev. 4 CM-8, PM-5",
            vec![
                read(Cis, "CIS CSC", None, &["1"]),
                read(Cobit, "COBIT 5", None, &["BAI09.01", "BAI09.02"]),
                (Standard, "ISA 62443-2-1", "ISA 62443", Some("2009"), &["4.2.3.4"]),
                (Standard, "ISA 62443-3-3", "ISA 62443", Some("2013"), &["SR 7.8"]),
                read(Standard, "ISO/IEC 27001", Some("2013"), &["A.8.1.1", "A.8.1.2"]),
                read(Nist, "NIST SP 800-53", r4, &["CM-8", "PM-5"]),
            ],
        ),
        (
            "CIS CSC 12\nCOBIT 5 DSS05.02, APO03.01\nISA 62443-2-1:2009 4.2.3.4\n\
             ISO/IEC 27001:2013 A.13.2.1, A.13.2.2\nNIST SP 800-53 Rev. 4 AC-4, CA-3, CA-9, PL-8",
            vec![
                read(Cis, "CIS CSC", None, &["12"]),
                read(Cobit, "COBIT 5", None, &["DSS05.02", "APO03.01"]),
                (Standard, "ISA 62443-2-1", "ISA 62443", Some("2009"), &["4.2.3.4"]),
                read(Standard, "ISO/IEC 27001", Some("2013"), &["A.13.2.1", "A.13.2.2"]),
                read(Nist, "NIST SP 800-53", r4, &["AC-4", "CA-3", "CA-9", "PL-8"]),
            ],
        ),
        (
            "CIS CSC 4\nCOBIT 5 APO12.01, APO12.02, APO12.03, APO12.04, DSS05.01, DSS05.02\n\
             ISA 62443-2-1:2009 4.2.3, 4.2.3.7, 4.2.3.9, 4.2.3.12\n\
             ISO/IEC 27001:2013 A.12.6.1, A.18.2.3\n\
             NIST SP 800-53 Rev. 4 CA-2, CA-7, CA-8, RA-3, RA-5, SA-5, SA-11, SI-2, SI-4, SI-5",
            vec![
                read(Cis, "CIS CSC", None, &["4"]),
                read(
                    Cobit,
                    "COBIT 5",
                    None,
                    &["APO12.01", "APO12.02", "APO12.03", "APO12.04", "DSS05.01", "DSS05.02"],
                ),
                (
                    Standard,
                    "ISA 62443-2-1",
                    "ISA 62443",
                    Some("2009"),
                    &["4.2.3", "4.2.3.7", "4.2.3.9", "4.2.3.12"],
                ),
                read(Standard, "ISO/IEC 27001", Some("2013"), &["A.12.6.1", "A.18.2.3"]),
                read(
                    Nist,
                    "NIST SP 800-53",
                    r4,
                    &["CA-2", "CA-7", "CA-8", "RA-3", "RA-5", "SA-5", "SA-11", "SI-2", "SI-4", "SI-5"],
                ),
            ],
        ),
        (
            "CIS CSC 13, 14\nCOBIT 5 APO01.02, APO07.03\nISA 62443-2-1:2009 4.3.2.4.2\n\
             ISO/IEC 27001:2013 A.6.1.1, A.7.2.2\nNIST SP 800-53 Rev. 4 AT-3, PM-13",
            vec![
                read(Cis, "CIS CSC", None, &["13", "14"]),
                read(Cobit, "COBIT 5", None, &["APO01.02", "APO07.03"]),
                (Standard, "ISA 62443-2-1", "ISA 62443", Some("2009"), &["4.3.2.4.2"]),
                read(Standard, "ISO/IEC 27001", Some("2013"), &["A.6.1.1", "A.7.2.2"]),
                read(Nist, "NIST SP 800-53", r4, &["AT-3", "PM-13"]),
            ],
        ),
        (
            "COBIT 5 DSS05.04, DSS06.03\nISA 62443-2-1:2009 4.3.3.7.3\n\
             ISA 62443-3-3:2013 SR 2.1\nISO/IEC 27001:2013 A.6.1.2, A.9.1.2, A.9.2.3, A.9.4.1, A.9.4.4, A.9.4.5\n\
             NIST SP 800-53 Rev. 4 AC-1, AC-2, AC-3, AC-5, AC-6, AC-14, AC-16, AC-24",
            vec![
                read(Cobit, "COBIT 5", None, &["DSS05.04", "DSS06.03"]),
                (Standard, "ISA 62443-2-1", "ISA 62443", Some("2009"), &["4.3.3.7.3"]),
                (Standard, "ISA 62443-3-3", "ISA 62443", Some("2013"), &["SR 2.1"]),
                read(
                    Standard,
                    "ISO/IEC 27001",
                    Some("2013"),
                    &["A.6.1.2", "A.9.1.2", "A.9.2.3", "A.9.4.1", "A.9.4.4", "A.9.4.5"],
                ),
                read(
                    Nist,
                    "NIST SP 800-53",
                    r4,
                    &["AC-1", "AC-2", "AC-3", "AC-5", "AC-6", "AC-14", "AC-16", "AC-24"],
                ),
            ],
        ),
        (
            "CIS CSC 1, 3, 5, 6, 14, 15, 16\nCOBIT 5 DSS05.04, DSS06.03\n\
             ISA 62443-2-1:2009 4.3.3.5.1\nISA 62443-3-3:2013 SR 1.1, SR 1.2, SR 1.3, SR 1.4, SR 1.5, SR 1.7, SR 1.8, SR 1.9\n\
             ISO/IEC 27001:2013 A.9.2.1, A.9.2.2, A.9.2.3, A.9.2.4, A.9.2.6, A.9.3.1, A.9.4.2, A.9.4.3\n\
             NIST SP 800-53 Rev. 4 AC-1, AC-2, IA-1, IA-2, IA-3, IA-4, IA-5, IA-6, IA-7, IA-8, IA-9, IA-10, IA-11",
            vec![
                read(Cis, "CIS CSC", None, &["1", "3", "5", "6", "14", "15", "16"]),
                read(Cobit, "COBIT 5", None, &["DSS05.04", "DSS06.03"]),
                (Standard, "ISA 62443-2-1", "ISA 62443", Some("2009"), &["4.3.3.5.1"]),
                (
                    Standard,
                    "ISA 62443-3-3",
                    "ISA 62443",
                    Some("2013"),
                    &["SR 1.1", "SR 1.2", "SR 1.3", "SR 1.4", "SR 1.5", "SR 1.7", "SR 1.8", "SR 1.9"],
                ),
                read(
                    Standard,
                    "ISO/IEC 27001",
                    Some("2013"),
                    &[
                        "A.9.2.1", "A.9.2.2", "A.9.2.3", "A.9.2.4", "A.9.2.6", "A.9.3.1", "A.9.4.2",
                        "A.9.4.3",
                    ],
                ),
                read(
                    Nist,
                    "NIST SP 800-53",
                    r4,
                    &[
                        "AC-1", "AC-2", "IA-1", "IA-2", "IA-3", "IA-4", "IA-5", "IA-6", "IA-7", "IA-8",
                        "IA-9", "IA-10", "IA-11",
                    ],
                ),
            ],
        ),
        (
            "CIS Controls v8 4.1, 4.2; COBIT 2019 APO13.01, DSS05.02; ISA/IEC 62443-3-3:2013 SR 1.1 RE 1; \
             ISO/IEC 27002:2022 8.9; NIST SP 800-53 Rev. 5 CM-2, CM-6(1)",
            vec![
                read(Cis, "CIS Controls", Some("v8"), &["4.1", "4.2"]),
                read(Cobit, "COBIT 2019", None, &["APO13.01", "DSS05.02"]),
                (Standard, "ISA/IEC 62443-3-3", "ISA/IEC 62443", Some("2013"), &["SR 1.1 RE 1"]),
                read(Standard, "ISO/IEC 27002", Some("2022"), &["8.9"]),
                read(Nist, "NIST SP 800-53", Some("Rev. 5"), &["CM-2", "CM-6(1)"]),
            ],
        ),
        (
            "IEC 62443-2-1:2010 4.3.4.3.2, 4.3.4.3.3 ISO/IEC 27001:2013 Clause 6.1.2, A.12.1.2 \
             NIST SP 800-53r5 CM-3, SA-10",
            vec![
                (Standard, "IEC 62443-2-1", "IEC 62443", Some("2010"), &["4.3.4.3.2", "4.3.4.3.3"]),
                read(Standard, "ISO/IEC 27001", Some("2013"), &["6.1.2", "A.12.1.2"]),
                read(Nist, "NIST SP 800-53", Some("Rev. 5"), &["CM-3", "SA-10"]),
            ],
        ),
        (
            "CIS Critical Security Controls v8.1 3.3; CIS Control 6; CIS Safeguard 4.1; \
             NIST SP 800-171 Rev. 2 3.1.1, 3.1.2",
            vec![
                read(Cis, "CIS Controls", Some("v8.1"), &["3.3"]),
                read(Cis, "CIS Controls", None, &["6"]),
                read(Cis, "CIS Controls", None, &["4.1"]),
                read(Nist, "NIST SP 800-171", Some("Rev. 2"), &["3.1.1", "3.1.2"]),
            ],
        ),
    ];
    check_reads(&KnownDocuments::default(), &cases);
}

#[test]
fn reference_tool_lines_over_many_documents() {
    use Scheme::*;
    let export = "\
SP 800-53 Rev 5.2.0: PM-11
SP 800-53 Rev 5.1.1: AC-01
CCMv4.0: BCR-01
CCMv4.0: BCR-07
ISO/IEC 27001:2022: Annex A Controls: 5.20
ISO/IEC 27001:2022: Mandatory Clause: 4.2(a)
CSF v1.1: ID.BE-2
CIS Controls v8.0: 1.1
CRI Profile v2.0: GV.OC-01.01
SP 800-221A: GV.CT-5
SP 800-218: PO.1.1
SP 800-37 Rev 2: Task P-1
NICE Framework v1.0.0: T0001
PCI DSS v4.0: 12.10.1
IR 8286: 2.1
SP 800-161r1: 2.1.1
Privacy Framework v1.0: GV.PO-P1
FIPS 199: 3
NIST Privacy Framework v1.0: ID.IM-P1
ISO/IEC 27001:2022: Mandatory Clause: None
ISO/IEC 27001:2022: Annex A Controls:";
    let want = vec![
        read(Nist, "NIST SP 800-53", Some("Rev. 5.2.0"), &["PM-11"]),
        read(Nist, "NIST SP 800-53", Some("Rev. 5.1.1"), &["AC-01"]),
        read(ShortName, "CCMv4.0", None, &["BCR-01"]),
        read(ShortName, "CCMv4.0", None, &["BCR-07"]),
        read(Standard, "ISO/IEC 27001", Some("2022"), &["A.5.20"]),
        read(Standard, "ISO/IEC 27001", Some("2022"), &["4.2(a)"]),
        read(Nist, "NIST CSF", Some("v1.1"), &["ID.BE-2"]),
        read(Cis, "CIS Controls", Some("v8.0"), &["1.1"]),
        read(ShortName, "CRI Profile v2.0", None, &["GV.OC-01.01"]),
        read(Nist, "NIST SP 800-221A", None, &["GV.CT-5"]),
        read(Nist, "NIST SP 800-218", None, &["PO.1.1"]),
        read(Nist, "NIST SP 800-37", Some("Rev. 2"), &["Task P-1"]),
        read(ShortName, "NICE Framework v1.0.0", None, &["T0001"]),
        read(ShortName, "PCI DSS v4.0", None, &["12.10.1"]),
        read(Nist, "NIST IR 8286", None, &["2.1"]),
        read(Nist, "NIST SP 800-161", Some("Rev. 1"), &["2.1.1"]),
        read(ShortName, "Privacy Framework v1.0", None, &["GV.PO-P1"]),
        read(Nist, "FIPS 199", None, &["3"]),
        read(Nist, "NIST Privacy Framework", Some("v1.0"), &["ID.IM-P1"]),
        read(Standard, "ISO/IEC 27001", Some("2022"), &[]),
        read(Standard, "ISO/IEC 27001", Some("2022"), &["A"]),
    ];
    check_reads(&KnownDocuments::default(), &[(export, want.clone())]);
    // The same lines one per cell (a YAML list) read the same, one citation each.
    for (line, want) in export.lines().zip(want) {
        check_reads(&KnownDocuments::default(), &[(line, vec![want])]);
    }
    // Windows line ends and blank lines change nothing.
    let crlf = export.replace('\n', "\r\n\r\n");
    assert_eq!(parse_citations(&crlf).len(), export.lines().count());
}

#[test]
fn government_schemes() {
    use Scheme::*;
    let cases = vec![
        ("OMB A-130", vec![read(Omb, "OMB A-130", None, &[])]),
        (
            "OMB Circular A-130, Appendix I",
            vec![read(Omb, "OMB A-130", None, &["Appendix I"])],
        ),
        (
            "OMB Circular No. A-130 Appendix III; OMB Memorandum M-22-09",
            vec![
                read(Omb, "OMB A-130", None, &["Appendix III"]),
                read(Omb, "OMB M-22-09", None, &[]),
            ],
        ),
        ("OMB M-17-12", vec![read(Omb, "OMB M-17-12", None, &[])]),
        ("EO 13587", vec![read(ExecutiveOrder, "EO 13587", None, &[])]),
        (
            "Executive Order 14028, Section 4(e); E.O. 13636",
            vec![
                read(ExecutiveOrder, "EO 14028", None, &["4(e)"]),
                read(ExecutiveOrder, "EO 13636", None, &[]),
            ],
        ),
        (
            "Executive Order No. 13800",
            vec![read(ExecutiveOrder, "EO 13800", None, &[])],
        ),
        (
            "44 U.S.C. 3552",
            vec![(UsCode, "44 U.S.C. 3552", "44 U.S.C.", None, &[])],
        ),
        (
            "44 USC § 3554(a)(1), 5 U.S.C. 552a(e)(10)",
            vec![
                (UsCode, "44 U.S.C. 3554", "44 U.S.C.", None, &["3554(a)(1)"]),
                (UsCode, "5 U.S.C. 552a", "5 U.S.C.", None, &["552a(e)(10)"]),
            ],
        ),
        (
            "Title 40 U.S. Code § 11101",
            vec![(UsCode, "40 U.S.C. 11101", "40 U.S.C.", None, &[])],
        ),
        ("32 CFR 2002", vec![(Cfr, "32 CFR 2002", "32 CFR", None, &[])]),
        (
            "32 C.F.R. Part 2002; 32 CFR 2002.4(aa); 5 CFR 731.106",
            vec![
                (Cfr, "32 CFR 2002", "32 CFR", None, &[]),
                (Cfr, "32 CFR 2002", "32 CFR", None, &["2002.4(aa)"]),
                (Cfr, "5 CFR 731", "5 CFR", None, &["731.106"]),
            ],
        ),
        ("FISMA", vec![read(Law, "FISMA", None, &[])]),
        (
            "FISMA 2014, Section 3554; the Privacy Act of 1974",
            vec![
                read(Law, "FISMA", Some("2014"), &["3554"]),
                read(Law, "Privacy Act", Some("1974"), &[]),
            ],
        ),
        (
            "Federal Information Security Modernization Act (FISMA) of 2014",
            vec![read(Law, "FISMA", Some("2014"), &[])],
        ),
        (
            "E-Government Act of 2002, Section 208",
            vec![read(Law, "E-Government Act", Some("2002"), &["208"])],
        ),
        (
            "Privacy Act, 5 U.S.C. 552a",
            vec![
                read(Law, "Privacy Act", None, &[]),
                (UsCode, "5 U.S.C. 552a", "5 U.S.C.", None, &[]),
            ],
        ),
        (
            "GDPR Article 32; HIPAA § 164.308(a)(1)",
            vec![
                read(Law, "GDPR", None, &["Art. 32"]),
                read(Law, "HIPAA", None, &["164.308(a)(1)"]),
            ],
        ),
        (
            "Health Insurance Portability and Accountability Act",
            vec![read(Law, "HIPAA", None, &[])],
        ),
        (
            "P.L. 113-283; Public Law 93-579",
            vec![
                read(Law, "P.L. 113-283", None, &[]),
                read(Law, "P.L. 93-579", None, &[]),
            ],
        ),
        (
            "Federal Acquisition Supply Chain Security Act",
            vec![read(Law, "Federal Acquisition Supply Chain Security Act", None, &[])],
        ),
        (
            "CNSSI 1253; CNSS Instruction No. 4009; CNSSP 22; HSPD-12; HSPD 7",
            vec![
                read(Directive, "CNSSI 1253", None, &[]),
                read(Directive, "CNSSI 4009", None, &[]),
                read(Directive, "CNSSP 22", None, &[]),
                read(Directive, "HSPD 12", None, &[]),
                read(Directive, "HSPD 7", None, &[]),
            ],
        ),
        (
            "DoDI 8510.01, DoD Instruction 8500.01; CISA BOD 22-01",
            vec![
                read(Directive, "DODI 8510.01", None, &[]),
                read(Directive, "DODI 8500.01", None, &[]),
                read(Directive, "BOD 22-01", None, &[]),
            ],
        ),
        (
            "IETF 4949, RFC 5905; IETF RFC 8446",
            vec![
                read(Rfc, "IETF RFC 4949", None, &[]),
                read(Rfc, "IETF RFC 5905", None, &[]),
                read(Rfc, "IETF RFC 8446", None, &[]),
            ],
        ),
        (
            "NIST SP 800-53 Rev. 5 AC-2; OMB A-130; 32 CFR 2002; EO 13587; ISO/IEC 27001:2022 A.5.1",
            vec![
                read(Nist, "NIST SP 800-53", Some("Rev. 5"), &["AC-2"]),
                read(Omb, "OMB A-130", None, &[]),
                (Cfr, "32 CFR 2002", "32 CFR", None, &[]),
                read(ExecutiveOrder, "EO 13587", None, &[]),
                read(Standard, "ISO/IEC 27001", Some("2022"), &["A.5.1"]),
            ],
        ),
    ];
    check_reads(&KnownDocuments::default(), &cases);
}

#[test]
fn declared_documents_and_prefixes() {
    use Scheme::*;
    let known = KnownDocuments::new(
        [
            "PRIVACT",
            "DHS NIPP",
            "FISMA IMP",
            "NIST SP 800-53 RES",
            "USC 3502",
            "\"Federal Acquisition Supply Chain Security Act; Rule\"",
            "CCMv4.0",
            "ISO/IEC 27001",
        ],
        ["ISM", "NCSC CAF"],
    );
    let cases = vec![
        ("PRIVACT", vec![read(Declared, "PRIVACT", None, &[])]),
        (
            "DHS NIPP; dhs  nipp",
            vec![
                read(Declared, "DHS NIPP", None, &[]),
                read(Declared, "DHS NIPP", None, &[]),
            ],
        ),
        ("FISMA IMP", vec![read(Declared, "FISMA IMP", None, &[])]),
        // A declared name is matched from its first word.
        (
            "\"Federal Acquisition Supply Chain Security Act; Rule\"",
            vec![read(
                Declared,
                "\"Federal Acquisition Supply Chain Security Act; Rule\"",
                None,
                &[],
            )],
        ),
        (
            "NIST SP 800-53 RES",
            vec![read(Declared, "NIST SP 800-53 RES", None, &[])],
        ),
        (
            "ISO/IEC 27001:2022, A.5.1",
            vec![read(Standard, "ISO/IEC 27001", Some("2022"), &["A.5.1"])],
        ),
        (
            "USC 3502, definitions (4); PRIVACT",
            vec![
                read(Declared, "USC 3502", None, &["definitions (4)"]),
                read(Declared, "PRIVACT", None, &[]),
            ],
        ),
        (
            "CCMv4.0: BCR-01",
            vec![read(Declared, "CCMv4.0", None, &["BCR-01"])],
        ),
        (
            "ISM-0123, NCSC CAF-2.1",
            vec![
                read(Prefixed, "ISM 0123", None, &[]),
                read(Prefixed, "NCSC CAF 2.1", None, &[]),
            ],
        ),
    ];
    check_reads(&known, &cases);
    // Without the declarations, the same text is not read as those documents.
    assert!(!parse_citations("PRIVACT")[0].is_parsed());
    assert_eq!(
        parse_citations("FISMA IMP")[0].document.as_deref(),
        Some("FISMA")
    );
}

#[test]
fn unreadable_text_gets_help_that_fits() {
    let cases: [(&str, Option<&str>, &str); 9] = [
        ("OMB Circular", None, "`OMB A-130`"),
        (
            "Executive Order on cybersecurity",
            None,
            "`Executive Order 13587`",
        ),
        ("U.S.C. chapter 35", None, "`44 U.S.C. 3552`"),
        (
            "12.4.1",
            Some("ISO/IEC 27002:2013"),
            "YAML split it at the comma",
        ),
        (
            "A.5.1, A.5.2",
            Some("ISO/IEC 27001:2022"),
            "\"ISO/IEC 27001:2022, A.5.1, A.5.2\"",
        ),
        ("12.4.1", None, "name no document"),
        ("27035-2:2016", None, "name the publisher"),
        ("Acme Handbook: Chapter 3", None, "declare `Acme Handbook`"),
        ("see the vendor manual", None, "references.yaml"),
    ];
    for (text, previous, want) in cases {
        assert!(
            !parse_citations(text).iter().any(Citation::is_parsed),
            "{text:?}"
        );
        let help = unreadable_help(text, previous);
        assert!(help.contains(want), "{text:?}: {help}");
    }
    assert!(looks_like_clauses("Clause 6, 7"));
    assert!(!looks_like_clauses("see clause 6"));
}

#[test]
fn every_element_shape_reads_under_every_short_name() {
    use Scheme::*;
    // (short name as exported, scheme, document, edition)
    let documents = [
        (
            "SP 800-53 Rev 5.2.0",
            Nist,
            "NIST SP 800-53",
            Some("Rev. 5.2.0"),
        ),
        (
            "SP 800-53 Rev 5.1.1",
            Nist,
            "NIST SP 800-53",
            Some("Rev. 5.1.1"),
        ),
        ("SP 800-218", Nist, "NIST SP 800-218", None),
        ("SP 800-221A", Nist, "NIST SP 800-221A", None),
        ("SP 800-37 Rev 2", Nist, "NIST SP 800-37", Some("Rev. 2")),
        ("IR 8286", Nist, "NIST IR 8286", None),
        ("CSF v1.1", Nist, "NIST CSF", Some("v1.1")),
        ("CIS Controls v8.0", Cis, "CIS Controls", Some("v8.0")),
        ("CIS Controls v8.1", Cis, "CIS Controls", Some("v8.1")),
        ("COBIT 2019", Cobit, "COBIT 2019", None),
        (
            "ISO/IEC 27001:2022",
            Standard,
            "ISO/IEC 27001",
            Some("2022"),
        ),
        (
            "ISO/IEC 27002:2022",
            Standard,
            "ISO/IEC 27002",
            Some("2022"),
        ),
        (
            "IEC 62443-2-1:2024",
            Standard,
            "IEC 62443-2-1",
            Some("2024"),
        ),
        ("CCMv4.0", ShortName, "CCMv4.0", None),
        ("CRI Profile v2.0", ShortName, "CRI Profile v2.0", None),
        (
            "NICE Framework v1.0.0",
            ShortName,
            "NICE Framework v1.0.0",
            None,
        ),
        ("PCI DSS v4.0", ShortName, "PCI DSS v4.0", None),
        ("OWASP SAMM v2", ShortName, "OWASP SAMM v2", None),
    ];
    let elements = [
        "PM-11",
        "AC-02(01)",
        "GV.OC-01",
        "GV.OC-01.01",
        "ID.BE-2",
        "PO.1.1",
        "1.1",
        "12.10.1",
        "BCR-01",
        "T0001",
        "A&A-01",
        "5.20",
    ];
    let mut export = String::new();
    let mut want = Vec::new();
    for (name, scheme, document, edition) in documents {
        for element in elements {
            export.push_str(&format!("{name}: {element}\n"));
            want.push((scheme, document, edition, element));
        }
    }
    let got = parse_citations(&export);
    assert_eq!(got.len(), want.len());
    for (citation, (scheme, document, edition, element)) in got.iter().zip(want) {
        assert_eq!(citation.scheme, Some(scheme), "{citation:?}");
        assert_eq!(citation.document.as_deref(), Some(document), "{citation:?}");
        assert_eq!(citation.edition.as_deref(), edition, "{citation:?}");
        assert_eq!(citation.clauses, [element], "{citation:?}");
    }
}
