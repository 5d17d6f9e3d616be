//! Display formulas: centred on lines of their own, their number at the right edge, scaled
//! down when wider than the measure (never past the margin), and the lines they take kept on
//! the grid.

use super::{Context, Flow, VBlock};
use crate::document::Math;
use crate::fonts::Role;
use crate::layout::math;

/// The least a formula is scaled down to fit the measure; a wider one is set at this scale
/// and shifted to start at the left edge, so it still never crosses the right margin.
const MIN_SCALE: f32 = 0.5;

/// Space between a formula and its number, in em.
const NUMBER_GAP: f32 = 1.0;

impl Flow<'_> {
    pub(super) fn formula(&mut self, formula: &Math, ctx: &Context) {
        if formula.error.is_some() {
            // What cannot be typeset is printed as written, as a listing.
            self.code(&[], &formula.tex, &[], ctx);
            return;
        }
        let em = self.em() * ctx.scale;
        let measure = self.profile.measure() - ctx.left - ctx.right;
        let set = math::typeset(&formula.tex, true, self.fonts, em)
            .unwrap_or_else(|_| math::source_box(&formula.tex, self.fonts, em));
        let number = formula
            .number
            .as_ref()
            .map(|n| math::text_box(&format!("({n})"), Role::Body, self.fonts, em));
        let number_room = number.as_ref().map_or(0.0, |n| n.width + NUMBER_GAP * em);
        let room = measure - number_room;
        let set = if set.width > room && set.width > 0.0 {
            set.scaled((room / set.width).max(MIN_SCALE))
        } else {
            set
        };
        // Centred on the measure; pushed left where the number needs the room.
        let centred = (measure - set.width) / 2.0;
        let x = ctx.left + centred.min(room - set.width).max(0.0);
        let pitch = self.profile.line_pitch;
        let pad = 0.35 * em;
        let height = set.ascent + set.descent + 2.0 * pad;
        let lines = (height / pitch).ceil().max(1.0);
        let block_height = lines * pitch;
        let baseline = (block_height - set.ascent - set.descent) / 2.0 + set.ascent;
        let mut items: Vec<_> = set.items.iter().map(|i| i.shifted(x, baseline)).collect();
        if let Some(number) = number {
            let nx = ctx.left + measure - number.width;
            items.extend(number.items.iter().map(|i| i.shifted(nx, baseline)));
        }
        self.blocks.push(VBlock {
            height: block_height,
            items,
            break_after: true,
            ..VBlock::default()
        });
    }
}
