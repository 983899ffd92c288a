//! Rust endpoint helpers across modules: a function of one module that POSTs a form to a
//! path its callers pass is judged at each call with the create endpoint's path, in
//! whichever module the call is, and reported as a same-file helper's call is.

mod common;

use common::{project, run_json};
use serde_json::Value;

const CARGO: &str = "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nreqwest = \"0.12\"\n";

/// A helper module that never spells the word the prefilter looks for.
const API: &str = r#"
const ROOT: &str = "https://api.stripe.com";

pub async fn stripe_post(c: &reqwest::Client, path: &str, form: &[(&str, String)]) {
    let _ = c.post(format!("{}{}", ROOT, path)).form(form).send().await;
}
"#;

/// (path, line, function, api, via, status) of every call site.
fn sites(report: &Value) -> Vec<[String; 6]> {
    let text = |s: &Value, key: &str| s[key].as_str().unwrap_or("—").to_string();
    report["call_sites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            [
                text(s, "path"),
                s["line"].to_string(),
                text(s, "function"),
                text(s, "api"),
                text(s, "via"),
                text(s, "status"),
            ]
        })
        .collect()
}

fn site(path: &str, line: u64, function: &str, via: &str) -> [String; 6] {
    [
        path,
        &line.to_string(),
        function,
        "POST reqwest /v1/checkout/sessions",
        via,
        "violation",
    ]
    .map(str::to_string)
}

/// Once a silent miss: the call in `pay.rs` named a helper of `api.rs` and was no site at
/// all. The caller holds only the path and the call; the helper's file is read because a
/// caller passes it the endpoint's path.
#[test]
fn a_helper_of_another_module_called_with_the_endpoint_path_is_a_site() {
    let pay = "pub async fn pay(c: &reqwest::Client) {\n    crate::api::stripe_post(c, \"/v1/checkout/sessions\", &[]).await;\n}\n\npub async fn refund(c: &reqwest::Client) {\n    crate::api::stripe_post(c, \"/v1/refunds\", &[]).await;\n}\n";
    let dir = project(&[
        ("Cargo.toml", CARGO),
        ("src/lib.rs", "pub mod api;\npub mod pay;\n"),
        ("src/api.rs", API),
        ("src/pay.rs", pay),
    ]);
    let (code, report) = run_json(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        sites(&report),
        vec![site("src/pay.rs", 2, "pay", "app::api::stripe_post")]
    );
}

/// The same helper and call in one file and across two report the same `api`, and `via`
/// names the helper where it is defined, whatever name the caller imports it under.
#[test]
fn a_helper_across_modules_is_reported_as_a_same_file_one() {
    let call = "pub async fn pay(c: &reqwest::Client) {\n    send(c, \"/v1/checkout/sessions\", &[]).await;\n}\n";
    let same_file = format!("{}\n{}", API.replace("stripe_post", "send"), call);
    let dir = project(&[
        ("Cargo.toml", CARGO),
        ("src/lib.rs", "pub mod pay;\n"),
        ("src/pay.rs", &same_file),
    ]);
    let (_, one) = run_json(dir.path(), &[]);
    let renamed = format!("use super::api::stripe_post as send;\n\n{call}");
    let dir = project(&[
        ("Cargo.toml", CARGO),
        ("src/lib.rs", "pub mod api;\npub mod pay;\n"),
        ("src/api.rs", API),
        ("src/pay.rs", &renamed),
    ]);
    let (_, two) = run_json(dir.path(), &[]);
    let line = same_file.lines().count() as u64 - 1;
    assert_eq!(
        sites(&one),
        vec![site("src/pay.rs", line, "pay", "app::pay::send")]
    );
    assert_eq!(
        sites(&two),
        vec![site("src/pay.rs", 4, "pay", "app::api::stripe_post")]
    );
    assert_eq!(one["diagnostics"][0]["rule"], two["diagnostics"][0]["rule"]);
}

/// With a base known only at run time, the path after the version names the endpoint when
/// the helper's file names the API's host, though the caller's does not; a helper of our
/// own service, whose file names no such host, is not the API.
#[test]
fn the_path_after_the_version_is_the_endpoint_where_the_helper_names_the_host() {
    let helper = |host: &str| {
        format!("pub const DEFAULT_BASE: &str = \"{host}/v1\";\n\npub async fn post_form(c: &reqwest::Client, base: &str, path: &str, form: &[(&str, String)]) {{\n    let _ = c.post(format!(\"{{base}}{{path}}\")).form(form).send().await;\n}}\n")
    };
    let pay = "use crate::api::{post_form, DEFAULT_BASE};\n\npub async fn pay(c: &reqwest::Client) {\n    post_form(c, DEFAULT_BASE, \"/checkout/sessions\", &[]).await;\n}\n";
    let run = |host: &str| {
        let api = helper(host);
        let dir = project(&[
            ("Cargo.toml", CARGO),
            ("src/lib.rs", "pub mod api;\npub mod pay;\n"),
            ("src/api.rs", &api),
            ("src/pay.rs", pay),
        ]);
        sites(&run_json(dir.path(), &["--exit-zero"]).1)
    };
    assert_eq!(
        run("https://api.stripe.com"),
        vec![site("src/pay.rs", 4, "pay", "app::api::post_form")]
    );
    assert_eq!(run("http://orders.internal"), Vec::<[String; 6]>::new());
}

/// A helper re-exported under another name by a crate root that names no checkout is
/// followed through the re-export: each module on the way is read when a call leads there.
#[test]
fn a_helper_reexported_by_another_module_is_followed() {
    let pay = "use crate::send;\n\npub async fn pay(c: &reqwest::Client) {\n    send(c, \"/v1/checkout/sessions\", &[]).await;\n}\n";
    let dir = project(&[
        ("Cargo.toml", CARGO),
        (
            "src/lib.rs",
            "pub mod api;\npub mod pay;\n\npub use api::stripe_post as send;\n",
        ),
        ("src/api.rs", API),
        ("src/pay.rs", pay),
    ]);
    let (_, report) = run_json(dir.path(), &[]);
    assert_eq!(
        sites(&report),
        vec![site("src/pay.rs", 4, "pay", "app::api::stripe_post")]
    );
}
