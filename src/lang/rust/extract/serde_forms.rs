//! Form bodies the code declares: the `#[derive(Serialize)]` structs of this file (module
//! level, inline modules, and blocks; their attributes are `serde_attrs`'), recorded in the
//! summary for other modules; a struct literal sent as a form, as the code wrote it
//! (`facts::forms::FormLiteral`), and how a local holding one changes (`form.field = value`).
//!
//! A literal of this file's struct is read here (`facts::forms::FormReader`); one of a struct
//! declared in another module is handed to the analysis as written, which reads it the same
//! way once the index finds the struct. Knows Rust syntax; the parameter's name comes from
//! the walker (`shapes`). A struct that cannot be found, or an attribute `serde_attrs` does
//! not know, makes the form unreadable (CL007), never guessed.

use std::collections::HashMap;

use syn::{Expr, Item};

use super::Walker;
use crate::facts::forms::{FormDecl, FormLiteral, FormReader, GivenValue, LiteralRest};
use crate::facts::{Term, Unseen};
use crate::lang::rust::env::{Local, Presence};
use crate::lang::rust::serde_attrs::form_struct;
use crate::lang::rust::syntax::{is_default_call, is_none, path_segments, peel, segments_of};
use crate::lang::TOOL_NAME;

pub use crate::facts::forms::sequence;

/// The form structs of this file, by absolute path (`app::billing::Form`, and
/// `app::billing::{block}::Form` for one declared in a block, as `Resolver` names it).
pub type FormStructs = HashMap<String, FormDecl>;

/// Struct literals nested in literals deeper than this are not recorded.
const MAX_LITERAL_DEPTH: usize = 9;

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
                    if let Some(mut form) = form_struct(s) {
                        for field in &mut form.fields {
                            if let Some(Some(written)) = &field.flatten {
                                let segments: Vec<String> =
                                    written.split("::").map(str::to_string).collect();
                                field.flatten = Some(self.project_path(&segments));
                            }
                        }
                        if !block {
                            if let Some(key) = self.item_key(&form.name) {
                                self.out.form_structs.insert(key, form.clone());
                            }
                        }
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

    /// The absolute path of a project item a type path names.
    fn project_path(&self, segments: &[String]) -> Option<String> {
        let segments = self.self_to_owner(segments.to_vec());
        match self.resolver.resolve(&segments) {
            crate::lang::rust::resolve::Resolved::Project(path) => Some(path.join("::")),
            _ => None,
        }
    }

    /// Whether an item of the project at `key` would be declared in this file, outside its
    /// inline modules: then it is one of `form_structs` or no form at all.
    fn declared_here(&self, key: &str) -> bool {
        let module = self.resolver.file.segments().join("::");
        key.contains("{block}")
            || key
                .rsplit_once("::")
                .is_some_and(|(parent, _)| parent == module)
    }

    /// `let form = Form { .. };`: a local holding a form struct of this file, or a literal
    /// of a struct of another module; `let moved = form;` of the latter.
    pub(super) fn struct_form_local(&self, value: &Expr) -> Option<Local> {
        let s = match peel(value) {
            Expr::Struct(s) => s,
            Expr::Path(_) => {
                let name = crate::lang::rust::syntax::ident(peel(value))?;
                return match self.env.get(&name) {
                    Some(local @ Local::ForeignForm(_)) => Some(local.clone()),
                    _ => None,
                };
            }
            _ => return None,
        };
        if let Some(literal) = self.foreign_form(s) {
            return Some(Local::ForeignForm(vec![literal]));
        }
        let key = self.project_path(&segments_of(&s.path))?;
        let form = self.form_structs.get(&key)?;
        let literal = self.form_literal(s, key.clone(), 0);
        Some(match self.read_form(form, &literal, 0) {
            Ok(presence) => Local::FormStruct(key, presence),
            Err(why) => Local::Unreadable(why),
        })
    }

    /// A literal sent as a form that the index must read, as written: its struct is declared
    /// in another module, or is this file's and flattens one that is.
    pub(super) fn foreign_form(&self, s: &syn::ExprStruct) -> Option<FormLiteral> {
        let key = self.project_path(&segments_of(&s.path))?;
        let foreign = match self.form_structs.get(&key) {
            Some(form) => !key.contains("{block}") && self.flattens_foreign(form, 0),
            None => !self.declared_here(&key),
        };
        foreign.then(|| self.form_literal(s, key, 0))
    }

    /// Whether a struct of this file flattens (maybe through others of this file) a struct
    /// declared in another module.
    fn flattens_foreign(&self, form: &FormDecl, depth: usize) -> bool {
        depth < MAX_LITERAL_DEPTH
            && form.fields.iter().any(|f| match &f.flatten {
                Some(Some(ty)) => match self.form_structs.get(ty) {
                    Some(inner) => self.flattens_foreign(inner, depth + 1),
                    None => !self.declared_here(ty),
                },
                _ => false,
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

    /// `form.field.take()` and the like on a literal of another module's struct: that field
    /// can no longer be read. `true` when `name` is such a local.
    pub(super) fn foreign_field_changed(
        &mut self,
        name: &str,
        member: &syn::Ident,
        how: &str,
    ) -> bool {
        let Some(Local::ForeignForm(mut literals)) = self.env.get(name).cloned() else {
            return false;
        };
        let why = format!("`{name}` may be changed where {TOOL_NAME} cannot follow: {how}");
        for literal in &mut literals {
            literal.assign(&member.to_string(), GivenValue::Changed(why.clone()));
        }
        self.env.assign(name, Local::ForeignForm(literals));
        true
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
            // Another module's struct: the literal takes the value, read with the struct.
            Some(Local::ForeignForm(mut literals)) => {
                let value = self.given_value(right, 0);
                for literal in &mut literals {
                    literal.assign(&member.to_string(), value.clone());
                }
                self.env.assign(name, Local::ForeignForm(literals));
                return true;
            }
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
            let presence = crate::facts::forms::field_presence(&field, &self.given_value(right, 0));
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
    /// type is not a `Serialize` struct of this file (or is one the index must read,
    /// `foreign_form`), `Err(why)` when its keys cannot be read.
    pub(super) fn struct_form(
        &self,
        s: &syn::ExprStruct,
        depth: usize,
    ) -> Option<Result<Presence, Unseen>> {
        let key = self.project_path(&segments_of(&s.path))?;
        let form = self.form_structs.get(&key)?;
        if self.foreign_form(s).is_some() {
            return None;
        }
        let literal = self.form_literal(s, key, depth);
        Some(self.read_form(form, &literal, depth))
    }

    /// Reads a literal of this file's struct, with the structs of this file it flattens.
    fn read_form(
        &self,
        form: &FormDecl,
        literal: &FormLiteral,
        depth: usize,
    ) -> Result<Presence, Unseen> {
        let structs = &self.form_structs;
        let mut lookup = |key: &str| structs.get(key).cloned();
        FormReader {
            key: self.expires_at,
            lookup: &mut lookup,
        }
        .read(form, literal, depth)
    }

    /// A struct literal as written: its fields' values, where it takes the rest.
    fn form_literal(&self, s: &syn::ExprStruct, path: String, depth: usize) -> FormLiteral {
        let fields = (s.fields.iter())
            .filter_map(|f| match &f.member {
                syn::Member::Named(n) => Some((
                    n.to_string().trim_start_matches("r#").to_string(),
                    self.given_value(&f.expr, depth),
                )),
                syn::Member::Unnamed(_) => None,
            })
            .collect();
        let rest = match &s.rest {
            None => LiteralRest::None,
            Some(rest) => match peel(rest) {
                Expr::Call(call) if is_default_call(call) => {
                    LiteralRest::Default(self.short_text_of(rest))
                }
                _ => LiteralRest::Other(self.short_text_of(rest)),
            },
        };
        FormLiteral {
            path,
            fields,
            rest,
            changed: None,
        }
    }

    /// The value given to a field: lowered (inside `Some(..)` when it is one), and the
    /// literal it is when it is one of a project struct.
    fn given_value(&self, expr: &Expr, depth: usize) -> GivenValue {
        let some = matches!(peel(expr), Expr::Call(c)
            if path_segments(&c.func).is_some_and(|p| p == ["Some"]) && c.args.len() == 1);
        let lowered = match peel(expr) {
            Expr::Call(c) if some => self.lower_with_text(&c.args[0]),
            _ => self.lower_with_text(expr),
        };
        let literal = match peel(expr) {
            Expr::Struct(inner) if depth < MAX_LITERAL_DEPTH => self
                .project_path(&segments_of(&inner.path))
                .map(|path| Box::new(self.form_literal(inner, path, depth + 1))),
            _ => None,
        };
        GivenValue::Expr {
            none: is_none(expr),
            some,
            lowered,
            text: self.text_of(expr),
            literal,
        }
    }
}
