//! Following Python re-exports through each other: where a chain of names (`deps.S` →
//! `billing.S` → `stripe.checkout.Session`) ends, the names star imports pass on, and which
//! modules must be read for their imports so that the next link of a chain becomes known.
//!
//! Knows dotted names and which modules were parsed; knows no Rust and no rule.

use std::collections::{HashMap, HashSet};

use crate::facts::{Language, ModuleSet};
use crate::index::files::Located;
use crate::index::project::Project;
use crate::index::state::FileState;
use crate::lang::python;
use crate::shapes::shapes;

impl Project {
    /// The Python modules whose project imports the re-export pass must read: the first one
    /// on the way of a call (`deps.S.create`, through what the modules read so far are known
    /// to bind) that is unread or was read without its imports, and each star-imported one.
    /// Only calls made by files summarised for themselves count: a module read only for its
    /// imports (`imports_only`) is, to the rest of the pass, one never parsed (`Project::
    /// resummarise_reexport_users` reads it again if it spells a name that may hide a use).
    pub(super) fn modules_to_read(
        &self,
        exports: &HashMap<String, String>,
        imports_only: &HashSet<usize>,
    ) -> HashSet<String> {
        // A star-imported module passes on its own star imports: read it for them.
        let mut wanted: HashSet<String> = exports
            .iter()
            .filter(|(key, _)| key.ends_with(".*"))
            .map(|(_, module)| module.clone())
            .collect();
        for (index, file) in self.files.iter() {
            if file.language() != Language::Python || imports_only.contains(&index) {
                continue;
            }
            let callees = match self.files.state(index) {
                FileState::Summarised(s) => &s.project_callees[..],
                FileState::Released(r) => r.project_callees(),
                _ => continue,
            };
            for callee in callees {
                wanted.extend(self.first_unread_link(callee, exports));
            }
        }
        // A chain of re-exports no call goes through yet: its end is read, so that the names
        // on the way become known (and files that spell them are read). A chain that starts
        // in a module read only for its imports is left until a call goes through it, unless
        // it ends in a parsed module: that one was summarised without its imports, maybe
        // before the name it passes on was known (`from billing import S as U`, a candidate),
        // and nothing else would read it again.
        let read_for_imports_only: HashSet<&str> = imports_only
            .iter()
            .filter_map(|&index| Some(self.files[index].module()?.0))
            .collect();
        for (key, target) in exports {
            let mut end = target;
            for _ in 0..8 {
                match exports.get(end.as_str()) {
                    Some(next) if next != end => end = next,
                    _ => break,
                }
            }
            let Some((end_module, _)) = end.rsplit_once('.') else {
                continue;
            };
            if exports.contains_key(end.as_str()) {
                continue;
            }
            if !ModuleSet::contains(&self.files, end_module) {
                continue;
            }
            let start = key.rsplit_once('.').map_or("", |(module, _)| module);
            if self.never_parsed(end_module) && read_for_imports_only.contains(start) {
                continue;
            }
            wanted.insert(end_module.to_string());
        }
        wanted
    }

    /// Follows a call (`module.name.method`) through the project names known so far
    /// (`exports`, star imports included); the module whose imports would tell the next
    /// link, when it is not among them.
    fn first_unread_link(&self, callee: &str, exports: &HashMap<String, String>) -> Option<String> {
        let mut callee = callee.to_string();
        for _ in 0..8 {
            // The longest prefix that is a project module.
            let mut module = callee.as_str();
            loop {
                module = module.rsplit_once('.')?.0;
                if ModuleSet::contains(&self.files, module) {
                    break;
                }
            }
            let rest = &callee[module.len() + 1..];
            let (name, dotted) = match rest.split_once('.') {
                Some((name, _)) => (name, true),
                None => (rest, false),
            };
            let key = format!("{module}.{name}");
            let next = match exports.get(&key) {
                Some(target) if *target != key => target.clone(),
                Some(_) => return None,
                None => match exports.get(&format!("{module}.*")) {
                    // Passed on by a star import (the star-imported module is read).
                    Some(starred) => format!("{starred}.{name}"),
                    // `deps.make(..)`: a function, or a name `deps` imports for a create
                    // method (`from payments import make`), which only reading a module
                    // never parsed can tell.
                    None if dotted || self.never_parsed(module) => return Some(module.to_string()),
                    None => return None,
                },
            };
            callee = format!("{next}{}", &callee[key.len()..]);
        }
        None
    }

    /// Whether the module's file failed the prefilter, so no summary ever listed its names.
    fn never_parsed(&self, module: &str) -> bool {
        match self.files.locate(module, Language::Python) {
            Some(Located::Held(id)) => matches!(self.files.state(id), FileState::Skipped),
            Some(Located::Unheld(_)) => true,
            None => false,
        }
    }
}

/// Python re-exports (`module.name` → target) followed through each other to a library
/// name (a cycle stops at the bound); names that end in none are dropped, except names for
/// a project module on the way to one (`deps.pay` for `app.payments`, when `app.payments.S`
/// is Stripe's class: `deps.pay.S.create`).
pub(super) fn follow_reexports(exports: &HashMap<String, String>) -> HashMap<String, String> {
    let with_stars;
    let exports = match through_star_imports(exports) {
        Some(expanded) => {
            with_stars = expanded;
            &with_stars
        }
        None => exports,
    };
    let mut stripe = HashMap::new();
    let mut others = Vec::new();
    for (key, target) in exports {
        if key.ends_with(".*") {
            continue;
        }
        let mut target = target;
        for _ in 0..8 {
            match exports.get(target.as_str()) {
                Some(next) if next != target => target = next,
                _ => break,
            }
        }
        let root = target.split('.').next().unwrap_or_default();
        if shapes().endpoint.is_constant_target(target)
            || python::is_shape_root(root)
            || shapes().python.names_service_part(target)
        {
            stripe.insert(key.clone(), target.clone());
        } else {
            others.push((key, target));
        }
    }
    let modules: HashSet<&str> = stripe
        .keys()
        .flat_map(|key| key.match_indices('.').map(move |(dot, _)| &key[..dot]))
        .collect();
    let aliases: Vec<(String, String)> = others
        .into_iter()
        .filter(|(key, target)| key != target && modules.contains(target.as_str()))
        .map(|(key, target)| (key.clone(), target.clone()))
        .collect();
    stripe.extend(aliases);
    stripe
}

/// `exports` with the names star imports pass on: `payments.*` → `payments.client` (a
/// package's `from .client import *`) gives `payments.client`'s names to `payments`, unless
/// it binds them itself. `None` when no module star-imports a project module.
fn through_star_imports(exports: &HashMap<String, String>) -> Option<HashMap<String, String>> {
    let stars: Vec<(&str, &str)> = exports
        .iter()
        .filter_map(|(key, target)| Some((key.strip_suffix(".*")?, target.as_str())))
        .collect();
    if stars.is_empty() {
        return None;
    }
    let mut exports = exports.clone();
    // Chains of star imports (`app` from `app.payments` from `app.payments.client`).
    for _ in 0..8 {
        let mut names_of: HashMap<&str, Vec<(&str, &str)>> = HashMap::new();
        for (key, target) in &exports {
            if let Some((module, name)) = key.rsplit_once('.') {
                if name != "*" {
                    names_of.entry(module).or_default().push((name, target));
                }
            }
        }
        let mut passed_on = Vec::new();
        for (importer, imported) in &stars {
            for (name, target) in names_of.get(imported).into_iter().flatten() {
                let key = format!("{importer}.{name}");
                if !exports.contains_key(&key) {
                    passed_on.push((key, target.to_string()));
                }
            }
        }
        if passed_on.is_empty() {
            break;
        }
        exports.extend(passed_on);
    }
    Some(exports)
}
