//! Route facts: what a front end saw of the routers of one module, for the analysis to put
//! together across modules (`analysis::routes`). A handler is registered on a router (a
//! Python router variable, a Django urlconf or DRF router, the Rust function that builds
//! a router), and a router is mounted on a parent with a prefix, in any module.
//!
//! Names are absolute in their language (`app.routes.router`, `app::routes::router`). No
//! syntax and no framework here: the front ends say what the code registers.

/// Everything one module says about routes.
#[derive(Clone, Debug, Default)]
pub struct RouteFacts {
    pub handlers: Vec<HandlerRoute>,
    pub mounts: Vec<RouterMount>,
    pub routers: Vec<RouterDef>,
    pub views: Vec<ViewFact>,
}

impl RouteFacts {
    pub fn is_empty(&self) -> bool {
        self.handlers.is_empty()
            && self.mounts.is_empty()
            && self.routers.is_empty()
            && self.views.is_empty()
    }
}

/// A handler registered on a router: `@router.post("/x")`, `path("x/", views.pay)`,
/// `.route("/x", post(handler))`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HandlerRoute {
    /// The handler's absolute name: a function, or a class (Django views, DRF viewsets),
    /// whose methods are the handlers.
    pub handler: String,
    /// The router it is registered on; `None`: at the root.
    pub router: Option<String>,
    pub verb: Verb,
    /// The path below the router's own prefix (`None`: not a literal).
    pub path: Option<String>,
}

/// Which HTTP methods a registration serves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verb {
    /// Named where it is registered: `POST`, `GET,POST`.
    Methods(String),
    /// The handler's own route (an actix attribute, `#[post("/x")]`), under `path`.
    Declared,
    /// A Django function view: the methods its decorators allow (`ViewFact`), else `ANY`.
    View,
    /// A Django class-based view: the method of the class the site is in (`post` → POST).
    ClassView,
    /// A DRF viewset registered on a router: each action has its method and path.
    ViewSet { trailing_slash: bool },
}

/// A router mounted on a parent: `include_router(r, prefix=)`, `register_blueprint(bp,
/// url_prefix=)`, `path("api/", include("shop.urls"))`, `.nest("/api", routes())`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouterMount {
    pub child: String,
    /// `None`: mounted at the root.
    pub parent: Option<String>,
    /// `None`: a prefix that is not a literal.
    pub prefix: Option<String>,
    /// The mount's prefix replaces the child's own (Flask's `url_prefix=`).
    pub replaces_own: bool,
}

/// A router created in a module, with its own prefix (`APIRouter(prefix="/x")`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouterDef {
    pub name: String,
    /// `None`: a prefix that is not a literal.
    pub own_prefix: Option<String>,
}

/// What a view's own module says of it: the methods its decorators allow
/// (`@require_POST`, `@api_view(["POST"])`, DRF `@action(methods=[...])`), a DRF action's
/// place, or a viewset's lookup field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ViewFact {
    /// The function or method (`views.pay`, `views.Sessions.refund`), or the class for
    /// `lookup`.
    pub handler: String,
    /// `None`: not said; `Some(None)`: said, but not as literals.
    pub methods: Option<Option<Vec<String>>>,
    /// A DRF `@action`: detail or not, and its URL path (`None`: not a literal).
    pub action: Option<(bool, Option<String>)>,
    /// A viewset's `lookup_url_kwarg` / `lookup_field` (`None`: not a literal).
    pub lookup: Option<Option<String>>,
}

/// A path under a prefix: `/api` + `/checkout` → `/api/checkout`, `api/` + `pay/` →
/// `/api/pay/`; an empty path is the prefix itself (as Flask, FastAPI and Django join them).
pub fn join_path(prefix: &str, path: &str) -> String {
    if path.is_empty() {
        return if prefix.is_empty() {
            "/".into()
        } else if prefix.starts_with('/') {
            prefix.into()
        } else {
            format!("/{prefix}")
        };
    }
    let prefix = prefix.trim_end_matches('/');
    let prefix = if prefix.is_empty() || prefix.starts_with('/') {
        prefix.to_string()
    } else {
        format!("/{prefix}")
    };
    if path.starts_with('/') {
        format!("{prefix}{path}")
    } else {
        format!("{prefix}/{path}")
    }
}

#[cfg(test)]
mod tests {
    use super::join_path;

    #[test]
    fn paths_join_as_the_frameworks_join_them() {
        assert_eq!(join_path("", "/x"), "/x");
        assert_eq!(join_path("/api", "/x"), "/api/x");
        assert_eq!(join_path("/api/", "x"), "/api/x");
        assert_eq!(join_path("api/", "pay/"), "/api/pay/");
        assert_eq!(join_path("/shop/", ""), "/shop/");
        assert_eq!(join_path("shop/", ""), "/shop/");
        assert_eq!(join_path("", ""), "/");
    }
}
