//! `--format junit`: JUnit XML, one test suite and one test case per diagnostic (named by
//! rule and location, classname = file), a `<failure>` for errors and `<system-out>` for
//! warnings; a single passing case when nothing was found, so CI shows a green test
//! rather than an empty report. GitLab, Jenkins and Azure render this shape.

use crate::analysis::Outcome;
use crate::rules::Severity;

/// The junit format.
pub struct Junit;

impl super::RenderText for Junit {
    fn render(&self, outcome: &Outcome, _options: super::ReportOptions) -> String {
        render(outcome)
    }
}

fn render(outcome: &Outcome) -> String {
    let tests = outcome.diagnostics.len().max(1);
    let failures = outcome.errors();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"checkout-lint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">\n"
    ));
    out.push_str(&format!(
        "  <testsuite name=\"checkout-lint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">\n"
    ));
    if outcome.diagnostics.is_empty() {
        out.push_str("    <testcase classname=\"checkout-lint\" name=\"no findings\"/>\n");
    }
    for d in &outcome.diagnostics {
        let path = super::repo_relative(&d.abs_path, &d.path);
        let place = format!("{path}:{}:{}", d.start.line, d.start.column);
        let rule = format!("{} {}", d.rule.code(), d.rule.name());
        let mut body = format!("{place}: {}", d.message);
        if let Some(help) = &d.help {
            body.push_str(&format!("\nhelp: {help}"));
        }
        out.push_str(&format!(
            "    <testcase classname=\"{}\" name=\"{} at {}\" file=\"{}\" line=\"{}\">\n",
            escape(&path),
            escape(&rule),
            escape(&place),
            escape(&path),
            d.start.line
        ));
        if d.severity == Severity::Error {
            out.push_str(&format!(
                "      <failure type=\"{}\" message=\"{}\">{}</failure>\n",
                d.rule.code(),
                escape(&d.message),
                escape(&body)
            ));
        } else {
            out.push_str(&format!(
                "      <system-out>warning: {}</system-out>\n",
                escape(&body)
            ));
        }
        out.push_str("    </testcase>\n");
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

/// Escapes text for an XML attribute or element and drops characters XML 1.0 forbids.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\t' | '\r' => out.push_str(&format!("&#{};", c as u32)),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup_and_drops_forbidden_characters() {
        assert_eq!(escape("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
    }
}
