//! The layout facts the Python editor reads from text: lines, indentation, a trailing
//! comma, isort's order of names and the standard library's modules. No parsing.

/// Where a trailing comma sits in the text between a list's last item and its closing
/// bracket, skipping blanks and comments.
pub(super) fn trailing_comma(between: &str) -> Option<usize> {
    let bytes = between.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b',' => return Some(i),
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b' ' | b'\t' | b'\r' | b'\n' | b'\\' => i += 1,
            _ => return None,
        }
    }
    None
}

pub(super) fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind('\n').map_or(0, |i| i + 1)
}

pub(super) fn next_line(text: &str, offset: usize) -> usize {
    text[offset..]
        .find('\n')
        .map_or(text.len(), |i| offset + i + 1)
}

pub(super) fn line_number(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
}

/// The blanks that begin the line holding `offset`.
pub(super) fn leading_space(text: &str, offset: usize) -> &str {
    let start = line_start(text, offset);
    let line = &text[start..];
    let width = line.len() - line.trim_start_matches([' ', '\t']).len();
    &line[..width]
}

/// isort's (and ruff's) order of imported names: constants, then classes, then the rest.
pub(super) fn isort_key(name: &str) -> (u8, String) {
    let rank = if name.len() > 1 && name.chars().all(|c| !c.is_lowercase()) {
        0
    } else if name.starts_with(|c: char| c.is_uppercase()) {
        1
    } else {
        2
    };
    (rank, name.to_lowercase())
}

/// The standard library's most imported modules: enough to find a file's block of them.
pub(super) fn is_standard_library(module: &str) -> bool {
    const MODULES: &[&str] = &[
        "abc",
        "argparse",
        "asyncio",
        "base64",
        "calendar",
        "collections",
        "contextlib",
        "copy",
        "csv",
        "dataclasses",
        "datetime",
        "decimal",
        "enum",
        "functools",
        "hashlib",
        "hmac",
        "http",
        "importlib",
        "inspect",
        "io",
        "itertools",
        "json",
        "logging",
        "math",
        "operator",
        "os",
        "pathlib",
        "random",
        "re",
        "secrets",
        "shutil",
        "string",
        "subprocess",
        "sys",
        "tempfile",
        "textwrap",
        "threading",
        "time",
        "traceback",
        "types",
        "typing",
        "unittest",
        "urllib",
        "uuid",
        "warnings",
        "zoneinfo",
    ];
    MODULES.contains(&module.split('.').next().unwrap_or(module))
}
