//! Pathological inputs (issue #7): none may panic, hang or overflow the stack; each gives a
//! clear diagnostic where it matters for soundness (a file that mentions a checkout API)
//! and silence where it does not. Inputs are generated in temporary directories.

mod common;

use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

use serde_json::Value;

const CREATE_MISSING: &str = "stripe.checkout.Session.create(mode=\"payment\")\n";

/// Runs `check --format json` on `dir` and returns the output after checking that the run
/// neither crashed nor printed a panic, and that its report honours the contract.
fn run(dir: &Path) -> (Output, Value) {
    let started = Instant::now();
    let output = common::bin()
        .arg("check")
        .arg("--format")
        .arg("json")
        .arg(dir)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "exit {:?}, stderr: {stderr}",
        output.status
    );
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    assert!(
        started.elapsed() < Duration::from_secs(120),
        "took {:?}",
        started.elapsed()
    );
    common::validate(&output.stdout);
    let report = serde_json::from_slice(&output.stdout).expect("JSON report");
    (output, report)
}

/// Runs `check --format json PATHS...` in `dir`, expects findings (exit 1) and a report
/// that honours the contract, and returns it.
fn check_failing_in<S: AsRef<std::ffi::OsStr>>(
    dir: &Path,
    paths: impl IntoIterator<Item = S>,
) -> Value {
    let output = common::bin()
        .current_dir(dir)
        .args(["check", "--format", "json"])
        .args(paths)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    common::validate(&output.stdout);
    serde_json::from_slice(&output.stdout).expect("JSON report")
}

fn write(dir: &Path, rel: &str, bytes: impl AsRef<[u8]>) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().expect("has a parent")).expect("mkdir");
    std::fs::write(path, bytes).expect("write");
}

fn codes(report: &Value) -> Vec<(String, String, u64)> {
    report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                d["path"].as_str().unwrap_or_default().to_string(),
                d["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect()
}

fn one(code: &str, path: &str, line: u64) -> Vec<(String, String, u64)> {
    vec![(code.to_string(), path.to_string(), line)]
}

#[test]
fn expression_nested_100_000_deep_is_analysed_without_overflow() {
    let dir = tempfile::tempdir().expect("tempdir");
    let deep = format!("{}1{}", "(".repeat(100_000), ")".repeat(100_000));
    let unary = format!("{}1", "-".repeat(100_000));
    let chain = format!("1{}", " + 1".repeat(100_000));
    let lists = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    write(
        dir.path(),
        "deep.py",
        format!(
            "import stripe\nx = {deep}\ny = {unary}\nz = {chain}\nw = {lists}\n{CREATE_MISSING}"
        ),
    );
    // The nesting inside the call's own argument goes through the value lowering too.
    write(
        dir.path(),
        "deep_argument.py",
        format!("import stripe\nstripe.checkout.Session.create(expires_at={deep})\n"),
    );
    let (output, report) = run(dir.path());
    assert_eq!(output.status.code(), Some(1));
    let found = codes(&report);
    assert!(
        found.contains(&("CL001".into(), "deep.py".into(), 6)),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|(_, path, line)| path == "deep_argument.py" && *line == 2),
        "{found:?}"
    );
}

#[test]
fn loops_and_functions_nested_40_deep_are_analysed_in_linear_time() {
    // Each level is a loop that changes the state and holds a function with another
    // loop: walked round by round without a budget, this took hours.
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "Cargo.toml",
        "[package]\nname = \"deep\"\nversion = \"0.1.0\"\n",
    );
    let mut body = String::from(
        "use stripe::{CheckoutSession, Client, CreateCheckoutSession};\n\
         pub async fn f0(client: &Client, v: Vec<i64>) {\n",
    );
    for level in 1..=40 {
        body.push_str(&format!(
            "let mut e{level} = 0; for x in v.iter() {{ e{level} += x; \
             fn f{level}(client: &Client, v: Vec<i64>) {{\n"
        ));
    }
    body.push_str(
        "let mut p = CreateCheckoutSession::new(); p.expires_at = Some(1);\n\
         let _ = CheckoutSession::create(client, p);\n",
    );
    body.push_str(&"} }\n".repeat(40));
    body.push_str("}\n");
    write(dir.path(), "src/lib.rs", body);
    let (output, report) = run(dir.path());
    assert_eq!(output.status.code(), Some(1), "{report}");
    let sites = report["call_sites"].as_array().expect("call sites");
    assert_eq!(sites.len(), 1, "{report}");
}

#[test]
fn file_of_50_mb_is_analysed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let function =
        "def total(items):\n    return sum(i.price * i.quantity for i in items if i.price)\n\n";
    let mut text = String::from("import stripe\n");
    while text.len() < 50 << 20 {
        text.push_str(function);
    }
    let line = text.lines().count() as u64 + 1;
    text.push_str(CREATE_MISSING);
    write(dir.path(), "huge.py", &text);
    let (_, report) = run(dir.path());
    assert_eq!(codes(&report), one("CL001", "huge.py", line));
}

#[test]
fn invalid_utf8_in_a_candidate_is_a_parse_error_and_elsewhere_silent() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut bad = b"import stripe\n# caf\xe9\n".to_vec();
    bad.extend_from_slice(CREATE_MISSING.as_bytes());
    write(dir.path(), "latin1.py", bad);
    write(
        dir.path(),
        "binary.py",
        b"x = 1\n\xff\xfe\x00\x01 not checkout-free? no: \xc3\x28\n",
    );
    write(
        dir.path(),
        "other.py",
        b"\xff\xfe garbage without the token\n",
    );
    let (output, report) = run(dir.path());
    assert_eq!(output.status.code(), Some(1));
    let found = codes(&report);
    assert!(
        found.contains(&("CL009".into(), "latin1.py".into(), 2)),
        "{found:?}"
    );
    assert!(
        found.iter().all(|(_, path, _)| path != "other.py"),
        "{found:?}"
    );
    let message = report["diagnostics"][0]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(message.contains("UTF-8"), "{message}");
}

/// Neither Python nor Rust accepts a NUL byte in source, so such a file cannot create a
/// session: a candidate is skipped as binary with a note on stderr, any other is silent.
#[test]
fn nul_bytes_make_a_candidate_binary_skipped_with_a_note_and_elsewhere_silent() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "nul.py",
        format!("import stripe\nx = 1\0\n{CREATE_MISSING}"),
    );
    write(dir.path(), "quiet.py", "x = 1\0\n");
    let (output, report) = run(dir.path());
    assert_eq!(output.status.code(), Some(0));
    assert!(codes(&report).is_empty(), "{:?}", codes(&report));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("skipped nul.py: a binary file"), "{stderr}");
    assert!(!stderr.contains("quiet.py"), "{stderr}");
}

#[test]
fn utf8_bom_and_crlf_keep_lines_and_columns() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = format!("\u{feff}import stripe\r\n\r\ndef f():\r\n    return {CREATE_MISSING}")
        .replace('\n', "\r\n")
        .replace("\r\r\n", "\r\n");
    write(dir.path(), "bom_crlf.py", text);
    let (_, report) = run(dir.path());
    assert_eq!(codes(&report), one("CL001", "bom_crlf.py", 4));
    assert_eq!(report["diagnostics"][0]["column"], 12);
}

#[test]
fn empty_files_are_silent() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "empty.py", "");
    write(dir.path(), "pkg/__init__.py", "");
    write(dir.path(), "empty.rs", "");
    let (output, report) = run(dir.path());
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(report["summary"]["files_scanned"], 3);
    assert!(codes(&report).is_empty());
}

#[cfg(unix)]
#[test]
fn symlink_loop_terminates_and_reports_each_site_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "app/pay.py",
        format!("import stripe\n{CREATE_MISSING}"),
    );
    std::os::unix::fs::symlink("..", dir.path().join("app/up")).expect("symlink");
    std::os::unix::fs::symlink("self", dir.path().join("self")).expect("symlink");
    let (_, report) = run(dir.path());
    assert_eq!(codes(&report), one("CL001", "app/pay.py", 2));
}

#[test]
fn paths_with_spaces_and_non_ascii_names() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rel = "my project/café ü/paiement 支払.py";
    write(dir.path(), rel, format!("import stripe\n{CREATE_MISSING}"));
    let (_, report) = run(dir.path());
    assert_eq!(codes(&report), one("CL001", rel, 2));
    assert_eq!(report["call_sites"][0]["path"], rel);
}

/// The root named through a symlink and a file named through the real directory (or the
/// other way round) are one tree: each site is reported once, under its path from the root.
#[cfg(unix)]
#[test]
fn a_file_named_through_another_way_into_the_root_is_reported_once() {
    let base = tempfile::tempdir().expect("tempdir");
    write(
        base.path(),
        "real/pay.py",
        format!("import stripe\n{CREATE_MISSING}"),
    );
    std::os::unix::fs::symlink("real", base.path().join("link")).expect("symlink");
    for (root, file) in [("link", "real/pay.py"), ("real", "link/pay.py")] {
        let report = check_failing_in(base.path(), [root, file]);
        assert_eq!(codes(&report), one("CL001", "pay.py", 2), "{root} {file}");
        assert_eq!(report["summary"]["files_scanned"], 1, "{root} {file}");
    }
}

/// A name that is not UTF-8, passed explicitly (as pre-commit passes changed files), or a
/// file below a directory so named, and the same with the project's root below one: its
/// findings are reported under the lossy name, the other file's are not.
#[cfg(unix)]
#[test]
fn explicit_path_with_a_name_that_is_not_utf8() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;

    let source = format!("import stripe\n{CREATE_MISSING}");
    for (root, file, reported) in [
        (&b""[..], &b"pay\xff.py"[..], "pay\u{FFFD}.py"),
        (b"", b"dir\xe9/pay.py", "dir\u{FFFD}/pay.py"),
        (b"root\xe9", b"sub/pay.py", "sub/pay.py"),
    ] {
        let base = tempfile::tempdir().expect("tempdir");
        let dir = base.path().join(OsStr::from_bytes(root));
        let file = OsStr::from_bytes(file);
        let path = dir.join(file);
        std::fs::create_dir_all(path.parent().expect("has a parent")).expect("mkdir");
        std::fs::write(&path, &source).expect("write");
        write(&dir, "other.py", &source);
        write(&dir, "checkout-lint.toml", "");
        let report = check_failing_in(&dir, [file]);
        assert_eq!(codes(&report), one("CL001", reported, 2), "{path:?}");
    }
}

/// chmod 000 stops nobody but root: as root, the unreadable run happens as `nobody`
/// through `setpriv`; without either, the test fails rather than asserting nothing.
#[cfg(unix)]
#[test]
fn unreadable_file_and_directory_are_reported() {
    use std::os::unix::fs::PermissionsExt;

    let base = tempfile::tempdir().expect("tempdir");
    let dir = base.path().join("tree");
    write(
        &dir,
        "secret.py",
        format!("import stripe\n{CREATE_MISSING}"),
    );
    write(
        &dir,
        "locked/inner.py",
        format!("import stripe\n{CREATE_MISSING}"),
    );
    write(&dir, "ok.py", "x = 1\n");
    for path in [base.path(), dir.as_path()] {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    std::fs::set_permissions(
        dir.join("secret.py"),
        std::fs::Permissions::from_mode(0o000),
    )
    .expect("chmod");
    std::fs::set_permissions(dir.join("locked"), std::fs::Permissions::from_mode(0o000))
        .expect("chmod");

    let as_root = std::fs::read(dir.join("secret.py")).is_ok();
    let output = if as_root {
        let binary = assert_cmd::cargo::cargo_bin("checkout-lint");
        std::process::Command::new("setpriv")
            .args(["--reuid=nobody", "--regid=nogroup", "--clear-groups"])
            .arg(&binary)
            .args(["check", "--format", "json"])
            .arg(&dir)
            .env("NO_COLOR", "1")
            .output()
            .expect("setpriv runs (util-linux); as root the unreadable case needs another user")
    } else {
        common::bin()
            .args(["check", "--format", "json"])
            .arg(&dir)
            .output()
            .expect("runs")
    };
    std::fs::set_permissions(dir.join("locked"), std::fs::Permissions::from_mode(0o755))
        .expect("chmod back so the tempdir can be removed");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "stderr: {stderr}");
    common::validate(&output.stdout);
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let found = codes(&report);
    assert!(
        found
            .iter()
            .any(|(code, path, _)| code == "CL009" && path == "secret.py"),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|(code, path, _)| code == "CL009" && path == "locked"),
        "{found:?}"
    );
}
