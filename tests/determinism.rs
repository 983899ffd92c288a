//! Same tree, same bytes: the JSON report does not depend on how many workers ran or in
//! which order they finished.

mod common;

use common::{bin, repo};

fn report(target: &str, threads: &str) -> String {
    let output = bin()
        .current_dir(repo())
        .env("RAYON_NUM_THREADS", threads)
        .args(["check", "--format", "json", "--exit-zero", target])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{target}");
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    // Everything but the time it took.
    let at = text.find("\"elapsed_ms\"").expect("a summary");
    text[..at].to_string()
}

#[test]
fn reports_are_identical_whatever_the_number_of_workers() {
    for target in [
        "fixtures/shapes/python",
        "fixtures/shapes/rust",
        "fixtures/mixed_tree",
    ] {
        let one = report(target, "1");
        assert!(one.contains("\"call_sites\""), "{target}");
        for threads in ["2", "8"] {
            assert!(
                one == report(target, threads),
                "{target}: the report with {threads} workers differs from the one with 1"
            );
        }
    }
}
