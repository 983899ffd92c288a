//! Data-driven shape tests: every case under `fixtures/shapes/python/` and
//! `fixtures/shapes/rust/` marks what must be reported with trailing
//! `# expect: sanctioned` / `// expect: CL001, CL005` comments; every other line must produce
//! nothing. A case's JSON report is also pinned as a snapshot.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::{check_json, repo, stable};
use serde_json::Value;

type Expectations = BTreeMap<(String, usize), BTreeSet<String>>;

fn source_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            source_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "py" || e == "rs") {
            out.push(path);
        }
    }
}

/// Reads `# expect:` comments. CL009 is keyed by file only (line 0): parse errors are
/// reported where the parser gives up.
fn expectations(case: &Path) -> Expectations {
    let mut files = Vec::new();
    source_files(case, &mut files);
    let mut expected = Expectations::new();
    for file in files {
        let rel = file
            .strip_prefix(case)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(&file).unwrap();
        for (i, line) in text.lines().enumerate() {
            let marker = if file.extension().is_some_and(|e| e == "rs") {
                "// expect:"
            } else {
                "# expect:"
            };
            let Some((_, spec)) = line.split_once(marker) else {
                continue;
            };
            for item in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                let line_no = if item == "CL009" { 0 } else { i + 1 };
                expected
                    .entry((rel.clone(), line_no))
                    .or_default()
                    .insert(item.to_string());
            }
        }
    }
    expected
}

fn actual(report: &Value) -> Expectations {
    let mut found = Expectations::new();
    for d in report["diagnostics"].as_array().unwrap() {
        let code = d["code"].as_str().unwrap().to_string();
        let line = if code == "CL009" {
            0
        } else {
            d["line"].as_u64().unwrap() as usize
        };
        found
            .entry((d["path"].as_str().unwrap().to_string(), line))
            .or_default()
            .insert(code);
    }
    for s in report["call_sites"].as_array().unwrap() {
        if s["status"] == "sanctioned" {
            found
                .entry((
                    s["path"].as_str().unwrap().to_string(),
                    s["line"].as_u64().unwrap() as usize,
                ))
                .or_default()
                .insert("sanctioned".into());
        }
    }
    found
}

/// Checks every case of one language; `min_cases` guards against a silently empty glob.
fn check_cases(language: &str, min_cases: usize) {
    let root = repo().join("fixtures/shapes").join(language);
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
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
        let rel = case.strip_prefix(repo()).unwrap();
        let (_, report) = check_json(rel);
        let expected = expectations(case);
        let got = actual(&report);
        if expected != got {
            let missing: Vec<_> = expected
                .iter()
                .filter(|(k, v)| got.get(*k) != Some(v))
                .collect();
            let extra: Vec<_> = got
                .iter()
                .filter(|(k, v)| expected.get(*k) != Some(v))
                .collect();
            failures.push(format!("{name}:\n  expected but not reported: {missing:?}\n  reported but not expected: {extra:?}"));
        }
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
