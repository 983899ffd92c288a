//! `check --fix` and `--diff`: applies the fixes the analysis planned to the files' texts,
//! in memory, and keeps a file's edits only when the analysis of the fixed tree agrees —
//! the file parses, the findings fixed are gone, and nothing new appeared. Rounds repeat
//! (bounded) for fixes that overlapped others, as ruff does.
//!
//! Knows edits and the `Outcome`s of analyses; how to run one is the caller's (`reanalyse`)
//! and so is writing files (atomically, in `cli`). Knows no syntax but "does it parse".

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::analysis::{Diagnostic, Outcome};
use crate::facts::fix::{Safety, TextEdit};
use crate::rules::RuleCode;
use crate::workspace::source;

/// Rounds of fixing before the rest is left for the next run (ruff stops at 100; our
/// fixes rarely overlap, and a round is a whole analysis).
const MAX_ROUNDS: usize = 4;

/// A file `--fix` changes: what it held and what it will hold (a BOM kept).
pub struct ChangedFile {
    pub abs_path: PathBuf,
    pub rel_path: String,
    pub before: Vec<u8>,
    pub after: Vec<u8>,
}

/// What a fixing run did.
pub struct FixRun {
    /// The analysis of the tree as it is once `changed` is written.
    pub outcome: Outcome,
    /// Sorted by path.
    pub changed: Vec<ChangedFile>,
    /// Findings fixed.
    pub fixed: usize,
    /// Files whose fixes were dropped, and why (sorted by path).
    pub untouched: Vec<(String, String)>,
    /// Findings left whose fix is unsafe (not asked for), by rule.
    pub unsafe_left: BTreeMap<RuleCode, usize>,
    /// Some of those fixes also edit another file (a CL001 fix defining the constant).
    pub unsafe_left_define: bool,
}

/// Applies every fix of `first`'s diagnostics that `in_scope` accepts (safe ones, and unsafe
/// ones with `unsafe_fixes`), checking each round with `reanalyse`, which must analyse
/// the tree as `source::read` shows it.
pub fn run(
    first: Outcome,
    in_scope: &dyn Fn(&str) -> bool,
    unsafe_fixes: bool,
    reanalyse: &mut dyn FnMut() -> Outcome,
) -> FixRun {
    let root = first.root.clone();
    let mut outcome = first;
    let mut texts = Texts::default();
    let mut fixed = 0;
    let mut untouched: BTreeMap<String, String> = BTreeMap::new();
    for _ in 0..MAX_ROUNDS {
        let wanted = |d: &&Diagnostic| {
            d.fix.as_ref().is_some_and(|fix| {
                (fix.safety == Safety::Safe || unsafe_fixes)
                    && in_scope(&d.path)
                    && fix.edits.iter().all(|e| !untouched.contains_key(&e.path))
            })
        };
        let candidates: Vec<&Diagnostic> = outcome.diagnostics.iter().filter(wanted).collect();
        if candidates.is_empty() {
            break;
        }
        let mut round = Round::new(&root);
        for diagnostic in candidates {
            round.take(diagnostic);
        }
        let Some(proposed) = round.apply(&texts, &mut untouched) else {
            continue;
        };
        let after = source::with_overlay(proposed.overlay(), &mut *reanalyse);
        let rejected = round.verify(&outcome, &after);
        if rejected.is_empty() {
            fixed += round.fixed.len();
            texts = proposed;
            outcome = after;
        } else {
            untouched.extend(rejected);
        }
    }
    // A fix that was tried and refused is not offered again in the report.
    for d in &mut outcome.diagnostics {
        if (d.fix.as_ref()).is_some_and(|f| f.edits.iter().any(|e| untouched.contains_key(&e.path)))
        {
            d.fix = None;
        }
    }
    let unsafe_left = unsafe_counts(&outcome, in_scope);
    let unsafe_left_define = outcome.diagnostics.iter().any(|d| {
        d.fix
            .as_ref()
            .is_some_and(|f| f.safety == Safety::Unsafe && f.edits.iter().any(|e| e.path != d.path))
            && in_scope(&d.path)
    });
    FixRun {
        changed: texts.changed(),
        outcome,
        fixed,
        untouched: untouched.into_iter().collect(),
        unsafe_left,
        unsafe_left_define,
    }
}

/// Findings whose fix is unsafe, by rule.
fn unsafe_counts(outcome: &Outcome, in_scope: &dyn Fn(&str) -> bool) -> BTreeMap<RuleCode, usize> {
    let mut counts = BTreeMap::new();
    for d in &outcome.diagnostics {
        if d.fix.as_ref().is_some_and(|f| f.safety == Safety::Unsafe) && in_scope(&d.path) {
            *counts.entry(d.rule).or_default() += 1;
        }
    }
    counts
}

/// The files changed so far: their contents on disk and as fixed.
#[derive(Clone, Default)]
struct Texts {
    files: BTreeMap<String, ChangedText>,
}

#[derive(Clone)]
struct ChangedText {
    abs_path: PathBuf,
    before: Vec<u8>,
    /// Without the BOM, which `bom` puts back.
    after: String,
    bom: bool,
}

impl Texts {
    /// A file's current text (fixed so far, or as on disk) and whether it has a BOM.
    fn current(&self, root: &Path, rel_path: &str) -> Option<ChangedText> {
        if let Some(text) = self.files.get(rel_path) {
            return Some(text.clone());
        }
        let abs_path = root.join(rel_path);
        let before = std::fs::read(&abs_path).ok()?;
        let bom = before.starts_with(b"\xEF\xBB\xBF");
        let after = String::from_utf8(before[if bom { 3 } else { 0 }..].to_vec()).ok()?;
        Some(ChangedText {
            abs_path,
            before,
            after,
            bom,
        })
    }

    fn overlay(&self) -> HashMap<PathBuf, Arc<[u8]>> {
        (self.files.values())
            .map(|t| (t.abs_path.clone(), Arc::from(t.bytes())))
            .collect()
    }

    fn changed(self) -> Vec<ChangedFile> {
        (self.files.into_iter())
            .map(|(rel_path, text)| ChangedFile {
                after: text.bytes(),
                abs_path: text.abs_path,
                rel_path,
                before: text.before,
            })
            .filter(|f| f.before != f.after)
            .collect()
    }
}

impl ChangedText {
    fn bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(self.after.len() + 3);
        if self.bom {
            bytes.extend_from_slice(b"\xEF\xBB\xBF");
        }
        bytes.extend_from_slice(self.after.as_bytes());
        bytes
    }
}

/// One round: the fixes taken (none overlapping another), by file.
struct Round<'o> {
    root: &'o Path,
    edits: BTreeMap<String, Vec<TextEdit>>,
    fixed: Vec<&'o Diagnostic>,
}

impl<'o> Round<'o> {
    fn new(root: &'o Path) -> Self {
        Round {
            root,
            edits: BTreeMap::new(),
            fixed: Vec::new(),
        }
    }

    /// Takes a diagnostic's fix unless one of its edits overlaps an edit already taken
    /// (an identical edit, such as the same import for two sites, is taken once).
    fn take(&mut self, diagnostic: &'o Diagnostic) {
        let Some(fix) = &diagnostic.fix else { return };
        let mut new = Vec::new();
        for edit in &fix.edits {
            let taken = self.edits.get(&edit.path).map(Vec::as_slice).unwrap_or(&[]);
            if taken.contains(edit) || new.contains(&edit) {
                continue;
            }
            if taken.iter().any(|t| overlaps(t, edit)) {
                return;
            }
            new.push(edit);
        }
        for edit in new {
            self.edits
                .entry(edit.path.clone())
                .or_default()
                .push(edit.clone());
        }
        self.fixed.push(diagnostic);
    }

    /// The texts with this round's edits; a file that no longer parses, or cannot be read,
    /// is left out, with why.
    fn apply(&self, texts: &Texts, untouched: &mut BTreeMap<String, String>) -> Option<Texts> {
        let mut next = texts.clone();
        let mut failed = false;
        for (rel_path, edits) in &self.edits {
            let Some(mut text) = texts.current(self.root, rel_path) else {
                untouched.insert(rel_path.clone(), "it cannot be read as UTF-8 text".into());
                failed = true;
                continue;
            };
            // Applied from the end; of two insertions at one offset the one listed first
            // ends up first, as a client applying the listed edits in order would have it.
            let mut edits: Vec<(usize, &TextEdit)> = edits.iter().enumerate().collect();
            edits.sort_by_key(|(i, e)| std::cmp::Reverse((e.start, e.end, *i)));
            for (_, edit) in edits {
                if edit.end > text.after.len() || !text.after.is_char_boundary(edit.start) {
                    failed = true;
                    untouched.insert(
                        rel_path.clone(),
                        "the file changed while it was analysed".into(),
                    );
                    break;
                }
                text.after
                    .replace_range(edit.start..edit.end, &edit.content);
            }
            if !crate::lang::parses(Path::new(rel_path), &text.after) {
                untouched.insert(rel_path.clone(), "the fixed file would not parse".into());
                failed = true;
                continue;
            }
            next.files.insert(rel_path.clone(), text);
        }
        (!failed).then_some(next)
    }

    /// The files whose fixes the analysis of the fixed tree does not confirm, and why: a
    /// fixed finding still there, or a finding that was not there before.
    fn verify(&self, before: &Outcome, after: &Outcome) -> BTreeMap<String, String> {
        let count = |outcome: &Outcome, path: &str| {
            let mut counts: BTreeMap<RuleCode, isize> = BTreeMap::new();
            for d in outcome.diagnostics.iter().filter(|d| d.path == path) {
                *counts.entry(d.rule).or_default() += 1;
            }
            counts
        };
        let mut rejected = BTreeMap::new();
        // A fix adds to a call: every call site of the file is still one afterwards (an
        // edit that lands in another call would make its site vanish, not pass).
        let sites = |outcome: &Outcome, path: &str| {
            outcome.call_sites.iter().filter(|s| s.path == path).count()
        };
        for path in self.edits.keys() {
            if sites(after, path) != sites(before, path) {
                rejected.insert(
                    path.clone(),
                    "the fixed file would not have the same call sites".to_string(),
                );
            }
            let mut expected = count(before, path);
            for d in self.fixed.iter().filter(|d| d.path == *path) {
                *expected.entry(d.rule).or_default() -= 1;
            }
            for (rule, found) in count(after, path) {
                let allowed = expected.get(&rule).copied().unwrap_or(0);
                if found > allowed {
                    let why = if allowed < count(before, path).get(&rule).copied().unwrap_or(0) {
                        format!("{} was still reported after the fix", rule.code())
                    } else {
                        format!("the fix would bring a new {} finding", rule.code())
                    };
                    rejected.insert(path.clone(), why);
                }
            }
        }
        // Elsewhere, a fix may break what another file relies on (a definition it imports).
        for rule in [RuleCode::CL008, RuleCode::CL009] {
            let n = |o: &Outcome| o.diagnostics.iter().filter(|d| d.rule == rule).count();
            if n(after) > n(before) && rejected.is_empty() {
                for path in self.edits.keys() {
                    rejected.insert(
                        path.clone(),
                        format!("the fix would bring a new {} finding", rule.code()),
                    );
                }
            }
        }
        rejected
    }
}

/// Whether two edits of one file touch the same text (two insertions at one offset do:
/// their order would matter).
fn overlaps(a: &TextEdit, b: &TextEdit) -> bool {
    a.path == b.path && a.start < b.end.max(b.start + 1) && b.start < a.end.max(a.start + 1)
}
