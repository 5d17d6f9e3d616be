//! Front matter, body and back matter on real pages: margins (mirrored for left- and right-hand pages),
//! running heads and folios (none on opening or blank pages), links and bookmarks resolved to
//! pages.

use std::collections::HashMap;
use std::sync::Arc;

use super::BookLines;
use super::back::Section;
use super::body::{Body, Destination, Kind};
use super::front::TextPage;
use crate::collect::{Book, ContentsNode};
use crate::config::{PageProfile, RunningHead};
use crate::fonts::Role;
use crate::layout::flow::Anchor;
use crate::layout::page::{
    DocumentMeta, FontData, Ink, Item, Link, LinkTarget, OutlineEntry, Page, PageLabel, Pages,
};
use crate::layout::text::LinkRef;

/// The book's pages: front matter (roman folios), then the body (arabic folios from 1), then
/// the back matter (numbered on).
pub fn compose(
    book: &Book,
    front: Vec<TextPage>,
    body: Body,
    back: Vec<Section>,
    lines_of: &BookLines,
    profile: &PageProfile,
) -> Pages {
    let offset = front.len();
    // The book as bound: its inner margin grown for its thickness.
    let back_pages: usize = back
        .iter()
        .map(|s| s.pages.len() + usize::from(s.blank_before))
        .sum();
    let profile = &profile.bound(offset + body.pages.len() + back_pages);
    let mut pages = Vec::with_capacity(offset + body.pages.len() + back_pages);
    for (i, front_page) in front.into_iter().enumerate() {
        let label = PageLabel::Roman(i as u32 + 1);
        let numbered = front_page.folio;
        let mut page = text_page(front_page, i, label, offset, profile);
        if numbered {
            let is_recto = i.is_multiple_of(2);
            let left = profile.block_left(is_recto);
            folio(
                &mut page,
                &roman(i + 1),
                (left, is_recto),
                lines_of,
                profile,
            );
        }
        pages.push(page);
    }
    let anchors = footnote_anchors(&body);
    let Body {
        pages: builds,
        post_start,
        contents,
        ..
    } = body;
    for (n, build) in builds.into_iter().enumerate() {
        let is_recto = (offset + n).is_multiple_of(2);
        let left = profile.block_left(is_recto);
        let mut page = Page {
            label: Some(PageLabel::Arabic(n as u32 + 1)),
            ..Page::default()
        };
        for placed in build.blocks {
            let (y, block) = (placed.y, placed.block);
            for mut item in block.items {
                item.shift(left, profile.top + y);
                page.items.push(item);
            }
            for area in &block.links {
                let to_page = |d: Destination| LinkTarget::Page {
                    page: d.page + offset,
                    y: profile.top + d.y,
                };
                let target = match &area.target {
                    LinkRef::Url(url) => Some(LinkTarget::Url(url.clone())),
                    LinkRef::Post(i) => post_start.get(*i).copied().map(to_page),
                    LinkRef::Footnote(k) => build
                        .post
                        .and_then(|post| anchors.get(&(post, *k)).copied())
                        .map(to_page),
                };
                if let Some(target) = target {
                    page.links.push(Link {
                        x: area.x + left,
                        y: profile.top + y + area.y,
                        width: area.width,
                        height: area.height,
                        target,
                    });
                }
            }
        }
        if build.kind == Kind::Normal {
            let heads = (build.head.as_str(), book.meta.title.as_str());
            head_and_folio(&mut page, offset + n, n + 1, heads, lines_of, profile);
        }
        pages.push(page);
    }
    for section in back {
        if section.blank_before {
            pages.push(Page {
                label: Some(PageLabel::Arabic(section.start as u32)),
                ..Page::default()
            });
        }
        for (k, text) in section.pages.into_iter().enumerate() {
            let n = section.start + k;
            let label = PageLabel::Arabic(n as u32 + 1);
            let mut page = text_page(text, offset + n, label, offset, profile);
            if k > 0 {
                let heads = (section.title, book.meta.title.as_str());
                head_and_folio(&mut page, offset + n, n + 1, heads, lines_of, profile);
            }
            pages.push(page);
        }
    }
    // Blank pages at the end, numbered on, to the page count the binding needs.
    let multiple = profile.pages_multiple.max(1) as usize;
    let mut number = pages.len() - offset;
    while !pages.len().is_multiple_of(multiple) {
        number += 1;
        pages.push(Page {
            label: Some(PageLabel::Arabic(number as u32)),
            ..Page::default()
        });
    }
    Pages {
        meta: DocumentMeta {
            title: book.meta.title.clone(),
            author: book.meta.author.clone(),
            subject: book.meta.subtitle.clone(),
            language: book.meta.language.clone(),
            date: book
                .meta
                .date
                .map(|d| d.to_datetime(jiff::civil::Time::midnight())),
        },
        width: profile.width,
        height: profile.height,
        bleed: profile.bleed,
        marks: profile.marks,
        folds: Vec::new(),
        pdfa: profile.pdfa,
        image_dpi: profile.image_dpi,
        fonts: lines_of
            .fonts
            .loaded()
            .iter()
            .map(|f| {
                Arc::new(FontData {
                    bytes: f.bytes.clone(),
                    index: f.index,
                })
            })
            .collect(),
        pages,
        outline: outline(&contents, offset, profile.top),
    }
}

/// A page of the book's own text as page `i` of the book, its links pointing `offset` pages on
/// into the body.
fn text_page(
    front: TextPage,
    i: usize,
    label: PageLabel,
    offset: usize,
    profile: &PageProfile,
) -> Page {
    let left = profile.block_left(i.is_multiple_of(2));
    let mut page = Page {
        label: Some(label),
        ..Page::default()
    };
    for mut run in front.runs {
        run.x += left;
        run.y += profile.top;
        page.items.push(Item::Text(run));
    }
    for link in front.links {
        page.links.push(Link {
            x: link.x + left,
            y: link.y + profile.top,
            width: link.width,
            height: link.height,
            target: LinkTarget::Page {
                page: link.page + offset,
                y: 0.0,
            },
        });
    }
    page
}

/// Where each footnote is set, by post and note: its first placing.
fn footnote_anchors(body: &Body) -> HashMap<(usize, usize), Destination> {
    let mut anchors = HashMap::new();
    for (i, page) in body.pages.iter().enumerate() {
        let Some(post) = page.post else { continue };
        for placed in &page.blocks {
            if let Some(Anchor::Footnote(note)) = placed.block.anchor {
                let at = Destination {
                    page: i,
                    y: placed.y,
                };
                anchors.entry((post, note)).or_insert(at);
            }
        }
    }
    anchors
}

/// The PDF's bookmarks: the contents, on the book's pages.
fn outline(contents: &[ContentsNode<Destination>], offset: usize, top: f32) -> Vec<OutlineEntry> {
    contents
        .iter()
        .map(|node| OutlineEntry {
            title: node.title.clone(),
            page: node.target.page + offset,
            y: node.target.y + top,
            children: outline(&node.children, offset, top),
        })
        .collect()
}

/// The running head and the arabic folio `number` of page `index` of the book: `heads` are
/// those of a right-hand and of a left-hand page.
fn head_and_folio(
    page: &mut Page,
    index: usize,
    number: usize,
    (recto_head, verso_head): (&str, &str),
    lines_of: &BookLines,
    profile: &PageProfile,
) {
    let is_recto = index.is_multiple_of(2);
    let left = profile.block_left(is_recto);
    let head = if is_recto { recto_head } else { verso_head };
    running_head(page, head, (left, is_recto), lines_of, profile);
    folio(
        page,
        &number.to_string(),
        (left, is_recto),
        lines_of,
        profile,
    );
}

/// Where a line `width` wide starts over or under the text block, in the profile's style.
fn head_x(left: f32, width: f32, is_recto: bool, profile: &PageProfile) -> f32 {
    match profile.running_head {
        RunningHead::Outer if is_recto => left + profile.measure() - width,
        RunningHead::Outer => left,
        RunningHead::Centred | RunningHead::None => left + (profile.measure() - width) / 2.0,
    }
}

fn running_head(
    page: &mut Page,
    text: &str,
    (left, is_recto): (f32, bool),
    lines_of: &BookLines,
    profile: &PageProfile,
) {
    if profile.running_head == RunningHead::None {
        return;
    }
    let size = profile.font_size * 0.8;
    let line = lines_of.line(text, Role::Body, size);
    let x = head_x(left, line.end, is_recto, profile);
    let y = profile.top - profile.line_pitch * 0.9;
    for mut run in line.runs {
        run.x += x;
        run.y += y;
        run.ink = Ink::Gray(0.35);
        page.items.push(Item::Text(run));
    }
    if profile.running_head == RunningHead::Outer {
        return;
    }
    let rule_y = profile.top - profile.line_pitch * 0.55;
    page.items.push(Item::Rule {
        from: (left, rule_y),
        to: (left + profile.measure(), rule_y),
        thickness: 0.3,
        gray: 0.5,
    });
}

/// `n` in lowercase roman numerals, as front matter is numbered.
fn roman(mut n: usize) -> String {
    const NUMERALS: [(usize, &str); 13] = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut text = String::new();
    for (value, numeral) in NUMERALS {
        while n >= value {
            text.push_str(numeral);
            n -= value;
        }
    }
    text
}

fn folio(
    page: &mut Page,
    number: &str,
    (left, is_recto): (f32, bool),
    lines_of: &BookLines,
    profile: &PageProfile,
) {
    let size = profile.font_size * 0.85;
    let line = lines_of.line(number, Role::Body, size);
    let x = head_x(left, line.end, is_recto, profile);
    let y = profile.top + profile.block_height() + profile.line_pitch * 1.5;
    for mut run in line.runs {
        run.x += x;
        run.y += y;
        page.items.push(Item::Text(run));
    }
}
