//! The tree itself: a post's body as blocks and inlines, with links and images already
//! resolved. Every reader in this module builds it and every back end reads it; it holds no
//! logic beyond walking itself (a node's children, its plain text) and the depth limits every
//! reader keeps. Imports nothing else of `document`.

use std::path::PathBuf;

/// Quotes and lists nested deeper than this are set at this level, with a warning: each level
/// indents the text by 2 em, and every back end walks the tree recursively, so a post of 10,000
/// nested quotes must not reach them as such. Eight levels (16 em) still leave a 27-em measure
/// room for text.
pub const MAX_NESTING: usize = 8;

/// Emphasis, links and inline HTML styles nested deeper than this are left out (their text
/// stays), with a warning: `<b>` ten thousand times must not become ten thousand levels.
pub const MAX_INLINE_NESTING: usize = 16;

/// One post's body.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    pub blocks: Vec<Block>,
    /// Footnotes in the order they are first referred to; `Inline::FootnoteRef` holds the
    /// index into this list.
    pub footnotes: Vec<Footnote>,
}

impl Document {
    /// The body's blocks, then the footnotes' blocks.
    pub fn all_blocks(&self) -> impl Iterator<Item = &Block> {
        let notes = self.footnotes.iter().flat_map(|f| &f.blocks);
        self.blocks.iter().chain(notes)
    }
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
    /// A listing; made with [`Block::code`], which highlights it.
    Code {
        language: Option<String>,
        caption: Vec<Inline>,
        text: String,
        /// The highlighted stretches of `text` (empty when its language has no grammar).
        tokens: Vec<crate::highlight::Token>,
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
    /// A display formula, on lines of its own.
    Math(Math),
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

/// The box printed for a task-list item or a checkbox tag: □ open, ▣ done (both in the shipped
/// body font, which has no ☐ or ☑).
pub fn check_box(done: bool) -> &'static str {
    if done { "▣" } else { "□" }
}

impl ListItem {
    /// The box printed before a task-list item (see [`check_box`]).
    pub fn task_mark(&self) -> Option<&'static str> {
        self.task.map(check_box)
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
    /// A formula in running text; a display one only while its paragraph is read, which then
    /// ends around it as a [`Block::Math`].
    Math(Math),
    LineBreak,
    SoftBreak,
}

/// A formula as its author wrote it for MathJax or KaTeX.
#[derive(Debug, Clone, PartialEq)]
pub struct Math {
    /// The TeX between the delimiters (an environment keeps its `\begin` and `\end`), without
    /// `\tag`, `\label` and `\nonumber`.
    pub tex: String,
    /// Set on lines of its own (`$$…$$`, `\[…\]`, an environment), not in the line of text.
    pub display: bool,
    /// A display formula's number, as printed in its parentheses.
    pub number: Option<String>,
    /// Why the TeX cannot be typeset: the back ends print it as written instead.
    pub error: Option<String>,
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

impl Inline {
    /// The inlines inside a container (emphasis, strong, strikethrough, a style, a link);
    /// `None` for text, code, images, breaks and footnote references. Every walk over inlines
    /// goes through this, so a new container is one line here, not a case in every walk.
    pub fn children(&self) -> Option<&[Inline]> {
        match self {
            Inline::Emphasis(c)
            | Inline::Strong(c)
            | Inline::Strikethrough(c)
            | Inline::Styled { content: c, .. }
            | Inline::Link { content: c, .. } => Some(c),
            Inline::Text(_)
            | Inline::Code(_)
            | Inline::Image(_)
            | Inline::FootnoteRef(_)
            | Inline::Math(_)
            | Inline::LineBreak
            | Inline::SoftBreak => None,
        }
    }

    /// The inlines inside a container, to change them in place (see [`Inline::children`]).
    pub fn children_mut(&mut self) -> Option<&mut Vec<Inline>> {
        match self {
            Inline::Emphasis(c)
            | Inline::Strong(c)
            | Inline::Strikethrough(c)
            | Inline::Styled { content: c, .. }
            | Inline::Link { content: c, .. } => Some(c),
            Inline::Text(_)
            | Inline::Code(_)
            | Inline::Image(_)
            | Inline::FootnoteRef(_)
            | Inline::Math(_)
            | Inline::LineBreak
            | Inline::SoftBreak => None,
        }
    }

    /// The plain text of inlines, for titles, alt text and tests.
    pub fn plain_text(inlines: &[Inline]) -> String {
        let mut out = String::new();
        for inline in inlines {
            match inline {
                Inline::Text(t) | Inline::Code(t) => out.push_str(t),
                Inline::Math(math) => out.push_str(&math.tex),
                Inline::Image(image) => out.push_str(&image.alt),
                Inline::LineBreak | Inline::SoftBreak => out.push(' '),
                Inline::FootnoteRef(_) => {}
                container => out.push_str(&Inline::plain_text(
                    container.children().unwrap_or_default(),
                )),
            }
        }
        out
    }
}

impl Block {
    /// A code block of `text` in `language`, highlighted.
    pub fn code(language: Option<String>, caption: Vec<Inline>, text: String) -> Block {
        let tokens = crate::highlight::tokens(language.as_deref(), &text);
        Block::Code {
            language,
            caption,
            text,
            tokens,
        }
    }

    /// The blocks nested in this one, in reading order: a quote's, each list item's, a note's,
    /// a fold's, a division's, each tab's and each definition's. A block's own inlines (its
    /// text, title, caption, cells, attribution) are not among them.
    pub fn children(&self) -> impl Iterator<Item = &Block> {
        type Sections = [(Vec<Inline>, Vec<Block>)];
        let (blocks, items, sections): (&[Block], &[ListItem], &Sections) = match self {
            Block::Quote { blocks, .. }
            | Block::Note { blocks, .. }
            | Block::Fold { blocks, .. }
            | Block::Division(blocks) => (blocks, &[], &[]),
            Block::List { items, .. } => (&[], items, &[]),
            Block::Tabs(sections) | Block::Definitions(sections) => (&[], &[], sections),
            Block::Paragraph(_)
            | Block::Heading { .. }
            | Block::Code { .. }
            | Block::Table { .. }
            | Block::Figure { .. }
            | Block::Embed { .. }
            | Block::Math(_)
            | Block::Rule => (&[], &[], &[]),
        };
        blocks
            .iter()
            .chain(items.iter().flat_map(|item| &item.blocks))
            .chain(sections.iter().flat_map(|(_, blocks)| blocks))
    }
}

/// The plain text of a block, for places that can only hold text: a paragraph's or heading's
/// text, a code block's, or the texts of the blocks nested in it, joined by spaces.
pub fn plain_text_of_block(block: &Block) -> String {
    match block {
        Block::Paragraph(c) | Block::Heading { content: c, .. } => Inline::plain_text(c),
        Block::Code { text, .. } => text.clone(),
        Block::Math(math) => math.tex.clone(),
        other => other
            .children()
            .map(plain_text_of_block)
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// Calls `f` on every inline of `block`, nested ones included (parents before children).
pub fn visit_inlines(block: &Block, f: &mut dyn FnMut(&Inline)) {
    fn walk(inlines: &[Inline], f: &mut dyn FnMut(&Inline)) {
        for inline in inlines {
            f(inline);
            if let Some(children) = inline.children() {
                walk(children, f);
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
        Block::Math(math) => f(&Inline::Math(math.clone())),
        Block::Rule => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Inline {
        Inline::Text(s.into())
    }

    fn para(s: &str) -> Block {
        Block::Paragraph(vec![text(s)])
    }

    #[test]
    fn inline_children_are_the_content_of_containers_only() {
        let styled = Inline::Styled {
            style: InlineStyle::Mark,
            content: vec![text("标")],
        };
        assert_eq!(styled.children(), Some(&[text("标")][..]));
        assert_eq!(text("标").children(), None);
        assert_eq!(Inline::SoftBreak.children(), None);
        let mut link = Inline::Link {
            target: LinkTarget::Fragment("a".into()),
            title: None,
            content: vec![text("旧")],
        };
        if let Some(children) = link.children_mut() {
            children.push(text("新"));
        }
        assert_eq!(Inline::plain_text(&[link]), "旧新");
    }

    #[test]
    fn block_children_are_nested_blocks_in_reading_order() {
        let list = Block::List {
            start: None,
            items: vec![
                ListItem {
                    task: None,
                    blocks: vec![para("一")],
                },
                ListItem {
                    task: Some(true),
                    blocks: vec![para("二"), para("三")],
                },
            ],
        };
        let texts: Vec<String> = list.children().map(plain_text_of_block).collect();
        assert_eq!(texts, ["一", "二", "三"]);
        let tabs = Block::Tabs(vec![
            (vec![text("甲")], vec![para("四")]),
            (vec![text("乙")], vec![para("五")]),
        ]);
        assert_eq!(plain_text_of_block(&tabs), "四 五");
        assert_eq!(para("六").children().count(), 0);
    }
}
