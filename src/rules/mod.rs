//! The rules of SPEC §6, one file per rule. Each file owns its rule's code, id, default
//! severity, documentation (`rules/CLnnn-id.md`, embedded at build time) and the wording of
//! what it reports; [`ALL`] registers them in code order.
//!
//! The analysis decides *where* a rule applies (it evaluates values, follows the project)
//! and asks the rule *what* that means and what to say; reporters read the registry for ids,
//! severities and docs. Nothing here knows syntax, files or output formats.

mod catalog;
pub mod cl001_missing_expires_at;
pub mod cl002_expires_at_not_derived;
pub mod cl003_ttl_out_of_range;
pub mod cl004_expires_at_not_timestamp;
pub mod cl005_expires_at_not_integer;
pub mod cl006_naive_utc_timestamp;
pub mod cl007_unverifiable_call_site;
pub mod cl008_ttl_constant_undefined;
pub mod cl009_parse_error;
pub mod cl010_stale_table;
pub mod cl011_suppression_without_reason;
pub mod cl012_unused_suppression;
mod value;

pub use catalog::{doc, docs, RuleDoc};
pub use value::judge_value;

use crate::facts::fix::ValueFix;

/// The repository's address, from Cargo.toml `repository`.
pub const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

/// Every rule, in code order: the one list a new rule is added to.
pub const ALL: [&Rule; 12] = [
    &cl001_missing_expires_at::RULE,
    &cl002_expires_at_not_derived::RULE,
    &cl003_ttl_out_of_range::RULE,
    &cl004_expires_at_not_timestamp::RULE,
    &cl005_expires_at_not_integer::RULE,
    &cl006_naive_utc_timestamp::RULE,
    &cl007_unverifiable_call_site::RULE,
    &cl008_ttl_constant_undefined::RULE,
    &cl009_parse_error::RULE,
    &cl010_stale_table::RULE,
    &cl011_suppression_without_reason::RULE,
    &cl012_unused_suppression::RULE,
];

/// A rule's identity and documentation.
#[derive(Debug)]
pub struct Rule {
    pub code: RuleCode,
    /// `CL001`: what users type in `--select`, baselines and suppressions.
    pub code_text: &'static str,
    /// `missing-expires-at`: the name of the pattern it catches.
    pub id: &'static str,
    pub severity: Severity,
    /// The documentation's path in the repository (`rules/CL001-missing-expires-at.md`).
    pub doc_file: &'static str,
    /// The documentation: TOML front matter between `+++` lines, then markdown.
    pub doc_text: &'static str,
}

/// A rule code; its index is its place in [`ALL`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RuleCode {
    CL001,
    CL002,
    CL003,
    CL004,
    CL005,
    CL006,
    CL007,
    CL008,
    CL009,
    CL010,
    CL011,
    CL012,
}

impl RuleCode {
    pub const ALL: [RuleCode; 12] = {
        let mut codes = [RuleCode::CL001; 12];
        let mut i = 0;
        while i < 12 {
            codes[i] = ALL[i].code;
            i += 1;
        }
        codes
    };

    pub fn rule(self) -> &'static Rule {
        ALL[self as usize]
    }

    /// `CL001`.
    pub fn code(self) -> &'static str {
        self.rule().code_text
    }

    /// `missing-expires-at`.
    pub fn name(self) -> &'static str {
        self.rule().id
    }

    /// The rule's documentation page: its file in the repository (Cargo.toml `repository`,
    /// the one place the address is written) at this version's release tag.
    pub fn url(self) -> String {
        format!(
            "{REPOSITORY}/blob/v{}/{}",
            env!("CARGO_PKG_VERSION"),
            self.rule().doc_file
        )
    }

    /// Accepts a code (`CL001`, any case) or a rule id (`missing-expires-at`).
    pub fn parse(text: &str) -> Option<RuleCode> {
        let text = text.trim();
        ALL.iter()
            .find(|r| r.code_text.eq_ignore_ascii_case(text) || r.id == text)
            .map(|r| r.code)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// What a rule says at one place: the message, and what to write instead.
#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    pub rule: RuleCode,
    pub severity: Severity,
    pub text: String,
    pub help: Option<String>,
    /// How `--fix` rewrites the value objected to, when the rule knows the intent.
    pub value_fix: Option<ValueFix>,
}

impl Message {
    /// A message of `rule`, at the rule's default severity.
    pub fn new(rule: RuleCode, text: String, help: Option<String>) -> Message {
        Message {
            rule,
            severity: rule.rule().severity,
            text,
            help,
            value_fix: None,
        }
    }

    /// The same message, with the fix of the value it objects to.
    pub fn fixed_by(self, value_fix: ValueFix) -> Message {
        Message {
            value_fix: Some(value_fix),
            ..self
        }
    }
}

/// What the help of a value rule names: the shared constant, and the sanctioned expression
/// in the site's language.
pub struct ValueContext<'a> {
    pub constant: &'a str,
    pub now_plus_ttl: &'a str,
}

impl ValueContext<'_> {
    fn derive_help(&self) -> String {
        format!(
            "compute it at call time from the shared constant: `{}`",
            self.now_plus_ttl
        )
    }

    fn add_help(&self) -> String {
        format!(
            "add the duration to the current time: `{}`",
            self.now_plus_ttl
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_registry_is_in_code_order_and_each_rule_names_itself() {
        for (i, rule) in ALL.iter().enumerate() {
            assert_eq!(rule.code as usize, i, "{} is out of order", rule.code_text);
            assert_eq!(format!("{:?}", rule.code), rule.code_text);
            assert_eq!(
                rule.doc_file,
                format!("rules/{}-{}.md", rule.code_text, rule.id),
                "the doc file is named after the rule"
            );
        }
    }

    #[test]
    fn each_rule_url_is_its_doc_file_at_the_release_tag() {
        assert!(REPOSITORY.starts_with("https://"), "{REPOSITORY}");
        let version = env!("CARGO_PKG_VERSION");
        for rule in ALL {
            assert_eq!(
                rule.code.url(),
                format!("{REPOSITORY}/blob/v{version}/{}", rule.doc_file)
            );
        }
    }

    #[test]
    fn codes_and_ids_parse_back() {
        for code in RuleCode::ALL {
            assert_eq!(RuleCode::parse(code.code()), Some(code));
            assert_eq!(RuleCode::parse(&code.code().to_lowercase()), Some(code));
            assert_eq!(RuleCode::parse(code.name()), Some(code));
        }
        assert_eq!(RuleCode::parse("CL013"), None);
        assert_eq!(RuleCode::parse("missing"), None);
    }
}
