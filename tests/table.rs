//! `checkout-lint table`: the markdown and JSON table, `--write` (only the block changes,
//! line endings and permissions kept, atomic), `--check`, and CL010 stale-table in `check`.
//! Fixtures are copied into temporary directories, never modified in place.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use common::{bin, project, repo, validate};
use serde_json::Value;

const RUNBOOK: &str = "docs/tournament-billing-runbook.md";
const BEGIN: &str = "<!-- checkout-lint:call-sites:begin -->";
const END: &str = "<!-- checkout-lint:call-sites:end -->";

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A private copy of a fixture tree.
fn fixture_copy(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join(name);
    copy_tree(&repo().join("fixtures").join(name), &root);
    (dir, root)
}

fn run(dir: &Path, args: &[&str]) -> Output {
    bin().current_dir(dir).args(args).output().unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The lines strictly between the markers.
fn block_lines(doc: &str) -> Vec<String> {
    let begin = doc.find(BEGIN).expect("begin marker");
    let end = doc.find(END).expect("end marker");
    doc[begin + BEGIN.len()..end]
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// Cells of a markdown row, split on unescaped pipes (as GFM does).
fn cells(row: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut chars = row.trim().chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                out.last_mut().unwrap().push_str("\\|");
                chars.next();
            }
            '|' => out.push(String::new()),
            _ => out.last_mut().unwrap().push(c),
        }
    }
    // The leading and trailing pipes leave empty first and last entries.
    out[1..out.len() - 1]
        .iter()
        .map(|c| c.trim().to_string())
        .collect()
}

fn configure_document(root: &Path) {
    let pyproject = root.join("pyproject.toml");
    let mut text = fs::read_to_string(&pyproject).unwrap();
    text.push_str(&format!(
        "\n[tool.checkout-lint.table]\ndocument = \"{RUNBOOK}\"\n"
    ));
    fs::write(pyproject, text).unwrap();
}

fn check_codes(root: &Path, args: &[&str]) -> (i32, Vec<String>) {
    let output = run(root, &[&["check", "--format", "json"], args].concat());
    validate(&output.stdout);
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let codes = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect();
    (output.status.code().unwrap(), codes)
}

#[test]
fn basketball_write_fills_eight_rows_then_is_stable_then_refreshes_a_moved_call() {
    let (_dir, root) = fixture_copy("basketball_api");
    let original = fs::read_to_string(root.join(RUNBOOK)).unwrap();
    assert_eq!(
        block_lines(&original).len(),
        2 + 5,
        "the hand table has 5 rows"
    );

    let output = run(&root, &["table", "--write", RUNBOOK]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let written = fs::read_to_string(root.join(RUNBOOK)).unwrap();
    let lines = block_lines(&written);
    assert_eq!(lines.len(), 2 + 8, "{written}");
    // The docstring mention in scripts/ is not a row; every row has 7 cells.
    assert!(!lines.iter().any(|l| l.contains("scripts/")), "{lines:#?}");
    assert!(lines.iter().all(|l| cells(l).len() == 7), "{lines:#?}");
    // Only the block changed.
    let outside = |doc: &str| {
        let (head, rest) = doc.split_once(BEGIN).unwrap();
        (
            head.to_string(),
            rest.split_once(END).unwrap().1.to_string(),
        )
    };
    assert_eq!(outside(&original), outside(&written));
    insta::assert_snapshot!("basketball_table_block", lines.join("\n"));

    // A second run changes no byte (and does not even rewrite the file).
    let before = fs::metadata(root.join(RUNBOOK))
        .unwrap()
        .modified()
        .unwrap();
    let output = run(&root, &["table", "--write", RUNBOOK]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(fs::read_to_string(root.join(RUNBOOK)).unwrap(), written);
    assert_eq!(
        fs::metadata(root.join(RUNBOOK))
            .unwrap()
            .modified()
            .unwrap(),
        before
    );
    assert_eq!(
        run(&root, &["table", "--check", RUNBOOK]).status.code(),
        Some(0)
    );

    configure_document(&root);
    let (code, codes) = check_codes(&root, &[]);
    assert_eq!(code, 1);
    assert!(!codes.contains(&"CL010".to_string()), "{codes:?}");

    // Move the jersey call down by one line: the table still lists the same sites, saying
    // the same things, so it is not stale; `--write` refreshes the line numbers.
    let jersey = root.join("src/basketball_api/routes/jersey.py");
    let text = fs::read_to_string(&jersey).unwrap();
    fs::write(&jersey, format!("# moved\n{text}")).unwrap();

    let output = run(&root, &["table", "--check", RUNBOOK]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(output.stdout.is_empty(), "no diff");
    assert!(
        stderr(&output).contains(&format!(
            "only line numbers moved, `checkout-lint table --write {RUNBOOK}` refreshes them"
        )),
        "{}",
        stderr(&output)
    );
    let (code, codes) = check_codes(&root, &[]);
    assert_eq!(code, 1);
    assert!(!codes.contains(&"CL010".to_string()), "{codes:?}");

    let output = run(&root, &["table", "--write", RUNBOOK]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("refreshed the line numbers"),
        "{}",
        stderr(&output)
    );
    let refreshed = fs::read_to_string(root.join(RUNBOOK)).unwrap();
    assert!(
        refreshed.contains("| 5 | `src/basketball_api/routes/jersey.py:95`")
            && written.contains("| 5 | `src/basketball_api/routes/jersey.py:94`"),
        "{refreshed}"
    );
    assert_eq!(
        refreshed.replace("jersey.py:95`", "jersey.py:94`"),
        written,
        "only the moved line number changed"
    );

    // Suppress the jersey call's CL001: its status changed, so the table is stale.
    let text = fs::read_to_string(&jersey).unwrap();
    let call = "    session = stripe.checkout.Session.create(\n";
    assert!(text.contains(call));
    let reason = "    # checkout-lint: ignore[missing-expires-at] reason: Stripe's default 24h\n";
    fs::write(&jersey, text.replace(call, &format!("{reason}{call}"))).unwrap();

    let output = run(&root, &["table", "--check", RUNBOOK]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let diff = String::from_utf8(output.stdout).unwrap();
    assert!(diff.contains(&format!("--- a/{RUNBOOK}")), "{diff}");
    assert!(
        diff.contains("+| 5 | `src/basketball_api/routes/jersey.py:96`")
            && diff.contains("| suppressed: Stripe's default 24h |"),
        "{diff}"
    );
    assert_eq!(
        fs::read_to_string(root.join(RUNBOOK)).unwrap(),
        refreshed,
        "--check writes nothing"
    );

    let (code, codes) = check_codes(&root, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        codes.iter().filter(|c| *c == "CL010").count(),
        1,
        "{codes:?}"
    );

    // Named files (pre-commit) still compare the whole project's table.
    let (_, codes) = check_codes(&root, &["src/basketball_api/routes/checkout.py"]);
    assert!(codes.contains(&"CL010".to_string()), "{codes:?}");
}

#[test]
fn cl010_points_at_the_first_stale_line_and_can_be_a_warning() {
    let (_dir, root) = fixture_copy("basketball_api");
    configure_document(&root);
    let output = run(&root, &["check", "--format", "json"]);
    validate(&output.stdout);
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let stale: Vec<&Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "CL010")
        .collect();
    assert_eq!(stale.len(), 1);
    assert_eq!(stale[0]["path"], RUNBOOK);
    assert_eq!(stale[0]["rule"], "stale-table");
    // Line 59 is the first hand-kept row (tournament_checkout.py:74 instead of admin.py:135).
    assert_eq!(stale[0]["line"], 59);
    let message = stale[0]["message"].as_str().unwrap();
    assert!(
        message.contains("lists 5 call sites, the code has 8"),
        "{message}"
    );
    assert!(
        stale[0]["help"].as_str().unwrap().contains("table --write"),
        "{stale:#?}"
    );

    let pyproject = root.join("pyproject.toml");
    let text = fs::read_to_string(&pyproject).unwrap();
    fs::write(
        &pyproject,
        format!("{text}[tool.checkout-lint.rules]\nwarn = [\"stale-table\"]\n"),
    )
    .unwrap();
    let output = run(&root, &["check", "--format", "json"]);
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let stale = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "CL010")
        .unwrap();
    assert_eq!(stale["severity"], "warning");
}

#[test]
fn configured_document_that_is_missing_is_exit_two() {
    let dir = project(&[
        (
            "checkout-lint.toml",
            "[table]\ndocument = \"docs/nope.md\"\n",
        ),
        ("a.py", "import stripe\n"),
    ]);
    let output = run(dir.path(), &["check"]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains("[table] document") && err.contains("docs/nope.md"),
        "{err}"
    );
}

const SITE: &str =
    "import stripe\n\ndef pay():\n    return stripe.checkout.Session.create(mode=\"payment\")\n";

#[test]
fn crlf_document_stays_crlf_and_outside_bytes_are_identical() {
    let head = "# Runbook\r\n\r\nSome text | with a pipe\r\n";
    let tail = "\r\n## After\r\nlast line without newline";
    let doc = format!("{head}{BEGIN}\r\n| stale |\r\n{END}{tail}");
    let dir = project(&[("a.py", SITE), ("doc.md", &doc)]);
    let output = run(dir.path(), &["table", "--write", "doc.md"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let written = fs::read(dir.path().join("doc.md")).unwrap();
    let written = String::from_utf8(written).unwrap();
    assert!(
        written.starts_with(&format!("{head}{BEGIN}\r\n")),
        "{written:?}"
    );
    assert!(written.ends_with(&format!("{END}{tail}")), "{written:?}");
    let inside = &written[head.len() + BEGIN.len() + 2..written.len() - END.len() - tail.len()];
    assert_eq!(inside.matches("\r\n").count(), 3, "{inside:?}");
    assert_eq!(inside.matches('\n').count(), 3, "no bare LF: {inside:?}");
    assert!(inside.contains("| 1 | `a.py:4` | `pay` |"), "{inside:?}");
}

#[test]
fn missing_markers_refuse_with_the_lines_to_paste() {
    let dir = project(&[("a.py", SITE), ("doc.md", "# Runbook\n\nno table here\n")]);
    let output = run(dir.path(), &["table", "--write", "doc.md"]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(err.contains(BEGIN) && err.contains(END), "{err}");
    assert_eq!(
        fs::read_to_string(dir.path().join("doc.md")).unwrap(),
        "# Runbook\n\nno table here\n"
    );
    assert_eq!(
        run(dir.path(), &["table", "--check", "doc.md"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn duplicated_or_misordered_markers_are_exit_two_with_line_numbers() {
    let duplicated = format!("{BEGIN}\n{END}\ntext\n{BEGIN}\n{END}\n");
    let misordered = format!("x\n{END}\n{BEGIN}\n");
    let dir = project(&[
        ("a.py", SITE),
        ("dup.md", &duplicated),
        ("mis.md", &misordered),
    ]);
    let output = run(dir.path(), &["table", "--write", "dup.md"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("lines 1, 4"),
        "{}",
        stderr(&output)
    );
    let output = run(dir.path(), &["table", "--check", "mis.md"]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(err.contains("line 2") && err.contains("line 3"), "{err}");
    assert_eq!(
        fs::read_to_string(dir.path().join("dup.md")).unwrap(),
        duplicated
    );
}

#[test]
fn pipes_and_backticks_in_cells_keep_the_row_intact() {
    let source = concat!(
        "import stripe\nfrom fastapi import APIRouter\n\nrouter = APIRouter()\n\n",
        "@router.post(\"/a|b`c\")\n",
        "def pay():\n",
        "    # checkout-lint: ignore[missing-expires-at] reason: setup | `mode` session\n",
        "    return stripe.checkout.Session.create(mode=\"setup\")\n",
    );
    let dir = project(&[("a.py", source)]);
    let output = run(dir.path(), &["table"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = String::from_utf8(output.stdout).unwrap();
    let row = text.lines().nth(2).expect("one row");
    assert_eq!(
        row,
        "| 1 | `a.py:9` | `pay` | ``POST /a\\|b`c`` | `stripe.checkout.Session.create` | — | suppressed: setup \\| `mode` session |"
    );
    assert_eq!(cells(row).len(), 7, "{row}");
}

#[test]
fn read_only_document_is_refused_and_untouched() {
    use std::os::unix::fs::PermissionsExt;
    let doc = format!("{BEGIN}\n| stale |\n{END}\n");
    let dir = project(&[("a.py", SITE), ("doc.md", &doc)]);
    let path = dir.path().join("doc.md");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
    let output = run(dir.path(), &["table", "--write", "doc.md"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("read-only"), "{}", stderr(&output));
    assert_eq!(fs::read_to_string(&path).unwrap(), doc);
    assert_eq!(
        fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o444
    );
}

#[test]
fn write_keeps_the_document_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = project(&[("a.py", SITE), ("doc.md", &format!("{BEGIN}\n{END}\n"))]);
    let path = dir.path().join("doc.md");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
    assert_eq!(
        run(dir.path(), &["table", "--write", "doc.md"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o640
    );
    assert!(fs::read_to_string(&path).unwrap().contains("`a.py:4`"));
}

#[test]
fn a_crash_between_write_and_rename_leaves_the_original_intact() {
    let doc = format!("# Runbook\n{BEGIN}\n| stale |\n{END}\n");
    let dir = project(&[("a.py", SITE), ("doc.md", &doc)]);
    let output = bin()
        .current_dir(dir.path())
        .env("CHECKOUT_LINT_TEST_CRASH_BEFORE_RENAME", "1")
        .args(["table", "--write", "doc.md"])
        .output()
        .unwrap();
    assert!(
        !output.status.success(),
        "the injected crash must abort the process"
    );
    assert_eq!(fs::read_to_string(dir.path().join("doc.md")).unwrap(), doc);
    // The crash came after the new text was written: it sits in the orphaned temp file.
    let orphans: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(".tmp"))
        .map(|p| fs::read_to_string(p).unwrap())
        .collect();
    assert_eq!(orphans.len(), 1);
    assert!(orphans[0].contains("`a.py:4`"), "{orphans:?}");
}

#[test]
fn json_rows_carry_the_call_site_fields_and_the_rendered_status() {
    let (_dir, root) = fixture_copy("basketball_api");
    let output = run(&root, &["table", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0));
    let rows: Value = serde_json::from_slice(&output.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 8);
    // The same call sites, in the same order, as `check --format json`.
    let report = run(&root, &["check", "--format", "json"]);
    validate(&report.stdout);
    let report: Value = serde_json::from_slice(&report.stdout).unwrap();
    for (i, (row, site)) in rows
        .iter()
        .zip(report["call_sites"].as_array().unwrap())
        .enumerate()
    {
        assert_eq!(row["row"], i + 1);
        for (key, value) in site.as_object().unwrap() {
            assert_eq!(&row[key], value, "row {i} field {key}");
        }
        assert_eq!(row["table_status"], "violation: CL001 missing-expires-at");
    }
    insta::assert_json_snapshot!("basketball_table_json", rows);
}

#[test]
fn json_format_cannot_write_a_document() {
    let dir = project(&[("a.py", SITE), ("doc.md", &format!("{BEGIN}\n{END}\n"))]);
    let output = run(
        dir.path(),
        &["table", "--format", "json", "--write", "doc.md"],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("--format json"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn statuses_name_rules_reasons_and_wrappers() {
    let source = "import time\nimport stripe\n\nCHECKOUT_SESSION_TTL_SECONDS = 3600\n\n\
def good():\n    return stripe.checkout.Session.create(expires_at=int(time.time()) + CHECKOUT_SESSION_TTL_SECONDS)\n\n\
def floaty():\n    return stripe.checkout.Session.create(expires_at=time.time() + CHECKOUT_SESSION_TTL_SECONDS)\n\n\
def opaque(params):\n    return stripe.checkout.Session.create(**params)\n\n\
def wrapper(**kwargs):\n    return stripe.checkout.Session.create(**kwargs)\n\n\
def caller():\n    return wrapper(mode=\"payment\")\n";
    let dir = project(&[("a.py", source)]);
    let output = run(dir.path(), &["table"]);
    let text = String::from_utf8(output.stdout).unwrap();
    insta::assert_snapshot!("table_statuses", text);
    assert!(text.contains("| sanctioned |"), "{text}");
    assert!(
        text.contains("violation: CL005 expires-at-not-integer"),
        "{text}"
    );
    assert!(text.contains("`caller` via `a.wrapper`"), "{text}");
}

#[test]
fn the_fixed_tree_keeps_a_current_generated_table() {
    // basketball_api_fixed configures `[table] document`; its runbook was regenerated.
    let root = repo().join("fixtures/basketball_api_fixed");
    let output = run(&root, &["table", "--check", RUNBOOK]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    let (_, codes) = check_codes(&root, &[]);
    assert_eq!(codes, vec!["CL003".to_string()]);
}

#[test]
fn writing_through_a_symlink_updates_its_target_and_keeps_the_link() {
    let dir = project(&[
        ("a.py", SITE),
        ("real/doc.md", &format!("{BEGIN}\n{END}\n")),
    ]);
    std::os::unix::fs::symlink("real/doc.md", dir.path().join("link.md")).unwrap();
    assert_eq!(
        run(dir.path(), &["table", "--write", "link.md"])
            .status
            .code(),
        Some(0)
    );
    let link = fs::symlink_metadata(dir.path().join("link.md")).unwrap();
    assert!(
        link.file_type().is_symlink(),
        "the link was replaced by a file"
    );
    let target = fs::read_to_string(dir.path().join("real/doc.md")).unwrap();
    assert!(target.contains("`a.py:4`"), "{target}");
}

#[test]
fn named_files_narrow_the_printed_table_but_never_a_document() {
    let doc = format!("{BEGIN}\n{END}\n");
    let dir = project(&[
        ("checkout-lint.toml", ""),
        ("a.py", SITE),
        ("b.py", SITE),
        ("doc.md", &doc),
    ]);
    let printed = run(dir.path(), &["table", "b.py"]);
    let printed = String::from_utf8(printed.stdout).unwrap();
    assert!(
        printed.contains("`b.py:4`") && !printed.contains("`a.py:4`"),
        "{printed}"
    );
    assert_eq!(
        run(dir.path(), &["table", "--write", "doc.md", "b.py"])
            .status
            .code(),
        Some(0)
    );
    let written = fs::read_to_string(dir.path().join("doc.md")).unwrap();
    assert!(
        written.contains("`a.py:4`") && written.contains("`b.py:4`"),
        "{written}"
    );
}

#[test]
fn write_and_check_without_a_doc_use_the_configured_document() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&repo().join("fixtures/rules/CL010-stale-table"), dir.path());
    let run = |args: &[&str]| {
        bin()
            .current_dir(dir.path())
            .arg("table")
            .args(args)
            .output()
            .unwrap()
    };
    // The fixture's runbook is stale on purpose.
    assert_eq!(run(&["--check"]).status.code(), Some(1));
    let written = run(&["--write"]);
    assert_eq!(written.status.code(), Some(0), "{written:?}");
    assert_eq!(run(&["--check"]).status.code(), Some(0));

    fs::remove_file(dir.path().join("checkout-lint.toml")).unwrap();
    let unconfigured = run(&["--check"]);
    assert_eq!(unconfigured.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&unconfigured.stderr);
    assert!(stderr.contains("[table] document"), "{stderr}");
}
