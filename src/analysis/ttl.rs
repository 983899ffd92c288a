//! The shared TTL constant: find its one definition, fold its value, check it against
//! Stripe's window (CL003) and report a missing or duplicated definition (CL008).

use std::collections::{HashMap, HashSet};

use super::eval::fold_seconds;
use super::{Finding, Location};
use crate::facts::{constant_key_module, Language, RuleCode, Severity, SymbolRef};
use crate::index::project::Project;

/// Stripe counts from its own clock at creation and the upper bound is strict, so values
/// this close to a bound get a warning.
pub const EDGE_MARGIN_SECONDS: i128 = 300;

/// A definition of the constant: where it is and what it folds to.
struct Definition {
    symbol: SymbolRef,
    rel_path: String,
    offset: usize,
    end: usize,
    seconds: Option<i128>,
}

/// Identifies the constant's definitions, per language (stored in
/// `project.ttl_definitions`), and returns the findings about the constant itself.
/// `needed` holds, per language, a call site that passes `expires_at` (the constant is only
/// required where something uses it).
pub fn check_constant(project: &mut Project, needed: &HashMap<Language, Location>) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut all = HashSet::new();
    for language in [Language::Python, Language::Rust] {
        let definitions = definitions_for(project, language, needed.get(&language), &mut findings);
        if definitions.len() > 1 {
            for def in &definitions {
                findings.push(Finding {
                    rule: RuleCode::CL008,
                    severity: Severity::Error,
                    location: Location::offset(&def.rel_path, def.offset),
                    message: format!(
                        "the shared constant `{}` is defined {} times; there must be exactly one definition",
                        def.symbol.name,
                        definitions.len()
                    ),
                    help: Some(format!(
                        "keep one definition and import it everywhere else, or name the one you mean with `[ttl] {}`",
                        config_key(language)
                    )),
                });
            }
        }
        let (min, max) = (
            project.config.min_seconds as i128,
            project.config.max_seconds as i128,
        );
        for def in &definitions {
            if let Some(finding) = range_finding(def, min, max) {
                findings.push(finding);
            }
        }
        all.extend(definitions.into_iter().map(|d| d.symbol));
    }
    project.ttl_definitions = all;
    findings
}

fn config_key(language: Language) -> &'static str {
    match language {
        Language::Python => "python-constant",
        Language::Rust => "rust-constant",
    }
}

/// The definitions of one language's constant: the configured one, or every top-level
/// definition of the default name.
fn definitions_for(
    project: &mut Project,
    language: Language,
    needed: Option<&Location>,
    findings: &mut Vec<Finding>,
) -> Vec<Definition> {
    let configured = match language {
        Language::Python => project.config.python_constant.clone(),
        Language::Rust => project.config.rust_constant.clone(),
    };
    if let Some(configured) = configured {
        let defs: Vec<Definition> = configured_modules(project, language, &configured)
            .into_iter()
            .flat_map(|(module, name)| definitions_in(project, language, &module, &name))
            .collect();
        if defs.is_empty() && (needed.is_some() || language == Language::Python) {
            findings.push(undefined_at_config(project, language, &configured));
        }
        return defs;
    }
    let name = project.constant_name(language).to_string();
    // (file module, key in its bindings, symbol module): Rust inline modules keep their
    // items under `inner::NAME` in the file's summary.
    let places: Vec<(String, String, String)> = project
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
            definitions_at(project, language, file_module, key, module, &name)
        })
        .collect();
    if let (true, Some(location)) = (defs.is_empty(), needed) {
        let example = match language {
            Language::Python => format!("`{name} = 60 * 60`"),
            Language::Rust => format!("`pub const {name}: i64 = 60 * 60;`"),
        };
        findings.push(Finding {
            rule: RuleCode::CL008,
            severity: Severity::Error,
            location: location.clone(),
            message: format!(
                "`expires_at` is passed, but no {} module defines the shared constant `{name}`",
                language.as_str()
            ),
            help: Some(format!(
                "define it once at the top level of a config module ({example}) and import it, or set `[ttl] {}` in checkout-lint.toml",
                config_key(language)
            )),
        });
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
    project: &mut Project,
    language: Language,
    module: &str,
    name: &str,
) -> Vec<Definition> {
    definitions_at(project, language, module, name, module, name)
}

/// The definitions stored under `key` in the summary of `file_module`, as the symbol
/// `module::name`.
fn definitions_at(
    project: &mut Project,
    language: Language,
    file_module: &str,
    key: &str,
    module: &str,
    name: &str,
) -> Vec<Definition> {
    let Some(rel_path) = project.path_of_module(file_module, language) else {
        return Vec::new();
    };
    let bindings = project
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
            seconds: fold_seconds(&b.term, project, 0),
        })
        .collect()
}

fn undefined_at_config(project: &Project, language: Language, configured: &str) -> Finding {
    let key = config_key(language);
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
    Finding {
        rule: RuleCode::CL008,
        severity: Severity::Error,
        location: Location::offset_in_file(&rel_path, offset, project.config.file.as_deref()),
        message: format!("the configured constant `{configured}` is not defined at module level"),
        help: Some(match language {
            Language::Python => "check the module path and name in `[ttl] python-constant`; the module must be under a `[python] source-roots` directory".into(),
            Language::Rust => "check the path in `[ttl] rust-constant` (`crate::config::NAME`); the module path follows the file layout under `src/`".into(),
        }),
    }
}

fn range_finding(def: &Definition, min: i128, max: i128) -> Option<Finding> {
    let mut location = Location::offset(&def.rel_path, def.offset);
    location.span.end = def.end;
    let name = &def.symbol.name;
    let Some(seconds) = def.seconds else {
        return Some(Finding {
            rule: RuleCode::CL003,
            severity: Severity::Error,
            location,
            message: format!("the value of `{name}` cannot be evaluated, so it cannot be checked against Stripe's window"),
            help: Some("write it as integer arithmetic on literals (`60 * 60`), `timedelta(...)` or `Duration::from_secs(...)` with constant arguments".into()),
        });
    };
    let window = format!("Stripe accepts {min}..={max} s");
    let words = format!("{} = {seconds} s", in_words(seconds));
    if seconds < min || seconds > max {
        let help = if seconds > max {
            "Stripe rejects an `expires_at` more than 24 hours after creation with HTTP 400 \
             (\"The expires_at timestamp must be less than 24 hours from Checkout Session creation\"), \
             so every checkout fails, as in the incident where a 30-day TTL took checkout down. \
             For links that must live longer, email a link to your own endpoint that mints a fresh \
             Checkout Session on click (lazy mint), or use Payment Links, which never expire."
        } else {
            "Stripe rejects an `expires_at` less than 30 minutes after creation with HTTP 400; \
             use at least 1800 seconds, with a margin (e.g. 35 minutes) for latency and retries."
        };
        return Some(Finding {
            rule: RuleCode::CL003,
            severity: Severity::Error,
            location,
            message: format!("`{name}` is outside Stripe's `expires_at` window: {words}; {window}"),
            help: Some(help.into()),
        });
    }
    if seconds - min < EDGE_MARGIN_SECONDS || max - seconds < EDGE_MARGIN_SECONDS {
        return Some(Finding {
            rule: RuleCode::CL003,
            severity: Severity::Warning,
            location,
            message: format!(
                "`{name}` is within 5 minutes of a bound of Stripe's window: {words}; {window}"
            ),
            help: Some("Stripe counts from its own clock at creation and the upper bound is strict; keep a margin of a few minutes from both bounds".into()),
        });
    }
    None
}

/// `2592000` → `30 days`; `5400` → `90 minutes`.
pub fn in_words(seconds: i128) -> String {
    let plural = |n: i128, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    if seconds != 0 && seconds % 86400 == 0 {
        plural(seconds / 86400, "day")
    } else if seconds != 0 && seconds % 3600 == 0 {
        plural(seconds / 3600, "hour")
    } else if seconds != 0 && seconds % 60 == 0 {
        plural(seconds / 60, "minute")
    } else {
        plural(seconds, "second")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words() {
        assert_eq!(in_words(2_592_000), "30 days");
        assert_eq!(in_words(3600), "1 hour");
        assert_eq!(in_words(5400), "90 minutes");
        assert_eq!(in_words(86_340), "1439 minutes");
        assert_eq!(in_words(61), "61 seconds");
    }
}
