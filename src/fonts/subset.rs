//! Font subsetting for the EPUB back end.
//!
//! An EPUB embeds its fonts as files of their own (`@font-face` in the CSS), so each subset must
//! be a complete, standalone OpenType font: a Unicode `cmap` (browsers and e-reader engines reject
//! or ignore fonts without one), consistent metrics, and the layout tables that Chinese text
//! needs (`vert`/`vrt2` for vertical forms, `halt`/`chws`/`palt` for half-width punctuation, `locl`
//! for the Simplified Chinese cut). That is why the PDF subsetter (`subsetter`, krilla's) is not
//! used here: it drops `cmap`, which is fine inside a PDF but useless for a web font.
//!
//! TrueType-outlined fonts (all the fonts inkstone ships) are subset with `fontcull-klippa`, a
//! published copy of Google fontations' `klippa` (a Rust port of HarfBuzz's `hb-subset`; the
//! crates.io name `klippa` belongs to an unrelated geometry crate). It computes the glyph closure
//! over GSUB and composite glyphs and subsets GSUB/GPOS/GDEF/cmap/hmtx/name/OS2/post. Its known
//! gaps are handled here:
//! - it cannot yet serialise *Extension* lookups (GSUB 7, GPOS 9): their output is corrupt (OTS,
//!   and therefore Chrome and Firefox, reject the whole font). Features that use one are left
//!   out (in Noto Serif/Sans SC only `kern`/`vkrn`), and if a broken lookup still reaches the
//!   output (through a contextual lookup) the whole layout table is dropped and we retry;
//! - it passes `vhea`/`vmtx`/`VORG` through unsubset (wrong for the new glyph order), so these
//!   are dropped: renderers synthesise vertical metrics, and inkstone sets text horizontally;
//! - tables it does not know are passed through whole, so only a known list is kept.
//!
//! CFF/CFF2-outlined fonts (for example Source Han / Noto CJK `.otf`/`.ttc` a user may name) are
//! subset with `allsorts`, which handles CFF (as CID-keyed CFF) but writes no layout tables;
//! its Unicode-platform-only cmap is replaced by one with the usual Windows subtables too.
//!
//! Output is deterministic: the same font, index and characters give the same bytes.

use std::collections::BTreeSet;
use std::panic::{AssertUnwindSafe, catch_unwind};

use fontcull_klippa::{DEFAULT_LAYOUT_FEATURES, Plan, SubsetFlags, subset_font};
use fontcull_skrifa::MetadataProvider;
use fontcull_write_fonts::FontBuilder;
use fontcull_write_fonts::read::collections::IntSet;
use fontcull_write_fonts::read::{FontRef, TableProvider};
use fontcull_write_fonts::tables::cmap::Cmap;
use fontcull_write_fonts::types::{GlyphId, NameId, Tag};

/// A font could not be subset; the message says which font data or step failed.
#[derive(Debug, thiserror::Error)]
#[error("font subsetting failed: {0}")]
pub struct SubsetError(pub String);

/// Tables kept in a TrueType subset. klippa subsets the glyph-indexed ones among them; the rest
/// do not depend on glyph ids. Anything else (vhea/vmtx/VORG, kern, EBDT, SVG, DSIG, ...) is
/// dropped because klippa would copy it unchanged and so make it inconsistent.
const KEEP_TABLES: &[&[u8; 4]] = &[
    b"cmap", b"head", b"hhea", b"hmtx", b"maxp", b"name", b"OS/2", b"post", b"glyf", b"loca",
    b"cvt ", b"fpgm", b"prep", b"gasp", b"GDEF", b"GSUB", b"GPOS", b"BASE", b"STAT", b"fvar",
    b"avar", b"gvar", b"HVAR", b"MVAR", b"cvar",
];

/// Layout features kept besides HarfBuzz's default set (which already has `vert`, `vrt2`,
/// `halt`, `vhal`, `chws`, `vchw`, `locl`, `ccmp`, `liga`, `kern`): proportional CJK punctuation.
const EXTRA_FEATURES: &[&[u8; 4]] = &[b"palt", b"vpal"];

/// Name records kept: family/style/full/PostScript names and version (0–6) and the licence
/// description and URL (13, 14), which the SIL OFL asks to travel with the font.
const NAME_IDS: &[u16] = &[0, 1, 2, 3, 4, 5, 6, 13, 14];

const GSUB: Tag = Tag::new(b"GSUB");
const GPOS: Tag = Tag::new(b"GPOS");
const GSUB_EXTENSION: u16 = 7;
const GPOS_EXTENSION: u16 = 9;

/// Which of `chars` the font in `font` (face 0) maps to a glyph, read from its `cmap` in place
/// (no copy of the font); none when the bytes hold no font.
pub fn mapped_chars(font: &[u8], chars: &BTreeSet<char>) -> BTreeSet<char> {
    let Ok(face) = FontRef::from_index(font, 0) else {
        return BTreeSet::new();
    };
    let charmap = face.charmap();
    chars
        .iter()
        .copied()
        .filter(|&c| charmap.map(c).is_some_and(|g| g != GlyphId::NOTDEF))
        .collect()
}

/// Subset of `font` (TTF/OTF bytes, face `index` of a collection) keeping the glyphs for `chars`
/// plus what shaping needs (GSUB/GPOS for vertical and half-width forms may be kept), with a
/// Unicode cmap so browsers and e-readers can use it standalone.
///
/// Characters the font does not have are ignored. The result always maps every requested
/// character that the font maps; this is checked before returning.
pub fn subset_for_epub(
    font: &[u8],
    index: u32,
    chars: &BTreeSet<char>,
) -> Result<Vec<u8>, SubsetError> {
    let face = FontRef::from_index(font, index)
        .map_err(|e| SubsetError(format!("cannot read font face {index}: {e}")))?;
    let wanted: Vec<(char, GlyphId)> = {
        let charmap = face.charmap();
        chars
            .iter()
            .filter_map(|&c| charmap.map(c).map(|g| (c, g)))
            .filter(|&(_, g)| g != GlyphId::NOTDEF)
            .collect()
    };
    let is_cff = face.data_for_tag(Tag::new(b"CFF ")).is_some()
        || face.data_for_tag(Tag::new(b"CFF2")).is_some();
    let out = if is_cff {
        subset_cff(font, index, &wanted)?
    } else if face.data_for_tag(Tag::new(b"glyf")).is_some() {
        subset_truetype(&face, chars)?
    } else {
        return Err(SubsetError(
            "font has neither TrueType (glyf) nor CFF outlines".into(),
        ));
    };
    check_cmap(&out, &wanted)?;
    Ok(out)
}

/// TrueType path: klippa, with the workarounds described in the module docs.
fn subset_truetype(face: &FontRef<'_>, chars: &BTreeSet<char>) -> Result<Vec<u8>, SubsetError> {
    let mut drop_tables = IntSet::<Tag>::empty();
    for record in face.table_directory().table_records() {
        let tag = record.tag();
        if !KEEP_TABLES.iter().any(|t| Tag::new(t) == tag) {
            drop_tables.insert(tag);
        }
    }

    let mut features = IntSet::<Tag>::empty();
    features.extend(DEFAULT_LAYOUT_FEATURES.iter().copied());
    features.extend(EXTRA_FEATURES.iter().map(|t| Tag::new(t)));
    for tag in features_using_extension_lookups(face) {
        features.remove(tag);
    }

    let mut unicodes = IntSet::<u32>::empty();
    unicodes.extend(chars.iter().map(|&c| u32::from(c)));
    let mut scripts = IntSet::<Tag>::empty();
    scripts.invert(); // all scripts
    let mut name_ids = IntSet::<NameId>::empty();
    name_ids.extend(NAME_IDS.iter().map(|&id| NameId::new(id)));
    let mut name_languages = IntSet::<u16>::empty();
    name_languages.invert(); // all languages (the Chinese family names too)

    // First try with the layout tables; if klippa still emitted an extension lookup (reached
    // through a contextual lookup of a kept feature), drop that table and try again.
    for _ in 0..3 {
        let out = run_klippa(
            face,
            &unicodes,
            &drop_tables,
            &scripts,
            &features,
            &name_ids,
            &name_languages,
        )?;
        let subset = FontRef::new(&out)
            .map_err(|e| SubsetError(format!("subset font does not parse: {e}")))?;
        let broken = broken_layout_tables(&subset);
        if broken.is_empty() {
            return Ok(out);
        }
        for tag in broken {
            drop_tables.insert(tag);
        }
    }
    Err(SubsetError(
        "layout tables still broken after dropping them".into(),
    ))
}

/// Calls klippa, turning a panic inside it (it is young code and fonts are user input) into an
/// error.
fn run_klippa(
    face: &FontRef<'_>,
    unicodes: &IntSet<u32>,
    drop_tables: &IntSet<Tag>,
    scripts: &IntSet<Tag>,
    features: &IntSet<Tag>,
    name_ids: &IntSet<NameId>,
    name_languages: &IntSet<u16>,
) -> Result<Vec<u8>, SubsetError> {
    let result = catch_unwind(AssertUnwindSafe(|| {
        let plan = Plan::new(
            &IntSet::empty(),
            unicodes,
            face,
            SubsetFlags::default(),
            drop_tables,
            scripts,
            features,
            name_ids,
            name_languages,
        );
        subset_font(face, &plan)
    }));
    match result {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(e)) => Err(SubsetError(e.to_string())),
        Err(_) => Err(SubsetError("the subsetter panicked on this font".into())),
    }
}

/// Feature tags (in GSUB or GPOS) that point directly at an Extension lookup, which klippa
/// cannot write yet.
fn features_using_extension_lookups(face: &FontRef<'_>) -> Vec<Tag> {
    let mut tags = Vec::new();
    if let Ok(gsub) = face.gsub()
        && let (Ok(features), Ok(lookups)) = (gsub.feature_list(), gsub.lookup_list())
    {
        let is_ext: Vec<bool> = lookups
            .lookups()
            .iter()
            .map(|l| l.map_or(true, |l| l.lookup_type() == GSUB_EXTENSION))
            .collect();
        collect_tags(&features, &is_ext, &mut tags);
    }
    if let Ok(gpos) = face.gpos()
        && let (Ok(features), Ok(lookups)) = (gpos.feature_list(), gpos.lookup_list())
    {
        let is_ext: Vec<bool> = lookups
            .lookups()
            .iter()
            .map(|l| l.map_or(true, |l| l.lookup_type() == GPOS_EXTENSION))
            .collect();
        collect_tags(&features, &is_ext, &mut tags);
    }
    tags.sort();
    tags.dedup();
    tags
}

fn collect_tags(
    features: &fontcull_write_fonts::read::tables::layout::FeatureList<'_>,
    is_ext: &[bool],
    tags: &mut Vec<Tag>,
) {
    for record in features.feature_records() {
        let uses_ext = match record.feature(features.offset_data()) {
            Ok(feature) => feature
                .lookup_list_indices()
                .iter()
                .any(|i| is_ext.get(usize::from(i.get())).copied().unwrap_or(true)),
            Err(_) => true,
        };
        if uses_ext {
            tags.push(record.feature_tag());
        }
    }
}

/// Layout tables of a klippa output that hold an Extension lookup (so are corrupt) or fail to
/// parse.
fn broken_layout_tables(subset: &FontRef<'_>) -> Vec<Tag> {
    let mut broken = Vec::new();
    if subset.data_for_tag(GSUB).is_some() {
        let ok = subset
            .gsub()
            .ok()
            .and_then(|t| t.lookup_list().ok())
            .is_some_and(|list| {
                list.lookups()
                    .iter()
                    .all(|l| l.is_ok_and(|l| l.lookup_type() != GSUB_EXTENSION))
            });
        if !ok {
            broken.push(GSUB);
        }
    }
    if subset.data_for_tag(GPOS).is_some() {
        let ok = subset
            .gpos()
            .ok()
            .and_then(|t| t.lookup_list().ok())
            .is_some_and(|list| {
                list.lookups()
                    .iter()
                    .all(|l| l.is_ok_and(|l| l.lookup_type() != GPOS_EXTENSION))
            });
        if !ok {
            broken.push(GPOS);
        }
    }
    broken
}

/// CFF/CFF2 path: allsorts subsets the outlines; we then write a cmap with both Unicode and
/// Windows subtables (allsorts writes only the Unicode platform one).
fn subset_cff(font: &[u8], index: u32, wanted: &[(char, GlyphId)]) -> Result<Vec<u8>, SubsetError> {
    use allsorts::binary::read::ReadScope;
    use allsorts::font_data::FontData;
    use allsorts::subset::{CmapTarget, SubsetProfile, subset};

    let mut glyphs: Vec<u16> = Vec::with_capacity(wanted.len() + 1);
    glyphs.push(0);
    for &(c, g) in wanted {
        let g = u16::try_from(g.to_u32())
            .map_err(|_| SubsetError(format!("glyph id of {c:?} out of range")))?;
        glyphs.push(g);
    }
    glyphs.sort_unstable();
    glyphs.dedup();

    let data = ReadScope::new(font)
        .read::<FontData<'_>>()
        .map_err(|e| SubsetError(format!("cannot read font: {e}")))?;
    let index = usize::try_from(index).map_err(|_| SubsetError("bad face index".into()))?;
    let provider = data
        .table_provider(index)
        .map_err(|e| SubsetError(format!("cannot read font face {index}: {e}")))?;
    let raw = catch_unwind(AssertUnwindSafe(|| {
        subset(
            &provider,
            &glyphs,
            &SubsetProfile::Minimal,
            CmapTarget::Unicode,
        )
    }))
    .map_err(|_| SubsetError("the CFF subsetter panicked on this font".into()))?
    .map_err(|e| SubsetError(format!("CFF subsetting: {e:?}")))?;

    let sub = FontRef::new(&raw).map_err(|e| SubsetError(format!("CFF subset: {e}")))?;
    let mappings: Vec<(char, GlyphId)> = {
        let charmap = sub.charmap();
        wanted
            .iter()
            .filter_map(|&(c, _)| charmap.map(c).map(|g| (c, g)))
            .collect()
    };
    let cmap =
        Cmap::from_mappings(mappings).map_err(|e| SubsetError(format!("building cmap: {e}")))?;
    let mut builder = FontBuilder::new();
    builder
        .add_table(&cmap)
        .map_err(|e| SubsetError(format!("writing cmap: {e}")))?;
    builder.copy_missing_tables(sub);
    let mut out = builder.build();
    set_cff_sfnt_version(&mut out)?;
    Ok(out)
}

/// write-fonts' builder always writes the TrueType sfnt version (0x00010000); a CFF font must
/// say `OTTO`. Changing the directory changes the font's checksum, so `head.checkSumAdjustment`
/// is corrected by the same difference.
fn set_cff_sfnt_version(out: &mut [u8]) -> Result<(), SubsetError> {
    let head_offset = FontRef::new(out)
        .ok()
        .and_then(|f| {
            f.table_directory()
                .table_records()
                .iter()
                .find(|r| r.tag() == Tag::new(b"head"))
                .map(|r| r.offset() as usize)
        })
        .ok_or_else(|| SubsetError("CFF subset has no head table".into()))?;
    let adj_at = head_offset + 8;
    let (Some(version), Some(adj)) = (out.get(0..4), out.get(adj_at..adj_at + 4)) else {
        return Err(SubsetError("CFF subset is truncated".into()));
    };
    let old_version = u32::from_be_bytes([version[0], version[1], version[2], version[3]]);
    let old_adj = u32::from_be_bytes([adj[0], adj[1], adj[2], adj[3]]);
    let new_version = u32::from_be_bytes(*b"OTTO");
    let new_adj = old_adj.wrapping_add(old_version).wrapping_sub(new_version);
    out[0..4].copy_from_slice(&new_version.to_be_bytes());
    out[adj_at..adj_at + 4].copy_from_slice(&new_adj.to_be_bytes());
    Ok(())
}

/// Every character the source font maps must be mapped, to a real glyph, by the subset.
fn check_cmap(out: &[u8], wanted: &[(char, GlyphId)]) -> Result<(), SubsetError> {
    let sub = FontRef::new(out).map_err(|e| SubsetError(format!("subset does not parse: {e}")))?;
    let charmap = sub.charmap();
    let missing: String = wanted
        .iter()
        .filter(|&&(c, _)| charmap.map(c).is_none_or(|g| g == GlyphId::NOTDEF))
        .map(|&(c, _)| c)
        .take(20)
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(SubsetError(format!("subset lost characters: {missing}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use skrifa::MetadataProvider as _;

    const SERIF: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fonts/NotoSerifSC-Regular.ttf");
    const SANS_BOLD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fonts/NotoSansSC-Bold.ttf");
    const KAI: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fonts/LXGWWenKai-Regular.ttf");

    const TEXT: &str = "砚边集：一个人的写作与阅读笔记。“你好，”他说——（中文）《书名》「引文」\
        『内引』……·～、；！？ Hexo 2025 inkstone: EPUB & PDF, fi ffi → café";

    fn read(path: &str) -> Vec<u8> {
        std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// The subset parses with skrifa, maps every requested char the source maps, is small.
    fn check(path: &str, text: &str) -> Vec<u8> {
        let src = read(path);
        let chars: BTreeSet<char> = text.chars().collect();
        let out = subset_for_epub(&src, 0, &chars).expect("subset");
        let src_font = skrifa::FontRef::new(&src).expect("source parses");
        let sub_font = skrifa::FontRef::new(&out).expect("subset parses with skrifa");
        let (src_map, sub_map) = (src_font.charmap(), sub_font.charmap());
        for &c in &chars {
            if src_map.map(c).is_some_and(|g| g.to_u32() != 0) {
                assert!(
                    sub_map.map(c).is_some_and(|g| g.to_u32() != 0),
                    "{c:?} lost in subset of {path}"
                );
            }
        }
        assert!(
            out.len() * 20 < src.len(),
            "subset of {path} is {} bytes, not < 5% of {}",
            out.len(),
            src.len()
        );
        out
    }

    #[test]
    fn serif_subset_is_valid_and_small() {
        check(SERIF, TEXT);
    }

    #[test]
    fn sans_bold_and_kai_subsets_are_valid() {
        check(SANS_BOLD, TEXT);
        check(KAI, TEXT);
    }

    #[test]
    fn subset_keeps_half_width_and_vertical_features() {
        let out = check(SERIF, TEXT);
        let font = FontRef::new(&out).expect("parses");
        let tags = |list: Option<fontcull_write_fonts::read::tables::layout::FeatureList<'_>>| {
            list.map(|l| {
                l.feature_records()
                    .iter()
                    .map(|r| r.feature_tag())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
        };
        let gsub = tags(font.gsub().ok().and_then(|t| t.feature_list().ok()));
        let gpos = tags(font.gpos().ok().and_then(|t| t.feature_list().ok()));
        assert!(gsub.contains(&Tag::new(b"vert")), "GSUB features {gsub:?}");
        for f in [b"halt", b"chws", b"palt"] {
            assert!(gpos.contains(&Tag::new(f)), "GPOS features {gpos:?}");
        }
        assert!(broken_layout_tables(&font).is_empty());
        assert!(font.data_for_tag(Tag::new(b"vmtx")).is_none());
    }

    #[test]
    fn subset_is_deterministic() {
        let src = read(SERIF);
        let chars: BTreeSet<char> = TEXT.chars().collect();
        let a = subset_for_epub(&src, 0, &chars).expect("subset");
        let b = subset_for_epub(&src, 0, &chars).expect("subset");
        assert_eq!(a, b);
    }

    #[test]
    fn characters_missing_from_the_font_are_ignored() {
        let src = read(SERIF);
        let chars: BTreeSet<char> = "书😀\u{10FFFD}".chars().collect();
        let out = subset_for_epub(&src, 0, &chars).expect("subset");
        let font = skrifa::FontRef::new(&out).expect("parses");
        assert!(font.charmap().map('书').is_some());
        assert!(font.charmap().map('😀').is_none());
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        let chars: BTreeSet<char> = "书".chars().collect();
        assert!(subset_for_epub(b"not a font", 0, &chars).is_err());
        assert!(subset_for_epub(&read(SERIF), 3, &chars).is_err());
    }
}
