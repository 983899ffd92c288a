//! Cuts a Python file into its top-level statements for `crate::lang::skim`: a statement starts at
//! a logical line in column 0; decorators belong to the `def` or `class` below them. Only
//! `def`, `async def` and `class` statements may be left out, and not one that declares a
//! `global` (it may rebind a module-level name) or imports (a name it imports from a
//! project module may stand for a create method, which only a call the summary sees can
//! reveal).
//!
//! The lexer (`lexer`) knows just enough to find logical lines. Comments are reported so
//! that the suppressions inside a left-out statement survive. When the lexer ends inside a
//! string or a bracket it gives no statements and the file is parsed whole. `left_out`
//! searches the left-out text for names afterwards.

mod left_out;
mod lexer;
#[cfg(test)]
mod tests;

use std::ops::Range;
use std::sync::LazyLock;

use memchr::memmem::Finder;

use crate::lang::skim::{is_word_byte, Item};
pub use left_out::{attributes_named_in, may_call_unseen, named_in};
use lexer::Lexer;

/// The statements of a file and the byte ranges of its comments, or `None` when the lexer
/// is not sure where statements end.
pub fn items(text: &str) -> Option<(Vec<Item>, Vec<Range<usize>>)> {
    let lexed = Lexer::new(text).run()?;
    let bytes = text.as_bytes();
    // Statements grouped into items: decorators join the statement below them.
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for &start in &lexed.statement_starts {
        match groups.last_mut() {
            Some(group) if group.last().is_some_and(|&s| bytes[s] == b'@') => group.push(start),
            _ => groups.push(vec![start]),
        }
    }
    let mut items = Vec::with_capacity(groups.len().max(1));
    for (index, group) in groups.iter().enumerate() {
        // Text before the first statement (comments, blank lines) joins the first item.
        let start = if index == 0 { 0 } else { group[0] };
        let end = groups.get(index + 1).map_or(text.len(), |next| next[0]);
        let statement = &text[*group.last().unwrap_or(&start)..end];
        let keyword = first_word(statement);
        let definition = matches!(keyword, "def" | "class")
            || (keyword == "async" && first_word(statement[5..].trim_start()) == "def");
        let statement_start = *group.last().unwrap_or(&start);
        let (defines, blankable, aliases) = if definition {
            (
                names_after_keywords(text, start..end),
                // An import inside it binds names only there: a call of one in a left-out
                // item could not be noted (`from deps import begin`, `begin(..)`).
                !(contains_word(&bytes[start..end], &GLOBAL)
                    || contains_word(&bytes[start..end], &IMPORT)
                    // A class deriving from the SDK's (`class Sessions(stripe.checkout.Session)`)
                    // passes its create method on to whoever imports it.
                    || keyword == "class" && bases_name_the_sdk(&bytes[statement_start..end])),
                false,
            )
        } else if let Some(name) = assigned_name(text, statement_start..end) {
            // `S = stripe.checkout.Session` names an outside name another module may import
            // (`ModuleSummary::reexports`): kept, like an import.
            let blankable = !is_bare_name(text, name.end..end);
            (vec![name], blankable, true)
        } else {
            (may_bind(text, statement_start..end), false, true)
        };
        items.push(Item {
            span: start..end,
            blankable,
            defines,
            aliases,
            decorators_end: statement_start,
        });
    }
    if items.is_empty() {
        items.push(Item {
            span: 0..text.len(),
            blankable: false,
            defines: Vec::new(),
            aliases: false,
            decorators_end: 0,
        });
    }
    Some((items, lexed.comments))
}

/// Fills a stretch of blank lines at module level (`crate::lang::skim::skim_filling`) with one
/// triple-quoted string statement of the same length, `"""   …   """`. The parser then
/// reads one token where it read a line at a time (indentation, a newline token), which
/// made the blank lines of a skimmed file two thirds of its parse time on the benchmark's
/// tree. A string statement binds and calls nothing, so the summary is the same; the
/// quotes may sit over line breaks, which nothing downstream counts in the skimmed text
/// (positions are byte offsets, lines come from the original).
pub fn one_string(blank_lines: &mut [u8]) {
    let length = blank_lines.len();
    if length >= 6 {
        blank_lines[..3].copy_from_slice(b"\"\"\"");
        blank_lines[length - 3..].copy_from_slice(b"\"\"\"");
    }
}

/// The name a statement assigns when it is a plain module constant, `NAME = value` or
/// `NAME: annotation = value`: it binds that one name and nothing else. Not when the
/// value holds another `=` or a `;` anywhere (chained assignments, walruses, a second
/// statement on the line; a keyword argument or a string with `=` is given up with them).
fn assigned_name(text: &str, statement: Range<usize>) -> Option<Range<usize>> {
    let code = &text[statement.clone()];
    let name = first_word(code);
    // `else:`, `try:` and `finally:` at column 0 start clauses that look annotated.
    if name.is_empty() || name.as_bytes()[0].is_ascii_digit() || KEYWORDS.contains(&name) {
        return None;
    }
    let after_name = code[name.len()..].trim_start_matches([' ', '\t']);
    let equals = match after_name.as_bytes().first()? {
        b'=' => 0,
        b':' => {
            let line_end = after_name.find('\n').unwrap_or(after_name.len());
            after_name[..line_end].find('=')?
        }
        _ => return None,
    };
    let value = &after_name[equals + 1..];
    if value.starts_with('=') || value.contains(['=', ';']) {
        return None;
    }
    Some(statement.start..statement.start + name.len())
}

/// Whether the value assigned after `after_name` (`= a.b.C`, `: T = a.b.C`) is a bare
/// dotted name, with nothing else but blanks, continuations, comments and brackets around
/// it.
fn is_bare_name(text: &str, after_name: Range<usize>) -> bool {
    let code = text[after_name].as_bytes();
    let Some(equals) = memchr::memchr(b'=', code) else {
        return false;
    };
    // The value's lines without comments (a bare name holds no string for `#` to be in),
    // blanks or continuations; then without the brackets around it.
    let mut value = Vec::new();
    for line in code[equals + 1..].split(|b| *b == b'\n') {
        let line = &line[..memchr::memchr(b'#', line).unwrap_or(line.len())];
        value.extend(
            line.iter()
                .filter(|b| !b.is_ascii_whitespace() && **b != b'\\'),
        );
    }
    let mut value = &value[..];
    while let Some(inner) = value.strip_prefix(b"(").and_then(|v| v.strip_suffix(b")")) {
        value = inner;
    }
    !value.is_empty()
        && !value[0].is_ascii_digit()
        && value
            .split(|b| *b == b'.')
            .all(|part| !part.is_empty() && part.iter().all(|b| is_word_byte(*b)))
}

/// The words a statement that is neither a definition nor a plain constant may bind: for an
/// import, the words after `import` (`from billing import create as make` binds `make`);
/// for anything else (an `if` or `try` block, a chained assignment), every word but the
/// keywords. More than it binds, never fewer: these only matter when the statement
/// mentions a needle, and then each of them keeps what mentions it.
fn may_bind(text: &str, statement: Range<usize>) -> Vec<Range<usize>> {
    let code = &text[statement];
    let mut words = crate::lang::skim::words(code).peekable();
    if matches!(first_word(code), "import" | "from") {
        while words.next_if(|w| *w != "import").is_some() {}
    }
    words
        .filter(|w| !KEYWORDS.contains(w))
        .map(|w| {
            let start = w.as_ptr() as usize - text.as_ptr() as usize;
            start..start + w.len()
        })
        .collect()
}

const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

// Built once: a finder per search cost more than the search in short items.
static DEF: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("def"));
static CLASS: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("class"));
static GLOBAL: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("global"));
static IMPORT: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("import"));

/// The names after `def` and `class` in a statement (its methods' names too).
fn names_after_keywords(text: &str, span: Range<usize>) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut names = Vec::new();
    for finder in [&*DEF, &*CLASS] {
        let keyword = finder.needle();
        for at in finder.find_iter(&bytes[span.clone()]) {
            let at = span.start + at;
            let after = at + keyword.len();
            let whole = (at == 0 || !is_word_byte(bytes[at - 1]))
                && bytes.get(after).is_some_and(|b| !is_word_byte(*b));
            if whole {
                let name = first_word(text[after..span.end].trim_start());
                if !name.is_empty() {
                    let offset = name.as_ptr() as usize - text.as_ptr() as usize;
                    names.push(offset..offset + name.len());
                }
            }
        }
    }
    names.sort_by_key(|r| r.start);
    names
}

static SDK: LazyLock<Finder<'static>> =
    LazyLock::new(|| Finder::new(crate::shapes::shapes().python.sdk_module.as_bytes()));
static CHECKOUT: LazyLock<Finder<'static>> =
    LazyLock::new(|| Finder::new(crate::workspace::prefilter::CHECKOUT_NEEDLE));

/// Whether the header of a `class` statement (up to the colon that ends it) names the SDK's
/// module or the checkout resource among its bases.
fn bases_name_the_sdk(statement: &[u8]) -> bool {
    let mut depth = 0i32;
    let end = statement
        .iter()
        .position(|b| {
            match b {
                b'(' | b'[' => depth += 1,
                b')' | b']' => depth -= 1,
                _ => {}
            }
            depth <= 0 && matches!(b, b':' | b'\n')
        })
        .unwrap_or(statement.len());
    let header = &statement[..end];
    header.contains(&b'(') && (contains_word(header, &SDK) || contains_word(header, &CHECKOUT))
}

fn contains_word(haystack: &[u8], finder: &Finder<'static>) -> bool {
    let word = finder.needle();
    finder.find_iter(haystack).any(|at| {
        (at == 0 || !is_word_byte(haystack[at - 1]))
            && haystack
                .get(at + word.len())
                .is_none_or(|b| !is_word_byte(*b))
    })
}

fn first_word(text: &str) -> &str {
    let end = text
        .bytes()
        .position(|b| !is_word_byte(b))
        .unwrap_or(text.len());
    &text[..end]
}
