//! A project citing every scheme the citation parser reads: each cited document is in the
//! reference index (framework.json and the reference pages), with its clauses, and
//! `check` has no W0046 for any of them.

mod common;

use std::collections::BTreeMap;
use std::fs;

use common::*;
use serde_json::Value;

/// A cited clause and the edition it is cited in.
type Clause = (&'static str, Option<&'static str>);

/// Every document the fixture cites: its series and its clauses (with editions).
const DOCUMENTS: &[(&str, &str, &[Clause])] = &[
    ("CIS CSC", "CIS CSC", &[("1", None), ("2", None)]),
    (
        "COBIT 5",
        "COBIT 5",
        &[("BAI09.01", None), ("BAI09.02", None)],
    ),
    ("ISA 62443-2-1", "ISA 62443", &[("4.2.3.4", Some("2009"))]),
    ("ISA 62443-3-3", "ISA 62443", &[("SR 7.8", Some("2013"))]),
    (
        "ISO/IEC 27001",
        "ISO/IEC 27001",
        &[
            ("4.2(a)", Some("2022")),
            ("A.5.20", Some("2022")),
            ("A.8.1.1", Some("2013")),
            ("A.8.1.2", Some("2013")),
        ],
    ),
    (
        "NIST SP 800-53",
        "NIST SP 800-53",
        &[
            ("CM-8", Some("Rev. 4")),
            ("PM-5", Some("Rev. 4")),
            ("PM-11", Some("Rev. 5.2.0")),
        ],
    ),
    ("CCMv4.0", "CCMv4.0", &[("BCR-01", None)]),
    ("NIST CSF", "NIST CSF", &[("ID.BE-2", Some("v1.1"))]),
    ("CIS Controls", "CIS Controls", &[("1.1", Some("v8.0"))]),
    (
        "CRI Profile v2.0",
        "CRI Profile v2.0",
        &[("GV.OC-01.01", None)],
    ),
    ("OMB A-130", "OMB A-130", &[]),
    ("OMB M-22-09", "OMB M-22-09", &[]),
    ("EO 13587", "EO 13587", &[]),
    ("44 U.S.C. 3552", "44 U.S.C.", &[("3552(b)(3)", None)]),
    ("32 CFR 2002", "32 CFR", &[]),
    ("FISMA", "FISMA", &[]),
    ("Privacy Act", "Privacy Act", &[]),
    ("CNSSI 1253", "CNSSI 1253", &[]),
    ("IETF RFC 4949", "IETF RFC 4949", &[]),
    ("DHS NIPP", "DHS NIPP", &[("chapter two", None)]),
    ("Acme Handbook", "Acme Handbook", &[("part three", None)]),
    ("ISM 0123", "ISM 0123", &[]),
];

#[test]
fn every_scheme_is_in_the_reference_index() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    build_into(&fixture("citations"), &site, &[]);
    let json: Value =
        serde_json::from_slice(&fs::read(site.join("framework.json")).unwrap()).unwrap();
    // document -> (series, clauses with editions), as the index holds them.
    let mut indexed = BTreeMap::new();
    for series in json["references"].as_array().unwrap() {
        for document in series["documents"].as_array().unwrap() {
            let clauses: Vec<(String, Option<String>)> = document["clauses"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| {
                    let edition = c["edition"].as_str().map(str::to_string);
                    (c["clause"].as_str().unwrap().to_string(), edition)
                })
                .collect();
            let name = document["document"].as_str().unwrap().to_string();
            indexed.insert(
                name,
                (series["series"].as_str().unwrap().to_string(), clauses),
            );
        }
    }
    let want: BTreeMap<_, _> = DOCUMENTS
        .iter()
        .map(|(document, series, clauses)| {
            let clauses: Vec<(String, Option<String>)> = clauses
                .iter()
                .map(|(c, e)| (c.to_string(), e.map(str::to_string)))
                .collect();
            (document.to_string(), (series.to_string(), clauses))
        })
        .collect();
    assert_eq!(indexed, want);

    // The reference index page lists every series and document, each with its own page.
    let index = fs::read_to_string(site.join("references/index.html")).unwrap();
    for (document, series, _) in DOCUMENTS {
        for name in [document, series] {
            let escaped = name.replace('&', "&amp;");
            assert!(
                index.contains(&format!(">{escaped}</a>")),
                "{name} not listed"
            );
        }
    }
    let pages = files(&site);
    let reference_pages = pages
        .iter()
        .filter(|p| p.starts_with("references/") && p.ends_with("/index.html"))
        .count();
    // One page per series and per part of a series (ISA 62443 has two, the US Code one).
    assert!(
        reference_pages >= DOCUMENTS.len(),
        "{reference_pages} pages"
    );
    assert_links_resolve(&site);
}

#[test]
fn no_citation_of_the_fixture_is_left_unread() {
    let out = framewright(&[
        "check",
        fixture("citations").to_str().unwrap(),
        "--format",
        "json",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("W0046"), "{text}");
    // check did run: documents missing from references.yaml are reported.
    assert!(text.contains("W0047") && text.contains("CIS CSC"), "{text}");
    // Documents declared only in book.toml are not reported as missing from references.yaml.
    assert!(!text.contains("Acme Handbook"), "{text}");
}
