//! Lazy lookups: the analysis asks for a module's bindings or helper functions by symbol
//! (`Symbols`), and a module that the whole-tree passes skipped, released, skimmed or
//! trimmed is summarised again, whole, the first time one of its names is asked for.
//!
//! Knows held files and their states; knows nothing of what the analysis does with them.

use crate::facts::forms::FormDecl;
use crate::facts::{Binding, FunctionSummary, Language, ModuleSummary, SymbolRef};
use crate::index::files::Located;
use crate::index::project::Project;
use crate::index::state::FileState;
use crate::index::summarise::summarise;

impl Project {
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
}

impl crate::index::Symbols for Project {
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
        symbol.name == self.constant_name(symbol.language) && !self.ttl_definitions.contains(symbol)
    }
}
