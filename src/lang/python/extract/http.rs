//! Raw HTTP: a POST through an HTTP client module (or a client or session made from one)
//! to a URL that ends in the create endpoint, and the statically known end of a URL
//! expression (literals, f-strings, `+`, module constants, imported endpoint constants).
//!
//! The endpoint's path comes from `shapes`; HTTP stubbing libraries are told apart by the
//! receiver's module.

use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::Ranged;

use super::{last_segment, string_value, Extractor};
use crate::lang::python::resolve::{Lookup, Resolver};
use crate::lang::python::scope::Def;
use crate::shapes::shapes;

impl<'a, 'c> Extractor<'a, 'c> {
    pub(super) fn raw_http(
        &self,
        call: &ast::ExprCall,
        qualname: Option<&str>,
        chain: &[&str],
    ) -> Option<String> {
        let url = self.post_url(call, qualname, chain)?;
        let suffix = url_suffix(url, &self.resolver())?;
        if !is_endpoint(&suffix) {
            return None;
        }
        Some(self.http_api(call, qualname))
    }

    /// The URL a call POSTs to (`post(url)`, `request("post", url)`, also `url=`), unless
    /// its receiver is an HTTP stub (`respx.post(url)`).
    pub(super) fn post_url<'e>(
        &self,
        call: &'e ast::ExprCall,
        qualname: Option<&str>,
        chain: &[&str],
    ) -> Option<&'e Expr> {
        // The qualified name sees through an alias of the method (`send = requests.post`);
        // one taken from a call's result has none (`send = requests.Session().post`).
        let method = self
            .method_alias(&call.func, call.start().to_usize())
            .or_else(|| last_segment(qualname, chain))?;
        let args = &call.arguments.args;
        let url_arg = |index: usize| {
            args.get(index).or_else(|| {
                call.arguments
                    .keywords
                    .iter()
                    .find(|k| k.arg.as_ref().is_some_and(|a| a.id.as_str() == "url"))
                    .map(|k| &k.value)
            })
        };
        let url = match method {
            "post" => url_arg(0)?,
            "request" => {
                let verb = string_value(args.first()?)?;
                if !verb.eq_ignore_ascii_case("post") {
                    return None;
                }
                url_arg(1)?
            }
            _ => return None,
        };
        // The receiver decides between a real request and an HTTP stub (`respx.post(url)`).
        let root = self.receiver_root(&call.func, call.start().to_usize());
        if let Some(root) = &root {
            let first = root.split('.').next().unwrap_or(root);
            if self.shapes.mock_modules.iter().any(|m| m == first) {
                return None;
            }
        }
        Some(url)
    }

    /// The API a raw POST to the endpoint is reported under: `POST requests /v1/...`, named
    /// after the HTTP module the receiver comes from.
    pub(super) fn http_api(&self, call: &ast::ExprCall, qualname: Option<&str>) -> String {
        let root = self.receiver_root(&call.func, call.start().to_usize());
        let module = root
            .as_deref()
            .and_then(|r| r.split('.').next())
            .filter(|m| self.shapes.http_modules.iter().any(|h| h == m))
            .or_else(|| qualname.and_then(|q| q.split('.').next()))
            .unwrap_or("http");
        format!("POST {module} {}", shapes().endpoint.path)
    }

    /// The method a name is bound to on a receiver that has no qualified name, a call's
    /// result (`send = requests.Session().post`, also through further names).
    fn method_alias(&self, func: &Expr, at: usize) -> Option<&'a str> {
        let resolver = self.resolver();
        let (mut name, mut at) = match func {
            Expr::Name(name) => (name.id.as_str(), at),
            _ => return None,
        };
        for _ in 0..8 {
            let Lookup::Defs(defs, _, _) = resolver.lookup(name, at) else {
                return None;
            };
            match defs.last()? {
                Def::Assign { value, offset } => match value {
                    Expr::Attribute(a) if matches!(a.value.as_ref(), Expr::Call(_)) => {
                        return Some(a.attr.id.as_str());
                    }
                    Expr::Name(next) => (name, at) = (next.id.as_str(), *offset),
                    _ => return None,
                },
                _ => return None,
            }
        }
        None
    }

    /// `requests.post` for `requests.Session().post`: a method taken from a call's result,
    /// named after the module the receiver comes from, as a re-export names it.
    pub(super) fn method_of_a_call_result(&self, value: &Expr, at: usize) -> Option<String> {
        let Expr::Attribute(a) = value else {
            return None;
        };
        if !matches!(a.value.as_ref(), Expr::Call(_)) {
            return None;
        }
        let root = self.receiver_root(value, at)?;
        Some(format!("{}.{}", root.split('.').next()?, a.attr.id))
    }

    /// The imported module a receiver ultimately comes from (`client` bound by
    /// `with httpx.Client() as client` gives `httpx`), if any.
    fn receiver_root(&self, func: &Expr, at: usize) -> Option<String> {
        let resolver = self.resolver();
        let mut expr = match func {
            Expr::Attribute(a) => a.value.as_ref(),
            other => other,
        };
        for _ in 0..16 {
            match expr {
                Expr::Call(c) => expr = &c.func,
                Expr::Attribute(a) => expr = &a.value,
                Expr::Await(a) => expr = &a.value,
                Expr::Name(n) => {
                    return match resolver.lookup(n.id.as_str(), at) {
                        Lookup::Defs(defs, _, _) => match defs.last()? {
                            Def::Import { qualname, .. } => Some(resolver.absolute(qualname)),
                            Def::Assign { value, .. } => {
                                expr = value;
                                continue;
                            }
                            _ => None,
                        },
                        Lookup::Param(..) => Some(n.id.to_string()),
                        Lookup::Unbound => Some(n.id.to_string()),
                    };
                }
                _ => return None,
            }
        }
        None
    }
}

/// Whether a URL (or its known end) is the create endpoint.
pub(super) fn is_endpoint(url: &str) -> bool {
    url.trim_end_matches('/').ends_with(&shapes().endpoint.path)
}

/// The statically known end of a URL expression: a literal, the literal tail of an
/// f-string, `BASE + "/v1/..."`, or a module-level string constant.
pub(super) fn url_suffix(expr: &Expr, resolver: &Resolver) -> Option<String> {
    url_suffix_depth(expr, resolver, 0)
}

fn url_suffix_depth(expr: &Expr, resolver: &Resolver, depth: usize) -> Option<String> {
    if depth > 16 {
        return None;
    }
    let url_suffix = |e: &Expr, r: &Resolver| url_suffix_depth(e, r, depth + 1);
    let suffix = match expr {
        // Every module-level string constant is asked whether it is the endpoint's URL: a
        // long text (a docstring-like template, a data blob) is none, and is not copied.
        Expr::StringLiteral(s) if s.value.len() > MAX_URL_LENGTH => None,
        Expr::StringLiteral(s) => Some(s.value.to_str().to_string()),
        Expr::FString(f) => {
            let mut tail = String::new();
            for part in f.value.iter() {
                match part {
                    ast::FStringPart::Literal(l) => tail.push_str(&l.value),
                    ast::FStringPart::FString(fs) => {
                        for element in &fs.elements {
                            match element {
                                ast::InterpolatedStringElement::Literal(l) => {
                                    tail.push_str(&l.value)
                                }
                                // `f"{SESSIONS_URL}"`, `f"{BASE}{REST}"`: a placeholder's
                                // known end, when it is shown as it is; else nothing before
                                // it is known.
                                ast::InterpolatedStringElement::Interpolation(i) => {
                                    let shown = i.conversion == ast::ConversionFlag::None
                                        && i.debug_text.is_none()
                                        && i.format_spec.is_none();
                                    match shown.then(|| url_suffix(&i.expression, resolver)) {
                                        Some(Some(known)) => tail.push_str(&known),
                                        _ => tail.clear(),
                                    }
                                }
                            }
                        }
                    }
                }
            }
            Some(tail)
        }
        Expr::BinOp(b) if matches!(b.op, ast::Operator::Add) => {
            let right = url_suffix(&b.right, resolver)?;
            Some(match url_suffix(&b.left, resolver) {
                Some(left) => left + &right,
                None => right,
            })
        }
        Expr::Name(name) => match resolver.lookup(name.id.as_str(), expr.start().to_usize()) {
            Lookup::Defs(defs, _, _) => match defs.last()? {
                Def::Assign { value, .. } => url_suffix(value, resolver),
                Def::Import { qualname, .. } => {
                    endpoint_constant(resolver.through_reexports(resolver.absolute(qualname)))
                }
                _ => None,
            },
            // A name a star import brings in (`from endpoints import *`).
            Lookup::Unbound => endpoint_constant(resolver.qualname(expr, expr.start().to_usize())?),
            _ => None,
        },
        Expr::Attribute(_) => endpoint_constant(resolver.qualname(expr, expr.start().to_usize())?),
        _ => None,
    };
    suffix.filter(|suffix| suffix.len() <= MAX_URL_LENGTH)
}

/// The name a URL starts with (`SESSIONS_URL` of `SESSIONS_URL`, `f"{SESSIONS_URL}?x=1"`,
/// `SESSIONS_URL + query`), if any.
pub(super) fn url_head(mut url: &Expr) -> Option<&Expr> {
    // A loop, not recursion: `a + b + ..` may nest as deep as the parser allows.
    loop {
        url = match url {
            Expr::Name(_) | Expr::Attribute(_) => return Some(url),
            Expr::BinOp(b) if matches!(b.op, ast::Operator::Add) => &b.left,
            Expr::FString(f) => match f.value.iter().next()? {
                ast::FStringPart::FString(fs) => match fs.elements.iter().next()? {
                    ast::InterpolatedStringElement::Interpolation(i) => &i.expression,
                    ast::InterpolatedStringElement::Literal(_) => return None,
                },
                ast::FStringPart::Literal(_) => return None,
            },
            _ => return None,
        };
    }
}

/// Longer than any URL a request is made to.
const MAX_URL_LENGTH: usize = 2048;

/// A project module's endpoint constant, as its re-export stands for it: the endpoint's path.
fn endpoint_constant(target: String) -> Option<String> {
    shapes()
        .endpoint
        .is_constant_target(&target)
        .then_some(target)
}
