//! One file's text and the mapping from byte offsets to 1-based line and column; whether a
//! named path can be read, and whether a file's bytes are binary.
//!
//! Columns count Unicode scalar values (SPEC §7), so a line with `é` before the call
//! reports the column a user sees, not the byte offset.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A 1-based line and column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// A file's contents plus its path relative to the project root (with `/`).
#[derive(Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    pub rel_path: String,
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(path: PathBuf, rel_path: String, text: String) -> Self {
        let line_starts = line_starts(&text);
        SourceFile {
            path,
            rel_path,
            text,
            line_starts,
        }
    }

    /// The position of a byte offset; offsets past the end clamp to the end.
    pub fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line_index = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line_index];
        let mut end = offset;
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let column = self.text[start..end].chars().count() + 1;
        Position {
            line: line_index + 1,
            column,
        }
    }

    /// The text of a line (1-based) without its line ending.
    pub fn line_text(&self, line: usize) -> &str {
        let Some(&start) = self.line_starts.get(line.wrapping_sub(1)) else {
            return "";
        };
        let end = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }
}

fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
    starts
}

/// Contents that stand in for files on disk while `--fix` checks its edits: the analysis
/// reads a file through [`read`], which prefers the overlay. Nothing else writes it.
static OVERLAY: std::sync::RwLock<Option<HashMap<PathBuf, Arc<[u8]>>>> =
    std::sync::RwLock::new(None);

/// Reads a file the analysis looks at: its contents on disk, or the ones `--fix` proposes
/// for it (`with_overlay`).
pub fn read(path: &Path) -> std::io::Result<Vec<u8>> {
    let overlay = OVERLAY.read().unwrap_or_else(|e| e.into_inner());
    if let Some(bytes) = overlay.as_ref().and_then(|files| files.get(path)) {
        return Ok(bytes.to_vec());
    }
    drop(overlay);
    std::fs::read(path)
}

/// Runs `f` with `files` (absolute path to contents) read instead of the files on disk.
pub fn with_overlay<T>(files: HashMap<PathBuf, Arc<[u8]>>, f: impl FnOnce() -> T) -> T {
    *OVERLAY.write().unwrap_or_else(|e| e.into_inner()) = Some(files);
    let result = f();
    *OVERLAY.write().unwrap_or_else(|e| e.into_inner()) = None;
    result
}

/// Decodes file bytes as UTF-8, dropping a leading BOM. Invalid UTF-8 is replaced so the
/// file can still be reported; the second value is then the byte offset (in the returned
/// text) of the first invalid sequence, which the caller reports as a parse error (CL009)
/// when the file matters, since Python refuses such a source file.
pub fn decode(bytes: Vec<u8>) -> (String, Option<usize>) {
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(err) => {
            let offset = err.utf8_error().valid_up_to();
            (
                String::from_utf8_lossy(err.as_bytes()).into_owned(),
                Some(offset),
            )
        }
    }
}

/// Whether a PATH named on the command line can be read: a regular file is opened, a
/// directory listed. Anything else (a FIFO, a socket, a device) is not opened, since
/// opening a FIFO blocks until a writer comes; the walk skips it as it is not a file.
pub fn readable(path: &Path) -> std::io::Result<()> {
    let metadata = std::fs::metadata(path)?;
    if metadata.is_file() {
        std::fs::File::open(path).map(drop)
    } else if metadata.is_dir() {
        std::fs::read_dir(path).map(drop)
    } else {
        Ok(())
    }
}

/// Whether a file's bytes are binary: they hold a NUL byte. Neither Python nor Rust accepts
/// one in source (CPython refuses the file, rustc rejects the token), so such a file cannot
/// create anything at run time and is skipped, never parsed or shown.
pub fn is_binary(bytes: &[u8]) -> bool {
    memchr::memchr(0, bytes).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_unicode_scalars() {
        let file = SourceFile::new(PathBuf::new(), "a.py".into(), "ab\né = f()\n".into());
        assert_eq!(file.position(0), Position { line: 1, column: 1 });
        let f = file.text.find('f').unwrap();
        assert_eq!(file.position(f), Position { line: 2, column: 5 });
        assert_eq!(file.line_text(2), "é = f()");
    }

    #[test]
    fn a_nul_byte_makes_a_file_binary() {
        assert!(is_binary(b"import stripe\0checkout"));
        assert!(!is_binary("stripe.checkout café\n".as_bytes()));
        assert!(!is_binary(b"\xff\xfe latin-1 is text"));
    }

    #[test]
    fn bom_is_dropped_and_invalid_utf8_flagged() {
        assert_eq!(decode(b"\xEF\xBB\xBFx".to_vec()), ("x".to_string(), None));
        assert_eq!(decode(b"\xEF\xBB\xBFa\xff".to_vec()).1, Some(1));
    }
}
