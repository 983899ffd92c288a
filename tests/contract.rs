//! The report contract's own tests: `common::validate` (the schema in `tests/data` plus
//! `common::report_contract`) accepts the tool's real reports and rejects hand-broken ones,
//! naming what is wrong. The other test files trust it to catch a report that drifts.

mod common;

use std::path::Path;
use std::sync::OnceLock;

use serde_json::{json, Value};

use common::report_contract::problems;

/// The real report on the incident's code base (eight violations) and on its fixed version
/// (sanctioned sites and one CL003), each made once.
fn before() -> Value {
    static REPORT: OnceLock<Value> = OnceLock::new();
    REPORT
        .get_or_init(|| common::check_json(Path::new("fixtures/basketball_api")).1)
        .clone()
}

fn after() -> Value {
    static REPORT: OnceLock<Value> = OnceLock::new();
    REPORT
        .get_or_init(|| common::check_json(Path::new("fixtures/basketball_api_fixed")).1)
        .clone()
}

fn problems_of(report: &Value) -> Vec<String> {
    problems(&serde_json::to_vec(report).unwrap())
}

/// Asserts `report` is rejected with a problem that mentions every one of `words`.
fn rejects(report: &Value, words: &[&str]) {
    let found = problems_of(report);
    assert!(
        found.iter().any(|p| words.iter().all(|w| p.contains(w))),
        "expected a problem naming {words:?}, got {found:#?}"
    );
}

#[test]
fn the_tools_reports_honour_the_contract() {
    for report in [before(), after()] {
        assert!(report["call_sites"].as_array().unwrap().len() >= 8);
        assert_eq!(problems_of(&report), Vec::<String>::new());
    }
}

#[test]
fn a_code_with_another_codes_rule_is_rejected() {
    let mut report = before();
    report["diagnostics"][0]["rule"] = json!("stale-table");
    rejects(
        &report,
        &["/diagnostics/0/rule", "missing-expires-at", "one rule id"],
    );
}

#[test]
fn unknown_codes_severities_and_rule_ids_are_rejected() {
    let mut report = before();
    report["diagnostics"][0]["code"] = json!("CL013");
    report["diagnostics"][1]["severity"] = json!("note");
    report["call_sites"][2]["rules"] = json!(["missing-expiry"]);
    rejects(&report, &["/diagnostics/0/code", "CL013"]);
    rejects(&report, &["/diagnostics/1/severity", "note"]);
    rejects(&report, &["/call_sites/2/rules/0", "missing-expiry"]);
}

#[test]
fn paths_must_be_relative_slash_separated_and_bare() {
    for (path, why) in [
        ("/srv/app/jersey.py", "not absolute"),
        ("C:/app/jersey.py", "not absolute"),
        ("src\\jersey.py", "backslashes"),
        ("./src/jersey.py", "must not start with './'"),
        ("", "shorter than 1 character"),
    ] {
        let mut report = before();
        report["call_sites"][0]["path"] = json!(path);
        rejects(&report, &["/call_sites/0/path", why]);
        let mut report = before();
        report["diagnostics"][3]["path"] = json!(path);
        rejects(&report, &["/diagnostics/3/path", why]);
    }
}

#[test]
fn positions_are_one_based_integers() {
    let mut report = before();
    report["diagnostics"][0]["line"] = json!(0);
    report["call_sites"][1]["column"] = json!(-3);
    report["diagnostics"][2]["end_column"] = json!("7");
    report["call_sites"][3]["line"] = json!(12.0);
    rejects(&report, &["/diagnostics/0/line", "minimum of 1", "1-based"]);
    rejects(&report, &["/call_sites/1/column", "minimum of 1"]);
    rejects(&report, &["/diagnostics/2/end_column", "\"7\"", "integer"]);
    rejects(&report, &["/call_sites/3/line", "written as an integer"]);
}

#[test]
fn missing_and_unexpected_keys_are_rejected() {
    let mut report = before();
    report.as_object_mut().unwrap().remove("summary");
    rejects(
        &report,
        &["top level", "\"summary\" is a required property"],
    );
    let mut report = before();
    report["call_sites"][0]
        .as_object_mut()
        .unwrap()
        .remove("via");
    report["diagnostics"][0]
        .as_object_mut()
        .unwrap()
        .remove("message");
    report["call_sites"][1]["confidence"] = json!("high");
    rejects(
        &report,
        &["/call_sites/0", "\"via\" is a required property"],
    );
    rejects(
        &report,
        &["/diagnostics/0", "\"message\" is a required property"],
    );
    rejects(&report, &["/call_sites/1", "'confidence' was unexpected"]);
}

#[test]
fn statuses_languages_and_the_tool_name_are_closed() {
    let mut report = before();
    report["call_sites"][0]["status"] = json!("ignored");
    report["call_sites"][1]["language"] = json!("go");
    report["tool"] = json!("other-lint");
    rejects(&report, &["/call_sites/0/status", "ignored"]);
    rejects(&report, &["/call_sites/1/language", "go"]);
    rejects(&report, &["/tool", "checkout-lint"]);
}

#[test]
fn a_sites_status_agrees_with_its_rules_and_reason() {
    let mut report = after();
    report["call_sites"][0]["rules"] = json!(["missing-expires-at"]);
    rejects(&report, &["/call_sites/0", "sanctioned site lists rules"]);
    let mut report = before();
    report["call_sites"][0]["rules"] = json!([]);
    rejects(&report, &["/call_sites/0", "violation names no rule"]);
    for reason in [Value::Null, json!("")] {
        let mut report = before();
        report["call_sites"][1]["status"] = json!("suppressed");
        report["call_sites"][1]["suppressed"] = reason;
        rejects(
            &report,
            &["/call_sites/1", "suppressed site gives no reason"],
        );
    }
    let mut report = before();
    report["call_sites"][1]["status"] = json!("suppressed");
    report["call_sites"][1]["suppressed"] = json!("setup-mode session");
    assert_eq!(problems_of(&report), Vec::<String>::new());
}

#[test]
fn call_sites_out_of_order_are_rejected() {
    let mut report = before();
    report["call_sites"].as_array_mut().unwrap().swap(1, 2);
    rejects(
        &report,
        &["/call_sites/2", "not sorted by path, line, column"],
    );
    let mut report = before();
    // Same path, later column first.
    let sites = report["call_sites"].as_array_mut().unwrap();
    sites[2]["line"] = sites[1]["line"].clone();
    sites[1]["column"] = json!(99);
    rejects(&report, &["/call_sites/2", "not sorted"]);
}

#[test]
fn summary_counts_match_the_lists() {
    let mut report = before();
    report["summary"]["call_sites"] = json!(7);
    report["summary"]["errors"] = json!(9);
    report["summary"]["warnings"] = json!(1);
    rejects(&report, &["/summary/call_sites", "7 but 8 call sites"]);
    rejects(&report, &["/summary/errors", "9 but 8 error diagnostics"]);
    rejects(
        &report,
        &["/summary/warnings", "1 but 0 warning diagnostics"],
    );
    let mut report = before();
    report["summary"]["elapsed_ms"] = json!("fast");
    rejects(&report, &["/summary/elapsed_ms", "integer"]);
}

#[test]
fn messages_help_and_fixes_have_their_shapes() {
    let mut report = before();
    report["diagnostics"][0]["message"] = json!("  ");
    report["diagnostics"][1]["help"] = json!(3);
    report["diagnostics"][2]["fix"] = json!({"applicable": true, "edits": []});
    rejects(&report, &["/diagnostics/0/message", "non-empty"]);
    rejects(&report, &["/diagnostics/1/help", "3"]);
    rejects(&report, &["/diagnostics/2/fix"]);
    // The fix SPEC §7 describes is accepted.
    let mut report = before();
    report["diagnostics"][0]["fix"] = json!({
        "safety": "safe",
        "message": "pass the shared TTL",
        "edits": [{"path": "src/basketball_api/routes/admin.py", "start_line": 140,
                   "start_column": 9, "end_line": 140, "end_column": 9,
                   "content": "expires_at=int(time.time()) + CHECKOUT_SESSION_TTL_SECONDS,\n"}]
    });
    assert_eq!(problems_of(&report), Vec::<String>::new());
}

#[test]
fn text_that_is_not_json_is_rejected() {
    assert_eq!(problems(b"{\"tool\": ").len(), 1);
    assert!(problems(b"{\"tool\": ")[0].starts_with("not JSON"));
}

#[test]
#[should_panic(expected = "report breaks the contract")]
fn validate_fails_the_test_on_a_broken_report() {
    let mut report = before();
    report["call_sites"][0]["line"] = json!(0);
    common::validate(&serde_json::to_vec(&report).unwrap());
}

/// The schema spells the rules out (codes, ids, which goes with which); a rule added to the
/// registry must be added there too, or every report naming it would fail elsewhere.
#[test]
fn the_schema_knows_exactly_the_registered_rules() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(common::repo().join("tests/data/report.schema.json")).unwrap(),
    )
    .unwrap();
    let defs = &schema["$defs"];
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .expect("an enum")
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect()
    };
    let registry = checkout_lint::rules::ALL;
    let codes: Vec<String> = registry.iter().map(|r| r.code_text.to_string()).collect();
    let ids: Vec<String> = registry.iter().map(|r| r.id.to_string()).collect();
    assert_eq!(strings(&defs["code"]["enum"]), codes, "$defs.code");
    assert_eq!(strings(&defs["rule_id"]["enum"]), ids, "$defs.rule_id");
    let pairs: Vec<(String, String)> = defs["code_goes_with_rule"]["allOf"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["if"]["properties"]["code"]["const"]
                    .as_str()
                    .unwrap()
                    .to_string(),
                p["then"]["properties"]["rule"]["const"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            )
        })
        .collect();
    let expected: Vec<(String, String)> = codes.into_iter().zip(ids).collect();
    assert_eq!(pairs, expected, "$defs.code_goes_with_rule");
}
