//! The Python package end to end (pyproject.toml, python/checkout_lint): the wheel maturin
//! builds, installed into fresh virtualenvs and compared with the cargo-built binary; the
//! README's install commands and docs/ci.md's CI recipes against a local package index
//! standing in for PyPI; the pre-commit hooks through `pre-commit try-repo`; the action's
//! install step.
//!
//! Python tools (maturin, pre-commit, uv, pipx) come from a scratch virtualenv,
//! `target/packaging/tools`, pinned by `.ci/python-tools.txt`; every cargo build here uses
//! `target/packaging/cargo`, so reruns are incremental. The wheel is built once and shared.
//! Without python3 each test prints that it is skipped; without PyPI (for the tools) the
//! tests fail and say so. The tests run one at a time: they share builds and the CPU.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::Instant;

use common::{action_step_script, git_repo_with, repo, write_files};

const VERSION: &str = env!("CARGO_PKG_VERSION");

/// What every test needs: the tools and a directory holding only the built wheel (a
/// package index for `--find-links`).
struct Packaging {
    tools: PathBuf,
    wheels: PathBuf,
    /// setuptools, which pre-commit's `repo: local` environments build with.
    extra: PathBuf,
}

fn scratch() -> PathBuf {
    repo().join("target/packaging")
}

fn venv_bin(venv: &Path) -> PathBuf {
    venv.join(if cfg!(windows) { "Scripts" } else { "bin" })
}

/// Serialises the tests of this file; `None` (after saying why on stderr) without Python.
fn setup() -> Option<(MutexGuard<'static, ()>, &'static Packaging)> {
    static SERIAL: Mutex<()> = Mutex::new(());
    static PACKAGING: OnceLock<Option<Packaging>> = OnceLock::new();
    let guard = SERIAL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    PACKAGING.get_or_init(prepare).as_ref().map(|p| (guard, p))
}

/// A command with a clean Python environment and the shared cargo target directory.
fn command(program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut cmd = Command::new(program);
    for var in ["VIRTUAL_ENV", "CONDA_PREFIX", "PYTHONPATH", "PYTHONHOME"] {
        cmd.env_remove(var);
    }
    cmd.env("CARGO_TARGET_DIR", scratch().join("cargo"))
        .env("NO_COLOR", "1")
        .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
        .env("UV_PYTHON_DOWNLOADS", "never")
        .env("PRE_COMMIT_COLOR", "never");
    cmd
}

/// Runs `cmd`; panics with its output unless it exits with `code`.
fn expect_code(cmd: &mut Command, code: i32, what: &str) -> Output {
    let output = cmd
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot run: {e}"));
    assert_eq!(
        output.status.code(),
        Some(code),
        "{what}\nstdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let value = f();
    println!("timing: {what}: {:.1} s", started.elapsed().as_secs_f64());
    value
}

fn prepare() -> Option<Packaging> {
    if Command::new("python3").arg("--version").output().is_err() {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED tests/packaging.rs: python3 is not on PATH; the Python package, \
             pre-commit and action tests need Python 3.8+ with venv"
        );
        return None;
    }
    let tools = scratch().join("tools");
    if !venv_bin(&tools).join("python").exists() {
        expect_code(
            command("python3").args(["-m", "venv"]).arg(&tools),
            0,
            "python3 -m venv (Debian needs python3-venv)",
        );
    }
    timed("tools venv up to date", || {
        expect_code(
            command(venv_bin(&tools).join("python"))
                .args(["-m", "pip", "install", "--quiet", "-r"])
                .arg(repo().join(".ci/python-tools.txt")),
            0,
            "installing .ci/python-tools.txt from PyPI (needs the network)",
        )
    });
    let wheels = scratch().join("wheels");
    let _ = std::fs::remove_dir_all(&wheels);
    timed("maturin build --release (the wheel)", || {
        expect_code(
            command(venv_bin(&tools).join("maturin"))
                .args(["build", "--release", "--locked", "--out"])
                .arg(&wheels)
                .current_dir(repo()),
            0,
            "maturin build",
        )
    });
    let extra = scratch().join("extra-index");
    let has_setuptools = std::fs::read_dir(&extra)
        .map(|dir| {
            dir.flatten()
                .any(|e| e.file_name().to_string_lossy().starts_with("setuptools-"))
        })
        .unwrap_or(false);
    if !has_setuptools {
        expect_code(
            command(venv_bin(&tools).join("python"))
                .args([
                    "-m",
                    "pip",
                    "download",
                    "--quiet",
                    "--only-binary",
                    ":all:",
                    "--dest",
                ])
                .arg(&extra)
                .arg("setuptools"),
            0,
            "downloading setuptools from PyPI (needs the network)",
        );
    }
    Some(Packaging {
        tools,
        wheels,
        extra,
    })
}

impl Packaging {
    fn tool(&self, name: &str) -> PathBuf {
        venv_bin(&self.tools).join(name)
    }

    fn wheel(&self) -> PathBuf {
        let wheels: Vec<PathBuf> = std::fs::read_dir(&self.wheels)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        assert_eq!(wheels.len(), 1, "exactly one wheel: {wheels:?}");
        wheels[0].clone()
    }

    /// A fresh virtualenv under `dir`; returns its scripts directory.
    fn venv(&self, dir: &Path) -> PathBuf {
        let venv = dir.join("venv");
        expect_code(
            command("python3").args(["-m", "venv"]).arg(&venv),
            0,
            "venv",
        );
        venv_bin(&venv)
    }

    /// Environment making pip, uv and pipx install from the built wheel only.
    fn local_index(&self, cmd: &mut Command, home: &Path) {
        cmd.env("PIP_NO_INDEX", "1")
            .env("PIP_FIND_LINKS", &self.wheels)
            .env("UV_NO_INDEX", "1")
            .env("UV_FIND_LINKS", &self.wheels)
            .env("UV_CACHE_DIR", home.join("uv-cache"))
            .env("UV_TOOL_DIR", home.join("uv-tools"))
            .env("UV_TOOL_BIN_DIR", home.join("uv-bin"))
            .env("PIPX_HOME", home.join("pipx"))
            .env("PIPX_BIN_DIR", home.join("pipx-bin"));
    }
}

/// Every fixture project: the first directory holding files on each path down `fixtures/`.
fn fixture_projects(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    if entries.iter().any(|e| e.path().is_file()) {
        out.push(dir.to_path_buf());
        return;
    }
    for entry in entries {
        fixture_projects(&entry.path(), out);
    }
}

/// `(exit code, output with the run's elapsed time zeroed)`.
fn report(binary: &Path, args: &[&str], project: &Path) -> (Option<i32>, String) {
    let output = command(binary)
        .args(args)
        .arg(project)
        .current_dir(repo())
        .output()
        .unwrap();
    let text = stdout(&output);
    let text = match text.find("\"elapsed_ms\": ") {
        Some(at) => {
            let digits = at + "\"elapsed_ms\": ".len();
            let end = digits + text[digits..].find(|c: char| !c.is_ascii_digit()).unwrap();
            format!("{}0{}", &text[..digits], &text[end..])
        }
        None => text,
    };
    (output.status.code(), text)
}

#[test]
fn the_wheel_installs_runs_as_a_module_and_reports_like_the_cargo_build() {
    let Some((_serial, packaging)) = setup() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let bin = packaging.venv(dir.path());
    timed("pip install of the built wheel", || {
        expect_code(
            command(bin.join("python"))
                .args(["-m", "pip", "install", "--quiet"])
                .arg(packaging.wheel()),
            0,
            "pip install wheel",
        )
    });
    let wheel_binary = bin.join("checkout-lint");
    let cargo_binary = PathBuf::from(env!("CARGO_BIN_EXE_checkout-lint"));
    for cmd in [
        command(&wheel_binary).arg("--version"),
        command(bin.join("python")).args(["-m", "checkout_lint", "--version"]),
        command(&cargo_binary).arg("--version"),
    ] {
        assert_version(&stdout(&expect_code(cmd, 0, "--version")));
    }

    let mut projects = Vec::new();
    fixture_projects(&repo().join("fixtures"), &mut projects);
    assert!(projects.len() > 40, "{projects:?}");
    for project in &projects {
        for args in [
            &["check", "--format", "json"][..],
            &["table", "--format", "json"][..],
        ] {
            let wheel = report(&wheel_binary, args, project);
            let cargo = report(&cargo_binary, args, project);
            assert!(
                cargo.1.len() > 1,
                "{args:?} {}: no output",
                project.display()
            );
            assert!(
                wheel == cargo,
                "{args:?} {}: the wheel's binary differs from cargo's",
                project.display()
            );
        }
    }
    println!("identical JSON on {} fixture projects", projects.len());
}

/// The README's "from source" line: `cargo install --locked --path .` from a clone. It shares
/// the wheel's cargo target directory (release profile), so it mostly relinks.
#[test]
fn cargo_install_from_a_clone_puts_checkout_lint_in_its_root() {
    let Some((_serial, _packaging)) = setup() else {
        return;
    };
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    assert!(
        readme.contains("cargo install --locked --path ."),
        "README's Install shows the cargo line"
    );
    let dir = tempfile::tempdir().unwrap();
    timed("cargo install --locked --path .", || {
        expect_code(
            command("cargo")
                .args(["install", "--locked", "--quiet", "--path", "."])
                .arg("--root")
                .arg(dir.path())
                .current_dir(repo()),
            0,
            "cargo install --locked --path .",
        )
    });
    let output = expect_code(
        command(dir.path().join("bin/checkout-lint"))
            .args(["check", "fixtures/basketball_api"])
            .current_dir(repo()),
        1,
        "the installed checkout-lint on the bundled example",
    );
    assert!(
        stdout(&output).contains("8 violations"),
        "{}",
        stdout(&output)
    );
}

/// `checkout-lint 0.1.0`, followed by ` (<commit> <date>)` when built from a git checkout
/// (build.rs); a build from the sdist has no git and no commit.
fn assert_version(text: &str) {
    let prefix = format!("checkout-lint {VERSION}");
    let rest = text
        .strip_prefix(&prefix)
        .unwrap_or_else(|| panic!("{text:?}"));
    let ok = rest == "\n"
        || rest
            .strip_prefix(" (")
            .and_then(|r| r.strip_suffix(")\n"))
            .is_some_and(|c| c.len() == 10 + 1 + c.find(' ').unwrap_or(0));
    assert!(ok, "{text:?}");
}

#[test]
fn pip_install_of_the_repository_puts_checkout_lint_on_path() {
    let Some((_serial, packaging)) = setup() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let bin = packaging.venv(dir.path());
    timed(
        "pip install <repository> (incremental maturin build)",
        || {
            expect_code(
                command(bin.join("python"))
                    .args(["-m", "pip", "install", "--quiet"])
                    .arg(repo()),
                0,
                "pip install <repo>",
            )
        },
    );
    let output = expect_code(
        command(bin.join("checkout-lint"))
            .args(["check", "fixtures/basketball_api"])
            .current_dir(repo()),
        1,
        "checkout-lint check fixtures/basketball_api",
    );
    assert!(
        stdout(&output).contains("8 violations"),
        "{}",
        stdout(&output)
    );
    let output = expect_code(
        command(bin.join("python")).args(["-m", "checkout_lint", "--version"]),
        0,
        "python -m checkout_lint --version",
    );
    assert_version(&stdout(&output));

    // `pip install --target DIR`: no scripts directory on any scheme; the module finds
    // the binary in DIR/bin.
    let target = dir.path().join("target-install");
    expect_code(
        command(bin.join("python"))
            .args(["-m", "pip", "install", "--quiet", "--no-deps", "--target"])
            .arg(&target)
            .arg(packaging.wheel()),
        0,
        "pip install --target",
    );
    let output = expect_code(
        command("python3")
            .args(["-m", "checkout_lint", "--version"])
            .env("PYTHONPATH", &target),
        0,
        "python -m checkout_lint from a --target install",
    );
    assert_version(&stdout(&output));
}

#[test]
fn the_wheel_and_sdist_carry_the_metadata_and_only_the_sources() {
    let Some((_serial, packaging)) = setup() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    expect_code(
        command(packaging.tool("maturin"))
            .args(["sdist", "--out"])
            .arg(dir.path())
            .current_dir(repo()),
        0,
        "maturin sdist",
    );
    // Lists an archive's members (wheel or sdist) and prints its METADATA / PKG-INFO.
    let lister = r#"
import sys, tarfile, zipfile
path = sys.argv[1]
if path.endswith(".whl"):
    z = zipfile.ZipFile(path); names = z.namelist()
    meta = next(n for n in names if n.endswith(".dist-info/METADATA"))
    text = z.read(meta).decode()
else:
    t = tarfile.open(path); names = [m.name.split("/", 1)[1] for m in t.getmembers() if "/" in m.name]
    text = t.extractfile(next(m for m in t.getmembers() if m.name.endswith("/PKG-INFO"))).read().decode()
print("\n".join(sorted(names))); print("----"); print(text.split("\n\n", 1)[0])
"#;
    let sdist = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().ends_with(".tar.gz"))
        .expect("an sdist");
    let size = std::fs::metadata(&sdist).unwrap().len();
    assert!(size < 500_000, "sdist is {size} bytes");
    for archive in [packaging.wheel(), sdist] {
        let output = expect_code(
            command("python3").args(["-c", lister]).arg(&archive),
            0,
            "list archive",
        );
        let text = stdout(&output);
        let (names, metadata) = text.split_once("----\n").unwrap();
        for line in [
            "Name: checkout-lint".to_string(),
            format!("Version: {VERSION}"),
            format!("Summary: {}", env!("CARGO_PKG_DESCRIPTION")),
            "License-Expression: MIT".to_string(),
            "Keywords: stripe,checkout,lint,linter,pre-commit,static-analysis,expires_at"
                .to_string(),
            "Project-URL: Repository, https://github.com/OWNER/checkout-lint".to_string(),
            "Description-Content-Type: text/markdown; charset=UTF-8; variant=GFM".to_string(),
        ] {
            assert!(
                metadata.lines().any(|l| l == line),
                "{line:?} in {metadata}"
            );
        }
        let names: Vec<&str> = names.lines().collect();
        if archive.extension().is_some_and(|e| e == "whl") {
            assert!(names.contains(&"checkout_lint/__main__.py"), "{names:?}");
            let script = format!("checkout_lint-{VERSION}.data/scripts/checkout-lint");
            assert!(names.contains(&script.as_str()), "{names:?}");
        } else {
            for file in [
                "Cargo.toml",
                "Cargo.lock",
                "build.rs",
                "src/main.rs",
                "pyproject.toml",
            ] {
                assert!(names.contains(&file), "{file} in the sdist: {names:?}");
            }
            assert!(names.contains(&"python/checkout_lint/__main__.py"));
            assert!(names.iter().any(|n| n.starts_with("rules/CL001")));
            for left_out in ["fixtures/", "tests/", "fuzz/", "target/", "bench/", ".ci/"] {
                assert!(
                    !names.iter().any(|n| n.starts_with(left_out)),
                    "{left_out} in the sdist: {names:?}"
                );
            }
        }
    }
}

#[path = "packaging/ci.rs"]
mod ci;
