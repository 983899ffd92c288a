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

/// Renders the outcome; `color` only matters for the human format.
pub fn render(
    outcome: &Outcome,
    format: Format,
    color: bool,
    elapsed_ms: u128,
) -> Result<String, String> {
    match format {
        Format::Human => Ok(human::render(outcome, color)),
        Format::Json => Ok(json::render(outcome, elapsed_ms)),
        Format::Sarif => Ok(sarif::render(outcome)),
        Format::Github => Ok(github::render(outcome)),
        Format::Gitlab => Ok(gitlab::render(outcome)),
        Format::Junit => Ok(junit::render(outcome)),
    }
}

/// Path of a file relative to the enclosing git work tree (for code scanning and
/// annotations), falling back to the project-relative path.
pub fn repo_relative(abs: &Path, fallback: &str) -> String {
    let mut dir = abs.parent();
    while let Some(d) = dir {
        if d.join(".git").exists() {
            return crate::project::relative(abs, d);
        }
        dir = d.parent();
    }
    fallback.to_string()
}
