//! Skimming: before a candidate file is parsed, its top-level items that cannot matter are
//! blanked out, so the parser and the front end's walk see only what can.
//!
//! Every file that mentions `checkout` passes the prefilter, and most of such a file is
//! usually code that creates nothing (a `checkout_totals` helper, a `CheckoutError` enum).
//! A front end cuts the file into top-level items (it knows the syntax); this module keeps
//! an item when
//!
//! - it is not of a kind that may be left out (imports, module-level statements and macro
//!   invocations are always kept: they bind names, register routes, run code; only
//!   definitions and plain constants, `NAME = value` / `const NAME: T = value;`, which bind
//!   one name each, may be), or
//! - its text contains a needle: a name that every create shape, raw POST, route
//!   registration or `expires_at` computation needs (`create`, `send`, `post`, `request`,
//!   `stripe`, `expires`, `route`, the TTL constant, a known wrapper's name ...). Python's
//!   `post`, `request` and `route` count only where they are called, and not in a route
//!   decorator with a plain path (`NeedleKind`): a FastAPI handler with a `request`
//!   parameter that creates nothing is left out. Or
//! - it mentions an alias of what a kept item mentions: a name that a constant or an import
//!   binding a needle binds (`make = stripe.checkout.Session.create`, then `make(...)`), to
//!   a fixpoint. Or
//! - it defines a name that a kept item mentions (a helper a site calls), to a fixpoint.
//!
//! The rest is overwritten with spaces, newlines kept, so every byte offset, line and
//! column of the kept code is unchanged and no span needs translating. A front end may then
//! write something cheaper to parse over the whole blank lines (`skim_filling`: Python gets
//! one string statement per stretch). Blanking an item whose text names none of these
//! cannot hide a call site: a create needs a create method, a builder needs `send`, a raw
//! request needs a POST, a call through an alias is kept with the alias, and a helper that
//! a site uses is kept by the fixpoint. A summary made from a skimmed file misses the blanked items'
//! names (`ModuleSummary::left_out`), so a lookup of one of them from another module
//! re-summarises the file whole (`Project::lookup`).
//!
//! Whenever a front end is not sure of the item boundaries (an unterminated string, an
//! unbalanced bracket) it returns no items and the file is parsed whole.

use std::ops::Range;

use rustc_hash::FxHashMap;

use crate::facts::{ByteSpan, LeftOut};
use crate::lang::words::WordSet;
pub use crate::lang::words::{is_word_byte, words};

/// One top-level item of a file, as a front end cut it.
#[derive(Debug, Clone)]
pub struct Item {
    /// Its bytes, with the comments and attributes that precede it. The items of a file
    /// are in order and cover it without overlap.
    pub span: Range<usize>,
    /// Whether the item may be left out (a function, class, type or impl definition).
    pub blankable: bool,
    /// The names it defines: function, type and method names; a constant's name; the
    /// names an import binds (a front end may list more words than it binds, never fewer).
    pub defines: Vec<Range<usize>>,
    /// Whether `defines` name the value the item's text computes (a constant, an import)
    /// rather than code: a mention of one of them is then a mention of whatever the item
    /// mentions (`make = stripe.checkout.Session.create`, `from billing import
    /// create_checkout_session as new_session`).
    pub aliases: bool,
    /// Where its decorators end (Python `@router.post("/x")` lines before a `def`); the
    /// span's start when it has none.
    pub decorators_end: usize,
}

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
    matcher: WordSet,
    /// Per word of `matcher`: the needle, lowercased, and its kind.
    words: Vec<Vec<u8>>,
    kinds: Vec<NeedleKind>,
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
    fn is_word(&self, name: &str) -> bool {
        self.words.iter().zip(&self.kinds).any(|(word, kind)| {
            *kind == NeedleKind::Word && word.eq_ignore_ascii_case(name.as_bytes())
        })
    }
}

/// A file with the items that cannot matter blanked.
#[derive(Debug, PartialEq)]
pub struct Skimmed {
    /// The file, same length, same line breaks.
    pub text: String,
    /// The names the blanked items defined (the summary of the skimmed file knows every
    /// other name of the module) and where they were.
    pub left_out: LeftOut,
}

/// The file with every item that cannot matter blanked, or `None` when every item is kept.
/// `keep_inside` are ranges kept even inside a blanked item (Python comments, which carry
/// suppressions that must still be seen, if only to be reported unused).
pub fn skim(
    text: &str,
    items: &[Item],
    keep_inside: &[Range<usize>],
    needles: &Needles,
) -> Option<Skimmed> {
    skim_filling(text, items, keep_inside, needles, |_| {})
}

/// `skim`, where `fill_lines` may then write over each stretch of whole blank lines (from a
/// line start to just before a line break, only spaces and line breaks) something the
/// front end's parser gets through faster than blank lines, without changing what the
/// kept code means: for Python, one string statement rather than a line each.
pub fn skim_filling(
    text: &str,
    items: &[Item],
    keep_inside: &[Range<usize>],
    needles: &Needles,
    fill_lines: impl Fn(&mut [u8]),
) -> Option<Skimmed> {
    // A NUL byte makes the interpreter reject the whole file; blanking it would hide that
    // (CL009), so such a file is parsed whole.
    if !items.iter().any(|item| item.blankable) || memchr::memchr(0, text.as_bytes()).is_some() {
        return None;
    }
    let bytes = text.as_bytes();
    let mut mentions_needle = vec![false; items.len()];
    needles.matcher.find(bytes, |start, end, needle| {
        let index = item_at(items, start);
        if !mentions_needle[index]
            && occurrence_keeps(needles.kinds[needle], bytes, start..end, &items[index])
        {
            mentions_needle[index] = true;
        }
    });
    keep_mentions_of_aliases(text, items, needles, &mut mentions_needle);
    let mut kept: Vec<bool> = items
        .iter()
        .zip(&mentions_needle)
        .map(|(item, mentions)| !item.blankable || *mentions)
        .collect();
    keep_definitions_of_mentioned_names(text, items, &mut kept);
    if kept.iter().all(|k| *k) {
        return None;
    }
    let names = items
        .iter()
        .zip(&kept)
        .filter(|(_, kept)| !**kept)
        .flat_map(|(item, _)| item.defines.iter().map(|name| &text[name.clone()]));
    let mut spans: Vec<ByteSpan> = Vec::new();
    for (item, _) in items.iter().zip(&kept).filter(|(_, kept)| !**kept) {
        match spans.last_mut() {
            Some(last) if last.end == item.span.start => last.end = item.span.end,
            _ => spans.push(ByteSpan::new(item.span.start, item.span.end)),
        }
    }
    let mut bytes = bytes.to_vec();
    let mut keep_inside = keep_inside.iter().peekable();
    for span in &spans {
        let mut at = span.start;
        while at < span.end {
            while keep_inside.peek().is_some_and(|r| r.end <= at) {
                keep_inside.next();
            }
            let stop = match keep_inside.peek() {
                Some(r) if r.start < span.end => r.start.max(at),
                _ => span.end,
            };
            blank(&mut bytes[at..stop]);
            if let Some(lines) = whole_lines(&bytes, at..stop) {
                fill_lines(&mut bytes[lines]);
            }
            at = match keep_inside.peek() {
                Some(r) if r.start < span.end => r.end.max(stop),
                _ => span.end,
            };
        }
    }
    // Only ASCII bytes were written over whole characters' bytes, so this cannot fail.
    let text = String::from_utf8(bytes).ok()?;
    Some(Skimmed {
        text,
        left_out: LeftOut::new(names, spans),
    })
}

/// Whether this occurrence of a needle keeps the item it is in (see `NeedleKind`).
fn occurrence_keeps(kind: NeedleKind, bytes: &[u8], word: Range<usize>, item: &Item) -> bool {
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
            !in_decorators || !plain_literal_argument_without(bytes, open + 1, b"checkout")
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

/// The whole lines of a blanked stretch: from its first line start to its last line break
/// (excluded), when there is at least one line break after that start.
fn whole_lines(bytes: &[u8], stretch: Range<usize>) -> Option<Range<usize>> {
    let start = if stretch.start == 0 || bytes[stretch.start - 1] == b'\n' {
        stretch.start
    } else {
        stretch.start + memchr::memchr(b'\n', &bytes[stretch.clone()])? + 1
    };
    let end = start + memchr::memrchr(b'\n', bytes.get(start..stretch.end)?)?;
    (start < end).then_some(start..end)
}

/// Spaces for everything but line breaks, so lines and columns stay where they were.
fn blank(bytes: &mut [u8]) {
    for b in bytes {
        if *b != b'\n' && *b != b'\r' {
            *b = b' ';
        }
    }
}

/// The index of the item holding byte `offset`.
fn item_at(items: &[Item], offset: usize) -> usize {
    items
        .partition_point(|item| item.span.end <= offset)
        .min(items.len() - 1)
}

/// Marks, to a fixpoint, every item that mentions an alias of what a marked item mentions:
/// with `make = stripe.checkout.Session.create` marked, `def f(): make(...)` is a call of
/// `create` that names no needle. Linear in the file: one pass over the words, then a
/// worklist of names (a chain of aliases must not cost a pass per link).
fn keep_mentions_of_aliases(text: &str, items: &[Item], needles: &Needles, mentions: &mut [bool]) {
    // A name that is a needle already (`from config import TTL_CONSTANT`) keeps what
    // mentions it by itself.
    let alias_names = |index: usize| {
        items[index]
            .defines
            .iter()
            .map(|name| &text[name.clone()])
            .filter(|name| !needles.is_word(name))
    };
    let aliasing = |index: usize| mentions[index] && items[index].aliases;
    let mut work: Vec<&str> = (0..items.len())
        .filter(|&i| aliasing(i))
        .flat_map(alias_names)
        .collect();
    if work.is_empty() {
        return;
    }
    // Every name an alias item binds, and the unmarked items that mention each.
    let mut mentioned_by: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    for index in (0..items.len()).filter(|&i| items[i].aliases) {
        for name in alias_names(index) {
            mentioned_by.entry(name).or_default();
        }
    }
    let (first_bytes, lengths) = first_bytes_and_lengths(mentioned_by.keys().copied());
    for (index, item) in items.iter().enumerate().filter(|(i, _)| !mentions[*i]) {
        for word in words(&text[item.span.clone()]) {
            if first_bytes[word.as_bytes()[0] as usize] && lengths & (1 << word.len().min(63)) != 0
            {
                if let Some(items) = mentioned_by.get_mut(word) {
                    if items.last() != Some(&index) {
                        items.push(index);
                    }
                }
            }
        }
    }
    while let Some(name) = work.pop() {
        for index in mentioned_by.remove(name).into_iter().flatten() {
            if !mentions[index] {
                mentions[index] = true;
                if items[index].aliases {
                    work.extend(alias_names(index));
                }
            }
        }
    }
}

/// Which first bytes and lengths (up to 63, longer as 63) some of `names` have: most words
/// are none of the names, and these rule them out without hashing.
fn first_bytes_and_lengths<'n>(names: impl Iterator<Item = &'n str>) -> ([bool; 256], u64) {
    let mut first_bytes = [false; 256];
    let mut lengths = 0u64;
    for name in names {
        first_bytes[name.as_bytes()[0] as usize] = true;
        lengths |= 1 << name.len().min(63);
    }
    (first_bytes, lengths)
}

/// Keeps, to a fixpoint, every item that defines a name a kept item mentions.
fn keep_definitions_of_mentioned_names(text: &str, items: &[Item], kept: &mut [bool]) {
    // Each name is looked up once: its entry is taken when a kept item first mentions it.
    let mut definers: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    for (index, item) in items.iter().enumerate() {
        if !kept[index] {
            for name in &item.defines {
                definers.entry(&text[name.clone()]).or_default().push(index);
            }
        }
    }
    // Most words are no defined name: a first byte and length that no name has rule them
    // out without hashing.
    let (first_bytes, lengths) = first_bytes_and_lengths(definers.keys().copied());
    let mut work: Vec<usize> = (0..items.len()).filter(|i| kept[*i]).collect();
    while let Some(index) = work.pop() {
        if definers.is_empty() {
            return;
        }
        for word in words(&text[items[index].span.clone()]) {
            if !first_bytes[word.as_bytes()[0] as usize] || lengths & (1 << word.len().min(63)) == 0
            {
                continue;
            }
            for definer in definers.remove(word).into_iter().flatten() {
                if !kept[definer] {
                    kept[definer] = true;
                    work.push(definer);
                }
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::single_range_in_vec_init)] // one defined name per item
mod tests {
    use super::*;

    fn item(span: Range<usize>, blankable: bool, defines: &[Range<usize>]) -> Item {
        Item {
            aliases: false,
            decorators_end: span.start,
            span,
            blankable,
            defines: defines.to_vec(),
        }
    }

    #[test]
    fn blanks_items_without_needles_keeping_offsets() {
        let text = "a = 1\ndef f():\n    x\ndef g():\n    create()\n";
        let items = [
            item(0..6, false, &[]),
            item(6..21, true, &[10..11]),
            item(21..text.len(), true, &[25..26]),
        ];
        let out = skim(text, &items, &[], &Needles::new(["create"])).expect("skimmed");
        assert_eq!(out.text.len(), text.len());
        assert_eq!(out.text, "a = 1\n        \n     \ndef g():\n    create()\n");
        assert_eq!(
            out.left_out,
            LeftOut::new(["f"], vec![ByteSpan::new(6, 21)])
        );
        assert!(out.left_out.may_define("f") && !out.left_out.may_define("g"));
    }

    #[test]
    fn keeps_definitions_of_names_kept_items_mention() {
        let text = "def h():\n    1\ndef g():\n    create(h())\n";
        let items = [
            item(0..15, true, &[4..5]),
            item(15..text.len(), true, &[19..20]),
        ];
        assert_eq!(skim(text, &items, &[], &Needles::new(["create"])), None);
    }

    #[test]
    fn keeps_what_mentions_an_alias_of_a_needle() {
        let text = "make = x.create\nagain = make\ndef f():\n    again()\ndef g():\n    make\n";
        let alias = |span: Range<usize>, name: Range<usize>| Item {
            aliases: true,
            ..item(span, true, &[name])
        };
        let items = [
            alias(0..16, 0..4),
            alias(16..29, 16..21),
            item(29..49, true, &[33..34]),
            item(49..text.len(), true, &[53..54]),
        ];
        // `again` aliases `make`, which aliases `create`; `g` only mentions `make`, which
        // is not a call, but it is kept as well: keeping more is safe.
        assert_eq!(skim(text, &items, &[], &Needles::new(["create"])), None);
        // Without the alias flag, `make` is a name like any other.
        let plain = [
            item(0..16, true, &[0..4]),
            item(16..29, true, &[16..21]),
            item(29..49, true, &[33..34]),
            item(49..text.len(), true, &[53..54]),
        ];
        let out = skim(text, &plain, &[], &Needles::new(["create"])).expect("skimmed");
        assert_eq!(out.left_out.spans, [ByteSpan::new(16, text.len())]);
    }

    #[test]
    fn a_nul_byte_anywhere_means_no_skimming() {
        let text = "def f():\n    x\0\ndef g():\n    create()\n";
        let items = [
            item(0..16, true, &[4..5]),
            item(16..text.len(), true, &[20..21]),
        ];
        assert_eq!(skim(text, &items, &[], &Needles::new(["create"])), None);
    }

    #[test]
    fn keeps_ranges_inside_blanked_items() {
        let text = "def f():\n    x  # keep\n";
        let items = [item(0..text.len(), true, &[4..5])];
        let out = skim(text, &items, &[16..22], &Needles::new(["create"])).expect("skimmed");
        assert_eq!(out.text, "        \n       # keep\n");
    }

    #[test]
    fn fills_whole_blank_lines_between_kept_ranges() {
        // Two blanked items in a row, a kept comment inside the second, CRLF line breaks,
        // a kept item after them.
        let text = "def f():\r\n    x\r\ndef g():  # keep\r\n    y\r\n\r\n    z\r\nw = 1\r\n";
        let second = text.find("def g").unwrap();
        let comment = text.find("# keep").unwrap();
        let last = text.find("w = 1").unwrap();
        let items = [
            item(0..second, true, &[4..5]),
            item(second..last, true, &[second + 4..second + 5]),
            item(last..text.len(), false, &[]),
        ];
        let filled = |lines: &mut [u8]| {
            assert!(lines.iter().all(|b| b" \r\n".contains(b)), "{lines:?}");
            lines.fill(b'~');
        };
        let keep = [comment..comment + 6];
        let out =
            skim_filling(text, &items, &keep, &Needles::new(["zzz"]), filled).expect("skimmed");
        // Each stretch runs from a line start to just before a line break: the first
        // ends where the comment's line starts, the second starts on the line after it.
        assert_eq!(
            out.text,
            "~~~~~~~~~~~~~~~~\n          # keep\r\n~~~~~~~~~~~~~~~\nw = 1\r\n"
        );
        assert_eq!(out.text.len(), text.len());
    }

    #[test]
    fn needles_match_whole_words_only() {
        let text = "def f():\n    amount.created_at\ndef g():\n    x.create_async()\n";
        let items = [
            item(0..31, true, &[4..5]),
            item(31..text.len(), true, &[35..36]),
        ];
        let needles = Needles::new(["mount", "create", "create_async"]);
        let out = skim(text, &items, &[], &needles).expect("f is blanked");
        assert_eq!(
            out.left_out,
            LeftOut::new(["f"], vec![ByteSpan::new(0, 31)])
        );
    }

    #[test]
    fn constant_needles_keep_constants_only() {
        let text = "URL = API + \"/v1/checkout/sessions\"\ndef f():\n    return \"sessions\"\n";
        let split = text.find("def").unwrap();
        let items = [
            Item {
                aliases: true,
                ..item(0..split, true, &[0..3])
            },
            item(split..text.len(), true, &[split + 4..split + 5]),
        ];
        let needles = Needles::with_kinds([("sessions", NeedleKind::InConstant)]);
        let out = skim(text, &items, &[], &needles).expect("f is blanked");
        assert_eq!(
            out.left_out,
            LeftOut::new(["f"], vec![ByteSpan::new(split, text.len())])
        );
    }

    /// Items `f` (0..split) and `g` (split..end, decorated up to `decorated`), skimmed with
    /// the needles of Python: is `g` kept?
    fn keeps_second(text: &str, split: usize, decorated: usize) -> bool {
        let items = [
            item(0..split, true, &[]),
            Item {
                decorators_end: decorated,
                ..item(split..text.len(), true, &[])
            },
        ];
        let needles = Needles::with_kinds([
            ("create", NeedleKind::Word),
            ("request", NeedleKind::Call),
            ("route", NeedleKind::RouteCall),
            ("post", NeedleKind::PostCall),
        ]);
        match skim(text, &items, &[], &needles) {
            None => true,
            Some(out) => !out.text[split..].trim().is_empty(),
        }
    }

    #[test]
    fn call_needles_keep_calls_only() {
        let f = "def f():\n    x\n";
        let at = f.len();
        for (body, kept) in [
            (
                "def g(request, payload):\n    return request.state\n",
                false,
            ),
            ("def g():\n    return client.request(\"POST\", URL)\n", true),
            ("def g():\n    return (client.post)(URL)\n", true),
            ("def g():\n    return client.post \\\n        (URL)\n", true),
            (
                "def g():\n    return (client.post  # why\n        (URL))\n",
                true,
            ),
            // A method taken is called through the name it is bound to.
            (
                "def g():\n    send = client.post\n    return send(URL)\n",
                true,
            ),
            (
                "def g(request):\n    return request.POST.get(\"a\")\n",
                false,
            ),
            ("def g(self):\n    return self.request.user\n", false),
            (
                "def g():\n    send = requests. \\\n        post\n    return send(URL)\n",
                true,
            ),
            ("def g(request):\n    return request.post_data[0]\n", false),
            ("def g():\n    methods = [\"POST\"]\n", false),
            ("def g():\n    return Route(\"/x\", h)\n", true),
        ] {
            let text = format!("{f}{body}");
            assert_eq!(keeps_second(&text, at, at), kept, "{body}");
        }
    }

    #[test]
    fn route_decorators_do_not_keep_their_function() {
        let f = "def f():\n    x\n";
        let at = f.len();
        for (decorator, body, kept) in [
            (
                "@app.route(\"/x\", methods=[\"POST\"])\n",
                "def g():\n    pass\n",
                false,
            ),
            (
                "@router.post(\"/orders\")\n",
                "def g(request):\n    pass\n",
                false,
            ),
            (
                "@router.post('/orders', tags=[])\n",
                "def g():\n    pass\n",
                false,
            ),
            (
                "@router.post(\"/orders\")\n",
                "def g():\n    create()\n",
                true,
            ),
            // A first argument that could be (or hide) Stripe's endpoint keeps it.
            (
                "@hook(requests.post(\"https://api.stripe.com/v1/checkout/sessions\"))\n",
                "def g():\n    pass\n",
                true,
            ),
            (
                "@hook(requests.post(\"/v1/\" \"checkout/sessions\"))\n",
                "def g():\n    pass\n",
                true,
            ),
            (
                "@hook(requests.post(f\"{BASE}/sessions\"))\n",
                "def g():\n    pass\n",
                true,
            ),
            (
                "@hook(requests.post(\"/v1/\\x63heckout\"))\n",
                "def g():\n    pass\n",
                true,
            ),
            ("@hook(requests.post(URL))\n", "def g():\n    pass\n", true),
            (
                "@hook(requests.request(\"POST\", URL))\n",
                "def g():\n    pass\n",
                true,
            ),
        ] {
            let text = format!("{f}{decorator}{body}");
            let decorated = at + decorator.len();
            assert_eq!(
                keeps_second(&text, at, decorated),
                kept,
                "{decorator}{body}"
            );
        }
    }

    #[test]
    fn needles_match_any_case_and_nothing_blankable_means_no_copy() {
        let text = "fn f() { x.POST() }";
        let items = [item(0..text.len(), true, &[3..4])];
        assert_eq!(skim(text, &items, &[], &Needles::new(["post"])), None);
        let items = [item(0..text.len(), false, &[])];
        assert_eq!(skim(text, &items, &[], &Needles::new(["zzz"])), None);
    }
}
