//! The shared TTL constant: find its one definition, fold its value, check it against
//! Stripe's window (CL003) and report a missing or duplicated definition (CL008).

use std::collections::HashSet;

use super::eval::fold_seconds;
use super::{Finding, Location};
use crate::model::{Language, RuleCode, Severity, SymbolRef};
use crate::project::Project;

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

/// Identifies the constant's definitions (stored in `project.ttl_definitions`) and returns
/// the findings about the constant itself.
pub fn check_constant(project: &mut Project, needed: Option<Location>) -> Vec<Finding> {
    let mut findings = Vec::new();
    let definitions = match project.config.python_constant.clone() {
        Some(configured) => {
            let (module, name) = configured.rsplit_once('.').unwrap_or(("", &configured));
            let defs = definitions_in(project, module, name);
            if defs.is_empty() {
                findings.push(undefined_at_config(project, &configured));
            }
            defs
        }
        None => {
            let name = project.constant_name.clone();
            let modules: Vec<String> = project
                .summaries()
                .filter(|(_, s)| s.language == Language::Python && s.bindings.contains_key(&name))
                .map(|(_, s)| s.module.clone())
                .collect();
            let defs: Vec<Definition> = modules
                .iter()
                .flat_map(|m| definitions_in(project, m, &name))
                .collect();
            if defs.is_empty() {
                if let Some(location) = needed {
                    findings.push(Finding {
                        rule: RuleCode::CL008,
                        severity: Severity::Error,
                        location,
                        message: format!(
                            "`expires_at` is passed, but no module defines the shared constant `{name}`"
                        ),
                        help: Some(format!(
                            "define it once at the top level of a config module (`{name} = 60 * 60`) and import it, or set `[ttl] python-constant` in checkout-lint.toml"
                        )),
                    });
                }
            }
            defs
        }
    };
    project.ttl_definitions = definitions
        .iter()
        .map(|d| d.symbol.clone())
        .collect::<HashSet<_>>();
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
                help: Some("keep one definition and import it everywhere else, or name the one you mean with `[ttl] python-constant`".into()),
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
    findings
}

fn definitions_in(project: &mut Project, module: &str, name: &str) -> Vec<Definition> {
    let Some(rel_path) = project.file_of_module(module).map(|f| f.rel_path.clone()) else {
        return Vec::new();
    };
    let bindings = project
        .module_summary(module)
        .and_then(|s| s.bindings.get(name).cloned())
        .unwrap_or_default();
    let symbol = SymbolRef {
        language: Language::Python,
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

fn undefined_at_config(project: &Project, configured: &str) -> Finding {
    let (rel_path, offset) = match &project.config.file {
        Some(file) => {
            let text = std::fs::read_to_string(file).unwrap_or_default();
            let offset = text.find("python-constant").unwrap_or(0);
            (crate::project::relative(file, &project.config.root), offset)
        }
        None => (".".to_string(), 0),
    };
    Finding {
        rule: RuleCode::CL008,
        severity: Severity::Error,
        location: Location::offset_in_file(&rel_path, offset, project.config.file.as_deref()),
        message: format!("the configured constant `{configured}` is not defined at module level"),
        help: Some("check the module path and name in `[ttl] python-constant`; the module must be under a `[python] source-roots` directory".into()),
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
            help: Some("write it as integer arithmetic on literals (`60 * 60`) or `timedelta(...)` with constant arguments".into()),
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
