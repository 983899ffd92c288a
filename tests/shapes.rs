//! Data-driven shape tests: every case under `fixtures/shapes/python/` and
//! `fixtures/shapes/rust/` marks what must be reported with trailing
//! `# expect: sanctioned` / `// expect: CL001, CL005` comments; every other line must produce
//! nothing (the markers are read by `common::expect`). A case's JSON report is also pinned
//! as a snapshot.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::expect::{case_dirs, check_case};
use common::{check_json, repo, stable};
use serde_json::Value;

/// Checks every case of one language; `min_cases` guards against a silently empty glob.
fn check_cases(language: &str, min_cases: usize) {
    let root = repo().join("fixtures/shapes").join(language);
    let cases = case_dirs(&root);
    assert!(
        cases.len() >= min_cases,
        "expected the shape cases under {}",
        root.display()
    );
    let prefix = if language == "python" {
        "shape".to_string()
    } else {
        format!("shape_{language}")
    };
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let (report, failure) = check_case(&name, case);
        failures.extend(failure);
        insta::assert_json_snapshot!(format!("{prefix}_{name}"), stable(report));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_python_shape_case_reports_exactly_its_expectations() {
    check_cases("python", 20);
}

#[test]
fn every_rust_shape_case_reports_exactly_its_expectations() {
    check_cases("rust", 8);
}

#[test]
fn routes_follow_prefixes_mounts_and_registrations() {
    let (_, report) = check_json(Path::new("fixtures/shapes/python/routes"));
    let routes: BTreeMap<String, Value> = report["call_sites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["function"].as_str().unwrap().to_string(),
                s["route"].clone(),
            )
        })
        .collect();
    let expected: BTreeMap<String, Value> = [
        ("fastapi_checkout", "POST /v1/api/billing/checkout"),
        ("fastapi_multi", "GET,POST /multi"),
        ("fastapi_added", "POST /v1/api/added"),
        ("not_a_handler", ""),
        ("flask_buy", "POST /shop/buy"),
        ("flask_renew", "POST /admin/renew"),
        ("flask_rule", "PUT /rule"),
        // `methods=METHODS` is not a literal: no route rather than a guessed one.
        ("flask_dynamic_methods", ""),
        ("ninja_pay", "POST /pay"),
        ("ninja_operation", "POST,PATCH /orders/op"),
        ("starlette_pay", "POST /shop/v2/pay"),
        ("starlette_status", "GET /status"),
        // A prefix that is not a literal: no route rather than one without the prefix.
        ("fastapi_computed_prefix", ""),
        ("starlette_computed_mount", ""),
    ]
    .into_iter()
    .map(|(f, r)| {
        let route = if r.is_empty() {
            Value::Null
        } else {
            Value::from(r)
        };
        (f.to_string(), route)
    })
    .collect();
    assert_eq!(routes, expected);
}
