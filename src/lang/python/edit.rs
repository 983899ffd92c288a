//! Text edits on Python source for `--fix`: one more keyword argument of a call, one more
//! entry of a dict literal, an `import` or a `from .. import` the file lacks, a statement
//! at the end of a module. Each edit is laid out like its neighbours (indentation, line
//! endings, trailing commas, quotes, isort's order) and touches nothing else.
//!
//! Knows Python's syntax and layout; what to write (the key, the value, the module) is the
//! caller's.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

use crate::facts::fix::Splice;
use crate::lang::layout::{append_item, line_number, line_start, next_line, Comments, List};
use isort::{is_standard_library, isort_key};

/// A parsed file, ready to be asked for edits.
pub struct PythonEditor {
    text: String,
    module: ast::ModModule,
    eol: &'static str,
}

/// Whether `text` parses as a Python module.
pub fn parses(text: &str) -> bool {
    ruff_python_parser::parse_module(text).is_ok()
}

impl PythonEditor {
    /// `None` when the file does not parse (nothing is edited then).
    pub fn new(text: &str) -> Option<Self> {
        let module = ruff_python_parser::parse_module(text).ok()?.into_syntax();
        Some(PythonEditor {
            text: text.to_string(),
            module,
            eol: crate::lang::layout::line_ending(text),
        })
    }

    /// `key=value` as the last argument of the call spanning `start..end`.
    pub fn add_argument(
        &self,
        start: usize,
        end: usize,
        key: &str,
        value: &str,
    ) -> Option<Vec<Splice>> {
        let call = self.call_at(start, end)?;
        let arguments = &call.arguments;
        let items = (arguments.args.iter().map(Ranged::range))
            .chain(arguments.keywords.iter().map(Ranged::range));
        let list = List {
            open: arguments.start().to_usize(),
            close: arguments.end().to_usize() - 1,
            last: last_item(items),
        };
        let item = format!("{key}={value}");
        Some(append_item(
            self.text.as_str(),
            Comments::Hash,
            &list,
            &item,
        ))
    }

    /// `"key": value` as the last entry of the dict literal at `span`.
    pub fn add_entry(
        &self,
        start: usize,
        end: usize,
        key: &str,
        value: &str,
    ) -> Option<Vec<Splice>> {
        let dict = self.dict_at(start, end)?;
        let quote = dict
            .items
            .iter()
            .filter_map(|item| item.key.as_ref())
            .find(|key| matches!(key, Expr::StringLiteral(_)))
            .and_then(|key| {
                self.text.as_str()[key.range()]
                    .chars()
                    .find(|c| *c == '\'' || *c == '"')
            })
            .map(Some)
            // Inside an f-string's braces, Python before 3.12 takes no quote of the
            // f-string's own kind (nor of any f-string around it).
            .unwrap_or_else(|| {
                let quotes = self.fstring_quotes(start, end);
                match (quotes.contains(&'"'), quotes.contains(&'\'')) {
                    (false, _) => Some('"'),
                    (true, false) => Some('\''),
                    (true, true) => None,
                }
            })?;
        let item = format!("{quote}{key}{quote}: {value}");
        let list = List {
            open: start,
            close: end - 1,
            last: last_item(dict.items.iter().map(Ranged::range)),
        };
        Some(append_item(
            self.text.as_str(),
            Comments::Hash,
            &list,
            &item,
        ))
    }

    /// The name the file binds module `module` to at the top level, and the edit that
    /// imports it when it does not (`import time`, among the standard library's imports).
    /// `None` when the file binds the name to something else (`def time(): ..`).
    pub fn import_module(&self, module: &str) -> Option<(String, Option<Splice>)> {
        if self.binds_otherwise(module) {
            return None;
        }
        for stmt in &self.module.body {
            if let Stmt::Import(import) = stmt {
                if let Some(alias) = import.names.iter().find(|a| a.name.as_str() == module) {
                    let bound = alias.asname.as_ref().unwrap_or(&alias.name);
                    return Some((bound.to_string(), None));
                }
            }
        }
        let line = format!("import {module}{}", self.eol);
        let imports = self.imports();
        let standard = (imports.blocks.iter())
            .find(|block| block.iter().any(|i| is_standard_library(&i.module)));
        let splice = match standard {
            Some(block) => {
                let plain: Vec<&Import> = block.iter().filter(|i| !i.from).collect();
                let at = match plain.iter().find(|i| i.module.as_str() > module) {
                    Some(next) => next.line_start,
                    None => match plain.last() {
                        Some(last) => last.next_line,
                        None => block[0].line_start,
                    },
                };
                Splice::insert(at, line)
            }
            None => match imports.blocks.first() {
                Some(block) => Splice::insert(block[0].line_start, format!("{line}{}", self.eol)),
                None => Splice::insert(imports.preamble_end, line),
            },
        };
        Some((module.to_string(), Some(splice)))
    }

    /// The name the file binds `module.name` to at the top level, and the edit that imports
    /// it when it does not: joined to a one-line `from module import ..` (in isort's order:
    /// constants, classes, the rest), else a line of its own among the imports of the same
    /// package.
    pub fn import_name(&self, package: &str, module: &str, name: &str) -> (String, Option<Splice>) {
        let absolute = |from: &ast::StmtImportFrom| -> Option<String> {
            let written = from.module.as_ref().map(|m| m.to_string());
            if from.level == 0 {
                return written;
            }
            let parts: Vec<&str> = package.split('.').filter(|p| !p.is_empty()).collect();
            let keep = parts.len().checked_sub(from.level as usize - 1)?;
            let mut base = parts[..keep].join(".");
            if let Some(written) = written {
                if !base.is_empty() {
                    base.push('.');
                }
                base.push_str(&written);
            }
            Some(base)
        };
        let code_start = self.code_start();
        let froms: Vec<&ast::StmtImportFrom> = (self.module.body.iter())
            .filter_map(|stmt| match stmt {
                Stmt::ImportFrom(from) if absolute(from).as_deref() == Some(module) => Some(from),
                _ => None,
            })
            .collect();
        for from in &froms {
            for alias in &from.names {
                if alias.name.as_str() == name {
                    let bound = alias.asname.as_ref().unwrap_or(&alias.name);
                    return (bound.to_string(), None);
                }
            }
        }
        // Only an import before the first code comes before every use.
        let froms: Vec<&ast::StmtImportFrom> = (froms.into_iter())
            .filter(|from| from.end().to_usize() <= code_start)
            .collect();
        let joinable = froms.iter().find(|from| {
            let source = &self.text.as_str()[from.range()];
            !source.contains(['\n', '(', '\\', '#'])
                && from.names.iter().all(|a| a.asname.is_none())
        });
        if let Some(from) = joinable {
            let key = isort_key(name);
            let splice = match from.names.iter().find(|a| isort_key(a.name.as_str()) > key) {
                Some(next) => Splice::insert(next.start().to_usize(), format!("{name}, ")),
                None => {
                    let last = from.names.last().expect("an import names something");
                    Splice::insert(last.end().to_usize(), format!(", {name}"))
                }
            };
            return (name.to_string(), Some(splice));
        }
        let line = format!("from {module} import {name}{}", self.eol);
        if let Some(from) = froms.first() {
            return (
                name.to_string(),
                Some(Splice::insert(
                    line_start(self.text.as_str(), from.start().to_usize()),
                    line,
                )),
            );
        }
        let imports = self.imports();
        let package = module.split('.').next().unwrap_or(module);
        let same_package = (imports.blocks.iter()).find(|block| {
            block
                .iter()
                .any(|i| i.module.split('.').next() == Some(package))
        });
        let splice = match same_package {
            Some(block) => {
                let at = match block.iter().find(|i| i.from && i.module.as_str() > module) {
                    Some(next) => next.line_start,
                    None => block.last().expect("blocks are not empty").next_line,
                };
                Splice::insert(at, line)
            }
            None => match imports.blocks.last() {
                Some(block) => {
                    let at = block.last().expect("blocks are not empty").next_line;
                    Splice::insert(at, format!("{}{line}", self.eol))
                }
                None => Splice::insert(imports.preamble_end, line),
            },
        };
        (name.to_string(), Some(splice))
    }

    /// `lines` as a new paragraph at the end of the module, two blank lines before it as
    /// before a top-level definition (PEP 8).
    pub fn append_statement(&self, lines: &[String]) -> Splice {
        crate::lang::layout::append_paragraph(self.text.as_str(), lines, 2)
    }

    fn call_at(&self, start: usize, end: usize) -> Option<&ast::ExprCall> {
        let mut finder = Finder {
            start,
            end,
            call: true,
            found_call: None,
            dict: None,
        };
        finder.visit_body(&self.module.body);
        finder.found_call
    }

    /// The quotes of the f-strings holding `start..end` (each part of an implicit
    /// concatenation on its own), outermost first.
    fn fstring_quotes(&self, start: usize, end: usize) -> Vec<char> {
        struct Holders<'t> {
            text: &'t str,
            start: usize,
            end: usize,
            quotes: Vec<char>,
        }
        impl<'a> Visitor<'a> for Holders<'_> {
            fn visit_expr(&mut self, expr: &'a Expr) {
                let holds = |range: ruff_text_size::TextRange| {
                    range.start().to_usize() <= self.start && self.end <= range.end().to_usize()
                };
                if !holds(expr.range()) {
                    return;
                }
                if let Expr::FString(fstring) = expr {
                    for part in fstring.value.iter() {
                        if let ast::FStringPart::FString(part) = part {
                            if holds(part.range()) {
                                let literal = &self.text[part.range()];
                                self.quotes
                                    .extend(literal.chars().find(|c| !c.is_ascii_alphabetic()));
                            }
                        }
                    }
                }
                visitor::walk_expr(self, expr);
            }
        }
        let mut holders = Holders {
            text: self.text.as_str(),
            start,
            end,
            quotes: Vec::new(),
        };
        holders.visit_body(&self.module.body);
        holders.quotes
    }

    fn dict_at(&self, start: usize, end: usize) -> Option<&ast::ExprDict> {
        let mut finder = Finder {
            start,
            end,
            call: false,
            found_call: None,
            dict: None,
        };
        finder.visit_body(&self.module.body);
        finder.dict
    }

    /// The module's top-level imports in blocks (runs of consecutive lines), and where a
    /// first import goes when there is none (after the docstring and `__future__` imports).
    fn imports(&self) -> Imports {
        let text = self.text.as_str();
        let mut blocks: Vec<Vec<Import>> = Vec::new();
        let mut preamble_end = 0;
        let mut last_end_line = None;
        for (index, stmt) in self.module.body.iter().enumerate() {
            let (module, from) = match stmt {
                Stmt::Import(import) => match import.names.first() {
                    Some(alias) => (alias.name.to_string(), false),
                    None => continue,
                },
                Stmt::ImportFrom(from) if from.level == 0 => {
                    let module = from
                        .module
                        .as_ref()
                        .map(|m| m.to_string())
                        .unwrap_or_default();
                    if module == "__future__" {
                        preamble_end = next_line(text, stmt.end().to_usize());
                        continue;
                    }
                    (module, true)
                }
                Stmt::ImportFrom(_) => (String::new(), true),
                Stmt::Expr(expr) if index == 0 && matches!(*expr.value, Expr::StringLiteral(_)) => {
                    preamble_end = next_line(text, stmt.end().to_usize());
                    continue;
                }
                // Imports after the first code would come after what uses them.
                _ => break,
            };
            let start = stmt.start().to_usize();
            let line = line_number(text, start);
            let import = Import {
                module,
                from,
                line_start: line_start(text, start),
                next_line: next_line(text, stmt.end().to_usize()),
            };
            match (last_end_line, blocks.last_mut()) {
                (Some(previous), Some(block)) if line == previous + 1 => block.push(import),
                _ => blocks.push(vec![import]),
            }
            last_end_line = Some(line_number(text, stmt.end().to_usize()));
        }
        // A shebang, an encoding line or a licence header stays first.
        let mut header_end = 0;
        while text[header_end..].starts_with('#') {
            header_end = next_line(text, header_end);
        }
        Imports {
            blocks,
            preamble_end: preamble_end.max(header_end),
        }
    }

    /// Where the module's code begins: its first top-level statement that is not a
    /// docstring or an import (the end of the text when there is none).
    fn code_start(&self) -> usize {
        (self.module.body.iter().enumerate())
            .find(|(index, stmt)| match stmt {
                Stmt::Import(_) | Stmt::ImportFrom(_) => false,
                Stmt::Expr(expr) => !(*index == 0 && matches!(*expr.value, Expr::StringLiteral(_))),
                _ => true,
            })
            .map_or(self.text.as_str().len(), |(_, stmt)| {
                stmt.start().to_usize()
            })
    }

    /// Whether `offset` lies inside a function (or lambda) body, which runs only once the
    /// module has been loaded whole.
    pub fn in_function(&self, offset: usize) -> bool {
        self.module.body.iter().any(|stmt| {
            let inside = stmt.start().to_usize() <= offset && offset < stmt.end().to_usize();
            inside
                && match stmt {
                    Stmt::FunctionDef(_) => true,
                    Stmt::ClassDef(class) => class.body.iter().any(|s| {
                        matches!(s, Stmt::FunctionDef(f) if f.start().to_usize() <= offset && offset < f.end().to_usize())
                    }),
                    _ => false,
                }
        })
    }

    /// Whether a top-level statement before `offset` assigns `name`.
    pub fn assigns_before(&self, name: &str, offset: usize) -> bool {
        (self.module.body.iter())
            .take_while(|stmt| stmt.end().to_usize() <= offset)
            .any(|stmt| match stmt {
                Stmt::Assign(assign) => assign
                    .targets
                    .iter()
                    .any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == name)),
                Stmt::AnnAssign(assign) => {
                    matches!(&*assign.target, Expr::Name(n) if n.id.as_str() == name)
                }
                _ => false,
            })
    }

    /// Whether the module binds `name` at the top level other than by `import name`: a
    /// function, a class, an assignment, a `from .. import name`.
    fn binds_otherwise(&self, name: &str) -> bool {
        self.module.body.iter().any(|stmt| match stmt {
            Stmt::FunctionDef(f) => f.name.as_str() == name,
            Stmt::ClassDef(c) => c.name.as_str() == name,
            Stmt::Assign(assign) => assign
                .targets
                .iter()
                .any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == name)),
            Stmt::ImportFrom(from) => from
                .names
                .iter()
                .any(|a| a.asname.as_ref().unwrap_or(&a.name).as_str() == name),
            _ => false,
        })
    }
}

struct Imports {
    blocks: Vec<Vec<Import>>,
    preamble_end: usize,
}

struct Import {
    /// The first module an `import` names, or the module of a `from .. import`.
    module: String,
    from: bool,
    line_start: usize,
    /// The start of the line after the statement.
    next_line: usize,
}

/// Where the last of a list's items starts and ends (`None` for an empty list).
fn last_item(items: impl Iterator<Item = ruff_text_size::TextRange>) -> Option<(usize, usize)> {
    items
        .max_by_key(|r| r.start())
        .map(|r| (r.start().to_usize(), r.end().to_usize()))
}

/// Finds the call (`call`) or the dict literal spanning exactly `start..end`.
struct Finder<'a> {
    start: usize,
    end: usize,
    call: bool,
    found_call: Option<&'a ast::ExprCall>,
    dict: Option<&'a ast::ExprDict>,
}

impl<'a> Visitor<'a> for Finder<'a> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        let range = expr.range();
        if range.start().to_usize() > self.start || range.end().to_usize() <= self.start {
            return;
        }
        let exact = range.start().to_usize() == self.start && range.end().to_usize() == self.end;
        match expr {
            Expr::Call(call) if exact && self.call => self.found_call = Some(call),
            Expr::Dict(dict) if exact && !self.call => self.dict = Some(dict),
            _ => {}
        }
        visitor::walk_expr(self, expr);
    }
}

mod isort;
mod locals;
#[cfg(test)]
mod tests;
mod values;
