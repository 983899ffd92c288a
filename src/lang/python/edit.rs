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
use layout::{
    is_standard_library, isort_key, leading_space, line_number, line_start, next_line,
    trailing_comma,
};

/// A parsed file, ready to be asked for edits.
pub struct PythonEditor<'t> {
    text: &'t str,
    module: ast::ModModule,
    eol: &'static str,
}

/// Whether `text` parses as a Python module.
pub fn parses(text: &str) -> bool {
    ruff_python_parser::parse_module(text).is_ok()
}

/// The line ending a file uses (its first one), `\n` when it has none.
pub fn line_ending(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

impl<'t> PythonEditor<'t> {
    /// `None` when the file does not parse (nothing is edited then).
    pub fn new(text: &'t str) -> Option<Self> {
        let module = ruff_python_parser::parse_module(text).ok()?.into_syntax();
        Some(PythonEditor {
            text,
            module,
            eol: line_ending(text),
        })
    }

    /// `key=value` as the last argument of the call that starts at `call_start` (the
    /// innermost one, for `f(..)(..)`).
    pub fn add_argument(&self, call_start: usize, key: &str, value: &str) -> Option<Vec<Splice>> {
        let call = self.call_at(call_start)?;
        let arguments = &call.arguments;
        let ends = (arguments.args.iter().map(Ranged::end))
            .chain(arguments.keywords.iter().map(Ranged::end));
        let last_start = (arguments.args.iter().map(Ranged::start))
            .chain(arguments.keywords.iter().map(Ranged::start))
            .max()
            .map(|s| s.to_usize());
        let open = arguments.start().to_usize();
        let close = arguments.end().to_usize() - 1;
        let item = format!("{key}={value}");
        Some(self.append_item(
            open,
            close,
            ends.max().map(|e| e.to_usize()),
            last_start,
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
                self.text[key.range()]
                    .chars()
                    .find(|c| *c == '\'' || *c == '"')
            })
            .unwrap_or('"');
        let last_end = dict.items.iter().map(|i| i.end().to_usize()).max();
        let last_start = dict.items.iter().map(|i| i.start().to_usize()).max();
        let item = format!("{quote}{key}{quote}: {value}");
        Some(self.append_item(start, end - 1, last_end, last_start, &item))
    }

    /// The edits that append `item` to a bracketed list from `open` to `close` (the closing
    /// bracket's offset) whose last item ends at `last_end` and starts at `last_start`.
    fn append_item(
        &self,
        open: usize,
        close: usize,
        last_end: Option<usize>,
        last_start: Option<usize>,
        item: &str,
    ) -> Vec<Splice> {
        let text = self.text;
        let eol = self.eol;
        let (Some(last_end), Some(last_start)) = (last_end, last_start) else {
            return vec![Splice::insert(close, item.to_string())];
        };
        let comma = trailing_comma(&text[last_end..close]).map(|i| last_end + i);
        let multi_line = text[open..close].contains('\n');
        let close_line = line_start(text, close);
        let close_alone = text[close_line..close].trim().is_empty();
        let indent = leading_space(text, last_start);
        match (multi_line, close_alone, comma) {
            (true, true, comma) => {
                let mut splices = Vec::new();
                if comma.is_none() {
                    splices.push(Splice::insert(last_end, ",".into()));
                }
                splices.push(Splice::insert(close_line, format!("{indent}{item},{eol}")));
                splices
            }
            (true, false, Some(comma)) => {
                vec![Splice::insert(comma + 1, format!("{eol}{indent}{item},"))]
            }
            (true, false, None) => vec![Splice::insert(last_end, format!(",{eol}{indent}{item}"))],
            (false, _, Some(comma)) => vec![Splice::insert(comma + 1, format!(" {item},"))],
            (false, _, None) => vec![Splice::insert(last_end, format!(", {item}"))],
        }
    }

    /// The name the file binds module `module` to at the top level, and the edit that
    /// imports it when it does not (`import time`, among the standard library's imports).
    pub fn import_module(&self, module: &str) -> (String, Option<Splice>) {
        for stmt in &self.module.body {
            if let Stmt::Import(import) = stmt {
                if let Some(alias) = import.names.iter().find(|a| a.name.as_str() == module) {
                    let bound = alias.asname.as_ref().unwrap_or(&alias.name);
                    return (bound.to_string(), None);
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
        (module.to_string(), Some(splice))
    }

    /// The name the file binds `module.name` to at the top level, and the edit that imports
    /// it when it does not: joined to a one-line `from module import ..` (in isort's order:
    /// constants, classes, the rest), else a line of its own among the imports of the same
    /// package.
    pub fn import_name(&self, module: &str, name: &str) -> (String, Option<Splice>) {
        let froms: Vec<&ast::StmtImportFrom> = (self.module.body.iter())
            .filter_map(|stmt| match stmt {
                Stmt::ImportFrom(from)
                    if from.level == 0
                        && from.module.as_ref().is_some_and(|m| m.as_str() == module) =>
                {
                    Some(from)
                }
                _ => None,
            })
            .collect();
        for from in &froms {
            for alias in &from.names {
                if alias.name.as_str() == name || alias.name.as_str() == "*" {
                    let bound = alias.asname.as_ref().unwrap_or(&alias.name);
                    let bound = if bound.as_str() == "*" {
                        name
                    } else {
                        bound.as_str()
                    };
                    return (bound.to_string(), None);
                }
            }
        }
        let joinable = froms.iter().find(|from| {
            let source = &self.text[from.range()];
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
                    line_start(self.text, from.start().to_usize()),
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

    /// `lines` as a new paragraph at the end of the module.
    pub fn append_statement(&self, lines: &[String]) -> Splice {
        let eol = self.eol;
        let text = self.text;
        let mut content = String::new();
        if !text.is_empty() && !text.ends_with('\n') {
            content.push_str(eol);
        }
        if !text.trim().is_empty() {
            // Two blank lines before it, as before a top-level definition (PEP 8).
            let blank = text.trim_end_matches(['\r', '\n']);
            let blank_lines = text[blank.len()..].matches('\n').count().saturating_sub(1);
            for _ in blank_lines..2 {
                content.push_str(eol);
            }
        }
        for line in lines {
            content.push_str(line);
            content.push_str(eol);
        }
        Splice::insert(text.len(), content)
    }

    fn call_at(&self, start: usize) -> Option<&ast::ExprCall> {
        let mut finder = Finder {
            start,
            end: None,
            call: None,
            dict: None,
        };
        finder.visit_body(&self.module.body);
        finder.call
    }

    fn dict_at(&self, start: usize, end: usize) -> Option<&ast::ExprDict> {
        let mut finder = Finder {
            start,
            end: Some(end),
            call: None,
            dict: None,
        };
        finder.visit_body(&self.module.body);
        finder.dict
    }

    /// The module's top-level imports in blocks (runs of consecutive lines), and where a
    /// first import goes when there is none (after the docstring and `__future__` imports).
    fn imports(&self) -> Imports {
        let text = self.text;
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
                _ => {
                    last_end_line = None;
                    continue;
                }
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
        Imports {
            blocks,
            preamble_end,
        }
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

/// Finds the innermost call starting at `start`, or the dict literal spanning exactly
/// `start..end`.
struct Finder<'a> {
    start: usize,
    end: Option<usize>,
    call: Option<&'a ast::ExprCall>,
    dict: Option<&'a ast::ExprDict>,
}

impl<'a> Visitor<'a> for Finder<'a> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        let range = expr.range();
        if range.start().to_usize() > self.start || range.end().to_usize() <= self.start {
            return;
        }
        match (expr, self.end) {
            (Expr::Call(call), None) if range.start().to_usize() == self.start => {
                self.call = Some(call);
            }
            (Expr::Dict(dict), Some(end))
                if range.start().to_usize() == self.start && range.end().to_usize() == end =>
            {
                self.dict = Some(dict);
            }
            _ => {}
        }
        visitor::walk_expr(self, expr);
    }
}

mod layout;
#[cfg(test)]
mod tests;
