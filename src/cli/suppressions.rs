//! `checkout-lint suppressions [PATH]...`: every suppression comment, its rules, its reason
//! and what it silenced, so a reviewer sees at a glance what the gate lets through.

use std::path::PathBuf;

use clap::Args;

use super::{analyse, emit};
use crate::error::Result;
use crate::report::suppressions::{self, ListFormat};

#[derive(Debug, Args)]
pub struct SuppressionsArgs {
    /// Files or directories to look in (default: the current directory)
    pub paths: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value = "human")]
    pub format: ListFormat,
    /// Use this config file instead of discovery
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Do not honour .gitignore / .ignore files
    #[arg(long)]
    pub no_ignore: bool,
}

/// Lists the suppressions; exits 0 (the `check` command is the gate).
pub fn run(args: SuppressionsArgs) -> Result<i32> {
    let flags = crate::config::selection::RuleFlags::default();
    let outcome = analyse(&args.paths, args.config.as_deref(), args.no_ignore, flags)?.restricted();
    let text = suppressions::render(&outcome.suppressions, args.format);
    emit(&text, None)?;
    Ok(0)
}
