//! The route facts of a Python module (`facts::routes`), read on the extractor's walk with
//! its live scopes (so an import inside `create_app()` resolves): routers created here
//! with their own prefix (`APIRouter(prefix=)`, `Blueprint(url_prefix=)`), mounts
//! (`include_router`, `register_blueprint`, ninja `add_router`), handlers registered by a
//! decorator or `add_api_route` / `add_url_rule`, and Django's (`django`). The analysis
//! puts them together across modules; `ModuleRoutes` still gives the route the module
//! shows by itself.
//!
//! Routers are named absolutely: a module-level name as `module.name`, an imported one
//! by what it imports, a local one under its function.

use std::collections::HashSet;

use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::Ranged;

use super::super::resolve::{Lookup, Resolver};
use super::super::scope::Def;
use super::{
    decorator_route, keyword, methods_keyword, optional_literal, path_argument,
    positional_or_keyword,
};
use crate::facts::routes::{HandlerRoute, RouteFacts, RouterDef, RouterMount, Verb};

/// Constructors whose `prefix=` / `url_prefix=` is the router's own prefix.
const ROUTER_TYPES: &[&str] = &["APIRouter", "Blueprint", "Router"];

/// The route facts of one module, collected on the walk.
#[derive(Default)]
pub struct RouteFactsCollector {
    pub facts: RouteFacts,
    /// Calls already read as part of an enclosing one (Django's `include([path(..)])`).
    pub(super) done: HashSet<usize>,
    /// Inside code that never runs (`if False:`): nothing there counts.
    pub dead: usize,
}

impl RouteFactsCollector {
    /// The collector of one module. A test module's mounts and registrations (a test app
    /// including the router under test) are not the app's: they count as code that never
    /// runs.
    pub fn for_module(module: &str) -> Self {
        let is_test = module.split('.').any(|part| {
            matches!(part, "test" | "tests" | "conftest")
                || part.starts_with("test_")
                || part.ends_with("_test")
        });
        RouteFactsCollector {
            dead: usize::from(is_test),
            ..Default::default()
        }
    }

    /// A function's decorators: its route (a module-level handler) and what Django's
    /// decorators say of its methods.
    pub fn function(
        &mut self,
        resolver: &Resolver,
        func: &ast::StmtFunctionDef,
        qualname: &str,
        is_module_function: bool,
    ) {
        if self.dead > 0 {
            return;
        }
        let handler = absolute(resolver.module, qualname);
        for decorator in &func.decorator_list {
            let expr = &decorator.expression;
            if let (true, Some((receiver, methods, path))) =
                (is_module_function, decorator_route(expr))
            {
                let Some(router) = router_name(resolver, receiver, expr.start().to_usize()) else {
                    continue;
                };
                // Methods that are not literals leave no path: the route cannot be told.
                let path = path.filter(|_| methods.is_some());
                self.facts.handlers.push(HandlerRoute {
                    handler: handler.clone(),
                    router: Some(router),
                    verb: Verb::Methods(methods.unwrap_or_default().join(",")),
                    path,
                });
            }
        }
        self.view_decorators(resolver, func, &handler);
    }

    /// A call on the walk: a mount or a registration.
    pub fn call(&mut self, resolver: &Resolver, call: &ast::ExprCall) {
        let at = call.start().to_usize();
        if self.dead > 0 || self.done.contains(&at) {
            return;
        }
        let Expr::Attribute(attr) = call.func.as_ref() else {
            return self.django_call(resolver, call);
        };
        let args = &call.arguments;
        let receiver = || router_name(resolver, &attr.value, at);
        match attr.attr.id.as_str() {
            "include_router" | "register_blueprint" | "add_router" => {
                let name = attr.attr.id.as_str();
                let (child, prefix, replaces_own) = super::mount_arguments(name, args);
                if let Some(child) = child.and_then(|c| router_name(resolver, c, at)) {
                    self.facts.mounts.push(RouterMount {
                        child,
                        parent: receiver(),
                        prefix,
                        replaces_own,
                    });
                }
            }
            "add_api_route" | "add_url_rule" => {
                let endpoint = if attr.attr.id.as_str() == "add_url_rule" {
                    positional_or_keyword(args, 2, "view_func")
                } else {
                    positional_or_keyword(args, 1, "endpoint")
                };
                let handler = endpoint.and_then(|e| router_name(resolver, e, at));
                if let (Some(handler), Some(router)) = (handler, receiver()) {
                    let methods = methods_keyword(args);
                    self.facts.handlers.push(HandlerRoute {
                        handler,
                        router: Some(router),
                        verb: Verb::Methods(methods.as_deref().unwrap_or_default().join(",")),
                        path: path_argument(args, 0).filter(|_| methods.is_some()),
                    });
                }
            }
            _ => self.django_call(resolver, call),
        }
    }

    /// `name = APIRouter(prefix="/x")` at module level: the router's own prefix.
    pub fn assignment(&mut self, resolver: &Resolver, name: &str, value: &Expr) {
        if self.dead > 0 {
            return;
        }
        let Expr::Call(call) = value else { return };
        let callee = match call.func.as_ref() {
            Expr::Name(n) => n.id.as_str(),
            Expr::Attribute(a) => a.attr.id.as_str(),
            _ => return,
        };
        if !ROUTER_TYPES.contains(&callee) {
            return;
        }
        let args = &call.arguments;
        let own = keyword(args, "prefix").or_else(|| keyword(args, "url_prefix"));
        self.facts.routers.push(RouterDef {
            name: absolute(resolver.module, name),
            own_prefix: optional_literal(own),
        });
    }
}

/// `False`, `0`, `None`, `TYPE_CHECKING`: a condition under which nothing runs at run time.
pub fn never_runs(test: &Expr) -> bool {
    match test {
        Expr::BooleanLiteral(b) => !b.value,
        Expr::NoneLiteral(_) => true,
        Expr::NumberLiteral(n) => matches!(&n.value, ast::Number::Int(i) if i.as_u8() == Some(0)),
        Expr::Name(n) => n.id.as_str() == "TYPE_CHECKING",
        Expr::Attribute(a) => a.attr.id.as_str() == "TYPE_CHECKING",
        _ => false,
    }
}

/// `module.qualname`, or the qualname alone outside every source root.
pub(super) fn absolute(module: &str, qualname: &str) -> String {
    if module.is_empty() {
        qualname.to_string()
    } else {
        format!("{module}.{qualname}")
    }
}

/// The absolute name of a router, view or module an expression names: `app.routes.router`
/// for `routes.router` after `from app import routes`, `main.create_app.<locals>.app` for a
/// local. `None` for anything but a name or an attribute chain.
pub(super) fn router_name(resolver: &Resolver, expr: &Expr, at: usize) -> Option<String> {
    match expr {
        Expr::Name(name) => {
            let id = name.id.as_str();
            Some(match resolver.lookup(id, at) {
                Lookup::Defs(defs, kind, index) => match defs.last() {
                    Some(Def::Import { qualname, .. }) => resolver.absolute(qualname),
                    _ if kind == super::super::scope::ScopeKind::Module => {
                        absolute(resolver.module, id)
                    }
                    _ => {
                        let scope = &resolver.scopes[index].qualname;
                        absolute(resolver.module, &format!("{scope}.<locals>.{id}"))
                    }
                },
                _ => absolute(resolver.module, id),
            })
        }
        Expr::Attribute(attr) => Some(format!(
            "{}.{}",
            router_name(resolver, &attr.value, at)?,
            attr.attr.id
        )),
        _ => None,
    }
}
