//! Images in the PDF: the book's distinct image files, reading each one (pixels with krilla,
//! SVG as vectors with usvg), and drawing it into its box upright.
//!
//! An image that cannot be read is drawn as a light gray box and reported once, never failing
//! the book. krilla reads pixels only when the document is finished, so a file it cannot read
//! is learnt of late: [`ImageTable`] numbers the files so that krilla's error can say which,
//! and the writer tries again with that file marked unreadable. JPEG photos are turned
//! upright by their EXIF orientation, as browsers show them (the layout's box is the upright
//! size).

use std::cell::OnceCell;
use std::collections::HashMap;
use std::num::NonZeroU64;
use std::sync::Arc;

use krilla::geom::{Size, Transform};
use krilla::image::Image;
use krilla::surface::Surface;
use krilla_svg::{SurfaceExt, SvgSettings};

use rayon::prelude::*;

use super::{finite, shapes, svg};
use crate::images::format as image_format;
use crate::images::{Saving, print};
use crate::layout::page::{FontData, ImageBox, Ink, Item, Pages};

/// Gray of the box drawn in place of an image that cannot be read.
const PLACEHOLDER_GRAY: f32 = 0.85;

/// The distinct image files of the book (by their `Arc`), numbered for krilla's error
/// locations, each as the PDF carries it: the file, or a copy scaled down to the pages'
/// resolution at the largest size it is printed (see `images::print`).
pub(super) struct ImageTable {
    data: Vec<Arc<Vec<u8>>>,
    index: HashMap<*const Vec<u8>, usize>,
    /// What the scaled copies saved, in pixels.
    pub(super) saving: Saving,
}

impl ImageTable {
    pub(super) fn new(pages: &Pages) -> Self {
        let mut files: Vec<(&Arc<Vec<u8>>, f32, f32)> = Vec::new();
        let mut index = HashMap::new();
        for page in &pages.pages {
            for item in &page.items {
                if let Item::Image(image) = item {
                    let at = *index.entry(Arc::as_ptr(&image.data)).or_insert_with(|| {
                        files.push((&image.data, 0.0, 0.0));
                        files.len() - 1
                    });
                    let (_, width, height) = &mut files[at];
                    *width = width.max(image.width);
                    *height = height.max(image.height);
                }
            }
        }
        let dpi = pages.image_dpi;
        let data: Vec<Arc<Vec<u8>>> = files
            .par_iter()
            .map(|&(file, width, height)| {
                print::downsampled(file, width, height, dpi).map_or_else(|| file.clone(), Arc::new)
            })
            .collect();
        // The PDF holds a PNG's pixels, not its file: the saving is counted in pixels.
        let pixels = |bytes: &[u8]| {
            image_format::dimensions(bytes).map_or(0, |(w, h)| w as usize * h as usize)
        };
        let mut saving = Saving::default();
        for ((file, _, _), carried) in files.iter().zip(&data) {
            if !Arc::ptr_eq(file, carried) {
                saving.add(pixels(file), pixels(carried));
            }
        }
        Self {
            data,
            index,
            saving,
        }
    }

    fn index_of(&self, data: &Arc<Vec<u8>>) -> Option<usize> {
        self.index.get(&Arc::as_ptr(data)).copied()
    }

    /// The image that was drawn with this krilla location.
    pub(super) fn get(&self, location: NonZeroU64) -> Option<usize> {
        let i = usize::try_from(location.get() - 1).ok()?;
        (i < self.data.len()).then_some(i)
    }

    fn location(index: usize) -> Option<NonZeroU64> {
        NonZeroU64::new(u64::try_from(index).ok()?.checked_add(1)?)
    }

    /// All images with the same bytes as this one (krilla treats them as one image).
    pub(super) fn same_bytes(&self, index: usize) -> Vec<usize> {
        let bytes = &self.data[index];
        (0..self.data.len())
            .filter(|&i| self.data[i].as_slice() == bytes.as_slice())
            .collect()
    }
}

/// An image ready to draw.
#[derive(Clone)]
enum Picture {
    /// Pixels, with the EXIF orientation (1 = as stored).
    Raster(Image, u8),
    Vector(Arc<usvg::Tree>),
}

/// The images of one writing of the book: each distinct file is read once, when it is first
/// drawn (decoding is the slow part; the same file drawn twice is decoded once).
pub(super) struct Pictures<'a> {
    table: &'a ImageTable,
    /// Images krilla could not read in an earlier try, with its reason, by table index.
    unreadable: &'a HashMap<usize, String>,
    /// Read images (`None`: unreadable), by table index.
    decoded: HashMap<usize, Option<Picture>>,
    /// Made when the book's first SVG is drawn.
    svg_options: OnceCell<svg::SvgOptions>,
    font_data: &'a [Arc<FontData>],
}

impl<'a> Pictures<'a> {
    pub(super) fn new(
        table: &'a ImageTable,
        unreadable: &'a HashMap<usize, String>,
        font_data: &'a [Arc<FontData>],
    ) -> Self {
        Self {
            table,
            unreadable,
            decoded: HashMap::new(),
            svg_options: OnceCell::new(),
            font_data,
        }
    }

    /// Draws `image` into its box, or a gray box in its place; `warn` hears why an image box
    /// is invalid, and (once per file) why a file cannot be read.
    pub(super) fn draw(
        &mut self,
        surface: &mut Surface,
        image: &ImageBox,
        mut warn: impl FnMut(String),
    ) {
        let (x, y, w, h) = (image.x, image.y, image.width, image.height);
        if !finite(&[x, y, w, h]) || w <= 0.0 || h <= 0.0 {
            warn(format!(
                "an image box has an invalid size {w} × {h} at ({x}, {y})"
            ));
            return;
        }
        let placeholder = |surface: &mut Surface| {
            shapes::draw_rect(surface, x, y, w, h, Ink::Gray(PLACEHOLDER_GRAY));
        };
        let Some(index) = self.table.index_of(&image.data) else {
            return placeholder(surface);
        };
        let (decoded, orientation) = match self.read(index, image, &mut warn) {
            Some(Picture::Raster(image, orientation)) => (image, orientation),
            Some(Picture::Vector(tree)) => {
                let Some(size) = Size::from_wh(w, h) else {
                    return placeholder(surface);
                };
                surface.push_transform(&Transform::from_translate(x, y));
                surface.draw_svg(&tree, size, SvgSettings::default());
                surface.pop();
                return;
            }
            None => return placeholder(surface),
        };
        let (turn, (sw, sh)) = orient(orientation, w, h);
        let Some(size) = Size::from_wh(sw, sh) else {
            return placeholder(surface);
        };
        surface.push_transform(&Transform::from_translate(x, y));
        surface.push_transform(&turn);
        surface.set_location(ImageTable::location(index).unwrap_or(NonZeroU64::MIN));
        surface.draw_image(decoded, size);
        surface.reset_location();
        surface.pop();
        surface.pop();
    }

    /// The picture of table entry `index`, read on first use; an unreadable one is reported
    /// (on its first use only) and is `None`.
    fn read(
        &mut self,
        index: usize,
        image: &ImageBox,
        warn: &mut impl FnMut(String),
    ) -> Option<Picture> {
        if let Some(decoded) = self.decoded.get(&index) {
            return decoded.clone();
        }
        let result = match self.unreadable.get(&index) {
            Some(reason) => Err(reason.clone()),
            None => decode(&self.table.data[index], || {
                self.svg_options
                    .get_or_init(|| svg::SvgOptions::new(self.font_data))
            }),
        };
        let decoded = match result {
            Ok(picture) => Some(picture),
            Err(reason) => {
                warn(format!(
                    "image {} cannot be read ({reason}); drawn as a gray box",
                    image.name
                ));
                None
            }
        };
        self.decoded.insert(index, decoded.clone());
        decoded
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_orientation_fills_the_box() {
        let (w, h) = (120.0, 80.0);
        for o in 1..=8u8 {
            let (t, (sw, sh)) = orient(o, w, h);
            let map = |x: f32, y: f32| {
                (
                    t.sx() * x + t.kx() * y + t.tx(),
                    t.ky() * x + t.sy() * y + t.ty(),
                )
            };
            let mut corners: Vec<(f32, f32)> = [(0.0, 0.0), (sw, 0.0), (0.0, sh), (sw, sh)]
                .iter()
                .map(|&(x, y)| map(x, y))
                .collect();
            corners.sort_by(|a, b| a.partial_cmp(b).expect("finite"));
            assert_eq!(
                corners,
                vec![(0.0, 0.0), (0.0, h), (w, 0.0), (w, h)],
                "orientation {o}"
            );
        }
        // The stored first row ends up where EXIF says: 6 = on the right, 8 = on the left.
        let (t6, _) = orient(6, w, h);
        assert_eq!((t6.kx() * 0.0 + t6.tx(), t6.ky() * 0.0), (w, 0.0));
        let (t8, _) = orient(8, w, h);
        assert_eq!(t8.kx() * 0.0 + t8.tx(), 0.0);
    }
}
