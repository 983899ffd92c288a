//! The human format: a miette snippet per diagnostic (rule, source, label, help, then a
//! "see:" line with the rule's documentation page), its path from the current directory,
//! then a one-line summary (not under `--quiet`). Colour only when asked (`--color`; by
//! default a TTY without `NO_COLOR`).

use std::fmt;

use miette::{
    Diagnostic as MietteDiagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan,
    NamedSource, Severity as MietteSeverity,
};

use crate::analysis::{Diagnostic, Outcome, Status, SuppressionKind};
use crate::facts::fix::Safety;
use crate::rules::Severity;

struct Rendered<'a> {
    diagnostic: &'a Diagnostic,
    source: NamedSource<String>,
}

impl fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl std::error::Error for Rendered<'_> {}

impl MietteDiagnostic for Rendered<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(format!(
            "{} {}",
            self.diagnostic.rule.code(),
            self.diagnostic.rule.name()
        )))
    }

    fn severity(&self) -> Option<MietteSeverity> {
        Some(match self.diagnostic.severity {
            Severity::Error => MietteSeverity::Error,
            Severity::Warning => MietteSeverity::Warning,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diagnostic
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.diagnostic.span;
        // Label only the first line of a multi-line call, so the snippet stays short.
        let text = self.source.inner();
        let end = text[span.start.min(text.len())..]
            .find('\n')
            .map_or(span.end, |nl| (span.start + nl).min(span.end));
        let len = end.saturating_sub(span.start);
        Some(Box::new(std::iter::once(LabeledSpan::new(
            Some(self.diagnostic.rule.name().to_string()),
            span.start,
            len,
        ))))
    }
}

/// The human format (miette), the default.
pub struct Human;

impl super::RenderText for Human {
    fn render(&self, outcome: &Outcome, options: super::ReportOptions) -> String {
        render(outcome, options.color, options.quiet)
    }
}

fn render(outcome: &Outcome, color: bool, quiet: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100);
    let cwd = std::env::current_dir().ok();
    let mut out = String::new();
    for diagnostic in &outcome.diagnostics {
        let shown = super::cwd_relative(&diagnostic.abs_path, cwd.as_deref(), &diagnostic.path);
        let text = std::fs::read(&diagnostic.abs_path)
            .map(|b| crate::workspace::source::decode(b).0)
            .unwrap_or_default();
        let rendered = Rendered {
            diagnostic,
            source: NamedSource::new(shown.clone(), text),
        };
        let mut buffer = String::new();
        if handler.render_report(&mut buffer, &rendered).is_err() {
            buffer = format!(
                "{}:{}:{}: {} {}\n",
                shown,
                diagnostic.start.line,
                diagnostic.start.column,
                diagnostic.rule.code(),
                diagnostic.message
            );
        }
        out.push_str(&buffer);
        if let Some(fix) = &diagnostic.fix {
            let how = match fix.safety {
                Safety::Safe => "fixable with --fix",
                Safety::Unsafe => "fixable with --fix --unsafe-fixes",
            };
            out.push_str(&format!("  fix: {} ({how})\n", fix.message));
        }
        out.push_str(&format!("  see: {}\n", diagnostic.rule.url()));
        out.push('\n');
    }
    if !quiet {
        out.push_str(&summary(outcome));
    }
    out
}

/// `N call sites (…); E errors, W warnings[; B findings accepted by the baseline]`, one line.
pub(super) fn summary(outcome: &Outcome) -> String {
    let mut out = String::new();
    let count = |status: Status| {
        outcome
            .call_sites
            .iter()
            .filter(|s| s.status == status)
            .count()
    };
    out.push_str(&format!(
        "{} call site{} ({} sanctioned, {} violation{}, {} unverifiable, {} suppressed); {} error{}, {} warning{}\n",
        outcome.call_sites.len(),
        plural(outcome.call_sites.len()),
        count(Status::Sanctioned),
        count(Status::Violation),
        plural(count(Status::Violation)),
        count(Status::Unverifiable),
        count(Status::Suppressed),
        outcome.errors(),
        plural(outcome.errors()),
        outcome.warnings(),
        plural(outcome.warnings()),
    ));
    let baselined = outcome
        .suppressed
        .iter()
        .filter(|s| s.kind == SuppressionKind::Baseline)
        .count();
    if baselined > 0 {
        out.insert_str(
            out.len() - 1,
            &format!(
                "; {baselined} finding{} accepted by the baseline",
                plural(baselined)
            ),
        );
    }
    out.push_str(&fixable(outcome));
    out
}

/// `N fixable with --fix (M more with --unsafe-fixes)`, a line of its own when any is.
fn fixable(outcome: &Outcome) -> String {
    let count = |safety: Safety| {
        (outcome.diagnostics.iter())
            .filter(|d| d.fix.as_ref().is_some_and(|f| f.safety == safety))
            .count()
    };
    match (count(Safety::Safe), count(Safety::Unsafe)) {
        (0, 0) => String::new(),
        (0, more) => format!("{more} fixable with --fix --unsafe-fixes\n"),
        (safe, 0) => format!("{safe} fixable with --fix\n"),
        (safe, more) => format!("{safe} fixable with --fix ({more} more with --unsafe-fixes)\n"),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
