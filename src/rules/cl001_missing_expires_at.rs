//! CL001 `missing-expires-at`: a call site passes no `expires_at`, so the session gets
//! Stripe's default expiry of 24 hours. Owns the rule's identity, doc and wording; the
//! analysis decides which sites pass nothing.

use super::{Message, Rule, RuleCode, Severity};
use crate::facts::Language;

pub const RULE: Rule = Rule {
    code: RuleCode::CL001,
    code_text: "CL001",
    id: "missing-expires-at",
    severity: Severity::Error,
    doc_file: "rules/CL001-missing-expires-at.md",
    doc_text: include_str!("../../rules/CL001-missing-expires-at.md"),
};

/// Why a fix that passes an existing constant is unsafe.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Caveat {
    /// The constant is outside Stripe's window (CL003): passing it breaks the call.
    OutOfRange,
    /// The only definition is a test's or a script's.
    OtherPackage,
}

/// What the fix of a call that passes nothing does: pass `argument`, import what the file
/// lacks, and define the constant in `defined_in` when nothing defines it.
pub fn fix_message(
    argument: &str,
    imports: &[String],
    defined_in: Option<(&str, &str)>,
    caveat: Option<Caveat>,
) -> String {
    let mut message = format!("pass `{argument}`");
    if !imports.is_empty() {
        message.push_str(&format!(", import `{}`", imports.join("` and `")));
    }
    if let Some((path, name)) = defined_in {
        message.push_str(&format!(
            ", and define `{name}` (23 hours) in `{path}`: the project has no shared TTL constant yet"
        ));
    }
    match caveat {
        Some(Caveat::OutOfRange) => message.push_str(
            " (unsafe: the constant is outside Stripe's window, see CL003; correct it first)",
        ),
        Some(Caveat::OtherPackage) => message.push_str(
            " (unsafe: the constant's only definition is a test's or a script's; move it to the settings module)",
        ),
        None => {}
    }
    message
}

/// Why `--fix` alone leaves CL001 in a project without the constant, and the ways on.
pub fn unsafe_fix_note() -> &'static str {
    "the CL001 fixes wait on the shared TTL constant, which nothing defines yet: `--unsafe-fixes` defines it (23 hours) in the settings module and passes it at every site; or define it yourself, and the CL001 fixes become safe"
}

/// Where the project defines the shared TTL constant, as the analysis found it.
pub struct SharedConstant<'a> {
    /// The constant's name (`CHECKOUT_SESSION_TTL_SECONDS`, or the configured one's).
    pub name: &'a str,
    /// Its definitions, qualified (`app.config.CHECKOUT_SESSION_TTL_SECONDS`).
    pub defined: &'a [String],
    /// The qualified name `[ttl]` configures, if any.
    pub configured: Option<&'a str>,
}

/// The call passes no `expires_at`; `sanctioned` is what to pass instead, and the help names
/// the constant it uses: where it is defined, or how to create it when nothing defines it.
pub fn missing(
    api: &str,
    sanctioned: &str,
    language: Language,
    constant: &SharedConstant,
) -> Message {
    let (declaration, code) = match language {
        Language::Python => (format!("{} = 23 * 3600", constant.name), "Python"),
        Language::Rust => (
            format!("pub const {}: i64 = 23 * 3600;", constant.name),
            "Rust",
        ),
    };
    let help = match (constant.defined, constant.configured) {
        ([one], _) => format!("pass `{sanctioned}`, with the shared TTL constant `{one}`"),
        ([], Some(configured)) => format!(
            "define the shared TTL constant `{configured}` that `[ttl]` names (nothing defines it yet), e.g. `{declaration}`, then pass `{sanctioned}`"
        ),
        ([], None) => format!(
            "the project's {code} code defines no shared TTL constant yet: define one in a settings module, e.g. `{declaration}` (Stripe accepts 30 minutes to 24 hours), import it here and pass `{sanctioned}`"
        ),
        (several, _) => format!(
            "pass `{sanctioned}`, with the shared TTL constant (defined {} times: `{}`; keep one, see CL008)",
            several.len(),
            several.join("`, `")
        ),
    };
    Message::new(
        RuleCode::CL001,
        format!("`{api}` is called without `expires_at`, so the session expires 24 hours after creation (Stripe's default)"),
        Some(help),
    )
}

/// The call's parameters come from a project helper's mapping, which has no `expires_at`.
pub fn missing_in_mapping(api: &str, helper: &str, constant: &str) -> Message {
    Message::new(
        RuleCode::CL001,
        format!("`{api}` is called without `expires_at` (the mapping from `{helper}` has none)"),
        Some(format!(
            "add `\"expires_at\": int(time.time()) + {constant}` to the mapping"
        )),
    )
}

/// A raw POST sends a JSON body, which Stripe's form-encoded v1 API never reads.
pub fn json_body() -> Message {
    Message::new(
        RuleCode::CL001,
        "this POST sends a JSON body, but Stripe's v1 API reads form-encoded parameters, so the body's `expires_at` is never applied".into(),
        Some("send the parameters form-encoded (`.form(&params)`), as every Stripe v1 endpoint expects".into()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn help(defined: &[String], configured: Option<&str>, language: Language) -> String {
        let constant = SharedConstant {
            name: "CHECKOUT_SESSION_TTL_SECONDS",
            defined,
            configured,
        };
        missing("create", "expires_at=X", language, &constant)
            .help
            .expect("CL001 always helps")
    }

    #[test]
    fn help_names_the_constant_that_exists_or_says_how_to_create_it() {
        let one = ["app.config.CHECKOUT_SESSION_TTL_SECONDS".to_string()];
        assert!(help(&one, None, Language::Python)
            .contains("`app.config.CHECKOUT_SESSION_TTL_SECONDS`"));
        let none = help(&[], None, Language::Python);
        assert!(
            none.contains("define one")
                && none.contains("`CHECKOUT_SESSION_TTL_SECONDS = 23 * 3600`"),
            "{none}"
        );
        let rust = help(&[], None, Language::Rust);
        assert!(
            rust.contains("`pub const CHECKOUT_SESSION_TTL_SECONDS: i64 = 23 * 3600;`"),
            "{rust}"
        );
        let configured = help(&[], Some("app.settings.TTL"), Language::Python);
        assert!(configured.contains("`app.settings.TTL`"), "{configured}");
        let two = ["a.X".to_string(), "b.X".to_string()];
        assert!(help(&two, None, Language::Python).contains("`a.X`, `b.X`"));
    }
}
