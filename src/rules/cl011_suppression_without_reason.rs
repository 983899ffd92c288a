//! CL011 `suppression-without-reason`: a suppression comment names no rule, an unknown
//! rule, or gives no reason. Owns the rule's identity, doc and wording;
//! `analysis::suppression` matches comments to findings.

use super::{Message, Rule, RuleCode, Severity};

pub const RULE: Rule = Rule {
    code: RuleCode::CL011,
    code_text: "CL011",
    id: "suppression-without-reason",
    severity: Severity::Error,
    doc_file: "rules/CL011-suppression-without-reason.md",
    doc_text: include_str!("../../rules/CL011-suppression-without-reason.md"),
};

/// The comment names no rule (`unknown` empty) or names rules that do not exist.
pub fn bad_rule_list(unknown: &[String]) -> Message {
    let text = if unknown.is_empty() {
        "this suppression names no rule".to_string()
    } else {
        format!(
            "this suppression names an unknown rule: {}",
            unknown.join(", ")
        )
    };
    Message::new(
        RuleCode::CL011,
        text,
        Some("write `checkout-lint: ignore[rule-id] reason: why`; `checkout-lint rule` lists the ids".into()),
    )
}

/// The comment gives no reason.
pub fn no_reason() -> Message {
    Message::new(
        RuleCode::CL011,
        "this suppression gives no reason".into(),
        Some("add `reason: <why this site is fine>` after the rule list; the reason shows in the runbook table".into()),
    )
}
