//! Markdown events (pulldown-cmark) → blocks and inlines, in one pass over the events.
//!
//! A stack of open block containers (quote, list, item, footnote, HTML container) and a stack
//! of open inline containers (paragraph, emphasis, link, …) mirror pulldown-cmark's
//! start/end events. Placeholders left by the tag stage become tag-plugin nodes here.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag as MdTag, TagEnd};

use super::html;
use super::links::Context;
use super::plugins;
use super::tags::{self, Expanded};
use super::{
    Alignment, Block, Document, Footnote, Image, Inline, InlineStyle, ListItem, QuoteStyle,
};

/// Parses an expanded post body into a document.
pub fn parse(source: &Expanded, ctx: &Context) -> Document {
    let mut state = State {
        ctx,
        footnotes: Footnotes::default(),
        depth: 0,
    };
    let blocks = state.blocks(source);
    let footnotes = state.footnotes.finish(ctx);
    Document { blocks, footnotes }
}

fn options() -> Options {
    // No smart punctuation: it would turn straight quotes into Latin curly quotes in CJK text.
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

/// State shared by a post's body and the bodies of its tag plugins.
pub struct State<'a> {
    pub ctx: &'a Context<'a>,
    footnotes: Footnotes,
    /// Tag plugin bodies open around the one being parsed.
    depth: usize,
}

impl State<'_> {
    /// Parses Markdown (already tag-expanded) into blocks.
    pub fn blocks(&mut self, source: &Expanded) -> Vec<Block> {
        let mut builder = Builder::new(source);
        for (event, range) in Parser::new_ext(&source.text, options()).into_offset_iter() {
            builder.event(self, event, range);
        }
        builder.finish(self)
    }

    /// Parses a tag plugin's body, which may hold further tags.
    /// Bodies nested deeper than `MAX_NESTING` are kept as plain text, with a warning.
    pub fn body_blocks(&mut self, body: &str, first_line: usize) -> Vec<Block> {
        if self.depth >= MAX_NESTING {
            self.ctx.warn(
                first_line,
                format!(
                    "tag plugins nested more than {MAX_NESTING} deep; the deeper ones are set \
                     as plain text"
                ),
            );
            let text = without_controls(body.trim(), self, first_line);
            return vec![Block::Paragraph(vec![Inline::Text(text)])];
        }
        self.depth += 1;
        let expanded = tags::expand(body, first_line);
        let blocks = self.blocks(&expanded);
        self.depth -= 1;
        blocks
    }

    /// Parses text that must stay inline (a caption, a title) as Markdown inlines.
    pub fn inline(&mut self, text: &str, line: usize) -> Vec<Inline> {
        let blocks = self.body_blocks(text, line);
        let mut out = Vec::new();
        for block in blocks {
            if let Block::Paragraph(inlines)
            | Block::Heading {
                content: inlines, ..
            } = block
            {
                if !out.is_empty() {
                    out.push(Inline::Text(" ".into()));
                }
                out.extend(inlines);
            }
        }
        out
    }
}

#[derive(Default)]
struct Footnotes {
    /// Labels in the order of their first reference.
    order: Vec<String>,
    definitions: Vec<(String, Vec<Block>)>,
}

impl Footnotes {
    fn reference(&mut self, label: &str) -> usize {
        match self.order.iter().position(|l| l == label) {
            Some(i) => i,
            None => {
                self.order.push(label.to_string());
                self.order.len() - 1
            }
        }
    }

    /// Referenced notes in reference order, then notes never referred to (nothing is lost).
    fn finish(mut self, ctx: &Context) -> Vec<Footnote> {
        let mut out = Vec::new();
        for label in &self.order {
            let blocks = match self.definitions.iter().position(|(l, _)| l == label) {
                Some(i) => self.definitions.remove(i).1,
                None => {
                    ctx.warn(
                        ctx.post.body_line,
                        format!("footnote [^{label}] is referred to but never defined"),
                    );
                    vec![Block::Paragraph(vec![Inline::Text(format!("[^{label}]"))])]
                }
            };
            out.push(Footnote {
                label: label.clone(),
                blocks,
            });
        }
        for (label, blocks) in self.definitions {
            out.push(Footnote { label, blocks });
        }
        out
    }
}

/// An open block container.
enum BlockFrame {
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

/// An open inline container.
enum InlineKind {
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

struct InlineFrame {
    kind: InlineKind,
    content: Vec<Inline>,
    /// For frames opened by inline HTML: the tag name that closes them.
    html: Option<String>,
}

/// A fenced or indented code block being read.
struct Code {
    language: Option<String>,
    caption: Vec<Inline>,
    text: String,
}

/// Hexo reads a fence's info string as ```` ```lang caption [url] [link text] ````.
fn code_info(info: &str, state: &mut State) -> (Option<String>, Vec<Inline>) {
    let mut words = info.split_whitespace();
    let language = words.next().map(str::to_string);
    let rest: Vec<&str> = words.collect();
    let mut caption = Vec::new();
    match rest
        .iter()
        .position(|w| w.starts_with("http://") || w.starts_with("https://"))
    {
        Some(at) => {
            let before = rest[..at].join(" ");
            if !before.is_empty() {
                caption.push(Inline::Text(format!("{before} ")));
            }
            let text = rest[at + 1..].join(" ");
            let text = if text.is_empty() {
                rest[at].to_string()
            } else {
                text
            };
            caption.push(Inline::Link {
                target: state.ctx.link_target(rest[at]),
                title: None,
                content: vec![Inline::Text(text)],
            });
        }
        None if !rest.is_empty() => caption.push(Inline::Text(rest.join(" "))),
        None => {}
    }
    (language, caption)
}

/// Quotes and lists nested deeper than this are set at this level, with a warning: each level
/// indents the text by 2 em, and every back end walks the tree recursively, so a post of 10,000
/// nested quotes must not reach them as such. Eight levels (16 em) still leave a 27-em measure
/// room for text.
pub const MAX_NESTING: usize = 8;

/// Emphasis, links and inline HTML styles nested deeper than this are left out (their text
/// stays), with a warning: `<b>` ten thousand times must not become ten thousand levels.
pub const MAX_INLINE_NESTING: usize = 16;

struct Builder<'s> {
    source: &'s Expanded,
    blocks: Vec<BlockFrame>,
    /// Open quote and list frames (each indents its content).
    levels: usize,
    /// The line of the first container flattened that way, for the warning.
    flattened_at: Option<usize>,
    /// Markdown inline containers (emphasis, links) opened beyond `MAX_INLINE_NESTING` and
    /// left out: their end events are skipped too.
    skipped_inlines: usize,
    /// The line of the first inline container left out, for the warning.
    inline_flattened_at: Option<usize>,
    inlines: Vec<InlineFrame>,
    code: Option<Code>,
    html: Option<String>,
    /// Inside an inline `<script>` or `<style>`: its content is dropped up to this closing tag.
    skip_until: Option<String>,
    /// Offset of the event being handled, for warnings.
    offset: usize,
}

impl<'s> Builder<'s> {
    fn new(source: &'s Expanded) -> Self {
        Builder {
            source,
            blocks: vec![BlockFrame::Root(Vec::new())],
            levels: 0,
            flattened_at: None,
            skipped_inlines: 0,
            inline_flattened_at: None,
            inlines: Vec::new(),
            code: None,
            html: None,
            skip_until: None,
            offset: 0,
        }
    }

    fn line(&self) -> usize {
        self.source.line_at(self.offset)
    }

    fn event(&mut self, state: &mut State, event: Event, range: Range<usize>) {
        self.offset = range.start;
        if let Some(Code { text, .. }) = &mut self.code {
            match event {
                Event::Text(t) => text.push_str(&t),
                Event::End(TagEnd::CodeBlock) => self.end_code(),
                _ => {}
            }
            return;
        }
        if let Some(closing) = &self.skip_until {
            if let Event::InlineHtml(t) = &event
                && html::parse_tag(t).is_some_and(|tag| tag.closing && tag.name == *closing)
            {
                self.skip_until = None;
            }
            return;
        }
        if let Some(buffer) = &mut self.html {
            match event {
                Event::Html(t) | Event::Text(t) => buffer.push_str(&t),
                Event::End(TagEnd::HtmlBlock) => self.end_html_block(state),
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(tag) => self.start(state, tag),
            Event::End(tag) => self.end(state, tag),
            Event::Text(t) => {
                let text = without_controls(&t, state, self.line());
                self.push_inline(Inline::Text(text));
            }
            Event::Code(t) => self.push_inline(Inline::Code(t.into_string())),
            Event::InlineMath(t) | Event::DisplayMath(t) => {
                self.push_inline(Inline::Code(t.into_string()))
            }
            Event::SoftBreak => self.push_inline(Inline::SoftBreak),
            Event::HardBreak => self.push_inline(Inline::LineBreak),
            Event::Rule => self.push_block(Block::Rule),
            Event::FootnoteReference(label) => {
                let n = state.footnotes.reference(&label);
                self.push_inline(Inline::FootnoteRef(n));
            }
            Event::TaskListMarker(checked) => {
                if let Some(BlockFrame::Item { task, .. }) = self.blocks.last_mut() {
                    *task = Some(checked);
                }
            }
            Event::InlineHtml(t) => self.inline_html(state, &t),
            Event::Html(t) => {
                self.html = Some(t.into_string());
                self.end_html_block(state);
            }
        }
    }

    fn start(&mut self, state: &mut State, tag: MdTag) {
        let inline = |kind| InlineFrame {
            kind,
            content: Vec::new(),
            html: None,
        };
        match tag {
            MdTag::Paragraph => {
                self.close_implicit();
                self.inlines.push(inline(InlineKind::Paragraph));
            }
            MdTag::Heading { level, .. } => {
                self.close_implicit();
                self.inlines.push(inline(InlineKind::Heading(level as u8)));
            }
            MdTag::BlockQuote(_) => self.open_block(BlockFrame::Quote(Vec::new())),
            MdTag::CodeBlock(kind) => {
                self.close_implicit();
                let (language, caption) = match kind {
                    CodeBlockKind::Fenced(info) => code_info(&info, state),
                    CodeBlockKind::Indented => (None, Vec::new()),
                };
                self.code = Some(Code {
                    language,
                    caption,
                    text: String::new(),
                });
            }
            MdTag::HtmlBlock => {
                self.close_implicit();
                self.html = Some(String::new());
            }
            MdTag::List(start) => self.open_block(BlockFrame::List {
                start,
                items: Vec::new(),
            }),
            MdTag::Item => self.open_block(BlockFrame::Item {
                task: None,
                blocks: Vec::new(),
            }),
            MdTag::FootnoteDefinition(label) => self.open_block(BlockFrame::Footnote {
                label: label.into_string(),
                blocks: Vec::new(),
            }),
            MdTag::Table(alignments) => self.open_block(BlockFrame::Table {
                alignments: alignments.into_iter().map(alignment).collect(),
                head: Vec::new(),
                rows: Vec::new(),
                row: Vec::new(),
            }),
            MdTag::TableHead | MdTag::TableRow => {}
            MdTag::TableCell => self.inlines.push(inline(InlineKind::Cell)),
            MdTag::Emphasis => self.open_inline(InlineKind::Emphasis),
            MdTag::Strong => self.open_inline(InlineKind::Strong),
            MdTag::Strikethrough => self.open_inline(InlineKind::Strikethrough),
            MdTag::Link {
                dest_url, title, ..
            } => self.open_inline(InlineKind::Link {
                url: dest_url.into_string(),
                title: title.into_string(),
            }),
            MdTag::Image {
                dest_url, title, ..
            } => self.open_inline(InlineKind::Image {
                url: dest_url.into_string(),
                title: title.into_string(),
            }),
            _ => {
                let _ = state;
            }
        }
    }

    fn end(&mut self, state: &mut State, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph | TagEnd::Heading(_) => self.close_paragraph(),
            TagEnd::BlockQuote(_)
            | TagEnd::List(_)
            | TagEnd::Item
            | TagEnd::FootnoteDefinition
            | TagEnd::Table => {
                self.close_implicit();
                self.close_block(state);
            }
            TagEnd::TableCell => {
                let content = self.pop_inline_content();
                if let Some(BlockFrame::Table { row, .. }) = self.blocks.last_mut() {
                    row.push(content);
                }
            }
            TagEnd::TableHead | TagEnd::TableRow => {
                if let Some(BlockFrame::Table {
                    head, rows, row, ..
                }) = self.blocks.last_mut()
                {
                    let cells = std::mem::take(row);
                    if matches!(tag, TagEnd::TableHead) {
                        *head = cells
                    } else {
                        rows.push(cells)
                    }
                }
            }
            TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Link
            | TagEnd::Image => {
                if self.skipped_inlines > 0 {
                    self.skipped_inlines -= 1;
                } else {
                    self.close_inline(state);
                }
            }
            _ => {}
        }
    }

    fn open_block(&mut self, frame: BlockFrame) {
        self.close_implicit();
        let indents = matches!(frame, BlockFrame::Quote(_) | BlockFrame::List { .. });
        if indents && self.levels >= MAX_NESTING {
            // A `Root` frame hands its blocks to the frame below when it closes (and so does
            // an item outside a list).
            self.flattened_at
                .get_or_insert(self.source.line_at(self.offset));
            self.blocks.push(BlockFrame::Root(Vec::new()));
        } else {
            self.levels += usize::from(indents);
            self.blocks.push(frame);
        }
    }

    fn open_inline(&mut self, kind: InlineKind) {
        self.ensure_inline_context();
        if self.inline_too_deep() {
            self.skipped_inlines += 1;
            return;
        }
        self.inlines.push(InlineFrame {
            kind,
            content: Vec::new(),
            html: None,
        });
    }

    /// Text outside a paragraph (a tight list item) opens an implicit one.
    fn ensure_inline_context(&mut self) {
        if self.inlines.is_empty() {
            self.inlines.push(InlineFrame {
                kind: InlineKind::Implicit,
                content: Vec::new(),
                html: None,
            });
        }
    }

    fn push_inline(&mut self, inline: Inline) {
        self.ensure_inline_context();
        if let Some(frame) = self.inlines.last_mut() {
            frame.content.push(inline);
        }
    }

    fn close_implicit(&mut self) {
        if matches!(
            self.inlines.first(),
            Some(InlineFrame {
                kind: InlineKind::Implicit,
                ..
            })
        ) {
            self.close_paragraph();
        }
    }

    /// Ends the paragraph or heading at the bottom of the inline stack (closing anything left
    /// open inside it by unbalanced inline HTML).
    fn close_paragraph(&mut self) {
        while self.inlines.len() > 1 {
            self.fold_top_inline(None);
        }
        let Some(frame) = self.inlines.pop() else {
            return;
        };
        if let Some(math) = display_math(&frame.content) {
            self.push_block(math);
            return;
        }
        let content = resolve_soft_breaks(frame.content);
        let block = match frame.kind {
            InlineKind::Heading(level) => Some(Block::Heading { level, content }),
            _ => paragraph_or_figure(content),
        };
        if let Some(block) = block {
            self.push_block(block);
        }
    }

    fn pop_inline_content(&mut self) -> Vec<Inline> {
        while self.inlines.len() > 1 {
            self.fold_top_inline(None);
        }
        self.inlines
            .pop()
            .map(|f| resolve_soft_breaks(f.content))
            .unwrap_or_default()
    }

    fn close_inline(&mut self, state: &mut State) {
        // Unbalanced inline HTML inside (an unclosed `<kbd>`) is closed first.
        while self.inlines.len() > 1 && self.inlines.last().is_some_and(|f| f.html.is_some()) {
            self.fold_top_inline(None);
        }
        if self.inlines.len() > 1
            || !matches!(
                self.inlines.last().map(|f| &f.kind),
                Some(
                    InlineKind::Paragraph
                        | InlineKind::Implicit
                        | InlineKind::Heading(_)
                        | InlineKind::Cell
                ) | None
            )
        {
            self.fold_top_inline(Some(state));
        }
    }

    /// Pops the top inline frame and appends it, as a node, to the frame below.
    fn fold_top_inline(&mut self, state: Option<&mut State>) {
        let Some(frame) = self.inlines.pop() else {
            return;
        };
        let content = frame.content;
        let node = match frame.kind {
            InlineKind::Emphasis => Inline::Emphasis(content),
            InlineKind::Strong => Inline::Strong(content),
            InlineKind::Strikethrough => Inline::Strikethrough(content),
            InlineKind::Styled(style) => Inline::Styled { style, content },
            InlineKind::Link { url, title } => {
                let target = match state {
                    Some(s) => {
                        if super::links::is_script_url(&url) {
                            s.ctx.warn(
                                self.line(),
                                "removed the javascript: link from the text: a book runs no scripts",
                            );
                        }
                        s.ctx.link_target(&url)
                    }
                    None => super::LinkTarget::Unresolved(url),
                };
                Inline::Link {
                    target,
                    title: Some(title).filter(|t| !t.is_empty()),
                    content,
                }
            }
            InlineKind::Image { url, title } => {
                let alt = Inline::plain_text(&content);
                let line = self.line();
                let source = match state {
                    Some(s) => s.ctx.image_source(&url, line),
                    None => super::ImageSource::Missing(url),
                };
                Inline::Image(Image {
                    source,
                    alt,
                    title: Some(title).filter(|t| !t.is_empty()),
                })
            }
            InlineKind::Paragraph
            | InlineKind::Implicit
            | InlineKind::Heading(_)
            | InlineKind::Cell => {
                // A bottom frame is never folded; put it back.
                self.inlines.push(InlineFrame {
                    kind: frame.kind,
                    content,
                    html: frame.html,
                });
                return;
            }
        };
        if let Some(parent) = self.inlines.last_mut() {
            parent.content.push(node);
        }
    }

    fn push_block(&mut self, block: Block) {
        match self.blocks.last_mut() {
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
                crate::document::Inline::plain_text(&block_text(&block)),
            )]]),
            None => self.blocks.push(BlockFrame::Root(vec![block])),
        }
    }

    fn close_block(&mut self, state: &mut State) {
        if self.blocks.len() <= 1 {
            return;
        }
        let Some(frame) = self.blocks.pop() else {
            return;
        };
        if matches!(frame, BlockFrame::Quote(_) | BlockFrame::List { .. }) {
            self.levels = self.levels.saturating_sub(1);
        }
        match frame {
            BlockFrame::Root(blocks) => {
                for b in blocks {
                    self.push_block(b);
                }
            }
            BlockFrame::Quote(blocks) => self.push_block(Block::Quote {
                style: QuoteStyle::Plain,
                blocks,
                attribution: Vec::new(),
            }),
            BlockFrame::List { start, items } => self.push_block(Block::List { start, items }),
            BlockFrame::Item { task, blocks } => {
                if let Some(BlockFrame::List { items, .. }) = self.blocks.last_mut() {
                    items.push(ListItem { task, blocks });
                } else {
                    for b in blocks {
                        self.push_block(b);
                    }
                }
            }
            BlockFrame::Footnote { label, blocks } => {
                state.footnotes.definitions.push((label, blocks))
            }
            BlockFrame::Table {
                alignments,
                head,
                rows,
                ..
            } => self.push_block(Block::Table {
                alignments,
                head,
                rows,
            }),
            BlockFrame::Html { open, blocks, .. } => {
                self.push_block(html::fill_container(open, blocks))
            }
        }
    }

    fn end_code(&mut self) {
        if let Some(Code {
            language,
            caption,
            text,
        }) = self.code.take()
        {
            self.push_block(Block::Code {
                language,
                caption,
                text,
            });
        }
    }

    /// A raw HTML block: tag placeholders, a container that opens or closes around Markdown,
    /// or self-contained HTML to convert.
    fn end_html_block(&mut self, state: &mut State) {
        let Some(text) = self.html.take() else { return };
        let line = self.line();
        let trimmed = html::strip_comments(&text);
        let trimmed = trimmed.trim();
        if trimmed.is_empty() {
            return;
        }
        if let Some(ids) = placeholder_ids(trimmed) {
            for id in ids {
                if let Some(tag) = self.source.tags.get(id) {
                    for block in plugins::block(tag, state) {
                        self.push_block(block);
                    }
                }
            }
            return;
        }
        for step in html::container_steps(trimmed) {
            match step {
                html::Step::Open { tag, fragment } => {
                    let open = html::open_container(&tag, &fragment, state, line);
                    self.blocks.push(BlockFrame::Html {
                        tag,
                        open,
                        blocks: Vec::new(),
                    });
                }
                html::Step::Close(tag) => {
                    if self
                        .blocks
                        .iter()
                        .any(|f| matches!(f, BlockFrame::Html { tag: t, .. } if *t == tag))
                    {
                        while let Some(BlockFrame::Html { tag: t, .. }) = self.blocks.last() {
                            let done = *t == tag;
                            self.close_block(state);
                            if done {
                                break;
                            }
                        }
                    }
                }
                html::Step::Blocks(fragment) => {
                    for block in html::to_blocks(&fragment, state, line) {
                        self.push_block(block);
                    }
                }
            }
        }
    }

    /// Inline HTML: placeholders, `<br>`, `<img>`, and formatting tags opened and closed
    /// across events.
    fn inline_html(&mut self, state: &mut State, raw: &str) {
        if let Some(ids) = placeholder_ids(raw.trim()) {
            for id in ids {
                if let Some(tag) = self.source.tags.get(id) {
                    for inline in plugins::inline(tag, state) {
                        self.push_inline(inline);
                    }
                }
            }
            return;
        }
        let Some(tag) = html::parse_tag(raw) else {
            return;
        };
        let line = self.line();
        if tag.closing {
            let position = self
                .inlines
                .iter()
                .rposition(|f| f.html.as_deref() == Some(tag.name.as_str()));
            if let Some(position) = position {
                while self.inlines.len() > position + 1 {
                    self.fold_top_inline(Some(state));
                }
                self.fold_top_inline(Some(state));
            }
            return;
        }
        if matches!(tag.name.as_str(), "script" | "style") && !tag.self_closing {
            html::warn_if_dropped(&tag, state, line);
            self.skip_until = Some(tag.name.clone());
            return;
        }
        if let Some(inline) = html::void_inline(&tag, state, line) {
            self.push_inline(inline);
            return;
        }
        let kind = match html::inline_kind(&tag) {
            Some(html::InlineHtml::Style(style)) => InlineKind::Styled(style),
            Some(html::InlineHtml::Emphasis) => InlineKind::Emphasis,
            Some(html::InlineHtml::Strong) => InlineKind::Strong,
            Some(html::InlineHtml::Strike) => InlineKind::Strikethrough,
            Some(html::InlineHtml::Link(href)) => InlineKind::Link {
                url: href,
                title: String::new(),
            },
            None => {
                html::warn_if_dropped(&tag, state, line);
                return;
            }
        };
        if tag.self_closing {
            return;
        }
        self.ensure_inline_context();
        if self.inline_too_deep() {
            // Its closing tag finds no frame and is dropped as well.
            return;
        }
        self.inlines.push(InlineFrame {
            kind,
            content: Vec::new(),
            html: Some(tag.name.clone()),
        });
    }

    /// Whether the inline stack is full; notes the line for the warning when it is.
    fn inline_too_deep(&mut self) -> bool {
        let full = self.inlines.len() > MAX_INLINE_NESTING;
        if full {
            let line = self.line();
            self.inline_flattened_at.get_or_insert(line);
        }
        full
    }

    fn finish(mut self, state: &mut State) -> Vec<Block> {
        if let Some(buffer) = self.html.take() {
            self.html = Some(buffer);
            self.end_html_block(state);
        }
        self.end_code();
        while !self.inlines.is_empty() {
            self.close_paragraph();
        }
        while self.blocks.len() > 1 {
            self.close_block(state);
        }
        if let Some(line) = self.inline_flattened_at {
            state.ctx.warn(
                line,
                format!(
                    "emphasis, links or inline styles nested more than {MAX_INLINE_NESTING} \
                     deep; the deeper ones are left out, their text is kept"
                ),
            );
        }
        if let Some(line) = self.flattened_at {
            state.ctx.warn(
                line,
                format!(
                    "quotes or lists nested more than {MAX_NESTING} deep; the deeper levels are \
                     set at level {MAX_NESTING}"
                ),
            );
        }
        match self.blocks.pop() {
            Some(BlockFrame::Root(blocks)) => blocks,
            _ => Vec::new(),
        }
    }
}

fn block_text(block: &Block) -> Vec<Inline> {
    match block {
        Block::Paragraph(c) | Block::Heading { content: c, .. } => c.clone(),
        Block::Code { text, .. } => vec![Inline::Code(text.clone())],
        _ => Vec::new(),
    }
}

fn alignment(a: pulldown_cmark::Alignment) -> Alignment {
    match a {
        pulldown_cmark::Alignment::None => Alignment::None,
        pulldown_cmark::Alignment::Left => Alignment::Left,
        pulldown_cmark::Alignment::Center => Alignment::Center,
        pulldown_cmark::Alignment::Right => Alignment::Right,
    }
}

/// `<inkstone-tag id="3"/>` (possibly several, separated by spaces) → their ids.
fn placeholder_ids(text: &str) -> Option<Vec<usize>> {
    let mut ids = Vec::new();
    for part in text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .split("/>")
    {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let rest = part.strip_prefix(&format!("<{} id=\"", tags::PLACEHOLDER))?;
        ids.push(rest.strip_suffix('"')?.parse().ok()?);
    }
    (!ids.is_empty()).then_some(ids)
}

/// Text without control characters (NUL, backspace, …), which XML forbids and no font draws;
/// dropping them is reported once per text node.
fn without_controls(text: &str, state: &State, line: usize) -> String {
    let is_bad = |c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r');
    let Some(bad) = text.chars().find(|&c| is_bad(c)) else {
        return text.to_string();
    };
    state.ctx.warn(
        line,
        format!(
            "dropped control character U+{:04X} from the text",
            bad as u32
        ),
    );
    text.chars().filter(|&c| !is_bad(c)).collect()
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
    is_math.then(|| Block::Code {
        language: Some("tex".into()),
        caption: Vec::new(),
        text: format!("{trimmed}\n"),
    })
}

/// A paragraph that holds nothing but one image is a figure, captioned by its title or alt.
pub fn paragraph_or_figure(content: Vec<Inline>) -> Option<Block> {
    let meaningful: Vec<&Inline> = content
        .iter()
        .filter(|i| !matches!(i, Inline::Text(t) if t.trim().is_empty()))
        .filter(|i| !matches!(i, Inline::SoftBreak | Inline::LineBreak))
        .collect();
    if meaningful.is_empty() {
        return None;
    }
    if let [Inline::Image(image)] = meaningful.as_slice() {
        return Some(Block::figure(image.clone()));
    }
    Some(Block::Paragraph(content))
}

/// A line break inside a paragraph is a space between Latin words but nothing between two
/// Chinese characters (CSS Text 3's segment-break rule), so `中\n文` reads `中文`.
fn resolve_soft_breaks(content: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(content.len());
    let mut iter = content.into_iter().peekable();
    while let Some(inline) = iter.next() {
        match inline {
            Inline::SoftBreak => {
                let before = out.last().and_then(last_char);
                let after = iter.peek().and_then(first_char);
                let joins =
                    matches!((before, after), (Some(b), Some(a)) if is_wide(b) && is_wide(a));
                if !joins {
                    out.push(Inline::Text(" ".into()));
                }
            }
            Inline::Emphasis(c) => out.push(Inline::Emphasis(resolve_soft_breaks(c))),
            Inline::Strong(c) => out.push(Inline::Strong(resolve_soft_breaks(c))),
            Inline::Strikethrough(c) => out.push(Inline::Strikethrough(resolve_soft_breaks(c))),
            Inline::Link {
                target,
                title,
                content,
            } => out.push(Inline::Link {
                target,
                title,
                content: resolve_soft_breaks(content),
            }),
            other => out.push(other),
        }
    }
    merge_text(out)
}

/// Adjacent text nodes merged, so later stages see whole runs.
fn merge_text(content: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(content.len());
    for inline in content {
        if let (Some(Inline::Text(prev)), Inline::Text(next)) = (out.last_mut(), &inline) {
            prev.push_str(next);
        } else {
            out.push(inline);
        }
    }
    out
}

fn last_char(inline: &Inline) -> Option<char> {
    match inline {
        Inline::Text(t) | Inline::Code(t) => t.chars().last(),
        Inline::Emphasis(c)
        | Inline::Strong(c)
        | Inline::Strikethrough(c)
        | Inline::Styled { content: c, .. }
        | Inline::Link { content: c, .. } => c.last().and_then(last_char),
        _ => None,
    }
}

fn first_char(inline: &Inline) -> Option<char> {
    match inline {
        Inline::Text(t) | Inline::Code(t) => t.chars().next(),
        Inline::Emphasis(c)
        | Inline::Strong(c)
        | Inline::Strikethrough(c)
        | Inline::Styled { content: c, .. }
        | Inline::Link { content: c, .. } => c.first().and_then(first_char),
        _ => None,
    }
}

/// Han, kana, Hangul and full-width punctuation: characters set without spaces between them.
pub fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA960..=0xA97F | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
        || matches!(c, '“' | '”' | '‘' | '’' | '—' | '…' | '·')
}
