//! The project: every source file of the tree, its module name, and the summaries the
//! front ends made of it. Stages 1–3 of the pipeline run here: discover, prefilter,
//! parse + summarise (in parallel, each file once), then the thin-wrapper fixpoint.
//!
//! Files that did not pass the prefilter are summarised lazily when the analysis follows
//! an import into them (a helper module, a config module with a differently named
//! constant), so the common case parses only the few files that mention a checkout API.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::analysis::eval::Symbols;
use crate::config::Config;
use crate::discover::{self, Found};
use crate::model::{Binding, FunctionSummary, Language, ModuleSummary, SymbolRef};
use crate::prefilter::Prefilter;
use crate::python::{self, KnownWrapper, ParseFailure, ProjectView};

/// How far the pipeline got with one file.
#[derive(Debug, Clone)]
pub enum FileState {
    /// Not read yet (only lazily loaded files stay here until needed).
    Pending,
    /// Read; the prefilter found nothing that could create a session.
    Skipped,
    Summarised(Box<ModuleSummary>),
    ParseFailed(ParseFailure),
    Unreadable(String),
}

#[derive(Debug)]
pub struct SourceEntry {
    pub path: PathBuf,
    /// Relative to the project root, with `/`.
    pub rel_path: String,
    pub language: Language,
    /// Dotted module name and whether it is a package `__init__`.
    pub module: Option<(String, bool)>,
    pub state: FileState,
    /// The file passed the checkout prefilter (it could contain a create site).
    pub candidate: bool,
    /// The whole-tree passes summarised this file without its helper functions
    /// (`ProjectView::helper_functions`); `Symbols::function` summarises it again in full.
    pub functions_elided: bool,
}

pub struct Project {
    pub config: Config,
    pub files: Vec<SourceEntry>,
    /// Directories or files that could not be read at all.
    pub unreadable: Vec<(String, String)>,
    pub module_index: HashMap<String, usize>,
    pub project_modules: HashSet<String>,
    pub wrappers: HashMap<String, KnownWrapper>,
    pub ttl_definitions: HashSet<SymbolRef>,
    pub constant_name: String,
}

/// Path of `path` relative to `root`, with `/`; falls back to the path as given.
pub fn relative(path: &Path, root: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let text = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/");
    if text.is_empty() {
        ".".into()
    } else {
        text
    }
}

impl Project {
    /// Discovers and summarises the project.
    pub fn load(config: Config, extra_roots: &[PathBuf], no_ignore: bool) -> Project {
        let root = config.root.clone();
        let mut roots = vec![root.clone()];
        for extra in extra_roots {
            if !extra.starts_with(&root) {
                roots.push(extra.clone());
            }
        }
        let found = discover::walk(&roots, &root, &config.exclude, no_ignore);
        let source_roots = python_source_roots(&config);
        let mut files = Vec::new();
        let mut unreadable = Vec::new();
        for item in found {
            match item {
                Found::Source { path, language } => {
                    let rel_path = relative(&path, &root);
                    let module = match language {
                        Language::Python => python_module(&path, &source_roots),
                        Language::Rust => None,
                    };
                    files.push(SourceEntry {
                        path,
                        rel_path,
                        language,
                        module,
                        state: FileState::Pending,
                        candidate: false,
                        functions_elided: false,
                    });
                }
                Found::Unreadable { path, message } => {
                    unreadable.push((relative(&path, &root), message));
                }
            }
        }
        let mut module_index = HashMap::new();
        for (i, file) in files.iter().enumerate() {
            if let Some((module, _)) = &file.module {
                module_index.entry(module.clone()).or_insert(i);
            }
        }
        let project_modules = module_index.keys().cloned().collect();
        let mut project = Project {
            constant_name: crate::config::DEFAULT_CONSTANT_NAME.to_string(),
            config,
            files,
            unreadable,
            module_index,
            project_modules,
            wrappers: HashMap::new(),
            ttl_definitions: HashSet::new(),
        };
        if let Some(c) = &project.config.python_constant {
            if let Some((_, name)) = c.rsplit_once('.') {
                project.constant_name = name.to_string();
            }
        }
        project.first_pass();
        project.wrapper_fixpoint();
        project
    }

    /// Reads every file once, in parallel; parses those that pass the prefilter.
    fn first_pass(&mut self) {
        let prefilter = Prefilter::checkout();
        let view = ProjectView {
            project_modules: &self.project_modules,
            wrappers: &self.wrappers,
            helper_functions: false,
        };
        let results: Vec<(FileState, bool)> = self
            .files
            .par_iter()
            .map(|file| match std::fs::read(&file.path) {
                Err(err) => (FileState::Unreadable(err.to_string()), true),
                Ok(bytes) => {
                    if !prefilter.matches(&bytes) {
                        return (FileState::Skipped, false);
                    }
                    (summarise(file, bytes, &view), true)
                }
            })
            .collect();
        for (file, (state, candidate)) in self.files.iter_mut().zip(results) {
            file.functions_elided = matches!(state, FileState::Summarised(_));
            file.state = state;
            file.candidate = candidate;
        }
    }

    /// Thin wrappers are judged at their callers: re-summarise the files that mention a
    /// wrapper's name, now knowing the wrapper, until no new wrapper appears.
    fn wrapper_fixpoint(&mut self) {
        for _round in 0..8 {
            let mut found = HashMap::new();
            for file in &self.files {
                if let FileState::Summarised(summary) = &file.state {
                    for wrapper in &summary.wrappers {
                        let key = format!("{}.{}", wrapper.symbol.module, wrapper.symbol.name);
                        found.insert(
                            key,
                            KnownWrapper {
                                forwarding: wrapper.forwarding.clone(),
                                api: wrapper.site.api.clone(),
                            },
                        );
                    }
                }
            }
            let new: Vec<String> = found
                .keys()
                .filter(|k| !self.wrappers.contains_key(*k))
                .cloned()
                .collect();
            if new.is_empty() {
                return;
            }
            let needles: Vec<String> = new
                .iter()
                .filter_map(|k| k.rsplit('.').next().map(str::to_string))
                .collect();
            self.wrappers = found;
            let prefilter = Prefilter::new(&needles);
            let view = ProjectView {
                project_modules: &self.project_modules,
                wrappers: &self.wrappers,
                helper_functions: false,
            };
            let updates: Vec<Option<FileState>> = self
                .files
                .par_iter()
                .map(|file| {
                    if file.language != Language::Python {
                        return None;
                    }
                    let bytes = std::fs::read(&file.path).ok()?;
                    prefilter
                        .matches(&bytes)
                        .then(|| summarise(file, bytes, &view))
                })
                .collect();
            for (file, update) in self.files.iter_mut().zip(updates) {
                if let Some(state) = update {
                    file.functions_elided = matches!(state, FileState::Summarised(_));
                    file.state = state;
                    file.candidate = true;
                }
            }
        }
    }

    /// The summary of a module, loading it now if the first pass skipped it.
    pub fn module_summary(&mut self, module: &str) -> Option<&ModuleSummary> {
        let index = *self.module_index.get(module)?;
        if matches!(
            self.files[index].state,
            FileState::Pending | FileState::Skipped
        ) {
            self.resummarise(index);
        }
        match &self.files[index].state {
            FileState::Summarised(summary) => Some(summary),
            _ => None,
        }
    }

    /// Reads and summarises one file again, keeping everything.
    fn resummarise(&mut self, index: usize) {
        let view = ProjectView {
            project_modules: &self.project_modules,
            wrappers: &self.wrappers,
            helper_functions: true,
        };
        let file = &self.files[index];
        let state = match std::fs::read(&file.path) {
            Ok(bytes) => summarise(file, bytes, &view),
            Err(err) => FileState::Unreadable(err.to_string()),
        };
        self.files[index].state = state;
        self.files[index].functions_elided = false;
    }

    pub fn summaries(&self) -> impl Iterator<Item = (&SourceEntry, &ModuleSummary)> {
        self.files.iter().filter_map(|f| match &f.state {
            FileState::Summarised(s) => Some((f, s.as_ref())),
            _ => None,
        })
    }

    pub fn file_of_module(&self, module: &str) -> Option<&SourceEntry> {
        self.module_index.get(module).map(|i| &self.files[*i])
    }
}

fn summarise(file: &SourceEntry, bytes: Vec<u8>, view: &ProjectView) -> FileState {
    let (text, invalid_utf8_at) = crate::source::decode(bytes);
    if let Some(offset) = invalid_utf8_at {
        return FileState::ParseFailed(ParseFailure {
            offset,
            message: "the file is not valid UTF-8, so the interpreter would refuse it".into(),
        });
    }
    let (module, is_package) = file.module.clone().unwrap_or_default();
    match file.language {
        Language::Python => match python::summarize(&text, &module, is_package, view) {
            Ok(summary) => FileState::Summarised(Box::new(summary)),
            Err(failure) => FileState::ParseFailed(failure),
        },
        Language::Rust => FileState::Skipped,
    }
}

fn python_source_roots(config: &Config) -> Vec<PathBuf> {
    match &config.source_roots {
        Some(roots) => roots.iter().map(|r| config.root.join(r)).collect(),
        None => {
            let src = config.root.join("src");
            let mut roots = Vec::new();
            if src.is_dir() {
                roots.push(src);
            }
            roots.push(config.root.clone());
            roots
        }
    }
}

fn python_module(path: &Path, roots: &[PathBuf]) -> Option<(String, bool)> {
    roots.iter().find_map(|root| {
        let rel = path.strip_prefix(root).ok()?;
        python::module_name(&relative(rel, Path::new("")))
    })
}

impl Symbols for Project {
    fn bindings(&mut self, symbol: &SymbolRef) -> Option<Vec<Binding>> {
        self.module_summary(&symbol.module)?
            .bindings
            .get(&symbol.name)
            .cloned()
    }

    fn function(&mut self, symbol: &SymbolRef) -> Option<FunctionSummary> {
        let index = *self.module_index.get(&symbol.module)?;
        if self.files[index].functions_elided {
            self.resummarise(index);
        }
        self.module_summary(&symbol.module)?
            .functions
            .get(&symbol.name)
            .cloned()
    }

    fn is_ttl_definition(&self, symbol: &SymbolRef) -> bool {
        self.ttl_definitions.contains(symbol)
    }

    fn is_shadow(&self, symbol: &SymbolRef) -> bool {
        symbol.name == self.constant_name && !self.ttl_definitions.contains(symbol)
    }
}
