//! The printed cover (`compile --cover`): back, spine and front as one spread with bleed, in
//! the colours of the EPUB's drawn cover (a paper field, an ink band at the foot).
//!
//! The spine is as wide as the book is thick: its leaves (pages ÷ 2, rounded up) times the
//! paper's caliper. On it the title runs down, Chinese characters upright one under another
//! and Latin words turned a quarter clockwise, as Chinese spines are set; the author stands in
//! the band. A spine narrower than [`MIN_SPINE_TEXT`] carries no text. The front is the
//! book's cover image, fitted whole, or the title, subtitle and author set in the book's
//! fonts; the back carries the book's description.

use std::sync::Arc;

use super::BookLines;
use crate::cjk::is_cjk;
use crate::collect::Book;
use crate::config::{MM, PageProfile};
use crate::epub::cover::{BAND, BAND_TEXT, BAND_TOP, GREY_INK, HEIGHT, INK, PAPER, VERMILION};
use crate::fonts::{FontSet, Role};
use crate::layout::page::{ImageBox, Ink, Item, Page, Pages, TextRun};

/// The narrowest spine that carries its title.
pub const MIN_SPINE_TEXT: f32 = 5.0 * MM;

/// Margin of the text on the front and back panels.
const PANEL_MARGIN: f32 = 16.0 * MM;

/// The cover spread and its spine.
pub struct Cover {
    pub pages: Pages,
    /// The spine's width, points.
    pub spine: f32,
    /// The spine is too narrow for text.
    pub spine_blank: bool,
}

/// The book's cover image (PNG or JPEG) and its size in pixels.
pub struct CoverImage {
    pub data: Arc<Vec<u8>>,
    pub size: (u32, u32),
}

/// What the cover is made from.
pub struct CoverInput<'a> {
    pub book: &'a Book,
    pub profile: &'a PageProfile,
    /// Pages of the interior, blank ones included.
    pub pages: usize,
    /// Thickness of one leaf of the paper, mm.
    pub caliper: f32,
    pub image: Option<CoverImage>,
    /// The document of the interior, whose fonts and metadata the cover shares.
    pub interior: &'a Pages,
}

/// Lays out the cover spread.
pub fn cover(input: &CoverInput, fonts: &FontSet) -> Cover {
    let lines_of = BookLines::new(fonts, &input.book.meta.language);
    let profile = input.profile;
    let (w, h, bleed) = (profile.width, profile.height, profile.bleed);
    let spine = input.pages.div_ceil(2) as f32 * input.caliper * MM;
    let spine_blank = spine < MIN_SPINE_TEXT;
    let band_top = h * BAND_TOP as f32 / HEIGHT as f32;
    let mut page = Page::default();
    let fill = |x: f32, y: f32, width: f32, height: f32, rgb: [u8; 3]| Item::Fill {
        x,
        y,
        width,
        height,
        ink: Ink::Rgb(rgb),
    };
    // Paper and band reach the bleed on every side.
    let full = 2.0 * w + spine + 2.0 * bleed;
    page.items
        .push(fill(-bleed, -bleed, full, h + 2.0 * bleed, PAPER));
    page.items
        .push(fill(-bleed, band_top, full, h - band_top + bleed, BAND));
    let front = w + spine;
    match &input.image {
        Some(image) => page.items.push(front_image(image, front, w, h, bleed)),
        None => front_text(
            &mut page,
            input.book,
            &lines_of,
            (front, w),
            band_top,
            profile,
        ),
    }
    if !spine_blank {
        spine_text(
            &mut page,
            input.book,
            &lines_of,
            (w, spine),
            band_top,
            profile,
        );
    }
    if let Some(description) = &input.book.meta.description {
        let size = profile.font_size;
        let lines = lines_of.lines(description, Role::Body, size, w - 2.0 * PANEL_MARGIN, 0.0);
        for (i, line) in lines.into_iter().enumerate() {
            let y = 30.0 * MM + i as f32 * profile.line_pitch;
            push_runs(&mut page, line.runs, PANEL_MARGIN, y, INK);
        }
    }
    let interior = input.interior;
    let pages = Pages {
        meta: interior.meta.clone(),
        width: 2.0 * w + spine,
        height: h,
        bleed,
        marks: interior.marks,
        folds: vec![w, w + spine],
        pdfa: interior.pdfa,
        image_dpi: interior.image_dpi,
        fonts: interior.fonts.clone(),
        pages: vec![page],
        outline: Vec::new(),
    };
    Cover {
        pages,
        spine,
        spine_blank,
    }
}

/// The cover image, fitted whole into the front panel and its bleed, centred.
fn front_image(image: &CoverImage, x0: f32, w: f32, h: f32, bleed: f32) -> Item {
    let (data, size) = (&image.data, image.size);
    let (box_w, box_h) = (w + bleed, h + 2.0 * bleed);
    let (pw, ph) = (size.0.max(1) as f32, size.1.max(1) as f32);
    let scale = (box_w / pw).min(box_h / ph);
    let (iw, ih) = (pw * scale, ph * scale);
    Item::Image(ImageBox {
        name: "cover".into(),
        data: data.clone(),
        x: x0 + (box_w - iw) / 2.0,
        y: -bleed + (box_h - ih) / 2.0,
        width: iw,
        height: ih,
    })
}

/// Title, rule and subtitle in the upper third of the front; the author in the band.
fn front_text(
    page: &mut Page,
    book: &Book,
    lines_of: &BookLines,
    (x0, w): (f32, f32),
    band_top: f32,
    profile: &PageProfile,
) {
    let measure = w - 2.0 * PANEL_MARGIN;
    let meta = &book.meta;
    let centred = |page: &mut Page, text: &str, role: Role, size: f32, y: f32, rgb: [u8; 3]| {
        let mut y = y;
        for line in lines_of.lines(text, role, size, measure, 0.0) {
            let x = x0 + PANEL_MARGIN + (measure - line.end) / 2.0;
            push_runs(page, line.runs, x, y, rgb);
            y += size * 1.4;
        }
        y
    };
    let title_size = (profile.font_size * 2.6).min(measure / 8.0);
    let mut y = centred(
        page,
        &meta.title,
        Role::Heading,
        title_size,
        profile.height * 0.28,
        INK,
    );
    y += title_size * 0.2;
    page.items.push(Item::Fill {
        x: x0 + (w - 12.0 * MM) / 2.0,
        y,
        width: 12.0 * MM,
        height: 0.8,
        ink: Ink::Rgb(VERMILION),
    });
    if let Some(subtitle) = &meta.subtitle {
        let size = profile.font_size * 1.2;
        centred(page, subtitle, Role::Body, size, y + size * 2.2, GREY_INK);
    }
    if let Some(author) = &meta.author {
        let size = profile.font_size * 1.3;
        let y = band_top + (profile.height - band_top + size) / 2.0;
        centred(page, author, Role::Body, size, y, BAND_TEXT);
    }
}

/// The title down the spine from its head, the author in the band.
fn spine_text(
    page: &mut Page,
    book: &Book,
    lines_of: &BookLines,
    (x0, spine): (f32, f32),
    band_top: f32,
    profile: &PageProfile,
) {
    let centre = x0 + spine / 2.0;
    let top = 12.0 * MM;
    let room = band_top - 6.0 * MM - top;
    let mut size = (spine * 0.55).min(profile.font_size * 1.6);
    // The title shrinks until it fits above the band.
    let mut pieces = vertical(&book.meta.title, Role::Heading, size, lines_of);
    let length: f32 = pieces.iter().map(|p| p.length).sum();
    if length > room {
        size *= room / length;
        pieces = vertical(&book.meta.title, Role::Heading, size, lines_of);
    }
    set_down(page, pieces, centre, top, size, INK);
    if let Some(author) = &book.meta.author {
        let size = (spine * 0.45).min(profile.font_size * 1.1);
        let pieces = vertical(author, Role::Body, size, lines_of);
        let room = profile.height - band_top - 10.0 * MM;
        let length: f32 = pieces.iter().map(|p| p.length).sum();
        let size = if length > room {
            size * room / length
        } else {
            size
        };
        let pieces = vertical(author, Role::Body, size, lines_of);
        set_down(page, pieces, centre, band_top + 5.0 * MM, size, BAND_TEXT);
    }
}

/// A piece of vertical text: one upright Chinese character, or a Latin stretch turned.
struct Piece {
    runs: Vec<TextRun>,
    upright: bool,
    /// How far down it reaches.
    length: f32,
    /// Its width across the spine (upright characters).
    width: f32,
}

/// `text` cut into the pieces it is set in down a spine.
fn vertical(text: &str, role: Role, size: f32, lines_of: &BookLines) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut latin = String::new();
    let turned = |latin: &mut String, pieces: &mut Vec<Piece>| {
        let words = std::mem::take(latin);
        if words.trim().is_empty() {
            return;
        }
        let line = lines_of.line(words.trim(), role, size);
        pieces.push(Piece {
            length: line.end + size * 0.25,
            width: size,
            runs: line.runs,
            upright: false,
        });
    };
    for c in text.chars() {
        if is_cjk(c) {
            turned(&mut latin, &mut pieces);
            let line = lines_of.line(&c.to_string(), role, size);
            pieces.push(Piece {
                length: size * 1.08,
                width: line.end,
                runs: line.runs,
                upright: true,
            });
        } else {
            latin.push(c);
        }
    }
    turned(&mut latin, &mut pieces);
    pieces
}

/// Sets `pieces` one under another from `top`, centred on the line `x = centre`.
fn set_down(page: &mut Page, pieces: Vec<Piece>, centre: f32, top: f32, size: f32, rgb: [u8; 3]) {
    let mut y = top;
    for piece in pieces {
        if piece.upright {
            // The em box sits on the baseline, 0.88 em below its top.
            push_runs(
                page,
                piece.runs,
                centre - piece.width / 2.0,
                y + size * 0.88,
                rgb,
            );
        } else {
            // Turned clockwise, the letters' tops face right: the baseline runs down a little
            // left of the centre, so that the x-height is centred.
            for mut run in piece.runs {
                let dx = run.x;
                run.x = centre - size * 0.3;
                run.y = y + dx;
                run.ink = Ink::Rgb(rgb);
                page.items.push(Item::Sideways(run));
            }
        }
        y += piece.length;
    }
}

fn push_runs(page: &mut Page, runs: Vec<TextRun>, dx: f32, dy: f32, rgb: [u8; 3]) {
    for mut run in runs {
        run.x += dx;
        run.y += dy;
        run.ink = Ink::Rgb(rgb);
        page.items.push(Item::Text(run));
    }
}
