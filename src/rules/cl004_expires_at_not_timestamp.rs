//! CL004 `expires-at-not-timestamp`: the value is a duration without a "now" base, is in
//! milliseconds or nanoseconds, or comes from a clock that does not count from the epoch.
//! Owns the rule's identity, doc and wording; `analysis` decides what a value is.

use super::{Message, Rule, RuleCode, Severity, ValueContext};
use crate::facts::fix::ValueFix;
use crate::facts::value::{Clock, Unit, Value};

pub const RULE: Rule = Rule {
    code: RuleCode::CL004,
    code_text: "CL004",
    id: "expires-at-not-timestamp",
    severity: Severity::Error,
    doc_file: "rules/CL004-expires-at-not-timestamp.md",
    doc_text: include_str!("../../rules/CL004-expires-at-not-timestamp.md"),
};

/// Below this, an integer is a duration rather than a Unix timestamp (2001-09-09).
const SMALLEST_TIMESTAMP: i128 = 1_000_000_000;

/// The objection to one alternative of an `expires_at` value, if any.
pub(super) fn check(value: &Value, context: &ValueContext) -> Option<Message> {
    let message =
        |text: String, help: String| Some(Message::new(RuleCode::CL004, text, Some(help)));
    match value {
        Value::Timestamp {
            clock: Clock::Monotonic,
            ..
        }
        | Value::DateTime {
            clock: Clock::Monotonic,
            ..
        } => message(
            "`expires_at` uses a monotonic clock, which does not count from the Unix epoch".into(),
            "use the wall clock: `time.time()` (Python) or `Utc::now()` / `SystemTime::now()` (Rust)".into(),
        ),
        Value::Timestamp { unit, .. } if *unit != Unit::Seconds => message(
            format!(
                "`expires_at` is in {}, but Stripe expects Unix seconds",
                match unit {
                    Unit::Millis => "milliseconds",
                    Unit::Micros => "microseconds",
                    _ => "nanoseconds",
                }
            ),
            "drop the `* 1000` / `_millis` / `_ns`: Stripe reads the number as seconds, so this lands centuries in the future and is rejected".into(),
        )
        .map(|m| {
            m.fixed_by(ValueFix::Seconds {
                per_second: unit.per_second(),
            })
        }),
        Value::Ttl => message(
            format!(
                "`expires_at` is the duration `{}` itself, not a timestamp",
                context.constant
            ),
            format!("{}; the bare TTL is a moment in January 1970", context.add_help()),
        )
        .map(|m| m.fixed_by(ValueFix::AddNow)),
        Value::Duration { .. } | Value::TimeDelta { .. } => message(
            "`expires_at` is a duration without a \"now\" base, not a timestamp".into(),
            context.add_help(),
        ),
        Value::Int(i) if *i < SMALLEST_TIMESTAMP => message(
            format!("`expires_at` is the number {i}, a duration rather than a timestamp"),
            context.add_help(),
        ),
        _ => None,
    }
}

/// What the fix of a value in milliseconds or nanoseconds does.
pub fn seconds_fix_message() -> String {
    "count in seconds: read the clock in seconds, without a `* 1000` scaling".into()
}

/// What the fix of the bare TTL does: `shown` is the value it passes.
pub fn add_now_fix_message(shown: &str, imports: &[String]) -> String {
    let mut message = format!("add the current time: `{shown}`");
    if !imports.is_empty() {
        message.push_str(&format!(", import `{}`", imports.join("` and `")));
    }
    message
}
