//! `--baseline` / `--write-baseline`: reads or writes the baseline file and applies it to
//! the outcome. Stale entries (accepted findings that are gone) are reported on stderr,
//! one line each (not under `--quiet`), and do not change the exit code.

use super::{write_atomically, CheckArgs};
use crate::analysis::Outcome;
use crate::baseline::{Baseline, StaleEntry};
use crate::error::{Result, ToolError};

/// Longest code excerpt shown for a stale entry.
const EXCERPT_CHARS: usize = 80;

pub fn apply(args: &CheckArgs, outcome: &mut Outcome, scope: impl Fn(&str) -> bool) -> Result<()> {
    if let Some(file) = &args.write_baseline {
        let baseline = Baseline::from_outcome(outcome);
        write_atomically(file, baseline.to_json().as_bytes())?;
        if !args.view.quiet {
            eprintln!(
                "checkout-lint: wrote {} finding{} ({} entr{}) to the baseline {}",
                outcome.diagnostics.len(),
                if outcome.diagnostics.len() == 1 {
                    ""
                } else {
                    "s"
                },
                baseline.entries.len(),
                if baseline.entries.len() == 1 {
                    "y"
                } else {
                    "ies"
                },
                file.display()
            );
        }
        baseline.apply(outcome, &file.display().to_string(), scope);
        return Ok(());
    }
    let Some(file) = &args.baseline else {
        return Ok(());
    };
    let name = file.display().to_string();
    let text = std::fs::read_to_string(file).map_err(|e| {
        ToolError::new(format!("cannot read the baseline {name}: {e}"))
            .with_help("create it with `checkout-lint check --write-baseline FILE`")
    })?;
    let baseline = Baseline::parse(&text, &name)?;
    if let Some(note) = baseline.upgrade_note(&name) {
        eprintln!("{note}");
    }
    let stale = baseline.apply(outcome, &name, scope);
    if !args.view.quiet {
        for line in stale_lines(&stale, &name) {
            eprintln!("{line}");
        }
    }
    Ok(())
}

/// One stderr line per stale entry, then how to refresh the file.
fn stale_lines(stale: &[StaleEntry], name: &str) -> Vec<String> {
    let mut lines: Vec<String> = stale
        .iter()
        .map(|s| {
            let e = &s.entry;
            let mut code: String = e.code.chars().take(EXCERPT_CHARS).collect();
            if e.code.chars().count() > EXCERPT_CHARS {
                code.push('…');
            }
            format!(
                "checkout-lint: stale baseline entry ({} of {} no longer found): {} {} in `{}`: {}",
                s.unmatched, e.count, e.rule, e.path, e.function, code
            )
        })
        .collect();
    if !lines.is_empty() {
        lines.push(format!(
            "checkout-lint: {} stale entr{} in {name}: the findings were fixed or changed; refresh it with `--write-baseline {name}`",
            stale.len(),
            if stale.len() == 1 { "y" } else { "ies" },
        ));
    }
    lines
}
