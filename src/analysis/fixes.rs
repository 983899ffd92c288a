//! Plans the fix of a finding: the sanctioned `expires_at` at a site's `Slot`, the imports
//! it needs and, when the project has no TTL constant yet, its definition in the settings
//! module the project already has (an unsafe fix: it chooses a value). The edits' syntax is
//! the front end's (`lang::python::edit`); what to write, and how safe it is, is decided
//! here and worded by the rules.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::Location;
use crate::facts::fix::{Fix, Safety, Slot, Splice, TextEdit};
use crate::facts::{ByteSpan, Language, SymbolRef};
use crate::index::Lookup;
use crate::lang::python::edit::PythonEditor;
use crate::lang::rust::edit::RustEditor;
use crate::rules::{
    cl001_missing_expires_at as cl001, cl005_expires_at_not_integer as cl005,
    cl006_naive_utc_timestamp as cl006, cl008_ttl_constant_undefined as cl008, RuleCode,
};
use crate::workspace::source::SourceFile;

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
    /// The languages whose constant is outside Stripe's window (CL003).
    out_of_range: HashSet<Language>,
}

impl FixPlanner {
    pub(super) fn new(out_of_range: HashSet<Language>) -> Self {
        FixPlanner {
            constants: HashMap::new(),
            out_of_range,
        }
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
        // A site that finds no place for the constant does not decide for the others.
        let constant: &Constant = match self.constants.entry(language) {
            Entry::Occupied(known) => known.into_mut(),
            Entry::Vacant(slot) => match constant(lookup, file, module, language) {
                Constant::Unavailable => return None,
                found => slot.insert(found),
            },
        };
        let (constant_module, name, definition) = match constant {
            Constant::Defined { module, name } => (module.as_str(), name.as_str(), None),
            Constant::ToDefine {
                module,
                name,
                definition,
            } => (module.as_str(), name.as_str(), Some(definition)),
            Constant::Unavailable => return None,
        };
        let constant = (constant_module, name);
        let planned = match language {
            Language::Python => {
                let defined_here = definition.is_some();
                python_fix(file, module, constant, (location, defined_here), slot)?
            }
            Language::Rust => rust_fix(file, module, constant, slot)?,
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
        // By place; two insertions at one place keep the order the planner gave them.
        edits.sort_by(|a, b| (&a.path, a.start, a.end).cmp(&(&b.path, b.start, b.end)));
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

impl FixPlanner {
    /// The fix of a value a Python site writes itself: a float made an integer (CL005), a
    /// naive clock made aware (CL006). (A Rust float there does not compile.)
    pub(super) fn value(
        &self,
        file: &SourceFile,
        module: &str,
        language: Language,
        rule: RuleCode,
        span: ByteSpan,
    ) -> Option<Fix> {
        let splices = match (language, rule) {
            (Language::Python, RuleCode::CL005) => {
                PythonEditor::new(&file.text)?.wrap_in_call(span.start, span.end, "int")
            }
            (Language::Python, RuleCode::CL006) => {
                let package = python_package(&file.path, module);
                PythonEditor::new(&file.text)?.aware_clocks(package, span.start, span.end)?
            }
            _ => return None,
        };
        let mut edits: Vec<TextEdit> = (splices.into_iter())
            .map(|s| text_edit(file, &file.rel_path, s))
            .collect();
        edits.sort_by(|a, b| (&a.path, a.start, a.end).cmp(&(&b.path, b.start, b.end)));
        let message = match rule {
            RuleCode::CL005 => cl005::fix_message(),
            _ => cl006::fix_message(),
        };
        Some(Fix {
            safety: Safety::Safe,
            message,
            edits,
        })
    }
}

/// The package a Python module's relative imports start from.
fn python_package<'m>(path: &Path, module: &'m str) -> &'m str {
    match path.file_name().is_some_and(|n| n == "__init__.py") {
        true => module,
        false => module.rsplit_once('.').map_or("", |(package, _)| package),
    }
}

/// `expires_at=int(time.time()) + TTL` at a Python site, with its imports.
fn python_fix(
    file: &SourceFile,
    module: &str,
    (constant_module, name): (&str, &str),
    (location, defined_here): (&Location, bool),
    slot: Slot,
) -> Option<Planned> {
    let editor = PythonEditor::new(&file.text)?;
    let mut splices = Vec::new();
    let mut imports = Vec::new();
    let site = location.span.start;
    // The site runs when the module is loaded: a name it uses must be bound before it.
    let at_load = !editor.in_function(site);
    let (time, import_time) = editor.import_module("time")?;
    if let Some(import) = import_time {
        if at_load && import.start > site {
            return None;
        }
        splices.push(import);
        imports.push(time.clone());
    }
    let bound = if constant_module == module {
        // The constant of this very module: defined before a site that runs at load.
        if at_load && (defined_here || !editor.assigns_before(name, site)) {
            return None;
        }
        name.to_string()
    } else {
        let package = python_package(&file.path, module);
        let (bound, import) = editor.import_name(package, constant_module, name);
        if let Some(import) = import {
            if at_load && import.start > site {
                return None;
            }
            splices.push(import);
            imports.push(format!("{constant_module}.{name}"));
        }
        bound
    };
    let value = format!("int({time}.time()) + {bound}");
    let key = &crate::shapes::shapes().expires_at_param;
    let at = match slot {
        Slot::Argument(call) => editor.add_argument(call.start, call.end, key, &value)?,
        Slot::Entry(span) => editor.add_entry(span.start, span.end, key, &value)?,
        Slot::BuilderCall(_) | Slot::Field(_) | Slot::Value(_) => return None,
    };
    splices.extend(at);
    Some(Planned {
        splices,
        shown: format!("{key}={value}"),
        imports,
    })
}

/// `.expires_at(now + TTL)` in a 1.x builder, `expires_at: Some(now + TTL)` in 0.x params,
/// with the clock of the crate's dependencies (chrono, else `SystemTime`) and the `use`.
fn rust_fix(
    file: &SourceFile,
    module: &str,
    (constant_module, name): (&str, &str),
    slot: Slot,
) -> Option<Planned> {
    let editor = RustEditor::new(&file.text)?;
    let mut splices = Vec::new();
    let mut imports = Vec::new();
    let crate_of = |m: &str| m.split("::").next().unwrap_or_default().to_string();
    let bound = if constant_module == module {
        name.to_string()
    } else {
        let mut path: Vec<String> = constant_module.split("::").map(String::from).collect();
        if crate_of(constant_module) == crate_of(module) {
            path[0] = "crate".to_string();
        }
        path.push(name.to_string());
        let (bound, import) = editor.import(&path);
        if let Some(import) = import {
            splices.push(import);
            imports.push(path.join("::"));
        }
        bound
    };
    let now = if !depends_on(&file.path, "chrono") {
        "std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64"
    } else if editor.brings_in("chrono", "Utc") {
        "Utc::now().timestamp()"
    } else {
        "chrono::Utc::now().timestamp()"
    };
    let value = format!("{now} + {bound}");
    let key = &crate::shapes::shapes().expires_at_param;
    let (at, shown) = match slot {
        Slot::BuilderCall(span) => {
            let call = format!(".{key}({value})");
            (editor.add_builder_call(span.start, span.end, &call)?, call)
        }
        Slot::Field(span) => {
            let field = format!("Some({value})");
            let at = editor.add_field(span.start, span.end, key, &field)?;
            (at, format!("{key}: {field}"))
        }
        Slot::Argument(_) | Slot::Entry(_) | Slot::Value(_) => return None,
    };
    splices.extend(at);
    Some(Planned {
        splices,
        shown,
        imports,
    })
}

/// Whether a module is a test's or a script's (`tests.conftest`, `scripts.seed`,
/// `test_billing`), whose names production code should not import.
fn is_test_or_script(module: &str) -> bool {
    module.split(['.', ':']).any(|part| {
        matches!(part, "tests" | "test" | "scripts" | "conftest") || part.starts_with("test_")
    })
}

/// Whether the Cargo package holding `path` depends on `dependency` (under any name).
fn depends_on(path: &Path, dependency: &str) -> bool {
    let Some(manifest) = path
        .ancestors()
        .skip(1)
        .map(|d| d.join("Cargo.toml"))
        .find(|m| m.is_file())
    else {
        return false;
    };
    let Ok(text) = std::fs::read_to_string(manifest) else {
        return false;
    };
    let Ok(table) = text.parse::<toml::Table>() else {
        return false;
    };
    let Some(dependencies) = table.get("dependencies").and_then(|d| d.as_table()) else {
        return false;
    };
    dependencies.iter().any(|(key, spec)| {
        key == dependency || spec.get("package").and_then(|p| p.as_str()) == Some(dependency)
    })
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

/// A language's constant: its one definition, or where to define it.
fn constant(lookup: &Lookup, file: &SourceFile, module: &str, language: Language) -> Constant {
    let project = lookup.project();
    let defined: Vec<&SymbolRef> = (lookup.ttl_definitions().iter())
        .filter(|symbol| symbol.language == language)
        .collect();
    let name = project.constant_name(language).to_string();
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
    let configured = match language {
        Language::Python => &project.config.python_constant,
        Language::Rust => &project.config.rust_constant,
    };
    // `[ttl]` names a constant that is not defined: CL008 says so, and where it goes is
    // the user's to decide.
    if configured.is_some() {
        return Constant::Unavailable;
    }
    let target = match language {
        Language::Python => settings_module(&file.path, module),
        Language::Rust => rust_settings_module(&file.path, module),
    };
    let Some((module, path)) = target else {
        return Constant::Unavailable;
    };
    let Ok(bytes) = crate::workspace::source::read(&path) else {
        return Constant::Unavailable;
    };
    let text = crate::workspace::source::decode(bytes).0;
    let lines = cl008::definition_lines(&name, language);
    let blank_lines = match language {
        Language::Python => 2,
        Language::Rust => 1,
    };
    let splice = crate::lang::layout::append_paragraph(&text, &lines, blank_lines);
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

/// The settings module of the crate holding `path` (module `module`): `src/config.rs`,
/// `src/settings.rs`, `src/conf.rs` or `src/constants.rs`.
fn rust_settings_module(path: &Path, module: &str) -> Option<(String, PathBuf)> {
    let package = path
        .ancestors()
        .skip(1)
        .find(|d| d.join("Cargo.toml").is_file())?;
    let crate_name = module.split("::").next()?;
    SETTINGS_MODULES.iter().find_map(|name| {
        let candidate = package.join("src").join(format!("{name}.rs"));
        candidate
            .is_file()
            .then(|| (format!("{crate_name}::{name}"), candidate))
    })
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
