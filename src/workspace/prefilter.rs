//! The byte prefilter: a file that does not contain `checkout` (any case) cannot create a
//! Checkout Session, so it is never parsed. One Aho-Corasick scan per file.
//!
//! Extra needles (names of thin wrappers and re-exports found in an earlier pass) are
//! matched as written (`Prefilter::exact`), since code can spell a name only one way.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

pub struct Prefilter {
    matcher: Matcher,
}

enum Matcher {
    Automaton(AhoCorasick),
    /// A few needles matched as written: one SIMD substring search each. For a handful of
    /// short needles this is several times faster than the automaton, whose prefilter
    /// falls back to rare bytes (measured on the stdlib: the router needles of the first
    /// pass cost 0.4 s of CPU through the automaton).
    Substrings(Vec<memchr::memmem::Finder<'static>>),
}

/// Up to this many exact needles are searched one by one rather than by an automaton.
const MAX_SUBSTRING_NEEDLES: usize = 8;

/// Every create shape contains one of these (SPEC §4): `stripe.checkout`, `CheckoutSession`,
/// `checkout.sessions`, `/v1/checkout/sessions`, `stripe_checkout`, `CHECKOUT_SESSION_TTL_SECONDS`.
pub const CHECKOUT_NEEDLE: &str = "checkout";

impl Prefilter {
    pub fn new<I, S>(needles: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<[u8]>,
    {
        let matcher = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostFirst)
            .build(needles)
            .expect("a handful of short literal needles always builds");
        Prefilter {
            matcher: Matcher::Automaton(matcher),
        }
    }

    /// Needles matched as written: names (of wrappers, of re-exports) that code can only
    /// spell one way, since Python and Rust names are case-sensitive. Much faster to search
    /// for than the case-insensitive ones (a SIMD substring search rather than an automaton).
    pub fn exact<I, S>(needles: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<[u8]>,
    {
        let needles: Vec<Vec<u8>> = needles.into_iter().map(|n| n.as_ref().to_vec()).collect();
        if needles.len() <= MAX_SUBSTRING_NEEDLES {
            let finders = needles
                .iter()
                .map(|n| memchr::memmem::Finder::new(n).into_owned())
                .collect();
            return Prefilter {
                matcher: Matcher::Substrings(finders),
            };
        }
        let matcher = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostFirst)
            .build(needles)
            .expect("literal needles always build");
        Prefilter {
            matcher: Matcher::Automaton(matcher),
        }
    }

    pub fn checkout() -> Self {
        Prefilter::new([CHECKOUT_NEEDLE])
    }

    pub fn matches(&self, bytes: &[u8]) -> bool {
        match &self.matcher {
            Matcher::Automaton(matcher) => matcher.is_match(bytes),
            Matcher::Substrings(finders) => finders.iter().any(|f| f.find(bytes).is_some()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_insensitive() {
        let p = Prefilter::checkout();
        assert!(p.matches(b"use stripe::CheckoutSession;"));
        assert!(p.matches(b"X = CHECKOUT_SESSION_TTL_SECONDS"));
        assert!(!p.matches(b"import stripe\nstripe.Customer.create()"));
    }

    #[test]
    fn exact_needles_match_as_written() {
        let p = Prefilter::exact(["start_session", "CS"]);
        assert!(p.matches(b"from billing import start_session as begin"));
        assert!(p.matches(b"use crate::prelude::CS;"));
        assert!(!p.matches(b"Start_Session() cs"));
    }

    #[test]
    fn many_exact_needles_and_none_match_as_a_few_do() {
        let names: Vec<String> = (0..20).map(|i| format!("name_{i}")).collect();
        let p = Prefilter::exact(&names);
        assert!(p.matches(b"x = name_17()"));
        assert!(!p.matches(b"x = name_()"));
        assert!(!Prefilter::exact(Vec::<String>::new()).matches(b"anything"));
    }
}
