//! HTML text helpers used by every stage: escaping, unescaping, and the plain text of an
//! HTML fragment. A leaf: it imports nothing of the pipeline.

use std::borrow::Cow;

/// Escapes text for HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    push_escaped(&mut out, text);
    out
}

/// Appends `text` to `out`, escaped for HTML text and attribute values.
pub fn push_escaped(out: &mut String, text: &str) {
    let mut rest = text;
    // Copy runs of ordinary text whole: most text has nothing to escape.
    while let Some(at) = rest
        .bytes()
        .position(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\''))
    {
        out.push_str(&rest[..at]);
        out.push_str(match rest.as_bytes()[at] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        });
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
}

/// Reverses [`escape`]: text with the entities it writes decoded (`&amp;` last, so that
/// an escaped entity stays as written).
pub fn unescape(text: &str) -> Cow<'_, str> {
    unescape_with(text, &[])
}

/// [`unescape`], decoding the entities in `more` too (as `(entity, text)` pairs).
pub fn unescape_with<'t>(text: &'t str, more: &[(&str, &str)]) -> Cow<'t, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    let mut out = text.to_string();
    let entities = [
        ("&quot;", "\""),
        ("&#39;", "'"),
        ("&lt;", "<"),
        ("&gt;", ">"),
    ];
    for (entity, decoded) in entities.iter().chain(more) {
        if out.contains(entity) {
            out = out.replace(entity, decoded);
        }
    }
    Cow::Owned(out.replace("&amp;", "&"))
}
/// The text of HTML written by [`crate::markdown::to_html`]: tags dropped, the entities it writes decoded,
/// white space folded to single spaces.
pub fn html_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    let mut space = false;
    while let Some(open) = rest.find('<') {
        push_words(&decode_entities(&rest[..open]), &mut text, &mut space);
        let close = rest[open..].find('>').map_or(rest.len(), |i| open + i + 1);
        // A tag between two words of a block separates them; inline tags do not.
        let tag = &rest[open..close];
        if is_block_tag(tag) {
            space = true;
        }
        rest = &rest[close..];
    }
    push_words(&decode_entities(rest), &mut text, &mut space);
    text
}

/// Appends the words of `piece`, one space between words; `space` carries a pending
/// separation across pieces.
fn push_words(piece: &str, text: &mut String, space: &mut bool) {
    for (i, word) in piece.split(char::is_whitespace).enumerate() {
        if i > 0 {
            *space = true;
        }
        if !word.is_empty() {
            if *space && !text.is_empty() {
                text.push(' ');
            }
            *space = false;
            text.push_str(word);
        }
    }
}

/// Whether a tag starts or ends a block (paragraphs, list items, cells, headings, …).
fn is_block_tag(tag: &str) -> bool {
    let name = tag
        .trim_start_matches(['<', '/'])
        .split(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .next()
        .unwrap_or("");
    matches!(
        name,
        "p" | "li"
            | "ul"
            | "ol"
            | "td"
            | "th"
            | "tr"
            | "table"
            | "pre"
            | "blockquote"
            | "br"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "div"
            | "hr"
            | "dt"
            | "dd"
            | "section"
    )
}

/// `text` with the entities Markdown's HTML holds decoded (`&amp;` last).
fn decode_entities(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return text.into();
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
        .into()
}

/// `html` with every heading `<hN>` made `<h(N + by)>` (at most `<h6>`), closing tags
/// too: a body whose own headings start at `<h2>`, set inside a section whose heading is
/// deeper, keeps the outline whole. Borrowed when there is no heading.
pub fn demote_headings(html: &str, by: usize) -> std::borrow::Cow<'_, str> {
    let is_heading = |at: usize| {
        let bytes = html.as_bytes();
        let digit = match bytes.get(at + 1) {
            Some(b'/') => bytes.get(at + 3).copied().filter(|_| bytes[at + 2] == b'h'),
            Some(b'h') => bytes.get(at + 2).copied(),
            _ => None,
        };
        digit.filter(|d| (b'1'..=b'6').contains(d))
    };
    let mut found =
        memchr::memchr_iter(b'<', html.as_bytes()).filter(|&at| is_heading(at).is_some());
    let Some(first) = found.next().filter(|_| by > 0) else {
        return std::borrow::Cow::Borrowed(html);
    };
    let mut out = String::with_capacity(html.len());
    let mut copied = 0;
    for at in std::iter::once(first).chain(found) {
        let digit = is_heading(at).unwrap_or(b'1');
        let offset = if html.as_bytes()[at + 1] == b'/' {
            3
        } else {
            2
        };
        let level = (usize::from(digit - b'0') + by).min(6);
        out.push_str(&html[copied..at + offset]);
        out.push(char::from(b'0' + level as u8));
        copied = at + offset + 1;
    }
    out.push_str(&html[copied..]);
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescape_reverses_escape() {
        let text = r#"a < b & "c" > 'd' &amp;"#;
        assert_eq!(
            escape(text),
            "a &lt; b &amp; &quot;c&quot; &gt; &#39;d&#39; &amp;amp;"
        );
        assert_eq!(unescape(&escape(text)), text);
        assert!(matches!(unescape("plain"), Cow::Borrowed("plain")));
        // Other entities only when asked for, and an escaped one stays as written.
        assert_eq!(unescape("&#x27;"), "&#x27;");
        assert_eq!(
            unescape_with("&#x27; &amp;#x27;", &[("&#x27;", "'")]),
            "' &#x27;"
        );
    }

    #[test]
    fn headings_move_down_and_stop_at_six() {
        let html = "<h2 id=\"a\">A</h2><p>x</p><h3>B</h3><h5>C</h5><hr><header>";
        assert_eq!(
            demote_headings(html, 2),
            "<h4 id=\"a\">A</h4><p>x</p><h5>B</h5><h6>C</h6><hr><header>"
        );
        assert_eq!(demote_headings(html, 0), html);
        assert!(matches!(
            demote_headings("<p>none</p>", 3),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
