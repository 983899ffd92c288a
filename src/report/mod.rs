//! Stage 6: reporters. One module per output format, each a [`Reporter`]; adding a format
//! is one module, one `Format` variant and one arm of [`Format::reporter`]. Only this stage
//! knows JSON, SARIF, the annotation formats, the markdown table and how rule docs print.

pub mod fingerprint;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod notes;
pub mod rule_docs;
pub mod sarif;
pub mod suppressions;
pub mod table;

use std::io::{self, Write};
use std::path::Path;

use crate::analysis::Outcome;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Github,
    Gitlab,
    Junit,
}

/// What a reporter needs besides the outcome.
#[derive(Clone, Copy, Debug)]
pub struct ReportOptions {
    /// Colour (the human format only).
    pub color: bool,
    /// How long the run took (the JSON summary).
    pub elapsed_ms: u128,
}

/// One output format of `check`.
pub trait Reporter {
    fn write(
        &self,
        outcome: &Outcome,
        options: ReportOptions,
        out: &mut dyn Write,
    ) -> io::Result<()>;
}

/// A reporter that renders the whole report to text first.
trait RenderText {
    fn render(&self, outcome: &Outcome, options: ReportOptions) -> String;
}

impl<T: RenderText> Reporter for T {
    fn write(
        &self,
        outcome: &Outcome,
        options: ReportOptions,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        out.write_all(self.render(outcome, options).as_bytes())
    }
}

impl Format {
    pub fn reporter(self) -> &'static dyn Reporter {
        match self {
            Format::Human => &human::Human,
            Format::Json => &json::Json,
            Format::Sarif => &sarif::Sarif,
            Format::Github => &github::Github,
            Format::Gitlab => &gitlab::Gitlab,
            Format::Junit => &junit::Junit,
        }
    }
}

/// Writes the outcome in `format` to `out`.
pub fn write(
    outcome: &Outcome,
    format: Format,
    options: ReportOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    format.reporter().write(outcome, options, out)
}

/// Path of a file relative to the enclosing git work tree (for code scanning and
/// annotations), falling back to the project-relative path.
pub fn repo_relative(abs: &Path, fallback: &str) -> String {
    let mut dir = abs.parent();
    while let Some(d) = dir {
        if d.join(".git").exists() {
            return crate::index::project::relative(abs, d);
        }
        dir = d.parent();
    }
    fallback.to_string()
}
