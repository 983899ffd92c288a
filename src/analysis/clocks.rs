//! What the standard clocks, conversions and arithmetic do to a value: `time.time()` is a
//! float of epoch seconds, `int()` truncates it, `datetime.utcnow()` is naive, `* 1000`
//! turns seconds into milliseconds, and so on. Python and Rust names share one table,
//! keyed by qualified name.

use super::arithmetic::{binary, is_ttl, origin};
use crate::facts::value::{Clock, Unit, Value};
use crate::facts::BinaryOp;

/// The role of a known external function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Known {
    /// `int`, `round`, `math.floor`: float → int, otherwise unchanged.
    ToInt,
    EpochSecondsFloat,
    EpochNanos,
    Monotonic,
    /// `datetime.now(tz)`: aware with a timezone argument, naive without.
    DateTimeNow,
    DateTimeUtcNow,
    DateTimeToday,
    TimeDelta,
    /// chrono / time / jiff "now" values that are timezone-aware by construction.
    AwareNow,
    /// `std::time::SystemTime::now()`: epoch-based, read through `duration_since(UNIX_EPOCH)`.
    SystemTimeNow,
    /// `std::time::Instant::now()`: monotonic.
    InstantNow,
    DurationFromSecs,
    DurationFromMins,
    DurationFromHours,
    DurationFromDays,
    DurationFromMillis,
}

const TABLE: &[(&str, Known)] = &[
    ("int", Known::ToInt),
    ("round", Known::ToInt),
    ("math.floor", Known::ToInt),
    ("math.ceil", Known::ToInt),
    ("math.trunc", Known::ToInt),
    ("time.time", Known::EpochSecondsFloat),
    ("time.time_ns", Known::EpochNanos),
    ("time.monotonic", Known::Monotonic),
    ("time.monotonic_ns", Known::Monotonic),
    ("time.perf_counter", Known::Monotonic),
    ("time.perf_counter_ns", Known::Monotonic),
    ("time.process_time", Known::Monotonic),
    ("datetime.datetime.now", Known::DateTimeNow),
    ("datetime.datetime.utcnow", Known::DateTimeUtcNow),
    ("datetime.datetime.today", Known::DateTimeToday),
    ("datetime.timedelta", Known::TimeDelta),
    ("chrono::Utc::now", Known::AwareNow),
    ("chrono::offset::Utc::now", Known::AwareNow),
    ("chrono::Local::now", Known::AwareNow),
    ("chrono::prelude::Utc::now", Known::AwareNow),
    ("chrono::prelude::Local::now", Known::AwareNow),
    ("time::OffsetDateTime::now_utc", Known::AwareNow),
    ("jiff::Timestamp::now", Known::AwareNow),
    ("std::time::SystemTime::now", Known::SystemTimeNow),
    ("std::time::Instant::now", Known::InstantNow),
    ("std::time::Duration::from_secs", Known::DurationFromSecs),
    ("core::time::Duration::from_secs", Known::DurationFromSecs),
    (
        "std::time::Duration::from_millis",
        Known::DurationFromMillis,
    ),
    ("chrono::Duration::seconds", Known::DurationFromSecs),
    ("chrono::Duration::minutes", Known::DurationFromMins),
    ("chrono::Duration::hours", Known::DurationFromHours),
    ("chrono::Duration::days", Known::DurationFromDays),
    ("chrono::TimeDelta::seconds", Known::DurationFromSecs),
    ("chrono::TimeDelta::minutes", Known::DurationFromMins),
    ("chrono::TimeDelta::hours", Known::DurationFromHours),
    ("chrono::TimeDelta::days", Known::DurationFromDays),
    ("time::Duration::seconds", Known::DurationFromSecs),
    ("time::Duration::minutes", Known::DurationFromMins),
    ("time::Duration::hours", Known::DurationFromHours),
    ("time::Duration::days", Known::DurationFromDays),
    ("chrono::Duration::try_seconds", Known::DurationFromSecs),
    ("chrono::TimeDelta::try_seconds", Known::DurationFromSecs),
    ("chrono::Duration::try_minutes", Known::DurationFromMins),
    ("chrono::TimeDelta::try_minutes", Known::DurationFromMins),
    ("chrono::Duration::try_hours", Known::DurationFromHours),
    ("chrono::TimeDelta::try_hours", Known::DurationFromHours),
    ("jiff::SignedDuration::from_secs", Known::DurationFromSecs),
    ("jiff::SignedDuration::from_mins", Known::DurationFromMins),
    ("jiff::SignedDuration::from_hours", Known::DurationFromHours),
    ("std::time::Duration::from_mins", Known::DurationFromMins),
    ("std::time::Duration::from_hours", Known::DurationFromHours),
    (
        "core::time::Duration::from_millis",
        Known::DurationFromMillis,
    ),
    ("i64::from", Known::ToInt),
    ("i64::try_from", Known::ToInt),
    ("u64::from", Known::ToInt),
    ("u64::try_from", Known::ToInt),
];

pub fn known(name: &str) -> Option<Known> {
    TABLE.iter().find(|(n, _)| *n == name).map(|(_, k)| *k)
}

/// `timedelta(days, seconds, microseconds, milliseconds, minutes, hours, weeks)`.
pub fn timedelta_positional_unit(index: usize) -> Option<i128> {
    match index {
        0 => Some(86400),
        1 => Some(1),
        _ => None,
    }
}

pub fn timedelta_unit(key: &str) -> Option<i128> {
    match key {
        "weeks" => Some(604800),
        "days" => Some(86400),
        "hours" => Some(3600),
        "minutes" => Some(60),
        "seconds" => Some(1),
        _ => None,
    }
}

/// The value of a call of an external function.
pub fn call(name: &str, args: &[Value], kwargs: &[(String, Value)]) -> Value {
    let Some(known) = known(name) else {
        return Value::Opaque(format!("a call of `{name}`, which is outside the project"));
    };
    let first = args.first().cloned();
    match known {
        Known::ToInt => match first {
            Some(Value::Timestamp {
                clock,
                unit,
                ttl,
                origin,
                ..
            }) => Value::Timestamp {
                clock,
                unit,
                float: false,
                ttl,
                origin,
            },
            Some(Value::Float) => Value::Int(0),
            Some(Value::Duration { ttl, origin, .. }) => Value::Duration {
                ttl,
                float: false,
                origin,
            },
            Some(Value::OneOf(values)) => Value::OneOf(
                values
                    .into_iter()
                    .map(|v| call(name, &[v], kwargs))
                    .collect(),
            ),
            Some(other) => other,
            None => Value::Opaque(format!("`{name}()` without an argument")),
        },
        Known::EpochSecondsFloat => timestamp(Clock::Epoch, Unit::Seconds, true),
        Known::EpochNanos => timestamp(Clock::Epoch, Unit::Nanos, false),
        Known::Monotonic | Known::InstantNow => timestamp(Clock::Monotonic, Unit::Seconds, true),
        Known::DateTimeNow => {
            let aware = !args.is_empty() || kwargs.iter().any(|(k, _)| k == "tz");
            datetime(if aware {
                Clock::Epoch
            } else {
                Clock::NaiveLocal
            })
        }
        Known::DateTimeUtcNow => datetime(Clock::NaiveUtc),
        Known::DateTimeToday => datetime(Clock::NaiveLocal),
        Known::AwareNow | Known::SystemTimeNow => datetime(Clock::Epoch),
        Known::TimeDelta => {
            // Only `timedelta(seconds=TTL)` (or `timedelta(0, TTL)`) is the TTL: another
            // unit or another term changes the duration.
            let seconds_only = match (args, kwargs) {
                ([], [(key, v)]) if key == "seconds" => Some(v),
                ([Value::Int(0), v], []) => Some(v),
                _ => None,
            };
            let ttl = seconds_only.is_some_and(|v| matches!(v, Value::Ttl));
            let all = args.iter().chain(kwargs.iter().map(|(_, v)| v));
            let changed = all.clone().any(is_ttl) && !ttl;
            Value::TimeDelta {
                ttl,
                origin: if ttl {
                    None
                } else if changed {
                    Some("a timedelta that changes the shared constant (another unit or another term)".into())
                } else {
                    all.filter_map(origin).next()
                },
            }
        }
        Known::DurationFromSecs
        | Known::DurationFromMins
        | Known::DurationFromHours
        | Known::DurationFromDays
        | Known::DurationFromMillis => {
            let ttl = known == Known::DurationFromSecs && matches!(first, Some(Value::Ttl));
            Value::TimeDelta {
                ttl,
                origin: if ttl {
                    None
                } else if first.as_ref().is_some_and(is_ttl) {
                    Some("a duration that changes the shared constant (another unit)".into())
                } else {
                    first.as_ref().and_then(origin)
                },
            }
        }
    }
}

/// The UTC timezone objects of Python's standard library and common packages.
const UTC_TIMEZONES: [&str; 5] = [
    "datetime.timezone.utc",
    "datetime.UTC",
    "pytz.utc",
    "pytz.UTC",
    "dateutil.tz.UTC",
];

fn is_utc(tz: &Value) -> bool {
    matches!(tz, Value::External(q) if UTC_TIMEZONES.contains(&q.as_str()))
}

fn timestamp(clock: Clock, unit: Unit, float: bool) -> Value {
    Value::Timestamp {
        clock,
        unit,
        float,
        ttl: false,
        origin: None,
    }
}

fn datetime(clock: Clock) -> Value {
    Value::DateTime {
        clock,
        ttl: false,
        origin: None,
    }
}

/// The value of a method call on a value.
pub fn method(receiver: Value, method: &str, args: &[Value], kwargs: &[(String, Value)]) -> Value {
    match (receiver, method) {
        (Value::OneOf(values), _) => Value::OneOf(
            values
                .into_iter()
                .map(|v| self::method(v, method, args, kwargs))
                .collect(),
        ),
        (Value::DateTime { clock, ttl, origin }, "timestamp") => Value::Timestamp {
            clock,
            unit: Unit::Seconds,
            float: true,
            ttl,
            origin,
        },
        // Rust: chrono `.timestamp()` / time `.unix_timestamp()` / jiff `.as_second()` are i64.
        (Value::DateTime { clock, ttl, origin }, "unix_timestamp" | "as_second") => {
            Value::Timestamp {
                clock,
                unit: Unit::Seconds,
                float: false,
                ttl,
                origin,
            }
        }
        (Value::DateTime { clock, ttl, origin }, "timestamp_millis" | "as_millisecond") => {
            Value::Timestamp {
                clock,
                unit: Unit::Millis,
                float: false,
                ttl,
                origin,
            }
        }
        // time's `unix_timestamp_nanos()` (an `i128`).
        (Value::DateTime { clock, ttl, origin }, "unix_timestamp_nanos") => Value::Timestamp {
            clock,
            unit: Unit::Nanos,
            float: false,
            ttl,
            origin,
        },
        // chrono `with_timezone(&tz)`: the same instant, shown in another zone.
        (Value::DateTime { ttl, origin, .. }, "with_timezone") if !args.is_empty() => {
            Value::DateTime {
                clock: Clock::Epoch,
                ttl,
                origin,
            }
        }
        // Python `astimezone(tz)`: the same instant, aware. A naive datetime is taken as
        // local time: right for `datetime.now()`, wrong for `utcnow()` (off by the host's
        // UTC offset), which stays naive UTC.
        (Value::DateTime { clock, ttl, origin }, "astimezone") => Value::DateTime {
            clock: match clock {
                Clock::NaiveUtc => Clock::NaiveUtc,
                _ => Clock::Epoch,
            },
            ttl,
            origin,
        },
        // Python `replace(tzinfo=tz)` labels the wall time with `tz`: UTC makes a naive UTC
        // datetime aware (a naive local one stays wrong). Other fields (`microsecond=0`)
        // keep the clock; positional arguments are the date's year, month, ….
        (Value::DateTime { clock, ttl, origin }, "replace") => {
            if !args.is_empty() {
                return Value::Opaque(
                    "`.replace()` with positional arguments, which change the date".into(),
                );
            }
            match kwargs.iter().find(|(key, _)| key == "tzinfo") {
                None => Value::DateTime { clock, ttl, origin },
                Some((_, tz)) if is_utc(tz) => Value::DateTime {
                    clock: match clock {
                        Clock::NaiveLocal => Clock::NaiveLocal,
                        _ => Clock::Epoch,
                    },
                    ttl,
                    origin,
                },
                Some(_) => Value::Opaque(
                    "`.replace(tzinfo=…)` with a timezone that is not a known UTC one".into(),
                ),
            }
        }
        // `Instant::now().elapsed()` / `.duration_since(earlier)`: still the monotonic clock.
        (
            Value::Timestamp {
                clock, ttl, origin, ..
            },
            "elapsed" | "duration_since",
        ) => Value::Timestamp {
            clock,
            unit: Unit::Seconds,
            float: false,
            ttl,
            origin,
        },
        // `SystemTime::now().duration_since(UNIX_EPOCH)` is epoch seconds; since any other
        // time, or `.elapsed()`, it is a time difference.
        (Value::DateTime { clock, ttl, origin }, "duration_since") if matches!(args.first(), Some(Value::External(q)) if q.ends_with("UNIX_EPOCH")) => {
            Value::Timestamp {
                clock,
                unit: Unit::Seconds,
                float: false,
                ttl,
                origin,
            }
        }
        // chrono `checked_add_signed(d)` / `SystemTime::checked_add(d)`, then `.unwrap()`.
        (dt @ Value::DateTime { .. }, "checked_add_signed" | "checked_add") if args.len() == 1 => {
            binary(BinaryOp::Add, dt, args[0].clone())
        }
        (dt @ Value::DateTime { .. }, "checked_sub_signed" | "checked_sub") if args.len() == 1 => {
            binary(BinaryOp::Sub, dt, args[0].clone())
        }
        (Value::DateTime { .. }, "duration_since" | "elapsed") => Value::TimeDelta {
            ttl: false,
            origin: Some("a time difference, not a time since the Unix epoch".into()),
        },
        // Python's `timedelta.total_seconds()` is a float, as Rust's `as_secs_f64()` is.
        (Value::TimeDelta { ttl, origin }, "total_seconds" | "as_secs_f64" | "as_secs_f32") => {
            Value::Duration {
                ttl,
                float: true,
                origin,
            }
        }
        (Value::TimeDelta { ttl, origin }, "as_secs" | "num_seconds" | "whole_seconds") => {
            Value::Duration {
                ttl,
                float: false,
                origin,
            }
        }
        (
            Value::Timestamp {
                clock, ttl, origin, ..
            },
            "as_secs",
        ) => Value::Timestamp {
            clock,
            unit: Unit::Seconds,
            float: false,
            ttl,
            origin,
        },
        (
            Value::Timestamp {
                clock, ttl, origin, ..
            },
            "as_millis",
        ) => Value::Timestamp {
            clock,
            unit: Unit::Millis,
            float: false,
            ttl,
            origin,
        },
        (
            Value::Timestamp {
                clock, ttl, origin, ..
            },
            "as_secs_f64",
        ) => Value::Timestamp {
            clock,
            unit: Unit::Seconds,
            float: true,
            ttl,
            origin,
        },
        // Conversions that keep the value: `.unwrap()`, `.to_string()`, `.into()`, `i64::from`.
        (
            v,
            "unwrap" | "expect" | "to_string" | "into" | "try_into" | "unwrap_or_default" | "ok",
        ) => v,
        // A fallback is one more value the call can produce.
        (v, "unwrap_or") if args.len() == 1 => Value::OneOf(vec![v, args[0].clone()]),
        (receiver, method) => Value::Opaque(format!("`.{method}()` on {}", receiver.describe())),
    }
}
