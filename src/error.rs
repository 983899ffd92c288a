//! The one error type for "the tool could not do its job" (exit code 2).
//!
//! Findings are never errors: they are `Diagnostic` values. A `ToolError` is bad
//! arguments, a bad config, an unreadable path or a refused write. It carries what went
//! wrong, what to do, and optionally a pointer into a file (a config key), which miette
//! renders as a snippet.

use miette::{Diagnostic, NamedSource, SourceSpan};

#[derive(Debug)]
pub struct ToolError {
    pub message: String,
    pub help: Option<String>,
    /// The file and byte range the error points at, boxed to keep `Result`s small.
    pub location: Option<Box<(NamedSource<String>, SourceSpan)>>,
}

impl std::fmt::Display for ToolError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ToolError {}

impl Diagnostic for ToolError {
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.location
            .as_ref()
            .map(|l| &l.0 as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let span = self.location.as_ref()?.1;
        Some(Box::new(std::iter::once(
            miette::LabeledSpan::new_with_span(Some("here".into()), span),
        )))
    }
}

impl ToolError {
    pub fn new(message: impl Into<String>) -> Self {
        ToolError {
            message: message.into(),
            help: None,
            location: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Points the error at a byte range of a file (a config key, a marker line).
    pub fn at(mut self, name: &str, text: &str, span: std::ops::Range<usize>) -> Self {
        self.location = Some(Box::new((
            NamedSource::new(name, text.to_string()),
            span.into(),
        )));
        self
    }
}

pub type Result<T, E = ToolError> = std::result::Result<T, E>;

/// A TOML/serde type message in the words of a config file's reader: serde names Rust
/// types (`expected i64`, `expected a sequence`, `expected struct RawTtl`), a user wrote
/// TOML (an integer, an array, a table).
pub fn in_toml_words(message: &str) -> String {
    const WORDS: &[(&str, &str)] = &[
        ("expected i8", "expected an integer"),
        ("expected i16", "expected an integer"),
        ("expected i32", "expected an integer"),
        ("expected i64", "expected an integer"),
        ("expected i128", "expected an integer"),
        ("expected isize", "expected an integer"),
        ("expected u8", "expected a non-negative integer"),
        ("expected u16", "expected a non-negative integer"),
        ("expected u32", "expected a non-negative integer"),
        ("expected u64", "expected a non-negative integer"),
        ("expected u128", "expected a non-negative integer"),
        ("expected usize", "expected a non-negative integer"),
        ("expected f32", "expected a number"),
        ("expected f64", "expected a number"),
        ("expected a sequence", "expected an array"),
        ("expected a map", "expected a table"),
        ("expected a boolean", "expected true or false"),
        ("invalid type: sequence", "invalid type: an array"),
        ("invalid type: map", "invalid type: a table"),
        ("invalid type: string", "invalid type: a string"),
        ("invalid type: integer", "invalid type: an integer"),
        ("invalid type: floating point", "invalid type: a number"),
        ("invalid type: boolean", "invalid type: a boolean"),
        ("invalid value: integer", "invalid value: the integer"),
    ];
    let mut out = message.to_string();
    for (from, to) in WORDS {
        let mut at = 0;
        while let Some(found) = out[at..].find(from) {
            let start = at + found;
            let end = start + from.len();
            let whole_word = !out[end..].starts_with(|c: char| c.is_ascii_alphanumeric());
            if whole_word {
                out.replace_range(start..end, to);
                at = start + to.len();
            } else {
                at = end;
            }
        }
    }
    // `expected struct RawTtl` (a misplaced value where a table belongs).
    while let Some(start) = out.find("expected struct ") {
        let name_start = start + "expected struct ".len();
        let name_end = out[name_start..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .map_or(out.len(), |i| name_start + i);
        out.replace_range(start..name_end, "expected a table");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::in_toml_words;

    #[test]
    fn rust_type_names_become_toml_words() {
        for (serde, user) in [
            (
                "invalid type: string \"1800\", expected i64",
                "invalid type: a string \"1800\", expected an integer",
            ),
            (
                "invalid type: integer `5`, expected a string",
                "invalid type: an integer `5`, expected a string",
            ),
            (
                "invalid type: string \"x\", expected a sequence",
                "invalid type: a string \"x\", expected an array",
            ),
            (
                "invalid type: integer `1`, expected struct RawTtl",
                "invalid type: an integer `1`, expected a table",
            ),
            (
                "invalid value: integer `-1`, expected u64",
                "invalid value: the integer `-1`, expected a non-negative integer",
            ),
            (
                "invalid type: sequence, expected a map",
                "invalid type: an array, expected a table",
            ),
            (
                "invalid type: floating point `1.5`, expected i64",
                "invalid type: a number `1.5`, expected an integer",
            ),
        ] {
            assert_eq!(in_toml_words(serde), user);
        }
        assert_eq!(
            in_toml_words("unknown field `max-secs`, expected one of `min-seconds`"),
            "unknown field `max-secs`, expected one of `min-seconds`"
        );
        assert_eq!(in_toml_words("expected i64s"), "expected i64s");
    }
}
