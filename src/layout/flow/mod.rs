//! A post's document → a column of vertical blocks (lines, figures, rules), each knowing its
//! height and whether a page may break after it. Heights of body elements are whole numbers of
//! line pitches, so every baseline stays on the page's grid.

mod displays;
mod formula;
mod table;

use std::collections::BTreeSet;

use super::class::{Class, class_of};
use super::linebreak::{self, Options};
use super::page::{Ink, Item};
use super::paragraph::{self, LineBox};
use super::text::{self, LinkRef, Style, StyledText};
use crate::config::PageProfile;
use crate::config::{CodeStyle, PunctuationStyle};
use crate::document::{Block, Document, Inline, LinkTarget, QuoteStyle};
use crate::fonts::{FontSet, Role};

/// A place links can point at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Anchor {
    Footnote(usize),
}

/// One unbreakable slice of the column.
#[derive(Debug, Clone, Default)]
pub struct VBlock {
    pub height: f32,
    pub items: Vec<Item>,
    /// Linked areas, relative to the block.
    pub links: Vec<LinkArea>,
    /// Whether a page may end after this block.
    pub break_after: bool,
    pub anchor: Option<Anchor>,
    /// Lines of text in this block, for checks (one entry per line).
    pub lines: Vec<LineCheck>,
    /// Blocks set again above this one when it starts a page: a table's header rows, above
    /// a row that continues the table (on the grid, so the page's lines stay on it).
    pub repeat: Option<std::sync::Arc<Vec<VBlock>>>,
}

/// An area of a block that links somewhere; x and y from the block's top left.
#[derive(Debug, Clone)]
pub struct LinkArea {
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
    pub target: LinkRef,
}

/// What a line's checks need: its text, where it ends, the measure, whether it is a
/// paragraph's last line and whether it was justified.
#[derive(Debug, Clone, Default)]
pub struct LineCheck {
    pub text: String,
    pub end: f32,
    pub measure: f32,
    pub justified: bool,
    /// Left short of the measure rather than spread past a quarter em between characters.
    pub short: bool,
    pub last: bool,
    /// The blank beside each formula of the line, in em (see `LineBox::formula_gaps`).
    pub formula_gaps: Vec<f32>,
}

/// `shaped` set in `lines` lines of even length: at the narrowest measure (to a tenth of a
/// point) that still needs no more lines, found by halving; or, when a measure up to a third
/// wider breaks the lines only after punctuation or between words, at that one (a heading
/// reads by its phrases: "…标点挤压：" / "text-spacing-trim 初探").
fn balanced(shaped: &text::Shaped, options: &Options, lines: usize) -> Vec<LineBox> {
    let break_at = |measure: f32| {
        let at = Options {
            measure,
            ..*options
        };
        linebreak::break_lines(&shaped.units, &at)
    };
    let (mut narrow, mut wide) = (options.measure / lines as f32, options.measure);
    while wide - narrow > 0.1 {
        let middle = (narrow + wide) / 2.0;
        if break_at(middle).len() > lines {
            narrow = middle;
        } else {
            wide = middle;
        }
    }
    let step = shaped.units.first().map_or(1.0, |u| u.em / 2.0);
    let widest = (wide * 4.0 / 3.0).min(options.measure);
    let at_phrases = std::iter::successors(Some(wide), |m| Some(m + step))
        .take_while(|&m| m <= widest)
        .find(|&m| {
            let set = break_at(m);
            set.len() == lines
                && set[..lines - 1]
                    .iter()
                    .all(|line| ends_a_phrase(&shaped.units, line.units.end))
        });
    paragraph::set(
        shaped,
        &Options {
            measure: at_phrases.unwrap_or(wide),
            ..*options
        },
    )
}

/// Whether a line ending before unit `next` ends after a punctuation mark or a word.
fn ends_a_phrase(units: &[linebreak::Unit], next: usize) -> bool {
    let is_space = |u: &linebreak::Unit| u.ch.is_whitespace();
    let before = units[..next].iter().rev().find(|u| !is_space(u));
    units[..next].last().is_some_and(is_space)
        || units.get(next).is_some_and(is_space)
        || before.is_some_and(|u| {
            matches!(
                class_of(u.ch),
                Class::Stop | Class::Closing | Class::LatinClosing | Class::Inseparable
            )
        })
}

/// A paragraph ending in a colon: it introduces what follows.
fn is_lead_in(block: &Block) -> bool {
    let Block::Paragraph(content) = block else {
        return false;
    };
    Inline::plain_text(content)
        .trim_end()
        .ends_with(['：', ':'])
}

/// A block set apart from the text: a listing, a list or a table.
fn is_display(block: &Block) -> bool {
    matches!(
        block,
        Block::Code { .. } | Block::List { .. } | Block::Table { .. }
    )
}

/// Whether a quote holds lines broken by hand (a poem).
fn holds_verse(blocks: &[Block]) -> bool {
    blocks.iter().any(|block| {
        matches!(block, Block::Paragraph(content)
            if content.iter().any(|inline| matches!(inline, Inline::LineBreak)))
    })
}

/// The baseline of a line of type `size` in a block `height` tall, from the block's top.
fn baseline(size: f32, height: f32) -> f32 {
    (height - size) / 2.0 + size * 0.88
}

/// How far a formula in a line may reach above and below the baseline, in em, before the line
/// is made taller (a line of body text leaves about this much room to its neighbours).
const FORMULA_ROOM_ABOVE: f32 = 1.15;
const FORMULA_ROOM_BELOW: f32 = 0.55;

/// How far above the baseline a strikethrough runs, in em.
const STRIKE_HEIGHT: f32 = 0.32;

/// The narrowest line nesting may leave, in body ems.
const MIN_MEASURE: f32 = 6.0;

/// Lays out blocks of one post.
pub struct Flow<'a> {
    pub fonts: &'a FontSet,
    pub profile: &'a PageProfile,
    pub language: &'a str,
    pub style: PunctuationStyle,
    pub blocks: Vec<VBlock>,
    /// Characters no font could set.
    pub missing: BTreeSet<char>,
    /// Highlighting and line numbers of listings.
    pub code: CodeStyle,
}

/// Indentation and type of the blocks being set.
#[derive(Debug, Clone)]
struct Context {
    left: f32,
    right: f32,
    role: Role,
    scale: f32,
    indent_first: bool,
    ragged: bool,
    gray: f32,
    /// The narrowest line nesting may leave (table cells are as narrow as their columns).
    min_measure: f32,
    /// Lines of even length (headings): as narrow as the same number of lines allows.
    balanced: bool,
}

impl<'a> Flow<'a> {
    pub fn new(
        fonts: &'a FontSet,
        profile: &'a PageProfile,
        language: &'a str,
        style: PunctuationStyle,
    ) -> Self {
        Flow {
            fonts,
            profile,
            language,
            style,
            blocks: Vec::new(),
            missing: BTreeSet::new(),
            code: CodeStyle::default(),
        }
    }

    fn body(&self) -> Context {
        Context {
            left: 0.0,
            right: 0.0,
            role: Role::Body,
            scale: 1.0,
            indent_first: true,
            ragged: false,
            gray: 0.0,
            min_measure: MIN_MEASURE * self.em(),
            balanced: false,
        }
    }

    fn em(&self) -> f32 {
        self.profile.font_size
    }

    /// Empty space of `lines` pitches (a page may break after it).
    pub fn space(&mut self, lines: f32) {
        self.blocks.push(VBlock {
            height: self.profile.line_pitch * lines,
            break_after: true,
            ..VBlock::default()
        });
    }

    /// The title block of a post: title, then date and tags.
    pub fn post_title(&mut self, title: &str, meta: &str) {
        let title_ctx = Context {
            role: Role::Heading,
            scale: 1.45,
            indent_first: false,
            ragged: true,
            balanced: true,
            ..self.body()
        };
        self.text_lines(&[Inline::Text(title.to_string())], &title_ctx, 2.0, false);
        let meta_ctx = Context {
            scale: 0.8,
            indent_first: false,
            ragged: true,
            gray: 0.4,
            ..self.body()
        };
        self.text_lines(&[Inline::Text(meta.to_string())], &meta_ctx, 1.0, false);
        self.keep_with_next();
        self.space(1.0);
        self.keep_with_next();
    }

    /// A chapter's heading at the top of its first page.
    pub fn chapter_title(&mut self, label: &str, title: &str) {
        self.space(3.0);
        let label_ctx = Context {
            role: Role::Heading,
            scale: 0.9,
            indent_first: false,
            ragged: true,
            gray: 0.35,
            ..self.body()
        };
        self.text_lines(&[Inline::Text(label.to_string())], &label_ctx, 1.0, false);
        let title_ctx = Context {
            role: Role::Heading,
            scale: 1.7,
            indent_first: false,
            ragged: true,
            balanced: true,
            ..self.body()
        };
        self.text_lines(&[Inline::Text(title.to_string())], &title_ctx, 2.0, false);
        self.space(2.0);
        let n = self.blocks.len();
        for block in &mut self.blocks[n.saturating_sub(5)..] {
            block.break_after = false;
        }
    }

    /// All blocks of a document, then its footnotes.
    pub fn document(&mut self, doc: &Document) {
        let ctx = self.body();
        self.blocks_in(&doc.blocks, &ctx);
        if doc.footnotes.is_empty() {
            return;
        }
        self.space(1.0);
        let rule = Item::Rule {
            from: (0.0, 0.0),
            to: (self.em() * 8.0, 0.0),
            thickness: 0.4,
            gray: 0.5,
        };
        self.blocks.push(VBlock {
            height: self.profile.line_pitch * 0.5,
            items: vec![rule],
            break_after: false,
            ..VBlock::default()
        });
        let note_ctx = Context {
            scale: 0.85,
            indent_first: false,
            ..self.body()
        };
        for (n, note) in doc.footnotes.iter().enumerate() {
            let start = self.blocks.len();
            let mut blocks = note.blocks.clone();
            let label = Inline::Text(format!("{}　", n + 1));
            match blocks.first_mut() {
                Some(Block::Paragraph(content)) => content.insert(0, label),
                _ => blocks.insert(0, Block::Paragraph(vec![label])),
            }
            self.blocks_in(&blocks, &note_ctx);
            if let Some(first) = self.blocks.get_mut(start) {
                first.anchor = Some(Anchor::Footnote(n));
            }
        }
    }

    fn blocks_in(&mut self, blocks: &[Block], ctx: &Context) {
        for (i, block) in blocks.iter().enumerate() {
            self.block(block, ctx);
            if is_lead_in(block) && blocks.get(i + 1).is_some_and(is_display) {
                // "如下：" stays on the page of the listing, list or table it introduces.
                self.keep_with_next();
            }
        }
    }

    fn block(&mut self, block: &Block, ctx: &Context) {
        let em = self.em();
        match block {
            Block::Paragraph(content) => self.text_lines(content, ctx, 1.0, true),
            Block::Heading { level, content } => {
                let scale = match level {
                    1 | 2 => 1.25,
                    3 => 1.1,
                    _ => 1.0,
                };
                self.space(1.0);
                let heading = Context {
                    role: Role::Heading,
                    scale,
                    indent_first: false,
                    ragged: true,
                    balanced: true,
                    ..ctx.clone()
                };
                self.text_lines(
                    content,
                    &heading,
                    if scale > 1.2 { 1.5 } else { 1.0 },
                    false,
                );
                self.keep_with_next();
            }
            Block::Quote {
                style,
                blocks,
                attribution,
            } => {
                let centred = *style != QuoteStyle::Plain;
                let inner = Context {
                    left: ctx.left + 2.0 * em,
                    right: ctx.right + if centred { 2.0 * em } else { 0.0 },
                    role: Role::Emphasis,
                    scale: if *style == QuoteStyle::Pull {
                        1.1
                    } else {
                        ctx.scale
                    },
                    // A poem's lines, broken by hand, all start at one edge.
                    indent_first: ctx.indent_first && !centred && !holds_verse(blocks),
                    ragged: ctx.ragged || centred,
                    // A centred quote reads by its phrases, as a heading does.
                    balanced: ctx.balanced || centred,
                    ..ctx.clone()
                };
                let start = self.blocks.len();
                self.blocks_in(blocks, &inner);
                if centred {
                    // Pull quotes and `{% cq %}` are set centred, line by line.
                    let width = self.profile.measure() - inner.left - inner.right;
                    self.align_lines(start, width, 0.5);
                }
                if !attribution.is_empty() {
                    let mut line = vec![Inline::Text("——".into())];
                    line.extend(attribution.iter().cloned());
                    let attr = Context {
                        indent_first: false,
                        ragged: true,
                        ..inner
                    };
                    let start = self.blocks.len();
                    self.text_lines(&line, &attr, 1.0, false);
                    // The source of a quotation stands flush right.
                    let width = self.profile.measure() - attr.left - attr.right;
                    self.align_lines(start, width, 1.0);
                }
            }
            Block::List { start, items } => {
                for (i, item) in items.iter().enumerate() {
                    let marker = match (start, item.task) {
                        (_, Some(_)) => item.task_mark().unwrap_or_default().to_string(),
                        (Some(n), None) => format!("{}.", n + i as u64),
                        (None, None) => "•".to_string(),
                    };
                    let inner = Context {
                        left: ctx.left + 2.0 * em,
                        indent_first: false,
                        ..ctx.clone()
                    };
                    let first = self.blocks.len();
                    self.blocks_in(&item.blocks, &inner);
                    self.place_marker(first, &marker, ctx);
                }
            }
            Block::Code {
                caption,
                text,
                tokens,
                ..
            } => self.code(caption, text, tokens, ctx),
            Block::Table {
                alignments,
                head,
                rows,
            } => self.table(alignments, head, rows, ctx),
            Block::Figure { image, caption } => self.figure(image, caption, ctx),
            Block::Note { title, blocks, .. } => self.note(title, blocks, ctx),
            Block::Fold {
                summary: title,
                blocks,
            } => {
                let inner = Context {
                    left: ctx.left + em,
                    ..ctx.clone()
                };
                self.block_title(title, &inner);
                self.blocks_in(blocks, &inner);
            }
            Block::Tabs(tabs) => {
                for (title, blocks) in tabs {
                    self.block_title(title, ctx);
                    self.blocks_in(blocks, ctx);
                }
            }
            Block::Definitions(items) => {
                for (term, blocks) in items {
                    self.block_title(term, ctx);
                    let inner = Context {
                        left: ctx.left + 2.0 * em,
                        indent_first: false,
                        ..ctx.clone()
                    };
                    self.blocks_in(blocks, &inner);
                }
            }
            Block::Embed { label, url } => {
                // The address as written, linked as in the EPUB: only where it leads somewhere
                // outside the book.
                let content = vec![
                    Inline::Text(format!("{label}：")),
                    Inline::Link {
                        target: LinkTarget::embedded(url),
                        title: None,
                        content: vec![Inline::Code(url.clone())],
                    },
                ];
                // A label and an address: nothing to justify.
                let c = Context {
                    indent_first: false,
                    ragged: true,
                    ..ctx.clone()
                };
                self.text_lines(&content, &c, 1.0, false);
            }
            Block::Division(blocks) => self.blocks_in(blocks, ctx),
            Block::Math(formula) => self.formula(formula, ctx),
            Block::Rule => {
                let width = 6.0 * em;
                let x = ctx.left + (self.profile.measure() - ctx.left - ctx.right - width) / 2.0;
                let y = self.profile.line_pitch / 2.0;
                let rule = Item::Rule {
                    from: (x, y),
                    to: (x + width, y),
                    thickness: 0.5,
                    gray: 0.4,
                };
                self.blocks.push(VBlock {
                    height: self.profile.line_pitch,
                    items: vec![rule],
                    break_after: true,
                    ..VBlock::default()
                });
            }
        }
    }

    /// The title of a note, fold or tab, or a definition's term: a heading-font line kept
    /// with what it titles; nothing when it is empty.
    fn block_title(&mut self, title: &[Inline], ctx: &Context) {
        if title.is_empty() {
            return;
        }
        let heading = Context {
            role: Role::Heading,
            indent_first: false,
            ragged: true,
            ..ctx.clone()
        };
        self.text_lines(title, &heading, 1.0, false);
        self.keep_with_next();
    }

    /// The last block may not be followed by a page break.
    fn keep_with_next(&mut self) {
        if let Some(last) = self.blocks.last_mut() {
            last.break_after = false;
        }
    }

    /// A list marker hung in the indent of the item's first line.
    fn place_marker(&mut self, first_block: usize, marker: &str, ctx: &Context) {
        let Some(block) = self.blocks.get(first_block) else {
            return;
        };
        let baseline = block.items.iter().find_map(|i| match i {
            Item::Text(run) => Some(run.y),
            _ => None,
        });
        let Some(baseline) = baseline else { return };
        let style = Style::plain(ctx.role);
        let mut styled = StyledText::default();
        styled.push(marker, &style);
        let shaped = text::shape(
            &styled,
            self.fonts,
            self.em() * ctx.scale,
            self.language,
            &mut self.missing,
        );
        let options = Options {
            measure: 2.0 * self.em(),
            first_indent: 0.0,
            style: self.style,
            justify_last: false,
            ragged: true,
        };
        if let Some(line) = paragraph::set(&shaped, &options).into_iter().next() {
            for mut run in line.runs {
                run.x += ctx.left;
                run.y += baseline;
                self.blocks[first_block].items.push(Item::Text(run));
            }
        }
    }

    /// Sets inlines as a paragraph (or heading) in `ctx`: one block per line, each `pitch`
    /// body pitches high; orphan and widow lines are kept with their neighbours.
    fn text_lines(&mut self, content: &[Inline], ctx: &Context, pitch: f32, is_paragraph: bool) {
        // Deeply nested quotes and lists stop indenting where a line would get narrower than
        // MIN_MEASURE ems: their text must still be set.
        let narrowest = ctx.min_measure;
        let full = self.profile.measure();
        let ctx = &Context {
            right: ctx.right.min(full - narrowest).max(0.0),
            left: ctx
                .left
                .min(full - narrowest - ctx.right.min(full - narrowest).max(0.0))
                .max(0.0),
            ..ctx.clone()
        };
        let base = Style {
            ink: Ink::Gray(ctx.gray),
            scale: 1.0,
            ..Style::plain(ctx.role)
        };
        let size = self.em() * ctx.scale;
        let measure = self.profile.measure() - ctx.left - ctx.right;
        let segments = text::styled_lines(content, &base);
        let mut lines: Vec<LineBox> = Vec::new();
        let mut last_flags = Vec::new();
        for (n, segment) in segments.iter().enumerate() {
            if segment.is_blank() && segments.len() > 1 {
                continue;
            }
            let shaped = text::shape(segment, self.fonts, size, self.language, &mut self.missing);
            let indent = if n == 0 && ctx.indent_first && is_paragraph {
                2.0 * self.em()
            } else {
                0.0
            };
            let options = Options {
                measure,
                first_indent: indent,
                style: self.style,
                justify_last: false,
                ragged: ctx.ragged,
            };
            let mut set = paragraph::set(&shaped, &options);
            if ctx.balanced && set.len() > 1 {
                set = balanced(&shaped, &options, set.len());
            }
            let count = set.len();
            for (k, line) in set.into_iter().enumerate() {
                last_flags.push(k + 1 == count);
                lines.push(line);
            }
        }
        let height = self.profile.line_pitch * pitch;
        let count = lines.len();
        for (k, (line, last)) in lines.into_iter().zip(last_flags).enumerate() {
            // A line may be left short rather than spread too far (see `linebreak::set_line`).
            let check = LineCheck {
                text: line.text.clone(),
                end: line.end,
                measure,
                justified: !ctx.ragged && !line.short,
                short: line.short,
                last,
                formula_gaps: line.formula_gaps.clone(),
            };
            let block = self.line_block(line, check, ctx.left, size, height);
            self.blocks.push(VBlock {
                break_after: may_break_after_line(k, count),
                ..block
            });
        }
    }

    /// A block holding one set line, `left` points in, its baseline centred in `height`.
    fn line_block(
        &mut self,
        line: LineBox,
        check: LineCheck,
        left: f32,
        size: f32,
        height: f32,
    ) -> VBlock {
        let baseline = baseline(size, height);
        let mut block = VBlock {
            height,
            break_after: true,
            lines: vec![check],
            ..VBlock::default()
        };
        // A formula taller than the line's share of the pitch makes the line taller, so it
        // never reaches into the lines above and below.
        let (above, below) = line.formula_extent;
        let extra_above = (above - size * FORMULA_ROOM_ABOVE).max(0.0);
        let extra_below = (below - size * FORMULA_ROOM_BELOW).max(0.0);
        let baseline = baseline + extra_above;
        block.height += extra_above + extra_below;
        // Formula items go between the runs where they stand: drawn in reading order.
        let mut formula_items = line.items.iter().peekable();
        for (n, mut run) in line.runs.into_iter().enumerate() {
            while let Some((_, item)) = formula_items.next_if(|(before, _)| *before <= n) {
                block.items.push(item.shifted(left, baseline));
            }
            run.x += left;
            run.y += baseline;
            block.items.push(Item::Text(run));
        }
        block
            .items
            .extend(formula_items.map(|(_, i)| i.shifted(left, baseline)));
        for span in line.links {
            block.links.push(LinkArea {
                x: left + span.x,
                y: baseline - size,
                width: span.width,
                height: size * 1.2,
                target: span.target,
            });
        }
        for (x, width, size) in line.strikes {
            // Through the middle of the Han body (and of Latin lowercase).
            let y = baseline - size * STRIKE_HEIGHT;
            block.items.push(Item::Rule {
                from: (left + x, y),
                to: (left + x + width, y),
                thickness: size * 0.06,
                gray: 0.0,
            });
        }
        for (x, size, ch) in line.missing {
            let items = self.missing_glyph_box(left + x, baseline, size, ch);
            block.items.extend(items);
        }
        block
    }

    /// What stands for a character no font has: its code point in hexadecimal, in two rows
    /// inside a box one em wide, as fallback fonts draw it (豆腐块).
    fn missing_glyph_box(&mut self, x: f32, baseline: f32, size: f32, ch: char) -> Vec<Item> {
        let (top, bottom) = (baseline - size * 0.86, baseline + size * 0.1);
        let (l, r) = (x + size * 0.06, x + size * 0.94);
        let thin = size * 0.04;
        let mut items: Vec<Item> = [
            ((l, top), (r, top)),
            ((r, top), (r, bottom)),
            ((r, bottom), (l, bottom)),
            ((l, bottom), (l, top)),
        ]
        .into_iter()
        .map(|(from, to)| Item::Rule {
            from,
            to,
            thickness: thin,
            gray: 0.3,
        })
        .collect();
        let hex = format!("{:04X}", ch as u32);
        let (first, second) = hex.split_at(hex.len() / 2);
        let digits = size * 0.36;
        for (row, y) in [(first, top + size * 0.42), (second, top + size * 0.84)] {
            let mut styled = StyledText::default();
            styled.push(row, &Style::plain(Role::Mono));
            let shaped = text::shape(
                &styled,
                self.fonts,
                digits,
                self.language,
                &mut self.missing,
            );
            let set = paragraph::set_as_is(&shaped);
            let width = set.end;
            for mut run in set.runs {
                run.x += x + (size - width) / 2.0;
                run.y += y;
                run.ink = Ink::Gray(0.3);
                items.push(Item::Text(run));
            }
        }
        items
    }

    /// Pads the blocks since `start` with space so the column returns to the line grid.
    fn round_to_grid(&mut self, start: usize) {
        let used: f32 = self.blocks[start..].iter().map(|b| b.height).sum();
        let pitch = self.profile.line_pitch;
        let rest = (used / pitch).ceil() * pitch - used;
        if rest > 0.01 {
            self.blocks.push(VBlock {
                height: rest,
                break_after: true,
                ..VBlock::default()
            });
        }
    }

    /// Moves the lines of the blocks since `start` right by `share` of their free space
    /// within `width` (0.5 centres, 1.0 sets flush right).
    fn align_lines(&mut self, start: usize, width: f32, share: f32) {
        for block in &mut self.blocks[start..] {
            let Some(end) = block.lines.first().map(|l| l.end) else {
                continue;
            };
            let shift = (width - end) * share;
            for item in &mut block.items {
                if let Item::Text(run) = item {
                    run.x += shift;
                }
            }
            for link in &mut block.links {
                link.x += shift;
            }
            for line in &mut block.lines {
                line.justified = false;
            }
        }
    }
}

/// Whether a page may end after line `k` of a paragraph of `count` lines: never after its
/// first line (an orphan at the page's foot) nor before its last (a widow at the next head).
pub fn may_break_after_line(k: usize, count: usize) -> bool {
    let is_last = k + 1 == count;
    is_last || (k != 0 && k + 2 != count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Image, ImageSource};

    /// `blocks` set in the shipped fonts on the default page.
    fn set_blocks(blocks: Vec<Block>) -> Vec<VBlock> {
        let files = crate::fonts::load_all(&crate::config::Fonts::default())
            .unwrap_or_else(|e| panic!("{e}"));
        let fonts = FontSet::new(&files).unwrap_or_else(|e| panic!("{e}"));
        let profile = PageProfile::kai32();
        let mut flow = Flow::new(&fonts, &profile, "zh-CN", PunctuationStyle::default());
        flow.document(&Document {
            blocks,
            footnotes: Vec::new(),
        });
        flow.blocks
    }

    /// The linked areas of `blocks` set in the shipped fonts, in order, with their lines.
    fn link_areas(blocks: Vec<Block>) -> Vec<(usize, LinkArea)> {
        set_blocks(blocks)
            .into_iter()
            .enumerate()
            .flat_map(|(i, b)| b.links.into_iter().map(move |l| (i, l)))
            .collect()
    }

    fn web(url: &str, content: Vec<Inline>) -> Inline {
        Inline::Link {
            target: LinkTarget::External(url.into()),
            title: None,
            content,
        }
    }

    #[test]
    fn links_inside_links_and_linked_badges_get_areas_that_do_not_overlap() {
        let badge = Inline::Image(Image {
            source: ImageSource::Remote("https://travis-ci.org/u/p.svg".into()),
            alt: "Build Status".into(),
            title: None,
        });
        let areas = link_areas(vec![
            Block::Paragraph(vec![web("https://travis-ci.org/u/p", vec![badge])]),
            Block::Paragraph(vec![web(
                "https://o.org",
                vec![
                    Inline::Text("见 ".into()),
                    web("https://y.org", vec![Inline::Text("文档".into())]),
                    Inline::Text(" 一节".into()),
                ],
            )]),
        ]);
        let targets: Vec<&LinkRef> = areas.iter().map(|(_, a)| &a.target).collect();
        let url = |u: &str| LinkRef::Url(u.into());
        assert_eq!(
            targets,
            [
                &url("https://travis-ci.org/u/p"),
                &url("https://o.org"),
                &url("https://y.org"),
                &url("https://o.org"),
            ]
        );
        for pair in areas.windows(2) {
            let ((line_a, a), (line_b, b)) = (&pair[0], &pair[1]);
            assert!(
                line_a != line_b || a.x + a.width <= b.x + 0.01,
                "overlapping links: {a:?} {b:?}"
            );
        }
    }

    #[test]
    fn an_embed_links_its_address_only_when_it_is_on_the_web() {
        let embed = |url: &str| Block::Embed {
            label: "网页".into(),
            url: url.into(),
        };
        let areas = link_areas(vec![
            embed("pdf/data_mining.pdf"),
            embed("//player.bilibili.com/player.html?aid=1"),
        ]);
        let targets: Vec<&LinkRef> = areas.iter().map(|(_, a)| &a.target).collect();
        assert_eq!(
            targets,
            [&LinkRef::Url(
                "https://player.bilibili.com/player.html?aid=1".into()
            )]
        );
    }

    #[test]
    fn a_note_is_a_tinted_box_with_a_rule_down_its_left_side() {
        let blocks = set_blocks(vec![Block::Note {
            kind: "info".into(),
            title: vec![Inline::Text("提示".into())],
            blocks: vec![Block::Paragraph(vec![Inline::Text("正文。".into())])],
        }]);
        let lines: Vec<&VBlock> = blocks.iter().filter(|b| !b.lines.is_empty()).collect();
        assert_eq!(lines.len(), 2, "title and one line of text");
        for block in lines {
            assert!(
                matches!(block.items[0], Item::Fill { x, ink: Ink::Gray(gray), .. } if x == 0.0 && gray == 0.95),
                "tint first: {:?}",
                block.items[0]
            );
            assert!(
                matches!(block.items[1], Item::Fill { width, ink: Ink::Gray(gray), .. } if width < 3.0 && gray == 0.6),
                "then the rule: {:?}",
                block.items[1]
            );
        }
        let height: f32 = blocks.iter().map(|b| b.height).sum();
        let pitches = height / PageProfile::kai32().line_pitch;
        assert!(
            (pitches - pitches.round()).abs() < 1e-3,
            "on the grid: {pitches}"
        );
    }

    #[test]
    fn a_paragraph_ending_in_a_colon_stays_with_the_listing_it_introduces() {
        let lead = Block::Paragraph(vec![Inline::Text("命令如下：".into())]);
        let code = Block::code(None, Vec::new(), "ls\n".into());
        let blocks = set_blocks(vec![lead.clone(), code.clone()]);
        let last_line = blocks
            .iter()
            .rposition(|b| b.lines.iter().any(|l| l.text == "命令如下："));
        assert_eq!(last_line.map(|i| blocks[i].break_after), Some(false));
        let plain = Block::Paragraph(vec![Inline::Text("命令在此。".into())]);
        let blocks = set_blocks(vec![plain, code]);
        let last_line = blocks
            .iter()
            .rposition(|b| b.lines.iter().any(|l| l.text == "命令在此。"));
        assert_eq!(last_line.map(|i| blocks[i].break_after), Some(true));
    }

    #[test]
    fn the_lines_of_a_poem_in_a_quote_start_at_one_edge() {
        let poem = Block::Quote {
            style: QuoteStyle::Plain,
            blocks: vec![Block::Paragraph(vec![
                Inline::Text("床前明月光，".into()),
                Inline::LineBreak,
                Inline::Text("疑是地上霜。".into()),
            ])],
            attribution: Vec::new(),
        };
        let starts: Vec<f32> = set_blocks(vec![poem])
            .iter()
            .filter_map(|b| {
                b.items.iter().find_map(|item| match item {
                    Item::Text(run) => Some(run.x),
                    _ => None,
                })
            })
            .collect();
        assert_eq!(starts.len(), 2, "{starts:?}");
        assert!((starts[0] - starts[1]).abs() < 0.01, "{starts:?}");
    }

    #[test]
    fn a_heading_of_two_lines_sets_them_of_even_length() {
        let title = "为什么我在写了十年博客之后终于决定把它们排成一本真正的书和几个小习惯";
        let blocks = set_blocks(vec![Block::Heading {
            level: 2,
            content: vec![Inline::Text(title.into())],
        }]);
        let lines: Vec<&LineCheck> = blocks.iter().flat_map(|b| &b.lines).collect();
        assert_eq!(lines.len(), 2);
        let (a, b) = (lines[0].text.chars().count(), lines[1].text.chars().count());
        assert!(a.abs_diff(b) <= 1, "{a} and {b}: {lines:?}");
        assert_eq!(format!("{}{}", lines[0].text, lines[1].text), title);
    }

    #[test]
    fn paragraphs_keep_first_and_last_lines_company() {
        let breaks = |count| {
            (0..count)
                .map(|k| may_break_after_line(k, count))
                .collect::<Vec<_>>()
        };
        assert_eq!(breaks(1), [true]);
        assert_eq!(breaks(2), [false, true]);
        assert_eq!(breaks(3), [false, false, true]);
        assert_eq!(breaks(5), [false, true, true, false, true]);
    }
}
