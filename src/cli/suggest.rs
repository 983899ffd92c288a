//! "did you mean `check`?": `checkout-lint [check] [PATH]...` takes a bare word as a PATH,
//! so a mistyped subcommand would otherwise read as a missing file. A first PATH that does
//! not exist, looks like a word rather than a path, and is close to a subcommand's name
//! gets the suggestion (exit 2).

use std::path::Path;

use clap::CommandFactory;

use crate::error::ToolError;

/// The error for a first PATH that is a mistyped subcommand, if it is one.
pub fn mistyped_subcommand(paths: &[std::path::PathBuf]) -> Option<ToolError> {
    let word = paths.first()?.to_str()?;
    if Path::new(word).exists() || word.contains(['/', '\\', '.']) || word.is_empty() {
        return None;
    }
    let command = super::Cli::command();
    let names: Vec<String> = command
        .get_subcommands()
        .filter(|s| !s.is_hide_set())
        .map(|s| s.get_name().to_string())
        .collect();
    let (distance, name) = names
        .iter()
        .map(|name| (edit_distance(&word.to_lowercase(), name), name))
        .min()?;
    // One edit for a short name, two from five letters: `chek`, `tabel`, `rules`, `int`.
    let allowed = if name.chars().count() < 5 { 1 } else { 2 };
    let close = distance <= allowed || name.starts_with(&word.to_lowercase());
    close.then(|| {
        ToolError::new(format!(
            "`{word}` is neither a subcommand nor a file or directory"
        ))
        .with_help(format!(
            "did you mean `{name}`? (`checkout-lint --help` lists the subcommands)"
        ))
    })
}

/// Levenshtein distance over Unicode scalar values.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn suggestion(word: &str) -> Option<String> {
        mistyped_subcommand(&[PathBuf::from(word)]).and_then(|e| e.help)
    }

    #[test]
    fn distances() {
        assert_eq!(edit_distance("chek", "check"), 1);
        assert_eq!(edit_distance("tabel", "table"), 2);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn close_words_get_a_suggestion_and_paths_do_not() {
        assert!(suggestion("chek").unwrap().contains("`check`"));
        assert!(suggestion("tabel").unwrap().contains("`table`"));
        assert!(suggestion("cehck").unwrap().contains("`check`"));
        // (`rules` is a directory of this repository, where unit tests run: a PATH.)
        assert!(suggestion("rulle").unwrap().contains("`rule`"));
        assert_eq!(suggestion("rules"), None);
        assert!(suggestion("suppresions")
            .unwrap()
            .contains("`suppressions`"));
        assert_eq!(suggestion("src/chek"), None);
        assert_eq!(suggestion("chek.py"), None);
        assert_eq!(suggestion("payments"), None);
    }
}
