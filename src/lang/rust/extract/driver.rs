//! The walk as a `flow::paths::Driver`: its state is the block-scoped locals (`Env`), a
//! muted round keeps nothing it found, and widening makes what a loop changes unknown.
//!
//! Where paths go and meet is `crate::flow::paths`'; this module only says what the
//! walker's state and side effects are.

use std::collections::HashSet;

use super::Walker;
use crate::facts::Change;
use crate::flow::paths::{Driver, Paths};
use crate::lang::rust::env::Env;

/// Syntax nodes (by address) already read as part of a larger expression. Inserts made
/// in a muted round are taken back when it ends.
#[derive(Default)]
pub struct NodeSet {
    nodes: HashSet<usize>,
    /// Keys inserted since the outermost muted round began, while one runs.
    log: Option<Vec<usize>>,
}

impl NodeSet {
    pub fn contains(&self, key: &usize) -> bool {
        self.nodes.contains(key)
    }

    pub fn insert(&mut self, key: usize) {
        if self.nodes.insert(key) {
            if let Some(log) = &mut self.log {
                log.push(key);
            }
        }
    }

    fn mark(&mut self) -> usize {
        self.log.get_or_insert_with(Vec::new).len()
    }

    /// Takes back the inserts made since `mark`; the outermost rollback ends the log.
    fn rollback(&mut self, mark: usize) {
        if let Some(log) = &mut self.log {
            for key in log.drain(mark..) {
                self.nodes.remove(&key);
            }
            if mark == 0 {
                self.log = None;
            }
        }
    }
}

/// What a muted round puts aside: how long the lists it may grow were. (A muted round runs
/// inside a function body, where nothing is added to the extraction's maps.)
pub struct Muted {
    call_sites: usize,
    project_callees: usize,
    handlers: usize,
    mounts: usize,
    endpoint_constants: usize,
    wrappers: usize,
    returns: usize,
    consumed: usize,
    routed: usize,
    pending_http: Option<crate::lang::rust::env::HttpRequest>,
}

impl Driver for Walker<'_> {
    type State = Env;
    type Muted = Muted;

    fn paths(&mut self) -> &mut Paths<Env> {
        &mut self.paths
    }

    fn state(&mut self) -> &mut Env {
        &mut self.env
    }

    fn join(&self, a: Env, b: &Env) -> Env {
        a.merge(b)
    }

    fn mute(&mut self) -> Muted {
        Muted {
            call_sites: self.out.call_sites.len(),
            project_callees: self.out.project_callees.len(),
            handlers: self.out.routes.handlers.len(),
            mounts: self.out.routes.mounts.len(),
            endpoint_constants: self.out.endpoint_constants.len(),
            wrappers: self.out.wrappers.len(),
            returns: self.returns.len(),
            consumed: self.consumed.mark(),
            routed: self.routed.mark(),
            pending_http: self.pending_http.clone(),
        }
    }

    fn unmute(&mut self, muted: Muted) {
        self.out.call_sites.truncate(muted.call_sites);
        self.out.project_callees.truncate(muted.project_callees);
        self.out.routes.handlers.truncate(muted.handlers);
        self.out.routes.mounts.truncate(muted.mounts);
        self.out
            .endpoint_constants
            .truncate(muted.endpoint_constants);
        self.out.wrappers.truncate(muted.wrappers);
        self.returns.truncate(muted.returns);
        self.consumed.rollback(muted.consumed);
        self.routed.rollback(muted.routed);
        self.pending_http = muted.pending_http;
    }

    fn widen(&mut self, before: &Env, everything: bool) {
        let names = if everything {
            self.env.names()
        } else {
            before.changed(&self.env)
        };
        for name in names {
            self.escape(&name, Change::EveryRound);
        }
    }
}
