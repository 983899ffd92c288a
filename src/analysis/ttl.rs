//! The shared TTL constant: find its definitions and fold their values, for the rules that
//! judge them (CL003 against Stripe's window, CL008 for a missing or duplicated definition).

use std::collections::{HashMap, HashSet};

use super::fold::fold_seconds;
use super::{Finding, Location};
use crate::facts::{constant_key_module, Language, SymbolRef};
use crate::index::project::Project;
use crate::index::Lookup;
use crate::rules::cl003_ttl_out_of_range as cl003;
use crate::rules::cl008_ttl_constant_undefined as cl008;

/// A definition of the constant: where it is and what it folds to.
struct Definition {
    symbol: SymbolRef,
    rel_path: String,
    offset: usize,
    end: usize,
    seconds: Option<i128>,
}

/// Identifies the constant's definitions, per language (recorded in the lookup, for the
/// evaluator), and returns the findings about the constant itself.
/// `needed` holds, per language, a call site that passes `expires_at` (the constant is only
/// required where something uses it).
pub fn check_constant(project: &mut Lookup, needed: &HashMap<Language, Location>) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut all = HashSet::new();
    for language in [Language::Python, Language::Rust] {
        let definitions = definitions_for(project, language, needed.get(&language), &mut findings);
        if definitions.len() > 1 {
            for def in &definitions {
                findings.push(Finding::at(
                    def.location(),
                    cl008::duplicated(&def.symbol.name, definitions.len(), language),
                ));
            }
        }
        let (min, max) = (
            project.project().config.min_seconds as i128,
            project.project().config.max_seconds as i128,
        );
        for def in &definitions {
            if let Some(finding) = range_finding(def, min, max) {
                findings.push(finding);
            }
        }
        all.extend(definitions.into_iter().map(|d| d.symbol));
    }
    project.set_ttl_definitions(all);
    findings
}

/// One definition of the constant, as `config show` prints it.
pub struct ResolvedConstant {
    /// `module.NAME` (Python) or `path::NAME` (Rust).
    pub symbol: String,
    pub rel_path: String,
    pub offset: usize,
    /// Where the definition ends (its whole item).
    pub end: usize,
    pub seconds: Option<i128>,
}

/// The definitions `check` would judge for `language` (none, one, or the duplicates).
pub fn resolved_constant(project: &mut Lookup, language: Language) -> Vec<ResolvedConstant> {
    definitions_for(project, language, None, &mut Vec::new())
        .into_iter()
        .map(|d| ResolvedConstant {
            symbol: d.symbol.display(),
            rel_path: d.rel_path,
            offset: d.offset,
            end: d.end,
            seconds: d.seconds,
        })
        .collect()
}

/// The definitions of one language's constant: the configured one, or every top-level
/// definition of the default name.
fn definitions_for(
    lookup: &mut Lookup,
    language: Language,
    needed: Option<&Location>,
    findings: &mut Vec<Finding>,
) -> Vec<Definition> {
    let project = lookup.project();
    let configured = match language {
        Language::Python => project.config.python_constant.clone(),
        Language::Rust => project.config.rust_constant.clone(),
    };
    if let Some(configured) = configured {
        let defs: Vec<Definition> = configured_modules(project, language, &configured)
            .into_iter()
            .flat_map(|(module, name)| definitions_in(lookup, language, &module, &name))
            .collect();
        if defs.is_empty() && (needed.is_some() || language == Language::Python) {
            findings.push(undefined_at_config(project, language, &configured));
        }
        return defs;
    }
    let name = project.constant_name(language).to_string();
    // (file module, key in its bindings, symbol module): Rust inline modules keep their
    // items under `inner::NAME` in the file's summary.
    let places: Vec<(String, String, String)> = lookup
        .summaries()
        .filter(|(_, s)| s.language == language)
        .flat_map(|(_, s)| {
            let name = &name;
            // Most files import the constant; only a definition is a place.
            let defined = s
                .bindings
                .iter()
                .filter(|(_, b)| b.iter().any(|b| b.is_definition));
            defined.filter_map(move |(key, _)| {
                let module = match constant_key_module(key, name)? {
                    "" => s.module.clone(),
                    inner if language == Language::Rust => format!("{}::{inner}", s.module),
                    _ => return None,
                };
                Some((s.module.clone(), key.clone(), module))
            })
        })
        .collect();
    let defs: Vec<Definition> = places
        .iter()
        .flat_map(|(file_module, key, module)| {
            definitions_at(lookup, language, file_module, key, module, &name)
        })
        .collect();
    if let (true, Some(location)) = (defs.is_empty(), needed) {
        findings.push(Finding::at(
            location.clone(),
            cl008::undefined(&name, language),
        ));
    }
    defs
}

/// The (module, name) pairs a configured constant may denote. In Rust, `crate::` means the
/// crate at the project root, or any of the project's crates when there is none.
fn configured_modules(
    project: &Project,
    language: Language,
    configured: &str,
) -> Vec<(String, String)> {
    match language {
        Language::Python => {
            let (module, name) = configured.rsplit_once('.').unwrap_or(("", configured));
            vec![(module.to_string(), name.to_string())]
        }
        Language::Rust => {
            let Some((module, name)) = configured.rsplit_once("::") else {
                return Vec::new();
            };
            let mut crates: Vec<&String> = project.rust.crates.iter().collect();
            crates.sort();
            match module
                .split_once("::")
                .map_or((module, ""), |(a, b)| (a, b))
            {
                ("crate", rest) => crates
                    .into_iter()
                    .map(|c| {
                        let module = if rest.is_empty() {
                            c.clone()
                        } else {
                            format!("{c}::{rest}")
                        };
                        (module, name.to_string())
                    })
                    .filter(|(m, _)| project.path_of_module(m, Language::Rust).is_some())
                    .collect(),
                _ => vec![(module.to_string(), name.to_string())],
            }
        }
    }
}

fn definitions_in(
    project: &mut Lookup,
    language: Language,
    module: &str,
    name: &str,
) -> Vec<Definition> {
    definitions_at(project, language, module, name, module, name)
}

/// The definitions stored under `key` in the summary of `file_module`, as the symbol
/// `module::name`.
fn definitions_at(
    lookup: &mut Lookup,
    language: Language,
    file_module: &str,
    key: &str,
    module: &str,
    name: &str,
) -> Vec<Definition> {
    let Some(rel_path) = lookup.project().path_of_module(file_module, language) else {
        return Vec::new();
    };
    let bindings = lookup
        .module_summary(file_module, language)
        .and_then(|s| s.bindings.get(key).cloned())
        .unwrap_or_default();
    let symbol = SymbolRef {
        language,
        module: module.to_string(),
        name: name.to_string(),
    };
    bindings
        .iter()
        .filter(|b| b.is_definition)
        .map(|b| Definition {
            symbol: symbol.clone(),
            rel_path: rel_path.clone(),
            offset: b.span.start,
            end: b.span.end,
            seconds: fold_seconds(&b.term, lookup, 0),
        })
        .collect()
}

fn undefined_at_config(project: &Project, language: Language, configured: &str) -> Finding {
    let key = cl008::config_key(language);
    let (rel_path, offset) = match &project.config.file {
        Some(file) => {
            let text = std::fs::read_to_string(file).unwrap_or_default();
            let offset = text.find(key).unwrap_or(0);
            (
                crate::index::project::relative(file, &project.config.root),
                offset,
            )
        }
        None => (".".to_string(), 0),
    };
    Finding::at(
        Location::offset_in_file(&rel_path, offset, project.config.file.as_deref()),
        cl008::configured_undefined(configured, language),
    )
}

fn range_finding(def: &Definition, min: i128, max: i128) -> Option<Finding> {
    cl003::check(&def.symbol.name, def.seconds, min, max).map(|m| Finding::at(def.location(), m))
}

impl Definition {
    /// The whole definition, as CL003 and a duplicated CL008 underline it.
    fn location(&self) -> Location {
        let mut location = Location::offset(&self.rel_path, self.offset);
        location.span.end = self.end;
        location
    }
}
