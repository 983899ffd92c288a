//! A finding's identity without line numbers: the enclosing function and the tokens of the
//! code it points at. The baseline and the SARIF/GitLab fingerprints key on these, so
//! moving, re-indenting, reformatting or commenting code keeps a finding the same one.
//!
//! The code is written back from its tokens (`code_tokens`): comments dropped, one space
//! between two words or literals (`a or b` stays apart from `aorb`), none around
//! punctuation, and no trailing comma before a closing bracket. For the common call this
//! is the text the first identity (version 1 baselines) gave, which removed every blank
//! and kept comments; `legacy_key_text` still computes that one, so version 1 baselines
//! keep matching.

use super::code_tokens::{self, Dialect, Kind};
use crate::facts::ByteSpan;
use crate::workspace::source::SourceFile;

/// What `Diagnostic::function` says for findings outside any function.
pub const MODULE_LEVEL: &str = "<module>";

/// The code of `span` written back from its tokens, or of its first line when the span is
/// empty (a parse error or an undefined constant points at an offset, not a range). A
/// finding that points at a comment (a suppression's CL011, CL012) is that comment, blanks
/// removed (as version 1 had it).
pub fn key_text(file: &SourceFile, span: ByteSpan) -> String {
    let dialect = Dialect::of(&file.path);
    let of = |text: &str| match token_code(text, dialect) {
        code if code.is_empty() => normalised_code(text),
        code => code,
    };
    let pointed_at = file.text.get(span.start..span.end).unwrap_or_default();
    match of(pointed_at) {
        text if text.is_empty() => of(file.line_text(file.position(span.start).line)),
        text => text,
    }
}

/// The version 1 identity of the same code (`normalised_code`), for baselines written
/// before identities were made from tokens.
pub fn legacy_key_text(file: &SourceFile, span: ByteSpan) -> String {
    let pointed_at = file.text.get(span.start..span.end).unwrap_or_default();
    match normalised_code(pointed_at) {
        text if text.is_empty() => normalised_code(file.line_text(file.position(span.start).line)),
        text => text,
    }
}

/// Code written back from its tokens: no comment, a space only between two words or
/// literals, no trailing comma before a closing bracket. Reformatting (Black, rustfmt) and
/// comment edits keep the same text; token boundaries are kept.
pub fn token_code(text: &str, dialect: Dialect) -> String {
    let tokens = code_tokens::tokens(text, dialect);
    let mut out = String::with_capacity(text.len());
    let mut previous: Option<Kind> = None;
    for (i, token) in tokens.iter().enumerate() {
        let closes_next = || {
            tokens
                .get(i + 1)
                .is_some_and(|next| matches!(next.text, ")" | "]" | "}"))
        };
        if token.text == "," && closes_next() {
            continue;
        }
        if previous.is_some_and(|p| p != Kind::Punct) && token.kind != Kind::Punct {
            out.push(' ');
        }
        out.push_str(token.text);
        previous = Some(token.kind);
    }
    out
}

/// The version 1 identity: source text with its layout removed, no whitespace, no
/// trailing comma before a closing bracket (comments kept, token boundaries lost).
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
        assert_eq!(key_text(&file, ByteSpan::new(6, 6)), "def f(:");
        assert_eq!(legacy_key_text(&file, ByteSpan::new(6, 6)), "deff(:");
    }

    fn python(text: &str) -> String {
        token_code(text, Dialect::Python)
    }

    #[test]
    fn comments_are_not_part_of_the_identity() {
        let plain =
            python("create(\n    mode=\"payment\",\n    customer_email=first() or user.email,\n)");
        let commented = python(
            "create(  # the jersey order\n    mode=\"payment\",  # was: setup\n    customer_email=first() or user.email,\n)",
        );
        assert_eq!(plain, commented);
        assert_eq!(
            plain,
            "create(mode=\"payment\",customer_email=first()or user.email)"
        );
        let rust = |text| token_code(text, Dialect::Rust);
        assert_eq!(
            rust("Session::create(&client, params) // TODO: ttl"),
            rust("Session::create(\n    &client, /* shared */\n    params,\n)")
        );
    }

    #[test]
    fn token_boundaries_are_kept() {
        assert_ne!(
            python("first() or user.email"),
            python("first()oruser.email")
        );
        assert_ne!(python("a or b"), python("aorb"));
        assert_eq!(python("a  or\n b"), "a or b");
        assert_eq!(token_code("x  as\n i64", Dialect::Rust), "x as i64");
        assert_ne!(python("not x"), python("notx"));
    }

    #[test]
    fn strings_keep_their_blanks_and_their_hashes() {
        assert_ne!(python("f(\"a b\")"), python("f(\"ab\")"));
        assert_eq!(python("f(\"# no comment\")"), "f(\"# no comment\")");
        assert_eq!(
            token_code("f(\"// no comment\") // one", Dialect::Rust),
            "f(\"// no comment\")"
        );
    }

    #[test]
    fn the_common_call_keeps_its_version_1_identity() {
        let black = "stripe.checkout.Session.create(\n    mode=\"payment\",\n    expires_at=int(time.time()) + TTL,\n)";
        assert_eq!(python(black), normalised_code(black));
    }

    #[test]
    fn a_finding_on_a_comment_keys_on_the_comment() {
        let text =
            "x = 1  # checkout-lint: ignore[CL002]\n# checkout-lint: ignore[CL005] reason: r\n";
        let file = SourceFile::new("a.py".into(), "a.py".into(), text.into());
        let start = text.find('#').unwrap();
        let span = ByteSpan::new(start, text.find('\n').unwrap());
        assert_eq!(key_text(&file, span), "#checkout-lint:ignore[CL002]");
        let second = text.rfind('#').unwrap();
        let line_start = text.find('\n').unwrap() + 1;
        assert_eq!(
            key_text(&file, ByteSpan::new(line_start, line_start)),
            "#checkout-lint:ignore[CL005]reason:r"
        );
        assert_eq!(second, line_start);
    }

    #[test]
    fn key_text_reads_rust_comments_in_rust_files() {
        let text = "fn f() {\n    create(a, // why\n    b)\n}\n";
        let file = SourceFile::new("src/lib.rs".into(), "src/lib.rs".into(), text.into());
        let start = text.find("create").unwrap();
        let end = text.find("b)").unwrap() + 2;
        assert_eq!(key_text(&file, ByteSpan::new(start, end)), "create(a,b)");
    }

    #[test]
    fn never_panics_and_drops_only_layout_on_short_strings() {
        let alphabet = [' ', ',', ')', 'a', '#', '"', '\'', '\n', '/', '*', '\\'];
        let mut text = String::new();
        for mut n in 0..alphabet.len().pow(5) {
            text.clear();
            while n > 0 {
                text.push(alphabet[n % alphabet.len()]);
                n /= alphabet.len();
            }
            for dialect in [Dialect::Python, Dialect::Rust] {
                let code = token_code(&text, dialect);
                assert!(code.len() <= text.len() + text.len() / 2 + 1, "{text:?}");
            }
            // Without literals or comments, the identity is the version 1 text but for
            // the one space where two words meet.
            if !text.contains(['#', '"', '\'', '/', '\\']) {
                assert_eq!(
                    python(&text).replace(' ', ""),
                    normalised_code(&text),
                    "{text:?}"
                );
            }
        }
    }
}
