//! Loading the project: the first three steps of the pipeline in order — discover,
//! prefilter, parse + summarise (`first_pass`) — then the project-wide passes (`passes`).
//! After `load`, the project is read-only.
//!
//! Knows the stages' order; what each stage does is its own module's.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use crate::config::Config;
use crate::facts::Language;
use crate::index::files::{python_source_roots, SourceFiles};
use crate::index::project::Project;
use crate::lang::rust::RustProject;
use crate::workspace::discover::Tree;

impl Project {
    /// Discovers and summarises the project.
    pub fn load(config: Config, extra_roots: &[PathBuf], no_ignore: bool) -> Project {
        let root = config.root.clone();
        let source_roots = python_source_roots(&root, config.source_roots.as_deref());
        let mut tree = Tree::new(vec![root.clone()], &root, &config.exclude, no_ignore);
        for extra in extra_roots {
            tree.add_named_path(extra);
        }
        let files = SourceFiles::new(root, &source_roots, tree);
        let mut constant_names = HashMap::new();
        for (language, configured, separator) in [
            (Language::Python, &config.python_constant, "."),
            (Language::Rust, &config.rust_constant, "::"),
        ] {
            let name = configured
                .as_deref()
                .and_then(|c| c.rsplit(separator).next())
                .unwrap_or(crate::config::DEFAULT_CONSTANT_NAME);
            constant_names.insert(language, name.to_string());
        }
        let mut project = Project {
            constant_names,
            rust: RustProject::default(),
            config,
            files,
            unreadable: Vec::new(),
            binary: Vec::new(),
            wrappers: HashMap::new(),
            python_reexports: HashMap::new(),
            python_reexported_names: HashSet::new(),
            python_exports: Some(HashMap::new()),
        };
        project.first_pass();
        crate::index::passes::run(&mut project);
        project
    }
}
