//! CL006 `naive-utc-timestamp`: the value comes from `datetime.utcnow()` or another naive
//! datetime, whose `.timestamp()` is shifted by the host's UTC offset. Owns the rule's
//! identity, doc and wording.

use super::{Message, Rule, RuleCode, Severity, ValueContext};
use crate::facts::fix::ValueFix;
use crate::facts::value::{Clock, Value};

pub const RULE: Rule = Rule {
    code: RuleCode::CL006,
    code_text: "CL006",
    id: "naive-utc-timestamp",
    severity: Severity::Error,
    doc_file: "rules/CL006-naive-utc-timestamp.md",
    doc_text: include_str!("../../rules/CL006-naive-utc-timestamp.md"),
};

/// The objection to one alternative of an `expires_at` value, if any.
pub(super) fn check(value: &Value, _context: &ValueContext) -> Option<Message> {
    let clock = match value {
        Value::Timestamp { clock, .. } | Value::DateTime { clock, .. } => *clock,
        _ => return None,
    };
    let (text, help) = match clock {
        Clock::NaiveUtc => (
            "`expires_at` comes from `datetime.utcnow()`, a naive datetime read back as local time",
            "use an aware clock: `datetime.now(timezone.utc)` or `int(time.time())`; `.timestamp()` and stripe-python shift naive values by the host's UTC offset",
        ),
        Clock::NaiveLocal => (
            "`expires_at` comes from a naive `datetime` (no timezone)",
            "use an aware clock: `datetime.now(timezone.utc)` or `int(time.time())`",
        ),
        Clock::Epoch | Clock::Monotonic => return None,
    };
    let message = Message::new(RuleCode::CL006, text.into(), Some(help.into()));
    Some(message.fixed_by(ValueFix::AwareClock))
}

/// What the fix of a naive clock does.
pub fn fix_message() -> String {
    "read the clock in UTC: `datetime.now(timezone.utc)` (an aware datetime), importing `timezone`"
        .into()
}
