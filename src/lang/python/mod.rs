//! The Python front end: parses one file with `ruff_python_parser` and lowers it into a
//! language-neutral `ModuleSummary`.
//!
//! This module is the only place that imports the Python parser and AST. It knows Python
//! syntax and name binding; it asks `shapes` which names are Stripe create APIs and knows
//! nothing of Stripe's `expires_at` rules.

mod classes;
pub mod edit;
mod extract;
mod lower;
mod mapping;
mod resolve;
mod routes;
mod scope;
mod skim;

use std::collections::{HashMap, HashSet};

use ruff_python_ast::token::TokenKind;
use ruff_text_size::Ranged;

pub use extract::{ImportsListed, KnownWrapper};
pub use resolve::is_shape_root;
pub use skim::may_call_unseen;

use crate::facts::{ByteSpan, Language, LeftOut, ModuleSet, ModuleSummary};
use crate::lang::skim::{NeedleKind, Needles};
use crate::lang::suppression_comment::parse_suppression;
use crate::shapes::shapes;

pub use crate::facts::ParseFailure;

/// Words of a module that mounts routers or lists URL patterns (`app.include_router(..)`,
/// `urlpatterns = [...]`): such a module is read even when it names no checkout, since
/// its mounts give the routes of handlers elsewhere.
pub const ROUTE_NEEDLES: &[&str] = &[
    "include_router",
    "register_blueprint",
    "add_router",
    "urlpatterns",
];

/// What the front end needs to know about the project to summarise one file.
pub struct ProjectView<'p> {
    pub project_modules: &'p dyn ModuleSet,
    pub wrappers: &'p HashMap<String, KnownWrapper>,
    /// Project names that stand for outside ones, from the re-export pass (`billing.S` →
    /// `stripe.checkout.Session`).
    pub reexports: &'p HashMap<String, String>,
    /// The names `reexports` binds (`make` of `deps.make`).
    pub reexported_names: &'p HashSet<String>,
    /// See `extract::ImportsListed`.
    pub imports_listed: ImportsListed,
    /// Whether to summarise module-level functions as helpers (`ModuleSummary::functions`).
    /// Whole-tree passes leave them out: they are most of a summary's cost, and only the
    /// analysis's rare helper lookups read them.
    pub helper_functions: bool,
    /// Leave out top-level definitions that cannot matter (`crate::lang::skim`); `None` parses
    /// every file whole.
    pub skim: Option<&'p Needles>,
}

/// Words without which a top-level `def` or `class` cannot matter to the analysis: every
/// create shape calls a create or raw-request method or POSTs (calls of `post`, `request`);
/// the route registrations and mounts `routes.rs` reads (calls of `route`, except in
/// decorators, which route only the sites inside); the TTL constant; the project's thin
/// wrappers; the names project modules bind Stripe's create methods to (`make_session`).
/// (A helper that a site calls is kept because the site names it.) A constant is kept also
/// when it spells the endpoint's last or first word (`sessions`, `v1`): it may be the URL,
/// or the base URL, another module POSTs to (not `checkout`: most candidate files spell it
/// many times, and each is a match to look at).
pub fn skim_needles(
    constant: &str,
    wrappers: &HashMap<String, KnownWrapper>,
    reexports: &HashMap<String, String>,
) -> Needles {
    let python = &shapes().python;
    let words = [
        "add_route",
        "add_api_route",
        "add_url_rule",
        "include_router",
        "register_blueprint",
        "add_router",
        "mount",
        "apiroute",
        "urlpatterns",
    ];
    let route_calls = ["route", "api_route", "api_operation"];
    Needles::with_kinds(
        python
            .create_methods
            .iter()
            .chain(&python.raw_request_methods)
            .map(String::as_str)
            .chain(words)
            .chain([constant])
            .chain(wrappers.keys().filter_map(|key| key.rsplit('.').next()))
            // A name for a class or module is followed by a create method's name where it
            // creates; a name for a create method (or an HTTP client's `post`) is not.
            .chain(
                reexports
                    .iter()
                    .filter(|(key, target)| {
                        let method = target.rsplit('.').next().unwrap_or_default();
                        // `post` itself is a needle already, of its own kind (a call); a
                        // name for it is one only under another name (`send`).
                        let renamed = key.rsplit('.').next() != Some(method);
                        matches!(method, "post" | "request") && renamed
                            || python
                                .create_methods
                                .iter()
                                .chain(&python.raw_request_methods)
                                .any(|m| m == method)
                    })
                    .filter_map(|(key, _)| key.rsplit('.').next()),
            )
            .map(|word| (word, NeedleKind::Word))
            .chain([
                ("post", NeedleKind::PostCall),
                ("request", NeedleKind::Call),
            ])
            .chain(route_calls.map(|word| (word, NeedleKind::RouteCall)))
            .chain([
                (shapes().endpoint.last_word(), NeedleKind::InConstant),
                (shapes().endpoint.first_word(), NeedleKind::InConstant),
            ]),
    )
}

/// The Python front end, as the index uses it.
pub struct Python;

/// A Python file's module: its dotted name (empty when the file lies outside every source
/// root) and whether the file is a package's `__init__`.
#[derive(Clone, Copy, Debug)]
pub struct PythonModule<'m> {
    pub name: &'m str,
    pub is_package: bool,
}

impl crate::lang::FrontEnd for Python {
    const LANGUAGE: Language = Language::Python;
    type Module<'m> = PythonModule<'m>;
    type View<'p> = ProjectView<'p>;

    fn skim_needles(constant: &str, view: &ProjectView<'_>) -> Needles {
        skim_needles(constant, view.wrappers, view.reexports)
    }

    fn summarize(
        text: &str,
        module: PythonModule<'_>,
        view: &ProjectView<'_>,
    ) -> Result<ModuleSummary, ParseFailure> {
        summarize(text, module.name, module.is_package, view)
    }
}

/// Parses and summarises one Python file. `module` is its dotted module name (empty when
/// the file lies outside every source root).
pub fn summarize(
    text: &str,
    module: &str,
    is_package: bool,
    project: &ProjectView,
) -> Result<ModuleSummary, ParseFailure> {
    let mut skimmed = project.skim.and_then(|needles| {
        let (items, comments) = skim::items(text)?;
        crate::lang::skim::skim_filling(text, &items, &comments, needles, skim::one_string)
    });
    // A skimmed file that does not parse is parsed whole, for the true error. Offsets are
    // the same in both texts; suppressions read the original, where a comment after
    // left-out code is still a trailing comment.
    let skimmed_parse = skimmed
        .as_ref()
        .and_then(|skimmed| ruff_python_parser::parse_module(&skimmed.text).ok());
    let (source, parsed, left_out) = match (&mut skimmed, skimmed_parse) {
        (Some(skimmed), Some(parsed)) => (
            skimmed.text.as_str(),
            parsed,
            std::mem::take(&mut skimmed.left_out),
        ),
        _ => (
            text,
            ruff_python_parser::parse_module(text).map_err(|err| ParseFailure {
                offset: err.location.start().to_usize(),
                message: err.error.to_string(),
            })?,
            LeftOut::default(),
        ),
    };
    let ctx = extract::Context {
        module,
        is_package,
        project_modules: project.project_modules,
        wrappers: project.wrappers,
        reexports: project.reexports,
        reexported_names: project.reexported_names,
        imports_listed: project.imports_listed,
        helper_functions: project.helper_functions,
        text,
        left_out: &left_out,
    };
    let extraction = extract::extract(source, parsed.suite(), &ctx);
    let suppressions = parsed
        .tokens()
        .iter()
        .filter(|t| t.kind() == TokenKind::Comment)
        .filter_map(|t| {
            let range = t.range();
            let comment = &text[range.start().to_usize()..range.end().to_usize()];
            let body = comment.strip_prefix('#')?;
            let span = ByteSpan::new(range.start().to_usize(), range.end().to_usize());
            parse_suppression(body, span, text)
        })
        .collect();
    Ok(ModuleSummary {
        language: Language::Python,
        module: module.to_string(),
        bindings: extraction.bindings,
        functions: extraction.functions,
        form_structs: Default::default(),
        call_sites: extraction.call_sites,
        wrappers: extraction.wrappers,
        project_callees: extraction.project_callees,
        reexports: extraction.reexports,
        suppressions,
        routes: extraction.routes,
        left_out,
    })
}

/// The dotted module name of a file relative to a source root (`pkg/mod.py` → `pkg.mod`,
/// `pkg/__init__.py` → `pkg`), and whether it is a package's `__init__`.
pub fn module_name(relative_to_root: &str) -> Option<(String, bool)> {
    let stem = relative_to_root
        .strip_suffix(".py")
        .or_else(|| relative_to_root.strip_suffix(".pyi"))?;
    let mut parts: Vec<&str> = stem.split('/').collect();
    let is_package = parts.last() == Some(&"__init__");
    if is_package {
        parts.pop();
    }
    if parts.is_empty()
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.chars().all(|c| c.is_alphanumeric() || c == '_'))
    {
        return None;
    }
    Some((parts.join("."), is_package))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_names() {
        assert_eq!(module_name("a/b.py"), Some(("a.b".into(), false)));
        assert_eq!(module_name("a/__init__.py"), Some(("a".into(), true)));
        assert_eq!(module_name("my-scripts/x.py"), None);
        assert_eq!(module_name("README.md"), None);
    }
}
