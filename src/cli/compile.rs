//! `inkstone compile`: reads the configuration, runs `pipeline::compile`, and prints progress,
//! diagnostics and a summary.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use super::{CompileArgs, Format};
use crate::config;
use crate::diag::{Diagnostics, Severity};
use crate::pipeline::{self, Formats, Outcome, Result};

/// `compile` writes the books; `check` (`write` false) makes them in memory only, to report.
pub fn run(args: &CompileArgs, write: bool) -> ExitCode {
    run_with(args, write, false)
}

/// As `run`; with `every_post`, a post that cannot be read keeps the books as they were.
pub(super) fn run_with(args: &CompileArgs, write: bool, every_post: bool) -> ExitCode {
    let started = Instant::now();
    let diags = Diagnostics::new();
    let progress = Progress::new(args.quiet);
    let result = build(args, (write, every_post), &diags, &progress);
    progress.finish();
    let warnings = print_diagnostics(&diags, args.quiet);
    match result {
        Ok(outcome) => {
            if !args.quiet {
                eprintln!("{}", summary(&outcome, write, warnings, started.elapsed()));
                if let Some(line) = print_line(&outcome, args.preflight) {
                    eprintln!("{line}");
                }
                if let Some(spine) = outcome.spine {
                    eprintln!("{}", spine_line(spine));
                }
                if let Some(line) = image_saving(&outcome) {
                    eprintln!("{line}");
                }
            }
            if outcome.left_out > 0 {
                // The book of the other posts is written, but the blog needs mending.
                eprintln!(
                    "error: {} left out: it cannot be read (see the errors above)",
                    count(outcome.left_out, "post")
                );
                return ExitCode::FAILURE;
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
fn build(
    args: &CompileArgs,
    (write, every_post): (bool, bool),
    diags: &Diagnostics,
    progress: &Progress,
) -> Result<Outcome> {
    let step = |name: &str| progress.step(name, args.verbose);
    step("reading configuration");
    let config = config::load(&args.path, &overrides(args))?;
    let options = pipeline::Options {
        formats: match args.format {
            Format::Epub => Formats::Epub,
            Format::Pdf => Formats::Pdf,
            Format::All => Formats::Both,
        },
        fetch_images: args.fetch_images,
        strict: args.strict,
        write,
        cover: args.cover && write,
        every_post,
    };
    pipeline::compile(&config, &options, diags, &|s| step(s.name()))
}

/// What the command line says over the files.
pub(super) fn overrides(args: &CompileArgs) -> config::Overrides {
    config::Overrides {
        output_dir: args.output.clone(),
        profile: args.profile.clone(),
        pages_multiple: args.pages_multiple,
        marks: args.marks,
        pdfa: args.pdfa,
        preflight: args.preflight,
        drafts: args.drafts,
        keep_duplicates: args.keep_duplicates,
    }
}

/// `wrote book/a.epub, book/a.pdf — 12 posts, 2 parts, 3 chapters, 80 pages, 1.2 MB, 0.9 s`
/// (`checked …` when nothing was written).
fn summary(outcome: &Outcome, written: bool, warnings: usize, elapsed: Duration) -> String {
    let size: usize = outcome.files.iter().map(|f| f.bytes).sum();
    let names: Vec<String> = outcome
        .files
        .iter()
        .map(|f| f.path.display().to_string())
        .collect();
    let mut counts = vec![
        count(outcome.posts, "post"),
        count(outcome.parts, "part"),
        count(outcome.chapters, "chapter"),
    ];
    if outcome.pages > 0 {
        counts.push(count(outcome.pages, "page"));
    }
    if outcome.formulas > 0 {
        let mut formulas = count(outcome.formulas, "formula");
        if outcome.formulas_failed > 0 {
            formulas.push_str(&format!(" ({} printed as TeX)", outcome.formulas_failed));
        }
        counts.push(formulas);
    }
    if warnings > 0 {
        counts.push(count(warnings, "warning"));
    }
    format!(
        "{} {} — {}, {}, {:.1} s",
        if written {
            "wrote"
        } else {
            "checked (not written)"
        },
        names.join(", "),
        counts.join(", "),
        human_size(size),
        elapsed.as_secs_f64()
    )
}

/// `print: 12 images under 300 dpi, 30 in RGB (--preflight names each)`, or `None` when
/// every picture is as a printer wants it.
fn print_line(outcome: &Outcome, preflight: bool) -> Option<String> {
    let check = outcome.print_check;
    let mut found = Vec::new();
    if check.low_resolution > 0 {
        found.push(format!(
            "{} under {} dpi",
            count(check.low_resolution, "image"),
            crate::layout::book::PRINT_DPI
        ));
    }
    if check.rgb > 0 {
        found.push(format!("{} in RGB", count(check.rgb, "image")));
    }
    if found.is_empty() {
        return None;
    }
    let hint = if preflight {
        "each is named above"
    } else {
        "--preflight names each"
    };
    Some(format!("print: {} ({hint})", found.join(", ")))
}

/// `cover: spine 9.1 mm (91 leaves × 0.1 mm)`, with a note when it is too narrow for text.
fn spine_line(spine: pipeline::Spine) -> String {
    let mut line = format!(
        "cover: spine {:.1} mm ({} leaves × {} mm)",
        spine.width, spine.leaves, spine.caliper
    );
    if spine.blank {
        line.push_str("; too narrow for its title (5 mm at least), so the spine is left blank");
    }
    line
}

/// `images: 12 made smaller for the EPUB (34.1 MB → 6.2 MB), 9 scaled to the PDF's
/// resolution (96.0 → 11.2 megapixels)`, or `None` when no image was changed.
fn image_saving(outcome: &Outcome) -> Option<String> {
    let (epub, pdf) = (outcome.epub_images, outcome.pdf_images);
    let mut parts = Vec::new();
    if epub.images > 0 {
        parts.push(format!(
            "{} made smaller for the EPUB ({} → {})",
            epub.images,
            human_size(epub.before as usize),
            human_size(epub.after as usize)
        ));
    }
    if pdf.images > 0 {
        let megapixels = |n: u64| n as f64 / 1e6;
        parts.push(format!(
            "{} scaled to the PDF's resolution ({:.1} → {:.1} megapixels)",
            pdf.images,
            megapixels(pdf.before),
            megapixels(pdf.after)
        ));
    }
    (!parts.is_empty()).then(|| format!("images: {}", parts.join(", ")))
}

/// Prints warnings and errors, `file:line: message`; returns the number of warnings.
pub(super) fn print_diagnostics(diags: &Diagnostics, quiet: bool) -> usize {
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
pub(super) fn count(n: usize, noun: &str) -> String {
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
