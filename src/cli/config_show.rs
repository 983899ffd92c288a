//! `checkout-lint config show [PATH]`: the settings `check` would use from here — the
//! config file (or none), the project root and why, the TTL constant each language
//! resolves to, and each rule's effective severity.
//!
//! Reads the project only to resolve the constant; judges nothing.

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::analysis::ttl::{resolved_constant, ResolvedConstant};
use crate::config::selection::{why_off, Layers};
use crate::config::{self, Config};
use crate::error::Result;
use crate::facts::Language;
use crate::index::files::python_source_roots;
use crate::index::project::Project;
use crate::index::Lookup;
use crate::rules;

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the config file used, the project root, the resolved TTL constant per
    /// language and the effective rules
    Show(ShowArgs),
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The file or directory whose settings to show (default: the current directory)
    pub path: Option<PathBuf>,
    /// Use this config file instead of discovery
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

pub fn run(command: ConfigCommand) -> Result<i32> {
    let ConfigCommand::Show(args) = command;
    let path = args.path.unwrap_or_else(|| PathBuf::from("."));
    super::require_existing(std::slice::from_ref(&path))?;
    let config = config::load(args.config.as_deref(), &path)?;
    let project = Project::load(config.clone(), &[], false);
    let mut symbols = Lookup::new(&project);
    let constants = [Language::Python, Language::Rust]
        .map(|language| (language, resolved_constant(&mut symbols, language)));
    print!("{}", render(&config, &constants));
    Ok(0)
}

fn render(config: &Config, constants: &[(Language, Vec<ResolvedConstant>)]) -> String {
    let mut out = String::new();
    let file = match &config.file {
        Some(file) => file.display().to_string(),
        None => "none (embedded defaults)".to_string(),
    };
    let why = match (&config.file, &config.root_marker) {
        (Some(_), _) => "the config file's directory".to_string(),
        (None, Some(marker)) => format!("nearest {marker}"),
        (None, None) => "no project marker above the first PATH".to_string(),
    };
    let _ = writeln!(out, "{:<17}{file}", "config file:");
    let _ = writeln!(
        out,
        "{:<17}{} ({why})",
        "project root:",
        config.root.display()
    );
    for (language, found) in constants {
        let configured = match language {
            Language::Python => &config.python_constant,
            Language::Rust => &config.rust_constant,
        };
        let _ = writeln!(
            out,
            "{:<17}{}",
            format!("{} constant:", language_name(*language)),
            describe_constant(configured.as_deref(), found, config)
        );
    }
    let _ = writeln!(
        out,
        "{:<17}{}..={} seconds",
        "ttl window:", config.min_seconds, config.max_seconds
    );
    let roots: Vec<String> = python_source_roots(&config.root, config.source_roots.as_deref())
        .iter()
        .map(|r| relative_to_root(r, config))
        .collect();
    let _ = writeln!(out, "{:<17}{} (python)", "source roots:", roots.join(", "));
    let exclude = if config.exclude.is_empty() {
        "nothing beyond ignore files".to_string()
    } else {
        config.exclude.join(", ")
    };
    let _ = writeln!(out, "{:<17}{exclude}", "exclude:");
    let document = config.table_document.as_deref().unwrap_or("none");
    let _ = writeln!(out, "{:<17}{document}", "table document:");
    let _ = writeln!(out, "rules:");
    for rule in rules::ALL {
        // A path no per-file pattern matches: what the rule does everywhere else.
        let effective = match why_off(config, rule.code, "/", Layers::Config) {
            Some(why) => format!("off ({why})"),
            None if config.warn.contains(&rule.code) => "warning".to_string(),
            None => rule.severity.as_str().to_string(),
        };
        let _ = writeln!(out, "  {} {:<32} {effective}", rule.code_text, rule.id);
    }
    for entry in &config.per_file_ignores {
        let codes: Vec<&str> = entry.rules.iter().map(|r| r.code()).collect();
        let _ = writeln!(out, "  off in `{}`: {}", entry.pattern, codes.join(", "));
    }
    out
}

fn language_name(language: Language) -> &'static str {
    match language {
        Language::Python => "python",
        Language::Rust => "rust",
    }
}

fn describe_constant(
    configured: Option<&str>,
    found: &[ResolvedConstant],
    config: &Config,
) -> String {
    let origin = match configured {
        Some(_) => "configured",
        None => "default name",
    };
    match found {
        [] => match configured {
            Some(name) => format!("{name} (configured; not defined in the project)"),
            None => format!(
                "none defined ({} at the top level of a module, found by name)",
                config::DEFAULT_CONSTANT_NAME
            ),
        },
        [one] => format!("{} ({origin}) {}", one.symbol, where_and_value(one, config)),
        many => {
            let places: Vec<String> = many
                .iter()
                .map(|d| format!("{} {}", d.symbol, where_and_value(d, config)))
                .collect();
            format!(
                "{} definitions ({origin}; CL008): {}",
                many.len(),
                places.join("; ")
            )
        }
    }
}

fn where_and_value(constant: &ResolvedConstant, config: &Config) -> String {
    let line = std::fs::read(config.root.join(&constant.rel_path))
        .map(|bytes| {
            1 + bytes[..constant.offset.min(bytes.len())]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
        })
        .unwrap_or(1);
    let value = match constant.seconds {
        Some(seconds) => format!("= {seconds} seconds"),
        None => "= a value checkout-lint cannot fold".to_string(),
    };
    format!("at {}:{line} {value}", constant.rel_path)
}

fn relative_to_root(path: &std::path::Path, config: &Config) -> String {
    match path.strip_prefix(&config.root) {
        Ok(rel) if rel.as_os_str().is_empty() => ".".to_string(),
        Ok(rel) => rel.display().to_string(),
        Err(_) => path.display().to_string(),
    }
}
