//! The control-flow shape of one body, language-neutral, and the walker that carries a
//! state along it to a point of the code: what holds on every path (and what may hold on
//! some) when the program reaches a call.
//!
//! A front end lowers its statements into `Step`s, spans of source offsets and nothing
//! else; what a state is, what the code inside a span does to it and how two paths meet is
//! the caller's `Domain`. The walker is a driver of `paths`, the one engine both front ends'
//! walks use: a branch that leaves the body (`return`, `raise`) does not reach what
//! follows; a loop may run zero or more times; a handler may start from any point of its
//! `try`. Knows no language and no Stripe.

pub mod aliases;
pub mod paths;
#[cfg(test)]
mod tests;

use std::cell::Cell;

use paths::{Driver, Leave, Paths};

/// Source offsets `[start, end)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    fn contains(&self, offset: usize) -> bool {
        self.start <= offset && offset < self.end
    }
}

/// One statement of a body, as far as the flow is concerned.
#[derive(Clone, Debug)]
pub enum Step {
    /// A statement that falls through to the next one.
    Plain(Span),
    /// A statement that leaves the body (`return`, `raise`): nothing after it is reached.
    Exit(Span),
    /// `break`: the loop's end is reached from here.
    Break(Span),
    /// `continue`: the loop's head is reached from here.
    Continue(Span),
    /// One of `arms` runs after `header` (`if`/`elif`/`else`, `match`); unless `exhaustive`,
    /// none may run.
    Branch {
        span: Span,
        header: Span,
        arms: Vec<Vec<Step>>,
        exhaustive: bool,
    },
    /// `header`, then `body` zero or more times; `orelse` when the loop ends without `break`.
    /// `endless` loops end by `break` only (`while True`).
    Loop {
        span: Span,
        header: Span,
        body: Vec<Step>,
        orelse: Vec<Step>,
        endless: bool,
    },
    /// `body`; a handler may start from any point of it; `orelse` after `body` completes;
    /// `finally` after all of them.
    Try {
        span: Span,
        header: Span,
        body: Vec<Step>,
        handlers: Vec<Vec<Step>>,
        orelse: Vec<Step>,
        finally: Vec<Step>,
    },
    /// `header`, then `body`, which always runs (`with`).
    Block {
        span: Span,
        header: Span,
        body: Vec<Step>,
    },
}

impl Step {
    fn span(&self) -> Span {
        match self {
            Step::Plain(span) | Step::Exit(span) | Step::Break(span) | Step::Continue(span) => {
                *span
            }
            Step::Branch { span, .. }
            | Step::Loop { span, .. }
            | Step::Try { span, .. }
            | Step::Block { span, .. } => *span,
        }
    }
}

/// What a state is, what a span of code does to it, and how paths meet.
pub trait Domain {
    type State: Clone + PartialEq;
    /// The effect of the code in `span` (a plain statement, or a compound statement's
    /// header), in source order.
    fn apply(&self, state: &mut Self::State, span: Span);
    /// The state where two paths meet.
    fn join(&self, a: Self::State, b: Self::State) -> Self::State;
}

/// The state when the code at `at` is reached from the start of `steps` entered with
/// `entry`; `None` if no path reaches it, `at` is not inside `steps`, or the walk took too
/// long (see `walk_to`).
pub fn state_at<D: Domain>(
    domain: &D,
    steps: &[Step],
    entry: D::State,
    at: usize,
) -> Option<D::State> {
    match walk_to(domain, steps, entry, at) {
        Walked::At(state) => Some(state),
        Walked::NotReached | Walked::TooLong => None,
    }
}

/// What a walk to a point found.
pub enum Walked<S> {
    At(S),
    NotReached,
    /// The walk, with the walks its domain started while it ran, took more than
    /// `STEP_BUDGET` steps (loops nested in loops that each change the state): the caller
    /// must answer "unknown".
    TooLong,
}

/// How many steps one walk, and the walks nested in it, may take.
pub const STEP_BUDGET: usize = 200_000;

thread_local! {
    /// Steps left to the outermost walk running on this thread, and how many are running.
    static BUDGET: Cell<(usize, usize)> = const { Cell::new((0, 0)) };
}

/// `state_at`, telling a walk that ran out of steps from one that did not reach `at`.
pub fn walk_to<D: Domain>(
    domain: &D,
    steps: &[Step],
    entry: D::State,
    at: usize,
) -> Walked<D::State> {
    BUDGET.with(|budget| {
        let (left, running) = budget.get();
        let left = if running == 0 { STEP_BUDGET } else { left };
        budget.set((left, running + 1));
    });
    let mut walker = Walker {
        domain,
        state: entry,
        paths: Paths::default(),
        at,
        found: None,
        exhausted: false,
        raised: Vec::new(),
        leaving: Vec::new(),
    };
    walker.walk(steps);
    let exhausted = BUDGET.with(|budget| {
        let (left, running) = budget.get();
        budget.set((left, running - 1));
        left == 0
    });
    match walker.found {
        _ if exhausted || walker.exhausted => Walked::TooLong,
        Some(Some(state)) => Walked::At(state),
        _ => Walked::NotReached,
    }
}

/// Takes one step from the budget; `false` once it is spent.
fn spend_step() -> bool {
    BUDGET.with(|budget| {
        let (left, running) = budget.get();
        if left == 0 {
            return false;
        }
        budget.set((left - 1, running));
        true
    })
}

/// The walk of a lowered body, as a driver of `paths`: what `paths` decides for every
/// front end (where arms meet, loop rounds, exits) it decides here too; this walker adds
/// the search for `at`, the budget, and `try` (handlers start from any point of the body).
struct Walker<'d, D: Domain> {
    domain: &'d D,
    state: D::State,
    paths: Paths<D::State>,
    at: usize,
    /// The state found at `at`, once found (`None` inside: no path reaches it).
    found: Option<Option<D::State>>,
    exhausted: bool,
    /// For each enclosing `try` being walked, the states its handlers may start from.
    raised: Vec<Option<D::State>>,
    /// For each enclosing `try` with a `finally`, the states that leave its body, handlers
    /// or `else` by `return` or `raise`: its `finally` runs from them too.
    leaving: Vec<Option<D::State>>,
}

impl<D: Domain> Driver for Walker<'_, D> {
    type State = D::State;
    type Muted = ();

    fn paths(&mut self) -> &mut Paths<D::State> {
        &mut self.paths
    }

    fn state(&mut self) -> &mut D::State {
        &mut self.state
    }

    fn join(&self, a: D::State, b: &D::State) -> D::State {
        self.domain.join(a, b.clone())
    }

    /// A muted round reports nothing here: the search for `at` is off while it runs.
    fn mute(&mut self) {}

    fn unmute(&mut self, _: ()) {}

    /// A domain's state that does not settle in three rounds cannot be made unknown from
    /// here: the walk answers "unknown" (`TooLong`), never a state that is not a fixpoint.
    fn widen(&mut self, _: &D::State, _: bool) {
        self.exhausted = true;
    }
}

impl<D: Domain> Walker<'_, D> {
    fn done(&self) -> bool {
        self.found.is_some() || self.exhausted
    }

    fn join_reached(&self, a: Option<D::State>, b: Option<D::State>) -> Option<D::State> {
        match (a, b) {
            (Some(a), Some(b)) => Some(self.domain.join(a, b)),
            (a, b) => a.or(b),
        }
    }

    fn apply(&mut self, span: Span) {
        if !self.paths.reachable() {
            return;
        }
        self.domain.apply(&mut self.state, span);
        let state = Some(self.state.clone());
        self.may_raise(state);
    }

    /// An exception raised here reaches the innermost `try`'s handlers with this state.
    fn may_raise(&mut self, state: Option<D::State>) {
        if let Some(top) = self.raised.pop() {
            let joined = self.join_reached(top, state);
            self.raised.push(joined);
        }
    }

    fn searching_in(&mut self, span: Span) -> bool {
        !paths::is_muted(self) && span.contains(self.at)
    }

    fn walk(&mut self, steps: &[Step]) {
        for step in steps {
            if self.done() {
                return;
            }
            if !spend_step() {
                self.exhausted = true;
                return;
            }
            if self.searching_in(step.span()) {
                self.enter(step);
                return;
            }
            self.step(step);
        }
    }

    /// The step that holds `at`: the state before it, or before its header when `at` is
    /// there; otherwise the step is walked and finds `at` inside.
    fn enter(&mut self, step: &Step) {
        match step {
            Step::Plain(_) | Step::Exit(_) | Step::Break(_) | Step::Continue(_) => {
                self.found = Some(paths::reached(self));
            }
            Step::Branch { header, .. }
            | Step::Loop { header, .. }
            | Step::Try { header, .. }
            | Step::Block { header, .. }
                if header.contains(self.at) =>
            {
                self.found = Some(paths::reached(self));
            }
            _ => self.step(step),
        }
    }

    fn step(&mut self, step: &Step) {
        match step {
            Step::Plain(span) => self.apply(*span),
            Step::Exit(span) => {
                self.apply(*span);
                let state = paths::reached(self);
                if let Some(top) = self.leaving.pop() {
                    let joined = self.join_reached(top, state);
                    self.leaving.push(joined);
                }
                paths::exit(self);
            }
            Step::Break(_) => paths::leave(self, Leave::Break, None),
            Step::Continue(_) => paths::leave(self, Leave::Continue, None),
            Step::Branch {
                header,
                arms,
                exhaustive,
                ..
            } => {
                self.apply(*header);
                paths::branch(self, arms.len(), *exhaustive, |walker, arm| {
                    walker.walk(&arms[arm])
                });
            }
            Step::Loop {
                span,
                header,
                body,
                orelse,
                endless,
            } => {
                let parts = paths::Loop {
                    label: None,
                    endless: *endless,
                    header: &mut |walker: &mut Self| walker.apply(*header),
                    body: &mut |walker: &mut Self| walker.walk(body),
                    orelse: &mut |walker: &mut Self| walker.walk(orelse),
                };
                // A loop that does not hold `at` needs no round of its own after the
                // rounds that settle its state.
                if self.searching_in(*span) {
                    paths::repeat(self, parts);
                } else {
                    paths::quietly(self, |walker| paths::repeat(walker, parts));
                }
            }
            Step::Try {
                header,
                body,
                handlers,
                orelse,
                finally,
                ..
            } => self.try_step(*header, body, handlers, orelse, finally),
            Step::Block { header, body, .. } => {
                self.apply(*header);
                self.walk(body);
            }
        }
    }

    /// `try`: the body; a handler may start from any point of it; `orelse` after the body
    /// completes; `finally` after all of them, and on the way out of a loop by `break` or
    /// `continue` inside.
    fn try_step(
        &mut self,
        header: Span,
        body: &[Step],
        handlers: &[Vec<Step>],
        orelse: &[Step],
        finally: &[Step],
    ) {
        self.apply(header);
        let mut raised = None;
        if !finally.is_empty() {
            self.leaving.push(None);
        }
        let through_finally = !finally.is_empty() && paths::in_loop(self);
        let (broken, continued) = if through_finally {
            paths::intercept(self, |walker| {
                raised = walker.try_body(body, handlers, orelse);
            })
        } else {
            raised = self.try_body(body, handlers, orelse);
            (None, None)
        };
        let mut left_early = None;
        if !finally.is_empty() {
            left_early = self.leaving.pop().flatten();
            // Leaving this `try` leaves the ones around it too.
            if let Some(top) = self.leaving.pop() {
                let joined = self.join_reached(top, left_early.clone());
                self.leaving.push(joined);
            }
        }
        for left in [&broken, &continued] {
            left_early = self.join_reached(left_early, left.clone());
        }
        if through_finally {
            let out = paths::reached(self);
            for (left, how) in [(broken, Leave::Break), (continued, Leave::Continue)] {
                if left.is_some() {
                    paths::resume_from(self, left);
                    paths::quietly(self, |walker| walker.walk(finally));
                    paths::leave(self, how, None);
                }
            }
            paths::resume_from(self, out);
        }
        // Code in `finally` also runs after a raise or a `return` anywhere before it.
        if finally.iter().any(|step| step.span().contains(self.at)) && !paths::is_muted(self) {
            let out = paths::reached(self);
            let entry = self.join_reached(out, raised);
            let entry = self.join_reached(entry, left_early);
            paths::resume_from(self, entry);
        }
        self.walk(finally);
    }

    /// The body, then `orelse` from where it completes and each handler from any point of
    /// it: leaves the state where they meet, and returns the state handlers start from.
    fn try_body(
        &mut self,
        body: &[Step],
        handlers: &[Vec<Step>],
        orelse: &[Step],
    ) -> Option<D::State> {
        let start = paths::reached(self);
        self.raised.push(start);
        self.walk(body);
        let raised = self.raised.pop().expect("pushed above");
        // What a handler raises again reaches an enclosing `try` too.
        self.may_raise(raised.clone());
        self.walk(orelse);
        let mut out = paths::reached(self);
        for handler in handlers {
            paths::resume_from(self, raised.clone());
            self.walk(handler);
            let handled = paths::reached(self);
            out = self.join_reached(out, handled);
        }
        paths::resume_from(self, out);
        raised
    }
}
