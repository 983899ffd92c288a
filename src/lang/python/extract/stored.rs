//! A create method held as a value where the calls through it cannot be followed: in a
//! list, set or tuple, in a dict something reads other than by a literal key, in an
//! attribute or an item, as a keyword argument, a return value, a parameter's default.
//! Such a reference is a CL007 site (`Unseen::CreateAsValue`), as the Rust front end
//! reports a create function handed on as a value.
//!
//! The positions the walk does follow are marked in `Extractor::followed` before the walk
//! reaches them: a call's callee and positional arguments (`sites`), the value of a plain
//! name binding (`create = S.create`, unpacked pairs, a walrus), a value of a dict bound to
//! a name the module only reads by literal keys (`OPS["create"](..)`), an operand of a
//! comparison, and what introspection reads (`S.create.__name__`, `patch.object(..)`).
//!
//! Knows Python's binding forms; which names are Stripe's it asks `sites`.

use std::collections::HashSet;

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, ExprContext, Stmt};
use ruff_text_size::{Ranged, TextRange};

use super::Extractor;
use crate::facts::{ExpiresAtSource, Unseen};
use crate::lang::python::scope::{Def, ScopeKind};

impl<'a> Extractor<'a, '_> {
    /// Marks the values a statement binds to plain names as followed, and what a
    /// statement only tests (`if S.create:`, `assert ..`).
    pub(super) fn follow_bindings(&mut self, stmt: &'a Stmt) {
        match stmt {
            // `a = b = S.create` is followed only when every target is a name.
            Stmt::Assign(assign) if assign.targets.len() == 1 => {
                self.follow_binding(&assign.targets[0], &assign.value);
            }
            Stmt::Assign(assign)
                if assign.targets.iter().all(|t| matches!(t, Expr::Name(_)))
                    && self
                        .scopes
                        .last()
                        .is_some_and(|s| s.kind != ScopeKind::Class) =>
            {
                self.followed.insert(assign.value.range());
            }
            Stmt::If(branch) => {
                self.followed.insert(branch.test.range());
            }
            Stmt::While(loop_) => {
                self.followed.insert(loop_.test.range());
            }
            Stmt::Assert(assert) => {
                self.followed.insert(assert.test.range());
            }
            Stmt::AnnAssign(assign) => {
                if let Some(value) = &assign.value {
                    self.follow_binding(&assign.target, value);
                }
            }
            _ => {}
        }
    }

    fn follow_binding(&mut self, target: &'a Expr, value: &'a Expr) {
        // A class body's names are read as attributes, through instances and the class
        // from anywhere (`Gateway().start(..)`): only `self.X`/`cls.X` are followed.
        let in_class = self
            .scopes
            .last()
            .is_some_and(|s| s.kind == ScopeKind::Class);
        match (target, value) {
            (Expr::Name(_), _) if in_class => {}
            (Expr::Name(name), Expr::Dict(dict)) if !self.read_whole(name.id.as_str()) => {
                for item in &dict.items {
                    if matches!(item.key, Some(Expr::StringLiteral(_))) {
                        self.followed.insert(item.value.range());
                    }
                }
            }
            (Expr::Name(_), _) => {
                self.followed.insert(value.range());
            }
            // Put back where calls are checked already (`S.create = original`).
            (Expr::Attribute(attr), _)
                if self.could_name_create(attr.attr.id.as_str())
                    && (self.create_reference(target)).is_some_and(|r| r.shape.is_some()) =>
            {
                self.followed.insert(value.range());
            }
            (
                Expr::Tuple(ast::ExprTuple { elts: targets, .. })
                | Expr::List(ast::ExprList { elts: targets, .. }),
                Expr::Tuple(ast::ExprTuple { elts: values, .. })
                | Expr::List(ast::ExprList { elts: values, .. }),
            ) if targets.len() == values.len() => {
                for (target, value) in targets.iter().zip(values) {
                    self.follow_binding(target, value);
                }
            }
            _ => {}
        }
    }

    /// Marks what a call's callee and arguments are as decided: the callee is the call
    /// (`check_call`), positional arguments are handed-on callables (`check_references`),
    /// and every argument of an introspection or mocking call (`patch.object`) only reads.
    pub(super) fn follow_call(&mut self, call: &'a ast::ExprCall, callee: Option<&str>) {
        self.followed.insert(call.func.range());
        for arg in &call.arguments.args {
            self.followed.insert(arg.range());
        }
        if self.only_inspects(callee) {
            for keyword in &call.arguments.keywords {
                self.followed.insert(keyword.value.range());
            }
            // `setattr(obj, "f", S.create)` stores it; `getattr(obj, "f", S.create)`
            // hands it back as a default.
            let last = callee.and_then(|q| q.rsplit('.').next());
            if matches!(last, Some("setattr" | "getattr")) {
                if let Some(stored) = call.arguments.args.get(2) {
                    self.followed.remove(&stored.range());
                }
            }
        }
    }

    /// Marks the expressions that only read a value, never keep it.
    pub(super) fn follow_reads(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Compare(compare) => {
                let operands = std::iter::once(compare.left.as_ref()).chain(&compare.comparators);
                for operand in operands {
                    self.followed.insert(operand.range());
                    // `f in (S.create, S.create_async)`
                    if let Expr::Tuple(ast::ExprTuple { elts, .. })
                    | Expr::List(ast::ExprList { elts, .. })
                    | Expr::Set(ast::ExprSet { elts, .. }) = operand
                    {
                        for element in elts {
                            self.followed.insert(element.range());
                        }
                    }
                }
            }
            Expr::UnaryOp(op) => {
                self.followed.insert(op.operand.range());
            }
            // `f"{S.create}"` formats it.
            Expr::FString(fstring) => {
                for element in fstring.value.elements() {
                    if let ast::InterpolatedStringElement::Interpolation(element) = element {
                        self.followed.insert(element.expression.range());
                    }
                }
            }
            Expr::Attribute(attr) => {
                self.followed.insert(attr.value.range());
            }
            Expr::Named(named) => {
                self.followed.insert(named.value.range());
            }
            _ => {}
        }
    }

    /// A name or attribute the walk reaches where no marked position covers it: a CL007
    /// site when it stands for a create method.
    pub(super) fn check_stored(&mut self, expr: &'a Expr) {
        let could_be_create = match expr {
            Expr::Attribute(attr) => {
                attr.ctx == ExprContext::Load && self.could_name_create(attr.attr.id.as_str())
            }
            Expr::Name(name) => name.ctx == ExprContext::Load && self.could_hold_create(name, 0),
            _ => false,
        };
        if !could_be_create || self.followed.contains(&expr.range()) {
            return;
        }
        let Some(reference) = self.create_reference(expr) else {
            return;
        };
        if reference.shape.is_none() {
            return;
        }
        let written = reference
            .via
            .clone()
            .unwrap_or_else(|| self.resolver().text(expr));
        let why = Unseen::CreateAsValue { written };
        self.record_site(
            expr.range(),
            reference.api,
            reference.via,
            ExpiresAtSource::Unresolved(why),
            (None, None),
        );
    }

    /// Whether a name may hold a create method or a thin wrapper, by how it is bound: not
    /// a parameter, a class or a builtin. (Most names read are not; resolving each
    /// would cost the walk a tenth of its time.)
    fn could_hold_create(&self, name: &ast::ExprName, depth: usize) -> bool {
        let id = name.id.as_str();
        let last = self.scopes.len() - 1;
        let binding = self
            .scopes
            .iter()
            .enumerate()
            .rev()
            .find_map(|(index, scope)| {
                if scope.kind == ScopeKind::Class && index != last {
                    return None;
                }
                if scope.param(id).is_some() {
                    return Some(None);
                }
                scope.defs.get(id).map(Some)
            });
        let Some(binding) = binding else {
            return !self.scopes[0].star_imports.is_empty();
        };
        binding.into_iter().flatten().any(|def| match def {
            Def::Assign { value, .. } => self.could_be_create(value, depth + 1),
            Def::Import { qualname, .. } => {
                let qualname = self.resolver().absolute(qualname);
                let root = qualname.split('.').next().unwrap_or_default();
                root == self.shapes.sdk_module
                    || self.ctx.project_modules.contains(&qualname)
                    || qualname
                        .rsplit_once('.')
                        .is_some_and(|(module, _)| self.ctx.project_modules.contains(module))
            }
            Def::Function { .. } => self.could_name_create(id),
            Def::Class { .. } | Def::Other { .. } => false,
        })
    }

    /// Whether a bound value may be a create method, by its form (the resolver decides):
    /// an attribute of a create method's name, another name, an item, `getattr(..)`.
    fn could_be_create(&self, value: &Expr, depth: usize) -> bool {
        match value {
            Expr::Attribute(attr) => self.could_name_create(attr.attr.id.as_str()),
            // Another name, as bound where this one is read (a guess the resolver settles).
            Expr::Name(name) => depth > 4 || self.could_hold_create(name, depth),
            Expr::Subscript(item) => matches!(item.slice.as_ref(), Expr::StringLiteral(_)),
            Expr::Call(call) => matches!(&call.arguments.args[..], [_, Expr::StringLiteral(name)]
                if self.could_name_create(name.value.to_str())),
            _ => false,
        }
    }

    /// Whether an attribute of this name may be a create method or a thin wrapper.
    fn could_name_create(&self, attr: &str) -> bool {
        self.shapes.create_methods.iter().any(|m| m == attr)
            || self
                .ctx
                .wrappers
                .keys()
                .any(|w| w.rsplit('.').next() == Some(attr))
    }

    /// Whether the module reads `name` other than by a literal key (`OPS["create"]`):
    /// whole, as an attribute's receiver, or by a computed key.
    fn read_whole(&mut self, name: &str) -> bool {
        let body = self.body;
        self.whole_reads
            .get_or_insert_with(|| {
                let mut reads = WholeReads::default();
                for stmt in body {
                    reads.visit_stmt(stmt);
                }
                reads.names
            })
            .contains(name)
    }
}

/// The names a module reads other than by a literal key.
#[derive(Default)]
struct WholeReads<'a> {
    names: HashSet<&'a str>,
}

impl<'a> Visitor<'a> for WholeReads<'a> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Subscript(subscript)
                if subscript.ctx == ExprContext::Load
                    && matches!(subscript.value.as_ref(), Expr::Name(_))
                    && matches!(subscript.slice.as_ref(), Expr::StringLiteral(_)) => {}
            Expr::Name(name) if name.ctx == ExprContext::Load => {
                self.names.insert(name.id.as_str());
            }
            _ => visitor::walk_expr(self, expr),
        }
    }
}

/// The ranges of expressions the walk has decided about.
pub(super) type Followed = rustc_hash::FxHashSet<TextRange>;
