//! What a class's attributes and bases stand for: `self.X` / `cls.X` in a method is the
//! class's `X` (unless a method assigns `self.X`), and a project class deriving from one of
//! Stripe's resources (`class Sessions(stripe.checkout.Session)`) creates what the
//! resource creates.
//!
//! Knows Python's class scoping; which names are Stripe's it asks `shapes`.

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

use super::resolve::{Lookup, Resolver, MAX_DEPTH};
use super::scope::{Def, ParamKind, ScopeKind};
use crate::shapes::shapes;

impl<'s, 'a> Resolver<'s, 'a> {
    /// The definition of a class attribute that `receiver.attr` reads, in a method of the
    /// class (`receiver` is its first parameter), with the resolver to read its value in:
    /// the class body's.
    pub fn class_attribute(
        &self,
        attr: &ast::ExprAttribute,
    ) -> Option<(&'s Def<'a>, Resolver<'s, 'a>)> {
        let Expr::Name(receiver) = attr.value.as_ref() else {
            return None;
        };
        let (method, enclosing) = self.scopes.split_last()?;
        let class = enclosing.last()?;
        if method.kind != ScopeKind::Function
            || class.kind != ScopeKind::Class
            || method.param(receiver.id.as_str()) != Some(ParamKind::Positional(0))
        {
            return None;
        }
        let name = attr.attr.id.as_str();
        if class.instance_attrs.contains(&name) {
            return None;
        }
        let def = class.defs.get(name)?.last()?;
        let in_class = Resolver {
            scopes: enclosing,
            ..*self
        };
        Some((def, in_class))
    }

    /// The Stripe class a class definition derives from, when one of its bases is one
    /// (`stripe.checkout.Session`) and its body does not define a create method of its
    /// own: its methods are the resource's. (One that does is a wrapper, not followed yet.)
    pub fn stripe_base(
        &self,
        bases: &[Expr],
        body: &[Stmt],
        at: usize,
        depth: usize,
    ) -> Option<String> {
        if defines_create(body) {
            return None;
        }
        self.stripe_among(bases, at, depth)
    }

    /// What an expression stands for when it reaches the class of a method, in a class
    /// deriving from a Stripe resource: the method's receiver (`cls.create(..)`,
    /// `self.create(..)`, also from a lambda or function nested in the method, and
    /// `type(self)`, `self.__class__`), or a call of `super()` in the method (which skips
    /// the class's own create method): the resource.
    pub fn stripe_receiver(&self, expr: &Expr, depth: usize) -> Option<String> {
        let (class_index, skip_override) = match expr {
            Expr::Name(receiver) => (self.receiver_class(receiver.id.as_str())?, false),
            Expr::Attribute(attr) if attr.attr.id.as_str() == "__class__" => {
                let Expr::Name(receiver) = attr.value.as_ref() else {
                    return None;
                };
                (self.receiver_class(receiver.id.as_str())?, false)
            }
            Expr::Call(call) if call.arguments.keywords.is_empty() => {
                let Expr::Name(func) = call.func.as_ref() else {
                    return None;
                };
                let builtin = |name: &str| {
                    func.id.as_str() == name
                        && matches!(self.lookup(name, call.start().to_usize()), Lookup::Unbound)
                };
                match &call.arguments.args[..] {
                    // `super()` has no class to find in a nested function.
                    [] if builtin("super") => {
                        let index = self.scopes.len().checked_sub(2)?;
                        let method = self.scopes.last()?;
                        let receiver = method.params.first()?.0.as_str();
                        (self.receiver_class(receiver)? == index).then_some((index, true))?
                    }
                    // `super(Sessions, cls)` in a method of `Sessions`.
                    [Expr::Name(class), Expr::Name(receiver)] if builtin("super") => {
                        let index = self.receiver_class(receiver.id.as_str())?;
                        let qualname = &self.scopes[index].qualname;
                        let named = qualname.rsplit('.').next() == Some(class.id.as_str());
                        named.then_some((index, true))?
                    }
                    [Expr::Name(receiver)] if builtin("type") => {
                        (self.receiver_class(receiver.id.as_str())?, false)
                    }
                    _ => return None,
                }
            }
            _ => return None,
        };
        let class = &self.scopes[class_index];
        let in_class = Resolver {
            scopes: &self.scopes[..=class_index],
            ..*self
        };
        let at = class.bases.first()?.start().to_usize();
        match skip_override {
            true => in_class.stripe_among(class.bases, at, depth),
            false => in_class.stripe_base(class.bases, class.body(), at, depth),
        }
    }

    /// The index of the class scope whose method binds `name` as its receiver (its first
    /// parameter, not a `@staticmethod`'s), seen from here: in the method or a function or
    /// lambda nested in it, when nothing in between binds the name again.
    fn receiver_class(&self, name: &str) -> Option<usize> {
        let last = self.scopes.len() - 1;
        for (index, scope) in self.scopes.iter().enumerate().rev() {
            if scope.kind == ScopeKind::Class {
                if index == last {
                    return None;
                }
                continue;
            }
            if scope.param(name).is_some() {
                let class = index.checked_sub(1)?;
                let is_receiver = scope.kind == ScopeKind::Function
                    && !scope.is_static_method
                    && scope.param(name) == Some(ParamKind::Positional(0))
                    && !scope.defs.contains_key(name)
                    && self.scopes[class].kind == ScopeKind::Class;
                return is_receiver.then_some(class);
            }
            if scope.defs.contains_key(name) || scope.kind == ScopeKind::Module {
                return None;
            }
        }
        None
    }

    /// The first of `bases` that is a class of Stripe's SDK.
    fn stripe_among(&self, bases: &[Expr], at: usize, depth: usize) -> Option<String> {
        if depth > MAX_DEPTH {
            return None;
        }
        let sdk = &shapes().python.sdk_module;
        for base in bases {
            // An earlier base of this module with a create method of its own is the one
            // Python calls.
            if self.defines_create(base, at) {
                return None;
            }
            let Some(qualname) = self.qualname_depth(base, at, depth + 1) else {
                continue;
            };
            let qualname = self.through_reexports(qualname);
            if qualname.split('.').next() == Some(sdk.as_str()) {
                return Some(qualname);
            }
        }
        None
    }

    /// Whether a base is a class of this module that defines a create method.
    fn defines_create(&self, base: &Expr, at: usize) -> bool {
        let Expr::Name(name) = base else {
            return false;
        };
        let Lookup::Defs(defs, ..) = self.lookup(name.id.as_str(), at) else {
            return false;
        };
        defs.iter()
            .any(|def| matches!(def, Def::Class { body, .. } if defines_create(body)))
    }
}

/// Whether a class body defines one of the SDK's create methods.
fn defines_create(body: &[Stmt]) -> bool {
    let create_methods = &shapes().python.create_methods;
    body.iter().any(|stmt| {
        matches!(stmt, Stmt::FunctionDef(f) if create_methods.iter().any(|m| m == f.name.id.as_str()))
    })
}
