//! Page profiles as data: the trim sizes in `styles/profiles/*.toml`, built into the binary,
//! chosen with `--profile NAME` or `[pdf] profile`, and any field overridden by `[pdf]`.
//!
//! A profile is checked when it is read: the measure is a whole number of body ems (it is
//! given as characters per line), and the text block, its running head above and its folio
//! below all fit on the page.

use serde::Deserialize;

use super::typography::{MM, PageProfile, RunningHead};

/// The profile a book gets when none is named.
pub const DEFAULT: &str = "32k";

/// The built-in profiles, by name, as their files say them.
pub const BUILT_IN: &[(&str, &str)] = &[
    ("32k", include_str!("../../styles/profiles/32k.toml")),
    (
        "32k-large",
        include_str!("../../styles/profiles/32k-large.toml"),
    ),
    ("a5", include_str!("../../styles/profiles/a5.toml")),
    ("16k", include_str!("../../styles/profiles/16k.toml")),
    ("6x9", include_str!("../../styles/profiles/6x9.toml")),
    (
        "ereader-6",
        include_str!("../../styles/profiles/ereader-6.toml"),
    ),
    (
        "ereader-7",
        include_str!("../../styles/profiles/ereader-7.toml"),
    ),
    (
        "ereader-10",
        include_str!("../../styles/profiles/ereader-10.toml"),
    ),
];

/// What a page is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A printed book: facing pages, openings on right-hand pages with blank backs.
    Print,
    /// A screen: one page after another, no blank pages.
    Screen,
}

/// A profile file, or the `[pdf]` fields of book.toml laid over one: every field optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileFields {
    pub kind: Option<Kind>,
    /// Width and height, mm.
    pub trim: Option<[f32; 2]>,
    /// Body text size, pt.
    pub font_size: Option<f32>,
    /// Baseline to baseline, in body ems.
    pub line_pitch: Option<f32>,
    pub chars_per_line: Option<u32>,
    pub lines_per_page: Option<u32>,
    /// Head margin to the text block, mm.
    pub top: Option<f32>,
    /// The share of the side margins on the spine side (0.5: centred).
    pub inner_share: Option<f32>,
    /// Beyond the trim on every side, mm (print; 0 for screens).
    pub bleed: Option<f32>,
    /// Pad the page count to a multiple of this.
    pub pages_multiple: Option<u32>,
    /// mm the inner margin grows for every hundred pages above `gutter_from`.
    pub gutter_per_100_pages: Option<f32>,
    pub gutter_from: Option<u32>,
    /// The most the inner margin grows, mm.
    pub gutter_max: Option<f32>,
    pub image_dpi: Option<f32>,
    /// Crop and registration marks outside the bleed (`--marks`).
    pub marks: Option<bool>,
    /// Where the running head and the folio stand.
    pub running_head: Option<RunningHead>,
    /// PDF/A-2b, for archives and libraries (`--pdfa`).
    pub pdfa: Option<bool>,
}

impl ProfileFields {
    /// These fields, each given one replacing that of `base`.
    pub fn over(self, base: ProfileFields) -> ProfileFields {
        ProfileFields {
            kind: self.kind.or(base.kind),
            trim: self.trim.or(base.trim),
            font_size: self.font_size.or(base.font_size),
            line_pitch: self.line_pitch.or(base.line_pitch),
            chars_per_line: self.chars_per_line.or(base.chars_per_line),
            lines_per_page: self.lines_per_page.or(base.lines_per_page),
            top: self.top.or(base.top),
            inner_share: self.inner_share.or(base.inner_share),
            bleed: self.bleed.or(base.bleed),
            pages_multiple: self.pages_multiple.or(base.pages_multiple),
            gutter_per_100_pages: self.gutter_per_100_pages.or(base.gutter_per_100_pages),
            gutter_from: self.gutter_from.or(base.gutter_from),
            gutter_max: self.gutter_max.or(base.gutter_max),
            image_dpi: self.image_dpi.or(base.image_dpi),
            marks: self.marks.or(base.marks),
            running_head: self.running_head.or(base.running_head),
            pdfa: self.pdfa.or(base.pdfa),
        }
    }
}

/// The fields of built-in profile `name`; the error lists the names there are.
pub fn built_in(name: &str) -> Result<ProfileFields, String> {
    let (_, text) = BUILT_IN.iter().find(|(n, _)| *n == name).ok_or_else(|| {
        let names: Vec<&str> = BUILT_IN.iter().map(|(n, _)| *n).collect();
        format!("no page profile '{name}' (there are: {})", names.join(", "))
    })?;
    toml::from_str(text).map_err(|e| format!("the built-in profile '{name}' is broken: {e}"))
}

/// The page these fields describe, or what is wrong with it.
pub fn page(fields: &ProfileFields) -> Result<PageProfile, String> {
    let missing = |what: &str| format!("the page profile gives no {what}");
    let kind = fields.kind.ok_or_else(|| missing("kind"))?;
    let [width, height] = fields.trim.ok_or_else(|| missing("trim"))?;
    let font_size = fields.font_size.ok_or_else(|| missing("font_size"))?;
    let pitch = fields.line_pitch.ok_or_else(|| missing("line_pitch"))?;
    let chars_per_line = fields
        .chars_per_line
        .ok_or_else(|| missing("chars_per_line"))?;
    let lines_per_page = fields
        .lines_per_page
        .ok_or_else(|| missing("lines_per_page"))?;
    let top = fields.top.ok_or_else(|| missing("top"))?;
    let inner_share = fields.inner_share.ok_or_else(|| missing("inner_share"))?;
    let numbers = [width, height, font_size, pitch, top, inner_share];
    if numbers.iter().any(|n| !n.is_finite() || *n <= 0.0)
        || chars_per_line == 0
        || lines_per_page == 0
    {
        return Err("every size of the page profile must be a positive number".into());
    }
    let (width, height) = (width * MM, height * MM);
    let measure = font_size * chars_per_line as f32;
    let inner = (width - measure) * inner_share.min(1.0);
    let profile = PageProfile {
        width,
        height,
        bleed: fields.bleed.unwrap_or(0.0).clamp(0.0, 25.0) * MM,
        font_size,
        line_pitch: font_size * pitch,
        chars_per_line,
        lines_per_page,
        top: top * MM,
        inner,
        image_dpi: fields.image_dpi.unwrap_or(0.0).max(0.0),
        facing: kind == Kind::Print,
        pages_multiple: fields.pages_multiple.unwrap_or(0),
        gutter_per_100_pages: fields.gutter_per_100_pages.unwrap_or(0.0).clamp(0.0, 20.0) * MM,
        gutter_from: fields.gutter_from.unwrap_or(0),
        gutter_max: fields.gutter_max.unwrap_or(0.0).clamp(0.0, 50.0) * MM,
        marks: fields.marks.unwrap_or(false),
        running_head: fields.running_head.unwrap_or_default(),
        pdfa: fields.pdfa.unwrap_or(false),
    };
    fits(&profile)?;
    Ok(profile)
}

/// Whether the text block, with the running head above it and the folio below, fits the page
/// with at least 5 mm to every edge.
fn fits(p: &PageProfile) -> Result<(), String> {
    let edge = 5.0 * MM;
    let mm = |points: f32| format!("{:.1} mm", points / MM);
    let side = p.width - p.measure();
    if p.inner < edge || side - p.inner < edge {
        return Err(format!(
            "{} characters of {} pt ({}) leave less than 5 mm beside the text on a page {} wide",
            p.chars_per_line,
            p.font_size,
            mm(p.measure()),
            mm(p.width)
        ));
    }
    // The running head's baseline is 0.9 line above the block; its letters rise a body em.
    if p.top - 0.9 * p.line_pitch - p.font_size < edge - 3.0 * MM {
        return Err(format!(
            "a top margin of {} leaves no room for the running head",
            mm(p.top)
        ));
    }
    // The folio's baseline is 1.5 lines below the block.
    let below = p.height - p.top - p.block_height();
    if below < 1.5 * p.line_pitch + 3.0 * MM {
        return Err(format!(
            "{} lines of {} leave no room for the folio on a page {} high",
            p.lines_per_page,
            mm(p.line_pitch),
            mm(p.height)
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_profile_keeps_the_grid_and_fits_its_page() {
        for (name, _) in BUILT_IN {
            let p = page(&built_in(name).unwrap()).unwrap_or_else(|e| panic!("{name}: {e}"));
            // The measure is a whole number of body ems.
            let ems = p.measure() / p.font_size;
            assert!((ems - ems.round()).abs() < 1e-4, "{name}: {ems} ems");
            assert!(
                p.block_left(true) >= 5.0 * MM && p.block_left(false) >= 5.0 * MM,
                "{name}"
            );
            let screen = name.starts_with("ereader");
            assert_eq!(p.facing, !screen, "{name}");
            assert_eq!(p.image_dpi, if screen { 200.0 } else { 300.0 }, "{name}");
            // Print bleeds 3 mm (0.125 in for inch sizes); a screen has no bleed.
            let bleed = if screen {
                0.0
            } else if *name == "6x9" {
                3.175
            } else {
                3.0
            };
            assert!(
                (p.bleed / MM - bleed).abs() < 1e-4,
                "{name}: bleed {}",
                p.bleed / MM
            );
        }
    }

    #[test]
    fn the_default_profile_is_the_32k_page() {
        let p = page(&built_in(DEFAULT).unwrap()).unwrap();
        assert!((p.width / MM - 130.0).abs() < 1e-3 && (p.height / MM - 184.0).abs() < 1e-3);
        assert_eq!((p.chars_per_line, p.lines_per_page), (27, 24));
    }

    #[test]
    fn a_field_given_replaces_the_profiles_and_a_page_that_cannot_hold_its_text_is_refused() {
        let a5 = built_in("a5").unwrap();
        let bigger = ProfileFields {
            font_size: Some(12.0),
            chars_per_line: Some(27),
            lines_per_page: Some(24),
            ..ProfileFields::default()
        };
        let p = page(&bigger.over(a5.clone())).unwrap();
        assert_eq!(
            (p.font_size, p.chars_per_line, p.lines_per_page),
            (12.0, 27, 24)
        );
        assert!(
            (p.width / MM - 148.0).abs() < 1e-3,
            "the trim stays the profile's"
        );
        let too_wide = ProfileFields {
            chars_per_line: Some(40),
            ..ProfileFields::default()
        };
        let e = page(&too_wide.over(a5.clone())).unwrap_err();
        assert!(e.contains("40 characters") && e.contains("5 mm"), "{e}");
        let too_long = ProfileFields {
            lines_per_page: Some(40),
            ..ProfileFields::default()
        };
        assert!(page(&too_long.over(a5)).unwrap_err().contains("folio"));
        let e = built_in("b5").unwrap_err();
        assert!(e.contains("b5") && e.contains("ereader-6"), "{e}");
    }
}
