//! Folding a TTL definition to whole seconds (`30 * 24 * 3600`, `timedelta(hours=1)`), and
//! the name a star or glob import stands for, which evaluation shares with it.
//!
//! Knows the standard duration constructors through `clocks`; knows no syntax.

use super::clocks::{self, Known};
use crate::facts::{BinaryOp, Language, SymbolRef, Term};
use crate::index::Symbols;

/// The longest chain of symbols and helper calls followed before giving up.
pub(super) const MAX_DEPTH: usize = 32;

/// What a star-imported name stands for: the symbol of the last module that defines it,
/// else the outside name (a builtin).
pub(super) fn star_imported<S: Symbols>(
    symbols: &mut S,
    name: &str,
    modules: &[String],
    language: Language,
) -> Term {
    for module in modules.iter().rev() {
        let symbol = SymbolRef {
            language,
            module: module.clone(),
            name: name.to_string(),
        };
        if symbols.is_ttl_definition(&symbol)
            || symbols.bindings(&symbol).is_some()
            || symbols.function(&symbol).is_some()
        {
            return Term::Symbol(symbol);
        }
    }
    Term::External(name.to_string())
}

/// Folds a TTL definition to whole seconds (`30 * 24 * 3600`, `timedelta(hours=1)`, ...).
pub fn fold_seconds<S: Symbols>(term: &Term, symbols: &mut S, depth: usize) -> Option<i128> {
    if depth > MAX_DEPTH {
        return None;
    }
    let next = depth + 1;
    match term {
        Term::Int(i) => Some(*i),
        Term::Neg(inner) => fold_seconds(inner, symbols, next)?.checked_neg(),
        Term::Binary { op, left, right } => {
            let l = fold_seconds(left, symbols, next)?;
            let r = fold_seconds(right, symbols, next)?;
            match op {
                BinaryOp::Add => l.checked_add(r),
                BinaryOp::Sub => l.checked_sub(r),
                BinaryOp::Mul => l.checked_mul(r),
                BinaryOp::FloorDiv | BinaryOp::Div => l.checked_div_euclid(r),
                BinaryOp::Other => None,
            }
        }
        Term::Symbol(symbol) => {
            let bindings = symbols.bindings(symbol)?;
            let last = bindings.last()?;
            fold_seconds(&last.term.clone(), symbols, next)
        }
        Term::StarImported {
            name,
            modules,
            language,
        } => {
            let term = star_imported(symbols, name, modules, *language);
            fold_seconds(&term, symbols, next)
        }
        Term::Call {
            callee,
            args,
            kwargs,
        } => {
            let star;
            let name = match callee.as_ref() {
                Term::External(q) => q.as_str(),
                Term::StarImported {
                    name,
                    modules,
                    language,
                } => {
                    star = star_imported(symbols, name, modules, *language);
                    match &star {
                        Term::External(q) => q.as_str(),
                        _ => return None,
                    }
                }
                _ => return None,
            };
            match clocks::known(name) {
                Some(Known::ToInt) => fold_seconds(args.first()?, symbols, next),
                Some(Known::TimeDelta) => {
                    let mut total: i128 = 0;
                    for (i, arg) in args.iter().enumerate() {
                        let unit = clocks::timedelta_positional_unit(i)?;
                        total = total
                            .checked_add(fold_seconds(arg, symbols, next)?.checked_mul(unit)?)?;
                    }
                    for (key, value) in kwargs {
                        let unit = clocks::timedelta_unit(key)?;
                        total = total
                            .checked_add(fold_seconds(value, symbols, next)?.checked_mul(unit)?)?;
                    }
                    Some(total)
                }
                Some(Known::DurationFromSecs) => fold_seconds(args.first()?, symbols, next),
                Some(Known::DurationFromMins) => {
                    fold_seconds(args.first()?, symbols, next)?.checked_mul(60)
                }
                Some(Known::DurationFromHours) => {
                    fold_seconds(args.first()?, symbols, next)?.checked_mul(3600)
                }
                Some(Known::DurationFromDays) => {
                    fold_seconds(args.first()?, symbols, next)?.checked_mul(86400)
                }
                _ => None,
            }
        }
        Term::Method {
            receiver, method, ..
        } => match method.as_str() {
            "total_seconds" | "as_secs" | "num_seconds" | "whole_seconds" => {
                fold_seconds(receiver, symbols, next)
            }
            _ => None,
        },
        Term::OneOf(terms) if terms.len() == 1 => fold_seconds(&terms[0], symbols, next),
        _ => None,
    }
}
