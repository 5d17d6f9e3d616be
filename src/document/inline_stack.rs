//! The Markdown reader's open inline containers, mirroring pulldown-cmark's start and end
//! events: a paragraph, heading or table cell at the bottom, then emphasis, links, images and
//! the styles of inline HTML opened inside it. A container that closes becomes a node of the
//! one below; the bottom one is finished as a block (or a cell's content). Containers nested
//! deeper than `MAX_INLINE_NESTING` are left out, their text kept.

use super::links::{self, Context};
use super::paragraph::{paragraph_or_figure, resolve_soft_breaks, trim_edges};
use super::tree::{Block, Image, ImageSource, Inline, InlineStyle, LinkTarget, MAX_INLINE_NESTING};

/// An open inline container.
pub enum InlineKind {
    Paragraph,
    /// Text of a tight list item, which has no paragraph event of its own.
    Implicit,
    Heading(u8),
    Emphasis,
    Strong,
    Strikethrough,
    Link {
        url: String,
        title: String,
    },
    Image {
        url: String,
        title: String,
    },
    Cell,
    Styled(InlineStyle),
}

impl InlineKind {
    /// A container at the bottom of the stack, finished as a block or cell, never folded into
    /// another.
    fn is_bottom(&self) -> bool {
        matches!(
            self,
            InlineKind::Paragraph
                | InlineKind::Implicit
                | InlineKind::Heading(_)
                | InlineKind::Cell
        )
    }
}

struct Frame {
    kind: InlineKind,
    content: Vec<Inline>,
    /// For frames opened by inline HTML: the tag name that closes them.
    html: Option<String>,
}

impl Frame {
    fn new(kind: InlineKind, html: Option<String>) -> Self {
        Frame {
            kind,
            content: Vec::new(),
            html,
        }
    }
}

/// The open inline containers, innermost last.
#[derive(Default)]
pub struct InlineStack {
    frames: Vec<Frame>,
    /// Markdown containers (emphasis, links) opened beyond `MAX_INLINE_NESTING` and left out:
    /// their end events are skipped too.
    skipped: usize,
    /// The line of the first container left out, for the warning.
    flattened_at: Option<usize>,
}

impl InlineStack {
    pub fn is_empty(&self) -> bool {
        self.frames.is_empty()
    }

    /// The line of the first container left out for lying too deep, if any was.
    pub fn flattened_at(&self) -> Option<usize> {
        self.flattened_at
    }

    /// Opens a paragraph, heading or table cell.
    pub fn open_bottom(&mut self, kind: InlineKind) {
        self.frames.push(Frame::new(kind, None));
    }

    /// Opens a Markdown container (emphasis, link, image) at file line `line`.
    pub fn open(&mut self, kind: InlineKind, line: usize) {
        self.ensure_context();
        if self.too_deep(line) {
            self.skipped += 1;
            return;
        }
        self.frames.push(Frame::new(kind, None));
    }

    /// Opens the container of an inline HTML tag named `tag`, which its closing tag closes.
    pub fn open_html(&mut self, kind: InlineKind, tag: String, line: usize) {
        self.ensure_context();
        if self.too_deep(line) {
            // Its closing tag finds no frame and is dropped as well.
            return;
        }
        self.frames.push(Frame::new(kind, Some(tag)));
    }

    /// Whether the stack is full; notes the line for the warning when it is.
    fn too_deep(&mut self, line: usize) -> bool {
        let full = self.frames.len() > MAX_INLINE_NESTING;
        if full {
            self.flattened_at.get_or_insert(line);
        }
        full
    }

    /// Text outside a paragraph (a tight list item) opens an implicit one.
    fn ensure_context(&mut self) {
        if self.frames.is_empty() {
            self.frames.push(Frame::new(InlineKind::Implicit, None));
        }
    }

    pub fn push(&mut self, inline: Inline) {
        self.ensure_context();
        if let Some(frame) = self.frames.last_mut() {
            frame.content.push(inline);
        }
    }

    /// Whether the bottom container is the implicit paragraph of a tight list item.
    pub fn in_implicit(&self) -> bool {
        matches!(
            self.frames.first(),
            Some(Frame {
                kind: InlineKind::Implicit,
                ..
            })
        )
    }

    /// Ends the paragraph or heading at the bottom (closing anything left open inside it by
    /// unbalanced inline HTML): its block, unless it holds nothing; a paragraph with display
    /// formulas in it ends before each and goes on after it.
    pub fn close_paragraph(&mut self) -> Vec<Block> {
        while self.frames.len() > 1 {
            self.fold_top(None);
        }
        let Some(frame) = self.frames.pop() else {
            return Vec::new();
        };
        if let Some(math) = display_math(&frame.content) {
            return vec![math];
        }
        if let InlineKind::Heading(level) = frame.kind {
            let content = resolve_soft_breaks(frame.content);
            return vec![Block::Heading { level, content }];
        }
        if !frame.content.iter().any(is_display_math) {
            return paragraph_or_figure(resolve_soft_breaks(frame.content))
                .into_iter()
                .collect();
        }
        // Display formulas inside the paragraph end it around each of them.
        let mut blocks = Vec::new();
        let mut run = Vec::new();
        for inline in frame.content {
            match inline {
                Inline::Math(math) if math.display => {
                    let before = trim_edges(resolve_soft_breaks(std::mem::take(&mut run)));
                    blocks.extend(paragraph_or_figure(before));
                    blocks.push(Block::Math(math));
                }
                other => run.push(other),
            }
        }
        blocks.extend(paragraph_or_figure(trim_edges(resolve_soft_breaks(run))));
        blocks
    }

    /// Ends a table cell: its content.
    pub fn close_cell(&mut self) -> Vec<Inline> {
        while self.frames.len() > 1 {
            self.fold_top(None);
        }
        self.frames
            .pop()
            .map(|f| resolve_soft_breaks(f.content))
            .unwrap_or_default()
    }

    /// The end event of a Markdown container (emphasis, link, image) at file line `line`.
    pub fn end(&mut self, ctx: &Context, line: usize) {
        if self.skipped > 0 {
            self.skipped -= 1;
            return;
        }
        // Unbalanced inline HTML inside (an unclosed `<kbd>`) is closed first.
        while self.frames.len() > 1 && self.frames.last().is_some_and(|f| f.html.is_some()) {
            self.fold_top(None);
        }
        if self.frames.len() > 1 || self.frames.last().is_some_and(|f| !f.kind.is_bottom()) {
            self.fold_top(Some((ctx, line)));
        }
    }

    /// A closing inline HTML tag named `tag` at file line `line`: closes the innermost
    /// container it opened and everything left open inside it; nothing if none is open.
    pub fn close_html(&mut self, tag: &str, ctx: &Context, line: usize) {
        let Some(position) = self
            .frames
            .iter()
            .rposition(|f| f.html.as_deref() == Some(tag))
        else {
            return;
        };
        while self.frames.len() > position + 1 {
            self.fold_top(Some((ctx, line)));
        }
        self.fold_top(Some((ctx, line)));
    }

    /// Pops the top container and appends it, as a node, to the one below. Its link or image
    /// is resolved with the context and line given; without them (a container closed because
    /// its paragraph ended) a link is kept unresolved and an image is missing.
    fn fold_top(&mut self, resolve: Option<(&Context, usize)>) {
        let Some(frame) = self.frames.pop() else {
            return;
        };
        let content = frame.content;
        let node = match frame.kind {
            InlineKind::Emphasis => Inline::Emphasis(content),
            InlineKind::Strong => Inline::Strong(content),
            InlineKind::Strikethrough => Inline::Strikethrough(content),
            InlineKind::Styled(style) => Inline::Styled { style, content },
            InlineKind::Link { url, title } => {
                let target = match resolve {
                    Some((ctx, line)) => {
                        if links::is_script_url(&url) {
                            ctx.warn(
                                line,
                                "removed the javascript: link from the text: a book runs no scripts",
                            );
                        }
                        ctx.link_target(&url)
                    }
                    None => LinkTarget::Unresolved(url),
                };
                Inline::Link {
                    target,
                    title: Some(title).filter(|t| !t.is_empty()),
                    content,
                }
            }
            InlineKind::Image { url, title } => {
                let alt = Inline::plain_text(&content);
                let source = match resolve {
                    Some((ctx, line)) => ctx.image_source(&url, line),
                    None => ImageSource::Missing(url),
                };
                Inline::Image(Image {
                    source,
                    alt,
                    title: Some(title).filter(|t| !t.is_empty()),
                })
            }
            kind @ (InlineKind::Paragraph
            | InlineKind::Implicit
            | InlineKind::Heading(_)
            | InlineKind::Cell) => {
                // A bottom frame is never folded; put it back.
                self.frames.push(Frame {
                    kind,
                    content,
                    html: frame.html,
                });
                return;
            }
        };
        if let Some(parent) = self.frames.last_mut() {
            parent.content.push(node);
        }
    }
}

/// A paragraph that is MathJax display math (`$$ … $$`): kept as its TeX source, line by line,
/// like code (a book cannot run MathJax).
fn display_math(content: &[Inline]) -> Option<Block> {
    let mut text = String::new();
    for inline in content {
        match inline {
            Inline::SoftBreak | Inline::LineBreak => text.push('\n'),
            other => text.push_str(&Inline::plain_text(std::slice::from_ref(other))),
        }
    }
    let trimmed = text.trim();
    let is_math = trimmed.len() > 4 && trimmed.starts_with("$$") && trimmed.ends_with("$$");
    is_math.then(|| Block::code(Some("tex".into()), Vec::new(), format!("{trimmed}\n")))
}

fn is_display_math(inline: &Inline) -> bool {
    matches!(inline, Inline::Math(math) if math.display)
}
