//! Where paths go and where they meet, for a walk driven in source order (a `Driver`):
//! branches that join, loops run until their state settles, `return` and `break` that cut
//! a path, code that runs later. The one engine of both front ends: the Rust walk drives it
//! over its syntax tree, `crate::flow`'s walker over a lowered Python body. The state and
//! what meeting means are the driver's.
//!
//! The rounds a loop needs before its state settles are walked muted (the driver must not
//! report from them); the last round is walked from the settled state and reports. A loop
//! that does not settle in three rounds has what it changes widened to unknown, round by
//! round until that holds; a walk that has spent its steps widens everything a loop's
//! state holds at once, so deep nesting stays linear. Either way the answer stays sound.
//! Knows no language and no Stripe.

#[cfg(test)]
mod tests;

/// A front end's walk, as far as its paths are concerned.
pub trait Driver {
    type State: Clone + PartialEq;
    /// What `mute` put aside, for `unmute` to restore.
    type Muted;
    fn paths(&mut self) -> &mut Paths<Self::State>;
    /// The state on the path being walked.
    fn state(&mut self) -> &mut Self::State;
    /// The state where two paths meet.
    fn join(&self, a: Self::State, b: &Self::State) -> Self::State;
    /// Starts a walk whose reports and side effects are thrown away.
    fn mute(&mut self) -> Self::Muted;
    fn unmute(&mut self, muted: Self::Muted);
    /// A loop's state does not settle: whatever differs from `before` (`everything`: all
    /// the state holds) becomes unknown.
    fn widen(&mut self, before: &Self::State, everything: bool);
}

/// Rounds of a loop's body before what they change is widened.
const MAX_ROUNDS: usize = 3;

/// Rounds after a widening, each widening again what still changes, before everything is.
const MAX_WIDENINGS: usize = 4;

/// Statements one walk (a function body) may walk muted, in all its loops' rounds
/// together (`spend`); past it, a loop gets one round and is widened.
const STEP_BUDGET: usize = 10_000;

/// The paths of one walk: whether the code being walked is reached, and where the loops
/// around it are left to.
pub struct Paths<S> {
    unreachable: bool,
    loops: Vec<Frame<S>>,
    muted: usize,
    steps_left: usize,
}

impl<S> Default for Paths<S> {
    fn default() -> Self {
        Paths {
            unreachable: false,
            loops: Vec::new(),
            muted: 0,
            steps_left: STEP_BUDGET,
        }
    }
}

impl<S> Paths<S> {
    /// Whether some path reaches the code being walked (code after a `return` is walked
    /// too, for what it holds, but its state meets nothing).
    pub fn reachable(&self) -> bool {
        !self.unreachable
    }
}

/// The driver walks one statement; in a muted round it costs one step of the budget.
pub fn spend<D: Driver>(driver: &mut D) {
    let paths = driver.paths();
    if paths.muted > 0 {
        paths.steps_left = paths.steps_left.saturating_sub(1);
    }
}

/// A loop or a labelled block, and the states that leave it other than by falling through.
struct Frame<S> {
    label: Option<String>,
    /// Whether `continue` may name it (a loop, not a block).
    is_loop: bool,
    broken: Option<S>,
    continued: Option<S>,
}

/// How a path leaves a loop early.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Leave {
    Break,
    Continue,
}

fn join_into<D: Driver>(driver: &D, into: Option<D::State>, state: &D::State) -> D::State {
    match into {
        Some(into) => driver.join(into, state),
        None => state.clone(),
    }
}

/// The state on the path being walked, if any path reaches it.
fn current<D: Driver>(driver: &mut D) -> Option<D::State> {
    driver.paths().reachable().then(|| driver.state().clone())
}

/// Continues from `state`, or marks the code that follows as unreached.
fn resume<D: Driver>(driver: &mut D, state: Option<D::State>) {
    match state {
        Some(state) => {
            *driver.state() = state;
            driver.paths().unreachable = false;
        }
        None => driver.paths().unreachable = true,
    }
}

/// `return`, a panic: nothing after it is reached on this path.
pub fn exit<D: Driver>(driver: &mut D) {
    driver.paths().unreachable = true;
}

/// `break` / `continue` (to the loop named `label`, or the innermost one). A label that
/// names no frame leaves the state where it is: more paths, never fewer.
pub fn leave<D: Driver>(driver: &mut D, how: Leave, label: Option<&str>) {
    let Some(state) = current(driver) else {
        return;
    };
    let frames = &driver.paths().loops;
    let target = frames.iter().rposition(|frame| match label {
        Some(label) => frame.label.as_deref() == Some(label),
        None => frame.is_loop,
    });
    let Some(target) = target else {
        return;
    };
    let mut frame = std::mem::replace(
        &mut driver.paths().loops[target],
        Frame {
            label: None,
            is_loop: false,
            broken: None,
            continued: None,
        },
    );
    match how {
        Leave::Break => frame.broken = Some(join_into(driver, frame.broken.take(), &state)),
        Leave::Continue => {
            frame.continued = Some(join_into(driver, frame.continued.take(), &state))
        }
    }
    driver.paths().loops[target] = frame;
    driver.paths().unreachable = true;
}

/// One of `arms` arms runs (`if`/`else`, `match`), each from the state here; unless
/// `exhaustive`, none may run. Paths meet after it.
pub fn branch<D: Driver>(
    driver: &mut D,
    arms: usize,
    exhaustive: bool,
    mut arm: impl FnMut(&mut D, usize),
) {
    let start = driver.state().clone();
    let reached = driver.paths().reachable();
    let mut out = (!exhaustive && reached).then(|| start.clone());
    for index in 0..arms {
        *driver.state() = start.clone();
        driver.paths().unreachable = !reached;
        arm(driver, index);
        if let Some(end) = current(driver) {
            out = Some(join_into(driver, out, &end));
        }
    }
    if out.is_none() {
        *driver.state() = start;
    }
    resume(driver, out);
}

/// A block named by `label`, which `break 'label` leaves.
pub fn labelled<D: Driver>(driver: &mut D, label: &str, body: impl FnOnce(&mut D)) {
    driver.paths().loops.push(Frame {
        label: Some(label.to_string()),
        is_loop: false,
        broken: None,
        continued: None,
    });
    body(driver);
    let frame = driver.paths().loops.pop().expect("pushed above");
    let fell_through = current(driver);
    let out = match (fell_through, frame.broken) {
        (Some(a), Some(b)) => Some(driver.join(a, &b)),
        (a, b) => a.or(b),
    };
    resume(driver, out);
}

/// A loop's parts, as walks the driver runs.
pub struct Loop<'l, D> {
    /// The name `break 'label` and `continue 'label` give it.
    pub label: Option<&'l str>,
    /// Left by `break` only (`loop`, `while True`).
    pub endless: bool,
    /// Run on entry and on every way back to the head (`while`'s test, `for`'s target).
    pub header: &'l mut dyn FnMut(&mut D),
    pub body: &'l mut dyn FnMut(&mut D),
    /// Run when the loop ends other than by `break` (Python's `else:`).
    pub orelse: &'l mut dyn FnMut(&mut D),
}

/// A loop, its body run zero or more times (at least once if `endless`). Rounds are walked
/// muted until the state at the loop's head settles; then one round reports, from that
/// state (none when the walk around it is muted: its own rounds already gave the state).
pub fn repeat<D: Driver>(driver: &mut D, mut parts: Loop<'_, D>) {
    let entry = driver.state().clone();
    if !driver.paths().reachable() {
        // Code after a `return`: walked for what it holds; no state leaves it.
        (parts.header)(driver);
        run_round(driver, &mut parts);
        (parts.orelse)(driver);
        *driver.state() = entry;
        driver.paths().unreachable = true;
        return;
    }
    (parts.header)(driver);
    let Some(first) = current(driver) else {
        return;
    };
    let (head, mut broken) = settle(driver, &mut parts, &entry, first);
    if driver.paths().muted == 0 {
        resume(driver, Some(head.clone()));
        let (_, left) = run_round(driver, &mut parts);
        if let Some(left) = left {
            broken = Some(join_into(driver, broken, &left));
        }
    }
    let ended = if parts.endless {
        None
    } else {
        resume(driver, Some(head));
        (parts.orelse)(driver);
        current(driver)
    };
    let out = match (ended, broken) {
        (Some(a), Some(b)) => Some(driver.join(a, &b)),
        (a, b) => a.or(b),
    };
    if out.is_none() {
        *driver.state() = entry;
    }
    resume(driver, out);
}

/// The state at a loop's head (after its header), first `first` then coming back from
/// its body, and the state that leaves it by `break`, from muted rounds.
fn settle<D: Driver>(
    driver: &mut D,
    parts: &mut Loop<'_, D>,
    entry: &D::State,
    first: D::State,
) -> (D::State, Option<D::State>) {
    let muted = driver.mute();
    driver.paths().muted += 1;
    let mut head = first;
    let mut broken = None;
    let mut settled = false;
    for round_index in 0..MAX_ROUNDS + MAX_WIDENINGS {
        if round_index > 0 && driver.paths().steps_left == 0 {
            break;
        }
        let widening = round_index >= MAX_ROUNDS;
        if round_index == MAX_ROUNDS {
            // Still changing: what changed is unknown; more rounds say whether that holds.
            resume(driver, Some(head));
            driver.widen(entry, false);
            head = driver.state().clone();
        }
        resume(driver, Some(head.clone()));
        let (back, left) = run_round(driver, parts);
        if let Some(left) = left {
            broken = Some(join_into(driver, broken, &left));
        }
        let again = back.and_then(|back| {
            resume(driver, Some(back));
            (parts.header)(driver);
            current(driver)
        });
        let mut next = match again {
            Some(again) => driver.join(head.clone(), &again),
            None => head.clone(),
        };
        if widening {
            // A name once unknown stays unknown, whatever a round computes from it
            // (`attempts += 1` on an unknown count): only a newly changed name differs.
            resume(driver, Some(next));
            driver.widen(entry, false);
            next = driver.state().clone();
        }
        if next == head {
            settled = true;
            break;
        }
        head = next;
    }
    driver.paths().muted -= 1;
    driver.unmute(muted);
    if !settled {
        // Out of steps or of widenings: anything the loop may touch is unknown.
        resume(driver, Some(head));
        driver.widen(entry, true);
        head = driver.state().clone();
        if let Some(left) = broken.take() {
            resume(driver, Some(left));
            driver.widen(entry, true);
            broken = Some(driver.state().clone());
        }
    }
    (head, broken)
}

/// One round of a loop's body: the state that comes back to its head (falling through or
/// by `continue`) and the state that leaves it by `break`.
fn run_round<D: Driver>(
    driver: &mut D,
    parts: &mut Loop<'_, D>,
) -> (Option<D::State>, Option<D::State>) {
    driver.paths().loops.push(Frame {
        label: parts.label.map(str::to_string),
        is_loop: true,
        broken: None,
        continued: None,
    });
    (parts.body)(driver);
    let frame = driver.paths().loops.pop().expect("pushed above");
    let back = match (current(driver), frame.continued) {
        (Some(a), Some(b)) => Some(driver.join(a, &b)),
        (a, b) => a.or(b),
    };
    (back, frame.broken)
}

/// Walks `body` catching what leaves the innermost loop around it by `break` and by
/// `continue` (a `finally:` runs on the way out): returns those states, for the caller to
/// take on with `leave`.
pub fn intercept<D: Driver>(
    driver: &mut D,
    body: impl FnOnce(&mut D),
) -> (Option<D::State>, Option<D::State>) {
    driver.paths().loops.push(Frame {
        label: None,
        is_loop: true,
        broken: None,
        continued: None,
    });
    body(driver);
    let frame = driver.paths().loops.pop().expect("pushed above");
    (frame.broken, frame.continued)
}

/// Whether the walk is inside a loop (`break` has somewhere to go).
pub fn in_loop<D: Driver>(driver: &mut D) -> bool {
    driver.paths().loops.iter().any(|frame| frame.is_loop)
}

/// Walks `body` as a muted round would (its loops take no reporting round).
pub fn quietly<D: Driver>(driver: &mut D, body: impl FnOnce(&mut D)) {
    driver.paths().muted += 1;
    body(driver);
    driver.paths().muted -= 1;
}

/// Whether the walk is muted (a loop's settling rounds, or `quietly`).
pub fn is_muted<D: Driver>(driver: &mut D) -> bool {
    driver.paths().muted > 0
}

/// Continues from `state` (`None`: nothing reaches what follows).
pub fn resume_from<D: Driver>(driver: &mut D, state: Option<D::State>) {
    resume(driver, state)
}

/// The state on the path being walked, if any path reaches it.
pub fn reached<D: Driver>(driver: &mut D) -> Option<D::State> {
    current(driver)
}

/// Code that runs later or elsewhere (a closure, an `async` block): its `return` and
/// `break` leave it, not the code around it. The state is the driver's to restore.
pub fn detached<D: Driver>(driver: &mut D, body: impl FnOnce(&mut D)) {
    let paths = driver.paths();
    let unreachable = std::mem::replace(&mut paths.unreachable, false);
    let loops = std::mem::take(&mut paths.loops);
    body(driver);
    let paths = driver.paths();
    paths.unreachable = unreachable;
    paths.loops = loops;
}
