//! The front ends: syntax → language-neutral facts (`crate::facts`), each behind the one
//! `front_end::FrontEnd` trait.
//!
//! `python/` is the only code that imports `ruff_python_parser`, `rust/` the only code that
//! imports `syn`. `excerpt` quotes code in CL007's facts. `skim` and `words` cut a
//! candidate file down to the items that could matter before it is parsed;
//! `suppression_comment` reads our own comment syntax. A front end asks `crate::shapes` what a name means to Stripe; it does not decide what a value
//! means (that is `crate::analysis`).

pub mod excerpt;
pub mod front_end;
pub mod layout;
pub mod python;
pub mod rust;
pub mod skim;
pub mod suppression_comment;
pub mod words;

/// The tool's name, as the reasons it gives for what it cannot follow spell it.
pub(crate) const TOOL_NAME: &str = env!("CARGO_PKG_NAME");

pub use front_end::FrontEnd;

/// Whether a source file's text parses in its language (by extension; other files are
/// not checked): `--fix` never writes a file that no longer does.
pub fn parses(path: &std::path::Path, text: &str) -> bool {
    match path.extension().and_then(|e| e.to_str()) {
        Some("py") | Some("pyi") => python::edit::parses(text),
        Some("rs") => rust::parses(text),
        _ => true,
    }
}
