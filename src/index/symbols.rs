//! The narrow interface through which the evaluator reads the project: module-level bindings,
//! helper functions, form structs and the TTL constant's definitions, by symbol. The index
//! answers it, loading a module the first time one of its symbols is asked for.

use crate::facts::forms::FormDecl;
use crate::facts::{Binding, FunctionSummary, SymbolRef};

/// Access to the project's module-level facts, loading modules on demand.
pub trait Symbols {
    fn bindings(&mut self, symbol: &SymbolRef) -> Option<Vec<Binding>>;
    fn function(&mut self, symbol: &SymbolRef) -> Option<FunctionSummary>;
    /// A struct that serialises to named keys, sent as a form from another module.
    fn form_struct(&mut self, symbol: &SymbolRef) -> Option<FormDecl>;
    /// True when this symbol is (one of) the definitions of the shared TTL constant.
    fn is_ttl_definition(&self, symbol: &SymbolRef) -> bool;
    /// True when the symbol has the TTL constant's name but is not its definition.
    fn is_shadow(&self, symbol: &SymbolRef) -> bool;
}
