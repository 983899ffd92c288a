//! The tree's source files, as far as the run needs them. The walk hands every file over
//! once, and only the files the run has something to say about are held: those that pass
//! the prefilter (or could not be read), loose Rust files (only their entry can name
//! them), and those a lookup or a later pass reads. So what is held grows with what is
//! parsed, not with the tree: a file the walk passes by leaves nothing behind.
//!
//! A module name is found without an index of the tree: the files that could define it are
//! asked of the file system (`app.billing` is `app/billing.py` or `app/billing/__init__.py`
//! under a source root; a Rust key goes back through the Cargo layout), and the walk's own
//! rules say whether each is in the tree (`discover::Tree::is_walked`), so a gitignored
//! `stripe.py` never shadows Stripe. The first file in path order wins a name two files
//! define. Answers are cached by name, up to a bound (the front end asks of every dotted
//! name it resolves, not only of imports).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use rustc_hash::FxHashMap;

use crate::facts::{Language, ModuleSet};
use crate::index::project::{relative, FileState};
use crate::lang::rust::{CrateMap, RustModule};
use crate::workspace::discover::Tree;

/// One source file of the tree: where it is, its module, and flags the passes set.
#[derive(Debug)]
pub struct SourceEntry {
    /// Where the file is read (its path relative to the root is made when asked: most
    /// held files are never reported).
    path: Box<Path>,
    /// The key of its module (`app.billing`, `shop::billing`), and whether it is a Python
    /// package's `__init__`.
    module: Option<(Box<str>, bool)>,
    rust_module: Option<Box<RustModule>>,
    language: Language,
    flags: u8,
}

/// The state of a file that has none of its own (see `SourceFiles::states`).
static SKIPPED: FileState = FileState::Skipped;

/// The file passed the checkout prefilter (it could contain a create site).
const CANDIDATE: u8 = 1;
/// The whole-tree passes summarised this file without its helper functions (Python:
/// `ProjectView::helper_functions`; Rust: dropped once summarised); a helper lookup
/// summarises it again in full.
const FUNCTIONS_ELIDED: u8 = 2;
/// The whole-tree passes kept only the bindings this file's own sites reach
/// (`crate::index::trim`); a lookup of another name summarises it again in full.
const BINDINGS_TRIMMED: u8 = 4;
/// A Rust file outside every Cargo package: its crate is named after the file, wherever it
/// is, so only its entry can name it (`SourceFiles::loose_rust`).
const LOOSE: u8 = 8;

impl SourceEntry {
    pub fn language(&self) -> Language {
        self.language
    }

    /// Where the file is read.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The key of the file's module (`app.billing`, `shop::billing`) and whether it is a
    /// Python package's `__init__`; `None` for a Python file outside every source root or
    /// named in a way no import can spell (`my-scripts/x.py`).
    pub fn module(&self) -> Option<(&str, bool)> {
        self.module
            .as_ref()
            .map(|(name, package)| (&**name, *package))
    }

    /// The crate and module path of a Rust file.
    pub fn rust_module(&self) -> Option<&RustModule> {
        self.rust_module.as_deref()
    }

    /// The file passed the checkout prefilter (it could contain a create site).
    pub fn candidate(&self) -> bool {
        self.flags & CANDIDATE != 0
    }

    pub fn set_candidate(&mut self, candidate: bool) {
        self.set_flag(CANDIDATE, candidate);
    }

    /// The whole-tree passes summarised this file without its helper functions; a helper
    /// lookup summarises it again in full.
    pub fn functions_elided(&self) -> bool {
        self.flags & FUNCTIONS_ELIDED != 0
    }

    /// The whole-tree passes kept only the bindings this file's own sites reach; a lookup of
    /// another name summarises it again in full.
    pub fn bindings_trimmed(&self) -> bool {
        self.flags & BINDINGS_TRIMMED != 0
    }

    /// Whether the summary now held leaves out helper functions and bindings.
    pub fn set_partial(&mut self, partial: bool) {
        self.set_flag(FUNCTIONS_ELIDED, partial);
        self.set_flag(BINDINGS_TRIMMED, partial);
    }

    fn set_flag(&mut self, flag: u8, on: bool) {
        if on {
            self.flags |= flag;
        } else {
            self.flags &= !flag;
        }
    }
}

/// Held files are named by an id, stable for the run (not an order: see
/// [`SourceFiles::held`]).
pub type FileId = usize;

/// How many module names `SourceFiles` keeps the answer for, per language.
const LOCATED_KEPT: usize = 16_384;

/// The file that defines a module, as found (`None`: no file of the tree does).
type DefiningFile = Option<Arc<Path>>;

/// Where the file that defines a module is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Located {
    Held(FileId),
    /// In the tree, not held (the caller may [`SourceFiles::hold`] it).
    Unheld(PathBuf),
}

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

/// A Python source root.
#[derive(Debug)]
enum SourceRoot {
    /// Below the project root: its path relative to the root (`src`; `` for the root),
    /// matched against the files' relative paths as text.
    Below(String),
    /// Anywhere else (above the root, through `..`): matched against the files' full paths.
    Elsewhere(PathBuf),
}

impl SourceFiles {
    pub fn new(root: PathBuf, source_roots: &[PathBuf], tree: Tree) -> SourceFiles {
        let source_roots = source_roots
            .iter()
            .map(|r| {
                let below = r.strip_prefix(&root).ok().filter(|rel| {
                    rel.components()
                        .all(|c| matches!(c, std::path::Component::Normal(_)))
                });
                match below.and_then(Path::to_str) {
                    Some(rel) => SourceRoot::Below(rel.to_string()),
                    None => SourceRoot::Elsewhere(r.clone()),
                }
            })
            .collect();
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

    /// An entry for the file at `path` (not held until [`SourceFiles::hold`]).
    pub fn entry(&self, path: PathBuf, language: Language) -> SourceEntry {
        let rust = (language == Language::Rust).then(|| self.note_rust_file(&path));
        self.entry_with(path, language, rust)
    }

    /// An entry for the file at `path`, with what [`SourceFiles::note_rust_file`] said of a
    /// Rust file.
    pub fn entry_with(
        &self,
        path: PathBuf,
        language: Language,
        rust: Option<(RustModule, bool)>,
    ) -> SourceEntry {
        let mut flags = 0;
        let (module, rust_module) = match (language, rust) {
            (Language::Rust, Some((module, loose))) => {
                if loose {
                    flags |= LOOSE;
                }
                (Some((module.key.clone(), false)), Some(Box::new(module)))
            }
            (Language::Rust, None) => (None, None),
            (Language::Python, _) => {
                let rel_path = relative(&path, &self.root);
                (self.python_module(&path, &rel_path), None)
            }
        };
        SourceEntry {
            path: path.into(),
            module: module.map(|(name, package)| (name.into_boxed_str(), package)),
            rust_module,
            language,
            flags,
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

    /// The Python module of the file at `path`: named from the first source root it is in.
    fn python_module(&self, path: &Path, rel_path: &str) -> Option<(String, bool)> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    fn source_files(root: &Path, source_roots: &[PathBuf], exclude: &[String]) -> SourceFiles {
        let walk = Tree::new(vec![root.to_path_buf()], root, exclude, false);
        let mut files = SourceFiles::new(root.to_path_buf(), source_roots, walk);
        let mut scanned = (0, 0);
        for found in files.tree().walk() {
            if let crate::workspace::discover::Found::Source { path, language } = found {
                match language {
                    Language::Python => scanned.0 += 1,
                    Language::Rust => {
                        scanned.1 += 1;
                        files.note_rust_file(&path);
                    }
                }
            }
        }
        files.set_scanned(scanned.0, scanned.1);
        files
    }

    fn defined_at(files: &SourceFiles, module: &str) -> Option<String> {
        defined_in(files, module, Language::Python)
    }

    fn defined_in(files: &SourceFiles, module: &str, language: Language) -> Option<String> {
        let path = match files.locate(module, language)? {
            Located::Held(id) => files[id].path().to_path_buf(),
            Located::Unheld(path) => path,
        };
        Some(relative(&path, &files.root))
    }

    #[test]
    fn python_modules_are_found_where_the_walk_finds_them() {
        let dir = tree(&[
            ("app/__init__.py", ""),
            ("app/billing/__init__.py", ""),
            ("app/billing.py", ""),
            ("app/config.py", ""),
            ("src/app/config.py", ""),
            ("src/app/only_src.py", ""),
            ("my-scripts/x.py", ""),
            ("stripe.py", ""),
            ("build/gen.py", ""),
            ("vendored/lib.py", ""),
            (".gitignore", "stripe.py\nbuild/\n"),
        ]);
        let root = dir.path();
        let roots = [root.join("src"), root.to_path_buf()];
        let files = source_files(root, &roots, &["vendored".into()]);
        // The first file in path order wins a name two files define.
        assert_eq!(
            defined_at(&files, "app.billing").as_deref(),
            Some("app/billing/__init__.py")
        );
        assert_eq!(
            defined_at(&files, "app.config").as_deref(),
            Some("app/config.py")
        );
        assert_eq!(
            defined_at(&files, "app.only_src").as_deref(),
            Some("src/app/only_src.py")
        );
        assert_eq!(
            defined_at(&files, "app").as_deref(),
            Some("app/__init__.py")
        );
        // Ignored, excluded, not an identifier, or named from another root: no module.
        for missing in [
            "stripe",
            "build.gen",
            "vendored.lib",
            "my-scripts.x",
            "src.app.config",
            "",
            "app.nothing",
        ] {
            assert_eq!(defined_at(&files, missing), None, "{missing}");
        }
        assert!(files.contains("app.config") && !files.contains("stripe"));
    }

    #[test]
    fn held_files_keep_their_id_and_come_in_path_order() {
        let dir = tree(&[("b.py", ""), ("a/z.py", ""), ("a-c.py", "")]);
        let root = dir.path();
        let mut files = source_files(root, &[root.to_path_buf()], &[]);
        let b = files.hold_module("b", Language::Python).unwrap();
        let z = files.hold_module("a.z", Language::Python).unwrap();
        let entry = files.entry(root.join("a-c.py"), Language::Python);
        let c = files.hold(entry);
        assert_eq!(files.hold_module("b", Language::Python), Some(b));
        assert_eq!(
            files.locate("a.z", Language::Python),
            Some(Located::Held(z))
        );
        // `a/z.py` before `a-c.py`: paths compare component by component.
        assert_eq!(files.held().collect::<Vec<_>>(), [z, c, b]);
        assert_eq!(files.rel_path(&files[z]), "a/z.py");
        assert_eq!(files[c].module(), None);
        assert!(matches!(files.state(b), FileState::Skipped));
    }

    #[test]
    fn rust_modules_are_found_back_through_the_cargo_layout() {
        let dir = tree(&[
            ("shop/Cargo.toml", "[package]\nname = \"shop-api\"\n"),
            ("shop/src/lib.rs", ""),
            ("shop/src/main.rs", ""),
            ("shop/src/pay.rs", ""),
            ("shop/src/routes/mod.rs", ""),
            ("shop/src/routes/checkout.rs", ""),
            ("shop/src/bin/my-tool.rs", ""),
            ("shop/src/bin/server/main.rs", ""),
            ("shop/src/bin/server/state.rs", ""),
            ("shop/tests/end-to-end.rs", ""),
            ("shop/build.rs", ""),
            ("scripts/one-off.rs", ""),
        ]);
        let root = dir.path();
        let files = source_files(root, &[root.to_path_buf()], &[]);
        for (module, path) in [
            ("shop_api", "shop/src/lib.rs"),
            ("shop_api_main", "shop/src/main.rs"),
            ("shop_api::pay", "shop/src/pay.rs"),
            ("shop_api::routes", "shop/src/routes/mod.rs"),
            ("shop_api::routes::checkout", "shop/src/routes/checkout.rs"),
            ("my_tool", "shop/src/bin/my-tool.rs"),
            ("server", "shop/src/bin/server/main.rs"),
            ("server::state", "shop/src/bin/server/state.rs"),
            ("shop_api_tests_end_to_end", "shop/tests/end-to-end.rs"),
            ("shop_api_build", "shop/build.rs"),
        ] {
            assert_eq!(
                defined_in(&files, module, Language::Rust).as_deref(),
                Some(path),
                "{module}"
            );
        }
        assert_eq!(
            defined_in(&files, "shop_api::nothing", Language::Rust),
            None
        );
        // A loose file is its own crate: only its entry, once held, names it.
        assert_eq!(defined_in(&files, "one_off", Language::Rust), None);
        let mut files = files;
        let entry = files.entry(root.join("scripts/one-off.rs"), Language::Rust);
        let id = files.hold(entry);
        assert_eq!(
            files.locate("one_off", Language::Rust),
            Some(Located::Held(id))
        );
    }

    /// A source root outside the project root (`source-roots = [".."]` in a sub-project)
    /// names modules from the full paths; `root/../other` keeps its `..`, and, like the
    /// walk, matches no file.
    #[test]
    fn source_roots_above_the_root_name_modules_from_full_paths() {
        let dir = tree(&[
            ("services/api/pkg/shop.py", ""),
            ("services/other/x.py", ""),
        ]);
        let root = dir.path().join("services/api");
        let roots = [dir.path().to_path_buf(), root.join("../other")];
        let files = source_files(&root, &roots, &[]);
        assert_eq!(
            defined_at(&files, "services.api.pkg.shop").as_deref(),
            Some("pkg/shop.py")
        );
        assert_eq!(defined_at(&files, "x"), None);
    }

    /// What every held file costs to the end of the run.
    #[test]
    fn a_state_stays_small() {
        assert!(std::mem::size_of::<FileState>() <= 16);
    }
}
