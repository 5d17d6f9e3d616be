//! Whether an image file can be put in the book: a known format, a sane size, decodable (a
//! file cut short or damaged is caught here, not in a reader), and for SVG, nothing a reader
//! would run or fetch.

use std::io::Cursor;

use image::{ImageFormat, ImageReader, Limits};

use super::format::{self, Format, MAX_PIXELS};
use super::svg;

/// An image that can be shown: its format and size in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checked {
    pub format: Format,
    pub width: u32,
    pub height: u32,
}

/// Most memory a decoder may take for one image (the pixels and its own buffers).
const MAX_DECODE_BYTES: u64 = 8 * MAX_PIXELS;

/// Checks an image file; the error says in plain words what is wrong with it. Every format is
/// decoded in full but the common JPEG, whose structure is checked instead.
pub fn check(data: &[u8]) -> Result<Checked, String> {
    if data.is_empty() {
        return Err("the file is empty".into());
    }
    let Some(format) = format::sniff(data) else {
        return Err(format!("it is {}", format::describe_unknown(data)));
    };
    if format == Format::Svg {
        let (width, height) = svg::check(data)?;
        return Ok(Checked {
            format,
            width,
            height,
        });
    }
    let (width, height) = format::decodable_size(data, format)?;
    let mut needs_decoding = true;
    if format == Format::Jpeg {
        let facts = format::jpeg_facts(data).ok_or_else(|| {
            "its JPEG header cannot be read (the file is cut short or damaged)".to_string()
        })?;
        if !facts.complete {
            return Err("the JPEG is cut short (its image data has no end)".into());
        }
        let cmyk = facts.components == 4;
        // Photos are most of a blog's images and the slowest to decode. The PDF carries a
        // common JPEG as it is, and readers show damaged scan data as a smear, not an error:
        // its structure is checked, its pixels are not. A CMYK one is converted for screens,
        // and an unusual coding must prove the decoder reads it.
        needs_decoding = cmyk || !facts.common_coding;
    }
    if needs_decoding {
        let name = format.name();
        decode(data, format).map_err(|e| format!("its {name} data cannot be decoded ({e})"))?;
    }
    Ok(Checked {
        format,
        width,
        height,
    })
}

/// Decodes a raster image within the memory limit.
pub fn decode(data: &[u8], format: Format) -> Result<image::DynamicImage, String> {
    let image_format = match format {
        Format::Png => ImageFormat::Png,
        Format::Jpeg => ImageFormat::Jpeg,
        Format::Gif => ImageFormat::Gif,
        Format::Webp => ImageFormat::WebP,
        Format::Svg => return Err("an SVG image has no pixels to decode".into()),
    };
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    let mut reader = ImageReader::with_format(Cursor::new(data), image_format);
    reader.limits(limits);
    reader.decode().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let mut out = Vec::new();
        image::RgbImage::from_pixel(width, height, image::Rgb([200, 30, 30]))
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn a_whole_png_passes_and_a_cut_one_does_not() {
        let whole = png(64, 48);
        assert_eq!(
            check(&whole),
            Ok(Checked {
                format: Format::Png,
                width: 64,
                height: 48,
            })
        );
        let cut = &whole[..whole.len() / 2];
        let error = check(cut).unwrap_err();
        assert!(error.contains("PNG data cannot be decoded"), "{error}");
    }

    #[test]
    fn a_header_claiming_a_huge_size_is_refused_before_decoding() {
        let mut bomb = png(1, 1);
        // IHDR's width and height, then its CRC is wrong, but the size is read first.
        bomb[16..20].copy_from_slice(&30000u32.to_be_bytes());
        bomb[20..24].copy_from_slice(&30000u32.to_be_bytes());
        let error = check(&bomb).unwrap_err();
        assert!(error.contains("30000 × 30000 pixels"), "{error}");
        assert!(error.contains("too large"), "{error}");
    }

    fn baseline_jpeg() -> Vec<u8> {
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80)
            .encode_image(&image::RgbImage::from_pixel(
                32,
                16,
                image::Rgb([90, 160, 40]),
            ))
            .unwrap();
        out
    }

    #[test]
    fn a_common_jpeg_is_checked_by_its_structure_an_unusual_one_by_decoding() {
        let jpeg = baseline_jpeg();
        assert_eq!(check(&jpeg).map(|c| (c.width, c.height)), Ok((32, 16)));
        // Start of frame 0 (baseline) made 9 (arithmetic coding), which the decoder lacks.
        let at = jpeg.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
        let mut arithmetic = jpeg.clone();
        arithmetic[at + 1] = 0xC9;
        let error = check(&arithmetic).unwrap_err();
        assert!(error.contains("JPEG data cannot be decoded"), "{error}");
        // Without its end-of-image marker it is cut short, whatever the coding.
        let cut = &jpeg[..jpeg.len() - 2];
        assert!(check(cut).unwrap_err().contains("cut short"));
    }

    #[test]
    fn empty_and_unknown_files_are_named() {
        assert_eq!(check(b""), Err("the file is empty".into()));
        assert_eq!(
            check(b"<html>404</html>"),
            Err("it is an HTML or XML file, not an image".into())
        );
    }
}
