//! The paths of hand-driven walks: a set of keys set on every path, and a count that never
//! settles.

use std::collections::BTreeSet;

use super::*;

/// `repeat` with a body only.
fn looping<D: Driver>(
    driver: &mut D,
    label: Option<&str>,
    endless: bool,
    mut body: impl FnMut(&mut D),
) {
    let parts = Loop {
        label,
        endless,
        header: &mut |_| {},
        body: &mut body,
        orelse: &mut |_| {},
    };
    repeat(driver, parts);
}

/// Keys set on every path; `report` records what holds where it is called.
#[derive(Default)]
struct Keys {
    state: BTreeSet<u8>,
    paths: Paths<BTreeSet<u8>>,
    reports: Vec<(u8, Vec<u8>)>,
    widened: usize,
}

impl Keys {
    fn set(&mut self, key: u8) {
        self.state.insert(key);
    }
    fn clear(&mut self, key: u8) {
        self.state.remove(&key);
    }
    fn report(&mut self, at: u8) {
        let held = self.state.iter().copied().collect();
        self.reports.push((at, held));
    }
}

impl Driver for Keys {
    type State = BTreeSet<u8>;
    type Muted = usize;
    fn paths(&mut self) -> &mut Paths<BTreeSet<u8>> {
        &mut self.paths
    }
    fn state(&mut self) -> &mut BTreeSet<u8> {
        &mut self.state
    }
    fn join(&self, a: BTreeSet<u8>, b: &BTreeSet<u8>) -> BTreeSet<u8> {
        a.intersection(b).copied().collect()
    }
    fn mute(&mut self) -> usize {
        self.reports.len()
    }
    fn unmute(&mut self, muted: usize) {
        self.reports.truncate(muted);
    }
    fn widen(&mut self, before: &BTreeSet<u8>, _: bool) {
        self.widened += 1;
        self.state = self.state.intersection(before).copied().collect();
    }
}

#[test]
fn an_arm_that_exits_does_not_meet_the_others() {
    let mut keys = Keys::default();
    branch(&mut keys, 2, true, |k, arm| match arm {
        0 => exit(k),
        _ => k.set(1),
    });
    keys.report(9);
    assert_eq!(keys.reports, vec![(9, vec![1])]);
    assert!(keys.paths.reachable());
}

#[test]
fn a_branch_that_may_run_no_arm_keeps_the_state_before_it() {
    let mut keys = Keys::default();
    branch(&mut keys, 1, false, |k, _| k.set(1));
    keys.report(9);
    assert_eq!(keys.reports, vec![(9, vec![])]);
}

#[test]
fn every_arm_exiting_leaves_nothing_reached() {
    let mut keys = Keys::default();
    branch(&mut keys, 2, true, |k, _| exit(k));
    assert!(!keys.paths.reachable());
}

#[test]
fn a_loop_sees_what_its_last_round_left_and_reports_once() {
    let mut keys = Keys::default();
    keys.set(1);
    looping(&mut keys, None, false, |k| {
        k.report(5);
        k.clear(1);
    });
    assert_eq!(keys.reports, vec![(5, vec![])]);
    assert_eq!(keys.widened, 0);
}

#[test]
fn a_break_carries_its_state_out_of_an_endless_loop() {
    let mut keys = Keys::default();
    looping(&mut keys, None, true, |k| {
        k.set(1);
        leave(k, Leave::Break, None);
    });
    keys.report(9);
    assert_eq!(keys.reports, vec![(9, vec![1])]);
}

#[test]
fn a_labelled_break_leaves_the_outer_loop() {
    let mut keys = Keys::default();
    looping(&mut keys, Some("outer"), true, |k| {
        looping(k, None, true, |k| {
            k.set(2);
            leave(k, Leave::Break, Some("outer"));
        });
        // Not reached: the inner loop only leaves to the outer one's end.
        k.set(3);
    });
    keys.report(9);
    assert_eq!(keys.reports.last(), Some(&(9, vec![2])));
}

#[test]
fn a_continue_skips_the_rest_of_the_round() {
    let mut keys = Keys::default();
    looping(&mut keys, None, false, |k| {
        branch(k, 1, false, |k, _| {
            k.clear(1);
            leave(k, Leave::Continue, None);
        });
        k.set(1);
        k.report(5);
    });
    assert_eq!(keys.reports, vec![(5, vec![1])]);
}

#[test]
fn an_exit_in_detached_code_does_not_end_the_path_around_it() {
    let mut keys = Keys::default();
    detached(&mut keys, exit);
    assert!(keys.paths.reachable());
}

/// A count that grows on every round: it never settles.
#[derive(Default)]
struct Counter {
    count: u32,
    paths: Paths<u32>,
    walked: u64,
    widened: usize,
}

impl Driver for Counter {
    type State = u32;
    type Muted = ();
    fn paths(&mut self) -> &mut Paths<u32> {
        &mut self.paths
    }
    fn state(&mut self) -> &mut u32 {
        &mut self.count
    }
    fn join(&self, a: u32, b: &u32) -> u32 {
        a.max(*b)
    }
    fn mute(&mut self) {}
    fn unmute(&mut self, _: ()) {}
    fn widen(&mut self, _: &u32, _: bool) {
        self.widened += 1;
        self.count = u32::MAX;
    }
}

#[test]
fn deep_nesting_spends_the_budget_and_widens_instead_of_exploding() {
    fn nest(c: &mut Counter, depth: u32) {
        spend(c);
        c.walked += 1;
        if depth == 0 {
            c.count = c.count.saturating_add(1);
            return;
        }
        looping(c, None, false, |c| nest(c, depth - 1));
    }
    let mut counter = Counter::default();
    nest(&mut counter, 40);
    assert!(counter.widened > 0);
    assert!(counter.walked < 1_000_000, "{}", counter.walked);
}
