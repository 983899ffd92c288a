//! The incident's code base, before and after the hand-made fix (seed 000): the first real
//! case the tool must handle.

mod common;

use std::path::Path;

use common::{check_json, stable};

#[test]
fn before_the_fix_reports_exactly_the_eight_sites_each_cl001() {
    let (code, report) = check_json(Path::new("fixtures/basketball_api"));
    assert_eq!(code, 1);
    let diagnostics = report["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 8, "{diagnostics:#?}");
    assert!(diagnostics.iter().all(|d| d["code"] == "CL001"));
    let sites = report["call_sites"].as_array().unwrap();
    assert_eq!(sites.len(), 8);
    // The docstring mention in scripts/ and the mocks in tests/ are not call sites.
    assert!(sites.iter().all(|s| s["path"]
        .as_str()
        .unwrap()
        .starts_with("src/basketball_api/")));
    // The admin handler's late `import stripe` is seen.
    assert!(sites
        .iter()
        .any(|s| s["function"] == "send_payment_recovery"
            && s["route"] == "POST /admin/send-payment-recovery"));
    insta::assert_json_snapshot!("basketball_before", stable(report));
}

#[test]
fn after_the_fix_reports_only_the_thirty_day_constant() {
    let (code, report) = check_json(Path::new("fixtures/basketball_api_fixed"));
    assert_eq!(code, 1);
    let diagnostics = report["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    let d = &diagnostics[0];
    assert_eq!(d["code"], "CL003");
    assert_eq!(d["path"], "src/basketball_api/config.py");
    let message = d["message"].as_str().unwrap();
    assert!(message.contains("30 days = 2592000 s"), "{message}");
    assert!(message.contains("1800..=86400"), "{message}");
    let help = d["help"].as_str().unwrap();
    assert!(
        help.contains("lazy mint") && help.contains("Payment Links"),
        "{help}"
    );
    let sites = report["call_sites"].as_array().unwrap();
    assert_eq!(sites.len(), 8);
    for site in sites {
        assert_eq!(site["status"], "sanctioned", "{site:#?}");
        assert_eq!(
            site["expires_at"],
            "int(time.time()) + CHECKOUT_SESSION_TTL_SECONDS"
        );
    }
    insta::assert_json_snapshot!("basketball_after", stable(report));
}
