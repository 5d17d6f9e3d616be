//! The book plan every back end draws: divisions (parts, chapters and the chapters below them)
//! holding posts, walked depth first in reading order.
//!
//! A back end never recurses over divisions by itself: it takes `Book::entries()` in order, and
//! builds its contents tree with `Book::contents`, handing in one target (a file, a page) per
//! entry. What a division is called in print comes from `zh`.

use super::{Book, Post};

/// How deep a division sits: parts at the top, chapters below them, then sub-chapters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// A top-level category (or a year): 第一部.
    Part,
    /// A second-level category (or a month): 第一章, numbered within its part.
    Chapter,
    /// Deeper categories: titled, not numbered; `depth` 2 is the first level below chapters.
    SubChapter { depth: usize },
}

impl Level {
    /// 0 for parts, 1 for chapters, 2 and more below.
    pub fn depth(self) -> usize {
        match self {
            Level::Part => 0,
            Level::Chapter => 1,
            Level::SubChapter { depth } => depth,
        }
    }

    /// What a division at this level, `number` among its siblings, is labelled: `第一部`,
    /// `第三章`; divisions below chapters are titled only, so their label is empty.
    pub fn label(self, number: usize) -> String {
        match self {
            Level::Part => crate::zh::part_label(number),
            Level::Chapter => crate::zh::chapter_label(number),
            Level::SubChapter { .. } => String::new(),
        }
    }

    pub fn from_depth(depth: usize) -> Self {
        match depth {
            0 => Level::Part,
            1 => Level::Chapter,
            depth => Level::SubChapter { depth },
        }
    }
}

/// A part or chapter: a category (or a year or month) and what is filed under it.
#[derive(Debug, Clone, PartialEq)]
pub struct Division {
    pub level: Level,
    /// Position among its siblings, from 1.
    pub number: usize,
    /// `第一部`, `第二章`; empty below chapters.
    pub label: String,
    pub title: String,
    /// Posts filed directly under the division, before its children (indices into
    /// `Book::posts`).
    pub posts: Vec<usize>,
    pub children: Vec<Division>,
}

impl Division {
    /// The title as contents and bookmarks show it: `第一部　写作`, or the bare title of an
    /// unnumbered division.
    pub fn heading(&self) -> String {
        crate::zh::division_heading(&self.label, &self.title)
    }

    /// Posts filed under the division and every division below it.
    pub fn post_count(&self) -> usize {
        self.posts.len()
            + self
                .children
                .iter()
                .map(Division::post_count)
                .sum::<usize>()
    }
}

/// One stop of the walk through the book.
#[derive(Debug, Clone, Copy)]
pub enum Entry<'b> {
    Division(&'b Division),
    Post(&'b Post),
}

impl Entry<'_> {
    /// What contents and bookmarks call this entry.
    pub fn heading(&self) -> String {
        match self {
            Entry::Division(division) => division.heading(),
            Entry::Post(post) => post.title.clone(),
        }
    }
}

/// An entry with its place in the tree: `depth` 0 for parts, and one more for each division
/// above it (a post directly in a part has depth 1).
#[derive(Debug, Clone, Copy)]
pub struct Placed<'b> {
    pub depth: usize,
    pub entry: Entry<'b>,
    /// The nearest division around the entry (a division's own parent), `None` at the top.
    pub parent: Option<&'b Division>,
}

/// A node of a back end's contents: the heading `Book::contents` gave it and the target the
/// back end handed in for it.
#[derive(Debug, Clone, PartialEq)]
pub struct ContentsNode<T> {
    pub title: String,
    pub target: T,
    pub children: Vec<ContentsNode<T>>,
}

impl Book {
    /// Every division and post, depth first in reading order: a division, its own posts, then
    /// its children.
    pub fn entries(&self) -> Vec<Placed<'_>> {
        fn walk<'b>(
            book: &'b Book,
            division: &'b Division,
            parent: Option<&'b Division>,
            depth: usize,
            out: &mut Vec<Placed<'b>>,
        ) {
            out.push(Placed {
                depth,
                entry: Entry::Division(division),
                parent,
            });
            for &post in &division.posts {
                out.push(Placed {
                    depth: depth + 1,
                    entry: Entry::Post(&book.posts[post]),
                    parent: Some(division),
                });
            }
            for child in &division.children {
                walk(book, child, Some(division), depth + 1, out);
            }
        }
        let mut out = Vec::with_capacity(self.posts.len() + self.divisions.len());
        for division in &self.divisions {
            walk(self, division, None, 0, &mut out);
        }
        out
    }

    /// The contents tree, one node per entry of `entries()`, each with the next of `targets`
    /// (which must yield one target per entry, in the same order).
    pub fn contents<T>(&self, targets: impl IntoIterator<Item = T>) -> Vec<ContentsNode<T>> {
        let mut roots: Vec<ContentsNode<T>> = Vec::new();
        for (placed, target) in self.entries().into_iter().zip(targets) {
            let node = ContentsNode {
                title: placed.entry.heading(),
                target,
                children: Vec::new(),
            };
            let mut siblings = &mut roots;
            for _ in 0..placed.depth {
                let Some(last) = siblings.len().checked_sub(1) else {
                    break;
                };
                siblings = &mut siblings[last].children;
            }
            siblings.push(node);
        }
        roots
    }

    /// Every division, depth first.
    pub fn divisions(&self) -> impl Iterator<Item = &Division> {
        self.entries().into_iter().filter_map(|p| match p.entry {
            Entry::Division(d) => Some(d),
            Entry::Post(_) => None,
        })
    }

    /// Number of divisions at `level`.
    pub fn count(&self, level: Level) -> usize {
        self.divisions().filter(|d| d.level == level).count()
    }

    /// The copyright page's lines (see `zh::copyright_lines`).
    pub fn copyright_lines(&self) -> Vec<String> {
        let years = self.posts.iter().map(|p| p.date.year());
        let span = years.clone().min().zip(years.max());
        crate::zh::copyright_lines(&self.meta, span, self.posts.len())
    }

    /// Chapters at every level below the parts.
    pub fn chapter_count(&self) -> usize {
        self.divisions().filter(|d| d.level != Level::Part).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn division(level: Level, title: &str, posts: Vec<usize>, children: Vec<Division>) -> Division {
        Division {
            level,
            number: 1,
            label: String::new(),
            title: title.into(),
            posts,
            children,
        }
    }

    fn book(divisions: Vec<Division>, posts: usize) -> Book {
        let post = |i: usize| Post {
            index: i,
            path: format!("p{i}.md").into(),
            slug: format!("p{i}"),
            title: format!("post {i}"),
            date: jiff::Timestamp::UNIX_EPOCH
                .in_tz("UTC")
                .unwrap_or_else(|e| panic!("{e}")),
            updated: None,
            tags: Vec::new(),
            category: Vec::new(),
            categories: Vec::new(),
            abbrlink: None,
            url_path: String::new(),
            text: String::new(),
            body: 0..0,
            body_line: 1,
            asset_dir: None,
            is_draft: false,
            math: false,
            language: None,
        };
        Book {
            meta: crate::config::BookMeta::default(),
            divisions,
            posts: (0..posts).map(post).collect(),
            blog_root: ".".into(),
            site: crate::config::Site::default(),
            config_files: Vec::new(),
            left_out: 0,
            omitted: Vec::new(),
        }
    }

    fn sample() -> Book {
        // A ▸ (post 0, chapter B ▸ (post 1, sub-chapter C ▸ post 2)), D ▸ post 3
        let c = division(Level::SubChapter { depth: 2 }, "C", vec![2], vec![]);
        let b = division(Level::Chapter, "B", vec![1], vec![c]);
        let a = division(Level::Part, "A", vec![0], vec![b]);
        let d = division(Level::Part, "D", vec![3], vec![]);
        book(vec![a, d], 4)
    }

    #[test]
    fn entries_walk_divisions_then_their_posts_then_children() {
        let book = sample();
        let walk: Vec<(usize, String)> = book
            .entries()
            .iter()
            .map(|p| (p.depth, p.entry.heading()))
            .collect();
        let expected = [
            (0, "A"),
            (1, "post 0"),
            (1, "B"),
            (2, "post 1"),
            (2, "C"),
            (3, "post 2"),
            (0, "D"),
            (1, "post 3"),
        ];
        let expected: Vec<(usize, String)> =
            expected.iter().map(|(d, t)| (*d, t.to_string())).collect();
        assert_eq!(walk, expected);
    }

    /// The tree as lines: indented by depth, title and target.
    fn lines(nodes: &[ContentsNode<usize>], depth: usize, out: &mut Vec<String>) {
        for node in nodes {
            out.push(format!(
                "{}{}@{}",
                "  ".repeat(depth),
                node.title,
                node.target
            ));
            lines(&node.children, depth + 1, out);
        }
    }

    #[test]
    fn contents_nest_by_depth_with_one_target_each() {
        let mut out = Vec::new();
        lines(&sample().contents(0..), 0, &mut out);
        assert_eq!(
            out,
            [
                "A@0",
                "  post 0@1",
                "  B@2",
                "    post 1@3",
                "    C@4",
                "      post 2@5",
                "D@6",
                "  post 3@7",
            ]
        );
    }

    #[test]
    fn only_parts_and_first_level_chapters_are_numbered() {
        assert_eq!(Level::Part.label(3), "第三部");
        assert_eq!(Level::Chapter.label(12), "第十二章");
        assert_eq!(Level::SubChapter { depth: 2 }.label(1), "");
    }

    #[test]
    fn counts_parts_and_chapters_at_every_level() {
        let book = sample();
        assert_eq!(book.count(Level::Part), 2);
        assert_eq!(book.chapter_count(), 2);
    }
}
