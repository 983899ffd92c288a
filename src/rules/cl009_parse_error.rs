//! CL009 `parse-error`: a file that may create a session could not be parsed, or a file or
//! directory could not be read, so it was not verified (each with its own message and help).
//! Owns the rule's identity, doc and wording; the index records which files failed.

use super::{Message, Rule, RuleCode, Severity};
use crate::facts::Language;

pub const RULE: Rule = Rule {
    code: RuleCode::CL009,
    code_text: "CL009",
    id: "parse-error",
    severity: Severity::Error,
    doc_file: "rules/CL009-parse-error.md",
    doc_text: include_str!("../../rules/CL009-parse-error.md"),
};

/// A candidate file does not parse; `detail` is the parser's message.
pub fn does_not_parse(detail: &str, language: Language) -> Message {
    Message::new(
        RuleCode::CL009,
        format!("this file mentions a checkout API but does not parse, so it was not verified: {detail}"),
        Some(fix_help(language)),
    )
}

/// A Python or Rust file could not be read (permissions, an I/O error): whether it creates a
/// session is unknown. Not a syntax error, so not that help.
pub fn unreadable_file(error: &str) -> Message {
    Message::new(
        RuleCode::CL009,
        format!("this file could not be read ({error}), so it was not verified: it may create a Checkout Session"),
        Some("let the user who runs checkout-lint read it (its permissions or owner), or exclude it in `[files] exclude` if it is not code".into()),
    )
}

fn fix_help(language: Language) -> String {
    match language {
        Language::Python => "fix the syntax error (the tool parses Python 3 syntax, including 3.12 f-strings), or exclude the file in `[files] exclude` if it is not code".into(),
        Language::Rust => "fix the syntax error (the tool parses Rust 2021 syntax with `syn`), or exclude the file in `[files] exclude` if it is not code".into(),
    }
}

/// A directory of the walk could not be read, so the files in it were not verified.
pub fn unreadable_directory(error: &str) -> Message {
    Message::new(
        RuleCode::CL009,
        format!("this directory could not be read ({error}), so nothing in it was verified"),
        Some("let the user who runs checkout-lint list and read it (its permissions or owner), or exclude it in `[files] exclude`".into()),
    )
}
