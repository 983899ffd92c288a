//! CL010 `stale-table`: the call-sites table in the configured runbook differs from the
//! code. Owns the rule's identity, doc and wording; `runbook::stale` compares the tables.

use super::{Rule, RuleCode, Severity};

pub const RULE: Rule = Rule {
    code: RuleCode::CL010,
    code_text: "CL010",
    id: "stale-table",
    severity: Severity::Error,
    doc_file: "rules/CL010-stale-table.md",
    doc_text: include_str!("../../rules/CL010-stale-table.md"),
};

/// The message: the document lists `rows` sites, the code has `sites`.
pub fn message(rel_path: &str, rows: usize, sites: usize, first_difference: usize) -> String {
    format!(
        "the call-sites table in `{rel_path}` is stale: it lists {rows} call site{}, the code has {sites}; first difference at line {first_difference}",
        if rows == 1 { "" } else { "s" },
    )
}

/// How to bring the document up to date.
pub fn help(rel_path: &str) -> String {
    format!(
        "run `checkout-lint table --write {rel_path}` and commit the result; `checkout-lint table --check {rel_path}` shows the diff"
    )
}
