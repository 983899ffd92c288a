//! Unit tests of the Rust editor: builder chains, struct literals, locals and `use` items.

use super::*;
use crate::lang::layout::apply;

fn span_of(text: &str, needle: &str) -> (usize, usize) {
    let start = text.find(needle).expect("the needle");
    (start, start + needle.len())
}

#[test]
fn a_builder_call_goes_right_after_the_constructor() {
    let text = "fn f() {\n    let _ = New::new()\n        .mode(M)\n        .send(c);\n}\n";
    let editor = RustEditor::new(text).unwrap();
    let (s, e) = span_of(text, "New::new()");
    let out = apply(
        text,
        editor.add_builder_call(s, e, ".expires_at(v)").unwrap(),
    );
    assert_eq!(out, "fn f() {\n    let _ = New::new()\n        .expires_at(v)\n        .mode(M)\n        .send(c);\n}\n");
    let text = "fn f() { let _ = New::new().send(c); }\n";
    let editor = RustEditor::new(text).unwrap();
    let (s, e) = span_of(text, "New::new()");
    let out = apply(
        text,
        editor.add_builder_call(s, e, ".expires_at(v)").unwrap(),
    );
    assert_eq!(
        out,
        "fn f() { let _ = New::new().expires_at(v).send(c); }\n"
    );
}

#[test]
fn a_local_builder_gets_the_call_where_it_is_made() {
    let text = "fn f() {\n    let mut req = New::new().mode(M);\n    req = req.customer(x);\n    let _ = req.send(c);\n}\n";
    let editor = RustEditor::new(text).unwrap();
    let (s, _) = span_of(text, "req.send");
    let out = apply(
        text,
        editor.add_builder_call(s, s + 3, ".expires_at(v)").unwrap(),
    );
    assert!(
        out.contains("let mut req = New::new().expires_at(v).mode(M);"),
        "{out}"
    );
}

#[test]
fn a_struct_literal_gets_a_field_before_its_rest() {
    let text = "fn f() {\n    create(c, P {\n        mode: Some(M),\n        ..Default::default()\n    });\n}\n";
    let editor = RustEditor::new(text).unwrap();
    let start = text.find("P {").unwrap();
    let end = text.find("    });").unwrap() + 5;
    let out = apply(
        text,
        editor
            .add_field(start, end, "expires_at", "Some(v)")
            .unwrap(),
    );
    assert!(
        out.contains(
            "        mode: Some(M),\n        expires_at: Some(v),\n        ..Default::default()\n"
        ),
        "{out}"
    );
    let text = "fn f() { create(c, P { mode: Some(M) }); }\n";
    let editor = RustEditor::new(text).unwrap();
    let (s, e) = span_of(text, "P { mode: Some(M) }");
    let out = apply(
        text,
        editor.add_field(s, e, "expires_at", "Some(v)").unwrap(),
    );
    assert_eq!(
        out,
        "fn f() { create(c, P { mode: Some(M), expires_at: Some(v) }); }\n"
    );
}

#[test]
fn a_local_gets_an_assignment_after_its_let_made_mutable() {
    let text = "fn f() {\n    let mut params = P::new();\n    params.mode = Some(M);\n    create(c, params);\n}\n";
    let editor = RustEditor::new(text).unwrap();
    let at = text.find("params);").unwrap();
    let out = apply(
        text,
        editor
            .add_field(at, at + 6, "expires_at", "Some(v)")
            .unwrap(),
    );
    assert!(
        out.contains("    let mut params = P::new();\n    params.expires_at = Some(v);\n"),
        "{out}"
    );
    let immutable = "fn f() {\n    let params = P::new();\n    create(c, params);\n}\n";
    let editor = RustEditor::new(immutable).unwrap();
    let at = immutable.find("params);").unwrap();
    let splices = editor
        .add_field(at, at + 6, "expires_at", "Some(v)")
        .unwrap();
    let out = apply(immutable, splices);
    assert!(
        out.contains("    let mut params = P::new();\n    params.expires_at = Some(v);\n"),
        "{out}"
    );
}

#[test]
fn uses_go_after_their_crate_and_are_never_repeated() {
    let text =
        "use chrono::{DateTime, Utc};\nuse stripe::Client;\n\nuse crate::db::Pool;\n\nfn f() {}\n";
    let editor = RustEditor::new(text).unwrap();
    assert!(editor.brings_in("chrono", "Utc"));
    let path: Vec<String> = ["crate", "config", "TTL"].map(String::from).to_vec();
    let (name, splice) = editor.import(&path);
    assert_eq!(name, "TTL");
    assert_eq!(
        apply(text, vec![splice.unwrap()]),
        "use chrono::{DateTime, Utc};\nuse stripe::Client;\n\nuse crate::config::TTL;\nuse crate::db::Pool;\n\nfn f() {}\n"
    );
    let editor = RustEditor::new("use crate::config::TTL as T;\nfn f() {}\n").unwrap();
    assert_eq!(editor.import(&path), ("T".to_string(), None));
    let editor = RustEditor::new("//! Doc.\n\n/// F.\nfn f() {}\n").unwrap();
    let (_, splice) = editor.import(&path);
    assert_eq!(
        apply("//! Doc.\n\n/// F.\nfn f() {}\n", vec![splice.unwrap()]),
        "//! Doc.\n\nuse crate::config::TTL;\n\n/// F.\nfn f() {}\n"
    );
}

#[test]
fn what_would_not_compile_is_not_offered() {
    // A field already named gets its value replaced, never a second field.
    let text = "fn f() { create(c, P { expires_at: None, ..Default::default() }); }\n";
    let editor = RustEditor::new(text).unwrap();
    let (s, e) = span_of(text, "P { expires_at: None, ..Default::default() }");
    let out = apply(
        text,
        editor.add_field(s, e, "expires_at", "Some(v)").unwrap(),
    );
    assert_eq!(
        out,
        "fn f() { create(c, P { expires_at: Some(v), ..Default::default() }); }\n"
    );
    // A `let` that shares its line: no assignment after it.
    let text = "fn f() { let params = P::new(); create(c, params); }\n";
    let editor = RustEditor::new(text).unwrap();
    let at = text.find("params);").unwrap();
    assert!(editor
        .add_field(at, at + 6, "expires_at", "Some(v)")
        .is_none());
    // `Default::default()` would lose its type.
    let text = "fn f() {\n    let req: P = Default::default();\n    req.send(c);\n}\n";
    let editor = RustEditor::new(text).unwrap();
    let at = text.find("req.send").unwrap();
    assert!(editor
        .add_builder_call(at, at + 3, ".expires_at(v)")
        .is_none());
    // The `let` of an inner block is not the one in scope.
    let text = "fn f() {\n    let mut p = P::new();\n    {\n        let p = Q::new();\n    }\n    create(c, p);\n}\n";
    let editor = RustEditor::new(text).unwrap();
    let at = text.find("p);").unwrap();
    let out = apply(
        text,
        editor
            .add_field(at, at + 1, "expires_at", "Some(v)")
            .unwrap(),
    );
    assert!(
        out.contains("    let mut p = P::new();\n    p.expires_at = Some(v);\n"),
        "{out}"
    );
    // The name imported by another path is imported.
    let editor = RustEditor::new("use super::config::TTL;\nfn f() {}\n").unwrap();
    let path: Vec<String> = ["crate", "config", "TTL"].map(String::from).to_vec();
    assert_eq!(editor.import(&path), ("TTL".to_string(), None));
    // Inside an inline module the file's `use` items do not reach.
    let text = "mod inner {\n    fn f() {}\n}\nfn g() {}\n";
    let editor = RustEditor::new(text).unwrap();
    assert!(editor.in_inline_module(text.find("fn f").unwrap()));
    assert!(!editor.in_inline_module(text.find("fn g").unwrap()));
}
