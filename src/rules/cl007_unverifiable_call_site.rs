//! CL007 `unverifiable-call-site`: a call may create a Checkout Session, but its arguments
//! cannot be followed (they come from a parameter, a helper the tool cannot read, dynamic
//! dispatch). Owns the rule's identity, doc and wording; the reason comes from whoever could
//! not follow the value.

use super::{Message, Rule, RuleCode, Severity};

pub const RULE: Rule = Rule {
    code: RuleCode::CL007,
    code_text: "CL007",
    id: "unverifiable-call-site",
    severity: Severity::Error,
    doc_file: "rules/CL007-unverifiable-call-site.md",
    doc_text: include_str!("../../rules/CL007-unverifiable-call-site.md"),
};

/// The parameters cannot be followed, for the reason given.
pub fn unresolved(why: &str) -> Message {
    Message::new(
        RuleCode::CL007,
        format!("this call site cannot be verified: {why}"),
        Some("build the parameters in the same function as the call, or suppress with `checkout-lint: ignore[unverifiable-call-site] reason: ...`".into()),
    )
}

/// The arguments come from a parameter of the enclosing function.
pub fn forwarded() -> Message {
    Message::new(
        RuleCode::CL007,
        "this call site cannot be verified: its arguments come from a parameter".into(),
        None,
    )
}

/// A project helper builds the parameters in a way that cannot be followed.
pub fn helper_unresolved(why: &str) -> Message {
    Message::new(
        RuleCode::CL007,
        format!("this call site cannot be verified: {why}"),
        None,
    )
}
