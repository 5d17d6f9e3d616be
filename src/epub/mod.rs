//! The EPUB 3 back end: the book's documents as XHTML pages, with CSS, subset fonts, images,
//! cover, nav and NCX, in a container of our own writing (`epub-builder` fails EPUBCheck and
//! cannot add files to `META-INF/`).
//!
//! Reads only the `Book`, its `Document`s and the font files handed to it.

mod chars;
mod container;
pub mod cover;
mod fallback;
mod images;
mod listing;
mod package;
mod pages;
mod xhtml;
pub mod xml;

use std::collections::HashSet;
use std::path::PathBuf;

use crate::collect::{Book, ContentsNode, Division, Entry, Level};
use crate::config::CodeStyle;
use crate::diag::Diagnostics;
use crate::document::Document;
use crate::fonts::subset::SubsetError;
use crate::fonts::{FontFile, Role};

use crate::images::Saving;
use crate::images::format::Format;
use chars::CharsByRole;
use container::Container;
use images::Images;
use package::{Item, Spine};

const XHTML: &str = "application/xhtml+xml";

/// The stylesheet, from `styles/epub.css`, built into the program.
const STYLESHEET: &str = include_str!("../../styles/epub.css");

/// Why the EPUB could not be made.
#[derive(Debug, thiserror::Error)]
pub enum EpubError {
    #[error("the cover named in book.toml is not a PNG or JPEG image")]
    CoverFormat,
    #[error(transparent)]
    Cover(#[from] cover::CoverError),
    #[error("cannot subset font {}: {source}", path.display())]
    Subset { path: PathBuf, source: SubsetError },
    #[error("cannot write the EPUB container: {0}")]
    Container(#[from] zip::result::ZipError),
}

type Result<T, E = EpubError> = std::result::Result<T, E>;

/// Everything the EPUB is made from.
pub struct Input<'a> {
    pub book: &'a Book,
    pub docs: &'a [Document],
    pub fonts: &'a [FontFile],
    /// A cover image given by the user (bytes), or `None` to draw one.
    pub cover: Option<Vec<u8>>,
    /// `dcterms:modified`, `CCYY-MM-DDThh:mm:ssZ`.
    pub modified: String,
    /// Highlighting and line numbers of listings.
    pub code: CodeStyle,
    /// The long side images are scaled down to, in pixels (0: any size).
    pub image_max_side: u32,
}

/// A written EPUB.
pub struct Built {
    pub bytes: Vec<u8>,
    /// What scaling and recompressing its images saved.
    pub images: Saving,
}

/// The files of the container and the manifest that lists them.
#[derive(Default)]
struct Manifest {
    files: Container,
    items: Vec<Item>,
}

impl Manifest {
    /// Adds `bytes` as `OEBPS/{href}`, listed in the manifest under `id`.
    fn add(&mut self, item: Item, bytes: Vec<u8>) {
        self.files.add(format!("OEBPS/{}", item.href), bytes);
        self.items.push(item);
    }

    /// An XHTML page read in order.
    fn page(&mut self, id: &str, href: String, xhtml: String) {
        let mut item = Item::new(id, href, XHTML).in_spine(Spine::Listed);
        match (xhtml.contains("<math "), xhtml.contains("<svg ")) {
            (true, true) => item = item.with_properties("mathml svg"),
            (true, false) => item = item.with_properties("mathml"),
            (false, true) => item = item.with_properties("svg"),
            (false, false) => {}
        }
        self.add(item, xhtml.into_bytes());
    }
}

/// One page of the body as it is written: its manifest id, its file under `text/`, its XHTML.
struct BodyPage {
    id: String,
    file: String,
    xhtml: String,
}

/// Builds the `.epub` bytes.
pub fn build(input: &Input, diags: &Diagnostics) -> Result<Built> {
    let book = input.book;
    let language = book.meta.language.as_str();
    let mut manifest = Manifest::default();
    manifest
        .files
        .add("META-INF/container.xml", package::CONTAINER_XML);
    manifest.files.add(
        "META-INF/com.apple.ibooks.display-options.xml",
        package::APPLE_DISPLAY_OPTIONS,
    );

    // Cover: the user's image, or one drawn from title and author.
    let (cover_bytes, cover_type, cover_ext) = cover_image(input, diags)?;
    let cover_href = format!("images/cover.{cover_ext}");
    let cover_size =
        crate::images::format::dimensions(&cover_bytes).unwrap_or((cover::WIDTH, cover::HEIGHT));
    manifest.add(
        Item::new("cover-image", cover_href.clone(), cover_type).with_properties("cover-image"),
        cover_bytes,
    );
    let mut chars = CharsByRole::default();
    let own_pages = [
        (
            "cover",
            "text/cover.xhtml",
            pages::cover(language, &book.meta.title, &cover_href, cover_size),
        ),
        ("title-page", "text/title.xhtml", pages::title_page(book)),
        (
            "copyright",
            "text/copyright.xhtml",
            pages::copyright_page(book),
        ),
    ];
    for (id, href, xhtml) in own_pages {
        chars.own_page(&xhtml);
        manifest.page(id, href.into(), xhtml);
    }
    // The title page sets the author in Kai.
    if let Some(author) = &book.meta.author {
        chars.text(author, Role::Emphasis);
    }

    let images = Images::collect(input.docs, input.image_max_side, diags);
    let body = body_pages(input, &images);
    let nav = package::nav(book, &body.contents, &landmarks(&body.pages));
    let text_start = body.pages.first().map(|p| format!("text/{}", p.file));
    chars.own_page(&nav);
    let nav_item = Item::new("nav", "text/nav.xhtml".into(), XHTML).with_properties("nav");
    manifest.add(nav_item.in_spine(Spine::Listed), nav.into_bytes());
    for page in body.pages {
        manifest.page(&page.id, format!("text/{}", page.file), page.xhtml);
    }
    for header in &body.headers {
        chars.own_page(header);
    }
    manifest.add(
        Item::new("ncx", "toc.ncx".into(), "application/x-dtbncx+xml"),
        package::ncx(book, &body.contents).into_bytes(),
    );
    chars.documents(input.docs);
    chars.text(&book.meta.identifier, Role::Body);
    let fallbacks = fallback::fonts(input.fonts, chars.for_role(Role::Body))?;
    let stylesheet = fallback::stylesheet(STYLESHEET, fallbacks.len());
    manifest.add(
        Item::new("css", "styles/book.css".into(), "text/css"),
        format!("{stylesheet}{}", listing::stylesheet(input.code)).into_bytes(),
    );
    for (i, image) in images.stored.iter().enumerate() {
        manifest.add(
            Item::new(
                &format!("img-{}", i + 1),
                image.name.clone(),
                image.media_type,
            ),
            image.bytes.clone(),
        );
    }
    let subsets = subset_fonts(input, &chars)?
        .into_iter()
        .map(|(role, bytes)| (font_file_name(role).to_string(), bytes))
        .chain(fallbacks.into_iter().map(|f| (f.file, f.bytes)));
    for (name, bytes) in subsets {
        let id = format!("font-{}", name.trim_end_matches(".ttf"));
        manifest.add(Item::new(&id, format!("fonts/{name}"), "font/ttf"), bytes);
    }

    let places = package::Places {
        cover_image: "cover-image",
        cover_page: "text/cover.xhtml",
        contents: "text/nav.xhtml",
        text_start: text_start.as_deref(),
    };
    let opf = package::opf(book, &manifest.items, &input.modified, &places);
    let mut files = manifest.files;
    files.add("OEBPS/content.opf", opf);
    Ok(Built {
        bytes: files.finish()?,
        images: images.saving,
    })
}

fn landmarks(body_pages: &[BodyPage]) -> Vec<(&'static str, &'static str, String)> {
    let mut marks = vec![
        (
            "cover",
            crate::zh::LANDMARK_COVER,
            "cover.xhtml".to_string(),
        ),
        ("toc", crate::zh::CONTENTS, "nav.xhtml".to_string()),
    ];
    if let Some(first) = body_pages.first() {
        marks.push(("bodymatter", crate::zh::LANDMARK_BODY, first.file.clone()));
    }
    marks
}

/// The body as written: its pages in reading order, the contents tree pointing at them, and
/// each post's header (title, date, tags) as printed.
struct Body {
    pages: Vec<BodyPage>,
    contents: Vec<ContentsNode<String>>,
    headers: Vec<String>,
}

/// Division openers and posts, in the order of the book plan.
fn body_pages(input: &Input, images: &Images) -> Body {
    let book = input.book;
    let post_files: Vec<String> = (0..book.posts.len())
        .map(|i| format!("{}.xhtml", post_id(i)))
        .collect();
    let ids: Vec<HashSet<String>> = input.docs.iter().map(page_ids).collect();
    let links = xhtml::Links {
        post_files: &post_files,
        ids: &ids,
        images,
        code: input.code,
    };
    let mut pages = Vec::new();
    let mut headers = Vec::new();
    // The numbers of the divisions around the current entry: [part, chapter, …].
    let mut numbers: Vec<usize> = Vec::new();
    for placed in book.entries() {
        match placed.entry {
            Entry::Division(division) => {
                numbers.truncate(placed.depth);
                numbers.push(division.number);
                let id = division_id(division, &numbers);
                let xhtml = pages::division_page(&book.meta.language, division);
                pages.push(BodyPage {
                    file: format!("{id}.xhtml"),
                    id,
                    xhtml,
                });
            }
            Entry::Post(post) => {
                let i = post.index;
                let doc = &input.docs[i];
                let header = post_header(book, i);
                let body = xhtml::PostWriter::new(&links, i, doc).render(&header, doc);
                headers.push(header);
                let language = post.language.as_deref().unwrap_or(&book.meta.language);
                let xhtml = xhtml::page(language, &post.title, "bodymatter", &body);
                pages.push(BodyPage {
                    id: post_id(i),
                    file: post_files[i].clone(),
                    xhtml,
                });
            }
        }
    }
    let contents = book.contents(pages.iter().map(|p| p.file.clone()));
    Body {
        pages,
        contents,
        headers,
    }
}

fn post_id(index: usize) -> String {
    format!("post-{:04}", index + 1)
}

/// `part-02` for the second part, `chapter-02-03` for its third chapter, `chapter-02-03-01`
/// below that: `numbers` holds the numbers of the division and those around it.
fn division_id(division: &Division, numbers: &[usize]) -> String {
    let path: Vec<String> = numbers.iter().map(|n| format!("{n:02}")).collect();
    match division.level {
        Level::Part => format!("part-{}", path.join("-")),
        _ => format!("chapter-{}", path.join("-")),
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
    if let Some(tags) = crate::zh::tags_after_date(&post.tags) {
        out.push_str(&format!(
            "<span class=\"post-tags\">{}</span>",
            xml::escape(&tags)
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

/// The user's cover, or one drawn from title and author (what its fonts lack is reported).
fn cover_image(
    input: &Input,
    diags: &Diagnostics,
) -> Result<(Vec<u8>, &'static str, &'static str)> {
    if let Some(bytes) = &input.cover {
        let format = crate::images::format::sniff(bytes)
            .filter(|f| matches!(f, Format::Png | Format::Jpeg))
            .ok_or(EpubError::CoverFormat)?;
        // A camera-sized cover is scaled to the drawn one's height on its long side.
        let (bytes, format) =
            crate::images::screen::for_screen(bytes.clone(), format, cover::HEIGHT)
                .unwrap_or_else(|_| (bytes.clone(), format));
        return Ok((bytes, format.media_type(), format.extension()));
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
    let cover = cover::render_cover(&text, font(Role::Heading), font(Role::Body))?;
    input.book.report_missing_chars(cover.missing, diags);
    Ok((cover.png, "image/png", "png"))
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
fn subset_fonts(input: &Input, chars: &CharsByRole) -> Result<Vec<(Role, Vec<u8>)>> {
    use rayon::prelude::*;
    input
        .fonts
        .par_iter()
        .map(|font| {
            let wanted = chars.for_role(font.role);
            crate::fonts::subset::subset_for_epub(&font.bytes, 0, wanted)
                .map(|bytes| (font.role, bytes))
                .map_err(|source| EpubError::Subset {
                    path: font.path.clone(),
                    source,
                })
        })
        .collect()
}
