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
    /// Crop and registration marks outside the bleed.
    pub marks: bool,
    /// Where the sheet is folded (a cover's spine edges), from the trim's left edge: marked at
    /// the head and the foot when there are marks.
    pub folds: Vec<f32>,
    /// Written as PDF/A-2b, checked by krilla's validator.
    pub pdfa: bool,
    /// The finest resolution images are carried at, in pixels per inch at their printed size
    /// (0: as the files are).
    pub image_dpi: f32,
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
    /// A run turned a quarter turn clockwise about its origin, read from top to bottom (Latin
    /// words on a book's spine).
    Sideways(TextRun),
    Image(ImageBox),
    /// A straight line.
    Rule {
        from: (f32, f32),
        to: (f32, f32),
        thickness: f32,
        gray: f32,
    },
    /// A filled rectangle (code block background, note bar, a cover's colours).
    Fill {
        x: f32,
        y: f32,
        width: f32,
        height: f32,
        ink: Ink,
    },
}

impl Item {
    /// The item scaled by `factor` about the origin (a formula set smaller to fit).
    pub fn scaled(&self, factor: f32) -> Item {
        self.placed(factor, 0.0, 0.0)
    }

    /// The item moved `dx` right and `dy` down.
    pub fn shifted(&self, dx: f32, dy: f32) -> Item {
        self.placed(1.0, dx, dy)
    }

    /// Moves the item `dx` right and `dy` down, in place.
    pub fn shift(&mut self, dx: f32, dy: f32) {
        self.place(1.0, dx, dy);
    }

    /// The item scaled by `scale` about the origin, then moved by (`dx`, `dy`).
    fn placed(&self, scale: f32, dx: f32, dy: f32) -> Item {
        let mut item = self.clone();
        item.place(scale, dx, dy);
        item
    }

    /// Scales the item by `scale` about the origin, then moves it by (`dx`, `dy`).
    fn place(&mut self, scale: f32, dx: f32, dy: f32) {
        let at = |x: &mut f32, y: &mut f32| {
            *x = *x * scale + dx;
            *y = *y * scale + dy;
        };
        match self {
            Item::Text(run) | Item::Sideways(run) => {
                at(&mut run.x, &mut run.y);
                if scale != 1.0 {
                    run.size *= scale;
                    for g in &mut run.glyphs {
                        g.x_advance *= scale;
                        g.x_offset *= scale;
                        g.y_offset *= scale;
                    }
                }
            }
            Item::Image(image) => {
                at(&mut image.x, &mut image.y);
                image.width *= scale;
                image.height *= scale;
            }
            Item::Rule {
                from,
                to,
                thickness,
                ..
            } => {
                at(&mut from.0, &mut from.1);
                at(&mut to.0, &mut to.1);
                *thickness *= scale;
            }
            Item::Fill {
                x,
                y,
                width,
                height,
                ..
            } => {
                at(x, y);
                *width *= scale;
                *height *= scale;
            }
        }
    }
}

/// The colour text is printed in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Ink {
    /// 0 = black, 1 = white.
    Gray(f32),
    Rgb([u8; 3]),
}

impl Ink {
    pub const BLACK: Ink = Ink::Gray(0.0);
}

/// Glyphs of one font and size on one baseline.
#[derive(Debug, Clone)]
pub struct TextRun {
    pub font: usize,
    pub size: f32,
    /// Origin of the first glyph, on the baseline.
    pub x: f32,
    pub y: f32,
    pub ink: Ink,
    /// The text the glyphs set (for copy, search and screen readers).
    pub text: String,
    pub glyphs: Vec<Glyph>,
}

impl TextRun {
    /// Each glyph with the x of its origin on the page (offset included).
    pub fn placed_glyphs(&self) -> impl Iterator<Item = (f32, &Glyph)> {
        let mut pen = self.x;
        self.glyphs.iter().map(move |glyph| {
            let origin = pen + glyph.x_offset;
            pen += glyph.x_advance;
            (origin, glyph)
        })
    }
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

/// A glyph's box on the page: its advance wide, from ascender to descender.
#[derive(Debug, Clone, Copy)]
struct InkBox {
    x0: f32,
    x1: f32,
    y0: f32,
    y1: f32,
}

/// How far two glyph boxes may run into each other before they count as overprinting, in
/// points (rounding of advances).
const OVERPRINT_TOLERANCE: f32 = 0.2;

/// A box of a glyph's ink in em, from its origin: left, right, bottom and top (y up, as
/// fonts measure it). A glyph's ink is the union of a few such boxes, band by band from its
/// bottom to its top, so an italic letter's overhang or a radical's rising stroke is not
/// taken for a solid rectangle.
pub type GlyphBounds = (f32, f32, f32, f32);

impl Page {
    /// Every pair of glyphs on the page whose ink overlaps, described by their text: no two
    /// may. `ink` gives the boxes of a glyph's ink (font index, glyph id), none for a glyph
    /// that draws nothing.
    pub fn overprints(&self, ink: &dyn Fn(usize, u16) -> Vec<GlyphBounds>) -> Vec<String> {
        // Each box with its run and place in the run: neighbours in a run were placed by the
        // shaper (kerning; a slash's box reaches over the next), so only others are compared.
        let mut boxes: Vec<(InkBox, &str, usize, usize)> = Vec::new();
        for (r, item) in self.items.iter().enumerate() {
            let Item::Text(run) = item else { continue };
            for (g, (origin, glyph)) in run.placed_glyphs().enumerate() {
                let baseline = run.y - glyph.y_offset;
                let text = run.text.get(glyph.text.clone()).unwrap_or("");
                if text.trim().is_empty() {
                    continue;
                }
                for (left, right, bottom, top) in ink(run.font, glyph.id) {
                    let ink = InkBox {
                        x0: origin + left * run.size,
                        x1: origin + right * run.size,
                        y0: baseline - top * run.size,
                        y1: baseline - bottom * run.size,
                    };
                    boxes.push((ink, text, r, g));
                }
            }
        }
        let same_character = |run: usize, a: usize, b: usize| match &self.items[run] {
            Item::Text(run) => run.glyphs[a].text == run.glyphs[b].text,
            _ => false,
        };
        boxes.sort_by(|a, b| a.0.x0.total_cmp(&b.0.x0));
        let mut found = Vec::new();
        // Glyphs already reported, as (run, place) pairs: one message for each pair.
        let mut reported = std::collections::HashSet::new();
        for (i, &(a, text_a, run_a, at_a)) in boxes.iter().enumerate() {
            for &(b, text_b, run_b, at_b) in &boxes[i + 1..] {
                if b.x0 >= a.x1 - OVERPRINT_TOLERANCE {
                    break;
                }
                // Pieces of one grown glyph (a tall delimiter's assembly) share their text and
                // overlap where they join, by the font's design.
                if run_a == run_b && (at_a.abs_diff(at_b) <= 1 || same_character(run_a, at_a, at_b))
                {
                    continue;
                }
                let y_overlap = a.y1.min(b.y1) - a.y0.max(b.y0);
                let pair = (
                    (run_a, at_a).min((run_b, at_b)),
                    (run_a, at_a).max((run_b, at_b)),
                );
                if y_overlap > OVERPRINT_TOLERANCE && reported.insert(pair) {
                    found.push(format!(
                        "“{text_a}” at ({:.1}, {:.1}) and “{text_b}” at ({:.1}, {:.1})",
                        a.x0, a.y1, b.x0, b.y1
                    ));
                }
            }
        }
        found
    }
}
