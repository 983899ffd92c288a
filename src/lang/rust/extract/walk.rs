//! The walk of statements and expressions in source order: `let` bindings, assignments,
//! branches, loops and early exits (where their paths go and meet is `flow::paths`'),
//! closures and `async` blocks (code that runs later), and the call-site checks each
//! expression gets (`sites`, `http`).
//!
//! Knows Rust syntax; which calls are creates is asked of `sites`.

use syn::visit::Visit;
use syn::{Block, Expr, Item, Pat, Stmt};

use super::Walker;
use crate::facts::{BinaryOp, Term, Unseen};
use crate::flow::paths::{self, Leave};
use crate::lang::rust::env::{capped, Local, Presence};
use crate::lang::rust::syntax::{
    collect_pat_idents, ident, is_compound_assign, is_default_call, is_none, peel, type_path,
    unwrap_some,
};
use crate::shapes::shapes;

impl Walker<'_> {
    fn block(&mut self, block: &Block) {
        self.env.push();
        self.block_items(block);
        for stmt in &block.stmts {
            self.stmt(stmt);
        }
        self.resolver.pop();
        let scope = self.env.pop();
        self.flush_unsent(scope);
    }

    /// Requests stored in locals that go out of scope without being sent here are sent
    /// elsewhere (returned, handed to a helper): their body cannot be judged.
    pub(super) fn flush_unsent(&mut self, scope: Option<std::collections::HashMap<String, Local>>) {
        let mut unsent: Vec<_> = scope
            .into_iter()
            .flatten()
            .filter_map(|(_, local)| match local {
                Local::Http(request) if !request.sent => Some(*request),
                _ => None,
            })
            .collect();
        unsent.sort_by_key(|r| r.start);
        for request in unsent {
            self.flush_request(request, Some(Unseen::SentElsewhere));
        }
    }

    pub(super) fn stmt(&mut self, stmt: &Stmt) {
        paths::spend(self);
        match stmt {
            Stmt::Local(local) => {
                if let Some(init) = &local.init {
                    // `let api = Router::new().route(..)`: the router is named by the local.
                    let name = crate::lang::rust::syntax::pat_ident(&local.pat);
                    let saved = std::mem::replace(&mut self.router_local, name);
                    self.expr(&init.expr);
                    self.router_local = saved;
                    // `let .. else { return }`: the `else` runs when the pattern does not
                    // match, and leaves.
                    if let Some((_, diverge)) = &init.diverge {
                        paths::branch(self, 1, false, |walker, _| walker.expr(diverge));
                    }
                }
                let value = local.init.as_ref().map(|init| &*init.expr);
                self.bind(&local.pat, value);
            }
            // An item cannot touch the function's locals: a muted round need not walk it.
            Stmt::Item(item) if !paths::is_muted(self) => self.item(item, None),
            Stmt::Item(_) => {}
            Stmt::Expr(expr, _) => self.expr(expr),
            Stmt::Macro(m) => self.macro_call(&m.mac),
        }
        if let Some(request) = self.pending_http.take() {
            self.flush_request(request, None);
        }
    }

    fn bind(&mut self, pat: &Pat, value: Option<&Expr>) {
        match pat {
            Pat::Ident(p) => {
                let pending = self.pending_http.take();
                let local = match (value, pending) {
                    (Some(_), Some(request)) => Local::Http(Box::new(request)),
                    (Some(value), None) => self.classify(value),
                    (None, _) => Local::Value(
                        Term::Opaque(format!("`{}` is assigned later", p.ident)),
                        String::new(),
                    ),
                };
                self.env.declare(p.ident.to_string(), local);
            }
            Pat::Type(t) => {
                let declared_params = type_path(&t.ty)
                    .map(|p| self.resolver.resolve(&p))
                    .is_some_and(|r| self.is_params_type(&r));
                // `let p: CreateCheckoutSession = Default::default();`
                match (value.map(peel), &*t.pat) {
                    (Some(Expr::Call(call)), Pat::Ident(p))
                        if declared_params && is_default_call(call) =>
                    {
                        self.env
                            .declare(p.ident.to_string(), Local::Session(Presence::unset()));
                    }
                    // `let r: CreateCustomer = ..`: another request, whatever it is built from.
                    (_, Pat::Ident(p)) if self.is_other_sdk_request(&t.ty).is_some() => {
                        if let Some(ty) = self.is_other_sdk_request(&t.ty) {
                            self.env.declare(p.ident.to_string(), Local::Typed(ty));
                        }
                    }
                    _ => self.bind(&t.pat, value),
                }
            }
            other => self.declare_pattern(other),
        }
    }

    /// Declares the names a pattern binds (`if let Some(ts)`, match arms, `for`,
    /// destructuring `let`): values the analysis cannot see, shadowing outer locals.
    fn declare_pattern(&mut self, pat: &Pat) {
        let mut names = Vec::new();
        collect_pat_idents(pat, &mut names);
        for name in names {
            self.env.declare(
                name.clone(),
                Local::Value(
                    Term::Opaque(format!("`{name}` is bound by a pattern")),
                    String::new(),
                ),
            );
        }
    }

    /// What a `let` initialiser makes: Checkout parameters, form parameters, or a value.
    pub(super) fn classify(&self, value: &Expr) -> Local {
        if let Some(presence) = self.session_presence(value) {
            return Local::Session(presence);
        }
        if let Some(local) = self.struct_form_local(value) {
            return local;
        }
        if let Some(presence) = self.form_collection(value) {
            return Local::Form(presence);
        }
        if let Some(ty) = self.other_request_type(value) {
            return Local::Typed(ty);
        }
        let (term, text) = self.lower_with_text(value);
        Local::Value(term, text)
    }

    pub(super) fn expr(&mut self, expr: &Expr) {
        match expr {
            Expr::Call(call) => {
                self.check_create_call(call);
                self.check_fn_helper_call(call);
                // `let request = ureq::post(url);`, sent later.
                if !self.consumed.contains(&Self::node_key(expr)) {
                    self.check_http(&[], expr);
                }
            }
            Expr::MethodCall(m) if !self.consumed.contains(&Self::node_key(m)) => {
                self.check_chain(expr)
            }
            Expr::Path(p)
                if is_create_name(p) && !self.consumed.contains(&Self::node_key(expr)) =>
            {
                self.check_create_reference(expr)
            }
            _ => {}
        }
        if let Expr::Call(call) = expr {
            // The callee of a call is not a reference handed on.
            let key = Self::node_key(&*call.func);
            self.consumed.insert(key);
            self.lend_arguments(&call.args, |walker| walker.short_text_of(&call.func));
        }
        if let Expr::MethodCall(m) = expr {
            self.lend_arguments(&m.args, |walker| {
                let receiver = match &*m.receiver {
                    Expr::Path(_) | Expr::Field(_) => walker.short_text_of(&m.receiver),
                    _ => "<call>".to_string(),
                };
                format!("{receiver}.{}", m.method)
            });
        }
        match expr {
            Expr::If(i) => {
                // `if let` bindings are visible in the then-branch only.
                self.env.push();
                self.expr(&i.cond);
                let otherwise = i.else_branch.as_ref().map(|(_, e)| &**e);
                paths::branch(self, 2, true, |walker, arm| {
                    if arm == 0 {
                        walker.block(&i.then_branch);
                    } else {
                        walker.env.pop();
                        walker.env.push();
                        if let Some(otherwise) = otherwise {
                            walker.expr(otherwise);
                        }
                    }
                });
                self.env.pop();
            }
            Expr::Match(m) => {
                self.expr(&m.expr);
                // `match p.expires_at { Some(ref mut e) => .. }` borrows the field mutably.
                if binds_by_mut_ref(m) {
                    self.lend(&m.expr, None);
                }
                paths::branch(self, m.arms.len(), true, |walker, index| {
                    let arm = &m.arms[index];
                    walker.env.push();
                    walker.declare_pattern(&arm.pat);
                    if let Some((_, guard)) = &arm.guard {
                        walker.expr(guard);
                    }
                    walker.expr(&arm.body);
                    walker.env.pop();
                });
            }
            Expr::While(w) => {
                self.repeat(&w.label, false, |walker| {
                    walker.env.push();
                    walker.expr(&w.cond);
                    walker.block(&w.body);
                    walker.env.pop();
                });
            }
            Expr::ForLoop(f) => {
                self.expr(&f.expr);
                self.repeat(&f.label, false, |walker| {
                    walker.env.push();
                    walker.declare_pattern(&f.pat);
                    walker.block(&f.body);
                    walker.env.pop();
                });
            }
            Expr::Let(l) => {
                self.expr(&l.expr);
                self.declare_pattern(&l.pat);
            }
            Expr::Loop(l) => self.repeat(&l.label, true, |walker| walker.block(&l.body)),
            Expr::Block(b) => match label(&b.label) {
                Some(name) => {
                    let depth = self.env.depth();
                    paths::labelled(self, &name, |walker| walker.block(&b.block));
                    self.env.truncate(depth);
                }
                None => self.block(&b.block),
            },
            Expr::Unsafe(u) => self.block(&u.block),
            Expr::Const(c) => self.block(&c.block),
            Expr::TryBlock(t) => self.block(&t.block),
            Expr::Async(a) => {
                let saved = self.env.clone();
                paths::detached(self, |walker| walker.block(&a.block));
                self.deferred(saved, "an `async` block");
            }
            Expr::Closure(c) => {
                let saved = self.env.clone();
                paths::detached(self, |walker| {
                    walker.env.push();
                    for input in &c.inputs {
                        let mut names = Vec::new();
                        collect_pat_idents(input, &mut names);
                        for name in names {
                            walker.env.declare(name, Local::Param { ty: None });
                        }
                    }
                    walker.expr(&c.body);
                    walker.env.pop();
                });
                self.deferred(saved, "a closure");
            }
            // `&mut p` lends the parameters out: whatever holds the borrow may change them.
            Expr::Reference(r) if r.mutability.is_some() => {
                self.expr(&r.expr);
                if !self.consumed.contains(&Self::node_key(r)) {
                    self.lend(&r.expr, None);
                }
            }
            Expr::Assign(a) => {
                self.expr(&a.right);
                self.assign(&a.left, &a.right);
            }
            Expr::Binary(b) if is_compound_assign(&b.op) => {
                self.expr(&b.right);
                self.compound_assign(b, expr);
            }
            Expr::Return(r) => {
                if let Some(value) = &r.expr {
                    self.expr(value);
                    let term = self.lower(value);
                    self.returns.push(term);
                }
                paths::exit(self);
            }
            Expr::Break(b) => {
                if let Some(value) = &b.expr {
                    self.expr(value);
                }
                let name = b.label.as_ref().map(|l| l.ident.to_string());
                paths::leave(self, Leave::Break, name.as_deref());
            }
            Expr::Continue(c) => {
                let name = c.label.as_ref().map(|l| l.ident.to_string());
                paths::leave(self, Leave::Continue, name.as_deref());
            }
            Expr::MethodCall(m) => {
                self.form_update(m);
                // `p.expires_at.take()`, `.replace(..)`, `.insert(..)`: the field changes.
                if let Expr::Field(field) = peel(&m.receiver) {
                    if let (Some(name), syn::Member::Named(member)) =
                        (ident(&field.base), &field.member)
                    {
                        self.field_method(&name, member, &m.method);
                    }
                }
                self.children(expr);
            }
            Expr::Macro(m) => self.macro_call(&m.mac),
            _ => self.children(expr),
        }
    }

    /// A loop whose body (with its test or pattern) is `body`: Rust loops have no `else`.
    fn repeat(
        &mut self,
        label: &Option<syn::Label>,
        endless: bool,
        mut body: impl FnMut(&mut Self),
    ) {
        let label = label.as_ref().map(|l| l.name.ident.to_string());
        let parts = paths::Loop {
            label: label.as_deref(),
            endless,
            header: &mut |_| {},
            body: &mut body,
            orelse: &mut |_| {},
        };
        // A `break` leaves the scopes it was in open: they end with the loop.
        let depth = self.env.depth();
        paths::repeat(self, parts);
        self.env.truncate(depth);
    }

    /// Walks the direct sub-expressions of `expr`.
    fn children(&mut self, expr: &Expr) {
        let mut collector = Children::default();
        syn::visit::visit_expr(&mut collector, expr);
        for child in collector.exprs {
            self.expr(child);
        }
        for block in collector.blocks {
            self.block(block);
        }
    }

    /// `ts += TTL;` on a value local.
    fn compound_assign(&mut self, b: &syn::ExprBinary, expr: &Expr) {
        let Some(name) = ident(&b.left) else {
            return;
        };
        if !matches!(self.env.get(&name), Some(Local::Value(..))) {
            return;
        }
        let op = match b.op {
            syn::BinOp::AddAssign(_) => BinaryOp::Add,
            syn::BinOp::SubAssign(_) => BinaryOp::Sub,
            syn::BinOp::MulAssign(_) => BinaryOp::Mul,
            syn::BinOp::DivAssign(_) => BinaryOp::FloorDiv,
            _ => BinaryOp::Other,
        };
        let term = capped(Term::Binary {
            op,
            left: Box::new(self.lower(&b.left)),
            right: Box::new(self.lower(&b.right)),
        });
        let text = self.text_of(expr);
        self.env.assign(&name, Local::Value(term, text));
    }

    fn assign(&mut self, left: &Expr, right: &Expr) {
        match left {
            // `params.expires_at = Some(ts);`
            Expr::Field(field) => {
                let (Some(name), syn::Member::Named(member)) = (ident(&field.base), &field.member)
                else {
                    return;
                };
                if self.struct_field_assigned(&name, member, right) {
                    return;
                }
                if member != self.expires_at {
                    return;
                }
                // A parameter's own fields are unknown, but once `expires_at` is written
                // here the create sees this value, whatever the caller passed.
                let traced = match self.env.get(&name) {
                    Some(Local::Session(_)) => true,
                    Some(Local::Param { ty }) => ty.as_ref().is_none_or(|t| self.is_params_type(t)),
                    _ => false,
                };
                if traced {
                    let presence = if is_none(right) {
                        Presence::unset()
                    } else {
                        let (term, text) = self.lower_with_text(unwrap_some(right));
                        Presence::set(term, text)
                    };
                    self.env.assign(&name, Local::Session(presence));
                }
            }
            // `req = req.expires_at(ts);`
            _ => {
                if let Some(name) = ident(left) {
                    let local = match self.pending_http.take() {
                        Some(request) => Local::Http(Box::new(request)),
                        None => self.classify(right),
                    };
                    self.env.assign(&name, local);
                }
            }
        }
    }
}

/// Whether an arm of `m` binds a name by `ref mut`.
fn binds_by_mut_ref(m: &syn::ExprMatch) -> bool {
    struct Finder(bool);
    impl<'ast> Visit<'ast> for Finder {
        fn visit_pat_ident(&mut self, p: &'ast syn::PatIdent) {
            self.0 |= p.by_ref.is_some() && p.mutability.is_some();
            syn::visit::visit_pat_ident(self, p);
        }
    }
    let mut finder = Finder(false);
    for arm in &m.arms {
        finder.visit_pat(&arm.pat);
    }
    finder.0
}

/// A loop's or block's label without its quote (`'outer` names `outer`).
fn label(label: &Option<syn::Label>) -> Option<String> {
    label.as_ref().map(|l| l.name.ident.to_string())
}

/// A path whose last segment is a create function (`…::create`): the only paths worth
/// resolving as a reference to `CheckoutSession::create`.
fn is_create_name(path: &syn::ExprPath) -> bool {
    path.path.segments.len() >= 2
        && path
            .path
            .segments
            .last()
            .is_some_and(|s| shapes().rust.create_functions.iter().any(|c| s.ident == c))
}

/// Direct sub-expressions and blocks of an expression, without descending further.
#[derive(Default)]
struct Children<'ast> {
    exprs: Vec<&'ast Expr>,
    blocks: Vec<&'ast Block>,
}

impl<'ast> Visit<'ast> for Children<'ast> {
    fn visit_expr(&mut self, expr: &'ast Expr) {
        self.exprs.push(expr);
    }

    fn visit_block(&mut self, block: &'ast Block) {
        self.blocks.push(block);
    }

    fn visit_item(&mut self, _: &'ast Item) {}
}
