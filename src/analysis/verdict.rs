//! Stripe's rules for an `expires_at` value: the verdict for an abstract value, with the
//! message and the help that say what to write instead.

use super::eval::{Clock, Unit, Value};
use crate::facts::RuleCode;

/// One broken rule at a call site.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub rule: RuleCode,
    pub message: String,
    pub help: String,
}

pub const SANCTIONED_PYTHON: &str = "expires_at=int(time.time()) + CHECKOUT_SESSION_TTL_SECONDS";

fn finding(rule: RuleCode, message: String, help: &str) -> Finding {
    Finding {
        rule,
        message,
        help: help.to_string(),
    }
}

/// The findings for a value; empty means sanctioned.
/// `now_plus_ttl` is the sanctioned expression in the site's language, named in the help.
pub fn judge(value: &Value, constant: &str, now_plus_ttl: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    judge_into(value, constant, now_plus_ttl, &mut out);
    out.sort_by_key(|f| f.rule);
    out.dedup_by(|a, b| a.rule == b.rule);
    out
}

fn judge_into(value: &Value, constant: &str, now_plus_ttl: &str, out: &mut Vec<Finding>) {
    let derive_help = format!("compute it at call time from the shared constant: `{now_plus_ttl}`");
    let add_help = format!("add the duration to the current time: `{now_plus_ttl}`");
    match value {
        Value::OneOf(values) => {
            for v in values {
                judge_into(v, constant, now_plus_ttl, out);
            }
        }
        Value::Timestamp {
            clock,
            unit,
            float,
            ttl,
            origin,
        } => {
            clock_findings(*clock, out);
            if *unit != Unit::Seconds {
                out.push(finding(
                    RuleCode::CL004,
                    format!(
                        "`expires_at` is in {}, but Stripe expects Unix seconds",
                        if *unit == Unit::Millis { "milliseconds" } else { "nanoseconds" }
                    ),
                    "drop the `* 1000` / `_millis` / `_ns`: Stripe reads the number as seconds, so this lands centuries in the future and is rejected",
                ));
            }
            if *float {
                out.push(finding(
                    RuleCode::CL005,
                    "`expires_at` is a float; Stripe expects a whole number of seconds".into(),
                    "wrap the clock in `int(...)`: `int(time.time()) + CHECKOUT_SESSION_TTL_SECONDS`",
                ));
            }
            if !*ttl {
                out.push(not_derived(origin.as_deref(), constant, &derive_help));
            }
        }
        Value::DateTime { clock, ttl, origin } => {
            clock_findings(*clock, out);
            if !*ttl {
                out.push(not_derived(origin.as_deref(), constant, &derive_help));
            }
        }
        Value::Ttl => out.push(finding(
            RuleCode::CL004,
            format!("`expires_at` is the duration `{constant}` itself, not a timestamp"),
            &format!("{add_help}; the bare TTL is a moment in January 1970"),
        )),
        Value::Duration { ttl, origin } | Value::TimeDelta { ttl, origin } => {
            out.push(finding(
                RuleCode::CL004,
                "`expires_at` is a duration without a \"now\" base, not a timestamp".into(),
                &add_help,
            ));
            if !*ttl {
                out.push(not_derived(origin.as_deref(), constant, &derive_help));
            }
        }
        Value::Int(i) => {
            if *i < 1_000_000_000 {
                out.push(finding(
                    RuleCode::CL004,
                    format!("`expires_at` is the number {i}, a duration rather than a timestamp"),
                    &add_help,
                ));
            }
            out.push(not_derived(
                Some(&format!("the literal {i}")),
                constant,
                &derive_help,
            ));
        }
        Value::Float => {
            out.push(finding(
                RuleCode::CL005,
                "`expires_at` is a float literal".into(),
                "Stripe expects a whole number of seconds computed at call time",
            ));
            out.push(not_derived(Some("a float literal"), constant, &derive_help));
        }
        Value::Stale(name) => out.push(finding(
            RuleCode::CL002,
            format!(
                "`expires_at` comes from `{name}`, computed once at import time, so it goes stale"
            ),
            &derive_help,
        )),
        Value::Str => out.push(not_derived(Some("a string"), constant, &derive_help)),
        Value::External(q) => {
            out.push(not_derived(Some(&format!("`{q}`")), constant, &derive_help))
        }
        Value::Function(s) => out.push(not_derived(
            Some(&format!(
                "the function `{}` itself (not called)",
                s.display()
            )),
            constant,
            &derive_help,
        )),
        Value::Opaque(why) => out.push(finding(
            RuleCode::CL002,
            format!("`expires_at` cannot be traced to the shared constant: {why}"),
            &format!(
                "{derive_help}; or suppress with a reason if this value is verified elsewhere"
            ),
        )),
    }
}

fn not_derived(origin: Option<&str>, constant: &str, help: &str) -> Finding {
    let message = match origin {
        Some(origin) => format!("`expires_at` is not derived from `{constant}`: it uses {origin}"),
        None => format!("`expires_at` is not derived from `{constant}`"),
    };
    finding(RuleCode::CL002, message, help)
}

fn clock_findings(clock: Clock, out: &mut Vec<Finding>) {
    match clock {
        Clock::Epoch => {}
        Clock::NaiveUtc => out.push(finding(
            RuleCode::CL006,
            "`expires_at` comes from `datetime.utcnow()`, a naive datetime read back as local time".into(),
            "use an aware clock: `datetime.now(timezone.utc)` or `int(time.time())`; `.timestamp()` and stripe-python shift naive values by the host's UTC offset",
        )),
        Clock::NaiveLocal => out.push(finding(
            RuleCode::CL006,
            "`expires_at` comes from a naive `datetime` (no timezone)".into(),
            "use an aware clock: `datetime.now(timezone.utc)` or `int(time.time())`",
        )),
        Clock::Monotonic => out.push(finding(
            RuleCode::CL004,
            "`expires_at` uses a monotonic clock, which does not count from the Unix epoch".into(),
            "use the wall clock: `time.time()` (Python) or `Utc::now()` / `SystemTime::now()` (Rust)",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(clock: Clock, unit: Unit, float: bool, ttl: bool) -> Value {
        Value::Timestamp {
            clock,
            unit,
            float,
            ttl,
            origin: None,
        }
    }

    fn rules(v: &Value) -> Vec<RuleCode> {
        judge(v, "TTL", "int(time.time()) + TTL")
            .into_iter()
            .map(|f| f.rule)
            .collect()
    }

    #[test]
    fn sanctioned_integer_epoch_seconds_from_ttl() {
        assert!(rules(&ts(Clock::Epoch, Unit::Seconds, false, true)).is_empty());
    }

    #[test]
    fn each_defect_has_its_rule() {
        assert_eq!(
            rules(&ts(Clock::Epoch, Unit::Seconds, true, true)),
            vec![RuleCode::CL005]
        );
        assert_eq!(
            rules(&ts(Clock::NaiveUtc, Unit::Seconds, false, true)),
            vec![RuleCode::CL006]
        );
        assert_eq!(
            rules(&ts(Clock::Monotonic, Unit::Seconds, false, true)),
            vec![RuleCode::CL004]
        );
        assert_eq!(
            rules(&ts(Clock::Epoch, Unit::Millis, false, true)),
            vec![RuleCode::CL004]
        );
        assert_eq!(
            rules(&ts(Clock::Epoch, Unit::Seconds, false, false)),
            vec![RuleCode::CL002]
        );
        assert_eq!(rules(&Value::Ttl), vec![RuleCode::CL004]);
        assert_eq!(rules(&Value::Opaque("x".into())), vec![RuleCode::CL002]);
    }

    #[test]
    fn one_bad_branch_is_enough() {
        let v = Value::OneOf(vec![
            ts(Clock::Epoch, Unit::Seconds, false, true),
            Value::Opaque("x".into()),
        ]);
        assert_eq!(rules(&v), vec![RuleCode::CL002]);
    }
}
