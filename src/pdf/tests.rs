use std::collections::HashMap;
use std::sync::Arc;

use super::*;
use crate::layout::page::{
    DocumentMeta, FontData, Glyph, ImageBox, Ink, Item, Link, LinkTarget, OutlineEntry, Page,
    PageLabel, TextRun,
};

const SERIF: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fonts/NotoSerifSC-Regular.ttf");

fn serif() -> Arc<FontData> {
    static DATA: std::sync::OnceLock<Arc<FontData>> = std::sync::OnceLock::new();
    DATA.get_or_init(|| {
        let bytes = std::fs::read(SERIF).expect("the shipped serif font");
        Arc::new(FontData {
            bytes: Arc::new(bytes),
            index: 0,
        })
    })
    .clone()
}

/// One glyph per character, from the cmap, with the font's advances (no shaping).
fn run(font: &FontData, text: &str, size: f32, x: f32, y: f32) -> TextRun {
    let shared: Arc<dyn AsRef<[u8]> + Send + Sync> = font.bytes.clone();
    let face = harfrust::Font::new(shared, font.index).expect("font");
    let charmap = face.charmap();
    let metrics = face.glyph_metrics();
    let scale = size / f32::from(face.units_per_em());
    let glyphs = text
        .char_indices()
        .map(|(i, c)| {
            let id = charmap.map_unicode(c).expect("character in the font");
            Glyph {
                id: u16::try_from(id.to_u32()).expect("16-bit glyph id"),
                x_advance: metrics.h_advance(id) * scale,
                x_offset: 0.0,
                y_offset: 0.0,
                text: i..i + c.len_utf8(),
            }
        })
        .collect();
    TextRun {
        font: 0,
        size,
        x,
        y,
        ink: Ink::BLACK,
        text: text.to_string(),
        glyphs,
    }
}

/// A tiny valid PNG (8-bit gray, `w` × `h`), with a stored (uncompressed) zlib stream.
fn png(w: u32, h: u32, corrupt_data: bool) -> Vec<u8> {
    fn crc(bytes: &[u8]) -> u32 {
        let mut c = 0xFFFF_FFFFu32;
        for &b in bytes {
            c ^= u32::from(b);
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
        }
        !c
    }
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        out.extend_from_slice(&body);
        out.extend_from_slice(&crc(&body).to_be_bytes());
    }
    let mut raw = Vec::new();
    for row in 0..h {
        raw.push(0); // filter: none
        raw.extend((0..w).map(|col| if (row + col) % 2 == 0 { 0x40 } else { 0xC0 }));
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in &raw {
        a = (a + u32::from(byte)) % 65521;
        b = (b + a) % 65521;
    }
    let mut z = vec![0x78, 0x01, 0x01];
    z.extend_from_slice(&(raw.len() as u16).to_le_bytes());
    z.extend_from_slice(&(!(raw.len() as u16)).to_le_bytes());
    z.extend_from_slice(&raw);
    z.extend_from_slice(&((b << 16) | a).to_be_bytes());
    if corrupt_data {
        // A broken zlib header: the file's header is fine, its pixels are not.
        z[0] = 0x00;
        z[1] = 0x00;
    }
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &z);
    chunk(&mut out, b"IEND", &[]);
    out
}

const MM: f32 = 72.0 / 25.4;

fn book(bleed: f32) -> Pages {
    let font = serif();
    let mut first = Page {
        label: Some(PageLabel::Roman(1)),
        ..Page::default()
    };
    first
        .items
        .push(Item::Text(run(&font, "墨石：中文排版", 20.0, 60.0, 120.0)));
    first.items.push(Item::Text(run(
        &font,
        "“引号”与 Latin 123。",
        10.5,
        60.0,
        160.0,
    )));
    first.items.push(Item::Rule {
        from: (60.0, 170.0),
        to: (300.0, 170.0),
        thickness: 0.5,
        gray: 0.0,
    });
    first.items.push(Item::Fill {
        x: 60.0,
        y: 180.0,
        width: 240.0,
        height: 30.0,
        ink: Ink::Gray(0.9),
    });
    first.items.push(Item::Image(ImageBox {
        name: "test.png".into(),
        data: Arc::new(png(4, 3, false)),
        x: 60.0,
        y: 220.0,
        width: 80.0,
        height: 60.0,
    }));
    first.links.push(Link {
        x: 60.0,
        y: 150.0,
        width: 100.0,
        height: 12.0,
        target: LinkTarget::Url("https://example.com/文章?q=a b".into()),
    });
    first.links.push(Link {
        x: 60.0,
        y: 100.0,
        width: 100.0,
        height: 24.0,
        target: LinkTarget::Page { page: 1, y: 100.0 },
    });
    let mut second = Page {
        label: Some(PageLabel::Arabic(1)),
        ..Page::default()
    };
    second
        .items
        .push(Item::Text(run(&font, "第一章　春天", 16.0, 60.0, 100.0)));
    Pages {
        meta: DocumentMeta {
            title: "墨石".into(),
            author: Some("作者".into()),
            subject: Some("测试".into()),
            language: "zh-CN".into(),
            date: Some(jiff::civil::date(2025, 10, 30).at(7, 17, 59, 0)),
        },
        width: 130.0 * MM,
        height: 184.0 * MM,
        bleed,
        marks: false,
        folds: Vec::new(),
        pdfa: false,
        image_dpi: 0.0,
        fonts: vec![font],
        pages: vec![first, second],
        outline: vec![OutlineEntry {
            title: "第一部".into(),
            page: 0,
            y: 0.0,
            children: vec![OutlineEntry {
                title: "第一章".into(),
                page: 1,
                y: 80.0,
                children: vec![],
            }],
        }],
    }
}

/// The book's bytes, reporting to a throwaway list.
fn write(pages: &Pages) -> Result<Vec<u8>, PdfError> {
    super::write(pages, &Diagnostics::new()).map(|written| written.bytes)
}

/// The book's bytes and the warnings it reported, as users see them.
fn written(pages: &Pages) -> (Vec<u8>, Vec<String>) {
    let diags = Diagnostics::new();
    let bytes = super::write(pages, &diags)
        .expect("the book is written")
        .bytes;
    let warnings = diags
        .snapshot()
        .into_iter()
        .map(|d| d.to_string())
        .collect();
    (bytes, warnings)
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// The book written with uncompressed streams, so tests can read the content and the CMap.
fn uncompressed(pages: &Pages) -> Vec<u8> {
    let mut fonts = Fonts::new(&pages.fonts);
    let images = ImageTable::new(pages);
    let mut warnings = Vec::new();
    let doc = build(
        pages,
        &mut fonts,
        &images,
        &HashMap::new(),
        &mut warnings,
        false,
    )
    .expect("build");
    doc.finish().expect("finish")
}

#[test]
fn writes_a_pdf_and_the_same_bytes_twice() {
    let pages = book(0.0);
    let a = write(&pages).expect("write");
    let b = write(&pages).expect("write again");
    assert!(a.starts_with(b"%PDF-1.7"));
    assert!(contains(&a[a.len() - 8..], "%%EOF"));
    assert_eq!(a, b, "same pages, same bytes");
    // A subset, not the 15 MB font.
    assert!(a.len() < 100_000, "{} bytes", a.len());
    assert!(contains(&a, "/FontFile2"));
    assert!(contains(&a, "/ToUnicode"));
    assert!(contains(&a, "/CIDFontType2"));
}

#[test]
fn file_ids_follow_the_content_not_the_clock() {
    let pages = book(0.0);
    let a = write(&pages).expect("write");
    let mut other = book(0.0);
    other.meta.date = Some(jiff::civil::date(2024, 1, 2).at(3, 4, 5, 0));
    let b = write(&other).expect("write");
    assert_ne!(a, b);
    assert!(contains(&a, "/CreationDate(D:20251030071759"));
    assert!(contains(&b, "/CreationDate(D:20240102030405"));
    assert!(contains(&a, "/ID["));
}

/// The numbers after `key` (e.g. `/TrimBox[`), up to four.
fn numbers_after(pdf: &[u8], key: &str) -> Vec<f32> {
    let at = pdf
        .windows(key.len())
        .position(|w| w == key.as_bytes())
        .unwrap_or_else(|| panic!("no {key}"));
    let end = (at + key.len() + 80).min(pdf.len());
    String::from_utf8_lossy(&pdf[at + key.len()..end])
        .split([']', '/', 'c'])
        .next()
        .unwrap_or("")
        .split_whitespace()
        .take(4)
        .map(|n| n.parse().expect("number"))
        .collect()
}

fn close(a: &[f32], b: &[f32]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < 0.001)
}

#[test]
fn page_boxes_with_and_without_bleed() {
    let b = 3.0 * MM;
    let (w, h) = (130.0 * MM, 184.0 * MM);
    let pdf = uncompressed(&book(b));
    let media = numbers_after(&pdf, "/MediaBox[");
    assert!(
        close(&media, &[0.0, 0.0, w + 2.0 * b, h + 2.0 * b]),
        "{media:?}"
    );
    let trim = numbers_after(&pdf, "/TrimBox[");
    assert!(close(&trim, &[b, b, w + b, h + b]), "{trim:?}");
    assert!(close(&numbers_after(&pdf, "/BleedBox["), &media));
    // Content is moved by the bleed: the y-down transform starts at (b, b + h).
    let cm = numbers_after(&pdf, "q 1 0 0 -1 ");
    assert!(close(&cm, &[b, b + h]), "{cm:?}");

    let pdf = uncompressed(&book(0.0));
    assert!(close(&numbers_after(&pdf, "/MediaBox["), &[0.0, 0.0, w, h]));
    assert!(close(&numbers_after(&pdf, "/TrimBox["), &[0.0, 0.0, w, h]));
    assert!(!contains(&pdf, "/BleedBox"));
}

#[test]
fn text_maps_back_to_unicode() {
    let pdf = uncompressed(&book(0.0));
    let text = String::from_utf8_lossy(&pdf);
    // The CMap pairs glyphs with the text they set: 墨 U+58A8, 中 U+4E2D, ： U+FF1A.
    for code in ["<58A8>", "<4E2D>", "<FF1A>", "<201C>", "<0031>"] {
        assert!(text.contains(code), "no ToUnicode entry {code}");
    }
    // Gray text fill and a text object per run.
    assert!(text.contains("BT"));
    assert!(text.contains("/Subtype/Link"));
}

/// The TJ array of the text run drawn at `at` (e.g. `"60 120 Tm["`).
fn tj_array(pdf: &[u8], at: &str) -> String {
    let start = pdf
        .windows(at.len())
        .position(|w| w == at.as_bytes())
        .unwrap_or_else(|| panic!("no run at {at}"))
        + at.len();
    let len = pdf[start..]
        .windows(3)
        .position(|w| w == b"]TJ")
        .expect("TJ");
    String::from_utf8_lossy(&pdf[start..start + len]).into_owned()
}

#[test]
fn advances_follow_the_layout() {
    // Natural advances: one string, no adjustments between the glyphs.
    let pdf = uncompressed(&book(0.0));
    let tj = tj_array(&pdf, "60 120 Tm[");
    assert_eq!(tj.matches(')').count(), 1, "{tj}");

    // A compressed colon (half width, as `halt` gives it): krilla moves the next glyph
    // back by half an em (500 thousandths of the font size).
    let mut pages = book(0.0);
    if let Item::Text(run) = &mut pages.pages[0].items[0] {
        assert_eq!(&run.text[run.glyphs[2].text.clone()], "：");
        run.glyphs[2].x_advance = 10.0;
    }
    let tj = tj_array(&uncompressed(&pages), "60 120 Tm[");
    assert!(tj.contains(")500("), "{tj}");
}

#[test]
fn links_outline_labels_and_metadata() {
    let pdf = uncompressed(&book(0.0));
    let text = String::from_utf8_lossy(&pdf);
    assert!(
        text.contains("/URI(https://example.com/%E6%96%87%E7%AB%A0?q=a%20b)"),
        "{text}"
    );
    assert!(text.contains("/XYZ"));
    assert!(text.contains("/Outlines"));
    assert!(text.contains("/Count 1"));
    assert!(text.contains("/PageLabels"));
    assert!(text.contains("/S/r/St 1"));
    assert!(text.contains("/S/D/St 1"));
    assert!(text.contains("/Lang(zh-CN)"));
    assert!(text.contains("/Producer(krilla)"));
    // Title and author are UTF-16 text strings in the info dictionary, and in XMP.
    assert!(text.contains("<dc:title>"));
    assert!(text.contains("墨石"));
    assert!(text.contains("作者"));
}

#[test]
fn an_unreadable_image_becomes_a_gray_box() {
    for data in [
        b"<svg xmlns='http://www.w3.org/2000/svg'><rect".to_vec(),
        png(2, 2, true),
        vec![],
    ] {
        let mut pages = book(0.0);
        pages.pages[1].items.push(Item::Image(ImageBox {
            name: "test.png".into(),
            data: Arc::new(data),
            x: 60.0,
            y: 200.0,
            width: 100.0,
            height: 50.0,
        }));
        let (bytes, warnings) = written(&pages);
        assert!(bytes.starts_with(b"%PDF"));
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].starts_with("PDF page 2: image test.png cannot be read (")
                && warnings[0].ends_with("); drawn as a gray box"),
            "{warnings:?}"
        );
        // The good image is still there.
        assert!(contains(&bytes, "/Subtype/Image"));
        assert_eq!(bytes, write(&pages).expect("again"));
    }
}

#[test]
fn an_svg_is_drawn_as_vectors_with_its_text_in_the_book_fonts() {
    let svg = "<svg xmlns='http://www.w3.org/2000/svg' width='200' height='100'>\
               <rect x='10' y='10' width='80' height='40' fill='#c33'/>\
               <text x='20' y='80' font-family='Helvetica' font-size='20'>图示 A</text></svg>";
    let mut pages = book(0.0);
    pages.pages[1].items.push(Item::Image(ImageBox {
        name: "figure.svg".into(),
        data: Arc::new(svg.as_bytes().to_vec()),
        x: 60.0,
        y: 200.0,
        width: 100.0,
        height: 50.0,
    }));
    let (pdf, warnings) = written(&pages);
    assert!(warnings.is_empty(), "{warnings:?}");
    let bytes = uncompressed(&pages);
    // No raster image added: the rectangle is a filled path in the page's content, red.
    let images = |b: &[u8]| b.windows(14).filter(|w| w == b"/Subtype/Image").count();
    assert_eq!(images(&bytes), images(&uncompressed(&book(0.0))));
    assert!(
        contains(&bytes, "0.8 0.2 0.2"),
        "the rectangle's fill colour"
    );
    // The text is real text, in a font the book embeds (Helvetica is not asked of the system).
    assert!(!contains(&bytes, "Helvetica"));
    assert_eq!(pdf, write(&pages).expect("again"), "same bytes twice");
}

#[test]
fn an_unreadable_image_is_reported_once() {
    let mut pages = book(0.0);
    let bad = Arc::new(png(2, 2, true));
    for (number, page) in pages.pages.iter_mut().enumerate() {
        for y in [300.0, 400.0] {
            page.items.push(Item::Image(ImageBox {
                // A name for each use, so that a second report could not hide as a repeat.
                name: format!("bad-{number}-{y}.png"),
                data: bad.clone(),
                x: 60.0,
                y,
                width: 50.0,
                height: 50.0,
            }));
        }
    }
    let (_, warnings) = written(&pages);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].starts_with("PDF page 1: image bad-0-300.png cannot be read ("),
        "{warnings:?}"
    );
}

#[test]
fn the_same_image_twice_is_embedded_once() {
    let mut pages = book(0.0);
    let data = Arc::new(png(5, 5, false));
    for page in &mut pages.pages {
        page.items.clear();
        page.items.push(Item::Image(ImageBox {
            name: "test.png".into(),
            data: data.clone(),
            x: 10.0,
            y: 10.0,
            width: 50.0,
            height: 50.0,
        }));
    }
    let pdf = write(&pages).expect("write");
    let count = pdf.windows(14).filter(|w| *w == b"/Subtype/Image").count();
    assert_eq!(count, 1);
}

#[test]
fn unnumbered_pages_and_bad_ranges_do_not_fail() {
    let mut pages = book(0.0);
    pages.pages.insert(1, Page::default());
    pages.outline[0].children[0].page = 2;
    pages.pages[0].links[1].target = LinkTarget::Page { page: 2, y: 10.0 };
    if let Item::Text(run) = &mut pages.pages[0].items[0] {
        run.glyphs[0].text = 2..1000;
        #[allow(clippy::reversed_empty_ranges)]
        {
            run.glyphs[1].text = 5..4;
        }
    }
    let (_, warnings) = written(&pages);
    assert_eq!(
        warnings,
        ["PDF page 1: text run “墨石：中文排版”: glyph text ranges outside the text were clamped"]
    );
}

#[test]
fn bad_input_is_an_error_not_a_panic() {
    let mut pages = book(0.0);
    pages.outline[0].children[0].page = 7;
    let e = write(&pages).expect_err("bookmark to a missing page");
    assert_eq!(
        e.to_string(),
        "the bookmark “第一章” points to page 8, but the book has 2 pages"
    );

    let mut pages = book(0.0);
    pages.pages[0].links[1].target = LinkTarget::Page { page: 2, y: 0.0 };
    let e = write(&pages).expect_err("link to a missing page");
    assert_eq!(
        e.to_string(),
        "a link on page 1 points to page 3, but the book has 2 pages"
    );

    let mut pages = book(0.0);
    if let Item::Text(run) = &mut pages.pages[1].items[0] {
        run.font = 3;
    }
    let e = write(&pages).expect_err("missing font");
    assert_eq!(
        e.to_string(),
        "a text run uses font 3, but there are 1 fonts"
    );

    let mut pages = book(0.0);
    if let Item::Text(run) = &mut pages.pages[1].items[0] {
        run.glyphs[0].id = u16::MAX;
    }
    let e = write(&pages).expect_err("glyph outside the font");
    assert!(
        matches!(
            e,
            PdfError::GlyphOutsideFont {
                page: 2,
                glyph: 65535,
                font: 0,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(
        e.to_string()
            .starts_with("page 2: text run “第一章　春天” uses glyph 65535 but font 0 has "),
        "{e}"
    );

    let mut pages = book(0.0);
    pages.fonts = vec![Arc::new(FontData {
        bytes: Arc::new(b"not a font".to_vec()),
        index: 0,
    })];
    let e = write(&pages).expect_err("broken font");
    assert_eq!(e.to_string(), "font 0 (face 0) cannot be read");

    let mut pages = book(0.0);
    pages.width = f32::NAN;
    let e = write(&pages).expect_err("no width");
    assert!(matches!(e, PdfError::InvalidPageSize { .. }), "{e:?}");

    let mut pages = book(0.0);
    pages.width = 20_000.0;
    let e = write(&pages).expect_err("too wide");
    assert_eq!(
        e.to_string(),
        format!(
            "page size 20000 × {} pt with bleed 0 pt exceeds the PDF limit of 14400 pt",
            pages.height
        )
    );

    let mut pages = book(0.0);
    pages.pages.clear();
    pages.outline.clear();
    let e = write(&pages).expect_err("no pages");
    assert_eq!(e.to_string(), "the book has no pages to write");

    let mut pages = book(0.0);
    if let Item::Text(run) = &mut pages.pages[1].items[0] {
        run.size = 0.0;
    }
    let e = write(&pages).expect_err("size 0");
    assert_eq!(
        e.to_string(),
        "page 2: text run “第一章　春天” has an invalid size 0 or position (60, 100)"
    );
}

#[test]
fn krilla_errors_keep_their_source() {
    use krilla::error::LimitError;
    use std::error::Error as _;

    let e = PdfError::Krilla(KrillaError::Limit(LimitError::TooLongArray));
    assert_eq!(
        e.to_string(),
        "PDF version limit exceeded: an array exceeded the maximum allowed length"
    );
    let source = e.source().expect("krilla's error is the source");
    assert_eq!(source.to_string(), e.to_string());
}

/// Writes the test books to `$PDF_DUMP` for pdffonts, pdftotext, qpdf and pdftoppm.
#[test]
#[ignore = "writes files for inspection"]
fn dump_for_inspection() {
    if let Ok(dir) = std::env::var("PDF_DUMP") {
        std::fs::write(format!("{dir}/book.pdf"), write(&book(0.0)).expect("w")).expect("io");
        std::fs::write(
            format!("{dir}/bleed.pdf"),
            write(&book(3.0 * MM)).expect("w"),
        )
        .expect("io");
        std::fs::write(format!("{dir}/plain.pdf"), uncompressed(&book(3.0 * MM))).expect("io");
    }
}

/// A 500-page book of 30 lines of 27 Han characters (plus running head and folio) per page.
/// `cargo test --release -- --ignored --nocapture five_hundred_pages`
#[test]
#[ignore = "timing; run in release"]
fn five_hundred_pages() {
    let font = serif();
    // 3 000 distinct common characters, walked in a fixed order.
    let chars: Vec<char> = ('\u{4E00}'..='\u{9FA5}').step_by(7).take(3000).collect();
    let mut next = 0usize;
    let mut pages = Vec::new();
    for p in 0..500u32 {
        let mut page = Page {
            label: if p % 20 == 0 {
                None
            } else {
                Some(PageLabel::Arabic(p + 1))
            },
            ..Page::default()
        };
        page.items.push(Item::Text(run(
            &font,
            "墨石：中文排版的书",
            9.0,
            60.0,
            40.0,
        )));
        for line in 0..30 {
            let text: String = (0..27)
                .map(|_| {
                    next = (next + 31) % chars.len();
                    chars[next]
                })
                .collect();
            let y = 70.0 + line as f32 * 15.0;
            page.items
                .push(Item::Text(run(&font, &text, 10.5, 44.0, y)));
        }
        page.items.push(Item::Text(run(
            &font,
            &(p + 1).to_string(),
            9.0,
            180.0,
            510.0,
        )));
        pages.push(page);
    }
    let book = Pages {
        meta: DocumentMeta {
            title: "五百页".into(),
            author: Some("作者".into()),
            subject: None,
            language: "zh-CN".into(),
            date: Some(jiff::civil::date(2025, 1, 1).at(0, 0, 0, 0)),
        },
        width: 130.0 * MM,
        height: 184.0 * MM,
        bleed: 3.0 * MM,
        marks: false,
        folds: Vec::new(),
        pdfa: false,
        image_dpi: 0.0,
        fonts: vec![font],
        pages,
        outline: (0..25)
            .map(|i| OutlineEntry {
                title: format!("第{i}章"),
                page: i * 20,
                y: 0.0,
                children: vec![],
            })
            .collect(),
    };
    let start = std::time::Instant::now();
    let a = write(&book).expect("write");
    let first = start.elapsed();
    let start = std::time::Instant::now();
    let b = write(&book).expect("write");
    let second = start.elapsed();
    assert_eq!(a, b);
    eprintln!(
        "500 pages: {} bytes, write {:.0} ms, again {:.0} ms",
        a.len(),
        first.as_secs_f64() * 1000.0,
        second.as_secs_f64() * 1000.0
    );
    let mut one = book.clone();
    one.pages.truncate(1);
    one.outline.truncate(1);
    let start = std::time::Instant::now();
    let small = write(&one).expect("write");
    eprintln!(
        "1 page: {} bytes, write {:.0} ms",
        small.len(),
        start.elapsed().as_secs_f64() * 1000.0
    );
    if let Ok(dir) = std::env::var("PDF_DUMP") {
        std::fs::write(format!("{dir}/500.pdf"), &a).expect("io");
    }
}

/// Draws `o1.jpg` … `o8.jpg` from `$PDF_DUMP` (one upright picture stored in the eight EXIF
/// orientations) side by side: all eight must look the same.
#[test]
#[ignore = "needs pictures made outside the tests"]
fn exif_orientations() {
    let Ok(dir) = std::env::var("PDF_DUMP") else {
        return;
    };
    let mut page = Page::default();
    for o in 1..=8u8 {
        let data = std::fs::read(format!("{dir}/o{o}.jpg")).expect("picture");
        let i = f32::from(o - 1);
        page.items.push(Item::Image(ImageBox {
            name: "test.png".into(),
            data: Arc::new(data),
            x: 20.0 + (i % 2.0) * 140.0,
            y: 20.0 + (i / 2.0).floor() * 100.0,
            width: 120.0,
            height: 80.0,
        }));
    }
    let pages = Pages {
        width: 300.0,
        height: 430.0,
        pages: vec![page],
        ..Pages::default()
    };
    std::fs::write(format!("{dir}/exif.pdf"), write(&pages).expect("write")).expect("io");
}
