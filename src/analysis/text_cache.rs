//! The text of the files findings point into, read ahead on another thread.

use std::path::PathBuf;

use super::Location;
use crate::workspace::source::SourceFile;

/// Reads the files findings point into. Only the last file read is kept: sites arrive
/// grouped by file, and holding every candidate's text to the end was a quarter of the
/// peak memory on large trees (massif, bench synthetic tree).
///
/// Judging is serial, so another thread reads ahead the files the loop will ask for next
/// (a few at a time) and builds their line tables: on two cores that took the reads, a
/// fifth of the judging time, off the serial path.
pub struct TextCache {
    root: PathBuf,
    last: Option<SourceFile>,
    /// The files being read ahead, in order, and the position of the next to arrive.
    upcoming: Vec<String>,
    next: usize,
    /// Batches of files read ahead (one wake-up per batch, not per file), and what is left
    /// of the current one, reversed.
    ahead: Option<std::sync::mpsc::Receiver<Vec<SourceFile>>>,
    batch: Vec<SourceFile>,
}

/// Files per batch read ahead; two batches may wait.
const READ_AHEAD_BATCH: usize = 32;

impl TextCache {
    pub fn new(root: PathBuf) -> Self {
        TextCache::reading_ahead(root, Vec::new())
    }

    /// A cache that reads `files` (absolute and relative paths) ahead, in this order.
    pub fn reading_ahead(root: PathBuf, files: Vec<(PathBuf, String)>) -> Self {
        let upcoming = files.iter().map(|(_, rel)| rel.clone()).collect();
        let ahead = (!files.is_empty()).then(|| {
            let (sender, receiver) = std::sync::mpsc::sync_channel(2);
            std::thread::spawn(move || {
                for batch in files.chunks(READ_AHEAD_BATCH) {
                    let mut sources: Vec<SourceFile> = batch
                        .iter()
                        .map(|(path, rel_path)| read_source(path.clone(), rel_path.clone()))
                        .collect();
                    sources.reverse();
                    // The receiver is gone once judging is done: stop.
                    if sender.send(sources).is_err() {
                        return;
                    }
                }
            });
            receiver
        });
        TextCache {
            root,
            last: None,
            upcoming,
            next: 0,
            ahead,
            batch: Vec::new(),
        }
    }

    pub(super) fn get(&mut self, location: &Location) -> Option<&SourceFile> {
        let cached = self
            .last
            .as_ref()
            .is_some_and(|file| file.rel_path == location.rel_path);
        if !cached {
            self.last = Some(match self.take_ahead(&location.rel_path) {
                Some(file) => file,
                None => {
                    let path = location
                        .abs_path
                        .clone()
                        .unwrap_or_else(|| self.root.join(&location.rel_path));
                    read_source(path, location.rel_path.clone())
                }
            });
        }
        self.last.as_ref()
    }

    /// The file read ahead for `rel_path`, if it is one; the files before it in the order
    /// were not asked for (their sites were dropped) and are skipped.
    fn take_ahead(&mut self, rel_path: &str) -> Option<SourceFile> {
        let position = self.upcoming[self.next..]
            .iter()
            .position(|upcoming| upcoming == rel_path)?;
        self.next += position + 1;
        for _ in 0..position {
            self.next_ahead()?;
        }
        self.next_ahead()
    }

    fn next_ahead(&mut self) -> Option<SourceFile> {
        if self.batch.is_empty() {
            self.batch = self.ahead.as_ref()?.recv().ok()?;
        }
        self.batch.pop()
    }
}

fn read_source(path: PathBuf, rel_path: String) -> SourceFile {
    let bytes = crate::workspace::source::read(&path).unwrap_or_default();
    let (text, _) = crate::workspace::source::decode(bytes);
    SourceFile::new(path, rel_path, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_cache_reads_ahead_in_order_and_falls_back_to_reading() {
        let dir = tempfile::tempdir().expect("temp dir");
        let names = ["a.py", "b.py", "c.py", "d.py"];
        for name in names {
            std::fs::write(dir.path().join(name), format!("# {name}\n")).expect("write");
        }
        let ahead = names[..3]
            .iter()
            .map(|name| (dir.path().join(name), name.to_string()))
            .collect();
        let mut texts = TextCache::reading_ahead(dir.path().to_path_buf(), ahead);
        let mut text_of = |name: &str| {
            let location = Location::offset(name, 0);
            texts.get(&location).map(|file| file.text.clone())
        };
        // `a.py` is skipped (its sites were dropped); `a.py` and `d.py` are then read as
        // any other file.
        assert_eq!(text_of("b.py").as_deref(), Some("# b.py\n"));
        assert_eq!(text_of("c.py").as_deref(), Some("# c.py\n"));
        assert_eq!(text_of("a.py").as_deref(), Some("# a.py\n"));
        assert_eq!(text_of("d.py").as_deref(), Some("# d.py\n"));
    }
}
