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
    let mut temp = tempfile::Builder::new()
        .prefix(".deboil-")
        .suffix(".tmp")
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
