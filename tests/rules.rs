//! A rule is one unit: every rule of `checkout_lint::rules::ALL` has its doc under `rules/`,
//! a case under `fixtures/rules/<code>-<id>/` with lines that fire it (`# expect: CL001`)
//! and look-alikes that must stay silent (`# look-alike: why`), and a snapshot of the case's
//! report. The meta-test fails, saying what to add, when any of these is missing.

mod common;

use std::path::{Path, PathBuf};

use checkout_lint::rules::{Rule, ALL};
use common::expect::{case_dirs, check_case, expectations};
use common::{repo, stable};

/// What marks a look-alike line: code a naive tool would confuse with the rule's pattern.
const LOOK_ALIKE: &str = "look-alike:";

fn cases_root() -> PathBuf {
    repo().join("fixtures/rules")
}

/// `CL001-missing-expires-at`: the name of a rule's case directory.
fn case_name(rule: &Rule) -> String {
    format!("{}-{}", rule.code_text, rule.id)
}

/// The snapshot of a case: `rule_CL001` for `CL001-missing-expires-at`.
fn snapshot_name(case: &str) -> String {
    format!("rule_{}", case.split('-').next().unwrap_or(case))
}

fn snapshot_file(case: &str) -> PathBuf {
    repo()
        .join("tests/snapshots")
        .join(format!("rules__{}.snap", snapshot_name(case)))
}

/// Whether any file of `dir` (recursively) has a line with a look-alike marker.
fn has_look_alike(dir: &Path) -> bool {
    std::fs::read_dir(dir).unwrap().flatten().any(|entry| {
        let path = entry.path();
        if path.is_dir() {
            has_look_alike(&path)
        } else {
            // A look-alike the tool reads (a source file or the runbook), on a line that
            // expects nothing: a marker in a file the tool never scans proves nothing.
            let scanned = path
                .extension()
                .is_some_and(|e| e == "py" || e == "rs" || e == "md");
            scanned
                && std::fs::read_to_string(&path).is_ok_and(|text| {
                    text.lines()
                        .any(|line| line.contains(LOOK_ALIKE) && !line.contains("expect:"))
                })
        }
    })
}

#[test]
fn every_rule_case_reports_exactly_its_expectations() {
    let cases = case_dirs(&cases_root());
    assert!(
        cases.len() >= ALL.len(),
        "expected a case per rule under {}",
        cases_root().display()
    );
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let (report, failure) = check_case(&name, case);
        failures.extend(failure);
        insta::assert_json_snapshot!(snapshot_name(&name), stable(report));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// What one rule lacks, as instructions.
fn missing_parts(rule: &Rule) -> Vec<String> {
    let code = rule.code_text;
    let case = case_name(rule);
    let mut missing = Vec::new();
    match std::fs::read(repo().join(rule.doc_file)) {
        Ok(bytes) if bytes == rule.doc_text.as_bytes() => {}
        Ok(_) => missing.push(format!(
            "its doc `{}` differs from the `doc_text` the rule embeds: point `doc_text` at `include_str!(\"../../{}\")`",
            rule.doc_file, rule.doc_file
        )),
        Err(_) => missing.push(format!(
            "its doc `{}` does not exist: write it (front matter between `+++` lines, then `## What it does`, `## Why is this bad?`, `## Example`, ...), like the other files under `rules/`",
            rule.doc_file
        )),
    }
    let dir = cases_root().join(&case);
    if !dir.is_dir() {
        missing.push(format!(
            "the case directory `fixtures/rules/{case}/` does not exist: create a small project there whose lines that fire the rule end in `# expect: {code}` (`// expect: {code}` in Rust) and whose look-alikes, which must stay silent, carry a `# {LOOK_ALIKE} why` comment"
        ));
    } else {
        if !expectations(&dir)
            .values()
            .any(|codes| codes.contains(code))
        {
            missing.push(format!(
                "`fixtures/rules/{case}/` has no line marked `# expect: {code}`: add code that fires the rule and mark the reported line (`// expect: {code}` in Rust, `<!-- expect: {code} -->` in markdown)"
            ));
        }
        if !has_look_alike(&dir) {
            missing.push(format!(
                "`fixtures/rules/{case}/` has no look-alike: add code a naive tool would confuse with the rule's pattern, which must stay silent, with a `# {LOOK_ALIKE} why it is fine` comment"
            ));
        }
    }
    let snapshot = snapshot_file(&case);
    if !snapshot.is_file() {
        missing.push(format!(
            "its snapshot `tests/snapshots/{}` does not exist: run `cargo insta test --test rules` (or `INSTA_UPDATE=always cargo test --test rules`), review the new snapshot and commit it",
            snapshot.file_name().unwrap().to_string_lossy()
        ));
    }
    missing
}

#[test]
fn every_rule_has_a_doc_a_firing_case_a_look_alike_and_a_snapshot() {
    let mut problems = Vec::new();
    for rule in ALL {
        for part in missing_parts(rule) {
            problems.push(format!("{} {}: {part}", rule.code_text, rule.id));
        }
    }
    let known: Vec<String> = ALL.iter().map(|rule| case_name(rule)).collect();
    for case in case_dirs(&cases_root()) {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        if !known.contains(&name) {
            problems.push(format!(
                "`fixtures/rules/{name}/` names no registered rule: rename it to `<code>-<id>` of a rule in `checkout_lint::rules::ALL` (for example `{}`), or register the rule",
                known[0]
            ));
        }
    }
    let snapshots = std::fs::read_dir(repo().join("tests/snapshots")).unwrap();
    for entry in snapshots.flatten() {
        let file = entry.file_name().to_string_lossy().to_string();
        let Some(code) = file
            .strip_prefix("rules__rule_")
            .and_then(|f| f.strip_suffix(".snap"))
        else {
            continue;
        };
        if !ALL.iter().any(|rule| rule.code_text == code) {
            problems.push(format!(
                "`tests/snapshots/{file}` belongs to no registered rule: delete it"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "every rule needs its doc, a case that fires it, a look-alike and a snapshot:\n{}",
        problems.join("\n")
    );
}
