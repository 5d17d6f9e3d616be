//! The book's own pages: cover, title page, copyright page, part and chapter openers.

use super::xhtml::page;
use super::xml::escape;
use crate::collect::{Book, Division, Level};

/// The cover: the image in an SVG box as large as the screen, its proportions kept
/// (`preserveAspectRatio`), so that on any screen it is whole and alone on its page.
pub fn cover(language: &str, title: &str, image: &str, (width, height): (u32, u32)) -> String {
    let body = format!(
        "<section class=\"cover\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" \
         xmlns:xlink=\"http://www.w3.org/1999/xlink\" version=\"1.1\" width=\"100%\" \
         height=\"100%\" viewBox=\"0 0 {width} {height}\" preserveAspectRatio=\"xMidYMid meet\" \
         role=\"img\" aria-label=\"{title}\">\n<title>{title}</title>\n\
         <image width=\"{width}\" height=\"{height}\" xlink:href=\"../{image}\"/>\n</svg>\n</section>\n",
        title = escape(title)
    );
    page(language, title, "frontmatter", &body)
}

pub fn title_page(book: &Book) -> String {
    let meta = &book.meta;
    let mut body = String::from("<section class=\"title-page\" epub:type=\"titlepage\">\n");
    body.push_str(&format!(
        "<h1 class=\"book-title\">{}</h1>\n",
        escape(&meta.title)
    ));
    if let Some(subtitle) = &meta.subtitle {
        body.push_str(&format!(
            "<p class=\"book-subtitle\">{}</p>\n",
            escape(subtitle)
        ));
    }
    if let Some(author) = &meta.author {
        body.push_str(&format!(
            "<p class=\"book-author\">{}</p>\n",
            escape(author)
        ));
    }
    body.push_str("</section>\n");
    page(&meta.language, &meta.title, "frontmatter", &body)
}

pub fn copyright_page(book: &Book) -> String {
    let meta = &book.meta;
    let mut body =
        String::from("<section class=\"copyright-page\" epub:type=\"copyright-page\">\n");
    for line in book.copyright_lines() {
        body.push_str(&format!("<p>{}</p>\n", escape(&line)));
    }
    body.push_str(&format!(
        "<p class=\"identifier\">{}</p>\n</section>\n",
        escape(&meta.identifier)
    ));
    page(
        &meta.language,
        crate::zh::COPYRIGHT_PAGE,
        "frontmatter",
        &body,
    )
}

/// A part (`第一部`) or chapter (`第一章`) opener.
pub fn division_page(language: &str, division: &Division) -> String {
    let (kind, class) = match division.level {
        Level::Part => ("part", "part-page"),
        Level::Chapter | Level::SubChapter { .. } => ("chapter", "chapter-page"),
    };
    let body = format!(
        "<section class=\"{class}\" epub:type=\"{kind}\" role=\"doc-{kind}\">\n<p class=\"division-label\">{}</p>\n<h1 class=\"division-title\">{}</h1>\n</section>\n",
        escape(&division.label),
        escape(&division.title)
    );
    page(language, &division.title, "bodymatter", &body)
}
