//! Blocks set apart from the running text: code listings, tables and figures, each padded
//! back to the line grid.

use std::ops::Range;
use std::sync::Arc;

use super::{Context, Flow, LineCheck, VBlock};
use crate::config::Highlight;
use crate::document::{Block, Image, ImageSource, Inline};
use crate::fonts::FontSet;
use crate::fonts::Role;
use crate::highlight::{self, Token};
use crate::images::format as image_format;
use crate::layout::code;
use crate::layout::page::{ImageBox, Ink, Item, TextRun};
use crate::layout::paragraph;
use crate::layout::text;
use crate::layout::text::{Style, StyledText};

/// Code is set smaller than the text around it, as monospaced faces look large.
const CODE_SCALE: f32 = 0.82;

/// Marks a line of code that goes on from the line above.
const CONTINUATION_MARK: &str = "↪";

/// The grey of line numbers and continuation marks: AA contrast on the listing's tint.
const MARK_GRAY: f32 = 0.42;

/// Where a listing's lines go: their left edge and measure, type size, line height and the
/// width of one column of the monospaced grid, in points.
struct Grid {
    left: f32,
    measure: f32,
    size: f32,
    height: f32,
    column: f32,
}

/// `runs` moved `dx` points along the line.
fn shifted(mut runs: Vec<TextRun>, dx: f32) -> Vec<TextRun> {
    for run in &mut runs {
        run.x += dx;
    }
    runs
}

impl Flow<'_> {
    /// Code: monospaced, never justified, long lines wrapped, on a light background; its
    /// tokens in their tones' inks and, when the book asks, each line's number in a gutter.
    pub(super) fn code(&mut self, caption: &[Inline], code: &str, tokens: &[Token], ctx: &Context) {
        if !caption.is_empty() {
            let c = Context {
                role: Role::Heading,
                scale: 0.85,
                indent_first: false,
                ragged: true,
                ..ctx.clone()
            };
            self.text_lines(caption, &c, 1.0, false);
            self.keep_with_next();
        }
        let code = code.trim_end_matches('\n');
        let size = self.em() * CODE_SCALE;
        let column = self.code_column(size);
        // The gutter: the widest number and a column between it and the code.
        let digits = code.split('\n').count().to_string().len();
        let gutter = if self.code.line_numbers {
            (digits + 1) as f32 * column
        } else {
            0.0
        };
        let grid = Grid {
            left: ctx.left + 0.5 * self.em() + gutter,
            measure: self.profile.measure() - ctx.left - ctx.right - self.em() - gutter,
            size,
            height: self.profile.line_pitch * 0.8,
            column,
        };
        let start = self.blocks.len();
        let mut line_start = 0;
        for (n, source_line) in code.split('\n').enumerate() {
            let range = line_start..line_start + source_line.trim_end().len();
            line_start += source_line.len() + 1;
            let number = self.code.line_numbers.then(|| {
                let (runs, width) = self.code_mark(&(n + 1).to_string(), size);
                shifted(runs, -column - width)
            });
            self.code_line(code, range, tokens, number.unwrap_or_default(), &grid);
        }
        self.tint(start, ctx);
        let count = self.blocks.len() - start;
        for (k, block) in self.blocks[start..].iter_mut().enumerate() {
            // A listing, like a paragraph, leaves no lone line at a page's foot or head.
            block.break_after = super::may_break_after_line(k, count);
        }
        self.round_to_grid(start);
    }

    /// A callout (`{% note %}`): its title and blocks inside a tinted box with a rule down its
    /// left side, half a line apart from the text around it.
    pub(super) fn note(&mut self, title: &[Inline], blocks: &[Block], ctx: &Context) {
        let em = self.em();
        self.space(0.5);
        let inner = Context {
            left: ctx.left + em,
            right: ctx.right + 0.5 * em,
            ..ctx.clone()
        };
        let start = self.blocks.len();
        self.block_title(title, &inner);
        self.blocks_in(blocks, &inner);
        self.tint(start, ctx);
        for block in &mut self.blocks[start..] {
            let bar = Item::Fill {
                x: ctx.left,
                y: 0.0,
                width: 0.2 * em,
                height: block.height,
                ink: Ink::Gray(0.6),
            };
            block.items.insert(1, bar);
        }
        self.space(0.5);
    }

    /// Lays a light background under the blocks since `start`, across the measure of `ctx`.
    fn tint(&mut self, start: usize, ctx: &Context) {
        let width = self.profile.measure() - ctx.left - ctx.right;
        for block in &mut self.blocks[start..] {
            let fill = Item::Fill {
                x: ctx.left,
                y: 0.0,
                width,
                height: block.height,
                ink: Ink::Gray(0.95),
            };
            block.items.insert(0, fill);
        }
    }

    /// The width of one column of code at `size`: the monospaced font's space.
    fn code_column(&self, size: f32) -> f32 {
        let face = &self.fonts.faces[FontSet::index(Role::Mono)];
        face.shape(" ", self.language, &[])
            .first()
            .map_or(0.6, |g| g.advance)
            * size
    }

    /// One source line of a listing (`code[range]`), wrapped into as many lines as it needs;
    /// `number` (its line number, if any) goes before the first.
    fn code_line(
        &mut self,
        code: &str,
        range: Range<usize>,
        tokens: &[Token],
        mut number: Vec<TextRun>,
        grid: &Grid,
    ) {
        if range.is_empty() {
            let mut block = VBlock {
                height: grid.height,
                break_after: true,
                ..VBlock::default()
            };
            let baseline = super::baseline(grid.size, grid.height);
            for mut run in number {
                run.x += grid.left;
                run.y += baseline;
                block.items.push(Item::Text(run));
            }
            self.blocks.push(block);
            return;
        }
        let styled = self.code_text(code, range, tokens);
        let shaped = text::shape(
            &styled,
            self.fonts,
            grid.size,
            self.language,
            &mut self.missing,
        );
        for piece in code::wrap(&shaped.units, grid.column, grid.measure) {
            let mut set = paragraph::line_box(&shaped, &piece.line);
            if piece.start_column > 0 {
                let x = (piece.start_column - code::HANG) as f32 * grid.column;
                let (mark, _) = self.code_mark(CONTINUATION_MARK, grid.size);
                set.runs.extend(shifted(mark, x));
            }
            set.runs.append(&mut number);
            let check = LineCheck {
                text: set.text.clone(),
                end: set.end,
                measure: grid.measure,
                justified: false,
                short: false,
                last: true,
                formula_gaps: set.formula_gaps.clone(),
            };
            let block = self.line_block(set, check, grid.left, grid.size, grid.height);
            self.blocks.push(block);
        }
    }

    /// One line of a listing, tabs expanded, each token in its tone's ink.
    fn code_text(&self, code: &str, range: Range<usize>, tokens: &[Token]) -> StyledText {
        let mut styled = StyledText::default();
        let mut column = 0;
        for (piece, tone) in highlight::pieces(code, range, tokens) {
            let ink = match (tone, self.code.highlight) {
                (Some(tone), Highlight::Color) => Ink::Rgb(tone.rgb()),
                (Some(tone), Highlight::Gray) => Ink::Gray(tone.gray()),
                _ => Ink::BLACK,
            };
            let style = Style {
                ink,
                ..Style::plain(Role::Mono)
            };
            styled.push(&code::expand_tabs_from(piece, &mut column), &style);
        }
        styled
    }

    /// Grey text beside a listing's code (the continuation mark, a line number), starting at
    /// 0, and its width.
    fn code_mark(&mut self, mark: &str, size: f32) -> (Vec<TextRun>, f32) {
        let mut styled = StyledText::default();
        let style = Style {
            ink: Ink::Gray(MARK_GRAY),
            ..Style::plain(Role::Mono)
        };
        styled.push(mark, &style);
        let shaped = text::shape(&styled, self.fonts, size, self.language, &mut self.missing);
        let set = paragraph::set_as_is(&shaped);
        (set.runs, set.end)
    }

    /// A figure: the image scaled into the text block (at most 60 % of its height), centred,
    /// its caption below, half a line apart from the text around; the whole on the grid.
    pub(super) fn figure(&mut self, image: &Image, caption: &[Inline], ctx: &Context) {
        let (data, source_name) = match &image.source {
            ImageSource::File(path) => (std::fs::read(path).ok(), path.display().to_string()),
            _ => (None, String::new()),
        };
        let size = data
            .as_deref()
            .and_then(|d| Some((image_format::dimensions(d)?, image_format::sniff(d)?)))
            .filter(|((w, h), _)| *w > 0 && *h > 0);
        let (Some(data), Some(size)) = (data, size) else {
            let placeholder = vec![Inline::Text(text::image_placeholder(image))];
            let c = Context {
                indent_first: false,
                ragged: true,
                gray: 0.4,
                ..ctx.clone()
            };
            self.text_lines(&placeholder, &c, 1.0, false);
            return;
        };
        let width_available = self.profile.measure() - ctx.left - ctx.right;
        let height_available = self.profile.block_height() * 0.6;
        // Pixels at 150 dpi at most: a small image is not blown up past its resolution. An
        // SVG has no pixels: its size is in CSS pixels, 96 to the inch.
        let ((width, height), format) = size;
        let pixels_per_inch = if format == image_format::Format::Svg {
            96.0
        } else {
            150.0
        };
        let natural_w = width as f32 * 72.0 / pixels_per_inch;
        let natural_h = height as f32 * 72.0 / pixels_per_inch;
        let scale = (width_available / natural_w)
            .min(height_available / natural_h)
            .min(1.0);
        let (w, h) = (natural_w * scale, natural_h * scale);
        let pitch = self.profile.line_pitch;
        let height = ((h + pitch * 0.5) / pitch).ceil() * pitch;
        let x = ctx.left + (width_available - w) / 2.0;
        let item = Item::Image(ImageBox {
            name: source_name.to_string(),
            data: Arc::new(data),
            x,
            y: (height - h) / 2.0,
            width: w,
            height: h,
        });
        // Paper has no alt attribute: a description the caption does not already give is
        // printed after it, so nothing the author wrote is lost.
        let mut caption = caption.to_vec();
        let shown = Inline::plain_text(&caption);
        if !image.alt.trim().is_empty() && !shown.contains(image.alt.trim()) {
            let alt = image.alt.trim();
            caption.push(Inline::Text(if shown.is_empty() {
                alt.to_string()
            } else {
                format!("（{alt}）")
            }));
        }
        // Half a line above the figure and below its caption: the caption belongs to its
        // image, not to the text that follows.
        self.space(0.5);
        self.blocks.push(VBlock {
            height,
            items: vec![item],
            break_after: caption.is_empty(),
            ..VBlock::default()
        });
        if !caption.is_empty() {
            let c = Context {
                scale: 0.85,
                indent_first: false,
                ragged: true,
                gray: 0.3,
                ..ctx.clone()
            };
            let start = self.blocks.len();
            self.text_lines(&caption, &c, 1.0, false);
            self.align_lines(start, width_available, 0.5);
        }
        self.space(0.5);
    }
}
