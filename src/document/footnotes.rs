//! A post's footnotes as the Markdown reader meets them: references numbered in the order they
//! are first made, definitions collected wherever they stand, and the two matched at the end.

use super::links::Context;
use super::tree::{Block, Footnote, Inline};

#[derive(Default)]
pub struct Footnotes {
    /// Labels in the order of their first reference.
    order: Vec<String>,
    definitions: Vec<(String, Vec<Block>)>,
}

impl Footnotes {
    /// The number (from 0) of the note `label`, given at its first reference.
    pub fn reference(&mut self, label: &str) -> usize {
        match self.order.iter().position(|l| l == label) {
            Some(i) => i,
            None => {
                self.order.push(label.to_string());
                self.order.len() - 1
            }
        }
    }

    pub fn define(&mut self, label: String, blocks: Vec<Block>) {
        self.definitions.push((label, blocks));
    }

    /// Referenced notes in reference order, then notes never referred to (nothing is lost).
    pub fn finish(mut self, ctx: &Context) -> Vec<Footnote> {
        let mut out = Vec::new();
        for label in &self.order {
            let blocks = match self.definitions.iter().position(|(l, _)| l == label) {
                Some(i) => self.definitions.remove(i).1,
                None => {
                    ctx.warn(
                        ctx.post.body_line,
                        format!("footnote [^{label}] is referred to but never defined"),
                    );
                    vec![Block::Paragraph(vec![Inline::Text(format!("[^{label}]"))])]
                }
            };
            out.push(Footnote {
                label: label.clone(),
                blocks,
            });
        }
        for (label, blocks) in self.definitions {
            out.push(Footnote { label, blocks });
        }
        out
    }
}
