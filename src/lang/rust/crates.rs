//! Cargo layout: which crate a `.rs` file belongs to, its module path inside that crate,
//! and the names its dependencies are imported under (`stripe = { package = "async-stripe" }`,
//! `payments = { package = "async-stripe" }`).
//!
//! Module paths come from the file layout (`src/a/b.rs` and `src/a/b/mod.rs` are `a::b`),
//! not from following `mod` declarations; `#[path]` attributes are not honoured.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::shapes::shapes;
use crate::workspace::discover::{ChildKind, Children};

/// What the Rust front end needs to know about the crate of one file.
#[derive(Clone, Debug)]
pub struct RustModule {
    /// The module's key in the project index: `mycrate::a::b` (the crate key first).
    pub key: String,
    /// The key `crate::` stands for in this file.
    pub crate_key: String,
    /// Extern names visible in the crate: local name → library name (`payments` → `stripe`).
    pub externs: Arc<HashMap<String, String>>,
}

impl RustModule {
    /// The module path as segments (`["mycrate", "a", "b"]`).
    pub fn segments(&self) -> Vec<String> {
        self.key.split("::").map(str::to_string).collect()
    }
}

#[derive(Debug)]
struct Package {
    /// The library name (`my-crate` → `my_crate`).
    lib: String,
    has_lib: bool,
    externs: Arc<HashMap<String, String>>,
}

/// How many directories without a manifest `CrateMap` remembers in each of its two
/// generations.
const NO_MANIFEST_KEPT: usize = 2048;

/// Every Cargo package of the project, found from the `Cargo.toml` files above `.rs` files.
#[derive(Debug, Default)]
pub struct CrateMap {
    packages: Vec<Package>,
    /// The directories with a package's `Cargo.toml`, and its index in `packages`.
    manifests: HashMap<PathBuf, usize>,
    /// Directories known to hold no package manifest, the latest few thousand in two
    /// generations (the older is dropped when the newer fills up): the walk seldom comes
    /// back to a directory it has left, and a set of them all would grow with the tree.
    no_manifest: [HashSet<PathBuf>; 2],
    /// The crate keys of the files seen (`module_of`), loose files' and binaries' included.
    crate_keys: HashSet<String>,
}

impl CrateMap {
    /// The module of a Rust file, reading `Cargo.toml` files above it, and whether the file
    /// is loose: outside every package, its own crate, named after the file.
    pub fn module_of(&mut self, file: &Path) -> (RustModule, bool) {
        let package = file
            .ancestors()
            .skip(1)
            .find_map(|dir| self.package_at(dir).map(|i| (i, dir.to_path_buf())));
        let (module, loose) = match package {
            Some((index, dir)) => {
                let package = &self.packages[index];
                let rel = file.strip_prefix(&dir).unwrap_or(file);
                let (crate_key, modules) = layout(&package.lib, package.has_lib, rel);
                (module(crate_key, modules, package.externs.clone()), false)
            }
            None => {
                let stem = file
                    .file_stem()
                    .map(|s| sanitize(&s.to_string_lossy()))
                    .unwrap_or_default();
                (module(stem, Vec::new(), Arc::new(HashMap::new())), true)
            }
        };
        if !self.crate_keys.contains(&module.crate_key) {
            self.crate_keys.insert(module.crate_key.clone());
        }
        (module, loose)
    }

    /// The crate keys of the Rust files seen so far and the library names of the packages
    /// found (paths into them are project symbols).
    pub fn crate_keys(&self) -> HashSet<String> {
        let libs = self.packages.iter().map(|p| p.lib.clone());
        self.crate_keys.iter().cloned().chain(libs).collect()
    }

    /// The files that may be the module `key` (`shop::billing`), for the caller to check
    /// with `module_of`: the layouts `layout` maps onto the key, in every package found so
    /// far, each name matched as `layout` sanitizes it (`src/bin/my-tool.rs` is `my_tool`).
    /// `children` lists what the walk admits of a directory.
    pub fn files_for(&self, key: &str, children: &dyn Fn(&Path) -> Arc<Children>) -> Vec<PathBuf> {
        let segments: Vec<&str> = key.split("::").collect();
        let (crate_key, rest) = (segments[0], &segments[1..]);
        let mut files = Vec::new();
        let mut below: Vec<PathBuf> = Vec::new();
        for (dir, &index) in &self.manifests {
            let package = &self.packages[index];
            let lib = package.lib.as_str();
            let (src, bin) = (dir.join("src"), dir.join("src/bin"));
            if crate_key == lib {
                if rest.is_empty() {
                    files.extend([src.join("lib.rs"), src.join("main.rs")]);
                }
                below.push(src.clone());
            }
            if rest.is_empty() {
                for (suffix, file) in [("main", "src/main.rs"), ("build", "build.rs")] {
                    if crate_key == format!("{lib}_{suffix}") {
                        files.push(dir.join(file));
                    }
                }
            }
            if crate_key == format!("{lib}_other") {
                below.push(dir.clone());
            }
            for kind in ["tests", "examples", "benches"] {
                let kind_key = format!("{lib}_{kind}");
                if crate_key == kind_key {
                    below.push(dir.join(kind));
                }
                let stem = crate_key
                    .strip_prefix(&kind_key)
                    .and_then(|s| s.strip_prefix('_'));
                if let (Some(stem), true) = (stem, rest.is_empty()) {
                    files.extend(named(&dir.join(kind), stem, false, children));
                }
            }
            // A binary's crate is named after its file or directory under `src/bin`.
            if rest.is_empty() {
                files.extend(named(&bin, crate_key, false, children));
            }
            for bin_dir in named(&bin, crate_key, true, children) {
                if rest.is_empty() {
                    files.push(bin_dir.join("main.rs"));
                }
                below.push(bin_dir);
            }
        }
        for base in below {
            files.extend(module_files(&base, rest, children));
        }
        files
    }

    fn package_at(&mut self, dir: &Path) -> Option<usize> {
        if let Some(&index) = self.manifests.get(dir) {
            return Some(index);
        }
        if self.no_manifest.iter().any(|seen| seen.contains(dir)) {
            return None;
        }
        let manifest = dir.join("Cargo.toml");
        let parsed = std::fs::read_to_string(&manifest)
            .ok()
            .and_then(|text| text.parse::<toml::Table>().ok())
            .and_then(|table| read_package(dir, &table));
        let index = parsed.map(|package| {
            self.packages.push(package);
            self.packages.len() - 1
        });
        match index {
            Some(index) => {
                self.manifests.insert(dir.to_path_buf(), index);
            }
            None => {
                if self.no_manifest[0].len() >= NO_MANIFEST_KEPT {
                    self.no_manifest.swap(0, 1);
                    self.no_manifest[0].clear();
                }
                self.no_manifest[0].insert(dir.to_path_buf());
            }
        }
        index
    }
}

fn module(
    crate_key: String,
    modules: Vec<String>,
    externs: Arc<HashMap<String, String>>,
) -> RustModule {
    let mut key = crate_key.clone();
    for m in &modules {
        key.push_str("::");
        key.push_str(m);
    }
    RustModule {
        key,
        crate_key,
        externs,
    }
}

fn read_package(dir: &Path, table: &toml::Table) -> Option<Package> {
    let package = table.get("package")?.as_table()?;
    let name = package.get("name")?.as_str()?;
    let lib = table
        .get("lib")
        .and_then(|l| l.get("name"))
        .and_then(|n| n.as_str())
        .map(str::to_string)
        .unwrap_or_else(|| sanitize(name));
    let mut externs = HashMap::new();
    let workspace = workspace_dependencies(dir);
    let mut add_section = |deps: &toml::Table| {
        for (local, spec) in deps {
            // `x = { workspace = true }` takes its `package` from the workspace root.
            let inherited = spec
                .get("workspace")
                .and_then(|w| w.as_bool())
                .unwrap_or(false)
                .then(|| workspace.get(local))
                .flatten();
            let package = spec
                .get("package")
                .or_else(|| inherited.and_then(|w| w.get("package")))
                .and_then(|p| p.as_str())
                .unwrap_or(local);
            externs.insert(sanitize(local), shapes().rust.lib_name(package));
        }
    };
    for section in ["dependencies", "dev-dependencies", "build-dependencies"] {
        if let Some(deps) = table.get(section).and_then(|d| d.as_table()) {
            add_section(deps);
        }
    }
    if let Some(targets) = table.get("target").and_then(|t| t.as_table()) {
        for target in targets.values() {
            for section in ["dependencies", "dev-dependencies", "build-dependencies"] {
                if let Some(deps) = target.get(section).and_then(|d| d.as_table()) {
                    add_section(deps);
                }
            }
        }
    }
    Some(Package {
        has_lib: dir.join("src/lib.rs").is_file() || table.contains_key("lib"),
        lib,
        externs: Arc::new(externs),
    })
}

/// `[workspace.dependencies]` of the nearest workspace root above (or at) `dir`.
fn workspace_dependencies(dir: &Path) -> toml::Table {
    dir.ancestors()
        .filter_map(|d| std::fs::read_to_string(d.join("Cargo.toml")).ok())
        .filter_map(|text| text.parse::<toml::Table>().ok())
        .find_map(|table| {
            table
                .get("workspace")
                .and_then(|w| w.get("dependencies"))
                .and_then(|d| d.as_table())
                .cloned()
        })
        .unwrap_or_default()
}

/// The crate key and module path of a file, from its path inside the package.
fn layout(lib: &str, has_lib: bool, rel: &Path) -> (String, Vec<String>) {
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
    let strip = |names: &[&str]| -> Vec<String> {
        let mut out: Vec<String> = names
            .iter()
            .map(|n| sanitize(n.strip_suffix(".rs").unwrap_or(n)))
            .collect();
        if out.last().is_some_and(|l| l == "mod") {
            out.pop();
        }
        out
    };
    match parts.as_slice() {
        ["src", "lib.rs"] => (lib.to_string(), Vec::new()),
        ["src", "main.rs"] if has_lib => (format!("{lib}_main"), Vec::new()),
        ["src", "main.rs"] => (lib.to_string(), Vec::new()),
        ["src", "bin", file] => (sanitize(file.trim_end_matches(".rs")), Vec::new()),
        ["src", "bin", bin, "main.rs"] => (sanitize(bin), Vec::new()),
        ["src", "bin", bin, rest @ ..] => (sanitize(bin), strip(rest)),
        ["src", rest @ ..] => (lib.to_string(), strip(rest)),
        [kind @ ("tests" | "examples" | "benches"), file] => (
            format!("{lib}_{kind}_{}", sanitize(file.trim_end_matches(".rs"))),
            Vec::new(),
        ),
        [kind @ ("tests" | "examples" | "benches"), rest @ ..] => {
            (format!("{lib}_{kind}"), strip(rest))
        }
        ["build.rs"] => (format!("{lib}_build"), Vec::new()),
        rest => (format!("{lib}_other"), strip(rest)),
    }
}

/// The entries of `dir` named `name` once sanitized: directories, or `.rs` files (`name.rs`).
fn named(
    dir: &Path,
    name: &str,
    directories: bool,
    children: &dyn Fn(&Path) -> Arc<Children>,
) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = children(dir)
        .iter()
        .filter(|(child, kind)| {
            let Some(child) = child.to_str() else {
                return false;
            };
            match kind {
                ChildKind::Directory => directories && sanitize(child) == name,
                // `layout` strips one `.rs` from a module's file, every `.rs` from a binary's
                // or a test's: either may name it.
                ChildKind::Source => {
                    !directories
                        && [
                            child.strip_suffix(".rs"),
                            Some(child.trim_end_matches(".rs")),
                        ]
                        .into_iter()
                        .flatten()
                        .any(|stem| sanitize(stem) == name)
                }
            }
        })
        .map(|(child, _)| dir.join(child))
        .collect();
    found.sort();
    found
}

/// The files below `base` that `layout` names `segments` (`a/b.rs`, `a/b/mod.rs`; `mod.rs`
/// for none: `layout` drops a last `mod`).
fn module_files(
    base: &Path,
    segments: &[&str],
    children: &dyn Fn(&Path) -> Arc<Children>,
) -> Vec<PathBuf> {
    let Some((last, parents)) = segments.split_last() else {
        return vec![base.join("mod.rs")];
    };
    let mut dirs = vec![base.to_path_buf()];
    for segment in parents {
        dirs = dirs
            .iter()
            .flat_map(|d| named(d, segment, true, children))
            .collect();
    }
    let mut files = Vec::new();
    for dir in dirs {
        files.extend(named(&dir, last, false, children));
        let packages = named(&dir, last, true, children);
        files.extend(packages.into_iter().map(|d| d.join("mod.rs")));
    }
    files
}

fn sanitize(name: &str) -> String {
    name.replace(['-', '.', ' '], "_")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(lib: &str, has_lib: bool, rel: &str) -> (String, Vec<String>) {
        layout(lib, has_lib, Path::new(rel))
    }

    #[test]
    fn module_paths_follow_the_file_layout() {
        assert_eq!(key("app", true, "src/lib.rs"), ("app".into(), vec![]));
        assert_eq!(
            key("app", true, "src/routes/checkout.rs"),
            ("app".into(), vec!["routes".into(), "checkout".into()])
        );
        assert_eq!(
            key("app", true, "src/routes/mod.rs"),
            ("app".into(), vec!["routes".into()])
        );
        assert_eq!(key("app", true, "src/main.rs"), ("app_main".into(), vec![]));
        assert_eq!(key("app", false, "src/main.rs"), ("app".into(), vec![]));
        assert_eq!(
            key("app", true, "tests/it.rs"),
            ("app_tests_it".into(), vec![])
        );
    }

    #[test]
    fn renamed_dependencies_map_to_their_library() {
        let table: toml::Table = "[package]\nname = \"shop-api\"\n[dependencies]\npayments = { package = \"async-stripe\", version = \"0.41\" }\nstripe_checkout = { package = \"async-stripe-checkout\", version = \"1\" }\nserde = \"1\"\n"
            .parse()
            .unwrap();
        let package = read_package(Path::new("/x"), &table).unwrap();
        assert_eq!(package.lib, "shop_api");
        assert_eq!(package.externs["payments"], "stripe");
        assert_eq!(package.externs["stripe_checkout"], "stripe_checkout");
        assert_eq!(package.externs["serde"], "serde");
    }
}
