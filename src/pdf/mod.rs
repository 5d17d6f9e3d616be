//! The PDF writer: laid-out pages in, a print-ready PDF out.
//!
//! Built on krilla (Typst's PDF back end): fonts are embedded as CID-keyed subsets with a
//! ToUnicode map (copy, search and screen readers get the real text), links become link
//! annotations, the outline nested bookmarks, folios page labels. With bleed, the media box
//! is the trim size plus the bleed on every side, with TrimBox and BleedBox set; with marks,
//! it grows again to hold them (`marks`).
//!
//! Same pages in, same bytes out: krilla derives the file IDs from the content, and the only
//! date written is the book's own (`DocumentMeta::date`), never the clock.
//!
//! Writing a PDF, as [`write`] does it:
//! 1. check the page size and that every link and bookmark names a page (`navigation`);
//! 2. for each page: its boxes and label, then its items drawn in order (`draw`: text with
//!    the book's `fonts`, rules and fills as `shapes`, pictures from `images`), then its
//!    links (`navigation`);
//! 3. the metadata and the outline (`navigation`);
//! 4. krilla finishes the document. An image it cannot read turns up only here: the book is
//!    written again with a light gray box in its place (`images`), never failing the book.
//!
//! What had to be worked around (an unreadable image, a clamped glyph range) is reported to
//! the diagnostics as a warning naming the page; what cannot be is a [`PdfError`].

mod draw;
mod error;
mod fonts;
mod images;
mod labels;
mod marks;
mod navigation;
mod shapes;
mod svg;

use std::collections::HashMap;

use krilla::configure::{Archival, Configuration, ConfigurationBuilder};
use krilla::error::KrillaError;
use krilla::geom::{Rect, Transform};
use krilla::page::PageSettings;
use krilla::{Document, SerializeSettings};

use crate::diag::{Diagnostic, Diagnostics};
use crate::images::Saving;
use crate::layout::page::Pages;
use draw::PageContext;
use fonts::Fonts;
use images::{ImageTable, Pictures};

pub use error::PdfError;

/// Largest page side PDF viewers accept (Acrobat: 200 in).
const MAX_PAGE_SIDE: f32 = 14_400.0;

/// A written PDF.
pub struct Written {
    pub bytes: Vec<u8>,
    /// What scaling its images to the pages' resolution saved, in pixels.
    pub images: Saving,
}

/// Writes the laid-out book as PDF bytes; what had to be worked around on the way (images
/// that could not be read, glyph text ranges that were out of bounds) goes to `diags` as
/// warnings.
pub fn write(pages: &Pages, diags: &Diagnostics) -> Result<Written, PdfError> {
    check_geometry(pages)?;
    navigation::check_targets(pages)?;
    let mut fonts = Fonts::new(&pages.fonts);
    let images = ImageTable::new(pages);
    // Images are decoded when they are first drawn, but krilla reports a decoding failure
    // only when the document is finished. Each such failure marks the image as unreadable
    // and the book is written again with a placeholder for it: no retry in the usual case,
    // one per bad image otherwise. Only the last writing's warnings are reported.
    let mut unreadable: HashMap<usize, String> = HashMap::new();
    loop {
        let mut warnings = Vec::new();
        let document = build(pages, &mut fonts, &images, &unreadable, &mut warnings, true)?;
        match document.finish() {
            Ok(bytes) => {
                for warning in warnings {
                    diags.push(warning);
                }
                return Ok(Written {
                    bytes,
                    images: images.saving,
                });
            }
            Err(KrillaError::Image(_, Some(location), message))
                if images
                    .get(location)
                    .is_some_and(|i| !unreadable.contains_key(&i)) =>
            {
                // `get` just succeeded on this location.
                if let Some(index) = images.get(location) {
                    for same in images.same_bytes(index) {
                        unreadable.insert(same, message.clone());
                    }
                }
            }
            Err(e) => return Err(krilla_error(e, &fonts)),
        }
    }
}

/// krilla's error, naming the font it could not embed.
fn krilla_error(e: KrillaError, fonts: &Fonts) -> PdfError {
    match &e {
        KrillaError::Font(font, message) => PdfError::FontEmbedding {
            font: fonts.index_of(font),
            message: message.clone(),
            source: e,
        },
        KrillaError::Validation(errors) => {
            let mut reasons: Vec<String> = errors.iter().map(|(e, _)| format!("{e:?}")).collect();
            reasons.dedup();
            PdfError::NotPdfA { reasons }
        }
        _ => PdfError::Krilla(e),
    }
}

/// Whether every value is a number (not infinite, not NaN).
fn finite(values: &[f32]) -> bool {
    values.iter().all(|v| v.is_finite())
}

fn check_geometry(pages: &Pages) -> Result<(), PdfError> {
    if pages.pages.is_empty() {
        return Err(PdfError::NoPages);
    }
    let (width, height, bleed) = (pages.width, pages.height, pages.bleed);
    if !finite(&[width, height, bleed]) || width <= 0.0 || height <= 0.0 || bleed < 0.0 {
        return Err(PdfError::InvalidPageSize {
            width,
            height,
            bleed,
        });
    }
    if width + 2.0 * bleed > MAX_PAGE_SIDE || height + 2.0 * bleed > MAX_PAGE_SIDE {
        return Err(PdfError::PageTooLarge {
            width,
            height,
            bleed,
            limit: MAX_PAGE_SIDE,
        });
    }
    Ok(())
}

/// The whole book as a krilla document, not yet finished; `unreadable` images are drawn as
/// gray boxes.
fn build(
    pages: &Pages,
    fonts: &mut Fonts,
    images: &ImageTable,
    unreadable: &HashMap<usize, String>,
    warnings: &mut Vec<Diagnostic>,
    compress: bool,
) -> Result<Document, PdfError> {
    let configuration = if pages.pdfa {
        ConfigurationBuilder::new()
            .with_archival_validator(Archival::A2_B)
            .finish()
            .unwrap_or_default()
    } else {
        Configuration::default()
    };
    let settings = SerializeSettings {
        // Nothing is tagged yet: no half-tagged structure, no /Tabs entries.
        enable_tagging: false,
        compress_content_streams: compress,
        configuration,
        ..SerializeSettings::default()
    };
    let mut document = Document::new_with(settings);
    let bleed = pages.bleed;
    // From the media box's corner to the trim's.
    let origin = if pages.marks {
        marks::margin(bleed)
    } else {
        bleed
    };
    let media_w = pages.width + 2.0 * origin;
    let media_h = pages.height + 2.0 * origin;
    let trim = Rect::from_xywh(origin, origin, pages.width, pages.height);
    let bleed_box = Rect::from_xywh(
        origin - bleed,
        origin - bleed,
        pages.width + 2.0 * bleed,
        pages.height + 2.0 * bleed,
    );
    let labels = navigation::page_labels(&pages.pages);
    let mut pictures = Pictures::new(images, unreadable, &pages.fonts);

    for ((index, page), label) in pages.pages.iter().enumerate().zip(labels) {
        let settings = PageSettings::from_wh(media_w, media_h)
            .ok_or(PdfError::InvalidMediaBox {
                width: media_w,
                height: media_h,
            })?
            .with_trim_box(trim)
            .with_bleed_box(if bleed > 0.0 { bleed_box } else { None })
            .with_page_label(label);
        let mut pdf_page = document.start_page_with(settings);
        let mut surface = pdf_page.surface();
        if pages.marks {
            marks::draw(&mut surface, origin, pages, bleed);
        }
        if origin > 0.0 {
            surface.push_transform(&Transform::from_translate(origin, origin));
        }
        let mut ctx = PageContext {
            index,
            fonts,
            pictures: &mut pictures,
            warnings,
        };
        let drawn = ctx.draw_page(&mut surface, page);
        if origin > 0.0 {
            surface.pop();
        }
        surface.finish();
        drawn?;
        for link in &page.links {
            if let Some(annotation) = navigation::link_annotation(link, origin) {
                pdf_page.add_annotation(annotation.into());
            }
        }
        pdf_page.finish();
    }

    document.set_metadata(navigation::metadata(&pages.meta));
    if let Some(outline) = navigation::outline(&pages.outline, origin) {
        document.set_outline(outline);
    }
    Ok(document)
}

#[cfg(test)]
mod tests;
