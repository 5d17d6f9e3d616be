//! The EPUB 3 back end: the book's documents as XHTML pages, with CSS, subset fonts, images,
//! cover, nav and NCX, in a container of our own writing (`epub-builder` fails EPUBCheck and
//! cannot add files to `META-INF/`).
//!
//! Reads only the `Book`, its `Document`s and the font files handed to it.

mod container;
pub mod cover;
mod images;
mod package;
mod pages;
mod xhtml;
pub mod xml;

use std::collections::{BTreeSet, HashSet};

use crate::collect::{Book, Chapter};
use crate::diag::{Diagnostics, Error, Result};
use crate::document::{Block, Document, Inline, InlineStyle};
use crate::fonts::{FontFile, Role};

use crate::images::format::Format;
use container::Container;
use images::Images;
use package::{Item, TocEntry};

/// The stylesheet, from `styles/epub.css`, built into the program.
const STYLESHEET: &str = include_str!("../../styles/epub.css");

/// Everything the EPUB is made from.
pub struct Input<'a> {
    pub book: &'a Book,
    pub docs: &'a [Document],
    pub fonts: &'a [FontFile],
    /// A cover image given by the user (bytes), or `None` to draw one.
    pub cover: Option<Vec<u8>>,
    /// `dcterms:modified`, `CCYY-MM-DDThh:mm:ssZ`.
    pub modified: String,
}

/// Builds the `.epub` bytes.
pub fn build(input: &Input, diags: &Diagnostics) -> Result<Vec<u8>> {
    let book = input.book;
    let language = book.meta.language.as_str();
    let mut files = Container::default();
    let mut items: Vec<Item> = Vec::new();
    let mut add = |files: &mut Container,
                   id: String,
                   href: String,
                   media_type: &str,
                   properties: Option<&'static str>,
                   in_spine: bool,
                   bytes: Vec<u8>| {
        files.add(format!("OEBPS/{href}"), bytes);
        items.push(Item {
            id,
            href,
            media_type: media_type.to_string(),
            properties,
            in_spine,
        });
    };

    files.add("META-INF/container.xml", package::CONTAINER_XML);
    files.add(
        "META-INF/com.apple.ibooks.display-options.xml",
        package::APPLE_DISPLAY_OPTIONS,
    );

    // Cover: the user's image, or one drawn from title and author.
    let (cover_bytes, cover_type, cover_ext) = cover_image(input)?;
    let cover_href = format!("images/cover.{cover_ext}");
    add(
        &mut files,
        "cover-image".into(),
        cover_href.clone(),
        cover_type,
        Some("cover-image"),
        false,
        cover_bytes,
    );
    let xhtml = "application/xhtml+xml";
    add(
        &mut files,
        "cover".into(),
        "text/cover.xhtml".into(),
        xhtml,
        None,
        true,
        pages::cover(language, &book.meta.title, &cover_href).into_bytes(),
    );
    add(
        &mut files,
        "title-page".into(),
        "text/title.xhtml".into(),
        xhtml,
        None,
        true,
        pages::title_page(book).into_bytes(),
    );
    add(
        &mut files,
        "copyright".into(),
        "text/copyright.xhtml".into(),
        xhtml,
        None,
        true,
        pages::copyright_page(book).into_bytes(),
    );

    // Posts and their openers, in reading order, with the table of contents built alongside.
    let post_files: Vec<String> = (0..book.posts.len())
        .map(|i| format!("post-{:04}.xhtml", i + 1))
        .collect();
    let ids: Vec<HashSet<String>> = input.docs.iter().map(page_ids).collect();
    let images = Images::collect(input.docs, diags);
    let links = xhtml::Links {
        post_files: &post_files,
        ids: &ids,
        images: &images,
    };
    let mut body = BodyPages {
        book,
        input,
        links: &links,
        post_files: &post_files,
        pages: Vec::new(),
    };
    let mut toc = Vec::new();
    for (p, part) in book.parts.iter().enumerate() {
        let file = format!("part-{:02}.xhtml", p + 1);
        let label = crate::zh::part_label(p + 1);
        let page = pages::division_page(language, &label, &part.title, true);
        body.pages
            .push((format!("part-{:02}", p + 1), file.clone(), page));
        let mut children = body.posts(&part.posts);
        children.extend(body.chapters(&part.chapters, &format!("{:02}", p + 1)));
        toc.push(TocEntry {
            title: format!("{label}　{}", part.title),
            href: file,
            children,
        });
    }
    let body_pages = body.pages;
    add(
        &mut files,
        "nav".into(),
        "text/nav.xhtml".into(),
        xhtml,
        Some("nav"),
        true,
        package::nav(book, &toc, &landmarks(&body_pages)).into_bytes(),
    );
    for (id, file, page) in body_pages {
        add(
            &mut files,
            id,
            format!("text/{file}"),
            xhtml,
            None,
            true,
            page.into_bytes(),
        );
    }
    add(
        &mut files,
        "ncx".into(),
        "toc.ncx".into(),
        "application/x-dtbncx+xml",
        None,
        false,
        package::ncx(book, &toc).into_bytes(),
    );
    add(
        &mut files,
        "css".into(),
        "styles/book.css".into(),
        "text/css",
        None,
        false,
        STYLESHEET.as_bytes().to_vec(),
    );
    for (i, image) in images.stored.iter().enumerate() {
        add(
            &mut files,
            format!("img-{}", i + 1),
            image.name.clone(),
            image.media_type,
            None,
            false,
            image.bytes.clone(),
        );
    }
    for (role, bytes) in subset_fonts(input)? {
        let name = font_file_name(role);
        add(
            &mut files,
            format!("font-{}", name.trim_end_matches(".ttf")),
            format!("fonts/{name}"),
            "font/ttf",
            None,
            false,
            bytes,
        );
    }

    let cover_id = Some("cover-image");
    let opf = package::opf(book, &items, &input.modified, cover_id);
    files.add("OEBPS/content.opf", opf);
    files.finish()
}

fn landmarks(body_pages: &[(String, String, String)]) -> Vec<(&'static str, &'static str, String)> {
    let mut marks = vec![
        ("cover", "封面", "cover.xhtml".to_string()),
        ("toc", "目录", "nav.xhtml".to_string()),
    ];
    if let Some((_, file, _)) = body_pages.first() {
        marks.push(("bodymatter", "正文", file.clone()));
    }
    marks
}

/// The body's pages (id, file name, XHTML) as they are written, in reading order.
struct BodyPages<'a> {
    book: &'a Book,
    input: &'a Input<'a>,
    links: &'a xhtml::Links<'a>,
    post_files: &'a [String],
    pages: Vec<(String, String, String)>,
}

impl BodyPages<'_> {
    /// Pages for `posts`, and their toc entries.
    fn posts(&mut self, posts: &[usize]) -> Vec<TocEntry> {
        let mut entries = Vec::new();
        for &i in posts {
            let post = &self.book.posts[i];
            let doc = &self.input.docs[i];
            let file = self.post_files[i].clone();
            let body =
                xhtml::PostWriter::new(self.links, i, doc).render(&post_header(self.book, i), doc);
            let page = xhtml::page(&self.book.meta.language, &post.title, "bodymatter", &body);
            self.pages
                .push((format!("post-{:04}", i + 1), file.clone(), page));
            entries.push(TocEntry {
                title: post.title.clone(),
                href: file,
                children: Vec::new(),
            });
        }
        entries
    }

    /// Chapter openers (numbered at the first level, `prefix` naming the parent), their posts
    /// and sub-chapters, and their toc entries.
    fn chapters(&mut self, chapters: &[Chapter], prefix: &str) -> Vec<TocEntry> {
        let mut entries = Vec::new();
        for (n, chapter) in chapters.iter().enumerate() {
            let id = format!("chapter-{prefix}-{:02}", n + 1);
            let file = format!("{id}.xhtml");
            let label = if prefix.len() == 2 {
                crate::zh::chapter_label(n + 1)
            } else {
                String::new()
            };
            let page =
                pages::division_page(&self.book.meta.language, &label, &chapter.title, false);
            self.pages.push((id.clone(), file.clone(), page));
            let mut children = self.posts(&chapter.posts);
            children.extend(self.chapters(&chapter.chapters, &format!("{prefix}-{:02}", n + 1)));
            let title = if label.is_empty() {
                chapter.title.clone()
            } else {
                format!("{label}　{}", chapter.title)
            };
            entries.push(TocEntry {
                title,
                href: file,
                children,
            });
        }
        entries
    }
}

/// Title, date and tags at the head of a post.
fn post_header(book: &Book, index: usize) -> String {
    let post = &book.posts[index];
    let mut out = format!(
        "<header class=\"post-header\">\n<h1 class=\"post-title\">{}</h1>\n<p class=\"post-meta\">",
        xml::escape(&post.title)
    );
    let date = post.date.date();
    out.push_str(&format!(
        "<time datetime=\"{date}\">{}</time>",
        crate::zh::date(date)
    ));
    if !post.tags.is_empty() {
        let tags: Vec<String> = post.tags.iter().map(|t| xml::escape(t)).collect();
        out.push_str(&format!(
            "<span class=\"post-tags\">　标签：{}</span>",
            tags.join("、")
        ));
    }
    out.push_str("</p>\n</header>\n");
    out
}

fn page_ids(doc: &Document) -> HashSet<String> {
    let mut ids: HashSet<String> = xhtml::heading_ids(doc).into_iter().collect();
    for n in 1..=doc.footnotes.len() {
        ids.insert(format!("fn-{n}"));
    }
    ids
}

fn cover_image(input: &Input) -> Result<(Vec<u8>, &'static str, &'static str)> {
    if let Some(bytes) = &input.cover {
        let format = crate::images::format::sniff(bytes)
            .filter(|f| matches!(f, Format::Png | Format::Jpeg))
            .ok_or_else(|| {
                Error::Message("the cover named in book.toml is not a PNG or JPEG image".into())
            })?;
        return Ok((bytes.clone(), format.media_type(), format.extension()));
    }
    let meta = &input.book.meta;
    let font = |role| {
        input
            .fonts
            .iter()
            .find(|f| f.role == role)
            .map(|f| f.bytes.as_slice())
            .unwrap_or(&[])
    };
    let text = cover::CoverText {
        title: &meta.title,
        subtitle: meta.subtitle.as_deref(),
        author: meta.author.as_deref(),
    };
    let png = cover::render_cover(&text, font(Role::Heading), font(Role::Body))
        .map_err(|e| Error::Message(format!("cannot draw the cover: {e}")))?;
    Ok((png, "image/png", "png"))
}

fn font_file_name(role: Role) -> &'static str {
    match role {
        Role::Body => "body.ttf",
        Role::Heading => "heading.ttf",
        Role::Emphasis => "emphasis.ttf",
        Role::Mono => "mono.ttf",
    }
}

/// Each font cut down to the characters it sets in this book.
fn subset_fonts(input: &Input) -> Result<Vec<(Role, Vec<u8>)>> {
    use rayon::prelude::*;
    let chars = CharsByRole::of(input);
    input
        .fonts
        .par_iter()
        .map(|font| {
            let wanted = chars.for_role(font.role);
            crate::fonts::subset::subset_for_epub(&font.bytes, 0, wanted)
                .map(|bytes| (font.role, bytes))
                .map_err(|e| {
                    Error::Message(format!("cannot subset font {}: {e}", font.path.display()))
                })
        })
        .collect()
}

/// The characters each font must hold.
#[derive(Default)]
struct CharsByRole {
    body: BTreeSet<char>,
    heading: BTreeSet<char>,
    emphasis: BTreeSet<char>,
    mono: BTreeSet<char>,
}

impl CharsByRole {
    fn of(input: &Input) -> Self {
        let mut chars = CharsByRole::default();
        let book = input.book;
        let meta = &book.meta;
        // Front matter pages and headings are set in the heading font; their words also
        // appear in running heads and the nav, which use the body font.
        let mut headings = vec![
            meta.title.clone(),
            "目录第部章封面版权页正文标签：、年月日著者收录文章篇本书由据博客原文生成　".into(),
        ];
        headings.extend(meta.subtitle.clone());
        headings.extend(meta.author.clone());
        headings.extend(book.posts.iter().map(|p| p.title.clone()));
        headings.extend(book.posts.iter().flat_map(|p| p.tags.clone()));
        collect_part_titles(book, &mut headings);
        // The title page sets the author in Kai.
        chars
            .emphasis
            .extend(meta.author.iter().flat_map(|a| a.chars()));
        for text in &headings {
            chars.heading.extend(text.chars());
            chars.body.extend(text.chars());
        }
        chars
            .body
            .extend("0123456789–©《》—［］：图片缺失网络□▣".chars());
        for doc in input.docs {
            for block in doc
                .blocks
                .iter()
                .chain(doc.footnotes.iter().flat_map(|f| f.blocks.iter()))
            {
                chars.block(block, Role::Body);
            }
        }
        chars.body.extend(book.meta.identifier.chars());
        chars
    }

    fn for_role(&self, role: Role) -> &BTreeSet<char> {
        match role {
            Role::Body => &self.body,
            Role::Heading => &self.heading,
            Role::Emphasis => &self.emphasis,
            Role::Mono => &self.mono,
        }
    }

    fn set(&mut self, role: Role) -> &mut BTreeSet<char> {
        match role {
            Role::Body => &mut self.body,
            Role::Heading => &mut self.heading,
            Role::Emphasis => &mut self.emphasis,
            Role::Mono => &mut self.mono,
        }
    }

    /// Characters of `block`, added to the font its text is set in by the stylesheet (and to
    /// the body font, which every font stack falls back to).
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
            Block::List { items, .. } => items
                .iter()
                .flat_map(|i| &i.blocks)
                .for_each(|b| self.block(b, role)),
            Block::Code { caption, text, .. } => {
                self.mono.extend(text.chars());
                self.body.extend(text.chars());
                self.inlines(caption, Role::Heading);
            }
            Block::Table { head, rows, .. } => {
                head.iter().for_each(|c| self.inlines(c, Role::Heading));
                rows.iter().flatten().for_each(|c| self.inlines(c, role));
            }
            Block::Figure { image, caption } => {
                self.body.extend(image.alt.chars());
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
            Block::Embed { label, url } => {
                self.set(role).extend(label.chars());
                self.body.extend(label.chars().chain(url.chars()));
            }
            Block::Rule => {}
        }
    }

    fn inlines(&mut self, content: &[Inline], role: Role) {
        for inline in content {
            match inline {
                Inline::Text(t) => {
                    self.set(role).extend(t.chars());
                    self.body.extend(t.chars());
                }
                Inline::Code(t) => {
                    self.mono.extend(t.chars());
                    self.body.extend(t.chars());
                }
                Inline::Emphasis(c) => self.inlines(c, Role::Emphasis),
                Inline::Strong(c) => self.inlines(c, Role::Heading),
                Inline::Styled {
                    style: InlineStyle::Label(_),
                    content,
                } => self.inlines(content, Role::Heading),
                Inline::Styled { content, .. }
                | Inline::Strikethrough(content)
                | Inline::Link { content, .. } => self.inlines(content, role),
                Inline::Image(image) => self.body.extend(image.alt.chars()),
                Inline::FootnoteRef(_) | Inline::LineBreak | Inline::SoftBreak => {}
            }
        }
    }
}

fn collect_part_titles(book: &Book, out: &mut Vec<String>) {
    fn chapters(list: &[Chapter], out: &mut Vec<String>) {
        for c in list {
            out.push(c.title.clone());
            chapters(&c.chapters, out);
        }
    }
    for part in &book.parts {
        out.push(part.title.clone());
        chapters(&part.chapters, out);
    }
    out.extend((1..=book.parts.len().max(99)).map(crate::zh::number));
}
