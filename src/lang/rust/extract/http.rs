//! Raw HTTP: which URLs name the create endpoint, and where a POST's `expires_at` is: a
//! `.form(..)` collection, a hand-built form body, or a `json!` body.

use syn::{Expr, ExprMethodCall, Lit};

use super::macros::{format_args, macro_args, macro_name};
use super::sites::presence_source;
use super::Walker;
use crate::facts::{BinaryOp, ExpiresAtSource, FormStructGap, Term, Unseen};
use crate::lang::rust::endpoint_after_version;
use crate::lang::rust::env::{Local, Presence};
use crate::lang::rust::syntax::{ident, is_str_lit, path_segments, peel};
use crate::shapes::shapes;

impl Walker<'_> {
    // ---- raw HTTP bodies ----------------------------------------------------------

    /// A URL ending in the endpoint's path (`/v1/checkout/sessions`), or a base URL plus the
    /// path after its version (`"/checkout/sessions"`) in a file that names Stripe's API host
    /// (an app's own `/api/checkout/sessions` endpoint is not Stripe's).
    pub(super) fn is_endpoint(&self, url: &Expr) -> bool {
        let Some(tail) = self.string_suffix(url, 0) else {
            return false;
        };
        let tail = tail.trim_end_matches('/');
        let path = shapes().endpoint.path.as_str();
        // `base + "/checkout/sessions"`: the known tail is exactly the path.
        tail.ends_with(path)
            || (endpoint_after_version(path) == Some(tail)
                && self.text.contains(self.shapes.api_host.as_str()))
    }

    /// The known tail of a string expression (enough to tell which endpoint a URL names).
    pub(super) fn string_suffix(&self, expr: &Expr, depth: usize) -> Option<String> {
        if depth > 8 {
            return None;
        }
        match peel(expr) {
            Expr::Lit(syn::ExprLit {
                lit: Lit::Str(s), ..
            }) => Some(s.value()),
            Expr::Binary(b) if matches!(b.op, syn::BinOp::Add(_)) => {
                self.string_suffix(&b.right, depth + 1)
            }
            Expr::MethodCall(m) if m.method == "join" && m.args.len() == 1 => {
                self.string_suffix(&m.args[0], depth + 1)
            }
            Expr::MethodCall(m) if m.method == "to_string" || m.method == "into" => {
                self.string_suffix(&m.receiver, depth + 1)
            }
            Expr::Macro(m) => {
                let name = macro_name(&m.mac);
                match name.as_str() {
                    "format" => {
                        let (fmt, args) = format_args(&m.mac)?;
                        if !fmt.ends_with('}') {
                            return Some(fmt.rsplit('}').next().unwrap_or(&fmt).to_string());
                        }
                        // Ends in a placeholder: the last argument (positional) supplies it.
                        let inner = fmt.rsplit('{').next()?.trim_end_matches('}');
                        if inner.is_empty() {
                            self.string_suffix(args.last()?, depth + 1)
                        } else {
                            let e = syn::parse_str::<Expr>(inner).ok()?;
                            self.string_suffix(&e, depth + 1)
                        }
                    }
                    "concat" => self.string_suffix(macro_args(&m.mac)?.last()?, depth + 1),
                    _ => None,
                }
            }
            other => self.term_suffix(&self.lower(other), depth + 1),
        }
    }

    /// The known tail of a lowered string value: a literal, `base + "/path"`, a constant of
    /// this file, or another module's endpoint constant (`RustProject::endpoint_constants`).
    pub(super) fn term_suffix(&self, term: &Term, depth: usize) -> Option<String> {
        if depth > 8 {
            return None;
        }
        match term {
            Term::Str(s) => Some(s.clone()),
            Term::Binary {
                op: BinaryOp::Add,
                right,
                ..
            } => self.term_suffix(right, depth + 1),
            Term::Method {
                receiver, method, ..
            } if matches!(method.as_str(), "to_string" | "to_owned" | "into") => {
                self.term_suffix(receiver, depth + 1)
            }
            Term::Symbol(symbol) if symbol.module == self.resolver.file.key => {
                let binding = self.out.bindings.get(&symbol.name)?.last()?;
                self.term_suffix(&binding.term, depth + 1)
            }
            Term::Symbol(symbol) => {
                let key = format!("{}::{}", symbol.module, symbol.name);
                let endpoint = &shapes().endpoint.path;
                self.resolver
                    .project()
                    .endpoint_constants
                    .contains(&key)
                    .then(|| endpoint.clone())
            }
            _ => None,
        }
    }

    /// `.form(&[("expires_at", ts.to_string())])`, a `Vec`/`HashMap` built in the function,
    /// or a struct literal with an `expires_at` field.
    pub(super) fn form_source(&self, arg: &Expr) -> ExpiresAtSource {
        if let Some(presence) = self.form_collection(arg) {
            return presence_source(presence);
        }
        match peel(arg) {
            Expr::Path(_) => match ident(peel(arg)).and_then(|n| self.env.get(&n).cloned()) {
                Some(Local::Form(presence)) | Some(Local::FormStruct(_, presence)) => {
                    presence_source(presence)
                }
                Some(Local::Unreadable(why)) => ExpiresAtSource::Unresolved(why),
                Some(Local::ForeignForm(literals)) => ExpiresAtSource::Form(literals),
                _ => ExpiresAtSource::Unresolved(match ident(peel(arg)) {
                    Some(name) => Unseen::Local { name },
                    None => Unseen::Body {
                        excerpt: self.short_text_of(arg),
                    },
                }),
            },
            Expr::Struct(s) => match self.struct_form(s, 0) {
                Some(Ok(presence)) => presence_source(presence),
                Some(Err(why)) => ExpiresAtSource::Unresolved(why),
                None => match self.foreign_form(s) {
                    Some(literal) => ExpiresAtSource::Form(vec![literal]),
                    None => ExpiresAtSource::Unresolved(Unseen::FormStruct {
                        name: crate::lang::rust::syntax::segments_of(&s.path).join("::"),
                        gap: FormStructGap::NotSerialize,
                    }),
                },
            },
            _ => ExpiresAtSource::Unresolved(Unseen::Body {
                excerpt: self.short_text_of(arg),
            }),
        }
    }

    /// A form collection literal: tuple arrays, `vec![..]`, `HashMap::from([..])`, or an
    /// empty `Vec::new()` / `HashMap::new()` filled later.
    pub(super) fn form_collection(&self, expr: &Expr) -> Option<Presence> {
        match peel(expr) {
            Expr::Array(array) => self.form_entries(array.elems.iter()),
            Expr::Macro(m) if macro_name(&m.mac) == "vec" => {
                let args = macro_args(&m.mac)?;
                self.form_entries(args.iter())
            }
            Expr::Call(call) => {
                let segments = path_segments(&call.func)?;
                let (ctor, ty) = segments.split_last()?;
                let collection = ty
                    .last()
                    .is_some_and(|t| matches!(t.as_str(), "HashMap" | "BTreeMap" | "Vec"));
                match (collection, ctor.as_str(), call.args.first()) {
                    (true, "new" | "with_capacity" | "default", _) => Some(Presence::unset()),
                    (true, "from" | "from_iter", Some(arg)) => self.form_collection(arg),
                    _ => self.form_iterator_call(call),
                }
            }
            // Made from other pairs: `iter().map(..).collect()`, `.chain(..)`, a form local.
            Expr::MethodCall(m) => self.form_chain(m),
            Expr::Path(_) => match self.env.get(&ident(expr)?) {
                Some(Local::Form(presence)) | Some(Local::FormStruct(_, presence)) => {
                    Some(presence.clone())
                }
                _ => None,
            },
            _ => None,
        }
    }

    pub(super) fn form_entries<'e>(
        &self,
        elems: impl Iterator<Item = &'e Expr>,
    ) -> Option<Presence> {
        let mut presence = Presence::unset();
        let mut any_tuple = false;
        for elem in elems {
            let Expr::Tuple(tuple) = peel(elem) else {
                return None;
            };
            any_tuple = true;
            if tuple.elems.len() == 2 && is_str_lit(&tuple.elems[0], self.expires_at) {
                let (term, text) = self.lower_with_text(&tuple.elems[1]);
                presence = Presence::set(term, text);
            }
        }
        (any_tuple || presence == Presence::unset()).then_some(presence)
    }

    /// `form.insert("expires_at", v)` / `form.push(("expires_at", v))` on a form local.
    pub(super) fn form_update(&mut self, m: &ExprMethodCall) {
        let Some(name) = ident(&m.receiver) else {
            return;
        };
        if !matches!(self.env.get(&name), Some(Local::Form(_))) {
            return;
        }
        let value = match (m.method.to_string().as_str(), m.args.len()) {
            ("insert", 2) if is_str_lit(&m.args[0], self.expires_at) => Some(&m.args[1]),
            ("push", 1) => match peel(&m.args[0]) {
                Expr::Tuple(t)
                    if t.elems.len() == 2 && is_str_lit(&t.elems[0], self.expires_at) =>
                {
                    Some(&t.elems[1])
                }
                _ => None,
            },
            _ => None,
        };
        let added = match (m.method.to_string().as_str(), m.args.first()) {
            ("extend", Some(pairs)) if m.args.len() == 1 => self.form_collection(pairs),
            _ => None,
        };
        if let Some(value) = value {
            let (term, text) = self.lower_with_text(value);
            self.env
                .assign(&name, Local::Form(Presence::set(term, text)));
        } else if let (Some(added), Some(Local::Form(before))) = (added, self.env.get(&name)) {
            // `form.extend([("k", v), ..])`: every key it adds can be read.
            let after = super::serde_forms::sequence(before, &added);
            self.env.assign(&name, Local::Form(after));
        } else if matches!(
            m.method.to_string().as_str(),
            "remove"
                | "clear"
                | "retain"
                | "extend"
                | "append"
                | "truncate"
                | "pop"
                | "drain"
                | "entry"
                | "get_mut"
                | "iter_mut"
        ) {
            let presence = Presence::set(
                Term::Opaque(format!("the form `{name}` is changed by `.{}()`", m.method)),
                String::new(),
            );
            self.env.assign(&name, Local::Form(presence));
        }
    }

    /// A hand-built form body: `format!("mode=payment&expires_at={ts}")`, or
    /// `serde_urlencoded::to_string(&params)`.
    pub(super) fn body_source(&self, arg: &Expr) -> ExpiresAtSource {
        let arg = peel(arg);
        match arg {
            Expr::Macro(m) if macro_name(&m.mac) == "format" => {
                let Some(args) = macro_args(&m.mac) else {
                    return ExpiresAtSource::Unresolved(Unseen::FormatBody);
                };
                let Some(Expr::Lit(syn::ExprLit {
                    lit: Lit::Str(fmt), ..
                })) = args.first()
                else {
                    return ExpiresAtSource::Unresolved(Unseen::FormatBody);
                };
                let fmt = fmt.value();
                match format_field(&fmt, self.expires_at) {
                    None => ExpiresAtSource::Missing,
                    Some(FormatValue::Literal(v)) => literal_source(&v),
                    Some(FormatValue::Placeholder { name, index }) => {
                        // A named placeholder is parsed from the format string, so it has no
                        // place in the file: its text is its name.
                        // `format!("..{ts}..", ts = value)` names its argument; without one,
                        // `{ts}` captures the local `ts`.
                        let named = name.as_ref().and_then(|name| {
                            args.iter().find_map(|a| match a {
                                Expr::Assign(assign)
                                    if ident(&assign.left).as_deref() == Some(name.as_str()) =>
                                {
                                    Some(&*assign.right)
                                }
                                _ => None,
                            })
                        });
                        let expr = match (&name, named) {
                            (_, Some(value)) => Some(self.lower_with_text(value)),
                            (Some(name), None) => syn::parse_str::<Expr>(name)
                                .ok()
                                .map(|e| (self.lower(&e), name.clone())),
                            (None, None) => args.get(index + 1).map(|e| self.lower_with_text(e)),
                        };
                        match expr {
                            Some((term, text)) => ExpiresAtSource::Value { term, text },
                            None => ExpiresAtSource::Unresolved(Unseen::FormatPlaceholder {
                                param: self.expires_at.to_string(),
                            }),
                        }
                    }
                }
            }
            Expr::Lit(syn::ExprLit {
                lit: Lit::Str(s), ..
            }) => match format_field(&s.value(), self.expires_at) {
                Some(FormatValue::Literal(v)) => literal_source(&v),
                _ => ExpiresAtSource::Missing,
            },
            Expr::Call(call) if call.args.len() == 1 => {
                let is_urlencoded = path_segments(&call.func)
                    .is_some_and(|p| p.first().is_some_and(|c| c == "serde_urlencoded"));
                if is_urlencoded {
                    match peel(&call.args[0]) {
                        Expr::Macro(m) if macro_name(&m.mac) == "json" => {
                            self.json_source(&call.args[0])
                        }
                        _ => self.form_source(&call.args[0]),
                    }
                } else {
                    ExpiresAtSource::Unresolved(Unseen::Body {
                        excerpt: self.short_text_of(arg),
                    })
                }
            }
            _ => ExpiresAtSource::Unresolved(Unseen::Body {
                excerpt: self.short_text_of(arg),
            }),
        }
    }

    /// The `expires_at` key of a `json!({..})` body (or a struct literal).
    pub(super) fn json_source(&self, arg: &Expr) -> ExpiresAtSource {
        match peel(arg) {
            Expr::Macro(m) if macro_name(&m.mac) == "json" => {
                match json_key(&m.mac, self.expires_at) {
                    JsonKey::Absent => ExpiresAtSource::Missing,
                    JsonKey::Value(e) => {
                        let (term, text) = self.lower_with_text(&e);
                        ExpiresAtSource::Value { term, text }
                    }
                    JsonKey::Unreadable => ExpiresAtSource::Unresolved(Unseen::Body {
                        excerpt: self.short_text_of(arg),
                    }),
                }
            }
            _ => self.form_source(arg),
        }
    }
}

fn literal_source(value: &str) -> ExpiresAtSource {
    let term = value
        .parse::<i128>()
        .map(Term::Int)
        .unwrap_or_else(|_| Term::Opaque(format!("the text `{value}`")));
    ExpiresAtSource::Value {
        term,
        text: value.to_string(),
    }
}

enum FormatValue {
    Literal(String),
    Placeholder { name: Option<String>, index: usize },
}

/// Finds `key=` in a form-encoded format string and what follows it: a literal, or the
/// `index`-th positional placeholder / a named one.
fn format_field(fmt: &str, key: &str) -> Option<FormatValue> {
    let needle = format!("{key}=");
    let at = fmt
        .match_indices(&needle)
        .find(|(i, _)| *i == 0 || fmt.as_bytes()[i - 1] == b'&')?
        .0;
    let value_start = at + needle.len();
    let rest = &fmt[value_start..];
    let value = rest.split('&').next().unwrap_or("");
    if let Some(inner) = value.strip_prefix('{').and_then(|v| v.strip_suffix('}')) {
        let positional_before = fmt[..value_start]
            .matches('{')
            .count()
            .saturating_sub(2 * fmt[..value_start].matches("{{").count());
        let inner = inner.split(':').next().unwrap_or("");
        return Some(FormatValue::Placeholder {
            name: (!inner.is_empty() && inner.parse::<usize>().is_err()).then(|| inner.to_string()),
            index: inner.parse::<usize>().unwrap_or(positional_before),
        });
    }
    Some(FormatValue::Literal(value.to_string()))
}

enum JsonKey {
    Absent,
    Value(Box<Expr>),
    Unreadable,
}

/// The value of a top-level key of a `json!({ .. })` body, parsed as a Rust expression.
fn json_key(mac: &syn::Macro, key: &str) -> JsonKey {
    let mut tokens = mac.tokens.clone().into_iter();
    let Some(proc_macro2::TokenTree::Group(object)) = tokens.next() else {
        return JsonKey::Unreadable;
    };
    if object.delimiter() != proc_macro2::Delimiter::Brace {
        return JsonKey::Unreadable;
    }
    let mut entries: Vec<Vec<proc_macro2::TokenTree>> = vec![Vec::new()];
    for tree in object.stream() {
        match &tree {
            proc_macro2::TokenTree::Punct(p) if p.as_char() == ',' => entries.push(Vec::new()),
            _ => entries.last_mut().map(|e| e.push(tree)).unwrap_or(()),
        }
    }
    for entry in entries {
        let Some(colon) = entry
            .iter()
            .position(|t| matches!(t, proc_macro2::TokenTree::Punct(p) if p.as_char() == ':'))
        else {
            continue;
        };
        let key_tokens: proc_macro2::TokenStream = entry[..colon].iter().cloned().collect();
        let Ok(key_lit) = syn::parse2::<syn::LitStr>(key_tokens) else {
            continue;
        };
        if key_lit.value() != key {
            continue;
        }
        let value: proc_macro2::TokenStream = entry[colon + 1..].iter().cloned().collect();
        return match syn::parse2::<Expr>(value) {
            Ok(e) => JsonKey::Value(Box::new(e)),
            Err(_) => JsonKey::Unreadable,
        };
    }
    JsonKey::Absent
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_fields_in_format_strings() {
        match format_field("mode=payment&expires_at={ts}&x=1", "expires_at") {
            Some(FormatValue::Placeholder { name, .. }) => assert_eq!(name.as_deref(), Some("ts")),
            _ => panic!("expected a named placeholder"),
        }
        match format_field("mode={}&expires_at={}", "expires_at") {
            Some(FormatValue::Placeholder { name: None, index }) => assert_eq!(index, 1),
            _ => panic!("expected a positional placeholder"),
        }
        assert!(format_field("mode=payment&not_expires_at=1", "expires_at").is_none());
        match format_field("expires_at=1700000000", "expires_at") {
            Some(FormatValue::Literal(v)) => assert_eq!(v, "1700000000"),
            _ => panic!("expected a literal"),
        }
    }
}
