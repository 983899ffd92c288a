//! Which rules run where: `[rules] select / extend-select / ignore / per-file-ignores` in the
//! config and `--select / --extend-select / --ignore` on the command line, with the reason
//! a rule is off at a path (the call-sites table quotes it).
//!
//! Knows rule codes and root-relative paths; not how findings are computed or printed.
//! The rules follow ruff's: a `select` replaces the rules before it (the command line's
//! replaces the config's), `extend-select` adds to them, and an `ignore` or a per-file
//! ignore always wins.

use globset::{Glob, GlobBuilder, GlobMatcher};

use super::Config;
use crate::rules::RuleCode;

/// One `--select / --extend-select / --ignore` layer (the config's `[rules]`, or the command
/// line's flags).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleFlags {
    /// `None`: every rule (or, on the command line, the config's selection).
    pub select: Option<Vec<RuleCode>>,
    pub extend_select: Vec<RuleCode>,
    pub ignore: Vec<RuleCode>,
}

impl RuleFlags {
    pub fn is_empty(&self) -> bool {
        *self == RuleFlags::default()
    }
}

/// One entry of `[rules] per-file-ignores`: a glob over root-relative paths and its rules.
#[derive(Clone, Debug)]
pub struct PerFileIgnore {
    pub pattern: String,
    pub rules: Vec<RuleCode>,
    path: GlobMatcher,
    /// A pattern without `/` also matches the file name anywhere (`conftest.py`), as ruff's.
    name: Option<GlobMatcher>,
}

impl PerFileIgnore {
    /// Compiles `pattern`; `*` does not cross `/`, `**` does. The error is globset's text.
    pub fn new(pattern: &str, rules: Vec<RuleCode>) -> Result<Self, String> {
        let glob = |text: &str| {
            GlobBuilder::new(text)
                .literal_separator(true)
                .build()
                .map(|g: Glob| g.compile_matcher())
                .map_err(|e| e.to_string())
        };
        let trimmed = pattern.trim_start_matches("./");
        Ok(PerFileIgnore {
            pattern: pattern.to_string(),
            rules,
            path: glob(trimmed)?,
            name: (!trimmed.contains('/'))
                .then(|| glob(trimmed))
                .transpose()?,
        })
    }

    fn matches(&self, rel_path: &str) -> bool {
        if self.path.is_match(rel_path) {
            return true;
        }
        let file_name = rel_path.rsplit('/').next().unwrap_or(rel_path);
        self.name.as_ref().is_some_and(|n| n.is_match(file_name))
    }
}

/// Which layers decide: the config alone (the call-sites table, which must not depend on a
/// run's flags), or the config and the command line (what a run reports).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layers {
    Config,
    CommandLine,
}

/// Why `rule` does not run at `rel_path` (a root-relative path), or `None` when it runs.
pub fn why_off(config: &Config, rule: RuleCode, rel_path: &str, layers: Layers) -> Option<String> {
    let name = rule.name();
    if config.ignore.contains(&rule) {
        return Some(format!("{name} is ignored in the config"));
    }
    if let Some(entry) = config
        .per_file_ignores
        .iter()
        .find(|e| e.rules.contains(&rule) && e.matches(rel_path))
    {
        return Some(format!(
            "{name} is ignored for `{}` in the config",
            entry.pattern
        ));
    }
    let flags = &config.command_line;
    if layers == Layers::CommandLine {
        if flags.ignore.contains(&rule) {
            return Some(format!("{name} is ignored on the command line"));
        }
        if let Some(select) = &flags.select {
            let on = select.contains(&rule) || flags.extend_select.contains(&rule);
            return (!on).then(|| format!("{name} is not selected on the command line"));
        }
        if flags.extend_select.contains(&rule) {
            return None;
        }
    }
    let selected = config.select.as_ref().is_none_or(|s| s.contains(&rule))
        || config.extend_select.contains(&rule);
    (!selected).then(|| format!("{name} is not selected in the config"))
}

/// Whether `rule` runs anywhere at all for this run (false only when it is off at every
/// path: per-file ignores switch a rule off only somewhere).
pub fn runs_somewhere(config: &Config, rule: RuleCode) -> bool {
    // A path no per-file pattern can match: `/` never starts a root-relative path.
    why_off(config, rule, "/", Layers::CommandLine).is_none()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;
    use RuleCode::*;

    fn config() -> Config {
        Config::defaults(PathBuf::from("."))
    }

    fn parse_own(text: &str) -> crate::error::Result<Config> {
        let file = std::path::Path::new("checkout-lint.toml");
        let parsed = super::super::parse(file, text, super::super::Host::Own, ".".into());
        parsed.map(|c| c.expect("own config always yields a config"))
    }

    #[test]
    fn select_and_per_file_ignores_are_read() {
        let c = parse_own(
            "[rules]\nselect = [\"CL001\"]\nextend-select = [\"stale-table\"]\nper-file-ignores = { \"tests/**\" = [\"CL001\"] }\n",
        )
        .unwrap();
        assert_eq!(c.select, Some(vec![RuleCode::CL001]));
        assert_eq!(c.extend_select, vec![RuleCode::CL010]);
        assert_eq!(c.per_file_ignores[0].pattern, "tests/**");
        assert_eq!(c.per_file_ignores[0].rules, vec![RuleCode::CL001]);
    }

    #[test]
    fn unknown_rule_in_per_file_ignores_points_at_it() {
        let text = "[rules]\nper-file-ignores = { \"tests/**\" = [\"CL999\"] }\n";
        let err = parse_own(text).unwrap_err();
        assert!(err.message.contains("CL999"), "{}", err.message);
        assert_eq!(
            err.location.expect("location").1.offset(),
            text.find("\"CL999").unwrap()
        );
    }

    #[test]
    fn every_rule_runs_by_default() {
        for rule in RuleCode::ALL {
            assert_eq!(why_off(&config(), rule, "a.py", Layers::CommandLine), None);
        }
    }

    #[test]
    fn command_line_select_replaces_the_config_select_but_not_its_ignores() {
        let mut c = config();
        c.select = Some(vec![CL001, CL002]);
        c.ignore = vec![CL002];
        c.command_line.select = Some(vec![CL002, CL005]);
        let off = |rule, layers| why_off(&c, rule, "a.py", layers);
        assert_eq!(off(CL005, Layers::CommandLine), None);
        assert!(off(CL001, Layers::CommandLine)
            .unwrap()
            .contains("command line"));
        assert!(off(CL002, Layers::CommandLine)
            .unwrap()
            .contains("in the config"));
        // The config alone: its own select.
        assert_eq!(off(CL001, Layers::Config), None);
        assert!(off(CL005, Layers::Config).unwrap().contains("not selected"));
    }

    #[test]
    fn extend_select_adds_to_a_select() {
        let mut c = config();
        c.select = Some(vec![CL001]);
        c.command_line.extend_select = vec![CL003];
        assert_eq!(why_off(&c, CL003, "a.py", Layers::CommandLine), None);
        assert!(why_off(&c, CL004, "a.py", Layers::CommandLine).is_some());
        c.command_line.select = Some(vec![CL004]);
        assert_eq!(why_off(&c, CL003, "a.py", Layers::CommandLine), None);
        assert!(why_off(&c, CL001, "a.py", Layers::CommandLine).is_some());
    }

    #[test]
    fn per_file_ignores_match_root_relative_globs_and_bare_file_names() {
        let mut c = config();
        c.per_file_ignores = vec![
            PerFileIgnore::new("tests/**", vec![CL001]).unwrap(),
            PerFileIgnore::new("conftest.py", vec![CL002]).unwrap(),
            PerFileIgnore::new("scripts/*.py", vec![CL003]).unwrap(),
        ];
        let off = |rule, path| why_off(&c, rule, path, Layers::Config).is_some();
        assert!(off(CL001, "tests/unit/test_pay.py"));
        assert!(!off(CL001, "app/tests.py"));
        assert!(!off(CL002, "tests/unit/test_pay.py"));
        assert!(off(CL002, "app/sub/conftest.py"));
        assert!(off(CL003, "scripts/once.py"));
        assert!(!off(CL003, "scripts/deep/once.py"));
        assert!(runs_somewhere(&c, CL001));
    }
}
