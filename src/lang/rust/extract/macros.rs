//! Macro invocations: arguments that parse as expressions or statements (`format!`, `vec!`,
//! `tokio::join!`, `assert!`, ...) are walked as code; `json!` bodies are data; item-position
//! macros are walked as items. A macro whose tokens cannot be parsed but name a create API is
//! reported as unverifiable rather than skipped.
//!
//! Knows Rust's macro syntax; what names a create API is `unreadable_macro_markers`'s.

use syn::punctuated::Punctuated;
use syn::{Block, Expr, Item, Stmt, Token};

use super::Walker;
use crate::facts::{ExpiresAtSource, Unseen};
use crate::lang::rust::resolve::Resolved;

/// Standard macros after which the code that follows is not reached on this path.
const DIVERGING_MACROS: [&str; 4] = ["panic", "unreachable", "todo", "unimplemented"];

impl Walker<'_> {
    /// A statement- or expression-position macro call: its arguments, then, for `panic!`
    /// and its kin, the end of this path.
    pub(super) fn macro_call(&mut self, mac: &syn::Macro) {
        self.macro_body(mac);
        if DIVERGING_MACROS.contains(&macro_name(mac).as_str()) {
            crate::flow::paths::exit(self);
        }
    }

    fn macro_body(&mut self, mac: &syn::Macro) {
        let name = macro_name(mac);
        if self.shapes.data_macros.contains(&name) || self.is_mock_macro(mac) {
            return;
        }
        if let Some(args) = macro_args(mac) {
            let args = std::rc::Rc::new(args);
            self.macro_trees.push(MacroTree::Exprs(args.clone()));
            for arg in args.iter() {
                self.expr(arg);
            }
            return;
        }
        if let Ok(stmts) = mac.parse_body_with(Block::parse_within) {
            let stmts = std::rc::Rc::new(stmts);
            self.macro_trees.push(MacroTree::Stmts(stmts.clone()));
            self.env.push();
            for stmt in stmts.iter() {
                self.stmt(stmt);
            }
            self.env.pop();
            return;
        }
        self.unreadable_macro(mac, &name);
    }

    /// An item-position macro call (`cfg_if! { .. }`, a project macro generating
    /// functions): walked as items when its tokens are items; otherwise reported if it
    /// names a create API (`lazy_static!` and other declarations are silent).
    pub(super) fn item_macro(&mut self, mac: &syn::Macro) {
        if self.is_mock_macro(mac) {
            return;
        }
        let items = mac.parse_body_with(|input: syn::parse::ParseStream| {
            let mut items = Vec::new();
            while !input.is_empty() {
                items.push(input.parse::<Item>()?);
            }
            Ok(items)
        });
        match items {
            Ok(items) => {
                let items = std::rc::Rc::new(items);
                self.macro_trees.push(MacroTree::Items(items.clone()));
                for item in items.iter() {
                    self.item(item, None);
                }
            }
            Err(_) => self.unreadable_macro(mac, &macro_name(mac)),
        }
    }

    /// A macro that declares test doubles (`mockall::mock! { .. }`): method signatures of a
    /// mock, never a call. Its path as resolved, or its bare name when no `use` names it
    /// (`#[macro_use]`, a glob import).
    fn is_mock_macro(&self, mac: &syn::Macro) -> bool {
        let written: Vec<String> = mac
            .path
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect();
        let resolved = self.resolver.resolve(&written);
        let Resolved::External(path) = resolved else {
            return false;
        };
        self.shapes.mock_macros.iter().any(|known| {
            let known: Vec<&str> = known.split("::").collect();
            path.iter().map(String::as_str).eq(known.iter().copied())
                || (path.len() == 1 && known.last().copied() == path.last().map(String::as_str))
        })
    }

    /// A macro whose tokens checkout-lint cannot read as code: unverifiable when it names a
    /// checkout type or the endpoint (as written, or through a `use` alias or a project
    /// re-export: `Cs::create(..)` with `use stripe::CheckoutSession as Cs`), silent
    /// otherwise.
    fn unreadable_macro(&mut self, mac: &syn::Macro, name: &str) {
        let names_marker = |text: &str| {
            crate::lang::rust::unreadable_macro_markers()
                .iter()
                .any(|marker| text.contains(marker))
        };
        let names_checkout = names_marker(&mac.tokens.to_string())
            || token_paths(mac.tokens.clone()).iter().any(|path| {
                self.resolver
                    .resolve(path)
                    .segments()
                    .iter()
                    .any(|segment| names_marker(segment))
            });
        if names_checkout {
            self.push_site(
                self.span(mac),
                format!("{name}!"),
                ExpiresAtSource::Unresolved(Unseen::Macro {
                    name: name.to_string(),
                }),
                false,
            );
        }
    }
}

/// A tree parsed out of a macro call, owned by the walker until the file is done. It is
/// never read again: holding it is the point.
#[allow(dead_code)]
pub(super) enum MacroTree {
    Exprs(std::rc::Rc<Vec<Expr>>),
    Stmts(std::rc::Rc<Vec<Stmt>>),
    Items(std::rc::Rc<Vec<Item>>),
}

pub fn macro_name(mac: &syn::Macro) -> String {
    mac.path
        .segments
        .last()
        .map(|s| s.ident.to_string())
        .unwrap_or_default()
}

/// The paths (`a::b::C`, or one name) written in a macro's tokens, at any depth.
fn token_paths(tokens: proc_macro2::TokenStream) -> Vec<Vec<String>> {
    use proc_macro2::{Spacing, TokenTree};
    let mut paths = Vec::new();
    let mut current: Vec<String> = Vec::new();
    // Whether the last tokens were `::` after a name, so the next name continues the path.
    let mut continues = false;
    let mut colon = false;
    let mut stack = vec![tokens.into_iter()];
    while let Some(trees) = stack.last_mut() {
        let Some(tree) = trees.next() else {
            stack.pop();
            continue;
        };
        match tree {
            TokenTree::Ident(name) => {
                if !continues && !current.is_empty() {
                    paths.push(std::mem::take(&mut current));
                }
                current.push(name.to_string());
                continues = false;
                colon = false;
                continue;
            }
            TokenTree::Punct(punct) if punct.as_char() == ':' => {
                if colon {
                    continues = !current.is_empty();
                    colon = false;
                } else {
                    colon = punct.spacing() == Spacing::Joint;
                }
                continue;
            }
            TokenTree::Group(group) => stack.push(group.stream().into_iter()),
            _ => {}
        }
        continues = false;
        colon = false;
        if !current.is_empty() {
            paths.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        paths.push(current);
    }
    paths
}

/// The arguments of a macro call when they are comma-separated expressions.
pub fn macro_args(mac: &syn::Macro) -> Option<Vec<Expr>> {
    mac.parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated)
        .ok()
        .map(|p| p.into_iter().collect())
}

/// A `format!`-like call's format string and its arguments (the string first), when the
/// string is a literal.
pub fn format_args(mac: &syn::Macro) -> Option<(String, Vec<Expr>)> {
    let args = macro_args(mac)?;
    match args.first() {
        Some(Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(fmt),
            ..
        })) => Some((fmt.value(), args)),
        _ => None,
    }
}
