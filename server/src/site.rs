//! The site files (WASM, JS, CSS under /pkg) the pages refer to. cargo-leptos' release build
//! names them by their content hash and writes the hashes to `hash.txt` beside the binary; the
//! server reads that file at start, so it names what the build made whatever the environment
//! says, and refuses to start when a file a page would load is missing (a binary built without
//! cargo-leptos would otherwise serve pages that never hydrate, with no error anywhere).

use leptos::config::LeptosOptions;
use std::{collections::HashMap, path::Path};

/// `options` with `hash_files` set from the build's hash file, once every file they name exists.
pub fn checked(mut options: LeptosOptions) -> Result<LeptosOptions, String> {
    let hash_file = std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.join(options.hash_file.as_ref())))
        .filter(|path| path.is_file());
    let hashes: HashMap<String, String> = match &hash_file {
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?
            .lines()
            .filter_map(|line| line.split_once(':'))
            .map(|(kind, hash)| (kind.trim().to_owned(), hash.trim().to_owned()))
            .collect(),
        None => HashMap::new(),
    };
    options.hash_files = hash_file.is_some();
    let pkg = Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    let named = |stem: &str, kind: &str, extension: &str| match hashes.get(kind) {
        Some(hash) => format!("{stem}.{hash}.{extension}"),
        None => format!("{stem}.{extension}"),
    };
    let output = options.output_name.to_string();
    let mut files = vec![
        named(&output, "js", "js"),
        named(&output, "wasm", "wasm"),
        named(&output, "css", "css"),
    ];
    if hashes.contains_key("split") {
        files.push(named("__wasm_split", "split", "js"));
    }
    for file in files {
        let path = pkg.join(&file);
        if !path.is_file() {
            return Err(format!(
                "the site file {} is missing: build with `bash scripts/build.sh` and start the \
                 server from the repository root (or set LEPTOS_SITE_ROOT)",
                path.display()
            ));
        }
    }
    Ok(options)
}
