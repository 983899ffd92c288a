//! `checkout-lint init [DIR]`: writes a commented starter config naming the TTL constant
//! found in the project, as `checkout-lint.toml` or (`--pyproject`) as a
//! `[tool.checkout-lint]` table appended to an existing `pyproject.toml`, leaving every
//! other byte of it alone. Refuses (exit 2) when DIR is already configured.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use clap::Args;

use super::write_atomically;
use crate::config::{self, Config, DEFAULT_CONSTANT_NAME};
use crate::error::{Result, ToolError};
use crate::facts::{Language, SymbolRef};
use crate::index::project::Project;

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The project directory (default: the current directory)
    pub dir: Option<PathBuf>,
    /// Append a `[tool.checkout-lint]` table to DIR/pyproject.toml instead
    #[arg(long)]
    pub pyproject: bool,
}

pub fn run(args: InitArgs) -> Result<i32> {
    let dir = config::absolute(args.dir.as_deref().unwrap_or(Path::new(".")));
    if !dir.is_dir() {
        return Err(
            ToolError::new(format!("{} is not a directory", dir.display()))
                .with_help("pass the project's root directory, or nothing for the current one"),
        );
    }
    refuse_if_configured(&dir)?;
    let constants = find_constants(&dir);
    let (target, bytes) = if args.pyproject {
        let target = dir.join("pyproject.toml");
        let mut bytes = std::fs::read(&target).map_err(|e| {
            ToolError::new(format!("cannot read {}: {e}", target.display())).with_help(
                "`--pyproject` adds to an existing pyproject.toml; without it, init writes checkout-lint.toml",
            )
        })?;
        if !bytes.is_empty() && !bytes.ends_with(b"\n") {
            bytes.extend_from_slice(line_ending(&bytes).as_bytes());
        }
        let block = starter(&constants, "tool.checkout-lint.");
        bytes.extend_from_slice(with_line_ending(&block, line_ending(&bytes)).as_bytes());
        (target, bytes)
    } else {
        let target = dir.join("checkout-lint.toml");
        (target, starter(&constants, "").into_bytes())
    };
    write_atomically(&target, &bytes)?;
    eprintln!("checkout-lint: wrote {}", target.display());
    for (language, found) in [("python", &constants.python), ("rust", &constants.rust)] {
        match found.len() {
            0 => {}
            1 => eprintln!(
                "checkout-lint: {language}-constant = \"{}\"",
                found.first().map(String::as_str).unwrap_or_default()
            ),
            n => eprintln!(
                "checkout-lint: {n} {language} definitions of {DEFAULT_CONSTANT_NAME}; pick one in the file"
            ),
        }
    }
    Ok(0)
}

/// Exit 2 when a config already lives in `dir` (it would be shadowed or duplicated).
fn refuse_if_configured(dir: &Path) -> Result<()> {
    let existing = config::load(None, dir)?;
    match existing.file {
        Some(file) if file.parent() == Some(dir) => Err(ToolError::new(format!(
            "{} already configures checkout-lint; init changes nothing",
            file.display()
        ))
        .with_help("edit that file, or delete it first to start from the starter")),
        _ => Ok(()),
    }
}

/// Qualified names of the top-level definitions of the default constant, per language.
#[derive(Default)]
struct Constants {
    python: BTreeSet<String>,
    rust: BTreeSet<String>,
    /// Which languages the project has files of at all.
    has_python: bool,
    has_rust: bool,
}

fn find_constants(dir: &Path) -> Constants {
    let project = Project::load(Config::defaults(dir.to_path_buf()), &[], false);
    let mut found = Constants {
        has_python: project.files.scanned(Some(Language::Python)) > 0,
        has_rust: project.files.scanned(Some(Language::Rust)) > 0,
        ..Constants::default()
    };
    for (_, summary) in project.summaries() {
        if summary.module.is_empty() {
            continue;
        }
        let defined = summary
            .bindings
            .get(DEFAULT_CONSTANT_NAME)
            .is_some_and(|bindings| bindings.iter().any(|b| b.is_definition));
        if !defined {
            continue;
        }
        let symbol = SymbolRef {
            language: summary.language,
            module: summary.module.clone(),
            name: DEFAULT_CONSTANT_NAME.to_string(),
        };
        match summary.language {
            Language::Python => found.python.insert(symbol.display()),
            Language::Rust => found.rust.insert(symbol.display()),
        };
    }
    found
}

/// The `[ttl]` line for one language: set when exactly one definition was found,
/// otherwise commented out with what was found (and a note only if the project has code
/// in that language).
fn constant_line(key: &str, found: &BTreeSet<String>, has_files: bool, example: &str) -> String {
    match found.len() {
        0 if !has_files => format!("# {key} = \"{example}\"\n"),
        1 => format!(
            "{key} = \"{}\"\n",
            found.first().map(String::as_str).unwrap_or_default()
        ),
        0 => format!(
            "# No top-level {DEFAULT_CONSTANT_NAME} was found; define one and name it here:\n# {key} = \"{example}\"\n"
        ),
        _ => {
            let mut text = format!(
                "# {DEFAULT_CONSTANT_NAME} is defined more than once (CL008); keep one and name it:\n"
            );
            for name in found {
                text.push_str(&format!("# {key} = \"{name}\"\n"));
            }
            text
        }
    }
}

/// The starter config; `prefix` is `tool.checkout-lint.` inside pyproject.toml.
fn starter(constants: &Constants, prefix: &str) -> String {
    let python = constant_line(
        "python-constant",
        &constants.python,
        constants.has_python,
        "app.config.CHECKOUT_SESSION_TTL_SECONDS",
    );
    let rust = constant_line(
        "rust-constant",
        &constants.rust,
        constants.has_rust,
        "crate::config::CHECKOUT_SESSION_TTL_SECONDS",
    );
    format!(
        "# checkout-lint: every Stripe Checkout Session must pass an `expires_at` derived from\n\
         # one shared TTL constant. See `checkout-lint rule` and the README's Configuration.\n\
         \n\
         [{prefix}ttl]\n\
         # The shared constant (module.NAME for Python, path::NAME for Rust).\n\
         {python}{rust}\
         # Stripe accepts expires_at 30 minutes to 24 hours after creation.\n\
         min-seconds = 1800\n\
         max-seconds = 86400\n\
         \n\
         [{prefix}files]\n\
         # Globs to skip on top of .gitignore, e.g. [\"legacy/**\"].\n\
         exclude = []\n\
         \n\
         # [{prefix}python]\n\
         # Where top-level packages live (default: src/ if present, and the root).\n\
         # source-roots = [\"src\", \".\"]\n\
         \n\
         # [{prefix}table]\n\
         # A document whose sanctioned-call-sites table `check` keeps honest.\n\
         # document = \"docs/runbook.md\"\n\
         \n\
         [{prefix}rules]\n\
         # Rule ids or codes to switch off, or to report as warnings only.\n\
         ignore = []\n\
         warn = []\n"
    )
}

/// The file's line ending (CRLF when its first line ends so), so an append matches it.
fn line_ending(bytes: &[u8]) -> &'static str {
    match memchr::memchr(b'\n', bytes) {
        Some(i) if i > 0 && bytes[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// `text` (with `\n`) plus a leading blank line, in the given line ending.
fn with_line_ending(text: &str, ending: &str) -> String {
    format!("\n{text}").replace('\n', ending)
}
