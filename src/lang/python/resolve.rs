//! Name resolution inside one Python file: the scope that binds a name, the qualified name
//! an expression refers to (through imports, aliases, star imports and the names project
//! modules re-export), and absolute module names.
//!
//! Knows Python's scoping rules; which star-imported names mean something it asks `shapes`.

use std::collections::HashMap;

use ruff_python_ast::Expr;
use ruff_text_size::Ranged;

use super::scope::{Def, ParamKind, Scope, ScopeKind};
use crate::facts::{Language, ModuleSet, SymbolRef, Term};
use crate::shapes::shapes;

/// Whether a top-level module is one a call shape starts from: the SDK's (`stripe`), or an
/// HTTP client library a raw POST goes through.
pub fn is_shape_root(module: &str) -> bool {
    let python = &shapes().python;
    module == python.sdk_module || python.http_modules.iter().any(|m| m == module)
}

/// How deep lowering may follow names and nested expressions before giving up.
pub(super) const MAX_DEPTH: usize = 24;

pub enum Lookup<'s, 'a> {
    Param(ParamKind, bool),
    Defs(Vec<&'s Def<'a>>, ScopeKind, usize),
    Unbound,
}

/// Resolution context: the file's module, the project's modules and the scope stack.
pub struct Resolver<'s, 'a> {
    pub source: &'a str,
    pub module: &'s str,
    pub is_package: bool,
    pub project_modules: &'s dyn ModuleSet,
    /// Names project modules bind to an outside name (`billing.S` →
    /// `stripe.checkout.Session`), found by `Project`'s re-export pass.
    pub reexports: &'s HashMap<String, String>,
    pub scopes: &'s [Scope<'a>],
}

impl<'s, 'a> Resolver<'s, 'a> {
    pub fn text(&self, expr: &Expr) -> String {
        let range = expr.range();
        normalise(&self.source[range.start().to_usize()..range.end().to_usize()])
    }

    /// An excerpt of an expression's text for a message (`lang::excerpt`).
    pub fn excerpt(&self, expr: &Expr) -> String {
        let range = expr.range();
        let code = &self.source[range.start().to_usize()..range.end().to_usize()];
        crate::lang::excerpt::excerpt(code, &crate::lang::excerpt::PYTHON)
    }

    /// Makes a possibly relative import (`..config.X`) absolute.
    pub fn absolute(&self, qualname: &str) -> String {
        let level = qualname.chars().take_while(|c| *c == '.').count();
        if level == 0 {
            return qualname.to_string();
        }
        let rest = &qualname[level..];
        let mut parts: Vec<&str> = self.module.split('.').filter(|p| !p.is_empty()).collect();
        let drop = if self.is_package { level - 1 } else { level };
        for _ in 0..drop {
            parts.pop();
        }
        if !rest.is_empty() {
            parts.push(rest);
        }
        parts.join(".")
    }

    /// The term an import of `qualname` binds.
    pub fn import_term(&self, qualname: &str) -> Term {
        let qualname = self.absolute(qualname);
        if self.project_modules.contains(&qualname) {
            return Term::Module(qualname);
        }
        if let Some((parent, name)) = qualname.rsplit_once('.') {
            if self.project_modules.contains(parent) {
                return Term::Symbol(SymbolRef {
                    language: Language::Python,
                    module: parent.to_string(),
                    name: name.to_string(),
                });
            }
        }
        Term::External(qualname)
    }

    /// Finds the scope that binds `name`, Python-style: the current scope, enclosing
    /// functions (class bodies are skipped), then the module.
    pub fn lookup(&self, name: &str, at: usize) -> Lookup<'s, 'a> {
        let last = self.scopes.len() - 1;
        for (index, scope) in self.scopes.iter().enumerate().rev() {
            if scope.kind == ScopeKind::Class && index != last {
                continue;
            }
            if let Some(kind) = scope.param(name) {
                return Lookup::Param(kind, index == last);
            }
            if let Some(defs) = scope.defs.get(name) {
                let in_current_flow = index == last && scope.kind != ScopeKind::Module
                    || (scope.kind == ScopeKind::Module && last == 0);
                let before: Vec<&Def> = if in_current_flow {
                    let before: Vec<&Def> = defs.iter().filter(|d| d.offset() < at).collect();
                    // Of several definitions, those the flow says reach `at`: a name
                    // rebound on every path keeps its last value only.
                    match scope.reaching_defs(name, at) {
                        Some(reaching) if before.len() > 1 => {
                            reaching.into_iter().map(|i| &defs[i]).collect()
                        }
                        _ => before,
                    }
                } else {
                    Vec::new()
                };
                let chosen = if before.is_empty() {
                    defs.iter().collect()
                } else {
                    before
                };
                return Lookup::Defs(chosen, scope.kind, index);
            }
        }
        Lookup::Unbound
    }

    /// The dotted qualified name an expression refers to, resolved through imports and
    /// aliases, and through the names project modules re-export (`from billing import S`,
    /// then `S.create` is `stripe.checkout.Session.create` when `billing` binds `S` to
    /// Stripe's class). Names we cannot resolve stand for themselves, so `stripe` bound by
    /// an opaque local still reads as `stripe`: a call site is never lost to a fancy
    /// binding.
    pub fn qualname(&self, expr: &Expr, at: usize) -> Option<String> {
        let qualname = self.qualname_depth(expr, at, 0)?;
        let qualname = self.through_star_imports(expr, at, qualname);
        if self.reexports.is_empty() || self.root_is_param(expr, at) {
            return Some(qualname);
        }
        Some(self.through_reexports(qualname))
    }

    /// `qualname` with a name a project module re-exports replaced by what it stands for.
    /// A name for a project module may lead to another re-export (`deps.pay.S`, with `pay`
    /// for `app.payments`), so this repeats, a few times at most.
    pub fn through_reexports(&self, mut qualname: String) -> String {
        'replaced: for _ in 0..8 {
            let mut prefix = qualname.as_str();
            while let Some((head, _)) = prefix.rsplit_once('.') {
                if let Some(target) = self.reexports.get(prefix) {
                    qualname = format!("{target}{}", &qualname[prefix.len()..]);
                    continue 'replaced;
                }
                prefix = head;
            }
            break;
        }
        qualname
    }

    /// A name no scope binds, in a module with star imports (`from stripe.checkout import
    /// *`, then `Session.create`): read from the last star-imported module known to give it
    /// a meaning (Stripe's class, or a name a project module re-exports). Failing that, a
    /// create method called on it is read from the last star-imported project module, so
    /// that it is noted as a project callee and the re-export pass may resolve it later. A
    /// project module cannot hide a Stripe meaning this way: which names it binds is not
    /// known yet, and a site is not given up on a guess. Builtins and the rest stand for
    /// themselves, as before.
    fn through_star_imports(&self, expr: &Expr, at: usize, qualname: String) -> String {
        let Some(module_scope) = self.scopes.first() else {
            return qualname;
        };
        if module_scope.star_imports.is_empty() {
            return qualname;
        }
        let mut root = expr;
        while let Expr::Attribute(attr) = root {
            root = &attr.value;
        }
        let Expr::Name(name) = root else {
            return qualname;
        };
        if !matches!(self.lookup(name.id.as_str(), at), Lookup::Unbound) {
            return qualname;
        }
        let python = &shapes().python;
        let candidates: Vec<(bool, String)> = module_scope
            .star_imports
            .iter()
            .rev()
            .map(|star| {
                let module = self.absolute(star);
                let in_project = self.project_modules.contains(&module);
                (in_project, format!("{module}.{qualname}"))
            })
            .collect();
        let known = candidates.iter().find(|(in_project, candidate)| {
            if *in_project {
                self.through_reexports(candidate.clone()) != *candidate
            } else {
                candidate.split('.').next() == Some(python.sdk_module.as_str())
                    && (python.resource_create(candidate).is_some()
                        || python.session_classes.contains(candidate))
            }
        });
        if let Some((_, candidate)) = known {
            return candidate.clone();
        }
        let method = qualname.rsplit_once('.').map(|(_, method)| method);
        let creates = method.is_some_and(|m| python.create_methods.iter().any(|c| c == m));
        candidates
            .into_iter()
            .find(|(in_project, _)| *in_project && creates)
            .map_or(qualname, |(_, candidate)| candidate)
    }

    /// Whether the name an attribute chain starts from is a parameter (`def f(billing)`),
    /// which stands for itself and never for a module of the same name.
    fn root_is_param(&self, expr: &Expr, at: usize) -> bool {
        let mut root = expr;
        while let Expr::Attribute(attr) = root {
            root = &attr.value;
        }
        matches!(root, Expr::Name(name) if matches!(self.lookup(name.id.as_str(), at), Lookup::Param(..)))
    }

    /// Whether the name (or call) an attribute chain or a call starts from is a test
    /// double: `stripe` after `stripe = MagicMock()`, so `stripe.checkout.Session.create(..)`
    /// and `stripe.checkout.sessions.create(..)` call a mock, not Stripe.
    pub fn root_is_test_double(&self, expr: &Expr, at: usize) -> bool {
        let mut root = expr;
        while let Expr::Attribute(attr) = root {
            root = &attr.value;
        }
        match root {
            Expr::Name(_) | Expr::Call(_) => self.is_test_double(root, at, 0),
            _ => false,
        }
    }

    /// Whether an expression's value is a test double: what a mock constructor or patcher
    /// of `shapes` returns (`MagicMock()`, `mocker.patch(..)`, the target of `with
    /// patch(..) as m`), an instance of a class a test module defines (`FakeStripe()`), or
    /// a name bound to one of these.
    fn is_test_double(&self, expr: &Expr, at: usize, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        match expr {
            Expr::Call(call) => {
                let doubles = &shapes().python.test_doubles;
                if self
                    .qualname_depth(&call.func, at, depth + 1)
                    .is_some_and(|q| doubles.contains(&q))
                {
                    return true;
                }
                let Expr::Name(name) = call.func.as_ref() else {
                    return false;
                };
                self.is_test_module()
                    && matches!(self.lookup(name.id.as_str(), at),
                        Lookup::Defs(defs, _, _) if matches!(defs.last(), Some(Def::Class { .. })))
            }
            // A double on every path the name may have come by.
            Expr::Name(name) => match self.lookup(name.id.as_str(), at) {
                Lookup::Defs(defs, _, index) => {
                    let held = self.bindings_held(&defs, index);
                    !held.is_empty()
                        && held.iter().all(|d| {
                            matches!(d, Def::Assign { value, offset }
                                if self.is_test_double(value, *offset, depth + 1))
                        })
                }
                _ => false,
            },
            _ => false,
        }
    }

    /// Of the definitions `lookup` found for a name in the scope at `index`, those it may
    /// hold: in a module, the last one made directly in its body and any made after it
    /// (under an `if`, in a `try`); in a function, the ones that reach (`lookup`'s).
    pub(super) fn bindings_held<'d>(
        &self,
        defs: &'d [&'s Def<'a>],
        index: usize,
    ) -> &'d [&'s Def<'a>] {
        let scope = &self.scopes[index];
        let first = defs
            .iter()
            .rposition(|d| scope.is_unconditional(d))
            .unwrap_or(0);
        &defs[first..]
    }

    /// Whether this file is a test module by pytest's and unittest's conventions
    /// (`tests/…`, `test_*.py`, `*_test.py`, `conftest.py`), where a class is a fake.
    fn is_test_module(&self) -> bool {
        self.module.split('.').any(|part| {
            matches!(part, "test" | "tests" | "testing" | "conftest")
                || part.starts_with("test_")
                || part.ends_with("_test")
                || part.ends_with("_tests")
        })
    }

    pub(super) fn qualname_depth(&self, expr: &Expr, at: usize, depth: usize) -> Option<String> {
        if depth > MAX_DEPTH {
            return None;
        }
        if let Some(resource) = self.stripe_receiver(expr, depth + 1) {
            return Some(resource);
        }
        match expr {
            Expr::Name(name) => {
                let id = name.id.as_str();
                match self.lookup(id, at) {
                    Lookup::Defs(defs, kind, index) => {
                        // The binding the name may hold: the last one, or a conditional one
                        // after the last unconditional binding of a module. A test double
                        // names nothing, whatever it is called; a name that is a double on
                        // one path only (`if TESTING: stripe = MagicMock()`) names what it
                        // is on the others.
                        let held = self.bindings_held(&defs, index);
                        let def = held.iter().rev().find(|d| {
                            !matches!(d, Def::Assign { value, offset }
                                if self.is_test_double(value, *offset, depth + 1))
                        })?;
                        match def {
                            Def::Import { qualname, .. } => Some(self.absolute(qualname)),
                            Def::Assign { value, offset } => self
                                .qualname_depth(value, *offset, depth + 1)
                                .or_else(|| Some(id.to_string())),
                            Def::Class {
                                offset,
                                bases,
                                body,
                            } => self
                                .stripe_base(bases, body, *offset, depth + 1)
                                .or_else(|| {
                                    Some(match kind {
                                        ScopeKind::Module => format!("{}.{id}", self.module),
                                        _ => id.to_string(),
                                    })
                                }),
                            Def::Function { .. } if kind == ScopeKind::Module => {
                                Some(format!("{}.{id}", self.module))
                            }
                            _ => Some(id.to_string()),
                        }
                    }
                    _ => Some(id.to_string()),
                }
            }
            Expr::Attribute(attr) => {
                if let Some(found) = self.class_attribute(attr) {
                    return found
                        .resolver
                        .qualname_depth(found.value, found.offset, depth + 1);
                }
                self.qualname_depth(&attr.value, at, depth + 1)
                    .map(|q| format!("{q}.{}", attr.attr.id))
            }
            // `OPS["create"]`, where `OPS` holds a dict literal: the value under that key.
            Expr::Subscript(subscript) => {
                let (Expr::Name(name), Expr::StringLiteral(key)) =
                    (subscript.value.as_ref(), subscript.slice.as_ref())
                else {
                    return None;
                };
                let Lookup::Defs(defs, _, index) = self.lookup(name.id.as_str(), at) else {
                    return None;
                };
                // A dict the code changes may hold anything under the key by then.
                if self.scopes[index].mutations.contains_key(name.id.as_str()) {
                    return None;
                }
                let [Def::Assign {
                    value: Expr::Dict(dict),
                    offset,
                }] = self.bindings_held(&defs, index)
                else {
                    return None;
                };
                let key = key.value.to_str();
                let item = dict.items.iter().rev().find(|item| {
                    matches!(&item.key, Some(Expr::StringLiteral(k)) if k.value.to_str() == key)
                })?;
                self.qualname_depth(&item.value, *offset, depth + 1)
            }
            // `getattr(obj, "name")` with a literal name is `obj.name` (the builtin only:
            // a module that binds `getattr` means its own).
            Expr::Call(call) => {
                let Expr::Name(func) = call.func.as_ref() else {
                    return None;
                };
                let builtin = func.id.as_str() == "getattr"
                    && matches!(self.lookup("getattr", at), Lookup::Unbound);
                let [object, Expr::StringLiteral(name)] = &call.arguments.args[..] else {
                    return None;
                };
                if !builtin || !call.arguments.keywords.is_empty() {
                    return None;
                }
                self.qualname_depth(object, at, depth + 1)
                    .map(|q| format!("{q}.{}", name.value.to_str()))
            }
            _ => None,
        }
    }
}

/// Collapses runs of whitespace (newlines in multi-line expressions) to one space.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else {
            out.push(c);
            last_space = false;
        }
    }
    out.trim().replace("( ", "(").replace(" )", ")")
}
