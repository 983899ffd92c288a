//! Text layout for the editors of `--fix`, whatever the language: lines, indentation, line
//! endings, a trailing comma, and one more item of a bracketed list laid out like the
//! others. No parsing: the editors find the offsets, this decides the text.

use crate::facts::fix::Splice;

/// How a language writes comments, for skipping them between a list's items.
#[derive(Clone, Copy)]
pub enum Comments {
    /// `# ..` (Python).
    Hash,
    /// `// ..` and `/* .. */` (Rust).
    Slashes,
}

/// The line ending a file uses (its first one), `\n` when it has none.
pub fn line_ending(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// Where a trailing comma sits in the text between a list's last item and its closing
/// bracket, skipping blanks and comments.
pub fn trailing_comma(between: &str, comments: Comments) -> Option<usize> {
    let bytes = between.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let rest = &between[i..];
        match (bytes[i], comments) {
            (b',', _) => return Some(i),
            (b'#', Comments::Hash) => i += rest.find('\n').unwrap_or(rest.len()),
            (b'/', Comments::Slashes) if rest.starts_with("//") => {
                i += rest.find('\n').unwrap_or(rest.len())
            }
            (b'/', Comments::Slashes) if rest.starts_with("/*") => {
                i += rest.find("*/").map_or(rest.len(), |end| end + 2)
            }
            (b' ' | b'\t' | b'\r' | b'\n' | b'\\', _) => i += 1,
            _ => return None,
        }
    }
    None
}

/// The end of a list item whose syntax node ends inside parentheses (`("payment")`, whose
/// node is the string): past the `)`s that come before the list's own closing bracket.
fn past_closing_parentheses(text: &str, mut end: usize, close: usize, comments: Comments) -> usize {
    loop {
        let rest = &text[end..close];
        let blank = rest.len() - rest.trim_start().len();
        let next = end + blank;
        if text[next..close].starts_with(')') {
            end = next + 1;
            continue;
        }
        let comment = match comments {
            Comments::Hash => text[next..close].starts_with('#'),
            Comments::Slashes => text[next..close].starts_with("//"),
        };
        if comment {
            // A comment may hold a `)`: a parenthesised item's own `)` never follows one
            // on the same line, so what follows the comment is looked at on the next line.
            let line_end = text[next..close].find('\n').map_or(close, |i| next + i);
            if text[line_end..close].trim_start().starts_with(')') {
                end = line_end;
                continue;
            }
        }
        return end;
    }
}

pub fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind('\n').map_or(0, |i| i + 1)
}

/// The start of the line after the one holding `offset` (the end of the text on the last).
pub fn next_line(text: &str, offset: usize) -> usize {
    text[offset..]
        .find('\n')
        .map_or(text.len(), |i| offset + i + 1)
}

/// The 0-based line of `offset`.
pub fn line_number(text: &str, offset: usize) -> usize {
    memchr::memchr_iter(b'\n', &text.as_bytes()[..offset]).count()
}

/// The blanks that begin the line holding `offset`.
pub fn leading_space(text: &str, offset: usize) -> &str {
    let start = line_start(text, offset);
    let line = &text[start..];
    let width = line.len() - line.trim_start_matches([' ', '\t']).len();
    &line[..width]
}

/// A bracketed list from `open` to `close` (the closing bracket's offset), its last item
/// spanning `last` if it has items.
pub struct List {
    pub open: usize,
    pub close: usize,
    pub last: Option<(usize, usize)>,
}

/// The edits that append `item` to a list, laid out like it: on a line of its own before
/// a closing bracket that has its own line (indented like the last item, a comma added
/// after that item when it has none), else after the last item on its line.
pub fn append_item(text: &str, comments: Comments, list: &List, item: &str) -> Vec<Splice> {
    let eol = line_ending(text);
    let List { open, close, last } = *list;
    let Some((last_start, last_end)) = last else {
        return vec![Splice::insert(close, item.to_string())];
    };
    let last_end = past_closing_parentheses(text, last_end, close, comments);
    let comma = trailing_comma(&text[last_end..close], comments).map(|i| last_end + i);
    let multi_line = text[open..close].contains('\n');
    let close_line = line_start(text, close);
    let close_alone = text[close_line..close].trim().is_empty();
    let indent = leading_space(text, last_start);
    match (multi_line, close_alone, comma) {
        (true, true, comma) => {
            let mut splices = Vec::new();
            if comma.is_none() {
                splices.push(Splice::insert(last_end, ",".into()));
            }
            splices.push(Splice::insert(close_line, format!("{indent}{item},{eol}")));
            splices
        }
        (true, false, Some(comma)) => {
            vec![Splice::insert(comma + 1, format!("{eol}{indent}{item},"))]
        }
        (true, false, None) => vec![Splice::insert(last_end, format!(",{eol}{indent}{item}"))],
        (false, _, Some(comma)) => vec![Splice::insert(comma + 1, format!(" {item},"))],
        (false, _, None) => vec![Splice::insert(last_end, format!(", {item}"))],
    }
}

/// `lines` as a new paragraph at the end of `text`, after `blank_lines` blank lines.
pub fn append_paragraph(text: &str, lines: &[String], blank_lines: usize) -> Splice {
    let eol = line_ending(text);
    let mut content = String::new();
    if !text.is_empty() && !text.ends_with('\n') {
        content.push_str(eol);
    }
    if !text.trim().is_empty() {
        let body = text.trim_end_matches(['\r', '\n']);
        let blank = text[body.len()..].matches('\n').count().saturating_sub(1);
        for _ in blank..blank_lines {
            content.push_str(eol);
        }
    }
    for line in lines {
        content.push_str(line);
        content.push_str(eol);
    }
    Splice::insert(text.len(), content)
}

/// `splices` applied to `text` (the editors' tests; `fix` applies `TextEdit`s).
#[cfg(test)]
pub fn apply(text: &str, mut splices: Vec<Splice>) -> String {
    splices.sort_by_key(|s| std::cmp::Reverse((s.start, s.end)));
    let mut out = text.to_string();
    for s in splices {
        out.replace_range(s.start..s.end, &s.content);
    }
    out
}
