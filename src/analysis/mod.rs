//! Judge the project: evaluate every call site's `expires_at` and the TTL constant, ask the
//! rules (`crate::rules`) what each value means, apply suppressions and the `[rules]`
//! config, and produce the `Outcome` that reporters print.
//!
//! Knows how values are computed (`eval`, `clocks`) and where rules apply; the rules' own
//! verdicts and wording live in `crate::rules`. Knows no syntax and no output format.

pub mod arithmetic;
pub mod clocks;
pub mod code_tokens;
pub mod eval;
mod fixes;
pub mod fold;
mod forms;
pub mod identity;
mod outcome;
mod routes;
mod sites;
pub mod suppression;
mod text_cache;
pub mod ttl;

pub use outcome::*;
use sites::{file_findings, judge_site, to_diagnostic, SharedConstant, SiteContext};
pub use text_cache::TextCache;

use std::collections::HashMap;
use std::path::PathBuf;

use eval::Evaluator;
use identity::MODULE_LEVEL;
pub use suppression::SuppressionReport;
use suppression::{Lookup, Suppressions};

use crate::config::selection::{why_off, Layers};
use crate::facts::Language;
use crate::index::project::{FileState, Project};
use crate::index::Lookup as ProjectLookup;
use crate::rules::Severity;

/// Judges the project. `report_only`: when set, only findings in these files/directories
/// are reported (explicit PATHs, as pre-commit passes them).
pub fn run(project: &Project, report_only: Option<&[PathBuf]>) -> Outcome {
    let context = SiteContext::new(project);
    let mut symbols = ProjectLookup::new(project);
    let mut loose = ttl::check_constant(&mut symbols, &context.first_expiring);

    // The Rust constant as a fix would pass it: a `pub const` of type `i64` (another type
    // does not add to an `i64` clock; a private one cannot be imported).
    let rust_constant = match project.config.plan_fixes {
        true => ttl::resolved_constant(&mut symbols, Language::Rust),
        false => Vec::new(),
    };
    let (rust_constant_reach, rust_i64_constant) = match rust_constant.as_slice() {
        [one] => {
            let reach = fixes::source_of(&project.config.root.join(&one.rel_path), &one.rel_path)
                .and_then(|file| {
                    let item = file.text.get(one.offset..one.end)?;
                    fixes::i64_const_reach(item)
                });
            let name = one.symbol.rsplit([':', '.']).next().unwrap_or_default();
            (reach, reach.map(|_| name.to_string()))
        }
        _ => (Some(crate::lang::rust::edit::Visibility::Public), None),
    };
    let mut suppressions = Suppressions::collect(&symbols);
    let mut outcome_sites = Vec::new();
    let mut diagnostics = Vec::new();
    let mut suppressed = Vec::new();
    let config = &project.config;
    let command_line = !config.command_line.is_empty();
    let constants: HashMap<Language, SharedConstant> = [Language::Python, Language::Rust]
        .into_iter()
        .map(|l| (l, SharedConstant::of(&symbols, l)))
        .collect();
    // The files whose sites are reported: those summarised before judging starts (judging
    // may summarise more modules as it follows imports; they hold no sites of their own).
    let summarised: Vec<usize> = (project.files.held())
        .filter(|&i| matches!(symbols.state(i), FileState::Summarised(_)))
        .collect();
    // The judging loop asks for the text of each file with sites, in this order.
    let with_sites = summarised.iter().filter_map(|&i| {
        let file = &project.files[i];
        match symbols.state(i) {
            FileState::Summarised(s) if !s.call_sites.is_empty() => {
                let rel_path = project.files.rel_path(file).to_string();
                Some((file.path().to_path_buf(), rel_path))
            }
            _ => None,
        }
    });
    let mut texts = TextCache::reading_ahead(project.config.root.clone(), with_sites.collect());
    // One report row per site: sized once rather than grown (and moved) a dozen times.
    let site_total: usize = symbols
        .summaries()
        .map(|(_, summary)| summary.call_sites.len())
        .sum();
    outcome_sites.reserve(site_total);
    let mut evaluator = Evaluator::new(&mut symbols);
    // A constant outside Stripe's window makes every fix that passes it unsafe.
    let out_of_range = (loose.iter())
        .filter(|f| f.rule == crate::rules::RuleCode::CL003)
        .map(|f| match f.location.rel_path.ends_with(".rs") {
            true => Language::Rust,
            false => Language::Python,
        })
        .collect();
    let helpers = context.sanctioned_helpers(&mut evaluator, &constants);
    let mut to_fix = Vec::new();
    let fixes = fixes::FixPlanner::new(
        out_of_range,
        helpers,
        (rust_constant_reach, rust_i64_constant),
    );

    // One file at a time: its sites are built, judged and turned into report rows before
    // the next file's, so only the rows are held, never every site's intermediate form.
    for index in summarised {
        // No longer summarised: parsed whole for a lookup, it failed (CL009 below).
        let FileState::Summarised(summary) = evaluator.symbols().state(index) else {
            continue;
        };
        let rel_path = project.files.rel_path(&project.files[index]);
        let module = summary.module.clone();
        let sites = context.file_sites(&rel_path, summary);
        for (site, source) in sites {
            let site = judge_site(&mut evaluator, &constants, site, source);
            let Some(file) = texts.get(&site.location) else {
                continue;
            };
            let start = file.position(site.location.span.start);
            let end = file.position(site.end);
            let rel_path = &site.location.rel_path;
            // What this run reports, and what the config alone says (the call-sites table,
            // which a run's `--select`/`--ignore` must not make stale).
            let mut reported = SiteTally::default();
            let mut table = SiteTally::default();
            let mut remaining = Vec::new();
            for mut finding in site.findings {
                let off = why_off(config, finding.rule, rel_path, Layers::CommandLine);
                let table_off = if command_line {
                    why_off(config, finding.rule, rel_path, Layers::Config)
                } else {
                    off.clone()
                };
                if let (Some(off), Some(table_off)) = (&off, &table_off) {
                    reported.off(off);
                    table.off(table_off);
                    continue;
                }
                if config.warn.contains(&finding.rule) {
                    finding.severity = Severity::Warning;
                }
                let lookup = suppressions.lookup(rel_path, start.line, finding.rule);
                if let Lookup::Suppressed(reason) = lookup {
                    match &table_off {
                        Some(why) => table.off(why),
                        None => table.suppressed(reason.clone()),
                    }
                    match &off {
                        Some(why) => reported.off(why),
                        None => {
                            reported.suppressed(reason.clone());
                            let diagnostic =
                                to_diagnostic(finding, file, Some(site.end), &site.function);
                            suppressed.push(SuppressedDiagnostic::in_source(diagnostic, reason));
                        }
                    }
                    continue;
                }
                match &table_off {
                    Some(why) => table.off(why),
                    None => table.rules.push(finding.rule),
                }
                match &off {
                    Some(why) => reported.off(why),
                    None => {
                        reported.rules.push(finding.rule);
                        remaining.push(finding);
                    }
                }
            }
            for finding in remaining {
                let slot = finding.slot;
                let diagnostic = to_diagnostic(finding, file, Some(site.end), &site.function);
                if let Some(slot) = slot.filter(|_| config.plan_fixes) {
                    to_fix.push(fixes::Wanted {
                        index: diagnostics.len(),
                        abs_path: diagnostic.abs_path.clone(),
                        slot,
                        module: module.clone(),
                        language: site.language,
                        location: site.location.clone(),
                        value: site.expires_at.clone(),
                    });
                }
                diagnostics.push(diagnostic);
            }
            let verdict = reported.verdict();
            let table_verdict = table.verdict();
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
                table_verdict: (table_verdict != verdict).then(|| Box::new(table_verdict)),
                status: verdict.status,
                rules: verdict.rules,
                suppressed: verdict.suppressed,
            });
        }
    }
    drop(evaluator);
    // Planned once every site is judged: no lookup summarises a module meanwhile (the
    // Rust front end then clears the spans an editor holds); a file is parsed once for all
    // its fixes, files in parallel.
    for (index, fix) in fixes.plan(&symbols, to_fix) {
        diagnostics[index].fix = fix;
    }
    // After judging: a lookup may have parsed a skimmed file whole and found it does not
    // parse (a syntax error in a left-out item); its sites, if not yet judged, are gone,
    // and this CL009 is what says so.
    loose.extend(file_findings(&symbols));
    for mut finding in loose {
        if why_off(
            config,
            finding.rule,
            &finding.location.rel_path,
            Layers::CommandLine,
        )
        .is_some()
        {
            continue;
        }
        let Some(file) = texts.get(&finding.location) else {
            continue;
        };
        if config.warn.contains(&finding.rule) {
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
        if why_off(
            config,
            finding.rule,
            &finding.location.rel_path,
            Layers::CommandLine,
        )
        .is_some()
        {
            continue;
        }
        if config.warn.contains(&finding.rule) {
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

    let files_parsed = (symbols.files().into_iter())
        .filter(|(_, state)| {
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
        binary: project.binary.clone(),
    };
    if let Some(filters) = report_only {
        outcome.restrict_to(filters);
    }
    outcome.sort();
    outcome
}
