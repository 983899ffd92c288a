//! What the module's top-level names stand for, for the project index: their bindings
//! (`ModuleSummary::bindings`) and the names another module may import to reach a call
//! shape (`ModuleSummary::reexports`).
//!
//! Knows Python's binding rules; which outside names matter it asks `shapes` (and the
//! prefilter's needle), not Stripe's names spelled here.

use std::collections::BTreeMap;

use ruff_python_ast::Expr;
use ruff_text_size::Ranged;

use super::http::url_suffix;
use super::{Extractor, ImportsListed};
use crate::facts::{Binding, ByteSpan, Term};
use crate::lang::python::resolve::is_shape_root;
use crate::lang::python::scope::Def;
use crate::shapes::shapes;
use crate::workspace::prefilter::CHECKOUT_NEEDLE;

impl<'a, 'c> Extractor<'a, 'c> {
    /// The module-level names bound to an outside name that a call shape starts from
    /// (`ModuleSummary::reexports`): those that name a checkout name (`S =
    /// stripe.checkout.Session`), an HTTP client's `post`, a StripeClient service, or the
    /// endpoint's URL or a base URL of it (listed with the part of the endpoint's path it
    /// ends in); names imported from a project module that the project already knows to
    /// stand for one of these (passed on under their new name). In a package's `__init__`,
    /// or when the project asks (`ImportsListed::Project`), every name imported from a
    /// project module, which may be such a name in turn; with `ImportsListed::All`, also
    /// names for library modules (`import stripe as sdk`). A name bound several ways (`try:
    /// from stripe... except ImportError: S = None`) counts if any of its bindings that may
    /// hold at the module's end is one.
    pub(super) fn module_reexports(&self) -> Vec<(String, String)> {
        let resolver = self.resolver();
        let project_imports =
            self.ctx.is_package || self.ctx.imports_listed != ImportsListed::Stripe;
        let mut reexports = Vec::new();
        for (name, defs) in &self.scopes[0].defs {
            let mut defs: Vec<_> = defs.iter().collect();
            defs.sort_by_key(|def| std::cmp::Reverse(def.offset()));
            // A `def` or `class` last rebinds the name for good (`send = requests.post`, then
            // `def send(..)`); other bindings may be fallbacks (`except ImportError: S = None`).
            // A class deriving from a Stripe resource passes the resource on (`class
            // Sessions(stripe.checkout.Session)`, imported to create elsewhere).
            if let Some(Def::Class {
                offset,
                bases,
                body,
            }) = defs.first()
            {
                if let Some(base) = resolver.stripe_base(bases, body, *offset, 0) {
                    if base.to_ascii_lowercase().contains(CHECKOUT_NEEDLE) {
                        reexports.push((name.to_string(), base));
                    }
                }
                continue;
            }
            if matches!(defs.first(), Some(Def::Function { .. })) {
                continue;
            }
            // Bindings before the last import made directly in the module's body are dead by
            // its end (`from stripe.checkout import *`, then `from sqlalchemy.orm import
            // Session`); the others may each be the one that holds. An assignment does not
            // end the search: its value may come from the binding before (`S = wrap(S)`).
            let live = defs
                .iter()
                .position(|def| {
                    matches!(def, Def::Import { .. }) && self.scopes[0].is_unconditional(def)
                })
                .map_or(defs.len(), |last| last + 1);
            defs.truncate(live);
            let target = defs.into_iter().find_map(|def| {
                // `SESSIONS_URL = API + "/v1/checkout/sessions"`, imported to POST elsewhere
                // by a module that may never spell the resource: it stands for the path; a
                // base URL (`STRIPE_API = "https://api.stripe.com/v1"`), for its start.
                if let Def::Assign { value, .. } = def {
                    let url = url_suffix(value, &resolver);
                    if let Some(part) = url
                        .as_deref()
                        .and_then(|u| shapes().endpoint.part_ending(u))
                    {
                        return Some(part.to_string());
                    }
                }
                // Most imports and constants are none of these: tell them cheaply.
                let target = match def {
                    // `from stripe.checkout import *` binds `Session` (`scope`), unless an item
                    // that skimming left out binds it too, in an order not known here.
                    Def::Import { qualname, .. }
                        if self.ctx.left_out.may_define(name)
                            && self.is_star_import_of(qualname, name) =>
                    {
                        return None;
                    }
                    Def::Import { qualname, .. } => {
                        let root = qualname.split('.').next().unwrap_or_default();
                        if !is_shape_root(root) && !project_imports {
                            // A name already known to stand for a Stripe one is passed on
                            // from any module, under its new name (`from payments import S as
                            // T`, `from endpoints import SESSIONS_URL` in `config`).
                            let target = if qualname.starts_with('.') {
                                self.ctx.reexports.get(&resolver.absolute(qualname))
                            } else {
                                self.ctx.reexports.get(qualname.as_str())
                            };
                            return target.cloned();
                        }
                        resolver.through_reexports(resolver.absolute(qualname))
                    }
                    Def::Assign { value, offset }
                        if matches!(value, Expr::Name(_) | Expr::Attribute(_)) =>
                    {
                        resolver
                            .qualname(value, *offset)
                            .or_else(|| self.method_of_a_call_result(value, *offset))?
                    }
                    _ => return None,
                };
                let root = target.split('.').next().unwrap_or_default();
                // A name from a project module, or for one (`import app.payments as pay`).
                let from_project = || {
                    let module = target.rsplit_once('.').map_or("", |(module, _)| module);
                    self.ctx.project_modules.contains(module)
                        || self.ctx.project_modules.contains(&target)
                };
                // A name for a library module (`import stripe as sdk`) is listed only when
                // the module is read for its imports: its users spell "checkout" where they
                // create (`sdk.checkout.Session.create`), so they are parsed, and the call
                // they make through this module asks for it (`Project::modules_to_read`).
                let listed = if shapes().endpoint.is_constant_target(&target) {
                    // `from endpoints import SESSIONS_URL as PAY_URL`, passed on.
                    true
                } else if is_shape_root(root) {
                    self.ctx.imports_listed == ImportsListed::All
                        || target.to_ascii_lowercase().contains(CHECKOUT_NEEDLE)
                        // `send = requests.post`, imported to POST to Stripe elsewhere.
                        || (root != self.shapes.sdk_module
                            && matches!(target.rsplit('.').next(), Some("post" | "request")))
                } else if self.shapes.names_service_part(&target) {
                    // `sessions = client.checkout.sessions`, imported to create elsewhere.
                    true
                } else {
                    project_imports && from_project()
                };
                listed.then_some(target)
            });
            if let Some(target) = target {
                reexports.push((name.to_string(), target));
            }
        }
        // `from .client import *` in a package passes on whatever `client` binds: `*`
        // stands for it (`Project`'s re-export pass expands it).
        for star in &self.scopes[0].star_imports {
            let module = resolver.absolute(star);
            if self.ctx.project_modules.contains(&module) {
                if project_imports {
                    reexports.push(("*".to_string(), module));
                }
                continue;
            }
        }
        reexports.sort_unstable();
        reexports.dedup();
        reexports
    }

    /// Whether a module-level import of `name` is one a star import of a library module
    /// made (`stripe.checkout.Session` for `Session` after `from stripe.checkout import *`).
    fn is_star_import_of(&self, qualname: &str, name: &str) -> bool {
        qualname
            .strip_suffix(name)
            .and_then(|module| module.strip_suffix('.'))
            .is_some_and(|module| self.scopes[0].star_imports.iter().any(|s| s == module))
    }

    pub(super) fn module_bindings(&self) -> BTreeMap<String, Vec<Binding>> {
        let resolver = self.resolver();
        let module = &self.scopes[0];
        let mut bindings: BTreeMap<String, Vec<Binding>> = BTreeMap::new();
        for (name, defs) in &module.defs {
            for def in defs {
                let offset = def.offset();
                let (term, is_definition, end) = match def {
                    Def::Import { qualname, .. } => (resolver.import_term(qualname), false, offset),
                    Def::Assign { value, offset } => {
                        (resolver.lower(value, *offset), true, value.end().to_usize())
                    }
                    Def::Other { what, .. } => (
                        Term::Opaque(format!("`{name}` is bound by {what}")),
                        true,
                        offset,
                    ),
                    _ => continue,
                };
                bindings.entry(name.to_string()).or_default().push(Binding {
                    term,
                    span: ByteSpan::new(offset, end.max(offset)),
                    is_definition,
                });
            }
        }
        for (key, list) in &self.class_bindings {
            bindings.insert(key.clone(), list.clone());
        }
        // `Payments.TTL = ..` in the module's body: one more value the attribute may have.
        for (object, attr, value, offset) in &module.attribute_assignments {
            let is_class = module
                .defs
                .get(object)
                .is_some_and(|defs| defs.iter().any(|d| matches!(d, Def::Class { .. })));
            if is_class {
                bindings
                    .entry(format!("{object}.{attr}"))
                    .or_default()
                    .push(Binding {
                        term: resolver.lower(value, *offset),
                        span: ByteSpan::new(*offset, value.end().to_usize().max(*offset)),
                        is_definition: true,
                    });
            }
        }
        for list in bindings.values_mut() {
            list.sort_by_key(|b| b.span.start);
        }
        bindings
    }

    /// The attributes the top-level class being visited (the innermost scope) binds in its
    /// body, as module bindings keyed `Class.attr`.
    pub(super) fn note_class_bindings(&mut self, class: &str) {
        let resolver = self.resolver();
        let Some(scope) = self.scopes.last() else {
            return;
        };
        let mut noted = Vec::new();
        for (name, defs) in &scope.defs {
            for def in defs {
                if let Def::Assign { value, offset } = def {
                    noted.push((
                        format!("{class}.{name}"),
                        Binding {
                            term: resolver.lower(value, *offset),
                            span: ByteSpan::new(*offset, value.end().to_usize().max(*offset)),
                            is_definition: true,
                        },
                    ));
                }
            }
        }
        for (key, binding) in noted {
            self.class_bindings.entry(key).or_default().push(binding);
        }
    }
}
