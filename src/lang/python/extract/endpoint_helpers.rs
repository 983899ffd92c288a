//! Endpoint helpers: a project function or method that POSTs the body its caller passes to a
//! base URL plus the path its caller passes (`def _post(self, path, form):
//! session.post(f"{BASE}{path}", data=form)`), and the calls of one with the create
//! endpoint's path (`self._post("/checkout/sessions", form)`), which are create sites `via`
//! the helper, judged with the body they pass. Calls with other paths are not sites.
//!
//! A helper is found like a thin wrapper (`WrapperDef` with a `path`) and made known to its
//! callers by the same pass. The endpoint's path and host come from `shapes`; what a body
//! says is read like any raw POST's. Knows no rule.

use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::Ranged;

use super::http::{is_endpoint, url_suffix};
use super::Extractor;
use crate::facts::{
    ByteSpan, EndpointPath, ExpiresAtSource, Forwarding, Language, RawCallSite, SymbolRef,
    WrapperDef,
};
use crate::lang::python::mapping::MapResult;
use crate::lang::python::resolve::Lookup;
use crate::lang::python::scope::{Def, ParamKind, ScopeKind};
use crate::shapes::shapes;

/// The receivers a method helper is called on from a sibling method.
const SELF_NAMES: [&str; 2] = ["self", "cls"];

impl<'a, 'c> Extractor<'a, 'c> {
    /// Records the enclosing function as an endpoint helper when `call` POSTs to a URL that
    /// ends in one of its parameters and sends one of its parameters as the body. The
    /// function is defined at module level, or is a method of a module-level class whose
    /// first parameter is `self` or `cls` (skipped in the positions kept).
    pub(super) fn note_endpoint_helper(
        &mut self,
        call: &'a ast::ExprCall,
        qualname: Option<&str>,
        chain: &[&str],
    ) {
        let shift = match self.scopes.as_slice() {
            [_, f] if f.is_module_function => 0,
            [_, class, f] if class.kind == ScopeKind::Class && f.kind == ScopeKind::Function => {
                match f.params.first() {
                    Some((name, ParamKind::Positional(0))) if SELF_NAMES.contains(&&**name) => 1,
                    _ => return,
                }
            }
            _ => return,
        };
        let Some(url) = self.post_url(call, qualname, chain) else {
            return;
        };
        let at = call.start().to_usize();
        let Some((path, base)) = self.path_parameter(url, at, shift) else {
            return;
        };
        let body = call
            .arguments
            .keywords
            .iter()
            .find(|k| {
                k.arg
                    .as_ref()
                    .is_some_and(|a| matches!(a.id.as_str(), "data" | "json"))
            })
            .map(|k| &k.value);
        let Some(MapResult::Forwarded(forwarding)) = body.map(|b| self.resolver().mapping(b, at))
        else {
            return;
        };
        let forwarding = match forwarding {
            Forwarding::Param { name, position } if position != usize::MAX => {
                match position.checked_sub(shift) {
                    Some(position) => Forwarding::Param { name, position },
                    None => return,
                }
            }
            other => other,
        };
        let function = self.scopes.last().map(|s| s.qualname.clone());
        let function = function.expect("a function scope is open");
        // Named after the HTTP module when the receiver shows it (not `self._session`).
        let mut api = self.http_api(call, qualname);
        let module = api.split(' ').nth(1).unwrap_or_default();
        if !self.shapes.http_modules.iter().any(|m| m == module) {
            api = format!("POST http {}", shapes().endpoint.path);
        }
        let site = RawCallSite {
            span: ByteSpan::new(at, call.end().to_usize()),
            api,
            function: function.clone(),
            route: None,
            via: None,
            expires_at: ExpiresAtSource::Forwarded(forwarding.clone()),
            json_body: false,
            slot: None,
            value: None,
        };
        self.wrappers.push(WrapperDef {
            symbol: SymbolRef {
                language: Language::Python,
                module: self.ctx.module.to_string(),
                name: function,
            },
            forwarding,
            site,
            path: Some(EndpointPath {
                name: path.0,
                position: path.1,
                base,
                host_named: self.ctx.text.contains(&self.shapes.api_host),
            }),
        });
    }

    /// The parameter a URL ends in (its name and position, `shift` skipped), and the
    /// known end of what comes before it: `BASE + path`, `f"{BASE}{path}"`, `url` itself
    /// (nothing before it), or a local name bound to one of these.
    #[allow(clippy::type_complexity)]
    fn path_parameter(
        &self,
        url: &'a Expr,
        at: usize,
        shift: usize,
    ) -> Option<((String, usize), Option<String>)> {
        let resolver = self.resolver();
        let param = |expr: &Expr| -> Option<(String, usize)> {
            let Expr::Name(name) = expr else { return None };
            match resolver.lookup(name.id.as_str(), at) {
                Lookup::Param(ParamKind::Positional(i), true) => {
                    Some((name.id.to_string(), i.checked_sub(shift)?))
                }
                Lookup::Param(ParamKind::KeywordOnly, true) => {
                    Some((name.id.to_string(), usize::MAX))
                }
                _ => None,
            }
        };
        match url {
            Expr::Name(name) => {
                if let Some(p) = param(url) {
                    return Some((p, Some(String::new())));
                }
                // `url = f"{BASE}{path}"` just before the request.
                let Lookup::Defs(defs, ScopeKind::Function, _) =
                    resolver.lookup(name.id.as_str(), at)
                else {
                    return None;
                };
                match defs.as_slice() {
                    [Def::Assign { value, .. }] if !matches!(value, Expr::Name(_)) => {
                        self.path_parameter(value, at, shift)
                    }
                    _ => None,
                }
            }
            Expr::BinOp(b) if matches!(b.op, ast::Operator::Add) => {
                let p = param(&b.right)?;
                Some((p, url_suffix(&b.left, &resolver).filter(|s| !s.is_empty())))
            }
            Expr::FString(f) => {
                let [ast::FStringPart::FString(fs)] = f.value.as_slice() else {
                    return None;
                };
                let (last, before) = fs.elements.split_last()?;
                let ast::InterpolatedStringElement::Interpolation(i) = last else {
                    return None;
                };
                if i.conversion != ast::ConversionFlag::None
                    || i.debug_text.is_some()
                    || i.format_spec.is_some()
                {
                    return None;
                }
                let p = param(&i.expression)?;
                let mut base = String::new();
                for element in before {
                    match element {
                        ast::InterpolatedStringElement::Literal(l) => base.push_str(&l.value),
                        ast::InterpolatedStringElement::Interpolation(i) => {
                            match url_suffix(&i.expression, &resolver) {
                                Some(known) => base.push_str(&known),
                                None => base.clear(),
                            }
                        }
                    }
                }
                Some((p, Some(base).filter(|b| !b.is_empty())))
            }
            _ => None,
        }
    }

    /// The endpoint helper a call names, with its key: a project function known by its
    /// qualified name, or a method of the enclosing class called on `self` or `cls`. A
    /// sibling method is noted as a project callee, in case it turns out to be one.
    pub(super) fn endpoint_helper(
        &mut self,
        call: &ast::ExprCall,
        qualname: Option<&str>,
    ) -> Option<(String, EndpointPath, super::KnownWrapper)> {
        let key = match qualname.and_then(|q| self.ctx.wrappers.get(q)) {
            Some(_) => qualname?.to_string(),
            None => {
                let Expr::Attribute(attr) = call.func.as_ref() else {
                    return None;
                };
                let Expr::Name(receiver) = attr.value.as_ref() else {
                    return None;
                };
                let [.., class, function] = self.scopes.as_slice() else {
                    return None;
                };
                let first = function.params.first().map(|(n, _)| n.as_str());
                if class.kind != ScopeKind::Class
                    || first != Some(receiver.id.as_str())
                    || !SELF_NAMES.contains(&receiver.id.as_str())
                {
                    return None;
                }
                let key = format!("{}.{}.{}", self.ctx.module, class.qualname, attr.attr.id);
                self.project_callees.push(key.clone());
                key
            }
        };
        let wrapper = self.ctx.wrappers.get(&key)?;
        let path = wrapper.path.clone()?;
        Some((key, path, wrapper.clone()))
    }

    /// Whether a helper's call passes the create endpoint's path: the base and the path
    /// together end in it; with an unknown base, the path is the endpoint's whole path, or
    /// its part after the version where the helper's file or the caller's names the API's
    /// host.
    pub(super) fn passes_endpoint_path(&self, path: &EndpointPath, call: &ast::ExprCall) -> bool {
        let arg = call.arguments.args.get(path.position).or_else(|| {
            call.arguments
                .keywords
                .iter()
                .find(|k| k.arg.as_ref().is_some_and(|a| a.id.as_str() == path.name))
                .map(|k| &k.value)
        });
        let Some(suffix) = arg.and_then(|a| url_suffix(a, &self.resolver())) else {
            return false;
        };
        match &path.base {
            Some(base) => is_endpoint(&format!("{base}{suffix}")),
            None => {
                let endpoint = &shapes().endpoint.path;
                let after_version = endpoint
                    .trim_start_matches('/')
                    .split_once('/')
                    .map_or(endpoint.as_str(), |(_, rest)| rest);
                is_endpoint(&suffix)
                    || (suffix.trim_matches('/') == after_version
                        && (path.host_named || self.ctx.text.contains(&self.shapes.api_host)))
            }
        }
    }
}
