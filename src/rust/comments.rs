//! Finds the `//` line comments of a Rust file (the parser drops comments), skipping string,
//! raw-string, byte-string and char literals and block comments, so that a suppression
//! written inside a string literal is never taken for a comment.
//!
//! A small hand-written lexer: it only needs to know where literals and comments start and
//! end, and it never fails: unterminated literals simply run to the end of the file.

use crate::model::ByteSpan;

/// Byte spans of `//` comments (doc comments `///` and `//!` included), whole-line text
/// starting at the `//`.
pub fn line_comments(text: &str) -> Vec<ByteSpan> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let end = memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |n| i + n);
                out.push(ByteSpan::new(i, end));
                i = end;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => i = skip_block_comment(bytes, i),
            b'"' => i = skip_string(bytes, i + 1),
            b'r' if is_raw_string_start(bytes, i) && !continues_ident(bytes, i) => {
                i = skip_raw_string(bytes, i + 1)
            }
            b'b' if !continues_ident(bytes, i) => match bytes.get(i + 1) {
                Some(b'"') => i = skip_string(bytes, i + 2),
                Some(b'r') if is_raw_string_start(bytes, i + 1) => {
                    i = skip_raw_string(bytes, i + 2)
                }
                Some(b'\'') => i = skip_char(bytes, i + 1),
                _ => i += 1,
            },
            b'\'' => i = skip_char(bytes, i),
            _ => i += 1,
        }
    }
    out
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
    fn unterminated_input_never_panics() {
        for text in ["\"abc", "r#\"abc", "'", "/* open", "b'", "br##\"x\"#"] {
            let _ = line_comments(text);
        }
    }
}
