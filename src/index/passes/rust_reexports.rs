//! The Rust re-export pass. Rust modules that re-export a Stripe type (`pub use
//! stripe::CheckoutSession as CS;` in a prelude) or name the endpoint's URL (`pub const
//! SESSIONS_URL: &str = ..`): once known, the Rust files that mention the new names are
//! summarised again, so `use crate::prelude::CS; CS::create(..)` resolves to Stripe and
//! `client.post(SESSIONS_URL)` is a create. A file read again may pass a name on (`pub use
//! crate::endpoints::SESSIONS_URL as PAY_URL;` in a module that never spells "checkout"),
//! so this runs until no name is new.
//!
//! Knows Rust `use` paths as the summaries give them; knows no Python and no rule.

use std::collections::{HashMap, HashSet};

use super::Pass;
use crate::facts::{Language, Term};
use crate::index::project::Project;
use crate::index::state::{keyed_reexports, path_uses, FileState};
use crate::shapes::shapes;

/// The Rust re-export pass (see the module's header).
pub(super) struct RustReexports;

/// What a round found: every re-export of a Stripe type (path → Stripe path) and every
/// endpoint constant, and the last segments of the new ones (what files that use them
/// spell).
pub(super) struct Found {
    reexports: HashMap<String, Vec<String>>,
    endpoints: HashSet<String>,
    new: HashSet<String>,
}

impl Pass for RustReexports {
    type News = Found;

    fn news(&mut self, project: &mut Project) -> Option<Found> {
        let (reexports, endpoints) = names_found(project);
        let new: HashSet<String> = reexports
            .keys()
            .filter(|key| !project.rust.reexports.contains_key(*key))
            .chain(endpoints.difference(&project.rust.endpoint_constants))
            .filter_map(|key| key.rsplit("::").next().map(str::to_string))
            .collect();
        if new.is_empty() {
            return None;
        }
        Some(Found {
            reexports,
            endpoints,
            new,
        })
    }

    fn take(&mut self, project: &mut Project, found: Found) {
        project.rust.reexports = found.reexports;
        project.rust.endpoint_constants = found.endpoints;
        let needles: Vec<String> = found.new.into_iter().collect();
        project.resummarise_mentioning(Language::Rust, &needles, None);
    }
}

/// The Rust re-exports of Stripe's types (path → Stripe path) and the endpoint
/// constants, from the summaries held, followed through `pub use` to a fixpoint.
fn names_found(project: &Project) -> (HashMap<String, Vec<String>>, HashSet<String>) {
    let mut reexports: HashMap<String, Vec<String>> = HashMap::new();
    let mut endpoints: HashSet<String> = HashSet::new();
    let mut symbols: Vec<(String, String)> = Vec::new();
    for (index, file) in project.files.iter() {
        if file.language() != Language::Rust {
            continue;
        }
        let mut note = |key: String, term: &Term| match term {
            // The Rust front end lists a constant only for the whole endpoint.
            Term::External(path) if *path == shapes().endpoint.path => {
                endpoints.insert(key);
            }
            Term::External(path) => {
                reexports.insert(key, path.split("::").map(str::to_string).collect());
            }
            Term::Symbol(s) => symbols.push((key, format!("{}::{}", s.module, s.name))),
            _ => {}
        };
        match project.files.state(index) {
            FileState::Summarised(summary) => {
                for (key, term) in path_uses(summary) {
                    note(key, term);
                }
                for (key, term) in keyed_reexports(summary) {
                    note(key, &term);
                }
            }
            FileState::Released(residue) => {
                for (key, term) in residue.uses() {
                    note(key.clone(), term);
                }
            }
            _ => {}
        }
    }
    // Re-exports of re-exports, to a fixpoint.
    loop {
        let before = reexports.len() + endpoints.len();
        for (key, target) in &symbols {
            if let Some(path) = reexports.get(target).cloned() {
                reexports.entry(key.clone()).or_insert(path);
            }
            if endpoints.contains(target) {
                endpoints.insert(key.clone());
            }
        }
        if reexports.len() + endpoints.len() == before {
            break;
        }
    }
    (reexports, endpoints)
}
