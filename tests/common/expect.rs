//! The expectation check of the data-driven fixture tests (`tests/shapes.rs`,
//! `tests/rules.rs`): a case directory marks what must be reported with trailing
//! `# expect: CL001, sanctioned` comments (`// expect:` in Rust, `<!-- expect: CL010 -->` in
//! markdown) on the reported line; every other line must produce nothing.
//!
//! Owns the marker syntax and the comparison with a JSON report; knows nothing of which
//! cases exist or how they are snapshotted.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{check_json, repo};

/// What is reported, keyed by (path relative to the case, line): rule codes and
/// `sanctioned` for a sanctioned call site.
pub type Expectations = BTreeMap<(String, usize), BTreeSet<String>>;

/// The files of `dir` (recursively, sorted) that may carry `expect:` markers.
pub fn source_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            source_files(&path, out);
        } else if marker(&path).is_some() {
            out.push(path);
        }
    }
}

/// The opening text of an expectation in the file's comment syntax, and what closes it.
fn marker(path: &Path) -> Option<(&'static str, Option<&'static str>)> {
    match path.extension()?.to_str()? {
        "py" => Some(("# expect:", None)),
        "rs" => Some(("// expect:", None)),
        "md" => Some(("<!-- expect:", Some("-->"))),
        _ => None,
    }
}

/// Reads the `expect:` markers of a case. CL009 is keyed by file only (line 0): parse
/// errors are reported where the parser gives up.
pub fn expectations(case: &Path) -> Expectations {
    let mut files = Vec::new();
    source_files(case, &mut files);
    let mut expected = Expectations::new();
    for file in files {
        let rel = file
            .strip_prefix(case)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let (open, close) = marker(&file).expect("source_files keeps marked files only");
        let text = std::fs::read_to_string(&file).unwrap();
        for (i, line) in text.lines().enumerate() {
            let Some((_, spec)) = line.split_once(open) else {
                continue;
            };
            let spec = match close {
                Some(close) => spec.split_once(close).map_or(spec, |(spec, _)| spec),
                None => spec,
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

/// What a JSON report says, in the shape of [`Expectations`].
pub fn actual(report: &Value) -> Expectations {
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

/// Runs `check --format json` on the case directory `case` (absolute, inside the
/// repository) and compares the report with the case's markers. Returns the report and,
/// when they differ, a description of the difference headed by `name`.
pub fn check_case(name: &str, case: &Path) -> (Value, Option<String>) {
    let rel = case.strip_prefix(repo()).unwrap();
    let (_, report) = check_json(rel);
    let expected = expectations(case);
    let got = actual(&report);
    if expected == got {
        return (report, None);
    }
    let missing: Vec<_> = expected
        .iter()
        .filter(|(k, v)| got.get(*k) != Some(v))
        .collect();
    let extra: Vec<_> = got
        .iter()
        .filter(|(k, v)| expected.get(*k) != Some(v))
        .collect();
    let failure = format!(
        "{name}:\n  expected but not reported: {missing:?}\n  reported but not expected: {extra:?}"
    );
    (report, Some(failure))
}

/// The case directories under `root`, sorted.
pub fn case_dirs(root: &Path) -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    cases
}
