//! The lexer behind `items`: it knows just enough to find logical lines in column 0 and
//! the comments: strings with their prefixes and triple quotes, f-strings whose
//! replacement fields nest further strings (Python 3.12), brackets, backslash
//! continuations and comments. When it ends inside a string or a bracket it gives nothing.
//!
//! Knows Python's lexical syntax only, nothing of what the statements mean.

use std::ops::Range;

use crate::lang::skim::is_word_byte;

pub(super) struct Lexed {
    /// Offsets of the logical lines that start in column 0.
    pub(super) statement_starts: Vec<usize>,
    pub(super) comments: Vec<Range<usize>>,
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

pub(super) struct Lexer<'t> {
    bytes: &'t [u8],
    i: usize,
    stack: Vec<Mode>,
    out: Lexed,
}

impl<'t> Lexer<'t> {
    pub(super) fn new(text: &'t str) -> Self {
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

    pub(super) fn run(mut self) -> Option<Lexed> {
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
