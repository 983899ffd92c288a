//! The mapping a name holds when a call is reached, followed along the scope's flow: a key
//! written under a condition is not written on every path, a definition on every path
//! replaces what came before, and a change made through a second name for the same dict
//! (`body = params; body.pop(..)`) is a change to it.
//!
//! Aliases are the names bound to the mapping's name itself (`body = params`), tracked along
//! the flow by `crate::flow::aliases`: rebinding one ends it. A name that is an alias on some paths only (`if c: body
//! = params`) changes the mapping on those paths only. A copy (`dict(params)`,
//! `params.copy()`) is not an alias. A definition that reads the name itself (`params =
//! {**params, ..}`) reads the mapping the walk holds there, not a walk of its own.

use std::cell::RefCell;

use ruff_python_ast::Expr;

use super::{combine_paths, MapResult};
use crate::facts::Unseen;
use crate::flow::aliases::Aliases;
use crate::flow::{self, Domain, Span};
use crate::lang::python::resolve::Resolver;
use crate::lang::python::scope::{Def, Event, Located, Scope};

thread_local! {
    /// The mappings names hold where a definition of theirs is being read, innermost last.
    static HELD: RefCell<Vec<(String, Option<MapResult>)>> = const { RefCell::new(Vec::new()) };
}

/// What `name` holds where one of its own definitions is being read, if it is.
pub(super) fn held_while_redefined(name: &str) -> Option<Option<MapResult>> {
    HELD.with(|held| {
        held.borrow()
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, mapping)| mapping.clone())
    })
}

/// The mapping on one path, and the names that hold it there.
#[derive(Clone, PartialEq)]
struct Held<'a> {
    /// `None` until the name is bound on this path.
    mapping: Option<MapResult>,
    names: Aliases<&'a str>,
}

struct MappingFlow<'r, 's, 'a> {
    resolver: &'r Resolver<'s, 'a>,
    scope: &'s Scope<'a>,
    root: &'a str,
    events: Vec<Located<'s, 'a>>,
    depth: usize,
}

impl<'s, 'a> Resolver<'s, 'a> {
    /// What `root` holds at `at` as a mapping, along the flow of `scope` (the scope being
    /// walked) from `entry` (a parameter's value; `None`: unbound until a definition);
    /// `None` when the flow cannot place `at` or no path binds `root`.
    pub(super) fn mapping_along_flow(
        &self,
        scope: &'s Scope<'a>,
        root: &'a str,
        at: usize,
        depth: usize,
        entry: Option<MapResult>,
    ) -> Option<MapResult> {
        let domain = MappingFlow {
            resolver: self,
            scope,
            root,
            events: scope.events(),
            depth,
        };
        let entry = Held {
            mapping: entry,
            names: Aliases::of(root),
        };
        match flow::walk_to(&domain, scope.steps(), entry, at) {
            flow::Walked::At(held) => held.mapping,
            flow::Walked::NotReached => None,
            flow::Walked::TooLong => Some(MapResult::Unknown(Unseen::TooDeep {
                excerpt: root.to_string(),
            })),
        }
    }
}

impl<'a> MappingFlow<'_, '_, 'a> {
    /// What a definition of the root binds, read with the mapping the root holds there.
    fn redefined(&self, def: &Def, holding: Option<MapResult>) -> MapResult {
        HELD.with(|held| held.borrow_mut().push((self.root.to_string(), holding)));
        let mapping = self.resolver.def_mapping(def, self.root, self.depth);
        HELD.with(|held| held.borrow_mut().pop());
        mapping
    }
}

impl<'a> Domain for MappingFlow<'_, '_, 'a> {
    type State = Held<'a>;

    fn apply(&self, held: &mut Held<'a>, span: Span) {
        let first = self.events.partition_point(|e| e.offset < span.start);
        for event in self.events[first..]
            .iter()
            .take_while(|e| e.offset < span.end)
        {
            let walrus = self.scope.walrus.contains(&event.offset);
            match event.event {
                Event::Def(def) if event.name == self.root => {
                    let mapping = self.redefined(def, held.mapping.clone());
                    held.mapping = match (walrus, held.mapping.take()) {
                        (true, Some(before)) => Some(combine_paths(before, mapping)),
                        _ => Some(mapping),
                    };
                    held.names.rebind_root(self.root, bound_name(def), walrus);
                }
                Event::Def(def) => held.names.bind(event.name, bound_name(def), walrus),
                Event::Mutation(mutation) if held.names.maybe(event.name) => {
                    if let Some(mapping) = held.mapping.take() {
                        let after =
                            self.resolver
                                .after_mutation(mapping.clone(), mutation, self.depth);
                        held.mapping = Some(if held.names.surely(event.name) {
                            after
                        } else {
                            combine_paths(mapping, after)
                        });
                    }
                }
                Event::Mutation(_) => {}
            }
        }
    }

    fn join(&self, a: Held<'a>, b: Held<'a>) -> Held<'a> {
        let mapping = match (a.mapping, b.mapping) {
            (Some(a), Some(b)) if a == b => Some(a),
            (Some(a), Some(b)) => Some(combine_paths(a, b)),
            (a, None) => a,
            (None, b) => b,
        };
        let names = a.names.join(b.names);
        Held { mapping, names }
    }
}

/// The name a definition binds its target to, when its value is just a name (`b = a`).
fn bound_name<'a>(def: &Def<'a>) -> Option<&'a str> {
    match def {
        Def::Assign {
            value: Expr::Name(name),
            ..
        } => Some(name.id.as_str()),
        _ => None,
    }
}
