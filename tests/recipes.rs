//! The CI recipes as shipped: the `Run checkout-lint` step of `action.yml` executed by bash
//! the way GitHub runs it, and the pre-commit hook's entry run on files the way pre-commit
//! passes them. (tests/packaging.rs runs both end to end: the action's install step with
//! the built wheel, and `pre-commit try-repo` installing the hook's Python package.)

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{action_step_script, git_repo_with, repo, validate_sarif};

fn binary_dir() -> PathBuf {
    let binary = Path::new(env!("CARGO_BIN_EXE_checkout-lint"));
    binary.parent().unwrap().to_path_buf()
}

/// Runs the action's check step in `cwd`; returns whether the step succeeded, its
/// `$GITHUB_OUTPUT` and its stdout (the annotations).
fn run_action_step(cwd: &Path, exit_zero: &str) -> (bool, String, String) {
    let outputs = cwd.join("github-output.txt");
    std::fs::write(&outputs, "").unwrap();
    let path = format!(
        "{}:{}",
        binary_dir().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let output = Command::new("bash")
        .args(["--noprofile", "--norc", "-eo", "pipefail", "-c"])
        .arg(action_step_script("run"))
        .current_dir(cwd)
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .env("PATHS", "services/shop")
        .env("ARGS", "")
        .env("SARIF", "checkout-lint.sarif")
        .env("EXIT_ZERO", exit_zero)
        .env("GITHUB_OUTPUT", &outputs)
        .output()
        .unwrap();
    (
        output.status.success(),
        std::fs::read_to_string(outputs).unwrap(),
        String::from_utf8(output.stdout).unwrap(),
    )
}

#[test]
fn action_step_writes_sarif_and_records_the_exit_code_without_failing_early() {
    let repo_dir = git_repo_with(&repo().join("fixtures/ci/shop"), "services/shop");
    let (step_ok, outputs, annotations) = run_action_step(repo_dir.path(), "false");
    // The step itself succeeds so the SARIF upload runs; the last step gates on the code.
    assert!(step_ok);
    assert_eq!(outputs, "exit-code=1\n");
    assert!(
        annotations.starts_with("::error file=services/shop/config.py,line=2,"),
        "{annotations}"
    );
    let sarif = std::fs::read(repo_dir.path().join("checkout-lint.sarif")).unwrap();
    let sarif = validate_sarif(&sarif);
    let uri = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
        ["artifactLocation"]["uri"];
    assert!(uri.as_str().unwrap().starts_with("services/shop/"), "{uri}");

    let (_, outputs, _) = run_action_step(repo_dir.path(), "true");
    assert_eq!(outputs, "exit-code=0\n");
}

#[test]
fn pre_commit_entry_checks_the_files_it_is_given() {
    let hooks = std::fs::read_to_string(repo().join(".pre-commit-hooks.yaml")).unwrap();
    for line in [
        "- id: checkout-lint",
        "entry: checkout-lint",
        "args: [check]",
        "language: python",
        "types_or: [python, rust]",
        "pass_filenames: true",
    ] {
        assert!(hooks.contains(line), "missing `{line}` in {hooks}");
    }
    let repo_dir = git_repo_with(&repo().join("fixtures/ci/shop"), "shop");
    // pre-commit runs `entry args... files...` from the repository root.
    let output = common::bin()
        .current_dir(repo_dir.path())
        .args(["check", "--format", "github", "shop/pay.py"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.lines().count() >= 1);
    assert!(
        text.lines().all(|l| l.contains("file=shop/pay.py,")),
        "only the given file is reported, though the constant lives in config.py: {text}"
    );
}
