//! A post's body as one typed tree: Markdown (pulldown-cmark) and Hexo tag plugins in, blocks
//! and inlines out, with links and images already resolved against the book.
//!
//! Every back end (EPUB now, the page layout later) reads this tree and nothing else, so a
//! feature added here reaches every format. Knows Hexo's syntax; knows nothing of output.

mod html;
mod links;
mod markdown;
mod plugins;
mod tags;
mod visit;

use std::path::PathBuf;

use crate::collect::{Book, Post};
use crate::diag::Diagnostics;

pub use links::LinkIndex;

/// One post's body.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    pub blocks: Vec<Block>,
    /// Footnotes in the order they are first referred to; `Inline::FootnoteRef` holds the
    /// index into this list.
    pub footnotes: Vec<Footnote>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Footnote {
    pub label: String,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Paragraph(Vec<Inline>),
    Heading {
        level: u8,
        content: Vec<Inline>,
    },
    Quote {
        style: QuoteStyle,
        blocks: Vec<Block>,
        attribution: Vec<Inline>,
    },
    List {
        start: Option<u64>,
        items: Vec<ListItem>,
    },
    Code {
        language: Option<String>,
        caption: Vec<Inline>,
        text: String,
    },
    Table {
        alignments: Vec<Alignment>,
        head: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
    },
    Figure {
        image: Image,
        caption: Vec<Inline>,
    },
    /// A NexT/Butterfly callout (`{% note warning %}`).
    Note {
        kind: String,
        title: Vec<Inline>,
        blocks: Vec<Block>,
    },
    /// Tabs cannot be clicked on paper: each becomes a titled section.
    Tabs(Vec<(Vec<Inline>, Vec<Block>)>),
    /// A folded section (`{% fold %}`, `<details>`), printed open.
    Fold {
        summary: Vec<Inline>,
        blocks: Vec<Block>,
    },
    /// Embedded video or page (`iframe`, `youtube`, `vimeo`): a book prints its address.
    Embed {
        label: String,
        url: String,
    },
    /// A generic container from raw HTML (`<div>`, `<section>`) that groups blocks.
    Division(Vec<Block>),
    /// Definition list from raw HTML (`<dl>`).
    Definitions(Vec<(Vec<Inline>, Vec<Block>)>),
    Rule,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteStyle {
    Plain,
    /// `{% pullquote %}`: set apart, larger.
    Pull,
    /// `{% cq %}` / `{% centerquote %}`: centred.
    Centered,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ListItem {
    /// `Some(checked)` for a task-list item.
    pub task: Option<bool>,
    pub blocks: Vec<Block>,
}

impl Block {
    /// A figure for an image, captioned by its title, else its alt text.
    pub fn figure(image: Image) -> Block {
        let caption = image
            .title
            .clone()
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| image.alt.clone());
        let caption = if caption.is_empty() {
            Vec::new()
        } else {
            vec![Inline::Text(caption)]
        };
        Block::Figure { image, caption }
    }
}

impl ListItem {
    /// The box printed before a task-list item: □ open, ▣ done (both in the shipped body font).
    pub fn task_mark(&self) -> Option<&'static str> {
        self.task.map(|done| if done { "▣" } else { "□" })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alignment {
    None,
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text(String),
    Code(String),
    Emphasis(Vec<Inline>),
    Strong(Vec<Inline>),
    Strikethrough(Vec<Inline>),
    Styled {
        style: InlineStyle,
        content: Vec<Inline>,
    },
    Link {
        target: LinkTarget,
        title: Option<String>,
        content: Vec<Inline>,
    },
    Image(Image),
    FootnoteRef(usize),
    LineBreak,
    SoftBreak,
}

/// Inline formatting that comes from raw HTML or tag plugins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InlineStyle {
    Superscript,
    Subscript,
    Keyboard,
    Mark,
    Underline,
    Small,
    Abbreviation,
    /// NexT `{% label primary@text %}`; the string is the label's colour class.
    Label(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// Another post of this book, with an optional `#fragment`.
    Post {
        index: usize,
        fragment: Option<String>,
    },
    /// A place inside the same post.
    Fragment(String),
    /// A web address (http, https, mailto).
    External(String),
    /// A file from the blog (an asset folder's PDF, say) that is not in the book: the link is
    /// kept as text.
    Unresolved(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    pub source: ImageSource,
    pub alt: String,
    pub title: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageSource {
    /// A file of the blog, checked to exist.
    File(PathBuf),
    /// A remote image, not downloaded.
    Remote(String),
    /// Named in the post but not found: shown as a placeholder with the alt text.
    Missing(String),
    /// A file of the blog that cannot be shown (damaged, too large, not an image): a
    /// placeholder with the alt text, reported when the images were checked.
    Unusable(PathBuf),
}

/// Parses every post of `book` into a document (in parallel; order kept).
pub fn parse_book(book: &Book, diags: &Diagnostics) -> Vec<Document> {
    use rayon::prelude::*;
    let index = LinkIndex::new(book);
    book.posts
        .par_iter()
        .map(|post| parse_post(post, &index, diags))
        .collect()
}

/// Parses one post's body.
pub fn parse_post(post: &Post, index: &LinkIndex, diags: &Diagnostics) -> Document {
    let context = links::Context { post, index, diags };
    let source = tags::expand(post.body_text(), post.body_line);
    markdown::parse(&source, &context)
}

impl Inline {
    /// The plain text of inlines, for titles, alt text and tests.
    pub fn plain_text(inlines: &[Inline]) -> String {
        let mut out = String::new();
        for inline in inlines {
            match inline {
                Inline::Text(t) | Inline::Code(t) => out.push_str(t),
                Inline::Emphasis(c)
                | Inline::Strong(c)
                | Inline::Strikethrough(c)
                | Inline::Styled { content: c, .. }
                | Inline::Link { content: c, .. } => out.push_str(&Inline::plain_text(c)),
                Inline::Image(image) => out.push_str(&image.alt),
                Inline::LineBreak | Inline::SoftBreak => out.push(' '),
                Inline::FootnoteRef(_) => {}
            }
        }
        out
    }
}

/// The plain text of a block, for places that can only hold text.
pub fn plain_text_of_block(block: &Block) -> String {
    match block {
        Block::Paragraph(c) | Block::Heading { content: c, .. } => Inline::plain_text(c),
        Block::Code { text, .. } => text.clone(),
        Block::Quote { blocks, .. }
        | Block::Division(blocks)
        | Block::Note { blocks, .. }
        | Block::Fold { blocks, .. } => blocks
            .iter()
            .map(plain_text_of_block)
            .collect::<Vec<_>>()
            .join(" "),
        _ => String::new(),
    }
}

/// Calls `f` on every inline of `block`, nested ones included (parents before children).
pub fn visit_inlines(block: &Block, f: &mut dyn FnMut(&Inline)) {
    fn walk(inlines: &[Inline], f: &mut dyn FnMut(&Inline)) {
        for inline in inlines {
            f(inline);
            match inline {
                Inline::Emphasis(c)
                | Inline::Strong(c)
                | Inline::Strikethrough(c)
                | Inline::Styled { content: c, .. }
                | Inline::Link { content: c, .. } => walk(c, f),
                _ => {}
            }
        }
    }
    let blocks = |list: &[Block], f: &mut dyn FnMut(&Inline)| {
        for b in list {
            visit_inlines(b, f);
        }
    };
    match block {
        Block::Paragraph(c) | Block::Heading { content: c, .. } => walk(c, f),
        Block::Quote {
            blocks: list,
            attribution,
            ..
        } => {
            blocks(list, f);
            walk(attribution, f);
        }
        Block::List { items, .. } => items.iter().for_each(|i| blocks(&i.blocks, f)),
        Block::Code { caption, .. } => walk(caption, f),
        Block::Table { head, rows, .. } => {
            head.iter().for_each(|c| walk(c, f));
            rows.iter().flatten().for_each(|c| walk(c, f));
        }
        Block::Figure { image, caption } => {
            f(&Inline::Image(image.clone()));
            walk(caption, f);
        }
        Block::Note {
            title,
            blocks: list,
            ..
        }
        | Block::Fold {
            summary: title,
            blocks: list,
        } => {
            walk(title, f);
            blocks(list, f);
        }
        Block::Tabs(tabs) => tabs.iter().for_each(|(t, b)| {
            walk(t, f);
            blocks(b, f);
        }),
        Block::Definitions(items) => items.iter().for_each(|(t, b)| {
            walk(t, f);
            blocks(b, f);
        }),
        Block::Division(list) => blocks(list, f),
        Block::Embed { label, url } => f(&Inline::Text(format!("{label}：{url}"))),
        Block::Rule => {}
    }
}
