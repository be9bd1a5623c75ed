//! Front matter: splitting a file at its `---` lines, then everything `load` does with one
//! Markdown file's text (YAML, fields, inline items, Markdown body), without the file system.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(split) = framewright::load::split("f.md", text) {
        // The parts are slices of the input, in order, and the lines add up.
        let body_start = split.body.as_ptr() as usize - text.as_ptr() as usize;
        assert!(body_start + split.body.len() == text.len());
        if let Some(front) = split.front {
            let front_start = front.as_ptr() as usize - text.as_ptr() as usize;
            assert!(front_start + front.len() <= body_start);
            assert_eq!(split.front_line, 2);
            assert!(split.body_line > split.front_line);
        }
    }
    for diagnostic in framewright::load::check_markdown_text(text, "f.md") {
        // Every diagnostic names the file, and a line inside it.
        let span = diagnostic
            .span
            .as_ref()
            .expect("a file's diagnostic has a place");
        assert_eq!(span.path, "f.md");
        assert!(span.line <= text.lines().count() + 1, "{diagnostic}");
    }
});
