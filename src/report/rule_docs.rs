//! `checkout-lint rule`: the list of rules, and one rule's documentation, as text.

use crate::rules::{self, RuleCode};

/// One line per rule: code, id, severity, summary.
pub fn list() -> String {
    rules::docs()
        .iter()
        .map(|doc| {
            format!(
                "{}  {:<28} {:<8} {}\n",
                doc.code.code(),
                doc.code.name(),
                doc.severity.as_str(),
                doc.summary
            )
        })
        .collect()
}

/// One rule's documentation, as markdown.
pub fn explain(code: RuleCode) -> String {
    let doc = rules::doc(code);
    format!(
        "# {} {} ({})\n\n{}\n\n{}\n",
        doc.code.code(),
        doc.code.name(),
        doc.severity.as_str(),
        doc.summary,
        doc.body
    )
}
