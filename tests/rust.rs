//! The Rust front end end to end: the axum service before and after its fix, a mixed
//! Python + Rust tree in one run, and configuration from Cargo.toml metadata.

mod common;

use std::fs;

use common::{bin, check_json, project, run_json, stable};
use serde_json::Value;

/// (path, line, route, status, rules) of every call site.
fn sites(report: &Value) -> Vec<(String, u64, String, String, String)> {
    report["call_sites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["path"].as_str().unwrap().to_string(),
                s["line"].as_u64().unwrap(),
                s["route"].as_str().unwrap_or("—").to_string(),
                s["status"].as_str().unwrap().to_string(),
                s["rules"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| r.as_str().unwrap())
                    .collect::<Vec<_>>()
                    .join(","),
            )
        })
        .collect()
}

fn site(
    path: &str,
    line: u64,
    route: &str,
    status: &str,
    rules: &str,
) -> (String, u64, String, String, String) {
    (path.into(), line, route.into(), status.into(), rules.into())
}

#[test]
fn axum_service_before_the_fix_reports_every_style_missing_expires_at() {
    let (code, report) = check_json("fixtures/axum_shop".as_ref());
    assert_eq!(code, 1);
    assert_eq!(
        sites(&report),
        vec![
            site(
                "src/routes/donations.rs",
                10,
                "POST /donations/checkout",
                "violation",
                "missing-expires-at"
            ),
            site(
                "src/routes/gift_cards.rs",
                10,
                "POST /gift-cards/checkout",
                "violation",
                "missing-expires-at"
            ),
            site(
                "src/routes/merch.rs",
                25,
                "POST /merch/checkout",
                "violation",
                "missing-expires-at"
            ),
            site(
                "src/routes/tickets.rs",
                20,
                "POST /tickets/checkout",
                "violation",
                "missing-expires-at"
            ),
            site("src/worker.rs", 8, "—", "violation", "missing-expires-at"),
        ]
    );
    let apis: Vec<&str> = report["call_sites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["api"].as_str().unwrap())
        .collect();
    assert!(apis.contains(&"stripe_checkout::CreateCheckoutSession::send"));
    assert!(apis.contains(&"POST reqwest /v1/checkout/sessions"));
    assert!(report["call_sites"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["language"] == "rust"));
    insta::assert_json_snapshot!("axum_shop_before", stable(report));
}

#[test]
fn axum_service_after_the_fix_is_clean() {
    let (code, report) = check_json("fixtures/axum_shop_fixed".as_ref());
    assert_eq!(code, 0, "{report:#}");
    let statuses: Vec<String> = sites(&report).into_iter().map(|s| s.3).collect();
    assert_eq!(statuses, vec!["sanctioned"; 5]);
    assert_eq!(report["diagnostics"].as_array().unwrap().len(), 0);
    insta::assert_json_snapshot!("axum_shop_after", stable(report));
}

#[test]
fn mixed_tree_gives_one_report_and_one_exit_code() {
    let (code, report) = check_json("fixtures/mixed_tree".as_ref());
    assert_eq!(code, 1);
    assert_eq!(
        sites(&report),
        vec![
            site("python/storefront/checkout.py", 9, "—", "sanctioned", ""),
            site(
                "python/storefront/checkout.py",
                17,
                "—",
                "violation",
                "missing-expires-at"
            ),
            site("services/payments/src/lib.rs", 8, "—", "sanctioned", ""),
            site(
                "services/payments/src/lib.rs",
                14,
                "—",
                "violation",
                "expires-at-not-derived,expires-at-not-timestamp"
            ),
        ]
    );
    let languages: Vec<&str> = report["call_sites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["language"].as_str().unwrap())
        .collect();
    assert_eq!(languages, vec!["python", "python", "rust", "rust"]);
}

const CREATE_WITH_TTL: &str = "use stripe::{CheckoutSession, Client, CreateCheckoutSession};\n\
pub async fn pay(c: &Client) {\n\
    let mut p = CreateCheckoutSession::new();\n\
    p.expires_at = Some(chrono::Utc::now().timestamp() + crate::limits::TTL);\n\
    let _ = CheckoutSession::create(c, p).await;\n\
}\n";

#[test]
fn workspace_metadata_names_the_rust_constant() {
    let dir = project(&[
        (
            "Cargo.toml",
            "[workspace]\nmembers = [\"shop\"]\n\n[workspace.metadata.checkout-lint.ttl]\nrust-constant = \"crate::limits::TTL\"\n",
        ),
        (
            "shop/Cargo.toml",
            "[package]\nname = \"shop\"\nversion = \"0.1.0\"\n[dependencies]\nstripe = { package = \"async-stripe\", version = \"0.41\" }\n",
        ),
        ("shop/src/lib.rs", &format!("pub mod limits;\n{CREATE_WITH_TTL}")),
        ("shop/src/limits.rs", "pub const TTL: i64 = 7 * 24 * 3600;\n"),
    ]);
    let (code, report) = run_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let codes: Vec<(&str, &str)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["code"].as_str().unwrap(), d["path"].as_str().unwrap()))
        .collect();
    assert_eq!(codes, vec![("CL003", "shop/src/limits.rs")]);
    assert_eq!(report["call_sites"][0]["status"], "sanctioned");
}

#[test]
fn configured_rust_constant_that_does_not_exist_is_cl008() {
    let dir = project(&[
        (
            "Cargo.toml",
            "[package]\nname = \"shop\"\nversion = \"0.1.0\"\n[package.metadata.checkout-lint.ttl]\nrust-constant = \"crate::nowhere::TTL\"\n",
        ),
        ("src/lib.rs", &format!("pub mod limits;\n{CREATE_WITH_TTL}")),
        ("src/limits.rs", "pub const TTL: i64 = 3600;\n"),
    ]);
    let (code, report) = run_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let d = &report["diagnostics"][0];
    assert_eq!(d["code"], "CL008");
    assert_eq!(d["path"], "Cargo.toml");
}

#[test]
fn two_rust_definitions_of_the_default_constant_are_cl008() {
    let dir = project(&[
        ("Cargo.toml", "[package]\nname = \"shop\"\nversion = \"0.1.0\"\n"),
        (
            "src/lib.rs",
            "pub mod a;\npub mod b;\nuse stripe::{CheckoutSession, CreateCheckoutSession};\npub async fn pay(c: &stripe::Client) {\n    let _ = CheckoutSession::create(c, CreateCheckoutSession { expires_at: Some(chrono::Utc::now().timestamp() + a::CHECKOUT_SESSION_TTL_SECONDS), ..Default::default() }).await;\n}\n",
        ),
        ("src/a.rs", "pub const CHECKOUT_SESSION_TTL_SECONDS: i64 = 3600;\n"),
        ("src/b.rs", "pub static CHECKOUT_SESSION_TTL_SECONDS: i64 = 7200;\n"),
    ]);
    let (code, report) = run_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let cl008: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "CL008")
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert_eq!(cl008, vec!["src/a.rs", "src/b.rs"]);
}

#[test]
fn a_rust_file_that_does_not_parse_is_cl009_only_when_it_mentions_checkout() {
    let dir = project(&[
        (
            "Cargo.toml",
            "[package]\nname = \"shop\"\nversion = \"0.1.0\"\n",
        ),
        (
            "src/lib.rs",
            "pub fn f() { stripe::CheckoutSession::create(\n",
        ),
        ("src/other.rs", "pub fn g( {\n"),
    ]);
    let (code, report) = run_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let diagnostics = report["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0]["code"], "CL009");
    assert_eq!(diagnostics[0]["path"], "src/lib.rs");
}

#[test]
fn pathologically_deep_rust_is_cl009_not_a_stack_overflow() {
    let n = 100_000;
    let parens = format!(
        "// checkout\npub fn f() -> i64 {{ {}1{} }}\n",
        "(".repeat(n),
        ")".repeat(n)
    );
    let chain = format!(
        "// checkout\npub fn g() -> i64 {{ 1{} }}\n",
        " + 1".repeat(n)
    );
    let near_limit = format!(
        "use stripe::{{CheckoutSession, CreateCheckoutSession}};\npub async fn h(c: &stripe::Client) -> i64 {{\n    let _ = CheckoutSession::create(c, CreateCheckoutSession::new()).await;\n    {}1{}\n}}\n",
        "(".repeat(900),
        ")".repeat(900)
    );
    let dir = project(&[
        (
            "Cargo.toml",
            "[package]\nname = \"deep\"\nversion = \"0.1.0\"\n",
        ),
        ("src/parens.rs", &parens),
        ("src/chain.rs", &chain),
        ("src/near_limit.rs", &near_limit),
    ]);
    let (code, report) = run_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let findings: Vec<(&str, &str)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["path"].as_str().unwrap(), d["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        findings,
        vec![
            ("src/chain.rs", "CL009"),
            ("src/near_limit.rs", "CL001"),
            ("src/parens.rs", "CL009"),
        ]
    );
}

#[test]
fn the_fixed_service_keeps_its_runbook_table_current() {
    let fixed = common::repo().join("fixtures/axum_shop_fixed");
    let status = bin()
        .current_dir(&fixed)
        .args(["table", "--check", "docs/runbook.md"])
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));

    // Moving one Rust call by a line leaves the runbook current (line numbers alone never
    // make it stale); renaming its function makes it stale: `check` reports CL010.
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&fixed, dir.path());
    let worker = dir.path().join("src/worker.rs");
    let text = fs::read_to_string(&worker).unwrap();
    fs::write(&worker, format!("\n{text}")).unwrap();
    let (code, report) = run_json(dir.path(), &[]);
    assert_eq!(code, 0, "{report:#}");
    let renamed = text.replace("fn resend_abandoned_cart(", "fn resend_cart(");
    assert_ne!(renamed, text);
    fs::write(&worker, format!("\n{renamed}")).unwrap();
    let (code, report) = run_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let codes: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, vec!["CL010"]);
}

#[test]
fn pathological_rust_locals_and_return_chains_finish() {
    // Each of these took minutes and gigabytes, or overflowed the stack, before terms were
    // capped and `return` chains counted as nesting.
    let branches = format!(
        "use stripe::{{CheckoutSession, Client, CreateCheckoutSession}};\npub async fn f(c: &Client, a: bool) {{\n    let mut ts = chrono::Utc::now().timestamp();\n{}    let mut p = CreateCheckoutSession::new();\n    p.expires_at = Some(ts);\n    let _ = CheckoutSession::create(c, p).await;\n}}\n",
        "    if a { ts = ts + 1; }\n".repeat(40)
    );
    let returns = format!(
        "// CheckoutSession\npub fn g() -> i64 {{ {}0 }}\n",
        "return ".repeat(200_000)
    );
    let dir = project(&[
        (
            "Cargo.toml",
            "[package]\nname = \"p\"\nversion = \"0.1.0\"\n",
        ),
        ("src/branches.rs", &branches),
        ("src/returns.rs", &returns),
        (
            "src/ttl.rs",
            "pub const CHECKOUT_SESSION_TTL_SECONDS: i64 = 3600;\n",
        ),
    ]);
    let (code, report) = run_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let findings: Vec<(&str, &str)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["path"].as_str().unwrap(), d["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        findings,
        vec![("src/branches.rs", "CL002"), ("src/returns.rs", "CL009")]
    );
}

#[test]
fn a_renamed_dependency_inherited_from_the_workspace_is_still_stripe() {
    let dir = project(&[
        (
            "Cargo.toml",
            "[workspace]\nmembers = [\"shop\"]\n[workspace.dependencies]\npayments = { package = \"async-stripe\", version = \"0.41\" }\n",
        ),
        (
            "shop/Cargo.toml",
            "[package]\nname = \"shop\"\nversion = \"0.1.0\"\n[dependencies]\npayments = { workspace = true }\n",
        ),
        (
            "shop/src/lib.rs",
            "use payments::{CheckoutSession, Client, CreateCheckoutSession};\npub async fn pay(c: &Client) {\n    let _ = CheckoutSession::create(c, CreateCheckoutSession::new()).await;\n}\n",
        ),
    ]);
    let (code, report) = run_json(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(report["diagnostics"][0]["code"], "CL001");
    assert_eq!(report["diagnostics"][0]["path"], "shop/src/lib.rs");
}

#[test]
fn rust_routes_come_from_axum_and_actix_registrations_and_attributes() {
    let (_, report) = check_json("fixtures/shapes/rust/routes".as_ref());
    let routes: Vec<(&str, &str)> = report["call_sites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["function"].as_str().unwrap(),
                s["route"].as_str().unwrap_or("—"),
            )
        })
        .collect();
    assert_eq!(
        routes,
        vec![
            ("donate", "POST /donate"),
            ("renew", "POST /renew"),
            ("refund", "POST /admin/refund"),
            ("attributed", "POST /attributed"),
            ("handlers::order_checkout", "POST /api/orders/checkout"),
            ("handlers::through_an_alias", "POST /api/alias"),
            ("qualified_self", "POST /qself"),
            ("<module>", "—"),
        ]
    );
}

/// A loose `.rs` file (no `Cargo.toml` above it) is its own crate, named after the file:
/// the configured constant `limits::TTL` is read from `scripts/limits.rs`, which never
/// spells "checkout", and its value is checked. Loose files are held from the first walk
/// on, since no probe of the file system can name them.
#[test]
fn loose_rust_files_are_found_by_their_crate_name() {
    let pay = "use stripe::{CheckoutSession, CreateCheckoutSession, Client};\n\npub async fn pay(client: &Client) {\n    let mut params = CreateCheckoutSession::new();\n    params.expires_at = Some(chrono::Utc::now().timestamp() + limits::TTL);\n    let _ = CheckoutSession::create(client, params).await;\n}\n";
    let config = "[ttl]\nrust-constant = \"limits::TTL\"\n";
    let rules = |ttl: &str| {
        let limits = format!("pub const TTL: i64 = {ttl};\n");
        let dir = project(&[
            ("checkout-lint.toml", config),
            ("scripts/pay.rs", pay),
            ("scripts/limits.rs", &limits),
        ]);
        let report = run_json(dir.path(), &["--exit-zero"]).1;
        let field = |list: &str, field: &str| -> Vec<String> {
            let items = report[list].as_array().unwrap().iter();
            items
                .map(|i| i[field].as_str().unwrap().to_string())
                .collect()
        };
        let (statuses, rules) = (field("call_sites", "status"), field("diagnostics", "rule"));
        (statuses, rules)
    };
    let sanctioned = vec!["sanctioned".to_string()];
    assert_eq!(rules("3600"), (sanctioned.clone(), vec![]));
    // The value is read from the loose file: out of Stripe's window.
    assert_eq!(
        rules("600"),
        (sanctioned, vec!["ttl-out-of-range".to_string()])
    );
}

/// A Python import never names a Rust crate of the same tree: `from payments import ..`
/// is a pip package here, though a Cargo package is named `payments`.
#[test]
fn python_imports_never_name_a_rust_crate() {
    let dir = project(&[
        (
            "payments/Cargo.toml",
            "[package]\nname = \"payments\"\nversion = \"0.1.0\"\n",
        ),
        (
            "payments/src/lib.rs",
            "pub const CHECKOUT_SESSION_TTL_SECONDS: i64 = 3600;\n",
        ),
        (
            "pay.py",
            "import time\nimport stripe\nfrom payments import CHECKOUT_SESSION_TTL_SECONDS\n\ndef pay():\n    return stripe.checkout.Session.create(expires_at=int(time.time()) + CHECKOUT_SESSION_TTL_SECONDS)\n",
        ),
    ]);
    let report = run_json(dir.path(), &["--exit-zero"]).1;
    let diagnostic = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "expires-at-not-derived")
        .unwrap_or_else(|| panic!("{report:#}"));
    let message = diagnostic["message"].as_str().unwrap();
    // An external name, not a redefinition in a project module.
    assert!(message.contains("cannot be traced"), "{message}");
}
