//! Writing output files atomically: a failed run never leaves half a book, and an older book at
//! the same path stays intact until the new one is complete.

use std::io::Write;
use std::path::Path;

use crate::diag::{Error, Result};

/// Writes `bytes` to `path` through a temporary file in the same folder, renamed into place.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
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
