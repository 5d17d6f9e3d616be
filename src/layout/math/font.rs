//! The math font as the layout reads it: glyphs and their ink, the OpenType MATH table's
//! constants, italic corrections, and glyphs grown to a size (a larger variant, or an assembly
//! of pieces for delimiters taller than any variant). Lengths are in em.

use ttf_parser::math::{Constants, GlyphConstruction};
use ttf_parser::{Face, GlyphId};

/// A glyph's advance and the ink above and below its baseline, in em.
#[derive(Debug, Clone, Copy, Default)]
pub struct Metrics {
    pub advance: f32,
    pub ascent: f32,
    pub descent: f32,
    pub italic: f32,
    /// The ink's left and right edges from the origin (an accent's ink may lie left of it).
    pub left: f32,
    pub right: f32,
}

/// A glyph grown to a size: one variant, or pieces stacked (vertical) or laid end to end
/// (horizontal), each with its offset from the first piece's origin along the growth.
#[derive(Debug, Clone)]
pub struct Grown {
    pub pieces: Vec<(u16, f32)>,
    pub metrics: Metrics,
    /// Pieces laid end to end left to right (a wide accent or arrow), not stacked.
    pub horizontal: bool,
}

pub struct MathFont<'a> {
    face: Face<'a>,
    units: f32,
}

impl<'a> MathFont<'a> {
    /// `None` when the bytes hold no font with a MATH table.
    pub fn new(bytes: &'a [u8]) -> Option<MathFont<'a>> {
        let face = Face::parse(bytes, 0).ok()?;
        face.tables().math?.constants?;
        let units = f32::from(face.units_per_em());
        Some(MathFont { face, units })
    }

    fn constants(&self) -> Option<Constants<'a>> {
        self.face.tables().math?.constants
    }

    /// A MATH constant in em, read by `get`.
    pub fn constant(&self, get: impl Fn(&Constants<'a>) -> i16) -> f32 {
        self.constants()
            .map_or(0.0, |c| f32::from(get(&c)) / self.units)
    }

    /// The script and script-script scale (0.7, 0.5 in most fonts).
    pub fn script_scale(&self, level: u8) -> f32 {
        let percent = self.constants().map_or(70, |c| match level {
            1 => c.script_percent_scale_down(),
            _ => c.script_script_percent_scale_down(),
        });
        if percent > 0 {
            f32::from(percent) / 100.0
        } else if level == 1 {
            0.7
        } else {
            0.5
        }
    }

    /// How far up a radical sign its index's bottom stands, as a fraction of the sign's
    /// height.
    pub fn degree_raise(&self) -> f32 {
        self.constants().map_or(0.6, |c| {
            f32::from(c.radical_degree_bottom_raise_percent()) / 100.0
        })
    }

    pub fn display_operator_min_height(&self) -> f32 {
        self.constants().map_or(0.0, |c| {
            f32::from(c.display_operator_min_height()) / self.units
        })
    }

    pub fn glyph(&self, c: char) -> Option<u16> {
        self.face.glyph_index(c).map(|g| g.0).filter(|&g| g != 0)
    }

    pub fn metrics(&self, glyph: u16) -> Metrics {
        let id = GlyphId(glyph);
        let advance = self.face.glyph_hor_advance(id).map_or(0.0, f32::from) / self.units;
        let bbox = self.face.glyph_bounding_box(id);
        let edge = |v: i16| f32::from(v) / self.units;
        let (ascent, descent, left, right) = bbox.map_or((0.0, 0.0, 0.0, advance), |b| {
            (edge(b.y_max), -edge(b.y_min), edge(b.x_min), edge(b.x_max))
        });
        let italic = self
            .face
            .tables()
            .math
            .and_then(|m| m.glyph_info)
            .and_then(|i| i.italic_corrections)
            .and_then(|c| c.get(id))
            .map_or(0.0, |v| f32::from(v.value) / self.units);
        Metrics {
            advance,
            ascent,
            descent,
            italic,
            left,
            right,
        }
    }

    /// Where an accent over `glyph` is centred, from its origin, in em (the middle of its
    /// advance when the font says nothing).
    pub fn accent_attachment(&self, glyph: u16) -> f32 {
        self.face
            .tables()
            .math
            .and_then(|m| m.glyph_info)
            .and_then(|i| i.top_accent_attachments)
            .and_then(|a| a.get(GlyphId(glyph)))
            .map_or(self.metrics(glyph).advance / 2.0, |v| {
                f32::from(v.value) / self.units
            })
    }

    fn construction(&self, glyph: u16, vertical: bool) -> Option<GlyphConstruction<'a>> {
        let variants = self.face.tables().math?.variants?;
        let constructions = if vertical {
            variants.vertical_constructions
        } else {
            variants.horizontal_constructions
        };
        constructions.get(GlyphId(glyph))
    }

    /// `glyph` grown to at least `target` em (height plus depth, or width): the first variant
    /// that reaches it, else an assembly of the font's pieces, else the largest variant.
    pub fn grow(&self, glyph: u16, target: f32, vertical: bool) -> Grown {
        let single = |id: u16| self.single(id);
        let Some(construction) = self.construction(glyph, vertical) else {
            return single(glyph);
        };
        let mut largest = glyph;
        for variant in construction.variants {
            largest = variant.variant_glyph.0;
            let size = f32::from(variant.advance_measurement) / self.units;
            if size >= target {
                return single(largest);
            }
        }
        construction
            .assembly
            .and_then(|assembly| self.assemble(&assembly, target, vertical))
            .unwrap_or_else(|| single(largest))
    }

    /// `id` as it is, not grown.
    pub fn single(&self, id: u16) -> Grown {
        Grown {
            pieces: vec![(id, 0.0)],
            metrics: self.metrics(id),
            horizontal: false,
        }
    }

    /// `glyph` widened for a base `target` em wide without passing it, as TeX widens accents:
    /// the widest variant that fits, or the assembly when even the widest variant is short.
    pub fn widen_within(&self, glyph: u16, target: f32) -> Grown {
        let single = |id: u16| self.single(id);
        let Some(construction) = self.construction(glyph, false) else {
            return single(glyph);
        };
        let mut fitting = glyph;
        let mut all_short = true;
        for variant in construction.variants {
            let size = f32::from(variant.advance_measurement) / self.units;
            if size <= target {
                fitting = variant.variant_glyph.0;
            } else {
                all_short = false;
            }
        }
        let assembled = all_short
            .then_some(construction.assembly)
            .flatten()
            .and_then(|assembly| self.assemble(&assembly, target, false));
        assembled.unwrap_or_else(|| single(fitting))
    }

    /// The assembly's pieces with as many repeats of its extenders as `target` needs, the
    /// overlaps spread evenly (OpenType MATH's rule).
    fn assemble(
        &self,
        assembly: &ttf_parser::math::GlyphAssembly<'a>,
        target: f32,
        vertical: bool,
    ) -> Option<Grown> {
        let overlap_min = self
            .face
            .tables()
            .math?
            .variants
            .map_or(0.0, |v| f32::from(v.min_connector_overlap) / self.units);
        let parts: Vec<_> = assembly.parts.into_iter().collect();
        if parts.is_empty() {
            return None;
        }
        let em = |v: u16| f32::from(v) / self.units;
        // Repeat the extenders until the pieces, overlapped as little as allowed, reach.
        let mut repeats = 0usize;
        let pieces = loop {
            let mut list = Vec::new();
            for part in &parts {
                let count = if part.part_flags.extender() {
                    repeats
                } else {
                    1
                };
                list.extend(std::iter::repeat_n(*part, count));
            }
            let full: f32 = list.iter().map(|p| em(p.full_advance)).sum();
            let reach = full - overlap_min * list.len().saturating_sub(1) as f32;
            if reach >= target || repeats > 64 {
                break list;
            }
            repeats += 1;
        };
        let full: f32 = pieces.iter().map(|p| em(p.full_advance)).sum();
        let joins = pieces.len().saturating_sub(1).max(1) as f32;
        // The overlap that makes the assembly exactly `target` long, within what each join
        // allows.
        let overlap = ((full - target) / joins).max(overlap_min);
        let mut placed = Vec::new();
        let mut at = 0.0;
        for (i, part) in pieces.iter().enumerate() {
            if i > 0 {
                let allowed = em(pieces[i - 1]
                    .end_connector_length
                    .min(part.start_connector_length));
                at -= overlap.min(allowed.max(overlap_min));
            }
            placed.push((part.glyph_id.0, at));
            at += em(part.full_advance);
        }
        let length = at;
        let metrics = if vertical {
            // Stacked upward from the bottom piece's baseline.
            placed.iter().fold(Metrics::default(), |m, &(id, offset)| {
                let piece = self.metrics(id);
                Metrics {
                    advance: m.advance.max(piece.advance),
                    ascent: m.ascent.max(offset + piece.ascent),
                    descent: m.descent.max(piece.descent - offset),
                    right: m.right.max(piece.right),
                    ..m
                }
            })
        } else {
            let (ascent, descent) = placed.iter().fold((0.0f32, 0.0f32), |(a, d), &(id, _)| {
                let m = self.metrics(id);
                (a.max(m.ascent), d.max(m.descent))
            });
            Metrics {
                advance: length,
                ascent,
                descent,
                italic: 0.0,
                left: 0.0,
                right: length,
            }
        };
        Some(Grown {
            pieces: placed,
            metrics,
            horizontal: !vertical,
        })
    }
}
