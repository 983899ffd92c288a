//! `check --fix` and `check --diff`: runs `crate::fix` over the analysed project, then
//! writes the fixed files atomically (and the runbook table, when the config names one)
//! or prints them as a unified diff. What is left is reported by `check` as usual.

use std::collections::BTreeMap;

use super::{analyse_again, emit, write_atomically, Analysed, CheckArgs};
use crate::error::{Result, ToolError};
use crate::fix::{self, ChangedFile, FixRun};
use crate::rules::{cl001_missing_expires_at as cl001, RuleCode};
use crate::runbook;

/// `--fix`: writes the fixes, and leaves in `analysed` the analysis of the fixed tree.
pub(super) fn fix(args: &CheckArgs, analysed: &mut Analysed) -> Result<()> {
    let run = run_fixes(args, analysed);
    write_all_or_none(&run.changed)?;
    let FixRun {
        outcome,
        changed,
        fixed,
        untouched,
        unsafe_left,
        unsafe_left_define,
    } = run;
    analysed.outcome = outcome;
    for (path, why) in &untouched {
        eprintln!("{path}: left untouched: {why}");
    }
    if fixed > 0 {
        let files = changed.len();
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        eprintln!(
            "fixed {} in {}",
            plural(fixed, "finding"),
            plural(files, "file")
        );
        if let Some(document) = &analysed.config.table_document {
            follow_table(analysed, document)?;
        }
    }
    note_unsafe(&unsafe_left, unsafe_left_define, "--fix --unsafe-fixes");
    Ok(())
}

/// Writes every changed file, or none: a file that cannot be written is found before any
/// is, and one that fails midway puts back those already written (a fix spans files: a
/// site's import of a constant another file was to define).
fn write_all_or_none(changed: &[ChangedFile]) -> Result<()> {
    for file in changed {
        let read_only = std::fs::metadata(&file.abs_path).is_ok_and(|m| m.permissions().readonly());
        if read_only {
            return Err(ToolError::new(format!(
                "{} is read-only; no file was changed",
                file.rel_path
            ))
            .with_help(
                "make it writable (chmod u+w) and run the command again, or fix without it",
            ));
        }
    }
    for (index, file) in changed.iter().enumerate() {
        if let Err(err) = write_atomically(&file.abs_path, &file.after) {
            for written in &changed[..index] {
                let _ = write_atomically(&written.abs_path, &written.before);
            }
            return Err(err);
        }
    }
    Ok(())
}

/// `--diff`: prints what `--fix` would change; exit 1 when it would change something.
pub(super) fn diff(args: &CheckArgs, mut analysed: Analysed) -> Result<i32> {
    let run = run_fixes(args, &mut analysed);
    let mut text = String::new();
    for file in &run.changed {
        let before = String::from_utf8_lossy(&file.before);
        let after = String::from_utf8_lossy(&file.after);
        text.push_str(&runbook::unified_diff(&file.rel_path, &before, &after));
    }
    // The runbook table `--fix` would rewrite with them.
    if let (Some(document), false) = (&analysed.config.table_document, run.changed.is_empty()) {
        let view = run.outcome.table_view();
        let outcome = view.as_ref().unwrap_or(&run.outcome);
        let path = analysed.config.root.join(document);
        if let Ok(comparison) = runbook::stale::compare(&path, document, outcome) {
            if comparison.needs_write() {
                let table =
                    runbook::unified_diff(document, &comparison.current, &comparison.expected);
                text.push_str(&table);
            }
        }
    }
    emit(&text, args.output.as_deref())?;
    for (path, why) in &run.untouched {
        eprintln!("{path}: would be left untouched: {why}");
    }
    if run.fixed > 0 {
        eprintln!(
            "would fix {} finding{}",
            run.fixed,
            if run.fixed == 1 { "" } else { "s" }
        );
    }
    note_unsafe(
        &run.unsafe_left,
        run.unsafe_left_define,
        "--diff --unsafe-fixes",
    );
    Ok(if run.changed.is_empty() || args.exit_zero {
        0
    } else {
        1
    })
}

fn run_fixes(args: &CheckArgs, analysed: &mut Analysed) -> FixRun {
    let scope = analysed.scope();
    let (config, paths, no_ignore) = (&analysed.config, &analysed.paths, analysed.no_ignore);
    let mut reanalyse = || {
        let mut outcome = analyse_again(config, paths, no_ignore);
        outcome.sort();
        outcome
    };
    let empty = empty_like(&analysed.outcome);
    let first = std::mem::replace(&mut analysed.outcome, empty);
    fix::run(first, &scope, args.unsafe_fixes, &mut reanalyse)
}

fn empty_like(outcome: &crate::analysis::Outcome) -> crate::analysis::Outcome {
    crate::analysis::Outcome {
        root: outcome.root.clone(),
        diagnostics: Vec::new(),
        suppressed: Vec::new(),
        suppressions: Vec::new(),
        call_sites: Vec::new(),
        files_scanned: 0,
        files_parsed: 0,
        binary: Vec::new(),
    }
}

/// The fixes not applied because they are unsafe, and how to apply them.
fn note_unsafe(unsafe_left: &BTreeMap<RuleCode, usize>, define: bool, flags: &str) {
    let total: usize = unsafe_left.values().sum();
    if total == 0 {
        return;
    }
    let rules: Vec<String> = (unsafe_left.iter())
        .map(|(rule, n)| format!("{} × {n}", rule.code()))
        .collect();
    eprintln!(
        "{total} more fix{} available with `{flags}` ({})",
        if total == 1 { " is" } else { "es are" },
        rules.join(", ")
    );
    if define {
        eprintln!("{}", cl001::unsafe_fix_note());
    }
}

/// Rewrites the runbook's table after the fixes, so one command leaves the tree
/// consistent (only when the document has the markers; `table --write` explains them).
fn follow_table(analysed: &Analysed, document: &str) -> Result<()> {
    let path = analysed.config.root.join(document);
    // The table shows the config's verdicts, whatever this run's rule flags.
    let view = analysed.outcome.table_view();
    let outcome = view.as_ref().unwrap_or(&analysed.outcome);
    let Ok(comparison) = runbook::stale::compare(&path, document, outcome) else {
        eprintln!(
            "{document}: the call-sites table was not updated: run `checkout-lint table --write`"
        );
        return Ok(());
    };
    if comparison.needs_write() {
        write_atomically(&path, comparison.expected.as_bytes())?;
        eprintln!(
            "{document}: wrote the call-sites table ({} rows)",
            outcome.call_sites.len()
        );
    }
    Ok(())
}
