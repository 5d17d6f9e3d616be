//! Recognising image files by their first bytes, and their pixel size, before krilla decodes
//! them: an unknown format or a decompression bomb becomes a placeholder instead of a failure.

/// The raster formats krilla reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Png,
    Jpeg,
    Gif,
    Webp,
}

/// Largest image, in pixels, handed to the decoder (krilla keeps it decoded in memory:
/// 4 bytes a pixel). 2^27 pixels is 134 megapixels, far beyond any photo in a blog.
pub(crate) const MAX_PIXELS: u64 = 1 << 27;

pub(crate) fn sniff(data: &[u8]) -> Option<Format> {
    if data.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(Format::Png)
    } else if data.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(Format::Jpeg)
    } else if data.starts_with(b"GIF87a") || data.starts_with(b"GIF89a") {
        Some(Format::Gif)
    } else if data.len() >= 12 && &data[0..4] == b"RIFF" && &data[8..12] == b"WEBP" {
        Some(Format::Webp)
    } else {
        None
    }
}

/// A short name for messages: what the bytes look like when they are no raster krilla reads.
pub(crate) fn describe_unknown(data: &[u8]) -> &'static str {
    let head = &data[..data.len().min(512)];
    let text = String::from_utf8_lossy(head);
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if data.is_empty() {
        "an empty file"
    } else if trimmed.starts_with("<svg") || (trimmed.starts_with("<?xml") && text.contains("<svg"))
    {
        "an SVG image (vector images are not supported yet)"
    } else if data.len() >= 12 && &data[4..8] == b"ftyp" {
        "an AVIF/HEIF image (not supported)"
    } else if data.starts_with(b"BM") {
        "a BMP image (not supported)"
    } else if data.starts_with(b"II*\0") || data.starts_with(b"MM\0*") {
        "a TIFF image (not supported)"
    } else if trimmed.starts_with('<') {
        "an HTML or XML file, not an image"
    } else {
        "not a PNG, JPEG, GIF or WebP image"
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

/// Pixel width and height as the file's header states them, if it can be read.
pub(crate) fn dimensions(_format: Format, d: &[u8]) -> Option<(u32, u32)> {
    let size = imagesize::blob_size(d).ok()?;
    Some((
        u32::try_from(size.width).ok()?,
        u32::try_from(size.height).ok()?,
    ))
}

/// The EXIF orientation of a JPEG (1–8; 1, upright, when it has none). Cameras and phones
/// store pixels as the sensor read them and say in this tag how to turn them; browsers
/// honour it, so the blog shows the photo upright and the book must too.
pub(crate) fn jpeg_orientation(d: &[u8]) -> u8 {
    exif_orientation(d)
        .filter(|o| (1..=8).contains(o))
        .unwrap_or(1)
}

fn exif_orientation(d: &[u8]) -> Option<u8> {
    let mut at = 2;
    loop {
        if *d.get(at)? != 0xFF {
            return None;
        }
        while *d.get(at)? == 0xFF {
            at += 1;
        }
        let marker = *d.get(at)?;
        at += 1;
        match marker {
            0x01 | 0xD0..=0xD8 => continue,
            0xDA | 0xD9 => return None,
            _ => {
                let len = be16(d, at)? as usize;
                if len < 2 {
                    return None;
                }
                let body = d.get(at + 2..at + len)?;
                if marker == 0xE1 && body.starts_with(b"Exif\0\0") {
                    return tiff_orientation(&body[6..]);
                }
                at += len;
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
        assert_eq!(dimensions(Format::Png, &png), Some((640, 480)));

        let mut gif = b"GIF89a\x20\x03\x58\x02".to_vec();
        gif.resize(32, 0);
        assert_eq!(sniff(&gif), Some(Format::Gif));
        assert_eq!(dimensions(Format::Gif, &gif), Some((800, 600)));

        // SOI, an APP0 of length 4, then SOF0: length, precision, height 300, width 400.
        let jpeg = [
            0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x01,
            0x2C, 0x01, 0x90,
        ];
        assert_eq!(sniff(&jpeg), Some(Format::Jpeg));
        assert_eq!(dimensions(Format::Jpeg, &jpeg), Some((400, 300)));

        let mut webp = b"RIFF\0\0\0\0WEBPVP8X\x0a\0\0\0\0\0\0\0".to_vec();
        webp.extend_from_slice(&[0x3F, 0x01, 0x00, 0xC7, 0x00, 0x00]);
        assert_eq!(sniff(&webp), Some(Format::Webp));
        assert_eq!(dimensions(Format::Webp, &webp), Some((320, 200)));
    }

    #[test]
    fn unknown_and_truncated_files() {
        assert_eq!(sniff(b"<svg xmlns='http://www.w3.org/2000/svg'/>"), None);
        assert!(describe_unknown(b"<?xml version='1.0'?>\n<svg/>").contains("SVG"));
        assert!(describe_unknown(b"").contains("empty"));
        assert_eq!(dimensions(Format::Png, b"\x89PNG\r\n\x1a\n"), None);
        assert_eq!(dimensions(Format::Jpeg, &[0xFF, 0xD8, 0xFF]), None);
        assert_eq!(
            dimensions(Format::Jpeg, &[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x00]),
            None
        );
        assert_eq!(dimensions(Format::Webp, b"RIFF\0\0\0\0WEBPVP8X"), None);
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
