//! Summarising one file: what the front ends see of the project (`Views`: known wrappers,
//! re-exports, skim needles, the TTL constant's name), the front end's call, and what a
//! whole-tree pass keeps of the result (bindings trimmed, helper functions dropped, an
//! inert summary released on the worker that made it).
//!
//! Knows which front end reads which file; knows no pass's rounds and no rule.

use crate::facts::{Language, ModuleSummary, ParseFailure};
use crate::index::files::SourceEntry;
use crate::index::project::Project;
use crate::index::state::{is_inert, FileState, Residue};
use crate::lang::python::{ImportsListed, ProjectView, Python, PythonModule};
use crate::lang::rust::{Rust, RustView};
use crate::lang::skim::Needles;
use crate::lang::FrontEnd;

impl Project {
    /// What whole-tree passes skim files with, per language; `None` when
    /// `CHECKOUT_LINT_SKIM=0` asks to parse every file whole (to compare the two).
    pub(super) fn skim_needles(&self) -> Option<SkimNeedles> {
        if std::env::var_os("CHECKOUT_LINT_SKIM").is_some_and(|v| v == "0") {
            return None;
        }
        let view = self.view(false, None);
        Some(SkimNeedles {
            python: Python::skim_needles(self.constant_name(Language::Python), &view.python),
            rust: Rust::skim_needles(self.constant_name(Language::Rust), &view.rust),
        })
    }

    /// What the front ends see of the project. `helper_functions: false` lets the Python
    /// front end skip summaries of helper functions in whole-tree passes; a module whose
    /// helpers are followed is summarised again in full.
    pub(super) fn view<'p>(
        &'p self,
        helper_functions: bool,
        skim: Option<&'p SkimNeedles>,
    ) -> Views<'p> {
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
            rust: RustView {
                project: &self.rust,
                skim: skim.map(|s| &s.rust),
            },
            constants: (
                self.constant_name(Language::Python),
                self.constant_name(Language::Rust),
            ),
        }
    }
}

/// What the front ends need to know about the project to summarise one file.
pub(super) struct Views<'p> {
    pub(super) python: ProjectView<'p>,
    rust: RustView<'p>,
    /// The TTL constant's name (Python, Rust).
    constants: (&'p str, &'p str),
}

/// What skimming keeps an item for, per language.
pub(super) struct SkimNeedles {
    python: Needles,
    rust: Needles,
}

/// Reads a file and summarises it for a whole-tree pass.
pub(super) fn read_and_summarise(file: &SourceEntry, view: &Views) -> FileState {
    match crate::workspace::source::read(file.path()) {
        Ok(bytes) => summarise_for_tree(file, bytes, view),
        Err(err) => FileState::Unreadable(Box::new(err.to_string())),
    }
}

/// `summarise` for a whole-tree pass: the summary keeps only the bindings it reaches.
pub(super) fn summarise_for_tree(file: &SourceEntry, bytes: Vec<u8>, view: &Views) -> FileState {
    let mut state = summarise(file, bytes, view);
    if let FileState::Summarised(summary) = &mut state {
        let constant = match file.language() {
            Language::Python => view.constants.0,
            Language::Rust => view.constants.1,
        };
        crate::index::trim::trim_bindings(summary, constant);
        // Python's front end leaves helper functions out of whole-tree passes; Rust's
        // summarises them with the sites they hold, and they are dropped here. Either way a
        // helper lookup summarises the file again, whole (`functions_elided`). So does a
        // lookup of a form struct, which are dropped likewise.
        summary.functions = Default::default();
        summary.form_structs = Default::default();
        if is_inert(summary, constant) {
            // Freed here, on the worker that made it, rather than held to the end of the
            // passes: most candidate files hold no site.
            return FileState::Released(Residue::of(summary));
        }
    }
    state
}

/// Summarises a file whole, as a lookup reads it (`summarise_for_tree` keeps less).
pub(super) fn summarise(file: &SourceEntry, bytes: Vec<u8>, view: &Views) -> FileState {
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
            let (name, is_package) = file.module().unwrap_or_default();
            Python::summarize(&text, PythonModule { name, is_package }, &view.python)
        }
        (Language::Rust, Some(rust_module)) => Rust::summarize(&text, rust_module, &view.rust),
        (Language::Rust, _) => return FileState::Skipped,
    };
    match result {
        Ok(summary) => FileState::Summarised(Box::new(summary)),
        Err(failure) => FileState::ParseFailed(Box::new(failure)),
    }
}
