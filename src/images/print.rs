//! Images as the PDF should carry them: a photo finer than the page can print (a 12
//! megapixel photo set 9 cm wide is over 1,000 dpi) is scaled down to the profile's
//! resolution at the size it is printed (300 dpi for print, 200 for e-reader screens).
//! CMYK JPEGs stay as they are (print wants their colours untouched), as do GIFs, WebPs and
//! SVGs, and any image already within the resolution.

use super::encode::{self, upright_size};
use super::format::{self, Format};

/// JPEG quality of a photo scaled for print: no visible loss at 300 dpi.
const PRINT_JPEG_QUALITY: u8 = 90;
/// An image is scaled only when it is this much finer than asked: a few percent more pixels
/// are not worth a second lossy encoding.
const SLACK: f64 = 1.1;

/// The image scaled to `dpi` when it is printed `width` × `height` points (upright), or
/// `None` when it is better left as it is (within the resolution, not a PNG or RGB JPEG,
/// or no smaller scaled). The PDF carries a JPEG's bytes as they are and a PNG's pixels
/// deflated anew, which the size of a PNG file follows closely: a scaled copy that is no
/// smaller a file would make no smaller a book.
pub fn downsampled(data: &[u8], width: f32, height: f32, dpi: f32) -> Option<Vec<u8>> {
    let format = format::sniff(data)?;
    let cmyk = || format::jpeg_facts(data).is_some_and(|f| f.components == 4);
    if dpi <= 0.0 || !matches!(format, Format::Jpeg | Format::Png) || cmyk() {
        return None;
    }
    let (pixels_wide, pixels_high) = upright_size(data, format)?;
    // Points are 1/72 inch; the finer of the two sides decides.
    let wanted = |points: f32| f64::from(points) / 72.0 * f64::from(dpi);
    let scale = (wanted(width) / f64::from(pixels_wide.max(1)))
        .max(wanted(height) / f64::from(pixels_high.max(1)));
    if !scale.is_finite() || scale * SLACK >= 1.0 {
        return None;
    }
    // A screenshot stays one byte a pixel (the PDF keeps a palette), as most were.
    let bytes = encode::rescaled(data, format, scale, PRINT_JPEG_QUALITY).ok()?;
    (bytes.len() < data.len()).then_some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::DynamicImage;

    fn noisy_photo(width: u32, height: u32) -> Vec<u8> {
        let photo = image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([
                (x * 7 % 251) as u8,
                (y * 13 % 241) as u8,
                ((x ^ y) % 256) as u8,
            ])
        });
        encode::jpeg(&DynamicImage::ImageRgb8(photo), 95).unwrap()
    }

    #[test]
    fn a_photo_finer_than_the_print_is_scaled_to_its_resolution() {
        // 4000 × 3000 pixels printed 4 × 3 inches: 1000 dpi, scaled to 300 dpi.
        let photo = noisy_photo(4000, 3000);
        let small = downsampled(&photo, 288.0, 216.0, 300.0).expect("scaled");
        let back = image::load_from_memory(&small).unwrap();
        assert_eq!((back.width(), back.height()), (1200, 900));
        assert!(small.len() < photo.len());
        // At 200 dpi, for a screen.
        let small = downsampled(&photo, 288.0, 216.0, 200.0).expect("scaled");
        let back = image::load_from_memory(&small).unwrap();
        assert_eq!((back.width(), back.height()), (800, 600));
    }

    #[test]
    fn an_image_within_the_resolution_is_left_alone() {
        // 1000 × 750 printed 4 × 3 inches: 250 dpi.
        assert_eq!(
            downsampled(&noisy_photo(1000, 750), 288.0, 216.0, 300.0),
            None
        );
        // 320 dpi is within the slack.
        assert_eq!(
            downsampled(&noisy_photo(1280, 960), 288.0, 216.0, 300.0),
            None
        );
        // Resolution 0 keeps every original.
        assert_eq!(
            downsampled(&noisy_photo(4000, 3000), 288.0, 216.0, 0.0),
            None
        );
    }

    #[test]
    fn a_turned_photo_is_measured_upright() {
        // Stored 3000 × 2000 with orientation 6: shown 2000 × 3000, printed 2 × 3 inches at
        // 1000 dpi; the copy is stored upright, 600 × 900, with no EXIF.
        let photo = crate::images::screen::tests::with_orientation(noisy_photo(3000, 2000), 6);
        let small = downsampled(&photo, 144.0, 216.0, 300.0).expect("scaled");
        let back = image::load_from_memory(&small).unwrap();
        assert_eq!((back.width(), back.height()), (600, 900));
        assert_eq!(format::jpeg_orientation(&small), 1);
    }
}
