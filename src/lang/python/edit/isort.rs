//! isort's order of imported names and the standard library's modules, which decide
//! where the Python editor puts an import. No parsing.

/// isort's (and ruff's) order of imported names: constants, then classes, then the rest.
pub(super) fn isort_key(name: &str) -> (u8, String) {
    let rank = if name.len() > 1 && name.chars().all(|c| !c.is_lowercase()) {
        0
    } else if name.starts_with(|c: char| c.is_uppercase()) {
        1
    } else {
        2
    };
    (rank, name.to_lowercase())
}

/// The standard library's most imported modules: enough to find a file's block of them.
pub(super) fn is_standard_library(module: &str) -> bool {
    const MODULES: &[&str] = &[
        "abc",
        "argparse",
        "asyncio",
        "base64",
        "calendar",
        "collections",
        "contextlib",
        "copy",
        "csv",
        "dataclasses",
        "datetime",
        "decimal",
        "enum",
        "functools",
        "hashlib",
        "hmac",
        "http",
        "importlib",
        "inspect",
        "io",
        "itertools",
        "json",
        "logging",
        "math",
        "operator",
        "os",
        "pathlib",
        "random",
        "re",
        "secrets",
        "shutil",
        "string",
        "subprocess",
        "sys",
        "tempfile",
        "textwrap",
        "threading",
        "time",
        "traceback",
        "types",
        "typing",
        "unittest",
        "urllib",
        "uuid",
        "warnings",
        "zoneinfo",
    ];
    MODULES.contains(&module.split('.').next().unwrap_or(module))
}
