//! Mappings built by comprehensions over readable pairs: `{k: v for k, v in pairs}`,
//! `{k: str(v) for k, v in base.items() if v is not None}`, `dict((k, v) for k, v in ..)`,
//! `[(k, v) for k, v in ..]`. Every key must still be read: the source of the pairs is read
//! as a mapping (`mapping`), and a comprehension that rewrites a key, or filters on anything
//! but the value being present, is unknown (CL007).
//!
//! Knows Python syntax; which key matters is `mapping`'s (from `shapes`).

use ruff_python_ast::{self as ast, Expr};

use super::MapResult;
use crate::facts::{ComprehensionGap, Term, Unseen};
use crate::lang::python::resolve::Resolver;

/// A comprehension's shape: the key and value it makes of each pair, and its one generator.
pub struct Comprehension<'e> {
    pub key: &'e Expr,
    pub value: &'e Expr,
    pub generators: &'e [ast::Comprehension],
}

impl<'e> Comprehension<'e> {
    /// `{k: v for ..}` (`None` for a `{**m for ..}` unpacking).
    pub fn of_dict(comp: &'e ast::ExprDictComp) -> Option<Self> {
        Some(Comprehension {
            key: comp.key.as_deref()?,
            value: &comp.value,
            generators: &comp.generators,
        })
    }

    /// `((k, v) for ..)` / `[(k, v) for ..]`: pairs; `None` for any other element.
    pub fn of_pairs(elt: &'e Expr, generators: &'e [ast::Comprehension]) -> Option<Self> {
        match elt {
            Expr::Tuple(t) if t.elts.len() == 2 => Some(Comprehension {
                key: &t.elts[0],
                value: &t.elts[1],
                generators,
            }),
            _ => None,
        }
    }
}

impl Resolver<'_, '_> {
    /// What a comprehension's mapping says about the expiry parameter.
    pub(super) fn comprehension(
        &self,
        comp: Comprehension,
        at: usize,
        depth: usize,
        read: impl Fn(&Expr, usize) -> MapResult,
    ) -> MapResult {
        let unknown = |gap: ComprehensionGap| {
            MapResult::Unknown(Unseen::Comprehension {
                over: comp
                    .generators
                    .first()
                    .map(|first| self.excerpt(&first.iter)),
                gap,
            })
        };
        let [generator] = comp.generators else {
            return unknown(ComprehensionGap::SeveralFors);
        };
        if generator.is_async {
            return unknown(ComprehensionGap::Asynchronous);
        }
        let Some((key, value)) = pair_target(&generator.target) else {
            return unknown(ComprehensionGap::NotPairs);
        };
        if name_of(comp.key) != Some(key) {
            return unknown(ComprehensionGap::ComputedKey {
                excerpt: self.excerpt(comp.key),
            });
        }
        // The pairs it reads: a mapping's `.items()`, or pairs (a list, a name).
        let source = match &generator.iter {
            Expr::Call(call)
                if call.arguments.is_empty()
                    && matches!(call.func.as_ref(), Expr::Attribute(a) if a.attr.id.as_str() == "items") =>
            {
                let Expr::Attribute(a) = call.func.as_ref() else {
                    unreachable!("matched above")
                };
                read(&a.value, depth + 1)
            }
            other => read(other, depth + 1),
        };
        let kept = generator.ifs.iter().all(|cond| keeps_present(cond, value));
        let identity = name_of(comp.value) == Some(value);
        match source {
            MapResult::Present { term, text } => {
                if !kept {
                    return unknown(ComprehensionGap::FilterMayDropKey);
                }
                match self.converted(comp.value, value, term, at) {
                    Some(term) => MapResult::Present { term, text },
                    None => MapResult::Present {
                        term: Term::Opaque(format!(
                            "the value is changed by the comprehension (`{}`)",
                            self.text(comp.value)
                        )),
                        text: self.text(comp.value),
                    },
                }
            }
            MapResult::Absent => MapResult::Absent,
            u @ MapResult::Unknown(_) => u,
            // Forwarded or built by a helper: only an unchanged copy still is.
            other if identity && generator.ifs.is_empty() => other,
            _ => unknown(ComprehensionGap::UnreadSource),
        }
    }

    /// The value a comprehension makes of `term`: the same (`v`), or a conversion of it
    /// (`str(v)`, `int(v)`).
    fn converted(&self, value: &Expr, name: &str, term: Term, at: usize) -> Option<Term> {
        if name_of(value) == Some(name) {
            return Some(term);
        }
        let Expr::Call(call) = value else {
            return None;
        };
        let converts =
            matches!(call.func.as_ref(), Expr::Name(f) if matches!(f.id.as_str(), "str" | "int"));
        let [arg] = &call.arguments.args[..] else {
            return None;
        };
        (converts && call.arguments.keywords.is_empty() && name_of(arg) == Some(name)).then(|| {
            Term::Call {
                callee: Box::new(self.lower(&call.func, at)),
                args: vec![term],
                kwargs: Vec::new(),
            }
        })
    }
}

/// `k, v` / `(k, v)`: the names a pair target binds.
fn pair_target(target: &Expr) -> Option<(&str, &str)> {
    let elts = match target {
        Expr::Tuple(t) => &t.elts,
        Expr::List(l) => &l.elts,
        _ => return None,
    };
    match &elts[..] {
        [k, v] => Some((name_of(k)?, name_of(v)?)),
        _ => None,
    }
}

fn name_of(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Name(n) => Some(n.id.as_str()),
        _ => None,
    }
}

/// A filter that drops a pair only when its value is missing or a constant (`if v`, `if v is
/// not None`, `if v is not None and v != ""`): a timestamp is none of these, so a key set to
/// one is kept (and any other value is judged as it is).
fn keeps_present(cond: &Expr, value: &str) -> bool {
    match cond {
        Expr::Name(n) => n.id.as_str() == value,
        Expr::BoolOp(b) if matches!(b.op, ast::BoolOp::And) => {
            b.values.iter().all(|v| keeps_present(v, value))
        }
        Expr::Compare(c) => {
            name_of(&c.left) == Some(value)
                && match (&c.ops[..], &c.comparators[..]) {
                    ([ast::CmpOp::IsNot], [Expr::NoneLiteral(_)]) => true,
                    ([ast::CmpOp::NotEq], [constant]) => matches!(
                        constant,
                        Expr::NoneLiteral(_) | Expr::StringLiteral(_) | Expr::BooleanLiteral(_)
                    ),
                    _ => false,
                }
        }
        _ => false,
    }
}
