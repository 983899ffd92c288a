//! Lazy lookups: the analysis asks for a module's bindings, helper functions or form
//! structs by symbol (`Symbols`), and a module that the whole-tree passes skipped,
//! released, skimmed or trimmed is summarised again, whole, the first time one of its
//! names is asked for.
//!
//! A `Lookup` reads the project and never changes it: what it summarises again, and the
//! files it reads that the index did not hold, it keeps in its own table, over the index's
//! states. Everything the analysis reads of files goes through it, so a file summarised
//! again reads the same to every question.
//!
//! Knows held files and their states; knows nothing of what the analysis does with them.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use rustc_hash::FxHashMap;

use crate::facts::forms::FormDecl;
use crate::facts::{Binding, FunctionSummary, Language, ModuleSummary, SymbolRef};
use crate::index::files::{FileId, Located, SourceEntry};
use crate::index::project::Project;
use crate::index::state::FileState;
use crate::index::summarise::summarise;

/// The project as the analysis reads it: the index's files and states, with what lookups
/// have summarised again.
pub struct Lookup<'p> {
    project: &'p Project,
    /// Held files summarised again, whole: their state replaces the index's.
    reloaded: FxHashMap<FileId, FileState>,
    /// Files the index did not hold, read for a lookup (an import into a file the walk
    /// passed by), with their states.
    added: Vec<(SourceEntry, FileState)>,
    added_at: HashMap<PathBuf, usize>,
    /// The shared TTL constant's definitions, once the analysis has identified them.
    ttl_definitions: HashSet<SymbolRef>,
}

/// A file a lookup can read: one the index holds, or one the lookup added.
#[derive(Clone, Copy)]
enum Slot {
    Held(FileId),
    Added(usize),
}

impl<'p> Lookup<'p> {
    pub fn new(project: &'p Project) -> Self {
        Lookup {
            project,
            reloaded: FxHashMap::default(),
            added: Vec::new(),
            added_at: HashMap::new(),
            ttl_definitions: HashSet::new(),
        }
    }

    pub fn project(&self) -> &'p Project {
        self.project
    }

    /// The state of a file the index holds, as the lookups have left it.
    pub fn state(&self, id: FileId) -> &FileState {
        self.reloaded
            .get(&id)
            .unwrap_or_else(|| self.project.files.state(id))
    }

    /// Every file read so far with its state, in path order: those the index holds and those
    /// the lookups added.
    pub fn files(&self) -> Vec<(&SourceEntry, &FileState)> {
        let files = &self.project.files;
        let mut all: Vec<(&SourceEntry, &FileState)> =
            (files.iter().map(|(id, entry)| (entry, self.state(id))))
                .chain(self.added.iter().map(|(entry, state)| (entry, state)))
                .collect();
        if !self.added.is_empty() {
            all.sort_by(|a, b| a.0.path().cmp(b.0.path()));
        }
        all
    }

    /// The summaries held, with their files' paths relative to the root, in path order.
    pub fn summaries(&self) -> impl Iterator<Item = (String, &ModuleSummary)> {
        let files = &self.project.files;
        self.files()
            .into_iter()
            .filter_map(|(entry, state)| match state {
                FileState::Summarised(s) => Some((files.rel_path(entry), s.as_ref())),
                _ => None,
            })
    }

    /// Records the TTL constant's definitions (`Symbols::is_ttl_definition`).
    pub fn set_ttl_definitions(&mut self, definitions: HashSet<SymbolRef>) {
        self.ttl_definitions = definitions;
    }

    pub fn ttl_definitions(&self) -> &HashSet<SymbolRef> {
        &self.ttl_definitions
    }

    /// The summary of a module, loading it now if the first pass skipped it.
    pub fn module_summary(&mut self, module: &str, language: Language) -> Option<&ModuleSummary> {
        let slot = self.slot(module, language)?;
        if matches!(
            self.slot_state(slot),
            FileState::Skipped | FileState::Released(_)
        ) {
            self.resummarise_fully(slot);
        }
        match self.slot_state(slot) {
            FileState::Summarised(summary) => Some(summary),
            _ => None,
        }
    }

    /// The file that defines `module`, reading its entry if the index does not hold it.
    fn slot(&mut self, module: &str, language: Language) -> Option<Slot> {
        match self.project.files.locate(module, language)? {
            Located::Held(id) => Some(Slot::Held(id)),
            Located::Unheld(path) => {
                if let Some(&at) = self.added_at.get(&path) {
                    return Some(Slot::Added(at));
                }
                let language = crate::workspace::discover::language_of(&path)?;
                let entry = self.project.files.entry(path.clone(), language);
                self.added.push((entry, FileState::Skipped));
                self.added_at.insert(path, self.added.len() - 1);
                Some(Slot::Added(self.added.len() - 1))
            }
        }
    }

    fn slot_state(&self, slot: Slot) -> &FileState {
        match slot {
            Slot::Held(id) => self.state(id),
            Slot::Added(at) => &self.added[at].1,
        }
    }

    /// Whether the state a slot holds may leave out helper functions and bindings: only a
    /// whole-tree pass's, never one summarised again here.
    fn partial(&self, slot: Slot) -> (bool, bool) {
        match slot {
            Slot::Held(id) if !self.reloaded.contains_key(&id) => {
                let entry = &self.project.files[id];
                (entry.functions_elided(), entry.bindings_trimmed())
            }
            _ => (false, false),
        }
    }

    /// Reads and summarises one file again, keeping everything.
    fn resummarise_fully(&mut self, slot: Slot) {
        let view = self.project.view(true, None);
        let entry = match slot {
            Slot::Held(id) => &self.project.files[id],
            Slot::Added(at) => &self.added[at].0,
        };
        let state = match crate::workspace::source::read(entry.path()) {
            Ok(bytes) => summarise(entry, bytes, &view),
            Err(err) => FileState::Unreadable(Box::new(err.to_string())),
        };
        match slot {
            Slot::Held(id) => _ = self.reloaded.insert(id, state),
            Slot::Added(at) => self.added[at].1 = state,
        }
    }

    /// A module's summary and the name to look up in it. Rust paths into an inline module
    /// or a type (`app::billing::Clock::now`) name items stored in the file's summary under
    /// their path from the file's module (`Clock::now`).
    /// `binding`: the name is looked up among the module's bindings, which a whole-tree
    /// pass may have trimmed (`crate::index::trim`).
    fn lookup(&mut self, symbol: &SymbolRef, binding: bool) -> Option<(&ModuleSummary, String)> {
        let files = &self.project.files;
        let mut module = symbol.module.as_str();
        let mut name = symbol.name.clone();
        if symbol.language == Language::Rust {
            while files.locate(module, Language::Rust).is_none() {
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
        if let Some(Located::Held(id)) = files.locate(&module, symbol.language) {
            let slot = Slot::Held(id);
            if let FileState::Summarised(summary) = self.slot_state(slot) {
                let (functions_elided, bindings_trimmed) = self.partial(slot);
                let left_out = summary.left_out.may_define(top_level);
                let trimmed_away =
                    binding && bindings_trimmed && !summary.bindings.contains_key(&name);
                let elided = !binding && functions_elided;
                if left_out || trimmed_away || elided {
                    self.resummarise_fully(slot);
                }
            }
        }
        self.module_summary(&module, symbol.language)
            .map(|s| (s, name))
    }
}

impl crate::index::Symbols for Lookup<'_> {
    fn bindings(&mut self, symbol: &SymbolRef) -> Option<Vec<Binding>> {
        let (summary, name) = self.lookup(symbol, true)?;
        summary.bindings.get(&name).cloned()
    }

    fn function(&mut self, symbol: &SymbolRef) -> Option<FunctionSummary> {
        let (summary, name) = self.lookup(symbol, false)?;
        summary.functions.get(&name).cloned()
    }

    fn form_struct(&mut self, symbol: &SymbolRef) -> Option<FormDecl> {
        let (summary, name) = self.lookup(symbol, false)?;
        summary.form_structs.get(&name).cloned()
    }

    fn is_ttl_definition(&self, symbol: &SymbolRef) -> bool {
        self.ttl_definitions.contains(symbol)
    }

    fn is_shadow(&self, symbol: &SymbolRef) -> bool {
        symbol.name == self.project.constant_name(symbol.language)
            && !self.ttl_definitions.contains(symbol)
    }
}
