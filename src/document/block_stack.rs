//! The Markdown reader's open block containers, mirroring pulldown-cmark's start and end
//! events: quotes, lists and their items, footnote definitions, tables, and containers opened
//! by raw HTML (`<div>` … `</div>` around Markdown). A container that closes becomes a block of
//! the one below. Quotes and lists nested deeper than `MAX_NESTING` are flattened into the
//! level above, their blocks kept.

use super::footnotes::Footnotes;
use super::html;
use super::tree::{Alignment, Block, Inline, ListItem, MAX_NESTING, QuoteStyle};

/// An open block container.
pub enum BlockFrame {
    Root(Vec<Block>),
    Quote(Vec<Block>),
    List {
        start: Option<u64>,
        items: Vec<ListItem>,
    },
    Item {
        task: Option<bool>,
        blocks: Vec<Block>,
    },
    Footnote {
        label: String,
        blocks: Vec<Block>,
    },
    Table {
        alignments: Vec<Alignment>,
        head: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
        row: Vec<Vec<Inline>>,
    },
    /// A container opened by raw HTML (`<div>`, `<details>`) whose closing tag comes later.
    Html {
        tag: String,
        open: Block,
        blocks: Vec<Block>,
    },
}

/// The open block containers, innermost last; the root (the post body) at the bottom.
pub struct BlockStack {
    frames: Vec<BlockFrame>,
    /// Open quote and list frames (each indents its content).
    levels: usize,
    /// The line of the first container flattened, for the warning.
    flattened_at: Option<usize>,
}

impl BlockStack {
    pub fn new() -> Self {
        BlockStack {
            frames: vec![BlockFrame::Root(Vec::new())],
            levels: 0,
            flattened_at: None,
        }
    }

    /// The line of the first quote or list flattened for lying too deep, if any was.
    pub fn flattened_at(&self) -> Option<usize> {
        self.flattened_at
    }

    /// Opens a container at file line `line`.
    pub fn open(&mut self, frame: BlockFrame, line: usize) {
        let indents = matches!(frame, BlockFrame::Quote(_) | BlockFrame::List { .. });
        if indents && self.levels >= MAX_NESTING {
            // A `Root` frame hands its blocks to the frame below when it closes (and so does
            // an item outside a list).
            self.flattened_at.get_or_insert(line);
            self.frames.push(BlockFrame::Root(Vec::new()));
        } else {
            self.levels += usize::from(indents);
            self.frames.push(frame);
        }
    }

    /// Opens a container of raw HTML, closed by the closing tag named `tag`; `open` is the
    /// block its opening part was converted to.
    pub fn open_html(&mut self, tag: String, open: Block) {
        self.frames.push(BlockFrame::Html {
            tag,
            open,
            blocks: Vec::new(),
        });
    }

    /// Marks the list item being read as a task, done or not.
    pub fn mark_task(&mut self, checked: bool) {
        if let Some(BlockFrame::Item { task, .. }) = self.frames.last_mut() {
            *task = Some(checked);
        }
    }

    /// Adds a cell to the table row being read.
    pub fn push_cell(&mut self, content: Vec<Inline>) {
        if let Some(BlockFrame::Table { row, .. }) = self.frames.last_mut() {
            row.push(content);
        }
    }

    /// Ends the table row being read: the table's head, or one of its rows.
    pub fn end_row(&mut self, is_head: bool) {
        if let Some(BlockFrame::Table {
            head, rows, row, ..
        }) = self.frames.last_mut()
        {
            let cells = std::mem::take(row);
            if is_head {
                *head = cells
            } else {
                rows.push(cells)
            }
        }
    }

    /// Adds a block to the innermost container (a table takes only its text, as a row).
    pub fn push(&mut self, block: Block) {
        match self.frames.last_mut() {
            Some(
                BlockFrame::Root(blocks)
                | BlockFrame::Quote(blocks)
                | BlockFrame::Item { blocks, .. }
                | BlockFrame::Footnote { blocks, .. }
                | BlockFrame::Html { blocks, .. },
            ) => blocks.push(block),
            Some(BlockFrame::List { items, .. }) => items.push(ListItem {
                task: None,
                blocks: vec![block],
            }),
            Some(BlockFrame::Table { rows, .. }) => rows.push(vec![vec![Inline::Text(
                Inline::plain_text(&block_text(&block)),
            )]]),
            None => self.frames.push(BlockFrame::Root(vec![block])),
        }
    }

    /// Closes the innermost container (never the root); a footnote definition goes to
    /// `footnotes`.
    pub fn close(&mut self, footnotes: &mut Footnotes) {
        if self.frames.len() <= 1 {
            return;
        }
        let Some(frame) = self.frames.pop() else {
            return;
        };
        if matches!(frame, BlockFrame::Quote(_) | BlockFrame::List { .. }) {
            self.levels = self.levels.saturating_sub(1);
        }
        match frame {
            BlockFrame::Root(blocks) => {
                for b in blocks {
                    self.push(b);
                }
            }
            BlockFrame::Quote(blocks) => self.push(Block::Quote {
                style: QuoteStyle::Plain,
                blocks,
                attribution: Vec::new(),
            }),
            BlockFrame::List { start, items } => self.push(Block::List { start, items }),
            BlockFrame::Item { task, blocks } => {
                if let Some(BlockFrame::List { items, .. }) = self.frames.last_mut() {
                    items.push(ListItem { task, blocks });
                } else {
                    for b in blocks {
                        self.push(b);
                    }
                }
            }
            BlockFrame::Footnote { label, blocks } => footnotes.define(label, blocks),
            BlockFrame::Table {
                alignments,
                head,
                rows,
                ..
            } => self.push(Block::Table {
                alignments,
                head,
                rows,
            }),
            BlockFrame::Html { open, blocks, .. } => self.push(html::fill_container(open, blocks)),
        }
    }

    /// A closing tag of raw HTML named `tag`: closes the innermost container it opened and the
    /// HTML containers inside it; nothing if no such container is open.
    pub fn close_html(&mut self, tag: &str, footnotes: &mut Footnotes) {
        if !self
            .frames
            .iter()
            .any(|f| matches!(f, BlockFrame::Html { tag: t, .. } if t == tag))
        {
            return;
        }
        while let Some(BlockFrame::Html { tag: t, .. }) = self.frames.last() {
            let done = t == tag;
            self.close(footnotes);
            if done {
                break;
            }
        }
    }

    /// Closes every container left open.
    pub fn close_all(&mut self, footnotes: &mut Footnotes) {
        while self.frames.len() > 1 {
            self.close(footnotes);
        }
    }

    /// The blocks of the post body (once every container is closed).
    pub fn into_blocks(mut self) -> Vec<Block> {
        match self.frames.pop() {
            Some(BlockFrame::Root(blocks)) => blocks,
            _ => Vec::new(),
        }
    }
}

/// The inlines of a block that lands in a table, where only text fits.
fn block_text(block: &Block) -> Vec<Inline> {
    match block {
        Block::Paragraph(c) | Block::Heading { content: c, .. } => c.clone(),
        Block::Code { text, .. } => vec![Inline::Code(text.clone())],
        _ => Vec::new(),
    }
}
