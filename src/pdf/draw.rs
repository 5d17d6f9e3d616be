//! Drawing one page's items, in the layout's order: text runs (glyph by glyph, as shaped,
//! checked against their font), rules, fills and images.
//!
//! Glyph offsets follow the shaper: `x_offset` to the right, `y_offset` upward. Whatever is
//! worked around on the page is reported as a warning naming it ("PDF page N: …").

use krilla::geom::{Point, Transform};
use krilla::surface::Surface;
use krilla::text::{GlyphId, KrillaGlyph};

use super::fonts::Fonts;
use super::images::Pictures;
use super::{PdfError, finite, shapes};
use crate::diag::Diagnostic;
use crate::layout::page::{Item, Page, TextRun};

/// What drawing one page needs: the page's index, the book's fonts and images, and where its
/// warnings go.
pub(super) struct PageContext<'p, 'f, 'a> {
    /// 0-based.
    pub(super) index: usize,
    pub(super) fonts: &'p mut Fonts<'f>,
    pub(super) pictures: &'p mut Pictures<'a>,
    pub(super) warnings: &'p mut Vec<Diagnostic>,
}

impl PageContext<'_, '_, '_> {
    pub(super) fn draw_page(&mut self, surface: &mut Surface, page: &Page) -> Result<(), PdfError> {
        for item in &page.items {
            match item {
                Item::Text(run) => self.draw_text(surface, run)?,
                Item::Sideways(run) => {
                    let turn = Transform::from_rotate_at(90.0, run.x, run.y);
                    surface.push_transform(&turn);
                    let drawn = self.draw_text(surface, run);
                    surface.pop();
                    drawn?;
                }
                Item::Image(image) => {
                    let (index, warnings) = (self.index, &mut *self.warnings);
                    self.pictures.draw(surface, image, |message| {
                        warnings.push(warning(index, message))
                    });
                }
                Item::Rule {
                    from,
                    to,
                    thickness,
                    gray,
                } => shapes::draw_rule(surface, *from, *to, *thickness, *gray),
                Item::Fill {
                    x,
                    y,
                    width,
                    height,
                    ink,
                } => shapes::draw_rect(surface, *x, *y, *width, *height, *ink),
            }
        }
        Ok(())
    }

    fn draw_text(&mut self, surface: &mut Surface, run: &TextRun) -> Result<(), PdfError> {
        if run.glyphs.is_empty() {
            return Ok(());
        }
        let page = self.index + 1;
        let size = run.size;
        if !(size.is_finite() && size > 0.0 && finite(&[run.x, run.y])) {
            return Err(PdfError::InvalidRun {
                page,
                text: run.text.clone(),
                size,
                x: run.x,
                y: run.y,
            });
        }
        let loaded = self.fonts.get(run.font)?;
        let glyph_count = loaded.face.num_glyphs();
        let metrics = loaded.face.glyph_metrics();
        let mut repaired = false;
        let mut glyphs = Vec::with_capacity(run.glyphs.len());
        for g in &run.glyphs {
            if u32::from(g.id) >= glyph_count {
                return Err(PdfError::GlyphOutsideFont {
                    page,
                    text: run.text.clone(),
                    glyph: g.id,
                    font: run.font,
                    glyphs: glyph_count,
                });
            }
            if !finite(&[g.x_advance, g.x_offset, g.y_offset]) {
                return Err(PdfError::InvalidGlyph {
                    page,
                    text: run.text.clone(),
                });
            }
            let range = text_range(&run.text, g.text.clone());
            repaired |= range != g.text;
            glyphs.push(KrillaGlyph {
                glyph_id: GlyphId::new(u32::from(g.id)),
                text_range: range,
                // krilla wants advances and offsets per unit of font size.
                x_advance: natural_advance(&metrics, loaded.units_per_em, g.id, g.x_advance / size),
                x_offset: g.x_offset / size,
                y_offset: g.y_offset / size,
                y_advance: 0.0,
                location: None,
            });
        }
        let font = loaded.font.clone();
        surface.set_stroke(None);
        surface.set_fill(Some(shapes::ink(run.ink)));
        surface.draw_glyphs(
            Point::from_xy(run.x, run.y),
            &glyphs,
            font,
            &run.text,
            size,
            false,
        );
        if repaired {
            self.warnings.push(warning(
                self.index,
                format!(
                    "text run “{}”: glyph text ranges outside the text were clamped",
                    run.text
                ),
            ));
        }
        Ok(())
    }
}

/// A warning about page `index` (0-based), worded as users see it: "PDF page 3: …".
fn warning(index: usize, message: String) -> Diagnostic {
    Diagnostic::warning(None, None, format!("PDF page {}: {message}", index + 1))
}

/// A glyph's advance (per unit of font size) snapped to the font's own advance when it
/// differs from it only by rounding (under 1/10 000 em): krilla then writes no position
/// adjustment for it, and a line of Han characters is one plain string instead of a number
/// between every two glyphs. The `n / upem` is computed exactly as krilla computes it.
fn natural_advance(
    metrics: &harfrust::font::metrics::GlyphMetrics,
    units_per_em: f32,
    id: u16,
    advance: f32,
) -> f32 {
    let natural = metrics.h_advance(harfrust::GlyphId::new(u32::from(id))) / units_per_em;
    if (natural - advance).abs() < 1e-4 {
        natural
    } else {
        advance
    }
}

/// A glyph's text range made valid for `text`: inside it and on character boundaries.
fn text_range(text: &str, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let floor = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let start = floor(range.start);
    let end = floor(range.end).max(start);
    start..end
}
