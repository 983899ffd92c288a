//! Cuts a Rust file into its top-level items for `crate::lang::skim`: where each item starts and
//! ends, whether it may be left out (`fn`, `impl`, `struct`, `enum`, `trait`, `union`,
//! `const`, `static`, and `mod` with a body) and which names it defines.
//!
//! An item runs from the end of the one before (so its doc comments and attributes come with
//! it) to the `;` or the closing `}` that brings the nesting back to the top level; a `}`
//! followed by `;` (`const X: S = S { .. };`) ends at the `;`. Unbalanced delimiters give no
//! items: the file is then parsed whole and the parser reports what is wrong.
//!
//! An item holding a macro call (`name!(..)`, `[..]` or `{..}`) whose text contains a
//! checkout type or the endpoint's path (`unreadable_macro_markers`), or a name that any
//! `use` in the file binds with `as` (`use stripe::CheckoutSession as Cs`), is never left
//! out: if the macro's arguments are not code the front end can read, the call is
//! unverifiable (CL007) whatever words the item names. (A name the project re-exports a
//! Stripe type under is a skim needle already.)

use std::ops::Range;

use super::lexer::Token;
use super::unreadable_macro_markers;
use crate::lang::skim::Item;

/// Item kinds that may be left out. A `const` or `static` binds one name, which a kept item
/// that uses it names (and another module's lookup of it re-summarises the file whole).
const BLANKABLE: &[&str] = &[
    "fn", "impl", "struct", "enum", "trait", "union", "mod", "const", "static",
];
/// Words that may precede an item's keyword.
const MODIFIERS: &[&str] = &["pub", "async", "unsafe", "default", "auto"];
/// Keywords whose next word is a name the item defines.
const DEFINING: &[&str] = &[
    "fn", "struct", "enum", "trait", "union", "mod", "type", "const", "static",
];

/// The file's top-level items, or `None` when its delimiters do not balance.
#[cfg(test)]
fn items(text: &str) -> Option<Vec<Item>> {
    let mut cutter = Cutter::new(text);
    super::lexer::lex(text, |token, span| {
        cutter.token(token, span.start..span.end)
    });
    cutter.finish()
}

/// Cuts a file into items from the tokens of `lexer::lex`, which it is fed one by one.
pub struct Cutter<'t> {
    text: &'t str,
    items: Vec<Item>,
    /// Where the current item starts.
    start: usize,
    depth: usize,
    /// The current item's keyword, once seen (`fn`, `use`, a macro's name ...).
    kind: Option<&'t str>,
    /// Whether a `{` opened at the top level in the current item (an `impl` header ends).
    body_started: bool,
    defines: Vec<Range<usize>>,
    after_defining_keyword: bool,
    balanced: bool,
    /// How far the last tokens went towards a macro call: a word, then `!`.
    macro_name: MacroName,
    /// The outermost macro call open in the current item: the depth outside its
    /// delimiters and where its arguments start.
    open_macro: Option<(usize, usize)>,
    /// Whether the current item holds a macro call that names a checkout type.
    holds_checkout_macro: bool,
    /// The other macro calls: the item they are in and their arguments, checked for
    /// `use_aliases` once the whole file is cut.
    other_macros: Vec<(usize, Range<usize>)>,
    /// The depth of the `use` declaration being read, if any.
    in_use: Option<usize>,
    after_as: bool,
    /// The names `use` declarations bind with `as`, and `type` aliases (a name a macro may
    /// use for a checkout type: `type P<'a> = CreateCheckoutSession<'a>`).
    use_aliases: Vec<Range<usize>>,
    /// The previous word was `type`.
    after_type: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum MacroName {
    None,
    Word,
    Bang,
}

impl<'t> Cutter<'t> {
    pub fn new(text: &'t str) -> Self {
        Cutter {
            text,
            items: Vec::new(),
            start: 0,
            depth: 0,
            kind: None,
            body_started: false,
            defines: Vec::new(),
            after_defining_keyword: false,
            balanced: true,
            macro_name: MacroName::None,
            open_macro: None,
            holds_checkout_macro: false,
            other_macros: Vec::new(),
            in_use: None,
            after_as: false,
            use_aliases: Vec::new(),
            after_type: false,
        }
    }

    /// The items, or `None` when the delimiters did not balance.
    pub fn finish(mut self) -> Option<Vec<Item>> {
        if !self.balanced || self.depth != 0 {
            return None;
        }
        if !self.use_aliases.is_empty() {
            let aliases: Vec<&str> = self
                .use_aliases
                .iter()
                .map(|r| &self.text[r.clone()])
                .collect();
            for (index, arguments) in &self.other_macros {
                if crate::lang::skim::words(&self.text[arguments.clone()])
                    .any(|w| aliases.contains(&w))
                {
                    self.items[*index].blankable = false;
                }
            }
        }
        if self.start < self.text.len() {
            // Trailing comments and whitespace, or an item without its end: kept.
            self.items.push(Item {
                span: self.start..self.text.len(),
                blankable: false,
                defines: Vec::new(),
                aliases: false,
                decorators_end: self.start,
            });
        }
        Some(self.items)
    }

    pub fn token(&mut self, token: Token, span: Range<usize>) {
        // Delimiters, separators and words are ASCII or whole words; other tokens may be one
        // byte of a wider character and are never sliced.
        let text = match token {
            Token::Open | Token::Close | Token::Separator | Token::Word | Token::Chain => {
                &self.text[span.clone()]
            }
            _ => "",
        };
        let macro_name = self.macro_name;
        self.macro_name = match token {
            Token::Word => MacroName::Word,
            Token::Chain if text == "!" && macro_name == MacroName::Word => MacroName::Bang,
            // Space or a comment between a macro's name, `!` and arguments changes nothing.
            Token::LineComment => macro_name,
            Token::Other if self.text.as_bytes()[span.start].is_ascii_whitespace() => macro_name,
            _ => MacroName::None,
        };
        match token {
            Token::Open => {
                if self.depth == 0 && text == "{" {
                    self.body_started = true;
                }
                if macro_name == MacroName::Bang && self.open_macro.is_none() {
                    self.open_macro = Some((self.depth, span.start));
                }
                self.depth += 1;
            }
            Token::Close => {
                if self.depth == 0 {
                    self.balanced = false;
                    return;
                }
                self.depth -= 1;
                if let Some((depth, start)) = self.open_macro {
                    if depth == self.depth {
                        self.open_macro = None;
                        let arguments = &self.text[start..span.end];
                        if unreadable_macro_markers()
                            .iter()
                            .any(|marker| arguments.contains(marker))
                        {
                            self.holds_checkout_macro = true;
                        } else {
                            self.other_macros.push((self.items.len(), start..span.end));
                        }
                    }
                }
                if self.depth == 0 && text == "}" && !self.semicolon_follows(span.end) {
                    self.end_item(span.end, false);
                }
            }
            Token::Separator if text == ";" && self.in_use == Some(self.depth) => {
                self.in_use = None;
                self.after_as = false;
                if self.depth == 0 {
                    self.end_item(span.end, true);
                }
            }
            Token::Separator if self.depth == 0 && text == ";" => self.end_item(span.end, true),
            Token::Word => {
                if self.in_use.is_some() {
                    if self.after_as && text != "_" {
                        self.use_aliases.push(span.clone());
                    }
                    self.after_as = text == "as";
                } else if text == "use" {
                    self.in_use = Some(self.depth);
                }
                if std::mem::replace(&mut self.after_type, text == "type") {
                    self.use_aliases.push(span.clone());
                }
                // `static mut NAME`: the name comes after `mut`.
                if self.after_defining_keyword && text == "mut" {
                    return;
                }
                if self.after_defining_keyword {
                    self.defines.push(span.clone());
                }
                self.after_defining_keyword = DEFINING.contains(&text);
                if self.depth == 0 {
                    if self.kind.is_none() && !MODIFIERS.contains(&text) {
                        self.kind = Some(text);
                    } else if self.kind == Some("impl") && !self.body_started {
                        // `impl<T> Trait for Type<T>`: the trait and the type.
                        self.defines.push(span);
                    }
                }
            }
            _ => {}
        }
    }

    /// Whether the next token after `at` (past whitespace and comments) is `;`.
    fn semicolon_follows(&self, at: usize) -> bool {
        let mut rest = &self.text[at..];
        loop {
            rest = rest.trim_start();
            if let Some(line) = rest.strip_prefix("//") {
                rest = line.find('\n').map_or("", |n| &line[n..]);
            } else if rest.starts_with("/*") {
                // Rare enough not to skip properly: assume the item goes on.
                return true;
            } else {
                return rest.starts_with(';');
            }
        }
    }

    fn end_item(&mut self, end: usize, by_semicolon: bool) {
        let kind = self.kind.take();
        // `mod name;` declares a module file: never left out.
        let blankable = kind.is_some_and(|k| BLANKABLE.contains(&k))
            && !(kind == Some("mod") && by_semicolon)
            && !std::mem::take(&mut self.holds_checkout_macro);
        self.items.push(Item {
            span: self.start..end,
            blankable,
            defines: std::mem::take(&mut self.defines),
            // `const MAKE: fn(..) = CheckoutSession::create;` names a value.
            aliases: matches!(kind, Some("const" | "static")),
            // Attributes are part of the item's text, and every needle is a plain word.
            decorators_end: self.start,
        });
        self.start = end;
        self.body_started = false;
        self.after_defining_keyword = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(text: &str) -> Vec<(&str, bool, Vec<&str>)> {
        items(text)
            .expect("balanced")
            .into_iter()
            .map(|item| {
                (
                    text[item.span].trim(),
                    item.blankable,
                    item.defines.into_iter().map(|r| &text[r]).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn items_with_their_attributes_and_kinds() {
        let text = "use a::b;\n/// Doc.\n#[derive(Debug)]\npub struct S { x: i32 }\n\
                    const C: S = S { x: 1 };\nimpl<T> Tr for S { fn total(&self) {} }\n\
                    mod m;\nmod n { fn inner() {} }\nmacro_rules! m { () => {} }\n";
        let cut = cut(text);
        assert_eq!(cut.len(), 8);
        assert_eq!(cut[0], ("use a::b;", false, vec![]));
        assert_eq!(
            cut[1].0,
            "/// Doc.\n#[derive(Debug)]\npub struct S { x: i32 }"
        );
        assert_eq!((cut[1].1, cut[1].2.clone()), (true, vec!["S"]));
        assert_eq!(cut[2], ("const C: S = S { x: 1 };", true, vec!["C"]));
        assert!(cut[3].1);
        assert_eq!(cut[3].2, vec!["T", "Tr", "for", "S", "total"]);
        assert_eq!(cut[4], ("mod m;", false, vec!["m"]));
        assert_eq!(
            cut[5],
            ("mod n { fn inner() {} }", true, vec!["n", "inner"])
        );
        assert!(!cut[6].1, "macro_rules! is kept");
    }

    #[test]
    fn tuple_structs_and_comments_before_semicolons() {
        let cut = cut("struct A(u8);\nconst X: S = S {} // why\n;\nfn f() {}");
        assert_eq!(cut.len(), 3);
        assert_eq!(cut[0], ("struct A(u8);", true, vec!["A"]));
        assert_eq!(cut[1], ("const X: S = S {} // why\n;", true, vec!["X"]));
        assert_eq!(cut[2], ("fn f() {}", true, vec!["f"]));
    }

    #[test]
    fn statics_and_consts_define_their_name() {
        let cut = cut("static mut N: u32 = 0;\npub static M: &str = \"m\";\nconst _: () = ();");
        let names: Vec<(bool, Vec<&str>)> = cut.into_iter().map(|(_, b, n)| (b, n)).collect();
        assert_eq!(
            names,
            [(true, vec!["N"]), (true, vec!["M"]), (true, vec!["_"])]
        );
    }

    #[test]
    fn stray_wide_characters_in_code() {
        let cut = cut("fn f() {\n ³ }\nfn é() {}");
        assert_eq!(cut.len(), 2);
        assert!(cut[0].1 && cut[1].1);
    }

    #[test]
    fn items_holding_a_macro_that_names_a_checkout_type_are_kept() {
        let cut = cut("use stripe::{CheckoutSession as Cs, Client};\n\
             fn a() { let v = vec![CreateCheckoutSessionLineItems { . }]; }\n\
             fn b() { log! /* why */ (\"POST /v1/checkout/sessions\"); }\n\
             fn c() { if !(CheckoutSession::ok()) {} }\n\
             fn d() { let v = vec![Line { x: 1 }]; let s: CheckoutSession; }\n\
             fn e() { x != (CheckoutSession::ok()); }\n\
             fn f() { vec ! [CheckoutSession::ok()]; }\n\
             fn g() { m!(Cs::create(c, p) .); }\n\
             fn h() { use stripe::CreateCheckoutSession as P; }\n\
             fn i() { m!(Csv { . }); }\n\
             fn j() { m!(P { . }); }");
        let kept: Vec<bool> = cut.iter().map(|(_, blankable, _)| !blankable).collect();
        // `if !(..)` is taken for a macro call, and a `use` alias counts in every item:
        // keeping too much is safe.
        assert_eq!(
            kept,
            [true, true, true, true, false, false, true, true, false, false, true]
        );
    }

    #[test]
    fn unbalanced_delimiters_give_no_items() {
        assert!(items("fn f() { ").is_none());
        assert!(items("fn f() } {").is_none());
    }
}
