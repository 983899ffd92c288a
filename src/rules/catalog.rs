//! The rule documentation under `rules/`, embedded at build time: the single source for
//! `checkout-lint rule`, SARIF `rules[]` and the README's rule list.

use std::sync::OnceLock;

use serde::Deserialize;

use crate::facts::{RuleCode, Severity};

const RULE_FILES: [&str; 12] = [
    include_str!("../../rules/CL001-missing-expires-at.md"),
    include_str!("../../rules/CL002-expires-at-not-derived.md"),
    include_str!("../../rules/CL003-ttl-out-of-range.md"),
    include_str!("../../rules/CL004-expires-at-not-timestamp.md"),
    include_str!("../../rules/CL005-expires-at-not-integer.md"),
    include_str!("../../rules/CL006-naive-utc-timestamp.md"),
    include_str!("../../rules/CL007-unverifiable-call-site.md"),
    include_str!("../../rules/CL008-ttl-constant-undefined.md"),
    include_str!("../../rules/CL009-parse-error.md"),
    include_str!("../../rules/CL010-stale-table.md"),
    include_str!("../../rules/CL011-suppression-without-reason.md"),
    include_str!("../../rules/CL012-unused-suppression.md"),
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    code: String,
    id: String,
    severity: String,
    summary: String,
}

/// One rule's documentation.
#[derive(Debug)]
pub struct RuleDoc {
    pub code: RuleCode,
    pub severity: Severity,
    pub summary: String,
    /// The markdown body: what it does, why, examples, options, references.
    pub body: String,
}

fn parse(text: &'static str) -> Result<RuleDoc, String> {
    let rest = text.strip_prefix("+++\n").ok_or("missing opening +++")?;
    let (front, body) = rest.split_once("\n+++\n").ok_or("missing closing +++")?;
    let front: FrontMatter = toml::from_str(front).map_err(|e| e.to_string())?;
    let code = RuleCode::parse(&front.code).ok_or(format!("unknown code {}", front.code))?;
    if code.name() != front.id {
        return Err(format!(
            "{} has id {}, expected {}",
            front.code,
            front.id,
            code.name()
        ));
    }
    let severity = match front.severity.as_str() {
        "error" => Severity::Error,
        "warning" => Severity::Warning,
        other => return Err(format!("bad severity {other}")),
    };
    Ok(RuleDoc {
        code,
        severity,
        summary: front.summary,
        body: body.trim().to_string(),
    })
}

/// All rule docs, in code order. The files are part of the binary and a test parses all of
/// them, so a malformed file is a build defect.
pub fn rules() -> &'static [RuleDoc] {
    static RULES: OnceLock<Vec<RuleDoc>> = OnceLock::new();
    RULES.get_or_init(|| {
        RULE_FILES
            .iter()
            .map(|t| parse(t).expect("rules/*.md front matter is valid (tested)"))
            .collect()
    })
}

pub fn rule(code: RuleCode) -> &'static RuleDoc {
    &rules()[code as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_file_parses_in_order() {
        for (i, text) in RULE_FILES.iter().enumerate() {
            let doc = parse(text).unwrap_or_else(|e| panic!("rule file {i}: {e}"));
            assert_eq!(doc.code, RuleCode::ALL[i]);
            for section in [
                "## What it does",
                "## Why is this bad?",
                "## Example",
                "Use instead:",
            ] {
                assert!(
                    doc.body.contains(section),
                    "{} lacks {section}",
                    doc.code.code()
                );
            }
        }
    }

    #[test]
    fn severities_match_spec() {
        for doc in rules() {
            let expected = if doc.code == RuleCode::CL012 {
                Severity::Warning
            } else {
                Severity::Error
            };
            assert_eq!(doc.severity, expected, "{}", doc.code.code());
        }
    }
}
