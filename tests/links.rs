//! Where the tool sends its users: every URL in the rule docs, the docs, the README, the
//! messages (the sources) and the pinned outputs (snapshots) is on a public host of an
//! allow-list; the repository's address is written once (Cargo.toml `repository`); and each
//! output format points at the rule's documentation page.

mod common;

use std::path::{Path, PathBuf};

use checkout_lint::rules::{self, RuleCode};
use common::{bin, repo};

/// Hosts anyone can open. Subdomains of an entry are allowed too (`api.stripe.com`).
const PUBLIC_HOSTS: &[&str] = &[
    "stripe.com",
    "github.com",
    "docs.python.org",
    "doc.rust-lang.org",
    "docs.rs",
    "docs.astral.sh",
    "json.schemastore.org",
    "groups.google.com",
];

/// Names reserved for examples (RFC 2606 / 6761): they stand for the user's own hosts in
/// examples and are never a link to anywhere.
const EXAMPLE_HOSTS: &[&str] = &["example.com", "example", "localhost", "127.0.0.1"];

fn allowed(host: &str) -> bool {
    let matches = |allowed: &&str| host == *allowed || host.ends_with(&format!(".{allowed}"));
    PUBLIC_HOSTS.iter().any(matches) || EXAMPLE_HOSTS.iter().any(matches)
}

/// The host of every `http://` or `https://` URL in `text`.
fn hosts(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for scheme in ["http://", "https://"] {
        let mut rest = text;
        while let Some(at) = rest.find(scheme) {
            let after = &rest[at + scheme.len()..];
            let end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-'))
                .unwrap_or(after.len());
            // `"https://"` alone (a prefix check, a `format!`) names no host.
            if end > 0 {
                out.push(after[..end].to_ascii_lowercase());
            }
            rest = &after[end..];
        }
    }
    out
}

fn files(dir: &Path, extensions: &[&str], out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, extensions, out);
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| extensions.contains(&e))
        {
            out.push(path);
        }
    }
}

/// What users read: the README and the other top-level documents, the rule docs, docs/,
/// the sources (every message is written there), the pinned outputs and the packaging
/// files that carry URLs.
fn scanned() -> Vec<PathBuf> {
    let root = repo();
    let mut out: Vec<PathBuf> = [
        "README.md",
        "ARCHITECTURE.md",
        "Cargo.toml",
        "pyproject.toml",
        "action.yml",
        ".pre-commit-hooks.yaml",
    ]
    .iter()
    .map(|f| root.join(f))
    .filter(|p| p.exists())
    .collect();
    files(&root.join("rules"), &["md", "toml"], &mut out);
    files(&root.join("docs"), &["md"], &mut out);
    files(&root.join("src"), &["rs"], &mut out);
    files(&root.join("tests/snapshots"), &["snap"], &mut out);
    out
}

#[test]
fn the_host_check_sees_a_private_host() {
    let text =
        "see [PR](https://forge.tail0000.ts.net/a/b/pulls/1) and https://docs.stripe.com/api";
    assert_eq!(hosts(text), ["forge.tail0000.ts.net", "docs.stripe.com"]);
    assert!(!allowed("forge.tail0000.ts.net"));
    assert!(!allowed("notstripe.com"));
    assert!(allowed("docs.stripe.com"));
    assert!(allowed("shop.example"));
}

#[test]
fn docs_and_messages_link_only_public_hosts() {
    let root = repo();
    let mut private = Vec::new();
    let files = scanned();
    assert!(files.len() > 30, "the scan finds the docs: {files:?}");
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        for host in hosts(&text) {
            if !allowed(&host) {
                let shown = path.strip_prefix(&root).unwrap_or(&path).display();
                private.push(format!("{shown}: {host}"));
            }
        }
    }
    assert!(
        private.is_empty(),
        "links to hosts outside the public allow-list (cite a public source, or tell the \
         story in words): {private:#?}"
    );
}

/// The value of `key = "..."` in a TOML text (first occurrence).
fn toml_string(text: &str, key: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let rest = line
            .trim()
            .strip_prefix(key)?
            .trim_start()
            .strip_prefix('=')?;
        Some(rest.trim().trim_matches('"').to_string())
    })
}

#[test]
fn the_repository_address_is_written_once_and_pyproject_agrees() {
    let cargo = std::fs::read_to_string(repo().join("Cargo.toml")).unwrap();
    let pyproject = std::fs::read_to_string(repo().join("pyproject.toml")).unwrap();
    let repository = toml_string(&cargo, "repository").expect("Cargo.toml names its repository");
    assert_eq!(rules::REPOSITORY, repository);
    assert_eq!(
        toml_string(&pyproject, "Repository").as_deref(),
        Some(repository.as_str()),
        "pyproject.toml [project.urls] Repository names the same repository"
    );
    let mut sources = Vec::new();
    files(&repo().join("src"), &["rs"], &mut sources);
    for path in sources {
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            !text.contains(&repository),
            "{} spells the repository's address; use rules::REPOSITORY",
            path.display()
        );
    }
}

#[test]
fn every_format_points_at_the_rule_page() {
    let project = repo().join("fixtures/basketball_api");
    let url = RuleCode::CL001.url();
    assert!(
        url.ends_with(&format!(
            "/blob/v{}/rules/CL001-missing-expires-at.md",
            env!("CARGO_PKG_VERSION")
        )),
        "{url}"
    );
    assert!(repo().join("rules/CL001-missing-expires-at.md").exists());
    for format in ["human", "github", "sarif"] {
        let output = bin()
            .args(["check", "--format", format])
            .arg(&project)
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(1), "{output:?}");
        let text = String::from_utf8_lossy(&output.stdout);
        let expected = match format {
            "human" => format!("  see: {url}\n"),
            "github" => format!("%0Asee: {url}\n"),
            _ => format!("\"helpUri\": \"{url}\""),
        };
        assert!(text.contains(&expected), "{format}: {text}");
    }
}

/// Users do not have the SPEC: no message (code outside comments) cites "SPEC §N".
#[test]
fn messages_never_cite_the_spec() {
    let mut sources = Vec::new();
    files(&repo().join("src"), &["rs"], &mut sources);
    let mut citing = Vec::new();
    for path in sources {
        let text = std::fs::read_to_string(&path).unwrap();
        for (number, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            if line.trim_start().starts_with("//") || !code.contains("SPEC §") {
                continue;
            }
            citing.push(format!(
                "{}:{}: {}",
                path.display(),
                number + 1,
                line.trim()
            ));
        }
    }
    assert!(citing.is_empty(), "{citing:#?}");
}
