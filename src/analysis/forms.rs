//! Forms sent as a literal of a struct declared in another module: the struct is asked of
//! the index (`Symbols::form_struct`, following `pub use` re-exports), and the literal is
//! read as the front end reads one of its own file's (`facts::forms::FormReader`).
//!
//! Knows the facts of forms, no syntax: a struct the index cannot find, or cannot read,
//! leaves the site unverifiable.

use crate::facts::forms::{FormDecl, FormLiteral, FormReader, Presence};
use crate::facts::{ExpiresAtSource, FormStructGap, Language, SymbolRef, Term, Unseen};
use crate::index::Symbols;

/// `pub use` hops followed to find a struct.
const MAX_REEXPORTS: usize = 8;

/// What the literals (one per way the form was built) put under `key`.
pub fn declared_form<S: Symbols>(
    symbols: &mut S,
    literals: &[FormLiteral],
    key: &str,
) -> ExpiresAtSource {
    let mut lookup = |path: &str| find(symbols, path);
    let mut presence: Option<Presence> = None;
    for literal in literals {
        let Some(form) = lookup(&literal.path) else {
            return ExpiresAtSource::Unresolved(Unseen::FormStruct {
                name: literal.path.clone(),
                gap: FormStructGap::NotFound,
            });
        };
        let mut reader = FormReader {
            key,
            lookup: &mut lookup,
        };
        match reader.read(&form, literal, 0) {
            Ok(read) => {
                presence = Some(match presence {
                    None => read,
                    Some(before) => before.merge(&read),
                })
            }
            Err(why) => return ExpiresAtSource::Unresolved(why),
        }
    }
    presence.unwrap_or_else(Presence::unset).into_source(key)
}

/// The struct at an absolute path (`app::models::Form`), through re-exports.
fn find<S: Symbols>(symbols: &mut S, path: &str) -> Option<FormDecl> {
    let (module, name) = path.rsplit_once("::")?;
    let mut symbol = SymbolRef {
        language: Language::Rust,
        module: module.to_string(),
        name: name.to_string(),
    };
    for _ in 0..MAX_REEXPORTS {
        if let Some(form) = symbols.form_struct(&symbol) {
            return Some(form);
        }
        let bindings = symbols.bindings(&symbol)?;
        match bindings.as_slice() {
            [binding] if !binding.is_definition => match &binding.term {
                Term::Symbol(next) => symbol = next.clone(),
                _ => return None,
            },
            _ => return None,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::facts::forms::{FormFieldDecl, GivenValue, LiteralRest};
    use crate::facts::{Binding, ByteSpan, FunctionSummary};

    /// A project of form structs and bindings, by `module::name`.
    #[derive(Default)]
    struct Forms {
        structs: HashMap<String, FormDecl>,
        bindings: HashMap<String, Vec<Binding>>,
    }

    impl Symbols for Forms {
        fn bindings(&mut self, symbol: &SymbolRef) -> Option<Vec<Binding>> {
            self.bindings.get(&symbol.display()).cloned()
        }
        fn function(&mut self, _: &SymbolRef) -> Option<FunctionSummary> {
            None
        }
        fn form_struct(&mut self, symbol: &SymbolRef) -> Option<FormDecl> {
            self.structs.get(&symbol.display()).cloned()
        }
        fn is_ttl_definition(&self, _: &SymbolRef) -> bool {
            false
        }
        fn is_shadow(&self, _: &SymbolRef) -> bool {
            false
        }
    }

    fn field(rust: &str, wire: &str, skippable: bool) -> FormFieldDecl {
        FormFieldDecl {
            rust: rust.into(),
            wire: Some(wire.into()),
            optional: false,
            skippable,
            custom: None,
            flatten: None,
            unknown: None,
        }
    }

    fn literal(path: &str, value: i128) -> FormLiteral {
        FormLiteral {
            path: path.into(),
            fields: vec![(
                "until".into(),
                GivenValue::Expr {
                    none: false,
                    some: false,
                    lowered: (Term::Int(value), value.to_string()),
                    text: value.to_string(),
                    literal: None,
                },
            )],
            rest: LiteralRest::None,
            changed: None,
        }
    }

    fn project() -> Forms {
        let mut forms = Forms::default();
        let form = |skippable| FormDecl {
            name: "Form".into(),
            unreadable: None,
            derives_default: false,
            fields: vec![field("until", "expires_at", skippable)],
        };
        forms
            .structs
            .insert("app::models::Form".into(), form(false));
        forms
            .structs
            .insert("app::models::Skipped".into(), form(true));
        forms.bindings.insert(
            "app::prelude::Form".into(),
            vec![Binding {
                term: Term::Symbol(SymbolRef {
                    language: Language::Rust,
                    module: "app::models".into(),
                    name: "Form".into(),
                }),
                span: ByteSpan::default(),
                is_definition: false,
            }],
        );
        forms
    }

    #[test]
    fn a_struct_of_another_module_is_read_through_its_re_exports() {
        let mut forms = project();
        for path in ["app::models::Form", "app::prelude::Form"] {
            let source = declared_form(&mut forms, &[literal(path, 7)], "expires_at");
            assert_eq!(
                source,
                ExpiresAtSource::Value {
                    term: Term::Int(7),
                    text: "7".into()
                }
            );
        }
    }

    #[test]
    fn a_key_set_on_some_paths_or_a_struct_not_found_is_never_set() {
        let mut forms = project();
        let skipped = declared_form(
            &mut forms,
            &[literal("app::models::Skipped", 7)],
            "expires_at",
        );
        assert!(matches!(
            skipped,
            ExpiresAtSource::Value {
                term: Term::OneOf(_),
                ..
            }
        ));
        let missing = declared_form(&mut forms, &[literal("app::models::Gone", 7)], "expires_at");
        assert!(matches!(
            missing,
            ExpiresAtSource::Unresolved(Unseen::FormStruct {
                gap: FormStructGap::NotFound,
                ..
            })
        ));
        let two_ways = [
            literal("app::models::Form", 7),
            literal("app::models::Gone", 7),
        ];
        assert!(matches!(
            declared_form(&mut forms, &two_ways, "expires_at"),
            ExpiresAtSource::Unresolved(_)
        ));
    }
}
