//! A baselined finding's identity is the tokens of its code: comment edits inside the
//! call keep it baselined, token boundaries keep `a or b` apart from `aorb`, and baseline
//! files written before (version 1, comments kept and blanks removed) still match.

mod common;

use std::fs;
use std::path::Path;

use common::{bin, project, validate};
use serde_json::Value;

/// Exit code, report and stderr of `check --format json ARGS`.
fn check(dir: &Path, args: &[&str]) -> (i32, Value, String) {
    let output = bin()
        .current_dir(dir)
        .args(["check", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    validate(&output.stdout);
    (
        output.status.code().unwrap(),
        serde_json::from_slice(&output.stdout).unwrap(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

const PAY: &str = r#"import stripe


def pay(user, first):
    return stripe.checkout.Session.create(
        mode="payment",  # one-off purchase
        customer_email=first() or user.email,
    )
"#;

fn baseline(dir: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(dir.join("baseline.json")).unwrap()).unwrap()
}

#[test]
fn a_comment_edit_inside_the_call_keeps_it_baselined() {
    let dir = project(&[("app.py", PAY)]);
    let (code, _, stderr) = check(dir.path(), &["--write-baseline", "baseline.json"]);
    assert_eq!(code, 0, "{stderr}");
    let written = baseline(dir.path());
    assert_eq!(written["version"], 2);
    assert_eq!(
        written["entries"][0]["code"],
        "stripe.checkout.Session.create(mode=\"payment\",customer_email=first()or user.email)"
    );

    let edited = PAY
        .replace("# one-off purchase", "# one-off purchase; see the refunds runbook")
        .replace(
            "customer_email=first() or user.email,\n",
            "# the guardian's address when the player has none\n        customer_email=first() or user.email,  # noqa\n",
        );
    fs::write(dir.path().join("app.py"), edited).unwrap();
    let (code, report, stderr) = check(dir.path(), &["--baseline", "baseline.json"]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["diagnostics"], serde_json::json!([]));
    assert!(!stderr.contains("stale"), "{stderr}");
}

#[test]
fn words_that_only_blanks_separate_are_not_one_word() {
    let or = PAY.replace("first() or user.email", "user.email or guardian");
    let dir = project(&[("app.py", &or)]);
    check(dir.path(), &["--write-baseline", "baseline.json"]);
    // `user.email or guardian` and `user.emailorguardian` lost their blanks to the same
    // text in version 1; they are different code.
    let changed = or.replace("user.email or guardian", "user.emailorguardian");
    fs::write(dir.path().join("app.py"), changed).unwrap();
    let (code, report, stderr) = check(dir.path(), &["--baseline", "baseline.json"]);
    assert_eq!(code, 1, "the changed call is a new finding: {report:#}");
    assert_eq!(report["diagnostics"][0]["code"], "CL001");
    assert!(stderr.contains("stale baseline entry"), "{stderr}");
}

#[test]
fn a_version_1_baseline_still_matches_and_is_rewritten_as_version_2() {
    let dir = project(&[("app.py", PAY)]);
    // What version 1 wrote for this finding: every blank removed, the comment kept.
    let v1 = r##"{
  "version": 1,
  "tool": "checkout-lint",
  "entries": [
    {
      "path": "app.py",
      "rule": "CL001",
      "function": "pay",
      "code": "stripe.checkout.Session.create(mode=\"payment\",#one-offpurchasecustomer_email=first()oruser.email)",
      "count": 1
    }
  ]
}
"##;
    fs::write(dir.path().join("baseline.json"), v1).unwrap();
    let (code, report, stderr) = check(dir.path(), &["--baseline", "baseline.json"]);
    assert_eq!(code, 0, "{report:#}\n{stderr}");
    assert_eq!(report["diagnostics"], serde_json::json!([]));
    assert!(!stderr.contains("stale"), "{stderr}");
    assert!(
        stderr.contains("baseline.json is a version 1 baseline; its entries still match")
            && stderr.contains("`--write-baseline baseline.json` rewrites it as version 2"),
        "{stderr}"
    );

    // A version 1 entry matches the identity it was written with, not the new one.
    let other = v1.replace("#one-offpurchase", "");
    fs::write(dir.path().join("baseline.json"), other).unwrap();
    let (code, _, stderr) = check(dir.path(), &["--baseline", "baseline.json"]);
    assert_eq!(code, 1, "{stderr}");

    check(dir.path(), &["--write-baseline", "baseline.json"]);
    assert_eq!(baseline(dir.path())["version"], 2);
    let (code, _, stderr) = check(dir.path(), &["--baseline", "baseline.json"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("version 1"), "{stderr}");
}

#[test]
fn an_unknown_version_names_the_versions_read() {
    let dir = project(&[("app.py", PAY)]);
    fs::write(
        dir.path().join("baseline.json"),
        "{\"version\": 3, \"tool\": \"checkout-lint\", \"entries\": []}",
    )
    .unwrap();
    let output = bin()
        .current_dir(dir.path())
        .args(["check", "--baseline", "baseline.json"])
        .output()
        .unwrap();
    // The message may be wrapped to the terminal's width.
    let stderr = String::from_utf8_lossy(&output.stderr)
        .split_whitespace()
        .filter(|word| *word != "│")
        .collect::<Vec<_>>()
        .join(" ");
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("version 3 baseline; this checkout-lint reads versions 1 and 2"),
        "{stderr}"
    );
}
