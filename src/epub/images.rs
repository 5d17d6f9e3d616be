//! The images a book uses: each file read once, checked by its first bytes, given an ASCII
//! name inside the container.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diag::Diagnostics;
use crate::document::{Block, Document, Image, ImageSource, Inline};

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
        let mut visit = |image: &Image| {
            if let ImageSource::File(path) = &image.source {
                images.add(path, diags);
            }
        };
        for doc in docs {
            for_each_image(&doc.blocks, &mut visit);
            for note in &doc.footnotes {
                for_each_image(&note.blocks, &mut visit);
            }
        }
        images
    }

    fn add(&mut self, path: &Path, diags: &Diagnostics) {
        if self.by_path.contains_key(path) {
            return;
        }
        let stored = match std::fs::read(path) {
            Ok(bytes) => match sniff(&bytes) {
                Some((media_type, extension)) => {
                    let name = format!("images/img-{:04}.{extension}", self.stored.len() + 1);
                    self.stored.push(StoredImage {
                        name,
                        media_type,
                        bytes,
                    });
                    Some(self.stored.len() - 1)
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

/// The media type and extension of an image, from its first bytes, not its name.
pub fn sniff(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(("image/png", "png"))
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(("image/jpeg", "jpg"))
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some(("image/gif", "gif"))
    } else if bytes.len() > 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(("image/webp", "webp"))
    } else {
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]);
        (head.contains("<svg")).then_some(("image/svg+xml", "svg"))
    }
}

fn for_each_image(blocks: &[Block], visit: &mut impl FnMut(&Image)) {
    for block in blocks {
        match block {
            Block::Paragraph(c) | Block::Heading { content: c, .. } => inlines(c, visit),
            Block::Figure { image, caption } => {
                visit(image);
                inlines(caption, visit);
            }
            Block::Quote {
                blocks,
                attribution,
                ..
            } => {
                for_each_image(blocks, visit);
                inlines(attribution, visit);
            }
            Block::List { items, .. } => {
                items.iter().for_each(|i| for_each_image(&i.blocks, visit))
            }
            Block::Table { head, rows, .. } => {
                head.iter().for_each(|c| inlines(c, visit));
                rows.iter().flatten().for_each(|c| inlines(c, visit));
            }
            Block::Note { title, blocks, .. }
            | Block::Fold {
                summary: title,
                blocks,
            } => {
                inlines(title, visit);
                for_each_image(blocks, visit);
            }
            Block::Tabs(tabs) => tabs.iter().for_each(|(t, b)| {
                inlines(t, visit);
                for_each_image(b, visit);
            }),
            Block::Definitions(items) => items.iter().for_each(|(t, b)| {
                inlines(t, visit);
                for_each_image(b, visit);
            }),
            Block::Division(blocks) => for_each_image(blocks, visit),
            Block::Code { .. } | Block::Embed { .. } | Block::Rule => {}
        }
    }
}

fn inlines(content: &[Inline], visit: &mut impl FnMut(&Image)) {
    for inline in content {
        match inline {
            Inline::Image(image) => visit(image),
            Inline::Emphasis(c)
            | Inline::Strong(c)
            | Inline::Strikethrough(c)
            | Inline::Styled { content: c, .. }
            | Inline::Link { content: c, .. } => inlines(c, visit),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_known_by_their_bytes() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nrest"), Some(("image/png", "png")));
        assert_eq!(
            sniff(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some(("image/jpeg", "jpg"))
        );
        assert_eq!(
            sniff(b"<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg'/>").map(|s| s.1),
            Some("svg")
        );
        assert_eq!(sniff(b"not an image"), None);
    }
}
