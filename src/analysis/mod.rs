//! Stage 4–5: judge every call site and the TTL constant against Stripe's rules, apply
//! suppressions and the `[rules]` config, and produce the `Outcome` that reporters print.
//!
//! This is the only stage that knows Stripe's `expires_at` rules (with `verdict` and
//! `ttl`). It does not know Python or Rust syntax, and it does not know output formats.

pub mod clocks;
pub mod eval;
pub mod identity;
pub mod suppression;
pub mod ttl;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use eval::Evaluator;
use identity::MODULE_LEVEL;
pub use suppression::SuppressionReport;
use suppression::{Lookup, Suppressions};

use crate::facts::{ByteSpan, ExpiresAtSource, Language, ModuleSummary, RawCallSite};
use crate::index::project::{FileState, Project};
use crate::rules::{
    self, cl001_missing_expires_at as cl001, cl007_unverifiable_call_site as cl007,
    cl009_parse_error as cl009, Message, RuleCode, Severity, ValueContext,
};
use crate::workspace::source::{Position, SourceFile};

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
    /// The code the finding points at, layout removed (`normalised_code`): with the rule,
    /// path and function it keys the baseline and SARIF fingerprints, so line shifts and
    /// reformatting keep a finding's identity.
    pub key_text: String,
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
    fn in_source(diagnostic: Diagnostic, reason: String) -> Self {
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

/// One call site in the making: the site's own location and its findings.
struct PendingSite {
    location: Location,
    end: usize,
    language: Language,
    api: String,
    function: String,
    route: Option<String>,
    via: Option<String>,
    expires_at: Option<String>,
    findings: Vec<Finding>,
}

/// Judges the project. `report_only`: when set, only findings in these files/directories
/// are reported (explicit PATHs, as pre-commit passes them).
pub fn run(project: &mut Project, report_only: Option<&[PathBuf]>) -> Outcome {
    let context = SiteContext::new(project);
    let mut loose = ttl::check_constant(project, &context.first_expiring);

    let mut suppressions = Suppressions::collect(project);
    let mut outcome_sites = Vec::new();
    let mut diagnostics = Vec::new();
    let mut suppressed = Vec::new();
    let config_ignore = project.config.ignore.clone();
    let config_warn = project.config.warn.clone();
    let constants: HashMap<Language, String> = [Language::Python, Language::Rust]
        .into_iter()
        .map(|l| (l, project.constant_name(l).to_string()))
        .collect();
    // The files whose sites are reported: those summarised before judging starts (judging
    // may summarise more modules as it follows imports; they hold no sites of their own).
    let summarised: Vec<usize> = (project.files.held())
        .filter(|&i| matches!(project.files.state(i), FileState::Summarised(_)))
        .collect();
    // The judging loop asks for the text of each file with sites, in this order.
    let with_sites = summarised.iter().filter_map(|&i| {
        let file = &project.files[i];
        match project.files.state(i) {
            FileState::Summarised(s) if !s.call_sites.is_empty() => {
                let rel_path = project.files.rel_path(file).to_string();
                Some((file.path().to_path_buf(), rel_path))
            }
            _ => None,
        }
    });
    let mut texts = TextCache::reading_ahead(project.config.root.clone(), with_sites.collect());
    // One report row per site: sized once rather than grown (and moved) a dozen times.
    let site_total: usize = project
        .summaries()
        .map(|(_, summary)| summary.call_sites.len())
        .sum();
    outcome_sites.reserve(site_total);
    let mut evaluator = Evaluator::new(project);

    // One file at a time: its sites are built, judged and turned into report rows before
    // the next file's, so only the rows are held, never every site's intermediate form.
    for index in summarised {
        let call_sites = evaluator.symbols_mut().take_call_sites(index);
        let file = &evaluator.symbols().files[index];
        // No longer summarised: parsed whole for a lookup, it failed (CL009 below).
        let FileState::Summarised(summary) = evaluator.symbols().files.state(index) else {
            continue;
        };
        let rel_path = evaluator.symbols().files.rel_path(file);
        let sites = context.file_sites(&rel_path, summary, call_sites);
        for (site, source) in sites {
            let site = judge_site(&mut evaluator, &constants, site, source);
            let Some(file) = texts.get(&site.location) else {
                continue;
            };
            let start = file.position(site.location.span.start);
            let end = file.position(site.end);
            let mut suppressed_reason = None;
            let mut remaining = Vec::new();
            for mut finding in site.findings {
                if config_ignore.contains(&finding.rule) {
                    suppressed_reason.get_or_insert_with(|| {
                        format!("{} is ignored in the config", finding.rule.name())
                    });
                    continue;
                }
                if config_warn.contains(&finding.rule) {
                    finding.severity = Severity::Warning;
                }
                let lookup = suppressions.lookup(&site.location.rel_path, start.line, finding.rule);
                if let Lookup::Suppressed(reason) = lookup {
                    suppressed_reason = Some(reason.clone());
                    let diagnostic = to_diagnostic(finding, file, Some(site.end), &site.function);
                    suppressed.push(SuppressedDiagnostic::in_source(diagnostic, reason));
                    continue;
                }
                remaining.push(finding);
            }
            let rules: Vec<RuleCode> = remaining.iter().map(|f| f.rule).collect();
            let status = if remaining.is_empty() {
                if suppressed_reason.is_some() {
                    Status::Suppressed
                } else {
                    Status::Sanctioned
                }
            } else if rules.iter().all(|r| *r == RuleCode::CL007) {
                Status::Unverifiable
            } else {
                Status::Violation
            };
            for finding in remaining {
                diagnostics.push(to_diagnostic(finding, file, Some(site.end), &site.function));
            }
            outcome_sites.push(CallSiteReport {
                path: site.location.rel_path.clone(),
                start,
                end,
                language: site.language,
                api: site.api,
                function: site.function,
                route: site.route,
                expires_at: site.expires_at,
                via: site.via,
                status,
                rules: {
                    let mut r = rules;
                    r.dedup();
                    r
                },
                suppressed: if status == Status::Suppressed {
                    suppressed_reason
                } else {
                    None
                },
            });
        }
    }
    drop(evaluator);
    // After judging: a lookup may have parsed a skimmed file whole and found it does not
    // parse (a syntax error in a left-out item); its sites, if not yet judged, are gone,
    // and this CL009 is what says so.
    loose.extend(file_findings(project));
    for mut finding in loose {
        if config_ignore.contains(&finding.rule) {
            continue;
        }
        let Some(file) = texts.get(&finding.location) else {
            continue;
        };
        if config_warn.contains(&finding.rule) {
            finding.severity = Severity::Warning;
        }
        let line = file.position(finding.location.span.start).line;
        let lookup = suppressions.lookup(&finding.location.rel_path, line, finding.rule);
        let diagnostic = to_diagnostic(finding, file, None, MODULE_LEVEL);
        match lookup {
            Lookup::Suppressed(reason) => {
                suppressed.push(SuppressedDiagnostic::in_source(diagnostic, reason))
            }
            Lookup::None | Lookup::WithoutReason => diagnostics.push(diagnostic),
        }
    }
    let (meta_findings, comment_reports) = suppressions.finish();
    for mut finding in meta_findings {
        if config_ignore.contains(&finding.rule) {
            continue;
        }
        if config_warn.contains(&finding.rule) {
            finding.severity = Severity::Warning;
        }
        if let Some(file) = texts.get(&finding.location) {
            diagnostics.push(to_diagnostic(finding, file, None, MODULE_LEVEL));
        }
    }
    let suppression_reports: Vec<SuppressionReport> = comment_reports
        .into_iter()
        .map(|(comment, mut report)| {
            let location = Location::offset(&report.path, comment.span.start);
            if let Some(file) = texts.get(&location) {
                report.start = file.position(comment.span.start);
            }
            report
        })
        .collect();

    let files_parsed = project
        .files
        .states()
        .filter(|state| {
            matches!(
                state,
                FileState::Summarised(_) | FileState::Released(_) | FileState::ParseFailed(_)
            )
        })
        .count();
    let mut outcome = Outcome {
        root: project.config.root.clone(),
        diagnostics,
        suppressed,
        suppressions: suppression_reports,
        call_sites: outcome_sites,
        files_scanned: project.files.scanned(None),
        files_parsed,
    };
    if let Some(filters) = report_only {
        outcome.restrict_to(filters);
    }
    outcome.sort();
    outcome
}

/// What judging a file's sites needs from the whole project, gathered in one pass first.
struct SiteContext {
    /// How many sites call each thin wrapper (`module.name`).
    via_counts: HashMap<String, usize>,
    /// Routes registered elsewhere (axum routers), keyed by the handler's absolute path.
    routes: HashMap<String, String>,
    /// Per language, the first site that passes `expires_at` (where CL008 points when the
    /// TTL constant is missing).
    first_expiring: HashMap<Language, Location>,
}

impl SiteContext {
    fn new(project: &Project) -> Self {
        let mut context = SiteContext {
            via_counts: HashMap::new(),
            routes: HashMap::new(),
            first_expiring: HashMap::new(),
        };
        for (file, summary) in project.summaries() {
            for site in &summary.call_sites {
                if let Some(via) = &site.via {
                    *context.via_counts.entry(via.clone()).or_default() += 1;
                }
                if matches!(
                    site.expires_at,
                    ExpiresAtSource::Value { .. } | ExpiresAtSource::Helper { .. }
                ) {
                    context
                        .first_expiring
                        .entry(summary.language)
                        .or_insert_with(|| Location::offset(&file, site.span.start));
                }
            }
            for registration in &summary.routes {
                context
                    .routes
                    .entry(registration.handler.clone())
                    .or_insert_with(|| registration.route.clone());
            }
        }
        context
    }

    /// One file's sites, with their own findings, ready to be judged: its create calls
    /// (taken out of its summary) and the thin wrappers nothing calls.
    fn file_sites(
        &self,
        rel_path: &str,
        summary: &ModuleSummary,
        call_sites: Vec<RawCallSite>,
    ) -> Vec<(PendingSite, ExpiresAtSource)> {
        let mut sites = Vec::with_capacity(call_sites.len());
        for mut site in call_sites {
            let source = std::mem::replace(&mut site.expires_at, ExpiresAtSource::Missing);
            sites.push(self.pending_site(rel_path, summary, site, source));
        }
        for wrapper in &summary.wrappers {
            let key = format!("{}.{}", wrapper.symbol.module, wrapper.symbol.name);
            if self.via_counts.get(&key).copied().unwrap_or(0) == 0 {
                let why = format!(
                    "`{}` forwards its arguments into `{}`, but nothing in the project calls it, so they cannot be verified",
                    wrapper.symbol.name, wrapper.site.api
                );
                let site = wrapper.site.clone();
                sites.push(self.pending_site(
                    rel_path,
                    summary,
                    site,
                    ExpiresAtSource::Unresolved(why),
                ));
            }
        }
        sites
    }

    fn pending_site(
        &self,
        rel_path: &str,
        summary: &ModuleSummary,
        site: RawCallSite,
        source: ExpiresAtSource,
    ) -> (PendingSite, ExpiresAtSource) {
        let expires_at = match &source {
            ExpiresAtSource::Value { text, .. } => Some(text.clone()),
            ExpiresAtSource::Helper { callee, .. } => {
                Some(format!("{}(...)[\"expires_at\"]", callee.name))
            }
            _ => None,
        };
        let location = Location::offset(rel_path, site.span.start);
        let mut findings = Vec::new();
        if site.json_body {
            findings.push(Finding::at(location.clone(), cl001::json_body()));
        }
        let route = site.route.or_else(|| {
            self.routes
                .get(&format!("{}::{}", summary.module, site.function))
                .cloned()
        });
        let pending = PendingSite {
            location,
            end: site.span.end,
            language: summary.language,
            api: site.api,
            function: site.function,
            route,
            via: site.via,
            expires_at,
            findings,
        };
        (pending, source)
    }
}

/// Judges one site's `expires_at` and adds the findings to the site's own.
fn judge_site(
    evaluator: &mut Evaluator<'_, Project>,
    constants: &HashMap<Language, String>,
    mut site: PendingSite,
    source: ExpiresAtSource,
) -> PendingSite {
    let constant = &constants[&site.language];
    let now_plus_ttl = match site.language {
        Language::Python => format!("int(time.time()) + {constant}"),
        Language::Rust => format!("Utc::now().timestamp() + {constant}"),
    };
    let sanctioned = match site.language {
        Language::Python => format!("expires_at={now_plus_ttl}"),
        Language::Rust => format!("expires_at: Some({now_plus_ttl})"),
    };
    let context = ValueContext {
        constant,
        now_plus_ttl: &now_plus_ttl,
    };
    let messages = match source {
        ExpiresAtSource::Missing => vec![cl001::missing(&site.api, &sanctioned)],
        ExpiresAtSource::Unresolved(why) => vec![cl007::unresolved(&why)],
        ExpiresAtSource::Forwarded(_) => vec![cl007::forwarded()],
        ExpiresAtSource::Value { term, .. } => rules::judge_value(&evaluator.eval(&term), &context),
        ExpiresAtSource::Helper {
            callee,
            args,
            kwargs,
        } => match evaluator.helper_mapping(&callee, &args, &kwargs) {
            Ok(Some((value, text))) => {
                site.expires_at = Some(text);
                rules::judge_value(&value, &context)
            }
            Ok(None) => vec![cl001::missing_in_mapping(&site.api, &callee.name, constant)],
            Err(why) => vec![cl007::helper_unresolved(&why)],
        },
    };
    let found: Vec<Finding> = messages
        .into_iter()
        .map(|m| Finding::at(site.location.clone(), m))
        .collect();
    let mut found = found;
    if found.iter().any(|f| f.rule == RuleCode::CL001) {
        site.expires_at = None;
        // A JSON body that also lacks `expires_at`: the JSON finding says it all.
        if site.findings.iter().any(|f| f.rule == RuleCode::CL001) {
            found.retain(|f| f.rule != RuleCode::CL001);
        }
    }
    site.findings.extend(found);
    site
}

/// CL009 for files that mention a checkout API but could not be parsed or read.
fn file_findings(project: &Project) -> Vec<Finding> {
    let mut out = Vec::new();
    for (index, file) in project.files.iter() {
        let (offset, message) = match project.files.state(index) {
            FileState::ParseFailed(failure) if file.candidate() => (
                failure.offset,
                cl009::does_not_parse(&failure.message, file.language()),
            ),
            FileState::Unreadable(err) => {
                (0, cl009::unreadable_file(&err.to_string(), file.language()))
            }
            _ => continue,
        };
        out.push(Finding::at(
            Location::offset(&project.files.rel_path(file), offset),
            message,
        ));
    }
    for (rel_path, err) in &project.unreadable {
        out.push(Finding::at(
            Location::offset_in_file(rel_path, 0, Some(&project.config.root.join(rel_path))),
            cl009::unreadable_path(&err.to_string()),
        ));
    }
    out
}

fn to_diagnostic(
    finding: Finding,
    file: &SourceFile,
    end: Option<usize>,
    function: &str,
) -> Diagnostic {
    let start = file.position(finding.location.span.start);
    let end_offset = end
        .unwrap_or(finding.location.span.end)
        .max(finding.location.span.start);
    let span = ByteSpan::new(finding.location.span.start, end_offset);
    let key_text = identity::key_text(file, span);
    Diagnostic {
        rule: finding.rule,
        severity: finding.severity,
        path: finding.location.rel_path,
        abs_path: file.path.clone(),
        start,
        end: file.position(end_offset),
        span,
        message: finding.message,
        help: finding.help,
        function: function.to_string(),
        key_text,
    }
}

/// Reads the files findings point into. Only the last file read is kept: sites arrive
/// grouped by file, and holding every candidate's text to the end was a quarter of the
/// peak memory on large trees (massif, bench synthetic tree).
///
/// Judging is serial, so another thread reads ahead the files the loop will ask for next
/// (a few at a time) and builds their line tables: on two cores that took the reads, a
/// fifth of the judging time, off the serial path.
pub struct TextCache {
    root: PathBuf,
    last: Option<SourceFile>,
    /// The files being read ahead, in order, and the position of the next to arrive.
    upcoming: Vec<String>,
    next: usize,
    /// Batches of files read ahead (one wake-up per batch, not per file), and what is left
    /// of the current one, reversed.
    ahead: Option<std::sync::mpsc::Receiver<Vec<SourceFile>>>,
    batch: Vec<SourceFile>,
}

/// Files per batch read ahead; two batches may wait.
const READ_AHEAD_BATCH: usize = 32;

impl TextCache {
    pub fn new(root: PathBuf) -> Self {
        TextCache::reading_ahead(root, Vec::new())
    }

    /// A cache that reads `files` (absolute and relative paths) ahead, in this order.
    pub fn reading_ahead(root: PathBuf, files: Vec<(PathBuf, String)>) -> Self {
        let upcoming = files.iter().map(|(_, rel)| rel.clone()).collect();
        let ahead = (!files.is_empty()).then(|| {
            let (sender, receiver) = std::sync::mpsc::sync_channel(2);
            std::thread::spawn(move || {
                for batch in files.chunks(READ_AHEAD_BATCH) {
                    let mut sources: Vec<SourceFile> = batch
                        .iter()
                        .map(|(path, rel_path)| read_source(path.clone(), rel_path.clone()))
                        .collect();
                    sources.reverse();
                    // The receiver is gone once judging is done: stop.
                    if sender.send(sources).is_err() {
                        return;
                    }
                }
            });
            receiver
        });
        TextCache {
            root,
            last: None,
            upcoming,
            next: 0,
            ahead,
            batch: Vec::new(),
        }
    }

    fn get(&mut self, location: &Location) -> Option<&SourceFile> {
        let cached = self
            .last
            .as_ref()
            .is_some_and(|file| file.rel_path == location.rel_path);
        if !cached {
            self.last = Some(match self.take_ahead(&location.rel_path) {
                Some(file) => file,
                None => {
                    let path = location
                        .abs_path
                        .clone()
                        .unwrap_or_else(|| self.root.join(&location.rel_path));
                    read_source(path, location.rel_path.clone())
                }
            });
        }
        self.last.as_ref()
    }

    /// The file read ahead for `rel_path`, if it is one; the files before it in the order
    /// were not asked for (their sites were dropped) and are skipped.
    fn take_ahead(&mut self, rel_path: &str) -> Option<SourceFile> {
        let position = self.upcoming[self.next..]
            .iter()
            .position(|upcoming| upcoming == rel_path)?;
        self.next += position + 1;
        for _ in 0..position {
            self.next_ahead()?;
        }
        self.next_ahead()
    }

    fn next_ahead(&mut self) -> Option<SourceFile> {
        if self.batch.is_empty() {
            self.batch = self.ahead.as_ref()?.recv().ok()?;
        }
        self.batch.pop()
    }
}

fn read_source(path: PathBuf, rel_path: String) -> SourceFile {
    let bytes = std::fs::read(&path).unwrap_or_default();
    let (text, _) = crate::workspace::source::decode(bytes);
    SourceFile::new(path, rel_path, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_cache_reads_ahead_in_order_and_falls_back_to_reading() {
        let dir = tempfile::tempdir().expect("temp dir");
        let names = ["a.py", "b.py", "c.py", "d.py"];
        for name in names {
            std::fs::write(dir.path().join(name), format!("# {name}\n")).expect("write");
        }
        let ahead = names[..3]
            .iter()
            .map(|name| (dir.path().join(name), name.to_string()))
            .collect();
        let mut texts = TextCache::reading_ahead(dir.path().to_path_buf(), ahead);
        let mut text_of = |name: &str| {
            let location = Location::offset(name, 0);
            texts.get(&location).map(|file| file.text.clone())
        };
        // `a.py` is skipped (its sites were dropped); `a.py` and `d.py` are then read as
        // any other file.
        assert_eq!(text_of("b.py").as_deref(), Some("# b.py\n"));
        assert_eq!(text_of("c.py").as_deref(), Some("# c.py\n"));
        assert_eq!(text_of("a.py").as_deref(), Some("# a.py\n"));
        assert_eq!(text_of("d.py").as_deref(), Some("# d.py\n"));
    }
}
