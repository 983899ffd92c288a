//! What a class's attributes and bases stand for: `self.X` / `cls.X` in a method is the
//! class's `X` (unless a method assigns `self.X`), and a project class deriving from one of
//! Stripe's resources (`class Sessions(stripe.checkout.Session)`) creates what the
//! resource creates.
//!
//! Knows Python's class scoping; which names are Stripe's it asks `shapes`.

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

use super::resolve::{Lookup, Resolver, MAX_DEPTH};
use super::scope::{instance_attrs, Def, ParamKind, ScopeKind};
use crate::shapes::shapes;

impl<'s, 'a> Resolver<'s, 'a> {
    /// The value of a class attribute that `receiver.attr` reads, in a method of the
    /// class (`receiver` is its first parameter), bound once in the class body or in a
    /// base class of this module, with where it is bound and the resolver to read it in.
    /// (For names only: a value read through `self` may be a subclass's.)
    pub fn class_attribute(&self, attr: &ast::ExprAttribute) -> Option<ClassAttribute<'s, 'a>> {
        let Expr::Name(receiver) = attr.value.as_ref() else {
            return None;
        };
        let (method, enclosing) = self.scopes.split_last()?;
        let class = enclosing.last()?;
        if method.kind != ScopeKind::Function
            || method.is_static_method
            || class.kind != ScopeKind::Class
            || method.param(receiver.id.as_str()) != Some(ParamKind::Positional(0))
        {
            return None;
        }
        let name = attr.attr.id.as_str();
        if class.instance_attrs.contains(&name) {
            return None;
        }
        let in_class = Resolver {
            scopes: enclosing,
            ..*self
        };
        match class.defs.get(name) {
            Some(defs) => match defs.last()? {
                Def::Assign { value, offset } => Some(ClassAttribute {
                    value,
                    offset: *offset,
                    resolver: in_class,
                }),
                _ => None,
            },
            None => {
                let at = class.bases.first()?.start().to_usize();
                in_class.base_attribute(class.bases, name, at, &mut Vec::new())
            }
        }
    }

    /// The value the first of `bases` that has `name` binds it to, where each base before
    /// it is a class of this module (one from elsewhere may have it: unknown), bound once
    /// directly in its body and on no instance.
    fn base_attribute(
        &self,
        bases: &'a [Expr],
        name: &str,
        at: usize,
        seen: &mut Vec<usize>,
    ) -> Option<ClassAttribute<'s, 'a>> {
        if seen.len() > MAX_DEPTH {
            return None;
        }
        let module = Resolver {
            scopes: &self.scopes[..1],
            ..*self
        };
        for base in bases {
            let Expr::Name(base) = base else {
                return None;
            };
            let Lookup::Defs(defs, ScopeKind::Module, _) = module.lookup(base.id.as_str(), at)
            else {
                return None;
            };
            let [Def::Class {
                bases,
                body,
                offset,
            }] = defs[..]
            else {
                return None;
            };
            // A diamond's shared base was searched already (a cycle is no valid Python).
            if seen.contains(offset) {
                continue;
            }
            seen.push(*offset);
            // A method or property of that name is what the attribute reads.
            let defines =
                |stmt: &Stmt| matches!(stmt, Stmt::FunctionDef(f) if f.name.as_str() == name);
            if body.iter().any(defines) {
                return None;
            }
            let bound: Vec<(&'a Expr, usize)> = body
                .iter()
                .filter_map(|stmt| class_binding(stmt, name))
                .collect();
            let nested = body.iter().any(|stmt| {
                !matches!(
                    stmt,
                    Stmt::Assign(_)
                        | Stmt::AnnAssign(_)
                        | Stmt::FunctionDef(_)
                        | Stmt::Expr(_)
                        | Stmt::Pass(_)
                )
            });
            match bound[..] {
                // Read in the module's scope: a value naming the base's own attributes
                // would read them there, wrongly.
                [(value, offset)]
                    if !nested
                        && !names_any(value, body)
                        && !instance_attrs(body).contains(&name) =>
                {
                    return Some(ClassAttribute {
                        value,
                        offset,
                        resolver: module,
                    });
                }
                [] if !nested => {
                    if let Some(found) = module.base_attribute(bases, name, *offset, seen) {
                        // What this base's instances hold hides it.
                        return (!instance_attrs(body).contains(&name)).then_some(found);
                    }
                }
                _ => return None,
            }
        }
        None
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
        self.stripe_among_seen(bases, at, depth, &mut Vec::new())
    }

    /// `stripe_among`, each class of the module searched once (`seen`: their offsets), so
    /// that a diamond of bases costs its size, not its paths.
    fn stripe_among_seen(
        &self,
        bases: &[Expr],
        at: usize,
        depth: usize,
        seen: &mut Vec<usize>,
    ) -> Option<String> {
        if depth > MAX_DEPTH {
            return None;
        }
        let sdk = &shapes().python.sdk_module;
        for base in bases {
            // An earlier base of this module with a create method of its own is the one
            // Python calls.
            if self.defines_create(base, at, &mut Vec::new()) {
                return None;
            }
            if let Some((bases, offset)) = self.module_class(base, at) {
                if seen.contains(&offset) {
                    continue;
                }
                seen.push(offset);
                match self.stripe_among_seen(bases, offset, depth + 1, seen) {
                    Some(found) => return Some(found),
                    None => continue,
                }
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

    /// The bases and offset of the class a base names, when it is one class of this
    /// module's.
    fn module_class(&self, base: &Expr, at: usize) -> Option<(&'a [Expr], usize)> {
        let Expr::Name(name) = base else {
            return None;
        };
        let Lookup::Defs(defs, ..) = self.lookup(name.id.as_str(), at) else {
            return None;
        };
        match defs[..] {
            [Def::Class { bases, offset, .. }] => Some((bases, *offset)),
            _ => None,
        }
    }

    /// Whether a base is a class of this module that defines a create method, itself or
    /// through its own bases of this module.
    fn defines_create(&self, base: &Expr, at: usize, seen: &mut Vec<usize>) -> bool {
        let Expr::Name(name) = base else {
            return false;
        };
        let Lookup::Defs(defs, ..) = self.lookup(name.id.as_str(), at) else {
            return false;
        };
        defs.iter().any(|def| match def {
            Def::Class {
                body,
                bases,
                offset,
            } if !seen.contains(offset) && seen.len() <= MAX_DEPTH => {
                seen.push(*offset);
                defines_create(body) || bases.iter().any(|b| self.defines_create(b, *offset, seen))
            }
            _ => false,
        })
    }
}

/// Whether a class body defines one of the SDK's create methods.
fn defines_create(body: &[Stmt]) -> bool {
    let create_methods = &shapes().python.create_methods;
    body.iter().any(|stmt| {
        matches!(stmt, Stmt::FunctionDef(f) if create_methods.iter().any(|m| m == f.name.id.as_str()))
    })
}

/// A class attribute as `Resolver::class_attribute` found it.
pub struct ClassAttribute<'s, 'a> {
    pub value: &'a Expr,
    pub offset: usize,
    pub resolver: Resolver<'s, 'a>,
}

/// The value a class-body statement binds `name` to (`NAME = value`, `NAME: T = value`).
fn class_binding<'a>(stmt: &'a Stmt, name: &str) -> Option<(&'a Expr, usize)> {
    let is_name = |target: &Expr| matches!(target, Expr::Name(n) if n.id.as_str() == name);
    match stmt {
        Stmt::Assign(assign) if assign.targets.iter().any(is_name) => {
            Some((&assign.value, assign.start().to_usize()))
        }
        Stmt::AnnAssign(assign) if is_name(&assign.target) => {
            Some((assign.value.as_deref()?, assign.start().to_usize()))
        }
        _ => None,
    }
}

/// Whether an expression reads a name a class body binds.
fn names_any(value: &Expr, class_body: &[Stmt]) -> bool {
    let mut names = Vec::new();
    let mut stack = vec![value];
    while let Some(expr) = stack.pop() {
        match expr {
            Expr::Name(name) => names.push(name.id.as_str()),
            Expr::Attribute(attr) => stack.push(&attr.value),
            Expr::BinOp(op) => stack.extend([op.left.as_ref(), op.right.as_ref()]),
            Expr::UnaryOp(op) => stack.push(&op.operand),
            Expr::Call(call) => {
                stack.push(&call.func);
                stack.extend(call.arguments.args.iter());
                stack.extend(call.arguments.keywords.iter().map(|k| &k.value));
            }
            _ => {}
        }
    }
    names.iter().any(|n| {
        class_body
            .iter()
            .any(|stmt| class_binding(stmt, n).is_some())
    })
}
