//! The edits of one site's fix, through its front end's editor: what a Python or Rust
//! site passes (now + the constant, or the project's helper) and the imports it needs.

use std::path::Path;

use super::rust_reads::RustReads;
use super::{Planned, Source};
use crate::analysis::Location;
use crate::facts::fix::{Slot, Splice};
use crate::index::project::Project;
use crate::lang::python::edit::PythonEditor;
use crate::lang::rust::edit::{RustEditor, Visibility};
use crate::workspace::source::SourceFile;

/// The package a Python module's relative imports start from.
pub(super) fn python_package<'m>(path: &Path, module: &'m str) -> &'m str {
    match path.file_name().is_some_and(|n| n == "__init__.py") {
        true => module,
        false => module.rsplit_once('.').map_or("", |(package, _)| package),
    }
}

/// `expires_at=int(time.time()) + TTL` at a Python site, with its imports.
pub(super) fn python_fix(
    editor: &PythonEditor,
    file: &SourceFile,
    module: &str,
    source: Source,
    location: &Location,
    slot: Slot,
) -> Option<Planned> {
    let mut splices = Vec::new();
    let mut imports = Vec::new();
    let site = location.span.start;
    // The site runs when the module is loaded: a name it uses must be bound before it.
    let at_load = !editor.in_function(site);
    let (source_module, name) = source.module_and_name();
    let bound = if source_module == module {
        // A name of this very module: bound before a site that runs at load.
        let defined_after = match source {
            Source::Constant { to_define, .. } => to_define || !editor.assigns_before(name, site),
            Source::Helper(_) => true,
        };
        if at_load && defined_after {
            return None;
        }
        name.to_string()
    } else {
        let package = python_package(&file.path, module);
        let (bound, import) = editor.import_name(package, source_module, name);
        if let Some(import) = import {
            if at_load && import.start > site {
                return None;
            }
            splices.push(import);
            imports.push(format!("{source_module}.{name}"));
        }
        bound
    };
    let value = match source {
        Source::Helper(_) => format!("{bound}()"),
        Source::Constant { .. } => {
            let (now, import_time) = python_now(editor, at_load, site)?;
            if let Some((import, time)) = import_time {
                // `import time` before the constant's import, as isort orders them.
                splices.insert(0, import);
                imports.insert(0, time);
            }
            format!("{now} + {bound}")
        }
    };
    // A parameter or local of that name would hide what the fix names.
    if editor.binds_locally(&bound, site) {
        return None;
    }
    let key = &crate::shapes::shapes().expires_at_param;
    let at = match slot {
        Slot::Argument(call) => editor.add_argument(call.start, call.end, key, &value)?,
        Slot::Entry(span) => editor.add_entry(span.start, span.end, key, &value)?,
        Slot::BuilderCall(_) | Slot::Field(_) | Slot::Value(..) => return None,
    };
    splices.extend(at);
    Some(Planned {
        splices,
        shown: format!("{key}={value}"),
        imports,
    })
}

/// `int(time.time())` in a Python file, with the import of `time` it needs (and the name
/// imported); `None` when `time` means something else there, or its import would come
/// after a site that runs when the module is loaded.
pub(super) fn python_now(
    editor: &PythonEditor,
    at_load: bool,
    site: usize,
) -> Option<(String, Option<(Splice, String)>)> {
    let (time, import_time) = editor.import_module("time")?;
    if editor.binds_locally(&time, site) {
        return None;
    }
    if import_time
        .as_ref()
        .is_some_and(|i| at_load && i.start > site)
    {
        return None;
    }
    let now = format!("int({time}.time())");
    Some((now, import_time.map(|i| (i, time))))
}

/// `.expires_at(now + TTL)` in a 1.x builder, `expires_at: Some(now + TTL)` in 0.x params,
/// `("expires_at", &(now + TTL).to_string())` in a raw form's array literal,
/// with the clock of the crate's dependencies (chrono, else `SystemTime`) and the `use`.
pub(super) fn rust_fix(
    (editor, project, reads): (&RustEditor, &Project, &mut RustReads),
    file: &SourceFile,
    module: &str,
    (source, reach): (Source, Visibility),
    slot: Slot,
) -> Option<Planned> {
    let (Slot::BuilderCall(at) | Slot::Field(at) | Slot::Entry(at)) = slot else {
        return None;
    };
    let (source_module, name) = source.module_and_name();
    if !reads.visible(project, (source_module, reach), module) {
        return None;
    }
    // Inside an inline `mod`, the file's `use` items are out of scope.
    if editor.in_inline_module(at.start) {
        return None;
    }
    let mut splices = Vec::new();
    let mut imports = Vec::new();
    let crate_of = |m: &str| m.split("::").next().unwrap_or_default().to_string();
    let bound = if source_module == module {
        name.to_string()
    } else {
        let mut path: Vec<String> = source_module.split("::").map(String::from).collect();
        if crate_of(source_module) == crate_of(module) {
            path[0] = "crate".to_string();
        } else {
            // Another crate of the workspace: only one this crate depends on.
            path[0] = reads.dependency(&file.path, &path[0])?;
        }
        path.push(name.to_string());
        let (bound, import) = editor.import(&path);
        if let Some(import) = import {
            splices.push(import);
            imports.push(path.join("::"));
        }
        bound
    };
    let value = match source {
        Source::Helper(_) => format!("{bound}()"),
        Source::Constant { .. } => format!("{} + {bound}", reads.now(editor, file)),
    };
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
        // A raw form's pair, the value as text.
        Slot::Entry(span) => editor.add_form_pair(span.start, span.end, key, &value)?,
        Slot::Argument(_) | Slot::Value(..) => return None,
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
pub(super) fn is_test_or_script(module: &str) -> bool {
    module.split(['.', ':']).any(|part| {
        matches!(part, "tests" | "test" | "scripts" | "conftest") || part.starts_with("test_")
    })
}
