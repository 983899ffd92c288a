//! What the index holds of each file (`FileState`), and of a summary that nothing but the
//! project-wide passes reads (`Residue`): the states a whole-tree pass's results become.
//!
//! Knows the shape of a summary; knows neither how files are found nor how they are read.

use std::collections::HashMap;

use crate::facts::{constant_key_module, ByteSpan, Language, ModuleSummary, ParseFailure, Term};

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
/// rounds (`passes::wrappers`), the project functions a Python module calls and whether
/// skimming left items out; for the re-export pass (`passes::rust_reexports`), the `use`
/// bindings of a Rust module that name a path (`app::prelude::CS` → its target). A Python
/// module's re-exports travel in `uses` too, until `whole_tree_state` moves
/// them into the project's map. Most files have neither callees nor such `use`s, and then
/// hold no allocation.
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
    /// What a released summary keeps (the summary loses its callees to it).
    pub(super) fn of(summary: &mut ModuleSummary) -> Residue {
        let names = ResidueNames {
            project_callees: std::mem::take(&mut summary.project_callees).into(),
            uses: path_uses(summary)
                .map(|(key, term)| (key, term.clone()))
                .chain(keyed_reexports(summary))
                .collect(),
        };
        let empty = names.project_callees.is_empty() && names.uses.is_empty();
        Residue {
            left_out: !summary.left_out.spans.is_empty(),
            names: (!empty).then(|| Box::new(names)),
        }
    }

    pub(super) fn project_callees(&self) -> &[String] {
        self.names.as_ref().map_or(&[], |n| &n.project_callees)
    }

    /// Where items were left out, as far as a released file knows: the whole file, if any.
    pub(super) fn left_out(&self) -> &'static [ByteSpan] {
        if self.left_out {
            WHOLE_FILE
        } else {
            &[]
        }
    }

    pub(super) fn uses(&self) -> &[(String, Term)] {
        self.names.as_ref().map_or(&[], |n| &n.uses)
    }
}

/// A left-out span that covers any file: the released files' stand-in for their spans.
pub(super) const WHOLE_FILE: &[ByteSpan] = &[ByteSpan {
    start: 0,
    end: usize::MAX,
}];

/// The state to hold for a whole-tree pass's result on a file of `language`. A Python
/// module's re-exports move into `exports` (keyed `module.name`), where the re-export pass
/// reads them: one map for the project rather than a list per file. The caller notes that a
/// summary held this way has its helper functions elided and bindings trimmed.
pub(super) fn whole_tree_state(
    language: Language,
    mut state: FileState,
    mut exports: Option<&mut HashMap<String, String>>,
) -> FileState {
    if language == Language::Python {
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
    state
}

/// The `use` bindings of a Rust summary that name a path, keyed `module::name`: what the
/// re-export pass reads (Python summaries have none of these).
pub(super) fn path_uses(summary: &ModuleSummary) -> impl Iterator<Item = (String, &Term)> {
    let rust = summary.language == Language::Rust;
    summary
        .bindings
        .iter()
        .filter(move |_| rust)
        .flat_map(|(name, bindings)| bindings.iter().map(move |b| (name, b)))
        .filter(|(_, b)| !b.is_definition && matches!(b.term, Term::External(_) | Term::Symbol(_)))
        .map(|(name, b)| (format!("{}::{name}", summary.module), &b.term))
}

/// A summary's re-exports, keyed `module.name` (Python) or `module::name` (Rust), as the
/// residue keeps them.
pub(super) fn keyed_reexports(
    summary: &ModuleSummary,
) -> impl Iterator<Item = (String, Term)> + '_ {
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
pub(super) fn is_inert(summary: &ModuleSummary, constant: &str) -> bool {
    let defines_constant = summary.bindings.iter().any(|(key, bindings)| {
        constant_key_module(key, constant).is_some() && bindings.iter().any(|b| b.is_definition)
    });
    summary.call_sites.is_empty()
        && summary.wrappers.is_empty()
        && summary.routes.is_empty()
        && summary.suppressions.is_empty()
        && !defines_constant
}
