//! Whether an image file can be put in the book: a known format, a sane size, every pixel
//! decodable (a file cut short or damaged is caught here, not in a reader), and for SVG,
//! nothing a reader would run or fetch.

use std::io::Cursor;

use image::{ImageFormat, ImageReader, Limits};

use super::format::{self, Format, MAX_PIXELS};

/// An image that can be shown: its format and size in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checked {
    pub format: Format,
    pub width: u32,
    pub height: u32,
    /// A JPEG in CMYK: printed as it is, converted to RGB for screens.
    pub cmyk: bool,
}

/// Most memory a decoder may take for one image (the pixels and its own buffers).
const MAX_DECODE_BYTES: u64 = 8 * MAX_PIXELS;

/// Checks an image file; the error says in plain words what is wrong with it.
pub fn check(data: &[u8]) -> Result<Checked, String> {
    if data.is_empty() {
        return Err("the file is empty".into());
    }
    let Some(format) = format::sniff(data) else {
        return Err(format!("it is {}", format::describe_unknown(data)));
    };
    if format == Format::Svg {
        let (width, height) = check_svg(data)?;
        return Ok(Checked {
            format,
            width,
            height,
            cmyk: false,
        });
    }
    let name = format.name();
    let (width, height) = format::dimensions(data).ok_or_else(|| {
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
    let mut cmyk = false;
    if format == Format::Jpeg {
        let facts = format::jpeg_facts(data).ok_or_else(|| {
            "its JPEG header cannot be read (the file is cut short or damaged)".to_string()
        })?;
        if !facts.complete {
            return Err("the JPEG is cut short (its image data has no end)".into());
        }
        cmyk = facts.components == 4;
    }
    decode(data, format).map_err(|e| format!("its {name} data cannot be decoded ({e})"))?;
    Ok(Checked {
        format,
        width,
        height,
        cmyk,
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

/// Elements that run code or embed other documents; a reader must never see them.
const SVG_ACTIVE_ELEMENTS: &[&str] = &["script", "foreignObject", "iframe", "handler", "listener"];

/// Parses an SVG and refuses one that runs scripts or loads anything from outside itself
/// (the EPUB must be self-contained); returns its size in CSS pixels.
fn check_svg(data: &[u8]) -> Result<(u32, u32), String> {
    let text = std::str::from_utf8(data).map_err(|_| "the SVG is not UTF-8 text".to_string())?;
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(text.trim_start_matches('\u{feff}'), options)
        .map_err(|e| format!("the SVG is not well-formed XML ({e})"))?;
    let root = doc.root_element();
    if root.tag_name().name() != "svg" {
        return Err("it is an XML file whose root is not <svg>".into());
    }
    for node in doc.descendants().filter(|n| n.is_element()) {
        let name = node.tag_name().name();
        if SVG_ACTIVE_ELEMENTS.contains(&name) {
            return Err(format!(
                "the SVG contains <{name}>, which e-readers must not run"
            ));
        }
        for attribute in node.attributes() {
            let key = attribute.name();
            if key.len() > 2 && key[..2].eq_ignore_ascii_case("on") {
                return Err(format!("the SVG has an event handler ({key}=…)"));
            }
            if key == "href" && !is_internal_reference(attribute.value()) {
                return Err(format!(
                    "the SVG refers to another file ({}); only self-contained SVG goes into the book",
                    attribute.value().chars().take(60).collect::<String>()
                ));
            }
        }
        if name == "style" && node.text().is_some_and(|css| css.contains("@import")) {
            return Err("the SVG's style sheet imports another file".into());
        }
    }
    Ok(svg_size(&root))
}

/// A reference inside the SVG itself, or an embedded raster image.
fn is_internal_reference(href: &str) -> bool {
    let href = href.trim();
    href.starts_with('#') || href.starts_with("data:image/")
}

/// The SVG's size from `width` and `height`, else its `viewBox`, else the 300 × 150 a browser
/// gives an image with no size.
fn svg_size(root: &roxmltree::Node) -> (u32, u32) {
    let view_box: Option<(f64, f64)> = root.attribute("viewBox").and_then(|v| {
        let numbers: Vec<f64> = v
            .split([' ', ',', '\t', '\n'])
            .filter(|s| !s.is_empty())
            .filter_map(|s| s.parse().ok())
            .collect();
        match numbers[..] {
            [_, _, w, h] if w > 0.0 && h > 0.0 => Some((w, h)),
            _ => None,
        }
    });
    let width = root.attribute("width").and_then(css_length);
    let height = root.attribute("height").and_then(css_length);
    let (w, h) = match (width, height, view_box) {
        (Some(w), Some(h), _) => (w, h),
        (Some(w), None, Some((vw, vh))) => (w, w * vh / vw),
        (None, Some(h), Some((vw, vh))) => (h * vw / vh, h),
        (None, None, Some(size)) => size,
        _ => (300.0, 150.0),
    };
    let clamp = |v: f64| v.round().clamp(1.0, 100_000.0) as u32;
    (clamp(w), clamp(h))
}

/// An absolute CSS length in pixels (`120`, `120px`, `2in`, `30mm`); percentages and font
/// units say nothing of the size on their own.
fn css_length(value: &str) -> Option<f64> {
    let value = value.trim();
    let split = value
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+'))
        .unwrap_or(value.len());
    let number: f64 = value[..split].parse().ok()?;
    let per_unit = match value[split..].trim() {
        "" | "px" => 1.0,
        "pt" => 96.0 / 72.0,
        "pc" => 16.0,
        "in" => 96.0,
        "cm" => 96.0 / 2.54,
        "mm" => 96.0 / 25.4,
        _ => return None,
    };
    (number > 0.0 && number.is_finite()).then_some(number * per_unit)
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
                cmyk: false
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

    #[test]
    fn empty_and_unknown_files_are_named() {
        assert_eq!(check(b""), Err("the file is empty".into()));
        assert_eq!(
            check(b"<html>404</html>"),
            Err("it is an HTML or XML file, not an image".into())
        );
    }

    #[test]
    fn svg_sizes_come_from_width_height_or_the_view_box() {
        let size = |svg: &str| check(svg.as_bytes()).map(|c| (c.width, c.height));
        let ns = "xmlns='http://www.w3.org/2000/svg'";
        assert_eq!(
            size(&format!("<svg {ns} width='200' height='100'/>")),
            Ok((200, 100))
        );
        assert_eq!(
            size(&format!("<svg {ns} width='1in' height='2in'/>")),
            Ok((96, 192))
        );
        assert_eq!(
            size(&format!("<svg {ns} viewBox='0 0 40 30'/>")),
            Ok((40, 30))
        );
        assert_eq!(
            size(&format!("<svg {ns} width='80' viewBox='0 0 40 30'/>")),
            Ok((80, 60))
        );
        assert_eq!(size(&format!("<svg {ns} width='100%'/>")), Ok((300, 150)));
    }

    #[test]
    fn scripted_or_linking_svg_is_refused() {
        let ns = "xmlns='http://www.w3.org/2000/svg' xmlns:xlink='http://www.w3.org/1999/xlink'";
        for (svg, expected) in [
            (
                format!("<svg {ns}><script>alert(1)</script></svg>"),
                "<script>",
            ),
            (
                format!("<svg {ns}><rect onclick='x()'/></svg>"),
                "event handler",
            ),
            (
                format!("<svg {ns}><foreignObject/></svg>"),
                "<foreignObject>",
            ),
            (
                format!("<svg {ns}><image xlink:href='http://example.com/a.png'/></svg>"),
                "refers to another file",
            ),
            (
                format!("<svg {ns}><style>@import url(x.css);</style></svg>"),
                "imports",
            ),
            (format!("<svg {ns}><rect>"), "not well-formed"),
        ] {
            let error = check(svg.as_bytes()).unwrap_err();
            assert!(error.contains(expected), "{svg}: {error}");
        }
        let inner = format!("<svg {ns}><defs><g id='a'/></defs><use xlink:href='#a'/></svg>");
        assert!(check(inner.as_bytes()).is_ok());
    }
}
