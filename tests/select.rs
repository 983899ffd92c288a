//! Choosing what runs: `--select`, `--extend-select`, `--ignore` (codes or ids) and
//! `[rules] select / extend-select / per-file-ignores`; what a switched-off rule does to a
//! call site's status; and that a run's flags never make the runbook table stale.

mod common;

use common::{bin, lines_and_codes, project, run_json};
use serde_json::Value;

const MISSING: &str =
    "import stripe\n\ndef pay():\n    return stripe.checkout.Session.create(mode=\"payment\")\n";
/// The shared constant, so that a site that does not use it is CL002 and nothing else.
const CONSTANT: (&str, &str) = ("settings.py", "CHECKOUT_SESSION_TTL_SECONDS = 3600\n");
const NOT_DERIVED: &str = "import time\nimport stripe\n\ndef pay():\n    return stripe.checkout.Session.create(mode=\"payment\", expires_at=int(time.time()) + 3600)\n";

fn codes(report: &Value) -> Vec<String> {
    lines_and_codes(report)
        .into_iter()
        .map(|(_, c)| c)
        .collect()
}

fn site<'a>(report: &'a Value, path: &str) -> &'a Value {
    report["call_sites"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["path"] == path)
        .unwrap_or_else(|| panic!("no site in {path}: {report:#}"))
}

#[test]
fn select_runs_only_the_named_rules_and_the_others_mark_the_site_suppressed() {
    let dir = project(&[CONSTANT, ("a.py", MISSING), ("b.py", NOT_DERIVED)]);
    let (code, report) = run_json(dir.path(), &[]);
    assert_eq!(
        (code, codes(&report)),
        (1, vec!["CL001".into(), "CL002".into()])
    );

    let (code, report) = run_json(dir.path(), &["--select", "CL002"]);
    assert_eq!((code, codes(&report)), (1, vec!["CL002".to_string()]));
    let a = site(&report, "a.py");
    assert_eq!(a["status"], "suppressed");
    assert_eq!(
        a["suppressed"],
        "missing-expires-at is not selected on the command line"
    );
    assert_eq!(site(&report, "b.py")["status"], "violation");

    // Ids work as codes do; a comma-separated list as repeated flags.
    let (code, report) = run_json(dir.path(), &["--select", "expires-at-not-derived,CL001"]);
    assert_eq!((code, codes(&report).len()), (1, 2));
}

#[test]
fn ignore_switches_rules_off_by_code_or_id() {
    let dir = project(&[CONSTANT, ("a.py", MISSING), ("b.py", NOT_DERIVED)]);
    let (code, report) = run_json(dir.path(), &["--ignore", "missing-expires-at"]);
    assert_eq!((code, codes(&report)), (1, vec!["CL002".to_string()]));
    assert_eq!(
        site(&report, "a.py")["suppressed"],
        "missing-expires-at is ignored on the command line"
    );
    let (code, report) = run_json(dir.path(), &["--ignore", "CL001", "--ignore", "cl002"]);
    assert_eq!((code, codes(&report)), (0, Vec::<String>::new()));
    // An ignore wins over a select of the same rule.
    let (code, report) = run_json(dir.path(), &["--select", "CL001", "--ignore", "CL001"]);
    assert_eq!((code, codes(&report)), (0, Vec::<String>::new()));
}

#[test]
fn extend_select_adds_to_the_config_select_and_command_line_select_replaces_it() {
    let dir = project(&[
        ("checkout-lint.toml", "[rules]\nselect = [\"CL001\"]\n"),
        CONSTANT,
        ("a.py", MISSING),
        ("b.py", NOT_DERIVED),
    ]);
    let (_, report) = run_json(dir.path(), &[]);
    assert_eq!(codes(&report), vec!["CL001".to_string()]);
    assert_eq!(
        site(&report, "b.py")["suppressed"],
        "expires-at-not-derived is not selected in the config"
    );
    let (_, report) = run_json(dir.path(), &["--extend-select", "CL002"]);
    assert_eq!(codes(&report), vec!["CL001".to_string(), "CL002".into()]);
    let (_, report) = run_json(dir.path(), &["--select", "CL002"]);
    assert_eq!(codes(&report), vec!["CL002".to_string()]);
}

#[test]
fn unknown_rules_are_exit_two_with_a_clear_message() {
    let dir = project(&[("a.py", MISSING)]);
    for flag in ["--select", "--ignore", "--extend-select"] {
        let output = bin()
            .current_dir(dir.path())
            .args(["check", flag, "CL001,CL999"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{flag}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("unknown rule `CL999`"), "{stderr}");
        assert!(stderr.contains("checkout-lint rule"), "{stderr}");
    }
    let dir = project(&[
        (
            "checkout-lint.toml",
            "[rules]\nper-file-ignores = { \"tests/**\" = [\"missing-expires\"] }\n",
        ),
        ("a.py", MISSING),
    ]);
    let output = bin().current_dir(dir.path()).arg("check").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("unknown rule `missing-expires`"),
        "{stderr}"
    );
}

#[test]
fn per_file_ignores_silence_a_rule_under_a_glob_only() {
    let dir = project(&[
        (
            "checkout-lint.toml",
            "[rules]\nper-file-ignores = { \"tests/**\" = [\"CL001\"], \"conftest.py\" = [\"missing-expires-at\"] }\n",
        ),
        CONSTANT,
        ("app/pay.py", MISSING),
        ("tests/unit/test_pay.py", MISSING),
        ("app/conftest.py", MISSING),
        ("tests/unit/test_other.py", NOT_DERIVED),
    ]);
    let (code, report) = run_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let paths: Vec<(&str, &str)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["path"].as_str().unwrap(), d["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        paths,
        vec![
            ("app/pay.py", "CL001"),
            ("tests/unit/test_other.py", "CL002")
        ]
    );
    let silenced = site(&report, "tests/unit/test_pay.py");
    assert_eq!(silenced["status"], "suppressed");
    assert_eq!(
        silenced["suppressed"],
        "missing-expires-at is ignored for `tests/**` in the config"
    );
    assert_eq!(site(&report, "app/conftest.py")["status"], "suppressed");
    // The table says the same (it follows the config).
    let output = bin().current_dir(dir.path()).arg("table").output().unwrap();
    let table = String::from_utf8_lossy(&output.stdout);
    assert!(
        table.contains("suppressed: missing-expires-at is ignored for `tests/**` in the config"),
        "{table}"
    );
}

#[test]
fn a_runs_flags_never_make_the_runbook_table_stale() {
    let dir = project(&[
        (
            "checkout-lint.toml",
            "[table]\ndocument = \"RUNBOOK.md\"\n",
        ),
        (
            "RUNBOOK.md",
            "# Runbook\n\n<!-- checkout-lint:call-sites:begin -->\n<!-- checkout-lint:call-sites:end -->\n",
        ),
        CONSTANT,
        ("a.py", MISSING),
        ("b.py", NOT_DERIVED),
    ]);
    let output = bin()
        .current_dir(dir.path())
        .args(["table", "--write", "RUNBOOK.md"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let (code, report) = run_json(dir.path(), &[]);
    assert_eq!(
        (code, codes(&report)),
        (1, vec!["CL001".into(), "CL002".into()])
    );
    for flags in [
        &["--ignore", "CL001,CL002"][..],
        &["--select", "CL010"],
        &["--select", "CL003", "--extend-select", "CL010"],
    ] {
        let (code, report) = run_json(dir.path(), flags);
        assert_eq!(
            (code, codes(&report)),
            (0, Vec::<String>::new()),
            "{flags:?}"
        );
    }
    // The flags still switch CL010 itself off.
    std::fs::write(dir.path().join("c.py"), MISSING).unwrap();
    let (_, report) = run_json(dir.path(), &["--select", "CL001"]);
    assert_eq!(codes(&report), vec!["CL001".to_string(), "CL001".into()]);
    let (_, report) = run_json(dir.path(), &["--select", "CL010"]);
    assert_eq!(codes(&report), vec!["CL010".to_string()]);
}
