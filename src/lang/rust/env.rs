//! The local state a function body builds up as it is walked: plain values, Checkout
//! parameters being built (0.x structs and 1.x builders), form parameter collections and raw
//! requests, in block scopes; and how two paths' states merge into one.
//!
//! Knows nothing of syntax: the walk decides what a local holds.

use std::collections::HashMap;

use super::resolve::Resolved;
use crate::facts::fix::Slot;
use crate::facts::{ExpiresAtSource, Term, Unseen};

/// The `expires_at` of parameters under construction, per path through the function:
/// `None` is a path on which it was never set.
pub use crate::facts::forms::Presence;

/// What a local variable holds, as far as the analysis cares.
#[derive(Clone, Debug, PartialEq)]
pub enum Local {
    Value(Term, String),
    /// A `CreateCheckoutSession` (0.x struct or 1.x builder).
    Session(Presence),
    /// Form parameters for a raw POST (tuple array, `Vec`, `HashMap`).
    Form(Presence),
    /// A `#[derive(Serialize)]` struct of this file (by its absolute path) sent as a form.
    FormStruct(String, Presence),
    /// A literal of a struct declared in another module, sent as a form (one per way it was
    /// built): the analysis reads it once the index finds the struct.
    ForeignForm(Vec<crate::facts::forms::FormLiteral>),
    /// A form whose keys cannot be read, and why (a struct with an unknown serde attribute).
    Unreadable(crate::facts::Unseen),
    /// A parameter of the enclosing function, with its type path when it has one.
    Param {
        ty: Option<Resolved>,
    },
    /// A value the code says is something other than Checkout parameters: another Stripe
    /// request (`CreateCustomer::new()`, `let r: RetrieveCheckoutSession = ..`).
    Typed(Resolved),
    /// A raw POST to the create endpoint, built but maybe not sent yet.
    Http(Box<HttpRequest>),
}

/// Block-scoped locals; the innermost scope is last.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Env(Vec<HashMap<String, Local>>);

impl Env {
    pub fn push(&mut self) {
        self.0.push(HashMap::new());
    }

    pub fn pop(&mut self) -> Option<HashMap<String, Local>> {
        self.0.pop()
    }

    pub fn get(&self, name: &str) -> Option<&Local> {
        self.0.iter().rev().find_map(|scope| scope.get(name))
    }

    pub fn declare(&mut self, name: String, local: Local) {
        if self.0.is_empty() {
            self.push();
        }
        if let Some(scope) = self.0.last_mut() {
            scope.insert(name, local);
        }
    }

    /// Assigns to an existing local (the innermost one of that name).
    pub fn assign(&mut self, name: &str, local: Local) {
        if let Some(scope) = self.0.iter_mut().rev().find(|s| s.contains_key(name)) {
            scope.insert(name.to_string(), local);
        }
    }

    /// How many block scopes are open.
    pub fn depth(&self) -> usize {
        self.0.len()
    }

    /// Closes the scopes past `depth` (a `break` left them open on its way out).
    pub fn truncate(&mut self, depth: usize) {
        self.0.truncate(depth);
    }

    /// Every local in scope, sorted.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.0.iter().flat_map(|s| s.keys().cloned()).collect();
        names.sort();
        names.dedup();
        names
    }

    /// Names of the locals that `other` (a later state of this env) holds differently,
    /// at the scope levels both share.
    pub fn changed(&self, other: &Env) -> Vec<String> {
        let mut names = Vec::new();
        for (mine, theirs) in self.0.iter().zip(&other.0) {
            for (name, local) in mine {
                if theirs.get(name).is_some_and(|l| l != local) {
                    names.push(name.clone());
                }
            }
        }
        names.sort();
        names
    }

    /// The state after two alternative paths (`if`/`else`, match arms, a loop run or not).
    /// Scopes `other` no longer has (a `break` out of a block meets the loop's end) go.
    pub fn merge(mut self, other: &Env) -> Env {
        self.0.truncate(other.0.len());
        for (mine, theirs) in self.0.iter_mut().zip(&other.0) {
            for (name, local) in mine.iter_mut() {
                if let Some(other_local) = theirs.get(name) {
                    if other_local != local {
                        *local = merge_locals(local.clone(), other_local);
                    }
                }
            }
        }
        self
    }
}

/// Terms larger than this become opaque: real `expires_at` expressions are a few dozen
/// nodes, and unbounded growth (a local reassigned in thousands of branches) would cost
/// time and memory without ever being sanctioned.
const MAX_TERM_NODES: usize = 256;

/// `term`, or an opaque stand-in when it is too large to follow.
pub fn capped(term: Term) -> Term {
    if term.size_within(MAX_TERM_NODES) {
        term
    } else {
        Term::Opaque("an expression too large to follow".into())
    }
}

/// Ways of building a form of another module's struct followed before giving up.
const MAX_FOREIGN_FORMS: usize = 16;

fn merge_locals(a: Local, b: &Local) -> Local {
    match (a, b) {
        (Local::Session(p), Local::Session(q)) => Local::Session(p.merge(q)),
        (Local::Form(p), Local::Form(q)) => Local::Form(p.merge(q)),
        (Local::FormStruct(a, p), Local::FormStruct(b, q)) if a == *b => {
            Local::FormStruct(a, p.merge(q))
        }
        (Local::ForeignForm(mut a), Local::ForeignForm(b)) => {
            for literal in b {
                if !a.contains(literal) {
                    a.push(literal.clone());
                }
            }
            if a.len() > MAX_FOREIGN_FORMS {
                return Local::Value(
                    Term::Opaque("the form is built in too many ways to follow".into()),
                    String::new(),
                );
            }
            Local::ForeignForm(a)
        }
        // Two structs: the keys of each path are known, the fields no longer are.
        (Local::FormStruct(_, p), Local::FormStruct(_, q)) => Local::Form(p.merge(q)),
        // A request sent on one path only is reported where it is sent; one whose body
        // differs between paths cannot be read.
        (Local::Http(mut a), Local::Http(b)) => {
            a.sent = a.sent || b.sent;
            if a.source != b.source {
                a.source = ExpiresAtSource::Unresolved(Unseen::BodyDiffers);
            }
            Local::Http(a)
        }
        (Local::Value(t, text), Local::Value(u, _)) => {
            let mut terms = match t {
                Term::OneOf(ts) => ts,
                t => vec![t],
            };
            if !terms.contains(u) {
                terms.push(u.clone());
            }
            Local::Value(capped(Term::OneOf(terms)), text)
        }
        (a, b) if std::mem::discriminant(&a) == std::mem::discriminant(b) => a,
        // A request on one path only still has to be reported where it is sent.
        (Local::Http(mut request), _) => {
            request.source = partial_request();
            Local::Http(request)
        }
        (_, Local::Http(request)) => {
            let mut request = request.clone();
            request.source = partial_request();
            Local::Http(request)
        }
        // A parameter whose `expires_at` is written on some paths only: on the others it
        // is whatever the caller passed, which cannot be seen.
        (param @ Local::Param { .. }, Local::Session(_)) => param,
        (Local::Session(_), param @ Local::Param { .. }) => param.clone(),
        // Parameters on one path, something else on another: nothing can be traced.
        (Local::Session(_), _) | (_, Local::Session(_)) => Local::Session(Presence::set(
            Term::Opaque("the parameters are built differently on different paths".into()),
            String::new(),
        )),
        _ => Local::Value(
            Term::Opaque("the value differs in kind between paths".into()),
            String::new(),
        ),
    }
}

fn partial_request() -> ExpiresAtSource {
    ExpiresAtSource::Unresolved(Unseen::BuiltOnSomePaths)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presence_merges_paths() {
        let a = Presence::set(Term::Int(1), "1".into());
        let merged = a.merge(&Presence::unset());
        assert_eq!(merged.0.len(), 2);
        assert!(merged.0.contains(&None));
    }

    #[test]
    fn foreign_forms_keep_every_way_they_were_built() {
        use crate::facts::forms::{FormLiteral, LiteralRest};
        let literal = |path: &str| FormLiteral {
            path: path.into(),
            fields: Vec::new(),
            rest: LiteralRest::None,
            changed: None,
        };
        let a = Local::ForeignForm(vec![literal("a::F")]);
        let b = Local::ForeignForm(vec![literal("a::G")]);
        assert_eq!(
            merge_locals(a.clone(), &b),
            Local::ForeignForm(vec![literal("a::F"), literal("a::G")])
        );
        assert_eq!(merge_locals(a.clone(), &a), a);
    }
}

/// A raw POST to the create endpoint, possibly stored in a local before it is sent.
#[derive(Clone, Debug, PartialEq)]
pub struct HttpRequest {
    /// Where the expression that makes the POST starts (the site's position).
    pub start: usize,
    pub api: String,
    pub source: ExpiresAtSource,
    /// Sent with `.json(..)`: Stripe's v1 API never reads such a body.
    pub json_body: bool,
    pub sent: bool,
    /// The form's array literal, where `--fix` adds a pair.
    pub slot: Option<Slot>,
}
