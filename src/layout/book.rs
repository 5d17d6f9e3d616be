//! The whole book on pages: front matter (half-title, title, copyright, contents with page
//! numbers), part pages and chapter openings on right-hand pages, posts, running heads and
//! folios (none on blank or opening pages), bookmarks and links.

use std::collections::BTreeSet;
use std::sync::Arc;

use rayon::prelude::*;

use super::flow::{Anchor, Flow, LineCheck, VBlock};
use super::linebreak::{Options, PunctuationStyle};
use super::page::{
    DocumentMeta, FontData, Item, Link, LinkTarget, OutlineEntry, Page, PageLabel, Pages, TextRun,
};
use super::paragraph::{self, LineBox};
use super::profile::PageProfile;
use super::text::{self, LinkRef, Style, StyledText};
use crate::collect::{Book, Chapter};
use crate::document::Document;
use crate::fonts::{FontSet, Role};

/// The typeset book and what checks and reports need.
pub struct Typeset {
    pub pages: Pages,
    /// Every line set from post text, in order.
    pub lines: Vec<LineCheck>,
    /// Per post, characters no font has.
    pub missing: Vec<(usize, BTreeSet<char>)>,
}

/// What kind of page a page is, for running heads and folios.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Normal,
    /// First page of a part, chapter or post: no running head, no folio.
    Opening,
    Blank,
}

/// A page while the body is being paginated: blocks with their y, and whose they are.
struct PageBuild {
    blocks: Vec<(f32, VBlock)>,
    kind: Kind,
    post: Option<usize>,
    /// Running head for a right-hand page (chapter or part title).
    head: String,
}

/// Lays out the book.
pub fn typeset(
    book: &Book,
    docs: &[Document],
    fonts: &FontSet,
    profile: &PageProfile,
    style: PunctuationStyle,
) -> Typeset {
    let language = book.meta.language.as_str();
    // Posts are independent: lay them out in parallel, join the columns afterwards.
    let columns: Vec<(Vec<VBlock>, BTreeSet<char>)> = book
        .posts
        .par_iter()
        .zip(docs.par_iter())
        .map(|(post, doc)| {
            let mut flow = Flow::new(fonts, profile, language, style);
            flow.post_title(&post.title, &post_meta(post));
            flow.document(doc);
            (flow.blocks, flow.missing)
        })
        .collect();
    let mut missing = Vec::new();
    let mut posts_blocks = Vec::new();
    for (i, (blocks, chars)) in columns.into_iter().enumerate() {
        if !chars.is_empty() {
            missing.push((i, chars));
        }
        posts_blocks.push(Some(blocks));
    }
    let mut body = Body::new(profile, book.posts.len());
    let mut lines = Vec::new();
    for (p, part) in book.parts.iter().enumerate() {
        let part_page = body.part_page(&part.title, p, fonts, language);
        let mut children = Vec::new();
        for &post in &part.posts {
            children.push(body.post(post, book, &mut posts_blocks, None, &part.title, &mut lines));
        }
        children.extend(body.chapters(
            &part.chapters,
            book,
            &mut posts_blocks,
            fonts,
            language,
            &mut lines,
            0,
        ));
        body.outline.push(OutlineEntry {
            title: format!("{}　{}", crate::zh::part_label(p + 1), part.title),
            page: part_page,
            y: 0.0,
            children,
        });
    }
    let front = front_matter(book, &body, fonts, profile, language);
    let pages = compose(book, front, body, fonts, profile, language);
    Typeset {
        pages,
        lines,
        missing,
    }
}

fn post_meta(post: &crate::collect::Post) -> String {
    let mut meta = crate::zh::date(post.date.date());
    if !post.tags.is_empty() {
        meta.push_str("　标签：");
        meta.push_str(&post.tags.join("、"));
    }
    meta
}

/// The body while it is paginated.
struct Body<'a> {
    pages: Vec<PageBuild>,
    /// Page index and y where each post begins.
    post_start: Vec<(usize, f32)>,
    profile: &'a PageProfile,
    outline: Vec<OutlineEntry>,
}

impl<'a> Body<'a> {
    fn new(profile: &'a PageProfile, posts: usize) -> Self {
        Body {
            pages: Vec::new(),
            post_start: vec![(0, 0.0); posts],
            profile,
            outline: Vec::new(),
        }
    }

    /// Starts a new page, on the right-hand side if `recto` (a blank page is inserted when
    /// needed). Body page n (0-based) is right-hand when n is even.
    fn new_page(&mut self, recto: bool, kind: Kind, post: Option<usize>, head: &str) {
        if recto && self.pages.len() % 2 == 1 {
            self.pages.push(PageBuild {
                blocks: Vec::new(),
                kind: Kind::Blank,
                post: None,
                head: String::new(),
            });
        }
        self.pages.push(PageBuild {
            blocks: Vec::new(),
            kind,
            post,
            head: head.to_string(),
        });
    }

    fn part_page(&mut self, title: &str, index: usize, fonts: &FontSet, language: &str) -> usize {
        self.new_page(true, Kind::Opening, None, "");
        let page = self.pages.len() - 1;
        let measure = self.profile.measure();
        let size = self.profile.font_size;
        let label = crate::zh::part_label(index + 1);
        let mut blocks = Vec::new();
        let pitch = self.profile.line_pitch;
        for (text, role, scale, y) in [
            (label.as_str(), Role::Heading, 1.1, pitch * 6.0),
            (title, Role::Heading, 2.0, pitch * 8.0),
        ] {
            let line = simple_line(fonts, text, role, size * scale, language);
            let x = (measure - line.end) / 2.0;
            let mut block = VBlock::default();
            for mut run in line.runs {
                run.x += x;
                run.y += y;
                block.items.push(Item::Text(run));
            }
            blocks.push((0.0, block));
        }
        self.pages[page].blocks = blocks;
        page
    }

    #[allow(clippy::too_many_arguments)]
    fn chapters(
        &mut self,
        chapters: &[Chapter],
        book: &Book,
        posts: &mut [Option<Vec<VBlock>>],
        fonts: &FontSet,
        language: &str,
        lines: &mut Vec<LineCheck>,
        depth: usize,
    ) -> Vec<OutlineEntry> {
        let mut entries = Vec::new();
        for (c, chapter) in chapters.iter().enumerate() {
            let label = if depth == 0 {
                crate::zh::chapter_label(c + 1)
            } else {
                String::new()
            };
            let mut opening =
                Flow::new(fonts, self.profile, language, PunctuationStyle::Compressed);
            opening.chapter_title(&label, &chapter.title);
            let start_page = self.pages.len() + usize::from(self.pages.len() % 2 == 1);
            let mut children = Vec::new();
            let mut first = true;
            for &post in &chapter.posts {
                let lead = if first {
                    Some(std::mem::take(&mut opening.blocks))
                } else {
                    None
                };
                first = false;
                children.push(self.post(post, book, posts, lead, &chapter.title, lines));
            }
            if first {
                // A chapter with only sub-chapters still opens on its own page.
                self.new_page(true, Kind::Opening, None, &chapter.title);
                let blocks = std::mem::take(&mut opening.blocks);
                self.fill(blocks, None, &chapter.title, lines);
            }
            children.extend(self.chapters(
                &chapter.chapters,
                book,
                posts,
                fonts,
                language,
                lines,
                depth + 1,
            ));
            let title = if label.is_empty() {
                chapter.title.clone()
            } else {
                format!("{label}　{}", chapter.title)
            };
            entries.push(OutlineEntry {
                title,
                page: start_page,
                y: 0.0,
                children,
            });
        }
        entries
    }

    /// Paginates one post; `lead` holds a chapter opening set above it (then the post starts
    /// on a right-hand page).
    fn post(
        &mut self,
        index: usize,
        book: &Book,
        posts: &mut [Option<Vec<VBlock>>],
        lead: Option<Vec<VBlock>>,
        head: &str,
        lines: &mut Vec<LineCheck>,
    ) -> OutlineEntry {
        let recto = lead.is_some();
        self.new_page(recto, Kind::Opening, Some(index), head);
        let page = self.pages.len() - 1;
        let mut blocks = lead.unwrap_or_default();
        let lead_height: f32 = blocks.iter().map(|b| b.height).sum();
        blocks.extend(posts[index].take().unwrap_or_default());
        self.post_start[index] = (page, lead_height);
        self.fill(blocks, Some(index), head, lines);
        OutlineEntry {
            title: book.posts[index].title.clone(),
            page,
            y: lead_height,
            children: Vec::new(),
        }
    }

    /// Places blocks on the current page and as many following pages as they need, breaking
    /// only where a block allows it.
    fn fill(
        &mut self,
        blocks: Vec<VBlock>,
        post: Option<usize>,
        head: &str,
        lines: &mut Vec<LineCheck>,
    ) {
        let capacity = self.profile.block_height() + 0.01;
        let mut current: Vec<VBlock> = Vec::new();
        let mut used = 0.0;
        for block in blocks {
            lines.extend(block.lines.iter().cloned());
            if used + block.height > capacity && !current.is_empty() {
                // Break after the last block that allows it; the rest moves to the next page.
                let split = current
                    .iter()
                    .rposition(|b| b.break_after)
                    .map_or(current.len(), |i| i + 1);
                let split = if split == 0 { current.len() } else { split };
                let carried: Vec<VBlock> = current.split_off(split);
                self.flush(std::mem::take(&mut current));
                self.new_page(false, Kind::Normal, post, head);
                // Space does not start a page.
                current = carried.into_iter().skip_while(is_space).collect();
                used = current.iter().map(|b| b.height).sum();
                if is_space(&block) && current.is_empty() {
                    continue;
                }
            }
            used += block.height;
            current.push(block);
        }
        self.flush(current);
    }

    fn flush(&mut self, blocks: Vec<VBlock>) {
        let Some(page) = self.pages.last_mut() else {
            return;
        };
        let mut y = page.blocks.last().map_or(0.0, |(y, b)| y + b.height);
        for block in blocks {
            let height = block.height;
            page.blocks.push((y, block));
            y += height;
        }
    }
}

fn is_space(block: &VBlock) -> bool {
    block.items.is_empty() && block.lines.is_empty() && block.anchor.is_none()
}

/// A single line of text, not broken, set flush left.
pub fn simple_line(fonts: &FontSet, text: &str, role: Role, size: f32, language: &str) -> LineBox {
    let mut styled = StyledText::default();
    styled.push(text, &Style::plain(role));
    let shaped = text::shape(&styled, fonts, size, language, &mut BTreeSet::new());
    let options = Options {
        measure: f32::MAX / 4.0,
        first_indent: 0.0,
        style: PunctuationStyle::Compressed,
        justify_last: false,
        ragged: true,
    };
    paragraph::set(&shaped, &options)
        .into_iter()
        .next()
        .unwrap_or_default()
}

/// A clickable area of a front-matter page (x, y, width, height) and the body page it opens.
type ContentsLink = (f32, f32, f32, f32, usize);

/// A front-matter page: its text and its links.
type FrontPage = (Vec<TextRun>, Vec<ContentsLink>);

/// Front matter pages, each a list of (x, y, runs) in text-block coordinates, plus the
/// contents entries' link targets (body page index).
struct Front {
    pages: Vec<FrontPage>,
}

fn front_matter(
    book: &Book,
    body: &Body,
    fonts: &FontSet,
    profile: &PageProfile,
    language: &str,
) -> Front {
    let meta = &book.meta;
    let measure = profile.measure();
    let size = profile.font_size;
    let pitch = profile.line_pitch;
    let centred = |text: &str, role: Role, scale: f32, y: f32| -> Vec<TextRun> {
        let line = simple_line(fonts, text, role, size * scale, language);
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
    pages.push((
        centred(&meta.title, Role::Heading, 1.6, pitch * 7.0),
        Vec::new(),
    ));
    pages.push((Vec::new(), Vec::new()));
    // Title page.
    let mut title = centred(&meta.title, Role::Heading, 2.2, pitch * 6.0);
    if let Some(subtitle) = &meta.subtitle {
        title.extend(centred(subtitle, Role::Body, 1.1, pitch * 8.0));
    }
    if let Some(author) = &meta.author {
        title.extend(centred(author, Role::Emphasis, 1.3, pitch * 14.0));
    }
    pages.push((title, Vec::new()));
    // Copyright page: at the foot of the page.
    let mut lines = vec![format!("《{}》", meta.title)];
    if let Some(author) = &meta.author {
        lines.push(format!("著者：{author}"));
    }
    if let Some(date) = meta.date {
        lines.push(format!(
            "{} 年 {} 月 {} 日",
            date.year(),
            date.month(),
            date.day()
        ));
    }
    lines.push(format!("收录文章 {} 篇", book.posts.len()));
    lines.push(format!(
        "本书由 inkstone {} 据博客原文排印",
        env!("CARGO_PKG_VERSION")
    ));
    let first = profile.lines_per_page as usize - lines.len();
    let copyright: Vec<TextRun> = lines
        .iter()
        .enumerate()
        .flat_map(|(i, text)| {
            let line = simple_line(fonts, text, Role::Body, size * 0.85, language);
            let y = pitch * (first + i) as f32 + size;
            line.runs.into_iter().map(move |mut r| {
                r.y += y;
                r
            })
        })
        .collect();
    pages.push((copyright, Vec::new()));
    pages.extend(contents_pages(body, fonts, profile, language));
    if pages.len() % 2 == 1 {
        pages.push((Vec::new(), Vec::new()));
    }
    Front { pages }
}

/// The table of contents with dot leaders and page numbers (body pages count from 1).
fn contents_pages(
    body: &Body,
    fonts: &FontSet,
    profile: &PageProfile,
    language: &str,
) -> Vec<FrontPage> {
    let size = profile.font_size;
    let pitch = profile.line_pitch;
    let measure = profile.measure();
    let mut entries = Vec::new();
    fn walk(list: &[OutlineEntry], depth: usize, out: &mut Vec<(usize, String, usize)>) {
        for e in list {
            out.push((depth, e.title.clone(), e.page));
            walk(&e.children, depth + 1, out);
        }
    }
    walk(&body.outline, 0, &mut entries);
    let per_page = profile.lines_per_page as usize - 3;
    let mut pages = Vec::new();
    for (n, chunk) in entries.chunks(per_page.max(1)).enumerate() {
        let mut runs = Vec::new();
        let mut links = Vec::new();
        let mut y0 = 0.0;
        if n == 0 {
            let heading = simple_line(fonts, "目录", Role::Heading, size * 1.45, language);
            runs.extend(heading.runs.into_iter().map(|mut r| {
                r.x += (measure - heading.end) / 2.0;
                r.y += pitch * 1.5;
                r
            }));
            y0 = pitch * 3.0;
        }
        for (k, (depth, title, page)) in chunk.iter().enumerate() {
            let y = y0 + pitch * k as f32 + (pitch + size) / 2.0;
            let role = if *depth == 0 {
                Role::Heading
            } else {
                Role::Body
            };
            let indent = size * (*depth as f32) * 1.5;
            let number = (page + 1).to_string();
            let number_line = simple_line(fonts, &number, Role::Body, size, language);
            let number_x = measure - number_line.end;
            let available = number_x - indent - size;
            let title = fit(fonts, title, role, size, language, available);
            let title_line = simple_line(fonts, &title, role, size, language);
            for mut r in title_line.runs {
                r.x += indent;
                r.y += y;
                runs.push(r);
            }
            if let Some(leader) = leader(
                fonts,
                indent + title_line.end + size * 0.5,
                number_x - size * 0.3,
                size,
                language,
            ) {
                let mut leader = leader;
                leader.y += y;
                runs.push(leader);
            }
            for mut r in number_line.runs {
                r.x += number_x;
                r.y += y;
                runs.push(r);
            }
            links.push((indent, y - size, measure - indent, size * 1.3, *page));
        }
        pages.push((runs, links));
    }
    pages
}

/// A title shortened with an ellipsis to fit `width`.
fn fit(fonts: &FontSet, title: &str, role: Role, size: f32, language: &str, width: f32) -> String {
    if simple_line(fonts, title, role, size, language).end <= width {
        return title.to_string();
    }
    let chars: Vec<char> = title.chars().collect();
    let mut keep = chars.len();
    while keep > 1 {
        keep -= 1;
        let candidate: String = chars[..keep].iter().collect::<String>() + "…";
        if simple_line(fonts, &candidate, role, size, language).end <= width {
            return candidate;
        }
    }
    title.to_string()
}

/// Dot leaders from `from` to `to`: periods every half em, aligned on a common grid so the
/// dots of all entries line up.
fn leader(fonts: &FontSet, from: f32, to: f32, size: f32, language: &str) -> Option<TextRun> {
    let step = size * 0.5;
    let start = (from / step).ceil() * step;
    let count = ((to - start) / step).floor();
    if count < 2.0 {
        return None;
    }
    let dot = simple_line(fonts, ".", Role::Body, size, language);
    let run = dot.runs.into_iter().next()?;
    let glyph = run.glyphs.first()?.clone();
    let n = count as usize;
    let mut text = String::new();
    let mut glyphs = Vec::with_capacity(n);
    for _ in 0..n {
        let at = text.len();
        text.push('.');
        glyphs.push(super::page::Glyph {
            x_advance: step,
            text: at..at + 1,
            ..glyph.clone()
        });
    }
    Some(TextRun {
        x: start,
        y: 0.0,
        gray: 0.4,
        text,
        glyphs,
        ..run
    })
}

/// Puts front matter and body on real pages: margins, running heads, folios, links.
fn compose(
    book: &Book,
    front: Front,
    body: Body,
    fonts: &FontSet,
    profile: &PageProfile,
    language: &str,
) -> Pages {
    let offset = front.pages.len();
    let mut pages = Vec::with_capacity(offset + body.pages.len());
    for (i, (runs, links)) in front.pages.into_iter().enumerate() {
        let left = profile.block_left(i.is_multiple_of(2));
        let mut page = Page {
            label: Some(PageLabel::Roman(i as u32 + 1)),
            ..Page::default()
        };
        for mut run in runs {
            run.x += left;
            run.y += profile.top;
            page.items.push(Item::Text(run));
        }
        for (x, y, w, h, target) in links {
            let target = LinkTarget::Page {
                page: target + offset,
                y: 0.0,
            };
            page.links.push(Link {
                x: x + left,
                y: y + profile.top,
                width: w,
                height: h,
                target,
            });
        }
        pages.push(page);
    }
    for (n, build) in body.pages.iter().enumerate() {
        let is_recto = (offset + n).is_multiple_of(2);
        let left = profile.block_left(is_recto);
        let mut page = Page {
            label: Some(PageLabel::Arabic(n as u32 + 1)),
            ..Page::default()
        };
        for (y, block) in &build.blocks {
            for item in &block.items {
                page.items.push(shift(item, left, profile.top + y));
            }
            for (x, ly, w, h, link) in &block.links {
                let target = match link {
                    LinkRef::Url(url) => Some(LinkTarget::Url(url.clone())),
                    LinkRef::Post(i) => body.post_start.get(*i).map(|&(p, py)| LinkTarget::Page {
                        page: p + offset,
                        y: profile.top + py,
                    }),
                    LinkRef::Footnote(k) => {
                        footnote_anchor(&body, build.post, *k).map(|(p, fy)| LinkTarget::Page {
                            page: p + offset,
                            y: profile.top + fy,
                        })
                    }
                };
                if let Some(target) = target {
                    page.links.push(Link {
                        x: x + left,
                        y: profile.top + y + ly,
                        width: *w,
                        height: *h,
                        target,
                    });
                }
            }
        }
        if build.kind == Kind::Normal {
            let head = if is_recto {
                build.head.as_str()
            } else {
                book.meta.title.as_str()
            };
            running_head(&mut page, head, left, fonts, profile, language);
            folio(&mut page, n + 1, left, fonts, profile, language);
        }
        pages.push(page);
    }
    let outline = shift_outline(body.outline, offset, profile.top);
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
        fonts: fonts
            .faces
            .iter()
            .map(|f| {
                Arc::new(FontData {
                    bytes: f.bytes.clone(),
                    index: f.index,
                })
            })
            .collect(),
        pages,
        outline,
    }
}

fn shift(item: &Item, dx: f32, dy: f32) -> Item {
    match item {
        Item::Text(run) => Item::Text(TextRun {
            x: run.x + dx,
            y: run.y + dy,
            ..run.clone()
        }),
        Item::Image(image) => Item::Image(super::page::ImageBox {
            x: image.x + dx,
            y: image.y + dy,
            ..image.clone()
        }),
        Item::Rule {
            from,
            to,
            thickness,
            gray,
        } => Item::Rule {
            from: (from.0 + dx, from.1 + dy),
            to: (to.0 + dx, to.1 + dy),
            thickness: *thickness,
            gray: *gray,
        },
        Item::Fill {
            x,
            y,
            width,
            height,
            gray,
        } => Item::Fill {
            x: x + dx,
            y: y + dy,
            width: *width,
            height: *height,
            gray: *gray,
        },
    }
}

fn footnote_anchor(body: &Body, post: Option<usize>, note: usize) -> Option<(usize, f32)> {
    let post = post?;
    body.pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.post == Some(post))
        .find_map(|(i, p)| {
            p.blocks
                .iter()
                .find(|(_, b)| b.anchor == Some(Anchor::Footnote(note)))
                .map(|(y, _)| (i, *y))
        })
}

fn shift_outline(entries: Vec<OutlineEntry>, offset: usize, top: f32) -> Vec<OutlineEntry> {
    entries
        .into_iter()
        .map(|e| OutlineEntry {
            page: e.page + offset,
            y: e.y + top,
            children: shift_outline(e.children, offset, top),
            title: e.title,
        })
        .collect()
}

fn running_head(
    page: &mut Page,
    text: &str,
    left: f32,
    fonts: &FontSet,
    profile: &PageProfile,
    language: &str,
) {
    let size = profile.font_size * 0.8;
    let line = simple_line(fonts, text, Role::Body, size, language);
    let x = left + (profile.measure() - line.end) / 2.0;
    let y = profile.top - profile.line_pitch * 0.9;
    for mut run in line.runs {
        run.x += x;
        run.y += y;
        run.gray = 0.35;
        page.items.push(Item::Text(run));
    }
    let rule_y = profile.top - profile.line_pitch * 0.55;
    page.items.push(Item::Rule {
        from: (left, rule_y),
        to: (left + profile.measure(), rule_y),
        thickness: 0.3,
        gray: 0.5,
    });
}

fn folio(
    page: &mut Page,
    number: usize,
    left: f32,
    fonts: &FontSet,
    profile: &PageProfile,
    language: &str,
) {
    let size = profile.font_size * 0.85;
    let line = simple_line(fonts, &number.to_string(), Role::Body, size, language);
    let x = left + (profile.measure() - line.end) / 2.0;
    let y = profile.top + profile.block_height() + profile.line_pitch * 1.5;
    for mut run in line.runs {
        run.x += x;
        run.y += y;
        page.items.push(Item::Text(run));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page of four lines of pitch 10.
    fn profile() -> PageProfile {
        PageProfile {
            line_pitch: 10.0,
            lines_per_page: 4,
            ..PageProfile::kai32()
        }
    }

    fn line(text: &str, break_after: bool) -> VBlock {
        let check = LineCheck {
            text: text.into(),
            end: 0.0,
            measure: 0.0,
            justified: true,
            last: false,
        };
        VBlock {
            height: 10.0,
            break_after,
            lines: vec![check],
            ..VBlock::default()
        }
    }

    /// Text of each page's lines after paginating `blocks` from a fresh page.
    fn paginate(blocks: Vec<VBlock>) -> Vec<Vec<String>> {
        let profile = profile();
        let mut body = Body::new(&profile, 0);
        body.new_page(false, Kind::Opening, None, "");
        body.fill(blocks, None, "", &mut Vec::new());
        body.pages
            .iter()
            .map(|p| {
                p.blocks
                    .iter()
                    .flat_map(|(_, b)| b.lines.iter().map(|l| l.text.clone()))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn a_page_breaks_where_a_block_allows() {
        let blocks = vec![
            line("a", true),
            line("b", true),
            line("c", true),
            line("d", true),
            line("e", true),
        ];
        assert_eq!(paginate(blocks), [vec!["a", "b", "c", "d"], vec!["e"]]);
    }

    #[test]
    fn a_paragraphs_last_line_never_starts_a_page_alone() {
        // p1 (a), then a 4-line paragraph q1–q4 whose third line may not end a page (widow).
        let blocks = vec![
            line("a", true),
            line("b", true),
            line("q1", false),
            line("q2", true),
            line("q3", false),
            line("q4", true),
        ];
        assert_eq!(
            paginate(blocks),
            [vec!["a", "b", "q1", "q2"], vec!["q3", "q4"]]
        );
    }

    #[test]
    fn a_heading_stays_with_the_next_line() {
        let blocks = vec![
            line("a", true),
            line("b", true),
            line("c", true),
            line("heading", false),
            line("d", true),
        ];
        assert_eq!(
            paginate(blocks),
            [vec!["a", "b", "c"], vec!["heading", "d"]]
        );
    }

    #[test]
    fn space_does_not_start_a_page() {
        let space = VBlock {
            height: 10.0,
            break_after: true,
            ..VBlock::default()
        };
        let blocks = vec![
            line("a", true),
            line("b", true),
            line("c", true),
            line("d", true),
            space,
            line("e", true),
        ];
        let pages = paginate(blocks);
        assert_eq!(pages, [vec!["a", "b", "c", "d"], vec!["e"]]);
    }

    #[test]
    fn parts_open_on_right_hand_pages() {
        let profile = profile();
        let mut body = Body::new(&profile, 0);
        body.new_page(false, Kind::Opening, None, "");
        body.new_page(true, Kind::Opening, None, "");
        assert_eq!(body.pages.len(), 3, "a blank left-hand page is put in");
        assert_eq!(body.pages[1].kind, Kind::Blank);
    }
}
