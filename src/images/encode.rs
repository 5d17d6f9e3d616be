//! Pixel work shared by the EPUB's and the PDF's images: decoding a photo upright, scaling
//! it, and encoding it again (JPEG at a given quality, PNG optimised losslessly by oxipng).

use image::imageops::FilterType;
use image::metadata::Orientation;
use image::{ColorType, DynamicImage};
use oxipng::{BitDepth, ColorType as PngColor, Options, RawImage, StripChunks};

use super::check::decode;
use super::format::{self, Format};

/// Decodes a raster image with its EXIF orientation applied, so that the pixels are upright
/// and a re-encoded file (which carries no EXIF) shows as the original did.
pub fn decode_upright(data: &[u8], format: Format) -> Result<DynamicImage, String> {
    let mut image = decode(data, format)?;
    if format == Format::Jpeg {
        let turn = format::jpeg_orientation(data);
        if let Some(orientation) = Orientation::from_exif(turn) {
            image.apply_orientation(orientation);
        }
    }
    Ok(image)
}

/// The pixel size of a raster image as it is shown: the stored size, its sides swapped when
/// the EXIF orientation is a quarter turn.
pub fn upright_size(data: &[u8], format: Format) -> Option<(u32, u32)> {
    let (width, height) = format::dimensions(data)?;
    let quarter_turn = format == Format::Jpeg && format::jpeg_orientation(data) >= 5;
    Some(if quarter_turn {
        (height, width)
    } else {
        (width, height)
    })
}

/// A PNG or JPEG file scaled by `scale` (< 1), upright, in its own format: a JPEG at
/// `jpeg_quality`; a PNG of a drawing in a palette (scaling has already blended its pixels,
/// so a palette loses nothing visible and the file shrinks by two thirds), any other PNG in
/// full colour.
pub fn rescaled(
    data: &[u8],
    format: Format,
    scale: f64,
    jpeg_quality: u8,
) -> Result<Vec<u8>, String> {
    let small = scaled(&decode_upright(data, format)?, scale);
    match format {
        Format::Jpeg => jpeg(&small, jpeg_quality),
        _ => palette_png(&small).map_or_else(|| png(&small), Ok),
    }
}

/// `image` scaled by `scale` (< 1), each side at least one pixel.
pub fn scaled(image: &DynamicImage, scale: f64) -> DynamicImage {
    let side = |n: u32| ((f64::from(n) * scale).round() as u32).max(1);
    image.resize_exact(
        side(image.width()),
        side(image.height()),
        FilterType::Lanczos3,
    )
}

/// A JPEG of `image` (gray stays gray; transparency is dropped).
pub fn jpeg(image: &DynamicImage, quality: u8) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality);
    let pixels = match image.color() {
        ColorType::L8 | ColorType::La8 | ColorType::L16 | ColorType::La16 => {
            DynamicImage::ImageLuma8(image.to_luma8())
        }
        _ => DynamicImage::ImageRgb8(image.to_rgb8()),
    };
    pixels
        .write_with_encoder(encoder)
        .map_err(|e| e.to_string())?;
    Ok(out)
}

/// The smallest PNG oxipng makes of `image` (palette, gray and bit-depth reductions where
/// they lose nothing).
pub fn png(image: &DynamicImage) -> Result<Vec<u8>, String> {
    let (color, data) = if image.color().has_alpha() {
        (PngColor::RGBA, image.to_rgba8().into_raw())
    } else {
        (
            PngColor::RGB {
                transparent_color: None,
            },
            image.to_rgb8().into_raw(),
        )
    };
    RawImage::new(image.width(), image.height(), color, BitDepth::Eight, data)
        .and_then(|raw| raw.create_optimized_png(&png_options()))
        .map_err(|e| e.to_string())
}

/// A PNG of a drawing (a screenshot, a diagram) in at most 256 colours and levels of
/// transparency, chosen by NeuQuant for the pixels at hand; `None` when the image looks like
/// a photo, which a palette would band.
pub fn palette_png(image: &DynamicImage) -> Option<Vec<u8>> {
    let rgba = image.to_rgba8();
    if !is_flat(&rgba) {
        return None;
    }
    let quantizer = color_quant::NeuQuant::new(NEUQUANT_SAMPLING, 256, rgba.as_raw());
    let indices: Vec<u8> = rgba
        .pixels()
        .map(|p| quantizer.index_of(&p.0) as u8)
        .collect();
    let palette = quantizer
        .color_map_rgba()
        .chunks_exact(4)
        .map(|c| oxipng::RGBA8::new(c[0], c[1], c[2], c[3]))
        .collect();
    let color = PngColor::Indexed { palette };
    RawImage::new(
        image.width(),
        image.height(),
        color,
        BitDepth::Eight,
        indices,
    )
    .and_then(|raw| raw.create_optimized_png(&png_options()))
    .ok()
}

/// NeuQuant looks at every 10th pixel: its own recommended balance of speed and quality.
const NEUQUANT_SAMPLING: i32 = 10;

/// Whether most pixels repeat their left neighbour, as in drawings and screenshots (large
/// areas of one colour); in photos, neighbours almost never match exactly.
fn is_flat(image: &image::RgbaImage) -> bool {
    let row_bytes = image.width() as usize * 4;
    let same: usize = (image.as_raw().chunks_exact(row_bytes.max(1)))
        .map(|row| {
            let pixels: Vec<&[u8]> = row.chunks_exact(4).collect();
            pixels.windows(2).filter(|pair| pair[0] == pair[1]).count()
        })
        .sum();
    let pairs = (image.width().saturating_sub(1) as usize) * image.height() as usize;
    same * 2 > pairs
}

/// A PNG file recompressed losslessly, or `None` when that saves nothing.
pub fn optimised_png(data: &[u8]) -> Option<Vec<u8>> {
    oxipng::optimize_from_memory(data, &png_options())
        .ok()
        .filter(|smaller| smaller.len() < data.len())
}

/// oxipng's fastest preset (two filters, libdeflate at level 5): most of the gain of the
/// slow ones at a fraction of the time. Chunks that do not change how the image looks
/// (text, times) are dropped; colour profiles are kept.
fn png_options() -> Options {
    let mut options = Options::from_preset(0);
    options.strip = StripChunks::Safe;
    options
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::ImageEncoder;
    use std::io::Cursor;

    #[test]
    fn a_png_with_few_colours_becomes_a_palette_png_with_the_same_pixels() {
        // A screenshot-like image: flat colours, stored as 8-bit RGBA by a naive encoder.
        let shot = image::RgbaImage::from_fn(300, 200, |x, y| {
            if (x / 20 + y / 10) % 3 == 0 {
                image::Rgba([255, 255, 255, 255])
            } else {
                image::Rgba([30, 60, (x % 4) as u8 * 40, 255])
            }
        });
        let mut plain = Vec::new();
        image::codecs::png::PngEncoder::new_with_quality(
            &mut plain,
            image::codecs::png::CompressionType::Fast,
            image::codecs::png::FilterType::NoFilter,
        )
        .write_image(shot.as_raw(), 300, 200, image::ExtendedColorType::Rgba8)
        .unwrap();
        let smaller = optimised_png(&plain).expect("a naive PNG can be made smaller");
        assert!(
            smaller.len() < plain.len() / 2,
            "{} of {}",
            smaller.len(),
            plain.len()
        );
        let back = image::load(Cursor::new(&smaller), image::ImageFormat::Png).unwrap();
        assert_eq!(back.to_rgba8(), shot);
        // The same pixels encoded from memory are no larger than the optimised file.
        let encoded = png(&DynamicImage::ImageRgba8(shot.clone())).unwrap();
        assert!(encoded.len() <= smaller.len() + 64);
        assert_eq!(image::load_from_memory(&encoded).unwrap().to_rgba8(), shot);
    }

    #[test]
    fn a_drawing_takes_a_palette_and_a_photo_does_not() {
        // A window screenshot scaled down, as for the EPUB: a transparent shadow, a title bar,
        // strokes of "text" in three colours, their edges blended into many shades.
        let window = image::RgbaImage::from_fn(1200, 900, |x, y| match (x, y) {
            (0..=29, _) | (_, 0..=29) => image::Rgba([0, 0, 0, (x.min(y) * 8) as u8]),
            (_, 30..=89) => image::Rgba([60, 64, 72, 255]),
            _ if y % 30 < 12 && (x / 9) % 4 != 0 => [
                image::Rgba([200, 80, 40, 255]),
                image::Rgba([30, 30, 30, 255]),
            ][(x / 200 % 2) as usize],
            _ => image::Rgba([250, 250, 250, 255]),
        });
        let shot = scaled(&DynamicImage::ImageRgba8(window), 0.37);
        let palette = palette_png(&shot).expect("a drawing takes a palette");
        let back = image::load_from_memory(&palette).unwrap().to_rgba8();
        // Close to the original on average (under one level) and everywhere.
        let (mut error, mut worst) = (0u64, 0u8);
        for (a, b) in back.pixels().zip(shot.to_rgba8().pixels()) {
            for c in 0..4 {
                worst = worst.max(a[c].abs_diff(b[c]));
                error += u64::from(a[c].abs_diff(b[c]));
            }
        }
        // NeuQuant spends its 256 entries where the pixels are: flat areas come back exact,
        // a rare shade of the gradient may be one of its neighbours.
        let samples = u64::from(shot.width() * shot.height() * 4);
        assert!(
            error < samples,
            "mean error {}",
            error as f64 / samples as f64
        );
        assert!(worst <= 64, "worst error {worst}");
        assert!(palette.len() < png(&shot).unwrap().len());
        // A photo: no two neighbours alike.
        let photo = image::RgbImage::from_fn(300, 200, |x, y| {
            image::Rgb([
                (x * 7 % 251) as u8,
                (y * 13 % 241) as u8,
                ((x ^ y) % 256) as u8,
            ])
        });
        assert_eq!(palette_png(&DynamicImage::ImageRgb8(photo)), None);
    }

    #[test]
    fn an_optimal_png_is_left_alone() {
        let tiny = png(&DynamicImage::ImageLuma8(image::GrayImage::new(2, 2))).unwrap();
        assert_eq!(optimised_png(&tiny), None);
    }
}
