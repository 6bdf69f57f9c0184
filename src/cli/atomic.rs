//! Atomic replacement of a file's contents for `fix`.
//!
//! The new contents go to a temporary file in the same folder, which is
//! flushed, given the original's permissions (and owner, where allowed),
//! synced to disk, and renamed over the original; the folder is then synced.
//! A symlink is followed: its target is rewritten and the link stays a link.
//! If any step fails the temporary file is removed and the original is untouched.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Temporary files are `.deboil-<pid>-<random>.tmp`, in the target's folder.
const TEMP_PREFIX: &str = ".deboil-";
const TEMP_SUFFIX: &str = ".tmp";

/// Removes the temporary files that a killed `fix` left in `folder`: those of
/// a process that no longer runs (where `/proc` tells), else those over an
/// hour old. A live run's temporary files are never touched.
pub fn remove_stale(folder: &Path) {
    let Ok(entries) = fs::read_dir(folder) else {
        return;
    };
    let proc_fs = Path::new("/proc/self").exists();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            continue;
        };
        let Some(rest) = name
            .strip_prefix(TEMP_PREFIX)
            .filter(|_| name.ends_with(TEMP_SUFFIX))
        else {
            continue;
        };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        let stale = if pid == std::process::id() {
            false
        } else if proc_fs {
            !Path::new("/proc").join(pid.to_string()).exists()
        } else {
            entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age.as_secs() > 3600)
        };
        if stale && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Replaces the contents of the file at `path` (or of its symlink's target).
pub fn replace(path: &Path, contents: &[u8]) -> io::Result<()> {
    let target = resolve(path)?;
    let metadata = fs::metadata(&target)?;
    if !metadata.is_file() {
        return Err(io::Error::other("not a regular file"));
    }
    let folder = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let prefix = format!("{TEMP_PREFIX}{}-", std::process::id());
    let mut temp = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(TEMP_SUFFIX)
        .tempfile_in(&folder)?;
    temp.write_all(contents)?;
    temp.flush()?;
    temp.as_file().set_permissions(metadata.permissions())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // Keeping the owner needs privileges; without them the file is the writer's, as with any editor.
        let _ =
            std::os::unix::fs::fchown(temp.as_file(), Some(metadata.uid()), Some(metadata.gid()));
    }
    temp.as_file().sync_all()?;
    temp.persist(&target).map_err(|e| e.error)?;
    if let Ok(dir) = fs::File::open(&folder) {
        // Makes the rename durable; not every platform can sync a folder.
        let _ = dir.sync_all();
    }
    Ok(())
}

/// The file a path names: itself, or the final target of a symlink chain.
fn resolve(path: &Path) -> io::Result<PathBuf> {
    if fs::symlink_metadata(path)?.file_type().is_symlink() {
        fs::canonicalize(path)
    } else {
        Ok(path.to_path_buf())
    }
}
