//! Plans the fix of a finding: the sanctioned `expires_at` at a site's `Slot`, the imports
//! it needs and, when the project has no TTL constant yet, its definition in the settings
//! module the project already has (an unsafe fix: it chooses a value). The edits' syntax is
//! the front end's (`lang::python::edit`); what to write, and how safe it is, is decided
//! here and worded by the rules. `sites` writes a site's edits, `constant` finds the
//! constant or where to define it, `values` rewrites a value a site writes.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::rc::Rc;

use super::Location;
use crate::facts::fix::{Fix, Safety, Slot, Splice, TextEdit};
use crate::facts::{Language, SymbolRef};
use crate::index::Lookup;
use crate::lang::python::edit::PythonEditor;
use crate::lang::rust::edit::RustEditor;
mod constant;
mod sites;
mod values;

use crate::rules::cl001_missing_expires_at as cl001;
use crate::workspace::source::SourceFile;
use constant::constant;
use sites::{is_test_or_script, python_fix, rust_fix};

/// The modules a project keeps its settings in, in the order a new constant prefers them.
const SETTINGS_MODULES: [&str; 4] = ["config", "settings", "conf", "constants"];

/// Where a language's constant comes from, decided at the first fix that needs it.
enum Constant {
    /// One definition: import it (a safe fix).
    Defined { module: String, name: String },
    /// None yet: define it in this module (an unsafe fix), then import it.
    ToDefine {
        module: String,
        name: String,
        definition: TextEdit,
    },
    /// Neither: no fix.
    Unavailable,
}

/// What a fixed site passes: now + the constant, or the project's own helper that every
/// sanctioned site of the language calls (`checkout_expires_at()`).
#[derive(Clone, Copy)]
enum Source<'a> {
    Constant {
        module: &'a str,
        name: &'a str,
        /// The fix defines it in its module (at the end).
        to_define: bool,
    },
    Helper(&'a SymbolRef),
}

impl Source<'_> {
    fn module_and_name(&self) -> (&str, &str) {
        match self {
            Source::Constant { module, name, .. } => (module, name),
            Source::Helper(symbol) => (&symbol.module, &symbol.name),
        }
    }
}

/// A fix at one site, before it is told apart from the constant's definition.
struct Planned {
    splices: Vec<Splice>,
    /// What the site will pass, as the message quotes it.
    shown: String,
    /// What the file now imports.
    imports: Vec<String>,
}

/// The fixes of one analysis run.
pub(super) struct FixPlanner {
    constants: HashMap<Language, Constant>,
    /// Per language, the helper the project's sanctioned sites call, if they agree on one.
    helpers: HashMap<Language, SymbolRef>,
    /// The Rust constant is a `pub const` of type `i64`, which a fix can import and add.
    rust_constant_fits: bool,
    /// The languages whose constant is outside Stripe's window (CL003).
    out_of_range: HashSet<Language>,
    /// The last file's editors: a file's sites come one after another, and one parse
    /// serves them all.
    python: Option<(PathBuf, Rc<PythonEditor>)>,
    rust: Option<(PathBuf, Rc<RustEditor>)>,
}

impl FixPlanner {
    pub(super) fn new(
        out_of_range: HashSet<Language>,
        helpers: HashMap<Language, SymbolRef>,
        rust_constant_fits: bool,
    ) -> Self {
        FixPlanner {
            constants: HashMap::new(),
            helpers,
            rust_constant_fits,
            out_of_range,
            python: None,
            rust: None,
        }
    }

    fn python_editor(&mut self, file: &SourceFile) -> Option<Rc<PythonEditor>> {
        cached(&mut self.python, file, PythonEditor::new)
    }

    /// Kept for the file's next site too: its spans live in the thread's source map, which
    /// the Rust front end clears when it summarises a module, so fixes are planned after
    /// every site is judged (`analysis::run`).
    fn rust_editor(&mut self, file: &SourceFile) -> Option<Rc<RustEditor>> {
        cached(&mut self.rust, file, RustEditor::new)
    }

    /// The fix of a CL001 site that passes nothing, if there is one.
    pub(super) fn missing(
        &mut self,
        lookup: &Lookup,
        file: &SourceFile,
        module: &str,
        (language, location): (Language, &Location),
        slot: Slot,
    ) -> Option<Fix> {
        if let Some(helper) = self.helpers.get(&language).cloned() {
            let source = Source::Helper(&helper);
            let planned = match language {
                Language::Python => {
                    let editor = self.python_editor(file)?;
                    python_fix(&editor, file, module, source, location, slot)?
                }
                Language::Rust => {
                    let editor = self.rust_editor(file)?;
                    rust_fix(&editor, file, module, source, slot)?
                }
            };
            let edits = (planned.splices.into_iter())
                .map(|s| text_edit(file, &location.rel_path, s))
                .collect();
            // The helper adds the constant: one outside Stripe's window breaks the call.
            let caveat =
                (self.out_of_range.contains(&language)).then_some(cl001::Caveat::OutOfRange);
            return Some(Fix {
                safety: if caveat.is_some() {
                    Safety::Unsafe
                } else {
                    Safety::Safe
                },
                message: cl001::fix_message(&planned.shown, &planned.imports, None, caveat),
                edits: sorted(edits),
            });
        }
        let (python, rust) = match language {
            Language::Python => (Some(self.python_editor(file)?), None),
            Language::Rust => (None, Some(self.rust_editor(file)?)),
        };
        // A site that finds no place for the constant does not decide for the others.
        let constant: &Constant = match self.constants.entry(language) {
            Entry::Occupied(known) => known.into_mut(),
            Entry::Vacant(slot) => match constant(lookup, file, module, language) {
                Constant::Unavailable => return None,
                found => slot.insert(found),
            },
        };
        let (constant_module, name, definition) = match constant {
            Constant::Defined { .. } if language == Language::Rust && !self.rust_constant_fits => {
                return None
            }
            Constant::Defined { module, name } => (module.as_str(), name.as_str(), None),
            Constant::ToDefine {
                module,
                name,
                definition,
            } => (module.as_str(), name.as_str(), Some(definition)),
            Constant::Unavailable => return None,
        };
        let source = Source::Constant {
            module: constant_module,
            name,
            to_define: definition.is_some(),
        };
        let planned = match (&python, &rust) {
            (Some(editor), _) => python_fix(editor, file, module, source, location, slot)?,
            (_, Some(editor)) => rust_fix(editor, file, module, source, slot)?,
            (None, None) => return None,
        };
        let mut edits: Vec<TextEdit> = (planned.splices.into_iter())
            .map(|s| text_edit(file, &location.rel_path, s))
            .collect();
        // Safe only when the one constant is in Stripe's window, and not a test's or a
        // script's (which production code should not import).
        let caveat = if self.out_of_range.contains(&language) {
            Some(cl001::Caveat::OutOfRange)
        } else if is_test_or_script(constant_module) && !is_test_or_script(module) {
            Some(cl001::Caveat::OtherPackage)
        } else {
            None
        };
        let safety = match definition {
            Some(definition) => {
                edits.push(definition.clone());
                Safety::Unsafe
            }
            None if caveat.is_none() => Safety::Safe,
            None => Safety::Unsafe,
        };
        let edits = sorted(edits);
        let message = cl001::fix_message(
            &planned.shown,
            &planned.imports,
            definition.map(|d| (d.path.as_str(), name)),
            caveat.filter(|_| definition.is_none()),
        );
        Some(Fix {
            safety,
            message,
            edits,
        })
    }
}

/// The editor of `file`: the one kept for it, or a new one, then kept.
fn cached<E>(
    kept: &mut Option<(PathBuf, Rc<E>)>,
    file: &SourceFile,
    make: impl FnOnce(&str) -> Option<E>,
) -> Option<Rc<E>> {
    match kept {
        Some((path, editor)) if *path == file.path => Some(editor.clone()),
        _ => {
            let editor = Rc::new(make(&file.text)?);
            *kept = Some((file.path.clone(), editor.clone()));
            Some(editor)
        }
    }
}

/// A source file as the analysis read it (through `workspace::source::read`), for planning.
pub(super) fn source_of(path: &std::path::Path, rel_path: &str) -> Option<SourceFile> {
    let bytes = crate::workspace::source::read(path).ok()?;
    let text = crate::workspace::source::decode(bytes).0;
    Some(SourceFile::new(
        path.to_path_buf(),
        rel_path.to_string(),
        text,
    ))
}

/// Whether a Rust item is `pub const NAME: i64 = ..` (`pub(crate)` too).
pub(super) fn is_public_i64_const(item: &str) -> bool {
    let item = item.trim_start();
    let Some(rest) = item.strip_prefix("pub") else {
        return false;
    };
    let type_ = rest.split_once(':').map(|(_, t)| t).unwrap_or_default();
    let type_ = type_.split_once('=').map_or(type_, |(t, _)| t);
    rest.contains("const ") && type_.trim() == "i64"
}

/// Edits by place; two insertions at one place keep the order the planner gave them.
fn sorted(mut edits: Vec<TextEdit>) -> Vec<TextEdit> {
    edits.sort_by(|a, b| (&a.path, a.start, a.end).cmp(&(&b.path, b.start, b.end)));
    edits
}

/// A front end's splice of `file` as an edit with positions.
fn text_edit(file: &SourceFile, rel_path: &str, splice: Splice) -> TextEdit {
    let start = file.position(splice.start);
    let end = file.position(splice.end);
    TextEdit {
        path: rel_path.to_string(),
        start: splice.start,
        end: splice.end,
        start_line: start.line,
        start_column: start.column,
        end_line: end.line,
        end_column: end.column,
        content: splice.content,
    }
}
