//! Pagination of the body: part pages and chapter openings on right-hand pages, each post's
//! column of blocks placed page after page, breaking only where a block allows it, in the
//! order of the book plan.

use super::{BookLines, Column};
use crate::collect::{Book, ContentsNode, Division, Entry};
use crate::config::PageProfile;
use crate::fonts::Role;
use crate::layout::flow::{LineCheck, VBlock};
use crate::layout::page::Item;

/// What kind of page a page is, for running heads and folios.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Normal,
    /// First page of a part, chapter or post: no running head, no folio.
    Opening,
    Blank,
}

/// Where a contents entry, bookmark or link goes: a body page and a y on it (from the top of
/// the text block).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Destination {
    pub page: usize,
    pub y: f32,
}

/// A block placed on a page, `y` from the top of the text block.
pub struct Placed {
    pub y: f32,
    pub block: VBlock,
}

/// A page while the body is being paginated: its blocks, and whose they are.
pub struct PageBuild {
    pub blocks: Vec<Placed>,
    pub kind: Kind,
    /// The post the page belongs to (`None` for part pages and blank pages).
    pub post: Option<usize>,
    /// Running head for a right-hand page (chapter or part title).
    pub head: String,
}

/// Whether a new page must be a right-hand one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Recto,
    Next,
}

/// The paginated body.
pub struct Body {
    pub pages: Vec<PageBuild>,
    /// Where each post begins, by post index.
    pub post_start: Vec<Destination>,
    /// The contents, each entry with where it begins.
    pub contents: Vec<ContentsNode<Destination>>,
    /// Every line set from post text, in order.
    pub lines: Vec<LineCheck>,
}

/// Places the posts' columns on pages, with a page for each part and an opening above each
/// chapter's first post.
pub fn paginate(
    book: &Book,
    columns: Vec<Column>,
    lines_of: &BookLines,
    profile: &PageProfile,
) -> Body {
    let mut pager = Pager::new(profile, book.posts.len());
    let mut columns: Vec<Option<Vec<VBlock>>> =
        columns.into_iter().map(|c| Some(c.blocks)).collect();
    let mut targets = Vec::new();
    // A chapter opening waiting to be set above the chapter's first post.
    let mut lead: Option<Vec<VBlock>> = None;
    for placed in book.entries() {
        let target = match placed.entry {
            Entry::Division(division) if division.level == crate::collect::Level::Part => {
                pager.part_page(division, lines_of)
            }
            Entry::Division(division) => {
                let mut flow = lines_of.flow(profile);
                flow.chapter_title(&division.label, &division.title);
                lines_of.absorb(std::mem::take(&mut flow.missing));
                if division.posts.is_empty() {
                    // A chapter with only sub-chapters still opens on its own page.
                    pager.new_page(Side::Recto, Kind::Opening, None, &division.title);
                    pager.fill(flow.blocks, None, &division.title);
                    pager.here()
                } else {
                    lead = Some(flow.blocks);
                    pager.next_recto()
                }
            }
            Entry::Post(post) => {
                let head = placed.parent.map_or("", |d| d.title.as_str());
                let blocks = columns[post.index].take().unwrap_or_default();
                pager.post(post.index, blocks, lead.take(), head)
            }
        };
        targets.push(target);
    }
    Body {
        contents: book.contents(targets),
        pages: pager.pages,
        post_start: pager.post_start,
        lines: pager.lines,
    }
}

/// The body while it is paginated.
struct Pager<'a> {
    pages: Vec<PageBuild>,
    post_start: Vec<Destination>,
    lines: Vec<LineCheck>,
    profile: &'a PageProfile,
}

impl<'a> Pager<'a> {
    fn new(profile: &'a PageProfile, posts: usize) -> Self {
        Pager {
            pages: Vec::new(),
            post_start: vec![Destination { page: 0, y: 0.0 }; posts],
            lines: Vec::new(),
            profile,
        }
    }

    /// The top of the current page.
    fn here(&self) -> Destination {
        Destination {
            page: self.pages.len().saturating_sub(1),
            y: 0.0,
        }
    }

    /// The top of the page a right-hand opening would start on now.
    fn next_recto(&self) -> Destination {
        let len = self.pages.len();
        Destination {
            page: len + usize::from(self.profile.facing && len % 2 == 1),
            y: 0.0,
        }
    }

    /// Starts a new page, a right-hand one for `Side::Recto` (a blank page is put in when
    /// needed). Body page n (0-based) is right-hand when n is even.
    fn new_page(&mut self, side: Side, kind: Kind, post: Option<usize>, head: &str) {
        if side == Side::Recto && self.profile.facing && self.pages.len() % 2 == 1 {
            self.push_blank();
        }
        self.pages.push(PageBuild {
            blocks: Vec::new(),
            kind,
            post,
            head: head.to_string(),
        });
    }

    fn push_blank(&mut self) {
        self.pages.push(PageBuild {
            blocks: Vec::new(),
            kind: Kind::Blank,
            post: None,
            head: String::new(),
        });
    }

    /// A part's own page: its label and title, centred, on a right-hand page with a blank back.
    fn part_page(&mut self, division: &Division, lines_of: &BookLines) -> Destination {
        self.new_page(Side::Recto, Kind::Opening, None, "");
        let measure = self.profile.measure();
        let size = self.profile.font_size;
        let pitch = self.profile.line_pitch;
        let mut blocks = Vec::new();
        for (text, scale, y) in [
            (division.label.as_str(), 1.1, pitch * 6.0),
            (division.title.as_str(), 2.0, pitch * 8.0),
        ] {
            let line = lines_of.line(text, Role::Heading, size * scale);
            let x = (measure - line.end) / 2.0;
            let mut block = VBlock::default();
            for mut run in line.runs {
                run.x += x;
                run.y += y;
                block.items.push(Item::Text(run));
            }
            blocks.push(Placed { y: 0.0, block });
        }
        let here = self.here();
        self.pages[here.page].blocks = blocks;
        // The back of a printed part page stays blank, whatever follows.
        if self.profile.facing {
            self.push_blank();
        }
        here
    }

    /// Paginates one post; `lead` holds a chapter opening set above it (then the post starts
    /// on a right-hand page). Returns where the post's own text begins.
    fn post(
        &mut self,
        index: usize,
        column: Vec<VBlock>,
        lead: Option<Vec<VBlock>>,
        head: &str,
    ) -> Destination {
        let side = if lead.is_some() {
            Side::Recto
        } else {
            Side::Next
        };
        self.new_page(side, Kind::Opening, Some(index), head);
        let mut blocks = lead.unwrap_or_default();
        let lead_height: f32 = blocks.iter().map(|b| b.height).sum();
        blocks.extend(column);
        let start = Destination {
            page: self.pages.len() - 1,
            y: lead_height,
        };
        self.post_start[index] = start;
        self.fill(blocks, Some(index), head);
        start
    }

    /// Places blocks on the current page and as many following pages as they need, breaking
    /// only where a block allows it.
    fn fill(&mut self, blocks: Vec<VBlock>, post: Option<usize>, head: &str) {
        let capacity = self.profile.block_height() + 0.01;
        let mut current: Vec<VBlock> = Vec::new();
        let mut used = 0.0;
        for block in blocks {
            self.lines.extend(block.lines.iter().cloned());
            if used + block.height > capacity && !current.is_empty() {
                // Break after the last block that allows it; the rest moves to the next page.
                let split = current
                    .iter()
                    .rposition(|b| b.break_after)
                    .map_or(current.len(), |i| i + 1);
                let split = if split == 0 { current.len() } else { split };
                let carried: Vec<VBlock> = current.split_off(split);
                self.flush(std::mem::take(&mut current));
                self.new_page(Side::Next, Kind::Normal, post, head);
                // Space does not start a page.
                current = carried.into_iter().skip_while(is_space).collect();
                used = current.iter().map(|b| b.height).sum();
                if is_space(&block) && current.is_empty() {
                    continue;
                }
                // A table going on from the page before starts with its header again.
                let header = current.first().unwrap_or(&block).repeat.clone();
                if let Some(header) = header {
                    current.splice(0..0, header.iter().cloned());
                }
                used = current.iter().map(|b| b.height).sum();
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
        let mut y = page.blocks.last().map_or(0.0, |p| p.y + p.block.height);
        for block in blocks {
            let height = block.height;
            page.blocks.push(Placed { y, block });
            y += height;
        }
    }
}

fn is_space(block: &VBlock) -> bool {
    block.items.is_empty() && block.lines.is_empty() && block.anchor.is_none()
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
            ..LineCheck::default()
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
        let mut pager = Pager::new(&profile, 0);
        pager.new_page(Side::Next, Kind::Opening, None, "");
        pager.fill(blocks, None, "");
        pager
            .pages
            .iter()
            .map(|p| {
                p.blocks
                    .iter()
                    .flat_map(|p| p.block.lines.iter().map(|l| l.text.clone()))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn a_table_going_on_to_the_next_page_starts_it_with_its_header() {
        let header = std::sync::Arc::new(vec![line("表头", false)]);
        let row = |text: &str| VBlock {
            repeat: Some(header.clone()),
            ..line(text, true)
        };
        let blocks = vec![
            line("段", true),
            line("表头", false),
            row("行1"),
            row("行2"),
            row("行3"),
            row("行4"),
            line("后", true),
        ];
        assert_eq!(
            paginate(blocks),
            [
                vec!["段", "表头", "行1", "行2"],
                vec!["表头", "行3", "行4", "后"]
            ]
        );
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
            line("f", true),
            line("g", true),
            line("h", true),
            line("i", true),
        ];
        let pages = paginate(blocks);
        assert_eq!(
            pages,
            [
                vec!["a", "b", "c", "d"],
                vec!["e", "f", "g", "h"],
                vec!["i"]
            ],
            "the page after the space is full"
        );
    }

    #[test]
    fn parts_open_on_right_hand_pages() {
        let profile = profile();
        let mut pager = Pager::new(&profile, 0);
        pager.new_page(Side::Next, Kind::Opening, None, "");
        pager.new_page(Side::Recto, Kind::Opening, None, "");
        assert_eq!(pager.pages.len(), 3, "a blank left-hand page is put in");
        assert_eq!(pager.pages[1].kind, Kind::Blank);
    }
}
