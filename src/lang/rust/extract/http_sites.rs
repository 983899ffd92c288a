//! Raw HTTP POSTs to the create endpoint as call sites: the POST in a chain (`.post(url)`,
//! `.request(Method::POST, url)`, `ureq::post(url)`), its body links, a request stored in a
//! local and sent later, and the client crate that sends it. What a body holds is `http`'s.

use syn::{Expr, ExprMethodCall};

use super::Walker;
use crate::facts::fix::Slot;
use crate::facts::{ByteSpan, ExpiresAtSource, Unseen};
use crate::lang::rust::env::{HttpRequest, Local};
use crate::lang::rust::resolve::Resolved;
use crate::lang::rust::syntax::{ident, path_segments, peel};
use crate::shapes::shapes;

impl Walker<'_> {
    pub(super) fn check_http(&mut self, links: &[&ExprMethodCall], root: &Expr) {
        // Where the request comes from: a POST in this chain, or a stored request.
        let (mut request, body_links) = match self.http_post(links, root) {
            Some((post_at, client)) => {
                let request = HttpRequest {
                    start: self.span(root).start,
                    api: format!("POST {client} {}", shapes().endpoint.path),
                    source: ExpiresAtSource::Missing,
                    json_body: false,
                    sent: false,
                    slot: None,
                };
                (request, &links[..post_at])
            }
            None => match ident(peel(root)).and_then(|n| self.env.get(&n).cloned()) {
                Some(Local::Http(request)) => (*request, links),
                _ => return,
            },
        };
        // Body links are the ones applied after the POST (outer links), in source order.
        for link in body_links.iter().rev() {
            let method = link.method.to_string();
            if let Some(arg) = link.args.first() {
                if self.shapes.form_methods.contains(&method) {
                    request.source = self.form_source(arg);
                    let array = matches!(peel(arg), Expr::Array(_));
                    request.slot = array.then(|| Slot::Entry(self.span(peel(arg))));
                } else if self.shapes.body_methods.contains(&method) {
                    request.source = self.body_source(arg);
                } else if self.shapes.json_methods.contains(&method) {
                    request.source = self.json_source(arg);
                    request.json_body = true;
                }
            }
            if self.shapes.http_send_methods.contains(&method) {
                request.sent = true;
            }
        }
        let end = match links.first() {
            Some(outer) => self.span(*outer).end,
            None => self.span(root).end,
        };
        if request.sent {
            if let Some(name) = ident(peel(root)) {
                // A stored request, now sent: it is reported here, not when it goes out
                // of scope.
                if let Some(Local::Http(stored)) = self.env.get(&name).cloned() {
                    let mut stored = *stored;
                    stored.sent = true;
                    self.env.assign(&name, Local::Http(Box::new(stored)));
                }
            }
            self.push_site(
                ByteSpan::new(request.start, end),
                request.api,
                request.source,
                request.json_body,
            );
            self.slot_if_missing(request.slot);
        } else {
            // Built but not sent yet: a `let` or an assignment stores it; otherwise it is
            // reported at the end of the statement.
            self.pending_http = Some(request);
        }
    }

    /// Reports a request that was built but never sent where checkout-lint could see it.
    pub(super) fn flush_request(&mut self, request: HttpRequest, why: Option<Unseen>) {
        let source = match why {
            Some(why) => ExpiresAtSource::Unresolved(why),
            None => request.source,
        };
        self.push_site(
            ByteSpan::new(request.start, request.start),
            request.api,
            source,
            request.json_body,
        );
        self.slot_if_missing(request.slot);
    }

    /// The POST in a chain: `.post(url)` on a client, `.request(Method::POST, url)`, or
    /// `ureq::post(url)` at its root. Returns the index of the POST link (the chain's
    /// length for a root POST) and the client crate's name.
    fn http_post(&self, links: &[&ExprMethodCall], root: &Expr) -> Option<(usize, String)> {
        let post_link = links.iter().position(|l| {
            let method = l.method.to_string();
            (self.shapes.post_methods.contains(&method)
                && l.args.len() == 1
                && self.is_endpoint(&l.args[0]))
                || (method == "request"
                    && l.args.len() == 2
                    && path_segments(peel(&l.args[0]))
                        .is_some_and(|p| p.last().is_some_and(|m| m == "POST"))
                    && self.is_endpoint(&l.args[1]))
        });
        if let Some(at) = post_link {
            return Some((at, self.http_client(root)));
        }
        let Expr::Call(call) = peel(root) else {
            return None;
        };
        let resolved = path_segments(&call.func).map(|s| self.resolver.resolve(&s))?;
        match resolved {
            Resolved::External(p)
                if p.first()
                    .is_some_and(|c| self.shapes.http_crates.contains(c))
                    && p.last()
                        .is_some_and(|m| self.shapes.post_methods.contains(m))
                    && call.args.len() == 1
                    && self.is_endpoint(&call.args[0]) =>
            {
                Some((links.len(), p[0].clone()))
            }
            _ => None,
        }
    }

    /// Which HTTP client makes the request, for the site's `api`.
    pub(super) fn http_client(&self, root: &Expr) -> String {
        let from_root = match peel(root) {
            Expr::Call(call) => path_segments(&call.func)
                .map(|s| self.resolver.resolve(&s))
                .and_then(|r| r.segments().first().cloned())
                .filter(|c| self.shapes.http_crates.contains(c)),
            _ => None,
        };
        from_root
            .or_else(
                || match ident(peel(root)).and_then(|n| self.env.get(&n).cloned()) {
                    Some(Local::Param { ty: Some(ty) }) => ty
                        .segments()
                        .first()
                        .filter(|c| self.shapes.http_crates.contains(c))
                        .cloned(),
                    _ => None,
                },
            )
            .or_else(|| self.resolver.imported_crate(&self.shapes.http_crates))
            .or_else(|| {
                // The only HTTP client the crate depends on.
                let mut deps = self
                    .resolver
                    .file
                    .externs
                    .values()
                    .filter(|lib| self.shapes.http_crates.contains(lib));
                match (deps.next(), deps.next()) {
                    (Some(only), None) => Some(only.clone()),
                    _ => None,
                }
            })
            .unwrap_or_else(|| "http".into())
    }
}
