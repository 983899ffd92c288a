//! Locals that change where the walk cannot follow: lent out as `&mut`, written by a closure
//! or an `async` block, changed in place by a method of their field, or changed on every
//! round of a loop. Parameters changed so cannot be verified (the same `Change` wording
//! as Python's); a plain value can no longer be traced.
//!
//! Knows Rust syntax for the borrows and field methods; what a site makes of it is the
//! rules'.

use syn::punctuated::Punctuated;
use syn::{Expr, Token};

use super::Walker;
use crate::facts::{Change, Term, Unseen};
use crate::lang::rust::env::{Env, Local, Presence};
use crate::lang::rust::syntax::{ident, peel};
use crate::lang::TOOL_NAME;

/// The methods of `Option` that take `&mut self`: the others (`is_some`, `map`, `unwrap`)
/// only read the field.
const OPTION_MUTATORS: [&str; 10] = [
    "take",
    "take_if",
    "replace",
    "insert",
    "get_or_insert",
    "get_or_insert_with",
    "get_or_insert_default",
    "as_mut",
    "as_deref_mut",
    "iter_mut",
];

impl Walker<'_> {
    /// `f(&mut params)`: the callee may change what it borrows (`callee` as written).
    pub(super) fn lend_arguments(
        &mut self,
        args: &Punctuated<Expr, Token![,]>,
        callee: impl FnOnce(&Self) -> String,
    ) {
        let lent: Vec<&syn::ExprReference> = args
            .iter()
            .filter_map(|arg| match arg {
                Expr::Reference(r) if r.mutability.is_some() => Some(r),
                _ => None,
            })
            .collect();
        if lent.is_empty() {
            return;
        }
        let callee = callee(self);
        for reference in lent {
            self.consumed.insert(Self::node_key(reference));
            self.lend(&reference.expr, Some(&callee));
        }
    }

    /// `&mut p` (or `&mut p.expires_at`, `ref mut` on it) lent out, to `callee` when it is
    /// a call's argument: what holds the borrow may change the parameters.
    pub(super) fn lend(&mut self, lent: &Expr, callee: Option<&str>) {
        match peel(lent) {
            Expr::Field(field) => {
                let (Some(name), syn::Member::Named(member)) = (ident(&field.base), &field.member)
                else {
                    return;
                };
                if member == self.expires_at || self.is_carrier_field(&name, member) {
                    let change = Change::FieldLent {
                        field: member.to_string(),
                        to: callee.map(str::to_string),
                    };
                    self.escape(&name, change);
                }
            }
            other => {
                let Some(name) = ident(other) else {
                    return;
                };
                let change = match callee {
                    Some(callee) => Change::PassedTo {
                        callee: callee.to_string(),
                    },
                    None => Change::Lent,
                };
                self.escape(&name, change);
            }
        }
    }

    /// `p.expires_at.take()`: the field is gone; `.replace(..)`, `.get_or_insert(..)` and
    /// the like change it in a way not followed; `.is_some()` reads it.
    pub(super) fn field_method(&mut self, name: &str, member: &syn::Ident, method: &syn::Ident) {
        let how = format!("`.{method}()` changes its field");
        if self.foreign_field_changed(name, member, &how) {
            return;
        }
        let params = match self.env.get(name) {
            Some(Local::Session(_)) => true,
            Some(Local::Param { ty }) => ty.as_ref().is_none_or(|t| self.is_params_type(t)),
            _ => false,
        };
        let expiry = member == self.expires_at;
        if expiry && method == "take" && params {
            self.env.assign(name, Local::Session(Presence::unset()));
        } else if (expiry && OPTION_MUTATORS.contains(&method.to_string().as_str()))
            || self.is_carrier_field(name, member)
        {
            let change = Change::FieldMethod {
                field: member.to_string(),
                method: method.to_string(),
            };
            self.escape(name, change);
        }
    }

    /// Code that runs later (a closure, an `async` block) is walked with the current
    /// locals; afterwards the locals are restored, except that those it changed can no
    /// longer be trusted.
    pub(super) fn deferred(&mut self, saved: Env, what: &str) {
        let later = std::mem::replace(&mut self.env, saved);
        for name in self.env.changed(&later) {
            match later.get(&name) {
                // A stored request sent inside the closure was reported there.
                Some(Local::Http(request)) => {
                    let request = request.clone();
                    self.env.assign(&name, Local::Http(request));
                }
                _ => self.escape(
                    &name,
                    Change::RunLater {
                        what: what.to_string(),
                    },
                ),
            }
        }
    }

    /// A local whose value may change out of sight: parameters cannot be verified (their
    /// `expires_at` may be overwritten), a value cannot be traced.
    pub(crate) fn escape(&mut self, name: &str, change: Change) {
        let unseen = |presence: &Presence| {
            let changed = Unseen::Changed {
                name: name.to_string(),
                how: change.clone(),
            };
            let why = if presence.0.iter().any(Option::is_some) {
                Unseen::Overwritten {
                    by: Some(Box::new(changed)),
                }
            } else {
                changed
            };
            Presence::set(Term::Unseen(Box::new(why)), String::new())
        };
        let untraced = format!(
            "`{name}` may be changed where {TOOL_NAME} cannot follow: {}",
            value_change(name, &change)
        );
        match self.env.get(name) {
            Some(Local::Session(p)) => self.env.assign(name, Local::Session(unseen(p))),
            Some(Local::Form(p)) => self.env.assign(name, Local::Form(unseen(p))),
            Some(Local::FormStruct(key, p)) => {
                let local = Local::FormStruct(key.clone(), unseen(p));
                self.env.assign(name, local)
            }
            Some(Local::ForeignForm(literals)) => {
                let mut literals = literals.clone();
                for literal in &mut literals {
                    literal.changed = Some(untraced.clone());
                }
                self.env.assign(name, Local::ForeignForm(literals));
            }
            Some(Local::Value(..)) => {
                let term = Term::Opaque(untraced);
                self.env.assign(name, Local::Value(term, name.to_string()));
            }
            _ => {}
        }
    }
}

/// How a plain value changed out of sight, for the reason it cannot be traced.
fn value_change(name: &str, change: &Change) -> String {
    match change {
        Change::PassedTo { .. } | Change::Lent | Change::FieldLent { .. } => {
            format!("`&mut {name}` lends it out")
        }
        Change::RunLater { what } => format!("{what} changes it"),
        Change::FieldMethod { method, .. } => format!("`.{method}()` changes its field"),
        Change::EveryRound => "a loop changes it on every round".to_string(),
        _ => "it is changed".to_string(),
    }
}
