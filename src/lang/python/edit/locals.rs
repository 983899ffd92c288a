//! Whether a name a fix writes means something else where it is written: a parameter or
//! a local of a function around the place (`def start(time): ..`), which hides the
//! module's import of the same name.
//!
//! Knows Python's binding forms; not which names a fix needs.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

use super::PythonEditor;

impl PythonEditor {
    /// Whether a function (or lambda) around `offset` binds `name` itself.
    pub fn binds_locally(&self, name: &str, offset: usize) -> bool {
        let mut finder = LocalBinding {
            name,
            offset,
            found: false,
        };
        finder.visit_body(&self.module.body);
        finder.found
    }
}

struct LocalBinding<'n> {
    name: &'n str,
    offset: usize,
    found: bool,
}

impl LocalBinding<'_> {
    fn holds(&self, node: &impl Ranged) -> bool {
        node.start().to_usize() <= self.offset && self.offset < node.end().to_usize()
    }

    fn binds(&self, parameters: &ast::Parameters, body: &[Stmt]) -> bool {
        let in_parameters = parameters.iter().any(|p| p.name().as_str() == self.name);
        let mut stores = Stores {
            name: self.name,
            found: false,
        };
        stores.visit_body(body);
        in_parameters || stores.found
    }
}

impl<'a> Visitor<'a> for LocalBinding<'_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if !self.holds(stmt) {
            return;
        }
        if let Stmt::FunctionDef(function) = stmt {
            self.found |= self.binds(&function.parameters, &function.body);
        }
        visitor::walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if !self.holds(expr) {
            return;
        }
        if let Expr::Lambda(lambda) = expr {
            let in_parameters = (lambda.parameters.as_deref())
                .is_some_and(|p| p.iter().any(|p| p.name().as_str() == self.name));
            self.found |= in_parameters;
        }
        visitor::walk_expr(self, expr);
    }
}

/// Whether a body binds `name` (assignment, `for`, `with`, `import`, walrus, `except ..
/// as`, `global`/`nonlocal` counted too), nested functions left out.
struct Stores<'n> {
    name: &'n str,
    found: bool,
}

impl<'a> Visitor<'a> for Stores<'_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(function) => self.found |= function.name.as_str() == self.name,
            Stmt::ClassDef(class) => self.found |= class.name.as_str() == self.name,
            Stmt::Import(ast::StmtImport { names, .. })
            | Stmt::ImportFrom(ast::StmtImportFrom { names, .. }) => {
                self.found |= names.iter().any(|alias| {
                    let bound = alias.asname.as_ref().unwrap_or(&alias.name).as_str();
                    bound.split('.').next() == Some(self.name)
                });
            }
            Stmt::Global(ast::StmtGlobal { names, .. })
            | Stmt::Nonlocal(ast::StmtNonlocal { names, .. }) => {
                self.found |= names.iter().any(|n| n.as_str() == self.name);
            }
            Stmt::Try(ast::StmtTry { handlers, .. }) => {
                self.found |= handlers.iter().any(|handler| {
                    let ast::ExceptHandler::ExceptHandler(handler) = handler;
                    handler
                        .name
                        .as_ref()
                        .is_some_and(|n| n.as_str() == self.name)
                });
                visitor::walk_stmt(self, stmt);
            }
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_pattern(&mut self, pattern: &'a ast::Pattern) {
        let captured = match pattern {
            ast::Pattern::MatchAs(p) => p.name.as_ref(),
            ast::Pattern::MatchStar(p) => p.name.as_ref(),
            ast::Pattern::MatchMapping(p) => p.rest.as_ref(),
            _ => None,
        };
        self.found |= captured.is_some_and(|n| n.as_str() == self.name);
        visitor::walk_pattern(self, pattern);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Name(name) if name.ctx != ast::ExprContext::Load => {
                self.found |= name.id.as_str() == self.name;
            }
            Expr::Lambda(_) => {}
            _ => visitor::walk_expr(self, expr),
        }
    }
}
