//! Name resolution for Rust paths: a path as written is looked up in the scopes of the
//! enclosing blocks and modules (`scope`), through globs, then among the crate's dependencies.
//!
//! A path resolves to an absolute path whose first segment is a crate: one of the project's
//! own (a project symbol, followed by the analysis) or an external crate (matched against the
//! call shapes). Nothing here knows Stripe.

mod scope;

use super::crates::RustModule;
use super::RustProject;
use scope::Scope;

/// The result of resolving a path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolved {
    /// A path into one of the project's crates (`["app", "config", "TTL"]`).
    Project(Vec<String>),
    /// A path into another crate (`["stripe", "CheckoutSession"]`).
    External(Vec<String>),
    /// A type-like name that no `use`, item or readable glob defines (it comes through a
    /// glob of another project module, or a macro), kept as written.
    Unknown(Vec<String>),
}

impl Resolved {
    pub fn segments(&self) -> &[String] {
        match self {
            Resolved::Project(p) | Resolved::External(p) | Resolved::Unknown(p) => p,
        }
    }
}

pub struct Resolver<'a> {
    pub file: &'a RustModule,
    pub(super) project: &'a RustProject,
    pub(super) scopes: Vec<Scope>,
}

impl<'a> Resolver<'a> {
    pub fn project(&self) -> &'a RustProject {
        self.project
    }

    pub fn new(file: &'a RustModule, project: &'a RustProject) -> Self {
        Resolver {
            file,
            project,
            scopes: Vec::new(),
        }
    }

    /// The module path of the innermost scope.
    pub fn module(&self) -> Vec<String> {
        self.scopes
            .last()
            .map(|s| s.module.clone())
            .unwrap_or_else(|| self.file.segments())
    }
    /// What the innermost scope imports: each name with its resolved target, sorted.
    /// Imports of project items become bindings (re-exports such as `pub use
    /// crate::config::TTL;`); imports of Stripe types feed the project's re-export table.
    /// The flag says whether the import is a re-export (`pub use`).
    pub fn imports(&self) -> Vec<(String, Resolved, bool)> {
        let Some(scope) = self.scopes.last() else {
            return Vec::new();
        };
        let mut imports: Vec<(String, Resolved, bool)> = scope
            .names
            .iter()
            .map(|(name, path)| {
                let exported = scope.exported.contains(name);
                (name.clone(), self.classify(path.clone()), exported)
            })
            .collect();
        imports.sort_by(|a, b| a.0.cmp(&b.0));
        imports
    }

    pub fn pop(&mut self) {
        self.scopes.pop();
    }

    /// Resolves a path as written in an expression or type.
    pub fn resolve(&self, segments: &[String]) -> Resolved {
        let Some(first) = segments.first() else {
            return Resolved::External(Vec::new());
        };
        let rest = &segments[1..];
        for scope in self.scopes.iter().rev() {
            if let Some(target) = scope.names.get(first) {
                return self.classify(concat(target, rest));
            }
            if scope.items.contains(first) {
                if scope.block {
                    let mut local = scope.module.clone();
                    local.push("{block}".into());
                    return Resolved::Project(concat(&local, segments));
                }
                return self.classify(concat(&scope.module, segments));
            }
        }
        match first.as_str() {
            "crate" | "self" | "super" => {
                let current = self.scopes.last().cloned().unwrap_or_default();
                return self.classify(self.absolute(segments, &current));
            }
            _ => {}
        }
        if let Some(lib) = self.file.externs.get(first) {
            return self.classify(concat(std::slice::from_ref(lib), rest));
        }
        if self.project.crates.contains(first) {
            return self.classify(segments.to_vec());
        }
        // A capitalised name nobody defined comes from a glob import.
        if first.starts_with(|c: char| c.is_ascii_uppercase()) {
            return self.through_globs(segments);
        }
        Resolved::External(segments.to_vec())
    }

    /// Resolves a name through the glob imports in scope: `use stripe::*` gives an external
    /// path; `use super::*` into an enclosing module of this file is resolved in that
    /// module's scope; a glob into another project module cannot be read from here.
    fn through_globs(&self, segments: &[String]) -> Resolved {
        for (depth, scope) in self.scopes.iter().enumerate().rev() {
            for glob in &scope.globs {
                match self.classify(glob.clone()) {
                    Resolved::External(_) => return self.classify(concat(glob, segments)),
                    _ => {
                        // A glob of a project module that re-exports the name.
                        if let external @ Resolved::External(_) =
                            self.classify(concat(glob, segments))
                        {
                            return external;
                        }
                        let enclosing = self.scopes[..depth]
                            .iter()
                            .rposition(|outer| outer.module == *glob);
                        if let Some(index) = enclosing {
                            let outer = Resolver {
                                file: self.file,
                                project: self.project,
                                scopes: self.scopes[..=index].to_vec(),
                            };
                            let resolved = outer.resolve(segments);
                            if !matches!(resolved, Resolved::Unknown(_)) {
                                return resolved;
                            }
                        }
                    }
                }
            }
        }
        Resolved::Unknown(segments.to_vec())
    }

    /// The project modules the globs in scope import (`use crate::config::*;`), outermost
    /// first, as `::`-joined paths.
    pub fn project_globs(&self) -> Vec<String> {
        let mut modules = Vec::new();
        for scope in &self.scopes {
            for glob in &scope.globs {
                if let Resolved::Project(module) = self.classify(glob.clone()) {
                    modules.push(module.join("::"));
                }
            }
        }
        modules
    }

    fn classify(&self, path: Vec<String>) -> Resolved {
        match path.first() {
            Some(first) if self.project.crates.contains(first) || *first == self.file.crate_key => {
                // A project path through a re-export of another crate's item
                // (`pub use stripe::CheckoutSession as CS;` in a prelude module).
                for split in (1..=path.len()).rev() {
                    if let Some(target) = self.project.reexports.get(&path[..split].join("::")) {
                        return Resolved::External(concat(target, &path[split..]));
                    }
                }
                Resolved::Project(path)
            }
            _ => Resolved::External(path),
        }
    }

    /// The HTTP crate this file imports from, if any (for naming raw HTTP sites).
    pub fn imported_crate(&self, crates: &[String]) -> Option<String> {
        self.scopes.iter().rev().find_map(|scope| {
            scope
                .names
                .values()
                .chain(scope.globs.iter())
                .filter_map(|p| p.first())
                .find(|c| crates.contains(c))
                .cloned()
        })
    }
}

pub(super) fn concat(a: &[String], b: &[String]) -> Vec<String> {
    a.iter().chain(b).cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{HashMap, HashSet};
    use std::sync::Arc;

    fn resolve_in(source: &str, path: &str) -> Resolved {
        let file: syn::File = syn::parse_str(source).unwrap();
        let module = RustModule {
            key: "app::routes".into(),
            crate_key: "app".into(),
            externs: Arc::new(HashMap::from([("payments".into(), "stripe".into())])),
        };
        let project = RustProject {
            crates: HashSet::from(["app".to_string()]),
            reexports: HashMap::from([(
                "app::prelude::Session".to_string(),
                vec!["stripe".to_string(), "CheckoutSession".to_string()],
            )]),
            ..RustProject::default()
        };
        let mut resolver = Resolver::new(&module, &project);
        resolver.push(module.segments(), &file.items);
        let segments: Vec<String> = path.split("::").map(str::to_string).collect();
        resolver.resolve(&segments)
    }

    fn ext(path: &str) -> Resolved {
        Resolved::External(path.split("::").map(str::to_string).collect())
    }

    fn project(path: &str) -> Resolved {
        Resolved::Project(path.split("::").map(str::to_string).collect())
    }

    #[test]
    fn aliases_groups_and_renames() {
        let src =
            "use stripe::{CheckoutSession as CS, CreateCheckoutSession};\nuse payments::Client;";
        assert_eq!(
            resolve_in(src, "CS::create"),
            ext("stripe::CheckoutSession::create")
        );
        assert_eq!(
            resolve_in(src, "CreateCheckoutSession::new"),
            ext("stripe::CreateCheckoutSession::new")
        );
        assert_eq!(resolve_in(src, "Client"), ext("stripe::Client"));
        assert_eq!(
            resolve_in(src, "payments::CheckoutSession"),
            ext("stripe::CheckoutSession")
        );
    }

    #[test]
    fn globs_and_local_items() {
        let src = "use stripe::*;\nstruct CreateCheckoutSession;";
        assert_eq!(
            resolve_in(src, "CheckoutSession::create"),
            ext("stripe::CheckoutSession::create")
        );
        assert_eq!(
            resolve_in(src, "CreateCheckoutSession::new"),
            project("app::routes::CreateCheckoutSession::new")
        );
    }

    #[test]
    fn super_glob_into_the_enclosing_module() {
        let src = "use stripe::CheckoutSession;\nmod tests {\n    use super::*;\n}";
        let file: syn::File = syn::parse_str(src).unwrap();
        let module = RustModule {
            key: "app".into(),
            crate_key: "app".into(),
            externs: Arc::new(HashMap::new()),
        };
        let project = RustProject {
            crates: HashSet::from(["app".to_string()]),
            ..RustProject::default()
        };
        let mut resolver = Resolver::new(&module, &project);
        resolver.push(module.segments(), &file.items);
        let syn::Item::Mod(tests) = &file.items[1] else {
            panic!("a module")
        };
        resolver.push(
            vec!["app".into(), "tests".into()],
            &tests.content.as_ref().unwrap().1,
        );
        assert_eq!(
            resolver.resolve(&["CheckoutSession".into(), "create".into()]),
            ext("stripe::CheckoutSession::create")
        );
        let other = "use crate::prelude::*;";
        assert_eq!(
            resolve_in(other, "CheckoutSession::create"),
            Resolved::Unknown(vec!["CheckoutSession".into(), "create".into()])
        );
    }

    #[test]
    fn project_reexports_of_external_items() {
        let src = "use crate::prelude::Session as S;";
        assert_eq!(
            resolve_in(src, "S::create"),
            ext("stripe::CheckoutSession::create")
        );
    }

    #[test]
    fn crate_self_super() {
        let src = "use crate::config::TTL;\nuse super::helpers::now;";
        assert_eq!(resolve_in(src, "TTL"), project("app::config::TTL"));
        assert_eq!(resolve_in(src, "now"), project("app::helpers::now"));
        assert_eq!(resolve_in(src, "crate::x::Y"), project("app::x::Y"));
        assert_eq!(
            resolve_in(src, "Utc::now"),
            Resolved::Unknown(vec!["Utc".into(), "now".into()])
        );
    }
}
