//! A post's body as one typed tree: Markdown (pulldown-cmark) and Hexo tag plugins in, blocks
//! and inlines out, with links and images already resolved against the book.
//!
//! Every back end (EPUB now, the page layout later) reads this tree and nothing else, so a
//! feature added here reaches every format. Knows Hexo's syntax; knows nothing of output.
//!
//! The modules, each importing only those above it in this list (so no module imports one
//! that imports it back):
//!
//! - `tree`: the blocks and inlines, their children and plain text, the nesting limits.
//! - `tags`: finding tag plugins (`{% … %}`) in a body and leaving placeholders for them.
//! - `links`: the post's context: resolving links, images and assets; reporting at a line.
//! - `visit`: walking every image of a document.
//! - `paragraph`: finishing a run of inlines: soft breaks, text merging, lone images as figures.
//! - `footnotes`: footnote references numbered, definitions matched to them.
//! - `html_tags`: scanning raw HTML as text: single tags, comments, containers opening and
//!   closing across HTML blocks, what an inline tag stands for.
//! - `html`: a self-contained HTML fragment through an HTML5 parser → blocks and inlines.
//! - `inline_stack`, `block_stack`: the Markdown reader's open inline and block containers.
//! - `plugins`: tag plugins → nodes; reads a tag's body through the `BodyReader` trait it
//!   declares, so it never imports the Markdown reader.
//! - `markdown`: Markdown events → the tree; implements `BodyReader`.
//!
//! This file only re-exports the tree and runs `tags` then `markdown` over each post.

mod block_stack;
mod cjk_emphasis;
mod footnotes;
mod html;
mod html_tags;
mod inline_stack;
mod links;
mod markdown;
mod math_spans;
mod paragraph;
mod plugins;
mod tags;
mod tree;
mod visit;

use crate::collect::{Book, Post};
use crate::diag::Diagnostics;

pub use links::LinkIndex;
pub use tree::{
    Alignment, Block, Document, Footnote, Image, ImageSource, Inline, InlineStyle, LinkTarget,
    ListItem, Math, QuoteStyle, plain_text_of_block, visit_inlines,
};

impl LinkTarget {
    /// Where the address of an embedded page or video (`<iframe src>`, `{% iframe %}`) links
    /// in the book: a web address to the web (`//host/…` as `https://host/…`, as a Markdown
    /// link's), any other (`pdf/notes.pdf`, `/files/a.html`) nowhere, as a Markdown link to a
    /// file of the blog: the book does not hold that file, and its address is printed as text.
    pub fn embedded(address: &str) -> LinkTarget {
        let lower = address.trim().to_ascii_lowercase();
        if lower.starts_with("//") {
            LinkTarget::External(format!("https:{}", address.trim()))
        } else if ["http://", "https://", "ftp://", "mailto:"]
            .iter()
            .any(|scheme| lower.starts_with(scheme))
        {
            LinkTarget::External(address.to_string())
        } else {
            LinkTarget::Unresolved(address.to_string())
        }
    }
}

/// Parses every post of `book` into a document (in parallel; order kept).
pub fn parse_book(book: &Book, diags: &Diagnostics) -> Vec<Document> {
    use rayon::prelude::*;
    let index = LinkIndex::new(book);
    book.posts
        .par_iter()
        .map(|post| parse_post(post, &index, diags))
        .collect()
}

/// Parses one post's body.
pub fn parse_post(post: &Post, index: &LinkIndex, diags: &Diagnostics) -> Document {
    let context = links::Context { post, index, diags };
    let source = tags::expand(post.body_text(), post.body_line, post.math);
    markdown::parse(&source, &context)
}
