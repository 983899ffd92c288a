//! Configuration: discovery (SPEC §3), parsing with pointers into the file, defaults.
//!
//! Owns `checkout-lint.toml`, `.checkout-lint.toml`, `pyproject.toml [tool.checkout-lint]`
//! and `Cargo.toml [workspace|package.metadata.checkout-lint]`. Unknown keys, wrong types
//! and unknown rule ids are `ToolError`s that point at the key.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

pub mod selection;

use crate::error::{Result, ToolError};
use crate::rules::RuleCode;
use crate::workspace::discover::Tree;
use crate::workspace::root;
use selection::{PerFileIgnore, RuleFlags};

pub const DEFAULT_CONSTANT_NAME: &str = "CHECKOUT_SESSION_TTL_SECONDS";
pub const DEFAULT_MIN_SECONDS: i64 = 1800;
pub const DEFAULT_MAX_SECONDS: i64 = 86400;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawConfig {
    #[serde(default)]
    ttl: RawTtl,
    #[serde(default)]
    files: RawFiles,
    #[serde(default)]
    python: RawPython,
    #[serde(default)]
    table: RawTable,
    #[serde(default)]
    rules: RawRules,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawTtl {
    python_constant: Option<Spanned<String>>,
    rust_constant: Option<Spanned<String>>,
    min_seconds: Option<Spanned<i64>>,
    max_seconds: Option<Spanned<i64>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawFiles {
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawPython {
    source_roots: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawTable {
    document: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawRules {
    select: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    extend_select: Vec<Spanned<String>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    #[serde(default)]
    warn: Vec<Spanned<String>>,
    #[serde(default)]
    per_file_ignores: BTreeMap<String, Vec<Spanned<String>>>,
}

/// The validated configuration the rest of the tool uses.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where the config was found (`None`: embedded defaults).
    pub file: Option<PathBuf>,
    /// The project root: the config's directory, else the nearest marked ancestor of the
    /// first PATH (see `unconfigured_root`).
    pub root: PathBuf,
    /// With no config file, the marker that made `root` the root (`pyproject.toml`, `.git`…).
    pub root_marker: Option<String>,
    /// `module.NAME`, or `None` for "the one top-level `CHECKOUT_SESSION_TTL_SECONDS`".
    pub python_constant: Option<String>,
    pub rust_constant: Option<String>,
    pub min_seconds: i64,
    pub max_seconds: i64,
    pub exclude: Vec<String>,
    pub source_roots: Option<Vec<String>>,
    pub table_document: Option<String>,
    /// `[rules] select`: `None` runs every rule (see `crate::config::selection`).
    pub select: Option<Vec<RuleCode>>,
    pub extend_select: Vec<RuleCode>,
    pub ignore: Vec<RuleCode>,
    pub warn: Vec<RuleCode>,
    pub per_file_ignores: Vec<PerFileIgnore>,
    /// `--select / --extend-select / --ignore` of this run (never read from a file).
    pub command_line: RuleFlags,
    /// Whether this run plans the fixes of its findings: only when something shows or
    /// applies them (a fix costs a second parse of its file). Never read from a file.
    pub plan_fixes: bool,
}

impl Config {
    pub fn defaults(root: PathBuf) -> Self {
        Config {
            file: None,
            root,
            root_marker: None,
            python_constant: None,
            rust_constant: None,
            min_seconds: DEFAULT_MIN_SECONDS,
            max_seconds: DEFAULT_MAX_SECONDS,
            exclude: Vec::new(),
            source_roots: None,
            table_document: None,
            select: None,
            extend_select: Vec::new(),
            ignore: Vec::new(),
            warn: Vec::new(),
            per_file_ignores: Vec::new(),
            command_line: RuleFlags::default(),
            plan_fixes: true,
        }
    }
}

/// Which table of which file holds our settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Host {
    Own,
    PyProject,
    Cargo,
}

/// Finds and loads the config: `--config FILE` if given, else discovery upward from `start`.
pub fn load(explicit: Option<&Path>, start: &Path) -> Result<Config> {
    if let Some(file) = explicit {
        let host = match file.file_name().and_then(|n| n.to_str()) {
            Some("pyproject.toml") => Host::PyProject,
            Some("Cargo.toml") => Host::Cargo,
            _ => Host::Own,
        };
        let text = read(file)?;
        let root = parent_dir(file);
        return parse(file, &text, host, root)?.ok_or_else(|| {
            ToolError::new(format!(
                "{} has no [tool.checkout-lint] or [*.metadata.checkout-lint] table",
                file.display()
            ))
        });
    }
    let start = absolute(start);
    let first_dir = if start.is_dir() {
        start.clone()
    } else {
        parent_dir(&start)
    };
    let mut dir = Some(first_dir.as_path());
    while let Some(d) = dir {
        for (name, host) in [
            ("checkout-lint.toml", Host::Own),
            (".checkout-lint.toml", Host::Own),
            ("pyproject.toml", Host::PyProject),
            ("Cargo.toml", Host::Cargo),
        ] {
            let candidate = d.join(name);
            if !candidate.is_file() {
                continue;
            }
            if host != Host::Own {
                // Cheap check before parsing a file that is usually not about us.
                let Ok(bytes) = std::fs::read(&candidate) else {
                    continue;
                };
                if memchr::memmem::find(&bytes, b"checkout-lint").is_none() {
                    continue;
                }
            }
            let text = read(&candidate)?;
            if let Some(config) = parse(&candidate, &text, host, d.to_path_buf())? {
                return Ok(config);
            }
        }
        dir = d.parent();
    }
    let (root, marker) = unconfigured_root(&start, &first_dir);
    Ok(Config {
        root_marker: marker,
        ..Config::defaults(root)
    })
}

/// The project root when no config file names it: the nearest ancestor of the first PATH
/// holding a project marker (`pyproject.toml`, `Cargo.toml`, `setup.py`, `setup.cfg`,
/// `.git`). Failing that, a directory PATH is its own root, and a file's root is the
/// current directory when it holds the file: never the file's own directory by default,
/// where the file's package could not be named.
fn unconfigured_root(start: &Path, first_dir: &Path) -> (PathBuf, Option<String>) {
    let mut from = Some(first_dir.to_path_buf());
    while let Some(dir) = from {
        let Some(found) = root::find_marked_root(&dir) else {
            break;
        };
        // A project whose ignore files leave the PATH out (a `.git` whose `.gitignore`
        // lists `versions/`, above an interpreter's library) is not the PATH's project.
        let tree = Tree::new(vec![found.dir.clone()], &found.dir, &[], false);
        if tree.reaches(start) {
            return (found.dir, Some(found.marker));
        }
        from = found.dir.parent().map(Path::to_path_buf);
    }
    let cwd = absolute(Path::new("."));
    if !start.is_dir() && start.starts_with(&cwd) {
        return (cwd, None);
    }
    (first_dir.to_path_buf(), None)
}

fn parent_dir(path: &Path) -> PathBuf {
    let abs = absolute(path);
    abs.parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

pub fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        return path.to_path_buf();
    }
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    // Normalise `.` and `..` lexically so relative paths print cleanly.
    root::lexically_normal(&cwd.join(path))
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| {
        ToolError::new(format!("cannot read config {}: {e}", path.display()))
            .with_help("check the path and its permissions")
    })
}

#[derive(Deserialize)]
struct PyProject {
    tool: Option<PyTool>,
}

#[derive(Deserialize)]
struct PyTool {
    #[serde(rename = "checkout-lint")]
    checkout_lint: Option<RawConfig>,
}

#[derive(Deserialize)]
struct CargoManifest {
    workspace: Option<CargoMetadataHolder>,
    package: Option<CargoMetadataHolder>,
}

#[derive(Deserialize)]
struct CargoMetadataHolder {
    metadata: Option<CargoMetadata>,
}

#[derive(Deserialize)]
struct CargoMetadata {
    #[serde(rename = "checkout-lint")]
    checkout_lint: Option<RawConfig>,
}

/// Parses one file; `Ok(None)` when a host file has no table of ours.
fn parse(path: &Path, text: &str, host: Host, root: PathBuf) -> Result<Option<Config>> {
    let name = path.display().to_string();
    let to_error = |e: toml::de::Error| {
        let message = format!(
            "invalid config in {name}: {}",
            crate::error::in_toml_words(e.message())
        );
        let err = ToolError::new(message)
            .with_help("the README's Configuration section lists the keys and their types");
        match e.span() {
            Some(span) => err.at(&name, text, span),
            None => err,
        }
    };
    let raw = match host {
        Host::Own => Some(toml::from_str::<RawConfig>(text).map_err(to_error)?),
        Host::PyProject => toml::from_str::<PyProject>(text)
            .map_err(to_error)?
            .tool
            .and_then(|t| t.checkout_lint),
        Host::Cargo => {
            let manifest = toml::from_str::<CargoManifest>(text).map_err(to_error)?;
            let from = |h: Option<CargoMetadataHolder>| h.and_then(|h| h.metadata?.checkout_lint);
            from(manifest.workspace).or(from(manifest.package))
        }
    };
    let Some(raw) = raw else { return Ok(None) };
    validate(raw, &name, text, path, root).map(Some)
}

fn validate(raw: RawConfig, name: &str, text: &str, path: &Path, root: PathBuf) -> Result<Config> {
    let rule_list = |items: Vec<Spanned<String>>| -> Result<Vec<RuleCode>> {
        items
            .into_iter()
            .map(|item| {
                RuleCode::parse(item.get_ref()).ok_or_else(|| {
                    ToolError::new(format!("unknown rule `{}` in {name}", item.get_ref()))
                        .with_help("`checkout-lint rule` lists the rule ids and codes")
                        .at(name, text, item.span())
                })
            })
            .collect()
    };
    let constant = |item: Option<Spanned<String>>, sep: &str| -> Result<Option<String>> {
        let Some(item) = item else { return Ok(None) };
        let value = item.get_ref().trim().to_string();
        if !value.contains(sep) || value.ends_with(sep) || value.starts_with(sep) {
            return Err(ToolError::new(format!(
                "`{value}` is not a qualified constant name (expected `module{sep}NAME`)"
            ))
            .at(name, text, item.span()));
        }
        Ok(Some(value))
    };
    let min = raw.ttl.min_seconds;
    let max = raw.ttl.max_seconds;
    let min_seconds = min.as_ref().map_or(DEFAULT_MIN_SECONDS, |m| *m.get_ref());
    let max_seconds = max.as_ref().map_or(DEFAULT_MAX_SECONDS, |m| *m.get_ref());
    if min_seconds < 0 || min_seconds > max_seconds {
        let span = min
            .as_ref()
            .or(max.as_ref())
            .map(|s| s.span())
            .unwrap_or(0..0);
        return Err(ToolError::new(format!(
            "[ttl] bounds are empty: min-seconds = {min_seconds}, max-seconds = {max_seconds}"
        ))
        .with_help("Stripe accepts 1800..=86400 seconds; keep min-seconds <= max-seconds")
        .at(name, text, span));
    }
    let exclude = raw
        .files
        .exclude
        .into_iter()
        .map(|g| {
            globset::Glob::new(g.get_ref())
                .map(|_| g.get_ref().clone())
                .map_err(|e| {
                    ToolError::new(format!("invalid glob in [files] exclude: {e}")).at(
                        name,
                        text,
                        g.span(),
                    )
                })
        })
        .collect::<Result<Vec<_>>>()?;
    let per_file_ignores = raw
        .rules
        .per_file_ignores
        .into_iter()
        .map(|(pattern, rules)| {
            let span = rules.first().map_or(0..0, |r| r.span());
            let rules = rule_list(rules)?;
            PerFileIgnore::new(&pattern, rules).map_err(|e| {
                ToolError::new(format!(
                    "invalid glob `{pattern}` in [rules] per-file-ignores: {e}"
                ))
                .at(name, text, span)
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Config {
        file: Some(path.to_path_buf()),
        root,
        root_marker: None,
        python_constant: constant(raw.ttl.python_constant, ".")?,
        rust_constant: constant(raw.ttl.rust_constant, "::")?,
        min_seconds,
        max_seconds,
        exclude,
        source_roots: raw.python.source_roots,
        table_document: raw.table.document,
        select: raw.rules.select.map(&rule_list).transpose()?,
        extend_select: rule_list(raw.rules.extend_select)?,
        ignore: rule_list(raw.rules.ignore)?,
        warn: rule_list(raw.rules.warn)?,
        per_file_ignores,
        command_line: RuleFlags::default(),
        plan_fixes: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_own(text: &str) -> Result<Config> {
        parse(
            Path::new("checkout-lint.toml"),
            text,
            Host::Own,
            PathBuf::from("."),
        )
        .map(|c| c.expect("own config always yields a config"))
    }

    #[test]
    fn unknown_key_points_at_the_key() {
        let err = parse_own("[ttl]\nmax-secs = 5\n").unwrap_err();
        assert!(err.message.contains("max-secs"), "{}", err.message);
        let location = err.location.expect("location");
        assert_eq!(location.1.offset(), 6);
    }

    #[test]
    fn wrong_type_is_an_error() {
        assert!(parse_own("[ttl]\nmin-seconds = \"1800\"\n").is_err());
    }

    /// Type errors name TOML's types, not Rust's, and never cite the SPEC.
    #[test]
    fn type_errors_say_what_toml_expects() {
        for (text, expected) in [
            ("[ttl]\nmin-seconds = \"1800\"\n", "expected an integer"),
            ("[ttl]\nmax-seconds = 1.5\n", "expected an integer"),
            ("[ttl]\npython-constant = 5\n", "expected a string"),
            ("[files]\nexclude = \"vendor\"\n", "expected an array"),
            ("[rules]\nignore = [1]\n", "expected a string"),
            ("[python]\nsource-roots = \"src\"\n", "expected an array"),
            ("ttl = 5\n", "expected a table"),
        ] {
            let err = parse_own(text).unwrap_err();
            assert!(err.message.contains(expected), "{text}: {}", err.message);
            for rust in ["i64", "sequence", "struct", "Raw"] {
                assert!(!err.message.contains(rust), "{text}: {}", err.message);
            }
            let help = err.help.unwrap_or_default();
            assert!(!help.contains("SPEC"), "{help}");
        }
    }

    #[test]
    fn unknown_rule_id_is_an_error() {
        let err = parse_own("[rules]\nignore = [\"CL999\"]\n").unwrap_err();
        assert!(err.message.contains("CL999"));
    }

    #[test]
    fn rule_ids_and_codes_both_work() {
        let c = parse_own("[rules]\nignore = [\"CL001\", \"unused-suppression\"]\n").unwrap();
        assert_eq!(c.ignore, vec![RuleCode::CL001, RuleCode::CL012]);
    }

    #[test]
    fn pyproject_without_our_table_is_not_a_config() {
        let found = parse(
            Path::new("pyproject.toml"),
            "[tool.ruff]\nline-length = 100\n",
            Host::PyProject,
            PathBuf::from("."),
        )
        .unwrap();
        assert!(found.is_none());
    }

    #[test]
    fn cargo_metadata_table_is_read() {
        let c = parse(
            Path::new("Cargo.toml"),
            "[package]\nname = \"x\"\n[package.metadata.checkout-lint.ttl]\nrust-constant = \"crate::config::TTL\"\n",
            Host::Cargo,
            PathBuf::from("."),
        )
        .unwrap()
        .unwrap();
        assert_eq!(c.rust_constant.as_deref(), Some("crate::config::TTL"));
    }
}
