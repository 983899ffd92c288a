//! `--format gitlab`: GitLab Code Quality JSON (a Code Climate subset), which merge
//! requests show inline: one issue per diagnostic with a stable fingerprint and a path
//! relative to the repository.

use serde_json::{json, Value};

use super::fingerprint::Fingerprints;
use crate::analysis::Outcome;
use crate::rules::Severity;

/// The gitlab format.
pub struct Gitlab;

impl super::RenderText for Gitlab {
    fn render(&self, outcome: &Outcome, _options: super::ReportOptions) -> String {
        render(outcome)
    }
}

fn render(outcome: &Outcome) -> String {
    let fingerprints = Fingerprints::of(outcome);
    let issues: Vec<Value> = outcome
        .diagnostics
        .iter()
        .zip(&fingerprints.reported)
        .map(|(d, fingerprint)| {
            json!({
                "type": "issue",
                "check_name": d.rule.code(),
                "description": format!("{} {}: {}", d.rule.code(), d.rule.name(), d.message),
                "categories": ["Bug Risk"],
                "severity": if d.severity == Severity::Error { "major" } else { "minor" },
                "fingerprint": fingerprint,
                "location": {
                    "path": super::repo_relative(&d.abs_path, &d.path),
                    "lines": {"begin": d.start.line, "end": d.end.line},
                },
            })
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&Value::Array(issues))
        .expect("a serde_json::Value always serialises");
    text.push('\n');
    text
}
