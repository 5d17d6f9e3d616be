//! Characters no font has, reported where the blog wrote them: a post's own characters at the
//! line of that post where each first appears; those of the book's own lines (the book's
//! title, part and chapter names, contents, running heads) at the first post, or else the
//! configuration file, that holds them.

use std::collections::BTreeSet;

use crate::collect::Book;
use crate::config::line_of;
use crate::diag::{Diagnostics, no_font_has};

/// Reports every missing character once per post, and the book's own missing characters once.
pub fn report(
    book: &Book,
    in_posts: &[BTreeSet<char>],
    in_book: &BTreeSet<char>,
    diags: &Diagnostics,
) {
    for (post, chars) in book.posts.iter().zip(in_posts) {
        for &c in chars {
            let line = post.text.find(c).map(|at| line_of(&post.text, at));
            diags.warn(&post.path, line, no_font_has(c));
        }
    }
    book.report_missing_chars(in_book.iter().copied(), diags);
}
