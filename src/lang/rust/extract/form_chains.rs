//! Forms made from other pairs: `pairs.iter().map(|(k, v)| (k, v.to_string())).collect()`,
//! `a.into_iter().chain(b)`, `iter::once(("k", v))`, and what each says about the expiry
//! parameter when every key can still be read (`None` as soon as one cannot: CL007).
//!
//! Knows Rust syntax and iterator adapters; which key matters comes from the walker.

use syn::{Expr, ExprMethodCall, Pat};

use super::macros::{macro_args, macro_name};
use super::serde_forms::sequence;
use super::Walker;
use crate::facts::Term;
use crate::lang::rust::env::Presence;
use crate::lang::rust::syntax::{ident, path_segments, peel};

impl Walker<'_> {
    /// An iterator or collection adapter over form pairs.
    pub(super) fn form_chain(&self, m: &ExprMethodCall) -> Option<Presence> {
        let method = m.method.to_string();
        match (method.as_str(), m.args.len()) {
            // Adapters that keep every pair as it is.
            (
                "iter" | "into_iter" | "cloned" | "copied" | "collect" | "to_vec" | "into"
                | "by_ref",
                0,
            ) => self.form_collection(&m.receiver),
            ("chain", 1) => {
                let first = self.form_collection(&m.receiver)?;
                let second = self.form_collection(&m.args[0])?;
                Some(sequence(&first, &second))
            }
            ("map", 1) => {
                let pairs = self.form_collection(&m.receiver)?;
                self.mapped_pairs(pairs, &m.args[0])
            }
            _ => None,
        }
    }

    /// `iter::once(("k", v))`: one pair.
    pub(super) fn form_iterator_call(&self, call: &syn::ExprCall) -> Option<Presence> {
        let segments = path_segments(&call.func)?;
        let once = segments.last().is_some_and(|l| l == "once")
            && segments.len() >= 2
            && segments[segments.len() - 2] == "iter";
        if once && call.args.len() == 1 {
            return self.form_entries(call.args.iter());
        }
        None
    }

    /// `.map(|(k, v)| (k, f(v)))`: the keys are kept when the closure hands each key on as
    /// it is (`k`, `k.to_string()`, `k.into()`); the value is kept when it is converted the
    /// same way, and unknown otherwise.
    fn mapped_pairs(&self, pairs: Presence, closure: &Expr) -> Option<Presence> {
        let Expr::Closure(c) = peel(closure) else {
            return None;
        };
        let [input] = c.inputs.iter().collect::<Vec<_>>()[..] else {
            return None;
        };
        let (key, value) = pair_names(input)?;
        let body = match peel(&c.body) {
            Expr::Block(b) if b.block.stmts.len() == 1 => match &b.block.stmts[0] {
                syn::Stmt::Expr(e, None) => peel(e),
                _ => return None,
            },
            other => other,
        };
        let Expr::Tuple(out) = body else {
            return None;
        };
        if out.elems.len() != 2 || passed_on(&out.elems[0]).as_deref() != Some(key.as_str()) {
            return None;
        }
        if passed_on(&out.elems[1]).as_deref() == Some(value.as_str()) {
            return Some(pairs);
        }
        let changed = Term::Opaque(format!(
            "the value is changed by the `.map(..)` closure (`{}`)",
            self.short_text_of(&out.elems[1])
        ));
        let text = self.text_of(&out.elems[1]);
        Some(Presence(
            pairs
                .0
                .into_iter()
                .map(|alt| alt.map(|_| (changed.clone(), text.clone())))
                .collect(),
        ))
    }
}

/// `(k, v)` or `&(k, v)` (also `(&k, &v)`): the names of a pair pattern.
fn pair_names(pat: &Pat) -> Option<(String, String)> {
    let name = |p: &Pat| match p {
        Pat::Ident(i) if i.subpat.is_none() => Some(i.ident.to_string()),
        Pat::Reference(r) => match &*r.pat {
            Pat::Ident(i) if i.subpat.is_none() => Some(i.ident.to_string()),
            _ => None,
        },
        _ => None,
    };
    match pat {
        Pat::Reference(r) => pair_names(&r.pat),
        Pat::Paren(p) => pair_names(&p.pat),
        Pat::Tuple(t) if t.elems.len() == 2 => Some((name(&t.elems[0])?, name(&t.elems[1])?)),
        _ => None,
    }
}

/// The local an expression hands on unchanged but for its type: `x`, `*x`, `x.to_string()`,
/// `x.into()`, `String::from(x)`, `format!("{}", x)` / `format!("{x}")`.
fn passed_on(expr: &Expr) -> Option<String> {
    match peel(expr) {
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => passed_on(&u.expr),
        Expr::MethodCall(m)
            if m.args.is_empty()
                && matches!(m.method.to_string().as_str(), "to_string" | "into") =>
        {
            passed_on(&m.receiver)
        }
        Expr::Call(c) if c.args.len() == 1 => {
            let from = path_segments(&c.func).is_some_and(|p| p == ["String", "from"]);
            from.then(|| passed_on(&c.args[0])).flatten()
        }
        Expr::Macro(m) if macro_name(&m.mac) == "format" => {
            let args = macro_args(&m.mac)?;
            let Some(Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(fmt),
                ..
            })) = args.first()
            else {
                return None;
            };
            match (fmt.value().as_str(), args.len()) {
                ("{}", 2) => passed_on(&args[1]),
                (f, 1) => f
                    .strip_prefix('{')
                    .and_then(|f| f.strip_suffix('}'))
                    .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_alphanumeric() || c == '_'))
                    .map(str::to_string),
                _ => None,
            }
        }
        other => ident(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expr(src: &str) -> Expr {
        syn::parse_str(src).unwrap()
    }

    #[test]
    fn values_handed_on() {
        for src in [
            "v",
            "*v",
            "v.to_string()",
            "v.into()",
            "String::from(v)",
            "format!(\"{}\", v)",
            "format!(\"{v}\")",
            "&v",
        ] {
            assert_eq!(passed_on(&expr(src)).as_deref(), Some("v"), "{src}");
        }
        assert_eq!(passed_on(&expr("format!(\"x{v}\")")), None);
        assert_eq!(passed_on(&expr("v + 1")), None);
    }

    #[test]
    fn pair_patterns() {
        let pat = |src: &str| {
            let closure: syn::ExprClosure = syn::parse_str(&format!("|{src}| ()")).unwrap();
            closure.inputs[0].clone()
        };
        assert_eq!(pair_names(&pat("(k, v)")), Some(("k".into(), "v".into())));
        assert_eq!(pair_names(&pat("&(k, v)")), Some(("k".into(), "v".into())));
        assert_eq!(pair_names(&pat("(&k, &v)")), Some(("k".into(), "v".into())));
        assert_eq!(pair_names(&pat("pair")), None);
    }
}
