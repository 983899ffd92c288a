//! A finding's identity without line numbers: the enclosing function and the code it
//! points at with its layout removed. The baseline and the SARIF/GitLab fingerprints key
//! on these, so moving, re-indenting or reformatting code keeps a finding the same one.

use crate::facts::ByteSpan;
use crate::workspace::source::SourceFile;

/// What `Diagnostic::function` says for findings outside any function.
pub const MODULE_LEVEL: &str = "<module>";

/// The normalised code of `span`, or of its first line when the span is empty (a parse
/// error or an undefined constant points at an offset, not a range).
pub fn key_text(file: &SourceFile, span: ByteSpan) -> String {
    let pointed_at = file.text.get(span.start..span.end).unwrap_or_default();
    match normalised_code(pointed_at) {
        text if text.is_empty() => normalised_code(file.line_text(file.position(span.start).line)),
        text => text,
    }
}

/// Source text with its layout removed: no whitespace, no trailing comma before a closing
/// bracket. Reformatting (Black, rustfmt) keeps the same text.
pub fn normalised_code(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // A comma is written once the next non-blank character shows it is not trailing.
    let mut comma = false;
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        if std::mem::take(&mut comma) && !matches!(c, ')' | ']' | '}') {
            out.push(',');
        }
        if c == ',' {
            comma = true;
        } else {
            out.push(c);
        }
    }
    if comma {
        out.push(',');
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    #[test]
    fn layout_does_not_change_the_text() {
        let one_line = normalised_code("stripe.checkout.Session.create(mode=\"payment\")");
        let black = normalised_code("stripe.checkout.Session.create(\n    mode=\"payment\",\n)");
        assert_eq!(one_line, black);
        assert_ne!(
            one_line,
            normalised_code("stripe.checkout.Session.create(mode=\"setup\")")
        );
    }

    #[test]
    fn only_trailing_commas_are_dropped() {
        assert_eq!(normalised_code("f(a, b,\n)"), "f(a,b)");
        assert_eq!(normalised_code("[1 ,, ]"), "[1,]");
        assert_eq!(normalised_code("{a: 1 , }, x,"), "{a:1},x,");
        assert_eq!(normalised_code("f(a , \t b)"), "f(a,b)");
        assert_eq!(normalised_code(", , "), ",,");
        assert_eq!(normalised_code(""), "");
    }

    /// The definition `normalised_code` computes in one pass: drop whitespace, then every
    /// comma whose next character is a closing bracket.
    fn by_definition(text: &str) -> String {
        let compact: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
        let trailing =
            |i: usize| compact[i] == ',' && matches!(compact.get(i + 1), Some(')' | ']' | '}'));
        (0..compact.len())
            .filter(|&i| !trailing(i))
            .map(|i| compact[i])
            .collect()
    }

    #[test]
    fn matches_its_definition_on_every_short_string() {
        let alphabet = [' ', ',', ')', ']', 'a', '\n'];
        let mut text = String::new();
        for mut n in 0..alphabet.len().pow(6) {
            text.clear();
            while n > 0 {
                text.push(alphabet[n % alphabet.len()]);
                n /= alphabet.len();
            }
            assert_eq!(normalised_code(&text), by_definition(&text), "{text:?}");
        }
    }

    #[test]
    fn an_empty_span_keys_on_its_line() {
        let file = SourceFile::new(PathBuf::new(), "a.py".into(), "x = 1\ndef f(:\n".into());
        assert_eq!(key_text(&file, ByteSpan::new(6, 6)), "deff(:");
    }
}
