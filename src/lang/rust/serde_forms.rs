//! Form bodies the code declares: the `#[derive(Serialize)]` structs of this file (module
//! level, inline modules, and blocks; their attributes are `serde_attrs`'), what a struct
//! literal of one says about the expiry parameter when it is sent as a form, and how a local
//! holding one changes (`form.field = value`).
//!
//! Knows Rust syntax; the parameter's name comes from the walker (`shapes`). A struct
//! defined in another file, or an attribute `serde_attrs` does not know, makes the form
//! unreadable (CL007), never guessed.

use std::collections::HashMap;

use syn::{Expr, Item};

use super::env::{Local, Presence};
use super::extract::Walker;
use super::serde_attrs::{form_struct, FormField, FormStruct};
use super::syntax::{is_default_call, is_none, path_segments, peel, segments_of};
use crate::facts::{FormStructGap, Term, Unseen};
use crate::lang::TOOL_NAME;

/// The form structs of this file, by absolute path (`app::billing::Form`, and
/// `app::billing::{block}::Form` for one declared in a block, as `Resolver` names it).
pub type FormStructs = HashMap<String, FormStruct>;

impl Walker<'_> {
    /// Adds the `Serialize` structs among `items`, declared in the current module (or block).
    pub(super) fn collect_form_structs(&mut self, items: &[Item], block: bool) {
        let mut module = self.resolver.module();
        if block {
            module.push("{block}".into());
        }
        for item in items {
            match item {
                Item::Struct(s) => {
                    if let Some(form) = form_struct(s) {
                        self.form_structs
                            .insert(format!("{}::{}", module.join("::"), form.name), form);
                    }
                }
                Item::Mod(m) if !block => {
                    if let Some((_, inner)) = &m.content {
                        let mut path = self.resolver.module();
                        path.push(m.ident.to_string());
                        self.resolver.push(path, inner);
                        self.collect_form_structs(inner, false);
                        self.resolver.pop();
                    }
                }
                _ => {}
            }
        }
    }

    /// The form struct a type path names, if it is one of this file's.
    pub(super) fn known_form_struct(&self, segments: &[String]) -> Option<&FormStruct> {
        let segments = self.self_to_owner(segments.to_vec());
        match self.resolver.resolve(&segments) {
            super::resolve::Resolved::Project(path) => self.form_structs.get(&path.join("::")),
            _ => None,
        }
    }

    /// The absolute path of a form struct a type path names, if it is one of this file's.
    fn form_struct_key(&self, segments: &[String]) -> Option<String> {
        let segments = self.self_to_owner(segments.to_vec());
        match self.resolver.resolve(&segments) {
            super::resolve::Resolved::Project(path) => {
                let key = path.join("::");
                self.form_structs.contains_key(&key).then_some(key)
            }
            _ => None,
        }
    }

    /// `let form = Form { .. };`: a local holding a form struct of this file.
    pub(super) fn struct_form_local(&self, value: &Expr) -> Option<Local> {
        let Expr::Struct(s) = peel(value) else {
            return None;
        };
        let key = self.form_struct_key(&segments_of(&s.path))?;
        Some(match self.struct_form(s, 0)? {
            Ok(presence) => Local::FormStruct(key, presence),
            Err(why) => Local::Unreadable(why),
        })
    }

    /// Whether `member` of the local `name` is a form struct's field that carries the expiry
    /// parameter or splices in other keys.
    pub(super) fn is_carrier_field(&self, name: &str, member: &syn::Ident) -> bool {
        let Some(Local::FormStruct(key, _)) = self.env.get(name) else {
            return false;
        };
        let member = member.to_string();
        self.form_structs.get(key).is_some_and(|form| {
            form.field(&member).is_some_and(|f| {
                f.wire.as_deref() == Some(self.expires_at)
                    || f.flatten.is_some()
                    || f.unknown.is_some()
            })
        })
    }

    /// `form.field = value;` on a form struct local: the carrier field takes the new value;
    /// a flattened field assigned can no longer be read. `true` when `name` is such a local.
    pub(super) fn struct_field_assigned(
        &mut self,
        name: &str,
        member: &syn::Ident,
        right: &Expr,
    ) -> bool {
        let key = match self.env.get(name).cloned() {
            Some(Local::FormStruct(key, _)) => key,
            // Structs of two kinds on two paths: which field carries the key is not known.
            Some(Local::Form(_)) => {
                let why =
                    format!("`{name}.{member}` is assigned after two kinds of form were built");
                self.env.assign(
                    name,
                    Local::Form(Presence::set(Term::Opaque(why), String::new())),
                );
                return true;
            }
            _ => return false,
        };
        let Some(field) = self
            .form_structs
            .get(&key)
            .and_then(|f| f.field(&member.to_string()))
            .cloned()
        else {
            return true;
        };
        if field.wire.as_deref() == Some(self.expires_at)
            && field.unknown.is_none()
            && field.flatten.is_none()
        {
            let presence = self.field_value(&field, right);
            self.env.assign(name, Local::FormStruct(key, presence));
        } else if self.is_carrier_field(name, member) {
            let presence = Presence::set(
                Term::Opaque(format!(
                    "`{name}.{member}` is replaced by a value whose keys {TOOL_NAME} does not read"
                )),
                String::new(),
            );
            self.env.assign(name, Local::FormStruct(key, presence));
        }
        true
    }

    /// What a struct literal sent as a form says about the expiry parameter: `None` when its
    /// type is not a `Serialize` struct of this file, `Err(why)` when its keys cannot be read.
    pub(super) fn struct_form(
        &self,
        s: &syn::ExprStruct,
        depth: usize,
    ) -> Option<Result<Presence, Unseen>> {
        let segments = segments_of(&s.path);
        let form = self.known_form_struct(&segments)?.clone();
        Some(self.struct_form_of(&form, s, depth))
    }

    fn struct_form_of(
        &self,
        form: &FormStruct,
        s: &syn::ExprStruct,
        depth: usize,
    ) -> Result<Presence, Unseen> {
        if depth > 8 {
            return Err(Unseen::FormStruct {
                name: form.name.clone(),
                gap: FormStructGap::TooDeep,
            });
        }
        let name = &form.name;
        if let Some(why) = &form.unreadable {
            return Err(Unseen::FormStruct {
                name: name.clone(),
                gap: FormStructGap::Attribute {
                    attribute: why.clone(),
                },
            });
        }
        let given = |rust: &str| {
            s.fields.iter().find_map(|f| match &f.member {
                syn::Member::Named(n) if n.to_string().trim_start_matches("r#") == rust => {
                    Some(&f.expr)
                }
                _ => None,
            })
        };
        let mut presence = Presence::unset();
        for field in &form.fields {
            let carries = field.wire.as_deref() == Some(self.expires_at);
            if let Some(why) = &field.unknown {
                if carries || field.flatten.is_some() || field.wire.is_none() {
                    return Err(Unseen::FormStruct {
                        name: name.clone(),
                        gap: FormStructGap::FieldAttribute {
                            field: field.rust.clone(),
                            attribute: why.clone(),
                        },
                    });
                }
            }
            if let Some(ty) = &field.flatten {
                let inner =
                    self.flattened(name, &field.rust, ty.as_deref(), given(&field.rust), depth)?;
                presence = sequence(&presence, &inner);
                continue;
            }
            if !carries {
                continue;
            }
            let value = match given(&field.rust) {
                Some(expr) => self.field_value(field, expr),
                None => match &s.rest {
                    None => Presence::unset(),
                    Some(rest) => match peel(rest) {
                        Expr::Call(call) if is_default_call(call) && form.derives_default => {
                            if field.optional {
                                Presence::unset()
                            } else {
                                Presence::set(
                                    Term::Opaque(format!(
                                        "the default value of `{name}::{}`",
                                        field.rust
                                    )),
                                    String::new(),
                                )
                            }
                        }
                        _ => {
                            return Err(Unseen::FormStruct {
                                name: name.clone(),
                                gap: FormStructGap::RestFrom {
                                    excerpt: self.short_text_of(rest),
                                },
                            })
                        }
                    },
                },
            };
            presence = sequence(&presence, &value);
        }
        Ok(presence)
    }

    /// The keys a `#[serde(flatten)]` field brings in.
    fn flattened(
        &self,
        owner: &str,
        field: &str,
        ty: Option<&[String]>,
        value: Option<&Expr>,
        depth: usize,
    ) -> Result<Presence, Unseen> {
        let unknown = || Unseen::FormStruct {
            name: owner.to_string(),
            gap: FormStructGap::FlattenedUnseen {
                field: field.to_string(),
            },
        };
        let form = ty
            .and_then(|t| self.known_form_struct(t))
            .ok_or_else(unknown)?
            .clone();
        match value.map(peel) {
            Some(Expr::Struct(inner))
                if self
                    .known_form_struct(&segments_of(&inner.path))
                    .is_some_and(|f| f.name == form.name) =>
            {
                self.struct_form_of(&form, inner, depth + 1)
            }
            // Built elsewhere: fine only if it cannot carry the key.
            _ if !self.may_carry(&form, depth) => Ok(Presence::unset()),
            _ => Err(Unseen::FormStruct {
                name: owner.to_string(),
                gap: FormStructGap::FlattenedElsewhere {
                    field: field.to_string(),
                },
            }),
        }
    }

    /// Whether a form struct may put the expiry parameter on the wire.
    fn may_carry(&self, form: &FormStruct, depth: usize) -> bool {
        if depth > 8 || form.unreadable.is_some() {
            return true;
        }
        form.fields.iter().any(|f| {
            f.wire.as_deref() == Some(self.expires_at)
                || f.unknown.is_some()
                || match &f.flatten {
                    Some(Some(ty)) => self
                        .known_form_struct(ty)
                        .is_none_or(|inner| self.may_carry(inner, depth + 1)),
                    Some(None) => true,
                    None => false,
                }
        })
    }

    /// The value a carrier field puts on the wire, per path: `None` leaves the key out, and
    /// a value that may be `None` (or skipped) is not set on every path.
    pub(super) fn field_value(&self, field: &FormField, expr: &Expr) -> Presence {
        let (optional, skippable, custom) = (field.optional, field.skippable, &field.custom);
        if (optional || skippable) && is_none(expr) {
            return Presence::unset();
        }
        let explicit_some = matches!(peel(expr), Expr::Call(c)
            if path_segments(&c.func).is_some_and(|p| p == ["Some"]) && c.args.len() == 1);
        let (term, text) = match (custom, explicit_some) {
            (Some(f), _) => (
                Term::Opaque(format!("the value is written by `{f}` (`serialize_with`)")),
                self.text_of(expr),
            ),
            (None, true) => match peel(expr) {
                Expr::Call(c) => self.lower_with_text(&c.args[0]),
                _ => self.lower_with_text(expr),
            },
            (None, false) => self.lower_with_text(expr),
        };
        let set = Presence::set(term, text);
        if skippable || (optional && !explicit_some) {
            // `skip_serializing_if` may drop it; an `Option` that may be `None` leaves it out.
            set.merge(&Presence::unset())
        } else {
            set
        }
    }
}

/// `first` then `second` (later keys win): per pair of paths, the second's value if it sets
/// one, else the first's.
pub(super) fn sequence(first: &Presence, second: &Presence) -> Presence {
    let mut out: Vec<Option<(Term, String)>> = Vec::new();
    for b in &second.0 {
        for a in &first.0 {
            let alt = b.clone().or_else(|| a.clone());
            if !out.contains(&alt) {
                out.push(alt);
            }
        }
    }
    Presence(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::Term;

    #[test]
    fn sequence_takes_the_later_key() {
        let set = Presence::set(Term::Int(1), "1".into());
        assert_eq!(sequence(&set, &Presence::unset()), set);
        let later = Presence::set(Term::Int(2), "2".into());
        assert_eq!(sequence(&set, &later), later);
        let maybe = later.clone().merge(&Presence::unset());
        assert_eq!(sequence(&set, &maybe).0.len(), 2);
    }
}
