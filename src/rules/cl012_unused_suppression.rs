//! CL012 `unused-suppression`: a suppression comment (or some of the rules it names)
//! matches no finding. Owns the rule's identity, doc and wording; `analysis::suppression`
//! counts the matches.

use super::{Message, Rule, RuleCode, Severity};

pub const RULE: Rule = Rule {
    code: RuleCode::CL012,
    code_text: "CL012",
    id: "unused-suppression",
    severity: Severity::Warning,
    doc_file: "rules/CL012-unused-suppression.md",
    doc_text: include_str!("../../rules/CL012-unused-suppression.md"),
};

/// `unused` of the comment's `named` rules matched nothing; `trailing`: the comment follows
/// code on its line, so it covers that line only.
pub fn unused(unused: &[String], named: usize, trailing: bool) -> Message {
    let scope = if trailing {
        "on its line"
    } else {
        "on its line or the next"
    };
    let (text, help) = if unused.len() == named {
        (
            format!("this suppression matches no finding {scope}"),
            "remove it, or move it onto the line of the call (or the line above)",
        )
    } else {
        (
            format!(
                "this suppression names {} that match{} no finding {scope}",
                unused.join(", "),
                if unused.len() == 1 { "es" } else { "" }
            ),
            "remove the rules that do not fire from the list, so the comment silences no more than it must",
        )
    };
    Message::new(RuleCode::CL012, text, Some(help.into()))
}

/// The comment names a rule again (`repeats`: the later spellings), by code or by id.
pub fn repeated(repeats: &[String]) -> Message {
    Message::new(
        RuleCode::CL012,
        format!(
            "this suppression names a rule it already names: {}",
            repeats.join(", ")
        ),
        Some("name each rule once, by its code or its id".into()),
    )
}
