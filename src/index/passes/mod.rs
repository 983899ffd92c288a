//! The project-wide passes that run after the first walk and before any rule looks at a
//! site. Each learns names from the summaries held (Rust re-exports of Stripe's types and
//! the endpoint's URL, Python re-exports, thin wrappers and endpoint helpers), then summarises again the files
//! the new names may change, in rounds until a round learns nothing new.
//!
//! Knows the project's files, states and summariser; knows no rule and no report.

mod python_chains;
mod python_reexports;
mod reexport_users;
mod rust_reexports;
mod wrappers;

use crate::index::project::Project;

/// How many rounds a pass runs at most: a longer chain of names (or a cycle) stops there.
const MAX_ROUNDS: usize = 8;

/// A pass that learns names in rounds, each round reading what the one before made.
trait Pass {
    /// What a round learned that the project does not know yet.
    type News;

    /// Reads what the project holds now; `None` when nothing is new (the fixpoint).
    fn news(&mut self, project: &mut Project) -> Option<Self::News>;

    /// Makes the news known to the project and summarises again the files they may change.
    fn take(&mut self, project: &mut Project, news: Self::News);
}

/// Runs `pass` until a round learns nothing new, or for `MAX_ROUNDS` rounds.
fn run_to_fixpoint(project: &mut Project, mut pass: impl Pass) {
    for _round in 0..MAX_ROUNDS {
        let Some(news) = pass.news(project) else {
            return;
        };
        pass.take(project, news);
    }
}

/// Runs the passes in their order: Rust re-exports, Python re-exports (which may read the
/// modules a chain of names goes through), then thin wrappers, judged at their callers
/// once every name they may be called by is known.
pub(super) fn run(project: &mut Project) {
    run_to_fixpoint(project, rust_reexports::RustReexports);
    if let Some(pass) = python_reexports::PythonReexports::start(project) {
        run_to_fixpoint(project, pass);
    }
    run_to_fixpoint(project, wrappers::Wrappers::default());
}
