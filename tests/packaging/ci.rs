//! The packaged install and CI recipes: the README's install commands and docs/ci.md's
//! GitLab command; the hooks of `.pre-commit-hooks.yaml` through `pre-commit try-repo`
//! (which installs this repository's Python package, building it with maturin);
//! docs/ci.md's `repo: local` pre-commit recipe (the README shows its first hook:
//! tests/docs.rs), which installs the wheel, gating real commits; and the action's install
//! step. The built wheel stands in for PyPI. Part of tests/packaging.rs, whose setup it
//! shares.

use super::*;

/// A git repository holding this repository's files as they are now (committed or not,
/// minus ignored ones), committed: what a user's `rev:` points at.
fn hook_repository(dir: &Path) -> PathBuf {
    let listed = expect_code(
        Command::new("git")
            .args([
                "ls-files",
                "-z",
                "--cached",
                "--others",
                "--exclude-standard",
            ])
            .current_dir(repo()),
        0,
        "git ls-files (the tests need a git checkout)",
    );
    let snapshot = dir.join("hook-repo");
    for name in listed.stdout.split(|&b| b == 0).filter(|n| !n.is_empty()) {
        let name = String::from_utf8_lossy(name).into_owned();
        let from = repo().join(&name);
        if from.is_file() {
            let to = snapshot.join(&name);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(&from, &to).unwrap();
        }
    }
    git(&snapshot, &["init", "-q"]);
    git(&snapshot, &["add", "-A"]);
    git(&snapshot, &["commit", "-q", "-m", "snapshot"]);
    snapshot
}

fn git(dir: &Path, args: &[&str]) -> Output {
    expect_code(
        Command::new("git")
            .args(["-c", "user.name=test", "-c", "user.email=test@example.org"])
            .args([
                "-c",
                "commit.gpgsign=false",
                "-c",
                "init.defaultBranch=main",
            ])
            .args(args)
            .current_dir(dir),
        0,
        &format!("git {args:?}"),
    )
}

const MISSING: &str = "import stripe\n\n\ndef buy():\n    \
                       return stripe.checkout.Session.create(mode=\"payment\")\n";
const SANCTIONED: &str = "import time\n\nimport stripe\n\n\
                          from shop.config import CHECKOUT_SESSION_TTL_SECONDS\n\n\n\
                          def buy():\n    return stripe.checkout.Session.create(\n        \
                          mode=\"payment\",\n        \
                          expires_at=int(time.time()) + CHECKOUT_SESSION_TTL_SECONDS,\n    )\n";

/// A committed project: a config at its root (the project root is the config's
/// directory), the TTL constant inside Stripe's window, and a runbook with an empty table.
fn project(dir: &Path) -> PathBuf {
    let project = dir.join("project");
    write_files(
        &project,
        &[
            ("checkout-lint.toml", "# checkout-lint: defaults\n"),
            ("shop/__init__.py", ""),
            ("shop/config.py", "CHECKOUT_SESSION_TTL_SECONDS = 3600\n"),
            (
                "RUNBOOK.md",
                "# Runbook\n\n<!-- checkout-lint:call-sites:begin -->\n\
                 <!-- checkout-lint:call-sites:end -->\n",
            ),
        ],
    );
    git(&project, &["init", "-q"]);
    git(&project, &["add", "-A"]);
    git(&project, &["commit", "-q", "-m", "init"]);
    project
}

/// The wheel installed into a fresh virtualenv under `dir`; returns its scripts directory.
fn installed_wheel(packaging: &Packaging, dir: &Path) -> PathBuf {
    let venv = packaging.venv(dir);
    expect_code(
        command(venv.join("python"))
            .args(["-m", "pip", "install", "--quiet"])
            .arg(packaging.wheel()),
        0,
        "pip install wheel",
    );
    venv
}

/// `pre-commit ARGS` in `project`, with a pre-commit home of its own.
fn pre_commit(packaging: &Packaging, project: &Path, args: &[&str]) -> Command {
    let mut cmd = command(packaging.tool("pre-commit"));
    cmd.args(args)
        .current_dir(project)
        .env("PRE_COMMIT_HOME", project.with_file_name("pre-commit-home"));
    cmd
}

#[test]
fn pre_commit_try_repo_fails_a_missing_expires_at_and_passes_a_sanctioned_one() {
    let Some((_serial, packaging)) = setup() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let hooks = hook_repository(dir.path());
    let project = project(dir.path());
    // The wheel's binary on PATH, for the `language: system` hook.
    let path = format!(
        "{}:{}",
        installed_wheel(packaging, dir.path()).display(),
        std::env::var("PATH").unwrap()
    );
    let try_repo = |hook: &str| {
        let mut cmd = pre_commit(packaging, &project, &["try-repo"]);
        cmd.arg(&hooks)
            .arg(hook)
            .arg("--verbose")
            .env("PATH", &path);
        cmd
    };
    expect_code(
        pre_commit(packaging, &hooks, &["validate-manifest"]).arg(".pre-commit-hooks.yaml"),
        0,
        "pre-commit validate-manifest",
    );

    // A commit adding a call without expires_at: the hook fails on the staged file.
    write_files(&project, &[("shop/pay.py", MISSING)]);
    git(&project, &["add", "shop/pay.py"]);
    let output = timed(
        "pre-commit try-repo (pip install . of the hooks: builds)",
        || {
            expect_code(
                &mut try_repo("checkout-lint"),
                1,
                "try-repo on a missing expires_at",
            )
        },
    );
    let text = stdout(&output);
    assert!(text.contains("CL001 missing-expires-at"), "{text}");
    assert!(text.contains("shop/pay.py:5:12"), "{text}");
    let output = expect_code(
        &mut try_repo("checkout-lint-system"),
        1,
        "try-repo checkout-lint-system with the wheel's binary on PATH",
    );
    assert!(stdout(&output).contains("CL001 missing-expires-at"));

    // The same file with a sanctioned expires_at: the hook passes.
    write_files(&project, &[("shop/pay.py", SANCTIONED)]);
    git(&project, &["add", "shop/pay.py"]);
    let output = timed("pre-commit try-repo (a new store: builds again)", || {
        expect_code(
            &mut try_repo("checkout-lint"),
            0,
            "try-repo on a sanctioned expires_at",
        )
    });
    let text = stdout(&output);
    assert!(text.contains("1 sanctioned"), "{text}");
    assert!(text.contains("0 errors"), "{text}");
}

#[test]
fn pre_commit_local_recipe_installs_the_wheel_and_gates_commits() {
    let Some((_serial, packaging)) = setup() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let project = project(dir.path());
    let bin = installed_wheel(packaging, dir.path());
    // The no-toolchain recipe of docs/ci.md, as written there.
    let ci = std::fs::read_to_string(repo().join("docs/ci.md")).unwrap();
    let start = ci.find("repos:\n  - repo: local\n").expect("the recipe");
    let recipe = &ci[start..start + ci[start..].find("```").unwrap()];
    let config = recipe
        .replace("<version>", VERSION)
        .replace("docs/tournament-billing-runbook.md", "RUNBOOK.md");
    write_files(&project, &[(".pre-commit-config.yaml", &config)]);
    git(&project, &["add", "-A"]);
    // pip in the hook environment sees only the wheel, and setuptools for pre-commit's
    // placeholder package of a local repository.
    let index = |mut cmd: Command| {
        packaging.local_index(&mut cmd, dir.path());
        let links = format!(
            "{} {}",
            packaging.wheels.display(),
            packaging.extra.display()
        );
        cmd.env("PIP_FIND_LINKS", links)
            .env("PRE_COMMIT_HOME", dir.path().join("pre-commit-home"));
        cmd
    };
    let mut validate = index(pre_commit(packaging, &project, &["validate-config"]));
    expect_code(&mut validate, 0, "pre-commit validate-config");
    let mut install = index(pre_commit(packaging, &project, &["install"]));
    expect_code(&mut install, 0, "pre-commit install");
    let commit = |code: i32, what: &str| {
        let output = expect_code(
            index(command("git"))
                .args(["-c", "user.name=test", "-c", "user.email=test@example.org"])
                .args(["commit", "-q", "-m", what])
                .current_dir(&project),
            code,
            what,
        );
        // git shows its hooks' output on stderr.
        String::from_utf8_lossy(&output.stderr).into_owned()
    };

    // A call without expires_at: the commit fails (the hook env installs the wheel first).
    write_files(&project, &[("shop/pay.py", MISSING)]);
    git(&project, &["add", "shop/pay.py"]);
    let text = timed("first commit: pre-commit installs the wheel", || {
        commit(1, "a missing expires_at fails")
    });
    assert!(text.contains("CL001 missing-expires-at"), "{text}");

    // A sanctioned one: checkout-lint passes, the table hook fails on the stale runbook.
    write_files(&project, &[("shop/pay.py", SANCTIONED)]);
    git(&project, &["add", "shop/pay.py"]);
    let text = commit(1, "a stale runbook table fails");
    assert!(
        text.contains("checkout-lint....") && text.contains("Passed"),
        "{text}"
    );
    assert!(text.contains("checkout-lint table...."), "{text}");
    assert!(
        text.contains("+| 1 | `shop/pay.py:9`"),
        "the missing row: {text}"
    );

    // The table written: the commit goes through.
    expect_code(
        command(bin.join("checkout-lint"))
            .args(["table", "--write", "RUNBOOK.md"])
            .current_dir(&project),
        0,
        "table --write",
    );
    git(&project, &["add", "RUNBOOK.md"]);
    let text = timed("a commit with the hook env installed", || {
        commit(0, "a sanctioned call and a current table pass")
    });
    assert_eq!(text.matches("Passed").count(), 2, "{text}");
}

#[test]
fn the_action_installs_the_wheel_of_its_own_tag_and_checks_with_it() {
    let Some((_serial, packaging)) = setup() else {
        return;
    };
    let install = action_step_script("install");
    let run_install = |action_ref: &str, version: &str| {
        let temp = tempfile::tempdir().unwrap();
        let github_path = temp.path().join("github-path.txt");
        std::fs::write(&github_path, "").unwrap();
        let mut cmd = command("bash");
        cmd.args(["--noprofile", "--norc", "-eo", "pipefail", "-c", &install])
            .env("RUNNER_TEMP", temp.path())
            .env("GITHUB_ACTION_PATH", repo())
            .env("GITHUB_PATH", &github_path)
            .env("ACTION_REF", action_ref)
            .env("VERSION", version)
            .env("FROM_SOURCE", "false");
        packaging.local_index(&mut cmd, temp.path());
        let output = cmd.output().unwrap();
        let added = std::fs::read_to_string(&github_path).unwrap();
        (output, added, temp)
    };

    // At its release tag the action installs that version; at a branch, Cargo.toml's.
    for action_ref in [format!("v{VERSION}"), "main".to_string()] {
        let (output, added, temp) =
            timed("the action's install step", || run_install(&action_ref, ""));
        assert!(output.status.success(), "{output:?}");
        assert_version(&stdout(&output));
        let bin = PathBuf::from(added.trim_end());
        assert!(bin.starts_with(temp.path()), "{added}");

        // The run step with what the install step put on GITHUB_PATH.
        let shop = git_repo_with(&repo().join("fixtures/ci/shop"), "services/shop");
        let outputs = shop.path().join("github-output.txt");
        std::fs::write(&outputs, "").unwrap();
        let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
        let output = command("bash")
            .args(["--noprofile", "--norc", "-eo", "pipefail", "-c"])
            .arg(action_step_script("run"))
            .current_dir(shop.path())
            .env("PATH", path)
            .env("PATHS", "services/shop")
            .env("ARGS", "")
            .env("SARIF", "checkout-lint.sarif")
            .env("EXIT_ZERO", "false")
            .env("GITHUB_OUTPUT", &outputs)
            .output()
            .unwrap();
        assert!(output.status.success());
        assert_eq!(std::fs::read_to_string(&outputs).unwrap(), "exit-code=1\n");
        assert!(stdout(&output).starts_with("::error file=services/shop/config.py,line=2,"));
    }

    // A version with no wheel fails the step and says what to do.
    let (output, added, _temp) = run_install(&format!("v{VERSION}"), "99.0.0");
    assert!(!output.status.success());
    assert_eq!(added, "");
    let text = stdout(&output);
    assert!(
        text.contains("::error title=checkout-lint::cannot install checkout-lint==99.0.0;"),
        "{text}"
    );
    assert!(text.contains("from-source"), "{text}");
}

/// Runs a README command line with bash, the tools and `bin` on PATH, installing from
/// the local index only.
fn run_snippet(packaging: &Packaging, bin: &Path, home: &Path, cwd: &Path, line: &str) -> Output {
    let path = format!(
        "{}:{}:{}",
        bin.display(),
        venv_bin(&packaging.tools).display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut cmd = command("bash");
    cmd.args(["-c", line]).env("PATH", path).current_dir(cwd);
    packaging.local_index(&mut cmd, home);
    cmd.output().unwrap()
}

#[test]
fn readme_install_and_gitlab_commands_work_from_a_package_index() {
    let Some((_serial, packaging)) = setup() else {
        return;
    };
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let install = &readme[readme.find("## Install").unwrap()..readme.find("## Usage").unwrap()];
    let dir = tempfile::tempdir().unwrap();
    let bin = packaging.venv(dir.path());
    let project = git_repo_with(&repo().join("fixtures/ci/shop"), "shop");
    // (README text, what to run, expected exit code): the bundled shop has findings.
    let commands = [
        (
            "pip install checkout-lint",
            "pip install --quiet checkout-lint",
            0,
        ),
        (
            "python -m checkout_lint --version",
            "python -m checkout_lint --version",
            0,
        ),
        ("uvx checkout-lint check .", "uvx checkout-lint check .", 1),
        (
            "pipx run checkout-lint check .",
            "pipx run checkout-lint check .",
            1,
        ),
        (
            "uv tool install checkout-lint",
            "uv tool install checkout-lint",
            0,
        ),
        (
            "pipx install checkout-lint",
            "pipx install checkout-lint",
            0,
        ),
    ];
    for (text, line, code) in commands {
        assert!(install.contains(text), "README's Install shows `{text}`");
        let output = timed(line, || {
            run_snippet(packaging, &bin, dir.path(), project.path(), line)
        });
        assert_eq!(
            output.status.code(),
            Some(code),
            "{line}: {}{}",
            stdout(&output),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    for installed in ["uv-bin", "pipx-bin"] {
        let output = expect_code(
            command(dir.path().join(installed).join("checkout-lint")).arg("--version"),
            0,
            installed,
        );
        assert_version(&stdout(&output));
    }

    // The GitLab recipe's script, as written in docs/ci.md.
    let gitlab = "pipx run checkout-lint check --format human --output-format \
                  gitlab=gl-code-quality.json --output-format junit=checkout-lint.xml .";
    let ci = std::fs::read_to_string(repo().join("docs/ci.md")).unwrap();
    assert!(
        ci.contains(&format!("    - {gitlab}\n")),
        "docs/ci.md's GitLab recipe"
    );
    let output = run_snippet(packaging, &bin, dir.path(), project.path(), gitlab);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    // The findings are in the job log.
    assert!(stdout(&output).contains("CL00"), "{}", stdout(&output));
    let quality = std::fs::read(project.path().join("gl-code-quality.json")).unwrap();
    let quality: serde_json::Value = serde_json::from_slice(&quality).unwrap();
    assert!(
        quality.as_array().is_some_and(|a| !a.is_empty()),
        "{quality}"
    );
    let junit = std::fs::read_to_string(project.path().join("checkout-lint.xml")).unwrap();
    assert!(junit.contains("<testsuite"), "{junit}");
}
