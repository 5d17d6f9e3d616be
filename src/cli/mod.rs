//! The command line: parses arguments, calls the pipeline, shows progress and diagnostics.
//! Nothing here knows how a book is made.

mod compile;
mod init;
mod posts_json;
mod watch;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// Compile a Hexo blog into a book: an EPUB 3 for e-readers and a PDF laid out as a printed
/// book (130 × 184 mm by default), both typeset to the rules of Chinese typography, with embedded fonts.
#[derive(Debug, Parser)]
#[command(name = "inkstone", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the book from a Hexo blog (or a folder with a book.toml).
    ///
    /// Reads book.toml if there is one, else the blog's _config.yml, and writes <name>.epub and
    /// <name>.pdf into the output folder (default: book/ beside book.toml or in the blog).
    ///
    /// Formulas ($…$, $$…$$, \(…\), \[…\], equation environments) are typeset where the blog
    /// turns MathJax or KaTeX on (`mathjax: true` or `math: {enable: true}` in _config.yml) or a
    /// post does (`mathjax: true` in its front matter); elsewhere a dollar is a dollar.
    Compile(CompileArgs),
    /// Read the blog and make the books as `compile` does, print the warnings and the summary,
    /// and write nothing (the same options as `compile`).
    ///
    /// With --json, only the posts are read, and printed as JSON on standard output: each
    /// post's source path (below source/_posts/), title, date (to the minute, in the blog's
    /// time zone), the category paths its front matter names, the path the book files it
    /// under, and tags; then every post file left out, with the reason.
    Check(CheckArgs),
    /// Build the book, then build it again each time a post, an image, _config.yml or
    /// book.toml changes (the same options as `compile`), printing how long each build took.
    ///
    /// A post saved half-written (front matter that cannot be read) is reported, and the
    /// books of the last good build stay; the next good save builds them again. Ctrl-C stops.
    Watch(CompileArgs),
    /// Write a commented book.toml for the blog: its title, author and parts (with the number
    /// of posts in each) from _config.yml and the posts; an existing one is never overwritten.
    Init(InitArgs),
    /// Print a completion script for bash, zsh, fish, elvish or PowerShell.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page, in roff (`inkstone man > inkstone.1`).
    Man,
}

#[derive(Debug, clap::Args)]
pub struct CompileArgs {
    /// The blog folder (holding source/_posts/) or a folder with a book.toml
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Write the book into this folder instead of the configured one
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Include drafts (source/_drafts/) and posts marked `published: false`
    #[arg(long)]
    pub drafts: bool,
    /// Keep both copies of a post held twice (same title and text, e.g. a sync-conflict copy);
    /// by default the second is left out with a warning
    #[arg(long)]
    pub keep_duplicates: bool,
    /// Which formats to build: the EPUB, the PDF, or both
    #[arg(long, value_enum, default_value_t = Format::All)]
    pub format: Format,
    /// The PDF's page: 32k (130 × 184 mm, the default), 32k-large, a5, 16k, 6x9 (print), or
    /// ereader-6, ereader-7, ereader-10 (screens: no blank pages); also [pdf] profile
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// Pad the PDF with blank pages at the end to a multiple of N pages (4 for saddle
    /// stitching, 16 or 32 for signatures); also [pdf] pages_multiple
    #[arg(long, value_name = "N")]
    pub pages_multiple: Option<u32>,
    /// Draw crop and registration marks outside the bleed, for a printer who trims the
    /// sheets himself (print-on-demand services refuse them); also [pdf] marks
    #[arg(long)]
    pub marks: bool,
    /// Write the PDF as PDF/A-2b (for archives and libraries), checked by krilla's validator
    /// as it is written; also [pdf] pdfa
    #[arg(long)]
    pub pdfa: bool,
    /// Also write the printed cover, <name>-cover.pdf: back, spine and front as one spread
    /// with bleed, the spine as thick as the book ([cover] paper: mm per leaf, or 60g, 70g,
    /// 80g, 100g)
    #[arg(long)]
    pub cover: bool,
    /// Check each picture as a printer would: a warning for every one printed under 300 dpi
    /// or in RGB (which the printer converts to CMYK), naming the image and its post
    #[arg(long)]
    pub preflight: bool,
    /// Download remote images (http…) into the book; they are kept in
    /// .inkstone-cache/images/ in the blog, so later builds need no network
    #[arg(long)]
    pub fetch_images: bool,
    /// Treat warnings as errors (for CI): no book is written if there is any. Without it a
    /// post that cannot be read is left out and the book of the others is written (exit 1)
    #[arg(long)]
    pub strict: bool,
    /// Print only errors
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print each step with its time
    #[arg(short, long)]
    pub verbose: bool,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub compile: CompileArgs,
    /// Print the posts as read, as JSON, instead of making the books
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// The blog folder (holding source/_posts/)
    #[arg(default_value = ".")]
    pub path: std::path::PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Epub,
    Pdf,
    All,
}

/// Runs the program; the exit code is 0 on success, 1 on any error.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    // Without a handler an interrupt could end the process between writing a book's
    // temporary file and renaming it, leaving the temporary file behind, or between renaming
    // the EPUB and the PDF, leaving a new book beside an old one.
    let _ = ctrlc::set_handler(|| {
        match crate::output::interrupt() {
            crate::output::Interrupted::NothingWritten => {
                eprintln!("interrupted: no book was written; older books stay as they were")
            }
            crate::output::Interrupted::BooksInPlace => {
                eprintln!("interrupted: the new books were already complete and are in place")
            }
        }
        std::process::exit(130);
    });
    match cli.command {
        Command::Compile(args) => compile::run(&args, true),
        Command::Check(args) if args.json => posts_json::run(&args.compile),
        Command::Check(args) => compile::run(&args.compile, false),
        Command::Watch(args) => watch::run(&args),
        Command::Init(args) => init::run(&args),
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut command, "inkstone", &mut std::io::stdout());
            ExitCode::SUCCESS
        }
        Command::Man => {
            let page = clap_mangen::Man::new(<Cli as clap::CommandFactory>::command());
            match page.render(&mut std::io::stdout()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: cannot write the manual page: {e}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}
