//! Text edits on Rust source for `--fix`: one more call in a builder chain right after its
//! constructor, one more field of a struct literal or assigned to a `let mut` local, one
//! more pair of a form's array literal, and a `use` the file lacks (`values`: a value read in other units). Each is laid out like its neighbours and touches nothing else.
//!
//! Knows Rust's syntax and layout; what to write (the method, field, value, path) is the
//! caller's.

use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{Expr, Pat, Stmt, UseTree};

use crate::facts::fix::Splice;
use crate::lang::layout::{
    append_item, leading_space, line_ending, line_start, next_line, Comments, List,
};
use crate::lang::rust::syntax::{flatten_chain, path_segments, peel};

/// How far an item is declared visible.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Visibility {
    /// `pub`.
    Public,
    /// `pub(crate)`.
    Crate,
    /// Private, `pub(super)`, `pub(in ..)`: its module and the modules below it.
    Private,
}

/// A parsed file, ready to be asked for edits.
pub struct RustEditor {
    text: String,
    file: syn::File,
    eol: &'static str,
}

fn range(node: &impl Spanned) -> (usize, usize) {
    let range = node.span().byte_range();
    (range.start, range.end)
}

impl RustEditor {
    /// `None` when the file does not parse.
    pub fn new(text: &str) -> Option<Self> {
        Some(RustEditor {
            text: text.to_string(),
            file: syn::parse_file(text).ok()?,
            eol: line_ending(text),
        })
    }

    /// `.method(value)` right after the constructor that starts the chain at `start..end`
    /// (a constructor call, or a local: then the constructor its `let` starts from).
    pub fn add_builder_call(&self, start: usize, end: usize, call: &str) -> Option<Vec<Splice>> {
        let expr = self.expr_at(start, end)?;
        let constructor = match expr {
            Expr::Call(call) if is_bare_default(call) => return None,
            Expr::Call(_) => expr,
            Expr::Path(path) => {
                let name = path.path.get_ident()?.to_string();
                let (_, local) = self.last_let(&name, start)?;
                let init = &local.init.as_ref()?.expr;
                let (_, root) = flatten_chain(peel(init));
                match peel(root) {
                    // `Default::default()` would no longer know its type.
                    Expr::Call(call) if is_bare_default(call) => return None,
                    root @ Expr::Call(_) => root,
                    _ => return None,
                }
            }
            _ => return None,
        };
        let (_, after) = range(constructor);
        // The next link of the chain, past blanks and line comments.
        let mut next_link = after;
        loop {
            let rest = &self.text.as_str()[next_link..];
            let trimmed = rest.trim_start();
            next_link += rest.len() - trimmed.len();
            if !trimmed.starts_with("//") {
                break;
            }
            next_link += trimmed.find('\n').unwrap_or(trimmed.len());
        }
        let on_its_line = self.text.as_str()[after..next_link].contains('\n')
            && self.text.as_str()[next_link..].starts_with('.');
        if on_its_line {
            let indent = leading_space(self.text.as_str(), next_link);
            let at = line_start(self.text.as_str(), next_link);
            return Some(vec![Splice::insert(
                at,
                format!("{indent}{call}{}", self.eol),
            )]);
        }
        Some(vec![Splice::insert(after, call.to_string())])
    }

    /// `field: value` in the struct literal at `start..end`, or, for a local there,
    /// `name.field = value;` after the `let mut` that binds it.
    pub fn add_field(
        &self,
        start: usize,
        end: usize,
        field: &str,
        value: &str,
    ) -> Option<Vec<Splice>> {
        match self.expr_at(start, end)? {
            Expr::Struct(literal) => {
                // `expires_at: None`: the value is replaced.
                let named =
                    |f: &&syn::FieldValue| matches!(&f.member, syn::Member::Named(n) if n == field);
                if let Some(existing) = literal.fields.iter().find(named) {
                    let (start, end) = range(&existing.expr);
                    return Some(vec![Splice {
                        start,
                        end,
                        content: value.to_string(),
                    }]);
                }
                let item = format!("{field}: {value}");
                if let Some(dots) = &literal.dot2_token {
                    let (dots, _) = range(dots);
                    let own_line = self.text.as_str()[line_start(self.text.as_str(), dots)..dots]
                        .trim()
                        .is_empty();
                    let content = if own_line {
                        let indent = leading_space(self.text.as_str(), dots);
                        let at = line_start(self.text.as_str(), dots);
                        return Some(vec![Splice::insert(
                            at,
                            format!("{indent}{item},{}", self.eol),
                        )]);
                    } else {
                        format!("{item}, ")
                    };
                    return Some(vec![Splice::insert(dots, content)]);
                }
                let (open, close) = range(&literal.brace_token.span.join());
                let last = literal.fields.iter().last().map(range);
                let list = List {
                    open,
                    close: close - 1,
                    last,
                };
                Some(append_item(
                    self.text.as_str(),
                    Comments::Slashes,
                    &list,
                    &item,
                ))
            }
            Expr::Path(path) => {
                let name = path.path.get_ident()?.to_string();
                let (stmt, local) = self.last_let(&name, start)?;
                // Made by a literal: the field goes there.
                if let Some(init) = &local.init {
                    if let literal @ Expr::Struct(_) = peel(&init.expr) {
                        let (start, end) = range(literal);
                        return self.add_field(start, end, field, value);
                    }
                }
                let binding = match &local.pat {
                    Pat::Ident(p) => p,
                    Pat::Type(t) => match &*t.pat {
                        Pat::Ident(p) => p,
                        _ => return None,
                    },
                    _ => return None,
                };
                let (stmt_start, stmt_end) = range(stmt);
                // Touched between the `let` and the call (`p.expires_at.take()`): no fix.
                let between = &self.text.as_str()[stmt_end..start.max(stmt_end)];
                (!between.contains(&format!("{name}.{field}"))).then_some(())?;
                let alone = self.text.as_str()
                    [line_start(self.text.as_str(), stmt_start)..stmt_start]
                    .trim()
                    .is_empty()
                    && self.text.as_str()[stmt_end..next_line(self.text.as_str(), stmt_end)]
                        .trim()
                        .is_empty();
                if !alone {
                    return None;
                }
                let mut splices = Vec::new();
                if binding.mutability.is_none() {
                    splices.push(Splice::insert(range(&binding.ident).0, "mut ".into()));
                }
                let indent = leading_space(self.text.as_str(), stmt_start);
                let at = next_line(self.text.as_str(), stmt_end.saturating_sub(1));
                let line = format!("{indent}{name}.{field} = {value};{}", self.eol);
                splices.push(Splice::insert(at, line));
                Some(splices)
            }
            _ => None,
        }
    }

    /// `("key", value)` as the last pair of the form's array literal at `start..end`, its
    /// value made text the way the other pairs' are: `&(value).to_string()` beside string
    /// slices, `(value).to_string()` beside owned strings. Returns the pair too; `None`
    /// when the pairs do not say which (or say both).
    pub fn add_form_pair(
        &self,
        start: usize,
        end: usize,
        key: &str,
        value: &str,
    ) -> Option<(Vec<Splice>, String)> {
        let Some(Expr::Array(array)) = self.expr_at(start, end) else {
            return None;
        };
        let (mut borrowed, mut owned) = (false, false);
        for element in &array.elems {
            let Expr::Tuple(pair) = peel(element) else {
                return None;
            };
            match pair.elems.iter().nth(1).map(peel) {
                Some(Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(_),
                    ..
                }))
                | Some(Expr::Reference(_)) => borrowed = true,
                Some(Expr::MethodCall(call))
                    if matches!(call.method.to_string().as_str(), "to_string" | "to_owned") =>
                {
                    owned = true
                }
                Some(Expr::Macro(m)) if m.mac.path.is_ident("format") => owned = true,
                _ => {}
            }
        }
        let text = match (borrowed, owned) {
            (true, false) => format!("&({value}).to_string()"),
            (false, true) => format!("({value}).to_string()"),
            _ => return None,
        };
        let pair = format!("(\"{key}\", {text})");
        let (open, close) = range(&array.bracket_token.span.join());
        let list = List {
            open,
            close: close - 1,
            last: array.elems.iter().last().map(range),
        };
        let splices = append_item(self.text.as_str(), Comments::Slashes, &list, &pair);
        Some((splices, pair))
    }

    /// How the file declares its child module `name` (`mod name;`, `pub mod name { .. }`);
    /// `None` when it does not.
    pub fn declared_module(&self, name: &str) -> Option<Visibility> {
        self.file.items.iter().find_map(|item| match item {
            syn::Item::Mod(m) if m.ident == name => Some(match &m.vis {
                syn::Visibility::Public(_) => Visibility::Public,
                syn::Visibility::Restricted(r) if r.path.is_ident("crate") => Visibility::Crate,
                _ => Visibility::Private,
            }),
            _ => None,
        })
    }

    /// Whether `offset` lies inside an inline `mod name { .. }` (where the file's
    /// top-level `use` items are not in scope).
    pub fn in_inline_module(&self, offset: usize) -> bool {
        self.file.items.iter().any(|item| match item {
            syn::Item::Mod(m) if m.content.is_some() => {
                let (start, end) = range(m);
                start <= offset && offset < end
            }
            _ => false,
        })
    }

    /// Whether a top-level `use` brings `name` in from a path starting with `root`
    /// (`use chrono::Utc;`, `use chrono::{DateTime, Utc};`).
    pub fn brings_in(&self, root: &str, name: &str) -> bool {
        self.top_uses()
            .iter()
            .any(|(path, bound)| bound == name && path.first().is_some_and(|r| r == root))
    }

    /// The name the file binds `path` (`crate::config::TTL`) to, and the `use` that
    /// brings it in when it does not: after the file's last `use` of the same crate, else
    /// after its last `use`, else before its first item.
    pub fn import(&self, path: &[String]) -> (String, Option<Splice>) {
        let (name, module) = path.split_last().expect("a path names something");
        for (used, bound) in self.top_uses() {
            let glob = bound == "*" && used == module;
            // The name brought in by another path (`super::config::X`, a re-export) is the
            // same name: a second `use` of it would not compile.
            if used == path || glob || bound == *name {
                let bound = if glob { name.clone() } else { bound };
                return (bound, None);
            }
        }
        let line = format!("use {};{}", path.join("::"), self.eol);
        let uses: Vec<&syn::ItemUse> = (self.file.items.iter())
            .filter_map(|item| match item {
                syn::Item::Use(u) => Some(u),
                _ => None,
            })
            .collect();
        let first_segment = |u: &syn::ItemUse| match &u.tree {
            UseTree::Path(p) => p.ident.to_string(),
            UseTree::Name(n) => n.ident.to_string(),
            _ => String::new(),
        };
        let written = path.join("::");
        let same_crate: Vec<&&syn::ItemUse> = uses
            .iter()
            .filter(|u| first_segment(u) == path[0])
            .collect();
        let after_line =
            |u: &syn::ItemUse| next_line(self.text.as_str(), range(u).1.saturating_sub(1));
        let text_of =
            |u: &syn::ItemUse| self.text.as_str()[range(&u.tree).0..range(&u.tree).1].to_string();
        // rustfmt's order inside the crate's group; a group of its own after the others.
        let splice = match (same_crate.first(), uses.last()) {
            (Some(_), _) => match same_crate.iter().find(|u| text_of(u) > written) {
                Some(next) => Splice::insert(line_start(self.text.as_str(), range(**next).0), line),
                None => Splice::insert(after_line(same_crate[same_crate.len() - 1]), line),
            },
            (None, Some(last)) => Splice::insert(after_line(last), format!("{}{line}", self.eol)),
            (None, None) => {
                let at = self
                    .file
                    .items
                    .first()
                    .map_or(self.text.as_str().len(), |item| {
                        // Its outer attributes and doc comments belong to it.
                        let attrs = match item {
                            syn::Item::Fn(f) => f.attrs.first().map(range),
                            syn::Item::Const(c) => c.attrs.first().map(range),
                            syn::Item::Struct(s) => s.attrs.first().map(range),
                            syn::Item::Mod(m) => m.attrs.first().map(range),
                            _ => None,
                        };
                        line_start(self.text.as_str(), attrs.unwrap_or_else(|| range(item)).0)
                    });
                Splice::insert(at, format!("{line}{}", self.eol))
            }
        };
        (name.clone(), Some(splice))
    }

    /// Every (path, bound name) the file's top-level `use` items make; a glob is bound as
    /// `*`.
    fn top_uses(&self) -> Vec<(Vec<String>, String)> {
        let mut out = Vec::new();
        for item in &self.file.items {
            if let syn::Item::Use(u) = item {
                collect_use(&u.tree, &mut Vec::new(), &mut out);
            }
        }
        out
    }

    fn expr_at(&self, start: usize, end: usize) -> Option<&Expr> {
        let mut finder = ExprAt {
            start,
            end,
            found: None,
        };
        finder.visit_file(&self.file);
        finder.found
    }

    /// The last `let name = ..;` that starts before `before`, in the function holding it.
    fn last_let(&self, name: &str, before: usize) -> Option<(&Stmt, &syn::Local)> {
        let mut finder = LastLet {
            name,
            before,
            found: None,
        };
        finder.visit_file(&self.file);
        finder.found
    }
}

/// `Default::default()`: its type comes from where it goes, which a call after it hides.
fn is_bare_default(call: &syn::ExprCall) -> bool {
    path_segments(&call.func).is_some_and(|p| p == ["Default", "default"])
}

fn collect_use(tree: &UseTree, prefix: &mut Vec<String>, out: &mut Vec<(Vec<String>, String)>) {
    match tree {
        UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            collect_use(&p.tree, prefix, out);
            prefix.pop();
        }
        UseTree::Name(n) => {
            let mut path = prefix.clone();
            path.push(n.ident.to_string());
            out.push((path, n.ident.to_string()));
        }
        UseTree::Rename(r) => {
            let mut path = prefix.clone();
            path.push(r.ident.to_string());
            out.push((path, r.rename.to_string()));
        }
        UseTree::Glob(_) => out.push((prefix.clone(), "*".to_string())),
        UseTree::Group(g) => {
            for tree in &g.items {
                collect_use(tree, prefix, out);
            }
        }
    }
}

struct ExprAt<'a> {
    start: usize,
    end: usize,
    found: Option<&'a Expr>,
}

impl<'a> Visit<'a> for ExprAt<'a> {
    only_inside_what_holds!(start);

    fn visit_expr(&mut self, expr: &'a Expr) {
        let (start, end) = range(expr);
        if start == self.start && end == self.end && self.found.is_none() {
            self.found = Some(expr);
        }
        if start <= self.start && self.end <= end {
            visit::visit_expr(self, expr);
        }
    }
}

struct LastLet<'a, 'n> {
    name: &'n str,
    before: usize,
    found: Option<(&'a Stmt, &'a syn::Local)>,
}

/// The `Visit` methods of a finder that looks only inside the functions, `impl` blocks
/// and inline modules holding its offset `$offset` (found by their braces' spans: a node's
/// own span is its tokens printed again, which costs as much as the node).
macro_rules! only_inside_what_holds {
    ($offset:ident) => {
        fn visit_item_fn(&mut self, item: &'a syn::ItemFn) {
            if $crate::lang::rust::edit::holds(&item.block.brace_token, self.$offset) {
                visit::visit_item_fn(self, item);
            }
        }

        fn visit_impl_item_fn(&mut self, item: &'a syn::ImplItemFn) {
            if $crate::lang::rust::edit::holds(&item.block.brace_token, self.$offset) {
                visit::visit_impl_item_fn(self, item);
            }
        }

        fn visit_item_impl(&mut self, item: &'a syn::ItemImpl) {
            if $crate::lang::rust::edit::holds(&item.brace_token, self.$offset) {
                visit::visit_item_impl(self, item);
            }
        }

        fn visit_item_mod(&mut self, item: &'a syn::ItemMod) {
            let held = (item.content.as_ref())
                .is_some_and(|(b, _)| $crate::lang::rust::edit::holds(b, self.$offset));
            if held {
                visit::visit_item_mod(self, item);
            }
        }
    };
}
use only_inside_what_holds;

/// Whether the braces hold `offset`.
fn holds(braces: &syn::token::Brace, offset: usize) -> bool {
    let range = braces.span.join().byte_range();
    range.start <= offset && offset < range.end
}

impl<'a> Visit<'a> for LastLet<'a, '_> {
    only_inside_what_holds!(before);

    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        let (start, end) = range(stmt);
        if let Stmt::Local(local) = stmt {
            let binds = match &local.pat {
                Pat::Ident(p) => p.ident == self.name,
                Pat::Type(t) => matches!(&*t.pat, Pat::Ident(p) if p.ident == self.name),
                _ => false,
            };
            if binds && end <= self.before {
                self.found = Some((stmt, local));
            }
        }
        // A `let` inside a block that does not hold the use is out of its scope.
        if start <= self.before && self.before < end {
            visit::visit_stmt(self, stmt);
        }
    }
}

#[cfg(test)]
mod tests;
mod values;
