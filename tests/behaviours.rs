//! Paired behaviours: each directory under `fixtures/behaviours/` is one behaviour (`paths`,
//! `escapes`, `constants`) written once per language, a project under `python/` and one
//! under `rust/`, each marking what must be reported with `expect:` comments
//! (`common::expect`). A behaviour gets the same rule and wording in both languages: the
//! call sites of functions of the same name get the same diagnostics, the create API's
//! name and the separator of qualified names aside.

mod common;

use std::collections::BTreeMap;

use common::expect::{case_dirs, check_case};
use common::repo;
use serde_json::Value;

/// Function name → its sites' (rule code, message) pairs, sorted, the API written `<api>`
/// and qualified names with `.`.
type Answers = BTreeMap<String, Vec<(String, String)>>;

/// Where a site or a diagnostic is: path, line, column.
fn place(entry: &Value) -> (String, u64, u64) {
    (
        entry["path"].as_str().unwrap().to_string(),
        entry["line"].as_u64().unwrap(),
        entry["column"].as_u64().unwrap(),
    )
}

fn answers(report: &Value) -> Answers {
    let mut functions = BTreeMap::new();
    let mut out = Answers::new();
    for site in report["call_sites"].as_array().unwrap() {
        let at = place(site);
        let function = site["function"].as_str().unwrap().to_string();
        functions.insert(
            at,
            (function.clone(), site["api"].as_str().unwrap().to_string()),
        );
        out.entry(function).or_default();
    }
    for diagnostic in report["diagnostics"].as_array().unwrap() {
        let at = place(diagnostic);
        let Some((function, api)) = functions.get(&at) else {
            continue;
        };
        // Qualified names are written with each language's separator.
        // Qualified names are written with each language's separator.
        let message = diagnostic["message"]
            .as_str()
            .unwrap()
            .replace(api.as_str(), "<api>")
            .replace("::", ".");
        let code = diagnostic["code"].as_str().unwrap().to_string();
        out.entry(function.clone())
            .or_default()
            .push((code, message));
    }
    for list in out.values_mut() {
        list.sort();
    }
    out
}

#[test]
fn every_behaviour_reports_its_expectations_and_the_same_answers_in_both_languages() {
    let behaviours = case_dirs(&repo().join("fixtures/behaviours"));
    assert!(behaviours.len() >= 3, "expected the behaviour fixtures");
    let mut failures = Vec::new();
    let mut paired = 0;
    for behaviour in &behaviours {
        let name = behaviour.file_name().unwrap().to_string_lossy().to_string();
        let mut by_language = Vec::new();
        for language in ["python", "rust"] {
            let project = behaviour.join(language);
            assert!(
                project.is_dir(),
                "{name} has no {language} project: {}",
                project.display()
            );
            let (report, failure) = check_case(&format!("{name}/{language}"), &project);
            failures.extend(failure);
            by_language.push(answers(&report));
        }
        let (python, rust) = (&by_language[0], &by_language[1]);
        let shared: Vec<&String> = python.keys().filter(|f| rust.contains_key(*f)).collect();
        assert!(
            shared.len() >= 4,
            "{name}: too few functions written in both languages: {shared:?}"
        );
        paired += shared.len();
        for function in shared {
            if python[function] != rust[function] {
                failures.push(format!(
                    "{name}::{function} differs between languages:\n  python: {:?}\n  rust:   {:?}",
                    python[function], rust[function]
                ));
            }
        }
    }
    assert!(paired >= 20, "only {paired} paired functions");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn answers_tell_rules_and_wording_apart() {
    // The comparison itself can fail: another message for the same function differs.
    let site = |function: &str, line: u64| serde_json::json!({"path": "a", "line": line, "column": 1, "function": function, "api": "x.create"});
    let diagnostic = |line: u64, code: &str, message: &str| serde_json::json!({"path": "a", "line": line, "column": 1, "code": code, "message": message});
    let python = serde_json::json!({
        "call_sites": [site("f", 1)],
        "diagnostics": [diagnostic(1, "CL001", "`x.create` is called without it")],
    });
    let rust = serde_json::json!({
        "call_sites": [site("f", 1)],
        "diagnostics": [diagnostic(1, "CL002", "`x.create` is called without it")],
    });
    assert_ne!(answers(&python), answers(&rust));
    assert_eq!(
        answers(&python)["f"],
        vec![(
            "CL001".to_string(),
            "`<api>` is called without it".to_string()
        )]
    );
}
