//! `--format sarif`: SARIF 2.1.0, one run, `tool.driver.rules` from `rules/` (each with its
//! documentation page as `helpUri`), a partial
//! fingerprint per result so code scanning de-duplicates across pushes, repo-relative URIs
//! under `%SRCROOT%`, and suppressed findings (comment or baseline) as results carrying
//! `suppressions[]` with their justification, which code scanning shows as dismissed.

use std::path::Path;

use serde_json::{json, Value};

use super::fingerprint::Fingerprints;
use crate::analysis::{Diagnostic, Outcome, SuppressionKind};
use crate::facts::fix::Fix;
use crate::rules;
use crate::rules::Severity;

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// The sarif format.
pub struct Sarif;

impl super::RenderText for Sarif {
    fn render(&self, outcome: &Outcome, _options: super::ReportOptions) -> String {
        render(outcome)
    }
}

fn render(outcome: &Outcome) -> String {
    let rules: Vec<Value> = rules::docs()
        .iter()
        .map(|r| {
            json!({
                "id": r.code.code(),
                "name": r.code.name(),
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.summary},
                "help": {"text": r.body, "markdown": r.body},
                "helpUri": r.code.url(),
                "defaultConfiguration": {"level": level(r.severity)},
                "properties": {"tags": ["stripe", "checkout"]},
            })
        })
        .collect();
    let fingerprints = Fingerprints::of(outcome);
    let mut results: Vec<Value> = outcome
        .diagnostics
        .iter()
        .zip(&fingerprints.reported)
        .map(|(d, fingerprint)| result(d, fingerprint, &outcome.root))
        .collect();
    results.extend(outcome.suppressed.iter().zip(&fingerprints.suppressed).map(
        |(s, fingerprint)| {
            let mut value = result(&s.diagnostic, fingerprint, &outcome.root);
            let kind = match s.kind {
                SuppressionKind::InSource => "inSource",
                SuppressionKind::Baseline => "external",
            };
            value["suppressions"] = json!([{"kind": kind, "justification": s.justification}]);
            value
        },
    ));
    let sarif = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "checkout-lint",
                "version": super::json::VERSION,
                "semanticVersion": super::json::VERSION,
                "informationUri": rules::REPOSITORY,
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    let mut text =
        serde_json::to_string_pretty(&sarif).expect("a serde_json::Value always serialises");
    text.push('\n');
    text
}

fn result(d: &Diagnostic, fingerprint: &str, root: &Path) -> Value {
    let uri = super::repo_relative(&d.abs_path, &d.path);
    let mut value = json!({
        "ruleId": d.rule.code(),
        "ruleIndex": d.rule as usize,
        "level": level(d.severity),
        "message": {"text": d.message},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"},
                "region": {
                    "startLine": d.start.line,
                    "startColumn": d.start.column,
                    "endLine": d.end.line,
                    "endColumn": d.end.column,
                }
            }
        }],
        "partialFingerprints": {"checkoutLint/v1": fingerprint},
    });
    if let Some(fix) = &d.fix {
        value["fixes"] = json!([fix_object(fix, root)]);
    }
    value
}

/// A fix as SARIF has it: its edits grouped by file, as replacements of regions.
fn fix_object(fix: &Fix, root: &Path) -> Value {
    let mut changes: Vec<Value> = Vec::new();
    for edits in fix.edits.chunk_by(|a, b| a.path == b.path) {
        let path = &edits[0].path;
        let uri = super::repo_relative(&root.join(path), path);
        let replacements: Vec<Value> = (edits.iter())
            .map(|e| {
                json!({
                    "deletedRegion": {
                        "startLine": e.start_line,
                        "startColumn": e.start_column,
                        "endLine": e.end_line,
                        "endColumn": e.end_column,
                    },
                    "insertedContent": {"text": e.content},
                })
            })
            .collect();
        changes.push(json!({
            "artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"},
            "replacements": replacements,
        }));
    }
    json!({"description": {"text": fix.message}, "artifactChanges": changes})
}
