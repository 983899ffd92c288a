//! Build script: `CHECKOUT_LINT_VERSION` for `--version`, the crate version followed by the
//! commit and its date when built from a git checkout of this repository
//! (`0.1.0 (1a2b3c4d5 2026-12-07)`), the crate version alone otherwise (a crate or sdist
//! build has no `.git`, or git is not installed). Never fails the build.

use std::path::Path;
use std::process::Command;

fn main() {
    let version = env!("CARGO_PKG_VERSION");
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    let commit = commit(Path::new(&manifest_dir));
    let full = match &commit {
        Some(commit) => format!("{version} ({commit})"),
        None => version.to_string(),
    };
    println!("cargo:rustc-env=CHECKOUT_LINT_VERSION={full}");
    // Without this, any change under the package would rerun the script.
    println!("cargo:rerun-if-changed=build.rs");
    if commit.is_some() {
        // A new commit moves the branch (HEAD names it) or HEAD itself (detached); packing
        // moves the branch into packed-refs.
        let branch = git(&manifest_dir, &["symbolic-ref", "-q", "HEAD"]);
        let watched = ["HEAD", "packed-refs"].into_iter().chain(branch.as_deref());
        for what in watched {
            if let Some(path) = git(&manifest_dir, &["rev-parse", "--git-path", what]) {
                let path = Path::new(&manifest_dir).join(path);
                // A missing file would rerun the script (and rebuild the crate) every time.
                if path.exists() {
                    println!("cargo:rerun-if-changed={}", path.display());
                }
            }
        }
    }
}

/// `hash date` of HEAD, when `dir` is the top of a git work tree (not merely inside one:
/// a crate unpacked inside someone else's repository must not take its commit).
fn commit(dir: &Path) -> Option<String> {
    let dir_text = dir.to_str()?;
    let top = git(dir_text, &["rev-parse", "--show-toplevel"])?;
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if !same(Path::new(&top), dir) {
        return None;
    }
    git(
        dir_text,
        &["log", "-1", "--format=%h %cd", "--date=short", "HEAD"],
    )
}

fn git(dir: &str, args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .current_dir(dir)
        .args(args)
        .output()
        .ok()?;
    let text = String::from_utf8(output.stdout).ok()?;
    let text = text.trim();
    (output.status.success() && !text.is_empty()).then(|| text.to_string())
}
