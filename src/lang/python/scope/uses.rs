//! What a scope's expressions may do to mappings held in names: update them, remove items,
//! or hand them to a function that may add keys (unless it only reads them, like `print`);
//! and the names walrus expressions bind.
//!
//! Knows Python expressions; nothing here knows which key matters.

use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::Ranged;

use super::{changed, Def, Mutation, Scope, ScopeKind};
use crate::facts::Change;

impl<'a> Scope<'a> {
    /// Records method calls on names (`m.update(...)`) and names handed to other functions,
    /// which may add keys to a mapping behind our back. Walrus targets are definitions.
    pub(super) fn collect_expr_uses(&mut self, expr: &'a Expr) {
        let mut stack = vec![expr];
        while let Some(expr) = stack.pop() {
            match expr {
                Expr::Call(call) => {
                    let offset = call.start().to_usize();
                    if let Expr::Attribute(attr) = call.func.as_ref() {
                        if let Expr::Name(name) = attr.value.as_ref() {
                            match attr.attr.id.as_str() {
                                "setdefault" => {
                                    let args = &call.arguments.args;
                                    let mutation = match (args.first(), args.get(1)) {
                                        (Some(Expr::StringLiteral(key)), Some(value)) => {
                                            Mutation::SetDefault {
                                                key: key.value.to_str().to_string(),
                                                value,
                                                offset,
                                            }
                                        }
                                        _ => Mutation::Opaque {
                                            offset,
                                            what: changed(&name.id, Change::ComputedKeySet),
                                        },
                                    };
                                    self.mutate(name.id.as_str(), mutation);
                                }
                                "update" => self.mutate(
                                    name.id.as_str(),
                                    Mutation::Update {
                                        args: &call.arguments,
                                        offset,
                                    },
                                ),
                                "pop" | "popitem" | "clear" => {
                                    let args = &call.arguments.args;
                                    let mutation = match (attr.attr.id.as_str(), args.first()) {
                                        ("pop", Some(Expr::StringLiteral(key))) => {
                                            Mutation::Remove {
                                                key: Some(key.value.to_str().to_string()),
                                                offset,
                                            }
                                        }
                                        ("clear", None) => Mutation::Remove { key: None, offset },
                                        _ => Mutation::Opaque {
                                            offset,
                                            what: changed(&name.id, Change::ItemsRemoved),
                                        },
                                    };
                                    self.mutate(name.id.as_str(), mutation);
                                }
                                // A form given as pairs grows by one, or by many.
                                "append" | "insert" => {
                                    let args = &call.arguments.args;
                                    let pair = if attr.attr.id.as_str() == "append" {
                                        args.first()
                                    } else {
                                        args.get(1)
                                    };
                                    let mutation = match pair {
                                        Some(pair) => Mutation::Append { pair, offset },
                                        None => Mutation::Opaque {
                                            offset,
                                            what: changed(&name.id, Change::GrownByCall),
                                        },
                                    };
                                    self.mutate(name.id.as_str(), mutation);
                                }
                                "extend" => {
                                    let mutation = match call.arguments.args.first() {
                                        Some(other) => Mutation::MergeWith { other, offset },
                                        None => Mutation::Opaque {
                                            offset,
                                            what: changed(&name.id, Change::GrownByCall),
                                        },
                                    };
                                    self.mutate(name.id.as_str(), mutation);
                                }
                                "get" | "items" | "keys" | "values" | "copy" => {}
                                _ => {}
                            }
                        }
                    }
                    // `f(**m)` copies the mapping; only `f(m)` / `f(key=m)` hand it over.
                    let keyword_values = call
                        .arguments
                        .keywords
                        .iter()
                        .filter(|k| k.arg.is_some())
                        .map(|k| &k.value);
                    let handed_over: Vec<&ast::ExprName> = call
                        .arguments
                        .args
                        .iter()
                        .chain(keyword_values)
                        .filter_map(|arg| arg.as_name_expr())
                        .collect();
                    // The callee's text is only needed when a name is handed over: most calls
                    // hand over none, and this runs for every call of every candidate file.
                    if !handed_over.is_empty() {
                        let callee = callee_text(&call.func);
                        if !is_pure_consumer(&callee) {
                            for name in handed_over {
                                self.mutate(
                                    name.id.as_str(),
                                    Mutation::Opaque {
                                        offset,
                                        what: changed(
                                            &name.id,
                                            Change::PassedTo {
                                                callee: callee.clone(),
                                            },
                                        ),
                                    },
                                );
                            }
                        }
                    }
                    stack.push(&call.func);
                    stack.extend(call.arguments.args.iter());
                    stack.extend(call.arguments.keywords.iter().map(|k| &k.value));
                }
                Expr::Named(named) => {
                    self.walrus.push(named.start().to_usize());
                    if let Expr::Name(name) = named.target.as_ref() {
                        self.define(
                            name.id.as_str(),
                            Def::Assign {
                                value: &named.value,
                                offset: named.start().to_usize(),
                            },
                        );
                    }
                    stack.push(&named.value);
                }
                Expr::Lambda(lambda) if self.kind == ScopeKind::Function => {
                    let mut inner = Scope::lambda(lambda, String::new());
                    inner.collect_expr_uses(&lambda.body);
                    self.capture_changes(&inner, lambda.start().to_usize(), None);
                }
                Expr::Await(a) => stack.push(&a.value),
                Expr::Attribute(a) => stack.push(&a.value),
                Expr::BinOp(b) => {
                    stack.push(&b.left);
                    stack.push(&b.right);
                }
                Expr::If(i) => {
                    stack.push(&i.test);
                    stack.push(&i.body);
                    stack.push(&i.orelse);
                }
                Expr::BoolOp(b) => stack.extend(b.values.iter()),
                Expr::Compare(c) => {
                    stack.push(&c.left);
                    stack.extend(c.comparators.iter());
                }
                Expr::Tuple(t) => self.note_elements(&t.elts, "a tuple", &mut stack),
                Expr::List(l) => self.note_elements(&l.elts, "a list", &mut stack),
                Expr::Set(s) => self.note_elements(&s.elts, "a set", &mut stack),
                Expr::Dict(d) => {
                    for item in &d.items {
                        match item.key {
                            // `{**m}` copies the mapping's items.
                            None => stack.push(&item.value),
                            Some(_) => {
                                let value = std::slice::from_ref(&item.value);
                                self.note_elements(value, "a dict", &mut stack);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

impl<'a> Scope<'a> {
    /// A container literal's elements: a name among them is stored where other code may
    /// change what it holds; the others are walked.
    fn note_elements(&mut self, elements: &'a [Expr], container: &str, stack: &mut Vec<&'a Expr>) {
        for element in elements {
            match element {
                Expr::Name(name) => {
                    let place = container.to_string();
                    let what = changed(&name.id, Change::Stored { place });
                    let offset = name.start().to_usize();
                    self.mutate(name.id.as_str(), Mutation::Opaque { offset, what });
                }
                other => stack.push(other),
            }
        }
    }
}

/// The dotted text of an expression (`self.cache`), or `<expr>` for anything else.
pub(super) fn dotted(expr: &Expr) -> String {
    match expr {
        Expr::Name(n) => n.id.to_string(),
        Expr::Attribute(a) => format!("{}.{}", dotted(&a.value), a.attr.id),
        _ => "<expr>".into(),
    }
}

/// Functions whose receiving a mapping cannot add `expires_at` to it.
const PURE_CONSUMERS: &[&str] = &[
    "print",
    "len",
    "repr",
    "str",
    "dict",
    "list",
    "sorted",
    "json.dumps",
    "debug",
    "info",
    "warning",
    "error",
    "exception",
    "critical",
    "log",
];

/// `print`, `json.dumps`, or any of them reached through a dotted prefix (`x.print`).
fn is_pure_consumer(callee: &str) -> bool {
    PURE_CONSUMERS.iter().any(|p| {
        callee == *p
            || callee
                .strip_suffix(p)
                .is_some_and(|prefix| prefix.ends_with('.'))
    })
}

/// The dotted text of a callee (`logger.info`), or `<call>` for anything else.
fn callee_text(expr: &Expr) -> String {
    match expr {
        Expr::Name(n) => n.id.to_string(),
        Expr::Attribute(a) => format!("{}.{}", callee_text(&a.value), a.attr.id),
        _ => "<call>".into(),
    }
}
