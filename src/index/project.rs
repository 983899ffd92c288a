//! The project: the source files it holds (`files.rs`) and the summaries the front ends
//! made of them. Stages 1–3 of the pipeline run here: discover, prefilter, parse +
//! summarise (in parallel as the walk finds files; Rust candidates once the walk is over),
//! then the re-export passes and the thin-wrapper fixpoint, which read again only the
//! files that may have changed meaning.
//!
//! Files that did not pass the prefilter are summarised lazily when the analysis follows
//! an import into them (a helper module, a config module with a differently named
//! constant), so the common case parses only the few files that mention a checkout API.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::config::Config;
use crate::facts::{
    constant_key_module, Binding, ByteSpan, FunctionSummary, Language, ModuleSummary, ParseFailure,
    RawCallSite, SymbolRef, Term,
};
use crate::index::files::{python_source_roots, FileId};
pub use crate::index::files::{Located, SourceEntry, SourceFiles};
use crate::lang::python::{self, ImportsListed, KnownWrapper, ProjectView};
use crate::lang::rust::{self, RustProject};
use crate::lang::skim::Needles;
use crate::shapes::shapes;
use crate::workspace::discover::{Found, Tree};
use crate::workspace::prefilter::Prefilter;

/// How far the pipeline got with one file.
#[derive(Debug, Clone)]
pub enum FileState {
    /// Read; the prefilter found nothing that could create a session. Held as no state at
    /// all (`SourceFiles::state`).
    Skipped,
    Summarised(Box<ModuleSummary>),
    /// Summarised by a whole-tree pass, then dropped at once, on the worker that made it,
    /// because the analysis reads nothing of it unless it follows an import into it: no
    /// create site, wrapper, route, suppression or definition of the TTL constant. Loaded
    /// again, whole, like `Skipped`; the residue is what the project-wide passes ask.
    Released(Residue),
    // Boxed, like the others (a `String` too), so that a file's state costs 16 bytes:
    // every candidate file holds one to the end.
    ParseFailed(Box<ParseFailure>),
    Unreadable(Box<String>),
}

/// What a released summary keeps for the passes that still read it: for the thin-wrapper
/// rounds (`Project::wrapper_fixpoint`), the project functions a Python module calls and
/// whether skimming left items out; for the re-export pass (`Project::rust_reexports`), the
/// `use` bindings of a Rust module that name a path (`app::prelude::CS` → its target). A
/// Python module's re-exports travel in `uses` too, until `set_whole_tree_state` moves them
/// into the project's map. Most files have neither callees nor such `use`s, and then hold
/// no allocation.
#[derive(Debug, Clone, Default)]
pub struct Residue {
    /// Where items were left out is not kept: a wrapper round searches the whole file, which
    /// can only summarise it again more often (see `Project::resummarise_mentioning`).
    left_out: bool,
    names: Option<Box<ResidueNames>>,
}

#[derive(Debug, Clone, Default)]
struct ResidueNames {
    project_callees: Box<[String]>,
    uses: Box<[(String, Term)]>,
}

impl Residue {
    fn project_callees(&self) -> &[String] {
        self.names.as_ref().map_or(&[], |n| &n.project_callees)
    }

    fn uses(&self) -> &[(String, Term)] {
        self.names.as_ref().map_or(&[], |n| &n.uses)
    }
}

/// A left-out span that covers any file: the released files' stand-in for their spans.
const WHOLE_FILE: &[ByteSpan] = &[ByteSpan {
    start: 0,
    end: usize::MAX,
}];

pub struct Project {
    pub config: Config,
    pub files: SourceFiles,
    /// Directories or files that could not be read at all.
    pub unreadable: Vec<(String, String)>,
    pub wrappers: HashMap<String, KnownWrapper>,
    pub ttl_definitions: HashSet<SymbolRef>,
    /// The shared constant's name, per language (configured or the default).
    pub constant_names: HashMap<Language, String>,
    /// The project's Rust crates and re-exports of Stripe types.
    pub rust: RustProject,
    /// Python names project modules bind to Stripe's (or an HTTP library's) names, keyed
    /// `module.name` (`Project::python_reexports`).
    pub python_reexports: HashMap<String, String>,
    /// The names `python_reexports` binds (`make` of `deps.make`).
    python_reexported_names: HashSet<String>,
    /// What Python modules' `ModuleSummary::reexports` listed, keyed `module.name`, until
    /// the re-export pass has followed and filtered them into `python_reexports`; `None`
    /// after it.
    python_exports: Option<HashMap<String, String>>,
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

impl Project {
    /// Discovers and summarises the project.
    pub fn load(config: Config, extra_roots: &[PathBuf], no_ignore: bool) -> Project {
        let root = config.root.clone();
        let mut roots = vec![root.clone()];
        for extra in extra_roots {
            if !extra.starts_with(&root) {
                roots.push(extra.clone());
            }
        }
        let source_roots = python_source_roots(&root, config.source_roots.as_deref());
        let tree = Tree::new(roots, &root, &config.exclude, no_ignore);
        let files = SourceFiles::new(root, &source_roots, tree);
        let mut constant_names = HashMap::new();
        for (language, configured, separator) in [
            (Language::Python, &config.python_constant, "."),
            (Language::Rust, &config.rust_constant, "::"),
        ] {
            let name = configured
                .as_deref()
                .and_then(|c| c.rsplit(separator).next())
                .unwrap_or(crate::config::DEFAULT_CONSTANT_NAME);
            constant_names.insert(language, name.to_string());
        }
        let mut project = Project {
            constant_names,
            rust: RustProject::default(),
            config,
            files,
            unreadable: Vec::new(),
            wrappers: HashMap::new(),
            python_reexports: HashMap::new(),
            python_reexported_names: HashSet::new(),
            python_exports: Some(HashMap::new()),
            ttl_definitions: HashSet::new(),
        };
        project.first_pass();
        project.rust_reexports();
        project.python_reexports();
        project.wrapper_fixpoint();
        project
    }

    /// Walks the tree and reads every file once, in parallel, as the walk finds it; parses
    /// the Python files that pass the prefilter, and holds only the candidates (and the
    /// loose Rust files, which only their entry names). Rust candidates are parsed after the
    /// walk, read again: which crates are the project's (a path into one is a project path)
    /// is known only once every Rust file has been seen.
    fn first_pass(&mut self) {
        let prefilter = Prefilter::checkout();
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
            let bytes = match std::fs::read(&path) {
                Ok(bytes) => bytes,
                Err(err) => {
                    let state = FileState::Unreadable(Box::new(err.to_string()));
                    return Some(Visited::Parsed(
                        files.entry_with(path, language, rust),
                        state,
                    ));
                }
            };
            let candidate = prefilter.matches(&bytes);
            let entry = || files.entry_with(path, language, rust);
            match (candidate, language) {
                (true, Language::Python) => {
                    let entry = entry();
                    let state = summarise_for_tree(&entry, bytes, &view);
                    Some(Visited::Parsed(entry, state))
                }
                (true, Language::Rust) => Some(Visited::RustCandidate(entry())),
                (false, _) if loose => Some(Visited::Loose(entry())),
                (false, _) => None,
            }
        });
        let (mut held, unreadable): (Vec<_>, Vec<_>) = visited
            .into_iter()
            .partition(|v| !matches!(v, Visited::Unreadable(..)));
        // Held in path order, each after the last (the walk's order; workers finish in any).
        held.sort_by(|a, b| a.path().cmp(b.path()));
        let mut states = Vec::new();
        let mut rust_candidates = Vec::new();
        for visited in held {
            match visited {
                Visited::Parsed(entry, state) => states.push((self.files.hold(entry), state)),
                Visited::RustCandidate(entry) => rust_candidates.push(self.files.hold(entry)),
                Visited::Loose(entry) => _ = self.files.hold(entry),
                Visited::Unreadable(..) => {}
            }
        }
        let mut unreadable: Vec<(PathBuf, String)> = unreadable
            .into_iter()
            .filter_map(|v| match v {
                Visited::Unreadable(path, message) => Some((path, message)),
                _ => None,
            })
            .collect();
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
            .map(|id| (id, read_and_summarise(&self.files[id], &view)))
            .collect();
        self.set_states_in_path_order(updates);
    }

    /// Rust modules that re-export a Stripe type (`pub use stripe::CheckoutSession as CS;`
    /// in a prelude) or name the endpoint's URL (`pub const SESSIONS_URL: &str = ..`): once
    /// known, re-summarise the Rust files that mention the new names, so `use
    /// crate::prelude::CS; CS::create(..)` resolves to Stripe and `client.post(SESSIONS_URL)`
    /// is a create. A file read again may pass a name on (`pub use crate::endpoints::
    /// SESSIONS_URL as PAY_URL;` in a module that never spells "checkout"), so this runs
    /// until no name is new.
    fn rust_reexports(&mut self) {
        for _round in 0..8 {
            let (reexports, endpoints) = self.rust_names_found();
            let new: HashSet<String> = reexports
                .keys()
                .filter(|key| !self.rust.reexports.contains_key(*key))
                .chain(endpoints.difference(&self.rust.endpoint_constants))
                .filter_map(|key| key.rsplit("::").next().map(str::to_string))
                .collect();
            if new.is_empty() {
                return;
            }
            self.rust.reexports = reexports;
            self.rust.endpoint_constants = endpoints;
            let needles: Vec<String> = new.into_iter().collect();
            self.resummarise_mentioning(Language::Rust, &needles, None);
        }
    }

    /// The Rust re-exports of Stripe's types (path → Stripe path) and the endpoint
    /// constants, from the summaries held, followed through `pub use` to a fixpoint.
    fn rust_names_found(&self) -> (HashMap<String, Vec<String>>, HashSet<String>) {
        let mut reexports: HashMap<String, Vec<String>> = HashMap::new();
        let mut endpoints: HashSet<String> = HashSet::new();
        let mut symbols: Vec<(String, String)> = Vec::new();
        for (index, file) in self.files.iter() {
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
            match self.files.state(index) {
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

    /// Python modules that bind Stripe's names under their own (`from stripe.checkout import
    /// Session as S`, `make = stripe.checkout.Session.create`): once known, summarise again
    /// the files that may reach a create method through one of them, so `from billing
    /// import S; S.create(..)` is a create site. Names re-exported from package `__init__`s
    /// are followed to a fixpoint.
    fn python_reexports(&mut self) {
        let Some(mut exports) = self.python_exports.take() else {
            return;
        };
        let mut read: HashSet<usize> = HashSet::new();
        let mut imports_only: HashSet<usize> = HashSet::new();
        // Each round may read a module that re-exports a name found in the round before
        // (`from .client import S`), so it runs until nothing is new.
        for _round in 0..8 {
            let found = follow_reexports(&exports);
            let new: HashSet<String> = found
                .iter()
                .filter(|(key, target)| self.python_reexports.get(*key) != Some(*target))
                .map(|(key, _)| key.clone())
                .collect();
            let mut wanted: HashSet<usize> = self
                .modules_to_read(&exports, &imports_only)
                .iter()
                .filter_map(|module| self.files.hold_module(module, Language::Python))
                .collect();
            wanted.retain(|index| !read.contains(index));
            if new.is_empty() && wanted.is_empty() {
                break;
            }
            self.python_exports = Some(HashMap::new());
            if !wanted.is_empty() {
                imports_only.extend(
                    wanted
                        .iter()
                        .filter(|&&index| matches!(self.files.state(index), FileState::Skipped)),
                );
                self.read_for_reexports(&wanted);
                read.extend(wanted);
            }
            if !new.is_empty() {
                let users = ReexportUsers::new(new, &found);
                self.python_reexported_names = found
                    .keys()
                    .filter_map(|key| Some(key.rsplit_once('.')?.1.to_string()))
                    .collect();
                self.python_reexports = found;
                for index in self.resummarise_reexport_users(&users, &imports_only) {
                    imports_only.remove(&index);
                }
                let mut importers = self.modules_naming(&users);
                importers.retain(|index| !read.contains(index));
                if !importers.is_empty() {
                    self.read_for_reexports(&importers);
                    read.extend(importers);
                }
            }
            exports.extend(self.python_exports.take().unwrap_or_default());
        }
    }

    /// The Python modules whose project imports the re-export pass must read: the first one
    /// on the way of a call (`deps.S.create`, through what the modules read so far are known
    /// to bind) that is unread or was read without its imports, and each star-imported one.
    /// Only calls made by files summarised for themselves count: a module read only for its
    /// imports (`imports_only`) is, to the rest of the pass, one never parsed (`Project::
    /// resummarise_reexport_users` reads it again if it spells a name that may hide a use).
    fn modules_to_read(
        &self,
        exports: &HashMap<String, String>,
        imports_only: &HashSet<usize>,
    ) -> HashSet<String> {
        // A star-imported module passes on its own star imports: read it for them.
        let mut wanted: HashSet<String> = exports
            .iter()
            .filter(|(key, _)| key.ends_with(".*"))
            .map(|(_, module)| module.clone())
            .collect();
        for (index, file) in self.files.iter() {
            if file.language() != Language::Python || imports_only.contains(&index) {
                continue;
            }
            let callees = match self.files.state(index) {
                FileState::Summarised(s) => &s.project_callees[..],
                FileState::Released(r) => r.project_callees(),
                _ => continue,
            };
            for callee in callees {
                wanted.extend(self.first_unread_link(callee, exports));
            }
        }
        // A chain of re-exports no call goes through yet: its end is read, so that the names
        // on the way become known (and files that spell them are read). A chain that starts
        // in a module read only for its imports is left until a call goes through it, unless
        // it ends in a parsed module: that one was summarised without its imports, maybe
        // before the name it passes on was known (`from billing import S as U`, a candidate),
        // and nothing else would read it again.
        let read_for_imports_only: HashSet<&str> = imports_only
            .iter()
            .filter_map(|&index| Some(self.files[index].module()?.0))
            .collect();
        for (key, target) in exports {
            let mut end = target;
            for _ in 0..8 {
                match exports.get(end.as_str()) {
                    Some(next) if next != end => end = next,
                    _ => break,
                }
            }
            let Some((end_module, _)) = end.rsplit_once('.') else {
                continue;
            };
            if exports.contains_key(end.as_str()) {
                continue;
            }
            if !crate::facts::ModuleSet::contains(&self.files, end_module) {
                continue;
            }
            let start = key.rsplit_once('.').map_or("", |(module, _)| module);
            if self.never_parsed(end_module) && read_for_imports_only.contains(start) {
                continue;
            }
            wanted.insert(end_module.to_string());
        }
        wanted
    }

    /// Follows a call (`module.name.method`) through the project names known so far
    /// (`exports`, star imports included); the module whose imports would tell the next
    /// link, when it is not among them.
    fn first_unread_link(&self, callee: &str, exports: &HashMap<String, String>) -> Option<String> {
        let mut callee = callee.to_string();
        for _ in 0..8 {
            // The longest prefix that is a project module.
            let mut module = callee.as_str();
            loop {
                module = module.rsplit_once('.')?.0;
                if crate::facts::ModuleSet::contains(&self.files, module) {
                    break;
                }
            }
            let rest = &callee[module.len() + 1..];
            let (name, dotted) = match rest.split_once('.') {
                Some((name, _)) => (name, true),
                None => (rest, false),
            };
            let key = format!("{module}.{name}");
            let next = match exports.get(&key) {
                Some(target) if *target != key => target.clone(),
                Some(_) => return None,
                None => match exports.get(&format!("{module}.*")) {
                    // Passed on by a star import (the star-imported module is read).
                    Some(starred) => format!("{starred}.{name}"),
                    // `deps.make(..)`: a function, or a name `deps` imports for a create
                    // method (`from payments import make`), which only reading a module
                    // never parsed can tell.
                    None if dotted || self.never_parsed(module) => return Some(module.to_string()),
                    None => return None,
                },
            };
            callee = format!("{next}{}", &callee[key.len()..]);
        }
        None
    }

    /// The parsed Python modules (other than the one that binds it) that spell a new name for
    /// a create method (`make_session`): one may pass it on under its own name (`from
    /// payments import make_session as begin`), which only reading its imports can tell,
    /// and a module that calls `begin(..)` may never spell "checkout". Such names are rare,
    /// so this seldom reads a file.
    fn modules_naming(&self, users: &ReexportUsers) -> HashSet<usize> {
        if users.methods.is_empty() {
            return HashSet::new();
        }
        let held: Vec<FileId> = self.files.held().collect();
        held.into_par_iter()
            .filter_map(|index| {
                let file = &self.files[index];
                let parsed = matches!(
                    self.files.state(index),
                    FileState::Summarised(_) | FileState::Released(_)
                );
                if file.language() != Language::Python || !parsed {
                    return None;
                }
                let bytes = std::fs::read(file.path()).ok()?;
                let module = file.module().unwrap_or_default().0;
                users
                    .spells_one(&bytes, module, false, |_| true)
                    .then_some(index)
            })
            .collect()
    }

    /// Whether the module's file failed the prefilter, so no summary ever listed its names.
    fn never_parsed(&self, module: &str) -> bool {
        match self.files.locate(module, Language::Python) {
            Some(Located::Held(id)) => matches!(self.files.state(id), FileState::Skipped),
            Some(Located::Unheld(_)) => true,
            None => false,
        }
    }

    /// Summarises the given Python modules again, listing every name they import among their
    /// re-exports (`ImportsListed::All`).
    fn read_for_reexports(&mut self, wanted: &HashSet<usize>) {
        let skim = self.skim_needles();
        let mut view = self.view(false, skim.as_ref());
        view.python.imports_listed = ImportsListed::All;
        let mut wanted: Vec<FileId> = wanted.iter().copied().collect();
        wanted.sort_unstable();
        let updates: Vec<(usize, FileState)> = wanted
            .into_par_iter()
            .filter_map(|index| {
                let file = &self.files[index];
                let bytes = std::fs::read(file.path()).ok()?;
                Some((index, summarise_for_tree(file, bytes, &view)))
            })
            .collect();
        self.set_states_in_path_order(updates);
    }

    /// Summarises again, in parallel, the Python files that may reach a create method
    /// through one of the new re-exports, knowing them now.
    fn resummarise_reexport_users(
        &mut self,
        users: &ReexportUsers,
        imports_only: &HashSet<usize>,
    ) -> Vec<usize> {
        // A file that spells a name standing for a Stripe one may pass it on under another
        // (`from zed import S as N1`): it is a link of a chain, so all its imports are listed.
        let imports = ImportsListed::Project;
        // Files not held were never parsed: only a name that hides "checkout" can be used
        // unseen in one.
        let unheld = users.may_hide_a_use(true);
        self.each_file(Language::Python, unheld, imports, |index, file, state| {
            let (callees, left_out): (&[String], &[ByteSpan]) = match state {
                FileState::Summarised(s) => (&s.project_callees, &s.left_out.spans),
                FileState::Released(r) => {
                    let left_out = if r.left_out { WHOLE_FILE } else { &[] };
                    (r.project_callees(), left_out)
                }
                FileState::Skipped => (&[], WHOLE_FILE),
                _ => return None,
            };
            let called = callees
                .iter()
                .any(|callee| name_under(callee, &users.keys).is_some());
            if called {
                return std::fs::read(file.path()).ok();
            }
            // A file never parsed, or read only for its imports (whose calls did not count:
            // `Project::modules_to_read`), may use a name that stands for a Stripe one
            // anywhere; a parsed file, in a left-out item, where it may also call a new name
            // for a create method.
            let never_parsed = matches!(state, FileState::Skipped);
            let unparsed = never_parsed || index.is_some_and(|i| imports_only.contains(&i));
            let in_left_out = !never_parsed && !left_out.is_empty() && users.may_hide_a_use(false);
            let anywhere = unparsed && users.may_hide_a_use(true);
            if !anywhere && !in_left_out {
                return None;
            }
            let bytes = std::fs::read(file.path()).ok()?;
            let module = file.module().unwrap_or_default().0;
            let may_use = (anywhere && users.may_use_unseen(&bytes, module, WHOLE_FILE, true))
                || (in_left_out && users.may_use_unseen(&bytes, module, left_out, false));
            may_use.then_some(bytes)
        })
    }

    /// Runs a whole-tree pass over every file of `language`: the held ones with their state
    /// and, with `unheld`, every other (the tree walked again) as `Skipped`, in parallel.
    /// `read` gives the bytes to summarise a file from again, or `None` to leave it. The new
    /// states are taken (`set_states_in_path_order`); a file not held before is held now. Their ids.
    fn each_file(
        &mut self,
        language: Language,
        unheld: bool,
        imports_listed: ImportsListed,
        read: impl Fn(Option<FileId>, &SourceEntry, &FileState) -> Option<Vec<u8>> + Sync,
    ) -> Vec<FileId> {
        let skim = self.skim_needles();
        let mut view = self.view(false, skim.as_ref());
        view.python.imports_listed = imports_listed;
        let files = &self.files;
        let held: Vec<FileId> = files
            .held()
            .filter(|&id| files[id].language() == language)
            .collect();
        let mut updates: Vec<(SourceEntry, FileState)> = Vec::new();
        let mut held_updates: Vec<(FileId, FileState)> = held
            .into_par_iter()
            .filter_map(|id| {
                let file = &files[id];
                let bytes = read(Some(id), file, files.state(id))?;
                Some((id, summarise_for_tree(file, bytes, &view)))
            })
            .collect();
        if unheld && files.any_unheld(language) {
            updates = files.tree().visit_in_parallel(|found| match found {
                Found::Source { path, language: l } if l == language => {
                    if files.held_at(&path).is_some() {
                        return None;
                    }
                    let file = files.entry(path, language);
                    let bytes = read(None, &file, &FileState::Skipped)?;
                    let state = summarise_for_tree(&file, bytes, &view);
                    Some((file, state))
                }
                _ => None,
            });
        }
        updates.sort_by(|(a, _), (b, _)| a.path().cmp(b.path()));
        for (file, state) in updates {
            let id = self.files.hold(file);
            held_updates.push((id, state));
        }
        let ids = held_updates.iter().map(|(id, _)| *id).collect();
        self.set_states_in_path_order(held_updates);
        ids
    }

    /// Takes the states a whole-tree pass made, by file id, in path order (a later file's
    /// re-export of a name replaces an earlier one's).
    fn set_states_in_path_order(&mut self, mut updates: Vec<(FileId, FileState)>) {
        let files = &self.files;
        updates.sort_by(|(a, _), (b, _)| files[*a].path().cmp(files[*b].path()));
        for (index, state) in updates {
            let file = &mut self.files[index];
            let state = file.whole_tree_state(state, self.python_exports.as_mut());
            file.set_candidate(true);
            self.files.set_state(index, state);
        }
    }

    /// Thin wrappers are judged at their callers: re-summarise the files that mention a
    /// wrapper's name, now knowing the wrapper, until no new wrapper appears.
    fn wrapper_fixpoint(&mut self) {
        for _round in 0..8 {
            let mut found = HashMap::new();
            for (index, _) in self.files.iter() {
                if let FileState::Summarised(summary) = self.files.state(index) {
                    for wrapper in &summary.wrappers {
                        let key = format!("{}.{}", wrapper.symbol.module, wrapper.symbol.name);
                        found.insert(
                            key,
                            KnownWrapper {
                                forwarding: wrapper.forwarding.clone(),
                                api: wrapper.site.api.clone(),
                            },
                        );
                    }
                }
            }
            let new: Vec<String> = found
                .keys()
                .filter(|k| !self.wrappers.contains_key(*k))
                .cloned()
                .collect();
            if new.is_empty() {
                return;
            }
            let needles: Vec<String> = new
                .iter()
                .filter_map(|k| k.rsplit('.').next().map(str::to_string))
                .collect();
            let callees: HashSet<String> = new.into_iter().collect();
            self.wrappers = found;
            self.resummarise_mentioning(Language::Python, &needles, Some(&callees));
        }
    }

    /// Summarises again, in parallel, the files of `language` that mention one of
    /// `needles`, now that the project knows more (wrappers, re-exports). With `callees`
    /// (new wrappers' qualified names), a file summarised whole is summarised again only if
    /// it calls one of them; skimmed and unsummarised files are searched for the needles
    /// (in their left-out items; a released file, whose spans are not kept, as a whole).
    fn resummarise_mentioning(
        &mut self,
        language: Language,
        needles: &[String],
        callees: Option<&HashSet<String>>,
    ) {
        let prefilter = Prefilter::exact(needles);
        // The prefilter finds a needle inside longer words too; a name is called only where
        // it is written as a whole word (short names, `S`, are inside most files).
        let words = crate::lang::words::WordSet::new(needles.iter().map(|n| n.as_bytes()));
        let imports = ImportsListed::Stripe;
        self.each_file(language, true, imports, |_, file, state| {
            let seen = match state {
                FileState::Summarised(s) => Some((&s.project_callees[..], &s.left_out.spans[..])),
                FileState::Released(r) => {
                    let left_out = if r.left_out { WHOLE_FILE } else { &[] };
                    Some((r.project_callees(), left_out))
                }
                _ => None,
            };
            match (callees, seen) {
                (Some(callees), Some((project_callees, left_out))) => {
                    if project_callees
                        .iter()
                        .any(|c| name_under(c, callees).is_some())
                    {
                        std::fs::read(file.path()).ok()
                    } else if !left_out.is_empty() {
                        // A left-out item may call one, by its name or by an alias that a
                        // kept import binds (`from billing import pay as begin`).
                        let bytes = std::fs::read(file.path()).ok()?;
                        python::may_call_unseen(&bytes, needles, left_out).then_some(bytes)
                    } else {
                        None
                    }
                }
                _ => {
                    let bytes = std::fs::read(file.path()).ok()?;
                    if !prefilter.matches(&bytes) {
                        return None;
                    }
                    let mut as_word = false;
                    words.find(&bytes, |_, _, _| as_word = true);
                    as_word.then_some(bytes)
                }
            }
        });
    }

    /// The summary of a module, loading it now if the first pass skipped it.
    pub fn module_summary(&mut self, module: &str, language: Language) -> Option<&ModuleSummary> {
        let index = self.files.hold_module(module, language)?;
        if matches!(
            self.files.state(index),
            FileState::Skipped | FileState::Released(_)
        ) {
            self.resummarise_fully(index);
        }
        match self.files.state(index) {
            FileState::Summarised(summary) => Some(summary),
            _ => None,
        }
    }

    /// Reads and summarises one file again, keeping everything.
    fn resummarise_fully(&mut self, index: usize) {
        let view = self.view(true, None);
        let file = &self.files[index];
        let state = match std::fs::read(file.path()) {
            Ok(bytes) => summarise(file, bytes, &view),
            Err(err) => FileState::Unreadable(Box::new(err.to_string())),
        };
        self.files.set_state(index, state);
        self.files[index].set_partial(false);
    }

    /// What whole-tree passes skim files with, per language; `None` when
    /// `CHECKOUT_LINT_SKIM=0` asks to parse every file whole (to compare the two).
    fn skim_needles(&self) -> Option<SkimNeedles> {
        if std::env::var_os("CHECKOUT_LINT_SKIM").is_some_and(|v| v == "0") {
            return None;
        }
        Some(SkimNeedles {
            python: python::skim_needles(
                self.constant_name(Language::Python),
                &self.wrappers,
                &self.python_reexports,
            ),
            rust: rust::skim_needles(self.constant_name(Language::Rust), &self.rust),
        })
    }

    /// What the front ends see of the project. `helper_functions: false` lets the Python
    /// front end skip summaries of helper functions in whole-tree passes; a module whose
    /// helpers are followed is summarised again in full.
    fn view<'p>(&'p self, helper_functions: bool, skim: Option<&'p SkimNeedles>) -> Views<'p> {
        Views {
            python: ProjectView {
                project_modules: &self.files,
                wrappers: &self.wrappers,
                reexports: &self.python_reexports,
                reexported_names: &self.python_reexported_names,
                imports_listed: ImportsListed::Stripe,
                helper_functions,
                skim: skim.map(|s| &s.python),
            },
            rust: &self.rust,
            rust_skim: skim.map(|s| &s.rust),
            constants: (
                self.constant_name(Language::Python),
                self.constant_name(Language::Rust),
            ),
        }
    }

    /// The shared constant's name for a language.
    pub fn constant_name(&self, language: Language) -> &str {
        self.constant_names
            .get(&language)
            .map(String::as_str)
            .unwrap_or(crate::config::DEFAULT_CONSTANT_NAME)
    }

    /// A module's summary and the name to look up in it. Rust paths into an inline module
    /// or a type (`app::billing::Clock::now`) name items stored in the file's summary under
    /// their path from the file's module (`Clock::now`).
    /// `binding`: the name is looked up among the module's bindings, which a whole-tree
    /// pass may have trimmed (`crate::index::trim`).
    fn lookup(&mut self, symbol: &SymbolRef, binding: bool) -> Option<(&ModuleSummary, String)> {
        let mut module = symbol.module.as_str();
        let mut name = symbol.name.clone();
        if symbol.language == Language::Rust {
            while self.files.locate(module, Language::Rust).is_none() {
                let (parent, owner) = module.rsplit_once("::")?;
                name = format!("{owner}::{name}");
                module = parent;
            }
        }
        let module = module.to_string();
        // A name that skimming left out of the summary: summarise the file whole. Left-out
        // items define top-level names (`Plans` of `Plans.BASIC`, `Clock` of `Clock::now`).
        let top_level = match symbol.language {
            Language::Python => name.split('.').next().unwrap_or_default(),
            Language::Rust => name.split("::").next().unwrap_or_default(),
        };
        if let Some(Located::Held(index)) = self.files.locate(&module, symbol.language) {
            let file = &self.files[index];
            if let FileState::Summarised(summary) = self.files.state(index) {
                let left_out = summary.left_out.may_define(top_level);
                let trimmed_away =
                    binding && file.bindings_trimmed() && !summary.bindings.contains_key(&name);
                let elided = !binding && file.functions_elided();
                if left_out || trimmed_away || elided {
                    self.resummarise_fully(index);
                }
            }
        }
        self.module_summary(&module, symbol.language)
            .map(|s| (s, name))
    }

    /// The summaries held, with their files' paths relative to the root.
    pub fn summaries(&self) -> impl Iterator<Item = (String, &ModuleSummary)> {
        let files = &self.files;
        files
            .iter()
            .filter_map(|(index, f)| match files.state(index) {
                FileState::Summarised(s) => Some((files.rel_path(f), s.as_ref())),
                _ => None,
            })
    }

    /// Moves a file's create sites out of its summary: analysis reports each site once,
    /// and nothing looks them up afterwards, so they need not be held to the end.
    pub fn take_call_sites(&mut self, index: usize) -> Vec<RawCallSite> {
        match self.files.state_mut(index) {
            Some(FileState::Summarised(summary)) => std::mem::take(&mut summary.call_sites),
            _ => Vec::new(),
        }
    }

    /// The path (relative to the root) of the file that defines `module`.
    pub fn path_of_module(&self, module: &str, language: Language) -> Option<String> {
        match self.files.locate(module, language)? {
            Located::Held(index) => Some(self.files.rel_path(&self.files[index])),
            Located::Unheld(path) => Some(relative(&path, &self.config.root)),
        }
    }
}

impl SourceEntry {
    /// The state to hold for a whole-tree pass's result: notes that helper functions are
    /// elided and bindings trimmed. A Python module's re-exports move into `exports` (keyed
    /// `module.name`), where the re-export pass reads them: one map for the project rather
    /// than a list per file.
    fn whole_tree_state(
        &mut self,
        mut state: FileState,
        mut exports: Option<&mut HashMap<String, String>>,
    ) -> FileState {
        if self.language() == Language::Python {
            match &mut state {
                FileState::Summarised(summary) => {
                    for (name, target) in std::mem::take(&mut summary.reexports) {
                        if let Some(exports) = exports.as_deref_mut() {
                            exports.insert(format!("{}.{name}", summary.module), target);
                        }
                    }
                }
                FileState::Released(residue) => {
                    if let Some(names) = &mut residue.names {
                        for (key, term) in std::mem::take(&mut names.uses).into_vec() {
                            if let (Some(exports), Term::External(target)) =
                                (exports.as_deref_mut(), term)
                            {
                                exports.insert(key, target);
                            }
                        }
                        if names.project_callees.is_empty() {
                            residue.names = None;
                        }
                    }
                }
                _ => {}
            }
        }
        let summary = match &state {
            FileState::Summarised(summary) => Some(summary),
            _ => None,
        };
        self.set_partial(summary.is_some());
        state
    }
}

/// What the front ends need to know about the project to summarise one file.
struct Views<'p> {
    python: ProjectView<'p>,
    rust: &'p RustProject,
    rust_skim: Option<&'p Needles>,
    /// The TTL constant's name (Python, Rust).
    constants: (&'p str, &'p str),
}

struct SkimNeedles {
    python: Needles,
    rust: Needles,
}

/// The `use` bindings of a Rust summary that name a path, keyed `module::name`: what the
/// re-export pass reads (Python summaries have none of these).
fn path_uses(summary: &ModuleSummary) -> impl Iterator<Item = (String, &Term)> {
    let rust = summary.language == Language::Rust;
    summary
        .bindings
        .iter()
        .filter(move |_| rust)
        .flat_map(|(name, bindings)| bindings.iter().map(move |b| (name, b)))
        .filter(|(_, b)| !b.is_definition && matches!(b.term, Term::External(_) | Term::Symbol(_)))
        .map(|(name, b)| (format!("{}::{name}", summary.module), &b.term))
}

/// Python re-exports (`module.name` → target) followed through each other to a library
/// name (a cycle stops at the bound); names that end in none are dropped, except names for
/// a project module on the way to one (`deps.pay` for `app.payments`, when `app.payments.S`
/// is Stripe's class: `deps.pay.S.create`).
fn follow_reexports(exports: &HashMap<String, String>) -> HashMap<String, String> {
    let with_stars;
    let exports = match through_star_imports(exports) {
        Some(expanded) => {
            with_stars = expanded;
            &with_stars
        }
        None => exports,
    };
    let mut stripe = HashMap::new();
    let mut others = Vec::new();
    for (key, target) in exports {
        if key.ends_with(".*") {
            continue;
        }
        let mut target = target;
        for _ in 0..8 {
            match exports.get(target.as_str()) {
                Some(next) if next != target => target = next,
                _ => break,
            }
        }
        let root = target.split('.').next().unwrap_or_default();
        if shapes().endpoint.is_constant_target(target)
            || python::is_shape_root(root)
            || shapes().python.names_service_part(target)
        {
            stripe.insert(key.clone(), target.clone());
        } else {
            others.push((key, target));
        }
    }
    let modules: HashSet<&str> = stripe
        .keys()
        .flat_map(|key| key.match_indices('.').map(move |(dot, _)| &key[..dot]))
        .collect();
    let aliases: Vec<(String, String)> = others
        .into_iter()
        .filter(|(key, target)| key != target && modules.contains(target.as_str()))
        .map(|(key, target)| (key.clone(), target.clone()))
        .collect();
    stripe.extend(aliases);
    stripe
}

/// `exports` with the names star imports pass on: `payments.*` → `payments.client` (a
/// package's `from .client import *`) gives `payments.client`'s names to `payments`, unless
/// it binds them itself. `None` when no module star-imports a project module.
fn through_star_imports(exports: &HashMap<String, String>) -> Option<HashMap<String, String>> {
    let stars: Vec<(&str, &str)> = exports
        .iter()
        .filter_map(|(key, target)| Some((key.strip_suffix(".*")?, target.as_str())))
        .collect();
    if stars.is_empty() {
        return None;
    }
    let mut exports = exports.clone();
    // Chains of star imports (`app` from `app.payments` from `app.payments.client`).
    for _ in 0..8 {
        let mut names_of: HashMap<&str, Vec<(&str, &str)>> = HashMap::new();
        for (key, target) in &exports {
            if let Some((module, name)) = key.rsplit_once('.') {
                if name != "*" {
                    names_of.entry(module).or_default().push((name, target));
                }
            }
        }
        let mut passed_on = Vec::new();
        for (importer, imported) in &stars {
            for (name, target) in names_of.get(imported).into_iter().flatten() {
                let key = format!("{importer}.{name}");
                if !exports.contains_key(&key) {
                    passed_on.push((key, target.to_string()));
                }
            }
        }
        if passed_on.is_empty() {
            break;
        }
        exports.extend(passed_on);
    }
    Some(exports)
}

/// New Python re-exports, and who may use them where a summary cannot tell.
struct ReexportUsers {
    /// `module.name`.
    keys: HashSet<String>,
    /// Names that stand for Stripe's checkout names without spelling "checkout" (`S`,
    /// `make_session`): a file that never spells it reaches a create only through one.
    hiding: Vec<String>,
    /// Names that stand for a create method (`make_session`): the one way a left-out item
    /// (which calls no create method by name) can create. A name that is a create
    /// method's own (`create = stripe.checkout.Session.create`) keeps its item already.
    methods: Vec<String>,
    /// Name → the modules that bind it, for the names in `hiding` and `methods`.
    modules: HashMap<String, Vec<String>>,
    /// Fast rejections: `hiding` and `methods`, found anywhere.
    hiding_prefilter: Prefilter,
    methods_prefilter: Prefilter,
}

impl ReexportUsers {
    fn new(new: HashSet<String>, targets: &HashMap<String, String>) -> Self {
        let python = &shapes().python;
        let mut users = ReexportUsers {
            keys: HashSet::new(),
            hiding: Vec::new(),
            methods: Vec::new(),
            modules: HashMap::new(),
            hiding_prefilter: Prefilter::exact(Vec::<String>::new()),
            methods_prefilter: Prefilter::exact(Vec::<String>::new()),
        };
        for key in &new {
            let Some((module, name)) = key.rsplit_once('.') else {
                continue;
            };
            let target = &targets[key];
            let hiding = target.to_ascii_lowercase().contains("checkout")
                && !name.to_ascii_lowercase().contains("checkout");
            let method = target.rsplit('.').next().unwrap_or_default();
            let creates = python
                .create_methods
                .iter()
                .chain(&python.raw_request_methods);
            let method =
                creates.clone().any(|m| m == method) && !creates.into_iter().any(|m| m == name);
            if hiding {
                users.hiding.push(name.to_string());
            }
            if method {
                users.methods.push(name.to_string());
            }
            if hiding || method {
                users
                    .modules
                    .entry(name.to_string())
                    .or_default()
                    .push(module.to_string());
            }
        }
        users.keys = new;
        for names in [&mut users.hiding, &mut users.methods] {
            names.sort_unstable();
            names.dedup();
        }
        users.hiding_prefilter = Prefilter::exact(&users.hiding);
        users.methods_prefilter = Prefilter::exact(&users.methods);
        users
    }

    /// Whether any name could be used unseen in such a file (`may_use_unseen`).
    fn may_hide_a_use(&self, unparsed: bool) -> bool {
        !if unparsed {
            &self.hiding
        } else {
            &self.methods
        }
        .is_empty()
    }

    /// Whether a file (module `module`) may use a re-export of another module where its
    /// summary does not show it: in a left-out item, or anywhere in a file never parsed
    /// (`unparsed`). Such a use spells the name (an import brings it in under that name, or
    /// an alias of it in kept code: `python::may_call_unseen`).
    fn may_use_unseen(
        &self,
        text: &[u8],
        module: &str,
        left_out: &[ByteSpan],
        unparsed: bool,
    ) -> bool {
        self.spells_one(text, module, unparsed, |name| {
            unparsed || python::may_call_unseen(text, std::slice::from_ref(name), left_out)
        })
    }

    /// Whether `text` spells, as a word, one of the names (`hiding` for a file never parsed,
    /// else `methods`) that a module other than `module` binds, and `also` holds for it.
    fn spells_one(
        &self,
        text: &[u8],
        module: &str,
        unparsed: bool,
        also: impl Fn(&String) -> bool,
    ) -> bool {
        let (names, prefilter) = if unparsed {
            (&self.hiding, &self.hiding_prefilter)
        } else {
            (&self.methods, &self.methods_prefilter)
        };
        if names.is_empty() || !prefilter.matches(text) {
            return false;
        }
        let words: HashSet<&[u8]> = crate::lang::words::words_in(text).collect();
        names.iter().any(|name| {
            words.contains(name.as_bytes())
                && self.modules[name.as_str()]
                    .iter()
                    .any(|from| from != module)
                && also(name)
        })
    }
}

/// The one of `names` that `callee` (`billing.S.create`) is, or is a name under.
fn name_under<'c>(callee: &'c str, names: &HashSet<String>) -> Option<&'c str> {
    let mut name = callee;
    loop {
        if names.contains(name) {
            return Some(name);
        }
        name = name.rsplit_once('.')?.0;
    }
}

/// A summary's re-exports, keyed `module.name` (Python) or `module::name` (Rust), as the
/// residue keeps them.
fn keyed_reexports(summary: &ModuleSummary) -> impl Iterator<Item = (String, Term)> + '_ {
    let separator = match summary.language {
        Language::Python => ".",
        Language::Rust => "::",
    };
    summary.reexports.iter().map(move |(name, target)| {
        (
            format!("{}{separator}{name}", summary.module),
            Term::External(target.clone()),
        )
    })
}

/// Whether the analysis reads nothing of a summary but what a lookup asks for: see
/// `FileState::Released`.
fn is_inert(summary: &ModuleSummary, constant: &str) -> bool {
    let defines_constant = summary.bindings.iter().any(|(key, bindings)| {
        constant_key_module(key, constant).is_some() && bindings.iter().any(|b| b.is_definition)
    });
    summary.call_sites.is_empty()
        && summary.wrappers.is_empty()
        && summary.routes.is_empty()
        && summary.suppressions.is_empty()
        && !defines_constant
}

/// Reads a file and summarises it for a whole-tree pass.
fn read_and_summarise(file: &SourceEntry, view: &Views) -> FileState {
    match std::fs::read(file.path()) {
        Ok(bytes) => summarise_for_tree(file, bytes, view),
        Err(err) => FileState::Unreadable(Box::new(err.to_string())),
    }
}

/// What the first pass keeps of a file it visits.
enum Visited {
    /// A Python candidate, summarised, or a file that could not be read.
    Parsed(SourceEntry, FileState),
    /// A Rust candidate, summarised after the walk.
    RustCandidate(SourceEntry),
    /// A loose Rust file that is not a candidate: held so that a lookup can name it.
    Loose(SourceEntry),
    /// A directory or file the walk could not read.
    Unreadable(PathBuf, String),
}

impl Visited {
    fn path(&self) -> &Path {
        match self {
            Visited::Parsed(entry, _) | Visited::RustCandidate(entry) | Visited::Loose(entry) => {
                entry.path()
            }
            Visited::Unreadable(path, _) => path,
        }
    }
}

/// `summarise` for a whole-tree pass: the summary keeps only the bindings it reaches.
fn summarise_for_tree(file: &SourceEntry, bytes: Vec<u8>, view: &Views) -> FileState {
    let mut state = summarise(file, bytes, view);
    if let FileState::Summarised(summary) = &mut state {
        let constant = match file.language() {
            Language::Python => view.constants.0,
            Language::Rust => view.constants.1,
        };
        crate::index::trim::trim_bindings(summary, constant);
        // Python's front end leaves helper functions out of whole-tree passes; Rust's
        // summarises them with the sites they hold, and they are dropped here. Either way a
        // helper lookup summarises the file again, whole (`functions_elided`).
        summary.functions = Default::default();
        if is_inert(summary, constant) {
            // Freed here, on the worker that made it, rather than held to the end of the
            // passes: most candidate files hold no site.
            let names = ResidueNames {
                project_callees: std::mem::take(&mut summary.project_callees).into(),
                uses: path_uses(summary)
                    .map(|(key, term)| (key, term.clone()))
                    .chain(keyed_reexports(summary))
                    .collect(),
            };
            let empty = names.project_callees.is_empty() && names.uses.is_empty();
            return FileState::Released(Residue {
                left_out: !summary.left_out.spans.is_empty(),
                names: (!empty).then(|| Box::new(names)),
            });
        }
    }
    state
}

fn summarise(file: &SourceEntry, bytes: Vec<u8>, view: &Views) -> FileState {
    let (text, invalid_utf8_at) = crate::workspace::source::decode(bytes);
    if let Some(offset) = invalid_utf8_at {
        return FileState::ParseFailed(Box::new(ParseFailure {
            offset,
            message: "the file is not valid UTF-8, so the interpreter or compiler would refuse it"
                .into(),
        }));
    }
    let result: Result<ModuleSummary, ParseFailure> = match (file.language(), file.rust_module()) {
        (Language::Python, _) => {
            let (module, is_package) = file.module().unwrap_or_default();
            python::summarize(&text, module, is_package, &view.python)
        }
        (Language::Rust, Some(rust_module)) => {
            rust::summarize(&text, rust_module, view.rust, view.rust_skim)
        }
        (Language::Rust, _) => return FileState::Skipped,
    };
    match result {
        Ok(summary) => FileState::Summarised(Box::new(summary)),
        Err(failure) => FileState::ParseFailed(Box::new(failure)),
    }
}

impl super::Symbols for Project {
    fn bindings(&mut self, symbol: &SymbolRef) -> Option<Vec<Binding>> {
        let (summary, name) = self.lookup(symbol, true)?;
        summary.bindings.get(&name).cloned()
    }

    fn function(&mut self, symbol: &SymbolRef) -> Option<FunctionSummary> {
        let (summary, name) = self.lookup(symbol, false)?;
        summary.functions.get(&name).cloned()
    }

    fn is_ttl_definition(&self, symbol: &SymbolRef) -> bool {
        self.ttl_definitions.contains(symbol)
    }

    fn is_shadow(&self, symbol: &SymbolRef) -> bool {
        symbol.name == self.constant_name(symbol.language) && !self.ttl_definitions.contains(symbol)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_are_clean_either_way() {
        let root = Path::new("/repo");
        for (path, expected) in [
            ("/repo/app/pay.py", "app/pay.py"),
            ("/repo", "."),
            ("/repo/./app//pay.py", "app/pay.py"),
            ("/repo/app/../pay.py", "app/../pay.py"),
            ("/elsewhere/x.py", "../elsewhere/x.py"),
            ("/repo2/x.py", "../repo2/x.py"),
            ("/repo/a b/ünï.py", "a b/ünï.py"),
        ] {
            assert_eq!(relative(Path::new(path), root), expected, "{path}");
        }
    }
}
