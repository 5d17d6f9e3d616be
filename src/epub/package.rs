//! The package files: `container.xml`, the OPF (metadata, manifest, spine), the EPUB 3 nav and
//! the NCX that older readers (Kindle's converters, Adobe RMSDK) still use.

use std::fmt::Write;

use super::xml::escape;
use crate::collect::{Book, ContentsNode};

/// One entry of the table of contents (its target is a file under `text/`), with its children.
pub type TocEntry = ContentsNode<String>;

/// Whether a file of the manifest is read in order (listed in the spine) or only referred to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spine {
    Listed,
    Unlisted,
}

/// One file of the manifest.
pub struct Item {
    pub id: String,
    pub href: String,
    pub media_type: String,
    pub properties: Option<&'static str>,
    pub spine: Spine,
}

impl Item {
    /// A file outside the spine, without properties.
    pub fn new(id: &str, href: String, media_type: &str) -> Self {
        Item {
            id: id.to_string(),
            href,
            media_type: media_type.to_string(),
            properties: None,
            spine: Spine::Unlisted,
        }
    }

    pub fn with_properties(self, properties: &'static str) -> Self {
        Item {
            properties: Some(properties),
            ..self
        }
    }

    pub fn in_spine(self, spine: Spine) -> Self {
        Item { spine, ..self }
    }
}

pub const CONTAINER_XML: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
<container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n\
<rootfiles>\n<rootfile full-path=\"OEBPS/content.opf\" media-type=\"application/oebps-package+xml\"/>\n</rootfiles>\n</container>\n";

/// Apple Books shows embedded fonts only when asked to.
pub const APPLE_DISPLAY_OPTIONS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
<display_options>\n<platform name=\"*\">\n<option name=\"specified-fonts\">true</option>\n</platform>\n</display_options>\n";

/// Where the package points readers: the cover image's manifest id, and the cover page, the
/// contents and the start of the text by file (for EPUB 2 readers' `<guide>`).
pub struct Places<'a> {
    pub cover_image: &'a str,
    pub cover_page: &'a str,
    pub contents: &'a str,
    pub text_start: Option<&'a str>,
}

pub fn opf(book: &Book, items: &[Item], modified: &str, places: &Places) -> String {
    let meta = &book.meta;
    // The book is not modified before it is dated.
    let dated = meta.date.map(|d| format!("{d}T00:00:00Z"));
    let modified = match &dated {
        Some(dated) if dated.as_str() > modified => dated.as_str(),
        _ => modified,
    };
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
    out.push_str(&accessibility(items));
    let _ = writeln!(
        out,
        "<meta name=\"generator\" content=\"inkstone {}\"/>",
        env!("CARGO_PKG_VERSION")
    );
    // EPUB 2 readers (older Kindles) find the cover through this.
    let _ = writeln!(
        out,
        "<meta name=\"cover\" content=\"{}\"/>",
        places.cover_image
    );
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
    for item in items.iter().filter(|i| i.spine == Spine::Listed) {
        let _ = writeln!(out, "<itemref idref=\"{}\"/>", item.id);
    }
    out.push_str("</spine>\n");
    // EPUB 2 readers, and Kindle's conversion, find the cover, the contents and where to
    // start reading through the guide.
    out.push_str("<guide>\n");
    let mut guide = vec![
        ("cover", crate::zh::LANDMARK_COVER, places.cover_page),
        ("toc", crate::zh::CONTENTS, places.contents),
    ];
    if let Some(start) = places.text_start {
        guide.push(("text", crate::zh::LANDMARK_BODY, start));
    }
    for (kind, title, href) in guide {
        let _ = writeln!(
            out,
            "<reference type=\"{kind}\" title=\"{title}\" href=\"{}\"/>",
            escape(href)
        );
    }
    out.push_str("</guide>\n</package>\n");
    out
}

/// The schema.org accessibility metadata: how the book can be read (text, and pictures with
/// text alternatives), what helps (structure, contents, reading order, alternative text,
/// MathML), and that nothing in it flashes or moves.
fn accessibility(items: &[Item]) -> String {
    let pictures = items
        .iter()
        .any(|i| i.media_type.starts_with("image/") && i.properties != Some("cover-image"));
    let math = items
        .iter()
        .any(|i| i.properties.is_some_and(|p| p.contains("mathml")));
    let modes = ["textual", "visual"];
    let mut features = vec!["structuralNavigation", "tableOfContents", "readingOrder"];
    if pictures {
        features.push("alternativeText");
    }
    if math {
        features.push("MathML");
    }
    let mut out = String::new();
    for mode in modes {
        let _ = writeln!(out, "<meta property=\"schema:accessMode\">{mode}</meta>");
    }
    out.push_str("<meta property=\"schema:accessModeSufficient\">textual</meta>\n");
    for feature in features {
        let _ = writeln!(
            out,
            "<meta property=\"schema:accessibilityFeature\">{feature}</meta>"
        );
    }
    out.push_str("<meta property=\"schema:accessibilityHazard\">none</meta>\n");
    let _ = writeln!(
        out,
        "<meta property=\"schema:accessibilitySummary\">{}</meta>",
        crate::zh::ACCESSIBILITY_SUMMARY
    );
    out
}

/// The navigation document, also the book's visible table of contents.
pub fn nav(book: &Book, toc: &[TocEntry], landmarks: &[(&str, &str, String)]) -> String {
    let mut body = format!(
        "<nav epub:type=\"toc\" role=\"doc-toc\" id=\"toc\" class=\"toc\">\n<h1>{}</h1>\n",
        crate::zh::CONTENTS
    );
    nav_list(&mut body, toc);
    let _ = write!(
        body,
        "</nav>\n<nav epub:type=\"landmarks\" id=\"landmarks\" hidden=\"hidden\">\n<h2>{}</h2>\n<ol>\n",
        crate::zh::LANDMARKS
    );
    for (kind, title, href) in landmarks {
        let _ = writeln!(
            body,
            "<li><a epub:type=\"{kind}\" href=\"{}\">{}</a></li>",
            escape(href),
            escape(title)
        );
    }
    body.push_str("</ol>\n</nav>\n");
    super::xhtml::page(
        &book.meta.language,
        crate::zh::CONTENTS,
        "frontmatter",
        &body,
    )
}

fn nav_list(out: &mut String, entries: &[TocEntry]) {
    out.push_str("<ol>\n");
    for entry in entries {
        let _ = write!(
            out,
            "<li><a href=\"{}\">{}</a>",
            escape(&entry.target),
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
            escape(&entry.target)
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
