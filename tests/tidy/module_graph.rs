//! The crate's module graph, as the tidy checks read it: each source file's module path,
//! and the modules its code names through `crate::`, `super::` and `self::` paths (`use`
//! groups expanded). Method calls name no module, so a type's `impl` blocks spread over
//! several files show only as the paths those files import.
//!
//! Reads code whose comments and literals are already blanked; knows nothing of what the
//! modules do.

use std::collections::{BTreeMap, BTreeSet};

/// A module's path from the crate root: `index/files/mod.rs` is `["index", "files"]`.
pub type ModulePath = Vec<String>;

/// The module a source file (its path relative to `src/`) defines.
pub fn module_of(rel_path: &str) -> ModulePath {
    let stem = rel_path.strip_suffix(".rs").unwrap_or(rel_path);
    let mut segments: ModulePath = stem.split('/').map(String::from).collect();
    if matches!(
        segments.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        segments.pop();
    }
    segments
}

/// Which modules each module's code names (itself left out), given every module's code.
pub fn module_graph(
    modules: &BTreeMap<ModulePath, String>,
) -> BTreeMap<ModulePath, BTreeSet<ModulePath>> {
    let known: BTreeSet<&ModulePath> = modules.keys().collect();
    let mut graph = BTreeMap::new();
    for (module, code) in modules {
        let named: BTreeSet<ModulePath> = named_paths(code, module)
            .into_iter()
            .filter_map(|path| {
                // The longest prefix that is a module: `crate::index::files::FileId` names
                // `index/files`.
                (0..=path.len())
                    .rev()
                    .map(|n| path[..n].to_vec())
                    .find(|prefix| known.contains(prefix))
            })
            .filter(|target| target != module)
            .collect();
        graph.insert(module.clone(), named);
    }
    graph
}

/// A cycle among the direct children of `folder`, as a path that ends where it starts: child
/// `a` depends on child `b` when a module in `a` (or `a` itself) names one in `b`.
pub fn cycle_among_children(
    graph: &BTreeMap<ModulePath, BTreeSet<ModulePath>>,
    folder: &[String],
) -> Option<Vec<String>> {
    let child_of = |module: &ModulePath| -> Option<String> {
        (module.len() > folder.len() && module.starts_with(folder))
            .then(|| module[folder.len()].clone())
    };
    let mut children: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, targets) in graph {
        let Some(a) = child_of(from) else { continue };
        let entry = children.entry(a.clone()).or_default();
        for target in targets {
            if let Some(b) = child_of(target).filter(|b| *b != a) {
                entry.insert(b);
            }
        }
    }
    find_cycle(&children)
}

/// The folders of the crate: every module that has a child module.
pub fn folders(graph: &BTreeMap<ModulePath, BTreeSet<ModulePath>>) -> BTreeSet<ModulePath> {
    graph
        .keys()
        .filter(|m| !m.is_empty())
        .map(|m| m[..m.len() - 1].to_vec())
        .collect()
}

/// A cycle of a directed graph, by depth-first search for a back edge.
pub fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Ident(String),
    PathSep,
    Open,
    Close,
    Comma,
    Other,
}

fn tokens(code: &str) -> Vec<Token> {
    let chars: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push(Token::Ident(chars[start..i].iter().collect()));
            continue;
        }
        i += 1;
        match c {
            ':' if chars.get(i) == Some(&':') => {
                i += 1;
                out.push(Token::PathSep);
            }
            '{' => out.push(Token::Open),
            '}' => out.push(Token::Close),
            ',' => out.push(Token::Comma),
            c if c.is_whitespace() => {}
            _ => out.push(Token::Other),
        }
    }
    out
}

/// Every path starting at `crate`, `super` or `self` (followed by `::`), made absolute
/// against `module`, with `use` groups expanded.
fn named_paths(code: &str, module: &[String]) -> Vec<ModulePath> {
    let tokens = tokens(code);
    let mut out = Vec::new();
    let mut at = 0;
    while at < tokens.len() {
        let starts = matches!(&tokens[at], Token::Ident(s) if s == "crate" || s == "super" || s == "self")
            && tokens.get(at + 1) == Some(&Token::PathSep)
            // `x.self::` cannot happen, but `a::super::b` is part of a longer path.
            && !(at > 0 && tokens[at - 1] == Token::PathSep);
        if starts {
            at = path_tree(&tokens, at, module.to_vec(), true, &mut out);
        } else {
            at += 1;
        }
    }
    out
}

/// Reads one path tree from `at` (segments, then possibly a `{..}` group), pushing each
/// full path; returns where it ended. `first`: the tree starts a path (so `crate`, `super`
/// and `self` are relative to `base`, the current module).
fn path_tree(
    tokens: &[Token],
    mut at: usize,
    mut base: ModulePath,
    first: bool,
    out: &mut Vec<ModulePath>,
) -> usize {
    let mut leading = first;
    loop {
        match tokens.get(at) {
            Some(Token::Ident(s)) if leading && s == "crate" => base.clear(),
            Some(Token::Ident(s)) if leading && s == "super" => _ = base.pop(),
            Some(Token::Ident(s)) if s == "self" => {}
            Some(Token::Ident(s)) => {
                leading = false;
                base.push(s.clone());
            }
            Some(Token::Open) => {
                at += 1;
                loop {
                    match tokens.get(at) {
                        Some(Token::Close) => return at + 1,
                        Some(Token::Comma) => at += 1,
                        Some(_) => at = path_tree(tokens, at, base.clone(), false, out),
                        None => return at,
                    }
                }
            }
            _ => {
                out.push(base);
                return at;
            }
        }
        at += 1;
        if tokens.get(at) == Some(&Token::PathSep) {
            at += 1;
        } else {
            if matches!(tokens.get(at), Some(Token::Ident(s)) if s == "as") {
                at += 2;
            }
            out.push(base);
            return at;
        }
    }
}

#[test]
fn paths_groups_and_relative_starts_are_read() {
    let module = vec!["lang".to_string(), "rust".into(), "helpers".into()];
    let code = "use super::extract::Walker; use crate::facts::{ByteSpan, value::{Value}}; \
                use super::{self as parent, syntax}; fn f() { self::g(); x.self_y(); }";
    let paths: Vec<String> = named_paths(code, &module)
        .into_iter()
        .map(|p| p.join("/"))
        .collect();
    assert_eq!(
        paths,
        [
            "lang/rust/extract/Walker",
            "facts/ByteSpan",
            "facts/value/Value",
            "lang/rust",
            "lang/rust/syntax",
            "lang/rust/helpers/g",
        ]
    );
    assert_eq!(module_of("index/files/mod.rs"), ["index", "files"]);
    assert_eq!(module_of("lib.rs"), Vec::<String>::new());
}
