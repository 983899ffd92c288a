//! Reading files again once the project knows more: a whole-tree pass over every file of a
//! language (held ones, and the others walked again), choosing which to summarise anew,
//! and taking the new states in path order. The passes (`passes/`) decide what is new;
//! this module only re-reads.
//!
//! Knows held files, states and the summariser; knows no pass's names nor any rule.

use std::collections::HashSet;

use rayon::prelude::*;

use crate::facts::Language;
use crate::index::files::{FileId, SourceEntry};
use crate::index::project::Project;
use crate::index::state::{whole_tree_state, FileState};
use crate::index::summarise::summarise_for_tree;
use crate::lang::python::{self, ImportsListed};
use crate::workspace::discover::Found;
use crate::workspace::prefilter::Prefilter;

impl Project {
    /// Runs a whole-tree pass over every file of `language`: the held ones with their state
    /// and, with `unheld`, every other (the tree walked again) as `Skipped`, in parallel.
    /// `read` gives the bytes to summarise a file from again, or `None` to leave it. The new
    /// states are taken (`set_states_in_path_order`); a file not held before is held now.
    /// Their ids.
    pub(super) fn each_file(
        &mut self,
        language: Language,
        unheld: bool,
        imports_listed: ImportsListed,
        read: impl Fn(Option<FileId>, &SourceEntry, &FileState) -> Option<Vec<u8>> + Sync,
    ) -> Vec<FileId> {
        let skim = self.skim_needles();
        let mut view = self.view(false, skim.as_ref());
        view.python.imports_listed = imports_listed;
        let files = &self.files;
        let held: Vec<FileId> = files
            .held()
            .filter(|&id| files[id].language() == language)
            .collect();
        let mut updates: Vec<(SourceEntry, FileState)> = Vec::new();
        let mut held_updates: Vec<(FileId, FileState)> = held
            .into_par_iter()
            .filter_map(|id| {
                let file = &files[id];
                let bytes = read(Some(id), file, files.state(id))?;
                Some((id, summarise_for_tree(file, bytes, &view)))
            })
            .collect();
        if unheld && files.any_unheld(language) {
            updates = files.tree().visit_in_parallel(|found| match found {
                Found::Source { path, language: l } if l == language => {
                    if files.held_at(&path).is_some() {
                        return None;
                    }
                    let file = files.entry(path, language);
                    let bytes = read(None, &file, &FileState::Skipped)?;
                    let state = summarise_for_tree(&file, bytes, &view);
                    Some((file, state))
                }
                _ => None,
            });
        }
        updates.sort_by(|(a, _), (b, _)| a.path().cmp(b.path()));
        for (file, state) in updates {
            let id = self.files.hold(file);
            held_updates.push((id, state));
        }
        let ids = held_updates.iter().map(|(id, _)| *id).collect();
        self.set_states_in_path_order(held_updates);
        ids
    }

    /// Takes the states a whole-tree pass made, by file id, in path order (a later file's
    /// re-export of a name replaces an earlier one's).
    pub(super) fn set_states_in_path_order(&mut self, mut updates: Vec<(FileId, FileState)>) {
        let files = &self.files;
        updates.sort_by(|(a, _), (b, _)| files[*a].path().cmp(files[*b].path()));
        for (index, state) in updates {
            let file = &mut self.files[index];
            let state = whole_tree_state(file.language(), state, self.python_exports.as_mut());
            file.set_partial(matches!(state, FileState::Summarised(_)));
            file.set_candidate(true);
            self.files.set_state(index, state);
        }
    }

    /// Summarises again, in parallel, the files of `language` that mention one of
    /// `needles`, now that the project knows more (wrappers, re-exports). With `callees`
    /// (new wrappers' qualified names), a file summarised whole is summarised again only if
    /// it calls one of them; skimmed and unsummarised files are searched for the needles
    /// (in their left-out items; a released file, whose spans are not kept, as a whole).
    pub(super) fn resummarise_mentioning(
        &mut self,
        language: Language,
        needles: &[String],
        callees: Option<&HashSet<String>>,
    ) {
        let prefilter = Prefilter::exact(needles);
        // The prefilter finds a needle inside longer words too; a name is called only where
        // it is written as a whole word (short names, `S`, are inside most files).
        let words = crate::lang::words::WordSet::new(needles.iter().map(|n| n.as_bytes()));
        let imports = ImportsListed::Stripe;
        self.each_file(language, true, imports, |_, file, state| {
            let seen = match state {
                FileState::Summarised(s) => Some((&s.project_callees[..], &s.left_out.spans[..])),
                FileState::Released(r) => Some((r.project_callees(), r.left_out())),
                _ => None,
            };
            match (callees, seen) {
                (Some(callees), Some((project_callees, left_out))) => {
                    if project_callees
                        .iter()
                        .any(|c| name_under(c, callees).is_some())
                    {
                        crate::workspace::source::read(file.path()).ok()
                    } else if !left_out.is_empty() {
                        // A left-out item may call one, by its name or by an alias that a
                        // kept import binds (`from billing import pay as begin`).
                        let bytes = crate::workspace::source::read(file.path()).ok()?;
                        python::may_call_unseen(&bytes, needles, left_out).then_some(bytes)
                    } else {
                        None
                    }
                }
                _ => {
                    let bytes = crate::workspace::source::read(file.path()).ok()?;
                    if !prefilter.matches(&bytes) {
                        return None;
                    }
                    let mut as_word = false;
                    words.find(&bytes, |_, _, _| as_word = true);
                    as_word.then_some(bytes)
                }
            }
        });
    }
}

/// The one of `names` that `callee` (`billing.S.create`) is, or is a name under.
pub(super) fn name_under<'c>(callee: &'c str, names: &HashSet<String>) -> Option<&'c str> {
    let mut name = callee;
    loop {
        if names.contains(name) {
            return Some(name);
        }
        name = name.rsplit_once('.')?.0;
    }
}
