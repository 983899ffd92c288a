//! Suppression comments: `# checkout-lint: ignore[rule-id, ...] reason: text` (`//` in Rust),
//! on the line of a finding or the line above it. A comment that follows code on its line
//! covers that line only, so it can never silence the statement below it.
//!
//! Front ends hand us the text of real comments (from the tokenizer), never string
//! contents, so a suppression inside a string literal cannot suppress anything.

use crate::facts::{ByteSpan, Suppression};

const MARKER: &str = "checkout-lint:";

/// Parses a comment body (without `#` or `//`); `None` unless it is a checkout-lint comment.
pub fn parse_suppression(body: &str, span: ByteSpan, file_text: &str) -> Option<Suppression> {
    let rest = body.trim().strip_prefix(MARKER)?.trim_start();
    let before = &file_text.as_bytes()[..span.start.min(file_text.len())];
    let line = 1 + memchr::memchr_iter(b'\n', before).count();
    let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    let trailing = !before[line_start..].iter().all(u8::is_ascii_whitespace);
    let (rules, after) = match rest.strip_prefix("ignore") {
        Some(after_ignore) => match after_ignore.trim_start().strip_prefix('[') {
            Some(inside) => match inside.split_once(']') {
                Some((list, after)) => (
                    list.split(',')
                        .map(|r| r.trim().to_string())
                        .filter(|r| !r.is_empty())
                        .collect(),
                    after,
                ),
                None => (Vec::new(), ""),
            },
            None => (Vec::new(), after_ignore),
        },
        None => (Vec::new(), rest),
    };
    let reason = after
        .trim_start()
        .strip_prefix("reason:")
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_string);
    Some(Suppression {
        span,
        line,
        trailing,
        rules,
        reason,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(body: &str) -> Option<Suppression> {
        parse_suppression(body, ByteSpan::new(0, body.len()), body)
    }

    #[test]
    fn full_form() {
        let s =
            parse(" checkout-lint: ignore[missing-expires-at, CL002] reason: setup mode").unwrap();
        assert_eq!(s.rules, vec!["missing-expires-at", "CL002"]);
        assert_eq!(s.reason.as_deref(), Some("setup mode"));
        assert_eq!(s.line, 1);
        assert!(!s.trailing);
    }

    #[test]
    fn trailing_comment_is_told_apart_from_an_own_line_comment() {
        let text = "x = 1\n    # checkout-lint: ignore[CL001] reason: a\ny = f()  # checkout-lint: ignore[CL001] reason: b\n";
        let own = text.find("# checkout-lint").unwrap();
        let trailing = text.rfind("# checkout-lint").unwrap();
        let at = |start: usize| {
            let end = text[start..].find('\n').unwrap() + start;
            parse_suppression(&text[start + 1..end], ByteSpan::new(start, end), text).unwrap()
        };
        assert_eq!((at(own).line, at(own).trailing), (2, false));
        assert_eq!((at(trailing).line, at(trailing).trailing), (3, true));
    }

    #[test]
    fn missing_reason_and_other_comments() {
        assert_eq!(parse("checkout-lint: ignore[CL001]").unwrap().reason, None);
        assert_eq!(
            parse("checkout-lint: ignore[CL001] reason:   ")
                .unwrap()
                .reason,
            None
        );
        assert!(parse(" just a comment about checkout-lint").is_none());
    }
}
