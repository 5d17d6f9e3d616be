//! Images as e-readers should get them. Older readers (Kindle's converter, Kobo's first
//! renderer) show no WebP and draw CMYK JPEGs with wrong colours, so those two are converted;
//! a photo or drawing larger than any e-reader's screen is scaled down to fit one (a 12
//! megapixel photo is most of a book's size, and Send to Kindle and phones choke on it); every
//! other image goes into the EPUB byte for byte. The PDF keeps the originals: print wants CMYK
//! and full resolution as they are.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageFormat};

use super::check::decode;
use super::format::{self, Format};

/// JPEG quality for converted photos: visually lossless at e-reader resolutions.
const JPEG_QUALITY: u8 = 90;
/// JPEG quality for photos scaled down for the screen.
const SCALED_JPEG_QUALITY: u8 = 85;
/// The largest image an e-reader gets, in pixels: its long side and its short side (a
/// 10-inch reader's screen is about 1600 × 2400).
const MAX_LONG_SIDE: u32 = 2400;
const MAX_SHORT_SIDE: u32 = 1600;

/// The image in a format every e-reader shows, no larger than a screen: the bytes and their
/// format.
pub fn for_screen(data: Vec<u8>, format: Format) -> Result<(Vec<u8>, Format), String> {
    let (data, format) = in_a_screen_format(data, format)?;
    Ok(scaled_to_fit(data, format))
}

/// A PNG or JPEG larger than `MAX_LONG_SIDE` × `MAX_SHORT_SIDE` scaled down to fit it, in
/// its own format, when that makes the file smaller; anything else as it is (an animated GIF
/// keeps its frames, an SVG has no pixels).
fn scaled_to_fit(data: Vec<u8>, format: Format) -> (Vec<u8>, Format) {
    let Some((width, height)) = format::dimensions(&data) else {
        return (data, format);
    };
    let (long, short) = (width.max(height), width.min(height));
    let scale = (f64::from(MAX_LONG_SIDE) / f64::from(long.max(1)))
        .min(f64::from(MAX_SHORT_SIDE) / f64::from(short.max(1)));
    if scale >= 1.0 || !matches!(format, Format::Jpeg | Format::Png) {
        return (data, format);
    }
    let Ok(image) = decode(&data, format) else {
        return (data, format);
    };
    let side = |n: u32| ((f64::from(n) * scale).round() as u32).max(1);
    let small = image.resize_exact(side(width), side(height), FilterType::Lanczos3);
    let encoded = match format {
        Format::Jpeg => jpeg(&small, SCALED_JPEG_QUALITY),
        _ => png(&small),
    };
    match encoded {
        Ok(bytes) if bytes.len() < data.len() => (bytes, format),
        _ => (data, format),
    }
}

/// The image in a format every e-reader shows.
fn in_a_screen_format(data: Vec<u8>, format: Format) -> Result<(Vec<u8>, Format), String> {
    match format {
        Format::Webp => {
            let image = decode(&data, format)?;
            // Lossy WebP is a photo; lossless WebP or one with transparency is a drawing.
            if webp_is_lossy(&data) && !image.color().has_alpha() {
                Ok((jpeg(&image, JPEG_QUALITY)?, Format::Jpeg))
            } else {
                Ok((png(&image)?, Format::Png))
            }
        }
        Format::Jpeg if format::jpeg_facts(&data).is_some_and(|f| f.components == 4) => {
            Ok((jpeg(&decode(&data, format)?, JPEG_QUALITY)?, Format::Jpeg))
        }
        _ => Ok((data, format)),
    }
}

/// A WebP whose image is VP8 (lossy) rather than VP8L (lossless).
fn webp_is_lossy(data: &[u8]) -> bool {
    // RIFF header (12 bytes), then chunks of FourCC + 32-bit length; the extended format
    // (VP8X) lists ALPH, ICCP and others before the image chunk.
    let mut at = 12;
    while let Some(fourcc) = data.get(at..at + 4) {
        match fourcc {
            b"VP8 " => return true,
            b"VP8L" => return false,
            _ => {}
        }
        let Some(len) = data.get(at + 4..at + 8) else {
            return false;
        };
        let len = u32::from_le_bytes([len[0], len[1], len[2], len[3]]) as usize;
        at += 8 + len + (len & 1);
    }
    false
}

fn jpeg(image: &DynamicImage, quality: u8) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(&DynamicImage::ImageRgb8(image.to_rgb8()))
        .map_err(|e| e.to_string())?;
    Ok(out)
}

fn png(image: &DynamicImage) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
        .map_err(|e| e.to_string())?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn webp_lossless() -> Vec<u8> {
        let mut out = Vec::new();
        image::RgbaImage::from_pixel(8, 6, image::Rgba([10, 120, 200, 128]))
            .write_to(&mut Cursor::new(&mut out), ImageFormat::WebP)
            .unwrap();
        out
    }

    #[test]
    fn lossless_webp_becomes_png_with_the_same_pixels() {
        let webp = webp_lossless();
        assert!(!webp_is_lossy(&webp));
        let (bytes, format) = for_screen(webp, Format::Webp).unwrap();
        assert_eq!(format, Format::Png);
        let back = image::load_from_memory(&bytes).unwrap().to_rgba8();
        assert_eq!((back.width(), back.height()), (8, 6));
        assert_eq!(back.get_pixel(3, 3), &image::Rgba([10, 120, 200, 128]));
    }

    #[test]
    fn images_larger_than_a_screen_are_scaled_to_fit_one_in_their_own_format() {
        // A noisy photo, 3000 × 2000: its long side goes to 2400, its short side to 1600.
        let photo = image::RgbImage::from_fn(3000, 2000, |x, y| {
            image::Rgb([
                (x * 7 % 251) as u8,
                (y * 13 % 241) as u8,
                ((x ^ y) % 256) as u8,
            ])
        });
        let original = jpeg(&DynamicImage::ImageRgb8(photo), 95).unwrap();
        let (bytes, format) = for_screen(original.clone(), Format::Jpeg).unwrap();
        assert_eq!(format, Format::Jpeg);
        assert!(bytes.len() < original.len());
        let small = image::load_from_memory(&bytes).unwrap();
        assert_eq!((small.width(), small.height()), (2400, 1600));
        // A tall drawing keeps its transparency and its format.
        let mut tall = Vec::new();
        image::RgbaImage::from_fn(400, 6000, |x, y| {
            image::Rgba([0, (x % 200) as u8, (y % 250) as u8, 128])
        })
        .write_to(&mut Cursor::new(&mut tall), ImageFormat::Png)
        .unwrap();
        let (bytes, format) = for_screen(tall, Format::Png).unwrap();
        assert_eq!(format, Format::Png);
        let small = image::load_from_memory(&bytes).unwrap();
        assert_eq!((small.width(), small.height()), (160, 2400));
        assert!(small.color().has_alpha());
    }

    #[test]
    fn other_images_pass_unchanged() {
        let mut png = Vec::new();
        image::GrayImage::new(2, 2)
            .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
            .unwrap();
        let (bytes, format) = for_screen(png.clone(), Format::Png).unwrap();
        assert_eq!((bytes, format), (png, Format::Png));
    }

    #[test]
    fn the_image_chunk_tells_lossy_from_lossless() {
        let chunk = |fourcc: &[u8], len: u32| {
            let mut c = fourcc.to_vec();
            c.extend_from_slice(&len.to_le_bytes());
            c.resize(8 + len as usize + (len as usize & 1), 0);
            c
        };
        let mut extended = b"RIFF\0\0\0\0WEBP".to_vec();
        extended.extend(chunk(b"VP8X", 10));
        extended.extend(chunk(b"ALPH", 3));
        extended.extend(chunk(b"VP8 ", 4));
        assert!(webp_is_lossy(&extended));
        assert!(!webp_is_lossy(b"RIFF\0\0\0\0WEBP"));
    }
}
