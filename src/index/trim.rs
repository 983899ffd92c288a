//! Trimming: the summaries of a whole-tree pass keep only the module-level bindings that
//! their own call sites, wrappers and functions reach, and the TTL constant's definitions.
//!
//! Module bindings are most of a summary's memory (every import, every `RULES = {...}`
//! table), and the analysis reads few of them: those its call sites' values refer to, and
//! the names other modules import and use. The first are kept here; a lookup of any other
//! name finds the summary trimmed and summarises the file again, whole
//! (`Project::lookup`), so no answer changes. Rust `use` bindings are kept too: the
//! re-export pass reads them all.

use std::collections::{BTreeMap, BTreeSet};

use crate::facts::{
    constant_key_module, ExpiresAtSource, Language, MappingLookup, ModuleSummary, Term,
};

/// Drops the bindings nothing in the summary reaches, except a definition of `constant`
/// (the constant check reads every definition; an import of it is looked up like any
/// other name). Returns whether any was dropped.
pub fn trim_bindings(summary: &mut ModuleSummary, constant: &str) -> bool {
    let mut roots: Vec<&Term> = Vec::new();
    // Names of this module the analysis will look up: found in the terms, to a fixpoint.
    let mut pending: Vec<String> = Vec::new();
    let sites = summary
        .call_sites
        .iter()
        .chain(summary.wrappers.iter().map(|w| &w.site));
    for site in sites {
        match &site.expires_at {
            ExpiresAtSource::Value { term, .. } => roots.push(term),
            ExpiresAtSource::Form(literals) => literals.iter().for_each(|l| l.terms(&mut roots)),
            ExpiresAtSource::Helper {
                callee,
                args,
                kwargs,
            } => {
                pending.extend(own_key(summary, &callee.module, &callee.name));
                roots.extend(args);
                roots.extend(kwargs.iter().map(|(_, t)| t));
            }
            _ => {}
        }
    }
    for function in summary.functions.values() {
        roots.extend(&function.returns);
        if let Some(MappingLookup::Present { term, .. }) = &function.returned_expires_at {
            roots.push(term);
        }
    }
    let mut keep: BTreeSet<String> = BTreeSet::new();
    let mut stack: Vec<&Term> = roots;
    loop {
        while let Some(term) = stack.pop() {
            visit(term, &mut stack, &mut |module, name| {
                if let Some(key) = own_key(summary, module, name) {
                    pending.push(key);
                }
            });
        }
        let Some(key) = pending.pop() else { break };
        if keep.insert(key.clone()) {
            if let Some(bindings) = summary.bindings.get(&key) {
                stack.extend(bindings.iter().map(|b| &b.term));
            }
        }
    }
    let before = summary.bindings.len();
    let language = summary.language;
    summary.bindings.retain(|key, bindings| {
        keep.contains(key)
            || (constant_key_module(key, constant).is_some()
                && bindings.iter().any(|b| b.is_definition))
            || (language == Language::Rust && bindings.iter().all(|b| !b.is_definition))
    });
    if summary.bindings.is_empty() {
        // An emptied map still holds its root node; most trimmed Python summaries end here.
        summary.bindings = BTreeMap::new();
    }
    summary.bindings.len() < before
}

/// The key in this summary's bindings of `module.name`, if the name is this file's
/// (Rust items of an inline module are stored as `inner::NAME`).
fn own_key(summary: &ModuleSummary, module: &str, name: &str) -> Option<String> {
    if module == summary.module {
        return Some(name.to_string());
    }
    let inner = module.strip_prefix(&summary.module)?.strip_prefix("::")?;
    Some(format!("{inner}::{name}"))
}

/// Pushes a term's children and reports its symbol references.
fn visit<'t>(term: &'t Term, stack: &mut Vec<&'t Term>, symbol: &mut impl FnMut(&str, &str)) {
    match term {
        Term::Symbol(s) => symbol(&s.module, &s.name),
        // `config.TTL` where `config` is an imported project module.
        Term::Attr { receiver, attr } if matches!(receiver.as_ref(), Term::Module(_)) => {
            if let Term::Module(module) = receiver.as_ref() {
                symbol(module, attr);
            }
        }
        _ => term.for_each_child(|child| stack.push(child)),
    }
}
