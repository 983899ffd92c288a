//! `checkout-lint init`: a commented starter config naming the constant it finds, that
//! `check` then accepts; `--pyproject` appends without touching other bytes; an existing
//! config is never overwritten.

mod common;

use std::fs;
use std::path::Path;

use common::{bin, project, validate};
use serde_json::Value;

const CONFIG: &str = "CHECKOUT_SESSION_TTL_SECONDS = 2 * 3600\n";
const PAY: &str = "import time\nimport stripe\nfrom shop.config import CHECKOUT_SESSION_TTL_SECONDS\n\n\ndef pay():\n    return stripe.checkout.Session.create(expires_at=int(time.time()) + CHECKOUT_SESSION_TTL_SECONDS)\n";

fn shop() -> tempfile::TempDir {
    project(&[
        ("src/shop/__init__.py", ""),
        ("src/shop/config.py", CONFIG),
        ("src/shop/pay.py", PAY),
    ])
}

fn init(dir: &Path, args: &[&str]) -> std::process::Output {
    bin()
        .current_dir(dir)
        .arg("init")
        .args(args)
        .output()
        .unwrap()
}

/// `check --format json` in `dir`: exit code and report.
fn check(dir: &Path) -> (i32, Value) {
    let output = bin()
        .current_dir(dir)
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    validate(&output.stdout);
    (
        output.status.code().unwrap(),
        serde_json::from_slice(&output.stdout).unwrap(),
    )
}

#[test]
fn writes_a_starter_naming_the_constant_that_check_accepts() {
    let dir = shop();
    let output = init(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let text = fs::read_to_string(dir.path().join("checkout-lint.toml")).unwrap();
    assert!(
        text.contains("\npython-constant = \"shop.config.CHECKOUT_SESSION_TTL_SECONDS\"\n"),
        "{text}"
    );
    insta::assert_snapshot!("init_starter", text);
    let (code, report) = check(dir.path());
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["call_sites"][0]["status"], "sanctioned");
}

#[test]
fn the_written_constant_is_the_one_check_enforces() {
    let dir = shop();
    init(dir.path(), &[]);
    // A second definition elsewhere no longer makes the constant ambiguous: the config
    // names the one to use, so the other module's copy is just another constant.
    fs::write(dir.path().join("src/shop/other.py"), CONFIG).unwrap();
    let (code, report) = check(dir.path());
    assert_eq!(code, 0, "{report:#}");
}

#[test]
fn without_a_constant_the_line_is_commented_and_check_still_accepts_the_file() {
    let dir = project(&[("app.py", "import stripe\n")]);
    let output = init(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(0));
    let text = fs::read_to_string(dir.path().join("checkout-lint.toml")).unwrap();
    assert!(
        text.contains("# python-constant = \"app.config.CHECKOUT_SESSION_TTL_SECONDS\""),
        "{text}"
    );
    assert!(!text.contains("\npython-constant"), "{text}");
    assert_eq!(check(dir.path()).0, 0);
}

#[test]
fn refuses_to_overwrite_an_existing_config() {
    let dir = shop();
    fs::write(dir.path().join("checkout-lint.toml"), "[rules]\n").unwrap();
    let output = init(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("already configures"));
    assert_eq!(
        fs::read_to_string(dir.path().join("checkout-lint.toml")).unwrap(),
        "[rules]\n"
    );
    // A pyproject.toml that already has our table counts too.
    let dir = shop();
    let pyproject = "[tool.checkout-lint.rules]\nwarn = []\n";
    fs::write(dir.path().join("pyproject.toml"), pyproject).unwrap();
    for args in [&[][..], &["--pyproject"][..]] {
        let output = init(dir.path(), args);
        assert_eq!(output.status.code(), Some(2));
    }
    assert_eq!(
        fs::read_to_string(dir.path().join("pyproject.toml")).unwrap(),
        pyproject
    );
    assert!(!dir.path().join("checkout-lint.toml").exists());
}

#[test]
fn pyproject_gets_an_appended_table_and_keeps_every_other_byte() {
    let dir = shop();
    let original = "[project]\r\nname = \"shop\"\r\n\r\n[tool.ruff]\r\nline-length = 100";
    fs::write(dir.path().join("pyproject.toml"), original).unwrap();
    let output = init(dir.path(), &["--pyproject"]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let text = fs::read_to_string(dir.path().join("pyproject.toml")).unwrap();
    assert!(text.starts_with(original), "{text}");
    let added = &text[original.len()..];
    assert!(added.starts_with("\r\n\r\n# checkout-lint:"), "{added:?}");
    assert!(
        added.contains("\r\n[tool.checkout-lint.ttl]\r\n"),
        "{added}"
    );
    assert!(
        added.contains("\r\npython-constant = \"shop.config.CHECKOUT_SESSION_TTL_SECONDS\"\r\n"),
        "{added}"
    );
    assert!(
        !added.replace("\r\n", "").contains('\n'),
        "line endings kept"
    );
    assert!(!dir.path().join("checkout-lint.toml").exists());
    let (code, report) = check(dir.path());
    assert_eq!(code, 0, "{report:#}");
}

#[test]
fn pyproject_flag_without_a_pyproject_is_exit_two() {
    let dir = shop();
    let output = init(dir.path(), &["--pyproject"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("pyproject.toml"));
}
