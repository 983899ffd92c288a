//! Tidy checks on the source tree itself, so the architecture that `ARCHITECTURE.md`
//! describes stays true: every module says what it owns (`//!`), stays readable (a line
//! budget), the top-level modules depend on each other without cycles and so do the modules
//! inside each folder, and the front ends know syntax, not Stripe.

mod common;
#[path = "tidy/module_graph.rs"]
mod module_graph;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::repo;

/// The line budget of a module, tests included.
const LINE_BUDGET: usize = 500;

/// Modules allowed over the budget, each with the reason. Keep this list short: split a
/// module rather than add it here.
const OVER_BUDGET: &[(&str, &str)] = &[];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/**/*.rs`, as (path relative to `src/`, text).
fn sources() -> Vec<(String, String)> {
    let src = repo().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(files.len() > 20, "expected the crate's sources under src/");
    files
        .into_iter()
        .map(|path| {
            let rel = path
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read_to_string(&path).unwrap())
        })
        .collect()
}

/// A file's text cut into code (comments and literals blanked) and the contents of its
/// string literals, both without its `#[cfg(test)]` module.
struct Lexed {
    code: String,
    strings: Vec<String>,
}

/// A module of its own that holds unit tests (`#[cfg(test)] mod tests;`).
fn is_test_module(path: &str) -> bool {
    path.ends_with("/tests.rs")
}

fn lex(text: &str) -> Lexed {
    let text = without_inline_tests(text);
    let text = text.as_str();
    let bytes = text.as_bytes();
    let mut code = String::with_capacity(text.len());
    let mut strings = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let rest = &text[i..];
        if rest.starts_with("//") {
            let end = rest.find('\n').map_or(text.len(), |n| i + n);
            i = end;
        } else if rest.starts_with("/*") {
            let end = rest.find("*/").map_or(text.len(), |n| i + n + 2);
            i = end;
        } else if let Some(hashes) = raw_string_start(rest) {
            let open = 2 + hashes;
            let close = format!("\"{}", "#".repeat(hashes));
            let body_start = i + open;
            let end = text[body_start..]
                .find(&close)
                .map_or(text.len(), |n| body_start + n);
            strings.push(text[body_start..end].to_string());
            code.push_str("\"\"");
            i = (end + close.len()).min(text.len());
        } else if bytes[i] == b'"' {
            let mut j = i + 1;
            while j < bytes.len() && bytes[j] != b'"' {
                j += if bytes[j] == b'\\' { 2 } else { 1 };
            }
            strings.push(text[i + 1..j.min(text.len())].to_string());
            code.push_str("\"\"");
            i = (j + 1).min(text.len());
        } else if bytes[i] == b'\'' && is_char_literal(&bytes[i..]) {
            let len = if bytes.get(i + 1) == Some(&b'\\') {
                bytes[i + 3..]
                    .iter()
                    .position(|&b| b == b'\'')
                    .map_or(bytes.len() - i, |n| n + 4)
            } else {
                rest[1..].chars().next().unwrap().len_utf8() + 2
            };
            code.push_str("' '");
            i += len;
        } else {
            let c = rest.chars().next().unwrap();
            code.push(c);
            i += c.len_utf8();
        }
    }
    Lexed { code, strings }
}

/// The text without its inline `#[cfg(test)] mod tests { .. }` (brace-matched, so code after
/// it still counts); `#[cfg(test)] mod tests;` declares a file of its own and stays.
fn without_inline_tests(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("#[cfg(test)]") {
        let after = &rest[at + "#[cfg(test)]".len()..];
        let body = after
            .trim_start()
            .strip_prefix("mod tests")
            .map(str::trim_start)
            .filter(|b| b.starts_with('{'));
        let Some(body) = body else {
            out.push_str(&rest[..at + "#[cfg(test)]".len()]);
            rest = after;
            continue;
        };
        out.push_str(&rest[..at]);
        // Braces inside strings or comments of a test module are rare enough, and a miscount
        // only hides test code, never shown code: the end is the brace that balances.
        let mut depth = 0usize;
        let mut end = body.len();
        for (i, c) in body.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &body[end..];
    }
    out.push_str(rest);
    out
}

/// `r"`, `r#"`, `br"`…: the number of hashes of a raw string starting here.
fn raw_string_start(rest: &str) -> Option<usize> {
    let rest = rest.strip_prefix('b').unwrap_or(rest);
    let rest = rest.strip_prefix('r')?;
    let hashes = rest.bytes().take_while(|&b| b == b'#').count();
    (rest.as_bytes().get(hashes) == Some(&b'"')).then_some(hashes)
}

/// `'x'` or `'\n'`, as opposed to a lifetime `'a`.
fn is_char_literal(bytes: &[u8]) -> bool {
    match bytes.get(1) {
        Some(b'\\') => true,
        Some(_) => {
            let text = String::from_utf8_lossy(&bytes[1..bytes.len().min(6)]);
            let mut chars = text.chars();
            chars.next();
            chars.next() == Some('\'')
        }
        None => false,
    }
}

#[test]
fn every_module_says_what_it_owns() {
    let missing: Vec<String> = sources()
        .into_iter()
        .filter(|(_, text)| !text.trim_start().starts_with("//!"))
        .map(|(path, _)| path)
        .collect();
    assert!(
        missing.is_empty(),
        "these modules do not start with a `//!` header saying what they own and what they must not know: {missing:?}"
    );
}

#[test]
fn modules_stay_within_the_line_budget() {
    let allowed: BTreeMap<&str, &str> = OVER_BUDGET.iter().copied().collect();
    let mut over = Vec::new();
    let mut stale = Vec::new();
    for (path, text) in sources() {
        let lines = text.lines().count();
        match (lines > LINE_BUDGET, allowed.contains_key(path.as_str())) {
            (true, false) => over.push(format!("{path}: {lines} lines")),
            (false, true) => stale.push(path),
            _ => {}
        }
    }
    assert!(
        over.is_empty(),
        "modules over {LINE_BUDGET} lines (split them by concern): {over:?}"
    );
    assert!(
        stale.is_empty(),
        "modules in OVER_BUDGET that are within the budget now (remove them from the list): {stale:?}"
    );
}

/// Folders whose modules still depend on each other in a cycle, each with the reason.
/// Keep this list short: move what both sides need into a module below them.
const CYCLES_ALLOWED: &[(&str, &str)] = &[];

#[test]
fn modules_inside_a_folder_depend_on_each_other_without_cycles() {
    let modules: BTreeMap<module_graph::ModulePath, String> = sources()
        .into_iter()
        .filter(|(path, _)| !is_test_module(path))
        .map(|(path, text)| (module_graph::module_of(&path), lex(&text).code))
        .collect();
    let graph = module_graph::module_graph(&modules);
    assert!(
        graph.len() > 20 && graph.values().any(|named| !named.is_empty()),
        "the module graph was not read"
    );
    let allowed: BTreeMap<&str, &str> = CYCLES_ALLOWED.iter().copied().collect();
    let mut cycles = Vec::new();
    let mut stale = Vec::new();
    for folder in module_graph::folders(&graph) {
        let name = if folder.is_empty() {
            "src".to_string()
        } else {
            folder.join("/")
        };
        match (
            module_graph::cycle_among_children(&graph, &folder),
            allowed.contains_key(name.as_str()),
        ) {
            (Some(cycle), false) => cycles.push(format!("{name}: {}", cycle.join(" -> "))),
            (None, true) => stale.push(name),
            _ => {}
        }
    }
    assert!(
        cycles.is_empty(),
        "modules inside a folder depend on each other in a cycle (move what both need into a module below them, or make one a child of the other): {cycles:#?}"
    );
    assert!(
        stale.is_empty(),
        "folders in CYCLES_ALLOWED without a cycle now (remove them from the list): {stale:?}"
    );
}

/// The top-level module (`src/<name>.rs` or `src/<name>/`) a source file belongs to.
fn top_level(path: &str) -> &str {
    let first = path.split('/').next().unwrap();
    first.strip_suffix(".rs").unwrap_or(first)
}

/// The top-level modules a file's non-test code names through `crate::`.
fn dependencies(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let after = &rest[at + "crate::".len()..];
        if let Some(group) = after.strip_prefix('{') {
            // Items at brace depth 0 of the group; each names a module by its first segment.
            let mut depth = 0usize;
            let mut item_start = true;
            let mut name = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        if !name.is_empty() && name != "self" {
                            out.insert(std::mem::take(&mut name));
                        }
                        name.clear();
                        item_start = true;
                    }
                    c if item_start && depth == 0 => {
                        if c.is_ascii_alphanumeric() || c == '_' {
                            name.push(c);
                        } else if !name.is_empty() || !c.is_whitespace() {
                            if !name.is_empty() && name != "self" {
                                out.insert(std::mem::take(&mut name));
                            }
                            name.clear();
                            item_start = false;
                        }
                    }
                    _ => {}
                }
            }
            if !name.is_empty() && name != "self" {
                out.insert(name);
            }
        } else {
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.insert(name);
            }
        }
        rest = after;
    }
    out
}

#[test]
fn top_level_modules_depend_on_each_other_without_cycles() {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (path, text) in sources() {
        let from = top_level(&path).to_string();
        if from == "lib" || from == "main" || is_test_module(&path) {
            continue;
        }
        let deps = dependencies(&lex(&text).code);
        let entry = graph.entry(from.clone()).or_default();
        entry.extend(deps.into_iter().filter(|d| *d != from));
    }
    if let Some(cycle) = module_graph::find_cycle(&graph) {
        panic!(
            "top-level modules depend on each other in a cycle: {}",
            cycle.join(" -> ")
        );
    }
    // The pipeline's direction, as ARCHITECTURE.md draws it: every dependency points to a
    // lower layer. A new top-level module must be placed here.
    let layer: BTreeMap<&str, usize> = [
        ("facts", 0),
        ("flow", 0),
        ("error", 0),
        ("workspace", 1),
        ("shapes", 1),
        ("rules", 1),
        ("config", 2),
        ("lang", 2),
        ("index", 3),
        ("analysis", 4),
        ("baseline", 5),
        ("report", 5),
        ("runbook", 6),
        ("fix", 7),
        ("cli", 8),
    ]
    .into_iter()
    .collect();
    for (from, deps) in &graph {
        let Some(&from_layer) = layer.get(from.as_str()) else {
            panic!("the top-level module `{from}` has no layer in this test: place it");
        };
        for to in deps {
            let to_layer = layer.get(to.as_str()).copied().unwrap_or(usize::MAX);
            assert!(
                to_layer < from_layer,
                "`{from}` (layer {from_layer}) must not depend on `{to}` (layer {to_layer}): data flows the other way"
            );
        }
    }
}

/// Words that name a Stripe fact. Our own name (`checkout-lint`) is not one.
fn names_stripe(literal: &str) -> bool {
    let lower = literal.to_ascii_lowercase().replace("checkout-lint", "");
    ["stripe", "checkout", "expires_at", "/v1/"]
        .iter()
        .any(|word| lower.contains(word))
}

#[test]
fn front_ends_know_syntax_not_stripe() {
    let mut found = Vec::new();
    for (path, text) in sources() {
        if top_level(&path) != "lang" || is_test_module(&path) {
            continue;
        }
        for literal in lex(&text).strings {
            if names_stripe(&literal) {
                found.push(format!("{path}: \"{literal}\""));
            }
        }
    }
    assert!(
        found.is_empty(),
        "front ends (src/lang) spell Stripe facts; move them to rules/call-shapes.toml (read through `crate::shapes`):\n{}",
        found.join("\n")
    );
}

/// A user's fresh clone has nothing beside it, so nothing the build or the tests run may
/// read from outside the repository.
#[test]
fn nothing_reads_outside_the_repository() {
    // Spelled at run time, so that this file does not match itself.
    let needle = format!("..{}shared", '/');
    let mut files = Vec::new();
    for dir in [
        "src",
        "tests",
        "benches",
        "bench",
        "fuzz/fuzz_targets",
        ".ci",
    ] {
        let dir = repo().join(dir);
        if dir.is_dir() {
            all_files(&dir, &mut files);
        }
    }
    files.push(repo().join("Cargo.toml"));
    files.push(repo().join("fuzz/Cargo.toml"));
    let readers: Vec<String> = files
        .iter()
        .filter(|path| {
            std::fs::read(path)
                .is_ok_and(|bytes| String::from_utf8_lossy(&bytes).contains(needle.as_str()))
        })
        .map(|path| path.strip_prefix(repo()).unwrap().display().to_string())
        .collect();
    assert!(
        readers.is_empty(),
        "these files refer to {needle}, which a fresh clone does not have: {readers:?}"
    );
}

fn all_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            if !path.ends_with("snapshots") {
                all_files(&path, out);
            }
        } else {
            out.push(path);
        }
    }
}

#[test]
fn the_lexer_of_these_checks_sees_code_strings_and_tests_apart() {
    let lexed = lex(concat!(
        "use crate::a::B; // crate::commented\n",
        "fn f<'a>(x: &'a str) -> char { let _ = \"crate::in_string\"; let _ = r#\"raw \"q\"\"#; 'c' }\n",
        "use crate::{b, c::D, f::{g, h::{I}}, self};\n",
        "#[cfg(test)]\nmod tests;\nuse crate::e;\n",
        "#[cfg(test)]\nmod tests { use crate::only_tests; fn t() { let _ = {}; } }\n",
        "use crate::after_tests;\n",
    ));
    assert_eq!(
        dependencies(&lexed.code),
        ["a", "after_tests", "b", "c", "e", "f"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    );
    assert_eq!(lexed.strings, ["crate::in_string", "raw \"q\""]);
    assert!(names_stripe("stripe.checkout.Session"));
    assert!(!names_stripe("checkout-lint: ignore"));
}
