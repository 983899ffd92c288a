//! The language-neutral data model that flows from the front ends to the rules and reporters.
//!
//! A front end lowers source code into [`ModuleSummary`] values: call sites whose
//! `expires_at` is a [`Term`] (a small expression tree with symbolic references that the
//! project index resolves later), module-level bindings, helper-function summaries and
//! suppressions. Nothing here knows Python or Rust syntax, and nothing here knows Stripe's
//! rules; `rules/` owns them.

use std::collections::BTreeMap;

pub mod fix;
pub mod forms;
pub mod routes;
pub mod unseen;
pub mod value;

pub use routes::RouteFacts;
pub use unseen::{BuilderOrigin, Change, ComprehensionGap, FormStructGap, Unseen};

/// Which front end produced a file's summary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Python,
    Rust,
}

impl Language {
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Python => "python",
            Language::Rust => "rust",
        }
    }
}

/// The project's module names, as a front end asks about them: is `a.b` one of the
/// project's modules (then an import of it is followed) or a library?
pub trait ModuleSet: Sync {
    fn contains(&self, module: &str) -> bool;
}

impl ModuleSet for std::collections::HashSet<String> {
    fn contains(&self, module: &str) -> bool {
        std::collections::HashSet::contains(self, module)
    }
}

/// A half-open byte range into one file's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct ByteSpan {
    pub start: usize,
    pub end: usize,
}

impl ByteSpan {
    pub fn new(start: usize, end: usize) -> Self {
        ByteSpan { start, end }
    }
}

/// A symbolic reference to a module-level name of the project, such as
/// `basketball_api.config` + `CHECKOUT_SESSION_TTL_SECONDS`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SymbolRef {
    pub language: Language,
    pub module: String,
    pub name: String,
}

impl SymbolRef {
    pub fn display(&self) -> String {
        match self.language {
            Language::Python => format!("{}.{}", self.module, self.name),
            Language::Rust => format!("{}::{}", self.module, self.name),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    Add,
    Sub,
    Mul,
    Div,
    FloorDiv,
    Other,
}

/// A value expression lowered out of the source language. References that cross
/// function or module boundaries stay symbolic until `analysis::resolve` follows them.
#[derive(Clone, Debug, PartialEq)]
pub enum Term {
    Int(i128),
    Float,
    Str(String),
    /// A name outside the project, by qualified name: `time.time`, `int`, `chrono::Utc::now`.
    External(String),
    /// A module-level name of the project, resolved through the project index.
    Symbol(SymbolRef),
    /// A parameter of the enclosing function, substituted when a helper is inlined.
    Param(String),
    /// A call of an external function or of a project function (callee is `Symbol`).
    Call {
        callee: Box<Term>,
        args: Vec<Term>,
        kwargs: Vec<(String, Term)>,
    },
    /// A method call on a value: `dt.timestamp()`, `d.total_seconds()`,
    /// `dt.replace(tzinfo=timezone.utc)` (keyword arguments: Python only).
    Method {
        receiver: Box<Term>,
        method: String,
        args: Vec<Term>,
        kwargs: Vec<(String, Term)>,
    },
    /// Attribute access on a value that is not a module: `settings.ttl`.
    Attr {
        receiver: Box<Term>,
        attr: String,
    },
    Binary {
        op: BinaryOp,
        left: Box<Term>,
        right: Box<Term>,
    },
    Neg(Box<Term>),
    /// Several reaching definitions (branches, reassignments): every one must be sanctioned.
    OneOf(Vec<Term>),
    /// A project module (`import pkg.config as config`): attributes on it are symbols.
    Module(String),
    /// A name no scope binds, in a module that star-imports project modules (`from
    /// settings import *`, `use crate::settings::*;`): the last of `modules` that defines
    /// it, or else the builtin or outside name it stands for (`int`).
    StarImported {
        name: String,
        modules: Vec<String>,
        language: Language,
    },
    /// Something the front end could not see through, with the reason in words.
    Opaque(String),
    /// Parameters that code the front end cannot follow may have changed (`&mut params`
    /// lent out, a closure writing them): the site cannot be verified (CL007), whatever
    /// the other paths hold.
    Unseen(Box<Unseen>),
}

impl Term {
    /// Whether the term has at most `limit` nodes (counted without recursion, stopping
    /// early), so that pathological code cannot make terms grow without bound.
    pub fn size_within(&self, limit: usize) -> bool {
        let mut stack = vec![self];
        let mut count = 0;
        while let Some(term) = stack.pop() {
            count += 1;
            if count > limit {
                return false;
            }
            term.for_each_child(|child| stack.push(child));
        }
        true
    }

    /// Calls `f` with each direct sub-term.
    pub fn for_each_child<'t>(&'t self, mut f: impl FnMut(&'t Term)) {
        match self {
            Term::Call {
                callee,
                args,
                kwargs,
            } => {
                f(callee);
                args.iter().for_each(&mut f);
                kwargs.iter().for_each(|(_, v)| f(v));
            }
            Term::Method {
                receiver,
                args,
                kwargs,
                ..
            } => {
                f(receiver);
                args.iter().for_each(&mut f);
                kwargs.iter().for_each(|(_, v)| f(v));
            }
            Term::Attr { receiver, .. } => f(receiver),
            Term::Binary { left, right, .. } => {
                f(left);
                f(right);
            }
            Term::Neg(inner) => f(inner),
            Term::OneOf(terms) => terms.iter().for_each(f),
            Term::Int(_)
            | Term::Float
            | Term::Str(_)
            | Term::External(_)
            | Term::Symbol(_)
            | Term::Param(_)
            | Term::Module(_)
            | Term::StarImported { .. }
            | Term::Opaque(_)
            | Term::Unseen(_) => {}
        }
    }
}

/// How a call site receives its `expires_at`.
#[derive(Clone, Debug, PartialEq)]
pub enum ExpiresAtSource {
    /// Found: the value and its source text (whitespace-normalised).
    Value { term: Term, text: String },
    /// The mapping comes from a project helper: `**build_params(x)`; resolved later through
    /// the helper's `FunctionSummary::returned_expires_at`.
    Helper {
        callee: SymbolRef,
        args: Vec<Term>,
        kwargs: Vec<(String, Term)>,
    },
    /// Definitely not passed: every argument and mapping was resolved.
    Missing,
    /// The arguments could not be resolved (CL007): what could not be followed.
    Unresolved(Unseen),
    /// The arguments come from a parameter of the enclosing function: a thin wrapper.
    Forwarded(Forwarding),
    /// A form built as a literal of a struct declared in another module (one literal per
    /// way it was built); read once the index finds the struct (`forms::FormReader`).
    Form(Vec<forms::FormLiteral>),
}

/// How a thin wrapper forwards its own arguments into a create call.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Forwarding {
    /// `def w(**kwargs): create(**kwargs)`
    Kwargs,
    /// `def w(params): create(**params)` / `create(params=params)`; position among the
    /// wrapper's positional parameters (skipping `self`/`cls` is the caller's concern).
    Param { name: String, position: usize },
}

/// A place that creates a Checkout Session, as a front end found it.
#[derive(Clone, Debug)]
pub struct RawCallSite {
    pub span: ByteSpan,
    pub api: String,
    /// Enclosing function's qualified name, or `<module>`.
    pub function: String,
    pub route: Option<String>,
    /// The thin wrapper this site goes through, if any.
    pub via: Option<String>,
    pub expires_at: ExpiresAtSource,
    /// The request sends a JSON body (raw HTTP), which the form-encoded API never reads.
    pub json_body: bool,
    /// Where a site that passes no `expires_at` would take one (what `--fix` edits), when
    /// its front end can say.
    pub slot: Option<fix::Slot>,
    /// The `expires_at` expression written at the site itself, if it is (what a fix of
    /// its value rewrites); in Rust, also the local holding the parameters, whose write of
    /// `expires_at` the editor finds.
    pub value: Option<ByteSpan>,
}

/// A project function that forwards its arguments into a create call.
#[derive(Clone, Debug)]
pub struct WrapperDef {
    pub symbol: SymbolRef,
    pub forwarding: Forwarding,
    /// The create call inside the wrapper (reported as CL007 when nobody calls it).
    pub site: RawCallSite,
    /// Set for an endpoint helper: a function that POSTs its body to a base URL plus the
    /// path its caller passes. Only a call with the create endpoint's path is a site, and
    /// one nobody calls that way is no site at all.
    pub path: Option<EndpointPath>,
}

/// Where an endpoint helper takes the path it POSTs to, and what comes before it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct EndpointPath {
    /// The parameter, and its position among the arguments a call passes (a method's
    /// `self` already skipped).
    pub name: String,
    pub position: usize,
    /// The statically known end of the URL before the path (`https://api.example/v1`), if
    /// any.
    pub base: Option<String>,
    /// The helper's file names the API's host: with an unknown base, a call passing the
    /// path after the version (`/checkout/sessions`) names the endpoint, wherever the call
    /// is.
    pub host_named: bool,
}

/// What a helper function returns, for inlining into callers.
#[derive(Clone, Debug, Default)]
pub struct FunctionSummary {
    pub params: Vec<String>,
    /// The parameters that have a default value (Python), with the default lowered where
    /// the function is defined: a call that leaves one out passes it.
    pub defaults: Vec<(String, Term)>,
    pub returns: Vec<Term>,
    /// `expires_at` entries of returned mappings (`return {"expires_at": ...}`), when all
    /// returns are mappings; `None` when some return is not a resolvable mapping.
    pub returned_expires_at: Option<MappingLookup>,
}

/// What a mapping says about its `expires_at` key.
#[derive(Clone, Debug, PartialEq)]
pub enum MappingLookup {
    Present { term: Term, text: String },
    Absent,
    Unknown(Unseen),
}

/// Whether a key of `ModuleSummary::bindings` names the TTL constant `constant`, and where:
/// `Some("")` for `NAME` itself, `Some("inner")` for `inner::NAME` (an item of a Rust
/// inline module, kept under its path from the file's module), `None` for any other key.
pub fn constant_key_module<'k>(key: &'k str, constant: &str) -> Option<&'k str> {
    let rest = key.strip_suffix(constant)?;
    if rest.is_empty() {
        return Some("");
    }
    let inner = rest.strip_suffix("::")?;
    // `Settings::NAME` is an associated const of a type (Rust types are CamelCase, modules
    // snake_case), not a definition of the constant.
    let owner = inner.rsplit("::").next().unwrap_or(inner);
    if owner.starts_with(|c: char| c.is_ascii_uppercase()) {
        return None;
    }
    Some(inner)
}

/// A module-level binding: a value definition or an import alias.
#[derive(Clone, Debug)]
pub struct Binding {
    pub term: Term,
    pub span: ByteSpan,
    /// True when this is a definition (`NAME = value`, `const NAME`), false for imports.
    pub is_definition: bool,
}

/// A suppression comment: `# checkout-lint: ignore[rule, ...] reason: text`.
#[derive(Clone, Debug)]
pub struct Suppression {
    pub span: ByteSpan,
    /// 1-based line of the comment.
    pub line: usize,
    /// The comment follows code on its line: it covers that line only. A comment on a line
    /// of its own covers the next line.
    pub trailing: bool,
    pub rules: Vec<String>,
    pub reason: Option<String>,
}

/// Why a file could not be summarised: where the parser stopped, and its message.
#[derive(Debug, Clone)]
pub struct ParseFailure {
    pub offset: usize,
    pub message: String,
}

/// Everything one front end learned about one file.
#[derive(Clone, Debug)]
pub struct ModuleSummary {
    pub language: Language,
    /// Module path (`pkg.mod` or `crate::a::b`); empty when the file is outside the roots.
    pub module: String,
    /// Module-level names; a name assigned twice has two bindings, in source order.
    pub bindings: BTreeMap<String, Vec<Binding>>,
    pub functions: BTreeMap<String, FunctionSummary>,
    /// The structs that serialise to named keys (Rust's `#[derive(Serialize)]`), by their
    /// path from the module, like `functions`: forms other modules may send.
    pub form_structs: BTreeMap<String, forms::FormDecl>,
    pub call_sites: Vec<RawCallSite>,
    pub wrappers: Vec<WrapperDef>,
    pub suppressions: Vec<Suppression>,
    /// Handlers registered on routers, routers mounted on others, and what views say of
    /// their methods (`routes`), for the analysis to put together across modules.
    pub routes: RouteFacts,
    /// The top-level items left out because they cannot create a session (`crate::lang::skim`).
    pub left_out: LeftOut,
    /// Qualified names of the project functions this module calls or hands on without
    /// knowing them as wrappers, sorted (Python): the wrapper fixpoint summarises the
    /// module again only if one of them turns out to be a wrapper. Rust lists the project
    /// functions it passes the endpoint's path to (`app::api::stripe_post`), whose modules
    /// the fixpoint reads for endpoint helpers.
    pub project_callees: Vec<String>,
    /// Module-level names bound to an outside name that a call shape starts from, with
    /// that name, sorted (Python): `S` → `stripe.checkout.Session` after `from
    /// stripe.checkout import Session as S`; also names imported from project modules
    /// (`S` → `payments.client.S`), which may be such names in turn
    /// (`python::extract::Extractor::module_reexports` says which are listed). A
    /// whole-tree pass moves them into the project's map at once
    /// (`Project::python_reexports` makes them known to every module). Rust lists its
    /// constants that name the endpoint's URL here, with the endpoint's path
    /// (`RustProject::endpoint_constants`).
    pub reexports: Vec<(String, String)>,
}

/// What skimming left out of a file's summary.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LeftOut {
    /// Hashes of the names the left-out items define, sorted: the summary does not know
    /// these names. Membership is all a lookup asks, and a hash takes an eighth of the
    /// memory of the name (held for every skimmed file); a collision only costs a whole
    /// parse that was not needed.
    pub name_hashes: Vec<u64>,
    /// Where the left-out items are, in order.
    pub spans: Vec<ByteSpan>,
}

impl LeftOut {
    pub fn new(names: impl IntoIterator<Item = impl AsRef<str>>, spans: Vec<ByteSpan>) -> Self {
        let mut name_hashes: Vec<u64> = names
            .into_iter()
            .map(|name| name_hash(name.as_ref()))
            .collect();
        name_hashes.sort_unstable();
        name_hashes.dedup();
        LeftOut { name_hashes, spans }
    }

    /// Whether a left-out item may define `name` (false positives only on a collision).
    pub fn may_define(&self, name: &str) -> bool {
        self.name_hashes.binary_search(&name_hash(name)).is_ok()
    }
}

fn name_hash(name: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binding_keys_name_the_constant_only_as_a_whole_segment() {
        let ttl = "CHECKOUT_SESSION_TTL_SECONDS";
        assert_eq!(constant_key_module(ttl, ttl), Some(""));
        assert_eq!(
            constant_key_module("config::CHECKOUT_SESSION_TTL_SECONDS", ttl),
            Some("config")
        );
        assert_eq!(
            constant_key_module("a::b::CHECKOUT_SESSION_TTL_SECONDS", ttl),
            Some("a::b")
        );
        assert_eq!(
            constant_key_module("OLD_CHECKOUT_SESSION_TTL_SECONDS", ttl),
            None
        );
        assert_eq!(constant_key_module("Plans", ttl), None);
    }
}
