//! SVG figures, drawn into the PDF as vectors by krilla's SVG converter. The SVG is parsed
//! with the book's own fonts (the body font as serif and the default, the heading font as
//! sans, the code font as monospace), never the system's, so the same book comes out on every
//! machine; it may load nothing from outside itself.

use std::sync::Arc;

use usvg::fontdb::{Database, Source};

use crate::layout::page::FontData;

/// The fonts of `Pages::fonts`, in `Role::ALL` order: body, heading, emphasis, code.
const BODY: usize = 0;
const HEADING: usize = 1;
const MONO: usize = 3;

/// What SVG parsing needs, made once per book when its first SVG is drawn.
pub struct SvgOptions {
    options: usvg::Options<'static>,
}

impl SvgOptions {
    pub fn new(fonts: &[Arc<FontData>]) -> SvgOptions {
        let mut db = Database::new();
        let mut families = Vec::new();
        for font in fonts {
            let ids = db.load_font_source(Source::Binary(font.bytes.clone()));
            let family = ids
                .first()
                .and_then(|id| db.face(*id))
                .and_then(|face| face.families.first().map(|(name, _)| name.clone()));
            families.push(family);
        }
        let family = |i: usize| families.get(i).cloned().flatten();
        if let Some(body) = family(BODY) {
            db.set_serif_family(body);
        }
        if let Some(heading) = family(HEADING) {
            db.set_sans_serif_family(heading);
        }
        if let Some(mono) = family(MONO) {
            db.set_monospace_family(mono);
        }
        // Embedded (data:) images only: a path or an address would be read from outside the
        // blog or fetched.
        let options = usvg::Options {
            font_family: family(BODY).unwrap_or_default(),
            fontdb: Arc::new(db),
            ..crate::images::svg::drawing_options()
        };
        SvgOptions { options }
    }

    /// Parses an SVG file.
    pub fn parse(&self, data: &[u8]) -> Result<usvg::Tree, String> {
        usvg::Tree::from_data(data, &self.options)
            .map_err(|e| format!("the SVG cannot be read ({e})"))
    }
}
