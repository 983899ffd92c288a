//! Rewrites of a value a Rust site writes: a clock read in milliseconds or nanoseconds
//! read in seconds (the seconds API, the scaling dropped), and the value as an operand.
//! Part of the Rust editor; knows the clock crates' method names, not what Stripe wants.

use syn::visit::{self, Visit};
use syn::{BinOp, Expr, Lit};

use super::{range, RustEditor};
use crate::facts::fix::Splice;
use crate::lang::rust::syntax::{flatten_chain, peel, unwrap_some};

/// The seconds reading of each scaled clock method (chrono, `std::time`, time, jiff), by
/// the units a second it counts.
const SECONDS_API: [(&str, &str, i64); 4] = [
    ("timestamp_millis", "timestamp", 1_000),
    ("as_millis", "as_secs", 1_000),
    ("as_millisecond", "as_second", 1_000),
    ("unix_timestamp_nanos", "unix_timestamp", 1_000_000_000),
];

impl RustEditor {
    /// The value at `start..end`, counting `per_second` units a second, read in seconds:
    /// each scaled clock method called as its seconds reading, each multiplication by
    /// 1 000 (10⁶, 10⁹) dropped. `None` when there is neither.
    pub fn seconds(&self, start: usize, end: usize, per_second: i64) -> Option<Vec<Splice>> {
        let mut finder = Scalings {
            start,
            end,
            per_second,
            splices: Vec::new(),
        };
        finder.visit_file(&self.file);
        (!finder.splices.is_empty()).then_some(finder.splices)
    }

    /// Where the value of `field` is written for the site whose parameters are the
    /// expression at `start..end`: that expression itself unless it names a local; for a
    /// local, its one write before the site in the function holding it (a field of the
    /// struct literal its `let` binds, `name.field = Some(..);`, `.field(..)` in a builder
    /// chain bound to it). `None` when there are several.
    pub fn written_value(&self, start: usize, end: usize, field: &str) -> Option<(usize, usize)> {
        let Some(Expr::Path(path)) = self.expr_at(start, end) else {
            return Some((start, end));
        };
        let Some(name) = path.path.get_ident().map(|i| i.to_string()) else {
            return Some((start, end));
        };
        let mut writes = Writes {
            name: &name,
            field,
            before: start,
            found: Vec::new(),
        };
        writes.visit_file(&self.file);
        match writes.found.as_slice() {
            [] => Some((start, end)),
            [one] => Some(*one),
            _ => None,
        }
    }

    /// The expression at `start..end` as an operand of `+`: parenthesised unless it is a
    /// path, a field, a call, a method call, a literal or already parenthesised.
    pub fn operand(&self, start: usize, end: usize) -> String {
        let text = &self.text.as_str()[start..end];
        match self.expr_at(start, end) {
            Some(
                Expr::Path(_)
                | Expr::Field(_)
                | Expr::Call(_)
                | Expr::MethodCall(_)
                | Expr::Lit(_)
                | Expr::Paren(_),
            ) => text.to_string(),
            _ => format!("({text})"),
        }
    }
}

/// Whether an expression is a number literal that scales seconds to units counting
/// `per_second` a second.
fn is_scale(expr: &Expr, per_second: i64) -> bool {
    let Expr::Lit(literal) = expr else {
        return false;
    };
    let value = match &literal.lit {
        Lit::Int(i) => i.base10_parse::<u64>().ok().map(|i| i as f64),
        Lit::Float(f) => f.base10_parse::<f64>().ok(),
        _ => None,
    };
    value.is_some_and(|v| v == per_second as f64)
}

struct Scalings {
    start: usize,
    end: usize,
    per_second: i64,
    splices: Vec<Splice>,
}

impl<'a> Visit<'a> for Scalings {
    fn visit_expr(&mut self, expr: &'a Expr) {
        let (start, end) = range(expr);
        if end <= self.start || start >= self.end {
            return;
        }
        let inside = self.start <= start && end <= self.end;
        match expr {
            // `x * 1000`: the operator and the factor go.
            Expr::Binary(binary) if inside && matches!(binary.op, BinOp::Mul(_)) => {
                let (left, right) = (&*binary.left, &*binary.right);
                // The whole value, the operand left needs no parentheses of its own
                // (rustc warns of them).
                let alone = (start, end) == (self.start, self.end);
                let kept = match (
                    is_scale(left, self.per_second),
                    is_scale(right, self.per_second),
                ) {
                    (_, true) => {
                        self.splices
                            .push(Splice::delete(range(left).1, range(right).1));
                        left
                    }
                    (true, false) => {
                        self.splices
                            .push(Splice::delete(range(left).0, range(right).0));
                        right
                    }
                    (false, false) => return visit::visit_expr(self, expr),
                };
                if let (true, Expr::Paren(paren)) = (alone, kept) {
                    let (open, close) = range(paren);
                    self.splices.push(Splice::delete(open, open + 1));
                    self.splices.push(Splice::delete(close - 1, close));
                }
            }
            Expr::MethodCall(call) if inside && call.args.is_empty() => {
                let seconds = SECONDS_API.iter().find(|(scaled, _, per_second)| {
                    call.method == scaled && *per_second == self.per_second
                });
                if let Some((_, seconds, _)) = seconds {
                    let (start, end) = range(&call.method);
                    self.splices.push(Splice {
                        start,
                        end,
                        content: seconds.to_string(),
                    });
                }
            }
            _ => {}
        }
        visit::visit_expr(self, expr);
    }
}

/// The writes of `name`'s `field` before `before`, in the function holding it.
struct Writes<'n> {
    name: &'n str,
    field: &'n str,
    before: usize,
    found: Vec<(usize, usize)>,
}

impl Writes<'_> {
    /// The value written for `field` in a params expression: a struct literal's field, a
    /// builder chain's `.field(..)`.
    fn in_params(&mut self, expr: &Expr) {
        match peel(expr) {
            Expr::Struct(literal) => {
                let named = |f: &&syn::FieldValue| matches!(&f.member, syn::Member::Named(n) if n == self.field);
                if let Some(written) = literal.fields.iter().find(named) {
                    self.found.push(range(unwrap_some(&written.expr)));
                }
            }
            chain @ Expr::MethodCall(_) => {
                let (links, _) = flatten_chain(chain);
                for link in links {
                    if link.method == self.field && link.args.len() == 1 {
                        self.found.push(range(&link.args[0]));
                    }
                }
            }
            _ => {}
        }
    }

    fn names(&self, expr: &Expr) -> bool {
        matches!(peel(expr), Expr::Path(p) if p.path.is_ident(self.name))
    }
}

impl<'a> Visit<'a> for Writes<'_> {
    super::only_inside_what_holds!(before);

    fn visit_local(&mut self, local: &'a syn::Local) {
        let binds =
            matches!(crate::lang::rust::syntax::pat_ident(&local.pat), Some(n) if n == self.name);
        if binds && range(local).1 <= self.before {
            if let Some(init) = &local.init {
                self.in_params(&init.expr);
            }
        }
        visit::visit_local(self, local);
    }

    fn visit_expr_assign(&mut self, assign: &'a syn::ExprAssign) {
        if range(assign).1 <= self.before {
            match &*assign.left {
                // `name.field = Some(..);`
                Expr::Field(target)
                    if self.names(&target.base)
                        && matches!(&target.member, syn::Member::Named(n) if n == self.field) =>
                {
                    // `= None` too: a write, which the value's text then does not match.
                    self.found.push(range(unwrap_some(&assign.right)))
                }
                // `name = name.field(..);`
                left if self.names(left) => self.in_params(&assign.right),
                _ => {}
            }
        }
        visit::visit_expr_assign(self, assign);
    }
}
