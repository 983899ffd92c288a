//! When the runbook table is stale: only when the code changed what it says (the sites,
//! or a site's function, route, API, `expires_at` or status), never because line numbers
//! moved. `table --check`, CL010 in `check`, and `table --write` refreshing the numbers.

mod common;

use std::fs;
use std::path::Path;
use std::process::Output;

use common::{bin, project, repo};
use serde_json::Value;

const DOC: &str = "docs/runbook.md";

const PAY: &str = r#"import time

import stripe

from config import CHECKOUT_SESSION_TTL_SECONDS


def pay():
    return stripe.checkout.Session.create(
        mode="payment",
        expires_at=int(time.time()) + CHECKOUT_SESSION_TTL_SECONDS,
    )


def donate():
    stripe.checkout.Session.create(mode="payment")
    return stripe.checkout.Session.create(
        mode="payment",
        expires_at=int(time.time()) + CHECKOUT_SESSION_TTL_SECONDS,
    )
"#;

fn run(dir: &Path, args: &[&str]) -> Output {
    bin().current_dir(dir).args(args).output().unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A project with three sites (two in `donate`) and a current table in `DOC`.
fn with_current_table() -> tempfile::TempDir {
    let dir = project(&[
        ("config.py", "CHECKOUT_SESSION_TTL_SECONDS = 3600\n"),
        ("pay.py", PAY),
        (
            "checkout-lint.toml",
            &format!("[table]\ndocument = \"{DOC}\"\n"),
        ),
        (
            DOC,
            "# Runbook\n\n<!-- checkout-lint:call-sites:begin -->\n<!-- checkout-lint:call-sites:end -->\n",
        ),
    ]);
    let output = run(dir.path(), &["table", "--write", DOC]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(table_check(dir.path()), 0);
    dir
}

fn edit(dir: &Path, edit: impl FnOnce(&str) -> String) {
    let path = dir.join("pay.py");
    let text = fs::read_to_string(&path).unwrap();
    let edited = edit(&text);
    assert_ne!(edited, text, "the edit changes the file");
    fs::write(path, edited).unwrap();
}

fn table_check(dir: &Path) -> i32 {
    run(dir, &["table", "--check", DOC]).status.code().unwrap()
}

/// Whether `check` reports CL010.
fn cl010(dir: &Path) -> bool {
    let output = run(dir, &["check", "--format", "json"]);
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["code"] == "CL010")
}

fn doc(dir: &Path) -> String {
    fs::read_to_string(dir.join(DOC)).unwrap()
}

#[test]
fn an_unrelated_line_shift_keeps_the_table_current() {
    let dir = with_current_table();
    let before = doc(dir.path());
    assert!(before.contains("`pay.py:9`"), "{before}");
    edit(dir.path(), |t| {
        t.replace(
            "import time\n",
            "\"\"\"Payments.\n\nTwo more lines.\"\"\"\nimport time\n",
        )
    });
    assert_eq!(table_check(dir.path()), 0);
    assert!(!cl010(dir.path()));
    // `donate` moved above `pay`: the rows' order changes with the lines, nothing else.
    edit(dir.path(), |t| {
        let (head, rest) = t.split_once("def pay():").unwrap();
        let (pay, donate) = rest.split_once("def donate():").unwrap();
        format!(
            "{head}def donate():{}\n\ndef pay():{}",
            donate.trim_end(),
            pay.trim_end()
        ) + "\n"
    });
    assert_eq!(table_check(dir.path()), 0);
    assert!(!cl010(dir.path()));
    assert_eq!(doc(dir.path()), before, "--check and check write nothing");

    let output = run(dir.path(), &["table", "--write", DOC]);
    assert_eq!(output.status.code(), Some(0));
    assert!(
        stderr(&output).contains("refreshed the line numbers"),
        "{}",
        stderr(&output)
    );
    let after = doc(dir.path());
    assert!(
        !after.contains("`pay.py:9`") && after.contains("`pay.py:"),
        "{after}"
    );
    assert_ne!(after, before);
    let output = run(dir.path(), &["table", "--write", DOC]);
    assert!(
        stderr(&output).contains("already current"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_status_change_is_stale() {
    let dir = with_current_table();
    edit(dir.path(), |t| {
        t.replacen(
            "expires_at=int(time.time()) + CHECKOUT_SESSION_TTL_SECONDS,\n",
            "expires_at=int(time.time()) + 86400,\n",
            1,
        )
    });
    let output = run(dir.path(), &["table", "--check", DOC]);
    assert_eq!(output.status.code(), Some(1));
    let diff = String::from_utf8_lossy(&output.stdout);
    assert!(diff.contains("violation: CL002"), "{diff}");
    assert!(cl010(dir.path()));
}

#[test]
fn two_sites_of_one_function_that_trade_statuses_are_stale() {
    let dir = with_current_table();
    // `donate`'s first call gains the expiry and its second loses it: same statuses,
    // other sites.
    edit(dir.path(), |t| {
        let fixed = "stripe.checkout.Session.create(mode=\"payment\", expires_at=int(time.time()) + CHECKOUT_SESSION_TTL_SECONDS)\n";
        let (head, donate) = t.split_once("def donate():").unwrap();
        let donate = donate
            .replace("stripe.checkout.Session.create(mode=\"payment\")\n", fixed)
            .replace(
                "        expires_at=int(time.time()) + CHECKOUT_SESSION_TTL_SECONDS,\n",
                "",
            );
        format!("{head}def donate():{donate}")
    });
    assert_eq!(table_check(dir.path()), 1);
    assert!(cl010(dir.path()));
}

#[test]
fn a_new_site_is_stale() {
    let dir = with_current_table();
    edit(dir.path(), |t| {
        format!("{t}\n\ndef tip():\n    return stripe.checkout.Session.create(mode=\"payment\")\n")
    });
    assert_eq!(table_check(dir.path()), 1);
    assert!(cl010(dir.path()));
}

#[test]
fn a_removed_site_is_stale() {
    let dir = with_current_table();
    edit(dir.path(), |t| {
        t.replace("    stripe.checkout.Session.create(mode=\"payment\")\n", "")
    });
    assert_eq!(table_check(dir.path()), 1);
    let output = run(dir.path(), &["check", "--format", "json"]);
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let stale = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "CL010")
        .expect("CL010");
    // It points at the row of the site that is gone.
    let row = doc(dir.path())
        .lines()
        .nth(stale["line"].as_u64().unwrap() as usize - 1)
        .unwrap()
        .to_string();
    assert!(
        row.contains("`donate`") && row.contains("violation: CL001"),
        "{row}"
    );
}

#[test]
fn a_renamed_function_is_stale() {
    let dir = with_current_table();
    edit(dir.path(), |t| t.replace("def pay():", "def pay_now():"));
    assert_eq!(table_check(dir.path()), 1);
    assert!(cl010(dir.path()));
}

#[test]
fn the_table_write_hook_refreshes_moved_line_numbers() {
    let hooks = fs::read_to_string(repo().join(".pre-commit-hooks.yaml")).unwrap();
    let hook = &hooks[hooks
        .find("- id: checkout-lint-table-write\n")
        .expect("the hook")..];
    let entry = hook
        .lines()
        .find_map(|l| l.trim().strip_prefix("entry: "))
        .unwrap();
    assert!(hook.contains("pass_filenames: false"), "{hook}");
    let args: Vec<&str> = entry.split_whitespace().collect();
    assert_eq!(args[0], "checkout-lint");

    let dir = with_current_table();
    edit(dir.path(), |t| format!("\"\"\"Payments.\"\"\"\n{t}"));
    // pre-commit runs `entry args...` from the repository root.
    let output = run(dir.path(), &[&args[1..], &[DOC][..]].concat());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        doc(dir.path()).contains("`pay.py:10`"),
        "{}",
        doc(dir.path())
    );
    assert_eq!(table_check(dir.path()), 0);
}
