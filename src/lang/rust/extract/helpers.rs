//! Endpoint helpers: a function or method that POSTs a form to a base URL plus a path its
//! caller passes (`async fn stripe_post(&self, path: &str, form: Vec<..>)` doing
//! `.post(format!("{}{}", BASE, path)).form(&form)`). A call of one with the create
//! endpoint's path is a call site, reported at the call `via` the helper and judged with
//! the form the call passes; a call with another path is not.
//!
//! The file's own helpers are found before the walk; the summary lists them as wrapper
//! facts (`WrapperDef` with a `path`), which the index's wrapper pass makes known to the
//! other modules (`RustProject::endpoint_helpers`), so a call from another module
//! (`stripe_api::stripe_post(..)`, through `use`, renames, `crate::`, `super::`, or
//! `Type::function(..)`) is judged the same way. A project function this file passes the
//! endpoint's path to and does not know is listed (`ModuleSummary::project_callees`) for
//! the pass to read its module.
//!
//! Knows Rust syntax and this file's items; which URLs are the endpoint is `http`'s, which
//! methods POST and carry forms is asked of `shapes`.

use std::collections::HashMap;

use syn::visit::Visit;
use syn::{Expr, ExprMethodCall, Item, Pat};

use super::macros::{format_args, macro_name};
use super::Walker;
use crate::facts::{
    ByteSpan, EndpointPath, ExpiresAtSource, Forwarding, Language, RawCallSite, SymbolRef,
    WrapperDef,
};
use crate::lang::rust::endpoint_after_version;
use crate::lang::rust::env::Local;
use crate::lang::rust::resolve::Resolved;
use crate::lang::rust::syntax::{flatten_chain, ident, path_segments, peel};
use crate::shapes::shapes;

/// A helper's signature, as far as its callers need it.
#[derive(Clone, Debug, PartialEq)]
pub struct EndpointHelper {
    /// The path parameter, its position among the arguments a call passes (`self` not
    /// counted), and what the URL has before it.
    path: EndpointPath,
    /// The form parameter and its position.
    form: (String, usize),
    /// The raw POST it makes (`POST reqwest /v1/checkout/sessions`).
    api: String,
    /// Where the helper is defined (`app::stripe_api::stripe_post`), which a site names as
    /// its `via`, whatever path the call names it by (a `pub use` of it elsewhere).
    via: String,
}

impl EndpointHelper {
    /// A helper a Rust summary lists among its wrappers, with its absolute path
    /// (`app::stripe_api::stripe_post`, `app::api::Client::post_form`); `None` for a fact
    /// that is not an endpoint helper of Rust's.
    pub fn from_wrapper(wrapper: &WrapperDef) -> Option<(String, EndpointHelper)> {
        let Forwarding::Param { name, position } = &wrapper.forwarding else {
            return None;
        };
        if wrapper.symbol.language != Language::Rust {
            return None;
        }
        let helper = EndpointHelper {
            path: wrapper.path.clone()?,
            form: (name.clone(), *position),
            api: wrapper.site.api.clone(),
            via: wrapper.symbol.display(),
        };
        Some((helper.via.clone(), helper))
    }

    /// The wrapper fact that lists this helper, `name` (`stripe_post`, `Client::post_form`)
    /// in `module`, its POST at `span`.
    fn wrapper(&self, module: &str, name: &str, span: ByteSpan) -> WrapperDef {
        let forwarding = Forwarding::Param {
            name: self.form.0.clone(),
            position: self.form.1,
        };
        WrapperDef {
            symbol: SymbolRef {
                language: Language::Rust,
                module: module.to_string(),
                name: name.to_string(),
            },
            forwarding: forwarding.clone(),
            site: RawCallSite {
                span,
                api: self.api.clone(),
                function: name.to_string(),
                route: None,
                via: None,
                expires_at: ExpiresAtSource::Forwarded(forwarding),
                json_body: false,
                slot: None,
                value: None,
            },
            path: Some(self.path.clone()),
        }
    }
}

impl Walker<'_> {
    /// The endpoint helpers among the file's module-level functions and methods, by
    /// absolute path (read once, before the walk).
    pub(super) fn endpoint_helpers(&self, items: &[Item]) -> HashMap<String, EndpointHelper> {
        let module = self.resolver.module().join("::");
        self.file_helpers(items)
            .into_iter()
            .map(|(name, _, mut helper)| {
                helper.via = format!("{module}::{name}");
                (helper.via.clone(), helper)
            })
            .collect()
    }

    /// The file's endpoint helpers as the wrapper facts its summary lists: read again once
    /// the walk is done, when the file's constants are known (a base URL may name one).
    pub(super) fn helper_facts(&self, items: &[Item]) -> Vec<WrapperDef> {
        let module = &self.resolver.file.key;
        self.file_helpers(items)
            .into_iter()
            .map(|(name, span, helper)| helper.wrapper(module, &name, span))
            .collect()
    }

    /// The file's endpoint helpers: each one's name in the module (`f`, `Type::f`), where
    /// it POSTs, and its signature.
    fn file_helpers(&self, items: &[Item]) -> Vec<(String, ByteSpan, EndpointHelper)> {
        let mut out = Vec::new();
        for item in items {
            match item {
                Item::Fn(f) => {
                    if let Some((span, helper)) = self.endpoint_helper(&f.sig, &f.block) {
                        out.push((f.sig.ident.to_string(), span, helper));
                    }
                }
                Item::Impl(imp) => {
                    let Some(owner) = crate::lang::rust::syntax::type_path(&imp.self_ty)
                        .and_then(|p| p.last().cloned())
                    else {
                        continue;
                    };
                    for impl_item in &imp.items {
                        if let syn::ImplItem::Fn(f) = impl_item {
                            if let Some((span, helper)) = self.endpoint_helper(&f.sig, &f.block) {
                                out.push((format!("{owner}::{}", f.sig.ident), span, helper));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        out
    }

    /// Whether a function POSTs a form parameter to a URL that ends in a path parameter:
    /// where it POSTs, and its signature.
    fn endpoint_helper(
        &self,
        sig: &syn::Signature,
        block: &syn::Block,
    ) -> Option<(ByteSpan, EndpointHelper)> {
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
            let Some((path_name, base)) = self.url_tail(&call.args[0], &body.lets, 0) else {
                continue;
            };
            let Some(path_at) = position(&path_name) else {
                continue;
            };
            let form = body.calls.iter().find_map(|c| {
                (rust.form_methods.contains(&c.method.to_string()) && c.args.len() == 1)
                    .then(|| ident(peel(&c.args[0])))
                    .flatten()
                    .and_then(|name| Some((name.clone(), position(&name)?)))
            })?;
            let (_, root) = flatten_chain(&call.receiver);
            let api = format!("POST {} {}", self.http_client(root), shapes().endpoint.path);
            let path = EndpointPath {
                name: path_name,
                position: path_at,
                base: base.filter(|b| !b.is_empty()),
                host_named: self.text.contains(self.shapes.api_host.as_str()),
            };
            return Some((
                self.span(*call),
                EndpointHelper {
                    path,
                    form,
                    api,
                    via: String::new(),
                },
            ));
        }
        None
    }

    /// A call of an endpoint helper, of this file or another module's:
    /// `stripe_post(state, PATH, &form)`, `api::Client::post_form(PATH, form)`, or
    /// `self.stripe_post(PATH, form)` as the innermost link of a chain on `self`. Reported
    /// when the path is the create endpoint; `true` when the call was a helper's. A project
    /// function not known as a helper that is passed the endpoint's path is listed for the
    /// wrapper pass, which reads its module.
    pub(super) fn check_helper_call(
        &mut self,
        callee: Vec<String>,
        args: Vec<&Expr>,
        span: ByteSpan,
    ) -> bool {
        let project = self.resolver.project();
        let known = !self.endpoint_helpers.is_empty() || !project.endpoint_helpers.is_empty();
        if !known && !args.iter().any(|a| self.names_endpoint_path(a)) {
            return false;
        }
        let Resolved::Project(path) = self.resolver.resolve(&self.self_to_owner(callee)) else {
            return false;
        };
        let key = path.join("::");
        // The project's entry, once the wrapper pass has made it, knows the constants of the
        // helper's file (`helper_facts`); this file's own is read before its walk.
        let helper = project
            .endpoint_helpers
            .get(&key)
            .or_else(|| self.endpoint_helpers.get(&key));
        let Some(helper) = helper.cloned() else {
            if known && !args.iter().any(|a| self.names_endpoint_path(a)) {
                return false;
            }
            self.out.project_callees.push(key);
            return false;
        };
        let (Some(url), Some(form)) = (args.get(helper.path.position), args.get(helper.form.1))
        else {
            return true;
        };
        if self.passes_endpoint(&helper.path, url) {
            let source = self.form_source(form);
            self.push_site(span, helper.api, source, false);
            if let Some(site) = self.out.call_sites.last_mut() {
                site.via = Some(helper.via);
            }
        }
        true
    }

    /// Whether a helper's call passes the create endpoint's path: the path names it where
    /// this file is (`is_endpoint`), or the helper's base and the path together end in it,
    /// or the path is its part after the version and the helper's file names the API's host.
    fn passes_endpoint(&self, path: &EndpointPath, url: &Expr) -> bool {
        if self.is_endpoint(url) {
            return true;
        }
        let Some(suffix) = self.string_suffix(url, 0) else {
            return false;
        };
        let suffix = suffix.trim_end_matches('/');
        let endpoint = shapes().endpoint.path.as_str();
        path.base
            .as_ref()
            .is_some_and(|base| format!("{base}{suffix}").ends_with(endpoint))
            || (path.host_named && endpoint_after_version(endpoint) == Some(suffix))
    }

    /// Whether an argument may be the endpoint's path, after its version or whole
    /// (`checkout/sessions`, `/v1/checkout/sessions`, a constant of one).
    fn names_endpoint_path(&self, arg: &Expr) -> bool {
        // Only what can spell a string (not a call or a block, whose lowering costs more).
        let spells = match peel(arg) {
            Expr::Lit(_) | Expr::Path(_) | Expr::Macro(_) | Expr::Binary(_) => true,
            Expr::MethodCall(m) => matches!(
                m.method.to_string().as_str(),
                "to_string" | "to_owned" | "into" | "join"
            ),
            _ => false,
        };
        if !spells {
            return false;
        }
        let endpoint = shapes().endpoint.path.as_str();
        let Some(tail) = endpoint_after_version(endpoint) else {
            return false;
        };
        self.string_suffix(arg, 0).is_some_and(|s| {
            s.trim_end_matches('/')
                .ends_with(tail.trim_start_matches('/'))
        })
    }

    /// `self.helper(..)` at the bottom of a method chain, or `api.helper(..)` on a
    /// parameter whose declared type is a project type (`api: &StripeApi`).
    pub(super) fn check_self_helper_call(
        &mut self,
        links: &[&ExprMethodCall],
        root: &Expr,
    ) -> bool {
        let Some(call) = links.last() else {
            return false;
        };
        let name = ident(peel(root));
        let mut callee = match name.as_deref() {
            Some("self") => vec!["Self".to_string()],
            Some(name) => match self.env.get(name) {
                Some(Local::Param {
                    ty: Some(Resolved::Project(ty)),
                }) => ty.clone(),
                _ => return false,
            },
            None => return false,
        };
        callee.push(call.method.to_string());
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

impl Walker<'_> {
    /// The parameter a URL ends in, and the known end of what comes before it:
    /// `format!("{}{}", base, path)`, `format!("{base}{path}")`, `base + path`,
    /// `base.join(path)` (nothing known before it), `&url` for a `let url` of one of these.
    fn url_tail(
        &self,
        url: &Expr,
        lets: &HashMap<String, &Expr>,
        depth: usize,
    ) -> Option<(String, Option<String>)> {
        if depth > 4 {
            return None;
        }
        match peel(url) {
            Expr::Path(_) => {
                let name = ident(peel(url))?;
                self.url_tail(lets.get(&name)?, lets, depth + 1)
            }
            Expr::Binary(b) if matches!(b.op, syn::BinOp::Add(_)) => {
                Some((ident(peel(&b.right))?, self.string_suffix(&b.left, 0)))
            }
            Expr::MethodCall(m) if m.method == "join" && m.args.len() == 1 => {
                Some((ident(peel(&m.args[0]))?, None))
            }
            Expr::Macro(m) if macro_name(&m.mac) == "format" => {
                let (fmt, args) = format_args(&m.mac)?;
                let open = fmt.strip_suffix('}')?.rfind('{')?;
                let inner = &fmt[open + 1..fmt.len() - 1];
                let param = if inner.is_empty() {
                    ident(peel(args.last()?))?
                } else {
                    inner.to_string()
                };
                Some((param, self.format_prefix(&fmt[..open], &args)))
            }
            _ => None,
        }
    }

    /// The known end of the text a format string writes before its last placeholder:
    /// literal text, and the known tails of the values before it (an unknown value forgets
    /// what came before it).
    fn format_prefix(&self, prefix: &str, args: &[Expr]) -> Option<String> {
        if prefix.contains("{{") || prefix.contains("}}") {
            return None;
        }
        let mut known = String::new();
        let mut rest = prefix;
        let mut positional = 1;
        while let Some(open) = rest.find('{') {
            known.push_str(&rest[..open]);
            let close = open + rest[open..].find('}')?;
            let inner = rest[open + 1..close].split(':').next().unwrap_or_default();
            let value = if inner.is_empty() {
                positional += 1;
                args.get(positional - 1).cloned()
            } else if let Ok(index) = inner.parse::<usize>() {
                args.get(index + 1).cloned()
            } else {
                syn::parse_str::<Expr>(inner).ok()
            };
            match value.and_then(|v| self.string_suffix(&v, 0)) {
                Some(tail) => known.push_str(&tail),
                None => known.clear(),
            }
            rest = &rest[close + 1..];
        }
        known.push_str(rest);
        Some(known)
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
