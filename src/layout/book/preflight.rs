//! Printer checks on a print profile: each picture of the body at the resolution it is printed
//! at, and in its colours. A printer wants 300 dpi and CMYK; an RGB picture is converted by the
//! printer, and its colours may shift. With `--preflight` every picture that falls short is a
//! warning at the post that shows it; without, the counts go to the summary.

use std::collections::BTreeSet;

use super::body::PageBuild;
use crate::collect::Book;
use crate::config::PageProfile;
use crate::diag::Diagnostics;
use crate::images::format;
use crate::layout::page::Item;

/// The resolution a printer asks for.
pub const PRINT_DPI: f32 = 300.0;

/// What the printer checks found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PrintCheck {
    /// Pictures printed under 300 dpi.
    pub low_resolution: usize,
    /// Pictures in RGB.
    pub rgb: usize,
}

/// Checks the pictures of the body `pages`; with `report`, each one that falls short is a
/// warning naming the picture and its post.
pub fn check(
    book: &Book,
    pages: &[PageBuild],
    profile: &PageProfile,
    report: bool,
    diags: &Diagnostics,
) -> PrintCheck {
    let mut found = PrintCheck::default();
    if !profile.facing {
        return found;
    }
    let mut seen = BTreeSet::new();
    let pictures = pages.iter().flat_map(|page| {
        page.blocks.iter().flat_map(move |placed| {
            placed
                .block
                .items
                .iter()
                .filter_map(move |item| match item {
                    Item::Image(image) => Some((page.post, image)),
                    _ => None,
                })
        })
    });
    for (post, image) in pictures {
        if !seen.insert((post, image.name.clone())) {
            continue;
        }
        let Some((pixels, _)) = format::dimensions(&image.data) else {
            continue;
        };
        let rgb = format::is_rgb(&image.data);
        if rgb.is_none() || image.width <= 0.0 {
            // Vector drawings have no resolution; other formats are not checked.
            continue;
        }
        let dpi = pixels as f32 / (image.width / 72.0);
        let mut problems = Vec::new();
        if dpi < PRINT_DPI - 0.5 {
            found.low_resolution += 1;
            problems.push(format!(
                "printed at {dpi:.0} dpi (a printer wants {PRINT_DPI:.0}), so it may print soft"
            ));
        }
        if rgb == Some(true) {
            found.rgb += 1;
            problems.push("in RGB, which the printer converts to CMYK (colours may shift)".into());
        }
        if report
            && !problems.is_empty()
            && let Some(post) = post
        {
            let file = std::path::Path::new(&image.name);
            let name = file.file_name().map(|n| n.to_string_lossy().into_owned());
            let message = format!(
                "print: image {}: {}",
                name.as_deref().unwrap_or(&image.name),
                problems.join("; ")
            );
            crate::images::warn_at_use(diags, book, post, name.as_deref().unwrap_or(""), message);
        }
    }
    found
}
