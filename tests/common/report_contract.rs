//! The contract of `check --format json` (SPEC §6-§7), checked from inside the repository.
//! The shape (keys, types, enums, code/rule pairs, path and position rules) is the JSON
//! Schema `tests/data/report.schema.json`; the rules that tie fields together (call-site
//! order, a status's rules and reason, summary counts, integers written as integers) are
//! here. It reads only the report's JSON: it must not know how the tool builds it.

use std::sync::OnceLock;

use serde_json::Value;

/// Every way `report` breaks the contract, one line each; empty when it honours it.
pub fn problems(report: &[u8]) -> Vec<String> {
    let report: Value = match serde_json::from_slice(report) {
        Ok(report) => report,
        Err(e) => return vec![format!("not JSON: {e}")],
    };
    let (schema, validator) = schema();
    let mut problems: Vec<String> = validator
        .iter_errors(&report)
        .map(|e| describe(schema, &e))
        .collect();
    cross_field(&report, &mut problems);
    problems
}

/// The schema as JSON (to look up descriptions) and compiled, built once per test binary.
fn schema() -> &'static (Value, jsonschema::Validator) {
    static SCHEMA: OnceLock<(Value, jsonschema::Validator)> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let schema: Value = serde_json::from_str(include_str!("../data/report.schema.json"))
            .expect("the report schema is JSON");
        let validator = jsonschema::validator_for(&schema).expect("the report schema compiles");
        (schema, validator)
    })
}

/// `where: what` for a schema error, followed by the `description` of the nearest
/// subschema that has one (below the root), which says the rule in words: the bare error
/// of a `not` or `const` names no rule.
fn describe(schema: &Value, e: &jsonschema::ValidationError<'_>) -> String {
    let place = e.instance_path().to_string();
    let place = if place.is_empty() {
        "top level".to_string()
    } else {
        place
    };
    let mut pointer = e.schema_path().to_string();
    let mut why = None;
    while let Some(cut) = pointer.rfind('/') {
        pointer.truncate(cut);
        if pointer.is_empty() {
            break;
        }
        if let Some(text) = schema
            .pointer(&pointer)
            .and_then(|s| s.get("description"))
            .and_then(Value::as_str)
        {
            why = Some(text);
            break;
        }
    }
    match why {
        Some(why) => format!("{place}: {e} ({why})"),
        None => format!("{place}: {e}"),
    }
}

const POSITIONS: [&str; 4] = ["line", "column", "end_line", "end_column"];
const SUMMARY_COUNTS: [&str; 6] = [
    "files_scanned",
    "files_parsed",
    "call_sites",
    "errors",
    "warnings",
    "elapsed_ms",
];

/// The rules a schema cannot state. Fields of the wrong shape are the schema's to report;
/// here they are skipped.
fn cross_field(report: &Value, problems: &mut Vec<String>) {
    let no_rows = Vec::new();
    let diagnostics = report["diagnostics"].as_array().unwrap_or(&no_rows);
    let sites = report["call_sites"].as_array().unwrap_or(&no_rows);
    for (i, d) in diagnostics.iter().enumerate() {
        whole_numbers(&format!("/diagnostics/{i}"), d, &POSITIONS, problems);
    }
    for (i, s) in sites.iter().enumerate() {
        let place = format!("/call_sites/{i}");
        whole_numbers(&place, s, &POSITIONS[..2], problems);
        status_agrees(&place, s, problems);
    }
    sorted(sites, problems);
    let summary = &report["summary"];
    whole_numbers("/summary", summary, &SUMMARY_COUNTS, problems);
    let severity = |level: &str| {
        diagnostics
            .iter()
            .filter(|d| d["severity"] == level)
            .count()
    };
    for (key, listed, what) in [
        ("call_sites", sites.len(), "call sites"),
        ("errors", severity("error"), "error diagnostics"),
        ("warnings", severity("warning"), "warning diagnostics"),
    ] {
        if let Some(count) = summary[key].as_u64() {
            if count != listed as u64 {
                problems.push(format!(
                    "/summary/{key}: {count} but {listed} {what} listed"
                ));
            }
        }
    }
}

/// JSON Schema's `integer` admits `1.0` (other fractions are the schema's to report); the
/// contract's counts and positions are written as integers.
fn whole_numbers(place: &str, row: &Value, keys: &[&str], problems: &mut Vec<String>) {
    for key in keys {
        let written_as_float =
            |v: &&Value| v.is_f64() && v.as_f64().is_some_and(|f| f.fract() == 0.0);
        if let Some(n) = row.get(*key).filter(written_as_float) {
            problems.push(format!("{place}/{key}: {n} must be written as an integer"));
        }
    }
}

/// A sanctioned site lists no rules, a violation names at least one, a suppressed site
/// gives its reason.
fn status_agrees(place: &str, site: &Value, problems: &mut Vec<String>) {
    let rules = site["rules"].as_array().map_or(0, Vec::len);
    let problem = match site["status"].as_str() {
        Some("sanctioned") if rules > 0 => {
            format!("a sanctioned site lists rules {}", site["rules"])
        }
        Some("violation") if rules == 0 => "a violation names no rule".to_string(),
        Some("suppressed") if site["suppressed"].as_str().is_none_or(str::is_empty) => {
            "a suppressed site gives no reason in 'suppressed'".to_string()
        }
        _ => return,
    };
    problems.push(format!("{place}: {problem}"));
}

/// Call sites are sorted by path, then line, then column (SPEC §7).
fn sorted(sites: &[Value], problems: &mut Vec<String>) {
    let keys: Vec<(&str, u64, u64)> = sites
        .iter()
        .map(|s| {
            let number = |key: &str| s[key].as_u64().unwrap_or(0);
            (
                s["path"].as_str().unwrap_or(""),
                number("line"),
                number("column"),
            )
        })
        .collect();
    for (i, pair) in keys.windows(2).enumerate() {
        let (path, line, column) = pair[0];
        if pair[0] > pair[1] {
            problems.push(format!(
                "/call_sites/{}: not sorted by path, line, column (comes after {path}:{line}:{column})",
                i + 1
            ));
        }
    }
}
