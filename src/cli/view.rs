//! How `check` shows its findings on stdout: `--statistics`, `--quiet` and `--color`
//! (with `NO_COLOR`). Chooses; the reporters render.

use std::io::IsTerminal;

use clap::{Args, ValueEnum};

use crate::error::{Result, ToolError};
use crate::report::Format;

#[derive(Debug, Args, Default)]
pub struct ViewArgs {
    /// Print one line per rule with its count, instead of the findings
    #[arg(long)]
    pub statistics: bool,
    /// Print the findings only: no summary line, no notes on stderr
    #[arg(long, short)]
    pub quiet: bool,
    /// When to colour the human and concise output (`auto`: on a terminal, unless NO_COLOR is set)
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

impl ViewArgs {
    /// Whether the report on stdout (or `--output`) is coloured.
    pub fn color(&self, to_file: bool) -> bool {
        match self.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                // An empty NO_COLOR does not count (no-color.org).
                let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
                !to_file && !no_color && std::io::stdout().is_terminal()
            }
        }
    }

    /// `--statistics` replaces the report, so it needs a format that can hold it.
    pub fn check_format(&self, format: Format) -> Result<()> {
        if self.statistics && !matches!(format, Format::Human | Format::Concise | Format::Json) {
            let name = format
                .to_possible_value()
                .map_or_else(String::new, |v| v.get_name().to_string());
            return Err(ToolError::new(format!(
                "--statistics cannot be used with --format {name}"
            ))
            .with_help("use --format human, concise or json with --statistics; --output-format FORMAT=FILE still writes the full report"));
        }
        Ok(())
    }
}
