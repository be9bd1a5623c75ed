//! A digest of a catalog's content, so that the export can tell whether an imported
//! catalog was changed: `metadata.last-modified` is kept when it was not, and refreshed
//! when it was.
//!
//! The digest leaves out what an export always rewrites (`last-modified`, `oscal-version`,
//! the catalog's `uuid`) and what carries no meaning (the order of object members, of
//! props and of links, and runs of white space in text), so an unchanged import digests
//! the same as its source.

use serde_json::Value;

/// The digest of a catalog (the object under `catalog`), as 16 hex digits.
pub fn of_catalog(catalog: &Value) -> String {
    let mut catalog = catalog.clone();
    if let Some(map) = catalog.as_object_mut() {
        map.remove("uuid");
        if let Some(metadata) = map.get_mut("metadata").and_then(Value::as_object_mut) {
            metadata.remove("last-modified");
            metadata.remove("oscal-version");
        }
    }
    let mut text = String::new();
    canonical(&catalog, "", &mut text);
    format!("{:016x}", fnv1a(text.as_bytes()))
}

/// A value as text with sorted members, unordered lists sorted and white space collapsed.
fn canonical(value: &Value, key: &str, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for k in keys {
                out.push_str(&serde_json::to_string(k).unwrap_or_default());
                out.push(':');
                canonical(&map[k], k, out);
                out.push(',');
            }
            out.push('}');
        }
        Value::Array(items) => {
            let mut texts: Vec<String> = items
                .iter()
                .map(|item| {
                    let mut text = String::new();
                    canonical(item, "", &mut text);
                    text
                })
                .collect();
            if matches!(key, "props" | "links") {
                texts.sort();
            }
            out.push('[');
            out.push_str(&texts.join(","));
            out.push(']');
        }
        Value::String(s) => {
            let words: Vec<&str> = s.split_whitespace().collect();
            out.push_str(&serde_json::to_string(&words.join(" ")).unwrap_or_default());
        }
        other => out.push_str(&other.to_string()),
    }
}

/// FNV-1a, 64 bits: a change detector, not a security measure.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}
