//! The fix of an `expires_at` value a site writes itself, as the rule objecting to it chose
//! (`ValueFix`): a float made an integer (CL005), a naive clock made aware (CL006), a
//! clock read in milliseconds made seconds and the bare TTL made now + it (CL004). The
//! syntax is the front end's editor's; the wording is the rules'.

use super::sites::{python_now, python_package};
use super::{sorted, text_edit, FilePlan};
use crate::analysis::Location;
use crate::facts::fix::{Fix, Safety, Splice, ValueFix};
use crate::facts::{ByteSpan, Language};
use crate::rules::{
    cl004_expires_at_not_timestamp as cl004, cl005_expires_at_not_integer as cl005,
    cl006_naive_utc_timestamp as cl006,
};

impl FilePlan<'_> {
    /// The fix of the value `text` that `location`'s site writes at `span` (in Rust, the
    /// span may be the local holding the parameters: the editor finds its write, which
    /// must read as `text`).
    pub(super) fn value(
        &mut self,
        module: &str,
        (language, location): (Language, &Location),
        how: ValueFix,
        (span, text): (ByteSpan, &str),
    ) -> Option<Fix> {
        let file = self.file;
        let (mut start, mut end) = (span.start, span.end);
        if language == Language::Rust {
            let key = &crate::shapes::shapes().expires_at_param;
            (start, end) = self.rust_editor()?.written_value(start, end, key)?;
            let written = file.text.get(start..end)?.split_whitespace();
            if !written.eq(text.split_whitespace()) {
                return None;
            }
        }
        let (splices, message) = match (language, how) {
            (Language::Python, ValueFix::Integer) => {
                let splices = self.python_editor()?.wrap_in_call(start, end, "int");
                (splices, cl005::fix_message())
            }
            (Language::Python, ValueFix::AwareClock) => {
                let package = python_package(&file.path, module);
                let splices = self.python_editor()?.aware_clocks(package, start, end)?;
                (splices, cl006::fix_message())
            }
            (Language::Python, ValueFix::Seconds { per_second }) => {
                let splices = self.python_editor()?.seconds(start, end, per_second)?;
                (splices, cl004::seconds_fix_message())
            }
            (Language::Rust, ValueFix::Seconds { per_second }) => {
                let splices = self.rust_editor()?.seconds(start, end, per_second)?;
                (splices, cl004::seconds_fix_message())
            }
            (Language::Python, ValueFix::AddNow) => {
                let editor = self.python_editor()?;
                let site = location.span.start;
                let (now, import) = python_now(&editor, !editor.in_function(site), site)?;
                let value = editor.operand(start, end);
                let shown = format!("{now} + {value}");
                let (mut splices, imports) = match import {
                    Some((splice, time)) => (vec![splice], vec![time]),
                    None => (Vec::new(), Vec::new()),
                };
                splices.push(Splice {
                    start,
                    end,
                    content: shown.clone(),
                });
                (splices, cl004::add_now_fix_message(&shown, &imports))
            }
            (Language::Rust, ValueFix::AddNow) => {
                let editor = self.rust_editor()?;
                // Inside an inline `mod`, the file's `use` of the clock is out of scope.
                if editor.in_inline_module(start) {
                    return None;
                }
                let operand = editor.operand(start, end);
                if !self.is_i64(&operand) {
                    return None;
                }
                let now = self.rust_reads().now(&editor, file);
                let shown = format!("{now} + {operand}");
                let splices = vec![Splice {
                    start,
                    end,
                    content: shown.clone(),
                }];
                (splices, cl004::add_now_fix_message(&shown, &[]))
            }
            // A Rust float or naive clock there does not compile.
            (Language::Rust, ValueFix::Integer | ValueFix::AwareClock) => return None,
        };
        let edits = (splices.into_iter())
            .map(|s| text_edit(file, &file.rel_path, s))
            .collect();
        Some(Fix {
            safety: Safety::Safe,
            message,
            edits: sorted(edits),
        })
    }
}

impl FilePlan<'_> {
    /// Whether a Rust operand is an `i64`, which a clock's `i64` seconds can be added to:
    /// the shared constant when it is declared `i64`, or a cast to `i64`.
    fn is_i64(&self, operand: &str) -> bool {
        let operand = operand.trim();
        let operand =
            (operand.strip_prefix('(').and_then(|o| o.strip_suffix(')'))).unwrap_or(operand);
        let last = operand.rsplit("::").next().unwrap_or_default();
        let is_constant = self.planner.rust_i64_constant.as_deref() == Some(last);
        is_constant
            || operand
                .strip_suffix("i64")
                .is_some_and(|o| o.trim_end().ends_with(" as"))
    }
}
