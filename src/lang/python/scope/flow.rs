//! A Python body lowered into `flow::Step`s, the scope's bindings and mapping changes in
//! source order as the events a flow domain applies, and the definitions of a name that
//! reach a point of the body (the last one on each path, not every one written before).
//!
//! Knows Python statements; the walk itself is `crate::flow`'s.

use ruff_python_ast::{self as ast, Expr, Pattern, Stmt};
use ruff_text_size::{Ranged, TextRange};

use super::{Def, Mutation, Scope};
use crate::flow::{self, Domain, Span, Step};

/// What happens to a name at one offset of the scope.
#[derive(Clone, Copy, Debug)]
pub enum Event<'s, 'a> {
    Def(&'s Def<'a>),
    Mutation(&'s Mutation<'a>),
}

/// One event of the scope, in source order.
#[derive(Clone, Copy, Debug)]
pub struct Located<'s, 'a> {
    pub offset: usize,
    pub name: &'a str,
    /// The position of the definition among the name's (`Scope::defs`), for a `Def`.
    pub index: usize,
    pub event: Event<'s, 'a>,
}

impl<'a> Scope<'a> {
    /// The scope's body as flow steps, lowered the first time it is asked for.
    pub fn steps(&self) -> &[Step] {
        self.steps.get_or_init(|| lower_body(self.body))
    }

    /// Every binding and mapping change of the scope, by offset.
    pub fn events(&self) -> Vec<Located<'_, 'a>> {
        let mut events = Vec::new();
        for (name, defs) in &self.defs {
            for (index, def) in defs.iter().enumerate() {
                events.push(Located {
                    offset: def.offset(),
                    name,
                    index,
                    event: Event::Def(def),
                });
            }
        }
        for (name, mutations) in &self.mutations {
            for (index, mutation) in mutations.iter().enumerate() {
                events.push(Located {
                    offset: mutation.offset(),
                    name,
                    index,
                    event: Event::Mutation(mutation),
                });
            }
        }
        // Collection order within one offset: a definition before the changes its value's
        // expression makes, a name's events in the order they were collected.
        events.sort_by_key(|e| (e.offset, matches!(e.event, Event::Mutation(_)), e.index));
        events
    }

    /// The definitions of `name` (positions in `defs[name]`) that reach offset `at` of this
    /// scope's body: on each path, the last one made. `None` when the body's flow cannot
    /// place `at`, or no definition reaches it on any path.
    pub fn reaching_defs(&self, name: &str, at: usize) -> Option<Vec<usize>> {
        let defs = self.defs.get(name)?;
        let domain = ReachingDefs {
            defs,
            walrus: &self.walrus,
        };
        let reaching = flow::state_at(&domain, self.steps(), Vec::new(), at)?;
        (!reaching.is_empty()).then_some(reaching)
    }
}

/// The definitions of one name that may be its value: a definition replaces them all, but
/// a walrus may not run (`flag and (x := ..)`) and only adds itself.
struct ReachingDefs<'s, 'a> {
    defs: &'s [Def<'a>],
    walrus: &'s [usize],
}

impl Domain for ReachingDefs<'_, '_> {
    type State = Vec<usize>;

    fn apply(&self, state: &mut Vec<usize>, span: Span) {
        for (index, def) in self.defs.iter().enumerate() {
            if span.start <= def.offset() && def.offset() < span.end {
                if !self.walrus.contains(&def.offset()) {
                    state.clear();
                }
                if !state.contains(&index) {
                    state.push(index);
                    state.sort_unstable();
                }
            }
        }
    }

    fn join(&self, mut a: Vec<usize>, b: Vec<usize>) -> Vec<usize> {
        for index in b {
            if !a.contains(&index) {
                a.push(index);
            }
        }
        a.sort_unstable();
        a
    }
}

fn span(range: TextRange) -> Span {
    Span::new(range.start().to_usize(), range.end().to_usize())
}

/// From a compound statement's start to its first body's.
fn header(stmt: &Stmt, body: &[Stmt]) -> Span {
    let end = body
        .first()
        .map_or(stmt.end(), |first| first.start())
        .to_usize();
    Span::new(stmt.start().to_usize(), end)
}

pub fn lower_body(body: &[Stmt]) -> Vec<Step> {
    body.iter().map(lower_stmt).collect()
}

fn lower_stmt(stmt: &Stmt) -> Step {
    let whole = span(stmt.range());
    match stmt {
        Stmt::Return(_) | Stmt::Raise(_) => Step::Exit(whole),
        Stmt::Break(_) => Step::Break(whole),
        Stmt::Continue(_) => Step::Continue(whole),
        Stmt::If(ast::StmtIf {
            body,
            elif_else_clauses,
            ..
        }) => {
            let mut arms = vec![lower_body(body)];
            arms.extend(elif_else_clauses.iter().map(|c| lower_body(&c.body)));
            Step::Branch {
                span: whole,
                header: header(stmt, body),
                arms,
                exhaustive: elif_else_clauses.last().is_some_and(|c| c.test.is_none()),
            }
        }
        Stmt::Match(ast::StmtMatch { cases, .. }) => {
            let end = cases.first().map_or(stmt.end(), |c| c.start()).to_usize();
            Step::Branch {
                span: whole,
                header: Span::new(whole.start, end),
                arms: cases.iter().map(|c| lower_body(&c.body)).collect(),
                exhaustive: cases.last().is_some_and(|c| {
                    c.guard.is_none()
                        && matches!(&c.pattern, Pattern::MatchAs(p) if p.pattern.is_none())
                }),
            }
        }
        Stmt::For(ast::StmtFor { body, orelse, .. }) => Step::Loop {
            span: whole,
            header: header(stmt, body),
            body: lower_body(body),
            orelse: lower_body(orelse),
            endless: false,
        },
        Stmt::While(ast::StmtWhile {
            test, body, orelse, ..
        }) => Step::Loop {
            span: whole,
            header: header(stmt, body),
            body: lower_body(body),
            orelse: lower_body(orelse),
            endless: is_always_true(test),
        },
        Stmt::Try(ast::StmtTry {
            body,
            handlers,
            orelse,
            finalbody,
            ..
        }) => Step::Try {
            span: whole,
            header: header(stmt, body),
            body: lower_body(body),
            handlers: handlers
                .iter()
                .map(|h| {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    lower_body(&h.body)
                })
                .collect(),
            orelse: lower_body(orelse),
            finally: lower_body(finalbody),
        },
        // `with suppress(..)`: the body may stop anywhere and the code after it run.
        Stmt::With(ast::StmtWith { body, items, .. }) if items.iter().any(may_swallow) => {
            Step::Try {
                span: whole,
                header: header(stmt, body),
                body: lower_body(body),
                handlers: vec![Vec::new()],
                orelse: Vec::new(),
                finally: Vec::new(),
            }
        }
        Stmt::With(ast::StmtWith { body, .. }) => Step::Block {
            span: whole,
            header: header(stmt, body),
            body: lower_body(body),
        },
        _ => Step::Plain(whole),
    }
}

/// A context manager that swallows exceptions (`contextlib.suppress(..)`).
fn may_swallow(item: &ast::WithItem) -> bool {
    let Expr::Call(call) = &item.context_expr else {
        return false;
    };
    match call.func.as_ref() {
        Expr::Name(name) => name.id.as_str() == "suppress",
        Expr::Attribute(attr) => attr.attr.id.as_str() == "suppress",
        _ => false,
    }
}

/// `while True:` / `while 1:`, which only `break` (or leaving the body) ends.
fn is_always_true(test: &Expr) -> bool {
    match test {
        Expr::BooleanLiteral(b) => b.value,
        Expr::NumberLiteral(n) => matches!(&n.value, ast::Number::Int(i) if i.as_u8() == Some(1)),
        _ => false,
    }
}
