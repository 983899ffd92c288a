//! `check --statistics`: how many findings each rule has, most first (as ruff's), as text
//! or, with `--format json`, as a JSON array of `{code, name, count}`.

use serde_json::{json, Value};

use crate::analysis::Outcome;
use crate::rules::RuleCode;

/// Rules with at least one reported finding and their counts, most first, then by code.
pub fn counts(outcome: &Outcome) -> Vec<(RuleCode, usize)> {
    let mut counts: Vec<(RuleCode, usize)> = Vec::new();
    for d in &outcome.diagnostics {
        match counts.iter_mut().find(|(rule, _)| *rule == d.rule) {
            Some((_, n)) => *n += 1,
            None => counts.push((d.rule, 1)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    counts
}

/// `count<TAB>code<TAB>id`, one line per rule, counts right-aligned.
pub fn text(outcome: &Outcome) -> String {
    let counts = counts(outcome);
    let width = counts.first().map_or(1, |(_, n)| n.to_string().len());
    counts
        .iter()
        .map(|(rule, n)| format!("{n:>width$}\t{}\t{}\n", rule.code(), rule.name()))
        .collect()
}

/// The JSON twin of `text`.
pub fn json(outcome: &Outcome) -> String {
    let rows: Vec<Value> = counts(outcome)
        .iter()
        .map(|(rule, n)| json!({"code": rule.code(), "name": rule.name(), "count": n}))
        .collect();
    let mut text =
        serde_json::to_string_pretty(&Value::Array(rows)).expect("a Value always serialises");
    text.push('\n');
    text
}
