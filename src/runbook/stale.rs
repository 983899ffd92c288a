//! Comparing a document's call-sites block with the table the code produces: the expected
//! document for `table --write` / `table --check`, and CL010 stale-table for `check` when
//! `[table] document` is configured.
//!
//! A table is stale when it lists other sites, or says something else of one, than the
//! code (`rows`: sites by path, function and ordinal); line numbers that only moved do not
//! make it stale, and `table --write` still writes the current ones.
//!
//! Reads the document but never writes it (`cli` does). The markers and splicing are
//! `runbook`'s; the rows are `report::table`'s.

use std::path::{Path, PathBuf};

use crate::analysis::{Diagnostic, Outcome};
use crate::config::Config;
use crate::error::{Result, ToolError};
use crate::facts::ByteSpan;
use crate::report::table;
use crate::rules::cl010_stale_table as cl010;
use crate::rules::{RuleCode, Severity};
use crate::runbook::{self, rows, Block, MarkerError};
use crate::workspace::source::SourceFile;

/// A document as it is and as the code says it should be.
pub struct Comparison {
    pub current: String,
    pub expected: String,
    pub block: Block,
    /// The table's lines, as written between the markers.
    table: Vec<String>,
}

impl Comparison {
    /// Whether the document's table lists other sites than the code, or says something
    /// else of one (function, route, API, `expires_at`, status): line numbers aside.
    pub fn is_stale(&self) -> bool {
        let (current, table) = self.lines();
        !rows::same_sites(&current, &table)
    }

    /// Whether `table --write` would change the document (stale, or line numbers moved).
    pub fn needs_write(&self) -> bool {
        self.current != self.expected
    }

    /// The block's lines in the document, and the table's.
    fn lines(&self) -> (Vec<&str>, Vec<&str>) {
        let current = self.current[self.block.content.clone()].lines().collect();
        (current, self.table.iter().map(String::as_str).collect())
    }

    /// The 1-based line of the document where it first says something the code does not,
    /// and that line's byte offset.
    fn first_difference(&self) -> (usize, usize) {
        let (current, table) = self.lines();
        match rows::first_changed_line(&current, &table) {
            Some(index) => {
                let offset = self.current[self.block.content.clone()]
                    .split_inclusive('\n')
                    .take(index)
                    .map(str::len)
                    .sum::<usize>();
                (
                    self.block.begin_line + 1 + index,
                    self.block.content.start + offset,
                )
            }
            None => first_difference(&self.current, &self.expected),
        }
    }
}

/// Reads `path` and splices the table of `outcome` into its block. `shown` is how the
/// document is named in errors. Missing, duplicated or misordered markers, an unreadable
/// or non-UTF-8 document are `ToolError`s (exit 2).
pub fn compare(path: &Path, shown: &str, outcome: &Outcome) -> Result<Comparison> {
    let bytes = std::fs::read(path).map_err(|e| {
        ToolError::new(format!("cannot read {shown}: {e}"))
            .with_help("check the document's path (relative to the working directory, or for `[table] document` to the project root)")
    })?;
    let current = String::from_utf8(bytes).map_err(|_| {
        ToolError::new(format!("{shown} is not UTF-8 text"))
            .with_help("the call-sites table can only be kept in a UTF-8 markdown document")
    })?;
    let block = runbook::locate(&current).map_err(|e| marker_error(e, shown))?;
    let table = table::lines(outcome);
    let expected = runbook::splice(&current, &block, &table);
    Ok(Comparison {
        current,
        expected,
        block,
        table,
    })
}

fn marker_error(err: MarkerError, shown: &str) -> ToolError {
    let help = match err {
        MarkerError::Missing { .. } => runbook::how_to_add_markers(),
        MarkerError::Duplicated { .. } | MarkerError::Misordered { .. } => format!(
            "keep exactly one `{}` line followed by one `{}` line",
            runbook::BEGIN_MARKER,
            runbook::END_MARKER
        ),
    };
    ToolError::new(format!("{shown}: {err}")).with_help(help)
}

/// CL010 for `check`: `None` when `[table] document` is unset, `stale-table` does not run
/// (`[rules]`, `--select`/`--ignore`), or the block is current.
pub fn diagnostic(config: &Config, outcome: &Outcome) -> Result<Option<Diagnostic>> {
    let Some(document) = &config.table_document else {
        return Ok(None);
    };
    let abs_path: PathBuf = config.root.join(document);
    let rel_path = crate::index::project::relative(&abs_path, &config.root);
    let layers = crate::config::selection::Layers::CommandLine;
    if crate::config::selection::why_off(config, RuleCode::CL010, &rel_path, layers).is_some() {
        return Ok(None);
    }
    let comparison = compare(&abs_path, &rel_path, outcome).map_err(|e| {
        let help = e.help.clone().unwrap_or_default();
        ToolError::new(format!("[table] document: {}", e.message)).with_help(help)
    })?;
    if !comparison.is_stale() {
        return Ok(None);
    }
    let block = &comparison.block;
    let current_rows = data_rows(&comparison.current[block.content.clone()]);
    let (first_difference, offset) = comparison.first_difference();
    let file = SourceFile::new(abs_path.clone(), rel_path.clone(), comparison.current);
    // Point at the first stale line, so the snippet shows what moved.
    let line_end = file.text[offset..]
        .find(['\r', '\n'])
        .map_or(file.text.len(), |i| offset + i);
    let span = ByteSpan::new(offset, line_end.max(offset));
    Ok(Some(Diagnostic {
        rule: RuleCode::CL010,
        severity: if config.warn.contains(&RuleCode::CL010) {
            Severity::Warning
        } else {
            RuleCode::CL010.rule().severity
        },
        path: rel_path.clone(),
        abs_path,
        function: crate::analysis::identity::MODULE_LEVEL.to_string(),
        // The baseline identity of a stale table is the document itself.
        key_text: "call-sites table".to_string(),
        legacy_key_text: "call-sites table".to_string(),
        start: file.position(span.start),
        end: file.position(span.end),
        span,
        message: cl010::message(
            &rel_path,
            current_rows,
            outcome.call_sites.len(),
            first_difference,
        ),
        help: Some(cl010::help(&rel_path)),
        fix: None,
    }))
}

/// Rows of a markdown table in the block, not counting its header and delimiter.
fn data_rows(block: &str) -> usize {
    block
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with('|') && *l != table::HEADER && *l != table::DELIMITER)
        .count()
}

/// The 1-based line where `a` first differs from `b`, and the byte offset of its start in `a`.
fn first_difference(a: &str, b: &str) -> (usize, usize) {
    let same: Vec<&str> = a
        .split_inclusive('\n')
        .zip(b.split_inclusive('\n'))
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x)
        .collect();
    (same.len() + 1, same.iter().map(|l| l.len()).sum())
}
