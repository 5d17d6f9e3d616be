//! Markdown events (pulldown-cmark) → blocks and inlines, in one pass over the events.
//!
//! A stack of open block containers (`block_stack`: quote, list, item, footnote, HTML
//! container) and a stack of open inline containers (`inline_stack`: paragraph, emphasis,
//! link, …) mirror pulldown-cmark's start/end events. Placeholders left by the tag stage become
//! tag-plugin nodes here (`plugins`, which reads their bodies back through [`BodyReader`]), and
//! raw HTML goes to `html_tags` and `html`.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag as MdTag, TagEnd};

use super::block_stack::{BlockFrame, BlockStack};
use super::cjk_emphasis;
use super::footnotes::Footnotes;
use super::html;
use super::html_tags::{self, InlineHtml, Step};
use super::inline_stack::{InlineKind, InlineStack};
use super::links::Context;
use super::plugins::{self, BodyReader};
use super::tags::{self, Expanded};
use super::tree::{Alignment, Block, Document, Inline, MAX_INLINE_NESTING, MAX_NESTING};

/// Parses an expanded post body into a document.
pub fn parse(source: &Expanded, ctx: &Context) -> Document {
    let mut state = State {
        ctx,
        footnotes: Footnotes::default(),
        depth: 0,
        equations: 0,
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
struct State<'a> {
    ctx: &'a Context<'a>,
    footnotes: Footnotes,
    /// Tag plugin bodies open around the one being parsed.
    depth: usize,
    /// Display formulas numbered so far.
    equations: usize,
}

impl State<'_> {
    /// Parses Markdown (already tag-expanded) into blocks.
    fn blocks(&mut self, source: &Expanded) -> Vec<Block> {
        let mut builder = Builder::new(source);
        let Some((text, markers)) = cjk_emphasis::prepare(&source.text) else {
            for (event, range) in Parser::new_ext(&source.text, options()).into_offset_iter() {
                builder.event(self, event, range);
            }
            return builder.finish(self);
        };
        for (event, range) in Parser::new_ext(&text, options()).into_offset_iter() {
            let start = cjk_emphasis::original_offset(range.start, &markers);
            let end = cjk_emphasis::original_offset(range.end, &markers);
            builder.event(self, cjk_emphasis::strip(event), start..end);
        }
        builder.finish(self)
    }
}

impl<'a> BodyReader<'a> for State<'a> {
    fn context(&self) -> &'a Context<'a> {
        self.ctx
    }

    fn next_equation_number(&mut self) -> usize {
        self.equations += 1;
        self.equations
    }

    /// Parses a tag plugin's body, which may hold further tags.
    /// Bodies nested deeper than `MAX_NESTING` are kept as plain text, with a warning.
    fn body_blocks(&mut self, body: &str, first_line: usize) -> Vec<Block> {
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
        let expanded = tags::expand(body, first_line, self.ctx.post.math);
        let blocks = self.blocks(&expanded);
        self.depth -= 1;
        blocks
    }
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

/// The name of the `<script>` or `<style>` an HTML block opens with and never closes.
fn unclosed_script(block: &str) -> Option<&'static str> {
    let tag = html_tags::parse_tag(block.get(..block.find('>')? + 1)?)?;
    ["script", "style"]
        .into_iter()
        .find(|name| tag.name == *name && !tag.closing && !html_tags::closes(block, name))
}

/// Markdown's backslash escapes of ASCII punctuation taken out, as a paragraph would show them.
fn without_escapes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(|n| n.is_ascii_punctuation()) {
            continue;
        }
        out.push(c);
    }
    out
}

struct Builder<'s> {
    source: &'s Expanded,
    blocks: BlockStack,
    inlines: InlineStack,
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
            blocks: BlockStack::new(),
            inlines: InlineStack::default(),
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
                && html_tags::parse_tag(t).is_some_and(|tag| tag.closing && tag.name == *closing)
            {
                self.skip_until = None;
                return;
            }
            // A script never runs past the paragraph, item, heading or cell it opened in.
            let block_ends = matches!(
                event,
                Event::End(
                    TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_) | TagEnd::TableCell
                )
            );
            if !block_ends {
                return;
            }
            self.skip_until = None;
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
                let t = t.replace(tags::FORMULA_MARK, "");
                if !t.is_empty() {
                    let text = without_controls(&t, state, self.line());
                    self.push_inline(Inline::Text(text));
                }
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
            Event::TaskListMarker(checked) => self.blocks.mark_task(checked),
            Event::InlineHtml(t) => self.inline_html(state, &t),
            Event::Html(t) => {
                self.html = Some(t.into_string());
                self.end_html_block(state);
            }
        }
    }

    fn start(&mut self, state: &mut State, tag: MdTag) {
        match tag {
            MdTag::Paragraph => {
                self.close_implicit();
                self.inlines.open_bottom(InlineKind::Paragraph);
            }
            MdTag::Heading { level, .. } => {
                self.close_implicit();
                self.inlines.open_bottom(InlineKind::Heading(level as u8));
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
            MdTag::TableCell => self.inlines.open_bottom(InlineKind::Cell),
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
                let content = self.inlines.close_cell();
                self.blocks.push_cell(content);
            }
            TagEnd::TableHead => self.blocks.end_row(true),
            TagEnd::TableRow => self.blocks.end_row(false),
            TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Link
            | TagEnd::Image => {
                let line = self.line();
                self.inlines.end(state.ctx, line);
            }
            _ => {}
        }
    }

    fn open_block(&mut self, frame: BlockFrame) {
        self.close_implicit();
        let line = self.line();
        self.blocks.open(frame, line);
    }

    fn open_inline(&mut self, kind: InlineKind) {
        let line = self.line();
        self.inlines.open(kind, line);
    }

    fn push_inline(&mut self, inline: Inline) {
        self.inlines.push(inline);
    }

    fn close_implicit(&mut self) {
        if self.inlines.in_implicit() {
            self.close_paragraph();
        }
    }

    /// Ends the paragraph or heading being read, if one is open.
    fn close_paragraph(&mut self) {
        for block in self.inlines.close_paragraph() {
            self.push_block(block);
        }
    }

    fn push_block(&mut self, block: Block) {
        self.blocks.push(block);
    }

    fn close_block(&mut self, state: &mut State) {
        self.blocks.close(&mut state.footnotes);
    }

    fn end_code(&mut self) {
        if let Some(Code {
            language,
            caption,
            text,
        }) = self.code.take()
        {
            self.push_block(Block::code(language, caption, text));
        }
    }

    /// A raw HTML block: tag placeholders, a container that opens or closes around Markdown,
    /// or self-contained HTML to convert.
    fn end_html_block(&mut self, state: &mut State) {
        let Some(text) = self.html.take() else { return };
        let line = self.line();
        let trimmed = html_tags::strip_comments(&text);
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
        if let Some(name) = unclosed_script(trimmed) {
            html_tags::warn_printed_as_text(name, state.ctx, line);
            let text = without_escapes(trimmed);
            self.push_block(Block::Paragraph(vec![Inline::Text(text)]));
            return;
        }
        for step in html_tags::container_steps(trimmed) {
            match step {
                Step::Open { tag, fragment } => {
                    let open = html::open_container(&tag, &fragment, state.ctx, line);
                    self.blocks.open_html(tag, open);
                }
                Step::Close(tag) => self.blocks.close_html(&tag, &mut state.footnotes),
                Step::Blocks(fragment) => {
                    for block in html::to_blocks(&fragment, state.ctx, line) {
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
        let Some(tag) = html_tags::parse_tag(raw) else {
            return;
        };
        let line = self.line();
        if tag.closing {
            self.inlines.close_html(&tag.name, state.ctx, line);
            return;
        }
        if matches!(tag.name.as_str(), "script" | "style") && !tag.self_closing {
            if self.closes_in_paragraph(&tag.name) {
                html_tags::warn_if_dropped(&tag, state.ctx, line);
                self.skip_until = Some(tag.name.clone());
            } else {
                html_tags::warn_printed_as_text(&tag.name, state.ctx, line);
                self.push_inline(Inline::Text(raw.to_string()));
            }
            return;
        }
        if let Some(inline) = html_tags::void_inline(&tag, state.ctx, line) {
            self.push_inline(inline);
            return;
        }
        let kind = match html_tags::inline_kind(&tag) {
            Some(InlineHtml::Style(style)) => InlineKind::Styled(style),
            Some(InlineHtml::Emphasis) => InlineKind::Emphasis,
            Some(InlineHtml::Strong) => InlineKind::Strong,
            Some(InlineHtml::Strike) => InlineKind::Strikethrough,
            Some(InlineHtml::Link(href)) => InlineKind::Link {
                url: href,
                title: String::new(),
            },
            None => {
                html_tags::warn_if_dropped(&tag, state.ctx, line);
                return;
            }
        };
        if tag.self_closing {
            return;
        }
        self.inlines.open_html(kind, tag.name, line);
    }

    /// Whether `</name` follows the event being handled within its paragraph (before the
    /// next blank line).
    fn closes_in_paragraph(&self, name: &str) -> bool {
        let rest = self.source.text.get(self.offset..).unwrap_or_default();
        html_tags::closes(&rest[..rest.find("\n\n").unwrap_or(rest.len())], name)
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
        self.blocks.close_all(&mut state.footnotes);
        if let Some(line) = self.inlines.flattened_at() {
            state.ctx.warn(
                line,
                format!(
                    "emphasis, links or inline styles nested more than {MAX_INLINE_NESTING} \
                     deep; the deeper ones are left out, their text is kept"
                ),
            );
        }
        if let Some(line) = self.blocks.flattened_at() {
            state.ctx.warn(
                line,
                format!(
                    "quotes or lists nested more than {MAX_NESTING} deep; the deeper levels are \
                     set at level {MAX_NESTING}"
                ),
            );
        }
        self.blocks.into_blocks()
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
        let (id, attributes) = rest.split_once('"')?;
        // A formula's placeholder carries its TeX too, escaped: no `"` or `>` inside.
        if !attributes.is_empty() && !attributes.starts_with(' ') {
            return None;
        }
        ids.push(id.parse().ok()?);
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
