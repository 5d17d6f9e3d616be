//! The back matter, after the body: the index of tags (索引) in two columns, each tag followed
//! by the pages where its posts begin, and the list of posts by date (年表) with dot leaders.
//! Each section opens on a right-hand page in print and is listed in the contents.

use super::BookLines;
use super::body::Destination;
use super::front::{ContentsLink, TextPage, contents_pages, placed};
use crate::collect::{Book, ContentsNode, IndexGroup};
use crate::config::{BackMatter, PageProfile};
use crate::fonts::Role;

/// A section of the back matter and its pages.
pub struct Section {
    pub title: &'static str,
    pub pages: Vec<TextPage>,
    /// Body page index (arabic folio − 1) of its first page, counting the blank page before it.
    pub start: usize,
    /// A blank page comes before it, so that it opens on a right-hand page.
    pub blank_before: bool,
}

/// The back matter `settings` asks for, placed after the body's `body_pages` pages.
pub fn sections(
    book: &Book,
    settings: BackMatter,
    post_start: &[Destination],
    body_pages: usize,
    lines_of: &BookLines,
    profile: &PageProfile,
) -> Vec<Section> {
    let mut sections = Vec::new();
    let index = book.tag_index();
    if settings.index && !index.is_empty() {
        sections.push((
            crate::zh::INDEX,
            index_pages(&index, post_start, lines_of, profile),
        ));
    }
    if settings.chronology && !book.posts.is_empty() {
        let list = chronology(book, post_start);
        sections.push((
            crate::zh::CHRONOLOGY,
            contents_pages(crate::zh::CHRONOLOGY, &list, lines_of, profile),
        ));
    }
    let mut next = body_pages;
    sections
        .into_iter()
        .map(|(title, pages)| {
            let blank_before = profile.facing && next % 2 == 1;
            let start = next + usize::from(blank_before);
            next = start + pages.len();
            Section {
                title,
                pages,
                start,
                blank_before,
            }
        })
        .collect()
}

/// The sections as entries of the contents and the outline.
pub fn contents_entries(sections: &[Section]) -> impl Iterator<Item = ContentsNode<Destination>> {
    sections.iter().map(|section| ContentsNode {
        title: section.title.to_string(),
        target: Destination {
            page: section.start,
            y: 0.0,
        },
        children: Vec::new(),
    })
}

/// Where the next line of the index goes: which page, which column, which line of it.
struct Cursor {
    page: usize,
    column: usize,
    line: usize,
}

/// The index in two columns: a letter above each group, then its tags, each followed by the
/// page numbers where its posts begin, in page order; lines after an entry's first are
/// indented one em. Each number links to its post.
fn index_pages(
    groups: &[IndexGroup],
    post_start: &[Destination],
    lines_of: &BookLines,
    profile: &PageProfile,
) -> Vec<TextPage> {
    let size = profile.font_size;
    let pitch = profile.line_pitch;
    let gap = 2.0 * size;
    let column_width = (profile.measure() - gap) / 2.0;
    let lines_per_page = profile.lines_per_page as usize;
    // The heading takes the first three lines of the first page.
    let first_line = |page: usize| if page == 0 { 3 } else { 0 };
    let mut pages = vec![TextPage::default()];
    let mut at = Cursor {
        page: 0,
        column: 0,
        line: first_line(0),
    };
    // Moves `at` on to a column with room for `lines` lines, if a fresh column has that room.
    let make_room = |at: &mut Cursor, pages: &mut Vec<TextPage>, lines: usize| {
        let fits_fresh = lines <= lines_per_page - first_line(at.page);
        if at.line + lines > lines_per_page && fits_fresh || at.line >= lines_per_page {
            if at.column == 0 {
                at.column = 1;
            } else {
                at.column = 0;
                at.page += 1;
                pages.push(TextPage::default());
            }
            at.line = first_line(at.page);
        }
    };
    let y_of = |line: usize| pitch * line as f32 + (pitch + size) / 2.0;
    for group in groups {
        let entries: Vec<EntryLines> = group
            .entries
            .iter()
            .map(|entry| {
                let starts = entry
                    .posts
                    .iter()
                    .filter_map(|&p| post_start.get(p).copied());
                entry_lines(&entry.tag, starts, column_width, lines_of, size)
            })
            .collect();
        // A blank line, the letter, and the first entry stay together.
        let first = entries.first().map_or(0, |e| e.lines.len());
        let space = usize::from(at.line > first_line(at.page));
        make_room(&mut at, &mut pages, space + 1 + first);
        if at.line > first_line(at.page) {
            at.line += 1;
        }
        let x0 = at.column as f32 * (column_width + gap);
        let letter = lines_of.line(&group.heading, Role::Heading, size);
        pages[at.page]
            .runs
            .extend(placed(letter.runs, x0, y_of(at.line)));
        at.line += 1;
        for entry in entries {
            make_room(&mut at, &mut pages, entry.lines.len());
            for line in entry.lines {
                make_room(&mut at, &mut pages, 1);
                let x0 = at.column as f32 * (column_width + gap);
                let y = y_of(at.line);
                let page = &mut pages[at.page];
                page.runs.extend(placed(line.runs, x0, y));
                for (x, width, target) in line.links {
                    page.links.push(ContentsLink {
                        x: x0 + x,
                        y: y - size,
                        width,
                        height: size * 1.3,
                        page: target.page,
                    });
                }
                at.line += 1;
            }
        }
    }
    if let Some(first) = pages.first_mut() {
        let heading = lines_of.line(crate::zh::INDEX, Role::Heading, size * 1.45);
        let x = (profile.measure() - heading.end) / 2.0;
        first
            .runs
            .splice(0..0, placed(heading.runs, x, pitch * 1.5));
    }
    pages
}

/// An index entry set in lines of a column.
struct EntryLines {
    lines: Vec<IndexLine>,
}

/// A line of an index entry: its text, and where each page number on it is, with its post.
#[derive(Default)]
struct IndexLine {
    runs: Vec<crate::layout::page::TextRun>,
    links: Vec<(f32, f32, Destination)>,
}

/// `tag`, then an em space, then the page numbers of `starts` (each page once), separated by
/// commas, wrapped to `width` with a hanging indent of one em.
fn entry_lines(
    tag: &str,
    starts: impl Iterator<Item = Destination>,
    width: f32,
    lines_of: &BookLines,
    size: f32,
) -> EntryLines {
    let mut starts: Vec<Destination> = starts.collect();
    starts.sort_by_key(|d| d.page);
    starts.dedup_by_key(|d| d.page);
    let mut lines: Vec<IndexLine> = Vec::new();
    let mut x = 0.0;
    for line in lines_of.lines(tag, Role::Body, size, width, size) {
        x = line.end;
        lines.push(IndexLine {
            runs: line.runs,
            links: Vec::new(),
        });
    }
    let separator = lines_of.line(",", Role::Body, size);
    x += size;
    for (k, start) in starts.iter().enumerate() {
        let number = lines_of.line(&(start.page + 1).to_string(), Role::Body, size);
        let last = k + 1 == starts.len();
        let needed = number.end + if last { 0.0 } else { separator.end };
        if x + needed > width && x > size {
            lines.push(IndexLine::default());
            x = size;
        }
        let Some(line) = lines.last_mut() else {
            break;
        };
        line.links.push((x, number.end, *start));
        line.runs.extend(placed(number.runs, x, 0.0));
        x += number.end;
        if !last {
            line.runs.extend(placed(separator.runs.clone(), x, 0.0));
            x += separator.end + size * 0.25;
        }
    }
    EntryLines { lines }
}

/// The posts by date, under their years, each with the page it begins on.
fn chronology(book: &Book, post_start: &[Destination]) -> Vec<ContentsNode<Destination>> {
    let mut posts: Vec<usize> = (0..book.posts.len()).collect();
    posts.sort_by_key(|&p| (book.posts[p].date.timestamp(), p));
    let mut years: Vec<ContentsNode<Destination>> = Vec::new();
    for p in posts {
        let post = &book.posts[p];
        let Some(&target) = post_start.get(p) else {
            continue;
        };
        let year = crate::zh::year(post.date.year());
        let node = ContentsNode {
            title: format!("{}　{}", crate::zh::month_day(post.date.date()), post.title),
            target,
            children: Vec::new(),
        };
        match years.last_mut() {
            Some(last) if last.title == year => last.children.push(node),
            _ => years.push(ContentsNode {
                title: year,
                target,
                children: vec![node],
            }),
        }
    }
    years
}
