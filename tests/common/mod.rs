//! Helpers shared by the integration tests: run the binary, read its JSON, validate it
//! against SPEC §7 with the shared validator.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;
use serde_json::Value;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn bin() -> Command {
    let mut cmd = Command::cargo_bin("checkout-lint").expect("binary builds");
    cmd.env("NO_COLOR", "1");
    cmd
}

/// Runs `check --format json` on `target` (from the repository root) and returns the exit
/// code and the parsed report.
pub fn check_json(target: &Path) -> (i32, Value) {
    let output = bin()
        .current_dir(repo())
        .arg("check")
        .arg("--format")
        .arg("json")
        .arg(target)
        .output()
        .expect("runs");
    let code = output.status.code().unwrap_or(-1);
    let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    validate(&output.stdout);
    (code, report)
}

/// Runs the shared contract validator (`../shared/tools/validate-report.py`) when it and
/// python3 are present (they are, here and in CI); fails the test on any problem.
pub fn validate(report: &[u8]) {
    let validator = repo().join("../shared/tools/validate-report.py");
    if !validator.exists() {
        panic!("validator missing at {}", validator.display());
    }
    let mut child = Command::new("python3")
        .arg(&validator)
        .arg("-")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs");
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(report)
        .expect("write");
    let output = child.wait_with_output().expect("validator finishes");
    assert!(
        output.status.success(),
        "report breaks the contract:\n{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

/// The report with run-dependent fields (elapsed time) zeroed, for snapshots.
pub fn stable(mut report: Value) -> Value {
    report["summary"]["elapsed_ms"] = Value::from(0);
    report
}

/// A temporary project with these files (paths relative to its root).
pub fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}
