//! Recognises a call (or a callable handed to a call) as a create site, by its shape
//! (SPEC §4): resource class, StripeClient service, `raw_request`, raw HTTP, a known thin
//! wrapper; and reads where the site's arguments keep the expiry parameter.
//!
//! Which names are create APIs it asks `shapes`; it does not judge the values it finds.

use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::Ranged;

use super::http::{is_endpoint, url_suffix};
use super::{last_segment, string_value, Extractor};
use crate::facts::fix::Slot;
use crate::facts::{ByteSpan, ExpiresAtSource, Forwarding};
use crate::lang::python::mapping::{expires_at_param, merge_keywords, MapResult};
use crate::lang::python::resolve::Resolver;

/// An expression used as a value, resolved (`Extractor::create_reference`).
pub(super) struct CreateReference {
    /// The create API it stands for (empty when `shape` is `None`).
    pub api: String,
    pub shape: Option<Shape>,
    /// The thin wrapper it names.
    pub via: Option<String>,
    pub qualname: Option<String>,
}

/// Which shape a create site has, which decides where `expires_at` lives.
pub(super) enum Shape {
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
    pub(super) fn check_call(&mut self, call: &'a ast::ExprCall) {
        let at = call.start().to_usize();
        let resolver = self.resolver();
        // A call on a test double (`stripe = MagicMock()`) reaches no Stripe API.
        if resolver.root_is_test_double(&call.func, at) {
            self.check_references(call, None);
            self.follow_call(call, None);
            return;
        }
        let qualname = resolver.qualname(&call.func, at);
        let chain = attribute_chain(&call.func);
        let mut via = None;
        let shape = if let Some(api) = qualname
            .as_deref()
            .and_then(|q| self.shapes.resource_create(q))
        {
            Some((api, Shape::Keywords))
        } else if let Some(api) = self.service_create(&chain, qualname.as_deref()) {
            Some((api, Shape::ParamsArgument))
        } else if let Some(w) = self.thin_wrapper(qualname.as_deref()) {
            via.clone_from(&qualname);
            Some((w.api.clone(), Shape::Wrapper(w.forwarding.clone())))
        } else if let Some((key, path, w)) = self.endpoint_helper(call, qualname.as_deref()) {
            // A call with another path is no site, nor a request of its own.
            self.passes_endpoint_path(&path, call).then(|| {
                via = Some(key);
                (w.api, Shape::Wrapper(w.forwarding))
            })
        } else if let Some(api) = self.raw_request(call, qualname.as_deref(), &chain) {
            Some((api, Shape::Keywords))
        } else {
            self.raw_http(call, qualname.as_deref(), &chain)
                .map(|api| (api, Shape::HttpBody))
        };
        if let Some((api, shape)) = shape {
            let (source, slot) =
                self.expires_at(&shape, &call.arguments.args, &call.arguments.keywords, at);
            let call_span = ByteSpan::new(call.start().to_usize(), call.end().to_usize());
            let slot = slot.map(|slot| match slot {
                Slot::Argument(_) => Slot::Argument(call_span),
                other => other,
            });
            let params = &self.shapes.service_params_keyword;
            let value = written_value(
                &shape,
                params,
                &call.arguments.args,
                &call.arguments.keywords,
            );
            self.record_site(call.range(), api, via, source, (slot, value));
        } else {
            self.note_endpoint_helper(call, qualname.as_deref(), &chain);
            self.note_project_url(call, qualname.as_deref(), &chain);
            self.note_project_callee(qualname.as_deref());
        }
        self.check_references(call, qualname.as_deref());
        self.follow_call(call, qualname.as_deref());
    }

    /// A create method handed to another call: `asyncio.to_thread(stripe...create, **p)`.
    fn check_references(&mut self, call: &'a ast::ExprCall, callee: Option<&str>) {
        if self.only_inspects(callee) {
            return;
        }
        let args = &call.arguments.args;
        for (i, arg) in args.iter().enumerate() {
            if !matches!(arg, Expr::Attribute(_) | Expr::Name(_)) {
                continue;
            }
            let at = arg.start().to_usize();
            let Some(reference) = self.create_reference(arg) else {
                continue;
            };
            let shape = match reference.shape {
                Some(shape) => shape,
                None => {
                    self.note_project_callee(reference.qualname.as_deref());
                    continue;
                }
            };
            // A handed-on method takes its arguments as the callee passes them: no fix.
            let (source, _) = self.expires_at(&shape, &args[i + 1..], &call.arguments.keywords, at);
            self.record_site(
                arg.range(),
                reference.api,
                reference.via,
                source,
                (None, None),
            );
        }
    }

    /// Whether the callee only inspects or mocks what it is handed (`patch.object`,
    /// `isinstance`): a create method handed to it is not called.
    pub(super) fn only_inspects(&self, callee: Option<&str>) -> bool {
        let last = callee
            .and_then(|q| q.rsplit('.').next())
            .unwrap_or_default();
        self.shapes
            .reference_sinks_excluded
            .iter()
            .any(|s| s == last)
    }

    /// What an expression used as a value (not called) stands for: a create method, a
    /// service create or a thin wrapper (`shape`), or some other name (`shape` is `None`).
    /// `None` for a test double.
    pub(super) fn create_reference(&self, expr: &Expr) -> Option<CreateReference> {
        let at = expr.start().to_usize();
        let resolver = self.resolver();
        if resolver.root_is_test_double(expr, at) {
            return None;
        }
        let qualname = resolver.qualname(expr, at);
        let chain = attribute_chain(expr);
        let (api, shape, via) = if let Some(api) = qualname
            .as_deref()
            .and_then(|q| self.shapes.resource_create(q))
        {
            (api, Some(Shape::Keywords), None)
        } else if let Some(api) = self.service_create(&chain, qualname.as_deref()) {
            (api, Some(Shape::ParamsArgument), None)
        } else if let Some(w) = self.thin_wrapper(qualname.as_deref()) {
            let shape = Shape::Wrapper(w.forwarding.clone());
            (w.api.clone(), Some(shape), qualname.clone())
        } else {
            (String::new(), None, None)
        };
        Some(CreateReference {
            api,
            shape,
            via,
            qualname,
        })
    }

    /// The thin wrapper a callee names (not an endpoint helper, which needs its path).
    fn thin_wrapper(&self, qualname: Option<&str>) -> Option<&'c super::KnownWrapper> {
        let ctx: &'c super::Context<'c> = self.ctx;
        ctx.wrappers.get(qualname?).filter(|w| w.path.is_none())
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

    /// Where this shape keeps `expires_at`, given the arguments that travel with the call,
    /// and where a call that passes none would take one (`--fix`).
    fn expires_at(
        &self,
        shape: &Shape,
        args: &'a [Expr],
        keywords: &'a [ast::Keyword],
        at: usize,
    ) -> (ExpiresAtSource, Option<Slot>) {
        let resolver = self.resolver();
        let keyword = |name: &str| {
            keywords
                .iter()
                .find(|k| k.arg.as_ref().is_some_and(|a| a.id.as_str() == name))
                .map(|k| &k.value)
        };
        let entry = |mapping: &Expr| match mapping {
            Expr::Dict(dict) => Some(Slot::Entry(ByteSpan::new(
                dict.start().to_usize(),
                dict.end().to_usize(),
            ))),
            _ => None,
        };
        let (result, slot) = match shape {
            Shape::Keywords | Shape::Wrapper(Forwarding::Kwargs) => (
                keyword_mapping(&resolver, keywords, at),
                Some(Slot::Argument(ByteSpan::default())),
            ),
            Shape::ParamsArgument => match args
                .first()
                .or_else(|| keyword(&self.shapes.service_params_keyword))
            {
                Some(params) => (resolver.mapping(params, at), entry(params)),
                None => (keyword_mapping(&resolver, keywords, at), None),
            },
            Shape::HttpBody => match keyword("data").or_else(|| keyword("json")) {
                Some(body) => (resolver.mapping(body, at), entry(body)),
                None => (MapResult::Absent, None),
            },
            Shape::Wrapper(Forwarding::Param { name, position }) => {
                match args.get(*position).or_else(|| keyword(name)) {
                    Some(params) => (resolver.mapping(params, at), entry(params)),
                    None => (MapResult::Absent, None),
                }
            }
        };
        let slot = slot.filter(|_| matches!(result, MapResult::Absent));
        let source = match result {
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
        };
        (source, slot)
    }
}

/// The `expires_at` expression written in the call itself: a keyword, or an entry of the
/// dict literal the call sends.
fn written_value(
    shape: &Shape,
    params: &str,
    args: &[Expr],
    keywords: &[ast::Keyword],
) -> Option<ByteSpan> {
    let key = expires_at_param();
    let keyword = |name: &str| {
        keywords
            .iter()
            .find(|k| k.arg.as_ref().is_some_and(|a| a.id.as_str() == name))
            .map(|k| &k.value)
    };
    let span = |e: &Expr| ByteSpan::new(e.start().to_usize(), e.end().to_usize());
    let entry = |mapping: Option<&Expr>| match mapping? {
        Expr::Dict(dict) => dict.items.iter().find_map(|item| match &item.key {
            Some(Expr::StringLiteral(s)) if s.value.to_str() == key => Some(span(&item.value)),
            _ => None,
        }),
        _ => None,
    };
    match shape {
        Shape::Keywords | Shape::Wrapper(Forwarding::Kwargs) => keyword(key).map(span),
        Shape::ParamsArgument => entry(args.first().or_else(|| keyword(params))),
        Shape::HttpBody => entry(keyword("data")),
        Shape::Wrapper(Forwarding::Param { .. }) => None,
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
        arguments_like = merge_keywords(arguments_like, result);
    }
    arguments_like
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
