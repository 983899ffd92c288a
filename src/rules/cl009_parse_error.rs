//! CL009 `parse-error`: a file that may create a session could not be parsed or read, so it
//! was not verified. Owns the rule's identity, doc and wording; the index records which
//! files failed.

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

/// A source file could not be read.
pub fn unreadable_file(error: &str, language: Language) -> Message {
    Message::new(
        RuleCode::CL009,
        format!("this file could not be read, so it was not verified: {error}"),
        Some(fix_help(language)),
    )
}

fn fix_help(language: Language) -> String {
    match language {
        Language::Python => "fix the syntax error (the tool parses Python 3 syntax, including 3.12 f-strings), or exclude the file in `[files] exclude` if it is not code".into(),
        Language::Rust => "fix the syntax error (the tool parses Rust 2021 syntax with `syn`), or exclude the file in `[files] exclude` if it is not code".into(),
    }
}

/// A path of the walk (a directory, or a file named on the command line) could not be read.
pub fn unreadable_path(error: &str) -> Message {
    Message::new(
        RuleCode::CL009,
        format!("this path could not be read, so nothing in it was verified: {error}"),
        Some("fix its permissions, or exclude it in `[files] exclude`".into()),
    )
}
