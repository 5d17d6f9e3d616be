//! The whole book on pages, in six steps: the posts are set in columns (in parallel), the
//! columns are paginated in the order of the book plan with part pages and chapter openings
//! (`body`), the index and chronology are set after it (`back`), the front matter is set
//! with the contents' page numbers (`front`), and all of them become real pages with margins,
//! running heads, folios and links (`compose`). Characters no font has are reported where the blog wrote them.

mod back;
mod body;
mod compose;
pub mod cover;
mod front;
mod missing;
mod preflight;

use std::cell::RefCell;
use std::collections::BTreeSet;

use rayon::prelude::*;

pub use preflight::{PRINT_DPI, PrintCheck};

use super::flow::{Flow, LineCheck, VBlock};
use super::linebreak::Options;
use super::page::Pages;
use super::paragraph::{self, LineBox};
use super::text::{self, Style, StyledText};
use crate::collect::{Book, Post};
use crate::config::PageProfile;
use crate::config::{BackMatter, CodeStyle, PunctuationStyle};
use crate::diag::Diagnostics;
use crate::document::Document;
use crate::fonts::{FontSet, Role};

/// How the book is set: the page and the punctuation style of book.toml.
#[derive(Debug, Clone, Copy)]
pub struct Settings<'a> {
    pub profile: &'a PageProfile,
    pub style: PunctuationStyle,
    pub code: CodeStyle,
    pub back: BackMatter,
    /// Each picture that falls short of what a printer wants is a warning (`--preflight`).
    pub preflight: bool,
}

/// The typeset book and what checks need.
pub struct Typeset {
    pub pages: Pages,
    /// Every line set from post text, in order.
    pub lines: Vec<LineCheck>,
    /// What the printer checks found (nothing on a screen profile).
    pub print_check: PrintCheck,
}

/// One post set as a column of blocks, before pagination.
struct Column {
    blocks: Vec<VBlock>,
    /// Characters no font could set.
    missing: BTreeSet<char>,
}

/// Lays out the book; characters no font has are reported to `diags`.
pub fn typeset(
    book: &Book,
    docs: &[Document],
    fonts: &FontSet,
    settings: &Settings,
    diags: &Diagnostics,
) -> Typeset {
    let language = book.meta.language.as_str();
    let columns: Vec<Column> = book
        .posts
        .par_iter()
        .zip(docs.par_iter())
        .map(|(post, doc)| {
            // A post in another variety of Chinese takes its forms from the font (`locl`).
            let language = post.language.as_deref().unwrap_or(language);
            let mut flow = Flow::new(fonts, settings.profile, language, settings.style);
            flow.code = settings.code;
            flow.post_title(&post.title, &post_meta(post));
            flow.document(doc);
            Column {
                blocks: flow.blocks,
                missing: flow.missing,
            }
        })
        .collect();
    let lines_of = BookLines::new(fonts, language);
    let missing_in_posts: Vec<BTreeSet<char>> = columns.iter().map(|c| c.missing.clone()).collect();
    let mut body = body::paginate(book, columns, &lines_of, settings.profile);
    let back = back::sections(
        book,
        settings.back,
        &body.post_start,
        body.pages.len(),
        &lines_of,
        settings.profile,
    );
    body.contents.extend(back::contents_entries(&back));
    let print_check = preflight::check(
        book,
        &body.pages,
        settings.profile,
        settings.preflight,
        diags,
    );
    let front = front::pages(book, &body.contents, &lines_of, settings.profile);
    let lines = std::mem::take(&mut body.lines);
    let pages = compose::compose(book, front, body, back, &lines_of, settings.profile);
    missing::report(book, &missing_in_posts, &lines_of.missing(), diags);
    Typeset {
        pages,
        lines,
        print_check,
    }
}

/// The line under a post's title: its date and tags.
fn post_meta(post: &Post) -> String {
    let mut meta = crate::zh::date(post.date.date());
    meta.extend(crate::zh::tags_after_date(&post.tags));
    meta
}

/// Sets the book's own single lines (titles, contents, heads, folios) and remembers the
/// characters no font had, to report them with the posts'.
pub struct BookLines<'a> {
    fonts: &'a FontSet,
    language: &'a str,
    missing: RefCell<BTreeSet<char>>,
}

impl<'a> BookLines<'a> {
    fn new(fonts: &'a FontSet, language: &'a str) -> Self {
        BookLines {
            fonts,
            language,
            missing: RefCell::new(BTreeSet::new()),
        }
    }

    /// A single line of text, not broken, set flush left.
    pub fn line(&self, text: &str, role: Role, size: f32) -> LineBox {
        self.lines(text, role, size, f32::MAX / 4.0, 0.0)
            .into_iter()
            .next()
            .unwrap_or_default()
    }

    /// Text broken into flush-left lines of at most `measure` by the rules of the line breaker;
    /// lines after the first are indented by `hang`.
    pub fn lines(
        &self,
        text: &str,
        role: Role,
        size: f32,
        measure: f32,
        hang: f32,
    ) -> Vec<LineBox> {
        let mut styled = StyledText::default();
        styled.push(text, &Style::plain(role));
        let shaped = text::shape(
            &styled,
            self.fonts,
            size,
            self.language,
            &mut self.missing.borrow_mut(),
        );
        let options = Options {
            measure: measure - hang,
            first_indent: -hang,
            style: PunctuationStyle::Compressed,
            justify_last: false,
            ragged: true,
        };
        let mut lines = paragraph::set(&shaped, &options);
        if hang != 0.0 {
            for line in &mut lines {
                line.shift(hang);
            }
        }
        lines
    }

    /// A flow for blocks of the book's own (chapter openings), set in the book's fonts.
    fn flow(&self, profile: &'a PageProfile) -> Flow<'a> {
        Flow::new(
            self.fonts,
            profile,
            self.language,
            PunctuationStyle::Compressed,
        )
    }

    /// Characters a flow made by `flow` could not set.
    fn absorb(&self, missing: BTreeSet<char>) {
        self.missing.borrow_mut().extend(missing);
    }

    fn missing(&self) -> BTreeSet<char> {
        self.missing.borrow().clone()
    }
}
