//! The baseline: findings accepted as they are, so a gate can be adopted on a code base
//! that already has some and only new ones fail.
//!
//! An entry is keyed by rule, path, enclosing function and the code the finding points at
//! written back from its tokens (`Diagnostic::key_text`), never by line, and carries a
//! count: moving, reformatting or commenting code keeps findings baselined, while a second
//! identical violation in the same function exceeds the count and is new. Entries that
//! match nothing any more are *stale* and returned to the caller to report. The file is
//! JSON, sorted, versioned.
//!
//! Version 2 (written since identities are made from tokens) keys on `key_text`. A
//! version 1 file is still read, and its entries match on the identity it was written with
//! (`Diagnostic::legacy_key_text`: blanks removed, comments kept); `--write-baseline`
//! rewrites it as version 2. Language-neutral: it sees only `Outcome`s.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::analysis::{Diagnostic, Outcome, SuppressedDiagnostic, SuppressionKind};
use crate::error::{Result, ToolError};
use crate::rules::RuleCode;

/// The version of the file format this build writes.
pub const VERSION: u64 = 2;

/// The version whose `code` is `Diagnostic::legacy_key_text`; still read.
pub const LEGACY_VERSION: u64 = 1;

/// One accepted finding (or `count` identical ones).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub path: String,
    /// The rule code (`CL001`); a rule id is accepted when reading.
    pub rule: String,
    pub function: String,
    pub code: String,
    pub count: usize,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u64,
    pub tool: String,
    pub entries: Vec<Entry>,
}

/// An entry (or part of its count) that matched no finding.
#[derive(Clone, Debug)]
pub struct StaleEntry {
    pub entry: Entry,
    /// How many of `entry.count` found no finding.
    pub unmatched: usize,
}

type Key = (String, RuleCode, String, String);

/// A finding's key in a baseline of `version`.
fn key(d: &Diagnostic, version: u64) -> Key {
    let code = if version == LEGACY_VERSION {
        &d.legacy_key_text
    } else {
        &d.key_text
    };
    (d.path.clone(), d.rule, d.function.clone(), code.clone())
}

impl Baseline {
    /// The baseline that accepts every finding the outcome reports.
    pub fn from_outcome(outcome: &Outcome) -> Baseline {
        let mut counts: BTreeMap<Key, usize> = BTreeMap::new();
        for d in &outcome.diagnostics {
            *counts.entry(key(d, VERSION)).or_default() += 1;
        }
        let entries = counts
            .into_iter()
            .map(|((path, rule, function, code), count)| Entry {
                path,
                rule: rule.code().to_string(),
                function,
                code,
                count,
            })
            .collect();
        Baseline {
            version: VERSION,
            tool: "checkout-lint".into(),
            entries,
        }
    }

    /// The file's text: pretty JSON, entries sorted, so the same findings give the same bytes.
    pub fn to_json(&self) -> String {
        let mut text =
            serde_json::to_string_pretty(self).expect("a baseline always serialises to JSON");
        text.push('\n');
        text
    }

    /// Reads a baseline file's text; `name` is used in errors.
    pub fn parse(text: &str, name: &str) -> Result<Baseline> {
        let help = "regenerate it with `checkout-lint check --write-baseline FILE`";
        let baseline: Baseline = serde_json::from_str(text).map_err(|e| {
            ToolError::new(format!("{name} is not a checkout-lint baseline: {e}")).with_help(help)
        })?;
        if baseline.version != VERSION && baseline.version != LEGACY_VERSION {
            return Err(ToolError::new(format!(
                "{name} is a version {} baseline; this checkout-lint reads versions {LEGACY_VERSION} and {VERSION}",
                baseline.version
            ))
            .with_help(help));
        }
        if let Some(bad) = baseline
            .entries
            .iter()
            .find(|e| RuleCode::parse(&e.rule).is_none())
        {
            return Err(
                ToolError::new(format!("{name} names an unknown rule `{}`", bad.rule))
                    .with_help(help),
            );
        }
        Ok(baseline)
    }

    /// For a version 1 file: one line saying it still matches and how to upgrade it.
    pub fn upgrade_note(&self, name: &str) -> Option<String> {
        (self.version == LEGACY_VERSION).then(|| {
            format!(
                "checkout-lint: {name} is a version {LEGACY_VERSION} baseline; its entries still match. \
                 `--write-baseline {name}` rewrites it as version {VERSION}, whose entries also survive comment edits"
            )
        })
    }

    /// Moves every reported finding that the baseline accepts into `outcome.suppressed`
    /// (justification names `source`), and returns the entries that matched nothing.
    /// `in_scope` says whether a path was checked at all (explicit PATHs check only some
    /// files; entries elsewhere are not stale).
    pub fn apply(
        &self,
        outcome: &mut Outcome,
        source: &str,
        in_scope: impl Fn(&str) -> bool,
    ) -> Vec<StaleEntry> {
        let mut remaining: BTreeMap<Key, usize> = BTreeMap::new();
        for e in &self.entries {
            if let Some(rule) = RuleCode::parse(&e.rule) {
                let k = (e.path.clone(), rule, e.function.clone(), e.code.clone());
                *remaining.entry(k).or_default() += e.count;
            }
        }
        let mut kept = Vec::new();
        for d in std::mem::take(&mut outcome.diagnostics) {
            match remaining.get_mut(&key(&d, self.version)) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    outcome.suppressed.push(SuppressedDiagnostic {
                        diagnostic: d,
                        kind: SuppressionKind::Baseline,
                        justification: format!("accepted in the baseline {source}"),
                    });
                }
                _ => kept.push(d),
            }
        }
        outcome.diagnostics = kept;
        outcome.suppressed.sort_by(|a, b| {
            let (a, b) = (&a.diagnostic, &b.diagnostic);
            (&a.path, a.start, a.rule).cmp(&(&b.path, b.start, b.rule))
        });
        self.entries
            .iter()
            .filter_map(|e| {
                let rule = RuleCode::parse(&e.rule)?;
                let k = (e.path.clone(), rule, e.function.clone(), e.code.clone());
                let left = remaining.get_mut(&k)?;
                let unmatched = (*left).min(e.count);
                *left -= unmatched;
                (unmatched > 0 && in_scope(&e.path)).then(|| StaleEntry {
                    entry: e.clone(),
                    unmatched,
                })
            })
            .collect()
    }
}
