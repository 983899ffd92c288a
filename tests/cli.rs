//! The command line: exit codes, config discovery and errors, explicit files, ignore files,
//! suppressions, `rule`.

mod common;

use std::fs;

use common::{bin, lines_and_codes, project, run_json, validate};

const MISSING: &str =
    "import stripe\n\ndef pay():\n    return stripe.checkout.Session.create(mode=\"payment\")\n";

#[test]
fn clean_tree_exits_zero_and_findings_exit_one() {
    let dir = project(&[("a.py", "import stripe\nstripe.Customer.create()\n")]);
    assert_eq!(run_json(dir.path(), &[]).0, 0);
    let dir = project(&[("a.py", MISSING)]);
    assert_eq!(run_json(dir.path(), &[]).0, 1);
    assert_eq!(run_json(dir.path(), &["--exit-zero"]).0, 0);
}

#[test]
fn missing_path_is_exit_two() {
    let output = bin()
        .args(["check", "/definitely/not/here"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("does not exist"));
}

#[test]
fn unknown_config_key_is_exit_two_and_points_at_the_key() {
    let dir = project(&[
        ("checkout-lint.toml", "[ttl]\nmax-secs = 5\n"),
        ("a.py", MISSING),
    ]);
    let output = bin().current_dir(dir.path()).arg("check").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("max-secs"), "{stderr}");
    assert!(stderr.contains("checkout-lint.toml"), "{stderr}");
}

#[test]
fn pyproject_table_configures_the_constant_and_source_roots() {
    let dir = project(&[
        (
            "pyproject.toml",
            "[project]\nname = \"x\"\n[tool.checkout-lint.ttl]\npython-constant = \"app.settings.TTL\"\n[tool.checkout-lint.python]\nsource-roots = [\"lib\"]\n",
        ),
        ("lib/app/__init__.py", ""),
        ("lib/app/settings.py", "TTL = 2 * 3600\n"),
        (
            "lib/app/pay.py",
            "import time\nimport stripe\nfrom app.settings import TTL\n\ndef pay():\n    return stripe.checkout.Session.create(expires_at=int(time.time()) + TTL)\n",
        ),
    ]);
    let (code, report) = run_json(dir.path(), &[]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["call_sites"][0]["status"], "sanctioned");
    assert_eq!(report["call_sites"][0]["path"], "lib/app/pay.py");
}

#[test]
fn configured_constant_that_does_not_exist_is_cl008() {
    let dir = project(&[
        (
            "checkout-lint.toml",
            "[ttl]\npython-constant = \"config.MISSING_TTL\"\n",
        ),
        ("config.py", "OTHER = 1\n"),
        ("a.py", MISSING),
    ]);
    let (code, report) = run_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let codes: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"CL008"), "{codes:?}");
    assert!(codes.contains(&"CL001"), "{codes:?}");
}

#[test]
fn explicit_files_report_only_those_files_but_resolve_across_the_project() {
    let dir = project(&[
        ("checkout-lint.toml", ""),
        ("config.py", "CHECKOUT_SESSION_TTL_SECONDS = 3600\n"),
        (
            "good.py",
            "import time\nimport stripe\nfrom config import CHECKOUT_SESSION_TTL_SECONDS\n\ndef pay():\n    return stripe.checkout.Session.create(expires_at=int(time.time()) + CHECKOUT_SESSION_TTL_SECONDS)\n",
        ),
        ("bad.py", MISSING),
    ]);
    let (code, report) = run_json(dir.path(), &["good.py"]);
    assert_eq!(code, 0, "{report:#}");
    let sites = report["call_sites"].as_array().unwrap();
    assert_eq!(sites.len(), 1);
    assert_eq!(sites[0]["path"], "good.py");
    assert_eq!(sites[0]["status"], "sanctioned");
}

#[test]
fn gitignored_files_are_skipped_unless_no_ignore() {
    let dir = project(&[(".gitignore", "vendored/\n"), ("vendored/a.py", MISSING)]);
    assert_eq!(
        run_json(dir.path(), &[]).1["call_sites"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        run_json(dir.path(), &["--no-ignore"]).1["call_sites"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

/// An import resolves only to a file the walk finds: a helper in a gitignored or excluded
/// module is not read, so the site it would sanction is not. Module files are found by
/// probing the file system, so this pins that the probe applies the walk's rules.
#[test]
fn imports_resolve_only_to_files_the_walk_finds() {
    let files = [
        ("config.py", "CHECKOUT_SESSION_TTL_SECONDS = 3600\n"),
        (
            "helpers.py",
            "import time\nfrom config import CHECKOUT_SESSION_TTL_SECONDS\n\ndef expiry():\n    return int(time.time()) + CHECKOUT_SESSION_TTL_SECONDS\n",
        ),
        (
            "pay.py",
            "import stripe\nfrom helpers import expiry\n\ndef pay():\n    return stripe.checkout.Session.create(expires_at=expiry())\n",
        ),
    ];
    let status = |extra: &[(&str, &str)], args: &[&str]| {
        let mut files = files.to_vec();
        files.extend_from_slice(extra);
        let dir = project(&files);
        let report = run_json(dir.path(), args).1;
        let sites = report["call_sites"].as_array().unwrap().clone();
        assert_eq!(sites.len(), 1, "{report:#}");
        sites[0]["status"].as_str().unwrap().to_string()
    };
    assert_eq!(status(&[], &[]), "sanctioned");
    let ignored = [(".gitignore", "helpers.py\n")];
    assert_ne!(status(&ignored, &[]), "sanctioned");
    assert_eq!(status(&ignored, &["--no-ignore"]), "sanctioned");
    let excluded = [(
        "checkout-lint.toml",
        "[files]\nexclude = [\"helpers.py\"]\n",
    )];
    assert_ne!(status(&excluded, &[]), "sanctioned");
}

#[test]
fn config_exclude_skips_files() {
    let dir = project(&[
        ("checkout-lint.toml", "[files]\nexclude = [\"legacy\"]\n"),
        ("legacy/a.py", MISSING),
    ]);
    assert_eq!(
        run_json(dir.path(), &[]).1["call_sites"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
}

#[test]
fn suppression_with_reason_suppresses_and_shows_the_reason() {
    let text = "import stripe\n\ndef pay():\n    # checkout-lint: ignore[missing-expires-at] reason: setup mode\n    return stripe.checkout.Session.create(mode=\"setup\")\n";
    let dir = project(&[("a.py", text)]);
    let (code, report) = run_json(dir.path(), &[]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["call_sites"][0]["status"], "suppressed");
    assert_eq!(report["call_sites"][0]["suppressed"], "setup mode");
}

#[test]
fn suppression_without_reason_unknown_or_unused_is_reported() {
    let text = "import stripe\n\ndef pay():\n    return stripe.checkout.Session.create(mode=\"setup\")  # checkout-lint: ignore[missing-expires-at]\n\n# checkout-lint: ignore[no-such-rule] reason: x\nX = 1\n# checkout-lint: ignore[CL002] reason: nothing here\nY = 2\nZ = \"# checkout-lint: ignore[missing-expires-at] reason: in a string\"\n";
    let dir = project(&[("a.py", text)]);
    let (_, report) = run_json(dir.path(), &[]);
    let mut codes = lines_and_codes(&report);
    codes.sort();
    assert_eq!(
        codes,
        vec![
            (4, "CL001".to_string()),
            (4, "CL011".to_string()),
            (6, "CL011".to_string()),
            (8, "CL012".to_string()),
        ]
    );
}

#[test]
fn rule_lists_and_explains() {
    let output = bin().arg("rule").output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(text.lines().count(), 12);
    assert!(text.contains("CL003  ttl-out-of-range"));
    let output = bin().args(["rule", "ttl-out-of-range"]).output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("## Why is this bad?") && text.contains("Payment Links"),
        "{text}"
    );
    let output = bin().args(["rule", "CL999"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn human_output_has_snippet_rule_and_help() {
    let dir = project(&[("a.py", MISSING)]);
    let output = bin().current_dir(dir.path()).arg("check").output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("CL001 missing-expires-at"), "{text}");
    assert!(text.contains("a.py:4:12"), "{text}");
    assert!(text.contains("help:"), "{text}");
    assert!(!text.contains('\u{1b}'), "no colour when not a TTY");
}

#[test]
fn github_format_is_one_workflow_command_per_diagnostic() {
    let dir = project(&[("a.py", MISSING)]);
    let output = bin()
        .current_dir(dir.path())
        .args(["check", "--format", "github"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.starts_with(
            "::error file=a.py,line=4,col=12,endLine=4,title=CL001 missing-expires-at::"
        ),
        "{text}"
    );
}

#[test]
fn output_file_is_written() {
    let dir = project(&[("a.py", MISSING)]);
    let out = dir.path().join("report.json");
    let status = bin()
        .current_dir(dir.path())
        .args(["check", "--format", "json", "--output"])
        .arg(&out)
        .arg(".")
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1));
    validate(&fs::read(out).unwrap());
}

#[test]
fn a_file_with_invalid_utf8_or_nul_bytes_does_not_crash() {
    let dir = project(&[]);
    fs::write(dir.path().join("bad.py"), b"\xff\xfe checkout stripe").unwrap();
    // NUL bytes make it binary: skipped with a note on stderr (tests/inputs.rs).
    fs::write(dir.path().join("bin.py"), b"checkout \x00\x00 stripe").unwrap();
    let (code, report) = run_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let diagnostics = report["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0]["code"], "CL009");
    assert_eq!(diagnostics[0]["path"], "bad.py");
}

#[cfg(unix)]
#[test]
fn output_file_gets_the_usual_permissions_not_a_tempfile_0600() {
    use std::os::unix::fs::PermissionsExt;
    let dir = project(&[("a.py", MISSING)]);
    bin()
        .current_dir(dir.path())
        .args(["check", "--format", "sarif", "--output", "report.sarif"])
        .status()
        .unwrap();
    // A file written the ordinary way shows what this umask gives.
    fs::write(dir.path().join("plain"), "").unwrap();
    let mode = |name: &str| {
        fs::metadata(dir.path().join(name))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(mode("report.sarif"), mode("plain"));
}

/// A file passed from outside the project root is reported relative to the root, climbing
/// out with `..` (SPEC: every printed path is relative to the root). It was `//tmp/...`:
/// the absolute path with its root component joined by another slash.
#[test]
fn a_file_outside_the_root_is_reported_relative_to_it() {
    let inside = project(&[("a.py", "x = 1\n")]);
    let outside = project(&[("pay.py", MISSING)]);
    let file = outside.path().join("pay.py");
    let (code, report) = run_json(
        inside.path(),
        &[".", file.to_str().expect("a UTF-8 temp path")],
    );
    assert_eq!(code, 1, "{report:#}");
    let paths: Vec<&str> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["path"].as_str())
        .collect();
    let climbing = format!(
        "../{}/pay.py",
        outside
            .path()
            .file_name()
            .and_then(|n| n.to_str())
            .expect("a UTF-8 temp dir")
    );
    assert_eq!(paths, [climbing], "{report:#}");
}
