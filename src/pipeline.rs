//! The build, stage by stage: collect the posts, parse them, check their images, load the
//! fonts, then make each book (EPUB; layout → PDF) in memory and write them all at once.
//!
//! The CLI, the benchmark, the tests and the fuzz targets all build through here: `compile`
//! for the whole run, or the stages one by one (`read`, `epub`, `typeset`, `pdf`) to time or
//! inspect one of them. Every stage reports problems to the one `Diagnostics`.

use std::path::PathBuf;

use crate::collect::{self, Book, Level};
use crate::config::Config;
use crate::diag::{self, Diagnostics};
use crate::document::{self, Document, Inline};
use crate::fonts::{self, FontError, FontFile, FontSet};
use crate::images::Saving;
use crate::layout::book::Typeset;
use crate::{epub, images, layout, output, pdf};

/// Why a run wrote no book.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Input(#[from] diag::Error),
    #[error(transparent)]
    Font(#[from] FontError),
    #[error(transparent)]
    Epub(#[from] epub::EpubError),
    #[error("cannot write the PDF: {0}")]
    Pdf(#[from] pdf::PdfError),
    #[error("{count} warning(s) and --strict was given; no book was written")]
    Strict { count: usize },
    #[error("{count} post(s) cannot be read (see above); the books stay as they were")]
    Unreadable { count: usize },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Which books to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Formats {
    Epub,
    Pdf,
    /// The EPUB and the PDF.
    #[default]
    Both,
}

impl Formats {
    fn epub(self) -> bool {
        matches!(self, Formats::Epub | Formats::Both)
    }

    fn pdf(self) -> bool {
        matches!(self, Formats::Pdf | Formats::Both)
    }
}

/// How a run goes beyond what book.toml says (the command line's switches).
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub formats: Formats,
    /// Download remote images (`--fetch-images`).
    pub fetch_images: bool,
    /// Any warning fails the run before a file is written (`--strict`).
    pub strict: bool,
    /// Write the books (`compile`), or only make them in memory (`check`).
    pub write: bool,
    /// Also write the printed cover, `<stem>-cover.pdf` (`--cover`).
    pub cover: bool,
    /// Write only a book of every post: one that cannot be read keeps the books as they were
    /// (`watch`, where a post is often saved half-written).
    pub every_post: bool,
}

/// A stage of the build, as progress shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Collect,
    Parse,
    Images { fetch: bool },
    Fonts,
    Epub,
    Typeset,
    Pdf,
}

impl Step {
    pub fn name(self) -> &'static str {
        match self {
            Step::Collect => "collecting posts",
            Step::Parse => "parsing posts",
            Step::Images { fetch: true } => "fetching and checking images",
            Step::Images { fetch: false } => "checking images",
            Step::Fonts => "loading fonts",
            Step::Epub => "writing EPUB",
            Step::Typeset => "typesetting",
            Step::Pdf => "writing PDF",
        }
    }
}

/// The posts of the book, parsed, their images checked: what every back end draws.
pub struct Sources {
    pub book: Book,
    /// One document per post of `book.posts`, in the same order.
    pub docs: Vec<Document>,
}

/// One book written.
#[derive(Debug, Clone)]
pub struct WrittenFile {
    pub path: PathBuf,
    pub bytes: usize,
}

/// What a successful run made.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub files: Vec<WrittenFile>,
    /// Pages of the PDF, when one was made.
    pub pages: usize,
    pub posts: usize,
    pub parts: usize,
    /// Chapters at every level.
    pub chapters: usize,
    /// Formulas of every post, and those of them printed as TeX because they cannot be set.
    pub formulas: usize,
    pub formulas_failed: usize,
    /// Posts left out because they cannot be read (each reported as an error).
    pub left_out: usize,
    /// What scaling and recompressing images saved in the EPUB (bytes) and the PDF
    /// (pixels).
    pub epub_images: Saving,
    pub pdf_images: Saving,
    /// The printed cover's spine, when one was made.
    pub spine: Option<Spine>,
    /// What the printer checks found in the PDF's pictures.
    pub print_check: layout::book::PrintCheck,
}

/// The spine of a printed cover.
#[derive(Debug, Clone, Copy)]
pub struct Spine {
    pub leaves: usize,
    /// mm per leaf.
    pub caliper: f32,
    /// mm.
    pub width: f32,
    /// Too narrow for its title: left blank.
    pub blank: bool,
}

/// Builds and writes the books `options` ask for; `progress` hears of each stage as it starts.
/// Every book is made in memory first: an error in a later one, or a warning under
/// `--strict`, leaves the output folder as it was.
pub fn compile(
    config: &Config,
    options: &Options,
    diags: &Diagnostics,
    progress: &dyn Fn(Step),
) -> Result<Outcome> {
    let sources = read(config, options.fetch_images, diags, progress)?;
    if options.strict && sources.book.left_out > 0 {
        return Err(diag::Error::Invalid {
            count: diags.error_count(),
        }
        .into());
    }
    if options.every_post && sources.book.left_out > 0 {
        return Err(Error::Unreadable {
            count: sources.book.left_out,
        });
    }
    progress(Step::Fonts);
    let font_files = fonts::load_all(&config.fonts)?;
    let mut books: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    let (mut epub_images, mut pdf_images) = (Saving::default(), Saving::default());
    if options.formats.epub() {
        progress(Step::Epub);
        let built = epub(config, &sources, &font_files, diags)?;
        epub_images = built.images;
        books.push((output_path(config, "epub"), built.bytes));
    }
    let mut pages = 0;
    let mut spine = None;
    let mut print_check = layout::book::PrintCheck::default();
    if options.formats.pdf() || options.cover {
        progress(Step::Typeset);
        let font_set = FontSet::new(&font_files)?;
        let typeset = typeset(config, &sources, &font_set, diags);
        pages = typeset.pages.pages.len();
        print_check = typeset.print_check;
        if options.formats.pdf() {
            progress(Step::Pdf);
            let written = pdf(&typeset, diags)?;
            pdf_images = written.images;
            books.push((output_path(config, "pdf"), written.bytes));
        }
        if options.cover {
            let (bytes, made) = cover(config, &sources, &typeset, &font_set, diags)?;
            books.push((cover_path(config), bytes));
            spine = Some(made);
        }
    }
    if options.strict {
        let count = diags.snapshot().len();
        if count > 0 {
            return Err(Error::Strict { count });
        }
    }
    if options.write {
        output::write_books(&books)?;
    }
    let book = &sources.book;
    let (formulas, formulas_failed) = formula_counts(&sources.docs);
    Ok(Outcome {
        files: books
            .into_iter()
            .map(|(path, bytes)| WrittenFile {
                path,
                bytes: bytes.len(),
            })
            .collect(),
        pages,
        posts: book.posts.len(),
        parts: book.count(Level::Part),
        chapters: book.chapter_count(),
        formulas,
        formulas_failed,
        left_out: book.left_out,
        epub_images,
        pdf_images,
        spine,
        print_check,
    })
}

/// The printed cover of the typeset book, as PDF bytes, and its spine.
fn cover(
    config: &Config,
    sources: &Sources,
    typeset: &Typeset,
    fonts: &FontSet,
    diags: &Diagnostics,
) -> Result<(Vec<u8>, Spine)> {
    let image = match &config.meta.cover {
        Some(path) => {
            let bytes = images::read_cover(path)?;
            let size = imagesize::blob_size(&bytes)
                .map(|s| (s.width as u32, s.height as u32))
                .unwrap_or((1, 1));
            Some(layout::book::cover::CoverImage {
                data: std::sync::Arc::new(bytes),
                size,
            })
        }
        None => None,
    };
    let pages = typeset.pages.pages.len();
    let input = layout::book::cover::CoverInput {
        book: &sources.book,
        profile: &config.page,
        pages,
        caliper: config.caliper,
        image,
        interior: &typeset.pages,
    };
    let made = layout::book::cover::cover(&input, fonts);
    let written = pdf::write(&made.pages, diags)?;
    let spine = Spine {
        leaves: pages.div_ceil(2),
        caliper: config.caliper,
        width: made.spine / crate::config::MM,
        blank: made.spine_blank,
    };
    Ok((written.bytes, spine))
}

fn cover_path(config: &Config) -> PathBuf {
    config
        .output_dir
        .join(format!("{}-cover.pdf", config.output_stem))
}

/// How many formulas the posts hold, and how many of them cannot be typeset.
fn formula_counts(docs: &[Document]) -> (usize, usize) {
    let (mut all, mut failed) = (0, 0);
    for block in docs.iter().flat_map(Document::all_blocks) {
        document::visit_inlines(block, &mut |inline| {
            if let Inline::Math(math) = inline {
                all += 1;
                failed += usize::from(math.error.is_some());
            }
        });
    }
    (all, failed)
}

/// Collects the blog's posts, parses them and checks (and, with `fetch_images`, downloads)
/// their images.
pub fn read(
    config: &Config,
    fetch_images: bool,
    diags: &Diagnostics,
    progress: &dyn Fn(Step),
) -> Result<Sources> {
    progress(Step::Collect);
    let book = collect::collect(config, diags)?;
    progress(Step::Parse);
    let mut docs = document::parse_book(&book, diags);
    progress(Step::Images {
        fetch: fetch_images,
    });
    let options = images::Options {
        fetch: fetch_images,
    };
    images::prepare(&book, &mut docs, &options, diags);
    Ok(Sources { book, docs })
}

/// The EPUB.
pub fn epub(
    config: &Config,
    sources: &Sources,
    fonts: &[FontFile],
    diags: &Diagnostics,
) -> Result<epub::Built> {
    let cover = match &config.meta.cover {
        Some(path) => Some(images::read_cover(path)?),
        None => None,
    };
    let input = epub::Input {
        book: &sources.book,
        docs: &sources.docs,
        fonts,
        cover,
        modified: modified_time(&sources.book),
        code: config.code,
        image_max_side: config.images.max_side,
    };
    Ok(epub::build(&input, diags)?)
}

/// The book on pages, in the page profile and punctuation style of `config`.
pub fn typeset(
    config: &Config,
    sources: &Sources,
    fonts: &FontSet,
    diags: &Diagnostics,
) -> Typeset {
    let settings = layout::book::Settings {
        profile: &config.page,
        style: config.punctuation,
        code: config.code,
        back: config.back,
        preflight: config.preflight,
    };
    layout::book::typeset(&sources.book, &sources.docs, fonts, &settings, diags)
}

/// The PDF.
pub fn pdf(typeset: &Typeset, diags: &Diagnostics) -> Result<pdf::Written> {
    Ok(pdf::write(&typeset.pages, diags)?)
}

fn output_path(config: &Config, extension: &str) -> PathBuf {
    config
        .output_dir
        .join(format!("{}.{extension}", config.output_stem))
}

/// `dcterms:modified`: `SOURCE_DATE_EPOCH` when set (reproducible builds), else the newest
/// date in the blog, so the same blog always gives the same book.
fn modified_time(book: &Book) -> String {
    let from_env = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| jiff::Timestamp::from_second(secs).ok());
    let newest = || {
        book.posts
            .iter()
            .map(|p| p.updated.as_ref().unwrap_or(&p.date).timestamp())
            .max()
            .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
    };
    let timestamp = from_env.unwrap_or_else(newest);
    timestamp.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}
