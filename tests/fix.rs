//! `check --fix`, `--diff` and `--unsafe-fixes`: the incident's tree fixed like the
//! hand-made change, fixture pairs (before / `.fixed`, as clippy's UI tests), a fix the
//! analysis does not confirm left untouched, and the property that fixing any fixture
//! project leaves nothing fixable and a second `--fix` changes nothing.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{bin, copy_dir, repo, validate, validate_sarif};

/// Every file under `dir` (relative path → bytes), `.fixed` files left out.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(next) = stack.pop() {
        for entry in std::fs::read_dir(&next).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_none_or(|e| e != "fixed") {
                let rel = path.strip_prefix(dir).unwrap().to_path_buf();
                files.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// A scratch copy of a fixture directory, without its `.fixed` files.
fn scratch(fixture: &Path) -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let copy = temp.path().join(fixture.file_name().unwrap());
    copy_dir(fixture, &copy);
    for rel in tree(fixture).keys() {
        let fixed = copy.join(rel).with_extension(format!(
            "{}.fixed",
            rel.extension().unwrap_or_default().to_string_lossy()
        ));
        let _ = std::fs::remove_file(fixed);
    }
    (temp, copy)
}

fn check(dir: &Path, args: &[&str]) -> std::process::Output {
    bin().arg("check").args(args).arg(dir).output().unwrap()
}

#[test]
fn the_incident_tree_is_fixed_like_the_hand_made_change() {
    let (_temp, tree_dir) = scratch(&repo().join("fixtures/basketball_api"));
    let before = tree(&tree_dir);

    // Safe fixes only: the CL001 fixes wait on the constant, and the run says how to go on.
    let safe = check(&tree_dir, &["--fix"]);
    assert_eq!(safe.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&safe.stderr);
    assert!(
        stderr.contains("8 more fixes are available with `--fix --unsafe-fixes` (CL001 × 8)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("wait on the shared TTL constant"),
        "{stderr}"
    );
    assert_eq!(tree(&tree_dir), before, "--fix alone changed files");

    let diff = check(&tree_dir, &["--diff", "--unsafe-fixes"]);
    assert_eq!(diff.status.code(), Some(1));
    insta::assert_snapshot!("basketball_diff", String::from_utf8(diff.stdout).unwrap());
    assert_eq!(tree(&tree_dir), before, "--diff wrote files");

    let fixed = check(&tree_dir, &["--fix", "--unsafe-fixes"]);
    assert_eq!(
        fixed.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&fixed.stderr)
    );
    assert!(String::from_utf8_lossy(&fixed.stderr).contains("fixed 8 findings in 6 files"));
    let after = check(&tree_dir, &[]);
    assert_eq!(
        after.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&after.stdout)
    );
    let config = std::fs::read_to_string(tree_dir.join("src/basketball_api/config.py")).unwrap();
    assert!(
        config.ends_with("CHECKOUT_SESSION_TTL_SECONDS = 23 * 3600\n"),
        "{config}"
    );

    let once = tree(&tree_dir);
    let again = check(&tree_dir, &["--fix", "--unsafe-fixes"]);
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(tree(&tree_dir), once, "a second --fix changed files");
    let nothing = check(&tree_dir, &["--diff", "--unsafe-fixes"]);
    assert_eq!(nothing.status.code(), Some(0));
    assert!(nothing.stdout.is_empty());
}

#[test]
fn fixes_are_in_the_json_and_sarif_reports() {
    let dir = repo().join("fixtures/fix/python/constant_defined");
    let json = check(&dir, &["--format", "json"]);
    validate(&json.stdout);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let fixes: Vec<&serde_json::Value> = (report["diagnostics"].as_array().unwrap().iter())
        .map(|d| &d["fix"])
        .collect();
    assert_eq!(fixes.len(), 6);
    assert!(fixes.iter().all(|f| f["safety"] == "safe"), "{fixes:#?}");
    let sarif = check(&dir, &["--format", "sarif"]);
    let sarif = validate_sarif(&sarif.stdout);
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let change = &results[0]["fixes"][0]["artifactChanges"][0];
    assert!(change["artifactLocation"]["uri"]
        .as_str()
        .unwrap()
        .ends_with("app/pay.py"));
    assert!(change["replacements"][0]["insertedContent"]["text"].is_string());
    let human = check(&dir, &[]);
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(text.contains("(fixable with --fix)"), "{text}");
    assert!(text.ends_with("6 fixable with --fix\n"), "{text}");
}

#[test]
fn every_fix_pair_gives_its_fixed_files() {
    let mut seen = 0;
    let cases = ["python", "rust"].map(|l| repo().join("fixtures/fix").join(l));
    let cases = cases.iter().flat_map(|dir| std::fs::read_dir(dir).unwrap());
    for case in cases {
        let case = case.unwrap().path();
        let (_temp, copy) = scratch(&case);
        let output = check(&copy, &["--fix", "--unsafe-fixes"]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        for (rel, bytes) in tree(&copy) {
            let original = case.join(&rel);
            let fixed = PathBuf::from(format!("{}.fixed", original.display()));
            let expected = std::fs::read(if fixed.exists() { &fixed } else { &original }).unwrap();
            assert_eq!(
                String::from_utf8_lossy(&bytes),
                String::from_utf8_lossy(&expected),
                "{}: {stderr}",
                original.display()
            );
        }
        seen += 1;
    }
    assert!(seen >= 9, "the fix pairs were not found");
}

#[test]
fn a_fix_the_analysis_would_not_confirm_leaves_the_file_untouched() {
    // `CHECKOUT_SESSION_TTL_SECONDS` is a class attribute where `Warmup` creates a session:
    // the fixed call would be CL002.
    let (_temp, copy) = scratch(&repo().join("fixtures/fix/python/shadowed"));
    let before = tree(&copy);
    let output = check(&copy, &["--fix", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("app/pay.py: left untouched: the fix would bring a new CL002 finding"),
        "{stderr}"
    );
    assert_eq!(tree(&copy), before);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["diagnostics"][1]["code"], "CL001");
    assert!(
        report["diagnostics"][1]["fix"].is_null(),
        "a refused fix is not offered again"
    );
}

#[test]
fn no_fix_is_offered_where_a_parameter_hides_a_name_it_writes() {
    // `create`'s parameter is called `CHECKOUT_SESSION_TTL_SECONDS`: the fix would read it.
    let (_temp, copy) = scratch(&repo().join("fixtures/fix/python/shadowed"));
    let output = check(&copy, &["--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let first = &report["diagnostics"][0];
    assert_eq!(
        (first["code"].as_str(), first["line"].as_u64()),
        (Some("CL001"), Some(9))
    );
    assert!(first["fix"].is_null(), "{first}");
    assert!(!report["diagnostics"][1]["fix"].is_null());
}

/// The fixture projects a fix may touch: every Python shape, rule case and example.
fn fixture_projects() -> Vec<PathBuf> {
    let root = repo().join("fixtures");
    let mut projects = vec![
        root.join("basketball_api"),
        root.join("mixed_tree"),
        root.join("axum_shop"),
    ];
    for parent in [
        "shapes/python",
        "shapes/rust",
        "rules",
        "fix/python",
        "fix/rust",
    ] {
        for entry in std::fs::read_dir(root.join(parent)).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                projects.push(path);
            }
        }
    }
    projects.sort();
    projects
}

#[test]
fn fixing_any_fixture_leaves_nothing_fixable_and_a_second_fix_changes_nothing() {
    for project in fixture_projects() {
        let (_temp, copy) = scratch(&project);
        let parse_errors_before = check(&copy, &["--format", "json"]);
        let count = |output: &std::process::Output, code: &str| {
            let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
            (report["diagnostics"].as_array().unwrap().iter())
                .filter(|d| d["code"] == code)
                .count()
        };
        let first = check(&copy, &["--fix", "--unsafe-fixes", "--format", "json"]);
        let report: serde_json::Value = serde_json::from_slice(&first.stdout).unwrap();
        let fixable: Vec<&serde_json::Value> = (report["diagnostics"].as_array().unwrap().iter())
            .filter(|d| !d["fix"].is_null())
            .collect();
        assert!(
            fixable.is_empty(),
            "{}: still fixable: {fixable:#?}",
            project.display()
        );
        assert_eq!(
            count(&first, "CL009"),
            count(&parse_errors_before, "CL009"),
            "{}: a fix broke a file",
            project.display()
        );
        let once = tree(&copy);
        check(&copy, &["--fix", "--unsafe-fixes"]);
        assert_eq!(
            tree(&copy),
            once,
            "{}: a second --fix changed files",
            project.display()
        );
    }
}

#[test]
fn a_constant_outside_stripes_window_makes_the_fix_unsafe() {
    // Passing a 48-hour constant would turn a working call into an HTTP 400 (CL003).
    let dir = common::project(&[
        ("pyproject.toml", "[project]\nname = \"x\"\n"),
        ("app/__init__.py", ""),
        ("app/config.py", "CHECKOUT_SESSION_TTL_SECONDS = 48 * 3600\n"),
        (
            "app/pay.py",
            "import stripe\n\n\ndef go(items):\n    return stripe.checkout.Session.create(mode=\"payment\", line_items=items)\n",
        ),
    ]);
    let before = tree(dir.path());
    let output = check(dir.path(), &["--fix", "--format", "json"]);
    assert_eq!(
        tree(dir.path()),
        before,
        "the safe --fix passed an out-of-range constant"
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let cl001 = (report["diagnostics"].as_array().unwrap().iter())
        .find(|d| d["code"] == "CL001")
        .unwrap();
    assert_eq!(cl001["fix"]["safety"], "unsafe");
    assert!(cl001["fix"]["message"]
        .as_str()
        .unwrap()
        .contains("outside Stripe's window"));
}

#[test]
fn a_read_only_file_stops_the_fix_before_any_file_is_written() {
    let (_temp, copy) = scratch(&repo().join("fixtures/fix/python/no_constant"));
    let settings = copy.join("shop/settings.py");
    let mut permissions = std::fs::metadata(&settings).unwrap().permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&settings, permissions).unwrap();
    let before = tree(&copy);
    let output = check(&copy, &["--fix", "--unsafe-fixes"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("read-only; no file was changed"),
        "{stderr}"
    );
    assert_eq!(
        tree(&copy),
        before,
        "a file was written before the read-only one was found"
    );
}

#[test]
fn the_runbook_table_follows_the_fixes() {
    let (_temp, root) = scratch(&repo().join("fixtures/basketball_api"));
    let runbook = "docs/tournament-billing-runbook.md";
    let pyproject = root.join("pyproject.toml");
    let mut config = std::fs::read_to_string(&pyproject).unwrap();
    config.push_str(&format!(
        "\n[tool.checkout-lint.table]\ndocument = \"{runbook}\"\n"
    ));
    std::fs::write(&pyproject, config).unwrap();
    let table = |args: &[&str]| {
        bin()
            .current_dir(&root)
            .arg("table")
            .args(args)
            .output()
            .unwrap()
    };
    assert_eq!(table(&["--write", runbook]).status.code(), Some(0));
    let written = std::fs::read_to_string(root.join(runbook)).unwrap();
    assert!(written.contains("violation: CL001"), "{written}");

    let diff = check(&root, &["--diff", "--unsafe-fixes"]);
    let diff = String::from_utf8(diff.stdout).unwrap();
    assert!(
        diff.contains(&format!("--- a/{runbook}")),
        "--diff leaves out the table: {diff}"
    );

    let fixed = check(&root, &["--fix", "--unsafe-fixes"]);
    assert_eq!(
        fixed.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&fixed.stderr)
    );
    assert_eq!(
        table(&["--check", runbook]).status.code(),
        Some(0),
        "the table is stale after --fix"
    );
    let rewritten = std::fs::read_to_string(root.join(runbook)).unwrap();
    assert!(!rewritten.contains("violation"), "{rewritten}");
    assert_eq!(
        rewritten.matches("| sanctioned |").count(),
        8,
        "{rewritten}"
    );
}

#[test]
fn the_projects_helper_over_an_out_of_range_constant_is_passed_only_as_an_unsafe_fix() {
    let dir = common::project(&[
        ("pyproject.toml", "[project]\nname = \"x\"\n"),
        ("app/__init__.py", ""),
        ("app/config.py", "CHECKOUT_SESSION_TTL_SECONDS = 48 * 3600\n"),
        (
            "app/expiry.py",
            "import time\n\nfrom app.config import CHECKOUT_SESSION_TTL_SECONDS\n\n\ndef checkout_expires_at():\n    return int(time.time()) + CHECKOUT_SESSION_TTL_SECONDS\n",
        ),
        (
            "app/shop.py",
            "import stripe\n\nfrom app.expiry import checkout_expires_at\n\n\ndef ok(items):\n    return stripe.checkout.Session.create(mode=\"payment\", line_items=items, expires_at=checkout_expires_at())\n\n\ndef missing(items):\n    return stripe.checkout.Session.create(mode=\"payment\", line_items=items)\n",
        ),
    ]);
    let output = check(dir.path(), &["--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let cl001 = (report["diagnostics"].as_array().unwrap().iter())
        .find(|d| d["code"] == "CL001")
        .unwrap();
    assert!(
        cl001["fix"]["message"]
            .as_str()
            .unwrap()
            .contains("checkout_expires_at()"),
        "{cl001:#}"
    );
    assert_eq!(cl001["fix"]["safety"], "unsafe", "{cl001:#}");
}

#[test]
fn a_diff_is_not_a_report_so_report_formats_are_refused_beside_it() {
    let dir = repo().join("fixtures/fix/python/constant_defined");
    for format in [
        &["--format", "json"][..],
        &["--output-format", "sarif=out.sarif"],
    ] {
        let mut args = vec!["--diff"];
        args.extend_from_slice(format);
        let output = check(&dir, &args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("cannot be used with"), "{stderr}");
        assert!(output.stdout.is_empty());
    }
}

#[test]
fn a_fix_that_would_not_parse_leaves_its_files_untouched() {
    // The settings module is a template, not Python: defining the constant there gives a
    // file that does not parse, so neither it nor the site that would import it changes.
    let (_temp, copy) = scratch(&repo().join("fixtures/fix/python/template_settings"));
    let before = tree(&copy);
    let output = check(&copy, &["--fix", "--unsafe-fixes"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("shop/config.py: left untouched: the fixed file would not parse"),
        "{stderr}"
    );
    assert_eq!(tree(&copy), before);
}
