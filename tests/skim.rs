//! Skimming (src/lang/skim/) leaves out, before parsing, top-level items that cannot create a
//! session; trimming (src/index/trim.rs) drops, after it, the bindings nothing in a file reaches.
//! Neither may change a report: every fixture reports the same skimmed and parsed whole
//! (`CHECKOUT_LINT_SKIM=0`), and the cases below, where what matters hides in an item or a
//! binding that looks left-out-able, are found either way.

mod common;

use std::path::Path;

use common::{bin, lines_and_codes, project, repo, stable, validate};
use serde_json::Value;

/// A crate named `app` that depends on Stripe (async-stripe).
const CARGO_TOML: &str = "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
                          [dependencies]\nasync-stripe = \"0.39\"\n";

fn report(dir: &Path, skim: bool) -> (i32, Value) {
    let mut cmd = bin();
    if !skim {
        cmd.env("CHECKOUT_LINT_SKIM", "0");
    }
    let output = cmd
        .current_dir(dir)
        .args(["check", "--format", "json", "."])
        .output()
        .expect("runs");
    validate(&output.stdout);
    let report = serde_json::from_slice(&output.stdout).expect("JSON report");
    (output.status.code().unwrap_or(-1), stable(report))
}

fn same_either_way(dir: &Path) -> Value {
    let skimmed = report(dir, true);
    let whole = report(dir, false);
    assert_eq!(
        skimmed,
        whole,
        "skimming changed the report of {}",
        dir.display()
    );
    skimmed.1
}

fn sites(report: &Value) -> impl Iterator<Item = &Value> {
    report["call_sites"].as_array().expect("call sites").iter()
}

fn path_and_line(site: &Value) -> (&str, u64) {
    (
        site["path"].as_str().unwrap_or(""),
        site["line"].as_u64().unwrap_or(0),
    )
}

#[test]
fn every_fixture_reports_the_same_skimmed_and_whole() {
    let fixtures = repo().join("fixtures");
    let mut dirs = Vec::new();
    for group in [
        fixtures.clone(),
        fixtures.join("shapes/python"),
        fixtures.join("shapes/rust"),
        fixtures.join("rules"),
    ] {
        for entry in std::fs::read_dir(&group).expect("fixtures") {
            let path = entry.expect("entry").path();
            if path.is_dir() && !path.ends_with("shapes") && !path.ends_with("rules") {
                dirs.push(path);
            }
        }
    }
    assert!(
        dirs.len() > 40,
        "found only {} fixture projects",
        dirs.len()
    );
    for dir in dirs {
        same_either_way(&dir);
    }
}

#[test]
fn python_helpers_constants_and_wrappers_in_left_out_looking_items() {
    let dir = project(&[
        (
            "app/config.py",
            "CHECKOUT_SESSION_TTL_SECONDS = 3600\n",
        ),
        (
            // Passes the prefilter; `expiry` and `Plans` name no needle, so they would be
            // left out unless the site's module, which imports them, gets them back.
            "app/times.py",
            "\"\"\"Times for checkout.\"\"\"\nimport time\nfrom app.config import CHECKOUT_SESSION_TTL_SECONDS as TTL\n\n\
             def expiry():\n    return int(time.time()) + TTL\n\n\
             def too_late():\n    return int(time.time()) + 30 * 86400\n",
        ),
        (
            "app/pay.py",
            "import stripe\nfrom app.times import expiry, too_late\n\n\
             def extra():\n    return {\"expires_at\": too_late()}\n\n\
             def ok():\n    return stripe.checkout.Session.create(mode=\"payment\", expires_at=expiry())\n\n\
             def bad():\n    return stripe.checkout.Session.create(mode=\"payment\", **extra())\n\n\
             def unrelated_checkout_totals(lines):\n    return sum(lines)  # checkout-lint: ignore[CL001] reason: stale\n",
        ),
    ]);
    let report = same_either_way(dir.path());
    let found = lines_and_codes(&report);
    // `bad` gets a 30-day expiry through a same-file helper; the unused suppression in a
    // left-out function is still reported.
    assert!(found.contains(&(11, "CL002".into())), "{found:?}");
    assert!(
        found
            .iter()
            .any(|(line, code)| *line == 14 && code == "CL012"),
        "{found:?}"
    );
    assert_eq!(report["call_sites"].as_array().map(Vec::len), Some(2));
}

#[test]
fn rust_helpers_impls_and_routes_in_left_out_looking_items() {
    let dir = project(&[
        ("Cargo.toml", CARGO_TOML),
        (
            "src/lib.rs",
            "//! Checkout.\npub mod pay;\npub const CHECKOUT_SESSION_TTL_SECONDS: i64 = 3600;\n",
        ),
        (
            "src/pay.rs",
            "use stripe::{CheckoutSession, Client, CreateCheckoutSession};\n\n\
             struct Clock;\n\nimpl Clock {\n    fn later() -> i64 {\n        chrono::Utc::now().timestamp() + 30 * 86_400\n    }\n}\n\n\
             fn params() -> CreateCheckoutSession<'static> {\n    let mut p = CreateCheckoutSession::new();\n    p.expires_at = Some(Clock::later());\n    p\n}\n\n\
             pub async fn pay(client: &Client) {\n    let _ = CheckoutSession::create(client, params()).await;\n}\n\n\
             pub fn checkout_totals(lines: &[i64]) -> i64 {\n    lines.iter().sum()\n}\n",
        ),
    ]);
    let report = same_either_way(dir.path());
    assert_eq!(
        report["call_sites"].as_array().map(Vec::len),
        Some(1),
        "{report:#}"
    );
    let found = lines_and_codes(&report);
    assert!(
        !found.is_empty(),
        "the 30-day expiry from a left-out-looking impl is found"
    );
}

/// Rust `const`s and `static`s are left out like functions when nothing kept names them;
/// one that a site or the TTL constant reaches, here or from another module, is found.
#[test]
fn rust_consts_a_site_reaches_are_found() {
    let dir = project(&[
        ("Cargo.toml", CARGO_TOML),
        (
            "src/lib.rs",
            "//! Checkout.\npub mod limits;\npub mod pay;\n\
             pub const CHECKOUT_SESSION_TTL_SECONDS: i64 = limits::WINDOW;\n",
        ),
        (
            "src/limits.rs",
            "//! Checkout limits.\npub const MINUTE: i64 = 60;\npub const WINDOW: i64 = 45 * MINUTE;\n\
             pub static mut UNUSED: u32 = 0;\npub const LONG: i64 = 40 * 86_400;\n",
        ),
        (
            "src/pay.rs",
            "use stripe::{CheckoutSession, Client, CreateCheckoutSession};\nuse crate::limits::LONG;\n\n\
             const LATER: i64 = LONG;\n\n\
             pub async fn pay(client: &Client) {\n    let mut p = CreateCheckoutSession::new();\n\
             \x20   p.expires_at = Some(chrono::Utc::now().timestamp() + LATER);\n\
             \x20   let _ = CheckoutSession::create(client, p).await;\n}\n",
        ),
    ]);
    let report = same_either_way(dir.path());
    assert_eq!(report["call_sites"].as_array().map(Vec::len), Some(1));
    // 45 minutes across two modules is accepted; the site's 40 days are not the constant.
    assert_eq!(
        lines_and_codes(&report),
        [(9, "CL002".to_string())],
        "{report:#}"
    );
}

#[test]
fn wrapper_calls_in_kept_and_left_out_items_are_found() {
    let dir = project(&[
        (
            "app/billing.py",
            "import stripe\n\ndef start_session(**params):\n    return stripe.checkout.Session.create(**params)\n",
        ),
        (
            // `buy` names no needle, so the first pass leaves it out; once `start_session`
            // is known as a wrapper, the module must be summarised again.
            "app/views.py",
            "\"\"\"Checkout views.\"\"\"\nfrom app.billing import start_session\n\n\
             def buy():\n    return start_session(mode=\"payment\")\n\n\
             def post_buy():\n    return start_session(mode=\"setup\")\n",
        ),
    ]);
    let report = same_either_way(dir.path());
    let via: Vec<(&str, u64)> = sites(&report)
        .filter(|s| s["via"].is_string())
        .map(path_and_line)
        .collect();
    assert_eq!(
        via,
        [("app/views.py", 5), ("app/views.py", 8)],
        "{report:#}"
    );
}

/// A create method or a wrapper bound to another name in the module (an import alias, a
/// module constant) and called through it: the calling function names no needle, yet it
/// holds a site. Both were left out, and the sites silently missed, before skimming knew
/// aliases.
#[test]
fn calls_through_module_level_aliases_are_found() {
    let dir = project(&[
        (
            "app/billing.py",
            "import stripe\n\ndef start_session(**params):\n    return stripe.checkout.Session.create(**params)\n",
        ),
        (
            // The only mention of the wrapper's name is the import.
            "app/views.py",
            "\"\"\"Checkout views.\"\"\"\nfrom app.billing import start_session as begin\n\n\
             def totals(lines):\n    return sum(lines)\n\n\
             def buy():\n    return begin(mode=\"payment\")\n",
        ),
        (
            "app/direct.py",
            "\"\"\"Checkout.\"\"\"\nimport stripe\n\nmake = stripe.checkout.Session.create\nagain = make\n\n\
             def totals(lines):\n    return sum(lines)\n\n\
             def buy():\n    return again(mode=\"payment\")\n",
        ),
    ]);
    let report = same_either_way(dir.path());
    let sites: Vec<(&str, u64)> = sites(&report).map(path_and_line).collect();
    assert_eq!(
        sites,
        [("app/direct.py", 11), ("app/views.py", 8)],
        "{report:#}"
    );
}

/// `post`, `request` and `route` keep an item only as calls, and a route decorator with a
/// plain path does not keep its function (src/lang/skim/, `NeedleKind`): every spelling of a
/// raw POST must still be found, and the routed handler keeps its route.
#[test]
fn raw_posts_in_every_spelling_keep_their_item() {
    let dir = project(&[(
        "app/pay.py",
        "import time\nimport requests\nimport httpx\nfrom fastapi import APIRouter\n\n\
         CHECKOUT_SESSION_TTL_SECONDS = 3600\nrouter = APIRouter()\n\
         URL = \"https://api.stripe.com/v1/checkout/sessions\"\n\n\
         def parenthesised():\n    return (requests.post)(URL, data={})\n\n\
         def split_over_lines():\n    return requests.post \\\n        (URL, data={})\n\n\
         def through_request():\n    return httpx.request(\n        \"POST\", URL, data={})\n\n\
         def commented():\n    return (requests.post  # the v1 API\n        (URL, data={}))\n\n\
         @router.post(\"/orders\")\nasync def routed(request, payload: dict):\n\
         \x20   ttl = CHECKOUT_SESSION_TTL_SECONDS\n\
         \x20   return requests.post(URL, data={\"expires_at\": int(time.time()) + ttl})\n\n\
         @router.post(\"/quiet\")\nasync def quiet(request, payload: dict):\n    return request.state\n",
    )]);
    let report = same_either_way(dir.path());
    let sites: Vec<(u64, &str, &str)> = report["call_sites"]
        .as_array()
        .expect("call sites")
        .iter()
        .map(|s| {
            (
                s["line"].as_u64().unwrap_or(0),
                s["function"].as_str().unwrap_or(""),
                s["route"].as_str().unwrap_or("-"),
            )
        })
        .collect();
    assert_eq!(
        sites,
        [
            (11, "parenthesised", "-"),
            (14, "split_over_lines", "-"),
            (18, "through_request", "-"),
            (22, "commented", "-"),
            (28, "routed", "POST /orders"),
        ],
        "{report:#}"
    );
}

/// Module constants are left out like functions when nothing kept names them; one that
/// a site reaches, in its own module or through an import, must be found.
#[test]
fn module_constants_a_site_reaches_are_found() {
    let dir = project(&[
        (
            "app/limits.py",
            "\"\"\"Checkout limits.\"\"\"\nMINUTE = 60\nWINDOW = 45 * MINUTE\nUNUSED = {\"a\": 1}\n\
             WINDOWS: dict = {\"long\": 40 * 86400}\n",
        ),
        (
            "app/pay.py",
            "import time\nimport stripe\nfrom app.limits import WINDOW, WINDOWS\n\n\
             CHECKOUT_SESSION_TTL_SECONDS = WINDOW\nPARAMS = {\"mode\": \"payment\"}\nOTHER = 1\n\n\
             def ok():\n    return stripe.checkout.Session.create(\n        **PARAMS, expires_at=int(time.time()) + CHECKOUT_SESSION_TTL_SECONDS\n    )\n\n\
             def too_long():\n    return stripe.checkout.Session.create(\n        **PARAMS, expires_at=int(time.time()) + WINDOWS[\"long\"]\n    )\n",
        ),
    ]);
    let report = same_either_way(dir.path());
    assert_eq!(report["call_sites"].as_array().map(Vec::len), Some(2));
    // 45 minutes, computed across both modules, is accepted; the other site does not use
    // the constant.
    assert_eq!(
        lines_and_codes(&report),
        [(15, "CL002".to_string())],
        "{report:#}"
    );
}

/// Trimming (src/trim.rs) keeps only the bindings a file's own sites reach; a name another
/// module imports must still be found.
#[test]
fn names_trimmed_from_a_summary_are_found_from_other_modules() {
    let dir = project(&[
        ("app/config.py", "CHECKOUT_SESSION_TTL_SECONDS = 3600\n"),
        (
            "app/settings.py",
            "\"\"\"Checkout settings.\"\"\"\nfrom app.config import CHECKOUT_SESSION_TTL_SECONDS\n\n\
             SESSION_TTL = CHECKOUT_SESSION_TTL_SECONDS\nRULES = {\"a\": (1, 2)}\n",
        ),
        (
            "app/pay.py",
            "import time\nimport stripe\nfrom app.settings import SESSION_TTL\n\n\
             def ok():\n    return stripe.checkout.Session.create(\n        mode=\"payment\", expires_at=int(time.time()) + SESSION_TTL\n    )\n",
        ),
    ]);
    let report = same_either_way(dir.path());
    assert_eq!(report["call_sites"].as_array().map(Vec::len), Some(1));
    assert_eq!(lines_and_codes(&report), [], "{report:#}");
}

/// Trimming keeps the constant's definitions only: a module that merely re-exports it is
/// trimmed of that import (and released, having nothing else), and a site importing the
/// constant through it must still reach the definition.
#[test]
fn a_constant_re_exported_by_a_trimmed_module_is_still_followed() {
    let dir = project(&[
        ("app/config.py", "CHECKOUT_SESSION_TTL_SECONDS = 3600\n"),
        (
            "app/settings.py",
            "import stripe\nfrom app.config import CHECKOUT_SESSION_TTL_SECONDS\n\nSTRIPE_KEY = \"sk\"\n",
        ),
        (
            "app/pay.py",
            "import time\nimport stripe\nfrom app.settings import CHECKOUT_SESSION_TTL_SECONDS\n\n\
             def ok():\n    return stripe.checkout.Session.create(\n\
             \x20       mode=\"payment\", expires_at=int(time.time()) + CHECKOUT_SESSION_TTL_SECONDS\n    )\n",
        ),
    ]);
    let report = same_either_way(dir.path());
    assert_eq!(report["call_sites"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        report["call_sites"][0]["status"], "sanctioned",
        "{report:#}"
    );
    assert_eq!(lines_and_codes(&report), [], "{report:#}");
}

/// A lookup from another module parses a skimmed file whole; if that fails (a syntax
/// error in a left-out item), the file is CL009 rather than its sites silently dropped
/// (they were, when the lookup came before the file's own sites were judged).
#[test]
fn a_file_that_fails_once_parsed_whole_for_a_lookup_is_a_parse_error() {
    let dir = project(&[
        (
            "app/z_conf.py",
            "\"\"\"Checkout config.\"\"\"\nimport stripe\n\nWINDOW = 3600\n\n\
             def broken():\n    x = = 1\n\n\
             def pay():\n    return stripe.checkout.Session.create(mode=\"payment\")\n",
        ),
        (
            "app/b_pay.py",
            "import time\nimport stripe\nfrom app.z_conf import WINDOW\n\n\
             def ok():\n    return stripe.checkout.Session.create(\n\
             \x20       mode=\"payment\", expires_at=int(time.time()) + WINDOW\n    )\n",
        ),
    ]);
    let report = same_either_way(dir.path());
    let found: Vec<(String, String)> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| (d["path"].to_string(), d["code"].to_string()))
        .collect();
    assert!(
        found.contains(&("\"app/z_conf.py\"".into(), "\"CL009\"".into())),
        "{report:#}"
    );
}

/// A left-out function is never parsed, but merge-conflict markers start a statement of
/// their own (column 0), so a half-merged file is still CL009 (rules/CL009-parse-error.md).
#[test]
fn conflict_markers_inside_a_left_out_function_are_still_a_parse_error() {
    let dir = project(&[(
        "app/totals.py",
        "\"\"\"Checkout totals.\"\"\"\n\ndef totals(lines):\n<<<<<<< HEAD\n    return sum(lines)\n\
         =======\n    return 0\n>>>>>>> branch\n",
    )]);
    let report = same_either_way(dir.path());
    assert_eq!(lines_and_codes(&report), [(4, "CL009".to_string())]);
}

/// A macro whose arguments are not Rust (a stray `.` inside `vec![..]`) and mention a
/// checkout type is unverifiable (CL007), at the macro, even in a function that names no
/// create method (found by fuzzing: skimming once left the function out and the finding
/// with it).
#[test]
fn an_unreadable_macro_in_a_left_out_looking_function_is_unverifiable() {
    let dir = project(&[
        ("Cargo.toml", CARGO_TOML),
        (
            "src/lib.rs",
            "//! Checkout.\npub mod tickets;\npub const CHECKOUT_SESSION_TTL_SECONDS: i64 = 3600;\n",
        ),
        (
            "src/tickets.rs",
            "use stripe::{CheckoutSession, CreateCheckoutSession, CreateCheckoutSessionLineItems};\n\n\
             pub async fn ticket_params() -> CreateCheckoutSession<'static> {\n\
             \x20   let mut params = CreateCheckoutSession::new();\n\
             \x20   params.line_items = Some(vec![CreateCheckoutSessionLineItems {\n\
             \x20   .    price: Some(\"price_1\".to_string()),\n\
             \x20       ..Default::default()\n\
             \x20   }]);\n\
             \x20   params\n}\n\n\
             pub fn checkout_totals(lines: &[i64]) -> i64 {\n    lines.iter().sum()\n}\n",
        ),
    ]);
    let report = same_either_way(dir.path());
    let sites: Vec<&Value> = sites(&report).collect();
    assert_eq!(sites.len(), 1, "{report:#}");
    assert_eq!(path_and_line(sites[0]), ("src/tickets.rs", 5), "{report:#}");
    assert_eq!(
        lines_and_codes(&report),
        [(5, "CL007".to_string())],
        "{report:#}"
    );
}

/// The same through `use` aliases: a create method or a parameters type renamed with `as`
/// and named in a macro whose arguments are not Rust is unverifiable, skimmed or whole (it
/// once passed silently either way).
/// The same through `type` aliases, one with a lifetime parameter as async-stripe 0.x's
/// `CreateCheckoutSession<'a>` needs (passed silently either way before).
#[test]
fn an_unreadable_macro_naming_a_type_alias_of_a_checkout_type_is_unverifiable() {
    let dir = project(&[
        ("Cargo.toml", CARGO_TOML),
        (
            "src/lib.rs",
            "//! Checkout.\npub mod pay;\npub const CHECKOUT_SESSION_TTL_SECONDS: i64 = 3600;\n",
        ),
        (
            "src/pay.rs",
            "use stripe::CreateCheckoutSession;\n\n\
             type Params<'a> = CreateCheckoutSession<'a>;\n\
             type Total = u32;\n\n\
             pub fn lines() {\n\
             \x20   let v = vec![Params { . }];\n}\n\n\
             pub fn totals() {\n    let v = vec![Total { . }];\n}\n",
        ),
    ]);
    let report = same_either_way(dir.path());
    assert_eq!(
        lines_and_codes(&report),
        [(7, "CL007".to_string())],
        "{report:#}"
    );
}

#[test]
fn an_unreadable_macro_naming_a_renamed_checkout_type_is_unverifiable() {
    let dir = project(&[
        ("Cargo.toml", CARGO_TOML),
        (
            "src/lib.rs",
            "//! Checkout.\npub mod pay;\npub const CHECKOUT_SESSION_TTL_SECONDS: i64 = 3600;\n",
        ),
        (
            "src/pay.rs",
            "use stripe::{CheckoutSession as Cs, Client, CreateCheckoutSession as Params};\n\n\
             pub async fn pay(client: &Client) {\n\
             \x20   let p = Params::new();\n\
             \x20   my_macro!(Cs::create(client, p) . . garbage);\n}\n\n\
             pub async fn lines() {\n\
             \x20   let v = vec![Params { . }];\n}\n\n\
             pub fn totals() {\n    let v = vec![Csv { . }];\n}\n",
        ),
    ]);
    let report = same_either_way(dir.path());
    assert_eq!(
        lines_and_codes(&report),
        [(5, "CL007".to_string()), (9, "CL007".to_string())],
        "{report:#}"
    );
}
