//! What layout hands the PDF writer: pages of positioned glyph runs, images and rules, plus
//! the outline and links. Units are PDF points; y grows downward from the top of the trim box.

use std::ops::Range;
use std::sync::Arc;

/// A laid-out book.
#[derive(Debug, Clone, Default)]
pub struct Pages {
    pub meta: DocumentMeta,
    /// Trim size.
    pub width: f32,
    pub height: f32,
    /// Bleed on every side (0 for screen PDFs).
    pub bleed: f32,
    /// Fonts the glyph runs refer to by index.
    pub fonts: Vec<Arc<FontData>>,
    pub pages: Vec<Page>,
    /// Bookmarks: parts ▸ chapters ▸ posts.
    pub outline: Vec<OutlineEntry>,
}

#[derive(Debug, Clone, Default)]
pub struct DocumentMeta {
    pub title: String,
    pub author: Option<String>,
    pub subject: Option<String>,
    /// BCP 47, e.g. `zh-CN`.
    pub language: String,
    /// Creation date for the document information; fixed by the input, never the clock.
    pub date: Option<jiff::civil::DateTime>,
}

/// A font file as loaded (the PDF writer subsets it to the glyphs used).
#[derive(Debug)]
pub struct FontData {
    pub bytes: Arc<Vec<u8>>,
    /// Face index inside a collection.
    pub index: u32,
}

#[derive(Debug, Clone, Default)]
pub struct Page {
    pub items: Vec<Item>,
    pub links: Vec<Link>,
    /// The folio as printed (`12`, `iii`), or `None` for pages that show none; used for the
    /// PDF page label too.
    pub label: Option<PageLabel>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageLabel {
    Roman(u32),
    Arabic(u32),
}

#[derive(Debug, Clone)]
pub enum Item {
    Text(TextRun),
    Image(ImageBox),
    /// A straight line.
    Rule {
        from: (f32, f32),
        to: (f32, f32),
        thickness: f32,
        gray: f32,
    },
    /// A filled rectangle (code block background, note bar).
    Fill {
        x: f32,
        y: f32,
        width: f32,
        height: f32,
        gray: f32,
    },
}

/// Glyphs of one font and size on one baseline.
#[derive(Debug, Clone)]
pub struct TextRun {
    pub font: usize,
    pub size: f32,
    /// Origin of the first glyph, on the baseline.
    pub x: f32,
    pub y: f32,
    /// 0 = black, 1 = white.
    pub gray: f32,
    /// The text the glyphs set (for copy, search and screen readers).
    pub text: String,
    pub glyphs: Vec<Glyph>,
}

/// One glyph; advances and offsets in points.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    pub id: u16,
    pub x_advance: f32,
    pub x_offset: f32,
    pub y_offset: f32,
    /// Bytes of `TextRun::text` this glyph sets.
    pub text: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct ImageBox {
    /// The file it came from, as the post names it, for messages.
    pub name: String,
    pub data: Arc<Vec<u8>>,
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
}

/// A clickable area.
#[derive(Debug, Clone)]
pub struct Link {
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
    pub target: LinkTarget,
}

#[derive(Debug, Clone, PartialEq)]
pub enum LinkTarget {
    /// A place in the book: page index and y.
    Page {
        page: usize,
        y: f32,
    },
    Url(String),
}

#[derive(Debug, Clone)]
pub struct OutlineEntry {
    pub title: String,
    pub page: usize,
    pub y: f32,
    pub children: Vec<OutlineEntry>,
}
