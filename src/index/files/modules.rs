//! Module lookup without an index of the tree: the files that could define a module are
//! asked of the file system (`app.billing` is `app/billing.py` or `app/billing/__init__.py`
//! under a source root; a Rust key goes back through the Cargo layout), and the walk's own
//! rules say whether each is in the tree (`discover::Tree::is_walked`), so a gitignored
//! `stripe.py` never shadows Stripe. The first file in path order wins a name two files
//! define. Answers are cached by name, up to a bound (the front end asks of every dotted
//! name it resolves, not only of imports).
//!
//! Knows source roots, the Cargo layout and the walk's rules; not what any file holds.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::entry::LOOSE;
use super::{relative, FileId, SourceFiles};
use crate::facts::{Language, ModuleSet};
use crate::lang::rust::{CrateMap, RustModule};

/// How many module names `SourceFiles` keeps the answer for, per language.
const LOCATED_KEPT: usize = 16_384;

/// The file that defines a module, as found (`None`: no file of the tree does).
pub(super) type DefiningFile = Option<Arc<Path>>;

/// Where the file that defines a module is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Located {
    Held(FileId),
    /// In the tree, not held (the caller may [`SourceFiles::hold`] it).
    Unheld(PathBuf),
}

/// A Python source root.
#[derive(Debug)]
pub(super) enum SourceRoot {
    /// Below the project root: its path relative to the root (`src`; `` for the root),
    /// matched against the files' relative paths as text.
    Below(String),
    /// Anywhere else (above the root, through `..`): matched against the files' full paths.
    Elsewhere(PathBuf),
}

impl SourceRoot {
    /// The configured (or default) roots, each below the project root or elsewhere.
    pub(super) fn all(root: &Path, source_roots: &[PathBuf]) -> Vec<SourceRoot> {
        source_roots
            .iter()
            .map(|r| {
                let below = r.strip_prefix(root).ok().filter(|rel| {
                    rel.components()
                        .all(|c| matches!(c, std::path::Component::Normal(_)))
                });
                match below.and_then(Path::to_str) {
                    Some(rel) => SourceRoot::Below(rel.to_string()),
                    None => SourceRoot::Elsewhere(r.clone()),
                }
            })
            .collect()
    }
}

impl SourceFiles {
    /// The crate and module of a Rust file, and whether it is loose (outside every Cargo
    /// package). Asked of every Rust file of the first walk: its package and crate become
    /// known to lookups (`CrateMap::files_for`) and to `rust_crates`.
    pub fn note_rust_file(&self, path: &Path) -> (RustModule, bool) {
        self.crates().module_of(path)
    }

    fn crates(&self) -> std::sync::MutexGuard<'_, CrateMap> {
        self.crate_map
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The Python module of the file at `path`: named from the first source root it is in.
    pub(super) fn python_module(&self, path: &Path, rel_path: &str) -> Option<(String, bool)> {
        self.source_roots.iter().find_map(|root| match root {
            SourceRoot::Below(root) if root.is_empty() => {
                crate::lang::python::module_name(rel_path)
            }
            SourceRoot::Below(root) => {
                let below = rel_path.strip_prefix(root.as_str())?.strip_prefix('/')?;
                crate::lang::python::module_name(below)
            }
            SourceRoot::Elsewhere(root) => {
                let below = path.strip_prefix(root).ok()?;
                crate::lang::python::module_name(&relative(below, Path::new("")))
            }
        })
    }

    /// The file that defines `module` (a Python module, or a Rust one: a Python import
    /// never names a Rust file, nor a Rust path a Python one), held or not.
    pub fn locate(&self, module: &str, language: Language) -> Option<Located> {
        let path = self.defining_file(module, language);
        let loose = match language {
            Language::Python => None,
            Language::Rust => self.loose_rust.get(module),
        };
        let loose = loose.into_iter().flatten().copied();
        // A loose Rust file is named after itself wherever it is: only its entry knows it.
        let loose = loose.min_by(|a, b| self.entries[*a].path.cmp(&self.entries[*b].path));
        match (path, loose) {
            (Some(path), Some(id)) if *self.entries[id].path > *path => Some(self.located_at(path)),
            (_, Some(id)) => Some(Located::Held(id)),
            (Some(path), None) => Some(self.located_at(path)),
            (None, None) => None,
        }
    }

    /// The held file with the id, or the path.
    fn located_at(&self, path: Arc<Path>) -> Located {
        match self.held_at(&path) {
            Some(id) => Located::Held(id),
            None => Located::Unheld(path.to_path_buf()),
        }
    }

    /// The first file in path order that the walk finds and that names `module`, cached
    /// (read far more often than written: every import of every file parsed asks).
    fn defining_file(&self, module: &str, language: Language) -> Option<Arc<Path>> {
        let located = &self.located[language as usize];
        if let Some(found) = located.read().ok().and_then(|l| l.get(module).cloned()) {
            return found;
        }
        let found: Option<Arc<Path>> = self.find_defining_file(module, language).map(Into::into);
        // Rust modules are found through the packages seen so far: final once the first
        // walk has seen every Rust file (`set_scanned`).
        let final_answer = language == Language::Python || self.crates_complete;
        if let (true, Ok(mut located)) = (final_answer, located.write()) {
            // Every dotted name the front end resolves is asked, not only imports: past a
            // bound, the answers are found again rather than kept.
            if located.len() >= LOCATED_KEPT {
                located.clear();
            }
            located.insert(module.into(), found.clone());
        }
        found
    }

    fn find_defining_file(&self, module: &str, language: Language) -> Option<PathBuf> {
        if module.is_empty() {
            return None;
        }
        let mut candidates: Vec<(PathBuf, Language)> = Vec::new();
        if language == Language::Python {
            let rel = module.replace('.', "/");
            for root in &self.source_roots {
                let base = match root {
                    SourceRoot::Below(rel) => self.root.join(rel),
                    SourceRoot::Elsewhere(path) => path.clone(),
                };
                for file in [format!("{rel}.py"), format!("{rel}/__init__.py")] {
                    candidates.push((base.join(file), Language::Python));
                }
            }
        }
        let children = |dir: &Path| self.tree.children(dir);
        if language == Language::Rust {
            let rust_files = self.crates().files_for(module, &children);
            candidates.extend(rust_files.into_iter().map(|path| (path, Language::Rust)));
        }
        candidates.sort();
        candidates.dedup();
        candidates.into_iter().find_map(|(path, language)| {
            if !self.tree.is_walked(&path) {
                return None;
            }
            let entry = self.entry(path, language);
            let named = entry
                .module
                .as_ref()
                .is_some_and(|(name, _)| **name == *module);
            (named && entry.flags & LOOSE == 0).then(|| entry.path.into())
        })
    }

    /// The project's Rust crates, as the files seen so far tell.
    pub fn rust_crates(&self) -> std::collections::HashSet<String> {
        self.crates().crate_keys()
    }
}

/// Where Python module names start: the configured `source_roots`, else `src/` (when it
/// exists) and the project root.
pub fn python_source_roots(root: &Path, configured: Option<&[String]>) -> Vec<PathBuf> {
    match configured {
        Some(roots) => roots.iter().map(|r| root.join(r)).collect(),
        None => {
            let src = root.join("src");
            let mut roots = Vec::new();
            if src.is_dir() {
                roots.push(src);
            }
            roots.push(root.to_path_buf());
            roots
        }
    }
}

impl ModuleSet for SourceFiles {
    /// Asked by the Python front end: whether a Python module of the project has the name.
    fn contains(&self, module: &str) -> bool {
        self.defining_file(module, Language::Python).is_some()
    }
}
