//! Abstract evaluation of `expires_at` terms: what kind of value is this, on which clock,
//! in which unit, and is it derived from the shared TTL constant?
//!
//! The evaluator follows symbols across modules (through `Symbols`, which loads modules on
//! demand), inlines project helpers, and gives up (`Value::Opaque`) with a reason instead of
//! guessing. Knowledge of the standard clocks (`time.time`, `datetime.now`, chrono, ...)
//! lives in `clocks`.

use std::collections::HashMap;

use super::arithmetic;
use super::clocks;
use super::fold::{star_imported, MAX_DEPTH};
pub use crate::facts::value::{Clock, Unit, Value};
use crate::facts::{FunctionSummary, Language, SymbolRef, Term, Unseen};
use crate::index::Symbols;

pub struct Evaluator<'s, S: Symbols> {
    symbols: &'s mut S,
    cache: HashMap<SymbolRef, Value>,
}

impl<'s, S: Symbols> Evaluator<'s, S> {
    pub fn new(symbols: &'s mut S) -> Self {
        Evaluator {
            symbols,
            cache: HashMap::new(),
        }
    }

    /// The symbols evaluated against (the project), for reading between evaluations.
    pub fn symbols(&self) -> &S {
        self.symbols
    }

    pub fn symbols_mut(&mut self) -> &mut S {
        self.symbols
    }

    pub fn eval(&mut self, term: &Term) -> Value {
        self.eval_depth(term, 0)
    }

    fn eval_depth(&mut self, term: &Term, depth: usize) -> Value {
        if depth > MAX_DEPTH {
            return Value::Opaque("the value goes through too many names and helpers".into());
        }
        let next = depth + 1;
        match term {
            Term::Int(i) => Value::Int(*i),
            Term::Float => Value::Float,
            Term::Str(_) => Value::Str,
            Term::External(q) => Value::External(q.clone()),
            Term::Module(m) => Value::Opaque(format!("the module `{m}`")),
            Term::Param(p) => {
                Value::Opaque(format!("the parameter `{p}` of the enclosing function"))
            }
            Term::Opaque(why) => Value::Opaque(why.clone()),
            Term::Unseen(_) => Value::Opaque("a value changed where it cannot be followed".into()),
            Term::Symbol(symbol) => self.symbol(symbol, next),
            Term::StarImported {
                name,
                modules,
                language,
            } => {
                let term = star_imported(self.symbols, name, modules, *language);
                self.eval_depth(&term, next)
            }
            Term::OneOf(terms) => {
                Value::OneOf(terms.iter().map(|t| self.eval_depth(t, next)).collect())
            }
            Term::Neg(inner) => match self.eval_depth(inner, next) {
                Value::Int(i) => i
                    .checked_neg()
                    .map(Value::Int)
                    .unwrap_or_else(|| Value::Opaque("an overflowing negation".into())),
                other => Value::Opaque(format!("a negated {}", other.describe())),
            },
            Term::Attr { attr, receiver } => {
                // `Config.TTL`: an attribute a project class binds in its body.
                if let Some(symbol) = class_attribute(receiver, attr) {
                    if self.symbols.bindings(&symbol).is_some() {
                        return self.symbol(&symbol, next);
                    }
                }
                match self.eval_depth(receiver, next) {
                    Value::External(q) => Value::External(format!("{q}.{attr}")),
                    other => {
                        Value::Opaque(format!("the attribute `{attr}` of {}", other.describe()))
                    }
                }
            }
            Term::Call {
                callee,
                args,
                kwargs,
            } => {
                let callee = self.eval_depth(callee, next);
                match callee {
                    Value::External(q) => {
                        let args: Vec<Value> =
                            args.iter().map(|a| self.eval_depth(a, next)).collect();
                        let kwargs: Vec<(String, Value)> = kwargs
                            .iter()
                            .map(|(k, v)| (k.clone(), self.eval_depth(v, next)))
                            .collect();
                        clocks::call(&q, &args, &kwargs)
                    }
                    Value::Function(symbol) => self.inline(&symbol, args, kwargs, next),
                    other => Value::Opaque(format!("a call of {}", other.describe())),
                }
            }
            Term::Method {
                receiver,
                method,
                args,
                kwargs,
            } => {
                let receiver = self.eval_depth(receiver, next);
                let args: Vec<Value> = args.iter().map(|a| self.eval_depth(a, next)).collect();
                let kwargs: Vec<(String, Value)> = kwargs
                    .iter()
                    .map(|(k, v)| (k.clone(), self.eval_depth(v, next)))
                    .collect();
                match receiver {
                    Value::External(q) => clocks::call(&format!("{q}.{method}"), &args, &kwargs),
                    receiver => clocks::method(receiver, method, &args, &kwargs),
                }
            }
            Term::Binary { op, left, right } => {
                let left = self.eval_depth(left, next);
                let right = self.eval_depth(right, next);
                arithmetic::binary(*op, left, right)
            }
        }
    }

    fn symbol(&mut self, symbol: &SymbolRef, depth: usize) -> Value {
        if let Some(value) = self.cache.get(symbol) {
            return value.clone();
        }
        // A cycle (`A = B`, `B = A`) evaluates to opaque instead of recursing forever.
        self.cache.insert(
            symbol.clone(),
            Value::Opaque(format!("`{}` is defined in terms of itself", symbol.name)),
        );
        let value = self.symbol_uncached(symbol, depth);
        self.cache.insert(symbol.clone(), value.clone());
        value
    }

    fn symbol_uncached(&mut self, symbol: &SymbolRef, depth: usize) -> Value {
        if self.symbols.is_ttl_definition(symbol) {
            return Value::Ttl;
        }
        let Some(bindings) = self.symbols.bindings(symbol) else {
            if self.symbols.function(symbol).is_some() {
                return Value::Function(symbol.clone());
            }
            return Value::Opaque(format!(
                "`{}` is not defined in the project",
                symbol.display()
            ));
        };
        let mut values = Vec::new();
        for binding in &bindings {
            let value = self.eval_depth(&binding.term, depth);
            if !binding.is_definition {
                values.push(value);
                continue;
            }
            let name = symbol.display();
            values.push(match value {
                Value::Timestamp { .. } | Value::DateTime { .. } => Value::Stale(name),
                Value::Int(_) | Value::Float | Value::Duration { .. } | Value::TimeDelta { .. }
                    if self.symbols.is_shadow(symbol) =>
                {
                    rename_origin(
                        value,
                        format!("`{name}`, a redefinition that shadows the shared constant"),
                    )
                }
                Value::Int(_) | Value::Duration { ttl: false, .. } => Value::Duration {
                    ttl: false,
                    float: matches!(value, Value::Duration { float: true, .. }),
                    origin: Some(format!("`{name}`, which is not the shared TTL constant")),
                },
                Value::TimeDelta { ttl: false, .. } => Value::TimeDelta {
                    ttl: false,
                    origin: Some(format!("`{name}`, which is not the shared TTL constant")),
                },
                other => other,
            });
        }
        if values.len() == 1 {
            values.pop().unwrap_or(Value::Opaque(String::new()))
        } else {
            Value::OneOf(values)
        }
    }

    /// Evaluates a project helper's return values with its parameters bound to the call's
    /// arguments.
    fn inline(
        &mut self,
        symbol: &SymbolRef,
        args: &[Term],
        kwargs: &[(String, Term)],
        depth: usize,
    ) -> Value {
        let Some(function) = self.symbols.function(symbol) else {
            return Value::Opaque(format!(
                "`{}` is not a function we can follow",
                symbol.display()
            ));
        };
        if function.returns.is_empty() {
            return Value::Opaque(format!("`{}` returns nothing we can see", symbol.display()));
        }
        let bound = self.bind_arguments(&function, args, kwargs, depth);
        let values: Vec<Value> = function
            .returns
            .iter()
            .map(|r| {
                let term = substitute(r, &bound);
                self.eval_depth(&term, depth)
            })
            .collect();
        if values.len() == 1 {
            values
                .into_iter()
                .next()
                .unwrap_or(Value::Opaque(String::new()))
        } else {
            Value::OneOf(values)
        }
    }

    /// The terms a call gives a helper's parameters: its arguments, and the defaults of the
    /// parameters it leaves out. A default is computed once, when the function is defined: a
    /// clock reading there is stale at every call.
    fn bind_arguments(
        &mut self,
        function: &FunctionSummary,
        args: &[Term],
        kwargs: &[(String, Term)],
        depth: usize,
    ) -> HashMap<String, Term> {
        let mut bound = HashMap::new();
        for (name, arg) in function.params.iter().zip(args) {
            bound.insert(name.clone(), arg.clone());
        }
        for (name, value) in kwargs {
            bound.insert(name.clone(), value.clone());
        }
        // `f(*args)` / `f(**options)` may pass any parameter: no default is known to hold.
        let unpacked = kwargs.iter().any(|(k, _)| k == "**")
            || args
                .iter()
                .any(|a| matches!(a, Term::Opaque(why) if why.contains("*args")));
        for (name, default) in &function.defaults {
            if bound.contains_key(name) || unpacked {
                continue;
            }
            let term = if reads_the_clock(&self.eval_depth(default, depth + 1)) {
                Term::Opaque(format!(
                    "the default value of the parameter `{name}`, computed once when the function is defined"
                ))
            } else {
                default.clone()
            };
            bound.insert(name.clone(), term);
        }
        bound
    }

    /// Evaluates the `expires_at` a helper's returned mapping carries.
    pub fn helper_mapping(
        &mut self,
        symbol: &SymbolRef,
        args: &[Term],
        kwargs: &[(String, Term)],
    ) -> Result<Option<(Value, String)>, Unseen> {
        let Some(function) = self.symbols.function(symbol) else {
            return Err(Unseen::Helper {
                name: symbol.display(),
                known: false,
            });
        };
        match &function.returned_expires_at {
            Some(crate::facts::MappingLookup::Present { term, text }) => {
                let bound = self.bind_arguments(&function, args, kwargs, 0);
                let term = substitute(term, &bound);
                Ok(Some((self.eval(&term), text.clone())))
            }
            Some(crate::facts::MappingLookup::Absent) => Ok(None),
            Some(crate::facts::MappingLookup::Unknown(why)) => Err(why.clone()),
            None => Err(Unseen::Helper {
                name: symbol.display(),
                known: true,
            }),
        }
    }
}

fn rename_origin(value: Value, origin: String) -> Value {
    match value {
        Value::TimeDelta { .. } => Value::TimeDelta {
            ttl: false,
            origin: Some(origin),
        },
        _ => Value::Duration {
            ttl: false,
            float: matches!(value, Value::Float | Value::Duration { float: true, .. }),
            origin: Some(origin),
        },
    }
}

/// Replaces a helper's parameters with the caller's arguments.
pub fn substitute(term: &Term, bound: &HashMap<String, Term>) -> Term {
    let sub = |t: &Term| substitute(t, bound);
    match term {
        Term::Param(name) => bound.get(name).cloned().unwrap_or_else(|| {
            Term::Opaque(format!("the default value of the parameter `{name}`"))
        }),
        Term::Call {
            callee,
            args,
            kwargs,
        } => Term::Call {
            callee: Box::new(sub(callee)),
            args: args.iter().map(sub).collect(),
            kwargs: kwargs.iter().map(|(k, v)| (k.clone(), sub(v))).collect(),
        },
        Term::Method {
            receiver,
            method,
            args,
            kwargs,
        } => Term::Method {
            receiver: Box::new(sub(receiver)),
            method: method.clone(),
            args: args.iter().map(sub).collect(),
            kwargs: kwargs.iter().map(|(k, v)| (k.clone(), sub(v))).collect(),
        },
        Term::Attr { receiver, attr } => Term::Attr {
            receiver: Box::new(sub(receiver)),
            attr: attr.clone(),
        },
        Term::Binary { op, left, right } => Term::Binary {
            op: *op,
            left: Box::new(sub(left)),
            right: Box::new(sub(right)),
        },
        Term::Neg(inner) => Term::Neg(Box::new(sub(inner))),
        Term::OneOf(terms) => Term::OneOf(terms.iter().map(sub).collect()),
        other => other.clone(),
    }
}

/// Whether a value is (or may be) a point in time: a default holding one was read once.
fn reads_the_clock(value: &Value) -> bool {
    match value {
        Value::Timestamp { .. } | Value::DateTime { .. } => true,
        Value::OneOf(values) => values.iter().any(reads_the_clock),
        _ => false,
    }
}

/// The binding a class attribute would have (`Config.TTL` is `Config.TTL` of `Config`'s
/// module), for a Python class of the project.
fn class_attribute(receiver: &Term, attr: &str) -> Option<SymbolRef> {
    match receiver {
        Term::Symbol(class) if class.language == Language::Python => Some(SymbolRef {
            language: Language::Python,
            module: class.module.clone(),
            name: format!("{}.{attr}", class.name),
        }),
        _ => None,
    }
}
