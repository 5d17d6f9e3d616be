//! Characters no font has, reported where the blog wrote them: a post's own characters at the
//! line of that post where each first appears; those of the book's own lines (the book's
//! title, part and chapter names, contents, running heads) at the first post, or else the
//! configuration file, that holds them.

use std::collections::BTreeSet;

use crate::collect::Book;
use crate::config::line_of;
use crate::diag::{Diagnostic, Diagnostics};

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
            diags.warn(&post.path, line, message(c));
        }
    }
    for &c in in_book {
        match book.origin_of(c) {
            Some((file, line)) => diags.warn(&file, Some(line), message(c)),
            None => diags.push(Diagnostic::warning(None, None, message(c))),
        }
    }
}

fn message(c: char) -> String {
    format!(
        "no font has the character {c} (U+{:04X}); it prints as a blank box",
        c as u32
    )
}
