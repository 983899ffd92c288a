//! Searches for names in the text skimming left out of a summary: whether a left-out item
//! names an import, which attributes it reads on one, and whether a file may call a new
//! wrapper where its summary could not see the call.
//!
//! Works on bytes and whole words, not on a parse; knows no call shape.

use crate::facts::ByteSpan;
use crate::lang::skim::is_word_byte;

/// Whether `name` occurs as a whole word inside one of the `left_out` spans of `text`.
pub fn named_in(text: &[u8], name: &str, left_out: &[ByteSpan]) -> bool {
    whole_words_in(text, name, left_out).next().is_some()
}

/// The attributes read on `name` inside the `left_out` spans (`deps.begin` gives `begin`).
pub fn attributes_named_in(text: &[u8], name: &str, left_out: &[ByteSpan]) -> Vec<String> {
    let mut attributes: Vec<String> = whole_words_in(text, name, left_out)
        .filter_map(|(item, end)| {
            let rest = &item[end..];
            let dot = rest.iter().position(|b| !matches!(b, b' ' | b'\t'))?;
            let rest = rest[dot..].strip_prefix(b".")?;
            let start = rest.iter().position(|b| !matches!(b, b' ' | b'\t'))?;
            let rest = &rest[start..];
            let length = rest.iter().take_while(|b| is_word_byte(**b)).count();
            let attribute = std::str::from_utf8(&rest[..length]).ok()?;
            (!attribute.is_empty()).then(|| attribute.to_string())
        })
        .collect();
    attributes.sort_unstable();
    attributes.dedup();
    attributes
}

/// Each whole-word occurrence of `name` in the `left_out` spans: the span's bytes and
/// where the occurrence ends in them.
fn whole_words_in<'t>(
    text: &'t [u8],
    name: &'t str,
    left_out: &'t [ByteSpan],
) -> impl Iterator<Item = (&'t [u8], usize)> + 't {
    left_out.iter().flat_map(move |span| {
        let item = text.get(span.start..span.end).unwrap_or_default();
        memchr::memmem::find_iter(item, name.as_bytes()).filter_map(move |at| {
            let end = at + name.len();
            let whole = (at == 0 || !is_word_byte(item[at - 1]))
                && item.get(end).is_none_or(|b| !is_word_byte(*b));
            whole.then_some((item, end))
        })
    })
}

/// Whether a skimmed file may call one of `names` (new wrappers) where its summary could
/// not see it: a name occurs in a left-out item, or somewhere other than as a plain entry
/// of an import list (`from billing import start_session as begin`, `pay = start_session`,
/// a comment: then summarise again to be sure). A file that only imports the name as it is
/// and calls it nowhere it was left out cannot: every call would spell the name, and a
/// call in a kept item is in the summary's project callees already.
pub fn may_call_unseen(text: &[u8], names: &[String], left_out: &[ByteSpan]) -> bool {
    names.iter().any(|name| {
        memchr::memmem::find_iter(text, name.as_bytes()).any(|at| {
            let end = at + name.len();
            let whole = (at == 0 || !is_word_byte(text[at - 1]))
                && text.get(end).is_none_or(|b| !is_word_byte(*b));
            whole
                && (left_out
                    .iter()
                    .any(|span| span.start <= at && at < span.end)
                    || !plain_import_entry(text, at, end))
        })
    })
}

/// Whether the word at `start..end` is an entry of an import list without an alias: only
/// names, commas, blanks and continuations back to `import`, line breaks only inside the
/// list's one bracket, and a comma, a bracket, a comment or the end of the line after it.
fn plain_import_entry(text: &[u8], start: usize, end: usize) -> bool {
    let after = text[end..]
        .iter()
        .find(|b| !matches!(b, b' ' | b'\t' | b'\\'))
        .copied();
    if !matches!(after, None | Some(b',' | b')' | b'#' | b'\n' | b'\r')) {
        return false;
    }
    let (mut at, mut bracket_seen, mut line_broken) = (start, false, false);
    while at > 0 {
        let b = text[at - 1];
        if is_word_byte(b) {
            let word_end = at;
            while at > 0 && is_word_byte(text[at - 1]) {
                at -= 1;
            }
            if &text[at..word_end] == b"import" {
                return !line_broken;
            }
        } else if b == b'(' && !bracket_seen {
            // Line breaks after it were inside the list.
            (bracket_seen, line_broken) = (true, false);
            at -= 1;
        } else if b == b'\n' {
            let before = &text[..at - 1];
            let continued = before
                .strip_suffix(b"\r")
                .unwrap_or(before)
                .ends_with(b"\\");
            line_broken |= !continued;
            at -= 1;
        } else if matches!(b, b',' | b' ' | b'\t' | b'\r' | b'\\') {
            at -= 1;
        } else {
            return false;
        }
    }
    false
}
