//! Stable identities for findings, shared by SARIF `partialFingerprints` and GitLab's
//! `fingerprint`: rule + repo-relative path + enclosing function + normalised code (the
//! baseline's key) + an occurrence number among identical findings. No line numbers, so a
//! finding keeps its identity when code above it moves, and code scanning de-duplicates it.

use std::collections::{BTreeMap, HashMap};

use crate::analysis::{Diagnostic, Outcome};
use crate::model::RuleCode;
use crate::source::Position;

type Site = (String, Position, RuleCode);

/// The fingerprint of every diagnostic of an outcome, reported or suppressed.
pub struct Fingerprints {
    by_site: BTreeMap<Site, String>,
}

impl Fingerprints {
    pub fn of(outcome: &Outcome) -> Self {
        let mut all: Vec<&Diagnostic> = outcome
            .diagnostics
            .iter()
            .chain(outcome.suppressed.iter().map(|s| &s.diagnostic))
            .collect();
        // Occurrences count in source order over both lists, so baselining or suppressing
        // one of two identical findings does not change the other's identity.
        all.sort_by(|a, b| (&a.path, a.start, a.rule).cmp(&(&b.path, b.start, b.rule)));
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut by_site = BTreeMap::new();
        for d in all {
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
            by_site.insert((d.path.clone(), d.start, d.rule), hash);
        }
        Fingerprints { by_site }
    }

    pub fn get(&self, d: &Diagnostic) -> &str {
        self.by_site
            .get(&(d.path.clone(), d.start, d.rule))
            .map_or("", String::as_str)
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
