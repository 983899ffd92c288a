//! HTTP routes of Rust handlers: actix-web / rocket attributes (`#[post("/x")]`) on the
//! handler itself, and axum router registrations (`.route("/x", post(handler))`) that the
//! analysis matches to handlers in any file.

use syn::punctuated::Punctuated;
use syn::{Attribute, Expr, ExprMethodCall, Lit, Token};

use super::extract::Walker;
use super::lower::{ident, path_segments, peel};
use super::resolve::Resolved;
use crate::model::RouteRegistration;

impl Walker<'_> {
    /// axum: `.route("/checkout", post(create_checkout))`, also `get(a).post(b)` and
    /// `axum::routing::post(handler)`; the handler's call sites get the route.
    pub(super) fn axum_routes(&mut self, links: &[&ExprMethodCall]) {
        for link in links {
            if link.method != "route" || link.args.len() != 2 {
                continue;
            }
            let Expr::Lit(syn::ExprLit {
                lit: Lit::Str(path),
                ..
            }) = peel(&link.args[0])
            else {
                continue;
            };
            let mut handlers = Vec::new();
            method_router(&link.args[1], &mut handlers);
            for (method, handler) in handlers {
                let Some(segments) = path_segments(handler) else {
                    continue;
                };
                if let Resolved::Project(handler) = self.resolver.resolve(&segments) {
                    self.out.routes.push(RouteRegistration {
                        handler: handler.join("::"),
                        route: format!("{method} {}", path.value()),
                    });
                }
            }
        }
    }
}

/// The (method, handler) pairs of an axum method router: `post(h)`, `get(a).post(b)`.
pub(super) fn method_router<'e>(expr: &'e Expr, out: &mut Vec<(String, &'e Expr)>) {
    const METHODS: [&str; 7] = ["get", "post", "put", "patch", "delete", "head", "options"];
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
