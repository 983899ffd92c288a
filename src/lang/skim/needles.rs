//! The needles of skimming: the words that keep an item, and when one occurrence of a word
//! keeps its item (`NeedleKind`: anywhere, only where called, not in a route decorator).
//! Knows how calls and string literals look in the front ends' languages, not which words
//! matter (the front ends choose them).

use std::ops::Range;

use super::Item;
use crate::lang::words::{is_word_byte, WordSet};
use crate::workspace::prefilter::CHECKOUT_NEEDLE;

/// When an occurrence of a needle keeps its item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NeedleKind {
    /// Any whole-word occurrence (a create method, the TTL constant, a wrapper's name).
    Word,
    /// Only a call of it (`client.request(`): a raw request is a call whose callee ends in
    /// the word, so `def handler(request, payload)` or `request.state` cannot be one.
    Call,
    /// A call that in a decorator only routes the function below (`@app.route("/x")`); a
    /// route matters only to the sites inside, which keep the item by themselves.
    RouteCall,
    /// `post`: a call; in a decorator, not when its one first argument is a plain string
    /// literal that does not say `checkout` (`@router.post("/orders")`): a raw POST needs
    /// Stripe's endpoint there.
    PostCall,
    /// Only in a module-level statement that is no `def` or `class` (`Item::aliases`): the
    /// endpoint's last word keeps a constant that names its URL (`SESSIONS_URL = API +
    /// "/v1/checkout/sessions"`), which another module may import to POST to.
    InConstant,
}

/// The words that keep an item, matched as whole words (not `amount` for `mount`), ASCII
/// case-insensitively (`POST`, `Post`, `post`).
pub struct Needles {
    pub(super) matcher: WordSet,
    /// Per word of `matcher`: the needle, lowercased, and its kind.
    words: Vec<Vec<u8>>,
    pub(super) kinds: Vec<NeedleKind>,
}

impl Needles {
    /// Needles that keep their item wherever they occur.
    pub fn new<I, S>(words: I) -> Needles
    where
        I: IntoIterator<Item = S>,
        S: AsRef<[u8]>,
    {
        Needles::with_kinds(words.into_iter().map(|w| (w, NeedleKind::Word)))
    }

    pub fn with_kinds<I, S>(words: I) -> Needles
    where
        I: IntoIterator<Item = (S, NeedleKind)>,
        S: AsRef<[u8]>,
    {
        let mut kinds_by_word: Vec<(Vec<u8>, NeedleKind)> = Vec::new();
        for (needle, kind) in words {
            let needle = needle.as_ref().to_ascii_lowercase();
            // Needles are names. One with other bytes (a dotted name) could only occur as a
            // whole word where each of its words does: keep on each of them.
            for word in needle
                .split(|b| !is_word_byte(*b))
                .filter(|w| !w.is_empty())
            {
                // A word listed twice keeps its item under the laxer of its kinds.
                match kinds_by_word.iter_mut().find(|(w, _)| w == word) {
                    Some((_, k)) if *k != kind => *k = NeedleKind::Word,
                    Some(_) => {}
                    None => kinds_by_word.push((word.to_vec(), kind)),
                }
            }
        }
        let (words, kinds): (Vec<Vec<u8>>, Vec<NeedleKind>) = kinds_by_word.into_iter().unzip();
        let matcher = WordSet::new(words.iter().map(Vec::as_slice));
        Needles {
            matcher,
            words,
            kinds,
        }
    }
}

impl Needles {
    /// Whether `name` is a needle that keeps its item wherever it occurs.
    pub(super) fn is_word(&self, name: &str) -> bool {
        self.words.iter().zip(&self.kinds).any(|(word, kind)| {
            *kind == NeedleKind::Word && word.eq_ignore_ascii_case(name.as_bytes())
        })
    }
}

/// Whether this occurrence of a needle keeps the item it is in (see `NeedleKind`).
pub(super) fn occurrence_keeps(
    kind: NeedleKind,
    bytes: &[u8],
    word: Range<usize>,
    item: &Item,
) -> bool {
    if kind == NeedleKind::InConstant {
        return item.aliases;
    }
    // In an alias (`send = requests.post`) the name is not called here but where the alias is.
    if kind == NeedleKind::Word || item.aliases {
        return true;
    }
    let open = match what_follows(bytes, word.end) {
        Follows::NoCall => return is_method_reference(bytes, word),
        // Past a comment or at the end, it cannot be told: keep.
        Follows::Unknown => return true,
        Follows::Call(open) => open,
    };
    let in_decorators = word.start < item.decorators_end;
    match kind {
        NeedleKind::Word | NeedleKind::Call | NeedleKind::InConstant => true,
        NeedleKind::RouteCall => !in_decorators,
        NeedleKind::PostCall => {
            !in_decorators
                || !plain_literal_argument_without(bytes, open + 1, CHECKOUT_NEEDLE.as_bytes())
        }
    }
}

/// Whether an attribute spelled as the needle is taken, not called: `send = http.post`
/// inside a function calls it as `send(..)`. `request.POST.get(..)`, `self.request.user`
/// and `request.post_data` are not.
fn is_method_reference(bytes: &[u8], word: Range<usize>) -> bool {
    let after = bytes[word.end..]
        .iter()
        .find(|b| !matches!(b, b' ' | b'\t'))
        .copied();
    // `requests. post` and `requests.\<line break>post` take it too.
    let before = bytes[..word.start]
        .iter()
        .rev()
        .find(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'\\'))
        .copied();
    before == Some(b'.')
        && !bytes[word.clone()].iter().any(u8::is_ascii_uppercase)
        && !matches!(after, Some(b'.' | b'['))
}

enum Follows {
    /// The word is called: the offset of the `(`.
    Call(usize),
    NoCall,
    Unknown,
}

/// What follows a word, past blanks, line breaks, line continuations and the `)` of a
/// parenthesised callee (`(client.post)(url)`).
fn what_follows(bytes: &[u8], mut at: usize) -> Follows {
    while let Some(&b) = bytes.get(at) {
        match b {
            b'(' => return Follows::Call(at),
            b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\\' | b')' => at += 1,
            b'#' => return Follows::Unknown,
            _ => return Follows::NoCall,
        }
    }
    Follows::Unknown
}

/// Whether the argument list starting at `at` begins with exactly one plain string literal
/// (no f-string, escape, triple quote or implicit concatenation) whose text does not
/// contain `word` (ASCII case-insensitively). When unsure, false.
fn plain_literal_argument_without(bytes: &[u8], mut at: usize, word: &[u8]) -> bool {
    let skip_blanks = |mut at: usize| {
        while bytes
            .get(at)
            .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
        {
            at += 1;
        }
        at
    };
    at = skip_blanks(at);
    while bytes
        .get(at)
        .is_some_and(|b| matches!(b, b'r' | b'R' | b'b' | b'B' | b'u' | b'U'))
    {
        at += 1;
    }
    let Some(&quote) = bytes.get(at).filter(|b| matches!(b, b'"' | b'\'')) else {
        return false;
    };
    if bytes.get(at + 1) == Some(&quote) && bytes.get(at + 2) == Some(&quote) {
        return false;
    }
    let content_start = at + 1;
    let Some(length) = bytes[content_start..]
        .iter()
        .position(|&b| b == quote || b == b'\\' || b == b'\n')
    else {
        return false;
    };
    let content_end = content_start + length;
    if bytes[content_end] != quote {
        return false;
    }
    let content = &bytes[content_start..content_end];
    let names_word = content
        .windows(word.len())
        .any(|w| w.eq_ignore_ascii_case(word));
    !names_word && matches!(bytes.get(skip_blanks(content_end + 1)), Some(b',' | b')'))
}
