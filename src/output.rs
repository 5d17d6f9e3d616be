//! Writing output files atomically: a failed or interrupted run never leaves half a book, and
//! the books a run writes (the EPUB and the PDF) replace the older ones together: an interrupt
//! leaves either all the older books or all the new ones, never a mix.
//!
//! Each file is written whole to a temporary file beside its final name, then all are renamed
//! into place. Ctrl-C while temporary files are written removes them and ends the run; Ctrl-C
//! during the renames (a few microseconds) waits for them to finish.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use tempfile::NamedTempFile;

use crate::diag::{Error, Result};

/// What this run has written so far. The lock is held while files are renamed into place, so
/// an interrupt sees the state before or after the renames, never in between.
struct Written {
    /// Temporary files not yet renamed; an interrupt removes them.
    pending: Vec<PathBuf>,
    /// The new books have been renamed into place.
    books_in_place: bool,
}

static WRITTEN: Mutex<Written> = Mutex::new(Written {
    pending: Vec::new(),
    books_in_place: false,
});

fn written() -> MutexGuard<'static, Written> {
    // A panic while the lock was held leaves the state as it was: still right to use.
    WRITTEN.lock().unwrap_or_else(|e| e.into_inner())
}

/// What an interrupt found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interrupted {
    /// No new book was put in place (its temporary files are now removed).
    NothingWritten,
    /// The new books were already complete and in place.
    BooksInPlace,
}

/// Called on Ctrl-C before the process ends: removes every temporary file not yet renamed,
/// after waiting for renames in progress.
pub fn interrupt() -> Interrupted {
    let mut state = written();
    for path in state.pending.drain(..) {
        let _ = std::fs::remove_file(path);
    }
    if state.books_in_place {
        Interrupted::BooksInPlace
    } else {
        Interrupted::NothingWritten
    }
}

/// Writes `bytes` to `path` through a temporary file in the same folder, renamed into place
/// (for files that are not the book, such as downloaded images).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    write_together(&[(path, bytes)], Kind::Other)
}

/// Writes the books: each whole beside its final name, then all renamed into place; on any
/// error nothing is renamed and no temporary file is left.
pub fn write_books(files: &[(PathBuf, Vec<u8>)]) -> Result<()> {
    let files: Vec<(&Path, &[u8])> = files
        .iter()
        .map(|(path, bytes)| (path.as_path(), bytes.as_slice()))
        .collect();
    write_together(&files, Kind::Books)
}

/// What is written: the books (an interrupt after their renames keeps them), or other files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Books,
    Other,
}

fn write_together(files: &[(&Path, &[u8])], kind: Kind) -> Result<()> {
    let mut temporaries: Vec<(NamedTempFile, &Path)> = Vec::new();
    for &(path, bytes) in files {
        match write_temporary(path, bytes) {
            Ok(temp) => temporaries.push((temp, path)),
            Err(e) => {
                forget(&mut written(), &temporaries);
                return Err(e);
            }
        }
    }
    let mut state = written();
    forget(&mut state, &temporaries);
    for (temp, path) in temporaries {
        temp.persist(path).map_err(|e| Error::io(path, e.error))?;
        state.books_in_place |= kind == Kind::Books;
    }
    Ok(())
}

/// Takes files off the list of pending temporary files (they are renamed, or dropped and so
/// removed by `tempfile`).
fn forget(state: &mut Written, temporaries: &[(NamedTempFile, &Path)]) {
    let names: Vec<&Path> = temporaries.iter().map(|(t, _)| t.path()).collect();
    state.pending.retain(|p| !names.contains(&p.as_path()));
}

/// The whole of `bytes` in a temporary file beside `path`, on disk.
fn write_temporary(path: &Path, bytes: &[u8]) -> Result<NamedTempFile> {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(folder).map_err(|e| Error::io(folder, e))?;
    let mut temp = tempfile::Builder::new()
        .prefix(".inkstone-")
        .suffix(".part")
        .tempfile_in(folder)
        .map_err(|e| Error::io(folder, e))?;
    written().pending.push(temp.path().to_path_buf());
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
    Ok(temp)
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
    fn a_failure_renames_nothing_and_leaves_no_temporary_file() {
        let dir = tempfile::TempDir::new().unwrap();
        let epub = dir.path().join("book.epub");
        write_atomically(&epub, b"old book").unwrap();
        // The second file's folder cannot be made: a file stands where it would be.
        std::fs::write(dir.path().join("blocker"), b"").unwrap();
        let files = [
            (epub.clone(), b"new book".to_vec()),
            (dir.path().join("blocker/book.pdf"), b"new pdf".to_vec()),
        ];
        assert!(write_books(&files).is_err());
        assert_eq!(std::fs::read(&epub).unwrap(), b"old book");
        let mut names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        assert_eq!(names, ["blocker", "book.epub"]);
    }
}
