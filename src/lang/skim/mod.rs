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
//!
//! This module blanks; `needles` decides which occurrences of a word keep an item, `keep`
//! runs the fixpoints. None of them knows a language's item syntax (the front ends cut the
//! items) or which words matter (the front ends choose the needles).

mod keep;
mod needles;
#[cfg(test)]
mod tests;

use std::ops::Range;

use crate::facts::{ByteSpan, LeftOut};
pub use crate::lang::words::{is_word_byte, words};
use keep::{keep_definitions_of_mentioned_names, keep_mentions_of_aliases};
use needles::occurrence_keeps;
pub use needles::{NeedleKind, Needles};

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
