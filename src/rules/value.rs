//! Judging one abstract `expires_at` value: each value rule (CL002, CL004, CL005, CL006)
//! looks at the value's alternatives in order and says what is wrong with the first one it
//! objects to. No message means sanctioned.

use super::{
    cl002_expires_at_not_derived, cl004_expires_at_not_timestamp, cl005_expires_at_not_integer,
    cl006_naive_utc_timestamp, Message, ValueContext,
};
use crate::facts::value::Value;

/// A value rule's verdict on one alternative (never a `Value::OneOf`).
type ValueCheck = fn(&Value, &ValueContext) -> Option<Message>;

const VALUE_RULES: [ValueCheck; 4] = [
    cl002_expires_at_not_derived::check,
    cl004_expires_at_not_timestamp::check,
    cl005_expires_at_not_integer::check,
    cl006_naive_utc_timestamp::check,
];

/// The messages for a value, one per broken rule, in code order; empty means sanctioned.
/// One bad alternative is enough for a rule to fire.
pub fn judge_value(value: &Value, context: &ValueContext) -> Vec<Message> {
    VALUE_RULES
        .iter()
        .filter_map(|check| first_objection(value, context, *check))
        .collect()
}

fn first_objection(value: &Value, context: &ValueContext, check: ValueCheck) -> Option<Message> {
    match value {
        Value::OneOf(values) => values
            .iter()
            .find_map(|v| first_objection(v, context, check)),
        value => check(value, context),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::value::{Clock, Unit};
    use crate::rules::RuleCode;

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
        let context = ValueContext {
            constant: "TTL",
            now_plus_ttl: "int(time.time()) + TTL",
        };
        judge_value(v, &context)
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
        assert_eq!(
            rules(&Value::Int(86_400)),
            vec![RuleCode::CL002, RuleCode::CL004]
        );
        assert_eq!(rules(&Value::Float), vec![RuleCode::CL002, RuleCode::CL005]);
    }

    #[test]
    fn one_bad_alternative_is_enough() {
        let v = Value::OneOf(vec![
            ts(Clock::Epoch, Unit::Seconds, false, true),
            Value::Opaque("x".into()),
        ]);
        assert_eq!(rules(&v), vec![RuleCode::CL002]);
    }

    #[test]
    fn a_rule_speaks_of_its_first_objection() {
        let v = Value::OneOf(vec![
            ts(Clock::Monotonic, Unit::Millis, false, true),
            Value::Ttl,
        ]);
        let found = judge_value(
            &v,
            &ValueContext {
                constant: "TTL",
                now_plus_ttl: "now + TTL",
            },
        );
        assert_eq!(found.len(), 1);
        assert!(found[0].text.contains("monotonic"), "{found:?}");
    }
}
