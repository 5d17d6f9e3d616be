//! Characters the body font lacks (arrows, dingbats, math operators, Han of the supplementary
//! planes) come from the shipped fallback faces: each is subset to the characters it sets and
//! joins every font stack of the stylesheet after the body family, so a reading system that
//! finds no glyph in the book's own fonts finds it there, not in whatever the device has.

use super::{EpubError, Result};
use crate::fonts::subset::mapped_chars;
use crate::fonts::{FontFile, Role};
use std::collections::BTreeSet;
use std::fmt::Write;

/// The family every font stack of the stylesheet ends its named fonts with.
const BODY_FAMILY: &str = "\"Inkstone Serif\"";

/// A subset fallback font: its file name under `fonts/` and bytes.
pub struct FallbackFont {
    pub file: String,
    pub bytes: Vec<u8>,
}

/// The subset fallback fonts for the characters of `wanted` that the body font lacks.
pub fn fonts(fonts: &[FontFile], wanted: &BTreeSet<char>) -> Result<Vec<FallbackFont>> {
    let Some(body) = fonts.iter().find(|f| f.role == Role::Body) else {
        return Ok(Vec::new());
    };
    let has = mapped_chars(&body.bytes, wanted);
    let lacking: BTreeSet<char> = wanted
        .iter()
        .copied()
        .filter(|&c| !c.is_whitespace() && !c.is_control() && !has.contains(&c))
        .collect();
    if lacking.is_empty() {
        return Ok(Vec::new());
    }
    crate::fonts::fallbacks_for(&lacking)
        .into_iter()
        .enumerate()
        .map(|(i, fallback)| {
            let bytes = crate::fonts::subset::subset_for_epub(&fallback.bytes, 0, &fallback.chars)
                .map_err(|source| EpubError::Subset {
                    path: fallback.path.clone(),
                    source,
                })?;
            Ok(FallbackFont {
                file: format!("fallback-{}.ttf", i + 1),
                bytes,
            })
        })
        .collect()
}

fn family(i: usize) -> String {
    format!("\"Inkstone Fallback {}\"", i + 1)
}

/// `stylesheet` with an `@font-face` for each of `count` fallback fonts and their families
/// after the body family in every font stack.
pub fn stylesheet(stylesheet: &str, count: usize) -> String {
    if count == 0 {
        return stylesheet.to_string();
    }
    let families: Vec<String> = (0..count).map(family).collect();
    // In a stack the body family is followed by a comma; in its own @font-face by `;`.
    let mut css = stylesheet.replace(
        &format!("{BODY_FAMILY}, "),
        &format!("{BODY_FAMILY}, {}, ", families.join(", ")),
    );
    let mut faces = String::new();
    for (i, name) in families.iter().enumerate() {
        let _ = writeln!(
            faces,
            "@font-face {{ font-family: {name}; src: url(\"../fonts/fallback-{}.ttf\"); }}",
            i + 1
        );
    }
    css.insert_str(0, &faces);
    css
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stack_gets_the_fallbacks_after_the_body_family() {
        let css = "@font-face { font-family: \"Inkstone Serif\"; src: url(\"../fonts/body.ttf\"); }\n\
                   body { font-family: \"Inkstone Serif\", serif; }\n\
                   code { font-family: \"Inkstone Mono\", \"Inkstone Serif\", monospace; }\n";
        let out = stylesheet(css, 2);
        assert!(out.starts_with(
            "@font-face { font-family: \"Inkstone Fallback 1\"; src: url(\"../fonts/fallback-1.ttf\"); }\n\
             @font-face { font-family: \"Inkstone Fallback 2\"; src: url(\"../fonts/fallback-2.ttf\"); }\n"
        ));
        assert!(out.contains("body { font-family: \"Inkstone Serif\", \"Inkstone Fallback 1\", \"Inkstone Fallback 2\", serif; }"));
        assert!(out.contains("\"Inkstone Mono\", \"Inkstone Serif\", \"Inkstone Fallback 1\", \"Inkstone Fallback 2\", monospace;"));
        assert!(out.contains("font-family: \"Inkstone Serif\"; src: url(\"../fonts/body.ttf\")"));
        assert_eq!(stylesheet(css, 0), css);
    }

    #[test]
    fn the_stylesheet_ends_every_stack_with_the_body_family() {
        for line in super::super::STYLESHEET.lines() {
            if let Some(stack) = line.split("font-family:").nth(1)
                && !line.starts_with("@font-face")
            {
                assert!(stack.contains(&format!("{BODY_FAMILY}, ")), "{line}");
            }
        }
    }

    #[test]
    fn symbols_and_rare_han_the_body_font_lacks_get_fallback_fonts() {
        let files = crate::fonts::load_all(&crate::config::Fonts::default())
            .unwrap_or_else(|e| panic!("{e}"));
        let wanted: BTreeSet<char> = "字➜❝∮⨁𠀀 ".chars().collect();
        let body = mapped_chars(&files[0].bytes, &wanted);
        let lacking: BTreeSet<char> = wanted
            .iter()
            .copied()
            .filter(|&c| c != ' ' && !body.contains(&c))
            .collect();
        assert!(
            lacking.contains(&'➜') && lacking.contains(&'𠀀'),
            "{lacking:?}"
        );
        let found = fonts(&files, &wanted).unwrap_or_else(|e| panic!("{e}"));
        assert!(found.len() >= 2, "symbols and rare Han: {}", found.len());
        let mut covered = BTreeSet::new();
        for font in &found {
            covered.extend(mapped_chars(&font.bytes, &wanted));
        }
        assert_eq!(covered, lacking, "every character the body font lacks");
    }
}
