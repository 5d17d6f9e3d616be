//! SVG images: parsed (never run) to refuse one that runs scripts or loads anything from
//! outside itself, since the EPUB must be self-contained and readers must run nothing, and
//! to read the size it asks for.

/// Elements that run code or embed other documents; a reader must never see them.
const SVG_ACTIVE_ELEMENTS: &[&str] = &["script", "foreignObject", "iframe", "handler", "listener"];

/// Parses an SVG and refuses one that runs scripts or loads anything from outside itself
/// (the EPUB must be self-contained); returns its size in CSS pixels.
pub fn check(data: &[u8]) -> Result<(u32, u32), String> {
    let text = std::str::from_utf8(data).map_err(|_| "the SVG is not UTF-8 text".to_string())?;
    let doc = parse(text).map_err(|e| format!("the SVG is not well-formed XML ({e})"))?;
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
            let handler = key.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("on"));
            if handler && key.len() > 2 {
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
    // What passes must also be drawable: usvg (which draws it in the PDF) reads it, expanding
    // every <use>, and refuses one that grows past a million elements (a "use bomb").
    usvg::Tree::from_data(data, &drawing_options())
        .map_err(|e| format!("the SVG cannot be drawn ({e})"))?;
    Ok(svg_size(&root))
}

/// Options for reading an SVG that load nothing from outside it.
pub fn drawing_options() -> usvg::Options<'static> {
    let mut options = usvg::Options::default();
    options.image_href_resolver.resolve_string = Box::new(|_, _| None);
    options
}

/// The size of an SVG in CSS pixels, if it is well-formed XML with an `<svg>` root.
pub fn size(data: &[u8]) -> Option<(u32, u32)> {
    let doc = parse(std::str::from_utf8(data).ok()?).ok()?;
    let root = doc.root_element();
    (root.tag_name().name() == "svg").then(|| svg_size(&root))
}

fn parse(text: &str) -> Result<roxmltree::Document<'_>, roxmltree::Error> {
    // Editors write a doctype; roxmltree expands entities with limits against blow-ups.
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(text.trim_start_matches('\u{feff}'), options)
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

    #[test]
    fn svg_sizes_come_from_width_height_or_the_view_box() {
        let size = |svg: &str| check(svg.as_bytes());
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

    #[test]
    fn attribute_names_of_any_script_are_read_whole() {
        // Found by fuzzing: a name starting with a character of three bytes.
        let svg = "<svg xmlns='http://www.w3.org/2000/svg' width='12' height='6'>\
                   <rect width='12' \u{fffd}PNt='6'/></svg>";
        assert_eq!(check(svg.as_bytes()), Ok((12, 6)));
        let svg = "<svg xmlns='http://www.w3.org/2000/svg'><rect \u{fffd}n='6' oNclick='x'/></svg>";
        assert!(check(svg.as_bytes()).unwrap_err().contains("event handler"));
    }

    #[test]
    fn an_svg_that_expands_past_a_million_elements_is_refused() {
        // Eight levels of eight-fold <use>: 16 million rectangles from under 2 KB.
        let ns = "xmlns='http://www.w3.org/2000/svg' xmlns:xlink='http://www.w3.org/1999/xlink'";
        let mut svg =
            format!("<svg {ns} width='10' height='10'><defs><rect id='l0' width='1' height='1'/>");
        for level in 1..=8 {
            svg.push_str(&format!("<g id='l{level}'>"));
            for _ in 0..8 {
                svg.push_str(&format!("<use xlink:href='#l{}'/>", level - 1));
            }
            svg.push_str("</g>");
        }
        svg.push_str("</defs><use xlink:href='#l8'/></svg>");
        let error = check(svg.as_bytes()).unwrap_err();
        assert!(error.contains("cannot be drawn"), "{error}");
    }
}
