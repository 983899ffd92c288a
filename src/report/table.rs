//! The sanctioned-call-sites table (SPEC §7): markdown rows for the runbook and its JSON
//! twin. Language-neutral: it renders the `CallSiteReport`s of an `Outcome`, whatever
//! front end found them. Where the table goes in a document is `runbook`'s business.

use serde_json::Value;

use crate::analysis::{CallSiteReport, Outcome, Status};

/// The header row, exactly as SPEC §7 shows it.
pub const HEADER: &str = "| # | Call site | Function | Route | API | expires_at | Status |";
/// The delimiter row under the header.
pub const DELIMITER: &str = "|---|---|---|---|---|---|---|";
/// What an empty cell shows (no route, no `expires_at`).
pub const UNKNOWN: &str = "—";

/// The table's lines without line endings: header, delimiter, one row per call site in
/// the outcome's order (path, line, column).
pub fn lines(outcome: &Outcome) -> Vec<String> {
    let mut out = vec![HEADER.to_string(), DELIMITER.to_string()];
    for (index, site) in outcome.call_sites.iter().enumerate() {
        let cells = [
            (index + 1).to_string(),
            code(&format!("{}:{}", site.path, site.start.line)),
            function_cell(site),
            site.route.as_deref().map_or(UNKNOWN.to_string(), code),
            code(&site.api),
            site.expires_at.as_deref().map_or(UNKNOWN.to_string(), code),
            plain(&status_text(site)),
        ];
        out.push(format!("| {} |", cells.join(" | ")));
    }
    out
}

/// `table --format markdown`: the lines, each ended by `\n`.
pub fn markdown(outcome: &Outcome) -> String {
    lines(outcome).into_iter().map(|l| l + "\n").collect()
}

/// `table --format json`: an array with one object per row, carrying the fields of the
/// report's `call_sites` entries plus `row` (the `#` column) and `table_status` (the text
/// of the Status column).
pub fn json(outcome: &Outcome) -> String {
    let rows: Vec<Value> = outcome
        .call_sites
        .iter()
        .enumerate()
        .map(|(index, site)| {
            let mut row = serde_json::Map::new();
            row.insert("row".into(), Value::from(index + 1));
            if let Value::Object(fields) = super::json::call_site_value(site) {
                row.extend(fields);
            }
            row.insert("table_status".into(), Value::from(status_text(site)));
            Value::Object(row)
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&Value::Array(rows))
        .expect("a serde_json::Value always serialises");
    text.push('\n');
    text
}

/// The Status column: `sanctioned`, `violation: CL001 missing-expires-at`,
/// `unverifiable: CL007`, `suppressed: <reason>`.
pub fn status_text(site: &CallSiteReport) -> String {
    match site.status {
        Status::Sanctioned => "sanctioned".into(),
        Status::Violation => {
            let rules: Vec<String> = site
                .rules
                .iter()
                .map(|r| format!("{} {}", r.code(), r.name()))
                .collect();
            format!("violation: {}", rules.join(", "))
        }
        Status::Unverifiable => {
            let codes: Vec<&str> = site.rules.iter().map(|r| r.code()).collect();
            format!("unverifiable: {}", codes.join(", "))
        }
        Status::Suppressed => format!(
            "suppressed: {}",
            site.suppressed.as_deref().unwrap_or("no reason given")
        ),
    }
}

/// The Function column: the enclosing function, and for a call through a thin wrapper
/// the wrapper it goes through: `` `register` via `pkg.pay.create_session` ``.
fn function_cell(site: &CallSiteReport) -> String {
    match &site.via {
        Some(via) => format!("{} via {}", code(&site.function), code(via)),
        None => code(&site.function),
    }
}

/// A cell's text on one line with `|` escaped (GFM tables split cells on bare pipes,
/// even inside code spans).
fn one_line(text: &str) -> String {
    text.replace(['\r', '\n'], " ").replace('|', "\\|")
}

fn plain(text: &str) -> String {
    one_line(text)
}

/// A code span that survives any content: the fence is one backtick longer than the
/// longest run of backticks inside, and content touching a backtick (or wrapped in
/// spaces) is padded with one space on each side, which CommonMark strips (spec 6.1).
fn code(text: &str) -> String {
    if text.is_empty() {
        return UNKNOWN.to_string();
    }
    let longest_run = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run + 1);
    let padded_by_spaces = text.starts_with(' ') && text.ends_with(' ') && !text.trim().is_empty();
    let pad = if text.starts_with('`') || text.ends_with('`') || padded_by_spaces {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{}{pad}{fence}", one_line(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_code_uses_one_backtick() {
        assert_eq!(
            code("stripe.checkout.Session.create"),
            "`stripe.checkout.Session.create`"
        );
    }

    #[test]
    fn pipes_are_escaped_in_code_and_text() {
        assert_eq!(code("a | b"), "`a \\| b`");
        assert_eq!(plain("suppressed: x|y"), "suppressed: x\\|y");
    }

    #[test]
    fn backticks_get_a_longer_fence() {
        assert_eq!(code("f(`x`)"), "``f(`x`)``");
        assert_eq!(code("a``b"), "```a``b```");
        assert_eq!(code("`x"), "`` `x ``");
        assert_eq!(code(" x "), "`  x  `");
    }

    #[test]
    fn newlines_cannot_break_a_row() {
        assert_eq!(plain("a\nb\r\nc"), "a b  c");
    }

    #[test]
    fn empty_code_is_unknown() {
        assert_eq!(code(""), UNKNOWN);
    }
}
