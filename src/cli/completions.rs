//! `checkout-lint completions SHELL`: the shell completion script on stdout, generated
//! from the argument definitions by `clap_complete` so it never drifts from them.

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use crate::error::Result;

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in
    #[arg(value_enum)]
    pub shell: Shell,
}

pub fn run(args: CompletionsArgs) -> Result<i32> {
    let mut command = super::Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "checkout-lint", &mut script);
    super::emit(&String::from_utf8_lossy(&script), None)?;
    Ok(0)
}
