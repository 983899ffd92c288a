//! What a mapping (`**params`, `params=`, a dict built and updated in a function) says
//! about the create's expiry parameter: present with its value, absent, unknown (and why),
//! or forwarded from the function's parameters.
//!
//! The parameter's name comes from `shapes`; the value found is lowered, not judged.

mod comprehensions;
mod flow;

use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::Ranged;

use super::resolve::{Lookup, Resolver, MAX_DEPTH};
use super::scope::{Def, Mutation, ParamKind, ScopeKind};
use crate::facts::forms::unset_on_some_path;
use crate::facts::{Change, ComprehensionGap, Forwarding, SymbolRef, Term, Unseen};
use crate::shapes::shapes;
use comprehensions::Comprehension;

/// The name of the create parameter a mapping is searched for (`expires_at`).
pub fn expires_at_param() -> &'static str {
    &shapes().expires_at_param
}

/// What a mapping says about `expires_at`.
#[derive(Clone, Debug, PartialEq)]
pub enum MapResult {
    Present {
        term: Term,
        text: String,
    },
    Absent,
    Unknown(Unseen),
    Forwarded(Forwarding),
    Helper {
        callee: SymbolRef,
        args: Vec<Term>,
        kwargs: Vec<(String, Term)>,
    },
}

impl<'s, 'a> Resolver<'s, 'a> {
    /// What the mapping expression says about its `expires_at` key.
    pub fn mapping(&self, expr: &Expr, at: usize) -> MapResult {
        self.mapping_depth(expr, at, 0)
    }

    fn mapping_depth(&self, expr: &Expr, at: usize, depth: usize) -> MapResult {
        if depth > MAX_DEPTH {
            return MapResult::Unknown(Unseen::TooDeep {
                excerpt: self.excerpt(expr),
            });
        }
        let next = depth + 1;
        match expr {
            Expr::Dict(dict) => {
                let mut state = MapResult::Absent;
                for item in &dict.items {
                    let item_result = match &item.key {
                        Some(Expr::StringLiteral(key)) => {
                            if key.value.to_str() == expires_at_param() {
                                self.present(&item.value, item.value.start().to_usize())
                            } else {
                                MapResult::Absent
                            }
                        }
                        Some(other) => MapResult::Unknown(Unseen::ComputedKey {
                            excerpt: self.excerpt(other),
                        }),
                        None => self.mapping_depth(&item.value, at, next),
                    };
                    state = merge(state, item_result);
                }
                state
            }
            Expr::Call(call) => {
                let qualname = self.qualname(&call.func, at);
                if qualname.as_deref() == Some("dict") {
                    let mut state = MapResult::Absent;
                    if let Some(first) = call.arguments.args.first() {
                        state = self.mapping_depth(first, at, next);
                    }
                    return merge(state, self.keywords(&call.arguments, at, next));
                }
                if let Term::Symbol(callee) = self.lower(&call.func, at) {
                    let args = call
                        .arguments
                        .args
                        .iter()
                        .map(|a| self.lower(a, at))
                        .collect();
                    // `**options` may pass any parameter: kept as `**`, so that no default
                    // of the helper is taken to hold.
                    let kwargs = call
                        .arguments
                        .keywords
                        .iter()
                        .map(|k| match &k.arg {
                            Some(arg) => (arg.id.to_string(), self.lower(&k.value, at)),
                            None => (
                                "**".to_string(),
                                Term::Opaque("a `**kwargs` argument".into()),
                            ),
                        })
                        .collect();
                    return MapResult::Helper {
                        callee,
                        args,
                        kwargs,
                    };
                }
                MapResult::Unknown(Unseen::Expression {
                    excerpt: self.excerpt(expr),
                })
            }
            Expr::Name(name) => self.mapping_name(name, at, next),
            Expr::NoneLiteral(_) => MapResult::Absent,
            // A form as (key, value) pairs (`data=[("mode", "payment"), ...]`).
            Expr::List(ast::ExprList { elts, .. }) | Expr::Tuple(ast::ExprTuple { elts, .. }) => {
                let mut state = MapResult::Absent;
                for element in elts {
                    let item_result = match element {
                        Expr::Starred(s) => self.mapping_depth(&s.value, at, next),
                        other => self.pair(other),
                    };
                    state = merge(state, item_result);
                }
                state
            }
            // Built from other pairs (`{k: v for k, v in pairs}`, `dict((k, v) for ..)`).
            Expr::DictComp(dict_comp) => match Comprehension::of_dict(dict_comp) {
                Some(comp) => {
                    let read = |e: &Expr, d: usize| self.mapping_depth(e, at, d);
                    self.comprehension(comp, at, depth, read)
                }
                None => MapResult::Unknown(Unseen::Comprehension {
                    over: None,
                    gap: ComprehensionGap::UnpacksMappings,
                }),
            },
            Expr::Generator(ast::ExprGenerator {
                elt, generators, ..
            })
            | Expr::ListComp(ast::ExprListComp {
                elt, generators, ..
            }) => match Comprehension::of_pairs(elt, generators) {
                Some(comp) => {
                    let read = |e: &Expr, d: usize| self.mapping_depth(e, at, d);
                    self.comprehension(comp, at, depth, read)
                }
                None => MapResult::Unknown(Unseen::NotAPair {
                    excerpt: self.excerpt(elt),
                }),
            },
            _ => MapResult::Unknown(Unseen::Expression {
                excerpt: self.excerpt(expr),
            }),
        }
    }

    /// Keyword arguments of a call, read as a mapping (`expires_at=` or `**m`).
    pub fn keywords(&self, arguments: &ast::Arguments, at: usize, depth: usize) -> MapResult {
        let mut state = MapResult::Absent;
        for kw in arguments.keywords.iter() {
            let result = match &kw.arg {
                Some(arg) if arg.id.as_str() == expires_at_param() => {
                    self.present(&kw.value, kw.value.start().to_usize())
                }
                Some(_) => MapResult::Absent,
                None => self.mapping_depth(&kw.value, at, depth),
            };
            state = merge_keywords(state, result);
        }
        state
    }

    /// One (key, value) pair of a form given as pairs.
    pub fn pair(&self, element: &Expr) -> MapResult {
        match element {
            Expr::Tuple(t) if t.elts.len() == 2 => match &t.elts[0] {
                Expr::StringLiteral(key) if key.value.to_str() == expires_at_param() => {
                    self.present(&t.elts[1], t.elts[1].start().to_usize())
                }
                Expr::StringLiteral(_) => MapResult::Absent,
                other => MapResult::Unknown(Unseen::ComputedKey {
                    excerpt: self.excerpt(other),
                }),
            },
            other => MapResult::Unknown(Unseen::NotAPair {
                excerpt: self.excerpt(other),
            }),
        }
    }

    fn present(&self, value: &Expr, at: usize) -> MapResult {
        MapResult::Present {
            term: self.lower(value, at),
            text: self.text(value),
        }
    }

    fn mapping_name(&self, name: &ast::ExprName, at: usize, depth: usize) -> MapResult {
        let id = name.id.as_str();
        if let Some(held) = flow::held_while_redefined(id) {
            return held.unwrap_or(MapResult::Unknown(Unseen::Undefined {
                name: id.to_string(),
            }));
        }
        match self.lookup(id, at) {
            Lookup::Param(kind, in_current) => {
                if !in_current {
                    return MapResult::Unknown(Unseen::MethodParameter {
                        name: id.to_string(),
                        enclosing: true,
                    });
                }
                // Changed before it is passed on (`kwargs.pop("expires_at")`): not what the
                // callers passed, so not a forward to judge at them. What the function
                // itself sets or removes is followed from a value it cannot see.
                let scope = self.scopes.last().expect("a scope is being read");
                let changed = (scope.mutations.get(id).into_iter().flatten()).any(|mutation| {
                    mutation.offset() < at && self.may_touch_expiry(mutation, depth)
                });
                if changed && !matches!(kind, ParamKind::VarArgs) {
                    let unseen = MapResult::Unknown(Unseen::Changed {
                        name: id.to_string(),
                        how: Change::BeforeForward,
                    });
                    let along = self.mapping_along_flow(scope, id, at, depth, Some(unseen.clone()));
                    return along.unwrap_or(unseen);
                }
                match kind {
                    ParamKind::Kwargs => MapResult::Forwarded(Forwarding::Kwargs),
                    ParamKind::Positional(position) => MapResult::Forwarded(Forwarding::Param {
                        name: id.to_string(),
                        position,
                    }),
                    ParamKind::KeywordOnly => MapResult::Forwarded(Forwarding::Param {
                        name: id.to_string(),
                        position: usize::MAX,
                    }),
                    ParamKind::VarArgs => MapResult::Unknown(Unseen::Expression {
                        excerpt: format!("*{id}"),
                    }),
                }
            }
            Lookup::Unbound => MapResult::Unknown(Unseen::Undefined {
                name: id.to_string(),
            }),
            Lookup::Defs(defs, kind, index) => {
                let scope = &self.scopes[index];
                let last = self.scopes.len() - 1;
                let in_current_flow = (index == last && kind != ScopeKind::Module)
                    || (kind == ScopeKind::Module && last == 0);
                if in_current_flow {
                    if let Some(held) = self.mapping_along_flow(scope, id, at, depth, None) {
                        return held;
                    }
                }
                // A nested function reads what the enclosing one holds where it defines it
                // (its flow, walked to the definition); it may run after any later change.
                if kind == ScopeKind::Function && index < last {
                    if let Some(held) = self.mapping_along_flow(scope, id, at, depth, None) {
                        let changed_later = (scope.mutations.get(id).into_iter().flatten())
                            .any(|mutation| mutation.offset() > at)
                            || defs.iter().any(|def| def.offset() > at);
                        if !changed_later {
                            return held;
                        }
                        let later = MapResult::Unknown(Unseen::Changed {
                            name: id.to_string(),
                            how: Change::AfterNestedDefinition,
                        });
                        return combine_paths(held, later);
                    }
                }
                let mut combined: Option<MapResult> = None;
                for def in defs {
                    let mut state = self.def_mapping(def, id, depth);
                    let upto = if kind == ScopeKind::Module && self.scopes.len() > 1 {
                        usize::MAX
                    } else {
                        at
                    };
                    for mutation in scope.mutations.get(id).into_iter().flatten() {
                        let offset = mutation.offset();
                        if offset <= def.offset() || offset >= upto {
                            continue;
                        }
                        state = self.after_mutation(state, mutation, depth);
                    }
                    combined = Some(match combined {
                        None => state,
                        Some(prev) => combine_paths(prev, state),
                    });
                }
                combined.unwrap_or(MapResult::Absent)
            }
        }
    }

    /// What the definition `def` of the name `id` binds, read as a mapping.
    fn def_mapping(&self, def: &Def, id: &str, depth: usize) -> MapResult {
        match def {
            Def::Assign { value, offset } => self.mapping_depth(value, *offset, depth + 1),
            Def::Import { .. } => MapResult::Unknown(Unseen::Imported {
                name: id.to_string(),
            }),
            Def::Other { what, .. } => MapResult::Unknown(Unseen::BoundBy {
                name: id.to_string(),
                how: what,
            }),
            _ => MapResult::Unknown(Unseen::NotAMapping {
                name: id.to_string(),
            }),
        }
    }

    /// The mapping after `mutation` changed `before`: a removal of `expires_at` leaves it
    /// absent whatever it was; any other change is composed with `merge`.
    pub(super) fn after_mutation(
        &self,
        before: MapResult,
        mutation: &Mutation,
        depth: usize,
    ) -> MapResult {
        match mutation {
            Mutation::Remove { key, .. } => {
                if key.as_deref().is_none_or(|key| key == expires_at_param()) {
                    MapResult::Absent
                } else {
                    before
                }
            }
            // Kept when there; set when surely absent; on some paths, either.
            Mutation::SetDefault { key, value, offset } if key == expires_at_param() => {
                match before {
                    MapResult::Absent => self.present(value, *offset),
                    before @ MapResult::Present { .. } => before,
                    before => combine_paths(before, self.present(value, *offset)),
                }
            }
            Mutation::SetDefault { .. } => before,
            _ => merge(before, self.mutation_mapping(mutation, depth)),
        }
    }

    /// Whether `mutation` may change `expires_at`: not a write, a default or a removal of
    /// another literal key, nor an `update` whose mapping surely lacks it.
    fn may_touch_expiry(&self, mutation: &Mutation, depth: usize) -> bool {
        match mutation {
            Mutation::SetItem { key, .. }
            | Mutation::SetDefault { key, .. }
            | Mutation::Remove { key: Some(key), .. } => key == expires_at_param(),
            Mutation::Update { .. } => {
                !matches!(self.mutation_mapping(mutation, depth), MapResult::Absent)
            }
            _ => true,
        }
    }

    /// What a change to a mapping does to its `expires_at` key, read by itself.
    fn mutation_mapping(&self, mutation: &Mutation, depth: usize) -> MapResult {
        match mutation {
            Mutation::SetItem { key, value, offset } => {
                if key == expires_at_param() {
                    self.present(value, *offset)
                } else {
                    MapResult::Absent
                }
            }
            Mutation::Update { args, offset } => {
                let mut r = MapResult::Absent;
                if let Some(first) = args.args.first() {
                    r = self.mapping_depth(first, *offset, depth + 1);
                }
                merge(r, self.keywords(args, *offset, depth + 1))
            }
            Mutation::MergeWith { other, offset } => self.mapping_depth(other, *offset, depth + 1),
            Mutation::Append { pair, .. } => self.pair(pair),
            Mutation::Opaque { what, .. } => MapResult::Unknown(what.clone()),
            Mutation::Remove { .. } => MapResult::Absent,
            Mutation::SetDefault { key, value, offset } if key == expires_at_param() => {
                self.present(value, *offset)
            }
            Mutation::SetDefault { .. } => MapResult::Absent,
        }
    }
}

/// Sequential composition (dict items, `update`, later writes): a later write wins, and a
/// later write we cannot see may overwrite a value set before it.
pub fn merge(state: MapResult, next: MapResult) -> MapResult {
    match (state, next) {
        (_, p @ MapResult::Present { .. }) => p,
        (p @ MapResult::Present { .. }, MapResult::Absent) => p,
        (MapResult::Present { .. }, MapResult::Unknown(why)) => {
            MapResult::Unknown(Unseen::Overwritten {
                by: Some(Box::new(why)),
            })
        }
        (MapResult::Present { .. }, _) => MapResult::Unknown(Unseen::Overwritten { by: None }),
        (s, MapResult::Absent) => s,
        (u @ MapResult::Unknown(_), _) => u,
        (_, u @ MapResult::Unknown(_)) => u,
        (MapResult::Absent, n) => n,
        (s, _) => s,
    }
}

/// Alternative paths (two definitions reach the call): the weakest answer wins.
pub(super) fn combine_paths(a: MapResult, b: MapResult) -> MapResult {
    use MapResult::*;
    match (a, b) {
        (u @ Unknown(_), _) | (_, u @ Unknown(_)) => u,
        (Absent, Absent) => Absent,
        (Present { term, text }, Absent) | (Absent, Present { term, text }) => Present {
            term: one_of(term, unset_on_some_path(expires_at_param())),
            text,
        },
        (Present { term: t1, text }, Present { term: t2, .. }) => Present {
            term: one_of(t1, t2),
            text,
        },
        (a, _) => a,
    }
}

/// The values of two paths, each once (`OneOf` flattened).
fn one_of(a: Term, b: Term) -> Term {
    let mut terms = Vec::new();
    for term in [a, b] {
        let alternatives = match term {
            Term::OneOf(inner) => inner,
            other => vec![other],
        };
        for alternative in alternatives {
            if !terms.contains(&alternative) {
                terms.push(alternative);
            }
        }
    }
    if terms.len() == 1 {
        terms.remove(0)
    } else {
        Term::OneOf(terms)
    }
}

/// Keyword arguments of one call: Python rejects a keyword given twice, so an explicit
/// `expires_at=` cannot be overwritten by a `**mapping` of the same call.
pub fn merge_keywords(state: MapResult, next: MapResult) -> MapResult {
    match (state, next) {
        (p @ MapResult::Present { .. }, _) | (_, p @ MapResult::Present { .. }) => p,
        (s, n) => merge(s, n),
    }
}
