//! Django's routes as route facts: a `urls.py` module is a router (named by its module),
//! `path()` / `re_path()` / `url()` register a view on it or mount another urlconf
//! (`include("shop.urls")`, `include(router.urls)`, `include([...])` read in place);
//! `urlpatterns += router.urls` mounts a DRF router at the urlconf's root, and
//! `router.register(r"prefix", ViewSet)` registers a viewset on it. A view's own module says
//! what methods it serves: `@require_POST`, `@require_http_methods([...])`, DRF's
//! `@api_view([...])` and `@action(detail=, methods=, url_path=)`, a viewset's
//! `lookup_field`.
//!
//! A name counts only when it resolves to Django's or DRF's (a local `path()` is not one).

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

use super::super::resolve::{Lookup, Resolver};
use super::super::scope::Def;
use super::facts::{absolute, router_name, RouteFactsCollector};
use super::{keyword, positional_or_keyword, string, string_list};
use crate::facts::routes::{HandlerRoute, RouterMount, Verb, ViewFact};

/// Where Django's URL functions live.
const URL_MODULES: &[&str] = &["django.urls", "django.urls.conf", "django.conf.urls"];
/// Decorators (called on a view in `urls.py`) that do not change what it serves.
const NEUTRAL_WRAPPERS: &[&str] = &[
    "csrf_exempt",
    "login_required",
    "never_cache",
    "staff_member_required",
];

impl RouteFactsCollector {
    /// `path(..)`, `re_path(..)`, `url(..)`, `router.register(..)`, `urlpatterns.extend(..)`.
    pub(super) fn django_call(&mut self, resolver: &Resolver, call: &ast::ExprCall) {
        let at = call.start().to_usize();
        if let Some(name) = url_function(resolver, &call.func, at) {
            if matches!(name, "path" | "re_path" | "url") {
                self.pattern(resolver, call, "");
            }
            return;
        }
        let Expr::Attribute(attr) = call.func.as_ref() else {
            return;
        };
        let args = &call.arguments;
        match attr.attr.id.as_str() {
            "register" if is_drf_router(resolver, &attr.value, at) => {
                let (Some(router), Some(viewset)) = (
                    router_name(resolver, &attr.value, at),
                    positional_or_keyword(args, 1, "viewset")
                        .and_then(|v| router_name(resolver, v, at)),
                ) else {
                    return;
                };
                let trailing_slash = trailing_slash(resolver, &attr.value, at);
                self.facts.handlers.push(HandlerRoute {
                    handler: viewset,
                    router: Some(router),
                    verb: Verb::ViewSet {
                        trailing_slash: trailing_slash.unwrap_or(true),
                    },
                    path: positional_or_keyword(args, 0, "prefix")
                        .and_then(string)
                        .filter(|_| trailing_slash.is_some()),
                });
            }
            "extend" if matches!(attr.value.as_ref(), Expr::Name(n) if n.id.as_str() == "urlpatterns") => {
                if let Some(value) = args.args.first() {
                    self.urlpatterns(resolver, value);
                }
            }
            _ => {}
        }
    }

    /// `urlpatterns = [...] + router.urls` / `urlpatterns += router.urls`: a DRF router's
    /// URLs at the urlconf's root.
    pub fn urlpatterns(&mut self, resolver: &Resolver, value: &Expr) {
        if self.dead > 0 {
            return;
        }
        match value {
            Expr::BinOp(op) => {
                self.urlpatterns(resolver, &op.left);
                self.urlpatterns(resolver, &op.right);
            }
            Expr::List(list) => {
                for elt in &list.elts {
                    if let Expr::Starred(starred) = elt {
                        self.urlpatterns(resolver, &starred.value);
                    }
                }
            }
            Expr::Attribute(attr) if attr.attr.id.as_str() == "urls" => {
                if let Some(child) = router_name(resolver, &attr.value, value.start().to_usize()) {
                    self.facts.mounts.push(RouterMount {
                        child,
                        parent: Some(resolver.module.to_string()),
                        prefix: Some(String::new()),
                        replaces_own: false,
                    });
                }
            }
            _ => {}
        }
    }

    /// One URL pattern under `prefix` (an enclosing `include([...])`'s).
    fn pattern(&mut self, resolver: &Resolver, call: &ast::ExprCall, prefix: &str) {
        let at = call.start().to_usize();
        self.done.insert(at);
        let args = &call.arguments;
        let regex = url_function(resolver, &call.func, at) != Some("path");
        let route = positional_or_keyword(args, 0, "route")
            .and_then(string)
            .map(|r| {
                let r = if regex {
                    r.trim_start_matches('^').trim_end_matches('$').to_string()
                } else {
                    r
                };
                format!("{prefix}{r}")
            });
        let Some(mut view) = positional_or_keyword(args, 1, "view") else {
            return;
        };
        let urlconf = resolver.module.to_string();
        // `csrf_exempt(views.pay)`: still the view.
        while let Expr::Call(wrapper) = view {
            let name = router_name(resolver, &wrapper.func, at).unwrap_or_default();
            let last = name.rsplit('.').next().unwrap_or_default();
            match (
                NEUTRAL_WRAPPERS.contains(&last),
                wrapper.arguments.args.first(),
            ) {
                (true, Some(inner)) if wrapper.arguments.args.len() == 1 => view = inner,
                _ => break,
            }
        }
        match view {
            Expr::Call(inner) if url_function(resolver, &inner.func, at) == Some("include") => {
                self.include(resolver, inner, route, &urlconf);
            }
            Expr::Call(inner) => {
                let Expr::Attribute(as_view) = inner.func.as_ref() else {
                    return;
                };
                if as_view.attr.id.as_str() != "as_view" {
                    return;
                }
                let Some(class) = router_name(resolver, &as_view.value, at) else {
                    return;
                };
                // DRF: `Sessions.as_view({"post": "create"})`.
                if let Some(Expr::Dict(actions)) = inner.arguments.args.first() {
                    for item in &actions.items {
                        let (Some(method), Some(action)) =
                            (item.key.as_ref().and_then(string), string(&item.value))
                        else {
                            continue;
                        };
                        self.facts.handlers.push(HandlerRoute {
                            handler: format!("{class}.{action}"),
                            router: Some(urlconf.clone()),
                            verb: Verb::Methods(method.to_ascii_uppercase()),
                            path: route.clone(),
                        });
                    }
                    return;
                }
                self.facts.handlers.push(HandlerRoute {
                    handler: class,
                    router: Some(urlconf),
                    verb: Verb::ClassView,
                    path: route,
                });
            }
            Expr::Name(_) | Expr::Attribute(_) => {
                if let Some(handler) = router_name(resolver, view, at) {
                    self.facts.handlers.push(HandlerRoute {
                        handler,
                        router: Some(urlconf),
                        verb: Verb::View,
                        path: route,
                    });
                }
            }
            _ => {}
        }
    }

    /// `include("shop.urls")`, `include(("shop.urls", "shop"))`, `include(router.urls)`,
    /// `include(shop_urls)`, `include([path(..), ...])`.
    fn include(
        &mut self,
        resolver: &Resolver,
        include: &ast::ExprCall,
        route: Option<String>,
        urlconf: &str,
    ) {
        let at = include.start().to_usize();
        let Some(target) = positional_or_keyword(&include.arguments, 0, "arg") else {
            return;
        };
        let target = match target {
            Expr::Tuple(t) => t.elts.first().unwrap_or(target),
            _ => target,
        };
        let child = match target {
            Expr::StringLiteral(_) => string(target),
            Expr::List(list) => {
                for elt in &list.elts {
                    if let Expr::Call(call) = elt {
                        self.done.insert(call.start().to_usize());
                        let is_pattern =
                            url_function(resolver, &call.func, at).is_some_and(|n| n != "include");
                        if let (true, Some(route)) = (is_pattern, &route) {
                            self.pattern(resolver, call, route);
                        }
                    }
                }
                return;
            }
            Expr::Attribute(attr) if matches!(attr.attr.id.as_str(), "urls" | "urlpatterns") => {
                router_name(resolver, &attr.value, at)
            }
            _ => router_name(resolver, target, at),
        };
        if let Some(child) = child {
            self.facts.mounts.push(RouterMount {
                child,
                parent: Some(urlconf.to_string()),
                prefix: route,
                replaces_own: false,
            });
        }
    }

    /// What a view's decorators say of its methods.
    pub(super) fn view_decorators(
        &mut self,
        resolver: &Resolver,
        func: &ast::StmtFunctionDef,
        handler: &str,
    ) {
        for decorator in &func.decorator_list {
            let expr = &decorator.expression;
            let at = expr.start().to_usize();
            let (callee, args) = match expr {
                Expr::Call(call) => (call.func.as_ref(), Some(&call.arguments)),
                other => (other, None),
            };
            let Some(name) = resolver.qualname(callee, at) else {
                continue;
            };
            let (module, last) = name.rsplit_once('.').unwrap_or(("", &name));
            let django = module.starts_with("django.views.decorators");
            let drf = module.starts_with("rest_framework");
            let methods_arg =
                || args.and_then(|a| positional_or_keyword(a, 0, "http_method_names"));
            let (methods, action) = match (django, drf, last) {
                (true, _, "require_POST") => (Some(vec!["POST".into()]), None),
                (true, _, "require_GET") => (Some(vec!["GET".into()]), None),
                (true, _, "require_safe") => (Some(vec!["GET".into(), "HEAD".into()]), None),
                (true, _, "require_http_methods") => {
                    let list =
                        args.and_then(|a| positional_or_keyword(a, 0, "request_method_list"));
                    (list.and_then(string_list), None)
                }
                (_, true, "api_view") => match methods_arg() {
                    None => (Some(vec!["GET".into()]), None),
                    Some(list) => (string_list(list), None),
                },
                (_, true, "action") => {
                    let Some(args) = args else { continue };
                    let detail = match keyword(args, "detail") {
                        Some(Expr::BooleanLiteral(b)) => b.value,
                        _ => continue,
                    };
                    let url_path = match keyword(args, "url_path") {
                        Some(path) => string(path),
                        None => Some(func.name.id.to_string()),
                    };
                    let methods = match keyword(args, "methods") {
                        None => Some(vec!["GET".into()]),
                        Some(list) => string_list(list),
                    };
                    (methods, Some((detail, url_path)))
                }
                _ => continue,
            };
            self.facts.views.push(ViewFact {
                handler: handler.to_string(),
                methods: Some(methods),
                action,
                lookup: None,
            });
        }
    }

    /// A class's `lookup_url_kwarg` / `lookup_field` (a DRF viewset's detail routes).
    pub fn class(&mut self, resolver: &Resolver, class: &ast::StmtClassDef, qualname: &str) {
        let mut lookup: Option<Option<String>> = None;
        for stmt in &class.body {
            let Stmt::Assign(assign) = stmt else { continue };
            let [Expr::Name(target)] = assign.targets.as_slice() else {
                continue;
            };
            match target.id.as_str() {
                "lookup_url_kwarg" => lookup = Some(string(&assign.value)),
                "lookup_field" if lookup.is_none() => lookup = Some(string(&assign.value)),
                _ => {}
            }
        }
        if lookup.is_some() {
            self.facts.views.push(ViewFact {
                handler: absolute(resolver.module, qualname),
                methods: None,
                action: None,
                lookup,
            });
        }
    }
}

/// `path`, `re_path`, `url` or `include` when the callee is Django's.
fn url_function<'n>(resolver: &Resolver, callee: &Expr, at: usize) -> Option<&'n str> {
    let name = resolver.qualname(callee, at)?;
    let (module, last) = name.rsplit_once('.')?;
    if !URL_MODULES.contains(&module) {
        return None;
    }
    ["path", "re_path", "url", "include"]
        .into_iter()
        .find(|known| *known == last)
}

/// The value a router name is assigned in its scope: `DefaultRouter(trailing_slash=False)`.
fn router_call<'e>(resolver: &'e Resolver, router: &Expr, at: usize) -> Option<&'e ast::ExprCall> {
    let Expr::Name(name) = router else {
        return None;
    };
    let Lookup::Defs(defs, _, _) = resolver.lookup(name.id.as_str(), at) else {
        return None;
    };
    match defs.last()? {
        Def::Assign {
            value: Expr::Call(call),
            ..
        } => Some(call),
        _ => None,
    }
}

/// Whether `router` is a DRF router created here (`routers.DefaultRouter()`).
fn is_drf_router(resolver: &Resolver, router: &Expr, at: usize) -> bool {
    router_call(resolver, router, at).is_some_and(|call| {
        resolver
            .qualname(&call.func, call.start().to_usize())
            .is_some_and(|q| q.starts_with("rest_framework") && q.ends_with("Router"))
    })
}

/// The router's `trailing_slash=`: true when absent, `None` when not a boolean literal.
fn trailing_slash(resolver: &Resolver, router: &Expr, at: usize) -> Option<bool> {
    let call = router_call(resolver, router, at)?;
    match keyword(&call.arguments, "trailing_slash") {
        None => Some(true),
        Some(Expr::BooleanLiteral(b)) => Some(b.value),
        Some(_) => None,
    }
}
