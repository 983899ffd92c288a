//! Finds the Checkout Session create sites of one Python module and summarises what the
//! project index needs later: module bindings, helper functions, thin wrappers.
//!
//! This module owns the walk: scopes, the route of each scope, and recording a site (or a
//! thin wrapper, when a module-level function forwards its arguments to a create). Shapes
//! are recognised in `sites` and `http`, endpoint helpers (`self._post(path, form)`) in
//! `endpoint_helpers`, the module's names in `module_names`, helper
//! summaries in `helpers`, project callees in `callees`. Look-alikes (mocks, attribute
//! reads, strings, other `Session`s) never reach a site because every callee is resolved
//! to a qualified name first. It asks `shapes` for Stripe's names and knows nothing of the
//! rules that judge a site.

mod callees;
mod endpoint_helpers;
mod helpers;
mod http;
mod module_names;
mod sites;
mod stored;

use std::collections::{BTreeMap, HashMap, HashSet};

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};

use super::resolve::Resolver;
use super::routes;
use super::scope::{Scope, ScopeKind};
use crate::facts::fix::Slot;
use crate::facts::{
    Binding, ByteSpan, EndpointPath, ExpiresAtSource, Forwarding, FunctionSummary, Language,
    ModuleSet, RawCallSite, SymbolRef, Unseen, WrapperDef,
};
use crate::shapes::{shapes, PythonShapes};

/// A thin wrapper known from an earlier pass: calls to it are judged like create calls.
#[derive(Clone, Debug)]
pub struct KnownWrapper {
    pub forwarding: Forwarding,
    pub api: String,
    /// An endpoint helper's path parameter: only calls with the create's path are sites.
    pub path: Option<EndpointPath>,
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
    pub routes: crate::facts::RouteFacts,
}

pub fn extract(source: &str, body: &[Stmt], ctx: &Context) -> Extraction {
    let mut extractor = Extractor {
        source,
        ctx,
        shapes: &shapes().python,
        scopes: vec![Scope::module(body)],
        routes: vec![None],
        module_routes: routes::ModuleRoutes::collect(body),
        route_facts: routes::RouteFactsCollector::for_module(ctx.module),
        sites: Vec::new(),
        wrappers: Vec::new(),
        functions: BTreeMap::new(),
        project_callees: Vec::new(),
        class_bindings: BTreeMap::new(),
        body,
        followed: stored::Followed::default(),
        whole_reads: None,
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
        routes: extractor.route_facts.facts,
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
    /// The module's route facts, for the analysis to put together across modules.
    route_facts: routes::RouteFactsCollector,
    sites: Vec<RawCallSite>,
    wrappers: Vec<WrapperDef>,
    functions: BTreeMap<String, FunctionSummary>,
    project_callees: Vec<String>,
    /// The attributes top-level classes bind in their bodies, keyed `Class.attr`
    /// (`Config.TTL`), for `Config.TTL` read in this module or another.
    class_bindings: BTreeMap<String, Vec<Binding>>,
    /// The module's statements.
    body: &'a [Stmt],
    /// Expressions whose use as a value the walk follows (`stored`).
    followed: stored::Followed,
    /// The names the module reads other than by a literal key, once asked (`stored`).
    whole_reads: Option<HashSet<&'a str>>,
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

    fn qualname_prefix(&self) -> String {
        let scope = self.scopes.last().map(|s| (s.kind, s.qualname.as_str()));
        match scope {
            Some((ScopeKind::Function, q)) => format!("{q}.<locals>."),
            Some((ScopeKind::Class, q)) => format!("{q}."),
            _ => String::new(),
        }
    }

    /// Module-level route facts of a statement: a router created with its own prefix, the
    /// DRF routers added to `urlpatterns`.
    fn route_statement(&mut self, stmt: &Stmt) {
        if self.scopes.len() != 1 {
            return;
        }
        let (target, value) = match stmt {
            Stmt::Assign(assign) => match assign.targets.as_slice() {
                [Expr::Name(name)] => (name.id.as_str(), assign.value.as_ref()),
                _ => return,
            },
            Stmt::AugAssign(assign) => match assign.target.as_ref() {
                Expr::Name(name) => (name.id.as_str(), assign.value.as_ref()),
                _ => return,
            },
            _ => return,
        };
        let mut facts = std::mem::take(&mut self.route_facts);
        facts.assignment(&self.resolver(), target, value);
        if target == "urlpatterns" {
            facts.urlpatterns(&self.resolver(), value);
        }
        self.route_facts = facts;
    }

    fn enter_function(&mut self, func: &'a ast::StmtFunctionDef) {
        let qualname = format!("{}{}", self.qualname_prefix(), func.name.id);
        let is_module_function = self.scopes.len() == 1;
        let route = self
            .module_routes
            .route_of(func, &self.resolver(), is_module_function);
        let mut facts = std::mem::take(&mut self.route_facts);
        facts.function(&self.resolver(), func, &qualname, is_module_function);
        self.route_facts = facts;
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

    fn record_site(
        &mut self,
        range: ruff_text_size::TextRange,
        api: String,
        via: Option<String>,
        source: ExpiresAtSource,
        (slot, value): (Option<Slot>, Option<ByteSpan>),
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
            json_body: false,
            slot,
            value,
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
                    path: None,
                });
                return;
            }
            let name = match forwarding {
                Forwarding::Kwargs => "**kwargs".to_string(),
                Forwarding::Param { name, .. } => name.clone(),
            };
            let why = Unseen::MethodParameter {
                name,
                enclosing: false,
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
                let mut facts = std::mem::take(&mut self.route_facts);
                facts.class(&self.resolver(), class, &qualname);
                self.route_facts = facts;
                self.scopes.push(Scope::class(class, qualname));
                if self.scopes.len() == 2 {
                    self.note_class_bindings(class.name.id.as_str());
                }
                self.routes.push(None);
                for stmt in &class.body {
                    self.visit_stmt(stmt);
                }
                self.scopes.pop();
                self.routes.pop();
            }
            // `if False:` / `if TYPE_CHECKING:`: no mount or registration there runs.
            Stmt::If(branch) if routes::never_runs(&branch.test) => {
                self.route_facts.dead += 1;
                visitor::walk_stmt(self, stmt);
                self.route_facts.dead -= 1;
            }
            _ => {
                self.route_statement(stmt);
                self.follow_bindings(stmt);
                visitor::walk_stmt(self, stmt)
            }
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        self.follow_reads(expr);
        self.check_stored(expr);
        match expr {
            Expr::Call(call) => {
                let mut facts = std::mem::take(&mut self.route_facts);
                facts.call(&self.resolver(), call);
                self.route_facts = facts;
                self.check_call(call);
                visitor::walk_expr(self, expr);
            }
            Expr::Lambda(lambda) => {
                // Defaults are evaluated where the lambda is written.
                for parameter in lambda
                    .parameters
                    .iter()
                    .flat_map(|p| p.iter_non_variadic_params())
                {
                    if let Some(default) = &parameter.default {
                        self.visit_expr(default);
                    }
                }
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

/// The value of a string literal.
fn string_value(expr: &Expr) -> Option<String> {
    match expr {
        Expr::StringLiteral(s) => Some(s.value.to_str().to_string()),
        _ => None,
    }
}
