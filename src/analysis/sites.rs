//! Judging call sites: the facts a file's sites need from the whole project, one site's
//! `expires_at` through the evaluator and the rules, the files that could not be verified,
//! and a finding turned into a diagnostic with its position.

use std::collections::HashMap;

use super::eval::Evaluator;
use super::routes::RouteMap;
use super::{Diagnostic, Finding, Location};
use crate::facts::fix::Slot;
use crate::facts::{
    ByteSpan, ExpiresAtSource, Language, ModuleSummary, RawCallSite, SymbolRef, Term, Unseen,
};
use crate::index::project::{FileState, Project};
use crate::index::Lookup;
use crate::rules::{
    self, cl001_missing_expires_at as cl001, cl007_unverifiable_call_site as cl007,
    cl009_parse_error as cl009, RuleCode, ValueContext,
};
use crate::workspace::source::SourceFile;

/// One call site in the making: the site's own location and its findings.
pub(super) struct PendingSite {
    pub(super) location: Location,
    pub(super) end: usize,
    pub(super) language: Language,
    pub(super) api: String,
    pub(super) function: String,
    pub(super) route: Option<String>,
    pub(super) via: Option<String>,
    pub(super) expires_at: Option<String>,
    pub(super) findings: Vec<Finding>,
    /// Where the site would take `expires_at` (`--fix`).
    pub(super) slot: Option<Slot>,
    /// The `expires_at` expression written at the site, for a fix of its value.
    pub(super) value: Option<ByteSpan>,
}

/// What judging a file's sites needs from the whole project, gathered in one pass first.
pub(super) struct SiteContext {
    /// How many sites call each thin wrapper (`module.name`).
    pub(super) via_counts: HashMap<String, usize>,
    /// Every module's route facts, per language (`routes`).
    pub(super) routes: HashMap<Language, RouteMap>,
    /// Per language, the first site that passes `expires_at` (where CL008 points when the
    /// TTL constant is missing).
    pub(super) first_expiring: HashMap<Language, Location>,
    /// Per language, how many sites pass a call of each project function without
    /// arguments (`expires_at=checkout_expires_at()`): the project's style, for `--fix`.
    helper_calls: HashMap<Language, HashMap<SymbolRef, usize>>,
    /// Per language, how many sites pass an `expires_at` written as a value.
    valued: HashMap<Language, usize>,
}

impl SiteContext {
    pub(super) fn new(project: &Project) -> Self {
        let mut context = SiteContext {
            via_counts: HashMap::new(),
            routes: HashMap::new(),
            first_expiring: HashMap::new(),
            helper_calls: HashMap::new(),
            valued: HashMap::new(),
        };
        for (file, summary) in project.summaries() {
            for site in &summary.call_sites {
                if let Some(via) = &site.via {
                    *context.via_counts.entry(via.clone()).or_default() += 1;
                }
                if matches!(site.expires_at, ExpiresAtSource::Value { .. }) {
                    *context.valued.entry(summary.language).or_default() += 1;
                }
                if let ExpiresAtSource::Value {
                    term:
                        Term::Call {
                            callee,
                            args,
                            kwargs,
                        },
                    ..
                } = &site.expires_at
                {
                    if let (Term::Symbol(helper), true) =
                        (&**callee, args.is_empty() && kwargs.is_empty())
                    {
                        *(context.helper_calls.entry(summary.language).or_default())
                            .entry(helper.clone())
                            .or_default() += 1;
                    }
                }
                if matches!(
                    site.expires_at,
                    ExpiresAtSource::Value { .. } | ExpiresAtSource::Helper { .. }
                ) {
                    context
                        .first_expiring
                        .entry(summary.language)
                        .or_insert_with(|| Location {
                            span: site.span,
                            ..Location::offset(&file, site.span.start)
                        });
                }
            }
            if !summary.routes.is_empty() {
                let separator = match summary.language {
                    Language::Python => ".",
                    Language::Rust => "::",
                };
                context
                    .routes
                    .entry(summary.language)
                    .or_insert_with(|| RouteMap::new(separator))
                    .add(&summary.routes);
            }
        }
        context
    }

    /// One file's sites, with their own findings, ready to be judged: its create calls
    /// and the thin wrappers nothing calls.
    pub(super) fn file_sites(
        &self,
        rel_path: &str,
        summary: &ModuleSummary,
    ) -> Vec<(PendingSite, ExpiresAtSource)> {
        let mut sites = Vec::with_capacity(summary.call_sites.len());
        for site in &summary.call_sites {
            let source = site.expires_at.clone();
            sites.push(self.pending_site(rel_path, summary, site, source));
        }
        for wrapper in &summary.wrappers {
            let key = format!("{}.{}", wrapper.symbol.module, wrapper.symbol.name);
            // An endpoint helper nobody calls with the create's path creates nothing.
            if wrapper.path.is_none() && self.via_counts.get(&key).copied().unwrap_or(0) == 0 {
                let why = Unseen::UncalledWrapper {
                    wrapper: wrapper.symbol.name.clone(),
                    api: wrapper.site.api.clone(),
                };
                sites.push(self.pending_site(
                    rel_path,
                    summary,
                    &wrapper.site,
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
        site: &RawCallSite,
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
        let route = self
            .routes
            .get(&summary.language)
            .and_then(|map| map.route_of(&summary.module, &site.function, site.route.as_deref()))
            .unwrap_or_else(|| site.route.clone());
        let pending = PendingSite {
            location,
            end: site.span.end,
            language: summary.language,
            api: site.api.clone(),
            function: site.function.clone(),
            route,
            via: site.via.clone(),
            expires_at,
            findings,
            slot: site.slot,
            value: site.value,
        };
        (pending, source)
    }
}

/// The shared TTL constant of one language: its name, and where the project defines it
/// (known once `ttl::check_constant` has run), for the help of a call that passes nothing.
pub(super) struct SharedConstant {
    name: String,
    defined: Vec<String>,
    configured: Option<String>,
}

impl SharedConstant {
    pub(super) fn of(lookup: &Lookup, language: Language) -> Self {
        let project = lookup.project();
        let mut defined: Vec<String> = (lookup.ttl_definitions().iter())
            .filter(|symbol| symbol.language == language)
            .map(|symbol| symbol.display())
            .collect();
        defined.sort();
        let configured = match language {
            Language::Python => project.config.python_constant.clone(),
            Language::Rust => project.config.rust_constant.clone(),
        };
        SharedConstant {
            name: project.constant_name(language).to_string(),
            defined,
            configured,
        }
    }
}

impl SiteContext {
    /// Per language, the helper most sites call for their `expires_at` (the first by name
    /// of a tie), when more than half of the sites that write a value call it and what it
    /// returns is sanctioned: `--fix` passes the same.
    pub(super) fn sanctioned_helpers(
        &self,
        evaluator: &mut Evaluator<'_, Lookup<'_>>,
        constants: &HashMap<Language, SharedConstant>,
    ) -> HashMap<Language, SymbolRef> {
        let mut helpers = HashMap::new();
        for (language, counts) in &self.helper_calls {
            let Some((helper, &uses)) =
                counts.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
            else {
                continue;
            };
            if uses * 2 <= self.valued.get(language).copied().unwrap_or(0) {
                continue;
            }
            let call = Term::Call {
                callee: Box::new(Term::Symbol(helper.clone())),
                args: Vec::new(),
                kwargs: Vec::new(),
            };
            let constant = &constants[language].name;
            let now_plus_ttl = now_plus_ttl(*language, constant);
            let context = ValueContext {
                constant,
                now_plus_ttl: &now_plus_ttl,
            };
            if rules::judge_value(&evaluator.eval(&call), &context).is_empty() {
                helpers.insert(*language, helper.clone());
            }
        }
        helpers
    }
}

/// The sanctioned `expires_at` the helps quote: now + the constant.
fn now_plus_ttl(language: Language, constant: &str) -> String {
    match language {
        Language::Python => format!("int(time.time()) + {constant}"),
        Language::Rust => format!("Utc::now().timestamp() + {constant}"),
    }
}

/// Judges one site's `expires_at` and adds the findings to the site's own.
pub(super) fn judge_site(
    evaluator: &mut Evaluator<'_, Lookup<'_>>,
    constants: &HashMap<Language, SharedConstant>,
    mut site: PendingSite,
    source: ExpiresAtSource,
) -> PendingSite {
    let shared = &constants[&site.language];
    let constant = &shared.name;
    let now_plus_ttl = now_plus_ttl(site.language, constant);
    let sanctioned = match site.language {
        Language::Python => format!("expires_at={now_plus_ttl}"),
        Language::Rust => format!("expires_at: Some({now_plus_ttl})"),
    };
    let context = ValueContext {
        constant,
        now_plus_ttl: &now_plus_ttl,
    };
    // A form of another module's struct: read now that the index can find the struct.
    let source = match source {
        ExpiresAtSource::Form(literals) => {
            let key = &crate::shapes::shapes().expires_at_param;
            let read = super::forms::declared_form(evaluator.symbols_mut(), &literals, key);
            if let ExpiresAtSource::Value { text, .. } = &read {
                site.expires_at = Some(text.clone());
            }
            read
        }
        source => source,
    };
    let missing = matches!(source, ExpiresAtSource::Missing);
    let messages = match source {
        ExpiresAtSource::Missing => {
            let shared = cl001::SharedConstant {
                name: constant,
                defined: &shared.defined,
                configured: shared.configured.as_deref(),
            };
            vec![cl001::missing(
                &site.api,
                &sanctioned,
                site.language,
                &shared,
            )]
        }
        ExpiresAtSource::Unresolved(why) => vec![cl007::unresolved(&why, site.language)],
        ExpiresAtSource::Forwarded(_) => vec![cl007::forwarded(site.language)],
        // Read above; were one left, it could not be verified.
        ExpiresAtSource::Form(literals) => {
            let why = Unseen::FormStruct {
                name: literals.first().map(|l| l.path.clone()).unwrap_or_default(),
                gap: crate::facts::FormStructGap::NotFound,
            };
            vec![cl007::unresolved(&why, site.language)]
        }
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
            Err(why) => vec![cl007::unresolved(&why, site.language)],
        },
    };
    // A value's own fix only where every fault of the value has one: one not derived from
    // the constant (CL002) is the owner's to rewrite.
    let value_only = (messages.iter()).all(|m| m.value_fix.is_some());
    let found: Vec<Finding> = messages
        .into_iter()
        .map(|m| Finding {
            slot: match (m.rule, m.value_fix) {
                (RuleCode::CL001, _) => site.slot.filter(|_| missing),
                (_, Some(how)) => {
                    (site.value.filter(|_| value_only)).map(|at| Slot::Value(at, how))
                }
                _ => None,
            },
            ..Finding::at(site.location.clone(), m)
        })
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

/// CL009 for files that mention a checkout API but could not be parsed, and for files and
/// directories that could not be read.
pub(super) fn file_findings(lookup: &Lookup) -> Vec<Finding> {
    let project = lookup.project();
    let mut out = Vec::new();
    for (file, state) in lookup.files() {
        let (offset, message) = match state {
            FileState::ParseFailed(failure) if file.candidate() => (
                failure.offset,
                cl009::does_not_parse(&failure.message, file.language()),
            ),
            FileState::Unreadable(err) => (0, cl009::unreadable_file(err)),
            _ => continue,
        };
        out.push(Finding::at(
            Location::offset(&project.files.rel_path(file), offset),
            message,
        ));
    }
    for (rel_path, err) in &project.unreadable {
        let path = project.config.root.join(rel_path);
        let message = if path.is_dir() {
            cl009::unreadable_directory(err)
        } else {
            cl009::unreadable_file(err)
        };
        out.push(Finding::at(
            Location::offset_in_file(rel_path, 0, Some(&path)),
            message,
        ));
    }
    out
}

pub(super) fn to_diagnostic(
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
    let key_text = super::identity::key_text(file, span);
    let legacy_key_text = super::identity::legacy_key_text(file, span);
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
        legacy_key_text,
        fix: None,
    }
}
