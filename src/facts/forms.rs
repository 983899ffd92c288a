//! Forms declared as records: a struct that serialises to named keys (`FormDecl`, what a Rust
//! `#[derive(Serialize)]` struct says after its serde attributes), a literal of one as the
//! code wrote it (`FormLiteral`), and the one reading of what the literal puts under a key
//! (`FormReader`), per path (`Presence`). The front end reads the structs of its own file
//! with it; the analysis reads, through the index, those declared in other modules.
//!
//! Knows no syntax and no Stripe: the key comes from the caller, every value is a `Term`,
//! and what cannot be read is an `Unseen`, never guessed.

use super::{ExpiresAtSource, FormStructGap, Term, Unseen};

/// A value under construction, per path through the function: `None` is a path on which the
/// key was never set.
#[derive(Clone, Debug, PartialEq)]
pub struct Presence(pub Vec<Option<(Term, String)>>);

impl Presence {
    pub fn unset() -> Self {
        Presence(vec![None])
    }

    pub fn set(term: Term, text: String) -> Self {
        Presence(vec![Some((term, text))])
    }

    pub fn merge(mut self, other: &Presence) -> Presence {
        for alt in &other.0 {
            if !self.0.contains(alt) {
                self.0.push(alt.clone());
            }
        }
        self
    }

    /// What a call site receives (`key`: the parameter's name, for the reason given when it
    /// is not set on every path).
    pub fn into_source(self, key: &str) -> ExpiresAtSource {
        // Parameters changed out of sight on one path cannot be verified on any.
        for (term, _) in self.0.iter().flatten() {
            if let Term::Unseen(why) = term {
                return ExpiresAtSource::Unresolved((**why).clone());
            }
        }
        let set: Vec<(Term, String)> = self.0.iter().flatten().cloned().collect();
        if set.is_empty() {
            return ExpiresAtSource::Missing;
        }
        let text = set[0].1.clone();
        let mut terms: Vec<Term> = set.into_iter().map(|(t, _)| t).collect();
        if self.0.contains(&None) {
            terms.push(unset_on_some_path(key));
        }
        let term = if terms.len() == 1 {
            terms.remove(0)
        } else {
            Term::OneOf(terms)
        };
        ExpiresAtSource::Value { term, text }
    }
}

/// What a parameter holds on the paths to a call that do not set it, beside the values
/// the others give it: the one wording of both languages.
pub fn unset_on_some_path(key: &str) -> Term {
    Term::Opaque(format!("`{key}` is not set on every path to this call"))
}

/// `first` then `second` (later keys win): per pair of paths, the second's value if it sets
/// one, else the first's.
pub fn sequence(first: &Presence, second: &Presence) -> Presence {
    let mut out: Vec<Option<(Term, String)>> = Vec::new();
    for b in &second.0 {
        for a in &first.0 {
            let alt = b.clone().or_else(|| a.clone());
            if !out.contains(&alt) {
                out.push(alt);
            }
        }
    }
    Presence(out)
}

/// A struct that serialises to named keys, as a form sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct FormDecl {
    pub name: String,
    /// Why its fields cannot be read as a form (a container attribute such as `into`).
    pub unreadable: Option<String>,
    pub derives_default: bool,
    pub fields: Vec<FormFieldDecl>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FormFieldDecl {
    /// The field's name in code.
    pub rust: String,
    /// The key on the wire, `None` when the field is never serialised (`skip`).
    pub wire: Option<String>,
    /// `Option<..>`: `None` leaves the key out of a form.
    pub optional: bool,
    /// May be left out whatever its value (`skip_serializing_if` with a function other than
    /// `Option::is_none`; with it, exactly when it is `None`).
    pub skippable: bool,
    /// The value on the wire is a function of the field (`serialize_with`): its name.
    pub custom: Option<String>,
    /// The fields of the field's type are spliced in (`flatten`): the type's absolute path,
    /// when it is one of the project's.
    pub flatten: Option<Option<String>>,
    /// An attribute the front end does not know.
    pub unknown: Option<String>,
}

impl FormDecl {
    /// The declaration of a field, for an assignment `form.field = value`.
    pub fn field(&self, rust: &str) -> Option<&FormFieldDecl> {
        self.fields.iter().find(|f| f.rust == rust)
    }
}

/// A literal of a struct (`Form { a: x, ..Default::default() }`), with what was assigned to
/// its fields afterwards.
#[derive(Clone, Debug, PartialEq)]
pub struct FormLiteral {
    /// The struct's absolute path, as the front end resolved it.
    pub path: String,
    /// The fields given, by their name in code, in order.
    pub fields: Vec<(String, GivenValue)>,
    pub rest: LiteralRest,
    /// Why the value may have changed where the front end cannot follow.
    pub changed: Option<String>,
}

/// Where a literal takes the fields it does not give.
#[derive(Clone, Debug, PartialEq)]
pub enum LiteralRest {
    /// Nowhere: every field is given.
    None,
    /// `..Default::default()` (its excerpt, for when the struct has no default).
    Default(String),
    /// `..base`: the excerpt.
    Other(String),
}

/// The value a literal gives a field.
#[derive(Clone, Debug, PartialEq)]
pub enum GivenValue {
    Expr {
        /// It is `None`.
        none: bool,
        /// It is `Some(x)`: `lowered` is `x`'s.
        some: bool,
        lowered: (Term, String),
        /// The whole expression's text.
        text: String,
        /// It is itself a struct literal (a flattened field's).
        literal: Option<Box<FormLiteral>>,
    },
    /// Changed where the front end cannot follow: why.
    Changed(String),
}

impl FormLiteral {
    fn given(&self, rust: &str) -> Option<&GivenValue> {
        (self.fields.iter().rev()).find_map(|(name, value)| (name == rust).then_some(value))
    }

    /// The terms of its values, nested literals' included.
    pub fn terms<'t>(&'t self, out: &mut Vec<&'t Term>) {
        for (_, value) in &self.fields {
            if let GivenValue::Expr {
                lowered, literal, ..
            } = value
            {
                out.push(&lowered.0);
                if let Some(inner) = literal {
                    inner.terms(out);
                }
            }
        }
    }

    /// `form.field = value`: the field takes the value on every path that reaches here.
    pub fn assign(&mut self, rust: &str, value: GivenValue) {
        self.fields.retain(|(name, _)| name != rust);
        self.fields.push((rust.to_string(), value));
    }
}

/// Forms nested in forms deeper than this are not followed.
const MAX_DEPTH: usize = 8;

/// Reads what a literal of a declared form puts under `key`, finding the structs it
/// flattens with `lookup` (by absolute path).
pub struct FormReader<'a> {
    pub key: &'a str,
    pub lookup: &'a mut dyn FnMut(&str) -> Option<FormDecl>,
}

impl FormReader<'_> {
    /// What `literal`, a literal of `form`, says about the key; `Err` when it cannot be read.
    pub fn read(
        &mut self,
        form: &FormDecl,
        literal: &FormLiteral,
        depth: usize,
    ) -> Result<Presence, Unseen> {
        let name = &form.name;
        let gap = |gap| Unseen::FormStruct {
            name: name.clone(),
            gap,
        };
        if depth > MAX_DEPTH {
            return Err(gap(FormStructGap::TooDeep));
        }
        if let Some(why) = &form.unreadable {
            return Err(gap(FormStructGap::Attribute {
                attribute: why.clone(),
            }));
        }
        if let Some(why) = &literal.changed {
            return Ok(Presence::set(Term::Opaque(why.clone()), String::new()));
        }
        let mut presence = Presence::unset();
        for field in &form.fields {
            let carries = field.wire.as_deref() == Some(self.key);
            if let Some(why) = &field.unknown {
                if carries || field.flatten.is_some() || field.wire.is_none() {
                    return Err(gap(FormStructGap::FieldAttribute {
                        field: field.rust.clone(),
                        attribute: why.clone(),
                    }));
                }
            }
            if let Some(ty) = &field.flatten {
                let given = literal.given(&field.rust);
                let inner = self.flattened(name, &field.rust, ty.as_deref(), given, depth)?;
                presence = sequence(&presence, &inner);
                continue;
            }
            if !carries {
                continue;
            }
            let value = match literal.given(&field.rust) {
                Some(value) => field_presence(field, value),
                None => match &literal.rest {
                    LiteralRest::None => Presence::unset(),
                    LiteralRest::Default(_) if form.derives_default => {
                        if field.optional {
                            Presence::unset()
                        } else {
                            Presence::set(
                                Term::Opaque(format!(
                                    "the default value of `{name}::{}`",
                                    field.rust
                                )),
                                String::new(),
                            )
                        }
                    }
                    LiteralRest::Default(excerpt) | LiteralRest::Other(excerpt) => {
                        return Err(gap(FormStructGap::RestFrom {
                            excerpt: excerpt.clone(),
                        }))
                    }
                },
            };
            presence = sequence(&presence, &value);
        }
        Ok(presence)
    }

    /// The keys a flattened field brings in.
    fn flattened(
        &mut self,
        owner: &str,
        field: &str,
        ty: Option<&str>,
        value: Option<&GivenValue>,
        depth: usize,
    ) -> Result<Presence, Unseen> {
        let gap = |gap| Unseen::FormStruct {
            name: owner.to_string(),
            gap,
        };
        let unseen = || {
            gap(FormStructGap::FlattenedUnseen {
                field: field.to_string(),
            })
        };
        let ty = ty.ok_or_else(unseen)?;
        let form = (self.lookup)(ty).ok_or_else(unseen)?;
        match value {
            Some(GivenValue::Expr {
                literal: Some(inner),
                ..
            }) if inner.path == ty => self.read(&form, inner, depth + 1),
            // Built elsewhere: fine only if it cannot carry the key.
            _ if !self.may_carry(&form, depth) => Ok(Presence::unset()),
            _ => Err(gap(FormStructGap::FlattenedElsewhere {
                field: field.to_string(),
            })),
        }
    }

    /// Whether a form may put the key on the wire.
    fn may_carry(&mut self, form: &FormDecl, depth: usize) -> bool {
        if depth > MAX_DEPTH || form.unreadable.is_some() {
            return true;
        }
        form.fields.iter().any(|f| {
            f.wire.as_deref() == Some(self.key)
                || f.unknown.is_some()
                || match &f.flatten {
                    Some(Some(ty)) => {
                        (self.lookup)(ty).is_none_or(|inner| self.may_carry(&inner, depth + 1))
                    }
                    Some(None) => true,
                    None => false,
                }
        })
    }
}

/// The value a carrier field puts on the wire, per path: `None` leaves the key out, and a
/// value that may be `None` (or skipped) is not set on every path.
pub fn field_presence(field: &FormFieldDecl, value: &GivenValue) -> Presence {
    let (none, some, lowered, text) = match value {
        GivenValue::Expr {
            none,
            some,
            lowered,
            text,
            ..
        } => (*none, *some, lowered, text),
        GivenValue::Changed(why) => return Presence::set(Term::Opaque(why.clone()), String::new()),
    };
    let (optional, skippable) = (field.optional, field.skippable);
    if (optional || skippable) && none {
        return Presence::unset();
    }
    let (term, text) = match &field.custom {
        Some(f) => (
            Term::Opaque(format!("the value is written by `{f}` (`serialize_with`)")),
            text.clone(),
        ),
        None => lowered.clone(),
    };
    let set = Presence::set(term, text);
    if skippable || (optional && !some) {
        // `skip_serializing_if` may drop it; an `Option` that may be `None` leaves it out.
        set.merge(&Presence::unset())
    } else {
        set
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequence_takes_the_later_key() {
        let set = Presence::set(Term::Int(1), "1".into());
        assert_eq!(sequence(&set, &Presence::unset()), set);
        let later = Presence::set(Term::Int(2), "2".into());
        assert_eq!(sequence(&set, &later), later);
        let maybe = later.clone().merge(&Presence::unset());
        assert_eq!(sequence(&set, &maybe).0.len(), 2);
    }
}
