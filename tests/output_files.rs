//! Reports written to files: `--output FILE` and `--output-format FMT=PATH` into a
//! directory that does not exist yet create it; a parent that cannot be a directory is an
//! error naming that directory (never a temporary file), and nothing is left behind.

mod common;

use std::fs;
use std::path::Path;
use std::process::Output;

use common::{bin, project};
use serde_json::Value;

const PAY: &str =
    "import stripe\n\n\ndef pay():\n    return stripe.checkout.Session.create(mode=\"payment\")\n";

fn run(dir: &Path, args: &[&str]) -> Output {
    bin().current_dir(dir).args(args).output().unwrap()
}

/// Every file under `dir`, relative, sorted.
fn files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap().flatten() {
            if entry.file_type().unwrap().is_dir() {
                stack.push(entry.path());
            } else {
                let rel = entry.path().strip_prefix(dir).unwrap().to_path_buf();
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn reports_into_missing_directories_create_them() {
    let dir = project(&[("app.py", PAY)]);
    let output = run(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--output",
            "out/report.json",
            "--output-format",
            "sarif=reports/ci/checkout-lint.sarif",
            "--output-format",
            "gitlab=reports/gl-code-quality.json",
        ],
    );
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        files(dir.path()),
        [
            "app.py",
            "out/report.json",
            "reports/ci/checkout-lint.sarif",
            "reports/gl-code-quality.json"
        ]
    );
    let report: Value =
        serde_json::from_slice(&fs::read(dir.path().join("out/report.json")).unwrap()).unwrap();
    assert_eq!(report["diagnostics"][0]["code"], "CL001");
    let sarif = fs::read_to_string(dir.path().join("reports/ci/checkout-lint.sarif")).unwrap();
    assert!(sarif.contains("\"2.1.0\""), "{sarif}");
}

#[test]
fn a_parent_that_is_a_file_is_named_and_nothing_is_written() {
    let dir = project(&[("app.py", PAY), ("reports", "a file, not a directory\n")]);
    for args in [
        ["--output-format", "json=reports/x.json"],
        ["--output", "reports/x.json"],
    ] {
        let output = run(dir.path(), &[&["check"], &args[..]].concat());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains("cannot create the directory reports for reports/x.json"),
            "{stderr}"
        );
        assert!(!stderr.contains(".tmp"), "{stderr}");
        assert_eq!(files(dir.path()), ["app.py", "reports"]);
    }
}

/// chmod stops nobody but root: as root, the run happens as `nobody` through `setpriv`.
#[cfg(unix)]
#[test]
fn a_directory_that_cannot_be_written_is_named_never_a_temporary_file() {
    use std::os::unix::fs::PermissionsExt;

    let dir = project(&[("app.py", PAY), ("ro/keep", "")]);
    for (path, mode) in [(dir.path(), 0o755), (&dir.path().join("ro"), 0o555)] {
        fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
    }
    let args = ["check", "--output-format", "json=ro/x.json"];
    let as_root = fs::write(dir.path().join("ro/probe"), "").is_ok();
    let output = if as_root {
        fs::remove_file(dir.path().join("ro/probe")).unwrap();
        std::process::Command::new("setpriv")
            .args(["--reuid=nobody", "--regid=nogroup", "--clear-groups"])
            .arg(assert_cmd::cargo::cargo_bin("checkout-lint"))
            .args(args)
            .current_dir(dir.path())
            .output()
            .expect("setpriv runs (util-linux); as root this case needs another user")
    } else {
        run(dir.path(), &args)
    };
    fs::set_permissions(dir.path().join("ro"), fs::Permissions::from_mode(0o755)).unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("cannot write ro/x.json: cannot create a file in ro"),
        "{stderr}"
    );
    assert!(!stderr.contains(".tmp"), "{stderr}");
    assert_eq!(files(dir.path()), ["app.py", "ro/keep"]);
}
