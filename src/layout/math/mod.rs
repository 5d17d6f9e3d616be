//! Formulas typeset on the OpenType MATH table of the math font (STIX Two Math), by the rules
//! TeX and the OpenType MATH specification give: TeX's spacing between classes of atoms,
//! scripts and limits placed by the font's constants, fractions and radicals with their gaps,
//! delimiters grown from the font's variants and assemblies, tables for matrices, `aligned` and
//! `cases`. `\text{…}` is set in the body font, so Chinese inside a formula is the book's own.
//!
//! The result is a box of page items placed from its origin (x to the right, y down from the
//! baseline, in points), which the flow puts in a line of text or on lines of its own.

pub mod font;

use font::{Grown, MathFont, Metrics};

use super::page::{Glyph, Ink, Item, TextRun};
use crate::fonts::{FontSet, Role};
use crate::math::tree::{self, Align, Class, MathStyle, Node};

/// A typeset formula.
#[derive(Debug, Clone, Default)]
pub struct MathBox {
    pub width: f32,
    pub ascent: f32,
    pub descent: f32,
    pub items: Vec<Item>,
    /// The italic correction of a lone italic glyph (a superscript goes that much further
    /// right than a subscript).
    italic: f32,
    /// The glyph, when the box is one glyph: accents centre on its attachment point, and
    /// scripts on a lone glyph are placed by the font's shifts alone.
    glyph: Option<u16>,
    /// The glyph at the box's left edge on its baseline (a lone glyph, or a scripted one's
    /// base), whose ink the atom before it must clear.
    lead: Option<u16>,
}

impl MathBox {
    /// Adds `other`'s items with its origin at (`x`, `y`) (y down), growing this box around it.
    fn put(&mut self, other: MathBox, x: f32, y: f32) {
        self.ascent = self.ascent.max(other.ascent - y);
        self.descent = self.descent.max(other.descent + y);
        self.width = self.width.max(x + other.width);
        self.items
            .extend(other.items.iter().map(|item| item.shifted(x, y)));
    }

    /// The box cut at each of `breaks` (x positions, rising) into pieces side by side, each
    /// from its own origin; every piece as tall as the whole.
    fn cut(self, breaks: &[f32]) -> Vec<MathBox> {
        let mut edges = vec![0.0];
        edges.extend(
            breaks
                .iter()
                .copied()
                .filter(|&b| b > 0.0 && b < self.width),
        );
        edges.push(self.width);
        let mut pieces: Vec<MathBox> = edges
            .windows(2)
            .map(|w| MathBox {
                width: w[1] - w[0],
                ascent: self.ascent,
                descent: self.descent,
                ..MathBox::default()
            })
            .collect();
        for item in self.items {
            let left = item_left(&item);
            let k = edges[1..edges.len() - 1]
                .iter()
                .take_while(|&&e| left >= e - 0.01)
                .count();
            pieces[k].items.push(item.shifted(-edges[k], 0.0));
        }
        pieces
    }

    /// The box scaled by `factor` about its origin (a display formula wider than the page).
    pub fn scaled(&self, factor: f32) -> MathBox {
        let items = self.items.iter().map(|item| item.scaled(factor)).collect();
        MathBox {
            width: self.width * factor,
            ascent: self.ascent * factor,
            descent: self.descent * factor,
            items,
            italic: self.italic * factor,
            glyph: None,
            lead: None,
        }
    }
}

/// Typesets `tex` at `size` points, in display style or as part of a line of text. `Err`
/// says why it cannot be (the TeX does not parse, or the math font is missing).
pub fn typeset(tex: &str, display: bool, fonts: &FontSet, size: f32) -> Result<MathBox, String> {
    let setter = Setter::new(fonts, size)?;
    let nodes = tree::parse(tex)?;
    let style = if display {
        MathStyle::Display
    } else {
        MathStyle::Text
    };
    Ok(setter.row(&nodes, style, false, None))
}

/// Typesets `tex` for a line of text as pieces a line may end between, as TeX breaks inline
/// math: after each relation and binary operator of its outer row (`a + b = c` as `a +`,
/// `b =`, `c`). Each piece keeps the space that follows it, so the pieces set side by side
/// are the whole formula.
pub fn typeset_pieces(tex: &str, fonts: &FontSet, size: f32) -> Result<Vec<MathBox>, String> {
    let setter = Setter::new(fonts, size)?;
    let nodes = tree::parse(tex)?;
    let (whole, breaks) = setter.row_with_breaks(&nodes, MathStyle::Text, false, None);
    Ok(whole.cut(&breaks))
}

/// A formula that cannot be typeset, printed as its TeX in the code face (and its
/// fallbacks), one run at `size`.
pub fn source_box(tex: &str, fonts: &FontSet, size: f32) -> MathBox {
    text_box(tex, Role::Mono, fonts, size)
}

/// `text` in `role`'s face (and its fallbacks) at `size`, one line on the baseline.
pub fn text_box(text: &str, role: Role, fonts: &FontSet, size: f32) -> MathBox {
    let mut out = MathBox {
        ascent: 0.8 * size,
        descent: 0.2 * size,
        ..MathBox::default()
    };
    let mut x = 0.0;
    for (face, run) in face_runs(text, role, fonts) {
        let run_box = shaped_run(&run, face, size, fonts);
        let width = run_box.width;
        out.put(run_box, x, 0.0);
        x += width;
    }
    out.width = x;
    out
}

/// `text` split where the face that has its characters changes, `role`'s face first.
fn face_runs(text: &str, role: Role, fonts: &FontSet) -> Vec<(usize, String)> {
    let mut runs: Vec<(usize, String)> = Vec::new();
    for c in text.chars() {
        let face = fonts.face_for(role, c).unwrap_or(FontSet::index(role));
        match runs.last_mut() {
            Some((f, run)) if *f == face => run.push(c),
            _ => runs.push((face, c.to_string())),
        }
    }
    runs
}

/// One run of text shaped in face `face` at `size` points, as a box on the baseline.
fn shaped_run(run: &str, face: usize, size: f32, fonts: &FontSet) -> MathBox {
    let shaped = fonts.face(face).shape(run, "zh-CN", &[]);
    let glyphs: Vec<Glyph> = shaped
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let start = g.cluster as usize;
            let end = shaped[i + 1..]
                .iter()
                .map(|n| n.cluster as usize)
                .find(|&c| c > start)
                .unwrap_or(run.len());
            Glyph {
                id: g.id,
                x_advance: g.advance * size,
                x_offset: g.x_offset * size,
                y_offset: g.y_offset * size,
                text: start..end,
            }
        })
        .collect();
    let width = glyphs.iter().map(|g| g.x_advance).sum();
    MathBox {
        width,
        ascent: 0.8 * size,
        descent: 0.12 * size,
        items: vec![Item::Text(TextRun {
            font: face,
            size,
            x: 0.0,
            y: 0.0,
            ink: Ink::BLACK,
            text: run.to_string(),
            glyphs,
        })],
        ..MathBox::default()
    }
}

struct Setter<'a> {
    font: MathFont<'a>,
    /// The math font's index in the book's faces.
    face: usize,
    fonts: &'a FontSet,
    /// Text-style size in points.
    size: f32,
}

/// Where an item starts, from the left.
fn item_left(item: &Item) -> f32 {
    match item {
        Item::Text(run) | Item::Sideways(run) => run.x,
        Item::Image(image) => image.x,
        Item::Rule { from, to, .. } => from.0.min(to.0),
        Item::Fill { x, .. } => *x,
    }
}

/// The least blank between the inks of two glyphs side by side in a formula, in em.
const MIN_INK_GAP: f32 = 0.02;

/// One em in TeX's math units.
const MU: f32 = 1.0 / 18.0;

/// Characters that sit over or under their base as accents, at the base's size, and the
/// combining form the math font grows.
fn accent_form(c: char) -> Option<char> {
    Some(match c {
        '^' | 'ˆ' | '\u{302}' => '\u{302}',
        '~' | '˜' | '\u{303}' => '\u{303}',
        'ˇ' | '\u{30C}' => '\u{30C}',
        '¯' | '\u{304}' => '\u{304}',
        '˙' | '\u{307}' => '\u{307}',
        '¨' | '\u{308}' => '\u{308}',
        '´' | '\u{301}' => '\u{301}',
        '`' | '\u{300}' => '\u{300}',
        '˘' | '\u{306}' => '\u{306}',
        '˚' | '\u{30A}' => '\u{30A}',
        '→' | '\u{20D7}' => '\u{20D7}',
        '←' | '\u{20D6}' => '\u{20D6}',
        '↔' | '\u{20E1}' => '\u{20E1}',
        '⏞' | '⏟' | '⏜' | '⏝' | '⎴' | '⎵' => c,
        _ => return None,
    })
}

/// Lines drawn as rules over or under the base (`\overline`, `\underline`).
fn is_bar(c: char) -> bool {
    matches!(c, '‾' | '_' | '\u{332}' | '\u{305}' | '―')
}

impl<'a> Setter<'a> {
    /// A setter on the book's math font; `Err` when it is missing.
    fn new(fonts: &'a FontSet, size: f32) -> Result<Setter<'a>, String> {
        let face = fonts
            .math_face()
            .ok_or_else(|| "the math font STIXTwoMath-Regular.ttf was not found".to_string())?;
        let font = MathFont::new(&fonts.face(face).bytes)
            .ok_or_else(|| "the math font has no MATH table".to_string())?;
        Ok(Setter {
            font,
            face,
            fonts,
            size,
        })
    }

    fn em(&self, style: MathStyle) -> f32 {
        self.size
            * match style {
                MathStyle::Display | MathStyle::Text => 1.0,
                MathStyle::Script => self.font.script_scale(1),
                MathStyle::ScriptScript => self.font.script_scale(2),
            }
    }

    fn axis(&self, style: MathStyle) -> f32 {
        self.font.constant(|c| c.axis_height().value) * self.em(style)
    }

    /// A MATH constant in points at `style`.
    fn k<'f>(
        &self,
        style: MathStyle,
        get: impl Fn(&ttf_parser::math::Constants<'f>) -> ttf_parser::math::MathValue<'f>,
    ) -> f32
    where
        Self: 'f,
    {
        self.font.constant(|c| get(c).value) * self.em(style)
    }

    /// A row: its atoms spaced as TeX spaces them (`lead`: the class of what stands before
    /// the row, as `{}` before the `=` that starts an `aligned` cell).
    fn row(&self, nodes: &[Node], style: MathStyle, cramped: bool, lead: Option<Class>) -> MathBox {
        self.row_with_breaks(nodes, style, cramped, lead).0
    }

    /// A row, and where a line may break inside it: the x after the space that follows each
    /// relation and binary operator but the last atom.
    fn row_with_breaks(
        &self,
        nodes: &[Node],
        style: MathStyle,
        cramped: bool,
        lead: Option<Class>,
    ) -> (MathBox, Vec<f32>) {
        let mut style = style;
        let mut parts: Vec<(MathBox, Option<Class>, MathStyle)> = Vec::new();
        for node in nodes {
            match node {
                Node::Style(s) => style = *s,
                Node::Space(em) => {
                    let width = em * self.em(style);
                    parts.push((
                        MathBox {
                            width,
                            ..MathBox::default()
                        },
                        None,
                        style,
                    ));
                }
                _ => {
                    let (b, class) = self.node(node, style, cramped);
                    parts.push((b, Some(class), style));
                }
            }
        }
        // A binary operator with no operand before or after it is an ordinary atom (TeX's
        // rules 5 and 6: the minus of `-1`, the `+` before `=`).
        let classes: Vec<Option<Class>> = parts.iter().map(|p| p.1).collect();
        let mut fixed = classes.clone();
        for i in 0..classes.len() {
            if classes[i] != Some(Class::Bin) {
                continue;
            }
            let before = classes[..i].iter().rev().flatten().next().copied().or(lead);
            let after = classes[i + 1..].iter().flatten().next().copied();
            let lone_before = before.is_none_or(|c| {
                matches!(
                    c,
                    Class::Bin | Class::Op | Class::Rel | Class::Open | Class::Punct
                )
            });
            let lone_after =
                after.is_none_or(|c| matches!(c, Class::Rel | Class::Close | Class::Punct));
            if lone_before || lone_after {
                fixed[i] = Some(Class::Ord);
            }
        }
        let mut out = MathBox::default();
        let mut breaks = Vec::new();
        let mut x = 0.0;
        let mut previous = lead;
        let count = parts.len();
        let mut last_ink: Option<f32> = None;
        for (i, ((b, _, part_style), class)) in parts.into_iter().zip(fixed).enumerate() {
            if let (Some(p), Some(c)) = (previous, class) {
                x += spacing(p, c, part_style) * self.em(part_style);
                if matches!(p, Class::Rel | Class::Bin) {
                    breaks.push(x);
                }
            }
            let width = b.width;
            let (italic, glyph, lead) = (b.italic, b.glyph, b.lead);
            let em = self.em(part_style);
            // Two lone glyphs side by side (`AX` in italic) never let their serifs meet: TeX
            // sets them at their advances, where an italic's serif can reach the next.
            if let (Some(right_ink), Some(g)) = (last_ink, lead) {
                let left_ink = x + self.font.metrics(g).left * em;
                x += (right_ink - left_ink + MIN_INK_GAP * em).max(0.0);
            }
            last_ink = glyph.map(|g| x + self.font.metrics(g).right * em);
            out.put(b, x, 0.0);
            x += width;
            if count == 1 {
                out.italic = italic;
                out.glyph = glyph;
            }
            if i == 0 {
                out.lead = lead;
            }
            if class.is_some() {
                previous = class;
            }
        }
        out.width = x;
        (out, breaks)
    }

    fn node(&self, node: &Node, style: MathStyle, cramped: bool) -> (MathBox, Class) {
        match node {
            Node::Atom { c, class, large } => (self.atom(*c, *large, style), *class),
            Node::Word { text, class } => (self.word(text, style), *class),
            Node::Text(text) => (self.text(text, style), Class::Ord),
            Node::Row(nodes) => (self.row(nodes, style, cramped, None), Class::Ord),
            Node::Style(_) | Node::Space(_) => (
                self.row(std::slice::from_ref(node), style, cramped, None),
                Class::Ord,
            ),
            Node::Scripts {
                base,
                sub,
                sup,
                limits,
                movable,
            } => {
                let (base_box, class) = self.node(base, style, cramped);
                let above_below = *limits && !(*movable && style != MathStyle::Display);
                let b = if above_below {
                    self.limits(
                        base_box,
                        class,
                        sub.as_deref(),
                        sup.as_deref(),
                        style,
                        cramped,
                    )
                } else {
                    self.scripts(base_box, sub.as_deref(), sup.as_deref(), style, cramped)
                };
                (b, class)
            }
            Node::Fraction {
                numerator,
                denominator,
                bar,
            } => (
                self.fraction(numerator, denominator, *bar, style, cramped),
                Class::Inner,
            ),
            Node::Root { index, radicand } => {
                (self.root(index.as_deref(), radicand, style), Class::Ord)
            }
            Node::Fenced { open, close, body } => (
                self.fenced(*open, *close, body, style, cramped),
                Class::Inner,
            ),
            Node::Delimiter { c, size, class } => {
                let b = match size {
                    Some(em) => self.stretched(*c, *em * self.size / self.em(style), style),
                    None => self.atom(*c, false, style),
                };
                (b, *class)
            }
            Node::Table {
                rows,
                columns,
                gap,
                paired,
                display,
            } => (
                self.table(rows, columns, *gap, *paired, *display, style),
                Class::Ord,
            ),
            Node::Negated(inner) => {
                let (mut b, class) = self.node(inner, style, cramped);
                let em = self.em(style);
                let (left, right) = (b.width * 0.2, b.width * 0.8);
                b.items.push(Item::Rule {
                    from: (
                        left.min(right - em * 0.2).max(0.0),
                        b.descent.max(em * 0.15),
                    ),
                    to: (right.max(em * 0.2), -b.ascent.max(em * 0.6)),
                    thickness: em * 0.05,
                    gray: 0.0,
                });
                (b, class)
            }
        }
    }

    /// One glyph of the math font as a box at `y` below the baseline (pieces: glyph and its
    /// offset up from the first's baseline, all one cluster setting `text`).
    fn glyph_box(&self, pieces: &[(u16, f32)], metrics: Metrics, text: &str, em: f32) -> MathBox {
        self.pieces_box(pieces, false, metrics, text, em)
    }

    /// A grown glyph as a box: its pieces stacked, or end to end when it grew sideways.
    fn grown_box(&self, grown: &Grown, text: &str, em: f32) -> MathBox {
        self.pieces_box(&grown.pieces, grown.horizontal, grown.metrics, text, em)
    }

    fn pieces_box(
        &self,
        pieces: &[(u16, f32)],
        horizontal: bool,
        metrics: Metrics,
        text: &str,
        em: f32,
    ) -> MathBox {
        let last = pieces.len().saturating_sub(1);
        let glyphs = pieces
            .iter()
            .enumerate()
            .map(|(i, &(id, along))| Glyph {
                id,
                x_advance: if i == last { metrics.advance * em } else { 0.0 },
                x_offset: if horizontal { along * em } else { 0.0 },
                y_offset: if horizontal { 0.0 } else { along * em },
                text: 0..text.len(),
            })
            .collect();
        MathBox {
            width: metrics.advance * em,
            ascent: metrics.ascent * em,
            descent: metrics.descent * em,
            items: vec![Item::Text(TextRun {
                font: self.face,
                size: em,
                x: 0.0,
                y: 0.0,
                ink: Ink::BLACK,
                text: text.to_string(),
                glyphs,
            })],
            italic: 0.0,
            glyph: (pieces.len() == 1).then(|| pieces[0].0),
            lead: (pieces.len() == 1).then(|| pieces[0].0),
        }
    }

    /// Moves a box down by `dy` points.
    fn lowered(mut b: MathBox, dy: f32) -> MathBox {
        b.items = b.items.iter().map(|i| i.shifted(0.0, dy)).collect();
        b.ascent -= dy;
        b.descent += dy;
        b
    }

    fn atom(&self, c: char, large: bool, style: MathStyle) -> MathBox {
        let em = self.em(style);
        let Some(glyph) = self.font.glyph(c) else {
            // Not in the math font (a Han character outside `\text`): the body font's.
            return self.text(&c.to_string(), style);
        };
        if large {
            let grown = if style == MathStyle::Display {
                self.font
                    .grow(glyph, self.font.display_operator_min_height(), true)
            } else {
                self.font.single(glyph)
            };
            let mut b = self.grown_box(&grown, &c.to_string(), em);
            b.italic = grown.metrics.italic * em;
            // Scripts on an operator are placed by its size, not as on a letter.
            b.glyph = None;
            // Large operators are centred on the axis.
            let shift = (b.ascent - b.descent) / 2.0 - self.axis(style);
            return Self::lowered(b, shift);
        }
        let metrics = self.font.metrics(glyph);
        let mut b = self.glyph_box(&[(glyph, 0.0)], metrics, &c.to_string(), em);
        // An italic letter keeps its overhang clear of what follows (TeX adds the italic
        // correction to a character's width in math).
        b.italic = metrics.italic * em;
        b.width += b.italic;
        b
    }

    /// A function name or number: upright glyphs of the math font side by side.
    fn word(&self, text: &str, style: MathStyle) -> MathBox {
        let mut out = MathBox::default();
        let mut x = 0.0;
        for c in text.chars() {
            let b = self.atom(c, false, style);
            let width = b.width;
            out.put(b, x, 0.0);
            x += width;
        }
        out.width = x;
        out
    }

    /// `\text{…}`: the body font (its fallbacks for what it lacks), shaped.
    fn text(&self, text: &str, style: MathStyle) -> MathBox {
        let em = self.em(style);
        text_box(text, Role::Body, self.fonts, em)
    }

    /// A delimiter grown to `target` em of the current style (height plus depth), centred on
    /// the axis.
    fn stretched(&self, c: char, target: f32, style: MathStyle) -> MathBox {
        let em = self.em(style);
        let Some(glyph) = self.font.glyph(c) else {
            return self.atom(c, false, style);
        };
        let grown = self.font.grow(glyph, target, true);
        let b = self.grown_box(&grown, &c.to_string(), em);
        let shift = (b.ascent - b.descent) / 2.0 - self.axis(style);
        Self::lowered(b, shift)
    }

    fn scripts(
        &self,
        base: MathBox,
        sub: Option<&Node>,
        sup: Option<&Node>,
        style: MathStyle,
        cramped: bool,
    ) -> MathBox {
        let small = smaller(style);
        let sup = sup.map(|n| self.node(n, small, cramped).0);
        let sub = sub.map(|n| self.node(n, small, true).0);
        let lone = base.glyph.is_some();
        let mut u = 0.0f32;
        let mut v = 0.0f32;
        if let Some(sup) = &sup {
            let shift = if cramped {
                self.k(style, |c| c.superscript_shift_up_cramped())
            } else {
                self.k(style, |c| c.superscript_shift_up())
            };
            let drop = if lone {
                0.0
            } else {
                base.ascent - self.k(small, |c| c.superscript_baseline_drop_max())
            };
            u = shift
                .max(drop)
                .max(self.k(style, |c| c.superscript_bottom_min()) + sup.descent);
        }
        if let Some(sub) = &sub {
            let drop = if lone {
                0.0
            } else {
                base.descent + self.k(small, |c| c.subscript_baseline_drop_min())
            };
            v = self
                .k(style, |c| c.subscript_shift_down())
                .max(drop)
                .max(sub.ascent - self.k(style, |c| c.subscript_top_max()));
        }
        if let (Some(sup), Some(sub)) = (&sup, &sub) {
            let gap = (u - sup.descent) - (sub.ascent - v);
            let min = self.k(style, |c| c.sub_superscript_gap_min());
            if gap < min {
                v += min - gap;
            }
        }
        let italic = base.italic;
        let base_width = base.width;
        let mut out = MathBox {
            lead: base.lead,
            ..MathBox::default()
        };
        out.put(base, 0.0, 0.0);
        let after = self.k(style, |c| c.space_after_script());
        let mut width = base_width;
        if let Some(sup) = sup {
            let w = sup.width;
            out.put(sup, base_width, -u);
            width = width.max(base_width + w);
        }
        if let Some(sub) = sub {
            // A subscript tucks under an italic letter's overhang.
            let x = base_width - italic;
            let w = sub.width;
            out.put(sub, x, v);
            width = width.max(x + w);
        }
        out.width = width + after;
        out
    }

    /// Limits over and under a large operator, or what `\overset`, `\underbrace` and accents
    /// put there.
    fn limits(
        &self,
        base: MathBox,
        class: Class,
        sub: Option<&Node>,
        sup: Option<&Node>,
        style: MathStyle,
        cramped: bool,
    ) -> MathBox {
        let lone_char = |n: Option<&Node>| match n {
            Some(Node::Atom { c, .. }) => Some(*c),
            _ => None,
        };
        if sub.is_none()
            && let Some(c) = lone_char(sup)
            && (accent_form(c).is_some() || is_bar(c))
        {
            return self.accent(base, c, true, style);
        }
        if sup.is_none()
            && let Some(c) = lone_char(sub)
            && (accent_form(c).is_some() || is_bar(c))
        {
            return self.accent(base, c, false, style);
        }
        let small = smaller(style);
        let over = sup.map(|n| self.node(n, small, cramped).0);
        let under = sub.map(|n| self.node(n, small, true).0);
        let is_op = class == Class::Op;
        let width = [Some(&base), over.as_ref(), under.as_ref()]
            .into_iter()
            .flatten()
            .map(|b| b.width)
            .fold(0.0, f32::max);
        let italic = base.italic;
        let mut out = MathBox::default();
        let (base_ascent, base_descent, base_width) = (base.ascent, base.descent, base.width);
        out.put(base, (width - base_width) / 2.0, 0.0);
        if let Some(over) = over {
            let rise = if is_op {
                (self.k(style, |c| c.upper_limit_gap_min()) + over.descent)
                    .max(self.k(style, |c| c.upper_limit_baseline_rise_min()))
            } else {
                self.k(style, |c| c.stack_gap_min()) / 2.0 + over.descent
            };
            let x = (width - over.width) / 2.0 + italic / 2.0;
            out.put(over, x, -(base_ascent + rise));
        }
        if let Some(under) = under {
            let drop = if is_op {
                (self.k(style, |c| c.lower_limit_gap_min()) + under.ascent)
                    .max(self.k(style, |c| c.lower_limit_baseline_drop_min()))
            } else {
                self.k(style, |c| c.stack_gap_min()) / 2.0 + under.ascent
            };
            let x = (width - under.width) / 2.0 - italic / 2.0;
            out.put(under, x, base_descent + drop);
        }
        out.width = width;
        out
    }

    /// An accent or bar over (`over`) or under the base, grown to its width where the font
    /// has wider forms (`\widehat`, `\overrightarrow`, `\overbrace`).
    fn accent(&self, base: MathBox, c: char, over: bool, style: MathStyle) -> MathBox {
        let em = self.em(style);
        let mut out = MathBox::default();
        let (base_width, base_ascent, base_descent) = (base.width, base.ascent, base.descent);
        let attachment = match base.glyph {
            Some(g) => self.font.accent_attachment(g) * em,
            None => base_width / 2.0,
        };
        out.put(base, 0.0, 0.0);
        if is_bar(c) {
            let thickness = self.k(style, |c| c.overbar_rule_thickness());
            let (gap, y) = if over {
                let gap = self.k(style, |c| c.overbar_vertical_gap());
                (gap, -(base_ascent + gap + thickness))
            } else {
                let gap = self.k(style, |c| c.underbar_vertical_gap());
                (gap, base_descent + gap)
            };
            out.items.push(Item::Fill {
                x: 0.0,
                y,
                width: base_width,
                height: thickness,
                ink: Ink::Gray(0.0),
            });
            let extra = if over {
                self.k(style, |c| c.overbar_extra_ascender())
            } else {
                self.k(style, |c| c.underbar_extra_descender())
            };
            if over {
                out.ascent = out.ascent.max(-y + extra);
            } else {
                out.descent = out.descent.max(y + thickness + extra);
            }
            let _ = gap;
            out.width = base_width;
            return out;
        }
        let form = accent_form(c).unwrap_or(c);
        let Some(glyph) = self.font.glyph(form).or_else(|| self.font.glyph(c)) else {
            return out;
        };
        let grown = self.font.widen_within(glyph, base_width / em);
        let m = grown.metrics;
        let accent = self.grown_box(&grown, &c.to_string(), em);
        // Centre the accent's ink on the attachment point.
        let ink_middle = if grown.pieces.len() == 1 {
            self.font.accent_attachment(grown.pieces[0].0) * em
        } else {
            m.advance * em / 2.0
        };
        let x = attachment - ink_middle;
        let y = if over {
            // Accents are drawn for a base of x-height; a taller base lifts them.
            let base_height = self.k(style, |c| c.accent_base_height());
            -(base_ascent - base_height).max(0.0)
        } else {
            base_descent + self.k(style, |c| c.underbar_vertical_gap()) + m.ascent * em
        };
        out.put(accent, x, y);
        out.width = base_width.max(x + m.advance * em);
        out
    }

    fn fraction(
        &self,
        numerator: &Node,
        denominator: &Node,
        bar: bool,
        style: MathStyle,
        cramped: bool,
    ) -> MathBox {
        let inner = match style {
            MathStyle::Display => MathStyle::Text,
            other => smaller(other),
        };
        let num = self.node(numerator, inner, cramped).0;
        let den = self.node(denominator, inner, true).0;
        let display = style == MathStyle::Display;
        let axis = self.axis(style);
        let pad = 0.12 * self.em(style);
        let width = num.width.max(den.width);
        let (mut up, mut down);
        let mut out = MathBox::default();
        if bar {
            let t = self.k(style, |c| c.fraction_rule_thickness());
            up = if display {
                self.k(style, |c| c.fraction_numerator_display_style_shift_up())
            } else {
                self.k(style, |c| c.fraction_numerator_shift_up())
            };
            down = if display {
                self.k(style, |c| c.fraction_denominator_display_style_shift_down())
            } else {
                self.k(style, |c| c.fraction_denominator_shift_down())
            };
            let gap_num = if display {
                self.k(style, |c| c.fraction_num_display_style_gap_min())
            } else {
                self.k(style, |c| c.fraction_numerator_gap_min())
            };
            let gap_den = if display {
                self.k(style, |c| c.fraction_denom_display_style_gap_min())
            } else {
                self.k(style, |c| c.fraction_denominator_gap_min())
            };
            up = up.max(axis + t / 2.0 + gap_num + num.descent);
            down = down.max(den.ascent + gap_den + t / 2.0 - axis);
            out.items.push(Item::Fill {
                x: pad,
                y: -(axis + t / 2.0),
                width,
                height: t,
                ink: Ink::Gray(0.0),
            });
        } else {
            up = if display {
                self.k(style, |c| c.stack_top_display_style_shift_up())
            } else {
                self.k(style, |c| c.stack_top_shift_up())
            };
            down = if display {
                self.k(style, |c| c.stack_bottom_display_style_shift_down())
            } else {
                self.k(style, |c| c.stack_bottom_shift_down())
            };
            let min = if display {
                self.k(style, |c| c.stack_display_style_gap_min())
            } else {
                self.k(style, |c| c.stack_gap_min())
            };
            let gap = (up - num.descent) - (den.ascent - down);
            if gap < min {
                up += (min - gap) / 2.0;
                down += (min - gap) / 2.0;
            }
        }
        let (nw, dw) = (num.width, den.width);
        out.put(num, pad + (width - nw) / 2.0, -up);
        out.put(den, pad + (width - dw) / 2.0, down);
        out.width = width + 2.0 * pad;
        out
    }

    fn root(&self, index: Option<&Node>, radicand: &Node, style: MathStyle) -> MathBox {
        let em = self.em(style);
        let body = self.node(radicand, style, true).0;
        let t = self.k(style, |c| c.radical_rule_thickness());
        let gap = if style == MathStyle::Display {
            self.k(style, |c| c.radical_display_style_vertical_gap())
        } else {
            self.k(style, |c| c.radical_vertical_gap())
        };
        let Some(glyph) = self.font.glyph('√') else {
            return body;
        };
        let target = body.ascent + body.descent + gap + t;
        let grown = self.font.grow(glyph, target / em, true);
        let sign = self.grown_box(&grown, "√", em);
        // Extra height of the sign is shared between the gap above and below the radicand.
        let total = sign.ascent + sign.descent;
        let gap = gap + ((total - t - body.ascent - body.descent - gap) / 2.0).max(0.0);
        let top = body.ascent + gap + t;
        // Lift the sign so its top (where the bar joins) is at `top`.
        let sign = Self::lowered(sign, sign_top_shift(&grown, em, top));
        let mut out = MathBox::default();
        let mut x = 0.0;
        if let Some(index) = index {
            let index_box = self.node(index, MathStyle::ScriptScript, false).0;
            let before = self.k(style, |c| c.radical_kern_before_degree());
            let after = self.k(style, |c| c.radical_kern_after_degree());
            // The index's bottom stands this far up the sign.
            let bottom = self.font.degree_raise() * (sign.ascent + sign.descent) - sign.descent;
            let (w, descent) = (index_box.width, index_box.descent);
            out.put(index_box, before.max(0.0), -(bottom + descent));
            // A narrow degree (`\sqrt[3]`) would stand over the sign's tick, where the
            // negative kern after it takes the sign: the sign starts under its middle instead.
            x = (before.max(0.0) + w + after).max(before.max(0.0) + w / 2.0);
        }
        let sign_width = sign.width;
        let sign_top = sign.ascent;
        out.put(sign, x, 0.0);
        x += sign_width;
        let body_width = body.width;
        out.items.push(Item::Fill {
            x,
            y: -sign_top,
            width: body_width,
            height: t,
            ink: Ink::Gray(0.0),
        });
        out.put(body, x, 0.0);
        out.ascent = out
            .ascent
            .max(sign_top + self.k(style, |c| c.radical_extra_ascender()));
        out.width = x + body_width;
        out
    }

    fn fenced(
        &self,
        open: Option<char>,
        close: Option<char>,
        body: &[Node],
        style: MathStyle,
        cramped: bool,
    ) -> MathBox {
        let em = self.em(style);
        let lead = open.map(|_| Class::Open);
        let inner = self.row(body, style, cramped, lead);
        let axis = self.axis(style);
        let half = (inner.ascent - axis).max(inner.descent + axis);
        // TeX's \delimiterfactor 901 and \delimitershortfall 5pt.
        let target = (2.0 * half * 0.901).max(2.0 * half - 0.5 * em);
        let mut out = MathBox::default();
        let mut x = 0.0;
        if let Some(c) = open {
            let d = self.stretched(c, target / em, style);
            let w = d.width;
            out.put(d, x, 0.0);
            x += w;
        }
        let w = inner.width;
        out.put(inner, x, 0.0);
        x += w;
        if let Some(c) = close {
            let d = self.stretched(c, target / em, style);
            let w = d.width;
            out.put(d, x, 0.0);
            x += w;
        }
        out.width = x;
        out
    }

    fn table(
        &self,
        rows: &[Vec<Node>],
        columns: &[Align],
        gap: f32,
        paired: bool,
        display: bool,
        style: MathStyle,
    ) -> MathBox {
        let em = self.em(style);
        let cell_style = if display {
            MathStyle::Display
        } else if style == MathStyle::Display {
            MathStyle::Text
        } else {
            style
        };
        let cells: Vec<Vec<MathBox>> = rows
            .iter()
            .map(|row| {
                row.iter()
                    .enumerate()
                    .map(|(c, cell)| {
                        let nodes = match cell {
                            Node::Row(nodes) => nodes.as_slice(),
                            other => std::slice::from_ref(other),
                        };
                        // `&=`: the relation after the `&` is spaced as after `{}`.
                        let lead = (paired && c % 2 == 1).then_some(Class::Ord);
                        self.row(nodes, cell_style, false, lead)
                    })
                    .collect()
            })
            .collect();
        let count = cells.iter().map(Vec::len).max().unwrap_or(0);
        let mut widths = vec![0.0f32; count];
        for row in &cells {
            for (c, cell) in row.iter().enumerate() {
                widths[c] = widths[c].max(cell.width);
            }
        }
        let align = |c: usize| {
            if paired {
                if c.is_multiple_of(2) {
                    Align::Right
                } else {
                    Align::Left
                }
            } else {
                columns
                    .get(c)
                    .or(columns.last())
                    .copied()
                    .unwrap_or(Align::Center)
            }
        };
        let gap_after = |c: usize| {
            if paired && c.is_multiple_of(2) {
                0.0
            } else {
                gap * em
            }
        };
        // Rows at least as tall as TeX's array strut; `aligned` adds its \jot between rows.
        let (strut_up, strut_down) = (0.7 * em, 0.3 * em);
        let jot = if display { 0.3 * em } else { 0.0 };
        let mut out = MathBox::default();
        let mut y = 0.0;
        let mut placed = Vec::new();
        for (r, row) in cells.into_iter().enumerate() {
            let ascent = row.iter().map(|c| c.ascent).fold(strut_up, f32::max);
            let descent = row.iter().map(|c| c.descent).fold(strut_down, f32::max);
            if r > 0 {
                y += jot;
            }
            y += ascent;
            let mut x = 0.0;
            for (c, cell) in row.into_iter().enumerate() {
                let slack = widths[c] - cell.width;
                let dx = match align(c) {
                    Align::Left => 0.0,
                    Align::Center => slack / 2.0,
                    Align::Right => slack,
                };
                placed.push((cell, x + dx, y));
                x += widths[c] + gap_after(c);
            }
            y += descent;
        }
        let height = y;
        let lift = height / 2.0 + self.axis(style);
        for (cell, x, y) in placed {
            out.put(cell, x, y - lift);
        }
        out.ascent = out.ascent.max(lift);
        out.descent = out.descent.max(height - lift);
        let total: f32 = (0..count)
            .map(|c| widths[c] + if c + 1 < count { gap_after(c) } else { 0.0 })
            .sum();
        out.width = total;
        out
    }
}

/// How far to lower a grown radical sign so that its top is `top` above the baseline.
fn sign_top_shift(grown: &Grown, em: f32, top: f32) -> f32 {
    grown.metrics.ascent * em - top
}

/// The style of scripts in `style`.
fn smaller(style: MathStyle) -> MathStyle {
    match style {
        MathStyle::Display | MathStyle::Text => MathStyle::Script,
        MathStyle::Script | MathStyle::ScriptScript => MathStyle::ScriptScript,
    }
}

/// TeX's space between atoms of two classes, in em (the TeXbook's table on p. 170): thin
/// 3 mu, medium 4 mu, thick 5 mu; the bracketed entries only in display and text style.
fn spacing(left: Class, right: Class, style: MathStyle) -> f32 {
    use Class::*;
    const THIN: i8 = 1;
    const MED: i8 = 2;
    const THICK: i8 = 3;
    // Negative: only in display and text style.
    let code: i8 = match (left, right) {
        (Ord, Op) | (Op, Ord) | (Op, Op) | (Close, Op) | (Inner, Op) => THIN,
        (Ord, Bin) | (Bin, _) | (_, Bin) => -MED,
        (Ord, Rel) | (Op, Rel) | (Close, Rel) | (Inner, Rel) => -THICK,
        (Rel, Ord) | (Rel, Op) | (Rel, Open) | (Rel, Inner) => -THICK,
        (Ord, Inner) | (Op, Inner) | (Close, Inner) => -THIN,
        (Punct, Rel) | (Punct, Ord) | (Punct, Op) | (Punct, Open) | (Punct, Close) => -THIN,
        (Punct, Punct) | (Punct, Inner) => -THIN,
        (Inner, Ord) | (Inner, Open) | (Inner, Punct) | (Inner, Inner) => -THIN,
        _ => 0,
    };
    let in_small = matches!(style, MathStyle::Script | MathStyle::ScriptScript);
    if code < 0 && in_small {
        return 0.0;
    }
    let mu = match code.abs() {
        THIN => 3.0,
        MED => 4.0,
        THICK => 5.0,
        _ => 0.0,
    };
    mu * MU
}
