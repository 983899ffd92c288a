//! What a run says on stderr besides its report: the binary files it skipped, and that a
//! tree holds no Python or Rust file at all (rather than a silent "0 call sites"). Knows
//! the outcome and the PATHs named; the report itself is written elsewhere, unchanged.

use std::path::PathBuf;

use crate::analysis::Outcome;
use crate::rules::RuleCode;

/// The lines to print on stderr, in order; `scope` says whether a root-relative path was
/// named (explicit PATHs report on those files only).
pub fn lines(outcome: &Outcome, paths: &[PathBuf], scope: impl Fn(&str) -> bool) -> Vec<String> {
    let mut out: Vec<String> = outcome
        .binary
        .iter()
        .filter(|path| scope(path))
        .map(|path| {
            format!(
                "checkout-lint: note: skipped {path}: a binary file (it holds NUL bytes, which neither Python nor Rust accepts in source)"
            )
        })
        .collect();
    let unreadable = outcome
        .diagnostics
        .iter()
        .any(|d| d.rule == RuleCode::CL009);
    if outcome.files_scanned == 0 && !unreadable {
        let shown: Vec<String> = if paths.is_empty() {
            vec![".".into()]
        } else {
            paths.iter().map(|p| p.display().to_string()).collect()
        };
        out.push(format!(
            "checkout-lint: warning: no Python or Rust file (.py, .rs) found in {}, so nothing was checked (.gitignore, .ignore and [files] exclude apply; --no-ignore reads ignored files)",
            shown.join(", ")
        ));
    }
    out
}
