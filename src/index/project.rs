//! The project: the source files it holds (`files`), the summaries the front ends made of
//! them, and what the project-wide passes learnt (wrappers, re-exports). `load` builds it:
//! discover, prefilter, parse + summarise (`first_pass`: in parallel as the walk finds
//! files; Rust candidates once the walk is over), then the project-wide passes (`passes`:
//! re-exports, thin wrappers), which read again only the files that may have changed
//! meaning.
//!
//! Files that did not pass the prefilter are summarised lazily when the analysis follows
//! an import into them (`lookup`: a helper module, a config module with a differently
//! named constant), so the common case parses only the few files that mention a checkout
//! API. Once loaded, the project is read-only: the analysis reads it through a `Lookup`,
//! which keeps what it summarises again in its own table.
//!
//! Knows what the analysis reads of the result; knows no rule.

use std::collections::{HashMap, HashSet};

use crate::config::Config;
use crate::facts::{Language, ModuleSummary};
pub use crate::index::files::{relative, Located, SourceEntry, SourceFiles};
pub use crate::index::state::FileState;
use crate::lang::python::KnownWrapper;
use crate::lang::rust::RustProject;

pub struct Project {
    pub config: Config,
    pub files: SourceFiles,
    /// Directories or files that could not be read at all.
    pub unreadable: Vec<(String, String)>,
    /// Files that pass the prefilter but are binary (NUL bytes), skipped: root-relative.
    pub binary: Vec<String>,
    pub wrappers: HashMap<String, KnownWrapper>,
    /// The shared constant's name, per language (configured or the default).
    pub constant_names: HashMap<Language, String>,
    /// The project's Rust crates and re-exports of Stripe types.
    pub rust: RustProject,
    /// Python names project modules bind to Stripe's (or an HTTP library's) names, keyed
    /// `module.name` (`passes::python_reexports`).
    pub python_reexports: HashMap<String, String>,
    /// The names `python_reexports` binds (`make` of `deps.make`).
    pub(super) python_reexported_names: HashSet<String>,
    /// What Python modules' `ModuleSummary::reexports` listed, keyed `module.name`, until
    /// the re-export pass has followed and filtered them into `python_reexports`; `None`
    /// after it.
    pub(super) python_exports: Option<HashMap<String, String>>,
}

impl Project {
    /// The shared constant's name for a language.
    pub fn constant_name(&self, language: Language) -> &str {
        self.constant_names
            .get(&language)
            .map(String::as_str)
            .unwrap_or(crate::config::DEFAULT_CONSTANT_NAME)
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

    /// The path (relative to the root) of the file that defines `module`.
    pub fn path_of_module(&self, module: &str, language: Language) -> Option<String> {
        match self.files.locate(module, language)? {
            Located::Held(index) => Some(self.files.rel_path(&self.files[index])),
            Located::Unheld(path) => Some(relative(&path, &self.config.root)),
        }
    }
}
