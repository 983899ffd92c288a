//! `--format github`: one workflow command per diagnostic, with paths relative to the git
//! work tree so annotations land on the right file in monorepos. The message ends with the
//! rule's documentation page on a line of its own (`%0A`, so still one command line).

use crate::analysis::Outcome;
use crate::rules::Severity;

/// The github format.
pub struct Github;

impl super::RenderText for Github {
    fn render(&self, outcome: &Outcome, _options: super::ReportOptions) -> String {
        render(outcome)
    }
}

fn render(outcome: &Outcome) -> String {
    let mut out = String::new();
    for d in &outcome.diagnostics {
        let level = if d.severity == Severity::Error {
            "error"
        } else {
            "warning"
        };
        let path = super::repo_relative(&d.abs_path, &d.path);
        out.push_str(&format!(
            "::{level} file={},line={},col={},endLine={},title={} {}::{}\n",
            escape_property(&path),
            d.start.line,
            d.start.column,
            d.end.line,
            d.rule.code(),
            d.rule.name(),
            escape_data(&format!("{}\nsee: {}", d.message, d.rule.url()))
        ));
    }
    out
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}
