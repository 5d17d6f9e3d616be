//! The characters each embedded font must hold: the text of the book's own pages as they were
//! written (title, copyright, contents, division pages, post headers), and the text of the
//! posts, each character given to the font the stylesheet sets it in and to the body font,
//! which every font stack falls back to.

use std::collections::BTreeSet;

use crate::document::{Block, Document, ImageSource, Inline, InlineStyle};
use crate::fonts::Role;

/// The characters each font must hold.
#[derive(Default)]
pub struct CharsByRole {
    body: CharSet,
    heading: CharSet,
    emphasis: CharSet,
    mono: CharSet,
}

/// A set of characters in order, quick to add a character it already holds to (a book's text
/// is millions of characters of a few thousand kinds).
#[derive(Default)]
struct CharSet {
    chars: BTreeSet<char>,
    /// One bit for each character of the Basic Multilingual Plane the set holds.
    basic: Vec<u64>,
}

impl CharSet {
    fn extend(&mut self, chars: impl Iterator<Item = char>) {
        if self.basic.is_empty() {
            self.basic = vec![0; 0x10000 / 64];
        }
        for c in chars {
            let code = c as usize;
            if code < 0x10000 {
                let (word, bit) = (code / 64, 1u64 << (code % 64));
                if self.basic[word] & bit != 0 {
                    continue;
                }
                self.basic[word] |= bit;
            }
            self.chars.insert(c);
        }
    }
}

impl CharsByRole {
    pub fn for_role(&self, role: Role) -> &BTreeSet<char> {
        match role {
            Role::Body => &self.body.chars,
            Role::Heading => &self.heading.chars,
            Role::Emphasis => &self.emphasis.chars,
            Role::Mono => &self.mono.chars,
        }
    }

    fn set(&mut self, role: Role) -> &mut CharSet {
        match role {
            Role::Body => &mut self.body,
            Role::Heading => &mut self.heading,
            Role::Emphasis => &mut self.emphasis,
            Role::Mono => &mut self.mono,
        }
    }

    /// `text` set in `role`'s font (and so also held by the body font).
    pub fn text(&mut self, text: &str, role: Role) {
        if role == Role::Emphasis {
            // The Kai font's Latin is handwriting ("90" reads like "q0"): left out of its
            // subset, letters, digits and signs fall back to the serif next in the font stack.
            let kai = text.chars().filter(|c| !c.is_ascii_graphic());
            self.emphasis.extend(kai);
        } else {
            self.set(role).extend(text.chars());
        }
        self.body.extend(text.chars());
    }

    /// The text of one of the book's own XHTML pages, as it was written. Their headings and
    /// labels are in the heading font; the body font holds all of it.
    pub fn own_page(&mut self, xhtml: &str) {
        for text in page_text(xhtml) {
            self.text(&text, Role::Heading);
        }
    }

    /// Every post's text.
    pub fn documents(&mut self, docs: &[Document]) {
        for doc in docs {
            for block in doc.all_blocks() {
                self.block(block, Role::Body);
            }
        }
    }

    /// Characters of `block`, added to the font its text is set in by the stylesheet.
    fn block(&mut self, block: &Block, role: Role) {
        match block {
            Block::Paragraph(c) => self.inlines(c, role),
            Block::Heading { content, .. } => self.inlines(content, Role::Heading),
            Block::Quote {
                blocks,
                attribution,
                ..
            } => {
                blocks.iter().for_each(|b| self.block(b, Role::Emphasis));
                self.inlines(attribution, Role::Emphasis);
            }
            Block::List { items, .. } => {
                for item in items {
                    if let Some(mark) = item.task_mark() {
                        self.text(mark, role);
                    }
                    item.blocks.iter().for_each(|b| self.block(b, role));
                }
            }
            Block::Code { caption, text, .. } => {
                self.text(text, Role::Mono);
                // Line numbers, when the book asks for them.
                self.text("0123456789", Role::Mono);
                self.inlines(caption, Role::Heading);
            }
            Block::Table { head, rows, .. } => {
                head.iter().for_each(|c| self.inlines(c, Role::Heading));
                rows.iter().flatten().for_each(|c| self.inlines(c, role));
            }
            Block::Figure { image, caption } => {
                self.image(&image.alt, &image.source);
                self.inlines(caption, role);
            }
            Block::Note { title, blocks, .. }
            | Block::Fold {
                summary: title,
                blocks,
            } => {
                self.inlines(title, Role::Heading);
                blocks.iter().for_each(|b| self.block(b, role));
            }
            Block::Tabs(items) | Block::Definitions(items) => {
                for (title, blocks) in items {
                    self.inlines(title, Role::Heading);
                    blocks.iter().for_each(|b| self.block(b, role));
                }
            }
            Block::Division(blocks) => blocks.iter().for_each(|b| self.block(b, role)),
            Block::Math(math) => self.formula(math),
            Block::Embed { label, url } => {
                self.text(label, role);
                self.body.extend(url.chars());
            }
            Block::Rule => {}
        }
    }

    fn inlines(&mut self, content: &[Inline], role: Role) {
        for inline in content {
            match inline {
                Inline::Text(t) => self.text(t, role),
                Inline::Code(t) => self.text(t, Role::Mono),
                Inline::Emphasis(c) => self.inlines(c, Role::Emphasis),
                Inline::Strong(c) => self.inlines(c, Role::Heading),
                Inline::Styled {
                    style: InlineStyle::Label(_),
                    content,
                } => self.inlines(content, Role::Heading),
                Inline::Styled { content, .. }
                | Inline::Strikethrough(content)
                | Inline::Link { content, .. } => self.inlines(content, role),
                Inline::Image(image) => self.image(&image.alt, &image.source),
                // The note's number, and the arrow of its links back to further references.
                Inline::FootnoteRef(_) => self.text("0123456789↑", Role::Body),
                Inline::Math(math) => self.formula(math),
                Inline::LineBreak | Inline::SoftBreak => {}
            }
        }
    }

    /// A formula: its TeX in the code face when it cannot be typeset; else the words of its
    /// `\text{…}` (set in the body face), and the digits and brackets of its number.
    fn formula(&mut self, math: &crate::document::Math) {
        if math.error.is_some() {
            self.text(&math.tex, Role::Mono);
        } else {
            self.text(&math.tex, Role::Body);
            self.text("()", Role::Body);
            if let Some(number) = &math.number {
                self.text(number, Role::Body);
            }
        }
    }

    /// An image's alt text, and the words printed around it when it cannot be shown.
    fn image(&mut self, alt: &str, source: &ImageSource) {
        self.body.extend(alt.chars());
        let stand_in = super::xhtml::image_stand_in(alt, source);
        self.body.extend(stand_in.chars());
    }
}

/// The text nodes and attribute values people read (`alt`, `title`) of an XHTML page we wrote.
fn page_text(xhtml: &str) -> Vec<String> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let Ok(doc) = roxmltree::Document::parse_with_options(xhtml, options) else {
        // Our own pages are well-formed; should one not be, its text is still all there.
        return vec![xhtml.to_string()];
    };
    let mut out = Vec::new();
    for node in doc.descendants() {
        if let Some(text) = node.text().filter(|_| node.is_text()) {
            out.push(text.to_string());
        }
        for name in ["alt", "title"] {
            out.extend(node.attribute(name).map(str::to_string));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_and_digits_in_emphasis_go_to_the_serif_not_the_kai_subset() {
        let mut chars = CharsByRole::default();
        chars.text("第90页 ok{}", Role::Emphasis);
        let kai: String = chars.for_role(Role::Emphasis).iter().collect();
        assert_eq!(kai, " 第页");
        assert!(
            chars
                .for_role(Role::Body)
                .is_superset(&"第90页ok{}".chars().collect())
        );
    }
}
