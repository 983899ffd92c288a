//! What the analysis hands to reporters: findings with their locations, diagnostics, call
//! site rows with their status, and the `Outcome` that holds them all.

use std::path::{Path, PathBuf};

use super::suppression::SuppressionReport;
use crate::facts::fix::{Fix, Slot};
use crate::facts::{ByteSpan, Language};
use crate::rules::{Message, RuleCode, Severity};
use crate::workspace::source::Position;

/// Where a finding points: a byte range of a file.
#[derive(Clone, Debug)]
pub struct Location {
    pub rel_path: String,
    /// Set when the file is not one of the project's sources (a config file, a document).
    pub abs_path: Option<PathBuf>,
    pub span: ByteSpan,
}

impl Location {
    pub fn offset(rel_path: &str, offset: usize) -> Self {
        Location {
            rel_path: rel_path.to_string(),
            abs_path: None,
            span: ByteSpan::new(offset, offset),
        }
    }

    pub fn offset_in_file(rel_path: &str, offset: usize, abs: Option<&Path>) -> Self {
        Location {
            rel_path: rel_path.to_string(),
            abs_path: abs.map(Path::to_path_buf),
            span: ByteSpan::new(offset, offset),
        }
    }
}

/// A finding before positions are computed.
#[derive(Clone, Debug)]
pub struct Finding {
    pub rule: RuleCode,
    pub severity: Severity,
    pub location: Location,
    pub message: String,
    pub help: Option<String>,
    /// Where a CL001 site would take `expires_at`, for its fix.
    pub slot: Option<Slot>,
}

impl Finding {
    /// What a rule says, at a place.
    pub fn at(location: Location, message: Message) -> Finding {
        Finding {
            rule: message.rule,
            severity: message.severity,
            location,
            message: message.text,
            help: message.help,
            slot: None,
        }
    }
}

/// A diagnostic as reporters see it (SPEC §7).
#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub rule: RuleCode,
    pub severity: Severity,
    pub path: String,
    pub abs_path: PathBuf,
    pub start: Position,
    pub end: Position,
    pub span: ByteSpan,
    pub message: String,
    pub help: Option<String>,
    /// The enclosing function's qualified name, or `<module>`: part of the baseline key.
    pub function: String,
    /// The code the finding points at, written back from its tokens (`identity::key_text`:
    /// no layout, no comments): with the rule, path and function it keys the baseline and
    /// SARIF fingerprints, so line shifts, reformatting and comment edits keep a finding's
    /// identity.
    pub key_text: String,
    /// The same code as version 1 baselines keyed it (`identity::legacy_key_text`: blanks
    /// removed, comments kept), so that they keep matching.
    pub legacy_key_text: String,
    /// What `--fix` would do about it.
    pub fix: Option<Fix>,
}

/// Why a finding was silenced instead of reported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SuppressionKind {
    /// A suppression comment with a reason.
    InSource,
    /// An entry of the `--baseline` file.
    Baseline,
}

/// A finding that was silenced; kept so SARIF can list it with its justification.
#[derive(Clone, Debug)]
pub struct SuppressedDiagnostic {
    pub diagnostic: Diagnostic,
    pub kind: SuppressionKind,
    pub justification: String,
}

impl SuppressedDiagnostic {
    pub(super) fn in_source(diagnostic: Diagnostic, reason: String) -> Self {
        SuppressedDiagnostic {
            diagnostic,
            kind: SuppressionKind::InSource,
            justification: reason,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Sanctioned,
    Violation,
    Unverifiable,
    Suppressed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Sanctioned => "sanctioned",
            Status::Violation => "violation",
            Status::Unverifiable => "unverifiable",
            Status::Suppressed => "suppressed",
        }
    }
}

/// A call site as reporters see it (SPEC §7 `call_sites`).
#[derive(Clone, Debug)]
pub struct CallSiteReport {
    pub path: String,
    pub start: Position,
    pub end: Position,
    pub language: Language,
    pub api: String,
    pub function: String,
    pub route: Option<String>,
    pub expires_at: Option<String>,
    pub via: Option<String>,
    pub status: Status,
    pub rules: Vec<RuleCode>,
    pub suppressed: Option<String>,
    /// The config alone's verdict, when this run's `--select`/`--ignore` changed it: what
    /// the call-sites table shows, so that the flags never make a document stale.
    pub table_verdict: Option<Box<SiteVerdict>>,
}

/// A site's status, the rules it breaks (deduplicated) and why it is suppressed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteVerdict {
    pub status: Status,
    pub rules: Vec<RuleCode>,
    pub suppressed: Option<String>,
}

/// A site's findings as they are sorted: the rules left, and the first reason one was
/// switched off (or the last suppression comment that silenced one).
#[derive(Default)]
pub(super) struct SiteTally {
    pub rules: Vec<RuleCode>,
    reason: Option<String>,
}

impl SiteTally {
    /// A finding whose rule is switched off.
    pub fn off(&mut self, why: &str) {
        self.reason.get_or_insert_with(|| why.to_string());
    }

    /// A finding a suppression comment silenced.
    pub fn suppressed(&mut self, reason: String) {
        self.reason = Some(reason);
    }

    pub fn verdict(mut self) -> SiteVerdict {
        let status = if self.rules.is_empty() {
            if self.reason.is_some() {
                Status::Suppressed
            } else {
                Status::Sanctioned
            }
        } else if self.rules.iter().all(|r| *r == RuleCode::CL007) {
            Status::Unverifiable
        } else {
            Status::Violation
        };
        self.rules.dedup();
        SiteVerdict {
            status,
            rules: self.rules,
            suppressed: self.reason.filter(|_| status == Status::Suppressed),
        }
    }
}

/// Everything one `check` run found.
#[derive(Debug)]
pub struct Outcome {
    pub root: PathBuf,
    /// The findings to report, sorted by path and position.
    pub diagnostics: Vec<Diagnostic>,
    /// Findings silenced by a suppression comment or the baseline, sorted likewise.
    pub suppressed: Vec<SuppressedDiagnostic>,
    /// Every suppression comment and what became of it, sorted by path and position.
    pub suppressions: Vec<SuppressionReport>,
    pub call_sites: Vec<CallSiteReport>,
    pub files_scanned: usize,
    pub files_parsed: usize,
    /// Files that pass the prefilter but are binary, skipped (root-relative, sorted).
    pub binary: Vec<String>,
}

impl Outcome {
    pub fn errors(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }

    /// Keeps only findings and call sites in these files/directories (explicit PATHs, as
    /// pre-commit passes them); findings outside the project root are kept.
    pub fn restrict_to(&mut self, filters: &[PathBuf]) {
        let root = &self.root;
        let keep = within(root, filters);
        self.diagnostics
            .retain(|d| keep(&d.path) || d.abs_path.strip_prefix(root).is_err());
        self.suppressed.retain(|s| keep(&s.diagnostic.path));
        self.call_sites.retain(|s| keep(&s.path));
        self.suppressions.retain(|s| keep(&s.path));
        self.binary.retain(|path| keep(path));
    }

    /// The call sites as the call-sites table shows them (the config's verdicts, whatever
    /// this run's rule flags), or `None` when they are `call_sites` as they are.
    pub fn table_view(&self) -> Option<Outcome> {
        if self.call_sites.iter().all(|s| s.table_verdict.is_none()) {
            return None;
        }
        let call_sites = (self.call_sites.iter())
            .map(|site| {
                let mut site = site.clone();
                if let Some(verdict) = site.table_verdict.take() {
                    site.status = verdict.status;
                    site.rules = verdict.rules;
                    site.suppressed = verdict.suppressed;
                }
                site
            })
            .collect();
        Some(Outcome {
            root: self.root.clone(),
            diagnostics: Vec::new(),
            suppressed: Vec::new(),
            suppressions: Vec::new(),
            call_sites,
            files_scanned: self.files_scanned,
            files_parsed: self.files_parsed,
            binary: Vec::new(),
        })
    }

    /// Sorts diagnostics and call sites by path, line, column (deterministic output).
    pub fn sort(&mut self) {
        self.diagnostics
            .sort_by(|a, b| (&a.path, a.start, a.rule).cmp(&(&b.path, b.start, b.rule)));
        self.suppressed.sort_by(|a, b| {
            let (a, b) = (&a.diagnostic, &b.diagnostic);
            (&a.path, a.start, a.rule).cmp(&(&b.path, b.start, b.rule))
        });
        self.call_sites
            .sort_by(|a, b| (&a.path, a.start).cmp(&(&b.path, b.start)));
        self.suppressions
            .sort_by(|a, b| (&a.path, a.start).cmp(&(&b.path, b.start)));
    }
}

/// Whether a root-relative path (as reports spell it) lies in one of the explicit PATHs.
/// A name that is not UTF-8 is reported lossily (`bad\u{FFFD}.py`), so the root and the
/// PATHs are compared lossily too: naming such a file, or one below such a directory,
/// reports its findings (and those of any file whose path reads the same), rather than none.
pub fn within(root: &Path, filters: &[PathBuf]) -> impl Fn(&str) -> bool {
    let lossy = |path: &Path| PathBuf::from(path.to_string_lossy().into_owned());
    let root = lossy(root);
    let filters: Vec<PathBuf> = filters.iter().map(|f| lossy(f)).collect();
    move |rel: &str| {
        let abs = root.join(rel);
        filters.iter().any(|f| abs.starts_with(f))
    }
}
