//! What the code declares a builder to be: the type of a `.send(..)`'s receiver, read from
//! the constructor it was built with (`CreateCustomer::new()`), the declared type of a
//! parameter or `let`, a struct field of this file (`self.request`, `state.request`), or the
//! return type of a function or method of this file (`build()`, `self.request()`).
//!
//! Knows Rust syntax and this file's items; which types are Stripe's (and which of those are
//! Checkout parameters) is asked of `shapes`.

use std::collections::HashMap;

use syn::{Expr, ExprMethodCall, Item};

use super::Walker;
use crate::facts::{BuilderOrigin, Unseen};
use crate::lang::rust::env::Local;
use crate::lang::rust::resolve::Resolved;
use crate::lang::rust::syntax::{flatten_chain, ident, path_segments, peel, type_path};

/// The types this file's items declare, by the item's absolute path (`app::billing::build`,
/// `app::billing::Service::request`, `app::billing::State`).
#[derive(Default)]
pub struct DeclaredTypes {
    /// What a function or method returns.
    returns: HashMap<String, Resolved>,
    /// A struct's named fields.
    fields: HashMap<String, HashMap<String, Resolved>>,
}

/// What a builder is, as far as the code says.
pub(super) enum BuilderType {
    /// Checkout parameters (a create, whose arguments may still be unseen).
    Params,
    /// Anything else the code names: another Stripe request, a project type.
    Other,
    /// Nothing says: what could not be seen, for the CL007 message.
    Unseen(Unseen),
}

impl Walker<'_> {
    /// The return types of the file's functions and methods and the field types of its
    /// structs, in inline modules too (read once, before the walk).
    pub(super) fn declared_types(&mut self, items: &[Item], out: &mut DeclaredTypes) {
        self.declared_in(items, out);
        for item in items {
            if let Item::Mod(m) = item {
                if let Some((_, inner)) = &m.content {
                    let mut module = self.resolver.module();
                    module.push(m.ident.to_string());
                    self.resolver.push(module, inner);
                    self.declared_types(inner, out);
                    self.resolver.pop();
                }
            }
        }
    }

    /// `declared_types` for the items of one module, resolved in its scope.
    fn declared_in(&self, items: &[Item], out: &mut DeclaredTypes) {
        let module = self.resolver.module().join("::");
        let resolve = |ty: &syn::Type| type_path(ty).map(|p| self.resolver.resolve(&p));
        let mut add_return = |key: String, sig: &syn::Signature, owner: Option<&String>| {
            let syn::ReturnType::Type(_, ty) = &sig.output else {
                return;
            };
            let declared = match (type_path(ty).as_deref(), owner) {
                // `fn new() -> Self` in an impl: the impl's type.
                (Some([only]), Some(owner)) if only == "Self" => {
                    Some(self.resolver.resolve(std::slice::from_ref(owner)))
                }
                _ => resolve(ty).filter(|_| !is_generic(sig, ty)),
            };
            if let Some(ty) = declared {
                out.returns.insert(key, ty);
            }
        };
        for item in items {
            match item {
                Item::Fn(f) => add_return(format!("{module}::{}", f.sig.ident), &f.sig, None),
                Item::Impl(imp) => {
                    let Some(owner) = type_path(&imp.self_ty).and_then(|p| p.last().cloned())
                    else {
                        continue;
                    };
                    for impl_item in &imp.items {
                        if let syn::ImplItem::Fn(f) = impl_item {
                            let key = format!("{module}::{owner}::{}", f.sig.ident);
                            add_return(key, &f.sig, Some(&owner));
                        }
                    }
                }
                Item::Struct(st) if st.generics.params.is_empty() => {
                    let fields = st
                        .fields
                        .iter()
                        .filter_map(|f| Some((f.ident.as_ref()?.to_string(), resolve(&f.ty)?)))
                        .collect();
                    out.fields.insert(format!("{module}::{}", st.ident), fields);
                }
                _ => {}
            }
        }
    }

    /// What the receiver of a `.send(..)` is: `root` with the `below` links (innermost
    /// last) applied to it.
    pub(super) fn builder_type(&self, root: &Expr, below: &[&ExprMethodCall]) -> BuilderType {
        let root = peel(root);
        let text = self.short_text_of(root);
        let unseen = |from| {
            BuilderType::Unseen(Unseen::Builder {
                excerpt: text.clone(),
                from,
            })
        };
        // `self.request().send(..)`: a method of this impl.
        if ident(root).as_deref() == Some("self") {
            if let Some(first) = below.last() {
                let method = format!("Self::{}", first.method);
                return self.returned_type(&method, &format!("self.{}()", first.method));
            }
        }
        let (ty, why) = match root {
            Expr::Call(call) => {
                let Some(segments) = path_segments(&call.func) else {
                    return unseen(BuilderOrigin::Unknown);
                };
                let segments = self.self_to_owner(segments);
                match self.resolver.resolve(&segments) {
                    // `CreateCustomer::new()`: the type before the constructor.
                    Resolved::External(p) if p.len() >= 2 && self.names_a_type(&p) => (
                        Some(Resolved::External(p[..p.len() - 1].to_vec())),
                        BuilderOrigin::Unknown,
                    ),
                    Resolved::Unknown(p) if p.len() >= 2 => (
                        Some(Resolved::Unknown(p[..p.len() - 1].to_vec())),
                        BuilderOrigin::Unknown,
                    ),
                    Resolved::Project(p) => {
                        return self
                            .returned_type(&p.join("::"), &format!("{}()", segments.join("::")));
                    }
                    _ => (
                        None,
                        BuilderOrigin::Returned {
                            written: text.clone(),
                        },
                    ),
                }
            }
            Expr::Path(_) => match ident(root).and_then(|n| self.env.get(&n).cloned()) {
                Some(Local::Param { ty: Some(ty) }) | Some(Local::Typed(ty)) => {
                    (Some(ty), BuilderOrigin::Unknown)
                }
                Some(Local::Param { ty: None }) => (
                    None,
                    BuilderOrigin::Parameter {
                        function: self.function_name(),
                    },
                ),
                _ => (None, BuilderOrigin::Unknown),
            },
            Expr::Field(field) => match (&field.member, self.field_owner(&field.base)) {
                (syn::Member::Named(name), Some(owner)) => {
                    let ty = self
                        .declared
                        .fields
                        .get(&owner)
                        .and_then(|fields| fields.get(&name.to_string()))
                        .cloned();
                    (ty, BuilderOrigin::Field)
                }
                _ => (None, BuilderOrigin::Field),
            },
            _ => (None, BuilderOrigin::Unknown),
        };
        match ty {
            Some(ty) => self.kind_of(&ty).unwrap_or_else(|| {
                unseen(BuilderOrigin::Alias {
                    ty: ty.segments().join("::"),
                })
            }),
            None => unseen(why),
        }
    }

    /// What hides the parameters of a create builder that is sent: a parameter of this
    /// function (declared `CreateCheckoutSession`), or a value made where the walk cannot
    /// follow (a helper's return value, a field).
    pub(super) fn unseen_params(&self, root: &Expr) -> Unseen {
        match ident(peel(root)) {
            Some(name) if matches!(self.env.get(&name), Some(Local::Param { .. })) => {
                Unseen::Parameter {
                    name,
                    function: self.function_name(),
                }
            }
            _ => Unseen::Builder {
                excerpt: self.short_text_of(root),
                from: BuilderOrigin::Elsewhere,
            },
        }
    }

    /// What a declared type says: Checkout parameters, something else, or nothing (a name
    /// only an unreadable glob could have brought in, which may be an alias of them).
    fn kind_of(&self, ty: &Resolved) -> Option<BuilderType> {
        if self.is_params_type(ty) {
            return Some(BuilderType::Params);
        }
        match ty {
            Resolved::External(_) | Resolved::Project(_) => Some(BuilderType::Other),
            Resolved::Unknown(_) => None,
        }
    }

    /// The declared return type of a function or method of this file (`Self::request`).
    fn returned_type(&self, callee: &str, written: &str) -> BuilderType {
        let segments: Vec<String> = callee.split("::").map(str::to_string).collect();
        let key = match self.resolver.resolve(&self.self_to_owner(segments)) {
            Resolved::Project(p) => p.join("::"),
            _ => String::new(),
        };
        match self
            .declared
            .returns
            .get(&key)
            .and_then(|ty| self.kind_of(ty))
        {
            Some(kind) => kind,
            None => BuilderType::Unseen(Unseen::Builder {
                excerpt: written.to_string(),
                from: BuilderOrigin::Returned {
                    written: written.to_string(),
                },
            }),
        }
    }

    /// The struct a field access reads (`self.x` in an impl, `state.x` for a parameter of
    /// a struct type of this file), by absolute path.
    fn field_owner(&self, base: &Expr) -> Option<String> {
        let name = ident(peel(base))?;
        let ty = if name == "self" {
            self.resolver.resolve(&[self.owner.clone()?])
        } else {
            match self.env.get(&name)? {
                Local::Param { ty: Some(ty) } | Local::Typed(ty) => ty.clone(),
                _ => return None,
            }
        };
        match ty {
            Resolved::Project(p) => Some(p.join("::")),
            _ => None,
        }
    }

    /// Whether the last-but-one segment of a resolved call path is a type (`Type::new`),
    /// not a module (`module::function`).
    fn names_a_type(&self, path: &[String]) -> bool {
        path.len() >= 2 && path[path.len() - 2].starts_with(|c: char| c.is_ascii_uppercase())
    }

    /// The Stripe request a value is when it is built from one of the SDK's types that are
    /// not Checkout parameters (`let customer = CreateCustomer::new().email(..);`).
    pub(super) fn other_request_type(&self, value: &Expr) -> Option<Resolved> {
        let (_, root) = flatten_chain(value);
        // `req = req.email(..)`: still the request it was.
        if let Some(Local::Typed(ty)) = ident(peel(root)).and_then(|n| self.env.get(&n)) {
            return Some(ty.clone());
        }
        let Expr::Call(call) = peel(root) else {
            return None;
        };
        let segments = self.self_to_owner(path_segments(&call.func)?);
        match self.resolver.resolve(&segments) {
            Resolved::External(p)
                if self.names_a_type(&p) && self.shapes.is_other_sdk_type(&p[..p.len() - 1]) =>
            {
                Some(Resolved::External(p[..p.len() - 1].to_vec()))
            }
            _ => None,
        }
    }

    /// A declared type that says the value is another Stripe request.
    pub(super) fn is_other_sdk_request(&self, ty: &syn::Type) -> Option<Resolved> {
        match type_path(ty).map(|p| self.resolver.resolve(&p))? {
            Resolved::External(p) if self.shapes.is_other_sdk_type(&p) => {
                Some(Resolved::External(p))
            }
            _ => None,
        }
    }
}

/// Whether a declared type is one of the signature's type parameters (`fn f<R>(req: R)`),
/// which says nothing of what the value is.
pub(super) fn is_generic(sig: &syn::Signature, ty: &syn::Type) -> bool {
    let Some(path) = type_path(ty) else {
        return false;
    };
    let [name] = path.as_slice() else {
        return false;
    };
    sig.generics.params.iter().any(|p| match p {
        syn::GenericParam::Type(t) => t.ident == name,
        _ => false,
    })
}
