//! Images as e-readers should get them. Older readers (Kindle's converter, Kobo's first
//! renderer) show no WebP and draw CMYK JPEGs with wrong colours, so those two are converted;
//! a photo or drawing larger than the book's limit (`[images] max_side`, by default 1600 px
//! on its long side, about a 10-inch reader's screen) is scaled down to it, since a 12
//! megapixel photo is most of a book's size and Send to Kindle and phones choke on it; a PNG
//! is recompressed losslessly when that makes it smaller. Any other image goes into the EPUB
//! byte for byte, and the originals on disk are never touched.

use super::encode::{self, decode_upright, optimised_png, upright_size};
use super::format::{self, Format};

/// JPEG quality for converted photos: visually lossless at e-reader resolutions.
const JPEG_QUALITY: u8 = 90;
/// JPEG quality for photos scaled down for the screen.
const SCALED_JPEG_QUALITY: u8 = 85;

/// The image in a format every e-reader shows, its long side at most `max_side` pixels (0:
/// any size): the bytes and their format.
pub fn for_screen(
    data: Vec<u8>,
    format: Format,
    max_side: u32,
) -> Result<(Vec<u8>, Format), String> {
    let (data, format) = in_a_screen_format(data, format)?;
    Ok(fitted(data, format, max_side))
}

/// A PNG or JPEG whose long side is over `max_side` scaled down to it, in its own format; a
/// PNG within the limit recompressed when that saves bytes; anything else as it is (an
/// animated GIF keeps its frames, an SVG has no pixels).
fn fitted(data: Vec<u8>, format: Format, max_side: u32) -> (Vec<u8>, Format) {
    if !matches!(format, Format::Jpeg | Format::Png) {
        return (data, format);
    }
    let long = upright_size(&data, format).map_or(0, |(w, h)| w.max(h));
    if max_side == 0 || long <= max_side {
        return match format {
            Format::Png => (optimised_png(&data).unwrap_or(data), format),
            _ => (data, format),
        };
    }
    let scale = f64::from(max_side) / f64::from(long);
    match encode::rescaled(&data, format, scale, SCALED_JPEG_QUALITY) {
        Ok(bytes) => (bytes, format),
        Err(_) => (data, format),
    }
}

/// The image in a format every e-reader shows.
fn in_a_screen_format(data: Vec<u8>, format: Format) -> Result<(Vec<u8>, Format), String> {
    match format {
        Format::Webp => {
            let image = decode_upright(&data, format)?;
            // Lossy WebP is a photo; lossless WebP or one with transparency is a drawing.
            if webp_is_lossy(&data) && !image.color().has_alpha() {
                Ok((encode::jpeg(&image, JPEG_QUALITY)?, Format::Jpeg))
            } else {
                Ok((encode::png(&image)?, Format::Png))
            }
        }
        Format::Jpeg if format::jpeg_facts(&data).is_some_and(|f| f.components == 4) => Ok((
            encode::jpeg(&decode_upright(&data, format)?, JPEG_QUALITY)?,
            Format::Jpeg,
        )),
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use image::{DynamicImage, ImageFormat};
    use std::io::Cursor;

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
        let (bytes, format) = for_screen(webp, Format::Webp, 1600).unwrap();
        assert_eq!(format, Format::Png);
        let back = image::load_from_memory(&bytes).unwrap().to_rgba8();
        assert_eq!((back.width(), back.height()), (8, 6));
        assert_eq!(back.get_pixel(3, 3), &image::Rgba([10, 120, 200, 128]));
    }

    #[test]
    fn images_larger_than_the_limit_are_scaled_to_it_in_their_own_format() {
        // A noisy 12-megapixel photo, 4000 × 3000: its long side goes to 1600.
        let photo = image::RgbImage::from_fn(4000, 3000, |x, y| {
            image::Rgb([
                (x * 7 % 251) as u8,
                (y * 13 % 241) as u8,
                ((x ^ y) % 256) as u8,
            ])
        });
        let original = encode::jpeg(&DynamicImage::ImageRgb8(photo), 95).unwrap();
        let (bytes, format) = for_screen(original.clone(), Format::Jpeg, 1600).unwrap();
        assert_eq!(format, Format::Jpeg);
        assert!(bytes.len() < original.len() / 4);
        let small = image::load_from_memory(&bytes).unwrap();
        assert_eq!((small.width(), small.height()), (1600, 1200));
        // With no limit the photo stays as it is.
        let (bytes, _) = for_screen(original.clone(), Format::Jpeg, 0).unwrap();
        assert_eq!(bytes, original);
        // A tall drawing keeps its transparency and its format.
        let mut tall = Vec::new();
        image::RgbaImage::from_fn(400, 6000, |x, y| {
            image::Rgba([0, (x % 200) as u8, (y % 250) as u8, 128])
        })
        .write_to(&mut Cursor::new(&mut tall), ImageFormat::Png)
        .unwrap();
        let (bytes, format) = for_screen(tall, Format::Png, 1600).unwrap();
        assert_eq!(format, Format::Png);
        let small = image::load_from_memory(&bytes).unwrap();
        assert_eq!((small.width(), small.height()), (107, 1600));
        assert!(small.color().has_alpha());
    }

    #[test]
    fn a_photo_turned_by_exif_is_scaled_upright() {
        // Stored 300 × 200 with orientation 6 (turn a quarter clockwise to show): shown
        // 200 × 300, so the scaled copy, which carries no EXIF, is stored 100 × 150.
        let stored = image::RgbImage::from_fn(300, 200, |x, _| {
            image::Rgb(if x < 150 { [255, 0, 0] } else { [0, 0, 255] })
        });
        let jpeg = with_orientation(
            encode::jpeg(&DynamicImage::ImageRgb8(stored), 95).unwrap(),
            6,
        );
        assert_eq!(format::jpeg_orientation(&jpeg), 6);
        let (bytes, _) = for_screen(jpeg, Format::Jpeg, 150).unwrap();
        assert_eq!(format::jpeg_orientation(&bytes), 1);
        let small = image::load_from_memory(&bytes).unwrap().to_rgb8();
        assert_eq!((small.width(), small.height()), (100, 150));
        // The stored left half (red) is now the top.
        assert!(small.get_pixel(50, 10)[0] > 200 && small.get_pixel(50, 140)[2] > 200);
    }

    /// A JPEG with an EXIF segment giving `orientation`, right after its SOI marker.
    pub(crate) fn with_orientation(jpeg: Vec<u8>, orientation: u8) -> Vec<u8> {
        let mut tiff = b"MM\0\x2a\0\0\0\x08\0\x01".to_vec();
        tiff.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0]);
        tiff.extend_from_slice(&[0, 0, 0, 0]);
        let mut body = b"Exif\0\0".to_vec();
        body.extend(tiff);
        let mut out = jpeg[..2].to_vec();
        out.extend_from_slice(&[0xFF, 0xE1]);
        out.extend_from_slice(&((body.len() + 2) as u16).to_be_bytes());
        out.extend(body);
        out.extend_from_slice(&jpeg[2..]);
        out
    }

    #[test]
    fn small_images_pass_unchanged_and_pngs_only_shrink() {
        let jpeg = encode::jpeg(&DynamicImage::ImageRgb8(image::RgbImage::new(8, 8)), 90).unwrap();
        let (bytes, format) = for_screen(jpeg.clone(), Format::Jpeg, 1600).unwrap();
        assert_eq!((bytes, format), (jpeg, Format::Jpeg));
        let mut png = Vec::new();
        image::GrayImage::new(200, 200)
            .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
            .unwrap();
        let (bytes, format) = for_screen(png.clone(), Format::Png, 1600).unwrap();
        assert_eq!(format, Format::Png);
        assert!(bytes.len() <= png.len());
        let back = image::load_from_memory(&bytes).unwrap().to_luma8();
        assert_eq!(back, image::GrayImage::new(200, 200));
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
