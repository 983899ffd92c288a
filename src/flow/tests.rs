//! The walker on hand-made bodies: every offset is one statement, and what it does is the
//! test domain's.

use std::collections::BTreeSet;

use super::*;

/// Keys set on every path (`must`), or on some path (`may`); the statement at offset `n`
/// sets key `n` when `n` is in `sets`.
struct Keys {
    sets: Vec<usize>,
    must: bool,
}

impl Domain for Keys {
    type State = BTreeSet<usize>;
    fn apply(&self, state: &mut Self::State, span: Span) {
        for offset in span.start..span.end {
            if self.sets.contains(&offset) {
                state.insert(offset);
            }
        }
    }
    fn join(&self, a: Self::State, b: Self::State) -> Self::State {
        if self.must {
            a.intersection(&b).copied().collect()
        } else {
            a.union(&b).copied().collect()
        }
    }
}

fn plain(at: usize) -> Step {
    Step::Plain(Span::new(at, at + 1))
}

fn span_of(steps: &[Step]) -> Span {
    Span::new(steps[0].span().start, steps[steps.len() - 1].span().end)
}

fn branch(header: usize, arms: Vec<Vec<Step>>, exhaustive: bool) -> Step {
    let end = arms
        .iter()
        .map(|a| span_of(a).end)
        .max()
        .unwrap_or(header + 1);
    Step::Branch {
        span: Span::new(header, end),
        header: Span::new(header, header + 1),
        arms,
        exhaustive,
    }
}

fn must(sets: &[usize], steps: &[Step], at: usize) -> Option<Vec<usize>> {
    let keys = Keys {
        sets: sets.to_vec(),
        must: true,
    };
    state_at(&keys, steps, BTreeSet::new(), at).map(|s| s.into_iter().collect())
}

fn may(sets: &[usize], steps: &[Step], at: usize) -> Option<Vec<usize>> {
    let keys = Keys {
        sets: sets.to_vec(),
        must: false,
    };
    state_at(&keys, steps, BTreeSet::new(), at).map(|s| s.into_iter().collect())
}

#[test]
fn a_write_under_a_condition_is_not_made_on_every_path() {
    // 0: set; 1: if; 2: set (then); 5: call
    let body = vec![plain(0), branch(1, vec![vec![plain(2)]], false), plain(5)];
    assert_eq!(must(&[0, 2], &body, 5), Some(vec![0]));
    assert_eq!(may(&[0, 2], &body, 5), Some(vec![0, 2]));
}

#[test]
fn a_write_in_every_arm_is_made_on_every_path() {
    let body = vec![
        branch(1, vec![vec![plain(2)], vec![plain(3)]], true),
        plain(5),
    ];
    assert_eq!(must(&[2, 3], &body, 5), Some(vec![]));
    assert_eq!(must(&[2], &body, 5), Some(vec![]));
    let both = vec![
        branch(1, vec![vec![plain(2)], vec![plain(3)]], true),
        plain(5),
    ];
    // Key 2 written in both arms (offsets 2 and 3 stand for the same write here).
    struct Same;
    impl Domain for Same {
        type State = bool;
        fn apply(&self, state: &mut bool, span: Span) {
            *state |= span.start == 2 || span.start == 3;
        }
        fn join(&self, a: bool, b: bool) -> bool {
            a && b
        }
    }
    assert_eq!(state_at(&Same, &both, false, 5), Some(true));
}

#[test]
fn an_arm_that_leaves_does_not_reach_what_follows() {
    let body = vec![
        branch(
            1,
            vec![vec![plain(2)], vec![Step::Exit(Span::new(3, 4))]],
            true,
        ),
        plain(5),
    ];
    assert_eq!(must(&[2], &body, 5), Some(vec![2]));
    let all_leave = vec![Step::Exit(Span::new(0, 1)), plain(5)];
    assert_eq!(must(&[], &all_leave, 5), None);
}

#[test]
fn a_loop_may_not_run() {
    let body = vec![
        plain(0),
        Step::Loop {
            span: Span::new(1, 3),
            header: Span::new(1, 2),
            body: vec![plain(2)],
            orelse: vec![],
            endless: false,
        },
        plain(5),
    ];
    assert_eq!(must(&[0, 2], &body, 5), Some(vec![0]));
}

#[test]
fn an_endless_loop_is_left_by_break_only() {
    let body = vec![
        Step::Loop {
            span: Span::new(1, 4),
            header: Span::new(1, 2),
            body: vec![plain(2), Step::Break(Span::new(3, 4))],
            orelse: vec![],
            endless: true,
        },
        plain(5),
    ];
    assert_eq!(must(&[2], &body, 5), Some(vec![2]));
}

#[test]
fn a_later_statement_of_a_loop_reaches_an_earlier_one_on_the_next_round() {
    let body = vec![Step::Loop {
        span: Span::new(1, 4),
        header: Span::new(1, 2),
        body: vec![plain(2), plain(3)],
        orelse: vec![],
        endless: false,
    }];
    assert_eq!(may(&[3], &body, 2), Some(vec![3]));
    assert_eq!(must(&[3], &body, 2), Some(vec![]));
}

#[test]
fn a_handler_may_start_before_the_try_body_did_anything() {
    let body = vec![
        Step::Try {
            span: Span::new(1, 5),
            header: Span::new(1, 2),
            body: vec![plain(2)],
            handlers: vec![vec![plain(3)]],
            orelse: vec![],
            finally: vec![],
        },
        plain(5),
    ];
    assert_eq!(must(&[2], &body, 5), Some(vec![]));
    assert_eq!(must(&[2], &body, 3), Some(vec![]));
    assert_eq!(may(&[2], &body, 3), Some(vec![2]));
    // A handler that raises again does not fall through.
    let reraised = vec![
        Step::Try {
            span: Span::new(1, 5),
            header: Span::new(1, 2),
            body: vec![plain(2)],
            handlers: vec![vec![Step::Exit(Span::new(3, 4))]],
            orelse: vec![],
            finally: vec![],
        },
        plain(5),
    ];
    assert_eq!(must(&[2], &reraised, 5), Some(vec![2]));
}

#[test]
fn the_state_inside_an_arm_is_the_arms_own() {
    let body = vec![
        plain(0),
        branch(1, vec![vec![plain(2), plain(3)], vec![plain(4)]], true),
    ];
    assert_eq!(must(&[0, 2], &body, 3), Some(vec![0, 2]));
    assert_eq!(must(&[0, 2], &body, 4), Some(vec![0]));
    // Offsets outside the body are not reached.
    assert_eq!(must(&[0], &body, 9), None);
}

#[test]
fn a_walk_that_would_take_too_long_says_so() {
    // Thirty loops nested in each other, each of whose bodies changes the state every
    // round: three rounds a level would be 3^30 steps.
    struct Counting;
    impl Domain for Counting {
        type State = u64;
        fn apply(&self, state: &mut u64, _: Span) {
            *state = state.wrapping_add(1);
        }
        fn join(&self, a: u64, b: u64) -> u64 {
            a.max(b)
        }
    }
    let mut body = vec![plain(100)];
    for level in (0..30).rev() {
        body = vec![Step::Loop {
            span: Span::new(level, 101),
            header: Span::new(level, level + 1),
            body,
            orelse: vec![],
            endless: false,
        }];
    }
    body.push(plain(200));
    assert!(matches!(walk_to(&Counting, &body, 0, 200), Walked::TooLong));
    // A budget spent by one walk is not taken from the next.
    let short = vec![plain(0), plain(1)];
    assert!(matches!(walk_to(&Counting, &short, 0, 1), Walked::At(1)));
}
