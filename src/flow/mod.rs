//! The control-flow shape of one body, language-neutral, and the one walker that carries a
//! state along it to a point of the code: what holds on every path (and what may hold on
//! some) when the program reaches a call.
//!
//! A front end lowers its statements into `Step`s, spans of source offsets and nothing
//! else; what a state is, what the code inside a span does to it and how two paths meet is
//! the caller's `Domain`. A branch that leaves the body (`return`, `raise`) does not reach
//! what follows; a loop may run zero or more times; a handler may start from any point of
//! its `try`. Knows no language and no Stripe.

pub mod paths;
#[cfg(test)]
mod tests;

use std::cell::Cell;

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
        at: Some(at),
        found: None,
        raised: Vec::new(),
        loops: Vec::new(),
    };
    walker.walk(steps, Some(entry));
    let exhausted = BUDGET.with(|budget| {
        let (left, running) = budget.get();
        budget.set((left, running - 1));
        left == 0
    });
    match walker.found {
        _ if exhausted => Walked::TooLong,
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

/// A state, or `None` where no path reaches.
type Reach<S> = Option<S>;

/// What leaves a loop's body other than by falling through.
struct LoopExits<S> {
    broken: Reach<S>,
    continued: Reach<S>,
}

struct Walker<'d, D: Domain> {
    domain: &'d D,
    /// The offset searched for; `None` while a loop's or a `try`'s states are computed.
    at: Option<usize>,
    /// The state found at `at`, once found.
    found: Option<Reach<D::State>>,
    /// For each enclosing `try` being walked, the states its handlers may start from.
    raised: Vec<Reach<D::State>>,
    loops: Vec<LoopExits<D::State>>,
}

impl<D: Domain> Walker<'_, D> {
    fn join(&self, a: Reach<D::State>, b: Reach<D::State>) -> Reach<D::State> {
        match (a, b) {
            (Some(a), Some(b)) => Some(self.domain.join(a, b)),
            (a, None) => a,
            (None, b) => b,
        }
    }

    fn apply(&mut self, state: Reach<D::State>, span: Span) -> Reach<D::State> {
        let mut state = state?;
        self.domain.apply(&mut state, span);
        self.may_raise(&Some(state.clone()));
        Some(state)
    }

    /// An exception raised here reaches the innermost `try`'s handlers with this state.
    fn may_raise(&mut self, state: &Reach<D::State>) {
        if let Some(top) = self.raised.pop() {
            let joined = self.join(top, state.clone());
            self.raised.push(joined);
        }
    }

    fn searching_in(&self, span: Span) -> bool {
        self.at.is_some_and(|at| span.contains(at))
    }

    fn walk(&mut self, steps: &[Step], mut state: Reach<D::State>) -> Reach<D::State> {
        for step in steps {
            if self.found.is_some() || !spend_step() {
                return None;
            }
            if self.searching_in(step.span()) {
                self.enter(step, state);
                return None;
            }
            state = self.step(step, state);
        }
        state
    }

    /// The state after `step`, entered with `state`, where `at` is not inside it.
    fn step(&mut self, step: &Step, state: Reach<D::State>) -> Reach<D::State> {
        match step {
            Step::Plain(span) => self.apply(state, *span),
            Step::Exit(span) => {
                self.apply(state, *span);
                None
            }
            Step::Break(_) | Step::Continue(_) => {
                let is_break = matches!(step, Step::Break(_));
                if let Some(mut exits) = self.loops.pop() {
                    if is_break {
                        exits.broken = self.join(exits.broken, state);
                    } else {
                        exits.continued = self.join(exits.continued, state);
                    }
                    self.loops.push(exits);
                }
                None
            }
            Step::Branch {
                header,
                arms,
                exhaustive,
                ..
            } => {
                let start = self.apply(state, *header);
                let mut out = if *exhaustive { None } else { start.clone() };
                for arm in arms {
                    let arm_out = self.walk(arm, start.clone());
                    out = self.join(out, arm_out);
                }
                out
            }
            Step::Loop {
                header,
                body,
                orelse,
                endless,
                ..
            } => {
                let (head, broken) = self.loop_head(state, *header, body);
                let ended = if *endless { None } else { head };
                let after = self.walk(orelse, ended);
                self.join(after, broken)
            }
            Step::Try {
                header,
                body,
                handlers,
                orelse,
                finally,
                ..
            } => {
                let start = self.apply(state, *header);
                // A `break` or `continue` inside runs `finally` on its way out of the loop.
                let through_finally = !finally.is_empty() && !self.loops.is_empty();
                if through_finally {
                    self.loops.push(LoopExits {
                        broken: None,
                        continued: None,
                    });
                }
                let (completed, raised) = self.try_body(start, body);
                let mut out = self.walk(orelse, completed);
                for handler in handlers {
                    let handled = self.walk(handler, raised.clone());
                    out = self.join(out, handled);
                }
                if through_finally {
                    let exits = self.loops.pop().expect("pushed above");
                    let at = self.at.take();
                    let broken = self.walk(finally, exits.broken);
                    let continued = self.walk(finally, exits.continued);
                    self.at = at;
                    let mut outer = self.loops.pop().expect("checked above");
                    outer.broken = self.join(outer.broken, broken);
                    outer.continued = self.join(outer.continued, continued);
                    self.loops.push(outer);
                }
                // Code in `finally` also runs after a raise or a `return` anywhere before it.
                if finally.iter().any(|step| self.searching_in(step.span())) {
                    let entry = self.join(out, raised);
                    return self.walk(finally, entry);
                }
                self.walk(finally, out)
            }
            Step::Block { header, body, .. } => {
                let start = self.apply(state, *header);
                self.walk(body, start)
            }
        }
    }

    /// Walks into the compound statement (or stops at the plain one) that holds `at`. A
    /// loop's or a `try`'s body is entered from the state that reaches it; anything else is
    /// walked as usual, and finds `at` on the way.
    fn enter(&mut self, step: &Step, state: Reach<D::State>) {
        let at = self.at.unwrap_or(usize::MAX);
        match step {
            Step::Plain(_) | Step::Exit(_) | Step::Break(_) | Step::Continue(_) => {
                self.found = Some(state);
            }
            Step::Branch { header, .. }
            | Step::Loop { header, .. }
            | Step::Try { header, .. }
            | Step::Block { header, .. }
                if header.contains(at) =>
            {
                self.found = Some(state);
            }
            Step::Loop { header, body, .. } if holds(body, at) => {
                let (head, _) = self.loop_head(state, *header, body);
                self.walk(body, head);
            }
            Step::Try { header, body, .. } if holds(body, at) => {
                let start = self.apply(state, *header);
                self.walk(body, start);
            }
            _ => {
                self.step(step, state);
            }
        }
    }

    /// The state at the head of a loop (entered with `state`, or coming back from its body)
    /// and the state that leaves it by `break`: rounds of the body until the head no longer
    /// changes (a body that does nothing to the state takes one), at most three, which
    /// reach the fixpoint of domains whose join only adds what one round does.
    fn loop_head(
        &mut self,
        state: Reach<D::State>,
        header: Span,
        body: &[Step],
    ) -> (Reach<D::State>, Reach<D::State>) {
        let at = self.at.take();
        let mut head = self.apply(state.clone(), header);
        let mut broken = None;
        for _ in 0..3 {
            self.loops.push(LoopExits {
                broken: None,
                continued: None,
            });
            let out = self.walk(body, head.clone());
            let exits = self.loops.pop().expect("pushed above");
            broken = self.join(broken, exits.broken);
            let back = self.join(out, exits.continued);
            let again = self.apply(back, header);
            let next = self.join(head.clone(), again);
            if next == head {
                break;
            }
            head = next;
        }
        self.at = at;
        (head, broken)
    }

    /// The state when a `try` body completes, and the state its handlers may start from
    /// (any point of the body, its start included).
    fn try_body(
        &mut self,
        start: Reach<D::State>,
        body: &[Step],
    ) -> (Reach<D::State>, Reach<D::State>) {
        let at = self.at.take();
        self.raised.push(start.clone());
        let completed = self.walk(body, start);
        let raised = self.raised.pop().expect("pushed above");
        // What a handler raises again reaches an enclosing `try` too.
        self.may_raise(&raised);
        self.at = at;
        (completed, raised)
    }
}

/// Whether `at` lies inside one of `steps`.
fn holds(steps: &[Step], at: usize) -> bool {
    steps.iter().any(|step| step.span().contains(at))
}
