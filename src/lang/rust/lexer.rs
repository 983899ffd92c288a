//! A small hand-written Rust lexer for what the parser does not give us:
//!
//! - the `//` line comments (`syn` drops comments), skipping string, raw-string,
//!   byte-string and char literals and block comments, so that a suppression written inside
//!   a string literal is never taken for a comment;
//! - how deeply the code nests, so that pathological files are refused before the
//!   recursive parser (and the recursive drop of its tree) can overflow the stack;
//! - the tokens `skim.rs` cuts a file into top-level items with.
//!
//! All three come from one pass over the file (`lex`).
//!
//! It only needs to know where literals and comments start and end, and it never fails:
//! unterminated literals simply run to the end of the file.

use crate::facts::ByteSpan;

/// What one pass of the lexer over a file tells: its `//` comments and how deep it nests.
pub struct Lexed {
    /// Byte spans of `//` comments (doc comments `///` and `//!` included), whole-line text
    /// starting at the `//`.
    pub comments: Vec<ByteSpan>,
    /// See `nesting_depth`.
    pub depth: usize,
}

/// Lexes `text` once: comments, nesting depth, and every token handed to `also` (the item
/// cutter of `skim.rs`).
pub fn lex(text: &str, mut also: impl FnMut(Token, ByteSpan)) -> Lexed {
    let mut comments = Vec::new();
    let mut nesting = Nesting::default();
    scan(text, |token, span| {
        if token == Token::LineComment {
            comments.push(span);
        }
        // Only words are sliced: an `Other` token may be one byte of a wider character.
        let word = if token == Token::Word {
            &text[span.start..span.end]
        } else {
            ""
        };
        nesting.token(token, word);
        also(token, span);
    });
    Lexed {
        comments,
        depth: nesting.max,
    }
}

/// Byte spans of `//` comments (doc comments `///` and `//!` included), whole-line text
/// starting at the `//`.
#[cfg(test)]
fn line_comments(text: &str) -> Vec<ByteSpan> {
    lex(text, |_, _| {}).comments
}

/// An upper bound on the depth of the syntax tree: the deepest delimiter nesting, or the
/// longest run of chain-forming tokens (binary operators, `.`, `as`, `else`, `?`, unary
/// operators) between two separators, whichever is larger. Flat lists (`vec![1, 2, ..]`)
/// and long blocks of statements do not count.
#[cfg(test)]
fn nesting_depth(text: &str) -> usize {
    lex(text, |_, _| {}).depth
}

struct Nesting {
    depth: usize,
    max: usize,
    /// Chain-forming tokens in the current segment, per open delimiter.
    runs: Vec<usize>,
}

impl Default for Nesting {
    fn default() -> Self {
        Nesting {
            depth: 0,
            max: 0,
            runs: vec![0],
        }
    }
}

impl Nesting {
    /// `word`: the token's text when it is a word.
    fn token(&mut self, token: Token, word: &str) {
        match token {
            Token::Open => {
                self.depth += 1;
                self.max = self.max.max(self.depth);
                self.runs.push(0);
            }
            Token::Close => {
                self.depth = self.depth.saturating_sub(1);
                if self.runs.len() > 1 {
                    self.runs.pop();
                }
            }
            Token::Separator => {
                if let Some(run) = self.runs.last_mut() {
                    *run = 0;
                }
            }
            Token::Chain => self.chain(),
            // Keywords that nest what follows: `as` casts, `else if` chains, `return return ..`.
            Token::Word
                if matches!(
                    word,
                    "as" | "else" | "return" | "break" | "yield" | "move" | "mut" | "ref" | "dyn"
                ) =>
            {
                self.chain()
            }
            _ => {}
        }
    }

    fn chain(&mut self) {
        if let Some(run) = self.runs.last_mut() {
            *run += 1;
            self.max = self.max.max(*run);
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Token {
    LineComment,
    Open,
    Close,
    /// `,` and `;`: they end a chain.
    Separator,
    /// Operators and `.`, which build left- or right-nested trees.
    Chain,
    Word,
    Other,
}

/// Calls `f` for every token that matters here, skipping literals and block comments.
fn scan(text: &str, mut f: impl FnMut(Token, ByteSpan)) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let end = memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |n| i + n);
                f(Token::LineComment, ByteSpan::new(i, end));
                i = end;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => i = skip_block_comment(bytes, i),
            b'"' => i = skip_string(bytes, i + 1),
            b'r' if is_raw_string_start(bytes, i) && !continues_ident(bytes, i) => {
                i = skip_raw_string(bytes, i + 1)
            }
            b'b' if !continues_ident(bytes, i) && bytes.get(i + 1) == Some(&b'"') => {
                i = skip_string(bytes, i + 2)
            }
            b'b' if !continues_ident(bytes, i)
                && bytes.get(i + 1) == Some(&b'r')
                && is_raw_string_start(bytes, i + 1) =>
            {
                i = skip_raw_string(bytes, i + 2)
            }
            b'b' if !continues_ident(bytes, i) && bytes.get(i + 1) == Some(&b'\'') => {
                i = skip_char(bytes, i + 1)
            }
            b'\'' => i = skip_char(bytes, i),
            b'(' | b'[' | b'{' => {
                f(Token::Open, ByteSpan::new(i, i + 1));
                i += 1;
            }
            b')' | b']' | b'}' => {
                f(Token::Close, ByteSpan::new(i, i + 1));
                i += 1;
            }
            b',' | b';' => {
                f(Token::Separator, ByteSpan::new(i, i + 1));
                i += 1;
            }
            b'+' | b'-' | b'*' | b'/' | b'%' | b'^' | b'!' | b'&' | b'|' | b'=' | b'<' | b'>'
            | b'.' | b'?' => {
                // A multi-character operator (`&&`, `..=`, `<<=`) counts once.
                while i < bytes.len() && b"+-*/%^!&|=<>.?".contains(&bytes[i]) {
                    i += 1;
                }
                f(Token::Chain, ByteSpan::new(start, i));
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                f(Token::Word, ByteSpan::new(start, i));
            }
            _ => {
                i += 1;
                f(Token::Other, ByteSpan::new(start, i));
            }
        }
    }
}

fn continues_ident(bytes: &[u8], i: usize) -> bool {
    i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_')
}

fn is_raw_string_start(bytes: &[u8], i: usize) -> bool {
    let mut j = i + 1;
    while bytes.get(j) == Some(&b'#') {
        j += 1;
    }
    bytes.get(j) == Some(&b'"')
}

/// Past the closing quote of a `"..."` string whose body starts at `i`.
fn skip_string(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// `i` points just after the `r`: count the hashes, then find `"` followed by as many.
fn skip_raw_string(bytes: &[u8], mut i: usize) -> usize {
    let mut hashes = 0;
    while bytes.get(i) == Some(&b'#') {
        hashes += 1;
        i += 1;
    }
    i += 1; // the opening quote
    while i < bytes.len() {
        if bytes[i] == b'"'
            && bytes[i + 1..]
                .iter()
                .take(hashes)
                .filter(|b| **b == b'#')
                .count()
                == hashes
        {
            return i + 1 + hashes;
        }
        i += 1;
    }
    bytes.len()
}

/// A char literal (`'a'`, `'\n'`, `'\u{1F600}'`) or a lifetime (`'a`), starting at the quote.
fn skip_char(bytes: &[u8], i: usize) -> usize {
    match bytes.get(i + 1) {
        Some(b'\\') => {
            let mut j = (i + 3).min(bytes.len());
            while j < bytes.len() && bytes[j] != b'\'' && bytes[j] != b'\n' {
                j += 1;
            }
            (j + 1).min(bytes.len())
        }
        Some(_) => {
            // One character (possibly multi-byte) then a quote is a char literal;
            // anything else is a lifetime or label.
            let start = i + 1;
            let len = utf8_len(bytes[start]);
            if bytes.get(start + len) == Some(&b'\'') {
                start + len + 1
            } else {
                i + 1
            }
        }
        None => bytes.len(),
    }
}

fn utf8_len(first: u8) -> usize {
    match first {
        0x00..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

/// Block comments nest in Rust.
fn skip_block_comment(bytes: &[u8], mut i: usize) -> usize {
    let mut depth = 0usize;
    while i < bytes.len() {
        if bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'*') {
            depth += 1;
            i += 2;
        } else if bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/') {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comments(text: &str) -> Vec<&str> {
        line_comments(text)
            .into_iter()
            .map(|s| &text[s.start..s.end])
            .collect()
    }

    #[test]
    fn finds_comments_outside_literals() {
        let text = "let s = \"// not a comment\"; // real\nlet r = r#\"// raw \"# ; // two\n";
        assert_eq!(comments(text), vec!["// real", "// two"]);
    }

    #[test]
    fn chars_lifetimes_and_block_comments() {
        let text = "fn f<'a>(x: &'a str) { let c = '\"'; /* // /* nested */ */ } // end";
        assert_eq!(comments(text), vec!["// end"]);
        let text = "let q = '\\''; // after escaped quote\nlet e = 'é'; // after é";
        assert_eq!(comments(text), vec!["// after escaped quote", "// after é"]);
    }

    #[test]
    fn characters_outside_literals_never_split() {
        // Found by the rust_front_end fuzz target: a stray multi-byte character in code.
        let text = "fn f() {\n ³ x.é() }\n// after";
        assert_eq!(comments(text), vec!["// after"]);
        assert_eq!(nesting_depth(text), 2);
    }

    #[test]
    fn unterminated_input_never_panics() {
        for text in [
            "\"abc",
            "r#\"abc",
            "'",
            "/* open",
            "b'",
            "br##\"x\"#",
            "'\\",
        ] {
            let _ = line_comments(text);
            let _ = nesting_depth(text);
        }
    }

    #[test]
    fn nesting_counts_delimiters_and_chains_not_lists() {
        assert_eq!(nesting_depth("fn f() { g((1)) }"), 3);
        let chain = format!("fn f() {{ x{} }}", ".a()".repeat(50));
        assert!(nesting_depth(&chain) >= 50);
        let sum = format!("const X: i64 = 1{};", " + 1".repeat(3000));
        assert!(nesting_depth(&sum) >= 3000);
        let list = format!("const X: [i64; 3000] = [{}];", "1, ".repeat(3000));
        assert!(nesting_depth(&list) < 5);
        let ifs = format!("fn f() {{ if a {{}}{} }}", " else if a {}".repeat(100));
        assert!(nesting_depth(&ifs) >= 100);
        let returns = format!("fn f() -> i64 {{ {}0 }}", "return ".repeat(2000));
        assert!(nesting_depth(&returns) >= 2000);
        assert_eq!(nesting_depth("f(\"((((((\"); // ((((("), 1);
    }
}
