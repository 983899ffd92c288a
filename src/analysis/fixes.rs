//! Plans the fix of a finding: the sanctioned `expires_at` at a site's `Slot`, the imports
//! it needs and, when the project has no TTL constant yet, its definition in the settings
//! module the project already has (an unsafe fix: it chooses a value). The edits' syntax is
//! the front end's (`lang::python::edit`); what to write, and how safe it is, is decided
//! here and worded by the rules.

use std::path::{Path, PathBuf};

use super::Location;
use crate::facts::fix::{Fix, Safety, Slot, Splice, TextEdit};
use crate::facts::{Language, SymbolRef};
use crate::index::Lookup;
use crate::lang::python::edit::PythonEditor;
use crate::rules::{cl001_missing_expires_at as cl001, cl008_ttl_constant_undefined as cl008};
use crate::workspace::source::SourceFile;

/// The modules a project keeps its settings in, in the order a new constant prefers them.
const SETTINGS_MODULES: [&str; 4] = ["config", "settings", "conf", "constants"];

/// Where the Python constant comes from, decided at the first fix that needs it.
enum Constant {
    /// One definition: import it (a safe fix).
    Defined { module: String, name: String },
    /// None yet: define it in this module (an unsafe fix), then import it.
    ToDefine {
        module: String,
        name: String,
        definition: TextEdit,
    },
    /// Neither: no fix, and why.
    Unavailable,
}

/// The fixes of one analysis run.
pub(super) struct FixPlanner {
    python: Option<Constant>,
}

impl FixPlanner {
    pub(super) fn new() -> Self {
        FixPlanner { python: None }
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
        if language != Language::Python {
            return None;
        }
        let constant: &Constant = self
            .python
            .get_or_insert_with(|| python_constant(lookup, file, module));
        let (constant_module, name, definition) = match constant {
            Constant::Defined { module, name } => (module.as_str(), name.as_str(), None),
            Constant::ToDefine {
                module,
                name,
                definition,
            } => (module.as_str(), name.as_str(), Some(definition)),
            Constant::Unavailable => return None,
        };
        let editor = PythonEditor::new(&file.text)?;
        let mut splices = Vec::new();
        let (time, import_time) = editor.import_module("time");
        let bound = if constant_module == module {
            name.to_string()
        } else {
            let (bound, import) = editor.import_name(constant_module, name);
            splices.extend(import);
            bound
        };
        splices.extend(import_time.clone());
        let value = format!("int({time}.time()) + {bound}");
        let key = &crate::shapes::shapes().expires_at_param;
        let at = match slot {
            Slot::Argument => editor.add_argument(location.span.start, key, &value)?,
            Slot::Entry(span) => editor.add_entry(span.start, span.end, key, &value)?,
            Slot::BuilderCall(_) | Slot::Field(_) => return None,
        };
        splices.extend(at);
        let mut edits: Vec<TextEdit> = splices
            .into_iter()
            .map(|s| text_edit(file, &location.rel_path, s))
            .collect();
        let safety = match definition {
            Some(definition) => {
                edits.push(definition.clone());
                Safety::Unsafe
            }
            None => Safety::Safe,
        };
        edits.sort();
        let message = cl001::fix_message(
            &format!("{key}={value}"),
            import_time.is_some().then_some("time"),
            definition.map(|d| (d.path.as_str(), name)),
        );
        Some(Fix {
            safety,
            message,
            edits,
        })
    }
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

/// The Python constant: its one definition, or where to define it.
fn python_constant(lookup: &Lookup, file: &SourceFile, module: &str) -> Constant {
    let project = lookup.project();
    let defined: Vec<&SymbolRef> = (lookup.ttl_definitions().iter())
        .filter(|symbol| symbol.language == Language::Python)
        .collect();
    let name = project.constant_name(Language::Python).to_string();
    match defined.as_slice() {
        [one] => {
            return Constant::Defined {
                module: one.module.clone(),
                name: one.name.clone(),
            }
        }
        [] => {}
        _ => return Constant::Unavailable,
    }
    let target = match &project.config.python_constant {
        // `[ttl]` names a constant that is not defined: CL008 says so, and where it goes
        // is the user's to decide.
        Some(_) => None,
        None => settings_module(&file.path, module),
    };
    let Some((module, path)) = target else {
        return Constant::Unavailable;
    };
    let Ok(text) =
        crate::workspace::source::read(&path).map(|b| crate::workspace::source::decode(b).0)
    else {
        return Constant::Unavailable;
    };
    let Some(editor) = PythonEditor::new(&text) else {
        return Constant::Unavailable;
    };
    let lines = cl008::definition_lines(&name, Language::Python);
    let splice = editor.append_statement(&lines);
    let rel_path = path
        .strip_prefix(&project.config.root)
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    let target = SourceFile::new(path.clone(), rel_path.clone(), text);
    Constant::ToDefine {
        module,
        name,
        definition: text_edit(&target, &rel_path, splice),
    }
}

/// The settings module of the package holding `path` (module `module`): the first
/// `config.py`, `settings.py`, `conf.py` or `constants.py` from the top-level package down.
fn settings_module(path: &Path, module: &str) -> Option<(String, PathBuf)> {
    let parts: Vec<&str> = module.split('.').filter(|p| !p.is_empty()).collect();
    let is_package = path.file_name().is_some_and(|n| n == "__init__.py");
    let mut top: PathBuf = path.parent()?.to_path_buf();
    let depth = if is_package {
        parts.len()
    } else {
        parts.len().saturating_sub(1)
    };
    if depth == 0 {
        return None;
    }
    for _ in 1..depth {
        top = top.parent()?.to_path_buf();
    }
    let mut dir = top;
    for level in 1..=depth {
        for name in SETTINGS_MODULES {
            let candidate = dir.join(format!("{name}.py"));
            if candidate.is_file() {
                return Some((format!("{}.{name}", parts[..level].join(".")), candidate));
            }
        }
        if let Some(next) = parts.get(level) {
            dir = dir.join(next);
        }
    }
    None
}
