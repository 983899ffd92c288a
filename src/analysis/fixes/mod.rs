//! Plans the fix of a finding: the sanctioned `expires_at` at a site's `Slot`, the imports
//! it needs and, when the project has no TTL constant yet, its definition in the settings
//! module the project already has (an unsafe fix: it chooses a value). The edits' syntax is
//! the front end's (`lang::python::edit`); what to write, and how safe it is, is decided
//! here and worded by the rules. `sites` writes a site's edits, `constant` finds the
//! constant or where to define it, `values` rewrites a value a site writes.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Mutex;

use rayon::prelude::*;

use super::Location;
use crate::facts::fix::{Fix, Slot, Splice, TextEdit};
use crate::facts::{Language, SymbolRef};
use crate::index::project::Project;
use crate::index::Lookup;
use crate::lang::python::edit::PythonEditor;
use crate::lang::rust::edit::{RustEditor, Visibility};
mod constant;
mod missing;
mod rust_reads;
mod sites;
mod values;

use crate::workspace::source::SourceFile;
use constant::constant;

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

/// A fix the analysis wants planned: diagnostic `index`, at a site of `location`.
pub(super) struct Wanted {
    pub index: usize,
    pub abs_path: PathBuf,
    pub slot: Slot,
    pub module: String,
    pub language: Language,
    pub location: Location,
    /// The `expires_at` text the site was judged with.
    pub value: Option<String>,
}

/// The fixes of one analysis run: what every file's fixes share, decided before they are
/// planned, a file to a job, in parallel.
pub(super) struct FixPlanner {
    constants: HashMap<Language, Constant>,
    /// Per language, the helper the project's sanctioned sites call, if they agree on one.
    helpers: HashMap<Language, SymbolRef>,
    /// How far the Rust constant, a `const` of type `i64`, can be imported from; `None`
    /// when a fix cannot import and add it.
    rust_constant_reach: Option<Visibility>,
    /// The name of the Rust constant when there is one, a `const` of type `i64`.
    rust_i64_constant: Option<String>,
    /// The languages whose constant is outside Stripe's window (CL003).
    out_of_range: HashSet<Language>,
    rust_reads: Mutex<rust_reads::RustReads>,
}

impl FixPlanner {
    pub(super) fn new(
        out_of_range: HashSet<Language>,
        helpers: HashMap<Language, SymbolRef>,
        (rust_constant_reach, rust_i64_constant): (Option<Visibility>, Option<String>),
    ) -> Self {
        FixPlanner {
            constants: HashMap::new(),
            helpers,
            rust_constant_reach,
            rust_i64_constant,
            out_of_range,
            rust_reads: Default::default(),
        }
    }

    /// Each wanted fix's `Fix`, if there is one, by diagnostic index.
    pub(super) fn plan(
        mut self,
        lookup: &Lookup,
        wanted: Vec<Wanted>,
    ) -> Vec<(usize, Option<Fix>)> {
        // Where each language's constant comes from: decided by the first site that needs
        // it and finds a place for it (one that finds none does not decide for the others).
        for want in &wanted {
            let needs = matches!(
                want.slot,
                Slot::Argument(_) | Slot::Entry(_) | Slot::BuilderCall(_) | Slot::Field(_)
            );
            let language = want.language;
            if needs
                && !self.helpers.contains_key(&language)
                && !self.constants.contains_key(&language)
            {
                match constant(lookup, &want.abs_path, &want.module, language) {
                    Constant::Unavailable => {}
                    found => {
                        self.constants.insert(language, found);
                    }
                }
            }
        }
        let mut files: Vec<Vec<Wanted>> = Vec::new();
        for want in wanted {
            match files.last_mut() {
                Some(file) if file[0].abs_path == want.abs_path => file.push(want),
                _ => files.push(vec![want]),
            }
        }
        let project = lookup.project();
        let planner = &self;
        let planned: Vec<Vec<(usize, Option<Fix>)>> = files
            .into_par_iter()
            .map(|wanted| {
                let first = &wanted[0];
                let Some(file) = source_of(&first.abs_path, &first.location.rel_path) else {
                    return wanted.iter().map(|w| (w.index, None)).collect();
                };
                let mut plan = FilePlan {
                    planner,
                    project,
                    file: &file,
                    python: None,
                    rust: None,
                };
                let fixes = (wanted.iter()).map(|w| (w.index, plan.fix(w))).collect();
                drop(plan);
                // The spans of this file's parse are no longer needed on this thread.
                crate::lang::rust::forget_spans();
                fixes
            })
            .collect();
        planned.into_iter().flatten().collect()
    }
}

/// One file's fixes: its editors, each parsed once for all of them.
struct FilePlan<'p> {
    planner: &'p FixPlanner,
    project: &'p Project,
    file: &'p SourceFile,
    python: Option<Rc<PythonEditor>>,
    rust: Option<Rc<RustEditor>>,
}

impl FilePlan<'_> {
    fn fix(&mut self, want: &Wanted) -> Option<Fix> {
        let at = (want.language, &want.location);
        match want.slot {
            Slot::Value(span, how) => {
                let value = (span, want.value.as_deref().unwrap_or_default());
                self.value(&want.module, at, how, value)
            }
            slot => self.missing(&want.module, at, slot),
        }
    }

    fn python_editor(&mut self) -> Option<Rc<PythonEditor>> {
        if self.python.is_none() {
            self.python = Some(Rc::new(PythonEditor::new(&self.file.text)?));
        }
        self.python.clone()
    }

    fn rust_editor(&mut self) -> Option<Rc<RustEditor>> {
        if self.rust.is_none() {
            self.rust = Some(Rc::new(RustEditor::new(&self.file.text)?));
        }
        self.rust.clone()
    }

    fn rust_reads(&self) -> std::sync::MutexGuard<'_, rust_reads::RustReads> {
        self.planner
            .rust_reads
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
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

/// Where a Rust item `NAME: i64` can be imported from: anywhere (`pub`), in its crate
/// (`pub(crate)`); `None` for another type or a narrower visibility.
pub(super) fn i64_const_reach(item: &str) -> Option<Visibility> {
    let item = item.trim_start();
    let (reach, rest) = match item.strip_prefix("pub(crate)") {
        Some(rest) => (Visibility::Crate, rest),
        None => (Visibility::Public, item.strip_prefix("pub")?),
    };
    if rest.starts_with('(') {
        return None;
    }
    let type_ = rest.split_once(':').map(|(_, t)| t).unwrap_or_default();
    let type_ = type_.split_once('=').map_or(type_, |(t, _)| t);
    (rest.contains("const ") && type_.trim() == "i64").then_some(reach)
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
