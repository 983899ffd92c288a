//! Stage 6: reporters. One module per output format; each turns an `Outcome` into text.
//! Only this stage knows JSON, SARIF, the annotation formats and the markdown table.

pub mod fingerprint;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
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

/// Writes the outcome in `format` to `out`; `color` only matters for the human format.
/// JSON is written as it is serialised (it is the format of large trees); the others are
/// rendered to text first.
pub fn write(
    outcome: &Outcome,
    format: Format,
    color: bool,
    elapsed_ms: u128,
    out: &mut dyn Write,
) -> io::Result<()> {
    let text = match format {
        Format::Json => return json::write(outcome, elapsed_ms, out),
        Format::Human => human::render(outcome, color),
        Format::Sarif => sarif::render(outcome),
        Format::Github => github::render(outcome),
        Format::Gitlab => gitlab::render(outcome),
        Format::Junit => junit::render(outcome),
    };
    out.write_all(text.as_bytes())
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
