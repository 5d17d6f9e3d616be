//! A loaded font face: its character map, vertical metrics, and shaping with HarfBuzz's rules
//! (harfrust), in em units so callers scale by their own font size.

use std::ops::Range;
use std::sync::Arc;

use harfrust::{Buffer, Direction, Feature, Font, Language, ShapeOptions, ShaperFont, Tag};

/// One shaped glyph, in em units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShapedGlyph {
    pub id: u16,
    pub advance: f32,
    pub x_offset: f32,
    pub y_offset: f32,
    /// Byte offset in the shaped text where this glyph's cluster starts.
    pub cluster: u32,
}

/// A font ready for shaping.
pub struct Face {
    pub bytes: Arc<Vec<u8>>,
    pub index: u32,
    font: Font,
    units_per_em: f32,
    /// Height above and depth below the baseline, in em (depth positive).
    pub ascent: f32,
    pub descent: f32,
    /// The hyphen's glyph and advance, shaped once when first asked for.
    hyphen: std::sync::OnceLock<Option<(u16, f32)>>,
}

impl std::fmt::Debug for Face {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Face")
            .field("index", &self.index)
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

impl Face {
    /// Reads a face; `None` if the bytes hold no font harfrust can use.
    pub fn new(bytes: Arc<Vec<u8>>, index: u32) -> Option<Face> {
        let font = Font::new(bytes.as_slice().to_vec(), index)?;
        let metrics = font.metrics();
        let units_per_em = f32::from(metrics.units_per_em.max(1));
        let line = metrics.typo_line.or(metrics.hhea_line);
        let (ascent, descent) = match line {
            Some(l) => (
                l.ascender.to_f32() / units_per_em,
                -l.descender.to_f32() / units_per_em,
            ),
            None => (0.88, 0.12),
        };
        Some(Face {
            bytes,
            index,
            font,
            units_per_em,
            ascent,
            descent,
            hyphen: std::sync::OnceLock::new(),
        })
    }

    /// The glyph a word broken at a line's end takes, with its advance in em.
    pub fn hyphen(&self) -> Option<(u16, f32)> {
        *self.hyphen.get_or_init(|| {
            let glyph = self.shape("-", "en", &[]).into_iter().next()?;
            (glyph.id != 0).then_some((glyph.id, glyph.advance))
        })
    }

    /// Whether the face has a glyph for `c`.
    pub fn has_char(&self, c: char) -> bool {
        self.font.charmap().map_unicode(c).is_some()
    }

    /// Shapes `text` left to right in the given language (for `locl` forms), with each
    /// feature set to its value over its byte range (e.g. `fwid` 1 on a dash, so `——` is two
    /// ems; `calt` 0 in code, so `->` stays two characters).
    pub fn shape(
        &self,
        text: &str,
        language: &str,
        features: &[([u8; 4], u32, Range<usize>)],
    ) -> Vec<ShapedGlyph> {
        let shaper = ShaperFont::new(&self.font);
        let mut buffer = Buffer::new();
        buffer.push_str(text);
        buffer.set_direction(Direction::LeftToRight);
        buffer.set_language(language.parse::<Language>().ok());
        buffer.guess_segment_properties();
        let features: Vec<Feature> = features
            .iter()
            .map(|(tag, value, range)| Feature::new(Tag::new(tag), *value, range.clone()))
            .collect();
        let options = ShapeOptions::new().features(&features);
        if harfrust::shape(&shaper, &mut buffer, options).is_err() {
            return Vec::new();
        }
        let scale = 1.0 / self.units_per_em;
        buffer
            .glyph_infos()
            .iter()
            .zip(buffer.glyph_positions())
            .map(|(info, pos)| ShapedGlyph {
                id: u16::try_from(info.glyph_id).unwrap_or(0),
                advance: pos.x_advance as f32 * scale,
                x_offset: pos.x_offset as f32 * scale,
                y_offset: pos.y_offset as f32 * scale,
                cluster: info.cluster,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body() -> Face {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fonts/NotoSerifSC-Regular.ttf");
        let bytes = std::fs::read(path).unwrap_or_default();
        Face::new(Arc::new(bytes), 0).unwrap_or_else(|| panic!("body font missing"))
    }

    #[test]
    fn han_and_chinese_quotes_are_one_em() {
        let face = body();
        let glyphs = face.shape("中“文”。", "zh-CN", &[]);
        assert_eq!(glyphs.len(), 5);
        for g in &glyphs {
            assert!((g.advance - 1.0).abs() < 1e-3, "{g:?}");
        }
        assert_eq!(
            glyphs.iter().map(|g| g.cluster).collect::<Vec<_>>(),
            [0, 3, 6, 9, 12]
        );
    }

    #[test]
    fn latin_is_proportional_and_charmap_answers() {
        let face = body();
        let glyphs = face.shape("il", "zh-CN", &[]);
        let dash = face.shape("——", "zh-CN", &[(*b"fwid", 1, 0..6)]);
        assert_eq!(dash.len(), 1, "the two dashes join into one glyph");
        assert!(
            (dash[0].advance - 2.0).abs() < 1e-3,
            "—— is two ems: {dash:?}"
        );
        assert!(glyphs.iter().all(|g| g.advance < 0.5));
        assert!(face.has_char('中'));
        assert!(!face.has_char('\u{1F600}'));
        assert!(face.ascent > 0.5 && face.descent > 0.0);
    }
}
