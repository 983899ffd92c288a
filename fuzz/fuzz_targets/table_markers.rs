//! Fuzzes the runbook's marker parser and splice: any document either yields a block or a
//! marker error, and splicing a table into a located block never panics and keeps every
//! byte outside the block.

#![no_main]

use checkout_lint::runbook;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(doc) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(block) = runbook::locate(doc) {
        let lines = vec!["| # | Call site |".to_string(), "|---|---|".to_string()];
        let spliced = runbook::splice(doc, &block, &lines);
        assert!(spliced.starts_with(&doc[..block.content.start]));
        assert!(spliced.ends_with(&doc[block.content.end..]));
    }
});
