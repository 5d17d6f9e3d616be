//! The images a book uses: each file read once, in a format every e-reader shows (see
//! `images::screen`), given an ASCII name inside the container.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diag::Diagnostics;
use crate::document::{Document, ImageSource};
use crate::images::Saving;
use crate::images::format::{self, Format};
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
    /// What scaling and recompressing saved against the files as they are.
    pub saving: Saving,
}

impl Images {
    /// Collects every image file the documents name, in reading order, each no larger than
    /// `max_side` pixels on its long side (0: any size). Reading, converting and scaling
    /// them (the slow part: decoding photos) runs in parallel.
    pub fn collect(docs: &[Document], max_side: u32, diags: &Diagnostics) -> Images {
        let mut paths: Vec<PathBuf> = Vec::new();
        let mut seen = BTreeSet::new();
        for doc in docs {
            doc.for_each_image(&mut |image| {
                if let ImageSource::File(path) = &image.source
                    && seen.insert(path.clone())
                {
                    paths.push(path.clone());
                }
            });
        }
        let prepared: Vec<Result<Prepared, String>> = paths
            .par_iter()
            .map(|path| prepare(path, max_side))
            .collect();
        let mut images = Images::default();
        for (path, result) in paths.into_iter().zip(prepared) {
            let stored = match result {
                Ok(Prepared {
                    bytes,
                    format,
                    original,
                }) => {
                    images.saving.add(original, bytes.len());
                    let name = format!(
                        "images/img-{:04}.{}",
                        images.stored.len() + 1,
                        format.extension()
                    );
                    images.stored.push(StoredImage {
                        name,
                        media_type: format.media_type(),
                        bytes,
                    });
                    Some(images.stored.len() - 1)
                }
                Err(problem) => {
                    diags.warn(&path, None, problem);
                    None
                }
            };
            images.by_path.insert(path, stored);
        }
        images
    }

    /// The stored image for a file, if it could be stored.
    pub fn get(&self, path: &Path) -> Option<&StoredImage> {
        let index = (*self.by_path.get(path)?)?;
        self.stored.get(index)
    }
}

/// An image as the EPUB stores it, and the size of its file.
struct Prepared {
    bytes: Vec<u8>,
    format: Format,
    original: usize,
}

/// An image file as the EPUB stores it, or what keeps it out (a placeholder is shown).
fn prepare(path: &Path, max_side: u32) -> Result<Prepared, String> {
    let bytes = std::fs::read(path)
        .map_err(|e| format!("cannot read image: {e}; a placeholder is shown"))?;
    let Some(format) = format::sniff(&bytes) else {
        return Err("not an image format e-readers show (PNG, JPEG, GIF, WebP, SVG); a placeholder is shown".into());
    };
    let original = bytes.len();
    let (bytes, format) = for_screen(bytes, format, max_side).map_err(|reason| {
        format!("cannot convert the image for e-readers ({reason}); a placeholder is shown")
    })?;
    Ok(Prepared {
        bytes,
        format,
        original,
    })
}
