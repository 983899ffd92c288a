//! The serde attributes of a `#[derive(Serialize)]` struct, read as a form sees them: the key
//! each field puts on the wire (`rename`, `rename_all`, `skip`), whether it may be left out
//! (`Option`, `skip_serializing_if`), how its value is written (`serialize_with`), and the
//! fields spliced in from another struct (`flatten`), as a `facts::forms::FormDecl`.
//!
//! Knows Rust syntax and serde's attribute language, nothing of Stripe: an attribute it does
//! not know makes the struct (or the field) unreadable, never guessed.

use syn::{Expr, Meta};

use super::syntax::{segments_of, type_path};
use crate::facts::forms::{FormDecl as FormStruct, FormFieldDecl as FormField};

/// Serde's `rename_all` rules, applied to a snake_case field name.
fn rename_field(rule: &str, field: &str) -> Option<String> {
    let pascal = || {
        field
            .split('_')
            .map(|word| {
                let mut chars = word.chars();
                match chars.next() {
                    Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                    None => String::new(),
                }
            })
            .collect::<String>()
    };
    Some(match rule {
        "lowercase" | "snake_case" => field.to_string(),
        "UPPERCASE" | "SCREAMING_SNAKE_CASE" => field.to_ascii_uppercase(),
        "PascalCase" => pascal(),
        "camelCase" => {
            let p = pascal();
            let mut chars = p.chars();
            match chars.next() {
                Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        }
        "kebab-case" => field.replace('_', "-"),
        "SCREAMING-KEBAB-CASE" => field.to_ascii_uppercase().replace('_', "-"),
        _ => return None,
    })
}

/// The `key = "value"` pairs and bare words of every `#[serde(..)]` attribute; `Err` when one
/// cannot be read (`rename(serialize = ".."))` included: a form only cares about serialising,
/// but such attributes are rare and reading them wrong would be silent).
fn serde_items(attrs: &[syn::Attribute]) -> Result<Vec<(String, Option<String>)>, String> {
    let mut out = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let Meta::List(list) = &attr.meta else {
            return Err("a `#[serde]` attribute without arguments".into());
        };
        let metas = list
            .parse_args_with(syn::punctuated::Punctuated::<Meta, syn::Token![,]>::parse_terminated)
            .map_err(|_| "a `#[serde(..)]` attribute it cannot read".to_string())?;
        for meta in metas {
            let key = segments_of(meta.path()).join("::");
            match &meta {
                Meta::Path(_) => out.push((key, None)),
                Meta::NameValue(nv) => match &nv.value {
                    Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s),
                        ..
                    }) => out.push((key, Some(s.value()))),
                    _ => return Err(format!("the `#[serde({key} = ..)]` attribute")),
                },
                Meta::List(_) => return Err(format!("the `#[serde({key}(..))]` attribute")),
            }
        }
    }
    Ok(out)
}

fn derives(attrs: &[syn::Attribute], name: &str) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("derive"))
        .any(|a| {
            a.parse_args_with(
                syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
            )
            .is_ok_and(|paths| {
                paths
                    .iter()
                    .any(|p| p.segments.last().is_some_and(|s| s.ident == name))
            })
        })
}

/// `Option<T>` (also `std::option::Option<T>`).
fn is_option(ty: &syn::Type) -> bool {
    type_path(ty).is_some_and(|p| p.last().is_some_and(|l| l == "Option"))
}

/// Reads a struct item that derives `Serialize`; `None` for any other item. A flattened
/// field's type is its path as written (`a::Extra`), for the caller to resolve.
pub fn form_struct(item: &syn::ItemStruct) -> Option<FormStruct> {
    if !derives(&item.attrs, "Serialize") {
        return None;
    }
    let name = item.ident.to_string();
    let mut form = FormStruct {
        name: name.clone(),
        unreadable: None,
        derives_default: derives(&item.attrs, "Default"),
        fields: Vec::new(),
    };
    let mut rename_all = None;
    match serde_items(&item.attrs) {
        Err(why) => form.unreadable = Some(why),
        Ok(items) => {
            for (key, value) in items {
                match (key.as_str(), value) {
                    ("rename_all", Some(rule)) => rename_all = Some(rule),
                    // Deserialising only, or the container's own name: no change to the keys.
                    ("rename" | "deny_unknown_fields" | "default" | "crate" | "bound", _) => {}
                    (other, _) => {
                        form.unreadable = Some(format!("the `#[serde({other})]` attribute"))
                    }
                }
            }
        }
    }
    let syn::Fields::Named(fields) = &item.fields else {
        form.unreadable = Some("it has no named fields".into());
        return Some(form);
    };
    for field in &fields.named {
        let Some(ident) = &field.ident else { continue };
        let rust = ident.to_string().trim_start_matches("r#").to_string();
        let mut wire = match &rename_all {
            Some(rule) => rename_field(rule, &rust),
            None => Some(rust.clone()),
        };
        if wire.is_none() {
            form.unreadable = Some(format!(
                "`rename_all = \"{}\"`",
                rename_all.clone().unwrap_or_default()
            ));
        }
        let mut out = FormField {
            rust,
            wire: None,
            optional: is_option(&field.ty),
            skippable: false,
            custom: None,
            flatten: None,
            unknown: None,
        };
        match serde_items(&field.attrs) {
            Err(why) => out.unknown = Some(why),
            Ok(items) => {
                for (key, value) in items {
                    match (key.as_str(), value) {
                        ("rename", Some(name)) => wire = Some(name),
                        ("skip" | "skip_serializing", None) => wire = None,
                        ("skip_serializing_if", Some(f)) => {
                            out.skippable |= !(out.optional
                                && matches!(
                                    f.as_str(),
                                    "Option::is_none" | "std::option::Option::is_none"
                                ));
                        }
                        ("serialize_with" | "with", Some(f)) => out.custom = Some(f),
                        ("flatten", None) => {
                            out.flatten = Some(type_path(&field.ty).map(|p| p.join("::")))
                        }
                        // Deserialising only.
                        (
                            "alias" | "default" | "deserialize_with" | "borrow"
                            | "skip_deserializing",
                            _,
                        ) => {}
                        (other, _) => {
                            out.unknown = Some(format!("the `#[serde({other})]` attribute"))
                        }
                    }
                }
            }
        }
        out.wire = wire;
        form.fields.push(out);
    }
    Some(form)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(src: &str) -> FormStruct {
        let item: syn::ItemStruct = syn::parse_str(src).unwrap();
        form_struct(&item).unwrap()
    }

    #[test]
    fn rename_all_rules() {
        assert_eq!(
            rename_field("camelCase", "expires_at").unwrap(),
            "expiresAt"
        );
        assert_eq!(
            rename_field("PascalCase", "expires_at").unwrap(),
            "ExpiresAt"
        );
        assert_eq!(
            rename_field("kebab-case", "expires_at").unwrap(),
            "expires-at"
        );
        assert_eq!(
            rename_field("snake_case", "expires_at").unwrap(),
            "expires_at"
        );
        assert_eq!(rename_field("SCREAMING-KEBAB-CASE", "a_b").unwrap(), "A-B");
        assert!(rename_field("Title Case", "a").is_none());
    }

    #[test]
    fn fields_and_attributes() {
        let form = parse(
            r#"#[derive(Debug, serde::Serialize, Default)]
            #[serde(rename_all = "camelCase")]
            struct F {
                #[serde(rename = "mode")] kind: String,
                success_url: String,
                #[serde(skip_serializing_if = "Option::is_none")] ttl: Option<i64>,
                #[serde(skip)] secret: String,
                #[serde(flatten)] extra: Extra,
            }"#,
        );
        assert!(form.derives_default && form.unreadable.is_none());
        let wires: Vec<_> = form.fields.iter().map(|f| f.wire.clone()).collect();
        assert_eq!(
            wires,
            vec![
                Some("mode".to_string()),
                Some("successUrl".to_string()),
                Some("ttl".to_string()),
                None,
                Some("extra".to_string())
            ]
        );
        assert!(form.fields[2].optional && !form.fields[2].skippable);
        assert_eq!(form.fields[4].flatten, Some(Some("Extra".to_string())));
        let into = parse(r#"#[derive(Serialize)] #[serde(into = "Other")] struct G { a: i64 }"#);
        assert!(into.unreadable.is_some());
        let deser: syn::ItemStruct =
            syn::parse_str("#[derive(Deserialize)] struct H { a: i64 }").unwrap();
        assert!(form_struct(&deser).is_none());
    }
}
