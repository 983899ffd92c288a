//! CL002 `expires-at-not-derived`: `expires_at` does not come from the shared TTL constant
//! (a literal, another constant, a value computed at import time, something unseeable).
//! Owns the rule's identity, doc and wording; `analysis` decides what a value is.

use super::{Message, Rule, RuleCode, Severity, ValueContext};
use crate::facts::value::Value;

pub const RULE: Rule = Rule {
    code: RuleCode::CL002,
    code_text: "CL002",
    id: "expires-at-not-derived",
    severity: Severity::Error,
    doc_file: "rules/CL002-expires-at-not-derived.md",
    doc_text: include_str!("../../rules/CL002-expires-at-not-derived.md"),
};

/// The objection to one alternative of an `expires_at` value, if any.
pub(super) fn check(value: &Value, context: &ValueContext) -> Option<Message> {
    let not_derived = |origin: Option<&str>| {
        let text = match origin {
            Some(origin) => format!(
                "`expires_at` is not derived from `{}`: it uses {origin}",
                context.constant
            ),
            None => format!("`expires_at` is not derived from `{}`", context.constant),
        };
        Message::new(RuleCode::CL002, text, Some(context.derive_help()))
    };
    match value {
        Value::Timestamp {
            ttl: false, origin, ..
        }
        | Value::DateTime {
            ttl: false, origin, ..
        }
        | Value::Duration {
            ttl: false, origin, ..
        }
        | Value::TimeDelta { ttl: false, origin } => Some(not_derived(origin.as_deref())),
        Value::Int(i) => Some(not_derived(Some(&format!("the literal {i}")))),
        Value::Float => Some(not_derived(Some("a float literal"))),
        Value::Str => Some(not_derived(Some("a string"))),
        Value::External(name) => Some(not_derived(Some(&format!("`{name}`")))),
        Value::Function(symbol) => Some(not_derived(Some(&format!(
            "the function `{}` itself (not called)",
            symbol.display()
        )))),
        Value::Stale(name) => Some(Message::new(
            RuleCode::CL002,
            format!(
                "`expires_at` comes from `{name}`, computed once at import time, so it goes stale"
            ),
            Some(context.derive_help()),
        )),
        Value::Opaque(why) => Some(Message::new(
            RuleCode::CL002,
            format!("`expires_at` cannot be traced to the shared constant: {why}"),
            Some(format!(
                "{}; or suppress with a reason if this value is verified elsewhere",
                context.derive_help()
            )),
        )),
        _ => None,
    }
}
