//! Summaries of module-level functions as helpers (`ModuleSummary::functions`): what they
//! return, and what a returned mapping says about the expiry parameter.
//!
//! Knows Python control flow (returns, fall-through); the values stay terms for `analysis`
//! to judge.

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

use super::Extractor;
use crate::facts::{FunctionSummary, MappingLookup, Term, Unseen};
use crate::lang::python::mapping::MapResult;

impl<'a, 'c> Extractor<'a, 'c> {
    pub(super) fn summarise_function(&self, func: &'a ast::StmtFunctionDef) -> FunctionSummary {
        let resolver = self.resolver();
        let params = self.scopes.last().map_or_else(Vec::new, |s| {
            s.params.iter().map(|(n, _)| n.clone()).collect()
        });
        let mut returns = Vec::new();
        collect_returns(&func.body, &mut returns);
        let mut terms: Vec<Term> = returns
            .iter()
            .map(|(value, at)| resolver.lower(value, *at))
            .collect();
        if !terms.is_empty() && may_fall_through(&func.body) {
            terms.push(Term::Opaque(format!(
                "`{}` can end without a `return`, giving `None`",
                func.name.id
            )));
        }
        let mut mapping: Option<MappingLookup> = None;
        let mapping_like = !returns.is_empty()
            && returns
                .iter()
                .all(|(v, _)| matches!(v, Expr::Dict(_) | Expr::Name(_) | Expr::Call(_)));
        if mapping_like {
            for (value, at) in &returns {
                let lookup = match resolver.mapping(value, *at) {
                    MapResult::Present { term, text } => MappingLookup::Present { term, text },
                    MapResult::Absent => MappingLookup::Absent,
                    MapResult::Unknown(why) => MappingLookup::Unknown(why),
                    MapResult::Forwarded(_) | MapResult::Helper { .. } => {
                        MappingLookup::Unknown(Unseen::HelperForwards {
                            name: func.name.id.to_string(),
                        })
                    }
                };
                mapping = Some(match (mapping, lookup) {
                    (None, l) => l,
                    (Some(u @ MappingLookup::Unknown(_)), _)
                    | (Some(_), u @ MappingLookup::Unknown(_)) => u,
                    (Some(MappingLookup::Absent), _) | (Some(_), MappingLookup::Absent) => {
                        MappingLookup::Absent
                    }
                    (
                        Some(MappingLookup::Present { term: a, text }),
                        MappingLookup::Present { term: b, .. },
                    ) => MappingLookup::Present {
                        term: Term::OneOf(vec![a, b]),
                        text,
                    },
                });
            }
        }
        let at = func.start().to_usize();
        let p = &func.parameters;
        let defaults = p
            .posonlyargs
            .iter()
            .chain(&p.args)
            .chain(&p.kwonlyargs)
            .filter_map(|param| {
                let default = param.default.as_deref()?;
                let name = param.parameter.name.id.as_str();
                if self
                    .scopes
                    .last()
                    .is_some_and(|s| s.defs.contains_key(name))
                {
                    return None;
                }
                Some((
                    param.parameter.name.id.to_string(),
                    resolver.lower(default, at),
                ))
            })
            .collect();
        FunctionSummary {
            params,
            defaults,
            returns: terms,
            returned_expires_at: mapping,
        }
    }
}

/// `return` values of a function body, not entering nested functions or classes.
fn collect_returns<'a>(body: &'a [Stmt], out: &mut Vec<(&'a Expr, usize)>) {
    for stmt in body {
        match stmt {
            Stmt::Return(r) => {
                if let Some(value) = &r.value {
                    out.push((value, r.start().to_usize()));
                }
            }
            Stmt::If(i) => {
                collect_returns(&i.body, out);
                for clause in &i.elif_else_clauses {
                    collect_returns(&clause.body, out);
                }
            }
            Stmt::For(f) => {
                collect_returns(&f.body, out);
                collect_returns(&f.orelse, out);
            }
            Stmt::While(w) => {
                collect_returns(&w.body, out);
                collect_returns(&w.orelse, out);
            }
            Stmt::With(w) => collect_returns(&w.body, out),
            Stmt::Try(t) => {
                collect_returns(&t.body, out);
                for handler in &t.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = handler;
                    collect_returns(&h.body, out);
                }
                collect_returns(&t.orelse, out);
                collect_returns(&t.finalbody, out);
            }
            Stmt::Match(m) => {
                for case in &m.cases {
                    collect_returns(&case.body, out);
                }
            }
            _ => {}
        }
    }
}

/// True when control can reach the end of the body (an implicit `return None`).
fn may_fall_through(body: &[Stmt]) -> bool {
    match body.last() {
        Some(Stmt::Return(_) | Stmt::Raise(_)) => false,
        Some(Stmt::If(i)) => {
            let has_else = i.elif_else_clauses.last().is_some_and(|c| c.test.is_none());
            !has_else
                || may_fall_through(&i.body)
                || i.elif_else_clauses
                    .iter()
                    .any(|c| may_fall_through(&c.body))
        }
        Some(Stmt::Try(t)) => may_fall_through(&t.body) && may_fall_through(&t.orelse),
        Some(Stmt::With(w)) => may_fall_through(&w.body),
        _ => true,
    }
}
