//! What an image file is, from its first bytes and its header, before anything decodes it:
//! the format, the pixel size, the JPEG's orientation and colour model.

/// The image formats a blog's posts use that the book can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Png,
    Jpeg,
    Gif,
    Webp,
    Svg,
}

impl Format {
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Png => "image/png",
            Format::Jpeg => "image/jpeg",
            Format::Gif => "image/gif",
            Format::Webp => "image/webp",
            Format::Svg => "image/svg+xml",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Png => "png",
            Format::Jpeg => "jpg",
            Format::Gif => "gif",
            Format::Webp => "webp",
            Format::Svg => "svg",
        }
    }

    /// The name people know the format by, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Format::Png => "PNG",
            Format::Jpeg => "JPEG",
            Format::Gif => "GIF",
            Format::Webp => "WebP",
            Format::Svg => "SVG",
        }
    }
}

/// Largest image, in pixels, that is decoded (a decoder holds it in memory at 4 to 8 bytes a
/// pixel). 2^26 is 67 megapixels: an 8192 × 8192 picture, beyond any photo in a blog, and a
/// file claiming more is a decompression bomb or a mistake.
pub const MAX_PIXELS: u64 = 1 << 26;

/// The format of an image, from its first bytes, not its name.
pub fn sniff(data: &[u8]) -> Option<Format> {
    if data.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(Format::Png)
    } else if data.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(Format::Jpeg)
    } else if data.starts_with(b"GIF87a") || data.starts_with(b"GIF89a") {
        Some(Format::Gif)
    } else if data.len() >= 12 && &data[0..4] == b"RIFF" && &data[8..12] == b"WEBP" {
        Some(Format::Webp)
    } else if looks_like_svg(data) {
        Some(Format::Svg)
    } else {
        None
    }
}

fn looks_like_svg(data: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&data[..data.len().min(1024)]);
    let trimmed = head.trim_start_matches('\u{feff}').trim_start();
    (trimmed.starts_with("<svg") || trimmed.starts_with("<?xml") || trimmed.starts_with("<!"))
        && head.contains("<svg")
}

/// A short name for messages: what the bytes look like when they are no image we carry.
pub fn describe_unknown(data: &[u8]) -> &'static str {
    let head = &data[..data.len().min(512)];
    let text = String::from_utf8_lossy(head);
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if data.is_empty() {
        "an empty file"
    } else if data.len() >= 12 && &data[4..8] == b"ftyp" {
        "an AVIF/HEIF image, which e-readers do not show"
    } else if data.starts_with(b"BM") {
        "a BMP image, which e-readers do not show"
    } else if data.starts_with(b"II*\0") || data.starts_with(b"MM\0*") {
        "a TIFF image, which e-readers do not show"
    } else if trimmed.starts_with('<') {
        "an HTML or XML file, not an image"
    } else {
        "not a PNG, JPEG, GIF, WebP or SVG image"
    }
}

fn be16(d: &[u8], at: usize) -> Option<u32> {
    Some(u32::from(u16::from_be_bytes(
        d.get(at..at + 2)?.try_into().ok()?,
    )))
}

fn le16(d: &[u8], at: usize) -> Option<u32> {
    Some(u32::from(u16::from_le_bytes(
        d.get(at..at + 2)?.try_into().ok()?,
    )))
}

/// Pixel width and height as the file's header states them (for SVG, its CSS size), if it
/// can be read.
pub fn dimensions(d: &[u8]) -> Option<(u32, u32)> {
    if sniff(d) == Some(Format::Svg) {
        return super::svg::size(d);
    }
    let size = imagesize::blob_size(d).ok()?;
    Some((
        u32::try_from(size.width).ok()?,
        u32::try_from(size.height).ok()?,
    ))
}

/// The pixel size a raster image's header states, if it is one a decoder may be given: not
/// unreadable, not empty, not past [`MAX_PIXELS`] (checked before anything is allocated).
pub fn decodable_size(d: &[u8], format: Format) -> Result<(u32, u32), String> {
    let name = format.name();
    let (width, height) = dimensions(d).ok_or_else(|| {
        format!("its {name} header cannot be read (the file is cut short or damaged)")
    })?;
    if width == 0 || height == 0 {
        return Err(format!(
            "its {name} header gives a size of {width} × {height} pixels"
        ));
    }
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(format!(
            "at {width} × {height} pixels it is too large to decode (the limit is {} megapixels)",
            MAX_PIXELS / 1_000_000
        ));
    }
    Ok((width, height))
}

/// The EXIF orientation of a JPEG (1–8; 1, upright, when it has none). Cameras and phones
/// store pixels as the sensor read them and say in this tag how to turn them; browsers
/// honour it, so the blog shows the photo upright and the book must too.
pub fn jpeg_orientation(d: &[u8]) -> u8 {
    exif_orientation(d)
        .filter(|o| (1..=8).contains(o))
        .unwrap_or(1)
}

fn exif_orientation(d: &[u8]) -> Option<u8> {
    let (_, body) =
        jpeg_headers(d).find(|(marker, body)| *marker == 0xE1 && body.starts_with(b"Exif\0\0"))?;
    tiff_orientation(body.get(6..)?)
}

/// Whether a PNG or JPEG holds colour (RGB, a palette, YCbCr) rather than grays or CMYK;
/// `None` for other formats or a header that cannot be read.
pub fn is_rgb(d: &[u8]) -> Option<bool> {
    match sniff(d)? {
        // IHDR's colour type: 2 RGB, 3 palette, 6 RGB with alpha.
        Format::Png => d.get(25).map(|t| matches!(t, 2 | 3 | 6)),
        Format::Jpeg => jpeg_facts(d).map(|f| f.components == 3),
        _ => None,
    }
}

/// Facts about a JPEG that its header segments tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JpegFacts {
    /// Colour components: 1 gray, 3 YCbCr or RGB, 4 CMYK or YCCK.
    pub components: u8,
    /// Huffman-coded, baseline or progressive (SOF0–SOF2): what every reader and PDF viewer
    /// shows, and what the PDF carries without decoding.
    pub common_coding: bool,
    /// The scan data is followed by the end-of-image marker: the file was not cut short.
    pub complete: bool,
}

/// Reads a JPEG's frame header and checks that its scan data ends; `None` when the header
/// segments before the first scan cannot be read.
pub fn jpeg_facts(d: &[u8]) -> Option<JpegFacts> {
    let mut frame = None;
    let mut headers = jpeg_headers(d);
    for (marker, body) in headers.by_ref() {
        // Start-of-frame markers, C0–CF without DHT (C4), JPG (C8) and DAC (CC).
        if matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC) {
            frame = Some((marker, *body.get(5)?));
        }
    }
    let scan_at = headers.at_scan.then_some(headers.at);
    let (marker, components) = frame?;
    // Inside scan data a 0xFF byte is always followed by 0x00 or a restart marker, so the
    // end-of-image marker cannot appear there by chance.
    let complete =
        scan_at.is_some_and(|at| d[at.min(d.len())..].windows(2).any(|w| w == [0xFF, 0xD9]));
    Some(JpegFacts {
        components,
        common_coding: matches!(marker, 0xC0..=0xC2),
        complete,
    })
}

/// The marker segments of a JPEG before its first scan, as (marker, body).
fn jpeg_headers(d: &[u8]) -> JpegHeaders<'_> {
    JpegHeaders {
        d,
        at: 2,
        at_scan: false,
    }
}

struct JpegHeaders<'a> {
    d: &'a [u8],
    at: usize,
    /// The walk stopped at the first start-of-scan marker; `at` is where its data begins.
    at_scan: bool,
}

impl<'a> Iterator for JpegHeaders<'a> {
    type Item = (u8, &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        let d = self.d;
        loop {
            if self.at_scan || *d.get(self.at)? != 0xFF {
                return None;
            }
            while *d.get(self.at)? == 0xFF {
                self.at += 1;
            }
            let marker = *d.get(self.at)?;
            self.at += 1;
            match marker {
                0x01 | 0xD0..=0xD8 => continue,
                0xD9 => return None,
                _ => {
                    let len = be16(d, self.at)? as usize;
                    if len < 2 {
                        return None;
                    }
                    let body = d.get(self.at + 2..self.at + len)?;
                    self.at += len;
                    if marker == 0xDA {
                        self.at_scan = true;
                    }
                    return Some((marker, body));
                }
            }
        }
    }
}

/// Tag 0x0112 of IFD0 in a TIFF structure.
fn tiff_orientation(t: &[u8]) -> Option<u8> {
    let little = match t.get(0..2)? {
        b"II" => true,
        b"MM" => false,
        _ => return None,
    };
    let u16_at = |at: usize| -> Option<u32> { if little { le16(t, at) } else { be16(t, at) } };
    let u32_at = |at: usize| -> Option<u32> {
        let b: [u8; 4] = t.get(at..at + 4)?.try_into().ok()?;
        Some(if little {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        })
    };
    let ifd = u32_at(4)? as usize;
    let count = u16_at(ifd)? as usize;
    for i in 0..count.min(512) {
        let entry = ifd + 2 + i * 12;
        if u16_at(entry)? == 0x0112 {
            // SHORT, count 1: the value sits in the first two bytes of the value field.
            return u8::try_from(u16_at(entry + 8)?).ok();
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_formats_and_sizes() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend_from_slice(&640u32.to_be_bytes());
        png.extend_from_slice(&480u32.to_be_bytes());
        assert_eq!(sniff(&png), Some(Format::Png));
        assert_eq!(dimensions(&png), Some((640, 480)));

        let mut gif = b"GIF89a\x20\x03\x58\x02".to_vec();
        gif.resize(32, 0);
        assert_eq!(sniff(&gif), Some(Format::Gif));
        assert_eq!(dimensions(&gif), Some((800, 600)));

        // SOI, an APP0 of length 4, then SOF0: length, precision, height 300, width 400.
        let jpeg = [
            0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x01,
            0x2C, 0x01, 0x90,
        ];
        assert_eq!(sniff(&jpeg), Some(Format::Jpeg));
        assert_eq!(dimensions(&jpeg), Some((400, 300)));

        let mut webp = b"RIFF\0\0\0\0WEBPVP8X\x0a\0\0\0\0\0\0\0".to_vec();
        webp.extend_from_slice(&[0x3F, 0x01, 0x00, 0xC7, 0x00, 0x00]);
        assert_eq!(sniff(&webp), Some(Format::Webp));
        assert_eq!(dimensions(&webp), Some((320, 200)));
    }

    #[test]
    fn unknown_and_truncated_files() {
        assert_eq!(
            sniff(b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
            Some(Format::Svg)
        );
        assert_eq!(sniff(b"<?xml version='1.0'?>\n<svg/>"), Some(Format::Svg));
        assert_eq!(sniff(b"<html><body>not found</body></html>"), None);
        assert!(describe_unknown(b"<html><body>not found</body></html>").contains("HTML"));
        assert!(describe_unknown(b"BM\0\0").contains("BMP"));
        assert!(describe_unknown(b"").contains("empty"));
        assert_eq!(dimensions(b"\x89PNG\r\n\x1a\n"), None);
        assert_eq!(dimensions(&[0xFF, 0xD8, 0xFF]), None);
        assert_eq!(dimensions(&[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x00]), None);
        assert_eq!(dimensions(b"RIFF\0\0\0\0WEBPVP8X"), None);
    }

    fn jpeg_with_exif(orientation: u8, little: bool) -> Vec<u8> {
        let mut tiff: Vec<u8> = if little {
            b"II*\0\x08\0\0\0".to_vec()
        } else {
            b"MM\0*\0\0\0\x08".to_vec()
        };
        let u16b = |v: u16| {
            if little {
                v.to_le_bytes()
            } else {
                v.to_be_bytes()
            }
        };
        tiff.extend_from_slice(&u16b(2)); // two entries
        // An unrelated tag first (ImageWidth), then Orientation.
        tiff.extend_from_slice(&u16b(0x0100));
        tiff.extend_from_slice(&u16b(3));
        tiff.extend_from_slice(&if little {
            1u32.to_le_bytes()
        } else {
            1u32.to_be_bytes()
        });
        tiff.extend_from_slice(&u16b(640));
        tiff.extend_from_slice(&[0, 0]);
        tiff.extend_from_slice(&u16b(0x0112));
        tiff.extend_from_slice(&u16b(3));
        tiff.extend_from_slice(&if little {
            1u32.to_le_bytes()
        } else {
            1u32.to_be_bytes()
        });
        tiff.extend_from_slice(&u16b(u16::from(orientation)));
        tiff.extend_from_slice(&[0, 0]);
        let mut app1 = b"Exif\0\0".to_vec();
        app1.extend_from_slice(&tiff);
        let mut out = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0xFF, 0xE1];
        out.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
        out.extend_from_slice(&app1);
        out.extend_from_slice(&[0xFF, 0xDA]);
        out
    }

    #[test]
    fn reads_the_exif_orientation() {
        assert_eq!(jpeg_orientation(&jpeg_with_exif(6, true)), 6);
        assert_eq!(jpeg_orientation(&jpeg_with_exif(8, false)), 8);
        assert_eq!(jpeg_orientation(&jpeg_with_exif(9, false)), 1);
        assert_eq!(jpeg_orientation(&[0xFF, 0xD8, 0xFF, 0xDA]), 1);
        let mut cut = jpeg_with_exif(6, true);
        cut.truncate(30);
        assert_eq!(jpeg_orientation(&cut), 1);
    }
}
