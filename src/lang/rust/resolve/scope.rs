//! What a module or block brings into scope: its `use` declarations (aliases, groups, globs,
//! `self`, `super`, `crate`), `extern crate`s, type aliases and the items it defines, made
//! absolute through Cargo renames of dependencies. Knows Rust syntax, nothing of Stripe.

use std::collections::{HashMap, HashSet};

use syn::{Item, UseTree};

use super::{concat, Resolver};

/// Names visible in one module (or block): `use` aliases, globs and the items defined there.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    /// The module path this scope belongs to (crate key first).
    pub module: Vec<String>,
    pub(super) names: HashMap<String, Vec<String>>,
    pub(super) globs: Vec<Vec<String>>,
    pub(super) items: HashSet<String>,
    /// Names imported with `pub use` (any visibility but private): re-exports.
    pub(super) exported: HashSet<String>,
    /// Items declared inside a function body are not module items: they resolve under
    /// a path no module has, so the analysis treats them as unknown, never as the
    /// module-level item of the same name.
    pub(super) block: bool,
}

impl Resolver<'_> {
    /// Enters a block (a function body) whose statements declare `items`.
    pub fn push_block(&mut self, items: &[Item]) {
        self.push(self.module(), items);
        if let Some(scope) = self.scopes.last_mut() {
            scope.block = true;
        }
    }

    /// Enters a module or block whose items are `items`.
    pub fn push(&mut self, module: Vec<String>, items: &[Item]) {
        let mut scope = Scope {
            module,
            ..Scope::default()
        };
        let mut aliases: Vec<(String, Vec<String>)> = Vec::new();
        for item in items {
            match item {
                Item::Use(u) => {
                    let mut uses = Vec::new();
                    collect_use(&u.tree, Vec::new(), &mut uses);
                    let exported = !matches!(u.vis, syn::Visibility::Inherited);
                    for (name, path) in uses {
                        let absolute = self.absolute(&path, &scope);
                        match name {
                            Some(name) => {
                                if exported {
                                    scope.exported.insert(name.clone());
                                }
                                scope.names.insert(name, absolute);
                            }
                            None => scope.globs.push(absolute),
                        }
                    }
                }
                Item::ExternCrate(e) => {
                    let name = e
                        .rename
                        .as_ref()
                        .map(|(_, n)| n.to_string())
                        .unwrap_or_else(|| e.ident.to_string());
                    scope
                        .names
                        .insert(name, vec![self.canonical_crate(&e.ident.to_string())]);
                }
                // `type CS = stripe::CheckoutSession;` names the same type as a `use`, and so
                // does `type P<'a> = CreateCheckoutSession<'a>;` (lifetimes choose no type).
                Item::Type(alias)
                    if alias
                        .generics
                        .params
                        .iter()
                        .all(|p| matches!(p, syn::GenericParam::Lifetime(_))) =>
                {
                    match &*alias.ty {
                        syn::Type::Path(p) if p.qself.is_none() => {
                            let path: Vec<String> = p
                                .path
                                .segments
                                .iter()
                                .map(|s| s.ident.to_string())
                                .collect();
                            // Resolved once every `use` of the scope is known.
                            aliases.push((alias.ident.to_string(), path));
                        }
                        _ => {
                            scope.items.insert(alias.ident.to_string());
                        }
                    }
                }
                other => {
                    if let Some(name) = item_name(other) {
                        scope.items.insert(name);
                    }
                }
            }
        }
        // A type alias names a type the way code does: through the names `use` brings into
        // this scope or an enclosing one (`use stripe::CheckoutSession; type CS =
        // CheckoutSession;`), else as a path.
        for (name, path) in aliases {
            let Some(first) = path.first() else {
                continue;
            };
            let used = scope.names.get(first).or_else(|| {
                self.scopes
                    .iter()
                    .rev()
                    .find_map(|outer| outer.names.get(first))
            });
            let target = match used {
                Some(target) => concat(target, &path[1..]),
                None => self.absolute(&path, &scope),
            };
            scope.names.insert(name, target);
        }
        self.scopes.push(scope);
    }

    /// Makes a `use` path absolute: `crate::`, `self::`, `super::`, a sibling item, or an
    /// extern crate (through Cargo renames).
    pub(super) fn absolute(&self, path: &[String], scope: &Scope) -> Vec<String> {
        let Some(first) = path.first() else {
            return Vec::new();
        };
        let module = if scope.module.is_empty() {
            self.file.segments()
        } else {
            scope.module.clone()
        };
        match first.as_str() {
            "crate" => concat(std::slice::from_ref(&self.file.crate_key), &path[1..]),
            "self" => concat(&module, &path[1..]),
            "super" => {
                let mut base = module;
                let mut rest = path;
                while rest.first().is_some_and(|s| s == "super") {
                    if base.len() > 1 {
                        base.pop();
                    }
                    rest = &rest[1..];
                }
                concat(&base, rest)
            }
            _ if scope.items.contains(first) => concat(&module, path),
            _ => concat(
                std::slice::from_ref(&self.canonical_crate(first)),
                &path[1..],
            ),
        }
    }

    fn canonical_crate(&self, name: &str) -> String {
        self.file
            .externs
            .get(name)
            .cloned()
            .unwrap_or_else(|| name.to_string())
    }
}

/// Flattens a use tree into (local name, path); `None` as the name marks a glob.
fn collect_use(tree: &UseTree, prefix: Vec<String>, out: &mut Vec<(Option<String>, Vec<String>)>) {
    match tree {
        UseTree::Path(p) => {
            let mut prefix = prefix;
            prefix.push(p.ident.to_string());
            collect_use(&p.tree, prefix, out);
        }
        UseTree::Name(n) => {
            let name = n.ident.to_string();
            if name == "self" {
                if let Some(last) = prefix.last().cloned() {
                    out.push((Some(last), prefix));
                }
            } else {
                let mut path = prefix;
                path.push(name.clone());
                out.push((Some(name), path));
            }
        }
        UseTree::Rename(r) => {
            let mut path = prefix;
            if r.ident != "self" {
                path.push(r.ident.to_string());
            }
            if r.rename != "_" {
                out.push((Some(r.rename.to_string()), path));
            }
        }
        UseTree::Glob(_) => out.push((None, prefix)),
        UseTree::Group(g) => {
            for tree in &g.items {
                collect_use(tree, prefix.clone(), out);
            }
        }
    }
}

fn item_name(item: &Item) -> Option<String> {
    Some(
        match item {
            Item::Const(i) => &i.ident,
            Item::Static(i) => &i.ident,
            Item::Fn(i) => &i.sig.ident,
            Item::Mod(i) => &i.ident,
            Item::Struct(i) => &i.ident,
            Item::Enum(i) => &i.ident,
            Item::Type(i) => &i.ident,
            Item::Trait(i) => &i.ident,
            Item::Union(i) => &i.ident,
            _ => return None,
        }
        .to_string(),
    )
}
