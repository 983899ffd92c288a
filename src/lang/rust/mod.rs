//! The Rust front end: parses one file with `syn` and lowers it into a language-neutral
//! `ModuleSummary`.
//!
//! This module is the only place that imports `syn`. It knows Rust syntax, `use` resolution
//! and Cargo's crate layout; it asks `shapes` which types and methods are Stripe's and knows
//! nothing of Stripe's `expires_at` rules. Stripe's names (crates, types, the endpoint, the
//! expiry parameter) come from the call shapes: none is written in the front end's code.

pub mod crates;
pub mod edit;
mod env;
mod extract;
mod lexer;
mod resolve;
mod serde_attrs;
mod skim;
mod syntax;

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

pub use crates::{CrateMap, RustModule};
pub use extract::EndpointHelper;

/// Words of a module that nests, merges or scopes routers (`.nest("/api", routes())`,
/// `web::scope("/api")`, `.configure(..)`, `.service(..)`): such a module is read even
/// when it names no checkout, since its mounts give the routes of handlers elsewhere.
pub const ROUTE_NEEDLES: &[&str] = &[".nest(", ".merge(", "scope(", ".configure(", ".service("];

use crate::facts::{ByteSpan, Language, LeftOut, ModuleSummary, ParseFailure};
use crate::lang::skim::Needles;
use crate::lang::suppression_comment::parse_suppression;
use crate::shapes::shapes;

/// Deeper code is refused (CL009 when it mentions a checkout API) rather than handed to the
/// recursive parser: real code stays far below this, and the parser, the walk and the drop of
/// the tree all recurse once per level.
const MAX_NESTING: usize = 1_000;

/// Where and why `syn` gave up. Lexer errors (an unclosed delimiter or literal) come back
/// from `syn` without a position, so ask the lexer itself where it stopped.
fn parse_failure(source: &str, err: &syn::Error) -> ParseFailure {
    if let Err(lex) = source.parse::<proc_macro2::TokenStream>() {
        return ParseFailure {
            offset: lex.span().byte_range().start,
            message: "unbalanced delimiters or an unterminated literal".into(),
        };
    }
    ParseFailure {
        offset: err.span().byte_range().start,
        message: err.to_string(),
    }
}

/// Text that makes a macro call checkout-lint cannot read a possible create (CL007): the
/// name of a session type (`CheckoutSession`, also in `CreateCheckoutSession..`) or the
/// endpoint's path after its version (`checkout/sessions`). Matched anywhere in the macro's
/// text, not as words. Skimming keeps every item holding a macro call that contains one
/// (`skim::Cutter`).
fn unreadable_macro_markers() -> &'static [&'static str] {
    static MARKERS: OnceLock<Vec<&'static str>> = OnceLock::new();
    MARKERS.get_or_init(|| {
        let shapes = shapes();
        let type_names = shapes
            .rust
            .session_types
            .iter()
            .filter_map(|ty| ty.rsplit("::").next());
        let path = endpoint_after_version(&shapes.endpoint.path).map(|p| p.trim_start_matches('/'));
        type_names.chain(path).collect()
    })
}

/// The endpoint's path after its version (`/checkout/sessions`): what a base URL that ends
/// in the version (`https://api.stripe.com/v1`) is completed with.
fn endpoint_after_version(path: &str) -> Option<&str> {
    let unrooted = path.trim_start_matches('/');
    unrooted.find('/').map(|at| &unrooted[at..])
}

/// What the Rust front end knows about the whole project when it summarises one file.
#[derive(Debug, Default)]
pub struct RustProject {
    /// Library names of the project's own crates.
    pub crates: HashSet<String>,
    /// Project paths that re-export another crate's item (`app::prelude::CS` →
    /// `stripe::CheckoutSession`), found after a first pass over the files.
    pub reexports: HashMap<String, Vec<String>>,
    /// Project constants that name the create endpoint's URL (`app::endpoints::SESSIONS_URL`,
    /// also through `pub use`), found after a first pass: a POST to one is a create.
    pub endpoint_constants: HashSet<String>,
    /// The project's endpoint helpers (functions that POST a form to a path their caller
    /// passes), by absolute path (`app::stripe_api::stripe_post`), found from the wrapper
    /// facts the summaries list (`EndpointHelper::from_wrapper`).
    pub endpoint_helpers: HashMap<String, EndpointHelper>,
}

/// Words without which a top-level `fn`, `impl` or type definition cannot matter to the
/// analysis: every create shape calls a create function, sends a builder or a request, or
/// POSTs; the router calls `routes.rs` reads; the TTL constant; the names the project
/// re-exports Stripe's types under, and the names of its endpoint helpers, which a call of
/// one with a path constant may be all an item spells. (A helper that a site calls is kept
/// because the site names it.)
pub fn skim_needles(constant: &str, project: &RustProject) -> Needles {
    let rust = &shapes().rust;
    let syntax = [
        "request",
        "route",
        "nest",
        "merge",
        "service",
        "configure",
        "scope",
        "resource",
    ];
    // A constant that spells the endpoint's last word may name its URL, which another
    // module may POST to (`RustProject::endpoint_constants`). Any item that spells it is
    // kept, not only a `const`: an inline `mod` may hold the constant, and Rust code spells
    // the word seldom elsewhere (`checkout_session` is another word).
    Needles::new(
        rust.create_functions
            .iter()
            .chain(&rust.send_methods)
            .chain(&rust.post_methods)
            .chain(&rust.http_send_methods)
            .map(String::as_str)
            .chain(syntax)
            .chain([constant])
            .chain(
                project
                    .reexports
                    .keys()
                    .chain(&project.endpoint_constants)
                    .chain(project.endpoint_helpers.keys())
                    .filter_map(|key| key.rsplit("::").next()),
            )
            .chain([shapes().endpoint.last_word()]),
    )
}

/// The Rust front end, as the index uses it.
pub struct Rust;

/// What the Rust front end sees of the project: its crates and re-exports, and the words
/// to skim for (`None`: parse every file whole).
#[derive(Clone, Copy)]
pub struct RustView<'p> {
    pub project: &'p RustProject,
    pub skim: Option<&'p Needles>,
}

impl crate::lang::FrontEnd for Rust {
    const LANGUAGE: Language = Language::Rust;
    type Module<'m> = &'m RustModule;
    type View<'p> = RustView<'p>;

    fn skim_needles(constant: &str, view: &RustView<'_>) -> Needles {
        skim_needles(constant, view.project)
    }

    fn summarize(
        text: &str,
        module: &RustModule,
        view: &RustView<'_>,
    ) -> Result<ModuleSummary, ParseFailure> {
        summarize(text, module, view.project, view.skim)
    }
}

/// Parses and summarises one Rust file; with `skim`, leaves out the top-level items that
/// cannot matter (`crate::lang::skim`).
pub fn summarize(
    text: &str,
    module: &RustModule,
    project: &RustProject,
    skim: Option<&Needles>,
) -> Result<ModuleSummary, ParseFailure> {
    // A shebang line is not Rust; blank it out (keeping offsets) rather than let `syn`
    // strip it and shift every span.
    let blanked;
    let source = if text.starts_with("#!") && !text.starts_with("#![") {
        let end = text.find('\n').unwrap_or(text.len());
        blanked = format!("{}{}", " ".repeat(end), &text[end..]);
        blanked.as_str()
    } else {
        text
    };
    let mut cutter = skim.map(|_| skim::Cutter::new(source));
    let lexed = lexer::lex(source, |token, span| {
        if let Some(cutter) = &mut cutter {
            cutter.token(token, span.start..span.end);
        }
    });
    let depth = lexed.depth;
    if depth > MAX_NESTING {
        return Err(ParseFailure {
            offset: 0,
            message: format!(
                "the code nests {depth} levels deep (more than {MAX_NESTING}), too deep to parse safely"
            ),
        });
    }
    let skimmed = skim.zip(cutter).and_then(|(needles, cutter)| {
        let items = cutter.finish()?;
        crate::lang::skim::skim(source, &items, &[], needles)
    });
    // A skimmed file that does not parse is parsed whole, for the true error. Its blanked
    // tail is not handed over: `proc_macro2` copies the text it lexes and scans it for line
    // starts, and most skimmed files keep only their `use` lines at the top. Spans are
    // offsets from the start, so cutting the end moves none.
    let skimmed_parse = skimmed
        .as_ref()
        .and_then(|skimmed| syn::parse_file(skimmed.text.trim_end()).ok());
    let (parsed, left_out) = match (skimmed, skimmed_parse) {
        (Some(skimmed), Some(file)) => (Ok(file), skimmed.left_out),
        _ => (syn::parse_file(source), LeftOut::default()),
    };
    let result = match parsed {
        Err(err) => Err(parse_failure(source, &err)),
        Ok(file) => {
            let resolver = resolve::Resolver::new(module, project);
            let extraction = extract::Walker::new(text, resolver).file(&file);
            let suppressions = lexed
                .comments
                .into_iter()
                .filter_map(|span| {
                    let body = text[span.start..span.end].trim_start_matches('/');
                    parse_suppression(body, ByteSpan::new(span.start, span.end), text)
                })
                .collect();
            Ok(ModuleSummary {
                language: Language::Rust,
                module: module.key.clone(),
                bindings: extraction.bindings,
                functions: extraction.functions,
                form_structs: extraction.form_structs,
                call_sites: extraction.call_sites,
                wrappers: extraction.wrappers,
                project_callees: extraction.project_callees,
                reexports: extraction
                    .endpoint_constants
                    .into_iter()
                    .map(|key| (key, shapes().endpoint.path.clone()))
                    .collect(),
                suppressions,
                routes: extraction.routes,
                left_out,
            })
        }
    };
    // Spans live in a per-thread source map that would otherwise grow with every file.
    proc_macro2::extra::invalidate_current_thread_spans();
    result
}

/// Frees the spans of this thread's parses: every `syn` tree parsed on it must be gone.
pub fn forget_spans() {
    proc_macro2::extra::invalidate_current_thread_spans();
}

/// Whether `text` parses as a Rust file.
pub fn parses(text: &str) -> bool {
    syn::parse_file(text).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The markers were once written out; the call shapes must still give the same ones.
    #[test]
    fn unreadable_macro_markers_come_from_the_shapes() {
        assert_eq!(
            unreadable_macro_markers(),
            ["CheckoutSession", "checkout/sessions"]
        );
        assert_eq!(
            endpoint_after_version("/v1/checkout/sessions"),
            Some("/checkout/sessions")
        );
        assert_eq!(endpoint_after_version("/v1"), None);
    }
}
