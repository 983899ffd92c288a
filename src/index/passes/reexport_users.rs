//! Who may use a new Python re-export where no summary shows it: the names that stand for
//! Stripe's checkout names without spelling "checkout" (`S`) and those that stand for a
//! create method (`make_session`), and whether a file's bytes (never parsed, or in items
//! skimming left out) spell one that another module binds.
//!
//! Knows names and words in bytes; knows neither how files are held nor read again.

use std::collections::{HashMap, HashSet};

use crate::facts::ByteSpan;
use crate::lang::python;
use crate::shapes::shapes;
use crate::workspace::prefilter::Prefilter;

/// New Python re-exports, and who may use them where a summary cannot tell.
pub(super) struct ReexportUsers {
    /// `module.name`.
    pub(super) keys: HashSet<String>,
    /// Names that stand for Stripe's checkout names without spelling "checkout" (`S`,
    /// `make_session`): a file that never spells it reaches a create only through one.
    hiding: Vec<String>,
    /// Names that stand for a create method (`make_session`): the one way a left-out item
    /// (which calls no create method by name) can create. A name that is a create
    /// method's own (`create = stripe.checkout.Session.create`) keeps its item already.
    pub(super) methods: Vec<String>,
    /// Name → the modules that bind it, for the names in `hiding` and `methods`.
    modules: HashMap<String, Vec<String>>,
    /// Fast rejections: `hiding` and `methods`, found anywhere.
    hiding_prefilter: Prefilter,
    methods_prefilter: Prefilter,
}

impl ReexportUsers {
    pub(super) fn new(new: HashSet<String>, targets: &HashMap<String, String>) -> Self {
        let python = &shapes().python;
        let mut users = ReexportUsers {
            keys: HashSet::new(),
            hiding: Vec::new(),
            methods: Vec::new(),
            modules: HashMap::new(),
            hiding_prefilter: Prefilter::exact(Vec::<String>::new()),
            methods_prefilter: Prefilter::exact(Vec::<String>::new()),
        };
        for key in &new {
            let Some((module, name)) = key.rsplit_once('.') else {
                continue;
            };
            let target = &targets[key];
            let hiding = target.to_ascii_lowercase().contains("checkout")
                && !name.to_ascii_lowercase().contains("checkout");
            let method = target.rsplit('.').next().unwrap_or_default();
            let creates = python
                .create_methods
                .iter()
                .chain(&python.raw_request_methods);
            let method =
                creates.clone().any(|m| m == method) && !creates.into_iter().any(|m| m == name);
            if hiding {
                users.hiding.push(name.to_string());
            }
            if method {
                users.methods.push(name.to_string());
            }
            if hiding || method {
                users
                    .modules
                    .entry(name.to_string())
                    .or_default()
                    .push(module.to_string());
            }
        }
        users.keys = new;
        for names in [&mut users.hiding, &mut users.methods] {
            names.sort_unstable();
            names.dedup();
        }
        users.hiding_prefilter = Prefilter::exact(&users.hiding);
        users.methods_prefilter = Prefilter::exact(&users.methods);
        users
    }

    /// Whether any name could be used unseen in such a file (`may_use_unseen`).
    pub(super) fn may_hide_a_use(&self, unparsed: bool) -> bool {
        !if unparsed {
            &self.hiding
        } else {
            &self.methods
        }
        .is_empty()
    }

    /// Whether a file (module `module`) may use a re-export of another module where its
    /// summary does not show it: in a left-out item, or anywhere in a file never parsed
    /// (`unparsed`). Such a use spells the name (an import brings it in under that name, or
    /// an alias of it in kept code: `python::may_call_unseen`).
    pub(super) fn may_use_unseen(
        &self,
        text: &[u8],
        module: &str,
        left_out: &[ByteSpan],
        unparsed: bool,
    ) -> bool {
        self.spells_one(text, module, unparsed, |name| {
            unparsed || python::may_call_unseen(text, std::slice::from_ref(name), left_out)
        })
    }

    /// Whether `text` spells, as a word, one of the names (`hiding` for a file never parsed,
    /// else `methods`) that a module other than `module` binds, and `also` holds for it.
    pub(super) fn spells_one(
        &self,
        text: &[u8],
        module: &str,
        unparsed: bool,
        also: impl Fn(&String) -> bool,
    ) -> bool {
        let (names, prefilter) = if unparsed {
            (&self.hiding, &self.hiding_prefilter)
        } else {
            (&self.methods, &self.methods_prefilter)
        };
        if names.is_empty() || !prefilter.matches(text) {
            return false;
        }
        let words: HashSet<&[u8]> = crate::lang::words::words_in(text).collect();
        names.iter().any(|name| {
            words.contains(name.as_bytes())
                && self.modules[name.as_str()]
                    .iter()
                    .any(|from| from != module)
                && also(name)
        })
    }
}
