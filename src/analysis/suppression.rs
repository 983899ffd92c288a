//! Applying suppression comments: which comment silences which finding, and the meta-rules
//! about the comments themselves (CL011 no reason or unknown rule, CL012 matches nothing,
//! or names a rule that matches nothing while the others do: no over-broad lists).
//!
//! Comments come from the front ends (`ModuleSummary::suppressions`, read from real comment
//! tokens), so this module is language-neutral: it sees paths, lines and rule names only.

use super::{Finding, Location};
use crate::facts::Suppression;
use crate::rules::cl011_suppression_without_reason as cl011;
use crate::rules::cl012_unused_suppression as cl012;
use crate::rules::RuleCode;
use crate::workspace::source::Position;

/// Every suppression comment of the project and how often each of its rules matched.
pub struct Suppressions {
    comments: Vec<(String, Suppression)>,
    /// Per comment, per entry of its rule list: findings it silenced.
    matched: Vec<Vec<usize>>,
}

/// What became of one suppression comment (for `checkout-lint suppressions`).
#[derive(Clone, Debug)]
pub struct SuppressionReport {
    pub path: String,
    pub start: Position,
    pub rules: Vec<String>,
    pub reason: Option<String>,
    /// How many findings it silenced (0 when it has no reason: it silences nothing).
    pub matched: usize,
    /// CL011 or CL012 when the comment itself is a finding.
    pub problem: Option<RuleCode>,
}

/// The outcome of looking a finding up.
pub enum Lookup {
    /// No comment names this rule on the finding's line or the line above.
    None,
    /// A comment names it but gives no reason (CL011): the finding stays.
    WithoutReason,
    /// Silenced, with the comment's reason.
    Suppressed(String),
}

impl Suppressions {
    /// The suppression comments of every file summarised so far.
    pub fn collect(project: &crate::index::Lookup) -> Self {
        let comments: Vec<(String, Suppression)> = project
            .summaries()
            .flat_map(|(file, summary)| {
                summary
                    .suppressions
                    .iter()
                    .map(move |s| (file.to_string(), s.clone()))
            })
            .collect();
        let matched = comments
            .iter()
            .map(|(_, s)| vec![0; s.rules.len()])
            .collect();
        Suppressions { comments, matched }
    }

    /// Looks for a comment that names the finding's rule on its line, or on a line of its own
    /// right above.
    pub fn lookup(&mut self, path: &str, line: usize, rule: RuleCode) -> Lookup {
        let found = self.comments.iter().enumerate().find_map(|(i, (p, s))| {
            let on_line = p == path && (s.line == line || (!s.trailing && s.line + 1 == line));
            let entry = s
                .rules
                .iter()
                .position(|r| RuleCode::parse(r) == Some(rule));
            entry.filter(|_| on_line).map(|j| (i, j))
        });
        let Some((i, j)) = found else {
            return Lookup::None;
        };
        // A comment without a reason silences nothing; it is reported as CL011 only.
        self.matched[i][j] += 1;
        match &self.comments[i].1.reason {
            Some(reason) => Lookup::Suppressed(reason.clone()),
            None => Lookup::WithoutReason,
        }
    }

    /// The findings about the comments themselves (CL011, CL012), each paired with the
    /// index of its report, and the report of every comment (positions filled in later).
    pub fn finish(self) -> (Vec<Finding>, Vec<(Suppression, SuppressionReport)>) {
        let mut findings = Vec::new();
        let mut reports = Vec::new();
        for ((rel_path, suppression), matched) in self.comments.into_iter().zip(self.matched) {
            let finding = meta_finding(&rel_path, &suppression, &matched);
            let reason_given = suppression.reason.is_some();
            let matched: usize = matched.iter().sum();
            reports.push((
                suppression.clone(),
                SuppressionReport {
                    path: rel_path,
                    start: Position {
                        line: suppression.line,
                        column: 1,
                    },
                    rules: suppression.rules.clone(),
                    reason: suppression.reason.clone(),
                    matched: if reason_given { matched } else { 0 },
                    problem: finding.as_ref().map(|f| f.rule),
                },
            ));
            findings.extend(finding);
        }
        (findings, reports)
    }
}

fn meta_finding(rel_path: &str, suppression: &Suppression, matched: &[usize]) -> Option<Finding> {
    let location = Location {
        rel_path: rel_path.to_string(),
        abs_path: None,
        span: suppression.span,
    };
    let unknown: Vec<String> = suppression
        .rules
        .iter()
        .filter(|r| RuleCode::parse(r).is_none())
        .map(|r| format!("`{r}`"))
        .collect();
    if suppression.rules.is_empty() || !unknown.is_empty() {
        return Some(Finding::at(location, cl011::bad_rule_list(&unknown)));
    }
    if suppression.reason.is_none() {
        return Some(Finding::at(location, cl011::no_reason()));
    }
    // An entry naming a rule an earlier entry already named (`CL001`, then its id) is a
    // repeat: it is never the one that matches, which does not make it unused.
    let codes: Vec<Option<RuleCode>> = suppression
        .rules
        .iter()
        .map(|r| RuleCode::parse(r))
        .collect();
    let is_repeat = |j: usize| codes[..j].contains(&codes[j]);
    let unused: Vec<String> = suppression
        .rules
        .iter()
        .zip(matched)
        .enumerate()
        .filter(|(j, (_, n))| **n == 0 && !is_repeat(*j))
        .map(|(_, (r, _))| format!("`{r}`"))
        .collect();
    if !unused.is_empty() {
        let named = codes
            .iter()
            .enumerate()
            .filter(|(j, _)| !is_repeat(*j))
            .count();
        return Some(Finding::at(
            location,
            cl012::unused(&unused, named, suppression.trailing),
        ));
    }
    let repeats: Vec<String> = (0..codes.len())
        .filter(|&j| is_repeat(j))
        .map(|j| format!("`{}`", suppression.rules[j]))
        .collect();
    if repeats.is_empty() {
        return None;
    }
    Some(Finding::at(location, cl012::repeated(&repeats)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::ByteSpan;

    fn comment(rules: &[&str]) -> Suppression {
        Suppression {
            span: ByteSpan::new(0, 1),
            line: 1,
            trailing: false,
            rules: rules.iter().map(|r| r.to_string()).collect(),
            reason: Some("because".into()),
        }
    }

    #[test]
    fn a_rule_named_twice_is_a_repeat_not_an_unused_rule() {
        let finding = meta_finding("a.py", &comment(&["CL001", "missing-expires-at"]), &[1, 0])
            .expect("a finding");
        assert!(
            finding.message.contains("already names"),
            "{}",
            finding.message
        );
        assert!(!finding.message.contains("no finding"));
    }

    #[test]
    fn an_unused_rule_beside_a_repeat_is_still_unused() {
        let finding = meta_finding(
            "a.py",
            &comment(&["CL001", "missing-expires-at", "CL006"]),
            &[1, 0, 0],
        )
        .expect("a finding");
        assert!(finding.message.contains("`CL006`"), "{}", finding.message);
        assert!(!finding.message.contains("`missing-expires-at`"));
    }

    #[test]
    fn every_rule_used_once_is_no_finding() {
        assert!(meta_finding("a.py", &comment(&["CL001", "CL006"]), &[1, 2]).is_none());
    }
}
