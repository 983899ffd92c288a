//! CL007 `unverifiable-call-site`: a call may create a Checkout Session, but its arguments
//! cannot be followed (they come from a parameter, a helper the tool cannot read, dynamic
//! dispatch). Owns the rule's identity, doc and wording: the message names what could not be
//! followed (from the `Unseen` fact a front end or the analysis gives), in one line; the help
//! says how to make the site verifiable, or how to suppress it with a reason.

use super::{Message, Rule, RuleCode, Severity};
use crate::facts::{BuilderOrigin, Change, ComprehensionGap, FormStructGap, Language, Unseen};

pub const RULE: Rule = Rule {
    code: RuleCode::CL007,
    code_text: "CL007",
    id: "unverifiable-call-site",
    severity: Severity::Error,
    doc_file: "rules/CL007-unverifiable-call-site.md",
    doc_text: include_str!("../../rules/CL007-unverifiable-call-site.md"),
};

const TOOL: &str = "checkout-lint";

/// The arguments cannot be followed: `unseen` says what stands in the way.
pub fn unresolved(unseen: &Unseen, language: Language) -> Message {
    Message::new(
        RuleCode::CL007,
        format!("this call site cannot be verified: {}", what(unseen)),
        Some(format!("{}; {}", remedy(unseen), suppress(language))),
    )
}

/// The arguments come from a parameter of the enclosing function, whose callers are not
/// judged in its place.
pub fn forwarded(language: Language) -> Message {
    Message::new(
        RuleCode::CL007,
        "this call site cannot be verified: its arguments come from a parameter".into(),
        Some(format!(
            "call this function from the project, so that each call is judged where its arguments are built, or set `expires_at` in it before the call; {}",
            suppress(language)
        )),
    )
}

/// How to silence the site when it is safe for a reason the tool cannot see.
fn suppress(language: Language) -> String {
    let comment = match language {
        Language::Python => "#",
        Language::Rust => "//",
    };
    format!(
        "or, if it is safe, say why: `{comment} {TOOL}: ignore[CL007] reason: <why it is safe>`"
    )
}

/// What could not be followed, as the message says it.
fn what(unseen: &Unseen) -> String {
    match unseen {
        Unseen::Parameter { name, function } => {
            format!("the parameters come from `{name}`, a parameter of `{function}`")
        }
        Unseen::MethodParameter {
            name,
            enclosing: false,
        } => format!(
            "the arguments come from `{name}`, a parameter of a method or a nested function, whose callers cannot be followed"
        ),
        Unseen::MethodParameter {
            name,
            enclosing: true,
        } => format!(
            "the arguments come from `{name}`, a parameter of an enclosing function, whose callers cannot be followed"
        ),
        Unseen::UncalledWrapper { wrapper, api } => format!(
            "`{wrapper}` forwards its arguments into `{api}`, and nothing in the project calls it"
        ),
        Unseen::Local { name } => format!("{TOOL} cannot see how `{name}` is built in this function"),
        Unseen::Imported { name } => {
            format!("the arguments come from `{name}`, imported from another module")
        }
        Unseen::Undefined { name } => {
            format!("the arguments come from `{name}`, which this file does not define")
        }
        Unseen::BoundBy { name, how } => format!("the arguments come from `{name}`, bound by {how}"),
        Unseen::NotAMapping { name } => {
            format!("the arguments come from `{name}`, which is not a mapping")
        }
        Unseen::Expression { excerpt } => format!("the arguments come from `{excerpt}`"),
        Unseen::Changed { name, how } => match how {
            Change::ItemDeleted => format!("an item is deleted from `{name}`"),
            Change::ComputedKeySet => format!("an item with a computed key is set on `{name}`"),
            Change::ItemsRemoved => format!("items are removed from `{name}`"),
            Change::GrownByCall => format!("`{name}` is grown by a call"),
            Change::PassedTo { callee } => format!("`{name}` is passed to `{callee}()`"),
            Change::InNestedFunction { function: Some(function) } => {
                format!("`{name}` is changed by the nested function `{function}`")
            }
            Change::InNestedFunction { function: None } => {
                format!("`{name}` is changed by a lambda")
            }
            Change::Stored { place } => {
                format!("`{name}` is stored in {place}, where other code may change it")
            }
            Change::Lent => format!("`{name}` is lent out mutably (`&mut {name}`)"),
            Change::RunLater { what } => format!("`{name}` is changed by {what}"),
            Change::FieldMethod { field, method } => {
                format!("`{name}.{field}` is changed by `.{method}()`")
            }
            Change::EveryRound => format!("`{name}` changes on every round of a loop"),
            Change::AfterNestedDefinition => format!(
                "`{name}` is changed after the nested function that reads it is defined, and the function may run later"
            ),
            Change::BeforeForward => format!(
                "`{name}`, a parameter, is changed before it is passed on, so its callers' arguments are not what the call receives"
            ),
            Change::FieldLent { field, to: Some(callee) } => {
                format!("`{name}.{field}` is passed to `{callee}()` mutably")
            }
            Change::FieldLent { field, to: None } => {
                format!("`{name}.{field}` is lent out mutably (`&mut {name}.{field}`)")
            }
        },
        Unseen::ComputedKey { excerpt } => format!("a key is computed at run time (`{excerpt}`)"),
        Unseen::NotAPair { excerpt } => format!("`{excerpt}` is not a (key, value) pair"),
        Unseen::TooDeep { excerpt } => format!("`{excerpt}` is nested too deeply to follow"),
        Unseen::Overwritten { by: Some(by) } => format!(
            "`expires_at` is set, but may be overwritten afterwards: {}",
            what(by)
        ),
        Unseen::Overwritten { by: None } => {
            "`expires_at` is set, but may be overwritten by a mapping merged in afterwards".into()
        }
        Unseen::Helper { name, known: false } => format!(
            "the arguments come from `{name}`, which is not a project function {TOOL} can follow"
        ),
        Unseen::Helper { name, known: true } => format!(
            "the arguments come from `{name}`, which does not return a mapping {TOOL} can read"
        ),
        Unseen::HelperForwards { name } => format!("`{name}` returns a mapping built elsewhere"),
        Unseen::CreateAsValue { written } => format!(
            "`{written}` is passed on as a value, so the arguments it is called with cannot be followed"
        ),
        Unseen::Builder { excerpt, from } => builder(excerpt, from),
        Unseen::Macro { name } => format!(
            "it is inside the macro `{name}!`, whose arguments are not Rust code {TOOL} can read"
        ),
        Unseen::Body { excerpt } => format!("{TOOL} cannot read the body `{excerpt}`"),
        Unseen::BodyRest => "the form struct takes its remaining fields from elsewhere".into(),
        Unseen::FormatBody => format!("the `format!` body has no format string {TOOL} can read"),
        Unseen::FormatPlaceholder { param } => {
            format!("the `{param}` placeholder of the `format!` body has no argument")
        }
        Unseen::BodyDiffers => {
            "the request's body differs between the paths to where it is sent".into()
        }
        Unseen::BuiltOnSomePaths => "the request is built on some paths only".into(),
        Unseen::SentElsewhere => {
            format!("the request is built here but sent where {TOOL} cannot follow")
        }
        Unseen::FormStruct { name, gap } => form_struct(name, gap),
        Unseen::Comprehension { over, gap } => comprehension(over.as_deref(), gap),
    }
}

/// A request builder whose type nothing declares.
fn builder(excerpt: &str, from: &BuilderOrigin) -> String {
    match from {
        BuilderOrigin::Unknown => format!("{TOOL} cannot see which request the builder `{excerpt}` is"),
        BuilderOrigin::Parameter { function } => format!(
            "the builder `{excerpt}` is a parameter of `{function}` whose type does not say which request it is"
        ),
        BuilderOrigin::Field => {
            format!("the builder `{excerpt}` is a field whose type {TOOL} cannot see")
        }
        BuilderOrigin::Returned { written } => format!(
            "the builder comes from `{written}`, whose return type does not say which request it is"
        ),
        BuilderOrigin::Alias { ty } => format!(
            "{TOOL} cannot see which request the builder `{excerpt}` is: `{ty}` may be an alias of the create's parameters"
        ),
        BuilderOrigin::Elsewhere => format!(
            "the builder `{excerpt}` is built where {TOOL} cannot follow (a helper's return value, a field)"
        ),
    }
}

/// How to make the site verifiable.
fn remedy(unseen: &Unseen) -> String {
    match unseen {
        Unseen::Parameter { .. } => {
            "set `expires_at` on the parameters in this function before the call, or build them here".into()
        }
        Unseen::MethodParameter { .. } => {
            "set `expires_at` in this function before the call, or make it a module-level function the project calls, so that each call is judged".into()
        }
        Unseen::UncalledWrapper { wrapper, .. } => format!(
            "call `{wrapper}` from the project, so that each call is judged where its arguments are built, or set `expires_at` inside it"
        ),
        Unseen::Overwritten { .. } => {
            "set `expires_at` after the last change to the parameters, just before the call".into()
        }
        Unseen::Helper { name, .. } | Unseen::HelperForwards { name } => format!(
            "make `{name}` return a mapping literal with `expires_at`, or set `expires_at` after calling it"
        ),
        Unseen::CreateAsValue { written } => {
            format!("call `{written}` directly, with parameters built in the same function")
        }
        Unseen::Builder { .. } => {
            "build the request in the function that sends it, or declare its type where it comes from (a request declared as another type than `CreateCheckoutSession` is not a site)".into()
        }
        Unseen::Macro { .. } => format!("make the create call outside the macro, in code {TOOL} can read"),
        Unseen::Body { .. }
        | Unseen::BodyRest
        | Unseen::FormatBody
        | Unseen::FormatPlaceholder { .. } => {
            "build the form in the function that sends it, from literal keys that include `expires_at`".into()
        }
        Unseen::BodyDiffers | Unseen::BuiltOnSomePaths | Unseen::SentElsewhere => {
            "build and send the request in one function, with the same body on every path".into()
        }
        Unseen::FormStruct { .. } => {
            "send a `#[derive(Serialize)]` struct of the project, built where it is sent, with serde attributes that keep its keys readable (`rename`, `rename_all`, `skip`)".into()
        }
        Unseen::Comprehension { .. } => {
            "build the parameters from literal keys, or a single `for` over literal (key, value) pairs that keeps every key".into()
        }
        Unseen::Local { .. }
        | Unseen::Imported { .. }
        | Unseen::Undefined { .. }
        | Unseen::BoundBy { .. }
        | Unseen::NotAMapping { .. }
        | Unseen::Expression { .. }
        | Unseen::Changed { .. }
        | Unseen::ComputedKey { .. }
        | Unseen::NotAPair { .. }
        | Unseen::TooDeep { .. } => {
            "build the parameters in the function that makes the call, with literal keys, or set `expires_at` just before it".into()
        }
    }
}

fn form_struct(name: &str, gap: &FormStructGap) -> String {
    match gap {
        FormStructGap::NotSerialize => format!(
            "the form struct `{name}` is not a `#[derive(Serialize)]` struct of the project, so {TOOL} cannot read its keys"
        ),
        FormStructGap::NotFound => format!(
            "{TOOL} finds no `#[derive(Serialize)]` struct `{name}` in the project, so it cannot read the form's keys"
        ),
        FormStructGap::TooDeep => format!("the form struct `{name}` nests forms too deeply to follow"),
        FormStructGap::Attribute { attribute } => {
            format!("{TOOL} cannot read the form struct `{name}`: {attribute}")
        }
        FormStructGap::FieldAttribute { field, attribute } => {
            format!("the field `{field}` of the form struct `{name}` has {attribute}")
        }
        FormStructGap::RestFrom { excerpt } => {
            format!("the form struct `{name}` takes its remaining fields from `{excerpt}`")
        }
        FormStructGap::FlattenedUnseen { field } => format!(
            "the field `{field}` of `{name}` is flattened from a type whose fields {TOOL} cannot see"
        ),
        FormStructGap::FlattenedElsewhere { field } => format!(
            "the flattened field `{field}` of `{name}` is not built where the form is sent"
        ),
    }
}

fn comprehension(over: Option<&str>, gap: &ComprehensionGap) -> String {
    let subject = match over {
        Some(over) => format!("the comprehension over `{over}`"),
        None => "a comprehension".to_string(),
    };
    match gap {
        ComprehensionGap::SeveralFors => format!("{subject} has more than one `for`"),
        ComprehensionGap::Asynchronous => format!("{subject} is asynchronous"),
        ComprehensionGap::NotPairs => format!("{subject} does not take (key, value) pairs"),
        ComprehensionGap::ComputedKey { excerpt } => {
            format!("{subject} computes its keys (`{excerpt}`)")
        }
        ComprehensionGap::FilterMayDropKey => {
            format!("{subject} has an `if` that may leave the key out")
        }
        ComprehensionGap::UnreadSource => {
            format!("{subject} changes a mapping whose keys are not read here")
        }
        ComprehensionGap::UnpacksMappings => format!("{subject} unpacks mappings"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_unseen() -> Vec<Unseen> {
        let s = || "x".to_string();
        let mut all = vec![
            Unseen::Parameter {
                name: s(),
                function: s(),
            },
            Unseen::MethodParameter {
                name: s(),
                enclosing: false,
            },
            Unseen::MethodParameter {
                name: s(),
                enclosing: true,
            },
            Unseen::UncalledWrapper {
                wrapper: s(),
                api: s(),
            },
            Unseen::Local { name: s() },
            Unseen::Imported { name: s() },
            Unseen::Undefined { name: s() },
            Unseen::BoundBy {
                name: s(),
                how: "a loop variable",
            },
            Unseen::NotAMapping { name: s() },
            Unseen::Expression { excerpt: s() },
            Unseen::ComputedKey { excerpt: s() },
            Unseen::NotAPair { excerpt: s() },
            Unseen::TooDeep { excerpt: s() },
            Unseen::Overwritten { by: None },
            Unseen::Overwritten {
                by: Some(Box::new(Unseen::Local { name: s() })),
            },
            Unseen::Helper {
                name: s(),
                known: false,
            },
            Unseen::Helper {
                name: s(),
                known: true,
            },
            Unseen::HelperForwards { name: s() },
            Unseen::CreateAsValue { written: s() },
            Unseen::Macro { name: s() },
            Unseen::Body { excerpt: s() },
            Unseen::BodyRest,
            Unseen::FormatBody,
            Unseen::FormatPlaceholder { param: s() },
            Unseen::BodyDiffers,
            Unseen::BuiltOnSomePaths,
            Unseen::SentElsewhere,
        ];
        for gap in [
            FormStructGap::NotSerialize,
            FormStructGap::NotFound,
            FormStructGap::TooDeep,
            FormStructGap::Attribute { attribute: s() },
            FormStructGap::FieldAttribute {
                field: s(),
                attribute: s(),
            },
            FormStructGap::RestFrom { excerpt: s() },
            FormStructGap::FlattenedUnseen { field: s() },
            FormStructGap::FlattenedElsewhere { field: s() },
        ] {
            all.push(Unseen::FormStruct { name: s(), gap });
        }
        for gap in [
            ComprehensionGap::SeveralFors,
            ComprehensionGap::Asynchronous,
            ComprehensionGap::NotPairs,
            ComprehensionGap::ComputedKey { excerpt: s() },
            ComprehensionGap::FilterMayDropKey,
            ComprehensionGap::UnreadSource,
            ComprehensionGap::UnpacksMappings,
        ] {
            all.push(Unseen::Comprehension {
                over: Some(s()),
                gap: gap.clone(),
            });
            all.push(Unseen::Comprehension { over: None, gap });
        }
        for how in [
            Change::ItemDeleted,
            Change::ComputedKeySet,
            Change::ItemsRemoved,
            Change::GrownByCall,
            Change::PassedTo { callee: s() },
            Change::InNestedFunction {
                function: Some(s()),
            },
            Change::InNestedFunction { function: None },
            Change::Stored { place: s() },
        ] {
            all.push(Unseen::Changed { name: s(), how });
        }
        for from in [
            BuilderOrigin::Unknown,
            BuilderOrigin::Parameter { function: s() },
            BuilderOrigin::Field,
            BuilderOrigin::Returned { written: s() },
            BuilderOrigin::Alias { ty: s() },
            BuilderOrigin::Elsewhere,
        ] {
            all.push(Unseen::Builder { excerpt: s(), from });
        }
        all
    }

    #[test]
    fn every_message_is_one_line_with_a_help_that_says_how_to_suppress() {
        for unseen in every_unseen() {
            for language in [Language::Python, Language::Rust] {
                let m = unresolved(&unseen, language);
                assert!(!m.text.contains('\n'), "{unseen:?}: {}", m.text);
                let help = m.help.expect("every CL007 has a help");
                assert!(!help.contains('\n'), "{unseen:?}: {help}");
                assert!(help.contains("ignore[CL007] reason:"), "{unseen:?}: {help}");
            }
        }
    }

    #[test]
    fn the_suppression_is_a_comment_of_the_sites_language() {
        let unseen = Unseen::Macro {
            name: "select".into(),
        };
        let rust = unresolved(&unseen, Language::Rust).help.unwrap();
        assert!(rust.contains("`// checkout-lint: ignore[CL007] reason: <why it is safe>`"));
        let python = forwarded(Language::Python).help.unwrap();
        assert!(python.contains("`# checkout-lint: ignore[CL007] reason: <why it is safe>`"));
    }

    #[test]
    fn a_message_names_what_could_not_be_followed() {
        let m = unresolved(
            &Unseen::Parameter {
                name: "params".into(),
                function: "open".into(),
            },
            Language::Rust,
        );
        assert_eq!(
            m.text,
            "this call site cannot be verified: the parameters come from `params`, a parameter of `open`"
        );
    }
}
