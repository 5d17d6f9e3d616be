//! The PDF writer: laid-out pages in, a print-ready PDF out.
//!
//! Built on krilla (Typst's PDF back end): fonts are embedded as CID-keyed subsets with a
//! ToUnicode map (copy, search and screen readers get the real text), links become link
//! annotations, the outline nested bookmarks, folios page labels. With bleed, the media box
//! is the trim size plus the bleed on every side, with TrimBox and BleedBox set.
//!
//! Same pages in, same bytes out: krilla derives the file IDs from the content, and the only
//! date written is the book's own (`DocumentMeta::date`), never the clock.
//!
//! An image krilla cannot read becomes a light gray box in its place and a [`Warning`]; it
//! never fails the book. SVG figures are drawn as vectors (`svg`). JPEG photos are turned
//! upright by their EXIF orientation, as browsers show them (the layout's box is the upright
//! size).
//!
//! Glyph offsets follow the shaper: `x_offset` to the right, `y_offset` upward.

mod labels;
mod svg;

use std::cell::OnceCell;
use std::collections::HashMap;
use std::fmt;
use std::num::{NonZeroU32, NonZeroU64};
use std::sync::Arc;

use krilla::action::LinkAction;
use krilla::annotation::{LinkAnnotation, Target};
use krilla::color::luma;
use krilla::destination::XyzDestination;
use krilla::error::KrillaError;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::image::Image;
use krilla::metadata::{DateTime, Metadata};
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::{NumberingStyle, PageLabel as KrillaLabel, PageSettings};
use krilla::paint::{Fill, FillRule, LineCap, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::{Document, SerializeSettings};
use krilla_svg::{SurfaceExt, SvgSettings};

use crate::images::format as image_format;
use crate::layout::page::{
    DocumentMeta, FontData, ImageBox, Item, LinkTarget, OutlineEntry, Page, Pages, TextRun,
};

/// Why the PDF could not be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfError(pub String);

impl fmt::Display for PdfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PdfError {}

/// Something the writer had to work around; the PDF was still written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// Page index (0-based) where it happened.
    pub page: usize,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PDF page {}: {}", self.page + 1, self.message)
    }
}

/// A written PDF and what had to be worked around on the way.
#[derive(Debug, Clone)]
pub struct Written {
    pub bytes: Vec<u8>,
    pub warnings: Vec<Warning>,
}

/// Gray of the box drawn in place of an image that cannot be read.
const PLACEHOLDER_GRAY: f32 = 0.85;

/// Largest page side PDF viewers accept (Acrobat: 200 in).
const MAX_PAGE_SIDE: f32 = 14_400.0;

/// Writes the laid-out book as PDF bytes.
pub fn write(pages: &Pages) -> Result<Vec<u8>, PdfError> {
    write_with_warnings(pages).map(|w| w.bytes)
}

/// Like [`write`], and also tells what had to be worked around (images that could not be
/// read, glyph text ranges that were out of bounds).
pub fn write_with_warnings(pages: &Pages) -> Result<Written, PdfError> {
    check_geometry(pages)?;
    check_targets(pages)?;
    let mut fonts = Fonts::new(&pages.fonts);
    let images = ImageTable::new(pages);
    // Images are decoded when they are first drawn, but krilla reports a decoding failure
    // only when the document is finished. Each such failure marks the image as unreadable
    // and the book is written again with a placeholder for it: no retry in the usual case,
    // one per bad image otherwise.
    let mut unreadable: HashMap<usize, String> = HashMap::new();
    loop {
        let mut warnings = Vec::new();
        let document = build(pages, &mut fonts, &images, &unreadable, &mut warnings, true)?;
        match document.finish() {
            Ok(bytes) => {
                return Ok(Written { bytes, warnings });
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

fn krilla_error(e: KrillaError, fonts: &Fonts) -> PdfError {
    match &e {
        KrillaError::Font(font, message) => {
            let which = fonts
                .index_of(font)
                .map_or_else(String::new, |i| format!(" {i}"));
            PdfError(format!("cannot embed font{which}: {message}"))
        }
        _ => PdfError(e.to_string()),
    }
}

fn finite(values: &[f32]) -> bool {
    values.iter().all(|v| v.is_finite())
}

fn check_geometry(pages: &Pages) -> Result<(), PdfError> {
    if pages.pages.is_empty() {
        return Err(PdfError("the book has no pages to write".into()));
    }
    let (w, h, b) = (pages.width, pages.height, pages.bleed);
    if !finite(&[w, h, b]) || w <= 0.0 || h <= 0.0 || b < 0.0 {
        return Err(PdfError(format!(
            "invalid page size {w} × {h} pt with bleed {b} pt"
        )));
    }
    if w + 2.0 * b > MAX_PAGE_SIDE || h + 2.0 * b > MAX_PAGE_SIDE {
        return Err(PdfError(format!(
            "page size {w} × {h} pt with bleed {b} pt exceeds the PDF limit of {MAX_PAGE_SIDE} pt"
        )));
    }
    Ok(())
}

/// Link and outline targets must name existing pages (krilla panics otherwise).
fn check_targets(pages: &Pages) -> Result<(), PdfError> {
    let count = pages.pages.len();
    for (index, page) in pages.pages.iter().enumerate() {
        for link in &page.links {
            if let LinkTarget::Page { page: target, .. } = link.target
                && target >= count
            {
                return Err(PdfError(format!(
                    "a link on page {} points to page {}, but the book has {count} pages",
                    index + 1,
                    target + 1
                )));
            }
        }
    }
    fn walk(entries: &[OutlineEntry], count: usize) -> Result<(), PdfError> {
        for entry in entries {
            if entry.page >= count {
                return Err(PdfError(format!(
                    "the bookmark “{}” points to page {}, but the book has {count} pages",
                    entry.title,
                    entry.page + 1
                )));
            }
            walk(&entry.children, count)?;
        }
        Ok(())
    }
    walk(&pages.outline, count)
}

/// One krilla font per `FontData`, made on first use and reused (also across retries).
struct Fonts<'a> {
    data: &'a [Arc<FontData>],
    loaded: Vec<Option<LoadedFont>>,
}

struct LoadedFont {
    font: Font,
    /// The same face read by harfrust (read-fonts), for its glyph count and advances.
    face: harfrust::Font,
    units_per_em: f32,
}

impl<'a> Fonts<'a> {
    fn new(data: &'a [Arc<FontData>]) -> Self {
        Self {
            data,
            loaded: (0..data.len()).map(|_| None).collect(),
        }
    }

    fn get(&mut self, index: usize) -> Result<&LoadedFont, PdfError> {
        let data = self.data.get(index).ok_or_else(|| {
            PdfError(format!(
                "a text run uses font {index}, but there are {} fonts",
                self.data.len()
            ))
        })?;
        let unreadable = || PdfError(format!("font {index} (face {}) cannot be read", data.index));
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

    fn index_of(&self, font: &Font) -> Option<usize> {
        self.loaded
            .iter()
            .position(|l| l.as_ref().is_some_and(|l| &l.font == font))
    }
}

/// The distinct image files of the book (by their `Arc`), numbered for krilla's error
/// locations.
struct ImageTable<'a> {
    data: Vec<&'a Arc<Vec<u8>>>,
    index: HashMap<*const Vec<u8>, usize>,
}

impl<'a> ImageTable<'a> {
    fn new(pages: &'a Pages) -> Self {
        let mut data = Vec::new();
        let mut index = HashMap::new();
        for page in &pages.pages {
            for item in &page.items {
                if let Item::Image(image) = item {
                    index.entry(Arc::as_ptr(&image.data)).or_insert_with(|| {
                        data.push(&image.data);
                        data.len() - 1
                    });
                }
            }
        }
        Self { data, index }
    }

    fn index_of(&self, data: &Arc<Vec<u8>>) -> Option<usize> {
        self.index.get(&Arc::as_ptr(data)).copied()
    }

    /// The image that was drawn with this krilla location.
    fn get(&self, location: NonZeroU64) -> Option<usize> {
        let i = usize::try_from(location.get() - 1).ok()?;
        (i < self.data.len()).then_some(i)
    }

    fn location(index: usize) -> Option<NonZeroU64> {
        NonZeroU64::new(u64::try_from(index).ok()?.checked_add(1)?)
    }

    /// All images with the same bytes as this one (krilla treats them as one image).
    fn same_bytes(&self, index: usize) -> Vec<usize> {
        let bytes = self.data[index];
        (0..self.data.len())
            .filter(|&i| self.data[i].as_slice() == bytes.as_slice())
            .collect()
    }
}

fn build(
    pages: &Pages,
    fonts: &mut Fonts,
    images: &ImageTable,
    unreadable: &HashMap<usize, String>,
    warnings: &mut Vec<Warning>,
    compress: bool,
) -> Result<Document, PdfError> {
    let settings = SerializeSettings {
        // Nothing is tagged yet: no half-tagged structure, no /Tabs entries.
        enable_tagging: false,
        compress_content_streams: compress,
        ..SerializeSettings::default()
    };
    let mut document = Document::new_with(settings);
    let bleed = pages.bleed;
    let media_w = pages.width + 2.0 * bleed;
    let media_h = pages.height + 2.0 * bleed;
    let trim = Rect::from_xywh(bleed, bleed, pages.width, pages.height);
    let media = Rect::from_xywh(0.0, 0.0, media_w, media_h);
    let labels = labels::resolve(
        &pages
            .pages
            .iter()
            .map(|p| p.label.clone())
            .collect::<Vec<_>>(),
    );
    // Decoded images, by table index (decoding is the slow part; the same file drawn twice
    // is decoded once).
    let mut decoded: HashMap<usize, Option<Picture>> = HashMap::new();
    let svg_options = OnceCell::new();

    for (index, page) in pages.pages.iter().enumerate() {
        let settings = PageSettings::from_wh(media_w, media_h)
            .ok_or_else(|| PdfError(format!("invalid page size {media_w} × {media_h} pt")))?
            .with_trim_box(trim)
            .with_bleed_box(if bleed > 0.0 { media } else { None })
            .with_page_label(krilla_label(labels.get(index).copied().flatten()));
        let mut pdf_page = document.start_page_with(settings);
        let mut surface = pdf_page.surface();
        if bleed > 0.0 {
            surface.push_transform(&Transform::from_translate(bleed, bleed));
        }
        let mut ctx = PageContext {
            index,
            fonts,
            images,
            unreadable,
            decoded: &mut decoded,
            svg_options: &svg_options,
            font_data: &pages.fonts,
            warnings,
        };
        let drawn = ctx.draw_page(&mut surface, page);
        if bleed > 0.0 {
            surface.pop();
        }
        surface.finish();
        drawn?;
        for link in &page.links {
            if let Some(annotation) = link_annotation(link, bleed) {
                pdf_page.add_annotation(annotation.into());
            }
        }
        pdf_page.finish();
    }

    document.set_metadata(metadata(&pages.meta));
    if !pages.outline.is_empty() {
        let mut outline = Outline::new();
        for entry in &pages.outline {
            outline.push_child(outline_node(entry, bleed, true));
        }
        document.set_outline(outline);
    }
    Ok(document)
}

fn krilla_label(folio: Option<labels::Folio>) -> KrillaLabel {
    match folio {
        Some(labels::Folio::Roman(n)) => {
            KrillaLabel::new(Some(NumberingStyle::LowerRoman), None, NonZeroU32::new(n))
        }
        Some(labels::Folio::Arabic(n)) => {
            KrillaLabel::new(Some(NumberingStyle::Arabic), None, NonZeroU32::new(n))
        }
        None => KrillaLabel::default(),
    }
}

fn gray_paint(gray: f32) -> luma::Color {
    let g = if gray.is_finite() {
        gray.clamp(0.0, 1.0)
    } else {
        0.0
    };
    // Exact after rounding: 0..=255.
    luma::Color::new((g * 255.0).round() as u8)
}

fn fill(gray: f32) -> Fill {
    Fill {
        paint: gray_paint(gray).into(),
        opacity: NormalizedF32::ONE,
        rule: FillRule::NonZero,
    }
}

struct PageContext<'p, 'f, 'a> {
    index: usize,
    fonts: &'p mut Fonts<'f>,
    images: &'p ImageTable<'a>,
    unreadable: &'p HashMap<usize, String>,
    decoded: &'p mut HashMap<usize, Option<Picture>>,
    /// Made when the book's first SVG is drawn.
    svg_options: &'p OnceCell<svg::SvgOptions>,
    font_data: &'a [Arc<FontData>],
    warnings: &'p mut Vec<Warning>,
}

/// An image ready to draw.
#[derive(Clone)]
enum Picture {
    /// Pixels, with the EXIF orientation (1 = as stored).
    Raster(Image, u8),
    Vector(Arc<usvg::Tree>),
}

impl PageContext<'_, '_, '_> {
    fn warn(&mut self, message: String) {
        self.warnings.push(Warning {
            page: self.index,
            message,
        });
    }

    fn draw_page(&mut self, surface: &mut Surface, page: &Page) -> Result<(), PdfError> {
        for item in &page.items {
            match item {
                Item::Text(run) => self.draw_text(surface, run)?,
                Item::Image(image) => self.draw_image(surface, image),
                Item::Rule {
                    from,
                    to,
                    thickness,
                    gray,
                } => draw_rule(surface, *from, *to, *thickness, *gray),
                Item::Fill {
                    x,
                    y,
                    width,
                    height,
                    gray,
                } => draw_rect(surface, *x, *y, *width, *height, *gray),
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
            return Err(PdfError(format!(
                "page {page}: text run “{}” has an invalid size {size} or position ({}, {})",
                run.text, run.x, run.y
            )));
        }
        let loaded = self.fonts.get(run.font)?;
        let glyph_count = loaded.face.num_glyphs();
        let metrics = loaded.face.glyph_metrics();
        let mut repaired = false;
        let mut glyphs = Vec::with_capacity(run.glyphs.len());
        for g in &run.glyphs {
            if u32::from(g.id) >= glyph_count {
                return Err(PdfError(format!(
                    "page {page}: text run “{}” uses glyph {} but font {} has {glyph_count} glyphs",
                    run.text, g.id, run.font
                )));
            }
            if !finite(&[g.x_advance, g.x_offset, g.y_offset]) {
                return Err(PdfError(format!(
                    "page {page}: text run “{}” has a glyph with an invalid advance or offset",
                    run.text
                )));
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
        surface.set_fill(Some(fill(run.gray)));
        surface.draw_glyphs(
            Point::from_xy(run.x, run.y),
            &glyphs,
            font,
            &run.text,
            size,
            false,
        );
        if repaired {
            self.warn(format!(
                "text run “{}”: glyph text ranges outside the text were clamped",
                run.text
            ));
        }
        Ok(())
    }

    fn draw_image(&mut self, surface: &mut Surface, image: &ImageBox) {
        let (x, y, w, h) = (image.x, image.y, image.width, image.height);
        if !finite(&[x, y, w, h]) || w <= 0.0 || h <= 0.0 {
            self.warn(format!(
                "an image box has an invalid size {w} × {h} at ({x}, {y})"
            ));
            return;
        }
        let Some(index) = self.images.index_of(&image.data) else {
            return draw_rect(surface, x, y, w, h, PLACEHOLDER_GRAY);
        };
        // Each distinct image is read (and, if unreadable, reported) once.
        let decoded = match self.decoded.get(&index) {
            Some(decoded) => decoded.clone(),
            None => {
                let result = match self.unreadable.get(&index) {
                    Some(reason) => Err(reason.clone()),
                    None => decode(&image.data, || {
                        self.svg_options
                            .get_or_init(|| svg::SvgOptions::new(self.font_data))
                    }),
                };
                let decoded = match result {
                    Ok(image) => Some(image),
                    Err(reason) => {
                        self.warn(format!(
                            "image {} cannot be read ({reason}); drawn as a gray box",
                            image.name
                        ));
                        None
                    }
                };
                self.decoded.insert(index, decoded.clone());
                decoded
            }
        };
        let (decoded, orientation) = match decoded {
            Some(Picture::Raster(image, orientation)) => (image, orientation),
            Some(Picture::Vector(tree)) => {
                let Some(size) = Size::from_wh(w, h) else {
                    return draw_rect(surface, x, y, w, h, PLACEHOLDER_GRAY);
                };
                surface.push_transform(&Transform::from_translate(x, y));
                surface.draw_svg(&tree, size, SvgSettings::default());
                surface.pop();
                return;
            }
            None => return draw_rect(surface, x, y, w, h, PLACEHOLDER_GRAY),
        };
        let (turn, (sw, sh)) = orient(orientation, w, h);
        let Some(size) = Size::from_wh(sw, sh) else {
            return draw_rect(surface, x, y, w, h, PLACEHOLDER_GRAY);
        };
        surface.push_transform(&Transform::from_translate(x, y));
        surface.push_transform(&turn);
        surface.set_location(ImageTable::location(index).unwrap_or(NonZeroU64::MIN));
        surface.draw_image(decoded, size);
        surface.reset_location();
        surface.pop();
        surface.pop();
    }
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

/// How to draw an image stored with EXIF orientation `o` so that it fills the box
/// `w` × `h` (y down) upright: the transform, and the size to draw the stored pixels at
/// (sides swapped for the quarter turns).
fn orient(o: u8, w: f32, h: f32) -> (Transform, (f32, f32)) {
    let t = Transform::from_row;
    match o {
        2 => (t(-1.0, 0.0, 0.0, 1.0, w, 0.0), (w, h)),
        3 => (t(-1.0, 0.0, 0.0, -1.0, w, h), (w, h)),
        4 => (t(1.0, 0.0, 0.0, -1.0, 0.0, h), (w, h)),
        // x' = y, y' = x
        5 => (t(0.0, 1.0, 1.0, 0.0, 0.0, 0.0), (h, w)),
        // A quarter turn clockwise: x' = w - y, y' = x.
        6 => (t(0.0, 1.0, -1.0, 0.0, w, 0.0), (h, w)),
        7 => (t(0.0, -1.0, -1.0, 0.0, w, h), (h, w)),
        // A quarter turn counter-clockwise: x' = y, y' = h - x.
        8 => (t(0.0, -1.0, 1.0, 0.0, 0.0, h), (h, w)),
        _ => (Transform::identity(), (w, h)),
    }
}

/// Reads an image file with krilla (an SVG with usvg), after checking its kind and size.
fn decode<'o>(
    data: &Arc<Vec<u8>>,
    svg_options: impl FnOnce() -> &'o svg::SvgOptions,
) -> Result<Picture, String> {
    let Some(format) = image_format::sniff(data) else {
        return Err(image_format::describe_unknown(data).to_string());
    };
    if format == image_format::Format::Svg {
        return svg_options()
            .parse(data)
            .map(|tree| Picture::Vector(Arc::new(tree)));
    }
    image_format::decodable_size(data, format)?;
    let bytes = krilla::Data::from(data.clone());
    let image = match format {
        image_format::Format::Png => Image::from_png(bytes, false),
        image_format::Format::Jpeg => Image::from_jpeg(bytes, false),
        image_format::Format::Gif => Image::from_gif(bytes, false),
        image_format::Format::Webp => Image::from_webp(bytes, false),
        // Parsed as vectors above; never handed to a raster decoder.
        image_format::Format::Svg => return Err("an SVG image has no pixels".into()),
    };
    let orientation = match format {
        image_format::Format::Jpeg => image_format::jpeg_orientation(data),
        _ => 1,
    };
    match image {
        Ok(image) => Ok(Picture::Raster(image, orientation)),
        Err(e) if e.is_empty() => Err("unknown error".to_string()),
        Err(e) => Err(e),
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

fn draw_rule(surface: &mut Surface, from: (f32, f32), to: (f32, f32), thickness: f32, gray: f32) {
    if !finite(&[from.0, from.1, to.0, to.1, thickness]) || thickness <= 0.0 {
        return;
    }
    let mut path = PathBuilder::new();
    path.move_to(from.0, from.1);
    path.line_to(to.0, to.1);
    let Some(path) = path.finish() else { return };
    surface.set_fill(None);
    surface.set_stroke(Some(Stroke {
        paint: gray_paint(gray).into(),
        width: thickness,
        line_cap: LineCap::Butt,
        ..Stroke::default()
    }));
    surface.draw_path(&path);
    surface.set_stroke(None);
}

fn draw_rect(surface: &mut Surface, x: f32, y: f32, width: f32, height: f32, gray: f32) {
    if !finite(&[x, y, width, height]) || width <= 0.0 || height <= 0.0 {
        return;
    }
    let Some(rect) = Rect::from_xywh(x, y, width, height) else {
        return;
    };
    let mut path = PathBuilder::new();
    path.push_rect(rect);
    let Some(path) = path.finish() else { return };
    surface.set_stroke(None);
    surface.set_fill(Some(fill(gray)));
    surface.draw_path(&path);
}

fn link_annotation(link: &crate::layout::page::Link, bleed: f32) -> Option<LinkAnnotation> {
    let (x, y, w, h) = (link.x, link.y, link.width, link.height);
    if !finite(&[x, y, w, h]) || w <= 0.0 || h <= 0.0 {
        return None;
    }
    let rect = Rect::from_xywh(x + bleed, y + bleed, w, h)?;
    let target = match &link.target {
        LinkTarget::Url(url) => {
            if url.is_empty() {
                return None;
            }
            Target::Action(LinkAction::new(uri_ascii(url)).into())
        }
        LinkTarget::Page { page, y } => Target::Destination(destination(*page, *y, bleed).into()),
    };
    Some(LinkAnnotation::new(rect, target))
}

fn destination(page: usize, y: f32, bleed: f32) -> XyzDestination {
    let y = if y.is_finite() { y.max(0.0) } else { 0.0 };
    XyzDestination::new(page, Point::from_xy(0.0, y + bleed))
}

/// PDF URIs are 7-bit ASCII: percent-encode everything else (a Chinese path or query, a
/// space), leaving what is already ASCII as it is.
fn uri_ascii(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for &b in url.as_bytes() {
        if b > 0x20 && b < 0x7F {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn outline_node(entry: &OutlineEntry, bleed: f32, open: bool) -> OutlineNode {
    let mut node = OutlineNode::new(entry.title.clone(), destination(entry.page, entry.y, bleed))
        .with_open(open);
    for child in &entry.children {
        node.push_child(outline_node(child, bleed, false));
    }
    node
}

fn metadata(meta: &DocumentMeta) -> Metadata {
    let mut m = Metadata::new()
        .title(meta.title.clone())
        .creator(format!("inkstone {}", env!("CARGO_PKG_VERSION")))
        .producer("krilla".to_string());
    if let Some(author) = meta.author.as_ref().filter(|a| !a.is_empty()) {
        m = m.authors(vec![author.clone()]);
    }
    if let Some(subject) = meta.subject.as_ref().filter(|s| !s.is_empty()) {
        m = m.description(subject.clone());
    }
    if !meta.language.is_empty() {
        m = m.language(meta.language.clone());
    }
    if let Some(date) = meta.date.and_then(pdf_date) {
        m = m.creation_date(date);
    }
    m
}

/// The book's date as a PDF date. `DocumentMeta::date` carries no UTC offset; krilla writes
/// such a date as UTC.
fn pdf_date(d: jiff::civil::DateTime) -> Option<DateTime> {
    let year = u16::try_from(d.year()).ok().filter(|y| *y <= 9999)?;
    let byte = |v: i8| u8::try_from(v).ok();
    Some(
        DateTime::new(year)
            .month(byte(d.month())?)
            .day(byte(d.day())?)
            .hour(byte(d.hour())?)
            .minute(byte(d.minute())?)
            .second(byte(d.second())?),
    )
}

#[cfg(test)]
mod tests;
