//! CL003 `ttl-out-of-range`: the shared constant's value lies outside Stripe's `expires_at`
//! window (an error), or within five minutes of a bound (a warning). Owns the rule's
//! identity, doc, the judgement of a folded value against the window, and its wording; the
//! analysis finds and folds the definitions (`analysis::ttl`).

use super::{Message, Rule, RuleCode, Severity};

pub const RULE: Rule = Rule {
    code: RuleCode::CL003,
    code_text: "CL003",
    id: "ttl-out-of-range",
    severity: Severity::Error,
    doc_file: "rules/CL003-ttl-out-of-range.md",
    doc_text: include_str!("../../rules/CL003-ttl-out-of-range.md"),
};

/// Stripe counts from its own clock at creation and the upper bound is strict, so values
/// this close to a bound get a warning.
pub const EDGE_MARGIN_SECONDS: i128 = 300;

/// The verdict on the constant `name`, which folds to `seconds` (`None`: it cannot be
/// evaluated), against the window `min..=max`.
pub fn check(name: &str, seconds: Option<i128>, min: i128, max: i128) -> Option<Message> {
    let Some(seconds) = seconds else {
        return Some(Message::new(
            RuleCode::CL003,
            format!("the value of `{name}` cannot be evaluated, so it cannot be checked against Stripe's window"),
            Some("write it as integer arithmetic on literals (`60 * 60`), `timedelta(...)` or `Duration::from_secs(...)` with constant arguments".into()),
        ));
    };
    let window = format!("Stripe accepts {min}..={max} s");
    let words = format!("{} = {seconds} s", in_words(seconds));
    if seconds < min || seconds > max {
        let help = if seconds > max {
            "Stripe rejects an `expires_at` more than 24 hours after creation with HTTP 400 \
             (\"The expires_at timestamp must be less than 24 hours from Checkout Session creation\"), \
             so every checkout fails, as in the incident where a 30-day TTL took checkout down. \
             For links that must live longer, email a link to your own endpoint that mints a fresh \
             Checkout Session on click (lazy mint), or use Payment Links, which never expire."
        } else {
            "Stripe rejects an `expires_at` less than 30 minutes after creation with HTTP 400; \
             use at least 1800 seconds, with a margin (e.g. 35 minutes) for latency and retries."
        };
        return Some(Message::new(
            RuleCode::CL003,
            format!("`{name}` is outside Stripe's `expires_at` window: {words}; {window}"),
            Some(help.into()),
        ));
    }
    if seconds - min < EDGE_MARGIN_SECONDS || max - seconds < EDGE_MARGIN_SECONDS {
        return Some(Message {
            rule: RuleCode::CL003,
            severity: Severity::Warning,
            text: format!(
                "`{name}` is within 5 minutes of a bound of Stripe's window: {words}; {window}"
            ),
            help: Some("Stripe counts from its own clock at creation and the upper bound is strict; keep a margin of a few minutes from both bounds".into()),
            value_fix: None,
        });
    }
    None
}

/// `2592000` → `30 days`; `5400` → `90 minutes`.
pub fn in_words(seconds: i128) -> String {
    let plural = |n: i128, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    if seconds != 0 && seconds % 86400 == 0 {
        plural(seconds / 86400, "day")
    } else if seconds != 0 && seconds % 3600 == 0 {
        plural(seconds / 3600, "hour")
    } else if seconds != 0 && seconds % 60 == 0 {
        plural(seconds / 60, "minute")
    } else {
        plural(seconds, "second")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words() {
        assert_eq!(in_words(2_592_000), "30 days");
        assert_eq!(in_words(3600), "1 hour");
        assert_eq!(in_words(5400), "90 minutes");
        assert_eq!(in_words(86_340), "1439 minutes");
        assert_eq!(in_words(61), "61 seconds");
    }
}
