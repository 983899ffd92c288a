//! `--select`, `--extend-select` and `--ignore` for `check`: rule codes or ids, repeatable or
//! comma-separated. Parsing only; what they mean is `crate::config::selection`'s.

use clap::Args;

use crate::config::selection::RuleFlags;
use crate::rules::RuleCode;

#[derive(Debug, Args, Default, Clone)]
pub struct RuleArgs {
    /// Run only these rules (codes or ids, comma-separated); replaces `[rules] select`
    #[arg(long, value_name = "RULE", value_delimiter = ',', value_parser = parse_rule)]
    pub select: Option<Vec<RuleCode>>,
    /// Run these rules too, on top of the selection
    #[arg(long, value_name = "RULE", value_delimiter = ',', value_parser = parse_rule)]
    pub extend_select: Vec<RuleCode>,
    /// Do not run these rules (on top of `[rules] ignore`)
    #[arg(long, value_name = "RULE", value_delimiter = ',', value_parser = parse_rule)]
    pub ignore: Vec<RuleCode>,
}

impl RuleArgs {
    pub fn flags(&self) -> RuleFlags {
        RuleFlags {
            select: self.select.clone(),
            extend_select: self.extend_select.clone(),
            ignore: self.ignore.clone(),
        }
    }
}

fn parse_rule(text: &str) -> Result<RuleCode, String> {
    RuleCode::parse(text).ok_or_else(|| {
        format!("unknown rule `{text}`; `checkout-lint rule` lists the codes (CL001) and ids (missing-expires-at)")
    })
}
