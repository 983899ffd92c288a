//! The rules: their identity (code, id, severity) and their documentation under `rules/`.

pub mod catalog;
