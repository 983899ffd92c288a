//! The composer's cases: prefixes up the mounts, names matched across roots, and every
//! way a route cannot be told.

use super::*;
use crate::facts::routes::RouterDef;

fn handler(handler: &str, router: &str, verb: Verb, path: &str) -> HandlerRoute {
    HandlerRoute {
        handler: handler.into(),
        router: Some(router.into()),
        verb,
        path: Some(path.into()),
    }
}

fn mount(child: &str, parent: &str, prefix: Option<&str>) -> RouterMount {
    RouterMount {
        child: child.into(),
        parent: Some(parent.into()),
        prefix: prefix.map(str::to_string),
        replaces_own: false,
    }
}

fn map(facts: RouteFacts) -> RouteMap {
    let mut map = RouteMap::new(".");
    map.add(&facts);
    map
}

#[test]
fn prefixes_compose_up_the_mounts_with_own_prefixes() {
    let map = map(RouteFacts {
        handlers: vec![handler(
            "a.pay",
            "a.r",
            Verb::Methods("POST".into()),
            "/pay",
        )],
        mounts: vec![
            mount("a.r", "b.api", Some("/v1")),
            mount("b.api", "m.app", Some("/api")),
        ],
        routers: vec![RouterDef {
            name: "a.r".into(),
            own_prefix: Some("/shop".into()),
        }],
        views: vec![],
    });
    assert_eq!(
        map.route_of("a", "pay", None),
        Some(Some("POST /api/v1/shop/pay".into()))
    );
    // A function nested in the handler has the handler's route.
    assert_eq!(
        map.route_of("a", "pay.<locals>.inner", None),
        Some(Some("POST /api/v1/shop/pay".into()))
    );
    assert_eq!(map.route_of("a", "other", None), None);
}

#[test]
fn a_cycle_a_computed_prefix_or_two_prefixes_give_no_route() {
    let cycle = map(RouteFacts {
        handlers: vec![handler(
            "a.pay",
            "a.r",
            Verb::Methods("POST".into()),
            "/pay",
        )],
        mounts: vec![
            mount("a.r", "a.s", Some("/x")),
            mount("a.s", "a.r", Some("/y")),
        ],
        ..Default::default()
    });
    assert_eq!(cycle.route_of("a", "pay", None), Some(None));
    let computed = map(RouteFacts {
        handlers: vec![handler(
            "a.pay",
            "a.r",
            Verb::Methods("POST".into()),
            "/pay",
        )],
        mounts: vec![mount("a.r", "m.app", None)],
        ..Default::default()
    });
    assert_eq!(computed.route_of("a", "pay", None), Some(None));
    let twice = map(RouteFacts {
        handlers: vec![handler(
            "a.pay",
            "a.r",
            Verb::Methods("POST".into()),
            "/pay",
        )],
        mounts: vec![
            mount("a.r", "m.app", Some("/a")),
            mount("a.r", "m.app", Some("/b")),
        ],
        ..Default::default()
    });
    assert_eq!(twice.route_of("a", "pay", None), Some(None));
}

#[test]
fn names_from_the_codes_own_root_match_names_from_the_repository() {
    // `backend/` holds the app: its code names `app.routes`, the tool
    // `backend.app.routes`.
    let map = map(RouteFacts {
        handlers: vec![handler(
            "app.routes.pay",
            "app.routes.router",
            Verb::Methods("POST".into()),
            "/pay",
        )],
        mounts: vec![mount("app.routes.router", "backend.main.app", Some("/api"))],
        routers: vec![RouterDef {
            name: "backend.app.routes.router".into(),
            own_prefix: Some("/shop".into()),
        }],
        views: vec![],
    });
    assert_eq!(
        map.route_of("backend.app.routes", "pay", None),
        Some(Some("POST /api/shop/pay".into()))
    );
    // Never down to the bare function name.
    assert_eq!(map.route_of("backend.other", "pay", None), None);
}

#[test]
fn a_flask_url_prefix_replaces_the_blueprints_own() {
    let map = map(RouteFacts {
        handlers: vec![handler(
            "v.buy",
            "v.bp",
            Verb::Methods("POST".into()),
            "/buy",
        )],
        mounts: vec![RouterMount {
            replaces_own: true,
            ..mount("v.bp", "m.app", Some("/store"))
        }],
        routers: vec![RouterDef {
            name: "v.bp".into(),
            own_prefix: Some("/replaced".into()),
        }],
        views: vec![],
    });
    assert_eq!(
        map.route_of("v", "buy", None),
        Some(Some("POST /store/buy".into()))
    );
}

#[test]
fn an_actix_service_puts_the_handlers_own_route_under_its_scope() {
    let mut map = RouteMap::new("::");
    map.add(&RouteFacts {
        handlers: vec![handler(
            "app::shop::pay",
            "app::shop::config",
            Verb::Declared,
            "/inner",
        )],
        mounts: vec![mount("app::shop::config", "app::main", Some("/shop"))],
        ..Default::default()
    });
    assert_eq!(
        map.route_of("app::shop", "pay", Some("POST /pay")),
        Some(Some("POST /shop/inner/pay".into()))
    );
    assert_eq!(map.route_of("app::shop", "pay", None), Some(None));
}

#[test]
fn django_views_serve_what_their_decorators_and_methods_say() {
    let map = map(RouteFacts {
        handlers: vec![
            handler("v.pay", "urls", Verb::View, "pay/"),
            handler("v.only", "urls", Verb::View, "only/"),
            handler("v.Cbv", "urls", Verb::ClassView, "cbv/"),
            handler(
                "v.Sets",
                "urls.router",
                Verb::ViewSet {
                    trailing_slash: true,
                },
                "s",
            ),
        ],
        mounts: vec![mount("urls.router", "urls", Some("api/"))],
        routers: vec![],
        views: vec![
            ViewFact {
                handler: "v.only".into(),
                methods: Some(Some(vec!["POST".into()])),
                action: None,
                lookup: None,
            },
            ViewFact {
                handler: "v.Sets.renew".into(),
                methods: Some(Some(vec!["POST".into()])),
                action: Some((true, Some("renew".into()))),
                lookup: None,
            },
        ],
    });
    let route = |f: &str| map.route_of("v", f, None).flatten();
    assert_eq!(route("pay").as_deref(), Some("ANY /pay/"));
    assert_eq!(route("only").as_deref(), Some("POST /only/"));
    assert_eq!(route("Cbv.post").as_deref(), Some("POST /cbv/"));
    assert_eq!(route("Cbv.helper"), None);
    assert_eq!(route("Sets.create").as_deref(), Some("POST /api/s/"));
    assert_eq!(
        route("Sets.destroy").as_deref(),
        Some("DELETE /api/s/{pk}/")
    );
    assert_eq!(
        route("Sets.renew").as_deref(),
        Some("POST /api/s/{pk}/renew/")
    );
    assert_eq!(route("Sets.helper"), None);
}
