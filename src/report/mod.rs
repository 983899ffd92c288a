//! Stage 6: reporters. One module per output format, each a [`Reporter`]; adding a format
//! is one module, one `Format` variant and one arm of [`Format::reporter`]. Only this stage
//! knows JSON, SARIF, the annotation formats, the markdown table and how rule docs print.

pub mod concise;
pub mod fingerprint;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod notes;
pub mod rule_docs;
pub mod sarif;
pub mod statistics;
pub mod suppressions;
pub mod table;

use std::io::{self, Write};
use std::path::Path;

use crate::analysis::Outcome;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    // One line per finding (a `//` comment: a doc comment would turn `--help`'s one-line
    // list of formats into a paragraph per format).
    Concise,
    Json,
    Sarif,
    Github,
    Gitlab,
    Junit,
}

/// What a reporter needs besides the outcome.
#[derive(Clone, Copy, Debug)]
pub struct ReportOptions {
    /// Colour (the human and concise formats only).
    pub color: bool,
    /// Findings only, no summary line (the human and concise formats only).
    pub quiet: bool,
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
            Format::Concise => &concise::Concise,
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

/// How the human and concise formats name a file: relative to the current directory (as
/// ruff does), so that `path:line:col` opens from where the command ran; `../` to leave it,
/// and the absolute path when the two share nothing but `/`. JSON, the table and the
/// baseline keep `fallback`, the project-relative path.
pub fn cwd_relative(abs: &Path, cwd: Option<&Path>, fallback: &str) -> String {
    use std::path::Component;
    let Some(cwd) = cwd else {
        return fallback.to_string();
    };
    let (abs_parts, cwd_parts): (Vec<Component>, Vec<Component>) =
        (abs.components().collect(), cwd.components().collect());
    let common = abs_parts
        .iter()
        .zip(&cwd_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let only_the_root = abs_parts[..common]
        .iter()
        .all(|c| matches!(c, Component::RootDir | Component::Prefix(_)));
    if !abs.is_absolute() || only_the_root {
        return abs.to_string_lossy().into_owned();
    }
    let mut parts: Vec<String> = vec!["..".to_string(); cwd_parts.len() - common];
    parts.extend(
        abs_parts[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    if parts.is_empty() {
        return fallback.to_string();
    }
    parts.join("/")
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

#[cfg(test)]
mod tests {
    use super::cwd_relative;
    use std::path::Path;

    #[test]
    fn paths_are_shown_from_the_current_directory() {
        let shown = |abs: &str, cwd: &str| cwd_relative(Path::new(abs), Some(Path::new(cwd)), "x");
        assert_eq!(shown("/p/app/pay.py", "/p"), "app/pay.py");
        assert_eq!(shown("/p/app/pay.py", "/p/app"), "pay.py");
        assert_eq!(shown("/p/app/pay.py", "/p/lib/deep"), "../../app/pay.py");
        assert_eq!(shown("/p/app/pay.py", "/q"), "/p/app/pay.py");
        assert_eq!(cwd_relative(Path::new("/p/a.py"), None, "a.py"), "a.py");
    }
}
