//! The mapping a name holds when a call is reached, followed along the scope's flow: a key
//! written under a condition is not written on every path, a definition on every path
//! replaces what came before, and a change made through a second name for the same dict
//! (`body = params; body.pop(..)`) is a change to it.
//!
//! Aliases are the names bound to the mapping's name itself (`body = params`), tracked along
//! the flow: rebinding one ends it. A copy (`dict(params)`, `params.copy()`) is not an alias.

use ruff_python_ast::Expr;

use super::{combine_paths, merge, MapResult};
use crate::flow::{self, Domain, Span};
use crate::lang::python::resolve::Resolver;
use crate::lang::python::scope::{Def, Event, Located, Scope};

/// The mapping on one path, and the names that hold it there.
#[derive(Clone)]
struct Held<'a> {
    /// `None` until the name is bound on this path.
    mapping: Option<MapResult>,
    aliases: Vec<&'a str>,
}

struct MappingFlow<'r, 's, 'a> {
    resolver: &'r Resolver<'s, 'a>,
    root: &'a str,
    events: Vec<Located<'s, 'a>>,
    depth: usize,
}

impl<'s, 'a> Resolver<'s, 'a> {
    /// What `root` holds at `at` as a mapping, along the flow of `scope` (the scope being
    /// walked); `None` when the flow cannot place `at` or no path binds `root`.
    pub(super) fn mapping_along_flow(
        &self,
        scope: &'s Scope<'a>,
        root: &'a str,
        at: usize,
        depth: usize,
    ) -> Option<MapResult> {
        let domain = MappingFlow {
            resolver: self,
            root,
            events: scope.events(),
            depth,
        };
        let entry = Held {
            mapping: None,
            aliases: vec![root],
        };
        flow::state_at(&domain, scope.steps(), entry, at)?.mapping
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
            match event.event {
                Event::Def(def) if event.name == self.root => {
                    held.mapping = Some(self.resolver.def_mapping(def, self.root, self.depth));
                    held.aliases = vec![self.root];
                    if let Some(other) = bound_name(def) {
                        held.aliases.push(other);
                    }
                }
                Event::Def(def) => {
                    let aliased = bound_name(def).is_some_and(|n| held.aliases.contains(&n));
                    held.aliases.retain(|n| *n != event.name);
                    if aliased {
                        held.aliases.push(event.name);
                    }
                }
                Event::Mutation(mutation) if held.aliases.contains(&event.name) => {
                    if let Some(mapping) = held.mapping.take() {
                        let change = self.resolver.mutation_mapping(mutation, self.depth);
                        held.mapping = Some(merge(mapping, change));
                    }
                }
                Event::Mutation(_) => {}
            }
        }
    }

    fn join(&self, a: Held<'a>, b: Held<'a>) -> Held<'a> {
        let mapping = match (a.mapping, b.mapping) {
            (Some(a), Some(b)) => Some(combine_paths(a, b)),
            (a, None) => a,
            (None, b) => b,
        };
        let mut aliases = a.aliases;
        for name in b.aliases {
            if !aliases.contains(&name) {
                aliases.push(name);
            }
        }
        Held { mapping, aliases }
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
