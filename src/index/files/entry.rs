//! One held file: where it is read, its module (Python: from a source root; Rust: from the
//! Cargo layout), and the flags the passes set (candidate, summarised in part, loose).
//!
//! Knows how a file is named, not what it holds nor where its module's importers are.

use std::path::{Path, PathBuf};

use super::{relative, SourceFiles};
use crate::facts::Language;
use crate::lang::rust::RustModule;

/// One source file of the tree: where it is, its module, and flags the passes set.
#[derive(Debug)]
pub struct SourceEntry {
    /// Where the file is read (its path relative to the root is made when asked: most
    /// held files are never reported).
    pub(super) path: Box<Path>,
    /// The key of its module (`app.billing`, `shop::billing`), and whether it is a Python
    /// package's `__init__`.
    pub(super) module: Option<(Box<str>, bool)>,
    rust_module: Option<Box<RustModule>>,
    pub(super) language: Language,
    pub(super) flags: u8,
}

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
pub(super) const LOOSE: u8 = 8;

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

impl SourceFiles {
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
}
