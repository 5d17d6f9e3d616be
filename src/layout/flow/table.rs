//! Tables, as a book sets them: columns as wide as their content asks (each column's narrowest
//! and preferred widths, shared out as browsers do), type made smaller when even the narrowest
//! columns do not fit, and three rules (顶线、栏目线、底线) instead of a grid.

use super::{Context, Flow, VBlock};
use crate::document::{Alignment, Inline};
use crate::fonts::Role;
use crate::layout::class::{Class, class_of};
use crate::layout::page::Item;
use crate::layout::text::{self, Style};

/// Type of a table relative to the body.
const TABLE_SCALE: f32 = 0.9;
/// The smallest type a table is set in, in points, however many columns it has.
const SMALLEST_TYPE: f32 = 7.5;
/// Padding on each side of a cell, in ems of the table's type.
const CELL_PAD: f32 = 0.4;
/// A word wider than this many ems is broken inside rather than widen its column to it.
const LONGEST_UNBROKEN: f32 = 6.0;

impl Flow<'_> {
    pub(super) fn table(
        &mut self,
        _alignments: &[Alignment],
        head: &[Vec<Inline>],
        rows: &[Vec<Vec<Inline>>],
        ctx: &Context,
    ) {
        let columns = head
            .len()
            .max(rows.iter().map(Vec::len).max().unwrap_or(0))
            .max(1);
        let width = self.profile.measure() - ctx.left - ctx.right;
        let all_rows: Vec<(&[Vec<Inline>], bool)> = std::iter::once((head, true))
            .filter(|(h, _)| !h.is_empty())
            .chain(rows.iter().map(|r| (r.as_slice(), false)))
            .collect();
        // Widths measured at the table's normal size; smaller type scales them down evenly.
        let mut size = self.em() * TABLE_SCALE;
        let mut glyph = vec![0.0f32; columns];
        let (mut min, mut pref) = (vec![0.0f32; columns], vec![0.0f32; columns]);
        for (row, is_head) in &all_rows {
            for (i, cell) in row.iter().enumerate().take(columns) {
                let widths = self.cell_widths(cell, *is_head, size);
                glyph[i] = glyph[i].max(widths.glyph);
                min[i] = min[i].max(widths.min);
                pref[i] = pref[i].max(widths.preferred);
            }
        }
        let pad_per_column = |size: f32| 2.0 * CELL_PAD * size;
        let needed = |size: f32, widths: &[f32]| -> f32 {
            widths.iter().sum::<f32>() * size / (self.em() * TABLE_SCALE)
                + pad_per_column(size) * columns as f32
        };
        if needed(size, &min) > width {
            let fit = size * width / needed(size, &min);
            size = fit.max(SMALLEST_TYPE.min(size));
        }
        let shrink = size / (self.em() * TABLE_SCALE);
        let padded = |widths: &[f32]| -> Vec<f32> {
            widths
                .iter()
                .map(|w| w * shrink + pad_per_column(size))
                .collect()
        };
        let widths = column_widths(
            &Widths {
                glyph: padded(&glyph),
                min: padded(&min),
                preferred: padded(&pref),
            },
            width,
        );
        let pad = CELL_PAD * size;
        let scale = size / self.em();
        // Smaller type is set on a tighter pitch; the table as a whole returns to the grid.
        let pitch = if scale < TABLE_SCALE { 0.75 } else { 1.0 };
        self.space(0.5);
        let start = self.blocks.len();
        let mut x = Vec::with_capacity(columns);
        let mut at = ctx.left;
        for w in &widths {
            x.push(at);
            at += w;
        }
        let head_rows = all_rows.iter().filter(|(_, h)| *h).count();
        for (n, (row, is_head)) in all_rows.iter().enumerate() {
            let mut cells = Vec::new();
            for (i, cell) in row.iter().enumerate().take(columns) {
                let c = Context {
                    left: x[i] + pad,
                    right: self.profile.measure() - x[i] - widths[i] + pad,
                    role: if *is_head { Role::Heading } else { ctx.role },
                    scale,
                    indent_first: false,
                    ragged: true,
                    gray: 0.0,
                    min_measure: 0.0,
                };
                let before = self.blocks.len();
                self.text_lines(cell, &c, pitch, false);
                cells.push(self.blocks.drain(before..).collect::<Vec<_>>());
            }
            let lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
            let height = self.profile.line_pitch * pitch * lines as f32;
            let mut block = VBlock {
                height,
                break_after: true,
                ..VBlock::default()
            };
            for cell in cells {
                let mut y = 0.0;
                for b in cell {
                    for mut item in b.items {
                        if let Item::Text(run) = &mut item {
                            run.y += y;
                        }
                        block.items.push(item);
                    }
                    block.lines.extend(b.lines);
                    y += b.height;
                }
            }
            let is_last = n + 1 == all_rows.len();
            if n + 1 == head_rows || is_last {
                // The rule under the header (栏目线), thinner than the bottom rule (底线).
                block.items.push(Item::Rule {
                    from: (ctx.left, height),
                    to: (ctx.left + width, height),
                    thickness: if is_last { 0.8 } else { 0.4 },
                    gray: 0.0,
                });
            }
            self.blocks.push(block);
        }
        if let Some(first) = self.blocks.get_mut(start) {
            first.items.push(Item::Rule {
                from: (ctx.left, 0.0),
                to: (ctx.left + width, 0.0),
                thickness: 0.8,
                gray: 0.0,
            });
        }
        self.round_to_grid(start);
        self.space(0.5);
        // The header stays with the first row.
        if let Some(block) = head_rows
            .checked_sub(1)
            .and_then(|last| self.blocks.get_mut(start + last))
        {
            block.break_after = false;
        }
        self.repeat_header(start, head_rows, all_rows.len());
    }

    /// Gives each body row of the table set since `start` a copy of its `head_rows` header
    /// rows (top rule included) to set above it when it starts a page.
    fn repeat_header(&mut self, start: usize, head_rows: usize, rows: usize) {
        if head_rows == 0 || head_rows >= rows {
            return;
        }
        let mut header: Vec<VBlock> = self.blocks[start..start + head_rows]
            .iter()
            .map(|row| VBlock {
                height: row.height,
                items: row.items.clone(),
                break_after: false,
                ..VBlock::default()
            })
            .collect();
        // Padded to whole lines, so what follows it on the page stays on the grid.
        let pitch = self.profile.line_pitch;
        let height: f32 = header.iter().map(|b| b.height).sum();
        let rest = (height / pitch).ceil() * pitch - height;
        if rest > 0.01 {
            header.insert(
                0,
                VBlock {
                    height: rest,
                    ..VBlock::default()
                },
            );
        }
        let header = std::sync::Arc::new(header);
        for row in &mut self.blocks[start + head_rows..start + rows] {
            row.repeat = Some(header.clone());
        }
    }

    /// A cell's widths without padding, at `size`.
    fn cell_widths(&mut self, cell: &[Inline], is_head: bool, size: f32) -> Widths<f32> {
        let role = if is_head { Role::Heading } else { Role::Body };
        let (mut glyph, mut min, mut pref) = (0.0f32, 0.0f32, 0.0f32);
        for segment in text::styled_lines(cell, &Style::plain(role)) {
            let shaped = text::shape(&segment, self.fonts, size, self.language, &mut self.missing);
            let (mut word, mut line) = (0.0f32, 0.0f32);
            for unit in &shaped.units {
                line += unit.width;
                glyph = glyph.max(unit.width);
                let class = class_of(unit.ch);
                if class == Class::Space {
                    word = 0.0;
                    continue;
                }
                if class == Class::Ideograph {
                    // A line may break on either side of a Han character.
                    min = min.max(unit.width);
                    word = 0.0;
                    continue;
                }
                word += unit.width;
                min = min.max(word.min(LONGEST_UNBROKEN * size));
                if "/._-".contains(unit.ch) {
                    word = 0.0;
                }
            }
            pref = pref.max(line);
        }
        Widths {
            glyph,
            min,
            preferred: pref.max(min),
        }
    }
}

/// What a cell or column asks for: room for its widest glyph, for its widest word (or Han
/// character), and for its longest line unbroken.
#[derive(Debug, Clone, PartialEq)]
struct Widths<T> {
    glyph: T,
    min: T,
    preferred: T,
}

/// Column widths within `available`, from each column's widths (padding included): the
/// preferred widths when they fit, stretched to fill the measure; else the narrowest widths
/// plus the rest shared out by how much more each column wants; else room for each column's
/// widest glyph plus the rest shared by how much wider its words are (they then break inside).
fn column_widths(columns: &Widths<Vec<f32>>, available: f32) -> Vec<f32> {
    let Widths {
        glyph,
        min,
        preferred,
    } = columns;
    let sum = |v: &[f32]| v.iter().sum::<f32>();
    if sum(preferred) <= available {
        let extra = (available - sum(preferred)) / preferred.len().max(1) as f32;
        return preferred.iter().map(|p| p + extra).collect();
    }
    let (base, want) = if sum(min) <= available {
        (min, preferred)
    } else {
        (glyph, min)
    };
    let spare = (available - sum(base)).max(0.0);
    let wanted: f32 = want.iter().zip(base).map(|(w, b)| w - b).sum();
    base.iter()
        .zip(want)
        .map(|(b, w)| {
            b + if wanted > 0.0 {
                spare * (w - b) / wanted
            } else {
                0.0
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{Widths, column_widths};

    fn widths(glyph: [f32; 2], min: [f32; 2], preferred: [f32; 2], available: f32) -> Vec<f32> {
        let columns = Widths {
            glyph: glyph.to_vec(),
            min: min.to_vec(),
            preferred: preferred.to_vec(),
        };
        column_widths(&columns, available)
    }

    #[test]
    fn preferred_widths_fit_and_fill_the_measure() {
        assert_eq!(
            widths([5.0; 2], [10.0; 2], [20.0, 40.0], 100.0),
            [40.0, 60.0]
        );
    }

    #[test]
    fn narrow_measures_share_the_rest_by_what_each_column_wants() {
        // Minimum 40, 30 to share; the second column wants three times as much more.
        assert_eq!(
            widths([5.0; 2], [20.0; 2], [30.0, 50.0], 70.0),
            [27.5, 42.5]
        );
    }

    #[test]
    fn words_wider_than_the_measure_leave_each_column_its_widest_glyph() {
        // Glyphs need 20; 30 to share, by how much wider each column's words are (10 and 50).
        assert_eq!(
            widths([10.0; 2], [20.0, 60.0], [80.0, 90.0], 50.0),
            [15.0, 35.0]
        );
    }
}
