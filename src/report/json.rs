//! `--format json`: the stable report of SPEC §7.

use std::io::{self, BufWriter, Write};

use serde::{Serialize, Serializer};

use crate::analysis::{CallSiteReport, Diagnostic, Outcome};

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The report as borrowed rows serialised straight into the output, one row at a time: a
/// `serde_json::Value` tree of the same report took several times the memory of the text,
/// and the text itself is megabytes on trees with many sites. Field order is the contract's.
#[derive(Serialize)]
struct Report<'a> {
    tool: &'static str,
    version: &'static str,
    root: String,
    diagnostics: Rows<'a, Diagnostic>,
    call_sites: Rows<'a, CallSiteReport>,
    summary: Summary,
}

/// A slice serialised as a JSON array of its rows, each built as it is written.
struct Rows<'a, T>(&'a [T]);

impl Serialize for Rows<'_, Diagnostic> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(diagnostic_row))
    }
}

impl Serialize for Rows<'_, CallSiteReport> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(call_site_row))
    }
}

#[derive(Serialize)]
struct DiagnosticRow<'a> {
    code: &'static str,
    rule: &'static str,
    severity: &'static str,
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: &'a str,
    help: Option<&'a str>,
    fix: Option<FixRow<'a>>,
}

#[derive(Serialize)]
struct FixRow<'a> {
    safety: &'static str,
    message: &'a str,
    edits: Vec<EditRow<'a>>,
}

#[derive(Serialize)]
struct EditRow<'a> {
    path: &'a str,
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
    content: &'a str,
}

#[derive(Serialize)]
struct CallSiteRow<'a> {
    path: &'a str,
    line: usize,
    column: usize,
    language: &'static str,
    api: &'a str,
    function: &'a str,
    route: Option<&'a str>,
    expires_at: Option<&'a str>,
    via: Option<&'a str>,
    status: &'static str,
    rules: Vec<&'static str>,
    suppressed: Option<&'a str>,
}

#[derive(Serialize)]
struct Summary {
    files_scanned: usize,
    files_parsed: usize,
    call_sites: usize,
    errors: usize,
    warnings: usize,
    elapsed_ms: u64,
}

fn report(outcome: &Outcome, elapsed_ms: u128) -> Report<'_> {
    Report {
        tool: "checkout-lint",
        version: VERSION,
        root: display_root(&outcome.root),
        diagnostics: Rows(&outcome.diagnostics),
        call_sites: Rows(&outcome.call_sites),
        summary: Summary {
            files_scanned: outcome.files_scanned,
            files_parsed: outcome.files_parsed,
            call_sites: outcome.call_sites.len(),
            errors: outcome.errors(),
            warnings: outcome.warnings(),
            elapsed_ms: elapsed_ms as u64,
        },
    }
}

fn diagnostic_row(d: &Diagnostic) -> DiagnosticRow<'_> {
    DiagnosticRow {
        code: d.rule.code(),
        rule: d.rule.name(),
        severity: d.severity.as_str(),
        path: &d.path,
        line: d.start.line,
        column: d.start.column,
        end_line: d.end.line,
        end_column: d.end.column,
        message: &d.message,
        help: d.help.as_deref(),
        fix: d.fix.as_ref().map(|fix| FixRow {
            safety: fix.safety.as_str(),
            message: &fix.message,
            edits: (fix.edits.iter())
                .map(|e| EditRow {
                    path: &e.path,
                    start_line: e.start_line,
                    start_column: e.start_column,
                    end_line: e.end_line,
                    end_column: e.end_column,
                    content: &e.content,
                })
                .collect(),
        }),
    }
}

fn call_site_row(s: &CallSiteReport) -> CallSiteRow<'_> {
    CallSiteRow {
        path: &s.path,
        line: s.start.line,
        column: s.start.column,
        language: s.language.as_str(),
        api: &s.api,
        function: &s.function,
        route: s.route.as_deref(),
        expires_at: s.expires_at.as_deref(),
        via: s.via.as_deref(),
        status: s.status.as_str(),
        rules: s.rules.iter().map(|r| r.name()).collect(),
        suppressed: s.suppressed.as_deref(),
    }
}

/// One `call_sites` entry (SPEC §7) as a JSON value; the table's JSON rows carry the same
/// fields.
pub fn call_site_value(s: &CallSiteReport) -> serde_json::Value {
    serde_json::to_value(call_site_row(s)).expect("plain rows always serialise")
}

/// The JSON format of SPEC §7, written as it is serialised (it is the format of large
/// trees).
pub struct Json;

impl super::Reporter for Json {
    fn write(
        &self,
        outcome: &Outcome,
        options: super::ReportOptions,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        write(outcome, options.elapsed_ms, out)
    }
}

/// Writes the report to `out` as it is serialised, never holding the whole text.
fn write(outcome: &Outcome, elapsed_ms: u128, out: &mut dyn Write) -> io::Result<()> {
    let mut out = BufWriter::with_capacity(64 << 10, out);
    serde_json::to_writer_pretty(&mut out, &report(outcome, elapsed_ms))?;
    out.write_all(b"\n")?;
    out.flush()
}

/// The root relative to the working directory (`.` when they are the same).
fn display_root(root: &std::path::Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    match root.strip_prefix(&cwd) {
        Ok(rel) if rel.as_os_str().is_empty() => ".".into(),
        Ok(rel) => crate::index::project::relative(rel, std::path::Path::new("")),
        Err(_) => root.to_string_lossy().replace('\\', "/"),
    }
}
