//! File discovery: which files of the tree are Python or Rust sources, honouring
//! `.gitignore`/`.ignore` (unless `--no-ignore`) and `[files] exclude`.
//!
//! The walk is gitignore-aware through the `ignore` crate and never follows symlinks, so a
//! symlink loop cannot hang it. Each root's files come out in path order, one at a time:
//! nothing here holds a list of the tree's paths, so a later stage that needs every file
//! again walks again ([`Tree::walk`]). Whether one path is a file the walk finds
//! ([`Tree::is_walked`]) is answered by walking only the directories on its way, one level
//! each, with the same settings: the `ignore` crate applies the ignore files of a walk
//! root's parents as it would below the root, and keeps its matchers to itself.

use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, RwLock};

use globset::{Glob, GlobSet, GlobSetBuilder};
use rustc_hash::FxHashMap;

use crate::facts::Language;

/// A source file found by the walk, or an entry that could not be read.
#[derive(Debug, Clone)]
pub enum Found {
    Source { path: PathBuf, language: Language },
    Unreadable { path: PathBuf, message: String },
}

pub fn language_of(path: &Path) -> Option<Language> {
    match path.extension()?.to_str()? {
        "py" => Some(Language::Python),
        "rs" => Some(Language::Rust),
        _ => None,
    }
}

/// Directories listed by `Tree::children`, and how many names they hold in all.
#[derive(Debug, Default)]
struct Listed {
    dirs: FxHashMap<PathBuf, Arc<Children>>,
    names: usize,
}

/// How many listed names `Tree` keeps before it lists again.
const LISTED_KEPT: usize = 32_768;

/// How many found entries a worker takes at a time, and how many batches may wait.
const WALK_BATCH: usize = 32;
const WALK_BATCHES: usize = 16;

/// What the walk admits of one directory's entries: its subdirectories and source files.
pub type Children = FxHashMap<OsString, ChildKind>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChildKind {
    Directory,
    Source,
}

/// The walk's roots and settings: walks the tree, and tells whether a path is in it.
#[derive(Debug)]
pub struct Tree {
    roots: Vec<PathBuf>,
    project_root: PathBuf,
    excludes: GlobSet,
    no_ignore: bool,
    /// The directories listed for [`Tree::is_walked`]: only those on the way to a path asked
    /// about, never the whole tree, and dropped, all at once, past `LISTED_KEPT` names.
    listed: RwLock<Listed>,
}

impl Tree {
    /// A root is walked even when ignore files or excludes would skip it (pre-commit passes
    /// ignored files by name), not what is below it.
    pub fn new(
        roots: Vec<PathBuf>,
        project_root: &Path,
        exclude: &[String],
        no_ignore: bool,
    ) -> Tree {
        Tree {
            roots,
            project_root: project_root.to_path_buf(),
            excludes: build_excludes(exclude),
            no_ignore,
            listed: RwLock::default(),
        }
    }

    /// Every source file (and unreadable entry) of every root, in path order within a root;
    /// a file an earlier root's walk found is not found again.
    pub fn walk(&self) -> impl Iterator<Item = Found> + '_ {
        let roots = self.roots.iter().enumerate();
        roots.flat_map(move |(i, root)| -> Box<dyn Iterator<Item = Found>> {
            let earlier = &self.roots[..i];
            let new = move |found: &Found| match found {
                Found::Source { path, .. } => !earlier
                    .iter()
                    .any(|r| path.starts_with(r) && self.is_walked_from(r, path)),
                Found::Unreadable { .. } => true,
            };
            if root.is_file() {
                let found = language_of(root).map(|language| Found::Source {
                    path: root.clone(),
                    language,
                });
                return Box::new(found.into_iter().filter(new));
            }
            let walk = self
                .builder(root)
                .sort_by_file_name(|a, b| a.cmp(b))
                .build();
            Box::new(walk.filter_map(found).filter(new))
        })
    }

    /// Walks on a thread of its own and hands each entry to `visit` on the rayon workers as
    /// it is found: reading and parsing start with the walk, and no list of the tree's paths
    /// is made (the channel holds a few hundred paths). What `visit` returns comes back in no
    /// particular order.
    pub fn visit_in_parallel<T: Send>(&self, visit: impl Fn(Found) -> Option<T> + Sync) -> Vec<T> {
        use rayon::iter::{ParallelBridge, ParallelIterator};
        // Handed over in batches: one hand-over a file made the workers queue on the
        // bridge's lock and the channel's, more than they read.
        let (found, to_visit) = std::sync::mpsc::sync_channel::<Vec<Found>>(WALK_BATCHES);
        std::thread::scope(|scope| {
            scope.spawn(move || {
                let mut batch = Vec::with_capacity(WALK_BATCH);
                for entry in self.walk() {
                    batch.push(entry);
                    if batch.len() == WALK_BATCH {
                        let full = std::mem::replace(&mut batch, Vec::with_capacity(WALK_BATCH));
                        if found.send(full).is_err() {
                            return;
                        }
                    }
                }
                let _ = found.send(batch);
            });
            to_visit
                .into_iter()
                .par_bridge()
                .flat_map_iter(|batch| batch.into_iter().filter_map(&visit))
                .collect()
        })
    }

    /// Whether the walk finds the file at `path`: a root, or a source file reached through
    /// directories the walk enters, every step admitted by the ignore files and excludes.
    pub fn is_walked(&self, path: &Path) -> bool {
        self.roots
            .iter()
            .any(|root| self.is_walked_from(root, path))
    }

    /// Whether the walk of one root finds the file at `path`.
    fn is_walked_from(&self, root: &Path, path: &Path) -> bool {
        if root == path {
            return root.is_file() && language_of(root).is_some();
        }
        self.last_step(root, path) == Some(ChildKind::Source)
    }

    /// What the walk from `root` finds at `path` (below it), when it gets there at all.
    fn last_step(&self, root: &Path, path: &Path) -> Option<ChildKind> {
        let below = path.strip_prefix(root).ok()?;
        let steps: Vec<_> = below.components().collect();
        let mut dir = root.to_path_buf();
        for (i, step) in steps.iter().enumerate() {
            let Component::Normal(name) = step else {
                return None;
            };
            let kind = *self.children(&dir).get(*name)?;
            if i + 1 == steps.len() {
                return Some(kind);
            }
            if kind != ChildKind::Directory {
                return None;
            }
            dir.push(name);
        }
        None
    }

    /// Whether the walk gets to `path`: a root, or a source file or directory it enters.
    pub fn reaches(&self, path: &Path) -> bool {
        self.roots
            .iter()
            .any(|root| root == path || self.last_step(root, path).is_some())
    }

    /// Makes a PATH named on the command line a root of its own when the walk of the
    /// roots so far does not reach it because an ignore file leaves it out (a directory
    /// inside another project's ignored `versions/`, say): what is named is checked. A
    /// PATH that `[files] exclude` matches stays out, as it would be in the walk.
    pub fn add_named_path(&mut self, path: &Path) {
        let reached = self.reaches(path);
        let rel = path.strip_prefix(&self.project_root).unwrap_or(path);
        if !reached && !self.excludes.is_match(rel) {
            self.roots.push(path.to_path_buf());
        }
    }

    /// The subdirectories and source files of `dir` that the walk admits (whether it enters
    /// `dir` at all is the caller's question).
    pub fn children(&self, dir: &Path) -> Arc<Children> {
        if let Some(listed) = self
            .listed
            .read()
            .ok()
            .and_then(|l| l.dirs.get(dir).cloned())
        {
            return listed;
        }
        let mut children = Children::default();
        for entry in self.builder(dir).max_depth(Some(1)).build().flatten() {
            if entry.depth() != 1 {
                continue;
            }
            let kind = match entry.file_type() {
                Some(t) if t.is_dir() => ChildKind::Directory,
                Some(t) if t.is_file() && language_of(entry.path()).is_some() => ChildKind::Source,
                _ => continue,
            };
            children.insert(entry.file_name().to_os_string(), kind);
        }
        let children = Arc::new(children);
        if let Ok(mut listed) = self.listed.write() {
            if listed.names > LISTED_KEPT {
                *listed = Listed::default();
            }
            listed.names += children.len();
            listed.dirs.insert(dir.to_path_buf(), children.clone());
        }
        children
    }

    fn builder(&self, dir: &Path) -> ignore::WalkBuilder {
        let no_ignore = self.no_ignore;
        let mut builder = ignore::WalkBuilder::new(dir);
        builder
            .follow_links(false)
            .hidden(false)
            .git_ignore(!no_ignore)
            .git_global(!no_ignore)
            .git_exclude(!no_ignore)
            .ignore(!no_ignore)
            .parents(!no_ignore)
            .require_git(false);
        let project_root = self.project_root.clone();
        let excludes = self.excludes.clone();
        builder.filter_entry(move |entry| {
            if entry.file_name() == ".git" {
                return false;
            }
            let rel = entry
                .path()
                .strip_prefix(&project_root)
                .unwrap_or(entry.path());
            !excludes.is_match(rel)
        });
        builder
    }
}

/// What the walk hands over for one of its entries: a source file, or an error about a
/// directory or source file.
fn found(entry: Result<ignore::DirEntry, ignore::Error>) -> Option<Found> {
    match entry {
        Ok(entry) => {
            let is_file = entry.file_type().is_some_and(|t| t.is_file());
            let language = language_of(entry.path()).filter(|_| is_file)?;
            Some(Found::Source {
                path: entry.into_path(),
                language,
            })
        }
        Err(err) => {
            let path = error_path(&err)?;
            let relevant = path.is_dir() || language_of(&path).is_some();
            (relevant && !is_loop(&err)).then(|| Found::Unreadable {
                path,
                message: io_message(&err),
            })
        }
    }
}

fn build_excludes(patterns: &[String]) -> GlobSet {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        // Patterns were validated with the config; a bad one cannot reach here.
        if let Ok(glob) = Glob::new(pattern) {
            builder.add(glob);
        }
        if let Ok(glob) = Glob::new(&format!("{}/**", pattern.trim_end_matches('/'))) {
            builder.add(glob);
        }
    }
    builder.build().unwrap_or_else(|_| GlobSet::empty())
}

fn error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        _ => None,
    }
}

fn is_loop(err: &ignore::Error) -> bool {
    match err {
        ignore::Error::Loop { .. } => true,
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => is_loop(err),
        _ => false,
    }
}

fn io_message(err: &ignore::Error) -> String {
    match err {
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => io_message(err),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `is_walked` answers as the walk does, for every file of a tree with nested ignore
    /// files, a re-included file, an excluded directory, hidden directories and symlinks.
    #[test]
    fn is_walked_agrees_with_the_walk() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let files = [
            ("a.py", ""),
            ("lib.rs", ""),
            ("notes.txt", ""),
            (
                ".gitignore",
                "*.log.py\nbuild/\n/top_only.py\ngen/*\n!gen/keep.py\n",
            ),
            ("top_only.py", ""),
            ("pkg/top_only.py", ""),
            ("pkg/x.log.py", ""),
            ("pkg/.ignore", "secret.py\n"),
            ("pkg/secret.py", ""),
            ("pkg/sub/secret.py", ""),
            ("pkg/sub/ok.py", ""),
            ("build/out.py", ""),
            ("gen/drop.py", ""),
            ("gen/keep.py", ""),
            (".hidden/h.py", ""),
            (".git/hooks/x.py", ""),
            ("vendor/v.py", ""),
            ("deep/er/still/here.rs", ""),
        ];
        for (path, text) in files {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        std::os::unix::fs::symlink(root.join("pkg"), root.join("linked")).unwrap();
        std::os::unix::fs::symlink(root.join("a.py"), root.join("b.py")).unwrap();
        for no_ignore in [false, true] {
            let tree = Tree::new(
                vec![root.to_path_buf()],
                root,
                &["vendor".into()],
                no_ignore,
            );
            let walked: Vec<PathBuf> = tree
                .walk()
                .filter_map(|f| match f {
                    Found::Source { path, .. } => Some(path),
                    Found::Unreadable { .. } => None,
                })
                .collect();
            let mut expected = vec![
                "a.py",
                "deep/er/still/here.rs",
                "gen/keep.py",
                "lib.rs",
                "pkg/sub/ok.py",
                "pkg/top_only.py",
                ".hidden/h.py",
            ];
            if no_ignore {
                expected.extend([
                    "top_only.py",
                    "pkg/x.log.py",
                    "pkg/secret.py",
                    "pkg/sub/secret.py",
                    "build/out.py",
                    "gen/drop.py",
                ]);
            }
            let mut expected: Vec<PathBuf> = expected.iter().map(|p| root.join(p)).collect();
            expected.sort();
            let mut sorted = walked.clone();
            sorted.sort();
            assert_eq!(sorted, expected, "no_ignore: {no_ignore}");
            for (path, _) in files {
                let path = root.join(path);
                assert_eq!(
                    tree.is_walked(&path),
                    walked.contains(&path),
                    "{}",
                    path.display()
                );
            }
            for other in [
                "linked/sub/ok.py",
                "b.py",
                "missing.py",
                "pkg",
                "pkg/../a.py",
            ] {
                assert!(!tree.is_walked(&root.join(other)), "{other}");
            }
        }
    }

    /// A file comes once however many roots reach it, and a root below another is walked
    /// even where the other's walk skips it (an ignored file passed by name): in any order.
    #[test]
    fn overlapping_roots_find_each_file_once() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for (path, text) in [(".gitignore", "gen/\n"), ("a.py", ""), ("gen/pay.py", "")] {
            std::fs::create_dir_all(root.join(path).parent().unwrap()).unwrap();
            std::fs::write(root.join(path), text).unwrap();
        }
        let (top, ignored_dir, ignored_file) = (
            root.to_path_buf(),
            root.join("gen"),
            root.join("gen/pay.py"),
        );
        for roots in [
            vec![top.clone(), ignored_file.clone(), top.clone()],
            vec![ignored_file.clone(), top.clone()],
            vec![top.clone(), ignored_dir.clone()],
        ] {
            let tree = Tree::new(roots.clone(), root, &[], false);
            let mut found: Vec<PathBuf> = tree
                .walk()
                .filter_map(|f| match f {
                    Found::Source { path, .. } => Some(path),
                    Found::Unreadable { .. } => None,
                })
                .collect();
            found.sort();
            assert_eq!(
                found,
                [root.join("a.py"), ignored_file.clone()],
                "{roots:?}"
            );
            assert!(tree.is_walked(&ignored_file), "{roots:?}");
        }
    }
}
