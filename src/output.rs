//! Writing output files atomically: a failed or interrupted run never leaves half a book, and
//! an older book at the same path stays intact until the new one is complete.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::diag::{Error, Result};

/// Temporary files being written now; an interrupt removes them before the process ends.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn pending() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    // A panic while the lock was held leaves the list as it was: still right to use.
    PENDING.lock().unwrap_or_else(|e| e.into_inner())
}

/// Removes every temporary file not yet renamed into place (called on Ctrl-C).
pub fn remove_pending() {
    for path in pending().drain(..) {
        let _ = std::fs::remove_file(path);
    }
}

/// Writes `bytes` to `path` through a temporary file in the same folder, renamed into place.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(folder).map_err(|e| Error::io(folder, e))?;
    let temp = tempfile::Builder::new()
        .prefix(".inkstone-")
        .suffix(".part")
        .tempfile_in(folder)
        .map_err(|e| Error::io(folder, e))?;
    let temp_path = temp.path().to_path_buf();
    pending().push(temp_path.clone());
    let result = fill_and_rename(temp, path, bytes);
    pending().retain(|p| p != &temp_path);
    result
}

fn fill_and_rename(mut temp: tempfile::NamedTempFile, path: &Path, bytes: &[u8]) -> Result<()> {
    temp.write_all(bytes).map_err(|e| Error::io(path, e))?;
    // Temporary files are private (0600); a book is an ordinary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::Permissions::from_mode(0o644);
        temp.as_file()
            .set_permissions(mode)
            .map_err(|e| Error::io(path, e))?;
    }
    temp.as_file().sync_all().map_err(|e| Error::io(path, e))?;
    temp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_appears_whole_and_nothing_else_is_left() {
        let dir = tempfile::TempDir::new().unwrap();
        let path = dir.path().join("sub/book.epub");
        write_atomically(&path, b"old").unwrap();
        write_atomically(&path, b"new book").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new book");
        let names: Vec<_> = std::fs::read_dir(dir.path().join("sub")).unwrap().collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn an_interrupt_removes_the_file_being_written() {
        let dir = tempfile::TempDir::new().unwrap();
        let temp = tempfile::Builder::new().tempfile_in(dir.path()).unwrap();
        let (_, path) = temp.keep().unwrap();
        pending().push(path.clone());
        remove_pending();
        assert!(!path.exists());
    }
}
