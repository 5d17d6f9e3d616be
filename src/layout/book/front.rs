//! The front matter: half-title, title page, copyright page and the contents with dot leaders
//! and page numbers, in text-block coordinates; `compose` puts them on pages.

use super::BookLines;
use super::body::Destination;
use crate::collect::{Book, ContentsNode};
use crate::config::PageProfile;
use crate::fonts::Role;
use crate::layout::page::{Glyph, Ink, TextRun};

/// A clickable area of a front-matter page and the body page it opens.
pub struct ContentsLink {
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
    pub page: usize,
}

/// A front-matter page: its text and its links.
#[derive(Default)]
pub struct FrontPage {
    pub runs: Vec<TextRun>,
    pub links: Vec<ContentsLink>,
}

impl FrontPage {
    fn of(runs: Vec<TextRun>) -> Self {
        FrontPage {
            runs,
            links: Vec::new(),
        }
    }
}

/// The front matter's pages, an even number of them.
pub fn pages(
    book: &Book,
    contents: &[ContentsNode<Destination>],
    lines_of: &BookLines,
    profile: &PageProfile,
) -> Vec<FrontPage> {
    let meta = &book.meta;
    let measure = profile.measure();
    let size = profile.font_size;
    let pitch = profile.line_pitch;
    let centred = |text: &str, role: Role, scale: f32, y: f32| -> Vec<TextRun> {
        let line = lines_of.line(text, role, size * scale);
        let x = (measure - line.end) / 2.0;
        line.runs
            .into_iter()
            .map(|mut r| {
                r.x += x;
                r.y += y;
                r
            })
            .collect()
    };
    let mut pages = Vec::new();
    // Half-title, then a blank page.
    pages.push(FrontPage::of(centred(
        &meta.title,
        Role::Heading,
        1.6,
        pitch * 7.0,
    )));
    pages.push(FrontPage::default());
    // Title page.
    let mut title = centred(&meta.title, Role::Heading, 2.2, pitch * 6.0);
    if let Some(subtitle) = &meta.subtitle {
        title.extend(centred(subtitle, Role::Body, 1.1, pitch * 8.0));
    }
    if let Some(author) = &meta.author {
        title.extend(centred(author, Role::Emphasis, 1.3, pitch * 14.0));
    }
    pages.push(FrontPage::of(title));
    // Copyright page: at the foot of the page.
    let lines = book.copyright_lines();
    let first = (profile.lines_per_page as usize).saturating_sub(lines.len());
    let copyright: Vec<TextRun> = lines
        .iter()
        .enumerate()
        .flat_map(|(i, text)| {
            let line = lines_of.line(text, Role::Body, size * 0.85);
            let y = pitch * (first + i) as f32 + size;
            line.runs.into_iter().map(move |mut r| {
                r.y += y;
                r
            })
        })
        .collect();
    pages.push(FrontPage::of(copyright));
    pages.extend(contents_pages(contents, lines_of, profile));
    if pages.len() % 2 == 1 {
        pages.push(FrontPage::default());
    }
    pages
}

/// One line of the contents.
struct ContentsLine<'c> {
    depth: usize,
    title: &'c str,
    page: usize,
}

/// The table of contents with dot leaders and page numbers (body pages count from 1).
fn contents_pages(
    contents: &[ContentsNode<Destination>],
    lines_of: &BookLines,
    profile: &PageProfile,
) -> Vec<FrontPage> {
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
    let per_page = (profile.lines_per_page as usize).saturating_sub(3);
    let mut pages = Vec::new();
    for (n, chunk) in entries.chunks(per_page.max(1)).enumerate() {
        let mut page = FrontPage::default();
        let mut y0 = 0.0;
        if n == 0 {
            let heading = lines_of.line(crate::zh::CONTENTS, Role::Heading, size * 1.45);
            page.runs.extend(heading.runs.into_iter().map(|mut r| {
                r.x += (measure - heading.end) / 2.0;
                r.y += pitch * 1.5;
                r
            }));
            y0 = pitch * 3.0;
        }
        for (k, entry) in chunk.iter().enumerate() {
            let y = y0 + pitch * k as f32 + (pitch + size) / 2.0;
            let role = if entry.depth == 0 {
                Role::Heading
            } else {
                Role::Body
            };
            let indent = size * (entry.depth as f32) * 1.5;
            let number_line = lines_of.line(&(entry.page + 1).to_string(), Role::Body, size);
            let number_x = measure - number_line.end;
            let available = number_x - indent - size;
            let title = fit(lines_of, entry.title, role, size, available);
            let title_line = lines_of.line(&title, role, size);
            for mut r in title_line.runs {
                r.x += indent;
                r.y += y;
                page.runs.push(r);
            }
            let from = indent + title_line.end + size * 0.5;
            if let Some(mut leader) = leader(lines_of, from, number_x - size * 0.3, size) {
                leader.y += y;
                page.runs.push(leader);
            }
            for mut r in number_line.runs {
                r.x += number_x;
                r.y += y;
                page.runs.push(r);
            }
            page.links.push(ContentsLink {
                x: indent,
                y: y - size,
                width: measure - indent,
                height: size * 1.3,
                page: entry.page,
            });
        }
        pages.push(page);
    }
    pages
}

/// A title shortened with an ellipsis to fit `width`.
fn fit(lines_of: &BookLines, title: &str, role: Role, size: f32, width: f32) -> String {
    if lines_of.line(title, role, size).end <= width {
        return title.to_string();
    }
    let chars: Vec<char> = title.chars().collect();
    let mut keep = chars.len();
    while keep > 1 {
        keep -= 1;
        let candidate: String = chars[..keep].iter().collect::<String>() + "…";
        if lines_of.line(&candidate, role, size).end <= width {
            return candidate;
        }
    }
    title.to_string()
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
