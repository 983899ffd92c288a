//! Cuts a Python file into its top-level statements for `crate::lang::skim`: a statement starts at
//! a logical line in column 0; decorators belong to the `def` or `class` below them. Only
//! `def`, `async def` and `class` statements may be left out, and not one that declares a
//! `global` (it may rebind a module-level name) or imports (a name it imports from a
//! project module may stand for a create method, which only a call the summary sees can
//! reveal).
//!
//! The lexer knows just enough to find logical lines: strings with their prefixes and
//! triple quotes, f-strings whose replacement fields nest further strings (Python 3.12),
//! brackets, backslash continuations and comments. Comments are reported so that the
//! suppressions inside a left-out statement survive. When the lexer ends inside a string or
//! a bracket it gives no statements and the file is parsed whole.

use std::ops::Range;
use std::sync::LazyLock;

use memchr::memmem::Finder;

use crate::facts::ByteSpan;
use crate::lang::skim::{is_word_byte, Item};

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
                !contains_word(&bytes[start..end], &GLOBAL)
                    && !contains_word(&bytes[start..end], &IMPORT),
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

struct Lexed {
    /// Offsets of the logical lines that start in column 0.
    statement_starts: Vec<usize>,
    comments: Vec<Range<usize>>,
}

/// Bytes the lexer acts on in code; it skips every other byte without looking further.
const CODE_SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let special = b"\n#\\()[]{}'\":!";
    let mut i = 0;
    while i < special.len() {
        table[special[i] as usize] = true;
        i += 1;
    }
    table
};

#[derive(Debug, Clone, Copy)]
enum Mode {
    /// Code: at the top of the stack outside any string. `brackets` open in this mode.
    Code { brackets: usize },
    Str {
        quote: u8,
        triple: bool,
        fstring: bool,
    },
    /// An f-string's replacement field, `{` .. `}`: code again.
    Field { brackets: usize },
    /// An f-string field's format spec, after `:`: text with nested fields.
    Spec,
}

struct Lexer<'t> {
    bytes: &'t [u8],
    i: usize,
    stack: Vec<Mode>,
    out: Lexed,
}

impl<'t> Lexer<'t> {
    fn new(text: &'t str) -> Self {
        Lexer {
            bytes: text.as_bytes(),
            i: 0,
            stack: vec![Mode::Code { brackets: 0 }],
            out: Lexed {
                statement_starts: Vec::new(),
                comments: Vec::new(),
            },
        }
    }

    fn at_top_level(&self) -> bool {
        matches!(self.stack.as_slice(), [Mode::Code { brackets: 0 }])
    }

    fn run(mut self) -> Option<Lexed> {
        self.statement_start();
        while self.i < self.bytes.len() {
            match *self.stack.last()? {
                Mode::Code { .. } | Mode::Field { .. } => {
                    self.skip_while(|b| !CODE_SPECIAL[b as usize]);
                    match self.bytes.get(self.i) {
                        None => break,
                        Some(b'\n') => {
                            self.i += 1;
                            self.statement_start();
                        }
                        Some(&b) => self.code_byte(b)?,
                    }
                }
                Mode::Str {
                    quote,
                    triple,
                    fstring,
                } => {
                    self.skip_while(|b| {
                        b != quote && b != b'\\' && b != b'\n' && !(fstring && b == b'{')
                    });
                    match self.bytes.get(self.i) {
                        None => break,
                        Some(&b) => self.string_byte(b, quote, triple, fstring)?,
                    }
                }
                Mode::Spec => match self.bytes[self.i] {
                    b'{' => {
                        self.stack.push(Mode::Field { brackets: 0 });
                        self.i += 1;
                    }
                    b'}' => {
                        self.stack.pop();
                        self.i += 1;
                    }
                    b'\n' => return None,
                    _ => self.i += 1,
                },
            }
        }
        self.at_top_level().then_some(self.out)
    }

    fn skip_while(&mut self, ordinary: impl Fn(u8) -> bool) {
        while self.i < self.bytes.len() && ordinary(self.bytes[self.i]) {
            self.i += 1;
        }
    }

    /// At the start of a physical line: a statement starts here if the line is in column 0
    /// of top-level code and is not blank or a comment.
    fn statement_start(&mut self) {
        if let Some(&b) = self.bytes.get(self.i) {
            if self.at_top_level() && !matches!(b, b' ' | b'\t' | b'\x0c' | b'\r' | b'\n' | b'#') {
                self.out.statement_starts.push(self.i);
            }
        }
    }

    fn brackets(&mut self) -> Option<&mut usize> {
        match self.stack.last_mut()? {
            Mode::Code { brackets } | Mode::Field { brackets } => Some(brackets),
            _ => None,
        }
    }

    fn code_byte(&mut self, b: u8) -> Option<()> {
        let in_field = matches!(self.stack.last(), Some(Mode::Field { .. }));
        match b {
            b'#' => {
                let end = memchr::memchr(b'\n', &self.bytes[self.i..])
                    .map_or(self.bytes.len(), |n| self.i + n);
                self.out.comments.push(self.i..end);
                self.i = end;
            }
            b'\\' => {
                // A continuation: the next line is part of this logical line.
                self.i += 1;
                if self.bytes.get(self.i) == Some(&b'\r') {
                    self.i += 1;
                }
                if self.bytes.get(self.i) == Some(&b'\n') {
                    self.i += 1;
                }
            }
            b'(' | b'[' | b'{' => {
                *self.brackets()? += 1;
                self.i += 1;
            }
            b')' | b']' => {
                let brackets = self.brackets()?;
                *brackets = brackets.checked_sub(1)?;
                self.i += 1;
            }
            b'}' => {
                let brackets = self.brackets()?;
                if *brackets == 0 && in_field {
                    self.stack.pop();
                } else {
                    *brackets = brackets.checked_sub(1)?;
                }
                self.i += 1;
            }
            b':' if in_field && *self.brackets()? == 0 => {
                *self.stack.last_mut()? = Mode::Spec;
                self.i += 1;
            }
            b'!' if in_field
                && *self.brackets()? == 0
                && self.bytes.get(self.i + 1) != Some(&b'=') =>
            {
                // A conversion (`!r`): the rest of the field is spec-like text.
                *self.stack.last_mut()? = Mode::Spec;
                self.i += 1;
            }
            b'\'' | b'"' => {
                let fstring = self.is_fstring();
                let triple = self.bytes.get(self.i + 1) == Some(&b)
                    && self.bytes.get(self.i + 2) == Some(&b);
                self.i += if triple { 3 } else { 1 };
                self.stack.push(Mode::Str {
                    quote: b,
                    triple,
                    fstring,
                });
            }
            _ => self.i += 1,
        }
        Some(())
    }

    fn string_byte(&mut self, b: u8, quote: u8, triple: bool, fstring: bool) -> Option<()> {
        match b {
            b'\\' => self.i += 2,
            b'\n' if !triple => return None,
            _ if b == quote => {
                if !triple {
                    self.stack.pop();
                    self.i += 1;
                } else if self.bytes.get(self.i + 1) == Some(&quote)
                    && self.bytes.get(self.i + 2) == Some(&quote)
                {
                    self.stack.pop();
                    self.i += 3;
                } else {
                    self.i += 1;
                }
            }
            b'{' if fstring => {
                if self.bytes.get(self.i + 1) == Some(&b'{') {
                    self.i += 2;
                } else {
                    self.stack.push(Mode::Field { brackets: 0 });
                    self.i += 1;
                }
            }
            _ => self.i += 1,
        }
        Some(())
    }

    /// Whether the string starting at the quote is an f-string (or t-string), from the
    /// letters just before the quote. (Raw or not, a backslash keeps the next quote in.)
    fn is_fstring(&self) -> bool {
        let mut j = self.i;
        while j > 0 && self.i - j < 3 && self.bytes[j - 1].is_ascii_alphabetic() {
            j -= 1;
        }
        let letters = &self.bytes[j..self.i];
        let is_prefix = letters.len() <= 2
            && (j == 0 || !is_word_byte(self.bytes[j - 1]))
            && letters.iter().all(|c| b"rRbBuUfFtT".contains(c));
        is_prefix && letters.iter().any(|c| b"fFtT".contains(c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(text: &str) -> Vec<(&str, bool, Vec<&str>)> {
        items(text)
            .expect("lexed")
            .0
            .into_iter()
            .map(|item| {
                (
                    &text[item.span],
                    item.blankable,
                    item.defines.into_iter().map(|r| &text[r]).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn statements_decorators_and_definitions() {
        let text = "\"\"\"Doc.\n\ndef not_code():\n\"\"\"\nimport x\n\n@app.post(\"/a\")\n\
                    async def handler(\n    a,\n):\n    return a\n\n# note\nclass C:\n    def m(self): ...\n";
        let cut = cut(text);
        assert_eq!(cut.len(), 4, "{cut:?}");
        assert!(!cut[0].1 && cut[0].0.starts_with("\"\"\"Doc."));
        assert_eq!(cut[1], ("import x\n\n", false, vec!["x"]));
        assert!(cut[2].1 && cut[2].0.starts_with("@app.post"));
        assert_eq!(cut[2].2, vec!["handler"]);
        assert_eq!(cut[3].2, vec!["C", "m"]);
    }

    #[test]
    fn blank_lines_become_string_statements_that_parse() {
        use ruff_text_size::Ranged;
        let text = "import stripe\n\ndef f():\n    return 1\n\n\nclass C:  # checkout-lint: ignore[CL001]\n\
                    \x20   def m(self):\n        pass\n\n\ndef g():\n    stripe.checkout.Session.create()\n";
        let (items, comments) = items(text).expect("lexed");
        let needles = crate::lang::skim::Needles::new(["create"]);
        let skimmed =
            crate::lang::skim::skim_filling(text, &items, &comments, &needles, one_string)
                .expect("f and C are left out");
        assert_eq!(skimmed.text.len(), text.len());
        let g = text.find("def g").unwrap();
        assert_eq!(skimmed.text[g..], text[g..]);
        let parsed = ruff_python_parser::parse_module(&skimmed.text).expect("parses");
        let kinds: Vec<&str> = parsed
            .suite()
            .iter()
            .map(|statement| match statement {
                ruff_python_ast::Stmt::Import(_) => "import",
                ruff_python_ast::Stmt::Expr(e) if e.value.is_string_literal_expr() => "string",
                ruff_python_ast::Stmt::FunctionDef(_) => "def",
                _ => "other",
            })
            .collect();
        // The blank lines of `f`, then those of `C` after its kept comment's line.
        assert_eq!(kinds, ["import", "string", "string", "def"]);
        let comment = parsed
            .tokens()
            .iter()
            .find(|t| t.kind() == ruff_python_ast::token::TokenKind::Comment)
            .expect("the suppression is still a comment");
        assert_eq!(
            &text[comment.range().start().to_usize()..comment.range().end().to_usize()],
            "# checkout-lint: ignore[CL001]"
        );
    }

    #[test]
    fn a_long_chain_of_aliases_is_followed_in_one_pass() {
        // Linear, not a pass per link: 20 000 links would take minutes otherwise.
        let mut text = String::from("import stripe\nA0 = stripe.checkout.Session.create\n");
        for link in 1..20_000 {
            text.push_str(&format!("A{link} = A{}\n", link - 1));
        }
        text.push_str("def f():\n    A19999(mode=\"payment\")\n\ndef g():\n    pass\n");
        let (items, comments) = items(&text).expect("lexed");
        let needles = crate::lang::skim::Needles::new(["create"]);
        let skimmed =
            crate::lang::skim::skim(&text, &items, &comments, &needles).expect("g is left out");
        let g = text.find("def g").unwrap();
        assert_eq!(skimmed.left_out.spans, [ByteSpan::new(g, text.len())]);
    }

    #[test]
    fn other_statements_list_the_names_they_may_bind() {
        let text = "from a.b import (c as d,  # note\n    e)\nimport f.g as h\n\
                    try:\n    import k\nexcept ImportError:\n    k = None\n";
        let cut = cut(text);
        assert_eq!(cut[0].2, ["c", "d", "note", "e"]);
        assert_eq!(cut[1].2, ["f", "g", "h"]);
        // `except` at column 0 starts a statement of its own.
        assert_eq!(cut[2].2, ["k"]);
        assert_eq!(cut[3].2, ["ImportError", "k"]);
        assert!(cut.iter().all(|(_, blankable, _)| !blankable));
    }

    #[test]
    fn a_wrapper_imported_as_it_is_and_not_called_is_not_called_unseen() {
        let names = ["pay".to_string()];
        let unseen =
            |text: &str, left_out: &[ByteSpan]| may_call_unseen(text.as_bytes(), &names, left_out);
        let plain = "from billing import (\n    pay,\n    refund)\nfrom b import x, pay\n";
        assert!(!unseen(plain, &[]));
        assert!(!unseen(
            "from billing import pay  # noqa\npayment = 1\n",
            &[]
        ));
        // Called in a left-out item; imported under another name; bound to another name.
        assert!(unseen(
            "from billing import pay\ndef f():\n    pay()\n",
            &[ByteSpan::new(24, 41)]
        ));
        assert!(unseen("from billing import pay as begin\n", &[]));
        assert!(unseen("from billing import pay\nbegin = pay\n", &[]));
        assert!(unseen("from billing import (x,  # pay\n    pay)\n", &[]));
        // Not an import list: a line break outside its bracket, or a second bracket.
        assert!(unseen(
            "from billing import pay\nfor f in (pay,):\n    pass\n",
            &[]
        ));
        assert!(unseen(
            "from billing import pay\nregister(x,\n    pay)\n",
            &[]
        ));
        assert!(!unseen("from billing import x, \\\n    pay\n", &[]));
    }

    #[test]
    fn nested_fstring_quotes_and_format_specs() {
        let text = "x = f\"{d[\"k\"]:>{w}} {y!r} {'}'}\"\ndef f():\n    pass\n";
        let cut = cut(text);
        assert_eq!(cut.len(), 2, "{cut:?}");
        assert_eq!(cut[1].2, vec!["f"]);
    }

    #[test]
    fn continuations_and_global_declarations() {
        let cut = cut("x = 1 + \\\n2\ndef f():\n    global x\n    x = 2\n");
        assert_eq!(cut.len(), 2);
        assert!(!cut[1].1, "a def that declares a global is kept");
    }

    #[test]
    fn plain_module_constants_are_blankable_and_define_their_name() {
        let text = "A = {\"k\": (1, 2)}\nB: int = 3\nC = D = 4\nE = dict(k=1)\nF = 1; G = 2\n\
                    H.x = 5\nI == 6\nJ += 7\nif A:\n    K = 8\nelse:\n    K = 9\n\
                    try:\n    L = 1\nfinally:\n    L = 2\nM = lambda v: v\nN = stripe.checkout.Session\n\
                    O: type = checkout . Session  # alias\nP = True\nQ = (\n    stripe.checkout.Session\n)\n\
                    R = \\\n    stripe.checkout.Session\nT = (  # the class\n    stripe.checkout.Session\n)\n\
                    U = make(x)\n";
        let blankable: Vec<(String, Vec<&str>)> = cut(text)
            .into_iter()
            .filter(|(_, blankable, _)| *blankable)
            .map(|(code, _, names)| (code.trim_end().to_string(), names))
            .collect();
        assert_eq!(
            blankable,
            [
                ("A = {\"k\": (1, 2)}".to_string(), vec!["A"]),
                ("B: int = 3".to_string(), vec!["B"]),
                ("M = lambda v: v".to_string(), vec!["M"]),
                ("U = make(x)".to_string(), vec!["U"]),
            ]
        );
    }

    #[test]
    fn unterminated_strings_and_brackets_give_nothing() {
        assert!(items("x = (1,\n").is_none());
        assert!(items("x = 'abc\n").is_none());
        assert!(items("x = \"\"\"abc\n").is_none());
    }
}
