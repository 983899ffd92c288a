//! The Python re-export pass. Python modules that bind Stripe's names under their own
//! (`from stripe.checkout import Session as S`, `make = stripe.checkout.Session.create`):
//! once known, the files that may reach a create method through one of them are
//! summarised again, so `from billing import S; S.create(..)` is a create site. Names
//! re-exported from package `__init__`s are followed to a fixpoint: each round may read a
//! module that re-exports a name found in the round before (`from .client import S`).
//!
//! Knows which Python files to read again and why; the chains themselves are
//! `python_chains`', the names' users `reexport_users`'. Knows no rule.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use super::python_chains::follow_reexports;
use super::reexport_users::ReexportUsers;
use super::Pass;
use crate::facts::{ByteSpan, Language};
use crate::index::files::FileId;
use crate::index::project::Project;
use crate::index::resummarise::name_under;
use crate::index::state::{FileState, WHOLE_FILE};
use crate::index::summarise::summarise_for_tree;
use crate::lang::python::ImportsListed;

/// The Python re-export pass (see the module's header), with what it carries from round to
/// round.
pub(super) struct PythonReexports {
    /// Every re-export the summaries listed so far, keyed `module.name`.
    exports: HashMap<String, String>,
    /// The modules read for their imports.
    read: HashSet<usize>,
    /// Of those, the ones read only for their imports (their calls do not count).
    imports_only: HashSet<usize>,
}

/// What a round found: the re-exports followed to their ends, the keys that are new or
/// changed, and the modules to read for their imports.
pub(super) struct Found {
    found: HashMap<String, String>,
    new: HashSet<String>,
    wanted: HashSet<usize>,
}

impl PythonReexports {
    /// The pass over what the summaries listed; `None` once it has run.
    pub(super) fn start(project: &mut Project) -> Option<PythonReexports> {
        let exports = project.python_exports.take()?;
        Some(PythonReexports {
            exports,
            read: HashSet::new(),
            imports_only: HashSet::new(),
        })
    }
}

impl Pass for PythonReexports {
    type News = Found;

    fn news(&mut self, project: &mut Project) -> Option<Found> {
        let found = follow_reexports(&self.exports);
        let new: HashSet<String> = found
            .iter()
            .filter(|(key, target)| project.python_reexports.get(*key) != Some(*target))
            .map(|(key, _)| key.clone())
            .collect();
        let mut wanted: HashSet<usize> = project
            .modules_to_read(&self.exports, &self.imports_only)
            .iter()
            .filter_map(|module| project.files.hold_module(module, Language::Python))
            .collect();
        wanted.retain(|index| !self.read.contains(index));
        if new.is_empty() && wanted.is_empty() {
            return None;
        }
        Some(Found { found, new, wanted })
    }

    fn take(&mut self, project: &mut Project, Found { found, new, wanted }: Found) {
        project.python_exports = Some(HashMap::new());
        if !wanted.is_empty() {
            self.imports_only.extend(
                wanted
                    .iter()
                    .filter(|&&index| matches!(project.files.state(index), FileState::Skipped)),
            );
            project.read_for_reexports(&wanted);
            self.read.extend(wanted);
        }
        if !new.is_empty() {
            let users = ReexportUsers::new(new, &found);
            project.python_reexported_names = found
                .keys()
                .filter_map(|key| Some(key.rsplit_once('.')?.1.to_string()))
                .collect();
            project.python_reexports = found;
            for index in project.resummarise_reexport_users(&users, &self.imports_only) {
                self.imports_only.remove(&index);
            }
            let mut importers = project.modules_naming(&users);
            importers.retain(|index| !self.read.contains(index));
            if !importers.is_empty() {
                project.read_for_reexports(&importers);
                self.read.extend(importers);
            }
        }
        self.exports
            .extend(project.python_exports.take().unwrap_or_default());
    }
}

impl Project {
    /// The parsed Python modules (other than the one that binds it) that spell a new name for
    /// a create method (`make_session`): one may pass it on under its own name (`from
    /// payments import make_session as begin`), which only reading its imports can tell,
    /// and a module that calls `begin(..)` may never spell "checkout". Such names are rare,
    /// so this seldom reads a file.
    fn modules_naming(&self, users: &ReexportUsers) -> HashSet<usize> {
        if users.methods.is_empty() {
            return HashSet::new();
        }
        let held: Vec<FileId> = self.files.held().collect();
        held.into_par_iter()
            .filter_map(|index| {
                let file = &self.files[index];
                let parsed = matches!(
                    self.files.state(index),
                    FileState::Summarised(_) | FileState::Released(_)
                );
                if file.language() != Language::Python || !parsed {
                    return None;
                }
                let bytes = crate::workspace::source::read(file.path()).ok()?;
                let module = file.module().unwrap_or_default().0;
                users
                    .spells_one(&bytes, module, false, |_| true)
                    .then_some(index)
            })
            .collect()
    }

    /// Summarises the given Python modules again, listing every name they import among their
    /// re-exports (`ImportsListed::All`).
    fn read_for_reexports(&mut self, wanted: &HashSet<usize>) {
        let skim = self.skim_needles();
        let mut view = self.view(false, skim.as_ref());
        view.python.imports_listed = ImportsListed::All;
        let mut wanted: Vec<FileId> = wanted.iter().copied().collect();
        wanted.sort_unstable();
        let updates: Vec<(usize, FileState)> = wanted
            .into_par_iter()
            .filter_map(|index| {
                let file = &self.files[index];
                let bytes = crate::workspace::source::read(file.path()).ok()?;
                Some((index, summarise_for_tree(file, bytes, &view)))
            })
            .collect();
        self.set_states_in_path_order(updates);
    }

    /// Summarises again, in parallel, the Python files that may reach a create method
    /// through one of the new re-exports, knowing them now.
    fn resummarise_reexport_users(
        &mut self,
        users: &ReexportUsers,
        imports_only: &HashSet<usize>,
    ) -> Vec<usize> {
        // A file that spells a name standing for a Stripe one may pass it on under another
        // (`from zed import S as N1`): it is a link of a chain, so all its imports are listed.
        let imports = ImportsListed::Project;
        // Files not held were never parsed: only a name that hides "checkout" can be used
        // unseen in one.
        let unheld = users.may_hide_a_use(true);
        self.each_file(Language::Python, unheld, imports, |index, file, state| {
            let (callees, left_out): (&[String], &[ByteSpan]) = match state {
                FileState::Summarised(s) => (&s.project_callees, &s.left_out.spans),
                FileState::Released(r) => (r.project_callees(), r.left_out()),
                FileState::Skipped => (&[], WHOLE_FILE),
                _ => return None,
            };
            let called = callees
                .iter()
                .any(|callee| name_under(callee, &users.keys).is_some());
            if called {
                return crate::workspace::source::read(file.path()).ok();
            }
            // A file never parsed, or read only for its imports (whose calls did not count:
            // `Project::modules_to_read`), may use a name that stands for a Stripe one
            // anywhere; a parsed file, in a left-out item, where it may also call a new name
            // for a create method.
            let never_parsed = matches!(state, FileState::Skipped);
            let unparsed = never_parsed || index.is_some_and(|i| imports_only.contains(&i));
            let in_left_out = !never_parsed && !left_out.is_empty() && users.may_hide_a_use(false);
            let anywhere = unparsed && users.may_hide_a_use(true);
            if !anywhere && !in_left_out {
                return None;
            }
            let bytes = crate::workspace::source::read(file.path()).ok()?;
            let module = file.module().unwrap_or_default().0;
            let may_use = (anywhere && users.may_use_unseen(&bytes, module, WHOLE_FILE, true))
                || (in_left_out && users.may_use_unseen(&bytes, module, left_out, false));
            may_use.then_some(bytes)
        })
    }
}
