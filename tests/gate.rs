//! The pull-request gate: the baseline (line shifts, counts, stale entries, files), the
//! suppression comments (reasons, unknown ids, unused, strings that look like comments),
//! the `suppressions` listing and `[rules] ignore` / `warn`.

mod common;

use std::fs;
use std::path::Path;
use std::process::Output;

use common::{bin, lines_and_codes, project, validate};
use serde_json::Value;

fn check(dir: &Path, args: &[&str]) -> Output {
    bin()
        .current_dir(dir)
        .args(["check", "--format", "json"])
        .args(args)
        .output()
        .unwrap()
}

/// Exit code, report (validated against SPEC §7) and stderr.
fn check_json(dir: &Path, args: &[&str]) -> (i32, Value, String) {
    let output = check(dir, args);
    validate(&output.stdout);
    (
        output.status.code().unwrap(),
        serde_json::from_slice(&output.stdout).unwrap(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

const PAY: &str = "import stripe\n\n\ndef pay():\n    return stripe.checkout.Session.create(mode=\"payment\")\n\n\ndef refund():\n    return 1\n";

/// A project with one CL001 in `pay`, baselined.
fn baselined() -> tempfile::TempDir {
    let dir = project(&[("app.py", PAY)]);
    let (code, _, stderr) = check_json(dir.path(), &["--write-baseline", "baseline.json"]);
    assert_eq!(
        code, 0,
        "writing a baseline accepts every finding: {stderr}"
    );
    assert!(stderr.contains("wrote 1 finding"), "{stderr}");
    dir
}

#[test]
fn baseline_file_is_versioned_sorted_and_deterministic() {
    let dir = baselined();
    let first = fs::read_to_string(dir.path().join("baseline.json")).unwrap();
    let parsed: Value = serde_json::from_str(&first).unwrap();
    assert_eq!(parsed["version"], 2);
    assert_eq!(
        parsed["entries"],
        serde_json::json!([{
            "path": "app.py",
            "rule": "CL001",
            "function": "pay",
            "code": "stripe.checkout.Session.create(mode=\"payment\")",
            "count": 1
        }])
    );
    check_json(dir.path(), &["--write-baseline", "baseline.json"]);
    let second = fs::read_to_string(dir.path().join("baseline.json")).unwrap();
    assert_eq!(first, second);
}

#[test]
fn baselined_finding_is_not_reported_and_exits_zero() {
    let dir = baselined();
    let (code, report, stderr) = check_json(dir.path(), &["--baseline", "baseline.json"]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["diagnostics"], serde_json::json!([]));
    assert!(!stderr.contains("stale"), "{stderr}");
    // Without the baseline the finding is still there.
    assert_eq!(check_json(dir.path(), &[]).0, 1);
}

#[test]
fn shifted_and_reformatted_code_stays_baselined() {
    let dir = baselined();
    let moved = "\"\"\"Docs.\"\"\"\nimport stripe\n\n\ndef refund():\n    return 1\n\n\ndef pay():\n    # a comment that shifts the call\n    return stripe.checkout.Session.create(\n        mode=\"payment\",\n    )\n";
    fs::write(dir.path().join("app.py"), moved).unwrap();
    let (code, report, stderr) = check_json(dir.path(), &["--baseline", "baseline.json"]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["diagnostics"], serde_json::json!([]));
    assert!(!stderr.contains("stale"), "{stderr}");
}

#[test]
fn second_identical_violation_in_the_same_function_is_new() {
    let dir = baselined();
    let twice = PAY.replace(
        "    return stripe.checkout.Session.create(mode=\"payment\")\n",
        "    stripe.checkout.Session.create(mode=\"payment\")\n    return stripe.checkout.Session.create(mode=\"payment\")\n",
    );
    fs::write(dir.path().join("app.py"), twice).unwrap();
    let (code, report, _) = check_json(dir.path(), &["--baseline", "baseline.json"]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(lines_and_codes(&report), vec![(6, "CL001".to_string())]);
}

#[test]
fn same_violation_in_another_function_is_new() {
    let dir = baselined();
    let other = format!(
        "{PAY}\n\ndef pay_again():\n    return stripe.checkout.Session.create(mode=\"payment\")\n"
    );
    fs::write(dir.path().join("app.py"), other).unwrap();
    let (code, report, _) = check_json(dir.path(), &["--baseline", "baseline.json"]);
    assert_eq!(code, 1);
    assert_eq!(lines_and_codes(&report), vec![(13, "CL001".to_string())]);
}

#[test]
fn fixed_finding_makes_its_entry_stale() {
    let dir = project(&[
        ("config.py", "CHECKOUT_SESSION_TTL_SECONDS = 3600\n"),
        ("app.py", PAY),
    ]);
    check_json(dir.path(), &["--write-baseline", "baseline.json"]);
    let fixed = PAY
        .replace(
            "import stripe\n",
            "import time\nimport stripe\nfrom config import CHECKOUT_SESSION_TTL_SECONDS\n",
        )
        .replace(
            "mode=\"payment\")",
            "mode=\"payment\", expires_at=int(time.time()) + CHECKOUT_SESSION_TTL_SECONDS)",
        );
    fs::write(dir.path().join("app.py"), fixed).unwrap();
    let (code, report, stderr) = check_json(dir.path(), &["--baseline", "baseline.json"]);
    assert_eq!(
        code, 0,
        "a stale entry is good news, not a failure: {report:#}"
    );
    assert!(
        stderr.contains("stale baseline entry (1 of 1 no longer found): CL001 app.py in `pay`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("--write-baseline baseline.json"),
        "{stderr}"
    );
}

#[test]
fn entries_for_files_not_checked_are_not_stale() {
    let dir = project(&[("app.py", PAY), ("other.py", "X = 1\n")]);
    check_json(dir.path(), &["--write-baseline", "baseline.json"]);
    let (code, _, stderr) = check_json(dir.path(), &["--baseline", "baseline.json", "other.py"]);
    assert_eq!(code, 0);
    assert!(!stderr.contains("stale"), "{stderr}");
}

#[test]
fn baselined_findings_are_external_suppressions_in_sarif() {
    let dir = baselined();
    let output = bin()
        .current_dir(dir.path())
        .args(["check", "--format", "sarif", "--baseline", "baseline.json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let sarif = common::validate_sarif(&output.stdout);
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "CL001");
    assert_eq!(result["suppressions"][0]["kind"], "external");
    assert_eq!(
        result["suppressions"][0]["justification"],
        "accepted in the baseline baseline.json"
    );
}

#[test]
fn bad_or_missing_baseline_is_exit_two() {
    let dir = project(&[
        ("app.py", PAY),
        (
            "bad.json",
            "{\"version\": 99, \"tool\": \"checkout-lint\", \"entries\": []}",
        ),
    ]);
    let output = check(dir.path(), &["--baseline", "bad.json"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("version 99"));
    let output = check(dir.path(), &["--baseline", "missing.json"]);
    assert_eq!(output.status.code(), Some(2));
    let output = check(dir.path(), &["--baseline", "app.py"]);
    assert_eq!(output.status.code(), Some(2));
    let both = check(
        dir.path(),
        &["--baseline", "a.json", "--write-baseline", "b.json"],
    );
    assert_eq!(both.status.code(), Some(2));
}

#[test]
fn suppression_inside_a_string_does_not_count() {
    let text = "import stripe\n\n\ndef pay():\n    note = \"# checkout-lint: ignore[missing-expires-at] reason: in a string\"\n    return stripe.checkout.Session.create(mode=\"payment\")\n\n\ndef docs():\n    \"\"\"\n    # checkout-lint: ignore[missing-expires-at] reason: in a docstring\n    \"\"\"\n    return stripe.checkout.Session.create(mode=\"payment\")\n";
    let dir = project(&[("app.py", text)]);
    let (code, report, _) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        lines_and_codes(&report),
        vec![(6, "CL001".to_string()), (13, "CL001".to_string())]
    );
    let listing = bin()
        .current_dir(dir.path())
        .arg("suppressions")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&listing.stdout),
        "0 suppressions: 0 used, 0 unused, 0 invalid\n"
    );
}

#[test]
fn suppression_with_a_reason_on_the_line_above_or_the_same_line() {
    let text = "import stripe\n\n\ndef pay():\n    # checkout-lint: ignore[missing-expires-at] reason: setup mode\n    stripe.checkout.Session.create(mode=\"setup\")\n    stripe.checkout.Session.create(mode=\"setup\")  # checkout-lint: ignore[CL001] reason: also setup\n    return stripe.checkout.Session.create(mode=\"payment\")\n";
    let dir = project(&[("app.py", text)]);
    let (code, report, _) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    // Only the unsuppressed call on line 8; a suppression covers its line and the next only.
    assert_eq!(lines_and_codes(&report), vec![(8, "CL001".to_string())]);
    let statuses: Vec<&str> = report["call_sites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, vec!["suppressed", "suppressed", "violation"]);
}

#[test]
fn suppression_without_reason_does_not_suppress() {
    let text = "import stripe\n\n\ndef pay():\n    # checkout-lint: ignore[missing-expires-at]\n    return stripe.checkout.Session.create(mode=\"setup\")\n";
    let dir = project(&[("app.py", text)]);
    let (code, report, _) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        lines_and_codes(&report),
        vec![(5, "CL011".to_string()), (6, "CL001".to_string())]
    );
    assert_eq!(report["call_sites"][0]["status"], "violation");
}

#[test]
fn suppression_naming_an_unknown_rule_is_cl011_and_suppresses_nothing_else() {
    let text = "import stripe\n\n\ndef pay():\n    # checkout-lint: ignore[missing-expires-at, no-such-rule] reason: typo\n    return stripe.checkout.Session.create(mode=\"setup\")\n";
    let dir = project(&[("app.py", text)]);
    let (code, report, _) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let diagnostics = report["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    assert_eq!(diagnostics[0]["code"], "CL011");
    assert!(diagnostics[0]["message"]
        .as_str()
        .unwrap()
        .contains("`no-such-rule`"));
}

#[test]
fn suppression_for_another_rule_is_unused_and_does_not_over_suppress() {
    let text = "import stripe\n\n\ndef pay():\n    # checkout-lint: ignore[expires-at-not-integer] reason: wrong rule\n    return stripe.checkout.Session.create(mode=\"setup\")\n";
    let dir = project(&[("app.py", text)]);
    let (code, report, _) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        lines_and_codes(&report),
        vec![(5, "CL012".to_string()), (6, "CL001".to_string())]
    );
    assert_eq!(report["diagnostics"][0]["severity"], "warning");
}

#[test]
fn suppressions_lists_every_comment_with_reason_and_status() {
    let dir = project(&[
        ("pay.py", include_str!("../fixtures/ci/shop/pay.py")),
        ("config.py", "CHECKOUT_SESSION_TTL_SECONDS = 3600\n"),
    ]);
    let human = bin()
        .current_dir(dir.path())
        .arg("suppressions")
        .output()
        .unwrap();
    assert_eq!(human.status.code(), Some(0));
    insta::assert_snapshot!("suppressions_human", String::from_utf8_lossy(&human.stdout));
    let json = bin()
        .current_dir(dir.path())
        .args(["suppressions", "--format", "json"])
        .output()
        .unwrap();
    let listing: Value = serde_json::from_slice(&json.stdout).unwrap();
    insta::assert_json_snapshot!("suppressions_json", listing);
}

#[test]
fn config_rules_ignore_and_warn() {
    let dir = project(&[
        (
            "checkout-lint.toml",
            "[rules]\nignore = [\"missing-expires-at\"]\n",
        ),
        ("app.py", PAY),
    ]);
    let (code, report, _) = check_json(dir.path(), &[]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["diagnostics"], serde_json::json!([]));
    assert_eq!(report["call_sites"][0]["status"], "suppressed");

    let dir = project(&[
        ("checkout-lint.toml", "[rules]\nwarn = [\"CL001\"]\n"),
        ("app.py", PAY),
    ]);
    let (code, report, _) = check_json(dir.path(), &[]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["diagnostics"][0]["severity"], "warning");
    assert_eq!(report["summary"]["warnings"], 1);
}

#[test]
fn suppression_naming_a_rule_that_does_not_fire_is_over_broad() {
    let text = "import stripe\n\n\ndef pay():\n    # checkout-lint: ignore[missing-expires-at, CL005] reason: setup mode\n    return stripe.checkout.Session.create(mode=\"setup\")\n";
    let dir = project(&[("app.py", text)]);
    let (code, report, _) = check_json(dir.path(), &[]);
    assert_eq!(code, 0, "a warning: {report:#}");
    assert_eq!(report["call_sites"][0]["status"], "suppressed");
    assert_eq!(lines_and_codes(&report), vec![(5, "CL012".to_string())]);
    assert_eq!(
        report["diagnostics"][0]["message"],
        "this suppression names `CL005` that matches no finding on its line or the next"
    );
    let listing = bin()
        .current_dir(dir.path())
        .args(["suppressions", "--format", "json"])
        .output()
        .unwrap();
    let listing: Value = serde_json::from_slice(&listing.stdout).unwrap();
    assert_eq!(listing["suppressions"][0]["status"], "partly-used");
    assert_eq!(listing["suppressions"][0]["matched"], 1);
}
