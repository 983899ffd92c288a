//! The listing of `checkout-lint suppressions`: one line (human) or one object (json) per
//! suppression comment, with its rules, reason and status.

use serde_json::{json, Value};

use crate::analysis::SuppressionReport;
use crate::rules::RuleCode;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ListFormat {
    Human,
    Json,
}

/// `used` (every rule it names silences a finding), `partly-used` (some do: CL012),
/// `unused` (none do: CL012) or `invalid` (CL011).
fn status(report: &SuppressionReport) -> &'static str {
    match report.problem {
        Some(RuleCode::CL012) if report.matched > 0 => "partly-used",
        Some(RuleCode::CL012) => "unused",
        Some(_) => "invalid",
        None => "used",
    }
}

pub fn render(reports: &[SuppressionReport], format: ListFormat) -> String {
    match format {
        ListFormat::Human => human(reports),
        ListFormat::Json => {
            let items: Vec<Value> = reports
                .iter()
                .map(|r| {
                    json!({
                        "path": r.path,
                        "line": r.start.line,
                        "column": r.start.column,
                        "rules": r.rules,
                        "reason": r.reason,
                        "matched": r.matched,
                        "status": status(r),
                    })
                })
                .collect();
            let mut text = serde_json::to_string_pretty(&json!({ "suppressions": items }))
                .expect("a serde_json::Value always serialises");
            text.push('\n');
            text
        }
    }
}

fn human(reports: &[SuppressionReport]) -> String {
    let mut out = String::new();
    for r in reports {
        let silences = format!(
            "silences {} finding{}",
            r.matched,
            if r.matched == 1 { "" } else { "s" }
        );
        let what = match (status(r), r.problem) {
            ("used", _) => silences,
            ("partly-used", _) => {
                format!("{silences}; names rules that do not fire: CL012 unused-suppression")
            }
            (word, Some(rule)) => format!("{word}: {} {}", rule.code(), rule.name()),
            (word, None) => word.to_string(),
        };
        out.push_str(&format!(
            "{}:{}:{}  ignore[{}]  reason: {}  ({what})\n",
            r.path,
            r.start.line,
            r.start.column,
            r.rules.join(", "),
            r.reason.as_deref().unwrap_or("(none)"),
        ));
    }
    let count = |word: &str| reports.iter().filter(|r| status(r) == word).count();
    out.push_str(&format!(
        "{} suppression{}: {} used, {} unused, {} invalid\n",
        reports.len(),
        if reports.len() == 1 { "" } else { "s" },
        count("used") + count("partly-used"),
        count("unused"),
        count("invalid"),
    ));
    out
}
