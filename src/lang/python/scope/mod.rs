//! Name bindings of one Python scope (module or function), collected before the scope's
//! calls are examined, so that a late `import stripe` or a `params["expires_at"] = ...`
//! anywhere in the function is known when the call is judged.
//!
//! Nested function, class and lambda bodies are separate scopes and are not entered. This
//! module owns a scope's bindings and how they are looked up; `statements` collects them
//! from statements, `uses` from expressions.

mod flow;
mod rebinds;
mod statements;
use rebinds::Declaration;
mod uses;

pub use flow::{Event, Located};

use std::cell::OnceCell;
use std::collections::HashMap;

use ruff_python_ast::{self as ast, Expr, Stmt};

use crate::facts::{Change, Unseen};
use crate::flow::Step;

/// How a name got its value in a scope.
#[derive(Clone, Debug)]
pub enum Def<'a> {
    /// `import x.y` / `from x import y as z`: the absolute qualified name.
    Import { qualname: String, offset: usize },
    /// `name = value` (also annotated and walrus assignments, and `with v as name`).
    Assign { value: &'a Expr, offset: usize },
    /// `def name` / `class name` in this scope.
    Function { offset: usize },
    /// `class name(bases): body`.
    Class {
        offset: usize,
        bases: &'a [Expr],
        body: &'a [Stmt],
    },
    /// Anything else: loop targets, unpacking, `except ... as`, augmented assignment.
    Other { offset: usize, what: &'static str },
}

impl Def<'_> {
    pub fn offset(&self) -> usize {
        match self {
            Def::Import { offset, .. }
            | Def::Assign { offset, .. }
            | Def::Function { offset }
            | Def::Class { offset, .. }
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
    /// `m.setdefault("key", value)`: `value` unless the key is already there.
    SetDefault {
        key: String,
        value: &'a Expr,
        offset: usize,
    },
    /// `m.update(...)`, `m |= {...}`: the arguments are a mapping.
    Update {
        args: &'a ast::Arguments,
        offset: usize,
    },
    MergeWith {
        other: &'a Expr,
        offset: usize,
    },
    /// `form.append(("key", value))`, `form.insert(0, pair)`: one more pair of a form given
    /// as (key, value) pairs.
    Append {
        pair: &'a Expr,
        offset: usize,
    },
    /// `m.pop("key")`, `del m["key"]`; `m.clear()` removes every key (`key: None`).
    Remove {
        key: Option<String>,
        offset: usize,
    },
    /// Anything we cannot follow: a computed key, the mapping handed to another function.
    Opaque {
        offset: usize,
        what: Unseen,
    },
}

/// What a change to the mapping `name` that cannot be followed leaves unseen.
fn changed(name: &str, how: Change) -> Unseen {
    Unseen::Changed {
        name: name.to_string(),
        how,
    }
}

impl Mutation<'_> {
    pub fn offset(&self) -> usize {
        match self {
            Mutation::SetItem { offset, .. }
            | Mutation::SetDefault { offset, .. }
            | Mutation::Update { offset, .. }
            | Mutation::MergeWith { offset, .. }
            | Mutation::Append { offset, .. }
            | Mutation::Remove { offset, .. }
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
    /// The statements of the scope's body (none for a lambda), and their flow
    /// steps once a lookup needs them.
    body: &'a [Stmt],
    steps: OnceCell<Vec<Step>>,
    /// For a class: the attributes its methods assign on their instance (`self.x = ..`),
    /// which may hide the class's own.
    pub instance_attrs: Vec<&'a str>,
    /// Where walrus expressions bind (`(x := ..)`), which may not run (`a and (x := ..)`).
    pub walrus: Vec<usize>,
    /// In a module: attributes assigned on a name (`Payments.TTL = ..`), with the value and
    /// the statement's offset.
    pub attribute_assignments: Vec<(&'a str, &'a str, &'a Expr, usize)>,
    /// For a class: its bases, as written.
    pub bases: &'a [Expr],
    /// For a function: decorated `@staticmethod`, so its first parameter is no receiver.
    pub is_static_method: bool,
}

impl<'a> Scope<'a> {
    /// The statements of the scope's body.
    pub fn body(&self) -> &'a [Stmt] {
        self.body
    }

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
            body,
            steps: OnceCell::new(),
            instance_attrs: Vec::new(),
            walrus: Vec::new(),
            attribute_assignments: Vec::new(),
            bases: &[],
            is_static_method: false,
        };
        scope.collect_body(body);
        // A function that declares a name `global` and binds it may run at any time: the
        // module's name may hold what it binds.
        scope.nesting += 1;
        for rebinds::Rebind { name, offset, .. } in
            rebinds::declared_rebinds(body, Declaration::Global)
        {
            let what = "a `global` statement in a function";
            scope.define(name, Def::Other { offset, what });
            if let Some(defs) = scope.defs.get_mut(name) {
                defs.sort_by_key(Def::offset);
            }
        }
        scope.nesting -= 1;
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
            body: &func.body,
            steps: OnceCell::new(),
            instance_attrs: Vec::new(),
            walrus: Vec::new(),
            attribute_assignments: Vec::new(),
            bases: &[],
            is_static_method: func
                .decorator_list
                .iter()
                .any(|d| matches!(&d.expression, Expr::Name(n) if n.id.as_str() == "staticmethod")),
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
        // A nested function that declares a name `nonlocal` and binds it may run where it
        // is defined and wherever it is read afterwards (called, or handed on): there the
        // name may hold what it binds, or what it held.
        for rebind in rebinds::declared_rebinds(&func.body, Declaration::Nonlocal) {
            let name = rebind.name;
            if !scope.defs.contains_key(name) && scope.param(name).is_none() {
                continue;
            }
            let mut offsets = vec![rebind.offset];
            if let Some(function) = rebind.function {
                offsets.extend(rebinds::reads_of(&func.body, function));
            }
            for offset in offsets {
                let what = "a `nonlocal` statement in a nested function";
                scope.define(name, Def::Other { offset, what });
                scope.walrus.push(offset);
            }
            if let Some(defs) = scope.defs.get_mut(name) {
                defs.sort_by_key(Def::offset);
            }
        }
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
            body: &[],
            steps: OnceCell::new(),
            instance_attrs: Vec::new(),
            walrus: Vec::new(),
            attribute_assignments: Vec::new(),
            bases: &[],
            is_static_method: false,
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

    /// A class body's bindings (its attributes and methods), and the attributes its
    /// methods assign on their instance.
    pub fn class(class: &'a ast::StmtClassDef, qualname: String) -> Self {
        let mut scope = Scope {
            kind: ScopeKind::Class,
            qualname,
            is_module_function: false,
            params: Vec::new(),
            defs: HashMap::new(),
            mutations: HashMap::new(),
            star_imports: Vec::new(),
            unconditional: Vec::new(),
            nesting: 0,
            body: &class.body,
            steps: OnceCell::new(),
            instance_attrs: Vec::new(),
            walrus: Vec::new(),
            attribute_assignments: Vec::new(),
            bases: class.bases(),
            is_static_method: false,
        };
        scope.collect_body(&class.body);
        scope.instance_attrs = instance_attrs(&class.body);
        scope
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

    /// Records, as changes made where it is defined, what a function nested in this one
    /// (`inner`; `function` is its name, `None` for a lambda) does to the mappings it
    /// captures: it may run before a call that follows. A module's functions are not
    /// nested ones: how module-level names are followed is the lookup's.
    fn capture_changes(&mut self, inner: &Scope<'a>, offset: usize, function: Option<&str>) {
        if self.kind != ScopeKind::Function {
            return;
        }
        let mut captured: Vec<&'a str> = inner
            .mutations
            .keys()
            .filter(|name| !inner.defs.contains_key(*name) && inner.param(name).is_none())
            .copied()
            .collect();
        captured.sort_unstable();
        for name in captured {
            let how = Change::InNestedFunction {
                function: function.map(str::to_string),
            };
            let what = changed(name, how);
            self.mutate(name, Mutation::Opaque { offset, what });
        }
    }

    /// Whether `def` is a binding made directly in the module's body: the name's final
    /// binding when no later one follows.
    pub fn is_unconditional(&self, def: &Def) -> bool {
        self.unconditional.binary_search(&def.offset()).is_ok()
    }
}

/// The attributes the methods of a class body assign on their instance (`self.x = ..`).
pub fn instance_attrs(class_body: &[Stmt]) -> Vec<&str> {
    let mut attrs = Vec::new();
    for stmt in class_body {
        if let Stmt::FunctionDef(method) = stmt {
            let receiver = method.parameters.args.first();
            let receiver = receiver.or(method.parameters.posonlyargs.first());
            if let Some(receiver) = receiver {
                statements::instance_assignments(
                    &method.body,
                    receiver.parameter.name.id.as_str(),
                    &mut attrs,
                );
            }
        }
    }
    attrs
}
