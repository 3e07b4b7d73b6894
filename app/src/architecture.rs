//! The layering rules of ARCHITECTURE.md, checked on the source itself: the shared plumbing and
//! the access layer name no domain, the modules import each other without cycles, and no domain
//! reaches into another domain's `repo`. A test, so a change that breaks a rule fails `cargo test`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Modules below every domain: they may use each other (without cycles), never a domain.
const FOUNDATION: &[&str] = &[
    "auth",
    "components",
    "db",
    "error",
    "events",
    "limits",
    "mail",
    "security",
    "state",
    "tokens",
];

/// The source with comments removed (line comments, and doc comments with them).
fn without_comments(source: &str) -> String {
    source
        .lines()
        .map(|line| match line.find("//") {
            // A `//` inside a string (a URL) is rare enough here; the paths we look for are code.
            Some(i) if !line[..i].contains('"') => &line[..i],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first segments of a use tree's items: `{a::b, c::{d}, e}` gives a, c, e.
fn tree_heads(tree: &str) -> Vec<(String, String)> {
    let mut heads = Vec::new();
    let mut depth = 0;
    let mut item = String::new();
    for ch in tree.chars() {
        match ch {
            '{' => depth += 1,
            '}' => depth -= 1,
            _ => {}
        }
        if ch == ',' && depth == 0 {
            heads.push(std::mem::take(&mut item));
        } else {
            item.push(ch);
        }
    }
    heads.push(item);
    heads
        .iter()
        .filter_map(|item| {
            let item = item.trim();
            let (head, rest) = item.split_once("::").unwrap_or((item, ""));
            let head = head.trim().to_owned();
            (!head.is_empty()).then_some((head, rest.split_whitespace().collect()))
        })
        .collect()
}

/// `crate::X…` references of a file: (X, the rest of the path or use tree after X).
fn references(source: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut rest = source;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(tree) = rest.strip_prefix('{') {
            let mut depth = 1;
            let end = tree
                .char_indices()
                .find(|(_, c)| {
                    match c {
                        '{' => depth += 1,
                        '}' => depth -= 1,
                        _ => {}
                    }
                    depth == 0
                })
                .map_or(tree.len(), |(i, _)| i);
            found.extend(tree_heads(&tree[..end]));
        } else {
            let path: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            let (head, rest) = path.split_once("::").unwrap_or((&path, ""));
            found.push((head.to_owned(), rest.to_owned()));
        }
    }
    found
}

/// Every module's references to other top-level modules: module → (other → where).
fn graph() -> BTreeMap<String, BTreeMap<String, BTreeSet<String>>> {
    fn walk(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, files);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    let mut graph: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for file in files {
        let relative = file
            .strip_prefix(&src)
            .unwrap_or(&file)
            .to_string_lossy()
            .to_string();
        let module = relative
            .split('/')
            .next()
            .unwrap_or("")
            .trim_end_matches(".rs")
            .to_owned();
        // The crate root (routes and the app shell) sits above every domain.
        if module == "lib" || module == "architecture" {
            continue;
        }
        let source = std::fs::read_to_string(&file).unwrap_or_default();
        for (head, second) in references(&without_comments(&source)) {
            if head != module && src.join(format!("{head}.rs")).exists() {
                graph
                    .entry(module.clone())
                    .or_default()
                    .entry(head.clone())
                    .or_default()
                    .insert(format!("{relative}: crate::{head}::{second}"));
            }
        }
    }
    graph
}

#[test]
fn the_foundation_names_no_domain() {
    let graph = graph();
    let mut wrong = Vec::new();
    for lower in FOUNDATION {
        for (other, places) in graph.get(*lower).into_iter().flatten() {
            if !FOUNDATION.contains(&other.as_str()) {
                wrong.extend(places.iter().cloned());
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "the foundation reaches up into a domain: {wrong:#?}"
    );
}

#[test]
fn modules_import_each_other_without_cycles() {
    let graph = graph();
    let reaches = |from: &str, to: &str| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.to_owned()];
        while let Some(module) = stack.pop() {
            for next in graph.get(&module).into_iter().flat_map(|m| m.keys()) {
                if next == to {
                    return true;
                }
                if seen.insert(next.clone()) {
                    stack.push(next.clone());
                }
            }
        }
        false
    };
    let cycles: Vec<String> = graph
        .iter()
        .flat_map(|(module, others)| {
            others
                .iter()
                .filter(|(other, _)| reaches(other, module))
                .flat_map(|(_, places)| places.iter().cloned())
        })
        .collect();
    assert!(cycles.is_empty(), "imports that close a cycle: {cycles:#?}");
    assert!(graph.len() > 10, "the source was not read: {graph:?}");
}

#[test]
fn no_domain_calls_another_domains_repo() {
    let graph = graph();
    let wrong: Vec<String> = graph
        .values()
        .flat_map(|others| others.values().flatten())
        .filter(|place| {
            let path = place.split_once(": ").map_or("", |(_, path)| path);
            path.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .any(|segment| segment == "repo")
        })
        .cloned()
        .collect();
    assert!(
        wrong.is_empty(),
        "another domain's queries used directly: {wrong:#?}"
    );
}
