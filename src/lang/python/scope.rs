//! Name bindings of one Python scope (module or function), collected before the scope's
//! calls are examined, so that a late `import stripe` or a `params["expires_at"] = ...`
//! anywhere in the function is known when the call is judged.
//!
//! Nested function, class and lambda bodies are separate scopes and are not entered.

use std::collections::HashMap;

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

use crate::shapes::shapes;

/// How a name got its value in a scope.
#[derive(Clone, Debug)]
pub enum Def<'a> {
    /// `import x.y` / `from x import y as z`: the absolute qualified name.
    Import {
        qualname: String,
        offset: usize,
    },
    /// `name = value` (also annotated and walrus assignments, and `with v as name`).
    Assign {
        value: &'a Expr,
        offset: usize,
    },
    /// `def name` / `class name` in this scope.
    Function {
        offset: usize,
    },
    Class {
        offset: usize,
    },
    /// Anything else: loop targets, unpacking, `except ... as`, augmented assignment.
    Other {
        offset: usize,
        what: &'static str,
    },
}

impl Def<'_> {
    pub fn offset(&self) -> usize {
        match self {
            Def::Import { offset, .. }
            | Def::Assign { offset, .. }
            | Def::Function { offset }
            | Def::Class { offset }
            | Def::Other { offset, .. } => *offset,
        }
    }
}

/// A change to a mapping held in a variable, after it was bound.
#[derive(Clone, Debug)]
pub enum Mutation<'a> {
    /// `m["key"] = value`
    SetItem {
        key: String,
        value: &'a Expr,
        offset: usize,
    },
    /// `m.update(...)`, `m |= {...}`, `m.setdefault(k, v)`: the arguments are a mapping.
    Update {
        args: &'a ast::Arguments,
        offset: usize,
    },
    MergeWith {
        other: &'a Expr,
        offset: usize,
    },
    /// Anything we cannot follow: a computed key, the mapping handed to another function.
    Opaque {
        offset: usize,
        what: String,
    },
}

impl Mutation<'_> {
    pub fn offset(&self) -> usize {
        match self {
            Mutation::SetItem { offset, .. }
            | Mutation::Update { offset, .. }
            | Mutation::MergeWith { offset, .. }
            | Mutation::Opaque { offset, .. } => *offset,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamKind {
    /// Positional-or-keyword (or positional-only) parameter at this position.
    Positional(usize),
    KeywordOnly,
    VarArgs,
    Kwargs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeKind {
    Module,
    Function,
    Class,
}

/// The bindings of one scope.
#[derive(Debug)]
pub struct Scope<'a> {
    pub kind: ScopeKind,
    /// `Class.method`, `outer.<locals>.inner`, or `<module>`.
    pub qualname: String,
    /// True for a function defined directly at module level (a possible wrapper).
    pub is_module_function: bool,
    pub params: Vec<(String, ParamKind)>,
    pub defs: HashMap<&'a str, Vec<Def<'a>>>,
    pub mutations: HashMap<&'a str, Vec<Mutation<'a>>>,
    /// The modules `from M import *` imports everything from (only a module may), as
    /// written (`..billing` is relative), in order.
    pub star_imports: Vec<String>,
    /// Where the bindings made directly in a module's body are (not inside an `if`, `try`,
    /// loop, `with` or `match`), ascending: such a binding, last, is the name's final one.
    unconditional: Vec<usize>,
    /// How deep in compound statements collection is.
    nesting: u32,
}

/// Functions whose receiving a mapping cannot add `expires_at` to it.
const PURE_CONSUMERS: &[&str] = &[
    "print",
    "len",
    "repr",
    "str",
    "dict",
    "list",
    "sorted",
    "json.dumps",
    "debug",
    "info",
    "warning",
    "error",
    "exception",
    "critical",
    "log",
];

impl<'a> Scope<'a> {
    pub fn module(body: &'a [Stmt]) -> Self {
        let mut scope = Scope {
            kind: ScopeKind::Module,
            qualname: "<module>".into(),
            is_module_function: false,
            params: Vec::new(),
            defs: HashMap::new(),
            mutations: HashMap::new(),
            star_imports: Vec::new(),
            unconditional: Vec::new(),
            nesting: 0,
        };
        scope.collect_body(body);
        scope
    }

    pub fn function(
        func: &'a ast::StmtFunctionDef,
        qualname: String,
        is_module_function: bool,
    ) -> Self {
        let mut scope = Scope {
            kind: ScopeKind::Function,
            qualname,
            is_module_function,
            params: Vec::new(),
            defs: HashMap::new(),
            mutations: HashMap::new(),
            star_imports: Vec::new(),
            unconditional: Vec::new(),
            nesting: 0,
        };
        let p = &func.parameters;
        for (i, param) in p.posonlyargs.iter().chain(p.args.iter()).enumerate() {
            scope.params.push((
                param.parameter.name.id.to_string(),
                ParamKind::Positional(i),
            ));
        }
        if let Some(v) = &p.vararg {
            scope
                .params
                .push((v.name.id.to_string(), ParamKind::VarArgs));
        }
        for param in &p.kwonlyargs {
            scope
                .params
                .push((param.parameter.name.id.to_string(), ParamKind::KeywordOnly));
        }
        if let Some(k) = &p.kwarg {
            scope
                .params
                .push((k.name.id.to_string(), ParamKind::Kwargs));
        }
        scope.collect_body(&func.body);
        scope
    }

    pub fn lambda(lambda: &'a ast::ExprLambda, qualname: String) -> Self {
        let mut scope = Scope {
            kind: ScopeKind::Function,
            qualname,
            is_module_function: false,
            params: Vec::new(),
            defs: HashMap::new(),
            mutations: HashMap::new(),
            star_imports: Vec::new(),
            unconditional: Vec::new(),
            nesting: 0,
        };
        if let Some(p) = &lambda.parameters {
            for (i, param) in p.posonlyargs.iter().chain(p.args.iter()).enumerate() {
                scope.params.push((
                    param.parameter.name.id.to_string(),
                    ParamKind::Positional(i),
                ));
            }
            if let Some(k) = &p.kwarg {
                scope
                    .params
                    .push((k.name.id.to_string(), ParamKind::Kwargs));
            }
        }
        scope
    }

    pub fn class(qualname: String) -> Self {
        Scope {
            kind: ScopeKind::Class,
            qualname,
            is_module_function: false,
            params: Vec::new(),
            defs: HashMap::new(),
            mutations: HashMap::new(),
            star_imports: Vec::new(),
            unconditional: Vec::new(),
            nesting: 0,
        }
    }

    pub fn param(&self, name: &str) -> Option<ParamKind> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, kind)| *kind)
    }

    fn define(&mut self, name: &'a str, def: Def<'a>) {
        if self.nesting == 0 && self.kind == ScopeKind::Module {
            self.unconditional.push(def.offset());
        }
        self.defs.entry(name).or_default().push(def);
    }

    fn mutate(&mut self, name: &'a str, mutation: Mutation<'a>) {
        self.mutations.entry(name).or_default().push(mutation);
    }

    /// Whether `def` is a binding made directly in the module's body: the name's final
    /// binding when no later one follows.
    pub fn is_unconditional(&self, def: &Def) -> bool {
        self.unconditional.binary_search(&def.offset()).is_ok()
    }

    /// The body of a compound statement, which may run or not, or more than once.
    fn collect_nested(&mut self, body: &'a [Stmt]) {
        self.nesting += 1;
        self.collect_body(body);
        self.nesting -= 1;
    }

    fn collect_body(&mut self, body: &'a [Stmt]) {
        for stmt in body {
            self.collect_stmt(stmt);
        }
    }

    fn collect_stmt(&mut self, stmt: &'a Stmt) {
        let offset = stmt.start().to_usize();
        match stmt {
            Stmt::FunctionDef(f) => self.define(f.name.id.as_str(), Def::Function { offset }),
            Stmt::ClassDef(c) => self.define(c.name.id.as_str(), Def::Class { offset }),
            Stmt::Import(import) => {
                for alias in &import.names {
                    let full = alias.name.id.as_str();
                    match &alias.asname {
                        Some(asname) => self.define(
                            asname.id.as_str(),
                            Def::Import {
                                qualname: full.to_string(),
                                offset,
                            },
                        ),
                        None => {
                            // `import a.b.c` binds `a`.
                            let first = full.split('.').next().unwrap_or(full);
                            let first = &alias.name.id.as_str()[..first.len()];
                            self.define(
                                first,
                                Def::Import {
                                    qualname: first.to_string(),
                                    offset,
                                },
                            );
                        }
                    }
                }
            }
            // Relative `from` imports are made absolute by the caller (it knows the module).
            Stmt::ImportFrom(import) => {
                for alias in &import.names {
                    let module = import.module.as_ref().map_or("", |m| m.id.as_str());
                    let dots = ".".repeat(import.level as usize);
                    if alias.name.id.as_str() == "*" {
                        self.star_imports.push(format!("{dots}{module}"));
                        // Stripe's modules bind known names (`Session`), here, in order: an
                        // import of `Session` before it is overridden, one after it wins,
                        // and a fallback (`except ImportError: Session = None`) is one more
                        // binding. Which names a project module binds is not known yet.
                        if import.level == 0 {
                            for name in shapes().python.names_under(module) {
                                if !name.starts_with('_') {
                                    let qualname = format!("{module}.{name}");
                                    self.define(name, Def::Import { qualname, offset });
                                }
                            }
                        }
                        continue;
                    }
                    let bound = alias.asname.as_ref().unwrap_or(&alias.name).id.as_str();
                    let qualname = if module.is_empty() {
                        format!("{dots}{}", alias.name.id)
                    } else {
                        format!("{dots}{module}.{}", alias.name.id)
                    };
                    self.define(bound, Def::Import { qualname, offset });
                }
            }
            Stmt::Assign(assign) => {
                for target in &assign.targets {
                    self.collect_target(target, Some(&assign.value), offset);
                }
                self.collect_expr_uses(&assign.value);
            }
            Stmt::AnnAssign(assign) => {
                if let Some(value) = &assign.value {
                    self.collect_target(&assign.target, Some(value), offset);
                    self.collect_expr_uses(value);
                }
            }
            Stmt::AugAssign(aug) => {
                if let Expr::Name(name) = aug.target.as_ref() {
                    if matches!(aug.op, ast::Operator::BitOr) {
                        self.mutate(
                            name.id.as_str(),
                            Mutation::MergeWith {
                                other: &aug.value,
                                offset,
                            },
                        );
                    } else {
                        self.define(
                            name.id.as_str(),
                            Def::Other {
                                offset,
                                what: "an augmented assignment",
                            },
                        );
                    }
                }
            }
            Stmt::For(f) => {
                self.collect_target(&f.target, None, offset);
                self.collect_nested(&f.body);
                self.collect_nested(&f.orelse);
            }
            Stmt::While(w) => {
                self.collect_nested(&w.body);
                self.collect_nested(&w.orelse);
            }
            Stmt::If(i) => {
                self.collect_expr_uses(&i.test);
                self.collect_nested(&i.body);
                for clause in &i.elif_else_clauses {
                    self.collect_nested(&clause.body);
                }
            }
            Stmt::With(w) => {
                for item in &w.items {
                    if let Some(var) = &item.optional_vars {
                        self.collect_target(var, Some(&item.context_expr), offset);
                    }
                }
                self.collect_nested(&w.body);
            }
            Stmt::Try(t) => {
                self.collect_nested(&t.body);
                for handler in &t.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = handler;
                    if let Some(name) = &h.name {
                        self.define(
                            name.id.as_str(),
                            Def::Other {
                                offset,
                                what: "an `except ... as` clause",
                            },
                        );
                    }
                    self.collect_nested(&h.body);
                }
                self.collect_nested(&t.orelse);
                self.collect_nested(&t.finalbody);
            }
            Stmt::Match(m) => {
                for case in &m.cases {
                    self.collect_nested(&case.body);
                }
            }
            Stmt::Expr(e) => self.collect_expr_uses(&e.value),
            Stmt::Delete(d) => {
                for target in &d.targets {
                    if let Expr::Subscript(sub) = target {
                        if let Expr::Name(name) = sub.value.as_ref() {
                            self.mutate(
                                name.id.as_str(),
                                Mutation::Opaque {
                                    offset,
                                    what: format!("an item is deleted from `{}`", name.id),
                                },
                            );
                        }
                    }
                }
            }
            Stmt::Return(r) => {
                if let Some(v) = &r.value {
                    self.collect_expr_uses(v);
                }
            }
            _ => {}
        }
    }

    fn collect_target(&mut self, target: &'a Expr, value: Option<&'a Expr>, offset: usize) {
        match target {
            Expr::Name(name) => match value {
                Some(value) => self.define(name.id.as_str(), Def::Assign { value, offset }),
                None => self.define(
                    name.id.as_str(),
                    Def::Other {
                        offset,
                        what: "a loop variable",
                    },
                ),
            },
            Expr::Subscript(sub) => {
                if let Expr::Name(name) = sub.value.as_ref() {
                    let mutation = match (sub.slice.as_ref(), value) {
                        (Expr::StringLiteral(key), Some(value)) => Mutation::SetItem {
                            key: key.value.to_str().to_string(),
                            value,
                            offset,
                        },
                        _ => Mutation::Opaque {
                            offset,
                            what: format!("an item with a computed key is set on `{}`", name.id),
                        },
                    };
                    self.mutate(name.id.as_str(), mutation);
                }
            }
            Expr::Tuple(t) => {
                for elt in &t.elts {
                    self.collect_target(elt, None, offset);
                }
            }
            Expr::List(l) => {
                for elt in &l.elts {
                    self.collect_target(elt, None, offset);
                }
            }
            Expr::Starred(s) => self.collect_target(&s.value, None, offset),
            _ => {}
        }
    }

    /// Records method calls on names (`m.update(...)`) and names handed to other functions,
    /// which may add keys to a mapping behind our back. Walrus targets are definitions.
    fn collect_expr_uses(&mut self, expr: &'a Expr) {
        let mut stack = vec![expr];
        while let Some(expr) = stack.pop() {
            match expr {
                Expr::Call(call) => {
                    let offset = call.start().to_usize();
                    if let Expr::Attribute(attr) = call.func.as_ref() {
                        if let Expr::Name(name) = attr.value.as_ref() {
                            match attr.attr.id.as_str() {
                                "update" | "setdefault" => self.mutate(
                                    name.id.as_str(),
                                    Mutation::Update {
                                        args: &call.arguments,
                                        offset,
                                    },
                                ),
                                "pop" | "popitem" | "clear" => self.mutate(
                                    name.id.as_str(),
                                    Mutation::Opaque {
                                        offset,
                                        what: format!("items are removed from `{}`", name.id),
                                    },
                                ),
                                "get" | "items" | "keys" | "values" | "copy" => {}
                                _ => {}
                            }
                        }
                    }
                    // `f(**m)` copies the mapping; only `f(m)` / `f(key=m)` hand it over.
                    let keyword_values = call
                        .arguments
                        .keywords
                        .iter()
                        .filter(|k| k.arg.is_some())
                        .map(|k| &k.value);
                    let handed_over: Vec<&ast::ExprName> = call
                        .arguments
                        .args
                        .iter()
                        .chain(keyword_values)
                        .filter_map(|arg| arg.as_name_expr())
                        .collect();
                    // The callee's text is only needed when a name is handed over: most calls
                    // hand over none, and this runs for every call of every candidate file.
                    if !handed_over.is_empty() {
                        let callee = callee_text(&call.func);
                        if !is_pure_consumer(&callee) {
                            for name in handed_over {
                                self.mutate(
                                    name.id.as_str(),
                                    Mutation::Opaque {
                                        offset,
                                        what: format!("`{}` is passed to `{callee}()`", name.id),
                                    },
                                );
                            }
                        }
                    }
                    stack.push(&call.func);
                    stack.extend(call.arguments.args.iter());
                    stack.extend(call.arguments.keywords.iter().map(|k| &k.value));
                }
                Expr::Named(named) => {
                    if let Expr::Name(name) = named.target.as_ref() {
                        self.define(
                            name.id.as_str(),
                            Def::Assign {
                                value: &named.value,
                                offset: named.start().to_usize(),
                            },
                        );
                    }
                    stack.push(&named.value);
                }
                Expr::Await(a) => stack.push(&a.value),
                Expr::Attribute(a) => stack.push(&a.value),
                Expr::BinOp(b) => {
                    stack.push(&b.left);
                    stack.push(&b.right);
                }
                Expr::If(i) => {
                    stack.push(&i.test);
                    stack.push(&i.body);
                    stack.push(&i.orelse);
                }
                Expr::BoolOp(b) => stack.extend(b.values.iter()),
                Expr::Compare(c) => {
                    stack.push(&c.left);
                    stack.extend(c.comparators.iter());
                }
                Expr::Tuple(t) => stack.extend(t.elts.iter()),
                Expr::List(l) => stack.extend(l.elts.iter()),
                Expr::Dict(d) => stack.extend(d.items.iter().map(|i| &i.value)),
                _ => {}
            }
        }
    }
}

/// `print`, `json.dumps`, or any of them reached through a dotted prefix (`x.print`).
fn is_pure_consumer(callee: &str) -> bool {
    PURE_CONSUMERS.iter().any(|p| {
        callee == *p
            || callee
                .strip_suffix(p)
                .is_some_and(|prefix| prefix.ends_with('.'))
    })
}

/// The dotted text of a callee (`logger.info`), or `<call>` for anything else.
pub fn callee_text(expr: &Expr) -> String {
    match expr {
        Expr::Name(n) => n.id.to_string(),
        Expr::Attribute(a) => format!("{}.{}", callee_text(&a.value), a.attr.id),
        _ => "<call>".into(),
    }
}
