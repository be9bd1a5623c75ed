//! Prints what the citation parser makes of each argument, as framework.json would show it:
//! `cargo run --example cite -- "ISO/IEC 27002:2013, 12.6.1 ISO/IEC 27019:2017, 9.2.1"`.

fn main() {
    for s in std::env::args().skip(1) {
        for c in framewright::citation::parse_citations(&s) {
            println!("{:?} => {}", s, serde_json::to_string(&c).unwrap());
        }
    }
}
