//! Fuzzes the Python front end: any bytes, decoded as the pipeline decodes a file, then
//! parsed and summarised. It must never panic, whatever the input; `summarize` returning a
//! parse failure is the expected outcome for most inputs. Skimming (`checkout_lint::lang::skim`)
//! must not change what is found: when the file parses both skimmed and whole, both give
//! the same call sites and wrappers, and every re-export found whole is found skimmed.

#![no_main]

use std::collections::{HashMap, HashSet};

use checkout_lint::lang::python::{self, ImportsListed, ProjectView};
use checkout_lint::workspace::source::{decode, SourceFile};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (text, _) = decode(data.to_vec());
    let project_modules: HashSet<String> = ["app".to_string(), "app.config".to_string()].into();
    let wrappers = HashMap::new();
    let reexports = HashMap::from([(
        "app.config.S".to_string(),
        "stripe.checkout.Session".to_string(),
    )]);
    let reexported_names: HashSet<String> = ["S".to_string()].into();
    let needles = python::skim_needles("CHECKOUT_SESSION_TTL_SECONDS", &wrappers, &reexports);
    let view = |skim| ProjectView {
        project_modules: &project_modules,
        wrappers: &wrappers,
        reexports: &reexports,
        reexported_names: &reexported_names,
        imports_listed: ImportsListed::Stripe,
        helper_functions: true,
        skim,
    };
    let summary = python::summarize(&text, "app.fuzzed", false, &view(Some(&needles)));
    let whole = python::summarize(&text, "app.fuzzed", false, &view(None));
    if let (Ok(skimmed), Ok(whole)) = (&summary, &whole) {
        assert_eq!(format!("{:?}", skimmed.call_sites), format!("{:?}", whole.call_sites));
        assert_eq!(format!("{:?}", skimmed.wrappers), format!("{:?}", whole.wrappers));
        for reexport in &whole.reexports {
            assert!(skimmed.reexports.contains(reexport), "{reexport:?} lost by skimming");
        }
    }
    // Every span a summary hands out must map to a position in the file.
    if let Ok(summary) = summary {
        let file = SourceFile::new("fuzzed.py".into(), "fuzzed.py".into(), text);
        for site in &summary.call_sites {
            let _ = file.position(site.span.start);
            let _ = file.position(site.span.end);
        }
    }
});
