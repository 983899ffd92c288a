//! The project index: the held files and their summaries, module lookup across the tree,
//! and the project-wide passes (re-exports, thin wrappers) that run to a fixpoint before
//! any rule looks at a site.
//!
//! Knows the front ends' facts and how modules are found; knows no rule and no report.

pub mod files;
mod first_pass;
mod load;
mod lookup;
mod passes;
pub mod project;
mod resummarise;
mod state;
mod summarise;
mod symbols;
pub mod trim;

pub use lookup::Lookup;
pub use symbols::Symbols;
