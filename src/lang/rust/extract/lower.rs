//! Lowering Rust expressions into language-neutral `Term`s: literals, arithmetic, calls,
//! `format!` strings, and paths (a local's value inlined, a project item as a symbol, another
//! crate's name as written).
//!
//! Locals are inlined where they are read, so `let ts = Utc::now().timestamp() + TTL;` then
//! `.expires_at(ts)` lowers to the expression itself. Knows Rust syntax; what a term means
//! (a timestamp, a TTL) is `crate::analysis`'s.

use syn::{BinOp, Expr, Lit, UnOp};

use super::Walker;
use crate::facts::{BinaryOp, SymbolRef, Term};
use crate::lang::rust::env::{capped, Local};
use crate::lang::rust::resolve::Resolved;
use crate::lang::rust::syntax::path_segments;
use crate::lang::TOOL_NAME;

fn int_literal(text: &str) -> Option<i128> {
    let digits: String = text.chars().filter(|c| *c != '_').collect();
    let (radix, body) = match digits.get(..2) {
        Some("0x") => (16, &digits[2..]),
        Some("0o") => (8, &digits[2..]),
        Some("0b") => (2, &digits[2..]),
        _ => (10, digits.as_str()),
    };
    i128::from_str_radix(body, radix).ok()
}

impl Walker<'_> {
    /// The source text of an expression, whitespace-normalised.
    pub fn text_of(&self, expr: &Expr) -> String {
        let range = syn::spanned::Spanned::span(expr).byte_range();
        let raw = self.text.get(range).unwrap_or("");
        raw.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// An excerpt of an expression's text, for messages (`lang::excerpt`: its first line,
    /// at most 60 characters), so that describing a huge expression costs nothing.
    pub fn short_text_of(&self, expr: &Expr) -> String {
        let range = syn::spanned::Spanned::span(expr).byte_range();
        let code = self.text.get(range).unwrap_or("");
        crate::lang::excerpt::excerpt(code, &crate::lang::excerpt::RUST)
    }

    /// A term plus its source text.
    pub fn lower_with_text(&self, expr: &Expr) -> (Term, String) {
        (self.lower(expr), self.text_of(expr))
    }

    pub fn lower(&self, expr: &Expr) -> Term {
        self.lower_depth(expr, 0)
    }

    fn lower_depth(&self, expr: &Expr, depth: usize) -> Term {
        if depth > 64 {
            return Term::Opaque("an expression nested too deeply".into());
        }
        let lower = |e: &Expr| self.lower_depth(e, depth + 1);
        match expr {
            Expr::Paren(p) => lower(&p.expr),
            Expr::Group(g) => lower(&g.expr),
            Expr::Reference(r) => lower(&r.expr),
            Expr::Try(t) => lower(&t.expr),
            Expr::Await(a) => lower(&a.base),
            Expr::Lit(lit) => match &lit.lit {
                Lit::Int(i) => int_literal(i.base10_digits())
                    .map(Term::Int)
                    .unwrap_or(Term::Opaque("an integer literal out of range".into())),
                Lit::Float(_) => Term::Float,
                Lit::Str(s) => Term::Str(s.value()),
                _ => Term::Opaque("a literal that is not a number".into()),
            },
            Expr::Path(_) => self.lower_path(expr),
            Expr::Cast(c) => match &*c.ty {
                syn::Type::Path(t)
                    if t.path
                        .segments
                        .last()
                        .is_some_and(|s| matches!(s.ident.to_string().as_str(), "f32" | "f64")) =>
                {
                    Term::Opaque("a cast to a float type".into())
                }
                // An integer cast truncates a float (`as_secs_f64() as i64`), like `int()`.
                _ => Term::Call {
                    callee: Box::new(Term::External("int".into())),
                    args: vec![lower(&c.expr)],
                    kwargs: Vec::new(),
                },
            },
            Expr::Unary(u) => match u.op {
                UnOp::Neg(_) => Term::Neg(Box::new(lower(&u.expr))),
                UnOp::Deref(_) => lower(&u.expr),
                _ => Term::Opaque("a logical negation".into()),
            },
            Expr::Binary(b) => {
                let op = match b.op {
                    BinOp::Add(_) => BinaryOp::Add,
                    BinOp::Sub(_) => BinaryOp::Sub,
                    BinOp::Mul(_) => BinaryOp::Mul,
                    BinOp::Div(_) => BinaryOp::FloorDiv,
                    _ => BinaryOp::Other,
                };
                Term::Binary {
                    op,
                    left: Box::new(lower(&b.left)),
                    right: Box::new(lower(&b.right)),
                }
            }
            Expr::Call(call) => {
                let segments = path_segments(&call.func);
                if let Some(seg) = &segments {
                    if matches!(seg.as_slice(), [s] if s == "Some" || s == "Ok")
                        && call.args.len() == 1
                    {
                        return lower(&call.args[0]);
                    }
                }
                Term::Call {
                    callee: Box::new(lower(&call.func)),
                    args: call.args.iter().map(lower).collect(),
                    kwargs: Vec::new(),
                }
            }
            Expr::MethodCall(m) => {
                let method = m.method.to_string();
                // chrono's `.timestamp()` is whole seconds (i64), unlike Python's float
                // `datetime.timestamp()`; the shared clock table knows it as `unix_timestamp`.
                let method = match method.as_str() {
                    "timestamp" => "unix_timestamp".to_string(),
                    "clone" | "to_owned" | "as_str" | "as_ref" | "borrow" | "as_deref" => {
                        return lower(&m.receiver)
                    }
                    _ => method,
                };
                Term::Method {
                    receiver: Box::new(lower(&m.receiver)),
                    method,
                    args: m.args.iter().map(lower).collect(),
                    kwargs: Vec::new(),
                }
            }
            Expr::Field(f) => match &f.member {
                syn::Member::Named(name) => Term::Attr {
                    receiver: Box::new(lower(&f.base)),
                    attr: name.to_string(),
                },
                syn::Member::Unnamed(_) => Term::Opaque("a tuple field".into()),
            },
            Expr::Block(b) if b.block.stmts.len() == 1 => match &b.block.stmts[0] {
                syn::Stmt::Expr(e, None) => lower(e),
                _ => Term::Opaque("a block".into()),
            },
            Expr::If(i) => match &i.else_branch {
                Some((_, else_expr)) => {
                    let then = match i.then_branch.stmts.last() {
                        Some(syn::Stmt::Expr(e, None)) if i.then_branch.stmts.len() == 1 => {
                            lower(e)
                        }
                        _ => Term::Opaque("a block".into()),
                    };
                    Term::OneOf(vec![then, lower(else_expr)])
                }
                None => Term::Opaque("an `if` without `else`".into()),
            },
            Expr::Macro(m) => self.lower_macro(&m.mac, depth),
            _ => Term::Opaque(format!(
                "an expression {TOOL_NAME} cannot evaluate (`{}`)",
                self.short_text_of(expr)
            )),
        }
    }

    /// `Self::x` inside an impl is `Owner::x`.
    pub fn self_to_owner(&self, mut segments: Vec<String>) -> Vec<String> {
        if let (Some(first), Some(owner)) = (segments.first_mut(), &self.owner) {
            if first == "Self" {
                *first = owner.clone();
            }
        }
        segments
    }

    /// A path: a local, a project item (a symbol), or an external name.
    fn lower_path(&self, expr: &Expr) -> Term {
        let Some(segments) = path_segments(expr) else {
            return Term::Opaque("a qualified path".into());
        };
        let segments = self.self_to_owner(segments);
        if let [name] = segments.as_slice() {
            match self.env.get(name) {
                Some(Local::Value(term, _)) => return capped(term.clone()),
                Some(Local::Param { .. }) => return Term::Param(name.clone()),
                Some(_) => return Term::Opaque(format!("`{name}` is not a number")),
                None => {}
            }
        }
        match self.resolver.resolve(&segments) {
            Resolved::Project(path) => symbol_term(&path),
            // `use crate::config::*;`: the index finds which glob defines it.
            Resolved::Unknown(path) if path.len() == 1 => {
                let modules = self.resolver.project_globs();
                if modules.is_empty() {
                    return Term::External(path.join("::"));
                }
                Term::StarImported {
                    name: path[0].clone(),
                    modules,
                    language: crate::facts::Language::Rust,
                }
            }
            Resolved::External(path) | Resolved::Unknown(path) => Term::External(path.join("::")),
        }
    }

    /// `format!("{}", x)` / `format!("{x}")` is `x` as a string; `x.to_string()` likewise.
    fn lower_macro(&self, mac: &syn::Macro, depth: usize) -> Term {
        let name = mac
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default();
        if name == "format" {
            if let Some(args) = super::macros::macro_args(mac) {
                if let Some(Expr::Lit(syn::ExprLit {
                    lit: Lit::Str(fmt), ..
                })) = args.first()
                {
                    let fmt = fmt.value();
                    if fmt == "{}" && args.len() == 2 {
                        return self.lower_depth(&args[1], depth + 1);
                    }
                    if let Some(inner) = fmt.strip_prefix('{').and_then(|f| f.strip_suffix('}')) {
                        if !inner.is_empty()
                            && inner.chars().all(|c| c.is_alphanumeric() || c == '_')
                        {
                            if let Ok(e) = syn::parse_str::<Expr>(inner) {
                                return self.lower_depth(&e, depth + 1);
                            }
                        }
                    }
                    // Otherwise keep the literal tail, enough to recognise a URL:
                    // `format!("{}/v1/checkout/sessions", base)`.
                    if !fmt.contains('{') {
                        return Term::Str(fmt);
                    }
                    let tail = fmt.rsplit('}').next().unwrap_or("");
                    if !tail.is_empty() {
                        return Term::Binary {
                            op: BinaryOp::Add,
                            left: Box::new(Term::Opaque("formatted text".into())),
                            right: Box::new(Term::Str(tail.to_string())),
                        };
                    }
                }
            }
        }
        Term::Opaque(format!("the macro `{name}!`"))
    }
}

/// A project path as a symbol: the last segment is the name, the rest the module. A method
/// of a type (`app::billing::Clock::now`) is looked up as `Clock::now` in `app::billing` by
/// the project index when the first split finds no module.
pub fn symbol_term(path: &[String]) -> Term {
    match path.split_last() {
        Some((name, module)) if !module.is_empty() => Term::Symbol(SymbolRef {
            language: crate::facts::Language::Rust,
            module: module.join("::"),
            name: name.clone(),
        }),
        _ => Term::Opaque("a crate root".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_literals() {
        assert_eq!(int_literal("86_400"), Some(86400));
        assert_eq!(int_literal("0x10"), Some(16));
        assert_eq!(
            int_literal("99999999999999999999999999999999999999999"),
            None
        );
    }
}
