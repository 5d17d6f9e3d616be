//! The front matter: half-title, title page, copyright page and the contents with dot leaders
//! and page numbers, in text-block coordinates; `compose` puts them on pages.

use super::BookLines;
use super::body::Destination;
use crate::collect::{Book, ContentsNode};
use crate::config::PageProfile;
use crate::fonts::Role;
use crate::layout::page::{Glyph, Ink, TextRun};
use crate::layout::paragraph::LineBox;

/// A clickable area of a page of the book's own (contents, index) and the body page it opens.
pub struct ContentsLink {
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
    pub page: usize,
}

/// A page of the book's own, front or back matter: its text and its links, in text-block
/// coordinates.
#[derive(Default)]
pub struct TextPage {
    pub runs: Vec<TextRun>,
    pub links: Vec<ContentsLink>,
    /// Carries a folio (pages after the first of the contents, the index, the chronology).
    pub folio: bool,
}

impl TextPage {
    pub(super) fn of(runs: Vec<TextRun>) -> Self {
        TextPage {
            runs,
            links: Vec::new(),
            folio: false,
        }
    }
}

/// The front matter's pages, an even number of them in print.
pub fn pages(
    book: &Book,
    contents: &[ContentsNode<Destination>],
    lines_of: &BookLines,
    profile: &PageProfile,
) -> Vec<TextPage> {
    let meta = &book.meta;
    let measure = profile.measure();
    let size = profile.font_size;
    let pitch = profile.line_pitch;
    let centred = |text: &str, role: Role, scale: f32, y: f32| -> Vec<TextRun> {
        let line = lines_of.line(text, role, size * scale);
        placed(line.runs, (measure - line.end) / 2.0, y).collect()
    };
    let mut pages = Vec::new();
    // Half-title, then (in print) a blank page.
    pages.push(TextPage::of(centred(
        &meta.title,
        Role::Heading,
        1.6,
        pitch * 7.0,
    )));
    if profile.facing {
        pages.push(TextPage::default());
    }
    // Title page.
    let mut title = centred(&meta.title, Role::Heading, 2.2, pitch * 6.0);
    if let Some(subtitle) = &meta.subtitle {
        title.extend(centred(subtitle, Role::Body, 1.1, pitch * 8.0));
    }
    if let Some(author) = &meta.author {
        title.extend(centred(author, Role::Emphasis, 1.3, pitch * 14.0));
    }
    pages.push(TextPage::of(title));
    // Copyright page: at the foot of the page.
    let lines = book.copyright_lines();
    let first = (profile.lines_per_page as usize).saturating_sub(lines.len());
    let copyright: Vec<TextRun> = lines
        .iter()
        .enumerate()
        .flat_map(|(i, text)| {
            let line = lines_of.line(text, Role::Body, size * 0.85);
            placed(line.runs, 0.0, pitch * (first + i) as f32 + size)
        })
        .collect();
    pages.push(TextPage::of(copyright));
    // The contents' pages are numbered in roman, but for its opening page.
    let mut contents = contents_pages(crate::zh::CONTENTS, contents, lines_of, profile);
    for page in contents.iter_mut().skip(1) {
        page.folio = true;
    }
    pages.extend(contents);
    if profile.facing && pages.len() % 2 == 1 {
        pages.push(TextPage::default());
    }
    pages
}

/// One line of the contents.
struct ContentsLine<'c> {
    depth: usize,
    title: &'c str,
    page: usize,
}

/// A list with dot leaders and page numbers under `heading` (body pages count from 1): the
/// table of contents, and the chronology at the back.
pub(super) fn contents_pages(
    heading: &str,
    contents: &[ContentsNode<Destination>],
    lines_of: &BookLines,
    profile: &PageProfile,
) -> Vec<TextPage> {
    let size = profile.font_size;
    let pitch = profile.line_pitch;
    let measure = profile.measure();
    fn walk<'c>(
        nodes: &'c [ContentsNode<Destination>],
        depth: usize,
        out: &mut Vec<ContentsLine<'c>>,
    ) {
        for node in nodes {
            out.push(ContentsLine {
                depth,
                title: &node.title,
                page: node.target.page,
            });
            walk(&node.children, depth + 1, out);
        }
    }
    let mut entries = Vec::new();
    walk(contents, 0, &mut entries);
    // The page numbers stand in a column of their own at the right: titles wrap before it.
    let numbers: Vec<LineBox> = entries
        .iter()
        .map(|e| lines_of.line(&(e.page + 1).to_string(), Role::Body, size))
        .collect();
    let widest_number = numbers.iter().map(|n| n.end).fold(0.0, f32::max);
    let text_end = measure - widest_number - size;
    let per_page = (profile.lines_per_page as usize).saturating_sub(3).max(1);
    let mut pages: Vec<TextPage> = Vec::new();
    let mut used = per_page;
    for (entry, number_line) in entries.iter().zip(numbers) {
        let role = if entry.depth == 0 {
            Role::Heading
        } else {
            Role::Body
        };
        let indent = size * (entry.depth as f32) * 1.5;
        let mut lines = lines_of.lines(entry.title, role, size, text_end - indent, size);
        let count = lines.len().max(1);
        if used + count > per_page && used > 0 {
            pages.push(TextPage::default());
            used = 0;
        }
        let y0 = if pages.len() == 1 { pitch * 3.0 } else { 0.0 };
        let Some(page) = pages.last_mut() else {
            continue;
        };
        let y_of = |k: usize| y0 + pitch * k as f32 + (pitch + size) / 2.0;
        let first_y = y_of(used);
        for line in &mut lines {
            line.shift(indent);
        }
        let last_end = lines.last().map_or(indent, |l| trimmed_end(l, size));
        for (k, line) in lines.into_iter().enumerate() {
            page.runs.extend(placed(line.runs, 0.0, y_of(used + k)));
        }
        let y = y_of(used + count - 1);
        let number_x = measure - number_line.end;
        if let Some(mut leader) =
            leader(lines_of, last_end + size * 0.5, number_x - size * 0.3, size)
        {
            leader.y += y;
            page.runs.push(leader);
        }
        page.runs.extend(placed(number_line.runs, number_x, y));
        page.links.push(ContentsLink {
            x: indent,
            y: first_y - size,
            width: measure - indent,
            height: y - first_y + size * 1.3,
            page: entry.page,
        });
        used += count;
    }
    if let Some(first) = pages.first_mut() {
        let heading = lines_of.line(heading, Role::Heading, size * 1.45);
        let x = (measure - heading.end) / 2.0;
        first
            .runs
            .splice(0..0, placed(heading.runs, x, pitch * 1.5));
    }
    pages
}

/// `runs` moved `dx` right and `dy` down.
pub(super) fn placed(runs: Vec<TextRun>, dx: f32, dy: f32) -> impl Iterator<Item = TextRun> {
    runs.into_iter().map(move |mut r| {
        r.x += dx;
        r.y += dy;
        r
    })
}

/// Where the ink of a contents line ends: a closing mark's blank half (the right half of 》
/// or ）) is no gap before the leaders.
fn trimmed_end(line: &LineBox, size: f32) -> f32 {
    let blank = line
        .text
        .trim_end()
        .chars()
        .next_back()
        .map_or(0.0, |c| crate::cjk::class_of(c).blank().1);
    line.end - blank * size
}

/// Dot leaders from `from` to `to`: periods every half em, aligned on a common grid so the
/// dots of all entries line up.
fn leader(lines_of: &BookLines, from: f32, to: f32, size: f32) -> Option<TextRun> {
    let step = size * 0.5;
    let start = (from / step).ceil() * step;
    let count = ((to - start) / step).floor();
    if count < 2.0 {
        return None;
    }
    let dot = lines_of.line(".", Role::Body, size);
    let run = dot.runs.into_iter().next()?;
    let glyph = run.glyphs.first()?.clone();
    let n = count as usize;
    let mut text = String::new();
    let mut glyphs = Vec::with_capacity(n);
    for _ in 0..n {
        let at = text.len();
        text.push('.');
        glyphs.push(Glyph {
            x_advance: step,
            text: at..at + 1,
            ..glyph.clone()
        });
    }
    Some(TextRun {
        x: start,
        y: 0.0,
        ink: Ink::Gray(0.4),
        text,
        glyphs,
        ..run
    })
}
