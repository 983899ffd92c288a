//! Arithmetic on abstract values: adding a duration to a clock reading makes a timestamp,
//! `* 1000` makes milliseconds, `/` of a float stays a float, a `timedelta` added to an aware
//! `datetime` keeps it aware. Knows values, not syntax and not rules.

use crate::facts::value::{Unit, Value};
use crate::facts::BinaryOp;

/// Arithmetic on abstract values.
pub fn binary(op: BinaryOp, left: Value, right: Value) -> Value {
    use Value::*;
    if let OneOf(values) = left {
        return OneOf(
            values
                .into_iter()
                .map(|l| binary(op, l, right.clone()))
                .collect(),
        );
    }
    if let OneOf(values) = right {
        return OneOf(
            values
                .into_iter()
                .map(|r| binary(op, left.clone(), r))
                .collect(),
        );
    }
    match op {
        BinaryOp::Add | BinaryOp::Sub => match (left, right) {
            (Int(a), Int(b)) => (if op == BinaryOp::Add {
                a.checked_add(b)
            } else {
                a.checked_sub(b)
            })
            .map(Int)
            .unwrap_or_else(|| Opaque("an overflowing sum".into())),
            (Opaque(why), _) | (_, Opaque(why)) => Opaque(why),
            (ts @ Timestamp { .. }, d) if is_amount(&d) => {
                shift_timestamp(ts, &d, op == BinaryOp::Sub)
            }
            (d, ts @ Timestamp { .. }) if is_amount(&d) && op == BinaryOp::Add => {
                shift_timestamp(ts, &d, false)
            }
            (dt @ DateTime { .. }, d @ TimeDelta { .. }) => {
                shift_datetime(dt, &d, op == BinaryOp::Sub)
            }
            (d @ TimeDelta { .. }, dt @ DateTime { .. }) if op == BinaryOp::Add => {
                shift_datetime(dt, &d, false)
            }
            (a, b) if is_amount(&a) && is_amount(&b) => changed_amount(&a, &b, false),
            (a, b) => Opaque(format!("{} combined with {}", a.describe(), b.describe())),
        },
        BinaryOp::Mul => match (left, right) {
            (Int(a), Int(b)) => a
                .checked_mul(b)
                .map(Int)
                .unwrap_or(Opaque("an overflowing product".into())),
            (
                Timestamp {
                    clock,
                    unit: Unit::Seconds,
                    float,
                    ttl,
                    origin,
                },
                Int(k),
            )
            | (
                Int(k),
                Timestamp {
                    clock,
                    unit: Unit::Seconds,
                    float,
                    ttl,
                    origin,
                },
            ) if k >= 1000 => Timestamp {
                clock,
                // A factor between units reads as the nearest one below.
                unit: Unit::Seconds.scaled(k, false).unwrap_or(match k {
                    1_000_000_000.. => Unit::Nanos,
                    1_000_000.. => Unit::Micros,
                    _ => Unit::Millis,
                }),
                float,
                ttl,
                origin,
            },
            (Opaque(why), _) | (_, Opaque(why)) => Opaque(why),
            (a, b) if is_amount(&a) && is_amount(&b) => changed_amount(&a, &b, false),
            (a, b) => Opaque(format!("{} multiplied by {}", a.describe(), b.describe())),
        },
        BinaryOp::Div | BinaryOp::FloorDiv => match (left, right) {
            (Int(a), Int(b)) if b != 0 => {
                if op == BinaryOp::FloorDiv {
                    a.checked_div_euclid(b)
                        .map(Int)
                        .unwrap_or_else(|| Opaque("an overflowing division".into()))
                } else {
                    Float
                }
            }
            (Opaque(why), _) | (_, Opaque(why)) => Opaque(why),
            (
                Timestamp {
                    clock,
                    unit,
                    float,
                    ttl,
                    origin,
                },
                Int(k),
            ) if k >= 1000 && unit != Unit::Seconds => Timestamp {
                clock,
                unit: unit.scaled(k, true).unwrap_or(match unit {
                    Unit::Nanos if k >= 1_000_000_000 => Unit::Seconds,
                    Unit::Nanos if k >= 1_000_000 => Unit::Millis,
                    Unit::Nanos => Unit::Micros,
                    Unit::Micros if k < 1_000_000 => Unit::Millis,
                    _ => Unit::Seconds,
                }),
                float: float || op == BinaryOp::Div,
                ttl,
                origin,
            },
            (a, b) if is_amount(&a) && is_amount(&b) => changed_amount(&a, &b, op == BinaryOp::Div),
            (a, b) => Opaque(format!("{} divided by {}", a.describe(), b.describe())),
        },
        BinaryOp::Other => Opaque("an operator other than + - * /".into()),
    }
}

/// A number of seconds (not a point in time): literals, the TTL, durations.
fn is_amount(value: &Value) -> bool {
    matches!(
        value,
        Value::Int(_)
            | Value::Ttl
            | Value::Duration { .. }
            | Value::Float
            | Value::Stale(_)
            | Value::TimeDelta { .. }
    )
}

/// Arithmetic between two amounts: the result is never the shared TTL any more
/// (`TTL * 30` is how a 30-day value sneaks past a check on the constant). A float in, or a
/// true division (`/`, which only Python writes: the Rust front end lowers integer division
/// to `//`), makes a float.
fn changed_amount(a: &Value, b: &Value, true_division: bool) -> Value {
    if matches!((a, b), (Value::Float, _) | (_, Value::Float)) && !is_ttl(a) && !is_ttl(b) {
        return Value::Float;
    }
    let float = true_division || is_float(a) || is_float(b);
    let origin = if is_ttl(a) || is_ttl(b) {
        Some("arithmetic that changes the shared constant".to_string())
    } else {
        origin(a).or(origin(b))
    };
    Value::Duration {
        ttl: false,
        float,
        origin,
    }
}

/// A float number of seconds.
fn is_float(value: &Value) -> bool {
    matches!(value, Value::Float | Value::Duration { float: true, .. })
}

fn shift_timestamp(ts: Value, amount: &Value, subtract: bool) -> Value {
    let Value::Timestamp {
        clock,
        unit,
        float,
        ttl,
        origin: ts_origin,
    } = ts
    else {
        return ts;
    };
    // Only the TTL itself (or `timedelta(seconds=TTL)`), added, keeps the derivation.
    let amount_ttl = !subtract
        && matches!(
            amount,
            Value::Ttl | Value::TimeDelta { ttl: true, .. } | Value::Duration { ttl: true, .. }
        );
    let amount_float = is_float(amount);
    let amount_origin = if subtract && is_ttl(amount) {
        Some("the shared constant subtracted from the current time".to_string())
    } else {
        origin(amount)
    };
    // Once the TTL is in, any further shift changes the window (`now + TTL + 29 days`).
    let changed_after = ttl && !matches!(amount, Value::Int(0));
    Value::Timestamp {
        clock,
        unit,
        float: float || amount_float,
        ttl: (ttl || amount_ttl) && !changed_after,
        origin: if changed_after {
            Some("arithmetic after the shared constant was added".into())
        } else if amount_ttl {
            ts_origin
        } else {
            amount_origin.or(ts_origin)
        },
    }
}

fn shift_datetime(dt: Value, delta: &Value, subtract: bool) -> Value {
    let Value::DateTime {
        clock,
        ttl,
        origin: dt_origin,
    } = dt
    else {
        return dt;
    };
    let delta_ttl = !subtract && matches!(delta, Value::TimeDelta { ttl: true, .. });
    let delta_origin = if subtract && is_ttl(delta) {
        Some("the shared constant subtracted from the current time".to_string())
    } else {
        origin(delta)
    };
    let changed_after = ttl;
    Value::DateTime {
        clock,
        ttl: (ttl || delta_ttl) && !changed_after,
        origin: if changed_after {
            Some("arithmetic after the shared constant was added".into())
        } else if delta_ttl {
            dt_origin
        } else {
            delta_origin.or(dt_origin)
        },
    }
}

pub(super) fn is_ttl(value: &Value) -> bool {
    match value {
        Value::Ttl => true,
        Value::Duration { ttl, .. } | Value::TimeDelta { ttl, .. } => *ttl,
        Value::Timestamp { ttl, .. } | Value::DateTime { ttl, .. } => *ttl,
        _ => false,
    }
}

pub(super) fn origin(value: &Value) -> Option<String> {
    match value {
        Value::Int(i) => Some(format!("the literal {i}")),
        Value::Float => Some("a float literal".into()),
        Value::Duration { origin, .. } | Value::TimeDelta { origin, .. } => origin.clone(),
        Value::Stale(name) => Some(format!("`{name}`, computed once at import time")),
        Value::Opaque(why) => Some(why.clone()),
        _ => None,
    }
}
