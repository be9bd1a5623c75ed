//! Prints what the citation parser makes of each argument, as framework.json would show it:
//! `cargo run --example cite -- "ISO/IEC 27002:2013, 12.6.1 ISO/IEC 27019:2017, 9.2.1"`.
//!
//! `--document NAME` and `--prefix NAME` declare a document or prefix first, as
//! references.yaml and book.toml `[citations]` do:
//! `cargo run --example cite -- --document PRIVACT "PRIVACT; OMB A-130"`.

use framewright::citation::KnownDocuments;

fn main() {
    let (mut documents, mut prefixes, mut cells) = (Vec::new(), Vec::new(), Vec::new());
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--document" => documents.extend(args.next()),
            "--prefix" => prefixes.extend(args.next()),
            // `-`: the cell is read from standard input (for long texts).
            "-" => cells.push(std::io::read_to_string(std::io::stdin()).unwrap_or_default()),
            _ => cells.push(arg),
        }
    }
    let known = KnownDocuments::new(
        documents.iter().map(String::as_str),
        prefixes.iter().map(String::as_str),
    );
    for cell in &cells {
        println!("{cell:?}");
        for c in known.parse(cell) {
            let how = c.scheme.map_or("not read", |s| s.describe());
            println!("  {how}: {}", serde_json::to_string(&c).unwrap());
        }
    }
}
