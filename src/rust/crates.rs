//! Cargo layout: which crate a `.rs` file belongs to, its module path inside that crate,
//! and the names its dependencies are imported under (`stripe = { package = "async-stripe" }`,
//! `payments = { package = "async-stripe" }`).
//!
//! Module paths come from the file layout (`src/a/b.rs` and `src/a/b/mod.rs` are `a::b`),
//! not from following `mod` declarations; `#[path]` attributes are not honoured.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::shapes::shapes;

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

/// Every Cargo package of the project, found from the `Cargo.toml` files above `.rs` files.
#[derive(Debug, Default)]
pub struct CrateMap {
    packages: Vec<Package>,
    manifests: HashMap<PathBuf, Option<usize>>,
}

impl CrateMap {
    /// The module of a Rust file, reading `Cargo.toml` files above it (once each).
    pub fn module_of(&mut self, file: &Path) -> RustModule {
        let package = file
            .ancestors()
            .skip(1)
            .find_map(|dir| self.package_at(dir).map(|i| (i, dir.to_path_buf())));
        match package {
            Some((index, dir)) => {
                let package = &self.packages[index];
                let rel = file.strip_prefix(&dir).unwrap_or(file);
                let (crate_key, modules) = layout(&package.lib, package.has_lib, rel);
                module(crate_key, modules, package.externs.clone())
            }
            None => {
                // A loose file: its own crate, named after the file.
                let stem = file
                    .file_stem()
                    .map(|s| sanitize(&s.to_string_lossy()))
                    .unwrap_or_default();
                module(stem, Vec::new(), Arc::new(HashMap::new()))
            }
        }
    }

    /// Library names of the project's own packages (paths into them are project symbols).
    pub fn project_crates(&self) -> Vec<String> {
        self.packages.iter().map(|p| p.lib.clone()).collect()
    }

    fn package_at(&mut self, dir: &Path) -> Option<usize> {
        if let Some(cached) = self.manifests.get(dir) {
            return *cached;
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
        self.manifests.insert(dir.to_path_buf(), index);
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
