//! Lowering of Python value expressions into language-neutral `Term`s (numbers, strings,
//! names, attributes, calls, arithmetic), following local names to their definitions.
//!
//! Everything here is local to the file; references to other modules stay symbolic
//! (`Term::Symbol`, `Term::Module`) for `analysis::` to follow, which judges them.

use std::collections::HashSet;

use ruff_python_ast::{self as ast, Expr, Number};

use super::resolve::{Lookup, Resolver, MAX_DEPTH};
use super::scope::{Def, ScopeKind};
use crate::facts::{BinaryOp, Language, ModuleSet, SymbolRef, Term};

impl<'s, 'a> Resolver<'s, 'a> {
    /// Lowers a value expression into a `Term`.
    pub fn lower(&self, expr: &Expr, at: usize) -> Term {
        let mut seen = HashSet::new();
        self.lower_depth(expr, at, 0, &mut seen)
    }

    fn lower_depth(
        &self,
        expr: &Expr,
        at: usize,
        depth: usize,
        seen: &mut HashSet<(String, usize)>,
    ) -> Term {
        if depth > MAX_DEPTH {
            return Term::Opaque(format!(
                "`{}` is nested too deeply to follow",
                self.text(expr)
            ));
        }
        let next = depth + 1;
        match expr {
            Expr::NumberLiteral(n) => match &n.value {
                Number::Int(i) => i
                    .as_i64()
                    .map(|v| Term::Int(v as i128))
                    .unwrap_or_else(|| Term::Opaque("an integer too large to fold".into())),
                Number::Float(_) => Term::Float,
                Number::Complex { .. } => Term::Opaque("a complex number".into()),
            },
            Expr::StringLiteral(s) => Term::Str(s.value.to_str().to_string()),
            Expr::Name(name) => self.lower_name(name, at, next, seen),
            Expr::Attribute(attr) => {
                let receiver = self.lower_depth(&attr.value, at, next, seen);
                attribute(receiver, attr.attr.id.as_str(), self.project_modules)
            }
            Expr::Call(call) => {
                let callee = self.lower_depth(&call.func, at, next, seen);
                let args = call
                    .arguments
                    .args
                    .iter()
                    .map(|a| match a {
                        Expr::Starred(_) => Term::Opaque("a `*args` argument".into()),
                        a => self.lower_depth(a, at, next, seen),
                    })
                    .collect();
                let mut kwargs = Vec::new();
                for kw in call.arguments.keywords.iter() {
                    let value = self.lower_depth(&kw.value, at, next, seen);
                    match &kw.arg {
                        Some(arg) => kwargs.push((arg.id.to_string(), value)),
                        None => {
                            kwargs.push(("**".into(), Term::Opaque("a `**kwargs` argument".into())))
                        }
                    }
                }
                match callee {
                    Term::Attr { receiver, attr } => Term::Method {
                        receiver,
                        method: attr,
                        args,
                        kwargs,
                    },
                    callee => Term::Call {
                        callee: Box::new(callee),
                        args,
                        kwargs,
                    },
                }
            }
            Expr::BinOp(b) => {
                let op = match b.op {
                    ast::Operator::Add => BinaryOp::Add,
                    ast::Operator::Sub => BinaryOp::Sub,
                    ast::Operator::Mult => BinaryOp::Mul,
                    ast::Operator::Div => BinaryOp::Div,
                    ast::Operator::FloorDiv => BinaryOp::FloorDiv,
                    _ => BinaryOp::Other,
                };
                Term::Binary {
                    op,
                    left: Box::new(self.lower_depth(&b.left, at, next, seen)),
                    right: Box::new(self.lower_depth(&b.right, at, next, seen)),
                }
            }
            Expr::UnaryOp(u) => {
                let inner = self.lower_depth(&u.operand, at, next, seen);
                match u.op {
                    ast::UnaryOp::USub => Term::Neg(Box::new(inner)),
                    ast::UnaryOp::UAdd => inner,
                    _ => Term::Opaque(format!("`{}`", self.text(expr))),
                }
            }
            Expr::If(i) => Term::OneOf(vec![
                self.lower_depth(&i.body, at, next, seen),
                self.lower_depth(&i.orelse, at, next, seen),
            ]),
            Expr::BoolOp(b) => Term::OneOf(
                b.values
                    .iter()
                    .map(|v| self.lower_depth(v, at, next, seen))
                    .collect(),
            ),
            Expr::Await(a) => self.lower_depth(&a.value, at, next, seen),
            Expr::Named(n) => self.lower_depth(&n.value, at, next, seen),
            _ => Term::Opaque(format!("`{}`", self.text(expr))),
        }
    }

    /// A name no scope binds: from a project module the file star-imports, or an outside
    /// name (a builtin).
    fn star_imported(&self, id: &str) -> Term {
        let modules: Vec<String> = self
            .scopes
            .first()
            .map(|module| module.star_imports.as_slice())
            .unwrap_or_default()
            .iter()
            .map(|m| self.absolute(m))
            .filter(|m| self.project_modules.contains(m))
            .collect();
        if modules.is_empty() {
            return Term::External(id.to_string());
        }
        Term::StarImported {
            name: id.to_string(),
            modules,
            language: crate::facts::Language::Python,
        }
    }

    fn lower_name(
        &self,
        name: &ast::ExprName,
        at: usize,
        depth: usize,
        seen: &mut HashSet<(String, usize)>,
    ) -> Term {
        let id = name.id.as_str();
        match self.lookup(id, at) {
            // A parameter the function rebinds (`if long: ttl = ..`, `ttl *= 1000`) is not
            // what the caller passed everywhere.
            Lookup::Param(_, true)
                if self
                    .scopes
                    .last()
                    .is_some_and(|scope| scope.defs.contains_key(id)) =>
            {
                Term::Opaque(format!("the parameter `{id}`, which the function rebinds"))
            }
            Lookup::Param(..) => Term::Param(id.to_string()),
            Lookup::Unbound => self.star_imported(id),
            Lookup::Defs(defs, kind, index) => {
                if kind == ScopeKind::Module {
                    // Module-level names stay symbolic so the project index can tell the
                    // shared constant from a shadow of it; an import the name surely
                    // holds is the imported name.
                    return match self.bindings_held(&defs, index) {
                        [Def::Import { qualname, .. }] => self.import_term(qualname),
                        _ => Term::Symbol(SymbolRef {
                            language: Language::Python,
                            module: self.module.to_string(),
                            name: id.to_string(),
                        }),
                    };
                }
                let mut terms = Vec::new();
                for def in defs {
                    let key = (id.to_string(), def.offset());
                    if !seen.insert(key.clone()) {
                        terms.push(Term::Opaque(format!(
                            "`{id}` is defined in terms of itself"
                        )));
                        continue;
                    }
                    let term = match def {
                        Def::Import { qualname, .. } => self.import_term(qualname),
                        Def::Assign { value, offset } => {
                            self.lower_depth(value, *offset, depth, seen)
                        }
                        Def::Function { .. } => Term::Opaque(format!("`{id}` is a local function")),
                        Def::Class { .. } => Term::Opaque(format!("`{id}` is a local class")),
                        Def::Other { what, .. } => {
                            Term::Opaque(format!("`{id}` is bound by {what}"))
                        }
                    };
                    seen.remove(&key);
                    terms.push(term);
                }
                if terms.len() == 1 {
                    terms.pop().unwrap_or_else(|| Term::Opaque(String::new()))
                } else {
                    Term::OneOf(terms)
                }
            }
        }
    }
}

/// Attribute access on a lowered term.
pub fn attribute(receiver: Term, attr: &str, project_modules: &dyn ModuleSet) -> Term {
    match receiver {
        Term::External(q) => Term::External(format!("{q}.{attr}")),
        Term::Module(m) => {
            let sub = format!("{m}.{attr}");
            if project_modules.contains(&sub) {
                Term::Module(sub)
            } else {
                Term::Symbol(SymbolRef {
                    language: Language::Python,
                    module: m,
                    name: attr.to_string(),
                })
            }
        }
        receiver => Term::Attr {
            receiver: Box::new(receiver),
            attr: attr.to_string(),
        },
    }
}
