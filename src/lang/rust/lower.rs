//! Lowering Rust expressions into language-neutral `Term`s, and the local state a function
//! body builds up on the way: plain values, Checkout parameters being built (0.x structs and
//! 1.x builders), and form parameter collections for raw HTTP.
//!
//! Locals are inlined where they are read, so `let ts = Utc::now().timestamp() + TTL;` then
//! `.expires_at(ts)` lowers to the expression itself. Branches merge into `OneOf`.

use std::collections::HashMap;

use syn::{BinOp, Expr, Lit, UnOp};

use super::extract::Walker;
use super::resolve::Resolved;
use crate::facts::{BinaryOp, ExpiresAtSource, SymbolRef, Term};

/// The `expires_at` of parameters under construction, per path through the function:
/// `None` is a path on which it was never set.
#[derive(Clone, Debug, PartialEq)]
pub struct Presence(pub Vec<Option<(Term, String)>>);

impl Presence {
    pub fn unset() -> Self {
        Presence(vec![None])
    }

    pub fn set(term: Term, text: String) -> Self {
        Presence(vec![Some((term, text))])
    }

    pub fn merge(mut self, other: &Presence) -> Presence {
        for alt in &other.0 {
            if !self.0.contains(alt) {
                self.0.push(alt.clone());
            }
        }
        self
    }
}

/// What a local variable holds, as far as the analysis cares.
#[derive(Clone, Debug, PartialEq)]
pub enum Local {
    Value(Term, String),
    /// A `CreateCheckoutSession` (0.x struct or 1.x builder).
    Session(Presence),
    /// Form parameters for a raw POST (tuple array, `Vec`, `HashMap`).
    Form(Presence),
    /// A parameter of the enclosing function, with its type path when it has one.
    Param {
        ty: Option<Resolved>,
    },
    /// A raw POST to the create endpoint, built but maybe not sent yet.
    Http(Box<super::sites::HttpRequest>),
}

/// Block-scoped locals; the innermost scope is last.
#[derive(Clone, Debug, Default)]
pub struct Env(Vec<HashMap<String, Local>>);

impl Env {
    pub fn push(&mut self) {
        self.0.push(HashMap::new());
    }

    pub fn pop(&mut self) -> Option<HashMap<String, Local>> {
        self.0.pop()
    }

    pub fn get(&self, name: &str) -> Option<&Local> {
        self.0.iter().rev().find_map(|scope| scope.get(name))
    }

    pub fn declare(&mut self, name: String, local: Local) {
        if self.0.is_empty() {
            self.push();
        }
        if let Some(scope) = self.0.last_mut() {
            scope.insert(name, local);
        }
    }

    /// Assigns to an existing local (the innermost one of that name).
    pub fn assign(&mut self, name: &str, local: Local) {
        if let Some(scope) = self.0.iter_mut().rev().find(|s| s.contains_key(name)) {
            scope.insert(name.to_string(), local);
        }
    }

    /// Names of the locals that `other` (a later state of this env) holds differently,
    /// at the scope levels both share.
    pub fn changed(&self, other: &Env) -> Vec<String> {
        let mut names = Vec::new();
        for (mine, theirs) in self.0.iter().zip(&other.0) {
            for (name, local) in mine {
                if theirs.get(name).is_some_and(|l| l != local) {
                    names.push(name.clone());
                }
            }
        }
        names.sort();
        names
    }

    /// The state after two alternative paths (`if`/`else`, match arms, a loop run or not).
    pub fn merge(mut self, other: &Env) -> Env {
        for (mine, theirs) in self.0.iter_mut().zip(&other.0) {
            for (name, local) in mine.iter_mut() {
                if let Some(other_local) = theirs.get(name) {
                    if other_local != local {
                        *local = merge_locals(local.clone(), other_local);
                    }
                }
            }
        }
        self
    }
}

/// Terms larger than this become opaque: real `expires_at` expressions are a few dozen
/// nodes, and unbounded growth (a local reassigned in thousands of branches) would cost
/// time and memory without ever being sanctioned.
const MAX_TERM_NODES: usize = 256;

/// `term`, or an opaque stand-in when it is too large to follow.
pub fn capped(term: Term) -> Term {
    if term.size_within(MAX_TERM_NODES) {
        term
    } else {
        Term::Opaque("an expression too large to follow".into())
    }
}

fn merge_locals(a: Local, b: &Local) -> Local {
    match (a, b) {
        (Local::Session(p), Local::Session(q)) => Local::Session(p.merge(q)),
        (Local::Form(p), Local::Form(q)) => Local::Form(p.merge(q)),
        // A request sent on one path only is reported where it is sent; one whose body
        // differs between paths cannot be read.
        (Local::Http(mut a), Local::Http(b)) => {
            a.sent = a.sent || b.sent;
            if a.source != b.source {
                a.source = ExpiresAtSource::Unresolved(
                    "the request's body differs between the paths to where it is sent".into(),
                );
            }
            Local::Http(a)
        }
        (Local::Value(t, text), Local::Value(u, _)) => {
            let mut terms = match t {
                Term::OneOf(ts) => ts,
                t => vec![t],
            };
            if !terms.contains(u) {
                terms.push(u.clone());
            }
            Local::Value(capped(Term::OneOf(terms)), text)
        }
        (a, b) if std::mem::discriminant(&a) == std::mem::discriminant(b) => a,
        // A request on one path only still has to be reported where it is sent.
        (Local::Http(mut request), _) => {
            request.source = partial_request();
            Local::Http(request)
        }
        (_, Local::Http(request)) => {
            let mut request = request.clone();
            request.source = partial_request();
            Local::Http(request)
        }
        // Parameters on one path, something else on another: nothing can be traced.
        (Local::Session(_), _) | (_, Local::Session(_)) => Local::Session(Presence::set(
            Term::Opaque("the parameters are built differently on different paths".into()),
            String::new(),
        )),
        _ => Local::Value(
            Term::Opaque("the value differs in kind between paths".into()),
            String::new(),
        ),
    }
}

fn partial_request() -> ExpiresAtSource {
    ExpiresAtSource::Unresolved("the request is built on some paths only".into())
}

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

    /// The start of an expression's text, for messages: at most 60 characters, so that
    /// describing a huge expression costs nothing.
    pub fn short_text_of(&self, expr: &Expr) -> String {
        let range = syn::spanned::Spanned::span(expr).byte_range();
        let raw = self.text.get(range).unwrap_or("");
        let mut short: String = raw.chars().take(60).collect();
        if short.len() < raw.len() {
            short.push('…');
        }
        short.split_whitespace().collect::<Vec<_>>().join(" ")
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
                "an expression checkout-lint cannot evaluate (`{}`)",
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
            if let Some(args) = super::extract::macro_args(mac) {
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

    #[test]
    fn presence_merges_paths() {
        let a = Presence::set(Term::Int(1), "1".into());
        let merged = a.merge(&Presence::unset());
        assert_eq!(merged.0.len(), 2);
        assert!(merged.0.contains(&None));
    }
}
