//! How the PDF is set: the page profile (trim size, margins and the text grid) and the
//! punctuation style.
//!
//! The measure is a whole number of body ems, so a line of Han characters fills it exactly
//! and justification only absorbs punctuation compression and Latin runs (clreq §3.1).

/// How punctuation is set (`[typography] punctuation` in book.toml, in kebab case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PunctuationStyle {
    /// Full-width marks; where two meet, the blank half of one is removed; a line-end or
    /// line-start mark is set half width only when the line needs it.
    #[default]
    Compressed,
    /// 开明式: sentence-ending stops (。！？) full width, every other mark half width.
    Kaiming,
    /// Like `Compressed`, and every mark at a line end is set half width.
    LineEndHalf,
}

/// Points per millimetre.
pub const MM: f32 = 72.0 / 25.4;

/// The geometry of a page and its text grid, in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageProfile {
    pub width: f32,
    pub height: f32,
    pub bleed: f32,
    /// Body text size.
    pub font_size: f32,
    /// Distance from one baseline to the next in body text.
    pub line_pitch: f32,
    /// Characters per line and lines per page of body text.
    pub chars_per_line: u32,
    pub lines_per_page: u32,
    /// Top of the text block, from the top of the page.
    pub top: f32,
    /// Margin on the spine side.
    pub inner: f32,
    /// The finest resolution the PDF carries images at, in pixels per inch at their printed
    /// size: 300 for print, 200 for screens (0: the files as they are).
    pub image_dpi: f32,
    /// Facing pages (print): parts and chapters open on right-hand pages, with blank backs
    /// where needed. A screen profile has none, and no blank pages.
    pub facing: bool,
    /// The page count is padded with blank pages at the end to a multiple of this (4 for
    /// saddle stitching, 16 or 32 for signatures; 0 or 1: no padding).
    pub pages_multiple: u32,
    /// How much the inner margin grows for every hundred pages above `gutter_from`, so that
    /// a thick book does not swallow its text in the binding (0 for screens).
    pub gutter_per_100_pages: f32,
    pub gutter_from: u32,
    /// The most the inner margin grows (a book thicker than that wants two volumes).
    pub gutter_max: f32,
    /// Crop and registration marks outside the bleed, for a printer who trims the sheets
    /// (print-on-demand services refuse them, so they are off unless asked for).
    pub marks: bool,
    pub running_head: RunningHead,
    /// Written as PDF/A-2b (archives, libraries, some printers), checked as it is written.
    pub pdfa: bool,
}

/// Where the running head and the folio of a page stand (`running_head` in a profile).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RunningHead {
    /// Both centred over and under the text block, the head above a thin rule.
    #[default]
    Centred,
    /// Both at the outer edge of the text block (right on a right-hand page), no rule.
    Outer,
    /// Neither head nor rule; the folio centred below the block.
    None,
}

impl PageProfile {
    /// 32开, 130 × 184 mm, 10.5 pt on a 1.7 em pitch, 27 characters × 24 lines: the common
    /// trim size of Chinese trade paperbacks, and the default (`styles/profiles/32k.toml`).
    pub fn kai32() -> Self {
        let fields = super::profiles::built_in(super::profiles::DEFAULT);
        // The built-in profiles are checked by the tests of `profiles`.
        super::profiles::page(&fields.unwrap_or_default())
            .unwrap_or_else(|e| panic!("the default page profile: {e}"))
    }

    /// The profile for a book of `pages` pages: the inner margin grown by the gutter for its
    /// thickness, as far as the outer margin can give and keep 5 mm.
    pub fn bound(&self, pages: usize) -> PageProfile {
        let hundreds = pages.saturating_sub(self.gutter_from as usize) as f32 / 100.0;
        let outer = self.width - self.measure() - self.inner;
        let grown = (self.gutter_per_100_pages * hundreds)
            .min(self.gutter_max)
            .min((outer - 5.0 * MM).max(0.0));
        PageProfile {
            inner: self.inner + grown,
            ..*self
        }
    }

    pub fn measure(&self) -> f32 {
        self.font_size * self.chars_per_line as f32
    }

    pub fn block_height(&self) -> f32 {
        self.line_pitch * self.lines_per_page as f32
    }

    /// Left edge of the text block: the inner margin is on the left of a right-hand (odd)
    /// page and on the right of a left-hand page.
    pub fn block_left(&self, is_recto: bool) -> f32 {
        if is_recto {
            self.inner
        } else {
            self.width - self.inner - self.measure()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thick_books_get_a_wider_inner_margin_as_far_as_the_outer_one_allows() {
        let p = PageProfile::kai32();
        assert_eq!(p.bound(150).inner, p.inner);
        assert_eq!(p.bound(40).inner, p.inner);
        // 350 pages: two hundred above 150, 2 mm each.
        assert!((p.bound(350).inner - p.inner - 4.0 * MM).abs() < 1e-3);
        // The text moves; its measure does not.
        assert_eq!(p.bound(350).measure(), p.measure());
        // However thick, the growth stops at the profile's most (6 mm), and 5 mm stay on the
        // outside.
        assert!((p.bound(100_000).inner - p.inner - 6.0 * MM).abs() < 1e-3);
        let unbounded = PageProfile {
            gutter_max: f32::INFINITY,
            ..p
        };
        let thick = unbounded.bound(100_000);
        assert!((p.width - thick.measure() - thick.inner - 5.0 * MM).abs() < 1e-3);
    }

    #[test]
    fn the_default_block_fits_the_page() {
        let p = PageProfile::kai32();
        assert!((p.measure() - 283.5).abs() < 1e-3);
        assert!(p.block_left(true) + p.measure() < p.width);
        assert!(p.block_left(false) > 0.0);
        assert!(
            p.top + p.block_height() < p.height - 10.0 * MM,
            "room for the folio"
        );
    }
}
