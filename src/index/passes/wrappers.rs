//! The thin-wrapper pass. Thin wrappers (a project function that creates a session from
//! what its caller passes) are judged at their callers: the files that mention a new
//! wrapper's name are summarised again, now knowing the wrapper, until no new wrapper
//! appears.
//!
//! Knows the wrappers the Python summaries list; knows no rule.

use std::collections::{HashMap, HashSet};

use super::Pass;
use crate::facts::Language;
use crate::index::project::Project;
use crate::index::state::FileState;
use crate::lang::python::KnownWrapper;

/// The thin-wrapper pass (see the module's header).
pub(super) struct Wrappers;

/// What a round found: every wrapper the summaries list, by `module.name`, and the keys of
/// the new ones.
pub(super) struct Found {
    wrappers: HashMap<String, KnownWrapper>,
    new: Vec<String>,
}

impl Pass for Wrappers {
    type News = Found;

    fn news(&mut self, project: &mut Project) -> Option<Found> {
        let mut found = HashMap::new();
        for (index, _) in project.files.iter() {
            if let FileState::Summarised(summary) = project.files.state(index) {
                for wrapper in &summary.wrappers {
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
            }
        }
        let new: Vec<String> = found
            .keys()
            .filter(|k| !project.wrappers.contains_key(*k))
            .cloned()
            .collect();
        if new.is_empty() {
            return None;
        }
        Some(Found {
            wrappers: found,
            new,
        })
    }

    fn take(&mut self, project: &mut Project, found: Found) {
        let needles: Vec<String> = found
            .new
            .iter()
            .filter_map(|k| k.rsplit('.').next().map(str::to_string))
            .collect();
        let callees: HashSet<String> = found.new.into_iter().collect();
        project.wrappers = found.wrappers;
        project.resummarise_mentioning(Language::Python, &needles, Some(&callees));
    }
}
