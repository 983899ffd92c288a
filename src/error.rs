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
