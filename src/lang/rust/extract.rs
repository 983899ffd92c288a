//! The Rust extractor: walks a file's items and function bodies in source order, tracking
//! locals (`Env`), and finds the three ways Rust code creates a Checkout Session:
//!
//! - async-stripe 0.x: `CheckoutSession::create(&client, params)`, with `params` a struct
//!   literal, `CreateCheckoutSession::new(..)` plus field assignments, built in the function;
//! - async-stripe 1.x: a `CreateCheckoutSession` builder sent with `.send(..)` /
//!   `.send_blocking(..)`, in one chain or through a (conditionally reassigned) variable;
//! - raw HTTP: a `.post(url)` (reqwest, ureq, ...) to a URL ending in `/checkout/sessions`,
//!   with `expires_at` in `.form(..)`, a hand-built body, or a JSON body (itself a bug).
//!
//! Macro invocations: arguments that parse as expressions or statements (`format!`, `vec!`,
//! `tokio::join!`, `assert!`, ...) are walked as code; `json!` bodies are data; the bodies of
//! `macro_rules!` definitions are never code. A macro whose tokens cannot be parsed but name a
//! create API is reported as unverifiable rather than skipped.

use std::collections::{BTreeMap, HashSet};

use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::visit::Visit;
use syn::{Attribute, Block, Expr, ExprMethodCall, Item, Lit, Pat, Stmt, Token};

use super::lower::{
    capped, ident, is_none, path_segments, peel, segments_of, symbol_term, unwrap_some, Env, Local,
    Presence,
};
use super::resolve::{Resolved, Resolver};
use super::routes::attribute_route;
use crate::facts::{
    BinaryOp, Binding, ByteSpan, ExpiresAtSource, FunctionSummary, RawCallSite, RouteRegistration,
    Term,
};
use crate::shapes::{shapes, RustShapes};

/// What the walk collects for one file.
#[derive(Default)]
pub struct Extraction {
    pub bindings: BTreeMap<String, Vec<Binding>>,
    pub functions: BTreeMap<String, FunctionSummary>,
    pub call_sites: Vec<RawCallSite>,
    pub routes: Vec<RouteRegistration>,
    /// Module-level constants that name the create endpoint's URL (`SESSIONS_URL`, or
    /// `inner::SESSIONS_URL` in an inline module), which other modules may POST to.
    pub endpoint_constants: Vec<String>,
}

pub struct Walker<'a> {
    pub text: &'a str,
    pub resolver: Resolver<'a>,
    pub env: Env,
    pub(super) shapes: &'static RustShapes,
    /// Qualified name of the enclosing function (`Type::method`, `outer::inner`).
    pub(super) function: Vec<String>,
    /// The HTTP route of the enclosing function, from an actix-style attribute.
    pub(super) route: Option<String>,
    /// The type of the enclosing `impl` or trait, for `Self::`.
    pub owner: Option<String>,
    /// Returned expressions of the function being walked.
    pub(super) returns: Vec<Term>,
    /// Method calls already read as part of a reported chain.
    /// Keyed by node address (see `node_key`).
    pub(super) consumed: HashSet<usize>,
    /// Trees parsed out of macro calls, kept until the file is done (see `node_key`).
    macro_trees: Vec<MacroTree>,
    /// A raw POST built by the expression being walked but not sent in it, waiting for a
    /// `let` or an assignment to store it.
    pub(super) pending_http: Option<super::sites::HttpRequest>,
    /// Functions of this file (absolute paths) that return Checkout parameters.
    pub(super) params_helpers: HashSet<String>,
    pub(super) out: Extraction,
}

impl<'a> Walker<'a> {
    pub fn new(text: &'a str, resolver: Resolver<'a>) -> Self {
        Walker {
            text,
            resolver,
            env: Env::default(),
            shapes: &shapes().rust,
            function: Vec::new(),
            route: None,
            owner: None,
            returns: Vec::new(),
            consumed: HashSet::new(),
            macro_trees: Vec::new(),
            pending_http: None,
            params_helpers: HashSet::new(),
            out: Extraction::default(),
        }
    }

    pub fn file(mut self, file: &syn::File) -> Extraction {
        let module = self.resolver.module();
        self.resolver.push(module, &file.items);
        self.params_helpers = self.params_helpers(&file.items);
        for (name, resolved, exported) in self.resolver.imports() {
            let term = match resolved {
                Resolved::Project(path) => symbol_term(&path),
                // Stripe types re-exported from here (`pub use stripe::CheckoutSession as
                // Session;`) are Stripe's in the modules that import them from here.
                Resolved::External(path)
                    if exported
                        && (self.shapes.is_session_type(&path)
                            || self.shapes.is_params_type(&path)) =>
                {
                    Term::External(path.join("::"))
                }
                _ => continue,
            };
            if matches!(term, Term::Symbol(_) | Term::External(_)) {
                self.out.bindings.entry(name).or_default().push(Binding {
                    term,
                    span: ByteSpan::default(),
                    is_definition: false,
                });
            }
        }
        for item in &file.items {
            self.item(item, None);
        }
        self.resolver.pop();
        self.out
    }

    pub(super) fn span(&self, node: &impl Spanned) -> ByteSpan {
        let range = node.span().byte_range();
        ByteSpan::new(range.start, range.end)
    }

    /// Identifies a syntax node by its address. Trees parsed out of macro arguments are
    /// kept alive in `macro_trees` for the whole file, so an address is never reused for
    /// another node (which once made a site in a later macro call look already read).
    pub(super) fn node_key<T>(node: &T) -> usize {
        node as *const T as usize
    }

    /// The enclosing function's qualified name from the file's module: `Type::method`,
    /// `outer::inner`, and `handlers::create` for a function of an inline `mod handlers`.
    pub(super) fn function_name(&self) -> String {
        if self.function.is_empty() {
            return "<module>".into();
        }
        let file = self.resolver.file.segments();
        let module = self.resolver.module();
        let mut parts: Vec<String> = module
            .strip_prefix(file.as_slice())
            .unwrap_or_default()
            .to_vec();
        parts.extend(self.function.iter().cloned());
        parts.join("::")
    }

    // ---- items ----------------------------------------------------------------------

    fn item(&mut self, item: &Item, owner: Option<&str>) {
        match item {
            Item::Const(c) => {
                let start = self.definition_start(&c.vis, c.const_token.span);
                self.constant(&c.ident, &c.expr, item, start)
            }
            Item::Static(s) => {
                let start = self.definition_start(&s.vis, s.static_token.span);
                self.constant(&s.ident, &s.expr, item, start)
            }
            Item::Fn(f) => self.function(&f.sig, &f.block, &f.attrs, owner),
            Item::Impl(imp) => {
                let owner = match &*imp.self_ty {
                    syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
                    _ => None,
                };
                for impl_item in &imp.items {
                    match impl_item {
                        syn::ImplItem::Fn(f) => {
                            self.function(&f.sig, &f.block, &f.attrs, owner.as_deref())
                        }
                        syn::ImplItem::Macro(m) => self.item_macro(&m.mac),
                        _ => {}
                    }
                }
            }
            Item::Trait(t) => {
                let owner = t.ident.to_string();
                for trait_item in &t.items {
                    if let syn::TraitItem::Fn(f) = trait_item {
                        if let Some(block) = &f.default {
                            self.function(&f.sig, block, &f.attrs, Some(&owner));
                        }
                    }
                }
            }
            Item::Mod(m) => {
                if let Some((_, items)) = &m.content {
                    let mut module = self.resolver.module();
                    module.push(m.ident.to_string());
                    self.resolver.push(module, items);
                    let saved = std::mem::take(&mut self.function);
                    for item in items {
                        self.item(item, None);
                    }
                    self.function = saved;
                    self.resolver.pop();
                }
            }
            // `macro_rules!` bodies are token patterns, not code.
            Item::Macro(m) if m.ident.is_none() => self.item_macro(&m.mac),
            _ => {}
        }
    }

    /// Module-level functions and methods whose return type is Checkout parameters
    /// (`fn build() -> CreateCheckoutSession`), by absolute path.
    fn params_helpers(&self, items: &[Item]) -> HashSet<String> {
        let module = self.resolver.module();
        let returns_params = |sig: &syn::Signature| match &sig.output {
            syn::ReturnType::Type(_, ty) => {
                type_path(ty).is_some_and(|p| self.is_params_type(&self.resolver.resolve(&p)))
            }
            syn::ReturnType::Default => false,
        };
        let mut out = HashSet::new();
        for item in items {
            match item {
                Item::Fn(f) if returns_params(&f.sig) => {
                    out.insert(format!("{}::{}", module.join("::"), f.sig.ident));
                }
                Item::Impl(imp) => {
                    let Some(owner) = type_path(&imp.self_ty).and_then(|p| p.last().cloned())
                    else {
                        continue;
                    };
                    for impl_item in &imp.items {
                        if let syn::ImplItem::Fn(f) = impl_item {
                            if returns_params(&f.sig) {
                                out.insert(format!(
                                    "{}::{owner}::{}",
                                    module.join("::"),
                                    f.sig.ident
                                ));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        out
    }

    /// The key of a module-level item in this file's summary: its path from the file's
    /// module (`TTL`, `inner::TTL` for an inline `mod inner`).
    pub(super) fn item_key(&self, name: &str) -> Option<String> {
        let file = self.resolver.file.segments();
        let module = self.resolver.module();
        let inner = module.strip_prefix(file.as_slice())?;
        let mut key = inner.join("::");
        if !key.is_empty() {
            key.push_str("::");
        }
        key.push_str(name);
        Some(key)
    }

    /// Where a definition starts for reporting: its `pub` or `const`, not its doc comment.
    fn definition_start(&self, vis: &syn::Visibility, keyword: proc_macro2::Span) -> usize {
        match vis {
            syn::Visibility::Inherited => keyword.byte_range().start,
            vis => self.span(vis).start,
        }
    }

    fn constant(&mut self, name: &syn::Ident, expr: &Expr, item: &Item, start: usize) {
        let saved = std::mem::take(&mut self.env);
        self.expr(expr);
        if let (true, Some(key)) = (self.function.is_empty(), self.item_key(&name.to_string())) {
            if self.is_endpoint(expr) {
                self.out.endpoint_constants.push(key.clone());
            }
            let term = self.lower(expr);
            let span = ByteSpan::new(start, self.span(item).end);
            self.out.bindings.entry(key).or_default().push(Binding {
                term,
                span,
                is_definition: true,
            });
        }
        self.env = saved;
    }

    fn function(
        &mut self,
        sig: &syn::Signature,
        block: &Block,
        attrs: &[Attribute],
        owner: Option<&str>,
    ) {
        let name = match owner {
            Some(owner) => format!("{owner}::{}", sig.ident),
            None => sig.ident.to_string(),
        };
        let saved_env = std::mem::take(&mut self.env);
        let saved_returns = std::mem::take(&mut self.returns);
        let saved_route = std::mem::replace(&mut self.route, attribute_route(attrs));
        let saved_owner = std::mem::replace(&mut self.owner, owner.map(str::to_string));
        let top_level = self.function.is_empty();
        self.function.push(name.clone());
        self.env.push();
        let mut params = Vec::new();
        for input in &sig.inputs {
            if let syn::FnArg::Typed(arg) = input {
                if let Pat::Ident(p) = &*arg.pat {
                    let ty = type_path(&arg.ty).map(|p| self.resolver.resolve(&p));
                    params.push(p.ident.to_string());
                    self.env.declare(p.ident.to_string(), Local::Param { ty });
                } else {
                    // `State(state): State<AppState>`: the names are still parameters.
                    let mut names = Vec::new();
                    collect_pat_idents(&arg.pat, &mut names);
                    for name in names {
                        self.env.declare(name, Local::Param { ty: None });
                    }
                }
            }
        }
        self.block_items(block);
        for stmt in &block.stmts {
            self.stmt(stmt);
        }
        if let Some(Stmt::Expr(tail, None)) = block.stmts.last() {
            let term = self.lower(tail);
            self.returns.push(term);
        }
        let scope = self.env.pop();
        self.flush_unsent(scope);
        self.resolver.pop();
        if let (true, Some(key)) = (top_level, self.item_key(&name)) {
            let returns = std::mem::take(&mut self.returns);
            self.out.functions.insert(
                key,
                FunctionSummary {
                    params,
                    returns,
                    returned_expires_at: None,
                },
            );
        }
        self.function.pop();
        self.env = saved_env;
        self.returns = saved_returns;
        self.route = saved_route;
        self.owner = saved_owner;
    }

    /// Items declared inside a block (`use`, nested `fn`) are visible in the whole block.
    fn block_items(&mut self, block: &Block) {
        let items: Vec<Item> = block
            .stmts
            .iter()
            .filter_map(|s| match s {
                Stmt::Item(i) => Some(i.clone()),
                _ => None,
            })
            .collect();
        self.resolver.push_block(&items);
    }

    // ---- statements and expressions -------------------------------------------------

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
    fn flush_unsent(&mut self, scope: Option<std::collections::HashMap<String, Local>>) {
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
            self.flush_request(
                request,
                Some("the request is built here but sent where checkout-lint cannot follow"),
            );
        }
    }

    fn stmt(&mut self, stmt: &Stmt) {
        match stmt {
            Stmt::Local(local) => {
                if let Some(init) = &local.init {
                    self.expr(&init.expr);
                    if let Some((_, diverge)) = &init.diverge {
                        self.expr(diverge);
                    }
                }
                let value = local.init.as_ref().map(|init| &*init.expr);
                self.bind(&local.pat, value);
            }
            Stmt::Item(item) => self.item(item, None),
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
        if let Some(presence) = self.form_collection(value) {
            return Local::Form(presence);
        }
        let (term, text) = self.lower_with_text(value);
        Local::Value(term, text)
    }

    pub(super) fn expr(&mut self, expr: &Expr) {
        match expr {
            Expr::Call(call) => {
                self.check_create_call(call);
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
        }
        match expr {
            Expr::If(i) => {
                let before = self.env.clone();
                // `if let` bindings are visible in the then-branch only.
                self.env.push();
                self.expr(&i.cond);
                self.block(&i.then_branch);
                self.env.pop();
                let after_then = std::mem::replace(&mut self.env, before);
                if let Some((_, else_branch)) = &i.else_branch {
                    self.expr(else_branch);
                }
                self.env = after_then.merge(&self.env);
            }
            Expr::Match(m) => {
                self.expr(&m.expr);
                let before = self.env.clone();
                let mut merged: Option<Env> = None;
                for arm in &m.arms {
                    self.env = before.clone();
                    self.env.push();
                    self.declare_pattern(&arm.pat);
                    if let Some((_, guard)) = &arm.guard {
                        self.expr(guard);
                    }
                    self.expr(&arm.body);
                    self.env.pop();
                    merged = Some(match merged {
                        None => self.env.clone(),
                        Some(acc) => acc.merge(&self.env),
                    });
                }
                self.env = merged.unwrap_or(before);
            }
            Expr::While(w) => {
                self.env.push();
                self.expr(&w.cond);
                self.loop_body(&w.body);
                self.env.pop();
            }
            Expr::ForLoop(f) => {
                self.expr(&f.expr);
                self.env.push();
                self.declare_pattern(&f.pat);
                self.loop_body(&f.body);
                self.env.pop();
            }
            Expr::Let(l) => {
                self.expr(&l.expr);
                self.declare_pattern(&l.pat);
            }
            Expr::Loop(l) => self.loop_body(&l.body),
            Expr::Block(b) => self.block(&b.block),
            Expr::Unsafe(u) => self.block(&u.block),
            Expr::Const(c) => self.block(&c.block),
            Expr::TryBlock(t) => self.block(&t.block),
            Expr::Async(a) => {
                let saved = self.env.clone();
                self.block(&a.block);
                self.deferred(saved, "an `async` block");
            }
            Expr::Closure(c) => {
                let saved = self.env.clone();
                self.env.push();
                for input in &c.inputs {
                    let mut names = Vec::new();
                    collect_pat_idents(input, &mut names);
                    for name in names {
                        self.env.declare(name, Local::Param { ty: None });
                    }
                }
                self.expr(&c.body);
                self.env.pop();
                self.deferred(saved, "a closure");
            }
            // `&mut p` lends the parameters out: whatever holds the borrow may change them.
            Expr::Reference(r) if r.mutability.is_some() => {
                self.expr(&r.expr);
                if let Some(name) = ident(peel(&r.expr)) {
                    self.escape(&name, &format!("`&mut {name}` lends it out"));
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
            }
            Expr::MethodCall(m) => {
                self.form_update(m);
                // `p.expires_at.take()`, `.replace(..)`, `.insert(..)`: the field changes.
                if let Expr::Field(field) = peel(&m.receiver) {
                    if let (Some(name), syn::Member::Named(member)) =
                        (ident(&field.base), &field.member)
                    {
                        if member == "expires_at" {
                            self.escape(&name, &format!("`.{}()` changes its field", m.method));
                        }
                    }
                }
                self.children(expr);
            }
            Expr::Macro(m) => self.macro_call(&m.mac),
            _ => self.children(expr),
        }
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

    /// Code that runs later (a closure, an `async` block) is walked with the current
    /// locals; afterwards the locals are restored, except that parameters it changed can
    /// no longer be trusted.
    fn deferred(&mut self, saved: Env, what: &str) {
        let later = std::mem::replace(&mut self.env, saved);
        for name in self.env.changed(&later) {
            match later.get(&name) {
                // A stored request sent inside the closure was reported there.
                Some(Local::Http(request)) => {
                    let request = request.clone();
                    self.env.assign(&name, Local::Http(request));
                }
                _ => self.escape(&name, &format!("{what} changes it")),
            }
        }
    }

    /// A local whose value may change out of sight (`&mut ts`, a closure assigning it): its
    /// `expires_at` (or its value) can no longer be traced.
    fn escape(&mut self, name: &str, how: &str) {
        let opaque = |what: &str| {
            Presence::set(
                Term::Opaque(format!(
                    "`{name}` may be changed where checkout-lint cannot follow: {what}"
                )),
                String::new(),
            )
        };
        match self.env.get(name) {
            Some(Local::Session(_)) => self.env.assign(name, Local::Session(opaque(how))),
            Some(Local::Form(_)) => self.env.assign(name, Local::Form(opaque(how))),
            Some(Local::Value(..)) => {
                let term = Term::Opaque(format!(
                    "`{name}` may be changed where checkout-lint cannot follow: {how}"
                ));
                self.env.assign(name, Local::Value(term, name.to_string()));
            }
            _ => {}
        }
    }

    fn loop_body(&mut self, body: &Block) {
        let before = self.env.clone();
        self.block(body);
        self.env = before.merge(&self.env);
    }

    fn assign(&mut self, left: &Expr, right: &Expr) {
        match left {
            // `params.expires_at = Some(ts);`
            Expr::Field(field) => {
                let (Some(name), syn::Member::Named(member)) = (ident(&field.base), &field.member)
                else {
                    return;
                };
                if member != "expires_at" {
                    return;
                }
                if let Some(Local::Session(_)) = self.env.get(&name) {
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

    // ---- macros ---------------------------------------------------------------------

    fn macro_call(&mut self, mac: &syn::Macro) {
        let name = macro_name(mac);
        if self.shapes.data_macros.contains(&name) {
            return;
        }
        if let Some(args) = macro_args(mac) {
            let args = std::rc::Rc::new(args);
            self.macro_trees.push(MacroTree::Exprs(args.clone()));
            for arg in args.iter() {
                self.expr(arg);
            }
            return;
        }
        if let Ok(stmts) = mac.parse_body_with(Block::parse_within) {
            let stmts = std::rc::Rc::new(stmts);
            self.macro_trees.push(MacroTree::Stmts(stmts.clone()));
            self.env.push();
            for stmt in stmts.iter() {
                self.stmt(stmt);
            }
            self.env.pop();
            return;
        }
        self.unreadable_macro(mac, &name);
    }

    /// An item-position macro call (`cfg_if! { .. }`, a project macro generating
    /// functions): walked as items when its tokens are items; otherwise reported if it
    /// names a create API (`lazy_static!` and other declarations are silent).
    fn item_macro(&mut self, mac: &syn::Macro) {
        let items = mac.parse_body_with(|input: syn::parse::ParseStream| {
            let mut items = Vec::new();
            while !input.is_empty() {
                items.push(input.parse::<Item>()?);
            }
            Ok(items)
        });
        match items {
            Ok(items) => {
                let items = std::rc::Rc::new(items);
                self.macro_trees.push(MacroTree::Items(items.clone()));
                for item in items.iter() {
                    self.item(item, None);
                }
            }
            Err(_) => self.unreadable_macro(mac, &macro_name(mac)),
        }
    }

    /// A macro whose tokens checkout-lint cannot read as code: unverifiable when it names a
    /// checkout type or the endpoint (as written, or through a `use` alias or a project
    /// re-export: `Cs::create(..)` with `use stripe::CheckoutSession as Cs`), silent
    /// otherwise.
    fn unreadable_macro(&mut self, mac: &syn::Macro, name: &str) {
        let names_marker = |text: &str| {
            super::UNREADABLE_MACRO_MARKERS
                .iter()
                .any(|marker| text.contains(marker))
        };
        let names_checkout = names_marker(&mac.tokens.to_string())
            || token_paths(mac.tokens.clone()).iter().any(|path| {
                self.resolver
                    .resolve(path)
                    .segments()
                    .iter()
                    .any(|segment| names_marker(segment))
            });
        if names_checkout {
            self.push_site(
                self.span(mac),
                format!("{name}!"),
                ExpiresAtSource::Unresolved(format!(
                    "it is inside the macro `{name}!`, whose arguments are not Rust code checkout-lint can read"
                )),
                false,
            );
        }
    }
}

/// A tree parsed out of a macro call, owned by the walker until the file is done. It is
/// never read again: holding it is the point.
#[allow(dead_code)]
enum MacroTree {
    Exprs(std::rc::Rc<Vec<Expr>>),
    Stmts(std::rc::Rc<Vec<Stmt>>),
    Items(std::rc::Rc<Vec<Item>>),
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

/// The links of a method chain from the outermost call inwards, and the expression at its
/// root, looking through `.await`, `?` and parentheses.
pub(super) fn flatten_chain(expr: &Expr) -> (Vec<&ExprMethodCall>, &Expr) {
    let mut links = Vec::new();
    let mut current = expr;
    loop {
        match current {
            Expr::MethodCall(m) => {
                links.push(m);
                current = &m.receiver;
            }
            Expr::Await(a) => current = &a.base,
            Expr::Try(t) => current = &t.expr,
            Expr::Paren(p) => current = &p.expr,
            _ => return (links, current),
        }
    }
}

/// A string literal with this value, also as `"..".to_string()`, `.into()`,
/// `String::from("..")`.
pub(super) fn is_str_lit(expr: &Expr, value: &str) -> bool {
    match peel(expr) {
        Expr::Lit(syn::ExprLit {
            lit: Lit::Str(s), ..
        }) => s.value() == value,
        Expr::MethodCall(m)
            if m.args.is_empty()
                && matches!(m.method.to_string().as_str(), "to_string" | "into") =>
        {
            is_str_lit(&m.receiver, value)
        }
        Expr::Call(call) if call.args.len() == 1 => {
            path_segments(&call.func)
                .is_some_and(|p| p.ends_with(&["String".into(), "from".into()]))
                && is_str_lit(&call.args[0], value)
        }
        _ => false,
    }
}

/// `Default::default()`, `T::default()`, `T::new()` with no arguments.
pub(super) fn is_default_call(call: &syn::ExprCall) -> bool {
    call.args.is_empty()
        && path_segments(&call.func)
            .is_some_and(|p| p.last().is_some_and(|l| l == "default" || l == "new"))
}

pub(super) fn is_compound_assign(op: &syn::BinOp) -> bool {
    matches!(
        op,
        syn::BinOp::AddAssign(_)
            | syn::BinOp::SubAssign(_)
            | syn::BinOp::MulAssign(_)
            | syn::BinOp::DivAssign(_)
    )
}

pub(super) fn collect_pat_idents(pat: &Pat, out: &mut Vec<String>) {
    struct Idents<'o>(&'o mut Vec<String>);
    impl<'ast> Visit<'ast> for Idents<'_> {
        fn visit_pat_ident(&mut self, p: &'ast syn::PatIdent) {
            self.0.push(p.ident.to_string());
        }
    }
    Idents(out).visit_pat(pat);
}

/// The path of a type, looking through references (`&CreateCheckoutSession<'a>`).
pub(super) fn type_path(ty: &syn::Type) -> Option<Vec<String>> {
    match ty {
        syn::Type::Reference(r) => type_path(&r.elem),
        syn::Type::Path(p) if p.qself.is_none() => Some(segments_of(&p.path)),
        _ => None,
    }
}

pub fn macro_name(mac: &syn::Macro) -> String {
    mac.path
        .segments
        .last()
        .map(|s| s.ident.to_string())
        .unwrap_or_default()
}

/// The paths (`a::b::C`, or one name) written in a macro's tokens, at any depth.
fn token_paths(tokens: proc_macro2::TokenStream) -> Vec<Vec<String>> {
    use proc_macro2::{Spacing, TokenTree};
    let mut paths = Vec::new();
    let mut current: Vec<String> = Vec::new();
    // Whether the last tokens were `::` after a name, so the next name continues the path.
    let mut continues = false;
    let mut colon = false;
    let mut stack = vec![tokens.into_iter()];
    while let Some(trees) = stack.last_mut() {
        let Some(tree) = trees.next() else {
            stack.pop();
            continue;
        };
        match tree {
            TokenTree::Ident(name) => {
                if !continues && !current.is_empty() {
                    paths.push(std::mem::take(&mut current));
                }
                current.push(name.to_string());
                continues = false;
                colon = false;
                continue;
            }
            TokenTree::Punct(punct) if punct.as_char() == ':' => {
                if colon {
                    continues = !current.is_empty();
                    colon = false;
                } else {
                    colon = punct.spacing() == Spacing::Joint;
                }
                continue;
            }
            TokenTree::Group(group) => stack.push(group.stream().into_iter()),
            _ => {}
        }
        continues = false;
        colon = false;
        if !current.is_empty() {
            paths.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        paths.push(current);
    }
    paths
}

/// The arguments of a macro call when they are comma-separated expressions.
pub fn macro_args(mac: &syn::Macro) -> Option<Vec<Expr>> {
    mac.parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated)
        .ok()
        .map(|p| p.into_iter().collect())
}
