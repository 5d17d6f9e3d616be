//! The book's fonts as krilla fonts: each read once, on first use, and kept across the
//! writer's retries. Also read by harfrust, for the glyph count and advances the text
//! drawing checks the layout's glyphs against.

use std::sync::Arc;

use krilla::text::Font;

use super::PdfError;
use crate::layout::page::FontData;

/// One krilla font per `FontData`, made on first use and reused (also across retries).
pub(super) struct Fonts<'a> {
    data: &'a [Arc<FontData>],
    loaded: Vec<Option<LoadedFont>>,
}

pub(super) struct LoadedFont {
    pub(super) font: Font,
    /// The same face read by harfrust (read-fonts), for its glyph count and advances.
    pub(super) face: harfrust::Font,
    pub(super) units_per_em: f32,
}

impl<'a> Fonts<'a> {
    pub(super) fn new(data: &'a [Arc<FontData>]) -> Self {
        Self {
            data,
            loaded: (0..data.len()).map(|_| None).collect(),
        }
    }

    /// Font `index` of the book, read now if it was not yet.
    pub(super) fn get(&mut self, index: usize) -> Result<&LoadedFont, PdfError> {
        let data = self.data.get(index).ok_or(PdfError::NoSuchFont {
            font: index,
            count: self.data.len(),
        })?;
        let unreadable = || PdfError::UnreadableFont {
            font: index,
            face: data.index,
        };
        let slot = &mut self.loaded[index];
        if slot.is_none() {
            let shared: Arc<dyn AsRef<[u8]> + Send + Sync> = data.bytes.clone();
            let face = harfrust::Font::new(shared, data.index).ok_or_else(unreadable)?;
            let units_per_em = f32::from(face.units_per_em().max(1));
            let font = Font::new(krilla::Data::from(data.bytes.clone()), data.index)
                .ok_or_else(unreadable)?;
            *slot = Some(LoadedFont {
                font,
                face,
                units_per_em,
            });
        }
        slot.as_ref().ok_or_else(unreadable)
    }

    /// The index of a font already loaded, to name it in krilla's errors.
    pub(super) fn index_of(&self, font: &Font) -> Option<usize> {
        self.loaded
            .iter()
            .position(|l| l.as_ref().is_some_and(|l| &l.font == font))
    }
}
