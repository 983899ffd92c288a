//! The HTTP route of a handler, from its decorator: FastAPI / Starlette
//! (`@router.post("/x")` plus the router's `prefix=`), Flask (`@app.route("/x",
//! methods=[...])`, `@bp.post`, a blueprint's `url_prefix`) and Django-ninja.

use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::Ranged;

use super::lower::{Lookup, Resolver};
use super::scope::Def;

const VERBS: &[&str] = &["get", "post", "put", "patch", "delete", "head", "options"];

/// `POST /jersey/checkout` for a decorated handler, `None` when no decorator says.
pub fn route_of(func: &ast::StmtFunctionDef, resolver: &Resolver, _source: &str) -> Option<String> {
    func.decorator_list
        .iter()
        .find_map(|d| route_of_decorator(&d.expression, resolver))
}

fn route_of_decorator(expr: &Expr, resolver: &Resolver) -> Option<String> {
    let Expr::Call(call) = expr else { return None };
    let Expr::Attribute(attr) = call.func.as_ref() else {
        return None;
    };
    let name = attr.attr.id.as_str();
    let keyword = |key: &str| {
        call.arguments
            .keywords
            .iter()
            .find(|k| k.arg.as_ref().is_some_and(|a| a.id.as_str() == key))
            .map(|k| &k.value)
    };
    let path = call
        .arguments
        .args
        .first()
        .or_else(|| keyword("path"))
        .or_else(|| keyword("rule"))
        .and_then(string)?;
    let method = if VERBS.contains(&name) {
        name.to_ascii_uppercase()
    } else if name == "route" || name == "api_route" {
        keyword("methods")
            .and_then(|m| match m {
                Expr::List(l) => l.elts.first().and_then(string),
                Expr::Tuple(t) => t.elts.first().and_then(string),
                _ => None,
            })
            .map(|m| m.to_ascii_uppercase())
            .unwrap_or_else(|| "GET".into())
    } else {
        return None;
    };
    let prefix = router_prefix(&attr.value, resolver).unwrap_or_default();
    Some(format!("{method} {}", join_path(&prefix, &path)))
}

/// The `prefix=` / `url_prefix=` the router object was created with, when it is a
/// module-level name assigned from a call in this file.
fn router_prefix(receiver: &Expr, resolver: &Resolver) -> Option<String> {
    let Expr::Name(name) = receiver else {
        return None;
    };
    let Lookup::Defs(defs, _, _) = resolver.lookup(name.id.as_str(), receiver.start().to_usize())
    else {
        return None;
    };
    let Some(Def::Assign {
        value: Expr::Call(call),
        ..
    }) = defs.last()
    else {
        return None;
    };
    call.arguments
        .keywords
        .iter()
        .find(|k| {
            k.arg
                .as_ref()
                .is_some_and(|a| matches!(a.id.as_str(), "prefix" | "url_prefix"))
        })
        .and_then(|k| string(&k.value))
}

fn string(expr: &Expr) -> Option<String> {
    match expr {
        Expr::StringLiteral(s) => Some(s.value.to_str().to_string()),
        _ => None,
    }
}

pub fn join_path(prefix: &str, path: &str) -> String {
    let prefix = prefix.trim_end_matches('/');
    if path.is_empty() {
        return if prefix.is_empty() {
            "/".into()
        } else {
            prefix.into()
        };
    }
    if path.starts_with('/') {
        format!("{prefix}{path}")
    } else {
        format!("{prefix}/{path}")
    }
}
