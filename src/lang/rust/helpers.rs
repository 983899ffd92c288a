//! Endpoint helpers: a function or method of this file that POSTs a form to a base URL plus
//! a path its caller passes (`async fn stripe_post(&self, path: &str, form: Vec<..>)` doing
//! `.post(format!("{}{}", BASE, path)).form(&form)`). A call of one with the create
//! endpoint's path is a call site, reported at the call `via` the helper and judged with
//! the form the call passes; a call with another path is not.
//!
//! Knows Rust syntax and this file's items; which URLs are the endpoint is `http`'s, which
//! methods POST and carry forms is asked of `shapes`.

use std::collections::HashMap;

use syn::visit::Visit;
use syn::{Expr, ExprMethodCall, Item, Lit, Pat};

use super::extract::Walker;
use super::macros::{macro_args, macro_name};
use super::resolve::Resolved;
use super::syntax::{flatten_chain, ident, path_segments, peel};
use crate::facts::ByteSpan;
use crate::shapes::shapes;

/// A helper's signature, as far as its callers need it.
#[derive(Clone, Debug)]
pub struct EndpointHelper {
    /// Positions of the path and form parameters among the arguments a call passes
    /// (`self` not counted).
    path_at: usize,
    form_at: usize,
    /// The raw POST it makes (`POST reqwest /v1/checkout/sessions`).
    api: String,
}

impl Walker<'_> {
    /// The endpoint helpers among the file's module-level functions and methods, by
    /// absolute path (read once, before the walk).
    pub(super) fn endpoint_helpers(&self, items: &[Item]) -> HashMap<String, EndpointHelper> {
        let module = self.resolver.module().join("::");
        let mut out = HashMap::new();
        for item in items {
            match item {
                Item::Fn(f) => {
                    if let Some(helper) = self.endpoint_helper(&f.sig, &f.block) {
                        out.insert(format!("{module}::{}", f.sig.ident), helper);
                    }
                }
                Item::Impl(imp) => {
                    let Some(owner) =
                        super::syntax::type_path(&imp.self_ty).and_then(|p| p.last().cloned())
                    else {
                        continue;
                    };
                    for impl_item in &imp.items {
                        if let syn::ImplItem::Fn(f) = impl_item {
                            if let Some(helper) = self.endpoint_helper(&f.sig, &f.block) {
                                out.insert(format!("{module}::{owner}::{}", f.sig.ident), helper);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        out
    }

    /// Whether a function POSTs a form parameter to a URL that ends in a path parameter.
    fn endpoint_helper(&self, sig: &syn::Signature, block: &syn::Block) -> Option<EndpointHelper> {
        let params: Vec<String> = sig
            .inputs
            .iter()
            .filter_map(|input| match input {
                syn::FnArg::Typed(arg) => match &*arg.pat {
                    Pat::Ident(p) => Some(p.ident.to_string()),
                    _ => Some(String::new()),
                },
                syn::FnArg::Receiver(_) => None,
            })
            .collect();
        let mut body = Body::default();
        body.visit_block(block);
        let rust = &self.shapes;
        let position = |name: &str| params.iter().position(|p| p == name);
        for call in &body.calls {
            let method = call.method.to_string();
            if !rust.post_methods.contains(&method) || call.args.len() != 1 {
                continue;
            }
            let Some(path_at) = url_tail(&call.args[0], &body.lets, 0).and_then(|p| position(&p))
            else {
                continue;
            };
            let form_at = body.calls.iter().find_map(|c| {
                (rust.form_methods.contains(&c.method.to_string()) && c.args.len() == 1)
                    .then(|| ident(peel(&c.args[0])))
                    .flatten()
                    .and_then(|name| position(&name))
            })?;
            let (_, root) = flatten_chain(&call.receiver);
            let api = format!("POST {} {}", self.http_client(root), shapes().endpoint.path);
            return Some(EndpointHelper {
                path_at,
                form_at,
                api,
            });
        }
        None
    }

    /// A call of an endpoint helper of this file: `stripe_post(state, PATH, &form)`, or
    /// `self.stripe_post(PATH, form)` as the innermost link of a chain on `self`. Reported
    /// when the path is the create endpoint; `true` when the call was a helper's.
    pub(super) fn check_helper_call(
        &mut self,
        callee: Vec<String>,
        args: Vec<&Expr>,
        span: ByteSpan,
    ) -> bool {
        if self.endpoint_helpers.is_empty() {
            return false;
        }
        let Resolved::Project(path) = self.resolver.resolve(&self.self_to_owner(callee)) else {
            return false;
        };
        let key = path.join("::");
        let Some(helper) = self.endpoint_helpers.get(&key).cloned() else {
            return false;
        };
        let (Some(url), Some(form)) = (args.get(helper.path_at), args.get(helper.form_at)) else {
            return true;
        };
        if self.is_endpoint(url) {
            let source = self.form_source(form);
            self.push_site(span, helper.api, source, false);
            if let Some(site) = self.out.call_sites.last_mut() {
                site.via = Some(key);
            }
        }
        true
    }

    /// `self.helper(..)` at the bottom of a method chain.
    pub(super) fn check_self_helper_call(
        &mut self,
        links: &[&ExprMethodCall],
        root: &Expr,
    ) -> bool {
        let Some(call) = links.last() else {
            return false;
        };
        if ident(peel(root)).as_deref() != Some("self") {
            return false;
        }
        let callee = vec!["Self".to_string(), call.method.to_string()];
        let span = ByteSpan::new(self.span(root).start, self.span(*call).end);
        self.check_helper_call(callee, call.args.iter().collect(), span)
    }

    /// `helper(args)`, a free function of this file.
    pub(super) fn check_fn_helper_call(&mut self, call: &syn::ExprCall) {
        let Some(callee) = path_segments(&call.func) else {
            return;
        };
        let span = self.span(call);
        self.check_helper_call(callee, call.args.iter().collect(), span);
    }
}

/// The parameter a URL ends in: `format!("{}{}", base, path)`, `format!("{base}{path}")`,
/// `base + path`, `base.join(path)`, `&url` for a `let url` of one of these.
fn url_tail(url: &Expr, lets: &HashMap<String, &Expr>, depth: usize) -> Option<String> {
    if depth > 4 {
        return None;
    }
    match peel(url) {
        Expr::Path(_) => {
            let name = ident(peel(url))?;
            match lets.get(&name) {
                Some(init) => url_tail(init, lets, depth + 1),
                None => None,
            }
        }
        Expr::Binary(b) if matches!(b.op, syn::BinOp::Add(_)) => ident(peel(&b.right)),
        Expr::MethodCall(m) if m.method == "join" && m.args.len() == 1 => ident(peel(&m.args[0])),
        Expr::Macro(m) if macro_name(&m.mac) == "format" => {
            let args = macro_args(&m.mac)?;
            let Some(Expr::Lit(syn::ExprLit {
                lit: Lit::Str(fmt), ..
            })) = args.first()
            else {
                return None;
            };
            let fmt = fmt.value();
            let inner = fmt.strip_suffix('}')?.rsplit('{').next()?;
            if inner.is_empty() {
                ident(peel(args.last()?))
            } else {
                Some(inner.to_string())
            }
        }
        _ => None,
    }
}

/// The `let`s and method calls of a function body.
#[derive(Default)]
struct Body<'ast> {
    lets: HashMap<String, &'ast Expr>,
    calls: Vec<&'ast ExprMethodCall>,
}

impl<'ast> Visit<'ast> for Body<'ast> {
    fn visit_local(&mut self, local: &'ast syn::Local) {
        let name = match &local.pat {
            Pat::Ident(p) => Some(p.ident.to_string()),
            Pat::Type(t) => match &*t.pat {
                Pat::Ident(p) => Some(p.ident.to_string()),
                _ => None,
            },
            _ => None,
        };
        if let (Some(name), Some(init)) = (name, &local.init) {
            self.lets.insert(name, &init.expr);
        }
        syn::visit::visit_local(self, local);
    }

    fn visit_expr_method_call(&mut self, call: &'ast ExprMethodCall) {
        self.calls.push(call);
        syn::visit::visit_expr_method_call(self, call);
    }

    fn visit_item(&mut self, _: &'ast Item) {}
}
