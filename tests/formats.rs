//! The CI formats: SARIF validated against the official 2.1.0 schema, golden files for
//! github, gitlab and junit, repo-relative paths when the project is a subdirectory of a
//! git work tree, and several formats from one run.

mod common;

use std::path::Path;
use std::process::Output;

use common::{bin, git_repo_with, repo, validate, validate_sarif};
use serde_json::Value;

/// The project lives in `services/shop/` of a fresh git work tree.
const SUBDIR: &str = "services/shop";

fn shop() -> tempfile::TempDir {
    git_repo_with(&repo().join("fixtures/ci/shop"), SUBDIR)
}

fn run_in(cwd: &Path, args: &[&str]) -> Output {
    bin()
        .current_dir(cwd)
        .arg("check")
        .args(args)
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[test]
fn github_golden_from_the_project_subdirectory() {
    let repo = shop();
    let output = run_in(&repo.path().join(SUBDIR), &["--format", "github"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    // Paths are relative to the work tree, not to the directory the tool ran in.
    assert!(
        text.lines().all(|l| l.contains("file=services/shop/")),
        "{text}"
    );
    insta::assert_snapshot!("github_shop", text);
    // Same annotations whatever the working directory.
    let from_top = run_in(repo.path(), &["--format", "github", SUBDIR]);
    assert_eq!(stdout(&from_top), text);
}

#[test]
fn gitlab_golden_is_code_quality_json() {
    let repo = shop();
    let output = run_in(&repo.path().join(SUBDIR), &["--format", "gitlab"]);
    assert_eq!(output.status.code(), Some(1));
    let issues: Value = serde_json::from_slice(&output.stdout).unwrap();
    for issue in issues.as_array().unwrap() {
        for key in ["description", "check_name", "fingerprint", "severity"] {
            assert!(issue[key].is_string(), "{key} missing in {issue:#}");
        }
        assert!(issue["location"]["path"]
            .as_str()
            .unwrap()
            .starts_with("services/shop/"));
        assert!(issue["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
    }
    let fingerprints: std::collections::HashSet<&str> = issues
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(fingerprints.len(), issues.as_array().unwrap().len());
    insta::assert_snapshot!("gitlab_shop", stdout(&output));
}

#[test]
fn junit_golden_has_a_failure_per_error() {
    let repo = shop();
    let output = run_in(&repo.path().join(SUBDIR), &["--format", "junit"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert_eq!(
        text.matches("<failure ").count(),
        text.matches("<testcase ").count() - text.matches("<system-out>").count()
    );
    insta::assert_snapshot!("junit_shop", text);
}

#[test]
fn junit_without_findings_is_one_passing_case() {
    let dir = common::project(&[("a.py", "print('no sessions here')\n")]);
    let output = run_in(dir.path(), &["--format", "junit"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(text.contains("tests=\"1\" failures=\"0\""), "{text}");
    assert!(text.contains("<testcase classname=\"checkout-lint\" name=\"no findings\"/>"));
}

#[test]
fn sarif_is_valid_and_carries_rules_fingerprints_and_suppressions() {
    let repo = shop();
    let output = run_in(&repo.path().join(SUBDIR), &["--format", "sarif"]);
    assert_eq!(output.status.code(), Some(1));
    let sarif = validate_sarif(&output.stdout);
    let run = &sarif["runs"][0];
    assert_eq!(sarif["runs"].as_array().unwrap().len(), 1);
    assert_eq!(run["tool"]["driver"]["rules"].as_array().unwrap().len(), 12);
    let results = run["results"].as_array().unwrap();
    for result in results {
        let location = &result["locations"][0]["physicalLocation"]["artifactLocation"];
        assert_eq!(location["uriBaseId"], "%SRCROOT%");
        assert!(location["uri"]
            .as_str()
            .unwrap()
            .starts_with("services/shop/"));
        assert!(result["partialFingerprints"]["checkoutLint/v1"].is_string());
    }
    let suppressed: Vec<&Value> = results
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(suppressed.len(), 1, "{results:#?}");
    assert_eq!(suppressed[0]["ruleId"], "CL001");
    assert_eq!(suppressed[0]["suppressions"][0]["kind"], "inSource");
    assert_eq!(
        suppressed[0]["suppressions"][0]["justification"],
        "setup-mode session, default TTL is fine"
    );
}

#[test]
fn sarif_fingerprints_survive_a_line_shift() {
    let repo = shop();
    let project = repo.path().join(SUBDIR);
    let fingerprints = || {
        let output = run_in(&project, &["--format", "sarif"]);
        let sarif = validate_sarif(&output.stdout);
        let mut prints: Vec<(String, String)> = sarif["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["ruleId"].as_str().unwrap().to_string(),
                    r["partialFingerprints"]["checkoutLint/v1"]
                        .as_str()
                        .unwrap()
                        .to_string(),
                )
            })
            .collect();
        prints.sort();
        prints
    };
    let before = fingerprints();
    let pay = project.join("pay.py");
    let text = std::fs::read_to_string(&pay).unwrap();
    std::fs::write(&pay, format!("# a new first line\n\n\n{text}")).unwrap();
    assert_eq!(fingerprints(), before);
}

#[test]
fn several_formats_from_one_run() {
    let repo = shop();
    let project = repo.path().join(SUBDIR);
    let output = run_in(
        &project,
        &[
            "--format",
            "json",
            "--output-format",
            "sarif=out.sarif",
            "--output-format",
            "junit=out.xml",
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    validate(&output.stdout);
    validate_sarif(&std::fs::read(project.join("out.sarif")).unwrap());
    let junit = std::fs::read_to_string(project.join("out.xml")).unwrap();
    assert!(junit.starts_with("<?xml"), "{junit}");
    let bad = run_in(&project, &["--output-format", "yaml=out.yaml"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown format"));
}

#[test]
#[should_panic(expected = "SARIF breaks the schema")]
fn the_schema_check_rejects_a_run_without_a_tool() {
    validate_sarif(br#"{"version": "2.1.0", "runs": [{"results": []}]}"#);
}

#[test]
fn identical_findings_get_distinct_fingerprints_that_survive_a_shift() {
    let call = "    stripe.checkout.Session.create(mode=\"payment\")\n";
    let text = format!("import stripe\n\n\ndef pay():\n{call}{call}");
    let dir = common::project(&[("app.py", &text)]);
    let prints = || {
        let output = run_in(dir.path(), &["--format", "gitlab"]);
        let issues: Value = serde_json::from_slice(&output.stdout).unwrap();
        issues
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["fingerprint"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let before = prints();
    assert_eq!(before.len(), 2);
    assert_ne!(before[0], before[1]);
    std::fs::write(dir.path().join("app.py"), format!("# moved\n\n{text}")).unwrap();
    assert_eq!(prints(), before);
}
