//! Call-site detection on the walk: `CheckoutSession::create(..)` (async-stripe 0.x),
//! builders sent with `.send(..)` (1.x), and raw HTTP POSTs to the create endpoint.

use syn::{Expr, ExprMethodCall};

use super::types::BuilderType;
use super::Walker;
use crate::facts::fix::Slot;
use crate::facts::{ByteSpan, ExpiresAtSource, RawCallSite, Term, Unseen};
use crate::lang::rust::env::{Local, Presence};
use crate::lang::rust::resolve::Resolved;
use crate::lang::rust::syntax::{
    flatten_chain, ident, is_default_call, is_none, path_segments, peel, unwrap_some,
};
use crate::lang::TOOL_NAME;
use crate::shapes::shapes;

impl Walker<'_> {
    // ---- call sites -----------------------------------------------------------------

    pub(super) fn push_site(
        &mut self,
        span: ByteSpan,
        api: String,
        expires_at: ExpiresAtSource,
        json_body: bool,
    ) {
        self.out.call_sites.push(RawCallSite {
            span,
            api,
            function: self.function_name(),
            route: self.route.clone(),
            via: None,
            expires_at,
            json_body,
            slot: None,
            value: None,
        });
    }

    /// A Stripe params type. A name that only an unreadable glob could have brought in
    /// (`use crate::prelude::*`) counts when its name is Stripe's: over-reporting is
    /// suppressible, a silent miss is not.
    pub(super) fn is_params_type(&self, resolved: &Resolved) -> bool {
        match resolved {
            Resolved::External(p) => self.shapes.is_params_type(p),
            Resolved::Unknown(p) => self.shapes.names_params_type(p),
            Resolved::Project(_) => false,
        }
    }

    /// Whether a path is `CheckoutSession::create` (same rule for unreadable globs).
    pub(super) fn is_session_create(&self, segments: &[String]) -> bool {
        let resolved = self.resolver.resolve(segments);
        let Some((method, ty)) = resolved.segments().split_last() else {
            return false;
        };
        self.shapes.create_functions.contains(method)
            && match resolved {
                Resolved::External(_) => self.shapes.is_session_type(ty),
                Resolved::Unknown(_) => self.shapes.names_session_type(ty),
                Resolved::Project(_) => false,
            }
    }

    /// `CheckoutSession::create` handed on as a value (`let f = CheckoutSession::create;`,
    /// `retry(CheckoutSession::create, ..)`): its arguments travel where the analysis
    /// cannot follow, so the site is unverifiable.
    pub(super) fn check_create_reference(&mut self, expr: &Expr) {
        let Some(segments) = path_segments(expr) else {
            return;
        };
        if !self.is_session_create(&segments) {
            return;
        }
        let api = &self.shapes.session_create_api;
        // Named as code writes it, without the crate (`CheckoutSession::create`).
        let written = api.split_once("::").map_or(api.as_str(), |(_, rest)| rest);
        self.push_site(
            self.span(expr),
            api.clone(),
            ExpiresAtSource::Unresolved(Unseen::CreateAsValue {
                written: written.to_string(),
            }),
            false,
        );
    }

    /// `CheckoutSession::create(&client, params)` (async-stripe 0.x).
    pub(super) fn check_create_call(&mut self, call: &syn::ExprCall) {
        let Some(segments) = path_segments(&call.func) else {
            return;
        };
        if !self.is_session_create(&segments) {
            return;
        }
        let source = match call.args.iter().nth(1).or(call.args.last()) {
            Some(params) => self.params_source(params),
            None => ExpiresAtSource::Missing,
        };
        // `--fix` adds a field to the params, written here or in a local.
        let slot = match call.args.iter().nth(1).or(call.args.last()).map(peel) {
            Some(params @ (Expr::Struct(_) | Expr::Path(_))) => {
                Some(Slot::Field(self.span(params)))
            }
            _ => None,
        };
        // The value written in a struct literal at the call (inside its `Some(..)`); for a
        // local, the editor finds its write.
        let written = match call.args.iter().nth(1).or(call.args.last()).map(peel) {
            Some(Expr::Struct(literal)) => (literal.fields.iter())
                .find(|f| matches!(&f.member, syn::Member::Named(n) if n == self.expires_at))
                .map(|f| self.span(unwrap_some(&f.expr))),
            Some(local @ Expr::Path(_)) => Some(self.span(local)),
            _ => None,
        };
        let start = self.span(&call.func).start;
        self.push_site(
            ByteSpan::new(start, self.span(call).end),
            self.shapes.session_create_api.clone(),
            source,
            false,
        );
        self.slot_if_missing(slot);
        if let Some(site) = self.out.call_sites.last_mut() {
            site.value = written;
        }
    }

    /// Where the site just pushed would take `expires_at`, when it passes none.
    pub(super) fn slot_if_missing(&mut self, slot: Option<Slot>) {
        if let Some(site) = self.out.call_sites.last_mut() {
            if matches!(site.expires_at, ExpiresAtSource::Missing) {
                site.slot = slot;
            }
        }
    }

    /// The `expires_at` of a params expression handed to `CheckoutSession::create`.
    pub(super) fn params_source(&self, params: &Expr) -> ExpiresAtSource {
        match self.session_presence(params) {
            Some(presence) => presence_source(presence),
            None => match ident(peel(params)) {
                Some(name) => match self.env.get(&name) {
                    Some(Local::Param { .. }) => ExpiresAtSource::Unresolved(Unseen::Parameter {
                        name,
                        function: self.function_name(),
                    }),
                    _ => ExpiresAtSource::Unresolved(Unseen::Local { name }),
                },
                None => ExpiresAtSource::Unresolved(Unseen::Expression {
                    excerpt: self.short_text_of(params),
                }),
            },
        }
    }

    /// `Some(presence)` when `expr` is Checkout parameters: a struct literal, a
    /// constructor, a builder chain on either, or a local holding them.
    pub(super) fn session_presence(&self, expr: &Expr) -> Option<Presence> {
        let expr = peel(expr);
        match expr {
            Expr::Struct(s) => {
                let segments: Vec<String> = s
                    .path
                    .segments
                    .iter()
                    .map(|s| s.ident.to_string())
                    .collect();
                if !self.is_params_type(&self.resolver.resolve(&segments)) {
                    return None;
                }
                let field = s
                    .fields
                    .iter()
                    .find(|f| matches!(&f.member, syn::Member::Named(n) if n == self.expires_at));
                Some(match (field, &s.rest) {
                    (Some(f), _) if is_none(&f.expr) => Presence::unset(),
                    (Some(f), _) => {
                        let (term, text) = self.lower_with_text(unwrap_some(&f.expr));
                        Presence::set(term, text)
                    }
                    (None, None) => Presence::unset(),
                    (None, Some(rest)) => match peel(rest) {
                        Expr::Call(call) if is_default_call(call) => Presence::unset(),
                        other => self.session_presence(other).unwrap_or_else(|| {
                            Presence::set(
                                Term::Opaque(format!(
                                    "the remaining fields come from `{}`",
                                    self.text_of(rest)
                                )),
                                String::new(),
                            )
                        }),
                    },
                })
            }
            Expr::Call(call) => {
                let segments = self.self_to_owner(path_segments(&call.func)?);
                if let Resolved::Project(path) = self.resolver.resolve(&segments) {
                    // A helper of this file that returns the parameters it built.
                    let helper = path.join("::");
                    return self.params_helpers.contains(&helper).then(|| {
                        Presence::set(
                            Term::Opaque(format!(
                                "the parameters are built inside `{}()`, which {TOOL_NAME} does not follow",
                                segments.join("::")
                            )),
                            self.text_of(expr),
                        )
                    });
                }
                let (ctor, ty) = segments.split_last()?;
                if !self.shapes.params_constructors.contains(ctor) {
                    return None;
                }
                self.is_params_type(&self.resolver.resolve(ty))
                    .then(Presence::unset)
            }
            Expr::MethodCall(m) => {
                let base = self.session_presence(&m.receiver)?;
                if m.method == self.expires_at && m.args.len() == 1 {
                    let (term, text) = self.lower_with_text(&m.args[0]);
                    Some(Presence::set(term, text))
                } else {
                    Some(base)
                }
            }
            Expr::Path(_) => match self.env.get(&ident(expr)?) {
                Some(Local::Session(presence)) => Some(presence.clone()),
                _ => None,
            },
            _ => None,
        }
    }

    /// A method chain: a 1.x builder `.send(..)`, or a raw HTTP POST.
    pub(super) fn check_chain(&mut self, expr: &Expr) {
        let (links, root) = flatten_chain(expr);
        for link in &links[1..] {
            let key = Self::node_key(*link);
            self.consumed.insert(key);
        }
        // The root (`ureq::post(url)`) is part of this chain, not a request of its own.
        let key = Self::node_key(root);
        self.consumed.insert(key);
        self.router_routes(&links, root, "");
        if self.check_self_helper_call(&links, root) || self.check_send(&links, root) {
            return;
        }
        self.check_http(&links, root);
    }

    pub(super) fn check_send(&mut self, links: &[&ExprMethodCall], root: &Expr) -> bool {
        let Some(send_at) = links
            .iter()
            .position(|l| self.shapes.send_methods.contains(&l.method.to_string()))
        else {
            return false;
        };
        let below = &links[send_at + 1..];
        // The parameters: the chain below `.send`, down to a constructor or a local; `None`
        // while the base is unknown (a typed parameter, a helper's return value).
        // What the code declares the builder to be decides; only a builder nothing declares
        // is guessed from the client it is sent to.
        let mut unseen = None;
        let mut presence = match self.session_presence(root) {
            Some(p) => Some(p),
            None => {
                match self.builder_type(root, below) {
                    BuilderType::Params => {}
                    BuilderType::Other => return false,
                    BuilderType::Unseen(why) => {
                        let sent_to_stripe = links[send_at].args.len() == 1
                            && self.looks_like_stripe_client(&links[send_at].args[0]);
                        if !sent_to_stripe {
                            return false;
                        }
                        unseen = Some(why);
                    }
                }
                None
            }
        };
        let local = matches!(peel(root), Expr::Path(_)).then(|| self.span(peel(root)));
        let mut written = local;
        for link in below.iter().rev() {
            if link.method == self.expires_at && link.args.len() == 1 {
                let (term, text) = self.lower_with_text(&link.args[0]);
                presence = Some(Presence::set(term, text));
                written = Some(self.span(&link.args[0]));
            }
        }
        let source = match (presence, unseen) {
            (Some(p), _) => presence_source(p),
            (None, Some(why)) => ExpiresAtSource::Unresolved(why),
            (None, None) => ExpiresAtSource::Unresolved(self.unseen_params(root)),
        };
        let start = self.span(root).start;
        let end = self.span(links[send_at]).end;
        let method = links[send_at].method.to_string();
        self.push_site(
            ByteSpan::new(start, end),
            format!("{}::{method}", self.shapes.builder_api),
            source,
            false,
        );
        // `--fix` adds a builder call after the constructor, here or where a local got it.
        self.slot_if_missing(Some(Slot::BuilderCall(self.span(peel(root)))));
        if let Some(site) = self.out.call_sites.last_mut() {
            site.value = written;
        }
        true
    }

    /// The argument of a `.send(..)` that is (probably) a Stripe client: a parameter typed
    /// `stripe::Client`, or a name that says so (`client`, `&state.stripe`). Channel sends
    /// (`tx.send(message)`) do not look like this.
    fn looks_like_stripe_client(&self, arg: &Expr) -> bool {
        let arg = peel(arg);
        if let Some(Local::Param { ty: Some(ty) }) = ident(arg).and_then(|n| self.env.get(&n)) {
            let segments = ty.segments();
            if segments
                .first()
                .is_some_and(|c| c.starts_with(self.shapes.client_crate_prefix.as_str()))
                && segments
                    .last()
                    .is_some_and(|t| t.ends_with(self.shapes.client_type_suffix.as_str()))
            {
                return true;
            }
        }
        let name = match arg {
            Expr::Field(f) => match &f.member {
                syn::Member::Named(n) => n.to_string(),
                syn::Member::Unnamed(_) => String::new(),
            },
            other => ident(other).unwrap_or_default(),
        }
        .to_ascii_lowercase();
        self.shapes
            .client_words
            .iter()
            .any(|word| name.contains(word.as_str()))
    }
}

pub(super) fn presence_source(presence: Presence) -> ExpiresAtSource {
    presence.into_source(&shapes().expires_at_param)
}
