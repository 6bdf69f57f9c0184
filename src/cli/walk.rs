//! Finding the files `check` and `fix` work on: named files as given, folders
//! walked like ripgrep (`.gitignore`, hidden files) for content extensions.

use anyhow::{anyhow, Result};
use ignore::overrides::{Override, OverrideBuilder};
use ignore::WalkBuilder;
use std::path::{Path, PathBuf};

/// Extensions picked up when walking a folder (a named file is always taken).
pub const CONTENT_EXTENSIONS: [&str; 6] = ["md", "markdown", "txt", "text", "html", "htm"];

/// Files to process, in order, and the paths that could not be walked.
pub struct Walked {
    pub files: Vec<PathBuf>,
    /// The path (empty when unknown) and the error.
    pub errors: Vec<(String, anyhow::Error)>,
}

/// The `exclude` globs of the configuration, relative to its folder.
pub fn excludes(root: &Path, globs: &[String]) -> Result<Override> {
    let mut builder = OverrideBuilder::new(root);
    for glob in globs {
        builder
            .add(&format!("!{glob}"))
            .map_err(|e| anyhow!("exclude `{glob}`: {e}"))?;
    }
    Ok(builder.build()?)
}

fn excluded(excludes: &Override, cwd: &Path, path: &Path, is_dir: bool) -> bool {
    // Rebuilt from components, so `./` inside the path does not defeat the prefix match.
    let absolute: PathBuf = cwd.join(path).components().collect();
    excludes.matched(absolute, is_dir).is_ignore()
}

fn has_content_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| CONTENT_EXTENSIONS.iter().any(|c| e.eq_ignore_ascii_case(c)))
}

/// Walks `paths` (the current folder when empty), sorted by name within each folder.
pub fn walk(paths: &[PathBuf], excludes: &Override) -> Walked {
    let cwd = std::env::current_dir().unwrap_or_default();
    let default = [PathBuf::from(".")];
    let roots = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    let mut walked = Walked {
        files: Vec::new(),
        errors: Vec::new(),
    };
    for root in roots {
        let metadata = match std::fs::metadata(root) {
            Ok(metadata) => metadata,
            Err(error) => {
                let name = root.display().to_string();
                walked
                    .errors
                    .push((name.clone(), anyhow!("{name}: {error}")));
                continue;
            }
        };
        if !metadata.is_dir() {
            if !excluded(excludes, &cwd, root, false) {
                walked.files.push(root.clone());
            }
            continue;
        }
        let filter_excludes = excludes.clone();
        let filter_cwd = cwd.clone();
        let walker = WalkBuilder::new(root)
            .require_git(false)
            .sort_by_file_name(|a, b| a.cmp(b))
            .filter_entry(move |entry| {
                let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
                !excluded(&filter_excludes, &filter_cwd, entry.path(), is_dir)
            })
            .build();
        for entry in walker {
            match entry {
                Ok(entry) => {
                    let is_file = entry.file_type().is_some_and(|t| t.is_file());
                    if is_file && has_content_extension(entry.path()) {
                        let path = entry.path();
                        let shown = if root == Path::new(".") {
                            path.strip_prefix(".").unwrap_or(path)
                        } else {
                            path
                        };
                        walked.files.push(shown.to_path_buf());
                    }
                }
                Err(error) => walked.errors.push((String::new(), anyhow!("{error}"))),
            }
        }
    }
    walked
}
