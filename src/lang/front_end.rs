//! The contract every language's front end meets, and through which the index uses one:
//! a file's text in, language-neutral facts (`ModuleSummary`) or the reason it does not
//! parse out; and the words that let skimming leave out items that cannot matter.
//!
//! A new language is a new folder under `lang/` with one implementation of `FrontEnd`,
//! plus its module naming in `index::files` (Python names files from source roots,
//! Rust from Cargo's layout: each needs what only the index holds).

use crate::facts::{Language, ModuleSummary, ParseFailure};
use crate::lang::skim::Needles;

pub trait FrontEnd {
    /// The language whose files it reads.
    const LANGUAGE: Language;
    /// How the language names the module a file defines.
    type Module<'m>: Copy;
    /// What the front end must know of the project to summarise one file: its modules,
    /// the names it re-exports, the wrappers found so far, the words to skim for.
    type View<'p>;

    /// Words without which a top-level item cannot matter to the analysis, given the
    /// name of the TTL constant; skimming keeps only the items that spell one.
    fn skim_needles(constant: &str, view: &Self::View<'_>) -> Needles;

    /// Parses one file and lowers it into a `ModuleSummary`.
    fn summarize(
        text: &str,
        module: Self::Module<'_>,
        view: &Self::View<'_>,
    ) -> Result<ModuleSummary, ParseFailure>;
}
