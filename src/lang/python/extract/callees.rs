//! Project callees (`ModuleSummary::project_callees`): the project functions and names a
//! module calls or hands on that may turn out to be wrappers or names for a create, so
//! that `Project`'s fixpoint and re-export pass know to summarise the module again.
//!
//! Knows nothing of which project names are creates: it only notes what may matter.

use ruff_python_ast as ast;
use ruff_text_size::Ranged;

use super::http::url_head;
use super::last_segment;
use super::Extractor;
use crate::lang::python::scope::Def;
use crate::lang::python::skim;

impl<'a, 'c> Extractor<'a, 'c> {
    /// Remembers a call of (or reference to) a project function that is no known wrapper:
    /// if it turns out to be one, this module is summarised again (`Project`'s fixpoint).
    /// A create method reached through a name a project module binds (`S.create` after
    /// `from billing import S`) is kept too: the re-export pass summarises the module again
    /// if `billing.S` turns out to be Stripe's class.
    pub(super) fn note_project_callee(&mut self, qualname: Option<&str>) {
        let Some(qualname) = qualname else { return };
        // A bare name in a module that star-imports project modules may come from one of
        // them (`from payments import *`, `make(..)`): the re-export pass may tell.
        if !qualname.contains('.') {
            let resolver = self.resolver();
            let stars: Vec<String> = self.scopes[0]
                .star_imports
                .iter()
                .map(|star| resolver.absolute(star))
                .filter(|module| self.ctx.project_modules.contains(module))
                .map(|module| format!("{module}.{qualname}"))
                .collect();
            self.project_callees.extend(stars);
        }
        let (mut module, method) = qualname.rsplit_once('.').unwrap_or(("", qualname));
        if module == self.ctx.module || self.ctx.project_modules.contains(module) {
            self.project_callees.push(qualname.to_string());
            return;
        }
        let shapes = self.shapes;
        let reaches_create = || {
            matches!(method, "post" | "request")
                || shapes
                    .create_methods
                    .iter()
                    .chain(&shapes.raw_request_methods)
                    .any(|m| m == method)
                // `alpha.deps.make(..)`, where `deps.make` is known to be a create method and
                // `alpha.deps` is not yet known to be `deps`.
                || self.ctx.reexported_names.contains(method)
        };
        while let Some((head, _)) = module.rsplit_once('.') {
            module = head;
            if self.ctx.project_modules.contains(module) {
                if reaches_create() {
                    self.project_callees.push(qualname.to_string());
                }
                return;
            }
        }
    }

    /// A POST to a URL named in a project module (`requests.post(SESSIONS_URL, ..)` after
    /// `from endpoints import SESSIONS_URL`, also `f"{SESSIONS_URL}"`) is noted like a call
    /// through the name: the re-export pass summarises this module again if the name turns
    /// out to be the create endpoint's URL.
    pub(super) fn note_project_url(
        &mut self,
        call: &ast::ExprCall,
        qualname: Option<&str>,
        chain: &[&str],
    ) {
        let Some(method) = last_segment(qualname, chain) else {
            return;
        };
        let posts = matches!(method, "post" | "request")
            || self.shapes.raw_request_methods.iter().any(|m| m == method);
        if !posts {
            return;
        }
        let at = call.start().to_usize();
        let keyword_url = call
            .arguments
            .keywords
            .iter()
            .filter(|k| k.arg.as_ref().is_some_and(|a| a.id.as_str() == "url"))
            .map(|k| &k.value);
        let urls: Vec<String> = call.arguments.args[..call.arguments.args.len().min(2)]
            .iter()
            .chain(keyword_url)
            .filter_map(url_head)
            .filter_map(|url| self.resolver().qualname(url, at))
            .collect();
        for url in urls {
            self.note_project_callee(Some(&url));
        }
    }

    /// A name imported from a project module and named in a left-out item may be called
    /// there (`from deps import make`, `make(..)`): it is noted as if called, so that the
    /// re-export pass can read `deps` and find `make` stands for a create method. A call in
    /// kept code is noted where it is made.
    pub(super) fn note_imports_used_where_left_out(&mut self) {
        let (text, spans) = (self.ctx.text, &self.ctx.left_out.spans[..]);
        if spans.is_empty() {
            return;
        }
        let resolver = self.resolver();
        let mut noted = Vec::new();
        for (name, defs) in &self.scopes[0].defs {
            for def in defs {
                let Def::Import { qualname, .. } = def else {
                    continue;
                };
                let qualname = resolver.absolute(qualname);
                if self.ctx.project_modules.contains(&qualname) {
                    // `import deps`: the names used on it (`deps.begin(..)`).
                    for attribute in skim::attributes_named_in(text.as_bytes(), name, spans) {
                        noted.push(format!("{qualname}.{attribute}"));
                    }
                } else if qualname
                    .rsplit_once('.')
                    .is_some_and(|(module, _)| self.ctx.project_modules.contains(module))
                    && skim::named_in(text.as_bytes(), name, spans)
                {
                    noted.push(qualname);
                }
            }
        }
        // `from deps import *`: any name a left-out item calls may come from `deps`.
        for star in &self.scopes[0].star_imports {
            let module = resolver.absolute(star);
            if self.ctx.project_modules.contains(&module) {
                noted.push(format!("{module}.*"));
            }
        }
        self.project_callees.extend(noted);
    }
}
