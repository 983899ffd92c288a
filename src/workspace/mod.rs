//! The files of the tree: the gitignore-aware walk, the byte prefilter that rejects files
//! that cannot create a session, and one file's text with its line/column mapping.
//!
//! Knows paths and bytes only: no language, no Stripe (the prefilter's needle is data it is
//! handed).

pub mod discover;
pub mod prefilter;
pub mod root;
pub mod source;
