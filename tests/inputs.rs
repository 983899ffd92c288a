//! Files the tool cannot or should not read (issue #24, item 5): an unreadable file is
//! reported as unreadable (its own message and help, not a syntax error) and stops the run
//! with exit 2 when named on the command line; a binary file that mentions a checkout API
//! is skipped with a note on stderr and never shown; a FIFO is never opened; a tree with no
//! Python or Rust file says so on stderr.
//!
//! This machine may run the tests as root, who reads anything: the unreadable runs then
//! happen as `nobody` through `setpriv` (util-linux). Without either, they fail rather than
//! assert nothing.

mod common;

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use serde_json::Value;

const CREATE_MISSING: &str = "import stripe\nstripe.checkout.Session.create(mode=\"payment\")\n";

fn write(dir: &Path, rel: &str, bytes: impl AsRef<[u8]>) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().expect("has a parent")).expect("mkdir");
    std::fs::write(path, bytes).expect("write");
}

/// A command running the binary as a user that file permissions apply to.
fn as_a_user() -> Command {
    let binary = assert_cmd::cargo::cargo_bin("checkout-lint");
    let mut command = if runs_as_root() {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=nobody", "--regid=nogroup", "--clear-groups"])
            .arg(binary);
        c
    } else {
        Command::new(binary)
    };
    command.env("NO_COLOR", "1");
    command
}

/// Whether the tests run as root: a file with mode 000 is still readable.
fn runs_as_root() -> bool {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let probe = dir.path().join("probe");
    std::fs::write(&probe, "x").expect("write");
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    std::fs::read(&probe).is_ok()
}

/// A tree readable by everyone but `locked.py` (mode 000), in a directory `nobody` can enter.
fn tree_with_a_locked_file() -> (tempfile::TempDir, std::path::PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let base = tempfile::tempdir().expect("tempdir");
    let dir = base.path().join("tree");
    write(&dir, "checkout-lint.toml", "");
    write(&dir, "locked.py", CREATE_MISSING);
    write(&dir, "ok.py", "x = 1\n");
    for path in [base.path(), dir.as_path()] {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    std::fs::set_permissions(
        dir.join("locked.py"),
        std::fs::Permissions::from_mode(0o000),
    )
    .expect("chmod");
    (base, dir)
}

#[test]
fn an_unreadable_file_in_a_tree_is_reported_as_unreadable_not_as_a_syntax_error() {
    let (_base, dir) = tree_with_a_locked_file();
    let output = as_a_user()
        .args(["check", "--format", "json"])
        .arg(&dir)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "stderr: {stderr}");
    common::validate(&output.stdout);
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let diagnostics = report["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    let d = &diagnostics[0];
    assert_eq!(
        (d["code"].as_str(), d["path"].as_str()),
        (Some("CL009"), Some("locked.py"))
    );
    let message = d["message"].as_str().unwrap_or_default();
    let help = d["help"].as_str().unwrap_or_default();
    assert!(message.contains("could not be read"), "{message}");
    assert!(message.contains("Permission denied"), "{message}");
    assert!(help.contains("read it"), "{help}");
    for wrong in ["syntax", "parse"] {
        assert!(
            !message.contains(wrong) && !help.contains(wrong),
            "{message} / {help}"
        );
    }
}

#[test]
fn an_unreadable_path_named_on_the_command_line_exits_2() {
    use std::os::unix::fs::PermissionsExt;
    let (_base, dir) = tree_with_a_locked_file();
    std::fs::create_dir(dir.join("sealed")).expect("mkdir");
    write(&dir, "sealed/inner.py", CREATE_MISSING);
    std::fs::set_permissions(dir.join("sealed"), std::fs::Permissions::from_mode(0o000))
        .expect("chmod");
    let runs: Vec<(&str, Output)> = ["locked.py", "sealed"]
        .into_iter()
        .map(|named| {
            let output = as_a_user()
                .current_dir(&dir)
                .args(["check", "ok.py", named])
                .output()
                .expect("runs");
            (named, output)
        })
        .collect();
    std::fs::set_permissions(dir.join("sealed"), std::fs::Permissions::from_mode(0o755))
        .expect("chmod back so the tempdir can be removed");
    for (named, output) in runs {
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{named}: {stderr}");
        assert!(
            stderr.contains(&format!("cannot read {named}")),
            "{named}: {stderr}"
        );
        assert!(stderr.contains("Permission denied"), "{named}: {stderr}");
        assert!(stderr.contains("permissions"), "{named}: {stderr}");
        assert!(output.stdout.is_empty(), "{named}: no report is written");
    }
}

#[test]
fn a_binary_candidate_is_skipped_with_a_note_and_never_shown() {
    let dir = tempfile::tempdir().expect("tempdir");
    let marker = "BINARY-PAYLOAD-MARKER";
    let mut blob = format!("stripe.checkout.Session.create()\n{marker}\n").into_bytes();
    blob.extend_from_slice(b"\0\x01\x02\xff\x1b[2J\x07");
    write(dir.path(), "checkout-lint.toml", "");
    write(dir.path(), "assets/blob.py", &blob);
    write(dir.path(), "pay.py", CREATE_MISSING);
    write(dir.path(), "quiet.py", "x = 1\0\n");
    for format in ["human", "json"] {
        let output = common::bin()
            .current_dir(dir.path())
            .args(["check", "--format", format])
            .output()
            .expect("runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{format}: {stderr}");
        assert!(
            stderr.contains("note: skipped assets/blob.py: a binary file"),
            "{format}: {stderr}"
        );
        assert!(!stderr.contains("quiet.py"), "not a candidate: {stderr}");
        for shown in [&stdout, &stderr] {
            assert!(
                !shown.contains(marker),
                "{format}: the file is echoed: {shown}"
            );
            assert!(!shown.contains('\0') && !shown.contains('\x07'), "{format}");
        }
        if format == "json" {
            common::validate(&output.stdout);
            let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
            let paths: Vec<&str> = report["diagnostics"]
                .as_array()
                .expect("diagnostics")
                .iter()
                .filter_map(|d| d["path"].as_str())
                .collect();
            assert_eq!(paths, ["pay.py"]);
        }
    }
    // Named on the command line (as pre-commit passes it): the same note, nothing else.
    let output = common::bin()
        .current_dir(dir.path())
        .args(["check", "assets/blob.py"])
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("skipped assets/blob.py"), "{stderr}");
    assert!(!String::from_utf8_lossy(&output.stdout).contains(marker));
}

/// A FIFO named like a source file, in the tree or on the command line: opening it would
/// block until a writer comes, so it is never opened.
#[test]
fn a_fifo_named_like_a_source_file_is_never_opened() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "checkout-lint.toml", "");
    write(dir.path(), "pay.py", CREATE_MISSING);
    let fifo = dir.path().join("pipe.py");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    for args in [vec!["check"], vec!["check", "pay.py", "pipe.py"]] {
        let mut child = common::bin()
            .current_dir(dir.path())
            .args(&args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("runs");
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().expect("waits") {
                break status;
            }
            if started.elapsed() > Duration::from_secs(60) {
                let _ = child.kill();
                panic!("{args:?}: hung on the FIFO");
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        assert_eq!(status.code(), Some(1), "{args:?}: pay.py's finding");
    }
}

#[test]
fn a_tree_without_python_or_rust_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "docs/README.md",
        "stripe.checkout.Session.create()\n",
    );
    write(
        dir.path(),
        "app.js",
        "stripe.checkout.sessions.create({})\n",
    );
    let output = common::bin()
        .current_dir(dir.path())
        .args(["check", "."])
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("warning: no Python or Rust file (.py, .rs) found in ."),
        "{stderr}"
    );
    // One source file, even with no call site: no warning.
    write(dir.path(), "tool.py", "x = 1\n");
    let output = common::bin()
        .current_dir(dir.path())
        .args(["check", "."])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("no Python or Rust file"), "{stderr}");
}
