//! The index end to end: what the whole-tree passes release, drop or trim is loaded again
//! when the analysis follows a name into it, so the report is the one a whole parse would
//! give. These run the analysis over a loaded project (the index's own unit tests do not:
//! the index knows no rule).

mod common;

use checkout_lint::analysis::{self, Outcome, Status};
use checkout_lint::config::Config;
use checkout_lint::index::project::{FileState, Project};
use checkout_lint::rules::RuleCode;
use common::write_files;

/// The project's one call site was judged sanctioned, through its helper.
fn assert_one_sanctioned_site(outcome: &Outcome) {
    let [site] = outcome.call_sites.as_slice() else {
        panic!("expected one call site: {:?}", outcome.call_sites);
    };
    assert_eq!(
        site.status,
        Status::Sanctioned,
        "the helper was not followed: {site:?}"
    );
}

fn state_of<'p>(project: &'p Project, rel_path: &str) -> &'p FileState {
    let files = &project.files;
    let index = files.iter().find(|(_, f)| files.rel_path(f) == rel_path);
    files.state(index.expect("file is held").0)
}

/// A Python file released in the first pass (no site yet) still calls a thin wrapper
/// that the first pass found: the wrapper round reads what its residue says and finds
/// the site, whether the call is in a kept item or a left-out one behind an alias.
#[test]
fn released_files_still_reach_the_wrapper_round() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_files(
        dir.path(),
        &[
            (
                "billing.py",
                "import stripe\n\ndef start_session(**kwargs):\n    \
                 return stripe.checkout.Session.create(mode=\"payment\", **kwargs)\n",
            ),
            (
                "shop.py",
                "\"\"\"Checkout pages.\"\"\"\nfrom billing import start_session\n\n\
                 def buy():\n    return start_session(success_url=\"https://x\")\n",
            ),
            (
                "team.py",
                "\"\"\"Checkout for teams.\"\"\"\nfrom billing import start_session as begin\n\n\
                 def total(a, b):\n    return a + b\n\n\
                 def buy():\n    return begin(success_url=\"https://x\")\n",
            ),
        ],
    );
    let project = Project::load(Config::defaults(dir.path().to_path_buf()), &[], false);
    let outcome = analysis::run(&project, None);
    let mut found: Vec<(&str, usize)> = outcome
        .call_sites
        .iter()
        .filter(|s| s.via.is_some())
        .map(|s| (s.path.as_str(), s.start.line))
        .collect();
    found.sort();
    assert_eq!(
        found,
        [("shop.py", 5), ("team.py", 8)],
        "{:?}",
        outcome.call_sites
    );
}

/// A Rust file's helper functions are dropped once it is summarised for the whole tree,
/// and summarised again, whole, when a site's value calls one.
#[test]
fn rust_helpers_are_dropped_and_loaded_again_on_lookup() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_files(
        dir.path(),
        &[(
            "shop.rs",
            "use stripe::{CheckoutSession, Client, CreateCheckoutSession};\n\
             const CHECKOUT_SESSION_TTL_SECONDS: i64 = 3600;\n\
             fn expiry() -> i64 {\n    \
             chrono::Utc::now().timestamp() + CHECKOUT_SESSION_TTL_SECONDS\n}\n\
             pub async fn start(client: &Client) {\n    \
             let mut p = CreateCheckoutSession::new();\n    \
             p.expires_at = Some(expiry());\n    \
             let _ = CheckoutSession::create(client, p).await;\n}\n",
        )],
    );
    let project = Project::load(Config::defaults(dir.path().to_path_buf()), &[], false);
    let FileState::Summarised(summary) = state_of(&project, "shop.rs") else {
        panic!("shop.rs was not summarised");
    };
    assert!(summary.functions.is_empty());
    assert!(project.files[0].functions_elided());

    let outcome = analysis::run(&project, None);
    assert_one_sanctioned_site(&outcome);
}

/// Two files whose names differ only in bytes that are not UTF-8 are both read and both
/// judged (their reported paths are lossy, and alike).
#[test]
fn files_named_in_bytes_that_are_not_utf8_are_judged() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().expect("temp dir");
    for name in [&b"caf\xe9.py"[..], b"caf\xe8.py"] {
        let path = dir.path().join(std::ffi::OsStr::from_bytes(name));
        let code = "import stripe\n\nstripe.checkout.Session.create(mode=\"payment\")\n";
        std::fs::write(path, code).expect("write fixture");
    }
    let project = Project::load(Config::defaults(dir.path().to_path_buf()), &[], false);
    let outcome = analysis::run(&project, None);
    let rules: Vec<RuleCode> = outcome.diagnostics.iter().map(|d| d.rule).collect();
    assert_eq!(rules, [RuleCode::CL001, RuleCode::CL001], "{outcome:?}");
    assert_eq!(outcome.call_sites.len(), 2);
}

/// A candidate file that holds no site, wrapper, route, suppression or TTL definition
/// is released after loading; following an import into it loads it again, whole.
#[test]
fn inert_summaries_are_released_and_loaded_again_on_lookup() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_files(
        dir.path(),
        &[
            ("config.py", "CHECKOUT_SESSION_TTL_SECONDS = 3600\n"),
            (
                "expiry.py",
                "import time\nimport stripe\nfrom config import CHECKOUT_SESSION_TTL_SECONDS\n\n\
                 def deadline():\n    return int(time.time()) + CHECKOUT_SESSION_TTL_SECONDS\n",
            ),
            (
                "shop.py",
                "import stripe\nfrom expiry import deadline\n\n\
                 def buy():\n    return stripe.checkout.Session.create(mode=\"payment\", expires_at=deadline())\n",
            ),
            (
                "quiet.py",
                "import stripe\n\n\
                 def buy():  # checkout-lint: ignore[CL001] reason: a test double\n    pass\n",
            ),
        ],
    );
    let project = Project::load(Config::defaults(dir.path().to_path_buf()), &[], false);
    assert!(matches!(
        state_of(&project, "expiry.py"),
        FileState::Released(_)
    ));
    for kept in ["config.py", "shop.py", "quiet.py"] {
        assert!(
            matches!(state_of(&project, kept), FileState::Summarised(_)),
            "{kept} was released"
        );
    }

    let outcome = analysis::run(&project, None);
    assert_eq!(outcome.files_parsed, 4);
    assert_one_sanctioned_site(&outcome);
}

/// The analysis reads the project and never changes it: what a lookup summarises again is
/// the lookup's own, so the index keeps the states its passes left, and a second run over
/// the same project reports the same.
#[test]
fn the_analysis_reads_the_project_and_leaves_it_unchanged() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_files(
        dir.path(),
        &[
            ("settings.py", "CHECKOUT_SESSION_TTL_SECONDS = 3600\n"),
            (
                "limits.py",
                "from settings import CHECKOUT_SESSION_TTL_SECONDS as LIMIT\n",
            ),
            // Names neither Stripe nor the constant: the walk passes it by, unheld.
            ("timing.py", "from limits import LIMIT\n"),
            (
                "shop.py",
                "import time\nimport stripe\nfrom timing import LIMIT\n\n\
                 def buy():\n    return stripe.checkout.Session.create(\n        \
                 mode=\"payment\", expires_at=int(time.time()) + LIMIT\n    )\n",
            ),
        ],
    );
    let project = Project::load(Config::defaults(dir.path().to_path_buf()), &[], false);
    let states = |project: &Project| -> Vec<String> {
        let files = &project.files;
        files
            .held()
            .map(|id| format!("{:?}", files.state(id)))
            .collect()
    };
    let before = states(&project);
    let files = &project.files;
    let held: Vec<String> = files.iter().map(|(_, f)| files.rel_path(f)).collect();
    assert!(!held.contains(&"timing.py".to_string()), "{held:?}");

    let first = analysis::run(&project, None);
    assert_one_sanctioned_site(&first);
    assert_eq!(
        states(&project),
        before,
        "the analysis changed what the index holds"
    );

    let second = analysis::run(&project, None);
    assert_eq!(format!("{first:?}"), format!("{second:?}"));
}
