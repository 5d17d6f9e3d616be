//! The book's own pages: cover, title page, copyright page, part and chapter openers.

use super::xhtml::page;
use super::xml::escape;
use crate::collect::Book;

pub fn cover(language: &str, title: &str, image: &str) -> String {
    let body = format!(
        "<section class=\"cover\" epub:type=\"cover\">\n<img src=\"../{image}\" alt=\"{}\"/>\n</section>\n",
        escape(title)
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
    body.push_str(&format!("<p>《{}》</p>\n", escape(&meta.title)));
    if let Some(author) = &meta.author {
        body.push_str(&format!("<p>著者：{}</p>\n", escape(author)));
    }
    if let Some(date) = meta.date {
        body.push_str(&format!("<p>{}</p>\n", crate::zh::date(date)));
    }
    let years = year_span(book);
    let holder = meta.author.clone().unwrap_or_else(|| meta.title.clone());
    body.push_str(&format!("<p>© {years} {}</p>\n", escape(&holder)));
    body.push_str(&format!(
        "<p>收录文章 {} 篇</p>\n<p>本书由 inkstone {} 据博客原文生成</p>\n<p class=\"identifier\">{}</p>\n</section>\n",
        book.posts.len(),
        env!("CARGO_PKG_VERSION"),
        escape(&meta.identifier)
    ));
    page(&meta.language, "版权页", "frontmatter", &body)
}

/// A part (`第一部`) or chapter (`第一章`) opener.
pub fn division_page(language: &str, label: &str, title: &str, is_part: bool) -> String {
    let (kind, class) = if is_part {
        ("part", "part-page")
    } else {
        ("chapter", "chapter-page")
    };
    let body = format!(
        "<section class=\"{class}\" epub:type=\"{kind}\">\n<p class=\"division-label\">{}</p>\n<h1 class=\"division-title\">{}</h1>\n</section>\n",
        escape(label),
        escape(title)
    );
    page(language, title, "bodymatter", &body)
}

fn year_span(book: &Book) -> String {
    let first = book.posts.iter().map(|p| p.date.year()).min();
    let last = book.posts.iter().map(|p| p.date.year()).max();
    match (first, last) {
        (Some(a), Some(b)) if a != b => format!("{a}–{b}"),
        (Some(a), _) => a.to_string(),
        _ => String::new(),
    }
}
