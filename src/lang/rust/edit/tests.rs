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

fn in_seconds(text: &str, value: &str, per_second: i64) -> Option<String> {
    let editor = RustEditor::new(text).unwrap();
    let (s, e) = span_of(text, value);
    Some(apply(text, editor.seconds(s, e, per_second)?))
}

#[test]
fn a_scaled_clock_is_read_in_seconds() {
    let text = "fn f() { g(Utc::now().timestamp_millis() + T); }\n";
    assert_eq!(
        in_seconds(text, "Utc::now().timestamp_millis() + T", 1_000).unwrap(),
        "fn f() { g(Utc::now().timestamp() + T); }\n"
    );
    let text = "fn f() { g(d.as_millis() as i64 + T); h(t.unix_timestamp_nanos()); }\n";
    assert_eq!(
        in_seconds(text, "d.as_millis() as i64 + T", 1_000).unwrap(),
        "fn f() { g(d.as_secs() as i64 + T); h(t.unix_timestamp_nanos()); }\n"
    );
    assert_eq!(
        in_seconds(text, "t.unix_timestamp_nanos()", 1_000_000_000).unwrap(),
        "fn f() { g(d.as_millis() as i64 + T); h(t.unix_timestamp()); }\n"
    );
    // The whole value: its parentheses go with the factor (rustc would warn of them).
    let text = "fn f() { g((now + T) * 1000); h(1_000 * (now + T) + 0); }\n";
    assert_eq!(
        in_seconds(text, "(now + T) * 1000", 1_000).unwrap(),
        "fn f() { g(now + T); h(1_000 * (now + T) + 0); }\n"
    );
    assert_eq!(
        in_seconds(text, "1_000 * (now + T) + 0", 1_000).unwrap(),
        "fn f() { g((now + T) * 1000); h((now + T) + 0); }\n"
    );
}

#[test]
fn a_value_without_a_scaling_of_its_unit_is_not_rewritten() {
    let text = "fn f() { g(now_ms + T); h(now * 60 + T); k(d.as_millis()); }\n";
    assert_eq!(in_seconds(text, "now_ms + T", 1_000), None);
    assert_eq!(in_seconds(text, "now * 60 + T", 1_000), None);
    assert_eq!(in_seconds(text, "d.as_millis()", 1_000_000_000), None);
}

#[test]
fn a_locals_one_write_is_its_value_and_several_are_none() {
    let text = "fn f() {\n    let mut p = P { expires_at: Some(a), ..Default::default() };\n    send(p);\n}\nfn g() {\n    let mut p = P::new();\n    p.expires_at = Some(b);\n    send(p);\n}\nfn h() {\n    let p = B::new().expires_at(c);\n    send(p);\n}\nfn k() {\n    let mut p = P::new();\n    if x { p.expires_at = Some(d); } else { p.expires_at = Some(d); }\n    send(p);\n}\n";
    let editor = RustEditor::new(text).unwrap();
    let written = |after: &str| {
        let at = text.find(after).unwrap() + after.len();
        let (s, e) = editor.written_value(at, at + 1, "expires_at")?;
        Some(text[s..e].to_string())
    };
    assert_eq!(
        written(
            "fn f() {\n    let mut p = P { expires_at: Some(a), ..Default::default() };\n    send("
        )
        .as_deref(),
        Some("a")
    );
    assert_eq!(
        written("p.expires_at = Some(b);\n    send(").as_deref(),
        Some("b")
    );
    assert_eq!(written("expires_at(c);\n    send(").as_deref(), Some("c"));
    assert_eq!(written("Some(d); }\n    send("), None);
    // A value written at the call is itself.
    let (s, e) = span_of(text, "Some(a)");
    assert_eq!(editor.written_value(s, e, "expires_at"), Some((s, e)));
}

#[test]
fn a_form_pair_is_text_the_way_the_other_values_are() {
    let pair = |text: &str| {
        let editor = RustEditor::new(text).unwrap();
        let (s, e) = span_of(text, "[(");
        let close = text.find(")]").unwrap() + 2;
        let (splices, _) = editor.add_form_pair(s, close.max(e), "k", "v")?;
        Some(apply(text, splices))
    };
    assert_eq!(
        pair("fn f() { g(&[(\"a\", \"b\")]); }\n").unwrap(),
        "fn f() { g(&[(\"a\", \"b\"), (\"k\", &(v).to_string())]); }\n"
    );
    assert_eq!(
        pair("fn f() { g(&[(\"a\", x.to_string())]); }\n").unwrap(),
        "fn f() { g(&[(\"a\", x.to_string()), (\"k\", (v).to_string())]); }\n"
    );
    // Unknown, or both: no pair.
    assert_eq!(pair("fn f() { g(&[(\"a\", x)]); }\n"), None);
    assert_eq!(
        pair("fn f() { g(&[(\"a\", \"b\"), (\"c\", format!(\"{x}\"))]); }\n"),
        None
    );
}
