//! The fix of a CL001 site that passes no `expires_at`: now + the constant (imported, or
//! defined first when the project has none) or the project's own helper, and how safe
//! that is.

use super::sites::{is_test_or_script, python_fix, rust_fix};
use super::{sorted, text_edit, Constant, FilePlan, Source};
use crate::analysis::Location;
use crate::facts::fix::{Fix, Safety, Slot, TextEdit};
use crate::facts::Language;
use crate::lang::rust::edit::Visibility;
use crate::rules::cl001_missing_expires_at as cl001;

impl FilePlan<'_> {
    /// The fix of a CL001 site that passes nothing, if there is one.
    pub(super) fn missing(
        &mut self,
        module: &str,
        (language, location): (Language, &Location),
        slot: Slot,
    ) -> Option<Fix> {
        let (file, planner) = (self.file, self.planner);
        if let Some(helper) = planner.helpers.get(&language).cloned() {
            let source = Source::Helper(&helper);
            let planned = match language {
                Language::Python => {
                    let editor = self.python_editor()?;
                    python_fix(&editor, file, module, source, location, slot)?
                }
                Language::Rust => {
                    let editor = self.rust_editor()?;
                    let reach = Visibility::Public;
                    let reads = &mut self.rust_reads();
                    rust_fix(
                        (&editor, self.project, reads),
                        file,
                        module,
                        (source, reach),
                        slot,
                    )?
                }
            };
            let edits = (planned.splices.into_iter())
                .map(|s| text_edit(file, &location.rel_path, s))
                .collect();
            // The helper adds the constant: one outside Stripe's window breaks the call.
            let caveat =
                (planner.out_of_range.contains(&language)).then_some(cl001::Caveat::OutOfRange);
            return Some(Fix {
                safety: if caveat.is_some() {
                    Safety::Unsafe
                } else {
                    Safety::Safe
                },
                message: cl001::fix_message(&planned.shown, &planned.imports, None, caveat),
                edits: sorted(edits),
            });
        }
        let (python, rust) = match language {
            Language::Python => (Some(self.python_editor()?), None),
            Language::Rust => (None, Some(self.rust_editor()?)),
        };
        let constant = planner.constants.get(&language)?;
        let (constant_module, name, definition) = match constant {
            Constant::Defined { .. }
                if language == Language::Rust && planner.rust_constant_reach.is_none() =>
            {
                return None
            }
            Constant::Defined { module, name } => (module.as_str(), name.as_str(), None),
            Constant::ToDefine {
                module,
                name,
                definition,
            } => (module.as_str(), name.as_str(), Some(definition)),
            Constant::Unavailable => return None,
        };
        let source = Source::Constant {
            module: constant_module,
            name,
            to_define: definition.is_some(),
        };
        let planned = match (&python, &rust) {
            (Some(editor), _) => python_fix(editor, file, module, source, location, slot)?,
            (_, Some(editor)) => {
                let reach = planner.rust_constant_reach.unwrap_or(Visibility::Public);
                let with = (editor.as_ref(), self.project, &mut *self.rust_reads());
                rust_fix(with, file, module, (source, reach), slot)?
            }
            (None, None) => return None,
        };
        let mut edits: Vec<TextEdit> = (planned.splices.into_iter())
            .map(|s| text_edit(file, &location.rel_path, s))
            .collect();
        // Safe only when the one constant is in Stripe's window, and not a test's or a
        // script's (which production code should not import).
        let caveat = if planner.out_of_range.contains(&language) {
            Some(cl001::Caveat::OutOfRange)
        } else if is_test_or_script(constant_module) && !is_test_or_script(module) {
            Some(cl001::Caveat::OtherPackage)
        } else {
            None
        };
        let safety = match definition {
            Some(definition) => {
                edits.push(definition.clone());
                Safety::Unsafe
            }
            None if caveat.is_none() => Safety::Safe,
            None => Safety::Unsafe,
        };
        let edits = sorted(edits);
        let message = cl001::fix_message(
            &planned.shown,
            &planned.imports,
            definition.map(|d| (d.path.as_str(), name)),
            caveat.filter(|_| definition.is_none()),
        );
        Some(Fix {
            safety,
            message,
            edits,
        })
    }
}
