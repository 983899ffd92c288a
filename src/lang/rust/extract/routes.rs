//! HTTP routes of Rust handlers: actix-web / rocket attributes (`#[post("/x")]`) on the
//! handler itself, and router registrations (axum `.route("/x", post(handler))`, `.nest`
//! and `.merge`, actix `.route("/x", web::post().to(handler))`, `web::resource`,
//! `web::scope`, `.service`, `.configure`) as route facts of the function that builds the
//! router, which the analysis matches to handlers and mounts in any file.

use syn::punctuated::Punctuated;
use syn::{Attribute, Expr, ExprMethodCall, Lit, Token};

use super::Walker;
use crate::facts::routes::{HandlerRoute, RouterMount, Verb};
use crate::lang::rust::resolve::Resolved;
use crate::lang::rust::syntax::{ident, path_segments, peel};

impl Walker<'_> {
    /// Router registrations in a method chain, as route facts of the function that builds
    /// the router (`app::routes::router`):
    /// - axum: `.route("/checkout", post(create_checkout))`, also `get(a).post(b)`,
    ///   `axum::routing::post(handler)`; `.nest("/api", Router::new().route(..))` read in
    ///   place, `.nest("/api", routes::router())` and `.merge(routes::router())` as a mount
    ///   of the function that builds the other router;
    /// - actix-web: `.route("/checkout", web::post().to(create))` and
    ///   `web::resource("/checkout").route(web::post().to(create))`, in `web::scope("/api")`;
    ///   `.service(create)` for a handler with its own attribute route, `.service(scope())`
    ///   and `.configure(routes::config)` as mounts.
    ///
    /// An outer chain is read before the chains inside it, which are then not read again.
    pub(super) fn router_routes(&mut self, links: &[&ExprMethodCall], root: &Expr, prefix: &str) {
        if self.in_tests()
            || links
                .first()
                .is_some_and(|l| self.routed.contains(&Self::node_key(*l)))
        {
            return;
        }
        let scope = format!("{prefix}{}", scope_prefix(root));
        let resource = resource_path(root);
        for link in links.iter().rev() {
            let method = link.method.to_string();
            match (method.as_str(), link.args.len()) {
                ("route", 2) => {
                    if let Some(path) = str_lit(&link.args[0]) {
                        self.register(&link.args[1], &format!("{scope}{path}"));
                    }
                }
                ("route", 1) => {
                    if let Some(path) = &resource {
                        self.register(&link.args[0], &format!("{scope}{path}"));
                    }
                }
                ("nest", 2) => {
                    let path = str_lit(&link.args[0]).map(|path| format!("{scope}{path}"));
                    self.mount_or_read(&link.args[1], path);
                }
                ("merge" | "service" | "configure", 1) => {
                    let arg = &link.args[0];
                    if method == "service"
                        && !matches!(peel(arg), Expr::Call(_) | Expr::MethodCall(_))
                    {
                        self.service(arg, &scope);
                    } else {
                        self.mount_or_read(arg, Some(scope.clone()));
                    }
                }
                _ => {}
            }
        }
    }

    /// A router handed to `.nest`, `.merge`, `.service` or `.configure`: a chain built in
    /// place is read with the prefix; a project function that builds one (`routes::router()`,
    /// `routes::config`) is mounted there.
    fn mount_or_read(&mut self, arg: &Expr, prefix: Option<String>) {
        if let Expr::MethodCall(_) = peel(arg) {
            let (inner_links, inner_root) = crate::lang::rust::syntax::flatten_chain(arg);
            if let Some(prefix) = &prefix {
                self.router_routes(&inner_links, inner_root, prefix);
            }
            for link in inner_links {
                self.routed.insert(Self::node_key(link));
            }
            return;
        }
        let callee = match peel(arg) {
            Expr::Call(call) => &*call.func,
            other => other,
        };
        let Some(segments) = path_segments(callee) else {
            return;
        };
        let child = match (self.resolver.resolve(&segments), segments.as_slice()) {
            // A router built earlier in this function: `.nest("/api", api)`.
            (_, [local]) if callee == arg && self.env.get(local).is_some() => {
                self.local_router_name(local)
            }
            (Resolved::Project(child), _) => Some(child.join("::")),
            _ => None,
        };
        if let Some(child) = child {
            let parent = self.router_name();
            self.out.routes.mounts.push(RouterMount {
                child,
                parent,
                prefix,
                replaces_own: false,
            });
        }
    }

    /// actix `.service(create)`: a handler whose attribute says its route, under `scope`.
    fn service(&mut self, handler: &Expr, scope: &str) {
        let Some(segments) = path_segments(handler) else {
            return;
        };
        if let Resolved::Project(handler) = self.resolver.resolve(&segments) {
            let router = self.router_name();
            self.out.routes.handlers.push(HandlerRoute {
                handler: handler.join("::"),
                router,
                verb: Verb::Declared,
                path: Some(scope.to_string()),
            });
        }
    }

    /// The router being built, by name in route facts: the function whose body builds it,
    /// or the local it is bound to there (`app::main::app::api` for `let api = ..`).
    fn router_name(&self) -> Option<String> {
        match &self.router_local {
            Some(local) => self.local_router_name(local),
            None => self.function_path(),
        }
    }

    fn local_router_name(&self, local: &str) -> Option<String> {
        Some(format!("{}::{local}", self.function_path()?))
    }

    fn function_path(&self) -> Option<String> {
        if self.function.is_empty() {
            return None;
        }
        let mut parts = self.resolver.module();
        parts.extend(self.function.iter().cloned());
        Some(parts.join("::"))
    }

    /// Inside a `tests` module: a test's router is not the app's, its mounts do not count.
    fn in_tests(&self) -> bool {
        self.resolver.module().iter().any(|m| m == "tests")
    }

    fn register(&mut self, method_router_expr: &Expr, path: &str) {
        let mut handlers = Vec::new();
        method_router(method_router_expr, &mut handlers);
        for (method, handler) in handlers {
            let Some(segments) = path_segments(handler) else {
                continue;
            };
            if let Resolved::Project(handler) = self.resolver.resolve(&segments) {
                let router = self.router_name();
                self.out.routes.handlers.push(HandlerRoute {
                    handler: handler.join("::"),
                    router,
                    verb: Verb::Methods(method),
                    path: Some(path.to_string()),
                });
            }
        }
    }
}

fn str_lit(expr: &Expr) -> Option<String> {
    match peel(expr) {
        Expr::Lit(syn::ExprLit {
            lit: Lit::Str(s), ..
        }) => Some(s.value()),
        _ => None,
    }
}

/// `web::scope("/api")` at the root of an actix chain.
fn scope_prefix(root: &Expr) -> String {
    match peel(root) {
        Expr::Call(call) if call.args.len() == 1 => {
            let is_scope =
                path_segments(&call.func).is_some_and(|p| p.last().is_some_and(|l| l == "scope"));
            match (is_scope, str_lit(&call.args[0])) {
                (true, Some(path)) => path,
                _ => String::new(),
            }
        }
        _ => String::new(),
    }
}

/// `web::resource("/x")` at the root of an actix chain.
fn resource_path(root: &Expr) -> Option<String> {
    match peel(root) {
        Expr::Call(call) if call.args.len() == 1 => {
            let is_resource = path_segments(&call.func)
                .is_some_and(|p| p.last().is_some_and(|l| l == "resource"));
            if is_resource {
                str_lit(&call.args[0])
            } else {
                None
            }
        }
        _ => None,
    }
}

/// The (method, handler) pairs of a method router: axum `post(h)`, `get(a).post(b)`;
/// actix `web::post().to(h)`.
pub(super) fn method_router<'e>(expr: &'e Expr, out: &mut Vec<(String, &'e Expr)>) {
    const METHODS: [&str; 7] = ["get", "post", "put", "patch", "delete", "head", "options"];
    if let Expr::MethodCall(to) = peel(expr) {
        if to.method == "to" && to.args.len() == 1 {
            if let Expr::Call(call) = peel(&to.receiver) {
                if let Some(name) = path_segments(&call.func).and_then(|p| p.last().cloned()) {
                    if METHODS.contains(&name.as_str()) && call.args.is_empty() {
                        out.push((name.to_uppercase(), &to.args[0]));
                        return;
                    }
                }
            }
        }
    }
    match peel(expr) {
        Expr::Call(call) if call.args.len() == 1 => {
            if let Some(name) = path_segments(&call.func).and_then(|p| p.last().cloned()) {
                if METHODS.contains(&name.as_str()) {
                    out.push((name.to_uppercase(), &call.args[0]));
                }
            }
        }
        Expr::MethodCall(m) => {
            let name = m.method.to_string();
            if METHODS.contains(&name.as_str()) && m.args.len() == 1 {
                out.push((name.to_uppercase(), &m.args[0]));
            }
            method_router(&m.receiver, out);
        }
        _ => {}
    }
}

/// `#[post("/checkout")]`, `#[route("/x", method = "POST")]` (actix-web, rocket).
pub(super) fn attribute_route(attrs: &[Attribute]) -> Option<String> {
    for attr in attrs {
        let name = attr.path().segments.last()?.ident.to_string();
        let method = match name.as_str() {
            "get" | "post" | "put" | "patch" | "delete" | "head" | "options" => name.to_uppercase(),
            "route" => String::new(),
            _ => continue,
        };
        let Ok(args) = attr.parse_args_with(Punctuated::<Expr, Token![,]>::parse_terminated) else {
            continue;
        };
        let Some(Expr::Lit(syn::ExprLit {
            lit: Lit::Str(path),
            ..
        })) = args.first()
        else {
            continue;
        };
        let method = if method.is_empty() {
            args.iter()
                .find_map(|a| match a {
                    Expr::Assign(assign) if ident(&assign.left).as_deref() == Some("method") => {
                        match &*assign.right {
                            Expr::Lit(syn::ExprLit {
                                lit: Lit::Str(m), ..
                            }) => Some(m.value().to_uppercase()),
                            _ => None,
                        }
                    }
                    _ => None,
                })
                .unwrap_or_else(|| "ANY".into())
        } else {
            method
        };
        return Some(format!("{method} {}", path.value()));
    }
    None
}
