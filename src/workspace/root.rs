//! Where a project begins when no config file says so: the nearest ancestor holding a
//! project marker, found the way ruff and cargo find theirs.
//!
//! Owns the marker names and the Cargo workspace-membership test. Knows nothing of
//! languages beyond those file names, and nothing of Stripe.

use std::path::{Path, PathBuf};

/// The files that make a directory a project root, in their order of preference within
/// one directory: the nearest directory holding any of them wins.
pub const MARKERS: [&str; 5] = [
    "pyproject.toml",
    "Cargo.toml",
    "setup.py",
    "setup.cfg",
    ".git",
];

/// A project root found by its marker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkedRoot {
    pub dir: PathBuf,
    /// The marker that made `dir` the root, e.g. `pyproject.toml`, or `Cargo.toml
    /// (workspace)` when a member's Cargo.toml sent the search up to its workspace.
    pub marker: String,
}

/// The nearest directory at or above `start` (a directory) holding a marker. A crate
/// that is a member of a Cargo workspace has the workspace's directory as its root.
pub fn find_marked_root(start: &Path) -> Option<MarkedRoot> {
    let mut dir = Some(start);
    while let Some(d) = dir {
        if let Some(marker) = MARKERS.iter().find(|m| d.join(m).exists()) {
            if *marker == "Cargo.toml" {
                if let Some(workspace) = enclosing_cargo_workspace(d) {
                    return Some(MarkedRoot {
                        dir: workspace,
                        marker: "Cargo.toml (workspace)".to_string(),
                    });
                }
            }
            return Some(MarkedRoot {
                dir: d.to_path_buf(),
                marker: marker.to_string(),
            });
        }
        dir = d.parent();
    }
    None
}

/// The workspace whose members include the crate in `crate_dir`, if any: the crate's own
/// `package.workspace` key, else the nearest ancestor `Cargo.toml` with a `[workspace]`
/// table whose `members` match the crate and whose `exclude` does not (cargo's rule).
fn enclosing_cargo_workspace(crate_dir: &Path) -> Option<PathBuf> {
    let manifest = read_manifest(&crate_dir.join("Cargo.toml"))?;
    if manifest.get("workspace").is_some() {
        return None; // the crate is its own workspace root
    }
    if let Some(explicit) = manifest
        .get("package")
        .and_then(|p| p.get("workspace"))
        .and_then(|w| w.as_str())
    {
        let dir = lexically_normal(&crate_dir.join(explicit));
        return dir.join("Cargo.toml").is_file().then_some(dir);
    }
    let mut dir = crate_dir.parent();
    while let Some(d) = dir {
        if let Some(workspace) = read_manifest(&d.join("Cargo.toml"))
            .as_ref()
            .and_then(|m| m.get("workspace"))
        {
            let relative = crate_dir.strip_prefix(d).ok()?;
            return lists_member(workspace, relative).then(|| d.to_path_buf());
        }
        dir = d.parent();
    }
    None
}

/// `a/b/../..` as `.`-free, `..`-free components, without touching the file system.
pub fn lexically_normal(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

fn read_manifest(path: &Path) -> Option<toml::Table> {
    let text = std::fs::read_to_string(path).ok()?;
    text.parse::<toml::Table>().ok()
}

/// Whether a `[workspace]` table's `members` globs take in `relative` and its `exclude`
/// list leaves it alone.
fn lists_member(workspace: &toml::Value, relative: &Path) -> bool {
    let patterns = |key: &str| -> Vec<String> {
        workspace
            .get(key)
            .and_then(|v| v.as_array())
            .map(|items| {
                items
                    .iter()
                    .filter_map(|i| i.as_str())
                    .map(|s| s.trim_end_matches('/').to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    let matches = |pattern: &str| {
        globset::Glob::new(pattern)
            .map(|g| g.compile_matcher().is_match(relative))
            .unwrap_or(false)
            || Path::new(pattern) == relative
    };
    let excluded = patterns("exclude").iter().any(|p| relative.starts_with(p));
    !excluded && patterns("members").iter().any(|p| matches(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    #[test]
    fn the_nearest_marker_wins() {
        let t = tree(&[
            (".git/HEAD", ""),
            ("services/billing/pyproject.toml", ""),
            ("services/billing/app/pay.py", ""),
        ]);
        let found = find_marked_root(&t.path().join("services/billing/app")).unwrap();
        assert_eq!(found.dir, t.path().join("services/billing"));
        assert_eq!(found.marker, "pyproject.toml");
        let found = find_marked_root(&t.path().join("services")).unwrap();
        assert_eq!(found.dir, t.path());
        assert_eq!(found.marker, ".git");
    }

    #[test]
    fn pyproject_names_a_directory_that_also_has_git() {
        let t = tree(&[(".git/HEAD", ""), ("pyproject.toml", ""), ("app/x.py", "")]);
        let found = find_marked_root(&t.path().join("app")).unwrap();
        assert_eq!(found.marker, "pyproject.toml");
    }

    #[test]
    fn a_workspace_member_has_the_workspace_as_root() {
        let t = tree(&[
            (
                "Cargo.toml",
                "[workspace]\nmembers = [\"crates/*\"]\nexclude = [\"crates/old\"]\n",
            ),
            ("crates/pay/Cargo.toml", "[package]\nname = \"pay\"\n"),
            ("crates/old/Cargo.toml", "[package]\nname = \"old\"\n"),
            ("tools/x/Cargo.toml", "[package]\nname = \"x\"\n"),
        ]);
        let member = find_marked_root(&t.path().join("crates/pay/src")).unwrap();
        assert_eq!(member.dir, t.path());
        assert_eq!(member.marker, "Cargo.toml (workspace)");
        let excluded = find_marked_root(&t.path().join("crates/old")).unwrap();
        assert_eq!(excluded.dir, t.path().join("crates/old"));
        let outsider = find_marked_root(&t.path().join("tools/x")).unwrap();
        assert_eq!(outsider.dir, t.path().join("tools/x"));
    }

    #[test]
    fn an_explicit_package_workspace_key_is_followed() {
        let t = tree(&[
            ("Cargo.toml", "[workspace]\nmembers = []\n"),
            (
                "a/b/Cargo.toml",
                "[package]\nname = \"b\"\nworkspace = \"../..\"\n",
            ),
        ]);
        let found = find_marked_root(&t.path().join("a/b")).unwrap();
        assert_eq!(found.dir, t.path());
    }

    #[test]
    fn no_marker_gives_nothing() {
        let t = tree(&[("a/b.py", "")]);
        // tempdir lives under a directory without markers on this machine and in CI.
        let found = find_marked_root(&t.path().join("a"));
        assert!(found.is_none_or(|f| !f.dir.starts_with(t.path())));
    }
}
