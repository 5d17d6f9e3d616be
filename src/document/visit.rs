//! Walking every image of a document, in reading order: the one traversal the image stage
//! (which may replace sources) and the back ends (which only read them) share.

use super::tree::{Block, Document, Image, Inline};

/// Writes the block and inline walkers once for shared and once for exclusive references.
macro_rules! image_walkers {
    ($document:ident, $blocks:ident, $inlines:ident, $children:ident $(, $m:ident)?) => {
        impl Document {
            /// Calls `visit` on every image of the body and the footnotes, in reading order.
            pub fn $document(& $($m)? self, visit: &mut impl FnMut(& $($m)? Image)) {
                $blocks(& $($m)? self.blocks, visit);
                for note in & $($m)? self.footnotes {
                    $blocks(& $($m)? note.blocks, visit);
                }
            }
        }

        fn $blocks(blocks: & $($m)? [Block], visit: &mut impl FnMut(& $($m)? Image)) {
            for block in blocks {
                match block {
                    Block::Paragraph(c) | Block::Heading { content: c, .. } => $inlines(c, visit),
                    Block::Figure { image, caption } => {
                        visit(image);
                        $inlines(caption, visit);
                    }
                    Block::Quote {
                        blocks,
                        attribution,
                        ..
                    } => {
                        $blocks(blocks, visit);
                        $inlines(attribution, visit);
                    }
                    Block::List { items, .. } => {
                        for item in items {
                            $blocks(& $($m)? item.blocks, visit);
                        }
                    }
                    Block::Table { head, rows, .. } => {
                        for cell in head {
                            $inlines(cell, visit);
                        }
                        for row in rows {
                            for cell in row {
                                $inlines(cell, visit);
                            }
                        }
                    }
                    Block::Note { title, blocks, .. }
                    | Block::Fold {
                        summary: title,
                        blocks,
                    } => {
                        $inlines(title, visit);
                        $blocks(blocks, visit);
                    }
                    Block::Tabs(sections) | Block::Definitions(sections) => {
                        for (title, blocks) in sections {
                            $inlines(title, visit);
                            $blocks(blocks, visit);
                        }
                    }
                    Block::Division(blocks) => $blocks(blocks, visit),
                    Block::Code { .. } | Block::Embed { .. } | Block::Math(_) | Block::Rule => {}
                }
            }
        }

        fn $inlines(content: & $($m)? [Inline], visit: &mut impl FnMut(& $($m)? Image)) {
            for inline in content {
                if let Inline::Image(image) = inline {
                    visit(image);
                } else if let Some(children) = inline.$children() {
                    $inlines(children, visit);
                }
            }
        }
    };
}

image_walkers!(for_each_image, blocks, inlines, children);
image_walkers!(
    for_each_image_mut,
    blocks_mut,
    inlines_mut,
    children_mut,
    mut
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::tree::{Footnote, ImageSource, ListItem};

    fn image(name: &str) -> Image {
        Image {
            source: ImageSource::Missing(name.into()),
            alt: name.into(),
            title: None,
        }
    }

    #[test]
    fn every_image_is_visited_in_reading_order() {
        let mut doc = Document {
            blocks: vec![
                Block::Paragraph(vec![Inline::Strong(vec![Inline::Image(image("a"))])]),
                Block::List {
                    start: None,
                    items: vec![ListItem {
                        task: None,
                        blocks: vec![Block::figure(image("b"))],
                    }],
                },
                Block::Tabs(vec![(
                    vec![],
                    vec![Block::Paragraph(vec![Inline::Image(image("c"))])],
                )]),
            ],
            footnotes: vec![Footnote {
                label: "1".into(),
                blocks: vec![Block::Paragraph(vec![Inline::Image(image("d"))])],
            }],
        };
        let mut seen = Vec::new();
        doc.for_each_image(&mut |i| seen.push(i.alt.clone()));
        assert_eq!(seen, ["a", "b", "c", "d"]);
        doc.for_each_image_mut(&mut |i| i.alt.push('!'));
        let mut changed = Vec::new();
        doc.for_each_image(&mut |i| changed.push(i.alt.clone()));
        assert_eq!(changed, ["a!", "b!", "c!", "d!"]);
    }
}
