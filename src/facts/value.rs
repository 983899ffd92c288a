//! What the analysis concludes about an `expires_at` value: its kind, its clock, its unit,
//! and whether it is derived from the shared TTL constant. The analysis computes a
//! [`Value`] from a front end's `Term`; the rules judge it.

use super::SymbolRef;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clock {
    /// Seconds since the Unix epoch, timezone-correct.
    Epoch,
    /// `datetime.utcnow()`: a naive datetime holding UTC, read back as local time.
    NaiveUtc,
    /// `datetime.now()` without a timezone.
    NaiveLocal,
    /// `time.monotonic()`, `Instant::now()`: not related to the epoch at all.
    Monotonic,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    Seconds,
    Millis,
    Micros,
    Nanos,
}

impl Unit {
    /// How many of the unit make a second.
    pub fn per_second(self) -> i64 {
        match self {
            Unit::Seconds => 1,
            Unit::Millis => 1_000,
            Unit::Micros => 1_000_000,
            Unit::Nanos => 1_000_000_000,
        }
    }

    /// The unit counting `k` times as many a second as `self` (a product by `k`), or `k`
    /// times fewer (a quotient); `None` between units or past them.
    pub fn scaled(self, k: i128, divided: bool) -> Option<Unit> {
        let per_second = i128::from(self.per_second());
        let scaled = if divided {
            (per_second % k == 0).then(|| per_second / k)?
        } else {
            per_second.checked_mul(k)?
        };
        [Unit::Seconds, Unit::Millis, Unit::Micros, Unit::Nanos]
            .into_iter()
            .find(|unit| i128::from(unit.per_second()) == scaled)
    }
}

/// The abstract value of an expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Int(i128),
    Float,
    Str,
    /// The shared TTL constant (seconds).
    Ttl,
    /// A number of seconds that is not a timestamp; `origin` says where it came from when
    /// it is not derived from the TTL.
    Duration {
        ttl: bool,
        /// A float number of seconds (`timedelta.total_seconds()`, `TTL / 2` in Python).
        float: bool,
        origin: Option<String>,
    },
    /// A `timedelta` / `chrono::Duration`.
    TimeDelta {
        ttl: bool,
        origin: Option<String>,
    },
    /// A numeric timestamp.
    Timestamp {
        clock: Clock,
        unit: Unit,
        float: bool,
        ttl: bool,
        origin: Option<String>,
    },
    /// A `datetime` object (Python passes it straight to Stripe, which converts it).
    DateTime {
        clock: Clock,
        ttl: bool,
        origin: Option<String>,
    },
    /// A value computed once at import time (`EXPIRES_AT = int(time.time()) + TTL`).
    Stale(String),
    /// An external name, not yet called (`time.time`, `datetime.datetime`).
    External(String),
    /// A project function, not yet called.
    Function(SymbolRef),
    OneOf(Vec<Value>),
    Opaque(String),
}

impl Value {
    /// A short description of a value for messages.
    pub fn describe(&self) -> String {
        match self {
            Value::Int(i) => format!("the number {i}"),
            Value::Float => "a float".into(),
            Value::Str => "a string".into(),
            Value::Ttl => "the TTL constant".into(),
            Value::Duration { .. } => "a duration".into(),
            Value::TimeDelta { .. } => "a timedelta".into(),
            Value::Timestamp { .. } => "a timestamp".into(),
            Value::DateTime { .. } => "a datetime".into(),
            Value::Stale(name) => format!("`{name}`"),
            Value::External(q) => format!("`{q}`"),
            Value::Function(s) => format!("`{}`", s.display()),
            Value::OneOf(_) => "one of several values".into(),
            Value::Opaque(why) => why.clone(),
        }
    }
}
