//! Where the shared constant comes from for a fix: its one definition, or, when the
//! project has none, the settings module to define it in and the definition's edit.

use std::path::{Path, PathBuf};

use super::{text_edit, Constant, SETTINGS_MODULES};
use crate::facts::{Language, SymbolRef};
use crate::index::Lookup;
use crate::rules::cl008_ttl_constant_undefined as cl008;
use crate::workspace::source::SourceFile;

/// A language's constant: its one definition, or where to define it.
pub(super) fn constant(lookup: &Lookup, path: &Path, module: &str, language: Language) -> Constant {
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
        Language::Python => settings_module(path, module),
        Language::Rust => rust_settings_module(path, module),
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
