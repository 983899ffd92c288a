//! The concise format: one line per finding, `path:line:col: CL001 [missing-expires-at]
//! message`, paths from the current directory, then the human format's summary line
//! (left out under `--quiet`). Colour only when asked.

use crate::analysis::Outcome;
use crate::rules::Severity;

/// `--format concise`.
pub struct Concise;

impl super::RenderText for Concise {
    fn render(&self, outcome: &Outcome, options: super::ReportOptions) -> String {
        let cwd = std::env::current_dir().ok();
        let paint = |code: &str, text: &str| {
            if options.color {
                format!("\x1b[{code}m{text}\x1b[0m")
            } else {
                text.to_string()
            }
        };
        let mut out = String::new();
        for d in &outcome.diagnostics {
            let path = super::cwd_relative(&d.abs_path, cwd.as_deref(), &d.path);
            let severity_colour = match d.severity {
                Severity::Error => "1;31",
                Severity::Warning => "1;33",
            };
            // A message is one line; a stray newline would break `grep`-style consumers.
            let message = d.message.replace(['\r', '\n'], " ");
            out.push_str(&format!(
                "{}:{}:{}: {} [{}] {message}\n",
                paint("1", &path),
                d.start.line,
                d.start.column,
                paint(severity_colour, d.rule.code()),
                d.rule.name(),
            ));
        }
        if !options.quiet {
            out.push_str(&super::human::summary(outcome));
        }
        out
    }
}
