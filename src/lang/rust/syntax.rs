//! Small questions about `syn` nodes that every part of the walk asks: a path's segments, a
//! lone identifier, a string literal, a method chain's links. Knows Rust syntax only.

use syn::visit::Visit;
use syn::{Expr, ExprMethodCall, Lit, Pat};

/// Strips what does not change a value: parentheses, `&`, `?`, `.await`, `.clone()`.
pub fn peel(mut expr: &Expr) -> &Expr {
    loop {
        expr = match expr {
            Expr::Paren(p) => &p.expr,
            Expr::Group(g) => &g.expr,
            Expr::Reference(r) => &r.expr,
            Expr::Try(t) => &t.expr,
            Expr::Await(a) => &a.base,
            Expr::MethodCall(m)
                if m.args.is_empty()
                    && matches!(
                        m.method.to_string().as_str(),
                        "clone" | "to_owned" | "as_str" | "as_ref" | "borrow"
                    ) =>
            {
                &m.receiver
            }
            _ => return expr,
        };
    }
}

/// The segments of a plain path expression (`a::b::C`), without generics.
pub fn path_segments(expr: &Expr) -> Option<Vec<String>> {
    match expr {
        Expr::Path(p) => match &p.qself {
            None => Some(segments_of(&p.path)),
            // `<stripe::CheckoutSession>::create` is `stripe::CheckoutSession::create`.
            Some(qself) if qself.position == 0 => match &*qself.ty {
                syn::Type::Path(ty) if ty.qself.is_none() => {
                    let mut segments = segments_of(&ty.path);
                    segments.extend(segments_of(&p.path));
                    Some(segments)
                }
                _ => None,
            },
            Some(_) => None,
        },
        _ => None,
    }
}

/// A path's identifiers, without generics.
pub fn segments_of(path: &syn::Path) -> Vec<String> {
    path.segments.iter().map(|s| s.ident.to_string()).collect()
}

/// A lone identifier (a local variable, if one of that name is in scope).
pub fn ident(expr: &Expr) -> Option<String> {
    match path_segments(expr)?.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    }
}

/// `Some(x)` → `x`.
pub fn unwrap_some(expr: &Expr) -> &Expr {
    if let Expr::Call(call) = peel(expr) {
        if path_segments(&call.func).is_some_and(|p| p.last().is_some_and(|l| l == "Some"))
            && call.args.len() == 1
        {
            return &call.args[0];
        }
    }
    expr
}

/// `None` (the field explicitly unset).
pub fn is_none(expr: &Expr) -> bool {
    path_segments(peel(expr)).is_some_and(|p| p == ["None"])
}

/// The links of a method chain from the outermost call inwards, and the expression at its
/// root, looking through `.await`, `?` and parentheses.
pub(super) fn flatten_chain(expr: &Expr) -> (Vec<&ExprMethodCall>, &Expr) {
    let mut links = Vec::new();
    let mut current = expr;
    loop {
        match current {
            Expr::MethodCall(m) => {
                links.push(m);
                current = &m.receiver;
            }
            Expr::Await(a) => current = &a.base,
            Expr::Try(t) => current = &t.expr,
            Expr::Paren(p) => current = &p.expr,
            _ => return (links, current),
        }
    }
}

/// A string literal with this value, also as `"..".to_string()`, `.into()`,
/// `String::from("..")`.
pub(super) fn is_str_lit(expr: &Expr, value: &str) -> bool {
    match peel(expr) {
        Expr::Lit(syn::ExprLit {
            lit: Lit::Str(s), ..
        }) => s.value() == value,
        Expr::MethodCall(m)
            if m.args.is_empty()
                && matches!(m.method.to_string().as_str(), "to_string" | "into") =>
        {
            is_str_lit(&m.receiver, value)
        }
        Expr::Call(call) if call.args.len() == 1 => {
            path_segments(&call.func)
                .is_some_and(|p| p.ends_with(&["String".into(), "from".into()]))
                && is_str_lit(&call.args[0], value)
        }
        _ => false,
    }
}

/// `Default::default()`, `T::default()`, `T::new()` with no arguments.
pub(super) fn is_default_call(call: &syn::ExprCall) -> bool {
    call.args.is_empty()
        && path_segments(&call.func)
            .is_some_and(|p| p.last().is_some_and(|l| l == "default" || l == "new"))
}

pub(super) fn is_compound_assign(op: &syn::BinOp) -> bool {
    matches!(
        op,
        syn::BinOp::AddAssign(_)
            | syn::BinOp::SubAssign(_)
            | syn::BinOp::MulAssign(_)
            | syn::BinOp::DivAssign(_)
    )
}

/// The one name a `let` binds (`api`, `mut api`, `api: Router`), if it binds one.
pub(super) fn pat_ident(pat: &Pat) -> Option<String> {
    match pat {
        Pat::Ident(p) if p.subpat.is_none() => Some(p.ident.to_string()),
        Pat::Type(t) => pat_ident(&t.pat),
        _ => None,
    }
}

pub(super) fn collect_pat_idents(pat: &Pat, out: &mut Vec<String>) {
    struct Idents<'o>(&'o mut Vec<String>);
    impl<'ast> Visit<'ast> for Idents<'_> {
        fn visit_pat_ident(&mut self, p: &'ast syn::PatIdent) {
            self.0.push(p.ident.to_string());
        }
    }
    Idents(out).visit_pat(pat);
}

/// The path of a type, looking through references (`&CreateCheckoutSession<'a>`).
pub(super) fn type_path(ty: &syn::Type) -> Option<Vec<String>> {
    match ty {
        syn::Type::Reference(r) => type_path(&r.elem),
        syn::Type::Path(p) if p.qself.is_none() => Some(segments_of(&p.path)),
        _ => None,
    }
}
