//! The held files' and module lookup's unit tests: trees made on disk, walked as a run
//! walks them.

use std::path::{Path, PathBuf};

use super::*;
use crate::facts::ModuleSet;
use crate::workspace::discover::Tree;

fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn source_files(root: &Path, source_roots: &[PathBuf], exclude: &[String]) -> SourceFiles {
    let walk = Tree::new(vec![root.to_path_buf()], root, exclude, false);
    let mut files = SourceFiles::new(root.to_path_buf(), source_roots, walk);
    let mut scanned = (0, 0);
    for found in files.tree().walk() {
        if let crate::workspace::discover::Found::Source { path, language } = found {
            match language {
                Language::Python => scanned.0 += 1,
                Language::Rust => {
                    scanned.1 += 1;
                    files.note_rust_file(&path);
                }
            }
        }
    }
    files.set_scanned(scanned.0, scanned.1);
    files
}

fn defined_at(files: &SourceFiles, module: &str) -> Option<String> {
    defined_in(files, module, Language::Python)
}

fn defined_in(files: &SourceFiles, module: &str, language: Language) -> Option<String> {
    let path = match files.locate(module, language)? {
        Located::Held(id) => files[id].path().to_path_buf(),
        Located::Unheld(path) => path,
    };
    Some(relative(&path, &files.root))
}

#[test]
fn python_modules_are_found_where_the_walk_finds_them() {
    let dir = tree(&[
        ("app/__init__.py", ""),
        ("app/billing/__init__.py", ""),
        ("app/billing.py", ""),
        ("app/config.py", ""),
        ("src/app/config.py", ""),
        ("src/app/only_src.py", ""),
        ("my-scripts/x.py", ""),
        ("stripe.py", ""),
        ("build/gen.py", ""),
        ("vendored/lib.py", ""),
        (".gitignore", "stripe.py\nbuild/\n"),
    ]);
    let root = dir.path();
    let roots = [root.join("src"), root.to_path_buf()];
    let files = source_files(root, &roots, &["vendored".into()]);
    // The first file in path order wins a name two files define.
    assert_eq!(
        defined_at(&files, "app.billing").as_deref(),
        Some("app/billing/__init__.py")
    );
    assert_eq!(
        defined_at(&files, "app.config").as_deref(),
        Some("app/config.py")
    );
    assert_eq!(
        defined_at(&files, "app.only_src").as_deref(),
        Some("src/app/only_src.py")
    );
    assert_eq!(
        defined_at(&files, "app").as_deref(),
        Some("app/__init__.py")
    );
    // Ignored, excluded, not an identifier, or named from another root: no module.
    for missing in [
        "stripe",
        "build.gen",
        "vendored.lib",
        "my-scripts.x",
        "src.app.config",
        "",
        "app.nothing",
    ] {
        assert_eq!(defined_at(&files, missing), None, "{missing}");
    }
    assert!(files.contains("app.config") && !files.contains("stripe"));
}

#[test]
fn held_files_keep_their_id_and_come_in_path_order() {
    let dir = tree(&[("b.py", ""), ("a/z.py", ""), ("a-c.py", "")]);
    let root = dir.path();
    let mut files = source_files(root, &[root.to_path_buf()], &[]);
    let b = files.hold_module("b", Language::Python).unwrap();
    let z = files.hold_module("a.z", Language::Python).unwrap();
    let entry = files.entry(root.join("a-c.py"), Language::Python);
    let c = files.hold(entry);
    assert_eq!(files.hold_module("b", Language::Python), Some(b));
    assert_eq!(
        files.locate("a.z", Language::Python),
        Some(Located::Held(z))
    );
    // `a/z.py` before `a-c.py`: paths compare component by component.
    assert_eq!(files.held().collect::<Vec<_>>(), [z, c, b]);
    assert_eq!(files.rel_path(&files[z]), "a/z.py");
    assert_eq!(files[c].module(), None);
    assert!(matches!(files.state(b), FileState::Skipped));
}

#[test]
fn rust_modules_are_found_back_through_the_cargo_layout() {
    let dir = tree(&[
        ("shop/Cargo.toml", "[package]\nname = \"shop-api\"\n"),
        ("shop/src/lib.rs", ""),
        ("shop/src/main.rs", ""),
        ("shop/src/pay.rs", ""),
        ("shop/src/routes/mod.rs", ""),
        ("shop/src/routes/checkout.rs", ""),
        ("shop/src/bin/my-tool.rs", ""),
        ("shop/src/bin/server/main.rs", ""),
        ("shop/src/bin/server/state.rs", ""),
        ("shop/tests/end-to-end.rs", ""),
        ("shop/build.rs", ""),
        ("scripts/one-off.rs", ""),
    ]);
    let root = dir.path();
    let files = source_files(root, &[root.to_path_buf()], &[]);
    for (module, path) in [
        ("shop_api", "shop/src/lib.rs"),
        ("shop_api_main", "shop/src/main.rs"),
        ("shop_api::pay", "shop/src/pay.rs"),
        ("shop_api::routes", "shop/src/routes/mod.rs"),
        ("shop_api::routes::checkout", "shop/src/routes/checkout.rs"),
        ("my_tool", "shop/src/bin/my-tool.rs"),
        ("server", "shop/src/bin/server/main.rs"),
        ("server::state", "shop/src/bin/server/state.rs"),
        ("shop_api_tests_end_to_end", "shop/tests/end-to-end.rs"),
        ("shop_api_build", "shop/build.rs"),
    ] {
        assert_eq!(
            defined_in(&files, module, Language::Rust).as_deref(),
            Some(path),
            "{module}"
        );
    }
    assert_eq!(
        defined_in(&files, "shop_api::nothing", Language::Rust),
        None
    );
    // A loose file is its own crate: only its entry, once held, names it.
    assert_eq!(defined_in(&files, "one_off", Language::Rust), None);
    let mut files = files;
    let entry = files.entry(root.join("scripts/one-off.rs"), Language::Rust);
    let id = files.hold(entry);
    assert_eq!(
        files.locate("one_off", Language::Rust),
        Some(Located::Held(id))
    );
}

/// A source root outside the project root (`source-roots = [".."]` in a sub-project)
/// names modules from the full paths; `root/../other` keeps its `..`, and, like the
/// walk, matches no file.
#[test]
fn source_roots_above_the_root_name_modules_from_full_paths() {
    let dir = tree(&[
        ("services/api/pkg/shop.py", ""),
        ("services/other/x.py", ""),
    ]);
    let root = dir.path().join("services/api");
    let roots = [dir.path().to_path_buf(), root.join("../other")];
    let files = source_files(&root, &roots, &[]);
    assert_eq!(
        defined_at(&files, "services.api.pkg.shop").as_deref(),
        Some("pkg/shop.py")
    );
    assert_eq!(defined_at(&files, "x"), None);
}

#[test]
fn relative_paths_are_clean_either_way() {
    let root = Path::new("/repo");
    for (path, expected) in [
        ("/repo/app/pay.py", "app/pay.py"),
        ("/repo", "."),
        ("/repo/./app//pay.py", "app/pay.py"),
        ("/repo/app/../pay.py", "app/../pay.py"),
        ("/elsewhere/x.py", "../elsewhere/x.py"),
        ("/repo2/x.py", "../repo2/x.py"),
        ("/repo/a b/ünï.py", "a b/ünï.py"),
    ] {
        assert_eq!(relative(Path::new(path), root), expected, "{path}");
    }
}

/// What every held file costs to the end of the run.
#[test]
fn a_state_stays_small() {
    assert!(std::mem::size_of::<FileState>() <= 16);
}
