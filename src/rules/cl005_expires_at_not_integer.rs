//! CL005 `expires-at-not-integer`: the Python value is a float (`time.time() + TTL` without
//! `int(...)`, a float literal). Owns the rule's identity, doc and wording.

use super::{Message, Rule, RuleCode, Severity, ValueContext};
use crate::facts::fix::ValueFix;
use crate::facts::value::Value;

pub const RULE: Rule = Rule {
    code: RuleCode::CL005,
    code_text: "CL005",
    id: "expires-at-not-integer",
    severity: Severity::Error,
    doc_file: "rules/CL005-expires-at-not-integer.md",
    doc_text: include_str!("../../rules/CL005-expires-at-not-integer.md"),
};

/// The objection to one alternative of an `expires_at` value, if any.
pub(super) fn check(value: &Value, _context: &ValueContext) -> Option<Message> {
    let (text, help) = match value {
        Value::Timestamp { float: true, .. } => (
            "`expires_at` is a float; Stripe expects a whole number of seconds",
            "wrap the clock in `int(...)`: `int(time.time()) + CHECKOUT_SESSION_TTL_SECONDS`",
        ),
        Value::Float => (
            "`expires_at` is a float literal",
            "Stripe expects a whole number of seconds computed at call time",
        ),
        _ => return None,
    };
    let message = Message::new(RuleCode::CL005, text.into(), Some(help.into()));
    Some(message.fixed_by(ValueFix::Integer))
}

/// What the fix of a float `expires_at` does.
pub fn fix_message() -> String {
    "wrap the value in `int(...)`: whole seconds".into()
}
