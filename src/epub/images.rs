//! The images a book uses: each file read once, in a format every e-reader shows (see
//! `images::screen`), given an ASCII name inside the container.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diag::Diagnostics;
use crate::document::{Document, ImageSource};
use crate::images::format;
use crate::images::screen::for_screen;

/// One image stored in the book.
pub struct StoredImage {
    /// Path inside the container, e.g. `images/img-0003.png`.
    pub name: String,
    pub media_type: &'static str,
    pub bytes: Vec<u8>,
}

/// Images by source file; `None` for a file that exists but is not an image we can store.
#[derive(Default)]
pub struct Images {
    by_path: BTreeMap<PathBuf, Option<usize>>,
    pub stored: Vec<StoredImage>,
}

impl Images {
    /// Collects every image file the documents name, in reading order.
    pub fn collect(docs: &[Document], diags: &Diagnostics) -> Images {
        let mut images = Images::default();
        for doc in docs {
            doc.for_each_image(&mut |image| {
                if let ImageSource::File(path) = &image.source {
                    images.add(path, diags);
                }
            });
        }
        images
    }

    fn add(&mut self, path: &Path, diags: &Diagnostics) {
        if self.by_path.contains_key(path) {
            return;
        }
        let stored = match std::fs::read(path) {
            Ok(bytes) => match format::sniff(&bytes).map(|f| for_screen(bytes, f)) {
                Some(Ok((bytes, format))) => {
                    let name = format!(
                        "images/img-{:04}.{}",
                        self.stored.len() + 1,
                        format.extension()
                    );
                    self.stored.push(StoredImage {
                        name,
                        media_type: format.media_type(),
                        bytes,
                    });
                    Some(self.stored.len() - 1)
                }
                Some(Err(reason)) => {
                    diags.warn(
                        path,
                        None,
                        format!("cannot convert the image for e-readers ({reason}); a placeholder is shown"),
                    );
                    None
                }
                None => {
                    diags.warn(path, None, "not an image format e-readers show (PNG, JPEG, GIF, WebP, SVG); a placeholder is shown");
                    None
                }
            },
            Err(e) => {
                diags.warn(
                    path,
                    None,
                    format!("cannot read image: {e}; a placeholder is shown"),
                );
                None
            }
        };
        self.by_path.insert(path.to_path_buf(), stored);
    }

    /// The stored image for a file, if it could be stored.
    pub fn get(&self, path: &Path) -> Option<&StoredImage> {
        let index = (*self.by_path.get(path)?)?;
        self.stored.get(index)
    }
}
