//! The route of a handler, put together from the route facts of every module: the
//! registrations that name it, the routers they are made on, and the mounts of those
//! routers on their parents, in any module (`main.py` including the router of
//! `routes.py`, a Django `urls.py` including another, `main.rs` nesting `routes::router()`).
//!
//! A route shown must be right: two registrations that give a handler two routes, a
//! prefix that is not a literal, a mount cycle, or a class-based view's helper method
//! (which no verb names) give no route. A router that nothing mounts keeps the route it
//! declares (its own prefix, as its module shows it): the tool cannot tell an unmounted
//! router from one mounted where it does not look.
//!
//! Knows the facts' vocabulary (`facts::routes`) and what a Django view or DRF viewset
//! serves; knows no syntax.

use std::collections::HashMap;

use crate::facts::routes::{join_path, HandlerRoute, RouteFacts, RouterMount, Verb, ViewFact};

/// How far a chain of mounts is followed.
const MAX_DEPTH: usize = 16;
const VERBS: [&str; 7] = ["get", "post", "put", "patch", "delete", "head", "options"];

/// Every module's route facts of one language.
pub(super) struct RouteMap {
    separator: &'static str,
    handlers: HashMap<String, Vec<HandlerRoute>>,
    mounts: HashMap<String, Vec<RouterMount>>,
    /// A router's own prefix; `None` when not a literal, or defined twice differently.
    own: HashMap<String, Option<String>>,
    views: HashMap<String, ViewFact>,
}

/// A route that cannot be told.
struct Unknown;

impl RouteMap {
    pub(super) fn new(separator: &'static str) -> Self {
        RouteMap {
            separator,
            handlers: HashMap::new(),
            mounts: HashMap::new(),
            own: HashMap::new(),
            views: HashMap::new(),
        }
    }

    pub(super) fn add(&mut self, facts: &RouteFacts) {
        for handler in &facts.handlers {
            let routes = self.handlers.entry(handler.handler.clone()).or_default();
            if !routes.contains(handler) {
                routes.push(handler.clone());
            }
        }
        for mount in &facts.mounts {
            let mounts = self.mounts.entry(mount.child.clone()).or_default();
            if !mounts.contains(mount) {
                mounts.push(mount.clone());
            }
        }
        for router in &facts.routers {
            self.own
                .entry(router.name.clone())
                .and_modify(|own| {
                    if *own != router.own_prefix {
                        *own = None;
                    }
                })
                .or_insert_with(|| router.own_prefix.clone());
        }
        for view in &facts.views {
            self.views
                .entry(view.handler.clone())
                .and_modify(|known| {
                    if known != view {
                        known.methods = Some(None);
                        known.lookup = known.lookup.clone().map(|_| None);
                    }
                })
                .or_insert_with(|| view.clone());
        }
    }

    /// The route of a site in `function` of `module`, whose front end declared `declared`:
    /// `None` when no registration names the handler (the declared route stands),
    /// `Some(None)` when the registrations cannot tell it.
    pub(super) fn route_of(
        &self,
        module: &str,
        function: &str,
        declared: Option<&str>,
    ) -> Option<Option<String>> {
        let segments: Vec<&str> = function.split(self.separator).collect();
        let (handler, routes, rest) = (1..=segments.len()).rev().find_map(|end| {
            let mut key = module.to_string();
            for segment in &segments[..end] {
                if !key.is_empty() {
                    key.push_str(self.separator);
                }
                key.push_str(segment);
            }
            let (key, routes) = self.by_suffix(&self.handlers, &key, segments[..end].len())?;
            Some((key, routes, &segments[end..]))
        })?;
        let mut found: Vec<String> = Vec::new();
        for route in routes {
            match self.route(&handler, route, rest, declared) {
                Ok(route) if !found.contains(&route) => found.push(route),
                Ok(_) => {}
                Err(Unknown) => return Some(None),
            }
        }
        Some((found.len() == 1).then(|| found.remove(0)))
    }

    fn route(
        &self,
        handler: &str,
        route: &HandlerRoute,
        rest: &[&str],
        declared: Option<&str>,
    ) -> Result<String, Unknown> {
        let base = match &route.router {
            Some(router) => self.absolute(router, 0)?,
            None => String::new(),
        };
        let path = route.path.as_deref().ok_or(Unknown)?;
        let under = join_path(&base, path);
        let method_of_class = || -> Result<&str, Unknown> { rest.first().copied().ok_or(Unknown) };
        let (methods, path) = match &route.verb {
            Verb::Methods(methods) => (methods.clone(), under),
            Verb::Declared => {
                let (methods, path) = declared.and_then(|d| d.split_once(' ')).ok_or(Unknown)?;
                (methods.to_string(), join_path(&under, path))
            }
            Verb::View => {
                let methods = match self.views.get(handler).and_then(|v| v.methods.clone()) {
                    None => "ANY".to_string(),
                    Some(methods) => methods.ok_or(Unknown)?.join(","),
                };
                (methods, under)
            }
            Verb::ClassView => {
                let method = method_of_class()?;
                if !VERBS.contains(&method) {
                    return Err(Unknown);
                }
                (method.to_ascii_uppercase(), under)
            }
            Verb::ViewSet { trailing_slash } => {
                let action = method_of_class()?;
                self.viewset_route(handler, action, &under, *trailing_slash)?
            }
        };
        Ok(format!("{methods} {path}"))
    }

    /// What a DRF router makes of a viewset's action: `create` (and `perform_create`, which
    /// only `create` calls) is `POST prefix/`, `retrieve` is `GET prefix/{pk}/`, an
    /// `@action` its methods at its URL path.
    fn viewset_route(
        &self,
        class: &str,
        action: &str,
        under: &str,
        trailing_slash: bool,
    ) -> Result<(String, String), Unknown> {
        let standard = match action {
            "list" => Some(("GET", false)),
            "create" | "perform_create" => Some(("POST", false)),
            "retrieve" => Some(("GET", true)),
            "update" => Some(("PUT", true)),
            "perform_update" => Some(("PUT,PATCH", true)),
            "partial_update" => Some(("PATCH", true)),
            "destroy" | "perform_destroy" => Some(("DELETE", true)),
            _ => None,
        };
        let method_key = format!("{class}{}{action}", self.separator);
        let (methods, detail, url_path) = match standard {
            Some((method, detail)) => (method.to_string(), detail, None),
            None => {
                let view = self.views.get(&method_key).ok_or(Unknown)?;
                let (detail, url_path) = view.action.clone().ok_or(Unknown)?;
                let methods = match view.methods.clone() {
                    None => "GET".to_string(),
                    Some(methods) => methods.ok_or(Unknown)?.join(","),
                };
                (methods, detail, Some(url_path.ok_or(Unknown)?))
            }
        };
        let mut path = under.trim_end_matches('/').to_string();
        if detail {
            let lookup = match self.views.get(class).and_then(|v| v.lookup.clone()) {
                None => "pk".to_string(),
                Some(lookup) => lookup.ok_or(Unknown)?,
            };
            path = format!("{path}/{{{lookup}}}");
        }
        if let Some(url_path) = url_path {
            path = format!("{path}/{}", url_path.trim_matches('/'));
        }
        if trailing_slash {
            path.push('/');
        }
        Ok((methods, path))
    }

    /// An entry by its absolute name, or else by the name with leading packages left out
    /// (keeping `keep` segments and one more): a module named from the repository's root
    /// (`backend.shop.urls`) is `shop.urls` where code names it from its own root, as
    /// Django's `include("shop.urls")` or `from shop import views` do.
    fn by_suffix<'m, T>(
        &self,
        map: &'m HashMap<String, T>,
        key: &str,
        keep: usize,
    ) -> Option<(String, &'m T)> {
        let mut key = key;
        loop {
            if let Some(found) = map.get(key) {
                return Some((key.to_string(), found));
            }
            let (_, rest) = key.split_once(self.separator)?;
            if rest.split(self.separator).count() <= keep {
                return None;
            }
            key = rest;
        }
    }

    /// A router's own prefix: by its name, or else by the one definition whose name ends
    /// with it (a router named through an import from the code's own root).
    fn own_prefix(&self, router: &str) -> Option<&Option<String>> {
        if let Some(own) = self.own.get(router) {
            return Some(own);
        }
        let suffix = format!("{}{router}", self.separator);
        let mut found = self.own.iter().filter(|(name, _)| name.ends_with(&suffix));
        match (found.next(), found.next()) {
            (Some((_, own)), None) => Some(own),
            (Some(_), Some(_)) => Some(&None),
            _ => None,
        }
    }

    /// Where a router's routes live: its own prefix under each mount up to the root.
    fn absolute(&self, router: &str, depth: usize) -> Result<String, Unknown> {
        if depth > MAX_DEPTH {
            return Err(Unknown);
        }
        let own = match self.own_prefix(router) {
            None => String::new(),
            Some(own) => own.clone().ok_or(Unknown)?,
        };
        let Some((_, mounts)) = self.by_suffix(&self.mounts, router, 1) else {
            return Ok(own);
        };
        let mut found: Option<String> = None;
        for mount in mounts {
            let prefix = mount.prefix.as_deref().ok_or(Unknown)?;
            let here = if mount.replaces_own {
                prefix.to_string()
            } else {
                join_prefix(prefix, &own)
            };
            let parent = match &mount.parent {
                Some(parent) => self.absolute(parent, depth + 1)?,
                None => String::new(),
            };
            let candidate = join_prefix(&parent, &here);
            match &found {
                Some(known) if *known != candidate => return Err(Unknown),
                _ => found = Some(candidate),
            }
        }
        found.ok_or(Unknown)
    }
}

/// Two prefixes joined, either empty.
fn join_prefix(prefix: &str, path: &str) -> String {
    match (prefix.is_empty(), path.is_empty()) {
        (true, _) => path.to_string(),
        (_, true) => prefix.to_string(),
        _ => join_path(prefix, path),
    }
}

#[cfg(test)]
mod tests;
