//! The command-line conventions people expect from ruff and friends: paths from the current
//! directory, `--format concise`, `--statistics`, `--quiet`, `--color`, shell completions,
//! `--version` with the commit, and "did you mean `check`?".

mod common;

use std::path::Path;
use std::process::Output;

use common::{bin, project, repo};

const MISSING: &str =
    "import stripe\n\ndef pay():\n    return stripe.checkout.Session.create(mode=\"payment\")\n";
const CONSTANT: (&str, &str) = ("settings.py", "CHECKOUT_SESSION_TTL_SECONDS = 3600\n");
const NOT_DERIVED: &str = "import time\nimport stripe\n\ndef refund():\n    return stripe.checkout.Session.create(mode=\"payment\", expires_at=int(time.time()) + 3600)\n";

fn run(dir: &Path, args: &[&str]) -> Output {
    bin().current_dir(dir).args(args).output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A project with its root pinned by a config file, and two sibling directories.
fn two_dirs() -> tempfile::TempDir {
    project(&[
        ("checkout-lint.toml", ""),
        ("app/pay.py", MISSING),
        ("lib/deep/keep.txt", ""),
    ])
}

#[test]
fn human_and_concise_paths_are_relative_to_the_current_directory() {
    let dir = two_dirs();
    let app = dir.path().join("app");
    let output = run(&app, &["check", "--format", "concise", "."]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).starts_with("pay.py:4:12: CL001 [missing-expires-at] "),
        "{}",
        stdout(&output)
    );
    let output = run(&app, &["check", "."]);
    assert!(
        stdout(&output).contains("╭─[pay.py:4:12]"),
        "{}",
        stdout(&output)
    );
    let deep = dir.path().join("lib/deep");
    let output = run(&deep, &["check", "--format", "concise", "../../app"]);
    assert!(
        stdout(&output).starts_with("../../app/pay.py:4:12: CL001 "),
        "{}",
        stdout(&output)
    );
    let output = run(dir.path(), &["check", "--format", "concise"]);
    assert!(
        stdout(&output).starts_with("app/pay.py:4:12: "),
        "{}",
        stdout(&output)
    );
}

#[test]
fn json_and_the_table_stay_relative_to_the_project_root() {
    let dir = two_dirs();
    let app = dir.path().join("app");
    let output = run(&app, &["check", "--format", "json", "."]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["diagnostics"][0]["path"], "app/pay.py");
    assert_eq!(report["call_sites"][0]["path"], "app/pay.py");
    let output = run(&app, &["table", "."]);
    assert!(
        stdout(&output).contains("`app/pay.py:4`"),
        "{}",
        stdout(&output)
    );
    // Outside a git work tree, annotations fall back to the root-relative path (as before).
    let output = run(&app, &["check", "--format", "github", "."]);
    assert!(
        stdout(&output).contains("file=app/pay.py,"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn concise_prints_one_line_per_finding_then_the_summary() {
    let dir = project(&[CONSTANT, ("a.py", MISSING), ("b.py", NOT_DERIVED)]);
    let output = run(dir.path(), &["check", "--format", "concise"]);
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!("concise", stdout(&output));
    let output = run(dir.path(), &["check", "--format", "concise", "--quiet"]);
    assert_eq!(stdout(&output).lines().count(), 2, "{}", stdout(&output));
    // As a side output too.
    let output = run(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--output-format",
            "concise=out.txt",
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    let side = std::fs::read_to_string(dir.path().join("out.txt")).unwrap();
    assert!(
        side.starts_with("a.py:4:12: CL001 [missing-expires-at] "),
        "{side}"
    );
    // Ruff's `--output-format concise` (no file) says which flag prints on stdout.
    let output = run(dir.path(), &["check", "--output-format", "concise"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("use `--format concise`"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn statistics_count_findings_per_rule() {
    let dir = project(&[
        CONSTANT,
        ("a.py", MISSING),
        ("b.py", NOT_DERIVED),
        ("c.py", MISSING),
    ]);
    let output = run(dir.path(), &["check", "--statistics"]);
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!("statistics", stdout(&output));
    let output = run(dir.path(), &["check", "--statistics", "--format", "json"]);
    let counts: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        counts,
        serde_json::json!([
            {"code": "CL001", "name": "missing-expires-at", "count": 2},
            {"code": "CL002", "name": "expires-at-not-derived", "count": 1},
        ])
    );
    let output = run(dir.path(), &["check", "--statistics", "--ignore", "CL001"]);
    assert_eq!(stdout(&output), "1\tCL002\texpires-at-not-derived\n");
    let output = run(dir.path(), &["check", "--statistics", "--format", "sarif"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("--statistics"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn quiet_prints_the_findings_and_nothing_else() {
    let dir = project(&[("a.py", "import stripe\nstripe.Customer.create()\n")]);
    let output = run(dir.path(), &["check"]);
    assert!(
        stdout(&output).contains("0 call sites"),
        "{}",
        stdout(&output)
    );
    let output = run(dir.path(), &["check", "--quiet"]);
    assert_eq!(
        (output.status.code(), stdout(&output)),
        (Some(0), String::new())
    );
    let dir = project(&[("a.py", MISSING)]);
    let output = run(dir.path(), &["check", "-q"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("missing-expires-at"));
    assert!(
        !stdout(&output).contains("call site"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn colour_follows_the_color_flag_and_is_off_when_piped() {
    let dir = project(&[("a.py", MISSING)]);
    for format in ["human", "concise"] {
        let coloured = |args: &[&str], no_color: bool| {
            let mut cmd = bin();
            if !no_color {
                cmd.env_remove("NO_COLOR");
            }
            let output = cmd
                .current_dir(dir.path())
                .args(["check", "--format", format])
                .args(args)
                .output()
                .unwrap();
            stdout(&output).contains('\x1b')
        };
        assert!(coloured(&["--color", "always"], false), "{format}");
        // An explicit flag wins over NO_COLOR (no-color.org).
        assert!(coloured(&["--color", "always"], true), "{format}");
        assert!(!coloured(&["--color", "never"], false), "{format}");
        // The tests' stdout is a pipe, not a terminal.
        assert!(!coloured(&["--color", "auto"], false), "{format}");
        assert!(!coloured(&[], false), "{format}");
    }
    let output = run(dir.path(), &["check", "--color", "sometimes"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn completions_are_generated_for_each_shell() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef checkout-lint"),
        ("fish", "complete -c checkout-lint"),
    ] {
        let output = bin().args(["completions", shell]).output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{shell}");
        let script = stdout(&output);
        assert!(script.contains(marker), "{shell}: {script}");
        // Generated from the definitions: the newest flags and subcommands are in.
        for word in ["select", "statistics", "table", "completions"] {
            let spelled = match (shell, word) {
                ("fish", "select" | "statistics") => format!("-l {word}"),
                (_, "select" | "statistics") => format!("--{word}"),
                _ => word.to_string(),
            };
            assert!(script.contains(&spelled), "{shell} lacks {spelled}");
        }
    }
    let output = bin().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn version_names_the_commit_when_built_from_a_git_checkout() {
    let output = bin().arg("--version").output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    let line = text
        .strip_suffix('\n')
        .and_then(|t| t.strip_prefix("checkout-lint "))
        .unwrap_or_else(|| panic!("{text:?}"));
    let (version, commit) = match line.split_once(' ') {
        Some((version, rest)) => (version, Some(rest)),
        None => (line, None),
    };
    assert_eq!(version, env!("CARGO_PKG_VERSION"));
    if let Some(commit) = commit {
        let inner = commit
            .strip_prefix('(')
            .and_then(|c| c.strip_suffix(')'))
            .unwrap_or_else(|| panic!("{text:?}"));
        let (hash, date) = inner.split_once(' ').unwrap_or_else(|| panic!("{text:?}"));
        assert!(
            hash.len() >= 7 && hash.chars().all(|c| c.is_ascii_hexdigit()),
            "{text:?}"
        );
        assert!(date.len() == 10 && date.as_bytes()[4] == b'-', "{text:?}");
    }
    // Built from this repository's git checkout: the commit is HEAD's.
    let head = std::process::Command::new("git")
        .current_dir(repo())
        .args(["rev-parse", "--show-toplevel", "HEAD"])
        .output();
    if let Some(head) = head.ok().filter(|o| o.status.success()) {
        let head = String::from_utf8_lossy(&head.stdout).into_owned();
        let mut lines = head.lines();
        let top = lines.next().unwrap_or_default();
        let full = lines.next().unwrap_or_default();
        if Path::new(top).canonicalize().ok() == repo().canonicalize().ok() {
            let hash = commit
                .and_then(|c| c.trim_start_matches('(').split(' ').next())
                .unwrap_or_else(|| panic!("no commit in {text:?}"));
            assert!(full.starts_with(hash), "{text:?} is not HEAD {full}");
        }
    }
}

#[test]
fn a_mistyped_subcommand_gets_did_you_mean() {
    let dir = project(&[("a.py", MISSING)]);
    for (typo, meant) in [("chek", "check"), ("tabel", "table"), ("rules", "rule")] {
        let output = run(dir.path(), &[typo]);
        assert_eq!(output.status.code(), Some(2), "{typo}");
        let err = stderr(&output);
        assert!(
            err.contains(&format!("did you mean `{meant}`?")),
            "{typo}: {err}"
        );
    }
    // A word far from every subcommand is a missing PATH, as before.
    let output = run(dir.path(), &["payments"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("does not exist"),
        "{}",
        stderr(&output)
    );
    assert!(!stderr(&output).contains("did you mean"));
    // A directory that exists is a PATH, whatever its name.
    std::fs::create_dir(dir.path().join("chek")).unwrap();
    std::fs::write(dir.path().join("chek/b.py"), MISSING).unwrap();
    let output = run(dir.path(), &["chek", "--format", "concise"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).starts_with("chek/b.py:4:12:"),
        "{}",
        stdout(&output)
    );
}
