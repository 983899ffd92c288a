//! Routes across modules: every call site's route in the route fixtures, pinned by function
//! (`fixtures/shapes/*/routes_*`). Mounts made in another module than the router (FastAPI
//! `include_router`, Flask `register_blueprint`, Django `include` and DRF routers, axum
//! `.nest` / `.merge`, actix `web::scope` / `.configure` / `.service`) compose prefixes;
//! what the tool cannot tell (two routes for one handler, a computed prefix, a helper
//! method of a class-based view, a view no urlconf names) is `null`, never a guess.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::check_json;

/// `function` → `route` of every call site of a fixture project (`""` for `null`).
fn routes(case: &str) -> BTreeMap<String, String> {
    let (_, report) = check_json(Path::new(case));
    report["call_sites"]
        .as_array()
        .expect("a call_sites array")
        .iter()
        .map(|site| {
            (
                site["function"].as_str().unwrap().to_string(),
                site["route"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn expected(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(f, r)| (f.to_string(), r.to_string()))
        .collect()
}

#[test]
fn fastapi_and_flask_mounts_in_other_modules_compose_prefixes() {
    assert_eq!(
        routes("fixtures/shapes/python/routes_across_modules"),
        expected(&[
            // main.py includes api_router at /api, which includes orders_router.
            ("nested_checkout", "POST /api/v1/orders/checkout"),
            // tests/test_billing.py includes it in a test app without a prefix: not the app.
            ("included_pay", "POST /v2/pay"),
            // Included twice with two prefixes: which one is not for us to pick.
            ("included_twice", ""),
            // `prefix=billing.PREFIX` is not a literal.
            ("computed_prefix", ""),
            // Included nowhere: the route it declares.
            ("never_included", "POST /never/pay"),
            // The only include is under `if False:`.
            ("included_in_dead_code", "POST /dead-code/pay"),
            ("create_checkout_session", ""),
            // Flask: `url_prefix=` replaces the blueprint's own; none keeps it.
            ("store_buy", "POST /store/buy"),
            ("legacy_buy", "POST /legacy/buy"),
        ])
    );
}

#[test]
fn django_urlconfs_class_based_views_and_drf_routers() {
    assert_eq!(
        routes("fixtures/shapes/python/routes_django"),
        expected(&[
            ("pay", "ANY /shop/pay/"),
            ("post_only", "POST /shop/post-only/"),
            ("twice", ""),
            ("legacy_pay", "ANY /legacy/pay/"),
            ("inline_pay", "ANY /inline/pay/"),
            ("new_session", ""),
            ("checkout_view", ""),
            ("SessionView.post", "POST /shop/session/"),
            ("SessionView._renew", ""),
            ("SessionViewSet.create", "POST /api/v1/sessions/"),
            ("SessionViewSet.renew", "POST /api/v1/sessions/{pk}/renew/"),
            ("SessionViewSet.bulk", "POST /api/v1/sessions/bulk-create/"),
            ("TokenViewSet.update", "PUT /api/tokens/{slug}"),
            ("TokenViewSet.perform_create", "POST /api/tokens"),
            ("ApiPay.post", "POST /api/pay/"),
        ])
    );
}

#[test]
fn axum_nest_and_actix_scopes_in_other_modules_compose_prefixes() {
    assert_eq!(
        routes("fixtures/shapes/rust/routes_across_modules"),
        expected(&[
            // A `#[cfg(test)] mod tests` nesting the router elsewhere does not count.
            ("api_checkout", "POST /api/checkout"),
            ("order_checkout", "POST /api/v1/orders/checkout"),
            ("nested_twice", ""),
            ("merged_checkout", "POST /merged/checkout"),
            // `let v3 = Router::new()..; Router::new().nest("/v3", v3)`.
            ("local_pay", "POST /v3/local"),
            ("never_nested_checkout", "POST /never/checkout"),
            ("create_checkout_session", ""),
            ("pay", "POST /shop/pay"),
            ("inner_pay", "POST /shop/inner/pay"),
            ("routed_pay", "POST /shop/routed"),
            ("unscoped", "POST /unscoped"),
        ])
    );
}

#[test]
fn the_router_module_checked_alone_shows_the_route_of_the_tree() {
    // Checking the router's module alone (as pre-commit does) still reads the project from
    // its root, so the prefix the app adds when it includes the router is there.
    let alone = routes("fixtures/shapes/python/routes_across_modules/shop/orders.py");
    assert_eq!(alone["nested_checkout"], "POST /api/v1/orders/checkout");
}
