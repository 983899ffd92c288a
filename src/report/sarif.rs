//! `--format sarif`: SARIF 2.1.0, one run, rules from `rules/`, a partial fingerprint per
//! result so code scanning de-duplicates across pushes.

use serde_json::{json, Value};

use crate::analysis::Outcome;
use crate::catalog;
use crate::model::Severity;

pub fn render(outcome: &Outcome) -> String {
    let rules: Vec<Value> = catalog::rules()
        .iter()
        .map(|r| {
            json!({
                "id": r.code.code(),
                "name": r.code.name(),
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.summary},
                "help": {"text": r.body, "markdown": r.body},
                "defaultConfiguration": {"level": if r.severity == Severity::Error { "error" } else { "warning" }},
            })
        })
        .collect();
    let results: Vec<Value> = outcome
        .diagnostics
        .iter()
        .map(|d| {
            let uri = super::repo_relative(&d.abs_path, &d.path);
            let fingerprint = format!("{}:{}:{}", d.rule.code(), uri, fingerprint_text(&d.message));
            json!({
                "ruleId": d.rule.code(),
                "ruleIndex": d.rule as usize,
                "level": if d.severity == Severity::Error { "error" } else { "warning" },
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
                "partialFingerprints": {"checkoutLint/v1": stable_hash(&fingerprint)},
            })
        })
        .collect();
    let sarif = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "checkout-lint",
                "version": super::json::VERSION,
                "informationUri": "https://docs.stripe.com/api/checkout/sessions/create",
                "rules": rules,
            }},
            "results": results,
        }]
    });
    let mut text =
        serde_json::to_string_pretty(&sarif).expect("a serde_json::Value always serialises");
    text.push('\n');
    text
}

/// The message without line numbers, so moving code keeps the fingerprint.
fn fingerprint_text(message: &str) -> String {
    message.chars().filter(|c| !c.is_ascii_digit()).collect()
}

/// FNV-1a, printed as hex: stable across runs and platforms (unlike `DefaultHasher`).
fn stable_hash(text: &str) -> String {
    let mut hash: u64 = 0xcbf29ce484222325;
    for byte in text.bytes() {
        hash ^= byte as u64;
        hash = hash.wrapping_mul(0x100000001b3);
    }
    format!("{hash:016x}")
}
