//! The EPUB container: a ZIP whose first entry is the uncompressed `mimetype`, written with
//! fixed timestamps and permissions so the same book gives the same bytes.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use zip::result::ZipResult;

/// Files of the book, in the order they are stored.
#[derive(Default)]
pub struct Container {
    files: Vec<(String, Vec<u8>)>,
}

impl Container {
    pub fn add(&mut self, name: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        self.files.push((name.into(), bytes.into()));
    }

    /// The `.epub` bytes.
    pub fn finish(self) -> ZipResult<Vec<u8>> {
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        let fixed = SimpleFileOptions::default()
            .last_modified_time(DateTime::default())
            .unix_permissions(0o644);
        let stored = fixed.compression_method(CompressionMethod::Stored);
        let deflated = fixed
            .compression_method(CompressionMethod::Deflated)
            .compression_level(Some(9));
        zip.start_file("mimetype", stored)?;
        zip.write_all(b"application/epub+zip")?;
        for (name, bytes) in &self.files {
            // Images and fonts are already compressed, or nearly so; text shrinks well.
            let options = if is_compressed_format(name) {
                stored
            } else {
                deflated
            };
            zip.start_file(name.as_str(), options)?;
            zip.write_all(bytes)?;
        }
        let cursor = zip.finish()?;
        Ok(cursor.into_inner())
    }
}

fn is_compressed_format(name: &str) -> bool {
    [".png", ".jpg", ".jpeg", ".gif", ".webp", ".woff2"]
        .iter()
        .any(|ext| name.ends_with(ext))
}
