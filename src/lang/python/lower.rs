//! Resolution inside one Python file: qualified names of callees, `Term`s for values and
//! what a mapping (`**params`, `params=`) says about its `expires_at` key.
//!
//! Everything here is local to the file; references to other modules stay symbolic
//! (`Term::Symbol`, `Term::Module`) for `analysis::` to follow.

use std::collections::{HashMap, HashSet};

use ruff_python_ast::{self as ast, Expr, Number};
use ruff_text_size::Ranged;

use super::scope::{Def, Mutation, ParamKind, Scope, ScopeKind};
use crate::facts::{BinaryOp, Forwarding, Language, ModuleSet, SymbolRef, Term};
use crate::shapes::shapes;

/// How deep lowering may follow names and nested expressions before giving up.
const MAX_DEPTH: usize = 24;

/// Whether a top-level module is one a call shape starts from: the SDK's (`stripe`), or an
/// HTTP client library a raw POST goes through.
pub fn is_shape_root(module: &str) -> bool {
    let python = &shapes().python;
    module == python.sdk_module || python.http_modules.iter().any(|m| m == module)
}

/// The name of the create parameter a mapping is searched for (`expires_at`).
pub fn expires_at_param() -> &'static str {
    &shapes().expires_at_param
}

/// What a mapping says about `expires_at`.
#[derive(Clone, Debug, PartialEq)]
pub enum MapResult {
    Present {
        term: Term,
        text: String,
    },
    Absent,
    Unknown(String),
    Forwarded(Forwarding),
    Helper {
        callee: SymbolRef,
        args: Vec<Term>,
        kwargs: Vec<(String, Term)>,
    },
}

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
                    defs.iter().filter(|d| d.offset() < at).collect()
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

    fn qualname_depth(&self, expr: &Expr, at: usize, depth: usize) -> Option<String> {
        if depth > MAX_DEPTH {
            return None;
        }
        match expr {
            Expr::Name(name) => {
                let id = name.id.as_str();
                match self.lookup(id, at) {
                    Lookup::Defs(defs, kind, _) => {
                        let def = defs.last()?;
                        match def {
                            Def::Import { qualname, .. } => Some(self.absolute(qualname)),
                            Def::Assign { value, offset } => self
                                .qualname_depth(value, *offset, depth + 1)
                                .or_else(|| Some(id.to_string())),
                            Def::Function { .. } | Def::Class { .. }
                                if kind == ScopeKind::Module =>
                            {
                                Some(format!("{}.{id}", self.module))
                            }
                            _ => Some(id.to_string()),
                        }
                    }
                    _ => Some(id.to_string()),
                }
            }
            Expr::Attribute(attr) => self
                .qualname_depth(&attr.value, at, depth + 1)
                .map(|q| format!("{q}.{}", attr.attr.id)),
            _ => None,
        }
    }

    /// Lowers a value expression into a `Term`.
    pub fn lower(&self, expr: &Expr, at: usize) -> Term {
        let mut seen = HashSet::new();
        self.lower_depth(expr, at, 0, &mut seen)
    }

    fn lower_depth(
        &self,
        expr: &Expr,
        at: usize,
        depth: usize,
        seen: &mut HashSet<(String, usize)>,
    ) -> Term {
        if depth > MAX_DEPTH {
            return Term::Opaque(format!(
                "`{}` is nested too deeply to follow",
                self.text(expr)
            ));
        }
        let next = depth + 1;
        match expr {
            Expr::NumberLiteral(n) => match &n.value {
                Number::Int(i) => i
                    .as_i64()
                    .map(|v| Term::Int(v as i128))
                    .unwrap_or_else(|| Term::Opaque("an integer too large to fold".into())),
                Number::Float(_) => Term::Float,
                Number::Complex { .. } => Term::Opaque("a complex number".into()),
            },
            Expr::StringLiteral(s) => Term::Str(s.value.to_str().to_string()),
            Expr::Name(name) => self.lower_name(name, at, next, seen),
            Expr::Attribute(attr) => {
                let receiver = self.lower_depth(&attr.value, at, next, seen);
                attribute(receiver, attr.attr.id.as_str(), self.project_modules)
            }
            Expr::Call(call) => {
                let callee = self.lower_depth(&call.func, at, next, seen);
                let args = call
                    .arguments
                    .args
                    .iter()
                    .map(|a| match a {
                        Expr::Starred(_) => Term::Opaque("a `*args` argument".into()),
                        a => self.lower_depth(a, at, next, seen),
                    })
                    .collect();
                let mut kwargs = Vec::new();
                for kw in call.arguments.keywords.iter() {
                    let value = self.lower_depth(&kw.value, at, next, seen);
                    match &kw.arg {
                        Some(arg) => kwargs.push((arg.id.to_string(), value)),
                        None => {
                            kwargs.push(("**".into(), Term::Opaque("a `**kwargs` argument".into())))
                        }
                    }
                }
                match callee {
                    Term::Attr { receiver, attr } => Term::Method {
                        receiver,
                        method: attr,
                        args,
                    },
                    callee => Term::Call {
                        callee: Box::new(callee),
                        args,
                        kwargs,
                    },
                }
            }
            Expr::BinOp(b) => {
                let op = match b.op {
                    ast::Operator::Add => BinaryOp::Add,
                    ast::Operator::Sub => BinaryOp::Sub,
                    ast::Operator::Mult => BinaryOp::Mul,
                    ast::Operator::Div => BinaryOp::Div,
                    ast::Operator::FloorDiv => BinaryOp::FloorDiv,
                    _ => BinaryOp::Other,
                };
                Term::Binary {
                    op,
                    left: Box::new(self.lower_depth(&b.left, at, next, seen)),
                    right: Box::new(self.lower_depth(&b.right, at, next, seen)),
                }
            }
            Expr::UnaryOp(u) => {
                let inner = self.lower_depth(&u.operand, at, next, seen);
                match u.op {
                    ast::UnaryOp::USub => Term::Neg(Box::new(inner)),
                    ast::UnaryOp::UAdd => inner,
                    _ => Term::Opaque(format!("`{}`", self.text(expr))),
                }
            }
            Expr::If(i) => Term::OneOf(vec![
                self.lower_depth(&i.body, at, next, seen),
                self.lower_depth(&i.orelse, at, next, seen),
            ]),
            Expr::BoolOp(b) => Term::OneOf(
                b.values
                    .iter()
                    .map(|v| self.lower_depth(v, at, next, seen))
                    .collect(),
            ),
            Expr::Await(a) => self.lower_depth(&a.value, at, next, seen),
            Expr::Named(n) => self.lower_depth(&n.value, at, next, seen),
            _ => Term::Opaque(format!("`{}`", self.text(expr))),
        }
    }

    fn lower_name(
        &self,
        name: &ast::ExprName,
        at: usize,
        depth: usize,
        seen: &mut HashSet<(String, usize)>,
    ) -> Term {
        let id = name.id.as_str();
        match self.lookup(id, at) {
            Lookup::Param(..) => Term::Param(id.to_string()),
            Lookup::Unbound => Term::External(id.to_string()),
            Lookup::Defs(defs, kind, _) => {
                if kind == ScopeKind::Module {
                    // Module-level names stay symbolic so the project index can tell the
                    // shared constant from a shadow of it.
                    let def = defs.last().copied();
                    return match def {
                        Some(Def::Import { qualname, .. }) => self.import_term(qualname),
                        _ => Term::Symbol(SymbolRef {
                            language: Language::Python,
                            module: self.module.to_string(),
                            name: id.to_string(),
                        }),
                    };
                }
                let mut terms = Vec::new();
                for def in defs {
                    let key = (id.to_string(), def.offset());
                    if !seen.insert(key.clone()) {
                        terms.push(Term::Opaque(format!(
                            "`{id}` is defined in terms of itself"
                        )));
                        continue;
                    }
                    let term = match def {
                        Def::Import { qualname, .. } => self.import_term(qualname),
                        Def::Assign { value, offset } => {
                            self.lower_depth(value, *offset, depth, seen)
                        }
                        Def::Function { .. } => Term::Opaque(format!("`{id}` is a local function")),
                        Def::Class { .. } => Term::Opaque(format!("`{id}` is a local class")),
                        Def::Other { what, .. } => {
                            Term::Opaque(format!("`{id}` is bound by {what}"))
                        }
                    };
                    seen.remove(&key);
                    terms.push(term);
                }
                if terms.len() == 1 {
                    terms.pop().unwrap_or_else(|| Term::Opaque(String::new()))
                } else {
                    Term::OneOf(terms)
                }
            }
        }
    }

    /// What the mapping expression says about its `expires_at` key.
    pub fn mapping(&self, expr: &Expr, at: usize) -> MapResult {
        self.mapping_depth(expr, at, 0)
    }

    fn mapping_depth(&self, expr: &Expr, at: usize, depth: usize) -> MapResult {
        if depth > MAX_DEPTH {
            return MapResult::Unknown(format!("`{}` is nested too deeply", self.text(expr)));
        }
        let next = depth + 1;
        match expr {
            Expr::Dict(dict) => {
                let mut state = MapResult::Absent;
                for item in &dict.items {
                    let item_result = match &item.key {
                        Some(Expr::StringLiteral(key)) => {
                            if key.value.to_str() == expires_at_param() {
                                self.present(&item.value, item.value.start().to_usize())
                            } else {
                                MapResult::Absent
                            }
                        }
                        Some(other) => MapResult::Unknown(format!(
                            "a key computed at run time (`{}`)",
                            self.text(other)
                        )),
                        None => self.mapping_depth(&item.value, at, next),
                    };
                    state = merge(state, item_result);
                }
                state
            }
            Expr::Call(call) => {
                let qualname = self.qualname(&call.func, at);
                if qualname.as_deref() == Some("dict") {
                    let mut state = MapResult::Absent;
                    if let Some(first) = call.arguments.args.first() {
                        state = self.mapping_depth(first, at, next);
                    }
                    return merge(state, self.keywords(&call.arguments, at, next));
                }
                if let Term::Symbol(callee) = self.lower(&call.func, at) {
                    let args = call
                        .arguments
                        .args
                        .iter()
                        .map(|a| self.lower(a, at))
                        .collect();
                    let kwargs = call
                        .arguments
                        .keywords
                        .iter()
                        .filter_map(|k| {
                            Some((k.arg.as_ref()?.id.to_string(), self.lower(&k.value, at)))
                        })
                        .collect();
                    return MapResult::Helper {
                        callee,
                        args,
                        kwargs,
                    };
                }
                MapResult::Unknown(format!("the arguments come from `{}`", self.text(expr)))
            }
            Expr::Name(name) => self.mapping_name(name, at, next),
            Expr::NoneLiteral(_) => MapResult::Absent,
            _ => MapResult::Unknown(format!("the arguments come from `{}`", self.text(expr))),
        }
    }

    /// Keyword arguments of a call, read as a mapping (`expires_at=` or `**m`).
    pub fn keywords(&self, arguments: &ast::Arguments, at: usize, depth: usize) -> MapResult {
        let mut state = MapResult::Absent;
        for kw in arguments.keywords.iter() {
            let result = match &kw.arg {
                Some(arg) if arg.id.as_str() == expires_at_param() => {
                    self.present(&kw.value, kw.value.start().to_usize())
                }
                Some(_) => MapResult::Absent,
                None => self.mapping_depth(&kw.value, at, depth),
            };
            state = merge_keywords(state, result);
        }
        state
    }

    fn present(&self, value: &Expr, at: usize) -> MapResult {
        MapResult::Present {
            term: self.lower(value, at),
            text: self.text(value),
        }
    }

    fn mapping_name(&self, name: &ast::ExprName, at: usize, depth: usize) -> MapResult {
        let id = name.id.as_str();
        match self.lookup(id, at) {
            Lookup::Param(kind, in_current) => {
                if !in_current {
                    return MapResult::Unknown(format!(
                        "the arguments come from `{id}`, a parameter of an enclosing function"
                    ));
                }
                match kind {
                    ParamKind::Kwargs => MapResult::Forwarded(Forwarding::Kwargs),
                    ParamKind::Positional(position) => MapResult::Forwarded(Forwarding::Param {
                        name: id.to_string(),
                        position,
                    }),
                    ParamKind::KeywordOnly => MapResult::Forwarded(Forwarding::Param {
                        name: id.to_string(),
                        position: usize::MAX,
                    }),
                    ParamKind::VarArgs => {
                        MapResult::Unknown(format!("the arguments come from `*{id}`"))
                    }
                }
            }
            Lookup::Unbound => MapResult::Unknown(format!("`{id}` is not defined in this file")),
            Lookup::Defs(defs, kind, index) => {
                let scope = &self.scopes[index];
                let mut combined: Option<MapResult> = None;
                for def in defs {
                    let mut state = match def {
                        Def::Assign { value, offset } => {
                            self.mapping_depth(value, *offset, depth + 1)
                        }
                        Def::Import { .. } => MapResult::Unknown(format!(
                            "the arguments come from `{id}`, imported from another module"
                        )),
                        Def::Other { what, .. } => {
                            MapResult::Unknown(format!("`{id}` is bound by {what}"))
                        }
                        _ => MapResult::Unknown(format!("`{id}` is not a mapping")),
                    };
                    let upto = if kind == ScopeKind::Module && self.scopes.len() > 1 {
                        usize::MAX
                    } else {
                        at
                    };
                    for mutation in scope.mutations.get(id).into_iter().flatten() {
                        let offset = mutation.offset();
                        if offset <= def.offset() || offset >= upto {
                            continue;
                        }
                        let result = match mutation {
                            Mutation::SetItem { key, value, offset } => {
                                if key == expires_at_param() {
                                    self.present(value, *offset)
                                } else {
                                    MapResult::Absent
                                }
                            }
                            Mutation::Update { args, offset } => {
                                let mut r = MapResult::Absent;
                                if let Some(first) = args.args.first() {
                                    r = self.mapping_depth(first, *offset, depth + 1);
                                }
                                merge(r, self.keywords(args, *offset, depth + 1))
                            }
                            Mutation::MergeWith { other, offset } => {
                                self.mapping_depth(other, *offset, depth + 1)
                            }
                            Mutation::Opaque { what, .. } => MapResult::Unknown(what.clone()),
                        };
                        state = merge(state, result);
                    }
                    combined = Some(match combined {
                        None => state,
                        Some(prev) => combine_paths(prev, state),
                    });
                }
                combined.unwrap_or(MapResult::Absent)
            }
        }
    }
}

/// Attribute access on a lowered term.
pub fn attribute(receiver: Term, attr: &str, project_modules: &dyn ModuleSet) -> Term {
    match receiver {
        Term::External(q) => Term::External(format!("{q}.{attr}")),
        Term::Module(m) => {
            let sub = format!("{m}.{attr}");
            if project_modules.contains(&sub) {
                Term::Module(sub)
            } else {
                Term::Symbol(SymbolRef {
                    language: Language::Python,
                    module: m,
                    name: attr.to_string(),
                })
            }
        }
        receiver => Term::Attr {
            receiver: Box::new(receiver),
            attr: attr.to_string(),
        },
    }
}

/// Sequential composition (dict items, `update`, later writes): a later write wins, and a
/// later write we cannot see may overwrite a value set before it.
pub fn merge(state: MapResult, next: MapResult) -> MapResult {
    match (state, next) {
        (_, p @ MapResult::Present { .. }) => p,
        (p @ MapResult::Present { .. }, MapResult::Absent) => p,
        (MapResult::Present { .. }, MapResult::Unknown(why)) => MapResult::Unknown(format!(
            "`{}` is set, but may be overwritten afterwards: {why}",
            expires_at_param()
        )),
        (MapResult::Present { .. }, _) => MapResult::Unknown(format!(
            "`{}` is set, but may be overwritten by a mapping merged in afterwards",
            expires_at_param()
        )),
        (s, MapResult::Absent) => s,
        (u @ MapResult::Unknown(_), _) => u,
        (_, u @ MapResult::Unknown(_)) => u,
        (MapResult::Absent, n) => n,
        (s, _) => s,
    }
}

/// Alternative paths (two definitions reach the call): the weakest answer wins.
fn combine_paths(a: MapResult, b: MapResult) -> MapResult {
    use MapResult::*;
    match (a, b) {
        (u @ Unknown(_), _) | (_, u @ Unknown(_)) => u,
        (Absent, _) | (_, Absent) => Absent,
        (Present { term: t1, text }, Present { term: t2, .. }) => Present {
            term: Term::OneOf(vec![t1, t2]),
            text,
        },
        (a, _) => a,
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

/// Keyword arguments of one call: Python rejects a keyword given twice, so an explicit
/// `expires_at=` cannot be overwritten by a `**mapping` of the same call.
pub fn merge_keywords(state: MapResult, next: MapResult) -> MapResult {
    match (state, next) {
        (p @ MapResult::Present { .. }, _) | (_, p @ MapResult::Present { .. }) => p,
        (s, n) => merge(s, n),
    }
}
