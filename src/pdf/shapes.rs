//! Rules and filled boxes: the vector shapes of a page (table rules, shaded code blocks, the
//! gray box of an unreadable image), in shades of gray. A shape with a size or position that
//! is not a number is left out.

use krilla::color::{luma, rgb};
use krilla::geom::{PathBuilder, Rect};
use krilla::num::NormalizedF32;
use krilla::paint::{Fill, FillRule, LineCap, Stroke};
use krilla::surface::Surface;

use super::finite;
use crate::layout::page::Ink;

/// A gray from 0 (black) to 1 (white), as a PDF gray; out of range is clamped, not a number
/// is black.
fn gray_paint(gray: f32) -> luma::Color {
    let g = if gray.is_finite() {
        gray.clamp(0.0, 1.0)
    } else {
        0.0
    };
    // Exact after rounding: 0..=255.
    luma::Color::new((g * 255.0).round() as u8)
}

/// An opaque fill in `gray`.
pub(super) fn fill(gray: f32) -> Fill {
    Fill {
        paint: gray_paint(gray).into(),
        opacity: NormalizedF32::ONE,
        rule: FillRule::NonZero,
    }
}

/// An opaque fill in the ink of a text run.
pub(super) fn ink(ink: Ink) -> Fill {
    match ink {
        Ink::Gray(gray) => fill(gray),
        Ink::Rgb([r, g, b]) => Fill {
            paint: rgb::Color::new(r, g, b).into(),
            opacity: NormalizedF32::ONE,
            rule: FillRule::NonZero,
        },
    }
}

pub(super) fn draw_rule(
    surface: &mut Surface,
    from: (f32, f32),
    to: (f32, f32),
    thickness: f32,
    gray: f32,
) {
    if !finite(&[from.0, from.1, to.0, to.1, thickness]) || thickness <= 0.0 {
        return;
    }
    let mut path = PathBuilder::new();
    path.move_to(from.0, from.1);
    path.line_to(to.0, to.1);
    let Some(path) = path.finish() else { return };
    surface.set_fill(None);
    surface.set_stroke(Some(Stroke {
        paint: gray_paint(gray).into(),
        width: thickness,
        line_cap: LineCap::Butt,
        ..Stroke::default()
    }));
    surface.draw_path(&path);
    surface.set_stroke(None);
}

pub(super) fn draw_rect(
    surface: &mut Surface,
    x: f32,
    y: f32,
    width: f32,
    height: f32,
    paint: Ink,
) {
    if !finite(&[x, y, width, height]) || width <= 0.0 || height <= 0.0 {
        return;
    }
    let Some(rect) = Rect::from_xywh(x, y, width, height) else {
        return;
    };
    let mut path = PathBuilder::new();
    path.push_rect(rect);
    let Some(path) = path.finish() else { return };
    surface.set_stroke(None);
    surface.set_fill(Some(ink(paint)));
    surface.draw_path(&path);
}
