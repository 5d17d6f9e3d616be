//! Code set as typed, on the monospaced grid: every space kept, tabs to stops of four columns,
//! nothing added or stretched between characters, Han characters two columns wide. A line wider
//! than the measure wraps at its last space in the right half of the line, else at the measure;
//! its continuation lines hang two columns further in than the line's own indent.

use super::class::class_of;
use super::linebreak::{Line, Unit};

/// Columns between tab stops.
pub const TAB_STOP: usize = 4;

/// Columns a continuation line hangs in from the source line's indent (the continuation mark
/// stands in them).
pub const HANG: usize = 2;

/// The narrowest line of code, in columns: below this, wrapping would make no listing readable.
const MIN_COLUMNS: usize = 8;

/// Replaces tabs with spaces up to the next tab stop, counting wide characters as two columns.
pub fn expand_tabs(line: &str) -> String {
    expand_tabs_from(line, &mut 0)
}

/// [`expand_tabs`] for a piece of a line that starts at `column`, which moves to the piece's
/// end.
pub fn expand_tabs_from(piece: &str, column: &mut usize) -> String {
    let mut out = String::with_capacity(piece.len());
    for c in piece.chars() {
        if c == '\t' {
            let to = (*column / TAB_STOP + 1) * TAB_STOP;
            out.extend(std::iter::repeat_n(' ', to - *column));
            *column = to;
        } else {
            out.push(c);
            *column += if crate::cjk::is_wide(c) { 2 } else { 1 };
        }
    }
    out
}

/// One wrapped piece of a source line: where its glyphs go, and the column it starts at.
#[derive(Debug, Clone, PartialEq)]
pub struct CodeLine {
    pub line: Line,
    /// 0 for the source line's first piece; the hanging indent for continuations.
    pub start_column: usize,
}

/// Columns a unit takes: one for a character of the grid's width, more for wider ones.
fn columns(unit: &Unit, column: f32) -> usize {
    ((unit.width / column) - 0.2).ceil().max(1.0) as usize
}

/// Wraps one source line, already shaped into `units`, on a grid of `column` points within
/// `measure` points.
pub fn wrap(units: &[Unit], column: f32, measure: f32) -> Vec<CodeLine> {
    let capacity = ((measure / column).floor() as usize).max(MIN_COLUMNS);
    let cols: Vec<usize> = units.iter().map(|u| columns(u, column)).collect();
    let indent: usize = units
        .iter()
        .zip(&cols)
        .take_while(|(u, _)| u.ch == ' ')
        .map(|(_, c)| c)
        .sum();
    let hang = (indent + HANG).min(capacity / 2);
    let mut lines = Vec::new();
    let mut start = 0;
    let mut start_column = 0;
    while start < units.len() {
        let mut column_at = start_column;
        let mut end = start;
        while end < units.len() && (end == start || column_at + cols[end] <= capacity) {
            column_at += cols[end];
            end += 1;
        }
        if end < units.len() {
            // Prefer to end after a space or beside a Han character in the line's right half,
            // so words stay whole.
            let half = start_column + (capacity - start_column) / 2;
            let mut at = start_column;
            let mut last_opportunity = None;
            for (i, c) in cols.iter().enumerate().take(end).skip(start) {
                at += c;
                if at > half && may_wrap_after(units, &cols, i) {
                    last_opportunity = Some(i + 1);
                }
            }
            if let Some(after) = last_opportunity {
                end = after;
            }
        }
        let mut x = Vec::with_capacity(end - start);
        let mut at = start_column;
        for (unit, &c) in units[start..end].iter().zip(&cols[start..end]) {
            // A glyph narrower or wider than its cells is centred in them.
            x.push(Some(
                at as f32 * column + (c as f32 * column - unit.width) / 2.0,
            ));
            at += c;
        }
        lines.push(CodeLine {
            line: Line {
                units: start..end,
                x,
                end: at as f32 * column,
                hyphen: false,
                short: false,
            },
            start_column,
        });
        start = end;
        start_column = hang;
    }
    lines
}

/// Whether a line of code may wrap after unit `i`: after a space, or between characters one
/// of which is wide (Han) where clreq lets the next one start a line.
fn may_wrap_after(units: &[Unit], cols: &[usize], i: usize) -> bool {
    let Some(next) = units.get(i + 1) else {
        return true;
    };
    units[i].ch == ' '
        || ((cols[i] > 1 || cols[i + 1] > 1)
            && class_of(next.ch).may_start_line()
            && class_of(units[i].ch).may_end_line())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Units of a grid of 1-point columns: Han characters are 1.6 columns wide, as a 1 em Han
    /// glyph is beside a 0.6 em monospaced one.
    fn units(text: &str) -> Vec<Unit> {
        text.chars()
            .map(|ch| Unit {
                ch,
                width: if crate::cjk::is_wide(ch) { 1.6 } else { 1.0 },
                em: 1.6,
                verbatim: true,
                ligature: false,
            })
            .collect()
    }

    fn texts(text: &str, measure: f32) -> Vec<(usize, String)> {
        let chars: Vec<char> = text.chars().collect();
        wrap(&units(text), 1.0, measure)
            .into_iter()
            .map(|l| (l.start_column, chars[l.line.units].iter().collect()))
            .collect()
    }

    #[test]
    fn tabs_go_to_stops_of_four_counting_han_as_two_columns() {
        assert_eq!(expand_tabs("\tx"), "    x");
        assert_eq!(expand_tabs("ab\tc"), "ab  c");
        assert_eq!(expand_tabs("汉\tc"), "汉  c");
        assert_eq!(expand_tabs("    \t;"), "        ;");
        let mut column = 0;
        assert_eq!(expand_tabs_from("ab", &mut column), "ab");
        assert_eq!(expand_tabs_from("\tc", &mut column), "  c");
        assert_eq!(column, 5);
    }

    #[test]
    fn leading_spaces_keep_their_columns() {
        let lines = wrap(&units("    best = w;"), 1.0, 40.0);
        assert_eq!(lines.len(), 1);
        let x = &lines[0].line.x;
        assert_eq!(x[4], Some(4.0), "the b of `best` stands in column 4");
        assert_eq!(x[9], Some(9.0));
        assert_eq!(lines[0].line.end, 13.0);
    }

    #[test]
    fn han_takes_two_columns_centred() {
        let lines = wrap(&units("\"汉字\";"), 1.0, 40.0);
        let x = &lines[0].line.x;
        assert_eq!(x[0], Some(0.0));
        assert!((x[1].unwrap_or(0.0) - 1.2).abs() < 1e-6, "{x:?}");
        assert!((x[2].unwrap_or(0.0) - 3.2).abs() < 1e-6, "{x:?}");
        assert_eq!(x[3], Some(5.0));
        assert_eq!(lines[0].line.end, 7.0);
    }

    #[test]
    fn long_lines_wrap_at_a_space_and_hang_under_their_indent() {
        assert_eq!(
            texts("  let total = first_value + second_value;", 20.0),
            [
                (0, "  let total = ".into()),
                (4, "first_value + ".into()),
                (4, "second_value;".into()),
            ]
        );
        assert_eq!(
            texts("  call(alpha, beta, gamma, delta)", 20.0),
            [
                (0, "  call(alpha, beta, ".into()),
                (4, "gamma, delta)".into()),
            ]
        );
    }

    #[test]
    fn han_in_code_wraps_between_characters_never_before_a_stop() {
        assert_eq!(
            texts("// 这是一个很长的注释，说明x", 16.0),
            [(0, "// 这是一个很长".into()), (2, "的注释，说明x".into())]
        );
        assert_eq!(
            texts("// 这是一个很长，说明", 16.0),
            [(0, "// 这是一个很".into()), (2, "长，说明".into())]
        );
    }

    #[test]
    fn a_line_without_spaces_wraps_at_the_measure() {
        let line = "x".repeat(150);
        let lines = texts(&line, 60.0);
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0], (0, "x".repeat(60)));
        assert_eq!(lines[1], (2, "x".repeat(58)));
        assert_eq!(lines[2], (2, "x".repeat(32)));
    }
}
