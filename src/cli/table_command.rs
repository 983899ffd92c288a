//! `checkout-lint table`: print the sanctioned-call-sites table, or write / check it
//! inside a runbook document (between the marker lines; `runbook` does the splicing and
//! the staleness test).

use std::path::PathBuf;

use clap::Args;

use super::{analyse, emit, write_atomically, Analysed};
use crate::config::selection::RuleFlags;
use crate::error::{Result, ToolError};
use crate::report::table;
use crate::runbook;

#[derive(Debug, Args)]
pub struct TableArgs {
    /// Files or directories whose call sites to list (default: the current directory)
    pub paths: Vec<PathBuf>,
    /// Output format (the document block is always markdown)
    #[arg(long, value_enum, default_value = "markdown")]
    pub format: TableFormat,
    /// Replace the table block inside DOC (between the checkout-lint marker lines);
    /// without DOC, the config's `[table] document`
    #[arg(long, value_name = "DOC", conflicts_with = "check", num_args = 0..=1)]
    pub write: Option<Option<PathBuf>>,
    /// Exit 1 and print a unified diff if DOC's table block is stale; without DOC, the
    /// config's `[table] document`
    #[arg(long, value_name = "DOC", num_args = 0..=1)]
    pub check: Option<Option<PathBuf>>,
    /// Use this config file instead of discovery
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Do not honour .gitignore / .ignore files
    #[arg(long)]
    pub no_ignore: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum TableFormat {
    Markdown,
    Json,
}

/// `checkout-lint table`: print the table, or write / check it inside a document.
pub(super) fn run(args: TableArgs) -> Result<i32> {
    let Analysed {
        mut outcome,
        report_only,
        config,
        ..
    } = analyse(
        &args.paths,
        args.config.as_deref(),
        args.no_ignore,
        RuleFlags::default(),
    )?;
    let document = match (&args.write, &args.check) {
        (Some(doc), _) | (None, Some(doc)) => Some(match doc {
            Some(doc) => doc.clone(),
            None => configured_document(&config)?,
        }),
        (None, None) => None,
    };
    let Some(document) = document.as_deref() else {
        // Printing may list only the named files; a document always gets the whole
        // project's table, as CL010 compares it.
        if let Some(filters) = &report_only {
            outcome.restrict_to(filters);
        }
        let text = match args.format {
            TableFormat::Markdown => table::markdown(&outcome),
            TableFormat::Json => table::json(&outcome),
        };
        emit(&text, None)?;
        return Ok(0);
    };
    if args.format == TableFormat::Json {
        return Err(
            ToolError::new("--format json cannot be used with --write or --check")
                .with_help("the table inside a document is always markdown; drop --format"),
        );
    }
    let shown = document.display().to_string();
    let comparison = runbook::stale::compare(document, &shown, &outcome)?;
    let rows = outcome.call_sites.len();
    if args.check.is_some() {
        if !comparison.is_stale() {
            let moved = if comparison.needs_write() {
                format!("; only line numbers moved, `checkout-lint table --write {shown}` refreshes them")
            } else {
                String::new()
            };
            eprintln!("{shown}: the call-sites table is current ({rows} rows){moved}");
            return Ok(0);
        }
        let diff = crate::runbook::unified_diff(&shown, &comparison.current, &comparison.expected);
        emit(&diff, None)?;
        eprintln!(
            "{shown}: the call-sites table is stale; run `checkout-lint table --write {shown}`"
        );
        return Ok(1);
    }
    if comparison.needs_write() {
        write_atomically(document, comparison.expected.as_bytes())?;
        let what = if comparison.is_stale() {
            "wrote the call-sites table"
        } else {
            "refreshed the line numbers of the call-sites table"
        };
        eprintln!("{shown}: {what} ({rows} rows)");
    } else {
        eprintln!("{shown}: the call-sites table is already current ({rows} rows)");
    }
    Ok(0)
}

/// `[table] document`, for `--write` / `--check` given without a DOC.
fn configured_document(config: &crate::config::Config) -> Result<PathBuf> {
    match &config.table_document {
        Some(document) => Ok(config.root.join(document)),
        None => Err(ToolError::new(
            "--write and --check need a DOC when the config names no `[table] document`",
        )
        .with_help(
            "pass the runbook's path (`table --check docs/runbook.md`), or set `[table] document` in the config",
        )),
    }
}
