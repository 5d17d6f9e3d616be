//! Why the PDF could not be written: pages the layout got wrong (a size, a target, a glyph
//! that cannot be), a font that cannot be read or embedded, or a failure inside krilla.
//!
//! Page numbers in these errors are 1-based, as the reader counts them. Something the writer
//! can work around (an unreadable image, a clamped text range) is not an error: it is a
//! warning in the diagnostics.

use krilla::error::KrillaError;

/// Why the PDF could not be written.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PdfError {
    /// The layout produced no pages.
    #[error("the book has no pages to write")]
    NoPages,
    /// The trim size is not a positive size, or the bleed is negative (or either is not a
    /// number).
    #[error("invalid page size {width} × {height} pt with bleed {bleed} pt")]
    InvalidPageSize { width: f32, height: f32, bleed: f32 },
    /// The page with its bleed is larger than PDF viewers accept.
    #[error(
        "page size {width} × {height} pt with bleed {bleed} pt exceeds the PDF limit of {limit} pt"
    )]
    PageTooLarge {
        width: f32,
        height: f32,
        bleed: f32,
        limit: f32,
    },
    /// krilla refused the media box (trim size plus bleed).
    #[error("invalid page size {width} × {height} pt")]
    InvalidMediaBox { width: f32, height: f32 },
    /// A link points past the last page.
    #[error("a link on page {page} points to page {target}, but the book has {count} pages")]
    LinkPastEnd {
        page: usize,
        target: usize,
        count: usize,
    },
    /// A bookmark of the outline points past the last page.
    #[error("the bookmark “{title}” points to page {target}, but the book has {count} pages")]
    BookmarkPastEnd {
        title: String,
        target: usize,
        count: usize,
    },
    /// A text run names a font the book does not have (`font` is its index).
    #[error("a text run uses font {font}, but there are {count} fonts")]
    NoSuchFont { font: usize, count: usize },
    /// The font's bytes are not a font krilla or the shaper can read.
    #[error("font {font} (face {face}) cannot be read")]
    UnreadableFont { font: usize, face: u32 },
    /// A text run's size is not positive, or its size or position is not a number.
    #[error("page {page}: text run “{text}” has an invalid size {size} or position ({x}, {y})")]
    InvalidRun {
        page: usize,
        text: String,
        size: f32,
        x: f32,
        y: f32,
    },
    /// A glyph id past the end of its font.
    #[error(
        "page {page}: text run “{text}” uses glyph {glyph} but font {font} has {glyphs} glyphs"
    )]
    GlyphOutsideFont {
        page: usize,
        text: String,
        glyph: u16,
        font: usize,
        glyphs: u32,
    },
    /// A glyph's advance or offset is not a number.
    #[error("page {page}: text run “{text}” has a glyph with an invalid advance or offset")]
    InvalidGlyph { page: usize, text: String },
    /// krilla could not embed a font (subsetting failed); `font` is its index when known.
    #[error("cannot embed font{}: {message}", .font.map_or_else(String::new, |i| format!(" {i}")))]
    FontEmbedding {
        font: Option<usize>,
        message: String,
        #[source]
        source: KrillaError,
    },
    /// `--pdfa` was asked for and the book breaks rules of PDF/A-2b (krilla's validator).
    #[error("the book cannot be written as PDF/A-2b: {}", .reasons.join("; "))]
    NotPdfA { reasons: Vec<String> },
    /// Any other failure inside krilla.
    #[error("{0}")]
    Krilla(#[source] KrillaError),
}
