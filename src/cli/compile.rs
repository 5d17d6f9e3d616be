//! `inkstone compile`: config → collect → documents → images → EPUB and PDF, with progress
//! and a summary.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use super::{CompileArgs, Format};
use crate::diag::{Diagnostics, Error, Result, Severity};
use crate::images::format::Format as ImageFormat;
use crate::layout::linebreak::PunctuationStyle;
use crate::layout::profile::PageProfile;
use crate::{collect, config, document, epub, fonts, images, layout, output, pdf};

/// What a successful build made.
pub struct Built {
    pub files: Vec<(PathBuf, usize)>,
    /// Pages of the PDF, when one was made.
    pub pages: usize,
    pub posts: usize,
    pub chapters: usize,
    pub parts: usize,
}

pub fn run(args: &CompileArgs) -> ExitCode {
    let started = Instant::now();
    let diags = Diagnostics::new();
    let progress = Progress::new(args.quiet);
    let result = build(args, &diags, &progress);
    progress.finish();
    let warnings = print_diagnostics(&diags, args.quiet);
    match result {
        Ok(built) => {
            if !args.quiet {
                let size: usize = built.files.iter().map(|(_, s)| s).sum();
                let names: Vec<String> = built
                    .files
                    .iter()
                    .map(|(p, _)| p.display().to_string())
                    .collect();
                let mut counts = vec![
                    count(built.posts, "post"),
                    count(built.parts, "part"),
                    count(built.chapters, "chapter"),
                ];
                if built.pages > 0 {
                    counts.push(count(built.pages, "page"));
                }
                if warnings > 0 {
                    counts.push(count(warnings, "warning"));
                }
                eprintln!(
                    "wrote {} — {}, {}, {:.1} s",
                    names.join(", "),
                    counts.join(", "),
                    human_size(size),
                    started.elapsed().as_secs_f64()
                );
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The whole build; diagnostics go to `diags`.
pub fn build(args: &CompileArgs, diags: &Diagnostics, progress: &Progress) -> Result<Built> {
    let overrides = config::Overrides {
        output_dir: args.output.clone(),
        drafts: args.drafts,
    };
    let step = |name: &str| progress.step(name, args.verbose);

    step("reading configuration");
    let config = config::load(&args.path, &overrides)?;
    step("collecting posts");
    let book = collect::collect(&config, diags)?;
    step("parsing posts");
    let mut docs = document::parse_book(&book, diags);
    step(if args.fetch_images {
        "fetching and checking images"
    } else {
        "checking images"
    });
    let image_options = images::Options {
        fetch: args.fetch_images,
    };
    images::prepare(&book, &mut docs, &image_options, diags);
    step("loading fonts");
    let fonts = fonts::load_all(&config.fonts)?;
    // Every format is made in memory first: a --strict failure or an error in a later format
    // leaves the folder as it was.
    let mut outputs: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    if matches!(args.format, Format::Epub | Format::All) {
        step("writing EPUB");
        let cover = match &config.meta.cover {
            Some(path) => Some(read_cover(path)?),
            None => None,
        };
        let input = epub::Input {
            book: &book,
            docs: &docs,
            fonts: &fonts,
            cover,
            modified: modified_time(&book),
        };
        let bytes = epub::build(&input, diags)?;
        let path = config
            .output_dir
            .join(format!("{}.epub", config.output_stem));
        outputs.push((path, bytes));
    }
    let mut pages = 0;
    if matches!(args.format, Format::Pdf | Format::All) {
        step("typesetting");
        let set = fonts::FontSet::new(&fonts)?;
        let profile = PageProfile::kai32();
        let typeset = layout::book::typeset(
            &book,
            &docs,
            &set,
            &profile,
            punctuation_style(config.punctuation),
        );
        report_missing(&book, &typeset.missing, diags);
        step("writing PDF");
        let bytes = pdf::write(&typeset.pages, diags)
            .map_err(|e| Error::Message(format!("cannot write the PDF: {e}")))?;
        let path = config
            .output_dir
            .join(format!("{}.pdf", config.output_stem));
        pages = typeset.pages.pages.len();
        outputs.push((path, bytes));
    }
    if args.strict {
        let count = diags.snapshot().len();
        if count > 0 {
            return Err(Error::Message(format!(
                "{count} warning(s) and --strict was given; no book was written"
            )));
        }
    }
    output::write_books(&outputs)?;
    let files = outputs
        .into_iter()
        .map(|(path, bytes)| (path, bytes.len()))
        .collect();
    Ok(Built {
        files,
        pages,
        posts: book.posts.len(),
        chapters: book.chapter_count(),
        parts: book.parts.len(),
    })
}

/// The cover named in book.toml: a whole PNG or JPEG, or an error naming the file.
fn read_cover(path: &std::path::Path) -> Result<Vec<u8>> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    match images::check::check(&bytes) {
        Ok(checked) if matches!(checked.format, ImageFormat::Png | ImageFormat::Jpeg) => Ok(bytes),
        Ok(checked) => Err(Error::Message(format!(
            "{}: the cover is {}; it must be a PNG or JPEG image",
            path.display(),
            checked.format.name()
        ))),
        Err(reason) => Err(Error::Message(format!(
            "{}: the cover cannot be used: {reason}",
            path.display()
        ))),
    }
}

fn punctuation_style(p: config::Punctuation) -> PunctuationStyle {
    match p {
        config::Punctuation::Compressed => PunctuationStyle::Compressed,
        config::Punctuation::Kaiming => PunctuationStyle::Kaiming,
        config::Punctuation::LineEndHalf => PunctuationStyle::LineEndHalf,
    }
}

/// Characters no font has, once per post, at the line where each first appears.
fn report_missing(
    book: &collect::Book,
    missing: &[(usize, std::collections::BTreeSet<char>)],
    diags: &Diagnostics,
) {
    for (index, chars) in missing {
        let Some(post) = book.posts.get(*index) else {
            continue;
        };
        for &c in chars {
            let line = post.text.find(c).map(|at| config::line_of(&post.text, at));
            diags.warn(
                &post.path,
                line,
                format!(
                    "no font has the character {c} (U+{:04X}); it prints as a blank box",
                    c as u32
                ),
            );
        }
    }
}

/// `dcterms:modified`: `SOURCE_DATE_EPOCH` when set (reproducible builds), else the newest
/// date in the blog, so the same blog always gives the same book.
fn modified_time(book: &collect::Book) -> String {
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

/// Prints warnings and errors, `file:line: message`; returns the number of warnings.
fn print_diagnostics(diags: &Diagnostics, quiet: bool) -> usize {
    let mut warnings = 0;
    for d in diags.snapshot() {
        match d.severity {
            Severity::Error => eprintln!("error: {d}"),
            Severity::Warning => {
                warnings += 1;
                if !quiet {
                    eprintln!("warning: {d}");
                }
            }
        }
    }
    warnings
}

/// `1 post`, `3 posts`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn human_size(bytes: usize) -> String {
    if bytes >= 1 << 20 {
        format!("{:.1} MB", bytes as f64 / (1 << 20) as f64)
    } else {
        format!("{:.0} KB", bytes as f64 / 1024.0)
    }
}

/// A spinner on the terminal while the book is built (nothing when output is not a terminal).
pub struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
}

impl Progress {
    pub fn new(quiet: bool) -> Self {
        let bar = (!quiet).then(|| {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Progress {
            bar,
            started: Instant::now(),
        }
    }

    pub fn step(&self, name: &str, verbose: bool) {
        if verbose {
            let line = format!("[{:>6.2} s] {name}", self.started.elapsed().as_secs_f64());
            // indicatif prints nothing when stderr is not a terminal; the steps still show.
            match &self.bar {
                Some(bar) if !bar.is_hidden() => bar.println(line),
                _ => eprintln!("{line}"),
            }
        }
        if let Some(bar) = &self.bar {
            bar.set_message(name.to_string());
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
