//! `--format json`: the stable report of SPEC §7.

use serde_json::{json, Value};

use crate::analysis::{CallSiteReport, Outcome};

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

pub fn to_value(outcome: &Outcome, elapsed_ms: u128) -> Value {
    let diagnostics: Vec<Value> = outcome
        .diagnostics
        .iter()
        .map(|d| {
            json!({
                "code": d.rule.code(),
                "rule": d.rule.name(),
                "severity": d.severity.as_str(),
                "path": d.path,
                "line": d.start.line,
                "column": d.start.column,
                "end_line": d.end.line,
                "end_column": d.end.column,
                "message": d.message,
                "help": d.help,
                "fix": Value::Null,
            })
        })
        .collect();
    let call_sites: Vec<Value> = outcome.call_sites.iter().map(call_site_value).collect();
    json!({
        "tool": "checkout-lint",
        "version": VERSION,
        "root": display_root(&outcome.root),
        "diagnostics": diagnostics,
        "call_sites": call_sites,
        "summary": {
            "files_scanned": outcome.files_scanned,
            "files_parsed": outcome.files_parsed,
            "call_sites": outcome.call_sites.len(),
            "errors": outcome.errors(),
            "warnings": outcome.warnings(),
            "elapsed_ms": elapsed_ms as u64,
        }
    })
}

/// One `call_sites` entry (SPEC §7); the table's JSON rows carry the same fields.
pub fn call_site_value(s: &CallSiteReport) -> Value {
    json!({
        "path": s.path,
        "line": s.start.line,
        "column": s.start.column,
        "language": s.language.as_str(),
        "api": s.api,
        "function": s.function,
        "route": s.route,
        "expires_at": s.expires_at,
        "via": s.via,
        "status": s.status.as_str(),
        "rules": s.rules.iter().map(|r| r.name()).collect::<Vec<_>>(),
        "suppressed": s.suppressed,
    })
}

pub fn render(outcome: &Outcome, elapsed_ms: u128) -> String {
    let mut text = serde_json::to_string_pretty(&to_value(outcome, elapsed_ms))
        .expect("a serde_json::Value always serialises");
    text.push('\n');
    text
}

/// The root relative to the working directory (`.` when they are the same).
fn display_root(root: &std::path::Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    match root.strip_prefix(&cwd) {
        Ok(rel) if rel.as_os_str().is_empty() => ".".into(),
        Ok(rel) => crate::project::relative(rel, std::path::Path::new("")),
        Err(_) => root.to_string_lossy().replace('\\', "/"),
    }
}
