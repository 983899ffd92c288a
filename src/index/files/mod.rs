//! The tree's source files, as far as the run needs them. The walk hands every file over
//! once, and only the files the run has something to say about are held: those that pass
//! the prefilter (or could not be read), loose Rust files (only their entry can name
//! them), and those a lookup or a later pass reads. So what is held grows with what is
//! parsed, not with the tree: a file the walk passes by leaves nothing behind.
//!
//! This module owns the held files (by stable id, in path order) and their states; what a
//! file is (`entry`) and which file defines a module (`modules`) are its children's. It
//! knows paths and module names, not what a summary says.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use rustc_hash::FxHashMap;

use crate::facts::Language;
use crate::index::state::FileState;
use crate::lang::rust::CrateMap;
use crate::workspace::discover::Tree;

mod entry;
mod modules;
#[cfg(test)]
mod tests;

pub use entry::SourceEntry;
pub use modules::{python_source_roots, Located};

use entry::LOOSE;
use modules::{DefiningFile, SourceRoot};

/// The state of a file that has none of its own (see `SourceFiles::states`).
static SKIPPED: FileState = FileState::Skipped;

/// Held files are named by an id, stable for the run (not an order: see
/// [`SourceFiles::held`]).
pub type FileId = usize;

/// The tree's files: the walk, the held files and their states, and the module lookup.
#[derive(Debug)]
pub struct SourceFiles {
    root: PathBuf,
    /// Where Python module names start (see [`python_source_roots`]).
    source_roots: Vec<SourceRoot>,
    tree: Arc<Tree>,
    /// Behind a lock so that the walk's workers and lookups made while summarising in
    /// parallel can name a Rust file's module.
    crate_map: Mutex<CrateMap>,
    /// Held files by id.
    entries: Vec<SourceEntry>,
    /// Held ids in path order.
    order: Vec<FileId>,
    /// Held files by a hash of their path (the path itself is the entry's), and those whose
    /// hash another held file has already.
    by_path: FxHashMap<u64, FileId>,
    same_hash: Vec<FileId>,
    /// Each held file's state, by id; a file not here is `FileState::Skipped`.
    states: FxHashMap<FileId, FileState>,
    /// Module name → the path of the file that defines it, as found (`None`: no file).
    /// By language (`language as usize`).
    located: [RwLock<FxHashMap<Box<str>, DefiningFile>>; 2],
    /// Held files that only their entry can name: a loose Rust file is its own crate, named
    /// after the file wherever it is.
    loose_rust: FxHashMap<Box<str>, Vec<FileId>>,
    /// Source files the first walk found: Python, Rust.
    scanned: (usize, usize),
    /// Held files: Python, Rust.
    held: (usize, usize),
    /// The first walk is over: every Cargo package of the tree is known.
    crates_complete: bool,
}

impl SourceFiles {
    pub fn new(root: PathBuf, source_roots: &[PathBuf], tree: Tree) -> SourceFiles {
        let source_roots = SourceRoot::all(&root, source_roots);
        SourceFiles {
            root,
            source_roots,
            tree: Arc::new(tree),
            crate_map: Mutex::default(),
            entries: Vec::new(),
            order: Vec::new(),
            by_path: FxHashMap::default(),
            same_hash: Vec::new(),
            states: FxHashMap::default(),
            located: Default::default(),
            loose_rust: FxHashMap::default(),
            scanned: (0, 0),
            held: (0, 0),
            crates_complete: false,
        }
    }

    /// The walk, to be run as often as a pass needs every file (see `discover`).
    pub fn tree(&self) -> Arc<Tree> {
        self.tree.clone()
    }

    /// The held file at `path` (where it is read).
    pub fn held_at(&self, path: &Path) -> Option<FileId> {
        let id = *self.by_path.get(&path_hash(path))?;
        if *self.entries[id].path == *path {
            return Some(id);
        }
        let mut same_hash = self.same_hash.iter().copied();
        same_hash.find(|&other| *self.entries[other].path == *path)
    }

    /// How many Python and Rust files the first walk found.
    pub fn set_scanned(&mut self, python: usize, rust: usize) {
        self.scanned = (python, rust);
        self.crates_complete = true;
    }

    /// Source files the first walk found, of a language or (`None`) in all.
    pub fn scanned(&self, language: Option<Language>) -> usize {
        match language {
            Some(Language::Python) => self.scanned.0,
            Some(Language::Rust) => self.scanned.1,
            None => self.scanned.0 + self.scanned.1,
        }
    }

    /// Holds a file (once: a file reachable from two roots is the first one's); its id.
    pub fn hold(&mut self, entry: SourceEntry) -> FileId {
        if let Some(id) = self.held_at(&entry.path) {
            return id;
        }
        let id = self.entries.len();
        let later = |other: &FileId| *self.entries[*other].path <= *entry.path;
        let at = if self.order.last().is_none_or(later) {
            self.order.len()
        } else {
            self.order.partition_point(later)
        };
        self.order.insert(at, id);
        match self.by_path.entry(path_hash(&entry.path)) {
            std::collections::hash_map::Entry::Occupied(_) => self.same_hash.push(id),
            std::collections::hash_map::Entry::Vacant(slot) => _ = slot.insert(id),
        }
        if entry.language == Language::Rust && entry.flags & LOOSE != 0 {
            if let Some((module, _)) = &entry.module {
                self.loose_rust.entry(module.clone()).or_default().push(id);
            }
        }
        match entry.language {
            Language::Python => self.held.0 += 1,
            Language::Rust => self.held.1 += 1,
        }
        self.entries.push(entry);
        id
    }

    /// Whether the tree has files of `language` that are not held (a pass over every file
    /// must walk again for them).
    pub fn any_unheld(&self, language: Language) -> bool {
        match language {
            Language::Python => self.held.0 < self.scanned.0,
            Language::Rust => self.held.1 < self.scanned.1,
        }
    }

    /// Holds the file that defines `module`, if the tree has one; its id.
    pub fn hold_module(&mut self, module: &str, language: Language) -> Option<FileId> {
        match self.locate(module, language)? {
            Located::Held(id) => Some(id),
            Located::Unheld(path) => {
                let language = crate::workspace::discover::language_of(&path)?;
                let entry = self.entry(path, language);
                Some(self.hold(entry))
            }
        }
    }

    /// The held files' ids, in path order.
    pub fn held(&self) -> impl DoubleEndedIterator<Item = FileId> + ExactSizeIterator + '_ {
        self.order.iter().copied()
    }

    /// The held files with their ids, in path order.
    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceEntry)> + '_ {
        self.order.iter().map(|&id| (id, &self.entries[id]))
    }

    /// The state of a held file.
    pub fn state(&self, id: FileId) -> &FileState {
        self.states.get(&id).unwrap_or(&SKIPPED)
    }

    /// The states held: every file's that is not `Skipped`, in no order.
    pub fn states(&self) -> impl Iterator<Item = &FileState> {
        self.states.values()
    }

    pub fn state_mut(&mut self, id: FileId) -> Option<&mut FileState> {
        self.states.get_mut(&id)
    }

    /// Sets the state of a held file; `Skipped` is held as no state at all.
    pub fn set_state(&mut self, id: FileId, state: FileState) {
        match state {
            FileState::Skipped => self.states.remove(&id),
            state => self.states.insert(id, state),
        };
    }

    /// The file's path relative to the project root, with `/` (`../x.py` from outside it).
    pub fn rel_path(&self, entry: &SourceEntry) -> String {
        relative(&entry.path, &self.root)
    }
}

impl std::ops::Index<FileId> for SourceFiles {
    type Output = SourceEntry;

    fn index(&self, id: FileId) -> &SourceEntry {
        &self.entries[id]
    }
}

/// Entries may change flags, never paths or modules (lookups found them by those).
impl std::ops::IndexMut<FileId> for SourceFiles {
    fn index_mut(&mut self, id: FileId) -> &mut SourceEntry {
        &mut self.entries[id]
    }
}

fn path_hash(path: &Path) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(path)
}

/// Path of `path` relative to `root`, with `/` (SPEC: every printed path is relative to
/// the project root). A file passed from outside the root climbs out with `..`.
pub fn relative(path: &Path, root: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    // The walk's paths are already clean below the root: take the text as it is.
    if let Some(text) = rel.to_str() {
        if !text.is_empty()
            && text
                .split('/')
                .all(|c| !c.is_empty() && c != "." && c != "..")
        {
            return text.to_string();
        }
    }
    let mut parts: Vec<String> = Vec::new();
    let mut below: Vec<std::path::Component> = rel.components().collect();
    if rel.is_absolute() && root.is_absolute() {
        let shared = path
            .components()
            .zip(root.components())
            .take_while(|(a, b)| a == b)
            .count();
        parts.extend((shared..root.components().count()).map(|_| "..".to_string()));
        below.drain(..shared.min(below.len()));
    }
    parts.extend(
        below
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}
