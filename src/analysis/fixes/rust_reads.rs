//! What Rust fixes read of the project beyond the site's file, each read once a run: the
//! Cargo manifest above a file (which crates it may `use`, which clock it has), and how a
//! module declares its child modules (which paths a `use` may name from where).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::facts::Language;
use crate::index::project::Project;
use crate::lang::rust::edit::{RustEditor, Visibility};
use crate::workspace::source::SourceFile;

#[derive(Default)]
pub(super) struct RustReads {
    /// The parsed manifest that governs each directory.
    manifests: HashMap<PathBuf, Option<Arc<toml::Table>>>,
    /// (parent module, child) → how the parent declares the child.
    declared: HashMap<(String, String), Option<Visibility>>,
}

impl RustReads {
    /// The current Unix time in seconds as an `i64` in a Rust file: chrono's when its
    /// crate depends on chrono, else the standard library's.
    pub(super) fn now(&mut self, editor: &RustEditor, file: &SourceFile) -> String {
        match self.dependency(&file.path, "chrono") {
            None => "std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64".to_string(),
            Some(chrono) if editor.brings_in(&chrono, "Utc") => "Utc::now().timestamp()".to_string(),
            Some(chrono) => format!("{chrono}::Utc::now().timestamp()"),
        }
    }

    /// The name under which the Cargo package holding `path` can use the crate `wanted`:
    /// the package's own library, or a dependency (its key, or a key whose `package` it
    /// is; `-` read as `_`) that is always there (not optional).
    pub(super) fn dependency(&mut self, path: &Path, wanted: &str) -> Option<String> {
        let table = self.manifest(path)?;
        let crate_name = |name: &str| name.replace('-', "_");
        // The package's own library, as its tests, examples and binaries use it.
        let own = (table.get("package"))
            .and_then(|p| p.get("name"))
            .and_then(|n| n.as_str());
        if own.is_some_and(|own| crate_name(own) == crate_name(wanted)) {
            return Some(crate_name(wanted));
        }
        let dependencies = table.get("dependencies")?.as_table()?;
        dependencies.iter().find_map(|(key, spec)| {
            let package = spec.get("package").and_then(|p| p.as_str()).unwrap_or(key);
            let optional = (spec.get("optional"))
                .and_then(|o| o.as_bool())
                .unwrap_or(false);
            (crate_name(package) == crate_name(wanted) && !optional).then(|| crate_name(key))
        })
    }

    fn manifest(&mut self, path: &Path) -> Option<Arc<toml::Table>> {
        let dir = path.parent()?.to_path_buf();
        let read = || {
            let manifest = (dir.ancestors())
                .map(|d| d.join("Cargo.toml"))
                .find(|m| m.is_file())?;
            let table: toml::Table = std::fs::read_to_string(manifest).ok()?.parse().ok()?;
            Some(Arc::new(table))
        };
        self.manifests
            .entry(dir.clone())
            .or_insert_with(read)
            .clone()
    }

    /// Whether module `site` can `use` an item of module `source` that is visible as far
    /// as `reach` says: the item, and every module on the way from the crate's root, is
    /// visible from `site` (a private `mod` only to its parent and the modules below it).
    pub(super) fn visible(
        &mut self,
        project: &Project,
        (source, reach): (&str, Visibility),
        site: &str,
    ) -> bool {
        let segments: Vec<&str> = source.split("::").collect();
        let same_crate = site.split("::").next() == segments.first().copied();
        let below = |parent: &str| site == parent || site.starts_with(&format!("{parent}::"));
        let allowed = |visibility: Visibility, parent: &str| match visibility {
            Visibility::Public => true,
            Visibility::Crate => same_crate,
            Visibility::Private => same_crate && below(parent),
        };
        if !allowed(reach, source) {
            return false;
        }
        (1..segments.len()).all(|depth| {
            let parent = segments[..depth].join("::");
            let declared = self.declared(project, &parent, segments[depth]);
            declared.is_some_and(|visibility| allowed(visibility, &parent))
        })
    }

    fn declared(&mut self, project: &Project, parent: &str, child: &str) -> Option<Visibility> {
        let key = (parent.to_string(), child.to_string());
        let read = || {
            let rel = project.path_of_module(parent, Language::Rust)?;
            let file = super::source_of(&project.config.root.join(&rel), &rel)?;
            RustEditor::new(&file.text)?.declared_module(child)
        };
        *self.declared.entry(key).or_insert_with(read)
    }
}
