//! CL001 `missing-expires-at`: a call site passes no `expires_at`, so the session gets
//! Stripe's default expiry of 24 hours. Owns the rule's identity, doc and wording; the
//! analysis decides which sites pass nothing.

use super::{Message, Rule, RuleCode, Severity};

pub const RULE: Rule = Rule {
    code: RuleCode::CL001,
    code_text: "CL001",
    id: "missing-expires-at",
    severity: Severity::Error,
    doc_file: "rules/CL001-missing-expires-at.md",
    doc_text: include_str!("../../rules/CL001-missing-expires-at.md"),
};

/// The call passes no `expires_at`; `sanctioned` is what to pass instead.
pub fn missing(api: &str, sanctioned: &str) -> Message {
    Message::new(
        RuleCode::CL001,
        format!("`{api}` is called without `expires_at`, so the session expires 24 hours after creation (Stripe's default)"),
        Some(format!("pass `{sanctioned}` (the shared TTL constant)")),
    )
}

/// The call's parameters come from a project helper's mapping, which has no `expires_at`.
pub fn missing_in_mapping(api: &str, helper: &str, constant: &str) -> Message {
    Message::new(
        RuleCode::CL001,
        format!("`{api}` is called without `expires_at` (the mapping from `{helper}` has none)"),
        Some(format!(
            "add `\"expires_at\": int(time.time()) + {constant}` to the mapping"
        )),
    )
}

/// A raw POST sends a JSON body, which Stripe's form-encoded v1 API never reads.
pub fn json_body() -> Message {
    Message::new(
        RuleCode::CL001,
        "this POST sends a JSON body, but Stripe's v1 API reads form-encoded parameters, so the body's `expires_at` is never applied".into(),
        Some("send the parameters form-encoded (`.form(&params)`), as every Stripe v1 endpoint expects".into()),
    )
}
