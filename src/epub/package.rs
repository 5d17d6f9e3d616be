//! The package files: `container.xml`, the OPF (metadata, manifest, spine), the EPUB 3 nav and
//! the NCX that older readers (Kindle's converters, Adobe RMSDK) still use.

use std::fmt::Write;

use super::xml::escape;
use crate::collect::Book;

/// One entry of the table of contents, with its children.
#[derive(Debug, Clone)]
pub struct TocEntry {
    pub title: String,
    pub href: String,
    pub children: Vec<TocEntry>,
}

/// One file of the manifest.
pub struct Item {
    pub id: String,
    pub href: String,
    pub media_type: String,
    pub properties: Option<&'static str>,
    pub in_spine: bool,
}

pub const CONTAINER_XML: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
<container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n\
<rootfiles>\n<rootfile full-path=\"OEBPS/content.opf\" media-type=\"application/oebps-package+xml\"/>\n</rootfiles>\n</container>\n";

/// Apple Books shows embedded fonts only when asked to.
pub const APPLE_DISPLAY_OPTIONS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
<display_options>\n<platform name=\"*\">\n<option name=\"specified-fonts\">true</option>\n</platform>\n</display_options>\n";

pub fn opf(book: &Book, items: &[Item], modified: &str, cover_id: Option<&str>) -> String {
    let meta = &book.meta;
    let mut out = String::new();
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" unique-identifier=\"book-id\" xml:lang=\"{lang}\">\n\
         <metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n\
         <dc:identifier id=\"book-id\">{id}</dc:identifier>\n\
         <dc:title id=\"title\">{title}</dc:title>\n\
         <dc:language>{lang}</dc:language>\n",
        lang = escape(&meta.language),
        id = escape(&meta.identifier),
        title = escape(&meta.title),
    );
    if let Some(subtitle) = &meta.subtitle {
        let _ = writeln!(
            out,
            "<dc:title id=\"subtitle\">{}</dc:title>",
            escape(subtitle)
        );
        out.push_str("<meta refines=\"#title\" property=\"title-type\">main</meta>\n");
        out.push_str("<meta refines=\"#subtitle\" property=\"title-type\">subtitle</meta>\n");
    }
    if let Some(author) = &meta.author {
        let _ = writeln!(
            out,
            "<dc:creator id=\"author\">{}</dc:creator>",
            escape(author)
        );
        out.push_str(
            "<meta refines=\"#author\" property=\"role\" scheme=\"marc:relators\">aut</meta>\n",
        );
    }
    if let Some(date) = meta.date {
        let _ = writeln!(out, "<dc:date>{date}</dc:date>");
    }
    if let Some(description) = &meta.description {
        let _ = writeln!(
            out,
            "<dc:description>{}</dc:description>",
            escape(description)
        );
    }
    let _ = writeln!(out, "<meta property=\"dcterms:modified\">{modified}</meta>");
    let _ = writeln!(
        out,
        "<meta name=\"generator\" content=\"inkstone {}\"/>",
        env!("CARGO_PKG_VERSION")
    );
    if let Some(cover) = cover_id {
        // EPUB 2 readers (older Kindles) find the cover through this.
        let _ = writeln!(out, "<meta name=\"cover\" content=\"{cover}\"/>");
    }
    out.push_str("</metadata>\n<manifest>\n");
    for item in items {
        let properties = item
            .properties
            .map(|p| format!(" properties=\"{p}\""))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "<item id=\"{}\" href=\"{}\" media-type=\"{}\"{properties}/>",
            item.id,
            escape(&item.href),
            item.media_type
        );
    }
    out.push_str("</manifest>\n<spine toc=\"ncx\">\n");
    for item in items.iter().filter(|i| i.in_spine) {
        let _ = writeln!(out, "<itemref idref=\"{}\"/>", item.id);
    }
    out.push_str("</spine>\n</package>\n");
    out
}

/// The navigation document, also the book's visible table of contents.
pub fn nav(book: &Book, toc: &[TocEntry], landmarks: &[(&str, &str, String)]) -> String {
    let mut body =
        String::from("<nav epub:type=\"toc\" id=\"toc\" class=\"toc\">\n<h1>目录</h1>\n");
    nav_list(&mut body, toc);
    body.push_str("</nav>\n<nav epub:type=\"landmarks\" id=\"landmarks\" hidden=\"hidden\">\n<h2>导航</h2>\n<ol>\n");
    for (kind, title, href) in landmarks {
        let _ = writeln!(
            body,
            "<li><a epub:type=\"{kind}\" href=\"{}\">{}</a></li>",
            escape(href),
            escape(title)
        );
    }
    body.push_str("</ol>\n</nav>\n");
    super::xhtml::page(&book.meta.language, "目录", "frontmatter", &body)
}

fn nav_list(out: &mut String, entries: &[TocEntry]) {
    out.push_str("<ol>\n");
    for entry in entries {
        let _ = write!(
            out,
            "<li><a href=\"{}\">{}</a>",
            escape(&entry.href),
            escape(&entry.title)
        );
        if !entry.children.is_empty() {
            out.push('\n');
            nav_list(out, &entry.children);
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ol>\n");
}

pub fn ncx(book: &Book, toc: &[TocEntry]) -> String {
    let mut out = String::new();
    let depth = max_depth(toc);
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <ncx xmlns=\"http://www.daisy.org/z3986/2005/ncx/\" version=\"2005-1\" xml:lang=\"{}\">\n\
         <head>\n<meta name=\"dtb:uid\" content=\"{}\"/>\n<meta name=\"dtb:depth\" content=\"{depth}\"/>\n\
         <meta name=\"dtb:totalPageCount\" content=\"0\"/>\n<meta name=\"dtb:maxPageNumber\" content=\"0\"/>\n</head>\n\
         <docTitle><text>{}</text></docTitle>\n<navMap>\n",
        escape(&book.meta.language),
        escape(&book.meta.identifier),
        escape(&book.meta.title)
    );
    let mut order = 0;
    nav_points(&mut out, toc, &mut order);
    out.push_str("</navMap>\n</ncx>\n");
    out
}

fn nav_points(out: &mut String, entries: &[TocEntry], order: &mut usize) {
    for entry in entries {
        *order += 1;
        let _ = write!(
            out,
            "<navPoint id=\"nav-{order}\" playOrder=\"{order}\">\n<navLabel><text>{}</text></navLabel>\n<content src=\"text/{}\"/>\n",
            escape(&entry.title),
            escape(&entry.href)
        );
        nav_points(out, &entry.children, order);
        out.push_str("</navPoint>\n");
    }
}

fn max_depth(entries: &[TocEntry]) -> usize {
    entries
        .iter()
        .map(|e| 1 + max_depth(&e.children))
        .max()
        .unwrap_or(0)
}
