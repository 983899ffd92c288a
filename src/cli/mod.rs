//! The command line (SPEC §2): argument parsing and the commands, with exit codes
//! 0 (clean), 1 (error-severity findings) and 2 (the tool could not do its job).
//!
//! `check`, `table` and `rule` live here; the other subcommands and flags in their own
//! modules under `cli/`.

mod baseline;
mod completions;
mod config_show;
mod fixing;
mod init;
mod rule_flags;
mod suggest;
mod suppressions;
mod table_command;
mod view;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::{Args, Parser, Subcommand};

use crate::analysis::{self, Outcome};
use crate::config::selection::RuleFlags;
use crate::config::{self, absolute, Config};
use crate::error::{Result, ToolError};
use crate::index::project::Project;
use crate::report::{self, Format, ReportOptions};
use crate::rules::RuleCode;
use crate::runbook;

#[derive(Debug, Parser)]
#[command(
    name = "checkout-lint",
    version = env!("CHECKOUT_LINT_VERSION"),
    about = "Finds every Stripe Checkout Session creation and checks its expires_at",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub check: CheckArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint PATHs (the default command)
    Check(CheckArgs),
    /// Print the sanctioned-call-sites table, or keep it current in a document
    Table(table_command::TableArgs),
    /// List the rules, or explain one (what, why, example)
    Rule {
        /// A rule code (CL001) or id (missing-expires-at)
        id: Option<String>,
    },
    /// List every suppression comment with its rules, reason and what it matched
    Suppressions(suppressions::SuppressionsArgs),
    /// Write a commented starter checkout-lint.toml with the TTL constant found
    Init(init::InitArgs),
    /// Show the settings `check` uses: config file, project root, TTL constant, rules
    Config {
        #[command(subcommand)]
        command: config_show::ConfigCommand,
    },
    /// Print the completion script for a shell (bash, zsh, fish, elvish, powershell)
    Completions(completions::CompletionsArgs),
}

#[derive(Debug, Args, Default)]
pub struct CheckArgs {
    /// Files or directories to check (default: the current directory)
    pub paths: Vec<PathBuf>,
    /// Output format (concise: one line per finding)
    #[arg(long, value_enum, default_value = "human")]
    pub format: Option<Format>,
    /// Write the report to FILE instead of stdout
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Use this config file instead of discovery
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Apply the safe fixes in place, then report what is left
    #[arg(long)]
    pub fix: bool,
    /// With --fix or --diff: also apply fixes that may change behaviour
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print the fixes as a unified diff and change nothing (exit 1 if there are any)
    #[arg(long, conflicts_with_all = ["fix", "write_baseline", "format", "output_formats"])]
    pub diff: bool,
    /// Always exit 0 unless the tool itself failed
    #[arg(long)]
    pub exit_zero: bool,
    /// Do not honour .gitignore / .ignore files
    #[arg(long)]
    pub no_ignore: bool,
    /// Report only findings that are not accepted in this baseline file
    #[arg(long, value_name = "FILE", conflicts_with = "write_baseline")]
    pub baseline: Option<PathBuf>,
    /// Accept every current finding: write them to this baseline file, then report with it
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Also write the report in FORMAT to FILE (repeatable), e.g. `sarif=checkout-lint.sarif`
    #[arg(long = "output-format", value_name = "FORMAT=FILE", value_parser = parse_format_output)]
    pub output_formats: Vec<(Format, PathBuf)>,
    #[command(flatten)]
    pub rules: rule_flags::RuleArgs,
    #[command(flatten)]
    pub view: view::ViewArgs,
}

fn parse_format_output(text: &str) -> std::result::Result<(Format, PathBuf), String> {
    use clap::ValueEnum;
    let names = Format::value_variants()
        .iter()
        .filter_map(|f| f.to_possible_value())
        .map(|v| v.get_name().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let Some((format, file)) = text.split_once('=').filter(|(_, file)| !file.is_empty()) else {
        // Ruff's spelling of the stdout format; here the flag only ever writes a file.
        if Format::from_str(text, true).is_ok() {
            return Err(format!(
                "expected FORMAT=FILE; to print the `{text}` format on stdout, use `--format {text}`"
            ));
        }
        return Err("expected FORMAT=FILE, e.g. sarif=checkout-lint.sarif".to_string());
    };
    let format = Format::from_str(format, true)
        .map_err(|_| format!("unknown format `{format}`; one of {names}"))?;
    Ok((format, PathBuf::from(file)))
}

/// Runs the command line and returns the process exit code.
pub fn main() -> i32 {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Check(args)) => check(args),
        Some(Command::Table(args)) => table_command::run(args),
        Some(Command::Rule { id }) => rule(id.as_deref()),
        Some(Command::Suppressions(args)) => suppressions::run(args),
        Some(Command::Init(args)) => init::run(args),
        Some(Command::Config { command }) => config_show::run(command),
        Some(Command::Completions(args)) => completions::run(args),
        None => match suggest::mistyped_subcommand(&cli.check.paths) {
            Some(err) => Err(err),
            None => check(cli.check),
        },
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            let report = miette::Report::new(err);
            eprintln!("{report:?}");
            2
        }
    }
}

/// A project judged as a whole, and the explicit PATHs to restrict the report to.
struct Analysed {
    config: Config,
    outcome: Outcome,
    report_only: Option<Vec<PathBuf>>,
    /// The PATHs as the project was loaded (absolute), to analyse it again (`--fix`).
    paths: Vec<PathBuf>,
    no_ignore: bool,
}

impl Analysed {
    /// Whether a root-relative path was named (explicit PATHs check only some files).
    fn scope(&self) -> impl Fn(&str) -> bool {
        let within = self
            .report_only
            .as_ref()
            .map(|filters| analysis::within(&self.config.root, filters));
        move |rel: &str| within.as_ref().is_none_or(|within| within(rel))
    }

    /// The outcome, restricted to the named PATHs.
    fn restricted(mut self) -> Outcome {
        if let Some(filters) = &self.report_only {
            self.outcome.restrict_to(filters);
        }
        self.outcome
    }
}

/// Loads the config and the project of `paths` and judges every call site. The outcome
/// covers the whole project, so that the table never depends on which files were named.
fn analyse(
    paths: &[PathBuf],
    config_file: Option<&Path>,
    no_ignore: bool,
    rules: RuleFlags,
) -> Result<Analysed> {
    analyse_planning(paths, config_file, no_ignore, rules, false)
}

/// `analyse`, planning the findings' fixes or not.
fn analyse_planning(
    paths: &[PathBuf],
    config_file: Option<&Path>,
    no_ignore: bool,
    rules: RuleFlags,
    plan_fixes: bool,
) -> Result<Analysed> {
    let paths = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    require_existing(&paths)?;
    let mut config = config::load(config_file, &paths[0])?;
    config.command_line = rules;
    config.plan_fixes = plan_fixes;
    let absolute_paths: Vec<PathBuf> = paths
        .iter()
        .map(|p| spelled_from_root(absolute(p), &config.root))
        .collect();
    let whole_project = absolute_paths.iter().all(|p| *p == config.root);
    let outcome = analyse_again(&config, &absolute_paths, no_ignore);
    let analysed = Analysed {
        config,
        outcome,
        report_only: (!whole_project).then_some(absolute_paths.clone()),
        paths: absolute_paths,
        no_ignore,
    };
    for line in report::notes::lines(&analysed.outcome, &paths, analysed.scope()) {
        eprintln!("{line}");
    }
    Ok(analysed)
}

/// Loads the project of `paths` (absolute) and judges it, printing nothing.
fn analyse_again(config: &Config, paths: &[PathBuf], no_ignore: bool) -> Outcome {
    let project = Project::load(config.clone(), paths, no_ignore);
    let outcome = analysis::run(&project, None);
    // Every command ends soon after this, and nothing in the project needs dropping (no
    // file or thread): freeing its thousands of summaries one by one was ~10 ms of serial
    // time on a large tree, which the operating system does at exit for free.
    std::mem::forget(project);
    outcome
}

/// Exit 2 before any work when a named PATH does not exist or cannot be read.
fn require_existing(paths: &[PathBuf]) -> Result<()> {
    for path in paths {
        if !path.exists() {
            return Err(
                ToolError::new(format!("{} does not exist", path.display())).with_help(
                    "pass files or directories that exist, or nothing for the current directory",
                ),
            );
        }
        if let Err(e) = crate::workspace::source::readable(path) {
            return Err(ToolError::new(format!("cannot read {}: {e}", path.display()))
                .with_help("a PATH named on the command line must be readable by the user who runs checkout-lint: fix its permissions or owner, or leave it out"));
        }
    }
    Ok(())
}

/// A PATH inside the root reached another way (the root is a symlink, or the PATH goes
/// through one), spelled from the root: taken as written, the walk would read it as a
/// second tree and report its files twice, under two names.
fn spelled_from_root(path: PathBuf, root: &Path) -> PathBuf {
    if path.starts_with(root) {
        return path;
    }
    let (Ok(real), Ok(real_root)) = (path.canonicalize(), root.canonicalize()) else {
        return path;
    };
    match real.strip_prefix(&real_root) {
        Ok(below) => root.join(below),
        Err(_) => path,
    }
}

fn check(args: CheckArgs) -> Result<i32> {
    let started = Instant::now();
    let format = args.format.unwrap_or(Format::Human);
    args.view.check_format(format)?;
    let rules = args.rules.flags();
    // Fixes are planned only where a format shows them or the run applies them.
    let shows_fixes = |f: Format| {
        matches!(
            f,
            Format::Human | Format::Concise | Format::Json | Format::Sarif
        )
    };
    let plan_fixes = args.fix
        || args.diff
        || (!args.view.statistics && shows_fixes(format))
        || args.output_formats.iter().any(|(f, _)| shows_fixes(*f));
    let mut analysed = analyse_planning(
        &args.paths,
        args.config.as_deref(),
        args.no_ignore,
        rules,
        plan_fixes,
    )?;
    if args.diff {
        return fixing::diff(&args, analysed);
    }
    if args.fix {
        fixing::fix(&args, &mut analysed)?;
    }
    // Compared before restricting: the table lists the whole project's call sites, as the
    // config judges them (this run's --select/--ignore do not change the document).
    let table_view = analysed.outcome.table_view();
    let table_outcome = table_view.as_ref().unwrap_or(&analysed.outcome);
    let stale = runbook::stale::diagnostic(&analysed.config, table_outcome)?;
    drop(table_view);
    let scope = analysed.scope();
    let mut outcome = analysed.restricted();
    outcome.diagnostics.extend(stale);
    outcome.sort();
    baseline::apply(&args, &mut outcome, scope)?;
    let color = args.view.color(args.output.is_some());
    let elapsed = started.elapsed().as_millis();
    for (extra_format, file) in &args.output_formats {
        write_atomically_with(file, |out| {
            report::write(
                &outcome,
                *extra_format,
                ReportOptions {
                    color: false,
                    quiet: false,
                    elapsed_ms: elapsed,
                },
                out,
            )
        })?;
    }
    emit_with(args.output.as_deref(), |out| {
        if args.view.statistics {
            let text = match format {
                Format::Json => report::statistics::json(&outcome),
                _ => report::statistics::text(&outcome),
            };
            return out.write_all(text.as_bytes());
        }
        let options = ReportOptions {
            color,
            quiet: args.view.quiet,
            elapsed_ms: elapsed,
        };
        report::write(&outcome, format, options, out)
    })?;
    Ok(if outcome.errors() > 0 && !args.exit_zero {
        1
    } else {
        0
    })
}

/// Writes to `--output` atomically (temporary file + rename), or to stdout.
fn emit(text: &str, output: Option<&Path>) -> Result<()> {
    emit_with(output, |out| out.write_all(text.as_bytes()))
}

/// `emit` for output produced by a writer function (the streamed JSON report).
fn emit_with(
    output: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    match output {
        Some(path) => write_atomically_with(path, write),
        None => {
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (`| head`) is not a failure of the tool.
            let _ = write(&mut stdout).and_then(|()| stdout.flush());
            Ok(())
        }
    }
}

/// Writes `bytes` to `path` through a temporary file in the same directory and a rename, so
/// a reader never sees a partial file and a crash leaves the old file intact.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomically_with(path, |out| out.write_all(bytes))
}

/// `write_atomically` for content produced by a writer function, which may fail midway:
/// the temporary file is then removed and `path` left as it was.
pub fn write_atomically_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    // Renaming over a symlink would replace the link with a file: write its target.
    let target = path
        .symlink_metadata()
        .is_ok_and(|m| m.file_type().is_symlink())
        .then(|| std::fs::canonicalize(path).ok())
        .flatten();
    let path = target.as_deref().unwrap_or(path);
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let fail = |e: std::io::Error| {
        ToolError::new(format!("cannot write {}: {e}", path.display()))
            .with_help("check that the directory exists and is writable")
    };
    // A report into a directory that does not exist yet (`reports/x.sarif`) creates it.
    std::fs::create_dir_all(dir).map_err(|e| {
        ToolError::new(format!(
            "cannot create the directory {} for {}: {e}",
            dir.display(),
            path.display()
        ))
        .with_help("choose a path whose parent can be a directory, or create it first")
    })?;
    // tempfile names its temporary file in errors; the user knows only the directory.
    let in_dir = |e: std::io::Error| {
        let cause = std::io::Error::from(e.kind());
        ToolError::new(format!(
            "cannot write {}: cannot create a file in {}: {cause}",
            path.display(),
            dir.display()
        ))
        .with_help("check that the directory is writable")
    };
    let existing = std::fs::metadata(path).ok();
    // A rename would replace a read-only file even though it is read-only (and root may
    // write anything), so the permission bits are checked here, not left to the OS.
    if existing
        .as_ref()
        .is_some_and(|m| m.permissions().readonly())
    {
        return Err(ToolError::new(format!(
            "{} is read-only; it was left unchanged",
            path.display()
        ))
        .with_help("make it writable (chmod u+w) and run the command again"));
    }
    let mut builder = tempfile::Builder::new();
    // A new file gets the usual 0666 minus umask (a tempfile alone would be 0600, which
    // hides CI reports and configs from other users); an existing one keeps its mode below.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut temp = builder.tempfile_in(dir).map_err(in_dir)?;
    write(temp.as_file_mut()).map_err(fail)?;
    temp.as_file().sync_all().map_err(fail)?;
    if let Some(meta) = existing {
        let _ = std::fs::set_permissions(temp.path(), meta.permissions());
    }
    // Test-only fault injection: the tests set this to prove that a crash between the write
    // and the rename leaves the original file intact. Nothing else reads it.
    if std::env::var_os("CHECKOUT_LINT_TEST_CRASH_BEFORE_RENAME").is_some() {
        std::process::abort();
    }
    temp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

fn rule(id: Option<&str>) -> Result<i32> {
    let out = match id {
        None => report::rule_docs::list(),
        Some(id) => {
            let code = RuleCode::parse(id).ok_or_else(|| {
                ToolError::new(format!("unknown rule `{id}`"))
                    .with_help("`checkout-lint rule` lists the rules")
            })?;
            report::rule_docs::explain(code)
        }
    };
    emit(&out, None)?;
    Ok(0)
}
