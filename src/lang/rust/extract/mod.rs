//! The Rust extractor: walks a file's items in source order and hands each function body to
//! the statement walk (`walk`), and finds the three ways Rust code creates a Checkout Session:
//!
//! - async-stripe 0.x: `CheckoutSession::create(&client, params)`, with `params` a struct
//!   literal, `CreateCheckoutSession::new(..)` plus field assignments, built in the function;
//! - async-stripe 1.x: a `CreateCheckoutSession` builder sent with `.send(..)` /
//!   `.send_blocking(..)`, in one chain or through a (conditionally reassigned) variable;
//! - raw HTTP: a `.post(url)` (reqwest, ureq, ...) to a URL ending in `/checkout/sessions`,
//!   with `expires_at` in `.form(..)`, a hand-built body, or a JSON body (itself a bug).
//!
//! This module owns the walker's state and the item level: modules, `impl`s, traits,
//! functions (their parameters and returns), constants. Statements are `walk`'s, macros
//! `macros`', call sites `sites`' and `http`'s. It asks `shapes` which types are Stripe's.

mod driver;
mod escapes;
mod form_chains;
mod helpers;
mod http;
mod http_sites;
mod lower;
mod macros;
mod routes;
mod serde_forms;
mod sites;
mod types;
mod walk;

pub use helpers::EndpointHelper;

use std::collections::{BTreeMap, HashSet};

use syn::spanned::Spanned;
use syn::{Attribute, Block, Expr, Item, Pat, Stmt};

use super::env::{Env, Local};
use super::resolve::{Resolved, Resolver};
use super::syntax::{collect_pat_idents, type_path};
use crate::facts::{Binding, ByteSpan, FunctionSummary, RawCallSite, RouteFacts, Term, WrapperDef};
use crate::shapes::{shapes, RustShapes};
use lower::symbol_term;
use macros::MacroTree;
use routes::attribute_route;

/// What the walk collects for one file.
#[derive(Default)]
pub struct Extraction {
    pub bindings: BTreeMap<String, Vec<Binding>>,
    pub functions: BTreeMap<String, FunctionSummary>,
    /// The file's `#[derive(Serialize)]` structs outside blocks, by path from the module.
    pub form_structs: BTreeMap<String, crate::facts::forms::FormDecl>,
    pub call_sites: Vec<RawCallSite>,
    pub routes: RouteFacts,
    /// Module-level constants that name the create endpoint's URL (`SESSIONS_URL`, or
    /// `inner::SESSIONS_URL` in an inline module), which other modules may POST to.
    pub endpoint_constants: Vec<String>,
    /// The file's endpoint helpers, as wrapper facts (`helpers`).
    pub wrappers: Vec<WrapperDef>,
    /// Project functions passed the endpoint's path that are not known helpers, sorted.
    pub project_callees: Vec<String>,
}

pub struct Walker<'a> {
    pub text: &'a str,
    pub resolver: Resolver<'a>,
    pub env: Env,
    pub(super) shapes: &'static RustShapes,
    /// The create parameter that sets the expiry (`shapes().expires_at_param`).
    pub(super) expires_at: &'static str,
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
    pub(super) consumed: driver::NodeSet,
    /// Router chains already read inside an outer one (`.nest("/api", Router::new()..)`).
    pub(super) routed: driver::NodeSet,
    /// Where the paths of the function being walked go (`crate::flow::paths`).
    pub(super) paths: crate::flow::paths::Paths<Env>,
    /// The local a router being built is bound to (`let api = Router::new()..`).
    pub(super) router_local: Option<String>,
    /// Trees parsed out of macro calls, kept until the file is done (see `node_key`).
    macro_trees: Vec<MacroTree>,
    /// A raw POST built by the expression being walked but not sent in it, waiting for a
    /// `let` or an assignment to store it.
    pub(super) pending_http: Option<super::env::HttpRequest>,
    /// Functions of this file (absolute paths) that return Checkout parameters.
    pub(super) params_helpers: HashSet<String>,
    /// The return and field types this file's items declare.
    pub(super) declared: types::DeclaredTypes,
    /// The functions of this file that POST a form to a path their caller passes.
    pub(super) endpoint_helpers: std::collections::HashMap<String, helpers::EndpointHelper>,
    /// The `#[derive(Serialize)]` structs of this file, which a form may be built from.
    pub(super) form_structs: serde_forms::FormStructs,
    pub(super) out: Extraction,
}

impl<'a> Walker<'a> {
    pub fn new(text: &'a str, resolver: Resolver<'a>) -> Self {
        Walker {
            text,
            resolver,
            env: Env::default(),
            shapes: &shapes().rust,
            expires_at: &shapes().expires_at_param,
            function: Vec::new(),
            route: None,
            owner: None,
            returns: Vec::new(),
            consumed: Default::default(),
            routed: Default::default(),
            paths: Default::default(),
            router_local: None,
            macro_trees: Vec::new(),
            pending_http: None,
            params_helpers: HashSet::new(),
            declared: Default::default(),
            endpoint_helpers: Default::default(),
            form_structs: Default::default(),
            out: Extraction::default(),
        }
    }

    pub fn file(mut self, file: &syn::File) -> Extraction {
        let module = self.resolver.module();
        self.resolver.push(module, &file.items);
        self.params_helpers = self.params_helpers(&file.items);
        let mut declared = types::DeclaredTypes::default();
        self.declared_types(&file.items, &mut declared);
        self.declared = declared;
        self.endpoint_helpers = self.endpoint_helpers(&file.items);
        self.collect_form_structs(&file.items, false);
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
        if !self.endpoint_helpers.is_empty() {
            self.out.wrappers = self.helper_facts(&file.items);
        }
        self.out.project_callees.sort_unstable();
        self.out.project_callees.dedup();
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

    pub(super) fn item(&mut self, item: &Item, owner: Option<&str>) {
        match item {
            Item::Const(c) => {
                let start = self.definition_start(&c.vis, c.const_token.span);
                let end = self.span(item).end;
                self.constant(&c.ident.to_string(), &c.expr, start..end)
            }
            Item::Static(s) => {
                let start = self.definition_start(&s.vis, s.static_token.span);
                let end = self.span(item).end;
                self.constant(&s.ident.to_string(), &s.expr, start..end)
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
                        // `impl Settings { const TTL: i64 = ..; }`: `Settings::TTL`.
                        syn::ImplItem::Const(c) => {
                            if let Some(owner) = &owner {
                                let start = self.definition_start(&c.vis, c.const_token.span);
                                let end = self.span(c).end;
                                self.constant(&format!("{owner}::{}", c.ident), &c.expr, start..end)
                            }
                        }
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

    fn constant(&mut self, name: &str, expr: &Expr, span: std::ops::Range<usize>) {
        let saved = std::mem::take(&mut self.env);
        let saved_paths = std::mem::take(&mut self.paths);
        self.expr(expr);
        if let (true, Some(key)) = (self.function.is_empty(), self.item_key(name)) {
            if self.is_endpoint(expr) {
                self.out.endpoint_constants.push(key.clone());
            }
            let term = self.lower(expr);
            let span = ByteSpan::new(span.start, span.end);
            self.out.bindings.entry(key).or_default().push(Binding {
                term,
                span,
                is_definition: true,
            });
        }
        self.env = saved;
        self.paths = saved_paths;
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
        let saved_paths = std::mem::take(&mut self.paths);
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
                    // A type parameter (`req: R`) says nothing of what the value is.
                    let ty = type_path(&arg.ty)
                        .filter(|_| !types::is_generic(sig, &arg.ty))
                        .map(|p| self.resolver.resolve(&p));
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
                    defaults: Vec::new(),
                    returns,
                    returned_expires_at: None,
                },
            );
        }
        self.function.pop();
        self.env = saved_env;
        self.paths = saved_paths;
        self.returns = saved_returns;
        self.route = saved_route;
        self.owner = saved_owner;
    }

    /// Items declared inside a block (`use`, nested `fn`) are visible in the whole block.
    pub(super) fn block_items(&mut self, block: &Block) {
        let items: Vec<Item> = block
            .stmts
            .iter()
            .filter_map(|s| match s {
                Stmt::Item(i) => Some(i.clone()),
                _ => None,
            })
            .collect();
        self.resolver.push_block(&items);
        self.collect_form_structs(&items, true);
    }
}
