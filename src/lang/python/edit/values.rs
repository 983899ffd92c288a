//! Fixes of a value a Python call writes itself: a float wrapped in `int(...)`, a naive
//! `datetime` clock read aware. Part of the Python editor; knows `datetime`'s names, not
//! what Stripe wants.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

use super::PythonEditor;
use crate::facts::fix::Splice;

impl PythonEditor {
    /// The expression at `start..end` as the argument of a call of `function`.
    pub fn wrap_in_call(&self, start: usize, end: usize, function: &str) -> Vec<Splice> {
        vec![
            Splice::insert(start, format!("{function}(")),
            Splice::insert(end, ")".into()),
        ]
    }

    /// Every naive clock read of `datetime` inside `start..end` (`datetime.utcnow()`,
    /// `datetime.now()` without a zone) made aware (`datetime.now(timezone.utc)`), with
    /// the import of `timezone` it needs; `None` when there is none, or when the class is
    /// not the file's import of it.
    pub fn aware_clocks(&self, package: &str, start: usize, end: usize) -> Option<Vec<Splice>> {
        let mut calls = Vec::new();
        let mut finder = NaiveClocks {
            start,
            end,
            calls: &mut calls,
        };
        finder.visit_body(&self.module.body);
        let mut splices = Vec::new();
        let mut zone_import = None;
        for call in calls {
            let Expr::Attribute(method) = &*call.func else {
                continue;
            };
            let zone = match &*method.value {
                // `from datetime import datetime`: `timezone` from the same module.
                Expr::Name(class)
                    if self.imports_from(class.id.as_str(), "datetime", "datetime") =>
                {
                    let (bound, import) = self.import_name(package, "datetime", "timezone");
                    // A `timezone` the file binds otherwise (pytz's, Django's, a
                    // parameter) would be shadowed, or would shadow ours.
                    if import.is_some() && self.names_elsewhere("timezone") {
                        return None;
                    }
                    zone_import = zone_import.or(import);
                    format!("{bound}.utc")
                }
                // `import datetime`: the module's own `timezone`.
                Expr::Attribute(class)
                    if class.attr.as_str() == "datetime"
                        && matches!(&*class.value, Expr::Name(m) if self.imports_module(m.id.as_str(), "datetime")) =>
                {
                    format!("{}.timezone.utc", &self.text.as_str()[class.value.range()])
                }
                _ => return None,
            };
            // The zone goes inside the call's own parentheses: what they hold (a comment)
            // stays.
            if method.attr.as_str() == "utcnow" {
                splices.push(Splice {
                    start: method.attr.start().to_usize(),
                    end: method.attr.end().to_usize(),
                    content: "now".into(),
                });
            }
            splices.push(Splice::insert(call.arguments.start().to_usize() + 1, zone));
        }
        if splices.is_empty() {
            return None;
        }
        splices.extend(zone_import);
        Some(splices)
    }

    /// Whether `name` appears in the file as a word other than in an import from
    /// `datetime` (a parameter, a local, another module's `timezone`).
    fn names_elsewhere(&self, name: &str) -> bool {
        let from_datetime = |stmt: &Stmt| matches!(stmt, Stmt::ImportFrom(from) if from.module.as_ref().is_some_and(|m| m.as_str() == "datetime"));
        let skip: Vec<(usize, usize)> = (self.module.body.iter())
            .filter(|stmt| from_datetime(stmt))
            .map(|stmt| (stmt.start().to_usize(), stmt.end().to_usize()))
            .collect();
        let word = |c: char| c.is_alphanumeric() || c == '_';
        self.text.as_str().match_indices(name).any(|(at, _)| {
            let before = self.text.as_str()[..at]
                .chars()
                .next_back()
                .is_some_and(word);
            let after = self.text.as_str()[at + name.len()..]
                .chars()
                .next()
                .is_some_and(word);
            !before && !after && !skip.iter().any(|(s, e)| *s <= at && at < *e)
        })
    }

    /// Whether `bound` is the file's `from module import name` (or `.. as bound`).
    fn imports_from(&self, bound: &str, module: &str, name: &str) -> bool {
        self.module.body.iter().any(|stmt| match stmt {
            Stmt::ImportFrom(from)
                if from.level == 0
                    && from.module.as_ref().is_some_and(|m| m.as_str() == module) =>
            {
                from.names.iter().any(|a| {
                    a.name.as_str() == name
                        && a.asname.as_ref().unwrap_or(&a.name).as_str() == bound
                })
            }
            _ => false,
        })
    }

    /// Whether `bound` is the file's `import module` (or `.. as bound`).
    fn imports_module(&self, bound: &str, module: &str) -> bool {
        self.module.body.iter().any(|stmt| match stmt {
            Stmt::Import(import) => import.names.iter().any(|a| {
                a.name.as_str() == module && a.asname.as_ref().unwrap_or(&a.name).as_str() == bound
            }),
            _ => false,
        })
    }
}

/// The calls `X.utcnow()` and `X.now()` (no zone) inside `start..end`.
struct NaiveClocks<'a, 'c> {
    start: usize,
    end: usize,
    calls: &'c mut Vec<&'a ast::ExprCall>,
}

impl<'a> Visitor<'a> for NaiveClocks<'a, '_> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        let range = expr.range();
        if range.end().to_usize() <= self.start || range.start().to_usize() >= self.end {
            return;
        }
        if let Expr::Call(call) = expr {
            let naive = match &*call.func {
                Expr::Attribute(method) => {
                    let no_arguments =
                        call.arguments.args.is_empty() && call.arguments.keywords.is_empty();
                    no_arguments && matches!(method.attr.as_str(), "utcnow" | "now")
                }
                _ => false,
            };
            if naive && range.start().to_usize() >= self.start && range.end().to_usize() <= self.end
            {
                self.calls.push(call);
            }
        }
        visitor::walk_expr(self, expr);
    }
}

impl PythonEditor {
    /// The value at `start..end`, counting `per_second` units a second, read in seconds:
    /// every multiplication by 1 000 (10⁶, 10⁹) dropped, `time.time_ns()` read as
    /// `int(time.time())`. `None` when there is neither.
    pub fn seconds(&self, start: usize, end: usize, per_second: i64) -> Option<Vec<Splice>> {
        let mut finder = Scalings {
            start,
            end,
            per_second,
            editor: self,
            in_int: Vec::new(),
            splices: Vec::new(),
        };
        finder.visit_body(&self.module.body);
        (!finder.splices.is_empty()).then_some(finder.splices)
    }

    /// The expression at `start..end` as an operand of `+`: parenthesised unless it is a
    /// name, an attribute, a subscript or a call.
    pub fn operand(&self, start: usize, end: usize) -> String {
        let text = &self.text.as_str()[start..end];
        let mut finder = ExprAt {
            start,
            end,
            atomic: false,
        };
        finder.visit_body(&self.module.body);
        match finder.atomic {
            true => text.to_string(),
            false => format!("({text})"),
        }
    }
}

/// Whether an expression is a number literal that scales seconds to units counting
/// `per_second` a second.
fn is_scale(expr: &Expr, per_second: i64) -> bool {
    let Expr::NumberLiteral(number) = expr else {
        return false;
    };
    let value = match &number.value {
        ast::Number::Int(i) => i.as_u64().map(|i| i as f64),
        ast::Number::Float(f) => Some(*f),
        ast::Number::Complex { .. } => None,
    };
    value.is_some_and(|v| v == per_second as f64)
}

/// The edits that read a scaled clock in seconds, inside `start..end`.
struct Scalings<'e> {
    start: usize,
    end: usize,
    per_second: i64,
    editor: &'e PythonEditor,
    /// The calls that are the single argument of an `int(..)`.
    in_int: Vec<usize>,
    splices: Vec<Splice>,
}

impl<'a> Visitor<'a> for Scalings<'_> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        let range = expr.range();
        let (start, end) = (range.start().to_usize(), range.end().to_usize());
        if end <= self.start || start >= self.end {
            return;
        }
        let inside = start >= self.start && end <= self.end;
        let text = self.editor.text.as_str();
        match expr {
            // `x * 1000`: the operator and the factor go, parentheses stay.
            Expr::BinOp(binary) if inside && binary.op == ast::Operator::Mult => {
                let (left, right) = (&binary.left, &binary.right);
                let (left_end, right_start) = (left.end().to_usize(), right.start().to_usize());
                let gap = &text[left_end..right_start];
                // Alone in its place (the whole value, `int(..)`'s argument), the operand
                // left needs no parentheses of its own.
                let alone = (start, end) == (self.start, self.end) || self.in_int.contains(&start);
                if let Some(star) = gap.find('*') {
                    let (before, after) = (&gap[..star], &gap[star + 1..]);
                    let opening = text[start..left.start().to_usize()].trim();
                    let closing = text[right.end().to_usize()..end].trim();
                    if is_scale(right, self.per_second) && after.trim().is_empty() {
                        if alone && opening == "(" && before.trim() == ")" {
                            self.splices
                                .push(Splice::delete(start, left.start().to_usize()));
                            self.splices.push(Splice::delete(left_end, end));
                        } else {
                            let from = left_end + before.trim_end().len();
                            self.splices
                                .push(Splice::delete(from, right.end().to_usize()));
                        }
                    } else if is_scale(left, self.per_second) && before.trim().is_empty() {
                        if alone && after.trim() == "(" && closing == ")" {
                            self.splices.push(Splice::delete(start, right_start));
                            self.splices
                                .push(Splice::delete(right.end().to_usize(), end));
                        } else {
                            let to = left_end + star + 1 + (after.len() - after.trim_start().len());
                            self.splices
                                .push(Splice::delete(left.start().to_usize(), to));
                        }
                    }
                }
            }
            Expr::Call(call) if inside => {
                let is_int = matches!(&*call.func, Expr::Name(n) if n.id.as_str() == "int");
                if is_int && call.arguments.args.len() == 1 && call.arguments.keywords.is_empty() {
                    self.in_int.push(call.arguments.args[0].start().to_usize());
                }
                // `time.time_ns()`, nanoseconds: `int(time.time())`.
                if let Expr::Attribute(method) = &*call.func {
                    let module_time = matches!(&*method.value, Expr::Name(m) if self.editor.imports_module(m.id.as_str(), "time"));
                    let no_arguments =
                        call.arguments.args.is_empty() && call.arguments.keywords.is_empty();
                    if module_time
                        && no_arguments
                        && method.attr.as_str() == "time_ns"
                        && self.per_second == 1_000_000_000
                    {
                        let clock = format!("{}.time()", &text[method.value.range()]);
                        let content = match self.in_int.contains(&start) {
                            true => clock,
                            false => format!("int({clock})"),
                        };
                        self.splices.push(Splice {
                            start,
                            end,
                            content,
                        });
                        return;
                    }
                }
            }
            _ => {}
        }
        visitor::walk_expr(self, expr);
    }
}

/// Whether the expression exactly at `start..end` is atomic as an operand.
struct ExprAt {
    start: usize,
    end: usize,
    atomic: bool,
}

impl<'a> Visitor<'a> for ExprAt {
    fn visit_expr(&mut self, expr: &'a Expr) {
        let range = expr.range();
        let (start, end) = (range.start().to_usize(), range.end().to_usize());
        if start == self.start && end == self.end {
            self.atomic |= matches!(
                expr,
                Expr::Name(_) | Expr::Attribute(_) | Expr::Subscript(_) | Expr::Call(_)
            );
        }
        if start <= self.start && self.end <= end {
            visitor::walk_expr(self, expr);
        }
    }
}
