//! The cell's text after per-character normalisation.

use super::KnownDocuments;

/// The input after per-character normalisation, with each kept char's byte span in the
/// original, so that grammar code sees plain ASCII punctuation while `cite` can still be
/// sliced from the text exactly as written.
pub(super) struct Input<'a> {
    src: &'a str,
    pub(super) chars: Vec<char>,
    spans: Vec<(usize, usize)>,
    /// True where the original char was a line break (normalised to a space).
    breaks: Vec<bool>,
    /// The documents and prefixes the project declares.
    pub(super) known: &'a KnownDocuments,
}

impl<'a> Input<'a> {
    pub(super) fn new(src: &'a str, known: &'a KnownDocuments) -> Self {
        let mut chars = Vec::with_capacity(src.len());
        let mut spans = Vec::with_capacity(src.len());
        let mut breaks = Vec::with_capacity(src.len());
        for (at, ch) in src.char_indices() {
            if let Some(n) = normalise_char(ch) {
                chars.push(n);
                spans.push((at, at + ch.len_utf8()));
                breaks.push(matches!(ch, '\n' | '\r' | '\u{2028}' | '\u{2029}'));
            }
        }
        Input {
            src,
            chars,
            spans,
            breaks,
            known,
        }
    }

    /// True when `i` is a line break of the original text.
    pub(super) fn is_break(&self, i: usize) -> bool {
        self.breaks.get(i).copied().unwrap_or(true)
    }

    /// True when only spaces stand between the start of the line (or cell) and `i`.
    pub(super) fn line_start(&self, i: usize) -> bool {
        let mut j = i;
        while j > 0 && self.chars[j - 1] == ' ' && !self.breaks[j - 1] {
            j -= 1;
        }
        j == 0 || self.breaks[j - 1]
    }

    /// The end of the line holding `i`: the next line break or `;`, or the end.
    pub(super) fn line_end(&self, i: usize) -> usize {
        let mut j = i;
        while j < self.len() && !self.breaks[j] && self.chars[j] != ';' {
            j += 1;
        }
        j
    }

    pub(super) fn len(&self) -> usize {
        self.chars.len()
    }

    /// The char at `i`, or NUL past the end. Input NULs are normalised to spaces, so a
    /// NUL here always means "end", and it matches no grammar rule.
    pub(super) fn at(&self, i: usize) -> char {
        self.chars.get(i).copied().unwrap_or('\0')
    }

    /// The original text of chars `start..end`, exactly as written.
    pub(super) fn original(&self, start: usize, end: usize) -> &'a str {
        if start < end && end <= self.len() {
            &self.src[self.spans[start].0..self.spans[end - 1].1]
        } else {
            ""
        }
    }

    /// The normalised chars `start..end` (callers pass ASCII token ranges).
    pub(super) fn collect(&self, start: usize, end: usize) -> String {
        self.chars[start..end].iter().collect()
    }

    /// Like `collect`, in upper case: publisher names are normalised to their usual form.
    pub(super) fn upper(&self, start: usize, end: usize) -> String {
        self.collect(start, end).to_ascii_uppercase()
    }

    /// Like `collect`, with every run of spaces reduced to one.
    pub(super) fn collapsed(&self, start: usize, end: usize) -> String {
        let mut s = String::new();
        for (i, &c) in self.chars[start..end].iter().enumerate() {
            if c != ' ' || self.chars[start + i + 1..end].first() != Some(&' ') {
                s.push(c);
            }
        }
        s
    }

    /// End of the run of chars satisfying `pred` that starts at `i`.
    pub(super) fn run(&self, i: usize, pred: impl Fn(char) -> bool) -> usize {
        let mut j = i;
        while j < self.len() && pred(self.chars[j]) {
            j += 1;
        }
        j
    }

    /// Like `run`, looking at most `max` chars ahead: for runs that may cross words, which
    /// would make the scan quadratic if they were not bounded.
    pub(super) fn run_max(&self, i: usize, max: usize, pred: impl Fn(char) -> bool) -> usize {
        let limit = self.len().min(i.saturating_add(max));
        let mut j = i;
        while j < limit && pred(self.chars[j]) {
            j += 1;
        }
        j
    }

    pub(super) fn skip_ws(&self, i: usize) -> usize {
        self.run(i, |c| c == ' ')
    }

    pub(super) fn letters(&self, i: usize) -> usize {
        self.run(i, |c| c.is_ascii_alphabetic())
    }

    pub(super) fn digits(&self, i: usize) -> usize {
        self.run(i, |c| c.is_ascii_digit())
    }

    /// True when `i` is not inside a word (any script counts as a word character).
    pub(super) fn word_start(&self, i: usize) -> bool {
        i == 0 || !self.at(i - 1).is_alphanumeric()
    }

    /// True when a word ending at `i` is not glued to further letters or digits.
    pub(super) fn word_end(&self, i: usize) -> bool {
        !self.at(i).is_alphanumeric()
    }

    /// Case-insensitive comparison of chars `start..end` with an ASCII word.
    pub(super) fn is(&self, start: usize, end: usize, word: &str) -> bool {
        end - start == word.len()
            && self.chars[start..end]
                .iter()
                .zip(word.chars())
                .all(|(a, b)| a.eq_ignore_ascii_case(&b))
    }

    /// Case-sensitive comparison, for short words that could be ordinary English.
    pub(super) fn is_exact(&self, start: usize, end: usize, word: &str) -> bool {
        end - start == word.len() && self.chars[start..end].iter().copied().eq(word.chars())
    }

    /// A whole word at `i` equal (ignoring case) to one of `words`: returns its end.
    pub(super) fn keyword(&self, i: usize, words: &[&str]) -> Option<usize> {
        let end = self.letters(i);
        let found = end > i && self.word_start(i) && self.word_end(end);
        (found && words.iter().any(|w| self.is(i, end, w))).then_some(end)
    }
}

/// Maps look-alike characters to the ASCII the grammar expects; `None` drops invisible
/// characters (zero-width spaces, soft hyphens, byte-order marks).
pub(super) fn normalise_char(ch: char) -> Option<char> {
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
