//! Stable identities for findings, shared by SARIF `partialFingerprints` and GitLab's
//! `fingerprint`: rule + repo-relative path + enclosing function + normalised code (the
//! baseline's key) + an occurrence number among identical findings. No line numbers, so a
//! finding keeps its identity when code above it moves, and code scanning de-duplicates it.

use std::collections::HashMap;

use crate::analysis::{Diagnostic, Outcome};

/// The fingerprints of an outcome, index-aligned with its two lists.
pub struct Fingerprints {
    pub reported: Vec<String>,
    pub suppressed: Vec<String>,
}

impl Fingerprints {
    pub fn of(outcome: &Outcome) -> Self {
        let reported = outcome.diagnostics.iter().map(|d| (d, true));
        let suppressed = outcome.suppressed.iter().map(|s| (&s.diagnostic, false));
        let mut all: Vec<(usize, (&Diagnostic, bool))> =
            reported.enumerate().chain(suppressed.enumerate()).collect();
        // Occurrences count in source order over both lists, so baselining or suppressing
        // one of two identical findings does not change the other's identity.
        all.sort_by(|(_, (a, _)), (_, (b, _))| {
            (&a.path, a.start, a.rule).cmp(&(&b.path, b.start, b.rule))
        });
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut prints = Fingerprints {
            reported: vec![String::new(); outcome.diagnostics.len()],
            suppressed: vec![String::new(); outcome.suppressed.len()],
        };
        for (index, (d, is_reported)) in all {
            let identity = format!(
                "{}\u{0}{}\u{0}{}\u{0}{}",
                d.rule.code(),
                super::repo_relative(&d.abs_path, &d.path),
                d.function,
                d.key_text
            );
            let occurrence = seen.entry(identity.clone()).or_default();
            *occurrence += 1;
            let hash = stable_hash(&format!("{identity}\u{0}{occurrence}"));
            let list = if is_reported {
                &mut prints.reported
            } else {
                &mut prints.suppressed
            };
            list[index] = hash;
        }
        prints
    }
}

/// FNV-1a, printed as hex: stable across runs and platforms (unlike `DefaultHasher`).
fn stable_hash(text: &str) -> String {
    let mut hash: u64 = 0xcbf29ce484222325;
    for byte in text.bytes() {
        hash ^= byte as u64;
        hash = hash.wrapping_mul(0x100000001b3);
    }
    format!("{hash:016x}")
}
