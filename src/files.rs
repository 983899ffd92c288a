//! The tree's source files, held compactly. An entry per file is kept to the end of the run
//! (a lookup may follow an import into any file, and the wrapper rounds read files again),
//! so the entry is what peak memory grows by with the size of the tree: 8 bytes, the path's
//! record, and 8 bytes in the module index. A file's state is held apart, only for the
//! files that are not `FileState::Skipped` (the candidates, and the few summarised since).
//!
//! Paths are stored relative to the project root, front-coded in one shared buffer, in the
//! order the walk found them (sorted within a root): each record keeps only what differs
//! from the path before it, and every 16th record is whole, so a path is rebuilt from at most
//! 16 records. The file is read at `root/path` (the few files that are not there, from outside
//! the root or named in bytes that are not UTF-8, keep the path they were found at). A Python
//! module name is not stored at all: it is derived from the path when asked, and the module
//! index is a sorted array of `(name hash, file)` pairs. A Rust file's crate and module live
//! in a side table.

use std::collections::HashMap;
use std::ops::{Deref, DerefMut};
use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;

use crate::model::{Language, ModuleSet};
use crate::project::{relative, FileState};
use crate::rust::RustModule;

/// One source file of the tree. Its path, module name and state are asked of
/// [`SourceFiles`].
#[derive(Debug)]
pub struct SourceEntry {
    /// Where its path's record starts in `SourceFiles::paths`; also the key of the side
    /// tables (`found_at`, `rust_modules`).
    path_start: u32,
    // Private, like the path and the module: the module index was built from them.
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
/// (`crate::trim`); a lookup of another name summarises it again in full.
const BINDINGS_TRIMMED: u8 = 4;

impl SourceEntry {
    pub fn language(&self) -> Language {
        self.language
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

/// Every source file of the tree, in path order, and the index from module name to file
/// (the first file in path order wins a name that two files define).
#[derive(Debug)]
pub struct SourceFiles {
    root: PathBuf,
    /// Where Python module names start (see [`python_source_roots`]).
    source_roots: Vec<SourceRoot>,
    /// Every file's path relative to the root, with `/`, front-coded (see [`PathRecords`]).
    paths: PathRecords,
    entries: Vec<SourceEntry>,
    /// `(hash of module name, entry index)`, sorted.
    by_module: Box<[(u32, u32)]>,
    /// Each file's state, by entry index; a file not here is `FileState::Skipped`: most files
    /// of a tree fail the prefilter, and a state held for each would grow with the tree.
    states: FxHashMap<u32, FileState>,
    /// The few files that are not at `root/rel_path`, by `path_start`, with the path they
    /// were found at: passed from outside the root (`root/../x.py` names another file when
    /// the root is a symlink), or named in bytes that are not UTF-8 (the relative path,
    /// made lossily, names no file).
    found_at: HashMap<u32, PathBuf>,
    /// The crate and module of each Rust file, by `path_start` (ascending: the order of
    /// `push`). Most files of a tree are not Rust, and their entries pay nothing for it.
    rust_modules: Vec<(u32, RustModule)>,
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

/// Collects the files as the walk finds them, in any order.
pub struct SourceFilesBuilder {
    files: SourceFiles,
}

impl SourceFilesBuilder {
    pub fn new(root: PathBuf, source_roots: &[PathBuf]) -> SourceFilesBuilder {
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
        SourceFilesBuilder {
            files: SourceFiles {
                root,
                source_roots,
                paths: PathRecords::default(),
                entries: Vec::new(),
                by_module: Box::default(),
                states: FxHashMap::default(),
                found_at: HashMap::new(),
                rust_modules: Vec::new(),
            },
        }
    }

    /// Adds a file. The error says why it cannot be held (the caller reports the file as
    /// unreadable): paths over 4 GiB in all (tens of millions of files).
    pub fn push(
        &mut self,
        path: &Path,
        language: Language,
        rust_module: Option<RustModule>,
    ) -> Result<(), &'static str> {
        let files = &mut self.files;
        let rel_path = relative(path, &files.root);
        let path_start = files.paths.push(&rel_path)?;
        let below = path.strip_prefix(&files.root).ok().and_then(Path::to_str);
        if below != Some(rel_path.as_str()) {
            files.found_at.insert(path_start, path.to_path_buf());
        }
        if let Some(module) = rust_module {
            files.rust_modules.push((path_start, module));
        }
        files.entries.push(SourceEntry {
            path_start,
            language,
            flags: 0,
        });
        Ok(())
    }

    /// Sorted by path (which orders every later stage); a file found twice is kept once.
    pub fn build(self) -> SourceFiles {
        let SourceFiles {
            root,
            source_roots,
            mut paths,
            mut entries,
            found_at,
            mut rust_modules,
            ..
        } = self.files;
        // Held to the end: no spare capacity.
        entries.shrink_to_fit();
        paths.records.shrink_to_fit();
        rust_modules.shrink_to_fit();
        // Below the root, relative paths sort as the full paths do.
        let key = |rel_path: &str, e: &SourceEntry| match found_at.get(&e.path_start) {
            Some(path) => path.clone(),
            None if found_at.is_empty() => PathBuf::from(rel_path),
            None => root.join(rel_path),
        };
        // The walk finds each root's files in order: one root's files need no sort.
        let mut previous: Option<PathBuf> = None;
        let mut in_order = true;
        paths.each_in_order(&entries, |entry, rel_path| {
            let key = key(rel_path, entry);
            in_order &= previous.as_ref().is_none_or(|p| *p < key);
            previous = Some(key);
        });
        if !in_order {
            entries.sort_by_cached_key(|e| key(&paths.get(e.path_start), e));
            entries.dedup_by(|a, b| {
                key(&paths.get(a.path_start), a) == key(&paths.get(b.path_start), b)
            });
            entries.shrink_to_fit();
        }
        let mut files = SourceFiles {
            root,
            source_roots,
            paths,
            entries,
            by_module: Box::default(),
            states: FxHashMap::default(),
            found_at,
            rust_modules,
        };
        let mut by_module: Vec<(u32, u32)> = Vec::new();
        let mut index = 0u32;
        files
            .paths
            .each_in_order(&files.entries, |entry, rel_path| {
                if let Some((module, _)) = files.module_named(entry, rel_path) {
                    by_module.push((hash(&module), index));
                }
                index += 1;
            });
        by_module.sort_unstable();
        files.by_module = by_module.into_boxed_slice();
        files
    }
}

impl SourceFiles {
    /// The state of the file at `index` (in path order).
    pub fn state(&self, index: usize) -> &FileState {
        u32::try_from(index)
            .ok()
            .and_then(|index| self.states.get(&index))
            .unwrap_or(&SKIPPED)
    }

    /// The states held: every file's that is not `Skipped`, in no order.
    pub fn states(&self) -> impl Iterator<Item = &FileState> {
        self.states.values()
    }

    pub fn state_mut(&mut self, index: usize) -> Option<&mut FileState> {
        self.states.get_mut(&u32::try_from(index).ok()?)
    }

    /// Sets the state of the file at `index`; `Skipped` is held as no state at all.
    pub fn set_state(&mut self, index: usize, state: FileState) {
        // An index is below the number of entries, which `push` keeps within `u32` (paths
        // within 4 GiB, and a record takes at least 3 bytes).
        let Ok(index) = u32::try_from(index) else {
            return;
        };
        match state {
            FileState::Skipped => self.states.remove(&index),
            state => self.states.insert(index, state),
        };
    }

    /// The file's path relative to the project root, with `/` (`../x.py` from outside it).
    pub fn rel_path(&self, entry: &SourceEntry) -> String {
        self.paths.get(entry.path_start)
    }

    /// The crate and module path of a Rust file.
    pub fn rust_module(&self, entry: &SourceEntry) -> Option<&RustModule> {
        let found = self
            .rust_modules
            .binary_search_by_key(&entry.path_start, |(start, _)| *start);
        found.ok().map(|i| &self.rust_modules[i].1)
    }

    /// Where to read a file.
    pub fn path(&self, entry: &SourceEntry) -> PathBuf {
        match self.found_at.get(&entry.path_start) {
            Some(path) => path.clone(),
            None => self.root.join(self.rel_path(entry)),
        }
    }

    /// The module of a file whose relative path the caller has at hand (see `module_of`).
    fn module_named(&self, entry: &SourceEntry, rel_path: &str) -> Option<(String, bool)> {
        match (&entry.language, self.rust_module(entry)) {
            (Language::Rust, Some(module)) => Some((module.key.clone(), false)),
            (Language::Rust, None) => None,
            (Language::Python, _) => self.source_roots.iter().find_map(|root| match root {
                SourceRoot::Below(root) if root.is_empty() => crate::python::module_name(rel_path),
                SourceRoot::Below(root) => {
                    let below = rel_path.strip_prefix(root.as_str())?.strip_prefix('/')?;
                    crate::python::module_name(below)
                }
                SourceRoot::Elsewhere(root) => {
                    let path = self.path(entry);
                    let below = path.strip_prefix(root).ok()?;
                    crate::python::module_name(&relative(below, Path::new("")))
                }
            }),
        }
    }

    /// The key of the file's module in the project index (`app.billing`, `shop::billing`),
    /// and whether it is a Python package's `__init__`. `None` for a Python file outside
    /// every source root or with a name that is not an identifier (`my-scripts/x.py`).
    pub fn module_of(&self, entry: &SourceEntry) -> Option<(String, bool)> {
        let rel_path = match entry.language {
            Language::Python => self.rel_path(entry),
            Language::Rust => String::new(),
        };
        self.module_named(entry, &rel_path)
    }

    /// The file that defines `module`.
    pub fn index_of(&self, module: &str) -> Option<usize> {
        let hash = hash(module);
        let first = self.by_module.partition_point(|&(h, _)| h < hash);
        self.by_module[first..]
            .iter()
            .take_while(|&&(h, _)| h == hash)
            .map(|&(_, i)| i as usize)
            .find(|&i| {
                self.module_of(&self.entries[i])
                    .is_some_and(|(name, _)| name == module)
            })
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
    fn contains(&self, module: &str) -> bool {
        self.index_of(module).is_some()
    }
}

impl Deref for SourceFiles {
    type Target = [SourceEntry];

    fn deref(&self) -> &[SourceEntry] {
        &self.entries
    }
}

/// Entries may change state, never paths or modules (the index points at them).
impl DerefMut for SourceFiles {
    fn deref_mut(&mut self) -> &mut [SourceEntry] {
        &mut self.entries
    }
}

impl<'f> IntoIterator for &'f SourceFiles {
    type Item = &'f SourceEntry;
    type IntoIter = std::slice::Iter<'f, SourceEntry>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter()
    }
}

/// Paths, front-coded: a record is the distance back to the last whole record, the length of
/// the prefix shared with the path before it, the length of the rest, and the rest (the
/// numbers as LEB128). Every [`PathRecords::RESTART`]th record shares nothing, so rebuilding
/// a path reads at most that many records. Sorted paths share most of their bytes: on four
/// copies of CPython's standard library a path of 55 bytes takes 20.
#[derive(Debug, Default)]
struct PathRecords {
    records: Vec<u8>,
    /// The path pushed last, and where the last whole record starts.
    last: String,
    restart: usize,
    since_restart: usize,
}

impl PathRecords {
    const RESTART: usize = 16;

    /// Appends `path`; returns where its record starts.
    fn push(&mut self, path: &str) -> Result<u32, &'static str> {
        let start = self.records.len();
        let too_many = "too many files to index (their paths pass 4 GiB)";
        let start_u32 = u32::try_from(start).map_err(|_| too_many)?;
        if start
            .checked_add(path.len() + 15)
            .is_none_or(|end| u32::try_from(end).is_err())
        {
            return Err(too_many);
        }
        let mut shared = 0;
        if self.since_restart == Self::RESTART || start == 0 {
            self.restart = start;
            self.since_restart = 0;
        } else {
            shared = common_prefix(&self.last, path);
        }
        self.since_restart += 1;
        write_leb128(&mut self.records, start - self.restart);
        write_leb128(&mut self.records, shared);
        write_leb128(&mut self.records, path.len() - shared);
        self.records.extend_from_slice(&path.as_bytes()[shared..]);
        self.last.clear();
        self.last.push_str(path);
        Ok(start_u32)
    }

    /// The path whose record starts at `start`.
    fn get(&self, start: u32) -> String {
        let start = start as usize;
        let mut path = String::new();
        let Some((back, _)) = read_leb128(&self.records, start) else {
            return path;
        };
        let mut at = start.saturating_sub(back);
        while let Some((record, next)) = self.record(at) {
            record.apply(&mut path);
            if at >= start {
                break;
            }
            at = next;
        }
        path
    }

    /// Calls `each` with every entry and its path, in the entries' order: reading the
    /// records one after another while the entries follow them, else one by one.
    fn each_in_order(&self, entries: &[SourceEntry], mut each: impl FnMut(&SourceEntry, &str)) {
        let mut path = String::new();
        let mut at = 0;
        let mut follows = true;
        for entry in entries {
            follows &= entry.path_start as usize >= at;
            if follows {
                while let Some((record, next)) = self.record(at) {
                    record.apply(&mut path);
                    let reached = at >= entry.path_start as usize;
                    at = next;
                    if reached {
                        break;
                    }
                }
                each(entry, &path);
            } else {
                each(entry, &self.get(entry.path_start));
            }
        }
    }

    /// The record at `at`, and where the next one starts.
    fn record(&self, at: usize) -> Option<(PathRecord<'_>, usize)> {
        let (_, at) = read_leb128(&self.records, at)?;
        let (shared, at) = read_leb128(&self.records, at)?;
        let (len, at) = read_leb128(&self.records, at)?;
        let rest = self.records.get(at..at.checked_add(len)?)?;
        let rest = std::str::from_utf8(rest).ok()?;
        Some((PathRecord { shared, rest }, at + len))
    }
}

struct PathRecord<'r> {
    shared: usize,
    rest: &'r str,
}

impl PathRecord<'_> {
    /// Turns the path before this record into this record's path.
    fn apply(&self, path: &mut String) {
        // `shared` ends on a character boundary of the path before (see `common_prefix`).
        if path.is_char_boundary(self.shared) {
            path.truncate(self.shared);
        }
        path.push_str(self.rest);
    }
}

/// The length of the longest common prefix of `a` and `b` that ends on a character boundary.
fn common_prefix(a: &str, b: &str) -> usize {
    let mut shared = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    while !b.is_char_boundary(shared) {
        shared -= 1;
    }
    shared
}

fn write_leb128(out: &mut Vec<u8>, mut value: usize) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// The number at `at`, and where the bytes after it start.
fn read_leb128(bytes: &[u8], mut at: usize) -> Option<(usize, usize)> {
    let mut value = 0usize;
    let mut shift = 0;
    loop {
        let byte = *bytes.get(at)?;
        at += 1;
        value |= usize::from(byte & 0x7f).checked_shl(shift)?;
        if byte & 0x80 == 0 {
            return Some((value, at));
        }
        shift += 7;
    }
}

/// 32 bits are plenty: a hash only narrows the search, the name itself is compared.
fn hash(module: &str) -> u32 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(module) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(root: &str, paths: &[&str]) -> SourceFiles {
        let root = PathBuf::from(root);
        let mut builder = SourceFilesBuilder::new(root.clone(), std::slice::from_ref(&root));
        for path in paths {
            builder
                .push(&root.join(path), Language::Python, None)
                .unwrap();
        }
        builder.build()
    }

    fn paths(files: &SourceFiles) -> Vec<String> {
        files.iter().map(|f| files.rel_path(f)).collect()
    }

    /// Front-coded paths come back whole: across restarts, when two paths differ inside a
    /// character, and when the entries no longer follow the records.
    #[test]
    fn paths_come_back_as_they_went_in() {
        // In the walk's order: component by component (`café/x.py` before `café.py`).
        let mut sorted: Vec<String> =
            ["pkg/caf\u{e8}.py", "pkg/caf\u{e9}/x.py", "pkg/caf\u{e9}.py"]
                .map(String::from)
                .to_vec();
        sorted.extend((0..40).map(|i| format!("pkg/sub{}/module_{i:03}.py", i / 7)));
        sorted.push("q.py".into());
        let refs: Vec<&str> = sorted.iter().map(String::as_str).collect();
        let found = files("/repo", &refs);
        assert_eq!(paths(&found), sorted);
        assert_eq!(found.index_of("pkg.sub5.module_039"), Some(42));
        assert_eq!(found.path(&found[2]), Path::new("/repo/pkg/caf\u{e9}.py"));

        let mut shuffled = refs.clone();
        shuffled.reverse();
        shuffled.swap(3, 17);
        let found = files("/repo", &shuffled);
        assert_eq!(paths(&found), sorted);
        assert_eq!(found.index_of("pkg.sub0.module_006"), Some(9));
    }

    #[test]
    fn modules_resolve_to_the_first_file_in_path_order() {
        let files = files(
            "/repo",
            &[
                "app/config.py",
                "my-scripts/x.py",
                "app/billing.py",
                "app/__init__.py",
            ],
        );
        assert_eq!(
            paths(&files),
            [
                "app/__init__.py",
                "app/billing.py",
                "app/config.py",
                "my-scripts/x.py"
            ]
        );
        assert_eq!(files.index_of("app"), Some(0));
        assert_eq!(files.module_of(&files[0]), Some(("app".into(), true)));
        assert_eq!(files.index_of("app.billing"), Some(1));
        assert_eq!(files.index_of("app.config"), Some(2));
        assert_eq!(files.module_of(&files[3]), None);
        assert_eq!(files.index_of("app.x"), None);
        assert_eq!(files.index_of(""), None);
        assert!(files.contains("app.config"));
        assert_eq!(files.path(&files[1]), Path::new("/repo/app/billing.py"));

        // Two source roots define `app.billing`: the first file in path order wins.
        let root = PathBuf::from("/repo");
        let mut builder = SourceFilesBuilder::new(root.clone(), &[root.join("src"), root.clone()]);
        builder
            .push(&root.join("src/app/billing.py"), Language::Python, None)
            .unwrap();
        builder
            .push(&root.join("app/billing.py"), Language::Python, None)
            .unwrap();
        builder
            .push(&root.join("srcx/a.py"), Language::Python, None)
            .unwrap();
        let files = builder.build();
        assert_eq!(files.index_of("app.billing"), Some(0));
        assert_eq!(files.rel_path(&files[0]), "app/billing.py");
        assert_eq!(
            files.module_of(&files[1]),
            Some(("app.billing".into(), false))
        );
        assert_eq!(files.module_of(&files[2]), Some(("srcx.a".into(), false)));
    }

    /// Paths sort component by component, as the full paths would (`a/b` before `a-c`, though
    /// `-` sorts before `/`), and a file that two roots reach is kept once.
    #[test]
    fn files_are_sorted_by_path_and_kept_once() {
        let found = files("/repo", &["a-c.py", "a/b.py", "a/b.py", "A.py"]);
        assert_eq!(paths(&found), ["A.py", "a/b.py", "a-c.py"]);
        assert_eq!(found.index_of("a.b"), Some(1));

        let found = files("/repo", &["x.py", "/other/z.py", "/other/z.py"]);
        assert_eq!(paths(&found), ["../other/z.py", "x.py"]);
        assert_eq!(found.path(&found[0]), Path::new("/other/z.py"));
    }

    /// A name that is not UTF-8 is reported lossily, but read, sorted and told apart by the
    /// bytes it was found with.
    #[test]
    fn files_named_in_bytes_that_are_not_utf8_keep_their_path() {
        use std::os::unix::ffi::OsStrExt;
        let named = |bytes: &[u8]| Path::new("/repo").join(std::ffi::OsStr::from_bytes(bytes));
        let root = PathBuf::from("/repo");
        let mut builder = SourceFilesBuilder::new(root.clone(), std::slice::from_ref(&root));
        for bytes in [&b"caf\xe9.py"[..], b"caf\xe8.py", b"caf\xe9.py", b"ok.py"] {
            builder.push(&named(bytes), Language::Python, None).unwrap();
        }
        let files = builder.build();
        let found: Vec<PathBuf> = files.iter().map(|f| files.path(f)).collect();
        assert_eq!(
            found,
            [named(b"caf\xe8.py"), named(b"caf\xe9.py"), named(b"ok.py")]
        );
        assert_eq!(files.rel_path(&files[0]), "caf\u{FFFD}.py");
    }

    /// A source root outside the project root (`source-roots = [".."]` in a sub-project)
    /// names modules from the full paths, as one below it does from the relative ones.
    #[test]
    fn source_roots_above_the_root_name_modules_from_full_paths() {
        let root = PathBuf::from("/repo/services/api");
        let roots = [PathBuf::from("/repo"), root.join("../other")];
        let mut builder = SourceFilesBuilder::new(root.clone(), &roots);
        builder
            .push(&root.join("pkg/shop.py"), Language::Python, None)
            .unwrap();
        builder
            .push(
                Path::new("/repo/services/other/x.py"),
                Language::Python,
                None,
            )
            .unwrap();
        let files = builder.build();
        assert_eq!(
            files.module_of(&files[0]),
            Some(("services.api.pkg.shop".into(), false))
        );
        assert_eq!(
            files.module_of(&files[1]),
            Some(("services.other.x".into(), false))
        );
        // `root/../other` keeps its `..`: like the file system walk, it matches no file.
        assert_eq!(files.index_of("x"), None);
    }

    /// What every file of the tree costs to the end of the run, besides its path and its
    /// 8 bytes in the module index.
    #[test]
    fn an_entry_stays_small() {
        assert!(std::mem::size_of::<SourceEntry>() <= 8);
        assert!(std::mem::size_of::<FileState>() <= 16);
    }

    /// Flags are kept apart; a Rust file's module is found from its entry after sorting.
    #[test]
    fn flags_and_rust_modules_stay_with_their_file() {
        let root = PathBuf::from("/repo");
        let mut builder = SourceFilesBuilder::new(root.clone(), std::slice::from_ref(&root));
        let module = |key: &str| RustModule {
            key: key.into(),
            crate_key: "shop".into(),
            externs: Default::default(),
        };
        builder
            .push(&root.join("z/lib.rs"), Language::Rust, Some(module("shop")))
            .unwrap();
        builder
            .push(&root.join("a.py"), Language::Python, None)
            .unwrap();
        builder
            .push(
                &root.join("m/pay.rs"),
                Language::Rust,
                Some(module("shop::pay")),
            )
            .unwrap();
        let mut files = builder.build();
        let keys: Vec<Option<&str>> = files
            .iter()
            .map(|f| files.rust_module(f).map(|m| m.key.as_str()))
            .collect();
        assert_eq!(keys, [None, Some("shop::pay"), Some("shop")]);
        assert_eq!(files.index_of("shop::pay"), Some(1));

        let entry = &mut files[1];
        entry.set_candidate(true);
        entry.set_partial(true);
        assert!(entry.candidate() && entry.functions_elided() && entry.bindings_trimmed());
        entry.set_partial(false);
        assert!(entry.candidate() && !entry.functions_elided() && !entry.bindings_trimmed());
        entry.set_candidate(false);
        assert!(!entry.candidate());
    }

    /// A path of any length is kept whole (the lengths in a record have no fixed width).
    #[test]
    fn long_paths_are_kept_whole() {
        let long = "d/".repeat(40_000) + "x.py";
        let found = files("/repo", &[&long, "d/y.py", "e.py"]);
        assert_eq!(paths(&found), [long.as_str(), "d/y.py", "e.py"]);
    }
}
