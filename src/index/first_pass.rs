//! The first walk: every file of the tree is read once, in parallel, as the walk finds it;
//! Python candidates (those that pass the checkout prefilter, or mount routers) are
//! summarised on the spot, Rust candidates once the walk is over, and only what the run
//! will read is held. A binary candidate is set aside (`Project::binary`), never parsed.
//!
//! Knows the walk, the prefilter and the summariser; knows nothing of the later passes.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::facts::Language;
use crate::index::files::{relative, SourceEntry};
use crate::index::project::Project;
use crate::index::state::FileState;
use crate::index::summarise::{read_and_summarise, summarise_for_tree};
use crate::workspace::discover::Found;
use crate::workspace::prefilter::Prefilter;
use crate::workspace::source::is_binary;

impl Project {
    /// Walks the tree and reads every file once, in parallel, as the walk finds it; parses
    /// the Python files that pass the prefilter, and holds only the candidates (and the
    /// loose Rust files, which only their entry names). Rust candidates are parsed after the
    /// walk, read again: which crates are the project's (a path into one is a project path)
    /// is known only once every Rust file has been seen.
    pub(super) fn first_pass(&mut self) {
        let prefilter = Prefilter::checkout();
        // A file that mounts routers is read for its route facts (`lang::*::ROUTE_NEEDLES`).
        let routers = [
            Prefilter::exact(crate::lang::python::ROUTE_NEEDLES),
            Prefilter::exact(crate::lang::rust::ROUTE_NEEDLES),
        ];
        let needles = self.skim_needles();
        let scanned = [AtomicUsize::new(0), AtomicUsize::new(0)];
        let view = self.view(false, needles.as_ref());
        let files = &self.files;
        let visited = files.tree().visit_in_parallel(|found| {
            let (path, language) = match found {
                Found::Source { path, language } => (path, language),
                Found::Unreadable { path, message } => {
                    return Some(Visited::Unreadable(path, message))
                }
            };
            scanned[language as usize].fetch_add(1, Ordering::Relaxed);
            let rust = (language == Language::Rust).then(|| files.note_rust_file(&path));
            let loose = rust.as_ref().is_some_and(|(_, loose)| *loose);
            let bytes = match crate::workspace::source::read(&path) {
                Ok(bytes) => bytes,
                Err(err) => {
                    let state = FileState::Unreadable(Box::new(err.to_string()));
                    return Some(Visited::Parsed(
                        files.entry_with(path, language, rust),
                        state,
                    ));
                }
            };
            let checkout = prefilter.matches(&bytes);
            let candidate = checkout || routers[language as usize].matches(&bytes);
            if candidate && is_binary(&bytes) {
                return Some(Visited::Binary(path));
            }
            let entry = || files.entry_with(path, language, rust);
            match (candidate, language) {
                (true, Language::Python) => {
                    let entry = entry();
                    let state = summarise_for_tree(&entry, bytes, &view);
                    if !checkout && matches!(state, FileState::ParseFailed(_)) {
                        // Read only for its routes: a file that does not parse, but names no
                        // checkout API, has nothing to verify (no CL009).
                        return None;
                    }
                    Some(Visited::Parsed(entry, state))
                }
                (true, Language::Rust) => Some(Visited::RustCandidate(entry(), checkout)),
                (false, _) if loose => Some(Visited::Loose(entry())),
                (false, _) => None,
            }
        });
        let (mut held, unreadable): (Vec<_>, Vec<_>) = visited
            .into_iter()
            .partition(|v| !matches!(v, Visited::Unreadable(..) | Visited::Binary(..)));
        // Held in path order, each after the last (the walk's order; workers finish in any).
        held.sort_by(|a, b| a.path().cmp(b.path()));
        let mut states = Vec::new();
        let mut rust_candidates = Vec::new();
        for visited in held {
            match visited {
                Visited::Parsed(entry, state) => states.push((self.files.hold(entry), state)),
                Visited::RustCandidate(entry, checkout) => {
                    rust_candidates.push((self.files.hold(entry), checkout))
                }
                Visited::Loose(entry) => _ = self.files.hold(entry),
                Visited::Unreadable(..) | Visited::Binary(..) => {}
            }
        }
        let mut binary = Vec::new();
        let mut unreadable: Vec<(PathBuf, String)> = unreadable
            .into_iter()
            .filter_map(|v| match v {
                Visited::Unreadable(path, message) => Some((path, message)),
                Visited::Binary(path) => {
                    binary.push(relative(&path, &self.config.root));
                    None
                }
                _ => None,
            })
            .collect();
        binary.sort();
        binary.dedup();
        self.binary = binary;
        let [python, rust] = scanned.map(AtomicUsize::into_inner);
        self.files.set_scanned(python, rust);
        self.set_states_in_path_order(states);
        let root = &self.config.root;
        unreadable.sort();
        unreadable.dedup_by(|a, b| a.0 == b.0);
        self.unreadable = unreadable
            .into_iter()
            .map(|(path, message)| (relative(&path, root), message))
            .collect();
        self.rust.crates = self.files.rust_crates();
        let view = self.view(false, needles.as_ref());
        let updates = rust_candidates
            .into_par_iter()
            .filter_map(|(id, checkout)| {
                let state = read_and_summarise(&self.files[id], &view);
                // As for Python: a file read only for its routes is not verified.
                (checkout || !matches!(state, FileState::ParseFailed(_))).then_some((id, state))
            })
            .collect();
        self.set_states_in_path_order(updates);
    }
}

/// What the first pass keeps of a file it visits.
enum Visited {
    /// A Python candidate, summarised, or a file that could not be read.
    Parsed(SourceEntry, FileState),
    /// A Rust candidate, summarised after the walk, and whether it passed the checkout
    /// prefilter (rather than only the routers').
    RustCandidate(SourceEntry, bool),
    /// A loose Rust file that is not a candidate: held so that a lookup can name it.
    Loose(SourceEntry),
    /// A directory or file the walk could not read.
    Unreadable(PathBuf, String),
    /// A candidate that is binary: skipped (`workspace::source::is_binary`).
    Binary(PathBuf),
}

impl Visited {
    fn path(&self) -> &Path {
        match self {
            Visited::Parsed(entry, _)
            | Visited::RustCandidate(entry, _)
            | Visited::Loose(entry) => entry.path(),
            Visited::Unreadable(path, _) | Visited::Binary(path) => path,
        }
    }
}
