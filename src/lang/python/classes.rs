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
        let create_methods = &shapes().python.create_methods;
        let overrides = body.iter().any(|stmt| {
            matches!(stmt, Stmt::FunctionDef(f) if create_methods.iter().any(|m| m == f.name.id.as_str()))
        });
        if overrides {
            return None;
        }
        self.stripe_among(bases, at, depth)
    }

    /// What `name` stands for when it is the receiver of a method (`cls`, `self`) of a
    /// class deriving from a Stripe resource (`cls.create(..)`), or a call of `super()`
    /// in one (`super().create(..)`, which skips the class's own create method): the
    /// resource.
    pub fn stripe_receiver(&self, expr: &Expr, depth: usize) -> Option<String> {
        let (method, enclosing) = self.scopes.split_last()?;
        let class = enclosing.last()?;
        if method.kind != ScopeKind::Function
            || method.is_static_method
            || class.kind != ScopeKind::Class
        {
            return None;
        }
        let in_class = Resolver {
            scopes: enclosing,
            ..*self
        };
        let at = class.bases.first()?.start().to_usize();
        match expr {
            Expr::Name(receiver)
                if method.param(receiver.id.as_str()) == Some(ParamKind::Positional(0)) =>
            {
                let body = class.body();
                in_class.stripe_base(class.bases, body, at, depth)
            }
            Expr::Call(call) => {
                let is_super = matches!(call.func.as_ref(), Expr::Name(f) if f.id.as_str() == "super")
                    && matches!(
                        self.lookup("super", call.start().to_usize()),
                        Lookup::Unbound
                    );
                (is_super && call.arguments.keywords.is_empty())
                    .then(|| in_class.stripe_among(class.bases, at, depth))
                    .flatten()
            }
            _ => None,
        }
    }

    /// The first of `bases` that is a class of Stripe's SDK.
    fn stripe_among(&self, bases: &[Expr], at: usize, depth: usize) -> Option<String> {
        if depth > MAX_DEPTH {
            return None;
        }
        let sdk = &shapes().python.sdk_module;
        bases.iter().find_map(|base| {
            let qualname = self.qualname_depth(base, at, depth + 1)?;
            let qualname = self.through_reexports(qualname);
            let root = qualname.split('.').next()?;
            (root == sdk).then_some(qualname)
        })
    }
}
