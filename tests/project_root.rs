//! The project root without a config file (the nearest `pyproject.toml`, `Cargo.toml`,
//! `setup.py`, `setup.cfg` or `.git`), and what depends on it: the pre-commit hook on one
//! changed file gives the verdicts of the whole tree, on a fresh layout and on every
//! fixture project.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{bin, git_work_tree, repo, write_files};
use serde_json::Value;

const CONFIG: &str = "CHECKOUT_SESSION_TTL_SECONDS = 23 * 60 * 60\n";

fn pay(expires: &str) -> String {
    format!(
        "import time\n\nimport stripe\n\nfrom app.config import CHECKOUT_SESSION_TTL_SECONDS\n\n\n\
         def buy():\n    return stripe.checkout.Session.create(\n        mode=\"payment\",\n{expires}    )\n"
    )
}

/// The `entry` and `args` of one hook in the repository's `.pre-commit-hooks.yaml`, read
/// as the flat YAML it is (one `key: value` per line).
fn hook_command(id: &str) -> Vec<String> {
    let text = std::fs::read_to_string(repo().join(".pre-commit-hooks.yaml")).unwrap();
    let hook = text
        .split("\n- ")
        .find(|block| {
            block
                .trim_start_matches("- ")
                .starts_with(&format!("id: {id}\n"))
        })
        .unwrap_or_else(|| panic!("hook {id} in .pre-commit-hooks.yaml"));
    let value = |key: &str| {
        hook.lines()
            .map(str::trim)
            .find_map(|l| l.strip_prefix(&format!("{key}: ")))
            .map(str::to_string)
    };
    let mut words: Vec<String> = value("entry")
        .expect("entry")
        .split_whitespace()
        .map(str::to_string)
        .collect();
    if let Some(args) = value("args") {
        let inner = args.trim_start_matches('[').trim_end_matches(']');
        words.extend(inner.split(',').map(|a| a.trim().to_string()));
    }
    assert_eq!(words[0], "checkout-lint", "the hook runs the tool");
    words
}

/// A git work tree holding `files`, with no checkout-lint config anywhere.
fn git_tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = git_work_tree();
    write_files(dir.path(), files);
    dir
}

/// Runs the `checkout-lint` pre-commit hook as pre-commit does: from the work tree's
/// top, the entry and args, then the changed files.
fn run_hook(tree: &Path, changed: &[&str]) -> (i32, String) {
    let words = hook_command("checkout-lint");
    let output = bin()
        .current_dir(tree)
        .args(&words[1..])
        .args(changed)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    let stderr = String::from_utf8_lossy(&output.stderr);
    (
        output.status.code().unwrap_or(-1),
        format!("{stdout}{stderr}"),
    )
}

#[test]
fn the_pre_commit_hook_on_one_file_without_config_resolves_the_package() {
    let expires = "        expires_at=int(time.time()) + CHECKOUT_SESSION_TTL_SECONDS,\n";
    let tree = git_tree(&[
        ("app/__init__.py", ""),
        ("app/config.py", CONFIG),
        ("app/pay.py", &pay(expires)),
    ]);
    let (code, output) = run_hook(tree.path(), &["app/pay.py"]);
    assert_eq!(code, 0, "sanctioned code passes the hook:\n{output}");
    assert!(!output.contains("CL0"), "{output}");

    write_files(tree.path(), &[("app/pay.py", &pay(""))]);
    let (code, output) = run_hook(tree.path(), &["app/pay.py"]);
    assert_eq!(code, 1, "{output}");
    assert!(output.contains("CL001"), "{output}");
    assert!(!output.contains("CL002"), "{output}");
}

#[test]
fn a_subdirectory_path_is_judged_from_the_marked_root() {
    let expires = "        expires_at=int(time.time()) + CHECKOUT_SESSION_TTL_SECONDS,\n";
    let tree = git_tree(&[
        (
            "pyproject.toml",
            "[project]\nname = \"shop\"\nversion = \"1\"\n",
        ),
        ("app/__init__.py", ""),
        ("app/config.py", CONFIG),
        ("app/pay.py", &pay(expires)),
    ]);
    let (code, report) = json_report(tree.path(), &["app"]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["call_sites"][0]["path"], "app/pay.py");
    assert_eq!(report["call_sites"][0]["status"], "sanctioned");
}

#[test]
fn config_show_names_the_root_marker_and_the_constant() {
    let tree = git_tree(&[
        ("services/billing/setup.cfg", "[metadata]\nname = billing\n"),
        ("services/billing/app/__init__.py", ""),
        ("services/billing/app/config.py", CONFIG),
    ]);
    let output = bin()
        .current_dir(tree.path())
        .args(["config", "show", "services/billing/app/config.py"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("config file:     none"), "{text}");
    assert!(text.contains("(nearest setup.cfg)"), "{text}");
    assert!(
        text.contains("app.config.CHECKOUT_SESSION_TTL_SECONDS (default name) at app/config.py:1 = 82800 seconds"),
        "{text}"
    );
    assert!(text.contains("rust constant:   none defined"), "{text}");
    assert!(text.contains("CL001 missing-expires-at"), "{text}");
    assert!(text.contains("(nearest setup.cfg)"), "{text}");
}

fn json_report(cwd: &Path, paths: &[&str]) -> (i32, Value) {
    let output = bin()
        .current_dir(cwd)
        .args(["check", "--format", "json"])
        .args(paths)
        .output()
        .unwrap();
    let report = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (output.status.code().unwrap_or(-1), report)
}

/// Every directory under `fixtures/` that is a project: it holds a config file or a
/// project marker.
fn fixture_projects() -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![repo().join("fixtures")];
    while let Some(dir) = pending.pop() {
        let is_project = [
            "checkout-lint.toml",
            "pyproject.toml",
            "Cargo.toml",
            "setup.py",
            "setup.cfg",
        ]
        .iter()
        .any(|m| dir.join(m).is_file());
        if is_project {
            found.push(dir);
            continue;
        }
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            if entry.path().is_dir() {
                pending.push(entry.path());
            }
        }
    }
    found.sort();
    found
}

fn source_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            source_files(&path, out);
        } else if matches!(path.extension().and_then(|e| e.to_str()), Some("py" | "rs")) {
            out.push(path);
        }
    }
}

/// The report's diagnostics and call sites, per path, without timings.
fn by_path(report: &Value) -> BTreeMap<String, Vec<Value>> {
    let mut out: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for key in ["diagnostics", "call_sites"] {
        for entry in report[key].as_array().into_iter().flatten() {
            let path = entry["path"].as_str().unwrap_or_default().to_string();
            out.entry(path).or_default().push(entry.clone());
        }
    }
    out
}

#[test]
fn each_file_alone_gets_the_verdicts_of_its_tree_in_every_fixture_project() {
    let projects = fixture_projects();
    assert!(
        projects.len() > 60,
        "fixture projects found: {}",
        projects.len()
    );
    // Two workers: each run is a process that mostly waits on its own start-up.
    let (left, right) = projects.split_at(projects.len() / 2);
    let results: Vec<(Vec<String>, usize)> = std::thread::scope(|scope| {
        let workers: Vec<_> = [left, right]
            .into_iter()
            .map(|half| {
                scope.spawn(move || half.iter().map(|p| mismatches_in(p)).collect::<Vec<_>>())
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    });
    let compared: usize = results.iter().map(|(_, n)| n).sum();
    let mismatches: Vec<String> = results.into_iter().flat_map(|(m, _)| m).collect();
    // Files with a diagnostic or a call site in the tree's report, checked alone too.
    assert!(
        compared > 150,
        "only {compared} files with findings compared"
    );
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

/// The files of `project` whose diagnostics and call sites differ between checking the
/// file alone and checking the project's directory.
fn mismatches_in(project: &Path) -> (Vec<String>, usize) {
    let (_, tree_report) = json_report(&repo(), &[project.to_str().unwrap()]);
    let tree = by_path(&tree_report);
    let mut files = Vec::new();
    source_files(project, &mut files);
    let mut mismatches = Vec::new();
    let mut compared = 0;
    for file in files {
        let (_, file_report) = json_report(&repo(), &[file.to_str().unwrap()]);
        let alone = by_path(&file_report);
        let rel = file
            .strip_prefix(project)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        compared += usize::from(tree.contains_key(&rel));
        if alone.get(&rel) != tree.get(&rel) {
            mismatches.push(format!(
                "{}: alone {:?}\n  tree {:?}",
                file.display(),
                alone.get(&rel),
                tree.get(&rel)
            ));
        }
    }
    (mismatches, compared)
}

#[test]
fn config_show_prints_the_effective_rules() {
    let tree = git_tree(&[(
        "checkout-lint.toml",
        "[rules]\nignore = [\"CL006\"]\nwarn = [\"CL002\"]\nper-file-ignores = {\"tests/**\" = [\"CL001\"]}\n",
    )]);
    let output = bin()
        .current_dir(tree.path())
        .args(["config", "show"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("checkout-lint.toml"), "{text}");
    assert!(text.contains("(the config file's directory)"), "{text}");
    let rule_line = |code: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(code))
            .unwrap_or_default()
            .to_string()
    };
    assert!(rule_line("CL006").contains("off (naive-utc-timestamp is ignored in the config)"));
    assert!(rule_line("CL002").ends_with("warning"), "{text}");
    assert!(rule_line("CL001").ends_with("error"), "{text}");
    assert!(text.contains("off in `tests/**`: CL001"), "{text}");
}

#[test]
fn a_project_whose_ignore_files_leave_the_path_out_is_not_its_root() {
    // An interpreter's library under a tool's git checkout that ignores `versions/`.
    let tree = git_tree(&[
        (".gitignore", "/versions\n"),
        ("versions/lib/app/__init__.py", ""),
        ("versions/lib/app/config.py", CONFIG),
        (
            "versions/lib/app/pay.py",
            &pay("        expires_at=int(time.time()) + CHECKOUT_SESSION_TTL_SECONDS,\n"),
        ),
    ]);
    let (code, report) = json_report(tree.path(), &["versions/lib"]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["call_sites"][0]["path"], "app/pay.py", "{report:#}");
    assert_eq!(report["call_sites"][0]["status"], "sanctioned");
}

#[test]
fn a_named_path_that_ignore_files_leave_out_is_still_checked() {
    let tree = git_tree(&[
        ("checkout-lint.toml", ""),
        (".gitignore", "/generated\n"),
        ("generated/pay.py", &pay("")),
    ]);
    let (code, report) = json_report(tree.path(), &["generated/pay.py"]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["call_sites"][0]["path"], "generated/pay.py");
    let (code, report) = json_report(tree.path(), &["."]);
    assert_eq!(code, 0, "the walk of the tree leaves it out: {report:#}");
}
