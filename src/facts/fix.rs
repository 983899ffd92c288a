//! The vocabulary of `--fix`: where a site that passes no `expires_at` would take one (the
//! `Slot` a front end records), and a fix as text edits with their safety (what the
//! analysis plans, reporters show and `fix` applies). No syntax, no Stripe.

use super::ByteSpan;

/// Where a create site that passes no `expires_at` would take one, as its front end saw it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    /// One more keyword argument of the call at this span (Python `create(.., expires_at=..)`).
    Argument(ByteSpan),
    /// One more entry of the mapping literal at this span (a `params=` dict, a form dict; in
    /// Rust, a form's array of pairs).
    Entry(ByteSpan),
    /// One more method call at the end of a builder chain, this span being the chain's
    /// receiver expression up to the call that sends it (Rust 1.x builders).
    BuilderCall(ByteSpan),
    /// One more field of the struct literal at this span (Rust 0.x params).
    Field(ByteSpan),
    /// The `expires_at` expression the site itself passes, at this span, and how its fix
    /// rewrites it.
    Value(ByteSpan, ValueFix),
}

/// How a fix rewrites an `expires_at` value a site writes, as the rule objecting to it
/// chose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueFix {
    /// `int(..)` around a float.
    Integer,
    /// Naive clock reads made aware.
    AwareClock,
    /// A clock read counting `per_second` units a second (1 000 for milliseconds) made
    /// seconds: the seconds API (`timestamp()` for `timestamp_millis()`), the scaling
    /// (`* 1000`) dropped.
    Seconds { per_second: i64 },
    /// A bare duration made a moment: now + it.
    AddNow,
}

/// Whether a fix keeps the program's behaviour apart from the finding it removes (ruff's
/// distinction): `--fix` applies safe fixes, `--unsafe-fixes` the others too.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Safety {
    Safe,
    Unsafe,
}

impl Safety {
    pub fn as_str(self) -> &'static str {
        match self {
            Safety::Safe => "safe",
            Safety::Unsafe => "unsafe",
        }
    }
}

/// One replacement of a byte range of a file (an insertion when the range is empty).
/// Positions are 1-based; columns count Unicode scalar values (SPEC §7).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TextEdit {
    /// Relative to the project root, with `/`.
    pub path: String,
    pub start: usize,
    pub end: usize,
    pub start_line: usize,
    pub start_column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub content: String,
}

/// What `--fix` would do about one finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub safety: Safety,
    /// What the fix does, in a sentence ("add `expires_at=...` and import `time`").
    pub message: String,
    /// Sorted by path and offset; never two overlapping in one file.
    pub edits: Vec<TextEdit>,
}

/// A replacement as a front end computes it: a byte range of the file it was asked about
/// and the text that replaces it. The analysis turns splices into `TextEdit`s.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Splice {
    pub start: usize,
    pub end: usize,
    pub content: String,
}

impl Splice {
    pub fn insert(at: usize, content: String) -> Self {
        Splice {
            start: at,
            end: at,
            content,
        }
    }

    pub fn delete(start: usize, end: usize) -> Self {
        Splice {
            start,
            end,
            content: String::new(),
        }
    }
}
