//! The fixpoints of skimming: an item that mentions an alias of what a kept item mentions is
//! kept, and so is an item that defines a name a kept item mentions. Linear in the file.

use rustc_hash::FxHashMap;

use super::{Item, Needles};
use crate::lang::words::words;

/// Marks, to a fixpoint, every item that mentions an alias of what a marked item mentions:
/// with `make = stripe.checkout.Session.create` marked, `def f(): make(...)` is a call of
/// `create` that names no needle. Linear in the file: one pass over the words, then a
/// worklist of names (a chain of aliases must not cost a pass per link).
pub(super) fn keep_mentions_of_aliases(
    text: &str,
    items: &[Item],
    needles: &Needles,
    mentions: &mut [bool],
) {
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
pub(super) fn keep_definitions_of_mentioned_names(text: &str, items: &[Item], kept: &mut [bool]) {
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
