//! The documentation stays true to the code: the README's rule table is the registry's,
//! the README stays short and its pre-commit recipe is the one tests/packaging.rs runs (from
//! docs/ci.md), relative links resolve, and every invariant `ARCHITECTURE.md` states names
//! a test that exists.

mod common;

use std::path::Path;

use checkout_lint::rules;
use common::repo;

fn read(path: &str) -> String {
    std::fs::read_to_string(repo().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The rule table as the registry says it should read.
fn rule_table() -> String {
    let mut table = String::from("| code | id | severity | what it catches |\n|---|---|---|---|\n");
    for doc in rules::docs() {
        table.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            doc.code.code(),
            doc.code.name(),
            doc.severity.as_str(),
            doc.summary
        ));
    }
    table
}

#[test]
fn the_readme_rule_table_is_the_registry() {
    let readme = read("README.md");
    let begin = "<!-- rules:begin -->\n";
    let end = "<!-- rules:end -->";
    let start = readme
        .find(begin)
        .expect("README.md has <!-- rules:begin -->")
        + begin.len();
    let stop = readme[start..]
        .find(end)
        .map(|i| start + i)
        .expect("README.md has <!-- rules:end -->");
    let expected = rule_table();
    assert_eq!(
        &readme[start..stop],
        expected,
        "README.md's rule table differs from the rules' docs (rules/*.md); replace the block between the markers with:\n{expected}"
    );
}

/// The README is for users: what the tool catches, install, usage, config, rules, CI,
/// formats. The long forms live under docs/ (issue #22: at most ~300 lines).
const README_MAX_LINES: usize = 300;

#[test]
fn the_readme_stays_short() {
    let lines = read("README.md").lines().count();
    assert!(
        lines <= README_MAX_LINES,
        "README.md has {lines} lines, over its budget of {README_MAX_LINES}: move the detail \
         to docs/reference.md, docs/ci.md or docs/call-shapes.md and link to it"
    );
}

/// The `repo: local` pre-commit recipe of a markdown file: from `repos:` to the end of its
/// code block.
fn local_pre_commit_recipe<'a>(markdown: &'a str, doc: &str) -> &'a str {
    let start = markdown
        .find("repos:\n  - repo: local\n")
        .unwrap_or_else(|| panic!("{doc} has the `repo: local` pre-commit recipe"));
    let len = markdown[start..]
        .find("```")
        .unwrap_or_else(|| panic!("{doc}: the recipe's code block ends"));
    &markdown[start..start + len]
}

/// tests/packaging.rs runs docs/ci.md's recipe (both hooks) as written; the README shows its
/// first hook, which must be those lines exactly.
#[test]
fn the_readme_pre_commit_recipe_is_the_start_of_the_tested_one() {
    let readme = read("README.md");
    let ci = read("docs/ci.md");
    let shown = local_pre_commit_recipe(&readme, "README.md");
    let tested = local_pre_commit_recipe(&ci, "docs/ci.md");
    assert!(
        shown.contains("entry: checkout-lint check\n"),
        "README.md's recipe runs the check: {shown}"
    );
    assert!(
        tested.starts_with(shown),
        "README.md's pre-commit recipe differs from the start of docs/ci.md's:\n{shown}\n---\n{tested}"
    );
}

/// `[text](target)` links of a markdown file that point into the repository.
fn relative_links(markdown: &str) -> Vec<String> {
    let mut links = Vec::new();
    let mut rest = markdown;
    while let Some(at) = rest.find("](") {
        let after = &rest[at + 2..];
        let end = after.find(')').unwrap_or(after.len());
        let target = &after[..end];
        if !target.contains("://") && !target.starts_with('#') && !target.starts_with("mailto:") {
            links.push(target.split('#').next().unwrap().to_string());
        }
        rest = &after[end..];
    }
    links
}

#[test]
fn relative_links_in_the_docs_resolve() {
    let mut broken = Vec::new();
    for doc in [
        "README.md",
        "ARCHITECTURE.md",
        "bench/README.md",
        "docs/call-shapes.md",
        "docs/reference.md",
        "docs/ci.md",
    ] {
        let dir = Path::new(doc).parent().unwrap();
        for link in relative_links(&read(doc)) {
            if link.is_empty() || link.contains(' ') {
                continue;
            }
            if !repo().join(dir).join(&link).exists() {
                broken.push(format!("{doc}: {link}"));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "links to files that do not exist: {broken:?}"
    );
}

/// Every test function name under `tests/` and `src/`.
fn test_names() -> Vec<String> {
    fn walk(dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                let mut lines = text.lines().peekable();
                while let Some(line) = lines.next() {
                    if line.trim() != "#[test]" {
                        continue;
                    }
                    if let Some(next) = lines.peek() {
                        if let Some(rest) = next.trim().strip_prefix("fn ") {
                            out.push(rest.split('(').next().unwrap().to_string());
                        }
                    }
                }
            }
        }
    }
    let mut names = Vec::new();
    walk(&repo().join("tests"), &mut names);
    walk(&repo().join("src"), &mut names);
    names
}

#[test]
fn every_invariant_names_a_test_that_exists() {
    let architecture = read("ARCHITECTURE.md");
    let section = architecture
        .split("## Invariants")
        .nth(1)
        .expect("ARCHITECTURE.md has an Invariants section");
    let tests = test_names();
    let mut invariants = 0;
    let mut missing = Vec::new();
    for item in section.split("\n- ").skip(1) {
        if !item.trim_start().starts_with("**") {
            continue;
        }
        invariants += 1;
        let named: Vec<&str> = item
            .split('`')
            .skip(1)
            .step_by(2)
            .filter_map(|code| code.strip_prefix("test: "))
            .collect();
        if named.is_empty() {
            missing.push(format!("names no test: {}", item.lines().next().unwrap()));
        }
        for name in named {
            let function = name.rsplit("::").next().unwrap();
            if !tests.iter().any(|t| t == function) {
                missing.push(format!("no test function `{function}`"));
            }
        }
    }
    assert!(
        invariants >= 5,
        "ARCHITECTURE.md lists its invariants in bold"
    );
    assert!(missing.is_empty(), "{missing:#?}");
}
