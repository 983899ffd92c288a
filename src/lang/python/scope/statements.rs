//! The bindings a scope's statements make (imports, star imports of the SDK's modules,
//! assignments, loop and `with` targets, `except ... as`, definitions) and the mapping
//! items they set or delete, collected before the scope's calls are examined.
//!
//! Knows Python statements; which names a star import of an SDK module binds it asks
//! `shapes`.

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

use super::{changed, Def, Mutation, Scope};
use crate::facts::Change;
use crate::shapes::shapes;

impl<'a> Scope<'a> {
    /// The body of a compound statement, which may run or not, or more than once.
    fn collect_nested(&mut self, body: &'a [Stmt]) {
        self.nesting += 1;
        self.collect_body(body);
        self.nesting -= 1;
    }

    pub(super) fn collect_body(&mut self, body: &'a [Stmt]) {
        for stmt in body {
            self.collect_stmt(stmt);
        }
    }

    fn collect_stmt(&mut self, stmt: &'a Stmt) {
        let offset = stmt.start().to_usize();
        match stmt {
            Stmt::FunctionDef(f) => {
                self.define(f.name.id.as_str(), Def::Function { offset });
                if self.kind == super::ScopeKind::Function {
                    let inner = Scope::function(f, String::new(), false);
                    self.capture_changes(&inner, offset, Some(f.name.id.as_str()));
                }
            }
            Stmt::ClassDef(c) => self.define(
                c.name.id.as_str(),
                Def::Class {
                    offset,
                    bases: c.bases(),
                    body: &c.body,
                },
            ),
            Stmt::Import(import) => {
                for alias in &import.names {
                    let full = alias.name.id.as_str();
                    match &alias.asname {
                        Some(asname) => self.define(
                            asname.id.as_str(),
                            Def::Import {
                                qualname: full.to_string(),
                                offset,
                            },
                        ),
                        None => {
                            // `import a.b.c` binds `a`.
                            let first = full.split('.').next().unwrap_or(full);
                            let first = &alias.name.id.as_str()[..first.len()];
                            self.define(
                                first,
                                Def::Import {
                                    qualname: first.to_string(),
                                    offset,
                                },
                            );
                        }
                    }
                }
            }
            // Relative `from` imports are made absolute by the caller (it knows the module).
            Stmt::ImportFrom(import) => {
                for alias in &import.names {
                    let module = import.module.as_ref().map_or("", |m| m.id.as_str());
                    let dots = ".".repeat(import.level as usize);
                    if alias.name.id.as_str() == "*" {
                        self.star_imports.push(format!("{dots}{module}"));
                        // Stripe's modules bind known names (`Session`), here, in order: an
                        // import of `Session` before it is overridden, one after it wins,
                        // and a fallback (`except ImportError: Session = None`) is one more
                        // binding. Which names a project module binds is not known yet.
                        if import.level == 0 {
                            for name in shapes().python.names_under(module) {
                                if !name.starts_with('_') {
                                    let qualname = format!("{module}.{name}");
                                    self.define(name, Def::Import { qualname, offset });
                                }
                            }
                        }
                        continue;
                    }
                    let bound = alias.asname.as_ref().unwrap_or(&alias.name).id.as_str();
                    let qualname = if module.is_empty() {
                        format!("{dots}{}", alias.name.id)
                    } else {
                        format!("{dots}{module}.{}", alias.name.id)
                    };
                    self.define(bound, Def::Import { qualname, offset });
                }
            }
            Stmt::Assign(assign) => {
                for target in &assign.targets {
                    self.collect_target(target, Some(&assign.value), offset);
                    self.note_stored(target, &assign.value, offset);
                }
                self.collect_expr_uses(&assign.value);
            }
            Stmt::AnnAssign(assign) => {
                if let Some(value) = &assign.value {
                    self.collect_target(&assign.target, Some(value), offset);
                    self.note_stored(&assign.target, value, offset);
                    self.collect_expr_uses(value);
                }
            }
            Stmt::AugAssign(aug) => {
                if let Expr::Name(name) = aug.target.as_ref() {
                    if matches!(aug.op, ast::Operator::BitOr) {
                        self.mutate(
                            name.id.as_str(),
                            Mutation::MergeWith {
                                other: &aug.value,
                                offset,
                            },
                        );
                    } else {
                        self.define(
                            name.id.as_str(),
                            Def::Other {
                                offset,
                                what: "an augmented assignment",
                            },
                        );
                    }
                }
            }
            Stmt::For(f) => {
                self.collect_target(&f.target, None, offset);
                self.collect_nested(&f.body);
                self.collect_nested(&f.orelse);
            }
            Stmt::While(w) => {
                self.collect_nested(&w.body);
                self.collect_nested(&w.orelse);
            }
            Stmt::If(i) => {
                self.collect_expr_uses(&i.test);
                self.collect_nested(&i.body);
                for clause in &i.elif_else_clauses {
                    self.collect_nested(&clause.body);
                }
            }
            Stmt::With(w) => {
                for item in &w.items {
                    if let Some(var) = &item.optional_vars {
                        self.collect_target(var, Some(&item.context_expr), offset);
                    }
                }
                self.collect_nested(&w.body);
            }
            Stmt::Try(t) => {
                self.collect_nested(&t.body);
                for handler in &t.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = handler;
                    if let Some(name) = &h.name {
                        self.define(
                            name.id.as_str(),
                            Def::Other {
                                offset,
                                what: "an `except ... as` clause",
                            },
                        );
                    }
                    self.collect_nested(&h.body);
                }
                self.collect_nested(&t.orelse);
                self.collect_nested(&t.finalbody);
            }
            Stmt::Match(m) => {
                for case in &m.cases {
                    self.collect_nested(&case.body);
                }
            }
            Stmt::Expr(e) => self.collect_expr_uses(&e.value),
            Stmt::Delete(d) => {
                for target in &d.targets {
                    if let Expr::Subscript(sub) = target {
                        if let Expr::Name(name) = sub.value.as_ref() {
                            let mutation = match sub.slice.as_ref() {
                                Expr::StringLiteral(key) => Mutation::Remove {
                                    key: Some(key.value.to_str().to_string()),
                                    offset,
                                },
                                _ => Mutation::Opaque {
                                    offset,
                                    what: changed(&name.id, Change::ItemDeleted),
                                },
                            };
                            self.mutate(name.id.as_str(), mutation);
                        }
                    }
                }
            }
            Stmt::Return(r) => {
                if let Some(v) = &r.value {
                    self.collect_expr_uses(v);
                }
            }
            _ => {}
        }
    }

    /// `obj.attr = name`, `items[k] = name`: the value held by `name` is reachable from
    /// elsewhere afterwards, so anything may change it.
    fn note_stored(&mut self, target: &'a Expr, value: &'a Expr, offset: usize) {
        let Expr::Name(name) = value else {
            return;
        };
        let place = match target {
            Expr::Attribute(attr) => {
                format!("`{}.{}`", super::uses::dotted(&attr.value), attr.attr.id)
            }
            Expr::Subscript(item) => format!("an item of `{}`", super::uses::dotted(&item.value)),
            _ => return,
        };
        let what = changed(&name.id, Change::Stored { place });
        self.mutate(name.id.as_str(), Mutation::Opaque { offset, what });
    }

    fn collect_target(&mut self, target: &'a Expr, value: Option<&'a Expr>, offset: usize) {
        match target {
            Expr::Name(name) => match value {
                Some(value) => self.define(name.id.as_str(), Def::Assign { value, offset }),
                None => self.define(
                    name.id.as_str(),
                    Def::Other {
                        offset,
                        what: "a loop variable",
                    },
                ),
            },
            Expr::Attribute(attr) if self.kind == super::ScopeKind::Module => {
                if let (Expr::Name(object), Some(value)) = (attr.value.as_ref(), value) {
                    self.attribute_assignments.push((
                        object.id.as_str(),
                        attr.attr.id.as_str(),
                        value,
                        offset,
                    ));
                }
            }
            Expr::Subscript(sub) => {
                if let Expr::Name(name) = sub.value.as_ref() {
                    let mutation = match (sub.slice.as_ref(), value) {
                        (Expr::StringLiteral(key), Some(value)) => Mutation::SetItem {
                            key: key.value.to_str().to_string(),
                            value,
                            offset,
                        },
                        _ => Mutation::Opaque {
                            offset,
                            what: changed(&name.id, Change::ComputedKeySet),
                        },
                    };
                    self.mutate(name.id.as_str(), mutation);
                }
            }
            Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
                // `a, b = x, y` binds each name to its own value; other unpacking is opaque.
                let values = match value {
                    Some(Expr::Tuple(ast::ExprTuple { elts: values, .. }))
                    | Some(Expr::List(ast::ExprList { elts: values, .. }))
                        if values.len() == elts.len()
                            && !elts.iter().chain(values).any(Expr::is_starred_expr) =>
                    {
                        Some(values)
                    }
                    _ => None,
                };
                for (index, elt) in elts.iter().enumerate() {
                    self.collect_target(elt, values.map(|v| &v[index]), offset);
                }
            }
            Expr::Starred(s) => self.collect_target(&s.value, None, offset),
            _ => {}
        }
    }
}

/// The attributes `body` (a method's) assigns on `receiver` (`self.ttl = ..`), anywhere in
/// its statements.
pub(super) fn instance_assignments<'a>(body: &'a [Stmt], receiver: &str, out: &mut Vec<&'a str>) {
    let mut bodies: Vec<&'a [Stmt]> = vec![body];
    while let Some(body) = bodies.pop() {
        for stmt in body {
            match stmt {
                Stmt::Assign(assign) => {
                    for target in &assign.targets {
                        match target {
                            Expr::Tuple(t) => t.elts.iter().for_each(|e| note(e, receiver, out)),
                            Expr::List(l) => l.elts.iter().for_each(|e| note(e, receiver, out)),
                            other => note(other, receiver, out),
                        }
                    }
                }
                Stmt::AnnAssign(assign) => note(&assign.target, receiver, out),
                Stmt::AugAssign(aug) => note(&aug.target, receiver, out),
                Stmt::If(i) => {
                    bodies.push(&i.body);
                    bodies.extend(i.elif_else_clauses.iter().map(|c| c.body.as_slice()));
                }
                Stmt::For(f) => bodies.extend([f.body.as_slice(), &f.orelse]),
                Stmt::While(w) => bodies.extend([w.body.as_slice(), &w.orelse]),
                Stmt::With(w) => bodies.push(&w.body),
                Stmt::Try(t) => {
                    bodies.extend([t.body.as_slice(), &t.orelse, &t.finalbody]);
                    for handler in &t.handlers {
                        let ast::ExceptHandler::ExceptHandler(h) = handler;
                        bodies.push(&h.body);
                    }
                }
                Stmt::Match(m) => bodies.extend(m.cases.iter().map(|c| c.body.as_slice())),
                _ => {}
            }
        }
    }
}

/// `receiver.attr` as an assignment target: `attr` is assigned on the instance.
fn note<'a>(target: &'a Expr, receiver: &str, out: &mut Vec<&'a str>) {
    if let Expr::Attribute(attr) = target {
        if matches!(attr.value.as_ref(), Expr::Name(n) if n.id.as_str() == receiver) {
            out.push(attr.attr.id.as_str());
        }
    }
}
