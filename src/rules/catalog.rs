//! The rule documentation under `rules/`, parsed from the text each rule embeds: the single
//! source for `checkout-lint rule`, SARIF `rules[]` and the README's rule list.

use std::sync::OnceLock;

use serde::Deserialize;

use super::{Rule, RuleCode, Severity, ALL};

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

/// Parses a rule's doc; its front matter must agree with the rule's own identity.
fn parse(rule: &Rule) -> Result<RuleDoc, String> {
    let text = rule.doc_text;
    let rest = text.strip_prefix("+++\n").ok_or("missing opening +++")?;
    let (front, body) = rest.split_once("\n+++\n").ok_or("missing closing +++")?;
    let front: FrontMatter = toml::from_str(front).map_err(|e| e.to_string())?;
    if front.code != rule.code_text || front.id != rule.id {
        return Err(format!(
            "{} says {} {}, the rule is {} {}",
            rule.doc_file, front.code, front.id, rule.code_text, rule.id
        ));
    }
    if front.severity != rule.severity.as_str() {
        return Err(format!(
            "{} says severity {}, the rule's is {}",
            rule.doc_file,
            front.severity,
            rule.severity.as_str()
        ));
    }
    Ok(RuleDoc {
        code: rule.code,
        severity: rule.severity,
        summary: front.summary,
        body: body.trim().to_string(),
    })
}

/// All rule docs, in code order. The texts are part of the binary and a test parses all of
/// them, so a malformed one is a build defect.
pub fn docs() -> &'static [RuleDoc] {
    static DOCS: OnceLock<Vec<RuleDoc>> = OnceLock::new();
    DOCS.get_or_init(|| {
        ALL.iter()
            .map(|rule| parse(rule).expect("rules/*.md front matter is valid (tested)"))
            .collect()
    })
}

/// One rule's doc.
pub fn doc(code: RuleCode) -> &'static RuleDoc {
    &docs()[code as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_doc_parses_and_has_its_sections() {
        for rule in ALL {
            let doc = parse(rule).unwrap_or_else(|e| panic!("{}: {e}", rule.doc_file));
            for section in [
                "## What it does",
                "## Why is this bad?",
                "## Example",
                "Use instead:",
            ] {
                assert!(
                    doc.body.contains(section),
                    "{} lacks {section}",
                    rule.doc_file
                );
            }
        }
    }

    #[test]
    fn severities_match_spec() {
        for doc in docs() {
            let expected = if doc.code == RuleCode::CL012 {
                Severity::Warning
            } else {
                Severity::Error
            };
            assert_eq!(doc.severity, expected, "{}", doc.code.code());
        }
    }
}
