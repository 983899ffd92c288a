//! The thin-wrapper pass. Thin wrappers (a project function that creates a session from
//! what its caller passes) and endpoint helpers (one that POSTs a form to a path its caller
//! passes) are judged at their callers: the files that mention a new one's name are
//! summarised again, now knowing it, until no new one appears.
//!
//! Python summaries list both; Rust summaries list their endpoint helpers, and the project
//! functions they pass the endpoint's path to without knowing them: the module that
//! defines such a function is read here when nothing read it yet (a helper's own file need
//! not spell "checkout"), following the `use`s read so far (a helper re-exported by
//! another module, `pub use stripe_api::stripe_post as send;`, is the helper there too).
//!
//! Knows the wrappers the summaries list and where a Rust path's module is; knows no rule.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use super::Pass;
use crate::facts::{Language, Term};
use crate::index::files::FileId;
use crate::index::project::Project;
use crate::index::state::{path_uses, FileState};
use crate::index::summarise::summarise_for_tree;
use crate::lang::python::KnownWrapper;
use crate::lang::rust::EndpointHelper;

/// The thin-wrapper pass (see the module's header), with the Rust modules it has read for
/// their helpers.
#[derive(Default)]
pub(super) struct Wrappers {
    read: HashSet<FileId>,
}

/// What a round found: every Python wrapper the summaries list, by `module.name`, and the
/// keys of the new ones; every Rust endpoint helper, by `module::name`, and the new ones;
/// the Rust modules to read for the helpers their callers name.
pub(super) struct Found {
    wrappers: HashMap<String, KnownWrapper>,
    new: Vec<String>,
    helpers: HashMap<String, EndpointHelper>,
    new_helpers: Vec<String>,
    wanted: Vec<FileId>,
}

impl Pass for Wrappers {
    type News = Found;

    fn news(&mut self, project: &mut Project) -> Option<Found> {
        let mut found = HashMap::new();
        let mut helpers = HashMap::new();
        let mut callees: Vec<String> = Vec::new();
        // Rust `use`s of project paths (`app::stripe_post` → `app::stripe_api::stripe_post`).
        let mut uses: HashMap<String, String> = HashMap::new();
        let mut note_use = |key: String, term: &Term| {
            if let Term::Symbol(s) = term {
                uses.insert(key, format!("{}::{}", s.module, s.name));
            }
        };
        for (index, file) in project.files.iter() {
            let summary = match project.files.state(index) {
                FileState::Summarised(summary) => summary,
                FileState::Released(residue) if file.language() == Language::Rust => {
                    callees.extend_from_slice(residue.project_callees());
                    for (key, term) in residue.uses() {
                        note_use(key.clone(), term);
                    }
                    continue;
                }
                _ => continue,
            };
            for (key, term) in path_uses(summary) {
                note_use(key, term);
            }
            for wrapper in &summary.wrappers {
                if wrapper.symbol.language == Language::Rust {
                    helpers.extend(EndpointHelper::from_wrapper(wrapper));
                    continue;
                }
                let key = format!("{}.{}", wrapper.symbol.module, wrapper.symbol.name);
                found.insert(
                    key,
                    KnownWrapper {
                        forwarding: wrapper.forwarding.clone(),
                        api: wrapper.site.api.clone(),
                        path: wrapper.path.clone(),
                    },
                );
            }
            if summary.language == Language::Rust {
                callees.extend_from_slice(&summary.project_callees);
            }
        }
        // A helper re-exported elsewhere (`pub use stripe_api::stripe_post;`) is the helper
        // under that path too.
        for _ in 0..8 {
            let before = helpers.len();
            for (key, target) in &uses {
                if let Some(helper) = helpers.get(target).cloned() {
                    helpers.entry(key.clone()).or_insert(helper);
                }
            }
            if helpers.len() == before {
                break;
            }
        }
        let new: Vec<String> = found
            .keys()
            .filter(|k| !project.wrappers.contains_key(*k))
            .cloned()
            .collect();
        let mut new_helpers: Vec<String> = helpers
            .iter()
            .filter(|(k, helper)| project.rust.endpoint_helpers.get(*k) != Some(*helper))
            .map(|(k, _)| k.clone())
            .collect();
        new_helpers.sort_unstable();
        let mut wanted: Vec<FileId> = callees
            .iter()
            .map(|callee| through_uses(callee, &uses))
            .filter(|callee| !helpers.contains_key(callee))
            .filter_map(|callee| defining_module(project, &callee))
            .filter(|id| !self.read.contains(id))
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        if new.is_empty() && new_helpers.is_empty() && wanted.is_empty() {
            return None;
        }
        Some(Found {
            wrappers: found,
            new,
            helpers,
            new_helpers,
            wanted,
        })
    }

    fn take(&mut self, project: &mut Project, found: Found) {
        if !found.wanted.is_empty() {
            self.read.extend(found.wanted.iter().copied());
            project.read_for_helpers(found.wanted);
        }
        if !found.new_helpers.is_empty() {
            let needles = last_segments(&found.new_helpers, "::");
            project.rust.endpoint_helpers = found.helpers;
            project.resummarise_mentioning(Language::Rust, &needles, None);
        }
        if !found.new.is_empty() {
            let needles = last_segments(&found.new, ".");
            let callees: HashSet<String> = found.new.into_iter().collect();
            project.wrappers = found.wrappers;
            project.resummarise_mentioning(Language::Python, &needles, Some(&callees));
        }
    }
}

/// The last segment of each key: the name a caller spells.
fn last_segments(keys: &[String], separator: &str) -> Vec<String> {
    let mut names: Vec<String> = keys
        .iter()
        .filter_map(|k| k.rsplit(separator).next().map(str::to_string))
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// Where a path leads through the `use`s read so far: `app::stripe_post` is
/// `app::stripe_api::stripe_post` after `pub use stripe_api::stripe_post;` in `app`.
fn through_uses(callee: &str, uses: &HashMap<String, String>) -> String {
    let mut path = callee.to_string();
    for _ in 0..8 {
        let segments: Vec<&str> = path.split("::").collect();
        let next = (1..=segments.len()).rev().find_map(|end| {
            let target = uses.get(&segments[..end].join("::"))?;
            Some(
                [target.as_str()]
                    .into_iter()
                    .chain(segments[end..].iter().copied())
                    .collect::<Vec<_>>()
                    .join("::"),
            )
        });
        match next {
            Some(next) if next != path => path = next,
            _ => break,
        }
    }
    path
}

/// The Rust file that defines a function's module (`app::api` of `app::api::post` or of
/// `app::api::Client::post`), held from now on, when no pass has parsed it yet.
fn defining_module(project: &mut Project, callee: &str) -> Option<FileId> {
    let segments: Vec<&str> = callee.split("::").collect();
    let module = (1..segments.len())
        .rev()
        .map(|end| segments[..end].join("::"))
        .find(|module| project.files.locate(module, Language::Rust).is_some())?;
    let id = project.files.hold_module(&module, Language::Rust)?;
    matches!(project.files.state(id), FileState::Skipped).then_some(id)
}

impl Project {
    /// Summarises the given Rust modules, which their callers name, for their helpers.
    fn read_for_helpers(&mut self, wanted: Vec<FileId>) {
        let skim = self.skim_needles();
        let view = self.view(false, skim.as_ref());
        let updates: Vec<(FileId, FileState)> = wanted
            .into_par_iter()
            .filter_map(|id| {
                let file = &self.files[id];
                let bytes = crate::workspace::source::read(file.path()).ok()?;
                Some((id, summarise_for_tree(file, bytes, &view)))
            })
            .collect();
        self.set_states_in_path_order(updates);
    }
}
