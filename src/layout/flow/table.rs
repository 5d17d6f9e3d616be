//! Tables, as a book sets them: columns as wide as their content asks (each column's narrowest
//! and preferred widths, shared out as browsers do), type made smaller when even the narrowest
//! columns do not fit, and three rules (顶线、栏目线、底线) instead of a grid.

use super::{Context, Flow, VBlock};
use crate::cjk::is_wide;
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
/// A column narrower than this many ems of the table's type, where its content wants more, is
/// cramped: the table is set in smaller type.
const COMFORTABLE_COLUMN: f32 = 3.0;
/// Space between the rows of a table whose cells wrap, in lines of the table's pitch.
const ROW_GAP: f32 = 0.3;
/// How much smaller, in points, each try at fitting a table sets its type.
const TYPE_STEP: f32 = 0.25;
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
        let size = self.em() * TABLE_SCALE;
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
        let measured = Widths {
            glyph,
            min,
            preferred: pref,
        };
        let (size, widths) = fit_type(size, &measured, width);
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
        let mut set_rows: Vec<Vec<Vec<VBlock>>> = Vec::with_capacity(all_rows.len());
        for (row, is_head) in &all_rows {
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
                    balanced: false,
                };
                let before = self.blocks.len();
                self.text_lines(cell, &c, pitch, false);
                cells.push(self.blocks.drain(before..).collect::<Vec<_>>());
            }
            set_rows.push(cells);
        }
        // Rules divide only the header from the body: where cells wrap, rows are told apart
        // by space between them.
        let lines_of = |cells: &[Vec<VBlock>]| cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let gap = if set_rows.iter().any(|cells| lines_of(cells) > 1) {
            ROW_GAP * self.profile.line_pitch * pitch
        } else {
            0.0
        };
        for (n, cells) in set_rows.into_iter().enumerate() {
            let height = self.profile.line_pitch * pitch * lines_of(&cells) as f32 + gap;
            let mut block = VBlock {
                height,
                break_after: true,
                ..VBlock::default()
            };
            for cell in cells {
                let mut y = gap / 2.0;
                for b in cell {
                    block
                        .items
                        .extend(b.items.iter().map(|item| item.shifted(0.0, y)));
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
            let mut previous: Option<char> = None;
            for unit in &shaped.units {
                line += unit.width;
                glyph = glyph.max(unit.width);
                if class_of(unit.ch) == Class::Space {
                    word = 0.0;
                    previous = None;
                    continue;
                }
                if previous.is_some_and(|p| may_break_between(p, unit.ch)) {
                    word = 0.0;
                }
                word += unit.width;
                min = min.max(word.min(LONGEST_UNBROKEN * size));
                previous = Some(unit.ch);
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

/// Whether a cell's line may break between `a` and `b`: beside a Han character or a Chinese
/// mark where clreq allows it (after `、` or `）`, before `（`), or after `/ . _ -` in a word.
fn may_break_between(a: char, b: char) -> bool {
    let (ca, cb) = (class_of(a), class_of(b));
    if "/._-".contains(a) {
        return true;
    }
    (is_wide(a) || is_wide(b)) && ca.may_end_line() && cb.may_start_line()
}

/// What a cell or column asks for: room for its widest glyph, for its widest word (or Han
/// character), and for its longest line unbroken.
#[derive(Debug, Clone, PartialEq)]
struct Widths<T> {
    glyph: T,
    min: T,
    preferred: T,
}

/// The type size of a table measured at `natural` size, and its column widths (padding
/// included): the natural size when the narrowest columns fit and no column is cramped
/// (narrower than its content wants and than `COMFORTABLE_COLUMN` ems), else smaller, as far
/// as `SMALLEST_TYPE`.
fn fit_type(natural: f32, measured: &Widths<Vec<f32>>, available: f32) -> (f32, Vec<f32>) {
    let pad = |size: f32| 2.0 * CELL_PAD * size;
    let scaled = |widths: &[f32], size: f32| -> Vec<f32> {
        widths
            .iter()
            .map(|w| w * size / natural + pad(size))
            .collect()
    };
    let smallest = SMALLEST_TYPE.min(natural);
    let mut size = natural;
    loop {
        let min = scaled(&measured.min, size);
        let preferred = scaled(&measured.preferred, size);
        let widths = column_widths(
            &Widths {
                glyph: scaled(&measured.glyph, size),
                min: min.clone(),
                preferred: preferred.clone(),
            },
            available,
        );
        let fits = min.iter().sum::<f32>() <= available + 0.01;
        let cramped = widths
            .iter()
            .zip(&preferred)
            .any(|(w, p)| w + 0.01 < *p && w - pad(size) < COMFORTABLE_COLUMN * size);
        if size <= smallest || (fits && !cramped) {
            return (size, widths);
        }
        size = (size - TYPE_STEP).max(smallest);
    }
}

/// Column widths within `available`, from each column's widths (padding included): the
/// preferred widths when they fit, stretched to fill the measure; else each column at least as
/// wide as its narrowest content and raised evenly towards its preferred width, so short
/// columns get all they want and long ones share the rest alike; else room for each column's
/// widest glyph raised the same way towards its narrowest content (whose words then break).
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
    if sum(min) <= available {
        raised_evenly(min, preferred, available)
    } else {
        raised_evenly(glyph, min, available)
    }
}

/// Each column's width `clamp(level, base, want)`, at the level where they add up to
/// `available` (or all at `base` when even that is too wide).
fn raised_evenly(base: &[f32], want: &[f32], available: f32) -> Vec<f32> {
    let at = |level: f32| -> Vec<f32> {
        base.iter()
            .zip(want)
            .map(|(&b, &w)| level.clamp(b, w.max(b)))
            .collect()
    };
    let total = |level: f32| at(level).iter().sum::<f32>();
    // The sum is piecewise linear in the level, bending where a column reaches its base or
    // its want: find the piece where it crosses `available`, then solve on it.
    let mut bends: Vec<f32> = base.iter().chain(want).copied().collect();
    bends.sort_by(f32::total_cmp);
    let Some(&lowest) = bends.first() else {
        return Vec::new();
    };
    if total(lowest) >= available {
        return at(lowest);
    }
    for pair in bends.windows(2) {
        let (from, to) = (pair[0], pair[1]);
        if total(to) >= available {
            let growing = base
                .iter()
                .zip(want)
                .filter(|&(&b, &w)| b <= from && from < w.max(b))
                .count();
            let level = if growing == 0 {
                to
            } else {
                from + (available - total(from)) / growing as f32
            };
            return at(level);
        }
    }
    at(bends[bends.len() - 1])
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
    fn cells_break_beside_han_and_chinese_marks_as_lines_do() {
        use super::may_break_between;
        assert!(may_break_between('、', 'P'), "after 、");
        assert!(may_break_between('X', '（'), "before （");
        assert!(may_break_between('）', 'x'), "after ）");
        assert!(may_break_between('字', 'a') && may_break_between('a', '字'));
        assert!(may_break_between('/', 'p'), "after a slash");
        assert!(!may_break_between('字', '、'), "never before 、");
        assert!(!may_break_between('（', '字'), "never after （");
        assert!(!may_break_between('a', 'b'), "inside a word");
    }

    #[test]
    fn preferred_widths_fit_and_fill_the_measure() {
        assert_eq!(
            widths([5.0; 2], [10.0; 2], [20.0, 40.0], 100.0),
            [40.0, 60.0]
        );
    }

    #[test]
    fn narrow_measures_give_short_columns_all_they_want_and_long_ones_the_rest() {
        // Minimum 40; the first column wants 30 and gets it; the second takes the other 40.
        assert_eq!(
            widths([5.0; 2], [20.0; 2], [30.0, 50.0], 70.0),
            [30.0, 40.0]
        );
        // Both want more than an even share: they share alike.
        assert_eq!(
            widths([5.0; 2], [20.0; 2], [60.0, 90.0], 70.0),
            [35.0, 35.0]
        );
        // A column whose narrowest content is above the even share keeps it.
        assert_eq!(
            widths([5.0; 2], [50.0, 10.0], [60.0, 90.0], 70.0),
            [50.0, 20.0]
        );
    }

    #[test]
    fn words_wider_than_the_measure_leave_each_column_its_widest_glyph() {
        // Glyphs need 20; the first column's words need 20 in all, the second takes the rest.
        assert_eq!(
            widths([10.0; 2], [20.0, 60.0], [80.0, 90.0], 50.0),
            [20.0, 30.0]
        );
        // Not even the glyphs fit: each column keeps its widest glyph.
        assert_eq!(
            widths([30.0; 2], [40.0, 60.0], [80.0, 90.0], 50.0),
            [30.0, 30.0]
        );
    }
}
