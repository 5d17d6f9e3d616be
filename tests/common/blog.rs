//! A blog made in a temporary folder for one test, and what tests ask of the book it gives:
//! its diagnostics, its files, the EPUB's pages.

use std::io::Read;
use std::path::{Path, PathBuf};

use inkstone::collect::{Book, collect};
use inkstone::config::{self, Config, Overrides};
use inkstone::diag::{Diagnostic, Diagnostics, Error, Severity};
use inkstone::document::{Document, parse_book};
use tempfile::TempDir;

use super::{compile, stderr};

/// A Hexo blog in a temporary folder: `source/_posts/` and, but for [`Blog::empty`], a
/// `_config.yml`.
pub struct Blog {
    pub dir: TempDir,
}

impl Blog {
    /// A blog with a title and an author.
    pub fn new() -> Blog {
        Blog::with_config("title: Small Blog\nauthor: 测试者\n")
    }

    /// A blog with no `_config.yml` at all.
    pub fn empty() -> Blog {
        let dir = TempDir::new().expect("temporary folder");
        std::fs::create_dir_all(dir.path().join("source/_posts")).expect("source/_posts");
        Blog { dir }
    }

    pub fn with_config(config_yml: &str) -> Blog {
        let blog = Blog::empty();
        blog.file("_config.yml", config_yml);
        blog
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file below the blog root (folders are created).
    pub fn file(&self, relative: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.root().join(relative);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("folders");
        std::fs::write(&path, bytes).expect("write file");
        path
    }

    /// `source/_posts/<name>` with these exact bytes.
    pub fn raw(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        self.file(&format!("source/_posts/{name}"), bytes)
    }

    /// `source/_posts/<slug>.md` with a title, a fixed date and `body` (which starts on line 5).
    pub fn post(&self, slug: &str, title: &str, body: &str) -> PathBuf {
        self.dated_post(slug, title, "2020-01-02 03:04:05", body)
    }

    /// `source/_posts/<slug>.md` with a title, a date (for ordering) and `body`.
    pub fn dated_post(&self, slug: &str, title: &str, date: &str, body: &str) -> PathBuf {
        let text = format!("---\ntitle: {title}\ndate: {date}\n---\n{body}");
        self.raw(&format!("{slug}.md"), text)
    }

    /// The blog's configuration, with or without drafts.
    pub fn config(&self, drafts: bool) -> Config {
        let overrides = Overrides {
            drafts,
            ..Overrides::default()
        };
        config::load(self.root(), &overrides).expect("configuration loads")
    }

    /// Collects the blog: the book (or the error) and every diagnostic.
    pub fn collect(&self) -> (Result<Book, Error>, Vec<Diagnostic>) {
        let diags = Diagnostics::new();
        let book = collect(&self.config(false), &diags);
        (book, diags.snapshot())
    }

    /// Collects with `config`; panics (with the diagnostics) on failure.
    pub fn book_with(&self, config: &Config) -> (Book, Vec<Diagnostic>) {
        let diags = Diagnostics::new();
        match collect(config, &diags) {
            Ok(book) => (book, diags.snapshot()),
            Err(e) => panic!("collect failed: {e}\n{:#?}", diags.snapshot()),
        }
    }

    /// Collects with the blog's own configuration; collecting must succeed.
    pub fn book(&self) -> (Book, Vec<Diagnostic>) {
        self.book_with(&self.config(false))
    }

    /// Collects and parses every post; collecting must succeed.
    pub fn parse(&self) -> (Book, Vec<Document>, Vec<Diagnostic>) {
        let diags = Diagnostics::new();
        let (book, mut found) = self.book();
        let docs = parse_book(&book, &diags);
        found.extend(diags.snapshot());
        (book, docs, found)
    }

    /// Runs the binary on the blog into a fresh folder.
    pub fn run(&self, extra: &[&str]) -> (std::process::Output, TempDir) {
        let out = TempDir::new().expect("output folder");
        let output = compile(self.root(), out.path(), extra);
        (output, out)
    }
}

pub fn warnings(diags: &[Diagnostic]) -> Vec<&Diagnostic> {
    diags
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .collect()
}

/// The diagnostics about `path`.
pub fn about<'d>(diags: &'d [Diagnostic], path: &Path) -> Vec<&'d Diagnostic> {
    diags
        .iter()
        .filter(|d| d.file.as_deref() == Some(path))
        .collect()
}

pub fn success(output: &std::process::Output) {
    assert!(
        output.status.success(),
        "inkstone failed:\n{}",
        stderr(output)
    );
}

pub fn failure(output: &std::process::Output) {
    assert!(
        !output.status.success(),
        "inkstone should have failed:\n{}",
        stderr(output)
    );
}

/// The only file with `extension` in `dir`.
pub fn book_file(dir: &Path, extension: &str) -> PathBuf {
    let found: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("output folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == extension))
        .collect();
    assert_eq!(found.len(), 1, "one .{extension} in {}", dir.display());
    found[0].clone()
}

/// Every file of an EPUB, by name, as bytes.
pub fn epub_entries(epub: &Path) -> Vec<(String, Vec<u8>)> {
    let file = std::fs::File::open(epub).expect("open epub");
    let mut zip = zip::ZipArchive::new(file).expect("epub is a zip file");
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).expect("zip entry");
        let name = entry.name().map(|n| n.to_string()).unwrap_or_default();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).expect("read entry");
        out.push((name, bytes));
    }
    out
}

/// Every file of an EPUB, by name, as text.
pub fn epub_files(epub: &Path) -> Vec<(String, String)> {
    epub_entries(epub)
        .into_iter()
        .map(|(name, bytes)| (name, String::from_utf8_lossy(&bytes).into_owned()))
        .collect()
}

pub fn epub_file(files: &[(String, String)], suffix: &str) -> String {
    files
        .iter()
        .find(|(n, _)| n.ends_with(suffix))
        .map(|(_, t)| t.clone())
        .unwrap_or_else(|| panic!("no {suffix} in the EPUB"))
}

/// The XHTML of the EPUB's first post page, checked to be well-formed XML.
pub fn first_post_xhtml(out: &Path) -> String {
    let files = epub_files(&book_file(out, "epub"));
    let page = epub_file(&files, "post-0001.xhtml");
    xml(&page).unwrap_or_else(|e| panic!("post page is not well-formed XML: {e}\n{page}"));
    page
}

/// Parses XML as the EPUB tests do (XHTML pages carry a doctype).
pub fn xml(text: &str) -> Result<roxmltree::Document<'_>, roxmltree::Error> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(text, options)
}

/// The number (from 1) of the first line of the file at `path` that contains `needle`.
pub fn line_containing(path: &Path, needle: &str) -> usize {
    let text = std::fs::read_to_string(path).expect("read file");
    let index = text.lines().position(|l| l.contains(needle));
    index.unwrap_or_else(|| panic!("no line of {} has {needle}", path.display())) + 1
}
