//! Fuzzes the Rust front end: any bytes, decoded as the pipeline decodes a file, then
//! checked for nesting, parsed with syn and summarised. It must never panic or overflow,
//! whatever the input; a parse failure is the expected outcome for most inputs. Skimming
//! (`checkout_lint::lang::skim`) must not change what is found: when the file parses both skimmed
//! and whole, both give the same call sites and routes.

#![no_main]

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use checkout_lint::lang::rust::{self, RustModule, RustProject};
use checkout_lint::workspace::source::{decode, SourceFile};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (text, _) = decode(data.to_vec());
    let module = RustModule {
        key: "app::fuzzed".into(),
        crate_key: "app".into(),
        externs: Arc::new(HashMap::from([("payments".into(), "stripe".into())])),
    };
    let project = RustProject {
        crates: HashSet::from(["app".to_string()]),
        reexports: HashMap::new(),
        // Another module's endpoint constant, so that POSTs to it are sites here.
        endpoint_constants: HashSet::from(["app::endpoints::SESSIONS_URL".to_string()]),
        ..RustProject::default()
    };
    let needles = rust::skim_needles("CHECKOUT_SESSION_TTL_SECONDS", &project);
    let skimmed = rust::summarize(&text, &module, &project, Some(&needles));
    let whole = rust::summarize(&text, &module, &project, None);
    if let (Ok(skimmed), Ok(whole)) = (&skimmed, &whole) {
        assert_eq!(format!("{:?}", skimmed.call_sites), format!("{:?}", whole.call_sites));
        assert_eq!(format!("{:?}", skimmed.routes), format!("{:?}", whole.routes));
    }
    if let Ok(summary) = skimmed {
        // Every span a summary hands out must map to a position in the file.
        let file = SourceFile::new("fuzzed.rs".into(), "fuzzed.rs".into(), text);
        for site in &summary.call_sites {
            let _ = file.position(site.span.start);
            let _ = file.position(site.span.end);
        }
    }
});
