//! The bindings a function makes for an outer scope: names it declares `global` (the
//! module's) or `nonlocal` (the enclosing function's) and binds, and where the function
//! that binds them may run (where the outer body reads its name).
//!
//! Knows Python statements; what such a binding means for a name is the scope's.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

/// Which statement hands a nested function's binding to an outer scope.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
pub(super) enum Declaration {
    /// `global NAME`: the module's name.
    #[default]
    Global,
    /// `nonlocal NAME`: the enclosing function's.
    Nonlocal,
}

/// The names functions in `body` declare `global` (or `nonlocal`) and bind (`global TTL;
/// TTL = 60`), each with where it is bound: such a binding changes the outer scope's name
/// whenever the function runs.
pub(super) fn declared_rebinds(body: &[Stmt], declaration: Declaration) -> Vec<Rebind<'_>> {
    let mut finder = GlobalRebinds {
        declaration,
        ..Default::default()
    };
    finder.visit_body(body);
    finder.found
}

/// A name a function binds for an outer scope.
pub(super) struct Rebind<'a> {
    pub name: &'a str,
    /// Where it is bound.
    pub offset: usize,
    /// The function of `body` that holds the binding (itself or in a function of its own).
    pub function: Option<&'a str>,
}

/// Where `body` reads `name` (not in the functions and classes it defines): where the
/// function of that name may be called, or handed on to be called later.
pub(super) fn reads_of(body: &[Stmt], name: &str) -> Vec<usize> {
    struct Reads<'n> {
        name: &'n str,
        found: Vec<usize>,
    }
    impl<'a> Visitor<'a> for Reads<'_> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::FunctionDef(f) => {
                    for decorator in &f.decorator_list {
                        self.visit_expr(&decorator.expression);
                    }
                }
                Stmt::ClassDef(_) => {}
                _ => visitor::walk_stmt(self, stmt),
            }
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            if let Expr::Name(n) = expr {
                if n.id.as_str() == self.name && n.ctx == ast::ExprContext::Load {
                    self.found.push(n.start().to_usize());
                }
            }
            visitor::walk_expr(self, expr);
        }
    }
    let mut reads = Reads {
        name,
        found: Vec::new(),
    };
    reads.visit_body(body);
    reads.found
}

#[derive(Default)]
struct GlobalRebinds<'a> {
    declaration: Declaration,
    /// The names the function being walked declares `global`.
    declared: Vec<&'a str>,
    /// The function of the walked body that holds the one being walked.
    outermost: Option<&'a str>,
    found: Vec<Rebind<'a>>,
}

impl<'a> Visitor<'a> for GlobalRebinds<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(function) => {
                let mut globals = Globals {
                    declaration: self.declaration,
                    names: Vec::new(),
                };
                globals.visit_body(&function.body);
                let outer = std::mem::replace(&mut self.declared, globals.names);
                let outermost = self.outermost;
                self.outermost = outermost.or(Some(function.name.as_str()));
                self.visit_body(&function.body);
                self.outermost = outermost;
                self.declared = outer;
            }
            // A class body binds its own names (its methods may declare theirs).
            Stmt::ClassDef(class) => {
                let outer = std::mem::take(&mut self.declared);
                self.visit_body(&class.body);
                self.declared = outer;
            }
            Stmt::Import(ast::StmtImport { names, .. })
            | Stmt::ImportFrom(ast::StmtImportFrom { names, .. }) => {
                for alias in names {
                    let bound = alias.asname.as_ref().unwrap_or(&alias.name).as_str();
                    let bound = bound.split('.').next().unwrap_or(bound);
                    self.note(bound, stmt.start().to_usize());
                }
            }
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        // Most functions declare nothing `global`: their expressions are not walked. A
        // comprehension's targets are its own.
        if self.declared.is_empty()
            || matches!(
                expr,
                Expr::ListComp(_) | Expr::SetComp(_) | Expr::DictComp(_) | Expr::Generator(_)
            )
        {
            return;
        }
        if let Expr::Name(name) = expr {
            if name.ctx == ast::ExprContext::Store {
                self.note(name.id.as_str(), name.start().to_usize());
            }
        }
        visitor::walk_expr(self, expr);
    }
}

impl<'a> GlobalRebinds<'a> {
    fn note(&mut self, name: &'a str, offset: usize) {
        if let Some(declared) = self.declared.iter().find(|d| **d == name) {
            self.found.push(Rebind {
                name: declared,
                offset,
                function: self.outermost,
            });
        }
    }
}

/// The names a function body declares `global` (or `nonlocal`), wherever in it (nested
/// functions and classes have their own).
struct Globals<'a> {
    declaration: Declaration,
    names: Vec<&'a str>,
}

impl<'a> Visitor<'a> for Globals<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::Global(global) if self.declaration == Declaration::Global => {
                self.names.extend(global.names.iter().map(|n| n.as_str()))
            }
            Stmt::Nonlocal(nonlocal) if self.declaration == Declaration::Nonlocal => {
                self.names.extend(nonlocal.names.iter().map(|n| n.as_str()))
            }
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, _: &'a Expr) {}
}
