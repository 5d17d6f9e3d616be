//! A shaped paragraph → broken lines → glyph runs positioned on each line.

use super::linebreak::{self, Line, Options};
use super::page::{Glyph, Item, TextRun};
use super::text::{LinkRef, MISSING_FACE, Shaped};

/// One line of a paragraph, its runs placed with x from the text block's left edge and y
/// from the line's baseline.
#[derive(Debug, Clone, Default)]
pub struct LineBox {
    pub runs: Vec<TextRun>,
    /// Linked stretches of the line.
    pub links: Vec<LinkSpan>,
    /// Where the line's last glyph ends.
    pub end: f32,
    /// Characters of the line (for checks and tests).
    pub text: String,
    /// Struck-through stretches: from x, width, font size.
    pub strikes: Vec<(f32, f32, f32)>,
    /// Characters no font has, each drawn as its code point in a box: x, font size, character.
    pub missing: Vec<(f32, f32, char)>,
    /// The items of the line's formulas, placed like its runs, each with the number of runs
    /// that come before it (so a PDF draws the line's text in reading order).
    pub items: Vec<(usize, Item)>,
    /// The line is left short of the measure rather than letter-spaced (see
    /// `linebreak::Line::short`).
    pub short: bool,
    /// How far the line's formulas reach above and below its baseline.
    pub formula_extent: (f32, f32),
    /// The space between each formula and the characters beside it, in em: what the checks of
    /// letter-spacing next to formulas measure.
    pub formula_gaps: Vec<f32>,
}

impl LineBox {
    /// Moves everything on the line `dx` to the right.
    pub fn shift(&mut self, dx: f32) {
        for run in &mut self.runs {
            run.x += dx;
        }
        for link in &mut self.links {
            link.x += dx;
        }
        for (x, _, _) in &mut self.strikes {
            *x += dx;
        }
        for (x, _, _) in &mut self.missing {
            *x += dx;
        }
        for (_, item) in &mut self.items {
            *item = item.shifted(dx, 0.0);
        }
        self.end += dx;
    }
}

/// A stretch of a line that links somewhere.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkSpan {
    /// From the text block's left edge.
    pub x: f32,
    pub width: f32,
    pub target: LinkRef,
}

/// Breaks and sets a paragraph.
pub fn set(shaped: &Shaped, options: &Options) -> Vec<LineBox> {
    let fitted = formulas_fitted(shaped, options.measure - options.first_indent.max(0.0));
    let shaped = fitted.as_ref().unwrap_or(shaped);
    linebreak::break_lines(&shaped.units, options)
        .iter()
        .map(|line| line_box(shaped, line))
        .collect()
}

/// `shaped` with each formula piece wider than `room` (a long formula with nowhere to
/// break: `\mathfrak{ABC…Z}`) scaled down to fit it, as a display formula is; `None` when
/// every piece fits.
fn formulas_fitted(shaped: &Shaped, room: f32) -> Option<Shaped> {
    let too_wide = |i: usize| shaped.clusters[i].formula.is_some() && shaped.units[i].width > room;
    if room <= 0.0 || !(0..shaped.units.len()).any(too_wide) {
        return None;
    }
    let mut fitted = shaped.clone();
    for i in (0..shaped.units.len()).filter(|&i| too_wide(i)) {
        let Some(formula) = &shaped.clusters[i].formula else {
            continue;
        };
        // An em to spare: a mark that may not start a line stays beside the formula.
        let factor = (room - shaped.units[i].em).max(room / 2.0) / formula.width;
        fitted.units[i].width = formula.width * factor;
        fitted.clusters[i].formula = Some(std::sync::Arc::new(formula.scaled(factor)));
    }
    Some(fitted)
}

/// Sets shaped text as one line at its natural advances, from x = 0 (a mark or label that
/// is never broken or justified).
pub fn set_as_is(shaped: &Shaped) -> LineBox {
    let mut at = 0.0;
    let x = shaped
        .units
        .iter()
        .map(|u| {
            let here = at;
            at += u.width;
            Some(here)
        })
        .collect();
    let line = Line {
        units: 0..shaped.units.len(),
        x,
        end: at,
        hyphen: false,
        short: false,
    };
    line_box(shaped, &line)
}

/// Sets one line whose glyph positions are already chosen.
pub fn line_box(shaped: &Shaped, line: &Line) -> LineBox {
    let placed: Vec<(usize, f32)> = line
        .units
        .clone()
        .zip(line.x.iter())
        .filter_map(|(i, x)| x.map(|x| (i, x)))
        .collect();
    let mut out = LineBox {
        end: line.end,
        short: line.short,
        ..LineBox::default()
    };
    let mut current: Option<TextRun> = None;
    for (k, &(i, x)) in placed.iter().enumerate() {
        let cluster = &shaped.clusters[i];
        let text = &shaped.text[cluster.text.clone()];
        out.text.push_str(text);
        let width: f32 = cluster.glyphs.iter().map(|g| g.1).sum();
        if cluster.strike {
            let right = if cluster.face == MISSING_FACE {
                x + cluster.size
            } else {
                x + width
            };
            match out.strikes.last_mut() {
                Some((from, w, size))
                    if (*from + *w - x).abs() < cluster.size && *size == cluster.size =>
                {
                    *w = right - *from
                }
                _ => out.strikes.push((x, right - x, cluster.size)),
            }
        }
        if let Some(formula) = &cluster.formula {
            out.runs.extend(current.take());
            let before = out.runs.len();
            out.items.extend(
                formula
                    .items
                    .iter()
                    .map(|i| (before, i.shifted(x, -cluster.rise))),
            );
            out.formula_extent.0 = out.formula_extent.0.max(formula.ascent + cluster.rise);
            out.formula_extent.1 = out.formula_extent.1.max(formula.descent - cluster.rise);
            continue;
        }
        if cluster.face == MISSING_FACE {
            // Glyphs after the box start a run of their own at their own place.
            out.runs.extend(current.take());
            out.missing
                .extend(text.chars().next().map(|c| (x, cluster.size, c)));
            continue;
        }
        let same_run = current.as_ref().is_some_and(|run| {
            run.font == cluster.face
                && run.size == cluster.size
                && run.ink == cluster.ink
                && run.y == -cluster.rise
        });
        if !same_run {
            out.runs.extend(current.take());
            current = Some(TextRun {
                font: cluster.face,
                size: cluster.size,
                x,
                y: -cluster.rise,
                ink: cluster.ink,
                text: String::new(),
                glyphs: Vec::new(),
            });
        }
        let Some(run) = current.as_mut() else {
            continue;
        };
        let start = run.text.len();
        run.text.push_str(text);
        let range = start..run.text.len();
        // The cluster's last glyph advances to where the next cluster of the line begins, so
        // justification and compression are carried by the advances themselves (and a glyph
        // ending a run claims only the room the line gave it).
        let next_x = placed.get(k + 1).map(|&(_, x)| x);
        let count = cluster.glyphs.len();
        let mut used = 0.0;
        for (n, &(id, advance, dx, dy)) in cluster.glyphs.iter().enumerate() {
            let x_advance = match next_x {
                Some(next) if n + 1 == count => next - x - used,
                _ => advance,
            };
            used += x_advance;
            run.glyphs.push(Glyph {
                id,
                x_advance,
                x_offset: dx,
                y_offset: dy,
                text: range.clone(),
            });
        }
        if let Some(link) = &cluster.link {
            match out.links.last_mut() {
                Some(span)
                    if span.target == *link && (span.x + span.width - x).abs() < cluster.size =>
                {
                    span.width = x + width - span.x
                }
                _ => out.links.push(LinkSpan {
                    x,
                    width,
                    target: link.clone(),
                }),
            }
        }
    }
    out.runs.extend(current);
    if let Some(hyphen) = hyphen_run(shaped, placed.last(), line.end).filter(|_| line.hyphen) {
        out.runs.push(hyphen);
        out.text.push('-');
    }
    out.formula_gaps = formula_gaps(shaped, &placed);
    out
}

/// The hyphen after a word broken at the line's end, in the face of its last letter, set flush
/// with the line's `end`.
fn hyphen_run(shaped: &Shaped, last: Option<&(usize, f32)>, end: f32) -> Option<TextRun> {
    let cluster = &shaped.clusters[last?.0];
    let &(_, id, advance) = shaped.hyphens.iter().find(|h| h.0 == cluster.face)?;
    let x_advance = advance * cluster.size;
    Some(TextRun {
        font: cluster.face,
        size: cluster.size,
        x: end - x_advance,
        y: -cluster.rise,
        ink: cluster.ink,
        text: "-".to_string(),
        glyphs: vec![Glyph {
            id,
            x_advance,
            x_offset: 0.0,
            y_offset: 0.0,
            text: 0..1,
        }],
    })
}

/// The blank between each formula of a placed line and the character right beside it on
/// either side (unless that is a space), in em.
fn formula_gaps(shaped: &Shaped, placed: &[(usize, f32)]) -> Vec<f32> {
    let visible = |&&(i, _): &&(usize, f32)| {
        !shaped.text[shaped.clusters[i].text.clone()]
            .trim()
            .is_empty()
    };
    let right_edge = |&(i, x): &(usize, f32)| {
        let cluster = &shaped.clusters[i];
        x + match &cluster.formula {
            Some(formula) => formula.width,
            None => cluster.glyphs.iter().map(|g| g.1).sum(),
        }
    };
    let mut gaps = Vec::new();
    for (k, here) in placed.iter().enumerate() {
        let cluster = &shaped.clusters[here.0];
        if cluster.formula.is_none() {
            continue;
        }
        // Beside a space (Latin text around the formula) the space's stretch is the word
        // spacing's, not letter-spacing.
        if let Some(before) = k.checked_sub(1).map(|j| &placed[j]).filter(|p| visible(p)) {
            gaps.push((here.1 - right_edge(before)) / cluster.size);
        }
        if let Some(after) = placed.get(k + 1).filter(|p| visible(p)) {
            gaps.push((after.1 - right_edge(here)) / cluster.size);
        }
    }
    gaps
}
