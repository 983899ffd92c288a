//! The generated block inside a runbook (SPEC §7): find the two marker lines, splice new
//! lines between them, and diff the result.
//!
//! This module is pure text in, text out: it reads and writes no file (`cli` does) and does
//! not know what the table says (`report::table` does). Bytes outside the block are never
//! touched, and every line keeps its own ending (LF, CRLF, or none at the end of the file).
//! `stale` reads the configured document and compares it with the code (CL010), through
//! `rows`, which reads what the table's rows say, line numbers aside.

mod rows;
pub mod stale;

use std::ops::Range;

/// The line that opens the generated block.
pub const BEGIN_MARKER: &str = "<!-- checkout-lint:call-sites:begin -->";
/// The line that closes the generated block.
pub const END_MARKER: &str = "<!-- checkout-lint:call-sites:end -->";

/// Where the generated block sits in a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    /// 1-based line of the begin marker.
    pub begin_line: usize,
    /// 1-based line of the end marker.
    pub end_line: usize,
    /// Byte range of the begin marker line, without its line ending.
    pub begin_span: Range<usize>,
    /// Byte range of the end marker line, without its line ending.
    pub end_span: Range<usize>,
    /// Byte range of the lines between the markers (their endings included).
    pub content: Range<usize>,
    /// The ending of the begin marker line, used for the lines written between the markers.
    pub line_ending: &'static str,
}

/// Why a document has no usable block. Line numbers are 1-based.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MarkerError {
    /// One or both markers are absent (markers inside fenced code blocks do not count).
    Missing { begin: bool, end: bool },
    /// A marker appears more than once.
    Duplicated {
        marker: &'static str,
        lines: Vec<usize>,
    },
    /// The end marker comes before the begin marker.
    Misordered { begin_line: usize, end_line: usize },
}

impl std::fmt::Display for MarkerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MarkerError::Missing { begin, end } => {
                let which = match (begin, end) {
                    (true, true) => "neither marker line",
                    (true, false) => "no begin marker line",
                    _ => "no end marker line",
                };
                write!(f, "the document has {which} for the call-sites table")
            }
            MarkerError::Duplicated { marker, lines } => {
                let lines: Vec<String> = lines.iter().map(usize::to_string).collect();
                write!(
                    f,
                    "`{marker}` appears more than once (lines {}); the document must have exactly one table block",
                    lines.join(", ")
                )
            }
            MarkerError::Misordered {
                begin_line,
                end_line,
            } => write!(
                f,
                "the end marker (line {end_line}) comes before the begin marker (line {begin_line})"
            ),
        }
    }
}

/// One line of a document: its text without the ending, and the ending itself.
struct Line<'a> {
    start: usize,
    text: &'a str,
    ending: &'static str,
}

fn lines(doc: &str) -> impl Iterator<Item = Line<'_>> {
    let mut start = 0;
    doc.split_inclusive('\n').map(move |raw| {
        let (text, ending) = if let Some(t) = raw.strip_suffix("\r\n") {
            (t, "\r\n")
        } else if let Some(t) = raw.strip_suffix('\n') {
            (t, "\n")
        } else {
            (raw, "")
        };
        let line = Line {
            start,
            text,
            ending,
        };
        start += raw.len();
        line
    })
}

/// A CommonMark code fence opener/closer: up to 3 spaces, then 3+ backticks or tildes.
fn fence(text: &str) -> Option<(char, usize)> {
    let indent = text.len() - text.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &text[indent..];
    let ch = rest.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let run = rest.len() - rest.trim_start_matches(ch).len();
    (run >= 3).then_some((ch, run))
}

/// Finds the block between the marker lines. A marker must be a whole line (surrounding
/// whitespace allowed); markers inside fenced code blocks are examples, not markers.
pub fn locate(doc: &str) -> Result<Block, MarkerError> {
    let mut begins: Vec<(usize, Line<'_>)> = Vec::new();
    let mut ends: Vec<(usize, Line<'_>)> = Vec::new();
    let mut open_fence: Option<(char, usize)> = None;
    for (index, line) in lines(doc).enumerate() {
        let text = line.text.trim_start_matches('\u{feff}');
        if let Some((ch, run)) = fence(text) {
            match open_fence {
                None => open_fence = Some((ch, run)),
                Some((open_ch, open_run))
                    if ch == open_ch && run >= open_run && text.trim().len() == run =>
                {
                    open_fence = None
                }
                Some(_) => {}
            }
            continue;
        }
        if open_fence.is_some() {
            continue;
        }
        match text.trim() {
            BEGIN_MARKER => begins.push((index + 1, line)),
            END_MARKER => ends.push((index + 1, line)),
            _ => {}
        }
    }
    for (marker, found) in [(BEGIN_MARKER, &begins), (END_MARKER, &ends)] {
        if found.len() > 1 {
            return Err(MarkerError::Duplicated {
                marker,
                lines: found.iter().map(|(n, _)| *n).collect(),
            });
        }
    }
    let ((begin_line, begin), (end_line, end)) = match (begins.pop(), ends.pop()) {
        (Some(begin), Some(end)) => (begin, end),
        (begin, end) => {
            return Err(MarkerError::Missing {
                begin: begin.is_none(),
                end: end.is_none(),
            })
        }
    };
    if end_line < begin_line {
        return Err(MarkerError::Misordered {
            begin_line,
            end_line,
        });
    }
    let content_start = begin.start + begin.text.len() + begin.ending.len();
    Ok(Block {
        begin_line,
        end_line,
        begin_span: begin.start..begin.start + begin.text.len(),
        end_span: end.start..end.start + end.text.len(),
        content: content_start..end.start,
        line_ending: begin.ending,
    })
}

/// The document with the block's content replaced by `new_lines`, each ended with the
/// begin marker's line ending. Every byte outside the block is kept as it was.
pub fn splice(doc: &str, block: &Block, new_lines: &[String]) -> String {
    let mut out = String::with_capacity(doc.len() + new_lines.len() * 80);
    out.push_str(&doc[..block.content.start]);
    for line in new_lines {
        out.push_str(line);
        out.push_str(block.line_ending);
    }
    out.push_str(&doc[block.content.end..]);
    out
}

/// A unified diff from `old` to `new`, both labelled `path` (`--- a/path`, `+++ b/path`).
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

/// The two lines to paste into a document that has no markers yet.
pub fn how_to_add_markers() -> String {
    format!("add these two lines where the table belongs, then run the command again:\n\n    {BEGIN_MARKER}\n    {END_MARKER}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(lines: &[&str], eol: &str) -> String {
        lines.iter().map(|l| format!("{l}{eol}")).collect()
    }

    #[test]
    fn finds_the_block_between_the_markers() {
        let text = doc(
            &["# Runbook", BEGIN_MARKER, "| old |", END_MARKER, "tail"],
            "\n",
        );
        let block = locate(&text).unwrap();
        assert_eq!((block.begin_line, block.end_line), (2, 4));
        assert_eq!(&text[block.content.clone()], "| old |\n");
        assert_eq!(block.line_ending, "\n");
    }

    #[test]
    fn splice_keeps_everything_outside_the_block() {
        let text = doc(&["head", BEGIN_MARKER, "| old |", END_MARKER, "tail"], "\n");
        let block = locate(&text).unwrap();
        let out = splice(&text, &block, &["| a |".into(), "| b |".into()]);
        assert_eq!(
            out,
            doc(
                &["head", BEGIN_MARKER, "| a |", "| b |", END_MARKER, "tail"],
                "\n"
            )
        );
    }

    #[test]
    fn crlf_documents_stay_crlf() {
        let text = doc(&["head", BEGIN_MARKER, END_MARKER, "tail"], "\r\n");
        let block = locate(&text).unwrap();
        assert_eq!(block.line_ending, "\r\n");
        let out = splice(&text, &block, &["| a |".into()]);
        assert_eq!(
            out,
            doc(&["head", BEGIN_MARKER, "| a |", END_MARKER, "tail"], "\r\n")
        );
    }

    #[test]
    fn a_missing_final_newline_is_kept() {
        let text = format!("{BEGIN_MARKER}\n| old |\n{END_MARKER}");
        let block = locate(&text).unwrap();
        let out = splice(&text, &block, &["| new |".into()]);
        assert_eq!(out, format!("{BEGIN_MARKER}\n| new |\n{END_MARKER}"));
    }

    #[test]
    fn mixed_endings_outside_the_block_are_untouched() {
        let text = format!("a\r\nb\n{BEGIN_MARKER}\n{END_MARKER}\r\nc\r\n");
        let block = locate(&text).unwrap();
        let out = splice(&text, &block, &["x".into()]);
        assert_eq!(
            out,
            format!("a\r\nb\n{BEGIN_MARKER}\nx\n{END_MARKER}\r\nc\r\n")
        );
    }

    #[test]
    fn missing_markers_are_reported() {
        assert_eq!(
            locate("# nothing\n"),
            Err(MarkerError::Missing {
                begin: true,
                end: true
            })
        );
        assert_eq!(
            locate(&format!("{BEGIN_MARKER}\n")),
            Err(MarkerError::Missing {
                begin: false,
                end: true
            })
        );
    }

    #[test]
    fn duplicated_markers_name_their_lines() {
        let text = doc(
            &[BEGIN_MARKER, END_MARKER, "x", BEGIN_MARKER, END_MARKER],
            "\n",
        );
        assert_eq!(
            locate(&text),
            Err(MarkerError::Duplicated {
                marker: BEGIN_MARKER,
                lines: vec![1, 4]
            })
        );
        let message = locate(&text).unwrap_err().to_string();
        assert!(message.contains("lines 1, 4"), "{message}");
    }

    #[test]
    fn misordered_markers_are_reported() {
        let text = doc(&[END_MARKER, BEGIN_MARKER], "\n");
        assert_eq!(
            locate(&text),
            Err(MarkerError::Misordered {
                begin_line: 2,
                end_line: 1
            })
        );
    }

    #[test]
    fn markers_must_be_whole_lines() {
        let text = format!("see {BEGIN_MARKER} here\n{END_MARKER}\n");
        assert_eq!(
            locate(&text),
            Err(MarkerError::Missing {
                begin: true,
                end: false
            })
        );
        let indented = format!("  {BEGIN_MARKER}  \n\t{END_MARKER}\n");
        assert!(locate(&indented).is_ok());
    }

    #[test]
    fn markers_inside_code_fences_are_examples() {
        let text = doc(
            &[
                "```",
                BEGIN_MARKER,
                END_MARKER,
                "```",
                BEGIN_MARKER,
                "old",
                END_MARKER,
            ],
            "\n",
        );
        let block = locate(&text).unwrap();
        assert_eq!((block.begin_line, block.end_line), (5, 7));
    }

    #[test]
    fn diff_shows_the_changed_rows() {
        let diff = unified_diff("doc.md", "a\nb\nc\n", "a\nB\nc\n");
        assert!(diff.contains("--- a/doc.md"), "{diff}");
        assert!(diff.contains("-b\n+B\n"), "{diff}");
    }

    #[test]
    fn arbitrary_text_never_panics() {
        for text in ["", "\n", "\r", "\r\n\r\n", "```\n", "\u{feff}", "é\r"] {
            let _ = locate(text);
        }
    }
}
