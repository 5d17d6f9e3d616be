//! Generated cover image for books that name no cover of their own.
//!
//! E-readers show the cover in the library view and Apple Books/Kindle need one to look like a
//! book, so when `book.toml` gives no image inkstone draws a calm typographic cover: a warm paper
//! field with a deep ink band at the foot, the title large in the heading sans and centred in the
//! upper third, a thin vermilion rule, the subtitle smaller in the body serif, and the author in
//! the band. The PNG is 1600×2560 (the 1:1.6 portrait that Kindle and Apple Books recommend).
//!
//! Text is rasterised with `fontdue`, which has no shaping or kerning: that is fine for a few
//! CJK lines set one glyph per character, and it is never used for body layout. Loading a whole
//! CJK face into fontdue costs about a second and 500 MB, so each font is first cut down with
//! [`subset_for_epub`] to the characters on the cover, which makes loading take milliseconds.
//!
//! Line breaking follows the cover's needs, not the full clreq engine: a line may break between
//! any two CJK characters and at spaces between Latin words; closing marks and stops never start
//! a line, opening marks never end one, `——` and `……` stay whole; an over-long Latin word
//! breaks anywhere. Lines are balanced (as CSS `text-wrap: balance`), and the title shrinks until
//! it fits in three lines. When no subtitle is given and the title has a full-width colon
//! (`砚边集：一个人的写作与阅读笔记`), the part after the colon is set as the subtitle, as a
//! designer would.
//!
//! Same input, same bytes: no clock, no randomness, no hash-order dependence.

use std::collections::BTreeSet;
use std::io::Cursor;

use fontdue::{Font, FontSettings};
use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::{ExtendedColorType, ImageEncoder, Rgb, RgbImage};

use crate::cjk::{class_of, is_cjk, is_han};
use crate::fonts::subset::subset_for_epub;

/// The words printed on a generated cover.
pub struct CoverText<'a> {
    /// Book title; long titles wrap onto several lines.
    pub title: &'a str,
    /// Optional subtitle, set smaller under the rule.
    pub subtitle: Option<&'a str>,
    /// Optional author line, set in the band at the foot.
    pub author: Option<&'a str>,
}

/// The cover could not be drawn (a font could not be subset or read, or PNG encoding failed).
#[derive(Debug, thiserror::Error)]
#[error("cannot draw the cover: {0}")]
pub struct CoverError(pub String);

/// A drawn cover: the PNG, and the characters of its text that its fonts lack (drawn as
/// nothing).
#[derive(Debug, Clone)]
pub struct Cover {
    pub png: Vec<u8>,
    pub missing: BTreeSet<char>,
}

/// Cover width in pixels.
pub const WIDTH: u32 = 1600;
/// Cover height in pixels.
pub const HEIGHT: u32 = 2560;

// The cover's colours, which the printed cover (`layout::book::cover`) shares.
pub const PAPER: [u8; 3] = [0xF1, 0xEC, 0xE2];
pub const INK: [u8; 3] = [0x1F, 0x2A, 0x33];
pub const GREY_INK: [u8; 3] = [0x55, 0x5E, 0x66];
pub const VERMILION: [u8; 3] = [0xA8, 0x3A, 0x2C];
pub const BAND: [u8; 3] = [0x23, 0x37, 0x47];
pub const BAND_TEXT: [u8; 3] = [0xEC, 0xE5, 0xD6];

/// Top of the ink band at the foot of the cover.
pub const BAND_TOP: u32 = 2150;
/// Horizontal space for the title; the subtitle gets a little less.
const TITLE_MEASURE: f32 = 1240.0;
const SUBTITLE_MEASURE: f32 = 1120.0;
const AUTHOR_MEASURE: f32 = 1240.0;
/// Lowest baseline for title and subtitle lines, well clear of the band.
const LAST_BASELINE: f32 = BAND_TOP as f32 - 160.0;
/// Centre of the title block, in the upper third.
const TITLE_CENTRE_Y: f32 = 760.0;

/// A mark that may not begin a line (`—` and `…` too, so `——` and `……` stay whole and never
/// start a line), by the same classes as the book's pages.
fn no_line_start(c: char) -> bool {
    !class_of(c).may_start_line()
}

/// A mark that may not end a line.
fn no_line_end(c: char) -> bool {
    !class_of(c).may_end_line()
}

/// Draws the cover and returns it as PNG bytes.
///
/// `heading_font` sets the title (inkstone passes Noto Sans SC Bold), `body_font` the subtitle
/// and author (Noto Serif SC Regular); both are TTF/OTF bytes, face 0.
pub fn render_cover(
    text: &CoverText,
    heading_font: &[u8],
    body_font: &[u8],
) -> Result<Cover, CoverError> {
    let (title, subtitle) = split_title(text.title.trim(), text.subtitle);
    let author = text.author.map(str::trim).filter(|a| !a.is_empty());

    let heading = load_subset(heading_font, title.chars(), 196.0)?;
    let body_chars = subtitle
        .unwrap_or("")
        .chars()
        .chain(author.unwrap_or("").chars());
    let body = load_subset(body_font, body_chars.clone(), 64.0)?;
    let mut missing = lacking(&heading, title.chars());
    missing.extend(lacking(&body, body_chars));

    let mut img = RgbImage::from_pixel(WIDTH, HEIGHT, Rgb(PAPER));
    fill_rect(&mut img, 0, BAND_TOP, WIDTH, HEIGHT - BAND_TOP, BAND);

    // Title: large, balanced, at most three lines (shrinking until it fits).
    // Short titles (a few characters, the usual 文集 name) are set larger and more open.
    let short = title.chars().filter(|c| !c.is_whitespace()).count() <= 4;
    let (px, track) = if short { (196.0, 0.2) } else { (160.0, 0.1) };
    let (px, title_lines) = fit_lines(&heading, title, px, track, TITLE_MEASURE, 3, 72.0);
    let title_leading = px * 1.32;
    let block = title_leading * (title_lines.len().max(1) as f32 - 1.0) + px;
    let mut baseline = (TITLE_CENTRE_Y - block / 2.0 + px * 0.88).max(300.0);
    for line in &title_lines {
        if baseline > LAST_BASELINE {
            break; // absurdly long titles are cut rather than run into the band
        }
        draw_line(&mut img, &heading, line, px, track, baseline, INK);
        baseline += title_leading;
    }
    let title_bottom = baseline - title_leading + px * 0.12;

    // Thin vermilion rule.
    let rule_y = (title_bottom + px * 0.62).round() as u32;
    fill_rect(&mut img, (WIDTH - 140) / 2, rule_y, 140, 4, VERMILION);

    // Subtitle: smaller serif, grey ink.
    if let Some(sub) = subtitle {
        let (spx, lines) = fit_lines(&body, sub, 64.0, 0.1, SUBTITLE_MEASURE, 3, 36.0);
        let mut baseline = rule_y as f32 + 4.0 + spx * 1.55;
        for line in &lines {
            if baseline > LAST_BASELINE {
                break;
            }
            draw_line(&mut img, &body, line, spx, 0.1, baseline, GREY_INK);
            baseline += spx * 1.6;
        }
    }

    // Author, letter-spaced, in the band at the foot.
    if let Some(author) = author {
        let (apx, lines) = fit_lines(&body, author, 58.0, 0.3, AUTHOR_MEASURE, 2, 32.0);
        let leading = apx * 1.5;
        let band_mid = (BAND_TOP + HEIGHT) as f32 / 2.0;
        let block = leading * (lines.len().max(1) as f32 - 1.0) + apx;
        let mut baseline = band_mid - block / 2.0 + apx * 0.88;
        for line in &lines {
            draw_line(&mut img, &body, line, apx, 0.3, baseline, BAND_TEXT);
            baseline += leading;
        }
    }

    Ok(Cover {
        png: encode_png(&img)?,
        missing,
    })
}

/// The characters of `text` (white space aside) that `font` has no glyph for.
fn lacking(font: &Font, text: impl Iterator<Item = char>) -> BTreeSet<char> {
    text.filter(|c| !c.is_whitespace() && font.lookup_glyph_index(*c) == 0)
        .collect()
}

/// Splits `主标题：副标题` into title and subtitle when no subtitle was given.
fn split_title<'a>(title: &'a str, subtitle: Option<&'a str>) -> (&'a str, Option<&'a str>) {
    let subtitle = subtitle.map(str::trim).filter(|s| !s.is_empty());
    if subtitle.is_some() {
        return (title, subtitle);
    }
    if let Some((main, rest)) = title.split_once('：') {
        let (main, rest) = (main.trim(), rest.trim());
        if !main.is_empty() && !rest.is_empty() {
            return (main, Some(rest));
        }
    }
    (title, None)
}

/// Subsets `font` to `chars` and loads the subset into fontdue.
fn load_subset(
    font: &[u8],
    chars: impl Iterator<Item = char>,
    scale: f32,
) -> Result<Font, CoverError> {
    // The space is kept for its advance; other white space is never drawn.
    let chars = chars.filter(|c| !c.is_whitespace()).chain([' ']).collect();
    let bytes = subset_for_epub(font, 0, &chars).map_err(|e| CoverError(e.to_string()))?;
    let settings = FontSettings {
        scale,
        ..FontSettings::default()
    };
    Font::from_bytes(bytes, settings).map_err(|e| CoverError(format!("font: {e}")))
}

/// One unbreakable piece of a line: a CJK character (with any marks glued to it), a Latin
/// word, or a dash or ellipsis pair.
#[derive(Debug, Clone)]
struct Atom {
    text: String,
    /// A space separated it from the previous atom (drawn only inside a line).
    space_before: bool,
}

/// Cuts text into atoms, gluing marks so that no line starts with a closing mark or ends with
/// an opening one.
fn atoms(text: &str) -> Vec<Atom> {
    let mut out: Vec<Atom> = Vec::new();
    let mut space = false;
    let mut prev: Option<char> = None;
    for c in text.chars() {
        if c.is_whitespace() {
            space = true;
            prev = None;
            continue;
        }
        let glue = match (out.last(), prev) {
            (Some(last), Some(p)) => {
                let last_char = last.text.chars().next_back().unwrap_or(' ');
                no_line_start(c) || no_line_end(last_char) || (!is_cjk(c) && !is_cjk(p))
            }
            // After a space only an opening mark before it could glue, and spaces break.
            _ => false,
        };
        match out.last_mut() {
            Some(last) if glue => last.text.push(c),
            _ => out.push(Atom {
                text: c.to_string(),
                space_before: space && !out.is_empty(),
            }),
        }
        space = false;
        prev = Some(c);
    }
    out
}

/// Space to put between characters `p` and `c` (after the advance of `p`).
///
/// `tracking` (in em) opens the space between two Han characters only; Latin and punctuation
/// keep their own spacing. Between a Han character and a Latin letter or digit goes a quarter
/// em (clreq), whether or not the text has a space there; a space between two CJK characters
/// is set one em wide (a full-width space, as in `林间　著`); other spaces take the font's.
fn gap(p: char, c: char, spaced: bool, px: f32, tracking: f32, space: f32) -> f32 {
    let latin = |c: char| c.is_alphanumeric() && !is_cjk(c);
    if (is_han(p) && latin(c)) || (latin(p) && is_han(c)) {
        px * 0.25
    } else if spaced && is_cjk(p) && is_cjk(c) {
        px
    } else if spaced {
        space
    } else if is_han(p) && is_han(c) {
        tracking * px
    } else {
        0.0
    }
}

/// Width of the font's space at `px` (a quarter em at least).
fn space_width(font: &Font, px: f32) -> f32 {
    font.metrics(' ', px).advance_width.max(px * 0.25)
}

/// Pen positions of the characters of `s` set at `px`, and the width of the run (see [`gap`]).
/// Characters the font lacks are left out.
fn place(font: &Font, s: &str, px: f32, tracking: f32) -> (Vec<(char, f32)>, f32) {
    let space = space_width(font, px);
    let mut out = Vec::new();
    let mut x = 0.0_f32;
    let mut prev: Option<char> = None;
    let mut spaced = false;
    for c in s.chars() {
        if c.is_whitespace() {
            spaced = true;
            continue;
        }
        if font.lookup_glyph_index(c) == 0 {
            continue;
        }
        if let Some(p) = prev {
            x += gap(p, c, spaced, px, tracking, space);
        }
        out.push((c, x));
        x += font.metrics(c, px).advance_width;
        prev = Some(c);
        spaced = false;
    }
    (out, x)
}

/// Breaks `text` at size `px`, shrinking by 10% steps while it takes more than `max_lines`
/// lines (down to `min_px`, below which it may take more). Returns the size used and the lines.
fn fit_lines(
    font: &Font,
    text: &str,
    mut px: f32,
    tracking: f32,
    measure: f32,
    max_lines: usize,
    min_px: f32,
) -> (f32, Vec<String>) {
    let mut lines = break_lines(font, text, px, tracking, measure);
    while lines.len() > max_lines && px * 0.9 >= min_px {
        px *= 0.9;
        lines = break_lines(font, text, px, tracking, measure);
    }
    (px, lines)
}

/// Joins atoms into the text of one line.
fn join(atoms: &[Atom]) -> String {
    let mut line = String::new();
    for (i, atom) in atoms.iter().enumerate() {
        if i > 0 && atom.space_before {
            line.push(' ');
        }
        line.push_str(&atom.text);
    }
    line
}

/// Breaks `text` into lines no wider than `measure`: as few lines as fit, then the break points
/// that make the lines most even, preferring breaks after punctuation or at spaces.
fn break_lines(font: &Font, text: &str, px: f32, tracking: f32, measure: f32) -> Vec<String> {
    // Atoms wider than the measure (long URLs, words) are cut into single characters.
    let mut pieces: Vec<Atom> = Vec::new();
    for atom in atoms(text) {
        if place(font, &atom.text, px, tracking).1 <= measure {
            pieces.push(atom);
        } else {
            for (i, c) in atom.text.chars().enumerate() {
                let space_before = i == 0 && atom.space_before;
                pieces.push(Atom {
                    text: c.to_string(),
                    space_before,
                });
            }
        }
    }
    let n = pieces.len();
    if n == 0 {
        return Vec::new();
    }
    // Line widths from prefix sums: own width of each atom, and the gap before it.
    let space = space_width(font, px);
    let drawn = |a: &Atom| -> Vec<char> {
        a.text
            .chars()
            .filter(|&c| font.lookup_glyph_index(c) != 0)
            .collect()
    };
    let mut own = vec![0.0_f32; n + 1]; // own[k] = sum of atom widths before k
    let mut gaps = vec![0.0_f32; n + 1]; // gaps[k] = sum of gaps before atoms 1..k
    let mut last: Option<char> = None;
    for (k, atom) in pieces.iter().enumerate() {
        let chars = drawn(atom);
        own[k + 1] = own[k] + place(font, &atom.text, px, tracking).1;
        let g = match (last, chars.first()) {
            (Some(p), Some(&c)) => gap(p, c, atom.space_before, px, tracking, space),
            _ => 0.0,
        };
        gaps[k + 1] = gaps[k] + g;
        if let Some(&c) = chars.last() {
            last = Some(c);
        }
    }
    // Atoms i..j on one line: their widths plus the gaps between them (not the one before i).
    let width = |i: usize, j: usize| own[j] - own[i] + gaps[j] - gaps[i + 1];
    let fits = |i: usize, j: usize| j == i + 1 || width(i, j) <= measure + 0.01;
    // Fewest lines: greedy.
    let mut count = 0;
    let mut i = 0;
    while i < n {
        let mut j = i + 1;
        while j < n && fits(i, j + 1) {
            j += 1;
        }
        count += 1;
        i = j;
    }
    // Most even break points for exactly `count` lines (a small dynamic programme).
    let target = width(0, n) / count as f32;
    let good_break = |j: usize| {
        pieces[j].space_before
            || pieces[j - 1]
                .text
                .chars()
                .next_back()
                .is_some_and(no_line_start)
    };
    let penalty = (px * 2.0).powi(2);
    let mut best = vec![vec![f32::INFINITY; n + 1]; count + 1];
    let mut from = vec![vec![0usize; n + 1]; count + 1];
    best[0][0] = 0.0;
    for k in 1..=count {
        for j in k..=n {
            // Candidate line starts, nearest first, while the line still fits.
            for i in (k - 1..j).rev() {
                if !fits(i, j) {
                    break;
                }
                if !best[k - 1][i].is_finite() {
                    continue;
                }
                let mut cost = best[k - 1][i] + (target - width(i, j)).powi(2);
                if j < n && !good_break(j) {
                    cost += penalty;
                }
                if cost < best[k][j] {
                    best[k][j] = cost;
                    from[k][j] = i;
                }
            }
        }
    }
    let mut bounds = Vec::with_capacity(count);
    let mut j = n;
    for k in (1..=count).rev() {
        let i = from[k][j];
        bounds.push((i, j));
        j = i;
    }
    bounds.reverse();
    bounds
        .into_iter()
        .map(|(a, b)| join(&pieces[a..b]))
        .collect()
}

/// Draws one line centred on the cover with its baseline at `baseline`. The blank part of a
/// full-width mark at either end (half of an opening or closing mark or a stop, a quarter of a
/// middle dot) is left out of the centring, so the ink is centred.
fn draw_line(
    img: &mut RgbImage,
    font: &Font,
    line: &str,
    px: f32,
    tracking: f32,
    baseline: f32,
    color: [u8; 3],
) {
    let (glyphs, mut visual) = place(font, line, px, tracking);
    // Blank parts in em: the left one of the first mark, the right one of the last.
    let (blank_left, _) = glyphs
        .first()
        .map_or((0.0, 0.0), |&(c, _)| class_of(c).blank());
    let (_, blank_right) = glyphs
        .last()
        .map_or((0.0, 0.0), |&(c, _)| class_of(c).blank());
    visual -= blank_left * px;
    visual -= blank_right * px;
    let shift = blank_left * px;
    let origin = (WIDTH as f32 - visual) / 2.0 - shift;
    for (c, x) in glyphs {
        let (m, coverage) = font.rasterize(c, px);
        let left = (origin + x + m.xmin as f32).round() as i64;
        let top = (baseline - m.ymin as f32 - m.height as f32).round() as i64;
        blend(img, left, top, m.width, &coverage, color);
    }
}

/// Paints `color` through an 8-bit coverage mask whose top-left corner is at (`left`, `top`).
fn blend(img: &mut RgbImage, left: i64, top: i64, w: usize, coverage: &[u8], color: [u8; 3]) {
    if w == 0 {
        return;
    }
    for (row, cells) in coverage.chunks(w).enumerate() {
        let y = top + row as i64;
        let Ok(y) = u32::try_from(y) else { continue };
        if y >= img.height() {
            continue;
        }
        for (col, &a) in cells.iter().enumerate() {
            let Ok(x) = u32::try_from(left + col as i64) else {
                continue;
            };
            if x >= img.width() || a == 0 {
                continue;
            }
            let px = img.get_pixel_mut(x, y);
            let a = u32::from(a);
            for (channel, &fg) in px.0.iter_mut().zip(&color) {
                let (bg, fg) = (u32::from(*channel), u32::from(fg));
                *channel = ((fg * a + bg * (255 - a) + 127) / 255) as u8;
            }
        }
    }
}

fn fill_rect(img: &mut RgbImage, x: u32, y: u32, w: u32, h: u32, color: [u8; 3]) {
    for yy in y..(y + h).min(img.height()) {
        for xx in x..(x + w).min(img.width()) {
            img.put_pixel(xx, yy, Rgb(color));
        }
    }
}

fn encode_png(img: &RgbImage) -> Result<Vec<u8>, CoverError> {
    let mut out = Cursor::new(Vec::new());
    PngEncoder::new_with_quality(&mut out, CompressionType::Default, FilterType::Adaptive)
        .write_image(
            img.as_raw(),
            img.width(),
            img.height(),
            ExtendedColorType::Rgb8,
        )
        .map_err(|e| CoverError(format!("PNG: {e}")))?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SANS_BOLD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fonts/NotoSansSC-Bold.ttf");
    const SERIF: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fonts/NotoSerifSC-Regular.ttf");

    fn fonts() -> (Vec<u8>, Vec<u8>) {
        let read = |p: &str| std::fs::read(p).unwrap_or_else(|e| panic!("{p}: {e}"));
        (read(SANS_BOLD), read(SERIF))
    }

    fn png_size(png: &[u8]) -> (u32, u32) {
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
        let be = |i: usize| u32::from_be_bytes([png[i], png[i + 1], png[i + 2], png[i + 3]]);
        (be(16), be(20))
    }

    #[test]
    fn cover_is_1600_by_2560_and_deterministic() {
        let (h, b) = fonts();
        let text = CoverText {
            title: "砚边集：一个人的写作与阅读笔记",
            subtitle: None,
            author: Some("林间"),
        };
        let one = render_cover(&text, &h, &b).expect("cover").png;
        let two = render_cover(&text, &h, &b).expect("cover").png;
        assert_eq!(png_size(&one), (WIDTH, HEIGHT));
        assert_eq!(one, two, "same input must give the same bytes");
        let img = image::load_from_memory(&one).expect("decodes").to_rgb8();
        // Ink was drawn in the title area and the author area.
        let inked = |y0: u32, y1: u32, bg: [u8; 3]| {
            (y0..y1).any(|y| (0..WIDTH).any(|x| img.get_pixel(x, y).0 != bg))
        };
        assert!(inked(450, 1100, PAPER));
        assert!(inked(BAND_TOP + 40, HEIGHT - 40, BAND));
    }

    #[test]
    fn long_title_wraps_and_everything_stays_on_the_cover() {
        let (h, b) = fonts();
        let text = CoverText {
            title: "在城市与山野之间来回行走的十年：关于写作、阅读、旅行与日常生活的长篇随笔与札记合集",
            subtitle: Some("Notes on Writing, Reading and Walking, 2015–2025"),
            author: Some("林间 著"),
        };
        let png = render_cover(&text, &h, &b).expect("cover").png;
        assert_eq!(png_size(&png), (WIDTH, HEIGHT));
        let img = image::load_from_memory(&png).expect("decodes").to_rgb8();
        let plain = |y0: u32, y1: u32, bg: [u8; 3]| {
            (y0..y1).all(|y| (0..WIDTH).all(|x| img.get_pixel(x, y).0 == bg))
        };
        assert!(
            plain(BAND_TOP - 60, BAND_TOP, PAPER),
            "text ran into the band"
        );
        assert!(
            plain(BAND_TOP, BAND_TOP + 60, BAND),
            "text ran into the band"
        );
        assert!(plain(0, 200, PAPER), "text ran off the top");
    }

    #[test]
    fn a_thousand_character_title_still_gives_a_clean_cover() {
        let (h, b) = fonts();
        let title = "永和九年岁在癸丑暮春之初会于会稽山阴之兰亭修禊事也".repeat(40);
        let text = CoverText {
            title: &title,
            subtitle: None,
            author: None,
        };
        let png = render_cover(&text, &h, &b).expect("cover").png;
        let img = image::load_from_memory(&png).expect("decodes").to_rgb8();
        let band_clean =
            (BAND_TOP..HEIGHT).all(|y| (0..WIDTH).all(|x| img.get_pixel(x, y).0 == BAND));
        assert!(band_clean);
    }

    #[test]
    fn long_title_shrinks_to_three_balanced_lines() {
        let (h, _) = fonts();
        let title = "在城市与山野之间来回行走的十年关于写作阅读旅行与日常生活的长篇随笔与札记合集";
        let font = load_subset(&h, title.chars(), 160.0).expect("font");
        let (px, lines) = fit_lines(&font, title, 160.0, 0.1, TITLE_MEASURE, 3, 72.0);
        assert!(px < 160.0, "shrunk");
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert_eq!(lines.concat(), title);
        let counts: Vec<usize> = lines.iter().map(|l| l.chars().count()).collect();
        assert!(
            counts.iter().max().unwrap_or(&0) - counts.iter().min().unwrap_or(&0) <= 1,
            "{counts:?}"
        );
    }

    #[test]
    fn colon_splits_title_from_subtitle() {
        assert_eq!(
            split_title("砚边集：一个人的写作与阅读笔记", None),
            ("砚边集", Some("一个人的写作与阅读笔记"))
        );
        assert_eq!(split_title("砚边集：", None), ("砚边集：", None));
        assert_eq!(split_title("甲：乙", Some("丙")), ("甲：乙", Some("丙")));
    }

    #[test]
    fn lines_never_start_with_closing_marks_or_end_with_opening_ones() {
        let (h, _) = fonts();
        let chars = "一二三四五六七八九十，。《》“”！？".chars().collect();
        let font = Font::from_bytes(
            subset_for_epub(&h, 0, &chars).expect("subset"),
            FontSettings::default(),
        )
        .expect("font");
        let text = "一二三四，五六七八。《九十》一二“三四”五六！七八九？十一";
        for measure in [150.0, 250.0, 330.0, 420.0, 500.0] {
            let lines = break_lines(&font, text, 40.0, 0.0, measure);
            assert_eq!(lines.concat(), text, "no character lost at {measure}");
            for line in &lines {
                if line.chars().count() > 1 {
                    assert!(
                        place(&font, line, 40.0, 0.0).1 <= measure + 0.5,
                        "{line} too wide"
                    );
                }
                let first = line.chars().next().unwrap_or(' ');
                let last = line.chars().next_back().unwrap_or(' ');
                assert!(!"，。、；：！？）》」』”’".contains(first), "{lines:?}");
                assert!(!"（《「『“‘".contains(last), "{lines:?}");
            }
        }
    }

    #[test]
    fn latin_words_break_only_at_spaces() {
        let atoms = atoms("Hexo 博客 to EPUB");
        let texts: Vec<&str> = atoms.iter().map(|a| a.text.as_str()).collect();
        assert_eq!(texts, ["Hexo", "博", "客", "to", "EPUB"]);
        assert!(atoms[1].space_before && atoms[3].space_before && !atoms[2].space_before);
        let dash: Vec<String> = super::atoms("甲——乙……")
            .into_iter()
            .map(|a| a.text)
            .collect();
        assert_eq!(dash, ["甲——", "乙……"]);
    }
}
