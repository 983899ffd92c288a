//! Finds the Checkout Session create sites of one Python module and summarises what the
//! project index needs later: module bindings, helper functions, thin wrappers.
//!
//! Shapes (SPEC §4): resource class calls, StripeClient service calls, `raw_request`, raw
//! HTTP POSTs, callable references handed to executors, and calls of known thin wrappers.
//! Look-alikes (mocks, attribute reads, strings, other `Session`s) never reach a site
//! because every callee is resolved to a qualified name first.

use std::collections::{BTreeMap, HashMap, HashSet};

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

use super::lower::{expires_at_param, is_shape_root, MapResult, Resolver};
use super::routes;
use super::scope::{Scope, ScopeKind};
use crate::facts::{
    Binding, ByteSpan, ExpiresAtSource, Forwarding, FunctionSummary, Language, MappingLookup,
    ModuleSet, RawCallSite, SymbolRef, Term, WrapperDef,
};
use crate::shapes::{shapes, PythonShapes};
use crate::workspace::prefilter::CHECKOUT_NEEDLE;

/// A thin wrapper known from an earlier pass: calls to it are judged like create calls.
#[derive(Clone, Debug)]
pub struct KnownWrapper {
    pub forwarding: Forwarding,
    pub api: String,
}

/// What the extractor needs from outside the file.
pub struct Context<'c> {
    pub module: &'c str,
    pub is_package: bool,
    pub project_modules: &'c dyn ModuleSet,
    /// Keyed by the wrapper's `module.function`.
    pub wrappers: &'c HashMap<String, KnownWrapper>,
    /// Project names that stand for outside ones (`Resolver::reexports`).
    pub reexports: &'c HashMap<String, String>,
    /// The names `reexports` binds (`make` of `deps.make`).
    pub reexported_names: &'c HashSet<String>,
    /// Which imports to list among the re-exports.
    pub imports_listed: ImportsListed,
    /// Summarise module-level functions as helpers (see `ProjectView::helper_functions`).
    pub helper_functions: bool,
    /// The file as written.
    pub text: &'c str,
    /// The items skimming left out of `source` and the names they may define (none when it
    /// was parsed whole).
    pub left_out: &'c crate::facts::LeftOut,
}

/// Which imports a summary lists among its re-exports (`ModuleSummary::reexports`), besides
/// the names that stand for Stripe's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportsListed {
    /// No others (a package's `__init__` lists the names it imports from project modules).
    Stripe,
    /// Every name imported from a project module: the module spells a name that stands for a
    /// Stripe one, and may pass it on under another (`from zed import S as N1`).
    Project,
    /// Also names for library modules (`import stripe as sdk`): the module is a link in a
    /// chain of re-exports someone calls through.
    All,
}

pub struct Extraction {
    pub bindings: BTreeMap<String, Vec<Binding>>,
    pub functions: BTreeMap<String, FunctionSummary>,
    pub call_sites: Vec<RawCallSite>,
    pub wrappers: Vec<WrapperDef>,
    /// Project functions called or handed on that are not known wrappers, sorted.
    pub project_callees: Vec<String>,
    /// See `ModuleSummary::reexports`.
    pub reexports: Vec<(String, String)>,
}

pub fn extract(source: &str, body: &[Stmt], ctx: &Context) -> Extraction {
    let mut extractor = Extractor {
        source,
        ctx,
        shapes: &shapes().python,
        scopes: vec![Scope::module(body)],
        routes: vec![None],
        module_routes: routes::ModuleRoutes::collect(body),
        sites: Vec::new(),
        wrappers: Vec::new(),
        functions: BTreeMap::new(),
        project_callees: Vec::new(),
    };
    for stmt in body {
        extractor.visit_stmt(stmt);
    }
    let bindings = extractor.module_bindings();
    let reexports = extractor.module_reexports();
    extractor.note_imports_used_where_left_out();
    let mut project_callees = extractor.project_callees;
    project_callees.sort_unstable();
    project_callees.dedup();
    Extraction {
        bindings,
        functions: extractor.functions,
        call_sites: extractor.sites,
        wrappers: extractor.wrappers,
        project_callees,
        reexports,
    }
}

struct Extractor<'a, 'c> {
    source: &'a str,
    ctx: &'c Context<'c>,
    shapes: &'static PythonShapes,
    scopes: Vec<Scope<'a>>,
    /// The HTTP route of each enclosing scope, parallel to `scopes`.
    routes: Vec<Option<String>>,
    /// Router mounts and decorator-less route registrations of the whole module.
    module_routes: routes::ModuleRoutes,
    sites: Vec<RawCallSite>,
    wrappers: Vec<WrapperDef>,
    functions: BTreeMap<String, FunctionSummary>,
    project_callees: Vec<String>,
}

/// Which shape a create site has, which decides where `expires_at` lives.
enum Shape {
    /// `expires_at=` keyword or a `**mapping` (resource class, `raw_request`).
    Keywords,
    /// First positional argument or `params=` (StripeClient services).
    ParamsArgument,
    /// `data=` (or `json=`) of a raw HTTP POST.
    HttpBody,
    /// A call of a known thin wrapper.
    Wrapper(Forwarding),
}

impl<'a, 'c> Extractor<'a, 'c> {
    fn resolver(&self) -> Resolver<'_, 'a> {
        Resolver {
            source: self.source,
            module: self.ctx.module,
            is_package: self.ctx.is_package,
            project_modules: self.ctx.project_modules,
            reexports: self.ctx.reexports,
            scopes: &self.scopes,
        }
    }

    /// The module-level names bound to an outside name that a call shape starts from
    /// (`ModuleSummary::reexports`): those that name a checkout name (`S =
    /// stripe.checkout.Session`), an HTTP client's `post`, a StripeClient service, or the
    /// endpoint's URL or a base URL of it (listed with the part of the endpoint's path it
    /// ends in); names imported from a project module that the project already knows to
    /// stand for one of these (passed on under their new name). In a package's `__init__`,
    /// or when the project asks (`ImportsListed::Project`), every name imported from a
    /// project module, which may be such a name in turn; with `ImportsListed::All`, also
    /// names for library modules (`import stripe as sdk`). A name bound several ways (`try:
    /// from stripe... except ImportError: S = None`) counts if any of its bindings that may
    /// hold at the module's end is one.
    fn module_reexports(&self) -> Vec<(String, String)> {
        let resolver = self.resolver();
        let project_imports =
            self.ctx.is_package || self.ctx.imports_listed != ImportsListed::Stripe;
        let mut reexports = Vec::new();
        for (name, defs) in &self.scopes[0].defs {
            let mut defs: Vec<_> = defs.iter().collect();
            defs.sort_by_key(|def| std::cmp::Reverse(def.offset()));
            // A `def` or `class` last rebinds the name for good (`send = requests.post`, then
            // `def send(..)`); other bindings may be fallbacks (`except ImportError: S = None`).
            if matches!(
                defs.first(),
                Some(super::scope::Def::Function { .. } | super::scope::Def::Class { .. })
            ) {
                continue;
            }
            // Bindings before the last import made directly in the module's body are dead by
            // its end (`from stripe.checkout import *`, then `from sqlalchemy.orm import
            // Session`); the others may each be the one that holds. An assignment does not
            // end the search: its value may come from the binding before (`S = wrap(S)`).
            let live = defs
                .iter()
                .position(|def| {
                    matches!(def, super::scope::Def::Import { .. })
                        && self.scopes[0].is_unconditional(def)
                })
                .map_or(defs.len(), |last| last + 1);
            defs.truncate(live);
            let target = defs.into_iter().find_map(|def| {
                // `SESSIONS_URL = API + "/v1/checkout/sessions"`, imported to POST elsewhere
                // by a module that may never spell the resource: it stands for the path; a
                // base URL (`STRIPE_API = "https://api.stripe.com/v1"`), for its start.
                if let super::scope::Def::Assign { value, .. } = def {
                    let url = url_suffix(value, &resolver);
                    if let Some(part) = url
                        .as_deref()
                        .and_then(|u| shapes().endpoint.part_ending(u))
                    {
                        return Some(part.to_string());
                    }
                }
                // Most imports and constants are none of these: tell them cheaply.
                let target = match def {
                    // `from stripe.checkout import *` binds `Session` (`scope`), unless an item
                    // that skimming left out binds it too, in an order not known here.
                    super::scope::Def::Import { qualname, .. }
                        if self.ctx.left_out.may_define(name)
                            && self.is_star_import_of(qualname, name) =>
                    {
                        return None;
                    }
                    super::scope::Def::Import { qualname, .. } => {
                        let root = qualname.split('.').next().unwrap_or_default();
                        if !is_shape_root(root) && !project_imports {
                            // A name already known to stand for a Stripe one is passed on
                            // from any module, under its new name (`from payments import S as
                            // T`, `from endpoints import SESSIONS_URL` in `config`).
                            let target = if qualname.starts_with('.') {
                                self.ctx.reexports.get(&resolver.absolute(qualname))
                            } else {
                                self.ctx.reexports.get(qualname.as_str())
                            };
                            return target.cloned();
                        }
                        resolver.through_reexports(resolver.absolute(qualname))
                    }
                    super::scope::Def::Assign { value, offset }
                        if matches!(value, Expr::Name(_) | Expr::Attribute(_)) =>
                    {
                        resolver
                            .qualname(value, *offset)
                            .or_else(|| self.method_of_a_call_result(value, *offset))?
                    }
                    _ => return None,
                };
                let root = target.split('.').next().unwrap_or_default();
                // A name from a project module, or for one (`import app.payments as pay`).
                let from_project = || {
                    let module = target.rsplit_once('.').map_or("", |(module, _)| module);
                    self.ctx.project_modules.contains(module)
                        || self.ctx.project_modules.contains(&target)
                };
                // A name for a library module (`import stripe as sdk`) is listed only when
                // the module is read for its imports: its users spell "checkout" where they
                // create (`sdk.checkout.Session.create`), so they are parsed, and the call
                // they make through this module asks for it (`Project::modules_to_read`).
                let listed = if shapes().endpoint.is_constant_target(&target) {
                    // `from endpoints import SESSIONS_URL as PAY_URL`, passed on.
                    true
                } else if is_shape_root(root) {
                    self.ctx.imports_listed == ImportsListed::All
                        || target.to_ascii_lowercase().contains(CHECKOUT_NEEDLE)
                        // `send = requests.post`, imported to POST to Stripe elsewhere.
                        || (root != self.shapes.sdk_module
                            && matches!(target.rsplit('.').next(), Some("post" | "request")))
                } else if self.shapes.names_service_part(&target) {
                    // `sessions = client.checkout.sessions`, imported to create elsewhere.
                    true
                } else {
                    project_imports && from_project()
                };
                listed.then_some(target)
            });
            if let Some(target) = target {
                reexports.push((name.to_string(), target));
            }
        }
        // `from .client import *` in a package passes on whatever `client` binds: `*`
        // stands for it (`Project`'s re-export pass expands it).
        for star in &self.scopes[0].star_imports {
            let module = resolver.absolute(star);
            if self.ctx.project_modules.contains(&module) {
                if project_imports {
                    reexports.push(("*".to_string(), module));
                }
                continue;
            }
        }
        reexports.sort_unstable();
        reexports.dedup();
        reexports
    }

    /// Whether a module-level import of `name` is one a star import of a library module
    /// made (`stripe.checkout.Session` for `Session` after `from stripe.checkout import *`).
    fn is_star_import_of(&self, qualname: &str, name: &str) -> bool {
        qualname
            .strip_suffix(name)
            .and_then(|module| module.strip_suffix('.'))
            .is_some_and(|module| self.scopes[0].star_imports.iter().any(|s| s == module))
    }

    fn qualname_prefix(&self) -> String {
        let scope = self.scopes.last().map(|s| (s.kind, s.qualname.as_str()));
        match scope {
            Some((ScopeKind::Function, q)) => format!("{q}.<locals>."),
            Some((ScopeKind::Class, q)) => format!("{q}."),
            _ => String::new(),
        }
    }

    fn module_bindings(&self) -> BTreeMap<String, Vec<Binding>> {
        let resolver = self.resolver();
        let module = &self.scopes[0];
        let mut bindings: BTreeMap<String, Vec<Binding>> = BTreeMap::new();
        for (name, defs) in &module.defs {
            for def in defs {
                let offset = def.offset();
                let (term, is_definition, end) = match def {
                    super::scope::Def::Import { qualname, .. } => {
                        (resolver.import_term(qualname), false, offset)
                    }
                    super::scope::Def::Assign { value, offset } => {
                        (resolver.lower(value, *offset), true, value.end().to_usize())
                    }
                    super::scope::Def::Other { what, .. } => (
                        Term::Opaque(format!("`{name}` is bound by {what}")),
                        true,
                        offset,
                    ),
                    _ => continue,
                };
                bindings.entry(name.to_string()).or_default().push(Binding {
                    term,
                    span: ByteSpan::new(offset, end.max(offset)),
                    is_definition,
                });
            }
        }
        for list in bindings.values_mut() {
            list.sort_by_key(|b| b.span.start);
        }
        bindings
    }

    fn enter_function(&mut self, func: &'a ast::StmtFunctionDef) {
        let qualname = format!("{}{}", self.qualname_prefix(), func.name.id);
        let is_module_function = self.scopes.len() == 1;
        let route = self
            .module_routes
            .route_of(func, &self.resolver(), is_module_function);
        let scope = Scope::function(func, qualname, is_module_function);
        self.scopes.push(scope);
        self.routes.push(route);
        if is_module_function && self.ctx.helper_functions {
            let summary = self.summarise_function(func);
            self.functions.insert(func.name.id.to_string(), summary);
        }
        for default in func
            .parameters
            .iter_non_variadic_params()
            .filter_map(|p| p.default.as_deref())
        {
            self.visit_expr(default);
        }
        for stmt in &func.body {
            self.visit_stmt(stmt);
        }
        self.scopes.pop();
        self.routes.pop();
    }

    fn summarise_function(&self, func: &'a ast::StmtFunctionDef) -> FunctionSummary {
        let resolver = self.resolver();
        let params = self.scopes.last().map_or_else(Vec::new, |s| {
            s.params.iter().map(|(n, _)| n.clone()).collect()
        });
        let mut returns = Vec::new();
        collect_returns(&func.body, &mut returns);
        let mut terms: Vec<Term> = returns
            .iter()
            .map(|(value, at)| resolver.lower(value, *at))
            .collect();
        if !terms.is_empty() && may_fall_through(&func.body) {
            terms.push(Term::Opaque(format!(
                "`{}` can end without a `return`, giving `None`",
                func.name.id
            )));
        }
        let mut mapping: Option<MappingLookup> = None;
        let mapping_like = !returns.is_empty()
            && returns
                .iter()
                .all(|(v, _)| matches!(v, Expr::Dict(_) | Expr::Name(_) | Expr::Call(_)));
        if mapping_like {
            for (value, at) in &returns {
                let lookup = match resolver.mapping(value, *at) {
                    MapResult::Present { term, text } => MappingLookup::Present { term, text },
                    MapResult::Absent => MappingLookup::Absent,
                    MapResult::Unknown(why) => MappingLookup::Unknown(why),
                    MapResult::Forwarded(_) | MapResult::Helper { .. } => MappingLookup::Unknown(
                        format!("`{}` returns a mapping built elsewhere", func.name.id),
                    ),
                };
                mapping = Some(match (mapping, lookup) {
                    (None, l) => l,
                    (Some(u @ MappingLookup::Unknown(_)), _)
                    | (Some(_), u @ MappingLookup::Unknown(_)) => u,
                    (Some(MappingLookup::Absent), _) | (Some(_), MappingLookup::Absent) => {
                        MappingLookup::Absent
                    }
                    (
                        Some(MappingLookup::Present { term: a, text }),
                        MappingLookup::Present { term: b, .. },
                    ) => MappingLookup::Present {
                        term: Term::OneOf(vec![a, b]),
                        text,
                    },
                });
            }
        }
        FunctionSummary {
            params,
            returns: terms,
            returned_expires_at: mapping,
        }
    }

    fn check_call(&mut self, call: &'a ast::ExprCall) {
        let at = call.start().to_usize();
        let resolver = self.resolver();
        let qualname = resolver.qualname(&call.func, at);
        let chain = attribute_chain(&call.func);
        let shape = if let Some(api) = qualname
            .as_deref()
            .and_then(|q| self.shapes.resource_create(q))
        {
            Some((api, Shape::Keywords))
        } else if let Some(api) = self.service_create(&chain, qualname.as_deref()) {
            Some((api, Shape::ParamsArgument))
        } else if let Some(w) = qualname.as_deref().and_then(|q| self.ctx.wrappers.get(q)) {
            Some((w.api.clone(), Shape::Wrapper(w.forwarding.clone())))
        } else if let Some(api) = self.raw_request(call, qualname.as_deref(), &chain) {
            Some((api, Shape::Keywords))
        } else {
            self.raw_http(call, qualname.as_deref(), &chain)
                .map(|api| (api, Shape::HttpBody))
        };
        if let Some((api, shape)) = shape {
            let via = match &shape {
                Shape::Wrapper(_) => qualname.clone(),
                _ => None,
            };
            let source =
                self.expires_at(&shape, &call.arguments.args, &call.arguments.keywords, at);
            self.record_site(call.range(), api, via, source);
        } else {
            self.note_project_url(call, qualname.as_deref(), &chain);
            self.note_project_callee(qualname.as_deref());
        }
        self.check_references(call, qualname.as_deref());
    }

    /// Remembers a call of (or reference to) a project function that is no known wrapper:
    /// if it turns out to be one, this module is summarised again (`Project`'s fixpoint).
    /// A create method reached through a name a project module binds (`S.create` after
    /// `from billing import S`) is kept too: the re-export pass summarises the module again
    /// if `billing.S` turns out to be Stripe's class.
    fn note_project_callee(&mut self, qualname: Option<&str>) {
        let Some(qualname) = qualname else { return };
        // A bare name in a module that star-imports project modules may come from one of
        // them (`from payments import *`, `make(..)`): the re-export pass may tell.
        if !qualname.contains('.') {
            let resolver = self.resolver();
            let stars: Vec<String> = self.scopes[0]
                .star_imports
                .iter()
                .map(|star| resolver.absolute(star))
                .filter(|module| self.ctx.project_modules.contains(module))
                .map(|module| format!("{module}.{qualname}"))
                .collect();
            self.project_callees.extend(stars);
        }
        let (mut module, method) = qualname.rsplit_once('.').unwrap_or(("", qualname));
        if module == self.ctx.module || self.ctx.project_modules.contains(module) {
            self.project_callees.push(qualname.to_string());
            return;
        }
        let shapes = self.shapes;
        let reaches_create = || {
            matches!(method, "post" | "request")
                || shapes
                    .create_methods
                    .iter()
                    .chain(&shapes.raw_request_methods)
                    .any(|m| m == method)
                // `alpha.deps.make(..)`, where `deps.make` is known to be a create method and
                // `alpha.deps` is not yet known to be `deps`.
                || self.ctx.reexported_names.contains(method)
        };
        while let Some((head, _)) = module.rsplit_once('.') {
            module = head;
            if self.ctx.project_modules.contains(module) {
                if reaches_create() {
                    self.project_callees.push(qualname.to_string());
                }
                return;
            }
        }
    }

    /// A POST to a URL named in a project module (`requests.post(SESSIONS_URL, ..)` after
    /// `from endpoints import SESSIONS_URL`, also `f"{SESSIONS_URL}"`) is noted like a call
    /// through the name: the re-export pass summarises this module again if the name turns
    /// out to be the create endpoint's URL.
    fn note_project_url(&mut self, call: &ast::ExprCall, qualname: Option<&str>, chain: &[&str]) {
        let Some(method) = last_segment(qualname, chain) else {
            return;
        };
        let posts = matches!(method, "post" | "request")
            || self.shapes.raw_request_methods.iter().any(|m| m == method);
        if !posts {
            return;
        }
        let at = call.start().to_usize();
        let keyword_url = call
            .arguments
            .keywords
            .iter()
            .filter(|k| k.arg.as_ref().is_some_and(|a| a.id.as_str() == "url"))
            .map(|k| &k.value);
        let urls: Vec<String> = call.arguments.args[..call.arguments.args.len().min(2)]
            .iter()
            .chain(keyword_url)
            .filter_map(url_head)
            .filter_map(|url| self.resolver().qualname(url, at))
            .collect();
        for url in urls {
            self.note_project_callee(Some(&url));
        }
    }

    /// A name imported from a project module and named in a left-out item may be called
    /// there (`from deps import make`, `make(..)`): it is noted as if called, so that the
    /// re-export pass can read `deps` and find `make` stands for a create method. A call in
    /// kept code is noted where it is made.
    fn note_imports_used_where_left_out(&mut self) {
        let (text, spans) = (self.ctx.text, &self.ctx.left_out.spans[..]);
        if spans.is_empty() {
            return;
        }
        let resolver = self.resolver();
        let mut noted = Vec::new();
        for (name, defs) in &self.scopes[0].defs {
            for def in defs {
                let super::scope::Def::Import { qualname, .. } = def else {
                    continue;
                };
                let qualname = resolver.absolute(qualname);
                if self.ctx.project_modules.contains(&qualname) {
                    // `import deps`: the names used on it (`deps.begin(..)`).
                    for attribute in super::skim::attributes_named_in(text.as_bytes(), name, spans)
                    {
                        noted.push(format!("{qualname}.{attribute}"));
                    }
                } else if qualname
                    .rsplit_once('.')
                    .is_some_and(|(module, _)| self.ctx.project_modules.contains(module))
                    && super::skim::named_in(text.as_bytes(), name, spans)
                {
                    noted.push(qualname);
                }
            }
        }
        // `from deps import *`: any name a left-out item calls may come from `deps`.
        for star in &self.scopes[0].star_imports {
            let module = resolver.absolute(star);
            if self.ctx.project_modules.contains(&module) {
                noted.push(format!("{module}.*"));
            }
        }
        self.project_callees.extend(noted);
    }

    /// A create method handed to another call: `asyncio.to_thread(stripe...create, **p)`.
    fn check_references(&mut self, call: &'a ast::ExprCall, callee: Option<&str>) {
        let callee_last = callee
            .and_then(|q| q.rsplit('.').next())
            .unwrap_or_default();
        if self
            .shapes
            .reference_sinks_excluded
            .iter()
            .any(|s| s == callee_last)
        {
            return;
        }
        let args = &call.arguments.args;
        for (i, arg) in args.iter().enumerate() {
            if !matches!(arg, Expr::Attribute(_) | Expr::Name(_)) {
                continue;
            }
            let at = arg.start().to_usize();
            let resolver = self.resolver();
            let qualname = resolver.qualname(arg, at);
            let chain = attribute_chain(arg);
            let shape = if let Some(api) = qualname
                .as_deref()
                .and_then(|q| self.shapes.resource_create(q))
            {
                (api, Shape::Keywords)
            } else if let Some(api) = self.service_create(&chain, qualname.as_deref()) {
                (api, Shape::ParamsArgument)
            } else if let Some(w) = qualname.as_deref().and_then(|q| self.ctx.wrappers.get(q)) {
                (w.api.clone(), Shape::Wrapper(w.forwarding.clone()))
            } else {
                self.note_project_callee(qualname.as_deref());
                continue;
            };
            let via = match &shape.1 {
                Shape::Wrapper(_) => qualname.clone(),
                _ => None,
            };
            let source = self.expires_at(&shape.1, &args[i + 1..], &call.arguments.keywords, at);
            self.record_site(arg.range(), shape.0, via, source);
        }
    }

    /// A StripeClient service create, spelled out (`client.checkout.sessions.create`) or
    /// through names bound to part of the path (`sessions = client.checkout.sessions`,
    /// here or in a module that exports it), which the qualified name spells out.
    fn service_create(&self, chain: &[&str], qualname: Option<&str>) -> Option<String> {
        self.shapes.service_create(chain).or_else(|| {
            let qualname: Vec<&str> = qualname?.split('.').collect();
            self.shapes.service_create(&qualname)
        })
    }

    fn raw_request(
        &self,
        call: &ast::ExprCall,
        qualname: Option<&str>,
        chain: &[&str],
    ) -> Option<String> {
        // On a receiver, spelled out or through an alias (`raw = client.raw_request`).
        let method = last_segment(qualname, chain)?;
        let on_receiver = chain.len() >= 2 || qualname.is_some_and(|q| q.contains('.'));
        if !on_receiver || !self.shapes.raw_request_methods.iter().any(|m| m == method) {
            return None;
        }
        let args = &call.arguments.args;
        let verb = string_value(args.first()?)?;
        let url = url_suffix(args.get(1)?, &self.resolver())?;
        (verb.eq_ignore_ascii_case("post") && is_endpoint(&url))
            .then(|| format!("{}.{method}", self.shapes.client_class))
    }

    fn raw_http(
        &self,
        call: &ast::ExprCall,
        qualname: Option<&str>,
        chain: &[&str],
    ) -> Option<String> {
        // The qualified name sees through an alias of the method (`send = requests.post`);
        // one taken from a call's result has none (`send = requests.Session().post`).
        let method = self
            .method_alias(&call.func, call.start().to_usize())
            .or_else(|| last_segment(qualname, chain))?;
        let args = &call.arguments.args;
        let url_arg = |index: usize| {
            args.get(index).or_else(|| {
                call.arguments
                    .keywords
                    .iter()
                    .find(|k| k.arg.as_ref().is_some_and(|a| a.id.as_str() == "url"))
                    .map(|k| &k.value)
            })
        };
        let url = match method {
            "post" => url_arg(0)?,
            "request" => {
                let verb = string_value(args.first()?)?;
                if !verb.eq_ignore_ascii_case("post") {
                    return None;
                }
                url_arg(1)?
            }
            _ => return None,
        };
        let suffix = url_suffix(url, &self.resolver())?;
        if !is_endpoint(&suffix) {
            return None;
        }
        // The receiver decides between a real request and an HTTP stub (`respx.post(url)`).
        let root = self.receiver_root(&call.func, call.start().to_usize());
        if let Some(root) = &root {
            let first = root.split('.').next().unwrap_or(root);
            if self.shapes.mock_modules.iter().any(|m| m == first) {
                return None;
            }
        }
        let module = root
            .as_deref()
            .and_then(|r| r.split('.').next())
            .filter(|m| self.shapes.http_modules.iter().any(|h| h == m))
            .or_else(|| qualname.and_then(|q| q.split('.').next()))
            .unwrap_or("http");
        Some(format!("POST {module} {}", shapes().endpoint.path))
    }

    /// The method a name is bound to on a receiver that has no qualified name, a call's
    /// result (`send = requests.Session().post`, also through further names).
    fn method_alias(&self, func: &Expr, at: usize) -> Option<&'a str> {
        let resolver = self.resolver();
        let (mut name, mut at) = match func {
            Expr::Name(name) => (name.id.as_str(), at),
            _ => return None,
        };
        for _ in 0..8 {
            let super::lower::Lookup::Defs(defs, _, _) = resolver.lookup(name, at) else {
                return None;
            };
            match defs.last()? {
                super::scope::Def::Assign { value, offset } => match value {
                    Expr::Attribute(a) if matches!(a.value.as_ref(), Expr::Call(_)) => {
                        return Some(a.attr.id.as_str());
                    }
                    Expr::Name(next) => (name, at) = (next.id.as_str(), *offset),
                    _ => return None,
                },
                _ => return None,
            }
        }
        None
    }

    /// `requests.post` for `requests.Session().post`: a method taken from a call's result,
    /// named after the module the receiver comes from, as a re-export names it.
    fn method_of_a_call_result(&self, value: &Expr, at: usize) -> Option<String> {
        let Expr::Attribute(a) = value else {
            return None;
        };
        if !matches!(a.value.as_ref(), Expr::Call(_)) {
            return None;
        }
        let root = self.receiver_root(value, at)?;
        Some(format!("{}.{}", root.split('.').next()?, a.attr.id))
    }

    /// The imported module a receiver ultimately comes from (`client` bound by
    /// `with httpx.Client() as client` gives `httpx`), if any.
    fn receiver_root(&self, func: &Expr, at: usize) -> Option<String> {
        let resolver = self.resolver();
        let mut expr = match func {
            Expr::Attribute(a) => a.value.as_ref(),
            other => other,
        };
        for _ in 0..16 {
            match expr {
                Expr::Call(c) => expr = &c.func,
                Expr::Attribute(a) => expr = &a.value,
                Expr::Await(a) => expr = &a.value,
                Expr::Name(n) => {
                    return match resolver.lookup(n.id.as_str(), at) {
                        super::lower::Lookup::Defs(defs, _, _) => match defs.last()? {
                            super::scope::Def::Import { qualname, .. } => {
                                Some(resolver.absolute(qualname))
                            }
                            super::scope::Def::Assign { value, .. } => {
                                expr = value;
                                continue;
                            }
                            _ => None,
                        },
                        super::lower::Lookup::Param(..) => Some(n.id.to_string()),
                        super::lower::Lookup::Unbound => Some(n.id.to_string()),
                    };
                }
                _ => return None,
            }
        }
        None
    }

    /// Where this shape keeps `expires_at`, given the arguments that travel with the call.
    fn expires_at(
        &self,
        shape: &Shape,
        args: &'a [Expr],
        keywords: &'a [ast::Keyword],
        at: usize,
    ) -> ExpiresAtSource {
        let resolver = self.resolver();
        let keyword = |name: &str| {
            keywords
                .iter()
                .find(|k| k.arg.as_ref().is_some_and(|a| a.id.as_str() == name))
                .map(|k| &k.value)
        };
        let result = match shape {
            Shape::Keywords => keyword_mapping(&resolver, keywords, at),
            Shape::ParamsArgument => match args
                .first()
                .or_else(|| keyword(&self.shapes.service_params_keyword))
            {
                Some(params) => resolver.mapping(params, at),
                None => keyword_mapping(&resolver, keywords, at),
            },
            Shape::HttpBody => match keyword("data").or_else(|| keyword("json")) {
                Some(body) => resolver.mapping(body, at),
                None => MapResult::Absent,
            },
            Shape::Wrapper(Forwarding::Kwargs) => keyword_mapping(&resolver, keywords, at),
            Shape::Wrapper(Forwarding::Param { name, position }) => {
                match args.get(*position).or_else(|| keyword(name)) {
                    Some(params) => resolver.mapping(params, at),
                    None => MapResult::Absent,
                }
            }
        };
        match result {
            MapResult::Present { term, text } => ExpiresAtSource::Value { term, text },
            MapResult::Absent => ExpiresAtSource::Missing,
            MapResult::Unknown(why) => ExpiresAtSource::Unresolved(why),
            MapResult::Forwarded(f) => ExpiresAtSource::Forwarded(f),
            MapResult::Helper {
                callee,
                args,
                kwargs,
            } => ExpiresAtSource::Helper {
                callee,
                args,
                kwargs,
            },
        }
    }

    fn record_site(
        &mut self,
        range: ruff_text_size::TextRange,
        api: String,
        via: Option<String>,
        source: ExpiresAtSource,
    ) {
        let scope = self
            .scopes
            .last()
            .expect("the module scope is never popped");
        let function = scope.qualname.clone();
        let route = self.routes.iter().rev().flatten().next().cloned();
        let site = RawCallSite {
            span: ByteSpan::new(range.start().to_usize(), range.end().to_usize()),
            api,
            function,
            route,
            via,
            expires_at: source,
            extra_findings: Vec::new(),
        };
        if let ExpiresAtSource::Forwarded(forwarding) = &site.expires_at {
            if scope.is_module_function {
                let name = scope.qualname.clone();
                self.wrappers.push(WrapperDef {
                    symbol: SymbolRef {
                        language: Language::Python,
                        module: self.ctx.module.to_string(),
                        name,
                    },
                    forwarding: forwarding.clone(),
                    site,
                });
                return;
            }
            let why = match forwarding {
                Forwarding::Kwargs => "the arguments come from `**kwargs` of a function whose callers cannot be followed (a method or a nested function)".to_string(),
                Forwarding::Param { name, .. } => format!("the arguments come from the parameter `{name}` of a function whose callers cannot be followed (a method or a nested function)"),
            };
            self.sites.push(RawCallSite {
                expires_at: ExpiresAtSource::Unresolved(why),
                ..site
            });
            return;
        }
        self.sites.push(site);
    }
}

fn keyword_mapping(resolver: &Resolver, keywords: &[ast::Keyword], at: usize) -> MapResult {
    let mut arguments_like = MapResult::Absent;
    for kw in keywords {
        let result = match &kw.arg {
            Some(arg) if arg.id.as_str() == expires_at_param() => MapResult::Present {
                term: resolver.lower(&kw.value, kw.value.start().to_usize()),
                text: resolver.text(&kw.value),
            },
            Some(_) => MapResult::Absent,
            None => resolver.mapping(&kw.value, at),
        };
        arguments_like = super::lower::merge_keywords(arguments_like, result);
    }
    arguments_like
}

impl<'a> Visitor<'a> for Extractor<'a, '_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(func) => {
                for decorator in &func.decorator_list {
                    self.visit_expr(&decorator.expression);
                }
                self.enter_function(func);
            }
            Stmt::ClassDef(class) => {
                for decorator in &class.decorator_list {
                    self.visit_expr(&decorator.expression);
                }
                if let Some(arguments) = &class.arguments {
                    self.visit_arguments(arguments);
                }
                let qualname = format!("{}{}", self.qualname_prefix(), class.name.id);
                self.scopes.push(Scope::class(qualname));
                self.routes.push(None);
                for stmt in &class.body {
                    self.visit_stmt(stmt);
                }
                self.scopes.pop();
                self.routes.pop();
            }
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Call(call) => {
                self.check_call(call);
                visitor::walk_expr(self, expr);
            }
            Expr::Lambda(lambda) => {
                let qualname = format!("{}<lambda>", self.qualname_prefix());
                self.scopes.push(Scope::lambda(lambda, qualname));
                self.routes.push(None);
                self.visit_expr(&lambda.body);
                self.scopes.pop();
                self.routes.pop();
            }
            _ => visitor::walk_expr(self, expr),
        }
    }
}

/// The method a call names: the qualified name's last segment (which sees through local
/// aliases), else the attribute chain's.
fn last_segment<'n>(qualname: Option<&'n str>, chain: &[&'n str]) -> Option<&'n str> {
    qualname
        .and_then(|q| q.rsplit('.').next())
        .or_else(|| chain.last().copied())
}

/// `a.b.c` → `["a", "b", "c"]`; a non-name receiver is kept as `<expr>`.
fn attribute_chain(expr: &Expr) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut current = expr;
    loop {
        match current {
            Expr::Attribute(a) => {
                parts.push(a.attr.id.as_str());
                current = &a.value;
            }
            Expr::Name(n) => {
                parts.push(n.id.as_str());
                break;
            }
            _ => {
                parts.push("<expr>");
                break;
            }
        }
    }
    parts.reverse();
    parts
}

fn string_value(expr: &Expr) -> Option<String> {
    match expr {
        Expr::StringLiteral(s) => Some(s.value.to_str().to_string()),
        _ => None,
    }
}

/// Whether a URL (or its known end) is the create endpoint.
fn is_endpoint(url: &str) -> bool {
    url.trim_end_matches('/').ends_with(&shapes().endpoint.path)
}

/// The statically known end of a URL expression: a literal, the literal tail of an
/// f-string, `BASE + "/v1/..."`, or a module-level string constant.
fn url_suffix(expr: &Expr, resolver: &Resolver) -> Option<String> {
    url_suffix_depth(expr, resolver, 0)
}

fn url_suffix_depth(expr: &Expr, resolver: &Resolver, depth: usize) -> Option<String> {
    if depth > 16 {
        return None;
    }
    let url_suffix = |e: &Expr, r: &Resolver| url_suffix_depth(e, r, depth + 1);
    let suffix = match expr {
        // Every module-level string constant is asked whether it is the endpoint's URL: a
        // long text (a docstring-like template, a data blob) is none, and is not copied.
        Expr::StringLiteral(s) if s.value.len() > MAX_URL_LENGTH => None,
        Expr::StringLiteral(s) => Some(s.value.to_str().to_string()),
        Expr::FString(f) => {
            let mut tail = String::new();
            for part in f.value.iter() {
                match part {
                    ast::FStringPart::Literal(l) => tail.push_str(&l.value),
                    ast::FStringPart::FString(fs) => {
                        for element in &fs.elements {
                            match element {
                                ast::InterpolatedStringElement::Literal(l) => {
                                    tail.push_str(&l.value)
                                }
                                // `f"{SESSIONS_URL}"`, `f"{BASE}{REST}"`: a placeholder's
                                // known end, when it is shown as it is; else nothing before
                                // it is known.
                                ast::InterpolatedStringElement::Interpolation(i) => {
                                    let shown = i.conversion == ast::ConversionFlag::None
                                        && i.debug_text.is_none()
                                        && i.format_spec.is_none();
                                    match shown.then(|| url_suffix(&i.expression, resolver)) {
                                        Some(Some(known)) => tail.push_str(&known),
                                        _ => tail.clear(),
                                    }
                                }
                            }
                        }
                    }
                }
            }
            Some(tail)
        }
        Expr::BinOp(b) if matches!(b.op, ast::Operator::Add) => {
            let right = url_suffix(&b.right, resolver)?;
            Some(match url_suffix(&b.left, resolver) {
                Some(left) => left + &right,
                None => right,
            })
        }
        Expr::Name(name) => match resolver.lookup(name.id.as_str(), expr.start().to_usize()) {
            super::lower::Lookup::Defs(defs, _, _) => match defs.last()? {
                super::scope::Def::Assign { value, .. } => url_suffix(value, resolver),
                super::scope::Def::Import { qualname, .. } => {
                    endpoint_constant(resolver.through_reexports(resolver.absolute(qualname)))
                }
                _ => None,
            },
            // A name a star import brings in (`from endpoints import *`).
            super::lower::Lookup::Unbound => {
                endpoint_constant(resolver.qualname(expr, expr.start().to_usize())?)
            }
            _ => None,
        },
        Expr::Attribute(_) => endpoint_constant(resolver.qualname(expr, expr.start().to_usize())?),
        _ => None,
    };
    suffix.filter(|suffix| suffix.len() <= MAX_URL_LENGTH)
}

/// The name a URL starts with (`SESSIONS_URL` of `SESSIONS_URL`, `f"{SESSIONS_URL}?x=1"`,
/// `SESSIONS_URL + query`), if any.
fn url_head(mut url: &Expr) -> Option<&Expr> {
    // A loop, not recursion: `a + b + ..` may nest as deep as the parser allows.
    loop {
        url = match url {
            Expr::Name(_) | Expr::Attribute(_) => return Some(url),
            Expr::BinOp(b) if matches!(b.op, ast::Operator::Add) => &b.left,
            Expr::FString(f) => match f.value.iter().next()? {
                ast::FStringPart::FString(fs) => match fs.elements.iter().next()? {
                    ast::InterpolatedStringElement::Interpolation(i) => &i.expression,
                    ast::InterpolatedStringElement::Literal(_) => return None,
                },
                ast::FStringPart::Literal(_) => return None,
            },
            _ => return None,
        };
    }
}

/// Longer than any URL a request is made to.
const MAX_URL_LENGTH: usize = 2048;

/// A project module's endpoint constant, as its re-export stands for it: the endpoint's path.
fn endpoint_constant(target: String) -> Option<String> {
    shapes()
        .endpoint
        .is_constant_target(&target)
        .then_some(target)
}

/// `return` values of a function body, not entering nested functions or classes.
fn collect_returns<'a>(body: &'a [Stmt], out: &mut Vec<(&'a Expr, usize)>) {
    for stmt in body {
        match stmt {
            Stmt::Return(r) => {
                if let Some(value) = &r.value {
                    out.push((value, r.start().to_usize()));
                }
            }
            Stmt::If(i) => {
                collect_returns(&i.body, out);
                for clause in &i.elif_else_clauses {
                    collect_returns(&clause.body, out);
                }
            }
            Stmt::For(f) => {
                collect_returns(&f.body, out);
                collect_returns(&f.orelse, out);
            }
            Stmt::While(w) => {
                collect_returns(&w.body, out);
                collect_returns(&w.orelse, out);
            }
            Stmt::With(w) => collect_returns(&w.body, out),
            Stmt::Try(t) => {
                collect_returns(&t.body, out);
                for handler in &t.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = handler;
                    collect_returns(&h.body, out);
                }
                collect_returns(&t.orelse, out);
                collect_returns(&t.finalbody, out);
            }
            Stmt::Match(m) => {
                for case in &m.cases {
                    collect_returns(&case.body, out);
                }
            }
            _ => {}
        }
    }
}

/// True when control can reach the end of the body (an implicit `return None`).
fn may_fall_through(body: &[Stmt]) -> bool {
    match body.last() {
        Some(Stmt::Return(_) | Stmt::Raise(_)) => false,
        Some(Stmt::If(i)) => {
            let has_else = i.elif_else_clauses.last().is_some_and(|c| c.test.is_none());
            !has_else
                || may_fall_through(&i.body)
                || i.elif_else_clauses
                    .iter()
                    .any(|c| may_fall_through(&c.body))
        }
        Some(Stmt::Try(t)) => may_fall_through(&t.body) && may_fall_through(&t.orelse),
        Some(Stmt::With(w)) => may_fall_through(&w.body),
        _ => true,
    }
}
