//! The tokens of a code excerpt, for a finding's identity (`identity`): comments dropped,
//! string and char literals kept whole, words and punctuation apart.
//!
//! Knows only where comments and literals start and end in Python (and TOML, which shares
//! `#` comments and quotes) and in Rust; it parses nothing and never fails: an excerpt may
//! start or end inside a literal, and an unterminated literal runs to the end of the text.

use std::path::Path;

/// Which comment and literal syntax an excerpt follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// `#` comments, `'`/`"` strings with prefixes and triple quotes, `\` line joins.
    Python,
    /// `//` and nested `/* */` comments, `"`, `b"`, raw `r#"…"#` strings, chars, lifetimes.
    Rust,
}

impl Dialect {
    /// Rust for `.rs` files; Python's syntax for everything else (Python sources, and the
    /// TOML config files CL008 can point at).
    pub fn of(path: &Path) -> Dialect {
        match path.extension().and_then(|e| e.to_str()) {
            Some("rs") => Dialect::Rust,
            _ => Dialect::Python,
        }
    }
}

/// What separates a token from its neighbours when the identity is written back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// An identifier, keyword or number.
    Word,
    /// A string, bytes or char literal (with its prefix), or a lifetime.
    Literal,
    /// One punctuation character.
    Punct,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token<'a> {
    pub kind: Kind,
    pub text: &'a str,
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The tokens of `text`, in order.
pub fn tokens(text: &str, dialect: Dialect) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut lexer = Lexer { text, at: 0 };
    while let Some(c) = lexer.peek(0) {
        let start = lexer.at;
        let kind = match (dialect, c) {
            (_, c) if c.is_whitespace() => {
                lexer.bump();
                continue;
            }
            (Dialect::Python, '#') => {
                lexer.skip_line();
                continue;
            }
            (Dialect::Python, '\\') if matches!(lexer.peek(1), Some('\n' | '\r')) => {
                lexer.bump();
                continue;
            }
            (Dialect::Rust, '/') if lexer.peek(1) == Some('/') => {
                lexer.skip_line();
                continue;
            }
            (Dialect::Rust, '/') if lexer.peek(1) == Some('*') => {
                lexer.block_comment();
                continue;
            }
            (_, '"') | (Dialect::Python, '\'') => {
                lexer.quoted(dialect);
                Kind::Literal
            }
            (Dialect::Rust, '\'') => {
                lexer.char_or_lifetime();
                Kind::Literal
            }
            (_, c) if is_word(c) => {
                lexer.word();
                let prefix = &text[start..lexer.at];
                if lexer.literal_after_prefix(prefix, dialect) {
                    Kind::Literal
                } else {
                    Kind::Word
                }
            }
            _ => {
                lexer.bump();
                Kind::Punct
            }
        };
        out.push(Token {
            kind,
            text: &text[start..lexer.at],
        });
    }
    out
}

struct Lexer<'a> {
    text: &'a str,
    at: usize,
}

impl Lexer<'_> {
    fn peek(&self, n: usize) -> Option<char> {
        self.text[self.at..].chars().nth(n)
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek(0)?;
        self.at += c.len_utf8();
        Some(c)
    }

    fn rest(&self) -> &str {
        &self.text[self.at..]
    }

    fn skip_line(&mut self) {
        self.at = self
            .rest()
            .find('\n')
            .map_or(self.text.len(), |i| self.at + i);
    }

    fn word(&mut self) {
        while self.peek(0).is_some_and(is_word) {
            self.bump();
        }
    }

    /// A Rust `/* */` comment, nested ones included.
    fn block_comment(&mut self) {
        self.at += 2;
        let mut depth = 1;
        while depth > 0 {
            if self.rest().starts_with("/*") {
                self.at += 2;
                depth += 1;
            } else if self.rest().starts_with("*/") {
                self.at += 2;
                depth -= 1;
            } else if self.bump().is_none() {
                return;
            }
        }
    }

    /// A literal opened by a quote at the cursor: Python's single or triple quotes (a
    /// single-quoted string also ends at a line end), Rust's `"` strings. A backslash
    /// always takes the next character with it (in raw Python strings too, where `\"`
    /// does not close the string either).
    fn quoted(&mut self, dialect: Dialect) {
        let quote = self.bump().unwrap_or('"');
        let triple = dialect == Dialect::Python
            && self.peek(0) == Some(quote)
            && self.peek(1) == Some(quote);
        if triple {
            self.at += 2 * quote.len_utf8();
        }
        let closing: &str = match (triple, quote) {
            (true, '\'') => "'''",
            (true, _) => "\"\"\"",
            (false, '\'') => "'",
            (false, _) => "\"",
        };
        loop {
            if self.rest().starts_with(closing) {
                self.at += closing.len();
                return;
            }
            match self.bump() {
                None => return,
                Some('\\') => {
                    self.bump();
                }
                Some('\n') if dialect == Dialect::Python && !triple => return,
                Some(_) => {}
            }
        }
    }

    /// Rust's `'x'`, `'\n'`, `'\u{1F600}'`, or a lifetime or label `'a`.
    fn char_or_lifetime(&mut self) {
        self.bump();
        match (self.peek(0), self.peek(1)) {
            (Some('\\'), _) => {
                while let Some(c) = self.bump() {
                    if c == '\\' {
                        self.bump();
                    } else if c == '\'' || c == '\n' {
                        return;
                    }
                }
            }
            (Some(_), Some('\'')) => {
                self.bump();
                self.bump();
            }
            _ => self.word(),
        }
    }

    /// After a word: when the word is a literal's prefix (`rb"…"`, `f'…'`, `b"…"`,
    /// `r#"…"#`, `b'x'`), lexes the literal and says so.
    fn literal_after_prefix(&mut self, prefix: &str, dialect: Dialect) -> bool {
        let next = self.peek(0);
        match dialect {
            Dialect::Python => {
                let is_prefix =
                    prefix.len() <= 3 && prefix.chars().all(|c| "rRbBuUfFtT".contains(c));
                if is_prefix && matches!(next, Some('"' | '\'')) {
                    self.quoted(dialect);
                    return true;
                }
                false
            }
            Dialect::Rust => match (prefix, next) {
                ("b" | "c", Some('"')) => {
                    self.quoted(dialect);
                    true
                }
                ("b", Some('\'')) => {
                    self.char_or_lifetime();
                    true
                }
                ("r" | "br" | "cr", Some('"' | '#')) => self.raw_string(),
                _ => false,
            },
        }
    }

    /// The rest of a Rust raw string after its `r`: `#`s, a quote, and the body up to the
    /// quote followed by as many `#`s. `false` (nothing consumed) when no quote follows
    /// the `#`s, as in `r#ident`.
    fn raw_string(&mut self) -> bool {
        let hashes = self.rest().len() - self.rest().trim_start_matches('#').len();
        if !self.rest()[hashes..].starts_with('"') {
            return false;
        }
        self.at += hashes + 1;
        let closing = format!("\"{}", "#".repeat(hashes));
        self.at = self
            .rest()
            .find(&closing)
            .map_or(self.text.len(), |i| self.at + i + closing.len());
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str, dialect: Dialect) -> Vec<&str> {
        tokens(text, dialect).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn python_comments_go_and_strings_stay_whole() {
        assert_eq!(
            texts(
                "f(a,  # the # is a comment\n  b='# not one')",
                Dialect::Python
            ),
            ["f", "(", "a", ",", "b", "=", "'# not one'", ")"]
        );
        assert_eq!(
            texts(
                "x = rb'\\'' + f\"\"\"a\n\"b\"\"\" \\\n + u'c'",
                Dialect::Python
            ),
            ["x", "=", "rb'\\''", "+", "f\"\"\"a\n\"b\"\"\"", "+", "u'c'"]
        );
        assert_eq!(texts("'open\nnext", Dialect::Python), ["'open\n", "next"]);
    }

    #[test]
    fn rust_comments_go_and_literals_stay_whole() {
        assert_eq!(
            texts(
                "f(a, /* x /* nested */ y */ b) // tail\n'c' 'a: b'\\n' r#\"//\"# r#type",
                Dialect::Rust
            ),
            [
                "f",
                "(",
                "a",
                ",",
                "b",
                ")",
                "'c'",
                "'a",
                ":",
                "b'\\n'",
                "r#\"//\"#",
                "r",
                "#",
                "type"
            ]
        );
        assert_eq!(
            texts("&'static str, b\"x\\\"\", '\\u{1F600}'", Dialect::Rust),
            [
                "&",
                "'static",
                "str",
                ",",
                "b\"x\\\"\"",
                ",",
                "'\\u{1F600}'"
            ]
        );
    }

    #[test]
    fn kinds_say_what_needs_a_separator() {
        let kinds: Vec<Kind> = tokens("not x.y(\"s\")", Dialect::Python)
            .into_iter()
            .map(|t| t.kind)
            .collect();
        use Kind::*;
        assert_eq!(kinds, [Word, Word, Punct, Word, Punct, Literal, Punct]);
    }

    #[test]
    fn unterminated_literals_and_comments_run_to_the_end() {
        for dialect in [Dialect::Python, Dialect::Rust] {
            for text in [
                "\"abc",
                "'''x",
                "/* a /* b */",
                "r##\"x\"#",
                "'",
                "b'",
                "\\",
                "é'",
            ] {
                let joined: usize = tokens(text, dialect).iter().map(|t| t.text.len()).sum();
                assert!(joined <= text.len(), "{text:?}");
            }
        }
    }
}
