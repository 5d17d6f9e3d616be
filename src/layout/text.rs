//! A paragraph's inlines → styled text → shaped clusters, ready for the line breaker.
//!
//! Each span is shaped once per font run (a run changes font where the style does or where a
//! character needs a fallback face). Every cluster becomes one breaker `Unit`.

use std::collections::BTreeSet;
use std::ops::Range;

use std::sync::Arc;

use super::class::{Class, class_of};
use super::linebreak::Unit;
use super::math::{self, MathBox};
use super::page::Ink;
use crate::document::{Image, ImageSource, Inline, InlineStyle, LinkTarget, Math};
use crate::fonts::{FontSet, Role};

/// Where a piece of text links to, before page numbers are known.
#[derive(Debug, Clone, PartialEq)]
pub enum LinkRef {
    Post(usize),
    Url(String),
    /// A footnote of the current post (index).
    Footnote(usize),
}

/// How a span of text is set.
#[derive(Debug, Clone, PartialEq)]
pub struct Style {
    pub role: Role,
    /// Size relative to the block's base size (1.0 = base).
    pub scale: f32,
    /// Baseline shift in em of the base size (superscript > 0).
    pub rise: f32,
    pub ink: Ink,
    pub link: Option<LinkRef>,
    /// Struck through (`~~…~~`, `<del>`).
    pub strike: bool,
}

impl Style {
    pub fn plain(role: Role) -> Self {
        Style {
            role,
            scale: 1.0,
            rise: 0.0,
            ink: Ink::BLACK,
            link: None,
            strike: false,
        }
    }

    /// This style for code inside running text: the mono face, a little smaller.
    fn code(&self) -> Style {
        Style {
            role: Role::Mono,
            scale: self.scale * 0.9,
            ..self.clone()
        }
    }
}

/// Text of a paragraph with a style for each span.
#[derive(Debug, Clone, Default)]
pub struct StyledText {
    pub text: String,
    pub spans: Vec<(Range<usize>, Style)>,
    /// The formulas of the text, each at the offset of the [`FORMULA`] character standing
    /// for it.
    pub formulas: Vec<(usize, Math)>,
}

/// The character a formula stands as in styled text: one unbreakable unit, spaced from Han
/// characters as a Latin word is (U+FFFC OBJECT REPLACEMENT CHARACTER).
pub const FORMULA: char = super::linebreak::FORMULA;

impl StyledText {
    pub fn push(&mut self, text: &str, style: &Style) {
        if text.is_empty() {
            return;
        }
        let start = self.text.len();
        self.text.push_str(text);
        match self.spans.last_mut() {
            Some((range, last)) if last == style && range.end == start => {
                range.end = self.text.len()
            }
            _ => self.spans.push((start..self.text.len(), style.clone())),
        }
    }

    pub fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }
}

/// Flattens inlines into lines of styled text; a hard line break starts a new line.
pub fn styled_lines(inlines: &[Inline], base: &Style) -> Vec<StyledText> {
    let mut out = vec![StyledText::default()];
    push_inlines(inlines, base, &mut out);
    out
}

fn push_inlines(inlines: &[Inline], style: &Style, out: &mut Vec<StyledText>) {
    for inline in inlines {
        let current = |out: &mut Vec<StyledText>| -> usize { out.len() - 1 };
        match inline {
            Inline::Text(t) => {
                let i = current(out);
                out[i].push(t, style);
            }
            Inline::Code(t) => {
                let i = current(out);
                out[i].push(t, &style.code());
            }
            Inline::Emphasis(c) => push_inlines(
                c,
                &Style {
                    role: Role::Emphasis,
                    ..style.clone()
                },
                out,
            ),
            Inline::Strong(c) => push_inlines(
                c,
                &Style {
                    role: Role::Heading,
                    ..style.clone()
                },
                out,
            ),
            Inline::Strikethrough(c) => push_inlines(
                c,
                &Style {
                    strike: true,
                    ..style.clone()
                },
                out,
            ),
            Inline::Styled { style: s, content } => {
                let styled = match s {
                    InlineStyle::Superscript => Style {
                        scale: style.scale * 0.7,
                        rise: 0.35,
                        ..style.clone()
                    },
                    InlineStyle::Subscript => Style {
                        scale: style.scale * 0.7,
                        rise: -0.15,
                        ..style.clone()
                    },
                    InlineStyle::Keyboard => style.code(),
                    InlineStyle::Small => Style {
                        scale: style.scale * 0.85,
                        ..style.clone()
                    },
                    InlineStyle::Label(_) => Style {
                        role: Role::Heading,
                        ..style.clone()
                    },
                    _ => style.clone(),
                };
                push_inlines(content, &styled, out);
            }
            Inline::Link {
                target, content, ..
            } => {
                let link = match target {
                    LinkTarget::Post { index, .. } => Some(LinkRef::Post(*index)),
                    LinkTarget::External(url) => Some(LinkRef::Url(url.clone())),
                    _ => None,
                };
                push_inlines(
                    content,
                    &Style {
                        link: link.or(style.link.clone()),
                        ..style.clone()
                    },
                    out,
                );
            }
            Inline::Image(image) => {
                let i = current(out);
                out[i].push(
                    &image_placeholder(image),
                    &Style {
                        ink: Ink::Gray(0.4),
                        ..style.clone()
                    },
                );
            }
            Inline::FootnoteRef(n) => {
                let i = current(out);
                let note = Style {
                    scale: style.scale * 0.7,
                    rise: 0.35,
                    link: Some(LinkRef::Footnote(*n)),
                    ..style.clone()
                };
                out[i].push(&(n + 1).to_string(), &note);
            }
            Inline::Math(formula) => {
                let i = current(out);
                if formula.error.is_some() {
                    // What cannot be typeset is printed as written, in the code face.
                    out[i].push(&formula.tex, &style.code());
                } else {
                    let at = out[i].text.len();
                    out[i].push(&FORMULA.to_string(), style);
                    out[i].formulas.push((at, formula.clone()));
                }
            }
            Inline::LineBreak => out.push(StyledText::default()),
            Inline::SoftBreak => {
                let i = current(out);
                out[i].push(" ", style);
            }
        }
    }
}

/// Inline images are not placed in running text: their description is.
pub fn image_placeholder(image: &Image) -> String {
    match image.source {
        ImageSource::Missing(_) | ImageSource::Unusable(_) => {
            format!("［{}］", crate::zh::missing_image(&image.alt))
        }
        _ if image.alt.is_empty() => format!("［{}］", crate::zh::IMAGE),
        _ => format!("［{}］", image.alt),
    }
}

/// A shaped cluster: the glyphs that set one unit.
#[derive(Debug, Clone)]
pub struct Cluster {
    pub face: usize,
    pub size: f32,
    pub rise: f32,
    pub ink: Ink,
    pub link: Option<LinkRef>,
    pub strike: bool,
    /// Glyph ids with advance and offsets in points.
    pub glyphs: Vec<(u16, f32, f32, f32)>,
    pub text: Range<usize>,
    /// A formula set in the line in place of glyphs.
    pub formula: Option<Arc<MathBox>>,
}

/// A paragraph shaped for breaking.
#[derive(Debug, Clone, Default)]
pub struct Shaped {
    pub text: String,
    pub units: Vec<Unit>,
    pub clusters: Vec<Cluster>,
    /// The hyphen of each face that sets Latin words here (a word broken at a line's end
    /// takes one): face, glyph id and advance in em.
    pub hyphens: Vec<(usize, u16, f32)>,
}

/// Shapes styled text at base size `size`; characters no face has go to `missing`.
pub fn shape(
    styled: &StyledText,
    fonts: &FontSet,
    size: f32,
    language: &str,
    missing: &mut BTreeSet<char>,
) -> Shaped {
    let mut shaped = Shaped {
        text: styled.text.clone(),
        ..Shaped::default()
    };
    for (range, style) in &styled.spans {
        let span = &styled.text[range.clone()];
        for (run, face) in font_runs(span, style.role, fonts, missing) {
            let absolute = range.start + run.start..range.start + run.end;
            if face == MISSING_FACE {
                missing_clusters(&mut shaped, absolute, style, size);
            } else if face == FORMULA_FACE {
                formula_clusters(&mut shaped, &styled.formulas, fonts, absolute, style, size);
            } else {
                shape_run(&mut shaped, fonts, face, absolute, style, size, language);
            }
        }
    }
    shaped
}

/// Splits a span where the face changes (fallback, or punctuation, Latin letters, digits and
/// signs in emphasis, which are set in the body font: the Kai font's marks are proportional and its
/// Latin is handwriting, its "90" reading like "q0").
fn font_runs(
    span: &str,
    role: Role,
    fonts: &FontSet,
    missing: &mut BTreeSet<char>,
) -> Vec<(Range<usize>, usize)> {
    let mut runs: Vec<(Range<usize>, usize)> = Vec::new();
    for (i, c) in span.char_indices() {
        let end = i + c.len_utf8();
        let wants_body = role == Role::Emphasis
            && (c.is_ascii_graphic()
                || matches!(
                    class_of(c),
                    Class::Opening
                        | Class::Closing
                        | Class::Stop
                        | Class::MiddleDot
                        | Class::Inseparable
                ));
        let role = if wants_body { Role::Body } else { role };
        let face = match fonts.face_for(role, c) {
            _ if c == FORMULA => FORMULA_FACE,
            Some(face) => face,
            None if !c.is_control() && !c.is_whitespace() && !is_invisible(c) => {
                missing.insert(c);
                MISSING_FACE
            }
            None => FontSet::index(Role::Body),
        };
        match runs.last_mut() {
            Some((range, f)) if *f == face && range.end == i => range.end = end,
            _ => runs.push((i..end, face)),
        }
    }
    runs
}

/// The face index of characters no font has: the page shows each as its code point in a box.
pub const MISSING_FACE: usize = usize::MAX;

/// The face index of formulas, which set their own glyphs.
pub const FORMULA_FACE: usize = usize::MAX - 1;

/// Units for each formula: one for each piece a line may end after (see
/// `math::typeset_pieces`), as wide as the piece.
fn formula_clusters(
    shaped: &mut Shaped,
    formulas: &[(usize, Math)],
    fonts: &FontSet,
    range: Range<usize>,
    style: &Style,
    size: f32,
) {
    let font_size = size * style.scale;
    for (i, ch) in shaped.text[range.clone()].char_indices() {
        let start = range.start + i;
        let tex = formulas
            .iter()
            .find(|(at, _)| *at == start)
            .map_or("", |(_, f)| f.tex.as_str());
        let pieces = math::typeset_pieces(tex, fonts, font_size)
            .unwrap_or_else(|_| vec![math::source_box(tex, fonts, font_size)]);
        for piece in pieces {
            shaped.units.push(Unit {
                ch,
                width: piece.width,
                em: font_size,
                verbatim: true,
                ligature: false,
            });
            let text = start..start + ch.len_utf8();
            let formula = Some(Arc::new(piece));
            let cluster = glyphless_cluster(FORMULA_FACE, style, size, text, formula);
            shaped.clusters.push(cluster);
        }
    }
}

/// A cluster that draws no glyphs of its own (a formula, or a character no font has), in
/// `style` for text of `size` points.
fn glyphless_cluster(
    face: usize,
    style: &Style,
    size: f32,
    text: Range<usize>,
    formula: Option<Arc<MathBox>>,
) -> Cluster {
    Cluster {
        face,
        size: size * style.scale,
        rise: style.rise * size,
        ink: style.ink,
        link: style.link.clone(),
        strike: style.strike,
        glyphs: Vec::new(),
        text,
        formula,
    }
}

/// One em-wide cluster without glyphs for each character no font has.
fn missing_clusters(shaped: &mut Shaped, range: Range<usize>, style: &Style, size: f32) {
    let font_size = size * style.scale;
    for (i, ch) in shaped.text[range.clone()].char_indices() {
        let start = range.start + i;
        shaped.units.push(Unit {
            ch,
            width: font_size,
            em: font_size,
            verbatim: style.role == Role::Mono,
            ligature: false,
        });
        let text = start..start + ch.len_utf8();
        let cluster = glyphless_cluster(MISSING_FACE, style, size, text, None);
        shaped.clusters.push(cluster);
    }
}

fn shape_run(
    shaped: &mut Shaped,
    fonts: &FontSet,
    face: usize,
    range: Range<usize>,
    style: &Style,
    size: f32,
    language: &str,
) {
    let text = &shaped.text[range.clone()];
    let font_size = size * style.scale;
    // Dashes and middle dots in the Chinese cut are proportional unless asked for full width
    // (clreq: —— is two ems, · one).
    let mut features: Vec<([u8; 4], u32, Range<usize>)> = text
        .char_indices()
        .filter(|(_, c)| matches!(c, '—' | '·' | '…'))
        .map(|(i, c)| (*b"fwid", 1, i..i + c.len_utf8()))
        .collect();
    if style.role == Role::Mono {
        // Code is verbatim: `->` and `..=` stay the characters typed.
        features.extend(NO_LIGATURES.map(|tag| (tag, 0, 0..text.len())));
    }
    let glyphs = fonts.face(face).shape(text, language, &features);
    let has_words = style.role != Role::Mono && text.bytes().any(|b| b.is_ascii_alphabetic());
    if has_words
        && !shaped.hyphens.iter().any(|h| h.0 == face)
        && let Some((id, advance)) = fonts.face(face).hyphen()
    {
        shaped.hyphens.push((face, id, advance));
    }
    // Glyphs come in cluster order (left to right); consecutive glyphs of one cluster form
    // one unit.
    let mut k = 0;
    while k < glyphs.len() {
        let start = glyphs[k].cluster as usize;
        let mut next = k + 1;
        while next < glyphs.len() && glyphs[next].cluster as usize == start {
            next += 1;
        }
        let end = glyphs
            .get(next)
            .map_or(text.len(), |g| (g.cluster as usize).max(start));
        let ch = text
            .get(start..)
            .and_then(|t| t.chars().next())
            .unwrap_or(' ');
        let members: Vec<(u16, f32, f32, f32)> = glyphs[k..next]
            .iter()
            .map(|g| {
                (
                    g.id,
                    g.advance * font_size,
                    g.x_offset * font_size,
                    g.y_offset * font_size,
                )
            })
            .collect();
        let width: f32 = members.iter().map(|g| g.1).sum();
        shaped.units.push(Unit {
            ch,
            width,
            em: font_size,
            verbatim: style.role == Role::Mono,
            ligature: text
                .get(start..end)
                .is_some_and(|t| t.chars().nth(1).is_some()),
        });
        shaped.clusters.push(Cluster {
            face,
            size: font_size,
            rise: style.rise * size,
            ink: style.ink,
            link: style.link.clone(),
            strike: style.strike,
            glyphs: members,
            text: range.start + start..range.start + end,
            formula: None,
        });
        k = next;
    }
}

/// Features that join characters into one glyph, switched off in code.
const NO_LIGATURES: [[u8; 4]; 3] = [*b"calt", *b"liga", *b"dlig"];

/// Characters that draw nothing (variation selectors, joiners, zero-width spaces): no font
/// needs a glyph for them.
fn is_invisible(c: char) -> bool {
    matches!(c as u32, 0x200B..=0x200F | 0x2060..=0x2064 | 0xFE00..=0xFE0F | 0xFEFF | 0xE0100..=0xE01EF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_digits_and_marks_in_emphasis_are_set_in_the_body_font() {
        let files = crate::fonts::load_all(&crate::config::Fonts::default())
            .unwrap_or_else(|e| panic!("{e}"));
        let fonts = FontSet::new(&files).unwrap_or_else(|e| panic!("{e}"));
        let runs = font_runs("第90页，好", Role::Emphasis, &fonts, &mut BTreeSet::new());
        let kai = FontSet::index(Role::Emphasis);
        let body = FontSet::index(Role::Body);
        let faces: Vec<(&str, usize)> = runs
            .iter()
            .map(|(range, face)| (&"第90页，好"[range.clone()], *face))
            .collect();
        assert_eq!(
            faces,
            [
                ("第", kai),
                ("90", body),
                ("页", kai),
                ("，", body),
                ("好", kai)
            ]
        );
    }
}
