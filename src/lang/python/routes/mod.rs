//! The HTTP route of a handler (`POST /jersey/checkout`), from what its module shows:
//! decorators — FastAPI / Starlette (`@router.post("/x")`, `@app.api_route(..., methods=)`),
//! Flask (`@app.route("/x", methods=[...])`, `@bp.post`), Django-ninja (`@api.post`,
//! `@router.api_operation([...], "/x")`) — and registrations without a decorator
//! (Starlette `Route("/x", handler, methods=[...])` inside `Mount("/p", routes=[...])`,
//! `add_route`, `add_api_route`, Flask `add_url_rule`).
//!
//! Prefixes: the router's own (`APIRouter(prefix=)`, `Blueprint(url_prefix=)`) plus mounts
//! in the same module (`include_router(r, prefix=)`, `register_blueprint(bp, url_prefix=)`,
//! which replaces the blueprint's own, ninja `add_router("/p", r)`), followed up the chain
//! of parents. A mount in another module, and the prefix of a router imported from one, are
//! not seen. A prefix or method list that is not a literal gives no route rather than a
//! wrong one.

use std::collections::HashMap;

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

use super::resolve::{Lookup, Resolver};
use super::scope::Def;
pub use crate::facts::routes::join_path;

mod django;
mod facts;

pub use facts::{never_runs, RouteFactsCollector};

const VERBS: &[&str] = &["get", "post", "put", "patch", "delete", "head", "options"];
/// How far a chain of mounts is followed (guards against `a.include_router(a)` cycles).
const MAX_MOUNT_DEPTH: usize = 8;

/// How a router is mounted on a parent in this module.
#[derive(Debug)]
struct Mount {
    parent: Option<String>,
    /// `None`: a prefix that is not a literal.
    prefix: Option<String>,
    /// Flask's `register_blueprint(url_prefix=)` replaces the blueprint's own prefix.
    replaces_own: bool,
    at: usize,
}

/// A handler registered without a decorator.
#[derive(Debug)]
struct Registration {
    methods: Vec<String>,
    path: String,
    /// The router the registration is made on (`router.add_api_route`), for its prefix.
    receiver: Option<String>,
    /// Prefixes of the enclosing Starlette `Mount(...)`s (`None`: one is not a literal).
    mount_prefix: Option<String>,
    at: usize,
}

/// Mounts and decorator-less registrations found anywhere in one module.
#[derive(Debug, Default)]
pub struct ModuleRoutes {
    mounts: HashMap<String, Mount>,
    registered: HashMap<String, Registration>,
}

impl ModuleRoutes {
    pub fn collect(body: &[Stmt]) -> Self {
        let mut collector = Collector {
            routes: ModuleRoutes::default(),
            mount_prefixes: Vec::new(),
            depth: 0,
        };
        for stmt in body {
            collector.visit_stmt(stmt);
        }
        collector.routes
    }

    /// `POST /jersey/checkout` for a handler, `None` when the module does not say.
    /// `is_module_function`: only module-level functions are matched to registrations,
    /// which name their handler by its module-level name.
    pub fn route_of(
        &self,
        func: &ast::StmtFunctionDef,
        resolver: &Resolver,
        is_module_function: bool,
    ) -> Option<String> {
        let decorated = func
            .decorator_list
            .iter()
            .find_map(|d| self.route_of_decorator(&d.expression, resolver));
        if decorated.is_some() || !is_module_function {
            return decorated;
        }
        let registration = self.registered.get(func.name.id.as_str())?;
        let receiver_prefix = match registration.receiver.as_deref() {
            Some(r) => self.prefix_of(r, resolver, registration.at, 0)?,
            None => String::new(),
        };
        let prefix = join_path(registration.mount_prefix.as_deref()?, &receiver_prefix);
        Some(format!(
            "{} {}",
            registration.methods.join(","),
            join_path(&prefix, &registration.path)
        ))
    }

    fn route_of_decorator(&self, expr: &Expr, resolver: &Resolver) -> Option<String> {
        let (receiver, methods, path) = decorator_route(expr)?;
        let (methods, path) = (methods?, path?);
        let prefix = match receiver {
            Expr::Name(receiver) => {
                self.prefix_of(receiver.id.as_str(), resolver, expr.start().to_usize(), 0)?
            }
            _ => String::new(),
        };
        Some(format!(
            "{} {}",
            methods.join(","),
            join_path(&prefix, &path)
        ))
    }

    /// The full prefix of a router variable: its own, then its mounts up to the root.
    /// `None` when some part is not a literal.
    fn prefix_of(
        &self,
        router: &str,
        resolver: &Resolver,
        at: usize,
        depth: usize,
    ) -> Option<String> {
        let own = own_prefix(router, resolver, at)?;
        let Some(mount) = self.mounts.get(router).filter(|_| depth < MAX_MOUNT_DEPTH) else {
            return Some(own);
        };
        let mounted = mount.prefix.as_deref()?;
        let here = if mount.replaces_own {
            mounted.to_string()
        } else {
            join_path(mounted, &own)
        };
        let parent = match mount.parent.as_deref() {
            Some(p) => self.prefix_of(p, resolver, mount.at, depth + 1)?,
            None => String::new(),
        };
        Some(join_path(&parent, &here))
    }
}

/// A route decorator's receiver, methods and path.
type DecoratorRoute<'e> = (&'e Expr, Option<Vec<String>>, Option<String>);

/// A route decorator (`@router.post("/x")`, `@app.route("/x", methods=[..])`, ninja's
/// `@api.api_operation([..], "/x")`): its receiver, methods and path (`None`: not literals).
fn decorator_route(expr: &Expr) -> Option<DecoratorRoute<'_>> {
    let Expr::Call(call) = expr else { return None };
    let Expr::Attribute(attr) = call.func.as_ref() else {
        return None;
    };
    let name = attr.attr.id.as_str();
    let args = &call.arguments;
    let (methods, path) = if VERBS.contains(&name) {
        (
            Some(vec![name.to_ascii_uppercase()]),
            path_argument(args, 0),
        )
    } else if name == "route" || name == "api_route" {
        (methods_keyword(args), path_argument(args, 0))
    } else if name == "api_operation" {
        // Django-ninja: `api_operation(["POST", "PUT"], "/x")`.
        let methods = positional_or_keyword(args, 0, "methods").and_then(string_list);
        (methods, path_argument(args, 1))
    } else {
        return None;
    };
    Some((attr.value.as_ref(), methods, path))
}

struct Collector {
    routes: ModuleRoutes,
    mount_prefixes: Vec<Option<String>>,
    /// Expression nesting: router registrations are never deep inside an expression, and
    /// a pathological file (100 000 nested brackets) must not overflow the stack here.
    depth: usize,
}

/// Deeper expressions are not searched for router registrations.
const MAX_EXPR_DEPTH: usize = 200;

impl<'a> Visitor<'a> for Collector {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.depth >= MAX_EXPR_DEPTH {
            return;
        }
        self.depth += 1;
        self.visit_expr_within_depth(expr);
        self.depth -= 1;
    }
}

impl Collector {
    fn visit_expr_within_depth(&mut self, expr: &Expr) {
        let Expr::Call(call) = expr else {
            return visitor::walk_expr(self, expr);
        };
        let (name, receiver) = match call.func.as_ref() {
            Expr::Name(n) => (n.id.as_str(), None),
            Expr::Attribute(a) => (a.attr.id.as_str(), name_of(&a.value)),
            _ => return visitor::walk_expr(self, expr),
        };
        let args = &call.arguments;
        let at = expr.start().to_usize();
        match name {
            "Mount" => {
                self.mount_prefixes.push(path_argument(args, 0));
                visitor::walk_expr(self, expr);
                self.mount_prefixes.pop();
                return;
            }
            "include_router" | "register_blueprint" | "add_router" => {
                let (child, prefix, replaces_own) = mount_arguments(name, args);
                if let Some(child) = child.and_then(name_of) {
                    self.routes.mounts.entry(child).or_insert(Mount {
                        parent: receiver,
                        prefix,
                        replaces_own,
                        at,
                    });
                }
            }
            "Route" | "APIRoute" | "add_route" | "add_api_route" | "add_url_rule" => {
                let endpoint = if name == "add_url_rule" {
                    positional_or_keyword(args, 2, "view_func")
                } else {
                    positional_or_keyword(args, 1, "endpoint")
                };
                if let (Some(handler), Some(path), Some(methods)) = (
                    endpoint.and_then(name_of),
                    path_argument(args, 0),
                    methods_keyword(args),
                ) {
                    self.routes
                        .registered
                        .entry(handler)
                        .or_insert(Registration {
                            methods,
                            path,
                            receiver: if name.starts_with("add_") {
                                receiver
                            } else {
                                None
                            },
                            mount_prefix: self
                                .mount_prefixes
                                .iter()
                                .try_fold(String::new(), |acc, p| {
                                    p.as_deref().map(|p| join_path(&acc, p))
                                }),
                            at,
                        });
                }
            }
            _ => {}
        }
        visitor::walk_expr(self, expr);
    }
}

/// The `prefix=` / `url_prefix=` a router variable was created with in this module: empty
/// when it has none or is not created here, `None` when the prefix is not a literal.
fn own_prefix(router: &str, resolver: &Resolver, at: usize) -> Option<String> {
    let Lookup::Defs(defs, _, _) = resolver.lookup(router, at) else {
        return Some(String::new());
    };
    let Some(Def::Assign {
        value: Expr::Call(call),
        ..
    }) = defs.last()
    else {
        return Some(String::new());
    };
    optional_literal(
        keyword(&call.arguments, "prefix").or_else(|| keyword(&call.arguments, "url_prefix")),
    )
}

/// An optional string argument: empty when absent, `None` when present but not a literal.
/// What a mount call (`include_router`, `register_blueprint`, or ninja's `add_router`)
/// says: the router mounted, the prefix it gets, and whether that prefix replaces the
/// router's own (Flask's `url_prefix=` does).
fn mount_arguments<'e>(
    name: &str,
    args: &'e ast::Arguments,
) -> (Option<&'e Expr>, Option<String>, bool) {
    match name {
        "include_router" => (
            positional_or_keyword(args, 0, "router"),
            optional_literal(keyword(args, "prefix")),
            false,
        ),
        "register_blueprint" => {
            let prefix = keyword(args, "url_prefix");
            let child = positional_or_keyword(args, 0, "blueprint");
            (child, optional_literal(prefix), prefix.is_some())
        }
        _ => (
            positional_or_keyword(args, 1, "router"),
            positional_or_keyword(args, 0, "prefix").and_then(string),
            false,
        ),
    }
}

fn optional_literal(expr: Option<&Expr>) -> Option<String> {
    match expr {
        None => Some(String::new()),
        Some(e) => string(e),
    }
}

fn keyword<'e>(arguments: &'e ast::Arguments, key: &str) -> Option<&'e Expr> {
    arguments
        .keywords
        .iter()
        .find(|k| k.arg.as_ref().is_some_and(|a| a.id.as_str() == key))
        .map(|k| &k.value)
}

fn positional_or_keyword<'e>(
    arguments: &'e ast::Arguments,
    index: usize,
    key: &str,
) -> Option<&'e Expr> {
    arguments
        .args
        .get(index)
        .filter(|a| !a.is_starred_expr())
        .or_else(|| keyword(arguments, key))
}

/// The path argument: positional at `index`, or `path=` / `rule=` (Flask).
fn path_argument(arguments: &ast::Arguments, index: usize) -> Option<String> {
    positional_or_keyword(arguments, index, "path")
        .or_else(|| keyword(arguments, "rule"))
        .and_then(string)
}

/// `methods=[...]`; GET when absent (Flask's and Starlette's default). `None` when the
/// methods are not literal strings.
fn methods_keyword(arguments: &ast::Arguments) -> Option<Vec<String>> {
    match keyword(arguments, "methods") {
        Some(m) => string_list(m),
        None => Some(vec!["GET".to_string()]),
    }
}

/// `["GET", "post"]` (list, tuple or set of string literals) → `["GET", "POST"]`.
fn string_list(expr: &Expr) -> Option<Vec<String>> {
    let elts = match expr {
        Expr::List(l) => &l.elts,
        Expr::Tuple(t) => &t.elts,
        Expr::Set(s) => &s.elts,
        _ => return None,
    };
    let methods: Option<Vec<String>> = elts
        .iter()
        .map(|e| string(e).map(|m| m.to_ascii_uppercase()))
        .collect();
    methods.filter(|m| !m.is_empty())
}

fn name_of(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Name(n) => Some(n.id.to_string()),
        _ => None,
    }
}

fn string(expr: &Expr) -> Option<String> {
    match expr {
        Expr::StringLiteral(s) => Some(s.value.to_str().to_string()),
        _ => None,
    }
}
