//! Printer's marks outside the bleed (`--marks`): crop marks at the four corners of the trim,
//! and a registration target at the middle of each side, in registration colour (every
//! separation at full strength, so the marks print on each plate and show whether the plates
//! line up).
//!
//! The marks start where the bleed ends, so that trimming never leaves a piece of them on the
//! page, and the media box grows by [`ROOM`] beyond the bleed to hold them.

use krilla::color::luma;
use krilla::color::separation::{self, SeparationColorant, SeparationSpace};
use krilla::geom::PathBuilder;
use krilla::paint::{LineCap, Stroke};
use krilla::surface::Surface;

use crate::config::MM;
use crate::layout::page::Pages;

/// How far a crop mark reaches.
const LENGTH: f32 = 5.0 * MM;
/// The gap from the trim to a mark when the bleed is narrower.
const LEAST_OFFSET: f32 = 3.0 * MM;
/// The registration target's circle, and its cross's half length.
const TARGET_RADIUS: f32 = 2.0 * MM;
const CROSS: f32 = 3.0 * MM;
/// Hairline, as printers draw them.
const THICKNESS: f32 = 0.25;

/// The space beyond the trim that marks need, bleed included.
pub(super) fn margin(bleed: f32) -> f32 {
    offset(bleed) + LENGTH + 3.0 * MM
}

/// Where the marks begin, from the trim.
fn offset(bleed: f32) -> f32 {
    bleed.max(LEAST_OFFSET)
}

/// Draws the marks around the trim of `pages`, whose top left corner is at `origin` on the
/// media box (y down): crop marks, targets, and a fold mark above and below each fold.
pub(super) fn draw(surface: &mut Surface, origin: f32, pages: &Pages, bleed: f32) {
    let (width, height) = (pages.width, pages.height);
    let gap = offset(bleed);
    let (left, top, right, bottom) = (origin, origin, origin + width, origin + height);
    let mut path = PathBuilder::new();
    let line = |path: &mut PathBuilder, from: (f32, f32), to: (f32, f32)| {
        path.move_to(from.0, from.1);
        path.line_to(to.0, to.1);
    };
    // Each corner: a horizontal mark on the line of the top or bottom edge, a vertical one on
    // the line of the side.
    for (x, outward_x) in [(left, -1.0), (right, 1.0)] {
        for (y, outward_y) in [(top, -1.0), (bottom, 1.0)] {
            line(
                &mut path,
                (x + outward_x * gap, y),
                (x + outward_x * (gap + LENGTH), y),
            );
            line(
                &mut path,
                (x, y + outward_y * gap),
                (x, y + outward_y * (gap + LENGTH)),
            );
        }
    }
    for fold in &pages.folds {
        let x = origin + fold;
        line(&mut path, (x, top - gap), (x, top - gap - LENGTH));
        line(&mut path, (x, bottom + gap), (x, bottom + gap + LENGTH));
    }
    // Targets at the middle of each side (of each panel between folds, above and below), in
    // the middle of the marks' band.
    let reach = gap + LENGTH / 2.0 + 1.5 * MM;
    let edges: Vec<f32> = std::iter::once(0.0)
        .chain(pages.folds.iter().copied())
        .chain(std::iter::once(width))
        .collect();
    let mut centres = vec![
        (left - reach, (top + bottom) / 2.0),
        (right + reach, (top + bottom) / 2.0),
    ];
    for panel in edges.windows(2).filter(|p| p[1] - p[0] > 4.0 * CROSS) {
        let x = origin + (panel[0] + panel[1]) / 2.0;
        centres.extend([(x, top - reach), (x, bottom + reach)]);
    }
    for (cx, cy) in centres {
        line(&mut path, (cx - CROSS, cy), (cx + CROSS, cy));
        line(&mut path, (cx, cy - CROSS), (cx, cy + CROSS));
        circle(&mut path, cx, cy, TARGET_RADIUS);
    }
    let Some(path) = path.finish() else { return };
    let registration = SeparationSpace::new(
        SeparationColorant::AllColorants,
        luma::Color::black().into(),
    );
    surface.set_fill(None);
    surface.set_stroke(Some(Stroke {
        paint: krilla::color::Color::from(separation::Color::new(255, registration)).into(),
        width: THICKNESS,
        line_cap: LineCap::Butt,
        ..Stroke::default()
    }));
    surface.draw_path(&path);
    surface.set_stroke(None);
}

/// A circle of four cubic arcs.
fn circle(path: &mut PathBuilder, cx: f32, cy: f32, r: f32) {
    // The control distance of a quarter circle.
    let k = 0.552_284_8 * r;
    path.move_to(cx + r, cy);
    path.cubic_to(cx + r, cy + k, cx + k, cy + r, cx, cy + r);
    path.cubic_to(cx - k, cy + r, cx - r, cy + k, cx - r, cy);
    path.cubic_to(cx - r, cy - k, cx - k, cy - r, cx, cy - r);
    path.cubic_to(cx + k, cy - r, cx + r, cy - k, cx + r, cy);
    path.close();
}
