//! CL008 `ttl-constant-undefined`: the shared constant is not defined, or is defined more
//! than once. Owns the rule's identity, doc and wording; `analysis::ttl` finds the
//! definitions.

use super::{Message, Rule, RuleCode, Severity};
use crate::facts::Language;

pub const RULE: Rule = Rule {
    code: RuleCode::CL008,
    code_text: "CL008",
    id: "ttl-constant-undefined",
    severity: Severity::Error,
    doc_file: "rules/CL008-ttl-constant-undefined.md",
    doc_text: include_str!("../../rules/CL008-ttl-constant-undefined.md"),
};

/// The `[ttl]` key that names the constant of a language.
pub fn config_key(language: Language) -> &'static str {
    match language {
        Language::Python => "python-constant",
        Language::Rust => "rust-constant",
    }
}

/// The definition a fix writes when the project has none: 23 hours, inside Stripe's window
/// with an hour to spare (CL003 warns near its ends), with the window's source.
pub fn definition_lines(name: &str, language: Language) -> Vec<String> {
    let comment = match language {
        Language::Python => "#",
        Language::Rust => "//",
    };
    let definition = match language {
        Language::Python => format!("{name} = 23 * 3600"),
        Language::Rust => format!("pub const {name}: i64 = 23 * 3600;"),
    };
    vec![
        format!("{comment} How long a Stripe Checkout Session stays open, in seconds: every session passes"),
        format!("{comment} `expires_at` = now + this. Stripe accepts 30 minutes to 24 hours"),
        format!("{comment} (https://docs.stripe.com/api/checkout/sessions/create)."),
        definition,
    ]
}

/// One of `count` definitions of `name`.
pub fn duplicated(name: &str, count: usize, language: Language) -> Message {
    Message::new(
        RuleCode::CL008,
        format!("the shared constant `{name}` is defined {count} times; there must be exactly one definition"),
        Some(format!(
            "keep one definition and import it everywhere else, or name the one you mean with `[ttl] {}`",
            config_key(language)
        )),
    )
}

/// A call passes `expires_at`, but no module of the language defines `name`.
pub fn undefined(name: &str, language: Language) -> Message {
    let example = match language {
        Language::Python => format!("`{name} = 60 * 60`"),
        Language::Rust => format!("`pub const {name}: i64 = 60 * 60;`"),
    };
    Message::new(
        RuleCode::CL008,
        format!(
            "`expires_at` is passed, but no {} module defines the shared constant `{name}`",
            language.as_str()
        ),
        Some(format!(
            "define it once at the top level of a config module ({example}) and import it, or set `[ttl] {}` in checkout-lint.toml",
            config_key(language)
        )),
    )
}

/// The constant named in `[ttl]` is not defined where it says.
pub fn configured_undefined(configured: &str, language: Language) -> Message {
    Message::new(
        RuleCode::CL008,
        format!("the configured constant `{configured}` is not defined at module level"),
        Some(match language {
            Language::Python => "check the module path and name in `[ttl] python-constant`; the module must be under a `[python] source-roots` directory".into(),
            Language::Rust => "check the path in `[ttl] rust-constant` (`crate::config::NAME`); the module path follows the file layout under `src/`".into(),
        }),
    )
}
