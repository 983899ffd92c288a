//! The call-shape data of `rules/call-shapes.toml`, embedded at build time.
//!
//! Front ends ask this module whether a resolved name is a create API; they do not hard-code
//! Stripe's class or method names.

use std::sync::OnceLock;

use serde::Deserialize;

const CALL_SHAPES: &str = include_str!("../../rules/call-shapes.toml");

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct PythonShapes {
    /// The SDK's top-level module (`stripe`).
    pub sdk_module: String,
    pub session_classes: Vec<String>,
    pub create_methods: Vec<String>,
    /// The class site APIs of services and `raw_request` are named after (`StripeClient`).
    pub client_class: String,
    pub service_paths: Vec<String>,
    /// The keyword a service create takes its parameters under (`params=`).
    pub service_params_keyword: String,
    pub raw_request_methods: Vec<String>,
    pub http_modules: Vec<String>,
    /// The API's host, which a file calling an endpoint helper of unknown base names.
    pub api_host: String,
    pub mock_modules: Vec<String>,
    /// What returns a test double (`unittest.mock.MagicMock`, `mocker.patch`).
    pub test_doubles: Vec<String>,
    pub reference_sinks_excluded: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct RustShapes {
    pub package_libs: std::collections::BTreeMap<String, String>,
    /// The libraries of Stripe's SDKs: their types other than the params types are other
    /// requests (`sdk_request_type`).
    pub sdk_crates: Vec<String>,
    pub session_types: Vec<String>,
    pub create_functions: Vec<String>,
    pub params_types: Vec<String>,
    pub params_constructors: Vec<String>,
    pub send_methods: Vec<String>,
    pub session_create_api: String,
    pub builder_api: String,
    pub client_crate_prefix: String,
    pub client_type_suffix: String,
    pub client_words: Vec<String>,
    pub post_methods: Vec<String>,
    pub http_crates: Vec<String>,
    pub api_host: String,
    pub form_methods: Vec<String>,
    pub body_methods: Vec<String>,
    pub json_methods: Vec<String>,
    pub http_send_methods: Vec<String>,
    pub data_macros: Vec<String>,
    /// Macros that declare test doubles (`mockall::mock`).
    pub mock_macros: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Endpoint {
    pub path: String,
}

impl Endpoint {
    /// The path's last word (`sessions`), which a constant naming the endpoint's URL spells
    /// (`API + "/v1/checkout/sessions"`, `f"{CHECKOUT}/sessions"`): skimming keeps it.
    pub fn last_word(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }

    /// The path's first word (`v1`), which a constant naming the API's base URL spells
    /// (`STRIPE_API = "https://api.stripe.com/v1"`): skimming keeps it.
    pub fn first_word(&self) -> &str {
        self.path
            .trim_start_matches('/')
            .split('/')
            .next()
            .unwrap_or(&self.path)
    }

    /// Whether a re-export's target is an endpoint constant's: the front ends list a
    /// constant that names the endpoint's URL (`SESSIONS_URL`), or a base URL it is built
    /// on (`STRIPE_API`, for `f"{STRIPE_API}/checkout/sessions"`), with the part of the
    /// endpoint's path it ends in, where a name would be a qualified name.
    pub fn is_constant_target(&self, target: &str) -> bool {
        self.part_ending(target) == Some(target)
    }

    /// The end of `url` that is the endpoint's path, or the start of it up to a `/` (`/v1`,
    /// `/v1/checkout`), the longest; a trailing `/` is kept (`/v1/checkout/`), since the
    /// caller then writes the rest without one (`f"{BASE}sessions"`).
    pub fn part_ending<'u>(&self, url: &'u str) -> Option<&'u str> {
        let trimmed = url.trim_end_matches('/');
        let mut part = self.path.as_str();
        loop {
            if !part.is_empty() && trimmed.ends_with(part) {
                return Some(&url[trimmed.len() - part.len()..]);
            }
            part = &part[..part.rfind('/')?];
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallShapes {
    /// The create parameter that sets when a session expires (`expires_at`).
    #[serde(rename = "expires-at-param")]
    pub expires_at_param: String,
    pub python: PythonShapes,
    pub rust: RustShapes,
    pub endpoint: Endpoint,
}

/// The embedded call shapes. The file is part of the binary and covered by tests, so a
/// parse failure is a build defect, not a user error.
pub fn shapes() -> &'static CallShapes {
    static SHAPES: OnceLock<CallShapes> = OnceLock::new();
    SHAPES.get_or_init(|| {
        toml::from_str(CALL_SHAPES).expect("rules/call-shapes.toml is valid (tested)")
    })
}

impl PythonShapes {
    /// `stripe.checkout.Session.create` for any spelling of the class; `None` otherwise.
    pub fn resource_create(&self, qualname: &str) -> Option<String> {
        let (class, method) = qualname.rsplit_once('.')?;
        if !self.create_methods.iter().any(|m| m == method) {
            return None;
        }
        self.session_classes
            .iter()
            .any(|c| c == class)
            .then(|| format!("stripe.checkout.Session.{method}"))
    }

    /// The names a star import of `module` (`stripe`, `stripe.checkout`) brings in that lead
    /// to the session class: the next segment of each qualified name of the class under it
    /// (`checkout` under `stripe`, `Session` under `stripe.checkout`).
    pub fn names_under(&self, module: &str) -> Vec<&str> {
        let prefix = format!("{module}.");
        let mut names: Vec<&str> = self
            .session_classes
            .iter()
            .filter_map(|class| class.strip_prefix(&prefix)?.split('.').next())
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    /// Whether a qualified name stands for part of a service path, on a receiver
    /// (`client.checkout.sessions`, `client.v1.checkout`, `client.checkout.sessions.create`):
    /// a module-level name bound to one is a way to a create that another module may import.
    pub fn names_service_part(&self, qualname: &str) -> bool {
        let parts: Vec<&str> = qualname.split('.').collect();
        self.service_paths.iter().any(|path| {
            let path: Vec<&str> = path.split('.').collect();
            let with_method = self.create_methods.iter().map(|m| {
                let mut whole = path.clone();
                whole.push(m);
                whole
            });
            // Two segments at least: `x.checkout` or `x.v1` alone names no service.
            (2..parts.len()).any(|length| {
                let tail = &parts[parts.len() - length..];
                path.starts_with(tail) || with_method.clone().any(|whole| whole.starts_with(tail))
            })
        })
    }

    /// `StripeClient.v1.checkout.sessions.create` when the attribute chain (receiver
    /// excluded) ends in a service path and a create method.
    pub fn service_create(&self, attribute_chain: &[&str]) -> Option<String> {
        let (method, rest) = attribute_chain.split_last()?;
        if !self.create_methods.iter().any(|m| m == method) {
            return None;
        }
        let mut best: Option<&String> = None;
        for path in &self.service_paths {
            let parts: Vec<&str> = path.split('.').collect();
            if rest.len() > parts.len()
                && rest.ends_with(&parts)
                && best.is_none_or(|b| b.len() < path.len())
            {
                best = Some(path);
            }
        }
        best.map(|path| format!("{}.{path}.{method}", self.client_class))
    }
}

impl RustShapes {
    /// The library name a Cargo package is imported under (`async-stripe` → `stripe`).
    pub fn lib_name(&self, package: &str) -> String {
        self.package_libs
            .get(package)
            .cloned()
            .unwrap_or_else(|| package.replace('-', "_"))
    }

    pub fn is_session_type(&self, path: &[String]) -> bool {
        matches_type(&self.session_types, path)
    }

    pub fn is_params_type(&self, path: &[String]) -> bool {
        matches_type(&self.params_types, path)
    }

    /// The last segment names a session type (for paths whose crate is unknown).
    pub fn names_session_type(&self, path: &[String]) -> bool {
        names_type(&self.session_types, path)
    }

    pub fn names_params_type(&self, path: &[String]) -> bool {
        names_type(&self.params_types, path)
    }

    /// A type of one of Stripe's SDK crates that is not Checkout parameters
    /// (`stripe_billing::CreateBillingPortalSession`, `stripe_checkout::RetrieveCheckoutSession`):
    /// a request sent with it creates no Checkout Session.
    pub fn is_other_sdk_type(&self, path: &[String]) -> bool {
        path.len() >= 2
            && self.sdk_crates.iter().any(|c| *c == path[0])
            && !self.is_params_type(path)
    }
}

fn names_type(types: &[String], path: &[String]) -> bool {
    path.last()
        .is_some_and(|last| types.iter().any(|t| t.rsplit("::").next() == Some(last)))
}

/// A resolved path matches `crate::Name` when it starts with the crate and ends with the
/// name, whatever modules lie between (`stripe::resources::CheckoutSession`).
fn matches_type(types: &[String], path: &[String]) -> bool {
    let (Some(first), Some(last)) = (path.first(), path.last()) else {
        return false;
    };
    types.iter().any(|t| {
        t.split_once("::")
            .is_some_and(|(krate, name)| krate == first && name == last && path.len() >= 2)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_shapes_parse() {
        let s = shapes();
        assert!(s
            .python
            .session_classes
            .contains(&"stripe.checkout.Session".to_string()));
        assert_eq!(s.endpoint.path, "/v1/checkout/sessions");
        assert_eq!(s.endpoint.last_word(), "sessions");
        assert!(s.endpoint.is_constant_target("/v1/checkout/sessions"));
        assert!(!s.endpoint.is_constant_target("stripe.checkout.Session"));
    }

    #[test]
    fn base_urls_stand_for_the_start_of_the_endpoint() {
        let endpoint = &shapes().endpoint;
        assert_eq!(endpoint.first_word(), "v1");
        let part = |url| endpoint.part_ending(url);
        assert_eq!(
            part("https://api.stripe.com/v1/checkout/sessions/"),
            Some("/v1/checkout/sessions/")
        );
        assert_eq!(
            part("https://api.stripe.com/v1/checkout/"),
            Some("/v1/checkout/")
        );
        assert_eq!(part("https://api.stripe.com/v1"), Some("/v1"));
        assert_eq!(part("https://api.stripe.com/v2"), None);
        assert_eq!(part("https://api.stripe.com/v1/customers"), None);
        assert_eq!(part("https://api.stripe.com/xv1"), None);
        assert_eq!(part(""), None);
        assert!(endpoint.is_constant_target("/v1"));
        assert!(endpoint.is_constant_target("/v1/checkout/"));
        assert!(!endpoint.is_constant_target("app/v1"));
    }

    #[test]
    fn rust_types_match_by_crate_and_name() {
        let r = &shapes().rust;
        let path = |p: &str| p.split("::").map(str::to_string).collect::<Vec<_>>();
        assert!(r.is_session_type(&path("stripe::CheckoutSession")));
        assert!(r.is_session_type(&path("stripe::resources::CheckoutSession")));
        assert!(!r.is_session_type(&path("payrex::CheckoutSession")));
        assert!(!r.is_session_type(&path("CheckoutSession")));
        assert!(r.is_params_type(&path(
            "stripe_checkout::checkout_session::CreateCheckoutSession"
        )));
        assert!(r.is_other_sdk_type(&path(
            "stripe_billing::billing_portal_session::CreateBillingPortalSession"
        )));
        assert!(r.is_other_sdk_type(&path(
            "stripe_checkout::checkout_session::RetrieveCheckoutSession"
        )));
        assert!(!r.is_other_sdk_type(&path(
            "stripe_checkout::checkout_session::CreateCheckoutSession"
        )));
        assert!(!r.is_other_sdk_type(&path("payrex::CreateCustomer")));
        assert!(!r.is_other_sdk_type(&path("CreateCustomer")));
        assert_eq!(r.lib_name("async-stripe-billing"), "stripe_billing");
        assert_eq!(r.lib_name("async-stripe"), "stripe");
        assert_eq!(r.lib_name("my-crate"), "my_crate");
    }

    #[test]
    fn resource_spellings_are_canonical() {
        let p = &shapes().python;
        assert_eq!(
            p.resource_create("stripe.api_resources.checkout.session.Session.create_async")
                .as_deref(),
            Some("stripe.checkout.Session.create_async")
        );
        assert_eq!(p.resource_create("stripe.checkout.Session.retrieve"), None);
        assert_eq!(p.resource_create("sqlalchemy.orm.Session.create"), None);
    }

    /// What a star import of a Stripe module passes on: the names that lead to the class.
    #[test]
    fn star_imports_of_stripe_modules_bring_the_names_that_lead_to_the_class() {
        let p = &shapes().python;
        assert_eq!(p.names_under("stripe.checkout"), ["Session", "_session"]);
        assert!(p.names_under("stripe").contains(&"checkout"));
        assert!(p.names_under("sqlalchemy.orm").is_empty());
        assert!(p.names_under("stripe.checkout.Session").is_empty());
    }

    #[test]
    fn service_paths_need_a_receiver() {
        let p = &shapes().python;
        assert_eq!(
            p.service_create(&["client", "v1", "checkout", "sessions", "create"])
                .as_deref(),
            Some("StripeClient.v1.checkout.sessions.create")
        );
        assert_eq!(
            p.service_create(&["self", "_client", "checkout", "sessions", "create_async"])
                .as_deref(),
            Some("StripeClient.checkout.sessions.create_async")
        );
        assert_eq!(p.service_create(&["checkout", "sessions", "create"]), None);
        assert!(p.names_service_part("client.checkout.sessions"));
        assert!(p.names_service_part("app.clients.client.v1.checkout"));
        assert!(p.names_service_part("client.checkout.sessions.create"));
        assert!(!p.names_service_part("checkout.sessions"));
        assert!(!p.names_service_part("client.checkout"));
        assert!(!p.names_service_part("client.checkout.sessions.list"));
        assert_eq!(
            p.service_create(&["client", "checkout", "sessions", "list"]),
            None
        );
    }

    #[test]
    fn python_front_end_facts_are_data() {
        let s = shapes();
        assert_eq!(s.expires_at_param, "expires_at");
        assert_eq!(s.python.sdk_module, "stripe");
        assert_eq!(s.python.client_class, "StripeClient");
        assert_eq!(s.python.service_params_keyword, "params");
    }
}
