//! Excerpts of code for messages: an expression's first line without its trailing comment,
//! whitespace collapsed, at most 60 characters, then `…` when anything was left out. Reads
//! only that much of the expression, so describing a huge one costs nothing.
//!
//! Knows where a line comment starts and which quotes open a string; nothing else.

/// How a language spells line comments and strings, as far as an excerpt needs.
pub struct Syntax {
    pub line_comment: &'static str,
    pub quotes: &'static [char],
}

pub const PYTHON: Syntax = Syntax {
    line_comment: "#",
    quotes: &['"', '\''],
};

pub const RUST: Syntax = Syntax {
    line_comment: "//",
    quotes: &['"'],
};

/// Longest excerpt of code a message quotes, in characters.
const EXCERPT_CHARS: usize = 60;

/// The excerpt of `code` a message quotes.
pub fn excerpt(code: &str, syntax: &Syntax) -> String {
    let code = code.trim();
    let mut out = String::new();
    let mut chars = 0;
    let mut rest = "";
    let mut string: Option<char> = None;
    let mut escaped = false;
    for (at, c) in code.char_indices() {
        if c == '\n' || chars == EXCERPT_CHARS {
            rest = &code[at..];
            break;
        }
        if string.is_none() && code[at..].starts_with(syntax.line_comment) {
            rest = code[at..].split_once('\n').map_or("", |(_, after)| after);
            break;
        }
        match string {
            Some(quote) if !escaped && c == quote => string = None,
            None if syntax.quotes.contains(&c) => string = Some(c),
            _ => {}
        }
        escaped = string.is_some() && !escaped && c == '\\';
        if c.is_whitespace() {
            if !out.ends_with(' ') {
                out.push(' ');
                chars += 1;
            }
        } else {
            out.push(c);
            chars += 1;
        }
    }
    let mut out = out.trim_end().to_string();
    if !rest.trim().is_empty() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_code_is_quoted_whole() {
        assert_eq!(excerpt("build(plan,  user)", &PYTHON), "build(plan, user)");
    }

    #[test]
    fn multi_line_code_is_cut_after_its_first_line() {
        assert_eq!(
            excerpt(
                "CreateCheckoutSession {\n    mode: Some(Payment),\n}",
                &RUST
            ),
            "CreateCheckoutSession {…"
        );
    }

    #[test]
    fn a_trailing_comment_is_left_out_but_not_a_comment_sign_in_a_string() {
        assert_eq!(
            excerpt("plan.params(  # a note\n    user,\n)", &PYTHON),
            "plan.params(…"
        );
        assert_eq!(
            excerpt("form(\"#top\", '#')", &PYTHON),
            "form(\"#top\", '#')"
        );
        assert_eq!(
            excerpt("make(\"http://x.example\\\"//\") // why\n", &RUST),
            "make(\"http://x.example\\\"//\")"
        );
    }

    #[test]
    fn long_lines_are_cut_at_sixty_characters() {
        let long = format!("f({})", "x".repeat(100));
        let cut = excerpt(&long, &RUST);
        assert_eq!(cut.chars().count(), 61);
        assert!(cut.ends_with('…'));
    }
}
